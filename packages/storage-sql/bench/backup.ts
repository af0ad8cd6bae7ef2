/**
 * Benchmark of backup and restore (not a test): how long `lindung backup` and `lindung restore` take on a store of
 * `--cases` generated cases (default 50,000; `generate.ts`, one registration each, with their index entries and
 * dashboard counters). SQLite: `Backup.backupSqlite` (the online backup API of `node:sqlite`, consistent while the
 * store is in use) beside a plain copy of the file (`copyFileSync`, the floor: consistent only when nothing writes),
 * then `Backup.restoreSqlite` into a new file. PostgreSQL (when `LINDUNG_PG_URL` is set): `Backup.backupPg` of the
 * store's own schema (`pg_dump --format=custom`), the schema dropped, and `Backup.restorePg` (`pg_restore`, one
 * transaction). `--runs` loads (default 3), each timed on a new store; `--write` puts the table into
 * docs/benchmarks.md between `<!-- bench:backup -->` markers.
 *
 * Run: `node bench/backup.ts` from this package after building (`npm run bench` at the root builds first).
 */
import { copyFileSync, mkdtempSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { performance } from "node:perf_hooks"
import { median, writeBlock } from "../../../scripts/bench-docs.ts"
import { Backup, Effect, IdentityKeys, ManagedRuntime, SqlClient, SqlStorage } from "./deps.ts"
import { loadCases } from "./generate.ts"

const argument = (name: string): string | undefined =>
  process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3)
const CASES = Number(argument("cases") ?? 50_000)
const RUNS = Number(argument("runs") ?? 3)
const PG_URL = process.env.LINDUNG_PG_URL
const nowMs = Date.parse("2026-06-01T00:00:00Z")
const keyring = IdentityKeys.keyring(IdentityKeys.generate("bench"))

/** Fills a new store with the generated cases, through the bulk path. */
const load = async (config: SqlStorage.Config, seed: number) => {
  const runtime = ManagedRuntime.make(SqlStorage.layer(config))
  try {
    await runtime.runPromise(loadCases(CASES, seed, nowMs))
  } finally {
    await runtime.dispose()
  }
}

const seconds = async (work: () => Promise<unknown> | unknown): Promise<number> => {
  const started = performance.now()
  await work()
  return (performance.now() - started) / 1000
}

interface Run {
  readonly bytes: number
  readonly copy?: number
  readonly backup: number
  readonly restore: number
}

const sqliteRun = async (index: number): Promise<Run> => {
  const root = mkdtempSync(join(tmpdir(), "lindung-bench-backup-"))
  try {
    const filename = join(root, "store.db")
    await load({ dialect: "sqlite", filename, keyring }, index + 1)
    const copy = await seconds(() => copyFileSync(filename, join(root, "copy.db")))
    const backup = await seconds(() => Effect.runPromise(Backup.backupSqlite(filename, join(root, "backup.db"))))
    const restore = await seconds(() =>
      Effect.runPromise(Backup.restoreSqlite(join(root, "backup.db"), join(root, "restored.db")))
    )
    return { bytes: statSync(join(root, "backup.db")).size, copy, backup, restore }
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}

const pgRun = async (url: string, index: number): Promise<Run> => {
  const root = mkdtempSync(join(tmpdir(), "lindung-bench-backup-pg-"))
  const schema = `lindung_bench_backup_${Date.now().toString(36)}_${index}`
  const admin = ManagedRuntime.make(SqlStorage.clientLayer({ dialect: "pg", url, keyring }))
  const drop = () =>
    admin.runPromise(
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        yield* sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
      })
    )
  try {
    await load({ dialect: "pg", url, schema, keyring }, index + 1)
    const dump = join(root, "store.dump")
    const backup = await seconds(() => Effect.runPromise(Backup.backupPg(url, dump, schema)))
    await drop()
    const restore = await seconds(() => Effect.runPromise(Backup.restorePg(dump, url)))
    return { bytes: statSync(dump).size, backup, restore }
  } finally {
    await drop()
    await admin.dispose()
    rmSync(root, { recursive: true, force: true })
  }
}

const sqlite: Array<Run> = []
const pg: Array<Run> = []
for (let index = 0; index < RUNS; index++) {
  sqlite.push(await sqliteRun(index))
  if (PG_URL !== undefined && PG_URL !== "") pg.push(await pgRun(PG_URL, index))
  console.error(`run ${index + 1} of ${RUNS} done`)
}

const spread = (values: ReadonlyArray<number>) =>
  `${median(values).toFixed(2)} (${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)})`
const megabytes = (runs: ReadonlyArray<Run>) => (median(runs.map((r) => r.bytes)) / 1e6).toFixed(1)
const lines = [
  `Measured ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ${CASES.toLocaleString("en-US")} generated cases (one registration each, with their index entries and counters), ${RUNS} runs each on a new store; seconds, the median (lowest–highest) of the runs.`,
  "",
  "| store | backup size (MB) | backup (s) | restore (s) | floor: file copy (s) | backup ÷ copy |",
  "| --- | ---: | ---: | ---: | ---: | ---: |",
  `| SQLite file (online backup API) | ${megabytes(sqlite)} | ${spread(sqlite.map((r) => r.backup))} | ${spread(sqlite.map((r) => r.restore))} | ${spread(sqlite.map((r) => r.copy ?? 0))} | ${(median(sqlite.map((r) => r.backup)) / median(sqlite.map((r) => r.copy ?? 0))).toFixed(1)} |`,
  ...(pg.length === 0
    ? []
    : [
        `| PostgreSQL (\`pg_dump\`/\`pg_restore\` of the store's schema) | ${megabytes(pg)} | ${spread(pg.map((r) => r.backup))} | ${spread(pg.map((r) => r.restore))} | — | — |`
      ])
]
console.log(lines.join("\n"))
if (process.argv.includes("--write")) writeBlock("backup", lines)
