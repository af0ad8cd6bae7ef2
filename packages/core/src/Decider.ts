/**
 * The case SOP as a pure, event-sourced decider: `decide(state, command, context)` returns the events a command
 * produces or a typed rejection that names the rule and changes nothing; `Case.evolve` applies the events. Both
 * are synchronous and callable from plain TypeScript without an Effect runtime. `context` carries the instant,
 * the actor, the agencies the deployment knows, and the policy (deadlines, risk, SPPA, ages, escalation).
 *
 * The decider runs the SOP table (`SopTable`): for each command type, the stages it is allowed in, its checks of
 * values, its named guards (`Guard`) and the events it may produce. It moves a case only along `Sop.transitions`
 * and enforces the twelve rules of `Sop.rules` and the procedure rules of `Sop.procedureRules`. A rejection is
 * plain data (`Rejection`) naming its rule and basis; every event is wrapped in an envelope with the next
 * version, the actor, both instants and the rules it rests on.
 *
 * @example
 * ```ts
 * import { Case, Decider } from "@lindung/core"
 * import { Result } from "effect"
 *
 * const result = Decider.decide(Case.initialState, command, context)
 * if (Result.isSuccess(result)) {
 *   const state = Case.fold(result.success)
 * } else {
 *   result.failure.rule // e.g. "SOP-02"
 *   result.failure.message // e.g. "SOP-02 (…): the case plan has not been approved"
 * }
 * ```
 *
 * @since 0.1.0
 */
import { DateTime, Result } from "effect"
import * as Access from "./Access.js"
import type * as Actor from "./Actor.js"
import type * as Agency from "./Agency.js"
import * as Case from "./Case.js"
import type * as CaseCommand from "./CaseCommand.js"
import type * as CaseEvent from "./CaseEvent.js"
import type * as CaseModel from "./CaseModel.js"
import type * as Guard from "./Guard.js"
import * as facts from "./internal/decide/facts.js"
import { type Decision, type Draft, type Handler, isRefusal } from "./internal/decide/Handler.js"
import { stampOf } from "./internal/decide/stamp.js"
import { actionOfRow, handlers, rowOf } from "./internal/decide/table.js"
import type * as Person from "./Person.js"
import * as Policy from "./Policy.js"
import type * as Region from "./Region.js"
import * as Rejection from "./Rejection.js"

/** What a decision needs besides the state and the command. */
export interface Context {
  /** The instant the command is decided: the events' recorded-at instant. */
  readonly now: DateTime.Utc
  readonly actor: Actor.Actor
  /** The agencies the deployment knows: owners, referral and transfer recipients, facilities. */
  readonly agencies: Agency.Directory
  /**
   * The people of the agencies. When given, `AssignCaseworker` assigns only an active caseworker, supervisor or
   * head of the owning agency (SOP-07); without it, any well-formed id is accepted (pure tests and migrations).
   */
  readonly people?: Person.People
  /** The policies (default `Policy.defaults`). */
  readonly policy?: Policy.Policy
}

/**
 * The date a child case's subject is certainly 18: from the birth date, or — when only the age at the report is
 * known — the report date plus the years still missing (a person aged N on that date is certainly 18 then).
 */
export const adultOn: (state: Case.Case, policy?: Policy.Policy) => ReturnType<typeof facts.adultOn> = facts.adultOn

/** Runs a row of the table once the stage is allowed: the values, then the guards in order, then the handler. */
const run_ = <K extends CaseCommand.Type, S extends Case.State>(
  row: {
    readonly validate?: Handler<K, S>["validate"] | undefined
    readonly guards: Handler<K, S>["guards"]
    readonly decide: Handler<K, S>["decide"]
  },
  input: Guard.Input<K, S>
): Decision => {
  if (row.validate !== undefined) {
    const invalid = row.validate(input)
    if (invalid !== undefined) return invalid
  }
  const guards = row.guards
  for (let index = 0; index < guards.length; index++) {
    const guard = guards[index] as Guard.Guard<K, S>
    const unmet = guard.check(input)
    if (unmet !== undefined) return Rejection.violation(guard.rule, unmet)
  }
  return row.decide(input)
}

/** The decimal text of small version numbers, made once (an event id is its case id and its version). */
const versionText: ReadonlyArray<string> = Array.from({ length: 256 }, (_, index) => String(index))

const envelope = (
  caseId: CaseModel.CaseId,
  version: number,
  occurredAt: DateTime.Utc,
  region: Region.RegionCode,
  context: Context,
  d: Draft
): CaseEvent.Envelope => {
  const payload = d.payload
  const type = payload._tag
  const stamp = d.stamp ?? stampOf(type, d.rules)
  return {
    eventId: `${caseId}:${versionText[version] ?? version}`,
    caseId,
    version,
    occurredAt,
    recordedAt: context.now,
    actor: context.actor,
    region,
    rules: stamp.rules,
    basis: stamp.basis,
    type,
    schemaVersion: stamp.schemaVersion,
    payload
  }
}

const registerInput = (
  state: Case.State,
  command: CaseCommand.Of<"RegisterReport">,
  context: Context,
  policy: Policy.Policy,
  occurredAt: DateTime.Utc
): Guard.Input<"RegisterReport", Case.State> => ({
  state,
  command,
  actor: context.actor,
  agencies: context.agencies,
  people: context.people,
  now: context.now,
  today: facts.today(command.region, occurredAt),
  policy
})

/**
 * Decides a command: the events it produces, or the plain {@link Rejection.Rejection} that refuses it (its rule,
 * basis and message). Pure and synchronous; a rejection changes nothing. Checks run in this order: `occurredAt` is
 * not in the future; the case exists (or, for `RegisterReport`, does not: SOP-CASE-ID); the actor may take the
 * action (SOP-07, `Access.whyNot`); a closed case accepts only the commands whose row lists the stage `closed` —
 * reopening, the scheduler's check and the data subject's requests (SOP-10); once a child case's subject
 * is 18, only handover or finishing (SOP-09); the stage allows the command (SOP-STAGE); then the row of the SOP
 * table: the command's values (SOP-INPUT), its guards in order, and the handler.
 */
export const decide = (
  state: Case.State,
  command: CaseCommand.Command,
  context: Context
): Result.Result<ReadonlyArray<CaseEvent.Envelope>, Rejection.Rejection> => {
  const policy = context.policy ?? Policy.defaults
  const { actor, now } = context
  // The command's common fields, read once (commands of different types have different shapes).
  const tag = command._tag
  const caseId = command.caseId
  const given = command.occurredAt
  const occurredAt = given ?? now
  if (given !== undefined && DateTime.isGreaterThan(given, now)) {
    return Result.fail(Rejection.invalid("occurredAt", DateTime.formatIso(given), "lies in the future"))
  }
  let decision: Decision
  // The region the case is in when the command is decided (a relocation's acceptance too: the case moves after).
  let region: Region.RegionCode
  if (tag === "RegisterReport") {
    if (state._tag === "Case" && caseId !== state.id) {
      return Result.fail(Rejection.invalid("caseId", caseId, `does not match the loaded case ${state.id}`))
    }
    const denied = Access.whyNot(actor, "register", state, {
      registering: { region: command.region, owner: command.owner }
    })
    if (denied !== undefined) return Result.fail(Rejection.forbidden("register", denied))
    decision = run_(handlers.RegisterReport, registerInput(state, command, context, policy, occurredAt))
    // A report for a taken case id: an actor who may register such a report learns that the id is taken. The
    // report is checked as if the id were free first: a probe of case ids needs a valid report, which registers a
    // case (on the record) whenever the id is free.
    if (state._tag === "Case" && !isRefusal(decision)) {
      return Result.fail(Rejection.caseAlreadyExists(state.id))
    }
    region = command.region
  } else {
    if (state._tag === "Empty") return Result.fail(Rejection.caseNotFound(caseId))
    if (caseId !== state.id) {
      return Result.fail(Rejection.invalid("caseId", caseId, `does not match the loaded case ${state.id}`))
    }
    const row = rowOf(tag)
    const action = actionOfRow(row, state, actor)
    // The decider's context carries the directory `whyNot` reads (and no report being registered).
    const denied = Access.whyNot(actor, action, state, context)
    if (denied !== undefined) return Result.fail(Rejection.forbidden(action, denied))
    const stage = state.stage
    // A closed case accepts only what its row allows there: reopening, the scheduler's check (whose only clocks are
    // data-subject requests) and the data-subject requests themselves (SOP-10 keeps the case final).
    if (stage === "closed" && !row.whenClosed) {
      return Result.fail(Rejection.violation("SOP-10", "the case is closed: reopen it first"))
    }
    if (!row.forAdults && facts.isAdultNow(state, now, policy)) {
      return Result.fail(
        Rejection.violation(
          "SOP-09",
          "the person has reached 18: hand the case over (transfer) or terminate it with reason adult"
        )
      )
    }
    if (!row.stages.includes(stage)) {
      return Result.fail(
        Rejection.violation(
          "SOP-STAGE",
          `${tag} is not allowed in stage ${stage}; it is allowed in: ${row.stages.join(", ")}`
        )
      )
    }
    region = state.region
    decision = run_(row, {
      state,
      command,
      actor,
      agencies: context.agencies,
      people: context.people,
      now,
      today: facts.today(region, now),
      policy
    })
  }
  if (isRefusal(decision)) return Result.fail(decision)
  const version = state.version
  if (decision.length === 1) {
    return Result.succeed([envelope(caseId, version + 1, occurredAt, region, context, decision[0] as Draft)])
  }
  const events: Array<CaseEvent.Envelope> = []
  for (let index = 0; index < decision.length; index++) {
    events.push(envelope(caseId, version + index + 1, occurredAt, region, context, decision[index] as Draft))
  }
  return Result.succeed(events)
}

/** Decides a command and applies its events: the new state and the events, or the rejection. */
export const run = (
  state: Case.State,
  command: CaseCommand.Command,
  context: Context
): Result.Result<
  { readonly state: Case.State; readonly events: ReadonlyArray<CaseEvent.Envelope> },
  Rejection.Rejection
> => Result.map(decide(state, command, context), (events) => ({ state: Case.fold(events, state), events }))
