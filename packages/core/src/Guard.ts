/**
 * The named guards of the SOP: each is a condition a command must meet, with the rule it enforces and, in plain
 * words, what it requires. `check` returns `undefined` when the command meets it, or what is missing. The SOP
 * table (`SopTable`) lists the guards of every command in the order the decider checks them; a failed guard is
 * rejected citing the guard's rule. Guards are pure and callable on their own.
 *
 * @example
 * ```ts
 * import { Guard } from "@lindung/core"
 *
 * Guard.planApproved.rule // "SOP-02"
 * Guard.planApproved.check(input) // undefined, or "the case plan has not been approved"
 * ```
 *
 * @since 0.2.0
 */
import type { DateTime } from "effect"
import { Result } from "effect"
import type * as Actor from "./Actor.js"
import * as Agency from "./Agency.js"
import * as CalendarDate from "./CalendarDate.js"
import * as Case from "./Case.js"
import type * as CaseCommand from "./CaseCommand.js"
import * as CaseModel from "./CaseModel.js"
import * as Classification from "./Classification.js"
import * as DataSubject from "./DataSubject.js"
import {
  adultOn,
  approvingBidang,
  approvingPositions,
  holdsApprovingOffice,
  isAdultNow
} from "./internal/decide/facts.js"
import * as Person from "./Person.js"
import type * as Policy from "./Policy.js"
import * as Region from "./Region.js"
import * as Risk from "./Risk.js"
import * as Sop from "./Sop.js"
import * as Sppa from "./Sppa.js"

/** What a guard reads: the case, the command, who acts, when, and under which policy. */
export interface Input<out K extends CaseCommand.Type = CaseCommand.Type, out S extends Case.State = Case.Case> {
  /** The case; for `RegisterReport`, the state of the case id (empty, or taken). */
  readonly state: S
  readonly command: CaseCommand.Of<K>
  readonly actor: Actor.Actor
  readonly agencies: Agency.Directory
  /** The people of the agencies, when the deployment passes them (see `Decider.Context`). */
  readonly people: Person.People | undefined
  readonly now: DateTime.Utc
  /**
   * The local date of the decision in the case's region; for `RegisterReport`, the date of the report
   * (`occurredAt`, else `now`) in the report's region.
   */
  readonly today: CalendarDate.CalendarDate
  readonly policy: Policy.Policy
}

/** A named condition on commands of types `K`, citing the rule it enforces. */
export interface Guard<in K extends CaseCommand.Type = CaseCommand.Type, in S extends Case.State = Case.Case> {
  /** The guard's name, as exported from this module. */
  readonly name: string
  readonly rule: Sop.RuleRef
  /** What the guard requires, in plain English (the docs show it). */
  readonly requires: string
  /** `undefined` when the command meets the guard, or what is missing. */
  readonly check: (input: Input<K, S>) => string | undefined
}

const guard = <K extends CaseCommand.Type, S extends Case.State = Case.Case>(
  name: string,
  rule: Sop.RuleRef,
  requires: string,
  check: (input: Input<K, S>) => string | undefined
): Guard<K, S> => ({ name, rule, requires, check })

// ---------------------------------------------------------------------------------------------------------------
// Registration and assignment

/** SOP-07: the owning agency's region contains the case's region. */
export const ownerServesRegion = guard<"RegisterReport", Case.State>(
  "ownerServesRegion",
  "SOP-07",
  "the owning agency's region contains the case's region",
  ({ command, agencies }) => {
    const owner = agencies.get(command.owner)
    return owner === undefined || Agency.serves(owner, command.region)
      ? undefined
      : `the owning agency's region ${owner.region} does not contain the case's region ${command.region}`
  }
)

/** SOP-07: a caseworker is assigned only when active in the owning agency (checked when the people are known). */
export const assigneeIsActiveStaff = guard<"AssignCaseworker">(
  "assigneeIsActiveStaff",
  "SOP-07",
  "the assignee is an active caseworker, supervisor or head of the owning agency (when the people are known)",
  ({ state, command, people }) => {
    if (people === undefined) return undefined
    return Person.assignable(people, command.caseworker, state.owner)
      ? undefined
      : `${command.caseworker} is not an active caseworker, supervisor or head of the owning agency ${state.owner}`
  }
)

// ---------------------------------------------------------------------------------------------------------------
// Assessment

/** SOP-ADULT-NO-AMPK: an adult PPKS case carries no AMPK category. */
export const adultHasNoAmpk = guard<"RecordAssessment">(
  "adultHasNoAmpk",
  "SOP-ADULT-NO-AMPK",
  "an adult's case carries PPKS categories only",
  ({ state, command }) =>
    state.subject.kind === "adult" && command.classification.ampk.length > 0
      ? "an adult PPKS case cannot carry AMPK categories"
      : undefined
)

/** CLASS-CHILD-PPKS: a child is counted in the child PPKS categories 1–7 only. */
export const childPpksOnly = guard<"RecordAssessment">(
  "childPpksOnly",
  Classification.rule["CLASS-CHILD-PPKS"],
  "a child's case carries the child PPKS categories 1–7 only",
  ({ state, command }) => {
    if (state.subject.kind !== "child" || command.classification.ppks.every(Classification.isChildPpks))
      return undefined
    const adultCodes = command.classification.ppks.filter((code) => !Classification.isChildPpks(code))
    return `a child is counted in the child PPKS categories 1–7 only, not ${adultCodes.join(", ")}`
  }
)

/** CLASS-CLUSTER: a child is served in the children's ATENSI cluster. */
export const childInChildrenCluster = guard<"RecordAssessment">(
  "childInChildrenCluster",
  Classification.rule["CLASS-CLUSTER"],
  "a child's case is in the children's ATENSI cluster (anak)",
  ({ state, command }) => {
    const cluster = command.classification.cluster
    return state.subject.kind !== "child" || cluster === undefined || cluster === "children"
      ? undefined
      : `a child is served in the children's ATENSI cluster, not ${cluster}`
  }
)

/** SOP-01: once the assessment is completed, a reassessment keeps at least one category. */
export const reassessmentKeepsCategory = guard<"RecordAssessment">(
  "reassessmentKeepsCategory",
  "SOP-01",
  "a reassessment after the assessment was completed keeps at least one AMPK or PPKS category",
  ({ state, command }) =>
    state.stage !== "assessment" && command.classification.ampk.length + command.classification.ppks.length === 0
      ? "a reassessment after the assessment was completed keeps at least one AMPK or PPKS category"
      : undefined
)

/** RISK-OVERRIDE-REASON: a risk level other than the computed one has a reason. */
export const riskOverrideHasReason = guard<"RecordAssessment">(
  "riskOverrideHasReason",
  Risk.rule["RISK-OVERRIDE-REASON"],
  "a risk level other than the computed one gives a reason",
  ({ command, policy }) => {
    const computed = Risk.computedLevel(command.factors, policy.risk)
    return Risk.missingOverrideReason({ computed, chosen: command.chosenLevel ?? computed, reason: command.reason })
  }
)

/** SOP-01: the assessment has an AMPK or PPKS category. */
export const assessmentHasCategory = guard(
  "assessmentHasCategory",
  "SOP-01",
  "the assessment has at least one AMPK or PPKS category",
  ({ state }) =>
    state.classification !== undefined && state.classification.ampk.length + state.classification.ppks.length > 0
      ? undefined
      : "the assessment has no AMPK or PPKS category"
)

/** SOP-01: the assessment has a risk level. */
export const assessmentHasRiskLevel = guard(
  "assessmentHasRiskLevel",
  "SOP-01",
  "the assessment has a risk level",
  ({ state }) => (state.risk !== undefined ? undefined : "the assessment has no risk level")
)

/** SOP-01: a reopened case is assessed anew: the assessment in force was recorded after the reopening. */
export const assessedSinceReopening = guard(
  "assessedSinceReopening",
  "SOP-01",
  "a reopened case is assessed anew before its assessment is completed",
  ({ state }) =>
    state.reopening === undefined || state.reopening.assessed
      ? undefined
      : "the case was reopened: record a new assessment before completing it"
)

/** SOP-01: a tinggi-risk case has a safety plan — a reopened case, one recorded since the reopening. */
export const tinggiRiskHasSafetyPlan = guard(
  "tinggiRiskHasSafetyPlan",
  "SOP-01",
  "a tinggi-risk case has a safety plan (a reopened case, one recorded since it was reopened)",
  ({ state }) => {
    if (state.risk?.effective !== "tinggi") return undefined
    if (state.safetyPlan === undefined)
      return "a tinggi-risk case needs a safety plan before the assessment is completed"
    return state.reopening === undefined || state.reopening.safetyPlan
      ? undefined
      : "a reopened tinggi-risk case needs a safety plan recorded since it was reopened"
  }
)

// ---------------------------------------------------------------------------------------------------------------
// Planning, approval and intervention

/** SOP-02: a case plan rests on the risk level of the assessment. */
export const planHasRiskLevel = guard(
  "planHasRiskLevel",
  "SOP-02",
  "a case plan rests on a risk level from the assessment",
  ({ state }) => (state.risk === undefined ? "a case plan needs a risk level from the assessment" : undefined)
)

/** SOP-03: no one approves their own request. */
export const notOwnRequest = guard<"DecideApproval">(
  "notOwnRequest",
  "SOP-03",
  "the approver did not make the request",
  ({ state, command, actor }) =>
    state.approvals[command.approval]?.requestedBy === actor.id
      ? "the request was made by the same person: no one approves their own request"
      : undefined
)

/**
 * SOP-03: the approver holds the approving office of the owning agency (its Dinas type decides which) — where a
 * Kabid approves, the Kabid of the bidang that holds rehabilitation.
 */
export const approverHoldsOffice = guard<"DecideApproval">(
  "approverHoldsOffice",
  "SOP-03",
  "the approver holds the approving office of the owning agency (DINAS-APPROVER)",
  ({ state, actor, agencies, policy }) => {
    const owner = agencies.get(state.owner)
    return holdsApprovingOffice(actor, owner, policy.dinas)
      ? undefined
      : `the approver must hold the approving office of the responsible agency (${officesOf(owner, policy)}), not ${heldBy(actor, owner, policy)}`
  }
)

/** The approving offices of an agency, as a rejection names them (`kabid of <bidang>` where a Kabid approves). */
const officesOf = (agency: Agency.Agency | undefined, policy: Policy.Policy): string => {
  const bidang = approvingBidang(agency, policy.dinas)
  return approvingPositions(agency, policy.dinas)
    .map((p) => (p === "kabid" && bidang !== undefined ? `kabid of ${bidang}` : p))
    .join(" or ")
}

/** The office an actor holds, as a rejection names it. */
const heldBy = (actor: Actor.Actor, agency: Agency.Agency | undefined, policy: Policy.Policy): string => {
  const bidang = approvingBidang(agency, policy.dinas)
  const held =
    actor.position === "kabid" && bidang !== undefined ? `kabid of ${actor.bidang ?? "no bidang"}` : actor.position
  return held ?? "no office"
}

/**
 * SOP-03: a transfer of responsibility is accepted by the approving office of the receiving agency (its Dinas type
 * decides which; in seed 000 the Kadis of Dinsos Kota Padang accepts it), the office that answers for the case from
 * then.
 */
export const receiverHoldsOffice = guard<"UpdateTransfer">(
  "receiverHoldsOffice",
  "SOP-03",
  "a transfer is accepted by the approving office of the receiving agency (DINAS-APPROVER)",
  ({ state, command, actor, agencies, policy }) => {
    if (command.status !== "accepted") return undefined
    const to = state.transfers[command.transfer]?.to
    const receiver = to === undefined ? undefined : agencies.get(to)
    return holdsApprovingOffice(actor, receiver, policy.dinas)
      ? undefined
      : `a transfer is accepted by the approving office of the receiving agency (${officesOf(receiver, policy)}), not ${heldBy(actor, receiver, policy)}`
  }
)

/** The plan a `DecideApproval` approves, if it approves one. */
const approvingPlan = (input: Input<"DecideApproval">): CaseModel.PlanId | undefined => {
  const subject = approving(input)?.subject
  return subject?._tag === "plan" ? subject.plan : undefined
}

/**
 * SOP-02: an approved plan is the plan proposed last — not one a later proposal replaced, nor one proposed before the
 * case was reopened (a reopened case is planned anew).
 */
export const planApprovalIsCurrent = guard<"DecideApproval">(
  "planApprovalIsCurrent",
  "SOP-02",
  "an approved plan is the one proposed last since the case was (re)opened",
  (input) => {
    const plan = approvingPlan(input)
    if (plan === undefined || plan === input.state.currentPlan) return undefined
    return input.state.currentPlan === undefined
      ? `plan ${plan} was proposed before the case was reopened: propose the plan anew; reject this request instead`
      : `plan ${plan} was replaced by plan ${input.state.currentPlan}: reject this request instead`
  }
)

/** The approval a `DecideApproval` approves, if it approves one. */
const approving = (input: Input<"DecideApproval">): Case.Approval | undefined =>
  input.command.decision === "approved" ? input.state.approvals[input.command.approval] : undefined

/** RISK-LOWER-APPROVAL: approving a lower risk level approves the level the assessment in force chose. */
export const riskLoweringStillCurrent = guard<"DecideApproval">(
  "riskLoweringStillCurrent",
  Risk.rule["RISK-LOWER-APPROVAL"],
  "an approved lowering of the risk is the one the assessment in force asks for",
  (input) => {
    const subject = approving(input)?.subject
    if (subject?._tag !== "risk-lowering") return undefined
    const current = input.state.risk?.decision
    return current?.needsSupervisorApproval === true && current.chosen === subject.level
      ? undefined
      : `the request to lower the risk to ${subject.level} was superseded by a later assessment; reject it instead`
  }
)

/** SOP-02: intervention starts from an approved plan. */
export const planApproved = guard("planApproved", "SOP-02", "the case plan has been approved", ({ state }) =>
  Case.approvedPlan(state) === undefined ? "the case plan has not been approved" : undefined
)

/** SOP-02: a plan adopted at rendah risk is approved by a supervisor once the risk is higher. */
export const planApprovalFitsRisk = guard(
  "planApprovalFitsRisk",
  "SOP-02",
  "a plan adopted without approval at rendah risk is approved once the risk is sedang or tinggi",
  ({ state }) => {
    const plan = Case.approvedPlan(state)
    return plan === undefined || state.risk?.effective === "rendah" || plan.adoption === "approval"
      ? undefined
      : `the plan was adopted at rendah risk, but the case is now ${state.risk?.effective}: a supervisor must approve it`
  }
)

/** SOP-02: a service delivered is a component of the approved plan. */
export const serviceInApprovedPlan = guard<"RecordService">(
  "serviceInApprovedPlan",
  "SOP-02",
  "the service is a component of the approved case plan",
  ({ state, command }) => {
    const plan = Case.approvedPlan(state)
    return plan?.plan.items.some((item) => item.component === command.component) === true
      ? undefined
      : `service ${command.component} is not part of the approved case plan`
  }
)

/** SOP-07: a referral recipient records only the services its own agency delivers. */
export const recipientRecordsOwnServices = guard<"RecordService">(
  "recipientRecordsOwnServices",
  "SOP-07",
  "a referral recipient records only the services its own agency delivers",
  ({ state, command, actor }) =>
    state.owner !== actor.agency && command.provider !== actor.agency
      ? "a referral recipient records only the services its own agency delivers"
      : undefined
)

// ---------------------------------------------------------------------------------------------------------------
// Consent and sharing

/** Whether a child case's subject was certainly 18 on `date` (see `adultOn`). */
const adultOnDate = (state: Case.Case, date: CalendarDate.CalendarDate, policy: Policy.Policy): boolean => {
  const on = adultOn(state, policy)
  return on !== undefined && CalendarDate.compare(date, on) >= 0
}

/**
 * Why `who` cannot speak for the subject's data (consent, or a data-subject request): an adult speaks for themself
 * or through a legal guardian; a child through a parent or the wali (UU 27/2022 Pasal 25).
 */
const whyNotSpeaker = (
  adult: boolean,
  who: CaseModel.ConsentGiver,
  act: { readonly does: string; readonly can: string; readonly needs: string }
): string | undefined => {
  if (adult) {
    return who === "self" || who === "legal-guardian"
      ? undefined
      : `an adult ${act.does} for themself (or through a legal guardian), not through a ${who}`
  }
  if (who === "self") return `a child's data needs ${act.needs} of a parent or guardian (UU 27/2022 Pasal 25)`
  return CaseModel.consentingRelations.includes(who)
    ? undefined
    : `a ${who} is not a parent or guardian who ${act.can} for a child`
}

/** SOP-06: a child's consent is given by a parent or guardian; an adult consents for themself or by a guardian. */
export const consentGiverMayConsent = guard<"RecordConsent">(
  "consentGiverMayConsent",
  "SOP-06",
  "a parent or guardian consents for a child; an adult consents for themself or through a legal guardian",
  ({ state, command }) =>
    whyNotSpeaker(state.subject.kind === "adult", command.givenBy, {
      does: "consents",
      can: "can consent",
      needs: "the consent"
    })
)

/**
 * PDP-SUBJECT-RIGHTS: a request is made by the person (or through a legal guardian) who was 18 when it was received —
 * also in a child case whose subject has since come of age — and for a child by a parent or the wali.
 */
export const requesterSpeaksForSubject = guard<"ReceiveDataSubjectRequest">(
  "requesterSpeaksForSubject",
  DataSubject.rule["PDP-SUBJECT-RIGHTS"],
  "a request is made by the person, or through a legal guardian; for a child by a parent or the wali",
  // A child case's subject who was 18 when the request was received makes it themself (a closed file is often an
  // adult's).
  ({ state, command, policy }) =>
    whyNotSpeaker(state.subject.kind === "adult" || adultOnDate(state, command.receivedOn, policy), command.by, {
      does: "makes the request",
      can: "can make a request",
      needs: "the request"
    })
)

/** PDP-SUBJECT-RIGHTS: an answer is given to a request that was received and not yet answered. */
export const dataSubjectRequestOpen = guard<"AnswerDataSubjectRequest">(
  "dataSubjectRequestOpen",
  DataSubject.rule["PDP-SUBJECT-RIGHTS"],
  "the request was received and has not been answered",
  ({ state, command }) => {
    const request = state.dataSubjectRequests[command.request]
    if (request === undefined) return `no data-subject request ${command.request} was received`
    return request.answeredOn === undefined
      ? undefined
      : `request ${command.request} was answered on ${request.answeredOn}`
  }
)

/** PDP-SUBJECT-RIGHTS: a child's data is never granted to an alleged perpetrator. */
export const notGrantedToAllegedPerpetrator = guard<"AnswerDataSubjectRequest">(
  "notGrantedToAllegedPerpetrator",
  DataSubject.rule["PDP-SUBJECT-RIGHTS"],
  "a request by an alleged perpetrator is not granted",
  ({ state, command }) => {
    const by = state.dataSubjectRequests[command.request]?.by
    return command.outcome === "granted" &&
      by !== undefined &&
      by !== "self" &&
      state.classification?.allegedPerpetrators.includes(by) === true
      ? `the ${by} is an alleged perpetrator: the child's data is not granted to them (refuse the request, with the reason)`
      : undefined
  }
)

/** SOP-06: an alleged perpetrator cannot consent. */
export const consentGiverNotPerpetrator = guard<"RecordConsent">(
  "consentGiverNotPerpetrator",
  "SOP-06",
  "the one who consents is not an alleged perpetrator",
  ({ state, command }) =>
    command.givenBy !== "self" && state.classification?.allegedPerpetrators.includes(command.givenBy) === true
      ? `the ${command.givenBy} is an alleged perpetrator and cannot consent`
      : undefined
)

/** What a transfer shares: the whole case, identity included. */
const transferShares: ReadonlyArray<CaseModel.SharedData> = CaseModel.SharedData.literals

/**
 * SOP-06: sharing rests on a lawful basis (UU 27/2022 Pasal 20 ayat (2)): a recorded court order, legal obligation,
 * emergency or public task, or a recorded, active consent that covers what is shared and was not given by an alleged
 * perpetrator. A transfer shares the whole case.
 */
export const sharingHasBasis = guard<"RequestReferral" | "RequestTransfer">(
  "sharingHasBasis",
  "SOP-06",
  "sharing rests on a lawful basis: a live consent that covers what is shared, or a recorded court order, legal obligation, emergency or public task",
  ({ state, command }) => {
    const basis = command.legalBasis
    if (basis._tag !== "consent") return undefined // an emergency or a court order, recorded with its reason
    const shares = command._tag === "RequestTransfer" ? transferShares : command.shares
    const consent = state.consents[basis.consent]
    if (consent === undefined) return `consent ${basis.consent} has not been recorded`
    // A consent given before the assessment named its giver as an alleged perpetrator no longer counts. A referral
    // sharing no section still tells its recipient the case exists, where and at what stage: it needs a live basis too.
    const lapsed = Case.consentLapsed(consent, state.classification?.allegedPerpetrators)
    if (lapsed !== undefined) return `consent ${basis.consent} ${lapsed}`
    const missing = shares.filter((share) => !consent.scope.includes(share))
    return missing.length === 0 ? undefined : `consent ${basis.consent} does not cover sharing ${missing.join(", ")}`
  }
)

// ---------------------------------------------------------------------------------------------------------------
// Transfer

/** SOP-07: the receiving agency's region contains the case's region — or, for a relocation, the new region. */
export const receiverServesRegion = guard<"RequestTransfer">(
  "receiverServesRegion",
  "SOP-07",
  "the receiving agency's region contains the case's region (for a relocation, the region the child moved to)",
  ({ state, command, agencies }) => {
    const receiver = agencies.get(command.to)
    const region = command.relocateTo ?? state.region
    if (receiver === undefined || Agency.serves(receiver, region)) return undefined
    return command.relocateTo === undefined
      ? `the receiving agency's region ${receiver.region} does not contain the case's region ${state.region}; if the child has moved, request a relocation (relocateTo)`
      : `the receiving agency's region ${receiver.region} does not contain the region ${region} the child moves to`
  }
)

/** SOP-ONE-TRANSFER: one transfer at a time. */
export const noOtherTransferPending = guard(
  "noOtherTransferPending",
  "SOP-ONE-TRANSFER",
  "no other transfer of the case is pending",
  ({ state }) =>
    Case.pendingTransfer(state) === undefined ? undefined : "another transfer is pending: withdraw or settle it first"
)

// ---------------------------------------------------------------------------------------------------------------
// Placement

/** The placement a command asks or approves, when it is an emergency placement. */
const emergencyPlacement = (input: Input<"RequestPlacement" | "DecideApproval">): boolean => {
  const { command, state } = input
  if (command._tag === "RequestPlacement") return command.emergency
  const subject = approving(input as Input<"DecideApproval">)?.subject
  return subject?._tag === "placement" && state.placements[subject.placement]?.emergency === true
}

/** SOP-EMERGENCY-PLACEMENT: an emergency placement is requested and approved before intervention. */
export const emergencyPlacementBeforeIntervention = guard<"RequestPlacement" | "DecideApproval">(
  "emergencyPlacementBeforeIntervention",
  "SOP-EMERGENCY-PLACEMENT",
  "an emergency placement is requested and approved before intervention",
  (input) =>
    emergencyPlacement(input) && !Sop.preIntervention.includes(input.state.stage)
      ? `the case is in ${input.state.stage}: emergency placement comes before intervention`
      : undefined
)

/** SOP-EMERGENCY-PLACEMENT: an emergency placement is for a child at tinggi risk. */
export const emergencyPlacementForTinggiRisk = guard<"RequestPlacement">(
  "emergencyPlacementForTinggiRisk",
  "SOP-EMERGENCY-PLACEMENT",
  "an emergency placement is for a child at tinggi risk (before an assessment: the risk of the report's concerns)",
  ({ state, command, policy }) =>
    !command.emergency || (state.risk?.effective ?? Risk.computedLevel(state.concerns, policy.risk)) === "tinggi"
      ? undefined
      : "emergency placement is for a child at tinggi risk"
)

const emergencySettings: ReadonlyArray<CaseModel.PlacementSetting> = ["safe-house", "rptc", "lpks"]

/** SOP-EMERGENCY-PLACEMENT: an emergency placement is in a safe house, an RPTC or an LPKS. */
export const emergencyPlacementSetting = guard<"RequestPlacement">(
  "emergencyPlacementSetting",
  "SOP-EMERGENCY-PLACEMENT",
  "an emergency placement is in a safe house, an RPTC or an LPKS",
  ({ command }) =>
    !command.emergency || emergencySettings.includes(command.setting)
      ? undefined
      : `an emergency placement is in a safe house, an RPTC or an LPKS, not ${command.setting}`
)

const plannedPlacementStages: ReadonlyArray<Sop.Stage> = ["planning", "intervention", "reintegration"]

/** SOP-STAGE: a planned (not emergency) placement is part of planning, intervention or reintegration. */
export const plannedPlacementStage = guard<"RequestPlacement">(
  "plannedPlacementStage",
  "SOP-STAGE",
  "a planned placement is requested in planning, intervention or reintegration",
  ({ state, command }) =>
    command.emergency || plannedPlacementStages.includes(state.stage)
      ? undefined
      : `A planned placement is done in stage ${plannedPlacementStages.join(", ")}, not ${state.stage}`
)

// ---------------------------------------------------------------------------------------------------------------
// SPPA (UU 11/2012)

/** SOP-08: the Pasal 21 decisions are for a child recorded on the Pasal 21 path (under 12 at the alleged act). */
export const pasal21StatusRecorded = guard<"RecordPasal21Decision">(
  "pasal21StatusRecorded",
  "SOP-08",
  "the case's SPPA status is anak-pasal-21: under 12 at the alleged act",
  ({ state }) =>
    state.classification?.sppaRole === "anak-pasal-21"
      ? undefined
      : "the Pasal 21 decisions are for a child under 12 at the alleged act; classify the SPPA status anak-pasal-21 first"
)

/** SOP-08: SPPA proceedings and detention apply to an anak berkonflik dengan hukum. */
export const sppaRoleIsOffender = guard<
  | "RecordSppaProceeding"
  | "RecordDetention"
  | "StartSppaLevel"
  | "StartDiversion"
  | "ConcludeDiversion"
  | "SubmitDiversionAgreement"
  | "RecordDiversionConfirmation"
  | "RecordAgreementNotCarriedOut"
  | "RecordSentence"
>("sppaRoleIsOffender", "SOP-08", "the case's SPPA role is anak berkonflik dengan hukum", ({ state }) =>
  state.classification?.sppaRole === "anak-berkonflik-dengan-hukum"
    ? undefined
    : "SPPA proceedings apply to an anak berkonflik dengan hukum; classify the SPPA role first"
)

/** The child's age on a date (the SPPA commands check the birth date is known first). */
const ageAt = (input: Input, on: CalendarDate.CalendarDate): number | undefined => {
  const birthDate = input.state.subject.birthDate
  if (birthDate === undefined) return undefined
  const age = CalendarDate.ageOn(birthDate, on, input.policy.sppa.agePolicy)
  return Result.isSuccess(age) ? age.success : undefined
}

/** SPPA-UNDER-12: a child under 12 at the time of the act is not prosecuted. */
export const actAtProsecutableAge = guard<"RecordSppaProceeding" | "StartSppaLevel" | "RecordSentence">(
  "actAtProsecutableAge",
  Sppa.rule["SPPA-UNDER-12"],
  "the child was at least the SPPA minimum age at the time of the act (below it: only the Pasal 21 decisions)",
  (input) => {
    const age = ageAt(input, input.command.actDate)
    const minimum = input.policy.sppa.minimumAge
    return age === undefined || age >= minimum
      ? undefined
      : `the child was under ${minimum} at the time of the act: there is no prosecution, only the Pasal 21 decisions`
  }
)

/**
 * SPPA-ROLES: an anak berkonflik dengan hukum committed the act before 18 (UU 11/2012 Pasal 1 angka 3); an act
 * at 18 or later is an adult's, outside the juvenile-justice chain (a person tried before 21 for an act before 18
 * stays in it: Pasal 20).
 */
export const actBeforeAdulthood = guard<
  "RecordSppaProceeding" | "StartSppaLevel" | "RecordSentence" | "RecordDetention"
>(
  "actBeforeAdulthood",
  Sppa.rule["SPPA-ROLES"],
  "the person was under the child age limit at the time of the act (an adult's act is not tried under SPPA)",
  (input) => {
    const age = ageAt(input, input.command.actDate)
    const limit = input.policy.sppa.childAgeLimit
    return age === undefined || age < limit
      ? undefined
      : `the act was committed at ${limit} or older: it is not an anak berkonflik dengan hukum's`
  }
)

/**
 * SPPA-CHILDRENS-COURT: a level of the juvenile-justice chain (investigation, prosecution, trial) starts while the
 * person is under the children's-court age limit (21 by default): an act before 18 brought to trial after 18 but
 * before 21 stays in the children's court (UU 11/2012 Pasal 20); a person of 21 or older is tried in the ordinary
 * court, so the chain cannot begin a level for them (Pasal 20 names the trial; the earlier levels lead to it). A
 * proceeding or a detention belongs to its level: the level's start counts (a detention without a level named, the
 * last level's; the step's own date when there is no such level), so a level begun before 21 keeps them after.
 */
export const levelBeforeChildrensCourtLimit = guard<"RecordSppaProceeding" | "StartSppaLevel" | "RecordDetention">(
  "levelBeforeChildrensCourtLimit",
  Sppa.rule["SPPA-CHILDRENS-COURT"],
  "the person is under the children's-court age limit when the level of examination starts",
  (input) => {
    const command = input.command
    const levels = input.state.sppa.levels
    const on =
      command._tag === "StartSppaLevel"
        ? command.startedOn
        : command._tag === "RecordSppaProceeding"
          ? (levels.find((level) => level.stage === command.proceeding.stage)?.startedOn ?? command.proceeding.on)
          : ((command.stage === undefined ? levels.at(-1) : levels.find((level) => level.stage === command.stage))
              ?.startedOn ?? command.on)
    const age = ageAt(input, on)
    const limit = input.policy.sppa.childrensCourtAgeLimit
    return age === undefined || age < limit
      ? undefined
      : `on ${on} the person had reached ${limit}: from then an act before 18 is tried in the ordinary court, outside the juvenile-justice chain`
  }
)

/** SPPA-DIVERSION: diversion is attempted whenever it is mandatory. */
export const diversionAttemptedWhenMandatory = guard<"RecordSppaProceeding">(
  "diversionAttemptedWhenMandatory",
  Sppa.rule["SPPA-DIVERSION"],
  "diversion is attempted at every stage where it is mandatory",
  ({ command, policy }) => {
    const p = command.proceeding
    const diversion = Sppa.diversion(
      { threatenedPenaltyYears: p.threatenedPenaltyYears, repeatOffence: p.repeatOffence },
      policy.sppa
    )
    return Result.isSuccess(diversion) && diversion.success.mandatory && !p.diversionAttempted
      ? `diversion is mandatory (threatened penalty ${p.threatenedPenaltyYears} years, not a repeat offence) and must be attempted at ${p.stage}`
      : undefined
  }
)

/** SPPA-UNDER-12: the Pasal 21 decisions are for a child under 12 at the time of the act. */
export const actUnderProsecutableAge = guard<"RecordPasal21Decision">(
  "actUnderProsecutableAge",
  Sppa.rule["SPPA-UNDER-12"],
  "the child was under the SPPA minimum age at the time of the act",
  (input) => {
    const age = ageAt(input, input.command.actDate)
    const minimum = input.policy.sppa.minimumAge
    return age === undefined || age < minimum
      ? undefined
      : `Pasal 21 decisions are for a child under ${minimum} at the time of the act; this child was ${minimum} or older then`
  }
)

/** SPPA-UNDER-12: guidance under Pasal 21 lasts at most the policy's months. */
export const guidanceWithinMaximum = guard<"RecordPasal21Decision">(
  "guidanceWithinMaximum",
  Sppa.rule["SPPA-UNDER-12"],
  "guidance under Pasal 21 lasts at most the policy's months (sppa.pasal21MaximumMonths)",
  ({ command, policy }) =>
    command.decision._tag === "guidance" && command.decision.months > policy.sppa.pasal21MaximumMonths
      ? `guidance under Pasal 21 lasts at most ${policy.sppa.pasal21MaximumMonths} months, not ${command.decision.months}`
      : undefined
)

/** SPPA-UNDER-12: only a Pasal 21 guidance programme in force is extended. */
export const pasal21GuidanceInForce = guard<"ExtendPasal21Guidance">(
  "pasal21GuidanceInForce",
  Sppa.rule["SPPA-UNDER-12"],
  "a Pasal 21 guidance programme is in force: the evaluation falls within its months",
  ({ state, command }) => {
    const decision = state.sppa.pasal21
    if (decision?._tag !== "guidance") return "there is no Pasal 21 guidance programme to extend"
    if (state.sppa.pasal21DecidedAt === undefined) return undefined // decided before its dates were kept
    const start = CalendarDate.fromInstant(state.sppa.pasal21DecidedAt, Region.timeZone(state.region).offsetHours)
    const lastDay = CalendarDate.addDays(CalendarDate.addMonths(start, decision.months), -1)
    return CalendarDate.compare(command.evaluatedOn, lastDay) <= 0
      ? undefined
      : `the programme of ${decision.months} months ended on ${lastDay}: an ended programme is not extended`
  }
)

/** SPPA-UNDER-12: a Pasal 21 programme is extended once, by at most the policy's months (Pasal 21 ayat (4)). */
export const pasal21ExtensionWithinMaximum = guard<"ExtendPasal21Guidance">(
  "pasal21ExtensionWithinMaximum",
  Sppa.rule["SPPA-UNDER-12"],
  "a Pasal 21 programme is extended once, after an evaluation, by at most the policy's months",
  ({ state, command, policy }) => {
    if (state.sppa.pasal21ExtendedMonths !== undefined) {
      return `the programme was already extended by ${state.sppa.pasal21ExtendedMonths} months: it is extended once`
    }
    const maximum = policy.sppa.pasal21ExtensionMaximumMonths
    return command.months <= maximum
      ? undefined
      : `a Pasal 21 programme is extended by at most ${maximum} months, not ${command.months}`
  }
)

/** SOP-08: what goes to the court is a recorded Pasal 21 decision. */
export const pasal21DecisionMade = guard<"RecordPasal21CourtSubmission">(
  "pasal21DecisionMade",
  "SOP-08",
  "a Pasal 21 decision has been recorded",
  ({ state }) => (state.sppa.pasal21 === undefined ? "no Pasal 21 decision has been recorded" : undefined)
)

/** The SPPA detention check of a `RecordDetention`, when both ages are known. */
const detentionCheck = (input: Input<"RecordDetention">) => {
  const atAct = ageAt(input, input.command.actDate)
  const atDetention = ageAt(input, input.command.on)
  if (atAct === undefined || atDetention === undefined) return undefined
  const check = Sppa.detention(
    { ageAtAct: atAct, ageNow: atDetention, threatenedPenaltyYears: input.command.threatenedPenaltyYears },
    input.policy.sppa
  )
  return Result.isSuccess(check) && !check.success.allowed ? check.success : undefined
}

/** SPPA-UNDER-12: no detention for an act done under 12. */
export const detentionActAtProsecutableAge = guard<"RecordDetention">(
  "detentionActAtProsecutableAge",
  Sppa.rule["SPPA-UNDER-12"],
  "a child detained was at least the SPPA minimum age at the time of the act",
  (input) => {
    const refused = detentionCheck(input)
    return refused?.rule === "SPPA-UNDER-12" ? refused.reason : undefined
  }
)

/** SPPA-DETENTION: detention only from 14, for offences threatened with 7 years or more. */
export const detentionAllowed = guard<"RecordDetention">(
  "detentionAllowed",
  Sppa.rule["SPPA-DETENTION"],
  "a child is detained only from the policy's age, for an offence threatened with the policy's years or more",
  (input) => {
    const refused = detentionCheck(input)
    if (refused?.rule !== "SPPA-DETENTION") return undefined
    // Said without the child's exact age (`Sppa.detention`'s own reason quotes the ages its caller gave).
    const { detentionMinimumAge, detentionMinimumPenaltyYears } = input.policy.sppa
    const why = [
      ...(refused.failed.includes("age") ? [`the child is under ${detentionMinimumAge}`] : []),
      ...(refused.failed.includes("penalty")
        ? [
            `the threatened penalty ${input.command.threatenedPenaltyYears} years is under ${detentionMinimumPenaltyYears}`
          ]
        : [])
    ]
    return `detention rejected: ${why.join("; ")}`
  }
)

/**
 * Whether the proceedings go on past a level (UU 11/2012 Pasal 13): diversion was not mandatory there, ended without
 * an agreement, or its agreement was not carried out.
 */
const proceedingsGoOn = (level: CaseModel.SppaLevel): boolean =>
  !level.diversionMandatory || level.outcome === "no-agreement" || level.notCarriedOutOn !== undefined

/** SOP-08: the levels of examination follow each other: investigation, prosecution, trial. */
export const sppaLevelsInOrder = guard<"StartSppaLevel">(
  "sppaLevelsInOrder",
  "SOP-08",
  "the level before this one has started and its diversion, where mandatory, ended without an agreement",
  ({ state, command }) => {
    const before = Sppa.stageCodes[Sppa.stageCodes.indexOf(command.stage) - 1]
    if (before === undefined) return undefined
    const previous = Case.sppaLevel(state, before)
    if (previous === undefined) return `${command.stage} follows ${before}: record the ${before} level first`
    if (proceedingsGoOn(previous)) return undefined
    return previous.outcome === "agreement"
      ? `diversion at ${before} ended in an agreement: the case goes on to ${command.stage} only if it is not carried out (RecordAgreementNotCarriedOut)`
      : `diversion at ${before} is mandatory and has not ended: conclude it before ${command.stage}`
  }
)

/** SOP-08: a diversion step or a detention period belongs to a level of examination the case has reached. */
export const sppaLevelReached = guard<"StartDiversion" | "RecordDetention">(
  "sppaLevelReached",
  "SOP-08",
  "the case has reached the level of examination",
  ({ state, command }) =>
    command.stage === undefined || Case.sppaLevel(state, command.stage) !== undefined
      ? undefined
      : `the ${command.stage} level has not started: record it first (StartSppaLevel)`
)

/** SOP-08: a sentence is given at trial. */
export const sentencedAtTrial = guard<"RecordSentence">(
  "sentencedAtTrial",
  "SOP-08",
  "the trial level has started and its diversion, where mandatory, ended without an agreement",
  ({ state }) => {
    const trial = Case.sppaLevel(state, "trial")
    if (trial === undefined) return "a sentence is given at trial: record the trial level first (StartSppaLevel)"
    if (proceedingsGoOn(trial)) return undefined
    return trial.outcome === "agreement"
      ? "diversion at trial ended in an agreement: there is no sentence unless it is not carried out"
      : "diversion at trial is mandatory and has not ended: conclude it before the sentence"
  }
)

/** SPPA-DIVERSION: diversion is held only where UU 11/2012 Pasal 7 ayat (2) provides for it. */
export const diversionApplies = guard<"StartDiversion">(
  "diversionApplies",
  Sppa.rule["SPPA-DIVERSION"],
  "diversion is held where the threatened penalty is under the policy's years and the act is not a repeat offence",
  ({ state, command, policy }) => {
    const level = Case.sppaLevel(state, command.stage)
    return level === undefined || level.diversionMandatory
      ? undefined
      : `diversion is not provided for at ${command.stage}: the threatened penalty is ${level.threatenedPenaltyYears} years${level.repeatOffence ? " and the act is a repeat offence" : ""} (it needs under ${policy.sppa.diversionPenaltyLimitYears} years and no repeat offence)`
  }
)

/** SOP-08: diversion at the level has started and not yet ended. */
export const diversionInProgress = guard<"ConcludeDiversion">(
  "diversionInProgress",
  "SOP-08",
  "diversion at the level has started and has not ended",
  ({ state, command }) => {
    const level = Case.sppaLevel(state, command.stage)
    if (level?.diversionStartedOn === undefined) return `diversion has not started at ${command.stage}`
    return level.outcome === undefined ? undefined : `diversion at ${command.stage} already ended (${level.outcome})`
  }
)

/** SPPA-DIVERSION-AGREEMENT: no agreement against the victim's refusal, unless an exception of Pasal 9 (2) applies. */
export const victimConsentToAgreement = guard<"ConcludeDiversion">(
  "victimConsentToAgreement",
  Sppa.rule["SPPA-DIVERSION-AGREEMENT"],
  "an agreement has the victim's (or family's) consent, or names the exception that makes it unnecessary",
  ({ command }) =>
    command.agreement?.victimConsent._tag === "refused"
      ? "the victim refused: without the victim's consent there is no agreement, unless an exception of Pasal 9 ayat (2) applies"
      : undefined
)

/** SPPA-DIVERSION-AGREEMENT: education or training ordered by an agreement lasts at most the policy's months. */
export const diversionTrainingWithinMaximum = guard<"ConcludeDiversion">(
  "diversionTrainingWithinMaximum",
  Sppa.rule["SPPA-DIVERSION-AGREEMENT"],
  "education or training under an agreement lasts at most the policy's months (sppa.diversionTrainingMaximumMonths)",
  ({ command, policy }) => {
    const longest = Math.max(
      0,
      ...(command.agreement?.forms ?? []).map((form) => (form._tag === "education-or-training" ? form.months : 0))
    )
    const maximum = policy.sppa.diversionTrainingMaximumMonths
    return longest > maximum
      ? `education or training under a diversion agreement lasts at most ${maximum} months, not ${longest}`
      : undefined
  }
)

/** SOP-08: an agreement goes to the court only once diversion ended with one. */
export const diversionAgreed = guard<"SubmitDiversionAgreement">(
  "diversionAgreed",
  "SOP-08",
  "diversion at the level ended with an agreement",
  ({ state, command }) => {
    const level = Case.sppaLevel(state, command.stage)
    if (level?.outcome !== "agreement") return `no diversion agreement has been reached at ${command.stage}`
    return level.notCarriedOutOn === undefined ? undefined : `the agreement at ${command.stage} was not carried out`
  }
)

/** SPPA-DIVERSION-AGREEMENT: an agreement is found not carried out once, after it was reached. */
export const agreementToCarryOut = guard<"RecordAgreementNotCarriedOut">(
  "agreementToCarryOut",
  Sppa.rule["SPPA-DIVERSION-AGREEMENT"],
  "the agreement at the level was confirmed by the court and has not already been found not carried out",
  ({ state, command }) => {
    const level = Case.sppaLevel(state, command.stage)
    if (level?.outcome !== "agreement") return `no diversion agreement was reached at ${command.stage}`
    if (level.confirmedOn === undefined) {
      return `the agreement at ${command.stage} has no penetapan yet: it is carried out once the court confirms it`
    }
    return level.notCarriedOutOn === undefined
      ? undefined
      : `the agreement at ${command.stage} was already found not carried out on ${level.notCarriedOutOn}`
  }
)

/** SPPA-DIVERSION-AGREEMENT: the child and the family are willing (Pasal 9 ayat (2)). */
export const childAndFamilyWilling = guard<"ConcludeDiversion">(
  "childAndFamilyWilling",
  Sppa.rule["SPPA-DIVERSION-AGREEMENT"],
  "an agreement has the willingness of the child and the child's family, unless an exception of Pasal 9 ayat (2) applies",
  // The exceptions of Pasal 9 ayat (2) lift the whole requirement: the victim's consent and the willingness alike.
  ({ command }) =>
    command.agreement?.childAndFamilyWilling === false && command.agreement.victimConsent._tag !== "not-required"
      ? "the child or the family is not willing: without their willingness there is no agreement (Pasal 9 ayat (2))"
      : undefined
)

/** SOP-08: the court confirms an agreement it has received. */
export const diversionAgreementSubmitted = guard<"RecordDiversionConfirmation">(
  "diversionAgreementSubmitted",
  "SOP-08",
  "the diversion agreement at the level has been sent to the court",
  ({ state, command }) => {
    const level = Case.sppaLevel(state, command.stage)
    if (level?.submittedOn === undefined) return `no diversion agreement at ${command.stage} has been sent to the court`
    return level.notCarriedOutOn === undefined ? undefined : `the agreement at ${command.stage} was not carried out`
  }
)

/** SOP-08: a Litmas is about a child alleged to have done an act: an anak berkonflik or a child under Pasal 21. */
export const litmasForAllegedOffender = guard<"RequestLitmas">(
  "litmasForAllegedOffender",
  "SOP-08",
  "the case's SPPA role is anak berkonflik dengan hukum, or its status anak-pasal-21",
  ({ state }) => {
    const role = state.classification?.sppaRole
    return role === "anak-berkonflik-dengan-hukum" || role === "anak-pasal-21"
      ? undefined
      : "a Litmas is about a child alleged to have done an act: classify the SPPA role first"
  }
)

/** SPPA-LITMAS: a Litmas received is one that was asked for and is still awaited. */
export const litmasAwaited = guard<"RecordLitmas">(
  "litmasAwaited",
  Sppa.rule["SPPA-LITMAS"],
  "a Litmas was asked of a Bapas and has not been received",
  ({ state }) => {
    const last = state.sppa.litmas.at(-1)
    return last !== undefined && last.receivedOn === undefined ? undefined : "no Litmas is awaited from a Bapas"
  }
)

/** SOP-08: a child is accompanied in SPPA proceedings when the case has an SPPA role. */
export const sppaRoleRecorded = guard<"RecordAccompaniment">(
  "sppaRoleRecorded",
  "SOP-08",
  "the case has an SPPA role: anak berkonflik dengan hukum, anak-pasal-21, anak korban or anak saksi",
  ({ state }) =>
    state.classification?.sppaRole === undefined
      ? "the case has no SPPA role: classify the child's role in the proceedings first"
      : undefined
)

/** SPPA-SENTENCE: a child under 14 at the act is given only a tindakan (Pasal 69 (2)). */
export const onlyTindakanUnder14 = guard<"RecordSentence">(
  "onlyTindakanUnder14",
  Sppa.rule["SPPA-SENTENCE"],
  "a child under the policy's age at the act (sppa.tindakanOnlyBelowAge) is given only a tindakan",
  (input) => {
    const age = ageAt(input, input.command.actDate)
    const limit = input.policy.sppa.tindakanOnlyBelowAge
    return input.command.sentence._tag === "pidana" && age !== undefined && age < limit
      ? `the child was under ${limit} at the act: only a tindakan may be given, not a pidana`
      : undefined
  }
)

/** SPPA-SENTENCE: imprisonment is at most half the adult maximum, or 10 years for death or life (Pasal 81). */
export const imprisonmentWithinLimit = guard<"RecordSentence">(
  "imprisonmentWithinLimit",
  Sppa.rule["SPPA-SENTENCE"],
  "imprisonment is at most the policy's share of the adult maximum, or its years for an act punishable by death or life",
  ({ command, policy }) => {
    const sentence = command.sentence
    if (sentence._tag !== "pidana" || sentence.penalty !== "imprisonment") return undefined
    if (sentence.months === undefined || sentence.adultMaximum === undefined) return undefined
    const limit = Sppa.imprisonmentLimitMonths(sentence.adultMaximum, policy.sppa)
    return sentence.months > limit
      ? `imprisonment of ${sentence.months} months exceeds the child's limit of ${limit} months`
      : undefined
  }
)

/**
 * SPPA-DETENTION-LIMITS: at a level, a first period of at most the policy's days, then at most one extension, of at
 * most its days, starting the day after the first period ends (Pasal 33–35).
 */
export const detentionWithinTimeLimit = guard<"RecordDetention">(
  "detentionWithinTimeLimit",
  Sppa.rule["SPPA-DETENTION-LIMITS"],
  "a first period within the policy's days at the level, then at most one extension within its days, the day after",
  ({ state, command, policy }) => {
    const { stage, days } = command
    if (stage === undefined || days === undefined) return undefined
    const limit = policy.sppa.detentionDays[stage]
    const earlier = state.sppa.detentionPeriods.filter((p) => p.stage === stage)
    const first = earlier[0]
    if (first === undefined) {
      return days > limit.first
        ? `a first detention at ${stage} lasts at most ${limit.first} days, not ${days}`
        : undefined
    }
    if (earlier.length > 1) return `detention at ${stage} was already extended once: it cannot be extended again`
    if (days > limit.extension) return `an extension at ${stage} lasts at most ${limit.extension} days, not ${days}`
    const next = CalendarDate.addDays(first.until, 1)
    return command.on === next
      ? undefined
      : `an extension at ${stage} starts the day after the first period ends (${next}), not ${command.on}`
  }
)

// ---------------------------------------------------------------------------------------------------------------
// Case conferences

/** SOP-CONFERENCE: a case conference brings at least two disciplines together. */
export const conferenceMultidisciplinary = guard<"RecordCaseConference">(
  "conferenceMultidisciplinary",
  "SOP-CONFERENCE",
  "the participants of a case conference take at least two different roles",
  ({ command }) => {
    const roles = new Set(command.conference.participants.map((p) => p.role))
    return roles.size >= 2
      ? undefined
      : `a case conference is multidisciplinary: its participants took only the role ${[...roles].join(", ")}`
  }
)

/** SOP-CONFERENCE: every follow-up is owned by an agency that took part. */
export const followUpOwnersTookPart = guard<"RecordCaseConference">(
  "followUpOwnersTookPart",
  "SOP-CONFERENCE",
  "every follow-up of a case conference is owned by an agency that took part in it",
  ({ command }) => {
    const present = new Set(command.conference.participants.map((p) => p.agency))
    const absent = command.conference.followUps.filter((f) => !present.has(f.owner)).map((f) => f.owner)
    return absent.length === 0
      ? undefined
      : `a follow-up is owned by ${[...new Set(absent)].join(", ")}, which did not take part in the conference`
  }
)

/** SOP-CONFERENCE: a follow-up done is one the conference set and that is still open. */
export const conferenceFollowUpOpen = guard<"CompleteConferenceFollowUp">(
  "conferenceFollowUpOpen",
  "SOP-CONFERENCE",
  "the case conference set this follow-up and it has not been done",
  ({ state, command }) => {
    const conference = state.conferences[command.conference]
    if (conference === undefined) return `no case conference ${command.conference} was held`
    const followUp = conference.followUps[command.followUp]
    if (followUp === undefined) return `case conference ${command.conference} set no follow-up ${command.followUp}`
    return followUp.doneOn === undefined ? undefined : `the follow-up was done on ${followUp.doneOn}`
  }
)

// ---------------------------------------------------------------------------------------------------------------
// Reintegration, termination and closure

/** SOP-05: the receiving family or institution was assessed as suitable. */
export const receiverSuitable = guard<"StartReintegration">(
  "receiverSuitable",
  "SOP-05",
  "the receiving family or institution was assessed as suitable",
  ({ command }) =>
    command.reintegration.receiverSuitable
      ? undefined
      : `the receiving ${command.reintegration.receiver} was assessed as not suitable`
)

/** SOP-05: the receiver's assessment and the child's view are recorded, on or before today. */
export const reintegrationHeardByToday = guard<"StartReintegration">(
  "reintegrationHeardByToday",
  "SOP-05",
  "the assessment of the receiver and the child's view are recorded during the case: from the report's date to today",
  ({ state, command, today }) => {
    const { receiverAssessedOn, childViewRecordedOn } = command.reintegration
    if (CalendarDate.compare(receiverAssessedOn, today) > 0 || CalendarDate.compare(childViewRecordedOn, today) > 0) {
      return "the assessment of the receiver and the child's view must be recorded on or before today"
    }
    // An assessment or a view from before the report is not about this case.
    const reportedOn = CalendarDate.fromInstant(state.reportedAt, Region.timeZone(state.region).offsetHours)
    return CalendarDate.compare(receiverAssessedOn, reportedOn) < 0 ||
      CalendarDate.compare(childViewRecordedOn, reportedOn) < 0
      ? `the assessment of the receiver and the child's view must be recorded on or after the report's date ${reportedOn}`
      : undefined
  }
)

/** SOP-04: one termination request waits for approval at a time. */
export const oneTerminationRequest = guard<"RequestTermination">(
  "oneTerminationRequest",
  "SOP-04",
  "no other termination request is waiting for approval",
  ({ state }) =>
    Case.pendingApprovals(state).some((a) => a.subject._tag === "termination")
      ? "a termination request is already waiting for approval"
      : undefined
)

/** The termination reason a command asks for or approves, if any. */
const terminationReason = (
  input: Input<"RequestTermination" | "DecideApproval">
): CaseModel.TerminationReason | undefined => {
  if (input.command._tag === "RequestTermination") return input.command.reason
  const subject = approving(input as Input<"DecideApproval">)?.subject
  return subject?._tag === "termination" ? subject.reason : undefined
}

/** SOP-09: reason adult is for a child who reached 18; an adult ends with reason adult or is handed over. */
export const terminationReasonFitsAge = guard<"RequestTermination" | "DecideApproval">(
  "terminationReasonFitsAge",
  "SOP-09",
  "reason adult is for a child case whose person reached 18; once 18, a case ends with reason adult or a handover",
  (input) => {
    const reason = terminationReason(input)
    if (reason === undefined) return undefined
    const { state, now, policy } = input
    if (reason === "adult" && state.subject.kind === "adult") {
      return "this is an adult PPKS case: reason adult is for a child who reached 18 during the case"
    }
    const adult = isAdultNow(state, now, policy)
    if (reason === "adult" && !adult) return "the person is not yet 18: termination with reason adult is not possible"
    if (adult && reason !== "adult" && reason !== "transferred-to-other-system") {
      return "the person has reached 18: terminate with reason adult or hand the case over"
    }
    return undefined
  }
)

/** SOP-04: a case that was tinggi ends as goals met only after a reassessment at rendah. */
export const tinggiEndsAfterRendah = guard<"RequestTermination" | "DecideApproval">(
  "tinggiEndsAfterRendah",
  "SOP-04",
  "a case that was at tinggi risk ends as goals met only with a rendah reassessment in force",
  (input) => {
    const risk = input.state.risk
    return terminationReason(input) === "goals-met" && risk?.peak === "tinggi" && risk.effective !== "rendah"
      ? `a tinggi case ends as goals met only after a reassessment at rendah in force; the level in force is ${risk.effective}`
      : undefined
  }
)

/**
 * SOP-04: termination is the approved end of intervention (PP 39/2012 Pasal 7(2) huruf f): a case ends as goals met
 * only once its intervention has started. From planning, a case ends for another reason (adult, moved away, refused
 * services, handed to another system, died).
 */
export const goalsMetAfterIntervention = guard<"RequestTermination" | "DecideApproval">(
  "goalsMetAfterIntervention",
  "SOP-04",
  "a case ends as goals met only once its intervention has started (stage intervention or reintegration)",
  (input) =>
    terminationReason(input) === "goals-met" && Sop.preIntervention.includes(input.state.stage)
      ? `a case in stage ${input.state.stage} has had no intervention: its goals cannot have been met`
      : undefined
)

/** SOP-09: early closure with reason adult is for a child case whose person reached 18. */
export const earlyClosureAdultIsAdult = guard<"RequestEarlyClosure">(
  "earlyClosureAdultIsAdult",
  "SOP-09",
  "early closure with reason adult is for a child case whose person has reached 18",
  ({ state, command, now, policy }) =>
    command.reason === "adult" && !isAdultNow(state, now, policy)
      ? "early closure with reason adult is for a child case whose person has reached 18"
      : undefined
)
