import { fc, test as propTest } from "@fast-check/vitest"
import { Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as Basis from "../src/Basis.js"
import * as Jurisdiction from "../src/Jurisdiction.js"
import * as Region from "../src/Region.js"

const ok = <A, E>(result: Result.Result<A, E>): A => {
  if (Result.isFailure(result)) throw new Error(`expected success, got ${String(result.failure)}`)
  return result.success
}

const err = <A, E>(result: Result.Result<A, E>): E => {
  if (Result.isSuccess(result)) throw new Error(`expected failure, got ${JSON.stringify(result.success)}`)
  return result.failure
}

const nothing = {
  needsInstitutionalCare: false,
  formerNapzaUser: false,
  hivAids: false,
  abh: false,
  migrantWorkerReturn: "none",
  crossesProvinces: false,
  exceedsRegionalCapacity: false
} as const

/** Case facts in a region, with every fact false unless given. */
const facts = (
  region: string,
  given: Partial<Omit<Jurisdiction.CaseFacts, "region">> = {}
): Jurisdiction.CaseFacts => ({ ...nothing, ...given, region: Region.decodeSync(region) })

const determined = (result: Result.Result<Jurisdiction.Responsibility, unknown>): Jurisdiction.Determined => {
  const answer = ok(result)
  if (answer._tag !== "Determined") throw new Error(`expected Determined, got ${JSON.stringify(answer)}`)
  return answer
}

const policyWith = (
  change: (steps: ReadonlyArray<Jurisdiction.Step>) => ReadonlyArray<Jurisdiction.Step>
): Jurisdiction.JurisdictionPolicy => ({ steps: change(Jurisdiction.defaultJurisdictionPolicy.steps) })

const setLevel = (rule: Jurisdiction.StepRuleId, level: Jurisdiction.Level) =>
  policyWith((steps) => steps.map((step) => (step.rule === rule ? { rule, level } : step)))

const moveFirst = (rule: Jurisdiction.StepRuleId) =>
  policyWith((steps) => [...steps.filter((step) => step.rule === rule), ...steps.filter((step) => step.rule !== rule)])

// ---------------------------------------------------------------------------------------------------------------------
// Arbitraries

const provinces = [...Region.provinceTimeZones.keys()]
const pad = (n: number, width: number) => String(n).padStart(width, "0")
const arbitraryRegion: fc.Arbitrary<Region.RegionCode> = fc
  .tuple(
    fc.constantFrom(...provinces),
    fc.integer({ min: 1, max: 99 }),
    fc.integer({ min: 1, max: 99 }),
    fc.integer({ min: 1, max: 9999 }),
    fc.integer({ min: 1, max: 4 })
  )
  .map(([p, k, c, d, depth]) => Region.decodeSync([p, pad(k, 2), pad(c, 2), pad(d, 4)].slice(0, depth).join(".")))

const arbitraryFacts: fc.Arbitrary<Jurisdiction.CaseFacts> = fc.record({
  region: arbitraryRegion,
  needsInstitutionalCare: fc.boolean(),
  formerNapzaUser: fc.boolean(),
  hivAids: fc.boolean(),
  abh: fc.boolean(),
  migrantWorkerReturn: fc.constantFrom(...Jurisdiction.Debarkation.literals),
  crossesProvinces: fc.boolean(),
  exceedsRegionalCapacity: fc.boolean()
})

const stepRules = Jurisdiction.defaultJurisdictionPolicy.steps.map((step) => step.rule)

/** Any policy the validation accepts: the rules in any order, overridable ones at any level. */
const arbitraryPolicy: fc.Arbitrary<Jurisdiction.JurisdictionPolicy> = fc
  .tuple(
    fc.shuffledSubarray(stepRules, { minLength: stepRules.length, maxLength: stepRules.length }),
    fc.array(fc.constantFrom(...Jurisdiction.Level.literals), {
      minLength: stepRules.length,
      maxLength: stepRules.length
    })
  )
  .map(([order, levels]) => ({
    steps: order.map((rule, index) => {
      const info = Jurisdiction.info(rule)
      return { rule, level: info.levelOverridable ? (levels[index] as Jurisdiction.Level) : info.defaultLevel }
    })
  }))

const arbitraryMaybePolicy = fc.option(arbitraryPolicy, { nil: undefined })

// ---------------------------------------------------------------------------------------------------------------------

describe("Jurisdiction: seed 000, two child victims of sexual violence from Kota Padang", () => {
  it("were in a Kemensos Sentra (pusat) while their case exceeded the region and crossed provinces", () => {
    const sentra = determined(
      Jurisdiction.responsible(facts("13.71", { crossesProvinces: true, exceedsRegionalCapacity: true }))
    )
    expect(sentra.level).toBe("pusat")
    expect(sentra.region).toBe("national")
    expect(sentra.rule).toBe("JURISDICTION-EXCEEDS-CAPACITY")
    expect(sentra.alsoApplicable).toEqual(["JURISDICTION-CROSS-PROVINCE"])
    const capacityOnly = determined(Jurisdiction.responsible(facts("13.71", { exceedsRegionalCapacity: true })))
    expect(capacityOnly.rule).toBe("JURISDICTION-EXCEEDS-CAPACITY")
    expect(capacityOnly.region).toBe("national")
  })

  it("move back to Dinsos Kota Padang (13.71), which monitors them outside an institution", () => {
    const back = determined(Jurisdiction.responsible(facts("13.71")))
    expect(back).toMatchObject({ level: "kabupaten-kota", region: "13.71", rule: "JURISDICTION-OUTSIDE-INSTITUTION" })
    expect(back.basis[0]?.status).toBe("verified")
  })

  it("needing institutional care, they go to the province (13): UPTD PSAA Tri Murni", () => {
    const panti = determined(Jurisdiction.responsible(facts("13.71", { needsInstitutionalCare: true })))
    expect(panti).toMatchObject({ level: "provinsi", region: "13", rule: "JURISDICTION-INSTITUTIONAL-CARE" })
    expect(panti.reason.id).toMatch(/panti/)
    expect(panti.basis.map((basis) => basis.status)).toEqual(["unverified", "unverified"])
  })

  it("gives both siblings the same answer (the decision depends on facts only)", () => {
    const sibling = () => Jurisdiction.responsible(facts("13.71", { needsInstitutionalCare: true }))
    expect(sibling()).toEqual(sibling())
  })
})

describe("Jurisdiction: seed 003, Dinas Sosial Provinsi NTB (52)", () => {
  it("returns migrant workers from the provincial debarkation point: provinsi", () => {
    for (const region of ["52", "52.03"]) {
      const answer = determined(Jurisdiction.responsible(facts(region, { migrantWorkerReturn: "provinsi" })))
      expect(answer).toMatchObject({
        level: "provinsi",
        region: "52",
        rule: "JURISDICTION-MIGRANT-PROVINCIAL-DEBARKATION"
      })
    }
  })

  it("returns migrant workers from a kabupaten/kota debarkation point: that kabupaten/kota", () => {
    const answer = determined(Jurisdiction.responsible(facts("52.03.01", { migrantWorkerReturn: "kabupaten-kota" })))
    expect(answer).toMatchObject({
      level: "kabupaten-kota",
      region: "52.03",
      rule: "JURISDICTION-MIGRANT-KABUPATEN-KOTA-DEBARKATION"
    })
    expect(answer.basis[0]?.status).toBe("verified")
  })

  it("returns abandoned people and ODGJ to their home provinces itself: crossing a border is not by itself national (seed 003; issue 11, fact 5)", () => {
    const answer = determined(Jurisdiction.responsible(facts("52", { crossesProvinces: true })))
    expect(answer).toMatchObject({ level: "provinsi", region: "52", rule: "JURISDICTION-CROSS-PROVINCE" })
    expect(answer.basis[0]?.status).toBe("unverified")
  })

  it("sends migrant-worker and trafficking victims from a national debarkation point to the pusat (docs/domain.md §4)", () => {
    const answer = determined(Jurisdiction.responsible(facts("52", { migrantWorkerReturn: "national" })))
    expect(answer).toMatchObject({
      level: "pusat",
      region: "national",
      rule: "JURISDICTION-MIGRANT-NATIONAL-DEBARKATION"
    })
  })

  it("returns cross-province cases through the pusat when the deployment's policy says so, and says it was overridden", () => {
    const policy = setLevel("JURISDICTION-CROSS-PROVINCE", "pusat")
    const answer = determined(Jurisdiction.responsible(facts("52", { crossesProvinces: true }), policy))
    expect(answer).toMatchObject({ level: "pusat", region: "national", rule: "JURISDICTION-CROSS-PROVINCE" })
    expect(answer.basis).toContainEqual(Jurisdiction.overriddenLevelBasis)
  })

  it("sends former NAPZA users and people with HIV/AIDS to the pusat, even when they need a panti", () => {
    for (const given of [
      { formerNapzaUser: true },
      { hivAids: true },
      { hivAids: true, needsInstitutionalCare: true }
    ]) {
      const answer = determined(Jurisdiction.responsible(facts("52.71", given)))
      expect(answer).toMatchObject({ level: "pusat", region: "national", rule: "JURISDICTION-NAPZA-HIV" })
    }
    const both = determined(
      Jurisdiction.responsible(facts("52.71", { formerNapzaUser: true, needsInstitutionalCare: true }))
    )
    expect(both.alsoApplicable).toEqual(["JURISDICTION-INSTITUTIONAL-CARE"])
  })

  it("rehabilitates ABH in the kabupaten/kota (Kota Mataram 52.71)", () => {
    const answer = determined(Jurisdiction.responsible(facts("52.71", { abh: true })))
    expect(answer).toMatchObject({ level: "kabupaten-kota", region: "52.71", rule: "JURISDICTION-ABH" })
  })

  it("keeps ABH with the kabupaten/kota also when the child needs a residential service (the annex has no panti condition; issue 11, fact 4)", () => {
    const abhInPanti = facts("52.71", { abh: true, needsInstitutionalCare: true })
    const byDefault = determined(Jurisdiction.responsible(abhInPanti))
    expect(byDefault).toMatchObject({ level: "kabupaten-kota", region: "52.71", rule: "JURISDICTION-ABH" })
    expect(byDefault.alsoApplicable).toEqual(["JURISDICTION-INSTITUTIONAL-CARE"])
  })

  it("lets a region's arrangement give a rule another level, citing its reason — here NTB's province for ABH (seed 003)", () => {
    const arrangement: Jurisdiction.RegionalOverride = {
      region: Region.decodeSync("52"),
      rule: "JURISDICTION-ABH",
      level: "provinsi",
      reason: "Dinsos Provinsi NTB accompanies ABH at the UPPA and in court by arrangement with the kabupaten/kota"
    }
    const policy = { ...Jurisdiction.defaultJurisdictionPolicy, regional: [arrangement] }
    const inNtb = determined(Jurisdiction.responsible(facts("52.71", { abh: true }), policy))
    expect(inNtb).toMatchObject({ level: "provinsi", region: "52", rule: "JURISDICTION-ABH" })
    expect(inNtb.basis).toContainEqual(Jurisdiction.regionalOverrideBasis(arrangement))
    // Elsewhere the rule keeps its level.
    const inPadang = determined(Jurisdiction.responsible(facts("13.71", { abh: true }), policy))
    expect(inPadang).toMatchObject({ level: "kabupaten-kota", region: "13.71", rule: "JURISDICTION-ABH" })
    expect(inNtb.reason.en).toBe(arrangement.reason)
    const twice = { ...Jurisdiction.defaultJurisdictionPolicy, regional: [arrangement, arrangement] }
    expect(Result.isFailure(Jurisdiction.responsible(facts("52.71", { abh: true }), twice))).toBe(true)
    // An arrangement names its reason.
    const silent = { ...Jurisdiction.defaultJurisdictionPolicy, regional: [{ ...arrangement, reason: " " }] }
    expect(Result.isFailure(Jurisdiction.responsible(facts("52.71", { abh: true }), silent))).toBe(true)
  })
})

describe("Jurisdiction: facts that are not enough", () => {
  it("says the kabupaten/kota is missing instead of guessing it", () => {
    const answer = ok(Jurisdiction.responsible(facts("13")))
    expect(answer._tag).toBe("Undetermined")
    if (answer._tag !== "Undetermined") return
    expect(answer.level).toBe("kabupaten-kota")
    expect(answer.within).toBe("13")
    expect(answer.missing).toHaveLength(1)
    expect(answer.missing[0]?.field).toBe("region")
    expect(answer.missing[0]?.need.en).toMatch(/kabupaten\/kota in provinsi 13/)
    const migrant = ok(Jurisdiction.responsible(facts("52", { migrantWorkerReturn: "kabupaten-kota" })))
    expect(migrant).toMatchObject({ _tag: "Undetermined", within: "52" })
  })

  it("needs only the province when the answer is the province or the pusat", () => {
    expect(determined(Jurisdiction.responsible(facts("13", { needsInstitutionalCare: true }))).region).toBe("13")
    expect(determined(Jurisdiction.responsible(facts("13", { hivAids: true }))).region).toBe("national")
  })

  it("narrows a kecamatan or desa code to its kabupaten/kota", () => {
    expect(determined(Jurisdiction.responsible(facts("13.71.01.1001"))).region).toBe("13.71")
    expect(determined(Jurisdiction.responsible(facts("13.71.01", { needsInstitutionalCare: true }))).region).toBe("13")
  })

  it("rejects facts that do not decode with an InvalidInput", () => {
    const bad = { ...facts("13.71"), region: "13.7" } as unknown as Jurisdiction.CaseFacts
    const failure = err(Jurisdiction.responsible(bad))
    expect(failure._tag).toBe("InvalidInput")
    expect(failure.field).toBe("facts")
    const missing = { region: Region.decodeSync("13.71") } as unknown as Jurisdiction.CaseFacts
    expect(err(Jurisdiction.responsible(missing))._tag).toBe("InvalidInput")
    const wrongDebarkation = { ...facts("13.71"), migrantWorkerReturn: "pusat" } as unknown as Jurisdiction.CaseFacts
    expect(err(Jurisdiction.responsible(wrongDebarkation))._tag).toBe("InvalidInput")
  })
})

describe("Jurisdiction: policy", () => {
  it("accepts the default and any reordering of the rules", () => {
    expect(ok(Jurisdiction.validatePolicy(Jurisdiction.defaultJurisdictionPolicy))).toBe(
      Jurisdiction.defaultJurisdictionPolicy
    )
    expect(Result.isSuccess(Jurisdiction.validatePolicy(moveFirst("JURISDICTION-INSTITUTIONAL-CARE")))).toBe(true)
  })

  it("lets a policy put institutional care before NAPZA/HIV", () => {
    const policy = moveFirst("JURISDICTION-INSTITUTIONAL-CARE")
    const answer = determined(
      Jurisdiction.responsible(facts("13.71", { formerNapzaUser: true, needsInstitutionalCare: true }), policy)
    )
    expect(answer).toMatchObject({ level: "provinsi", rule: "JURISDICTION-INSTITUTIONAL-CARE" })
  })

  it("rejects a policy that changes the level of a verified kabupaten/kota rule", () => {
    const failure = err(Jurisdiction.responsible(facts("13.71"), setLevel("JURISDICTION-ABH", "provinsi")))
    expect(failure._tag).toBe("InvalidJurisdictionPolicy")
    expect(failure.reason).toMatch(/JURISDICTION-ABH is verified law: its level stays kabupaten-kota/)
  })

  it("rejects a policy that lists a rule twice, omits one, names the fallback or an unknown rule or level", () => {
    const steps = Jurisdiction.defaultJurisdictionPolicy.steps
    const first = steps[0] as Jurisdiction.Step
    expect(err(Jurisdiction.validatePolicy({ steps: [...steps, first] })).reason).toMatch(/listed twice/)
    expect(err(Jurisdiction.validatePolicy({ steps: steps.slice(1) })).reason).toMatch(/missing JURISDICTION-NAPZA-HIV/)
    const fallback = { rule: Jurisdiction.FALLBACK_RULE, level: "kabupaten-kota" } as unknown as Jurisdiction.Step
    expect(err(Jurisdiction.validatePolicy({ steps: [...steps, fallback] })).reason).toMatch(
      /not a rule a policy orders/
    )
    const unknown = { rule: "JURISDICTION-X", level: "pusat" } as unknown as Jurisdiction.Step
    expect(err(Jurisdiction.validatePolicy({ steps: [unknown, ...steps] })).field).toBe("steps[0]")
    const level = { ...first, level: "desa" } as unknown as Jurisdiction.Step
    expect(err(Jurisdiction.validatePolicy({ steps: [level, ...steps.slice(1)] })).reason).toMatch(/not a level/)
  })
})

describe("Jurisdiction: rules", () => {
  it("catalogues every rule once, the fallback last, each with a basis", () => {
    expect(Jurisdiction.catalogue.map((item) => item.id)).toEqual(Jurisdiction.RuleId.literals)
    expect(Jurisdiction.catalogue.at(-1)?.id).toBe(Jurisdiction.FALLBACK_RULE)
    expect(Jurisdiction.rules.map((rule) => rule.id)).toEqual(Jurisdiction.RuleId.literals)
    for (const rule of Jurisdiction.rules) {
      expect(Schema.is(Basis.Rule)(rule)).toBe(true)
      expect(rule.basis.length).toBeGreaterThan(0)
    }
  })

  it("marks the kabupaten/kota rules verified and fixed, the provinsi and pusat rules unverified and overridable", () => {
    for (const item of Jurisdiction.catalogue) {
      const status = item.basis[0]?.status
      if (item.defaultLevel === "kabupaten-kota") {
        expect(status).toBe("verified")
        expect(item.levelOverridable).toBe(false)
      } else {
        expect(status).toBe("unverified")
        expect(item.levelOverridable).toBe(true)
      }
    }
  })

  propTest.prop([arbitraryFacts, arbitraryMaybePolicy])("is total and deterministic", (caseFacts, policy) => {
    const first = Jurisdiction.responsible(caseFacts, policy)
    expect(Result.isSuccess(first)).toBe(true)
    expect(Jurisdiction.responsible(caseFacts, policy)).toEqual(first)
    expect(Jurisdiction.responsible({ ...caseFacts }, policy)).toEqual(first)
  })

  propTest.prop([arbitraryFacts, arbitraryMaybePolicy])(
    "answers with a region that contains the case's region, or national",
    (caseFacts, policy) => {
      const answer = ok(Jurisdiction.responsible(caseFacts, policy))
      if (answer._tag === "Determined") {
        expect(answer.region === "national" || Region.contains(answer.region, caseFacts.region)).toBe(true)
        expect(answer.region === "national").toBe(answer.level === "pusat")
        if (answer.region !== "national") {
          expect(Region.depth(answer.region)).toBe(answer.level === "provinsi" ? 1 : 2)
        }
      } else {
        // Only a kabupaten/kota answer for a case known only to its province is undetermined.
        expect(answer.level).toBe("kabupaten-kota")
        expect(Region.depth(caseFacts.region)).toBe(1)
        expect(Region.contains(answer.within, caseFacts.region)).toBe(true)
        expect(answer.missing.map((fact) => fact.field)).toEqual(["region"])
      }
    }
  )

  propTest.prop([arbitraryFacts, arbitraryMaybePolicy])(
    "decides by the first rule of the policy that applies, with that rule's basis",
    (caseFacts, policy) => {
      const answer = ok(Jurisdiction.responsible(caseFacts, policy))
      const steps = (policy ?? Jurisdiction.defaultJurisdictionPolicy).steps
      const index = steps.findIndex((step) => step.rule === answer.rule)
      expect(Jurisdiction.applies(answer.rule, caseFacts)).toBe(true)
      // No earlier step applies; the fallback decides only when no step does.
      const earlier = index === -1 ? steps : steps.slice(0, index)
      expect(earlier.some((step) => Jurisdiction.applies(step.rule, caseFacts))).toBe(false)
      expect(answer.level).toBe(index === -1 ? "kabupaten-kota" : steps[index]?.level)
      for (const rule of answer.alsoApplicable) expect(Jurisdiction.applies(rule, caseFacts)).toBe(true)
      expect(answer.basis.length).toBeGreaterThan(0)
      for (const basis of Jurisdiction.info(answer.rule).basis) expect(answer.basis).toContainEqual(basis)
    }
  )

  propTest.prop([arbitraryFacts])(
    "never leaves NAPZA/HIV with the kabupaten/kota under the default policy",
    (caseFacts) => {
      const answer = ok(Jurisdiction.responsible(caseFacts))
      if (caseFacts.formerNapzaUser || caseFacts.hivAids) expect(answer.level).toBe("pusat")
    }
  )
})
