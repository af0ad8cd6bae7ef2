/**
 * Due refreshes (`EventStore.refreshDue`): the index entry's due instants (`nextDueAt`, `wakeAt`) rewritten under a
 * deployment's policy, and nothing else — at the case's version only, never over a later append's entry, never
 * touching events, other fields or counts. Expected values come from the core's reference functions
 * (`EventStore.withDue`, `CaseIndex.page`, `CaseIndex.count`) over the fixture entries.
 */
import { expect } from "@effect/vitest"
import { CaseIndex, EventStore } from "@lindung/core"
import { DateTime, Effect } from "effect"
import { allBatches, type Batch, cid, decideBatch, finalEntries, requestOf, staff, story } from "./fixtures.js"
import { appendEach, entryJson, eventJson, type Kit, readAll, type Services, services } from "./harness.js"

const DAY = 86_400_000

const later = (instant: DateTime.Utc | undefined, days: number): DateTime.Utc =>
  DateTime.makeUnsafe(
    (instant === undefined ? Date.parse("2025-09-01T00:00:00Z") : instant.epochMilliseconds) + days * DAY
  )

/** A refresh of an entry's due instants, moved by `days` (an entry without a deadline gets one, woken then). */
const moved = (entry: CaseIndex.Entry, days: number): EventStore.DueRefresh => {
  const nextDueAt = later(entry.nextDueAt, days)
  return {
    caseId: entry.caseId,
    version: entry.version,
    nextDueAt,
    wakeAt: entry.nextDueAt === undefined || entry.wakeAt === undefined ? nextDueAt : later(entry.wakeAt, days)
  }
}

/** Everything but the index entries: the events, the log and the chains (a refresh never touches them). */
const history = (s: Services) =>
  Effect.gen(function* () {
    const log = yield* readAll(s.store)
    return { log: log.map((e) => [e.position, eventJson(e.event), e.hash]), verify: yield* s.store.verify() }
  })

const seeded = Effect.gen(function* () {
  const s = yield* services
  yield* appendEach(s.store, allBatches())
  return s
})

/** The fixture entries with `entry` in place of the case's own. */
const replaced = (entries: ReadonlyArray<CaseIndex.Entry>, entry: CaseIndex.Entry) =>
  entries.map((other) => (other.caseId === entry.caseId ? entry : other))

/** The due-refresh tests: every adapter must pass them. */
export const dueRefreshTests = <R>(kit: Kit<R>): void =>
  kit.group("EventStore due refresh", () => {
    kit.test("rewrites only the due instants at the case's version; lists and counts follow the reference", () =>
      Effect.gen(function* () {
        const s = yield* seeded
        const before = yield* history(s)
        let entries = finalEntries()
        const withDue = entries.filter((entry) => entry.nextDueAt !== undefined)
        expect(withDue.length, "the fixtures have cases with deadlines").toBeGreaterThan(1)
        // One deadline later, one earlier, one case given instants it had none of (a closed case would not: the
        // store does not judge the instants, the policy does).
        const targets = [moved(withDue[0] as CaseIndex.Entry, 3), moved(withDue[1] as CaseIndex.Entry, -2)]
        const without = entries.find((entry) => entry.nextDueAt === undefined)
        if (without !== undefined) targets.push(moved(without, 1))
        for (const refresh of targets) {
          expect(yield* s.store.refreshDue(refresh)).toBe("written")
          const expected = EventStore.withDue(
            entries.find((entry) => entry.caseId === refresh.caseId) as CaseIndex.Entry,
            refresh
          )
          entries = replaced(entries, expected)
          expect(entryJson(yield* s.index.get(refresh.caseId))).toBe(entryJson(expected))
        }
        for (const instant of ["2025-03-01T00:00:00Z", "2025-06-01T00:00:00Z", "2026-01-01T00:00:00Z"]) {
          for (const filter of [
            { wakeBefore: DateTime.makeUnsafe(instant) },
            { dueBefore: DateTime.makeUnsafe(instant) }
          ] satisfies ReadonlyArray<CaseIndex.Filter>) {
            const page = yield* s.index.query({ filter, limit: CaseIndex.MAX_PAGE })
            expect(
              page.entries.map((entry) => entry.caseId),
              JSON.stringify(filter)
            ).toEqual(CaseIndex.page(entries, { filter, limit: CaseIndex.MAX_PAGE }).entries.map((e) => e.caseId))
          }
        }
        const byStage = { filter: {}, by: ["stage", "risk"] as const }
        expect(yield* s.index.count(byStage)).toEqual(CaseIndex.count(entries, byStage))
        expect(yield* history(s), "no event, position or hash changes").toEqual(before)
      })
    )

    kit.test("the same instants again are unchanged; absent instants are cleared; an unknown case is missing", () =>
      Effect.gen(function* () {
        const s = yield* seeded
        const entry = finalEntries().find((e) => e.nextDueAt !== undefined) as CaseIndex.Entry
        expect(
          yield* s.store.refreshDue({
            caseId: entry.caseId,
            version: entry.version,
            nextDueAt: entry.nextDueAt,
            wakeAt: entry.wakeAt
          })
        ).toBe("unchanged")
        expect(entryJson(yield* s.index.get(entry.caseId))).toBe(entryJson(entry))
        const cleared = { caseId: entry.caseId, version: entry.version }
        expect(yield* s.store.refreshDue(cleared)).toBe("written")
        const stored = yield* s.index.get(entry.caseId)
        expect(entryJson(stored)).toBe(entryJson(EventStore.withDue(entry, cleared)))
        expect(stored.nextDueAt).toBeUndefined()
        expect(stored.wakeAt).toBeUndefined()
        const page = yield* s.index.query({
          filter: { wakeBefore: DateTime.makeUnsafe("2100-01-01T00:00:00Z") },
          limit: CaseIndex.MAX_PAGE
        })
        expect(page.entries.map((e) => e.caseId)).not.toContain(entry.caseId)
        expect(yield* s.store.refreshDue(cleared)).toBe("unchanged")
        expect(yield* s.store.refreshDue({ caseId: cid("no-such-case"), version: 1 })).toBe("missing")
      })
    )

    kit.test("the scheduler's list follows wakeAt alone: a deadline without one, or before it, is not listed", () =>
      Effect.gen(function* () {
        const s = yield* services
        // Appended with a deadline and no wake-up instant (every escalation recorded, no birthday ahead).
        const [first, second] = story("jkt-0001").batches as ReadonlyArray<Batch>
        if (!first || !second) throw new Error("fixture too short")
        const nextDueAt = later(undefined, 0)
        const { wakeAt: _, ...unwoken } = { ...first.index, nextDueAt }
        yield* s.store.append({ ...requestOf(first), index: unwoken })
        const listed = (instant: DateTime.Utc, filter: "wakeBefore" | "dueBefore") =>
          s.index
            .query({ filter: { [filter]: instant }, limit: CaseIndex.MAX_PAGE })
            .pipe(Effect.map((page) => page.entries.map((entry) => entry.caseId)))
        const far = later(undefined, 10_000)
        expect(yield* listed(far, "wakeBefore"), "appended").toEqual([])
        expect(yield* listed(far, "dueBefore")).toEqual([first.index.caseId])
        expect(entryJson(yield* s.index.get(first.index.caseId))).toBe(entryJson(unwoken))
        // Refreshed to wake after the deadline (the head of the Dinas's turn), then to no wake-up instant again.
        const base = { caseId: first.index.caseId, version: first.index.version, nextDueAt }
        expect(yield* s.store.refreshDue({ ...base, wakeAt: later(undefined, 2) })).toBe("written")
        expect(yield* listed(later(undefined, 1), "wakeBefore")).toEqual([])
        expect(yield* listed(later(undefined, 3), "wakeBefore")).toEqual([first.index.caseId])
        expect(yield* listed(later(undefined, 1), "dueBefore")).toEqual([first.index.caseId])
        expect(yield* s.store.refreshDue(base)).toBe("written")
        expect(yield* listed(far, "wakeBefore"), "refreshed").toEqual([])
        expect(entryJson(yield* s.index.get(first.index.caseId))).toBe(entryJson(unwoken))
      })
    )

    kit.test("a refresh at another version writes nothing: an append's entry is never overwritten", () =>
      Effect.gen(function* () {
        const s = yield* services
        const fixture = story("jkt-0001")
        const [first, second] = fixture.batches as ReadonlyArray<Batch>
        if (!first || !second) throw new Error("fixture too short")
        yield* s.store.append(requestOf(first))
        // Computed at version 1, arriving after the append of version 2: the append's entry stays.
        yield* s.store.append(requestOf(second))
        const stale = moved(first.index, 5)
        expect(yield* s.store.refreshDue(stale)).toBe("moved")
        expect(entryJson(yield* s.index.get(fixture.caseId))).toBe(entryJson(second.index))
        // Ahead of the case: also another version.
        expect(yield* s.store.refreshDue({ ...moved(second.index, 5), version: second.index.version + 1 })).toBe(
          "moved"
        )
        expect(entryJson(yield* s.index.get(fixture.caseId))).toBe(entryJson(second.index))
      })
    )

    kit.test("refreshes racing appends of one case: the last append's entry always stands", () =>
      Effect.gen(function* () {
        const s = yield* services
        const fixture = story("jkt-0001")
        let state = fixture.state
        // Start from the fixture's whole history, then race each new append against refreshes of the version before.
        yield* appendEach(s.store, fixture.batches)
        let index = (fixture.batches.at(-1) as Batch).index
        for (let round = 0; round < 12; round++) {
          const { batch, state: after } = decideBatch(
            state,
            { _tag: "AssignCaseworker", caseId: fixture.caseId, caseworker: `dinsos-31:peksos-race-${round}` },
            staff.jakarta.supervisor,
            DateTime.makeUnsafe(`2025-09-${String(round + 1).padStart(2, "0")}T02:00:00Z`)
          )
          // Every other round, a refresh written at the version before, which the append must then replace whole.
          if (round % 2 === 0) expect(yield* s.store.refreshDue(moved(index, 4))).toBe("written")
          const append = s.store.append(requestOf(batch))
          const refreshes = Effect.forEach([1, 2, 3], (days) => s.store.refreshDue(moved(index, days)), {
            concurrency: 3
          })
          // Started in turn first (a store that runs one operation at a time then runs the refreshes first).
          const refreshed =
            round % 2 === 0
              ? (yield* Effect.all([refreshes, append], { concurrency: 2 }))[0]
              : (yield* Effect.all([append, refreshes], { concurrency: 2 }))[1]
          for (const outcome of refreshed) expect(["written", "moved"]).toContain(outcome)
          expect(entryJson(yield* s.index.get(fixture.caseId)), `round ${round}`).toBe(entryJson(batch.index))
          state = after
          index = batch.index
        }
      })
    )

    kit.test("a bad refresh is refused with InvalidInput and changes nothing", () =>
      Effect.gen(function* () {
        const s = yield* seeded
        const entry = finalEntries()[0] as CaseIndex.Entry
        const bad: ReadonlyArray<[string, EventStore.DueRefresh]> = [
          ["caseId", { caseId: "case\u0000x" as never, version: 1 }],
          ["version", { caseId: entry.caseId, version: 0 }],
          ["version", { caseId: entry.caseId, version: 1.5 }],
          ["nextDueAt", { caseId: entry.caseId, version: entry.version, nextDueAt: "2025-01-01" as never }],
          ["wakeAt", { caseId: entry.caseId, version: entry.version, wakeAt: { epochMilliseconds: 0 } as never }],
          // Instants every store can write (ISO 8601's four-digit years).
          [
            "wakeAt",
            { caseId: entry.caseId, version: entry.version, wakeAt: DateTime.makeUnsafe(Date.UTC(10_000, 0, 1)) }
          ],
          [
            "nextDueAt",
            { caseId: entry.caseId, version: entry.version, nextDueAt: DateTime.makeUnsafe(-62_135_596_800_001) }
          ]
        ]
        for (const [field, refresh] of bad) {
          const error = yield* Effect.flip(s.store.refreshDue(refresh))
          expect(error, field).toMatchObject({ _tag: "InvalidInput", field })
          // A wake-up instant can be a child's 18th birthday: never shown.
          if (field === "wakeAt") expect(error).toMatchObject({ value: "(not shown)" })
        }
        expect(entryJson(yield* s.index.get(entry.caseId))).toBe(entryJson(entry))
      })
    )
  })
