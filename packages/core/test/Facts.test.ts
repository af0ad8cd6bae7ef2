/**
 * The facts a decision reads about a case (internal: `internal/decide/facts.ts`): here, that the quick check the
 * decider makes before looking up a subject's date of adulthood never says "certainly a minor" of someone who is 18
 * by the exact date (SOP-09), whatever the age at the report, the region's time zone, the instants and the age
 * limit of the policy.
 */
import { fc, test as propTest } from "@fast-check/vitest"
import { DateTime } from "effect"
import { describe, expect, it } from "vitest"
import * as CalendarDate from "../src/CalendarDate.js"
import type * as Case from "../src/Case.js"
import { adultOn, certainlyMinor, isAdultNow, today } from "../src/internal/decide/facts.js"
import * as Policy from "../src/Policy.js"
import type * as Region from "../src/Region.js"
import { caseOf, cmd, emptyStory, people, step } from "./fixtures.js"
import { runs } from "./properties.js"

const DAY = 86_400_000

const registered = caseOf(
  step(
    emptyStory,
    people.padangIntake,
    "2025-01-06T02:00:00Z",
    cmd({
      _tag: "RegisterReport",
      caseId: "case-facts",
      subject: "subject-facts",
      sex: "female",
      ageAtReport: 10,
      region: "13.71",
      owner: "dinsos-13.71",
      source: "community",
      concerns: []
    })
  )
)

/** A child case reported at `reportedAt` in `region`, aged `age` then (no birth date known). */
const reportedAged = (age: number, reportedAt: DateTime.Utc, region: Region.RegionCode): Case.Case => ({
  ...registered,
  subject: { id: registered.subject.id, kind: "child", sex: "female", ageAtReport: age },
  reportedAt,
  region
})

const exactlyAdult = (state: Case.Case, now: DateTime.Utc, policy: Policy.Policy): boolean => {
  const on = adultOn(state, policy)
  return on !== undefined && CalendarDate.compare(today(state.region, now), on) >= 0
}

describe("certainlyMinor (the decider's quick SOP-09 check)", () => {
  const regions: ReadonlyArray<Region.RegionCode> = ["13.71", "64.71", "91.71"] as never
  propTest.prop(
    [
      fc.integer({ min: 0, max: 20 }),
      // Reports from 2000 to 2040, at any time of day.
      fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }),
      fc.constantFrom(...regions),
      fc.integer({ min: 12, max: 21 }),
      fc.constantFrom<CalendarDate.LeapDayBirthday>("march-1", "february-28"),
      // `now`: mostly within a fortnight of the approximate 18th birthday, sometimes anywhere in 25 years.
      fc.oneof(fc.integer({ min: -14 * DAY, max: 14 * DAY }), fc.integer({ min: -25 * 365 * DAY, max: 25 * 365 * DAY }))
    ],
    { numRuns: runs(2000) }
  )("never says a minor of someone who is an adult by the exact date", (age, reported, region, limit, leap, offset) => {
    const policy = Policy.make({
      sppa: { ...Policy.defaults.sppa, childAgeLimit: limit, agePolicy: { leapDayBirthday: leap } }
    })
    const state = reportedAged(age, DateTime.makeUnsafe(reported), region)
    const approximateBirthday = reported + Math.max(0, limit - age) * 365 * DAY
    const now = DateTime.makeUnsafe(Math.max(reported, approximateBirthday + offset))
    if (certainlyMinor(state, now, policy)) expect(exactlyAdult(state, now, policy)).toBe(false)
    expect(isAdultNow(state, now, policy)).toBe(exactlyAdult(state, now, policy))
  })

  it("answers for a child far from 18 and leaves the rest to the exact date", () => {
    const reported = DateTime.makeUnsafe("2025-01-06T02:00:00Z")
    const state = reportedAged(10, reported, "13.71" as never)
    expect(certainlyMinor(state, DateTime.makeUnsafe("2032-12-01T00:00:00Z"), Policy.defaults)).toBe(true)
    // Within a week of the 18th birthday (2033-01-06), the quick check does not answer; the exact date does.
    expect(certainlyMinor(state, DateTime.makeUnsafe("2033-01-01T00:00:00Z"), Policy.defaults)).toBe(false)
    expect(isAdultNow(state, DateTime.makeUnsafe("2033-01-05T16:59:59Z"), Policy.defaults)).toBe(false)
    expect(isAdultNow(state, DateTime.makeUnsafe("2033-01-05T17:00:00Z"), Policy.defaults)).toBe(true)
    // A known birth date is left to the exact date.
    const born = { ...state, subject: { ...state.subject, birthDate: CalendarDate.decodeSync("2015-01-06") } }
    expect(certainlyMinor(born, DateTime.makeUnsafe("2026-01-01T00:00:00Z"), Policy.defaults)).toBe(false)
  })
})
