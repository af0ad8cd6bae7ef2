/**
 * The HTTP server of Lindung: the handlers of every endpoint of `Api`, the problem mapping, request ids and
 * structured request logs, the body limit, `/openapi.json` and the offline `/docs` page (effect's bundled Scalar).
 *
 * {@link layer} serves the API on any `HttpServer` and needs the storage ports (`EventStore`, `CaseIndex`,
 * `IdentityVault`, e.g. from `@lindung/storage-sql`'s `layerSqlite`); it builds core's `CaseService` itself over
 * them and the configured directory. {@link layerNode} adds a Node HTTP server with graceful shutdown and JSON logs:
 * what `lindung serve` runs.
 *
 * - Handlers decode, call the `CaseService` and encode: every decision of who may read, list, count, act or see or
 *   change an identity is the service's (core's `Access`), none is made here.
 * - A bearer token names a person of the directory (`Auth`); failed authentications are limited per client address
 *   (`RateLimit`). Bodies are read only when declared `application/json` in UTF-8, and must be well-formed UTF-8.
 * - `Idempotency-Key` makes a retry return the first result and write nothing; `If-Match: <version>` makes a
 *   command decided on a stale version fail with 409 (two writers), never retried.
 * - Request logs (one JSON line per request: request id, method, path without the query, status, duration, actor
 *   id and role) never contain identity, bodies, query strings or tokens; a storage failure logs its cause.
 *
 * @example
 * ```ts
 * import { NodeRuntime } from "@effect/platform-node"
 * import { Directory } from "@lindung/core"
 * import { Auth, Server } from "@lindung/transport-http"
 * import { layerSqlite } from "@lindung/storage-sql"
 * import { Layer } from "effect"
 *
 * const config: Server.Config = {
 *   directory,                                      // Directory.make(agencies, people), or a reloadable Directory
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
import { isUtf8 } from "node:buffer"
import { createHash } from "node:crypto"
import { createServer, type Server as NodeServer } from "node:http"
import { NodeHttpServer } from "@effect/platform-node"
import {
  type Actor,
  Ampk,
  Atensi,
  type CaseIndex,
  CaseService,
  DinasType,
  Directory,
  EventStore,
  type ExportLog,
  type IdentityVault,
  Policy,
  Ppks,
  type Sop,
  SopTable,
  Sppa
} from "@lindung/core"
import { Regions } from "@lindung/regions"
import { Language } from "@lindung/wire"
import { issuesOf as issuesOfRequest } from "@lindung/wire/Problem"
import {
  ByteSize,
  Cause,
  Context,
  DateTime,
  Effect,
  Exit,
  Layer,
  Logger,
  Option,
  Redacted,
  Result,
  Schema
} from "effect"
import {
  HttpBody,
  HttpEffect,
  HttpRouter,
  HttpServer,
  HttpServerError,
  HttpServerRequest,
  HttpServerResponse,
  ProblemDetails
} from "effect/http"
import { HttpApi, HttpApiBuilder, HttpApiError, HttpApiScalar } from "effect/http-api"
import * as Api from "./Api.js"
import * as Auth from "./Auth.js"
import * as Problem from "./Problem.js"
import * as RateLimit from "./RateLimit.js"

// ---------------------------------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------------------------------

/** The default body limit: 256 KiB (a command is a few KiB; identities are bounded). */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024

/** How the server runs. */
export interface Config {
  /**
   * The agencies and people of the deployment: a fixed `Directory.Snapshot`, or a `Directory` service (e.g. one
   * from `Directory.makeReloadable`, reloaded without a restart). Tokens name a person of it.
   */
  readonly directory: Directory.Snapshot | Directory.Directory["Service"]
  /** How bearer tokens are verified. */
  readonly auth: Auth.Config
  /** The largest request body, in bytes. Default {@link DEFAULT_MAX_BODY_BYTES}. */
  readonly maxBodyBytes?: number
  /**
   * The policies, given once (deadlines, escalation, risk, SPPA, Dinas structure, caseload), checked when the
   * server starts. Default `Policy.defaults`.
   */
  readonly policy?: Policy.Policy
  /** How many times a command is decided again after a version conflict. Default 5. */
  readonly maxAttempts?: number
  /** Caseworkers per agency id, for `GET /dinas/{agencyId}/workload` when the query does not say. */
  readonly caseworkers?: Readonly<Record<string, number>>
  /** How many replayed cases the case service keeps in memory (`CaseService.Config.replayCacheSize`); 0 turns it off. */
  readonly replayCacheSize?: number
  /**
   * The region directory for `GET /reference/regions`. Default: loaded from `idn-area-data` on first use, without
   * desa/kelurahan (about 0.1 s and 3 MB); pass `Regions.load()` yourself for every level.
   */
  readonly regions?: Regions.Directory
  /** Serve the offline docs page (Scalar, bundled) at `/docs`. Default true. */
  readonly docs?: boolean
  /** Log one line per request. Default true. */
  readonly requestLog?: boolean
  /**
   * The limit on failed authentications per client address (429 with `Retry-After`). Default
   * `RateLimit.defaults` (20 per minute); `false` turns it off (e.g. behind a gateway that limits).
   */
  readonly authFailures?: RateLimit.Config | false
  /** Reverse proxies whose `X-Forwarded-For` names the client (exact addresses). Default: none is trusted. */
  readonly trustedProxies?: ReadonlyArray<string>
  /**
   * Further JSON documents served as they are, without authentication, by path: e.g. `{ "/asyncapi.json": doc }`
   * for the AsyncAPI document of another transport (this package never imports one; the application composes them).
   * A path must start with `/` and must not be a path of the API.
   */
  readonly documents?: Readonly<Record<string, unknown>>
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
export type Storage = EventStore.EventStore | CaseIndex.CaseIndex | IdentityVault.IdentityVault | ExportLog.ExportLog

/** Why the server layer could not start. */
export type StartError = Auth.InvalidAuthConfig | InvalidServerConfig

const directoryLayer = (directory: Config["directory"]): Layer.Layer<Directory.Directory> =>
  "current" in directory ? Layer.succeed(Directory.Directory)(directory) : Directory.layer(directory)

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

/**
 * The request log and request id middleware (serve-level): one line per request, `x-request-id` on the response.
 * When no logger listens (`logFormat: "none"`, or a runtime without loggers), nothing of the log is built: no log
 * annotations, no request record, no log line — only the response's request id.
 */
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
      if ((yield* Effect.service(Logger.CurrentLoggers)).size === 0) return yield* app
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
 * The headers of the `/docs` page: a strict Content-Security-Policy that allows exactly the page's own inline
 * scripts (by their SHA-256), nothing from elsewhere, no framing; and `X-Frame-Options: DENY` for old browsers.
 */
const docsHeaders = (response: HttpServerResponse.HttpServerResponse): Record<string, string> => {
  const body = response.body
  const html = body._tag === "Uint8Array" ? new TextDecoder().decode(body.body) : ""
  const hashes = [...html.matchAll(/<script>([\s\S]*?)<\/script>/gu)].map(
    (match) =>
      `'sha256-${createHash("sha256")
        .update(match[1] ?? "")
        .digest("base64")}'`
  )
  const policy = [
    "default-src 'none'",
    `script-src ${hashes.length === 0 ? "'none'" : hashes.join(" ")}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'"
  ].join("; ")
  return { "content-security-policy": policy, "x-frame-options": "DENY", "referrer-policy": "no-referrer" }
}

/**
 * A problem response in the language the request prefers (`Accept-Language`: Bahasa Indonesia or English, see
 * `Problem.localize`), with `Content-Language` and `Vary: Accept-Language`. Other responses are left as they are.
 */
const inLanguage = (
  response: HttpServerResponse.HttpServerResponse,
  language: Language.Language
): HttpServerResponse.HttpServerResponse => {
  const body = response.body
  if (body._tag !== "Uint8Array" || !body.contentType.startsWith(ProblemDetails.contentType)) return response
  const headers = { "content-language": language, vary: "accept-language" }
  if (language === "en") return HttpServerResponse.setHeaders(response, headers)
  let problem: unknown
  try {
    problem = JSON.parse(body.text ?? new TextDecoder().decode(body.body))
  } catch {
    return response
  }
  if (typeof problem !== "object" || problem === null || Array.isArray(problem)) return response
  const localized = Problem.localize(problem as Record<string, unknown>, language)
  return HttpServerResponse.setHeaders(
    HttpServerResponse.setBody(response, HttpBody.text(JSON.stringify(localized), body.contentType)),
    headers
  )
}

/**
 * The global router middleware: unknown routes and other server errors become problem+json, a defect becomes a
 * bare 500 problem (logged without values), and every response gets `cache-control: no-store` and
 * `x-content-type-options: nosniff`; a 401 gets `WWW-Authenticate: Bearer`; a problem is said in the language
 * the request prefers.
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
      Effect.flatMap((response) =>
        Effect.map(HttpServerRequest.HttpServerRequest, (request) => {
          let next = HttpServerResponse.setHeaders(response, {
            "cache-control": "no-store",
            "x-content-type-options": "nosniff"
          })
          if (next.status === 401)
            next = HttpServerResponse.setHeader(next, "www-authenticate", 'Bearer realm="lindung"')
          if (pathOf(request.url) === "/docs") next = HttpServerResponse.setHeaders(next, docsHeaders(next))
          return inLanguage(next, Language.negotiate(request.headers["accept-language"]))
        })
      )
    ),
  { global: true }
)

// ---------------------------------------------------------------------------------------------------------------
// Request decoding problems (the RequestProblems middleware of the API)
// ---------------------------------------------------------------------------------------------------------------

/** Whether an issue concerns identity values, whose messages may quote them. */
const isIdentityPath = (group: string, endpoint: string, path: ReadonlyArray<string | number>): boolean =>
  path[0] === "payload" &&
  (path[1] === "identity" || (group === "identities" && (endpoint === "put" || endpoint === "search")))

/** The issues of a decoding failure, with messages about identity or personal values replaced (they may quote them). */
const issuesOf = (error: HttpApiError.HttpApiSchemaError, group: string, endpoint: string): Array<Problem.Issue> =>
  issuesOfRequest(error.kind.toLowerCase(), error.cause.issue, (path) => isIdentityPath(group, endpoint, path))

const isRequestParseError = (defect: unknown, reason: "BodyTooLarge" | "Parse"): boolean =>
  HttpServerError.isHttpServerError(defect) &&
  defect.reason._tag === "RequestParseError" &&
  (defect.reason.reason ?? "Parse") === reason

type RequestProblem = Problem.InvalidRequest | Problem.PayloadTooLarge | Problem.UnsupportedMediaType

/** `application/json`, optionally with `charset=utf-8`: the only body the API reads (RFC 8259 §8.1). */
const JSON_CONTENT_TYPE = /^application\/json[ \t]*(?:;[ \t]*charset[ \t]*=[ \t]*(?:utf-8|"utf-8")[ \t]*)?$/iu

/** Requests with a body must say it is JSON in UTF-8; a body without a content type is never read. */
const requireJson =
  (maxBodyBytes: number) =>
  <A, E, R>(
    httpEffect: Effect.Effect<A, E, R>
  ): Effect.Effect<
    A,
    E | Problem.UnsupportedMediaType | Problem.InvalidRequest | Problem.PayloadTooLarge,
    R | HttpServerRequest.HttpServerRequest
  > =>
    Effect.flatMap(
      HttpServerRequest.HttpServerRequest,
      (
        request
      ): Effect.Effect<A, E | Problem.UnsupportedMediaType | Problem.InvalidRequest | Problem.PayloadTooLarge, R> => {
        if (request.method !== "POST" && request.method !== "PUT" && request.method !== "PATCH") return httpEffect
        const type = request.headers["content-type"]
        if (type === undefined || !JSON_CONTENT_TYPE.test(type.trim())) {
          return Effect.fail(
            new Problem.UnsupportedMediaType({
              supported: ["application/json"],
              detail: "The body must be JSON in UTF-8 (Content-Type: application/json)"
            })
          )
        }
        // The body is read once (the request caches it), at most `maxBodyBytes` of it whoever serves the routes, and
        // must be well-formed UTF-8: a decoder would otherwise replace bad bytes with U+FFFD and store something the
        // client never sent.
        return request.arrayBuffer.pipe(
          Effect.provideService(HttpServerRequest.MaxBodySize, ByteSize.bytes(maxBodyBytes)),
          Effect.mapError((error) =>
            error.reason._tag === "RequestParseError" && error.reason.reason === "BodyTooLarge"
              ? new Problem.PayloadTooLarge({
                  maxBytes: maxBodyBytes,
                  detail: `The request body is larger than ${maxBodyBytes} bytes`
                })
              : new Problem.InvalidRequest({ errors: [], detail: "The request body could not be read" })
          ),
          Effect.flatMap(
            (body): Effect.Effect<A, E | Problem.InvalidRequest, R> =>
              isUtf8(new Uint8Array(body))
                ? httpEffect
                : Effect.fail(
                    new Problem.InvalidRequest({
                      errors: [{ path: ["payload"], message: "is not well-formed UTF-8" }],
                      detail: "The request body is not well-formed UTF-8"
                    })
                  )
          )
        )
      }
    )

const requestProblems = (maxBodyBytes: number) =>
  Layer.succeed(Api.RequestProblems)((httpEffect, { endpoint, group }) => {
    const defects = Effect.catchDefect(
      requireJson(maxBodyBytes)(httpEffect),
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

const authentication = (
  verifier: Auth.Verifier,
  limiter: RateLimit.Limiter | undefined,
  trustedProxies: ReadonlyArray<string>
) =>
  Layer.effect(
    Auth.Authentication,
    Effect.gen(function* () {
      const directory = yield* Directory.Directory
      const tooMany = (seconds: number) =>
        HttpEffect.appendPreResponseHandler((_request, response) =>
          Effect.succeed(HttpServerResponse.setHeader(response, "retry-after", String(seconds)))
        ).pipe(
          Effect.andThen(
            Effect.fail(
              new Problem.TooManyRequests({
                retryAfterSeconds: seconds,
                detail: `Too many failed authentications from this address: retry after ${seconds} s`
              })
            )
          )
        )
      return Auth.Authentication.of({
        bearer: (httpEffect, { credential }) =>
          Effect.gen(function* () {
            const request = yield* HttpServerRequest.HttpServerRequest
            const client = RateLimit.clientAddress(
              Option.getOrUndefined(request.peerAddress),
              request.headers["x-forwarded-for"],
              trustedProxies
            )
            if (limiter !== undefined) {
              const wait = yield* limiter.blocked(client)
              // A blocked address is refused before any token is verified — but a token already verified (and still
              // accepted) is let in, so that people behind one address keep working while someone there fails.
              if (Option.isSome(wait) && Option.isNone(yield* verifier.remembered(Redacted.value(credential)))) {
                return yield* tooMany(wait.value)
              }
            }
            const actor = yield* Auth.authenticate(verifier, Redacted.value(credential)).pipe(
              Effect.provideService(Directory.Directory, directory),
              Effect.tapError((error) =>
                error._tag === "Unauthorized" && limiter !== undefined ? limiter.failed(client) : Effect.void
              )
            )
            const info = yield* CurrentRequestInfo
            if (info !== undefined) {
              info.actor = actor.id
              info.role = actor.role
            }
            return yield* Effect.provideService(httpEffect, Auth.CurrentActor, actor)
          })
      })
    })
  )

// ---------------------------------------------------------------------------------------------------------------
// Handlers: decode → CaseService → encode. No access decision is made here; core's CaseService makes them all.
// ---------------------------------------------------------------------------------------------------------------

type FilterQuery = {
  readonly stage?: ReadonlyArray<Sop.Stage>
  readonly risk?: ReadonlyArray<CaseIndex.Entry["risk"] & string>
  readonly overdue?: "true"
  readonly assignee?: Actor.ActorId
  readonly ampk?: CaseIndex.Filter["ampk"] & string
  readonly ppks?: CaseIndex.Filter["ppks"] & number
  readonly sppaRole?: CaseIndex.Filter["sppaRole"] & string
  readonly concern?: CaseIndex.Filter["concern"] & string
}

/** The index filter of a query string (region and owner are the case service's to scope). */
const filterOf = (query: FilterQuery, now: DateTime.Utc): Omit<CaseIndex.Filter, "region" | "owner"> => ({
  ...(query.stage === undefined ? {} : { stages: query.stage }),
  ...(query.risk === undefined ? {} : { risks: query.risk }),
  ...(query.overdue === "true" ? { dueBefore: now } : {}),
  ...(query.assignee === undefined ? {} : { assignee: query.assignee }),
  ...(query.ampk === undefined ? {} : { ampk: query.ampk }),
  ...(query.ppks === undefined ? {} : { ppks: query.ppks }),
  ...(query.sppaRole === undefined ? {} : { sppaRole: query.sppaRole }),
  ...(query.concern === undefined ? {} : { concern: query.concern })
})

const resultOf = (outcome: CaseService.Outcome): Api.CommandResult => ({
  caseId: outcome.state.id,
  version: outcome.state.version,
  stage: outcome.state.stage,
  replayed: outcome.replayed,
  events: outcome.events
})

/** Logs the cause of a storage failure (operation and detail, quoted values hidden); nothing else is logged. */
const logStorageFailure = (error: Problem.DomainError): Effect.Effect<void> =>
  error._tag === "StorageUnavailable" || error._tag === "CorruptedRecord"
    ? Effect.logError("storage failure").pipe(
        Effect.annotateLogs({
          error: error._tag,
          ...(error._tag === "StorageUnavailable"
            ? { operation: error.operation, retryable: error.retryable, detail: scrub(error.detail) }
            : { location: scrub(error.location), detail: scrub(error.detail) })
        })
      )
    : Effect.void

/**
 * Maps the domain errors of an effect to their problems (`caseId` names the case of identity-vault errors), logging
 * the cause of a storage failure first.
 */
const problem =
  (caseId?: string) =>
  <A, E extends Problem.DomainError, R>(self: Effect.Effect<A, E, R>) =>
    self.pipe(
      Effect.tapError(logStorageFailure),
      Effect.mapError((error) => Problem.fromDomain(error, caseId))
    )

/**
 * The API as this server serves it: success and error bodies are encoded without running the schemas' checks
 * again (the values come from core, which checked them; encoding still shapes them). A client of `Api.Api` still
 * checks everything it receives.
 */
const ServedApi = Api.Api.annotate(HttpApi.SuccessParseOptions, { disableChecks: true }).annotate(
  HttpApi.ErrorParseOptions,
  { disableChecks: true }
)

const handlersLayer = (config: Config) => {
  const Cases = HttpApiBuilder.group(
    ServedApi,
    "cases",
    Effect.fn(function* (handlers) {
      const cases = yield* CaseService.CaseService
      return handlers
        .handle("register", ({ payload, headers }) =>
          Effect.gen(function* () {
            const actor = yield* Auth.CurrentActor
            const { identity, ...report } = payload
            const key = headers["idempotency-key"]
            const outcome = yield* cases
              .register(actor, report, {
                ...(identity === undefined ? {} : { identity }),
                ...(key === undefined ? {} : { idempotencyKey: key })
              })
              .pipe(problem(payload.caseId))
            return resultOf(outcome)
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
            const key = headers["idempotency-key"]
            const ifMatch = headers["if-match"]
            const outcome = yield* cases
              .execute(actor, payload, {
                ...(key === undefined ? {} : { idempotencyKey: key }),
                ...(ifMatch === undefined ? {} : { expectedVersion: Api.versionOfIfMatch(ifMatch) })
              })
              .pipe(problem(params.caseId))
            return resultOf(outcome)
          })
        )
        .handle("get", ({ params }) =>
          Effect.flatMap(Auth.CurrentActor, (actor) => cases.view(actor, params.caseId).pipe(problem(params.caseId)))
        )
        .handle("history", ({ params }) =>
          Effect.flatMap(Auth.CurrentActor, (actor) =>
            cases.history(actor, params.caseId).pipe(
              Effect.map((events) => ({ caseId: params.caseId, events })),
              problem(params.caseId)
            )
          )
        )
    })
  )

  const Worklists = HttpApiBuilder.group(
    ServedApi,
    "worklists",
    Effect.fn(function* (handlers) {
      const cases = yield* CaseService.CaseService
      return handlers
        .handle("list", ({ query }) =>
          Effect.gen(function* () {
            const actor = yield* Auth.CurrentActor
            const now = yield* DateTime.now
            const page = yield* cases
              .list(actor, {
                filter: filterOf(query, now),
                ...(query.region === undefined ? {} : { region: query.region }),
                ...(query.owner === undefined ? {} : { owner: query.owner }),
                limit: query.limit ?? Api.DEFAULT_PAGE,
                ...(query.after === undefined ? {} : { after: query.after })
              })
              .pipe(problem())
            return {
              entries: page.entries,
              ...(page.next === undefined ? {} : { next: page.next }),
              ...page.scope
            }
          })
        )
        .handle("counts", ({ query }) =>
          Effect.gen(function* () {
            const actor = yield* Auth.CurrentActor
            const now = yield* DateTime.now
            const counted = yield* cases
              .counts(actor, {
                filter: filterOf(query, now),
                ...(query.region === undefined ? {} : { region: query.region }),
                ...(query.owner === undefined ? {} : { owner: query.owner }),
                by: query.by as unknown as CaseIndex.CountQuery["by"],
                ...(query.regionDepth === undefined ? {} : { regionDepth: query.regionDepth })
              })
              .pipe(problem())
            return { rows: counted.rows, ...counted.scope }
          })
        )
    })
  )

  const Identities = HttpApiBuilder.group(
    ServedApi,
    "identities",
    Effect.fn(function* (handlers) {
      const cases = yield* CaseService.CaseService
      return handlers
        .handle("search", ({ payload }) =>
          Effect.flatMap(Auth.CurrentActor, (actor) =>
            cases.findByNik(actor, payload.nik, payload.purpose).pipe(problem())
          )
        )
        .handle("get", ({ params, query }) =>
          Effect.flatMap(Auth.CurrentActor, (actor) =>
            cases.readIdentity(actor, params.caseId, query.purpose).pipe(problem(params.caseId))
          )
        )
        .handle("put", ({ params, payload, query }) =>
          Effect.flatMap(Auth.CurrentActor, (actor) =>
            cases.replaceIdentity(actor, params.caseId, payload, query.purpose).pipe(problem(params.caseId))
          )
        )
        .handle("erase", ({ params, query }) =>
          Effect.flatMap(Auth.CurrentActor, (actor) =>
            cases.eraseIdentity(actor, params.caseId, query.purpose).pipe(problem(params.caseId))
          )
        )
    })
  )

  const regions =
    config.regions === undefined
      ? Effect.cached(Regions.load({ villages: false }))
      : Effect.succeed(Effect.succeed(config.regions))

  const Reference = HttpApiBuilder.group(
    ServedApi,
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

  const SopLive = HttpApiBuilder.group(ServedApi, "sop", (handlers) =>
    Effect.succeed(
      handlers
        .handle("json", () => Effect.succeed(SopTable.describe()))
        .handle("mermaid", () => Effect.succeed(SopTable.mermaid()))
    )
  )

  const Dinas = HttpApiBuilder.group(
    ServedApi,
    "dinas",
    Effect.fn(function* (handlers) {
      const cases = yield* CaseService.CaseService
      return handlers.handle("workload", ({ params, query }) =>
        Effect.gen(function* () {
          const actor = yield* Auth.CurrentActor
          const workload = yield* cases
            .workload(actor, params.agencyId, query.caseworkers === undefined ? {} : { caseworkers: query.caseworkers })
            .pipe(problem())
          const { caseload, ...base } = workload
          if (caseload === undefined) return base
          return {
            ...base,
            caseload: {
              ratio: Number.isFinite(caseload.ratio) ? caseload.ratio : null,
              band: caseload.band,
              maxPerCaseworker: caseload.maxPerCaseworker,
              capacity: caseload.caseworkers * caseload.maxPerCaseworker,
              overCapacity: caseload.overCapacity,
              caseworkersNeeded: caseload.caseworkersNeeded,
              caseworkersShort: caseload.caseworkersShort
            }
          }
        })
      )
    })
  )

  const Health = HttpApiBuilder.group(
    ServedApi,
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
    const policy = Policy.validate(config.policy ?? Policy.defaults)
    if (Result.isFailure(policy)) return yield* new InvalidServerConfig({ reason: policy.failure.message })
    for (const [agency, count] of Object.entries(config.caseworkers ?? {})) {
      if (!Number.isSafeInteger(count) || count < 0) {
        return yield* new InvalidServerConfig({ reason: `caseworkers of ${agency} must be a whole number from 0` })
      }
    }
    if (config.authFailures !== undefined && config.authFailures !== false) {
      const problem = RateLimit.validate(config.authFailures)
      if (problem !== undefined) return yield* new InvalidServerConfig({ reason: `authFailures: ${problem}` })
    }
    for (const path of Object.keys(config.documents ?? {})) {
      if (!/^\/[\w.-]+(?:\/[\w.-]+)*$/u.test(path) || !isFreePath(path)) {
        return yield* new InvalidServerConfig({ reason: `documents: ${JSON.stringify(path)} is not a free path` })
      }
    }
    return yield* Auth.makeVerifier(config.auth)
  })

/** The paths the server serves itself, as patterns (`:caseId` matches any one segment). */
let servedPaths: ReadonlyArray<RegExp> | undefined

/** Whether a path is free for a further document: no path of the API, nor `/openapi.json` or `/docs`, matches it. */
const isFreePath = (path: string): boolean => {
  if (servedPaths === undefined) {
    const paths = ["/openapi.json", "/docs"]
    HttpApi.reflect(Api.Api, { onGroup: () => {}, onEndpoint: ({ endpoint }) => paths.push(endpoint.path) })
    servedPaths = paths.map(
      (served) => new RegExp(`^${served.replace(/[.]/gu, "\\.").replace(/:[^/]+/gu, "[^/]+")}$`, "u")
    )
  }
  return !servedPaths.some((pattern) => pattern.test(path))
}

/**
 * The longest path parameter the router matches, percent-encoded: a 128-character id of 4-byte characters. Longer
 * ones reach the id schema, which answers 400; the router's own default (100) would answer 404 to valid ids.
 */
export const MAX_PARAM_LENGTH = 128 * 12

/**
 * The routes of the API (handlers, `/openapi.json`, `/docs`, problems) as a router layer, without serving them:
 * for composing with other routes (serve them with `routerConfig: { maxParamLength: MAX_PARAM_LENGTH }`). Most
 * applications use {@link layer}.
 */
export const routes = (config: Config) =>
  Layer.unwrap(
    Effect.gen(function* () {
      const verifier = yield* validate(config)
      const limiter = config.authFailures === false ? undefined : yield* RateLimit.make(config.authFailures ?? {})
      const groups = handlersLayer(config)
      const maxBodyBytes = config.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
      const service = CaseService.layer({
        ...(config.policy === undefined ? {} : { policy: config.policy }),
        ...(config.maxAttempts === undefined ? {} : { maxAttempts: config.maxAttempts }),
        ...(config.caseworkers === undefined ? {} : { caseworkers: config.caseworkers }),
        ...(config.replayCacheSize === undefined ? {} : { replayCacheSize: config.replayCacheSize })
      })
      const secured = Layer.mergeAll(groups.Cases, groups.Worklists, groups.Identities, groups.Dinas).pipe(
        Layer.provide(authentication(verifier, limiter, config.trustedProxies ?? [])),
        Layer.provide(service),
        Layer.provide(directoryLayer(config.directory))
      )
      const api = HttpApiBuilder.layer(ServedApi, { openapiPath: "/openapi.json" }).pipe(
        Layer.provide([secured, groups.Reference, groups.SopLive, groups.Health]),
        Layer.provide(requestProblems(maxBodyBytes))
      )
      const docs =
        config.docs === false
          ? Layer.empty
          : HttpApiScalar.layer(ServedApi, { path: "/docs", scalar: { withDefaultFonts: false } })
      const documents = Object.entries(config.documents ?? {}).map(([path, document]) =>
        HttpRouter.add("GET", path as `/${string}`, HttpServerResponse.jsonUnsafe(document))
      )
      return Layer.mergeAll(api, docs, ProblemFallback, ...documents)
    })
  )

/**
 * The server: the API served on the `HttpServer` in context, over the storage ports in context. Needs
 * `HttpServer` and the platform services a Node server layer provides (`NodeHttpServer.layer` or
 * `NodeHttpServer.layerTest`), and `EventStore`, `CaseIndex`, `IdentityVault` and `ExportLog`.
 */
export const layer = (config: Config) =>
  HttpRouter.serve(routes(config), {
    disableLogger: true,
    disableListenLog: true,
    routerConfig: { maxParamLength: MAX_PARAM_LENGTH },
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
 * finish, idle keep-alive connections are closed) and logs. Needs `EventStore`, `CaseIndex`, `IdentityVault` and
 * `ExportLog`.
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
