/**
 * The regions of the five seed stories, described with `@lindung/core`'s `Region` module. Kept apart from
 * `main.ts` so the test can check what the example prints.
 */
import { Region } from "@lindung/core"

/** A region of a seed story, with the name the story uses. */
export interface Place {
  readonly code: string
  readonly name: string
  readonly seed: string
}

/** The places the five seed stories happen in. Names are for display here; `@lindung/regions` holds the list. */
export const places: ReadonlyArray<Place> = [
  { code: "13", name: "Provinsi Sumatera Barat", seed: "000, 001" },
  { code: "13.71", name: "Kota Padang", seed: "000, 001" },
  { code: "13.74", name: "Kota Padang Panjang (UPTD PSAA Tri Murni)", seed: "000" },
  { code: "13.07", name: "Kabupaten Lima Puluh Kota", seed: "001" },
  { code: "14.71", name: "Kota Pekanbaru (Balai Anak Rumbai)", seed: "001" },
  { code: "64.71", name: "Kota Balikpapan", seed: "002" },
  { code: "52", name: "Provinsi Nusa Tenggara Barat", seed: "003" },
  { code: "31", name: "DKI Jakarta (Sentra Handayani, Kemensos)", seed: "000, 004" }
]

/** One line per place: code, level, time zone, and whether Dinsos Provinsi Sumatera Barat's region contains it. */
export const describePlaces = (): ReadonlyArray<string> => {
  const sumbar = Region.decodeSync("13")
  return places.map((place) => {
    const code = Region.decodeSync(place.code)
    const zone = Region.timeZone(code)
    const inside = Region.contains(sumbar, code) ? "inside Sumatera Barat" : "outside Sumatera Barat"
    return `${place.code.padEnd(6)} ${Region.level(code).padEnd(9)} ${zone.abbreviation.padEnd(4)} ${inside.padEnd(22)} ${place.name} (seed ${place.seed})`
  })
}

/** What happens to a string that is not a region code: a typed error that says why. */
export const describeMistake = (input: string): string => {
  const result = Region.parse(input)
  return result._tag === "Failure" ? result.failure.message : `${input} is valid`
}
