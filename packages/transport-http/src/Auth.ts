/**
 * Authentication of the HTTP API: the bearer-token middleware ({@link Authentication}) that turns a verified JWT
 * into the {@link CurrentActor}, and — re-exported from `@lindung/wire`'s `Token`, shared with the other transports
 * — the keys, the verifier and development tokens.
 *
 * Authorization (403 naming SOP-07) is not decided here: core's `CaseService` decides it, with `Access`. The server
 * wires authentication together with the failed-authentication limit and the request log (see `Server`).
 *
 * @example
 * ```ts
 * import { Auth } from "@lindung/transport-http"
 *
 * // development
 * const dev = { issuer: "lindung-dev", audience: "lindung", keys: Auth.secret(process.env.LINDUNG_JWT_SECRET!) }
 * const token = await Effect.runPromise(Auth.sign(dev, actor, { expiresIn: "1h" }))
 * // production
 * const prod = { issuer: "https://sso.example.go.id", audience: "lindung", keys: Auth.jwksUrl("https://sso.example.go.id/jwks") }
 * ```
 *
 * @since 0.1.0
 */
import type { Actor } from "@lindung/core"
import { Problem } from "@lindung/wire"
import { Context } from "effect"
import { HttpApiMiddleware, HttpApiSecurity } from "effect/http-api"

// Named one by one (not `export *`): a bundler cannot see the names of an external module's `export *`.
export {
  actorOf,
  authenticate,
  type Config,
  claimsOf,
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  InvalidAuthConfig,
  jwks,
  jwksUrl,
  type Keys,
  keyFile,
  MIN_SECRET_BYTES,
  makeVerifier,
  type PublicAlgorithm,
  publicKey,
  secret,
  sign,
  VERIFIED_TOKEN_CACHE_SIZE,
  type Verifier
} from "@lindung/wire/Token"

/** The actor of the current request, from the verified token. Handlers read it with `yield* CurrentActor`. */
export class CurrentActor extends Context.Service<CurrentActor, Actor.Actor>()(
  "@lindung/transport-http/CurrentActor"
) {}

/** The bearer-token middleware of the API. Its implementation is {@link layer}. */
export class Authentication extends HttpApiMiddleware.Service<Authentication, { provides: CurrentActor }>()(
  "@lindung/transport-http/Authentication",
  {
    security: { bearer: HttpApiSecurity.bearer },
    error: [Problem.Unauthorized, Problem.AuthenticationUnavailable, Problem.TooManyRequests]
  }
) {}
