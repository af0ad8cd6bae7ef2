/**
 * Benchmark of the Lindung HTTP server (not a test): requests per second and p50/p99 latency of `GET /cases/{id}`
 * and of a command `POST /cases/{id}/commands`, side by side in the same run with a bare `node:http` JSON endpoint
 * on the same machine, and the ratio. The load comes from autocannon (programmatic API) in the main thread; the
 * servers run in a worker thread, so the load generator does not share their event loop. Every server listens on
 * 127.0.0.1 only, and every scenario is bounded in time: a fixed number of keep-alive connections, each sending one
 * request after another, for a warm-up and then the measured duration.
 *
 * Run: `npm run bench -w @lindung/transport-http` after building the workspace packages it imports
 * (`npx turbo run build --filter=@lindung/transport-http...`), or `node bench/http.ts` from this package.
 * Options (environment): `BENCH_SECONDS` (default 5 per scenario), `BENCH_CONNECTIONS` (default 16),
 * `BENCH_STORE` (`memory` or `sqlite` for an embedded SQLite file in a temporary folder; default both, one after
 * the other), `BENCH_RUNS` (runs of every scenario on new servers, default 3). `--write` puts the table into
 * docs/benchmarks.md between `<!-- bench:http -->` markers.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { createServer, request, type Server } from "node:http"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { isMainThread, parentPort, Worker } from "node:worker_threads"
import { NodeHttpServer } from "@effect/platform-node"
import { Actor, Agency, Directory, Person } from "@lindung/core"
import { layerMemory } from "@lindung/storage-memory"
import { Auth, Server as LindungServer } from "@lindung/transport-http"
import autocannon from "autocannon"
import { Effect, Fiber, Layer, Logger, Result } from "effect"
import { median, writeBlock } from "../../../scripts/bench-docs.ts"

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16)
const STORE = process.env.BENCH_STORE === "sqlite" ? "sqlite" : "memory"
const STORES: ReadonlyArray<"memory" | "sqlite"> =
  process.env.BENCH_STORE === undefined ? ["memory", "sqlite"] : [STORE]
const RUNS = Number(process.env.BENCH_RUNS ?? 3)
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
/**
 * The caseworkers the command scenario assigns: people of the directory (only an active caseworker of the owner is
 * assigned). 4,999 of them over 200 cases: a (case, caseworker) pair comes round again only after 999,800 requests.
 */
const CASEWORKERS = 4_999
const caseworkerId = (n: number) => `peksos-bench-${n % CASEWORKERS}`
const directory = Result.getOrThrow(
  Directory.make(agencies, [
    Person.make({ id: intake.id, role: intake.role, agency: intake.agency }),
    Person.make({ id: kasi.id, role: kasi.role, position: "kasi", agency: kasi.agency }),
    ...Array.from({ length: CASEWORKERS }, (_, n) =>
      Person.make({ id: caseworkerId(n), role: "caseworker", agency: "dinsos-13.71" })
    )
  ])
)
const auth: Auth.Config = {
  issuer: "lindung-bench",
  audience: "lindung",
  keys: Auth.secret("bench-secret-of-at-least-32-bytes-0123456789")
}

const caseId = (i: number) => `case-${String(i % CASES).padStart(4, "0")}`

// ---------------------------------------------------------------------------------------------------------------
// Servers (in the worker thread)
// ---------------------------------------------------------------------------------------------------------------

/** Messages between the main thread and the servers' worker. */
type FromServers =
  | { readonly kind: "ready"; readonly bare: number; readonly lindung: number }
  | { readonly kind: "closed" }
type ToServers = { readonly kind: "close" }

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
  const layer = LindungServer.layer({ directory, auth, docs: false, authFailures: false }).pipe(
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

/** The worker's side: starts both servers, reports their ports, closes them when told to. */
const serve = async () => {
  const port = parentPort
  if (port === null) return
  const baseline = await bare()
  const server = await lindung()
  port.once("message", async (_message: ToServers) => {
    await server.close()
    await baseline.close()
    port.postMessage({ kind: "closed" } satisfies FromServers)
  })
  port.postMessage({ kind: "ready", bare: baseline.port, lindung: server.port } satisfies FromServers)
}

/** Starts the servers' worker and waits until both servers listen. */
const startServers = (store: "memory" | "sqlite") =>
  new Promise<{ readonly bare: number; readonly lindung: number; readonly close: () => Promise<void> }>(
    (resolve, reject) => {
      const worker = new Worker(new URL(import.meta.url), { env: { ...process.env, BENCH_STORE: store } })
      worker.once("error", reject)
      worker.once("message", (message: FromServers) => {
        if (message.kind !== "ready") return reject(new Error(`servers answered ${message.kind}`))
        resolve({
          bare: message.bare,
          lindung: message.lindung,
          close: async () => {
            const closed = new Promise<void>((done) => worker.once("message", () => done()))
            worker.postMessage({ kind: "close" } satisfies ToServers)
            await Promise.race([closed, new Promise((done) => setTimeout(done, 10_000))])
            await worker.terminate()
          }
        })
      })
    }
  )

// ---------------------------------------------------------------------------------------------------------------
// Load (in the main thread)
// ---------------------------------------------------------------------------------------------------------------

const AUTOCANNON_VERSION: string = createRequire(import.meta.url)("autocannon/package.json").version

const post = (port: number, path: string, token: string, body: unknown) =>
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
          "content-length": Buffer.byteLength(text)
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

interface Measured {
  readonly requests: number
  readonly rps: number
  readonly p50: number
  readonly p99: number
  /** Connection errors, timeouts and non-2xx answers, warm-up included. */
  readonly failed: number
}

/** One scenario: autocannon against 127.0.0.1:`port`, `WARMUP_SECONDS` of warm-up, then `SECONDS` measured. */
const measure = async (port: number, scenario: autocannon.Request): Promise<Measured> => {
  const result = await autocannon({
    url: `http://${HOST}:${port}`,
    connections: CONNECTIONS,
    duration: SECONDS,
    warmup: { connections: CONNECTIONS, duration: WARMUP_SECONDS },
    requests: [scenario]
  })
  const failures = (r: autocannon.Result | undefined) => (r === undefined ? 0 : r.errors + r.non2xx)
  return {
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: failures(result) + failures(result.warmup)
  }
}

/** The bare endpoint: always `GET /`. */
const bareScenario: autocannon.Request = { method: "GET", path: "/" }

/** `GET /cases/{id}` round-robin over the registered cases, as a supervisor of the owning Dinas. */
const getScenario = (token: string): autocannon.Request => {
  let i = 0
  return {
    method: "GET",
    path: "/cases/case-0000",
    headers: { authorization: `Bearer ${token}` },
    setupRequest: (req) => ({ ...req, path: `/cases/${caseId(i++)}` })
  }
}

/** `AssignCaseworker` round-robin over the cases: a new caseworker, a new body and a new Idempotency-Key each time. */
const commandScenario = (token: string): autocannon.Request => {
  let i = 0
  return {
    method: "POST",
    path: "/cases/case-0000/commands",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    setupRequest: (req) => {
      const n = i++
      const id = caseId(n)
      return {
        ...req,
        path: `/cases/${id}/commands`,
        headers: { ...req.headers, "idempotency-key": `bench-${process.pid}-${n}` },
        body: JSON.stringify({ _tag: "AssignCaseworker", caseId: id, caseworker: caseworkerId(n) })
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Run
// ---------------------------------------------------------------------------------------------------------------

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })

/** One run on new servers: the three scenarios, the bare endpoint first. */
const runOnce = async (store: "memory" | "sqlite", intakeToken: string, kasiToken: string) => {
  const servers = await startServers(store)
  const results: Array<readonly [string, Measured]> = []
  try {
    for (let i = 0; i < CASES; i++) {
      const status = await post(servers.lindung, "/cases", intakeToken, {
        caseId: caseId(i),
        sex: "female",
        ageAtReport: 9,
        region: "13.71.01",
        owner: "dinsos-13.71",
        source: "school",
        concerns: ["out-of-school"]
      })
      if (status !== 201) throw new Error(`registering case ${i} answered ${status}`)
    }
    results.push(["bare `node:http` GET (JSON)", await measure(servers.bare, bareScenario)])
    results.push(["`GET /cases/{id}`", await measure(servers.lindung, getScenario(kasiToken))])
    results.push(["`POST /cases/{id}/commands`", await measure(servers.lindung, commandScenario(kasiToken))])
  } finally {
    await servers.close()
  }
  return results
}

const main = async () => {
  const intakeToken = await Effect.runPromise(Auth.sign(auth, intake, { expiresIn: "1h" }))
  const kasiToken = await Effect.runPromise(Auth.sign(auth, kasi, { expiresIn: "1h" }))
  const lines: Array<string> = [
    `Measured ${new Date().toISOString().slice(0, 10)}: autocannon ${AUTOCANNON_VERSION}, ${CONNECTIONS} connections, ${SECONDS} s per scenario (+${WARMUP_SECONDS} s warm-up), ${RUNS} runs on new servers per store, 127.0.0.1, Node ${process.version}. req/s and latencies are the medians of the runs; the ratio is to the bare endpoint of the same run (median, lowest–highest). Latencies are autocannon's whole milliseconds, truncated (0 means under 1 ms).`,
    "",
    "| store | scenario | req/s | p50 ms | p99 ms | failed | req/s ÷ bare |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
  ]
  let failed = false
  for (const store of STORES) {
    const runs: Array<ReadonlyArray<readonly [string, Measured]>> = []
    for (let run = 0; run < RUNS; run++) runs.push(await runOnce(store, intakeToken, kasiToken))
    const names = (runs[0] ?? []).map(([name]) => name)
    names.forEach((name, index) => {
      const measured = runs.map((results) => results[index]?.[1] as Measured)
      const ratios = runs
        .map((results) => (results[index]?.[1].rps ?? Number.NaN) / (results[0]?.[1].rps ?? Number.NaN))
        .sort((a, b) => a - b)
      const failures = measured.reduce((n, m) => n + m.failed, 0)
      if (failures > 0) failed = true
      lines.push(
        `| ${store === "memory" ? "memory" : "SQLite file"} | ${name} | ${fmt(median(measured.map((m) => m.rps)))} | ${fmt(median(measured.map((m) => m.p50)))} | ${fmt(median(measured.map((m) => m.p99)))} | ${failures} | ${index === 0 ? "1" : `${fmt(median(ratios), 3)} (${fmt(ratios[0] ?? 0, 3)}–${fmt(ratios.at(-1) ?? 0, 3)})`} |`
      )
    })
  }
  console.log(`\n${lines.join("\n")}`)
  // Only a run of both stores replaces the block; one store's run (BENCH_STORE) is printed, not written.
  if (process.argv.includes("--write") && STORES.length === 2) writeBlock("http", lines)
  else if (process.argv.includes("--write")) console.error("one store only (BENCH_STORE): docs not written")
  if (failed) process.exitCode = 1
}

if (isMainThread) {
  await main()
} else {
  await serve()
}
