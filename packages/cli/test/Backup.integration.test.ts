/**
 * `lindung backup` and `lindung restore` on PostgreSQL (pg_dump and pg_restore): the demo's seed stories in a schema of
 * their own, backed up, restored into a new, empty database, every event there, every chain intact, and an identity
 * read back with the key. The new database is dropped at the end, and the schema too.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { IdentityKeys, SqlStorage } from "@lindung/storage-sql"
import { describeWith, postgres, unique } from "@lindung/testing"
import { Effect, Redacted } from "effect"
import { SqlClient } from "effect/sql"
import { afterAll, expect, it } from "vitest"
import { seededName, storedName } from "./seedIdentity.js"

const bin = join(import.meta.dirname, "..", "bin", "lindung.js")

const collect = (child: ChildProcess) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    let stdout = ""
    let stderr = ""
    child.stdout?.on("data", (chunk) => {
      stdout += String(chunk)
    })
    child.stderr?.on("data", (chunk) => {
      stderr += String(chunk)
    })
    child.once("error", reject)
    child.once("close", (code) => resolve({ code, stdout, stderr }))
  })

describeWith(postgres, "lindung backup and restore on PostgreSQL", (url) => {
  const dir = mkdtempSync(join(tmpdir(), "lindung-pg-backup-"))
  const id = unique()
  const schema = `lindung_backup_${id}`
  const database = `lindung_restore_${id}`
  const restoredUrl = url.replace(/\/[^/?]+(\?.*)?$/u, `/${database}$1`)
  const key = randomBytes(32).toString("base64")
  const env = { LINDUNG_DATABASE_SCHEMA: schema, LINDUNG_IDENTITY_KEY: key, LINDUNG_IDENTITY_KEY_ID: "2026-pg" }
  const lindung = (...args: ReadonlyArray<string>) =>
    collect(
      spawn(process.execPath, [bin, ...args], {
        cwd: dir,
        env: { ...process.env, LINDUNG_ENV: "development", NODE_ENV: "test", ...env },
        stdio: ["ignore", "pipe", "pipe"]
      })
    )
  const admin = (statement: string, target = url) =>
    Effect.runPromise(
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        return yield* sql.unsafe(statement)
      }).pipe(
        Effect.scoped,
        Effect.provide(
          SqlStorage.clientLayer({
            dialect: "pg",
            url: Redacted.make(target),
            keyring: IdentityKeys.keyring(IdentityKeys.generate("admin"))
          })
        )
      )
    )

  afterAll(async () => {
    await admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined)
    await admin(`DROP SCHEMA IF EXISTS ${schema}_typo CASCADE`).catch(() => undefined)
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined)
    rmSync(dir, { recursive: true, force: true })
  })

  it("backs up with pg_dump, restores into an empty database: chains intact, identities readable, nothing lost", async () => {
    const demo = await lindung("demo", "--database-url", url)
    expect(demo.code, demo.stderr).toBe(0)
    const backedUp = await lindung("backup", "-o", "store.dump", "--database-url", url)
    expect(backedUp.code, backedUp.stderr).toBe(0)
    expect(backedUp.stdout).toContain(`Backed up the PostgreSQL store (schema ${schema}) to store.dump with pg_dump`)
    // A URL or schema without a store is refused, never created and dumped empty.
    const mistyped = await collect(
      spawn(process.execPath, [bin, "backup", "-o", "empty.dump", "--database-url", url], {
        cwd: dir,
        env: { ...process.env, ...env, LINDUNG_DATABASE_SCHEMA: `${schema}_typo` },
        stdio: ["ignore", "pipe", "pipe"]
      })
    )
    expect(mistyped.code).toBe(2)
    expect(existsSync(join(dir, "empty.dump"))).toBe(false)
    // A command that only reads refuses it too, and does not create the schema.
    const verifyTypo = await collect(
      spawn(process.execPath, [bin, "verify", "--database-url", url], {
        cwd: dir,
        env: { ...process.env, ...env, LINDUNG_DATABASE_SCHEMA: `${schema}_typo` },
        stdio: ["ignore", "pipe", "pipe"]
      })
    )
    expect(verifyTypo.code).toBe(2)
    expect(verifyTypo.stderr).toContain(`has no Lindung store in schema ${schema}_typo`)
    expect(await admin(`SELECT 1 FROM pg_namespace WHERE nspname = '${schema}_typo'`)).toEqual([])
    const verified = await lindung("verify", "--database-url", url)
    expect(verified.code, verified.stderr).toBe(0)
    // Without the identity key: a backup still runs (the key is kept apart from backups), a verify that reads the
    // identities' store says which variable is missing (exit 2).
    const keyless = (...args: ReadonlyArray<string>) =>
      collect(
        spawn(process.execPath, [bin, ...args, "--database-url", url], {
          cwd: dir,
          env: { ...process.env, LINDUNG_ENV: "development", NODE_ENV: "test", LINDUNG_DATABASE_SCHEMA: schema },
          stdio: ["ignore", "pipe", "pipe"]
        })
      )
    const keylessBackup = await keyless("backup", "-o", "keyless.dump")
    expect(keylessBackup.code, keylessBackup.stderr).toBe(0)
    expect(existsSync(join(dir, "keyless.dump"))).toBe(true)
    // Checking the chains needs no identity key either.
    const keylessVerify = await keyless("verify")
    expect(keylessVerify.code, keylessVerify.stderr).toBe(0)
    expect(keylessVerify.stdout).toMatch(/the history is intact/)
    expect(existsSync(join(dir, "store.dump"))).toBe(true)
    // A dump that fails half-way leaves no file under the backup's name (here a pg_dump that writes part of its file,
    // then fails): the retry is not blocked, and nothing looks like a backup.
    const failing = join(dir, "failing-bin")
    mkdirSync(failing)
    writeFileSync(
      join(failing, "pg_dump"),
      [
        "#!/bin/sh",
        // Writes part of the dump into the file it is given, then fails.
        `for a in "$@"; do case "$a" in --file=*) echo partial > "$(echo "$a" | cut -d= -f2-)";; esac; done`,
        'echo "connection lost" >&2',
        "exit 1",
        ""
      ].join("\n"),
      { mode: 0o755 }
    )
    const failed = await collect(
      spawn(process.execPath, [bin, "backup", "-o", "failed.dump", "--database-url", url], {
        cwd: dir,
        env: { ...process.env, ...env, LINDUNG_PG_BIN: failing },
        stdio: ["ignore", "pipe", "pipe"]
      })
    )
    expect(failed.code).toBe(1)
    expect(failed.stderr).toContain("connection lost")
    expect(readdirSync(dir).filter((name) => name.startsWith("failed.dump"))).toEqual([])
    // Never over an existing file.
    expect((await lindung("backup", "-o", "store.dump", "--database-url", url)).code).not.toBe(0)
    await admin(`CREATE DATABASE ${database}`)
    const restored = await lindung("restore", "-i", "store.dump", "--database-url", restoredUrl)
    expect(restored.code, restored.stderr).toBe(0)
    expect(restored.stdout).toContain("the history intact")
    const countOf = async (target: string) =>
      (await admin(`SELECT count(*)::int AS n, max(position)::text AS last FROM ${schema}.lindung_events`, target))[0]
    const original = await countOf(url)
    expect(await countOf(restoredUrl)).toEqual(original)
    // Restoring again over the restored store is refused.
    expect((await lindung("restore", "-i", "store.dump", "--database-url", restoredUrl)).code).not.toBe(0)
    // With the key, an identity reads back from the restored database.
    const name = await storedName(
      SqlStorage.layer({
        dialect: "pg",
        url: Redacted.make(restoredUrl),
        schema,
        keyring: IdentityKeys.keyring(IdentityKeys.fromBase64Sync("2026-pg", key))
      })
    )
    expect(name).toBe(seededName)
    expect(backedUp.stdout + restored.stdout + backedUp.stderr + restored.stderr).not.toContain(key)
  }, 300_000)
})
