/**
 * Backup and restore of an embedded SQLite store, through SQLite's online backup API (`node:sqlite`'s `backup`):
 * a consistent copy page by page, also while a server writes to the store (WAL). The copy holds the event log, the
 * index, the checkpoints, the export log and the identities **sealed**: the identity key (`LINDUNG_IDENTITY_KEY`, or
 * the development key file `<database>.identity-key`) is not in it and must be kept, apart, to read them after a
 * restore. PostgreSQL stores are backed up with PostgreSQL's own tools (`pg_dump --format=custom`, `pg_restore`; see
 * docs/operations.md).
 *
 * @example
 * ```ts
 * import { Backup } from "@lindung/storage-sql"
 *
 * yield* Backup.backupSqlite("./lindung.db", "./backups/lindung-2026-12-07.db")
 * yield* Backup.restoreSqlite("./backups/lindung-2026-12-07.db", "./restored.db")
 * ```
 *
 * @since 0.3.0
 */
import { existsSync } from "node:fs"
import { backup, DatabaseSync } from "node:sqlite"
import { Effect, Schema } from "effect"

/** A backup or a restore could not be made: `reason` says why (a path, never a stored value). */
export class BackupFailed extends Schema.TaggedError<BackupFailed>()("BackupFailed", {
  operation: Schema.Literals(["backup", "restore"]),
  reason: Schema.String
}) {
  override get message(): string {
    return `The ${this.operation} failed: ${this.reason}`
  }
}

const describe = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause))

/** Copies `from` (an SQLite store file, in use or not) to `to`, which must not exist yet: the number of pages copied. */
const copy = (operation: "backup" | "restore", from: string, to: string) =>
  Effect.gen(function* () {
    if (!existsSync(from)) return yield* new BackupFailed({ operation, reason: `${from} does not exist` })
    if (existsSync(to)) {
      return yield* new BackupFailed({ operation, reason: `${to} exists already: choose a new file, or move it away` })
    }
    return yield* Effect.acquireUseRelease(
      Effect.try({
        try: () => new DatabaseSync(from, { readOnly: true }),
        catch: (cause) => new BackupFailed({ operation, reason: `${from} does not open: ${describe(cause)}` })
      }),
      (source) =>
        Effect.tryPromise({
          try: () => backup(source, to),
          catch: (cause) => new BackupFailed({ operation, reason: describe(cause) })
        }),
      (source) => Effect.sync(() => source.close())
    )
  })

/** Backs up the SQLite store `filename` into the new file `to` (consistent while it is in use): the pages copied. */
export const backupSqlite = Effect.fn("Backup.backupSqlite")(function* (filename: string, to: string) {
  return yield* copy("backup", filename, to)
})

/**
 * Restores the backup `from` into the new SQLite store `filename` (which must not exist: a restore never overwrites a
 * store): the pages copied. Verify it afterwards (`EventStore.verify`, `lindung verify`).
 */
export const restoreSqlite = Effect.fn("Backup.restoreSqlite")(function* (from: string, filename: string) {
  return yield* copy("restore", from, filename)
})
