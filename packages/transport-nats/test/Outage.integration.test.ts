/**
 * A NATS server that stops while the relay runs: the relay waits, reconnects and resumes from its checkpoint, and
 * a consumer sees every event exactly once. The test starts a private `nats-server` (JetStream, its own store
 * directory, a free port) so that stopping it disturbs no other test; it runs where the shared server runs.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { createServer, Socket } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { layerMemory } from "@lindung/storage-memory"
import { describeWith, fill, nats, unique } from "@lindung/testing"
import { Effect, Layer, Stream } from "effect"
import { afterAll, expect, it } from "vitest"
import { Consumer, Nats, Relay } from "../src/index.js"

const NATS_SERVER = process.env.LINDUNG_NATS_SERVER_BIN ?? "/usr/sbin/nats-server"

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0))
    })
  })

const listening = async (port: number, timeoutMs = 10_000) => {
  const until = Date.now() + timeoutMs
  while (Date.now() < until) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = new Socket()
      socket.once("connect", () => {
        socket.destroy()
        resolve(true)
      })
      socket.once("error", () => resolve(false))
      socket.connect(port, "127.0.0.1")
    })
    if (open) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`nats-server did not listen on ${port}`)
}

const stopped = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve()
    child.once("exit", () => resolve())
    child.kill("SIGKILL")
  })

describeWith(nats, "the relay across a NATS server restart", () => {
  const dir = mkdtempSync(join(tmpdir(), "lindung-nats-"))
  let server: ChildProcess | undefined
  afterAll(async () => {
    if (server !== undefined) await stopped(server)
    rmSync(dir, { recursive: true, force: true })
  })

  const start = async (port: number) => {
    const child = spawn(NATS_SERVER, ["-a", "127.0.0.1", "-p", String(port), "-js", "-sd", dir], { stdio: "ignore" })
    await listening(port)
    return child
  }

  // The private server needs the nats-server program: without it the test says so and is skipped, unless CI
  // requires the servers (LINDUNG_REQUIRE_SERVICES=1), where it fails.
  const missing = !existsSync(NATS_SERVER) && process.env.LINDUNG_REQUIRE_SERVICES !== "1"
  if (missing) process.stderr.write(`[lindung] outage test skipped: no nats-server at ${NATS_SERVER}\n`)
  it.skipIf(missing)(
    "resumes from its checkpoint once the server is back, and nothing is lost or doubled",
    async () => {
      expect(existsSync(NATS_SERVER), `nats-server is needed at ${NATS_SERVER} (or LINDUNG_NATS_SERVER_BIN)`).toBe(true)
      const port = await freePort()
      server = await start(port)
      const id = unique()
      const stream = `OUTAGE_${id}`
      const connection = Nats.layer({ servers: `nats://127.0.0.1:${port}`, reconnectWaitMs: 100 })
      await Effect.runPromise(
        Effect.gen(function* () {
          const first = yield* fill(3, `${id}a`)
          const relay = yield* Relay.make({
            stream: { name: stream },
            batchSize: 40,
            maxRetryWaitMs: 500,
            ackTimeoutMs: 1_000
          })
          yield* Effect.forkScoped(relay.run)
          while ((yield* relay.status).published === 0) yield* Effect.sleep("5 millis")
          // The server stops mid-stream; more reports come in while it is away.
          yield* Effect.promise(() => stopped(server as ChildProcess))
          const second = yield* fill(2, `${id}b`)
          // The relay notices: its publishes fail, and it keeps trying.
          while ((yield* relay.status).failures === 0) yield* Effect.sleep("20 millis")
          yield* Effect.sleep("300 millis")
          server = yield* Effect.promise(() => start(port))
          const written = [...first, ...second]
          const total = written.flat().length
          while ((yield* relay.status).published < total) yield* Effect.sleep("20 millis")
          const deliveries = yield* Consumer.stream({ durable: `d${id}`, stream }).pipe(
            Stream.mapEffect((delivery) => Effect.as(delivery.ack, delivery.event)),
            Stream.take(total),
            Stream.runCollect
          )
          const ids = deliveries.map((event) => event.eventId)
          expect(new Set(ids).size).toBe(total)
          expect(new Set(ids)).toEqual(new Set(written.flat().map((event) => event.eventId)))
          const last = new Map<string, number>()
          for (const event of deliveries) {
            expect(event.version).toBe((last.get(event.caseId) ?? 0) + 1)
            last.set(event.caseId, event.version)
          }
          while (!(yield* relay.status).caughtUp) yield* Effect.sleep("20 millis")
          expect((yield* relay.status).published).toBeGreaterThanOrEqual(total)
        }).pipe(Effect.timeout("40 seconds"), Effect.scoped, Effect.provide(Layer.merge(layerMemory, connection)))
      )
    },
    60_000
  )
})
