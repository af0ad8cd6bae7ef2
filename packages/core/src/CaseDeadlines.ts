/**
 * The deadlines of one case (SOP-11): from its state, the deadline policy and the current instant, which items are
 * due and which are overdue, the next due instant (storage indexes it for work lists), and the escalations a
 * missed deadline calls for — to the supervisor first, then, after a further policy interval, to the head of the
 * dinas. Every due instant derives from the policy and the case's current risk level; before an assessment, the
 * level computed from the concerns named in the report applies.
 *
 * @example
 * ```ts
 * import { CaseDeadlines } from "@lindung/core"
 *
 * const items = CaseDeadlines.items(state, now)
 * items.filter((item) => item.overdue) // what to chase today
 * ```
 *
 * @since 0.1.0
 */
import { DateTime, Duration, Option } from "effect"
import * as CalendarDate from "./CalendarDate.js"
import * as Case from "./Case.js"
import type * as CaseModel from "./CaseModel.js"
import * as Policy from "./Policy.js"
import * as Region from "./Region.js"
import * as Risk from "./Risk.js"

/** The policies deadlines read: a `Policy.Policy` (the whole of it, given once) or just these parts. */
export type Policies = Pick<Policy.Policy, "deadlines" | "escalation" | "risk">

/** A deadline of a case. */
export interface Item {
  readonly kind: CaseModel.DeadlineKind
  readonly dueAt: DateTime.Utc
  readonly overdue: boolean
  /** The risk level the deadline was computed with. */
  readonly level: Risk.Level
  /** The placement awaiting approval, for an `emergency-placement-approval` deadline: one deadline per placement. */
  readonly placement?: CaseModel.PlacementId
}

/** The level deadlines use: the case's effective risk, or before any assessment the level of the report's concerns. */
export const levelOf = (state: Case.Case, policy: Policies = Policy.defaults): Risk.Level =>
  state.risk?.effective ?? Risk.computedLevel(state.concerns, policy.risk)

/** The start of a local day in the case's region. */
const startOfDay = (state: Case.Case, date: CalendarDate.CalendarDate): DateTime.Utc =>
  CalendarDate.startInstant(date, Region.timeZone(state.region).offsetHours)

/**
 * The end of a local day in the case's region: where a clock counted in days (hari) starts, on the day after its
 * event. A clock counted in hours (3 x 24 jam) starts at the start of the day its request was received — the
 * records hold the date, not the hour, and the earlier start never gives more time than the law does.
 */
const endOfDay = (state: Case.Case, date: CalendarDate.CalendarDate): DateTime.Utc =>
  startOfDay(state, CalendarDate.addDays(date, 1))

/**
 * The open deadlines of a case at `now`, overdue or not, in the order they fall due. A closed case has only the
 * clock of an unanswered data-subject request.
 */
export const items = (
  state: Case.State,
  now: DateTime.Utc,
  policy: Policies = Policy.defaults
): ReadonlyArray<Item> => {
  if (state._tag === "Empty") return []
  const level = levelOf(state, policy)
  const found: Array<Item> = []
  const add = (
    kind: CaseModel.DeadlineKind,
    from: DateTime.Utc,
    duration: Duration.Duration,
    placement?: CaseModel.PlacementId
  ) => {
    const dueAt = DateTime.addDuration(from, duration)
    found.push({
      kind,
      dueAt,
      overdue: DateTime.isGreaterThan(now, dueAt),
      level,
      ...(placement === undefined ? {} : { placement })
    })
  }
  const durations = policy.deadlines
  // A data-subject request is answered within its time limit, also once the case is closed (UU 27/2022 Pasal 30,
  // 32): the earliest open request has the clock (one escalation per due instant).
  const open = Object.values(state.dataSubjectRequests).filter((request) => request.answeredOn === undefined)
  const earliest = open.sort((a, b) => CalendarDate.compare(a.receivedOn, b.receivedOn))[0]
  if (earliest !== undefined) {
    add("data-subject-request", startOfDay(state, earliest.receivedOn), durations["data-subject-request"][level])
  }
  if (state.stage === "closed") return found
  if (state.assigned.length === 0) {
    add("unassigned-alert", state.unassignedSince ?? state.reportedAt, durations["unassigned-alert"][level])
  }
  if (state.firstContactAt === undefined && (state.stage === "reported" || state.stage === "outreach")) {
    // A case reopened before the child was reached: from the reopening, as from a new report.
    add("first-contact", state.reopening?.at ?? state.reportedAt, durations["first-contact"][level])
  }
  if (state.stage === "assessment") add("assessment", state.stageSince, durations.assessment[level])
  if (state.stage === "planning" && Case.approvedPlan(state) === undefined) {
    add("case-plan", state.stageSince, durations["case-plan"][level])
  }
  if (state.stage === "intervention" || state.stage === "reintegration") {
    add("review", state.lastReviewAt ?? state.stageSince, durations.review[level])
  }
  if (state.stage === "aftercare") add("follow-up", state.lastReviewAt ?? state.stageSince, durations.review[level])
  // The Pasal 21 decision goes to the court within its clock (UU 11/2012 Pasal 21 ayat (2)).
  if (state.sppa.pasal21DecidedAt !== undefined && state.sppa.pasal21SubmittedOn === undefined) {
    add("pasal21-court-submission", state.sppa.pasal21DecidedAt, durations["pasal21-court-submission"][level])
  }
  // The diversion clocks of the level the case is at (UU 11/2012 Pasal 29, 42, 52, 12): a later level ends the
  // clocks of the one before. A clock that starts on a date runs from the end of that local day.
  const sppa = state.sppa.levels.at(-1)
  if (sppa !== undefined) {
    const endOf = (date: CalendarDate.CalendarDate) => endOfDay(state, date)
    if (sppa.diversionMandatory && sppa.diversionStartedOn === undefined) {
      add("diversion-attempt", endOf(sppa.startedOn), durations["diversion-attempt"][level])
    } else if (sppa.diversionStartedOn !== undefined && sppa.outcome === undefined) {
      add("diversion-conclusion", endOf(sppa.diversionStartedOn), durations["diversion-conclusion"][level])
    } else if (
      // An agreement not carried out has no more clocks: the proceedings go on at the next level (Pasal 13 huruf b).
      sppa.notCarriedOutOn === undefined &&
      sppa.outcome === "agreement" &&
      sppa.submittedOn === undefined &&
      sppa.diversionConcludedOn !== undefined
    ) {
      add(
        "diversion-court-submission",
        endOf(sppa.diversionConcludedOn),
        durations["diversion-court-submission"][level]
      )
    } else if (sppa.notCarriedOutOn === undefined && sppa.submittedOn !== undefined && sppa.confirmedOn === undefined) {
      add("diversion-confirmation", endOf(sppa.submittedOn), durations["diversion-confirmation"][level])
    }
  }
  // The Litmas asked of a Bapas, until it is received (UU 11/2012 Pasal 28).
  const litmas = state.sppa.litmas.at(-1)
  if (litmas !== undefined && litmas.receivedOn === undefined) {
    add("litmas", startOfDay(state, litmas.requestedOn), durations.litmas[level])
  }
  // The follow-ups case conferences set, due at the end of the day set (SOP-CONFERENCE): the earliest open one has
  // the clock (one escalation per due instant).
  const followUp = Object.values(state.conferences)
    .flatMap((conference) => conference.followUps)
    .filter((f) => f.doneOn === undefined)
    .sort((a, b) => CalendarDate.compare(a.dueOn, b.dueOn))[0]
  if (followUp !== undefined) add("conference-follow-up", endOfDay(state, followUp.dueOn), Duration.zero)
  for (const placement of Object.values(state.placements)) {
    if (placement.emergency && placement.status === "pending-approval") {
      add(
        "emergency-placement-approval",
        placement.requestedAt,
        durations["emergency-placement-approval"][level],
        placement.id
      )
    }
  }
  return found.sort((a, b) => DateTime.Order(a.dueAt, b.dueAt))
}

/** The earliest due instant of a case, if any: what storage indexes for "overdue" work lists. */
export const nextDue = (state: Case.State, policy: Policies = Policy.defaults): Option.Option<DateTime.Utc> => {
  // `overdue` does not matter here; any instant serves as `now`.
  const open = items(state, DateTime.makeUnsafe(0), policy)
  const first = open[0]
  return first === undefined ? Option.none() : Option.some(first.dueAt)
}

/**
 * An escalation that is due: the overdue item and whom to tell (once made, it is recorded in the case as a
 * `Case.Escalation`).
 */
export interface DueEscalation {
  readonly item: Item
  readonly escalateTo: "supervisor" | "head-of-dinas"
}

/** An escalation a case has not had yet: its item, its recipient, and the instant after which it is due. */
interface Owed extends DueEscalation {
  readonly after: DateTime.Utc
}

/**
 * Every escalation a case has not had yet, due or not, item by item (the supervisor first): an item goes to the
 * supervisor once it is overdue, and to the head of the dinas once it is still overdue `toHeadAfter` later. Each
 * (deadline, placement, due instant, recipient) is escalated once; an escalation recorded before events named their
 * placement counts for every placement of that deadline and due instant.
 */
const owed = (state: Case.Case, now: DateTime.Utc, policy: Policies): ReadonlyArray<Owed> => {
  const done = (item: Item, to: DueEscalation["escalateTo"]) =>
    state.escalations.some(
      (e) =>
        e.deadline === item.kind &&
        DateTime.Equivalence(e.dueAt, item.dueAt) &&
        e.escalatedTo === to &&
        (e.placement === undefined || e.placement === item.placement)
    )
  const result: Array<Owed> = []
  for (const item of items(state, now, policy)) {
    if (!done(item, "supervisor")) result.push({ item, escalateTo: "supervisor", after: item.dueAt })
    if (!done(item, "head-of-dinas")) {
      const after = DateTime.addDuration(item.dueAt, policy.escalation.toHeadAfter)
      result.push({ item, escalateTo: "head-of-dinas", after })
    }
  }
  return result
}

/**
 * The escalations a case needs at `now` that it has not had yet: every overdue item goes to the supervisor; when
 * it is still overdue `toHeadAfter` later, to the head of the dinas. Each (deadline, placement, due instant,
 * recipient) is escalated once; an escalation recorded before events named their placement counts for every
 * placement of that deadline and due instant.
 */
export const escalations = (
  state: Case.State,
  now: DateTime.Utc,
  policy: Policies = Policy.defaults
): ReadonlyArray<DueEscalation> => {
  if (state._tag === "Empty") return []
  const result: Array<DueEscalation> = []
  for (const { item, escalateTo, after } of owed(state, now, policy)) {
    if (DateTime.isGreaterThan(now, after)) result.push({ item, escalateTo })
  }
  return result
}

/**
 * The instant after which the case's next escalation falls due (`escalations` gives it at any later instant and
 * none before): when the deadline scheduler must look at the case for its deadlines. `none` when every escalation
 * its deadlines call for is recorded — an overdue case escalated to the head of the dinas waits for its next event,
 * not for every pass of the scheduler.
 */
export const nextEscalation = (state: Case.State, policy: Policies = Policy.defaults): Option.Option<DateTime.Utc> => {
  if (state._tag === "Empty") return Option.none()
  let first: DateTime.Utc | undefined
  // `now` does not matter here: which escalations are owed, and after when, does not depend on it.
  for (const { after } of owed(state, DateTime.makeUnsafe(0), policy)) {
    if (first === undefined || DateTime.isLessThan(after, first)) first = after
  }
  return first === undefined ? Option.none() : Option.some(first)
}
