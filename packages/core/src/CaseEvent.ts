/**
 * The events of a case: what happened, as the append-only history (SOP-10). Every event is wrapped in an
 * {@link Envelope}: event id, case id, version (1, 2, 3… per case), occurred-at and recorded-at instants, the actor
 * (id, role, office, agency, region), the case's region when it was decided, the rules and legal basis it rests on, the event type and its schema
 * version, and the payload. Events never hold a child's identity: they refer to a `SubjectId`.
 *
 * Old events keep decoding as the model grows: each type has a schema version, and {@link decodeEnvelope}
 * upgrades older versions through the upcasters registered in {@link upcasters}.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Actor from "./Actor.js"
import * as Agency from "./Agency.js"
import * as Basis from "./Basis.js"
import * as CalendarDate from "./CalendarDate.js"
import * as CaseModel from "./CaseModel.js"
import * as Id from "./Id.js"
import * as NationalReference from "./NationalReference.js"
import * as Region from "./Region.js"
import * as Sop from "./Sop.js"
import * as Sppa from "./Sppa.js"
import * as Subject from "./Subject.js"

const Instant = Schema.DateTimeUtcFromString

const event = <Tag extends string, Fields extends Schema.Struct.Fields>(tag: Tag, fields: Fields) =>
  Schema.TaggedStruct(tag, fields).annotate({ identifier: `CaseEvent.${tag}` })

/** A report about a person was registered: the case begins in `reported`. */
export const ReportRegistered = event("ReportRegistered", {
  subject: Subject.SubjectId,
  subjectKind: Subject.SubjectKind,
  sex: Subject.Sex,
  birthDate: Schema.optionalKey(CalendarDate.CalendarDate),
  ageAtReport: Schema.optionalKey(Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 130 }))),
  region: Region.RegionCode,
  owner: Agency.AgencyId,
  source: CaseModel.ReportSource,
  concerns: Schema.Array(CaseModel.Concern)
})

/** A caseworker was assigned to the case. */
export const CaseworkerAssigned = event("CaseworkerAssigned", { caseworker: Actor.ActorId })

/** A caseworker was released from the case. */
export const CaseworkerUnassigned = event("CaseworkerUnassigned", { caseworker: Actor.ActorId })

/** The case moved along a transition of the SOP. */
export const StageChanged = event("StageChanged", {
  transition: Schema.String.annotate({ identifier: "TransitionName", description: "A transition of the SOP, by name" }),
  from: Sop.Stage,
  to: Sop.Stage,
  reason: Schema.optionalKey(Schema.String)
})

/** The child was reached for the first time (pendekatan awal). */
export const FirstContactRecorded = event("FirstContactRecorded", { contactedAt: Instant })

/** An assessment or reassessment: classification and risk. */
export const AssessmentRecorded = event("AssessmentRecorded", {
  classification: CaseModel.Classification,
  risk: CaseModel.RiskDecision
})

/** A safety plan for a tinggi-risk child. */
export const SafetyPlanRecorded = event("SafetyPlanRecorded", {
  measures: Schema.NonEmptyArray(CaseModel.SafetyMeasure)
})

/** A case plan was proposed (it then needs approval for sedang and tinggi, SOP-02). */
export const PlanProposed = event("PlanProposed", { plan: CaseModel.Plan })

/** A request for approval was made (four eyes, SOP-03). */
export const ApprovalRequested = event("ApprovalRequested", {
  approval: CaseModel.ApprovalId,
  subject: CaseModel.ApprovalSubject,
  reason: Schema.String
})

/** A request for approval was decided. */
export const ApprovalDecided = event("ApprovalDecided", {
  approval: CaseModel.ApprovalId,
  decision: Schema.Literals(["approved", "rejected"]),
  reason: Schema.String
})

/** A plan for rendah risk took effect without a supervisor's approval (SOP-02). */
export const PlanAdopted = event("PlanAdopted", { plan: CaseModel.PlanId })

/** A service of the plan was delivered. */
export const ServiceDelivered = event("ServiceDelivered", {
  component: CaseModel.ServiceComponent,
  provider: Agency.AgencyId,
  deliveredOn: CalendarDate.CalendarDate
})

/** A plan review took place. */
export const PlanReviewed = event("PlanReviewed", { outcome: Schema.Literals(["continue", "revise"]) })

/** A case conference was held: its participants, decision and follow-ups. */
export const CaseConferenceRecorded = event("CaseConferenceRecorded", { conference: CaseModel.Conference })

/** A follow-up of a case conference was done. */
export const ConferenceFollowUpCompleted = event("ConferenceFollowUpCompleted", {
  conference: CaseModel.ConferenceId,
  followUp: Schema.Int,
  doneOn: CalendarDate.CalendarDate
})

/** Consent to share data was recorded from a parent or guardian (UU 27/2022 Pasal 25). */
export const ConsentRecorded = event("ConsentRecorded", {
  consent: CaseModel.ConsentId,
  givenBy: CaseModel.ConsentGiver,
  scope: Schema.NonEmptyArray(CaseModel.SharedData)
})

/** A consent was withdrawn; it no longer supports new sharing. */
export const ConsentWithdrawn = event("ConsentWithdrawn", { consent: CaseModel.ConsentId })

/** A reference to a national data system was recorded: the system's own record id, never an identity. */
export const NationalReferenceRecorded = event("NationalReferenceRecorded", {
  reference: NationalReference.Reference
})

/** A request to access or correct the case's data was received (UU 27/2022 Pasal 6, 7). */
export const DataSubjectRequestReceived = event("DataSubjectRequestReceived", {
  request: CaseModel.DataSubjectRequestId,
  kind: Schema.Literals(["access", "correction"]),
  by: CaseModel.ConsentGiver,
  receivedOn: CalendarDate.CalendarDate
})

/** A data-subject request was answered. */
export const DataSubjectRequestAnswered = event("DataSubjectRequestAnswered", {
  request: CaseModel.DataSubjectRequestId,
  outcome: Schema.Literals(["granted", "refused"]),
  answeredOn: CalendarDate.CalendarDate,
  reason: CaseModel.Reason
})

/** A referral to another agency or sector was requested. */
export const ReferralRequested = event("ReferralRequested", {
  referral: CaseModel.ReferralId,
  to: Agency.AgencyId,
  purpose: CaseModel.ReferralPurpose,
  shares: Schema.Array(CaseModel.SharedData),
  legalBasis: CaseModel.SharingBasis,
  /** The case conference that decided it (absent when none did, and in older events). */
  conference: Schema.optionalKey(CaseModel.ConferenceId)
})

/** A referral moved to `accepted`, `declined`, `withdrawn` or `completed`. */
export const ReferralUpdated = event("ReferralUpdated", {
  referral: CaseModel.ReferralId,
  status: Schema.Literals(["accepted", "declined", "withdrawn", "completed"]),
  reason: Schema.optionalKey(Schema.String)
})

/** A transfer of responsibility to another agency was requested. */
export const TransferRequested = event("TransferRequested", {
  transfer: CaseModel.TransferId,
  to: Agency.AgencyId,
  reason: Schema.String,
  legalBasis: CaseModel.SharingBasis,
  /** A relocation: the region the case moves to when the transfer is accepted. */
  relocateTo: Schema.optionalKey(Region.RegionCode)
})

/** A transfer moved to `accepted` (the receiving agency now owns the case), `declined` or `withdrawn`. */
export const TransferUpdated = event("TransferUpdated", {
  transfer: CaseModel.TransferId,
  status: Schema.Literals(["accepted", "declined", "withdrawn"]),
  reason: Schema.optionalKey(Schema.String)
})

/** An emergency placement (safe house, RPTC, LPKS) was requested; it needs approval within 24 hours. */
export const PlacementRequested = event("PlacementRequested", {
  placement: CaseModel.PlacementId,
  setting: CaseModel.PlacementSetting,
  facility: Agency.AgencyId,
  emergency: Schema.Boolean
})

/** A placement ended. */
export const PlacementEnded = event("PlacementEnded", { placement: CaseModel.PlacementId, reason: Schema.String })

/** A step of SPPA proceedings was recorded (diversion at investigation, prosecution, trial). */
export const SppaProceedingRecorded = event("SppaProceedingRecorded", { proceeding: CaseModel.SppaProceeding })

/** A UU 11/2012 Pasal 21 decision for a child under 12. */
export const Pasal21DecisionRecorded = event("Pasal21DecisionRecorded", {
  decision: CaseModel.Pasal21Decision,
  /**
   * Whether the decision's submission to the court is tracked (Pasal 21 ayat (2), a 3-day deadline). Absent in
   * events written before the deadline existed: their cases get no clock they could not have met.
   */
  tracksCourtSubmission: Schema.optionalKey(Schema.Literal(true))
})

/** A Pasal 21 guidance programme was extended after an evaluation (Pasal 21 ayat (4)). */
export const Pasal21GuidanceExtended = event("Pasal21GuidanceExtended", {
  months: Schema.Int,
  evaluatedOn: CalendarDate.CalendarDate,
  reason: CaseModel.Reason
})

/** The Pasal 21 decision was submitted to the court for its penetapan (Pasal 21 ayat (2)). */
export const Pasal21CourtSubmitted = event("Pasal21CourtSubmitted", { on: CalendarDate.CalendarDate })

/** A detention that passed the SOP-08 check was recorded. */
export const DetentionRecorded = event("DetentionRecorded", {
  threatenedPenaltyYears: Schema.Finite,
  ageAtDetention: Schema.Int,
  /** The period, when the level and days were given (absent in older events). */
  period: Schema.optionalKey(CaseModel.DetentionPeriod)
})

/** A level of SPPA examination started; `diversionMandatory` says whether its diversion clock runs. */
export const SppaLevelStarted = event("SppaLevelStarted", {
  stage: Sppa.Stage,
  startedOn: CalendarDate.CalendarDate,
  actDate: CalendarDate.CalendarDate,
  threatenedPenaltyYears: Schema.Finite,
  repeatOffence: Schema.Boolean,
  diversionMandatory: Schema.Boolean
})

/** Diversion started at a level. */
export const DiversionStarted = event("DiversionStarted", { stage: Sppa.Stage, on: CalendarDate.CalendarDate })

/** Diversion at a level ended, with an agreement (its forms and the victim's consent) or without. */
export const DiversionConcluded = event("DiversionConcluded", {
  stage: Sppa.Stage,
  on: CalendarDate.CalendarDate,
  outcome: Schema.Literals(["agreement", "no-agreement"]),
  agreement: Schema.optionalKey(CaseModel.DiversionAgreement)
})

/** A diversion agreement was sent to the district court. */
export const DiversionAgreementSubmitted = event("DiversionAgreementSubmitted", {
  stage: Sppa.Stage,
  on: CalendarDate.CalendarDate
})

/** A diversion agreement was not carried out: the proceedings continue (Pasal 13 huruf b). */
export const DiversionAgreementNotCarriedOut = event("DiversionAgreementNotCarriedOut", {
  stage: Sppa.Stage,
  on: CalendarDate.CalendarDate,
  reason: CaseModel.Reason
})

/** The court confirmed a diversion agreement by its penetapan. */
export const DiversionConfirmed = event("DiversionConfirmed", { stage: Sppa.Stage, on: CalendarDate.CalendarDate })

/** A Litmas was asked of a Bapas. */
export const LitmasRequested = event("LitmasRequested", { bapas: Agency.AgencyId, on: CalendarDate.CalendarDate })

/** The Litmas asked for was received. */
export const LitmasReceived = event("LitmasReceived", { on: CalendarDate.CalendarDate })

/** The child was accompanied at a level of examination, with a social report when one was given. */
export const AccompanimentRecorded = event("AccompanimentRecorded", { accompaniment: CaseModel.Accompaniment })

/** A child's sentence, with the age at the act it was checked against. */
export const SentenceRecorded = event("SentenceRecorded", {
  sentence: CaseModel.Sentence,
  decidedOn: CalendarDate.CalendarDate,
  ageAtAct: Schema.Int
})

/** The receiving family or institution was assessed and the child's view recorded (SOP-05). */
export const ReintegrationPrepared = event("ReintegrationPrepared", { reintegration: CaseModel.Reintegration })

/** A follow-up visit in aftercare. */
export const FollowUpRecorded = event("FollowUpRecorded", {
  visitedOn: CalendarDate.CalendarDate,
  outcome: Schema.Literals(["stable", "needs-support", "not-reached"])
})

/** The person reached 18 during a child case (SOP-09): the case must be handed over or terminated as adult. */
export const AdulthoodReached = event("AdulthoodReached", { on: CalendarDate.CalendarDate })

/** A deadline was missed and escalated (SOP-11): to the supervisor first, then the head of the dinas. */
export const DeadlineEscalated = event("DeadlineEscalated", {
  deadline: CaseModel.DeadlineKind,
  dueAt: Instant,
  escalatedTo: Schema.Literals(["supervisor", "head-of-dinas"]),
  /** The placement whose approval was due (an `emergency-placement-approval` deadline; absent in older events). */
  placement: Schema.optionalKey(CaseModel.PlacementId)
})

/** Every payload, tagged by `_tag`. */
export const Payload = Schema.Union([
  ReportRegistered,
  CaseworkerAssigned,
  CaseworkerUnassigned,
  StageChanged,
  FirstContactRecorded,
  AssessmentRecorded,
  SafetyPlanRecorded,
  PlanProposed,
  ApprovalRequested,
  ApprovalDecided,
  PlanAdopted,
  ServiceDelivered,
  PlanReviewed,
  CaseConferenceRecorded,
  ConferenceFollowUpCompleted,
  ConsentRecorded,
  ConsentWithdrawn,
  NationalReferenceRecorded,
  DataSubjectRequestReceived,
  DataSubjectRequestAnswered,
  ReferralRequested,
  ReferralUpdated,
  TransferRequested,
  TransferUpdated,
  PlacementRequested,
  PlacementEnded,
  SppaProceedingRecorded,
  Pasal21DecisionRecorded,
  Pasal21GuidanceExtended,
  Pasal21CourtSubmitted,
  DetentionRecorded,
  SppaLevelStarted,
  DiversionStarted,
  DiversionConcluded,
  DiversionAgreementSubmitted,
  DiversionConfirmed,
  DiversionAgreementNotCarriedOut,
  LitmasRequested,
  LitmasReceived,
  AccompanimentRecorded,
  SentenceRecorded,
  ReintegrationPrepared,
  FollowUpRecorded,
  AdulthoodReached,
  DeadlineEscalated
]).annotate({ identifier: "CaseEventPayload" })

/** See {@link Payload}. */
export type Payload = typeof Payload.Type

/** The type of an event: its payload's tag. */
export type Type = Payload["_tag"]

/**
 * Event types whose moment is personal data: a child's 18th birthday is recorded (SOP-09) at the start of that day,
 * so when an `AdulthoodReached` happens is the birth date. Such an event does not move the instant lists show as a
 * case's last update (`Case.Case.updatedAt`), and is never published (`PublicEvent.withheld`).
 */
export const personalMoments: ReadonlySet<Type> = new Set<Type>(["AdulthoodReached"])

/**
 * The current schema version of every event type. Bump one and register an upcaster when its payload changes.
 * Version 2 of `AssessmentRecorded` records what the risk policy made of the factors (`CaseModel.RiskDecision`).
 */
export const schemaVersions: Readonly<Record<Type, number>> = {
  ...(Object.fromEntries(Payload.members.map((member) => [member.fields._tag.schema.literal, 1])) as Record<
    Type,
    number
  >),
  AssessmentRecorded: 2
}

/**
 * The red flags under which assessments of schema version 1 were decided: the catalogue's, fixed in code until red
 * flags became policy. Written out, in the catalogue's order then: the past does not follow later changes.
 */
const redFlagsOfVersion1: ReadonlyArray<string> = [
  "sexual-violence",
  "sexual-exploitation",
  "trafficking",
  "abduction",
  "confinement",
  "imminent-danger",
  "perpetrator-has-access",
  "under-five-without-protective-carer",
  "serious-injury",
  "suicide-risk"
]

/** An encoded object's fields (an upcaster reads unknown data; what is no object decodes as a failure later). */
const fieldsOf = (value: unknown): Readonly<Record<string, unknown>> | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Readonly<Record<string, unknown>>)
    : undefined

/**
 * The registered upgrades. `AssessmentRecorded` 1 → 2: the red flags among the factors are the catalogue's of
 * then (none when the computed level was not tinggi); the score and threshold the weights then gave were not
 * recorded, and stay absent.
 */
export const upcasters: Upcasters = {
  AssessmentRecorded: {
    1: (encoded) => {
      const payload = fieldsOf(encoded)
      const risk = fieldsOf(payload?.risk)
      const factors = risk?.factors
      if (payload === undefined || risk === undefined || !Array.isArray(factors)) return encoded
      // A level computed below tinggi had no red flag in force, whatever the factors (a policy of the development
      // versions between red flags becoming policy and this version could make one a concern).
      const tinggi = fieldsOf(risk.decision)?.computed === "tinggi"
      const redFlags = tinggi ? redFlagsOfVersion1.filter((code) => factors.includes(code)) : []
      return { ...payload, risk: { ...risk, redFlags } }
    }
  }
}

/** A case id chosen by the caller (e.g. a UUID): pseudonymous, stable. */
export const CaseId = CaseModel.CaseId

/**
 * The most characters (code points) of an event id: a case id of up to `Id.MAX_LENGTH` (128), a colon and a version
 * of up to 16 digits, 145 in all.
 */
export const MAX_EVENT_ID_LENGTH = Id.MAX_LENGTH + 1 + String(Number.MAX_SAFE_INTEGER).length

/**
 * An event's id. The decider makes it `<case id>:<version>`, so it follows the id rules (see `Id`) with room for
 * the colon and the version: 1 to {@link MAX_EVENT_ID_LENGTH} printable characters in NFC.
 */
export const EventId = Id.withMaxLength(MAX_EVENT_ID_LENGTH).annotate({
  identifier: "EventId",
  description:
    `An event's id, <case id>:<version>: 1 to ${MAX_EVENT_ID_LENGTH} printable characters (Unicode code points) ` +
    "in NFC, as for every id"
})

/** What every event is wrapped in. */
export const Envelope = Schema.Struct({
  eventId: EventId,
  caseId: CaseModel.CaseId,
  version: Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)),
  occurredAt: Instant,
  recordedAt: Instant,
  actor: Actor.Actor,
  /**
   * The case's region when the event was decided (for a relocation, the region it leaves): what region-partitioned
   * storage and region-based event subjects key on. Absent in events written before it was recorded.
   */
  region: Schema.optionalKey(Region.RegionCode),
  rules: Schema.Array(Schema.String.annotate({ identifier: "RuleId", description: "A rule's id, e.g. SOP-03" })),
  basis: Schema.Array(Basis.Basis),
  type: Schema.String.annotate({ identifier: "EventType", description: "The event's type: its payload's tag" }),
  schemaVersion: Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)),
  payload: Payload
})
  .check(
    Schema.makeFilter(
      (envelope: { readonly type: string; readonly payload: { readonly _tag: string } }) =>
        envelope.type === envelope.payload._tag ||
        `type ${envelope.type} does not match the payload ${envelope.payload._tag}`
    )
  )
  .annotate({ identifier: "CaseEvent", description: "An event of a case in its envelope" })

/** See {@link Envelope}. */
export type Envelope = typeof Envelope.Type

/** The JSON form of an {@link Envelope}, as storage and transport hold it. */
export type Encoded = typeof Envelope.Encoded

/** Encodes an event to JSON-ready data. */
export const encode = (envelope: Envelope): Encoded => Schema.encodeSync(Envelope)(envelope)

/** Upgrades of encoded payloads: `registry[type][n]` turns a schema-version-n payload into version n+1. */
export type Upcasters = Readonly<Partial<Record<Type, Readonly<Record<number, (encoded: unknown) => unknown>>>>>

/**
 * Decodes an event from JSON-ready data, first upgrading an older schema version of its payload step by step
 * through `registry` (default: {@link upcasters}) up to `versions` (default: {@link schemaVersions}).
 * Throws a `SchemaError` for data that is not an event, or an `Error` when an upgrade step is missing; storage
 * adapters turn either into a corruption error.
 */
export const decodeEnvelope = (
  input: unknown,
  registry: Upcasters = upcasters,
  versions: Readonly<Record<string, number>> = schemaVersions
): Envelope => Schema.decodeUnknownSync(Envelope)(upcast(input, registry, versions))

/**
 * Upgrades an encoded event's payload from its schema version to the current one, step by step through `registry`
 * (default: {@link upcasters}), without decoding it: the record with the upgraded payload and schema version. Throws
 * an `Error` when a step is missing. {@link decodeEnvelope} and the public form's decoder (`PublicEvent`) use it.
 */
export const upcast = (
  input: unknown,
  registry: Upcasters = upcasters,
  versions: Readonly<Record<string, number>> = schemaVersions
): unknown => {
  const record = (typeof input === "object" && input !== null ? input : {}) as {
    type?: unknown
    schemaVersion?: unknown
    payload?: unknown
  }
  const type = record.type as Type
  let payload = record.payload
  let version = typeof record.schemaVersion === "number" ? record.schemaVersion : 1
  const current = versions[type] ?? version
  if (version >= current && record.schemaVersion === version) return input
  while (version < current) {
    const step = registry[type]?.[version]
    if (step === undefined) throw new Error(`No upcaster for ${String(type)} from schema version ${version}`)
    payload = step(payload)
    version++
  }
  return { ...record, payload, schemaVersion: version }
}
