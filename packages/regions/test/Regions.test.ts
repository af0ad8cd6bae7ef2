import { fc, test as propTest } from "@fast-check/vitest"
import { Region } from "@lindung/core"
import { Effect, Option, Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as Regions from "../src/Regions.js"

const code = Region.decodeSync

/** A small real excerpt of idn-area-data 4.0.1, in the shape `load` produces. */
const fixture: ReadonlyArray<Regions.Row> = [
  { code: "13", name: "Sumatera Barat" },
  { code: "13.04", name: "Kabupaten Tanah Datar", parentCode: "13" },
  { code: "13.05", name: "Kabupaten Padang Pariaman", parentCode: "13" },
  { code: "13.06", name: "Kabupaten Agam", parentCode: "13" },
  { code: "13.07", name: "Kabupaten Lima Puluh Kota", parentCode: "13" },
  { code: "13.71", name: "Kota Padang", parentCode: "13" },
  { code: "13.74", name: "Kota Padang Panjang", parentCode: "13" },
  { code: "13.71.01", name: "Padang Selatan", parentCode: "13.71" },
  { code: "13.71.02", name: "Padang Timur", parentCode: "13.71" },
  { code: "13.74.01", name: "Padang Panjang Timur", parentCode: "13.74" },
  { code: "13.71.01.1002", name: "Alang Laweh", parentCode: "13.71.01" },
  { code: "13.71.01.1001", name: "Belakang Pondok", parentCode: "13.71.01" },
  { code: "17", name: "Bengkulu" },
  { code: "17.02", name: "Kabupaten Rejang Lebong", parentCode: "17" },
  { code: "17.02.06", name: "Kota Padang", parentCode: "17.02" },
  { code: "17.02.06.1004", name: "Kota Padang", parentCode: "17.02.06" },
  { code: "35", name: "Jawa Timur" },
  { code: "35.29", name: "Kabupaten Sumenep", parentCode: "35" },
  { code: "35.29.22", name: 'Ra"as', parentCode: "35.29" },
  { code: "75", name: "Gorontalo" },
  { code: "75.01", name: "Kabupaten Gorontalo", parentCode: "75" },
  { code: "75.71", name: "Kota Gorontalo", parentCode: "75" }
]

const build = (rows: Iterable<Regions.Row>): Regions.Directory => Result.getOrThrow(fromRowsOrFail(rows))
const fromRowsOrFail = (rows: Iterable<Regions.Row>) => Regions.fromRows(rows, "fixture")
const directory = build(fixture)
const codes = (entries: ReadonlyArray<Regions.Entry>) => entries.map((entry) => entry.code)

const failureOf = (rows: ReadonlyArray<Regions.Row>): Regions.RegionDataError => {
  const result = Regions.fromRows(rows, "test rows")
  if (Result.isSuccess(result)) throw new Error("expected the rows to be rejected")
  return result.failure
}

describe("Regions.fromRows", () => {
  it("builds entries with code, name, level and parent code", () => {
    expect(directory.size).toBe(fixture.length)
    expect(directory.depth).toBe(4)
    expect(directory.get(code("13.71"))).toEqual(
      Option.some({ code: "13.71", name: "Kota Padang", level: "kota", parentCode: "13" })
    )
    expect(directory.get(code("13.07"))).toEqual(
      Option.some({ code: "13.07", name: "Kabupaten Lima Puluh Kota", level: "kabupaten", parentCode: "13" })
    )
    expect(directory.get(code("13"))).toEqual(
      Option.some({ code: "13", name: "Sumatera Barat", level: "provinsi", parentCode: null })
    )
    expect(Option.map(directory.get(code("13.71.01.1001")), (entry) => entry.level)).toEqual(
      Option.some("desa-kelurahan")
    )
    expect(directory.get(code("13.72"))).toEqual(Option.none())
    for (const entry of directory.entries()) expect(Schema.is(Regions.Entry)(entry)).toBe(true)
  })

  it("is immutable", () => {
    expect(Object.isFrozen(directory)).toBe(true)
    expect(Object.isFrozen(directory.entries())).toBe(true)
    expect(Object.isFrozen(directory.children(code("13")))).toBe(true)
    const entry = Option.getOrThrow(directory.get(code("13.71")))
    expect(Object.isFrozen(entry)).toBe(true)
    expect(() => {
      ;(entry as { name: string }).name = "Padang"
    }).toThrow(TypeError)
  })

  it("says what is wrong with each bad row", () => {
    const error = failureOf([
      { code: "13", name: "Sumatera Barat" },
      { code: "13.7", name: "Kota Padang" },
      { code: "99", name: "Nowhere" },
      { code: "13.71", name: "Kota Padang", parentCode: "14" },
      { code: "13.06", name: "" },
      { code: "13.04", name: " Kabupaten Tanah Datar" },
      { code: "13", name: "Sumatera Barat again" },
      { code: "13.71.01.1001", name: "Belakang Pondok" }
    ])
    expect(error._tag).toBe("RegionDataError")
    expect(error.source).toBe("test rows")
    expect(error.count).toBe(7)
    expect(error.problems).toEqual([
      { code: "13.7", reason: expect.stringMatching(/shape PP, PP.KK/) },
      { code: "99", reason: expect.stringMatching(/province 99 is not one of the 38/) },
      { code: "13.71", reason: 'the stated parent "14" is not the code\'s parent "13"' },
      { code: "13.06", reason: "the name is empty" },
      { code: "13.04", reason: "the name has leading or trailing spaces" },
      { code: "13", reason: "the code appears twice" },
      { code: "13.71.01.1001", reason: "its parent 13.71.01 is not in the list" }
    ])
    expect(error.message).toMatch(/^Region data test rows: 7 problems: 13\.7: a region code has the shape/)
  })

  it("rejects values that are not strings from untyped callers", () => {
    const error = failureOf([{ code: 13, name: "Sumatera Barat" } as unknown as Regions.Row])
    expect(error.problems).toEqual([{ reason: "the code is not a string: 13" }])
    expect(error.message).toBe("Region data test rows: 1 problem: the code is not a string: 13")
  })

  it("lists at most MAX_PROBLEMS problems and counts them all", () => {
    const rows = Array.from({ length: 30 }, (_, index) => ({
      code: `13.${String(index + 1).padStart(2, "0")}`,
      name: "X"
    }))
    const error = failureOf(rows)
    expect(error.count).toBe(30)
    expect(error.problems).toHaveLength(Regions.MAX_PROBLEMS)
    expect(error.message).toMatch(/\(and 10 more\)$/)
  })

  it("accepts an empty list and a list that stops at any level", () => {
    const empty = build([])
    expect(empty.size).toBe(0)
    expect(empty.depth).toBe(0)
    expect(build(fixture.filter((row) => Region.depth(code(row.code)) <= 2)).depth).toBe(2)
  })
})

describe("Regions.Directory: hierarchy", () => {
  it("lists children in code order", () => {
    expect(codes(directory.children(code("13")))).toEqual(["13.04", "13.05", "13.06", "13.07", "13.71", "13.74"])
    expect(codes(directory.children(code("13.71.01")))).toEqual(["13.71.01.1001", "13.71.01.1002"])
    expect(directory.children(code("13.71.01.1001"))).toEqual([])
    expect(directory.children(code("14"))).toEqual([])
  })

  it("lists ancestors from the provinsi down, with names", () => {
    expect(directory.ancestors(code("13.71.01.1001")).map((entry) => [entry.code, entry.name])).toEqual([
      ["13", "Sumatera Barat"],
      ["13.71", "Kota Padang"],
      ["13.71.01", "Padang Selatan"]
    ])
    expect(directory.ancestors(code("13"))).toEqual([])
    expect(directory.ancestors(code("13.72.01"))).toEqual([])
  })

  it("lists the entries of a level", () => {
    expect(codes(directory.entries("provinsi"))).toEqual(["13", "17", "35", "75"])
    expect(codes(directory.entries("kota"))).toEqual(["13.71", "13.74", "75.71"])
    expect(directory.entries("kabupaten").every((entry) => Region.level(entry.code) === "kabupaten")).toBe(true)
  })

  it("builds display names, narrowest first", () => {
    expect(directory.displayName(code("13.71"))).toEqual(Option.some("Kota Padang, Sumatera Barat"))
    expect(directory.displayName(code("13"))).toEqual(Option.some("Sumatera Barat"))
    expect(directory.displayName(code("13.71.01.1001"))).toEqual(
      Option.some("Belakang Pondok, Padang Selatan, Kota Padang, Sumatera Barat")
    )
    expect(directory.displayName(code("13.72"))).toEqual(Option.none())
  })
})

describe("Regions.Directory: validate", () => {
  it("returns the code of a region in the list", () => {
    expect(directory.validate("13.71")).toEqual(Result.succeed("13.71"))
    expect(directory.exists(code("13.71"))).toBe(true)
  })

  it("says when the shape is wrong, with core's reason", () => {
    const result = directory.validate("13.7")
    if (Result.isSuccess(result)) throw new Error("expected a failure")
    expect(result.failure).toBeInstanceOf(Region.InvalidRegionCode)
    expect(result.failure._tag).toBe("InvalidRegionCode")
    expect(result.failure.message).toMatch(/shape PP, PP.KK/)
  })

  it("says when a well-formed code is not in the list", () => {
    const result = directory.validate("13.72")
    if (Result.isSuccess(result)) throw new Error("expected a failure")
    expect(result.failure).toBeInstanceOf(Regions.UnknownRegion)
    expect(result.failure).toMatchObject({ _tag: "UnknownRegion", input: "13.72", level: "kota", covered: true })
    expect(result.failure.message).toBe('Unknown region code "13.72": it is well formed but names no kota in the list')
    expect(directory.exists(code("13.72"))).toBe(false)
  })

  it("cannot tell below the deepest level it holds, unless the ancestor there is missing", () => {
    const shallow = build(fixture.filter((row) => Region.depth(code(row.code)) <= 3))
    const unknown = (input: string) => {
      const result = shallow.validate(input)
      if (Result.isSuccess(result) || result.failure._tag !== "UnknownRegion") throw new Error("expected UnknownRegion")
      return result.failure
    }
    expect(unknown("13.71.01.1001").covered).toBe(false)
    expect(unknown("13.71.01.1001").message).toMatch(/loaded without desa-kelurahan and cannot tell/)
    expect(unknown("13.71.09.1001").covered).toBe(true) // kecamatan 13.71.09 is not in the list
    expect(unknown("13.71.09").covered).toBe(true)
    expect(build([]).validate("13").pipe(Result.flip, Result.getOrThrow)).toMatchObject({ covered: false })
  })
})

describe("Regions.Directory: findByName", () => {
  it("keeps kota and kabupaten apart when the query says which", () => {
    // The kecamatan 17.02.06 and the desa 17.02.06.1004 are literally named "Kota Padang": listed after the kota
    expect(codes(directory.findByName("Kota Padang"))).toEqual(["13.71", "17.02.06", "17.02.06.1004"])
    expect(codes(directory.findByName("KOTA  padang", { level: ["kabupaten", "kota"] }))).toEqual(["13.71"])
    expect(codes(directory.findByName("Kabupaten Gorontalo"))).toEqual(["75.01"])
    expect(codes(directory.findByName("Kab. Gorontalo"))).toEqual(["75.01"])
    expect(codes(directory.findByName("Kota Gorontalo"))).toEqual(["75.71"])
    expect(codes(directory.findByName("Provinsi Gorontalo"))).toEqual(["75"])
  })

  it("finds every region of a name without a level word, widest first", () => {
    expect(codes(directory.findByName("Gorontálo"))).toEqual(["75", "75.01", "75.71"])
    expect(codes(directory.findByName("padang"))).toEqual(["13.71"])
    expect(codes(directory.findByName("padang panjang"))).toEqual(["13.74"])
    expect(codes(directory.findByName("Lima Puluh Kota"))).toEqual(["13.07"])
    expect(codes(directory.findByName("tanah datar"))).toEqual(["13.04"])
  })

  it("reads a level word literally when the name has it", () => {
    // The kecamatan 17.02.06 and the desa 17.02.06.1004 are named "Kota Padang"
    expect(codes(directory.findByName("Kota Padang", { level: ["kecamatan", "desa-kelurahan"] }))).toEqual([
      "17.02.06",
      "17.02.06.1004"
    ])
    expect(codes(directory.findByName("Kec. Kota Padang"))).toEqual(["17.02.06"])
    expect(codes(directory.findByName("Kota Padang", { match: "all" })).slice(0, 4)).toEqual([
      "13.71",
      "17.02.06",
      "17.02.06.1004",
      "13.74"
    ])
  })

  it("falls back to prefix, then to a later word", () => {
    expect(codes(directory.findByName("padang pan"))).toEqual(["13.74", "13.74.01"])
    // "pad" starts Padang, Padang Pariaman...; in "Kota Padang" (17.02.06) it starts a later word only
    expect(codes(directory.findByName("pad"))).toEqual(["13.05", "13.71", "13.74", "13.71.01", "13.71.02", "13.74.01"])
    expect(codes(directory.findByName("puluh"))).toEqual(["13.07"])
    expect(codes(directory.findByName("selatan"))).toEqual(["13.71.01"])
    expect(directory.findByName("adang")).toEqual([]) // not the start of a word
  })

  it("ranks every match with match: all", () => {
    expect(codes(directory.findByName("padang", { match: "all" }))).toEqual([
      "13.71", // the whole (bare) name
      "13.05", // names that start with it, widest first
      "13.74",
      "13.71.01",
      "13.71.02",
      "13.74.01",
      "17.02.06", // "Kota Padang": a later word
      "17.02.06.1004"
    ])
  })

  it("filters by level and by region", () => {
    expect(codes(directory.findByName("padang", { level: "kabupaten", match: "all" }))).toEqual(["13.05"])
    expect(codes(directory.findByName("gorontalo", { within: code("75.71") }))).toEqual(["75.71"])
    expect(codes(directory.findByName("padang", { within: code("17"), match: "all" }))).toEqual([
      "17.02.06",
      "17.02.06.1004"
    ])
  })

  it("ignores accents, case, quotes and punctuation", () => {
    expect(codes(directory.findByName("Ra'as"))).toEqual(["35.29.22"])
    expect(codes(directory.findByName("RA’AS"))).toEqual(["35.29.22"])
    expect(codes(directory.findByName("raas"))).toEqual(["35.29.22"])
    expect(codes(directory.findByName("  Sumatera-Barat  "))).toEqual(["13"])
  })

  it("finds nothing for an empty query", () => {
    expect(directory.findByName("")).toEqual([])
    expect(directory.findByName(" .,- ")).toEqual([])
  })
})

describe("Regions.normalizeName", () => {
  it("folds accents, case, quotes, punctuation and spaces", () => {
    expect(Regions.normalizeName("Gorontálo")).toBe("gorontalo")
    expect(Regions.normalizeName("  KOTA   Padang ")).toBe("kota padang")
    expect(Regions.normalizeName("Kab. Lima Puluh Kota")).toBe("kab lima puluh kota")
    expect(Regions.normalizeName('Soka"an')).toBe("sokaan")
    expect(Regions.normalizeName("Toli-Toli")).toBe("toli toli")
    expect(Regions.normalizeName("Lubuk Pakam I,II")).toBe("lubuk pakam i ii")
    expect(Regions.normalizeName("Straße")).toBe(Regions.normalizeName("STRASSE"))
    expect(Regions.normalizeName("ẞ")).toBe("ss") // folds to ß, then to ss: found by the property below
  })

  propTest.prop([fc.string({ unit: "binary", maxLength: 24 })])("is idempotent on any text", (input) => {
    const once = Regions.normalizeName(input)
    expect(Regions.normalizeName(once)).toBe(once)
  })

  const latin = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -.'")
  const accents = ["\u0301", "\u0300", "\u0302", "\u0308", "\u0303", "\u0327"]
  const word = fc.array(fc.tuple(latin, fc.option(fc.constantFrom(...accents), { nil: undefined })), { maxLength: 20 })

  propTest.prop([word])("ignores case and accents", (chars) => {
    const plain = chars.map(([letter]) => letter).join("")
    const accented = chars
      .map(([letter, accent]) => (accent === undefined ? letter : `${letter}${accent}`))
      .join("")
      .normalize("NFC")
    expect(Regions.normalizeName(accented)).toBe(Regions.normalizeName(plain))
    expect(Regions.normalizeName(plain.toUpperCase())).toBe(Regions.normalizeName(plain.toLowerCase()))
    expect(Regions.normalizeName(accented.toUpperCase())).toBe(Regions.normalizeName(plain))
  })
})

/** Consistent random lists: provinces, kabupaten/kota, kecamatan and desa with names from a small vocabulary. */
const vocabulary = ["Padang", "Kota", "Baru", "Sungai", "Lima", "Puluh", "Tanjung", "Gorontálo", "Ra'as", "Kab"]
const arbitraryName = fc
  .array(fc.constantFrom(...vocabulary), { minLength: 1, maxLength: 3 })
  .map((words) => words.join(" "))
const arbitraryList: fc.Arbitrary<ReadonlyArray<Regions.Row>> = fc
  .uniqueArray(
    fc.tuple(
      fc.constantFrom("13", "14", "52", "64"),
      fc.integer({ min: 1, max: 80 }),
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1001, max: 1003 }),
      fc.integer({ min: 1, max: 4 })
    ),
    { maxLength: 25, selector: (parts) => parts.join("|") }
  )
  .chain((picks) => {
    const all = new Set<string>()
    for (const [province, regency, district, village, depth] of picks) {
      const parts = [province, String(regency).padStart(2, "0"), String(district).padStart(2, "0"), String(village)]
      for (let length = 1; length <= depth; length++) all.add(parts.slice(0, length).join("."))
    }
    const list = [...all]
    return fc.tuple(fc.constant(list), fc.array(arbitraryName, { minLength: list.length, maxLength: list.length }))
  })
  .map(([list, names]) =>
    list.map((each, index) => {
      const name = names[index] ?? "Padang"
      const level = Region.level(code(each))
      const parent = Option.getOrUndefined(Region.parent(code(each)))
      const fullName = level === "kota" ? `Kota ${name}` : level === "kabupaten" ? `Kabupaten ${name}` : name
      return parent === undefined ? { code: each, name: fullName } : { code: each, name: fullName, parentCode: parent }
    })
  )

describe("Regions.Directory: properties", () => {
  propTest.prop([arbitraryList])("a consistent list always builds, in any order, to the same directory", (rows) => {
    const forward = build(rows)
    const backward = build([...rows].reverse())
    expect(forward.entries()).toEqual(backward.entries())
    expect(forward.size).toBe(rows.length)
  })

  propTest.prop([arbitraryList])("every entry lies inside its parent, which lists it as a child", (rows) => {
    const list = build(rows)
    for (const entry of list.entries()) {
      if (entry.parentCode === null) {
        expect(entry.level).toBe("provinsi")
        continue
      }
      const parent = Option.getOrThrow(list.get(entry.parentCode))
      expect(Region.contains(parent.code, entry.code)).toBe(true)
      expect(list.children(parent.code)).toContain(entry)
      expect(list.ancestors(entry.code).at(-1)).toBe(parent)
    }
  })

  propTest.prop([arbitraryList, fc.nat()])("finds an entry by its own name, with or without filters", (rows, pick) => {
    const list = build(rows)
    const entry = list.entries()[pick % list.size]
    if (entry === undefined) return
    expect(list.findByName(entry.name)).toContain(entry)
    expect(list.findByName(entry.name.toUpperCase(), { level: entry.level })).toContain(entry)
    expect(list.findByName(entry.name, { within: Region.province(entry.code) })).toContain(entry)
    expect(list.validate(entry.code)).toEqual(Result.succeed(entry.code))
  })

  const arbitraryQuery = fc
    .tuple(
      fc.constantFrom("", "Kota ", "Kabupaten ", "Kab. ", "Provinsi ", "Kec. ", "Desa "),
      fc.array(fc.constantFrom(...vocabulary, "pad", "tanj", "LIMA"), { minLength: 1, maxLength: 2 })
    )
    .map(([prefix, words]) => `${prefix}${words.join(" ")}`)

  propTest.prop([arbitraryList, arbitraryQuery])("the best matches are the head of all matches", (rows, query) => {
    const list = build(rows)
    const best = list.findByName(query)
    const all = list.findByName(query, { match: "all" })
    expect(all.slice(0, best.length)).toEqual(best)
    expect(best.length === 0).toBe(all.length === 0)
  })

  propTest.prop([arbitraryList, fc.string({ maxLength: 12 })])(
    "returns only matches of the requested level and region",
    (rows, query) => {
      const list = build(rows)
      const within = code("13")
      for (const entry of list.findByName(query, { level: "kota", within, match: "all" })) {
        expect(entry.level).toBe("kota")
        expect(Region.contains(within, entry.code)).toBe(true)
      }
    }
  )
})

describe("Regions.load with a given source", () => {
  const source = (villages: () => Promise<ReadonlyArray<{ code: string; name: string; district_code: string }>>) => ({
    getProvinces: async () => [{ code: "13", name: "Sumatera Barat" }],
    getRegencies: async () => [{ code: "13.71", name: "Kota Padang", province_code: "13" }],
    getDistricts: async () => [{ code: "13.71.01", name: "Padang Selatan", regency_code: "13.71" }],
    getVillages: villages
  })
  const villages = async () => [{ code: "13.71.01.1001", name: "Belakang Pondok", district_code: "13.71.01" }]

  it("reads every level by default", async () => {
    const loaded = await Effect.runPromise(Regions.load({ source: source(villages) }))
    expect(loaded.size).toBe(4)
    expect(loaded.depth).toBe(4)
  })

  it("skips the villages when asked, without reading them", async () => {
    const loaded = await Regions.loadPromise({
      villages: false,
      source: source(() => Promise.reject(new Error("must not be read")))
    })
    expect(loaded.depth).toBe(3)
  })

  it("fails with a RegionDataError when a file cannot be read", async () => {
    const failing = source(() => Promise.reject(new Error("ENOENT: villages.csv")))
    const error = await Effect.runPromise(Effect.flip(Regions.load({ source: failing })))
    expect(error).toBeInstanceOf(Regions.RegionDataError)
    expect(error.message).toBe(
      "Region data idn-area-data 4.0.1: 1 problem: could not read villages: ENOENT: villages.csv"
    )
    await expect(Regions.loadPromise({ source: failing })).rejects.toBeInstanceOf(Regions.RegionDataError)
  })

  it("fails with a RegionDataError when the rows are inconsistent", async () => {
    const orphan = source(async () => [{ code: "13.71.02.1001", name: "Ganting", district_code: "13.71.02" }])
    const error = await Effect.runPromise(Effect.flip(Regions.load({ source: orphan })))
    expect(error.problems).toEqual([{ code: "13.71.02.1001", reason: "its parent 13.71.02 is not in the list" }])
  })
})

describe("Regions: attribution and rules", () => {
  it("names the data source and its licence", () => {
    expect(Regions.attribution).toMatch(/idn-area-data.*Open Database License \(ODbL\)/)
    expect(Regions.dataSource).toMatchObject({ package: "idn-area-data", dataLicense: "ODbL-1.0" })
  })

  it("exposes its rules with a basis", () => {
    expect(Regions.rules.map((rule) => rule.id)).toEqual(["REGION-EXISTS"])
    expect(Regions.rules[0]?.basis[0]?.instrument).toBe("Kepmendagri 300.2.2-2138/2025")
  })
})
