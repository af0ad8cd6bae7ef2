/**
 * The typed client of the Lindung HTTP API, generated from the same `Api` definition as the server: every
 * endpoint is a method (`client.cases.register`, `client.worklists.list`, …) with typed requests, responses and
 * problems (a 403 fails with `Problem.Forbidden`, a 409 with `Problem.VersionConflict`, …).
 *
 * The bearer token is set per client ({@link make} with `token`) or per request ({@link withToken}, read when
 * the request is sent), so one client can act for several actors (tests, a gateway).
 *
 * @example
 * ```ts
 * import { Client } from "@lindung/transport-http"
 * import { Effect } from "effect"
 * import { FetchHttpClient } from "effect/http"
 *
 * const program = Effect.gen(function* () {
 *   const client = yield* Client.make({ baseUrl: "http://127.0.0.1:8080", token })
 *   const view = yield* client.cases.get({ params: { caseId: "case-1" } })
 *   const page = yield* client.worklists.list({ query: { stage: ["assessment"], overdue: "true" } })
 * }).pipe(Effect.provide(FetchHttpClient.layer))
 * ```
 *
 * @since 0.1.0
 */
import { Context, Effect } from "effect"
import { FetchHttpClient, HttpClient, HttpClientRequest } from "effect/http"
import { HttpApiClient } from "effect/http-api"
import * as Api from "./Api.js"

/** The bearer token of the requests sent in the current fiber; `undefined` sends no token. */
export const BearerToken = Context.Reference<string | undefined>("@lindung/transport-http/BearerToken", {
  defaultValue: () => undefined
})

/** Options of {@link make}. */
export interface Options {
  /** The server's base URL, e.g. `http://127.0.0.1:8080`; omit it when the `HttpClient` already prefixes URLs. */
  readonly baseUrl?: string | URL
  /** A fixed bearer token; otherwise the token of {@link withToken} (or none) is sent. */
  readonly token?: string
}

/** Builds the typed client. Needs an `HttpClient` (e.g. `FetchHttpClient.layer`, see {@link layerFetch}). */
export const make = (options: Options = {}) =>
  HttpApiClient.make(Api.Api, {
    ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }),
    transformClient: HttpClient.mapRequestEffect((request) =>
      Effect.map(BearerToken, (perRequest) => {
        const token = options.token ?? perRequest
        return token === undefined ? request : HttpClientRequest.bearerToken(request, token)
      })
    )
  })

/** The client {@link make} builds. */
export type Client = Effect.Success<ReturnType<typeof make>>

/** Runs `effect` (client calls) with `token` as the bearer token. */
export const withToken =
  (token: string | undefined) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.provideService(effect, BearerToken, token)

/** A fresh `Idempotency-Key` (a random UUID): use one per command, and the same one for its retries. */
export const idempotencyKey = (): string => crypto.randomUUID()

/** An `HttpClient` on the platform's `fetch`. */
export const layerFetch = FetchHttpClient.layer
