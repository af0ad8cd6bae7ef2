/**
 * Benchmarks of the SQL store (not tests): `npm run bench` in packages/storage-sql, or
 * `node bench/run.ts [--cases=50000] [--commands=2000] [--queries=300] [--runs=3] [--pg=postgres://…|--no-pg]
 * [--no-peers] [--only=append|query|import] [--import-cases=20000] [--databases=sqlite,pg] [--load-writers=4] [--append-writers=N]
 * [--append-batch-size=N] [--partition-by-province] [--seed=1] [--write]`; `--write` puts the report into
 * docs/benchmarks.md between `<!-- bench:storage-sql -->` markers.
 *
 * 1. Append throughput, on a SQLite file and on PostgreSQL, side by side in one run, with 1, 4 and 16 concurrent
 *    writers (cases split among them; each case's commands in order), each figure `--runs` times on a new database:
 *    - raw INSERT of the same rows through the same driver (same table shape, JSON bodies and hashes), one
 *      transaction per command — the floor;
 *    - Emmett's event store (`bench/peers.ts`; SQLite with one writer only), one stream per case, the same encoded
 *      events, optimistic concurrency on the stream version — the peer a team would pick instead;
 *    - `EventStore.append` of one command's events per transaction (the store alone);
 *    - `CaseRepository.execute`, one command per transaction (load, decide, append).
 * 2. Bulk import: `CaseService.importReports` of `--import-cases` new reports of one kabupaten/kota, in atomic calls
 *    of `EventStore.MAX_APPEND_ALL`, every report checked (access, a new subject, its key, the decider).
 * 3. Query latency (p50/p95) over a generated data set of `--cases` cases across the 38 provinces
 *    (`generate.ts`), loaded through `EventStore.appendAll` (calls of `MAX_APPEND_ALL` cases, `--load-writers` at once):
 *    - "overdue tinggi cases in a province": `CaseIndex.query` with region = provinsi, risks = [tinggi],
 *      dueBefore = now, first page of 50;
 *    - "counts by category × stage for one kota": `CaseIndex.count` with region = kota, by = [ampk, stage];
 *    - "one case's history": `EventStore.load` of a case drawn at random.
 *
 * `--partition-by-province` runs PostgreSQL with its events partitioned by province (`partitionByProvince`).
 *
 * PostgreSQL runs in a new schema that is dropped at the end; the SQLite files live in a temporary directory that
 * is removed. `LINDUNG_PG_URL` is the default PostgreSQL URL; without one, PostgreSQL is skipped.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { cpus, freemem, release, tmpdir, totalmem } from "node:os"
import { join } from "node:path"
import { performance } from "node:perf_hooks"
import { median, writeBlock } from "../../../scripts/bench-docs.ts"
import {
  CaseEvent,
  CaseIndex,
  CaseRepository,
  CaseService,
  DateTime,
  Directory,
  Effect,
  EventStore,
  IdentityKeys,
  Integrity,
  Layer,
  ManagedRuntime,
  Person,
  Result,
  SqlClient,
  SqlStorage
} from "./deps.ts"
import {
  caseEntry,
  checkCodes,
  type Decided,
  decideAll,
  directory,
  importFor,
  kotas,
  provinces,
  random
} from "./generate.ts"
import { loadPeers, type PeerStore, type Peers } from "./peers.ts"

// ---------------------------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------------------------

const argument = (name: string): string | undefined => {
  const prefix = `--${name}=`
  return process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length)
}
const flag = (name: string): boolean => process.argv.includes(`--${name}`)
const number = (name: string, fallback: number): number => {
  const value = argument(name)
  const parsed = value === undefined ? fallback : Number(value.replace(/_/g, ""))
  if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`--${name} must be a positive number`)
  return Math.floor(parsed)
}

const options = {
  cases: number("cases", 50_000),
  commands: number("commands", 2_000),
  queries: number("queries", 300),
  seed: number("seed", 1),
  pg: flag("no-pg") ? undefined : (argument("pg") ?? process.env.LINDUNG_PG_URL),
  only: argument("only") as "append" | "query" | "import" | undefined,
  /** Reports of the bulk import benchmark (`CaseService.importReports`). */
  importCases: number("import-cases", 20_000),
  runs: number("runs", 3),
  /** Concurrent `appendAll` calls of the loader (4 was the fastest on PostgreSQL on 2 vCPUs; SQLite writes one at a time). */
  loadWriters: number("load-writers", 4),
  /** PostgreSQL's `appendWriters` (group-commit transactions in flight); the adapter's default when absent. */
  appendWriters: argument("append-writers") === undefined ? undefined : number("append-writers", 1),
  /** `appendBatchSize` (the most appends in one transaction); the adapter's default when absent. */
  appendBatchSize: argument("append-batch-size") === undefined ? undefined : number("append-batch-size", 64),
  databases: (argument("databases") ?? "sqlite,pg").split(","),
  /** PostgreSQL's `partitionByProvince`: the events partitioned by their case's home province. */
  partitioned: flag("partition-by-province"),
  peers: !flag("no-peers")
}

// ---------------------------------------------------------------------------------------------------------------
// Targets
// ---------------------------------------------------------------------------------------------------------------

interface Target {
  readonly name: string
  /** A config for a new, empty database. */
  readonly fresh: () => SqlStorage.Config
  readonly cleanup: () => Promise<void>
}

const keyring = IdentityKeys.keyring(IdentityKeys.generate("bench"))
const directoryRoot = mkdtempSync(join(tmpdir(), "lindung-bench-"))
let fileCounter = 0
const schemas: Array<string> = []

const sqliteTarget: Target = {
  name: "SQLite file (WAL, synchronous=FULL)",
  fresh: () => ({ dialect: "sqlite", filename: join(directoryRoot, `bench-${++fileCounter}.db`), keyring }),
  cleanup: async () => rmSync(directoryRoot, { recursive: true, force: true })
}

const pgTarget = (url: string): Target => ({
  name: options.partitioned ? "PostgreSQL, events partitioned by province" : "PostgreSQL",
  fresh: () => {
    const schema = `lindung_bench_${Date.now().toString(36)}_${schemas.length}`
    schemas.push(schema)
    return { dialect: "pg", url, schema, keyring, maxConnections: 16 }
  },
  cleanup: async () => {
    const runtime = ManagedRuntime.make(SqlStorage.clientLayer({ dialect: "pg", url, keyring }))
    await runtime.runPromise(
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        for (const schema of schemas) yield* sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
      })
    )
    await runtime.dispose()
  }
})

/** A runtime with the five ports, the repository and the raw client, on a new database. */
const open = (target: Target) => {
  const config = target.fresh()
  const client = SqlStorage.clientLayer(config)
  const tuning = {
    ...(config.dialect === "pg" && options.appendWriters !== undefined ? { appendWriters: options.appendWriters } : {}),
    ...(config.dialect === "pg" && options.partitioned ? { partitionByProvince: true } : {}),
    ...(options.appendBatchSize === undefined ? {} : { appendBatchSize: options.appendBatchSize })
  }
  const store = SqlStorage.layerFromClient({ keyring: config.keyring ?? keyring, ...tuning }).pipe(
    Layer.provideMerge(client)
  )
  const repository = CaseRepository.layer({ agencies: directory() }).pipe(Layer.provideMerge(store))
  return ManagedRuntime.make(repository)
}

// ---------------------------------------------------------------------------------------------------------------
// Measuring
// ---------------------------------------------------------------------------------------------------------------

const time = async (run: () => Promise<unknown>): Promise<number> => {
  const start = performance.now()
  await run()
  return performance.now() - start
}

const percentile = (sorted: ReadonlyArray<number>, p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN

const fixed = (n: number, digits = 1) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
const whole = (n: number) => Math.round(n).toLocaleString("en-US")

// ---------------------------------------------------------------------------------------------------------------
// Append throughput
// ---------------------------------------------------------------------------------------------------------------

/** The rows the adapter writes for these requests (bodies and hashes as it computes them), grouped per request. */
const rowsOf = (requests: ReadonlyArray<EventStore.AppendRequest>) => {
  const previous = new Map<string, string>()
  let position = 0
  return requests.map((request) =>
    request.events.map((event) => {
      const encoded = CaseEvent.encode(event)
      const previousHash = previous.get(event.caseId) ?? Integrity.GENESIS
      const hash = Integrity.link(previousHash, encoded)
      previous.set(event.caseId, hash)
      return {
        position: ++position,
        caseId: event.caseId,
        version: event.version,
        eventId: event.eventId,
        type: event.type,
        body: Integrity.canonicalJson(encoded),
        previousHash,
        hash
      }
    })
  )
}

type Runtime = ReturnType<typeof open>

/** Splits the cases among `writers` workers (case i to worker i mod writers), each a list of its items in order. */
const partition = <A>(cases: ReadonlyArray<ReadonlyArray<A>>, writers: number): ReadonlyArray<ReadonlyArray<A>> =>
  Array.from({ length: writers }, (_, worker) => cases.filter((_, i) => i % writers === worker).flat())

/** Raw INSERTs of the same rows, one transaction per group, by `writers` concurrent workers. */
const rawInsert = (runtime: Runtime, groups: ReadonlyArray<ReadonlyArray<ReturnType<typeof rowsOf>[number]>>) =>
  runtime.runPromise(
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const pg = sql.onDialectOrElse({ pg: () => true, orElse: () => false })
      yield* sql.unsafe(`CREATE TABLE bench_raw_events (
        position BIGINT PRIMARY KEY, case_id TEXT NOT NULL, version INTEGER NOT NULL, event_id TEXT NOT NULL,
        event_type TEXT NOT NULL, body ${pg ? "JSONB" : "TEXT"} NOT NULL, previous_hash TEXT NOT NULL, hash TEXT NOT NULL,
        UNIQUE (case_id, version))`)
      const started = performance.now()
      yield* Effect.forEach(
        groups,
        (worker) =>
          Effect.forEach(
            worker,
            (rows) =>
              sql.withTransaction(
                sql`INSERT INTO bench_raw_events (position, case_id, version, event_id, event_type, body, previous_hash, hash) VALUES ${sql.join(
                  ", ",
                  false
                )(
                  rows.map(
                    (r) =>
                      sql`(${r.position}, ${r.caseId}, ${r.version}, ${r.eventId}, ${r.type}, ${pg ? sql`${r.body}::jsonb` : sql`${r.body}`}, ${r.previousHash}, ${r.hash})`
                  )
                )}`
              ),
            { discard: true }
          ),
        { concurrency: "unbounded", discard: true }
      )
      return performance.now() - started
    })
  )

/** What one measurement ran: who, how many concurrent writers, how much. */
interface AppendFigures {
  readonly target: string
  readonly what: "raw INSERT" | "Emmett appendToStream" | "Lindung EventStore.append" | "Lindung CaseRepository.execute"
  readonly writers: number
  readonly transactions: number
  readonly events: number
  /** One duration per run (ms). */
  readonly ms: ReadonlyArray<number>
}

const eventCount = (requests: ReadonlyArray<EventStore.AppendRequest>) =>
  requests.reduce((n, request) => n + request.events.length, 0)

/** Emmett's store on a database of the target, opened once per benchmark run (see `PeerStore`). */
const emmettStores = new Map<string, Promise<PeerStore>>()
const emmettDatabases: Array<string> = []

/** One statement on the PostgreSQL server, outside any transaction (CREATE / DROP DATABASE). */
const adminQuery = async (statement: string) => {
  const runtime = ManagedRuntime.make(SqlStorage.clientLayer({ dialect: "pg", url: String(options.pg), keyring }))
  await runtime.runPromise(Effect.flatMap(Effect.service(SqlClient.SqlClient), (sql) => sql.unsafe(statement)))
  await runtime.dispose()
}

/** Closes Emmett's stores and drops their databases. */
const closeEmmett = async () => {
  for (const store of emmettStores.values()) await store.then((opened) => opened.close()).catch(() => undefined)
  emmettStores.clear()
  for (const database of emmettDatabases.splice(0)) await adminQuery(`DROP DATABASE IF EXISTS ${database}`)
}
const emmettStore = (target: Target, peers: Exclude<Peers, { readonly missing: string }>): Promise<PeerStore> => {
  let store = emmettStores.get(target.name)
  if (store === undefined) {
    const config = target.fresh()
    store =
      config.dialect === "sqlite"
        ? peers.sqlite(config.filename)
        : (async () => {
            // A database of its own: Emmett's schema migration looks for its functions in every schema of the
            // database (pg_proc by name), so a second Emmett schema in one database would not get them.
            const database = `lindung_bench_emmett_${Date.now().toString(36)}`
            await adminQuery(`CREATE DATABASE ${database}`)
            emmettDatabases.push(database)
            const url = new URL(String(options.pg))
            url.pathname = `/${database}`
            return peers.pg(url.toString())
          })()
    emmettStores.set(target.name, store)
  }
  return store
}

const appendBenchmark = async (
  target: Target,
  cases: ReadonlyArray<ReadonlyArray<Decided>>,
  peers: Peers
): Promise<Array<AppendFigures>> => {
  const figures: Array<AppendFigures> = []
  const requests = cases.map((list) => list.map((d) => d.request))
  const transactions = cases.reduce((n, list) => n + list.length, 0)
  const events = eventCount(requests.flat())
  // The rows the adapter writes, per case (positions numbered across all cases, as one store would).
  const flatRows = rowsOf(requests.flat())
  let taken = 0
  const rowsByCase = requests.map((list) => {
    const rows = flatRows.slice(taken, taken + list.length)
    taken += list.length
    return rows
  })
  const measure = async (what: AppendFigures["what"], writers: number, once: () => Promise<number>) => {
    const ms: Array<number> = []
    for (let run = 0; run < options.runs; run++) ms.push(await once())
    figures.push({ target: target.name, what, writers, transactions, events, ms })
  }

  for (const writers of [1, 4, 16]) {
    // The floor: the same rows, inserted raw.
    await measure("raw INSERT", writers, async () => {
      const runtime = open(target)
      const ms = await rawInsert(runtime, partition(rowsByCase, writers))
      await runtime.dispose()
      return ms
    })
    // The peer: Emmett, one stream per case (Emmett's SQLite store shares one connection: one writer only).
    const emmett = "missing" in peers ? undefined : await emmettStore(target, peers)
    if (emmett !== undefined && (writers === 1 || !target.name.startsWith("SQLite"))) {
      await measure("Emmett appendToStream", writers, async () => {
        await emmett.reset()
        const byWorker = partition(requests, writers)
        const started = performance.now()
        await Promise.all(
          byWorker.map(async (list) => {
            for (const request of list) {
              await emmett.append(
                request.caseId,
                request.events.map((event) => ({ type: event.type, data: CaseEvent.encode(event) })),
                request.expectedVersion
              )
            }
          })
        )
        return performance.now() - started
      })
    }
    // Lindung: the store alone, then the repository (load, decide, append).
    await measure("Lindung EventStore.append", writers, async () => {
      const runtime = open(target)
      await runtime.runPromise(Effect.void)
      const byWorker = partition(requests, writers)
      const ms = await time(() =>
        runtime.runPromise(
          Effect.gen(function* () {
            const store = yield* EventStore.EventStore
            yield* Effect.forEach(byWorker, (list) => Effect.forEach(list, store.append, { discard: true }), {
              concurrency: "unbounded",
              discard: true
            })
          })
        )
      )
      await runtime.dispose()
      return ms
    })
    await measure("Lindung CaseRepository.execute", writers, async () => {
      const runtime = open(target)
      await runtime.runPromise(Effect.void)
      const byWorker = partition(
        cases.map((list) => list.map((d) => d.command)),
        writers
      )
      const ms = await time(() =>
        runtime.runPromise(
          Effect.gen(function* () {
            const repository = yield* CaseRepository.CaseRepository
            yield* Effect.forEach(
              byWorker,
              (list) =>
                Effect.forEach(list, ([command, actor]) => repository.execute(command, actor), { discard: true }),
              { concurrency: "unbounded", discard: true }
            )
          })
        )
      )
      await runtime.dispose()
      return ms
    })
  }
  return figures
}

// ---------------------------------------------------------------------------------------------------------------
// Query latency
// ---------------------------------------------------------------------------------------------------------------

interface QueryFigures {
  readonly target: string
  readonly cases: number
  readonly loadMs: number
  readonly rows: ReadonlyArray<{
    readonly query: string
    readonly p50: number
    readonly p95: number
    readonly mean: number
    readonly results: number
  }>
}

const queryBenchmark = async (
  target: Target,
  caseCount: number,
  queries: number,
  seed: number
): Promise<QueryFigures> => {
  const runtime = open(target)
  const nowMs = Date.parse("2026-06-01T00:00:00Z")
  const template = decideAll(1, seed)[0]?.[0]?.request.events[0]
  if (template === undefined) throw new Error("no template event")
  const rng = random(seed + 1)
  const loadMs = await time(() =>
    runtime.runPromise(
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        // The bulk path: `appendAll` calls of up to MAX_APPEND_ALL new cases, `--load-writers` of them at once.
        let loaded = 0
        const chunks = Math.ceil(caseCount / EventStore.MAX_APPEND_ALL)
        yield* Effect.forEach(
          Array.from({ length: chunks }, (_, chunk) => chunk),
          (chunk) =>
            Effect.suspend(() => {
              const from = chunk * EventStore.MAX_APPEND_ALL
              const requests = Array.from({ length: Math.min(EventStore.MAX_APPEND_ALL, caseCount - from) }, (_, i) => {
                const { entry, event } = caseEntry(rng, from + i, nowMs, template)
                return { caseId: entry.caseId, expectedVersion: 0, events: [event], index: entry }
              })
              return Effect.tap(store.appendAll(requests), () =>
                Effect.sync(() => {
                  const before = loaded
                  loaded += requests.length
                  if (Math.floor(loaded / 50_000) > Math.floor(before / 50_000)) {
                    process.stderr.write(`  ${target.name}: loaded ${loaded} cases\n`)
                  }
                })
              )
            }),
          { concurrency: options.loadWriters, discard: true }
        )
      })
    )
  )
  // Fresh statistics for the planner, as an operator's maintenance would keep them.
  await runtime.runPromise(
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      // PostgreSQL: VACUUM too, as autovacuum does after inserts, so the visibility map lets index-only scans skip
      // the table.
      yield* sql.onDialectOrElse({ pg: () => sql`VACUUM ANALYZE`, orElse: () => sql`ANALYZE` })
    })
  )
  const dueBefore = DateTime.makeUnsafe(nowMs)
  const pickRng = random(seed + 2)
  const weightedProvince = () => pickRng.weighted(provinces.map(([code, population]) => [code, population] as const))
  const measure = async (
    name: string,
    make: () => Effect.Effect<number, unknown, CaseIndex.CaseIndex | EventStore.EventStore>
  ) => {
    for (let i = 0; i < 20; i++) await runtime.runPromise(make())
    const samples: Array<number> = []
    let results = 0
    for (let i = 0; i < queries; i++) {
      const query = make()
      const start = performance.now()
      results += await runtime.runPromise(query)
      samples.push(performance.now() - start)
    }
    samples.sort((a, b) => a - b)
    return {
      query: name,
      p50: percentile(samples, 50),
      p95: percentile(samples, 95),
      mean: samples.reduce((a, b) => a + b, 0) / samples.length,
      results: results / queries
    }
  }
  const overdueTinggi = await measure("overdue tinggi cases in a province (first page of 50)", () => {
    const region = weightedProvince()
    return Effect.flatMap(Effect.service(CaseIndex.CaseIndex), (index) =>
      Effect.map(
        index.query({ filter: { region: region as never, risks: ["tinggi"], dueBefore }, limit: 50 }),
        (page) => page.entries.length
      )
    )
  })
  const countsByKota = await measure("counts by category (AMPK) × stage for one kota", () => {
    const kota = pickRng.pick(kotas)
    return Effect.flatMap(Effect.service(CaseIndex.CaseIndex), (index) =>
      Effect.map(index.count({ filter: { region: kota as never }, by: ["ampk", "stage"] }), (rows) => rows.length)
    )
  })
  const history = await measure("one case's history (EventStore.load)", () =>
    Effect.flatMap(Effect.service(EventStore.EventStore), (store) =>
      Effect.map(
        store.load(`case-${String(pickRng.int(0, caseCount - 1)).padStart(8, "0")}` as never),
        (events) => events.length
      )
    )
  )
  await runtime.dispose()
  return { target: target.name, cases: caseCount, loadMs, rows: [overdueTinggi, countsByKota, history] }
}

// ---------------------------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------------------------

const describeMachine = async (targets: ReadonlyArray<Target>) => {
  const versions: Array<string> = []
  for (const target of targets) {
    const runtime = ManagedRuntime.make(SqlStorage.clientLayer(target.fresh()))
    versions.push(
      await runtime.runPromise(
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          const rows = yield* sql.onDialectOrElse({
            pg: () => sql<{ v: string }>`SELECT version() AS v`,
            orElse: () => sql<{ v: string }>`SELECT 'SQLite ' || sqlite_version() AS v`
          })
          return String(rows[0]?.v ?? "?")
        })
      )
    )
    await runtime.dispose()
  }
  const cpu = cpus()
  return [
    `CPU: ${cpu[0]?.model ?? "?"} × ${cpu.length}`,
    `Memory: ${fixed(totalmem() / 2 ** 30)} GiB (${fixed(freemem() / 2 ** 30)} GiB free at start)`,
    `OS: Linux ${release()}`,
    `Node: ${process.version}`,
    ...versions.map((v) => `Database: ${v.split(",")[0]}`)
  ]
}

// ---------------------------------------------------------------------------------------------------------------
// Bulk import through the case service
// ---------------------------------------------------------------------------------------------------------------

interface ImportFigures {
  readonly target: string
  readonly reports: number
  readonly ms: ReadonlyArray<number>
}

/**
 * `CaseService.importReports` of `count` new reports of one kabupaten/kota, in calls of `EventStore.MAX_APPEND_ALL`
 * (`--load-writers` at once), each report checked as `lindung import` checks it: the importer's access, a new
 * subject (the subject filter and the identity vault read per report), its key, and the decider.
 */
const importBenchmark = async (target: Target, count: number, seed: number): Promise<ImportFigures> => {
  const { dinas, items } = importFor(random(seed + 3), count)
  const importer = Person.make({ id: dinas.intake.id, agency: dinas.agency.id, role: "intake-officer" })
  const snapshot = Result.getOrThrow(Directory.make(directory(), [importer]))
  const actor = Person.actorOf(importer, dinas.agency)
  const ms: Array<number> = []
  for (let run = 0; run < options.runs; run++) {
    const config = target.fresh()
    const layer = CaseService.layer().pipe(
      Layer.provide(Directory.layer(snapshot)),
      Layer.provideMerge(SqlStorage.layerFromClient({ keyring })),
      Layer.provide(SqlStorage.clientLayer(config))
    )
    const runtime = ManagedRuntime.make(layer)
    await runtime.runPromise(Effect.void)
    const chunks = Array.from({ length: Math.ceil(count / EventStore.MAX_APPEND_ALL) }, (_, i) =>
      items.slice(i * EventStore.MAX_APPEND_ALL, (i + 1) * EventStore.MAX_APPEND_ALL)
    )
    ms.push(
      await time(() =>
        runtime.runPromise(
          Effect.gen(function* () {
            const cases = yield* CaseService.CaseService
            yield* Effect.forEach(chunks, (chunk) => cases.importReports(actor, chunk), {
              concurrency: options.loadWriters,
              discard: true
            })
          })
        )
      )
    )
    await runtime.dispose()
  }
  return { target: target.name, reports: count, ms }
}

/** The lines printed, and written into docs/benchmarks.md with `--write`. */
const report: Array<string> = []
const say = (line: string) => {
  report.push(line)
  console.log(line)
}

const main = async () => {
  checkCodes()
  const targets = [
    ...(options.databases.includes("sqlite") ? [sqliteTarget] : []),
    ...(options.pg === undefined || !options.databases.includes("pg") ? [] : [pgTarget(options.pg)])
  ]
  const machine = await describeMachine(targets)
  say(`Measured ${new Date().toISOString().slice(0, 10)}:\n`)
  for (const line of machine) say(`- ${line}`)
  say(
    `- Options: cases=${options.cases}, commands=${options.commands}, queries=${options.queries}, runs=${options.runs}, seed=${options.seed}${options.pg === undefined ? " (PostgreSQL skipped: no LINDUNG_PG_URL)" : ""}`
  )
  const results: { append: Array<AppendFigures>; query: Array<QueryFigures>; import: Array<ImportFigures> } = {
    append: [],
    query: [],
    import: []
  }

  if (options.only === undefined || options.only === "append") {
    const caseCount = Math.max(1, Math.round(options.commands / 5))
    const decided = decideAll(caseCount, options.seed)
    const peers: Peers = options.peers ? await loadPeers() : { missing: "--no-peers" }
    say("\n#### Append throughput\n")
    if ("missing" in peers) say(`(Emmett skipped: ${peers.missing})\n`)
    say(
      `${whole(caseCount)} cases × 5 commands. Transactions (commands) per second, the median of ${options.runs} runs (lowest–highest in brackets); the ratios are of the medians, to the raw INSERT and to Emmett with as many writers.\n`
    )
    say("| Database | Writers | What | tx/s | events/s | ÷ raw | ÷ Emmett |")
    say("|---|---:|---|---:|---:|---:|---:|")
    for (const target of targets) {
      const figures = await appendBenchmark(target, decided, peers)
      results.append.push(...figures)
      const rate = (f: AppendFigures) => f.transactions / (median(f.ms) / 1000)
      for (const f of figures) {
        const raw = figures.find((g) => g.what === "raw INSERT" && g.writers === f.writers)
        const emmett = figures.find((g) => g.what === "Emmett appendToStream" && g.writers === f.writers)
        const rates = f.ms.map((ms) => f.transactions / (ms / 1000)).sort((a, b) => a - b)
        const ratio = (peer: AppendFigures | undefined) =>
          peer === undefined || peer === f ? "–" : fixed(rate(f) / rate(peer), 2)
        say(
          `| ${f.target} | ${f.writers} | ${f.what} | ${whole(rate(f))} (${whole(rates[0] ?? 0)}–${whole(rates.at(-1) ?? 0)}) | ${whole(f.events / (median(f.ms) / 1000))} | ${ratio(raw)} | ${ratio(emmett)} |`
        )
      }
    }
  }

  if (options.only === undefined || options.only === "import") {
    say(`\n#### Bulk import through the case service (${whole(options.importCases)} reports)\n`)
    say(
      `\`CaseService.importReports\` in calls of ${whole(EventStore.MAX_APPEND_ALL)} reports (each one atomic \`EventStore.appendAll\`), ${options.loadWriters} calls at once; every report checked (access, a new subject, its key, the decider). The median of ${options.runs} runs (lowest–highest).\n`
    )
    say("| Database | Reports/s |")
    say("|---|---:|")
    for (const target of targets) {
      const f = await importBenchmark(target, options.importCases, options.seed)
      results.import.push(f)
      const rates = f.ms.map((ms) => f.reports / (ms / 1000)).sort((a, b) => a - b)
      say(
        `| ${f.target} | ${whole(f.reports / (median(f.ms) / 1000))} (${whole(rates[0] ?? 0)}–${whole(rates.at(-1) ?? 0)}) |`
      )
    }
  }

  if (options.only === undefined || options.only === "query") {
    say(`\n#### Query latency (${whole(options.cases)} cases, ${options.queries} queries each)\n`)
    say(
      "| Database | Load through appendAll (cases/s) | Query | p50 (ms) | p95 (ms) | mean (ms) | Rows returned (avg) |"
    )
    say("|---|---:|---|---:|---:|---:|---:|")
    for (const target of targets) {
      const f = await queryBenchmark(target, options.cases, options.queries, options.seed)
      results.query.push(f)
      for (const row of f.rows) {
        say(
          `| ${f.target} | ${whole(f.cases / (f.loadMs / 1000))} | ${row.query} | ${fixed(row.p50, 2)} | ${fixed(row.p95, 2)} | ${fixed(row.mean, 2)} | ${fixed(row.results)} |`
        )
      }
    }
  }
  console.log(
    `\n<!-- ${JSON.stringify({ machine, options: { ...options, pg: options.pg === undefined ? null : "set" }, results })} -->`
  )
  // Only a whole run replaces the block: a partial one (one part, one database) is printed, not written.
  const complete = options.only === undefined && targets.length === 2
  if (flag("write") && complete) writeBlock("storage-sql", report)
  else if (flag("write")) console.error("a partial run (--only, --databases or no PostgreSQL): docs not written")
  await closeEmmett()
  for (const target of targets) await target.cleanup()
}

main().catch(async (error) => {
  console.error(error)
  await closeEmmett().catch(() => undefined)
  for (const target of [sqliteTarget, ...(options.pg === undefined ? [] : [pgTarget(options.pg)])]) {
    await target.cleanup().catch(() => undefined)
  }
  process.exitCode = 1
})
