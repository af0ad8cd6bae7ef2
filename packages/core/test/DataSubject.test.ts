/**
 * Data-subject rights and retention (UU 27/2022; issue 11): the retention policy is typed, overridable and checked
 * wherever it is accepted; a closed case's identity is due for erasure the retention years after its closing day.
 */
import { fc, test as propTest } from "@fast-check/vitest"
import { DateTime, Result } from "effect"
import { describe, expect, it } from "vitest"
import * as DataSubject from "../src/DataSubject.js"
import * as Policy from "../src/Policy.js"
import * as Region from "../src/Region.js"
import { walk, walkArb } from "./arbitraries.js"
import { runs } from "./properties.js"

describe("DataSubject: retention (PDP-RETENTION)", () => {
  it("keeps an identity five years after closure by default, a policy default with its source", () => {
    expect(DataSubject.defaultRetentionPolicy.identityYearsAfterClosure).toBe(5)
    expect(DataSubject.retentionPolicyBasis.identityYearsAfterClosure.status).toBe("policy-default")
    expect(Policy.defaults.retention).toBe(DataSubject.defaultRetentionPolicy)
  })

  it("counts from the local day the case closed: closed at 03:00 WIB on 1 August 2025 → due on 1 August 2030", () => {
    const state = walk(fc.sample(walkArb(5), { numRuns: 1, seed: 1 })[0] as Parameters<typeof walk>[0]).state
    if (state._tag !== "Case") throw new Error("the walk registered no case")
    const closed = { ...state, stage: "closed" as const, region: Region.decodeSync("13.71") }
    // 31 July 20:00 UTC is already 1 August in Padang (WIB, UTC+7).
    const at = (iso: string) => ({ ...closed, stageSince: DateTime.makeUnsafe(iso) })
    expect(DataSubject.identityErasureDueOn(at("2025-07-31T20:00:00Z"))).toBe("2030-08-01")
    expect(DataSubject.identityErasureDueOn(at("2025-07-31T16:00:00Z"))).toBe("2030-07-31")
    expect(DataSubject.identityErasureDueOn(at("2024-02-29T05:00:00Z"), { identityYearsAfterClosure: 1 })).toBe(
      "2025-02-28"
    )
    expect(DataSubject.identityErasureDueOn({ ...closed, stage: "aftercare" })).toBeUndefined()
  })

  propTest.prop([walkArb(60), fc.integer({ min: 0, max: 30 })], { numRuns: runs(100) })(
    "a closed case is due for erasure the retention years after the local day of its closing event; an open one is not",
    (input, years) => {
      const { state, events } = walk(input)
      if (state._tag !== "Case") return
      const due = DataSubject.identityErasureDueOn(state, { identityYearsAfterClosure: years })
      if (state.stage !== "closed") {
        expect(due).toBeUndefined()
        return
      }
      const closing = events.findLast((e) => e.payload._tag === "StageChanged" && e.payload.to === "closed")
      if (closing === undefined) throw new Error("a closed case has a closing event")
      const local = new Date(
        DateTime.toEpochMillis(closing.occurredAt) + Region.timeZone(state.region).offsetHours * 3_600_000
      )
      const [y, m, d] = [local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate()]
      const expected = new Date(Date.UTC(y + years, m - 1, d))
      // A 29 February closing falls on 28 February in a common year.
      if (expected.getUTCMonth() !== m - 1) expected.setUTCDate(0)
      expect(due).toBe(expected.toISOString().slice(0, 10))
    }
  )

  it("refuses a retention policy that is not a whole number of years from 0 to 100, in code and in a policy file", () => {
    for (const years of [-1, 2.5, 101, Number.NaN]) {
      const checked = DataSubject.validateRetentionPolicy({ identityYearsAfterClosure: years })
      expect(Result.isFailure(checked) && checked.failure.message).toMatch(/PDP-RETENTION/)
      expect(Result.isFailure(Policy.validate(Policy.make({ retention: { identityYearsAfterClosure: years } })))).toBe(
        true
      )
    }
    const file = Policy.fromJson({ retention: { identityYearsAfterClosure: 10 } })
    expect(Result.isSuccess(file) && file.success.retention).toEqual({ identityYearsAfterClosure: 10 })
    expect(Result.isFailure(Policy.fromJson({ retention: { identityYearsAfterClosure: 101 } }))).toBe(true)
  })
})
