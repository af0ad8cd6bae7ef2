/** Shows a value in an error as JSON, so that strings and numbers read unambiguously (`"12"` vs `12`). */
export const show = (value: unknown): string => {
  if (value === undefined) return "undefined"
  if (typeof value === "number" && !Number.isFinite(value)) return String(value)
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

/**
 * The input fields whose value is personal data, not a case fact to repeat: a birth date and exact ages (exports and
 * the public form give age bands only), and the scheduler's wake-up instant (`wakeAt`, which can be a child's 18th
 * birthday). A field is matched by its last dotted segment (`report.birthDate`).
 */
export const personalInputFields: ReadonlySet<string> = new Set([
  "birthDate",
  "ageAtReport",
  "ageAtDetention",
  "ageAtAct",
  "ageNow",
  "wakeAt"
])

/** A value an error must not show, whatever its field (an id that may be a NIK): it is shown as `(not shown)`. */
export const notShown: unique symbol = Symbol("not shown")

/** What an error shows of `value` given for `field`: {@link show}, or `(not shown)` for a personal field. */
export const showInput = (field: string, value: unknown): string =>
  isPersonal(field) || value === notShown ? "(not shown)" : show(value)

/** Whether a field (a dotted name, or a path whose last named segment counts) is one of {@link personalInputFields}. */
export const isPersonal = (field: string | ReadonlyArray<unknown>): boolean => {
  if (typeof field === "string") return personalInputFields.has(field.slice(field.lastIndexOf(".") + 1))
  for (let index = field.length - 1; index >= 0; index--) {
    const segment = field[index]
    if (typeof segment === "string") return personalInputFields.has(segment)
  }
  return false
}

/** A quotation: in double quotes or backticks (an apostrophe is English, not a quotation), or after "got". */
const quoting = /["`]|\bgot\b/u

/** A date written out, in full or in part (`2015-02`), or a long run of digits (`20150230`). */
const dateLike = /\d{4}-\d{2}|\d{5,}/u

/** Whether a message may quote the value it is about (see `Input.mayQuote`). */
export const mayQuote = (message: string, value?: unknown): boolean => {
  if (quoting.test(message)) return true
  if (value === undefined) return dateLike.test(message)
  const text = typeof value === "string" ? value : show(value)
  // The value written out whole (a date, an instant), or a run of four digits or more of it (a year). A short number
  // (an exact age) is not looked for: it would match the numbers of any legal citation in the reason.
  if (text.length >= 4 && message.includes(text)) return true
  return (text.match(/\d{4,}/gu) ?? []).some((run) => message.includes(run))
}

/** What a reason about a personal field says instead of one that may quote its value. */
export const hiddenReason = "is not valid (the value is not shown)"

/** The reason an error about `field` may give (see `Input.reasonFor`). */
export const reasonFor = (field: string | ReadonlyArray<unknown>, reason: string, value?: unknown): string =>
  isPersonal(field) && mayQuote(reason, value) ? hiddenReason : reason
