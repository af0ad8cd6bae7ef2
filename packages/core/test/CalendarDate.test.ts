import { fc, test as propTest } from "@fast-check/vitest"
import { DateTime, Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as CalendarDate from "../src/CalendarDate.js"
import { runs } from "./properties.js"

const d = CalendarDate.decodeSync
const age = (birth: string, on: string, policy?: CalendarDate.AgePolicy) =>
  Result.getOrThrow(CalendarDate.ageOn(d(birth), d(on), policy))

/** Any real date between 1950 and 2100, built from a day offset so every generated value exists. */
const arbitraryDate = fc
  .integer({ min: 0, max: 150 * 366 })
  .map((offset) => CalendarDate.addDays(d("1950-01-01"), offset))

describe("CalendarDate: parsing", () => {
  it("accepts real dates and rejects impossible ones with a reason", () => {
    expect(d("2024-02-29")).toBe("2024-02-29")
    const reason = (input: string) => {
      const result = CalendarDate.parse(input, "birthDate")
      if (Result.isSuccess(result)) throw new Error(`expected ${input} to be rejected`)
      expect(result.failure.field).toBe("birthDate")
      return result.failure.reason
    }
    // The date is never repeated, nor any part of it: it may be a birth date.
    expect(reason("2023-02-29")).toBe("the day does not exist in that month")
    expect(reason("2024-04-31")).toBe("the day does not exist in that month")
    expect(reason("2024-13-01")).toMatch(/month must be between 01 and 12/)
    expect(reason("2024-1-01")).toMatch(/shape YYYY-MM-DD/)
    expect(reason("1800-01-01")).toMatch(/year must be between/)
    expect(reason("1900-02-29")).toMatch(/does not exist/) // 1900 is not a leap year
    expect(d("2000-02-29")).toBe("2000-02-29") // 2000 is
  })

  propTest.prop(
    [fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 })],
    { numRuns: runs(300) }
  )("never repeats the date, nor its year, in what it says is wrong (it may be a birth date)", (year, month, day) => {
    const two = (n: number) => String(n).padStart(2, "0")
    const input = `${year}-${two(month)}-${two(day)}`
    const said = CalendarDate.problem(input)
    if (said === undefined) return
    expect(said).not.toContain(String(year))
    expect(said).not.toContain(`${two(month)}-${two(day)}`)
    expect(said).not.toMatch(/has \d+ days/)
  })

  it("rejects through the Schema too", () => {
    expect(Result.isFailure(Schema.decodeUnknownResult(CalendarDate.CalendarDate)("2023-02-29"))).toBe(true)
    expect(Schema.decodeUnknownSync(CalendarDate.CalendarDate)("2025-02-06")).toBe("2025-02-06")
  })

  propTest.prop([arbitraryDate])("every real date round-trips", (date) => {
    expect(CalendarDate.parse(date)).toEqual(Result.succeed(date))
  })
})

describe("CalendarDate: ages", () => {
  it("counts whole years to the exact birthday", () => {
    expect(age("2012-02-06", "2025-02-05")).toBe(12)
    expect(age("2012-02-06", "2024-02-05")).toBe(11)
    expect(age("2012-02-06", "2024-02-06")).toBe(12)
    expect(age("2012-02-06", "2012-02-06")).toBe(0)
  })

  it("puts a 29 February birthday on 1 March in common years by default, and on 28 February by choice", () => {
    expect(age("2008-02-29", "2026-02-28")).toBe(17)
    expect(age("2008-02-29", "2026-03-01")).toBe(18)
    expect(age("2008-02-29", "2028-02-29")).toBe(20)
    expect(age("2008-02-29", "2028-02-28")).toBe(19)
    expect(age("2008-02-29", "2026-02-28", { leapDayBirthday: "february-28" })).toBe(18)
    expect(age("2008-02-29", "2026-02-27", { leapDayBirthday: "february-28" })).toBe(17)
    expect(CalendarDate.dateOfAge(d("2008-02-29"), 18)).toBe("2026-03-01")
    expect(CalendarDate.dateOfAge(d("2008-02-29"), 18, { leapDayBirthday: "february-28" })).toBe("2026-02-28")
  })

  it("refuses an age on a date before birth", () => {
    const result = CalendarDate.ageOn(d("2012-02-06"), d("2011-12-31"))
    expect(Result.isFailure(result)).toBe(true)
    if (Result.isFailure(result))
      expect(result.failure.message).toMatch(/before the birth date: an age cannot be negative$/)
  })

  propTest.prop([arbitraryDate, fc.integer({ min: 1, max: 80 }), fc.constantFrom("march-1", "february-28")])(
    "a person is N on the day they reach N and N-1 the day before",
    (birth, years, leapDayBirthday) => {
      const policy = { leapDayBirthday } as const
      const birthday = CalendarDate.dateOfAge(birth, years, policy)
      expect(Result.getOrThrow(CalendarDate.ageOn(birth, birthday, policy))).toBe(years)
      expect(Result.getOrThrow(CalendarDate.ageOn(birth, CalendarDate.addDays(birthday, -1), policy))).toBe(years - 1)
    }
  )

  propTest.prop([arbitraryDate, arbitraryDate])("age never decreases as time passes", (a, b) => {
    const [birth, later] = CalendarDate.compare(a, b) <= 0 ? [a, b] : [b, a]
    const next = CalendarDate.addDays(later, 1)
    expect(Result.getOrThrow(CalendarDate.ageOn(birth, next))).toBeGreaterThanOrEqual(
      Result.getOrThrow(CalendarDate.ageOn(birth, later))
    )
  })
})

describe("CalendarDate: arithmetic and zones", () => {
  it("adds months, clamping to the end of the month", () => {
    expect(CalendarDate.addMonths(d("2024-08-31"), 6)).toBe("2025-02-28")
    expect(CalendarDate.addMonths(d("2023-08-31"), 6)).toBe("2024-02-29")
    expect(CalendarDate.addMonths(d("2025-01-15"), -1)).toBe("2024-12-15")
    expect(CalendarDate.addDays(d("2024-02-28"), 1)).toBe("2024-02-29")
    expect(CalendarDate.addDays(d("2025-01-01"), -1)).toBe("2024-12-31")
  })

  it("finds the local date of an instant in WIB, WITA and WIT", () => {
    const instant = DateTime.makeUnsafe("2025-02-05T16:30:00Z")
    expect(CalendarDate.fromInstant(instant, 7)).toBe("2025-02-05") // 23:30 WIB
    expect(CalendarDate.fromInstant(instant, 8)).toBe("2025-02-06") // 00:30 WITA
    expect(DateTime.formatIso(CalendarDate.startInstant(d("2025-02-06"), 7))).toBe("2025-02-05T17:00:00.000Z")
  })

  propTest.prop([arbitraryDate, fc.constantFrom(7, 8, 9)])(
    "a date's start instant lies on that date",
    (date, offset) => {
      expect(CalendarDate.fromInstant(CalendarDate.startInstant(date, offset), offset)).toBe(date)
    }
  )
})
