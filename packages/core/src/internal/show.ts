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
  "wakeAt"
])

/** What an error shows of `value` given for `field`: {@link show}, or `(not shown)` for a personal field. */
export const showInput = (field: string, value: unknown): string =>
  personalInputFields.has(field.slice(field.lastIndexOf(".") + 1)) ? "(not shown)" : show(value)

/** Whether a field (a dotted name, or a path whose last named segment counts) is one of {@link personalInputFields}. */
export const isPersonal = (field: string | ReadonlyArray<unknown>): boolean => {
  if (typeof field === "string") return personalInputFields.has(field.slice(field.lastIndexOf(".") + 1))
  for (let index = field.length - 1; index >= 0; index--) {
    const segment = field[index]
    if (typeof segment === "string") return personalInputFields.has(segment)
  }
  return false
}

/** Whether a message may quote the value it is about (see `Input.mayQuote`). */
export const mayQuote = (message: string, value?: unknown): boolean => {
  if (/["'`]|\bgot\b/u.test(message)) return true
  const text = value === undefined ? undefined : typeof value === "string" ? value : show(value)
  if (text !== undefined && text.length > 0 && message.includes(text)) return true
  const runs = message.match(/\d{3,}/gu)
  if (runs === null) return false
  return text === undefined || runs.some((run) => text.includes(run))
}

/** What a reason about a personal field says instead of one that may quote its value. */
export const hiddenReason = "is not valid (the value is not shown)"

/** The reason an error about `field` may give (see `Input.reasonFor`). */
export const reasonFor = (field: string | ReadonlyArray<unknown>, reason: string, value?: unknown): string =>
  isPersonal(field) && mayQuote(reason, value) ? hiddenReason : reason
