/** Assessment: recording an assessment and a safety plan, and completing the assessment. */
import { Result } from "effect"
import * as Case from "../../Case.js"
import * as Guard from "../../Guard.js"
import * as Risk from "../../Risk.js"
import * as Sop from "../../Sop.js"
import { approvalRequested, bad, draft, type Handler, move, ok, refuse, unmet } from "./Handler.js"
import { stopSharing } from "./sharing.js"

export const RecordAssessment: Handler<"RecordAssessment"> = {
  stages: ["assessment", "planning", "intervention", "reintegration", "aftercare"],
  action: "work",
  forAdults: false,
  guards: [
    Guard.adultHasNoAmpk,
    Guard.childPpksOnly,
    Guard.childInChildrenCluster,
    Guard.reassessmentKeepsCategory,
    Guard.riskOverrideHasReason
  ],
  produces: ["AssessmentRecorded", "ApprovalRequested", "ReferralUpdated", "TransferUpdated"],
  cites: ["SOP-01", Risk.rule["RISK-RED-FLAG"], "SOP-03", Risk.rule["RISK-LOWER-APPROVAL"], "SOP-06"],
  decide: (input) => {
    const { state, command, policy } = input
    const { computed, redFlags, score, sedangThreshold } = Risk.measure(command.factors, policy.risk)
    const decided = Risk.setLevel({ computed, chosen: command.chosenLevel ?? computed, reason: command.reason })
    // Checked by the guard riskOverrideHasReason already (so no error is built here).
    if (Result.isFailure(decided)) return unmet(Guard.riskOverrideHasReason, input)
    const decision = decided.success
    const recorded = draft(
      {
        _tag: "AssessmentRecorded",
        classification: command.classification,
        risk: { factors: command.factors, redFlags, score, sedangThreshold, decision }
      },
      "SOP-01",
      Risk.rule["RISK-RED-FLAG"]
    )
    // Sharing on a consent stops once the assessment names its giver as an alleged perpetrator (SOP-06), and sharing
    // left running on a lapsed consent by an earlier version stops too.
    const stopped = stopSharing(state, (consent) =>
      Case.consentLapsed(consent, command.classification.allegedPerpetrators)
    )
    if (!decision.needsSupervisorApproval) return ok(recorded, ...stopped)
    if (command.approval === undefined) {
      return refuse(
        bad("approval", undefined, "lowering the risk below the computed level needs an approval request id")
      )
    }
    if (state.approvals[command.approval] !== undefined) {
      return refuse(bad("approval", command.approval, "is already used in this case"))
    }
    return ok(
      recorded,
      approvalRequested(
        command.approval,
        { _tag: "risk-lowering", level: decision.chosen },
        decision.reason ?? "risk lowered",
        "SOP-03",
        Risk.rule["RISK-LOWER-APPROVAL"]
      ),
      ...stopped
    )
  }
}

export const RecordSafetyPlan: Handler<"RecordSafetyPlan"> = {
  stages: ["assessment", "planning", "intervention", "reintegration"],
  action: "work",
  forAdults: false,
  guards: [],
  produces: ["SafetyPlanRecorded"],
  cites: ["SOP-01"],
  decide: ({ command }) => ok(draft({ _tag: "SafetyPlanRecorded", measures: command.measures }, "SOP-01"))
}

export const CompleteAssessment: Handler<"CompleteAssessment"> = {
  stages: Sop.transition("complete-assessment").from,
  transition: "complete-assessment",
  action: "work",
  forAdults: false,
  guards: [
    Guard.assessmentHasCategory,
    Guard.assessmentHasRiskLevel,
    Guard.assessedSinceReopening,
    Guard.tinggiRiskHasSafetyPlan
  ],
  produces: ["StageChanged"],
  cites: [],
  decide: ({ state }) => ok(move(state, "complete-assessment"))
}
