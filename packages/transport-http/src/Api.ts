/**
 * The HTTP API of Lindung as one `effect/http-api` definition, shared by the server (`Server`), the typed client
 * (`Client`) and the OpenAPI 3.1 document (`/openapi.json`), so the three cannot drift.
 *
 * Groups:
 * - `cases`: register a report (with the subject's identity, kept in the identity vault), send any SOP command,
 *   read a case as `Access.view` allows, read its history (auditors and the owning agency's workers).
 * - `worklists`: work lists and dashboard counts from the case index, limited to what the actor may read.
 * - `identities`: read, replace and erase the subject's identity, for the roles `Access` allows.
 * - `reference`: AMPK, PPKS, ATENSI, SPPA roles, Dinas types and regions, in Indonesian and English (no token).
 * - `sop`: the SOP as JSON and as a Mermaid diagram (no token).
 * - `dinas`: the workload of a Dinas: type, active cases per caseworker, capacity.
 * - `health`: liveness and readiness (no token).
 *
 * Every error is an RFC 9457 problem (`Problem`); bodies are JSON and unknown fields are rejected.
 *
 * @example
 * ```ts
 * import { Api } from "@lindung/transport-http"
 * import { OpenApi } from "effect/http-api"
 *
 * const spec = OpenApi.fromApi(Api.Api) // OpenAPI 3.1
 * ```
 *
 * @since 0.1.0
 */
import {
  Actor,
  Agency,
  Ampk,
  Atensi,
  Basis,
  CaseCommand,
  CaseEvent,
  CaseIndex,
  CaseModel,
  Classification,
  CaseView as CoreCaseView,
  DinasType,
  IdentityVault,
  Ppks,
  Region,
  Risk,
  Sop,
  SopTable,
  Sppa,
  Subject
} from "@lindung/core"
import { Regions } from "@lindung/regions"
import { Bodies } from "@lindung/wire"
import { Schema } from "effect"
import { HttpApi, HttpApiEndpoint, HttpApiGroup, HttpApiMiddleware, HttpApiSchema, OpenApi } from "effect/http-api"
import * as Auth from "./Auth.js"
import * as Problem from "./Problem.js"

const { CommandResult, IdempotencyKey, IfMatch, RegisterRequest } = Bodies

const _Instant = Schema.DateTimeUtcFromString

// ---------------------------------------------------------------------------------------------------------------
// Request-level problems
// ---------------------------------------------------------------------------------------------------------------

/**
 * The API-level middleware that turns request decoding failures into problems: 400 with the list of what is
 * wrong, 413 for an oversized body, 415 for a body that is not JSON. Its implementation lives in `Server`.
 */
export class RequestProblems extends HttpApiMiddleware.Service<RequestProblems>()(
  "@lindung/transport-http/RequestProblems",
  { error: [Problem.InvalidRequest, Problem.PayloadTooLarge, Problem.UnsupportedMediaType] }
) {}

// ---------------------------------------------------------------------------------------------------------------
// Headers
// ---------------------------------------------------------------------------------------------------------------

export {
  CommandResult,
  IdempotencyKey,
  IfMatch,
  MAX_IDEMPOTENCY_KEY,
  RegisterRequest,
  versionOfIfMatch
} from "@lindung/wire/Bodies"

const commandHeaders = {
  "idempotency-key": Schema.optionalKey(IdempotencyKey),
  "if-match": Schema.optionalKey(IfMatch)
}

// ---------------------------------------------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------------------------------------------

/** A case as `Access.view` shows it to the actor: core's `CaseView.View` (sections the actor may not see are absent). */
export const CaseView = CoreCaseView.View

/** See {@link CaseView}. */
export type CaseView = typeof CaseView.Type

/** A case's history: its events in version order. */
export const History = Schema.Struct({
  caseId: CaseModel.CaseId,
  events: Schema.Array(CaseEvent.Envelope)
}).annotate({ identifier: "CaseHistory" })

/** See {@link History}. */
export type History = typeof History.Type

const caseIdParam = { caseId: CaseModel.CaseId }

/** Registering, commanding and reading cases. */
export class CasesGroup extends HttpApiGroup.make("cases")
  .annotateMerge(OpenApi.annotations({ description: "Registering reports, sending commands and reading cases" }))
  .add(
    HttpApiEndpoint.post("register", "/cases", {
      headers: { "idempotency-key": Schema.optionalKey(IdempotencyKey) },
      payload: RegisterRequest,
      success: CommandResult.pipe(HttpApiSchema.status(201)),
      error: [...Problem.commandErrors, Problem.SubjectNotFound, Problem.NotFound, Problem.IdentityErased]
    }).annotateMerge(
      OpenApi.annotations({
        summary: "Register a report",
        description:
          "Registers a report (the RegisterReport command) into the actor's agency and, when `identity` is given, " +
          "stores the subject's identity in the identity vault. `Idempotency-Key` makes retries safe."
      })
    ),
    HttpApiEndpoint.post("command", "/cases/:caseId/commands", {
      params: caseIdParam,
      headers: commandHeaders,
      payload: CaseCommand.Command,
      success: CommandResult,
      error: [...Problem.commandErrors, Problem.InvalidRequest]
    }).annotateMerge(
      OpenApi.annotations({
        summary: "Send a command",
        description:
          "Sends any SOP command (its `_tag` names it; `caseId` must match the path). `Idempotency-Key` makes " +
          "retries safe; `If-Match` with the case version makes a stale decision fail with 409."
      })
    ),
    HttpApiEndpoint.get("get", "/cases/:caseId", {
      params: caseIdParam,
      success: CaseView,
      error: [...Problem.readErrors]
    }).annotateMerge(OpenApi.annotations({ summary: "Read a case as the actor may see it" })),
    HttpApiEndpoint.get("history", "/cases/:caseId/history", {
      params: caseIdParam,
      success: History,
      error: [...Problem.readErrors]
    }).annotateMerge(
      OpenApi.annotations({ summary: "Read a case's history (auditors; the owning agency's workers and leads)" })
    )
  )
  .middleware(Auth.Authentication) {}

// ---------------------------------------------------------------------------------------------------------------
// Work lists and counts
// ---------------------------------------------------------------------------------------------------------------

const listOf = <S extends Schema.Top>(schema: S) => Schema.optionalKey(Schema.Array(schema))

const filterQuery = {
  /** Cases inside this region code (`ID`: every region the actor may read). */
  region: Schema.optionalKey(Agency.Scope),
  stage: listOf(Sop.Stage),
  risk: listOf(Risk.Level),
  /** `true`: only the cases whose next deadline has passed (leave out for every case). */
  overdue: Schema.optionalKey(Schema.Literal("true")),
  assignee: Schema.optionalKey(Actor.ActorId),
  owner: Schema.optionalKey(Agency.AgencyId),
  ampk: Schema.optionalKey(Ampk.AmpkCode),
  ppks: Schema.optionalKey(Schema.NumberFromString.pipe(Schema.decodeTo(Ppks.PpksCode))),
  sppaRole: Schema.optionalKey(Sppa.AbhRole),
  concern: Schema.optionalKey(Classification.ConcernCode)
}

/** The default page size of a work list. */
export const DEFAULT_PAGE = 50

/** A page of the work list. */
export const WorkList = Schema.Struct({
  entries: Schema.Array(CaseIndex.ShownEntry),
  /** Pass as `after` to read the next page; absent on the last page. */
  next: Schema.optionalKey(Schema.String),
  /** The region the list was limited to (the actor's region unless the actor is national). */
  region: Agency.Scope,
  /** The agency whose cases the list was limited to, for actors who read only their own agency's cases. */
  owner: Schema.optionalKey(Agency.AgencyId)
}).annotate({ identifier: "WorkList" })

/** See {@link WorkList}. */
export type WorkList = typeof WorkList.Type

/** Grouped counts for dashboards. */
export const Counts = Schema.Struct({
  rows: Schema.Array(
    Schema.Struct({ key: Schema.Record(Schema.String, Schema.String), count: Schema.Int }).annotate({
      identifier: "CountRow"
    })
  ),
  region: Agency.Scope,
  owner: Schema.optionalKey(Agency.AgencyId)
}).annotate({ identifier: "Counts" })

/** See {@link Counts}. */
export type Counts = typeof Counts.Type

/** Work lists and dashboard counts. */
export class WorklistsGroup extends HttpApiGroup.make("worklists")
  .annotateMerge(OpenApi.annotations({ description: "Work lists and dashboard counts within what the actor may read" }))
  .add(
    HttpApiEndpoint.get("counts", "/cases/counts", {
      query: {
        ...filterQuery,
        by: Schema.Array(CaseIndex.Dimension).check(
          Schema.isMinLength(1),
          Schema.isMaxLength(CaseIndex.Dimension.literals.length),
          Schema.isUnique({ description: "each dimension at most once" })
        ),
        regionDepth: Schema.optionalKey(Schema.NumberFromString.pipe(Schema.decodeTo(Schema.Literals([1, 2, 3, 4]))))
      },
      success: Counts,
      error: [...Problem.readErrors, Problem.InvalidInput]
    }).annotateMerge(
      OpenApi.annotations({
        summary: "Dashboard counts",
        description:
          "Counts cases grouped by the `by` dimensions (repeat `by`), over the same filters as the work list. " +
          "Multi-valued dimensions (ampk, ppks, concern) count a case once per value."
      })
    ),
    HttpApiEndpoint.get("list", "/cases", {
      query: {
        ...filterQuery,
        limit: Schema.optionalKey(
          Schema.NumberFromString.pipe(
            Schema.decodeTo(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: CaseIndex.MAX_PAGE })))
          )
        ),
        after: Schema.optionalKey(Schema.String.check(Schema.isMaxLength(200)))
      },
      success: WorkList,
      error: [...Problem.readErrors, Problem.InvalidInput]
    }).annotateMerge(
      OpenApi.annotations({
        summary: "Work list",
        description:
          "Cases from the case index in case-id order with cursor pagination (`after` = the previous page's " +
          "`next`). Auditors and the supervisors and heads of a social-affairs agency list the cases of their " +
          "region (the requested region within it); other staff list their own agency's cases; `owner` = the " +
          "actor's agency lists that agency's cases wherever they are."
      })
    )
  )
  .middleware(Auth.Authentication) {}

// ---------------------------------------------------------------------------------------------------------------
// Identities
// ---------------------------------------------------------------------------------------------------------------

/** The subject's identity as plain values (only in responses to actors who may read it). */
export const IdentityView = Schema.Struct({
  caseId: CaseModel.CaseId,
  subject: Subject.SubjectId,
  identity: Subject.IdentityFromValues
}).annotate({ identifier: "IdentityView", description: "The identity of a case's subject" })

/** See {@link IdentityView}. */
export type IdentityView = typeof IdentityView.Type

const identityErrors = [...Problem.readErrors, Problem.NotFound, Problem.IdentityErased] as const

/** Why the identity is read or changed: an `IdentityVault.DeclaredPurpose`, recorded in the access trail. */
const purposeQuery = { purpose: IdentityVault.DeclaredPurpose }
const optionalPurposeQuery = { purpose: Schema.optionalKey(IdentityVault.DeclaredPurpose) }

/** A search for a child who may already have a case: a NIK, and why. */
export const SubjectSearchRequest = Schema.Struct({
  nik: Schema.String.check(Schema.isPattern(/^\d{16}$/u, { message: "a NIK has exactly 16 digits" })),
  purpose: Schema.optionalKey(IdentityVault.DeclaredPurpose)
}).annotate({ identifier: "SubjectSearchRequest", description: "A NIK to look for, and why" })

/** The cases a search found (ids only, never an identity), and whether it stopped at its limit. */
export const SubjectSearch = Schema.Struct({
  matches: Schema.Array(Schema.Struct({ caseId: CaseModel.CaseId, subject: Subject.SubjectId })),
  truncated: Schema.Boolean
}).annotate({
  identifier: "SubjectSearch",
  description: "Cases whose subject has the NIK, among the cases of the actor's own agency (a caseworker's: assigned)"
})

/** Reading, replacing and erasing a subject's identity; searching for a child by NIK. */
export class IdentitiesGroup extends HttpApiGroup.make("identities")
  .annotateMerge(
    OpenApi.annotations({
      description:
        "A child's identity: read, replaced, erased or searched by NIK, each with a declared purpose on the access trail"
    })
  )
  .add(
    HttpApiEndpoint.post("search", "/subjects/search", {
      payload: SubjectSearchRequest,
      success: SubjectSearch,
      error: [Problem.Forbidden, Problem.StorageUnavailable, Problem.CorruptedRecord, Problem.InvalidInput]
    }).annotateMerge(
      OpenApi.annotations({
        summary: "Find the cases of a child by NIK (among the actor's own agency's cases)",
        description:
          "Looks only at the cases of the actor's own agency whose identity it may read (a caseworker's: the cases " +
          "it is assigned to), never at cases shared with it by a referral; answers their case and subject ids, " +
          "never an identity. Each match is recorded on the " +
          "identity access trail with the purpose (default duplicate-check). The NIK travels in the body, never " +
          "in the URL."
      })
    )
  )
  .add(
    HttpApiEndpoint.get("get", "/cases/:caseId/identity", {
      params: caseIdParam,
      query: purposeQuery,
      success: IdentityView,
      error: identityErrors
    }).annotateMerge(
      OpenApi.annotations({
        summary: "Read the subject's identity (read-identity)",
        description:
          "`purpose` (required) says why; every read is recorded in the identity access trail (who, which case, " +
          "why, when), which holds no identity."
      })
    ),
    HttpApiEndpoint.put("put", "/cases/:caseId/identity", {
      params: caseIdParam,
      query: optionalPurposeQuery,
      payload: Subject.IdentityFromValues,
      success: HttpApiSchema.NoContent,
      error: identityErrors
    }).annotateMerge(
      OpenApi.annotations({
        summary: "Store or replace the subject's identity (the owning agency's assigned workers and leads)",
        description:
          "The identity belongs to every case that holds the subject: the actor must be allowed to replace it on " +
          "each of them. `purpose` defaults to identity-correction."
      })
    ),
    HttpApiEndpoint.delete("erase", "/cases/:caseId/identity", {
      params: caseIdParam,
      query: optionalPurposeQuery,
      success: HttpApiSchema.NoContent,
      error: identityErrors
    }).annotateMerge(
      OpenApi.annotations({
        summary: "Erase the subject's identity (UU 27/2022; a supervisor or head of the owning agency)",
        description:
          "The identity becomes unrecoverable; the cases and their history remain. The actor must be allowed to " +
          "erase it on every case that holds the subject. Erasing twice succeeds. `purpose` defaults to " +
          "data-subject-request."
      })
    )
  )
  .middleware(Auth.Authentication) {}

// ---------------------------------------------------------------------------------------------------------------
// Reference data
// ---------------------------------------------------------------------------------------------------------------

/** The ATENSI reference: service components, settings and clusters. */
export const AtensiReference = Schema.Struct({
  components: Schema.Array(Atensi.Component),
  settings: Schema.Array(Atensi.Setting),
  clusters: Schema.Array(Atensi.Cluster)
}).annotate({ identifier: "AtensiReference" })

/** A Dinas Sosial type with its label, workload and basis. */
export const DinasTypeEntry = Schema.Struct({
  code: DinasType.DinasType,
  label: Basis.Label,
  workload: Basis.Label,
  basis: Basis.Basis
}).annotate({ identifier: "DinasTypeEntry" })

/** Regions found, with the data's attribution (ODbL). */
export const RegionList = Schema.Struct({
  entries: Schema.Array(Regions.Entry),
  attribution: Schema.String
}).annotate({ identifier: "RegionList" })

/** See {@link RegionList}. */
export type RegionList = typeof RegionList.Type

/** Reference data, in Indonesian (`id`) and English (`en`), with the legal basis of each entry. No token needed. */
export class ReferenceGroup extends HttpApiGroup.make("reference")
  .annotateMerge(
    OpenApi.annotations({
      description: "Reference data in Indonesian and English with its legal basis (no token needed)"
    })
  )
  .add(
    HttpApiEndpoint.get("ampk", "/reference/ampk", { success: Schema.Array(Ampk.Category) }).annotateMerge(
      OpenApi.annotations({ summary: "The 15 AMPK categories (UU 35/2014 Pasal 59)" })
    ),
    HttpApiEndpoint.get("ppks", "/reference/ppks", { success: Schema.Array(Ppks.Category) }).annotateMerge(
      OpenApi.annotations({ summary: "The 26 PPKS categories (Permensos 8/2012)" })
    ),
    HttpApiEndpoint.get("atensi", "/reference/atensi", { success: AtensiReference }).annotateMerge(
      OpenApi.annotations({ summary: "The ATENSI service components and settings" })
    ),
    HttpApiEndpoint.get("sppaRoles", "/reference/sppa-roles", { success: Schema.Array(Sppa.Role) }).annotateMerge(
      OpenApi.annotations({ summary: "The roles of a child in the juvenile justice system (UU 11/2012 SPPA)" })
    ),
    HttpApiEndpoint.get("dinasTypes", "/reference/dinas-types", {
      success: Schema.Array(DinasTypeEntry)
    }).annotateMerge(OpenApi.annotations({ summary: "The Dinas Sosial types A, B and C and their structures" })),
    HttpApiEndpoint.get("regions", "/reference/regions", {
      query: {
        /** A name to search (e.g. `Kota Padang`). */
        q: Schema.optionalKey(Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(100))),
        /** The regions directly below this code. */
        parent: Schema.optionalKey(Region.RegionCode),
        level: Schema.optionalKey(Region.Level),
        limit: Schema.optionalKey(
          Schema.NumberFromString.pipe(
            Schema.decodeTo(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 500 })))
          )
        )
      },
      success: RegionList,
      error: [Problem.StorageUnavailable]
    }).annotateMerge(
      OpenApi.annotations({
        summary: "Regions (Kemendagri codes)",
        description: "Search by name (`q`), list the regions below `parent`, or list the provinsi."
      })
    )
  ) {}

// ---------------------------------------------------------------------------------------------------------------
// SOP
// ---------------------------------------------------------------------------------------------------------------

/**
 * The SOP as JSON: stages, transitions, every command's row (stages, guards, events) and every rule with its
 * basis — core's own schema (`SopTable.Description`).
 */
export const SopDescription = SopTable.Description

/** The SOP. No token needed. */
export class SopGroup extends HttpApiGroup.make("sop")
  .annotateMerge(
    OpenApi.annotations({
      description: "The standard operating procedure as JSON and as a Mermaid diagram (no token needed)"
    })
  )
  .add(
    HttpApiEndpoint.get("json", "/sop", { success: SopDescription }).annotateMerge(
      OpenApi.annotations({ summary: "The SOP: stages, transitions, commands and rules with their basis" })
    ),
    HttpApiEndpoint.get("mermaid", "/sop.mmd", {
      success: Schema.String.pipe(HttpApiSchema.asText({ contentType: "text/vnd.mermaid" }))
    }).annotateMerge(OpenApi.annotations({ summary: "The SOP as a Mermaid state diagram" }))
  ) {}

// ---------------------------------------------------------------------------------------------------------------
// Dinas workload
// ---------------------------------------------------------------------------------------------------------------

/** The workload of a Dinas: its type, active cases, and caseload against capacity (CASELOAD-MAX). */
export const Workload = Schema.Struct({
  agency: Agency.Agency,
  type: Schema.optionalKey(DinasTypeEntry),
  /** Cases the agency owns that are not closed (from the case index). */
  activeCases: Schema.Int,
  /** Caseworkers counted (query parameter, else the server's configuration); absent when unknown. */
  caseworkers: Schema.optionalKey(Schema.Int),
  /** Absent when the number of caseworkers is unknown. */
  caseload: Schema.optionalKey(
    Schema.Struct({
      /** Active cases per caseworker; null when there is no caseworker but there are active cases. */
      ratio: Schema.NullOr(Schema.Finite),
      band: DinasType.CaseloadBand,
      maxPerCaseworker: Schema.Int,
      /** Caseworkers × the maximum per caseworker. */
      capacity: Schema.Int,
      overCapacity: Schema.Boolean,
      caseworkersNeeded: Schema.Int,
      caseworkersShort: Schema.Int
    })
  ),
  basis: Schema.Array(Basis.Basis)
}).annotate({ identifier: "DinasWorkload" })

/** See {@link Workload}. */
export type Workload = typeof Workload.Type

/** The workload of a Dinas. */
export class DinasGroup extends HttpApiGroup.make("dinas")
  .annotateMerge(OpenApi.annotations({ description: "The workload of a Dinas Sosial against its caseload capacity" }))
  .add(
    HttpApiEndpoint.get("workload", "/dinas/:agencyId/workload", {
      params: { agencyId: Agency.AgencyId },
      query: {
        caseworkers: Schema.optionalKey(
          Schema.NumberFromString.pipe(
            Schema.decodeTo(Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 100_000 })))
          )
        )
      },
      success: Workload,
      error: [
        Problem.Forbidden,
        Problem.NotFound,
        Problem.StorageUnavailable,
        Problem.CorruptedRecord,
        Problem.InvalidInput
      ]
    }).annotateMerge(
      OpenApi.annotations({
        summary: "Workload of a Dinas",
        description:
          "The Dinas type, its active cases (from the case index) and caseload against capacity " +
          "(DinasType.caseload, CASELOAD-MAX). Give `caseworkers`, or the server's configuration does."
      })
    )
  )
  .middleware(Auth.Authentication) {}

// ---------------------------------------------------------------------------------------------------------------
// Health
// ---------------------------------------------------------------------------------------------------------------

/** A health answer. */
export const Health = Schema.Struct({
  status: Schema.Literals(["ok", "ready"]),
  checks: Schema.optionalKey(Schema.Record(Schema.String, Schema.String))
}).annotate({ identifier: "Health" })

/** Liveness and readiness. No token needed. */
export class HealthGroup extends HttpApiGroup.make("health")
  .annotateMerge(OpenApi.annotations({ description: "Liveness and readiness probes (no token needed)" }))
  .add(
    HttpApiEndpoint.get("live", "/health/live", { success: Health }).annotateMerge(
      OpenApi.annotations({ summary: "Liveness: the process answers" })
    ),
    HttpApiEndpoint.get("ready", "/health/ready", { success: Health, error: Problem.StorageUnavailable }).annotateMerge(
      OpenApi.annotations({ summary: "Readiness: the store answers" })
    )
  ) {}

// ---------------------------------------------------------------------------------------------------------------
// The API
// ---------------------------------------------------------------------------------------------------------------

/** The bounds effect writes for any integer (the safe integers): no limit a reader needs, and odd examples. */
const SAFE_BOUND = Number.MAX_SAFE_INTEGER

/**
 * A problem's schema says the title it has in both languages: its English title, or the Indonesian one when the
 * request prefers Bahasa Indonesia (`Accept-Language: id`).
 */
const inBothLanguages = (schema: unknown): void => {
  const properties = (schema as { properties?: Record<string, { enum?: Array<unknown>; description?: string }> })
    ?.properties
  const type = properties?.type?.enum?.[0]
  const title = properties?.title
  const indonesian = typeof type === "string" ? Problem.titlesId[type] : undefined
  if (title?.enum === undefined || indonesian === undefined) return
  title.enum = [...title.enum, indonesian]
  title.description = "The title in English, or in Bahasa Indonesia when the request prefers it (Accept-Language: id)"
}

/**
 * The last touches of the OpenAPI document: the bearer scheme spelled as tools expect it (`bearer`, a JWT), no
 * safe-integer bounds on integers (tools took the minimum, -9007199254740991, as the example of a version), and the
 * titles of problems in both languages.
 */
const polish = (spec: Record<string, unknown>): Record<string, unknown> => {
  const unbound = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(unbound)
    if (typeof node !== "object" || node === null) return node
    const out: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(node)) {
      if ((key === "minimum" && value === -SAFE_BOUND) || (key === "maximum" && value === SAFE_BOUND)) continue
      out[key] = unbound(value)
    }
    return out
  }
  const polished = unbound(spec) as Record<string, unknown>
  const components = polished.components as { schemas?: Record<string, unknown> } | undefined
  for (const schema of Object.values(components?.schemas ?? {})) inBothLanguages(schema)
  polished.components = {
    ...(polished.components as Record<string, unknown> | undefined),
    securitySchemes: {
      bearer: {
        type: "http",
        scheme: "bearer",
        bearerFormat: "JWT",
        description: "A JWT from the deployment's identity provider (in development: `lindung token --person …`)"
      }
    }
  }
  return polished
}

/** The Lindung HTTP API. */
export class Api extends HttpApi.make("lindung")
  .add(CasesGroup)
  .add(WorklistsGroup)
  .add(IdentitiesGroup)
  .add(ReferenceGroup)
  .add(SopGroup)
  .add(DinasGroup)
  .add(HealthGroup)
  .middleware(RequestProblems)
  .annotate(HttpApi.PayloadParseOptions, { errors: "all", onExcessProperty: "error" })
  .annotate(HttpApi.QueryParseOptions, { errors: "all", onExcessProperty: "error" })
  .annotateMerge(
    OpenApi.annotations({
      title: "Lindung",
      version: "0.1.0",
      license: { name: "Apache-2.0", url: "https://www.apache.org/licenses/LICENSE-2.0" },
      servers: [{ url: "/", description: "The server that serves this document" }],
      transform: polish,
      description:
        "Case management for child protection and social rehabilitation (Indonesia). Authenticate with a bearer " +
        "JWT; errors are RFC 9457 problems (application/problem+json), whose title and detail are in Bahasa " +
        "Indonesia when the request prefers it (Accept-Language: id) and in English otherwise."
    })
  ) {}
