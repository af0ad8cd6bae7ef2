/**
 * The benchmark's peers: Emmett's SQLite and PostgreSQL event stores, each used as a team would use it for the
 * same job — one stream per case, every append with optimistic concurrency on the stream's version. They live in
 * `bench/peers` with their own lockfile, apart from the workspace (Emmett's SQLite store needs the native `sqlite3`
 * package, which builds for a minute: neither CI nor a user's `npm ci` should pay for it). The first benchmark run
 * installs them (`npm ci` there); `--no-peers` skips them.
 */
import { spawnSync } from "node:child_process"
import { existsSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

const folder = join(dirname(fileURLToPath(import.meta.url)), "peers")

/** One event as Emmett stores it. */
export interface PeerEvent {
  readonly type: string
  readonly data: unknown
}

/**
 * An event store of a peer, as the benchmark drives it. Emmett remembers in the process that it migrated a
 * database (a second store on a new PostgreSQL schema skips the migration), so each store is opened once per run
 * of the benchmark and emptied between measurements with `reset`.
 */
export interface PeerStore {
  /** Appends to a stream whose version is `expectedVersion` (0: the stream does not exist yet). */
  readonly append: (stream: string, events: ReadonlyArray<PeerEvent>, expectedVersion: number) => Promise<void>
  /** Deletes every stream and message. */
  readonly reset: () => Promise<void>
  readonly close: () => Promise<void>
}

/** The peers, or why they are missing. */
export type Peers =
  | {
      readonly sqlite: (fileName: string) => Promise<PeerStore>
      readonly pg: (url: string) => Promise<PeerStore>
    }
  | { readonly missing: string }

const load = (name: string) => import(pathToFileURL(join(folder, "node_modules", name, "dist", "index.js")).href)

/** Installs the peers when missing and loads them. */
export const loadPeers = async (): Promise<Peers> => {
  if (!existsSync(join(folder, "node_modules", "@event-driven-io", "emmett-sqlite"))) {
    process.stderr.write("installing the benchmark's peers (Emmett) in bench/peers, once…\n")
    const installed = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: folder, stdio: "inherit" })
    if (installed.status !== 0) return { missing: `npm ci in ${folder} failed (exit ${installed.status})` }
  }
  const emmett = await load("@event-driven-io/emmett")
  const emmettSqlite = await load("@event-driven-io/emmett-sqlite")
  const emmettPg = await load("@event-driven-io/emmett-postgresql")
  const pg = await import(pathToFileURL(join(folder, "node_modules", "pg", "lib", "index.js")).href)
  const expected = (version: number) => (version === 0 ? emmett.STREAM_DOES_NOT_EXIST : BigInt(version))
  return {
    sqlite: async (fileName) => {
      // One connection for the store's life (Emmett otherwise opens the file on every call), in the same journal
      // mode and durability as Lindung's SQLite file: WAL, synchronous=FULL.
      const connection = emmettSqlite.sqliteConnection({ fileName })
      await connection.command("PRAGMA journal_mode = WAL")
      await connection.command("PRAGMA synchronous = FULL")
      const store = emmettSqlite.getSQLiteEventStore({
        fileName,
        schema: { autoMigration: "CreateOrUpdate" },
        connectionOptions: { singleton: true, connection }
      })
      await store.appendToStream("warm-up", [{ type: "WarmUp", data: {} }])
      return {
        append: async (stream, events, version) => {
          await store.appendToStream(stream, events, { expectedStreamVersion: expected(version) })
        },
        reset: async () => {
          await connection.command("DELETE FROM emt_messages")
          await connection.command("DELETE FROM emt_streams")
        },
        close: async () => connection.close()
      }
    },
    pg: async (url) => {
      const store = emmettPg.getPostgreSQLEventStore(url)
      await store.appendToStream("warm-up", [{ type: "WarmUp", data: {} }])
      const pool = new pg.default.Pool({ connectionString: url, max: 1 })
      return {
        append: async (stream, events, version) => {
          await store.appendToStream(stream, events, { expectedStreamVersion: expected(version) })
        },
        reset: async () => {
          await pool.query("TRUNCATE emt_messages, emt_streams")
        },
        close: async () => {
          await pool.end()
          await store.close()
        }
      }
    }
  }
}
