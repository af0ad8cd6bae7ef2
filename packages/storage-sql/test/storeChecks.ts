/**
 * Checks of the SQL store beyond the conformance suite, shared by the SQLite and PostgreSQL test files: raw rows
 * never hold an identity, tampering in SQL is detected, the index agrees with the core's reference functions on
 * random entries (including ids whose UTF-8 and UTF-16 orders differ, and subjects that differ only by letter
 * case), JSON that JSONB cannot hold, key rotation, appends that bypass the lock, and the rows of the identity
 * access trail.
 */
import { fc } from "@fast-check/vitest"
import {
  Actor,
  CaseCommand,
  CaseEvent,
  CaseIndex,
  CaseModel,
  CaseService,
  Directory,
  EventStore,
  IdentityVault,
  Integrity,
  Person,
  Region,
  StorageError,
  Subject
} from "@lindung/core"
import { Cause, DateTime, Deferred, Effect, Exit, Fiber, Layer, Option, Redacted, Result, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { expect } from "vitest"
import { IdentityKeys, SqlStorage } from "../src/index.js"
import { decide, identity, kasi, padang, register, registerAndAssign, worker } from "./fixtures.js"
import { tamper } from "./stores.js"

type Ports = SqlStorage.Services | SqlClient.SqlClient

const CaseId = CaseModel.CaseId

const bytesOf = (value: unknown): Uint8Array | undefined =>
  value instanceof Uint8Array ? value : typeof value === "string" ? new TextEncoder().encode(value) : undefined

const contains = (haystack: Uint8Array, needle: Uint8Array): boolean =>
  Buffer.from(haystack).includes(Buffer.from(needle))

/** Every value of every row of every Lindung table, as bytes. */
export const everyStoredValue = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const tables = yield* sql.onDialectOrElse({
    pg: () =>
      sql<{
        name: string
      }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE 'lindung_%'`,
    orElse: () => sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'lindung_%'`
  })
  const values: Array<Uint8Array> = []
  for (const { name } of tables) {
    const rows = yield* sql.unsafe<Record<string, unknown>>(`SELECT * FROM ${name}`)
    for (const row of rows) {
      for (const value of Object.values(row)) {
        const bytes = bytesOf(
          typeof value === "object" && !(value instanceof Uint8Array) ? JSON.stringify(value) : value
        )
        if (bytes !== undefined) values.push(bytes)
      }
    }
  }
  return { tables: tables.map((t) => t.name), values }
})

/** Puts identities with sentinel values and proves that no stored value holds them in plain text. */
export const noPlaintextIdentity = Effect.gen(function* () {
  const vault = yield* IdentityVault.IdentityVault
  const store = yield* EventStore.EventStore
  const sentinel = "Sentinelia Qwertyuiop"
  const subject = Subject.SubjectId.make("subject-sentinel")
  yield* store.append(register("case-sentinel", subject).request)
  yield* vault.put(subject, identity(sentinel))
  yield* vault.put(Subject.SubjectId.make("subject-other"), identity(`${sentinel} Second`))
  expect(Redacted.value((yield* vault.get(subject)).name)).toBe(sentinel)
  const { tables, values } = yield* everyStoredValue
  expect(tables).toContain("lindung_identities")
  const needles = [sentinel, "Qwertyuiop", "1371010101140001", "Jl. Sudirman"].map((text) =>
    new TextEncoder().encode(text)
  )
  for (const value of values) for (const needle of needles) expect(contains(value, needle)).toBe(false)
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<{
    key_id: string
    iv: Uint8Array
    tag: Uint8Array
    ciphertext: Uint8Array
  }>`SELECT key_id, iv, tag, ciphertext FROM lindung_identities WHERE subject = ${subject}`
  expect(rows[0]?.key_id).toBe("test-key")
  expect(rows[0]?.iv.length).toBe(IdentityKeys.IV_BYTES)
  expect(rows[0]?.tag.length).toBe(IdentityKeys.TAG_BYTES)
  expect(rows[0]?.ciphertext.length).toBeGreaterThan(sentinel.length)
  return { sentinel, ciphertext: rows[0]?.ciphertext ?? new Uint8Array() }
})

/** Erasure leaves a tombstone row without any ciphertext; get then fails with IdentityErased. */
export const erasureLeavesTombstone = Effect.gen(function* () {
  const vault = yield* IdentityVault.IdentityVault
  const subject = Subject.SubjectId.make("subject-erased")
  yield* vault.put(subject, identity("Erasable Person"))
  yield* vault.erase(subject)
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<Record<string, unknown>>`SELECT * FROM lindung_identities WHERE subject = ${subject}`
  expect(rows.length).toBe(1)
  expect(rows[0]).toMatchObject({ key_id: null, iv: null, tag: null, ciphertext: null })
  expect(rows[0]?.erased_at).not.toBeNull()
  expect((yield* Effect.flip(vault.get(subject)))._tag).toBe("IdentityErased")
})

/** A ciphertext copied to another subject's row does not open (the subject is authenticated data). */
export const ciphertextBoundToSubject = Effect.gen(function* () {
  const vault = yield* IdentityVault.IdentityVault
  const a = Subject.SubjectId.make("subject-a")
  const b = Subject.SubjectId.make("subject-b")
  yield* vault.put(a, identity("Person A"))
  yield* vault.put(b, identity("Person B"))
  const sql = yield* SqlClient.SqlClient
  yield* sql`UPDATE lindung_identities SET iv = (SELECT iv FROM lindung_identities WHERE subject = ${a}),
    tag = (SELECT tag FROM lindung_identities WHERE subject = ${a}),
    ciphertext = (SELECT ciphertext FROM lindung_identities WHERE subject = ${a}) WHERE subject = ${b}`
  const error = yield* Effect.flip(vault.get(b))
  expect(error._tag).toBe("CorruptedRecord")
  expect(JSON.stringify(error)).not.toMatch(/Person/)
  expect(Redacted.value((yield* vault.get(a)).name)).toBe("Person A")
})

/** Editing a stored event in SQL (keeping or even forging its hashes) is found by verify; so is a missing event. */
export const tamperingInSqlIsDetected = Effect.gen(function* () {
  const store = yield* EventStore.EventStore
  const [first, second] = registerAndAssign("case-tamper")
  const third = decide(second.next, worker, "2026-03-01T04:00:00Z", { _tag: "StartOutreach" })
  yield* store.append(first.request)
  yield* store.append(second.request)
  yield* store.append(third.request)
  yield* store.append(register("case-clean").request)
  expect(yield* store.verify()).toEqual({ cases: 2, events: 4 })
  yield* tamper("case-tamper", 2, (encoded) => ({
    ...encoded,
    payload: { ...(encoded.payload as object), caseworker: "someone-else" }
  }))
  expect(yield* store.verify()).toEqual({
    cases: 2,
    events: 4,
    firstBreak: { caseId: "case-tamper", version: 2, reason: "hash-mismatch" }
  })
  // A forger who also recomputes the edited row's hash breaks the link to the next event.
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<{
    previous_hash: string
    body: unknown
    body_text?: unknown
  }>`SELECT * FROM lindung_events WHERE case_id = ${"case-tamper"} AND version = 2`
  const stored = rows[0]?.body ?? rows[0]?.body_text
  const encoded = typeof stored === "string" ? JSON.parse(stored) : stored
  const forged = Integrity.link(rows[0]?.previous_hash ?? "", encoded)
  yield* sql`UPDATE lindung_events SET hash = ${forged} WHERE case_id = ${"case-tamper"} AND version = 2`
  expect((yield* store.verify(CaseId.make("case-tamper"))).firstBreak).toEqual({
    caseId: "case-tamper",
    version: 3,
    reason: "previous-hash-mismatch"
  })
  // A deleted event shows as a version gap.
  yield* sql`DELETE FROM lindung_events WHERE case_id = ${"case-clean"} AND version = 1`
  yield* store.append(registerAndAssign("case-gap")[0].request)
  yield* store.append(registerAndAssign("case-gap")[1].request)
  yield* sql`DELETE FROM lindung_events WHERE case_id = ${"case-gap"} AND version = 1`
  expect((yield* store.verify(CaseId.make("case-gap"))).firstBreak).toEqual({
    caseId: "case-gap",
    version: 2,
    reason: "version-gap"
  })
})

/** An event with U+0000 and an unpaired surrogate in a string round-trips and verifies (JSONB cannot hold it). */
export const jsonbHostileTextRoundTrips = Effect.gen(function* () {
  const store = yield* EventStore.EventStore
  const first = register("case-nul")
  const event = first.request.events[0] as CaseEvent.Envelope
  // Ids refuse such text (see core's Id); free strings of an event, like the rules it names, may still carry it.
  const hostile = { ...event, rules: [...event.rules, "note-\u0000-\ud800-end"] }
  yield* store.append({ ...first.request, events: [hostile] })
  const [loaded] = yield* store.load(first.request.caseId)
  expect(loaded?.rules.at(-1)).toBe("note-\u0000-\ud800-end")
  const [read] = yield* store.readAfter(0, 10)
  expect(read?.hash).toBe(Integrity.link(Integrity.GENESIS, CaseEvent.encode(hostile)))
  expect(yield* store.verify()).toEqual({ cases: 1, events: 1 })
})

/**
 * Text outside ASCII (Indonesian and Javanese script, an emoji outside the BMP) chains to the same hash as the
 * core's: on PostgreSQL the hash is computed by the database over the UTF-8 bytes, on SQLite by node:crypto.
 */
export const unicodeTextChains = Effect.gen(function* () {
  const store = yield* EventStore.EventStore
  const [first, second] = registerAndAssign("case-unicode")
  const event = first.request.events[0] as CaseEvent.Envelope
  const texts = ["Pendampingan — anak", "ꦲꦤꦏ꧀", "😀 ñ 子"]
  const varied = { ...event, rules: [...event.rules, ...texts] }
  yield* store.append({ ...first.request, events: [varied] })
  yield* store.append(second.request)
  const [one, two] = yield* store.readAfter(0, 10)
  expect(one?.event.rules.slice(-3)).toEqual(texts)
  expect(one?.hash).toBe(Integrity.link(Integrity.GENESIS, CaseEvent.encode(varied)))
  expect(two?.previousHash).toBe(one?.hash)
  expect(two?.hash).toBe(
    Integrity.link(one?.hash ?? "", CaseEvent.encode(second.request.events[0] as CaseEvent.Envelope))
  )
  expect(yield* store.verify()).toEqual({ cases: 1, events: 2 })
})

/**
 * The side rows of the index (assignees, categories) are rewritten only when they change: an append that leaves
 * them as they were writes none of them (PostgreSQL: the rows keep their `xmin`; SQLite: triggers count the
 * writes), and one that changes them writes the new set.
 */
export const sideRowsWrittenOnlyWhenChanged = Effect.gen(function* () {
  const store = yield* EventStore.EventStore
  const index = yield* CaseIndex.CaseIndex
  const sql = yield* SqlClient.SqlClient
  const [first, second] = registerAndAssign("case-side")
  yield* store.append(first.request)
  yield* store.append(second.request)
  yield* sql.onDialectOrElse({
    pg: () => Effect.void,
    orElse: () =>
      Effect.forEach(
        [
          "CREATE TABLE test_side_writes (n INTEGER)",
          ...["lindung_case_assignees", "lindung_case_categories"].flatMap((table) =>
            ["INSERT", "DELETE"].map(
              (operation) =>
                `CREATE TRIGGER test_${table}_${operation} AFTER ${operation} ON ${table} BEGIN INSERT INTO test_side_writes VALUES (1); END`
            )
          )
        ],
        (statement) => sql.unsafe(statement),
        { discard: true }
      )
  })
  const values = () =>
    Effect.map(
      sql<{ readonly value: string }>`
        SELECT actor_id AS value FROM lindung_case_assignees WHERE case_id = ${"case-side"}
        UNION ALL
        SELECT dimension || ':' || value AS value FROM lindung_case_categories WHERE case_id = ${"case-side"}
        ORDER BY value`,
      (rows) => rows.map((row) => row.value)
    )
  /** What changes whenever a side row is written. */
  const writes = () =>
    sql.onDialectOrElse({
      pg: () =>
        Effect.map(
          sql<{ readonly stamp: string }>`
            SELECT xmin::text AS stamp FROM lindung_case_assignees WHERE case_id = ${"case-side"}
            UNION ALL
            SELECT xmin::text AS stamp FROM lindung_case_categories WHERE case_id = ${"case-side"}
            ORDER BY stamp`,
          (rows) => rows.map((row) => row.stamp).join(",")
        ),
      orElse: () =>
        Effect.map(sql<{ readonly n: unknown }>`SELECT COUNT(*) AS n FROM test_side_writes`, (rows) =>
          String(rows[0]?.n)
        )
    })
  expect(yield* values()).toEqual(["peksos-1"])
  const before = yield* writes()
  // Outreach: the same assignees and categories.
  const third = decide(second.next, worker, "2026-03-01T04:00:00Z", { _tag: "StartOutreach" })
  yield* store.append(third.request)
  expect(yield* writes()).toBe(before)
  // A second caseworker, and (in the entry the caller gives) a concern: both side sets change, and the index
  // answers by them.
  const fourth = decide(third.next, kasi, "2026-03-01T05:00:00Z", { _tag: "AssignCaseworker", caseworker: "peksos-2" })
  const concern = Schema.decodeSync(CaseIndex.Entry.fields.concerns)(["child-marriage"])
  yield* store.append({ ...fourth.request, index: { ...fourth.request.index, concerns: concern } })
  expect(yield* writes()).not.toBe(before)
  expect(yield* values()).toEqual(["concern:child-marriage", "peksos-1", "peksos-2"])
  const page = yield* index.query({
    filter: { assignee: Schema.decodeSync(Actor.ActorId)("peksos-2"), concern: "child-marriage" },
    limit: 10
  })
  expect(page.entries.map((entry) => entry.caseId)).toEqual(["case-side"])
})

/**
 * Decoded events are remembered by their stored text: a second load answers the same events, and a text changed in
 * SQL after a load is decoded anew (a tampered payload is seen, not the remembered one).
 */
export const decodedEventsFollowTheStoredText = Effect.gen(function* () {
  const store = yield* EventStore.EventStore
  const [first, second] = registerAndAssign("case-cache")
  yield* store.append(first.request)
  yield* store.append(second.request)
  const caseId = CaseId.make("case-cache")
  const loaded = yield* store.load(caseId)
  const again0 = yield* store.load(caseId)
  expect(again0).toEqual(loaded)
  // Remembered, not decoded again: the very same objects.
  expect(again0[0]).toBe(loaded[0])
  expect(again0[1]).toBe(loaded[1])
  yield* tamper("case-cache", 2, (encoded) => ({ ...encoded, rules: [...encoded.rules, "SOP-EDITED"] }))
  const again = yield* store.load(caseId)
  expect(again[0]).toEqual(loaded[0])
  expect(again[1]?.rules.at(-1)).toBe("SOP-EDITED")
  const [, read] = yield* store.readAfter(0, 10)
  expect(read?.event.rules.at(-1)).toBe("SOP-EDITED")
})

/**
 * A trigger that refuses every event of `case-poison` (the database fails that request, not the store); on
 * PostgreSQL `also` runs for every other event row first.
 */
const poisonCase = (sql: SqlClient.SqlClient, also = "") =>
  sql.onDialectOrElse({
    pg: () =>
      Effect.andThen(
        sql.unsafe(`CREATE FUNCTION test_poison() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF NEW.case_id = 'case-poison' THEN RAISE EXCEPTION 'poisoned'; END IF;
            ${also}
            RETURN NEW;
          END $$`),
        sql.unsafe(
          "CREATE TRIGGER test_poison BEFORE INSERT ON lindung_events FOR EACH ROW EXECUTE FUNCTION test_poison()"
        )
      ),
    orElse: () =>
      sql.unsafe(`CREATE TRIGGER test_poison BEFORE INSERT ON lindung_events
        WHEN NEW.case_id = 'case-poison' BEGIN SELECT RAISE(ABORT, 'poisoned'); END`)
  })

/**
 * Group commit keeps every append its own: appends started together (on PostgreSQL while the store's one writer is
 * held by another transaction, so that they queue up) are written together, and each gets its own answer —
 * written, replayed for a repeated idempotency key, a version conflict, or (for a case whose insert a trigger
 * refuses) an error that leaves nothing of it behind — while the others stand, in gapless positions (SQLite) or
 * blocks (PostgreSQL), with intact chains.
 */
export const groupCommitKeepsEachAppendOwn = Effect.gen(function* () {
  const store = yield* EventStore.EventStore
  const sql = yield* SqlClient.SqlClient
  const pg = sql.onDialectOrElse({ pg: () => true, orElse: () => false })
  // On PostgreSQL the trigger also notes the top-level transaction of every event written (a subtransaction's
  // rows have their own xmin, but txid_current() is the top-level transaction's id).
  if (pg) yield* sql.unsafe("CREATE TABLE test_transactions (case_id TEXT, txid BIGINT)")
  yield* poisonCase(sql, pg ? "INSERT INTO test_transactions VALUES (NEW.case_id, txid_current());" : "")
  const key = (name: string) => ({ key: `key-${name}`, fingerprint: `print-${name}` })
  const a = register("case-a").request
  const b = register("case-b").request
  const poison = register("case-poison").request
  const requests = [
    { ...a, idempotency: key("a") },
    { ...poison },
    { ...a, idempotency: key("a") }, // the same request again: a replay
    { ...b, idempotency: key("b") },
    { ...b } // case-b at version 0 again, without a key: a conflict
  ]
  const appendAll = Effect.all(
    requests.map((request) => Effect.exit(store.append(request))),
    { concurrency: "unbounded" }
  )
  const exits = pg
    ? yield* Effect.gen(function* () {
        // Another transaction holds the lock of case-blocker while the store's one writer appends to it; the
        // appends that start meanwhile queue up behind that batch, and go together in the next.
        const holding = yield* Deferred.make<void>()
        const release = yield* Deferred.make<void>()
        const holder = yield* Effect.forkChild(
          sql.withTransaction(
            Effect.gen(function* () {
              yield* sql`SELECT lindung_lock_case('case-blocker')`
              yield* Deferred.succeed(holding, undefined)
              yield* Deferred.await(release)
            })
          )
        )
        yield* Deferred.await(holding)
        const blocked = yield* Effect.forkChild(store.append(register("case-blocker").request))
        // Until the store's writer waits for case-blocker's lock (up to 10 s).
        for (let attempt = 0; ; attempt++) {
          if (attempt === 2_000) throw new Error("the store's writer never waited for case-blocker's lock")
          const waiting = yield* sql<{
            readonly n: unknown
          }>`SELECT COUNT(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND classid = 'lindung_events'::regclass::oid AND objid = (hashtext('case-blocker')::bigint & 4294967295)::oid`
          if (Number(waiting[0]?.n) > 0) break
          yield* Effect.sleep("5 millis")
        }
        const appending = yield* Effect.forkChild(appendAll)
        yield* Effect.sleep("200 millis")
        yield* Deferred.succeed(release, undefined)
        yield* Fiber.join(holder)
        yield* Fiber.join(blocked)
        return yield* Fiber.join(appending)
      })
    : yield* appendAll
  const [first, poisoned, again, second, conflict] = exits
  expect(first).toMatchObject({ _tag: "Success", value: { fromVersion: 1, toVersion: 1, replayed: false } })
  expect(again).toMatchObject({ _tag: "Success", value: { fromVersion: 1, toVersion: 1, replayed: true } })
  expect(second).toMatchObject({ _tag: "Success", value: { fromVersion: 1, toVersion: 1, replayed: false } })
  expect(Exit.isFailure(poisoned as Exit.Exit<unknown, unknown>)).toBe(true)
  expect(JSON.stringify(poisoned)).toContain("StorageUnavailable")
  expect(JSON.stringify(conflict)).toContain("VersionConflict")
  const stored = (yield* store.readAfter(0, 100)).filter((event) => event.event.caseId !== "case-blocker")
  expect(stored.map((event) => event.event.caseId).sort()).toEqual(["case-a", "case-b"])
  // SQLite numbers events 1, 2, …; PostgreSQL each append from a block of its own (see Migrations).
  if (!pg) expect(stored.map((event) => event.position)).toEqual([1, 2])
  expect(yield* store.load(CaseId.make("case-poison"))).toEqual([])
  expect(yield* store.verify()).toEqual({ cases: pg ? 3 : 2, events: pg ? 3 : 2 })
  if (pg) {
    // Written together: the two events share one transaction (case-blocker's went before, in another).
    const transactions = yield* sql<{
      readonly n: unknown
    }>`SELECT COUNT(DISTINCT txid) AS n FROM test_transactions WHERE case_id <> 'case-blocker'`
    expect(Number(transactions[0]?.n)).toBe(1)
  }
})

/**
 * `appendAll` is one transaction of its own, or a savepoint of the caller's. A request the database fails (a
 * trigger refuses its case) fails the whole call, with nothing of it written — also not the requests before it,
 * and (PostgreSQL) without being run again after the ones behind it. Inside a caller's transaction a refused call
 * rolls back only itself: the caller's own writes before and after it stand.
 */
export const appendAllIsOneTransaction = Effect.gen(function* () {
  const store = yield* EventStore.EventStore
  const sql = yield* SqlClient.SqlClient
  yield* poisonCase(sql)
  const [a, poison, b, c, d] = ["case-a", "case-poison", "case-b", "case-c", "case-d"].map(
    (id) => register(id).request as EventStore.AppendRequest
  )
  const failed = yield* Effect.flip(
    store.appendAll([
      { ...(a as EventStore.AppendRequest), idempotency: { key: "key-a", fingerprint: "print-a" } },
      poison as EventStore.AppendRequest,
      b as EventStore.AppendRequest
    ])
  )
  expect(failed).toMatchObject({ _tag: "StorageUnavailable", operation: "appendAll" })
  expect(yield* store.readAfter(0, 100)).toEqual([])
  expect(yield* store.idempotency("key-a")).toEqual(Option.none())
  // Inside a caller's transaction: its own append, a refused call (case-a twice at version 0), another call.
  yield* sql.withTransaction(
    Effect.gen(function* () {
      yield* store.append(c as EventStore.AppendRequest)
      const conflict = yield* Effect.flip(
        store.appendAll([a as EventStore.AppendRequest, a as EventStore.AppendRequest])
      )
      expect(conflict).toMatchObject({
        _tag: "VersionConflict",
        caseId: "case-a",
        expectedVersion: 0,
        actualVersion: 1
      })
      yield* store.appendAll([b as EventStore.AppendRequest, d as EventStore.AppendRequest])
    })
  )
  const stored = yield* store.readAfter(0, 100)
  expect(stored.map((event) => event.event.caseId)).toEqual(["case-c", "case-b", "case-d"])
  expect(yield* store.verify()).toEqual({ cases: 3, events: 3 })
  expect((yield* Effect.flip(store.appendAll([poison as EventStore.AppendRequest])))._tag).toBe("StorageUnavailable")
})

/**
 * PostgreSQL, events partitioned by province: a case's events stay in the partition of its home province (the
 * province it was registered in) when a later entry moves it to another province, and the store reads it whole;
 * a store that was not partitioned is converted with its events, chains and positions intact.
 */
export const partitionsKeepEachCaseHome = (reopen: Layer.Layer<SqlStorage.Services, unknown, SqlClient.SqlClient>) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const store = yield* EventStore.EventStore
    // Written before partitioning: a case of Kota Padang (13), and one whose first entry lies in Kota Mataram (52).
    const [padang, assigned] = registerAndAssign("case-padang")
    yield* store.append(padang.request)
    yield* store.append(assigned.request)
    const other = register("case-mataram")
    yield* store.append({ ...other.request, index: { ...other.request.index, region: Region.decodeSync("52.71") } })
    const before = yield* store.readAfter(0, 100)
    // A role that reads the events (a relay's, say): the converted table keeps its grant.
    const reader = `lindung_test_reader_${Date.now().toString(36)}`
    yield* sql.unsafe(`CREATE ROLE ${reader} NOLOGIN`)
    yield* sql.unsafe(`GRANT SELECT ON lindung_events TO ${reader}`)
    const events = yield* Effect.gen(function* () {
      const converted = yield* EventStore.EventStore
      const kind = yield* sql<{
        readonly kind: string
      }>`SELECT relkind::text AS kind FROM pg_class WHERE oid = 'lindung_events'::regclass`
      expect(kind[0]?.kind, "the events table is partitioned").toBe("p")
      expect(yield* converted.readAfter(0, 100)).toEqual(before)
      expect(yield* converted.verify()).toEqual({ cases: 2, events: before.length })
      // The Padang case moves to Balikpapan (64.71): its entry moves, its events stay in partition 13.
      const moved = decide(assigned.next, kasi, "2026-03-02T03:00:00Z", { _tag: "StartOutreach" })
      const relocated = { ...moved.request, index: { ...moved.request.index, region: Region.decodeSync("64.71") } }
      yield* converted.append(relocated)
      const homes = yield* sql<{
        readonly case_id: string
        readonly partition: string
      }>`SELECT DISTINCT case_id, tableoid::regclass::text AS partition FROM lindung_events ORDER BY case_id`
      expect(homes.map((row) => [row.case_id, row.partition.split(".").at(-1)])).toEqual([
        ["case-mataram", "lindung_events_p52"],
        ["case-padang", "lindung_events_p13"]
      ])
      const index = yield* CaseIndex.CaseIndex
      expect((yield* index.get(CaseId.make("case-padang"))).region).toBe("64.71")
      expect((yield* converted.load(CaseId.make("case-padang"))).map((event) => event.version)).toEqual([1, 2, 3])
      // A stale writer still meets the version it missed, in the home partition.
      const stale = yield* Effect.flip(converted.append(relocated))
      expect(stale).toMatchObject({ _tag: "VersionConflict", expectedVersion: 2, actualVersion: 3 })
      const granted = yield* sql<{
        readonly ok: boolean
      }>`SELECT has_table_privilege(${reader}, 'lindung_events', 'SELECT') AS ok`
      expect(granted[0]?.ok, "the reader's grant is kept").toBe(true)
      const events = (yield* converted.verify()).events
      // A case whose index row was lost (a partial restore): its events are still found, in their partition, so
      // registering it again (here with a Padang region) meets version 1 instead of writing a second one.
      yield* sql`DELETE FROM lindung_case_index WHERE case_id = 'case-mataram'`
      const again = yield* Effect.flip(converted.append(other.request))
      expect(again).toMatchObject({ _tag: "VersionConflict", expectedVersion: 0, actualVersion: 1 })
      return events
    }).pipe(
      Effect.provide(reopen),
      Effect.ensuring(
        Effect.ignore(
          Effect.andThen(sql.unsafe(`REVOKE ALL ON lindung_events FROM ${reader}`), sql.unsafe(`DROP ROLE ${reader}`))
        )
      )
    )
    expect(events).toBe(before.length + 1)
  })

/**
 * A request the database cannot take in a group-commit batch fails alone: on PostgreSQL a fingerprint with U+0000
 * cannot travel in the batch's JSONB, so the batch statement fails as a whole and every request is written again
 * on its own — the others stand. (SQLite takes such text.)
 */
export const groupCommitIsolatesAnUnencodableRequest = Effect.gen(function* () {
  const store = yield* EventStore.EventStore
  const sql = yield* SqlClient.SqlClient
  // The database refuses one case's events (as a constraint or a trigger of a DBA's would): a request every check of
  // the store accepts, which fails only in its write.
  yield* sql.onDialectOrElse({
    pg: () => sql`ALTER TABLE lindung_events ADD CONSTRAINT lindung_test_refuse_odd CHECK (case_id <> 'case-odd')`,
    orElse: () =>
      sql`CREATE TRIGGER lindung_test_refuse_odd BEFORE INSERT ON lindung_events WHEN NEW.case_id = 'case-odd'
        BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`
  })
  const [a, odd, c] = ["case-a", "case-odd", "case-c"].map((id) => register(id).request)
  const exits = yield* Effect.all(
    [
      store.append({ ...(a as EventStore.AppendRequest), idempotency: { key: "key-a", fingerprint: "print-a" } }),
      store.append({ ...(odd as EventStore.AppendRequest), idempotency: { key: "key-odd", fingerprint: "print-odd" } }),
      store.append(c as EventStore.AppendRequest)
    ].map(Effect.exit),
    { concurrency: "unbounded" }
  )
  expect(Exit.isSuccess(exits[0] as Exit.Exit<unknown, unknown>)).toBe(true)
  expect(Exit.isSuccess(exits[2] as Exit.Exit<unknown, unknown>)).toBe(true)
  const refused = exits[1] as Exit.Exit<unknown, unknown>
  expect(Exit.isFailure(refused) && Cause.squash(refused.cause)).toMatchObject({ _tag: "StorageUnavailable" })
  const written = (yield* store.readAfter(0, 10)).map((stored) => stored.event.caseId).sort()
  expect(written).toEqual(["case-a", "case-c"])
  // Its key was not recorded either.
  expect(Option.isNone(yield* store.idempotency("key-odd"))).toBe(true)
})

/** A writer that bypasses the lock and takes the next version makes the append fail with the actual version. */
export const bypassingWriterIsAConflict = Effect.gen(function* () {
  const store = yield* EventStore.EventStore
  const [first, second] = registerAndAssign("case-bypass")
  yield* store.append(first.request)
  const sql = yield* SqlClient.SqlClient
  // Someone inserts version 2 by hand, at a position far ahead, without the lock (on PostgreSQL in the case's home
  // province, which every event row names since migration 6).
  const columns = sql.onDialectOrElse({ pg: () => sql`province, body, body_text`, orElse: () => sql`body` })
  const values = sql.onDialectOrElse({ pg: () => sql`'13', '{}'::jsonb, NULL`, orElse: () => sql`'{}'` })
  yield* sql`INSERT INTO lindung_events (position, case_id, version, event_id, event_type, ${columns}, previous_hash, hash)
    VALUES (1000, ${"case-bypass"}, 2, 'x', 'x', ${values}, 'x', 'x')`
  const conflict = yield* Effect.flip(store.append(second.request))
  expect(conflict).toMatchObject({ _tag: "VersionConflict", expectedVersion: 1, actualVersion: 2 })
})

/** Driver errors never cross a port: a missing table is a StorageUnavailable, not an SqlError. */
export const driverErrorsAreTranslated = Effect.gen(function* () {
  const store = yield* EventStore.EventStore
  const index = yield* CaseIndex.CaseIndex
  const vault = yield* IdentityVault.IdentityVault
  const sql = yield* SqlClient.SqlClient
  yield* store.append(register("case-x").request)
  yield* sql`DROP TABLE lindung_case_categories`
  yield* sql`DROP TABLE lindung_case_assignees`
  yield* sql`DROP TABLE lindung_case_index`
  yield* sql`DROP TABLE lindung_identities`
  yield* sql`DROP TABLE lindung_case_counts`
  const failures = [
    yield* Effect.flip(index.get("case-x" as never)),
    yield* Effect.flip(index.query({ filter: {}, limit: 5 })),
    yield* Effect.flip(index.count({ filter: {}, by: ["stage"] })),
    yield* Effect.flip(vault.put(Subject.SubjectId.make("s"), identity("Hidden Name"))),
    yield* Effect.flip(store.append(registerAndAssign("case-x")[1].request))
  ]
  for (const failure of failures) {
    expect(failure).toBeInstanceOf(StorageError.StorageUnavailable)
    expect(JSON.stringify(failure)).not.toMatch(/Hidden Name/)
  }
})

/** Key rotation: old keys read, re-encryption moves every identity to the current key, then old keys can go. */
export const keyRotation = (makeStore: (keyring: IdentityKeys.Keyring) => Layer.Layer<Ports, unknown>) =>
  Effect.gen(function* () {
    const oldKey = IdentityKeys.generate("2025-01")
    const newKey = IdentityKeys.generate("2026-01")
    const subjects = Array.from({ length: 7 }, (_, i) => Subject.SubjectId.make(`subject-rot-${i}`))
    const names = subjects.map((_, i) => `Rotated Person ${i}`)
    // One database, opened three times with three keyrings: the layer factory shares it.
    yield* Effect.gen(function* () {
      const vault = yield* IdentityVault.IdentityVault
      for (const [i, subject] of subjects.entries()) yield* vault.put(subject, identity(names[i] as string))
    }).pipe(Effect.provide(makeStore(IdentityKeys.keyring(oldKey))))
    const report = yield* Effect.gen(function* () {
      const vault = yield* IdentityVault.IdentityVault
      // Both keys in the ring: the old identities read, a new put uses the new key.
      expect(Redacted.value((yield* vault.get(subjects[0] as Subject.SubjectId)).name)).toBe(names[0])
      yield* vault.put(subjects[6] as Subject.SubjectId, identity(names[6] as string))
      expect(yield* SqlStorage.identityKeyCounts).toEqual({ byKey: { "2025-01": 6, "2026-01": 1 }, erased: 0 })
      const rotated = yield* SqlStorage.reencryptIdentities(IdentityKeys.keyring(newKey, oldKey), { batchSize: 2 })
      expect(yield* SqlStorage.identityKeyCounts).toEqual({ byKey: { "2026-01": 7 }, erased: 0 })
      return rotated
    }).pipe(Effect.provide(makeStore(IdentityKeys.keyring(newKey, oldKey))))
    expect(report).toEqual({ reencrypted: 6, current: 1 })
    yield* Effect.gen(function* () {
      const vault = yield* IdentityVault.IdentityVault
      for (const [i, subject] of subjects.entries()) {
        expect(Redacted.value((yield* vault.get(subject)).name)).toBe(names[i])
      }
      const sql = yield* SqlClient.SqlClient
      expect(yield* sql`SELECT DISTINCT key_id FROM lindung_identities`).toEqual([{ key_id: "2026-01" }])
    }).pipe(Effect.provide(makeStore(IdentityKeys.keyring(newKey))))
    // With only the old key, the rotated identities are a typed corruption naming the key id, never a crash.
    yield* Effect.gen(function* () {
      const vault = yield* IdentityVault.IdentityVault
      const error = yield* Effect.flip(vault.get(subjects[0] as Subject.SubjectId))
      expect(error).toMatchObject({ _tag: "CorruptedRecord" })
      expect((error as StorageError.CorruptedRecord).detail).toMatch(/2026-01/)
    }).pipe(Effect.provide(makeStore(IdentityKeys.keyring(oldKey))))
  })

// ---------------------------------------------------------------------------------------------------------------
// The index against the reference functions, on random entries
// ---------------------------------------------------------------------------------------------------------------

const regions = ["52", "52.71", "52.71.01", "52.71.01.1001", "52.02", "13.71", "13.71.01", "64.71", "31", "35.78"].map(
  (code) => Region.decodeSync(code)
)
const actors = ["peksos-1", "peksos-2", "kasi"]
/** Subject ids that a case-folding or prefix-matching filter would confuse, with UTF-8/UTF-16 order differences. */
const subjects = ["subj-1", "SUBJ-1", "subj-10", "subj-\u00e9", "subj-\u{1F600}", "subj-\ue000", "subj_1"]
const base = DateTime.toEpochMillis(DateTime.makeUnsafe("2026-01-01T00:00:00Z"))

/** Case ids that sort differently in UTF-8 bytes and UTF-16 units, upper/lower case, `-` and `_`. */
const caseIdArb = fc.oneof(
  fc.constantFrom("a", "B", "a-1", "a_1", "\uffef", "\u{1F600}", "\ue000", "z", "Z-9", "\u00e9"),
  fc.string({ minLength: 1, maxLength: 6, unit: fc.constantFrom("a", "B", "-", "_", "\uffef", "\u{1F600}", "\ue000") })
)

const entryArb = (caseId: string): fc.Arbitrary<CaseIndex.Entry> =>
  fc
    .record({
      region: fc.constantFrom(...regions),
      owner: fc.constantFrom("dinsos-52", "dinsos-13.71"),
      stage: fc.constantFrom("reported", "assessment", "intervention", "closed"),
      risk: fc.option(fc.constantFrom("rendah", "sedang", "tinggi"), { nil: undefined }),
      subject: fc.constantFrom(...subjects),
      subjectKind: fc.constantFrom("child", "adult"),
      ageBand: fc.constantFrom("5-11", "14-17", "18-59"),
      assigned: fc.uniqueArray(fc.constantFrom(...actors), { maxLength: 3 }),
      ampk: fc.uniqueArray(fc.constantFrom("a", "b", "j"), { maxLength: 3 }),
      ppks: fc.uniqueArray(fc.constantFrom(6, 7, 23), { maxLength: 3 }),
      sppaRole: fc.option(fc.constantFrom("anak-korban", "anak-saksi"), { nil: undefined }),
      concerns: fc.uniqueArray(fc.constantFrom("adoption", "child-marriage"), { maxLength: 2 }),
      due: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined })
    })
    .map((r) =>
      Schema.decodeUnknownSync(CaseIndex.Entry)({
        caseId,
        version: 1,
        region: r.region,
        owner: r.owner,
        stage: r.stage,
        ...(r.risk === undefined ? {} : { risk: r.risk }),
        subject: r.subject,
        subjectKind: r.subjectKind,
        ageBand: r.ageBand,
        assigned: r.assigned,
        ampk: r.ampk,
        ppks: r.ppks,
        ...(r.sppaRole === undefined ? {} : { sppaRole: r.sppaRole }),
        concerns: r.concerns,
        ...(r.due === undefined ? {} : { nextDueAt: new Date(base + r.due * 86_400_000).toISOString() }),
        reportedAt: new Date(base).toISOString(),
        updatedAt: new Date(base).toISOString()
      })
    )

const filterArb: fc.Arbitrary<CaseIndex.Filter> = fc
  .record(
    {
      region: fc.constantFrom("ID", "52", "52.71", "13", "52.71.01", "64.71", "52.7"),
      stages: fc.uniqueArray(fc.constantFrom("reported", "assessment", "intervention", "closed"), { maxLength: 2 }),
      risks: fc.uniqueArray(fc.constantFrom("rendah", "sedang", "tinggi"), { maxLength: 2 }),
      owner: fc.constantFrom("dinsos-52", "dinsos-13.71"),
      subject: fc.constantFrom(...subjects, "subj-", "subj-%"),
      assignee: fc.constantFrom(...actors),
      ampk: fc.constantFrom("a", "j", "o"),
      ppks: fc.constantFrom(6, 23, 1),
      sppaRole: fc.constantFrom("anak-korban", "anak-saksi"),
      concern: fc.constantFrom("adoption", "child-marriage"),
      dueBefore: fc.integer({ min: 0, max: 11 }).map((d) => new Date(base + d * 86_400_000).toISOString())
    },
    { requiredKeys: [] }
  )
  .map((raw) => {
    // "52.7" is not a region code; drop it (the port takes decoded filters).
    const { region, ...rest } = raw as Record<string, unknown>
    return Schema.decodeUnknownSync(CaseIndex.Filter)(
      region === undefined || region === "52.7" ? rest : { ...rest, region }
    )
  })

const dimensionArb = fc.uniqueArray(
  fc.constantFrom<CaseIndex.Dimension>(
    "region",
    "owner",
    "stage",
    "risk",
    "subjectKind",
    "ageBand",
    "ampk",
    "ppks",
    "sppaRole",
    "concern"
  ),
  { minLength: 1, maxLength: 3 }
)

/** Ids whose UTF-8 byte order differs from their UTF-16 order come back in UTF-16 order, and cursors follow it. */
export const utf16Order = Effect.gen(function* () {
  const store = yield* EventStore.EventStore
  const index = yield* CaseIndex.CaseIndex
  const ids = ["\uffef", "\u{1F600}", "\ue000", "a_1", "a-1", "B", "a", "\u00e9"]
  for (const id of ids) yield* store.append(register(id).request)
  const expected = [...ids].sort(CaseIndex.compareIds)
  // UTF-16: the astral character (a surrogate pair, 0xD83D…) sorts before U+E000 and U+FFEF.
  expect(expected.indexOf("\u{1F600}")).toBeLessThan(expected.indexOf("\ue000"))
  const every = yield* index.query({ filter: {}, limit: 100 })
  expect(every.entries.map((e) => e.caseId)).toEqual(expected)
  const walked: Array<string> = []
  let after: string | undefined
  for (;;) {
    const page: CaseIndex.Page = yield* index.query({ filter: {}, limit: 3, ...(after === undefined ? {} : { after }) })
    walked.push(...page.entries.map((e) => e.caseId))
    if (page.next === undefined) break
    after = page.next
  }
  expect(walked).toEqual(expected)
  const afterAstral = yield* index.query({ filter: {}, limit: 100, after: "\u{1F600}" })
  expect(afterAstral.entries.map((e) => e.caseId)).toEqual(expected.slice(expected.indexOf("\u{1F600}") + 1))
  expect((yield* store.verify()).cases).toBe(ids.length)
})

/** Random entries stored through append; every query and count equals the reference over the same entries. */
export const indexAgreesWithReference = (makeStore: () => Layer.Layer<Ports, unknown>, runs: number) =>
  Effect.promise(() =>
    fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(caseIdArb, { minLength: 1, maxLength: 12 }).chain((ids) =>
          fc.tuple(
            fc.tuple(...ids.map((id) => entryArb(id))),
            fc.array(
              fc.record({
                filter: filterArb,
                limit: fc.integer({ min: 1, max: 5 }),
                after: fc.option(caseIdArb, { nil: undefined }),
                by: dimensionArb,
                regionDepth: fc.option(fc.constantFrom(1 as const, 2 as const, 3 as const, 4 as const), {
                  nil: undefined
                })
              }),
              { minLength: 1, maxLength: 6 }
            )
          )
        ),
        async ([entries, queries]) => {
          const exit = await Effect.runPromiseExit(
            Effect.gen(function* () {
              const store = yield* EventStore.EventStore
              const index = yield* CaseIndex.CaseIndex
              for (const entry of entries) {
                const first = register(entry.caseId)
                yield* store.append({ ...first.request, index: entry })
              }
              const encode = Schema.encodeSync(CaseIndex.Entry)
              for (const q of queries) {
                const query = { filter: q.filter, limit: q.limit, ...(q.after === undefined ? {} : { after: q.after }) }
                const page = yield* index.query(query)
                const expected = CaseIndex.page(entries, query)
                expect(page.entries.map((e) => encode(e))).toEqual(expected.entries.map((e) => encode(e)))
                expect(page.next).toEqual(expected.next)
                // Walking every page with cursors yields every match once, in order.
                const all: Array<string> = []
                let after: string | undefined
                for (;;) {
                  const next: CaseIndex.Page = yield* index.query({
                    filter: q.filter,
                    limit: q.limit,
                    ...(after === undefined ? {} : { after })
                  })
                  all.push(...next.entries.map((e) => e.caseId))
                  if (next.next === undefined) break
                  after = next.next
                }
                expect(all).toEqual(
                  CaseIndex.page(entries, { filter: q.filter, limit: 500 }).entries.map((e) => e.caseId)
                )
                const countQuery = {
                  filter: q.filter,
                  by: q.by as unknown as readonly [CaseIndex.Dimension, ...Array<CaseIndex.Dimension>],
                  ...(q.regionDepth === undefined ? {} : { regionDepth: q.regionDepth })
                }
                expect(yield* index.count(countQuery)).toEqual(CaseIndex.count(entries, countQuery))
              }
            }).pipe(Effect.provide(Layer.fresh(makeStore())))
          )
          if (Exit.isFailure(exit)) throw exit.cause
        }
      ),
      { numRuns: runs }
    )
  )

// ---------------------------------------------------------------------------------------------------------------
// The identity access trail in SQL
// ---------------------------------------------------------------------------------------------------------------

/**
 * The trail's table holds ids and codes only (no identity column, no identity value); a stored row that is not an
 * access record is a `CorruptedRecord` naming the row, not a crash or a driver error.
 */
export const accessTrailRows = Effect.gen(function* () {
  const vault = yield* IdentityVault.IdentityVault
  const sql = yield* SqlClient.SqlClient
  const subject = Subject.SubjectId.make("subject-trail")
  yield* vault.put(subject, identity("Trail Person"))
  const access: IdentityVault.AccessRecord = {
    subject,
    caseId: CaseId.make("case-trail"),
    actor: kasi.id,
    role: kasi.role,
    agency: kasi.agency,
    operation: "read",
    purpose: "family-tracing",
    at: DateTime.makeUnsafe("2026-03-01T02:00:00.123Z")
  }
  yield* vault.record(access)
  yield* vault.record({ ...access, operation: "erase", purpose: "data-subject-request" })
  const columns = yield* sql.onDialectOrElse({
    pg: () =>
      sql<{
        name: string
      }>`SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'lindung_identity_accesses' ORDER BY ordinal_position`,
    orElse: () => sql<{ name: string }>`SELECT name FROM pragma_table_info('lindung_identity_accesses') ORDER BY cid`
  })
  expect(columns.map((c) => c.name)).toEqual([
    "position",
    "subject",
    "case_id",
    "actor",
    "role",
    "agency",
    "operation",
    "purpose",
    "at"
  ])
  const rows = yield* sql<Record<string, unknown>>`SELECT * FROM lindung_identity_accesses ORDER BY position`
  expect(rows.map((row) => ({ ...row, position: undefined, at: Number(row.at) }))).toEqual([
    {
      position: undefined,
      subject: "subject-trail",
      case_id: "case-trail",
      actor: kasi.id,
      role: kasi.role,
      agency: kasi.agency,
      operation: "read",
      purpose: "family-tracing",
      at: Date.UTC(2026, 2, 1, 2, 0, 0, 123)
    },
    {
      position: undefined,
      subject: "subject-trail",
      case_id: "case-trail",
      actor: kasi.id,
      role: kasi.role,
      agency: kasi.agency,
      operation: "erase",
      purpose: "data-subject-request",
      at: Date.UTC(2026, 2, 1, 2, 0, 0, 123)
    }
  ])
  expect(JSON.stringify(rows, (_, v) => (typeof v === "bigint" ? Number(v) : v))).not.toMatch(/Trail Person/)
  // A row with a purpose this release does not know, then one with an impossible instant.
  const [first] = rows
  yield* sql`UPDATE lindung_identity_accesses SET purpose = 'curiosity' WHERE position = ${first?.position as number}`
  const unknownPurpose = yield* Effect.flip(vault.accesses(subject))
  expect(unknownPurpose).toMatchObject({
    _tag: "CorruptedRecord",
    location: `identity access ${Number(first?.position)} of subject subject-trail`
  })
  yield* sql`UPDATE lindung_identity_accesses SET purpose = 'referral', at = ${Number.MAX_SAFE_INTEGER} WHERE position = ${first?.position as number}`
  expect((yield* Effect.flip(vault.accesses(subject)))._tag).toBe("CorruptedRecord")
  // Another subject's trail is not affected.
  expect(yield* vault.accesses(Subject.SubjectId.make("subject-other"))).toEqual([])
})

/**
 * `rebuildCounts` puts counters that an outside writer left wrong back to what the index says: the counts the
 * counters answer are wrong after a hand-written UPDATE, and right again after the rebuild.
 */
export const countsRebuilt = Effect.gen(function* () {
  const store = yield* EventStore.EventStore
  const index = yield* CaseIndex.CaseIndex
  const sql = yield* SqlClient.SqlClient
  const [first, second] = registerAndAssign("case-count-a")
  yield* store.append(first.request)
  yield* store.append(second.request)
  yield* store.append(register("case-count-b").request)
  yield* store.append(register("case-count-c").request)
  const query = { filter: {}, by: ["stage", "ampk"] } as const
  const right = yield* index.count(query)
  expect(right.reduce((n, group) => n + group.count, 0)).toBe(3)
  yield* sql`UPDATE lindung_case_counts SET n = n + 7`
  expect(yield* index.count(query)).not.toEqual(right)
  const report = yield* SqlStorage.rebuildCounts
  expect(report.cases).toBe(3)
  expect(report.keys).toBeGreaterThan(0)
  expect(yield* index.count(query)).toEqual(right)
  // Appends after the rebuild keep the rebuilt counters.
  yield* store.append(register("case-count-d").request)
  expect((yield* index.count(query)).reduce((n, group) => n + group.count, 0)).toBe(4)
})

/**
 * Migration 7 filled `wake_at` from `next_due_at` for the rows written before it, whose entries hold no `wakeAt`: the
 * column and the entry disagree. The first `Tick` that finds nothing due must bring the column up to the policy
 * (through `EventStore.refreshDue`, which compares both), or the scheduler wakes the case at every pass.
 */
export const staleWakeUpColumnHealed = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const store = yield* EventStore.EventStore
  const index = yield* CaseIndex.CaseIndex
  const system = Person.make({ id: "scheduler", agency: "dinsos-13.71", role: "system" })
  const actor = Person.actorOf(system, padang)
  // Registered, never assigned: both of its deadlines escalated to the supervisor, then to the head of the Dinas.
  const first = register("case-stale-wake")
  const toSupervisor = decide(first.next, actor, "2026-03-03T02:00:00Z", { _tag: "Tick" })
  const toHead = decide(toSupervisor.next, actor, "2026-03-20T02:00:00Z", { _tag: "Tick" })
  for (const step of [first, toSupervisor, toHead]) yield* store.append(step.request)
  const entry = toHead.request.index
  const { nextDueAt, wakeAt } = entry
  if (nextDueAt === undefined || wakeAt === undefined) throw new Error("the fixture has a deadline and a birthday")
  // Nothing is due before the child's 18th birthday: the scheduler has no reason to look at the case.
  expect(DateTime.toEpochMillis(wakeAt)).toBeGreaterThan(Date.parse("2032-01-01T00:00:00Z"))
  const woken = () =>
    Effect.map(
      index.query({ filter: { wakeBefore: DateTime.makeUnsafe("2026-04-01T00:00:00Z") }, limit: 10 }),
      (page) => page.entries.map((listed) => listed.caseId)
    )
  expect(yield* woken()).toEqual([])
  // As migration 7 left an older release's row: the column holds the deadline, the entry does not.
  yield* sql`UPDATE lindung_case_index SET wake_at = next_due_at WHERE case_id = 'case-stale-wake'`
  expect(yield* woken()).toEqual(["case-stale-wake"])
  const outcome = yield* Effect.gen(function* () {
    const cases = yield* CaseService.CaseService
    return yield* cases.execute(
      actor,
      Schema.decodeUnknownSync(CaseCommand.Command)({ _tag: "Tick", caseId: "case-stale-wake" })
    )
  }).pipe(
    Effect.provide(
      CaseService.layer().pipe(Layer.provide(Directory.layer(Result.getOrThrow(Directory.make([padang], [system])))))
    )
  )
  expect(outcome.events).toEqual([])
  expect(yield* woken(), "the Tick brought the column up to the policy").toEqual([])
  const [row] = yield* sql<{
    wake_at: unknown
  }>`SELECT wake_at FROM lindung_case_index WHERE case_id = 'case-stale-wake'`
  expect(Number(row?.wake_at)).toBe(DateTime.toEpochMillis(wakeAt))
})
