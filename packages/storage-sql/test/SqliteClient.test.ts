import { join } from "node:path"
import { DatabaseSync } from "node:sqlite"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as Reactivity from "effect/reactivity/Reactivity"
import { SqlClient } from "effect/sql"
import * as SqliteClient from "../src/internal/SqliteClient.js"
import { temporaryDirectory } from "./stores.js"

const client = (config: SqliteClient.Config) => SqliteClient.make(config).pipe(Effect.provide(Reactivity.layer))

const pragma = (sql: SqlClient.SqlClient, name: string) =>
  Effect.map(sql.unsafe<Record<string, unknown>>(`PRAGMA ${name}`), (rows) => Object.values(rows[0] ?? {})[0])

describe("SqliteClient over node:sqlite", () => {
  it.effect("a file database opens in WAL mode with a busy timeout, foreign keys and secure delete", () =>
    Effect.gen(function* () {
      const directory = yield* temporaryDirectory
      const sql = yield* client({ filename: join(directory, "a.db"), busyTimeoutMs: 1234 })
      expect(sql.driver).toBe(SqliteClient.DRIVER)
      expect(sql.onDialectOrElse({ sqlite: () => "sqlite", orElse: () => "other" })).toBe("sqlite")
      expect(yield* pragma(sql, "journal_mode")).toBe("wal")
      expect(yield* pragma(sql, "busy_timeout")).toBe(1234)
      expect(yield* pragma(sql, "foreign_keys")).toBe(1)
      expect(yield* pragma(sql, "secure_delete")).toBe(1)
      expect(yield* pragma(sql, "synchronous")).toBe(2) // FULL
    }).pipe(Effect.scoped)
  )

  it.effect(":memory: works (no WAL there) and each client is its own database", () =>
    Effect.gen(function* () {
      const a = yield* client({ filename: ":memory:" })
      const b = yield* client({ filename: ":memory:" })
      yield* a`CREATE TABLE t (x INTEGER)`
      yield* a`INSERT INTO t (x) VALUES (${1})`
      expect(yield* a`SELECT x FROM t`).toEqual([{ x: 1 }])
      const missing = yield* Effect.flip(b`SELECT x FROM t`)
      expect(missing._tag).toBe("SqlError")
      expect(yield* pragma(a, "journal_mode")).toBe("memory")
    }).pipe(Effect.scoped)
  )

  it.effect("parameters and results: text, integers, null, blobs; rows are plain objects", () =>
    Effect.gen(function* () {
      const sql = yield* client({ filename: ":memory:" })
      yield* sql`CREATE TABLE t (a TEXT, b INTEGER, c BLOB, d TEXT) STRICT`
      const blob = new Uint8Array([0, 1, 255])
      yield* sql`INSERT INTO t (a, b, c, d) VALUES (${"ü-😀"}, ${2 ** 40}, ${blob}, ${null})`
      const rows = yield* sql<{ a: string; b: number; c: Uint8Array; d: null }>`SELECT a, b, c, d FROM t`
      expect(rows[0]?.a).toBe("ü-😀")
      expect(rows[0]?.b).toBe(2 ** 40)
      expect([...(rows[0]?.c ?? [])]).toEqual([0, 1, 255])
      expect(rows[0]?.d).toBeNull()
      expect(Object.getPrototypeOf(rows[0])).toBe(Object.prototype)
      const values = yield* sql`SELECT a, b FROM t`.values
      expect(values).toEqual([["ü-😀", 2 ** 40]])
      const inserted = yield* sql`INSERT INTO t (a) VALUES (${"x"}) RETURNING rowid AS id`
      expect(inserted).toEqual([{ id: 2 }])
    }).pipe(Effect.scoped)
  )

  it.effect("a transaction commits on success and rolls back on failure", () =>
    Effect.gen(function* () {
      const sql = yield* client({ filename: ":memory:" })
      yield* sql`CREATE TABLE t (x INTEGER)`
      yield* sql.withTransaction(sql`INSERT INTO t (x) VALUES (1)`)
      const failed = yield* Effect.flip(
        sql.withTransaction(Effect.andThen(sql`INSERT INTO t (x) VALUES (2)`, Effect.fail("boom" as const)))
      )
      expect(failed).toBe("boom")
      expect(yield* sql`SELECT x FROM t`).toEqual([{ x: 1 }])
      // Nested transactions are savepoints: the inner one rolls back alone.
      yield* sql.withTransaction(
        Effect.gen(function* () {
          yield* sql`INSERT INTO t (x) VALUES (3)`
          yield* Effect.ignore(sql.withTransaction(Effect.andThen(sql`INSERT INTO t (x) VALUES (4)`, Effect.fail(1))))
        })
      )
      expect(yield* sql`SELECT x FROM t ORDER BY x`).toEqual([{ x: 1 }, { x: 3 }])
    }).pipe(Effect.scoped)
  )

  it.effect("concurrent transactions on one client are serialized, never interleaved", () =>
    Effect.gen(function* () {
      const sql = yield* client({ filename: ":memory:" })
      yield* sql`CREATE TABLE counter (n INTEGER)`
      yield* sql`INSERT INTO counter (n) VALUES (0)`
      const increment = sql.withTransaction(
        Effect.gen(function* () {
          const rows = yield* sql<{ n: number }>`SELECT n FROM counter`
          yield* Effect.yieldNow
          yield* sql`UPDATE counter SET n = ${(rows[0]?.n ?? 0) + 1}`
        })
      )
      yield* Effect.all(
        Array.from({ length: 50 }, () => increment),
        { concurrency: "unbounded" }
      )
      expect(yield* sql`SELECT n FROM counter`).toEqual([{ n: 50 }])
    }).pipe(Effect.scoped)
  )

  it.effect("a unique violation is classified with its constraint; other errors keep SQLite's message", () =>
    Effect.gen(function* () {
      const sql = yield* client({ filename: ":memory:" })
      yield* sql`CREATE TABLE t (a TEXT, b INTEGER, CONSTRAINT t_ab UNIQUE (a, b))`
      yield* sql`INSERT INTO t (a, b) VALUES ('x', 1)`
      const duplicate = yield* Effect.flip(sql`INSERT INTO t (a, b) VALUES ('x', 1)`)
      expect(duplicate.reason._tag).toBe("UniqueViolation")
      if (duplicate.reason._tag === "UniqueViolation") expect(duplicate.reason.constraint).toBe("t.a, t.b")
      const syntax = yield* Effect.flip(sql`SELEC nonsense`)
      expect(syntax.message).toMatch(/syntax error/)
      expect(syntax.isRetryable).toBe(false)
    }).pipe(Effect.scoped)
  )

  it.effect("another process's write lock: BEGIN IMMEDIATE waits the busy timeout, then fails retryably", () =>
    Effect.gen(function* () {
      const directory = yield* temporaryDirectory
      const filename = join(directory, "busy.db")
      const sql = yield* client({ filename, busyTimeoutMs: 50 })
      yield* sql`CREATE TABLE t (x INTEGER)`
      const other = new DatabaseSync(filename)
      other.exec("BEGIN IMMEDIATE")
      const busy = yield* Effect.flip(sql.withTransaction(sql`INSERT INTO t (x) VALUES (1)`))
      expect(busy.reason._tag).toBe("LockTimeoutError")
      expect(busy.isRetryable).toBe(true)
      // Reads still work in WAL mode while the other process writes.
      expect(yield* sql`SELECT COUNT(*) AS n FROM t`).toEqual([{ n: 0 }])
      other.exec("ROLLBACK")
      other.close()
      yield* sql.withTransaction(sql`INSERT INTO t (x) VALUES (1)`)
      expect(yield* sql`SELECT COUNT(*) AS n FROM t`).toEqual([{ n: 1 }])
    }).pipe(Effect.scoped)
  )

  it.effect("an unopenable file is a connection error, not a crash", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(client({ filename: "/nonexistent-directory/x/y.db" }))
      expect(error.reason._tag).toBe("ConnectionError")
    }).pipe(Effect.scoped)
  )

  it.effect("the fault seam fails every statement with a retryable connection error while down", () =>
    Effect.gen(function* () {
      let down = false
      const sql = yield* client({ filename: ":memory:", faults: { down: () => down } })
      expect(yield* sql`SELECT 1 AS one`).toEqual([{ one: 1 }])
      down = true
      const error = yield* Effect.flip(sql`SELECT 1 AS one`)
      expect(error.reason._tag).toBe("ConnectionError")
      expect(error.isRetryable).toBe(true)
      down = false
      expect(yield* sql`SELECT 1 AS one`).toEqual([{ one: 1 }])
    }).pipe(Effect.scoped)
  )

  it.effect("the layer provides SqlClient and closes the database with its scope", () =>
    Effect.gen(function* () {
      const directory = yield* temporaryDirectory
      const filename = join(directory, "layer.db")
      yield* Effect.scoped(
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          yield* sql`CREATE TABLE t (x INTEGER)`
        }).pipe(Effect.provide(SqliteClient.layer({ filename })))
      )
      // Closed: another connection can take an exclusive lock at once.
      const other = new DatabaseSync(filename)
      other.exec("PRAGMA journal_mode = DELETE")
      other.exec("BEGIN EXCLUSIVE")
      other.exec("COMMIT")
      other.close()
    }).pipe(Effect.scoped)
  )
})

describe("SqliteClient layer", () => {
  it.effect("fails with a SqlError when the file cannot be opened", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        Layer.build(SqliteClient.layer({ filename: "/nonexistent-directory/y.db" })).pipe(Effect.scoped)
      )
      expect(error._tag).toBe("SqlError")
    })
  )
})
