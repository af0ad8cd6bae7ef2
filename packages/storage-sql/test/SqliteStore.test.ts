import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { DatabaseSync } from "node:sqlite"
import { describe, expect, it } from "@effect/vitest"
import { CaseModel, EventStore, IdentityVault, Subject } from "@lindung/core"
import { Context, Effect, Layer } from "effect"
import { SqlStorage } from "../src/index.js"
import { identity, register, registerAndAssign } from "./fixtures.js"
import {
  accessTrailRows,
  appendAllIsOneTransaction,
  bypassingWriterIsAConflict,
  ciphertextBoundToSubject,
  countsRebuilt,
  decodedEventsFollowTheStoredText,
  driverErrorsAreTranslated,
  erasureLeavesTombstone,
  groupCommitIsolatesAnUnencodableRequest,
  groupCommitKeepsEachAppendOwn,
  indexAgreesWithReference,
  jsonbHostileTextRoundTrips,
  keyRotation,
  noPlaintextIdentity,
  sideRowsWrittenOnlyWhenChanged,
  staleWakeUpColumnHealed,
  tamperingInSqlIsDetected,
  unicodeTextChains,
  utf16Order
} from "./storeChecks.js"
import { sqliteStore, temporaryDirectory, testKeyring } from "./stores.js"

const inMemory = () => sqliteStore("memory")

/** The bytes of every file of a directory (the database, its WAL and shared memory, the key file). */
const filesOf = (directory: string) => readdirSync(directory).map((name) => readFileSync(join(directory, name)))

describe("SQL store on SQLite", () => {
  it.effect("a tuning option out of range is refused with what is wrong, before anything opens", () =>
    Effect.gen(function* () {
      for (const [options, says] of [
        [{ appendBatchSize: 0 }, /appendBatchSize must be a whole number, 1 or more: 0/],
        [{ appendBatchSize: Number.NaN }, /appendBatchSize must be a whole number, 1 or more: NaN/],
        [{ eventCacheSize: -1 }, /eventCacheSize must be a whole number, 0 or more: -1/],
        [{ eventCacheSize: 2.5 }, /eventCacheSize must be a whole number, 0 or more: 2.5/]
      ] as const) {
        const refused = yield* Effect.flip(
          Layer.build(SqlStorage.layerSqlite({ filename: ":memory:", ...options })).pipe(Effect.scoped)
        )
        expect(refused._tag).toBe("StorageUnavailable")
        expect(JSON.stringify(refused)).toMatch(says)
      }
      // appendWriters (PostgreSQL's parallel group commits): a whole number, and 1 on SQLite.
      for (const [appendWriters, says] of [
        [0, /appendWriters must be a whole number, 1 or more: 0/],
        [2, /appendWriters must be 1 on SQLite, which writes one transaction at a time: 2/]
      ] as const) {
        const client = SqlStorage.clientLayer({ dialect: "sqlite", filename: ":memory:" })
        const refused = yield* Effect.flip(
          Layer.build(
            SqlStorage.layerFromClient({ keyring: testKeyring(), appendWriters }).pipe(Layer.provide(client))
          ).pipe(Effect.scoped)
        )
        expect(refused._tag).toBe("StorageUnavailable")
        expect(JSON.stringify(refused)).toMatch(says)
      }
      // Partitioning is PostgreSQL's.
      const partitioned = yield* Effect.flip(
        Layer.build(
          SqlStorage.layerFromClient({ keyring: testKeyring(), partitionByProvince: true }).pipe(
            Layer.provide(SqlStorage.clientLayer({ dialect: "sqlite", filename: ":memory:" }))
          )
        ).pipe(Effect.scoped)
      )
      expect(partitioned._tag).toBe("StorageUnavailable")
      expect(JSON.stringify(partitioned)).toMatch(/partitionByProvince is a PostgreSQL option/)
    })
  )
  it.effect("rebuildCounts puts wrong counters back to what the index says", () =>
    countsRebuilt.pipe(Effect.provide(inMemory()))
  )
  it.effect("the raw identity table holds no plaintext", () =>
    Effect.asVoid(noPlaintextIdentity).pipe(Effect.provide(inMemory()))
  )
  it.effect("erasure leaves a tombstone and no ciphertext", () =>
    erasureLeavesTombstone.pipe(Effect.provide(inMemory()))
  )
  it.effect("a ciphertext is bound to its subject", () => ciphertextBoundToSubject.pipe(Effect.provide(inMemory())))
  it.effect("tampering a row in SQL is detected by verify", () =>
    tamperingInSqlIsDetected.pipe(Effect.provide(inMemory()))
  )
  it.effect("text with U+0000 and unpaired surrogates round-trips", () =>
    jsonbHostileTextRoundTrips.pipe(Effect.provide(inMemory()))
  )
  it.effect("text outside ASCII chains to the core's hash", () => unicodeTextChains.pipe(Effect.provide(inMemory())))
  it.effect("side rows (assignees, categories) are rewritten only when they change", () =>
    sideRowsWrittenOnlyWhenChanged.pipe(Effect.provide(inMemory()))
  )
  it.effect("decoded events are remembered by their stored text; an edited text is decoded anew", () =>
    decodedEventsFollowTheStoredText.pipe(Effect.provide(inMemory()))
  )
  it.effect("group commit: appends written together keep their own answers, atomically each", () =>
    groupCommitKeepsEachAppendOwn.pipe(Effect.provide(inMemory()))
  )
  it.effect("appendAll: one transaction, or a savepoint of the caller's; a failed request fails the call", () =>
    appendAllIsOneTransaction.pipe(Effect.provide(inMemory()))
  )
  it.effect("group commit: a request the database cannot take fails alone", () =>
    groupCommitIsolatesAnUnencodableRequest.pipe(Effect.provide(inMemory()))
  )
  it.effect(
    "a wake-up column that disagrees with its entry (migration 7) is healed by the first Tick with nothing due",
    () => staleWakeUpColumnHealed.pipe(Effect.provide(inMemory()))
  )
  it.effect("a writer bypassing the lock turns into a VersionConflict", () =>
    bypassingWriterIsAConflict.pipe(Effect.provide(inMemory()))
  )
  it.effect("driver errors are translated into StorageUnavailable", () =>
    driverErrorsAreTranslated.pipe(Effect.provide(inMemory()))
  )
  it.effect("the access trail's rows hold ids and codes only; a bad row is a CorruptedRecord", () =>
    accessTrailRows.pipe(Effect.provide(inMemory()))
  )

  it.effect("key rotation: old keys read, re-encryption moves everything to the current key", () =>
    Effect.gen(function* () {
      const directory = yield* temporaryDirectory
      const filename = join(directory, "rotation.db")
      yield* keyRotation((keyring) =>
        SqlStorage.layerFromClient({ keyring }).pipe(
          Layer.provideMerge(SqlStorage.clientLayer({ dialect: "sqlite", filename })),
          Layer.fresh
        )
      )
    }).pipe(Effect.scoped)
  )

  it.effect("ids are ordered by UTF-16 code units, not UTF-8 bytes", () => utf16Order.pipe(Effect.provide(inMemory())))

  it.live(
    "the index agrees with CaseIndex.page and CaseIndex.count on random entries and awkward ids",
    () => indexAgreesWithReference(inMemory, 60),
    60_000
  )

  it.effect("no file of the database holds an identity in plain text, and erasure leaves no ciphertext behind", () =>
    Effect.gen(function* () {
      const directory = yield* temporaryDirectory
      const filename = join(directory, "lindung.db")
      const { sentinel, ciphertext } = yield* Effect.scoped(
        noPlaintextIdentity.pipe(
          Effect.provide(
            SqlStorage.layerFromClient({ keyring: testKeyring() }).pipe(
              Layer.provideMerge(SqlStorage.clientLayer({ dialect: "sqlite", filename }))
            )
          )
        )
      )
      const needle = Buffer.from(sentinel)
      for (const file of filesOf(directory)) expect(file.includes(needle)).toBe(false)
      // The ciphertext was written; after erasure (secure delete, WAL checkpoint) no file holds it any more.
      expect(filesOf(directory).some((file) => file.includes(Buffer.from(ciphertext)))).toBe(true)
      yield* Effect.scoped(
        Effect.flatMap(Effect.service(IdentityVault.IdentityVault), (vault) =>
          vault.erase(Subject.SubjectId.make("subject-sentinel"))
        ).pipe(Effect.provide(SqlStorage.layerSqlite({ filename, keyring: testKeyring() })))
      )
      for (const file of filesOf(directory)) expect(file.includes(Buffer.from(ciphertext))).toBe(false)
    }).pipe(Effect.scoped)
  )

  it.live(
    "an erasure while another connection reads stands; its ciphertext leaves the files at the next checkpoint",
    () =>
      Effect.gen(function* () {
        const directory = yield* temporaryDirectory
        const filename = join(directory, "lindung.db")
        const subject = Subject.SubjectId.make("subject-read-during-erase")
        const store = yield* Layer.build(
          Layer.fresh(SqlStorage.layerSqlite({ filename, keyring: testKeyring(), busyTimeoutMs: 200 }))
        )
        const vault = Context.get(store, IdentityVault.IdentityVault)
        yield* vault.put(subject, identity("Reader Person"))
        const peek = new DatabaseSync(filename)
        const row = peek.prepare("SELECT ciphertext FROM lindung_identities WHERE subject = ?").get(subject) as {
          readonly ciphertext: Uint8Array
        }
        const ciphertext = Buffer.from(row.ciphertext)
        // Another connection holds a read snapshot (as a backup in another process would).
        peek.exec("BEGIN")
        peek.prepare("SELECT count(*) FROM lindung_identities").get()
        yield* vault.erase(subject)
        const erased = yield* Effect.flip(vault.get(subject))
        expect(erased._tag).toBe("IdentityErased")
        // While the snapshot is held, the old page (with the ciphertext) cannot be overwritten.
        expect(filesOf(directory).some((file) => file.includes(ciphertext))).toBe(true)
        peek.exec("COMMIT")
        peek.close()
        // The next checkpoint (here, the one after erasing again) completes: no file holds the ciphertext.
        yield* vault.erase(subject)
        for (const file of filesOf(directory)) expect(file.includes(ciphertext)).toBe(false)
      }).pipe(Effect.scoped),
    30_000
  )

  it.effect("a file database without a keyring uses a development key file that survives restarts", () =>
    Effect.gen(function* () {
      const directory = yield* temporaryDirectory
      const filename = join(directory, "dev.db")
      const subject = Subject.SubjectId.make("subject-dev")
      yield* Effect.scoped(
        Effect.flatMap(Effect.service(IdentityVault.IdentityVault), (vault) =>
          vault.put(subject, identity("Dev Person"))
        ).pipe(Effect.provide(SqlStorage.layerSqlite({ filename })))
      )
      const keyFile = readFileSync(SqlStorage.developmentKeyFile(filename), "utf8")
      expect(keyFile).toMatch(/^development:[A-Za-z0-9+/]+=*\n$/)
      const got = yield* Effect.scoped(
        Effect.flatMap(Effect.service(IdentityVault.IdentityVault), (vault) => vault.get(subject)).pipe(
          Effect.provide(SqlStorage.layerSqlite({ filename }))
        )
      )
      expect(got.familyNames.length).toBe(1)
      // The same store named by a file: URI finds the same key file, beside the database.
      const again = yield* Effect.scoped(
        Effect.flatMap(Effect.service(IdentityVault.IdentityVault), (vault) => vault.get(subject)).pipe(
          Effect.provide(SqlStorage.layerSqlite({ filename: `file:${filename}?cache=private` }))
        )
      )
      expect(again.familyNames.length).toBe(1)
      expect(SqlStorage.developmentKeyFile(`file:${filename}?cache=private`)).toBe(`${filename}.identity-key`)
      expect(readdirSync(directory).sort()).toEqual(["dev.db", "dev.db.identity-key"])
    }).pipe(Effect.scoped)
  )

  it.live(
    "two stores on one file (two connections) appending at once: one winner per version, positions in commit order",
    () =>
      Effect.gen(function* () {
        const directory = yield* temporaryDirectory
        const filename = join(directory, "shared.db")
        const keyring = testKeyring()
        const open = () => Layer.fresh(SqlStorage.layerSqlite({ filename, keyring, busyTimeoutMs: 10_000 }))
        const [a, b] = [yield* Layer.build(open()), yield* Layer.build(open())]
        const storeA = Context.get(a, EventStore.EventStore)
        const storeB = Context.get(b, EventStore.EventStore)
        const [first, second] = registerAndAssign("case-shared")
        // Both stores try to create the same case, many times over: exactly one append wins.
        const attempts = yield* Effect.all(
          Array.from({ length: 20 }, (_, i) => Effect.result((i % 2 === 0 ? storeA : storeB).append(first.request))),
          { concurrency: "unbounded" }
        )
        expect(attempts.filter((r) => r._tag === "Success").length).toBe(1)
        expect(
          attempts
            .filter((r) => r._tag === "Failure")
            .every((r) => r._tag === "Failure" && r.failure._tag === "VersionConflict")
        ).toBe(true)
        yield* storeB.append(second.request)
        // Many cases from both stores at once: every append wins, positions are 1..n without gaps or repeats.
        yield* Effect.all(
          Array.from({ length: 40 }, (_, i) =>
            (i % 2 === 0 ? storeA : storeB).append(register(`case-many-${i}`).request)
          ),
          { concurrency: "unbounded" }
        )
        const all = yield* storeA.readAfter(0, 1_000)
        expect(all.map((e) => e.position)).toEqual(Array.from({ length: 42 }, (_, i) => i + 1))
        expect((yield* storeB.load(CaseModel.CaseId.make("case-shared"))).map((e) => e.version)).toEqual([1, 2])
        expect(yield* storeA.verify()).toEqual({ cases: 41, events: 42 })
      }).pipe(Effect.scoped),
    60_000
  )
})
