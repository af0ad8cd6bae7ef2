/**
 * Dinas Sosial types A, B and C, and what a type changes for cases.
 *
 * PP 18/2016 on Perangkat Daerah (amended by PP 72/2019) maps how intense each government affair is in a region with
 * a score from 0 to 1000: general variables (population, area, regional budget/APBD) weigh 20 %, the technical
 * variables of the affair 80 %. For social affairs (Permensos 14/2016) the score gives the type of the Dinas Sosial —
 * A, B or C — or, at 400 and below, no own dinas: social affairs are then merged into another dinas of the same
 * cluster. The type fixes the structure (how many bidang), the structure fixes who approves rehabilitation decisions,
 * and active cases against caseworkers give the caseload. Seed 004: the type "affects responsibility, response and
 * workload" for children's cases.
 *
 * Every number is a typed, overridable policy with its basis: {@link ScorePolicy}, {@link TypePolicy},
 * {@link StructurePolicy}, {@link CaseloadPolicy}. The kabupaten/kota band boundaries are PLACEHOLDERS (see
 * {@link kabupatenKotaBandsBasis}) that must be checked against the PP 18/2016 annex.
 *
 * @example
 * ```ts
 * import { DinasType } from "@lindung/core"
 * import { Result } from "effect"
 *
 * const breakdown = Result.getOrThrow(
 *   DinasType.score({ level: "provinsi", population: 5_600_000, areaKm2: 42_000, budgetRupiah: 7.1e12, technical: 850 })
 * )
 * breakdown.total // 60 + 50 + 40 + 680 = 830
 * DinasType.typeOf(breakdown.total) // Result.succeed("A")
 * DinasType.approverRole(Result.getOrThrow(DinasType.structureOf("C"))).role // "kabid"
 * DinasType.caseload({ activeCases: 130, caseworkers: 4 }) // ratio 32.5, band "very-high", 6 caseworkers needed
 * ```
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import * as Basis from "./Basis.js"
import * as Input from "./Input.js"

const PP_18_2016 = "PP 18/2016"
const PP_18_2016_AMENDED = "PP 18/2016 as amended by PP 72/2019"
const PERMENSOS_14_2016 = "Permensos 14/2016"

// ---------------------------------------------------------------------------------------------------------------------
// Errors

/** A policy that cannot be used: `policy` names it, `field` the part that is wrong, `reason` what is expected. */
export class InvalidDinasPolicy extends Schema.TaggedError<InvalidDinasPolicy>()("InvalidDinasPolicy", {
  policy: Schema.String,
  field: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `Invalid ${this.policy} ${this.field}: ${this.reason}`
  }
}

const policyFail = (policy: string, field: string, reason: string): Result.Result<never, InvalidDinasPolicy> =>
  Result.fail(new InvalidDinasPolicy({ policy, field, reason }))

const isStrictlyIncreasing = (values: ReadonlyArray<number>): boolean =>
  values.every((value, index) => index === 0 || (values[index - 1] as number) < value)

// ---------------------------------------------------------------------------------------------------------------------
// The score

/** The two levels of regional government that have a Dinas Sosial: a provinsi, or a kabupaten/kota. */
export const GovernmentLevel = Schema.Literals(["provinsi", "kabupaten-kota"]).annotate({
  identifier: "DinasGovernmentLevel",
  description: "The level of regional government of a Dinas Sosial: provinsi or kabupaten-kota"
})

/** See {@link GovernmentLevel}. */
export type GovernmentLevel = typeof GovernmentLevel.Type

/** The general variables of PP 18/2016: population (jiwa), area (km²) and regional budget (APBD, rupiah). */
export const GeneralVariable = Schema.Literals(["population", "area", "budget"]).annotate({
  identifier: "DinasGeneralVariable",
  description: "A general variable of the PP 18/2016 score: population, area or budget (APBD)"
})

/** See {@link GeneralVariable}. */
export type GeneralVariable = typeof GeneralVariable.Type

/** A band of a general variable, from 1 (lowest) to 5 (highest). */
export type BandNumber = 1 | 2 | 3 | 4 | 5

/** The basis of the weights (10/5/5 % general, 80 % technical) and of the band scores 200–1000. */
export const scoreWeightsBasis: Basis.Basis = Basis.verified(
  PP_18_2016,
  "Lampiran, I.A (variabel umum, provinsi): bobot dan skor",
  "weights 10 % population, 5 % area, 5 % APBD; bands score 200/400/600/800/1000 (verified for provinsi; the " +
    "kabupaten/kota table is assumed to have the same shape)"
)

/** The basis of the technical score: 80 % of the total, given as input (0–1000). */
export const technicalScoreBasis: Basis.Basis = Basis.unverified(
  PP_18_2016,
  "Lampiran (variabel teknis urusan sosial)",
  "the technical variables of social affairs weigh 80 %; Lindung takes their score (0–1000) as given"
)

/** The basis of the provinsi band boundaries. */
export const provinsiBandsBasis: Basis.Basis = Basis.unverified(
  PP_18_2016,
  "Lampiran, I.A (variabel umum, provinsi): batas kelas",
  "bounds as transcribed in a secondary copy of the annex, not checked against the official text; the area " +
    "bounds (≤ 600 … > 2.400 km²) look small for provinces and must be checked"
)

/** The basis of the kabupaten/kota band boundaries: PLACEHOLDERS, not law. */
export const kabupatenKotaBandsBasis: Basis.Basis = Basis.unverified(
  PP_18_2016,
  "Lampiran (variabel umum, kabupaten/kota)",
  "PLACEHOLDER defaults: the kabupaten/kota bounds of the annex were not found; they must be checked against the " +
    "PP 18/2016 annex and overridden before scores are relied on"
)

/** The band boundaries of one general variable at one level of government. */
export interface BandTable {
  /** Inclusive upper bounds of bands 1–4: strictly increasing, not negative. A value above the last is band 5. */
  readonly upperBounds: readonly [number, number, number, number]
  /** Where the bounds come from. */
  readonly basis: Basis.Basis
}

/** How the score is computed; a typed, overridable policy. */
export interface ScorePolicy {
  /** Weight of each variable in percent: integers from 0 that sum to 100. */
  readonly weights: { readonly [V in GeneralVariable | "technical"]: number }
  /** What bands 1 to 5 of a general variable score: strictly increasing, within 0–1000. */
  readonly bandValues: readonly [number, number, number, number, number]
  /** The band boundaries, per level of government and general variable. */
  readonly bands: { readonly [L in GovernmentLevel]: { readonly [V in GeneralVariable]: BandTable } }
}

/**
 * The default score policy. Provinsi bounds as transcribed from the PP 18/2016 annex ({@link provinsiBandsBasis});
 * kabupaten/kota bounds are PLACEHOLDERS ({@link kabupatenKotaBandsBasis}).
 */
export const defaultScorePolicy: ScorePolicy = {
  weights: { population: 10, area: 5, budget: 5, technical: 80 },
  bandValues: [200, 400, 600, 800, 1000],
  bands: {
    provinsi: {
      population: { upperBounds: [2_000_000, 4_000_000, 6_000_000, 8_000_000], basis: provinsiBandsBasis },
      area: { upperBounds: [600, 1_200, 1_800, 2_400], basis: provinsiBandsBasis },
      budget: { upperBounds: [2e12, 4e12, 6e12, 8e12], basis: provinsiBandsBasis }
    },
    "kabupaten-kota": {
      population: { upperBounds: [100_000, 250_000, 500_000, 750_000], basis: kabupatenKotaBandsBasis },
      area: { upperBounds: [100, 500, 1_000, 1_500], basis: kabupatenKotaBandsBasis },
      budget: { upperBounds: [5e11, 1e12, 1.5e12, 2e12], basis: kabupatenKotaBandsBasis }
    }
  }
}

const generalVariableCodes: ReadonlyArray<GeneralVariable> = GeneralVariable.literals
const levelCodes: ReadonlyArray<GovernmentLevel> = GovernmentLevel.literals

/**
 * Checks a score policy: integer weights from 0 summing to 100, band values strictly increasing within 0–1000, band
 * bounds finite, not negative and strictly increasing. With these, every score lies within 0–1000 and is monotone.
 */
export const validateScorePolicy = (policy: ScorePolicy): Result.Result<ScorePolicy, InvalidDinasPolicy> => {
  const name = "ScorePolicy"
  const weights = [...generalVariableCodes, "technical" as const].map((key) => [key, policy.weights[key]] as const)
  for (const [key, weight] of weights) {
    if (!Number.isInteger(weight) || weight < 0) {
      return policyFail(name, `weights.${key}`, `${weight} is not a whole percentage from 0`)
    }
  }
  const sum = weights.reduce((total, [, weight]) => total + weight, 0)
  if (sum !== 100) return policyFail(name, "weights", `the weights sum to ${sum}, not 100`)
  const values = policy.bandValues
  if (values.length !== 5 || values.some((value) => !Number.isFinite(value) || value < 0 || value > 1000)) {
    return policyFail(name, "bandValues", "five band values, each within 0–1000, are expected")
  }
  if (!isStrictlyIncreasing(values)) {
    return policyFail(name, "bandValues", `${values.join(", ")} is not strictly increasing`)
  }
  for (const level of levelCodes) {
    for (const variable of generalVariableCodes) {
      const bounds = policy.bands[level][variable].upperBounds
      if (bounds.length !== 4 || bounds.some((bound) => !Number.isFinite(bound) || bound < 0)) {
        return policyFail(name, `bands.${level}.${variable}`, "four finite upper bounds from 0 are expected")
      }
      if (!isStrictlyIncreasing(bounds)) {
        return policyFail(name, `bands.${level}.${variable}`, `${bounds.join(", ")} is not strictly increasing`)
      }
    }
  }
  return Result.succeed(policy)
}

/** The facts a score is computed from. */
export const ScoreInput = Schema.Struct({
  level: GovernmentLevel,
  population: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)).annotate({ description: "Jumlah penduduk (jiwa)" }),
  areaKm2: Schema.Finite.check(Schema.isGreaterThanOrEqualTo(0)).annotate({ description: "Luas wilayah (km²)" }),
  budgetRupiah: Schema.Finite.check(Schema.isGreaterThanOrEqualTo(0)).annotate({
    description: "Jumlah APBD (rupiah)"
  }),
  technical: Schema.Finite.check(Schema.isBetween({ minimum: 0, maximum: 1000 })).annotate({
    description: "Score of the technical variables of social affairs, 0–1000"
  })
}).annotate({ identifier: "DinasScoreInput", description: "The facts of a region that its Dinas Sosial is scored on" })

/** See {@link ScoreInput}. */
export type ScoreInput = typeof ScoreInput.Type

/** The score of one general variable. */
export interface GeneralScore {
  readonly variable: GeneralVariable
  /** The input value (people, km², rupiah). */
  readonly value: number
  readonly band: BandNumber
  /** What the band scores (200–1000 by default). */
  readonly bandValue: number
  readonly weightPercent: number
  /** `bandValue × weightPercent / 100`. */
  readonly points: number
}

/** The score of the technical variables. */
export interface TechnicalScore {
  readonly value: number
  readonly weightPercent: number
  /** `value × weightPercent / 100`. */
  readonly points: number
}

/** A score with its breakdown; `total` lies within 0–1000. */
export interface ScoreBreakdown {
  readonly level: GovernmentLevel
  readonly general: ReadonlyArray<GeneralScore>
  readonly technical: TechnicalScore
  /** The sum of the general points (at most 200 with the default weights). */
  readonly generalPoints: number
  readonly total: number
}

/** The band (1–5) a value falls in, given the inclusive upper bounds of bands 1–4. */
export const bandOf = (value: number, upperBounds: readonly [number, number, number, number]): BandNumber => {
  const index = upperBounds.findIndex((bound) => value <= bound)
  return (index === -1 ? 5 : index + 1) as BandNumber
}

const decodeScoreInput = Input.decode(ScoreInput, "score input")

/**
 * The intensity score of social affairs in a region, with its breakdown: each general variable falls in a band,
 * scores that band's value times its weight, and the technical score adds its weight (80 % by default).
 * Fails with an {@link Input.InvalidInput} on bad input and an {@link InvalidDinasPolicy} on a bad policy.
 */
export const score = (
  input: ScoreInput,
  policy: ScorePolicy = defaultScorePolicy
): Result.Result<ScoreBreakdown, Input.InvalidInput | InvalidDinasPolicy> => {
  const checked = validateScorePolicy(policy)
  if (Result.isFailure(checked)) return Result.fail(checked.failure)
  const decoded = decodeScoreInput(input)
  if (Result.isFailure(decoded)) return Result.fail(decoded.failure)
  const facts = decoded.success
  const values: { readonly [V in GeneralVariable]: number } = {
    population: facts.population,
    area: facts.areaKm2,
    budget: facts.budgetRupiah
  }
  const general = generalVariableCodes.map((variable): GeneralScore => {
    const band = bandOf(values[variable], policy.bands[facts.level][variable].upperBounds)
    const bandValue = policy.bandValues[band - 1] as number
    const weightPercent = policy.weights[variable]
    return {
      variable,
      value: values[variable],
      band,
      bandValue,
      weightPercent,
      points: (bandValue * weightPercent) / 100
    }
  })
  const technical: TechnicalScore = {
    value: facts.technical,
    weightPercent: policy.weights.technical,
    points: (facts.technical * policy.weights.technical) / 100
  }
  const generalPoints = general.reduce((total, item) => total + item.points, 0)
  return Result.succeed({
    level: facts.level,
    general,
    technical,
    generalPoints,
    total: generalPoints + technical.points
  })
}

// ---------------------------------------------------------------------------------------------------------------------
// The type

/** The type of a Dinas Sosial: A, B, C, or `merged` (no own dinas; social affairs merged into another dinas). */
export const DinasType = Schema.Literals(["A", "B", "C", "merged"]).annotate({
  identifier: "DinasType",
  description: "Tipe Dinas Sosial: A (large workload), B (medium), C (small), or merged into another dinas"
})

/** See {@link DinasType}. */
export type DinasType = typeof DinasType.Type

/** The basis of the type thresholds. */
export const typePolicyBasis: Basis.Basis = Basis.unverified(
  PP_18_2016_AMENDED,
  undefined,
  "score above 800: type A; above 600 up to 800: B; above 400 up to 600: C; 400 and below: no own dinas"
)

/** The types with their labels; seed 004 (Dirjen Rehsos citing Permensos 14/2016) gives the workload of each. */
export const types: ReadonlyArray<{
  readonly code: DinasType
  readonly label: Basis.Label
  readonly workload: Basis.Label
  readonly basis: Basis.Basis
}> = [
  {
    code: "A",
    label: Basis.label("Dinas Sosial Tipe A", "Dinas Sosial type A"),
    workload: Basis.label("intensitas dan beban kerja besar", "high intensity and workload"),
    basis: Basis.unverified(PERMENSOS_14_2016, undefined, "workload per type as quoted in seed 004")
  },
  {
    code: "B",
    label: Basis.label("Dinas Sosial Tipe B", "Dinas Sosial type B"),
    workload: Basis.label("intensitas dan beban kerja sedang", "medium intensity and workload"),
    basis: Basis.unverified(PERMENSOS_14_2016, undefined, "workload per type as quoted in seed 004")
  },
  {
    code: "C",
    label: Basis.label("Dinas Sosial Tipe C", "Dinas Sosial type C"),
    workload: Basis.label("intensitas dan beban kerja kecil", "low intensity and workload"),
    basis: Basis.unverified(PERMENSOS_14_2016, undefined, "workload per type as quoted in seed 004")
  },
  {
    code: "merged",
    label: Basis.label("Urusan sosial digabung dengan dinas lain", "Social affairs merged into another dinas"),
    workload: Basis.label("intensitas terlalu kecil untuk dinas sendiri", "intensity too low for a dinas of its own"),
    basis: Basis.verified(PP_18_2016, undefined, "an affair scoring 400 or less gets no dinas of its own")
  }
]

/** The order of the types by workload: merged 0, C 1, B 2, A 3. A higher score never gives a lower rank. */
export const rank = (type: DinasType): 0 | 1 | 2 | 3 => (({ merged: 0, C: 1, B: 2, A: 3 }) as const)[type]

/** The score thresholds of the types; a typed, overridable policy. */
export interface TypePolicy {
  /** A score strictly above `A` is type A, above `B` type B, above `C` type C; at `C` or below: merged. */
  readonly thresholds: { readonly A: number; readonly B: number; readonly C: number }
}

/** The default thresholds: above 800 A, above 600 B, above 400 C ({@link typePolicyBasis}). */
export const defaultTypePolicy: TypePolicy = { thresholds: { A: 800, B: 600, C: 400 } }

/** Checks the thresholds: finite and strictly increasing, 0 ≤ C < B < A < 1000, so every type can occur. */
export const validateTypePolicy = (policy: TypePolicy): Result.Result<TypePolicy, InvalidDinasPolicy> => {
  const { A, B, C } = policy.thresholds
  if (![A, B, C].every(Number.isFinite)) return policyFail("TypePolicy", "thresholds", "thresholds must be finite")
  if (!(C >= 0 && C < B && B < A && A < 1000)) {
    return policyFail(
      "TypePolicy",
      "thresholds",
      `thresholds must be strictly increasing within 0–1000 (0 ≤ C < B < A < 1000), got C ${C}, B ${B}, A ${A}`
    )
  }
  return Result.succeed(policy)
}

/**
 * The type of a Dinas Sosial from its score (0–1000). Fails with an {@link Input.InvalidInput} for a score outside
 * 0–1000 and an {@link InvalidDinasPolicy} for thresholds that are not strictly increasing.
 */
export const typeOf = (
  total: number,
  policy: TypePolicy = defaultTypePolicy
): Result.Result<DinasType, Input.InvalidInput | InvalidDinasPolicy> => {
  const checked = validateTypePolicy(policy)
  if (Result.isFailure(checked)) return Result.fail(checked.failure)
  if (!Number.isFinite(total) || total < 0 || total > 1000) {
    return Input.fail("score", total, "a score is a number within 0–1000")
  }
  const { A, B, C } = policy.thresholds
  return Result.succeed(total > A ? "A" : total > B ? "B" : total > C ? "C" : "merged")
}

// ---------------------------------------------------------------------------------------------------------------------
// Merged dinas

/** The affairs of the cluster social affairs may be merged with when they score 400 or less. */
export const MergeAffair = Schema.Literals(["kesehatan", "pppa", "ppkb", "adminduk", "pmd"]).annotate({
  identifier: "DinasMergeAffair",
  description: "An affair of the cluster social affairs can be merged with: kesehatan, pppa, ppkb, adminduk, pmd"
})

/** See {@link MergeAffair}. */
export type MergeAffair = typeof MergeAffair.Type

/** The basis of merging: same cluster, at most 3 affairs in one dinas. */
export const mergeBasis: Basis.Basis = Basis.verified(
  PP_18_2016,
  undefined,
  "an affair with no dinas of its own is merged into a dinas of the same cluster; at most 3 affairs per dinas"
)

/** The affairs social affairs may be merged with, with labels. */
export const mergeAffairs: ReadonlyArray<{
  readonly code: MergeAffair
  readonly label: Basis.Label
  readonly basis: Basis.Basis
}> = [
  { code: "kesehatan", label: Basis.label("Kesehatan", "Health"), basis: mergeBasis },
  {
    code: "pppa",
    label: Basis.label("Pemberdayaan Perempuan dan Perlindungan Anak", "Women's empowerment and child protection"),
    basis: mergeBasis
  },
  {
    code: "ppkb",
    label: Basis.label("Pengendalian Penduduk dan Keluarga Berencana", "Population control and family planning"),
    basis: mergeBasis
  },
  {
    code: "adminduk",
    label: Basis.label(
      "Administrasi Kependudukan dan Pencatatan Sipil",
      "Population administration and civil registry"
    ),
    basis: mergeBasis
  },
  {
    code: "pmd",
    label: Basis.label("Pemberdayaan Masyarakat dan Desa", "Community and village empowerment"),
    basis: mergeBasis
  }
]

// ---------------------------------------------------------------------------------------------------------------------
// Structure

/** The four functions of a Dinas Sosial that its bidang hold. */
export const SocialFunction = Schema.Literals([
  "rehabilitasi-sosial",
  "perlindungan-jaminan-sosial",
  "pemberdayaan-sosial",
  "penanganan-fakir-miskin"
]).annotate({
  identifier: "DinasSocialFunction",
  description: "A function of a Dinas Sosial held by a bidang (division)"
})

/** See {@link SocialFunction}. */
export type SocialFunction = typeof SocialFunction.Type

/** The basis of the structure per type (secretariat, number of bidang and seksi). */
export const structureBasis: Basis.Basis = Basis.unverified(
  PP_18_2016_AMENDED,
  undefined,
  "the structure of a Dinas by its type: type A a secretariat and up to 4 bidang, B up to 3, C up to 2; each bidang up to 3 seksi"
)

/** The basis of the default bidang names of types B, C and merged: which functions share a bidang. */
export const structureDefaultsBasis: Basis.Basis = Basis.unverified(
  PERMENSOS_14_2016,
  undefined,
  "Lindung default: rehabilitation keeps its own bidang in type B; in type C it shares one with perlindungan dan " +
    "jaminan sosial; a merged dinas (default: with PPPA) holds social affairs in one bidang. Overridable: a " +
    "region's Perda on its perangkat daerah decides"
)

/** The four functions with their labels (the bidang of a type A dinas). */
export const socialFunctions: ReadonlyArray<{
  readonly code: SocialFunction
  readonly label: Basis.Label
  readonly basis: Basis.Basis
}> = [
  {
    code: "rehabilitasi-sosial",
    label: Basis.label("Rehabilitasi Sosial", "Social rehabilitation"),
    basis: structureBasis
  },
  {
    code: "perlindungan-jaminan-sosial",
    label: Basis.label("Perlindungan dan Jaminan Sosial", "Social protection and security"),
    basis: structureBasis
  },
  {
    code: "pemberdayaan-sosial",
    label: Basis.label("Pemberdayaan Sosial", "Social empowerment"),
    basis: structureBasis
  },
  {
    code: "penanganan-fakir-miskin",
    label: Basis.label("Penanganan Fakir Miskin", "Handling of the poor"),
    basis: structureBasis
  }
]

/** A bidang (division) of a dinas: the functions it holds and its seksi (sections). */
export const Bidang = Schema.Struct({
  /** A stable lowercase-kebab code, unique within the structure. */
  code: Schema.NonEmptyString,
  label: Basis.Label,
  functions: Schema.NonEmptyArray(SocialFunction),
  seksi: Schema.Array(Basis.Label)
}).annotate({ identifier: "DinasBidang", description: "A bidang (division) of a Dinas Sosial" })

/** See {@link Bidang}. */
export type Bidang = typeof Bidang.Type

/** The organisation of a Dinas Sosial, or of social affairs inside a merged dinas. */
export const Structure = Schema.Struct({
  type: DinasType,
  secretariat: Schema.Boolean,
  bidang: Schema.Array(Bidang),
  /** For a merged dinas: the other affairs of the dinas (social affairs are the first); empty otherwise. */
  mergedWith: Schema.Array(MergeAffair),
  basis: Basis.Basis
}).annotate({ identifier: "DinasStructure", description: "The organisation of a Dinas Sosial" })

/** See {@link Structure}. */
export type Structure = typeof Structure.Type

/** The limits and default structures per type; a typed, overridable policy. */
export interface StructurePolicy {
  /** The most bidang per type (A 4, B 3, C 2; for merged: bidang of social affairs inside the merged dinas). */
  readonly maxBidang: { readonly [T in DinasType]: number }
  readonly maxSeksiPerBidang: number
  /** The most affairs one merged dinas may hold, social affairs included. */
  readonly maxAffairsPerMergedDinas: number
  /** The structure of each type. */
  readonly structures: { readonly [T in DinasType]: Structure }
}

const bidang = (code: string, id: string, en: string, functions: readonly [SocialFunction, ...Array<SocialFunction>]) =>
  ({ code, label: Basis.label(id, en), functions, seksi: [] }) satisfies Bidang

const rehabilitasiSosial = bidang(
  "rehabilitasi-sosial",
  "Bidang Rehabilitasi Sosial",
  "Social Rehabilitation Division",
  ["rehabilitasi-sosial"]
)
const perlindunganJaminanSosial = bidang(
  "perlindungan-jaminan-sosial",
  "Bidang Perlindungan dan Jaminan Sosial",
  "Social Protection and Security Division",
  ["perlindungan-jaminan-sosial"]
)
const pemberdayaanFakirMiskin = bidang(
  "pemberdayaan-sosial-penanganan-fakir-miskin",
  "Bidang Pemberdayaan Sosial dan Penanganan Fakir Miskin",
  "Social Empowerment and Poverty Division",
  ["pemberdayaan-sosial", "penanganan-fakir-miskin"]
)

/**
 * The default structure policy: limits from {@link structureBasis}, bidang names per type from
 * {@link structureDefaultsBasis}. Seksi are left empty: their names vary with each region's Perda.
 */
export const defaultStructurePolicy: StructurePolicy = {
  maxBidang: { A: 4, B: 3, C: 2, merged: 1 },
  maxSeksiPerBidang: 3,
  maxAffairsPerMergedDinas: 3,
  structures: {
    A: {
      type: "A",
      secretariat: true,
      bidang: [
        rehabilitasiSosial,
        perlindunganJaminanSosial,
        bidang("pemberdayaan-sosial", "Bidang Pemberdayaan Sosial", "Social Empowerment Division", [
          "pemberdayaan-sosial"
        ]),
        bidang("penanganan-fakir-miskin", "Bidang Penanganan Fakir Miskin", "Poverty Division", [
          "penanganan-fakir-miskin"
        ])
      ],
      mergedWith: [],
      basis: structureBasis
    },
    B: {
      type: "B",
      secretariat: true,
      bidang: [rehabilitasiSosial, perlindunganJaminanSosial, pemberdayaanFakirMiskin],
      mergedWith: [],
      basis: structureDefaultsBasis
    },
    C: {
      type: "C",
      secretariat: true,
      bidang: [
        bidang(
          "rehabilitasi-perlindungan-jaminan-sosial",
          "Bidang Rehabilitasi, Perlindungan dan Jaminan Sosial",
          "Social Rehabilitation, Protection and Security Division",
          ["rehabilitasi-sosial", "perlindungan-jaminan-sosial"]
        ),
        pemberdayaanFakirMiskin
      ],
      mergedWith: [],
      basis: structureDefaultsBasis
    },
    merged: {
      type: "merged",
      secretariat: true,
      bidang: [
        bidang("sosial", "Bidang Sosial", "Social Affairs Division", [
          "rehabilitasi-sosial",
          "perlindungan-jaminan-sosial",
          "pemberdayaan-sosial",
          "penanganan-fakir-miskin"
        ])
      ],
      mergedWith: ["pppa"],
      basis: structureDefaultsBasis
    }
  }
}

const decodeStructure = Input.decode(Structure, "structure")

const checkStructure = (
  structure: Structure,
  policy: StructurePolicy
): Result.Result<Structure, Input.InvalidInput> => {
  const decoded = decodeStructure(structure)
  if (Result.isFailure(decoded)) return Result.fail(decoded.failure)
  const max = policy.maxBidang[structure.type]
  if (structure.bidang.length > max) {
    return Input.fail(
      "structure.bidang",
      structure.bidang.map((item) => item.code),
      `a type ${structure.type} structure has at most ${max} bidang`
    )
  }
  const codes = new Set<string>()
  const held = new Set<SocialFunction>()
  for (const item of structure.bidang) {
    if (codes.has(item.code)) return Input.fail("structure.bidang.code", item.code, "bidang codes must be unique")
    codes.add(item.code)
    if (item.seksi.length > policy.maxSeksiPerBidang) {
      return Input.fail(
        `structure.bidang.${item.code}.seksi`,
        item.seksi.length,
        `a bidang has at most ${policy.maxSeksiPerBidang} seksi`
      )
    }
    for (const fn of item.functions) {
      if (held.has(fn)) return Input.fail(`structure.bidang.${item.code}.functions`, fn, "held by more than one bidang")
      held.add(fn)
    }
  }
  if (structure.type === "merged") {
    if (structure.mergedWith.length === 0) {
      return Input.fail("structure.mergedWith", [], "a merged dinas names the affairs social affairs are merged with")
    }
    if (new Set(structure.mergedWith).size !== structure.mergedWith.length) {
      return Input.fail("structure.mergedWith", structure.mergedWith, "an affair is named twice")
    }
    if (structure.mergedWith.length + 1 > policy.maxAffairsPerMergedDinas) {
      return Input.fail(
        "structure.mergedWith",
        structure.mergedWith,
        `a merged dinas holds at most ${policy.maxAffairsPerMergedDinas} affairs, social affairs included`
      )
    }
  } else {
    if (structure.mergedWith.length > 0) {
      return Input.fail("structure.mergedWith", structure.mergedWith, `a type ${structure.type} dinas is not merged`)
    }
    if (!structure.secretariat) {
      return Input.fail("structure.secretariat", false, `a type ${structure.type} dinas has a secretariat`)
    }
  }
  return Result.succeed(structure)
}

/** Structure policies already found valid: policies are immutable values, so each is checked once. */
const validStructurePolicies = new WeakSet<StructurePolicy>()

/**
 * Checks the limits of a structure policy (whole numbers; a merged dinas holds at least 2 affairs) and that each
 * default structure has its own type and keeps to the limits. A policy found valid is not checked again (the
 * decider asks on every approval); policies are read-only values and must not be changed after use.
 */
export const validateStructurePolicy = (
  policy: StructurePolicy
): Result.Result<StructurePolicy, InvalidDinasPolicy> => {
  if (validStructurePolicies.has(policy)) return Result.succeed(policy)
  const name = "StructurePolicy"
  for (const type of DinasType.literals) {
    const max = policy.maxBidang[type]
    if (!Number.isInteger(max) || max < 0) return policyFail(name, `maxBidang.${type}`, `${max} is not a whole number`)
  }
  if (!Number.isInteger(policy.maxSeksiPerBidang) || policy.maxSeksiPerBidang < 0) {
    return policyFail(name, "maxSeksiPerBidang", `${policy.maxSeksiPerBidang} is not a whole number`)
  }
  if (!Number.isInteger(policy.maxAffairsPerMergedDinas) || policy.maxAffairsPerMergedDinas < 2) {
    return policyFail(name, "maxAffairsPerMergedDinas", "a merged dinas holds at least 2 affairs")
  }
  for (const type of DinasType.literals) {
    const structure = policy.structures[type]
    if (structure.type !== type) {
      return policyFail(name, `structures.${type}`, `the structure is of type ${structure.type}`)
    }
    const checked = checkStructure(structure, policy)
    if (Result.isFailure(checked)) return policyFail(name, `structures.${type}`, checked.failure.message)
  }
  validStructurePolicies.add(policy)
  return Result.succeed(policy)
}

/**
 * Checks a structure against a policy's limits: bidang per type, seksi per bidang, unique bidang codes, each function
 * in at most one bidang; a type A/B/C dinas has a secretariat and is not merged; a merged one names 1 or more other
 * affairs, within the most affairs per merged dinas.
 */
export const validateStructure = (
  structure: Structure,
  policy: StructurePolicy = defaultStructurePolicy
): Result.Result<Structure, Input.InvalidInput | InvalidDinasPolicy> => {
  const checked = validateStructurePolicy(policy)
  if (Result.isFailure(checked)) return Result.fail(checked.failure)
  return checkStructure(structure, policy)
}

/** The structure of a type under a policy (the default bidang per type unless overridden). */
export const structureOf = (
  type: DinasType,
  policy: StructurePolicy = defaultStructurePolicy
): Result.Result<Structure, InvalidDinasPolicy> => {
  const checked = validateStructurePolicy(policy)
  return Result.isFailure(checked) ? Result.fail(checked.failure) : Result.succeed(policy.structures[type])
}

// ---------------------------------------------------------------------------------------------------------------------
// Approver

/** Roles in a dinas, as stable codes. */
export const Role = Schema.Literals(["kadis", "sekretaris", "kabid-rehsos", "kabid", "kasi"]).annotate({
  identifier: "DinasRole",
  description: "A structural role in a Dinas Sosial: kadis, sekretaris, kabid-rehsos, kabid, kasi"
})

/** See {@link Role}. */
export type Role = typeof Role.Type

/** The roles with their labels. */
export const roles: ReadonlyArray<{ readonly code: Role; readonly label: Basis.Label; readonly basis: Basis.Basis }> = [
  { code: "kadis", label: Basis.label("Kepala Dinas (Kadis)", "Head of the dinas"), basis: structureBasis },
  { code: "sekretaris", label: Basis.label("Sekretaris Dinas", "Secretary of the dinas"), basis: structureBasis },
  {
    code: "kabid-rehsos",
    label: Basis.label(
      "Kepala Bidang Rehabilitasi Sosial (Kabid Rehsos)",
      "Head of the Social Rehabilitation Division"
    ),
    basis: structureBasis
  },
  { code: "kabid", label: Basis.label("Kepala Bidang (Kabid)", "Head of a division"), basis: structureBasis },
  { code: "kasi", label: Basis.label("Kepala Seksi (Kasi)", "Head of a section"), basis: structureBasis }
]

/** The basis of who approves rehabilitation decisions. */
export const approverBasis: Basis.Basis = Basis.policyDefault(
  "Lindung approval policy",
  undefined,
  "the head of the unit that holds rehabilitation approves: a Kabid Rehsos only where rehabilitation has its own " +
    "bidang (seed 000: the Kabid Rehsos of Dinsos Kota Padang completes the transfer); else the Kabid of the bidang " +
    "holding it; else the Kadis"
)

/** Who approves rehabilitation decisions in a structure, and why. */
export interface Approver {
  readonly role: Role
  /** The code of the bidang whose head approves; absent when the Kadis approves. */
  readonly bidang?: string
  /** The title of the approving position, e.g. `Kepala Bidang Rehabilitasi Sosial`. */
  readonly title: Basis.Label
  readonly reason: Basis.Label
  readonly basis: readonly [Basis.Basis, ...Array<Basis.Basis>]
}

/**
 * Which role approves rehabilitation decisions (DINAS-APPROVER): the Kabid Rehsos where rehabilitation has a bidang of
 * its own; otherwise the Kabid of the bidang that holds rehabilitation (in a merged dinas: the head of the merged
 * bidang); the Kadis when no bidang holds it.
 */
export const approverRole = (structure: Structure): Approver => {
  const holder = structure.bidang.find((item) => item.functions.includes("rehabilitasi-sosial"))
  const basis = [approverBasis, structure.basis] as const
  if (holder === undefined) {
    return {
      role: "kadis",
      title: Basis.label("Kepala Dinas", "Head of the dinas"),
      reason: Basis.label(
        "Tidak ada bidang yang memegang rehabilitasi sosial: Kepala Dinas menyetujui",
        "No bidang holds social rehabilitation: the head of the dinas approves"
      ),
      basis
    }
  }
  const title = Basis.label(`Kepala ${holder.label.id}`, `Head of the ${holder.label.en}`)
  if (holder.functions.length === 1) {
    return {
      role: "kabid-rehsos",
      bidang: holder.code,
      title,
      reason: Basis.label(
        "Rehabilitasi sosial memiliki bidang sendiri: Kabid Rehsos menyetujui",
        "Social rehabilitation has its own bidang: its head (Kabid Rehsos) approves"
      ),
      basis
    }
  }
  return {
    role: "kabid",
    bidang: holder.code,
    title,
    reason: Basis.label(
      structure.type === "merged"
        ? "Dinas gabungan: kepala bidang yang memegang urusan sosial menyetujui"
        : "Rehabilitasi sosial berbagi bidang: kepala bidang tersebut menyetujui",
      structure.type === "merged"
        ? "Merged dinas: the head of the bidang holding social affairs approves"
        : "Social rehabilitation shares a bidang: the head of that bidang approves"
    ),
    basis
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Caseload

/** Caseload bands (Primero reports ≤10 / 11–20 / 21–30 / >30 active cases per caseworker). */
export const CaseloadBand = Schema.Literals(["low", "moderate", "high", "very-high"]).annotate({
  identifier: "CaseloadBand",
  description: "Active cases per caseworker: low (≤10), moderate (11–20), high (21–30), very-high (>30) by default"
})

/** See {@link CaseloadBand}. */
export type CaseloadBand = typeof CaseloadBand.Type

/** How caseload is judged; a typed, overridable policy. */
export interface CaseloadPolicy {
  /** The most active cases per caseworker: a whole number from 1. */
  readonly maxPerCaseworker: number
  /** Inclusive upper bounds of the bands low, moderate, high (strictly increasing); above the last: very-high. */
  readonly bandUpperBounds: readonly [number, number, number]
}

/** The default: at most 25 active cases per caseworker; bands ≤10 / 11–20 / 21–30 / >30. */
export const defaultCaseloadPolicy: CaseloadPolicy = { maxPerCaseworker: 25, bandUpperBounds: [10, 20, 30] }

/** The basis of {@link defaultCaseloadPolicy}. */
export const caseloadPolicyBasis: Basis.Basis = Basis.policyDefault(
  "Lindung caseload policy",
  undefined,
  "no Indonesian rule fixes a caseload: 25 active cases per caseworker by default; bands ≤10 / 11–20 / 21–30 / >30 " +
    "as Primero reports caseload"
)

/** Checks a caseload policy: a whole maximum from 1 and finite, positive, strictly increasing band bounds. */
export const validateCaseloadPolicy = (policy: CaseloadPolicy): Result.Result<CaseloadPolicy, InvalidDinasPolicy> => {
  if (!Number.isInteger(policy.maxPerCaseworker) || policy.maxPerCaseworker < 1) {
    return policyFail("CaseloadPolicy", "maxPerCaseworker", `${policy.maxPerCaseworker} is not a whole number from 1`)
  }
  const bounds = policy.bandUpperBounds
  if (bounds.length !== 3 || bounds.some((bound) => !Number.isFinite(bound) || bound < 0)) {
    return policyFail("CaseloadPolicy", "bandUpperBounds", "three finite bounds from 0 are expected")
  }
  if (!isStrictlyIncreasing(bounds)) {
    return policyFail("CaseloadPolicy", "bandUpperBounds", `${bounds.join(", ")} is not strictly increasing`)
  }
  return Result.succeed(policy)
}

/** The counts a caseload is computed from. */
export const CaseloadInput = Schema.Struct({
  activeCases: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)),
  caseworkers: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))
}).annotate({ identifier: "CaseloadInput", description: "Active cases and caseworkers (e.g. Sakti Peksos) of a dinas" })

/** See {@link CaseloadInput}. */
export type CaseloadInput = typeof CaseloadInput.Type

/** Fields common to both caseload states. */
interface CaseloadCommon {
  readonly activeCases: number
  readonly caseworkers: number
  readonly maxPerCaseworker: number
  readonly band: CaseloadBand
  /** Whether active cases exceed caseworkers × maximum. */
  readonly overCapacity: boolean
  /** The fewest caseworkers that keep every one within the maximum: `ceil(activeCases / maxPerCaseworker)`. */
  readonly caseworkersNeeded: number
  /** How many caseworkers are missing: `max(0, caseworkersNeeded − caseworkers)`. */
  readonly caseworkersShort: number
}

/** The caseload of a dinas with caseworkers: `ratio` is active cases per caseworker. */
export interface Staffed extends CaseloadCommon {
  readonly _tag: "Staffed"
  readonly ratio: number
}

/**
 * The caseload of a dinas with no caseworker: no division is made; `ratio` is `Infinity` when there are active
 * cases (band very-high, over capacity) and 0 when there are none.
 */
export interface NoCaseworkers extends CaseloadCommon {
  readonly _tag: "NoCaseworkers"
  readonly ratio: number
}

/** See {@link Staffed} and {@link NoCaseworkers}. */
export type Caseload = Staffed | NoCaseworkers

/** The band a ratio of active cases per caseworker falls in. */
export const caseloadBand = (ratio: number, policy: CaseloadPolicy = defaultCaseloadPolicy): CaseloadBand => {
  const [low, moderate, high] = policy.bandUpperBounds
  return ratio <= low ? "low" : ratio <= moderate ? "moderate" : ratio <= high ? "high" : "very-high"
}

const decodeCaseloadInput = Input.decode(CaseloadInput, "caseload input")

/**
 * Caseload capacity (CASELOAD-MAX): active cases per caseworker against the policy maximum, its band, whether the
 * dinas is over capacity and how many caseworkers it needs. Negative or fractional counts fail with an
 * {@link Input.InvalidInput}; zero caseworkers give {@link NoCaseworkers}, never a division by zero.
 */
export const caseload = (
  input: CaseloadInput,
  policy: CaseloadPolicy = defaultCaseloadPolicy
): Result.Result<Caseload, Input.InvalidInput | InvalidDinasPolicy> => {
  const checked = validateCaseloadPolicy(policy)
  if (Result.isFailure(checked)) return Result.fail(checked.failure)
  const decoded = decodeCaseloadInput(input)
  if (Result.isFailure(decoded)) return Result.fail(decoded.failure)
  const { activeCases, caseworkers } = decoded.success
  const max = policy.maxPerCaseworker
  const caseworkersNeeded = Math.ceil(activeCases / max)
  const common = {
    activeCases,
    caseworkers,
    maxPerCaseworker: max,
    overCapacity: activeCases > caseworkers * max,
    caseworkersNeeded,
    caseworkersShort: Math.max(0, caseworkersNeeded - caseworkers)
  }
  if (caseworkers === 0) {
    const ratio = activeCases === 0 ? 0 : Number.POSITIVE_INFINITY
    return Result.succeed({ _tag: "NoCaseworkers", ...common, ratio, band: caseloadBand(ratio, policy) })
  }
  const ratio = activeCases / caseworkers
  return Result.succeed({ _tag: "Staffed", ...common, ratio, band: caseloadBand(ratio, policy) })
}

// ---------------------------------------------------------------------------------------------------------------------
// Rules

/** The rules this module implements, with stable ids and their bases. */
export const rules: ReadonlyArray<Basis.Rule> = [
  Basis.rule("DINAS-SCORE", Basis.label("Skor intensitas urusan sosial", "Intensity score of social affairs"), [
    scoreWeightsBasis,
    technicalScoreBasis,
    provinsiBandsBasis,
    kabupatenKotaBandsBasis
  ]),
  Basis.rule(
    "DINAS-TYPE-THRESHOLDS",
    Basis.label("Tipe Dinas Sosial menurut skor", "Dinas Sosial type from the score"),
    [typePolicyBasis, Basis.unverified(PERMENSOS_14_2016, undefined, "types A, B and C of the Dinas Sosial")]
  ),
  Basis.rule(
    "DINAS-MERGED",
    Basis.label("Urusan sosial digabung dalam rumpun yang sama", "Social affairs merged within the same cluster"),
    [mergeBasis]
  ),
  Basis.rule("DINAS-STRUCTURE", Basis.label("Susunan organisasi per tipe", "Structure per type"), [
    structureBasis,
    structureDefaultsBasis
  ]),
  Basis.rule(
    "DINAS-APPROVER",
    Basis.label("Pejabat yang menyetujui keputusan rehabilitasi", "Who approves rehabilitation decisions"),
    [approverBasis, structureBasis]
  ),
  Basis.rule("CASELOAD-MAX", Basis.label("Batas beban kasus per pekerja sosial", "Caseload limit per caseworker"), [
    caseloadPolicyBasis
  ])
]
