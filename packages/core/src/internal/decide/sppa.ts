/**
 * SPPA (UU 11/2012): proceedings and diversion, Pasal 21 decisions for children under 12, and detention. The
 * guards read the child's age only when it is known; the values behind it (a birth date, dates after it) are
 * checked once the guards are met, so a case without the SPPA role is refused for that first (SOP-08).
 */
import { Result } from "effect"
import * as CalendarDate from "../../CalendarDate.js"
import * as Guard from "../../Guard.js"
import * as Rejection from "../../Rejection.js"
import * as Sppa from "../../Sppa.js"
import { bad, draft, type Handler, ok, open, refuse } from "./Handler.js"

/** The child's age on each date, or why it cannot be known (no birth date, or a date before it). */
const agesOn = (
  input: Guard.Input<"RecordSppaProceeding" | "RecordPasal21Decision" | "RecordDetention">,
  dates: ReadonlyArray<CalendarDate.CalendarDate>
): Result.Result<ReadonlyArray<number>, Rejection.Rejection> => {
  const birthDate = input.state.subject.birthDate
  if (birthDate === undefined)
    return Result.fail(bad("birthDate", undefined, "SPPA age limits need the child's birth date"))
  const ages: Array<number> = []
  for (const date of dates) {
    const age = CalendarDate.ageOn(birthDate, date, input.policy.sppa.agePolicy)
    if (Result.isFailure(age)) return Result.fail(Rejection.fromInvalidInput(age.failure))
    ages.push(age.success)
  }
  return Result.succeed(ages)
}

export const RecordSppaProceeding: Handler<"RecordSppaProceeding"> = {
  stages: open,
  action: "work",
  forAdults: false,
  guards: [Guard.sppaRoleIsOffender, Guard.actAtProsecutableAge, Guard.diversionAttemptedWhenMandatory],
  produces: ["SppaProceedingRecorded"],
  decide: (input) => {
    const ages = agesOn(input, [input.command.actDate])
    if (Result.isFailure(ages)) return refuse(ages.failure)
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
  guards: [Guard.sppaRoleIsOffender, Guard.actUnderProsecutableAge, Guard.guidanceWithinMaximum],
  produces: ["Pasal21DecisionRecorded"],
  decide: (input) => {
    const ages = agesOn(input, [input.command.actDate])
    if (Result.isFailure(ages)) return refuse(ages.failure)
    const decision = input.command.decision
    if (decision._tag === "guidance" && !input.agencies.has(decision.at)) {
      return refuse(bad("decision.at", decision.at, "is not a known agency"))
    }
    return ok(draft({ _tag: "Pasal21DecisionRecorded", decision }, "SOP-08", Sppa.rule["SPPA-UNDER-12"]))
  }
}

export const RecordDetention: Handler<"RecordDetention"> = {
  stages: open,
  action: "work",
  forAdults: false,
  guards: [Guard.sppaRoleIsOffender, Guard.detentionActAtProsecutableAge, Guard.detentionAllowed],
  produces: ["DetentionRecorded"],
  decide: (input) => {
    const { command } = input
    const ages = agesOn(input, [command.actDate, command.on])
    if (Result.isFailure(ages)) return refuse(ages.failure)
    const [atAct = 0, atDetention = 0] = ages.success
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
