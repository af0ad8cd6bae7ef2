/**
 * The plain messages of rejections, in one place: the decider's plain `Rejection`s and the tagged errors of the
 * Effect edges (`SopError`, `Input.InvalidInput`) read the same.
 */

/** A rule the SOP does not allow: its id, what it requires, and what is missing. */
export const violation = (rule: string, title: string, detail: string): string => `${rule} (${title}): ${detail}`

/** An action the actor may not take (SOP-07, whose title is passed in). */
export const forbidden = (title: string, action: string, detail: string): string =>
  `SOP-07 (${title}): ${action} is not allowed: ${detail}`

/** A command for a case id that no case has. */
export const caseNotFound = (caseId: string): string => `Case ${caseId} does not exist: register a report first`

/** A report for a case id that a case already has. */
export const caseAlreadyExists = (caseId: string): string => `Case ${caseId} already exists`

/** A bad value: the field, the value as shown, and what is expected. */
export const invalid = (field: string, shown: string, reason: string): string => `Invalid ${field} ${shown}: ${reason}`
