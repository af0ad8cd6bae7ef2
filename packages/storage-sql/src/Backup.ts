/**
 * Backup and restore of an embedded SQLite store, through SQLite's online backup API (`node:sqlite`'s `backup`):
 * a consistent copy page by page, also while a server writes to the store (WAL). The copy holds the event log, the
 * index, the checkpoints, the export log and the identities **sealed**: the identity key (`LINDUNG_IDENTITY_KEY`, or
 * the development key file `<database>.identity-key`) is not in it and must be kept, apart, to read them after a
 * restore. PostgreSQL stores are backed up with PostgreSQL's own tools: {@link backupPg} runs `pg_dump --format=custom`
 * (consistent while serving: one snapshot), {@link restorePg} runs `pg_restore` into an empty database; both need the
 * PostgreSQL client programs on the PATH (or `LINDUNG_PG_BIN`).
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
import { spawn } from "node:child_process"
import { existsSync } from "node:fs"
import { join } from "node:path"
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

/** A PostgreSQL client program, from `LINDUNG_PG_BIN` when set, else the PATH. */
const program = (name: string): string =>
  process.env.LINDUNG_PG_BIN === undefined || process.env.LINDUNG_PG_BIN === ""
    ? name
    : join(process.env.LINDUNG_PG_BIN, name)

/** Runs a program to its end; its standard error (never a stored value: these programs print no rows) on failure. */
const runProgram = (operation: "backup" | "restore", name: string, args: ReadonlyArray<string>) =>
  Effect.callback<void, BackupFailed>((resume) => {
    const child = spawn(program(name), [...args], { stdio: ["ignore", "ignore", "pipe"] })
    let stderr = ""
    child.stderr?.on("data", (chunk) => {
      stderr += String(chunk)
    })
    child.once("error", (error) =>
      resume(Effect.fail(new BackupFailed({ operation, reason: `${name} does not run: ${describe(error)}` })))
    )
    child.once("close", (code) =>
      resume(
        code === 0
          ? Effect.void
          : Effect.fail(
              new BackupFailed({
                operation,
                // A URL in a message is shown without its password.
                reason: `${name} ended with ${code}: ${stderr
                  .trim()
                  .replace(/\/\/[^/@\s]*@/gu, "//***@")
                  .slice(0, 500)}`
              })
            )
      )
    )
    return Effect.sync(() => child.kill())
  })

/**
 * Backs up the PostgreSQL store at `url` (its `schema` only, when it has one of its own) into the new file `to`, with
 * `pg_dump --format=custom`: one consistent snapshot, also while the store is in use.
 */
export const backupPg = Effect.fn("Backup.backupPg")(function* (url: string, to: string, schema?: string) {
  if (existsSync(to)) {
    return yield* new BackupFailed({ operation: "backup", reason: `${to} exists already: choose a new file` })
  }
  yield* runProgram("backup", "pg_dump", [
    "--format=custom",
    "--no-owner",
    ...(schema === undefined ? [] : [`--schema=${schema}`]),
    `--file=${to}`,
    `--dbname=${url}`
  ])
})

/**
 * Restores a `pg_dump --format=custom` backup into the PostgreSQL database at `url` with `pg_restore`, stopping at the
 * first error. The database (or, for a store with a schema of its own, that schema) must not hold a store yet: a
 * restore never overwrites one.
 */
export const restorePg = Effect.fn("Backup.restorePg")(function* (from: string, url: string) {
  if (!existsSync(from)) return yield* new BackupFailed({ operation: "restore", reason: `${from} does not exist` })
  yield* runProgram("restore", "pg_restore", ["--no-owner", "--exit-on-error", `--dbname=${url}`, from])
})
