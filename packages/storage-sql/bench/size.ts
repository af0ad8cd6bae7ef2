/**
 * How much room the SQL store takes (not a test): `node bench/size.ts [--cases=2000] [--pg=postgres://…|--no-pg]`.
 * Writes `--cases` generated cases of 5 commands each (report, assign, outreach, first contact, assessment) through
 * `EventStore.append`, then reports the bytes per event and per case of every Lindung table, indexes included:
 * SQLite's file size (after a checkpoint) and PostgreSQL's `pg_total_relation_size` (after `VACUUM ANALYZE`). The
 * figures of docs/scale.md come from here.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect, EventStore, IdentityKeys, Layer, ManagedRuntime, SqlClient, SqlStorage } from "./deps.ts"
import { decideAll } from "./generate.ts"

const argument = (name: string) => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3)
const cases = Number(argument("cases") ?? 2_000)
const pg = process.argv.includes("--no-pg") ? undefined : (argument("pg") ?? process.env.LINDUNG_PG_URL)
const keyring = IdentityKeys.keyring(IdentityKeys.generate("size"))

/** Every command of every case, decided up front. */
const requests = decideAll(cases, 7).map((list) => list.map((decided) => decided.request))
const events = requests.flat().reduce((n, request) => n + request.events.length, 0)

/** The store and its client, on a new database. */
const open = (config: SqlStorage.Config) =>
  ManagedRuntime.make(SqlStorage.layerFromClient({ keyring }).pipe(Layer.provideMerge(SqlStorage.clientLayer(config))))

const fill = (runtime: ReturnType<typeof open>) =>
  runtime.runPromise(
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      yield* Effect.forEach(requests, (list) => Effect.forEach(list, store.append, { discard: true }), {
        concurrency: 16,
        discard: true
      })
    })
  )

const line = (name: string, bytes: number) =>
  console.log(
    `| ${name} | ${(bytes / 2 ** 20).toFixed(1)} MiB | ${Math.round(bytes / events)} | ${Math.round(bytes / cases)} |`
  )

console.log(`${cases} cases, ${events} events\n`)
console.log("| store | total | bytes per event | bytes per case |")
console.log("|---|---:|---:|---:|")
{
  const folder = mkdtempSync(join(tmpdir(), "lindung-size-"))
  const filename = join(folder, "size.db")
  const runtime = open({ dialect: "sqlite", filename, keyring })
  await fill(runtime)
  await runtime.runPromise(
    Effect.flatMap(Effect.service(SqlClient.SqlClient), (sql) => sql`PRAGMA wal_checkpoint(TRUNCATE)`)
  )
  await runtime.dispose()
  line("SQLite file", statSync(filename).size)
  rmSync(folder, { recursive: true, force: true })
}
if (pg !== undefined) {
  const schema = `lindung_size_${Date.now().toString(36)}`
  const runtime = open({ dialect: "pg", url: pg, schema, keyring, maxConnections: 16 })
  await fill(runtime)
  const tables = await runtime.runPromise(
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      yield* sql.unsafe("VACUUM ANALYZE")
      const rows = yield* sql<{ readonly name: string; readonly bytes: unknown }>`
        SELECT c.relname AS name, pg_total_relation_size(c.oid) AS bytes FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ${schema} AND c.relkind = 'r' AND c.relname LIKE 'lindung_%' ORDER BY bytes DESC`
      yield* sql.unsafe(`DROP SCHEMA "${schema}" CASCADE`)
      return rows.map((row) => ({ name: row.name, bytes: Number(row.bytes) }))
    })
  )
  await runtime.dispose()
  line(
    "PostgreSQL, all tables",
    tables.reduce((n, table) => n + table.bytes, 0)
  )
  for (const table of tables.slice(0, 4)) line(`PostgreSQL, ${table.name}`, table.bytes)
}
