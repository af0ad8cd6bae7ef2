/**
 * Example tests of every operation of the five ports, on the realistic fixture cases. Expected values are either
 * written out (ids, counts of the NTB table) or computed with the core's pure reference functions
 * (`CaseIndex.page`, `CaseIndex.count`, `Integrity.link`, `EventStore.checkRequest`) over the fixture data — never
 * with the adapter under test.
 */
import { expect } from "@effect/vitest"
import {
  Actor,
  Case,
  CaseEvent,
  CaseExport,
  CaseIndex,
  EventStore,
  IdentityVault,
  Integrity,
  Region,
  Subject
} from "@lindung/core"
import { DateTime, Effect, Option, Result, Schema } from "effect"
import {
  accessJson,
  accessOf,
  allBatches,
  type Batch,
  cid,
  decideBatch,
  finalEntries,
  fingerprintOf,
  identities,
  instants,
  registration,
  requestOf,
  staff,
  stories,
  story
} from "./fixtures.js"
import {
  appendEach,
  entryJson,
  errorJson,
  eventJson,
  identityValues,
  interleave,
  type Kit,
  readAll,
  type Services,
  services
} from "./harness.js"

const allInterleaved = (): ReadonlyArray<Batch> => interleave(stories().map((s) => s.batches))

const totalEvents = (): number => allBatches().reduce((sum, batch) => sum + batch.events.length, 0)

/** Everything an observer can see of the stored cases, to show that a refused write changed nothing. */
const snapshot = (s: Services, caseIds: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const all = yield* readAll(s.store)
    const loads = yield* Effect.forEach(caseIds, (id) => s.store.load(cid(id)))
    const entries = yield* Effect.forEach(caseIds, (id) =>
      s.index.get(cid(id)).pipe(
        Effect.map(entryJson),
        Effect.catchTag("NotFound", () => Effect.succeed("none"))
      )
    )
    return {
      log: all.map((e) => [e.position, eventJson(e.event), e.previousHash, e.hash]),
      loads: loads.map((events) => events.map(eventJson)),
      entries
    }
  })

const ids = (page: CaseIndex.Page): ReadonlyArray<string> => page.entries.map((entry) => entry.caseId)

/** Follows the cursors to the end; checks each page's size. */
const allPages = (s: Services, filter: CaseIndex.Filter, limit: number) =>
  Effect.gen(function* () {
    const pages: Array<CaseIndex.Page> = []
    let after: string | undefined
    for (let i = 0; i < 1_000; i++) {
      const page = yield* s.index.query({ filter, limit, ...(after === undefined ? {} : { after }) })
      expect(page.entries.length).toBeLessThanOrEqual(limit)
      pages.push(page)
      if (page.next === undefined) return pages
      expect(page.entries.length, "a page with a next cursor is full").toBe(limit)
      after = page.next
    }
    throw new Error("the cursors never ended")
  })

const filter = (input: Record<string, unknown>): CaseIndex.Filter => Schema.decodeUnknownSync(CaseIndex.Filter)(input)

/** Every kind of filter, each selecting some but not all fixture cases. */
const filters: ReadonlyArray<readonly [string, CaseIndex.Filter]> = [
  ["region prefix: a provinsi (52, NTB)", filter({ region: "52" })],
  ["region prefix: a kota (52.71, Kota Mataram)", filter({ region: "52.71" })],
  ["region prefix: a kecamatan (52.71.01)", filter({ region: "52.71.01" })],
  ["region prefix: another provinsi (13, Sumatera Barat)", filter({ region: "13" })],
  ["stages: planning", filter({ stages: ["planning"] })],
  ["stages: reported or outreach", filter({ stages: ["reported", "outreach"] })],
  ["risks: tinggi", filter({ risks: ["tinggi"] })],
  ["risks: rendah or sedang", filter({ risks: ["rendah", "sedang"] })],
  ["owner", filter({ owner: "dinsos-52" })],
  ["assignee", filter({ assignee: "dinsos-52.71:peksos-2" })],
  ["ampk category", filter({ ampk: "b" })],
  ["ppks category", filter({ ppks: 7 })],
  ["SPPA role", filter({ sppaRole: "anak-korban" })],
  ["concern", filter({ concern: "child-marriage" })],
  ["subject", filter({ subject: "subj-ntb-0005" })],
  ["dueBefore (overdue)", filter({ dueBefore: "2025-06-01T00:00:00Z" })],
  [
    "overdue tinggi cases in a provinsi",
    filter({ region: "52", risks: ["tinggi"], dueBefore: "2025-06-01T00:00:00Z" })
  ],
  [
    "every filter at once",
    filter({
      region: "52.71",
      stages: ["planning"],
      risks: ["tinggi"],
      owner: "dinsos-52.71",
      assignee: "dinsos-52.71:peksos-1",
      ampk: "j",
      ppks: 6,
      sppaRole: "anak-korban",
      subject: "subj-ntb-0001",
      dueBefore: "2026-01-01T00:00:00Z"
    })
  ]
]

const countQuery = (input: Record<string, unknown>): CaseIndex.CountQuery =>
  Schema.decodeUnknownSync(CaseIndex.CountQuery)(input)

/** The example tests of the event store. */
export const eventStoreTests = <R>(kit: Kit<R>): void =>
  kit.group("EventStore", () => {
    kit.test("append to a new case, then load it back in version order", () =>
      Effect.gen(function* () {
        const s = yield* services
        const fixture = story("pdg-0001")
        let lastPosition = 0
        for (const batch of fixture.batches) {
          const result = yield* s.store.append(requestOf(batch))
          expect(result).toMatchObject({
            caseId: batch.caseId,
            fromVersion: batch.expectedVersion + 1,
            toVersion: batch.expectedVersion + batch.events.length,
            replayed: false
          })
          expect(result.lastPosition, "positions grow with every append").toBeGreaterThan(lastPosition)
          lastPosition = result.lastPosition
        }
        const loaded = yield* s.store.load(fixture.caseId)
        expect(loaded.map(eventJson)).toEqual(fixture.batches.flatMap((b) => b.events).map(eventJson))
        expect(loaded.map((e) => e.version)).toEqual(loaded.map((_, i) => i + 1))
      })
    )

    kit.test(
      "newSubject: a subject another case holds is refused with SubjectHeld, writing nothing; a linked report shares it",
      () =>
        Effect.gen(function* () {
          const s = yield* services
          const now = DateTime.makeUnsafe(Date.UTC(2025, 6, 1, 2))
          const first = registration("claim-first", "subj-claimed", "padang", now)
          expect((yield* s.store.append({ ...requestOf(first), newSubject: true })).toVersion).toBe(1)
          // Another agency registering the same subject as new: refused, and nothing of it is anywhere.
          const second = registration("claim-second", "subj-claimed", "balikpapan", now)
          const before = (yield* readAll(s.store)).length
          const refused = yield* Effect.flip(s.store.append({ ...requestOf(second), newSubject: true }))
          expect(errorJson(refused)).toEqual({ _tag: "SubjectHeld", caseId: "claim-second" })
          expect(yield* s.store.load(cid("claim-second"))).toEqual([])
          expect((yield* Effect.flip(s.index.get(cid("claim-second"))))._tag).toBe("NotFound")
          expect((yield* readAll(s.store)).length).toBe(before)
          // A retry of the first registration with its key answers the replay, not SubjectHeld (key first).
          const keyed = registration("claim-keyed", "subj-keyed", "padang", now)
          const idempotency = { key: "claim-key", fingerprint: fingerprintOf(keyed) }
          yield* s.store.append({ ...requestOf(keyed, idempotency), newSubject: true })
          const again = yield* s.store.append({ ...requestOf(keyed, idempotency), newSubject: true })
          expect(again).toMatchObject({ caseId: "claim-keyed", replayed: true })
          // A linked report (no claim) of the held subject is written, and both cases are the subject's.
          yield* s.store.append(requestOf(second))
          const holders = yield* s.index.query({
            filter: { subject: Subject.SubjectId.make("subj-claimed") },
            limit: 10
          })
          expect(holders.entries.map((entry) => entry.caseId)).toEqual(["claim-first", "claim-second"])
          // Only a new case registers a new subject: otherwise the request is invalid, before anything is read.
          const next = decideBatch(
            Case.fold(first.events),
            { _tag: "AssignCaseworker", caseId: "claim-first", caseworker: "peksos-1" },
            staff.padang.supervisor,
            now
          ).batch
          const invalid = yield* Effect.flip(s.store.append({ ...requestOf(next), newSubject: true }))
          expect(invalid).toMatchObject({ _tag: "InvalidInput", field: "newSubject" })
          expect((yield* s.store.load(cid("claim-first"))).length).toBe(1)
          // A subject no case holds is taken by a claim, whatever other subjects are held.
          const fresh = registration("claim-fresh", "subj-fresh", "balikpapan", now)
          expect((yield* s.store.append({ ...requestOf(fresh), newSubject: true })).toVersion).toBe(1)
        })
    )

    kit.test("load of an unknown case is empty", () =>
      Effect.gen(function* () {
        const s = yield* services
        expect(yield* s.store.load(cid("no-such-case"))).toEqual([])
        yield* appendEach(s.store, story("ntb-0001").batches)
        expect(yield* s.store.load(cid("no-such-case"))).toEqual([])
      })
    )

    kit.test("an append at a stale or future version fails with VersionConflict and writes nothing", () =>
      Effect.gen(function* () {
        const s = yield* services
        const [first, second, third, fourth] = story("ntb-0002").batches as ReadonlyArray<Batch>
        if (!first || !second || !third || !fourth) throw new Error("fixture ntb-0002 is too short")
        yield* appendEach(s.store, [first, second])
        const before = yield* snapshot(s, ["ntb-0002", "ntb-0003"])
        // A stale writer: decided on version 1, the case is at 2.
        const stale = yield* Effect.flip(s.store.append(requestOf(second)))
        expect(errorJson(stale)).toEqual(
          errorJson({ _tag: "VersionConflict", caseId: "ntb-0002", expectedVersion: 1, actualVersion: 2 })
        )
        // A writer ahead of the store.
        const ahead = yield* Effect.flip(s.store.append(requestOf(fourth)))
        expect(errorJson(ahead)).toEqual(
          errorJson({ _tag: "VersionConflict", caseId: "ntb-0002", expectedVersion: 3, actualVersion: 2 })
        )
        // A case that does not exist yet is at version 0.
        const missing = yield* Effect.flip(s.store.append(requestOf(story("ntb-0003").batches[1] as Batch)))
        expect(errorJson(missing)).toEqual(
          errorJson({ _tag: "VersionConflict", caseId: "ntb-0003", expectedVersion: 1, actualVersion: 0 })
        )
        expect(yield* snapshot(s, ["ntb-0002", "ntb-0003"])).toEqual(before)
        // The right version still works afterwards.
        expect((yield* s.store.append(requestOf(third))).toVersion).toBe(third.expectedVersion + third.events.length)
      })
    )

    kit.test("invalid requests fail with the InvalidInput of EventStore.checkRequest and write nothing", () =>
      Effect.gen(function* () {
        const s = yield* services
        const fixture = story("ntb-0005")
        const [first, second] = fixture.batches as ReadonlyArray<Batch>
        if (!first || !second) throw new Error("fixture ntb-0005 is too short")
        yield* appendEach(s.store, [first])
        const other = story("ntb-0004").batches[1] as Batch
        const good = requestOf(second)
        const farFuture = DateTime.makeUnsafe(Date.UTC(10_000, 0, 1))
        const farPast = DateTime.makeUnsafe(-62_135_596_800_001)
        const invalid: ReadonlyArray<readonly [string, EventStore.AppendRequest]> = [
          ["no events", { ...good, events: [] }],
          ["an event of another case", { ...good, events: other.events }],
          ["a version gap", { ...good, expectedVersion: 0 }],
          ["a negative expected version", { ...good, expectedVersion: -1 }],
          ["a fractional expected version", { ...good, expectedVersion: 1.5 }],
          ["the index entry of an older version", { ...good, index: first.index }],
          ["the index entry of another case", { ...good, index: other.index }],
          ["an empty idempotency key", { ...good, idempotency: { key: "", fingerprint: "x" } }],
          // One limit for every store (PostgreSQL alone refused more, with an untyped error: storage review).
          [
            "more events than an append holds",
            {
              ...good,
              events: Array.from(
                { length: EventStore.MAX_EVENTS_PER_APPEND + 1 },
                () => good.events[0] as CaseEvent.Envelope
              )
            }
          ],
          // A fingerprint every store can keep as it is (one with a lone surrogate or a NUL cannot be).
          ["a fingerprint with a lone surrogate", { ...good, idempotency: { key: "k-fp", fingerprint: "fp-\ud800" } }],
          ["a fingerprint with a NUL", { ...good, idempotency: { key: "k-fp", fingerprint: "fp-\u0000" } }],
          // Instants every store can write (ISO 8601's four-digit years).
          ["a wake-up instant after the year 9999", { ...good, index: { ...good.index, wakeAt: farFuture } }],
          ["a deadline before the year 1", { ...good, index: { ...good.index, nextDueAt: farPast } }],
          ["a last update after the year 9999", { ...good, index: { ...good.index, updatedAt: farFuture } }],
          // Validation comes before the version check: a stale AND invalid request is reported as invalid.
          ["a stale request without events", { ...requestOf(first), events: [] }]
        ]
        const before = yield* snapshot(s, ["ntb-0005", "ntb-0004"])
        for (const [why, request] of invalid) {
          const expected = EventStore.checkRequest(request)
          if (Result.isSuccess(expected)) throw new Error(`the kit's invalid request (${why}) is valid`)
          const error = yield* Effect.flip(s.store.append(request))
          expect(errorJson(error), why).toEqual(errorJson(expected.failure))
        }
        expect(yield* snapshot(s, ["ntb-0005", "ntb-0004"])).toEqual(before)
        expect(Option.isNone(yield* s.store.idempotency(""))).toBe(true)
        // A key the port refuses was never stored, whatever a driver would make of it: a lone surrogate is not the
        // replacement character that a driver writes for it, and a NUL is no key (storage review).
        yield* s.store.append({ ...good, idempotency: { key: "k-\ufffd", fingerprint: "fp-1" } })
        expect(Option.isSome(yield* s.store.idempotency("k-\ufffd"))).toBe(true)
        for (const key of ["k-\ud800", "k-\u0000", "k-\ufffd\u0000"]) {
          expect(Option.isNone(yield* s.store.idempotency(key)), JSON.stringify(key)).toBe(true)
        }
      })
    )

    kit.test("readAfter returns every event once, in position order, with its integrity hashes", () =>
      Effect.gen(function* () {
        const s = yield* services
        const batches = allInterleaved()
        const results = yield* appendEach(s.store, batches)
        const all = yield* readAll(s.store)
        expect(all.map((e) => eventJson(e.event))).toEqual(batches.flatMap((b) => b.events).map(eventJson))
        expect(all.length).toBe(totalEvents())
        // Positions: at least 1 (0 means "from the start"), strictly increasing in the order readAfter gives them.
        all.forEach((e, i) => {
          expect(e.position).toBeGreaterThanOrEqual(1)
          expect(Number.isSafeInteger(e.position)).toBe(true)
          if (i > 0) expect(e.position).toBeGreaterThan((all[i - 1] as EventStore.StoredEvent).position)
        })
        // Each append reports the position of its last event.
        const lastOfBatch: Array<number> = []
        let offset = 0
        for (const batch of batches) {
          offset += batch.events.length
          lastOfBatch.push((all[offset - 1] as EventStore.StoredEvent).position)
        }
        expect(results.map((r) => r.lastPosition)).toEqual(lastOfBatch)
        // The chain of each case: GENESIS, then Integrity.link over the encoded event.
        const previous = new Map<string, string>()
        for (const stored of all) {
          const expectedPrevious = previous.get(stored.event.caseId) ?? Integrity.GENESIS
          expect(stored.previousHash).toBe(expectedPrevious)
          expect(stored.hash).toBe(Integrity.link(expectedPrevious, CaseEvent.encode(stored.event)))
          previous.set(stored.event.caseId, stored.hash)
        }
      })
    )

    kit.test("readAfter refuses a bad position or limit with InvalidInput", () =>
      Effect.gen(function* () {
        const s = yield* services
        yield* appendEach(s.store, story("ntb-0001").batches)
        for (const [position, limit] of [
          [-1, 10],
          [0.5, 10],
          [0, 0],
          [0, -3],
          [0, 2.5],
          [0, EventStore.MAX_READ + 1],
          [Number.NaN, 10]
        ] as const) {
          const error = yield* Effect.flip(s.store.readAfter(position, limit))
          expect(error._tag, `readAfter(${position}, ${limit})`).toBe("InvalidInput")
        }
      })
    )

    kit.test("readAfter pages by position and limit", () =>
      Effect.gen(function* () {
        const s = yield* services
        yield* appendEach(s.store, allInterleaved())
        const all = yield* readAll(s.store)
        const at = (i: number) => (all[i] as EventStore.StoredEvent).position
        const key = (e: EventStore.StoredEvent) => `${e.position}:${eventJson(e.event)}`
        expect((yield* s.store.readAfter(0, 5)).map(key)).toEqual(all.slice(0, 5).map(key))
        expect((yield* s.store.readAfter(at(9), 3)).map(key)).toEqual(all.slice(10, 13).map(key))
        expect((yield* s.store.readAfter(at(all.length - 2), 10)).map(key)).toEqual(all.slice(-1).map(key))
        expect(yield* s.store.readAfter(at(all.length - 1), 10)).toEqual([])
        expect(yield* s.store.readAfter(at(all.length - 1) + 1_000, 10)).toEqual([])
        // Paging through with a small limit, the way a relay does, sees everything exactly once.
        const seen: Array<EventStore.StoredEvent> = []
        let position = 0
        for (;;) {
          const page = yield* s.store.readAfter(position, 7)
          expect(page.length).toBeLessThanOrEqual(7)
          if (page.length === 0) break
          seen.push(...page)
          position = (page.at(-1) as EventStore.StoredEvent).position
        }
        expect(seen.map(key)).toEqual(all.map(key))
      })
    )

    kit.test("readAfter and verify on an empty store", () =>
      Effect.gen(function* () {
        const s = yield* services
        expect(yield* s.store.readAfter(0, 10)).toEqual([])
        expect(yield* s.store.verify()).toEqual({ cases: 0, events: 0 })
        expect(yield* s.store.verify(cid("no-such-case"))).toEqual({ cases: 0, events: 0 })
      })
    )

    kit.test("verify walks one case or every case and finds no break in a clean store", () =>
      Effect.gen(function* () {
        const s = yield* services
        yield* appendEach(s.store, allInterleaved())
        expect(yield* s.store.verify()).toEqual({ cases: stories().length, events: totalEvents() })
        for (const fixture of stories()) {
          const events = fixture.batches.reduce((sum, b) => sum + b.events.length, 0)
          expect(yield* s.store.verify(fixture.caseId)).toEqual({ cases: 1, events })
        }
        expect(yield* s.store.verify(cid("no-such-case"))).toEqual({ cases: 0, events: 0 })
      })
    )
  })

/** The example tests of idempotency keys. */
export const idempotencyTests = <R>(kit: Kit<R>): void =>
  kit.group("EventStore idempotency", () => {
    const fixture = () => story("ntb-0001")
    const keyed = (batch: Batch, key: string, fingerprint = fingerprintOf(batch)) =>
      requestOf(batch, { key, fingerprint })

    kit.test("the key is recorded with what the append wrote", () =>
      Effect.gen(function* () {
        const s = yield* services
        const [first, second] = fixture().batches as ReadonlyArray<Batch>
        if (!first || !second) throw new Error("fixture too short")
        expect(Option.isNone(yield* s.store.idempotency("req-1"))).toBe(true)
        yield* s.store.append(keyed(first, "req-1"))
        yield* s.store.append(keyed(second, "req-2"))
        expect(yield* s.store.idempotency("req-2")).toEqual(
          Option.some({
            key: "req-2",
            fingerprint: fingerprintOf(second),
            caseId: second.caseId,
            fromVersion: 2,
            toVersion: 1 + second.events.length
          })
        )
        expect(Option.isNone(yield* s.store.idempotency("req-3"))).toBe(true)
      })
    )

    kit.test("a retry returns the first result with replayed: true and writes nothing", () =>
      Effect.gen(function* () {
        const s = yield* services
        const batches = fixture().batches
        const first = yield* s.store.append(keyed(batches[0] as Batch, "req-1"))
        const before = yield* snapshot(s, [fixture().caseId])
        const retry = yield* s.store.append(keyed(batches[0] as Batch, "req-1"))
        expect(retry).toEqual({ ...first, replayed: true })
        expect(yield* snapshot(s, [fixture().caseId])).toEqual(before)
        // Later, after the case moved on, the retry still replays (the key is checked before the version).
        yield* appendEach(s.store, batches.slice(1))
        const later = yield* s.store.append(keyed(batches[0] as Batch, "req-1"))
        expect(later).toEqual({ ...first, replayed: true })
        expect((yield* s.store.load(fixture().caseId)).length).toBe(batches.reduce((n, b) => n + b.events.length, 0))
      })
    )

    kit.test("a multi-event batch replays its whole range", () =>
      Effect.gen(function* () {
        const s = yield* services
        const batches = fixture().batches
        const multi = batches.findIndex((b) => b.events.length > 1)
        yield* appendEach(s.store, batches.slice(0, multi))
        const batch = batches[multi] as Batch
        const first = yield* s.store.append(keyed(batch, "req-multi"))
        expect(first.toVersion - first.fromVersion + 1).toBe(batch.events.length)
        expect(yield* s.store.append(keyed(batch, "req-multi"))).toEqual({ ...first, replayed: true })
      })
    )

    kit.test("the same key with another request fails with IdempotencyKeyReused and writes nothing", () =>
      Effect.gen(function* () {
        const s = yield* services
        const [first, second] = fixture().batches as ReadonlyArray<Batch>
        if (!first || !second) throw new Error("fixture too short")
        yield* s.store.append(keyed(first, "req-1"))
        const before = yield* snapshot(s, [first.caseId, "pdg-0001"])
        // Another fingerprint for the same case (at the right version: still refused).
        const other = yield* Effect.flip(s.store.append(keyed(second, "req-1")))
        expect(errorJson(other)).toEqual(
          errorJson({ _tag: "IdempotencyKeyReused", key: "req-1", caseId: first.caseId })
        )
        // The same fingerprint for another case.
        const elsewhere = story("pdg-0001").batches[0] as Batch
        const moved = yield* Effect.flip(s.store.append(keyed(elsewhere, "req-1", fingerprintOf(first))))
        expect(errorJson(moved)).toEqual(
          errorJson({ _tag: "IdempotencyKeyReused", key: "req-1", caseId: first.caseId })
        )
        // Another fingerprint at a stale version: the key is checked first.
        const stale = yield* Effect.flip(s.store.append(keyed(first, "req-1", "another-fingerprint")))
        expect(errorJson(stale)).toEqual(
          errorJson({ _tag: "IdempotencyKeyReused", key: "req-1", caseId: first.caseId })
        )
        expect(yield* snapshot(s, [first.caseId, "pdg-0001"])).toEqual(before)
      })
    )

    kit.test("a refused append does not record its key; the request is checked before the key", () =>
      Effect.gen(function* () {
        const s = yield* services
        const [first, second] = fixture().batches as ReadonlyArray<Batch>
        if (!first || !second) throw new Error("fixture too short")
        const conflict = yield* Effect.flip(s.store.append(keyed(second, "req-2")))
        expect(conflict._tag).toBe("VersionConflict")
        expect(Option.isNone(yield* s.store.idempotency("req-2"))).toBe(true)
        yield* s.store.append(keyed(first, "req-1"))
        // A used key on an invalid request: the request is invalid first.
        const invalid = yield* Effect.flip(s.store.append({ ...keyed(first, "req-1"), events: [] }))
        expect(invalid._tag).toBe("InvalidInput")
        // After the refusal, the key can still be used for its first write.
        const ok = yield* s.store.append(keyed(second, "req-2"))
        expect(ok.replayed).toBe(false)
      })
    )
  })

/** The example tests of the case index. */
export const caseIndexTests = <R>(kit: Kit<R>): void =>
  kit.group("CaseIndex", () => {
    kit.test("query and count refuse a bad request with InvalidInput", () =>
      Effect.gen(function* () {
        const s = yield* services
        for (const limit of [0, -1, 1.5, CaseIndex.MAX_PAGE + 1]) {
          const error = yield* Effect.flip(s.index.query({ filter: {}, limit }))
          expect(error._tag, `limit ${limit}`).toBe("InvalidInput")
        }
        const bad = { filter: {}, by: [] } as unknown as CaseIndex.CountQuery
        expect((yield* Effect.flip(s.index.count(bad)))._tag).toBe("InvalidInput")
        // A dimension repeated would multiply the groups with themselves: each dimension at most once.
        const repeated = { filter: {}, by: ["ampk", "ampk"] } as unknown as CaseIndex.CountQuery
        expect((yield* Effect.flip(s.index.count(repeated)))._tag).toBe("InvalidInput")
      })
    )

    const seeded = Effect.gen(function* () {
      const s = yield* services
      yield* appendEach(s.store, allInterleaved())
      return s
    })

    kit.test("an entry that moves to another province: queries and counts follow it, its events stay whole", () =>
      Effect.gen(function* () {
        const s = yield* seeded
        // A later append whose entry lies in Kalimantan Timur (64) instead of DKI Jakarta (31): what a relocation
        // will write. The events of the case are kept where they are; only the entry moves.
        const fixture = story("jkt-0001")
        const { batch } = decideBatch(
          fixture.state,
          { _tag: "AssignCaseworker", caseId: fixture.caseId, caseworker: "dinsos-31:peksos-relocated" },
          staff.jakarta.supervisor,
          DateTime.makeUnsafe("2025-08-01T00:00:00Z")
        )
        const moved: CaseIndex.Entry = { ...batch.index, region: Region.decodeSync("64.71") }
        yield* s.store.append({ ...requestOf(batch), index: moved })
        const entries = finalEntries().map((entry) => (entry.caseId === fixture.caseId ? moved : entry))
        expect(entryJson(yield* s.index.get(fixture.caseId))).toBe(entryJson(moved))
        for (const region of ["31", "64", "64.71"]) {
          const filter = Schema.decodeUnknownSync(CaseIndex.Filter)({ region })
          expect(ids(yield* s.index.query({ filter, limit: 50 })), region).toEqual(
            ids(CaseIndex.page(entries, { filter, limit: 50 }))
          )
          for (const by of [["region"], ["stage", "ampk"]] as const) {
            const query = { filter, by, regionDepth: 2 as const }
            expect(yield* s.index.count(query), `${region} by ${by}`).toEqual(CaseIndex.count(entries, query))
          }
        }
        const events = [...fixture.batches.flatMap((b) => b.events), ...batch.events]
        expect((yield* s.store.load(fixture.caseId)).map(eventJson)).toEqual(events.map(eventJson))
        expect(yield* s.store.verify(fixture.caseId)).toEqual({ cases: 1, events: events.length })
      })
    )

    kit.test("get returns the entry written with the last append, version by version", () =>
      Effect.gen(function* () {
        const s = yield* services
        const fixture = story("sby-0001")
        for (const batch of fixture.batches) {
          yield* s.store.append(requestOf(batch))
          expect(entryJson(yield* s.index.get(fixture.caseId))).toBe(entryJson(batch.index))
        }
        const missing = yield* Effect.flip(s.index.get(cid("no-such-case")))
        expect(errorJson(missing)).toEqual(errorJson({ _tag: "NotFound", what: "case", id: "no-such-case" }))
      })
    )

    kit.test("the index keeps every case apart", () =>
      Effect.gen(function* () {
        const s = yield* seeded
        for (const entry of finalEntries()) {
          expect(entryJson(yield* s.index.get(entry.caseId))).toBe(entryJson(entry))
        }
      })
    )

    for (const [title, f] of filters) {
      kit.test(`query by ${title}`, () =>
        Effect.gen(function* () {
          const s = yield* seeded
          const expected = CaseIndex.page(finalEntries(), { filter: f, limit: CaseIndex.MAX_PAGE })
          expect(expected.entries.length, "the kit's filter selects something").toBeGreaterThan(0)
          expect(expected.entries.length, "the kit's filter leaves something out").toBeLessThan(stories().length)
          const page = yield* s.index.query({ filter: f, limit: CaseIndex.MAX_PAGE })
          expect(page.entries.map(entryJson)).toEqual(expected.entries.map(entryJson))
          expect(page.next).toBeUndefined()
        })
      )
    }

    kit.test("query results in case-id order by UTF-16 code units, with written-out expectations", () =>
      Effect.gen(function* () {
        const s = yield* seeded
        const every = yield* s.index.query({ filter: {}, limit: CaseIndex.MAX_PAGE })
        // Upper case before lower case, "-" before "_": a binary collation, not a linguistic one.
        expect(ids(every)).toEqual([
          "NTB-0006",
          "bpp-0001",
          "jkt-0001",
          "ntb-0001",
          "ntb-0002",
          "ntb-0003",
          "ntb-0004",
          "ntb-0005",
          "ntb_0007",
          "pdg-0001",
          "pdg-0002",
          "sby-0001"
        ])
        expect(ids(yield* s.index.query({ filter: filter({ region: "ID" }), limit: 100 }))).toEqual(ids(every))
        expect(ids(yield* s.index.query({ filter: filter({ region: "52" }), limit: 100 }))).toEqual([
          "NTB-0006",
          "ntb-0001",
          "ntb-0002",
          "ntb-0003",
          "ntb-0004",
          "ntb-0005",
          "ntb_0007"
        ])
        const overdueTinggi = filter({ region: "52", risks: ["tinggi"], dueBefore: "2025-06-01T00:00:00Z" })
        expect(ids(yield* s.index.query({ filter: overdueTinggi, limit: 100 }))).toEqual(["ntb-0001"])
        const overdue = filter({ dueBefore: "2025-06-01T00:00:00Z" })
        expect(ids(yield* s.index.query({ filter: overdue, limit: 100 }))).toEqual([
          "ntb-0001",
          "ntb-0002",
          "ntb-0003",
          "ntb-0004",
          "ntb-0005",
          "ntb_0007",
          "pdg-0001"
        ])
        // A due instant exactly at dueBefore is not overdue ("strictly before").
        const entry = finalEntries().find((e) => e.caseId === "ntb-0002")
        if (entry?.nextDueAt === undefined) throw new Error("fixture ntb-0002 has no due instant")
        const exact = { dueBefore: entry.nextDueAt }
        expect(ids(yield* s.index.query({ filter: exact, limit: 100 }))).not.toContain("ntb-0002")
        expect(ids(yield* s.index.query({ filter: { dueBefore: instants.early }, limit: 100 }))).toEqual([])
      })
    )

    kit.test(
      "wakeBefore finds a child about to turn 18 by the birthday, while dueBefore waits for the first deadline",
      () =>
        Effect.gen(function* () {
          const s = yield* services
          // 18 on 4 March 2026 (the day begins at 17:00 UTC on the 3rd in Padang); reported on the 2nd.
          const reportedAt = DateTime.makeUnsafe(Date.parse("2026-03-02T01:00:00Z"))
          const registered = decideBatch(
            Case.initialState,
            {
              _tag: "RegisterReport",
              caseId: "wake-1",
              subject: "subj-wake-1",
              sex: "female",
              birthDate: "2008-03-04",
              region: "13.71",
              owner: "dinsos-13.71",
              source: "school",
              concerns: ["out-of-school"]
            },
            staff.padang.intake,
            reportedAt
          )
          // A caseworker at once: the first deadline left is the first contact, days after the birthday.
          const batch = decideBatch(
            registered.state,
            { _tag: "AssignCaseworker", caseId: "wake-1", caseworker: staff.padang.workers[0].id },
            staff.padang.supervisor,
            reportedAt
          ).batch
          yield* appendEach(s.store, [registered.batch, batch])
          const entry = yield* s.index.get(cid("wake-1"))
          expect(entryJson(entry)).toEqual(entryJson(batch.index))
          const birthday = DateTime.makeUnsafe(Date.parse("2026-03-03T17:00:00Z"))
          expect(entry.wakeAt).toEqual(birthday)
          expect(DateTime.isGreaterThan(entry.nextDueAt as DateTime.Utc, birthday)).toBe(true)
          const after = DateTime.add(birthday, { minutes: 1 })
          expect(ids(yield* s.index.query({ filter: { wakeBefore: after }, limit: 10 }))).toEqual(["wake-1"])
          expect(ids(yield* s.index.query({ filter: { wakeBefore: birthday }, limit: 10 }))).toEqual([])
          expect(ids(yield* s.index.query({ filter: { dueBefore: after }, limit: 10 }))).toEqual([])
          expect(yield* s.index.count({ filter: { wakeBefore: after }, by: ["stage"] })).toEqual([
            { key: { stage: "reported" }, count: 1 }
          ])
        })
    )

    kit.test("pagination: cursors walk every match once, in order; the last page has no cursor", () =>
      Effect.gen(function* () {
        const s = yield* seeded
        for (const [, f] of [["everything", {} as CaseIndex.Filter] as const, ...filters]) {
          const expected = CaseIndex.page(finalEntries(), { filter: f, limit: CaseIndex.MAX_PAGE })
          for (const limit of [1, 2, 3, 5]) {
            const pages = yield* allPages(s, f, limit)
            expect(pages.flatMap((p) => p.entries.map(entryJson))).toEqual(expected.entries.map(entryJson))
            expect(pages.length).toBe(Math.max(1, Math.ceil(expected.entries.length / limit)))
          }
        }
      })
    )

    kit.test("a cursor stays valid across writes: later cases after it appear, earlier ones do not repeat", () =>
      Effect.gen(function* () {
        const s = yield* services
        const held = new Set(["bpp-0001", "sby-0001"])
        yield* appendEach(
          s.store,
          stories()
            .filter((x) => !held.has(x.caseId))
            .flatMap((x) => x.batches)
        )
        const first = yield* s.index.query({ filter: {}, limit: 3 })
        expect(ids(first)).toEqual(["NTB-0006", "jkt-0001", "ntb-0001"])
        if (first.next === undefined) throw new Error("expected a next page")
        // New cases arrive between two pages: one sorts before the cursor, one after it.
        yield* appendEach(s.store, [...story("bpp-0001").batches, ...story("sby-0001").batches])
        const rest: Array<string> = []
        let after: string | undefined = first.next
        while (after !== undefined) {
          const page: CaseIndex.Page = yield* s.index.query({ filter: {}, limit: 3, after })
          rest.push(...ids(page))
          after = page.next
        }
        expect(rest).toEqual([
          "ntb-0002",
          "ntb-0003",
          "ntb-0004",
          "ntb-0005",
          "ntb_0007",
          "pdg-0001",
          "pdg-0002",
          "sby-0001"
        ])
      })
    )

    kit.test("counts: the NTB table of seed 003 (SPPA role and concern within region 52)", () =>
      Effect.gen(function* () {
        const s = yield* seeded
        const ntb = filter({ region: "52" })
        expect(yield* s.index.count({ filter: ntb, by: ["sppaRole"] })).toEqual([
          { key: { sppaRole: "anak-berkonflik-dengan-hukum" }, count: 1 },
          { key: { sppaRole: "anak-korban" }, count: 2 },
          { key: { sppaRole: "anak-saksi" }, count: 1 },
          { key: { sppaRole: "none" }, count: 3 }
        ])
        expect(yield* s.index.count({ filter: ntb, by: ["concern"] })).toEqual([
          { key: { concern: "adoption" }, count: 1 },
          { key: { concern: "child-marriage" }, count: 1 },
          { key: { concern: "none" }, count: 5 }
        ])
        expect(yield* s.index.count({ filter: ntb, by: ["sppaRole", "concern"] })).toEqual([
          { key: { sppaRole: "anak-berkonflik-dengan-hukum", concern: "none" }, count: 1 },
          { key: { sppaRole: "anak-korban", concern: "child-marriage" }, count: 1 },
          { key: { sppaRole: "anak-korban", concern: "none" }, count: 1 },
          { key: { sppaRole: "anak-saksi", concern: "none" }, count: 1 },
          { key: { sppaRole: "none", concern: "adoption" }, count: 1 },
          { key: { sppaRole: "none", concern: "none" }, count: 2 }
        ])
        expect(yield* s.index.count({ filter: ntb, by: ["subjectKind"] })).toEqual([
          { key: { subjectKind: "adult" }, count: 1 },
          { key: { subjectKind: "child" }, count: 6 }
        ])
      })
    )

    kit.test("counts: multi-valued dimensions count a case once per value, and none when empty", () =>
      Effect.gen(function* () {
        const s = yield* seeded
        // ntb-0005 carries AMPK m and d: it is counted in both groups.
        expect(yield* s.index.count({ filter: filter({ region: "52" }), by: ["ampk"] })).toEqual([
          { key: { ampk: "b" }, count: 2 },
          { key: { ampk: "d" }, count: 1 },
          { key: { ampk: "j" }, count: 1 },
          { key: { ampk: "m" }, count: 1 },
          { key: { ampk: "none" }, count: 3 }
        ])
        // PPKS codes group as strings: "20" sorts between "1" and "3".
        expect(yield* s.index.count({ filter: filter({ region: "52" }), by: ["ppks"] })).toEqual([
          { key: { ppks: "1" }, count: 1 },
          { key: { ppks: "20" }, count: 1 },
          { key: { ppks: "3" }, count: 2 },
          { key: { ppks: "6" }, count: 1 },
          { key: { ppks: "7" }, count: 2 },
          { key: { ppks: "none" }, count: 1 }
        ])
      })
    )

    kit.test("counts: regions grouped at every depth", () =>
      Effect.gen(function* () {
        const s = yield* seeded
        expect(yield* s.index.count({ filter: {}, by: ["region"], regionDepth: 1 })).toEqual([
          { key: { region: "13" }, count: 2 },
          { key: { region: "31" }, count: 1 },
          { key: { region: "35" }, count: 1 },
          { key: { region: "52" }, count: 7 },
          { key: { region: "64" }, count: 1 }
        ])
        for (const regionDepth of [2, 3, 4] as const) {
          const q = countQuery({ filter: {}, by: ["region", "risk"], regionDepth })
          expect(yield* s.index.count(q)).toEqual(CaseIndex.count(finalEntries(), q))
        }
        // The default depth is 2 (kabupaten/kota).
        const byDefault = countQuery({ filter: { region: "52" }, by: ["region"] })
        expect(yield* s.index.count(byDefault)).toEqual([
          { key: { region: "52.01" }, count: 1 },
          { key: { region: "52.02" }, count: 1 },
          { key: { region: "52.03" }, count: 2 },
          { key: { region: "52.71" }, count: 3 }
        ])
      })
    )

    kit.test("counts: every dimension, alone and crossed, with filters, as the reference count", () =>
      Effect.gen(function* () {
        const s = yield* seeded
        const queries = [
          ...CaseIndex.Dimension.literals.map((d) => countQuery({ filter: {}, by: [d] })),
          countQuery({ filter: {}, by: ["ampk", "stage", "risk", "region"] }),
          countQuery({ filter: { dueBefore: "2025-06-01T00:00:00Z" }, by: ["owner", "risk"] }),
          countQuery({ filter: { region: "52.71" }, by: ["stage", "ageBand"] }),
          countQuery({ filter: { risks: ["tinggi"] }, by: ["concern", "ppks"], regionDepth: 1 }),
          countQuery({ filter: { dueBefore: "2024-01-01T00:00:00Z" }, by: ["stage"] })
        ]
        for (const q of queries) {
          expect(yield* s.index.count(q), JSON.stringify(q.by)).toEqual(CaseIndex.count(finalEntries(), q))
        }
      })
    )

    kit.test("query and count by subject: every case of the subject, by exact equality of the id", () =>
      Effect.gen(function* () {
        const s = yield* seeded
        // The child of ntb-0001 reported again in two later cases; two other subjects whose ids differ from hers only
        // by letter case and by a suffix.
        const again = (caseId: string, subject: string, reported: string) =>
          decideBatch(
            Case.initialState,
            {
              _tag: "RegisterReport",
              caseId,
              subject,
              sex: "female",
              birthDate: "2011-03-14",
              region: "52.71.01",
              owner: "dinsos-52.71",
              source: "school",
              concerns: ["sexual-violence"]
            },
            staff.mataram.intake,
            DateTime.makeUnsafe(reported)
          ).batch
        const extra = [
          again("ntb-0101", "subj-ntb-0001", "2025-08-01T02:00:00Z"),
          again("NTB-0102", "subj-ntb-0001", "2025-09-01T02:00:00Z"),
          again("ntb-0103", "SUBJ-NTB-0001", "2025-09-02T02:00:00Z"),
          again("ntb-0104", "subj-ntb-00011", "2025-09-03T02:00:00Z")
        ]
        yield* appendEach(s.store, extra)
        const entries = [...finalEntries(), ...extra.map((b) => b.index)]
        const bySubject = filter({ subject: "subj-ntb-0001" })
        const page = yield* s.index.query({ filter: bySubject, limit: CaseIndex.MAX_PAGE })
        expect(ids(page)).toEqual(["NTB-0102", "ntb-0001", "ntb-0101"])
        expect(page.entries.map(entryJson)).toEqual(
          CaseIndex.page(entries, { filter: bySubject, limit: CaseIndex.MAX_PAGE }).entries.map(entryJson)
        )
        expect(page.entries.map((e) => e.subject)).toEqual(["subj-ntb-0001", "subj-ntb-0001", "subj-ntb-0001"])
        // Paged, and combined with other filters.
        const first = yield* s.index.query({ filter: bySubject, limit: 2 })
        expect(ids(first)).toEqual(["NTB-0102", "ntb-0001"])
        expect(first.next).toBe("ntb-0001")
        const rest = yield* s.index.query({ filter: bySubject, limit: 2, after: "ntb-0001" })
        expect(ids(rest)).toEqual(["ntb-0101"])
        expect(rest.next).toBeUndefined()
        const planning = filter({ subject: "subj-ntb-0001", stages: ["planning"] })
        expect(ids(yield* s.index.query({ filter: planning, limit: 10 }))).toEqual(["ntb-0001"])
        expect(ids(yield* s.index.query({ filter: filter({ subject: "SUBJ-NTB-0001" }), limit: 10 }))).toEqual([
          "ntb-0103"
        ])
        expect(ids(yield* s.index.query({ filter: filter({ subject: "subj-ntb-000" }), limit: 10 }))).toEqual([])
        expect(ids(yield* s.index.query({ filter: filter({ subject: "subj-%" }), limit: 10 }))).toEqual([])
        // Counts.
        const byStage = countQuery({ filter: { subject: "subj-ntb-0001" }, by: ["stage"] })
        expect(yield* s.index.count(byStage)).toEqual([
          { key: { stage: "planning" }, count: 1 },
          { key: { stage: "reported" }, count: 2 }
        ])
        expect(yield* s.index.count(byStage)).toEqual(CaseIndex.count(entries, byStage))
        const crossed = countQuery({ filter: { subject: "subj-ntb-0001", region: "52.71" }, by: ["region", "ampk"] })
        expect(yield* s.index.count(crossed)).toEqual(CaseIndex.count(entries, crossed))
        expect(yield* s.index.count(countQuery({ filter: { subject: "no-such-subject" }, by: ["stage"] }))).toEqual([])
        // Every entry names its subject.
        for (const entry of entries) expect((yield* s.index.get(entry.caseId)).subject).toBe(entry.subject)
      })
    )

    kit.test("a refused append leaves the index entry as it was", () =>
      Effect.gen(function* () {
        const s = yield* services
        const [first, second] = story("jkt-0001").batches as ReadonlyArray<Batch>
        if (!first || !second) throw new Error("fixture too short")
        yield* s.store.append(requestOf(first))
        yield* Effect.flip(s.store.append({ ...requestOf(second), expectedVersion: 0, events: first.events }))
        yield* Effect.flip(s.store.append({ ...requestOf(second), expectedVersion: 1, index: first.index }))
        yield* Effect.flip(s.store.append(requestOf(first)))
        expect(entryJson(yield* s.index.get(cid("jkt-0001")))).toBe(entryJson(first.index))
      })
    )
  })

/** The example tests of the identity vault. */
export const identityVaultTests = <R>(kit: Kit<R>): void =>
  kit.group("IdentityVault", () => {
    const [one, two] = identities as unknown as readonly [
      { readonly marker: string; readonly identity: Subject.Identity },
      { readonly marker: string; readonly identity: Subject.Identity }
    ]
    const subject = Subject.SubjectId.make("subj-ntb-0001")

    kit.test("get of a subject never stored fails with NotFound", () =>
      Effect.gen(function* () {
        const s = yield* services
        const error = yield* Effect.flip(s.vault.get(subject))
        expect(errorJson(error)).toEqual(errorJson({ _tag: "NotFound", what: "identity", id: subject }))
      })
    )

    kit.test("put then get returns the identity; put again replaces it", () =>
      Effect.gen(function* () {
        const s = yield* services
        yield* s.vault.put(subject, one.identity)
        expect(identityValues(yield* s.vault.get(subject))).toEqual(identityValues(one.identity))
        yield* s.vault.put(subject, two.identity)
        expect(identityValues(yield* s.vault.get(subject))).toEqual(identityValues(two.identity))
        // Subjects are kept apart.
        const other = story("pdg-0001").subject
        yield* s.vault.put(other, one.identity)
        expect(identityValues(yield* s.vault.get(subject))).toEqual(identityValues(two.identity))
        expect(identityValues(yield* s.vault.get(other))).toEqual(identityValues(one.identity))
      })
    )

    kit.test("an identity with only a name round-trips without the optional fields", () =>
      Effect.gen(function* () {
        const s = yield* services
        const minimal = { name: one.identity.name, familyNames: [] }
        yield* s.vault.put(subject, minimal)
        expect(identityValues(yield* s.vault.get(subject))).toEqual(identityValues(minimal))
      })
    )

    kit.test("erase: get fails with IdentityErased; events, index and other identities are untouched", () =>
      Effect.gen(function* () {
        const s = yield* services
        yield* appendEach(s.store, allInterleaved())
        const other = story("pdg-0001").subject
        yield* s.vault.put(subject, one.identity)
        yield* s.vault.put(other, two.identity)
        const caseIds = stories().map((x) => x.caseId)
        const before = yield* snapshot(s, caseIds)
        const verified = yield* s.store.verify()
        yield* s.vault.erase(subject)
        const error = yield* Effect.flip(s.vault.get(subject))
        expect(errorJson(error)).toEqual(errorJson({ _tag: "IdentityErased", subject }))
        expect(yield* snapshot(s, caseIds)).toEqual(before)
        expect(yield* s.store.verify()).toEqual(verified)
        expect(identityValues(yield* s.vault.get(other))).toEqual(identityValues(two.identity))
      })
    )

    kit.test("erase is idempotent; erase of an unknown subject fails with NotFound; put after erase stores anew", () =>
      Effect.gen(function* () {
        const s = yield* services
        const unknown = yield* Effect.flip(s.vault.erase(subject))
        expect(errorJson(unknown)).toEqual(errorJson({ _tag: "NotFound", what: "identity", id: subject }))
        yield* s.vault.put(subject, one.identity)
        yield* s.vault.erase(subject)
        yield* s.vault.erase(subject)
        expect((yield* Effect.flip(s.vault.get(subject)))._tag).toBe("IdentityErased")
        yield* s.vault.put(subject, two.identity)
        expect(identityValues(yield* s.vault.get(subject))).toEqual(identityValues(two.identity))
      })
    )

    kit.test("identities never appear in events, the index or counts", () =>
      Effect.gen(function* () {
        const s = yield* services
        for (const [i, fixture] of stories().entries()) {
          const { identity } = identities[i % identities.length] as (typeof identities)[number]
          yield* s.vault.put(fixture.subject, identity)
        }
        yield* appendEach(s.store, allInterleaved())
        const all = yield* readAll(s.store)
        const page = yield* s.index.query({ filter: {}, limit: CaseIndex.MAX_PAGE })
        const counts = yield* s.index.count({ filter: {}, by: ["region", "owner", "concern"] })
        const visible = JSON.stringify([all.map((e) => CaseEvent.encode(e.event)), page.entries.map(entryJson), counts])
        for (const { identity } of identities) {
          for (const value of Object.values(identityValues(identity)).flat()) {
            if (typeof value === "string") expect(visible.includes(value)).toBe(false)
          }
        }
      })
    )

    const at = (minute: number, millis = 0) => DateTime.makeUnsafe(Date.UTC(2025, 5, 2, 3, minute, 0, millis))
    const mataram = staff.mataram

    kit.test("the access trail of a subject never recorded is empty", () =>
      Effect.gen(function* () {
        const s = yield* services
        expect(yield* s.vault.accesses(subject)).toEqual([])
      })
    )

    kit.test(
      "access trail: every operation, purpose and role round-trips, in recording order, each subject apart",
      () =>
        Effect.gen(function* () {
          const s = yield* services
          const other = story("pdg-0001").subject
          const people = [mataram.intake, mataram.workers[0], mataram.supervisor, staff.padang.workers[1]]
          const recorded: Array<IdentityVault.AccessRecord> = []
          let minute = 0
          for (const operation of IdentityVault.Operation.literals) {
            for (const purpose of Object.keys(IdentityVault.purposes) as Array<IdentityVault.Purpose>) {
              const actor = people[minute % people.length] as Actor.Actor
              recorded.push(
                accessOf({
                  subject: minute % 3 === 2 ? other : subject,
                  caseId: minute % 2 === 0 ? "ntb-0001" : "NTB-0006",
                  actor,
                  operation,
                  purpose,
                  // Millisecond precision; several accesses within one millisecond keep their recording order.
                  at: at(Math.floor(minute / 3), 7)
                })
              )
              minute++
            }
          }
          // Every role of an actor, and ids that a careless adapter would mangle (case, quotes, wildcards, non-ASCII).
          for (const [i, role] of Actor.Role.literals.entries()) {
            const actor = Actor.make({
              id: `Ibu 'Sri' %_\\ Wahyuni ${i} \u{1F600}`,
              role,
              agency: `Dinsos "Kota" Mataram ${i}`,
              region: "52.71"
            })
            recorded.push(
              accessOf({
                subject,
                caseId: `ntb-0001-é-${i}`,
                actor,
                operation: "read",
                purpose: "service-delivery",
                at: at(59, i)
              })
            )
          }
          // The same access twice (one person, one instant, one case): both are kept.
          recorded.push(recorded[0] as IdentityVault.AccessRecord, recorded[0] as IdentityVault.AccessRecord)
          for (const access of recorded) yield* s.vault.record(access)
          const mine = recorded.filter((a) => a.subject === subject)
          const theirs = recorded.filter((a) => a.subject === other)
          expect(theirs.length).toBeGreaterThan(0)
          expect((yield* s.vault.accesses(subject)).map(accessJson)).toEqual(mine.map(accessJson))
          expect((yield* s.vault.accesses(other)).map(accessJson)).toEqual(theirs.map(accessJson))
          // Decoded values, not only JSON: instants are equal to the millisecond.
          const [firstBack] = yield* s.vault.accesses(subject)
          expect(DateTime.toEpochMillis((firstBack as IdentityVault.AccessRecord).at)).toBe(
            DateTime.toEpochMillis((mine[0] as IdentityVault.AccessRecord).at)
          )
          // A subject id differing only by letter case, or a prefix, has a trail of its own (empty).
          expect(yield* s.vault.accesses(Subject.SubjectId.make("SUBJ-NTB-0001"))).toEqual([])
          expect(yield* s.vault.accesses(Subject.SubjectId.make("subj-ntb-000"))).toEqual([])
        })
    )

    kit.test("access trail: an instant earlier than the last one recorded still goes last (recording order)", () =>
      Effect.gen(function* () {
        const s = yield* services
        const late = accessOf({
          subject,
          caseId: "ntb-0001",
          actor: mataram.workers[0],
          operation: "read",
          purpose: "assessment",
          at: at(30)
        })
        // Another server, whose clock is behind, records next.
        const behind = { ...late, actor: mataram.workers[1].id, at: at(29) }
        yield* s.vault.record(late)
        yield* s.vault.record(behind)
        yield* s.vault.record(late)
        expect((yield* s.vault.accesses(subject)).map(accessJson)).toEqual([late, behind, late].map(accessJson))
      })
    )

    kit.test("access trail: erasing the identity keeps the trail; the erasure and later accesses are recorded", () =>
      Effect.gen(function* () {
        const s = yield* services
        const access = (operation: IdentityVault.Operation, purpose: IdentityVault.Purpose, minute: number) =>
          accessOf({ subject, caseId: "ntb-0001", actor: mataram.supervisor, operation, purpose, at: at(minute) })
        const trail = [
          access("replace", "registration", 0),
          access("read", "assessment", 1),
          access("link", "duplicate-check", 2),
          access("erase", "data-subject-request", 3)
        ]
        yield* s.vault.record(trail[0] as IdentityVault.AccessRecord)
        yield* s.vault.put(subject, one.identity)
        yield* s.vault.record(trail[1] as IdentityVault.AccessRecord)
        yield* s.vault.get(subject)
        yield* s.vault.record(trail[2] as IdentityVault.AccessRecord)
        yield* s.vault.record(trail[3] as IdentityVault.AccessRecord)
        yield* s.vault.erase(subject)
        expect((yield* Effect.flip(s.vault.get(subject)))._tag).toBe("IdentityErased")
        // The vault records nothing by itself: the trail is exactly what was recorded, and survives the erasure.
        expect((yield* s.vault.accesses(subject)).map(accessJson)).toEqual(trail.map(accessJson))
        const after = access("read", "data-subject-request", 4)
        yield* s.vault.record(after)
        yield* s.vault.erase(subject)
        expect((yield* s.vault.accesses(subject)).map(accessJson)).toEqual([...trail, after].map(accessJson))
        // The trail holds no identity.
        const visible = JSON.stringify((yield* s.vault.accesses(subject)).map(accessJson))
        for (const value of Object.values(identityValues(one.identity)).flat()) {
          if (typeof value === "string") expect(visible.includes(value)).toBe(false)
        }
      })
    )

    kit.test("access trail: concurrent records of one subject are all kept, each once", () =>
      Effect.gen(function* () {
        const s = yield* services
        const n = 40
        const records = Array.from({ length: n }, (_, i) =>
          accessOf({
            subject,
            caseId: `ntb-${String(i).padStart(4, "0")}`,
            actor: mataram.workers[i % 2] as Actor.Actor,
            operation: "read",
            purpose: "service-delivery",
            at: at(i)
          })
        )
        yield* Effect.forEach(records, (record) => s.vault.record(record), { concurrency: "unbounded", discard: true })
        const back = (yield* s.vault.accesses(subject)).map(accessJson)
        expect([...back].sort()).toEqual(records.map(accessJson).sort())
      })
    )
  })

/** The example tests of checkpoints. */
export const checkpointTests = <R>(kit: Kit<R>): void =>
  kit.group("Checkpoints", () => {
    kit.test("bad input is refused with InvalidInput and changes nothing", () =>
      Effect.gen(function* () {
        const s = yield* services
        yield* s.checkpoints.set("relay:nats", 5)
        for (const [name, position] of [
          ["", 1],
          ["x".repeat(201), 1],
          ["relay\u0000nats", 1],
          ["relay\nnats", 1],
          ["relay\uD800", 1],
          ["relay\uDC00", 1],
          ["relay:nats", -1],
          ["relay:nats", 1.5],
          ["relay:nats", Number.NaN]
        ] as const) {
          const error = yield* Effect.flip(s.checkpoints.set(name, position))
          expect(error._tag).toBe("InvalidInput")
        }
        expect(yield* s.checkpoints.get("relay:nats")).toBe(5)
        // A name that cannot be stored reads 0, on every adapter alike (no storage error, no other name's row).
        for (const name of ["relay\u0000nats", "relay\uD800", "relay\uDC00", ""]) {
          expect(yield* s.checkpoints.get(name)).toBe(0)
        }
      })
    )

    kit.test("an unset checkpoint is 0; set overwrites; names are independent", () =>
      Effect.gen(function* () {
        const s = yield* services
        expect(yield* s.checkpoints.get("relay:nats")).toBe(0)
        yield* s.checkpoints.set("relay:nats", 17)
        expect(yield* s.checkpoints.get("relay:nats")).toBe(17)
        yield* s.checkpoints.set("relay:nats", 42)
        expect(yield* s.checkpoints.get("relay:nats")).toBe(42)
        expect(yield* s.checkpoints.get("projection:dashboard")).toBe(0)
        yield* s.checkpoints.set("projection:dashboard", 3)
        expect(yield* s.checkpoints.get("relay:nats")).toBe(42)
        expect(yield* s.checkpoints.get("projection:dashboard")).toBe(3)
      })
    )

    kit.test("a checkpoint holds a real position and goes back when set back", () =>
      Effect.gen(function* () {
        const s = yield* services
        const results = yield* appendEach(s.store, story("ntb-0001").batches)
        const last = (results.at(-1) as EventStore.AppendResult).lastPosition
        yield* s.checkpoints.set("relay:nats", last)
        expect(yield* s.checkpoints.get("relay:nats")).toBe(last)
        expect(yield* s.store.readAfter(yield* s.checkpoints.get("relay:nats"), 10)).toEqual([])
        yield* s.checkpoints.set("relay:nats", 0)
        expect(yield* s.checkpoints.get("relay:nats")).toBe(0)
        expect(yield* s.checkpoints.get("relay:NATS")).toBe(0)
      })
    )
  })

/** A manifest of an export by the Mataram supervisor, on a legal obligation, at `iso`. */
export const manifestAt = (iso: string, purpose: string): CaseExport.Manifest => {
  const request = CaseExport.decodeRequest({
    lawfulBasis: { _tag: "legal-obligation", provision: "Permensos 5/2019: reports to the ministry" },
    purpose,
    region: "52.71"
  })
  if (Result.isFailure(request)) throw request.failure
  const scope = { region: request.success.region ?? "ID" }
  return CaseExport.manifest(staff.mataram.supervisor, request.success, scope, DateTime.makeUnsafe(iso))
}

/** The canonical JSON of a manifest. */
const manifestJson = (manifest: CaseExport.Manifest): string =>
  JSON.stringify(Schema.encodeSync(CaseExport.Manifest)(manifest))

/** The example tests of the export log. */
export const exportLogTests = <R>(kit: Kit<R>): void =>
  kit.group("ExportLog", () => {
    kit.test("keeps every manifest in recording order and gives back the latest, exactly as recorded", () =>
      Effect.gen(function* () {
        const s = yield* services
        expect(yield* s.exports.list(10)).toEqual([])
        const manifests = [
          manifestAt("2025-06-01T00:00:00Z", "Quarterly figures"),
          manifestAt("2025-06-02T00:00:00Z", "A court's request"),
          manifestAt("2025-06-01T12:00:00Z", "Research, approved by the ethics board")
        ]
        for (const manifest of manifests) yield* s.exports.record(manifest)
        expect((yield* s.exports.list(10)).map(manifestJson)).toEqual(manifests.map(manifestJson))
        expect((yield* s.exports.list(2)).map(manifestJson)).toEqual(manifests.slice(1).map(manifestJson))
        // The same manifest recorded twice is two exports: the log keeps both.
        yield* s.exports.record(manifests[0] as CaseExport.Manifest)
        expect((yield* s.exports.list(10)).length).toBe(4)
      })
    )

    kit.test("refuses a bad limit with InvalidInput", () =>
      Effect.gen(function* () {
        const s = yield* services
        for (const limit of [0, -1, 1.5, 1_001, Number.NaN]) {
          const error = yield* Effect.flip(s.exports.list(limit))
          expect(error._tag).toBe("InvalidInput")
        }
      })
    )
  })
