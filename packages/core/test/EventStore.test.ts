/**
 * Due refreshes (`EventStore.refreshDue`) as the core defines them: `checkRefresh` accepts a refresh exactly when its
 * case id, version and instants are well-formed (a wake-up instant may come before, after or without the first
 * deadline); a wake-up instant (possibly a child's 18th birthday) is never shown in the refusal; every case state the decider
 * reaches projects to a refresh `checkRefresh` accepts (the case service's heal and sweep never refuse their own
 * input); and `withDue` changes the two instants and nothing else.
 */
import { fc, test as propTest } from "@fast-check/vitest"
import { DateTime, Result } from "effect"
import { describe, expect, it } from "vitest"
import * as CaseIndex from "../src/CaseIndex.js"
import type * as CaseModel from "../src/CaseModel.js"
import * as CaseRepository from "../src/CaseRepository.js"
import * as EventStore from "../src/EventStore.js"
import { walk, walkArb } from "./arbitraries.js"
import { runs } from "./properties.js"

const BASE = Date.parse("2026-03-01T00:00:00Z")
const instantArb = fc.option(
  fc.integer({ min: -30 * 86_400_000, max: 30 * 86_400_000 }).map((ms) => DateTime.makeUnsafe(BASE + ms)),
  { nil: undefined }
)
const caseId = "case-1" as CaseModel.CaseId

describe("EventStore.checkRefresh", () => {
  propTest.prop([fc.integer({ min: -2, max: 5 }), instantArb, instantArb], { numRuns: runs(300) })(
    "accepts a refresh iff its version is 1 or more, whichever instants it holds and in whichever order",
    (version, nextDueAt, wakeAt) => {
      const checked = EventStore.checkRefresh({ caseId, version, nextDueAt, wakeAt })
      expect(Result.isSuccess(checked)).toBe(version >= 1)
      if (Result.isFailure(checked)) {
        expect(checked.failure).toMatchObject({ _tag: "InvalidInput", field: "version" })
        // The wake-up instant is never shown: it can be a child's 18th birthday.
        if (wakeAt !== undefined) expect(checked.failure.message).not.toContain(DateTime.formatIso(wakeAt))
      }
    }
  )

  it("refuses a case id that is not an id and an instant that is not one, naming the field", () => {
    expect(EventStore.checkRefresh({ caseId: "case\u0000" as CaseModel.CaseId, version: 1 })).toMatchObject({
      failure: { _tag: "InvalidInput", field: "caseId", value: "(not shown)" }
    })
    expect(EventStore.checkRefresh({ caseId, version: 1, nextDueAt: "2026-03-01" as never })).toMatchObject({
      failure: { _tag: "InvalidInput", field: "nextDueAt", reason: "must be a valid UTC instant" }
    })
    // A wake-up instant is never shown, even when it is not one.
    expect(EventStore.checkRefresh({ caseId, version: 1, wakeAt: "2008-03-04" as never })).toMatchObject({
      failure: { _tag: "InvalidInput", field: "wakeAt", value: "(not shown)", reason: "must be a valid UTC instant" }
    })
  })
})

describe("due refreshes of the cases the decider reaches", () => {
  propTest.prop([walkArb(30)], { numRuns: runs(100) })(
    "every state projects to a refresh checkRefresh accepts, which its own entry holds; withDue changes only the instants",
    (input) => {
      for (const { after } of walk(input).steps) {
        if (after._tag !== "Case") continue
        const entry = CaseIndex.project(after)
        const due = CaseRepository.dueOf(after)
        expect(Result.isSuccess(EventStore.checkRefresh(due)), `${after.id} at version ${after.version}`).toBe(true)
        expect(due).toMatchObject({ caseId: after.id, version: after.version })
        expect(EventStore.holdsDue(entry, due)).toBe(true)
        // Another case's instants written into this entry: only the two instants change.
        const other: EventStore.DueRefresh = {
          ...due,
          nextDueAt: DateTime.makeUnsafe(BASE),
          wakeAt: DateTime.makeUnsafe(BASE - 86_400_000)
        }
        const written = EventStore.withDue(entry, other)
        expect(EventStore.holdsDue(written, other)).toBe(true)
        expect(EventStore.holdsDue(written, due)).toBe(
          due.nextDueAt?.epochMilliseconds === BASE && due.wakeAt?.epochMilliseconds === BASE - 86_400_000
        )
        const { nextDueAt: _a, wakeAt: _b, ...rest } = written
        const { nextDueAt: _c, wakeAt: _d, ...before } = entry
        expect(rest).toEqual(before)
        const cleared = EventStore.withDue(entry, { caseId: after.id, version: after.version })
        expect("nextDueAt" in cleared || "wakeAt" in cleared).toBe(false)
      }
    }
  )
})
