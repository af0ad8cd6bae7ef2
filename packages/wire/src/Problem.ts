/**
 * Every error of the HTTP API as an RFC 9457 problem: an `application/problem+json` body with `type`, `title`,
 * `status` and `detail`, plus fields that say exactly what went wrong — the SOP rule and its legal or policy basis
 * for a rejected command, the current version for a version conflict, the list of bad fields for a bad request.
 *
 * Each problem is a typed class (`HttpApiError.Problem`): endpoints declare them, so they appear in the OpenAPI
 * document and the typed client decodes them back into these classes (told apart by `type`). Domain errors of the
 * core (`SopError`, `StorageError`, `Input.InvalidInput`) become problems through {@link fromDomain}.
 *
 * | status | type (`urn:lindung:problem:…`) | when |
 * | --- | --- | --- |
 * | 400 | `invalid-request` | malformed JSON, wrong types, unknown fields, a path that does not match the body |
 * | 401 | `unauthorized` | no bearer token, a bad signature, an expired token, claims that are not an actor |
 * | 403 | `forbidden` | the actor may not take the action (SOP-07) |
 * | 404 | `case-not-found`, `subject-not-found`, `not-found` | no such case (or one the actor may not read); a report names a subject that is unknown or out of reach; no identity stored, no such agency |
 * | 409 | `version-conflict`, `case-already-exists` | another writer came first; the case id is taken |
 * | 410 | `identity-erased` | the identity was erased (UU 27/2022) |
 * | 413 | `payload-too-large` | the body exceeds the server's limit |
 * | 415 | `unsupported-media-type` | a body that is not `application/json` |
 * | 429 | `too-many-requests` | too many failed authentications from the client's address (`Retry-After`) |
 * | 422 | `sop-violation`, `invalid-input`, `idempotency-key-reused` | the SOP rejects the command; a value the decider refuses; a key reused for another request |
 * | 503 | `storage-unavailable`, `authentication-unavailable` | the store or the key set cannot be reached (retry) |
 * | 500 | `corrupted-record`, `about:blank` | a stored record does not decode; an unexpected failure (no details) |
 *
 * @example
 * ```ts
 * import { Problem } from "@lindung/wire"
 *
 * const problem = Problem.fromDomain(error) // e.g. a SopViolation → 422 with rule and basis
 * ```
 *
 * @since 0.1.0
 */
import type { CaseService, SopError, StorageError } from "@lindung/core"
import { Basis, Input, RuleRegister } from "@lindung/core"
import { Schema, SchemaIssue } from "effect"
import { HttpApiError } from "effect/http-api"
import type * as Language from "./Language.js"

/** The prefix of every Lindung problem type. */
export const TYPE_PREFIX = "urn:lindung:problem:"

/** One thing wrong with a request: where (`payload`, `query`, `params` or `headers`, then the path) and what. */
export const Issue = Schema.Struct({
  path: Schema.Array(Schema.Union([Schema.String, Schema.Finite])),
  message: Schema.String
}).annotate({ identifier: "ProblemIssue", description: "Where a request is wrong, and what is wrong there" })

/** See {@link Issue}. */
export type Issue = typeof Issue.Type

const formatter = SchemaIssue.makeFormatterStandardSchemaV1()

const segment = (value: unknown): string | number => {
  const key = typeof value === "object" && value !== null && "key" in value ? (value as { key: unknown }).key : value
  return typeof key === "number" ? key : String(key)
}

/** What an issue about an identity value says instead of a message that may quote it. */
const hiddenIdentity = "is not a valid identity value (the value is not shown)"

/** Whether a message about an identity value may quote it: any quotation mark, "got …", or three digits in a row. */
const mayQuoteIdentity = (message: string): boolean => /["'`]|\bgot\b|\d{3,}/u.test(message)

/**
 * The issues of a request that does not decode, each with its path under `slot` and its message — except that a
 * message that may quote its value is replaced where the path holds an identity value (as `identity` says: the
 * transports know where identities travel; any quotation mark, "got" or three digits in a row) or personal input
 * (`Input.reasonFor`: a birth date, an exact age).
 */
export const issuesOf = (
  slot: string,
  issue: SchemaIssue.Issue,
  identity: (path: ReadonlyArray<string | number>) => boolean
): Array<Issue> =>
  formatter(issue).issues.map((found) => {
    const path = [slot, ...(found.path ?? []).map(segment)]
    const message = identity(path)
      ? mayQuoteIdentity(found.message)
        ? hiddenIdentity
        : found.message
      : Input.reasonFor(path, found.message)
    return { path, message }
  })

/** 400: the request does not decode: malformed JSON, wrong types, missing or unknown fields. */
export class InvalidRequest extends HttpApiError.Problem<InvalidRequest>()(
  "InvalidRequest",
  { type: "urn:lindung:problem:invalid-request", status: 400, title: "Invalid request" },
  { errors: Schema.Array(Issue) }
) {}

/** 401: no bearer token, a bad signature, an expired token, or claims that do not describe an actor. */
export class Unauthorized extends HttpApiError.Problem<Unauthorized>()("Unauthorized", {
  type: "urn:lindung:problem:unauthorized",
  status: 401,
  title: "Authentication required"
}) {}

/** 403: the actor's role, region, assignment or referral does not allow the action (SOP-07). */
export class Forbidden extends HttpApiError.Problem<Forbidden>()(
  "Forbidden",
  { type: "urn:lindung:problem:forbidden", status: 403, title: "Not allowed (SOP-07)" },
  { rule: Schema.Literal("SOP-07"), action: Schema.String, basis: Schema.Array(Basis.Basis) }
) {}

/** 404: no such case. */
export class CaseNotFound extends HttpApiError.Problem<CaseNotFound>()(
  "CaseNotFound",
  { type: "urn:lindung:problem:case-not-found", status: 404, title: "Case not found" },
  { caseId: Schema.String }
) {}

/** 404: something other than a case does not exist (an identity that was never stored, a Dinas). */
export class NotFound extends HttpApiError.Problem<NotFound>()(
  "NotFound",
  { type: "urn:lindung:problem:not-found", status: 404, title: "Not found" },
  { what: Schema.String, id: Schema.String }
) {}

/** 404: a report names a subject that does not exist or that the actor cannot reach (one answer for both). */
export class SubjectNotFound extends HttpApiError.Problem<SubjectNotFound>()(
  "SubjectNotFound",
  { type: "urn:lindung:problem:subject-not-found", status: 404, title: "Subject not found" },
  { subject: Schema.String }
) {}

/** 429: too many failed authentications from this client address; retry after `retryAfterSeconds`. */
export class TooManyRequests extends HttpApiError.Problem<TooManyRequests>()(
  "TooManyRequests",
  { type: "urn:lindung:problem:too-many-requests", status: 429, title: "Too many failed authentications" },
  { retryAfterSeconds: Schema.Int }
) {}

/** 409: the case is not at the version the request expected: another writer came first. */
export class VersionConflict extends HttpApiError.Problem<VersionConflict>()(
  "VersionConflict",
  { type: "urn:lindung:problem:version-conflict", status: 409, title: "Version conflict" },
  { caseId: Schema.String, expectedVersion: Schema.Int, currentVersion: Schema.Int }
) {}

/** 409: a report for a case id that is already taken. */
export class CaseAlreadyExists extends HttpApiError.Problem<CaseAlreadyExists>()(
  "CaseAlreadyExists",
  { type: "urn:lindung:problem:case-already-exists", status: 409, title: "Case already exists" },
  { caseId: Schema.String }
) {}

/** 410: the subject's identity was erased (UU 27/2022); the case history remains. */
export class IdentityErased extends HttpApiError.Problem<IdentityErased>()(
  "IdentityErased",
  { type: "urn:lindung:problem:identity-erased", status: 410, title: "Identity erased" },
  { caseId: Schema.String }
) {}

/** 413: the body is larger than the server accepts. */
export class PayloadTooLarge extends HttpApiError.Problem<PayloadTooLarge>()(
  "PayloadTooLarge",
  { type: "urn:lindung:problem:payload-too-large", status: 413, title: "Payload too large" },
  { maxBytes: Schema.optionalKey(Schema.Int) }
) {}

/** 415: the body is not JSON. */
export class UnsupportedMediaType extends HttpApiError.Problem<UnsupportedMediaType>()(
  "UnsupportedMediaType",
  { type: "urn:lindung:problem:unsupported-media-type", status: 415, title: "Unsupported media type" },
  { supported: Schema.Array(Schema.String) }
) {}

/** 422: the SOP does not allow the command: `rule` names the rule, `basis` its legal or policy basis. */
export class SopViolation extends HttpApiError.Problem<SopViolation>()(
  "SopViolation",
  { type: "urn:lindung:problem:sop-violation", status: 422, title: "The SOP does not allow this command" },
  { rule: Schema.String, ruleTitle: Schema.String, basis: Schema.Array(Basis.Basis) }
) {}

/** 422: a value the decider refuses (e.g. a caseworker already assigned, an instant in the future). */
export class InvalidInput extends HttpApiError.Problem<InvalidInput>()(
  "InvalidInput",
  { type: "urn:lindung:problem:invalid-input", status: 422, title: "Invalid input" },
  { field: Schema.String, value: Schema.String, reason: Schema.String }
) {}

/** 422: the `Idempotency-Key` was already used for a different request. */
export class IdempotencyKeyReused extends HttpApiError.Problem<IdempotencyKeyReused>()(
  "IdempotencyKeyReused",
  { type: "urn:lindung:problem:idempotency-key-reused", status: 422, title: "Idempotency key reused" },
  { key: Schema.String }
) {}

/** 503: the store cannot be reached; `retryable` says whether a retry may help. */
export class StorageUnavailable extends HttpApiError.Problem<StorageUnavailable>()(
  "StorageUnavailable",
  { type: "urn:lindung:problem:storage-unavailable", status: 503, title: "Storage unavailable" },
  { retryable: Schema.Boolean }
) {}

/** 503: the keys that verify tokens (a JWKS URL) cannot be fetched. */
export class AuthenticationUnavailable extends HttpApiError.Problem<AuthenticationUnavailable>()(
  "AuthenticationUnavailable",
  { type: "urn:lindung:problem:authentication-unavailable", status: 503, title: "Authentication unavailable" }
) {}

/** 500: a stored record does not decode or a history does not replay; an operator must look at the store. */
export class CorruptedRecord extends HttpApiError.Problem<CorruptedRecord>()("CorruptedRecord", {
  type: "urn:lindung:problem:corrupted-record",
  status: 500,
  title: "Corrupted record"
}) {}

/** Problems of reading a case or the index. */
export const readErrors = [Forbidden, CaseNotFound, StorageUnavailable, CorruptedRecord] as const

/** Problems of executing a command. */
export const commandErrors = [
  Forbidden,
  CaseNotFound,
  CaseAlreadyExists,
  SopViolation,
  InvalidInput,
  VersionConflict,
  IdempotencyKeyReused,
  StorageUnavailable,
  CorruptedRecord
] as const

/** Every domain problem {@link fromDomain} can return. */
export type DomainProblem =
  | Forbidden
  | CaseNotFound
  | SubjectNotFound
  | CaseAlreadyExists
  | SopViolation
  | InvalidInput
  | VersionConflict
  | IdempotencyKeyReused
  | NotFound
  | IdentityErased
  | StorageUnavailable
  | CorruptedRecord

/** The domain errors {@link fromDomain} maps. */
export type DomainError =
  | CaseService.ExecuteError
  // A subject claimed twice is answered by the case service itself (see `CaseService.ExecuteError`).
  | Exclude<StorageError.StorageError, StorageError.SubjectHeld>
  | SopError.SopError
  | Input.InvalidInput
  | CaseService.SubjectNotFound
  | CaseService.AgencyNotFound

/** The problem type of a domain error type. */
export type ProblemOf<E> = E extends { readonly _tag: "Forbidden" }
  ? Forbidden
  : E extends { readonly _tag: "CaseNotFound" }
    ? CaseNotFound
    : E extends { readonly _tag: "CaseAlreadyExists" }
      ? CaseAlreadyExists
      : E extends { readonly _tag: "SopViolation" }
        ? SopViolation
        : E extends { readonly _tag: "InvalidInput" }
          ? InvalidInput
          : E extends { readonly _tag: "VersionConflict" }
            ? VersionConflict
            : E extends { readonly _tag: "IdempotencyKeyReused" }
              ? IdempotencyKeyReused
              : E extends { readonly _tag: "NotFound" }
                ? CaseNotFound | NotFound
                : E extends { readonly _tag: "IdentityErased" }
                  ? IdentityErased
                  : E extends { readonly _tag: "StorageUnavailable" }
                    ? StorageUnavailable
                    : E extends { readonly _tag: "CorruptedRecord" }
                      ? CorruptedRecord
                      : E extends { readonly _tag: "SubjectNotFound" }
                        ? SubjectNotFound
                        : E extends { readonly _tag: "AgencyNotFound" }
                          ? NotFound
                          : never

/**
 * The problem of a domain error. `caseId` is the case the request was about; it names the case of a
 * `NotFound`/`IdentityErased` from the identity vault (whose own ids are subject ids, never shown).
 */
export const fromDomain = <E extends DomainError>(error: E, caseId?: string): ProblemOf<E> =>
  toProblem(error, caseId) as ProblemOf<E>

const toProblem = (error: DomainError, caseId?: string): DomainProblem => {
  switch (error._tag) {
    case "Forbidden":
      return new Forbidden({ rule: "SOP-07", action: error.action, detail: error.detail, basis: error.basis })
    case "CaseNotFound":
      return new CaseNotFound({ caseId: error.caseId, detail: `Case ${error.caseId} does not exist` })
    case "CaseAlreadyExists":
      return new CaseAlreadyExists({ caseId: error.caseId, detail: `Case ${error.caseId} already exists` })
    case "SopViolation":
      return new SopViolation({ rule: error.rule, ruleTitle: error.title, basis: error.basis, detail: error.detail })
    case "InvalidInput":
      return new InvalidInput({ field: error.field, value: error.value, reason: error.reason, detail: error.message })
    case "VersionConflict":
      return new VersionConflict({
        caseId: error.caseId,
        expectedVersion: error.expectedVersion,
        currentVersion: error.actualVersion,
        detail: `Case ${error.caseId} is at version ${error.actualVersion}, not ${error.expectedVersion}: reload it and decide again`
      })
    case "IdempotencyKeyReused":
      return new IdempotencyKeyReused({
        key: error.key,
        detail: "This Idempotency-Key was already used for a different request: use a new key for a new request"
      })
    case "NotFound":
      return error.what === "case"
        ? new CaseNotFound({ caseId: error.id, detail: `Case ${error.id} does not exist` })
        : new NotFound({
            what: error.what,
            id: caseId ?? "",
            detail: error.what === "identity" ? `No identity is stored for case ${caseId ?? ""}` : `No ${error.what}`
          })
    case "IdentityErased":
      return new IdentityErased({
        caseId: caseId ?? "",
        detail: "The identity was erased (UU 27/2022); the case history remains"
      })
    case "StorageUnavailable":
      return new StorageUnavailable({
        retryable: error.retryable,
        detail: error.retryable ? "The store is unavailable; retry later" : "The store is unavailable"
      })
    case "CorruptedRecord":
      return new CorruptedRecord({ detail: `A stored record does not decode (${error.location})` })
    case "SubjectNotFound":
      return new SubjectNotFound({
        subject: error.subject,
        detail: `Subject ${error.subject} not found: leave the subject out to register a new one`
      })
    case "AgencyNotFound":
      return new NotFound({ what: "agency", id: error.agency, detail: `No agency ${error.agency} is configured` })
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Problems in Bahasa Indonesia
// ---------------------------------------------------------------------------------------------------------------

/** The title of every Lindung problem type in Bahasa Indonesia (the English title is its class's). */
export const titlesId: Readonly<Record<string, string>> = {
  [`${TYPE_PREFIX}invalid-request`]: "Permintaan tidak sah",
  [`${TYPE_PREFIX}unauthorized`]: "Autentikasi diperlukan",
  [`${TYPE_PREFIX}forbidden`]: "Tidak diizinkan (SOP-07)",
  [`${TYPE_PREFIX}case-not-found`]: "Kasus tidak ditemukan",
  [`${TYPE_PREFIX}not-found`]: "Tidak ditemukan",
  [`${TYPE_PREFIX}subject-not-found`]: "Subjek tidak ditemukan",
  [`${TYPE_PREFIX}too-many-requests`]: "Terlalu banyak autentikasi yang gagal",
  [`${TYPE_PREFIX}version-conflict`]: "Konflik versi",
  [`${TYPE_PREFIX}case-already-exists`]: "Kasus sudah ada",
  [`${TYPE_PREFIX}identity-erased`]: "Identitas telah dihapus",
  [`${TYPE_PREFIX}payload-too-large`]: "Isi permintaan terlalu besar",
  [`${TYPE_PREFIX}unsupported-media-type`]: "Jenis media tidak didukung",
  [`${TYPE_PREFIX}sop-violation`]: "SOP tidak mengizinkan perintah ini",
  [`${TYPE_PREFIX}invalid-input`]: "Masukan tidak sah",
  [`${TYPE_PREFIX}idempotency-key-reused`]: "Idempotency-Key dipakai ulang",
  [`${TYPE_PREFIX}storage-unavailable`]: "Penyimpanan tidak tersedia",
  [`${TYPE_PREFIX}authentication-unavailable`]: "Autentikasi tidak tersedia",
  [`${TYPE_PREFIX}corrupted-record`]: "Catatan rusak"
}

/** Titles of the generic (`about:blank`) problems by status, in Bahasa Indonesia. */
const blankTitlesId: Readonly<Record<number, string>> = {
  400: "Permintaan tidak sah",
  404: "Tidak ditemukan",
  405: "Metode tidak diizinkan",
  500: "Kesalahan server internal"
}

/** The Indonesian title of a problem of this type and status, if there is one (`about:blank` ones by status). */
export const titleId = (type: string, status: number): string | undefined =>
  titlesId[type] ?? (type === "about:blank" ? blankTitlesId[status] : undefined)

/** The Indonesian statement of every rule of the register, by rule id. */
const ruleTitlesId: ReadonlyMap<string, string> = new Map(
  RuleRegister.entries.map((entry) => [entry.id, entry.title.id])
)

const text = (value: unknown): string => (typeof value === "string" ? value : "")

/** The English detail kept after an Indonesian sentence, where the core says more than the fields do. */
const withDetail = (sentence: string, detail: unknown): string =>
  typeof detail === "string" && detail !== "" ? `${sentence}. Rincian (bahasa Inggris): ${detail}` : sentence

/** The detail of a problem in Bahasa Indonesia, from its fields; `undefined` keeps the English one. */
const detailId = (body: Readonly<Record<string, unknown>>): string | undefined => {
  const detail = body.detail
  const type = text(body.type)
  switch (type.startsWith(TYPE_PREFIX) ? type.slice(TYPE_PREFIX.length) : "") {
    case "invalid-request": {
      const errors = Array.isArray(body.errors) ? body.errors.length : 0
      return withDetail(
        errors === 0
          ? "Isi permintaan tidak dapat dibaca"
          : `Permintaan tidak sah: ${errors} masalah, lihat \`errors\` (pesannya dalam bahasa Inggris)`,
        detail
      )
    }
    case "unauthorized":
      return withDetail("Kirim token bearer yang sah: `Authorization: Bearer <token>`", detail)
    case "forbidden":
      return withDetail(`Anda tidak diizinkan melakukan tindakan \`${text(body.action)}\` (SOP-07)`, detail)
    case "case-not-found":
      return `Kasus ${text(body.caseId)} tidak ada`
    case "case-already-exists":
      return `Kasus ${text(body.caseId)} sudah ada`
    case "not-found":
      if (body.what === "identity") return `Tidak ada identitas yang tersimpan untuk kasus ${text(body.id)}`
      if (body.what === "agency") return `Lembaga ${text(body.id)} tidak dikonfigurasi`
      return `Tidak ditemukan: ${text(body.what)}`
    case "subject-not-found":
      return `Subjek ${text(body.subject)} tidak ditemukan: kosongkan subjek untuk mendaftarkan subjek baru`
    case "too-many-requests":
      return `Terlalu banyak autentikasi gagal dari alamat ini: coba lagi setelah ${String(body.retryAfterSeconds)} detik`
    case "version-conflict":
      return `Kasus ${text(body.caseId)} berada pada versi ${String(body.currentVersion)}, bukan ${String(body.expectedVersion)}: muat ulang kasusnya lalu putuskan lagi`
    case "identity-erased":
      return "Identitas telah dihapus (UU 27/2022); riwayat kasus tetap ada"
    case "payload-too-large":
      return typeof body.maxBytes === "number"
        ? `Isi permintaan melebihi batas ${body.maxBytes} bita`
        : "Isi permintaan terlalu besar"
    case "unsupported-media-type":
      return `Isi permintaan harus berjenis ${Array.isArray(body.supported) ? body.supported.join(", ") : "application/json"}`
    case "sop-violation": {
      const rule = text(body.rule)
      return withDetail(`${rule}: ${ruleTitlesId.get(rule) ?? text(body.ruleTitle)}`, detail)
    }
    case "invalid-input":
      return withDetail(`Nilai \`${text(body.field)}\` tidak sah`, detail)
    case "idempotency-key-reused":
      return "Idempotency-Key ini sudah dipakai untuk permintaan lain: gunakan kunci baru untuk permintaan baru"
    case "storage-unavailable":
      return body.retryable === true ? "Penyimpanan tidak tersedia; coba lagi nanti" : "Penyimpanan tidak tersedia"
    case "authentication-unavailable":
      return "Kunci untuk memeriksa token tidak dapat diambil; coba lagi nanti"
    case "corrupted-record":
      return withDetail("Catatan yang tersimpan tidak dapat dibaca; operator perlu memeriksa penyimpanan", detail)
  }
  if (body.type === "about:blank") {
    if (body.status === 404) return withDetail("Endpoint ini tidak ada; lihat /openapi.json", detail)
    if (body.status === 500) return "Terjadi kesalahan tak terduga; log server mencatatnya"
    if (body.status === 400) return "Permintaan tidak dapat dibaca"
  }
  return undefined
}

/**
 * A problem body (its JSON: `type`, `title`, `status`, `detail` and its own fields) in the given language: in
 * Bahasa Indonesia the title, the detail and an SOP violation's `ruleTitle` are Indonesian, composed from the
 * problem's fields; where the core's reason has no Indonesian text yet (a guard's or an access rule's own
 * explanation, a schema issue), the English reason follows the Indonesian sentence. Codes and fields never change.
 * English returns the body as it is.
 *
 * @example
 * ```ts
 * Problem.localize({ type: "urn:lindung:problem:case-not-found", status: 404, title: "Case not found",
 *   caseId: "case-1", detail: "Case case-1 does not exist" }, "id")
 * // { …, title: "Kasus tidak ditemukan", detail: "Kasus case-1 tidak ada" }
 * ```
 */
export const localize = (
  body: Readonly<Record<string, unknown>>,
  language: Language.Language
): Readonly<Record<string, unknown>> => {
  if (language === "en") return body
  const title = titleId(text(body.type), Number(body.status))
  const detail = detailId(body)
  const rule = text(body.rule)
  return {
    ...body,
    ...(title === undefined ? {} : { title }),
    ...(detail === undefined ? {} : { detail }),
    ...(body.type === `${TYPE_PREFIX}sop-violation` && ruleTitlesId.has(rule)
      ? { ruleTitle: ruleTitlesId.get(rule) }
      : {})
  }
}
