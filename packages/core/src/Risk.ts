/**
 * Risk levels and the structured risk assessment of a case.
 *
 * No Indonesian regulation fixes risk levels. Kemensos speaks of risk-based child protection ("perlindungan anak
 * berdasarkan tingkat risiko", seed 004), and a UNICEF-supported scheme in Sulawesi Selatan uses three levels:
 * *rendah* (handled by the village child-protection team), *sedang* (coordinated with UPTD PPA) and *tinggi*
 * (sexual violence, trafficking, confinement: immediate referral to police, medical and rehabilitation services).
 *
 * An assessment is a list of coded factors. A *red-flag* factor makes the computed level `tinggi` on its own;
 * the other factors ("concerns") carry points, and a case whose points reach {@link RiskPolicy.sedangThreshold}
 * is `sedang`. Which factors are red flags (beyond the scheme's own: sexual violence, trafficking, confinement), the
 * weights and the threshold are a typed, overridable {@link RiskPolicy}.
 *
 * A caseworker may set a level different from the computed one only with a written reason; a level below the
 * computed one needs a supervisor's approval ({@link setLevel}).
 *
 * @example
 * ```ts
 * import { Risk } from "@lindung/core"
 *
 * // Seed 000: sexual violence by a family member who still has access to the children.
 * const outcome = Risk.assess({ factors: ["sexual-violence", "perpetrator-has-access"] })
 * outcome.computed // "tinggi"
 * outcome.redFlags // ["sexual-violence", "perpetrator-has-access"]
 *
 * Risk.setLevel({ computed: "tinggi", chosen: "sedang", reason: "perpetrator detained; child with grandmother" })
 * // Result.succeed({ ..., direction: "lowered", needsSupervisorApproval: true })
 * ```
 *
 * @since 0.1.0
 */
import { type Order as Ord, Result, Schema } from "effect"
import * as Basis from "./Basis.js"
import * as Input from "./Input.js"

// ---------------------------------------------------------------------------------------------------------------
// Levels
// ---------------------------------------------------------------------------------------------------------------

/** The three risk levels, from the lowest to the highest. */
export const levels = ["rendah", "sedang", "tinggi"] as const

/** Schema of a risk level. */
export const Level = Schema.Literals(levels).annotate({
  identifier: "RiskLevel",
  description: "Tingkat risiko: rendah (low), sedang (medium) or tinggi (high)"
})

/** A risk level: `rendah` < `sedang` < `tinggi`. */
export type Level = typeof Level.Type

/** The name of each level in Indonesian and English. */
export const labels: { readonly [L in Level]: Basis.Label } = {
  rendah: Basis.label("Rendah", "Low"),
  sedang: Basis.label("Sedang", "Medium"),
  tinggi: Basis.label("Tinggi", "High")
}

/** Who handles a case of each level in the UNICEF-supported Sulawesi Selatan scheme. */
export const responses: { readonly [L in Level]: Basis.Label } = {
  rendah: Basis.label("Ditangani tim perlindungan anak desa", "Handled by the village child-protection team"),
  sedang: Basis.label("Ditangani berkoordinasi dengan UPTD PPA", "Handled in coordination with UPTD PPA"),
  tinggi: Basis.label(
    "Rujukan segera ke kepolisian, layanan medis dan rehabilitasi",
    "Immediate referral to police, medical and rehabilitation services"
  )
}

/** The source of the three levels. */
export const sulselScheme: Basis.Basis = Basis.verified(
  "UNICEF-supported child-protection scheme, Sulawesi Selatan",
  undefined,
  "three levels: rendah (village team), sedang (with UPTD PPA), tinggi (sexual violence, trafficking, confinement: immediate referral)"
)

/** Kemensos' risk-based child protection (seed 004): practice, not a regulation. */
export const kemensosRiskBased: Basis.Basis = Basis.policyDefault(
  "Kemensos, Ditjen Rehabilitasi Sosial",
  undefined,
  "perlindungan anak berdasarkan tingkat risiko; high-risk child cases first (webinar with LPAI, 19 August 2020, seed 004)"
)

/** The Lindung domain rule for risk (docs/domain.md §5). */
export const domainRule: Basis.Basis = Basis.policyDefault(
  "Lindung domain rules (docs/domain.md)",
  "§5 Risk",
  "no Indonesian regulation fixes risk levels or response times"
)

/** The position of a level: 0 for `rendah`, 2 for `tinggi`. */
export const rank = (level: Level): 0 | 1 | 2 => levels.indexOf(level) as 0 | 1 | 2

/** Compares two levels: negative when `left` is lower, 0 when equal, positive when higher. */
export const compare = (left: Level, right: Level): -1 | 0 | 1 => Math.sign(rank(left) - rank(right)) as -1 | 0 | 1

/** The order on levels as an effect `Order`, for `Array.sort` and friends. */
export const Order: Ord.Order<Level> = (left, right) => compare(left, right)

/** The highest of the given levels; `rendah` (the lowest level) when none is given. */
export const max = (...given: ReadonlyArray<Level>): Level =>
  given.reduce<Level>((highest, level) => (compare(level, highest) > 0 ? level : highest), "rendah")

// ---------------------------------------------------------------------------------------------------------------
// Factors
// ---------------------------------------------------------------------------------------------------------------

/**
 * The catalogue's red-flag factors (the default policy's): any one of them makes the computed level `tinggi`. A
 * policy may hold fewer of them (never fewer than {@link schemeRedFlags}), or more factors ({@link RiskPolicy.redFlags}).
 */
export const redFlagCodes = [
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
] as const

/** The catalogue's concern factors: they carry points toward `sedang` ({@link RiskPolicy}); a policy may make them red flags. */
export const concernCodes = [
  "physical-or-psychological-violence",
  "repeated-neglect",
  "economic-exploitation",
  "child-marriage",
  "substance-use",
  "out-of-home",
  "out-of-school",
  "previous-reports",
  "family-conflict",
  "carer-impaired",
  "disability-without-support",
  "in-conflict-with-law"
] as const

/** Schema of a red-flag factor code. */
export const RedFlag = Schema.Literals(redFlagCodes).annotate({
  identifier: "RiskRedFlag",
  description:
    "A red flag of the catalogue: a factor that makes the computed level tinggi on its own (unless the risk policy makes it a concern)"
})

/** A red-flag factor code. */
export type RedFlag = typeof RedFlag.Type

/** Schema of a concern factor code. */
export const Concern = Schema.Literals(concernCodes).annotate({
  identifier: "RiskConcern",
  description:
    "A concern of the catalogue: a factor that carries points toward sedang (unless the risk policy makes it a red flag)"
})

/** A concern factor code. */
export type Concern = typeof Concern.Type

/** Every factor code, red flags first. */
export const factorCodes = [...redFlagCodes, ...concernCodes] as const

/** Schema of a factor code. */
export const FactorCode = Schema.Literals(factorCodes).annotate({
  identifier: "RiskFactorCode",
  description: "A coded risk factor of the structured assessment (lowercase-kebab)"
})

/** A factor code. */
export type FactorCode = typeof FactorCode.Type

const redFlagSet: ReadonlySet<string> = new Set(redFlagCodes)

/** The position of each factor among {@link factorCodes} (at most 32: a bit each). */
const factorIndex: ReadonlyMap<string, number> = new Map(factorCodes.map((code, index) => [code, index]))

/** Whether a factor code is a red flag of the catalogue (the default policy's; see {@link redFlagsOf}). */
export const isRedFlag = (code: FactorCode): code is RedFlag => redFlagSet.has(code)

/**
 * The red flags no policy removes: the tinggi factors of the Sulawesi Selatan scheme ({@link sulselScheme}:
 * sexual violence, trafficking, confinement). The others rest on practice, and a deployment may make them concerns.
 */
export const schemeRedFlags = [
  "sexual-violence",
  "trafficking",
  "confinement"
] as const satisfies ReadonlyArray<RedFlag>

/** A red flag of the scheme (see {@link schemeRedFlags}). */
export type SchemeRedFlag = (typeof schemeRedFlags)[number]

/**
 * What a factor contributes: a red flag raises the computed level to `tinggi`; a concern adds points toward
 * `sedang`.
 */
export const Contribution = Schema.Union([
  Schema.Struct({ kind: Schema.Literal("red-flag"), level: Schema.Literal("tinggi") }),
  Schema.Struct({ kind: Schema.Literal("points"), points: Schema.Finite.check(Schema.isGreaterThanOrEqualTo(0)) })
]).annotate({
  identifier: "RiskContribution",
  description: "red-flag: raises the level to tinggi; points: adds points toward sedang"
})

/** See {@link Contribution}. */
export type Contribution = typeof Contribution.Type

/**
 * A factor of the catalogue: its code, label, whether it is a red flag by default, its default contribution and
 * basis (the policy decides which factors are red flags in force: {@link redFlagsOf}).
 */
export const Factor = Schema.Struct({
  code: FactorCode,
  label: Basis.Label,
  redFlag: Schema.Boolean,
  /** For a red flag `{ kind: "red-flag" }`; for a concern its default points (the policy may change them). */
  contribution: Contribution,
  basis: Schema.NonEmptyArray(Basis.Basis)
}).annotate({ identifier: "RiskFactor", description: "A coded risk factor with its label, contribution and basis" })

/** See {@link Factor}. */
export type Factor = typeof Factor.Type

const ampk = (letter: string, note: string): Basis.Basis =>
  Basis.verified("UU 35/2014", `Pasal 59 ayat (2) huruf ${letter}`, note)

const practice = (note: string): Basis.Basis => Basis.policyDefault("Lindung risk policy", undefined, note)

const redFlag = (code: RedFlag, label: Basis.Label, basis: readonly [Basis.Basis, ...Array<Basis.Basis>]): Factor => ({
  code,
  label,
  redFlag: true,
  contribution: { kind: "red-flag", level: "tinggi" },
  basis
})

const concern = (
  code: Concern,
  label: Basis.Label,
  points: number,
  basis: readonly [Basis.Basis, ...Array<Basis.Basis>]
): Factor => ({ code, label, redFlag: false, contribution: { kind: "points", points }, basis })

/**
 * The catalogue of factors. Red flags follow the Sulawesi Selatan scheme (sexual violence, trafficking,
 * confinement) and common child-protection practice; concerns carry their default points (1 or 2; the default
 * threshold is 2, so one serious concern or two lesser ones make a case `sedang`).
 */
export const factors: ReadonlyArray<Factor> = [
  redFlag("sexual-violence", Basis.label("Kekerasan seksual", "Sexual violence"), [
    sulselScheme,
    ampk("j", "anak korban kejahatan seksual")
  ]),
  redFlag("sexual-exploitation", Basis.label("Eksploitasi seksual", "Sexual exploitation"), [
    ampk("d", "anak yang dieksploitasi secara ekonomi dan/atau seksual"),
    practice("treated like sexual violence in the Sulawesi Selatan scheme's tinggi level")
  ]),
  redFlag("trafficking", Basis.label("Perdagangan orang", "Trafficking"), [
    sulselScheme,
    ampk("h", "anak korban penculikan, penjualan, dan/atau perdagangan")
  ]),
  redFlag("abduction", Basis.label("Penculikan", "Abduction"), [
    ampk("h", "anak korban penculikan, penjualan, dan/atau perdagangan"),
    practice("abduction is handled like trafficking")
  ]),
  redFlag("confinement", Basis.label("Penyekapan", "Confinement"), [sulselScheme]),
  redFlag(
    "imminent-danger",
    Basis.label("Bahaya yang mengancam keselamatan anak saat ini", "Imminent danger to the child's life or safety"),
    [practice("an immediate threat to life or safety needs the fastest response")]
  ),
  redFlag(
    "perpetrator-has-access",
    Basis.label("Terduga pelaku masih memiliki akses ke anak", "The alleged perpetrator still has access to the child"),
    [practice("abuse inside the family (seed 000): the child is not safe while the alleged perpetrator can reach them")]
  ),
  redFlag(
    "under-five-without-protective-carer",
    Basis.label("Anak di bawah 5 tahun tanpa pengasuh yang melindungi", "Child under 5 without a protective carer"),
    [
      Basis.verified("Permensos 8/2012", undefined, "PPKS 1: Anak Balita Telantar"),
      practice("a young child cannot protect themselves")
    ]
  ),
  redFlag(
    "serious-injury",
    Basis.label("Luka serius yang memerlukan perawatan medis", "Serious injury needing medical care"),
    [ampk("i", "anak korban kekerasan fisik dan/atau psikis"), practice("medical care cannot wait")]
  ),
  redFlag("suicide-risk", Basis.label("Risiko bunuh diri atau melukai diri", "Risk of suicide or self-harm"), [
    practice("immediate referral to mental-health services")
  ]),
  concern(
    "physical-or-psychological-violence",
    Basis.label(
      "Kekerasan fisik atau psikis tanpa luka serius",
      "Physical or psychological violence, no serious injury"
    ),
    2,
    [ampk("i", "anak korban kekerasan fisik dan/atau psikis")]
  ),
  concern("repeated-neglect", Basis.label("Penelantaran berulang", "Repeated neglect"), 2, [
    ampk("m", "anak korban perlakuan salah dan penelantaran")
  ]),
  concern(
    "economic-exploitation",
    Basis.label("Eksploitasi ekonomi atau pekerja anak", "Economic exploitation or child labour"),
    2,
    [ampk("d", "anak yang dieksploitasi secara ekonomi dan/atau seksual")]
  ),
  concern(
    "child-marriage",
    Basis.label("Perkawinan anak atau rencana perkawinan anak", "Child marriage, or one being arranged"),
    2,
    [practice("seed 003: Dinsos NTB accompanies child-marriage cases")]
  ),
  concern("substance-use", Basis.label("Penyalahgunaan NAPZA oleh anak", "Substance use by the child"), 2, [
    ampk("e", "anak korban penyalahgunaan narkotika, alkohol, psikotropika, dan zat adiktif lainnya")
  ]),
  concern(
    "out-of-home",
    Basis.label(
      "Anak di luar rumah (jalanan, tanpa tempat tinggal tetap)",
      "Child out of home (street, no fixed home)"
    ),
    2,
    [Basis.verified("Permensos 8/2012", undefined, "PPKS 4: Anak Jalanan")]
  ),
  concern("out-of-school", Basis.label("Tidak bersekolah atau putus sekolah", "Not in school or dropped out"), 1, [
    practice("seed 001: schooling is a referral target (Dinas Pendidikan)")
  ]),
  concern(
    "previous-reports",
    Basis.label("Laporan sebelumnya tentang anak atau keluarga", "Previous reports about the child or family"),
    1,
    [practice("a repeated report signals a pattern")]
  ),
  concern("family-conflict", Basis.label("Konflik dalam keluarga", "Family conflict"), 1, [
    Basis.verified("Permensos 8/2012", undefined, "PPKS 25: Keluarga Bermasalah Sosial Psikologis")
  ]),
  concern(
    "carer-impaired",
    Basis.label(
      "Pengasuh tidak mampu mengasuh (sakit, NAPZA, gangguan jiwa)",
      "Carer unable to care (illness, substance use, mental disorder)"
    ),
    1,
    [practice("the carer's capacity is part of every child-protection assessment")]
  ),
  concern(
    "disability-without-support",
    Basis.label("Disabilitas tanpa dukungan yang memadai", "Disability without adequate support"),
    1,
    [ampk("l", "anak penyandang disabilitas")]
  ),
  concern("in-conflict-with-law", Basis.label("Anak berkonflik dengan hukum", "Child in conflict with the law"), 1, [
    ampk("b", "anak yang berhadapan dengan hukum")
  ])
]

/** The catalogue entry of a factor code. */
export const factor = (code: FactorCode): Factor => {
  const found = factors.find((entry) => entry.code === code)
  // Every code has an entry (tested), so this cannot happen for a typed code.
  if (found === undefined) throw Input.invalid("factor", code, "is not in the catalogue of risk factors")
  return found
}

// ---------------------------------------------------------------------------------------------------------------
// Policy
// ---------------------------------------------------------------------------------------------------------------

/**
 * The points of every concern factor, and of the catalogue's red flags a policy makes concerns (a red flag without
 * points of its own counts {@link DEMOTED_RED_FLAG_POINTS}).
 */
export type Weights = { readonly [C in Concern]: number } & { readonly [R in RedFlag]?: number }

/** Which factors are red flags and how the others add up to a level: a typed, overridable policy. */
export interface RiskPolicy {
  /** The points at which a case without red flags becomes `sedang`. Positive and finite. */
  readonly sedangThreshold: number
  /** The points each factor that is not a red flag adds. Non-negative and finite. */
  readonly weights: Weights
  /**
   * The red flags in force (default: the catalogue's, {@link redFlagCodes}); they must include
   * {@link schemeRedFlags}. A factor not listed is a concern and adds its points.
   */
  readonly redFlags?: ReadonlyArray<FactorCode>
}

/**
 * The points of a catalogue red flag that a policy makes a concern, unless the policy gives it points: a serious
 * concern's (2), so that such a factor alone still makes a case `sedang` at the default threshold.
 */
export const DEMOTED_RED_FLAG_POINTS = 2

const defaultWeights = Object.fromEntries(
  factors.flatMap((entry) => (entry.contribution.kind === "points" ? [[entry.code, entry.contribution.points]] : []))
) as unknown as Weights

/** The default policy: threshold 2; serious concerns 2 points, lesser ones 1 (see {@link factors}). */
export const defaultRiskPolicy: RiskPolicy = { sedangThreshold: 2, weights: defaultWeights }

/**
 * The red flags in force, as a set, by the list they were made from (a copy of a policy shares its list: looked up,
 * not built again). `makeRiskPolicy` freezes the lists it makes; a list changed in place is not seen.
 */
const redFlagSets = new WeakMap<ReadonlyArray<FactorCode>, ReadonlySet<FactorCode>>()

/** The red flags in force under a policy: its own list, or the catalogue's. */
export const redFlagsOf = (policy: RiskPolicy = defaultRiskPolicy): ReadonlySet<FactorCode> => {
  const list = policy.redFlags
  if (list === undefined) return redFlagSet as ReadonlySet<FactorCode>
  const known = redFlagSets.get(list)
  if (known !== undefined) return known
  const set: ReadonlySet<FactorCode> = new Set(list)
  redFlagSets.set(list, set)
  return set
}

/**
 * The points a factor adds under a policy when it is not a red flag there: its weight; a catalogue red flag without
 * one {@link DEMOTED_RED_FLAG_POINTS}; a concern without one (a policy built in code and never checked) nothing.
 */
const pointsOf = (policy: RiskPolicy, code: FactorCode): number =>
  (policy.weights as Readonly<Record<string, number | undefined>>)[code] ??
  (isRedFlag(code) ? DEMOTED_RED_FLAG_POINTS : 0)

/** The basis of {@link defaultRiskPolicy}. */
export const riskPolicyBasis: Basis.Basis = Basis.policyDefault(
  "Lindung risk policy",
  undefined,
  "the three levels follow the UNICEF-supported Sulawesi Selatan scheme; the red flags beyond the scheme's, the weights and the threshold are practice (overridable): one serious concern or two lesser ones make a case sedang"
)

const NonNegative = Schema.Finite.check(Schema.isGreaterThanOrEqualTo(0))

/** Overrides of a {@link RiskPolicy}, as they come from a deployment's configuration (plain JSON numbers). */
export const RiskPolicyOverrides = Schema.Struct({
  sedangThreshold: Schema.optionalKey(Schema.Finite.check(Schema.isGreaterThan(0))),
  weights: Schema.optionalKey(
    Schema.Struct(
      // Points for every factor that can be a concern: the scheme's red flags never are.
      Object.fromEntries(
        factorCodes
          .filter((code) => !(schemeRedFlags as ReadonlyArray<string>).includes(code))
          .map((code) => [code, Schema.optionalKey(NonNegative)])
      ) as { readonly [C in Exclude<FactorCode, SchemeRedFlag>]: Schema.optionalKey<typeof NonNegative> }
    )
  ),
  redFlags: Schema.optionalKey(
    Schema.Array(FactorCode).check(
      Schema.isUnique({ description: "each factor at most once" }),
      Schema.makeFilter(
        (codes: ReadonlyArray<string>) =>
          schemeRedFlags.every((code) => codes.includes(code)) ||
          `must include the scheme's red flags (${schemeRedFlags.join(", ")})`
      )
    )
  )
}).annotate({
  identifier: "RiskPolicyOverrides",
  description:
    "Overrides of the risk policy: sedangThreshold (> 0), the points of factors that are concerns (>= 0), and the red flags in force (the complete list; it keeps the scheme's)"
})

/** See {@link RiskPolicyOverrides}. */
export type RiskPolicyOverrides = typeof RiskPolicyOverrides.Type

/** A risk policy that cannot be used: the field and what is wrong with it. */
export class InvalidRiskPolicy extends Schema.TaggedError<InvalidRiskPolicy>()("InvalidRiskPolicy", {
  field: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `Invalid risk policy ${this.field}: ${this.reason}`
  }
}

/**
 * Checks a risk policy: a positive, finite `sedang` threshold, and a finite, non-negative weight for every concern
 * factor (a policy built in code may skip {@link makeRiskPolicy}'s checks; servers check the policy they are given).
 */
export const validatePolicy = (policy: RiskPolicy): Result.Result<RiskPolicy, InvalidRiskPolicy> => {
  const threshold = policy.sedangThreshold
  if (!(Number.isFinite(threshold) && threshold > 0)) {
    return Result.fail(
      new InvalidRiskPolicy({ field: "sedangThreshold", reason: `${threshold} is not a number above 0` })
    )
  }
  const weights = policy.weights as Readonly<Record<string, number | undefined>>
  for (const code of factorCodes) {
    const weight = weights[code]
    if (weight === undefined && isRedFlag(code)) continue
    if (!(weight !== undefined && Number.isFinite(weight) && weight >= 0)) {
      return Result.fail(
        new InvalidRiskPolicy({ field: `weights.${code}`, reason: `${weight} is not a number of points from 0` })
      )
    }
  }
  if (policy.redFlags !== undefined) {
    const listed = new Set<string>(policy.redFlags)
    const unknown = policy.redFlags.find((code) => !(factorCodes as ReadonlyArray<string>).includes(code))
    if (unknown !== undefined || listed.size !== policy.redFlags.length) {
      return Result.fail(
        new InvalidRiskPolicy({ field: "redFlags", reason: "lists a factor twice, or a code that is no factor" })
      )
    }
    const missing = schemeRedFlags.filter((code) => !listed.has(code))
    if (missing.length > 0) {
      return Result.fail(
        new InvalidRiskPolicy({ field: "redFlags", reason: `leaves out the scheme's red flags ${missing.join(", ")}` })
      )
    }
  }
  return Result.succeed(policy)
}

/**
 * Builds a policy from `base` (the default policy unless given) and overrides. Rejects, with an
 * {@link Input.InvalidInput}, a threshold that is not a positive finite number, a weight that is negative or not
 * finite, and an unknown key.
 */
export const makeRiskPolicy = (
  overrides: RiskPolicyOverrides,
  base: RiskPolicy = defaultRiskPolicy
): Result.Result<RiskPolicy, Input.InvalidInput> => {
  const decoded = Schema.decodeUnknownResult(RiskPolicyOverrides, { onExcessProperty: "error" })(overrides)
  if (Result.isFailure(decoded)) return Input.fail("riskPolicy", overrides, decoded.failure.message)
  const given = decoded.success.redFlags
  const redFlags = given === undefined ? base.redFlags : Object.freeze([...given])
  const policy: RiskPolicy = {
    sedangThreshold: decoded.success.sedangThreshold ?? base.sedangThreshold,
    weights: { ...base.weights, ...decoded.success.weights },
    ...(redFlags === undefined ? {} : { redFlags })
  }
  // Points for a factor the policy holds as a red flag would change nothing: refused, as a misunderstanding.
  const flags = redFlagsOf(policy)
  const pointless = Object.keys(decoded.success.weights ?? {}).find((code) => flags.has(code as FactorCode))
  return pointless === undefined
    ? Result.succeed(policy)
    : Input.fail("riskPolicy", overrides, `weights.${pointless}: a red flag of the policy carries no points`)
}

// ---------------------------------------------------------------------------------------------------------------
// Assessment
// ---------------------------------------------------------------------------------------------------------------

/** A structured risk assessment: the factors found. It names no person. */
export const Assessment = Schema.Struct({
  factors: Schema.Array(FactorCode).annotateKey({
    description: "The factors found; a factor listed twice counts once"
  })
}).annotate({ identifier: "RiskAssessment", description: "A structured risk assessment: the coded factors found" })

/** See {@link Assessment}. */
export type Assessment = typeof Assessment.Type

/** Checks unknown input (e.g. a request body) and returns an {@link Assessment} or an {@link Input.InvalidInput}. */
export const decodeAssessment = Input.decode(Assessment, "assessment")

/** One factor found and what it contributed. */
export const Reason = Schema.Struct({ factor: FactorCode, contribution: Contribution }).annotate({
  identifier: "RiskReason",
  description: "A factor found in the assessment and what it contributed"
})

/** See {@link Reason}. */
export type Reason = typeof Reason.Type

/** The result of {@link assess}: the computed level and why. */
export const Outcome = Schema.Struct({
  computed: Level,
  /** The sum of the concern points (red flags add none). */
  score: Schema.Finite,
  /** The threshold used for `sedang`. */
  sedangThreshold: Schema.Finite,
  /** Every distinct factor found, in catalogue order, with its contribution. */
  reasons: Schema.Array(Reason),
  /** The red flags found (those the policy holds as red flags), in catalogue order. */
  redFlags: Schema.Array(FactorCode)
}).annotate({ identifier: "RiskOutcome", description: "The computed risk level of an assessment and its reasons" })

/** See {@link Outcome}. */
export type Outcome = typeof Outcome.Type

/**
 * Computes the level of an assessment (rule `RISK-RED-FLAG`, `RISK-CONCERN-THRESHOLD`): `tinggi` when any red flag
 * is present; otherwise `sedang` when the concern points reach the policy threshold; otherwise `rendah`.
 * Adding a factor never lowers the result as long as the policy's weights are non-negative (which
 * {@link makeRiskPolicy} ensures).
 */
export const assess = (assessment: Assessment, policy: RiskPolicy = defaultRiskPolicy): Outcome => {
  const found = new Set(assessment.factors)
  const present = factorCodes.filter((code) => found.has(code))
  const flags = redFlagsOf(policy)
  const reasons = present.map(
    (code): Reason => ({
      factor: code,
      contribution: flags.has(code)
        ? { kind: "red-flag", level: "tinggi" }
        : { kind: "points", points: pointsOf(policy, code) }
    })
  )
  const redFlags = present.filter((code) => flags.has(code))
  const score = reasons.reduce(
    (sum, reason) => (reason.contribution.kind === "points" ? sum + reason.contribution.points : sum),
    0
  )
  const computed: Level = redFlags.length > 0 ? "tinggi" : score >= policy.sedangThreshold ? "sedang" : "rendah"
  return { computed, score, sedangThreshold: policy.sedangThreshold, reasons, redFlags }
}

/**
 * The level {@link assess} computes, without its reasons: what the decider reads on every assessment (no
 * allocation). A factor given twice counts once, as in `assess`.
 *
 * @example
 * ```ts
 * Risk.computedLevel(["out-of-school"]) // "rendah"
 * ```
 */
export const computedLevel = (factors: ReadonlyArray<FactorCode>, policy: RiskPolicy = defaultRiskPolicy): Level => {
  const flags = redFlagsOf(policy)
  // The factors present that are not red flags, as bits by their position (a factor given twice counts once).
  let present = 0
  for (let index = 0; index < factors.length; index++) {
    const code = factors[index] as FactorCode
    // A code that is no factor counts for nothing, as in `assess`.
    const position = factorIndex.get(code)
    if (position === undefined) continue
    if (flags.has(code)) return "tinggi"
    present |= 1 << position
  }
  // Summed in catalogue order, as `assess` sums them (the same sum, to the last bit).
  let score = 0
  for (let index = 0; present !== 0; index++, present >>>= 1) {
    if ((present & 1) === 1) score += pointsOf(policy, factorCodes[index] as FactorCode)
  }
  return score >= policy.sedangThreshold ? "sedang" : "rendah"
}

/** What an assessment records of its computed level: the level, and the facts of the policy that made it. */
export interface Measure {
  readonly computed: Level
  /** The concern points of the factors that are not red flags under the policy (as {@link Outcome.score}). */
  readonly score: number
  /** The policy's threshold for `sedang`. */
  readonly sedangThreshold: number
  /** The factors the policy holds as red flags, in catalogue order (as {@link Outcome.redFlags}). */
  readonly redFlags: ReadonlyArray<FactorCode>
}

const noRedFlags: ReadonlyArray<FactorCode> = Object.freeze([])

/**
 * The computed level with what the policy in force made of the factors — the red flags it held and the points of
 * the others — so that the history still explains a level after the policy changes. The same level, score and red
 * flags as {@link assess}, without the reasons.
 *
 * @example
 * ```ts
 * Risk.measure(["sexual-violence", "out-of-school"])
 * // { computed: "tinggi", score: 1, sedangThreshold: 2, redFlags: ["sexual-violence"] }
 * ```
 */
export const measure = (factors: ReadonlyArray<FactorCode>, policy: RiskPolicy = defaultRiskPolicy): Measure => {
  // The factors present, as bits by their position (a factor given twice counts once; a code that is no factor, none).
  let present = 0
  for (let index = 0; index < factors.length; index++) {
    const position = factorIndex.get(factors[index] as FactorCode)
    if (position !== undefined) present |= 1 << position
  }
  const flags = redFlagsOf(policy)
  let redFlags = noRedFlags
  let score = 0
  // In catalogue order, as `assess` lists and sums them.
  for (let index = 0; present !== 0; index++, present >>>= 1) {
    if ((present & 1) === 0) continue
    const code = factorCodes[index] as FactorCode
    if (flags.has(code)) redFlags = redFlags === noRedFlags ? [code] : [...redFlags, code]
    else score += pointsOf(policy, code)
  }
  const computed: Level = redFlags.length > 0 ? "tinggi" : score >= policy.sedangThreshold ? "sedang" : "rendah"
  return { computed, score, sedangThreshold: policy.sedangThreshold, redFlags }
}

// ---------------------------------------------------------------------------------------------------------------
// Setting a level
// ---------------------------------------------------------------------------------------------------------------

/** How a chosen level relates to the computed one. */
export const Direction = Schema.Literals(["unchanged", "raised", "lowered"]).annotate({
  identifier: "RiskDirection",
  description: "unchanged: the computed level; raised: above it; lowered: below it"
})

/** See {@link Direction}. */
export type Direction = typeof Direction.Type

/** A caseworker's decision on the level of a case. */
export const LevelDecision = Schema.Struct({
  computed: Level,
  chosen: Level,
  direction: Direction,
  /** The written reason; required when `chosen` differs from `computed`. */
  reason: Schema.optionalKey(Schema.NonEmptyString),
  /** True when the chosen level is below the computed one: a supervisor must approve it. */
  needsSupervisorApproval: Schema.Boolean
}).annotate({ identifier: "RiskLevelDecision", description: "A caseworker's risk level and why it differs" })

/** See {@link LevelDecision}. */
export type LevelDecision = typeof LevelDecision.Type

/** A level different from the computed one was chosen without a written reason (rule `RISK-OVERRIDE-REASON`). */
export class OverrideReasonRequired extends Schema.TaggedError<OverrideReasonRequired>()("OverrideReasonRequired", {
  rule: Schema.Literal("RISK-OVERRIDE-REASON"),
  computed: Level,
  chosen: Level
}) {
  override get message(): string {
    return `Rule RISK-OVERRIDE-REASON: ${overrideReasonMissing(this.computed, this.chosen)} (${Basis.format(domainRule)})`
  }
}

const overrideReasonMissing = (computed: Level, chosen: Level): string =>
  `setting the risk level to ${chosen} when the computed level is ${computed} needs a written reason`

/**
 * What `RISK-OVERRIDE-REASON` finds missing, in plain words, or `undefined` when the chosen level is the computed
 * one or has a non-empty reason. Plain data for the decider's guard: no error is built.
 */
export const missingOverrideReason = (input: {
  readonly computed: Level
  readonly chosen: Level
  readonly reason?: string | undefined
}): string | undefined =>
  input.chosen !== input.computed && (input.reason?.trim() ?? "") === ""
    ? overrideReasonMissing(input.computed, input.chosen)
    : undefined

/**
 * Records a caseworker's level. The computed level needs no reason. A different level needs a non-empty written
 * reason (`RISK-OVERRIDE-REASON`), else {@link OverrideReasonRequired}; a level below the computed one is marked
 * `needsSupervisorApproval` (`RISK-LOWER-APPROVAL`), a higher one is not. The reason is kept trimmed.
 */
export const setLevel = (input: {
  readonly computed: Level
  readonly chosen: Level
  readonly reason?: string | undefined
}): Result.Result<LevelDecision, OverrideReasonRequired> => {
  const { computed, chosen } = input
  if (missingOverrideReason(input) !== undefined) {
    return Result.fail(new OverrideReasonRequired({ rule: "RISK-OVERRIDE-REASON", computed, chosen }))
  }
  return Result.succeed(levelDecision(input))
}

/** The decision {@link setLevel} records once {@link missingOverrideReason} finds nothing missing (reason trimmed). */
const levelDecision = (input: {
  readonly computed: Level
  readonly chosen: Level
  readonly reason?: string | undefined
}): LevelDecision => {
  const { computed, chosen } = input
  const reason = input.reason?.trim() ?? ""
  const order = compare(chosen, computed)
  const direction = order === 0 ? "unchanged" : order > 0 ? "raised" : "lowered"
  return reason === ""
    ? { computed, chosen, direction, needsSupervisorApproval: order < 0 }
    : { computed, chosen, direction, reason, needsSupervisorApproval: order < 0 }
}

/**
 * The level that governs the case (deadlines, approvals): the chosen level, except that a lowered level counts
 * only once a supervisor has approved it; until then the computed (higher) level stands.
 */
export const effectiveLevel = (decision: LevelDecision, supervisorApproved: boolean): Level =>
  decision.needsSupervisorApproval && !supervisorApproved ? decision.computed : decision.chosen

// ---------------------------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------------------------

/** The ids of this module's rules. */
export type RuleId = "RISK-RED-FLAG" | "RISK-CONCERN-THRESHOLD" | "RISK-OVERRIDE-REASON" | "RISK-LOWER-APPROVAL"

/** The rules this module implements, by id: a rule that does not exist is a compile error, never a fallback. */
export const rule: { readonly [K in RuleId]: Basis.Rule } = {
  "RISK-RED-FLAG": Basis.rule(
    "RISK-RED-FLAG",
    Basis.label(
      "Satu faktor bendera merah menjadikan tingkat risiko tinggi",
      "Any red-flag factor makes the computed level tinggi"
    ),
    [sulselScheme, kemensosRiskBased, domainRule, riskPolicyBasis]
  ),
  "RISK-CONCERN-THRESHOLD": Basis.rule(
    "RISK-CONCERN-THRESHOLD",
    Basis.label(
      "Faktor kekhawatiran yang mencapai ambang menjadikan tingkat risiko sedang",
      "Concern points reaching the policy threshold make the computed level sedang"
    ),
    [sulselScheme, riskPolicyBasis]
  ),
  "RISK-OVERRIDE-REASON": Basis.rule(
    "RISK-OVERRIDE-REASON",
    Basis.label(
      "Tingkat risiko yang berbeda dari hasil perhitungan memerlukan alasan tertulis",
      "A level different from the computed one needs a written reason"
    ),
    [domainRule, kemensosRiskBased]
  ),
  "RISK-LOWER-APPROVAL": Basis.rule(
    "RISK-LOWER-APPROVAL",
    Basis.label(
      "Menurunkan tingkat risiko di bawah hasil perhitungan memerlukan persetujuan supervisor",
      "A level below the computed one needs a supervisor's approval"
    ),
    [domainRule, kemensosRiskBased]
  )
}

/** The rules this module implements. */
export const rules: ReadonlyArray<Basis.Rule> = Object.values(rule)
