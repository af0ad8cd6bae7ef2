/**
 * AMPK — Anak yang Memerlukan Perlindungan Khusus: the 15 categories of children owed special protection by
 * UU 35/2014 Pasal 59 ayat (2), letters a to o, and the measures of Pasal 59A that every such case is owed.
 *
 * The letter is the stable code (`"j"` = anak korban kejahatan seksual). PP 78/2021 splits the 15 categories into
 * finer ones; Lindung models the 15 as the top level and {@link SubCategory} as the level below, with codes
 * `<letter>.<n>` (Lindung's own numbering: the PP gives sub-cases, not codes). The shipped sub-categories are the
 * emergency sub-cases of category a (PP 78/2021 Pasal 5); a deployment may add its own.
 *
 * @example
 * ```ts
 * import { Ampk } from "@lindung/core"
 *
 * Ampk.get("j").label.id // "Anak korban kejahatan seksual"
 * Ampk.parse("z") // Result.fail(UnknownAmpkCode: "… is not an AMPK code: the codes are the letters a to o …")
 * Ampk.subCategoriesOf("a").map((s) => s.code) // ["a.1", …, "a.7"]
 * ```
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import * as Basis from "./Basis.js"

/** The 15 AMPK codes: the letters of UU 35/2014 Pasal 59 ayat (2), in order. */
export const codes = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o"] as const

/** An AMPK category code: a letter of UU 35/2014 Pasal 59 ayat (2). */
export const AmpkCode = Schema.Literals(codes).annotate({
  identifier: "AmpkCode",
  title: "AMPK category",
  description:
    "Anak yang Memerlukan Perlindungan Khusus: the letter (a–o) of the category in UU 35/2014 Pasal 59 ayat (2)"
})

/** See {@link AmpkCode}. */
export type AmpkCode = typeof AmpkCode.Type

/** An AMPK category: its letter, its label and its basis. */
export const Category = Schema.Struct({
  code: AmpkCode,
  label: Basis.Label,
  basis: Basis.Basis
}).annotate({ identifier: "AmpkCategory", description: "An AMPK category of UU 35/2014 Pasal 59 ayat (2)" })

/** See {@link Category}. */
export type Category = typeof Category.Type

/** The basis of category `letter`: UU 35/2014 Pasal 59 ayat (2) huruf `letter`, verified. */
export const categoryBasis = (letter: AmpkCode): Basis.Basis =>
  Basis.verified("UU 35/2014", `Pasal 59 ayat (2) huruf ${letter}`)

const category = (code: AmpkCode, id: string, en: string): Category => ({
  code,
  label: Basis.label(id, en),
  basis: categoryBasis(code)
})

/** The 15 categories, in the order of the law (a to o). */
export const categories: ReadonlyArray<Category> = [
  category("a", "Anak dalam situasi darurat", "Children in emergency situations"),
  category("b", "Anak yang berhadapan dengan hukum", "Children in contact with the law"),
  category("c", "Anak dari kelompok minoritas dan terisolasi", "Children from minority and isolated groups"),
  category(
    "d",
    "Anak yang dieksploitasi secara ekonomi dan/atau seksual",
    "Children exploited economically and/or sexually"
  ),
  category(
    "e",
    "Anak yang menjadi korban penyalahgunaan narkotika, alkohol, psikotropika, dan zat adiktif lainnya",
    "Child victims of the abuse of narcotics, alcohol, psychotropics and other addictive substances"
  ),
  category("f", "Anak yang menjadi korban pornografi", "Child victims of pornography"),
  category("g", "Anak dengan HIV/AIDS", "Children with HIV/AIDS"),
  category(
    "h",
    "Anak korban penculikan, penjualan, dan/atau perdagangan",
    "Child victims of abduction, sale and/or trafficking"
  ),
  category(
    "i",
    "Anak korban kekerasan fisik dan/atau psikis",
    "Child victims of physical and/or psychological violence"
  ),
  category("j", "Anak korban kejahatan seksual", "Child victims of sexual crime"),
  category("k", "Anak korban jaringan terorisme", "Child victims of terrorist networks"),
  category("l", "Anak penyandang disabilitas", "Children with disabilities"),
  category("m", "Anak korban perlakuan salah dan penelantaran", "Child victims of maltreatment and neglect"),
  category("n", "Anak dengan perilaku sosial menyimpang", "Children with deviant social behaviour"),
  category(
    "o",
    "Anak yang menjadi korban stigmatisasi dari pelabelan terkait dengan kondisi orang tuanya",
    "Child victims of stigmatisation from labelling related to their parents' condition"
  )
]

const byCode: ReadonlyMap<AmpkCode, Category> = new Map(categories.map((c) => [c.code, c]))

/** The category of a code. Total: every {@link AmpkCode} has a category. */
export const get = (code: AmpkCode): Category => byCode.get(code) as Category

/** Whether a value is an AMPK code. */
export const isAmpkCode = (input: unknown): input is AmpkCode => Schema.is(AmpkCode)(input)

/** A value that is not an AMPK code (or sub-category code); `reason` says what is wrong. */
export class UnknownAmpkCode extends Schema.TaggedError<UnknownAmpkCode>()("UnknownAmpkCode", {
  input: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `${this.input} is not an AMPK code: ${this.reason}`
  }
}

const show = (input: unknown): string => {
  if (typeof input === "string") return JSON.stringify(input)
  if (input === undefined) return "undefined"
  try {
    return JSON.stringify(input) ?? String(input)
  } catch {
    return String(input)
  }
}

/** Checks a value and returns the AMPK code, or an {@link UnknownAmpkCode} that says what is wrong. */
export const parse = (input: unknown): Result.Result<AmpkCode, UnknownAmpkCode> => {
  if (isAmpkCode(input)) return Result.succeed(input)
  const reason =
    typeof input !== "string"
      ? `expected a string, got ${input === null ? "null" : typeof input}`
      : /^[A-O]$/.test(input)
        ? `the codes are lowercase letters: use "${input.toLowerCase()}"`
        : /^[a-o]\.\d+$/.test(input)
          ? "this is a sub-category code: use parseSubCategory"
          : "the codes are the letters a to o of UU 35/2014 Pasal 59 ayat (2)"
  return Result.fail(new UnknownAmpkCode({ input: show(input), reason }))
}

// ---------------------------------------------------------------------------------------------------------------
// Pasal 59A: the measures every AMPK case is owed

/** The measures of UU 35/2014 Pasal 59A (letters a–d), as lowercase-kebab codes. */
export const measureCodes = [
  "rapid-handling",
  "psychosocial-accompaniment",
  "social-assistance",
  "judicial-protection"
] as const

/** A measure of UU 35/2014 Pasal 59A. */
export const MeasureCode = Schema.Literals(measureCodes).annotate({
  identifier: "AmpkMeasureCode",
  description: "A measure of UU 35/2014 Pasal 59A that every AMPK case is owed (a–d)"
})

/** See {@link MeasureCode}. */
export type MeasureCode = typeof MeasureCode.Type

/** A Pasal 59A measure: code, letter in the law, label, when it applies, basis. */
export const Measure = Schema.Struct({
  code: MeasureCode,
  letter: Schema.Literals(["a", "b", "c", "d"]),
  label: Basis.Label,
  /** When the measure applies: `always`, or only for children of poor families, or only in judicial processes. */
  appliesWhen: Schema.Literals(["always", "poor-family", "judicial-process"]),
  basis: Basis.Basis
}).annotate({ identifier: "AmpkMeasure", description: "A measure of UU 35/2014 Pasal 59A" })

/** See {@link Measure}. */
export type Measure = typeof Measure.Type

const measure = (
  code: MeasureCode,
  letter: Measure["letter"],
  appliesWhen: Measure["appliesWhen"],
  id: string,
  en: string
): Measure => ({
  code,
  letter,
  label: Basis.label(id, en),
  appliesWhen,
  basis: Basis.verified("UU 35/2014", `Pasal 59A huruf ${letter}`)
})

/** The four measures of Pasal 59A, in order. */
export const measures: ReadonlyArray<Measure> = [
  measure(
    "rapid-handling",
    "a",
    "always",
    "Penanganan yang cepat, termasuk pengobatan dan/atau rehabilitasi secara fisik, psikis, dan sosial, serta pencegahan penyakit dan gangguan kesehatan lainnya",
    "Rapid handling, including physical, psychological and social treatment and/or rehabilitation, and the prevention of disease and other health problems"
  ),
  measure(
    "psychosocial-accompaniment",
    "b",
    "always",
    "Pendampingan psikososial pada saat pengobatan sampai pemulihan",
    "Psychosocial accompaniment from treatment through recovery"
  ),
  measure(
    "social-assistance",
    "c",
    "poor-family",
    "Pemberian bantuan sosial bagi Anak yang berasal dari keluarga tidak mampu",
    "Social assistance for children of poor families"
  ),
  measure(
    "judicial-protection",
    "d",
    "judicial-process",
    "Pemberian perlindungan dan pendampingan pada setiap proses peradilan",
    "Protection and accompaniment in every judicial process"
  )
]

/** The measure of a code. */
export const getMeasure = (code: MeasureCode): Measure => measures.find((m) => m.code === code) as Measure

/**
 * The Pasal 59A measures owed to an AMPK case: a and b always, c when the child's family is poor, d when the
 * child is in a judicial process. In the order of the law.
 */
export const measuresOwed = (situation: {
  readonly poorFamily: boolean
  readonly judicialProcess: boolean
}): ReadonlyArray<MeasureCode> =>
  measures
    .filter(
      (m) =>
        m.appliesWhen === "always" ||
        (m.appliesWhen === "poor-family" && situation.poorFamily) ||
        (m.appliesWhen === "judicial-process" && situation.judicialProcess)
    )
    .map((m) => m.code)

// ---------------------------------------------------------------------------------------------------------------
// Sub-categories

const SUB_CODE = /^([a-o])\.([1-9]\d{0,2})$/u

/** A sub-category code: `<letter>.<n>`, e.g. `a.3`. The letter is the parent AMPK category. */
export const SubCategoryCode = Schema.String.pipe(
  Schema.check(
    Schema.isPattern(SUB_CODE, {
      message: "a sub-category code is an AMPK letter a–o, a dot and a number from 1, e.g. a.3"
    })
  ),
  Schema.brand("AmpkSubCategoryCode"),
  Schema.annotate({
    identifier: "AmpkSubCategoryCode",
    description: "An AMPK sub-category: the parent letter (a–o), a dot and a number, e.g. a.3 (Lindung numbering)"
  })
)

/** See {@link SubCategoryCode}. */
export type SubCategoryCode = typeof SubCategoryCode.Type

/** The parent letter of a sub-category code. */
export const parentOf = (code: SubCategoryCode): AmpkCode => code.slice(0, 1) as AmpkCode

/** An AMPK sub-category: code, parent letter (which must be the code's own letter), label, basis. */
export const SubCategory = Schema.Struct({
  code: SubCategoryCode,
  parent: AmpkCode,
  label: Basis.Label,
  basis: Basis.Basis
})
  .check(
    Schema.makeFilter(
      (s: { readonly code: string; readonly parent: string }) =>
        s.code.startsWith(`${s.parent}.`) || `the sub-category ${s.code} does not belong to parent ${s.parent}`
    )
  )
  .annotate({ identifier: "AmpkSubCategory", description: "A finer category below an AMPK category" })

/** See {@link SubCategory}. */
export type SubCategory = typeof SubCategory.Type

const emergency = (n: number, provision: string, id: string, en: string): SubCategory => ({
  code: `a.${n}` as SubCategoryCode,
  parent: "a",
  label: Basis.label(id, en),
  basis: Basis.verified("PP 78/2021", provision, "sub-category numbering a.1–a.7 is Lindung's, in the PP's order")
})

/** The emergency sub-cases of category a (PP 78/2021 Pasal 5 ayat (1) and (2)), numbered in the PP's order. */
export const emergencySubCategories: ReadonlyArray<SubCategory> = [
  emergency(1, "Pasal 5 ayat (1) huruf a", "Anak yang menjadi pengungsi", "Refugee children"),
  emergency(2, "Pasal 5 ayat (1) huruf b", "Anak korban kerusuhan", "Child victims of riots"),
  emergency(3, "Pasal 5 ayat (1) huruf c", "Anak korban bencana alam", "Child victims of natural disasters"),
  emergency(4, "Pasal 5 ayat (1) huruf d", "Anak dalam situasi konflik bersenjata", "Children in armed conflict"),
  emergency(5, "Pasal 5 ayat (2) huruf a", "Anak korban bencana sosial", "Child victims of social disasters"),
  emergency(6, "Pasal 5 ayat (2) huruf b", "Anak korban bencana nonalam", "Child victims of non-natural disasters"),
  emergency(
    7,
    "Pasal 5 ayat (2) huruf c",
    "Anak dari narapidana/tahanan perempuan",
    "Children of women prisoners or detainees"
  )
]

/** Every shipped sub-category. */
export const subCategories: ReadonlyArray<SubCategory> = emergencySubCategories

/** The shipped sub-categories of a category (empty when none are shipped). */
export const subCategoriesOf = (parent: AmpkCode): ReadonlyArray<SubCategory> =>
  subCategories.filter((s) => s.parent === parent)

/** The shipped sub-category of a code, if any. */
export const getSubCategory = (code: SubCategoryCode): SubCategory | undefined =>
  subCategories.find((s) => s.code === code)

/**
 * Checks a value and returns a shipped sub-category code, or an {@link UnknownAmpkCode} that says what is wrong
 * (malformed, or well-formed but not a shipped sub-category).
 */
export const parseSubCategory = (input: unknown): Result.Result<SubCategoryCode, UnknownAmpkCode> => {
  if (typeof input !== "string" || !SUB_CODE.test(input)) {
    return Result.fail(
      new UnknownAmpkCode({
        input: show(input),
        reason: "a sub-category code is an AMPK letter a–o, a dot and a number from 1, e.g. a.3"
      })
    )
  }
  const code = input as SubCategoryCode
  if (getSubCategory(code) === undefined) {
    const known = subCategoriesOf(parentOf(code)).map((s) => s.code)
    return Result.fail(
      new UnknownAmpkCode({
        input: show(input),
        reason:
          known.length === 0
            ? `no sub-categories of ${parentOf(code)} are shipped`
            : `the shipped sub-categories of ${parentOf(code)} are ${known.join(", ")}`
      })
    )
  }
  return Result.succeed(code)
}

/** AMPK is a pure list: it implements no rule of its own (classification rules are in `Classification`). */
export const rules: ReadonlyArray<Basis.Rule> = []
