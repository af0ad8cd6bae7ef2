/**
 * The languages of what Lindung says to people on the wire — the titles and details of problems — and the choice
 * of one from a request's `Accept-Language` (RFC 9110 §12.5.4): Bahasa Indonesia (`id`) or English (`en`, the
 * default). The codes and fields of a problem (`type`, `status`, `rule`, `basis`, `caseId`, …) never change with the
 * language; only the sentences for people do (`title`, `detail`, and an SOP violation's `ruleTitle`).
 *
 * @example
 * ```ts
 * import { Language } from "@lindung/wire"
 *
 * Language.negotiate("id-ID,id;q=0.9,en;q=0.8") // "id"
 * Language.negotiate("en-US") // "en"
 * Language.negotiate(undefined) // "en"
 * ```
 *
 * @since 0.4.0
 */

/** The languages Lindung answers in. */
export const languages = ["en", "id"] as const

/** A language Lindung answers in: `en` (English) or `id` (Bahasa Indonesia). */
export type Language = (typeof languages)[number]

/** The language when a request asks for none that Lindung has. */
export const fallback: Language = "en"

/** The language of a language range (`id`, `id-ID`, the retired `in`, `en-GB`, …), if Lindung has it. */
const languageOf = (range: string): Language | undefined => {
  const primary = range.split("-")[0]?.toLowerCase()
  if (primary === "id" || primary === "in") return "id"
  if (primary === "en") return "en"
  return undefined
}

/**
 * The language to answer in for an `Accept-Language` header (RFC 9110 §12.5.4): each supported language gets the
 * weight (`q`, 1 when absent) of the range that names it — `id`, `id-ID`, `in`, `en`, `en-GB`, the highest when
 * several do — or else the weight of `*`, which stands for every language no other range names; `q=0` refuses.
 * The heavier wins, Indonesian on a tie only when a range named it first. English when the header is absent,
 * malformed, or accepts neither.
 */
export const negotiate = (header: string | undefined): Language => {
  if (header === undefined) return fallback
  const named = new Map<Language, { readonly weight: number; readonly order: number }>()
  let wildcard: number | undefined
  let order = 0
  for (const part of header.split(",").slice(0, 32)) {
    const [rangePart, ...parameters] = part.trim().split(";")
    const range = rangePart?.trim() ?? ""
    if (range === "") continue
    let weight = 1
    for (const parameter of parameters) {
      const [key, value] = parameter.trim().split("=")
      if (key?.trim().toLowerCase() === "q") {
        const parsed = Number(value?.trim())
        weight = value !== undefined && Number.isFinite(parsed) && parsed >= 0 && parsed <= 1 ? parsed : 0
      }
    }
    if (range === "*") {
      wildcard = Math.max(wildcard ?? 0, weight)
      continue
    }
    const language = languageOf(range)
    if (language === undefined) continue
    const before = named.get(language)
    if (before === undefined || weight > before.weight) named.set(language, { weight, order: before?.order ?? order++ })
  }
  const weightOf = (language: Language) => named.get(language)?.weight ?? wildcard ?? 0
  const orderOf = (language: Language) => named.get(language)?.order ?? Number.MAX_SAFE_INTEGER
  const [english, indonesian] = [weightOf("en"), weightOf("id")]
  if (indonesian > english || (indonesian === english && indonesian > 0 && orderOf("id") < orderOf("en"))) return "id"
  return fallback
}
