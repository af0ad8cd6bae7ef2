/**
 * Fresh SQL stores for tests, as an adapter's own test files build them for the conformance suite: the public
 * `layerFromClient` over a client (so tests can reach the same database with raw SQL), plus the damage hooks the
 * suite asks for (`tamper`, `corrupt`, `outage`), written in plain SQL against the adapter's tables.
 *
 * - SQLite: a new temporary file (removed afterwards) or a new `:memory:` database per layer build; the outage is
 *   the client's fault seam (every statement then fails as if the file were unreachable).
 * - PostgreSQL: a new schema per layer build, dropped in the finalizer; the store connects through a small TCP
 *   proxy in this process, and the outage closes the proxy (every connection is cut, new ones are refused).
 */

import { randomBytes } from "node:crypto"
import { mkdtempSync, rmSync } from "node:fs"
import { connect, createServer, type Server, type Socket } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as PgClient from "@effect/sql-pg/PgClient"
import type { CaseEvent } from "@lindung/core"
import { Context, Effect, Layer, Redacted } from "effect"
import * as Reactivity from "effect/reactivity/Reactivity"
import { SqlClient } from "effect/sql"
import { IdentityKeys, SqlStorage } from "../src/index.js"
import * as SqliteClient from "../src/internal/SqliteClient.js"
import { fitsJsonb } from "../src/internal/shared.js"

/** Makes the store of the current test unreachable. */
export class Outage extends Context.Service<Outage, { readonly begin: Effect.Effect<void> }>()(
  "@lindung/storage-sql/test/Outage"
) {}

/** A keyring with one random key. */
export const testKeyring = () => IdentityKeys.keyring(IdentityKeys.generate("test-key"))

/** A new temporary directory, removed when the scope closes. */
export const temporaryDirectory = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(join(tmpdir(), "lindung-sql-"))),
  (directory) => Effect.sync(() => rmSync(directory, { recursive: true, force: true }))
)

/** A SQLite client with an outage switch; `direct: false` makes it a generic `effect/sql` client. */
const sqliteClientWithOutage = (filename: string, direct = true) =>
  Layer.unwrap(
    Effect.sync(() => {
      let down = false
      const client = Layer.effect(
        SqlClient.SqlClient,
        SqliteClient.make({ filename, busyTimeoutMs: 2_000, faults: { down: () => down }, direct })
      ).pipe(Layer.provide(Reactivity.layer), Layer.orDie)
      const outage = Layer.succeed(Outage, {
        begin: Effect.sync(() => {
          down = true
        })
      })
      return Layer.merge(client, outage)
    })
  )

/**
 * A store on a new SQLite database: a temporary file, or `:memory:`; `generic` is `:memory:` through a client
 * without the direct path, as a SQLite client made elsewhere would be.
 */
export const sqliteStore = (kind: "file" | "memory" | "generic") =>
  Layer.unwrap(
    Effect.gen(function* () {
      const filename = kind === "file" ? join(yield* temporaryDirectory, "lindung.db") : ":memory:"
      const client = sqliteClientWithOutage(filename, kind !== "generic")
      return SqlStorage.layerFromClient({ keyring: testKeyring() }).pipe(Layer.provideMerge(client))
    })
  )

/** A TCP proxy to the PostgreSQL server, so that a test can cut the network. */
const proxy = (target: URL) =>
  Effect.acquireRelease(
    Effect.callback<{ readonly server: Server; readonly port: number; readonly cut: () => void }>((resume) => {
      const sockets = new Set<Socket>()
      const server = createServer((client) => {
        const upstream = connect(Number(target.port || 5432), target.hostname)
        sockets.add(client)
        sockets.add(upstream)
        const drop = () => {
          client.destroy()
          upstream.destroy()
          sockets.delete(client)
          sockets.delete(upstream)
        }
        client.on("error", drop).on("close", drop)
        upstream.on("error", drop).on("close", drop)
        client.pipe(upstream).pipe(client)
      })
      const cut = () => {
        server.close()
        for (const socket of sockets) socket.destroy()
        sockets.clear()
      }
      server.listen(0, "127.0.0.1", () => {
        const address = server.address()
        resume(
          Effect.succeed({ server, port: typeof address === "object" && address !== null ? address.port : 0, cut })
        )
      })
    }),
    ({ cut }) => Effect.sync(cut)
  )

/**
 * An admin client to the server, for dropping schemas. It connects at once: a pool of `@effect/sql-pg` cannot open
 * its first connection from a finalizer while the scope it belongs to is closing.
 */
export const adminClient = (url: string) =>
  Effect.tap(
    PgClient.make({ url: Redacted.make(url), maxConnections: 1 }).pipe(Effect.provide(Reactivity.layer), Effect.orDie),
    (admin) => Effect.orDie(admin`SELECT 1`)
  )

/** A new schema name. */
export const uniqueSchema = (prefix = "lindung_test") =>
  `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`

/** A store on PostgreSQL in a new schema (dropped afterwards), reached through a proxy that `Outage` cuts. */
export const pgStore = (
  url: string,
  tuning: { readonly appendWriters?: number; readonly partitionByProvince?: boolean } = {}
) =>
  Layer.unwrap(
    Effect.gen(function* () {
      const admin = yield* adminClient(url)
      const schema = uniqueSchema()
      yield* Effect.addFinalizer(() => Effect.ignore(admin.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)))
      const target = new URL(url)
      const tunnel = yield* proxy(target)
      const proxied = new URL(url)
      proxied.hostname = "127.0.0.1"
      proxied.port = String(tunnel.port)
      const client = SqlStorage.clientLayer({
        dialect: "pg",
        url: proxied.toString(),
        schema,
        keyring: testKeyring(),
        maxConnections: 8
      }).pipe(Layer.orDie)
      const outage = Layer.succeed(Outage, { begin: Effect.sync(tunnel.cut) })
      return SqlStorage.layerFromClient({ keyring: testKeyring(), ...tuning }).pipe(
        Layer.provideMerge(Layer.merge(client, outage))
      )
    })
  )

/** The dialect of the client in context. */
const dialect = Effect.map(Effect.service(SqlClient.SqlClient), (sql) =>
  sql.onDialectOrElse({ pg: () => "pg" as const, orElse: () => "sqlite" as const })
)

/** Writes the stored form of one event as raw text (JSON or not), keeping its hashes. */
export const writeRaw = (caseId: string, version: number, raw: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows =
      (yield* dialect) === "pg"
        ? fitsJsonbText(raw)
          ? yield* sql`UPDATE lindung_events SET body = ${raw}::jsonb, body_text = NULL WHERE case_id = ${caseId} AND version = ${version} RETURNING position`
          : yield* sql`UPDATE lindung_events SET body = NULL, body_text = ${raw} WHERE case_id = ${caseId} AND version = ${version} RETURNING position`
        : yield* sql`UPDATE lindung_events SET body = ${raw} WHERE case_id = ${caseId} AND version = ${version} RETURNING position`
    if (rows.length !== 1) return yield* Effect.die(new Error(`no event ${caseId} version ${version}`))
  })

/** JSON that JSONB can hold unchanged (anything else goes to the text column, as the adapter does). */
const fitsJsonbText = (raw: string): boolean => {
  try {
    JSON.parse(raw)
  } catch {
    return false
  }
  return fitsJsonb(raw)
}

/** Rewrites the stored JSON of one event with `mutate`, keeping its hashes (the suite's `tamper`). */
export const tamper = (caseId: string, version: number, mutate: (encoded: CaseEvent.Encoded) => unknown) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{
      readonly body: unknown
      readonly body_text?: unknown
    }>`SELECT * FROM lindung_events WHERE case_id = ${caseId} AND version = ${version}`
    const row = rows[0]
    if (row === undefined) return yield* Effect.die(new Error(`no event ${caseId} version ${version}`))
    const stored = row.body ?? row.body_text
    const encoded = (typeof stored === "string" ? JSON.parse(stored) : stored) as CaseEvent.Encoded
    yield* writeRaw(caseId, version, JSON.stringify(mutate(encoded)))
  })

/** Replaces the stored form of one event with `raw` (the suite's `corrupt`). */
export const corrupt = (caseId: string, version: number, raw: string) => writeRaw(caseId, version, raw)

/** Cuts the store off (the suite's `outage`). */
export const outage = Outage.use((o) => o.begin)
