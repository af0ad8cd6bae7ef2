import { fc, test as propTest } from "@fast-check/vitest"
import { Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as Basis from "../src/Basis.js"
import * as DinasType from "../src/DinasType.js"

const ok = <A, E>(result: Result.Result<A, E>): A => {
  if (Result.isFailure(result)) throw new Error(`expected success, got ${String(result.failure)}`)
  return result.success
}

const err = <A, E>(result: Result.Result<A, E>): E => {
  if (Result.isSuccess(result)) throw new Error(`expected failure, got ${JSON.stringify(result.success)}`)
  return result.failure
}

const provinsi = (population: number, areaKm2: number, budgetRupiah: number, technical: number) =>
  ({ level: "provinsi", population, areaKm2, budgetRupiah, technical }) as const

// ---------------------------------------------------------------------------------------------------------------------
// Arbitraries

const arbitraryInput: fc.Arbitrary<DinasType.ScoreInput> = fc.record({
  level: fc.constantFrom(...DinasType.GovernmentLevel.literals),
  population: fc.integer({ min: 0, max: 60_000_000 }),
  areaKm2: fc.double({ min: 0, max: 400_000, noNaN: true }),
  budgetRupiah: fc.double({ min: 0, max: 1e14, noNaN: true }),
  technical: fc.double({ min: 0, max: 1000, noNaN: true })
})

const sortedUnique = (arbitrary: fc.Arbitrary<number>, length: number) =>
  fc
    .uniqueArray(arbitrary, { minLength: length, maxLength: length })
    .map((values) => [...values].sort((left, right) => left - right))

const arbitraryBandTable: fc.Arbitrary<DinasType.BandTable> = sortedUnique(
  fc.double({ min: 0, max: 1e13, noNaN: true, noDefaultInfinity: true }),
  4
).map((bounds) => ({
  upperBounds: bounds as unknown as readonly [number, number, number, number],
  basis: Basis.policyDefault("test")
}))

const arbitraryBandsOfLevel = fc.record({
  population: arbitraryBandTable,
  area: arbitraryBandTable,
  budget: arbitraryBandTable
})

/** Any score policy the validation accepts: whole weights summing to 100, increasing values and bounds. */
const arbitraryScorePolicy: fc.Arbitrary<DinasType.ScorePolicy> = fc
  .record({
    cuts: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 3, maxLength: 3 }),
    bandValues: sortedUnique(fc.integer({ min: 0, max: 1000 }), 5),
    provinsi: arbitraryBandsOfLevel,
    kabupatenKota: arbitraryBandsOfLevel
  })
  .map(({ cuts, bandValues, provinsi: provinsiBands, kabupatenKota }) => {
    const [a, b, c] = [...cuts].sort((left, right) => left - right) as [number, number, number]
    return {
      weights: { population: a, area: b - a, budget: c - b, technical: 100 - c },
      bandValues: bandValues as unknown as readonly [number, number, number, number, number],
      bands: { provinsi: provinsiBands, "kabupaten-kota": kabupatenKota }
    }
  })

/** Any type policy the validation accepts: 0 ≤ C < B < A < 1000. */
const arbitraryTypePolicy: fc.Arbitrary<DinasType.TypePolicy> = sortedUnique(
  fc.double({ min: 0, max: 999.999, noNaN: true }),
  3
).map(([C, B, A]) => ({ thresholds: { A: A as number, B: B as number, C: C as number } }))

const arbitraryScore = fc.double({ min: 0, max: 1000, noNaN: true })

// ---------------------------------------------------------------------------------------------------------------------

describe("DinasType: score (DINAS-SCORE)", () => {
  it("scores a provinsi with the PP 18/2016 weights and bands", () => {
    const breakdown = ok(DinasType.score(provinsi(5_600_000, 42_000, 7.1e12, 850)))
    expect(breakdown.general).toEqual([
      { variable: "population", value: 5_600_000, band: 3, bandValue: 600, weightPercent: 10, points: 60 },
      { variable: "area", value: 42_000, band: 5, bandValue: 1000, weightPercent: 5, points: 50 },
      { variable: "budget", value: 7.1e12, band: 4, bandValue: 800, weightPercent: 5, points: 40 }
    ])
    expect(breakdown.generalPoints).toBe(150)
    expect(breakdown.technical).toEqual({ value: 850, weightPercent: 80, points: 680 })
    expect(breakdown.total).toBe(830)
  })

  it("puts a bound in the lower band and the next value in the higher one", () => {
    const population = (n: number) => ok(DinasType.score(provinsi(n, 0, 0, 0))).general[0]?.band
    expect(population(0)).toBe(1)
    expect(population(2_000_000)).toBe(1)
    expect(population(2_000_001)).toBe(2)
    expect(population(8_000_000)).toBe(4)
    expect(population(8_000_001)).toBe(5)
    expect(DinasType.bandOf(600, [600, 1_200, 1_800, 2_400])).toBe(1)
    expect(DinasType.bandOf(600.5, [600, 1_200, 1_800, 2_400])).toBe(2)
  })

  it("reaches exactly 1000 at the top and 40 with no technical score at the bottom", () => {
    expect(ok(DinasType.score(provinsi(9_000_000, 5_000, 9e12, 1000))).total).toBe(1000)
    expect(ok(DinasType.score(provinsi(0, 0, 0, 0))).total).toBe(40)
  })

  it("uses the band table of the level (kabupaten/kota defaults are marked placeholders)", () => {
    const input = { population: 900_000, areaKm2: 695, budgetRupiah: 2.4e12, technical: 700 }
    const kota = ok(DinasType.score({ level: "kabupaten-kota", ...input }))
    const prov = ok(DinasType.score({ level: "provinsi", ...input }))
    expect(kota.general.map((item) => item.band)).toEqual([5, 3, 5])
    expect(prov.general.map((item) => item.band)).toEqual([1, 2, 2])
    expect(DinasType.defaultScorePolicy.bands["kabupaten-kota"].population.basis.status).toBe("unverified")
    expect(DinasType.kabupatenKotaBandsBasis.note).toMatch(/PLACEHOLDER/)
    expect(DinasType.kabupatenKotaBandsBasis.note).toMatch(/PP 18\/2016 annex/)
  })

  it("takes an overriding band table", () => {
    const policy: DinasType.ScorePolicy = {
      ...DinasType.defaultScorePolicy,
      bands: {
        ...DinasType.defaultScorePolicy.bands,
        "kabupaten-kota": {
          ...DinasType.defaultScorePolicy.bands["kabupaten-kota"],
          population: { upperBounds: [1e6, 2e6, 3e6, 4e6], basis: Basis.verified("a checked annex") }
        }
      }
    }
    const input = { level: "kabupaten-kota", population: 900_000, areaKm2: 0, budgetRupiah: 0, technical: 0 } as const
    expect(ok(DinasType.score(input, policy)).general[0]?.band).toBe(1)
    expect(ok(DinasType.score(input)).general[0]?.band).toBe(5)
  })

  it("rejects bad input with an InvalidInput", () => {
    const failure = err(DinasType.score(provinsi(-1, 0, 0, 0)))
    expect(failure._tag).toBe("InvalidInput")
    expect(failure.message).toMatch(/score input/)
    expect(err(DinasType.score(provinsi(1.5, 0, 0, 0)))._tag).toBe("InvalidInput")
    expect(err(DinasType.score(provinsi(0, -3, 0, 0)))._tag).toBe("InvalidInput")
    expect(err(DinasType.score(provinsi(0, 0, Number.NaN, 0)))._tag).toBe("InvalidInput")
    expect(err(DinasType.score(provinsi(0, 0, 0, 1000.5)))._tag).toBe("InvalidInput")
    expect(err(DinasType.score({ ...provinsi(0, 0, 0, 0), level: "kecamatan" as "provinsi" }))._tag).toBe(
      "InvalidInput"
    )
  })

  it("rejects a score policy whose weights, values or bounds are wrong", () => {
    const base = DinasType.defaultScorePolicy
    const weights = err(DinasType.score(provinsi(0, 0, 0, 0), { ...base, weights: { ...base.weights, technical: 70 } }))
    expect(weights._tag).toBe("InvalidDinasPolicy")
    expect(weights.message).toMatch(/sum to 90, not 100/)
    const fractional = { ...base, weights: { population: 10.5, area: 4.5, budget: 5, technical: 80 } }
    expect(err(DinasType.validateScorePolicy(fractional)).field).toBe("weights.population")
    const values = { ...base, bandValues: [200, 400, 400, 800, 1000] as const }
    expect(err(DinasType.validateScorePolicy(values)).reason).toMatch(/not strictly increasing/)
    const tooHigh = { ...base, bandValues: [200, 400, 600, 800, 1200] as const }
    expect(err(DinasType.validateScorePolicy(tooHigh)).field).toBe("bandValues")
    const bounds = {
      ...base,
      bands: {
        ...base.bands,
        provinsi: {
          ...base.bands.provinsi,
          area: { upperBounds: [600, 600, 1_800, 2_400] as const, basis: base.bands.provinsi.area.basis }
        }
      }
    }
    const boundsFailure = err(DinasType.validateScorePolicy(bounds))
    expect(boundsFailure.field).toBe("bands.provinsi.area")
    expect(boundsFailure.reason).toMatch(/not strictly increasing/)
    expect(ok(DinasType.validateScorePolicy(base))).toBe(base)
  })

  propTest.prop([arbitraryInput])("keeps every default score within 0–1000", (input) => {
    const { total, general, technical, generalPoints } = ok(DinasType.score(input))
    expect(total).toBeGreaterThanOrEqual(0)
    expect(total).toBeLessThanOrEqual(1000)
    expect(generalPoints).toBeLessThanOrEqual(200)
    expect(total).toBeCloseTo(general.reduce((sum, item) => sum + item.points, 0) + technical.points, 9)
  })

  propTest.prop([arbitraryInput, arbitraryScorePolicy])(
    "keeps every score within 0–1000 under any accepted policy",
    (input, policy) => {
      expect(Result.isSuccess(DinasType.validateScorePolicy(policy))).toBe(true)
      const { total } = ok(DinasType.score(input, policy))
      expect(total).toBeGreaterThanOrEqual(0)
      expect(total).toBeLessThanOrEqual(1000)
    }
  )

  const arbitraryIncrease = fc.record({
    field: fc.constantFrom("population", "areaKm2", "budgetRupiah", "technical"),
    by: fc.double({ min: 0, max: 1e13, noNaN: true })
  })

  const increased = (input: DinasType.ScoreInput, field: string, by: number): DinasType.ScoreInput => {
    switch (field) {
      case "population":
        return { ...input, population: input.population + Math.floor(Math.min(by, 1e9)) }
      case "areaKm2":
        return { ...input, areaKm2: input.areaKm2 + by }
      case "budgetRupiah":
        return { ...input, budgetRupiah: input.budgetRupiah + by }
      default:
        return { ...input, technical: Math.min(1000, input.technical + by) }
    }
  }

  propTest.prop([arbitraryInput, arbitraryIncrease, fc.option(arbitraryScorePolicy, { nil: undefined })])(
    "is monotone in every input (default and any accepted policy)",
    (input, { field, by }, policy) => {
      const before = ok(DinasType.score(input, policy)).total
      const after = ok(DinasType.score(increased(input, field, by), policy)).total
      expect(after).toBeGreaterThanOrEqual(before)
    }
  )
})

describe("DinasType: type from score (DINAS-TYPE-THRESHOLDS), seed 004", () => {
  it("gives types A, B, C and merged from scores", () => {
    const typeFor = (input: DinasType.ScoreInput) => ok(DinasType.typeOf(ok(DinasType.score(input)).total))
    // 60 + 50 + 40 + 680 = 830
    expect(typeFor(provinsi(5_600_000, 42_000, 7.1e12, 850))).toBe("A")
    // 20 + 50 + 10 + 560 = 640
    expect(typeFor(provinsi(1_800_000, 20_000, 1.5e12, 700))).toBe("B")
    // 20 + 10 + 10 + 480 = 520
    expect(typeFor(provinsi(1_500_000, 500, 1e12, 600))).toBe("C")
    // 20 + 10 + 10 + 320 = 360: no own dinas
    expect(typeFor(provinsi(1_000_000, 100, 1e12, 400))).toBe("merged")
  })

  it("puts each threshold in the lower type", () => {
    const type = (total: number) => ok(DinasType.typeOf(total))
    expect([1000, 800.001, 800, 600.5, 600, 400.001, 400, 0].map(type)).toEqual([
      "A",
      "A",
      "B",
      "B",
      "C",
      "C",
      "merged",
      "merged"
    ])
  })

  it("rejects a score outside 0–1000", () => {
    for (const total of [-1, 1000.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      const failure = err(DinasType.typeOf(total))
      expect(failure._tag).toBe("InvalidInput")
      expect(failure.message).toMatch(/within 0–1000/)
    }
  })

  it("takes overriding thresholds and rejects thresholds that are not strictly increasing", () => {
    const lower: DinasType.TypePolicy = { thresholds: { A: 700, B: 500, C: 300 } }
    expect(ok(DinasType.typeOf(740, lower))).toBe("A")
    expect(ok(DinasType.typeOf(740))).toBe("B")
    for (const thresholds of [
      { A: 800, B: 800, C: 400 },
      { A: 600, B: 800, C: 400 },
      { A: 800, B: 600, C: -1 },
      { A: 1000, B: 600, C: 400 },
      { A: Number.NaN, B: 600, C: 400 }
    ]) {
      const failure = err(DinasType.typeOf(500, { thresholds }))
      expect(failure._tag).toBe("InvalidDinasPolicy")
      expect(failure.field).toBe("thresholds")
    }
    expect(err(DinasType.validateTypePolicy({ thresholds: { A: 800, B: 800, C: 400 } })).reason).toMatch(
      /strictly increasing/
    )
  })

  it("labels every type with its workload and basis", () => {
    expect(DinasType.types.map((item) => item.code)).toEqual(DinasType.DinasType.literals)
    expect(DinasType.types.every((item) => Schema.is(Basis.Basis)(item.basis))).toBe(true)
    expect(DinasType.types.find((item) => item.code === "A")?.workload.id).toMatch(/besar/)
  })

  propTest.prop([arbitraryScore, arbitraryScore])("never gives a lower type to a higher score", (x, y) => {
    const [low, high] = x <= y ? [x, y] : [y, x]
    expect(DinasType.rank(ok(DinasType.typeOf(low)))).toBeLessThanOrEqual(DinasType.rank(ok(DinasType.typeOf(high))))
  })

  propTest.prop([arbitraryScore, arbitraryScore, arbitraryTypePolicy])(
    "never gives a lower type to a higher score under any accepted policy",
    (x, y, policy) => {
      const [low, high] = x <= y ? [x, y] : [y, x]
      expect(DinasType.rank(ok(DinasType.typeOf(low, policy)))).toBeLessThanOrEqual(
        DinasType.rank(ok(DinasType.typeOf(high, policy)))
      )
    }
  )

  propTest.prop([fc.tuple(arbitraryScore, arbitraryScore, arbitraryScore), arbitraryScore])(
    "accepts thresholds exactly when they are strictly increasing within 0–1000",
    ([A, B, C], total) => {
      const result = DinasType.typeOf(total, { thresholds: { A, B, C } })
      const valid = 0 <= C && C < B && B < A && A < 1000
      expect(Result.isSuccess(result)).toBe(valid)
      if (!valid) expect(err(result)._tag).toBe("InvalidDinasPolicy")
    }
  )
})

describe("DinasType: structure (DINAS-STRUCTURE) and merging (DINAS-MERGED)", () => {
  it("has a secretariat and up to 4, 3 and 2 bidang for types A, B and C", () => {
    const a = ok(DinasType.structureOf("A"))
    const b = ok(DinasType.structureOf("B"))
    const c = ok(DinasType.structureOf("C"))
    expect([a, b, c].map((s) => [s.secretariat, s.bidang.length])).toEqual([
      [true, 4],
      [true, 3],
      [true, 2]
    ])
    expect(a.bidang.map((item) => item.label.id)).toEqual([
      "Bidang Rehabilitasi Sosial",
      "Bidang Perlindungan dan Jaminan Sosial",
      "Bidang Pemberdayaan Sosial",
      "Bidang Penanganan Fakir Miskin"
    ])
    expect(b.bidang.map((item) => item.functions)).toEqual([
      ["rehabilitasi-sosial"],
      ["perlindungan-jaminan-sosial"],
      ["pemberdayaan-sosial", "penanganan-fakir-miskin"]
    ])
    expect(c.basis.status).toBe("unverified")
  })

  it("merges social affairs into a dinas of the cluster, with at most 3 affairs", () => {
    const merged = ok(DinasType.structureOf("merged"))
    expect(merged.mergedWith).toEqual(["pppa"])
    expect(merged.bidang).toHaveLength(1)
    expect(merged.bidang[0]?.functions).toHaveLength(4)
    const threeOthers = { ...merged, mergedWith: ["pppa", "ppkb", "adminduk"] as const }
    expect(err(DinasType.validateStructure(threeOthers)).reason).toMatch(/at most 3 affairs/)
    expect(ok(DinasType.validateStructure({ ...merged, mergedWith: ["pppa", "ppkb"] }))).toBeTruthy()
    expect(err(DinasType.validateStructure({ ...merged, mergedWith: [] })).field).toBe("structure.mergedWith")
    expect(err(DinasType.validateStructure({ ...merged, mergedWith: ["pppa", "pppa"] })).reason).toMatch(/twice/)
    expect(DinasType.mergeAffairs.map((item) => item.code)).toEqual(["kesehatan", "pppa", "ppkb", "adminduk", "pmd"])
    expect(DinasType.mergeBasis.status).toBe("verified")
  })

  it("rejects a structure beyond its limits", () => {
    const a = ok(DinasType.structureOf("A"))
    const extra = {
      code: "extra",
      label: Basis.label("Bidang X", "Division X"),
      functions: ["pemberdayaan-sosial"] as const,
      seksi: []
    }
    expect(err(DinasType.validateStructure({ ...a, bidang: [...a.bidang, extra] })).reason).toMatch(/at most 4 bidang/)
    const b = ok(DinasType.structureOf("B"))
    const twice = { ...b, bidang: [b.bidang[0], { ...b.bidang[1], functions: ["rehabilitasi-sosial"] }] as never }
    expect(err(DinasType.validateStructure(twice)).reason).toMatch(/more than one bidang/)
    const seksi = [1, 2, 3, 4].map((n) => Basis.label(`Seksi ${n}`, `Section ${n}`))
    const crowded = { ...b, bidang: [{ ...b.bidang[0], seksi }, ...b.bidang.slice(1)] as never }
    expect(err(DinasType.validateStructure(crowded)).reason).toMatch(/at most 3 seksi/)
    expect(err(DinasType.validateStructure({ ...a, mergedWith: ["pppa"] })).reason).toMatch(/not merged/)
    expect(err(DinasType.validateStructure({ ...a, secretariat: false })).reason).toMatch(/secretariat/)
    expect(err(DinasType.validateStructure({ ...a, bidang: [a.bidang[0], a.bidang[0]] as never })).reason).toMatch(
      /unique/
    )
  })

  it("rejects a structure policy whose defaults break its own limits", () => {
    const policy = { ...DinasType.defaultStructurePolicy, maxBidang: { A: 3, B: 3, C: 2, merged: 1 } }
    const failure = err(DinasType.structureOf("A", policy))
    expect(failure._tag).toBe("InvalidDinasPolicy")
    expect(failure.field).toBe("structures.A")
    const swapped = {
      ...DinasType.defaultStructurePolicy,
      structures: { ...DinasType.defaultStructurePolicy.structures, B: DinasType.defaultStructurePolicy.structures.C }
    }
    expect(err(DinasType.validateStructurePolicy(swapped)).reason).toMatch(/of type C/)
    expect(
      err(DinasType.validateStructurePolicy({ ...DinasType.defaultStructurePolicy, maxAffairsPerMergedDinas: 1 })).field
    ).toBe("maxAffairsPerMergedDinas")
  })
})

describe("DinasType: approver (DINAS-APPROVER)", () => {
  it("is the Kabid Rehsos where rehabilitation has its own bidang (types A and B; seed 000 Kota Padang)", () => {
    for (const type of ["A", "B"] as const) {
      const approver = DinasType.approverRole(ok(DinasType.structureOf(type)))
      expect(approver.role).toBe("kabid-rehsos")
      expect(approver.bidang).toBe("rehabilitasi-sosial")
      expect(approver.title.id).toBe("Kepala Bidang Rehabilitasi Sosial")
    }
  })

  it("is the Kabid of the shared bidang in type C and of the merged bidang in a merged dinas", () => {
    const c = DinasType.approverRole(ok(DinasType.structureOf("C")))
    expect(c.role).toBe("kabid")
    expect(c.bidang).toBe("rehabilitasi-perlindungan-jaminan-sosial")
    expect(c.title.id).toBe("Kepala Bidang Rehabilitasi, Perlindungan dan Jaminan Sosial")
    const merged = DinasType.approverRole(ok(DinasType.structureOf("merged")))
    expect(merged.role).toBe("kabid")
    expect(merged.bidang).toBe("sosial")
    expect(merged.reason.en).toMatch(/Merged dinas/)
  })

  it("is the Kadis when no bidang holds rehabilitation", () => {
    const merged = ok(DinasType.structureOf("merged"))
    const approver = DinasType.approverRole({ ...merged, bidang: [] })
    expect(approver.role).toBe("kadis")
    expect(approver.bidang).toBeUndefined()
  })

  it("follows an overriding structure: a type B dinas that merges rehabilitation loses its Kabid Rehsos", () => {
    const policy: DinasType.StructurePolicy = {
      ...DinasType.defaultStructurePolicy,
      structures: {
        ...DinasType.defaultStructurePolicy.structures,
        B: { ...DinasType.defaultStructurePolicy.structures.C, type: "B" }
      }
    }
    expect(DinasType.approverRole(ok(DinasType.structureOf("B", policy))).role).toBe("kabid")
    expect(DinasType.approverRole(ok(DinasType.structureOf("B"))).role).toBe("kabid-rehsos")
  })

  it("labels every role", () => {
    expect(DinasType.roles.map((item) => item.code)).toEqual(DinasType.Role.literals)
  })

  propTest.prop([arbitraryScore])(
    "names a role of the roles list, with a basis, for the type of any score",
    (total) => {
      const approver = DinasType.approverRole(ok(DinasType.structureOf(ok(DinasType.typeOf(total)))))
      expect(DinasType.Role.literals).toContain(approver.role)
      expect(approver.basis.length).toBeGreaterThan(0)
      // A Kabid Rehsos only where rehabilitation has its own bidang.
      expect(approver.role === "kabid-rehsos").toBe(total > 600)
    }
  )
})

describe("DinasType: caseload (CASELOAD-MAX)", () => {
  it("Dinsos Kota Padang with 4 Sakti Peksos (seed 001) and 60 active cases is within capacity", () => {
    const load = ok(DinasType.caseload({ activeCases: 60, caseworkers: 4 }))
    expect(load).toEqual({
      _tag: "Staffed",
      activeCases: 60,
      caseworkers: 4,
      maxPerCaseworker: 25,
      ratio: 15,
      band: "moderate",
      overCapacity: false,
      caseworkersNeeded: 3,
      caseworkersShort: 0
    })
  })

  it("the same 4 Sakti Peksos with 130 active cases are over capacity and 2 short", () => {
    const load = ok(DinasType.caseload({ activeCases: 130, caseworkers: 4 }))
    expect(load.ratio).toBe(32.5)
    expect(load.band).toBe("very-high")
    expect(load.overCapacity).toBe(true)
    expect(load.caseworkersNeeded).toBe(6)
    expect(load.caseworkersShort).toBe(2)
  })

  it("puts the band limits in the lower band (≤10 / 11–20 / 21–30 / >30)", () => {
    const band = (activeCases: number) => ok(DinasType.caseload({ activeCases, caseworkers: 1 })).band
    expect([0, 10, 11, 20, 21, 30, 31].map(band)).toEqual([
      "low",
      "low",
      "moderate",
      "moderate",
      "high",
      "high",
      "very-high"
    ])
    // 25 per caseworker is the limit: 100 cases for 4 is at capacity, 101 over.
    expect(ok(DinasType.caseload({ activeCases: 100, caseworkers: 4 })).overCapacity).toBe(false)
    expect(ok(DinasType.caseload({ activeCases: 101, caseworkers: 4 })).overCapacity).toBe(true)
  })

  it("handles zero caseworkers without dividing by zero", () => {
    const load = ok(DinasType.caseload({ activeCases: 12, caseworkers: 0 }))
    expect(load._tag).toBe("NoCaseworkers")
    expect(load.ratio).toBe(Number.POSITIVE_INFINITY)
    expect(load.band).toBe("very-high")
    expect(load.overCapacity).toBe(true)
    expect(load.caseworkersNeeded).toBe(1)
    expect(load.caseworkersShort).toBe(1)
    const empty = ok(DinasType.caseload({ activeCases: 0, caseworkers: 0 }))
    expect(empty).toMatchObject({ _tag: "NoCaseworkers", ratio: 0, band: "low", overCapacity: false })
    expect(empty.caseworkersNeeded).toBe(0)
  })

  it("rejects negative and fractional counts", () => {
    for (const input of [
      { activeCases: -1, caseworkers: 4 },
      { activeCases: 10, caseworkers: -2 },
      { activeCases: 2.5, caseworkers: 4 },
      { activeCases: 10, caseworkers: 1.5 },
      { activeCases: Number.NaN, caseworkers: 1 }
    ]) {
      const failure = err(DinasType.caseload(input))
      expect(failure._tag).toBe("InvalidInput")
      expect(failure.field).toBe("caseload input")
    }
  })

  it("takes an overriding maximum and rejects a bad caseload policy", () => {
    const strict: DinasType.CaseloadPolicy = { maxPerCaseworker: 20, bandUpperBounds: [10, 20, 30] }
    const load = ok(DinasType.caseload({ activeCases: 90, caseworkers: 4 }, strict))
    expect(load.overCapacity).toBe(true)
    expect(load.caseworkersNeeded).toBe(5)
    expect(ok(DinasType.caseload({ activeCases: 90, caseworkers: 4 })).overCapacity).toBe(false)
    expect(err(DinasType.caseload({ activeCases: 1, caseworkers: 1 }, { ...strict, maxPerCaseworker: 0 })).field).toBe(
      "maxPerCaseworker"
    )
    expect(err(DinasType.caseload({ activeCases: 1, caseworkers: 1 }, { ...strict, maxPerCaseworker: 2.5 }))._tag).toBe(
      "InvalidDinasPolicy"
    )
    expect(
      err(DinasType.caseload({ activeCases: 1, caseworkers: 1 }, { ...strict, bandUpperBounds: [10, 30, 20] })).reason
    ).toMatch(/not strictly increasing/)
    expect(DinasType.caseloadPolicyBasis.status).toBe("policy-default")
    expect(DinasType.caseloadPolicyBasis.note).toMatch(/Primero/)
  })

  const arbitraryCounts = fc.record({
    activeCases: fc.integer({ min: 0, max: 100_000 }),
    caseworkers: fc.integer({ min: 0, max: 5_000 })
  })
  const arbitraryCaseloadPolicy = fc.record({
    maxPerCaseworker: fc.integer({ min: 1, max: 200 }),
    bandUpperBounds: sortedUnique(fc.integer({ min: 0, max: 200 }), 3).map(
      (bounds) => bounds as unknown as readonly [number, number, number]
    )
  })

  propTest.prop([arbitraryCounts, fc.option(arbitraryCaseloadPolicy, { nil: undefined })])(
    "needs the fewest caseworkers that cover every active case",
    (counts, policy) => {
      const load = ok(DinasType.caseload(counts, policy))
      const max = load.maxPerCaseworker
      expect(load.caseworkersNeeded * max).toBeGreaterThanOrEqual(counts.activeCases)
      if (load.caseworkersNeeded > 0) expect((load.caseworkersNeeded - 1) * max).toBeLessThan(counts.activeCases)
      expect(load.overCapacity).toBe(counts.caseworkers < load.caseworkersNeeded)
      expect(load.caseworkersShort).toBe(Math.max(0, load.caseworkersNeeded - counts.caseworkers))
      expect(load._tag).toBe(counts.caseworkers === 0 ? "NoCaseworkers" : "Staffed")
    }
  )

  propTest.prop([arbitraryCounts, fc.integer({ min: 1, max: 1000 })])(
    "never lowers the band when cases grow",
    (counts, more) => {
      const order = DinasType.CaseloadBand.literals
      const before = ok(DinasType.caseload(counts)).band
      const after = ok(DinasType.caseload({ ...counts, activeCases: counts.activeCases + more })).band
      expect(order.indexOf(after)).toBeGreaterThanOrEqual(order.indexOf(before))
    }
  )
})

describe("DinasType: rules", () => {
  it("lists its rules with stable ids and at least one basis each", () => {
    expect(DinasType.rules.map((rule) => rule.id)).toEqual([
      "DINAS-SCORE",
      "DINAS-TYPE-THRESHOLDS",
      "DINAS-MERGED",
      "DINAS-STRUCTURE",
      "DINAS-APPROVER",
      "CASELOAD-MAX"
    ])
    for (const rule of DinasType.rules) {
      expect(Schema.is(Basis.Rule)(rule)).toBe(true)
      expect(rule.basis.length).toBeGreaterThan(0)
    }
  })

  it("marks the thresholds and structure unverified and the caseload a policy default", () => {
    const statusOf = (id: string) => DinasType.rules.find((rule) => rule.id === id)?.basis[0]?.status
    expect(statusOf("DINAS-TYPE-THRESHOLDS")).toBe("unverified")
    expect(statusOf("DINAS-STRUCTURE")).toBe("unverified")
    expect(statusOf("DINAS-MERGED")).toBe("verified")
    expect(statusOf("CASELOAD-MAX")).toBe("policy-default")
  })
})
