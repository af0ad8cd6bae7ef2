/**
 * The shape of one row of the SOP table: for a command type, the stages it is allowed in, the access action it
 * needs, whether it is still allowed once a child case's subject is 18, its input checks, its named guards, the
 * events it may produce, and the function that produces them. `table.ts` holds one handler per command type.
 */
import { Result } from "effect"
import type * as Access from "../../Access.js"
import type * as Case from "../../Case.js"
import type * as CaseCommand from "../../CaseCommand.js"
import type * as CaseEvent from "../../CaseEvent.js"
import type * as CaseModel from "../../CaseModel.js"
import type * as Guard from "../../Guard.js"
import * as Rejection from "../../Rejection.js"
import * as Sop from "../../Sop.js"
import { type Stamp, stampOf } from "./stamp.js"

/** An event before it is wrapped: its payload and the rules it rests on (with their stamp, when known already). */
export interface Draft {
  readonly payload: CaseEvent.Payload
  readonly rules: ReadonlyArray<Sop.RuleRef>
  readonly stamp?: Stamp | undefined
}

/**
 * The events a command produces (an array of drafts), or why it is refused (a rejection, never an array): a plain
 * union, so that an accepted command allocates no wrapper on the hot path.
 */
export type Decision = ReadonlyArray<Draft> | Rejection.Rejection

/** Whether a decision refuses the command. */
export const isRefusal = (decision: Decision): decision is Rejection.Rejection => !Array.isArray(decision)

/** How a command of type `K` is decided. */
export interface Handler<K extends CaseCommand.Type, S extends Case.State = Case.Case> {
  /** The stages the command is allowed in (for `RegisterReport`: none, it opens a case). */
  readonly stages: ReadonlyArray<Sop.Stage>
  /**
   * The stage change the command always makes, if it makes one. A command that makes one of several (`ReopenCase`)
   * or only sometimes (`DecideApproval`) has none here: `Sop.transitions` names it as their trigger.
   */
  readonly transition?: Sop.TransitionId
  /** The access action the command needs (see `Access.whyNot`). */
  readonly action: Access.CaseAction
  /** When the action depends on who acts: the action for an actor outside the owning agency. */
  readonly actionOutsideOwner?: Access.CaseAction
  /** Whether the command is still allowed once a child case's subject is 18 (SOP-09: hand over or finish). */
  readonly forAdults: boolean
  /**
   * Checks of the command's own values that the guards rely on (unknown agencies, reused ids, missing dates),
   * before the guards; values the guards do not read are checked by `decide`.
   */
  readonly validate?: (input: Guard.Input<K, S>) => Rejection.Rejection | undefined
  /** The guards, in the order they are checked. */
  readonly guards: ReadonlyArray<Guard.Guard<K, S>>
  /** Every event type the command may produce. */
  readonly produces: ReadonlyArray<CaseEvent.Type>
  /** The rules its events rest on, besides those of its stage change (`transition`). */
  readonly cites: ReadonlyArray<Sop.RuleRef>
  /** The events, once the stage, the values and the guards are met. */
  readonly decide: (input: Guard.Input<K, S>) => Decision
}

/** The events of an accepted command. */
export const ok = (...drafts: ReadonlyArray<Draft>): Decision => drafts

/** An event resting on rules. */
export const draft = (payload: CaseEvent.Payload, ...rules: ReadonlyArray<Sop.RuleRef>): Draft => ({
  payload,
  rules,
  stamp: undefined
})

/** The `ApprovalRequested` event of a request that waits for a supervisor's decision (SOP-03). */
export const approvalRequested = (
  approval: CaseModel.ApprovalId,
  subject: CaseModel.ApprovalSubject,
  reason: string,
  ...rules: ReadonlyArray<Sop.RuleRef>
): Draft => draft({ _tag: "ApprovalRequested", approval, subject, reason }, ...rules)

/** An {@link Rejection.InvalidInput}. */
export const bad = (field: string, value: unknown, reason: string): Rejection.Rejection =>
  Rejection.invalid(field, value, reason)

/** A refusal. */
export const refuse = (rejection: Rejection.Rejection): Decision => rejection

/** The stages in which a case is open: every stage but `closed`. */
export const open: ReadonlyArray<Sop.Stage> = Sop.stages.filter(Sop.isOpen)

/** The stage change along a transition, from the case's stage (the table allows the command only there). */
export const move = (state: Case.Case, id: Sop.TransitionId, reason?: string): Draft => {
  const transition = Sop.transition(id)
  return {
    payload:
      reason === undefined
        ? { _tag: "StageChanged", transition: id, from: state.stage, to: transition.to }
        : { _tag: "StageChanged", transition: id, from: state.stage, to: transition.to, reason },
    rules: transition.rules,
    stamp: moves[id]
  }
}

/** The stamp of each transition's `StageChanged` event. */
const moves: { readonly [K in Sop.TransitionId]: Stamp } = Object.fromEntries(
  Sop.transitions.map((t) => [t.id, stampOf("StageChanged", t.rules)])
) as { readonly [K in Sop.TransitionId]: Stamp }

/**
 * The stage change an approval makes, if the case's stage still allows it: a request waits for its approval,
 * and the case may have moved meanwhile (SOP-STAGE).
 */
export const moveOnApproval = (
  state: Case.Case,
  id: Sop.TransitionId,
  subject: "termination" | "early-closure",
  reason: string
): Result.Result<Draft, Rejection.Rejection> => {
  const transition = Sop.transition(id)
  return transition.from.includes(state.stage)
    ? Result.succeed(move(state, id, reason))
    : Result.fail(
        Rejection.violation(
          "SOP-STAGE",
          `approval of ${subject} is not allowed in stage ${state.stage}; it is allowed in: ${transition.from.join(", ")}`
        )
      )
}

/**
 * The rejection of a guard that the table has already checked, where a handler needs the checked fact again (to
 * narrow a type): never reached while the table lists the guard.
 */
export const unmet = <K extends CaseCommand.Type>(guard: Guard.Guard<K>, input: Guard.Input<K>): Decision =>
  Rejection.violation(guard.rule, guard.check(input) ?? guard.requires)
