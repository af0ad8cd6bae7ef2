/** Placement: emergency and planned placements in a facility, and their end. */
import * as Guard from "../../Guard.js"
import { approvalRequested, bad, draft, type Handler, ok, open } from "./Handler.js"

export const RequestPlacement: Handler<"RequestPlacement"> = {
  // Emergency placements before intervention, planned ones from planning to reintegration (the guards say which).
  stages: ["reported", "outreach", "assessment", "planning", "intervention", "reintegration"],
  action: "work",
  forAdults: false,
  validate: ({ state, command, agencies }) => {
    if (state.placements[command.placement] !== undefined) return bad("placement", command.placement, "is already used")
    if (state.approvals[command.approval] !== undefined) return bad("approval", command.approval, "is already used")
    return agencies.has(command.facility) ? undefined : bad("facility", command.facility, "is not a known agency")
  },
  guards: [
    Guard.emergencyPlacementBeforeIntervention,
    Guard.emergencyPlacementForTinggiRisk,
    Guard.emergencyPlacementSetting,
    Guard.plannedPlacementStage
  ],
  produces: ["PlacementRequested", "ApprovalRequested"],
  cites: ["SOP-EMERGENCY-PLACEMENT", "SOP-03"],
  decide: ({ command }) =>
    ok(
      draft(
        {
          _tag: "PlacementRequested",
          placement: command.placement,
          setting: command.setting,
          facility: command.facility,
          emergency: command.emergency
        },
        "SOP-EMERGENCY-PLACEMENT"
      ),
      approvalRequested(command.approval, { _tag: "placement", placement: command.placement }, command.reason, "SOP-03")
    )
}

export const EndPlacement: Handler<"EndPlacement"> = {
  stages: open,
  action: "work",
  forAdults: true,
  validate: ({ state, command }) => {
    const placement = state.placements[command.placement]
    return placement === undefined || (placement.status !== "active" && placement.status !== "pending-approval")
      ? bad("placement", command.placement, "is not an active or pending placement")
      : undefined
  },
  guards: [],
  produces: ["PlacementEnded"],
  cites: ["SOP-10"],
  decide: ({ command }) =>
    ok(draft({ _tag: "PlacementEnded", placement: command.placement, reason: command.reason }, "SOP-10"))
}
