/**
 * PPKS — Pemerlu Pelayanan Kesejahteraan Sosial: the 26 categories of people in need of social-welfare services
 * of Permensos 8/2012. No official codes exist, so the ordinal of the list (1–26) is the code. Categories 1–7 are
 * child categories; Lindung is child-first but carries adult PPKS cases through the same lifecycle (seed 003).
 *
 * Seed 003 (Dinsos NTB) counts groups by names that are not all Permensos 8/2012 categories ("orang telantar",
 * "ODGJ telantar"). {@link groupMappings} maps every such group to PPKS ordinals, with a reason: the mapping is a
 * policy default, never a silent drop.
 *
 * @example
 * ```ts
 * import { Ppks } from "@lindung/core"
 *
 * Ppks.get(18).label.id // "Korban Trafficking"
 * Ppks.get(6).child // true
 * Ppks.mapGroup("odgj-telantar").ppks // [9]
 * Ppks.parse(27) // Result.fail(UnknownPpksCode: "27 is not a PPKS code: …")
 * ```
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import * as Basis from "./Basis.js"

/** The 26 ordinals of Permensos 8/2012, in order. */
export const codes = [
  1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26
] as const

/** A PPKS category code: the ordinal (1–26) of the category in Permensos 8/2012. */
export const PpksCode = Schema.Literals(codes).annotate({
  identifier: "PpksCode",
  title: "PPKS category",
  description: "Pemerlu Pelayanan Kesejahteraan Sosial: the ordinal (1–26) of the category in Permensos 8/2012"
})

/** See {@link PpksCode}. */
export type PpksCode = typeof PpksCode.Type

/** The highest ordinal of a child category (1–7 are children's categories). */
export const LAST_CHILD_CODE = 7

/** A PPKS category: ordinal, label, whether it is a child category, basis. */
export const Category = Schema.Struct({
  code: PpksCode,
  label: Basis.Label,
  /** Categories 1–7 concern children (anak). */
  child: Schema.Boolean,
  basis: Basis.Basis
}).annotate({ identifier: "PpksCategory", description: "A PPKS category of Permensos 8/2012" })

/** See {@link Category}. */
export type Category = typeof Category.Type

/** The basis of category `code`: Permensos 8/2012, the ordinal-th category of its list, verified. */
export const categoryBasis = (code: PpksCode): Basis.Basis =>
  Basis.verified("Permensos 8/2012", undefined, `PPKS category ${code} of 26; the ordinal is the code`)

const category = (code: PpksCode, id: string, en: string): Category => ({
  code,
  label: Basis.label(id, en),
  child: code <= LAST_CHILD_CODE,
  basis: categoryBasis(code)
})

/** The 26 categories, in the order of Permensos 8/2012. */
export const categories: ReadonlyArray<Category> = [
  category(1, "Anak Balita Telantar", "Neglected children aged five or younger"),
  category(2, "Anak Telantar", "Neglected children"),
  category(3, "Anak yang Berhadapan dengan Hukum", "Children in contact with the law"),
  category(4, "Anak Jalanan", "Street children"),
  category(5, "Anak dengan Kedisabilitasan", "Children with disabilities"),
  category(
    6,
    "Anak yang menjadi Korban Tindak Kekerasan atau diperlakukan Salah",
    "Child victims of violence or maltreatment"
  ),
  category(7, "Anak yang Memerlukan Perlindungan Khusus", "Children in need of special protection (AMPK)"),
  category(8, "Lanjut Usia Telantar", "Neglected older persons"),
  category(9, "Penyandang Disabilitas", "Persons with disabilities"),
  category(10, "Tuna Susila", "Persons in prostitution"),
  category(11, "Gelandangan", "Homeless persons"),
  category(12, "Pengemis", "Beggars"),
  category(13, "Pemulung", "Waste pickers"),
  category(14, "Kelompok Minoritas", "Minority groups"),
  category(15, "Bekas Warga Binaan Lembaga Pemasyarakatan", "Former inmates of correctional institutions"),
  category(16, "Orang dengan HIV/AIDS", "People living with HIV/AIDS"),
  category(17, "Korban Penyalahgunaan NAPZA", "Victims of substance abuse (NAPZA)"),
  category(18, "Korban Trafficking", "Victims of trafficking"),
  category(19, "Korban Tindak Kekerasan", "Victims of violence"),
  category(20, "Pekerja Migran Bermasalah Sosial", "Migrant workers with social problems"),
  category(21, "Korban Bencana Alam", "Victims of natural disasters"),
  category(22, "Korban Bencana Sosial", "Victims of social disasters"),
  category(23, "Perempuan Rawan Sosial Ekonomi", "Socially and economically vulnerable women"),
  category(24, "Fakir Miskin", "The poor"),
  category(25, "Keluarga Bermasalah Sosial Psikologis", "Families with social and psychological problems"),
  category(26, "Komunitas Adat Terpencil", "Remote indigenous communities")
]

/** The category of an ordinal. Total: every {@link PpksCode} has a category. */
export const get = (code: PpksCode): Category => categories[code - 1] as Category

/** Whether a value is a PPKS ordinal. */
export const isPpksCode = (input: unknown): input is PpksCode => Schema.is(PpksCode)(input)

/** Whether a category is one of the child categories (1–7). */
export const isChildCategory = (code: PpksCode): boolean => code <= LAST_CHILD_CODE

/** A value that is not a PPKS ordinal; `reason` says what is wrong. */
export class UnknownPpksCode extends Schema.TaggedError<UnknownPpksCode>()("UnknownPpksCode", {
  input: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `${this.input} is not a PPKS code: ${this.reason}`
  }
}

const show = (input: unknown): string => {
  if (input === undefined) return "undefined"
  if (typeof input === "number" && !Number.isFinite(input)) return String(input)
  try {
    return JSON.stringify(input) ?? String(input)
  } catch {
    return String(input)
  }
}

const CANONICAL = /^[1-9]\d?$/

/**
 * Checks a value and returns the PPKS ordinal, or an {@link UnknownPpksCode} that says what is wrong. Accepts an
 * integer 1–26 or its canonical decimal string (`"9"`, not `"09"` or `"9.0"`), so codes from CSV or URLs parse.
 */
export const parse = (input: unknown): Result.Result<PpksCode, UnknownPpksCode> => {
  const candidate = typeof input === "string" && CANONICAL.test(input) ? Number(input) : input
  if (isPpksCode(candidate)) return Result.succeed(candidate)
  const reason =
    typeof input === "number"
      ? Number.isInteger(input)
        ? "the ordinals run from 1 to 26 (Permensos 8/2012 has 26 categories)"
        : "a PPKS code is a whole number from 1 to 26"
      : typeof input === "string"
        ? "expected a whole number from 1 to 26 written without leading zeros, signs or decimals"
        : `expected a number from 1 to 26, got ${input === null ? "null" : typeof input}`
  return Result.fail(new UnknownPpksCode({ input: show(input), reason }))
}

// ---------------------------------------------------------------------------------------------------------------
// Seed 003 group names

/** The PPKS group names that Dinsos NTB reports (seed 003), as lowercase-kebab codes. */
export const groupCodes = [
  "pekerja-migran-bermasalah",
  "korban-perdagangan-orang",
  "orang-telantar",
  "perempuan-korban-kekerasan-seksual",
  "odgj-telantar"
] as const

/** A group name used in reports that is not (or not exactly) a Permensos 8/2012 category. */
export const GroupCode = Schema.Literals(groupCodes).annotate({
  identifier: "PpksGroupCode",
  description: "A PPKS group name used in Dinsos reports (seed 003), mapped to Permensos 8/2012 ordinals"
})

/** See {@link GroupCode}. */
export type GroupCode = typeof GroupCode.Type

/** How a reported group maps to PPKS ordinals: at least one ordinal, a reason, and the basis of the mapping. */
export const GroupMapping = Schema.Struct({
  group: GroupCode,
  label: Basis.Label,
  ppks: Schema.NonEmptyArray(PpksCode),
  reason: Schema.NonEmptyString,
  basis: Schema.NonEmptyArray(Basis.Basis)
}).annotate({ identifier: "PpksGroupMapping", description: "A reported group mapped to PPKS ordinals" })

/** See {@link GroupMapping}. */
export type GroupMapping = typeof GroupMapping.Type

const mappingPolicy = (note: string): Basis.Basis => Basis.policyDefault("Lindung PPKS group mapping", undefined, note)

/**
 * The seed 003 groups and their PPKS ordinals (policy defaults; a deployment may map differently). Every group maps
 * to at least one ordinal, so no group is ever dropped from a count.
 *
 * - "orang telantar" (abandoned or stranded persons) is not a Permensos 8/2012 category. An adult under 60 with no
 *   home is closest to 11 Gelandangan; `Classification` refines this from the facts (60 and older: 8 Lanjut Usia
 *   Telantar; with a disability: 9; a child: 1 or 2).
 * - "ODGJ telantar" (orang dengan gangguan jiwa, abandoned) maps to 9 Penyandang Disabilitas: a mental disorder is
 *   a mental (psychosocial) disability in UU 8/2016 Pasal 4 ayat (1) huruf c, and "penyandang disabilitas telantar"
 *   is the term of the minimum service standard for social affairs (PP 2/2018), so the abandonment is part of
 *   the category. 11 Gelandangan is added only when the person also lives on the street without a fixed home.
 */
export const groupMappings: ReadonlyArray<GroupMapping> = [
  {
    group: "pekerja-migran-bermasalah",
    label: Basis.label("Pekerja migran bermasalah", "Troubled migrant workers"),
    ppks: [20],
    reason: "the group is category 20 Pekerja Migran Bermasalah Sosial",
    basis: [categoryBasis(20), mappingPolicy("same category under a shorter name")]
  },
  {
    group: "korban-perdagangan-orang",
    label: Basis.label("Korban perdagangan orang (KPO)", "Trafficking victims"),
    ppks: [18],
    reason: "korban perdagangan orang is category 18 Korban Trafficking",
    basis: [categoryBasis(18), mappingPolicy("same category: perdagangan orang = trafficking")]
  },
  {
    group: "orang-telantar",
    label: Basis.label("Orang telantar", "Abandoned or stranded persons"),
    ppks: [11],
    reason:
      "orang telantar is not a Permensos 8/2012 category; an adult under 60 without a home is closest to 11 Gelandangan (60 and older: 8; with a disability: 9; a child: 1 or 2)",
    basis: [
      categoryBasis(11),
      mappingPolicy("closest category for an adult under 60; Classification refines it from age and disability")
    ]
  },
  {
    group: "perempuan-korban-kekerasan-seksual",
    label: Basis.label("Perempuan korban kekerasan seksual", "Women victims of sexual violence"),
    ppks: [19],
    reason: "an adult victim of sexual violence is category 19 Korban Tindak Kekerasan",
    basis: [categoryBasis(19), mappingPolicy("sexual violence is a form of violence (tindak kekerasan)")]
  },
  {
    group: "odgj-telantar",
    label: Basis.label("ODGJ telantar", "Abandoned persons with mental disorders"),
    ppks: [9],
    reason:
      "a mental disorder is a mental (psychosocial) disability, so the person is category 9 Penyandang Disabilitas; the abandonment is part of the minimum-service term penyandang disabilitas telantar; add 11 Gelandangan only for a person living on the street",
    basis: [
      categoryBasis(9),
      Basis.unverified("UU 8/2016", "Pasal 4 ayat (1) huruf c", "disabilitas mental includes psychosocial disability"),
      Basis.unverified("PP 2/2018", undefined, "minimum service standard names penyandang disabilitas telantar"),
      mappingPolicy("ODGJ telantar is counted as 9, not as a separate category")
    ]
  }
]

/** A value that is not a known reported group name; `reason` says what is wrong. */
export class UnknownPpksGroup extends Schema.TaggedError<UnknownPpksGroup>()("UnknownPpksGroup", {
  input: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `${this.input} is not a known PPKS group: ${this.reason}`
  }
}

/** Checks a value and returns the group code, or an {@link UnknownPpksGroup} listing the known groups. */
export const parseGroup = (input: unknown): Result.Result<GroupCode, UnknownPpksGroup> =>
  Schema.is(GroupCode)(input)
    ? Result.succeed(input)
    : Result.fail(new UnknownPpksGroup({ input: show(input), reason: `the known groups are ${groupCodes.join(", ")}` }))

/** The mapping of a reported group. Total: every {@link GroupCode} has a mapping. */
export const mapGroup = (group: GroupCode): GroupMapping => groupMappings.find((m) => m.group === group) as GroupMapping

/** PPKS is a pure list: it implements no rule of its own (classification rules are in `Classification`). */
export const rules: ReadonlyArray<Basis.Rule> = []
