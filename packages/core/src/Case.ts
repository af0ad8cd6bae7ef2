/**
 * The state of a case and how events build it: `initialState`, `evolve(state, event)` and `fold(events)`. State is
 * a plain immutable value; replaying a case's events always rebuilds exactly the state the commands produced
 * (SOP-12). Decisions live in `Decider`; this module never rejects anything — an event is a fact.
 *
 * @example
 * ```ts
 * import { Case } from "@lindung/core"
 *
 * const state = Case.fold(events) // the current state of a case from its history
 * state._tag === "Case" && state.stage // "assessment"
 * ```
 *
 * @since 0.1.0
 */
import type { DateTime } from "effect"
import type * as Actor from "./Actor.js"
import type * as Agency from "./Agency.js"
import type * as CalendarDate from "./CalendarDate.js"
import type * as CaseEvent from "./CaseEvent.js"
import type * as CaseModel from "./CaseModel.js"
import type * as NationalReference from "./NationalReference.js"
import type * as Region from "./Region.js"
import * as Risk from "./Risk.js"
import type * as Sop from "./Sop.js"
import type * as Sppa from "./Sppa.js"
import type * as Subject from "./Subject.js"

/** A request for approval and, once decided, its decision. */
export interface Approval {
  readonly id: CaseModel.ApprovalId
  readonly subject: CaseModel.ApprovalSubject
  readonly reason: string
  readonly requestedBy: Actor.ActorId
  readonly requestedAt: DateTime.Utc
  readonly status: "pending" | "approved" | "rejected"
  readonly decidedBy?: Actor.ActorId
  readonly decidedAt?: DateTime.Utc
  readonly decisionReason?: string
}

/** A case plan and where it stands. */
export interface PlanRecord {
  readonly plan: CaseModel.Plan
  readonly status: "pending-approval" | "approved" | "rejected"
  readonly proposedAt: DateTime.Utc
  readonly approvedAt?: DateTime.Utc
  /** How the plan took effect: approved by a supervisor, or adopted without approval at rendah risk (SOP-02). */
  readonly adoption?: "approval" | "rendah"
}

/** A consent given by a parent or guardian. */
export interface Consent {
  readonly id: CaseModel.ConsentId
  readonly givenBy: CaseModel.ConsentGiver
  readonly scope: ReadonlyArray<CaseModel.SharedData>
  readonly recordedAt: DateTime.Utc
  readonly withdrawn: boolean
}

/** A referral and where it stands. */
export interface Referral {
  readonly id: CaseModel.ReferralId
  readonly to: Agency.AgencyId
  readonly purpose: CaseModel.ReferralPurpose
  readonly shares: ReadonlyArray<CaseModel.SharedData>
  readonly legalBasis: CaseModel.SharingBasis
  readonly status: "requested" | "accepted" | "declined" | "withdrawn" | "completed"
  readonly requestedAt: DateTime.Utc
  /** The case conference that decided it, if any. */
  readonly conference?: CaseModel.ConferenceId
}

/** A transfer of responsibility and where it stands. */
export interface Transfer {
  readonly id: CaseModel.TransferId
  readonly from: Agency.AgencyId
  readonly to: Agency.AgencyId
  readonly reason: string
  readonly legalBasis: CaseModel.SharingBasis
  readonly status: "requested" | "accepted" | "declined" | "withdrawn"
  readonly requestedAt: DateTime.Utc
  /** A relocation: the case's region before and after; the region changes when the transfer is accepted. */
  readonly relocation?: { readonly from: Region.RegionCode; readonly to: Region.RegionCode }
}

/** A placement (emergency or planned) and where it stands. */
export interface Placement {
  readonly id: CaseModel.PlacementId
  readonly setting: CaseModel.PlacementSetting
  readonly facility: Agency.AgencyId
  readonly emergency: boolean
  readonly requestedAt: DateTime.Utc
  readonly status: "pending-approval" | "active" | "rejected" | "ended"
}

/** The recorded risk of a case: what was assessed, and the level that governs it now. */
export interface RiskRecord extends CaseModel.RiskDecision {
  readonly assessedAt: DateTime.Utc
  /** The level that governs deadlines and approvals: a lowered level counts only once approved. */
  readonly effective: Risk.Level
  /** The highest level any assessment of this case computed or chose (SOP-04 looks at it). */
  readonly peak: Risk.Level
}

/** A missed deadline and whom it was escalated to. */
export interface Escalation {
  readonly deadline: CaseModel.DeadlineKind
  readonly dueAt: DateTime.Utc
  readonly escalatedTo: "supervisor" | "head-of-dinas"
  /** The placement whose approval was due, for an `emergency-placement-approval` deadline. */
  readonly placement?: CaseModel.PlacementId
}

/** The person a case is about, pseudonymously. */
export interface SubjectRecord {
  readonly id: Subject.SubjectId
  readonly kind: Subject.SubjectKind
  readonly sex: Subject.Sex
  readonly birthDate?: CalendarDate.CalendarDate
  readonly ageAtReport?: number
}

/**
 * A case that exists, open or closed, as its events made it. Optional facts (`classification`, `risk`, `termination`, …) are
 * `undefined` until an event records them; `Case.evolve` keeps every key present, so every state of every case has
 * one shape (a fixed layout that keeps folding fast).
 */
export interface Case {
  readonly _tag: "Case"
  readonly id: CaseModel.CaseId
  readonly version: number
  readonly stage: Sop.Stage
  readonly stageSince: DateTime.Utc
  readonly subject: SubjectRecord
  readonly region: Region.RegionCode
  readonly owner: Agency.AgencyId
  readonly source: CaseModel.ReportSource
  readonly concerns: ReadonlyArray<Risk.FactorCode>
  readonly reportedAt: DateTime.Utc
  readonly assigned: ReadonlyArray<Actor.ActorId>
  readonly firstContactAt?: DateTime.Utc | undefined
  readonly classification?: CaseModel.Classification | undefined
  readonly risk?: RiskRecord | undefined
  readonly safetyPlan?:
    | { readonly measures: ReadonlyArray<CaseModel.SafetyMeasure>; readonly recordedAt: DateTime.Utc }
    | undefined
  readonly plans: Readonly<Record<string, PlanRecord>>
  /** The plan proposed last (it may still wait for approval). */
  readonly currentPlan?: CaseModel.PlanId | undefined
  /** The plan in force: the last plan approved (or adopted at rendah risk) since the case was last opened. */
  readonly planInForce?: CaseModel.PlanId | undefined
  /** Since when the case has had no caseworker (unset while one is assigned): the unassigned alert counts from it. */
  readonly unassignedSince?: DateTime.Utc | undefined
  readonly approvals: Readonly<Record<string, Approval>>
  readonly consents: Readonly<Record<string, Consent>>
  readonly referrals: Readonly<Record<string, Referral>>
  /** The case conferences held, by id. */
  readonly conferences: Readonly<Record<string, CaseModel.Conference>>
  /** References to national data systems (DTSEN, SIMFONI-PPA, SIKS-NG), in the order recorded. */
  readonly nationalReferences: ReadonlyArray<NationalReference.Reference>
  /** Requests to access or correct the case's data (UU 27/2022), by id. */
  readonly dataSubjectRequests: Readonly<Record<string, CaseModel.DataSubjectRequest>>
  readonly transfers: Readonly<Record<string, Transfer>>
  readonly placements: Readonly<Record<string, Placement>>
  readonly sppa: {
    readonly proceedings: ReadonlyArray<CaseModel.SppaProceeding>
    readonly pasal21?: CaseModel.Pasal21Decision
    /** When the Pasal 21 decision was made: its court-submission clock starts then (Pasal 21 ayat (2)). */
    readonly pasal21DecidedAt?: DateTime.Utc
    /** When the Pasal 21 decision was submitted to the court. */
    readonly pasal21SubmittedOn?: CalendarDate.CalendarDate
    /** The months a Pasal 21 guidance programme was extended by, once (Pasal 21 ayat (4)). */
    readonly pasal21ExtendedMonths?: number
    readonly detentions: number
    /** The detention periods with their level and days, in order. */
    readonly detentionPeriods: ReadonlyArray<CaseModel.DetentionPeriod>
    /** The levels of examination the case has reached, in order, with the course of their diversion. */
    readonly levels: ReadonlyArray<CaseModel.SppaLevel>
    /** The Litmas requests to a Bapas, in order; the last one may be waiting. */
    readonly litmas: ReadonlyArray<CaseModel.LitmasRecord>
    /** The child accompanied at the police, the prosecutor and the court, with social reports. */
    readonly accompaniments: ReadonlyArray<CaseModel.Accompaniment>
    /** The sentence, once recorded. */
    readonly sentence?: { readonly sentence: CaseModel.Sentence; readonly decidedOn: CalendarDate.CalendarDate }
  }
  readonly services: ReadonlyArray<{
    readonly component: CaseModel.ServiceComponent
    readonly provider: Agency.AgencyId
    readonly deliveredOn: CalendarDate.CalendarDate
  }>
  readonly lastReviewAt?: DateTime.Utc | undefined
  readonly reintegration?: CaseModel.Reintegration | undefined
  readonly followUps: ReadonlyArray<{ readonly visitedOn: CalendarDate.CalendarDate; readonly outcome: string }>
  readonly adulthoodReachedOn?: CalendarDate.CalendarDate | undefined
  readonly escalations: ReadonlyArray<Escalation>
  readonly termination?: { readonly reason: CaseModel.TerminationReason; readonly at: DateTime.Utc } | undefined
  readonly closure?: { readonly reason: string; readonly at: DateTime.Utc } | undefined
  readonly reopened: number
}

/** Before the first event. */
export interface Empty {
  readonly _tag: "Empty"
  readonly version: 0
}

/** The state of a case: empty, or a case. */
export type State = Empty | Case

/** The state before any event. */
export const initialState: State = { _tag: "Empty", version: 0 }

/** The state with the SPPA level of `stage` changed by `change`. */
const withLevel = (state: Case, version: number, stage: Sppa.Stage, change: Partial<CaseModel.SppaLevel>): Case => ({
  ...state,
  version,
  sppa: {
    ...state.sppa,
    levels: state.sppa.levels.map((level) => (level.stage === stage ? { ...level, ...change } : level))
  }
})

/** The SPPA level of `stage` a case has reached, if any. */
export const sppaLevel = (state: Case, stage: Sppa.Stage): CaseModel.SppaLevel | undefined =>
  state.sppa.levels.find((level) => level.stage === stage)

const put = <V>(record: Readonly<Record<string, V>>, key: string, value: V): Readonly<Record<string, V>> => ({
  ...record,
  [key]: value
})

const update = <V>(
  record: Readonly<Record<string, V>>,
  key: string,
  change: (value: V) => V
): Readonly<Record<string, V>> => {
  const current = record[key]
  return current === undefined ? record : put(record, key, change(current))
}

const applyApproval = (state: Case, approval: Approval, at: DateTime.Utc): Case => {
  const approved = approval.status === "approved"
  const subject = approval.subject
  switch (subject._tag) {
    case "plan":
      return {
        ...state,
        plans: update(state.plans, subject.plan, (record) =>
          approved
            ? { ...record, status: "approved", approvedAt: at, adoption: "approval" }
            : { ...record, status: "rejected" }
        ),
        ...(approved ? { planInForce: subject.plan } : {})
      }
    case "risk-lowering": {
      // Only the lowering it approved: a later assessment supersedes the request.
      const decision = state.risk?.decision
      const lowering = decision?.needsSupervisorApproval === true && decision.chosen === subject.level
      return state.risk === undefined || !approved || !lowering
        ? state
        : { ...state, risk: { ...state.risk, effective: Risk.effectiveLevel(state.risk.decision, true) } }
    }
    case "placement":
      // Only a placement still waiting for approval: an ended placement stays ended.
      return {
        ...state,
        placements: update(state.placements, subject.placement, (placement) =>
          placement.status === "pending-approval"
            ? { ...placement, status: approved ? "active" : "rejected" }
            : placement
        )
      }
    case "termination":
      return approved ? { ...state, termination: { reason: subject.reason, at } } : state
    case "early-closure":
      return state
  }
}

const evolveCase = (state: Case, event: CaseEvent.Envelope): Case => {
  const at = event.occurredAt
  const payload = event.payload
  const version = event.version
  // Each branch copies the state once, with the new version (a copy per event, not two).
  switch (payload._tag) {
    case "ReportRegistered":
      return { ...state, version }
    case "CaseworkerAssigned": {
      if (state.assigned.includes(payload.caseworker)) return { ...state, version }
      const assigned = [...state.assigned, payload.caseworker]
      return { ...state, version, assigned, unassignedSince: undefined }
    }
    case "CaseworkerUnassigned": {
      const assigned = state.assigned.filter((id) => id !== payload.caseworker)
      return assigned.length === 0 && state.assigned.length > 0
        ? { ...state, version, assigned, unassignedSince: at }
        : { ...state, version, assigned }
    }
    case "StageChanged": {
      const moved: Case = { ...state, version, stage: payload.to, stageSince: at }
      if (payload.transition === "reopen") {
        // A reopened case is assessed and planned anew: the old plan no longer holds.
        return {
          ...moved,
          termination: undefined,
          closure: undefined,
          reintegration: undefined,
          planInForce: undefined,
          reopened: moved.reopened + 1
        }
      }
      if (payload.to === "closed") return { ...moved, closure: { reason: payload.reason ?? payload.transition, at } }
      return moved
    }
    case "FirstContactRecorded":
      return { ...state, version, firstContactAt: payload.contactedAt }
    case "AssessmentRecorded": {
      const decision = payload.risk.decision
      // A lowered level waits for approval; a new assessment supersedes an earlier one.
      return {
        ...state,
        version,
        classification: payload.classification,
        risk: {
          ...payload.risk,
          assessedAt: at,
          effective: Risk.effectiveLevel(decision, false),
          peak: Risk.max(decision.computed, decision.chosen, ...(state.risk === undefined ? [] : [state.risk.peak]))
        }
      }
    }
    case "SafetyPlanRecorded":
      return { ...state, version, safetyPlan: { measures: payload.measures, recordedAt: at } }
    case "PlanProposed":
      return {
        ...state,
        version,
        plans: put(state.plans, payload.plan.id, { plan: payload.plan, status: "pending-approval", proposedAt: at }),
        currentPlan: payload.plan.id
      }
    case "PlanAdopted":
      return {
        ...state,
        version,
        plans: update(state.plans, payload.plan, (record) => ({
          ...record,
          status: "approved",
          approvedAt: at,
          adoption: "rendah"
        })),
        planInForce: payload.plan
      }
    case "ApprovalRequested":
      return {
        ...state,
        version,
        approvals: put(state.approvals, payload.approval, {
          id: payload.approval,
          subject: payload.subject,
          reason: payload.reason,
          requestedBy: event.actor.id,
          requestedAt: at,
          status: "pending"
        })
      }
    case "ApprovalDecided": {
      const approval = state.approvals[payload.approval]
      if (approval === undefined) return { ...state, version }
      const decided: Approval = {
        ...approval,
        status: payload.decision,
        decidedBy: event.actor.id,
        decidedAt: at,
        decisionReason: payload.reason
      }
      return applyApproval({ ...state, version, approvals: put(state.approvals, decided.id, decided) }, decided, at)
    }
    case "ServiceDelivered":
      return {
        ...state,
        version,
        services: [
          ...state.services,
          { component: payload.component, provider: payload.provider, deliveredOn: payload.deliveredOn }
        ]
      }
    case "PlanReviewed":
      return { ...state, version, lastReviewAt: at }
    case "ConsentRecorded":
      return {
        ...state,
        version,
        consents: put(state.consents, payload.consent, {
          id: payload.consent,
          givenBy: payload.givenBy,
          scope: payload.scope,
          recordedAt: at,
          withdrawn: false
        })
      }
    case "ConsentWithdrawn":
      return {
        ...state,
        version,
        consents: update(state.consents, payload.consent, (c) => ({ ...c, withdrawn: true }))
      }
    case "ReferralRequested":
      return {
        ...state,
        version,
        referrals: put(state.referrals, payload.referral, {
          id: payload.referral,
          to: payload.to,
          purpose: payload.purpose,
          shares: payload.shares,
          legalBasis: payload.legalBasis,
          status: "requested",
          requestedAt: at,
          ...(payload.conference === undefined ? {} : { conference: payload.conference })
        })
      }
    case "NationalReferenceRecorded":
      return { ...state, version, nationalReferences: [...state.nationalReferences, payload.reference] }
    case "DataSubjectRequestReceived": {
      const { _tag, request, ...rest } = payload
      return {
        ...state,
        version,
        dataSubjectRequests: put(state.dataSubjectRequests, request, { id: request, ...rest })
      }
    }
    case "DataSubjectRequestAnswered": {
      const found = state.dataSubjectRequests[payload.request]
      if (found === undefined) return { ...state, version }
      return {
        ...state,
        version,
        dataSubjectRequests: put(state.dataSubjectRequests, payload.request, {
          ...found,
          answeredOn: payload.answeredOn,
          outcome: payload.outcome,
          reason: payload.reason
        })
      }
    }
    case "ConferenceFollowUpCompleted": {
      const conference = state.conferences[payload.conference]
      if (conference === undefined) return { ...state, version }
      const followUps = conference.followUps.map((f, i) =>
        i === payload.followUp ? { ...f, doneOn: payload.doneOn } : f
      )
      return { ...state, version, conferences: put(state.conferences, conference.id, { ...conference, followUps }) }
    }
    case "CaseConferenceRecorded":
      return { ...state, version, conferences: put(state.conferences, payload.conference.id, payload.conference) }
    case "ReferralUpdated":
      return {
        ...state,
        version,
        referrals: update(state.referrals, payload.referral, (r) => ({ ...r, status: payload.status }))
      }
    case "TransferRequested":
      return {
        ...state,
        version,
        transfers: put(state.transfers, payload.transfer, {
          id: payload.transfer,
          from: state.owner,
          to: payload.to,
          reason: payload.reason,
          legalBasis: payload.legalBasis,
          status: "requested",
          requestedAt: at,
          ...(payload.relocateTo === undefined ? {} : { relocation: { from: state.region, to: payload.relocateTo } })
        })
      }
    case "TransferUpdated": {
      const transfer = state.transfers[payload.transfer]
      if (transfer === undefined) return { ...state, version }
      const transfers = put(state.transfers, transfer.id, { ...transfer, status: payload.status })
      // On acceptance the receiving agency owns the case — in its new region for a relocation — and assigns its own
      // caseworkers.
      return payload.status === "accepted"
        ? {
            ...state,
            version,
            transfers,
            owner: transfer.to,
            region: transfer.relocation?.to ?? state.region,
            assigned: [],
            unassignedSince: at
          }
        : { ...state, version, transfers }
    }
    case "PlacementRequested":
      return {
        ...state,
        version,
        placements: put(state.placements, payload.placement, {
          id: payload.placement,
          setting: payload.setting,
          facility: payload.facility,
          emergency: payload.emergency,
          requestedAt: at,
          status: "pending-approval"
        })
      }
    case "PlacementEnded":
      return {
        ...state,
        version,
        placements: update(state.placements, payload.placement, (p) => ({ ...p, status: "ended" }))
      }
    case "SppaProceedingRecorded":
      return {
        ...state,
        version,
        sppa: { ...state.sppa, proceedings: [...state.sppa.proceedings, payload.proceeding] }
      }
    case "Pasal21DecisionRecorded":
      return {
        ...state,
        version,
        sppa: {
          ...state.sppa,
          pasal21: payload.decision,
          ...(payload.tracksCourtSubmission === true ? { pasal21DecidedAt: at } : {})
        }
      }
    case "Pasal21GuidanceExtended":
      return { ...state, version, sppa: { ...state.sppa, pasal21ExtendedMonths: payload.months } }
    case "Pasal21CourtSubmitted":
      return { ...state, version, sppa: { ...state.sppa, pasal21SubmittedOn: payload.on } }
    case "DetentionRecorded":
      return {
        ...state,
        version,
        sppa: {
          ...state.sppa,
          detentions: state.sppa.detentions + 1,
          detentionPeriods:
            payload.period === undefined
              ? state.sppa.detentionPeriods
              : [...state.sppa.detentionPeriods, payload.period]
        }
      }
    case "SppaLevelStarted": {
      const { _tag, ...level } = payload
      return { ...state, version, sppa: { ...state.sppa, levels: [...state.sppa.levels, level] } }
    }
    case "DiversionStarted":
      return withLevel(state, version, payload.stage, { diversionStartedOn: payload.on })
    case "DiversionConcluded":
      return withLevel(state, version, payload.stage, {
        diversionConcludedOn: payload.on,
        outcome: payload.outcome,
        ...(payload.agreement === undefined ? {} : { agreement: payload.agreement })
      })
    case "DiversionAgreementSubmitted":
      return withLevel(state, version, payload.stage, { submittedOn: payload.on })
    case "DiversionConfirmed":
      return withLevel(state, version, payload.stage, { confirmedOn: payload.on })
    case "DiversionAgreementNotCarriedOut":
      return withLevel(state, version, payload.stage, { notCarriedOutOn: payload.on })
    case "LitmasRequested":
      return {
        ...state,
        version,
        sppa: { ...state.sppa, litmas: [...state.sppa.litmas, { bapas: payload.bapas, requestedOn: payload.on }] }
      }
    case "LitmasReceived":
      return {
        ...state,
        version,
        sppa: {
          ...state.sppa,
          litmas: state.sppa.litmas.map((request, index, all) =>
            index === all.length - 1 ? { ...request, receivedOn: payload.on } : request
          )
        }
      }
    case "AccompanimentRecorded":
      return {
        ...state,
        version,
        sppa: { ...state.sppa, accompaniments: [...state.sppa.accompaniments, payload.accompaniment] }
      }
    case "SentenceRecorded":
      return {
        ...state,
        version,
        sppa: { ...state.sppa, sentence: { sentence: payload.sentence, decidedOn: payload.decidedOn } }
      }
    case "ReintegrationPrepared":
      return { ...state, version, reintegration: payload.reintegration }
    case "FollowUpRecorded":
      return {
        ...state,
        version,
        followUps: [...state.followUps, { visitedOn: payload.visitedOn, outcome: payload.outcome }],
        lastReviewAt: at
      }
    case "AdulthoodReached":
      return { ...state, version, adulthoodReachedOn: payload.on }
    case "DeadlineEscalated":
      return {
        ...state,
        version,
        escalations: [
          ...state.escalations,
          {
            deadline: payload.deadline,
            dueAt: payload.dueAt,
            escalatedTo: payload.escalatedTo,
            ...(payload.placement === undefined ? {} : { placement: payload.placement })
          }
        ]
      }
  }
}

const register = (event: CaseEvent.Envelope): Case => {
  const payload = event.payload
  if (payload._tag !== "ReportRegistered") {
    throw new Error(`The first event of case ${event.caseId} must be ReportRegistered, not ${payload._tag}`)
  }
  return {
    _tag: "Case",
    id: event.caseId,
    version: event.version,
    stage: "reported",
    stageSince: event.occurredAt,
    subject: {
      id: payload.subject,
      kind: payload.subjectKind,
      sex: payload.sex,
      ...(payload.birthDate === undefined ? {} : { birthDate: payload.birthDate }),
      ...(payload.ageAtReport === undefined ? {} : { ageAtReport: payload.ageAtReport })
    },
    region: payload.region,
    owner: payload.owner,
    source: payload.source,
    concerns: payload.concerns,
    reportedAt: event.occurredAt,
    assigned: [],
    unassignedSince: event.occurredAt,
    firstContactAt: undefined,
    classification: undefined,
    risk: undefined,
    safetyPlan: undefined,
    currentPlan: undefined,
    planInForce: undefined,
    lastReviewAt: undefined,
    reintegration: undefined,
    adulthoodReachedOn: undefined,
    termination: undefined,
    closure: undefined,
    plans: {},
    approvals: {},
    consents: {},
    referrals: {},
    conferences: {},
    nationalReferences: [],
    dataSubjectRequests: {},
    transfers: {},
    placements: {},
    sppa: { proceedings: [], detentions: 0, detentionPeriods: [], levels: [], litmas: [], accompaniments: [] },
    services: [],
    followUps: [],
    escalations: [],
    reopened: 0
  }
}

/**
 * Applies one event. Events are facts: `evolve` never rejects; it throws only when the history itself is broken
 * (an event out of order, or a first event that is not `ReportRegistered`), which storage reports as corruption.
 */
export const evolve = (state: State, event: CaseEvent.Envelope): State => {
  if (event.version !== state.version + 1) {
    throw new Error(`Event ${event.eventId} has version ${event.version}; the case is at version ${state.version}`)
  }
  return state._tag === "Empty" ? register(event) : evolveCase(state, event)
}

/** Rebuilds a case from its events, in order. */
export const fold = (events: Iterable<CaseEvent.Envelope>, from: State = initialState): State => {
  let state = from
  for (const event of events) state = evolve(state, event)
  return state
}

/** The approvals still waiting for a decision. */
export const pendingApprovals = (state: Case): ReadonlyArray<Approval> =>
  Object.values(state.approvals).filter((approval) => approval.status === "pending")

/** The referrals that are live: requested or accepted, not yet completed, declined or withdrawn. */
export const liveReferrals = (state: Case): ReadonlyArray<Referral> =>
  Object.values(state.referrals).filter((r) => r.status === "requested" || r.status === "accepted")

/** The transfer waiting for the receiving agency, if any. */
export const pendingTransfer = (state: Case): Transfer | undefined =>
  Object.values(state.transfers).find((t) => t.status === "requested")

/** The plan in force: the current plan if approved. */
export const approvedPlan = (state: Case): PlanRecord | undefined =>
  state.planInForce === undefined ? undefined : state.plans[state.planInForce]
