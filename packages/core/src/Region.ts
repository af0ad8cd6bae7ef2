/**
 * Kemendagri region codes (kode wilayah administrasi pemerintahan).
 *
 * A code names a provinsi (`PP`), a kabupaten or kota (`PP.KK`), a kecamatan (`PP.KK.CC`) or a desa/kelurahan
 * (`PP.KK.CC.DDDD`). Kabupaten/kota numbers from 71 upwards are kota (Kota Padang is `13.71`); lower numbers are
 * kabupaten. Every jurisdiction check in Lindung is a prefix check on these codes: `13.71` lies inside `13`.
 *
 * Basis: Kepmendagri 300.2.2-2138/2025 (the current list of codes and names). Names and the full hierarchy live in
 * `@lindung/regions`; this module holds only the code logic, so the core stays small.
 *
 * @example
 * ```ts
 * import { Region } from "@lindung/core"
 *
 * const padang = Region.decodeSync("13.71")
 * Region.level(padang) // "kota"
 * Region.contains(Region.decodeSync("13"), padang) // true
 * Region.timeZone(padang).abbreviation // "WIB"
 * ```
 *
 * @since 0.1.0
 */
import { Option, Result, Schema } from "effect"

/** The levels of the Kemendagri hierarchy, from the widest to the narrowest. */
export const levels = ["provinsi", "kabupaten", "kota", "kecamatan", "desa-kelurahan"] as const

/** A level of the hierarchy. `kabupaten` and `kota` share the second position; kota numbers start at 71. */
export type Level = (typeof levels)[number]

/** Schema of {@link Level}. */
export const Level = Schema.Literals(levels)

/** The three time zones of Indonesia (Keppres 41/1987). */
export interface TimeZone {
  /** Waktu Indonesia Barat / Tengah / Timur. */
  readonly abbreviation: "WIB" | "WITA" | "WIT"
  /** Offset from UTC in hours. Indonesia has no daylight saving time. */
  readonly offsetHours: 7 | 8 | 9
  /** The IANA zone a formatter can use. */
  readonly iana: "Asia/Jakarta" | "Asia/Makassar" | "Asia/Jayapura"
}

/** Waktu Indonesia Barat, UTC+7: Sumatra, Java, West and Central Kalimantan. */
export const WIB: TimeZone = { abbreviation: "WIB", offsetHours: 7, iana: "Asia/Jakarta" }
/** Waktu Indonesia Tengah, UTC+8: Bali, Nusa Tenggara, South, East and North Kalimantan, Sulawesi. */
export const WITA: TimeZone = { abbreviation: "WITA", offsetHours: 8, iana: "Asia/Makassar" }
/** Waktu Indonesia Timur, UTC+9: Maluku and Papua. */
export const WIT: TimeZone = { abbreviation: "WIT", offsetHours: 9, iana: "Asia/Jayapura" }

/**
 * The 38 province codes and their time zones. Province names are in `@lindung/regions`.
 * Basis: Kepmendagri 300.2.2-2138/2025; time zones by Keppres 41/1987.
 */
export const provinceTimeZones: ReadonlyMap<string, TimeZone> = new Map<string, TimeZone>([
  // Sumatra and Kepulauan Riau
  ...["11", "12", "13", "14", "15", "16", "17", "18", "19", "21"].map((code) => [code, WIB] as const),
  // Java
  ...["31", "32", "33", "34", "35", "36"].map((code) => [code, WIB] as const),
  // Bali and Nusa Tenggara
  ...["51", "52", "53"].map((code) => [code, WITA] as const),
  // Kalimantan: Barat and Tengah are WIB, Selatan, Timur and Utara WITA
  ["61", WIB],
  ["62", WIB],
  ...["63", "64", "65"].map((code) => [code, WITA] as const),
  // Sulawesi
  ...["71", "72", "73", "74", "75", "76"].map((code) => [code, WITA] as const),
  // Maluku and Papua
  ...["81", "82", "91", "92", "93", "94", "95", "96"].map((code) => [code, WIT] as const)
])

const SHAPE = /^\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?$/

/**
 * Says what is wrong with a would-be region code, or `undefined` when it is well formed and names a known
 * province. Used by the {@link RegionCode} schema and by {@link parse}.
 */
export const problem = (input: string): string | undefined => {
  if (input.length === 0) return "a region code must not be empty"
  if (input.trim() !== input) return "a region code must not have leading or trailing spaces"
  if (!SHAPE.test(input)) {
    return "a region code has the shape PP, PP.KK, PP.KK.CC or PP.KK.CC.DDDD (digits, dot-separated: 2, 2, 2 and 4 digits)"
  }
  const [province, regency, district, village] = input.split(".")
  if (province === undefined || !provinceTimeZones.has(province)) {
    return `province ${province} is not one of the 38 province codes of Kepmendagri 300.2.2-2138/2025`
  }
  if (regency === "00") return "the kabupaten/kota number must not be 00"
  if (district === "00") return "the kecamatan number must not be 00"
  if (village === "0000") return "the desa/kelurahan number must not be 0000"
  return undefined
}

/**
 * A well-formed Kemendagri region code of a known province, branded so that an unchecked string cannot be used
 * where a region is expected.
 */
export const RegionCode = Schema.String.pipe(
  Schema.check(
    // The pattern is what JSON Schema shows other stacks; the filter says precisely what is wrong.
    Schema.isPattern(/^\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?$/u, {
      message:
        "a region code has the shape PP, PP.KK, PP.KK.CC or PP.KK.CC.DDDD (digits, dot-separated: 2, 2, 2 and 4 digits)"
    }),
    Schema.makeFilter((input: string) => problem(input) ?? true)
  ),
  Schema.brand("RegionCode"),
  Schema.annotate({
    identifier: "RegionCode",
    title: "Kemendagri region code",
    description:
      "Kode wilayah Kemendagri: PP (provinsi), PP.KK (kabupaten/kota), PP.KK.CC (kecamatan) or PP.KK.CC.DDDD (desa/kelurahan), e.g. 13.71 (Kota Padang)"
  })
)

/** A checked region code. */
export type RegionCode = typeof RegionCode.Type

/** A string that is not a region code; `reason` says what is wrong with it. */
export class InvalidRegionCode extends Schema.TaggedError<InvalidRegionCode>()("InvalidRegionCode", {
  input: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `Invalid region code ${JSON.stringify(this.input)}: ${this.reason}`
  }
}

/** Checks a string and returns the region code or an {@link InvalidRegionCode} that says what is wrong. */
export const parse = (input: string): Result.Result<RegionCode, InvalidRegionCode> => {
  const reason = problem(input)
  return reason === undefined
    ? Result.succeed(input as RegionCode)
    : Result.fail(new InvalidRegionCode({ input, reason }))
}

/** Like {@link parse}, but throws the {@link InvalidRegionCode}. For literals in code and tests. */
export const decodeSync = (input: string): RegionCode => {
  const result = parse(input)
  if (Result.isFailure(result)) throw result.failure
  return result.success
}

/** Whether a value is a region code. */
export const isRegionCode = (input: unknown): input is RegionCode =>
  typeof input === "string" && problem(input) === undefined

const segments = (code: RegionCode): ReadonlyArray<string> => code.split(".")

/** How many segments the code has: 1 for a provinsi, 4 for a desa/kelurahan. */
export const depth = (code: RegionCode): 1 | 2 | 3 | 4 => segments(code).length as 1 | 2 | 3 | 4

/** The first kabupaten/kota number that denotes a kota (Kemendagri numbering convention). */
export const FIRST_KOTA_NUMBER = 71

/** The level of the region a code names. */
export const level = (code: RegionCode): Level => {
  const parts = segments(code)
  switch (parts.length) {
    case 1:
      return "provinsi"
    case 2:
      return Number(parts[1]) >= FIRST_KOTA_NUMBER ? "kota" : "kabupaten"
    case 3:
      return "kecamatan"
    default:
      return "desa-kelurahan"
  }
}

/** The region directly above, or none for a provinsi. */
export const parent = (code: RegionCode): Option.Option<RegionCode> => {
  const parts = segments(code)
  return parts.length === 1 ? Option.none() : Option.some(parts.slice(0, -1).join(".") as RegionCode)
}

/** Every region above the code, from its provinsi downwards, not including the code itself. */
export const ancestors = (code: RegionCode): ReadonlyArray<RegionCode> => {
  const parts = segments(code)
  return parts.slice(0, -1).map((_, index) => parts.slice(0, index + 1).join(".") as RegionCode)
}

/** The provinsi a code lies in. */
export const province = (code: RegionCode): RegionCode => code.slice(0, 2) as RegionCode

/** The kabupaten/kota a code lies in, or none for a provinsi. */
export const regency = (code: RegionCode): Option.Option<RegionCode> =>
  depth(code) >= 2 ? Option.some(code.slice(0, 5) as RegionCode) : Option.none()

/**
 * Whether `inner` lies inside `outer` or is `outer` itself. This is the jurisdiction check: an agency of region
 * `outer` may act on a case of region `inner`. It is a partial order (reflexive, antisymmetric, transitive).
 */
export const contains = (outer: RegionCode, inner: RegionCode): boolean =>
  inner === outer || inner.startsWith(`${outer}.`)

/** The time zone of the province a code lies in. Every province lies in exactly one zone. */
export const timeZone = (code: RegionCode): TimeZone => {
  const zone = provinceTimeZones.get(province(code))
  // `RegionCode` only admits known provinces, so this cannot happen for a decoded code.
  if (zone === undefined) throw new InvalidRegionCode({ input: code, reason: "unknown province" })
  return zone
}

/** A total order on codes that puts every region before the regions inside it (lexicographic by segment). */
export const compare = (left: RegionCode, right: RegionCode): -1 | 0 | 1 => (left === right ? 0 : left < right ? -1 : 1)
