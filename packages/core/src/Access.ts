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
 * - an administrator sees no case content; the system scheduler only checks deadlines and lists what is due.
 *
 * This module is the one door: every decision — a command, a read, a list or count, a workload, an identity read,
 * replacement, erasure or link — is made here, and the case service calls it before touching storage. Every
 * function takes its arguments in one order: `(actor, action, target, context)`.
 *
 * @since 0.1.0
 */
import { Result } from "effect"
import type * as Actor from "./Actor.js"
import * as Agency from "./Agency.js"
import * as CalendarDate from "./CalendarDate.js"
import * as Case from "./Case.js"
import type * as CaseModel from "./CaseModel.js"
import type * as CaseView from "./CaseView.js"
import * as Region from "./Region.js"
import * as SopError from "./SopError.js"

/** What an actor may ask to do with one case. */
export type CaseAction =
  | "register"
  | "import-subject"
  | "read"
  | "read-history"
  | "read-identity"
  | "replace-identity"
  | "erase-identity"
  | "assign"
  | "work"
  | "approve"
  | "respond-referral"
  | "respond-transfer"
  | "tick"

/**
 * What an actor may ask to do with many cases: list or count them, export them (pseudonymous entries, on a lawful
 * basis: `CaseExport`), or (the scheduler) list what is due, bring every case's due instants up to the policy, and
 * find the assignments the directory no longer allows (`release-assignments`).
 */
export type ListAction = "list" | "list-due" | "export" | "refresh-due" | "release-assignments"

/** What an actor may ask to see of an agency. */
export type AgencyAction = "read-workload"

/** Every action. */
export type Action = CaseAction | ListAction | AgencyAction

/** Every case action, for property tests and documentation. */
export const caseActions: ReadonlyArray<CaseAction> = [
  "register",
  "import-subject",
  "read",
  "read-history",
  "read-identity",
  "replace-identity",
  "erase-identity",
  "assign",
  "work",
  "approve",
  "respond-referral",
  "respond-transfer",
  "tick"
]

/** Every action, for property tests and documentation. */
export const actions: ReadonlyArray<Action> = [
  ...caseActions,
  "list",
  "list-due",
  "export",
  "refresh-due",
  "release-assignments",
  "read-workload"
]

/** Roles that work inside government social affairs and may act on cases their agency owns. */
const isStaff = (role: Actor.Role): boolean =>
  role === "intake-officer" || role === "caseworker" || role === "supervisor" || role === "head-of-dinas"
/** Roles that lead: supervisors and heads. */
const isLead = (role: Actor.Role): boolean => role === "supervisor" || role === "head-of-dinas"

/** Whether the actor's agency region contains the case's region (national units contain every region). */
export const inRegion = (actor: Actor.Actor, region: Region.RegionCode): boolean =>
  Agency.serves({ region: actor.region }, region)

/**
 * The live referrals of a case to the actor's agency whose basis still holds (SOP-06: a referral resting on a
 * withdrawn consent, or on one given by an alleged perpetrator, grants nothing). A closed case grants nothing
 * through referrals (SOP-07): closing withdraws them, and histories recorded before it did can still hold them live.
 */
export const referralsTo = (state: Case.Case, actor: Actor.Actor): ReadonlyArray<Case.Referral> =>
  state.stage === "closed"
    ? []
    : Case.liveReferrals(state).filter(
        (referral) => referral.to === actor.agency && Case.basisHolds(state, referral.legalBasis)
      )

const referredTo = (state: Case.Case, actor: Actor.Actor): boolean => referralsTo(state, actor).length > 0

/** The open case is being transferred to the actor's agency, on a basis that still holds (SOP-06, SOP-07). */
const transferringTo = (state: Case.Case, actor: Actor.Actor): boolean => {
  if (state.stage === "closed") return false
  const transfer = Case.pendingTransfer(state)
  return transfer?.to === actor.agency && Case.basisHolds(state, transfer.legalBasis)
}

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

/** Whether the actor's agency is a social-affairs agency the directory knows (reading by region starts there). */
const ofSocialAffairs = (actor: Actor.Actor, agencies?: Agency.Directory): boolean => {
  const agency = agencies?.get(actor.agency)
  return agency !== undefined && Agency.isSocialAffairs(agency)
}

/**
 * Whether the actor reads the case by region: a supervisor or head of a social-affairs agency (known in the
 * directory) whose region contains the case's region.
 */
export const readsByRegion = (actor: Actor.Actor, state: Case.Case, agencies?: Agency.Directory): boolean =>
  isLead(actor.role) && ofSocialAffairs(actor, agencies) && inRegion(actor, state.region)

/** Whether the actor's agency is one whose auditors read by region (`Agency.audits`), known in the directory. */
const ofAuditors = (actor: Actor.Actor, agencies?: Agency.Directory): boolean => {
  const agency = agencies?.get(actor.agency)
  return agency !== undefined && Agency.audits(agency)
}

/**
 * Whether the actor audits the case: an auditor of a social-affairs agency or an inspectorate (known in the
 * directory) whose region contains the case's region. An auditor's role given to a person of another kind of agency
 * (an LPA, the police) reads nothing by region.
 */
const auditsRegion = (actor: Actor.Actor, region: Region.RegionCode, agencies?: Agency.Directory): boolean =>
  actor.role === "auditor" && ofAuditors(actor, agencies) && inRegion(actor, region)

/** Why an auditor may not read a case, if it may not. */
const whyNotAudited = (actor: Actor.Actor, state: Case.Case, agencies?: Agency.Directory): string | undefined => {
  if (auditsRegion(actor, state.region, agencies)) return undefined
  if (agencies === undefined) {
    return "an auditor reads by region, which is decided from the agency directory (context.agencies), which was not given"
  }
  return ofAuditors(actor, agencies)
    ? "the case lies outside the auditor's region"
    : "an auditor reads cases by region only for a social-affairs agency (Dinas Sosial, Sentra, UPTD) or an inspectorate of the directory"
}

/**
 * Why `actor` may not take `action` on a case, in plain words — or `undefined` when it may. This is the one
 * access decision on a case; {@link authorize} wraps it in a typed error and the decider in a plain rejection.
 * For `register` and `import-subject`, pass the region and owner of the report being registered in
 * `context.registering`. `import-subject` (a bulk migration that brings its own
 * subject ids for subjects that do not exist yet) is allowed exactly when registering the report is.
 */
export const whyNot = (
  actor: Actor.Actor,
  action: CaseAction,
  state: Case.State,
  context: Context = {}
): string | undefined => {
  const { registering } = context
  if (actor.role === "administrator") return "an administrator sees no case content"
  if (actor.role === "system") {
    return action === "tick" ? undefined : "the system scheduler only checks deadlines"
  }
  if (action === "register" || action === "import-subject") {
    if (registering === undefined) return "nothing to register"
    if (!isStaff(actor.role)) return `a ${actor.role} cannot register a report`
    if (actor.agency !== registering.owner) {
      return "a report is registered into the actor's own agency"
    }
    return inRegion(actor, registering.region)
      ? undefined
      : `region ${registering.region} lies outside the actor's agency region ${actor.region}`
  }
  if (state._tag === "Empty") return "the case does not exist"

  const owner = actor.agency === state.owner
  // An assignment counts for a caseworker only: a person whose role the directory changed since (to intake officer,
  // say) keeps no access through the cases assigned before. Supervisors and heads reach the case anyway.
  const assigned = actor.role === "caseworker" && state.assigned.includes(actor.id)
  // Whether the case is referred or being transferred to the actor's agency is looked up only where an action
  // needs it (both scan the case's records).

  switch (action) {
    case "read":
      if (actor.role === "auditor") return whyNotAudited(actor, state, context.agencies)
      if (owner || referredTo(state, actor) || transferringTo(state, actor)) return undefined
      if (actor.role === "partner") return "a partner reads a case only through a live referral"
      if (readsByRegion(actor, state, context.agencies)) return undefined
      // Without the directory, the actor's agency cannot be checked: say so rather than deny for a reason not checked.
      return context.agencies === undefined && isLead(actor.role)
        ? "the case is not owned by, referred to or being transferred to the actor's agency, and reading by region is decided from the agency directory (context.agencies), which was not given"
        : "the case is not owned by, referred to or being transferred to the actor's agency, and the actor is not a supervisor of a social-affairs agency of its region"
    case "read-history":
      if (actor.role === "auditor") return whyNotAudited(actor, state, context.agencies)
      return owner && (isLead(actor.role) || assigned)
        ? undefined
        : "the history is read by auditors and by the owning agency's assigned workers and supervisors"
    case "read-identity":
      if (actor.role === "partner" || actor.role === "auditor") {
        return `a ${actor.role} never sees a child's identity (UU 11/2012 Pasal 19)`
      }
      if (owner && (isLead(actor.role) || assigned)) return undefined
      return sharedWith(state, actor).has("identity")
        ? undefined
        : "identity is shown to the owning agency's assigned workers and supervisors, or when a live referral shares it"
    case "replace-identity":
      if (actor.role === "partner" || actor.role === "auditor") {
        return `a ${actor.role} never sees a child's identity (UU 11/2012 Pasal 19)`
      }
      return owner && (isLead(actor.role) || assigned)
        ? undefined
        : "an identity is corrected by the owning agency's assigned caseworkers and supervisors"
    case "erase-identity":
      return owner && isLead(actor.role)
        ? undefined
        : "only a supervisor or head of the owning agency erases a subject's identity (UU 27/2022)"
    case "assign":
      return owner && isLead(actor.role)
        ? undefined
        : "only a supervisor or head of the owning agency assigns caseworkers"
    case "work":
      if (!owner) return "only the owning agency works on the case"
      if (isLead(actor.role)) return undefined
      if (actor.role === "caseworker") return assigned ? undefined : "the caseworker is not assigned to the case"
      return `a ${actor.role} does not work on cases`
    case "approve":
      return owner && isLead(actor.role)
        ? undefined
        : "only a supervisor or head of the owning agency decides approvals"
    case "respond-referral":
      if (actor.role === "auditor" || actor.role === "intake-officer") {
        return `a ${actor.role} does not respond to referrals`
      }
      if (referredTo(state, actor)) return undefined
      if (!owner) return "the referral is not addressed to the actor's agency"
      return isLead(actor.role) || assigned ? undefined : "the caseworker is not assigned to the case"
    case "respond-transfer":
      if (isLead(actor.role) && transferringTo(state, actor)) return undefined
      if (owner && isLead(actor.role)) return undefined
      return "only a supervisor or head of the sending or receiving agency responds to a transfer"
    case "tick":
      return owner && isStaff(actor.role) ? undefined : "deadlines are checked by the owning agency"
  }
}

/**
 * Whether `actor` may take `action` on a case, as a typed {@link SopError.Forbidden} that says why not (see
 * {@link whyNot}). For `register` and `import-subject`, pass the region and owner of the report in
 * `context.registering`.
 */
export const authorize = (
  actor: Actor.Actor,
  action: CaseAction,
  state: Case.State,
  context: Context = {}
): Result.Result<void, SopError.Forbidden> => {
  const reason = whyNot(actor, action, state, context)
  return reason === undefined ? allow : deny(action, reason)
}

/** Whether {@link authorize} allows an action. */
export const can = (actor: Actor.Actor, action: CaseAction, state: Case.State, context: Context = {}): boolean =>
  whyNot(actor, action, state, context) === undefined

/** What a list or count asks for: a region (default: the actor's reach) and an owning agency. */
export interface ListRequest {
  readonly region?: Agency.Scope
  readonly owner?: Agency.AgencyId
  /** The index filter asked for, where it matters to access: only the scheduler lists by wake-up instant. */
  readonly filter?: { readonly wakeBefore?: unknown }
}

/** What a list or count is limited to: a region, and for actors who read only their agency's cases, an owner. */
export interface ListScope {
  readonly region: Agency.Scope
  readonly owner?: Agency.AgencyId
}

/**
 * What a list or count of cases is limited to, following `read`: the owning agency's staff list its cases
 * wherever they are; supervisors, heads and auditors of a social-affairs agency known to the directory (and the
 * auditors of an inspectorate) list by region — the requested region within their own; other staff list their own agency's cases only; partners
 * (who read through referrals), administrators and the scheduler list nothing. `list-due` is the scheduler's
 * narrow list of cases with deadlines: the system actor gets every region (it only ever decides `Tick`, and
 * refreshes due instants); anyone else gets what `list` gives them. `export` is `list` for supervisors, heads of a
 * dinas and auditors only: an export leaves the system, so the roles who answer for the agency's data make it (with
 * a lawful basis, checked by `CaseService.exportCases`, recorded in the export's manifest: `CaseExport`).
 * `refresh-due` rewrites the due instants of every case's index entry under the policy (`CaseService.refreshDue`;
 * nothing is shown), and `release-assignments` finds the open cases assigned to people the directory no longer lets
 * their owner assign (`CaseService.staleAssignments`): each the system actor's alone, over every region. A filter by wake-up instant
 * (`CaseIndex.Filter.wakeBefore`, which can tell a child's birth date) is the scheduler's alone: the system actor
 * with `list-due`; anyone else asking for it is refused.
 *
 * Every case in the scope is one the actor may `read` (the access properties check it).
 */
export const listScope = (
  actor: Actor.Actor,
  action: ListAction,
  requested: ListRequest,
  context: Context = {}
): Result.Result<ListScope, SopError.Forbidden> => {
  const { region, owner } = requested
  if (requested.filter?.wakeBefore !== undefined && (actor.role !== "system" || action !== "list-due")) {
    return deny(action, "only the deadline scheduler lists cases by when it next looks at them")
  }
  if (actor.role === "system") {
    return action === "list-due" || action === "refresh-due" || action === "release-assignments"
      ? Result.succeed({ region: region ?? "ID", ...(owner === undefined ? {} : { owner }) })
      : deny(action, "the system scheduler only lists cases that have deadlines")
  }
  if (action === "refresh-due") return deny(action, "only the deadline scheduler refreshes the cases' due instants")
  if (action === "release-assignments") {
    return deny(action, "only the deadline scheduler looks for assignments the directory no longer allows")
  }
  if (actor.role === "administrator") return deny(action, "an administrator sees no case content")
  if (actor.role === "partner") {
    return deny(action, "a partner reads a case only through a live referral: open referred cases by their id")
  }
  if (action === "export" && !isLead(actor.role) && actor.role !== "auditor") {
    return deny(action, "cases are exported by a supervisor, the head of a dinas or an auditor")
  }
  if (owner !== undefined && owner === actor.agency && isStaff(actor.role)) {
    return Result.succeed({ region: region ?? "ID", owner })
  }
  const byRegion =
    actor.role === "auditor"
      ? ofAuditors(actor, context.agencies)
      : isLead(actor.role) && ofSocialAffairs(actor, context.agencies)
  if (!byRegion) {
    if (actor.role === "auditor") {
      return deny(
        action,
        "an auditor lists cases by region only for a social-affairs agency or an inspectorate of the directory"
      )
    }
    if (owner !== undefined && owner !== actor.agency) {
      return deny(action, `a ${actor.role} lists only the cases of the actor's own agency ${actor.agency}`)
    }
    return Result.succeed({ region: region ?? "ID", owner: actor.agency })
  }
  const within = (scope: Agency.Scope): ListScope => ({ region: scope, ...(owner === undefined ? {} : { owner }) })
  const mine = actor.region
  if (region === undefined || region === mine) return Result.succeed(within(mine))
  if (mine === "ID") return Result.succeed(within(region))
  if (region === "ID") return Result.succeed(within(mine))
  if (Region.contains(mine, region)) return Result.succeed(within(region))
  if (Region.contains(region, mine)) return Result.succeed(within(mine))
  return deny(action, `region ${region} lies outside the actor's region ${mine}`)
}

/**
 * Whether `actor` may see the workload of an agency (its open cases counted, its caseload), and over which cases: a
 * workload is a count of all the agency's cases, so it is read by those whose {@link listScope} for the agency's
 * cases in the agency's region takes them all — its own staff; supervisors, heads and auditors of a social-affairs
 * agency known to the directory (and the auditors of an inspectorate), whose region contains the agency's. Anyone else is refused: other sectors,
 * partners, administrators, the scheduler, and a reader whose region lies inside the agency's (a kota's supervisor
 * and its province's Dinas), who would count only part of it. The answer is the scope to count in.
 */
export const authorizeAgency = (
  actor: Actor.Actor,
  action: AgencyAction,
  agency: Agency.Agency,
  context: Context = {}
): Result.Result<ListScope, SopError.Forbidden> => {
  const scope = listScope(actor, "list", { owner: agency.id, region: agency.region }, context)
  if (Result.isFailure(scope)) return deny(action, scope.failure.detail)
  const { region } = scope.success
  return region === "ID" || region === agency.region
    ? scope
    : deny(action, `the workload of ${agency.id} is read by those whose region contains ${agency.region}`)
}

/** What may be done with a subject that cases already hold. */
export type SubjectAction = "link-subject" | "replace-identity" | "erase-identity"

/** Why a subject action is refused: the subject is unknown or unreachable (one answer for both), or forbidden. */
export type SubjectRefusal = { readonly _tag: "SubjectNotFound" } | SopError.Forbidden

/**
 * Whether `actor` may act on a subject through the cases that hold it (`holders`, every case naming the subject):
 *
 * - `link-subject` (a new report about a subject that has cases): the actor must be able to read the identity
 *   through at least one holder that its own agency owns. A live referral that shares identity does not let the
 *   recipient link (its own case would keep the identity for good, after the referral ends, and block the owner's
 *   erasure): the recipient registers its own subject. Otherwise — and when no case holds the subject — the answer
 *   is `SubjectNotFound`, so existence cannot be probed.
 * - `replace-identity` and `erase-identity`: the identity belongs to every case that holds it, so the actor must
 *   be allowed the action on every holder; refused with the reason otherwise (without naming the other cases).
 *   An actor who cannot read the identity through any holder gets `SubjectNotFound`.
 */
export const authorizeSubject = (
  actor: Actor.Actor,
  action: SubjectAction,
  holders: ReadonlyArray<Case.State>,
  context: Context = {}
): Result.Result<void, SubjectRefusal> => {
  const cases = holders.filter((state): state is Case.Case => state._tag === "Case")
  if (action === "link-subject") {
    const links = cases.some((state) => state.owner === actor.agency && can(actor, "read-identity", state, context))
    return links ? allow : Result.fail({ _tag: "SubjectNotFound" })
  }
  const reaches = cases.some((state) => can(actor, "read-identity", state, context))
  if (!reaches) return Result.fail({ _tag: "SubjectNotFound" })
  const refused = cases.map((state) => authorize(actor, action, state, context)).find(Result.isFailure)
  if (refused === undefined) return allow
  return cases.length > 1 && cases.some((state) => can(actor, action, state, context))
    ? deny(action, "the identity is also held by another case that the actor may not change")
    : Result.fail(refused.failure)
}

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

/** What an actor may see of a case. Sections the actor may not see are absent. Its Schema is `CaseView.View`. */
export type View = CaseView.View

/** What {@link view} consults: the local date of the case (for the age band) and the agency directory. */
export interface ViewContext extends Context {
  readonly today: CalendarDate.CalendarDate
}

/**
 * What `actor` may see of a case on `context.today` (the local date, for the age band), or the
 * {@link SopError.Forbidden} that says why they may see nothing. Pass the agency directory to let supervisors of social-affairs agencies of
 * the case's region read it. A referral recipient sees only the sections the referral shares, while it is
 * live; identity itself is never part of a view — `identity` says whether the identity port will show it.
 */
export const view = (
  actor: Actor.Actor,
  state: Case.State,
  context: ViewContext
): Result.Result<View, SopError.Forbidden> => {
  const { agencies, today } = context
  const readable = authorize(actor, "read", state, context)
  if (Result.isFailure(readable)) return Result.fail(readable.failure)
  if (state._tag === "Empty") return deny("read", "the case does not exist")
  const full =
    actor.agency === state.owner || readsByRegion(actor, state, agencies) || auditsRegion(actor, state.region, agencies)
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
            conferences: Object.values(state.conferences),
            dataSubjectRequests: Object.values(state.dataSubjectRequests),
            nationalReferences: state.nationalReferences,
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
