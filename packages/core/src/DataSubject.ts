/**
 * The rights of the person a case is about under UU 27/2022 (Pelindungan Data Pribadi): a request to access or to
 * correct their data is recorded and answered within the controller's time limit (3 x 24 hours, Pasal 30 and 32;
 * the deadline kind `data-subject-request`); a child's rights are exercised by a parent or the wali, never by an
 * alleged perpetrator; and the identity is kept only for the retention period after the case closes (Pasal 42–44),
 * a typed, overridable policy.
 *
 * @example
 * ```ts
 * import { DataSubject } from "@lindung/core"
 *
 * DataSubject.identityErasureDueOn(closedCase) // "2031-03-05": five years after closure, by default
 * ```
 *
 * @since 0.2.0
 */
import { Result, Schema } from "effect"
import * as Basis from "./Basis.js"
import * as CalendarDate from "./CalendarDate.js"
import type * as Case from "./Case.js"
import * as Region from "./Region.js"

const transcribed = (provision: string, note: string): Basis.Basis => Basis.transcribed("UU 27/2022", provision, note)

/** The controller's time limits to answer a request: 3 x 24 hours to correct (Pasal 30) and to give access (Pasal 32). */
export const answerBasis: readonly [Basis.Basis, ...Array<Basis.Basis>] = [
  transcribed("Pasal 30 ayat (1)", "the controller corrects the data within 3 x 24 hours of the request"),
  transcribed("Pasal 32 ayat (2)", "the controller gives access within 3 x 24 hours of the request")
]

/** The stable ids of the rules this module implements. */
export const ruleIds = ["PDP-SUBJECT-RIGHTS", "PDP-RETENTION"] as const

/** A rule id of this module. */
export type RuleId = (typeof ruleIds)[number]

/** The rules of this module by id. */
export const rule: { readonly [K in RuleId]: Basis.Rule } = {
  "PDP-SUBJECT-RIGHTS": Basis.rule(
    "PDP-SUBJECT-RIGHTS",
    Basis.label(
      "Permintaan akses dan perbaikan data dijawab dalam 3 x 24 jam; hak Anak dijalankan orang tua atau wali",
      "Requests to access or correct data are answered within 3 x 24 hours; a child's rights are exercised by a parent or the wali"
    ),
    [
      transcribed("Pasal 6", "the right to complete, update and correct one's data"),
      transcribed("Pasal 7", "the right to access and obtain a copy of one's data"),
      ...answerBasis,
      Basis.policyDefault(
        "Lindung SOP",
        undefined,
        "a child's rights are exercised by a parent or the wali, by analogy with consent under UU 27/2022 Pasal 25; an alleged perpetrator is never granted a child's data (as for consent, SOP-06)"
      )
    ]
  ),
  "PDP-RETENTION": Basis.rule(
    "PDP-RETENTION",
    Basis.label(
      "Identitas disimpan hanya selama masa retensi setelah kasus ditutup",
      "An identity is kept only for the retention period after the case is closed"
    ),
    [
      transcribed("Pasal 42 ayat (1)", "processing ends when the retention period is reached or its purpose achieved"),
      transcribed("Pasal 43 ayat (1)", "the controller erases data that is no longer needed for its purpose"),
      transcribed("Pasal 44 ayat (1)", "data is destroyed when its retention period under the archive schedule ends")
    ]
  )
}

/** The rules of this module. */
export const rules: ReadonlyArray<Basis.Rule> = Object.values(rule)

/** The retention policy: how long after closure a subject's identity is kept before it is due for erasure. */
export const RetentionPolicy = Schema.Struct({
  /** Years after the case closed, 0 to 100. Default 5: a Lindung policy default until an archive schedule says otherwise. */
  identityYearsAfterClosure: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 100 }))
}).annotate({
  identifier: "RetentionPolicy",
  description: "How many years after closure a subject's identity is kept before it is due for erasure"
})

/** See {@link RetentionPolicy}. */
export type RetentionPolicy = typeof RetentionPolicy.Type

/** The default retention policy. */
export const defaultRetentionPolicy: RetentionPolicy = { identityYearsAfterClosure: 5 }

/** The basis of each default of {@link defaultRetentionPolicy}. */
export const retentionPolicyBasis: { readonly [K in keyof RetentionPolicy]: Basis.Basis } = {
  identityYearsAfterClosure: Basis.policyDefault(
    "Lindung retention policy",
    undefined,
    "UU 27/2022 Pasal 44 defers to the archive retention schedule (jadwal retensi arsip), which this library does not know: a deployment sets its own"
  )
}

/** A retention policy that cannot be used. */
export class InvalidRetentionPolicy extends Schema.TaggedError<InvalidRetentionPolicy>()("InvalidRetentionPolicy", {
  field: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `Invalid retention policy ${this.field}: ${this.reason} (PDP-RETENTION)`
  }
}

/** Checks a retention policy: a whole number of years from 0 to 100. */
export const validateRetentionPolicy = (
  policy: RetentionPolicy
): Result.Result<RetentionPolicy, InvalidRetentionPolicy> => {
  const years = policy.identityYearsAfterClosure
  return Number.isInteger(years) && years >= 0 && years <= 100
    ? Result.succeed(policy)
    : Result.fail(
        new InvalidRetentionPolicy({
          field: "identityYearsAfterClosure",
          reason: `${years} is not a whole number of years from 0 to 100`
        })
      )
}

/**
 * The local date on which the identity of a closed case's subject is due for erasure: the closing date plus the
 * retention years. `undefined` for a case that is not closed (a reopened case starts over when it closes again).
 * A subject that other cases still hold keeps the identity until the last of them is due (the caller checks them
 * all).
 */
export const identityErasureDueOn = (
  state: Case.Case,
  policy: RetentionPolicy = defaultRetentionPolicy
): CalendarDate.CalendarDate | undefined => {
  if (state.stage !== "closed") return undefined
  const closedOn = CalendarDate.fromInstant(state.stageSince, Region.timeZone(state.region).offsetHours)
  return CalendarDate.addMonths(closedOn, 12 * policy.identityYearsAfterClosure)
}
