/**
 * The tagged errors of the Effect edges for a refused command. The decider refuses with plain data
 * (`Rejection`); `CaseRepository` and `CaseService` fail with these errors, built by {@link fromRejection}, and
 * `CaseService` raises {@link Forbidden} itself for the identity actions. Each names the rule it enforces and its
 * basis and says in plain words what is missing. Fields are serialisable; the HTTP adapter only attaches a status
 * code.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Basis from "./Basis.js"
import * as Input from "./Input.js"
import * as messages from "./internal/messages.js"
import { withoutStack } from "./internal/stack.js"
import type * as Rejection from "./Rejection.js"
import * as Sop from "./Sop.js"

/**
 * A command that the SOP does not allow: `rule` names the rule (an SOP rule such as `SOP-06`, or a rule of a
 * domain module such as `SPPA-DETENTION`), `title` says what the rule requires, `detail` what is missing.
 */
export class SopViolation extends Schema.TaggedError<SopViolation>()("SopViolation", {
  rule: Schema.String,
  title: Schema.String,
  detail: Schema.String,
  basis: Schema.Array(Basis.Basis)
}) {
  override get message(): string {
    return messages.violation(this.rule, this.title, this.detail)
  }
}

/** An actor whose role, region, assignment or referral does not allow the action (SOP-07). */
export class Forbidden extends Schema.TaggedError<Forbidden>()("Forbidden", {
  rule: Schema.Literal("SOP-07"),
  action: Schema.String,
  detail: Schema.String,
  basis: Schema.Array(Basis.Basis)
}) {
  override get message(): string {
    return messages.forbidden(Sop.rules["SOP-07"].title.en, this.action, this.detail)
  }
}

/** A command for a case that does not exist yet (anything but `RegisterReport` on a new case). */
export class CaseNotFound extends Schema.TaggedError<CaseNotFound>()("CaseNotFound", {
  caseId: Schema.String
}) {
  override get message(): string {
    return messages.caseNotFound(this.caseId)
  }
}

/** A `RegisterReport` for a case id that is already taken. */
export class CaseAlreadyExists extends Schema.TaggedError<CaseAlreadyExists>()("CaseAlreadyExists", {
  caseId: Schema.String
}) {
  override get message(): string {
    return messages.caseAlreadyExists(this.caseId)
  }
}

/** Every tagged error of a refused command. */
export type SopError = SopViolation | Forbidden | CaseNotFound | CaseAlreadyExists | Input.InvalidInput

/** Schema of {@link SopError}, for transport and storage. */
export const SopError = Schema.Union([SopViolation, Forbidden, CaseNotFound, CaseAlreadyExists, Input.InvalidInput])

/** Builds a {@link SopViolation} of an SOP rule (by id) or of any other rule, carrying the rule's basis. */
export const violation = (rule: Sop.RuleRef, detail: string): SopViolation => {
  const found = Sop.ruleOf(rule)
  return withoutStack(
    () =>
      new SopViolation({ rule: found.id, title: found.title.en, detail, basis: found.basis }, { disableChecks: true })
  )
}

/** Builds a {@link Forbidden} for `action`. */
export const forbidden = (action: string, detail: string): Forbidden =>
  withoutStack(
    () => new Forbidden({ rule: "SOP-07", action, detail, basis: Sop.rules["SOP-07"].basis }, { disableChecks: true })
  )

/**
 * The tagged error of a decider's {@link Rejection.Rejection}, for the Effect edges: the same tag and fields,
 * with the rule's basis; the message reads the same.
 */
export const fromRejection = (rejection: Rejection.Rejection): SopError =>
  withoutStack((): SopError => {
    switch (rejection._tag) {
      case "SopViolation":
        return new SopViolation(
          { rule: rejection.rule, title: rejection.title, detail: rejection.detail, basis: rejection.basis },
          { disableChecks: true }
        )
      case "Forbidden":
        return new Forbidden(
          { rule: "SOP-07", action: rejection.action, detail: rejection.detail, basis: rejection.basis },
          { disableChecks: true }
        )
      case "CaseNotFound":
        return new CaseNotFound({ caseId: rejection.caseId }, { disableChecks: true })
      case "CaseAlreadyExists":
        return new CaseAlreadyExists({ caseId: rejection.caseId }, { disableChecks: true })
      case "InvalidInput":
        return new Input.InvalidInput(
          { field: rejection.field, value: rejection.value, reason: rejection.reason },
          { disableChecks: true }
        )
    }
  })
