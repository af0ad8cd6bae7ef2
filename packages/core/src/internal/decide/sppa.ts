/**
 * SPPA (UU 11/2012): proceedings and diversion, Pasal 21 decisions for children under 12, and detention. The SPPA
 * role (or, for Pasal 21, the status anak-pasal-21) is checked first (SOP-08); then the values the age limits need
 * (a birth date, dates after it); then the guards on the age and the proceeding; then the rest of the values.
 */
import { Result } from "effect"
import * as CalendarDate from "../../CalendarDate.js"
import type * as Case from "../../Case.js"
import * as Guard from "../../Guard.js"
import * as Rejection from "../../Rejection.js"
import * as Sppa from "../../Sppa.js"
import { today } from "./facts.js"
import { bad, draft, type Handler, ok, open, refuse } from "./Handler.js"

type SppaInput = Guard.Input<"RecordSppaProceeding" | "RecordPasal21Decision" | "RecordDetention">

/**
 * Why the child's age cannot be known on each date (no birth date, or a date before it) — checked only for a case
 * whose SPPA role allows the command (`role` answers why not), so that any other case is refused for its role
 * first (SOP-08).
 */
const agesUnknown = (
  input: SppaInput,
  dates: ReadonlyArray<CalendarDate.CalendarDate>,
  role: () => string | undefined
): Rejection.Rejection | undefined => {
  if (role() !== undefined) return undefined
  const birthDate = input.state.subject.birthDate
  if (birthDate === undefined) return bad("birthDate", undefined, "SPPA age limits need the child's birth date")
  for (const date of dates) {
    const age = CalendarDate.ageOn(birthDate, date, input.policy.sppa.agePolicy)
    if (Result.isFailure(age)) return Rejection.fromInvalidInput(age.failure)
  }
  return undefined
}

/** The child's age on a date, once {@link agesUnknown} has passed. */
const ageOn = (input: SppaInput, date: CalendarDate.CalendarDate): number => {
  const birthDate = input.state.subject.birthDate
  const age = birthDate === undefined ? undefined : CalendarDate.ageOn(birthDate, date, input.policy.sppa.agePolicy)
  return age !== undefined && Result.isSuccess(age) ? age.success : Number.NaN
}

export const RecordSppaProceeding: Handler<"RecordSppaProceeding"> = {
  stages: open,
  action: "work",
  forAdults: false,
  validate: (input) => agesUnknown(input, [input.command.actDate], () => Guard.sppaRoleIsOffender.check(input)),
  guards: [Guard.sppaRoleIsOffender, Guard.actAtProsecutableAge, Guard.diversionAttemptedWhenMandatory],
  produces: ["SppaProceedingRecorded"],
  cites: ["SOP-08", Sppa.rule["SPPA-DIVERSION"]],
  decide: (input) => {
    const p = input.command.proceeding
    const diversion = Sppa.diversion(
      { threatenedPenaltyYears: p.threatenedPenaltyYears, repeatOffence: p.repeatOffence },
      input.policy.sppa
    )
    if (Result.isFailure(diversion)) return refuse(Rejection.fromInvalidInput(diversion.failure))
    if (!p.diversionAttempted && p.outcome !== "not-attempted") {
      return refuse(bad("proceeding.outcome", p.outcome, "is an outcome of diversion, which was not attempted"))
    }
    if (p.diversionAttempted && p.outcome === "not-attempted") {
      return refuse(bad("proceeding.outcome", p.outcome, "contradicts diversionAttempted"))
    }
    return ok(draft({ _tag: "SppaProceedingRecorded", proceeding: p }, "SOP-08", Sppa.rule["SPPA-DIVERSION"]))
  }
}

export const RecordPasal21Decision: Handler<"RecordPasal21Decision"> = {
  stages: open,
  action: "work",
  forAdults: false,
  validate: (input) =>
    input.state.sppa.pasal21 !== undefined
      ? bad("decision", input.command.decision, "a Pasal 21 decision is already recorded for this case")
      : agesUnknown(input, [input.command.actDate], () => Guard.pasal21StatusRecorded.check(input)),
  guards: [Guard.pasal21StatusRecorded, Guard.actUnderProsecutableAge, Guard.guidanceWithinMaximum],
  produces: ["Pasal21DecisionRecorded"],
  cites: ["SOP-08", Sppa.rule["SPPA-UNDER-12"]],
  decide: (input) => {
    const decision = input.command.decision
    if (decision._tag === "guidance" && !input.agencies.has(decision.at)) {
      return refuse(bad("decision.at", decision.at, "is not a known agency"))
    }
    return ok(
      draft(
        { _tag: "Pasal21DecisionRecorded", decision, tracksCourtSubmission: true },
        "SOP-08",
        Sppa.rule["SPPA-UNDER-12"]
      )
    )
  }
}

/** The local date of the Pasal 21 decision, when its clock is tracked. */
const decisionDate = (state: Case.Case): CalendarDate.CalendarDate | undefined =>
  state.sppa.pasal21DecidedAt === undefined ? undefined : today(state.region, state.sppa.pasal21DecidedAt)

export const ExtendPasal21Guidance: Handler<"ExtendPasal21Guidance"> = {
  stages: open,
  action: "work",
  forAdults: false,
  validate: ({ state, command, today }) => {
    if (CalendarDate.compare(command.evaluatedOn, today) > 0) {
      return bad("evaluatedOn", command.evaluatedOn, "lies in the future")
    }
    const decided = decisionDate(state)
    return decided !== undefined && CalendarDate.compare(command.evaluatedOn, decided) < 0
      ? bad("evaluatedOn", command.evaluatedOn, `comes before the Pasal 21 decision of ${decided}`)
      : undefined
  },
  guards: [Guard.pasal21GuidanceInForce, Guard.pasal21ExtensionWithinMaximum],
  produces: ["Pasal21GuidanceExtended"],
  cites: ["SOP-08", Sppa.rule["SPPA-UNDER-12"]],
  decide: ({ command }) =>
    ok(
      draft(
        {
          _tag: "Pasal21GuidanceExtended",
          months: command.months,
          evaluatedOn: command.evaluatedOn,
          reason: command.reason
        },
        "SOP-08",
        Sppa.rule["SPPA-UNDER-12"]
      )
    )
}

export const RecordPasal21CourtSubmission: Handler<"RecordPasal21CourtSubmission"> = {
  stages: open,
  action: "work",
  forAdults: true,
  validate: ({ state, command, today }) => {
    if (state.sppa.pasal21SubmittedOn !== undefined) {
      return bad("on", command.on, `the decision was already submitted on ${state.sppa.pasal21SubmittedOn}`)
    }
    if (CalendarDate.compare(command.on, today) > 0) return bad("on", command.on, "lies in the future")
    const decided = decisionDate(state)
    return decided !== undefined && CalendarDate.compare(command.on, decided) < 0
      ? bad("on", command.on, `comes before the Pasal 21 decision of ${decided}`)
      : undefined
  },
  guards: [Guard.pasal21DecisionMade],
  produces: ["Pasal21CourtSubmitted"],
  cites: ["SOP-08", "SOP-11"],
  decide: ({ command }) => ok(draft({ _tag: "Pasal21CourtSubmitted", on: command.on }, "SOP-08", "SOP-11"))
}

export const RecordDetention: Handler<"RecordDetention"> = {
  stages: open,
  action: "work",
  forAdults: false,
  validate: (input) =>
    agesUnknown(input, [input.command.actDate, input.command.on], () => Guard.sppaRoleIsOffender.check(input)),
  guards: [Guard.sppaRoleIsOffender, Guard.detentionActAtProsecutableAge, Guard.detentionAllowed],
  produces: ["DetentionRecorded"],
  cites: ["SOP-08", Sppa.rule["SPPA-DETENTION"]],
  decide: (input) => {
    const { command } = input
    const atAct = ageOn(input, command.actDate)
    const atDetention = ageOn(input, command.on)
    const check = Sppa.detention(
      { ageAtAct: atAct, ageNow: atDetention, threatenedPenaltyYears: command.threatenedPenaltyYears },
      input.policy.sppa
    )
    if (Result.isFailure(check)) return refuse(Rejection.fromInvalidInput(check.failure))
    return ok(
      draft(
        {
          _tag: "DetentionRecorded",
          threatenedPenaltyYears: command.threatenedPenaltyYears,
          ageAtDetention: atDetention
        },
        "SOP-08",
        Sppa.rule["SPPA-DETENTION"]
      )
    )
  }
}
