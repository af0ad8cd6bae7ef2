import { fc, test as propTest } from "@fast-check/vitest"
import { Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as Basis from "../src/Basis.js"
import * as Risk from "../src/Risk.js"

const arbitraryLevel = fc.constantFrom(...Risk.levels)
const arbitraryFactor = fc.constantFrom(...Risk.factorCodes)
const arbitraryRedFlag = fc.constantFrom(...Risk.redFlagCodes)
const arbitraryConcern = fc.constantFrom(...Risk.concernCodes)
const arbitraryFactors = fc.array(arbitraryFactor, { maxLength: 12 })

/** Overrides that makeRiskPolicy accepts or rejects, so that both paths get exercised. */
const arbitraryWeight = fc.oneof(
  { weight: 8, arbitrary: fc.double({ min: 0, max: 10, noNaN: true }) },
  { weight: 2, arbitrary: fc.constantFrom(-1, Number.NaN, Number.POSITIVE_INFINITY) }
)
const arbitraryOverrides = fc.record(
  {
    sedangThreshold: fc.oneof(
      { weight: 8, arbitrary: fc.double({ min: 0.01, max: 20, noNaN: true }) },
      { weight: 2, arbitrary: fc.constantFrom(0, -2, Number.NaN, Number.NEGATIVE_INFINITY) }
    ),
    weights: fc.dictionary(
      fc.constantFrom(
        ...Risk.factorCodes.filter((code) => !(Risk.schemeRedFlags as ReadonlyArray<string>).includes(code))
      ),
      arbitraryWeight,
      { maxKeys: 6 }
    ),
    // The red flags in force: mostly the scheme's and some other factors (red flags or concerns), sometimes a list
    // without one of the scheme's (refused).
    redFlags: fc.oneof(
      {
        weight: 8,
        arbitrary: fc
          .subarray(Risk.factorCodes.filter((code) => !(Risk.schemeRedFlags as ReadonlyArray<string>).includes(code)))
          .map((others) => [...Risk.schemeRedFlags, ...others])
      },
      { weight: 1, arbitrary: fc.subarray([...Risk.factorCodes], { maxLength: 4 }) }
    )
  },
  { requiredKeys: [] }
) as fc.Arbitrary<Risk.RiskPolicyOverrides>

const accepted = (overrides: Risk.RiskPolicyOverrides): Risk.RiskPolicy | undefined =>
  Result.getOrUndefined(Risk.makeRiskPolicy(overrides))

describe("Risk: levels", () => {
  it("names the UPTD PPA, the regional technical unit for women and children (issue 11, fact 9)", () => {
    expect(Risk.responses.sedang.id).toBe("Ditangani berkoordinasi dengan UPTD PPA")
    expect(JSON.stringify([Risk.responses, Risk.sulselScheme])).not.toMatch(/UPT PPA/)
  })

  it("orders rendah < sedang < tinggi", () => {
    expect(Risk.compare("rendah", "sedang")).toBe(-1)
    expect(Risk.compare("tinggi", "sedang")).toBe(1)
    expect(Risk.compare("sedang", "sedang")).toBe(0)
    expect(Risk.max("rendah", "tinggi", "sedang")).toBe("tinggi")
    expect(Risk.max("sedang", "rendah")).toBe("sedang")
    expect(Risk.max()).toBe("rendah")
    expect((["tinggi", "rendah", "sedang"] as Array<Risk.Level>).sort(Risk.Order)).toEqual([
      "rendah",
      "sedang",
      "tinggi"
    ])
  })

  it("labels every level in Indonesian and English", () => {
    expect(Risk.labels.tinggi).toEqual({ id: "Tinggi", en: "High" })
    for (const level of Risk.levels) {
      expect(Schema.is(Basis.Label)(Risk.labels[level])).toBe(true)
      expect(Schema.is(Basis.Label)(Risk.responses[level])).toBe(true)
    }
  })

  propTest.prop([arbitraryLevel, arbitraryLevel, arbitraryLevel])(
    "compare is a total order and max is its least upper bound",
    (a, b, c) => {
      expect(Risk.compare(a, b)).toBe(-Risk.compare(b, a) || 0)
      if (Risk.compare(a, b) <= 0 && Risk.compare(b, c) <= 0) expect(Risk.compare(a, c)).toBeLessThanOrEqual(0)
      const top = Risk.max(a, b)
      expect(Risk.compare(top, a)).toBeGreaterThanOrEqual(0)
      expect(Risk.compare(top, b)).toBeGreaterThanOrEqual(0)
      expect([a, b]).toContain(top)
    }
  )
})

describe("Risk: the factor catalogue", () => {
  it("has one valid entry per code, red flags marked consistently", () => {
    expect(Risk.factors.map((entry) => entry.code)).toEqual([...Risk.factorCodes])
    for (const entry of Risk.factors) {
      expect(Schema.is(Risk.Factor)(entry)).toBe(true)
      expect(entry.redFlag).toBe(Risk.isRedFlag(entry.code))
      expect(entry.contribution.kind).toBe(entry.redFlag ? "red-flag" : "points")
      expect(Risk.factor(entry.code)).toBe(entry)
    }
  })

  it("holds the red flags docs/domain.md §5 and the Sulawesi Selatan scheme name", () => {
    for (const code of [
      "sexual-violence",
      "trafficking",
      "confinement",
      "imminent-danger",
      "perpetrator-has-access",
      "under-five-without-protective-carer",
      "serious-injury",
      "suicide-risk"
    ] as const) {
      expect(Risk.factor(code).redFlag).toBe(true)
    }
    for (const code of ["sexual-violence", "trafficking", "confinement"] as const) {
      expect(Risk.factor(code).basis).toContainEqual(Risk.sulselScheme)
    }
    expect(Risk.sulselScheme.status).toBe("verified")
  })

  it("takes the default weights from the catalogue", () => {
    for (const code of Risk.concernCodes) {
      const contribution = Risk.factor(code).contribution
      expect(contribution).toEqual({ kind: "points", points: Risk.defaultRiskPolicy.weights[code] })
    }
    expect(Risk.riskPolicyBasis.status).toBe("policy-default")
  })
})

describe("Risk: assess", () => {
  it("seed 000: sexual violence by a family member with access to the children is tinggi", () => {
    const outcome = Risk.assess({ factors: ["sexual-violence", "perpetrator-has-access", "family-conflict"] })
    expect(outcome.computed).toBe("tinggi")
    expect(outcome.redFlags).toEqual(["sexual-violence", "perpetrator-has-access"])
    expect(outcome.reasons).toEqual([
      { factor: "sexual-violence", contribution: { kind: "red-flag", level: "tinggi" } },
      { factor: "perpetrator-has-access", contribution: { kind: "red-flag", level: "tinggi" } },
      { factor: "family-conflict", contribution: { kind: "points", points: 1 } }
    ])
    expect(Schema.is(Risk.Outcome)(outcome)).toBe(true)
  })

  it("a case with one lesser concern, or none, is rendah", () => {
    expect(Risk.assess({ factors: ["out-of-school"] })).toEqual({
      computed: "rendah",
      score: 1,
      sedangThreshold: 2,
      reasons: [{ factor: "out-of-school", contribution: { kind: "points", points: 1 } }],
      redFlags: []
    })
    expect(Risk.assess({ factors: [] }).computed).toBe("rendah")
  })

  it("one serious concern or two lesser ones make a case sedang", () => {
    expect(Risk.assess({ factors: ["repeated-neglect"] }).computed).toBe("sedang")
    expect(Risk.assess({ factors: ["out-of-school", "previous-reports"] }).computed).toBe("sedang")
  })

  it("counts a factor listed twice once", () => {
    const outcome = Risk.assess({ factors: ["out-of-school", "out-of-school"] })
    expect(outcome.score).toBe(1)
    expect(outcome.computed).toBe("rendah")
    expect(outcome.reasons).toHaveLength(1)
  })

  it("follows an overridden policy", () => {
    const strict = Result.getOrThrow(Risk.makeRiskPolicy({ sedangThreshold: 1 }))
    expect(Risk.assess({ factors: ["out-of-school"] }, strict).computed).toBe("sedang")
    const lenient = Result.getOrThrow(Risk.makeRiskPolicy({ weights: { "repeated-neglect": 0.5 } }))
    expect(Risk.assess({ factors: ["repeated-neglect"] }, lenient).computed).toBe("rendah")
    expect(lenient.weights["out-of-school"]).toBe(1)
  })

  it("rejects a policy with a bad number or an unknown key", () => {
    const reject = (overrides: unknown) => {
      const result = Risk.makeRiskPolicy(overrides as Risk.RiskPolicyOverrides)
      if (Result.isSuccess(result)) throw new Error(`expected ${JSON.stringify(overrides)} to be rejected`)
      expect(result.failure._tag).toBe("InvalidInput")
      return result.failure.message
    }
    expect(reject({ sedangThreshold: 0 })).toMatch(/greater than 0/)
    expect(reject({ sedangThreshold: Number.POSITIVE_INFINITY })).toMatch(/finite/)
    expect(reject({ weights: { "out-of-school": -1 } })).toMatch(/greater than or equal to 0/)
    expect(reject({ weights: { "sexual-violence": 1 } })).toMatch(/excess/)
    expect(reject({ threshold: 2 })).toMatch(/excess/)
    // The scheme's red flags stay red flags; a factor is listed once.
    expect(reject({ redFlags: ["sexual-violence", "trafficking"] })).toMatch(/must include the scheme's red flags/)
    expect(reject({ redFlags: [...Risk.schemeRedFlags, "suicide-risk", "suicide-risk"] })).toMatch(/unique/)
    expect(reject({ redFlags: [...Risk.schemeRedFlags, "kidnapping"] })).toMatch(/kidnapping|Expected/)
  })

  it("follows the red flags a policy keeps: a practice red flag may become a concern, a concern a red flag", () => {
    // Demoted: the alleged perpetrator's access weighs as a serious concern (2 points), or as the policy says.
    const demoted = Result.getOrThrow(
      Risk.makeRiskPolicy({ redFlags: Risk.redFlagCodes.filter((code) => code !== "perpetrator-has-access") })
    )
    expect(Risk.assess({ factors: ["perpetrator-has-access"] }, demoted)).toMatchObject({
      computed: "sedang",
      score: Risk.DEMOTED_RED_FLAG_POINTS,
      redFlags: [],
      reasons: [{ factor: "perpetrator-has-access", contribution: { kind: "points", points: 2 } }]
    })
    const light = Result.getOrThrow(Risk.makeRiskPolicy({ weights: { "perpetrator-has-access": 1 } }, demoted))
    expect(Risk.computedLevel(["perpetrator-has-access"], light)).toBe("rendah")
    // Promoted: a child marriage being arranged is tinggi on its own.
    const promoted = Result.getOrThrow(Risk.makeRiskPolicy({ redFlags: [...Risk.redFlagCodes, "child-marriage"] }))
    expect(Risk.assess({ factors: ["child-marriage"] }, promoted)).toMatchObject({
      computed: "tinggi",
      redFlags: ["child-marriage"]
    })
    expect(Risk.computedLevel(["child-marriage"], promoted)).toBe("tinggi")
    // Points for a factor the policy holds as a red flag would change nothing: refused; given with its demotion, taken.
    const pointless = Risk.makeRiskPolicy({ weights: { "suicide-risk": 1 } })
    expect(Result.isFailure(pointless) && pointless.failure.message).toMatch(
      /weights.suicide-risk: a red flag of the policy carries no points/
    )
    const withPoints = Risk.makeRiskPolicy({
      redFlags: Risk.redFlagCodes.filter((code) => code !== "suicide-risk"),
      weights: { "suicide-risk": 1 }
    })
    expect(Result.isSuccess(withPoints) && Risk.computedLevel(["suicide-risk"], withPoints.success)).toBe("rendah")
    // A copy of a policy shares its list, and so its set of red flags (no set is built per call).
    expect(Risk.redFlagsOf({ ...promoted })).toBe(Risk.redFlagsOf(promoted))
    expect(Object.isFrozen(promoted.redFlags)).toBe(true)
    // The default policy holds the catalogue's red flags.
    expect([...Risk.redFlagsOf()]).toEqual([...Risk.redFlagCodes])
    // A policy built in code that leaves out a scheme red flag is refused where servers check it.
    const broken = { ...Risk.defaultRiskPolicy, redFlags: ["trafficking", "confinement"] as const }
    expect(Result.isFailure(Risk.validatePolicy(broken))).toBe(true)
  })

  it("decodes an assessment from unknown input and says what is wrong", () => {
    expect(Risk.decodeAssessment({ factors: ["trafficking"] })).toEqual(Result.succeed({ factors: ["trafficking"] }))
    const bad = Risk.decodeAssessment({ factors: ["kidnapping"] })
    expect(Result.isFailure(bad)).toBe(true)
    if (Result.isFailure(bad)) expect(bad.failure.field).toBe("assessment")
  })

  propTest.prop([arbitraryFactors, arbitraryRedFlag])("RISK-RED-FLAG: any red flag computes tinggi", (others, flag) => {
    const outcome = Risk.assess({ factors: [...others, flag] })
    expect(outcome.computed).toBe("tinggi")
    expect(outcome.redFlags).toContain(flag)
  })

  propTest.prop([arbitraryFactors, arbitraryFactor, arbitraryOverrides])(
    "RISK-RED-FLAG: under any accepted policy, a red flag it holds computes tinggi, and the scheme's always do",
    (others, factor, overrides) => {
      const policy = accepted(overrides) ?? Risk.defaultRiskPolicy
      const flags = Risk.redFlagsOf(policy)
      for (const code of Risk.schemeRedFlags) expect(flags.has(code)).toBe(true)
      const outcome = Risk.assess({ factors: [...others, factor] }, policy)
      if (flags.has(factor)) {
        expect(outcome.computed).toBe("tinggi")
        expect(outcome.redFlags).toContain(factor)
      } else expect(outcome.redFlags).not.toContain(factor)
    }
  )

  propTest.prop([arbitraryFactors, arbitraryOverrides])(
    "RISK-CONCERN-THRESHOLD: without red flags, sedang exactly when the points of the other factors reach the threshold",
    (factors, overrides) => {
      const policy = accepted(overrides) ?? Risk.defaultRiskPolicy
      const flags = Risk.redFlagsOf(policy)
      const concerns = [...new Set(factors)].filter((code) => !flags.has(code))
      const outcome = Risk.assess({ factors }, policy)
      const weights = policy.weights as Readonly<Record<string, number | undefined>>
      const points = concerns.reduce((sum, code) => sum + (weights[code] ?? Risk.DEMOTED_RED_FLAG_POINTS), 0)
      expect(outcome.score).toBeCloseTo(points)
      if (outcome.redFlags.length === 0) {
        expect(outcome.computed).toBe(outcome.score >= policy.sedangThreshold ? "sedang" : "rendah")
      } else expect(outcome.computed).toBe("tinggi")
    }
  )

  it("computedLevel gives assess's level without its reasons", () => {
    // It holds the factors present as the bits of one 32-bit number.
    expect(Risk.factorCodes.length).toBeLessThanOrEqual(32)
    expect(Risk.computedLevel(["out-of-school"])).toBe("rendah")
    expect(Risk.computedLevel(["out-of-school", "out-of-school"])).toBe("rendah")
    expect(Risk.computedLevel(["physical-or-psychological-violence"])).toBe("sedang")
    expect(Risk.computedLevel(["out-of-school", "sexual-violence"])).toBe("tinggi")
    expect(Risk.computedLevel([])).toBe("rendah")
    // A code that is no factor counts for nothing, in both (typed input is not checked at run time).
    for (const factors of [["not-a-factor"], ["__proto__"], ["out-of-school", "bogus"]] as never as Array<
      Array<Risk.FactorCode>
    >) {
      expect(Risk.computedLevel(factors)).toBe(Risk.assess({ factors }).computed)
    }
    expect(Risk.computedLevel(["not-a-factor"] as never)).toBe("rendah")
  })

  propTest.prop([arbitraryFactors, arbitraryOverrides])(
    "computedLevel is assess's computed level (any policy makeRiskPolicy accepts, factors repeated or not)",
    (factors, overrides) => {
      const policy = accepted(overrides) ?? Risk.defaultRiskPolicy
      expect(Risk.computedLevel(factors, policy)).toBe(Risk.assess({ factors }, policy).computed)
    }
  )

  it("measure gives the level with the red flags and points the policy made of the factors", () => {
    expect(Risk.measure(["sexual-violence", "out-of-school", "sexual-violence"])).toEqual({
      computed: "tinggi",
      score: 1,
      sedangThreshold: 2,
      redFlags: ["sexual-violence"]
    })
    expect(Risk.measure(["physical-or-psychological-violence", "trafficking", "abduction"]).redFlags).toEqual([
      "trafficking",
      "abduction"
    ])
    // A policy that makes a practice red flag a concern: its points count, and it is no red flag of the record.
    const demoted = Risk.makeRiskPolicy({ redFlags: Risk.schemeRedFlags })
    expect(Result.isSuccess(demoted)).toBe(true)
    if (Result.isSuccess(demoted)) {
      expect(Risk.measure(["perpetrator-has-access"], demoted.success)).toEqual({
        computed: "sedang",
        score: Risk.DEMOTED_RED_FLAG_POINTS,
        sedangThreshold: 2,
        redFlags: []
      })
    }
    expect(Risk.measure([])).toEqual({ computed: "rendah", score: 0, sedangThreshold: 2, redFlags: [] })
  })

  propTest.prop([arbitraryFactors, arbitraryOverrides])(
    "measure is assess's level, score, threshold and red flags (any policy makeRiskPolicy accepts)",
    (factors, overrides) => {
      const policy = accepted(overrides) ?? Risk.defaultRiskPolicy
      const { computed, score, sedangThreshold, redFlags } = Risk.assess({ factors }, policy)
      expect(Risk.measure(factors, policy)).toEqual({ computed, score, sedangThreshold, redFlags })
    }
  )

  propTest.prop([arbitraryFactors, arbitraryFactor])(
    "adding a factor never lowers the computed level (default policy)",
    (factors, extra) => {
      const before = Risk.assess({ factors }).computed
      const after = Risk.assess({ factors: [...factors, extra] }).computed
      expect(Risk.compare(after, before)).toBeGreaterThanOrEqual(0)
    }
  )

  propTest.prop([arbitraryFactors, arbitraryFactor, arbitraryOverrides])(
    "adding a factor never lowers the computed level (any policy makeRiskPolicy accepts)",
    (factors, extra, overrides) => {
      const policy = accepted(overrides)
      if (policy === undefined) return
      const before = Risk.assess({ factors }, policy).computed
      const after = Risk.assess({ factors: [...factors, extra] }, policy).computed
      expect(Risk.compare(after, before)).toBeGreaterThanOrEqual(0)
    }
  )

  propTest.prop([arbitraryFactors])("the outcome is valid data and lists each factor found once", (factors) => {
    const outcome = Risk.assess({ factors })
    expect(Schema.is(Risk.Outcome)(outcome)).toBe(true)
    expect(outcome.reasons.map((reason) => reason.factor).sort()).toEqual([...new Set(factors)].sort())
  })
})

describe("Risk: setLevel", () => {
  it("lowering tinggi to sedang needs a reason and a supervisor's approval", () => {
    const refused = Risk.setLevel({ computed: "tinggi", chosen: "sedang" })
    expect(Result.isFailure(refused)).toBe(true)
    if (Result.isFailure(refused)) {
      expect(refused.failure._tag).toBe("OverrideReasonRequired")
      expect(refused.failure.rule).toBe("RISK-OVERRIDE-REASON")
      expect(refused.failure.message).toMatch(/RISK-OVERRIDE-REASON.*sedang.*tinggi.*written reason/)
    }
    const decision = Result.getOrThrow(
      Risk.setLevel({ computed: "tinggi", chosen: "sedang", reason: "  alleged perpetrator detained  " })
    )
    expect(decision).toEqual({
      computed: "tinggi",
      chosen: "sedang",
      direction: "lowered",
      reason: "alleged perpetrator detained",
      needsSupervisorApproval: true
    })
    expect(Risk.effectiveLevel(decision, false)).toBe("tinggi")
    expect(Risk.effectiveLevel(decision, true)).toBe("sedang")
  })

  it("raising rendah to sedang needs a reason but no approval", () => {
    expect(Result.isFailure(Risk.setLevel({ computed: "rendah", chosen: "sedang", reason: "   " }))).toBe(true)
    const decision = Result.getOrThrow(
      Risk.setLevel({ computed: "rendah", chosen: "sedang", reason: "family refuses home visits" })
    )
    expect(decision.direction).toBe("raised")
    expect(decision.needsSupervisorApproval).toBe(false)
    expect(Risk.effectiveLevel(decision, false)).toBe("sedang")
  })

  it("keeping the computed level needs no reason", () => {
    expect(Risk.setLevel({ computed: "sedang", chosen: "sedang" })).toEqual(
      Result.succeed({ computed: "sedang", chosen: "sedang", direction: "unchanged", needsSupervisorApproval: false })
    )
  })

  propTest.prop([arbitraryLevel, arbitraryLevel, fc.option(fc.string(), { nil: undefined })])(
    "RISK-OVERRIDE-REASON and RISK-LOWER-APPROVAL hold for every pair of levels",
    (computed, chosen, reason) => {
      const result = Risk.setLevel({ computed, chosen, reason })
      const hasReason = reason !== undefined && reason.trim() !== ""
      const missing = Risk.missingOverrideReason({ computed, chosen, reason })
      if (computed !== chosen && !hasReason) {
        expect(Result.isFailure(result)).toBe(true)
        // The decider's plain check says the same, without building an error.
        expect(missing).toBe(
          `setting the risk level to ${chosen} when the computed level is ${computed} needs a written reason`
        )
        expect(Result.isFailure(result) && result.failure.message).toContain(missing)
        return
      }
      expect(missing).toBeUndefined()
      const decision = Result.getOrThrow(result)
      expect(Schema.is(Risk.LevelDecision)(decision)).toBe(true)
      expect(decision.needsSupervisorApproval).toBe(Risk.compare(chosen, computed) < 0)
      // until approved, a lowered level never governs the case
      expect(Risk.compare(Risk.effectiveLevel(decision, false), computed)).toBeGreaterThanOrEqual(0)
      expect(Risk.effectiveLevel(decision, true)).toBe(chosen)
    }
  )

  propTest.prop([arbitraryFactors, arbitraryLevel, fc.string({ minLength: 1 }).filter((s) => s.trim() !== "")])(
    "any override below an assessment's computed level needs approval",
    (factors, chosen, reason) => {
      const { computed } = Risk.assess({ factors })
      const decision = Result.getOrThrow(Risk.setLevel({ computed, chosen, reason }))
      if (Risk.compare(chosen, computed) < 0) expect(decision.needsSupervisorApproval).toBe(true)
      else expect(decision.needsSupervisorApproval).toBe(false)
    }
  )
})

describe("Risk: rules", () => {
  it("lists its rules with stable ids, each with a basis", () => {
    expect(Risk.rules.map((rule) => rule.id)).toEqual([
      "RISK-RED-FLAG",
      "RISK-CONCERN-THRESHOLD",
      "RISK-OVERRIDE-REASON",
      "RISK-LOWER-APPROVAL"
    ])
    for (const rule of Risk.rules) {
      expect(Schema.is(Basis.Rule)(rule)).toBe(true)
      expect(rule.basis.length).toBeGreaterThan(0)
    }
    expect(Risk.rules[0]?.basis).toContainEqual(Risk.sulselScheme)
  })

  propTest.prop([fc.constantFrom(...Risk.rules)])("every rule has a basis", (rule) => {
    expect(rule.basis.length).toBeGreaterThan(0)
    for (const basis of rule.basis) expect(Basis.format(basis).length).toBeGreaterThan(0)
  })
})
