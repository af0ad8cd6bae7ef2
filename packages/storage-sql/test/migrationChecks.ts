/**
 * Migration 2 on a database that release 0.0.0 (schema version 1) wrote: cases are stored the way the version-1
 * adapter stored them (events, index rows without a subject column, entry JSON without `subject`), then the
 * database is migrated, and the current store must find the old cases by subject, decode their entries, and keep
 * their events and chain intact. Shared by the SQLite and PostgreSQL test files.
 */
import {
  type Case,
  CaseEvent,
  CaseIndex,
  CaseModel,
  CaseRepository,
  EventStore,
  IdentityVault,
  Integrity,
  Region,
  Subject
} from "@lindung/core"
import { DateTime, Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { expect } from "vitest"
import { Migrations, SqlStorage } from "../src/index.js"
import { decide, kasi, register } from "./fixtures.js"
import { testKeyring } from "./stores.js"

const millis = (instant: DateTime.Utc | undefined) => (instant === undefined ? null : DateTime.toEpochMillis(instant))

/** The UTF-16 sort key of an id, as the adapter stores it. */
const sortKey = (id: string): Uint8Array => {
  const bytes = new Uint8Array(id.length * 2)
  for (let i = 0; i < id.length; i++) {
    bytes[i * 2] = id.charCodeAt(i) >>> 8
    bytes[i * 2 + 1] = id.charCodeAt(i) & 0xff
  }
  return bytes
}

/**
 * Writes one append the way the version-1 adapter did (no subject anywhere in the index). `bodyText` forces the
 * PostgreSQL text column for the events (as for JSON that JSONB cannot hold); `rawBody` stores the given text as
 * the first event's body instead of its JSON (a damaged row).
 */
const writeVersion1 = (
  request: EventStore.AppendRequest,
  options: { readonly bodyText?: boolean; readonly rawBody?: string } = {}
) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const pg = sql.onDialectOrElse({ pg: () => true, orElse: () => false })
    const sequence = yield* sql<{ last_position: unknown }>`SELECT last_position FROM lindung_event_sequence`
    let position = Number(sequence[0]?.last_position ?? 0)
    const head = yield* sql<{
      hash: string
    }>`SELECT hash FROM lindung_events WHERE case_id = ${request.caseId} ORDER BY version DESC LIMIT 1`
    let previous = head[0]?.hash ?? Integrity.GENESIS
    for (const event of request.events) {
      const encoded = CaseEvent.encode(event)
      const text =
        options.rawBody !== undefined && event.version === 1 ? options.rawBody : Integrity.canonicalJson(encoded)
      const hash = Integrity.link(previous, encoded)
      position++
      if (pg && options.bodyText !== true) {
        yield* sql`INSERT INTO lindung_events (position, case_id, version, event_id, event_type, body, body_text, previous_hash, hash)
          VALUES (${position}, ${request.caseId}, ${event.version}, ${event.eventId}, ${event.type}, ${text}::jsonb, NULL, ${previous}, ${hash})`
      } else if (pg) {
        yield* sql`INSERT INTO lindung_events (position, case_id, version, event_id, event_type, body, body_text, previous_hash, hash)
          VALUES (${position}, ${request.caseId}, ${event.version}, ${event.eventId}, ${event.type}, NULL, ${text}, ${previous}, ${hash})`
      } else {
        yield* sql`INSERT INTO lindung_events (position, case_id, version, event_id, event_type, body, previous_hash, hash)
          VALUES (${position}, ${request.caseId}, ${event.version}, ${event.eventId}, ${event.type}, ${text}, ${previous}, ${hash})`
      }
      previous = hash
    }
    // The version-1 entry: everything but the subject.
    const { subject: _, ...entry } = Schema.encodeSync(CaseIndex.Entry)(request.index)
    const entryJson = JSON.stringify(entry)
    const index = request.index
    const json = pg ? sql`${entryJson}::jsonb` : sql`${entryJson}`
    yield* sql`DELETE FROM lindung_case_index WHERE case_id = ${index.caseId}`
    yield* sql`INSERT INTO lindung_case_index (case_id, case_key, version, region, owner, stage, risk, subject_kind, age_band, sppa_role, next_due_at, reported_at, updated_at, entry)
      VALUES (${index.caseId}, ${sortKey(index.caseId)}, ${index.version}, ${index.region}, ${index.owner}, ${index.stage}, ${index.risk ?? null}, ${index.subjectKind}, ${index.ageBand}, ${index.sppaRole ?? null}, ${millis(index.nextDueAt)}, ${millis(index.reportedAt)}, ${millis(index.updatedAt)}, ${json})`
    for (const actor of new Set(index.assigned)) {
      yield* sql`INSERT INTO lindung_case_assignees (case_id, actor_id) VALUES (${index.caseId}, ${actor})`
    }
    yield* sql`UPDATE lindung_event_sequence SET last_position = ${position} WHERE id = 1`
  })

/**
 * On a client to a NEW, EMPTY database: migrate to version 1, write cases as release 0.0.0 did, migrate to the
 * latest version, and check the old cases through the current store.
 */
export const migrationFromVersion1 = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const pg = sql.onDialectOrElse({ pg: () => true, orElse: () => false })
  const version1 = Migrations.migrations.filter((migration) => migration.version === 1)
  expect((yield* Migrations.migrate(version1)).to).toBe(1)

  // Two cases of one child (a re-report), one of another child, a case with two appends, and a damaged case.
  const [first, assigned] = (() => {
    const one = register("case-old-1", "subject-anak-a")
    return [one, decide(one.next, kasi, "2026-03-01T03:00:00Z", { _tag: "AssignCaseworker", caseworker: "peksos-1" })]
  })()
  const again = register("case-old-2", "subject-anak-a")
  const other = register("CASE-OLD-3", "subject-anak-b")
  const damaged = register("case-old-4", "subject-anak-c")
  yield* writeVersion1(first.request)
  yield* writeVersion1(assigned.request)
  yield* writeVersion1(again.request)
  // Due, as the index said before migration 7, at the start of a day in Padang (WIB): a child's 18th birthday.
  const birthday = DateTime.makeUnsafe("2026-03-03T17:00:00Z")
  yield* writeVersion1({ ...other.request, index: { ...other.request.index, nextDueAt: birthday } })
  yield* writeVersion1(damaged.request, pg ? { bodyText: true, rawBody: "{not json" } : { rawBody: "{not json" })
  // PostgreSQL only: a first event kept as text because JSONB cannot hold it (U+0000 in a string of the event).
  const hostile = register("case-old-5", "subject-anak-b")
  if (pg) {
    const event = hostile.request.events[0] as CaseEvent.Envelope
    yield* writeVersion1(
      { ...hostile.request, events: [{ ...event, rules: [...event.rules, "note-\u0000-\ud800"] }] },
      { bodyText: true }
    )
  }

  const report = yield* Migrations.migrate()
  expect(report).toEqual({
    from: 1,
    to: Migrations.latestVersion,
    applied: Migrations.migrations
      .filter((migration) => migration.version > 1)
      .map(({ version, name }) => ({ version, name }))
  })
  // Migration 7: the old rows' wake-up instant is the due instant they held (then, the scheduler's; here, for
  // CASE-OLD-3, a birthday), and their due instant is left as it was until their next append.
  const wakes = yield* sql<{
    case_id: string
    wake_at: unknown
    next_due_at: unknown
  }>`SELECT case_id, wake_at, next_due_at FROM lindung_case_index ORDER BY case_key`
  const number = (value: unknown) => (value === null ? null : Number(value))
  for (const row of wakes) expect(number(row.wake_at), row.case_id).toBe(number(row.next_due_at))
  expect(number(wakes.find((row) => row.case_id === "CASE-OLD-3")?.wake_at)).toBe(DateTime.toEpochMillis(birthday))
  if (pg) {
    // Migration 8: an entry written without wakeAt (a deadline whose escalations are all recorded) has no wake-up
    // instant, whatever its due instant; with one, the trigger takes it from the entry.
    yield* sql`UPDATE lindung_case_index SET entry = entry - 'wakeAt', next_due_at = 86400000 WHERE case_id = 'case-old-4'`
    const [old] = yield* sql<{ wake_at: unknown }>`SELECT wake_at FROM lindung_case_index WHERE case_id = 'case-old-4'`
    expect(number(old?.wake_at)).toBeNull()
    yield* sql`UPDATE lindung_case_index SET entry = entry || '{"wakeAt":"1970-01-03T00:00:00.000Z"}'::jsonb WHERE case_id = 'case-old-4'`
    const [woken] = yield* sql<{
      wake_at: unknown
    }>`SELECT wake_at FROM lindung_case_index WHERE case_id = 'case-old-4'`
    expect(number(woken?.wake_at)).toBe(2 * 86400000)
  }
  const backfilled = yield* sql<{
    case_id: string
    subject: string | null
  }>`SELECT case_id, subject FROM lindung_case_index ORDER BY case_key`
  expect(backfilled).toEqual([
    { case_id: "CASE-OLD-3", subject: "subject-anak-b" },
    { case_id: "case-old-1", subject: "subject-anak-a" },
    { case_id: "case-old-2", subject: "subject-anak-a" },
    { case_id: "case-old-4", subject: null },
    ...(pg ? [{ case_id: "case-old-5", subject: "subject-anak-b" }] : [])
  ])

  // The current store on the migrated database.
  yield* Effect.gen(function* () {
    const index = yield* CaseIndex.CaseIndex
    const store = yield* EventStore.EventStore
    const vault = yield* IdentityVault.IdentityVault
    const ids = (page: CaseIndex.Page) => page.entries.map((entry) => entry.caseId)
    const ofA = yield* index.query({ filter: { subject: Subject.SubjectId.make("subject-anak-a") }, limit: 10 })
    expect(ids(ofA)).toEqual(["case-old-1", "case-old-2"])
    // The old entries decode, with their subject, exactly as the version-1 adapter was given them.
    const encode = Schema.encodeSync(CaseIndex.Entry)
    expect(ofA.entries.map((entry) => encode(entry))).toEqual(
      [assigned.request.index, again.request.index].map((e) => encode(e))
    )
    const ofB = yield* index.query({ filter: { subject: Subject.SubjectId.make("subject-anak-b") }, limit: 10 })
    expect(ids(ofB)).toEqual(pg ? ["CASE-OLD-3", "case-old-5"] : ["CASE-OLD-3"])
    expect(
      yield* index.count({ filter: { subject: Subject.SubjectId.make("subject-anak-a") }, by: ["stage"] })
    ).toEqual([{ key: { stage: "reported" }, count: 2 }])
    expect((yield* index.get(CaseModel.CaseId.make("case-old-2"))).subject).toBe("subject-anak-a")
    // The damaged case has no subject: its entry is reported as corrupted, as its events are.
    const corrupted = yield* Effect.flip(index.get(CaseModel.CaseId.make("case-old-4")))
    expect(corrupted._tag).toBe("CorruptedRecord")
    expect(
      ids(yield* index.query({ filter: { subject: Subject.SubjectId.make("subject-anak-c") }, limit: 10 }))
    ).toEqual([])
    // Events and their chain are untouched; a new append continues the old case and writes the subject.
    expect((yield* store.load(CaseModel.CaseId.make("case-old-1"))).length).toBe(2)
    expect((yield* store.verify(CaseModel.CaseId.make("case-old-1"))).firstBreak).toBeUndefined()
    const next = decide(again.next, kasi, "2026-03-02T03:00:00Z", { _tag: "AssignCaseworker", caseworker: "peksos-2" })
    expect((yield* store.append(next.request)).toVersion).toBe(2)
    const fresh = register("case-new-1", "subject-anak-a")
    yield* store.append(fresh.request)
    // The old cases hold their subjects: registering one of them as new is refused (on PostgreSQL through the
    // claims migration 7 filled from the index), and writes nothing; a subject no case holds is taken.
    const claimed = register("case-new-2", "subject-anak-b")
    expect(yield* Effect.flip(store.append({ ...claimed.request, newSubject: true }))).toMatchObject({
      _tag: "SubjectHeld",
      caseId: "case-new-2"
    })
    expect(yield* store.load(CaseModel.CaseId.make("case-new-2"))).toEqual([])
    // New positions continue above the old ones (on PostgreSQL, blocks of a sequence set past them).
    const order = yield* sql<{
      case_id: string
      version: unknown
    }>`SELECT case_id, version FROM lindung_events ORDER BY position`
    expect(order.length).toBe(pg ? 8 : 7)
    expect(order.slice(-2).map((row) => [row.case_id, Number(row.version)])).toEqual([
      ["case-old-2", 2],
      ["case-new-1", 1]
    ])
    expect(
      ids(yield* index.query({ filter: { subject: Subject.SubjectId.make("subject-anak-a") }, limit: 10 }))
    ).toEqual(["case-new-1", "case-old-1", "case-old-2"])
    // The counters were filled from the old index and are kept by the new appends: they agree with a scan (a
    // count by owner too is answered by scanning the index).
    const cases = pg ? 6 : 5
    expect(yield* index.count({ filter: {}, by: ["stage"] })).toEqual([{ key: { stage: "reported" }, count: cases }])
    expect(yield* index.count({ filter: { region: Region.RegionCode.make("13.71") }, by: ["risk", "ampk"] })).toEqual(
      (yield* index.count({ filter: { region: Region.RegionCode.make("13.71") }, by: ["risk", "ampk", "owner"] })).map(
        ({ key: { owner: _, ...key }, count }) => ({ key, count })
      )
    )
    // The access trail is there, empty.
    expect(yield* vault.accesses(Subject.SubjectId.make("subject-anak-a"))).toEqual([])
    // `refreshDue` (what `lindung refresh-due` runs once after migration 7) gives CASE-OLD-3 its deadline again in
    // place of the birthday, and its wake-up instant: the entry and the columns are the current release's.
    const oldThree = CaseModel.CaseId.make("CASE-OLD-3")
    const projected = other.request.index
    if (projected.nextDueAt === undefined) throw new Error("the fixture case has a deadline")
    const overdue = DateTime.makeUnsafe(DateTime.toEpochMillis(projected.nextDueAt) + 60_000)
    // (Within the subject: the damaged case-old-4 has no entry that decodes.)
    const overdueIds = () =>
      Effect.map(
        index.query({ filter: { subject: Subject.SubjectId.make("subject-anak-b"), dueBefore: overdue }, limit: 10 }),
        ids
      )
    expect(yield* overdueIds(), "the birthday hides the real deadline").not.toContain("CASE-OLD-3")
    const due = CaseRepository.dueOf(other.next.state as Case.Case)
    expect(yield* store.refreshDue(due)).toBe("written")
    expect(Schema.encodeSync(CaseIndex.Entry)(yield* index.get(oldThree))).toEqual(
      Schema.encodeSync(CaseIndex.Entry)(projected)
    )
    const [refreshed] = yield* sql<{
      next_due_at: unknown
      wake_at: unknown
    }>`SELECT next_due_at, wake_at FROM lindung_case_index WHERE case_id = ${oldThree}`
    expect([number(refreshed?.next_due_at ?? null), number(refreshed?.wake_at ?? null)]).toEqual([
      millis(projected.nextDueAt),
      millis(projected.wakeAt)
    ])
    expect(yield* overdueIds()).toContain("CASE-OLD-3")
    expect(yield* store.refreshDue(due)).toBe("unchanged")
    if (pg) {
      // Migration 6: every case's home province, from its index row, on the case and on each of its events (old and
      // new), and a stale append to an old case still meets its version.
      const homes = yield* sql<{
        readonly case_id: string
        readonly home: string
        readonly provinces: string
      }>`SELECT i.case_id, i.home, (SELECT string_agg(DISTINCT e.province, ',') FROM lindung_events e WHERE e.case_id = i.case_id) AS provinces
        FROM lindung_case_index i ORDER BY i.case_key`
      expect(homes.map((row) => [row.case_id, row.home, row.provinces])).toEqual(
        ["CASE-OLD-3", "case-new-1", "case-old-1", "case-old-2", "case-old-4", "case-old-5"].map((id) => [
          id,
          "13",
          "13"
        ])
      )
      expect((yield* Effect.flip(store.append(next.request)))._tag).toBe("VersionConflict")
    }
  }).pipe(Effect.provide(SqlStorage.layerFromClient({ keyring: testKeyring() }).pipe(Layer.orDie)))
})
