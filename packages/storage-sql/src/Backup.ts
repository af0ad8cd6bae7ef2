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
import { randomBytes } from "node:crypto"
import { closeSync, existsSync, linkSync, openSync, rmSync } from "node:fs"
import { join } from "node:path"
import { backup, DatabaseSync } from "node:sqlite"
import { Effect, Schema } from "effect"

/** Creates `path` empty and readable by its owner only (mode 0600); fails when it exists. */
const createPrivately = (path: string): void => closeSync(openSync(path, "wx", 0o600))

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

/** The files SQLite keeps beside a database: a store there would pick up a stale one. */
const sidecars = (filename: string) => [`${filename}-wal`, `${filename}-shm`, `${filename}-journal`]

/**
 * Copies `from` (an SQLite store file, in use or not) to `to`, which must not exist yet: through a temporary file
 * beside it, linked into place only once the copy is whole, so a failed copy leaves nothing at `to`.
 */
const copy = (operation: "backup" | "restore", from: string, to: string) =>
  Effect.gen(function* () {
    if (!existsSync(from)) return yield* new BackupFailed({ operation, reason: `${from} does not exist` })
    for (const path of [to, ...sidecars(to)]) {
      if (existsSync(path)) {
        return yield* new BackupFailed({
          operation,
          reason: `${path} exists already: choose a new file, or move it away`
        })
      }
    }
    const partial = `${to}.partial-${randomBytes(6).toString("hex")}`
    const removePartial = Effect.sync(() => {
      for (const path of [partial, ...sidecars(partial)]) rmSync(path, { force: true })
    })
    return yield* Effect.acquireUseRelease(
      Effect.try({
        try: () => new DatabaseSync(from, { readOnly: true }),
        catch: (cause) => new BackupFailed({ operation, reason: `${from} does not open: ${describe(cause)}` })
      }),
      (source) =>
        Effect.tryPromise({
          // One step: the whole copy in one read, which a writer of the store (WAL) never restarts.
          // Into an empty file made readable by its owner only: the events are not encrypted.
          try: () => {
            createPrivately(partial)
            return backup(source, partial, { rate: 1_000_000_000 })
          },
          catch: (cause) => new BackupFailed({ operation, reason: describe(cause) })
        }).pipe(
          Effect.tap(() =>
            Effect.try({
              // A link fails when `to` appeared meanwhile: never over another file.
              try: () => linkSync(partial, to),
              catch: (cause) => new BackupFailed({ operation, reason: describe(cause) })
            })
          )
        ),
      (source) =>
        Effect.andThen(
          Effect.sync(() => source.close()),
          removePartial
        )
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

/** A connection URL without its password, and the password (passed to the programs through `PGPASSWORD`). */
const withoutPassword = (url: string): { readonly dbname: string; readonly password: string | undefined } => {
  try {
    const parsed = new URL(url)
    if (parsed.password === "") return { dbname: url, password: undefined }
    const password = decodeURIComponent(parsed.password)
    parsed.password = ""
    return { dbname: parsed.toString(), password }
  } catch {
    return { dbname: url, password: undefined }
  }
}

/** A PostgreSQL client program, from `LINDUNG_PG_BIN` when set, else the PATH. */
const program = (name: string): string =>
  process.env.LINDUNG_PG_BIN === undefined || process.env.LINDUNG_PG_BIN === ""
    ? name
    : join(process.env.LINDUNG_PG_BIN, name)

/** Runs a program to its end; its standard error (never a stored value: these programs print no rows) on failure. */
const runProgram = (
  operation: "backup" | "restore",
  name: string,
  args: ReadonlyArray<string>,
  password: string | undefined
) =>
  Effect.callback<void, BackupFailed>((resume) => {
    const child = spawn(program(name), [...args], {
      stdio: ["ignore", "ignore", "pipe"],
      // The password in the environment of the child only, never in its arguments (which `ps` shows).
      env: password === undefined ? process.env : { ...process.env, PGPASSWORD: password }
    })
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
  const { dbname, password } = withoutPassword(url)
  // Dumped beside the target and linked to its name once whole: a dump that fails (or is killed) leaves no file
  // under the target's name to block the retry or be taken for a backup.
  const partial = `${to}.partial-${randomBytes(6).toString("hex")}`
  // pg_dump writes into a file made readable by its owner only (it keeps the mode of a file that exists).
  yield* Effect.try({
    try: () => createPrivately(partial),
    catch: (cause) => new BackupFailed({ operation: "backup", reason: describe(cause) })
  })
  yield* runProgram(
    "backup",
    "pg_dump",
    [
      "--format=custom",
      "--no-owner",
      ...(schema === undefined ? [] : [`--schema=${schema}`]),
      `--file=${partial}`,
      `--dbname=${dbname}`
    ],
    password
  ).pipe(
    Effect.andThen(
      Effect.try({
        // A link fails when `to` appeared meanwhile: never over another file.
        try: () => linkSync(partial, to),
        catch: (cause) => new BackupFailed({ operation: "backup", reason: describe(cause) })
      })
    ),
    Effect.ensuring(Effect.sync(() => rmSync(partial, { force: true })))
  )
})

/**
 * Restores a `pg_dump --format=custom` backup into the PostgreSQL database at `url` with `pg_restore`, stopping at the
 * first error. The database (or, for a store with a schema of its own, that schema) must not hold a store yet: a
 * restore never overwrites one.
 */
export const restorePg = Effect.fn("Backup.restorePg")(function* (from: string, url: string) {
  if (!existsSync(from)) return yield* new BackupFailed({ operation: "restore", reason: `${from} does not exist` })
  const { dbname, password } = withoutPassword(url)
  // One transaction: a restore that fails (a store already there) leaves nothing behind.
  yield* runProgram(
    "restore",
    "pg_restore",
    ["--no-owner", "--exit-on-error", "--single-transaction", `--dbname=${dbname}`, from],
    password
  )
})
