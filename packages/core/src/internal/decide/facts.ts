/**
 * Facts a decision reads about a case at an instant: its local date, when its subject is an adult, and which
 * offices approve for its agency. Computed once per decision where it matters (see the caches).
 */
import { type DateTime, Result } from "effect"
import type * as Actor from "../../Actor.js"
import type * as Agency from "../../Agency.js"
import * as CalendarDate from "../../CalendarDate.js"
import type * as Case from "../../Case.js"
import * as DinasType from "../../DinasType.js"
import * as Policy from "../../Policy.js"
import * as Region from "../../Region.js"

/** The last local date computed, by instant and region: one decision asks for the same date several times. */
let lastToday: { instant: DateTime.Utc; region: Region.RegionCode; date: CalendarDate.CalendarDate } | undefined

/** The local date of `now` in a region (WIB, WITA or WIT). */
export const today = (region: Region.RegionCode, now: DateTime.Utc): CalendarDate.CalendarDate => {
  if (lastToday !== undefined && lastToday.instant === now && lastToday.region === region) return lastToday.date
  const date = CalendarDate.fromInstant(now, Region.timeZone(region).offsetHours)
  lastToday = { instant: now, region, date }
  return date
}

/** Adulthood dates already computed, by subject record (records are immutable values; the key checks the rest). */
const adulthood = new WeakMap<
  Case.SubjectRecord,
  {
    readonly policy: Policy.Policy
    readonly region: Region.RegionCode
    readonly reportedAt: DateTime.Utc
    readonly on: CalendarDate.CalendarDate | undefined
  }
>()

/**
 * The date a child case's subject is certainly 18: from the birth date, or — when only the age at the report is
 * known — the report date plus the years still missing (a person aged N on that date is certainly 18 then).
 */
export const adultOn = (
  state: Case.Case,
  policy: Policy.Policy = Policy.defaults
): CalendarDate.CalendarDate | undefined => {
  const known = adulthood.get(state.subject)
  return known !== undefined &&
    known.policy === policy &&
    known.region === state.region &&
    known.reportedAt === state.reportedAt
    ? known.on
    : rememberAdultOn(state, policy)
}

/** Computes and remembers a subject's date of adulthood (the rare path of {@link adultOn}). */
const rememberAdultOn = (state: Case.Case, policy: Policy.Policy): CalendarDate.CalendarDate | undefined => {
  const on = computeAdultOn(state, policy)
  adulthood.set(state.subject, { policy, region: state.region, reportedAt: state.reportedAt, on })
  return on
}

const computeAdultOn = (state: Case.Case, policy: Policy.Policy): CalendarDate.CalendarDate | undefined => {
  const limit = policy.sppa.childAgeLimit
  if (state.subject.birthDate !== undefined) {
    return CalendarDate.dateOfAge(state.subject.birthDate, limit, policy.sppa.agePolicy)
  }
  if (state.subject.ageAtReport === undefined) return undefined
  const reportedOn = CalendarDate.fromInstant(state.reportedAt, Region.timeZone(state.region).offsetHours)
  return CalendarDate.addMonths(reportedOn, 12 * Math.max(0, limit - state.subject.ageAtReport))
}

const DAY_MS = 86_400_000

/**
 * Whether a child case's subject is certainly not yet 18 at `now`, by arithmetic on instants alone (no calendar date,
 * no cache): only the age at the report is known, and fewer than (limit − age) × 365 − 7 days have passed since the
 * report. A year has at least 365 days, and the exact date ({@link adultOn}) comes at most a few days earlier than that
 * count (a month end clamped, the local date a day ahead of UTC); a week covers both. `false` says nothing.
 */
export const certainlyMinor = (state: Case.Case, now: DateTime.Utc, policy: Policy.Policy): boolean => {
  const { ageAtReport, birthDate } = state.subject
  if (ageAtReport === undefined || birthDate !== undefined) return false
  const years = policy.sppa.childAgeLimit - ageAtReport
  return years > 0 && now.epochMilliseconds < state.reportedAt.epochMilliseconds + (years * 365 - 7) * DAY_MS
}

/** Whether a child case's subject is 18 or older now (SOP-09). */
export const isAdultNow = (state: Case.Case, now: DateTime.Utc, policy: Policy.Policy = Policy.defaults): boolean => {
  if (state.subject.kind !== "child") return false
  if (state.adulthoodReachedOn !== undefined) return true
  if (certainlyMinor(state, now, policy)) return false
  const on = adultOn(state, policy)
  // Calendar dates compare as strings (their shape is fixed-width).
  return on !== undefined && today(state.region, now) >= on
}

/** The offices that approve for an agency, and the bidang a Kabid among them must head. */
interface Offices {
  readonly positions: ReadonlyArray<Actor.Position>
  /** When a `kabid` approves (rehabilitation shares a bidang): the code of the bidang they must head. */
  readonly bidang?: string | undefined
}

/**
 * The offices that approve rehabilitation decisions of an agency (DINAS-APPROVER), plus the head above them. A
 * Dinas Sosial whose type is not configured is approved by its Kadis only: without a type, no office below can be
 * trusted to hold the approving role.
 */
export const approvingPositions = (
  agency: Agency.Agency | undefined,
  structures: DinasType.StructurePolicy = DinasType.defaultStructurePolicy
): ReadonlyArray<Actor.Position> => officesOf(agency, structures).positions

/**
 * Whether an actor holds the approving office of an agency: one of its {@link approvingPositions} and, for a Kabid,
 * the head of the bidang that holds rehabilitation (a Kabid of another bidang of a type C or merged dinas does
 * not approve).
 */
export const holdsApprovingOffice = (
  actor: Actor.Actor,
  agency: Agency.Agency | undefined,
  structures: DinasType.StructurePolicy = DinasType.defaultStructurePolicy
): boolean => {
  const offices = officesOf(agency, structures)
  if (actor.position === undefined || !offices.positions.includes(actor.position)) return false
  return actor.position !== "kabid" || actor.bidang === offices.bidang
}

/** The bidang whose Kabid approves for an agency, when a Kabid approves. */
export const approvingBidang = (
  agency: Agency.Agency | undefined,
  structures: DinasType.StructurePolicy = DinasType.defaultStructurePolicy
): string | undefined => officesOf(agency, structures).bidang

const officesOf = (agency: Agency.Agency | undefined, structures: DinasType.StructurePolicy): Offices => {
  if (agency === undefined) return { positions: [] }
  const known = approvers.get(agency)
  if (known !== undefined && known.structures === structures) return known.offices
  const offices = computeOffices(agency, structures)
  approvers.set(agency, { structures, offices })
  return offices
}

/** Approving offices already computed, by agency record (records are immutable values; the key checks the policy). */
const approvers = new WeakMap<
  Agency.Agency,
  { readonly structures: DinasType.StructurePolicy; readonly offices: Offices }
>()

const computeOffices = (agency: Agency.Agency, structures: DinasType.StructurePolicy): Offices => {
  if (agency.kind !== "dinsos") return { positions: ["kepala-unit"] }
  if (agency.dinasType === undefined) return { positions: ["kadis"] }
  const structure = DinasType.structureOf(agency.dinasType, structures)
  if (Result.isFailure(structure)) return { positions: ["kadis"] }
  const approver = DinasType.approverRole(structure.success)
  if (approver.role === "kadis") return { positions: ["kadis"] }
  return approver.role === "kabid"
    ? { positions: ["kabid", "kadis"], bidang: approver.bidang }
    : { positions: [approver.role, "kadis"] }
}
