/**
 * The bodies every transport of Lindung speaks: the registration of a report, what a command produced, and the
 * headers that make a command safe to retry (`Idempotency-Key`) and to decide on a version seen (`If-Match`). The
 * HTTP API (`@lindung/transport-http`'s `Api`) and the commands over NATS use these same schemas.
 *
 * @since 0.4.0
 */
import { CaseCommand, CaseEvent, CaseModel, Sop, Subject } from "@lindung/core"
import { Schema } from "effect"

/** The longest `Idempotency-Key` accepted (the id schema's maximum). */
export const MAX_IDEMPOTENCY_KEY = 128

/** `Idempotency-Key`: a retry with the same key returns the first result and writes nothing. */
export const IdempotencyKey = Schema.String.check(
  Schema.isMinLength(1),
  Schema.isMaxLength(MAX_IDEMPOTENCY_KEY),
  Schema.isPattern(/^[\x21-\x7e]+$/u, { message: "visible ASCII characters without spaces" })
).annotate({
  identifier: "IdempotencyKey",
  description: "A client-chosen key (e.g. a UUID) that makes retries of the same command safe"
})

/** `If-Match`: the version of the case the client decided on (`3` or `"3"`); a different version → 409. */
export const IfMatch = Schema.String.check(
  Schema.isPattern(/^(?:W\/)?(?:"\d{1,15}"|\d{1,15})$/u, { message: 'a case version such as 3 or "3"' })
).annotate({ identifier: "IfMatch", description: "The case version the command was decided on" })

/** The version in an `If-Match` header value. */
export const versionOfIfMatch = (value: string): number => Number(value.replace(/^W\//u, "").replaceAll('"', ""))

const { _tag: _registerTag, ...registerFields } = CaseCommand.RegisterReport.fields

/**
 * Case ids a transport does not register: path segments of the HTTP API under `/cases/` (`GET /cases/counts`), so
 * that a case with such an id could not be read over HTTP.
 */
export const reservedCaseIds: ReadonlyArray<string> = ["counts"]

/** A case id a new report may take over a transport: any {@link CaseModel.CaseId} but {@link reservedCaseIds}. */
export const NewCaseId = CaseModel.CaseId.check(
  Schema.makeFilter((id: string) => !reservedCaseIds.includes(id), {
    message: `is reserved (a path of the HTTP API under /cases/): choose another case id`
  })
)

/**
 * The body of `POST /cases`: the fields of the `RegisterReport` command (without `_tag`) and, optionally, the
 * subject's identity as plain values. The identity goes to the identity vault only; it is never stored with the
 * case, echoed, or logged.
 */
export const RegisterRequest = Schema.Struct({
  ...registerFields,
  caseId: NewCaseId,
  /**
   * Leave out for a new subject: the server mints an unguessable id (see the `ReportRegistered` event). Name an
   * existing subject only when the actor may read its identity through one of its cases; otherwise the answer is
   * 404 `subject-not-found`, whether or not it exists.
   */
  subject: Schema.optionalKey(Subject.SubjectId),
  identity: Schema.optionalKey(Subject.IdentityFromValues)
}).annotate({ identifier: "RegisterRequest", description: "A report to register, with the subject's identity" })

/** See {@link RegisterRequest}. */
export type RegisterRequest = typeof RegisterRequest.Type

/** What a command produced: the case's new version and stage, the events, and whether it was a replayed retry. */
export const CommandResult = Schema.Struct({
  caseId: CaseModel.CaseId,
  version: Schema.Int.annotate({ description: "The case's version after the command", examples: [12] }),
  stage: Sop.Stage,
  /** True when an earlier request with the same `Idempotency-Key` is returned and nothing was written. */
  replayed: Schema.Boolean,
  events: Schema.Array(CaseEvent.Envelope)
}).annotate({ identifier: "CommandResult", description: "The outcome of a command" })

/** See {@link CommandResult}. */
export type CommandResult = typeof CommandResult.Type
