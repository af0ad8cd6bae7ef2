/**
 * Lindung's SQL storage: the five storage ports of `@lindung/core` (EventStore, CaseIndex, IdentityVault,
 * Checkpoints, ExportLog) on `effect/sql`, over embedded SQLite (`node:sqlite`, the default, no server) or PostgreSQL
 * (`@effect/sql-pg`). Every layer migrates the schema on start (see `Migrations`) and provides all five services.
 *
 * - {@link layerSqlite}: a file (WAL, busy timeout, foreign keys, secure delete) or `:memory:`.
 * - {@link layerPg}: a PostgreSQL URL, optionally inside its own schema.
 * - {@link layer}: either, from a {@link Config}.
 * - {@link layerConfig}: from the environment: `LINDUNG_DATABASE_URL` (`postgres://…` → PostgreSQL; a file path or
 *   `sqlite:path` → SQLite; default `./lindung.db`), `LINDUNG_IDENTITY_KEY` / `LINDUNG_IDENTITY_KEY_ID` /
 *   `LINDUNG_IDENTITY_OLD_KEYS` (the keyring), `LINDUNG_DATABASE_SCHEMA` (PostgreSQL schema).
 *
 * A reader of `readAfter` never skips an event: SQLite appends under its one write lock, gapless; PostgreSQL
 * appends to different cases in parallel, and readers read only below what an append still running could commit
 * (see `Migrations`, migration 5, and docs/storage-sql.md). Identities are sealed with AES-256-GCM (see
 * `IdentityKeys`).
 *
 * @example
 * ```ts
 * import { EventStore } from "@lindung/core"
 * import { SqlStorage } from "@lindung/storage-sql"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const store = yield* EventStore.EventStore
 *   return yield* store.readAfter(0, 100)
 * })
 * Effect.runPromise(program.pipe(Effect.provide(SqlStorage.layerSqlite({ filename: "./lindung.db" }))))
 * ```
 *
 * @since 0.1.0
 */

import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from "node:fs"
import { DatabaseSync } from "node:sqlite"
import { fileURLToPath } from "node:url"
import * as PgClient from "@effect/sql-pg/PgClient"
import { StorageError } from "@lindung/core"
import { Effect, Config as EffectConfig, Layer, Option, Redacted, Result, Schema, type Scope } from "effect"
import * as Reactivity from "effect/reactivity/Reactivity"
import { SqlClient } from "effect/sql"
import * as IdentityKeys from "./IdentityKeys.js"
import * as PgAppend from "./internal/PgAppend.js"
import * as PgPartitions from "./internal/PgPartitions.js"
import * as SqliteAppend from "./internal/SqliteAppend.js"
import * as SqliteClient from "./internal/SqliteClient.js"
import * as Internal from "./internal/services.js"
import {
  DEFAULT_APPEND_BATCH_SIZE,
  DEFAULT_EVENT_CACHE_SIZE,
  DEFAULT_PG_APPEND_WRITERS,
  openIdentity,
  sealIdentity
} from "./internal/services.js"
import { dialectOf, FILL_CASE_COUNTS, messageOf, run, sha256, toNumber, unavailable } from "./internal/shared.js"
import { transaction } from "./internal/transaction.js"
import * as Migrations from "./Migrations.js"

/** What every layer provides. */
export type Services = Internal.Services

/** Why a layer could not start. */
export type StartError =
  | Migrations.SchemaTooNew
  | Migrations.MigrationFailed
  | StorageError.StorageUnavailable
  | IdentityKeys.InvalidIdentityKey
  | IdentityKeys.IdentityKeyMissing

/** An embedded SQLite database. */
export interface SqliteOptions {
  /** A file path, or `:memory:` (a private database that lives as long as the layer). */
  readonly filename: string
  /**
   * The identity keys. Default: for `:memory:` a random key that lives as long as the layer; for a file, the
   * development key file `<filename>.identity-key` (created with mode 0600 on first start). Production deployments
   * give a keyring from a secret store instead (see {@link layerConfig}).
   */
  readonly keyring?: IdentityKeys.Keyring
  /** Milliseconds to wait for another process's write lock. Default 5000. */
  readonly busyTimeoutMs?: number
  /** `PRAGMA synchronous`. Default `FULL`: no committed event is lost on power failure. */
  readonly synchronous?: "FULL" | "NORMAL"
  /**
   * How many decoded events the store keeps in memory, by their stored text, so that loading a case decodes only
   * the events it has not seen (default {@link DEFAULT_EVENT_CACHE_SIZE}, 10,000 events, a few tens of MB; 0 keeps
   * none). A stored text that changed is a new text: it is decoded (and its damage reported) as before.
   */
  readonly eventCacheSize?: number
  /**
   * Group commit: the most appends written together in one transaction (default
   * {@link DEFAULT_APPEND_BATCH_SIZE}, 64; 1 writes each append in its own). Appends that arrive while another is
   * being written wait for it and go together in the next transaction, each still checked, written and answered
   * on its own (a savepoint each); nothing waits on a timer. On PostgreSQL and with this package's own SQLite
   * client (a SQLite client made elsewhere appends one by one).
   */
  readonly appendBatchSize?: number
}

/** A PostgreSQL database. */
export interface PgOptions {
  /** `postgres://user:password@host:port/database`. */
  readonly url: string | Redacted.Redacted<string>
  readonly keyring: IdentityKeys.Keyring
  /**
   * A schema to keep the tables in (created when missing; lowercase letters, digits and `_`). Default: the
   * server's `search_path` (usually `public`).
   */
  readonly schema?: string
  /** The size of the connection pool. Default 10. */
  readonly maxConnections?: number
  /**
   * How many decoded events the store keeps in memory, by their stored text, so that loading a case decodes only
   * the events it has not seen (default {@link DEFAULT_EVENT_CACHE_SIZE}, 10,000 events, a few tens of MB; 0 keeps
   * none). A stored text that changed is a new text: it is decoded (and its damage reported) as before.
   */
  readonly eventCacheSize?: number
  /**
   * Group commit: the most appends written together in one transaction (default
   * {@link DEFAULT_APPEND_BATCH_SIZE}, 64; 1 writes each append in its own). Appends that arrive while another is
   * being written wait for it and go together in the next transaction, each still checked, written and answered
   * on its own (a savepoint each); nothing waits on a timer. On PostgreSQL and with this package's own SQLite
   * client (a SQLite client made elsewhere appends one by one).
   */
  readonly appendBatchSize?: number
  /**
   * How many group-commit transactions this process may write at once (default {@link DEFAULT_PG_APPEND_WRITERS},
   * 1; each holds a connection of the pool while it runs). Appends to different cases do not wait for each other
   * on PostgreSQL, so on a server with cores to spare several transactions in flight keep it busy while one of
   * them flushes; on 2 vCPUs one was fastest (docs/benchmarks.md).
   */
  readonly appendWriters?: number
  /**
   * Partition the events by the home province of each case (declarative LIST partitioning on
   * `lindung_events.province`: one partition per province code and a default one). Default false. A case's home is
   * the province of its region when it was registered, fixed for its life (migration 6): a case that moves to
   * another province keeps its events in one partition while its index row follows it. The layer converts an
   * unpartitioned store when it starts, in one transaction that locks the events table and copies its rows and
   * grants (start it while the store is not serving: the table is new, so its storage options and comment are not
   * carried over); a partitioned store stays partitioned, with or without the option, and is not locked by a start.
   * An append reads and writes one partition (the home is in the case's index row); a load, `readAfter` and
   * `verify` read every partition's index.
   */
  readonly partitionByProvince?: boolean
}

/** Either database. */
export type Config = ({ readonly dialect: "sqlite" } & SqliteOptions) | ({ readonly dialect: "pg" } & PgOptions)

/**
 * The defaults of {@link SqliteOptions.eventCacheSize} (10,000 events), {@link SqliteOptions.appendBatchSize} (64)
 * and {@link PgOptions.appendWriters} (1).
 */
export { DEFAULT_APPEND_BATCH_SIZE, DEFAULT_EVENT_CACHE_SIZE, DEFAULT_PG_APPEND_WRITERS }

/** The default SQLite file of {@link layerConfig}. */
export const DEFAULT_DATABASE = "./lindung.db"

/** Where a database URL points: `postgres://`/`postgresql://` → PostgreSQL, `sqlite:` or a plain path → SQLite. */
export const parseUrl = (
  url: string
): { readonly dialect: "pg"; readonly url: string } | { readonly dialect: "sqlite"; readonly filename: string } => {
  const text = url.trim()
  if (/^postgres(?:ql)?:\/\//i.test(text)) return { dialect: "pg", url: text }
  if (/^sqlite:/i.test(text)) {
    const rest = text.slice("sqlite:".length).replace(/^\/\/(?=\/|\.|:memory:)/, "")
    return { dialect: "sqlite", filename: rest.length === 0 ? DEFAULT_DATABASE : rest }
  }
  return { dialect: "sqlite", filename: text.length === 0 ? DEFAULT_DATABASE : text }
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/

/** The database schema name is unusable. */
export class InvalidSchemaName extends Schema.TaggedError<InvalidSchemaName>()("InvalidSchemaName", {
  schema: Schema.String
}) {
  override get message(): string {
    return `PostgreSQL schema name ${JSON.stringify(this.schema)} is not allowed: use 1 to 63 lowercase letters, digits or _, not starting with a digit`
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Clients
// ---------------------------------------------------------------------------------------------------------------

/**
 * Creates a new SQLite store's file readable by its owner only (mode 0600) before SQLite opens it: the events are
 * not encrypted (only identities are sealed). SQLite gives its `-wal` and `-shm` files the database file's mode. A
 * file that exists keeps the mode its operator gave it.
 */
const createPrivately = (filename: string) =>
  Effect.try({
    try: () => {
      const path = sqliteFile(filename)
      if (path === undefined || path === "" || existsSync(path)) return
      closeSync(openSync(path, "a", 0o600))
    },
    catch: (cause) =>
      new StorageError.StorageUnavailable({
        operation: "open SQLite database",
        detail: `the new database file could not be made: ${(cause as { code?: string }).code ?? String(cause)}`,
        retryable: false
      })
  })

const sqliteClient = (options: SqliteOptions) =>
  Effect.andThen(
    createPrivately(options.filename),
    Effect.mapError(
      SqliteClient.make({
        filename: options.filename,
        ...(options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs }),
        ...(options.synchronous === undefined ? {} : { synchronous: options.synchronous })
      }),
      unavailable("open SQLite database")
    )
  )

const pgClient = (options: Pick<PgOptions, "url" | "schema" | "maxConnections">) =>
  Effect.gen(function* () {
    if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
      return yield* new StorageError.StorageUnavailable({
        operation: "connect",
        detail: new InvalidSchemaName({ schema: options.schema }).message,
        retryable: false
      })
    }
    const url = typeof options.url === "string" ? Redacted.make(options.url) : options.url
    const client = yield* Effect.mapError(
      PgClient.make({
        url,
        maxConnections: options.maxConnections ?? 10,
        applicationName: "lindung",
        ...(options.schema === undefined ? {} : { startupParameters: { search_path: options.schema } })
      }),
      unavailable("connect")
    )
    if (options.schema !== undefined) {
      yield* run("create schema", client`CREATE SCHEMA IF NOT EXISTS ${client(options.schema)}`).pipe(
        // Two processes creating the schema at once: the loser sees it exists.
        Effect.catch((error) =>
          Effect.flatMap(
            run(
              "create schema",
              client<{ readonly found: unknown }>`SELECT 1 AS found FROM pg_namespace WHERE nspname = ${options.schema}`
            ),
            (rows) => (rows.length > 0 ? Effect.void : Effect.fail(error))
          )
        )
      )
    }
    return client as SqlClient.SqlClient
  })

/**
 * An `effect/sql` client for a {@link Config}, without migrating: for a CLI that runs `Migrations.migrate` or
 * `Migrations.currentVersion` on its own.
 */
export const clientLayer = (config: Config): Layer.Layer<SqlClient.SqlClient, StorageError.StorageUnavailable> =>
  Layer.effect(SqlClient.SqlClient, config.dialect === "pg" ? pgClient(config) : sqliteClient(config)).pipe(
    Layer.provide(Reactivity.layer)
  )

/**
 * Whether the database of a configuration holds a Lindung store (its `Migrations.TABLE`), read without migrating
 * and without creating anything: a SQLite file that does not exist is not created (it holds none), and a
 * PostgreSQL schema that does not exist is not created either (the check connects without it), and no identity key
 * is needed. For the commands of a CLI that only read, so that a mistyped URL or schema is refused rather than
 * built. A schema name that cannot be one is refused as `InvalidSchemaName` would be.
 *
 * @example
 * ```ts
 * const ready = yield* SqlStorage.holdsStore({ dialect: "pg", url, schema: "dinsos" }) // false: no store there
 * ```
 */
export const holdsStore = (
  location:
    | { readonly dialect: "sqlite"; readonly filename: string }
    | {
        readonly dialect: "pg"
        readonly url: string | Redacted.Redacted<string>
        readonly schema?: string | undefined
      }
): Effect.Effect<boolean, StorageError.StorageUnavailable> => {
  if (location.dialect === "sqlite") {
    const path = sqliteFile(location.filename)
    if (path === undefined) return Effect.succeed(false)
    return Effect.sync(() => {
      if (!existsSync(path)) return false
      try {
        const db = new DatabaseSync(path, { readOnly: true })
        try {
          return (
            db
              .prepare("SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = ?")
              .get(Migrations.TABLE) !== undefined
          )
        } finally {
          db.close()
        }
      } catch {
        return false
      }
    })
  }
  const { schema } = location
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    return Effect.fail(
      new StorageError.StorageUnavailable({
        operation: "connect",
        detail: new InvalidSchemaName({ schema }).message,
        retryable: false
      })
    )
  }
  // Connected without the schema (a client with one creates it when missing); no identity key is needed to look.
  return Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* run(
      "read the schema",
      schema === undefined
        ? sql<{ readonly found: unknown }>`SELECT to_regclass(${Migrations.TABLE}) IS NOT NULL AS found`
        : sql<{
            readonly found: unknown
          }>`SELECT 1 AS found FROM pg_catalog.pg_tables WHERE schemaname = ${schema} AND tablename = ${Migrations.TABLE}`
    )
    return schema === undefined ? rows[0]?.found === true : rows.length > 0
  }).pipe(
    Effect.provide(
      Layer.effect(SqlClient.SqlClient, pgClient({ url: location.url, maxConnections: 1 })).pipe(
        Layer.provide(Reactivity.layer)
      )
    )
  )
}

/**
 * The file of a SQLite filename or `file:` URI (the path after the scheme, without its query, as node:sqlite opens
 * it); `undefined` for an in-memory database.
 */
export const sqliteFile = (filename: string): string | undefined => {
  if (filename === ":memory:" || filename.includes("mode=memory")) return undefined
  if (filename.startsWith("file://")) return fileURLToPath(filename.split("?")[0] as string)
  if (filename.startsWith("file:")) return filename.slice(5).split("?")[0] as string
  return filename
}

// ---------------------------------------------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------------------------------------------

/** The development key file next to a SQLite database (named by a file name or a `file:` URI). */
export const developmentKeyFile = (filename: string): string => `${sqliteFile(filename) ?? filename}.identity-key`

const isMemory = (filename: string) => filename === ":memory:" || filename === ""

/** The default keyring of a SQLite database (see {@link SqliteOptions.keyring}). */
const defaultSqliteKeyring = (
  filename: string
): Effect.Effect<IdentityKeys.Keyring, IdentityKeys.InvalidIdentityKey | StorageError.StorageUnavailable> =>
  Effect.suspend(() => {
    if (isMemory(filename)) return Effect.succeed(IdentityKeys.keyring(IdentityKeys.generate("ephemeral")))
    const path = developmentKeyFile(filename)
    const read = Effect.try({
      try: () => readFileSync(path, "utf8"),
      catch: (cause) => cause
    })
    const create = Effect.try({
      try: () => {
        const key = IdentityKeys.generate("development")
        writeFileSync(path, `${key.id}:${IdentityKeys.toBase64(key)}\n`, { mode: 0o600, flag: "wx" })
      },
      catch: (cause) => cause
    })
    const parse = (text: string) =>
      Effect.flatMap(Effect.fromResult(IdentityKeys.parseKeyList(text)), (keys) => {
        const [current, ...previous] = keys
        return current === undefined
          ? Effect.fail(new IdentityKeys.InvalidIdentityKey({ keyId: "?", reason: `the key file ${path} is empty` }))
          : Effect.fromResult(IdentityKeys.makeKeyring(current, previous))
      })
    const ioError = (cause: unknown) =>
      new StorageError.StorageUnavailable({
        operation: "read identity key file",
        detail: `${path}: ${messageOf(cause)}`,
        retryable: false
      })
    return read.pipe(
      Effect.catch((cause) =>
        (cause as { readonly code?: unknown }).code === "ENOENT"
          ? Effect.andThen(
              Effect.catch(create, (error) =>
                (error as { readonly code?: unknown }).code === "EEXIST" ? Effect.void : Effect.fail(ioError(error))
              ),
              Effect.mapError(read, ioError)
            )
          : Effect.fail(ioError(cause))
      ),
      Effect.flatMap(parse)
    )
  })

// ---------------------------------------------------------------------------------------------------------------
// Layers
// ---------------------------------------------------------------------------------------------------------------

/** Refuses a tuning option that is not a whole number in its range, before anything is opened or migrated. */
const checkTuning = (options: {
  readonly eventCacheSize?: number
  readonly appendBatchSize?: number
  readonly appendWriters?: number
}): Effect.Effect<void, StorageError.StorageUnavailable> => {
  const bad = (name: string, value: number, least: number) =>
    new StorageError.StorageUnavailable({
      operation: "configure",
      detail: `${name} must be a whole number, ${least} or more: ${value}`,
      retryable: false
    })
  const { eventCacheSize, appendBatchSize } = options
  if (eventCacheSize !== undefined && !(Number.isSafeInteger(eventCacheSize) && eventCacheSize >= 0)) {
    return Effect.fail(bad("eventCacheSize", eventCacheSize, 0))
  }
  if (appendBatchSize !== undefined && !(Number.isSafeInteger(appendBatchSize) && appendBatchSize >= 1)) {
    return Effect.fail(bad("appendBatchSize", appendBatchSize, 1))
  }
  const { appendWriters } = options
  if (appendWriters !== undefined && !(Number.isSafeInteger(appendWriters) && appendWriters >= 1)) {
    return Effect.fail(bad("appendWriters", appendWriters, 1))
  }
  return Effect.void
}

/**
 * The five services on an existing `effect/sql` client (SQLite or PostgreSQL), after migrating it. For
 * applications that manage their own client.
 */
export const layerFromClient = (options: {
  readonly keyring: IdentityKeys.Keyring
  /** See {@link SqliteOptions.eventCacheSize}. */
  readonly eventCacheSize?: number
  /**
   * Group commit: the most appends written together in one transaction (default
   * {@link DEFAULT_APPEND_BATCH_SIZE}, 64; 1 writes each append in its own). Appends that arrive while another is
   * being written wait for it and go together in the next transaction, each still checked, written and answered
   * on its own (a savepoint each); nothing waits on a timer. On PostgreSQL and with this package's own SQLite
   * client (a SQLite client made elsewhere appends one by one).
   */
  readonly appendBatchSize?: number
  /**
   * PostgreSQL: how many group-commit transactions may be written at once (default
   * {@link DEFAULT_PG_APPEND_WRITERS}, 1). SQLite writes one transaction at a time: more than 1 is refused.
   */
  readonly appendWriters?: number
  /** PostgreSQL: see {@link PgOptions.partitionByProvince}. SQLite refuses it. */
  readonly partitionByProvince?: boolean
}): Layer.Layer<
  Services,
  Migrations.SchemaTooNew | Migrations.MigrationFailed | StorageError.StorageUnavailable,
  SqlClient.SqlClient
> =>
  Layer.effectContext(
    Effect.gen(function* () {
      yield* checkTuning(options)
      const sql = yield* SqlClient.SqlClient
      const dialect = dialectOf(sql)
      if (options.partitionByProvince === true && dialect !== "pg") {
        return yield* new StorageError.StorageUnavailable({
          operation: "configure",
          detail: "partitionByProvince is a PostgreSQL option: a SQLite store is one file",
          retryable: false
        })
      }
      yield* Migrations.migrate()
      if (dialect === "sqlite" && (options.appendWriters ?? 1) > 1) {
        return yield* new StorageError.StorageUnavailable({
          operation: "configure",
          detail: `appendWriters must be 1 on SQLite, which writes one transaction at a time: ${options.appendWriters}`,
          retryable: false
        })
      }
      if (options.partitionByProvince === true) yield* run("partition", PgPartitions.partitionByProvince(sql))
      const direct = SqliteClient.directOf(sql)
      const readCommitted = dialect === "pg" && (yield* run("connect", PgAppend.defaultIsReadCommitted(sql)))
      const writer =
        dialect === "pg"
          ? PgAppend.make(sql, readCommitted)
          : direct === undefined
            ? SqliteAppend.generic(sql, sha256)
            : SqliteAppend.direct(direct, sha256)
      const writeMany =
        dialect === "pg"
          ? PgAppend.makeMany(sql, readCommitted)
          : direct === undefined
            ? undefined
            : SqliteAppend.directMany(direct, sha256)
      const writeAll =
        dialect === "pg"
          ? PgAppend.makeAll(sql, readCommitted)
          : direct === undefined
            ? SqliteAppend.genericAll(sql, sha256)
            : SqliteAppend.directAll(direct, sha256)
      return Internal.make({
        sql,
        dialect,
        keyring: options.keyring,
        writer,
        refreshDue: dialect === "pg" ? PgAppend.refreshDue(sql) : SqliteAppend.refreshDue(sql),
        writeAll,
        ...(writeMany === undefined ? {} : { writeMany }),
        ...(direct === undefined ? {} : { direct }),
        ...(options.appendBatchSize === undefined ? {} : { appendBatchSize: options.appendBatchSize }),
        appendWriters: dialect === "pg" ? (options.appendWriters ?? DEFAULT_PG_APPEND_WRITERS) : 1,
        ...(dialect === "pg" ? { readCommitted } : {}),
        ...(options.eventCacheSize === undefined ? {} : { eventCacheSize: options.eventCacheSize }),
        ...(dialect === "sqlite" ? { afterErase: checkpointAfterErase(sql) } : {})
      })
    })
  )

/**
 * SQLite, after an erasure: a `TRUNCATE` checkpoint copies the tombstone over the old page (with `secure_delete`)
 * and empties the WAL, so that no file holds the erased ciphertext. Another connection holding a read snapshot (a
 * backup, `lindung verify` in another process) keeps it from completing; the erasure stands (the row is a
 * tombstone), and the ciphertext stays in the files until a later checkpoint completes — said in a warning that
 * names no subject.
 */
const checkpointAfterErase = (sql: SqlClient.SqlClient): Effect.Effect<void> =>
  Effect.flatMap(Effect.result(sql<{ readonly busy: unknown }>`PRAGMA wal_checkpoint(TRUNCATE)`), (result) =>
    result._tag === "Success" && Number(result.success[0]?.busy ?? 0) === 0
      ? Effect.void
      : Effect.logWarning(
          "identity erased; its old ciphertext stays in the SQLite files until a later checkpoint completes (another connection holds a read snapshot)"
        )
  )

const build = (
  client: Effect.Effect<SqlClient.SqlClient, StartError, Scope.Scope | Reactivity.Reactivity>,
  keyring: Effect.Effect<IdentityKeys.Keyring, StartError>,
  tuning: {
    readonly eventCacheSize?: number | undefined
    readonly appendBatchSize?: number | undefined
    readonly appendWriters?: number | undefined
    readonly partitionByProvince?: boolean | undefined
  }
): Layer.Layer<Services, StartError> =>
  Layer.unwrap(
    Effect.gen(function* () {
      const ring = yield* keyring
      const sql = yield* client
      return layerFromClient({
        keyring: ring,
        ...(tuning.eventCacheSize === undefined ? {} : { eventCacheSize: tuning.eventCacheSize }),
        ...(tuning.appendBatchSize === undefined ? {} : { appendBatchSize: tuning.appendBatchSize }),
        ...(tuning.appendWriters === undefined ? {} : { appendWriters: tuning.appendWriters }),
        ...(tuning.partitionByProvince === undefined ? {} : { partitionByProvince: tuning.partitionByProvince })
      }).pipe(Layer.provide(Layer.succeed(SqlClient.SqlClient, sql)))
    })
  ).pipe(Layer.provide(Reactivity.layer))

/** The storage on an embedded SQLite database (a file, or `:memory:`). */
export const layerSqlite = (options: SqliteOptions): Layer.Layer<Services, StartError> =>
  build(
    sqliteClient(options),
    options.keyring === undefined ? defaultSqliteKeyring(options.filename) : Effect.succeed(options.keyring),
    options
  )

/** The storage on PostgreSQL. */
export const layerPg = (options: PgOptions): Layer.Layer<Services, StartError> =>
  build(pgClient(options), Effect.succeed(options.keyring), options)

/** The storage for a {@link Config}. */
export const layer = (config: Config): Layer.Layer<Services, StartError> =>
  config.dialect === "pg" ? layerPg(config) : layerSqlite(config)

/**
 * Reads the storage configuration from effect's `Config` (the environment by default):
 *
 * - `LINDUNG_DATABASE_URL`: `postgres://…` → PostgreSQL; a file path or `sqlite:path` → SQLite; default
 *   `./lindung.db`.
 * - `LINDUNG_DATABASE_SCHEMA`: the PostgreSQL schema (optional).
 * - `LINDUNG_IDENTITY_KEY`: the current identity key, 32 bytes in base64; `LINDUNG_IDENTITY_KEY_ID` its id
 *   (default `default`); `LINDUNG_IDENTITY_OLD_KEYS`: older keys as `id:base64` pairs, comma-separated.
 * - `LINDUNG_ENV` or `NODE_ENV` = `production`: the identity key is required.
 *
 * Without `LINDUNG_IDENTITY_KEY`, PostgreSQL and production fail with `IdentityKeyMissing`; a development SQLite
 * database uses its development key file (see {@link SqliteOptions.keyring}).
 */
export const readConfig: Effect.Effect<
  Config,
  EffectConfig.ConfigError | IdentityKeys.InvalidIdentityKey | IdentityKeys.IdentityKeyMissing
> = Effect.gen(function* () {
  const url = yield* EffectConfig.String("LINDUNG_DATABASE_URL").pipe(EffectConfig.withDefault(DEFAULT_DATABASE))
  const schema = yield* EffectConfig.option(EffectConfig.NonEmptyString("LINDUNG_DATABASE_SCHEMA"))
  const key = yield* EffectConfig.option(EffectConfig.Redacted("LINDUNG_IDENTITY_KEY"))
  const keyId = yield* EffectConfig.String("LINDUNG_IDENTITY_KEY_ID").pipe(EffectConfig.withDefault("default"))
  const oldKeys = yield* EffectConfig.option(EffectConfig.Redacted("LINDUNG_IDENTITY_OLD_KEYS"))
  const environment = yield* EffectConfig.option(EffectConfig.String("LINDUNG_ENV"))
  const nodeEnvironment = yield* EffectConfig.option(EffectConfig.String("NODE_ENV"))
  const production = [environment, nodeEnvironment].some(
    (value) => Option.isSome(value) && value.value.trim().toLowerCase() === "production"
  )
  const target = parseUrl(url)

  let keyring: IdentityKeys.Keyring | undefined
  if (Option.isSome(key) && Redacted.value(key.value).trim().length > 0) {
    const current = yield* Effect.fromResult(IdentityKeys.fromBase64(keyId, Redacted.value(key.value)))
    const previous = Option.isSome(oldKeys)
      ? yield* Effect.fromResult(IdentityKeys.parseKeyList(Redacted.value(oldKeys.value)))
      : []
    keyring = yield* Effect.fromResult(IdentityKeys.makeKeyring(current, previous))
  } else if (target.dialect === "pg") {
    return yield* new IdentityKeys.IdentityKeyMissing({ reason: "LINDUNG_DATABASE_URL points to PostgreSQL" })
  } else if (production) {
    return yield* new IdentityKeys.IdentityKeyMissing({ reason: "the environment is production" })
  }

  if (target.dialect === "pg") {
    return {
      dialect: "pg",
      url: Redacted.make(target.url),
      keyring: keyring as IdentityKeys.Keyring,
      ...(Option.isSome(schema) ? { schema: schema.value } : {})
    } satisfies Config
  }
  return {
    dialect: "sqlite",
    filename: target.filename,
    ...(keyring === undefined ? {} : { keyring })
  } satisfies Config
})

/** The storage configured by {@link readConfig}. */
export const layerConfig: Layer.Layer<Services, StartError | EffectConfig.ConfigError> = Layer.unwrap(
  Effect.map(readConfig, layer)
)

// ---------------------------------------------------------------------------------------------------------------
// Key rotation
// ---------------------------------------------------------------------------------------------------------------

/**
 * A page of sealed identities (not erased) after `after` in subject order — of every key, or of every key but
 * `otherThan` — with what opening them needs.
 */
const sealedRows = (operation: string, after: string, limit: number, otherThan?: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    run(
      operation,
      sql<{
        readonly subject: string
        readonly key_id: string | null
        readonly iv: Uint8Array | null
        readonly tag: Uint8Array | null
        readonly ciphertext: Uint8Array | null
        readonly erased_at: unknown
      }>`SELECT subject, key_id, iv, tag, ciphertext, erased_at FROM lindung_identities
        WHERE key_id IS NOT NULL AND ${otherThan === undefined ? sql`1 = 1` : sql`key_id <> ${otherThan}`}
        AND subject > ${after} ORDER BY subject LIMIT ${limit}`
    )
  )

/** What {@link reencryptIdentities} did. */
export interface ReencryptReport {
  /** Identities sealed again with the current key. */
  readonly reencrypted: number
  /** Identities already under the current key. */
  readonly current: number
}

/**
 * Seals every stored identity that is not under the keyring's current key again with the current key (each in
 * its own short transaction). After it reports, the old keys can be removed from the keyring. Fails with
 * `CorruptedRecord` (and stops) on an identity that no key of the keyring opens.
 */
export const reencryptIdentities = (
  keyring: IdentityKeys.Keyring,
  options: { readonly batchSize?: number } = {}
): Effect.Effect<
  ReencryptReport,
  StorageError.StorageUnavailable | StorageError.CorruptedRecord,
  SqlClient.SqlClient
> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const batchSize = Math.max(1, options.batchSize ?? 100)
    let reencrypted = 0
    let after = ""
    for (;;) {
      const rows = yield* sealedRows("re-encrypt identities", after, batchSize, keyring.current.id)
      if (rows.length === 0) break
      for (const row of rows) {
        const identity = openIdentity(keyring, row.subject, row)
        if (Result.isFailure(identity)) return yield* identity.failure
        const sealed = sealIdentity(keyring, row.subject, identity.success)
        // Only if the row is unchanged since it was read (a concurrent put or erase wins, and is not counted here).
        const changed = yield* run(
          "re-encrypt identities",
          sql`UPDATE lindung_identities SET key_id = ${sealed.keyId}, iv = ${sealed.iv}, tag = ${sealed.tag},
            ciphertext = ${sealed.ciphertext} WHERE subject = ${row.subject} AND key_id = ${row.key_id} AND iv = ${row.iv}
            RETURNING subject`
        )
        reencrypted += changed.length
        after = row.subject
      }
    }
    const current = yield* run(
      "re-encrypt identities",
      sql<{
        readonly n: unknown
      }>`SELECT COUNT(*) AS n FROM lindung_identities WHERE key_id = ${keyring.current.id}`
    )
    return { reencrypted, current: Number(current[0]?.n ?? 0) - reencrypted }
  })

/**
 * The key ids whose identities the keyring does not open, with how many: every stored identity is tried, or, with
 * `sample`, the first of each key id. A key id that matches the keyring's but does not open (a new key configured
 * under the old key's id) shows here, before anyone removes the key that still opens it.
 */
export const unreadableIdentities = (
  keyring: IdentityKeys.Keyring,
  options: { readonly sample?: boolean; readonly batchSize?: number } = {}
): Effect.Effect<Readonly<Record<string, number>>, StorageError.StorageUnavailable, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const batchSize = Math.max(1, options.batchSize ?? 500)
    const unreadable: Record<string, number> = {}
    const sampled = new Set<string>()
    let after = ""
    for (;;) {
      const rows = yield* sealedRows("check identities", after, batchSize)
      if (rows.length === 0) break
      for (const row of rows) {
        after = row.subject
        const keyId = row.key_id ?? ""
        if (options.sample === true && sampled.has(keyId)) continue
        sampled.add(keyId)
        if (Result.isFailure(openIdentity(keyring, row.subject, row))) unreadable[keyId] = (unreadable[keyId] ?? 0) + 1
      }
    }
    return unreadable
  })

/** How many stored identities each key id seals, and how many were erased (they hold no ciphertext). */
export interface KeyCounts {
  readonly byKey: Readonly<Record<string, number>>
  readonly erased: number
}

/**
 * How many identities each key id still seals (`lindung keys status`): once the count of an old key is 0 — after
 * {@link reencryptIdentities} — it can be removed from the keyring.
 */
export const identityKeyCounts: Effect.Effect<KeyCounts, StorageError.StorageUnavailable, SqlClient.SqlClient> =
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* run(
      "count identities by key",
      sql<{
        readonly key_id: string | null
        readonly n: unknown
      }>`SELECT key_id, COUNT(*) AS n FROM lindung_identities GROUP BY key_id ORDER BY key_id`
    )
    const byKey: Record<string, number> = {}
    let erased = 0
    for (const row of rows) {
      if (row.key_id === null) erased += Number(row.n)
      else byKey[row.key_id] = Number(row.n)
    }
    return { byKey, erased }
  })

// ---------------------------------------------------------------------------------------------------------------
// Counters
// ---------------------------------------------------------------------------------------------------------------

/** How long {@link rebuildCounts} waits for the counters' table on PostgreSQL (a Lindung default). */
export const REBUILD_LOCK_TIMEOUT = "5s"

/** What {@link rebuildCounts} wrote. */
export interface CountsReport {
  /** The cases counted (every row of the index). */
  readonly cases: number
  /** The counter rows written. */
  readonly keys: number
}

/**
 * Rebuilds the dashboard counters (`lindung_case_counts`) from the case index, in one transaction: for a store
 * whose counters an outside writer left wrong (a hand-written `INSERT`, a restore of only some tables). Call it
 * outside a transaction of your own. Appends pause while it runs (about 4 s per million cases here), and the
 * rebuilt counters stay right:
 *
 * - PostgreSQL: it first locks the table against writes (waiting at most {@link REBUILD_LOCK_TIMEOUT}, then failing
 *   with `StorageUnavailable`, so that a long transaction of someone else's cannot stall every append behind it).
 *   An append waits at its counters and then adds to the rebuilt rows; its index row, not yet committed, is not
 *   counted twice. Readers of `readAfter` wait for those appends too. Counts read meanwhile see the old counters.
 * - SQLite: it holds the database's write lock; appends of other processes wait up to their busy timeout (5 s by
 *   default: raise it, or stop the writers, for a store of more than about a million cases), and the process's own
 *   reads and appends wait for it.
 *
 * @example
 * ```ts
 * const report = yield* SqlStorage.rebuildCounts // needs an effect/sql SqlClient of a migrated store
 * // { cases: 1204, keys: 377 }
 * ```
 */
export const rebuildCounts: Effect.Effect<CountsReport, StorageError.StorageUnavailable, SqlClient.SqlClient> =
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    return yield* run(
      "rebuild counts",
      transaction(
        sql,
        Effect.gen(function* () {
          if (dialectOf(sql) === "pg") {
            yield* sql.unsafe(`SET LOCAL lock_timeout = '${REBUILD_LOCK_TIMEOUT}'`)
            yield* sql`LOCK TABLE lindung_case_counts IN EXCLUSIVE MODE`
          }
          yield* sql`DELETE FROM lindung_case_counts`
          yield* sql.unsafe(FILL_CASE_COUNTS)
          const cases = yield* sql<{ readonly n: unknown }>`SELECT COUNT(*) AS n FROM lindung_case_index`
          const keys = yield* sql<{ readonly n: unknown }>`SELECT COUNT(*) AS n FROM lindung_case_counts`
          return { cases: toNumber(cases[0]?.n ?? 0), keys: toNumber(keys[0]?.n ?? 0) }
        })
      )
    )
  })
