/**
 * Who may do what with a case (SOP-07), and what each actor may see. Access is decided by role × the region of
 * the actor's agency (a prefix check on Kemendagri codes) × assignment × live referrals and pending transfers:
 *
 * - the owning agency's supervisors and head act on the case; its caseworkers act when assigned;
 * - supervisors and heads of another social-affairs agency (Dinas Sosial, Sentra, UPTD) whose region contains
 *   the case's region (e.g. the province above a kota) may read it — only when the agency directory is given, so
 *   that an unknown agency is never trusted (other sectors read through referrals only);
 * - a referral recipient sees only what the referral shares, and only while the referral is live;
 * - a partner (LPA, school, police liaison) never sees identity; an auditor reads history without identity;
 * - an administrator sees no case content; the system scheduler only checks deadlines.
 *
 * `authorize` is pure; the decider calls it before every command, and transport calls it before every read.
 *
 * @since 0.1.0
 */
import { Result } from "effect"
import type * as Actor from "./Actor.js"
import * as Agency from "./Agency.js"
import * as CalendarDate from "./CalendarDate.js"
import * as Case from "./Case.js"
import type * as CaseModel from "./CaseModel.js"
import type * as Region from "./Region.js"
import type * as Sop from "./Sop.js"
import * as SopError from "./SopError.js"

/** What an actor may ask to do with a case. */
export type Action =
  | "register"
  | "read"
  | "read-history"
  | "read-identity"
  | "assign"
  | "work"
  | "approve"
  | "respond-referral"
  | "respond-transfer"
  | "tick"

/** Every action, for property tests and documentation. */
export const actions: ReadonlyArray<Action> = [
  "register",
  "read",
  "read-history",
  "read-identity",
  "assign",
  "work",
  "approve",
  "respond-referral",
  "respond-transfer",
  "tick"
]

/** Roles that work inside government social affairs and may act on cases their agency owns. */
const staff: ReadonlyArray<Actor.Role> = ["intake-officer", "caseworker", "supervisor", "head-of-dinas"]
const leads: ReadonlyArray<Actor.Role> = ["supervisor", "head-of-dinas"]

/** Whether the actor's agency region contains the case's region (national units contain every region). */
export const inRegion = (actor: Actor.Actor, region: Region.RegionCode): boolean =>
  Agency.serves({ region: actor.region }, region)

/** The live referrals of a case to the actor's agency. */
export const referralsTo = (state: Case.Case, actor: Actor.Actor): ReadonlyArray<Case.Referral> =>
  Case.liveReferrals(state).filter((referral) => referral.to === actor.agency)

/** What the actor's live referrals share, merged. */
export const sharedWith = (state: Case.Case, actor: Actor.Actor): ReadonlySet<CaseModel.SharedData> =>
  new Set(referralsTo(state, actor).flatMap((referral) => referral.shares))

const allow = Result.succeed(undefined)
const deny = (action: Action, detail: string) => Result.fail(SopError.forbidden(action, detail))

/** What `authorize` may consult besides the actor and the state. */
export interface Context {
  /** The agencies the deployment knows; without it, no one reads a case merely by region. */
  readonly agencies?: Agency.Directory
  /** For `register`: the region and owner of the report being registered. */
  readonly registering?: { readonly region: Region.RegionCode; readonly owner: Agency.AgencyId }
}

/**
 * Whether the actor reads the case by region: a supervisor or head of a social-affairs agency (known in the
 * directory) whose region contains the case's region.
 */
export const readsByRegion = (actor: Actor.Actor, state: Case.Case, agencies?: Agency.Directory): boolean => {
  if (!leads.includes(actor.role) || agencies === undefined) return false
  const agency = agencies.get(actor.agency)
  return agency !== undefined && Agency.canOwnCases(agency) && inRegion(actor, state.region)
}

/**
 * Whether `actor` may take `action` on a case. For `register`, pass the region and owner of the report being
 * registered in `context.registering`.
 */
export const authorize = (
  actor: Actor.Actor,
  action: Action,
  state: Case.State,
  context: Context = {}
): Result.Result<void, SopError.Forbidden> => {
  const { registering } = context
  if (actor.role === "administrator") return deny(action, "an administrator sees no case content")
  if (actor.role === "system") {
    return action === "tick" ? allow : deny(action, "the system scheduler only checks deadlines")
  }
  if (action === "register") {
    if (registering === undefined) return deny(action, "nothing to register")
    if (!staff.includes(actor.role)) return deny(action, `a ${actor.role} cannot register a report`)
    if (actor.agency !== registering.owner) {
      return deny(action, "a report is registered into the actor's own agency")
    }
    return inRegion(actor, registering.region)
      ? allow
      : deny(action, `region ${registering.region} lies outside the actor's agency region ${actor.region}`)
  }
  if (state._tag === "Empty") return deny(action, "the case does not exist")

  const owner = actor.agency === state.owner
  const assigned = state.assigned.includes(actor.id)
  const referred = referralsTo(state, actor).length > 0
  const transferTo = Case.pendingTransfer(state)?.to === actor.agency

  switch (action) {
    case "read":
      if (actor.role === "auditor") {
        return inRegion(actor, state.region) ? allow : deny(action, "the case lies outside the auditor's region")
      }
      if (owner || referred || transferTo) return allow
      if (actor.role === "partner") return deny(action, "a partner reads a case only through a live referral")
      return readsByRegion(actor, state, context.agencies)
        ? allow
        : deny(
            action,
            "the case is not owned by, referred to or being transferred to the actor's agency, and the actor is not a supervisor of a social-affairs agency of its region"
          )
    case "read-history":
      if (actor.role === "auditor") {
        return inRegion(actor, state.region) ? allow : deny(action, "the case lies outside the auditor's region")
      }
      return owner && (leads.includes(actor.role) || assigned)
        ? allow
        : deny(action, "the history is read by auditors and by the owning agency's assigned workers and supervisors")
    case "read-identity":
      if (actor.role === "partner" || actor.role === "auditor") {
        return deny(action, `a ${actor.role} never sees a child's identity (UU 11/2012 Pasal 19)`)
      }
      if (owner && (leads.includes(actor.role) || assigned)) return allow
      return sharedWith(state, actor).has("identity")
        ? allow
        : deny(
            action,
            "identity is shown to the owning agency's assigned workers and supervisors, or when a live referral shares it"
          )
    case "assign":
      return owner && leads.includes(actor.role)
        ? allow
        : deny(action, "only a supervisor or head of the owning agency assigns caseworkers")
    case "work":
      if (!owner) return deny(action, "only the owning agency works on the case")
      if (leads.includes(actor.role)) return allow
      if (actor.role === "caseworker")
        return assigned ? allow : deny(action, "the caseworker is not assigned to the case")
      return deny(action, `a ${actor.role} does not work on cases`)
    case "approve":
      return owner && leads.includes(actor.role)
        ? allow
        : deny(action, "only a supervisor or head of the owning agency decides approvals")
    case "respond-referral":
      if (actor.role === "auditor" || actor.role === "intake-officer") {
        return deny(action, `a ${actor.role} does not respond to referrals`)
      }
      if (referred) return allow
      if (!owner) return deny(action, "the referral is not addressed to the actor's agency")
      return leads.includes(actor.role) || assigned ? allow : deny(action, "the caseworker is not assigned to the case")
    case "respond-transfer":
      if (transferTo && leads.includes(actor.role)) return allow
      if (owner && leads.includes(actor.role)) return allow
      return deny(action, "only a supervisor or head of the sending or receiving agency responds to a transfer")
    case "tick":
      return owner && staff.includes(actor.role) ? allow : deny(action, "deadlines are checked by the owning agency")
  }
}

/** Whether {@link authorize} allows an action. */
export const can = (actor: Actor.Actor, action: Action, state: Case.State, context: Context = {}): boolean =>
  Result.isSuccess(authorize(actor, action, state, context))

/** Age bands shown instead of a birth date (pseudonymous, and the SPPA age limits are band edges). */
export const ageBands = ["0-4", "5-11", "12-13", "14-17", "18-59", "60+", "unknown"] as const

/** An age band. */
export type AgeBand = (typeof ageBands)[number]

/** The age band of a subject on a date. */
export const ageBand = (subject: Case.SubjectRecord, on: CalendarDate.CalendarDate): AgeBand => {
  let age: number | undefined = subject.ageAtReport
  if (subject.birthDate !== undefined) {
    const computed = CalendarDate.ageOn(subject.birthDate, on)
    age = Result.isSuccess(computed) ? computed.success : undefined
  }
  if (age === undefined) return "unknown"
  if (age < 5) return "0-4"
  if (age < 12) return "5-11"
  if (age < 14) return "12-13"
  if (age < 18) return "14-17"
  return age < 60 ? "18-59" : "60+"
}

/** What an actor may see of a case. Sections the actor may not see are absent. */
export interface View {
  readonly caseId: CaseModel.CaseId
  readonly summary: {
    readonly stage: Sop.Stage
    readonly region: Region.RegionCode
    readonly owner: Agency.AgencyId
    readonly subjectKind: Case.SubjectRecord["kind"]
    readonly ageBand: AgeBand
    readonly version: number
  }
  readonly classification?: CaseModel.Classification
  readonly risk?: Case.RiskRecord
  readonly plan?: Case.PlanRecord
  readonly services?: Case.Case["services"]
  readonly sppa?: Case.Case["sppa"]
  /** Everything else the owning agency and readers in its region see: approvals, referrals, transfers, placements. */
  readonly work?: {
    readonly assigned: ReadonlyArray<Actor.ActorId>
    readonly approvals: ReadonlyArray<Case.Approval>
    readonly referrals: ReadonlyArray<Case.Referral>
    readonly transfers: ReadonlyArray<Case.Transfer>
    readonly placements: ReadonlyArray<Case.Placement>
    readonly consents: ReadonlyArray<Case.Consent>
    readonly safetyPlan?: Case.Case["safetyPlan"]
    readonly reintegration?: Case.Case["reintegration"]
    readonly followUps: Case.Case["followUps"]
    readonly escalations: ReadonlyArray<Case.Escalation>
  }
  /** Whether the actor may read the subject's identity (through the identity port, never in this view). */
  readonly identity: "visible" | "hidden"
  /** Whether the actor may read the event history. */
  readonly history: boolean
}

/**
 * What `actor` may see of a case on `today` (the local date, for the age band), or the {@link SopError.Forbidden}
 * that says why they may see nothing. Pass the agency directory to let supervisors of social-affairs agencies of
 * the case's region read it. A referral recipient sees only the sections the referral shares, while it is
 * live; identity itself is never part of a view — `identity` says whether the identity port will show it.
 */
export const view = (
  state: Case.State,
  actor: Actor.Actor,
  today: CalendarDate.CalendarDate,
  agencies?: Agency.Directory
): Result.Result<View, SopError.Forbidden> => {
  const context: Context = agencies === undefined ? {} : { agencies }
  const readable = authorize(actor, "read", state, context)
  if (Result.isFailure(readable)) return Result.fail(readable.failure)
  if (state._tag === "Empty") return deny("read", "the case does not exist")
  const full =
    actor.agency === state.owner ||
    readsByRegion(actor, state, agencies) ||
    (actor.role === "auditor" && inRegion(actor, state.region))
  const shared = sharedWith(state, actor)
  const sees = (section: CaseModel.SharedData) => full || shared.has(section)
  const plan =
    Case.approvedPlan(state) ?? (state.currentPlan === undefined ? undefined : state.plans[state.currentPlan])
  return Result.succeed({
    caseId: state.id,
    summary: {
      stage: state.stage,
      region: state.region,
      owner: state.owner,
      subjectKind: state.subject.kind,
      ageBand: ageBand(state.subject, today),
      version: state.version
    },
    ...(sees("classification") && state.classification !== undefined ? { classification: state.classification } : {}),
    ...(sees("risk") && state.risk !== undefined ? { risk: state.risk } : {}),
    ...(sees("plan") && plan !== undefined ? { plan } : {}),
    ...(sees("services") ? { services: state.services } : {}),
    ...(sees("sppa") ? { sppa: state.sppa } : {}),
    ...(full
      ? {
          work: {
            assigned: state.assigned,
            approvals: Object.values(state.approvals),
            referrals: Object.values(state.referrals),
            transfers: Object.values(state.transfers),
            placements: Object.values(state.placements),
            consents: Object.values(state.consents),
            ...(state.safetyPlan === undefined ? {} : { safetyPlan: state.safetyPlan }),
            ...(state.reintegration === undefined ? {} : { reintegration: state.reintegration }),
            followUps: state.followUps,
            escalations: state.escalations
          }
        }
      : {}),
    identity: Result.isSuccess(authorize(actor, "read-identity", state, context)) ? "visible" : "hidden",
    history: Result.isSuccess(authorize(actor, "read-history", state, context))
  })
}
