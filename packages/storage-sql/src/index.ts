/**
 * `@lindung/storage-sql`: the storage ports of `@lindung/core` on `effect/sql`, over embedded SQLite
 * (`node:sqlite`, the default) and PostgreSQL, with versioned migrations and identities encrypted at rest.
 *
 * @example
 * ```ts
 * import { layerSqlite } from "@lindung/storage-sql"
 *
 * const storage = layerSqlite({ filename: "./lindung.db" }) // EventStore | CaseIndex | IdentityVault | Checkpoints | ExportLog
 * ```
 *
 * @since 0.1.0
 */

/** Backup and restore of an embedded SQLite store (online backup API; identities stay sealed). */
export * as Backup from "./Backup.js"
/** The identity keys: AES-256-GCM keys, keyrings for rotation, sealing and opening. */
export * as IdentityKeys from "./IdentityKeys.js"
/** Versioned schema migrations for SQLite and PostgreSQL. */
export * as Migrations from "./Migrations.js"
/** The layers: SQLite, PostgreSQL, by config, from the environment; key rotation. */
export * as SqlStorage from "./SqlStorage.js"
export {
  type Config,
  type CountsReport,
  clientLayer,
  layer,
  layerConfig,
  layerFromClient,
  layerPg,
  layerSqlite,
  type PgOptions,
  readConfig,
  rebuildCounts,
  reencryptIdentities,
  type Services,
  type SqliteOptions,
  type StartError
} from "./SqlStorage.js"
