/**
 * Classification: from structured intake {@link Facts} to AMPK categories, PPKS categories, the ATENSI cluster and
 * the SPPA role, each with a reason and its basis — or, when the facts are not enough, a {@link NeedsAssessment}
 * that lists what is missing. It never guesses: no age, no classification.
 *
 * Facts are coded and carry no identity (no names, no addresses, no free text): {@link classifyUnknown} rejects
 * any key it does not know, so a name pasted into an intake form cannot travel on. Classification is pure,
 * deterministic and total: every decoded {@link Facts} gives a `Classified` or a `NeedsAssessment`, and the order
 * of the facts does not matter.
 *
 * Who gets what (the mapping table is {@link factRules}, every row a policy default with its basis):
 * - a child (under 18 at the report) gets AMPK categories (UU 35/2014 Pasal 59 ayat (2)) and child PPKS categories
 *   1–7 only; the AMPK letters carry the detail, so a trafficked child is AMPK h and PPKS 7, not PPKS 18;
 * - an adult gets PPKS categories 8–26 and never an AMPK category;
 * - an SPPA role (UU 11/2012) follows from the involvement in a legal case and the age at the act, also for an
 *   adult whose act was before 18 (Pasal 20).
 *
 * @example
 * ```ts
 * import { Classification } from "@lindung/core"
 *
 * Classification.classify({
 *   age: { _tag: "years", years: 8 },
 *   incidents: ["sexual-violence"],
 *   allegedPerpetrators: ["other-relative"]
 * })
 * // { _tag: "Classified", ampk: [{ code: "j", … }], ppks: [{ code: 6, … }], cluster: { code: "children", … },
 * //   familyPerpetrator: true, … }
 * Classification.classify({ age: { _tag: "unknown" }, incidents: ["neglect"] })
 * // { _tag: "NeedsAssessment", missing: [{ field: "age", … }] }
 * ```
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import * as Ampk from "./Ampk.js"
import * as Atensi from "./Atensi.js"
import * as Basis from "./Basis.js"
import * as CalendarDate from "./CalendarDate.js"
import * as Input from "./Input.js"
import * as Ppks from "./Ppks.js"
import * as Sppa from "./Sppa.js"

// ---------------------------------------------------------------------------------------------------------------
// Facts

/** What happened to the person, as codes. */
export const incidentKinds = [
  "sexual-violence",
  "physical-violence",
  "psychological-violence",
  "maltreatment",
  "neglect",
  "abandonment",
  "exploitation-economic",
  "exploitation-sexual",
  "trafficking",
  "abduction",
  "pornography",
  "substance-abuse",
  "terrorism-network",
  "child-marriage",
  "adoption",
  "street-child",
  "stigmatisation",
  "deviant-behaviour",
  "refugee",
  "riot",
  "natural-disaster",
  "armed-conflict",
  "social-disaster",
  "non-natural-disaster",
  "mother-imprisoned"
] as const

/**
 * A coded incident kind. The emergency kinds (refugee … mother-imprisoned) are the sub-cases of PP 78/2021
 * Pasal 5; `mother-imprisoned` is a child of a woman prisoner or detainee.
 */
export const IncidentKind = Schema.Literals(incidentKinds).annotate({
  identifier: "IncidentKind",
  description: "What happened, as a code (sexual-violence, neglect, trafficking, natural-disaster, …)"
})

/** See {@link IncidentKind}. */
export type IncidentKind = typeof IncidentKind.Type

/** Circumstances of the person (not events), as codes. */
export const conditionKinds = [
  "minority-isolated",
  "remote-indigenous-community",
  "migrant-worker-troubled",
  "homeless",
  "begging",
  "scavenging",
  "sex-work",
  "former-prisoner",
  "poor",
  "vulnerable-woman",
  "family-psychosocial-problems"
] as const

/** A coded circumstance: minority or isolated group, troubled migrant worker, homelessness, poverty, … */
export const ConditionKind = Schema.Literals(conditionKinds).annotate({
  identifier: "ConditionKind",
  description: "A circumstance of the person, as a code (homeless, migrant-worker-troubled, poor, …)"
})

/** See {@link ConditionKind}. */
export type ConditionKind = typeof ConditionKind.Type

/** Kinds of disability of UU 8/2016 Pasal 4 ayat (1); `mental` includes psychosocial disability (ODGJ). */
export const disabilityKinds = ["physical", "intellectual", "mental", "sensory"] as const

/** A kind of disability. */
export const DisabilityKind = Schema.Literals(disabilityKinds).annotate({
  identifier: "DisabilityKind",
  description: "physical, intellectual, mental (incl. psychosocial) or sensory (UU 8/2016 Pasal 4 ayat (1))"
})

/** See {@link DisabilityKind}. */
export type DisabilityKind = typeof DisabilityKind.Type

/** The relation of an alleged perpetrator to the person. */
export const perpetratorRelations = [
  "mother",
  "father",
  "step-parent",
  "adoptive-parent",
  "grandparent",
  "sibling",
  "uncle-aunt",
  "other-relative",
  "legal-guardian",
  "caregiver",
  "teacher",
  "peer",
  "partner",
  "employer",
  "stranger",
  "other",
  "unknown"
] as const

/** A relation of an alleged perpetrator (a role, never a name). */
export const PerpetratorRelation = Schema.Literals(perpetratorRelations).annotate({
  identifier: "PerpetratorRelation",
  description: "The relation of an alleged perpetrator to the person (mother, other-relative, teacher, stranger, …)"
})

/** See {@link PerpetratorRelation}. */
export type PerpetratorRelation = typeof PerpetratorRelation.Type

/** Relations that make an alleged perpetrator a family member. */
export const familyRelations: ReadonlyArray<PerpetratorRelation> = [
  "mother",
  "father",
  "step-parent",
  "adoptive-parent",
  "grandparent",
  "sibling",
  "uncle-aunt",
  "other-relative"
]

/** How the person is involved in a legal case. */
export const Involvement = Schema.Literals(["offender", "victim", "witness"]).annotate({
  identifier: "LegalInvolvement",
  description: "offender (alleged), victim or witness"
})

/** See {@link Involvement}. */
export type Involvement = typeof Involvement.Type

const involvementOrder: ReadonlyArray<Involvement> = ["offender", "victim", "witness"]

const Years = Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 150 }))

/** The age in whole years at the report. */
export const AgeInYears = Schema.TaggedStruct("years", { years: Years }).annotate({ identifier: "AgeInYears" })

/** The age from a birth date, counted exactly on the report date. */
export const AgeFromBirthDate = Schema.TaggedStruct("birth-date", {
  birthDate: CalendarDate.CalendarDate,
  reportDate: CalendarDate.CalendarDate
})
  .check(
    Schema.makeFilter(
      (a: { readonly birthDate: string; readonly reportDate: string }) =>
        a.reportDate >= a.birthDate || `the report date ${a.reportDate} is before the birth date`
    )
  )
  .annotate({ identifier: "AgeFromBirthDate" })

/** The age is not known. */
export const AgeUnknown = Schema.TaggedStruct("unknown", {}).annotate({ identifier: "AgeUnknown" })

/** The person's age: in years, from a birth date and the report date, or unknown. */
export const Age = Schema.Union([AgeInYears, AgeFromBirthDate, AgeUnknown]).annotate({ identifier: "IntakeAge" })

/** See {@link Age}. */
export type Age = typeof Age.Type

/** Involvement in a legal case, and the age at the act when known. */
export const LegalCase = Schema.Struct({
  involvement: Schema.NonEmptyArray(Involvement),
  /** The age in whole years at the act (see `Sppa.ageAtAct`); decides Pasal 21 vs the SPPA path. */
  ageAtAct: Schema.optionalKey(Years)
}).annotate({ identifier: "IntakeLegalCase" })

/** See {@link LegalCase}. */
export type LegalCase = typeof LegalCase.Type

/** Structured intake facts. Codes only: no identity, no free text. Absent lists mean "none recorded". */
export const Facts = Schema.Struct({
  age: Age,
  incidents: Schema.optionalKey(Schema.Array(IncidentKind)),
  conditions: Schema.optionalKey(Schema.Array(ConditionKind)),
  disabilities: Schema.optionalKey(Schema.Array(DisabilityKind)),
  livingWithHiv: Schema.optionalKey(Schema.Boolean),
  legalCase: Schema.optionalKey(LegalCase),
  allegedPerpetrators: Schema.optionalKey(Schema.Array(PerpetratorRelation))
}).annotate({
  identifier: "IntakeFacts",
  description: "Structured intake facts for classification: codes only, never a name or other identity"
})

/** See {@link Facts}. */
export type Facts = typeof Facts.Type

// ---------------------------------------------------------------------------------------------------------------
// Result

const Reason = Schema.NonEmptyString
const Bases = Schema.NonEmptyArray(Basis.Basis)

/** An AMPK category found, with why. */
export const AmpkFinding = Schema.Struct({ code: Ampk.AmpkCode, reason: Reason, basis: Bases })
/** See {@link AmpkFinding}. */
export type AmpkFinding = typeof AmpkFinding.Type

/** An AMPK sub-category found, with why. */
export const SubCategoryFinding = Schema.Struct({ code: Ampk.SubCategoryCode, reason: Reason, basis: Bases })
/** See {@link SubCategoryFinding}. */
export type SubCategoryFinding = typeof SubCategoryFinding.Type

/** A PPKS category found, with why. */
export const PpksFinding = Schema.Struct({ code: Ppks.PpksCode, reason: Reason, basis: Bases })
/** See {@link PpksFinding}. */
export type PpksFinding = typeof PpksFinding.Type

/** The ATENSI cluster, with why. */
export const ClusterFinding = Schema.Struct({ code: Atensi.ClusterCode, reason: Reason, basis: Bases })
/** See {@link ClusterFinding}. */
export type ClusterFinding = typeof ClusterFinding.Type

/** An SPPA role, with why. */
export const RoleFinding = Schema.Struct({ role: Sppa.AbhRole, reason: Reason, basis: Bases })
/** See {@link RoleFinding}. */
export type RoleFinding = typeof RoleFinding.Type

/** Case kinds that are not a category but must be carried and counted (seed 003: adoption, child marriage). */
export const ConcernCode = Schema.Literals(["adoption", "child-marriage"]).annotate({
  identifier: "ClassificationConcern",
  description: "adoption: a child in an adoption procedure; child-marriage: a child marriage case"
})
/** See {@link ConcernCode}. */
export type ConcernCode = typeof ConcernCode.Type

/** A concern found, with why. */
export const ConcernFinding = Schema.Struct({ code: ConcernCode, reason: Reason, basis: Bases })
/** See {@link ConcernFinding}. */
export type ConcernFinding = typeof ConcernFinding.Type

/** The facts were enough: the categories, cluster and roles, each with a reason and basis. */
export const Classified = Schema.TaggedStruct("Classified", {
  /** Age in whole years at the report. */
  ageYears: Years,
  /** Under 18 at the report. */
  child: Schema.Boolean,
  /** AMPK categories, in the order a–o. Always empty for an adult. */
  ampk: Schema.Array(AmpkFinding),
  /** AMPK sub-categories (e.g. a.3 natural disaster). */
  ampkSubCategories: Schema.Array(SubCategoryFinding),
  /** PPKS categories, ascending: 1–7 for a child, 8–26 for an adult. */
  ppks: Schema.Array(PpksFinding),
  /** The ATENSI cluster; absent when every category is served outside the five clusters. */
  cluster: Schema.optionalKey(ClusterFinding),
  /** Clusters of other categories of an adult, not chosen by the priority. */
  otherClusters: Schema.Array(Atensi.ClusterCode),
  /** Every SPPA role, in the order berkonflik, korban, saksi. */
  sppaRoles: Schema.Array(RoleFinding),
  /** The first of {@link sppaRoles}, for records that keep one role. */
  sppaRole: Schema.optionalKey(Sppa.AbhRole),
  /** For an alleged offender whose age at the act is known: Pasal 21, the SPPA path or not a child. */
  sppaPath: Schema.optionalKey(Sppa.Path),
  /** Case kinds carried without a category (adoption, child marriage). */
  concerns: Schema.Array(ConcernFinding),
  /** The UU 35/2014 Pasal 59A measures owed (only with an AMPK category). */
  measures: Schema.Array(Ampk.MeasureCode),
  /** An alleged perpetrator is a family member. */
  familyPerpetrator: Schema.Boolean,
  /** The relations of alleged perpetrators, without duplicates, in the order of {@link perpetratorRelations}. */
  allegedPerpetrators: Schema.Array(PerpetratorRelation),
  /** Remarks for the caseworker: facts that map to no category for this age, mapping choices. */
  notes: Schema.Array(Schema.String)
}).annotate({ identifier: "Classified", description: "A classification with reasons and basis" })

/** See {@link Classified}. */
export type Classified = typeof Classified.Type

/** A fact that is missing or inconsistent, and why it is needed. */
export const Missing = Schema.Struct({ field: Schema.NonEmptyString, reason: Reason }).annotate({
  identifier: "ClassificationMissing"
})
/** See {@link Missing}. */
export type Missing = typeof Missing.Type

/** The facts are not enough to classify without guessing: what is missing. */
export const NeedsAssessment = Schema.TaggedStruct("NeedsAssessment", {
  missing: Schema.NonEmptyArray(Missing)
}).annotate({ identifier: "NeedsAssessment", description: "The facts are not enough to classify; what is missing" })

/** See {@link NeedsAssessment}. */
export type NeedsAssessment = typeof NeedsAssessment.Type

/** The result of {@link classify}. */
export const Outcome = Schema.Union([Classified, NeedsAssessment]).annotate({ identifier: "ClassificationOutcome" })

/** See {@link Outcome}. */
export type Outcome = typeof Outcome.Type

// ---------------------------------------------------------------------------------------------------------------
// Policy

/** The numbers and choices of classification, as a typed, overridable policy. */
export interface ClassificationPolicy {
  /** From this age (at the report) a person is an adult: no AMPK, adult PPKS. Default 18. */
  readonly adultAge: number
  /**
   * The highest age of a balita: a neglected child of this age or younger is Anak Balita Telantar (PPKS 1), an
   * older one Anak Telantar (PPKS 2). Default 5 (Permensos 8/2012: "5 tahun ke bawah").
   */
  readonly highestBalitaAge: number
  /** From this age an abandoned adult is Lanjut Usia Telantar (PPKS 8). Default 60. */
  readonly olderPersonAge: number
  /** For an adult whose categories fall in several ATENSI clusters, the first present in this list is chosen. */
  readonly adultClusterPriority: ReadonlyArray<Atensi.ClusterCode>
  /** How ages are counted (29 February births). */
  readonly agePolicy: CalendarDate.AgePolicy
  /** The SPPA numbers (minimum age 12, child age limit 18) for roles and the Pasal 21 path. */
  readonly sppa: Sppa.SppaPolicy
}

/** The default classification policy. */
export const defaultClassificationPolicy: ClassificationPolicy = {
  adultAge: 18,
  highestBalitaAge: 5,
  olderPersonAge: 60,
  adultClusterPriority: ["napza", "disability", "older-persons", "tuna-sosial-trafficking", "children"],
  agePolicy: CalendarDate.defaultAgePolicy,
  sppa: Sppa.defaultSppaPolicy
}

/** The basis of each default of {@link defaultClassificationPolicy}. */
export const policyBasis: { readonly [K in keyof ClassificationPolicy]: Basis.Basis } = {
  adultAge: Basis.childUnder18,
  highestBalitaAge: Basis.unverified(
    "Permensos 8/2012",
    "kriteria PPKS 1 (Anak Balita Telantar)",
    "Anak Balita Telantar: a neglected child aged 5 or younger (5 tahun ke bawah); Anak Telantar from 6"
  ),
  olderPersonAge: Basis.unverified("UU 13/1998", "Pasal 1 angka 2", "lanjut usia: 60 years or older"),
  adultClusterPriority: Basis.policyDefault(
    "Lindung classification policy",
    undefined,
    "the most specialised programme first: NAPZA, disability, older persons, then tuna sosial and trafficking"
  ),
  agePolicy: CalendarDate.agePolicyBasis,
  sppa: Basis.verified("UU 11/2012", "Pasal 1 angka 3", "see Sppa.policyBasis")
}

// ---------------------------------------------------------------------------------------------------------------
// The mapping table

/** What a child gets from a fact: an AMPK category (and sub-category), a child PPKS category, a concern. */
export interface ChildOutcome {
  readonly ampk?: Ampk.AmpkCode
  readonly sub?: Ampk.SubCategoryCode
  /** A child category, or `telantar-by-age`: 1 Anak Balita Telantar up to age 5, else 2 Anak Telantar. */
  readonly ppks?: Ppks.PpksCode | "telantar-by-age"
  readonly concern?: ConcernCode
  /** Said to the caseworker when the fact gives a child nothing. */
  readonly note?: string
}

/** What an adult gets from a fact: an adult PPKS category, or a note that none fits. */
export interface AdultOutcome {
  /** An adult category, or `abandoned-adult`: 8 from 60, else 9 with a disability, else 11 (orang telantar). */
  readonly ppks?: Ppks.PpksCode | "abandoned-adult"
  readonly note?: string
}

/** A row of the mapping table: a fact, what it gives a child and an adult, why, and the basis of the mapping. */
export interface FactRule {
  /** `incident:<kind>`, `condition:<kind>`, `disability`, `hiv` or `legal-case`. */
  readonly fact: string
  readonly child: ChildOutcome
  readonly adult: AdultOutcome
  readonly reason: string
  readonly basis: Basis.Basis
}

const mapping = (note: string): Basis.Basis => Basis.policyDefault("Lindung classification mapping", undefined, note)

const row = (fact: string, child: ChildOutcome, adult: AdultOutcome, reason: string, note?: string): FactRule => ({
  fact,
  child,
  adult,
  reason,
  basis: mapping(note ?? reason)
})

const sub = (code: string): Ampk.SubCategoryCode => code as Ampk.SubCategoryCode

const noAdult = (what: string): AdultOutcome => ({ note: `${what} has no adult PPKS category: assess further` })

/**
 * The mapping table from facts to categories (policy defaults; the categories themselves are verified). A child
 * gets child categories 1–7 only; the AMPK letter carries the detail.
 */
export const factRules: ReadonlyArray<FactRule> = [
  row(
    "incident:sexual-violence",
    { ampk: "j", ppks: 6 },
    { ppks: 19 },
    "sexual violence is a sexual crime (j) and violence (PPKS 6 / 19)"
  ),
  row("incident:physical-violence", { ampk: "i", ppks: 6 }, { ppks: 19 }, "physical violence (i; PPKS 6 / 19)"),
  row(
    "incident:psychological-violence",
    { ampk: "i", ppks: 6 },
    { ppks: 19 },
    "psychological violence (i; PPKS 6 / 19)"
  ),
  row("incident:maltreatment", { ampk: "m", ppks: 6 }, { ppks: 19 }, "maltreatment, perlakuan salah (m; PPKS 6 / 19)"),
  row(
    "incident:neglect",
    { ampk: "m", ppks: "telantar-by-age" },
    { ppks: "abandoned-adult" },
    "neglect, penelantaran (m; PPKS 1 or 2 for a child; 8, 9 or 11 for an adult)"
  ),
  row(
    "incident:abandonment",
    { ampk: "m", ppks: "telantar-by-age" },
    { ppks: "abandoned-adult" },
    "abandonment, penelantaran (m; PPKS 1 or 2 for a child; 8, 9 or 11 for an adult: orang telantar)"
  ),
  row("incident:exploitation-economic", { ampk: "d", ppks: 7 }, { ppks: 19 }, "economic exploitation (d; PPKS 7 / 19)"),
  row("incident:exploitation-sexual", { ampk: "d", ppks: 7 }, { ppks: 19 }, "sexual exploitation (d; PPKS 7 / 19)"),
  row("incident:trafficking", { ampk: "h", ppks: 7 }, { ppks: 18 }, "trafficking, perdagangan orang (h; PPKS 7 / 18)"),
  row("incident:abduction", { ampk: "h", ppks: 7 }, { ppks: 19 }, "abduction, penculikan (h; PPKS 7 / 19)"),
  row("incident:pornography", { ampk: "f", ppks: 7 }, noAdult("pornography"), "victim of pornography (f; PPKS 7)"),
  row("incident:substance-abuse", { ampk: "e", ppks: 7 }, { ppks: 17 }, "substance abuse, NAPZA (e; PPKS 7 / 17)"),
  row(
    "incident:terrorism-network",
    { ampk: "k", ppks: 7 },
    noAdult("a terrorist network"),
    "victim of a terrorist network (k; PPKS 7)"
  ),
  row(
    "incident:child-marriage",
    { concern: "child-marriage" },
    noAdult("child marriage"),
    "a child marriage case is carried as a concern: it is no AMPK category by itself; record the violence or exploitation it involves as incidents",
    "child marriage: UU 16/2019 sets the minimum marriage age at 19 [unverified]; no AMPK letter names it"
  ),
  row(
    "incident:adoption",
    { concern: "adoption" },
    noAdult("adoption"),
    "an adoption case (calon anak angkat) is carried as a concern: it is no AMPK or PPKS category by itself",
    "adoption: PP 54/2007 [unverified]; the child is an AMPK only with other facts"
  ),
  row(
    "incident:street-child",
    { ppks: 4 },
    { note: "street-child describes a child: record an adult as condition homeless" },
    "a street child is PPKS 4 Anak Jalanan; no AMPK letter by itself (record exploitation as an incident)"
  ),
  row("incident:stigmatisation", { ampk: "o", ppks: 7 }, noAdult("stigmatisation"), "stigmatisation (o; PPKS 7)"),
  row(
    "incident:deviant-behaviour",
    { ampk: "n", ppks: 7 },
    noAdult("deviant behaviour"),
    "deviant social behaviour (n; PPKS 7)"
  ),
  row("incident:refugee", { ampk: "a", sub: sub("a.1"), ppks: 7 }, noAdult("refugee status"), "refugee (a.1; PPKS 7)"),
  row("incident:riot", { ampk: "a", sub: sub("a.2"), ppks: 7 }, { ppks: 22 }, "riot, kerusuhan (a.2; PPKS 7 / 22)"),
  row(
    "incident:natural-disaster",
    { ampk: "a", sub: sub("a.3"), ppks: 7 },
    { ppks: 21 },
    "natural disaster (a.3; PPKS 7 / 21)"
  ),
  row(
    "incident:armed-conflict",
    { ampk: "a", sub: sub("a.4"), ppks: 7 },
    { ppks: 22 },
    "armed conflict (a.4; PPKS 7 / 22 social disaster)"
  ),
  row(
    "incident:social-disaster",
    { ampk: "a", sub: sub("a.5"), ppks: 7 },
    { ppks: 22 },
    "social disaster (a.5; PPKS 7 / 22)"
  ),
  row(
    "incident:non-natural-disaster",
    { ampk: "a", sub: sub("a.6"), ppks: 7 },
    { note: "Permensos 8/2012 has no category for non-natural disasters: assess further" },
    "non-natural disaster, e.g. an epidemic (a.6; PPKS 7)"
  ),
  row(
    "incident:mother-imprisoned",
    { ampk: "a", sub: sub("a.7"), ppks: 7 },
    { note: "a child of a woman prisoner is a child category only" },
    "child of a woman prisoner or detainee (a.7; PPKS 7)"
  ),
  row(
    "condition:minority-isolated",
    { ampk: "c", ppks: 7 },
    { ppks: 14 },
    "minority or isolated group (c; PPKS 7 / 14)"
  ),
  row(
    "condition:remote-indigenous-community",
    { ampk: "c", ppks: 7 },
    { ppks: 26 },
    "remote indigenous community, an isolated group (c; PPKS 7 / 26)"
  ),
  row(
    "condition:migrant-worker-troubled",
    { ampk: "d", ppks: 7 },
    { ppks: 20 },
    "troubled migrant worker (PPKS 20); a child working as a migrant worker is economically exploited (d; PPKS 7)",
    "a child cannot be a migrant worker: UU 18/2017 sets the minimum age at 18 [unverified]"
  ),
  row(
    "condition:homeless",
    { ampk: "m", ppks: "telantar-by-age" },
    { ppks: 11 },
    "no fixed home: a child is telantar (m; PPKS 1 or 2), an adult Gelandangan (11)"
  ),
  row("condition:begging", { ppks: 4 }, { ppks: 12 }, "begging: a child is Anak Jalanan (4), an adult Pengemis (12)"),
  row(
    "condition:scavenging",
    { ppks: 4 },
    { ppks: 13 },
    "scavenging: a child is Anak Jalanan (4), an adult Pemulung (13)"
  ),
  row(
    "condition:sex-work",
    { ampk: "d", ppks: 7 },
    { ppks: 10 },
    "prostitution: a child is sexually exploited (d; PPKS 7), an adult is Tuna Susila (10)"
  ),
  row(
    "condition:former-prisoner",
    { note: "former prisoner: PPKS 15 is an adult category; a child's case follows the other facts" },
    { ppks: 15 },
    "former inmate (PPKS 15)"
  ),
  row(
    "condition:poor",
    {
      note: "poor family: no child category by itself; with an AMPK category, social assistance is owed (Pasal 59A c)"
    },
    { ppks: 24 },
    "poverty (PPKS 24 Fakir Miskin); for a child it adds Pasal 59A measure c"
  ),
  row(
    "condition:vulnerable-woman",
    { note: "Perempuan Rawan Sosial Ekonomi (23) is an adult category" },
    { ppks: 23 },
    "socially and economically vulnerable woman (PPKS 23)"
  ),
  row(
    "condition:family-psychosocial-problems",
    { note: "Keluarga Bermasalah Sosial Psikologis (25) is a category of the family, not of the child" },
    { ppks: 25 },
    "family with social and psychological problems (PPKS 25)"
  ),
  row(
    "disability",
    { ampk: "l", ppks: 5 },
    { ppks: 9 },
    "disability, including a mental disorder (ODGJ) (l; PPKS 5 / 9)",
    "UU 8/2016 Pasal 4 ayat (1): physical, intellectual, mental, sensory disability [unverified]"
  ),
  row("hiv", { ampk: "g", ppks: 7 }, { ppks: 16 }, "living with HIV/AIDS (g; PPKS 7 / 16)"),
  row(
    "legal-case",
    { ampk: "b", ppks: 3 },
    { note: "an adult gets no ABH category; an SPPA role follows from the age at the act" },
    "involved in a legal case as alleged offender, victim or witness (b; PPKS 3)"
  )
]

const ruleOf = (fact: string): FactRule => factRules.find((r) => r.fact === fact) as FactRule

// ---------------------------------------------------------------------------------------------------------------
// Rules

/** The basis of each classification rule. */
export const ruleBasis = {
  "CLASS-CHILD-AGE": [policyBasis.adultAge],
  "CLASS-ADULT-NO-AMPK": [
    Basis.verified("UU 35/2014", "Pasal 59 ayat (2)", "AMPK are children (Anak)"),
    Basis.verified("Permensos 8/2012", undefined, "categories 1–7 are children's categories")
  ],
  "CLASS-CHILD-PPKS": [
    Basis.policyDefault(
      "Lindung classification policy",
      undefined,
      "a child is counted in the child categories 1–7 only; the AMPK letter carries the detail"
    )
  ],
  "CLASS-FACT-MAPPING": [
    Basis.policyDefault("Lindung classification mapping", undefined, "the table factRules, each row with its reason")
  ],
  "CLASS-NO-GUESS": [
    Basis.policyDefault(
      "Lindung classification policy",
      undefined,
      "missing facts give NeedsAssessment, never a guessed category"
    )
  ],
  "CLASS-SPPA-ROLE": Sppa.ruleBasis["SPPA-ROLES"],
  "CLASS-CLUSTER": [
    Basis.verified("Permensos 7/2021", undefined, "the five ATENSI clusters"),
    Basis.policyDefault("Lindung ATENSI cluster mapping", undefined, "children: anak; adults: by PPKS and priority")
  ],
  "CLASS-FAMILY-PERPETRATOR": [
    Basis.verified("UU 27/2022", "Pasal 25", "children's data needs the consent of a parent or guardian"),
    Basis.policyDefault(
      "Lindung SOP",
      "SOP-06",
      "a guardian who is the alleged perpetrator cannot consent, so the relation is flagged"
    )
  ]
} as const satisfies Record<string, readonly [Basis.Basis, ...Array<Basis.Basis>]>

/** The rules of this module, with stable ids. */
export const rules: ReadonlyArray<Basis.Rule> = [
  Basis.rule(
    "CLASS-CHILD-AGE",
    Basis.label("Anak: belum berusia 18 tahun pada saat laporan", "A child: under 18 at the report"),
    ruleBasis["CLASS-CHILD-AGE"]
  ),
  Basis.rule(
    "CLASS-ADULT-NO-AMPK",
    Basis.label("Orang dewasa tidak masuk AMPK", "Adults get no AMPK category"),
    ruleBasis["CLASS-ADULT-NO-AMPK"]
  ),
  Basis.rule(
    "CLASS-CHILD-PPKS",
    Basis.label("Anak hanya masuk PPKS kategori anak (1–7)", "A child gets child PPKS categories (1–7) only"),
    ruleBasis["CLASS-CHILD-PPKS"]
  ),
  Basis.rule(
    "CLASS-FACT-MAPPING",
    Basis.label("Pemetaan fakta ke kategori", "Mapping facts to categories"),
    ruleBasis["CLASS-FACT-MAPPING"]
  ),
  Basis.rule(
    "CLASS-NO-GUESS",
    Basis.label("Fakta kurang: perlu asesmen, bukan tebakan", "Missing facts: assess, never guess"),
    ruleBasis["CLASS-NO-GUESS"]
  ),
  Basis.rule(
    "CLASS-SPPA-ROLE",
    Basis.label(
      "Peran SPPA dari keterlibatan dan umur saat perbuatan",
      "SPPA role from involvement and age at the act"
    ),
    ruleBasis["CLASS-SPPA-ROLE"]
  ),
  Basis.rule("CLASS-CLUSTER", Basis.label("Kluster ATENSI", "The ATENSI cluster"), ruleBasis["CLASS-CLUSTER"]),
  Basis.rule(
    "CLASS-FAMILY-PERPETRATOR",
    Basis.label("Terduga pelaku anggota keluarga", "An alleged perpetrator in the family"),
    ruleBasis["CLASS-FAMILY-PERPETRATOR"]
  )
]

/** The rules of this module by id. */
export const rule: { readonly [K in keyof typeof ruleBasis]: Basis.Rule } = Object.fromEntries(
  rules.map((r) => [r.id, r])
) as { readonly [K in keyof typeof ruleBasis]: Basis.Rule }

/** The PPKS categories that count a child (1–7, CLASS-CHILD-PPKS). */
export const isChildPpks = (code: Ppks.PpksCode): boolean => code <= 7

// ---------------------------------------------------------------------------------------------------------------
// Classification

type NonEmpty<A> = readonly [A, ...Array<A>]

const nonEmpty = <A>(first: A, rest: ReadonlyArray<A>): NonEmpty<A> => [first, ...rest]

/** Accumulates findings per code: reasons joined in fact order, bases without duplicates. */
class Findings<Code extends string | number> {
  private readonly entries = new Map<Code, { reasons: Array<string>; basis: Array<Basis.Basis> }>()

  add(code: Code, reason: string, basis: ReadonlyArray<Basis.Basis>): void {
    const entry = this.entries.get(code) ?? { reasons: [], basis: [] }
    if (!entry.reasons.includes(reason)) entry.reasons.push(reason)
    for (const b of basis) {
      if (!entry.basis.some((e) => Basis.format(e) === Basis.format(b))) entry.basis.push(b)
    }
    this.entries.set(code, entry)
  }

  has(code: Code): boolean {
    return this.entries.has(code)
  }

  get size(): number {
    return this.entries.size
  }

  codes(): ReadonlyArray<Code> {
    return [...this.entries.keys()]
  }

  sorted(
    order: (a: Code, b: Code) => number
  ): ReadonlyArray<{ code: Code; reason: string; basis: NonEmpty<Basis.Basis> }> {
    return [...this.entries.entries()]
      .sort(([a], [b]) => order(a, b))
      .map(([code, entry]) => ({
        code,
        reason: entry.reasons.join("; "),
        basis: nonEmpty(entry.basis[0] as Basis.Basis, entry.basis.slice(1))
      }))
  }
}

const canonical = <A extends string>(order: ReadonlyArray<A>, values: ReadonlyArray<A> | undefined): Array<A> =>
  order.filter((value) => values?.includes(value) === true)

const ageAtReport = (age: Age, policy: ClassificationPolicy): Result.Result<number, string> => {
  switch (age._tag) {
    case "years":
      return Result.succeed(age.years)
    case "birth-date":
      return Result.mapError(
        CalendarDate.ageOn(age.birthDate, age.reportDate, policy.agePolicy),
        (error) => error.message
      )
    default:
      return Result.fail("the age is unknown")
  }
}

const needs = (missing: NonEmpty<Missing>): NeedsAssessment => ({ _tag: "NeedsAssessment", missing })

/**
 * Classifies decoded facts. Deterministic and total: the same facts (in any order) give the same result, and
 * every {@link Facts} gives a `Classified` or a `NeedsAssessment`.
 */
export const classify = (facts: Facts, policy: ClassificationPolicy = defaultClassificationPolicy): Outcome => {
  const incidents = canonical(incidentKinds, facts.incidents)
  const conditions = canonical(conditionKinds, facts.conditions)
  const disabilities = canonical(disabilityKinds, facts.disabilities)
  const involvement = canonical(involvementOrder, facts.legalCase?.involvement)
  const perpetrators = canonical(perpetratorRelations, facts.allegedPerpetrators)
  const hiv = facts.livingWithHiv === true
  const ageAtAct = facts.legalCase?.ageAtAct

  const missing: Array<Missing> = []
  const age = ageAtReport(facts.age, policy)
  if (Result.isFailure(age)) {
    missing.push({
      field: "age",
      reason: `${age.failure}: the age (in years, or birth date and report date) decides child or adult and is never guessed`
    })
  }
  const nothing =
    incidents.length === 0 && conditions.length === 0 && disabilities.length === 0 && !hiv && involvement.length === 0
  if (nothing) {
    missing.push({
      field: "incidents",
      reason: "no incident, condition, disability, HIV status or legal involvement is recorded: nothing to classify"
    })
  }
  if (Result.isSuccess(age)) {
    const years = age.success
    if (ageAtAct !== undefined && ageAtAct > years) {
      missing.push({
        field: "legalCase.ageAtAct",
        reason: `is ${ageAtAct} but the age at the report is ${years}: the act cannot come after the report`
      })
    }
    if (
      involvement.includes("offender") &&
      ageAtAct === undefined &&
      years >= policy.sppa.minimumAge &&
      years < policy.adultAge
    ) {
      missing.push({
        field: "legalCase.ageAtAct",
        reason: `an alleged offender aged ${years} at the report may have been under ${policy.sppa.minimumAge} at the act: the age at the act decides between Pasal 21 and the SPPA path`
      })
    }
  }
  if (missing.length > 0 || Result.isFailure(age)) {
    return needs(nonEmpty(missing[0] as Missing, missing.slice(1)))
  }
  return classifyKnown(
    age.success,
    { incidents, conditions, disabilities, involvement, perpetrators, hiv, ageAtAct },
    policy
  )
}

interface Canonical {
  readonly incidents: ReadonlyArray<IncidentKind>
  readonly conditions: ReadonlyArray<ConditionKind>
  readonly disabilities: ReadonlyArray<DisabilityKind>
  readonly involvement: ReadonlyArray<Involvement>
  readonly perpetrators: ReadonlyArray<PerpetratorRelation>
  readonly hiv: boolean
  readonly ageAtAct: number | undefined
}

const classifyKnown = (years: number, facts: Canonical, policy: ClassificationPolicy): Outcome => {
  const child = years < policy.adultAge
  const ampk = new Findings<Ampk.AmpkCode>()
  const subs = new Findings<Ampk.SubCategoryCode>()
  const ppks = new Findings<Ppks.PpksCode>()
  const concerns = new Findings<ConcernCode>()
  const notes: Array<string> = []

  const applicable: Array<{ readonly rule: FactRule; readonly label: string }> = [
    ...facts.incidents.map((kind) => ({ rule: ruleOf(`incident:${kind}`), label: `incident ${kind}` })),
    ...facts.conditions.map((kind) => ({ rule: ruleOf(`condition:${kind}`), label: `condition ${kind}` })),
    ...(facts.disabilities.length > 0
      ? [{ rule: ruleOf("disability"), label: `disability (${facts.disabilities.join(", ")})` }]
      : []),
    ...(facts.hiv ? [{ rule: ruleOf("hiv"), label: "living with HIV" }] : []),
    ...(facts.involvement.length > 0
      ? [{ rule: ruleOf("legal-case"), label: `legal case (${facts.involvement.join(", ")})` }]
      : [])
  ]

  for (const { rule, label } of applicable) {
    const reason = `${label}: ${rule.reason}`
    if (child) {
      const outcome = rule.child
      if (outcome.ampk !== undefined) ampk.add(outcome.ampk, reason, [Ampk.categoryBasis(outcome.ampk), rule.basis])
      if (outcome.sub !== undefined) {
        const entry = Ampk.getSubCategory(outcome.sub)
        subs.add(outcome.sub, reason, entry === undefined ? [rule.basis] : [entry.basis, rule.basis])
      }
      if (outcome.ppks !== undefined) {
        const code: Ppks.PpksCode =
          outcome.ppks === "telantar-by-age" ? (years <= policy.highestBalitaAge ? 1 : 2) : outcome.ppks
        const why =
          outcome.ppks === "telantar-by-age"
            ? `${reason} — ${years <= policy.highestBalitaAge ? `${policy.highestBalitaAge} or younger: 1` : `older than ${policy.highestBalitaAge}: 2`}`
            : reason
        ppks.add(code, why, [Ppks.categoryBasis(code), rule.basis])
      }
      if (outcome.concern !== undefined) concerns.add(outcome.concern, reason, [rule.basis])
      if (outcome.note !== undefined) notes.push(`${label}: ${outcome.note}`)
    } else {
      const outcome = rule.adult
      if (outcome.ppks !== undefined) {
        let code: Ppks.PpksCode
        let why = reason
        if (outcome.ppks === "abandoned-adult") {
          if (years >= policy.olderPersonAge) {
            code = 8
            why = `${reason} — ${years}, at least ${policy.olderPersonAge}: Lanjut Usia Telantar`
          } else if (facts.disabilities.length > 0) {
            code = 9
            why = `${reason} — with a disability: penyandang disabilitas telantar (ODGJ telantar maps here)`
          } else {
            code = 11
            why = `${reason} — ${Ppks.mapGroup("orang-telantar").reason}`
          }
        } else {
          code = outcome.ppks
        }
        const basis =
          outcome.ppks === "abandoned-adult" && code === 11
            ? [Ppks.categoryBasis(code), rule.basis, ...Ppks.mapGroup("orang-telantar").basis.slice(1)]
            : [Ppks.categoryBasis(code), rule.basis]
        ppks.add(code, why, basis)
      }
      if (outcome.note !== undefined) notes.push(`${label}: ${outcome.note}`)
    }
  }

  // SPPA roles and path
  const roleFindings = new Findings<Sppa.AbhRole>()
  let sppaPath: Sppa.Path | undefined
  const sppa = policy.sppa
  const roleBasis = (role: Sppa.AbhRole) => [Sppa.getRole(role, sppa).basis, ...Sppa.ruleBasis["SPPA-ROLES"]]
  if (facts.involvement.includes("offender")) {
    const known = facts.ageAtAct ?? (years < sppa.minimumAge ? years : undefined)
    if (known !== undefined) {
      sppaPath = known < sppa.minimumAge ? "pasal-21" : known < sppa.childAgeLimit ? "sppa" : "not-a-child"
      const atAct = facts.ageAtAct === undefined ? `under ${sppa.minimumAge} at the act` : `${known} at the act`
      if (sppaPath === "sppa") {
        roleFindings.add(
          "anak-berkonflik-dengan-hukum",
          `alleged offender, ${atAct} (${sppa.minimumAge} to under ${sppa.childAgeLimit})`,
          roleBasis("anak-berkonflik-dengan-hukum")
        )
      } else if (sppaPath === "pasal-21") {
        roleFindings.add(
          "anak-pasal-21",
          `alleged offender ${atAct}: not an anak berkonflik dengan hukum; no prosecution or detention, only the Pasal 21 decisions (SPPA-UNDER-12)`,
          roleBasis("anak-pasal-21")
        )
      } else {
        notes.push(`alleged offender, ${atAct}: not an Anak under UU 11/2012`)
      }
    } else {
      notes.push(
        `alleged offender aged ${years} at the report, age at the act unknown: if the act was before ${sppa.childAgeLimit}, record legalCase.ageAtAct (UU 11/2012 Pasal 20)`
      )
    }
  }
  for (const [involvement, role] of [
    ["victim", "anak-korban"],
    ["witness", "anak-saksi"]
  ] as const) {
    if (!facts.involvement.includes(involvement)) continue
    const roleAge = facts.ageAtAct ?? (child ? years : undefined)
    if (roleAge === undefined) {
      notes.push(
        `${involvement} aged ${years} at the report, age at the act unknown: if the act was before ${sppa.childAgeLimit}, record legalCase.ageAtAct for the ${role} role`
      )
    } else if (roleAge < sppa.childAgeLimit) {
      roleFindings.add(
        role,
        `${involvement}, ${facts.ageAtAct === undefined ? `${years} at the report` : `${roleAge} at the act`} (under ${sppa.childAgeLimit})`,
        roleBasis(role)
      )
    }
  }
  const roleOrder = (a: Sppa.AbhRole, b: Sppa.AbhRole) => Sppa.roleCodes.indexOf(a) - Sppa.roleCodes.indexOf(b)
  const sppaRoles = roleFindings.sorted(roleOrder).map(({ code, reason, basis }) => ({ role: code, reason, basis }))

  if (ampk.size === 0 && ppks.size === 0 && concerns.size === 0 && sppaRoles.length === 0) {
    const recorded = applicable.map((a) => a.label).join(", ")
    return needs([
      {
        field: "incidents",
        reason: `the recorded facts (${recorded}) match no ${child ? "AMPK or child PPKS" : "adult PPKS"} category: assess further`
      }
    ])
  }

  // Cluster
  let cluster: ClusterFinding | undefined
  let otherClusters: Array<Atensi.ClusterCode> = []
  if (child) {
    cluster = {
      code: "children",
      reason: `a child (${years}) is served in the anak cluster whatever the categories (child-first)`,
      basis: nonEmpty(Atensi.getCluster("children").basis, ruleBasis["CLASS-CLUSTER"].slice(1))
    }
  } else {
    const present = Atensi.clusterCodes.filter((c) => ppks.codes().some((p) => Atensi.clusterOfPpks(p) === c))
    const chosen = policy.adultClusterPriority.find((c) => present.includes(c)) ?? present[0]
    if (chosen !== undefined) {
      const from = ppks
        .codes()
        .filter((p) => Atensi.clusterOfPpks(p) === chosen)
        .sort((a, b) => a - b)
      cluster = {
        code: chosen,
        reason: `PPKS ${from.join(", ")} ${from.length === 1 ? "is" : "are"} served in the ${chosen} cluster${present.length > 1 ? ` (first of ${present.join(", ")} by the cluster priority)` : ""}`,
        basis: nonEmpty(Atensi.getCluster(chosen).basis, [
          Atensi.clusterBasisOfPpks(from[0] as Ppks.PpksCode),
          policyBasis.adultClusterPriority
        ])
      }
      otherClusters = present.filter((c) => c !== chosen)
    } else if (ppks.size > 0) {
      notes.push(`PPKS ${[...ppks.codes()].sort((a, b) => a - b).join(", ")}: served outside the five ATENSI clusters`)
    }
  }

  const familyPerpetrator = facts.perpetrators.some((p) => familyRelations.includes(p))
  if (familyPerpetrator) {
    notes.push(
      "an alleged perpetrator is a family member: a parent or guardian who is the alleged perpetrator cannot consent for the child (SOP-06)"
    )
  }

  const ampkFindings = ampk.sorted((a, b) => Ampk.codes.indexOf(a) - Ampk.codes.indexOf(b))
  const measures =
    child && ampkFindings.length > 0
      ? [
          ...Ampk.measuresOwed({
            poorFamily: facts.conditions.includes("poor"),
            judicialProcess: facts.involvement.length > 0
          })
        ]
      : []
  const subOrder = (a: Ampk.SubCategoryCode, b: Ampk.SubCategoryCode) =>
    a.slice(0, 1) === b.slice(0, 1) ? Number(a.slice(2)) - Number(b.slice(2)) : a < b ? -1 : 1
  const concernOrder = (a: ConcernCode, b: ConcernCode) =>
    ConcernCode.literals.indexOf(a) - ConcernCode.literals.indexOf(b)
  const firstRole = sppaRoles[0]

  return {
    _tag: "Classified",
    ageYears: years,
    child,
    ampk: ampkFindings,
    ampkSubCategories: subs.sorted(subOrder),
    ppks: ppks.sorted((a, b) => a - b),
    ...(cluster === undefined ? {} : { cluster }),
    otherClusters,
    sppaRoles,
    ...(firstRole === undefined ? {} : { sppaRole: firstRole.role }),
    ...(sppaPath === undefined ? {} : { sppaPath }),
    concerns: concerns.sorted(concernOrder),
    measures,
    familyPerpetrator,
    allegedPerpetrators: facts.perpetrators,
    notes
  }
}

/** Decodes facts, rejecting unknown keys (an identity field such as a name is never accepted). */
export const decodeFacts = (input: unknown): Result.Result<Facts, Input.InvalidInput> => {
  const result = Schema.decodeUnknownResult(Facts, { onExcessProperty: "error", errors: "all" })(input)
  if (Result.isSuccess(result)) return Result.succeed(result.success)
  const message = result.failure.message
  const hint = /excess/u.test(message) ? " (facts accept codes only: identity such as a name never goes here)" : ""
  // The input itself is not echoed: a rejected intake may hold identity.
  return Result.fail(
    new Input.InvalidInput({ field: "facts", value: "(not shown: it may hold identity)", reason: `${message}${hint}` })
  )
}

/** Decodes and classifies; undecodable input is an {@link Input.InvalidInput} that says what is wrong. */
export const classifyUnknown = (
  input: unknown,
  policy: ClassificationPolicy = defaultClassificationPolicy
): Result.Result<Outcome, Input.InvalidInput> => Result.map(decodeFacts(input), (facts) => classify(facts, policy))
