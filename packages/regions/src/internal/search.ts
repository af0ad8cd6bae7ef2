/**
 * Name matching for `Regions.findByName`: normalisation of names and queries, the administrative prefixes a query
 * may carry ("Kota", "Kab.", "Provinsi"...), and the three match tiers (exact, prefix, word).
 *
 * @internal
 */
import type { Region } from "@lindung/core"

const COMBINING_MARKS = /\p{M}/gu
// Apostrophe-like characters are dropped, not turned into spaces: the data writes the same name as `Ra"as`,
// `Ra'as` and `Ra’as` over its versions, and people type `Raas`.
const APOSTROPHES = /['"`\u2018\u2019\u02BC\u00B4]/gu
const SEPARATORS = /[^\p{L}\p{N}]+/gu
const ASCII = /^[a-z0-9 ]*$/

const stripMarks = (input: string): string => input.normalize("NFD").replace(COMBINING_MARKS, "")

const step = (input: string): string =>
  stripMarks(stripMarks(input).toUpperCase().toLowerCase()).replace(APOSTROPHES, "").replace(SEPARATORS, " ").trim()

/**
 * The search form of a name or query: accents removed (NFD, combining marks stripped), case folded
 * (upper- then lower-cased, so `ß` and `SS` agree), apostrophes and quotes dropped, every other run of
 * characters that are not letters or digits turned into one space, and the ends trimmed. Repeated until nothing
 * changes (`ẞ` folds to `ß` and only then to `ss`), so it is idempotent.
 */
export const normalize = (input: string): string => {
  let current = step(input)
  // A step that ends in ASCII (letters, digits, single spaces) is already stable: the fast path for real names.
  if (ASCII.test(current)) return current
  for (let round = 0; round < 4; round++) {
    const next = step(current)
    if (next === current) return current
    current = next
  }
  return current
}

/**
 * The words that may open a query to name the level of the region meant, in normalised form. "Kab." and
 * "Kec." normalise to `kab` and `kec`.
 */
export const levelPrefixes: ReadonlyMap<string, Region.Level> = new Map<string, Region.Level>([
  ["provinsi", "provinsi"],
  ["propinsi", "provinsi"],
  ["prov", "provinsi"],
  ["kabupaten", "kabupaten"],
  ["kab", "kabupaten"],
  ["kota", "kota"],
  ["kotamadya", "kota"],
  ["kecamatan", "kecamatan"],
  ["kec", "kecamatan"],
  ["desa", "desa-kelurahan"],
  ["kelurahan", "desa-kelurahan"],
  ["kel", "desa-kelurahan"]
])

/**
 * How well a name matches, lower is better: `2 × tier + reading`, where tier is 0 for the whole name, 1 when the
 * name starts with the query and 2 when a later word does, and reading is 0 for a prefixed reading that names the
 * entry's level ("Kota Padang" read as the kota Padang) and 1 for the query read literally. Within a tier a level
 * word counts as a level word first: "Kota Padang" lists 13.71 before the kecamatan named "Kota Padang".
 */
export type Rank = number

/** The tier of a {@link Rank}: 0 whole name, 1 prefix, 2 later word. */
export const tier = (rank: Rank): number => Math.floor(rank / 2)

/** The search keys of one entry. */
export interface Keys {
  /** The whole name, normalised: `kota padang`. */
  readonly full: string
  /**
   * The name without its level word, for kabupaten and kota only (the data writes `Kabupaten Agam`,
   * `Kota Padang`): `padang`. Equal to `full` for the other levels, whose names carry no level word
   * (a kecamatan named `Kota Bahagia` keeps its `Kota`).
   */
  readonly bare: string
}

/** Builds the {@link Keys} of a name at a level. */
export const keys = (name: string, level: Region.Level): Keys => {
  const full = normalize(name)
  if (level !== "kabupaten" && level !== "kota") return { full, bare: full }
  const space = full.indexOf(" ")
  const first = space < 0 ? full : full.slice(0, space)
  return space > 0 && levelPrefixes.get(first) === level ? { full, bare: full.slice(space + 1) } : { full, bare: full }
}

/** One way to read a query: the text to match and, when the query opened with a level word, that level. */
export interface Reading {
  readonly text: string
  readonly level: Region.Level | undefined
}

/**
 * The readings of a query: always the whole normalised query; and when it opens with a level word followed by
 * more words ("Kota Padang"), also the rest restricted to that level. Empty when the query normalises to "".
 */
export const readings = (query: string): ReadonlyArray<Reading> => {
  const text = normalize(query)
  if (text === "") return []
  const whole: Reading = { text, level: undefined }
  const space = text.indexOf(" ")
  if (space < 0) return [whole]
  const level = levelPrefixes.get(text.slice(0, space))
  return level === undefined ? [whole] : [whole, { text: text.slice(space + 1), level }]
}

const tierOf = (key: string, text: string): number | undefined => {
  if (key === text) return 0
  if (key.startsWith(text)) return 1
  if (key.includes(` ${text}`)) return 2
  return undefined
}

const better = (best: Rank | undefined, rank: Rank | undefined): Rank | undefined =>
  rank !== undefined && (best === undefined || rank < best) ? rank : best

/**
 * The best {@link Rank} at which any reading matches an entry, or `undefined`. The whole query is matched against
 * the full and the bare name; a prefixed reading only against the bare name of entries at its level.
 */
export const match = (
  entryKeys: Keys,
  level: Region.Level,
  queryReadings: ReadonlyArray<Reading>
): Rank | undefined => {
  let best: Rank | undefined
  for (const reading of queryReadings) {
    if (reading.level === undefined) {
      const full = tierOf(entryKeys.full, reading.text)
      const bare = entryKeys.bare === entryKeys.full ? undefined : tierOf(entryKeys.bare, reading.text)
      best = better(best, full === undefined ? undefined : 2 * full + 1)
      best = better(best, bare === undefined ? undefined : 2 * bare + 1)
    } else if (reading.level === level) {
      const bare = tierOf(entryKeys.bare, reading.text)
      best = better(best, bare === undefined ? undefined : 2 * bare)
    }
  }
  return best
}
