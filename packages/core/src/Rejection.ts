/**
 * Why the decider refuses a command, as plain, serialisable data: every rejection names its `rule` (an SOP rule,
 * a procedure rule such as `SOP-STAGE`, or a domain rule such as `SPPA-DETENTION`), carries that rule's `basis`
 * and a plain `message`, and changes nothing. No Error subclass, no stack and no Schema validation on the
 * decider's path: the Effect edges turn a rejection into a tagged error (`SopError.fromRejection`), and the HTTP
 * adapter into a problem body.
 *
 * @example
 * ```ts
 * import { Decider, Rejection } from "@lindung/core"
 * import { Result } from "effect"
 *
 * const decided = Decider.decide(state, command, context)
 * if (Result.isFailure(decided)) {
 *   decided.failure.rule // e.g. "SOP-02"
 *   decided.failure.message // e.g. "SOP-02 (…): the case plan has not been approved"
 * }
 * ```
 *
 * @since 0.2.0
 */
import { Schema } from "effect"
import * as Basis from "./Basis.js"
import * as messages from "./internal/messages.js"
import { reasonFor, showInput } from "./internal/show.js"
import * as Sop from "./Sop.js"

const common = { basis: Schema.Array(Basis.Basis), message: Schema.String }

/** A command the SOP does not allow: `title` says what the rule requires, `detail` what is missing. */
export const SopViolation = Schema.TaggedStruct("SopViolation", {
  rule: Schema.String,
  title: Schema.String,
  detail: Schema.String,
  ...common
}).annotate({ identifier: "Rejection.SopViolation" })

/** See {@link SopViolation}. */
export type SopViolation = typeof SopViolation.Type

/** An actor whose role, region, assignment or referral does not allow the action (SOP-07). */
export const Forbidden = Schema.TaggedStruct("Forbidden", {
  rule: Schema.Literal("SOP-07"),
  action: Schema.String,
  detail: Schema.String,
  ...common
}).annotate({ identifier: "Rejection.Forbidden" })

/** See {@link Forbidden}. */
export type Forbidden = typeof Forbidden.Type

/** A command for a case that does not exist (anything but `RegisterReport` on a new case id). */
export const CaseNotFound = Schema.TaggedStruct("CaseNotFound", {
  rule: Schema.Literal("SOP-CASE-ID"),
  caseId: Schema.String,
  ...common
}).annotate({ identifier: "Rejection.CaseNotFound" })

/** See {@link CaseNotFound}. */
export type CaseNotFound = typeof CaseNotFound.Type

/** A `RegisterReport` for a case id that is already taken. */
export const CaseAlreadyExists = Schema.TaggedStruct("CaseAlreadyExists", {
  rule: Schema.Literal("SOP-CASE-ID"),
  caseId: Schema.String,
  ...common
}).annotate({ identifier: "Rejection.CaseAlreadyExists" })

/** See {@link CaseAlreadyExists}. */
export type CaseAlreadyExists = typeof CaseAlreadyExists.Type

/** A value of the command that is malformed or contradicts the record: `field`, the `value` shown, `reason`. */
export const InvalidInput = Schema.TaggedStruct("InvalidInput", {
  rule: Schema.Literal("SOP-INPUT"),
  field: Schema.String,
  value: Schema.String,
  reason: Schema.String,
  ...common
}).annotate({ identifier: "Rejection.InvalidInput" })

/** See {@link InvalidInput}. */
export type InvalidInput = typeof InvalidInput.Type

/** Every way the decider refuses a command. */
export const Rejection = Schema.Union([SopViolation, Forbidden, CaseNotFound, CaseAlreadyExists, InvalidInput])

/** See {@link Rejection}. */
export type Rejection = typeof Rejection.Type

/** Builds a {@link SopViolation} of a rule, carrying the rule's basis. */
export const violation = (rule: Sop.RuleRef, detail: string): SopViolation => {
  const found = Sop.ruleOf(rule)
  return {
    _tag: "SopViolation",
    rule: found.id,
    title: found.title.en,
    detail,
    basis: found.basis,
    message: messages.violation(found.id, found.title.en, detail)
  }
}

const sop07 = Sop.rules["SOP-07"]

/** Builds a {@link Forbidden} for `action`. */
export const forbidden = (action: string, detail: string): Forbidden => ({
  _tag: "Forbidden",
  rule: "SOP-07",
  action,
  detail,
  basis: sop07.basis,
  message: messages.forbidden(sop07.title.en, action, detail)
})

const caseIdRule = Sop.procedureRules["SOP-CASE-ID"]

/** Builds a {@link CaseNotFound}. */
export const caseNotFound = (caseId: string): CaseNotFound => ({
  _tag: "CaseNotFound",
  rule: "SOP-CASE-ID",
  caseId,
  basis: caseIdRule.basis,
  message: messages.caseNotFound(caseId)
})

/** Builds a {@link CaseAlreadyExists}. */
export const caseAlreadyExists = (caseId: string): CaseAlreadyExists => ({
  _tag: "CaseAlreadyExists",
  rule: "SOP-CASE-ID",
  caseId,
  basis: caseIdRule.basis,
  message: messages.caseAlreadyExists(caseId)
})

const inputRule = Sop.procedureRules["SOP-INPUT"]

/** Builds an {@link InvalidInput}, showing `value` as JSON so that strings and numbers read unambiguously. */
export const invalid = (field: string, value: unknown, reason: string): InvalidInput => {
  const shown = showInput(field, value)
  const said = reasonFor(field, reason, value)
  return {
    _tag: "InvalidInput",
    rule: "SOP-INPUT",
    field,
    value: shown,
    reason: said,
    basis: inputRule.basis,
    message: messages.invalid(field, shown, said)
  }
}

/** The {@link InvalidInput} rejection of a core function's `Input.InvalidInput` error (same field, value, reason). */
export const fromInvalidInput = (error: {
  readonly field: string
  readonly value: string
  readonly reason: string
}): InvalidInput => ({
  _tag: "InvalidInput",
  rule: "SOP-INPUT",
  field: error.field,
  value: error.value,
  reason: error.reason,
  basis: inputRule.basis,
  message: messages.invalid(error.field, error.value, error.reason)
})
