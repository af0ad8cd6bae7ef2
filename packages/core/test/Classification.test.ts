import { fc, test as propTest } from "@fast-check/vitest"
import { Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as Ampk from "../src/Ampk.js"
import * as Basis from "../src/Basis.js"
import * as CalendarDate from "../src/CalendarDate.js"
import * as CaseModel from "../src/CaseModel.js"
import * as Classification from "../src/Classification.js"
import * as Ppks from "../src/Ppks.js"
import * as Sppa from "../src/Sppa.js"

type Facts = Classification.Facts

const years = (n: number): Classification.Age => ({ _tag: "years", years: n })

const classified = (facts: Facts, policy?: Classification.ClassificationPolicy): Classification.Classified => {
  const result = Classification.classify(facts, policy)
  if (result._tag !== "Classified") throw new Error(`expected Classified, got ${JSON.stringify(result.missing)}`)
  return result
}
const needsAssessment = (facts: Facts): Classification.NeedsAssessment => {
  const result = Classification.classify(facts)
  if (result._tag !== "NeedsAssessment") throw new Error(`expected NeedsAssessment, got ${JSON.stringify(result)}`)
  return result
}
const failureOf = <A, E>(result: Result.Result<A, E>): E => {
  if (Result.isSuccess(result)) throw new Error(`expected a failure, got ${JSON.stringify(result.success)}`)
  return result.failure
}
const ampkCodes = (c: Classification.Classified) => c.ampk.map((f) => f.code)
const ppksCodes = (c: Classification.Classified) => c.ppks.map((f) => f.code)

describe("Classification: seed 000 (Padang)", () => {
  // Two siblings aged 8 and 12, victims of sexual violence by a family member.
  for (const age of [8, 12]) {
    it(`classifies the sibling aged ${age} as AMPK j, PPKS 6, with a family perpetrator`, () => {
      const result = classified({
        age: years(age),
        incidents: ["sexual-violence"],
        allegedPerpetrators: ["other-relative"]
      })
      expect(result.child).toBe(true)
      // Only sexual violence is a fact: j, not i (no physical or psychological violence was recorded).
      expect(ampkCodes(result)).toEqual(["j"])
      expect(ppksCodes(result)).toEqual([6])
      expect(result.familyPerpetrator).toBe(true)
      expect(result.cluster?.code).toBe("children")
      expect(result.measures).toEqual(["rapid-handling", "psychosocial-accompaniment"])
      expect(result.sppaRoles).toEqual([])
      expect(result.ampk[0]?.basis[0]).toEqual(Ampk.categoryBasis("j"))
      expect(result.notes.join(" ")).toMatch(/cannot consent/)
    })
  }

  it("adds i only when physical or psychological violence is a fact too", () => {
    const result = classified({
      age: years(12),
      incidents: ["sexual-violence", "psychological-violence"],
      allegedPerpetrators: ["father"]
    })
    expect(ampkCodes(result)).toEqual(["i", "j"])
    expect(ppksCodes(result)).toEqual([6])
    expect(result.ppks[0]?.reason).toMatch(/sexual-violence.*; incident psychological-violence/)
  })

  it("as victims in a criminal case, the siblings are anak korban with Pasal 59A d owed", () => {
    const result = classified({
      age: years(8),
      incidents: ["sexual-violence"],
      legalCase: { involvement: ["victim"] },
      allegedPerpetrators: ["other-relative"]
    })
    expect(ampkCodes(result)).toEqual(["b", "j"])
    expect(ppksCodes(result)).toEqual([3, 6])
    expect(result.sppaRole).toBe("anak-korban")
    expect(result.measures).toContain("judicial-protection")
  })
})

describe("Classification: seed 001 (diversion, LPKS temporary care)", () => {
  it("classifies a child of 15 accused of theft as anak berkonflik dengan hukum; diversion is mandatory", () => {
    const result = classified({ age: years(15), legalCase: { involvement: ["offender"], ageAtAct: 15 } })
    expect(ampkCodes(result)).toEqual(["b"])
    expect(ppksCodes(result)).toEqual([3])
    expect(result.sppaRole).toBe("anak-berkonflik-dengan-hukum")
    expect(result.sppaPath).toBe("sppa")
    const diversion = Sppa.diversion({ threatenedPenaltyYears: 5, repeatOffence: false })
    expect(Result.isSuccess(diversion) && diversion.success.mandatory).toBe(true)
  })

  it("gives an offender under 12 at the act the Pasal 21 status, never the role of anak berkonflik dengan hukum (UU 11/2012 Pasal 1 angka 3, Pasal 21; issue 11, fact 2)", () => {
    const result = classified({ age: years(12), legalCase: { involvement: ["offender"], ageAtAct: 11 } })
    expect(result.sppaRoles.map((r) => r.role)).toEqual(["anak-pasal-21"])
    expect(result.sppaRole).toBe("anak-pasal-21")
    expect(result.sppaPath).toBe("pasal-21")
    expect(ampkCodes(result)).toEqual(["b"])
    expect(result.sppaRoles[0]?.reason).toMatch(/only the Pasal 21 decisions/)
    expect(classified({ age: years(10), legalCase: { involvement: ["offender"] } }).sppaPath).toBe("pasal-21")
    // Also a victim or a witness: the Pasal 21 status comes first, so the case gets its decisions.
    const both = classified({ age: years(10), legalCase: { involvement: ["victim", "offender"], ageAtAct: 10 } })
    expect(both.sppaRole).toBe("anak-pasal-21")
    expect(both.sppaRoles.map((r) => r.role)).toEqual(["anak-pasal-21", "anak-korban"])
  })

  it("keeps the SPPA role of an adult whose act was before 18, without AMPK (Pasal 20)", () => {
    const result = classified({ age: years(19), legalCase: { involvement: ["offender"], ageAtAct: 17 } })
    expect(result.child).toBe(false)
    expect(result.ampk).toEqual([])
    expect(result.sppaRole).toBe("anak-berkonflik-dengan-hukum")
  })
})

interface Seed003Input {
  readonly group: string
  readonly facts: Facts
}

const repeat = (count: number, make: (i: number) => Facts, group: string): Array<Seed003Input> =>
  Array.from({ length: count }, (_, i) => ({ group, facts: make(i) }))

describe("Classification: seed 003 (NTB), every case classified, counts preserved", () => {
  const adultGroups: ReadonlyArray<readonly [Ppks.GroupCode, number, (i: number) => Facts]> = [
    [
      "pekerja-migran-bermasalah",
      85 + 2,
      (i) => ({ age: years(20 + (i % 35)), conditions: ["migrant-worker-troubled"] })
    ],
    ["korban-perdagangan-orang", 16, (i) => ({ age: years(18 + (i % 30)), incidents: ["trafficking"] })],
    ["orang-telantar", 90 + 54, (i) => ({ age: years(18 + (i % 42)), incidents: ["abandonment"] })],
    [
      "perempuan-korban-kekerasan-seksual",
      9 + 1,
      (i) => ({ age: years(18 + (i % 40)), incidents: ["sexual-violence"], conditions: ["vulnerable-woman"] })
    ],
    ["odgj-telantar", 3 + 1, (i) => ({ age: years(25 + i), disabilities: ["mental"], incidents: ["abandonment"] })]
  ]

  it("classifies the adult PPKS groups (2023 and 2024 to May) as their mapped categories", () => {
    for (const [group, count, make] of adultGroups) {
      const results = Array.from({ length: count }, (_, i) => classified(make(i)))
      expect(results).toHaveLength(count)
      for (const result of results) {
        expect(result.child).toBe(false)
        expect(result.ampk).toEqual([])
        for (const code of Ppks.mapGroup(group).ppks) expect(ppksCodes(result)).toContain(code)
      }
    }
  })

  it("maps the groups to the ATENSI clusters", () => {
    expect(classified({ age: years(30), conditions: ["migrant-worker-troubled"] }).cluster?.code).toBe(
      "tuna-sosial-trafficking"
    )
    expect(classified({ age: years(30), incidents: ["trafficking"] }).cluster?.code).toBe("tuna-sosial-trafficking")
    const odgj = classified({ age: years(30), disabilities: ["mental"], incidents: ["abandonment"] })
    expect(ppksCodes(odgj)).toEqual([9])
    expect(odgj.cluster?.code).toBe("disability")
  })

  it("refines orang telantar by age and disability, never dropping the person", () => {
    expect(ppksCodes(classified({ age: years(45), incidents: ["abandonment"] }))).toEqual([11])
    const older = classified({ age: years(60), incidents: ["abandonment"] })
    expect(ppksCodes(older)).toEqual([8])
    expect(older.cluster?.code).toBe("older-persons")
    expect(ppksCodes(classified({ age: years(59), incidents: ["abandonment"] }))).toEqual([11])
    expect(ppksCodes(classified({ age: years(70), incidents: ["abandonment"], disabilities: ["mental"] }))).toEqual([
      8, 9
    ])
    // A child found abandoned is Anak (Balita) Telantar
    expect(ppksCodes(classified({ age: years(4), incidents: ["abandonment"] }))).toEqual([1])
    expect(ppksCodes(classified({ age: years(6), incidents: ["abandonment"] }))).toEqual([2])
  })

  it("counts a neglected 5-year-old as Anak Balita Telantar (Permensos 8/2012: 5 tahun ke bawah; issue 11, fact 1)", () => {
    expect(ppksCodes(classified({ age: years(5), incidents: ["neglect"] }))).toEqual([1])
    expect(ppksCodes(classified({ age: years(5), incidents: ["abandonment"] }))).toEqual([1])
    expect(ppksCodes(classified({ age: years(6), incidents: ["neglect"] }))).toEqual([2])
    // The bound is a policy value: the highest balita age.
    const policy = { ...Classification.defaultClassificationPolicy, highestBalitaAge: 4 }
    const five = Classification.classify({ age: years(5), incidents: ["neglect"] }, policy)
    expect(five._tag === "Classified" && five.ppks.map((p) => p.code)).toEqual([2])
  })

  it("classifies the 316 child cases: 301 ABH (victim, offender, witness), 8 adoption, 7 child marriage", () => {
    const roles = ["victim", "offender", "witness"] as const
    const inputs: Array<Seed003Input> = [
      ...repeat(
        301,
        (i) => {
          const involvement = roles[i % 3] as Classification.Involvement
          const age = 6 + (i % 12)
          return involvement === "offender"
            ? { age: years(Math.max(age, 12)), legalCase: { involvement: [involvement], ageAtAct: Math.max(age, 12) } }
            : { age: years(age), incidents: ["physical-violence"], legalCase: { involvement: [involvement] } }
        },
        "abh"
      ),
      ...repeat(8, (i) => ({ age: years(i % 3), incidents: ["adoption"] }), "adoption"),
      ...repeat(7, (i) => ({ age: years(14 + (i % 4)), incidents: ["child-marriage"] }), "child-marriage")
    ]
    const results = inputs.map((input) => ({ group: input.group, result: classified(input.facts) }))
    expect(results).toHaveLength(316)

    const count = (predicate: (c: Classification.Classified) => boolean) =>
      results.filter(({ result }) => predicate(result)).length
    expect(count((c) => ampkCodes(c).includes("b"))).toBe(301)
    expect(count((c) => ppksCodes(c).includes(3))).toBe(301)
    expect(count((c) => c.sppaRole === "anak-korban")).toBe(101)
    expect(count((c) => c.sppaRole === "anak-berkonflik-dengan-hukum")).toBe(100)
    expect(count((c) => c.sppaRole === "anak-saksi")).toBe(100)
    expect(count((c) => c.concerns.some((x) => x.code === "adoption"))).toBe(8)
    expect(count((c) => c.concerns.some((x) => x.code === "child-marriage"))).toBe(7)
    expect(count((c) => c.child)).toBe(316)
    // every group's count is preserved
    const byGroup = Object.fromEntries(
      ["abh", "adoption", "child-marriage"].map((g) => [g, results.filter((r) => r.group === g).length])
    )
    expect(byGroup).toEqual({ abh: 301, adoption: 8, "child-marriage": 7 })
  })
})

describe("Classification: categories from facts", () => {
  it("puts an emergency in category a with its PP 78/2021 sub-category; an adult gets the disaster category", () => {
    const child = classified({ age: years(9), incidents: ["natural-disaster", "mother-imprisoned"] })
    expect(ampkCodes(child)).toEqual(["a"])
    expect(child.ampkSubCategories.map((s) => s.code)).toEqual(["a.3", "a.7"])
    expect(ppksCodes(child)).toEqual([7])
    const adult = classified({ age: years(40), incidents: ["natural-disaster"] })
    expect(ppksCodes(adult)).toEqual([21])
    expect(adult.cluster).toBeUndefined()
    expect(adult.notes.join(" ")).toMatch(/outside the five ATENSI clusters/)
  })

  it("classifies trafficking, HIV, NAPZA, disability and minority for children and adults", () => {
    const child = classified({
      age: years(16),
      incidents: ["trafficking", "substance-abuse"],
      livingWithHiv: true,
      disabilities: ["sensory"],
      conditions: ["minority-isolated"]
    })
    expect(ampkCodes(child)).toEqual(["c", "e", "g", "h", "l"])
    expect(ppksCodes(child)).toEqual([5, 7])
    const adult = classified({
      age: years(30),
      incidents: ["trafficking", "substance-abuse"],
      livingWithHiv: true,
      disabilities: ["sensory"],
      conditions: ["minority-isolated"]
    })
    expect(ppksCodes(adult)).toEqual([9, 14, 16, 17, 18])
    expect(adult.cluster?.code).toBe("napza")
    expect(adult.otherClusters).toEqual(["disability", "tuna-sosial-trafficking"])
  })

  it("owes social assistance (Pasal 59A c) to an AMPK child of a poor family", () => {
    const result = classified({ age: years(7), incidents: ["neglect"], conditions: ["poor"] })
    expect(ampkCodes(result)).toEqual(["m"])
    expect(ppksCodes(result)).toEqual([2])
    expect(result.measures).toEqual(["rapid-handling", "psychosocial-accompaniment", "social-assistance"])
  })

  it("carries a street child as PPKS 4 without an AMPK letter", () => {
    const result = classified({ age: years(11), incidents: ["street-child"], conditions: ["begging"] })
    expect(result.ampk).toEqual([])
    expect(ppksCodes(result)).toEqual([4])
    expect(result.measures).toEqual([])
  })

  it("uses the age from a birth date, exactly, including 29 February births", () => {
    const before = classified({
      age: {
        _tag: "birth-date",
        birthDate: CalendarDate.decodeSync("2008-02-29"),
        reportDate: CalendarDate.decodeSync("2026-02-28")
      },
      incidents: ["sexual-violence"]
    })
    expect(before.ageYears).toBe(17)
    expect(ampkCodes(before)).toEqual(["j"])
    const on = classified({
      age: {
        _tag: "birth-date",
        birthDate: CalendarDate.decodeSync("2008-02-29"),
        reportDate: CalendarDate.decodeSync("2026-03-01")
      },
      incidents: ["sexual-violence"]
    })
    expect(on.ageYears).toBe(18)
    expect(on.ampk).toEqual([])
    expect(ppksCodes(on)).toEqual([19])
  })
})

describe("Classification: NeedsAssessment instead of a guess", () => {
  it("asks for the age when it is unknown", () => {
    const result = needsAssessment({ age: { _tag: "unknown" }, incidents: ["sexual-violence"] })
    expect(result.missing.map((m) => m.field)).toEqual(["age"])
    expect(result.missing[0]?.reason).toMatch(/never guessed/)
  })

  it("asks what happened when nothing is recorded", () => {
    expect(needsAssessment({ age: years(9) }).missing.map((m) => m.field)).toEqual(["incidents"])
    expect(needsAssessment({ age: { _tag: "unknown" }, incidents: [] }).missing.map((m) => m.field)).toEqual([
      "age",
      "incidents"
    ])
  })

  it("asks for the age at the act of an alleged offender aged 12–17, and rejects an act after the report", () => {
    const offender = needsAssessment({ age: years(13), legalCase: { involvement: ["offender"] } })
    expect(offender.missing[0]).toMatchObject({ field: "legalCase.ageAtAct" })
    expect(offender.missing[0]?.reason).toMatch(/Pasal 21 and the SPPA path/)
    const later = needsAssessment({ age: years(13), legalCase: { involvement: ["victim"], ageAtAct: 14 } })
    expect(later.missing[0]?.reason).toMatch(/cannot come after the report/)
  })

  it("asks for more when the facts match no category for the person's age", () => {
    expect(needsAssessment({ age: years(30), incidents: ["refugee"] }).missing[0]?.reason).toMatch(
      /match no adult PPKS category/
    )
    expect(needsAssessment({ age: years(9), conditions: ["poor"] }).missing[0]?.reason).toMatch(
      /match no AMPK or child PPKS category/
    )
  })
})

describe("Classification: decoding", () => {
  it("rejects identity and other unknown keys, without echoing the input", () => {
    const error = failureOf(
      Classification.classifyUnknown({ age: { _tag: "years", years: 8 }, incidents: ["neglect"], name: "Budi" })
    )
    expect(error._tag).toBe("InvalidInput")
    expect(error.field).toBe("facts")
    expect(error.message).not.toMatch(/Budi/)
    expect(error.reason).toMatch(/excess property[\s\S]*"name"[\s\S]*identity such as a name never goes here/)
  })

  it("rejects undecodable facts with a typed error that says what is wrong", () => {
    expect(failureOf(Classification.classifyUnknown({ age: { _tag: "years", years: -1 } })).reason).toMatch(
      /between 0 and 150/
    )
    expect(
      failureOf(Classification.classifyUnknown({ age: { _tag: "years", years: 9 }, incidents: ["theft"] })).reason
    ).toMatch(/incidents/)
    expect(
      failureOf(
        Classification.classifyUnknown({
          age: { _tag: "birth-date", birthDate: "2020-01-02", reportDate: "2020-01-01" }
        })
      ).reason
    ).toMatch(/report date 2020-01-01 is before the birth date/)
    expect(
      failureOf(
        Classification.classifyUnknown({
          age: { _tag: "birth-date", birthDate: "2020-01-02", reportDate: "2020-01-01" }
        })
      ).reason
    ).not.toContain("2020-01-02")
    expect(
      failureOf(
        Classification.classifyUnknown({
          age: { _tag: "birth-date", birthDate: "2023-02-29", reportDate: "2024-01-01" }
        })
      ).reason
    ).toMatch(/does not exist/)
    expect(failureOf(Classification.classifyUnknown({ age: years(9), legalCase: { involvement: [] } })).reason).toMatch(
      /involvement/
    )
    expect(failureOf(Classification.classifyUnknown("not facts"))._tag).toBe("InvalidInput")
  })

  it("classifies decodable facts", () => {
    const result = Classification.classifyUnknown({ age: { _tag: "years", years: 8 }, incidents: ["neglect"] })
    expect(Result.isSuccess(result) && result.success._tag).toBe("Classified")
  })

  it("describes the Facts as JSON Schema", () => {
    const doc = Schema.toJsonSchemaDocument(Classification.Facts)
    expect(JSON.stringify(doc.definitions)).toMatch(/sexual-violence/)
  })
})

// ---------------------------------------------------------------------------------------------------------------
// Properties

const arbitraryDate = fc
  .integer({ min: 0, max: 100 * 366 })
  .map((days) => CalendarDate.addDays(CalendarDate.decodeSync("1930-01-01"), days))

const arbitraryAge: fc.Arbitrary<Classification.Age> = fc.oneof(
  fc.integer({ min: 0, max: 100 }).map(years),
  fc.tuple(arbitraryDate, fc.integer({ min: 0, max: 90 * 366 })).map(([birthDate, days]) => ({
    _tag: "birth-date" as const,
    birthDate,
    reportDate: CalendarDate.addDays(birthDate, days)
  })),
  fc.constant({ _tag: "unknown" as const })
)

const subset = <A>(values: ReadonlyArray<A>) => fc.uniqueArray(fc.constantFrom(...values), { maxLength: 4 })

const arbitraryFacts: fc.Arbitrary<Facts> = fc.record(
  {
    age: arbitraryAge,
    incidents: subset(Classification.incidentKinds),
    conditions: subset(Classification.conditionKinds),
    disabilities: subset(Classification.disabilityKinds),
    livingWithHiv: fc.boolean(),
    legalCase: fc.record(
      {
        involvement: fc
          .uniqueArray(fc.constantFrom<Classification.Involvement>("offender", "victim", "witness"), { maxLength: 2 })
          .chain((rest) =>
            fc
              .constantFrom<Classification.Involvement>("offender", "victim", "witness")
              .filter((first) => !rest.includes(first))
              .map((first): readonly [Classification.Involvement, ...Array<Classification.Involvement>] => [
                first,
                ...rest
              ])
          ),
        ageAtAct: fc.integer({ min: 0, max: 100 })
      },
      { requiredKeys: ["involvement"] }
    ),
    allegedPerpetrators: subset(Classification.perpetratorRelations)
  },
  { requiredKeys: ["age"] }
)

const reversed = (facts: Facts): Facts => ({
  ...facts,
  ...(facts.incidents === undefined ? {} : { incidents: [...facts.incidents].reverse() }),
  ...(facts.conditions === undefined ? {} : { conditions: [...facts.conditions].reverse() }),
  ...(facts.allegedPerpetrators === undefined ? {} : { allegedPerpetrators: [...facts.allegedPerpetrators].reverse() })
})

describe("Classification: properties", () => {
  propTest.prop([arbitraryFacts])("is total: every decoded Facts gives a Classified or a NeedsAssessment", (facts) => {
    expect(Schema.is(Classification.Facts)(facts)).toBe(true)
    const result = Classification.classify(facts)
    expect(Schema.is(Classification.Outcome)(result)).toBe(true)
    expect(Result.isSuccess(Classification.classifyUnknown(facts))).toBe(true)
  })

  propTest.prop([arbitraryFacts])("is deterministic and ignores the order of the facts", (facts) => {
    const first = Classification.classify(facts)
    expect(Classification.classify(facts)).toEqual(first)
    expect(Classification.classify(structuredClone(facts))).toEqual(first)
    expect(Classification.classify(reversed(facts))).toEqual(first)
  })

  propTest.prop([arbitraryFacts])("gives adults no AMPK and adult PPKS only; children child PPKS only", (facts) => {
    const result = Classification.classify(facts)
    if (result._tag !== "Classified") return
    if (result.child) {
      expect(result.ageYears).toBeLessThan(18)
      for (const f of result.ppks) expect(Ppks.isChildCategory(f.code)).toBe(true)
      if (result.ampk.length > 0 || result.ppks.length > 0) expect(result.cluster?.code).toBe("children")
    } else {
      expect(result.ageYears).toBeGreaterThanOrEqual(18)
      expect(result.ampk).toEqual([])
      expect(result.ampkSubCategories).toEqual([])
      expect(result.measures).toEqual([])
      for (const f of result.ppks) expect(Ppks.isChildCategory(f.code)).toBe(false)
    }
  })

  propTest.prop([arbitraryFacts])(
    "gives every finding a reason and a basis, sorted and without duplicates",
    (facts) => {
      const result = Classification.classify(facts)
      if (result._tag === "NeedsAssessment") {
        for (const m of result.missing) expect(m.reason.length).toBeGreaterThan(0)
        return
      }
      const findings = [
        ...result.ampk,
        ...result.ampkSubCategories,
        ...result.ppks,
        ...result.concerns,
        ...result.sppaRoles
      ]
      for (const f of findings) {
        expect(f.reason.length).toBeGreaterThan(0)
        expect(f.basis.length).toBeGreaterThan(0)
        for (const b of f.basis) expect(Schema.is(Basis.Basis)(b)).toBe(true)
      }
      expect(ampkCodes(result)).toEqual(Ampk.codes.filter((c) => ampkCodes(result).includes(c)))
      expect(ppksCodes(result)).toEqual([...new Set(ppksCodes(result))].sort((a, b) => a - b))
      expect(result.sppaRole).toBe(result.sppaRoles[0]?.role)
    }
  )

  propTest.prop([arbitraryFacts])("flags a family perpetrator iff a family relation is alleged", (facts) => {
    const result = Classification.classify(facts)
    if (result._tag !== "Classified") return
    const family = (facts.allegedPerpetrators ?? []).some((p) => Classification.familyRelations.includes(p))
    expect(result.familyPerpetrator).toBe(family)
  })

  propTest.prop([
    arbitraryDate,
    fc.constantFrom<CalendarDate.AgePolicy>({ leapDayBirthday: "march-1" }, { leapDayBirthday: "february-28" })
  ])("a person is a child the day before the 18th birthday and an adult on it", (birthDate, agePolicy) => {
    const policy = { ...Classification.defaultClassificationPolicy, agePolicy }
    const birthday = CalendarDate.dateOfAge(birthDate, 18, agePolicy)
    const at = (reportDate: CalendarDate.CalendarDate) =>
      classified({ age: { _tag: "birth-date", birthDate, reportDate }, incidents: ["physical-violence"] }, policy)
    const before = at(CalendarDate.addDays(birthday, -1))
    const on = at(birthday)
    expect([before.child, ampkCodes(before), ppksCodes(before)]).toEqual([true, ["i"], [6]])
    expect([on.child, ampkCodes(on), ppksCodes(on)]).toEqual([false, [], [19]])
  })

  propTest.prop([fc.integer({ min: 0, max: 17 }), fc.constantFrom("offender", "victim", "witness" as const)])(
    "gives a child the role its age at the act allows: an offender under 12 is on the Pasal 21 path",
    (ageAtAct, involvement) => {
      const result = classified({ age: years(17), legalCase: { involvement: [involvement], ageAtAct } })
      const expected =
        involvement === "offender"
          ? ageAtAct >= 12
            ? ["anak-berkonflik-dengan-hukum"]
            : ["anak-pasal-21"]
          : [involvement === "victim" ? "anak-korban" : "anak-saksi"]
      expect(result.sppaRoles.map((r) => r.role)).toEqual(expected)
    }
  )
})

describe("Classification: to what RecordAssessment takes", () => {
  propTest.prop([arbitraryFacts])(
    "CaseModel.classificationOf keeps every code the classification found, and is a valid case classification",
    (facts) => {
      const result = Classification.classify(facts)
      if (result._tag !== "Classified") return
      const recorded = CaseModel.classificationOf(result)
      expect(Schema.is(CaseModel.Classification)(recorded)).toBe(true)
      expect(recorded.ampk).toEqual(result.ampk.map((f) => f.code))
      expect(recorded.ppks).toEqual(result.ppks.map((f) => f.code))
      expect(recorded.cluster).toBe(result.cluster?.code)
      expect(recorded.sppaRole).toBe(result.sppaRole)
      expect(recorded.allegedPerpetrators).toEqual(result.allegedPerpetrators)
      expect(recorded.concerns ?? []).toEqual(result.concerns.map((f) => f.code))
    }
  )
})

describe("Classification: the mapping table and rules", () => {
  it("has a row for every incident and condition kind, with a reason and a policy basis", () => {
    const facts = Classification.factRules.map((r) => r.fact)
    for (const kind of Classification.incidentKinds) expect(facts).toContain(`incident:${kind}`)
    for (const kind of Classification.conditionKinds) expect(facts).toContain(`condition:${kind}`)
    expect(facts).toEqual(expect.arrayContaining(["disability", "hiv", "legal-case"]))
    expect(new Set(facts).size).toBe(facts.length)
    for (const row of Classification.factRules) {
      expect(row.reason.length).toBeGreaterThan(0)
      expect(Schema.is(Basis.Basis)(row.basis)).toBe(true)
      const child = row.child.ppks
      if (typeof child === "number") expect(Ppks.isChildCategory(child)).toBe(true)
      const adult = row.adult.ppks
      if (typeof adult === "number") expect(Ppks.isChildCategory(adult)).toBe(false)
      // every row gives a child and an adult something, or says why not
      const childGets = [row.child.ampk, row.child.ppks, row.child.concern, row.child.note]
      expect(childGets.some((x) => x !== undefined)).toBe(true)
      expect(row.adult.ppks !== undefined || row.adult.note !== undefined).toBe(true)
      if (row.child.sub !== undefined) expect(Ampk.getSubCategory(row.child.sub)?.parent).toBe(row.child.ampk)
    }
  })

  it("exports its rules with stable ids and a non-empty basis", () => {
    expect(Classification.rules.map((r) => r.id)).toEqual([
      "CLASS-CHILD-AGE",
      "CLASS-ADULT-NO-AMPK",
      "CLASS-CHILD-PPKS",
      "CLASS-FACT-MAPPING",
      "CLASS-NO-GUESS",
      "CLASS-SPPA-ROLE",
      "CLASS-CLUSTER",
      "CLASS-FAMILY-PERPETRATOR"
    ])
    for (const rule of Classification.rules) expect(Schema.is(Basis.Rule)(rule)).toBe(true)
    for (const key of Object.keys(Classification.policyBasis) as Array<keyof Classification.ClassificationPolicy>) {
      expect(Schema.is(Basis.Basis)(Classification.policyBasis[key])).toBe(true)
    }
  })

  it("follows the policy: an older-person age of 65 keeps a 62-year-old in Gelandangan", () => {
    const policy = { ...Classification.defaultClassificationPolicy, olderPersonAge: 65 }
    expect(ppksCodes(classified({ age: years(62), incidents: ["abandonment"] }, policy))).toEqual([11])
  })
})
