/**
 * Tests of `EventStore.appendAll`, the bulk path: many requests as one atomic unit. Written in order exactly as
 * appending them one after another would write them; refused whole at the first request `append` would refuse;
 * several requests of one case and idempotent replays in one call; and calls that share cases racing each other,
 * each written whole or not at all, while a reader tails the log. Expected values come from the fixtures and the core's pure functions.
 */
import { expect } from "@effect/vitest"
import { CaseEvent, CaseIndex, EventStore, Integrity } from "@lindung/core"
import { DateTime, Effect, Fiber, Option, Ref, Result } from "effect"
import { type Batch, finalEntries, fingerprintOf, registration, requestOf, stories, story } from "./fixtures.js"
import {
  appendEach,
  entryJson,
  errorJson,
  eventJson,
  interleave,
  type Kit,
  readAll,
  type Services,
  services
} from "./harness.js"
import { checkStore, together } from "./race.js"

const keyed = (batch: Batch, key: string): EventStore.AppendRequest =>
  requestOf(batch, { key, fingerprint: fingerprintOf(batch) })

/** What an observer can see: the log, every fixture case's events and entry, a count, and the given keys. */
const observed = (s: Services, keys: ReadonlyArray<string> = []) =>
  Effect.gen(function* () {
    const all = yield* readAll(s.store)
    const cases = yield* Effect.forEach(stories(), (fixture) =>
      Effect.all([
        Effect.map(s.store.load(fixture.caseId), (events) => events.map(eventJson)),
        s.index.get(fixture.caseId).pipe(
          Effect.map(entryJson),
          Effect.catchTag("NotFound", () => Effect.succeed("none"))
        )
      ])
    )
    return {
      log: all.map((e) => [e.position, eventJson(e.event), e.previousHash, e.hash]),
      cases,
      counts: yield* s.index.count({ filter: {}, by: ["stage", "risk"] }),
      keys: yield* Effect.forEach(keys, (key) => Effect.map(s.store.idempotency(key), Option.getOrNull))
    }
  })

/** The example tests of `appendAll`. */
export const appendAllTests = <R>(kit: Kit<R>): void =>
  kit.group("EventStore.appendAll", () => {
    kit.test("a call that registers one new subject twice, or one held already, is refused whole", () =>
      Effect.gen(function* () {
        const s = yield* services
        const now = DateTime.makeUnsafe(Date.UTC(2025, 6, 1, 2))
        const claim = (caseId: string, subject: string) => ({
          ...requestOf(registration(caseId, subject, "surabaya", now)),
          newSubject: true
        })
        const twice = yield* Effect.flip(
          s.store.appendAll([
            claim("bulk-a", "subj-bulk-1"),
            claim("bulk-b", "subj-bulk-2"),
            claim("bulk-c", "subj-bulk-1")
          ])
        )
        expect(errorJson(twice)).toEqual({ _tag: "SubjectHeld", caseId: "bulk-c" })
        expect(yield* readAll(s.store)).toEqual([])
        yield* s.store.append(claim("bulk-held", "subj-bulk-2"))
        const held = yield* Effect.flip(
          s.store.appendAll([claim("bulk-a", "subj-bulk-1"), claim("bulk-b", "subj-bulk-2")])
        )
        expect(errorJson(held)).toEqual({ _tag: "SubjectHeld", caseId: "bulk-b" })
        expect((yield* readAll(s.store)).map((stored) => stored.event.caseId)).toEqual(["bulk-held"])
        // Linked requests (no claim) of one subject in one call are written, as appends one after another would be.
        const linked = yield* s.store.appendAll([
          requestOf(registration("bulk-d", "subj-bulk-3", "surabaya", now)),
          requestOf(registration("bulk-e", "subj-bulk-3", "surabaya", now))
        ])
        expect(linked.map((result) => result.caseId)).toEqual(["bulk-d", "bulk-e"])
      })
    )

    kit.test("writes every request in order, as appending them one after another would", () =>
      Effect.gen(function* () {
        const s = yield* services
        const batches = interleave(stories().map((fixture) => fixture.batches))
        const results = yield* s.store.appendAll(batches.map((batch) => requestOf(batch)))
        const all = yield* readAll(s.store)
        expect(all.map((e) => eventJson(e.event))).toEqual(batches.flatMap((b) => b.events).map(eventJson))
        // One result per request, in order, each reporting the position of its last event.
        let offset = 0
        expect(results).toEqual(
          batches.map((batch) => {
            offset += batch.events.length
            return {
              caseId: batch.caseId,
              fromVersion: batch.expectedVersion + 1,
              toVersion: batch.expectedVersion + batch.events.length,
              lastPosition: (all[offset - 1] as EventStore.StoredEvent).position,
              replayed: false
            }
          })
        )
        // Each case's chain, its final index entry, and the counts of the pure reference over the final entries.
        const previous = new Map<string, string>()
        for (const stored of all) {
          const expectedPrevious = previous.get(stored.event.caseId) ?? Integrity.GENESIS
          expect(stored.previousHash).toBe(expectedPrevious)
          expect(stored.hash).toBe(Integrity.link(expectedPrevious, CaseEvent.encode(stored.event)))
          previous.set(stored.event.caseId, stored.hash)
        }
        for (const entry of finalEntries()) expect(entryJson(yield* s.index.get(entry.caseId))).toBe(entryJson(entry))
        const query = { filter: {}, by: ["region", "stage", "ampk"] } as const
        expect(yield* s.index.count(query)).toEqual(CaseIndex.count(finalEntries(), query))
        expect(yield* s.store.verify()).toEqual({ cases: stories().length, events: all.length })
      })
    )

    kit.test("the first request append would refuse refuses the whole call, and nothing is written", () =>
      Effect.gen(function* () {
        const s = yield* services
        const [first, second] = story("ntb-0002").batches as ReadonlyArray<Batch>
        const fresh = story("pdg-0001").batches[0] as Batch
        const another = story("sby-0001").batches[0] as Batch
        if (!first || !second) throw new Error("fixture ntb-0002 is too short")
        yield* appendEach(s.store, [first])
        yield* s.store.append(keyed(another, "used"))
        const keys = ["bulk-1", "bulk-2", "used"]
        const before = yield* observed(s, keys)
        const refused = (requests: ReadonlyArray<EventStore.AppendRequest>) =>
          Effect.map(Effect.flip(s.store.appendAll(requests)), errorJson)

        // A stale request after a good one: the good one is not written either.
        expect(yield* refused([keyed(fresh, "bulk-1"), requestOf(first)])).toEqual(
          errorJson({ _tag: "VersionConflict", caseId: "ntb-0002", expectedVersion: 0, actualVersion: 1 })
        )
        // A request ahead of the store, then a good one: refused at the first.
        expect(yield* refused([requestOf(story("ntb-0002").batches[2] as Batch), keyed(fresh, "bulk-1")])).toEqual(
          errorJson({ _tag: "VersionConflict", caseId: "ntb-0002", expectedVersion: 2, actualVersion: 1 })
        )
        // A key used before for another request.
        const reused = { ...requestOf(second), idempotency: { key: "used", fingerprint: "another request" } }
        expect(yield* refused([keyed(fresh, "bulk-1"), reused])).toEqual(
          errorJson({ _tag: "IdempotencyKeyReused", key: "used", caseId: "sby-0001" })
        )
        // One key for two different requests in one call: the second reuses it.
        expect(
          yield* refused([
            keyed(fresh, "bulk-2"),
            { ...requestOf(second), idempotency: keyed(fresh, "bulk-2").idempotency as EventStore.Idempotency }
          ])
        ).toEqual(errorJson({ _tag: "IdempotencyKeyReused", key: "bulk-2", caseId: "pdg-0001" }))
        // An invalid request: the InvalidInput of EventStore.checkRequest, before anything is read.
        const invalid = { ...requestOf(second), events: [] }
        const expected = EventStore.checkRequest(invalid)
        if (Result.isSuccess(expected)) throw new Error("the kit's invalid request is valid")
        expect(yield* refused([keyed(fresh, "bulk-1"), invalid])).toEqual(errorJson(expected.failure))
        // No request, or more than MAX_APPEND_ALL.
        for (const requests of [[], Array.from({ length: EventStore.MAX_APPEND_ALL + 1 }, () => requestOf(second))]) {
          const error = yield* refused(requests)
          expect(error._tag, `${requests.length} requests`).toBe("InvalidInput")
          expect(error.field).toBe("requests")
        }
        expect(yield* observed(s, keys)).toEqual(before)
        // The same requests, in order and in one call, are written afterwards.
        const results = yield* s.store.appendAll([keyed(fresh, "bulk-1"), requestOf(second)])
        expect(results.map((r) => [r.caseId, r.fromVersion, r.replayed])).toEqual([
          ["pdg-0001", 1, false],
          ["ntb-0002", 2, false]
        ])
      })
    )

    kit.test("several requests of one case in one call, and keys that replay", () =>
      Effect.gen(function* () {
        const s = yield* services
        const fixture = story("pdg-0001")
        const requests = fixture.batches.map((batch, i) => keyed(batch, `pdg-${i}`))
        const first = yield* s.store.appendAll(requests)
        expect(first.map((r) => r.toVersion)).toEqual(
          fixture.batches.map((batch) => batch.expectedVersion + batch.events.length)
        )
        expect((yield* s.store.load(fixture.caseId)).map(eventJson)).toEqual(
          fixture.batches.flatMap((batch) => batch.events).map(eventJson)
        )
        const keys = requests.map((_, i) => `pdg-${i}`)
        const before = yield* observed(s, keys)
        // The whole call again (a client retrying after a timeout): every request replays; nothing is written.
        expect(yield* s.store.appendAll(requests)).toEqual(first.map((r) => ({ ...r, replayed: true })))
        // A replay and a new case in one call; the same keyed request twice in one call replays the first.
        const fresh = keyed(story("ntb-0001").batches[0] as Batch, "ntb-0")
        const mixed = yield* s.store.appendAll([requests[0] as EventStore.AppendRequest, fresh, fresh])
        expect(mixed[0]).toEqual({ ...first[0], replayed: true })
        expect(mixed[1]).toMatchObject({ caseId: "ntb-0001", fromVersion: 1, replayed: false })
        expect(mixed[2]).toEqual({ ...mixed[1], replayed: true })
        const after = yield* observed(s, keys)
        expect(after.cases[stories().findIndex((f) => f.caseId === fixture.caseId)]).toEqual(
          before.cases[stories().findIndex((f) => f.caseId === fixture.caseId)]
        )
        expect(after.keys).toEqual(before.keys)
        expect(after.log.length - before.log.length).toBe(fresh.events.length)
      })
    )

    kit.test(
      "calls that share cases race: each is written whole or not at all, and every case once",
      () =>
        Effect.gen(function* () {
          const s = yield* services
          // Call i registers the cases i and i + 1 (a ring): neighbours conflict, so not every call can win.
          const firsts = stories().map((fixture) => fixture.batches[0] as Batch)
          const calls = firsts.map((_, i) =>
            [i, (i + 1) % firsts.length].map((c) => keyed(firsts[c] as Batch, `call-${i}-case-${c}`))
          )
          // A reader tails the log meanwhile, taking everything readable each time: it must never see an event of
          // a call that is not written, nor part of a request. (It may read the requests of a written call in more
          // than one read: an adapter may number each request of a call apart, as PostgreSQL does.)
          const done = yield* Ref.make(false)
          const seen: Array<ReadonlyArray<string>> = []
          const reader = yield* Effect.forkChild(
            Effect.gen(function* () {
              const cases: Array<string> = []
              let position = 0
              for (;;) {
                const finished = yield* Ref.get(done)
                const page = yield* s.store.readAfter(position, EventStore.MAX_READ)
                for (const stored of page) cases.push(stored.event.caseId)
                if (page.length > 0) position = (page.at(-1) as EventStore.StoredEvent).position
                seen.push([...cases])
                if (finished && page.length === 0) return
                yield* Effect.yieldNow
              }
            })
          )
          const outcomes = yield* together(calls.map((requests) => s.store.appendAll(requests)))
          yield* Ref.set(done, true)
          yield* Fiber.join(reader)
          let won = 0
          for (const [i, outcome] of outcomes.entries()) {
            const requests = calls[i] as ReadonlyArray<EventStore.AppendRequest>
            const recorded = yield* Effect.forEach(requests, (r) =>
              Effect.map(s.store.idempotency((r.idempotency as EventStore.Idempotency).key), Option.isSome)
            )
            if (Result.isSuccess(outcome)) {
              won++
              expect(recorded, `call ${i} won: all its keys are recorded`).toEqual([true, true])
            } else {
              expect(outcome.failure._tag, `call ${i}`).toBe("VersionConflict")
              expect(recorded, `call ${i} lost: none of its keys is recorded`).toEqual([false, false])
            }
          }
          expect(won).toBeGreaterThan(0)
          // No case twice, no gap, a clean chain; the cases of the winning calls, and only those, are written.
          const all = yield* checkStore(s)
          const written = new Set(all.map((e) => e.event.caseId))
          const winners = new Set(
            calls.flatMap((requests, i) =>
              Result.isSuccess(outcomes[i] as Result.Result<unknown, unknown>) ? requests.map((r) => r.caseId) : []
            )
          )
          expect([...written].sort()).toEqual([...winners].sort())
          expect(all.length).toBe(
            firsts.filter((batch) => winners.has(batch.caseId)).reduce((n, batch) => n + batch.events.length, 0)
          )
          for (const batch of firsts) {
            for (const cases of seen) {
              const visible = cases.filter((c) => c === batch.caseId).length
              expect([0, batch.events.length], `the reader saw part of ${batch.caseId}'s request`).toContain(visible)
            }
          }
          // Everything it saw, in the order it saw it, is the log: nothing of a refused call, nothing skipped.
          expect(seen.at(-1)).toEqual(all.map((e) => e.event.caseId))
        }),
      kit.capabilities.timeout ?? 60_000
    )
  })
