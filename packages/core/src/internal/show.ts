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
