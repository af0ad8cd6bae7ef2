/**
 * The languages of what Lindung says to people on the wire — the titles and details of problems — and the choice
 * of one from a request's `Accept-Language` (RFC 9110 §12.5.4): Bahasa Indonesia (`id`) or English (`en`, the
 * default). The codes and fields of a problem (`type`, `status`, `rule`, `caseId`, …) never change with the
 * language; only the sentences for people do.
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
 * The language to answer in for an `Accept-Language` header: the supported language with the highest weight
 * (`q`, 1 when absent; `q=0` refuses it), the earlier one on a tie; `*` stands for English. English when the
 * header is absent, malformed, or names nothing Lindung has.
 */
export const negotiate = (header: string | undefined): Language => {
  if (header === undefined) return fallback
  let best: Language | undefined
  let bestWeight = 0
  for (const part of header.split(",").slice(0, 32)) {
    const [rangePart, ...parameters] = part.trim().split(";")
    const range = rangePart?.trim() ?? ""
    if (range === "") continue
    let weight = 1
    for (const parameter of parameters) {
      const [key, value] = parameter.trim().split("=")
      if (key?.trim().toLowerCase() === "q") {
        const parsed = Number(value?.trim())
        weight = Number.isFinite(parsed) && parsed >= 0 && parsed <= 1 ? parsed : 0
      }
    }
    const language = range === "*" ? fallback : languageOf(range)
    if (language === undefined || weight <= 0) continue
    if (weight > bestWeight) {
      best = language
      bestWeight = weight
    }
  }
  return best ?? fallback
}
