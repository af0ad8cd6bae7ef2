/**
 * Which level of government is responsible for a case: kabupaten/kota, provinsi or pusat (Kemensos).
 *
 * UU 23/2014 (annex on social affairs) splits social rehabilitation: the kabupaten/kota rehabilitates outside an
 * institution (panti) — everyone except former NAPZA users and people with HIV/AIDS — and rehabilitates ABH; it also
 * returns migrant-worker victims from a debarkation point in the kabupaten/kota to their village. The provinsi does
 * the same for those who need a panti, and returns migrant-worker victims from a provincial debarkation point to
 * their kabupaten/kota, and in practice returns stranded people to their home provinces itself (seed 003). The pusat
 * rehabilitates former NAPZA users and people with HIV/AIDS, returns migrant-worker and trafficking victims from a
 * national debarkation point, and in practice runs national Sentra for cases beyond a region's capacity (seed 000:
 * two children three years in Sentra Handayani, then back to Kota Padang and into the provincial UPTD PSAA Tri
 * Murni).
 *
 * {@link responsible} applies ordered rules to the case facts; the first rule that applies decides. The
 * kabupaten/kota rules are verified (through secondary copies of the annex); the provinsi and pusat rules are not,
 * so their order and levels are a typed, overridable {@link JurisdictionPolicy}. When the facts are not enough (the
 * child's region is known only to the provinsi but the answer is a kabupaten/kota) the result is
 * {@link Undetermined}, saying what is missing — never a guess.
 *
 * @example
 * ```ts
 * import { Jurisdiction, Region } from "@lindung/core"
 *
 * const facts = {
 *   region: Region.decodeSync("13.71"), // Kota Padang
 *   needsInstitutionalCare: true,
 *   formerNapzaUser: false,
 *   hivAids: false,
 *   abh: false,
 *   migrantWorkerReturn: "none",
 *   crossesProvinces: false,
 *   exceedsRegionalCapacity: false
 * } as const
 * Jurisdiction.responsible(facts) // Result.succeed({ _tag: "Determined", level: "provinsi", region: "13", ... })
 * ```
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import * as Basis from "./Basis.js"
import * as Input from "./Input.js"
import * as Region from "./Region.js"

const UU_23_2014 = "UU 23/2014"
/** The part of the UU 23/2014 annex on social affairs that gives a level its share. */
const annex = (level: "kabupaten/kota" | "provinsi" | "pusat") => `Lampiran, pembagian urusan bidang sosial (${level})`
const PP_2_2018 = "PP 2/2018"

/** The levels of government a case can belong to. */
export const Level = Schema.Literals(["kabupaten-kota", "provinsi", "pusat"]).annotate({
  identifier: "JurisdictionLevel",
  description: "The level of government responsible for a case: kabupaten-kota, provinsi or pusat (Kemensos)"
})

/** See {@link Level}. */
export type Level = typeof Level.Type

/** Labels of the levels. */
export const levels: ReadonlyArray<{ readonly code: Level; readonly label: Basis.Label; readonly basis: Basis.Basis }> =
  [
    {
      code: "kabupaten-kota",
      label: Basis.label("Pemerintah Daerah Kabupaten/Kota (Dinas Sosial)", "Kabupaten/kota government (Dinas Sosial)"),
      basis: Basis.verified(UU_23_2014, annex("kabupaten/kota"))
    },
    {
      code: "provinsi",
      label: Basis.label("Pemerintah Daerah Provinsi (Dinas Sosial)", "Provincial government (Dinas Sosial)"),
      basis: Basis.unverified(UU_23_2014, annex("provinsi"))
    },
    {
      code: "pusat",
      label: Basis.label("Pemerintah Pusat (Kementerian Sosial)", "Central government (Ministry of Social Affairs)"),
      basis: Basis.unverified(UU_23_2014, annex("pusat"))
    }
  ]

/** Where a returning migrant worker arrives: `none` when the case is not such a return. */
export const Debarkation = Schema.Literals(["none", "kabupaten-kota", "provinsi", "national"]).annotate({
  identifier: "JurisdictionDebarkation",
  description:
    "For the return of a migrant-worker or trafficking victim: whether the debarkation point is one of a " +
    "kabupaten/kota, of the provinsi, or a national one; none when the case is not such a return"
})

/** See {@link Debarkation}. */
export type Debarkation = typeof Debarkation.Type

/** The case facts jurisdiction is decided on. No identity: a region code and yes/no facts only. */
export const CaseFacts = Schema.Struct({
  region: Region.RegionCode.annotate({
    description:
      "The region the case belongs to (the child's, or an adult PPKS's, domicile or place of origin); a kabupaten/kota " +
      "or narrower code is needed whenever the answer is the kabupaten/kota"
  }),
  needsInstitutionalCare: Schema.Boolean.annotate({ description: "Needs rehabilitation in an institution (panti)" }),
  formerNapzaUser: Schema.Boolean.annotate({ description: "A former victim of NAPZA abuse (bekas korban NAPZA)" }),
  hivAids: Schema.Boolean.annotate({ description: "A person with HIV/AIDS" }),
  abh: Schema.Boolean.annotate({ description: "Anak yang berhadapan dengan hukum (UU 11/2012)" }),
  migrantWorkerReturn: Debarkation,
  crossesProvinces: Schema.Boolean.annotate({
    description: "The case crosses provincial borders (e.g. a person returned to a home province)"
  }),
  exceedsRegionalCapacity: Schema.Boolean.annotate({ description: "The case exceeds what the region can provide" })
}).annotate({ identifier: "JurisdictionCaseFacts", description: "The facts of a case that decide who is responsible" })

/** See {@link CaseFacts}. */
export type CaseFacts = typeof CaseFacts.Type

/** The ids of the jurisdiction rules. The last one is the fallback and always applies. */
export const RuleId = Schema.Literals([
  "JURISDICTION-NAPZA-HIV",
  "JURISDICTION-MIGRANT-NATIONAL-DEBARKATION",
  "JURISDICTION-EXCEEDS-CAPACITY",
  "JURISDICTION-MIGRANT-KABUPATEN-KOTA-DEBARKATION",
  "JURISDICTION-MIGRANT-PROVINCIAL-DEBARKATION",
  "JURISDICTION-ABH",
  "JURISDICTION-INSTITUTIONAL-CARE",
  "JURISDICTION-CROSS-PROVINCE",
  "JURISDICTION-OUTSIDE-INSTITUTION"
]).annotate({ identifier: "JurisdictionRuleId", description: "The stable id of a jurisdiction rule" })

/** See {@link RuleId}. */
export type RuleId = typeof RuleId.Type

/** The rules a policy orders: every rule except the fallback `JURISDICTION-OUTSIDE-INSTITUTION`. */
export type StepRuleId = Exclude<RuleId, "JURISDICTION-OUTSIDE-INSTITUTION">

/** The fallback rule: kabupaten/kota rehabilitation outside an institution. It always applies, and comes last. */
export const FALLBACK_RULE = "JURISDICTION-OUTSIDE-INSTITUTION" satisfies RuleId

/** A jurisdiction rule: what it says, the level it gives by default, whether a policy may change that level. */
export interface RuleInfo {
  readonly id: RuleId
  readonly title: Basis.Label
  /** The reason a result gives when this rule decides. */
  readonly reason: Basis.Label
  readonly defaultLevel: Level
  /**
   * `false` for the verified kabupaten/kota rules: a policy's steps may reorder them but not change their level;
   * only a region's arrangement (`JurisdictionPolicy.regional`, with its reason) may.
   */
  readonly levelOverridable: boolean
  readonly basis: readonly [Basis.Basis, ...Array<Basis.Basis>]
}

const kabupatenKotaBasis = (provision: string): Basis.Basis =>
  Basis.verified(
    UU_23_2014,
    annex("kabupaten/kota"),
    `kabupaten/kota: ${provision} (verified through secondary copies of the annex)`
  )

/** Every jurisdiction rule, in the default order; the fallback is last. */
export const catalogue: ReadonlyArray<RuleInfo> = [
  {
    id: "JURISDICTION-NAPZA-HIV",
    title: Basis.label("Bekas korban NAPZA dan ODHA: Pemerintah Pusat", "Former NAPZA users and HIV/AIDS: central"),
    reason: Basis.label(
      "Rehabilitasi sosial bekas korban penyalahgunaan NAPZA dan orang dengan HIV/AIDS adalah kewenangan Pusat",
      "Social rehabilitation of former NAPZA users and people with HIV/AIDS is a central-government affair"
    ),
    defaultLevel: "pusat",
    levelOverridable: true,
    basis: [
      Basis.unverified(
        UU_23_2014,
        annex("pusat"),
        "pusat: rehabilitation of former NAPZA users and people with HIV/AIDS"
      )
    ]
  },
  {
    id: "JURISDICTION-MIGRANT-NATIONAL-DEBARKATION",
    title: Basis.label(
      "Pemulangan pekerja migran dan korban perdagangan orang dari titik debarkasi nasional: Pemerintah Pusat",
      "Return of migrant-worker and trafficking victims from a national debarkation point: central"
    ),
    reason: Basis.label(
      "Pemulangan pekerja migran dan korban perdagangan orang dari titik debarkasi nasional ke provinsi asal",
      "Return of migrant-worker and trafficking victims from a national debarkation point to their home province"
    ),
    defaultLevel: "pusat",
    levelOverridable: true,
    basis: [
      Basis.unverified(
        UU_23_2014,
        annex("pusat"),
        "pusat: return of migrant-worker and trafficking victims from a national debarkation point (docs/domain.md §4)"
      )
    ]
  },
  {
    id: "JURISDICTION-EXCEEDS-CAPACITY",
    title: Basis.label("Melebihi kapasitas daerah: Pemerintah Pusat", "Beyond regional capacity: central"),
    reason: Basis.label(
      "Kasus melebihi kapasitas daerah ditangani Kemensos (Sentra)",
      "A case beyond the region's capacity is handled by Kemensos (a national Sentra)"
    ),
    defaultLevel: "pusat",
    levelOverridable: true,
    basis: [
      Basis.unverified(
        UU_23_2014,
        annex("pusat"),
        "practice: national Sentra for cases beyond regional capacity (seed 000: Sentra Handayani)"
      )
    ]
  },
  {
    id: "JURISDICTION-MIGRANT-KABUPATEN-KOTA-DEBARKATION",
    title: Basis.label(
      "Pemulangan pekerja migran dari titik debarkasi kabupaten/kota",
      "Migrant-worker return from a kabupaten/kota debarkation point"
    ),
    reason: Basis.label(
      "Pemulangan warga negara migran korban tindak kekerasan dari titik debarkasi di kabupaten/kota ke desa asal",
      "Return of migrant victims of violence from a kabupaten/kota debarkation point to their home village"
    ),
    defaultLevel: "kabupaten-kota",
    levelOverridable: false,
    basis: [kabupatenKotaBasis("return of migrant victims from the kabupaten/kota debarkation point to the village")]
  },
  {
    id: "JURISDICTION-MIGRANT-PROVINCIAL-DEBARKATION",
    title: Basis.label(
      "Pemulangan pekerja migran dari titik debarkasi provinsi",
      "Migrant-worker return from a provincial debarkation point"
    ),
    reason: Basis.label(
      "Pemulangan warga negara migran korban tindak kekerasan dari titik debarkasi provinsi ke kabupaten/kota asal",
      "Return of migrant victims of violence from a provincial debarkation point to their home kabupaten/kota"
    ),
    defaultLevel: "provinsi",
    levelOverridable: true,
    basis: [
      Basis.unverified(
        UU_23_2014,
        annex("provinsi"),
        "provinsi: return from the provincial debarkation point (seed 003)"
      )
    ]
  },
  {
    id: "JURISDICTION-ABH",
    title: Basis.label("Rehabilitasi ABH: kabupaten/kota", "Rehabilitation of ABH: kabupaten/kota"),
    reason: Basis.label(
      "Rehabilitasi anak yang berhadapan dengan hukum adalah kewenangan kabupaten/kota",
      "Rehabilitation of children in conflict with, victims of or witnesses to the law is a kabupaten/kota affair"
    ),
    defaultLevel: "kabupaten-kota",
    levelOverridable: false,
    basis: [
      kabupatenKotaBasis(
        "rehabilitation of anak yang berhadapan dengan hukum, with no panti condition: also when the child needs a " +
          "residential service"
      )
    ]
  },
  {
    id: "JURISDICTION-INSTITUTIONAL-CARE",
    title: Basis.label("Rehabilitasi di dalam panti: provinsi", "Rehabilitation in an institution: provincial"),
    reason: Basis.label(
      "Rehabilitasi sosial yang memerlukan panti adalah kewenangan provinsi",
      "Social rehabilitation that needs an institution (panti) is a provincial affair"
    ),
    defaultLevel: "provinsi",
    levelOverridable: true,
    basis: [
      Basis.unverified(
        UU_23_2014,
        annex("provinsi"),
        "provinsi: rehabilitation in a panti, except former NAPZA users and people with HIV/AIDS (seed 000: UPTD PSAA " +
          "Tri Murni)"
      ),
      Basis.unverified(PP_2_2018, "Pasal 10", "SPM: provincial basic social rehabilitation inside a panti")
    ]
  },
  {
    id: "JURISDICTION-CROSS-PROVINCE",
    title: Basis.label("Kasus lintas provinsi: provinsi", "Cases across provinces: provincial"),
    reason: Basis.label(
      "Dinas Sosial provinsi memulangkan orang telantar ke provinsi asalnya sendiri; lintas provinsi saja tidak " +
        "menjadikan kasus kewenangan Pusat",
      "A provincial Dinas Sosial returns stranded people to their home province itself; crossing a border does not " +
        "by itself make a case national"
    ),
    defaultLevel: "provinsi",
    levelOverridable: true,
    basis: [
      Basis.unverified(
        UU_23_2014,
        annex("provinsi"),
        "practice: Dinsos Provinsi NTB returns ODGJ telantar to Jawa Timur (seed 003; docs/domain.md §4)"
      )
    ]
  },
  {
    id: "JURISDICTION-OUTSIDE-INSTITUTION",
    title: Basis.label(
      "Rehabilitasi di luar panti: kabupaten/kota",
      "Rehabilitation outside an institution: kabupaten/kota"
    ),
    reason: Basis.label(
      "Rehabilitasi sosial di luar panti adalah kewenangan kabupaten/kota",
      "Social rehabilitation outside an institution (panti) is a kabupaten/kota affair"
    ),
    defaultLevel: "kabupaten-kota",
    levelOverridable: false,
    basis: [
      kabupatenKotaBasis("rehabilitation outside a panti, except former NAPZA users and people with HIV/AIDS"),
      Basis.unverified(PP_2_2018, "Pasal 10", "SPM: kabupaten/kota basic social rehabilitation outside a panti")
    ]
  }
]

const infoById = new Map(catalogue.map((info) => [info.id, info]))

/** The description of a rule. */
export const info = (id: RuleId): RuleInfo => infoById.get(id) as RuleInfo

/** Whether a rule's condition holds for the facts. The fallback always applies. */
export const applies = (id: RuleId, facts: CaseFacts): boolean => {
  switch (id) {
    case "JURISDICTION-NAPZA-HIV":
      return facts.formerNapzaUser || facts.hivAids
    case "JURISDICTION-MIGRANT-NATIONAL-DEBARKATION":
      return facts.migrantWorkerReturn === "national"
    case "JURISDICTION-CROSS-PROVINCE":
      return facts.crossesProvinces
    case "JURISDICTION-EXCEEDS-CAPACITY":
      return facts.exceedsRegionalCapacity
    case "JURISDICTION-MIGRANT-KABUPATEN-KOTA-DEBARKATION":
      return facts.migrantWorkerReturn === "kabupaten-kota"
    case "JURISDICTION-MIGRANT-PROVINCIAL-DEBARKATION":
      return facts.migrantWorkerReturn === "provinsi"
    case "JURISDICTION-INSTITUTIONAL-CARE":
      return facts.needsInstitutionalCare
    case "JURISDICTION-ABH":
      return facts.abh
    case "JURISDICTION-OUTSIDE-INSTITUTION":
      return true
  }
}

/** The rules this module implements, with stable ids and their bases. */
export const rules: ReadonlyArray<Basis.Rule> = catalogue.map((item) => Basis.rule(item.id, item.title, item.basis))

// ---------------------------------------------------------------------------------------------------------------------
// Policy

/** One step of the policy: a rule and the level it gives. */
export interface Step {
  readonly rule: StepRuleId
  readonly level: Level
}

/**
 * The order in which rules are tried and the level each gives; a typed, overridable policy. It lists every rule but
 * the fallback exactly once; the verified kabupaten/kota rules keep level `kabupaten-kota` (they may be reordered).
 * The fallback, kabupaten/kota rehabilitation outside an institution, always comes last.
 */
export interface JurisdictionPolicy {
  readonly steps: ReadonlyArray<Step>
  /**
   * Arrangements of particular regions: for cases in `region` (a code and everything inside it), the rule `rule`
   * gives `level` instead — also a verified kabupaten/kota rule, by an arrangement between governments (seed 003:
   * Dinsos Provinsi NTB accompanies ABH at the UPPA and in court). Each names its reason, which the answer cites.
   */
  readonly regional?: ReadonlyArray<RegionalOverride>
}

/** An arrangement of a region: the level a rule gives there, and why. */
export interface RegionalOverride {
  readonly region: Region.RegionCode
  readonly rule: StepRuleId
  readonly level: Level
  /** Why the region departs from the rule's level (the arrangement, its reference). */
  readonly reason: string
}

/** The basis an answer cites when a regional arrangement set its level. */
export const regionalOverrideBasis = (override: RegionalOverride): Basis.Basis =>
  Basis.policyDefault("regional jurisdiction arrangement", `region ${override.region}`, override.reason)

/** The default policy: the rules in {@link catalogue} order with their default levels. */
export const defaultJurisdictionPolicy: JurisdictionPolicy = {
  steps: catalogue
    .filter((item) => item.id !== FALLBACK_RULE)
    .map((item) => ({ rule: item.id as StepRuleId, level: item.defaultLevel }))
}

/** The basis of {@link defaultJurisdictionPolicy}'s order: which rule wins when several apply. */
export const jurisdictionPolicyBasis: Basis.Basis = Basis.policyDefault(
  "Lindung jurisdiction policy",
  undefined,
  "precedence when several rules apply: NAPZA/HIV, returns from a national debarkation point, beyond capacity, " +
    "other migrant returns, ABH (before institutional care: the annex gives ABH to the kabupaten/kota with no panti " +
    "condition), institutional care, across provinces, then rehabilitation outside an institution; the provinsi and " +
    "pusat rules are unverified"
)

/** The basis added to an answer whose rule gave a level the deployment's policy set, not the default level. */
export const overriddenLevelBasis: Basis.Basis = Basis.policyDefault(
  "deployment jurisdiction policy",
  undefined,
  "the level of this rule was set by the deployment's JurisdictionPolicy, not the Lindung default"
)

/** A jurisdiction policy that cannot be used; `reason` says why. */
export class InvalidJurisdictionPolicy extends Schema.TaggedError<InvalidJurisdictionPolicy>()(
  "InvalidJurisdictionPolicy",
  { field: Schema.String, reason: Schema.String }
) {
  override get message(): string {
    return `Invalid jurisdiction policy ${this.field}: ${this.reason}`
  }
}

const policyFail = (field: string, reason: string): Result.Result<never, InvalidJurisdictionPolicy> =>
  Result.fail(new InvalidJurisdictionPolicy({ field, reason }))

const stepRuleIds: ReadonlyArray<StepRuleId> = RuleId.literals.filter((id): id is StepRuleId => id !== FALLBACK_RULE)

/**
 * Checks a policy: every rule but the fallback exactly once, known levels, and the verified kabupaten/kota rules at
 * level `kabupaten-kota`.
 */
export const validatePolicy = (
  policy: JurisdictionPolicy
): Result.Result<JurisdictionPolicy, InvalidJurisdictionPolicy> => {
  const seen = new Set<string>()
  for (const [index, step] of policy.steps.entries()) {
    const field = `steps[${index}]`
    // Policies may come from configuration: check the codes at run time, not only by type.
    const rule: unknown = step.rule
    if (!Schema.is(RuleId)(rule) || rule === FALLBACK_RULE) {
      return policyFail(field, `${JSON.stringify(rule)} is not a rule a policy orders`)
    }
    if (!Schema.is(Level)(step.level)) return policyFail(field, `${JSON.stringify(step.level)} is not a level`)
    if (seen.has(rule)) return policyFail(field, `${rule} is listed twice`)
    seen.add(rule)
    const ruleInfo = info(rule)
    if (!ruleInfo.levelOverridable && step.level !== ruleInfo.defaultLevel) {
      return policyFail(field, `${rule} is verified law: its level stays ${ruleInfo.defaultLevel}`)
    }
  }
  const missing = stepRuleIds.filter((id) => !seen.has(id))
  if (missing.length > 0) return policyFail("steps", `missing ${missing.join(", ")}`)
  for (const [index, override] of (policy.regional ?? []).entries()) {
    const field = `regional[${index}]`
    const rule: unknown = override.rule
    if (!Schema.is(RuleId)(rule) || rule === FALLBACK_RULE) {
      return policyFail(field, `${JSON.stringify(rule)} is not a rule a policy orders`)
    }
    if (!Schema.is(Level)(override.level)) return policyFail(field, `${JSON.stringify(override.level)} is not a level`)
    if (!Schema.is(Region.RegionCode)(override.region)) {
      return policyFail(field, `${JSON.stringify(override.region)} is not a region code`)
    }
    if (typeof override.reason !== "string" || override.reason.trim().length === 0) {
      return policyFail(field, "an arrangement names its reason")
    }
    const twin = (policy.regional ?? []).findIndex((o) => o.region === override.region && o.rule === override.rule)
    if (twin !== index) return policyFail(field, `${override.rule} in region ${override.region} is arranged twice`)
  }
  return Result.succeed(policy)
}

// ---------------------------------------------------------------------------------------------------------------------
// The answer

/** The responsible region: a region code (the kabupaten/kota or provinsi of the case), or `national`. */
export type ResponsibleRegion = Region.RegionCode | "national"

/** A fact the answer needs but the case does not give. */
export interface MissingFact {
  /** The field of {@link CaseFacts}. */
  readonly field: keyof CaseFacts
  readonly need: Basis.Label
}

/** Fields common to both answers. */
interface Answer {
  readonly level: Level
  /** The rule that decided. */
  readonly rule: RuleId
  readonly reason: Basis.Label
  readonly basis: readonly [Basis.Basis, ...Array<Basis.Basis>]
  /** Rules that applied as well but came later in the policy's order (the always-applicable fallback is not listed). */
  readonly alsoApplicable: ReadonlyArray<RuleId>
}

/** The responsible level and region. `region` contains the case's region, or is `national` for the pusat. */
export interface Determined extends Answer {
  readonly _tag: "Determined"
  readonly region: ResponsibleRegion
}

/**
 * The level is known but not the region: the answer is a kabupaten/kota and the case's region is known only to the
 * provinsi. `within` is the provinsi the answer lies in; `missing` says what to add.
 */
export interface Undetermined extends Answer {
  readonly _tag: "Undetermined"
  readonly within: Region.RegionCode
  readonly missing: ReadonlyArray<MissingFact>
}

/** See {@link Determined} and {@link Undetermined}. */
export type Responsibility = Determined | Undetermined

const decodeFacts = Input.decode(CaseFacts, "facts")

const answer = (
  rule: RuleId,
  level: Level,
  facts: CaseFacts,
  alsoApplicable: ReadonlyArray<RuleId>,
  arrangement: RegionalOverride | undefined
): Responsibility => {
  const ruleInfo = info(rule)
  const basis: readonly [Basis.Basis, ...Array<Basis.Basis>] =
    arrangement !== undefined
      ? [...ruleInfo.basis, regionalOverrideBasis(arrangement)]
      : level === ruleInfo.defaultLevel
        ? ruleInfo.basis
        : [...ruleInfo.basis, overriddenLevelBasis]
  // An arrangement gives its own reason: the rule's would name another level.
  const reason = arrangement === undefined ? ruleInfo.reason : Basis.label(arrangement.reason, arrangement.reason)
  const common = { level, rule, reason, basis, alsoApplicable }
  switch (level) {
    case "pusat":
      return { _tag: "Determined", ...common, region: "national" }
    case "provinsi":
      return { _tag: "Determined", ...common, region: Region.province(facts.region) }
    case "kabupaten-kota": {
      const regency = Region.regency(facts.region)
      if (regency._tag === "Some") return { _tag: "Determined", ...common, region: regency.value }
      return {
        _tag: "Undetermined",
        ...common,
        within: Region.province(facts.region),
        missing: [
          {
            field: "region",
            need: Basis.label(
              `Kabupaten/kota anak di provinsi ${facts.region} (kode PP.KK atau lebih rinci)`,
              `The child's kabupaten/kota in provinsi ${facts.region} (a PP.KK code or narrower)`
            )
          }
        ]
      }
    }
  }
}

/**
 * Who is responsible for a case: the first rule of the policy that applies decides the level; the region is the
 * kabupaten/kota or provinsi of the case's region, or `national`. Total: the fallback (kabupaten/kota rehabilitation
 * outside an institution) applies when nothing else does. Fails with an {@link Input.InvalidInput} on facts that do
 * not decode and an {@link InvalidJurisdictionPolicy} on a bad policy.
 */
export const responsible = (
  facts: CaseFacts,
  policy: JurisdictionPolicy = defaultJurisdictionPolicy
): Result.Result<Responsibility, Input.InvalidInput | InvalidJurisdictionPolicy> => {
  const checked = validatePolicy(policy)
  if (Result.isFailure(checked)) return Result.fail(checked.failure)
  const decoded = decodeFacts(facts)
  if (Result.isFailure(decoded)) return Result.fail(decoded.failure)
  const ordered: ReadonlyArray<{ readonly rule: RuleId; readonly level: Level }> = [
    ...policy.steps,
    { rule: FALLBACK_RULE, level: "kabupaten-kota" }
  ]
  const matching = ordered.filter((step) => applies(step.rule, decoded.success))
  // The fallback always applies, so `matching` is never empty.
  const [first, ...rest] = matching as [(typeof ordered)[number], ...Array<(typeof ordered)[number]>]
  // The most specific arrangement of the case's region for the deciding rule, if any.
  const arrangement = (policy.regional ?? [])
    .filter((o) => o.rule === first.rule && Region.contains(o.region, decoded.success.region))
    .sort((a, b) => b.region.length - a.region.length)[0]
  return Result.succeed(
    answer(
      first.rule,
      arrangement?.level ?? first.level,
      decoded.success,
      rest.map((step) => step.rule).filter((rule) => rule !== FALLBACK_RULE),
      arrangement
    )
  )
}
