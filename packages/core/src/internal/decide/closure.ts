/** Reintegration, termination, aftercare and closure, reopening, and the scheduler's deadline check. */
import * as CalendarDate from "../../CalendarDate.js"
import * as CaseDeadlines from "../../CaseDeadlines.js"
import * as Guard from "../../Guard.js"
import * as Person from "../../Person.js"
import * as Sop from "../../Sop.js"
import { adultOn, isAdultNow } from "./facts.js"
import { approvalRequested, bad, type Draft, draft, type Handler, move, ok } from "./Handler.js"
import { stopSharingAtClosure } from "./sharing.js"

export const StartReintegration: Handler<"StartReintegration"> = {
  stages: Sop.transition("start-reintegration").from,
  transition: "start-reintegration",
  action: "work",
  forAdults: false,
  guards: [Guard.receiverSuitable, Guard.reintegrationHeardByToday],
  produces: ["ReintegrationPrepared", "StageChanged"],
  cites: ["SOP-05"],
  decide: ({ state, command }) =>
    ok(
      draft({ _tag: "ReintegrationPrepared", reintegration: command.reintegration }, "SOP-05"),
      move(state, "start-reintegration")
    )
}

export const RequestTermination: Handler<"RequestTermination"> = {
  stages: Sop.transition("terminate").from,
  action: "work",
  forAdults: true,
  validate: ({ state, command }) =>
    state.approvals[command.approval] !== undefined ? bad("approval", command.approval, "is already used") : undefined,
  guards: [
    Guard.oneTerminationRequest,
    Guard.terminationReasonFitsAge,
    Guard.goalsMetAfterIntervention,
    Guard.tinggiEndsAfterRendah
  ],
  produces: ["ApprovalRequested"],
  cites: ["SOP-04", "SOP-03"],
  decide: ({ command }) =>
    ok(
      approvalRequested(
        command.approval,
        { _tag: "termination", reason: command.reason },
        command.note,
        "SOP-04",
        "SOP-03"
      )
    )
}

export const RecordFollowUp: Handler<"RecordFollowUp"> = {
  stages: ["aftercare"],
  action: "work",
  forAdults: true,
  validate: ({ command, today }) =>
    CalendarDate.compare(command.visitedOn, today) > 0
      ? bad("visitedOn", command.visitedOn, "lies in the future")
      : undefined,
  guards: [],
  produces: ["FollowUpRecorded"],
  cites: ["SOP-11"],
  decide: ({ command }) =>
    ok(draft({ _tag: "FollowUpRecorded", visitedOn: command.visitedOn, outcome: command.outcome }, "SOP-11"))
}

export const CloseCase: Handler<"CloseCase"> = {
  stages: Sop.transition("close").from,
  transition: "close",
  action: "work",
  forAdults: true,
  guards: [],
  produces: ["ReferralUpdated", "TransferUpdated", "StageChanged"],
  cites: ["SOP-07"],
  // Sharing ends with the case: its live referrals and its pending transfer are withdrawn before it closes.
  decide: ({ state, command }) => {
    const stops = stopSharingAtClosure(state)
    const moved = move(state, "close", command.reason)
    return stops.length === 0 ? ok(moved) : ok(...stops, moved)
  }
}

export const RequestEarlyClosure: Handler<"RequestEarlyClosure"> = {
  stages: Sop.transition("close-early").from,
  action: "work",
  forAdults: true,
  validate: ({ state, command }) =>
    state.approvals[command.approval] !== undefined ? bad("approval", command.approval, "is already used") : undefined,
  guards: [Guard.earlyClosureAdultIsAdult],
  produces: ["ApprovalRequested"],
  cites: ["SOP-03", "SOP-10"],
  decide: ({ command }) =>
    ok(
      approvalRequested(
        command.approval,
        { _tag: "early-closure", reason: command.reason },
        command.note,
        "SOP-03",
        "SOP-10"
      )
    )
}

/**
 * Reopening: to assessment; a case closed before the child was reached (no first contact) to outreach, so that the
 * child is reached first (two transitions, so no single `transition` in the row).
 */
export const ReopenCase: Handler<"ReopenCase"> = {
  stages: Sop.transition("reopen").from,
  action: "work",
  forAdults: false,
  guards: [],
  produces: ["StageChanged"],
  cites: [...Sop.transition("reopen").rules, ...Sop.transition("reopen-unreached").rules],
  decide: ({ state, command }) =>
    ok(
      move(
        state,
        // Only from `closed`: a history from before `reopen-unreached` may hold an unreached case in aftercare.
        state.stage === "closed" && state.firstContactAt === undefined ? "reopen-unreached" : "reopen",
        command.reason
      )
    )
}

export const Tick: Handler<"Tick"> = {
  stages: Sop.stages,
  action: "tick",
  forAdults: true,
  guards: [],
  produces: ["CaseworkerUnassigned", "AdulthoodReached", "DeadlineEscalated"],
  cites: ["SOP-07", "SOP-09", "SOP-11"],
  decide: ({ state, now, policy, people, actor }) => {
    const drafts: Array<Draft> = []
    // SOP-07: the scheduler ends an open case's assignment when the directory lists its person but no longer lets the
    // owner assign them (left the agency, made inactive, given another role); a case left with nobody then runs its
    // unassigned-case alert. A person the directory does not list at all is left assigned: a directory that lost
    // people by mistake must not strip cases of their workers.
    if (people !== undefined && actor.role === "system" && state.stage !== "closed") {
      for (const caseworker of state.assigned) {
        if (people.has(caseworker) && !Person.assignable(people, caseworker, state.owner)) {
          drafts.push(draft({ _tag: "CaseworkerUnassigned", caseworker }, "SOP-07"))
        }
      }
    }
    if (
      state.stage !== "closed" &&
      state.subject.kind === "child" &&
      state.adulthoodReachedOn === undefined &&
      isAdultNow(state, now, policy)
    ) {
      const on = adultOn(state, policy)
      if (on !== undefined) drafts.push(draft({ _tag: "AdulthoodReached", on }, "SOP-09"))
    }
    for (const escalation of CaseDeadlines.escalations(state, now, policy)) {
      drafts.push(
        draft(
          {
            _tag: "DeadlineEscalated",
            deadline: escalation.item.kind,
            dueAt: escalation.item.dueAt,
            escalatedTo: escalation.escalateTo,
            ...(escalation.item.placement === undefined ? {} : { placement: escalation.item.placement })
          },
          "SOP-11"
        )
      )
    }
    return ok(...drafts)
  }
}
