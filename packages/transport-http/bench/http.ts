/**
 * Benchmark of the Lindung HTTP server (not a test): requests per second and p50/p99 latency of `GET /cases/{id}`
 * and of a command `POST /cases/{id}/commands`, side by side in the same run with a bare `node:http` JSON endpoint
 * on the same machine, and the ratio. Every server listens on 127.0.0.1 only; the load generator runs in a worker
 * thread (so it does not share the servers' event loop) as a bounded closed loop: a fixed number of keep-alive
 * connections, each sending one request after another for a fixed time.
 *
 * Run: `npm run bench -w @lindung/transport-http` (builds first), or `node bench/http.ts` after `npm run build`.
 * Options (environment): `BENCH_SECONDS` (default 5 per scenario), `BENCH_CONNECTIONS` (default 16),
 * `BENCH_STORE` (`memory` default, or `sqlite` for an embedded SQLite file in a temporary folder).
 */
import { mkdtempSync, rmSync } from "node:fs"
import { Agent, createServer, request, type Server } from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads"
import { NodeHttpServer } from "@effect/platform-node"
import { Actor, Agency } from "@lindung/core"
import { layerMemory } from "@lindung/storage-memory"
import { Auth, Server as LindungServer } from "@lindung/transport-http"
import { Effect, Fiber, Layer, Logger } from "effect"

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16)
const STORE = process.env.BENCH_STORE === "sqlite" ? "sqlite" : "memory"
const WARMUP_SECONDS = 1
const CASES = 200
const HOST = "127.0.0.1"

const agencies = Agency.directory([
  Agency.make({ id: "dinsos-13.71", kind: "dinsos", name: "Dinas Sosial Kota Padang", region: "13.71", dinasType: "A" })
])
const intake = Actor.make({ id: "intake-padang", role: "intake-officer", agency: "dinsos-13.71", region: "13.71" })
const kasi = Actor.make({
  id: "kasi-padang",
  role: "supervisor",
  position: "kasi",
  agency: "dinsos-13.71",
  region: "13.71"
})
const auth: Auth.Config = {
  issuer: "lindung-bench",
  audience: "lindung",
  keys: Auth.secret("bench-secret-of-at-least-32-bytes-0123456789")
}

// ---------------------------------------------------------------------------------------------------------------
// Load generator
// ---------------------------------------------------------------------------------------------------------------

/** What a load run sends: serialisable, so that it can be handed to the worker. */
interface Scenario {
  readonly kind: "bare" | "get" | "command"
  readonly port: number
  readonly token: string
  readonly seconds: number
}

interface Target {
  readonly port: number
  readonly method: "GET" | "POST"
  /** The path and body of the i-th request. */
  readonly next: (i: number) => { readonly path: string; readonly body?: string }
  readonly headers: Record<string, string>
  /** The status every answer must have. */
  readonly expect: number
}

const caseId = (i: number) => `case-${String(i % CASES).padStart(4, "0")}`

const targetOf = (scenario: Scenario): Target => {
  const bearer = { authorization: `Bearer ${scenario.token}` }
  switch (scenario.kind) {
    case "bare":
      return { port: scenario.port, method: "GET", next: () => ({ path: "/" }), headers: {}, expect: 200 }
    case "get":
      return {
        port: scenario.port,
        method: "GET",
        next: (i) => ({ path: `/cases/${caseId(i)}` }),
        headers: bearer,
        expect: 200
      }
    case "command":
      return {
        port: scenario.port,
        method: "POST",
        next: (i) => {
          const id = caseId(i)
          return {
            path: `/cases/${id}/commands`,
            body: JSON.stringify({ _tag: "AssignCaseworker", caseId: id, caseworker: `peksos-${process.pid}-${i}` })
          }
        },
        headers: bearer,
        expect: 200
      }
  }
}

/** Runs a scenario in a worker thread and returns its result. */
const inWorker = (scenario: Scenario): Promise<Result> =>
  new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: scenario })
    worker.once("message", (result: Result) => resolve(result))
    worker.once("error", reject)
  })

interface Result {
  readonly requests: number
  readonly seconds: number
  readonly rps: number
  readonly p50: number
  readonly p99: number
  readonly errors: number
}

const once = (agent: Agent, target: Target, i: number): Promise<{ ms: number; ok: boolean }> =>
  new Promise((resolve) => {
    const { path, body } = target.next(i)
    const started = process.hrtime.bigint()
    const req = request(
      {
        host: HOST,
        port: target.port,
        method: target.method,
        path,
        agent,
        headers: {
          ...target.headers,
          ...(body === undefined
            ? {}
            : { "content-type": "application/json", "content-length": Buffer.byteLength(body) })
        }
      },
      (res) => {
        res.on("data", () => {})
        res.on("end", () =>
          resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, ok: res.statusCode === target.expect })
        )
      }
    )
    req.on("error", () => resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, ok: false }))
    req.end(body)
  })

const percentile = (sorted: ReadonlyArray<number>, p: number): number =>
  sorted.length === 0 ? Number.NaN : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0)

/** Runs `CONNECTIONS` closed loops against the target for `seconds`, after a warm-up. */
const load = async (target: Target, seconds: number): Promise<Result> => {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS })
  let counter = 0
  const loop = async (until: number, latencies: Array<number> | undefined, errors: { n: number }) => {
    while (performance.now() < until) {
      const { ms, ok } = await once(agent, target, counter++)
      if (!ok) errors.n++
      latencies?.push(ms)
    }
  }
  const warm = { n: 0 }
  const warmUntil = performance.now() + WARMUP_SECONDS * 1000
  await Promise.all(Array.from({ length: CONNECTIONS }, () => loop(warmUntil, undefined, warm)))
  const latencies: Array<number> = []
  const errors = { n: 0 }
  const started = performance.now()
  await Promise.all(Array.from({ length: CONNECTIONS }, () => loop(started + seconds * 1000, latencies, errors)))
  const elapsed = (performance.now() - started) / 1000
  agent.destroy()
  latencies.sort((a, b) => a - b)
  return {
    requests: latencies.length,
    seconds: elapsed,
    rps: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors: errors.n + warm.n
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Servers
// ---------------------------------------------------------------------------------------------------------------

const listen = (server: Server): Promise<number> =>
  new Promise((resolve) =>
    server.listen(0, HOST, () => {
      const address = server.address()
      resolve(typeof address === "object" && address !== null ? address.port : 0)
    })
  )

/** The baseline: a bare node:http endpoint answering a JSON document of the size of a case view. */
const bare = async () => {
  const document = {
    caseId: "case-0001",
    summary: {
      stage: "reported",
      region: "13.71.01",
      owner: "dinsos-13.71",
      subjectKind: "child",
      ageBand: "5-11",
      version: 1
    },
    services: [],
    sppa: { proceedings: [], detentions: 0 },
    work: {
      assigned: [],
      approvals: [],
      referrals: [],
      transfers: [],
      placements: [],
      consents: [],
      followUps: [],
      escalations: []
    },
    identity: "visible",
    history: true
  }
  const server = createServer((_req, res) => {
    const body = JSON.stringify(document)
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) })
    res.end(body)
  })
  const port = await listen(server)
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

const storage = async () => {
  if (STORE === "memory") return { layer: layerMemory, cleanup: () => {} }
  const { layerSqlite } = await import("@lindung/storage-sql")
  const dir = mkdtempSync(join(tmpdir(), "lindung-bench-"))
  return {
    layer: layerSqlite({ filename: join(dir, "bench.db") }),
    cleanup: () => rmSync(dir, { recursive: true, force: true })
  }
}

/** The Lindung server on 127.0.0.1 with request logs on (written nowhere), over the chosen store. */
const lindung = async () => {
  const store = await storage()
  let server: Server | undefined
  const layer = LindungServer.layer({ agencies, auth, docs: false }).pipe(
    Layer.provide(store.layer),
    Layer.provide(
      NodeHttpServer.layer(
        () => {
          server = createServer()
          return server
        },
        { port: 0, host: HOST }
      )
    ),
    Layer.provide(Logger.layer([]))
  )
  const fiber = Effect.runFork(Layer.launch(layer))
  while (server?.listening !== true) await new Promise((resolve) => setTimeout(resolve, 10))
  const address = server.address()
  const port = typeof address === "object" && address !== null ? address.port : 0
  return {
    port,
    close: async () => {
      await Effect.runPromise(Fiber.interrupt(fiber))
      store.cleanup()
    }
  }
}

const post = (port: number, path: string, token: string, body: unknown, key?: string) =>
  new Promise<number>((resolve, reject) => {
    const text = JSON.stringify(body)
    const req = request(
      {
        host: HOST,
        port,
        method: "POST",
        path,
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(text),
          ...(key === undefined ? {} : { "idempotency-key": key })
        }
      },
      (res) => {
        res.resume()
        res.on("end", () => resolve(res.statusCode ?? 0))
      }
    )
    req.on("error", reject)
    req.end(text)
  })

// ---------------------------------------------------------------------------------------------------------------
// Run
// ---------------------------------------------------------------------------------------------------------------

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })

const main = async () => {
  const intakeToken = await Effect.runPromise(Auth.sign(auth, intake, { expiresIn: "1h" }))
  const kasiToken = await Effect.runPromise(Auth.sign(auth, kasi, { expiresIn: "1h" }))
  const baseline = await bare()
  const server = await lindung()
  for (let i = 0; i < CASES; i++) {
    const status = await post(server.port, "/cases", intakeToken, {
      caseId: caseId(i),
      subject: `subject-${i}`,
      sex: "female",
      ageAtReport: 9,
      region: "13.71.01",
      owner: "dinsos-13.71",
      source: "school",
      concerns: ["out-of-school"]
    })
    if (status !== 201) throw new Error(`registering case ${i} answered ${status}`)
  }

  const results: Array<readonly [string, Result]> = []
  const token = kasiToken
  results.push([
    "bare node:http GET (JSON)",
    await inWorker({ kind: "bare", port: baseline.port, token, seconds: SECONDS })
  ])
  results.push(["GET /cases/{id}", await inWorker({ kind: "get", port: server.port, token, seconds: SECONDS })])
  results.push([
    "POST /cases/{id}/commands",
    await inWorker({ kind: "command", port: server.port, token, seconds: SECONDS })
  ])
  await server.close()
  await baseline.close()

  const [base] = results
  const baseRps = base?.[1].rps ?? Number.NaN
  console.log(
    `\nLindung HTTP benchmark — store: ${STORE}, ${CONNECTIONS} connections, ${SECONDS} s per scenario (+${WARMUP_SECONDS} s warm-up), 127.0.0.1, Node ${process.version}\n`
  )
  console.log("| scenario | requests | req/s | p50 ms | p99 ms | errors | req/s vs bare |")
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
  for (const [name, r] of results) {
    console.log(
      `| ${name} | ${fmt(r.requests)} | ${fmt(r.rps)} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${r.errors} | ${fmt(r.rps / baseRps, 3)} |`
    )
  }
  const failed = results.some(([, r]) => r.errors > 0)
  if (failed) process.exitCode = 1
}

if (isMainThread) {
  await main()
} else {
  const scenario = workerData as Scenario
  parentPort?.postMessage(await load(targetOf(scenario), scenario.seconds))
}
