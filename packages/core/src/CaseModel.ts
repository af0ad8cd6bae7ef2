/**
 * The value types of a case that commands, events and state share: ids, classification and risk as recorded,
 * the case plan, approvals, consent, referrals, transfers, placements, SPPA proceedings, reintegration and the
 * kinds of deadline. None of them holds a name or any other identity; free text is limited to short reasons.
 *
 * @since 0.1.0
 */
import { type Brand, Schema } from "effect"
import * as Agency from "./Agency.js"
import * as Ampk from "./Ampk.js"
import * as Atensi from "./Atensi.js"
import * as Basis from "./Basis.js"
import * as CalendarDate from "./CalendarDate.js"
import * as Intake from "./Classification.js"
import * as Deadline from "./Deadline.js"
import * as Id from "./Id.js"
import * as Ppks from "./Ppks.js"
import * as Risk from "./Risk.js"
import * as Sppa from "./Sppa.js"

const id = (description: string) =>
  Schema.NonEmptyString.pipe(Schema.check(Schema.isMaxLength(100))).annotate({ description })

/**
 * The shapes in which a NIK or a family-card number (Nomor KK, 16 digits each) is written inside an id: 16 digits
 * standing as a part of their own (between separators or at an end), or grouped 4-4-4-4 or 6-6-4. A run of digits
 * inside a longer token (a UUID's or a minted id's hex) is not one: those ids never match.
 */
const nikShapes =
  /(?:^|[^\p{L}\p{N}])(?:\d{16}|\d{4}([-. /])\d{4}\1\d{4}\1\d{4}|\d{6}([-. /])\d{6}\2\d{4})(?:$|[^\p{L}\p{N}])/u

/** Whether an id holds what looks like a NIK or a family-card number (see {@link nikShapes}). */
export const looksLikeNik = (value: string): boolean => nikShapes.test(value)

/** The most characters a record id that a command brings may have. */
export const RECORD_ID_MAX_LENGTH = 100

const recordIdShape = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/

/**
 * What is wrong with the id of a case's record (an approval, plan, consent, referral, transfer, placement,
 * conference or data-subject request) that a command brings, or `undefined`: 1 to {@link RECORD_ID_MAX_LENGTH}
 * letters, digits and `.` `_` `:` `-`, starting with a letter or digit, and never a NIK or a family-card number's
 * 16 digits ({@link looksLikeNik}). These ids are published on the public stream as codes (`PublicEvent.codes`): an id is a
 * generated token (a UUID, `consent-1`), never a name, an address or a sentence. Never quotes the value.
 *
 * Events and states read the ids that earlier versions recorded without this rule; commands must follow it.
 */
export const recordIdProblem = (value: string): string | undefined => {
  if (value.length === 0 || value.length > RECORD_ID_MAX_LENGTH) {
    return `a record id has 1 to ${RECORD_ID_MAX_LENGTH} characters`
  }
  if (!recordIdShape.test(value)) {
    return "a record id is letters, digits and . _ : - (starting with a letter or digit): a generated token, never a name or a sentence"
  }
  if (looksLikeNik(value)) {
    return "holds 16 digits in a row, like a NIK or a family-card number: a record id is a generated token, never an identity"
  }
  return undefined
}

/**
 * What is wrong with the id of a new case or subject as a pseudonym, or `undefined`: it holds no whitespace (a
 * sentence, a name with its spaces) and no NIK or family-card number ({@link looksLikeNik}). These ids travel in URLs, logs, message subjects and exports. Checked when a report is registered;
 * cases and subjects registered before keep their ids. Never quotes the value.
 */
export const pseudonymProblem = (value: string): string | undefined => {
  if (/\s/u.test(value)) return "holds whitespace: a case or subject id is a pseudonym (a UUID, a code), never a name"
  if (looksLikeNik(value)) {
    return "holds 16 digits in a row, like a NIK or a family-card number: a case or subject id is a pseudonym, never an identity"
  }
  return undefined
}

/** The check a command's record ids pass ({@link recordIdProblem}). */
export const isRecordId = Schema.makeFilter((value: string) => recordIdProblem(value) ?? true, {
  expected: `a record id: 1 to ${RECORD_ID_MAX_LENGTH} letters, digits and . _ : -, not a NIK or KK number`
})
/**
 * A case id chosen by the caller (e.g. a UUID): pseudonymous and stable, an {@link Id.Id}. Every branded id has a
 * validating constructor: `CaseId.make("case-1")` returns a `CaseId`, or throws for what decoding would refuse.
 */
export const CaseId = Id.Id.pipe(
  Schema.brand("CaseId"),
  Schema.annotate({
    identifier: "CaseId",
    description: "A pseudonymous, stable case identifier chosen by the caller",
    examples: ["000-padang-kakak" as string & Brand.Brand<"CaseId">]
  })
)
/** See {@link CaseId}. */
export type CaseId = typeof CaseId.Type

/** An approval request's id, unique within its case. */
export const ApprovalId = id("An approval request's id, unique within its case").pipe(
  Schema.brand("ApprovalId"),
  Schema.annotate({ identifier: "ApprovalId" })
)
/** See {@link ApprovalId}. */
export type ApprovalId = typeof ApprovalId.Type

/** A case plan's id, unique within its case. */
export const PlanId = id("A case plan's id, unique within its case").pipe(
  Schema.brand("PlanId"),
  Schema.annotate({ identifier: "PlanId" })
)
/** See {@link PlanId}. */
export type PlanId = typeof PlanId.Type

/** A consent's id, unique within its case. */
export const ConsentId = id("A consent's id, unique within its case").pipe(
  Schema.brand("ConsentId"),
  Schema.annotate({ identifier: "ConsentId" })
)
/** See {@link ConsentId}. */
export type ConsentId = typeof ConsentId.Type

/** A referral's id, unique within its case. */
export const ReferralId = id("A referral's id, unique within its case").pipe(
  Schema.brand("ReferralId"),
  Schema.annotate({ identifier: "ReferralId" })
)
/** See {@link ReferralId}. */
export type ReferralId = typeof ReferralId.Type

/** A case conference's id, unique within its case. */
export const ConferenceId = id("A case conference's id, unique within its case").pipe(
  Schema.brand("ConferenceId"),
  Schema.annotate({ identifier: "ConferenceId" })
)
/** See {@link ConferenceId}. */
export type ConferenceId = typeof ConferenceId.Type

/** A data-subject request's id, unique within its case. */
export const DataSubjectRequestId = id("A data-subject request's id, unique within its case").pipe(
  Schema.brand("DataSubjectRequestId"),
  Schema.annotate({ identifier: "DataSubjectRequestId" })
)
/** See {@link DataSubjectRequestId}. */
export type DataSubjectRequestId = typeof DataSubjectRequestId.Type

/** A transfer's id, unique within its case. */
export const TransferId = id("A transfer's id, unique within its case").pipe(
  Schema.brand("TransferId"),
  Schema.annotate({ identifier: "TransferId" })
)
/** See {@link TransferId}. */
export type TransferId = typeof TransferId.Type

/** A placement's id, unique within its case. */
export const PlacementId = id("A placement's id, unique within its case").pipe(
  Schema.brand("PlacementId"),
  Schema.annotate({ identifier: "PlacementId" })
)
/** See {@link PlacementId}. */
export type PlacementId = typeof PlacementId.Type

/** A short written reason: required where the SOP asks "why", limited so that it is not a place for case notes. */
export const Reason = Schema.String.pipe(
  Schema.check(Schema.isTrimmed(), Schema.isMinLength(1), Schema.isMaxLength(500)),
  Schema.annotate({ identifier: "Reason", description: "A short written reason (1–500 characters, trimmed)" })
)

/** Who reported the case (seed 002: a school community reports into the integrated system). */
export const ReportSource = Schema.Literals([
  "family",
  "child",
  "school",
  "community",
  "health",
  "police",
  "court",
  "lpa",
  "agency",
  "hotline",
  "other"
]).annotate({ identifier: "ReportSource" })
/** See {@link ReportSource}. */
export type ReportSource = typeof ReportSource.Type

/** A concern named in the report, before any assessment: the risk factors of `Risk`. */
export const Concern = Risk.FactorCode
/** See {@link Concern}. */
export type Concern = typeof Concern.Type

/** The classification as recorded by an assessment: AMPK categories, PPKS categories, cluster and SPPA role. */
export const Classification = Schema.Struct({
  ampk: Schema.Array(Ampk.AmpkCode),
  ppks: Schema.Array(Ppks.PpksCode),
  cluster: Schema.optionalKey(Atensi.ClusterCode),
  sppaRole: Schema.optionalKey(Sppa.AbhRole),
  /** Relations of alleged perpetrators to the child; a guardian with such a relation cannot consent (SOP-06). */
  allegedPerpetrators: Schema.Array(Intake.PerpetratorRelation),
  /** Matters that are not AMPK or PPKS categories but are counted (seed 003: adoption, child marriage). */
  concerns: Schema.optionalKey(Schema.Array(Intake.ConcernCode))
}).annotate({ identifier: "CaseClassification" })
/** See {@link Classification}. */
export type Classification = typeof Classification.Type

/**
 * What `RecordAssessment` takes, from a classification of the intake facts (`Classification.classify`): the codes
 * it found (AMPK, PPKS, the ATENSI cluster, the first SPPA role, the concerns) and the alleged perpetrators'
 * relations, without the reasons and bases that explained them.
 *
 * @example
 * ```ts
 * const result = Classification.classify(facts)
 * if (result._tag === "Classified") {
 *   const command = { _tag: "RecordAssessment", caseId, classification: CaseModel.classificationOf(result), factors }
 * }
 * ```
 */
export const classificationOf = (classified: Intake.Classified): Classification => ({
  ampk: classified.ampk.map((finding) => finding.code),
  ppks: classified.ppks.map((finding) => finding.code),
  ...(classified.cluster === undefined ? {} : { cluster: classified.cluster.code }),
  ...(classified.sppaRole === undefined ? {} : { sppaRole: classified.sppaRole }),
  allegedPerpetrators: classified.allegedPerpetrators,
  ...(classified.concerns.length === 0 ? {} : { concerns: classified.concerns.map((finding) => finding.code) })
})

/**
 * The risk as recorded by an assessment: the factors found, what the risk policy in force made of them (its red flags
 * among them, the points of the others and its threshold: `Risk.measure`), and the level decision. The policy's part
 * keeps the computed level explained after the policy changes.
 */
export const RiskDecision = Schema.Struct({
  factors: Schema.Array(Risk.FactorCode),
  /**
   * The factors the policy in force held as red flags, in catalogue order: any one made the computed level tinggi.
   * For assessments recorded before it was (event schema version 1), the catalogue's red flags among the factors
   * (none when the computed level was not tinggi): red flags were not policy then.
   */
  redFlags: Schema.Array(Risk.FactorCode),
  /** The concern points of the other factors under the policy in force. Absent in assessments recorded before it was. */
  score: Schema.optionalKey(Schema.Finite),
  /** The policy's threshold for sedang then. Absent in assessments recorded before it was. */
  sedangThreshold: Schema.optionalKey(Schema.Finite),
  decision: Risk.LevelDecision
}).annotate({
  identifier: "CaseRiskDecision",
  description: "The factors an assessment found, what the risk policy in force made of them, and the level decision"
})
/** See {@link RiskDecision}. */
export type RiskDecision = typeof RiskDecision.Type

/** Measures of a safety plan for a tinggi-risk child. */
export const SafetyMeasure = Schema.Literals([
  "separate-from-alleged-perpetrator",
  "protective-carer-identified",
  "emergency-placement",
  "police-report",
  "medical-care",
  "psychological-first-aid",
  "school-informed",
  "daily-contact"
]).annotate({ identifier: "SafetyMeasure" })
/** See {@link SafetyMeasure}. */
export type SafetyMeasure = typeof SafetyMeasure.Type

/** A service component of a case plan: an ATENSI component. */
export const ServiceComponent = Atensi.ComponentCode
/** See {@link ServiceComponent}. */
export type ServiceComponent = typeof ServiceComponent.Type

/** An item of a case plan: an ATENSI component, its goal, the agency responsible, and the setting. */
export const PlanItem = Schema.Struct({
  component: ServiceComponent,
  goal: Reason,
  responsible: Agency.AgencyId,
  setting: Atensi.SettingCode
}).annotate({ identifier: "PlanItem" })
/** See {@link PlanItem}. */
export type PlanItem = typeof PlanItem.Type

/** A case plan (penyusunan rencana pemecahan masalah): ATENSI items, the first review date, and the case conference it comes from. */
export const Plan = Schema.Struct({
  id: PlanId,
  items: Schema.NonEmptyArray(PlanItem),
  firstReviewOn: CalendarDate.CalendarDate,
  /** The case conference the plan comes from, if any. */
  conference: Schema.optionalKey(ConferenceId)
}).annotate({ identifier: "CasePlan" })
/** See {@link Plan}. */
export type Plan = typeof Plan.Type

/** Why a case is terminated (SOP-04, SOP-09). */
export const TerminationReason = Schema.Literals([
  "goals-met",
  "adult",
  "moved-away",
  "refused-services",
  "transferred-to-other-system",
  "child-died"
]).annotate({ identifier: "TerminationReason" })
/** See {@link TerminationReason}. */
export type TerminationReason = typeof TerminationReason.Type

/** Why a case is closed early, from the first stages. */
export const EarlyClosureReason = Schema.Literals([
  "not-a-protection-case",
  "duplicate",
  "child-not-found",
  "handed-to-other-system",
  "adult"
]).annotate({ identifier: "EarlyClosureReason" })
/** See {@link EarlyClosureReason}. */
export type EarlyClosureReason = typeof EarlyClosureReason.Type

/** Where a child is placed. */
export const PlacementSetting = Schema.Literals(["safe-house", "rptc", "lpks", "lksa", "panti", "sentra"]).annotate({
  identifier: "PlacementSetting"
})
/** See {@link PlacementSetting}. */
export type PlacementSetting = typeof PlacementSetting.Type

/** What an approval is for. */
export const ApprovalSubject = Schema.Union([
  Schema.TaggedStruct("plan", { plan: PlanId }),
  Schema.TaggedStruct("termination", { reason: TerminationReason }),
  Schema.TaggedStruct("early-closure", { reason: EarlyClosureReason }),
  Schema.TaggedStruct("risk-lowering", { level: Risk.Level }),
  Schema.TaggedStruct("placement", { placement: PlacementId })
]).annotate({ identifier: "ApprovalSubject" })
/** See {@link ApprovalSubject}. */
export type ApprovalSubject = typeof ApprovalSubject.Type

/** A relation to the child (of an alleged perpetrator, or of a person giving consent): `Classification`'s list. */
export const GuardianRelation = Intake.PerpetratorRelation
/** See {@link GuardianRelation}. */
export type GuardianRelation = typeof GuardianRelation.Type

/** Who gives a consent: a relation to the person, or `self` for an adult PPKS case. */
export const ConsentGiver = Schema.Literals([...Intake.perpetratorRelations, "self"]).annotate({
  identifier: "ConsentGiver"
})
/** See {@link ConsentGiver}. */
export type ConsentGiver = typeof ConsentGiver.Type

/**
 * Relations that can give consent for a child: UU 27/2022 Pasal 25 says "orang tua dan/atau wali" — a parent
 * (biological, step or adoptive) or the guardian (wali), a person or an institution appointed as such. A
 * grandparent, an uncle or aunt or another relative consents only as the appointed wali: record them as
 * `legal-guardian`.
 */
export const consentingRelations: ReadonlyArray<GuardianRelation> = [
  "mother",
  "father",
  "step-parent",
  "adoptive-parent",
  "legal-guardian"
]

/** The basis of {@link consentingRelations}. */
export const consentingRelationsBasis = Basis.verified(
  "UU 27/2022",
  "Pasal 25",
  "a child's personal data is processed with the consent of the parents and/or the guardian (orang tua dan/atau wali)"
)

/** The parts of a case that a referral or transfer may share. */
export const SharedData = Schema.Literals([
  "summary",
  "classification",
  "risk",
  "plan",
  "services",
  "sppa",
  "identity"
]).annotate({
  identifier: "SharedData",
  description:
    "summary: age band, region, stage; classification; risk; plan; services; sppa: proceedings; identity: the subject's identity"
})
/** See {@link SharedData}. */
export type SharedData = typeof SharedData.Type

/**
 * The bases that fit a disclosure of many cases at once (an export), besides one child's sharing: a court order, a
 * legal obligation of the controller, a task in the public interest or a statutory authority.
 */
export const basesForMany = [
  Schema.TaggedStruct("court-order", { reference: Reason }),
  Schema.TaggedStruct("legal-obligation", { provision: Reason }),
  Schema.TaggedStruct("public-task", { authority: Reason })
] as const

/**
 * The lawful basis of a disclosure — a referral or a transfer that shares data (SOP-06; UU 27/2022 Pasal 20 ayat
 * (2)): a recorded consent of a parent or the wali (huruf a, with Pasal 25 for a child); a court order or another
 * legal obligation that names its provision (huruf c; e.g. a Dinsos report to the police under UU 35/2014); an
 * emergency that protects the child's vital interests (huruf d); or a public task under a statutory authority
 * (huruf e; e.g. a referral to the UPTD PPA). Every basis but consent records its reason or reference.
 */
export const SharingBasis = Schema.Union([
  Schema.TaggedStruct("consent", { consent: ConsentId }),
  Schema.TaggedStruct("emergency", { reason: Reason }),
  ...basesForMany
]).annotate({ identifier: "SharingBasis" })
/** See {@link SharingBasis}. */
export type SharingBasis = typeof SharingBasis.Type

/** The letter of UU 27/2022 Pasal 20 ayat (2) each kind of sharing basis rests on. */
export const lawfulBasisLetter: { readonly [K in SharingBasis["_tag"]]: "a" | "c" | "d" | "e" } = {
  consent: "a",
  "court-order": "c",
  "legal-obligation": "c",
  emergency: "d",
  "public-task": "e"
}

const lawfulBasisNotes: { readonly [L in "a" | "c" | "d" | "e"]: string } = {
  a: "explicit consent (for a child, of the parents and/or the wali: Pasal 25)",
  c: "the controller's legal obligation under the law",
  d: "the vital interests of the data subject",
  e: "a task in the public interest or the exercise of the controller's authority under the law"
}

/** The citation of the lawful basis a sharing basis rests on (UU 27/2022 Pasal 20 ayat (2)). */
export const lawfulBasis = (basis: SharingBasis): Basis.Basis => {
  const letter = lawfulBasisLetter[basis._tag]
  return Basis.unverified("UU 27/2022", `Pasal 20 ayat (2) huruf ${letter}`, lawfulBasisNotes[letter])
}

/** What a referral asks of its recipient (seed 001: education, civil registry, labour after rehabilitation). */
export const ReferralPurpose = Schema.Literals([
  "education",
  "civil-registration",
  "employment",
  "health",
  "mental-health",
  "legal-aid",
  "police",
  "residential-care",
  "rehabilitation",
  "social-assistance",
  "religious-guidance",
  "other"
]).annotate({ identifier: "ReferralPurpose" })
/** See {@link ReferralPurpose}. */
export type ReferralPurpose = typeof ReferralPurpose.Type

/** A step of SPPA proceedings: the stage, whether diversion was attempted, and its outcome. */
export const SppaProceeding = Schema.Struct({
  stage: Schema.Literals(["investigation", "prosecution", "trial"]),
  threatenedPenaltyYears: Schema.Finite.check(Schema.isGreaterThanOrEqualTo(0)),
  repeatOffence: Schema.Boolean,
  diversionAttempted: Schema.Boolean,
  outcome: Schema.Literals(["agreement", "no-agreement", "not-attempted", "pending"]),
  on: CalendarDate.CalendarDate
}).annotate({ identifier: "SppaProceeding" })
/** See {@link SppaProceeding}. */
export type SppaProceeding = typeof SppaProceeding.Type

const keysOf = <K extends string>(record: Readonly<Record<K, unknown>>) => Object.keys(record) as Array<K>
const positiveInt = Schema.Int.check(Schema.isGreaterThanOrEqualTo(1))

/** A form of a diversion agreement (UU 11/2012 Pasal 11; `Sppa.diversionForms`). */
export const DiversionForm = Schema.Union([
  Schema.TaggedStruct("reconciliation", { compensation: Schema.Boolean }),
  Schema.TaggedStruct("return-to-parents", {}),
  /** Education or training at an educational institution or an LPKS, for at most 3 months (policy). */
  Schema.TaggedStruct("education-or-training", { at: Agency.AgencyId, months: positiveInt }),
  Schema.TaggedStruct("community-service", {}),
  /** Another form the parties agreed (Pasal 11 lists its forms "antara lain"). */
  Schema.TaggedStruct("other", { description: Reason })
]).annotate({ identifier: "DiversionForm" })
/** See {@link DiversionForm}. */
export type DiversionForm = typeof DiversionForm.Type

/**
 * The victim's side of a diversion agreement (Pasal 9 ayat (2)): consent given by the victim or the victim's family,
 * refused, or not required, with the exception that applies. A refused consent leaves no agreement
 * (SPPA-DIVERSION-AGREEMENT), unless an exception applies.
 */
export const VictimConsent = Schema.Union([
  Schema.TaggedStruct("given", { by: Schema.Literals(["victim", "victim-family"]) }),
  Schema.TaggedStruct("refused", {}),
  Schema.TaggedStruct("not-required", { because: Schema.Literals(keysOf(Sppa.consentExceptions)) })
]).annotate({ identifier: "DiversionVictimConsent" })
/** See {@link VictimConsent}. */
export type VictimConsent = typeof VictimConsent.Type

/** A diversion agreement: its forms and the victim's consent. */
export const DiversionAgreement = Schema.Struct({
  forms: Schema.NonEmptyArray(DiversionForm),
  victimConsent: VictimConsent,
  /**
   * Whether the child and the child's family are willing (Pasal 9 ayat (2): "kesediaan Anak dan keluarganya").
   * `ConcludeDiversion` requires it; agreements recorded before it was asked lack it.
   */
  childAndFamilyWilling: Schema.optionalKey(Schema.Boolean)
}).annotate({ identifier: "DiversionAgreement" })
/** See {@link DiversionAgreement}. */
export type DiversionAgreement = typeof DiversionAgreement.Type

/**
 * A level of SPPA examination (penyidikan, penuntutan, pemeriksaan di sidang) as the case follows it: when it
 * started (the day the investigation began, the prosecutor received the file, the judge was appointed), whether
 * diversion is mandatory there, and the diversion's course — started, concluded with or without agreement, the
 * agreement submitted to the court and confirmed by its penetapan. Each step starts the next clock
 * (SPPA-DIVERSION-CLOCKS).
 */
export const SppaLevel = Schema.Struct({
  stage: Sppa.Stage,
  startedOn: CalendarDate.CalendarDate,
  /** The date of the alleged act: the same at every level (the age limits are measured on it). */
  actDate: CalendarDate.CalendarDate,
  threatenedPenaltyYears: Schema.Finite.check(Schema.isGreaterThanOrEqualTo(0)),
  repeatOffence: Schema.Boolean,
  diversionMandatory: Schema.Boolean,
  diversionStartedOn: Schema.optionalKey(CalendarDate.CalendarDate),
  diversionConcludedOn: Schema.optionalKey(CalendarDate.CalendarDate),
  outcome: Schema.optionalKey(Schema.Literals(["agreement", "no-agreement"])),
  agreement: Schema.optionalKey(DiversionAgreement),
  submittedOn: Schema.optionalKey(CalendarDate.CalendarDate),
  confirmedOn: Schema.optionalKey(CalendarDate.CalendarDate),
  /** When the agreement was found not carried out: the proceedings continue (Pasal 13 huruf b). */
  notCarriedOutOn: Schema.optionalKey(CalendarDate.CalendarDate)
}).annotate({ identifier: "SppaLevel" })
/** See {@link SppaLevel}. */
export type SppaLevel = typeof SppaLevel.Type

/** A request for a Litmas (Penelitian Kemasyarakatan) to a Bapas, and when it was received (UU 11/2012 Pasal 28). */
export const LitmasRecord = Schema.Struct({
  bapas: Agency.AgencyId,
  requestedOn: CalendarDate.CalendarDate,
  receivedOn: Schema.optionalKey(CalendarDate.CalendarDate)
}).annotate({ identifier: "SppaLitmas" })
/** See {@link LitmasRecord}. */
export type LitmasRecord = typeof LitmasRecord.Type

/**
 * The child accompanied at a level of examination — at the police, the prosecutor or the court — and the social
 * report (laporan sosial) given there, if any (UU 11/2012 Pasal 23, 27 ayat (3)): court accompaniment as a service.
 */
export const Accompaniment = Schema.Struct({
  at: Agency.AgencyId,
  stage: Sppa.Stage,
  on: CalendarDate.CalendarDate,
  socialReportOn: Schema.optionalKey(CalendarDate.CalendarDate)
}).annotate({ identifier: "SppaAccompaniment" })
/** See {@link Accompaniment}. */
export type Accompaniment = typeof Accompaniment.Type

/**
 * A period of a child's detention at a level of examination: from when, how many days, until which day, and where
 * (an LPAS, or an LPKS where there is none: UU 11/2012 Pasal 33 ayat (4), (5)).
 */
export const DetentionPeriod = Schema.Struct({
  stage: Sppa.Stage,
  from: CalendarDate.CalendarDate,
  days: positiveInt,
  until: CalendarDate.CalendarDate,
  at: Schema.optionalKey(Agency.AgencyId)
}).annotate({ identifier: "SppaDetentionPeriod" })
/** See {@link DetentionPeriod}. */
export type DetentionPeriod = typeof DetentionPeriod.Type

/** The adult maximum penalty of the act: a number of years, or death or life imprisonment. */
export const AdultMaximum = Schema.Union([
  Schema.TaggedStruct("years", { years: positiveInt }),
  Schema.TaggedStruct("death-or-life", {})
]).annotate({ identifier: "SppaAdultMaximum" })
/** See {@link AdultMaximum}. */
export type AdultMaximum = typeof AdultMaximum.Type

/**
 * A child's sentence (UU 11/2012): a tindakan (Pasal 82), or a pidana (Pasal 71) — for imprisonment, its months,
 * the adult maximum of the act (Pasal 81 limits it) and the LPKA where it is served (Pasal 85).
 */
export const Sentence = Schema.Union([
  Schema.TaggedStruct("tindakan", { measure: Schema.Literals(keysOf(Sppa.measures)) }),
  Schema.TaggedStruct("pidana", {
    penalty: Schema.Literals(keysOf(Sppa.penalties)),
    months: Schema.optionalKey(positiveInt),
    adultMaximum: Schema.optionalKey(AdultMaximum),
    at: Schema.optionalKey(Agency.AgencyId)
  })
]).annotate({ identifier: "SppaSentence" })
/** See {@link Sentence}. */
export type Sentence = typeof Sentence.Type

/** The role a participant takes in a case conference (its discipline). */
export const ConferenceRole = Schema.Literals([
  "case-manager",
  "social-worker",
  "supervisor",
  "psychologist",
  "health-worker",
  "teacher",
  "police",
  "prosecutor",
  "legal-aid",
  "community-leader",
  "other"
]).annotate({ identifier: "ConferenceRole" })
/** See {@link ConferenceRole}. */
export type ConferenceRole = typeof ConferenceRole.Type

/** A participant of a case conference: an agency and the role it took — never a person's name. */
export const ConferenceParticipant = Schema.Struct({ agency: Agency.AgencyId, role: ConferenceRole }).annotate({
  identifier: "ConferenceParticipant"
})
/** See {@link ConferenceParticipant}. */
export type ConferenceParticipant = typeof ConferenceParticipant.Type

/** What a case conference asked someone to do: the action, the agency that owns it, and by when. */
export const ConferenceFollowUp = Schema.Struct({
  action: Reason,
  owner: Agency.AgencyId,
  dueOn: CalendarDate.CalendarDate,
  /** When it was done (`CompleteConferenceFollowUp`); never given when the conference is recorded. */
  doneOn: Schema.optionalKey(CalendarDate.CalendarDate)
}).annotate({ identifier: "ConferenceFollowUp" })
/** See {@link ConferenceFollowUp}. */
export type ConferenceFollowUp = typeof ConferenceFollowUp.Type

/**
 * A case conference (konferensi kasus, the multidisciplinary meeting of PKSAI practice): when it was held, who took
 * part (agency and role), whether the child was heard and the family present, what was decided, and the follow-ups
 * with their owners and dates. Plans and referrals may cite it.
 */
export const Conference = Schema.Struct({
  id: ConferenceId,
  heldOn: CalendarDate.CalendarDate,
  participants: Schema.NonEmptyArray(ConferenceParticipant),
  childHeard: Schema.Boolean,
  familyPresent: Schema.Boolean,
  decision: Reason,
  followUps: Schema.Array(ConferenceFollowUp)
}).annotate({ identifier: "CaseConference" })
/** See {@link Conference}. */
export type Conference = typeof Conference.Type

/** A UU 11/2012 Pasal 21 decision for a child under 12. */
export const Pasal21Decision = Schema.Union([
  Schema.TaggedStruct("return-to-parents", {}),
  Schema.TaggedStruct("guidance", {
    at: Agency.AgencyId,
    months: Schema.Int.check(Schema.isGreaterThanOrEqualTo(1))
  })
]).annotate({ identifier: "Pasal21Decision" })
/** See {@link Pasal21Decision}. */
export type Pasal21Decision = typeof Pasal21Decision.Type

/** Reintegration: who receives the child, the assessment of the receiver, and the child's own view (SOP-05). */
export const Reintegration = Schema.Struct({
  /** Who receives the child: the family, a relative, a foster family, an adoptive family (adoption is not foster care), or an institution. */
  receiver: Schema.Literals(["family", "relative", "foster-family", "adoptive-family", "institution"]),
  receiverAssessedOn: CalendarDate.CalendarDate,
  receiverSuitable: Schema.Boolean,
  childViewRecordedOn: CalendarDate.CalendarDate,
  childAgrees: Schema.Boolean
}).annotate({ identifier: "Reintegration" })
/** See {@link Reintegration}. */
export type Reintegration = typeof Reintegration.Type

/**
 * The kinds of deadline a case has (SOP-11): those of the deadline policy, aftercare follow-up visits, and the
 * follow-ups a case conference set, due on the day it set.
 */
export const DeadlineKind = Schema.Literals([...Deadline.kindCodes, "follow-up", "conference-follow-up"]).annotate({
  identifier: "CaseDeadlineKind"
})
/** See {@link DeadlineKind}. */
export type DeadlineKind = typeof DeadlineKind.Type

/**
 * A request of the person a case is about (or, for a child, of a parent or the wali) under UU 27/2022: to access
 * the data (Pasal 7) or to correct it (Pasal 6); when it was received, and how and when it was answered.
 */
export const DataSubjectRequest = Schema.Struct({
  id: DataSubjectRequestId,
  kind: Schema.Literals(["access", "correction"]),
  by: ConsentGiver,
  receivedOn: CalendarDate.CalendarDate,
  answeredOn: Schema.optionalKey(CalendarDate.CalendarDate),
  outcome: Schema.optionalKey(Schema.Literals(["granted", "refused"])),
  reason: Schema.optionalKey(Reason)
}).annotate({ identifier: "DataSubjectRequest" })
/** See {@link DataSubjectRequest}. */
export type DataSubjectRequest = typeof DataSubjectRequest.Type

/** The basis for the consent rule's list of relations. */
export const consentBasis: Basis.Basis = Basis.verified("UU 27/2022", "Pasal 25")
