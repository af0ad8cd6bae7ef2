import { fc, test as propTest } from "@fast-check/vitest"
import { Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as Basis from "../src/Basis.js"
import * as Ppks from "../src/Ppks.js"

const failureOf = <A, E>(result: Result.Result<A, E>): E => {
  if (Result.isSuccess(result)) throw new Error(`expected a failure, got ${JSON.stringify(result.success)}`)
  return result.failure
}

describe("Ppks: the 26 categories of Permensos 8/2012", () => {
  it("numbers the categories 1 to 26 in the order of the list", () => {
    expect(Ppks.categories.map((c) => c.code)).toEqual(Array.from({ length: 26 }, (_, i) => i + 1))
    expect(Ppks.get(1).label.id).toBe("Anak Balita Telantar")
    expect(Ppks.get(3).label.id).toBe("Anak yang Berhadapan dengan Hukum")
    expect(Ppks.get(6).label.id).toBe("Anak yang menjadi Korban Tindak Kekerasan atau diperlakukan Salah")
    expect(Ppks.get(7).label.id).toBe("Anak yang Memerlukan Perlindungan Khusus")
    expect(Ppks.get(9).label).toEqual({ id: "Penyandang Disabilitas", en: "Persons with disabilities" })
    expect(Ppks.get(18).label.id).toBe("Korban Trafficking")
    expect(Ppks.get(20).label.id).toBe("Pekerja Migran Bermasalah Sosial")
    expect(Ppks.get(26).label.id).toBe("Komunitas Adat Terpencil")
  })

  it("flags exactly categories 1–7 as child categories", () => {
    expect(Ppks.categories.filter((c) => c.child).map((c) => c.code)).toEqual([1, 2, 3, 4, 5, 6, 7])
    expect(Ppks.isChildCategory(7)).toBe(true)
    expect(Ppks.isChildCategory(8)).toBe(false)
  })

  it("cites Permensos 8/2012 as a verified basis, naming the ordinal", () => {
    for (const c of Ppks.categories) {
      expect(c.basis.instrument).toBe("Permensos 8/2012")
      expect(c.basis.status).toBe("verified")
      expect(c.basis.note).toBe(`PPKS category ${c.code} of 26; the ordinal is the code`)
    }
  })

  it("parses ordinals and their canonical strings, and says what is wrong with anything else", () => {
    expect(Ppks.parse(9)).toEqual(Result.succeed(9))
    expect(Ppks.parse("26")).toEqual(Result.succeed(26))
    const tooHigh = failureOf(Ppks.parse(27))
    expect(tooHigh._tag).toBe("UnknownPpksCode")
    expect(tooHigh.message).toBe(
      "27 is not a PPKS code: the ordinals run from 1 to 26 (Permensos 8/2012 has 26 categories)"
    )
    expect(failureOf(Ppks.parse(0)).reason).toMatch(/1 to 26/)
    expect(failureOf(Ppks.parse(1.5)).reason).toBe("a PPKS code is a whole number from 1 to 26")
    expect(failureOf(Ppks.parse(Number.NaN)).input).toBe("NaN")
    expect(failureOf(Ppks.parse(Number.POSITIVE_INFINITY)).input).toBe("Infinity")
    for (const s of ["09", "9.0", "+9", " 9", "", "nine", "27"]) {
      expect(Result.isFailure(Ppks.parse(s))).toBe(true)
    }
    expect(failureOf(Ppks.parse(null)).reason).toBe("expected a number from 1 to 26, got null")
  })

  propTest.prop([fc.constantFrom(...Ppks.codes)])("every ordinal round-trips through the Schema", (code) => {
    const decoded = Schema.decodeUnknownSync(Ppks.PpksCode)(code)
    expect(Schema.encodeSync(Ppks.PpksCode)(decoded)).toBe(code)
    expect(Ppks.get(decoded).code).toBe(code)
    expect(Schema.is(Ppks.Category)(Ppks.get(decoded))).toBe(true)
    expect(Ppks.parse(String(code))).toEqual(Result.succeed(code))
  })

  propTest.prop([fc.integer({ min: -1000, max: 1000 })])("parse accepts exactly the integers 1–26", (n) => {
    expect(Result.isSuccess(Ppks.parse(n))).toBe(n >= 1 && n <= 26)
  })
})

describe("Ppks: the seed 003 groups", () => {
  it("maps every reported group, never dropping one", () => {
    expect(Ppks.groupMappings.map((m) => [m.group, m.ppks])).toEqual([
      ["pekerja-migran-bermasalah", [20]],
      ["korban-perdagangan-orang", [18]],
      ["orang-telantar", [11]],
      ["perempuan-korban-kekerasan-seksual", [19]],
      ["odgj-telantar", [9]]
    ])
    for (const group of Ppks.groupCodes) {
      const m = Ppks.mapGroup(group)
      expect(Schema.is(Ppks.GroupMapping)(m)).toBe(true)
      expect(m.ppks.length).toBeGreaterThan(0)
      // the seed 003 groups are adults: adult categories only
      for (const code of m.ppks) expect(Ppks.isChildCategory(code)).toBe(false)
      expect(m.reason.length).toBeGreaterThan(0)
      // the mapping itself is a policy default, whatever the category's own basis
      expect(m.basis.some((b) => b.status === "policy-default")).toBe(true)
    }
  })

  it("explains the two groups that are not Permensos 8/2012 categories", () => {
    expect(Ppks.mapGroup("orang-telantar").reason).toMatch(/not a Permensos 8\/2012 category/)
    expect(Ppks.mapGroup("odgj-telantar").reason).toMatch(/mental \(psychosocial\) disability/)
    expect(Ppks.mapGroup("odgj-telantar").basis.map((b) => b.instrument)).toContain("UU 8/2016")
  })

  it("parses group names with a typed error for unknown ones", () => {
    expect(Ppks.parseGroup("odgj-telantar")).toEqual(Result.succeed("odgj-telantar"))
    const unknown = failureOf(Ppks.parseGroup("ODGJ"))
    expect(unknown._tag).toBe("UnknownPpksGroup")
    expect(unknown.message).toMatch(/"ODGJ" is not a known PPKS group: the known groups are pekerja-migran-bermasalah/)
  })

  it("has a basis on every list item and no rules of its own", () => {
    for (const c of Ppks.categories) expect(Schema.is(Basis.Basis)(c.basis)).toBe(true)
    for (const m of Ppks.groupMappings) for (const b of m.basis) expect(b.instrument.length).toBeGreaterThan(0)
    expect(Ppks.rules).toEqual([])
  })
})
