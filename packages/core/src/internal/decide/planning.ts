/** Planning and intervention: the case plan, approvals, the start of intervention, services and plan reviews. */
import { Result } from "effect"
import * as CalendarDate from "../../CalendarDate.js"
import * as Guard from "../../Guard.js"
import * as Sop from "../../Sop.js"
import {
  approvalRequested,
  bad,
  type Decision,
  draft,
  type Handler,
  move,
  moveOnApproval,
  ok,
  open,
  refuse,
  unmet
} from "./Handler.js"
import { stopSharingAtClosure } from "./sharing.js"

export const ProposePlan: Handler<"ProposePlan"> = {
  stages: ["planning", "intervention", "reintegration"],
  action: "work",
  forAdults: false,
  validate: ({ state, command, agencies }) => {
    if (state.plans[command.plan.id] !== undefined) return bad("plan.id", command.plan.id, "is already used")
    const conference = command.plan.conference
    if (conference !== undefined && state.conferences[conference] === undefined) {
      return bad("plan.conference", conference, "is not a case conference of this case")
    }
    const unknown = command.plan.items.find((item) => !agencies.has(item.responsible))
    return unknown === undefined
      ? undefined
      : bad("plan.items.responsible", unknown.responsible, "is not a known agency")
  },
  guards: [Guard.planHasRiskLevel],
  produces: ["PlanProposed", "PlanAdopted", "ApprovalRequested"],
  cites: ["SOP-02", "SOP-03"],
  decide: (input) => {
    const { state, command } = input
    const level = state.risk?.effective
    if (level === undefined) return unmet(Guard.planHasRiskLevel, input)
    const proposed = draft({ _tag: "PlanProposed", plan: command.plan }, "SOP-02")
    if (level === "rendah") return ok(proposed, draft({ _tag: "PlanAdopted", plan: command.plan.id }, "SOP-02"))
    if (state.approvals[command.approval] !== undefined) {
      return refuse(bad("approval", command.approval, "is already used in this case"))
    }
    return ok(
      proposed,
      approvalRequested(
        command.approval,
        { _tag: "plan", plan: command.plan.id },
        `case plan for a ${level}-risk case`,
        "SOP-02",
        "SOP-03"
      )
    )
  }
}

export const DecideApproval: Handler<"DecideApproval"> = {
  stages: open,
  action: "approve",
  forAdults: true,
  validate: ({ state, command }) => {
    const approval = state.approvals[command.approval]
    if (approval === undefined) return bad("approval", command.approval, "does not exist in this case")
    if (approval.status !== "pending") return bad("approval", command.approval, `was already ${approval.status}`)
    if (command.decision === "approved" && approval.subject._tag === "placement") {
      const placement = state.placements[approval.subject.placement]
      if (placement?.status !== "pending-approval") {
        return bad("approval", approval.id, `placement ${approval.subject.placement} is no longer pending`)
      }
    }
    return undefined
  },
  guards: [
    Guard.notOwnRequest,
    Guard.approverHoldsOffice,
    Guard.terminationReasonFitsAge,
    Guard.goalsMetAfterIntervention,
    Guard.tinggiEndsAfterRendah,
    Guard.riskLoweringStillCurrent,
    Guard.planApprovalIsCurrent,
    Guard.emergencyPlacementBeforeIntervention
  ],
  produces: ["ApprovalDecided", "ReferralUpdated", "TransferUpdated", "StageChanged"],
  cites: ["SOP-03", "SOP-07", ...Sop.transition("terminate").rules, ...Sop.transition("close-early").rules],
  decide: ({ state, command }): Decision => {
    const approval = state.approvals[command.approval]
    if (approval === undefined) return refuse(bad("approval", command.approval, "does not exist in this case"))
    const decided = draft(
      { _tag: "ApprovalDecided", approval: approval.id, decision: command.decision, reason: command.reason },
      "SOP-03"
    )
    if (command.decision === "rejected") return ok(decided)
    const subject = approval.subject
    if (subject._tag !== "termination" && subject._tag !== "early-closure") return ok(decided)
    const moved = moveOnApproval(
      state,
      subject._tag === "termination" ? "terminate" : "close-early",
      subject._tag,
      subject.reason
    )
    if (Result.isFailure(moved)) return refuse(moved.failure)
    // An early closure ends the case's sharing too (SOP-07), as `CloseCase` does.
    return subject._tag === "early-closure"
      ? ok(decided, ...stopSharingAtClosure(state), moved.success)
      : ok(decided, moved.success)
  }
}

export const StartIntervention: Handler<"StartIntervention"> = {
  stages: Sop.transition("start-intervention").from,
  transition: "start-intervention",
  action: "work",
  forAdults: false,
  guards: [Guard.planApproved, Guard.planApprovalFitsRisk],
  produces: ["StageChanged"],
  cites: [],
  decide: ({ state }) => ok(move(state, "start-intervention"))
}

export const RecordService: Handler<"RecordService"> = {
  stages: ["intervention", "reintegration", "aftercare"],
  action: "work",
  // A referral recipient records the services it delivers.
  actionOutsideOwner: "respond-referral",
  forAdults: false,
  guards: [Guard.serviceInApprovedPlan, Guard.recipientRecordsOwnServices],
  produces: ["ServiceDelivered"],
  cites: ["SOP-02"],
  decide: ({ command, agencies, today }) => {
    if (!agencies.has(command.provider)) return refuse(bad("provider", command.provider, "is not a known agency"))
    if (CalendarDate.compare(command.deliveredOn, today) > 0) {
      return refuse(bad("deliveredOn", command.deliveredOn, "lies in the future"))
    }
    return ok(
      draft(
        {
          _tag: "ServiceDelivered",
          component: command.component,
          provider: command.provider,
          deliveredOn: command.deliveredOn
        },
        "SOP-02"
      )
    )
  }
}

export const RecordCaseConference: Handler<"RecordCaseConference"> = {
  stages: open,
  action: "work",
  forAdults: true,
  validate: ({ state, command, today, agencies }) => {
    const c = command.conference
    if (state.conferences[c.id] !== undefined) return bad("conference.id", c.id, "is already used")
    if (CalendarDate.compare(c.heldOn, today) > 0) return bad("conference.heldOn", c.heldOn, "lies in the future")
    const unknown = c.participants.find((p) => !agencies.has(p.agency))
    if (unknown !== undefined) return bad("conference.participants.agency", unknown.agency, "is not a known agency")
    if (c.followUps.some((f) => f.doneOn !== undefined)) {
      return bad("conference.followUps.doneOn", undefined, "a follow-up is done later, with CompleteConferenceFollowUp")
    }
    const early = c.followUps.find((f) => CalendarDate.compare(f.dueOn, c.heldOn) < 0)
    return early === undefined
      ? undefined
      : bad("conference.followUps.dueOn", early.dueOn, `comes before the conference on ${c.heldOn}`)
  },
  guards: [Guard.conferenceMultidisciplinary, Guard.followUpOwnersTookPart],
  produces: ["CaseConferenceRecorded"],
  cites: ["SOP-CONFERENCE"],
  decide: ({ command }) =>
    ok(draft({ _tag: "CaseConferenceRecorded", conference: command.conference }, "SOP-CONFERENCE"))
}

export const CompleteConferenceFollowUp: Handler<"CompleteConferenceFollowUp"> = {
  stages: open,
  action: "work",
  forAdults: true,
  validate: ({ state, command, today }) => {
    if (CalendarDate.compare(command.doneOn, today) > 0) return bad("doneOn", command.doneOn, "lies in the future")
    const heldOn = state.conferences[command.conference]?.heldOn
    return heldOn !== undefined && CalendarDate.compare(command.doneOn, heldOn) < 0
      ? bad("doneOn", command.doneOn, `comes before the conference on ${heldOn}`)
      : undefined
  },
  guards: [Guard.conferenceFollowUpOpen],
  produces: ["ConferenceFollowUpCompleted"],
  cites: ["SOP-CONFERENCE", "SOP-11"],
  decide: ({ command }) =>
    ok(
      draft(
        {
          _tag: "ConferenceFollowUpCompleted",
          conference: command.conference,
          followUp: command.followUp,
          doneOn: command.doneOn
        },
        "SOP-CONFERENCE",
        "SOP-11"
      )
    )
}

export const ReviewPlan: Handler<"ReviewPlan"> = {
  stages: ["intervention", "reintegration"],
  action: "work",
  forAdults: false,
  guards: [],
  produces: ["PlanReviewed"],
  cites: ["SOP-11"],
  decide: ({ command }) => ok(draft({ _tag: "PlanReviewed", outcome: command.outcome }, "SOP-11"))
}
