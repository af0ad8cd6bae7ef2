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
