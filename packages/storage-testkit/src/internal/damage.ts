/**
 * Tests that need the adapter's help to damage its own store: a tampered row (`tamper`), an undecodable row
 * (`corrupt`) and an outage (`outage`). An adapter without a capability gets the tests skipped, each with the
 * reason in its name; the rest of the suite still runs.
 */
import { expect } from "@effect/vitest"
import { CaseEvent, EventStore } from "@lindung/core"
import { DateTime, Effect } from "effect"
import { manifestAt } from "./examples.js"
import { accessOf, type Batch, cid, identities, requestOf, staff, stories, story } from "./fixtures.js"
import { appendEach, errorJson, eventJson, interleave, type Kit, readAll, services } from "./harness.js"

const seed = Effect.gen(function* () {
  const s = yield* services
  yield* appendEach(s.store, interleave(stories().map((x) => x.batches)))
  return s
})

const totals = () => ({
  cases: stories().length,
  events: stories().reduce((n, x) => n + x.batches.reduce((m, b) => m + b.events.length, 0), 0)
})

/** The integrity tests: `verify` finds a tampered row. */
export const tamperTests = <R>(kit: Kit<R>): void =>
  kit.group("Integrity: verify detects tampering", () => {
    const tamper = kit.capabilities.tamper
    if (tamper === undefined) {
      kit.skip("verify reports a tampered row", "the adapter gives no `tamper` capability")
      return
    }

    kit.test("verify reports the first tampered row as a hash-mismatch break", () =>
      Effect.gen(function* () {
        const s = yield* seed
        // Someone edits a row in place: the occurred-at instant of pdg-0001's third event.
        yield* tamper("pdg-0001", 3, (encoded) => ({ ...encoded, occurredAt: "2020-01-01T00:00:00.000Z" }))
        const firstBreak = { caseId: "pdg-0001", version: 3, reason: "hash-mismatch" }
        expect(yield* s.store.verify()).toEqual({ ...totals(), firstBreak })
        const events = story("pdg-0001").batches.reduce((n, b) => n + b.events.length, 0)
        expect(yield* s.store.verify(cid("pdg-0001"))).toEqual({ cases: 1, events, firstBreak })
        expect((yield* s.store.verify(cid("ntb-0001"))).firstBreak).toBeUndefined()
        // The edited row still decodes: load returns it as stored (integrity is verify's job).
        expect((yield* s.store.load(cid("pdg-0001"))).length).toBe(events)
      })
    )

    kit.test("verify reports breaks in case-id order, and a changed payload", () =>
      Effect.gen(function* () {
        const s = yield* seed
        yield* tamper("sby-0001", 2, (encoded) => ({
          ...encoded,
          payload: { ...(encoded.payload as object), caseworker: "someone-else" }
        }))
        yield* tamper("jkt-0001", 4, (encoded) => ({ ...encoded, rules: [] }))
        expect((yield* s.store.verify()).firstBreak).toEqual({
          caseId: "jkt-0001",
          version: 4,
          reason: "hash-mismatch"
        })
        expect((yield* s.store.verify(cid("sby-0001"))).firstBreak).toEqual({
          caseId: "sby-0001",
          version: 2,
          reason: "hash-mismatch"
        })
      })
    )

    kit.test("appending after a tampered row still links to the stored hash", () =>
      Effect.gen(function* () {
        const s = yield* services
        const batches = story("ntb-0003").batches
        yield* appendEach(s.store, batches.slice(0, 2))
        yield* tamper("ntb-0003", 1, (encoded) => ({ ...encoded, recordedAt: "2020-01-01T00:00:00.000Z" }))
        yield* appendEach(s.store, batches.slice(2))
        expect((yield* s.store.verify(cid("ntb-0003"))).firstBreak).toEqual({
          caseId: "ntb-0003",
          version: 1,
          reason: "hash-mismatch"
        })
      })
    )
  })

/** The corruption tests: an undecodable row is a typed `CorruptedRecord`, never a crash. */
export const corruptTests = <R>(kit: Kit<R>): void =>
  kit.group("Corrupted rows are typed errors", () => {
    const corrupt = kit.capabilities.corrupt
    if (corrupt === undefined) {
      kit.skip("load and readAfter report an undecodable row", "the adapter gives no `corrupt` capability")
      return
    }

    const original = () => CaseEvent.encode(story("ntb-0002").batches.flatMap((b) => b.events)[2] as CaseEvent.Envelope)
    const raws: ReadonlyArray<readonly [string, () => string]> = [
      ["text that is not JSON", () => "{not json"],
      ["JSON that is not an event", () => JSON.stringify({ type: "Nothing", payload: 1 })],
      ["an event whose payload no longer decodes", () => JSON.stringify({ ...original(), payload: { _tag: "X" } })],
      ["an event without its version", () => JSON.stringify({ ...original(), version: undefined })]
    ]

    for (const [what, raw] of raws) {
      kit.test(`${what}: load, readAfter and verify report it; other cases and the index still work`, () =>
        Effect.gen(function* () {
          const s = yield* seed
          const all = yield* readAll(s.store)
          const index = all.findIndex((e) => e.event.caseId === "ntb-0002" && e.event.version === 3)
          yield* corrupt("ntb-0002", 3, raw())
          const location = "case ntb-0002 version 3"
          const fromLoad = yield* Effect.flip(s.store.load(cid("ntb-0002")))
          expect(errorJson(fromLoad)).toEqual(errorJson({ _tag: "CorruptedRecord", location }))
          const fromRead = yield* Effect.flip(s.store.readAfter(0, EventStore.MAX_READ))
          expect(errorJson(fromRead)).toEqual(errorJson({ _tag: "CorruptedRecord", location }))
          // Reading up to the row before it still works; so does everything after it.
          const before = index === 0 ? [] : yield* s.store.readAfter(0, index)
          expect(before.map((e) => eventJson(e.event))).toEqual(all.slice(0, index).map((e) => eventJson(e.event)))
          const after = yield* s.store.readAfter((all[index] as EventStore.StoredEvent).position, EventStore.MAX_READ)
          expect(after.map((e) => eventJson(e.event))).toEqual(all.slice(index + 1).map((e) => eventJson(e.event)))
          expect((yield* s.store.load(cid("ntb-0001"))).length).toBeGreaterThan(0)
          expect((yield* s.index.get(cid("ntb-0002"))).caseId).toBe("ntb-0002")
          const report = yield* s.store.verify()
          expect(report).toEqual({
            ...totals(),
            firstBreak: { caseId: "ntb-0002", version: 3, reason: "undecodable" }
          })
        })
      )
    }

    kit.test("an append to a case with a corrupted row still checks the version", () =>
      Effect.gen(function* () {
        const s = yield* services
        const batches = story("ntb-0002").batches
        yield* appendEach(s.store, batches.slice(0, 3))
        yield* corrupt("ntb-0002", 1, "{not json")
        const stale = yield* Effect.flip(s.store.append(requestOf(batches[1] as Batch)))
        expect(stale._tag).toBe("VersionConflict")
      })
    )
  })

/** The outage tests: a store that cannot be reached fails every operation with `StorageUnavailable`. */
export const outageTests = <R>(kit: Kit<R>): void =>
  kit.group("Outages are StorageUnavailable", () => {
    const outage = kit.capabilities.outage
    if (outage === undefined) {
      kit.skip("every operation fails with StorageUnavailable", "the adapter gives no `outage` capability")
      return
    }

    kit.test("every operation of every port fails with StorageUnavailable, without identity in its detail", () =>
      Effect.gen(function* () {
        const s = yield* services
        const fixture = story("ntb-0001")
        const [first, second] = fixture.batches as ReadonlyArray<Batch>
        if (!first || !second) throw new Error("fixture too short")
        const { identity, marker } = identities[0] as (typeof identities)[number]
        yield* s.store.append(requestOf(first))
        yield* s.vault.put(fixture.subject, identity)
        yield* outage
        const operations: ReadonlyArray<readonly [string, Effect.Effect<unknown, unknown>]> = [
          ["EventStore.append", s.store.append(requestOf(second))],
          ["EventStore.appendAll", s.store.appendAll([requestOf(second)])],
          ["EventStore.load", s.store.load(fixture.caseId)],
          ["EventStore.readAfter", s.store.readAfter(0, 10)],
          ["EventStore.idempotency", s.store.idempotency("req-1")],
          ["EventStore.verify", s.store.verify()],
          ["CaseIndex.query", s.index.query({ filter: {}, limit: 10 })],
          ["CaseIndex.count", s.index.count({ filter: {}, by: ["stage"] })],
          ["CaseIndex.get", s.index.get(fixture.caseId)],
          ["IdentityVault.put", s.vault.put(fixture.subject, identity)],
          ["IdentityVault.get", s.vault.get(fixture.subject)],
          ["IdentityVault.erase", s.vault.erase(fixture.subject)],
          [
            "IdentityVault.record",
            s.vault.record(
              accessOf({
                subject: fixture.subject,
                caseId: fixture.caseId,
                actor: staff.mataram.supervisor,
                operation: "read",
                purpose: "assessment",
                at: DateTime.makeUnsafe("2025-06-01T00:00:00Z")
              })
            )
          ],
          ["IdentityVault.accesses", s.vault.accesses(fixture.subject)],
          ["Checkpoints.get", s.checkpoints.get("relay")],
          ["Checkpoints.set", s.checkpoints.set("relay", 1)],
          ["ExportLog.record", s.exports.record(manifestAt("2025-06-01T00:00:00Z", "Figures"))],
          ["ExportLog.list", s.exports.list(10)]
        ]
        for (const [name, operation] of operations) {
          const error = yield* Effect.flip(operation)
          expect(errorJson(error)._tag, name).toBe("StorageUnavailable")
          const text = `${JSON.stringify(error)} ${(error as Error).message}`
          expect(text.includes(marker), `${name} shows an identity`).toBe(false)
        }
      })
    )
  })
