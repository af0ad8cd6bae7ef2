/** Intake: registering a report, assigning caseworkers, outreach and first contact. */
import { Result } from "effect"
import * as Agency from "../../Agency.js"
import * as CalendarDate from "../../CalendarDate.js"
import type * as Case from "../../Case.js"
import * as CaseModel from "../../CaseModel.js"
import * as Guard from "../../Guard.js"
import * as Sop from "../../Sop.js"
import { notShown } from "../show.js"
import { bad, draft, type Handler, move, ok, open, refuse } from "./Handler.js"

export const RegisterReport: Handler<"RegisterReport", Case.State> = {
  stages: [],
  action: "register",
  forAdults: true,
  validate: ({ command, agencies }) => {
    // The ids of a new case and subject are pseudonyms (neither value is repeated: it may be the identity itself).
    const caseId = CaseModel.pseudonymProblem(command.caseId)
    if (caseId !== undefined) return bad("caseId", notShown, caseId)
    const subject = CaseModel.pseudonymProblem(command.subject)
    if (subject !== undefined) return bad("subject", notShown, subject)
    const owner = agencies.get(command.owner)
    if (owner === undefined) return bad("owner", command.owner, "is not a known agency")
    if (!Agency.canOwnCases(owner)) {
      return bad("owner", command.owner, `cannot own cases: only ${Agency.ownersLabel} can`)
    }
    return undefined
  },
  guards: [Guard.ownerServesRegion],
  produces: ["ReportRegistered"],
  cites: ["SOP-07", "SOP-10"],
  decide: ({ command, policy, today }) => {
    let age = command.ageAtReport
    if (command.birthDate !== undefined) {
      // A birth date after the report is refused before any age is computed (no error object is built).
      const computed =
        CalendarDate.compare(command.birthDate, today) > 0
          ? undefined
          : Result.getOrUndefined(CalendarDate.ageOn(command.birthDate, today, policy.sppa.agePolicy))
      // A rejection repeats neither the birth date nor an age (they travel in problem bodies and logs): the values of
      // these fields are not shown (`Rejection.invalid`), and the reason names no age.
      if (computed === undefined)
        return refuse(bad("birthDate", command.birthDate, "lies after the date of the report"))
      if (age !== undefined && age !== computed) {
        return refuse(bad("ageAtReport", age, "contradicts the birth date given"))
      }
      age = computed
    }
    // Child-first: a report about a person of unknown age is a child case until an assessment says otherwise.
    const subjectKind = age !== undefined && age >= policy.sppa.childAgeLimit ? "adult" : "child"
    return ok(
      draft(
        {
          _tag: "ReportRegistered",
          subject: command.subject,
          subjectKind,
          sex: command.sex,
          ...(command.birthDate === undefined ? {} : { birthDate: command.birthDate }),
          ...(command.ageAtReport === undefined ? {} : { ageAtReport: command.ageAtReport }),
          region: command.region,
          owner: command.owner,
          source: command.source,
          concerns: command.concerns
        },
        "SOP-07",
        "SOP-10"
      )
    )
  }
}

export const AssignCaseworker: Handler<"AssignCaseworker"> = {
  stages: open,
  action: "assign",
  forAdults: true,
  validate: ({ state, command }) =>
    state.assigned.includes(command.caseworker)
      ? bad("caseworker", command.caseworker, "is already assigned to the case")
      : undefined,
  guards: [Guard.assigneeIsActiveStaff],
  produces: ["CaseworkerAssigned"],
  cites: ["SOP-07"],
  decide: ({ command }) => ok(draft({ _tag: "CaseworkerAssigned", caseworker: command.caseworker }, "SOP-07"))
}

export const UnassignCaseworker: Handler<"UnassignCaseworker"> = {
  stages: open,
  action: "assign",
  forAdults: true,
  validate: ({ state, command }) =>
    state.assigned.includes(command.caseworker)
      ? undefined
      : bad("caseworker", command.caseworker, "is not assigned to the case"),
  guards: [],
  produces: ["CaseworkerUnassigned"],
  cites: ["SOP-07"],
  decide: ({ command }) => ok(draft({ _tag: "CaseworkerUnassigned", caseworker: command.caseworker }, "SOP-07"))
}

export const StartOutreach: Handler<"StartOutreach"> = {
  stages: Sop.transition("start-outreach").from,
  transition: "start-outreach",
  action: "work",
  forAdults: false,
  guards: [],
  produces: ["StageChanged"],
  cites: [],
  decide: ({ state }) => ok(move(state, "start-outreach"))
}

export const RecordFirstContact: Handler<"RecordFirstContact"> = {
  stages: Sop.transition("reach-child").from,
  transition: "reach-child",
  action: "work",
  forAdults: false,
  guards: [],
  produces: ["FirstContactRecorded", "StageChanged"],
  cites: ["SOP-11"],
  decide: ({ state, command, now }) =>
    ok(
      draft({ _tag: "FirstContactRecorded", contactedAt: command.occurredAt ?? now }, "SOP-11"),
      move(state, "reach-child")
    )
}
