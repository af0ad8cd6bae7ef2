import { fc, test as propTest } from "@fast-check/vitest"
import { Option, Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as Region from "../src/Region.js"

const code = Region.decodeSync

/** Arbitrary well-formed codes of every depth, over the real 38 provinces. */
const provinces = [...Region.provinceTimeZones.keys()]
const pad = (n: number, width: number) => String(n).padStart(width, "0")
const arbitraryCode: fc.Arbitrary<Region.RegionCode> = fc
  .tuple(
    fc.constantFrom(...provinces),
    fc.integer({ min: 1, max: 99 }),
    fc.integer({ min: 1, max: 99 }),
    fc.integer({ min: 1, max: 9999 }),
    fc.integer({ min: 1, max: 4 })
  )
  .map(([p, k, c, d, depth]) => code([p, pad(k, 2), pad(c, 2), pad(d, 4)].slice(0, depth).join(".")))

/** Pairs where the second code often lies inside the first, so containment gets exercised both ways. */
const arbitraryRelated = fc.tuple(arbitraryCode, fc.integer({ min: 0, max: 3 })).chain(([inner, cut]) =>
  fc.tuple(
    fc.constant(
      code(
        inner
          .split(".")
          .slice(0, Math.max(1, Region.depth(inner) - cut))
          .join(".")
      )
    ),
    fc.constant(inner)
  )
)

describe("Region: parsing", () => {
  it("accepts every level of the Kemendagri hierarchy", () => {
    expect(Region.level(code("13"))).toBe("provinsi")
    expect(Region.level(code("13.06"))).toBe("kabupaten") // Kabupaten Agam
    expect(Region.level(code("13.71"))).toBe("kota") // Kota Padang
    expect(Region.level(code("64.71"))).toBe("kota") // Kota Balikpapan
    expect(Region.level(code("14.71"))).toBe("kota") // Kota Pekanbaru
    expect(Region.level(code("13.71.01"))).toBe("kecamatan")
    expect(Region.level(code("13.71.01.1001"))).toBe("desa-kelurahan")
  })

  it("says what is wrong with a malformed code", () => {
    const reason = (input: string) => {
      const result = Region.parse(input)
      if (Result.isSuccess(result)) throw new Error(`expected ${input} to be rejected`)
      expect(result.failure._tag).toBe("InvalidRegionCode")
      expect(result.failure.input).toBe(input)
      return result.failure.reason
    }
    expect(reason("")).toMatch(/empty/)
    expect(reason(" 13")).toMatch(/spaces/)
    expect(reason("13.7")).toMatch(/shape PP, PP.KK/)
    expect(reason("13-71")).toMatch(/shape/)
    expect(reason("13.71.01.101")).toMatch(/4 digits/)
    expect(reason("13.71.01.1001.1")).toMatch(/shape/)
    expect(reason("99")).toMatch(/province 99 is not one of the 38/)
    expect(reason("20.01")).toMatch(/province 20/)
    expect(reason("13.00")).toMatch(/kabupaten\/kota number must not be 00/)
    expect(reason("13.71.00")).toMatch(/kecamatan number must not be 00/)
    expect(reason("13.71.01.0000")).toMatch(/desa\/kelurahan number must not be 0000/)
  })

  it("rejects through the Schema with the same message", () => {
    const result = Schema.decodeUnknownResult(Region.RegionCode)("13.7")
    expect(Result.isFailure(result)).toBe(true)
    if (Result.isFailure(result)) expect(result.failure.message).toMatch(/shape PP, PP.KK/)
    expect(Schema.decodeUnknownSync(Region.RegionCode)("52.71")).toBe("52.71")
    expect(() => Schema.decodeUnknownSync(Region.RegionCode)(1371)).toThrow()
  })

  it("knows exactly 38 provinces", () => {
    expect(Region.provinceTimeZones.size).toBe(38)
  })

  propTest.prop([arbitraryCode])("round-trips every well-formed code through the Schema", (c) => {
    const decoded = Schema.decodeUnknownSync(Region.RegionCode)(c)
    expect(Schema.encodeSync(Region.RegionCode)(decoded)).toBe(c)
    expect(Region.isRegionCode(c)).toBe(true)
  })

  propTest.prop([fc.string({ maxLength: 16 })])("accepts a string only if it has the Kemendagri shape", (input) => {
    const wellFormed = /^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/.test(input)
    const result = Region.parse(input)
    if (!wellFormed) expect(Result.isFailure(result)).toBe(true)
    if (Result.isFailure(result)) expect(result.failure.reason.length).toBeGreaterThan(0)
  })
})

describe("Region: hierarchy", () => {
  it("finds parent, ancestors, province and regency", () => {
    const village = code("13.71.01.1001")
    expect(Region.parent(village)).toEqual(Option.some("13.71.01"))
    expect(Region.parent(code("13"))).toEqual(Option.none())
    expect(Region.ancestors(village)).toEqual(["13", "13.71", "13.71.01"])
    expect(Region.province(village)).toBe("13")
    expect(Region.regency(village)).toEqual(Option.some("13.71"))
    expect(Region.regency(code("13"))).toEqual(Option.none())
  })

  it("treats containment as a prefix on whole segments", () => {
    expect(Region.contains(code("13"), code("13.71"))).toBe(true)
    expect(Region.contains(code("13.71"), code("13"))).toBe(false)
    expect(Region.contains(code("13"), code("14.71"))).toBe(false)
    // `13.7` is not a code, and `13.71` does not contain `13.71.01`'s neighbour `13.72.01`
    expect(Region.contains(code("13.71"), code("13.72.01"))).toBe(false)
  })

  propTest.prop([arbitraryCode])("every code's parent contains it", (c) => {
    const up = Region.parent(c)
    if (Option.isSome(up)) {
      expect(Region.contains(up.value, c)).toBe(true)
      expect(Region.depth(up.value)).toBe(Region.depth(c) - 1)
    } else {
      expect(Region.level(c)).toBe("provinsi")
    }
    for (const ancestor of Region.ancestors(c)) expect(Region.contains(ancestor, c)).toBe(true)
  })

  propTest.prop([arbitraryCode])("containment is reflexive", (a) => {
    expect(Region.contains(a, a)).toBe(true)
  })

  propTest.prop([arbitraryRelated, arbitraryCode])("containment is antisymmetric and transitive", ([a, b], c) => {
    if (Region.contains(a, b) && Region.contains(b, a)) expect(a).toBe(b)
    if (Region.contains(a, b) && Region.contains(b, c)) expect(Region.contains(a, c)).toBe(true)
    if (Region.contains(c, a) && Region.contains(a, b)) expect(Region.contains(c, b)).toBe(true)
  })

  propTest.prop([arbitraryRelated])("containment agrees with the order: an outer region sorts first", ([a, b]) => {
    if (Region.contains(a, b)) expect(Region.compare(a, b)).toBeLessThanOrEqual(0)
  })
})

describe("Region: time zones", () => {
  it("places the seed regions in their zones", () => {
    expect(Region.timeZone(code("13.71")).abbreviation).toBe("WIB") // Padang
    expect(Region.timeZone(code("14.71")).abbreviation).toBe("WIB") // Pekanbaru
    expect(Region.timeZone(code("31")).abbreviation).toBe("WIB") // DKI Jakarta
    expect(Region.timeZone(code("64.71")).abbreviation).toBe("WITA") // Balikpapan
    expect(Region.timeZone(code("52")).abbreviation).toBe("WITA") // NTB
    expect(Region.timeZone(code("91")).abbreviation).toBe("WIT") // Papua
    expect(Region.timeZone(code("61")).offsetHours).toBe(7) // Kalimantan Barat
    expect(Region.timeZone(code("63")).offsetHours).toBe(8) // Kalimantan Selatan
  })

  propTest.prop([arbitraryCode])("a region shares its province's time zone", (c) => {
    expect(Region.timeZone(c)).toBe(Region.timeZone(Region.province(c)))
  })
})
