/**
 * SPPA — Sistem Peradilan Pidana Anak (UU 11/2012): the roles of a child in contact with the law, and the rules
 * the case management must apply to them: diversi (Pasal 7), the under-12 decisions (Pasal 21), detention
 * (Pasal 32), identity confidentiality (Pasal 19) and the children's court for acts before 18 (Pasal 20).
 *
 * Every function is pure and returns a decision that names its rule id (`SPPA-DIVERSION`, …), a reason and the
 * legal basis; bad input (a negative or non-finite penalty, an impossible date, an act before birth) is an
 * {@link Input.InvalidInput} that says what is wrong. The statutory numbers are the defaults of
 * {@link SppaPolicy}, each with its basis, so a change in the law is a change of policy, not of code.
 *
 * @example
 * ```ts
 * import { Sppa } from "@lindung/core"
 *
 * Sppa.diversion({ threatenedPenaltyYears: 5, repeatOffence: false })
 * // Result.succeed({ mandatory: true, stages: ["investigation", "prosecution", "trial"], rule: "SPPA-DIVERSION", … })
 * Sppa.detention({ ageAtAct: 13, threatenedPenaltyYears: 9 })
 * // Result.succeed({ allowed: false, failed: ["age"], rule: "SPPA-DETENTION", … })
 * Sppa.court({ birthDate: "2006-05-01", actDate: "2024-04-30", trialDate: "2025-01-10" })
 * // Result.succeed({ forum: "childrens-court", ageAtAct: 17, ageAtTrial: 18, … })  — Pasal 20
 * ```
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import * as Basis from "./Basis.js"
import * as CalendarDate from "./CalendarDate.js"
import * as Input from "./Input.js"

const uu = (provision: string, note?: string): Basis.Basis => Basis.verified("UU 11/2012", provision, note)
const uuUnverified = (provision: string, note?: string): Basis.Basis => Basis.unverified("UU 11/2012", provision, note)

/**
 * A provision of UU 11/2012 whose text was read in an unofficial transcription of the gazette (LN 2012 No. 153),
 * not in the gazette itself: unverified until someone checks it there.
 */
export const transcribed = (provision: string, note: string): Basis.Basis =>
  Basis.transcribed("UU 11/2012", provision, note)

// ---------------------------------------------------------------------------------------------------------------
// Rules

/** The stable ids of the rules this module implements. */
export const ruleIds = [
  "SPPA-ROLES",
  "SPPA-DIVERSION",
  "SPPA-UNDER-12",
  "SPPA-DETENTION",
  "SPPA-DETENTION-LIMITS",
  "SPPA-CONFIDENTIALITY",
  "SPPA-CHILDRENS-COURT",
  "SPPA-DIVERSION-CLOCKS",
  "SPPA-DIVERSION-AGREEMENT",
  "SPPA-LITMAS",
  "SPPA-ACCOMPANIMENT",
  "SPPA-SENTENCE"
] as const

/** A rule id of this module. */
export const RuleId = Schema.Literals(ruleIds).annotate({ identifier: "SppaRuleId" })

/** See {@link RuleId}. */
export type RuleId = typeof RuleId.Type

/** The basis of each rule. */
export const ruleBasis: { readonly [K in RuleId]: readonly [Basis.Basis, ...Array<Basis.Basis>] } = {
  "SPPA-ROLES": [
    uu("Pasal 1 angka 3", "anak berkonflik dengan hukum: 12 to under 18 when the act was committed"),
    uu("Pasal 1 angka 4", "anak korban: under 18"),
    uu("Pasal 1 angka 5", "anak saksi: under 18")
  ],
  "SPPA-DIVERSION": [
    uu("Pasal 7 ayat (1)", "diversi must be attempted at investigation, prosecution and trial"),
    uu("Pasal 7 ayat (2)", "when the threatened penalty is under 7 years and the act is not a repeat offence")
  ],
  "SPPA-UNDER-12": [
    uuUnverified(
      "Pasal 21",
      "under 12: investigator, Pembimbing Kemasyarakatan and professional social worker decide: return to parents/guardian, or education and guidance at a government body or LPKS for at most 6 months"
    )
  ],
  "SPPA-DETENTION": [
    uu("Pasal 32 ayat (2)", "detention only if the child is 14 or older and the threatened penalty is 7 years or more"),
    uuUnverified("Pasal 32 ayat (1)", "no detention when a guarantee is given by parents/guardian or an institution"),
    uuUnverified("Pasal 3 huruf g", "detention only as a last resort and for the shortest time")
  ],
  "SPPA-DETENTION-LIMITS": [
    transcribed("Pasal 33", "for investigation at most 7 days, extended by the prosecutor by at most 8"),
    transcribed("Pasal 34", "for prosecution at most 5 days, extended by a judge by at most 5"),
    transcribed("Pasal 35", "for trial at most 10 days, extended by the head of the court by at most 15"),
    transcribed("Pasal 33 ayat (4)", "a child is detained at an LPAS"),
    transcribed("Pasal 33 ayat (5)", "where there is no LPAS, at the local LPKS")
  ],
  "SPPA-CONFIDENTIALITY": [
    uu("Pasal 19", "the identity of Anak, Anak Korban and Anak Saksi is kept secret in all media"),
    Basis.verified("UU 35/2014", "Pasal 64 huruf i", "protection from publication of the child's identity"),
    uu("Pasal 97", "a breach of Pasal 19 is punishable")
  ],
  "SPPA-CHILDRENS-COURT": [
    uu(
      "Pasal 20",
      "an act committed before 18 and brought to trial after 18 but before 21 stays in the children's court"
    )
  ],
  "SPPA-DIVERSION-CLOCKS": [
    transcribed("Pasal 29", "the investigator attempts diversion within 7 days of the investigation; it lasts 30 days"),
    transcribed("Pasal 42", "the prosecutor attempts diversion within 7 days of receiving the file; it lasts 30 days"),
    transcribed("Pasal 52", "the judge attempts diversion within 7 days of appointment; it lasts 30 days"),
    transcribed("Pasal 12 ayat (2)", "an agreement goes to the district court within 3 days for its penetapan"),
    transcribed("Pasal 12 ayat (3)", "the court decides the penetapan within 3 days of receiving the agreement")
  ],
  "SPPA-DIVERSION-AGREEMENT": [
    uuUnverified("Pasal 13 huruf b", "the proceedings continue when the diversion agreement is not carried out"),
    transcribed(
      "Pasal 9 ayat (2)",
      "the agreement needs the victim's (or the family's) consent and the willingness of the child and family, except for a pelanggaran, a tindak pidana ringan, an act without a victim, or a loss not above the provincial minimum wage"
    ),
    transcribed(
      "Pasal 11",
      "its forms, among others (antara lain): reconciliation with or without compensation; return to the parents or wali; education or training at an educational institution or LPKS for at most 3 months; community service"
    )
  ],
  "SPPA-LITMAS": [
    transcribed("Pasal 27 ayat (1)", "the investigator asks the Pembimbing Kemasyarakatan for advice after a report"),
    transcribed(
      "Pasal 28",
      "Bapas hands its Penelitian Kemasyarakatan (Litmas) to the investigator within 3 x 24 hours"
    )
  ],
  "SPPA-ACCOMPANIMENT": [
    uuUnverified(
      "Pasal 23",
      "at every level a child is accompanied; a child victim or witness by a parent, a trusted person or a social worker"
    ),
    transcribed(
      "Pasal 27 ayat (3)",
      "for a child victim or witness, the investigator asks a social report (laporan sosial) of a professional social worker or social welfare worker"
    )
  ],
  "SPPA-SENTENCE": [
    transcribed("Pasal 71 ayat (1)", "the principal penalties (pidana) a child may be given"),
    transcribed("Pasal 82 ayat (1)", "the measures (tindakan) a child may be given"),
    transcribed("Pasal 69 ayat (2)", "a child under 14 may only be given a tindakan (a measure), not a pidana"),
    transcribed("Pasal 81 ayat (2)", "imprisonment is at most half of the adult maximum"),
    transcribed("Pasal 81 ayat (6)", "for an act punishable by death or life imprisonment, at most 10 years"),
    transcribed("Pasal 85 ayat (1)", "a child sentenced to imprisonment is placed at an LPKA")
  ]
}

/** The rules of this module by id: a rule that does not exist is a compile error, never a fallback. */
export const rule: { readonly [K in RuleId]: Basis.Rule } = {
  "SPPA-ROLES": Basis.rule(
    "SPPA-ROLES",
    Basis.label("Peran Anak dalam SPPA dan batas umurnya", "The roles of a child under SPPA and their age limits"),
    ruleBasis["SPPA-ROLES"]
  ),
  "SPPA-DIVERSION": Basis.rule(
    "SPPA-DIVERSION",
    Basis.label("Diversi wajib diupayakan", "Diversion must be attempted"),
    ruleBasis["SPPA-DIVERSION"]
  ),
  "SPPA-UNDER-12": Basis.rule(
    "SPPA-UNDER-12",
    Basis.label("Anak di bawah 12 tahun: hanya keputusan Pasal 21", "Under 12: only the Pasal 21 decisions"),
    ruleBasis["SPPA-UNDER-12"]
  ),
  "SPPA-DETENTION": Basis.rule(
    "SPPA-DETENTION",
    Basis.label("Syarat penahanan Anak", "Conditions for detaining a child"),
    ruleBasis["SPPA-DETENTION"]
  ),
  "SPPA-DETENTION-LIMITS": Basis.rule(
    "SPPA-DETENTION-LIMITS",
    Basis.label(
      "Batas waktu penahanan Anak di setiap tingkat, di LPAS atau LPKS",
      "The time limits of a child's detention at each level, at an LPAS or LPKS"
    ),
    ruleBasis["SPPA-DETENTION-LIMITS"]
  ),
  "SPPA-CONFIDENTIALITY": Basis.rule(
    "SPPA-CONFIDENTIALITY",
    Basis.label("Identitas Anak wajib dirahasiakan", "A child's identity must be kept confidential"),
    ruleBasis["SPPA-CONFIDENTIALITY"]
  ),
  "SPPA-CHILDRENS-COURT": Basis.rule(
    "SPPA-CHILDRENS-COURT",
    Basis.label("Sidang Anak untuk tindak pidana sebelum 18 tahun", "Children's court for acts before 18"),
    ruleBasis["SPPA-CHILDRENS-COURT"]
  ),
  "SPPA-DIVERSION-CLOCKS": Basis.rule(
    "SPPA-DIVERSION-CLOCKS",
    Basis.label(
      "Batas waktu Diversi di setiap tingkat pemeriksaan dan penetapannya",
      "The time limits of diversion at each level, and of its court confirmation"
    ),
    ruleBasis["SPPA-DIVERSION-CLOCKS"]
  ),
  "SPPA-DIVERSION-AGREEMENT": Basis.rule(
    "SPPA-DIVERSION-AGREEMENT",
    Basis.label(
      "Kesepakatan Diversi: persetujuan korban dan bentuknya",
      "A diversion agreement: the victim's consent and its forms"
    ),
    ruleBasis["SPPA-DIVERSION-AGREEMENT"]
  ),
  "SPPA-LITMAS": Basis.rule(
    "SPPA-LITMAS",
    Basis.label(
      "Penelitian Kemasyarakatan (Litmas) oleh Bapas dalam 3 x 24 jam",
      "Bapas's community research report (Litmas) within 3 x 24 hours"
    ),
    ruleBasis["SPPA-LITMAS"]
  ),
  "SPPA-ACCOMPANIMENT": Basis.rule(
    "SPPA-ACCOMPANIMENT",
    Basis.label(
      "Pendampingan Anak di setiap tingkat pemeriksaan, dengan laporan sosial",
      "Accompanying the child at every level, with a social report"
    ),
    ruleBasis["SPPA-ACCOMPANIMENT"]
  ),
  "SPPA-SENTENCE": Basis.rule(
    "SPPA-SENTENCE",
    Basis.label("Batas pidana dan tindakan bagi Anak", "The limits of a child's sentence"),
    ruleBasis["SPPA-SENTENCE"]
  )
}

/** The rules of this module, with stable ids. */
export const rules: ReadonlyArray<Basis.Rule> = Object.values(rule)

// ---------------------------------------------------------------------------------------------------------------
// Policy

/** Where detention's age limit is measured when both the age at the act and the age now are known. */
export const DetentionAgeReference = Schema.Literals(["lower-of-act-and-now", "now"])

/** See {@link DetentionAgeReference}. */
export type DetentionAgeReference = typeof DetentionAgeReference.Type

/** The numbers of UU 11/2012 as a typed, overridable policy. */
export interface SppaPolicy {
  /** Minimum age (at the act) of an anak berkonflik dengan hukum; below it only Pasal 21 applies. Default 12. */
  readonly minimumAge: number
  /** The age from which a person is no longer an Anak under UU 11/2012. Default 18. */
  readonly childAgeLimit: number
  /** Minimum age for detention (Pasal 32). Default 14. */
  readonly detentionMinimumAge: number
  /** Minimum threatened penalty, in years, for detention (Pasal 32). Default 7. */
  readonly detentionMinimumPenaltyYears: number
  /** Diversion is mandatory when the threatened penalty is strictly below this many years (Pasal 7). Default 7. */
  readonly diversionPenaltyLimitYears: number
  /** Longest Pasal 21 education/guidance programme, in months. Default 6. */
  readonly pasal21MaximumMonths: number
  /** Longest extension of a Pasal 21 programme after its evaluation, in months, granted once. Default 6. */
  readonly pasal21ExtensionMaximumMonths: number
  /** An act before `childAgeLimit` stays in the children's court while the trial age is below this. Default 21. */
  readonly childrensCourtAgeLimit: number
  /** Which age Pasal 32's age limit is measured on. Default: the lower of the age at the act and the age now. */
  readonly detentionAgeReference: DetentionAgeReference
  /**
   * The longest detention at each level, in days: the first period and the longest extension (Pasal 33–35). Default
   * investigation 7 + 8, prosecution 5 + 5, trial 10 + 15.
   */
  readonly detentionDays: { readonly [K in Stage]: { readonly first: number; readonly extension: number } }
  /** Longest education or training a diversion agreement may order (Pasal 11 huruf c), in months. Default 3. */
  readonly diversionTrainingMaximumMonths: number
  /** Below this age (at the act) a child may only be given a tindakan, not a pidana (Pasal 69 (2)). Default 14. */
  readonly tindakanOnlyBelowAge: number
  /** The share of the adult maximum a child's imprisonment may reach (Pasal 81 (2)). Default 1/2. */
  readonly imprisonmentShareOfAdultMaximum: number
  /** The longest imprisonment, in years, for an act punishable by death or life (Pasal 81 (6)). Default 10. */
  readonly imprisonmentMaximumForDeathOrLifeYears: number
  /** How ages are counted (29 February births). */
  readonly agePolicy: CalendarDate.AgePolicy
}

/** An SPPA policy whose numbers cannot be used: the field and what is wrong with it. */
export class InvalidSppaPolicy extends Schema.TaggedError<InvalidSppaPolicy>()("InvalidSppaPolicy", {
  field: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `Invalid SPPA policy ${this.field}: ${this.reason}`
  }
}

const wholeAge = (value: number): boolean => Number.isInteger(value) && value >= 1 && value <= 130
const wholeCount = (value: number): boolean => Number.isInteger(value) && value >= 0
const nonNegative = (value: number): boolean => Number.isFinite(value) && value >= 0

/**
 * Checks an SPPA policy: its ages are whole years from 1 to 130 (a bound on a person's age, only to refuse nonsense),
 * in the law's order (the minimum age below the child age limit, which is at most the children's court age limit;
 * the detention minimum age from the minimum age and below the child age limit; the tindakan-only age from the
 * minimum age up to the child age limit); months and days are whole numbers from 0; penalties
 * are finite numbers from 0; the share of the adult maximum lies above 0 and at most 1. Ages and dates of adulthood
 * (SOP-09) are computed in whole years: a fractional limit would give no real date.
 */
export const validatePolicy = (policy: SppaPolicy): Result.Result<SppaPolicy, InvalidSppaPolicy> => {
  const fail = (field: string, reason: string) => Result.fail(new InvalidSppaPolicy({ field, reason }))
  const ages = ["minimumAge", "childAgeLimit", "detentionMinimumAge", "childrensCourtAgeLimit", "tindakanOnlyBelowAge"]
  for (const field of ages as ReadonlyArray<keyof SppaPolicy>) {
    const value = policy[field] as number
    if (!wholeAge(value)) return fail(field, `${value} is not a whole number of years from 1 to 130`)
  }
  if (policy.minimumAge >= policy.childAgeLimit) {
    return fail("minimumAge", `${policy.minimumAge} is not below the child age limit ${policy.childAgeLimit}`)
  }
  // Detention (Pasal 32 ayat (2) huruf a) and the tindakan-only age (Pasal 69 ayat (2)) are ages of children who
  // answer before the law: from the minimum age, below (or, for the tindakan-only age, at most) the child age limit.
  if (policy.detentionMinimumAge < policy.minimumAge || policy.detentionMinimumAge >= policy.childAgeLimit) {
    return fail(
      "detentionMinimumAge",
      `${policy.detentionMinimumAge} is not from the minimum age ${policy.minimumAge} and below the child age limit ${policy.childAgeLimit}`
    )
  }
  if (policy.tindakanOnlyBelowAge < policy.minimumAge || policy.tindakanOnlyBelowAge > policy.childAgeLimit) {
    return fail(
      "tindakanOnlyBelowAge",
      `${policy.tindakanOnlyBelowAge} is not from the minimum age ${policy.minimumAge} up to the child age limit ${policy.childAgeLimit}`
    )
  }
  if (policy.childrensCourtAgeLimit < policy.childAgeLimit) {
    return fail(
      "childrensCourtAgeLimit",
      `${policy.childrensCourtAgeLimit} is below the child age limit ${policy.childAgeLimit}`
    )
  }
  const counts = ["pasal21MaximumMonths", "pasal21ExtensionMaximumMonths", "diversionTrainingMaximumMonths"]
  for (const field of counts as ReadonlyArray<keyof SppaPolicy>) {
    const value = policy[field] as number
    if (!wholeCount(value)) return fail(field, `${value} is not a whole number of months from 0`)
  }
  for (const stage of stageCodes) {
    const days = policy.detentionDays[stage]
    for (const part of ["first", "extension"] as const) {
      if (!wholeCount(days[part])) {
        return fail(`detentionDays.${stage}.${part}`, `${days[part]} is not a whole number of days from 0`)
      }
    }
  }
  const penalties = [
    "detentionMinimumPenaltyYears",
    "diversionPenaltyLimitYears",
    "imprisonmentMaximumForDeathOrLifeYears"
  ]
  for (const field of penalties as ReadonlyArray<keyof SppaPolicy>) {
    const value = policy[field] as number
    if (!nonNegative(value)) return fail(field, `${value} is not a number of years from 0`)
  }
  const share = policy.imprisonmentShareOfAdultMaximum
  if (!(Number.isFinite(share) && share > 0 && share <= 1)) {
    return fail("imprisonmentShareOfAdultMaximum", `${share} is not a share above 0 and at most 1`)
  }
  return Result.succeed(policy)
}

const Days = Schema.Struct({ first: Schema.optionalKey(Schema.Finite), extension: Schema.optionalKey(Schema.Finite) })

/**
 * A deployment's overrides of the SPPA policy, in JSON (the policy file's `sppa` section): any of its numbers, the
 * detention age reference, the detention days per level and the age policy. The result is checked by
 * {@link validatePolicy}.
 */
export const SppaPolicyOverrides = Schema.Struct({
  minimumAge: Schema.optionalKey(Schema.Finite),
  childAgeLimit: Schema.optionalKey(Schema.Finite),
  detentionMinimumAge: Schema.optionalKey(Schema.Finite),
  detentionMinimumPenaltyYears: Schema.optionalKey(Schema.Finite),
  diversionPenaltyLimitYears: Schema.optionalKey(Schema.Finite),
  pasal21MaximumMonths: Schema.optionalKey(Schema.Finite),
  pasal21ExtensionMaximumMonths: Schema.optionalKey(Schema.Finite),
  childrensCourtAgeLimit: Schema.optionalKey(Schema.Finite),
  detentionAgeReference: Schema.optionalKey(DetentionAgeReference),
  detentionDays: Schema.optionalKey(
    Schema.Struct({
      investigation: Schema.optionalKey(Days),
      prosecution: Schema.optionalKey(Days),
      trial: Schema.optionalKey(Days)
    })
  ),
  diversionTrainingMaximumMonths: Schema.optionalKey(Schema.Finite),
  tindakanOnlyBelowAge: Schema.optionalKey(Schema.Finite),
  imprisonmentShareOfAdultMaximum: Schema.optionalKey(Schema.Finite),
  imprisonmentMaximumForDeathOrLifeYears: Schema.optionalKey(Schema.Finite),
  agePolicy: Schema.optionalKey(Schema.Struct({ leapDayBirthday: CalendarDate.LeapDayBirthday }))
}).annotate({ identifier: "SppaPolicyOverrides", description: "Overrides of the SPPA numbers (UU 11/2012)" })

/** See {@link SppaPolicyOverrides}. */
export type SppaPolicyOverrides = typeof SppaPolicyOverrides.Type

/** The SPPA policy `base` (default: {@link defaultSppaPolicy}) with overrides; check the result with {@link validatePolicy}. */
export const overridePolicy = (overrides: SppaPolicyOverrides, base: SppaPolicy = defaultSppaPolicy): SppaPolicy => {
  const { detentionDays, ...rest } = overrides
  const days = (stage: Stage) => ({ ...base.detentionDays[stage], ...detentionDays?.[stage] })
  return {
    ...base,
    ...rest,
    detentionDays: { investigation: days("investigation"), prosecution: days("prosecution"), trial: days("trial") }
  }
}

/** The default SPPA policy: the numbers of UU 11/2012. */
export const defaultSppaPolicy: SppaPolicy = {
  minimumAge: 12,
  childAgeLimit: 18,
  detentionMinimumAge: 14,
  detentionMinimumPenaltyYears: 7,
  diversionPenaltyLimitYears: 7,
  pasal21MaximumMonths: 6,
  pasal21ExtensionMaximumMonths: 6,
  childrensCourtAgeLimit: 21,
  detentionAgeReference: "lower-of-act-and-now",
  detentionDays: {
    investigation: { first: 7, extension: 8 },
    prosecution: { first: 5, extension: 5 },
    trial: { first: 10, extension: 15 }
  },
  diversionTrainingMaximumMonths: 3,
  tindakanOnlyBelowAge: 14,
  imprisonmentShareOfAdultMaximum: 0.5,
  imprisonmentMaximumForDeathOrLifeYears: 10,
  agePolicy: CalendarDate.defaultAgePolicy
}

/** The basis of each default of {@link defaultSppaPolicy}. */
export const policyBasis: { readonly [K in keyof SppaPolicy]: Basis.Basis } = {
  minimumAge: uu("Pasal 1 angka 3"),
  childAgeLimit: uu("Pasal 1 angka 3"),
  detentionMinimumAge: uu("Pasal 32 ayat (2) huruf a"),
  detentionMinimumPenaltyYears: uu("Pasal 32 ayat (2) huruf b"),
  diversionPenaltyLimitYears: uu("Pasal 7 ayat (2) huruf a"),
  pasal21MaximumMonths: uuUnverified("Pasal 21 ayat (1) huruf b"),
  pasal21ExtensionMaximumMonths: uuUnverified(
    "Pasal 21 ayat (4)",
    "after an evaluation the programme may be extended by at most 6 months"
  ),
  childrensCourtAgeLimit: uu("Pasal 20"),
  detentionAgeReference: Basis.policyDefault(
    "Lindung SPPA policy",
    undefined,
    "Pasal 32 says the child must be 14; measuring on the lower of the age at the act and the age now never detains a child who was under 14 at either time"
  ),
  detentionDays: transcribed("Pasal 33, 34, 35", "7 + 8 days, 5 + 5 days, 10 + 15 days"),
  diversionTrainingMaximumMonths: transcribed("Pasal 11 huruf c", "education or training for at most 3 months"),
  tindakanOnlyBelowAge: transcribed("Pasal 69 ayat (2)", "under 14: only a tindakan"),
  imprisonmentShareOfAdultMaximum: transcribed("Pasal 81 ayat (2)", "at most half of the adult maximum"),
  imprisonmentMaximumForDeathOrLifeYears: transcribed("Pasal 81 ayat (6)", "death or life: at most 10 years"),
  agePolicy: CalendarDate.agePolicyBasis
}

// ---------------------------------------------------------------------------------------------------------------
// Roles

/** The three roles of a child in contact with the law (anak yang berhadapan dengan hukum). */
/**
 * The roles of UU 11/2012 Pasal 1 angka 3–5 and the Pasal 21 status (a child under 12 at an alleged act), in the
 * order a classification keeps the first of: an alleged offender's role or status before the others.
 */
export const roleCodes = ["anak-berkonflik-dengan-hukum", "anak-pasal-21", "anak-korban", "anak-saksi"] as const

/** A role of UU 11/2012 Pasal 1 angka 3–5, or the Pasal 21 status of a child under 12 at an alleged act. */
export const AbhRole = Schema.Literals(roleCodes).annotate({
  identifier: "AbhRole",
  description:
    "The role of a child in contact with the law (UU 11/2012): anak berkonflik dengan hukum (alleged offender, 12 to under 18 at the act), anak korban (victim), anak saksi (witness), or anak-pasal-21 (alleged offender under 12 at the act: no prosecution, only the Pasal 21 decisions)"
})

/** See {@link AbhRole}. */
export type AbhRole = typeof AbhRole.Type

/** A role: code, label, the age range it covers (at the act) and its basis. */
export const Role = Schema.Struct({
  code: AbhRole,
  label: Basis.Label,
  /** Youngest age (at the act) the role covers; 0 when there is no lower limit. */
  minimumAge: Schema.Int,
  /** The role covers ages strictly below this. */
  ageLimit: Schema.Int,
  basis: Basis.Basis
}).annotate({ identifier: "AbhRoleEntry", description: "A role of UU 11/2012 with its age range" })

/** See {@link Role}. */
export type Role = typeof Role.Type

/** The roles, with the age ranges of `policy`. */
export const rolesFor = (policy: SppaPolicy = defaultSppaPolicy): ReadonlyArray<Role> => [
  {
    code: "anak-berkonflik-dengan-hukum",
    label: Basis.label("Anak yang berkonflik dengan hukum", "Child in conflict with the law (alleged offender)"),
    minimumAge: policy.minimumAge,
    ageLimit: policy.childAgeLimit,
    basis: uu("Pasal 1 angka 3")
  },
  {
    code: "anak-pasal-21",
    label: Basis.label(
      "Anak belum berumur 12 tahun yang melakukan atau diduga melakukan tindak pidana",
      "Child under 12 who did or is alleged to have done an offence: no prosecution, only the Pasal 21 decisions"
    ),
    minimumAge: 0,
    ageLimit: policy.minimumAge,
    basis: uuUnverified("Pasal 21 ayat (1)")
  },
  {
    code: "anak-korban",
    label: Basis.label("Anak yang menjadi korban tindak pidana", "Child victim of a crime"),
    minimumAge: 0,
    ageLimit: policy.childAgeLimit,
    basis: uu("Pasal 1 angka 4")
  },
  {
    code: "anak-saksi",
    label: Basis.label("Anak yang menjadi saksi tindak pidana", "Child witness of a crime"),
    minimumAge: 0,
    ageLimit: policy.childAgeLimit,
    basis: uu("Pasal 1 angka 5")
  }
]

/** The roles under the default policy. */
export const roles: ReadonlyArray<Role> = rolesFor()

/** The role entry of a code. */
export const getRole = (code: AbhRole, policy: SppaPolicy = defaultSppaPolicy): Role =>
  rolesFor(policy).find((r) => r.code === code) as Role

/** Checks a value and returns the role code, or an {@link Input.InvalidInput} listing the roles. */
export const parseRole = (input: unknown): Result.Result<AbhRole, Input.InvalidInput> =>
  Schema.is(AbhRole)(input)
    ? Result.succeed(input)
    : Input.fail("role", input, `expected one of ${roleCodes.join(", ")}`)

/** Checks that a child of `ageAtAct` can hold `role` (an alleged offender must be 12 to under 18 at the act). */
export const checkRole = (
  input: { readonly role: AbhRole; readonly ageAtAct: number },
  policy: SppaPolicy = defaultSppaPolicy
): Result.Result<AbhRole, Input.InvalidInput> =>
  Result.gen(function* () {
    const role = yield* parseRole(input.role)
    const age = yield* checkAge("ageAtAct", input.ageAtAct)
    const entry = getRole(role, policy)
    if (age < entry.minimumAge) {
      return yield* Input.fail(
        "ageAtAct",
        age,
        `a child under ${entry.minimumAge} at the act is not an ${role} (UU 11/2012 Pasal 1 angka 3): only the Pasal 21 decisions apply`
      )
    }
    if (age >= entry.ageLimit) {
      return yield* Input.fail("ageAtAct", age, `a person aged ${entry.ageLimit} or older at the act is not an Anak`)
    }
    return role
  })

/** The stages at which diversion must be attempted. */
export const stageCodes = ["investigation", "prosecution", "trial"] as const

/** A stage of SPPA proceedings: penyidikan, penuntutan, pemeriksaan di sidang pengadilan. */
export const Stage = Schema.Literals(stageCodes).annotate({
  identifier: "SppaStage",
  description: "A stage of SPPA proceedings: investigation (penyidikan), prosecution (penuntutan) or trial"
})

/** See {@link Stage}. */
export type Stage = typeof Stage.Type

/** Labels of the stages. */
export const stageLabels: { readonly [K in Stage]: Basis.Label } = {
  investigation: Basis.label("Penyidikan", "Investigation"),
  prosecution: Basis.label("Penuntutan", "Prosecution"),
  trial: Basis.label("Pemeriksaan perkara di pengadilan", "Trial")
}

// ---------------------------------------------------------------------------------------------------------------
// Input checks

const MAX_AGE = 150

const checkAge = (field: string, value: unknown): Result.Result<number, Input.InvalidInput> =>
  typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= MAX_AGE
    ? Result.succeed(value)
    : Input.fail(field, value, `must be a whole number of years from 0 to ${MAX_AGE}`)

const checkPenalty = (value: unknown): Result.Result<number, Input.InvalidInput> =>
  typeof value === "number" && Number.isFinite(value) && value >= 0
    ? Result.succeed(value)
    : Input.fail(
        "threatenedPenaltyYears",
        value,
        "must be a finite number of years, 0 or more (the maximum prison term threatened for the act)"
      )

const checkBoolean = (field: string, value: unknown): Result.Result<boolean, Input.InvalidInput> =>
  typeof value === "boolean" ? Result.succeed(value) : Input.fail(field, value, "must be true or false")

const checkDate = (field: string, value: unknown): Result.Result<CalendarDate.CalendarDate, Input.InvalidInput> =>
  typeof value === "string"
    ? CalendarDate.parse(value, field)
    : Input.fail(field, value, "must be a calendar date string YYYY-MM-DD")

/**
 * The age in whole years on the day of the act (exact: counted from the birthday, 29 February as in
 * `policy.agePolicy`). Fails when a date is impossible or the act is before the birth.
 */
export const ageAtAct = (
  birthDate: string,
  actDate: string,
  policy: SppaPolicy = defaultSppaPolicy
): Result.Result<number, Input.InvalidInput> =>
  Result.gen(function* () {
    const birth = yield* checkDate("birthDate", birthDate)
    const act = yield* checkDate("actDate", actDate)
    if (CalendarDate.compare(act, birth) < 0) return yield* Input.fail("actDate", act, "is before the birth date")
    return yield* CalendarDate.ageOn(birth, act, policy.agePolicy)
  })

// ---------------------------------------------------------------------------------------------------------------
// Decisions

const Reason = Schema.NonEmptyString
const RuleBasis = Schema.NonEmptyArray(Basis.Basis)

/** Whether diversion must be attempted, and at which stages. */
export const DiversionDecision = Schema.Struct({
  mandatory: Schema.Boolean,
  /** The stages where diversion must be attempted: all three when mandatory, none otherwise. */
  stages: Schema.Array(Stage),
  reason: Reason,
  rule: Schema.Literal("SPPA-DIVERSION"),
  basis: RuleBasis
}).annotate({ identifier: "SppaDiversionDecision" })

/** See {@link DiversionDecision}. */
export type DiversionDecision = typeof DiversionDecision.Type

/**
 * Diversi (Pasal 7): mandatory at investigation, prosecution and trial iff the threatened penalty is under
 * `policy.diversionPenaltyLimitYears` (7) years and the act is not a repeat offence. A repeat offence includes an
 * earlier act of any kind, also one settled by diversion (Penjelasan Pasal 7 ayat (2) huruf b).
 */
export const diversion = (
  input: { readonly threatenedPenaltyYears: number; readonly repeatOffence: boolean },
  policy: SppaPolicy = defaultSppaPolicy
): Result.Result<DiversionDecision, Input.InvalidInput> =>
  Result.gen(function* () {
    const penalty = yield* checkPenalty(input.threatenedPenaltyYears)
    const repeat = yield* checkBoolean("repeatOffence", input.repeatOffence)
    const limit = policy.diversionPenaltyLimitYears
    const underLimit = penalty < limit
    const mandatory = underLimit && !repeat
    const reason = mandatory
      ? `threatened penalty ${penalty} years is under ${limit} and the act is not a repeat offence: diversion must be attempted at investigation, prosecution and trial`
      : [
          underLimit ? undefined : `threatened penalty ${penalty} years is not under ${limit}`,
          repeat ? "the act is a repeat offence" : undefined
        ]
          .filter((part): part is string => part !== undefined)
          .join(" and ")
          .concat(": diversion is not mandatory")
    return {
      mandatory,
      stages: mandatory ? [...stageCodes] : [],
      reason,
      rule: "SPPA-DIVERSION" as const,
      basis: ruleBasis["SPPA-DIVERSION"]
    }
  })

/** The decisions Pasal 21 allows for a child under 12. */
export const Under12Option = Schema.Struct({
  /** `return-to-parents`: return to parents/guardian; `guidance`: education and guidance programme. */
  code: Schema.Literals(["return-to-parents", "guidance"]),
  label: Basis.Label,
  /** For `guidance`: the longest programme, in months. */
  maximumMonths: Schema.optionalKey(Schema.Int),
  basis: Basis.Basis
}).annotate({ identifier: "SppaUnder12Option" })

/** See {@link Under12Option}. */
export type Under12Option = typeof Under12Option.Type

/** The two Pasal 21 decisions, with the programme limit of `policy`. */
export const under12Decisions = (policy: SppaPolicy = defaultSppaPolicy): ReadonlyArray<Under12Option> => [
  {
    code: "return-to-parents",
    label: Basis.label("Diserahkan kembali kepada orang tua/wali", "Returned to parents/guardian"),
    basis: uuUnverified("Pasal 21 ayat (1) huruf a")
  },
  {
    code: "guidance",
    label: Basis.label(
      "Diikutsertakan dalam program pendidikan, pembinaan, dan pembimbingan di instansi pemerintah atau LPKS",
      "Education, guidance and mentoring programme at a government body or LPKS"
    ),
    maximumMonths: policy.pasal21MaximumMonths,
    basis: uuUnverified("Pasal 21 ayat (1) huruf b", `at most ${policy.pasal21MaximumMonths} months`)
  }
]

/** Which path UU 11/2012 gives an alleged offender by age at the act. */
export const Path = Schema.Literals(["pasal-21", "sppa", "not-a-child"]).annotate({
  identifier: "SppaPath",
  description:
    "pasal-21: under 12 at the act (no prosecution, no detention); sppa: 12 to under 18 (diversion, Pasal 32); not-a-child: 18 or older at the act"
})

/** See {@link Path}. */
export type Path = typeof Path.Type

/** The Pasal 21 decision for an alleged offender: the path and, under 12, the only options. */
export const Under12Decision = Schema.Struct({
  ageAtAct: Schema.Int,
  path: Path,
  /** Under 12: the two Pasal 21 options; otherwise empty. */
  options: Schema.Array(Under12Option),
  /** Whether prosecution (and so diversion and trial) is possible at all. */
  prosecutionPossible: Schema.Boolean,
  /** Whether detention can even be considered (Pasal 32 still decides). */
  detentionPossible: Schema.Boolean,
  reason: Reason,
  rule: Schema.Literal("SPPA-UNDER-12"),
  basis: RuleBasis
}).annotate({ identifier: "SppaUnder12Decision" })

/** See {@link Under12Decision}. */
export type Under12Decision = typeof Under12Decision.Type

/**
 * The Pasal 21 options for an alleged offender of `ageAtAct`: under 12, only return to parents/guardian or a
 * guidance programme of at most 6 months, no prosecution and no detention; 12 and older, no Pasal 21 options.
 */
export const pasal21Options = (
  ageAtAct: number,
  policy: SppaPolicy = defaultSppaPolicy
): Result.Result<Under12Decision, Input.InvalidInput> =>
  Result.map(checkAge("ageAtAct", ageAtAct), (age) => {
    const path: Path = age < policy.minimumAge ? "pasal-21" : age < policy.childAgeLimit ? "sppa" : "not-a-child"
    const reason =
      path === "pasal-21"
        ? `under ${policy.minimumAge} at the act: no prosecution and no detention; investigator, Pembimbing Kemasyarakatan and professional social worker decide between return to parents/guardian and a guidance programme of at most ${policy.pasal21MaximumMonths} months`
        : path === "sppa"
          ? `${age} at the act (${policy.minimumAge} to under ${policy.childAgeLimit}): Pasal 21 does not apply; the SPPA path applies (diversion, Pasal 32)`
          : `${age} at the act: not an Anak under UU 11/2012, Pasal 21 does not apply`
    return {
      ageAtAct: age,
      path,
      options: path === "pasal-21" ? [...under12Decisions(policy)] : [],
      prosecutionPossible: path !== "pasal-21",
      detentionPossible: path !== "pasal-21",
      reason,
      rule: "SPPA-UNDER-12" as const,
      basis: ruleBasis["SPPA-UNDER-12"]
    }
  })

/** The last day a Pasal 21 guidance programme starting on `start` may run (start + the maximum months − 1 day). */
export const guidanceLastDay = (
  start: CalendarDate.CalendarDate,
  policy: SppaPolicy = defaultSppaPolicy
): CalendarDate.CalendarDate => CalendarDate.addDays(CalendarDate.addMonths(start, policy.pasal21MaximumMonths), -1)

/** A detention condition that failed. */
export const DetentionFailure = Schema.Literals(["under-12", "age-at-act-unknown", "age", "penalty"]).annotate({
  identifier: "SppaDetentionFailure",
  description:
    "under-12: Pasal 21 child, no detention path; age-at-act-unknown: cannot exclude Pasal 21; age: under 14; penalty: under 7 years"
})

/** See {@link DetentionFailure}. */
export type DetentionFailure = typeof DetentionFailure.Type

/** Whether a detention request may be granted under Pasal 32 ayat (2), and which conditions failed. */
export const DetentionDecision = Schema.Struct({
  allowed: Schema.Boolean,
  /** The failed conditions, empty when allowed. */
  failed: Schema.Array(DetentionFailure),
  /** The age the 14-year limit was measured on. */
  ageConsidered: Schema.Int,
  reason: Reason,
  rule: Schema.Literals(["SPPA-DETENTION", "SPPA-UNDER-12"]),
  basis: RuleBasis
}).annotate({ identifier: "SppaDetentionDecision" })

/** See {@link DetentionDecision}. */
export type DetentionDecision = typeof DetentionDecision.Type

/**
 * Detention (Pasal 32 ayat (2)): allowed only when the child is at least 14 and the threatened penalty is at least
 * 7 years; never for a child under 12 at the act (Pasal 21). Give `ageAtAct`, `ageNow` or both; the 14-year limit
 * is measured as `policy.detentionAgeReference` says (default: the lower of the two). Without the age at the act,
 * detention is always refused (`age-at-act-unknown`): only the age at the act can exclude Pasal 21. "Allowed"
 * means Pasal 32 ayat (2) does not bar it; a guarantee by the parents (ayat (1)) and the last-resort principle
 * still apply.
 */
export const detention = (
  input: { readonly ageAtAct?: number; readonly ageNow?: number; readonly threatenedPenaltyYears: number },
  policy: SppaPolicy = defaultSppaPolicy
): Result.Result<DetentionDecision, Input.InvalidInput> =>
  Result.gen(function* () {
    const penalty = yield* checkPenalty(input.threatenedPenaltyYears)
    const atAct = input.ageAtAct === undefined ? undefined : yield* checkAge("ageAtAct", input.ageAtAct)
    const now = input.ageNow === undefined ? undefined : yield* checkAge("ageNow", input.ageNow)
    if (atAct === undefined && now === undefined) {
      return yield* Input.fail("ageAtAct", undefined, "give the age at the act, the age now, or both")
    }
    if (atAct !== undefined && atAct >= policy.childAgeLimit) {
      return yield* Input.fail(
        "ageAtAct",
        atAct,
        `UU 11/2012 applies only to acts committed before ${policy.childAgeLimit} (Pasal 1 angka 3)`
      )
    }
    if (atAct !== undefined && now !== undefined && now < atAct) {
      // Neither age is repeated: both are a child's exact ages.
      return yield* Input.fail("ageNow", now, "is below the age at the act: ages do not go down")
    }
    const known = [atAct, now].filter((age): age is number => age !== undefined)
    const ageConsidered = policy.detentionAgeReference === "now" ? (now ?? Math.min(...known)) : Math.min(...known)
    // Under 12 at the act: certain when the age at the act says so, or when the child is under 12 even now.
    const under12 = atAct !== undefined ? atAct < policy.minimumAge : (now as number) < policy.minimumAge
    if (under12) {
      return {
        allowed: false,
        failed: ["under-12"] as Array<DetentionFailure>,
        ageConsidered,
        reason: `under ${policy.minimumAge} at the act: no detention path exists, only the Pasal 21 decisions`,
        rule: "SPPA-UNDER-12" as const,
        basis: ruleBasis["SPPA-UNDER-12"]
      }
    }
    const failed: Array<DetentionFailure> = []
    const why: Array<string> = []
    if (atAct === undefined) {
      failed.push("age-at-act-unknown")
      why.push(`the age at the act is unknown, so a child under ${policy.minimumAge} at the act cannot be excluded`)
    }
    if (ageConsidered < policy.detentionMinimumAge) {
      failed.push("age")
      why.push(`the child is ${ageConsidered}, under ${policy.detentionMinimumAge}`)
    }
    if (penalty < policy.detentionMinimumPenaltyYears) {
      failed.push("penalty")
      why.push(`the threatened penalty ${penalty} years is under ${policy.detentionMinimumPenaltyYears}`)
    }
    const allowed = failed.length === 0
    return {
      allowed,
      failed,
      ageConsidered,
      reason: allowed
        ? `the child is ${ageConsidered} (at least ${policy.detentionMinimumAge}) and the threatened penalty is ${penalty} years (at least ${policy.detentionMinimumPenaltyYears}): Pasal 32 ayat (2) does not bar detention; it stays a last resort and is excluded when a guarantee is given`
        : `detention rejected: ${why.join("; ")}`,
      rule: "SPPA-DETENTION" as const,
      basis: ruleBasis["SPPA-DETENTION"]
    }
  })

/** Whether a child's identity is confidential: always, for every role. */
export const ConfidentialityDecision = Schema.Struct({
  role: AbhRole,
  confidential: Schema.Literal(true),
  /** What counts as identity (Pasal 19 ayat (2)). */
  identity: Basis.Label,
  reason: Reason,
  rule: Schema.Literal("SPPA-CONFIDENTIALITY"),
  basis: RuleBasis
}).annotate({ identifier: "SppaConfidentialityDecision" })

/** See {@link ConfidentialityDecision}. */
export type ConfidentialityDecision = typeof ConfidentialityDecision.Type

/**
 * Identity confidentiality (Pasal 19; UU 35/2014 Pasal 64 huruf i): the identity of every Anak, Anak Korban and
 * Anak Saksi is secret. True for every role; fails only for a value that is not a role.
 */
export const identityConfidential = (role: AbhRole): Result.Result<ConfidentialityDecision, Input.InvalidInput> =>
  Result.map(parseRole(role), (checked) => ({
    role: checked,
    confidential: true as const,
    identity: Basis.label(
      "Nama Anak, nama orang tua, alamat, wajah, dan hal lain yang dapat mengungkapkan jati diri Anak",
      "The child's name, the parents' names, address, face and anything else that could reveal who the child is"
    ),
    reason: `the identity of an ${checked} is kept secret in all media and is never put in events, logs, exports or messages`,
    rule: "SPPA-CONFIDENTIALITY" as const,
    basis: ruleBasis["SPPA-CONFIDENTIALITY"]
  }))

/** Where a case is tried. */
export const Forum = Schema.Literals(["childrens-court", "ordinary-court", "no-prosecution"]).annotate({
  identifier: "SppaForum",
  description:
    "childrens-court: sidang Anak; ordinary-court: not (or no longer) a children's case; no-prosecution: under 12 at the act (Pasal 21)"
})

/** See {@link Forum}. */
export type Forum = typeof Forum.Type

/** The forum of a case, with the ages it was decided on. */
export const CourtDecision = Schema.Struct({
  forum: Forum,
  childrensCourt: Schema.Boolean,
  ageAtAct: Schema.Int,
  ageAtTrial: Schema.Int,
  /** For an act at 12 to under 18: the last day a trial may start in the children's court (the day before 21). */
  childrensCourtLastDay: Schema.optionalKey(CalendarDate.CalendarDate),
  reason: Reason,
  rule: Schema.Literals(["SPPA-CHILDRENS-COURT", "SPPA-UNDER-12"]),
  basis: RuleBasis
}).annotate({ identifier: "SppaCourtDecision" })

/** See {@link CourtDecision}. */
export type CourtDecision = typeof CourtDecision.Type

/**
 * The forum (Pasal 20): an act before 18 brought to trial before 21 is tried in the children's court; an act at
 * 18 or older, or a trial at 21 or older, is not; an act before 12 is not prosecuted (Pasal 21). `trialDate` is the
 * day the case is brought to trial (diajukan ke sidang pengadilan).
 */
export const court = (
  input: { readonly birthDate: string; readonly actDate: string; readonly trialDate: string },
  policy: SppaPolicy = defaultSppaPolicy
): Result.Result<CourtDecision, Input.InvalidInput> =>
  Result.gen(function* () {
    const birth = yield* checkDate("birthDate", input.birthDate)
    const act = yield* checkDate("actDate", input.actDate)
    const trial = yield* checkDate("trialDate", input.trialDate)
    if (CalendarDate.compare(act, birth) < 0) return yield* Input.fail("actDate", act, "is before the birth date")
    if (CalendarDate.compare(trial, act) < 0) return yield* Input.fail("trialDate", trial, `is before the act ${act}`)
    const atAct = yield* CalendarDate.ageOn(birth, act, policy.agePolicy)
    const atTrial = yield* CalendarDate.ageOn(birth, trial, policy.agePolicy)
    const ages = { ageAtAct: atAct, ageAtTrial: atTrial }
    if (atAct < policy.minimumAge) {
      return {
        forum: "no-prosecution" as const,
        childrensCourt: false,
        ...ages,
        reason: `${atAct} at the act, under ${policy.minimumAge}: no prosecution, only the Pasal 21 decisions`,
        rule: "SPPA-UNDER-12" as const,
        basis: ruleBasis["SPPA-UNDER-12"]
      }
    }
    const decided = { rule: "SPPA-CHILDRENS-COURT" as const, basis: ruleBasis["SPPA-CHILDRENS-COURT"] }
    if (atAct >= policy.childAgeLimit) {
      return {
        forum: "ordinary-court" as const,
        childrensCourt: false,
        ...ages,
        reason: `${atAct} at the act: not an Anak under UU 11/2012`,
        ...decided
      }
    }
    const lastDay = CalendarDate.addDays(
      CalendarDate.dateOfAge(birth, policy.childrensCourtAgeLimit, policy.agePolicy),
      -1
    )
    const childrens = atTrial < policy.childrensCourtAgeLimit
    return {
      forum: childrens ? ("childrens-court" as const) : ("ordinary-court" as const),
      childrensCourt: childrens,
      ...ages,
      childrensCourtLastDay: lastDay,
      reason: childrens
        ? atTrial < policy.childAgeLimit
          ? `${atAct} at the act and ${atTrial} at trial: an Anak is tried in the children's court`
          : `${atAct} at the act and ${atTrial} at trial (${policy.childAgeLimit} to under ${policy.childrensCourtAgeLimit}): the case stays in the children's court (Pasal 20)`
        : `${atAct} at the act but ${atTrial} at trial: Pasal 20 keeps the children's court only until ${policy.childrensCourtAgeLimit}`,
      ...decided
    }
  })

// ---------------------------------------------------------------------------------------------------------------
// Diversion agreements and sentences

/** The forms a diversion agreement may take (Pasal 11, "antara lain": the list is open, hence `other`), with labels. */
export const diversionForms = {
  reconciliation: Basis.label(
    "Perdamaian dengan atau tanpa ganti kerugian",
    "Reconciliation, with or without compensation"
  ),
  "return-to-parents": Basis.label("Penyerahan kembali kepada orang tua/Wali", "Return to the parents or wali"),
  "education-or-training": Basis.label(
    "Keikutsertaan dalam pendidikan atau pelatihan di lembaga pendidikan atau LPKS",
    "Education or training at an educational institution or an LPKS"
  ),
  "community-service": Basis.label("Pelayanan masyarakat", "Community service"),
  other: Basis.label("Bentuk lain yang disepakati", "Another form agreed")
} as const

/** Why a diversion agreement needs no consent of the victim (Pasal 9 ayat (2) huruf a–d), with labels. */
export const consentExceptions = {
  pelanggaran: Basis.label("Pelanggaran", "A minor offence (pelanggaran)"),
  "tindak-pidana-ringan": Basis.label("Tindak pidana ringan", "A petty crime"),
  "without-victim": Basis.label("Tindak pidana tanpa korban", "A crime without a victim"),
  "loss-within-minimum-wage": Basis.label(
    "Nilai kerugian korban tidak lebih dari upah minimum provinsi setempat",
    "The victim's loss is not above the provincial minimum wage"
  )
} as const

/** The pidana (penalties) a child may be given (Pasal 71 ayat (1)), with labels. */
export const penalties = {
  warning: Basis.label("Pidana peringatan", "Warning"),
  conditional: Basis.label(
    "Pidana dengan syarat (pembinaan di luar lembaga, pelayanan masyarakat, pengawasan)",
    "Conditional (guidance outside an institution, community service, supervision)"
  ),
  "work-training": Basis.label("Pelatihan kerja", "Work training"),
  "institutional-guidance": Basis.label("Pembinaan dalam lembaga", "Guidance in an institution"),
  imprisonment: Basis.label("Penjara", "Imprisonment")
} as const

/** The tindakan (measures) a child may be given (Pasal 82 ayat (1)), with labels. */
export const measures = {
  "return-to-parents": Basis.label("Pengembalian kepada orang tua/Wali", "Return to the parents or wali"),
  "handover-to-a-person": Basis.label("Penyerahan kepada seseorang", "Handover to a person"),
  "psychiatric-care": Basis.label("Perawatan di rumah sakit jiwa", "Care in a psychiatric hospital"),
  "lpks-care": Basis.label("Perawatan di LPKS", "Care at an LPKS"),
  "education-or-training": Basis.label(
    "Kewajiban mengikuti pendidikan formal dan/atau pelatihan",
    "Formal education or training"
  ),
  "licence-revocation": Basis.label("Pencabutan surat izin mengemudi", "Revocation of a driving licence"),
  repair: Basis.label("Perbaikan akibat tindak pidana", "Repairing the harm done")
} as const

/**
 * The longest imprisonment, in months, a child may be given for an act whose adult maximum is `adultMaximum`
 * (Pasal 81 (2) and (6)): half the adult maximum, or 10 years for an act punishable by death or life.
 */
export const imprisonmentLimitMonths = (
  adultMaximum: { readonly _tag: "years"; readonly years: number } | { readonly _tag: "death-or-life" },
  policy: SppaPolicy = defaultSppaPolicy
): number =>
  adultMaximum._tag === "death-or-life"
    ? policy.imprisonmentMaximumForDeathOrLifeYears * 12
    : Math.floor(adultMaximum.years * 12 * policy.imprisonmentShareOfAdultMaximum)
