/**
 * Tests on the full idn-area-data 4.0.1 list (these read its CSV files: about half a second to load).
 * The raw rows are read once through idn-area-data itself, so the checks on codes and names do not depend on
 * `fromRows`; the directory is loaded once with and once without villages.
 */
import { readFile } from "node:fs/promises"
import { createRequire } from "node:module"
import { fc, test as propTest } from "@fast-check/vitest"
import { Region } from "@lindung/core"
import { Option, Result, Schema } from "effect"
import * as IdnArea from "idn-area-data"
import { beforeAll, describe, expect, it } from "vitest"
import * as Regions from "../src/Regions.js"

const code = Region.decodeSync

interface RawRow {
  readonly code: string
  readonly name: string
  readonly parent: string | undefined
}

let raw: {
  readonly provinces: ReadonlyArray<RawRow>
  readonly regencies: ReadonlyArray<RawRow>
  readonly districts: ReadonlyArray<RawRow>
  readonly villages: ReadonlyArray<RawRow>
}
let full: Regions.Directory
let withoutVillages: Regions.Directory

beforeAll(async () => {
  const [provinces, regencies, districts, villages] = await Promise.all([
    IdnArea.getProvinces(),
    IdnArea.getRegencies(),
    IdnArea.getDistricts(),
    IdnArea.getVillages()
  ])
  raw = {
    provinces: provinces.map((row) => ({ code: row.code, name: row.name, parent: undefined })),
    regencies: regencies.map((row) => ({ code: row.code, name: row.name, parent: row.province_code })),
    districts: districts.map((row) => ({ code: row.code, name: row.name, parent: row.regency_code })),
    villages: villages.map((row) => ({ code: row.code, name: row.name, parent: row.district_code }))
  }
  ;[full, withoutVillages] = await Promise.all([Regions.loadPromise(), Regions.loadPromise({ villages: false })])
})

const names = (entries: ReadonlyArray<Regions.Entry>) => entries.map((entry) => `${entry.code} ${entry.name}`)
const codes = (entries: ReadonlyArray<Regions.Entry>) => entries.map((entry) => entry.code)

describe("idn-area-data 4.0.1: the raw data against core's Region", () => {
  it("has 38 provinsi, 514 kabupaten/kota, 7,285 kecamatan and 83,762 desa/kelurahan", () => {
    expect(raw.provinces).toHaveLength(38)
    expect(raw.regencies).toHaveLength(514)
    expect(raw.districts).toHaveLength(7285)
    expect(raw.villages).toHaveLength(83762)
  })

  it("has exactly the 38 provinces core knows", () => {
    expect(raw.provinces.map((row) => row.code).sort()).toEqual([...Region.provinceTimeZones.keys()].sort())
  })

  it("every code of every level decodes with Region.RegionCode", () => {
    const rejected: Array<string> = []
    for (const row of [...raw.provinces, ...raw.regencies, ...raw.districts, ...raw.villages]) {
      const result = Schema.decodeUnknownResult(Region.RegionCode)(row.code)
      if (Result.isFailure(result)) rejected.push(`${row.code} ${row.name}: ${result.failure.message}`)
    }
    expect(rejected).toEqual([])
  })

  it("every code sits at the depth of its file, and its parent column is the code's parent", () => {
    const wrong: Array<string> = []
    const check = (rows: ReadonlyArray<RawRow>, depth: number) => {
      for (const row of rows) {
        const parsed = code(row.code)
        const parent = Option.getOrUndefined(Region.parent(parsed))
        if (Region.depth(parsed) !== depth || parent !== row.parent) wrong.push(`${row.code} (parent ${row.parent})`)
      }
    }
    check(raw.provinces, 1)
    check(raw.regencies, 2)
    check(raw.districts, 3)
    check(raw.villages, 4)
    expect(wrong).toEqual([])
  })

  it("the level from the code (kota from 71) agrees with the name's Kota/Kabupaten for all 514", () => {
    const disagreements = raw.regencies.flatMap((row) => {
      const fromCode = Region.level(code(row.code))
      const fromName = row.name.startsWith("Kota ") ? "kota" : row.name.startsWith("Kabupaten ") ? "kabupaten" : "none"
      return fromCode === fromName ? [] : [`${row.code} ${row.name}: code says ${fromCode}, name says ${fromName}`]
    })
    expect(disagreements).toEqual([])
    const kota = raw.regencies.filter((row) => Region.level(code(row.code)) === "kota")
    expect(kota).toHaveLength(98)
    expect(raw.regencies.length - kota.length).toBe(416)
  })
})

describe("Regions.load: the full directory", () => {
  it("holds every row, at every level", () => {
    expect(full.size).toBe(38 + 514 + 7285 + 83762)
    expect(full.depth).toBe(4)
    expect(full.entries("provinsi")).toHaveLength(38)
    expect(full.entries("kabupaten")).toHaveLength(416)
    expect(full.entries("kota")).toHaveLength(98)
    expect(full.entries("kecamatan")).toHaveLength(7285)
    expect(full.entries("desa-kelurahan")).toHaveLength(83762)
    expect(full.children(code("13"))).toHaveLength(19) // Sumatera Barat: 12 kabupaten, 7 kota
  })

  it("names the regions of the seed stories", () => {
    const name = (input: string) => Option.map(full.get(code(input)), (entry) => entry.name)
    expect(name("13.71")).toEqual(Option.some("Kota Padang"))
    expect(name("13.74")).toEqual(Option.some("Kota Padang Panjang"))
    expect(name("13.07")).toEqual(Option.some("Kabupaten Lima Puluh Kota"))
    expect(name("13.04")).toEqual(Option.some("Kabupaten Tanah Datar"))
    expect(name("14.71")).toEqual(Option.some("Kota Pekanbaru"))
    expect(name("64.71")).toEqual(Option.some("Kota Balikpapan"))
    expect(name("52")).toEqual(Option.some("Nusa Tenggara Barat"))
    expect(full.displayName(code("13.71"))).toEqual(Option.some("Kota Padang, Sumatera Barat"))
    expect(full.displayName(code("64.71"))).toEqual(Option.some("Kota Balikpapan, Kalimantan Timur"))
    expect(full.displayName(code("13.07"))).toEqual(Option.some("Kabupaten Lima Puluh Kota, Sumatera Barat"))
  })

  it("finds the seed regions by name", () => {
    expect(names(full.findByName("padang panjang"))).toEqual([
      "13.74 Kota Padang Panjang",
      "11.12.04.2026 Padang Panjang",
      "17.04.08.2012 Padang Panjang",
      "53.05.05.2007 Padang Panjang",
      "63.03.06.2021 Padang Panjang",
      "63.09.03.2010 Padang Panjang"
    ])
    expect(codes(full.findByName("padang panjang", { level: "kota" }))).toEqual(["13.74"])
    // "Kota Padang" is also the name of a kecamatan in Rejang Lebong (17.02.06) and of desa/kelurahan
    expect(codes(full.findByName("KOTA  padang")).slice(0, 2)).toEqual(["13.71", "17.02.06"])
    expect(full.findByName("KOTA  padang").every((entry) => entry.level !== "kabupaten")).toBe(true)
    expect(codes(full.findByName("KOTA  padang", { level: ["kabupaten", "kota"] }))).toEqual(["13.71"])
    expect(codes(full.findByName("Lima Puluh Kota"))).toEqual(["13.07", "12.19.04.1001"])
    expect(codes(full.findByName("Kab. Lima Puluh Kota"))).toEqual(["13.07"])
    expect(codes(full.findByName("Tanah Datar", { level: ["kabupaten", "kota"] }))).toEqual(["13.04"])
    expect(codes(full.findByName("pekanbaru", { level: "kota" }))).toEqual(["14.71"])
    expect(codes(full.findByName("Balikpapan", { level: ["kabupaten", "kota"] }))).toEqual(["64.71"])
    expect(codes(full.findByName("Nusa Tenggara Barat"))).toEqual(["52"])
    expect(codes(full.findByName("Gorontálo"))).toEqual(["75", "75.01", "75.71", "53.15.05.2020", "72.01.18.2009"])
    expect(codes(full.findByName("Provinsi Gorontalo"))).toEqual(["75"])
  })

  it("validates codes against the list", () => {
    expect(full.validate("13.71.01.1001")).toEqual(Result.succeed("13.71.01.1001"))
    expect(Result.getOrThrow(Result.flip(full.validate("13.99")))).toMatchObject({ _tag: "UnknownRegion" })
    expect(Result.getOrThrow(Result.flip(full.validate("13.7")))).toMatchObject({ _tag: "InvalidRegionCode" })
  })

  const arbitraryEntry = fc.nat().map((index) => {
    const entries = full.entries()
    return entries[index % entries.length] as Regions.Entry
  })

  propTest.prop([arbitraryEntry], { numRuns: 300 })(
    "a random region lies inside its parent, which lists it as a child",
    (entry) => {
      if (entry.parentCode === null) {
        expect(entry.level).toBe("provinsi")
        return
      }
      const parent = Option.getOrThrow(full.get(entry.parentCode))
      expect(Region.contains(parent.code, entry.code)).toBe(true)
      expect(full.children(parent.code)).toContain(entry)
      expect(full.ancestors(entry.code).map((up) => up.code)).toEqual(Region.ancestors(entry.code))
      expect(Option.getOrThrow(full.displayName(entry.code)).startsWith(`${entry.name}, `)).toBe(true)
    }
  )

  propTest.prop([arbitraryEntry], { numRuns: 100 })("a random region is found by its own name", (entry) => {
    expect(full.findByName(entry.name)).toContain(entry)
    expect(
      full.findByName(entry.name.toUpperCase(), { level: entry.level, within: Region.province(entry.code) })
    ).toContain(entry)
    expect(full.validate(entry.code)).toEqual(Result.succeed(entry.code))
  })
})

describe("Regions.load({ villages: false })", () => {
  it("holds the three upper levels only", () => {
    expect(withoutVillages.size).toBe(38 + 514 + 7285)
    expect(withoutVillages.depth).toBe(3)
    expect(withoutVillages.children(code("13.71.01"))).toEqual([])
    expect(withoutVillages.get(code("13.71"))).toEqual(full.get(code("13.71")))
  })

  it("cannot tell whether a desa/kelurahan exists, unless its kecamatan does not", () => {
    const unknown = (input: string) => Result.getOrThrow(Result.flip(withoutVillages.validate(input)))
    expect(unknown("13.71.01.1001")).toMatchObject({ _tag: "UnknownRegion", covered: false })
    expect(unknown("13.71.99.1001")).toMatchObject({ _tag: "UnknownRegion", covered: true })
  })
})

describe("Regions.dataSource", () => {
  it("states the installed idn-area-data version", async () => {
    const require = createRequire(import.meta.url)
    const manifest = JSON.parse(await readFile(require.resolve("idn-area-data/package.json"), "utf8")) as {
      version: string
    }
    expect(manifest.version).toBe(Regions.dataSource.version)
  })
})
