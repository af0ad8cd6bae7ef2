import { fc, test as propTest } from "@fast-check/vitest"
import { Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as Ampk from "../src/Ampk.js"
import * as Basis from "../src/Basis.js"

const failureOf = <A, E>(result: Result.Result<A, E>): E => {
  if (Result.isSuccess(result)) throw new Error(`expected a failure, got ${JSON.stringify(result.success)}`)
  return result.failure
}

describe("Ampk: the 15 categories of UU 35/2014 Pasal 59 ayat (2)", () => {
  it("lists the letters a to o in the order of the law", () => {
    expect(Ampk.categories.map((c) => c.code)).toEqual([..."abcdefghijklmno"])
    expect(Ampk.codes).toHaveLength(15)
  })

  it("carries the Indonesian text of UU 35/2014 Pasal 59 ayat (2) and an English label", () => {
    expect(Ampk.get("a").label.id).toBe("Anak dalam situasi darurat")
    expect(Ampk.get("b").label.id).toBe("Anak yang berhadapan dengan hukum")
    expect(Ampk.get("j").label).toEqual({ id: "Anak korban kejahatan seksual", en: "Child victims of sexual crime" })
    expect(Ampk.get("m").label.id).toBe("Anak korban perlakuan salah dan penelantaran")
    expect(Ampk.get("o").label.id).toBe(
      "Anak yang menjadi korban stigmatisasi dari pelabelan terkait dengan kondisi orang tuanya"
    )
  })

  it("cites the letter of Pasal 59 ayat (2) as a verified basis", () => {
    for (const category of Ampk.categories) {
      expect(category.basis).toEqual({
        instrument: "UU 35/2014",
        provision: `Pasal 59 ayat (2) huruf ${category.code}`,
        status: "verified"
      })
    }
  })

  it("parses codes and says what is wrong with anything else", () => {
    expect(Ampk.parse("j")).toEqual(Result.succeed("j"))
    const upper = failureOf(Ampk.parse("J"))
    expect(upper._tag).toBe("UnknownAmpkCode")
    expect(upper.message).toBe('"J" is not an AMPK code: the codes are lowercase letters: use "j"')
    expect(failureOf(Ampk.parse("a.1")).reason).toMatch(/sub-category code: use parseSubCategory/)
    expect(failureOf(Ampk.parse("p")).reason).toMatch(/letters a to o/)
    expect(failureOf(Ampk.parse("")).reason).toMatch(/letters a to o/)
    expect(failureOf(Ampk.parse(1)).reason).toBe("expected a string, got number")
    expect(failureOf(Ampk.parse(null)).reason).toBe("expected a string, got null")
    expect(failureOf(Ampk.parse(undefined)).input).toBe("undefined")
  })

  propTest.prop([fc.constantFrom(...Ampk.codes)])("every code round-trips through the Schema", (code) => {
    const decoded = Schema.decodeUnknownSync(Ampk.AmpkCode)(code)
    expect(Schema.encodeSync(Ampk.AmpkCode)(decoded)).toBe(code)
    expect(Ampk.get(decoded).code).toBe(code)
    expect(Schema.is(Ampk.Category)(Ampk.get(decoded))).toBe(true)
  })

  propTest.prop([fc.string({ maxLength: 4 })])("parse accepts exactly the 15 letters", (input) => {
    const result = Ampk.parse(input)
    expect(Result.isSuccess(result)).toBe((Ampk.codes as ReadonlyArray<string>).includes(input))
    if (Result.isFailure(result)) expect(result.failure.message.length).toBeGreaterThan(0)
  })
})

describe("Ampk: Pasal 59A measures", () => {
  it("lists the four measures a–d with a verified basis", () => {
    expect(Ampk.measures.map((m) => [m.letter, m.code, m.appliesWhen])).toEqual([
      ["a", "rapid-handling", "always"],
      ["b", "psychosocial-accompaniment", "always"],
      ["c", "social-assistance", "poor-family"],
      ["d", "judicial-protection", "judicial-process"]
    ])
    for (const m of Ampk.measures) {
      expect(m.basis).toEqual({
        instrument: "UU 35/2014",
        provision: `Pasal 59A huruf ${m.letter}`,
        status: "verified"
      })
      expect(Ampk.getMeasure(m.code)).toBe(m)
      expect(Schema.is(Ampk.Measure)(m)).toBe(true)
    }
  })

  it("labels measure a in full, with the prevention of disease (UU 35/2014 Pasal 59A huruf a; issue 11, fact 9)", () => {
    expect(Ampk.getMeasure("rapid-handling").label.id).toBe(
      "Penanganan yang cepat, termasuk pengobatan dan/atau rehabilitasi secara fisik, psikis, dan sosial, serta pencegahan penyakit dan gangguan kesehatan lainnya"
    )
  })

  it("owes a and b always, c to poor families, d in judicial processes", () => {
    expect(Ampk.measuresOwed({ poorFamily: false, judicialProcess: false })).toEqual([
      "rapid-handling",
      "psychosocial-accompaniment"
    ])
    expect(Ampk.measuresOwed({ poorFamily: true, judicialProcess: true })).toEqual([...Ampk.measureCodes])
    expect(Ampk.measuresOwed({ poorFamily: false, judicialProcess: true })).toEqual([
      "rapid-handling",
      "psychosocial-accompaniment",
      "judicial-protection"
    ])
  })
})

describe("Ampk: sub-categories", () => {
  it("ships the seven emergency sub-cases of PP 78/2021 Pasal 5 under category a", () => {
    expect(Ampk.subCategoriesOf("a").map((s) => [s.code, s.label.en, s.basis.provision])).toEqual([
      ["a.1", "Refugee children", "Pasal 5 ayat (1) huruf a"],
      ["a.2", "Child victims of riots", "Pasal 5 ayat (1) huruf b"],
      ["a.3", "Child victims of natural disasters", "Pasal 5 ayat (1) huruf c"],
      ["a.4", "Children in armed conflict", "Pasal 5 ayat (1) huruf d"],
      ["a.5", "Child victims of social disasters", "Pasal 5 ayat (2) huruf a"],
      ["a.6", "Child victims of non-natural disasters", "Pasal 5 ayat (2) huruf b"],
      ["a.7", "Children of women prisoners or detainees", "Pasal 5 ayat (2) huruf c"]
    ])
    for (const s of Ampk.subCategories) {
      expect(s.basis.instrument).toBe("PP 78/2021")
      expect(s.basis.status).toBe("verified")
      expect(Schema.is(Ampk.SubCategory)(s)).toBe(true)
      expect(Ampk.parentOf(s.code)).toBe(s.parent)
    }
    expect(Ampk.subCategoriesOf("j")).toEqual([])
  })

  it("rejects a sub-category whose code does not belong to its parent", () => {
    const result = Schema.decodeUnknownResult(Ampk.SubCategory)({
      code: "a.8",
      parent: "b",
      label: { id: "x", en: "x" },
      basis: Basis.policyDefault("deployment")
    })
    expect(failureOf(result).message).toMatch(/sub-category a.8 does not belong to parent b/)
  })

  it("lets a deployment define its own sub-categories with the same Schema", () => {
    const own = Schema.decodeUnknownSync(Ampk.SubCategory)({
      code: "j.1",
      parent: "j",
      label: { id: "Korban kekerasan seksual daring", en: "Victims of online sexual abuse" },
      basis: Basis.policyDefault("Dinsos example", undefined, "local sub-category")
    })
    expect(own.parent).toBe("j")
  })

  it("parses shipped sub-category codes and explains the rest", () => {
    expect(Ampk.parseSubCategory("a.3")).toEqual(Result.succeed("a.3"))
    expect(failureOf(Ampk.parseSubCategory("a.8")).reason).toBe(
      "the shipped sub-categories of a are a.1, a.2, a.3, a.4, a.5, a.6, a.7"
    )
    expect(failureOf(Ampk.parseSubCategory("b.1")).reason).toBe("no sub-categories of b are shipped")
    for (const bad of ["a.0", "a1", "p.1", "A.1", "a.01", 3]) {
      expect(failureOf(Ampk.parseSubCategory(bad)).reason).toMatch(/AMPK letter a–o, a dot and a number/)
    }
  })

  propTest.prop([fc.constantFrom(...Ampk.codes), fc.integer({ min: 1, max: 999 })])(
    "every well-formed sub-category code round-trips through its Schema",
    (letter, n) => {
      const code = `${letter}.${n}`
      const decoded = Schema.decodeUnknownSync(Ampk.SubCategoryCode)(code)
      expect(Schema.encodeSync(Ampk.SubCategoryCode)(decoded)).toBe(code)
      expect(Ampk.parentOf(decoded)).toBe(letter)
    }
  )
})

describe("Ampk: every list item has a basis", () => {
  it("has a non-empty basis on every category, measure and sub-category, and no rules of its own", () => {
    const items = [...Ampk.categories, ...Ampk.measures, ...Ampk.subCategories]
    for (const item of items) {
      expect(Schema.is(Basis.Basis)(item.basis)).toBe(true)
      expect(item.basis.instrument.length).toBeGreaterThan(0)
      expect(item.label.id.length).toBeGreaterThan(0)
      expect(item.label.en.length).toBeGreaterThan(0)
    }
    expect(Ampk.rules).toEqual([])
  })
})
