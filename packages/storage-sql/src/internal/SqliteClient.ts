/**
 * A small `effect/sql` client over `node:sqlite` (Node >= 22.5): one connection shared through a semaphore, a cache
 * of prepared statements, `BEGIN IMMEDIATE` transactions (the write lock is taken at the start, so a transaction
 * never fails half-way when another process writes the same file), and the pragmas the embedded store needs (WAL,
 * busy timeout, foreign keys, secure delete). Written here because `@effect/sql-sqlite-node` does not load with
 * effect 4.1.
 *
 * @internal
 */

import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite"
import { Context, Effect, Layer, type Scope, Semaphore, Stream } from "effect"
import { Reactivity } from "effect/reactivity"
import { SqlClient, type SqlConnection, SqlError, Statement } from "effect/sql"

/** How to open the database. */
export interface Config {
  /** A file path, or `:memory:`. */
  readonly filename: string
  /** Milliseconds to wait for another process's write lock before failing with a busy error. Default 5000. */
  readonly busyTimeoutMs?: number
  /** Keep at most this many prepared statements. Default 200. */
  readonly prepareCacheSize?: number
  /** `PRAGMA synchronous`: `FULL` (the default, no committed transaction is lost on power failure) or `NORMAL`. */
  readonly synchronous?: "FULL" | "NORMAL"
  /**
   * A seam for tests of code that must survive an outage: while `down()` is true, every statement fails with a
   * retryable connection error, as if the file had become unreachable.
   */
  readonly faults?: { readonly down: () => boolean }
  /**
   * Offer {@link Direct} synchronous transactions for this client (default true). `false` makes the client an
   * ordinary `effect/sql` client, as a client made elsewhere would be: for tests of the generic write path.
   */
  readonly direct?: boolean
}

/** Prepared statements of the direct path: cached for the connection's life, rows as objects, numbers as numbers. */
export interface Statements {
  readonly prepare: (sql: string) => StatementSync
  /** Runs a statement without parameters or rows (`SAVEPOINT …`). */
  readonly exec: (sql: string) => void
}

/**
 * Synchronous transactions on the client's one connection, for a write path of many statements: one permit, one
 * `BEGIN IMMEDIATE … COMMIT`, cached prepared statements, no fiber step or statement compile per statement.
 * Inside a transaction of the same client (`sql.withTransaction`), the body runs in a savepoint of it instead.
 */
export interface Direct {
  /**
   * Runs `body` in a transaction and commits what it wrote; if it throws, rolls back and fails with the
   * `SqlError` of what it threw. With `keep`, a result that `keep` refuses is rolled back too, and returned.
   */
  readonly transaction: <A>(
    body: (statements: Statements) => A,
    keep?: (result: A) => boolean
  ) => Effect.Effect<A, SqlError.SqlError>
  /** Runs `body` (reads) outside a transaction of its own, holding the connection; inside one, in it. */
  readonly read: <A>(body: (statements: Statements) => A) => Effect.Effect<A, SqlError.SqlError>
}

const directs = new WeakMap<SqlClient.SqlClient, Direct>()

/** The direct path of a client made by {@link make}, if it offers one. */
export const directOf = (client: SqlClient.SqlClient): Direct | undefined => directs.get(client)

/** The driver name the client reports as `SqlClient.driver`. */
export const DRIVER = "lindung-node-sqlite"

const classify = (cause: unknown, message: string, operation: string): SqlError.SqlError => {
  const errcode = typeof cause === "object" && cause !== null && "errcode" in cause ? cause.errcode : undefined
  const text = cause instanceof Error ? cause.message : String(cause)
  const shaped = typeof errcode === "number" ? { errno: errcode, message: text, cause } : cause
  return new SqlError.SqlError({
    reason: SqlError.classifySqliteError(shaped, { message: `${message}: ${text}`, operation })
  })
}

/** Rows as the driver returns them: objects, or arrays of values for `executeValues`. */
type Rows = ReadonlyArray<object>

/** Rows read with `setReturnArrays(true)`. */
const values = (rows: Effect.Effect<Rows, SqlError.SqlError>) =>
  rows as Effect.Effect<ReadonlyArray<ReadonlyArray<unknown>>, SqlError.SqlError>

const normalizeRows = (rows: ReadonlyArray<Record<string, unknown>>): Array<Record<string, unknown>> =>
  rows.map((row) => ({ ...row }))

/** Opens the database and applies the pragmas; the connection closes with the scope. */
const open = (config: Config) =>
  Effect.acquireRelease(
    Effect.try({
      try: () => {
        const db = new DatabaseSync(config.filename, {
          enableForeignKeyConstraints: true,
          timeout: config.busyTimeoutMs ?? 5_000
        })
        try {
          db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(config.busyTimeoutMs ?? 5_000))}`)
          if (config.filename !== ":memory:" && config.filename !== "") db.exec("PRAGMA journal_mode = WAL")
          db.exec(`PRAGMA synchronous = ${config.synchronous ?? "FULL"}`)
          db.exec("PRAGMA foreign_keys = ON")
          db.exec("PRAGMA secure_delete = ON")
        } catch (cause) {
          db.close()
          throw cause
        }
        return db
      },
      catch: (cause) => classify(cause, "Failed to open the SQLite database", "open")
    }),
    (db) => Effect.sync(() => db.isOpen && db.close())
  )

const outage = () =>
  new SqlError.SqlError({
    reason: new SqlError.ConnectionError({
      message: "The SQLite database is unreachable (simulated outage)",
      operation: "execute",
      cause: new Error("simulated outage")
    })
  })

const makeConnection = (db: DatabaseSync, cacheSize: number, faults: Config["faults"]): SqlConnection.Connection => {
  const cache = new Map<string, StatementSync>()
  const prepare = (sql: string): StatementSync => {
    const cached = cache.get(sql)
    if (cached !== undefined) {
      cache.delete(sql)
      cache.set(sql, cached)
      return cached
    }
    const statement = db.prepare(sql)
    cache.set(sql, statement)
    if (cache.size > cacheSize) {
      const oldest = cache.keys().next().value
      if (oldest !== undefined) cache.delete(oldest)
    }
    return statement
  }

  const run = (
    sql: string,
    params: ReadonlyArray<unknown>,
    options: { readonly cached: boolean; readonly arrays: boolean; readonly raw: boolean }
  ): Effect.Effect<Rows, SqlError.SqlError> =>
    Effect.withFiber((fiber) => {
      if (faults?.down() === true) return Effect.fail(outage())
      const bigints = Context.get(fiber.context, SqlClient.SafeIntegers)
      return Effect.try({
        try: () => {
          const statement = options.cached ? prepare(sql) : db.prepare(sql)
          statement.setReadBigInts(bigints)
          statement.setReturnArrays(options.arrays)
          try {
            const args = params as Array<SQLInputValue>
            if (statement.columns().length > 0) {
              const rows = statement.all(...args)
              return options.arrays ? (rows as unknown as Rows) : normalizeRows(rows)
            }
            const result = statement.run(...args)
            // `executeRaw` of a statement without result columns: what it changed, as other drivers report it.
            return options.raw
              ? (Object.assign([], { changes: result.changes, lastInsertRowid: result.lastInsertRowid }) as Rows)
              : []
          } finally {
            if (options.arrays) statement.setReturnArrays(false)
          }
        },
        catch: (cause) => classify(cause, "Failed to execute statement", "execute")
      })
    })

  return {
    execute: (sql, params, transformRows) => {
      const rows = run(sql, params, { cached: true, arrays: false, raw: false })
      return transformRows ? Effect.map(rows, transformRows) : rows
    },
    executeRaw: (sql, params) => run(sql, params, { cached: true, arrays: false, raw: true }),
    executeValues: (sql, params) => values(run(sql, params, { cached: true, arrays: true, raw: false })),
    executeValuesUnprepared: (sql, params) => values(run(sql, params, { cached: false, arrays: true, raw: false })),
    executeUnprepared: (sql, params, transformRows) => {
      const rows = run(sql, params ?? [], { cached: false, arrays: false, raw: false })
      return transformRows ? Effect.map(rows, transformRows) : rows
    },
    executeStream: (sql, params, transformRows) =>
      Stream.fromIterableEffect(
        Effect.map(run(sql, params, { cached: true, arrays: false, raw: false }), (rows) =>
          transformRows ? transformRows(rows) : rows
        )
      )
  }
}

/** Builds the client; the database closes with the scope. */
export const make = (
  config: Config
): Effect.Effect<SqlClient.SqlClient, SqlError.SqlError, Scope.Scope | Reactivity.Reactivity> =>
  Effect.gen(function* () {
    const db = yield* open(config)
    const connection = makeConnection(db, Math.max(1, config.prepareCacheSize ?? 200), config.faults)
    const semaphore = yield* Semaphore.make(1)
    const acquirers = SqlClient.makeSqliteAcquirers({
      connection: Effect.succeed(connection),
      semaphore,
      isTransaction: () => db.isTransaction
    })
    const client = yield* SqlClient.make({
      ...acquirers,
      compiler: Statement.makeCompilerSqlite(),
      driver: DRIVER,
      beginTransaction: "BEGIN IMMEDIATE",
      spanAttributes: [["db.system.name", "sqlite"]]
    })
    if (config.direct !== false) directs.set(client, makeDirect(db, semaphore, client, config.faults))
    return client
  })

const makeDirect = (
  db: DatabaseSync,
  semaphore: Semaphore.Semaphore,
  client: SqlClient.SqlClient,
  faults: Config["faults"]
): Direct => {
  const cache = new Map<string, StatementSync>()
  const statements: Statements = {
    prepare: (sql) => {
      let statement = cache.get(sql)
      if (statement === undefined) {
        statement = db.prepare(sql)
        statement.setReadBigInts(false)
        statement.setReturnArrays(false)
        cache.set(sql, statement)
      }
      return statement
    },
    exec: (sql) => db.exec(sql)
  }
  const attempt = <A>(
    body: (statements: Statements) => A,
    nested: boolean,
    keep: ((result: A) => boolean) | undefined
  ): Effect.Effect<A, SqlError.SqlError> =>
    Effect.suspend(() => {
      if (faults?.down() === true) return Effect.fail(outage())
      try {
        db.exec(nested ? "SAVEPOINT lindung_direct" : "BEGIN IMMEDIATE")
      } catch (cause) {
        return Effect.fail(classify(cause, "Failed to begin a transaction", "begin"))
      }
      try {
        const result = body(statements)
        if (keep === undefined || keep(result)) db.exec(nested ? "RELEASE lindung_direct" : "COMMIT")
        else db.exec(nested ? "ROLLBACK TO lindung_direct; RELEASE lindung_direct" : "ROLLBACK")
        return Effect.succeed(result)
      } catch (cause) {
        try {
          if (nested) db.exec("ROLLBACK TO lindung_direct; RELEASE lindung_direct")
          else if (db.isTransaction) db.exec("ROLLBACK")
        } catch {
          // The connection is closed or broken: the next statement reports it.
        }
        return Effect.fail(classify(cause, "Failed to execute statement", "execute"))
      }
    })
  const reading = <A>(body: (statements: Statements) => A): Effect.Effect<A, SqlError.SqlError> =>
    Effect.suspend(() => {
      if (faults?.down() === true) return Effect.fail(outage())
      try {
        return Effect.succeed(body(statements))
      } catch (cause) {
        return Effect.fail(classify(cause, "Failed to execute statement", "execute"))
      }
    })
  return {
    transaction: (body, keep) =>
      Effect.flatMap(Effect.serviceOption(client.transactionService), (open) =>
        open._tag === "Some" ? attempt(body, true, keep) : semaphore.withPermit(attempt(body, false, keep))
      ),
    read: (body) =>
      Effect.flatMap(Effect.serviceOption(client.transactionService), (open) =>
        open._tag === "Some" ? reading(body) : semaphore.withPermit(reading(body))
      )
  }
}

/** The client as a layer. */
export const layer = (config: Config): Layer.Layer<SqlClient.SqlClient, SqlError.SqlError> =>
  Layer.effect(SqlClient.SqlClient, make(config)).pipe(Layer.provide(Reactivity.layer))
