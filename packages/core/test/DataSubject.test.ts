/**
 * Data-subject rights and retention (UU 27/2022; issue 11): the retention policy is typed, overridable and checked
 * wherever it is accepted; a closed case's identity is due for erasure the retention years after its closing day.
 */
import { fc, test as propTest } from "@fast-check/vitest"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import * as CalendarDate from "../src/CalendarDate.js"
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

  propTest.prop([walkArb(60), fc.integer({ min: 0, max: 30 })], { numRuns: runs(100) })(
    "a closed case is due for erasure exactly the retention years after its closing day; an open case is not",
    (input, years) => {
      const state = walk(input).state
      if (state._tag !== "Case") return
      const due = DataSubject.identityErasureDueOn(state, { identityYearsAfterClosure: years })
      if (state.stage !== "closed") {
        expect(due).toBeUndefined()
        return
      }
      const closedOn = CalendarDate.fromInstant(state.stageSince, Region.timeZone(state.region).offsetHours)
      expect(due).toBeDefined()
      if (due === undefined) return
      const [y, m, d] = closedOn.split("-").map(Number) as [number, number, number]
      const [dy, dm, dd] = due.split("-").map(Number) as [number, number, number]
      expect(dy).toBe(y + years)
      expect(dm).toBe(m)
      // 29 February closes fall on 28 February in a common year.
      expect(dd === d || (m === 2 && d === 29 && dd === 28)).toBe(true)
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
