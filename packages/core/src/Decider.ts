/**
 * The case SOP as a pure, event-sourced decider: `decide(state, command, context)` returns the events a command
 * produces or a typed rejection that names the rule and changes nothing; `Case.evolve` applies the events. Both
 * are synchronous and callable from plain TypeScript without an Effect runtime. `context` carries the instant,
 * the actor, the agencies the deployment knows, and the policy (deadlines, risk, SPPA, ages, escalation).
 *
 * The decider moves a case only along the transitions of `Sop.transitions` and enforces the twelve rules of
 * `Sop.rules` (SOP-01 … SOP-12). Every event it returns is wrapped in an envelope with the next version, the
 * actor, both instants and the rules it rests on.
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
 *   result.failure.message // e.g. "SOP-02 (…): the case plan has not been approved"
 * }
 * ```
 *
 * @since 0.1.0
 */
import { DateTime, Result } from "effect"
import * as Access from "./Access.js"
import type * as Actor from "./Actor.js"
import * as Agency from "./Agency.js"
import * as Basis from "./Basis.js"
import * as CalendarDate from "./CalendarDate.js"
import * as Case from "./Case.js"
import type * as CaseCommand from "./CaseCommand.js"
import * as CaseDeadlines from "./CaseDeadlines.js"
import * as CaseEvent from "./CaseEvent.js"
import * as CaseModel from "./CaseModel.js"
import * as DinasType from "./DinasType.js"
import * as Input from "./Input.js"
import * as Person from "./Person.js"
import * as Region from "./Region.js"
import * as Risk from "./Risk.js"
import * as Sop from "./Sop.js"
import * as SopError from "./SopError.js"
import * as Sppa from "./Sppa.js"

/** Every policy the decider reads: typed, overridable defaults with their sources. */
export interface Policy extends CaseDeadlines.Policy {
  /** SPPA numbers, and how ages are counted (`sppa.agePolicy`, also for SOP-09). */
  readonly sppa: Sppa.SppaPolicy
  /** The structure of each Dinas type, which decides the approving office (DINAS-APPROVER). */
  readonly dinas: DinasType.StructurePolicy
}

/** The default policies. */
export const defaultPolicy: Policy = {
  ...CaseDeadlines.defaultPolicy,
  sppa: Sppa.defaultSppaPolicy,
  dinas: DinasType.defaultStructurePolicy
}

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
  readonly policy?: Policy
}

/** An event before it is wrapped: its payload, when it occurred, and the rules it rests on. */
interface Draft {
  readonly payload: CaseEvent.Payload
  readonly rules: ReadonlyArray<Sop.RuleId | Basis.Rule>
}

type Decision = Result.Result<ReadonlyArray<Draft>, SopError.SopError>

const ok = (...drafts: ReadonlyArray<Draft>): Decision => Result.succeed(drafts)
const draft = (payload: CaseEvent.Payload, ...rules: ReadonlyArray<Sop.RuleId | Basis.Rule>): Draft => ({
  payload,
  rules
})
const reject = (rule: Sop.RuleId | Basis.Rule, detail: string): Decision =>
  Result.fail(SopError.violation(rule, detail))
/** Re-types a failure, whatever its success type. */
const failed = <E>(result: Result.Failure<unknown, E>): Result.Result<never, E> => Result.fail(result.failure)
const bad = (field: string, value: unknown, reason: string): Decision =>
  Result.fail(Input.invalid(field, value, reason))

/** Rules of the decider beyond the twelve SOP rules. */
export const rules = {
  stage: Basis.rule(
    "SOP-STAGE",
    Basis.label(
      "Setiap langkah hanya dilakukan pada tahap yang ditetapkan SOP",
      "Each step is taken only in the stages the SOP allows it in"
    ),
    [
      Basis.verified("PP 39/2012", "Pasal 7 ayat (2)", "the stages of social rehabilitation, in their order"),
      Basis.policyDefault("Lindung SOP", undefined, "which commands each stage allows (see docs/sop.md)")
    ]
  ),
  emergencyPlacement: Basis.rule(
    "SOP-EMERGENCY-PLACEMENT",
    Basis.label(
      "Penempatan darurat hanya untuk anak berisiko tinggi sebelum intervensi, disetujui dalam 24 jam",
      "Emergency placement (safe house, RPTC, LPKS) only for a tinggi-risk child before intervention, approved within 24 hours"
    ),
    [
      Basis.verified("UU 35/2014", "Pasal 59A huruf a", "rapid handling of AMPK"),
      Basis.policyDefault("Lindung SOP", undefined, "approval within 24 hours (see Deadline)")
    ]
  ),
  adultClassification: Basis.rule(
    "SOP-ADULT-NO-AMPK",
    Basis.label("Orang dewasa tidak diklasifikasikan AMPK", "Adults get PPKS categories, never AMPK"),
    [Basis.verified("UU 35/2014", "Pasal 59 ayat (2)", "AMPK are children")]
  )
} as const

const toTransition = (
  state: Case.Case,
  trigger: Sop.Trigger,
  reason?: string
): Result.Result<Draft, SopError.SopError> => {
  const transition = Sop.transitionFor(state.stage, trigger)
  if (transition === undefined) {
    const what = trigger.kind === "command" ? trigger.command : `approval of ${trigger.subject}`
    const allowed = Sop.transitions
      .filter((t) => t.trigger.kind === trigger.kind && JSON.stringify(t.trigger) === JSON.stringify(trigger))
      .flatMap((t) => t.from)
    return Result.fail(
      SopError.violation(
        rules.stage,
        `${what} is not allowed in stage ${state.stage}; it is allowed in: ${allowed.join(", ") || "no stage"}`
      )
    )
  }
  return Result.succeed(
    draft(
      {
        _tag: "StageChanged",
        transition: transition.id,
        from: state.stage,
        to: transition.to,
        ...(reason === undefined ? {} : { reason })
      },
      ...transition.rules
    )
  )
}

const stageIn = (state: Case.Case, stages: ReadonlyArray<Sop.Stage>, what: string): Decision | undefined =>
  stages.includes(state.stage)
    ? undefined
    : reject(rules.stage, `${what} is done in stage ${stages.join(", ")}, not ${state.stage}`)

/** The last local date computed, by instant and offset: one decision asks for the same date several times. */
let lastToday: { instant: DateTime.Utc; offsetHours: number; date: CalendarDate.CalendarDate } | undefined

/** The local date of `now` in the case's region (WIB, WITA or WIT). */
export const today = (region: Region.RegionCode, now: DateTime.Utc): CalendarDate.CalendarDate => {
  const offsetHours = Region.timeZone(region).offsetHours
  if (lastToday !== undefined && lastToday.instant === now && lastToday.offsetHours === offsetHours) {
    return lastToday.date
  }
  const date = CalendarDate.fromInstant(now, offsetHours)
  lastToday = { instant: now, offsetHours, date }
  return date
}

/** Adulthood dates already computed, by subject record (records are immutable values; the key checks the rest). */
const adulthood = new WeakMap<
  Case.SubjectRecord,
  {
    readonly policy: Policy
    readonly region: Region.RegionCode
    readonly reportedAt: DateTime.Utc
    readonly on: CalendarDate.CalendarDate | undefined
  }
>()

/**
 * The date a child case's subject is certainly 18: from the birth date, or — when only the age at the report is
 * known — the report date plus the years still missing (a person aged N on that date is certainly 18 then).
 */
export const adultOn = (state: Case.Case, policy: Policy = defaultPolicy): CalendarDate.CalendarDate | undefined => {
  const known = adulthood.get(state.subject)
  if (
    known !== undefined &&
    known.policy === policy &&
    known.region === state.region &&
    known.reportedAt === state.reportedAt
  ) {
    return known.on
  }
  const on = computeAdultOn(state, policy)
  adulthood.set(state.subject, { policy, region: state.region, reportedAt: state.reportedAt, on })
  return on
}

const computeAdultOn = (state: Case.Case, policy: Policy): CalendarDate.CalendarDate | undefined => {
  const limit = policy.sppa.childAgeLimit
  if (state.subject.birthDate !== undefined) {
    return CalendarDate.dateOfAge(state.subject.birthDate, limit, policy.sppa.agePolicy)
  }
  if (state.subject.ageAtReport === undefined) return undefined
  const reportedOn = CalendarDate.fromInstant(state.reportedAt, Region.timeZone(state.region).offsetHours)
  return CalendarDate.addMonths(reportedOn, 12 * Math.max(0, limit - state.subject.ageAtReport))
}

/** Whether a child case's subject is 18 or older now (SOP-09). */
export const isAdultNow = (state: Case.Case, now: DateTime.Utc, policy: Policy = defaultPolicy): boolean => {
  if (state.subject.kind !== "child") return false
  if (state.adulthoodReachedOn !== undefined) return true
  const on = adultOn(state, policy)
  return on !== undefined && CalendarDate.compare(today(state.region, now), on) >= 0
}

/**
 * The offices that approve rehabilitation decisions of an agency (DINAS-APPROVER), plus the head above them. A
 * Dinas Sosial whose type is not configured is approved by its Kadis only: without a type, no office below can be
 * trusted to hold the approving role.
 */
export const approvingPositions = (
  agency: Agency.Agency | undefined,
  structures: DinasType.StructurePolicy = DinasType.defaultStructurePolicy
): ReadonlyArray<Actor.Position> => {
  if (agency === undefined) return []
  if (agency.kind !== "dinsos") return ["kepala-unit"]
  if (agency.dinasType === undefined) return ["kadis"]
  const structure = DinasType.structureOf(agency.dinasType, structures)
  if (Result.isFailure(structure)) return ["kadis"]
  const approver = DinasType.approverRole(structure.success).role
  return approver === "kadis" ? ["kadis"] : [approver, "kadis"]
}

/** Checks the legal basis of sharing `shares` (SOP-06). */
const checkSharing = (
  state: Case.Case,
  shares: ReadonlyArray<CaseModel.SharedData>,
  basis: CaseModel.SharingBasis
): Decision | undefined => {
  if (basis._tag !== "consent") return undefined // an emergency or a court order, recorded with its reason
  const consent = state.consents[basis.consent]
  if (consent === undefined) return reject("SOP-06", `consent ${basis.consent} has not been recorded`)
  if (shares.length === 0) return undefined
  if (consent.withdrawn) return reject("SOP-06", `consent ${basis.consent} was withdrawn`)
  // A consent given before the assessment named its giver as an alleged perpetrator no longer counts.
  if (consent.givenBy !== "self" && state.classification?.allegedPerpetrators.includes(consent.givenBy) === true) {
    return reject("SOP-06", `consent ${basis.consent} was given by the ${consent.givenBy}, an alleged perpetrator`)
  }
  const missing = shares.filter((share) => !consent.scope.includes(share))
  return missing.length === 0
    ? undefined
    : reject("SOP-06", `consent ${basis.consent} does not cover sharing ${missing.join(", ")}`)
}

const needs = (condition: boolean, rule: Sop.RuleId | Basis.Rule, detail: string): Decision | undefined =>
  condition ? undefined : reject(rule, detail)

const first = (...checks: ReadonlyArray<Decision | undefined>): Decision | undefined =>
  checks.find((check) => check !== undefined)

/** The action a command needs (see `Access.authorize`). */
export const actionOf = (command: CaseCommand.Command, state: Case.State, actor: Actor.Actor): Access.CaseAction => {
  switch (command._tag) {
    case "RegisterReport":
      return "register"
    case "AssignCaseworker":
    case "UnassignCaseworker":
      return "assign"
    case "DecideApproval":
      return "approve"
    case "Tick":
      return "tick"
    case "UpdateReferral":
      return "respond-referral"
    case "UpdateTransfer":
      return "respond-transfer"
    case "RecordService":
      // A referral recipient records the services it delivers.
      return state._tag === "Case" && state.owner !== actor.agency ? "respond-referral" : "work"
    default:
      return "work"
  }
}

/** Commands still allowed once a child case's subject is an adult (SOP-09): hand over, terminate, or finish. */
const allowedForAdults: ReadonlySet<CaseCommand.Type> = new Set<CaseCommand.Type>([
  "RequestTermination",
  "RequestTransfer",
  "UpdateTransfer",
  "DecideApproval",
  "RequestEarlyClosure",
  "UpdateReferral",
  "EndPlacement",
  "RecordFollowUp",
  "CloseCase",
  "AssignCaseworker",
  "UnassignCaseworker",
  "Tick"
])

/** Roles that may be assigned to work on a case. */
const assignableRoles: ReadonlySet<Actor.Role> = new Set(["caseworker", "supervisor", "head-of-dinas"])

/** Whether a person is an active caseworker, supervisor or head of an agency. */
const assignable = (people: Person.People, id: Actor.ActorId, agency: Agency.AgencyId): boolean => {
  const member = Person.membership(people, id, agency)
  return member !== undefined && assignableRoles.has(member.role)
}

const decideOnCase = (state: Case.Case, command: CaseCommand.Command, context: Context, policy: Policy): Decision => {
  const { actor, agencies, now } = context
  const date = today(state.region, now)
  switch (command._tag) {
    case "RegisterReport":
      return Result.fail(new SopError.CaseAlreadyExists({ caseId: state.id }))

    case "AssignCaseworker":
      if (state.assigned.includes(command.caseworker)) {
        return bad("caseworker", command.caseworker, "is already assigned to the case")
      }
      if (context.people !== undefined && !assignable(context.people, command.caseworker, state.owner)) {
        return Result.fail(
          SopError.violation(
            "SOP-07",
            `${command.caseworker} is not an active caseworker, supervisor or head of the owning agency ${state.owner}`
          )
        )
      }
      return ok(draft({ _tag: "CaseworkerAssigned", caseworker: command.caseworker }, "SOP-07"))

    case "UnassignCaseworker":
      if (!state.assigned.includes(command.caseworker)) {
        return bad("caseworker", command.caseworker, "is not assigned to the case")
      }
      return ok(draft({ _tag: "CaseworkerUnassigned", caseworker: command.caseworker }, "SOP-07"))

    case "StartOutreach":
      return Result.map(toTransition(state, { kind: "command", command: "StartOutreach" }), (d) => [d])

    case "RecordFirstContact": {
      const move = toTransition(state, { kind: "command", command: "RecordFirstContact" })
      if (Result.isFailure(move)) return failed(move)
      const contactedAt = command.occurredAt ?? now
      return ok(draft({ _tag: "FirstContactRecorded", contactedAt }, "SOP-11"), move.success)
    }

    case "RecordAssessment": {
      const blocked = stageIn(
        state,
        ["assessment", "planning", "intervention", "reintegration", "aftercare"],
        "An assessment"
      )
      if (blocked) return blocked
      if (state.subject.kind === "adult" && command.classification.ampk.length > 0) {
        return reject(rules.adultClassification, "an adult PPKS case cannot carry AMPK categories")
      }
      // Once the assessment is completed, a reassessment cannot leave the case without a category (SOP-01).
      const categories = command.classification.ampk.length + command.classification.ppks.length
      if (state.stage !== "assessment" && categories === 0) {
        return reject(
          "SOP-01",
          "a reassessment after the assessment was completed keeps at least one AMPK or PPKS category"
        )
      }
      const outcome = Risk.assess({ factors: command.factors }, policy.risk)
      const decision = Risk.setLevel({
        computed: outcome.computed,
        chosen: command.chosenLevel ?? outcome.computed,
        reason: command.reason
      })
      if (Result.isFailure(decision)) {
        return reject(Risk.rule["RISK-OVERRIDE-REASON"], decision.failure.message)
      }
      const recorded = draft(
        {
          _tag: "AssessmentRecorded",
          classification: command.classification,
          risk: { factors: command.factors, decision: decision.success }
        },
        "SOP-01",
        Risk.rule["RISK-RED-FLAG"]
      )
      if (!decision.success.needsSupervisorApproval) return ok(recorded)
      if (command.approval === undefined) {
        return bad("approval", undefined, "lowering the risk below the computed level needs an approval request id")
      }
      if (state.approvals[command.approval] !== undefined) {
        return bad("approval", command.approval, "is already used in this case")
      }
      return ok(
        recorded,
        draft(
          {
            _tag: "ApprovalRequested",
            approval: command.approval,
            subject: { _tag: "risk-lowering", level: decision.success.chosen },
            reason: decision.success.reason ?? "risk lowered"
          },
          "SOP-03",
          Risk.rule["RISK-LOWER-APPROVAL"]
        )
      )
    }

    case "RecordSafetyPlan": {
      const blocked = stageIn(state, ["assessment", "planning", "intervention", "reintegration"], "A safety plan")
      return blocked ?? ok(draft({ _tag: "SafetyPlanRecorded", measures: command.measures }, "SOP-01"))
    }

    case "CompleteAssessment": {
      const classification = state.classification
      const risk = state.risk
      const missing = first(
        needs(
          classification !== undefined && classification.ampk.length + classification.ppks.length > 0,
          "SOP-01",
          "the assessment has no AMPK or PPKS category"
        ),
        needs(risk !== undefined, "SOP-01", "the assessment has no risk level"),
        needs(
          risk === undefined || risk.effective !== "tinggi" || state.safetyPlan !== undefined,
          "SOP-01",
          "a tinggi-risk case needs a safety plan before the assessment is completed"
        )
      )
      if (missing) return missing
      return Result.map(toTransition(state, { kind: "command", command: "CompleteAssessment" }), (d) => [d])
    }

    case "ProposePlan": {
      const blocked = stageIn(state, ["planning", "intervention", "reintegration"], "A case plan")
      if (blocked) return blocked
      if (state.plans[command.plan.id] !== undefined) return bad("plan.id", command.plan.id, "is already used")
      const unknown = command.plan.items.find((item) => !agencies.has(item.responsible))
      if (unknown) return bad("plan.items.responsible", unknown.responsible, "is not a known agency")
      const level = state.risk?.effective
      if (level === undefined) return reject("SOP-02", "a case plan needs a risk level from the assessment")
      const proposed = draft({ _tag: "PlanProposed", plan: command.plan }, "SOP-02")
      if (level === "rendah") return ok(proposed, draft({ _tag: "PlanAdopted", plan: command.plan.id }, "SOP-02"))
      if (state.approvals[command.approval] !== undefined) {
        return bad("approval", command.approval, "is already used in this case")
      }
      return ok(
        proposed,
        draft(
          {
            _tag: "ApprovalRequested",
            approval: command.approval,
            subject: { _tag: "plan", plan: command.plan.id },
            reason: `case plan for a ${level}-risk case`
          },
          "SOP-02",
          "SOP-03"
        )
      )
    }

    case "DecideApproval": {
      const approval = state.approvals[command.approval]
      if (approval === undefined) return bad("approval", command.approval, "does not exist in this case")
      if (approval.status !== "pending") return bad("approval", command.approval, `was already ${approval.status}`)
      if (approval.requestedBy === actor.id) {
        return reject("SOP-03", "the request was made by the same person: no one approves their own request")
      }
      const positions = approvingPositions(agencies.get(state.owner), policy.dinas)
      if (actor.position === undefined || !positions.includes(actor.position)) {
        return reject(
          "SOP-03",
          `the approver must hold the approving office of the responsible agency (${positions.join(" or ")}), not ${actor.position ?? "no office"}`
        )
      }
      const decided = draft(
        { _tag: "ApprovalDecided", approval: approval.id, decision: command.decision, reason: command.reason },
        "SOP-03"
      )
      if (command.decision === "rejected") return ok(decided)
      switch (approval.subject._tag) {
        case "termination": {
          const check = checkTermination(state, approval.subject.reason, now, policy)
          if (check) return check
          return Result.map(
            toTransition(state, { kind: "approval", subject: "termination" }, approval.subject.reason),
            (d) => [decided, d]
          )
        }
        case "early-closure":
          return Result.map(
            toTransition(state, { kind: "approval", subject: "early-closure" }, approval.subject.reason),
            (d) => [decided, d]
          )
        case "plan":
          return ok(decided)
        case "risk-lowering": {
          // A later assessment supersedes the request: approving it would lower the risk to another level.
          const current = state.risk?.decision
          if (current?.needsSupervisorApproval !== true || current.chosen !== approval.subject.level) {
            return reject(
              Risk.rule["RISK-LOWER-APPROVAL"],
              `the request to lower the risk to ${approval.subject.level} was superseded by a later assessment; ` +
                "reject it instead"
            )
          }
          return ok(decided)
        }
        case "placement": {
          const placement = state.placements[approval.subject.placement]
          if (placement?.status !== "pending-approval") {
            return bad("approval", approval.id, `placement ${approval.subject.placement} is no longer pending`)
          }
          if (placement?.emergency === true && !Sop.preIntervention.includes(state.stage)) {
            return reject(
              rules.emergencyPlacement,
              `the case is in ${state.stage}: emergency placement comes before intervention`
            )
          }
          return ok(decided)
        }
      }
      return ok(decided)
    }

    case "StartIntervention": {
      const plan = Case.approvedPlan(state)
      if (plan === undefined) return reject("SOP-02", "the case plan has not been approved")
      if (state.risk?.effective !== "rendah" && plan.adoption !== "approval") {
        return reject(
          "SOP-02",
          `the plan was adopted at rendah risk, but the case is now ${state.risk?.effective}: a supervisor must approve it`
        )
      }
      return Result.map(toTransition(state, { kind: "command", command: "StartIntervention" }), (d) => [d])
    }

    case "RecordService": {
      const blocked = stageIn(state, ["intervention", "reintegration", "aftercare"], "A service")
      if (blocked) return blocked
      const plan = Case.approvedPlan(state)
      if (plan === undefined || !plan.plan.items.some((item) => item.component === command.component)) {
        return reject("SOP-02", `service ${command.component} is not part of the approved case plan`)
      }
      if (state.owner !== actor.agency && command.provider !== actor.agency) {
        return reject("SOP-07", "a referral recipient records only the services its own agency delivers")
      }
      if (!agencies.has(command.provider)) return bad("provider", command.provider, "is not a known agency")
      if (CalendarDate.compare(command.deliveredOn, date) > 0) {
        return bad("deliveredOn", command.deliveredOn, "lies in the future")
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

    case "ReviewPlan": {
      const blocked = stageIn(state, ["intervention", "reintegration"], "A plan review")
      return blocked ?? ok(draft({ _tag: "PlanReviewed", outcome: command.outcome }, "SOP-11"))
    }

    case "RecordConsent": {
      if (state.consents[command.consent] !== undefined) return bad("consent", command.consent, "is already used")
      const giver = command.givenBy
      if (state.subject.kind === "adult") {
        if (giver !== "self" && giver !== "legal-guardian") {
          return reject(
            "SOP-06",
            `an adult consents for themself (or through a legal guardian), not through a ${giver}`
          )
        }
      } else if (giver === "self" || !CaseModel.consentingRelations.includes(giver)) {
        return reject(
          "SOP-06",
          giver === "self"
            ? "a child's data needs the consent of a parent or guardian (UU 27/2022 Pasal 25)"
            : `a ${giver} is not a parent or guardian who can consent for a child`
        )
      }
      if (giver !== "self" && state.classification?.allegedPerpetrators.includes(giver) === true) {
        return reject("SOP-06", `the ${command.givenBy} is an alleged perpetrator and cannot consent`)
      }
      return ok(
        draft(
          { _tag: "ConsentRecorded", consent: command.consent, givenBy: command.givenBy, scope: command.scope },
          "SOP-06"
        )
      )
    }

    case "WithdrawConsent": {
      const consent = state.consents[command.consent]
      if (consent === undefined || consent.withdrawn) {
        return bad("consent", command.consent, "is not a recorded, active consent")
      }
      // Sharing stops with the consent: live referrals that rest on it are withdrawn with it.
      const resting = Case.liveReferrals(state).filter(
        (r) => r.legalBasis._tag === "consent" && r.legalBasis.consent === command.consent
      )
      return ok(
        draft({ _tag: "ConsentWithdrawn", consent: command.consent }, "SOP-06"),
        ...resting.map((r) =>
          draft(
            {
              _tag: "ReferralUpdated",
              referral: r.id,
              status: "withdrawn",
              reason: "the consent it rests on was withdrawn"
            },
            "SOP-06"
          )
        )
      )
    }

    case "RequestReferral": {
      if (state.referrals[command.referral] !== undefined) return bad("referral", command.referral, "is already used")
      if (!agencies.has(command.to)) return bad("to", command.to, "is not a known agency")
      if (command.to === state.owner) return bad("to", command.to, "is the owning agency itself")
      const unshared = checkSharing(state, command.shares, command.legalBasis)
      if (unshared) return unshared
      return ok(
        draft(
          {
            _tag: "ReferralRequested",
            referral: command.referral,
            to: command.to,
            purpose: command.purpose,
            shares: command.shares,
            legalBasis: command.legalBasis
          },
          "SOP-06",
          "SOP-07"
        )
      )
    }

    case "UpdateReferral": {
      const referral = state.referrals[command.referral]
      if (referral === undefined) return bad("referral", command.referral, "does not exist in this case")
      const recipient = actor.agency === referral.to
      const sender = actor.agency === state.owner
      const allowedFrom: Record<typeof command.status, ReadonlyArray<Case.Referral["status"]>> = {
        accepted: ["requested"],
        declined: ["requested"],
        withdrawn: ["requested", "accepted"],
        completed: ["accepted"]
      }
      if (!allowedFrom[command.status].includes(referral.status)) {
        return bad("status", command.status, `a ${referral.status} referral cannot become ${command.status}`)
      }
      const byWhom =
        command.status === "accepted" || command.status === "declined"
          ? recipient
          : command.status === "withdrawn"
            ? sender
            : recipient || sender
      if (!byWhom) {
        return Result.fail(
          SopError.forbidden(
            "respond-referral",
            `the ${recipient ? "recipient" : "sender"} cannot mark it ${command.status}`
          )
        )
      }
      return ok(
        draft(
          {
            _tag: "ReferralUpdated",
            referral: referral.id,
            status: command.status,
            ...(command.reason === undefined ? {} : { reason: command.reason })
          },
          "SOP-07"
        )
      )
    }

    case "RequestTransfer": {
      if (state.transfers[command.transfer] !== undefined) return bad("transfer", command.transfer, "is already used")
      const receiver = agencies.get(command.to)
      if (receiver === undefined) return bad("to", command.to, "is not a known agency")
      if (!Agency.canOwnCases(receiver)) {
        return bad("to", command.to, "cannot own cases: only a Dinas Sosial, a Sentra or a UPTD can")
      }
      if (command.to === state.owner) return bad("to", command.to, "already owns the case")
      if (!Agency.serves(receiver, state.region)) {
        return reject(
          "SOP-07",
          `the receiving agency's region ${receiver.region} does not contain the case's region ${state.region}`
        )
      }
      if (Case.pendingTransfer(state) !== undefined) {
        return reject("SOP-10", "another transfer is pending: withdraw or settle it first")
      }
      // A transfer moves the whole case, identity included.
      const unshared = checkSharing(
        state,
        ["summary", "classification", "risk", "plan", "services", "sppa", "identity"],
        command.legalBasis
      )
      if (unshared) return unshared
      return ok(
        draft(
          {
            _tag: "TransferRequested",
            transfer: command.transfer,
            to: command.to,
            reason: command.reason,
            legalBasis: command.legalBasis
          },
          "SOP-06",
          "SOP-07"
        )
      )
    }

    case "UpdateTransfer": {
      const transfer = state.transfers[command.transfer]
      if (transfer === undefined) return bad("transfer", command.transfer, "does not exist in this case")
      if (transfer.status !== "requested") {
        return bad("transfer", command.transfer, `was already ${transfer.status}`)
      }
      const receiving = actor.agency === transfer.to
      const sending = actor.agency === transfer.from
      if (command.status === "withdrawn" ? !sending : !receiving) {
        return Result.fail(
          SopError.forbidden(
            "respond-transfer",
            command.status === "withdrawn"
              ? "only the sending agency withdraws a transfer"
              : "only the receiving agency accepts or declines a transfer"
          )
        )
      }
      return ok(
        draft(
          {
            _tag: "TransferUpdated",
            transfer: transfer.id,
            status: command.status,
            ...(command.reason === undefined ? {} : { reason: command.reason })
          },
          "SOP-07"
        )
      )
    }

    case "RequestPlacement": {
      if (state.placements[command.placement] !== undefined) {
        return bad("placement", command.placement, "is already used")
      }
      if (state.approvals[command.approval] !== undefined) return bad("approval", command.approval, "is already used")
      if (!agencies.has(command.facility)) return bad("facility", command.facility, "is not a known agency")
      if (command.emergency) {
        const problem = first(
          needs(
            Sop.preIntervention.includes(state.stage),
            rules.emergencyPlacement,
            `the case is in ${state.stage}: emergency placement comes before intervention`
          ),
          needs(
            (state.risk?.effective ?? Risk.assess({ factors: state.concerns }, policy.risk).computed) === "tinggi",
            rules.emergencyPlacement,
            "emergency placement is for a child at tinggi risk"
          ),
          needs(
            ["safe-house", "rptc", "lpks"].includes(command.setting),
            rules.emergencyPlacement,
            `an emergency placement is in a safe house, an RPTC or an LPKS, not ${command.setting}`
          )
        )
        if (problem) return problem
      } else {
        const blocked = stageIn(state, ["planning", "intervention", "reintegration"], "A planned placement")
        if (blocked) return blocked
      }
      return ok(
        draft(
          {
            _tag: "PlacementRequested",
            placement: command.placement,
            setting: command.setting,
            facility: command.facility,
            emergency: command.emergency
          },
          rules.emergencyPlacement
        ),
        draft(
          {
            _tag: "ApprovalRequested",
            approval: command.approval,
            subject: { _tag: "placement", placement: command.placement },
            reason: command.reason
          },
          "SOP-03"
        )
      )
    }

    case "EndPlacement": {
      const placement = state.placements[command.placement]
      if (placement === undefined || (placement.status !== "active" && placement.status !== "pending-approval")) {
        return bad("placement", command.placement, "is not an active or pending placement")
      }
      return ok(draft({ _tag: "PlacementEnded", placement: placement.id, reason: command.reason }, "SOP-10"))
    }

    case "RecordSppaProceeding":
      return decideSppaProceeding(state, command, policy)

    case "RecordPasal21Decision":
      return decidePasal21(state, command, agencies, policy)

    case "RecordDetention":
      return decideDetention(state, command, policy)

    case "StartReintegration": {
      const r = command.reintegration
      const problem = first(
        needs(r.receiverSuitable, "SOP-05", `the receiving ${r.receiver} was assessed as not suitable`),
        needs(
          CalendarDate.compare(r.receiverAssessedOn, date) <= 0 &&
            CalendarDate.compare(r.childViewRecordedOn, date) <= 0,
          "SOP-05",
          "the assessment of the receiver and the child's view must be recorded on or before today"
        )
      )
      if (problem) return problem
      const move = toTransition(state, { kind: "command", command: "StartReintegration" })
      if (Result.isFailure(move)) return failed(move)
      return ok(draft({ _tag: "ReintegrationPrepared", reintegration: r }, "SOP-05"), move.success)
    }

    case "RequestTermination": {
      if (state.approvals[command.approval] !== undefined) return bad("approval", command.approval, "is already used")
      const pending = Case.pendingApprovals(state).some((a) => a.subject._tag === "termination")
      if (pending) return reject("SOP-04", "a termination request is already waiting for approval")
      const transition = Sop.transitionFor(state.stage, { kind: "approval", subject: "termination" })
      if (transition === undefined) {
        return reject(rules.stage, `termination is not possible in stage ${state.stage}`)
      }
      const check = checkTermination(state, command.reason, now, policy)
      if (check) return check
      return ok(
        draft(
          {
            _tag: "ApprovalRequested",
            approval: command.approval,
            subject: { _tag: "termination", reason: command.reason },
            reason: command.note
          },
          "SOP-04",
          "SOP-03"
        )
      )
    }

    case "RecordFollowUp": {
      const blocked = stageIn(state, ["aftercare"], "A follow-up visit")
      if (blocked) return blocked
      if (CalendarDate.compare(command.visitedOn, date) > 0)
        return bad("visitedOn", command.visitedOn, "lies in the future")
      return ok(draft({ _tag: "FollowUpRecorded", visitedOn: command.visitedOn, outcome: command.outcome }, "SOP-11"))
    }

    case "CloseCase":
      return Result.map(toTransition(state, { kind: "command", command: "CloseCase" }, command.reason), (d) => [d])

    case "RequestEarlyClosure": {
      if (state.approvals[command.approval] !== undefined) return bad("approval", command.approval, "is already used")
      if (Sop.transitionFor(state.stage, { kind: "approval", subject: "early-closure" }) === undefined) {
        return reject(rules.stage, `early closure is possible only before planning, not in stage ${state.stage}`)
      }
      if (command.reason === "adult" && !isAdultNow(state, now, policy)) {
        return reject("SOP-09", "early closure with reason adult is for a child case whose person has reached 18")
      }
      return ok(
        draft(
          {
            _tag: "ApprovalRequested",
            approval: command.approval,
            subject: { _tag: "early-closure", reason: command.reason },
            reason: command.note
          },
          "SOP-03",
          "SOP-10"
        )
      )
    }

    case "ReopenCase":
      return Result.map(toTransition(state, { kind: "command", command: "ReopenCase" }, command.reason), (d) => [d])

    case "Tick": {
      const drafts: Array<Draft> = []
      if (state.subject.kind === "child" && state.adulthoodReachedOn === undefined && isAdultNow(state, now, policy)) {
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
}

/** SOP-04 and SOP-09 on a termination reason. */
const checkTermination = (
  state: Case.Case,
  reason: CaseModel.TerminationReason,
  now: DateTime.Utc,
  policy: Policy
): Decision | undefined => {
  const adult = isAdultNow(state, now, policy)
  if (reason === "adult" && state.subject.kind === "adult") {
    return reject("SOP-09", "this is an adult PPKS case: reason adult is for a child who reached 18 during the case")
  }
  if (reason === "adult" && !adult) {
    return reject("SOP-09", "the person is not yet 18: termination with reason adult is not possible")
  }
  if (adult && reason !== "adult" && reason !== "transferred-to-other-system") {
    return reject("SOP-09", "the person has reached 18: terminate with reason adult or hand the case over")
  }
  if (reason === "goals-met" && state.risk?.peak === "tinggi" && state.risk.effective !== "rendah") {
    return reject(
      "SOP-04",
      `a tinggi case ends as goals met only after a reassessment at rendah in force; the level in force is ${state.risk.effective}`
    )
  }
  return undefined
}

const sppaRule = (id: Sppa.RuleId): Basis.Rule => Sppa.rule[id]

const requireOffender = (state: Case.Case): Decision | undefined =>
  state.classification?.sppaRole === "anak-berkonflik-dengan-hukum"
    ? undefined
    : reject("SOP-08", "SPPA proceedings apply to an anak berkonflik dengan hukum; classify the SPPA role first")

const ageAtAct = (
  state: Case.Case,
  actDate: CalendarDate.CalendarDate,
  policy: Policy
): Result.Result<number, SopError.SopError> => {
  if (state.subject.birthDate === undefined) {
    return Result.fail(Input.invalid("birthDate", undefined, "SPPA age limits need the child's birth date"))
  }
  return CalendarDate.ageOn(state.subject.birthDate, actDate, policy.sppa.agePolicy)
}

const decideSppaProceeding = (
  state: Case.Case,
  command: typeof CaseCommand.RecordSppaProceeding.Type,
  policy: Policy
): Decision => {
  const notOffender = requireOffender(state)
  if (notOffender) return notOffender
  const p = command.proceeding
  const age = ageAtAct(state, command.actDate, policy)
  if (Result.isFailure(age)) return failed(age)
  if (age.success < policy.sppa.minimumAge) {
    return reject(
      sppaRule("SPPA-UNDER-12"),
      `the child was ${age.success} at the time of the act: under ${policy.sppa.minimumAge} there is no prosecution, only the Pasal 21 decisions`
    )
  }
  const diversion = Sppa.diversion(
    { threatenedPenaltyYears: p.threatenedPenaltyYears, repeatOffence: p.repeatOffence },
    policy.sppa
  )
  if (Result.isFailure(diversion)) return failed(diversion)
  if (diversion.success.mandatory && !p.diversionAttempted) {
    return reject(
      sppaRule("SPPA-DIVERSION"),
      `diversion is mandatory (threatened penalty ${p.threatenedPenaltyYears} years, not a repeat offence) and must be attempted at ${p.stage}`
    )
  }
  if (!p.diversionAttempted && p.outcome !== "not-attempted") {
    return bad("proceeding.outcome", p.outcome, "is an outcome of diversion, which was not attempted")
  }
  if (p.diversionAttempted && p.outcome === "not-attempted") {
    return bad("proceeding.outcome", p.outcome, "contradicts diversionAttempted")
  }
  return ok(draft({ _tag: "SppaProceedingRecorded", proceeding: p }, "SOP-08", sppaRule("SPPA-DIVERSION")))
}

const decidePasal21 = (
  state: Case.Case,
  command: typeof CaseCommand.RecordPasal21Decision.Type,
  agencies: Agency.Directory,
  policy: Policy
): Decision => {
  const notOffender = requireOffender(state)
  if (notOffender) return notOffender
  const age = ageAtAct(state, command.actDate, policy)
  if (Result.isFailure(age)) return failed(age)
  if (age.success >= policy.sppa.minimumAge) {
    return reject(
      sppaRule("SPPA-UNDER-12"),
      `Pasal 21 decisions are for a child under ${policy.sppa.minimumAge} at the time of the act; this child was ${age.success}`
    )
  }
  const decision = command.decision
  if (decision._tag === "guidance") {
    if (decision.months > policy.sppa.pasal21MaximumMonths) {
      return reject(
        sppaRule("SPPA-UNDER-12"),
        `guidance under Pasal 21 lasts at most ${policy.sppa.pasal21MaximumMonths} months, not ${decision.months}`
      )
    }
    if (!agencies.has(decision.at)) return bad("decision.at", decision.at, "is not a known agency")
  }
  return ok(draft({ _tag: "Pasal21DecisionRecorded", decision }, "SOP-08", sppaRule("SPPA-UNDER-12")))
}

const decideDetention = (
  state: Case.Case,
  command: typeof CaseCommand.RecordDetention.Type,
  policy: Policy
): Decision => {
  const notOffender = requireOffender(state)
  if (notOffender) return notOffender
  if (state.subject.birthDate === undefined) {
    return bad("birthDate", undefined, "SPPA age limits need the child's birth date")
  }
  const atAct = CalendarDate.ageOn(state.subject.birthDate, command.actDate, policy.sppa.agePolicy)
  if (Result.isFailure(atAct)) return failed(atAct)
  const now = CalendarDate.ageOn(state.subject.birthDate, command.on, policy.sppa.agePolicy)
  if (Result.isFailure(now)) return failed(now)
  const check = Sppa.detention(
    { ageAtAct: atAct.success, ageNow: now.success, threatenedPenaltyYears: command.threatenedPenaltyYears },
    policy.sppa
  )
  if (Result.isFailure(check)) return failed(check)
  if (!check.success.allowed) return reject(sppaRule(check.success.rule), check.success.reason)
  return ok(
    draft(
      {
        _tag: "DetentionRecorded",
        threatenedPenaltyYears: command.threatenedPenaltyYears,
        ageAtDetention: now.success
      },
      "SOP-08",
      sppaRule("SPPA-DETENTION")
    )
  )
}

const ruleOf = (rule: Sop.RuleId | Basis.Rule): Basis.Rule => (typeof rule === "string" ? Sop.rules[rule] : rule)

/** The rule ids and the de-duplicated basis of a combination of rules (static data: computed once, then reused). */
const citations = new Map<
  string,
  { readonly rules: ReadonlyArray<string>; readonly basis: ReadonlyArray<Basis.Basis> }
>()

const citationsOf = (draftRules: ReadonlyArray<Sop.RuleId | Basis.Rule>) => {
  const found = draftRules.map(ruleOf)
  const key = found.map((rule) => rule.id).join("|")
  const known = citations.get(key)
  if (known !== undefined) return known
  const seen = new Set<string>()
  const basis = found
    .flatMap((rule) => rule.basis)
    .filter((b) => {
      const text = Basis.format(b)
      if (seen.has(text)) return false
      seen.add(text)
      return true
    })
  const computed = { rules: [...new Set(found.map((rule) => rule.id))], basis }
  citations.set(key, computed)
  return computed
}

const envelope = (
  caseId: CaseModel.CaseId,
  version: number,
  occurredAt: DateTime.Utc,
  context: Context,
  d: Draft
): CaseEvent.Envelope => {
  const { rules: ids, basis: unique } = citationsOf(d.rules)
  return {
    eventId: `${caseId}:${version}`,
    caseId,
    version,
    occurredAt,
    recordedAt: context.now,
    actor: context.actor,
    rules: ids,
    basis: unique,
    type: d.payload._tag,
    schemaVersion: CaseEvent.schemaVersions[d.payload._tag],
    payload: d.payload
  }
}

const register = (command: typeof CaseCommand.RegisterReport.Type, context: Context, policy: Policy): Decision => {
  const owner = context.agencies.get(command.owner)
  if (owner === undefined) return bad("owner", command.owner, "is not a known agency")
  if (!Agency.canOwnCases(owner)) {
    return bad("owner", command.owner, "cannot own cases: only a Dinas Sosial, a Sentra or a UPTD can")
  }
  if (!Agency.serves(owner, command.region)) {
    return reject(
      "SOP-07",
      `the owning agency's region ${owner.region} does not contain the case's region ${command.region}`
    )
  }
  const reportedOn = today(command.region, command.occurredAt ?? context.now)
  let age = command.ageAtReport
  if (command.birthDate !== undefined) {
    const computed = CalendarDate.ageOn(command.birthDate, reportedOn, policy.sppa.agePolicy)
    if (Result.isFailure(computed)) return bad("birthDate", command.birthDate, "lies after the date of the report")
    if (age !== undefined && age !== computed.success) {
      return bad(
        "ageAtReport",
        age,
        `contradicts the birth date ${command.birthDate} (age ${computed.success} on ${reportedOn})`
      )
    }
    age = computed.success
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

/**
 * Decides a command: the events it produces, or the typed error that rejects it. Pure and synchronous; a rejection
 * changes nothing. Checks run in this order: the case exists (or, for `RegisterReport`, does not); `occurredAt` is
 * not in the future; the actor may take the action (SOP-07); a closed case accepts only `ReopenCase` (SOP-10); an
 * adult in a child case allows only handover or termination (SOP-09); then the command's own rules.
 */
export const decide = (
  state: Case.State,
  command: CaseCommand.Command,
  context: Context
): Result.Result<ReadonlyArray<CaseEvent.Envelope>, SopError.SopError> => {
  const policy = context.policy ?? defaultPolicy
  const occurredAt = command.occurredAt ?? context.now
  if (DateTime.isGreaterThan(occurredAt, context.now)) {
    return Result.fail(Input.invalid("occurredAt", DateTime.formatIso(occurredAt), "lies in the future"))
  }
  let decision: Decision
  if (state._tag === "Empty") {
    if (command._tag !== "RegisterReport") return Result.fail(new SopError.CaseNotFound({ caseId: command.caseId }))
    const allowed = Access.authorize(context.actor, "register", state, {
      registering: { region: command.region, owner: command.owner }
    })
    if (Result.isFailure(allowed)) return failed(allowed)
    decision = register(command, context, policy)
  } else {
    if (command.caseId !== state.id) {
      return Result.fail(Input.invalid("caseId", command.caseId, `does not match the loaded case ${state.id}`))
    }
    // A report for a taken case id: an actor who may register such a report learns that the id is taken.
    const allowed =
      command._tag === "RegisterReport"
        ? Access.authorize(context.actor, "register", state, {
            registering: { region: command.region, owner: command.owner }
          })
        : Access.authorize(context.actor, actionOf(command, state, context.actor), state, {
            agencies: context.agencies
          })
    if (Result.isFailure(allowed)) return failed(allowed)
    if (command._tag === "RegisterReport") {
      // The report is checked as if the id were free first: a probe of case ids needs a valid report, which
      // registers a case (on the record) whenever the id is free.
      const valid = register(command, context, policy)
      return Result.isFailure(valid)
        ? Result.fail(valid.failure)
        : Result.fail(new SopError.CaseAlreadyExists({ caseId: state.id }))
    }
    // A closed case has no deadlines: the scheduler's check produces nothing (SOP-10 keeps it final).
    if (state.stage === "closed" && command._tag === "Tick") return Result.succeed([])
    if (state.stage === "closed" && command._tag !== "ReopenCase") {
      return Result.fail(SopError.violation("SOP-10", "the case is closed: reopen it first"))
    }
    if (isAdultNow(state, context.now, policy) && !allowedForAdults.has(command._tag)) {
      return Result.fail(
        SopError.violation(
          "SOP-09",
          "the person has reached 18: hand the case over (transfer) or terminate it with reason adult"
        )
      )
    }
    decision = decideOnCase(state, command, context, policy)
  }
  return Result.map(decision, (drafts) =>
    drafts.map((d, index) => envelope(command.caseId, state.version + index + 1, occurredAt, context, d))
  )
}

/** Decides a command and applies its events: the new state and the events, or the rejection. */
export const run = (
  state: Case.State,
  command: CaseCommand.Command,
  context: Context
): Result.Result<
  { readonly state: Case.State; readonly events: ReadonlyArray<CaseEvent.Envelope> },
  SopError.SopError
> => Result.map(decide(state, command, context), (events) => ({ state: Case.fold(events, state), events }))
