/**
 * `lindung relay` as an operator runs it, against the real NATS server: a child process of the built executable on
 * a SQLite file of 5,000+ events over 200+ cases, killed with SIGKILL at random points while it publishes and started
 * again, several times. A consumer (the helper of `@lindung/transport-nats`) receives every event exactly once, each
 * case in version order; the stream itself holds each event once (the duplicate window dropped every re-send); and
 * no sentinel identity is in any message. Then `lindung serve --nats` publishes the seed stories of `lindung demo`
 * and serves its AsyncAPI document.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Runner, Stories } from "@lindung/seeds"
import { layerSqlite } from "@lindung/storage-sql"
import { describeWith, fill, nats, SENTINEL, unique } from "@lindung/testing"
import { Consumer, Nats } from "@lindung/transport-nats"
import { headers as natsHeaders } from "@nats-io/transport-node"
import { Effect, Fiber, Result, Stream } from "effect"
import { afterAll, expect, it } from "vitest"

const bin = join(import.meta.dirname, "..", "bin", "lindung.js")
const built = join(import.meta.dirname, "..", "dist", "bin.js")

const start = (cwd: string, args: ReadonlyArray<string>, env: Record<string, string> = {}): ChildProcess =>
  spawn(process.execPath, [bin, ...args], {
    cwd,
    env: { ...process.env, LINDUNG_ENV: "development", NODE_ENV: "test", LINDUNG_DATABASE_URL: "", ...env },
    stdio: ["ignore", "pipe", "pipe"]
  })

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode)
    child.once("exit", (code) => resolve(code))
  })

/** A small deterministic generator, so that a failing run can be replayed from its printed seed. */
const random = (seed: number) => {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0
    return state / 2 ** 32
  }
}

describeWith(nats, "lindung relay and lindung serve --nats on a real NATS server", (url) => {
  const dir = mkdtempSync(join(tmpdir(), "lindung-relay-"))
  const children: Array<ChildProcess> = []
  afterAll(() => {
    for (const child of children) child.kill("SIGKILL")
    rmSync(dir, { recursive: true, force: true })
  })
  const connection = Nats.layer({ servers: url })

  it("killed with SIGKILL at random points and restarted, the relay loses nothing and doubles nothing", async () => {
    expect(existsSync(built), "build @lindung/cli first (turbo runs the build before these tests)").toBe(true)
    const id = unique()
    const database = join(dir, `relay-${id}.db`)
    const stream = `CLI_${id}`
    const prefix = `cli${id}.case`
    const seed = Number.parseInt(process.env.LINDUNG_PROPERTY_SEED ?? String(Date.now() % 2 ** 31), 10)
    const next = random(seed)
    const written = await Effect.runPromise(fill(6, id).pipe(Effect.provide(layerSqlite({ filename: database }))))
    const total = written.flat().length
    expect(total).toBeGreaterThanOrEqual(5_000)
    expect(written.length).toBeGreaterThanOrEqual(200)

    await Effect.runPromise(
      Effect.gen(function* () {
        const { manager } = yield* Nats.Connection
        yield* Effect.addFinalizer(() => Effect.promise(() => manager.streams.delete(stream).catch(() => false)))
        const received = yield* Consumer.stream({ durable: `d${id}`, stream }).pipe(
          Stream.mapEffect((delivery) => Effect.as(delivery.ack, delivery)),
          Stream.take(total),
          Stream.runCollect,
          Effect.forkScoped
        )
        const messages = () =>
          manager.streams.info(stream).then(
            (info) => info.state.messages,
            () => 0
          )
        const relay = () =>
          start(dir, [
            "relay",
            "--database-url",
            database,
            "--nats",
            url,
            "--stream",
            stream,
            "--subject-prefix",
            prefix,
            "--checkpoint",
            `relay:${id}`
          ])
        const kills: Array<number> = []
        for (let round = 0; round < 5; round++) {
          const child = relay()
          children.push(child)
          const before = yield* Effect.promise(messages)
          // Kill it mid-stream: once it has published something in this round, after a random delay.
          while ((yield* Effect.promise(messages)) <= before && child.exitCode === null) {
            yield* Effect.sleep("10 millis")
          }
          yield* Effect.sleep(`${Math.floor(next() * 250)} millis`)
          child.kill("SIGKILL")
          yield* Effect.promise(() => exited(child))
          kills.push(yield* Effect.promise(messages))
          if (kills[kills.length - 1] === total) break
        }
        expect(kills.length, `seed ${seed}`).toBeGreaterThanOrEqual(3)
        expect(kills[0], `seed ${seed}: the first kill came before the end`).toBeLessThan(total)
        // The last relay publishes the rest and stops gracefully on SIGTERM.
        const last = relay()
        children.push(last)
        const deliveries = yield* Fiber.join(received)
        expect(yield* Effect.promise(messages), `seed ${seed}`).toBe(total)
        // Stopped by a signal, the runtime interrupts the relay and exits with 130 (interrupted), after its batch.
        last.kill("SIGTERM")
        expect([0, 130]).toContain(yield* Effect.promise(() => exited(last)))

        const ids = deliveries.map((delivery) => delivery.event.eventId)
        expect(new Set(ids).size, `seed ${seed}`).toBe(total)
        expect(new Set(ids)).toEqual(new Set(written.flat().map((event) => event.eventId)))
        const versions = new Map<string, number>()
        for (const { event } of deliveries) {
          expect(event.version, `seed ${seed} ${event.eventId}`).toBe((versions.get(event.caseId) ?? 0) + 1)
          versions.set(event.caseId, event.version)
        }
        // Everything that crossed the wire: no identity, no free text.
        const { jetstream } = yield* Nats.Connection
        const check = yield* Effect.promise(async () => {
          const consumer = await jetstream.consumers.get(stream)
          const seen: Array<string> = []
          const batch = await consumer.fetch({ max_messages: total, expires: 5_000 })
          for await (const message of batch) {
            const headers = [...(message.headers?.keys() ?? [])].map((key) => message.headers?.get(key)).join("\n")
            seen.push(headers + new TextDecoder().decode(message.data))
            if (seen.length === total) break
          }
          return seen
        })
        expect(check.length).toBe(total)
        for (const text of check) expect(text).not.toContain(SENTINEL.split(" ")[0] as string)
      }).pipe(Effect.scoped, Effect.provide(connection))
    )
  }, 180_000)

  it("lindung serve --nats publishes the demo's seed stories and serves the AsyncAPI document", async () => {
    const id = unique()
    const database = join(dir, `serve-${id}.db`)
    const stream = `SERVE_${id}`
    const env = {
      LINDUNG_NATS_STREAM: stream,
      LINDUNG_NATS_SUBJECT_PREFIX: `srv${id}.case`,
      // Command subjects of its own: it must not answer the requests of other tests on the shared server.
      LINDUNG_NATS_API_PREFIX: `srv${id}.api`,
      // Tokens over NATS have an audience of their own: one a subscriber of the API subjects reads fails over HTTP.
      LINDUNG_NATS_JWT_AUDIENCE: `lindung-nats-${id}`
    }
    const demo = start(dir, ["demo", "--database-url", database], env)
    expect(await exited(demo)).toBe(0)
    const expected = Stories.all.flatMap((story) => {
      const run = Runner.runPure(story)
      return Result.isSuccess(run) ? run.success.events : []
    }).length
    const server = start(
      dir,
      ["serve", "--database-url", database, "--port", "0", "--nats", url, "--log", "none", "--without-scheduler"],
      env
    )
    children.push(server)
    let stderr = ""
    server.stderr?.on("data", (chunk) => {
      stderr += String(chunk)
    })
    await Effect.runPromise(
      Effect.gen(function* () {
        const { manager } = yield* Nats.Connection
        yield* Effect.addFinalizer(() => Effect.promise(() => manager.streams.delete(stream).catch(() => false)))
        const deliveries = yield* Consumer.stream({ durable: `d${id}`, stream }).pipe(
          Stream.mapEffect((delivery) => Effect.as(delivery.ack, delivery.event)),
          Stream.take(expected),
          Stream.runCollect
        )
        expect(new Set(deliveries.map((event) => event.eventId)).size).toBe(expected)
        while (!/AsyncAPI: (http:\S+)/.test(stderr)) yield* Effect.sleep("20 millis")
        const address = /AsyncAPI: (http:\S+)/.exec(stderr)?.[1] as string
        const response = yield* Effect.promise(() => fetch(address))
        expect(response.status).toBe(200)
        const document = (yield* Effect.promise(() => response.json())) as { asyncapi: string }
        expect(document.asyncapi).toBe("3.0.0")
        // The same process answers commands over NATS, with a token of `lindung token --for-nats`: a command core refuses
        // (the head of the Padang Dinas may not start outreach on a case in aftercare) comes back as a problem, and
        // nothing is written.
        const tokenOf = (flags: ReadonlyArray<string>) =>
          Effect.promise(async () => {
            const child = start(dir, ["token", "--person", "kabid-rehsos-padang", ...flags], env)
            let out = ""
            child.stdout?.on("data", (chunk) => {
              out += String(chunk)
            })
            await exited(child)
            return out.trim()
          })
        const natsToken = yield* tokenOf(["--for-nats"])
        const httpToken = yield* tokenOf([])
        const { connection: nc } = yield* Nats.Connection
        const send = (token: string) => {
          const headers = natsHeaders()
          headers.set("Authorization", `Bearer ${token}`)
          return Effect.promise(async () => {
            const reply = await nc.request(
              `srv${id}.api.cases.command`,
              JSON.stringify({ _tag: "StartOutreach", caseId: "000-padang-kakak" }),
              { headers, timeout: 10_000 }
            )
            expect(reply.headers?.get("content-type")).toBe("application/problem+json")
            return JSON.parse(new TextDecoder().decode(reply.data)) as { type: string; status: number }
          })
        }
        const problem = yield* send(natsToken)
        expect(problem.status).toBeGreaterThanOrEqual(400)
        expect(problem.type).toMatch(/^urn:lindung:problem:(sop-violation|forbidden)$/)
        // The HTTP token is refused over NATS, and the NATS token over HTTP (where the HTTP token works).
        expect(yield* send(httpToken)).toMatchObject({ status: 401 })
        const base = address.replace(/\/asyncapi\.json$/u, "")
        const list = (token: string) =>
          Effect.promise(async () => {
            const response = await fetch(`${base}/cases`, { headers: { authorization: `Bearer ${token}` } })
            await response.text()
            return response.status
          })
        expect(yield* list(natsToken)).toBe(401)
        expect(yield* list(httpToken)).toBe(200)
        const info = yield* Effect.promise(() => manager.streams.info(stream))
        expect(info.state.messages).toBe(expected)
      }).pipe(Effect.scoped, Effect.provide(connection))
    )
    server.kill("SIGTERM")
    expect([0, 130]).toContain(await exited(server))
  }, 120_000)
})
