/**
 * The HTTP server of Lindung: the handlers of every endpoint of `Api`, the problem mapping, request ids and
 * structured request logs, the body limit, `/openapi.json` and the offline `/docs` page (effect's bundled Scalar).
 *
 * {@link layer} serves the API on any `HttpServer` and needs the storage ports (`EventStore`, `CaseIndex`,
 * `IdentityVault`, e.g. from `@lindung/storage-sql`'s `layerSqlite`); it builds the `CaseRepository` itself.
 * {@link layerNode} adds a Node HTTP server with graceful shutdown and JSON logs: what `lindung serve` runs.
 *
 * - Every command goes through `CaseRepository.execute`; its `Idempotency-Key` header is passed on (namespaced by
 *   the actor), so a retry returns the first result and writes nothing. `If-Match: <version>` makes a command
 *   decided on a stale version fail with 409 (two writers).
 * - Every read goes through `Access`: `view` for a case, `read-history` for its history, `read-identity` for the
 *   identity; work lists are limited to the actor's region unless the actor is national.
 * - Request logs (one JSON line per request: request id, method, path without the query, status, duration, actor
 *   id and role) never contain identity, bodies, query strings or tokens.
 *
 * @example
 * ```ts
 * import { NodeRuntime } from "@effect/platform-node"
 * import { Auth, Server } from "@lindung/transport-http"
 * import { layerSqlite } from "@lindung/storage-sql"
 * import { Layer } from "effect"
 *
 * const config: Server.Config = {
 *   agencies,                                       // Agency.Directory or a list of agencies
 *   auth: { issuer: "lindung-dev", audience: "lindung", keys: Auth.secret(secret) }
 * }
 * Server.layerNode(config, { port: 8080 }).pipe(
 *   Layer.provide(layerSqlite({ filename: "./lindung.db" })),
 *   Layer.launch,
 *   NodeRuntime.runMain
 * )
 * ```
 *
 * @since 0.1.0
 */
import { createServer, type Server as NodeServer } from "node:http"
import { NodeHttpServer } from "@effect/platform-node"
import {
  Access,
  type Actor,
  Agency,
  Ampk,
  Atensi,
  Case,
  type CaseCommand,
  CaseIndex,
  CaseRepository,
  Decider,
  DinasType,
  EventStore,
  IdentityVault,
  Ppks,
  Region,
  Sop,
  SopError,
  Sppa,
  StorageError
} from "@lindung/core"
import { Regions } from "@lindung/regions"
import {
  ByteSize,
  Cause,
  Context,
  DateTime,
  Effect,
  Exit,
  Layer,
  Logger,
  Redacted,
  Result,
  Schema,
  SchemaIssue
} from "effect"
import {
  HttpEffect,
  HttpRouter,
  HttpServer,
  HttpServerError,
  HttpServerRequest,
  HttpServerResponse,
  ProblemDetails
} from "effect/http"
import { HttpApiBuilder, HttpApiError, HttpApiScalar } from "effect/http-api"
import * as Api from "./Api.js"
import * as Auth from "./Auth.js"
import * as Problem from "./Problem.js"

// ---------------------------------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------------------------------

/** The default body limit: 256 KiB (a command is a few KiB; identities are bounded). */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024

/** How the server runs. */
export interface Config {
  /** The agencies the deployment knows (owners, referral and transfer recipients, facilities). */
  readonly agencies: Agency.Directory | Iterable<Agency.Agency>
  /** How bearer tokens are verified. */
  readonly auth: Auth.Config
  /** The largest request body, in bytes. Default {@link DEFAULT_MAX_BODY_BYTES}. */
  readonly maxBodyBytes?: number
  /** The decider's policies (deadlines, SPPA numbers…). Default `Decider.defaultPolicy`. */
  readonly policy?: Decider.Policy
  /** How many times a command is decided again after a version conflict. Default 5. */
  readonly maxAttempts?: number
  /** Caseworkers per agency id, for `GET /dinas/{agencyId}/workload` when the query does not say. */
  readonly caseworkers?: Readonly<Record<string, number>>
  /** The caseload policy (CASELOAD-MAX). Default `DinasType.defaultCaseloadPolicy`. */
  readonly caseloadPolicy?: DinasType.CaseloadPolicy
  /**
   * The region directory for `GET /reference/regions`. Default: loaded from `idn-area-data` on first use, without
   * desa/kelurahan (about 0.1 s and 3 MB); pass `Regions.load()` yourself for every level.
   */
  readonly regions?: Regions.Directory
  /** Serve the offline docs page (Scalar, bundled) at `/docs`. Default true. */
  readonly docs?: boolean
  /** Log one line per request. Default true. */
  readonly requestLog?: boolean
}

/** The server configuration is unusable. */
export class InvalidServerConfig extends Schema.TaggedError<InvalidServerConfig>()("InvalidServerConfig", {
  reason: Schema.String
}) {
  override get message(): string {
    return `Invalid server configuration: ${this.reason}`
  }
}

/** The storage ports the server needs. */
export type Storage = EventStore.EventStore | CaseIndex.CaseIndex | IdentityVault.IdentityVault

/** Why the server layer could not start. */
export type StartError = Auth.InvalidAuthConfig | InvalidServerConfig

const directoryOf = (agencies: Config["agencies"]): Agency.Directory =>
  agencies instanceof Map ? (agencies as Agency.Directory) : Agency.directory(agencies as Iterable<Agency.Agency>)

// ---------------------------------------------------------------------------------------------------------------
// Request context: request id and actor, for the request log
// ---------------------------------------------------------------------------------------------------------------

/** What the request log records about the current request; filled in by authentication. */
interface RequestInfo {
  actor?: string
  role?: string
}

/** The current request's log record, when the request log is on. */
const CurrentRequestInfo = Context.Reference<RequestInfo | undefined>("@lindung/transport-http/RequestInfo", {
  defaultValue: () => undefined
})

const REQUEST_ID = /^[\w.:-]{1,64}$/u

const pathOf = (url: string): string => {
  const index = url.search(/[?#]/u)
  return index === -1 ? url : url.slice(0, index)
}

/** The request log and request id middleware (serve-level): one line per request, `x-request-id` on the response. */
const requestLog =
  (enabled: boolean) =>
  <E, R>(app: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>) =>
    Effect.gen(function* () {
      const request = yield* HttpServerRequest.HttpServerRequest
      const incoming = request.headers["x-request-id"]
      const requestId = incoming !== undefined && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID()
      yield* HttpEffect.appendPreResponseHandler((_request, response) =>
        Effect.succeed(HttpServerResponse.setHeader(response, "x-request-id", requestId))
      )
      const info: RequestInfo = {}
      const started = performance.now()
      const exit = yield* app.pipe(
        Effect.provideService(CurrentRequestInfo, info),
        Effect.annotateLogs({ requestId }),
        Effect.exit
      )
      if (enabled) {
        const status = Exit.isSuccess(exit) ? exit.value.status : 500
        yield* Effect.logInfo("http request").pipe(
          Effect.annotateLogs({
            requestId,
            method: request.method,
            path: pathOf(request.url),
            status,
            durationMs: Math.round((performance.now() - started) * 10) / 10,
            ...(info.actor === undefined ? {} : { actor: info.actor, role: info.role })
          })
        )
      }
      return yield* exit
    })

// ---------------------------------------------------------------------------------------------------------------
// Problems outside the API (unknown routes, defects) and response headers
// ---------------------------------------------------------------------------------------------------------------

/** Quoted values are hidden in logged defect messages: a defect's message must not leak data into logs. */
const scrub = (text: string): string => text.replace(/"(?:[^"\\]|\\.)*"/gu, '"…"').slice(0, 500)

const describeDefect = (cause: Cause.Cause<unknown>): string => {
  const error = Cause.squash(cause)
  if (error instanceof Error) return `${error.name}: ${scrub(error.message.split("\n")[0] ?? "")}`
  return typeof error
}

/**
 * The global router middleware: unknown routes and other server errors become problem+json, a defect becomes a
 * bare 500 problem (logged without values), and every response gets `cache-control: no-store` and
 * `x-content-type-options: nosniff`; a 401 gets `WWW-Authenticate: Bearer`.
 */
const ProblemFallback = HttpRouter.middleware(
  (app) =>
    app.pipe(
      Effect.catchCause((cause) => {
        const error = Cause.squash(cause)
        if (HttpServerError.isHttpServerError(error)) {
          const reason = error.reason
          if (reason._tag === "RouteNotFound") {
            return Effect.succeed(
              ProblemDetails.toResponse({
                type: "about:blank",
                status: 404,
                title: "Not Found",
                detail: `No endpoint ${reason.request.method} ${pathOf(reason.request.url)}; see /openapi.json`
              })
            )
          }
          if (reason._tag === "RequestParseError") {
            return Effect.succeed(
              reason.reason === "BodyTooLarge"
                ? ProblemDetails.toResponse({
                    type: `${Problem.TYPE_PREFIX}payload-too-large`,
                    status: 413,
                    title: "Payload too large",
                    detail: "The request body is too large"
                  })
                : ProblemDetails.toResponse({
                    type: "about:blank",
                    status: 400,
                    title: "Bad Request",
                    detail: "The request could not be read"
                  })
            )
          }
        }
        if (Cause.hasInterruptsOnly(cause)) return Effect.failCause(cause)
        return Effect.logError("request failed", describeDefect(cause)).pipe(
          Effect.as(
            ProblemDetails.toResponse({
              type: "about:blank",
              status: 500,
              title: "Internal Server Error",
              detail: "An unexpected error occurred; the request id identifies it in the logs"
            })
          )
        )
      }),
      Effect.map((response) => {
        let next = HttpServerResponse.setHeaders(response, {
          "cache-control": "no-store",
          "x-content-type-options": "nosniff"
        })
        if (next.status === 401) next = HttpServerResponse.setHeader(next, "www-authenticate", 'Bearer realm="lindung"')
        return next
      })
    ),
  { global: true }
)

// ---------------------------------------------------------------------------------------------------------------
// Request decoding problems (the RequestProblems middleware of the API)
// ---------------------------------------------------------------------------------------------------------------

const segment = (value: unknown): string | number => {
  const key = typeof value === "object" && value !== null && "key" in value ? (value as { key: unknown }).key : value
  return typeof key === "number" ? key : String(key)
}

/** Whether an issue concerns identity values, whose messages may quote them. */
const isIdentityPath = (group: string, endpoint: string, path: ReadonlyArray<string | number>): boolean =>
  path[0] === "payload" && (path[1] === "identity" || (group === "identities" && endpoint === "put"))

const formatter = SchemaIssue.makeFormatterStandardSchemaV1()

/** The issues of a decoding failure, with messages about identity fields replaced (they may quote the value). */
const issuesOf = (error: HttpApiError.HttpApiSchemaError, group: string, endpoint: string): Array<Problem.Issue> => {
  const slot = error.kind.toLowerCase()
  return formatter(error.cause.issue).issues.map((issue) => {
    const path = [slot, ...(issue.path ?? []).map(segment)]
    return {
      path,
      message:
        isIdentityPath(group, endpoint, path) && /["'`]|\bgot\b|\d{3,}/u.test(issue.message)
          ? "is not a valid identity value (the value is not shown)"
          : issue.message
    }
  })
}

const isRequestParseError = (defect: unknown, reason: "BodyTooLarge" | "Parse"): boolean =>
  HttpServerError.isHttpServerError(defect) &&
  defect.reason._tag === "RequestParseError" &&
  (defect.reason.reason ?? "Parse") === reason

type RequestProblem = Problem.InvalidRequest | Problem.PayloadTooLarge | Problem.UnsupportedMediaType

const requestProblems = (maxBodyBytes: number) =>
  Layer.succeed(Api.RequestProblems)((httpEffect, { endpoint, group }) => {
    const defects = Effect.catchDefect(
      httpEffect,
      (defect): Effect.Effect<HttpServerResponse.HttpServerResponse, RequestProblem> => {
        if (isRequestParseError(defect, "BodyTooLarge")) {
          return Effect.fail(
            new Problem.PayloadTooLarge({
              maxBytes: maxBodyBytes,
              detail: `The request body is larger than ${maxBodyBytes} bytes`
            })
          )
        }
        if (isRequestParseError(defect, "Parse")) {
          return Effect.fail(new Problem.InvalidRequest({ errors: [], detail: "The request body could not be read" }))
        }
        return Effect.die(defect)
      }
    )
    const schemaErrors = Effect.catchIf(
      defects,
      (error) => HttpApiError.HttpApiSchemaError.is(error) && error.kind !== "Body" && error.kind !== "ResponseHeaders",
      (error) => {
        const errors = issuesOf(
          error as unknown as HttpApiError.HttpApiSchemaError,
          group.identifier,
          endpoint.identifier
        )
        const listed = errors.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")
        return Effect.fail(
          new Problem.InvalidRequest({ errors, detail: `The request is not valid: ${listed}`.slice(0, 2_000) })
        )
      }
    )
    return Effect.flatMap(schemaErrors, (response) =>
      response.status === 415
        ? Effect.fail(
            new Problem.UnsupportedMediaType({
              supported: ["application/json"],
              detail: "The body must be JSON (Content-Type: application/json)"
            })
          )
        : Effect.succeed(response)
    )
  })

// ---------------------------------------------------------------------------------------------------------------
// Authentication with the request log record
// ---------------------------------------------------------------------------------------------------------------

const authentication = (verifier: Auth.Verifier) =>
  Layer.succeed(Auth.Authentication)({
    bearer: (httpEffect, { credential }) =>
      Effect.gen(function* () {
        const actor = yield* verifier.verify(Redacted.value(credential))
        const info = yield* CurrentRequestInfo
        if (info !== undefined) {
          info.actor = actor.id
          info.role = actor.role
        }
        return yield* Effect.provideService(httpEffect, Auth.CurrentActor, actor)
      })
  })

// ---------------------------------------------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------------------------------------------

/** The version a command must find (from `If-Match`), read by the guarded event store. */
const ExpectedVersion = Context.Reference<number | undefined>("@lindung/transport-http/ExpectedVersion", {
  defaultValue: () => undefined
})

/**
 * The event store as the repository sees it: an append whose expected version differs from the client's
 * `If-Match` version fails with a version conflict (the repository retries, then gives up with 409).
 */
const guard = (store: EventStore.EventStore["Service"]): EventStore.EventStore["Service"] => ({
  ...store,
  append: (request) =>
    Effect.flatMap(ExpectedVersion, (expected) =>
      expected !== undefined && expected !== request.expectedVersion
        ? Effect.fail(
            new StorageError.VersionConflict({
              caseId: request.caseId,
              expectedVersion: expected,
              actualVersion: request.expectedVersion
            })
          )
        : store.append(request)
    )
})

const leads: ReadonlyArray<Actor.Role> = ["supervisor", "head-of-dinas"]
const staff: ReadonlyArray<Actor.Role> = ["intake-officer", "caseworker", "supervisor", "head-of-dinas"]
const openStages = Sop.stages.filter(Sop.isOpen)

const forbidden = (action: string, detail: string): Problem.Forbidden =>
  Problem.fromDomain(SopError.forbidden(action, detail))

/** What a work list or count is limited to: a region, and for actors who read only their agency's cases, an owner. */
interface Scope {
  readonly region: Agency.Scope
  readonly owner?: Agency.AgencyId
}

/**
 * What a work list or count is limited to, following `Access` (read): the owning agency's staff read its cases
 * wherever they are; auditors, and supervisors and heads of a social-affairs agency, read by region — the
 * requested region within their own; other staff read their own agency's cases only; administrators, the
 * scheduler and partners (who read through referrals) read no lists.
 */
const readableScope = (
  actor: Actor.Actor,
  requested: Agency.Scope | undefined,
  owner: Agency.AgencyId | undefined,
  agencies: Agency.Directory
): Result.Result<Scope, Problem.Forbidden> => {
  if (actor.role === "administrator") return Result.fail(forbidden("read", "an administrator sees no case content"))
  if (actor.role === "system") return Result.fail(forbidden("read", "the system scheduler only checks deadlines"))
  if (actor.role === "partner") {
    return Result.fail(
      forbidden("read", "a partner reads a case only through a live referral: open referred cases by their id")
    )
  }
  if (owner !== undefined && owner === actor.agency && staff.includes(actor.role)) {
    return Result.succeed({ region: requested ?? "ID", owner })
  }
  const agency = agencies.get(actor.agency)
  const byRegion =
    actor.role === "auditor" || (leads.includes(actor.role) && agency !== undefined && Agency.canOwnCases(agency))
  if (!byRegion) {
    if (owner !== undefined && owner !== actor.agency) {
      return Result.fail(
        forbidden("read", `a ${actor.role} lists only the cases of the actor's own agency ${actor.agency}`)
      )
    }
    return Result.succeed({ region: requested ?? "ID", owner: actor.agency })
  }
  const within = (region: Agency.Scope): Scope => ({ region, ...(owner === undefined ? {} : { owner }) })
  const mine = actor.region
  if (requested === undefined || requested === mine) return Result.succeed(within(mine))
  if (mine === "ID") return Result.succeed(within(requested))
  if (requested === "ID") return Result.succeed(within(mine))
  if (Region.contains(mine, requested)) return Result.succeed(within(requested))
  if (Region.contains(requested, mine)) return Result.succeed(within(mine))
  return Result.fail(forbidden("read", `region ${requested} lies outside the actor's region ${mine}`))
}

const filterOf = (
  query: {
    readonly stage?: ReadonlyArray<Sop.Stage>
    readonly risk?: ReadonlyArray<CaseIndex.Entry["risk"] & string>
    readonly overdue?: "true" | "false"
    readonly assignee?: Actor.ActorId
    readonly owner?: Agency.AgencyId
    readonly ampk?: CaseIndex.Filter["ampk"] & string
    readonly ppks?: CaseIndex.Filter["ppks"] & number
    readonly sppaRole?: CaseIndex.Filter["sppaRole"] & string
    readonly concern?: CaseIndex.Filter["concern"] & string
  },
  scope: Scope,
  now: DateTime.Utc
): CaseIndex.Filter => ({
  region: scope.region,
  ...(scope.owner === undefined ? {} : { owner: scope.owner }),
  ...(query.stage === undefined ? {} : { stages: query.stage }),
  ...(query.risk === undefined ? {} : { risks: query.risk }),
  ...(query.overdue === "true" ? { dueBefore: now } : {}),
  ...(query.assignee === undefined ? {} : { assignee: query.assignee }),
  ...(query.ampk === undefined ? {} : { ampk: query.ampk }),
  ...(query.ppks === undefined ? {} : { ppks: query.ppks }),
  ...(query.sppaRole === undefined ? {} : { sppaRole: query.sppaRole }),
  ...(query.concern === undefined ? {} : { concern: query.concern })
})

const resultOf = (outcome: CaseRepository.Outcome, caseId: string): Effect.Effect<Api.CommandResult> =>
  outcome.state._tag === "Case"
    ? Effect.succeed({
        caseId: outcome.state.id,
        version: outcome.state.version,
        stage: outcome.state.stage,
        replayed: outcome.replayed,
        events: outcome.events
      })
    : Effect.die(new Error(`case ${caseId} is empty after a command`))

const handlersLayer = (config: Config) => {
  const agencies = directoryOf(config.agencies)
  const caseloadPolicy = config.caseloadPolicy ?? DinasType.defaultCaseloadPolicy

  const Cases = HttpApiBuilder.group(
    Api.Api,
    "cases",
    Effect.fn(function* (handlers) {
      const store = yield* EventStore.EventStore
      const vault = yield* IdentityVault.IdentityVault
      const repository = yield* CaseRepository.make({
        agencies,
        ...(config.policy === undefined ? {} : { policy: config.policy }),
        ...(config.maxAttempts === undefined ? {} : { maxAttempts: config.maxAttempts })
      }).pipe(Effect.provideService(EventStore.EventStore, guard(store)))

      const execute = (
        command: CaseCommand.Command,
        actor: Actor.Actor,
        key: string | undefined,
        expectedVersion: number | undefined
      ) =>
        repository
          .execute(command, actor, key === undefined ? undefined : { idempotencyKey: `${actor.id}/${key}` })
          .pipe(
            Effect.provideService(ExpectedVersion, expectedVersion),
            Effect.mapError((error) => Problem.fromDomain(error, command.caseId))
          )

      const load = (caseId: string) =>
        store.load(caseId as Case.Case["id"]).pipe(
          Effect.mapError((error) => Problem.fromDomain(error, caseId)),
          Effect.flatMap((events) =>
            Effect.try({
              try: () => ({ events, state: Case.fold(events) }),
              catch: () => new Problem.CorruptedRecord({ detail: `The history of case ${caseId} does not replay` })
            })
          )
        )

      return handlers
        .handle("register", ({ payload, headers }) =>
          Effect.gen(function* () {
            const actor = yield* Auth.CurrentActor
            const { identity, ...fields } = payload
            const command: CaseCommand.Command = { _tag: "RegisterReport", ...fields }
            const outcome = yield* execute(command, actor, headers["idempotency-key"], undefined)
            if (identity !== undefined) {
              // The identity is stored only for a subject without one: a report never overwrites the identity of
              // a subject another case already holds (that goes through PUT /cases/{caseId}/identity, which checks
              // access), a retry stores nothing twice, and an erased identity stays erased.
              const store = Effect.matchEffect(vault.get(command.subject), {
                onFailure: (error) => (error._tag === "NotFound" ? vault.put(command.subject, identity) : Effect.void),
                onSuccess: () => Effect.void
              })
              yield* store.pipe(Effect.mapError((error) => Problem.fromDomain(error, command.caseId)))
            }
            return yield* resultOf(outcome, command.caseId)
          })
        )
        .handle("command", ({ params, payload, headers }) =>
          Effect.gen(function* () {
            const actor = yield* Auth.CurrentActor
            if (payload.caseId !== params.caseId) {
              return yield* new Problem.InvalidRequest({
                errors: [{ path: ["payload", "caseId"], message: `must be the case of the path, ${params.caseId}` }],
                detail: `The command is for case ${payload.caseId}, but the path names case ${params.caseId}`
              })
            }
            const ifMatch = headers["if-match"]
            const expected = ifMatch === undefined ? undefined : Api.versionOfIfMatch(ifMatch)
            if (expected !== undefined && headers["idempotency-key"] === undefined) {
              const { state } = yield* load(params.caseId)
              if (state._tag === "Case" && state.version !== expected) {
                return yield* Problem.fromDomain(
                  new StorageError.VersionConflict({
                    caseId: params.caseId,
                    expectedVersion: expected,
                    actualVersion: state.version
                  })
                )
              }
            }
            const outcome = yield* execute(payload, actor, headers["idempotency-key"], expected)
            return yield* resultOf(outcome, params.caseId)
          })
        )
        .handle("get", ({ params }) =>
          Effect.gen(function* () {
            const actor = yield* Auth.CurrentActor
            const { state } = yield* load(params.caseId)
            if (state._tag === "Empty") {
              return yield* new Problem.CaseNotFound({
                caseId: params.caseId,
                detail: `Case ${params.caseId} does not exist`
              })
            }
            const now = yield* DateTime.now
            const view = Access.view(state, actor, Decider.today(state.region, now), agencies)
            if (Result.isFailure(view)) return yield* Problem.fromDomain(view.failure)
            return view.success
          })
        )
        .handle("history", ({ params }) =>
          Effect.gen(function* () {
            const actor = yield* Auth.CurrentActor
            const { state, events } = yield* load(params.caseId)
            if (state._tag === "Empty") {
              return yield* new Problem.CaseNotFound({
                caseId: params.caseId,
                detail: `Case ${params.caseId} does not exist`
              })
            }
            const allowed = Access.authorize(actor, "read-history", state, { agencies })
            if (Result.isFailure(allowed)) return yield* Problem.fromDomain(allowed.failure)
            return { caseId: state.id, events }
          })
        )
    })
  )

  const Worklists = HttpApiBuilder.group(
    Api.Api,
    "worklists",
    Effect.fn(function* (handlers) {
      const index = yield* CaseIndex.CaseIndex
      return handlers
        .handle("list", ({ query }) =>
          Effect.gen(function* () {
            const actor = yield* Auth.CurrentActor
            const scope = readableScope(actor, query.region, query.owner, agencies)
            if (Result.isFailure(scope)) return yield* scope.failure
            const now = yield* DateTime.now
            const page = yield* index
              .query({
                filter: filterOf(query, scope.success, now),
                limit: query.limit ?? Api.DEFAULT_PAGE,
                ...(query.after === undefined ? {} : { after: query.after })
              })
              .pipe(Effect.mapError((error) => Problem.fromDomain(error)))
            return {
              entries: page.entries,
              ...(page.next === undefined ? {} : { next: page.next }),
              ...scope.success
            }
          })
        )
        .handle("counts", ({ query }) =>
          Effect.gen(function* () {
            const actor = yield* Auth.CurrentActor
            const scope = readableScope(actor, query.region, query.owner, agencies)
            if (Result.isFailure(scope)) return yield* scope.failure
            const now = yield* DateTime.now
            const rows = yield* index
              .count({
                filter: filterOf(query, scope.success, now),
                by: query.by as unknown as CaseIndex.CountQuery["by"],
                ...(query.regionDepth === undefined ? {} : { regionDepth: query.regionDepth })
              })
              .pipe(Effect.mapError((error) => Problem.fromDomain(error)))
            return { rows, ...scope.success }
          })
        )
    })
  )

  const Identities = HttpApiBuilder.group(
    Api.Api,
    "identities",
    Effect.fn(function* (handlers) {
      const store = yield* EventStore.EventStore
      const vault = yield* IdentityVault.IdentityVault

      const caseFor = (caseId: string) =>
        Effect.gen(function* () {
          const events = yield* store
            .load(caseId as Case.Case["id"])
            .pipe(Effect.mapError((e) => Problem.fromDomain(e)))
          const state = yield* Effect.try({
            try: () => Case.fold(events),
            catch: () => new Problem.CorruptedRecord({ detail: `The history of case ${caseId} does not replay` })
          })
          if (state._tag === "Empty") {
            return yield* new Problem.CaseNotFound({ caseId, detail: `Case ${caseId} does not exist` })
          }
          return state
        })

      const check = (actor: Actor.Actor, action: Access.Action, state: Case.Case) => {
        const allowed = Access.authorize(actor, action, state, { agencies })
        return Result.isFailure(allowed) ? Effect.fail(Problem.fromDomain(allowed.failure)) : Effect.void
      }

      return handlers
        .handle("get", ({ params }) =>
          Effect.gen(function* () {
            const actor = yield* Auth.CurrentActor
            const state = yield* caseFor(params.caseId)
            yield* check(actor, "read-identity", state)
            const identity = yield* vault
              .get(state.subject.id)
              .pipe(Effect.mapError((error) => Problem.fromDomain(error, params.caseId)))
            return { caseId: state.id, subject: state.subject.id, identity }
          })
        )
        .handle("put", ({ params, payload }) =>
          Effect.gen(function* () {
            const actor = yield* Auth.CurrentActor
            const state = yield* caseFor(params.caseId)
            yield* check(actor, "work", state)
            yield* check(actor, "read-identity", state)
            yield* vault
              .put(state.subject.id, payload)
              .pipe(Effect.mapError((e) => Problem.fromDomain(e, params.caseId)))
          })
        )
        .handle("erase", ({ params }) =>
          Effect.gen(function* () {
            const actor = yield* Auth.CurrentActor
            const state = yield* caseFor(params.caseId)
            if (!(actor.agency === state.owner && leads.includes(actor.role))) {
              return yield* forbidden(
                "erase-identity",
                "only a supervisor or head of the owning agency erases a subject's identity"
              )
            }
            yield* vault.erase(state.subject.id).pipe(Effect.mapError((e) => Problem.fromDomain(e, params.caseId)))
          })
        )
    })
  )

  const regions =
    config.regions === undefined
      ? Effect.cached(Regions.load({ villages: false }))
      : Effect.succeed(Effect.succeed(config.regions))

  const Reference = HttpApiBuilder.group(
    Api.Api,
    "reference",
    Effect.fn(function* (handlers) {
      const directory = yield* regions
      return handlers
        .handle("ampk", () => Effect.succeed(Ampk.categories))
        .handle("ppks", () => Effect.succeed(Ppks.categories))
        .handle("atensi", () =>
          Effect.succeed({ components: Atensi.components, settings: Atensi.settings, clusters: Atensi.clusters })
        )
        .handle("sppaRoles", () => Effect.succeed(Sppa.rolesFor(config.policy?.sppa)))
        .handle("dinasTypes", () => Effect.succeed(DinasType.types))
        .handle("regions", ({ query }) =>
          Effect.gen(function* () {
            const regionDirectory = yield* directory.pipe(
              Effect.mapError(
                () =>
                  new Problem.StorageUnavailable({
                    retryable: false,
                    detail: "The region data (idn-area-data) cannot be read"
                  })
              )
            )
            const limit = query.limit ?? 50
            const levels = query.level
            let entries: ReadonlyArray<Regions.Entry>
            if (query.q !== undefined) {
              entries = regionDirectory.findByName(query.q, {
                ...(levels === undefined ? {} : { level: levels }),
                ...(query.parent === undefined ? {} : { within: query.parent })
              })
            } else if (query.parent !== undefined) {
              entries = regionDirectory.children(query.parent).filter((e) => levels === undefined || e.level === levels)
            } else {
              entries = regionDirectory.entries(levels ?? "provinsi")
            }
            return { entries: entries.slice(0, limit), attribution: Regions.attribution }
          })
        )
    })
  )

  const SopLive = HttpApiBuilder.group(Api.Api, "sop", (handlers) =>
    Effect.succeed(
      handlers
        .handle("json", () => Effect.succeed(Sop.describe()))
        .handle("mermaid", () => Effect.succeed(Sop.mermaid()))
    )
  )

  const Dinas = HttpApiBuilder.group(
    Api.Api,
    "dinas",
    Effect.fn(function* (handlers) {
      const index = yield* CaseIndex.CaseIndex
      return handlers.handle("workload", ({ params, query }) =>
        Effect.gen(function* () {
          const actor = yield* Auth.CurrentActor
          const agency = agencies.get(params.agencyId)
          if (agency === undefined) {
            return yield* new Problem.NotFound({
              what: "agency",
              id: params.agencyId,
              detail: `No agency ${params.agencyId} is configured`
            })
          }
          const sees =
            actor.role !== "partner" &&
            actor.role !== "system" &&
            (actor.agency === agency.id ||
              actor.region === "ID" ||
              (agency.region !== "ID" && Agency.serves({ region: actor.region }, agency.region)))
          if (!sees) {
            return yield* forbidden(
              "read-workload",
              "the workload of a Dinas is read by its own staff and by agencies whose region contains it"
            )
          }
          const rows = yield* index
            .count({ filter: { owner: agency.id, stages: openStages }, by: ["owner"] })
            .pipe(Effect.mapError((error) => Problem.fromDomain(error)))
          const activeCases = rows.reduce((sum, row) => sum + row.count, 0)
          const caseworkers = query.caseworkers ?? config.caseworkers?.[agency.id]
          const type = DinasType.types.find((t) => t.code === agency.dinasType)
          const basis = [DinasType.caseloadPolicyBasis, ...(type === undefined ? [] : [type.basis])]
          const base = { agency, activeCases, basis, ...(type === undefined ? {} : { type }) }
          if (caseworkers === undefined) return base
          const caseload = DinasType.caseload({ activeCases, caseworkers }, caseloadPolicy)
          if (Result.isFailure(caseload)) {
            return yield* Effect.die(new Error(`caseload: ${caseload.failure.message}`))
          }
          const c = caseload.success
          return {
            ...base,
            caseworkers,
            caseload: {
              ratio: Number.isFinite(c.ratio) ? c.ratio : null,
              band: c.band,
              maxPerCaseworker: c.maxPerCaseworker,
              capacity: c.caseworkers * c.maxPerCaseworker,
              overCapacity: c.overCapacity,
              caseworkersNeeded: c.caseworkersNeeded,
              caseworkersShort: c.caseworkersShort
            }
          }
        })
      )
    })
  )

  const Health = HttpApiBuilder.group(
    Api.Api,
    "health",
    Effect.fn(function* (handlers) {
      const store = yield* EventStore.EventStore
      return handlers
        .handle("live", () => Effect.succeed({ status: "ok" as const }))
        .handle("ready", () =>
          store.idempotency("lindung/readiness-check").pipe(
            Effect.as({ status: "ready" as const, checks: { store: "ok" } }),
            Effect.mapError(
              (error) =>
                new Problem.StorageUnavailable({ retryable: error.retryable, detail: "The store is not reachable" })
            )
          )
        )
    })
  )

  return { Cases, Worklists, Identities, Reference, SopLive, Dinas, Health }
}

// ---------------------------------------------------------------------------------------------------------------
// Layers
// ---------------------------------------------------------------------------------------------------------------

const validate = (config: Config): Effect.Effect<Auth.Verifier, StartError> =>
  Effect.gen(function* () {
    const max = config.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
    if (!Number.isSafeInteger(max) || max < 1_024) {
      return yield* new InvalidServerConfig({ reason: `maxBodyBytes must be a whole number from 1024 (got ${max})` })
    }
    const policy = DinasType.validateCaseloadPolicy(config.caseloadPolicy ?? DinasType.defaultCaseloadPolicy)
    if (Result.isFailure(policy)) return yield* new InvalidServerConfig({ reason: policy.failure.message })
    for (const [agency, count] of Object.entries(config.caseworkers ?? {})) {
      if (!Number.isSafeInteger(count) || count < 0) {
        return yield* new InvalidServerConfig({ reason: `caseworkers of ${agency} must be a whole number from 0` })
      }
    }
    return yield* Auth.makeVerifier(config.auth)
  })

/**
 * The routes of the API (handlers, `/openapi.json`, `/docs`, problems) as a router layer, without serving them:
 * for composing with other routes. Most applications use {@link layer}.
 */
export const routes = (config: Config) =>
  Layer.unwrap(
    Effect.map(validate(config), (verifier) => {
      const groups = handlersLayer(config)
      const maxBodyBytes = config.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
      const secured = Layer.mergeAll(groups.Cases, groups.Worklists, groups.Identities, groups.Dinas).pipe(
        Layer.provide(authentication(verifier))
      )
      const api = HttpApiBuilder.layer(Api.Api, { openapiPath: "/openapi.json" }).pipe(
        Layer.provide([secured, groups.Reference, groups.SopLive, groups.Health]),
        Layer.provide(requestProblems(maxBodyBytes))
      )
      const docs =
        config.docs === false
          ? Layer.empty
          : HttpApiScalar.layer(Api.Api, { path: "/docs", scalar: { withDefaultFonts: false } })
      return Layer.mergeAll(api, docs, ProblemFallback)
    })
  )

/**
 * The server: the API served on the `HttpServer` in context, over the storage ports in context. Needs
 * `HttpServer` and the platform services a Node server layer provides (`NodeHttpServer.layer` or
 * `NodeHttpServer.layerTest`), and `EventStore`, `CaseIndex` and `IdentityVault`.
 */
export const layer = (config: Config) =>
  HttpRouter.serve(routes(config), {
    disableLogger: true,
    disableListenLog: true,
    middleware: requestLog(config.requestLog !== false)
  }).pipe(
    Layer.provide(
      Layer.succeed(HttpServerRequest.MaxBodySize)(ByteSize.bytes(config.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES))
    )
  )

/** Where and how {@link layerNode} listens. */
export interface Listen {
  /** The port; 0 picks a free one. Default 8080. */
  readonly port?: number
  /** The host to bind. Default `127.0.0.1`; `0.0.0.0` for every interface. */
  readonly host?: string
  /** How long to wait for in-flight requests on shutdown, in milliseconds. Default 15000. */
  readonly shutdownTimeoutMs?: number
  /** `json` (default): one JSON object per log line; `pretty`: for a terminal; `none`: no logs. */
  readonly logFormat?: "json" | "pretty" | "none"
  /** Called with the bound address once the server listens (e.g. to print the URL). */
  readonly onListen?: (address: { readonly host: string; readonly port: number }) => Effect.Effect<void>
}

/**
 * The server on a Node HTTP server: {@link layer}, a listening socket, graceful shutdown (in-flight requests
 * finish, idle keep-alive connections are closed) and logs. Needs `EventStore`, `CaseIndex` and `IdentityVault`.
 */
export const layerNode = (config: Config, listen: Listen = {}) => {
  let server: NodeServer | undefined
  const makeServer = () => {
    server = createServer()
    return server
  }
  const closeIdle = Layer.effectDiscard(
    Effect.addFinalizer(() =>
      Effect.sync(() => {
        const current = server
        if (current === undefined) return
        const timer = setInterval(() => current.closeIdleConnections(), 50)
        current.once("close", () => clearInterval(timer))
      })
    )
  )
  const announce = Layer.effectDiscard(
    Effect.gen(function* () {
      const http = yield* HttpServer.HttpServer
      const address = http.address
      if (address._tag !== "UnixPathAddress" && listen.onListen !== undefined) {
        yield* listen.onListen({ host: listen.host ?? "127.0.0.1", port: address.port })
      }
    })
  )
  const logger =
    listen.logFormat === "none"
      ? Logger.layer([])
      : listen.logFormat === "pretty"
        ? Logger.layer([Logger.consolePretty()])
        : Logger.layer([Logger.consoleJson])
  return Layer.mergeAll(layer(config), closeIdle, announce).pipe(
    Layer.provide(
      NodeHttpServer.layer(makeServer, {
        port: listen.port ?? 8080,
        host: listen.host ?? "127.0.0.1",
        gracefulShutdownTimeout: `${listen.shutdownTimeoutMs ?? 15_000} millis`
      })
    ),
    Layer.provide(logger)
  )
}

/** The bound server, for callers that read the port (`(yield* HttpServer.HttpServer).address`). */
export type BoundServer = HttpServer.HttpServer
