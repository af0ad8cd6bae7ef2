/**
 * The commands of a case: what an actor asks the SOP to do. Each is a tagged Schema, decodable from JSON (an HTTP
 * body, an import line) with {@link decode}; the decider either accepts it and returns events, or refuses it with
 * a plain rejection that names its rule (`Rejection`) and changes nothing. A command may say when the thing it records happened (`occurredAt`, for
 * work recorded after the fact); that instant may not lie in the future.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Actor from "./Actor.js"
import * as Agency from "./Agency.js"
import * as CalendarDate from "./CalendarDate.js"
import * as CaseModel from "./CaseModel.js"
import * as NationalReference from "./NationalReference.js"
import * as Region from "./Region.js"
import * as Risk from "./Risk.js"
import * as Sppa from "./Sppa.js"
import * as Subject from "./Subject.js"

const Instant = Schema.DateTimeUtcFromString

const common = {
  caseId: CaseModel.CaseId,
  /** When the recorded thing happened, if earlier than now (work recorded after the fact). */
  occurredAt: Schema.optionalKey(Instant)
}

/**
 * The check of a record a command creates whole (a plan, a conference): its `id` follows the rule of record ids
 * (`CaseModel.recordIdProblem`). Ids that a command creates are checked; ids it refers to must exist already.
 */
const idOf = Schema.makeFilter((record: { readonly id: string }) => {
  const problem = CaseModel.recordIdProblem(record.id)
  return problem === undefined ? true : { path: ["id"], issue: problem }
})

const command = <Tag extends string, Fields extends Schema.Struct.Fields>(tag: Tag, fields: Fields) =>
  Schema.TaggedStruct(tag, { ...common, ...fields }).annotate({ identifier: `CaseCommand.${tag}` })

/** Registers a report about a person: the case begins. Give a birth date when known, else an age. */
export const RegisterReport = command("RegisterReport", {
  subject: Subject.SubjectId,
  sex: Subject.Sex,
  birthDate: Schema.optionalKey(CalendarDate.CalendarDate),
  ageAtReport: Schema.optionalKey(Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 130 }))),
  region: Region.RegionCode,
  owner: Agency.AgencyId,
  source: CaseModel.ReportSource,
  concerns: Schema.Array(Risk.FactorCode)
})

/** Assigns a caseworker of the owning agency. */
export const AssignCaseworker = command("AssignCaseworker", { caseworker: Actor.ActorId })

/** Releases a caseworker from the case. */
export const UnassignCaseworker = command("UnassignCaseworker", { caseworker: Actor.ActorId })

/** Starts outreach (pendekatan awal). */
export const StartOutreach = command("StartOutreach", {})

/** Records that the child was reached; the case moves to assessment. */
export const RecordFirstContact = command("RecordFirstContact", {})

/** Records an assessment or reassessment: classification, risk factors, and optionally a different level. */
export const RecordAssessment = command("RecordAssessment", {
  classification: CaseModel.Classification,
  factors: Schema.Array(Risk.FactorCode),
  /** A level different from the computed one; needs `reason`, and approval when lower (RISK-LOWER-APPROVAL). */
  chosenLevel: Schema.optionalKey(Risk.Level),
  reason: Schema.optionalKey(CaseModel.Reason),
  /** The id of the approval request created when the chosen level is below the computed one. */
  approval: Schema.optionalKey(CaseModel.ApprovalId.check(CaseModel.isRecordId))
})

/** Records the safety plan of a tinggi-risk child. */
export const RecordSafetyPlan = command("RecordSafetyPlan", {
  measures: Schema.NonEmptyArray(CaseModel.SafetyMeasure)
})

/** Completes the assessment (SOP-01); the case moves to planning. */
export const CompleteAssessment = command("CompleteAssessment", {})

/** Proposes a case plan; for sedang and tinggi it waits for a supervisor's approval under `approval`. */
export const ProposePlan = command("ProposePlan", {
  plan: CaseModel.Plan.check(idOf),
  approval: CaseModel.ApprovalId.check(CaseModel.isRecordId)
})

/** Approves or rejects a pending request (four eyes, SOP-03). */
export const DecideApproval = command("DecideApproval", {
  approval: CaseModel.ApprovalId,
  decision: Schema.Literals(["approved", "rejected"]),
  reason: CaseModel.Reason
})

/** Starts intervention from the approved plan (SOP-02). */
export const StartIntervention = command("StartIntervention", {})

/** Records a service of the plan as delivered. */
export const RecordService = command("RecordService", {
  component: CaseModel.ServiceComponent,
  provider: Agency.AgencyId,
  deliveredOn: CalendarDate.CalendarDate
})

/** Records a review of the plan. */
export const ReviewPlan = command("ReviewPlan", { outcome: Schema.Literals(["continue", "revise"]) })

/**
 * Records a case conference (SOP-CONFERENCE): participants of at least two disciplines, the decision, and follow-ups
 * owned by agencies that took part.
 */
export const RecordCaseConference = command("RecordCaseConference", { conference: CaseModel.Conference.check(idOf) })

/** Records that a follow-up of a case conference (its position in the list, from 0) was done. */
export const CompleteConferenceFollowUp = command("CompleteConferenceFollowUp", {
  conference: CaseModel.ConferenceId,
  followUp: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)),
  doneOn: CalendarDate.CalendarDate
})

/**
 * Records a reference to a national data system — a DTSEN household, a SIMFONI-PPA or SIKS-NG report — by that
 * system's own record id, never an identity number (SOP-NATIONAL-REFERENCE).
 */
export const RecordNationalReference = command("RecordNationalReference", {
  reference: NationalReference.Reference
})

/**
 * Records a request to access or correct the data of the case (UU 27/2022 Pasal 6, 7), from the person or, for a
 * child, a parent or the wali: it must be answered within 3 x 24 hours (`data-subject-request`), also after closure.
 */
export const ReceiveDataSubjectRequest = command("ReceiveDataSubjectRequest", {
  request: CaseModel.DataSubjectRequestId.check(CaseModel.isRecordId),
  kind: Schema.Literals(["access", "correction"]),
  by: CaseModel.ConsentGiver,
  receivedOn: CalendarDate.CalendarDate
})

/** Records the answer to a data-subject request: granted, or refused with the reason. */
export const AnswerDataSubjectRequest = command("AnswerDataSubjectRequest", {
  request: CaseModel.DataSubjectRequestId,
  outcome: Schema.Literals(["granted", "refused"]),
  answeredOn: CalendarDate.CalendarDate,
  reason: CaseModel.Reason
})

/** Records a parent's or guardian's consent to share parts of the case (SOP-06). */
export const RecordConsent = command("RecordConsent", {
  consent: CaseModel.ConsentId.check(CaseModel.isRecordId),
  givenBy: CaseModel.ConsentGiver,
  scope: Schema.NonEmptyArray(CaseModel.SharedData)
})

/** Withdraws a consent. */
export const WithdrawConsent = command("WithdrawConsent", { consent: CaseModel.ConsentId })

/** Refers the case to another agency or sector, sharing the listed parts on a legal basis (SOP-06). */
export const RequestReferral = command("RequestReferral", {
  referral: CaseModel.ReferralId.check(CaseModel.isRecordId),
  to: Agency.AgencyId,
  purpose: CaseModel.ReferralPurpose,
  shares: Schema.Array(CaseModel.SharedData),
  legalBasis: CaseModel.SharingBasis,
  /** The case conference that decided the referral, if any. */
  conference: Schema.optionalKey(CaseModel.ConferenceId)
})

/** Moves a referral: the recipient accepts, declines or completes it; the owner withdraws or completes it. */
export const UpdateReferral = command("UpdateReferral", {
  referral: CaseModel.ReferralId,
  status: Schema.Literals(["accepted", "declined", "withdrawn", "completed"]),
  reason: Schema.optionalKey(CaseModel.Reason)
})

/** Asks another agency to take responsibility for the case (SOP-06 applies: the case's data moves). */
export const RequestTransfer = command("RequestTransfer", {
  transfer: CaseModel.TransferId.check(CaseModel.isRecordId),
  to: Agency.AgencyId,
  reason: CaseModel.Reason,
  legalBasis: CaseModel.SharingBasis,
  /**
   * A relocation: the child has moved, and once the receiving agency accepts, the case's region becomes this one
   * (a region the receiving agency serves). Without it, the receiving agency must serve the case's region.
   */
  relocateTo: Schema.optionalKey(Region.RegionCode)
})

/** Moves a transfer: the receiving agency accepts or declines it; the owner withdraws it. */
export const UpdateTransfer = command("UpdateTransfer", {
  transfer: CaseModel.TransferId,
  status: Schema.Literals(["accepted", "declined", "withdrawn"]),
  reason: Schema.optionalKey(CaseModel.Reason)
})

/** Requests a placement: an emergency placement of a tinggi-risk child before intervention, or a planned one. */
export const RequestPlacement = command("RequestPlacement", {
  placement: CaseModel.PlacementId.check(CaseModel.isRecordId),
  setting: CaseModel.PlacementSetting,
  facility: Agency.AgencyId,
  emergency: Schema.Boolean,
  approval: CaseModel.ApprovalId.check(CaseModel.isRecordId),
  reason: CaseModel.Reason
})

/** Ends a placement. */
export const EndPlacement = command("EndPlacement", { placement: CaseModel.PlacementId, reason: CaseModel.Reason })

/** Records a step of SPPA proceedings (SOP-08: diversion must be attempted when mandatory). */
export const RecordSppaProceeding = command("RecordSppaProceeding", {
  actDate: CalendarDate.CalendarDate,
  proceeding: CaseModel.SppaProceeding
})

/** Records a Pasal 21 decision for a child under 12 (SOP-08). */
export const RecordPasal21Decision = command("RecordPasal21Decision", {
  actDate: CalendarDate.CalendarDate,
  decision: CaseModel.Pasal21Decision
})

/**
 * Extends a Pasal 21 guidance programme once, after an evaluation, by at most the policy's months (UU 11/2012
 * Pasal 21 ayat (4): up to 6 more months).
 */
export const ExtendPasal21Guidance = command("ExtendPasal21Guidance", {
  months: Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)),
  evaluatedOn: CalendarDate.CalendarDate,
  reason: CaseModel.Reason
})

/** Records that the Pasal 21 decision was submitted to the court for its penetapan (Pasal 21 ayat (2): 3 days). */
export const RecordPasal21CourtSubmission = command("RecordPasal21CourtSubmission", { on: CalendarDate.CalendarDate })

/**
 * Records a detention; rejected under 14 or for a threatened penalty under 7 years (SOP-08). With its level and
 * days (and where: an LPAS or LPKS), the period is checked against the time limits of that level
 * (SPPA-DETENTION-LIMITS); an extension is a further period at the same level.
 */
export const RecordDetention = command("RecordDetention", {
  threatenedPenaltyYears: Schema.Finite,
  actDate: CalendarDate.CalendarDate,
  on: CalendarDate.CalendarDate,
  stage: Schema.optionalKey(Sppa.Stage),
  days: Schema.optionalKey(Schema.Int.check(Schema.isGreaterThanOrEqualTo(1))),
  at: Schema.optionalKey(Agency.AgencyId)
})

/**
 * Records that a level of SPPA examination started — the investigation began, the prosecutor received the file, or
 * the judge was appointed — with the act's date, the threatened penalty and whether it is a repeat offence: where
 * diversion is mandatory, its 7-day clock starts (SPPA-DIVERSION-CLOCKS). Levels start in order.
 */
export const StartSppaLevel = command("StartSppaLevel", {
  stage: Sppa.Stage,
  startedOn: CalendarDate.CalendarDate,
  actDate: CalendarDate.CalendarDate,
  threatenedPenaltyYears: Schema.Finite.check(Schema.isGreaterThanOrEqualTo(0)),
  repeatOffence: Schema.Boolean
})

/** Records that diversion started at a level where it is mandatory: its 30-day clock starts. */
export const StartDiversion = command("StartDiversion", { stage: Sppa.Stage, on: CalendarDate.CalendarDate })

/**
 * Records how diversion at a level ended: an agreement (its forms and the victim's consent, SPPA-DIVERSION-AGREEMENT)
 * — whose 3-day clock to the court starts — or none.
 */
export const ConcludeDiversion = command("ConcludeDiversion", {
  stage: Sppa.Stage,
  on: CalendarDate.CalendarDate,
  outcome: Schema.Literals(["agreement", "no-agreement"]),
  agreement: Schema.optionalKey(CaseModel.DiversionAgreement)
})

/** Records that a diversion agreement was sent to the district court for its penetapan (Pasal 12 ayat (2)). */
export const SubmitDiversionAgreement = command("SubmitDiversionAgreement", {
  stage: Sppa.Stage,
  on: CalendarDate.CalendarDate
})

/**
 * Records that a diversion agreement was not carried out: its clocks stop and the proceedings continue at the next
 * level (UU 11/2012 Pasal 13 huruf b).
 */
export const RecordAgreementNotCarriedOut = command("RecordAgreementNotCarriedOut", {
  stage: Sppa.Stage,
  on: CalendarDate.CalendarDate,
  reason: CaseModel.Reason
})

/** Records the court's penetapan of a diversion agreement (Pasal 12 ayat (3)). */
export const RecordDiversionConfirmation = command("RecordDiversionConfirmation", {
  stage: Sppa.Stage,
  on: CalendarDate.CalendarDate
})

/** Records that a Litmas was asked of a Bapas (UU 11/2012 Pasal 27 ayat (1)): its 3 x 24-hour clock starts (Pasal 28). */
export const RequestLitmas = command("RequestLitmas", { bapas: Agency.AgencyId, on: CalendarDate.CalendarDate })

/** Records that the Litmas asked for was received. */
export const RecordLitmas = command("RecordLitmas", { on: CalendarDate.CalendarDate })

/**
 * Records that the child was accompanied at a level of examination — at the police (investigation), the prosecutor
 * (prosecution) or the court (trial) — and, when one was given, the date of the social report (laporan sosial).
 */
export const RecordAccompaniment = command("RecordAccompaniment", {
  at: Agency.AgencyId,
  stage: Sppa.Stage,
  on: CalendarDate.CalendarDate,
  socialReportOn: Schema.optionalKey(CalendarDate.CalendarDate)
})

/** Records a child's sentence: a tindakan, or a pidana within its limits (SPPA-SENTENCE). */
export const RecordSentence = command("RecordSentence", {
  actDate: CalendarDate.CalendarDate,
  decidedOn: CalendarDate.CalendarDate,
  sentence: CaseModel.Sentence
})

/** Starts reintegration with the receiver assessed and the child's view recorded (SOP-05). */
export const StartReintegration = command("StartReintegration", { reintegration: CaseModel.Reintegration })

/** Requests termination (SOP-04); it takes effect when a supervisor approves it. */
export const RequestTermination = command("RequestTermination", {
  reason: CaseModel.TerminationReason,
  note: CaseModel.Reason,
  approval: CaseModel.ApprovalId.check(CaseModel.isRecordId)
})

/** Records a follow-up visit in aftercare. */
export const RecordFollowUp = command("RecordFollowUp", {
  visitedOn: CalendarDate.CalendarDate,
  outcome: Schema.Literals(["stable", "needs-support", "not-reached"])
})

/** Closes a case at the end of aftercare. */
export const CloseCase = command("CloseCase", { reason: CaseModel.Reason })

/** Requests early closure from the first stages; it takes effect when a supervisor approves it. */
export const RequestEarlyClosure = command("RequestEarlyClosure", {
  reason: CaseModel.EarlyClosureReason,
  note: CaseModel.Reason,
  approval: CaseModel.ApprovalId.check(CaseModel.isRecordId)
})

/**
 * Reopens a case in aftercare or closed; it returns to assessment (SOP-10), to be assessed and planned anew (SOP-01,
 * SOP-02): its plan in force and current plan are cleared. A case closed before the child was reached returns to
 * outreach instead (`reopen-unreached`), under the first-contact deadline again.
 */
export const ReopenCase = command("ReopenCase", { reason: CaseModel.Reason })

/** Checks the clock: records a child reaching 18 (SOP-09) and escalates missed deadlines (SOP-11). */
export const Tick = command("Tick", {})

/** Every command. */
export const Command = Schema.Union([
  RegisterReport,
  AssignCaseworker,
  UnassignCaseworker,
  StartOutreach,
  RecordFirstContact,
  RecordAssessment,
  RecordSafetyPlan,
  CompleteAssessment,
  ProposePlan,
  DecideApproval,
  StartIntervention,
  RecordService,
  ReviewPlan,
  RecordCaseConference,
  CompleteConferenceFollowUp,
  RecordConsent,
  WithdrawConsent,
  RecordNationalReference,
  ReceiveDataSubjectRequest,
  AnswerDataSubjectRequest,
  RequestReferral,
  UpdateReferral,
  RequestTransfer,
  UpdateTransfer,
  RequestPlacement,
  EndPlacement,
  RecordSppaProceeding,
  RecordPasal21Decision,
  ExtendPasal21Guidance,
  RecordPasal21CourtSubmission,
  RecordDetention,
  StartSppaLevel,
  StartDiversion,
  ConcludeDiversion,
  SubmitDiversionAgreement,
  RecordDiversionConfirmation,
  RecordAgreementNotCarriedOut,
  RequestLitmas,
  RecordLitmas,
  RecordAccompaniment,
  RecordSentence,
  StartReintegration,
  RequestTermination,
  RecordFollowUp,
  CloseCase,
  RequestEarlyClosure,
  ReopenCase,
  Tick
]).annotate({ identifier: "CaseCommand" })

/** See {@link Command}. */
export type Command = typeof Command.Type

/** The type of a command: its tag. */
export type Type = Command["_tag"]

/** The command of a type (or of a union of types). */
export type Of<K extends Type> = Command & { readonly _tag: K }

/** Every command type, in SOP order. */
export const types: ReadonlyArray<Type> = Command.members.map((member) => member.fields._tag.schema.literal)

/** The JSON form of a command. */
export type Encoded = typeof Command.Encoded

/** The JSON codec of {@link Command}: decodes instants from ISO strings. */
export const decode = Schema.decodeUnknownResult(Command)
