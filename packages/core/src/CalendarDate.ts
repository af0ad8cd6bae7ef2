/**
 * Calendar dates (`YYYY-MM-DD`, no time, no zone) and exact ages. A birth date, the date of an act, the date a
 * hearing starts are calendar dates; SPPA's age limits (12, 14, 18, 21) and a child reaching 18 during a case are
 * decided on them, by whole years, counted exactly from the birthday.
 *
 * A person born on 29 February has their birthday in a common year on 1 March by default (they are not a year
 * older before the 28th is over); {@link AgePolicy} lets a deployment choose 28 February instead. No Indonesian
 * rule on this was found: it is a policy default.
 *
 * @example
 * ```ts
 * import { CalendarDate } from "@lindung/core"
 *
 * const born = CalendarDate.decodeSync("2008-02-29")
 * CalendarDate.ageOn(born, CalendarDate.decodeSync("2026-02-28")) // Result.succeed(17)
 * CalendarDate.ageOn(born, CalendarDate.decodeSync("2026-03-01")) // Result.succeed(18)
 * ```
 *
 * @since 0.1.0
 */
import { DateTime, Result, Schema } from "effect"
import * as Basis from "./Basis.js"
import * as Input from "./Input.js"

const SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/

/** Whether a year of the Gregorian calendar is a leap year. */
export const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0

/** The number of days in a month (1–12) of a year. */
export const daysInMonth = (year: number, month: number): number =>
  month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31

/** The earliest and latest years accepted: wide enough for any living person and any case deadline. */
export const MIN_YEAR = 1900
export const MAX_YEAR = 2199

/**
 * Says what is wrong with a would-be calendar date, or `undefined` when it is a real date. The answer never repeats the
 * date, nor any part of it (it may be a birth date).
 */
export const problem = (input: string): string | undefined => {
  const match = SHAPE.exec(input)
  if (match === null) return "a calendar date has the shape YYYY-MM-DD"
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  if (year < MIN_YEAR || year > MAX_YEAR) return `the year must be between ${MIN_YEAR} and ${MAX_YEAR}`
  if (month < 1 || month > 12) return "the month must be between 01 and 12"
  const last = daysInMonth(year, month)
  // The date is not repeated: it may be a birth date.
  if (day < 1 || day > last) return "the day does not exist in that month"
  return undefined
}

/** A real date of the Gregorian calendar, `YYYY-MM-DD`. Impossible dates (`2023-02-29`) are rejected. */
export const CalendarDate = Schema.String.pipe(
  Schema.check(
    Schema.isPattern(/^\d{4}-\d{2}-\d{2}$/u, { message: "a calendar date has the shape YYYY-MM-DD" }),
    Schema.makeFilter((input: string) => problem(input) ?? true)
  ),
  Schema.brand("CalendarDate"),
  Schema.annotate({
    identifier: "CalendarDate",
    title: "Calendar date",
    description: "A real date of the Gregorian calendar, YYYY-MM-DD, without time or zone"
  })
)

/** See {@link CalendarDate}. */
export type CalendarDate = typeof CalendarDate.Type

/** Checks a string and returns the date, or an {@link Input.InvalidInput} that says what is wrong. */
export const parse = (input: string, field = "date"): Result.Result<CalendarDate, Input.InvalidInput> => {
  const reason = problem(input)
  return reason === undefined ? Result.succeed(input as CalendarDate) : Input.fail(field, input, reason)
}

/** Like {@link parse}, but throws. For literals in code and tests. */
export const decodeSync = (input: string): CalendarDate => {
  const result = parse(input)
  if (Result.isFailure(result)) throw result.failure
  return result.success
}

/** Year, month (1–12) and day of a date. */
export const parts = (date: CalendarDate): { readonly year: number; readonly month: number; readonly day: number } => {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number]
  return { year, month, day }
}

const fromParts = (year: number, month: number, day: number): CalendarDate =>
  `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}` as CalendarDate

/** Dates compare as strings because the shape is fixed-width. */
export const compare = (left: CalendarDate, right: CalendarDate): -1 | 0 | 1 =>
  left === right ? 0 : left < right ? -1 : 1

/** Adds (or, when negative, subtracts) whole days. */
export const addDays = (date: CalendarDate, days: number): CalendarDate => {
  const { year, month, day } = parts(date)
  const shifted = new Date(Date.UTC(year, month - 1, day + days))
  return fromParts(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, shifted.getUTCDate())
}

/**
 * Adds whole months; a day that does not exist in the target month becomes that month's last day
 * (`2024-08-31` + 6 months = `2025-02-28`).
 */
export const addMonths = (date: CalendarDate, months: number): CalendarDate => {
  const { year, month, day } = parts(date)
  const index = year * 12 + (month - 1) + months
  const targetYear = Math.floor(index / 12)
  const targetMonth = (index % 12) + 1
  return fromParts(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)))
}

/** When a person born on 29 February has their birthday in a common year. */
export const LeapDayBirthday = Schema.Literals(["march-1", "february-28"])

/** See {@link LeapDayBirthday}. */
export type LeapDayBirthday = typeof LeapDayBirthday.Type

/** How ages are counted; a typed, overridable policy. */
export interface AgePolicy {
  readonly leapDayBirthday: LeapDayBirthday
}

/** The default age policy: a 29 February birthday falls on 1 March in common years. */
export const defaultAgePolicy: AgePolicy = { leapDayBirthday: "march-1" }

/** The basis of {@link defaultAgePolicy}. */
export const agePolicyBasis: Basis.Basis = Basis.policyDefault(
  "Lindung age policy",
  undefined,
  "no Indonesian rule on 29 February birthdays was found; 1 March is the common-law convention"
)

/**
 * Age in whole years on a date: the number of birthdays that have passed by the end of `on`.
 * Fails with an {@link Input.InvalidInput} when `on` is before `birth`.
 */
export const ageOn = (
  birth: CalendarDate,
  on: CalendarDate,
  policy: AgePolicy = defaultAgePolicy
): Result.Result<number, Input.InvalidInput> => {
  if (compare(on, birth) < 0) {
    // The birth date is not repeated: the message may reach a problem body or a log.
    return Input.fail("date", on, "is before the birth date: an age cannot be negative")
  }
  return Result.succeed(completedYears(birth, on, policy))
}

const completedYears = (birth: CalendarDate, on: CalendarDate, policy: AgePolicy): number => {
  const b = parts(birth)
  const o = parts(on)
  let years = o.year - b.year
  // This year's birthday, moved for a 29 February birth in a common year.
  let month = b.month
  let day = b.day
  if (b.month === 2 && b.day === 29 && !isLeapYear(o.year)) {
    if (policy.leapDayBirthday === "march-1") {
      month = 3
      day = 1
    } else {
      day = 28
    }
  }
  if (o.month < month || (o.month === month && o.day < day)) years -= 1
  return years
}

/** The date on which a person born on `birth` reaches `years` of age. */
export const dateOfAge = (birth: CalendarDate, years: number, policy: AgePolicy = defaultAgePolicy): CalendarDate => {
  const b = parts(birth)
  const year = b.year + years
  if (b.month === 2 && b.day === 29 && !isLeapYear(year)) {
    return policy.leapDayBirthday === "march-1" ? fromParts(year, 3, 1) : fromParts(year, 2, 28)
  }
  return fromParts(year, b.month, b.day)
}

/** The calendar date of an instant in a zone `offsetHours` from UTC (Indonesia: 7, 8 or 9). */
export const fromInstant = (instant: DateTime.Utc, offsetHours: number): CalendarDate => {
  const shifted = new Date(DateTime.toEpochMillis(instant) + offsetHours * 3_600_000)
  return fromParts(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, shifted.getUTCDate())
}

/** The instant a date starts in a zone `offsetHours` from UTC. */
export const startInstant = (date: CalendarDate, offsetHours: number): DateTime.Utc => {
  const { year, month, day } = parts(date)
  return DateTime.makeUnsafe(Date.UTC(year, month - 1, day) - offsetHours * 3_600_000)
}
