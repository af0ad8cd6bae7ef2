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

/**
 * The language a language range names, if Lindung has it, and whether it names it exactly (`id`, the retired `in`,
 * `en`) or through a narrower tag (`id-ID`, `en-GB`), which is taken to mean the language too.
 */
const languageOf = (range: string): { readonly language: Language; readonly exact: boolean } | undefined => {
  const [primary, ...rest] = range.toLowerCase().split("-")
  const language = primary === "id" || primary === "in" ? "id" : primary === "en" ? "en" : undefined
  return language === undefined ? undefined : { language, exact: rest.length === 0 }
}

/** A quality value as RFC 9110 writes it (`0`, `0.5`, `0.125`, `1`, `1.000`); anything else refuses. */
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/

/**
 * The language to answer in for an `Accept-Language` header (RFC 9110 §12.5.4): each supported language gets the
 * weight (`q`, 1 when absent; a malformed one refuses) of the range that names it exactly (`id`, `in`, `en`), else
 * the highest of the narrower ranges that name it (`id-ID`, `en-GB`), else the weight of `*`, which stands for every
 * language no other range names; a weight of 0 refuses. The heavier wins, Indonesian on a tie only when a range
 * named it before English. English when the header is absent, malformed, or accepts neither.
 */
export const negotiate = (header: string | undefined): Language => {
  if (header === undefined) return fallback
  const exact = new Map<Language, number>()
  const narrower = new Map<Language, number>()
  const order = new Map<Language, number>()
  let wildcard: number | undefined
  for (const part of header.split(",").slice(0, 32)) {
    const [rangePart, ...parameters] = part.trim().split(";")
    const range = rangePart?.trim() ?? ""
    if (range === "") continue
    let weight = 1
    for (const parameter of parameters) {
      const [key, value] = parameter.trim().split("=")
      if (key?.trim().toLowerCase() === "q") {
        const text = value?.trim() ?? ""
        weight = QVALUE.test(text) ? Number(text) : 0
      }
    }
    if (range === "*") {
      wildcard = Math.max(wildcard ?? 0, weight)
      continue
    }
    const named = languageOf(range)
    if (named === undefined) continue
    const weights = named.exact ? exact : narrower
    weights.set(named.language, Math.max(weights.get(named.language) ?? 0, weight))
    if (!order.has(named.language)) order.set(named.language, order.size)
  }
  const weightOf = (language: Language) => exact.get(language) ?? narrower.get(language) ?? wildcard ?? 0
  const [english, indonesian] = [weightOf("en"), weightOf("id")]
  const indonesianFirst = (order.get("id") ?? Number.MAX_SAFE_INTEGER) < (order.get("en") ?? Number.MAX_SAFE_INTEGER)
  return indonesian > english || (indonesian === english && indonesian > 0 && indonesianFirst) ? "id" : fallback
}
