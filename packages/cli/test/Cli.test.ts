/**
 * The `lindung` command as a user runs it: a child process of the built executable in a fresh directory, on the
 * embedded SQLite store. `demo` + `serve` + a request + SIGTERM; `import` of a file with bad lines; `export`
 * without identity (the fictional names of the seed identities must appear in no output or log).
 */
import { type ChildProcess, spawn } from "node:child_process"
import { generateKeyPairSync, randomBytes } from "node:crypto"
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from "node:fs"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { DatabaseSync } from "node:sqlite"
import { Stories } from "@lindung/seeds"
import { SqlStorage } from "@lindung/storage-sql"
import { ConfigProvider, Layer } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { seededName, storedName } from "./seedIdentity.js"

const bin = join(import.meta.dirname, "..", "bin", "lindung.js")
const built = join(import.meta.dirname, "..", "dist", "bin.js")

interface Finished {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** `lindung` in a child process; its output goes to a pipe, or to the file descriptor given. */
const start = (
  cwd: string,
  args: ReadonlyArray<string>,
  env: Record<string, string> = {},
  stdout: "pipe" | number = "pipe"
): ChildProcess =>
  spawn(process.execPath, [bin, ...args], {
    cwd,
    env: { ...process.env, LINDUNG_ENV: "development", NODE_ENV: "test", LINDUNG_DATABASE_URL: "", ...env },
    stdio: ["ignore", stdout, "pipe"]
  })

const collect = (child: ChildProcess): Promise<Finished> =>
  new Promise((resolve, reject) => {
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

const lindung = (cwd: string, ...args: ReadonlyArray<string>) => collect(start(cwd, args))

/** The flags of an export by the Sumbar auditor on a legal obligation, but its purpose. */
const exportArgs = ["export", "--as", "auditor-sumbar-1", "--basis", "legal-obligation", "--ground", "Permensos 5/2019"]

/** An export by the Sumbar auditor (region 13) on a legal obligation, with any further flags. */
const exportAs = (cwd: string, ...args: ReadonlyArray<string>) =>
  lindung(
    cwd,
    "export",
    "--as",
    "auditor-sumbar-1",
    "--basis",
    "legal-obligation",
    "--ground",
    "Permensos 5/2019: reports of social rehabilitation to the ministry",
    "--purpose",
    "Quarterly figures for Kemensos",
    ...args
  )

/** The case index entries of an export's output (its first line is the manifest). */
const entriesOf = (stdout: string) =>
  stdout
    .split("\n")
    .filter((line) => line.length > 0)
    .slice(1)
    .map((line) => JSON.parse(line) as { caseId: string; region: string; updatedAt: string })

/** The fictional identity values of every seed story: none may leave the identity vault. */
const sentinels = Stories.all.flatMap((story) =>
  story.identities.flatMap((entry) =>
    [
      entry.identity.name,
      entry.identity.nik,
      entry.identity.address,
      entry.identity.school,
      ...entry.identity.familyNames
    ].filter((value): value is string => typeof value === "string" && value.length > 3)
  )
)

let dir = ""

beforeAll(async () => {
  if (!existsSync(built)) throw new Error("build @lindung/cli first (turbo runs the build before these tests)")
  dir = mkdtempSync(join(tmpdir(), "lindung-cli-"))
  const demo = await lindung(dir, "demo")
  expect(demo.code, demo.stderr).toBe(0)
}, 120_000)

afterAll(() => {
  if (dir !== "") rmSync(dir, { recursive: true, force: true })
})

/** A directory file of Dinas Sosial Kota Padang (type A) with these people. */
const padangDirectory = (people: ReadonlyArray<Record<string, unknown>>): string =>
  JSON.stringify([
    { id: "dinsos-13.71", kind: "dinsos", name: "Dinas Sosial Kota Padang", region: "13.71", dinasType: "A", people }
  ])

/** A copy of the demo store (without its key file) under `name` in the test directory: its path. */
const copyOfDemo = (name: string): string => {
  const copy = join(dir, name)
  const source = new DatabaseSync(join(dir, "lindung.db"))
  try {
    source.exec(`VACUUM INTO '${copy}'`)
  } finally {
    source.close()
  }
  return copy
}

describe("lindung", () => {
  it("loads the seed stories once: a second demo writes nothing new", async () => {
    expect(existsSync(join(dir, "lindung.db"))).toBe(true)
    // A new store is made readable by its owner only (its events are not encrypted), and so are its WAL files.
    for (const file of ["lindung.db", "lindung.db-wal"]) {
      if (existsSync(join(dir, file))) expect(statSync(join(dir, file)).mode & 0o777, file).toBe(0o600)
    }
    const before = await lindung(dir, "verify")
    const again = await lindung(dir, "demo")
    expect(again.code, again.stderr).toBe(0)
    const after = await lindung(dir, "verify")
    expect(after.stdout).toBe(before.stdout)
    expect(after.stdout).toMatch(/Verified \d+ events of \d+ cases: the history is intact/)
    // A second demo replays 818 commands: on a loaded 2-core machine it takes well over the default 30 s.
  }, 120_000)

  it("rebuilds dashboard counters that a hand-written change left wrong; refuses a database not migrated", async () => {
    const verified = Number((await lindung(dir, "verify")).stdout.match(/of (\d+) cases/)?.[1])
    const total = () => {
      const db = new DatabaseSync(join(dir, "lindung.db"))
      try {
        return Number(
          (db.prepare("SELECT SUM(n) AS n FROM lindung_case_counts WHERE dimension = ''").get() as { n: number }).n
        )
      } finally {
        db.close()
      }
    }
    expect(total()).toBe(verified)
    const db = new DatabaseSync(join(dir, "lindung.db"))
    db.exec("UPDATE lindung_case_counts SET n = n + 7")
    db.close()
    expect(total()).not.toBe(verified)
    const rebuilt = await lindung(dir, "rebuild-counts")
    expect(rebuilt.code, rebuilt.stderr).toBe(0)
    expect(rebuilt.stdout).toMatch(/^Rebuilt the dashboard counters of (\d+) cases \((\d+) counter rows\) in /)
    expect(Number(rebuilt.stdout.match(/counters of (\d+) cases/)?.[1])).toBe(verified)
    expect(total()).toBe(verified)
    const elsewhere = await lindung(dir, "rebuild-counts", "--database-url", "mistyped.db")
    expect(elsewhere.code).not.toBe(0)
    expect(elsewhere.stderr).toContain("run lindung migrate first")
  }, 90_000)

  it("reads a store only at this release's schema: verify, export and backup refuse an older one and leave it as it is (review finding)", async () => {
    // A copy of the demo store whose schema is a version behind (as a store of the previous release).
    const older = copyOfDemo("older.db")
    const versionOf = () => {
      const db = new DatabaseSync(older)
      try {
        return Number((db.prepare("SELECT MAX(version) AS v FROM lindung_schema_migrations").get() as { v: number }).v)
      } finally {
        db.close()
      }
    }
    const latest = versionOf()
    const db = new DatabaseSync(older)
    db.exec(`DELETE FROM lindung_schema_migrations WHERE version = ${latest}`)
    db.close()
    for (const args of [
      ["verify", "--database-url", older],
      [...exportArgs, "--purpose", "Figures", "--database-url", older, "-o", join(dir, "older.ndjson")],
      ["backup", "--database-url", older, "-o", join(dir, "older-backup.db")]
    ]) {
      const refused = await lindung(dir, ...args)
      expect(refused.code, `${args[0]}: ${refused.stderr}`).toBe(2)
      expect(refused.stderr).toContain(`is at schema version ${latest - 1}, not ${latest}: run lindung migrate first`)
      expect(versionOf()).toBe(latest - 1)
    }
    expect(existsSync(join(dir, "older.ndjson"))).toBe(false)
    expect(existsSync(join(dir, "older-backup.db"))).toBe(false)
    // Checking the chains needs no identity key: verify makes no key file beside the store.
    expect(existsSync(`${older}.identity-key`)).toBe(false)
    expect((await lindung(dir, "migrate", "--database-url", older)).code).toBe(0)
    const verified = await lindung(dir, "verify", "--database-url", `file:${older}`)
    expect(verified.code, verified.stderr).toBe(0)
    expect(existsSync(`${older}.identity-key`)).toBe(false)
    // A file: URL names the store for a backup as for the other commands.
    const backedUp = await lindung(dir, "backup", "--database-url", `file:${older}`, "-o", join(dir, "older-backup.db"))
    expect(backedUp.code, backedUp.stderr).toBe(0)
  }, 90_000)

  it("brings the deadlines in the case index up to a changed policy, then finds nothing to rewrite", async () => {
    // A copy of the demo store (and its development key): the other tests go on with the demo's own.
    const copy = copyOfDemo("refresh-due.db")
    copyFileSync(join(dir, "lindung.db.identity-key"), `${copy}.identity-key`)
    const dueInstants = () => {
      const db = new DatabaseSync(copy)
      try {
        return db
          .prepare("SELECT case_id, next_due_at, wake_at, entry FROM lindung_case_index ORDER BY case_id")
          .all() as unknown as ReadonlyArray<{
          case_id: string
          next_due_at: number | null
          wake_at: number | null
          entry: string
        }>
      } finally {
        db.close()
      }
    }
    const report = (stdout: string) => {
      const found = stdout.match(
        /^Refreshed the due instants of (\d+) cases in SQLite .* under .*: (\d+) rewritten, 0 changed meanwhile .*, 0 failed$/m
      )
      return { cases: Number(found?.[1]), written: Number(found?.[2]) }
    }
    const before = dueInstants()
    const same = await lindung(dir, "refresh-due", "--database-url", copy)
    expect(same.code, same.stderr).toBe(0)
    expect(report(same.stdout)).toEqual({ cases: before.length, written: 0 })
    expect(same.stdout).toContain("under the default policy")
    expect(dueInstants()).toEqual(before)
    // Longer reviews, shorter case plans.
    const changed = join(dir, "review-and-plan.json")
    writeFileSync(
      changed,
      JSON.stringify({
        deadlines: {
          review: { tinggi: "P10D", sedang: "P20D", rendah: "P40D" },
          "case-plan": { tinggi: "P2D", sedang: "P4D", rendah: "P8D" }
        }
      })
    )
    const refreshed = await lindung(dir, "refresh-due", "--policy", changed, "--database-url", copy)
    expect(refreshed.code, refreshed.stderr).toBe(0)
    const { written } = report(refreshed.stdout)
    expect(refreshed.stdout).toContain(`under the policy file ${changed}`)
    expect(written).toBeGreaterThan(0)
    const after = dueInstants()
    const differing = after.filter((row, i) => row.next_due_at !== before[i]?.next_due_at)
    expect(differing.length).toBe(written)
    for (const row of after) {
      // The columns and the entry agree, and nothing but the instants moved.
      const entry = JSON.parse(row.entry) as Record<string, unknown>
      expect(entry.nextDueAt === undefined ? null : Date.parse(String(entry.nextDueAt))).toBe(row.next_due_at)
      expect(entry.wakeAt === undefined ? null : Date.parse(String(entry.wakeAt))).toBe(row.wake_at)
      const old = JSON.parse(before.find((b) => b.case_id === row.case_id)?.entry ?? "{}") as Record<string, unknown>
      const { nextDueAt: _a, wakeAt: _b, ...rest } = entry
      const { nextDueAt: _c, wakeAt: _d, ...oldRest } = old
      expect(rest).toEqual(oldRest)
    }
    const again = await lindung(dir, "refresh-due", "--policy", changed, "--database-url", copy)
    expect(report(again.stdout)).toEqual({ cases: before.length, written: 0 })
    const missing = await lindung(dir, "refresh-due", "--database-url", join(dir, "mistyped.db"))
    expect(missing.code).toBe(2)
  }, 90_000)

  it("serves the demo data, answers a token's request, and stops on SIGTERM without losing an accepted command", async () => {
    const token = (await lindung(dir, "token", "--person", "kabid-rehsos-padang")).stdout.trim()
    expect(token.split(".")).toHaveLength(3)
    // The scheduler is left out here: its ticks would move the case between the view and the export below.
    const server = start(dir, ["serve", "--port", "0", "--log", "json", "--without-scheduler"])
    const finished = collect(server)
    const base = await new Promise<string>((resolve, reject) => {
      let seen = ""
      const timer = setTimeout(() => reject(new Error(`no URL printed: ${seen}`)), 30_000)
      server.stderr?.on("data", (chunk) => {
        seen += String(chunk)
        const match = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(seen)
        if (match?.[1] !== undefined) {
          clearTimeout(timer)
          resolve(match[1])
        }
      })
    })
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" }
    const view = await fetch(`${base}/cases/000-padang-kakak`, { headers })
    expect(view.status).toBe(200)
    const body = (await view.json()) as { summary: { stage: string; version: number } }
    expect(body.summary.stage).toBe("aftercare")
    const sentAt = Date.now()
    const command = await fetch(`${base}/cases/000-padang-kakak/commands`, {
      method: "POST",
      headers: { ...headers, "idempotency-key": "cli-test-followup" },
      body: JSON.stringify({
        _tag: "RecordFollowUp",
        caseId: "000-padang-kakak",
        visitedOn: "2026-01-05",
        outcome: "stable",
        occurredAt: "2026-01-05T03:00:00.000Z"
      })
    })
    expect(command.status, await command.clone().text()).toBeLessThan(300)
    server.kill("SIGTERM")
    const exit = await finished
    expect(exit.code === 0 || exit.code === 130 || exit.code === null).toBe(true)
    for (const sentinel of sentinels) {
      expect(exit.stdout).not.toContain(sentinel)
      expect(exit.stderr).not.toContain(sentinel)
    }
    expect(exit.stdout + exit.stderr).not.toContain(token)
    const exported = await exportAs(dir)
    // The accepted follow-up is on the record: the case was updated when the command was decided (an export carries
    // no version).
    const kakak = entriesOf(exported.stdout).find((entry) => entry.caseId === "000-padang-kakak")
    expect(kakak).toBeDefined()
    expect(kakak).not.toHaveProperty("version")
    expect(Date.parse(kakak?.updatedAt ?? "")).toBeGreaterThanOrEqual(sentAt)
  }, 90_000)

  it("serves with the deadline scheduler on: the demo's overdue deadlines are escalated without anyone acting", async () => {
    const db = () => new DatabaseSync(join(dir, "lindung.db"))
    const escalations = () => {
      const handle = db()
      try {
        const row = handle
          .prepare("SELECT count(*) AS n FROM lindung_events WHERE event_type = 'DeadlineEscalated'")
          .get() as unknown as { n: number }
        return row.n
      } finally {
        handle.close()
      }
    }
    const before = escalations()
    const server = start(dir, ["serve", "--port", "0", "--log", "json", "--scheduler-interval", "1"])
    const finished = collect(server)
    const until = Date.now() + 60_000
    while (escalations() === before && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 250))
    const escalated = escalations() - before
    expect(escalated).toBeGreaterThan(0)
    // A second pass escalates nothing twice: after a few more passes the count has settled.
    await new Promise((resolve) => setTimeout(resolve, 3_000))
    const settled = escalations()
    await new Promise((resolve) => setTimeout(resolve, 2_500))
    expect(escalations()).toBe(settled)
    server.kill("SIGTERM")
    const exit = await finished
    expect(exit.code === 0 || exit.code === 130 || exit.code === null).toBe(true)
    expect(exit.stdout + exit.stderr).toContain("scheduler: deadlines checked")
    for (const sentinel of sentinels) expect(exit.stdout + exit.stderr).not.toContain(sentinel)
    // Every escalation is once per (case, deadline, due instant, recipient).
    const handle = db()
    const rows = handle
      .prepare("SELECT case_id, body FROM lindung_events WHERE event_type = 'DeadlineEscalated'")
      .all() as unknown as ReadonlyArray<{ case_id: string; body: string }>
    handle.close()
    const keys = rows.map((row) => {
      const payload = (JSON.parse(row.body) as { payload: Record<string, unknown> }).payload
      return `${row.case_id}|${String(payload.deadline)}|${String(payload.dueAt)}|${String(payload.escalatedTo)}|${String(payload.placement)}`
    })
    expect(new Set(keys).size).toBe(keys.length)
  }, 120_000)

  it("backs up the store while it is in use, restores it into a new file: chains intact, identities readable, nothing lost", async () => {
    const count = (file: string) => {
      const handle = new DatabaseSync(file, { readOnly: true })
      try {
        return handle.prepare("SELECT count(*) AS n, max(position) AS last FROM lindung_events").get() as unknown as {
          n: number
          last: number
        }
      } finally {
        handle.close()
      }
    }
    // A server runs on the store meanwhile (the backup is consistent while it is in use).
    const server = start(dir, ["serve", "--port", "0", "--log", "none", "--without-scheduler"])
    const finished = collect(server)
    const backedUp = await lindung(dir, "backup", "-o", "backup-1.db")
    expect(backedUp.code, backedUp.stderr).toBe(0)
    expect(backedUp.stdout).toMatch(
      /^Backed up \.\/lindung\.db to backup-1\.db: (\d+) events of (\d+) cases, the history intact/
    )
    server.kill("SIGTERM")
    await finished
    // A backup never overwrites, and a restore never replaces a store.
    expect((await lindung(dir, "backup", "-o", "backup-1.db")).code).not.toBe(0)
    expect((await lindung(dir, "restore", "-i", "backup-1.db")).code).not.toBe(0)
    const restored = await lindung(dir, "restore", "-i", "backup-1.db", "--database-url", "restored.db")
    expect(restored.code, restored.stderr).toBe(0)
    // The events are not encrypted: the backup and the restored store are readable by their owner only.
    for (const file of ["backup-1.db", "restored.db"]) expect(statSync(join(dir, file)).mode & 0o777, file).toBe(0o600)
    expect(restored.stdout).toContain("the history intact")
    const original = count(join(dir, "lindung.db"))
    expect(count(join(dir, "restored.db"))).toEqual(original)
    expect(original.n).toBeGreaterThan(900)
    // A backup whose history is broken restores to nothing: the copy that does not verify is removed (exit code 3),
    // so that nothing is served from it; the backup file stays as it was.
    copyFileSync(join(dir, "backup-1.db"), join(dir, "broken-backup.db"))
    const broken = new DatabaseSync(join(dir, "broken-backup.db"))
    broken.exec("UPDATE lindung_events SET hash = 'broken' WHERE position = (SELECT MAX(position) FROM lindung_events)")
    broken.close()
    const unverified = await lindung(dir, "restore", "-i", "broken-backup.db", "--database-url", "broken-restored.db")
    expect(unverified.code, unverified.stderr).toBe(3)
    expect(existsSync(join(dir, "broken-restored.db"))).toBe(false)
    expect(existsSync(join(dir, "broken-backup.db"))).toBe(true)
    // With the key of the backed-up store, the identities read back.
    writeFileSync(join(dir, "restored.db.identity-key"), readFileSync(join(dir, "lindung.db.identity-key")))
    const verified = await lindung(dir, "verify", "--database-url", "restored.db")
    expect(verified.code, verified.stderr).toBe(0)
    const name = await storedName(
      SqlStorage.layerConfig.pipe(
        Layer.provide(
          ConfigProvider.layer(ConfigProvider.fromUnknown({ LINDUNG_DATABASE_URL: join(dir, "restored.db") }))
        )
      )
    )
    expect(name).toBe(seededName)
    for (const sentinel of sentinels)
      expect(backedUp.stdout + restored.stdout + verified.stdout).not.toContain(sentinel)
  }, 120_000)

  it("rotates the identity key: every identity sealed again, the old key no longer needed", async () => {
    const withEnv = (env: Record<string, string>, ...args: ReadonlyArray<string>) =>
      collect(
        spawn(process.execPath, [bin, ...args], {
          cwd: dir,
          env: { ...process.env, LINDUNG_ENV: "development", NODE_ENV: "test", LINDUNG_DATABASE_URL: "", ...env },
          stdio: ["ignore", "pipe", "pipe"]
        })
      )
    // The restored copy of the demo store, with its development key (the test above made them).
    const database = "restored.db"
    const [oldId, oldBase64] = readFileSync(join(dir, "restored.db.identity-key"), "utf8").trim().split(":")
    const before = await withEnv({}, "keys", "status", "--database-url", database)
    expect(before.code, before.stderr).toBe(0)
    const identities = Number(new RegExp(`^${oldId}: (\\d+) identities`, "m").exec(before.stdout)?.[1])
    expect(identities).toBeGreaterThan(0)
    // Without a new key, rotation says what it needs.
    const refused = await withEnv({}, "keys", "rotate", "--database-url", database)
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain("LINDUNG_IDENTITY_KEY")
    const fresh = randomBytes(32).toString("base64")
    // A new key configured under the old key's id opens nothing: rotation refuses to say the old key can go.
    const misconfigured = await withEnv(
      { LINDUNG_IDENTITY_KEY: fresh, LINDUNG_IDENTITY_KEY_ID: oldId as string },
      "keys",
      "rotate",
      "--database-url",
      database
    )
    expect(misconfigured.code).toBe(2)
    expect(misconfigured.stderr).toContain("do not open with the configured keys")
    const flagged = await withEnv(
      { LINDUNG_IDENTITY_KEY: fresh, LINDUNG_IDENTITY_KEY_ID: oldId as string },
      "keys",
      "status",
      "--database-url",
      database
    )
    expect(flagged.stdout).toContain("NOT opened by the configured keys")
    const rotation = {
      LINDUNG_IDENTITY_KEY: fresh,
      LINDUNG_IDENTITY_KEY_ID: "2027-01",
      LINDUNG_IDENTITY_OLD_KEYS: `${oldId}:${oldBase64}`
    }
    const rotated = await withEnv(rotation, "keys", "rotate", "--database-url", database, "--batch-size", "7")
    expect(rotated.code, rotated.stderr).toBe(0)
    expect(rotated.stdout).toContain(`Sealed ${identities} identities again with 2027-01`)
    expect(rotated.stdout).toContain("every identity opens with the current key, and none is under an old key")
    const after = await withEnv(rotation, "keys", "status", "--database-url", database)
    expect(after.stdout).toContain(`2027-01: ${identities} identities (the current key)`)
    expect(after.stdout).not.toContain(`${oldId}:`)
    // Run again: nothing left to do (resumable).
    const again = await withEnv(rotation, "keys", "rotate", "--database-url", database)
    expect(again.stdout).toContain(`Sealed 0 identities again with 2027-01 (${identities} were under it already)`)
    // With only the new key, an identity reads back.
    const name = await storedName(
      SqlStorage.layerConfig.pipe(
        Layer.provide(
          ConfigProvider.layer(
            ConfigProvider.fromUnknown({
              LINDUNG_DATABASE_URL: join(dir, database),
              LINDUNG_IDENTITY_KEY: fresh,
              LINDUNG_IDENTITY_KEY_ID: "2027-01"
            })
          )
        )
      )
    )
    expect(name).toBe(seededName)
    for (const output of [before, rotated, after, again]) {
      expect(output.stdout + output.stderr).not.toContain(fresh)
      expect(output.stdout + output.stderr).not.toContain(oldBase64 as string)
    }
  }, 120_000)

  it("says why an export cannot be written: a full disk (exit 1); a missing directory or an existing file (exit 2)", async () => {
    const full = await exportAs(dir, "--output", "/dev/full")
    expect(full.code).toBe(1)
    expect(full.stderr).toMatch(/^lindung: the export could not be written: ENOSPC \(no space left on the device\)$/m)
    expect(full.stderr).not.toMatch(/at .*\.js:\d+/)
    const nowhere = await exportAs(dir, "--output", join(dir, "no-such-directory", "cases.ndjson"))
    expect(nowhere.code).toBe(2)
    expect(nowhere.stderr).toMatch(
      /^lindung: cannot write the export to .*cases\.ndjson: ENOENT \(no such directory\)$/m
    )
    // The output itself on a full disk (`> /dev/full`): one line, exit code 1.
    const redirected = await collect(
      start(dir, [...exportArgs, "--purpose", "Full disk"], {}, openSync("/dev/full", "w"))
    )
    expect(redirected.code).toBe(1)
    expect(redirected.stderr).toMatch(/^lindung: cannot write the output: ENOSPC$/m)
    expect(redirected.stderr).not.toMatch(/at .*\.js:\d+/)
    // An existing file is never overwritten: an earlier export stays whole.
    writeFileSync(join(dir, "earlier.ndjson"), "an earlier export\n")
    const existing = await exportAs(dir, "--output", "earlier.ndjson")
    expect(existing.code).toBe(2)
    expect(existing.stderr).toContain("the file exists (an export never overwrites one: choose a new name)")
    expect(readFileSync(join(dir, "earlier.ndjson"), "utf8")).toBe("an earlier export\n")
    // An export is written beside its target and takes the target's name only when whole; nothing is left behind.
    const whole = await exportAs(dir, "--output", "whole.ndjson")
    expect(whole.code, whole.stderr).toBe(0)
    expect(readFileSync(join(dir, "whole.ndjson"), "utf8").split("\n").length).toBeGreaterThan(2)
    expect(readdirSync(dir).filter((name) => name.includes(".partial-"))).toEqual([])
  })

  it("exports pseudonymous NDJSON without any identity, after a manifest naming its lawful basis (issue 11)", async () => {
    const exported = await exportAs(dir, "--output", "cases.ndjson")
    expect(exported.code, exported.stderr).toBe(0)
    const text = readFileSync(join(dir, "cases.ndjson"), "utf8")
    expect(statSync(join(dir, "cases.ndjson")).mode & 0o777).toBe(0o600)
    const lines = text.split("\n").filter((line) => line.length > 0)
    const manifest = JSON.parse(lines[0] ?? "{}")
    expect(manifest).toMatchObject({
      _tag: "ExportManifest",
      exportedBy: { id: "auditor-sumbar-1", role: "auditor", agency: "dinsos-13" },
      lawfulBasis: { _tag: "legal-obligation" },
      purpose: "Quarterly figures for Kemensos",
      scope: { region: "13" },
      contents: "case-index-entries"
    })
    expect(manifest.basis[0]).toMatchObject({ instrument: "UU 27/2022", provision: "Pasal 20 ayat (2) huruf c" })
    // The auditor of Sumatera Barat exports the cases of its province (seeds 000 and 001), and no other.
    const entries = entriesOf(text)
    const ids = entries.map((entry) => entry.caseId)
    expect(ids).toEqual(expect.arrayContaining(["000-padang-kakak", "001-limapuluhkota-napza", "001-padang-abh"]))
    expect(ids.some((id) => id.startsWith("002-") || id.startsWith("003-"))).toBe(false)
    for (const entry of entries) expect(entry.region === "13" || entry.region.startsWith("13.")).toBe(true)
    for (const line of lines) expect(Object.keys(JSON.parse(line))).not.toContain("name")
    for (const sentinel of sentinels) {
      expect(text).not.toContain(sentinel)
      expect(exported.stderr).not.toContain(sentinel)
    }
    expect(exported.stderr).toMatch(/Exported \d+ cases/)
  })

  it("refuses an export by a caseworker, or without a lawful basis, and writes nothing", async () => {
    const byWorker = await lindung(
      dir,
      "export",
      "--as",
      "sakti-peksos-padang-1",
      "--basis",
      "public-task",
      "--ground",
      "UU 23/2014",
      "--purpose",
      "Figures"
    )
    expect(byWorker.code).not.toBe(0)
    expect(byWorker.stderr).toMatch(/exported by a supervisor, the head of a dinas or an auditor/)
    expect(byWorker.stdout).toBe("")
    const noBasis = await lindung(dir, "export", "--as", "auditor-sumbar-1", "--purpose", "Figures")
    expect(noBasis.code).not.toBe(0)
    expect(noBasis.stdout).not.toContain("ExportManifest")
    const blankGround = await lindung(
      dir,
      "export",
      "--as",
      "auditor-sumbar-1",
      "--basis",
      "court-order",
      "--ground",
      " ",
      "--purpose",
      "Figures"
    )
    expect(blankGround.code).not.toBe(0)
    expect(blankGround.stdout).toBe("")
  })

  it("imports nothing when a line is bad, naming every bad line", async () => {
    const good = (caseId: string) =>
      JSON.stringify({
        caseId,
        subject: `subject-${caseId}`,
        sex: "female",
        birthDate: "2014-04-04",
        region: "13.71",
        owner: "dinsos-13.71",
        source: "school",
        concerns: ["out-of-school"]
      })
    writeFileSync(
      join(dir, "bad.ndjson"),
      [
        good("import-1"),
        "{not json",
        good("import-1"),
        JSON.stringify({ ...JSON.parse(good("import-3")), region: "13.7" }),
        // GET /cases/counts is the counts: a case with this id could never be read over HTTP.
        good("counts")
      ].join("\n")
    )
    const rejected = await lindung(dir, "import", "--file", "bad.ndjson", "--as", "intake-dinsos-padang-1")
    expect(rejected.code).toBe(4)
    expect(rejected.stderr).toMatch(/line 2: not valid JSON/)
    expect(rejected.stderr).toMatch(/line 3: case import-1 appears twice/)
    expect(rejected.stderr).toMatch(/line 4: .*region code/)
    expect(rejected.stderr).toMatch(/line 5: case id counts is reserved/)
    expect((await exportAs(dir)).stdout).not.toContain("import-1")

    writeFileSync(join(dir, "good.ndjson"), `${good("import-1")}\n${good("import-2")}\n`)
    const imported = await lindung(dir, "import", "--file", "good.ndjson", "--as", "intake-dinsos-padang-1")
    expect(imported.code, imported.stderr).toBe(0)
    // The same file again (a step that failed, run once more): its lines already imported are answered from their
    // record; another report under a taken case id is refused.
    const again = await lindung(dir, "import", "--file", "good.ndjson", "--as", "intake-dinsos-padang-1")
    expect(again.code, again.stderr).toBe(0)
    expect(again.stderr).toMatch(/Imported 2 reports .*\(2 of them imported before/)
    writeFileSync(
      join(dir, "taken.ndjson"),
      `${JSON.stringify({ ...JSON.parse(good("import-1")), subject: "subject-import-1b" })}\n`
    )
    const taken = await lindung(dir, "import", "--file", "taken.ndjson", "--as", "intake-dinsos-padang-1")
    expect(taken.code).toBe(4)
    expect(taken.stderr).toMatch(/line 1: Case import-1 already exists/)
    const cases = (await exportAs(dir)).stdout
    expect(cases).toContain('"caseId":"import-1"')
    expect(cases).toContain('"caseId":"import-2"')

    // A file longer than one atomic write (EventStore.MAX_APPEND_ALL reports) is written in steps, every line first
    // checked.
    const many = Array.from({ length: 1_001 }, (_, i) => good(`bulk-${i}`))
    writeFileSync(join(dir, "many.ndjson"), `${many.join("\n")}\n`)
    const bulk = await lindung(dir, "import", "--file", "many.ndjson", "--as", "intake-dinsos-padang-1")
    expect(bulk.code, bulk.stderr).toBe(0)
    expect(bulk.stderr).toMatch(/Imported 1001 reports/)
    const exported = (await exportAs(dir)).stdout
    expect(exported).toContain('"caseId":"bulk-0"')
    expect(exported).toContain('"caseId":"bulk-1000"')

    // An import brings new subjects only: a subject that has a case is linked through the API, with access checked.
    writeFileSync(
      join(dir, "linked.ndjson"),
      `${JSON.stringify({ ...JSON.parse(good("import-9")), subject: "subject-import-1" })}\n`
    )
    const linked = await lindung(dir, "import", "--file", "linked.ndjson", "--as", "intake-dinsos-padang-1")
    expect(linked.code).toBe(4)
    expect(linked.stderr).toMatch(/line 1: .*the subject already has a case/)
    // Someone who may not import there learns nothing of the subject: the same answer as for an unknown one.
    writeFileSync(
      join(dir, "unknown.ndjson"),
      `${JSON.stringify({ ...JSON.parse(good("import-9")), subject: "subject-nobody-has" })}\n`
    )
    for (const person of ["intake-dinsos-balikpapan-1", "pendamping-lpa-padang-1"]) {
      const held = await lindung(dir, "import", "--file", "linked.ndjson", "--as", person)
      const unknown = await lindung(dir, "import", "--file", "unknown.ndjson", "--as", person)
      expect(held.code, person).toBe(4)
      expect(held.stderr, person).toBe(unknown.stderr)
      expect(held.stderr, person).not.toMatch(/already has a case/)
    }
  }, 60_000)

  it("prints tokens only for active people of the directory, and reloads the directory on SIGHUP", async () => {
    const entry = (kasiActive: boolean) =>
      padangDirectory([
        { id: "kasi-reload", role: "supervisor", position: "kasi", active: kasiActive },
        { id: "scheduler-reload", role: "system" }
      ])
    const file = join(dir, "directory.json")
    writeFileSync(file, entry(true))
    const ghost = await lindung(dir, "token", "--person", "ghost", "--agencies", file)
    expect(ghost.code).toBe(2)
    expect(ghost.stderr).toMatch(/no token for ghost/)
    // The scheduler's person never gets a token (a token naming it would be refused anyway).
    const scheduler = await lindung(dir, "token", "--person", "scheduler-reload", "--agencies", file)
    expect(scheduler.code).toBe(2)
    expect(scheduler.stderr).toMatch(
      /no token for scheduler-reload: the directory lets this person act in its own process only/
    )
    const token = (await lindung(dir, "token", "--person", "kasi-reload", "--agencies", file)).stdout.trim()
    expect(token.split(".")).toHaveLength(3)

    const server = start(dir, ["serve", "--port", "0", "--log", "none", "--agencies", file])
    const finished = collect(server)
    let seen = ""
    server.stderr?.on("data", (chunk) => {
      seen += String(chunk)
    })
    const waitFor = (pattern: RegExp) =>
      new Promise<RegExpExecArray>((resolve, reject) => {
        const deadline = Date.now() + 30_000
        const poll = () => {
          const match = pattern.exec(seen)
          if (match !== null) return resolve(match)
          if (Date.now() > deadline) return reject(new Error(`never printed ${pattern}: ${seen}`))
          setTimeout(poll, 50)
        }
        poll()
      })
    const base = (await waitFor(/at (http:\/\/127\.0\.0\.1:\d+)/))[1]
    const list = () => fetch(`${base}/cases`, { headers: { authorization: `Bearer ${token}` } })
    expect((await list()).status).toBe(200)
    writeFileSync(file, entry(false))
    server.kill("SIGHUP")
    await waitFor(/Reloaded the directory/)
    expect((await list()).status).toBe(401)
    server.kill("SIGTERM")
    await finished
  }, 90_000)

  it("runs a store in production only with its identity key, whether --production or LINDUNG_ENV says so (review finding)", async () => {
    const db = join(dir, "production.db")
    expect((await lindung(dir, "migrate", "--database-url", db)).code).toBe(0)
    const agencies = join(dir, "production-agencies.json")
    writeFileSync(agencies, padangDirectory([{ id: "lindung-scheduler", role: "system" }]))
    const args = ["refresh-due", "--agencies", agencies, "--database-url", db]
    const byFlag = await lindung(dir, ...args, "--production")
    expect(byFlag.code, byFlag.stderr).toBe(2)
    expect(byFlag.stderr).toMatch(/No identity encryption key is configured: the environment is production/)
    expect(existsSync(`${db}.identity-key`)).toBe(false)
    const byEnvironment = await collect(start(dir, args, { LINDUNG_ENV: "production" }))
    expect(byEnvironment.code).toBe(2)
    // With the key, the same command runs.
    const key = Buffer.alloc(32, 7).toString("base64")
    const keyed = await collect(start(dir, [...args, "--production"], { LINDUNG_IDENTITY_KEY: key }))
    expect(keyed.code, keyed.stderr).toBe(0)
    expect(existsSync(`${db}.identity-key`)).toBe(false)
    // Export and import take --production too: the deployment's directory (never the seed people), the key required.
    for (const command of [
      [...exportArgs, "--purpose", "Figures", "--database-url", db],
      ["import", "-f", join(dir, "none.ndjson"), "--as", "intake-dinsos-padang-1", "--database-url", db]
    ]) {
      const seedPeople = await lindung(dir, ...command, "--production")
      expect(seedPeople.code, `${command[0]}: ${seedPeople.stderr}`).toBe(2)
      expect(seedPeople.stderr).toMatch(/production mode needs --agencies or LINDUNG_AGENCIES_FILE/)
    }
    expect(existsSync(`${db}.identity-key`)).toBe(false)
  })

  it("says in one line, with exit code 2, what is wrong with a setting: a JWT algorithm, a key of the wrong type, the secret file, a directory file (review finding)", async () => {
    const place = mkdtempSync(join(tmpdir(), "lindung-settings-"))
    try {
      const agencies = join(place, "agencies.json")
      writeFileSync(agencies, JSON.stringify([{ id: "dinsos-13.71", kind: "dinsos", name: "Dinas", region: "13.71" }]))
      writeFileSync(join(place, "key.pem"), "not a key")
      const algorithm = await collect(
        start(place, ["serve", "--production", "--agencies", agencies, "--without-scheduler"], {
          LINDUNG_JWT_PUBLIC_KEY_FILE: join(place, "key.pem"),
          LINDUNG_JWT_ALGORITHM: "PS256"
        })
      )
      expect(algorithm.code).toBe(2)
      expect(algorithm.stderr.trim()).toBe("lindung: LINDUNG_JWT_ALGORITHM is RS256 or ES256, not PS256")
      // A public key of another type than the algorithm stops serve before it listens (it announced its URL first).
      const ecKey = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ type: "spki", format: "pem" })
      writeFileSync(join(place, "ec.pem"), ecKey)
      const wrongType = await collect(
        start(place, ["serve", "--production", "--agencies", agencies, "--without-scheduler", "--port", "0"], {
          LINDUNG_JWT_PUBLIC_KEY_FILE: join(place, "ec.pem"),
          LINDUNG_JWT_ALGORITHM: "RS256",
          LINDUNG_IDENTITY_KEY: randomBytes(32).toString("base64"),
          LINDUNG_IDENTITY_KEY_ID: "settings-test"
        })
      )
      expect(wrongType.code).toBe(2)
      expect(wrongType.stderr).toMatch(
        /^lindung: Invalid authentication configuration: the public key does not import as RS256/
      )
      expect(wrongType.stderr).not.toMatch(/Lindung is serving/)
      // The identity provider's keys are fetched over https (plain http only from this machine).
      for (const jwks of ["http://idp.example.go.id/jwks.json", "not a url"]) {
        const clear = await collect(
          start(place, ["serve", "--production", "--agencies", agencies, "--without-scheduler"], {
            LINDUNG_JWKS_URL: jwks
          })
        )
        expect(clear.code, jwks).toBe(2)
        expect(clear.stderr).toMatch(/^lindung: LINDUNG_JWKS_URL must be an https URL in production/)
      }
      // The development secret cannot be made where a folder takes its name.
      mkdirSync(join(place, "lindung.jwt-secret"))
      const secret = await collect(
        start(place, ["token", "--person", "kabid-rehsos-padang"], { LINDUNG_JWT_SECRET: "" })
      )
      expect(secret.code).toBe(2)
      expect(secret.stderr).toMatch(
        /^lindung: cannot make or read the development secret \.\/lindung\.jwt-secret \(EISDIR\)/
      )
      // A directory file that does not decode: its issues on the one line.
      writeFileSync(
        agencies,
        JSON.stringify([{ id: "dinsos-13.71", kind: "dinsos", name: "Dinas", region: "13.71", people: [{ id: "x" }] }])
      )
      const directory = await lindung(place, "token", "--person", "x", "--agencies", agencies)
      expect(directory.code).toBe(2)
      expect(directory.stderr.trim().split("\n")).toHaveLength(1)
      expect(directory.stderr).toMatch(/^lindung: the agencies file .* is not a JSON list of agencies: /)
    } finally {
      rmSync(place, { recursive: true, force: true })
    }
  })

  it("refuses development tokens in production", async () => {
    const child = spawn(process.execPath, [bin, "token", "--person", "kabid-rehsos-padang"], {
      cwd: dir,
      env: { ...process.env, LINDUNG_ENV: "production" },
      stdio: ["ignore", "pipe", "pipe"]
    })
    const result = await collect(child)
    expect(result.code).toBe(2)
    expect(result.stdout.trim()).toBe("")
    expect(result.stderr).toMatch(/development tokens only/)
  })

  it("does not load the fictional seed stories into a production store", async () => {
    const db = join(dir, "production-demo.db")
    const refused = await collect(start(dir, ["demo", "--database-url", db], { LINDUNG_ENV: "production" }))
    expect(refused.code).toBe(2)
    expect(refused.stderr.trim()).toBe(
      "lindung: lindung demo loads the fictional seed stories: it does not run in production"
    )
    expect(existsSync(db)).toBe(false)
  })

  it("stops at a mistyped LINDUNG_ENV instead of running in development mode (exit 2)", async () => {
    const result = await collect(start(dir, ["token", "--person", "kabid-rehsos-padang"], { LINDUNG_ENV: "prod" }))
    expect(result.code).toBe(2)
    expect(result.stdout.trim()).toBe("")
    expect(result.stderr.trim()).toBe(
      'lindung: LINDUNG_ENV is "prod": set it to production or development (or leave it unset for development)'
    )
  })

  it("refuses to serve or load the demo under a policy file that breaks a rule, naming the rule (exit 2)", async () => {
    const late = join(dir, "late-tinggi.json")
    writeFileSync(late, JSON.stringify({ deadlines: { "first-contact": { tinggi: "P4D" } } }))
    const db = join(dir, "policy-check.db")
    for (const command of ["serve", "demo"]) {
      const refused = await lindung(dir, command, "--policy", late, "--database-url", db)
      expect(refused.code, refused.stderr).toBe(2)
      expect(refused.stderr).toMatch(/policy file .*late-tinggi\.json: .*DEADLINE-MONOTONE/)
    }
    const unknown = join(dir, "unknown-key.json")
    writeFileSync(unknown, JSON.stringify({ deadline: {} }))
    const refused = await lindung(dir, "demo", "--policy", unknown, "--database-url", db)
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/policy file .*unknown-key\.json/)
    expect(existsSync(db)).toBe(false)
    // A file that keeps the rules is used: the demo loads under it.
    const sooner = join(dir, "sooner.json")
    writeFileSync(
      sooner,
      JSON.stringify({ deadlines: { "first-contact": { tinggi: "PT12H" } }, escalation: { toHeadAfter: "PT6H" } })
    )
    const loaded = await lindung(dir, "demo", "--policy", sooner, "--database-url", db)
    expect(loaded.code, loaded.stderr).toBe(0)
  }, 120_000)

  it("exports traces and metrics over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set, with no identity in them", async () => {
    // A collector of our own: every OTLP/HTTP JSON body posted to it, by path.
    const received: Array<{ readonly path: string; readonly body: string }> = []
    const collector = createServer((request, response) => {
      let body = ""
      request.on("data", (chunk) => {
        body += String(chunk)
      })
      request.on("end", () => {
        received.push({ path: request.url ?? "", body })
        response.writeHead(200, { "content-type": "application/json" }).end("{}")
      })
    })
    await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve))
    const port = (collector.address() as AddressInfo).port
    // Exports far apart: what arrives is what the process sends when it stops (SIGTERM flushes the buffers).
    const otel = {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      OTEL_SERVICE_NAME: "lindung-test",
      OTEL_BSP_SCHEDULE_DELAY: "600000",
      OTEL_METRIC_EXPORT_INTERVAL: "600000"
    }
    const launch = (args: ReadonlyArray<string>, ready: RegExp) => {
      const child = spawn(process.execPath, [bin, ...args], {
        cwd: dir,
        env: { ...process.env, LINDUNG_ENV: "development", NODE_ENV: "test", LINDUNG_DATABASE_URL: "", ...otel },
        stdio: ["ignore", "pipe", "pipe"]
      })
      const finished = collect(child)
      const started = new Promise<RegExpExecArray>((resolve, reject) => {
        let seen = ""
        const timer = setTimeout(() => reject(new Error(`not ready: ${seen}`)), 60_000)
        const look = (chunk: unknown) => {
          seen += String(chunk)
          const match = ready.exec(seen)
          if (match !== null) {
            clearTimeout(timer)
            resolve(match)
          }
        }
        child.stderr?.on("data", look)
        child.stdout?.on("data", look)
      })
      return { child, finished, started }
    }
    const token = (await lindung(dir, "token", "--person", "kabid-rehsos-padang")).stdout.trim()
    const server = launch(
      ["serve", "--port", "0", "--log", "json", "--scheduler-interval", "1"],
      /at (http:\/\/127\.0\.0\.1:\d+)[\s\S]*OpenTelemetry: traces → http:\/\/127\.0\.0\.1/
    )
    try {
      const base = (await server.started)[1] as string
      const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" }
      // An identity read (the seeded name passes through the process), an accepted and a refused command.
      const identity = await fetch(`${base}/cases/000-padang-kakak/identity?purpose=assessment`, { headers })
      expect(identity.status).toBe(200)
      expect(await identity.text()).toContain(seededName)
      const accepted = await fetch(`${base}/cases/000-padang-kakak/commands`, {
        method: "POST",
        headers: { ...headers, "idempotency-key": "otel-key-of-the-caller" },
        body: JSON.stringify({
          _tag: "RecordFollowUp",
          caseId: "000-padang-kakak",
          visitedOn: "2026-01-06",
          outcome: "stable"
        })
      })
      expect(accepted.status, await accepted.clone().text()).toBeLessThan(300)
      const refused = await fetch(`${base}/cases/000-padang-kakak/commands`, {
        method: "POST",
        headers,
        body: JSON.stringify({ _tag: "StartOutreach", caseId: "000-padang-kakak" })
      })
      expect(refused.status).toBe(422)
      expect(await refused.text()).toContain("SOP-STAGE")
      const missing = await fetch(`${base}/cases/case-otel-missing`, { headers })
      expect(missing.status).toBe(404)
      // Two passes of the scheduler (one a second).
      await new Promise((resolve) => setTimeout(resolve, 2_500))
      expect(received).toEqual([]) // nothing sent before the process stops
    } finally {
      server.child.kill("SIGTERM")
    }
    const exit = await server.finished
    expect(exit.code === 0 || exit.code === 130 || exit.code === null, exit.stderr).toBe(true)

    // `lindung scheduler` exports its passes too.
    const fromServer = received.length
    const scheduler = launch(["scheduler", "--scheduler-interval", "1"], /OpenTelemetry: traces/)
    await scheduler.started
    await new Promise((resolve) => setTimeout(resolve, 2_000))
    scheduler.child.kill("SIGTERM")
    await scheduler.finished
    await new Promise<void>((resolve) => collector.close(() => resolve()))

    const bodies = (path: string, from = 0, to = received.length) =>
      received
        .slice(from, to)
        .filter((entry) => entry.path === path)
        .map((entry) => entry.body)
    const spanNames = (from: number, to?: number) =>
      new Set(
        bodies("/v1/traces", from, to).flatMap((body) =>
          (
            JSON.parse(body) as {
              resourceSpans: ReadonlyArray<{ scopeSpans: ReadonlyArray<{ spans: ReadonlyArray<{ name: string }> }> }>
            }
          ).resourceSpans.flatMap((r) => r.scopeSpans.flatMap((scope) => scope.spans.map((span) => span.name)))
        )
      )
    const metricNames = new Set(
      bodies("/v1/metrics", 0, fromServer).flatMap((body) =>
        (
          JSON.parse(body) as {
            resourceMetrics: ReadonlyArray<{
              scopeMetrics: ReadonlyArray<{ metrics: ReadonlyArray<{ name: string }> }>
            }>
          }
        ).resourceMetrics.flatMap((r) => r.scopeMetrics.flatMap((scope) => scope.metrics.map((metric) => metric.name)))
      )
    )
    const served = spanNames(0, fromServer)
    for (const name of [
      "GET",
      "POST",
      "CaseService.readIdentity",
      "CaseService.execute",
      "Decider.decide",
      "EventStore.load",
      "EventStore.append",
      "IdentityVault.get",
      "DeadlineScheduler.runOnce"
    ]) {
      expect([...served], name).toContain(name)
    }
    for (const name of [
      "lindung.commands",
      "lindung.rejections",
      "lindung.store.append.duration",
      "lindung.cases.overdue",
      "lindung.scheduler.passes",
      "lindung.scheduler.pass.duration"
    ]) {
      expect([...metricNames], name).toContain(name)
    }
    expect([...spanNames(fromServer)]).toContain("DeadlineScheduler.runOnce")
    const all = received.map((entry) => entry.body).join("\n")
    expect(all).toContain('"lindung-test"')
    expect(all).toContain('"service.instance.id"')
    expect(all).toContain('"SOP-STAGE"')
    // Neither the seeded identities, the token, a case id (the paths), a caller's key nor a client address.
    for (const sentinel of sentinels) expect(all).not.toContain(sentinel)
    for (const value of [token, "000-padang-kakak", "case-otel-missing", "otel-key-of-the-caller", "127.0.0.1:"]) {
      expect(all).not.toContain(value)
    }
  }, 180_000)

  it("says what is wrong and what to do, with the exit codes docs/cli.md promises (issue 15)", async () => {
    // `help` is `--help`, for the whole command and for one command (with the defaults of its flags).
    const help = await lindung(dir, "help")
    expect(help.code).toBe(0)
    expect(help.stdout).toContain("serve")
    expect(help.stderr).not.toContain("Unknown subcommand")
    const unknown = await lindung(dir, "help", "nosuchcommand")
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain("nosuchcommand")
    const serveHelp = await lindung(dir, "help", "serve")
    expect(serveHelp.code).toBe(0)
    expect(serveHelp.stdout).toContain("default 8080")
    expect(serveHelp.stdout).toContain("default 127.0.0.1")
    // A port out of range, a port in use, an address the machine does not have: setup errors (2) that say why.
    const badPort = await lindung(dir, "serve", "--port", "99999", "--without-scheduler")
    expect(badPort.code).toBe(2)
    expect(badPort.stderr).toContain("--port is 0 to 65535")
    const taken = createServer()
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve))
    const takenPort = String((taken.address() as AddressInfo).port)
    const inUse = await lindung(dir, "serve", "--port", takenPort, "--without-scheduler")
    await new Promise<void>((resolve) => taken.close(() => resolve()))
    expect(inUse.code).toBe(2)
    expect(inUse.stderr).toContain("EADDRINUSE")
    expect(inUse.stderr).toContain("choose another --port")
    // A mistyped store is refused, and not created.
    const typo = await lindung(dir, "verify", "--database-url", "lindnug.db")
    expect(typo.code).toBe(2)
    expect(typo.stderr).toContain("there is no store at lindnug.db")
    expect(existsSync(join(dir, "lindnug.db"))).toBe(false)
    // A file that is not a Lindung store (here an empty one) is refused, and left as it was.
    writeFileSync(join(dir, "other.db"), "")
    const other = await lindung(dir, "verify", "--database-url", "other.db")
    expect(other.code).toBe(2)
    expect(other.stderr).toContain("other.db is not a Lindung store")
    expect(readFileSync(join(dir, "other.db"), "utf8")).toBe("")
    // Tokens: who the directory's people are; which agencies a person works for.
    const nobody = await lindung(dir, "token", "--person", "nobody")
    expect(nobody.code).toBe(2)
    expect(nobody.stderr).toContain("its people are: ")
    expect(nobody.stderr).toContain("kabid-rehsos-padang")
    const badExpiry = await lindung(dir, "token", "--person", "kabid-rehsos-padang", "--expires", "banana")
    expect(badExpiry.code).toBe(2)
    expect(badExpiry.stderr).toContain("--expires is a number and a unit")
    const wrongAgency = await lindung(dir, "token", "--person", "kabid-rehsos-padang", "--agency", "nope")
    expect(wrongAgency.stderr).toContain("kabid-rehsos-padang works for dinsos-13.71, not nope")
    // (PostgreSQL without an identity key: Backup.integration.test.ts, on a real server.)
    // With an identity key (PostgreSQL needs one), a server that is not there: what to check.
    const withKey = { LINDUNG_IDENTITY_KEY: randomBytes(32).toString("base64"), LINDUNG_IDENTITY_KEY_ID: "test" }
    const unreachable = await collect(
      start(dir, ["verify", "--database-url", "postgres://postgres@127.0.0.1:1/none"], withKey)
    )
    expect(unreachable.code).not.toBe(0)
    expect(unreachable.stderr).toContain("is the database server running and reachable? Check LINDUNG_DATABASE_URL")
    // A URL that cannot work (a port out of range) is a setting to fix: exit 2, and the password is not printed.
    const badUrl = await collect(
      start(dir, ["verify", "--database-url", "postgres://user:s3cret-word@127.0.0.1:99999/x"], withKey)
    )
    expect(badUrl.code, badUrl.stderr).toBe(2)
    expect(badUrl.stderr).toContain("check LINDUNG_DATABASE_URL")
    expect(badUrl.stdout + badUrl.stderr).not.toContain("s3cret-word")
    // A reader that stops early (`lindung export | head -1`) ends the output quietly.
    const child = start(dir, [...exportArgs, "--purpose", "A first line only"])
    let stderr = ""
    child.stderr?.on("data", (chunk) => {
      stderr += String(chunk)
    })
    await new Promise<void>((resolve) => child.stdout?.once("data", () => resolve()))
    child.stdout?.destroy()
    const code = await new Promise<number | null>((resolve) => child.once("close", resolve))
    expect(stderr).not.toContain("EPIPE")
    expect(code).toBe(0)
  }, 120_000)

  it("imports the sample file of the docs, and refuses an identity in an import line, saying why", async () => {
    const sample = join(import.meta.dirname, "..", "examples", "reports.ndjson")
    const imported = await lindung(dir, "import", "--file", sample, "--as", "intake-dinsos-padang-1")
    expect(imported.code, imported.stderr).toBe(0)
    expect(imported.stderr).toMatch(/Imported 3 reports/)
    const line = JSON.parse(readFileSync(sample, "utf8").split("\n")[0] as string) as Record<string, unknown>
    writeFileSync(
      join(dir, "with-identity.ndjson"),
      `${JSON.stringify({ ...line, caseId: "migrasi-identitas", subject: "subjek-identitas", identity: { name: "Nama Contoh" } })}\n`
    )
    const refused = await lindung(dir, "import", "--file", "with-identity.ndjson", "--as", "intake-dinsos-padang-1")
    expect(refused.code).toBe(4)
    expect(refused.stderr + refused.stdout).toContain("an identity cannot be imported")
    expect(refused.stderr + refused.stdout).not.toContain("Nama Contoh")
  }, 60_000)
})
