/**
 * What an actor sees of a case (`Access.view`), as Schemas: the one description that transports (the HTTP API and
 * its OpenAPI), `JsonSchema.document()` and other stacks share. The records of the case state (`Case.Approval`,
 * `Case.Referral`, …) are checked at compile time to be exactly what these Schemas describe, so a field added to the
 * state and not here — or here and not to the state — fails to build instead of being dropped on encode.
 *
 * @example
 * ```ts
 * import { Access, CaseView } from "@lindung/core"
 * import { Result, Schema } from "effect"
 *
 * const viewed = Access.view(actor, state, { today, agencies })
 * if (Result.isSuccess(viewed)) Schema.encodeSync(CaseView.View)(viewed.success) // JSON-ready, never identity
 * ```
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Access from "./Access.js"
import * as Actor from "./Actor.js"
import * as Agency from "./Agency.js"
import * as CalendarDate from "./CalendarDate.js"
import type * as Case from "./Case.js"
import * as CaseModel from "./CaseModel.js"
import * as NationalReference from "./NationalReference.js"
import * as Region from "./Region.js"
import * as Risk from "./Risk.js"
import * as Sop from "./Sop.js"
import * as Subject from "./Subject.js"

const Instant = Schema.DateTimeUtcFromString

/** An approval request and its decision. */
export const Approval = Schema.Struct({
  id: CaseModel.ApprovalId,
  subject: CaseModel.ApprovalSubject,
  reason: Schema.String,
  requestedBy: Actor.ActorId,
  requestedAt: Instant,
  status: Schema.Literals(["pending", "approved", "rejected"]),
  decidedBy: Schema.optionalKey(Actor.ActorId),
  decidedAt: Schema.optionalKey(Instant),
  decisionReason: Schema.optionalKey(Schema.String)
}).annotate({ identifier: "CaseApproval" })

/** A case plan and where it stands. */
export const PlanRecord = Schema.Struct({
  plan: CaseModel.Plan,
  status: Schema.Literals(["pending-approval", "approved", "rejected"]),
  proposedAt: Instant,
  approvedAt: Schema.optionalKey(Instant),
  adoption: Schema.optionalKey(Schema.Literals(["approval", "rendah"]))
}).annotate({ identifier: "CasePlanRecord" })

/** A consent given by a parent or guardian. */
export const Consent = Schema.Struct({
  id: CaseModel.ConsentId,
  givenBy: CaseModel.ConsentGiver,
  scope: Schema.Array(CaseModel.SharedData),
  recordedAt: Instant,
  withdrawn: Schema.Boolean
}).annotate({ identifier: "CaseConsent" })

/** A referral and where it stands. */
export const Referral = Schema.Struct({
  id: CaseModel.ReferralId,
  to: Agency.AgencyId,
  purpose: CaseModel.ReferralPurpose,
  shares: Schema.Array(CaseModel.SharedData),
  legalBasis: CaseModel.SharingBasis,
  status: Schema.Literals(["requested", "accepted", "declined", "withdrawn", "completed"]),
  requestedAt: Instant,
  conference: Schema.optionalKey(CaseModel.ConferenceId)
}).annotate({ identifier: "CaseReferral" })

/** A transfer of responsibility and where it stands. */
export const Transfer = Schema.Struct({
  id: CaseModel.TransferId,
  from: Agency.AgencyId,
  to: Agency.AgencyId,
  reason: Schema.String,
  legalBasis: CaseModel.SharingBasis,
  status: Schema.Literals(["requested", "accepted", "declined", "withdrawn"]),
  requestedAt: Instant,
  relocation: Schema.optionalKey(Schema.Struct({ from: Region.RegionCode, to: Region.RegionCode }))
}).annotate({ identifier: "CaseTransfer" })

/** A placement (emergency or planned) and where it stands. */
export const Placement = Schema.Struct({
  id: CaseModel.PlacementId,
  setting: CaseModel.PlacementSetting,
  facility: Agency.AgencyId,
  emergency: Schema.Boolean,
  requestedAt: Instant,
  status: Schema.Literals(["pending-approval", "active", "rejected", "ended"])
}).annotate({ identifier: "CasePlacement" })

/** The recorded risk of a case: what was assessed, and the level that governs it now. */
export const RiskRecord = Schema.Struct({
  ...CaseModel.RiskDecision.fields,
  assessedAt: Instant,
  effective: Risk.Level,
  peak: Risk.Level
}).annotate({ identifier: "CaseRiskRecord" })

/** A missed deadline and whom it was escalated to. */
export const Escalation = Schema.Struct({
  deadline: CaseModel.DeadlineKind,
  dueAt: Instant,
  escalatedTo: Schema.Literals(["supervisor", "head-of-dinas"]),
  placement: Schema.optionalKey(CaseModel.PlacementId)
}).annotate({ identifier: "CaseEscalation" })

/** A service delivered under the plan. */
export const ServiceDelivered = Schema.Struct({
  component: CaseModel.ServiceComponent,
  provider: Agency.AgencyId,
  deliveredOn: CalendarDate.CalendarDate
}).annotate({ identifier: "CaseServiceDelivered" })

/** The SPPA record of a case: proceedings, a Pasal 21 decision, detentions, the levels reached, Litmas
 * requests, accompaniments and a sentence. */
export const SppaRecord = Schema.Struct({
  proceedings: Schema.Array(CaseModel.SppaProceeding),
  pasal21: Schema.optionalKey(CaseModel.Pasal21Decision),
  pasal21DecidedAt: Schema.optionalKey(Instant),
  pasal21SubmittedOn: Schema.optionalKey(CalendarDate.CalendarDate),
  pasal21ExtendedMonths: Schema.optionalKey(Schema.Int),
  detentions: Schema.Int,
  detentionPeriods: Schema.Array(CaseModel.DetentionPeriod),
  levels: Schema.Array(CaseModel.SppaLevel),
  litmas: Schema.Array(CaseModel.LitmasRecord),
  accompaniments: Schema.Array(CaseModel.Accompaniment),
  sentence: Schema.optionalKey(
    Schema.Struct({ sentence: CaseModel.Sentence, decidedOn: CalendarDate.CalendarDate }).annotate({
      identifier: "CaseSppaSentence"
    })
  )
}).annotate({ identifier: "CaseSppaRecord" })

/** A safety plan and when it was recorded. */
export const SafetyPlan = Schema.Struct({
  measures: Schema.Array(CaseModel.SafetyMeasure),
  recordedAt: Instant
}).annotate({ identifier: "CaseSafetyPlan" })

/** A follow-up visit in aftercare. */
export const FollowUp = Schema.Struct({
  visitedOn: CalendarDate.CalendarDate,
  outcome: Schema.String
}).annotate({ identifier: "CaseFollowUp" })

/** What every reader of a case sees: stage, region, owner, kind and age band of the subject, version. */
export const Summary = Schema.Struct({
  stage: Sop.Stage,
  region: Region.RegionCode,
  owner: Agency.AgencyId,
  subjectKind: Subject.SubjectKind,
  ageBand: Schema.Literals(Access.ageBands),
  version: Schema.Int.annotate({ description: "The case's version: the number of its events", examples: [12] })
}).annotate({ identifier: "CaseSummary" })

/** What the owning agency and readers in its region see besides the sections. */
export const Work = Schema.Struct({
  assigned: Schema.Array(Actor.ActorId),
  approvals: Schema.Array(Approval),
  referrals: Schema.Array(Referral),
  transfers: Schema.Array(Transfer),
  placements: Schema.Array(Placement),
  consents: Schema.Array(Consent),
  conferences: Schema.Array(CaseModel.Conference),
  dataSubjectRequests: Schema.Array(CaseModel.DataSubjectRequest),
  nationalReferences: Schema.Array(NationalReference.Reference),
  safetyPlan: Schema.optionalKey(SafetyPlan),
  reintegration: Schema.optionalKey(CaseModel.Reintegration),
  followUps: Schema.Array(FollowUp),
  escalations: Schema.Array(Escalation)
}).annotate({ identifier: "CaseWork" })

/** A case as `Access.view` shows it to an actor: sections the actor may not see are absent; never identity. */
export const View = Schema.Struct({
  caseId: CaseModel.CaseId,
  summary: Summary,
  classification: Schema.optionalKey(CaseModel.Classification),
  risk: Schema.optionalKey(RiskRecord),
  plan: Schema.optionalKey(PlanRecord),
  services: Schema.optionalKey(Schema.Array(ServiceDelivered)),
  sppa: Schema.optionalKey(SppaRecord),
  work: Schema.optionalKey(Work),
  /** Whether the actor may read the subject's identity (through the identity port, never in this view). */
  identity: Schema.Literals(["visible", "hidden"]),
  /** Whether the actor may read the event history. */
  history: Schema.Boolean
}).annotate({ identifier: "CaseView", description: "What the actor may see of a case (Access.view)" })

/** See {@link View}. */
export type View = typeof View.Type

// The state's records are exactly these Schemas' types: a field on one side only (even an optional one), or a field
// of another type, fails to compile.
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
const same = <A, B>(proof: Same<A, B>): Same<A, B> => proof
same<Case.Approval, typeof Approval.Type>(true)
same<Case.PlanRecord, typeof PlanRecord.Type>(true)
same<Case.Consent, typeof Consent.Type>(true)
same<Case.Referral, typeof Referral.Type>(true)
same<Case.Transfer, typeof Transfer.Type>(true)
same<Case.Placement, typeof Placement.Type>(true)
same<Case.RiskRecord, typeof RiskRecord.Type>(true)
same<Case.Escalation, typeof Escalation.Type>(true)
same<Case.Case["services"][number], typeof ServiceDelivered.Type>(true)
same<Case.Case["sppa"], typeof SppaRecord.Type>(true)
same<NonNullable<Case.Case["safetyPlan"]>, typeof SafetyPlan.Type>(true)
same<Case.Case["followUps"][number], typeof FollowUp.Type>(true)
