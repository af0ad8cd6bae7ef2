/**
 * Bearer tokens, for every transport: a JWT verified with `jose`, whose subject the directory turns into the actor
 * (core's `Directory.authenticate`: the directory is the truth, a claim never overrides it).
 *
 * - Keys: an HS256 shared secret for development ({@link secret}), or RS256/ES256 public keys for production —
 *   a JWKS URL ({@link jwksUrl}, fetched and cached by `jose`), a key file ({@link keyFile}: a PEM public key or
 *   a JWKS document), or keys already in memory ({@link publicKey}, {@link jwks}).
 * - Checked: the signature, the algorithm (never `none`), `iss`, `aud`, `exp` (required) and `nbf`, with a small
 *   clock tolerance. A verified token is remembered (by its SHA-256) until it expires — with a JWKS URL, no longer
 *   than the key set is cached, so a withdrawn key stops its tokens as soon as it would stop new ones.
 * - Claims → actor: `sub` must be an active person of the directory; `agency` is needed only when the person works
 *   for several agencies; any `role`, `position`, `region` or `agency` claim must agree with the directory, or the
 *   token is refused.
 * - No token, a bad signature, an expired token, or a subject the directory does not recognise →
 *   `Problem.Unauthorized` (the token itself never appears in a problem or a log); keys that cannot be fetched →
 *   `Problem.AuthenticationUnavailable`.
 *
 * `@lindung/transport-http` re-exports this module as `Auth`, with its HTTP middleware.
 *
 * @example
 * ```ts
 * import { Token } from "@lindung/wire"
 *
 * // development
 * const dev = { issuer: "lindung-dev", audience: "lindung", keys: Token.secret(process.env.LINDUNG_JWT_SECRET!) }
 * const token = await Effect.runPromise(Token.sign(dev, actor, { expiresIn: "1h" }))
 * // production
 * const prod = { issuer: "https://sso.example.go.id", audience: "lindung", keys: Token.jwksUrl("https://sso.example.go.id/jwks") }
 * ```
 *
 * @since 0.4.0
 */
import { createHash } from "node:crypto"
import { readFile } from "node:fs/promises"
import { type Actor, Directory } from "@lindung/core"
import { Clock, Effect, Option, Redacted, Result, Schema } from "effect"
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  importSPKI,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
  jwtVerify,
  SignJWT
} from "jose"
import * as Problem from "./Problem.js"

/** Asymmetric algorithms accepted for production keys. */
export type PublicAlgorithm = "RS256" | "ES256"

/** Where the verification keys come from. */
export type Keys =
  | {
      /** HS256 with a shared secret of at least 32 bytes: for development and tests. */
      readonly _tag: "Secret"
      readonly secret: Redacted.Redacted<string>
    }
  | {
      /** A JWKS URL of the identity provider; keys are fetched, cached and refreshed by `jose`. */
      readonly _tag: "JwksUrl"
      readonly url: string
      /** How long to wait for the key set, in milliseconds. Default 5000. */
      readonly timeoutMs?: number
      /** How long a fetched key set is kept, in milliseconds. Default 600000 (10 minutes). */
      readonly cacheMaxAgeMs?: number
    }
  | {
      /** A JWKS document (e.g. read from a key file). */
      readonly _tag: "Jwks"
      readonly jwks: JSONWebKeySet
    }
  | {
      /** One PEM-encoded public key (SPKI, `-----BEGIN PUBLIC KEY-----`) and its algorithm. */
      readonly _tag: "PublicKey"
      readonly pem: string
      readonly algorithm: PublicAlgorithm
    }

/** The smallest HS256 secret accepted, in bytes (RFC 7518 §3.2: at least the hash size). */
export const MIN_SECRET_BYTES = 32

/** Default clock tolerance for `exp` and `nbf`, in seconds. */
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30

/**
 * How many verified tokens a verifier remembers (by a SHA-256 of the token, never the token), each until it expires:
 * a request with a token already verified skips the signature check. The directory is still asked on every request,
 * so a person who left is refused at once.
 */
export const VERIFIED_TOKEN_CACHE_SIZE = 10_000

/** How tokens are verified. */
export interface Config {
  /** The expected `iss` claim. */
  readonly issuer: string
  /** The expected `aud` claim (the token may list several audiences; one must be this). */
  readonly audience: string
  readonly keys: Keys
  /** Accepted algorithms; default HS256 for a secret, RS256 and ES256 for public keys. */
  readonly algorithms?: ReadonlyArray<"HS256" | PublicAlgorithm>
  /** Clock tolerance in seconds. Default {@link DEFAULT_CLOCK_TOLERANCE_SECONDS}. */
  readonly clockToleranceSeconds?: number
}

/** The authentication configuration is unusable: `reason` says why (never contains a secret). */
export class InvalidAuthConfig extends Schema.TaggedError<InvalidAuthConfig>()("InvalidAuthConfig", {
  reason: Schema.String
}) {
  override get message(): string {
    return `Invalid authentication configuration: ${this.reason}`
  }
}

/** HS256 keys from a shared secret (development and tests). */
export const secret = (value: string | Redacted.Redacted<string>): Keys => ({
  _tag: "Secret",
  secret: Redacted.isRedacted(value) ? value : Redacted.make(value)
})

/** Keys from the identity provider's JWKS URL. */
export const jwksUrl = (
  url: string,
  options: { readonly timeoutMs?: number; readonly cacheMaxAgeMs?: number } = {}
): Keys => ({
  _tag: "JwksUrl",
  url,
  ...options
})

/** Keys from a JWKS document. */
export const jwks = (document: JSONWebKeySet): Keys => ({ _tag: "Jwks", jwks: document })

/** One PEM public key (SPKI) with its algorithm. */
export const publicKey = (pem: string, algorithm: PublicAlgorithm): Keys => ({ _tag: "PublicKey", pem, algorithm })

/**
 * Keys from a file: a PEM public key (`-----BEGIN PUBLIC KEY-----`, with `algorithm`, default RS256) or a JWKS
 * document (`{"keys": [...]}`).
 */
export const keyFile = (path: string, algorithm: PublicAlgorithm = "RS256"): Effect.Effect<Keys, InvalidAuthConfig> =>
  Effect.gen(function* () {
    const text = yield* Effect.tryPromise({
      try: () => readFile(path, "utf8"),
      catch: (cause) =>
        new InvalidAuthConfig({
          reason: `cannot read the key file ${path}: ${cause instanceof Error ? cause.message : String(cause)}`
        })
    })
    const trimmed = text.trim()
    if (trimmed.startsWith("-----BEGIN PUBLIC KEY-----")) return publicKey(trimmed, algorithm)
    if (trimmed.startsWith("-----BEGIN")) {
      return yield* new InvalidAuthConfig({
        reason: `the key file ${path} must hold a public key (BEGIN PUBLIC KEY) or a JWKS document, never a private key`
      })
    }
    const parsed = yield* Effect.try({
      try: () => JSON.parse(trimmed) as unknown,
      catch: () => new InvalidAuthConfig({ reason: `the key file ${path} is neither a PEM public key nor JSON` })
    })
    if (typeof parsed !== "object" || parsed === null || !Array.isArray((parsed as { keys?: unknown }).keys)) {
      return yield* new InvalidAuthConfig({
        reason: `the key file ${path} is JSON but not a JWKS document ({"keys": [...]})`
      })
    }
    return jwks(parsed as JSONWebKeySet)
  })

const unauthorized = (detail: string) => new Problem.Unauthorized({ detail })

/** Verifies tokens: the claims of a valid token, or the problem to answer. */
export interface Verifier {
  readonly verify: (
    token: string
  ) => Effect.Effect<Directory.Claims, Problem.Unauthorized | Problem.AuthenticationUnavailable>
  /**
   * The claims of a token this verifier has verified and still accepts, found without verifying it again (no
   * signature check); none for any other token. A server that refuses an address's tokens for a while, after too many
   * failures from it, still lets in a token it already verified: people behind one address (a NAT, an office) keep
   * working while someone there sends bad tokens.
   */
  readonly remembered: (token: string) => Effect.Effect<Option.Option<Directory.Claims>>
}

/** The actor a verified token's claims name, from the directory; 401 when the directory does not recognise it. */
export const actorOf = (
  snapshot: Directory.Snapshot,
  claims: Directory.Claims
): Result.Result<Actor.Actor, Problem.Unauthorized> =>
  Result.mapError(Directory.authenticate(snapshot, claims), (refusal) => unauthorized(`${refusal.detail}`))

/** Verifies a token and finds its actor in the directory in context. */
export const authenticate = (
  verifier: Verifier,
  token: string
): Effect.Effect<Actor.Actor, Problem.Unauthorized | Problem.AuthenticationUnavailable, Directory.Directory> =>
  Effect.gen(function* () {
    const claims = yield* verifier.verify(token)
    const snapshot = yield* (yield* Directory.Directory).current
    const actor = actorOf(snapshot, claims)
    return Result.isSuccess(actor) ? actor.success : yield* actor.failure
  })

type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>
type Key = HmacKey | Uint8Array | Awaited<ReturnType<typeof importSPKI>> | JWTVerifyGetKey

/** The HS256 secret as bytes, checked for length. */
const secretBytes = (
  keys: Extract<Keys, { readonly _tag: "Secret" }>
): Effect.Effect<Uint8Array, InvalidAuthConfig> => {
  const bytes = new TextEncoder().encode(Redacted.value(keys.secret))
  return bytes.length >= MIN_SECRET_BYTES
    ? Effect.succeed(bytes)
    : Effect.fail(
        new InvalidAuthConfig({
          reason: `an HS256 secret needs at least ${MIN_SECRET_BYTES} bytes (it has ${bytes.length})`
        })
      )
}

const resolveKey = (keys: Keys): Effect.Effect<Key, InvalidAuthConfig> => {
  switch (keys._tag) {
    case "Secret":
      // Imported once as a WebCrypto key: given raw bytes, jose would import them again on every verification.
      return Effect.flatMap(secretBytes(keys), (bytes) =>
        Effect.tryPromise({
          try: () => crypto.subtle.importKey("raw", bytes, { name: "HMAC", hash: "SHA-256" }, false, ["verify"]),
          catch: () => new InvalidAuthConfig({ reason: "the HS256 secret does not import as an HMAC key" })
        })
      )
    case "JwksUrl": {
      let url: URL
      try {
        url = new URL(keys.url)
      } catch {
        return Effect.fail(new InvalidAuthConfig({ reason: `the JWKS URL ${JSON.stringify(keys.url)} is not a URL` }))
      }
      if (url.protocol !== "https:" && url.protocol !== "http:") {
        return Effect.fail(
          new InvalidAuthConfig({ reason: "the JWKS URL must use https (or http on a private network)" })
        )
      }
      return Effect.succeed(
        createRemoteJWKSet(url, {
          timeoutDuration: keys.timeoutMs ?? 5_000,
          cacheMaxAge: keys.cacheMaxAgeMs ?? 600_000
        })
      )
    }
    case "Jwks":
      return Effect.try({
        try: () => createLocalJWKSet(keys.jwks),
        catch: (cause) =>
          new InvalidAuthConfig({
            reason: `the JWKS document is not valid: ${cause instanceof Error ? cause.message : String(cause)}`
          })
      })
    case "PublicKey":
      return Effect.tryPromise({
        try: () => importSPKI(keys.pem, keys.algorithm),
        catch: (cause) =>
          new InvalidAuthConfig({
            reason: `the public key does not import as ${keys.algorithm}: ${cause instanceof Error ? cause.message : String(cause)}`
          })
      })
  }
}

const describeFailure = (cause: unknown, remote: boolean): Problem.Unauthorized | Problem.AuthenticationUnavailable => {
  if (cause instanceof errors.JWTExpired) return unauthorized("The token has expired")
  if (cause instanceof errors.JWTClaimValidationFailed) {
    return unauthorized(`The token's ${cause.claim} claim is not accepted (${cause.reason})`)
  }
  if (cause instanceof errors.JWSSignatureVerificationFailed)
    return unauthorized("The token's signature does not verify")
  if (cause instanceof errors.JOSEAlgNotAllowed) return unauthorized("The token's algorithm is not accepted")
  if (cause instanceof errors.JWKSNoMatchingKey) return unauthorized("No known key matches the token")
  if (cause instanceof errors.JWSInvalid || cause instanceof errors.JWTInvalid) {
    return unauthorized("The bearer token is not a well-formed signed JWT")
  }
  if (
    remote &&
    (cause instanceof errors.JWKSTimeout ||
      cause instanceof errors.JWKSInvalid ||
      !(cause instanceof errors.JOSEError) ||
      cause.code === "ERR_JOSE_GENERIC")
  ) {
    return new Problem.AuthenticationUnavailable({
      detail: "The keys that verify tokens cannot be fetched; retry later"
    })
  }
  return unauthorized("The bearer token is not accepted")
}

/** Builds a {@link Verifier}; fails when the configuration is unusable (a short secret, a bad key). */
export const makeVerifier = (config: Config): Effect.Effect<Verifier, InvalidAuthConfig> =>
  Effect.gen(function* () {
    if (config.issuer.length === 0) return yield* new InvalidAuthConfig({ reason: "the issuer is empty" })
    if (config.audience.length === 0) return yield* new InvalidAuthConfig({ reason: "the audience is empty" })
    const key = yield* resolveKey(config.keys)
    const algorithms = [
      ...(config.algorithms ??
        (config.keys._tag === "Secret"
          ? ["HS256"]
          : config.keys._tag === "PublicKey"
            ? [config.keys.algorithm]
            : ["RS256", "ES256"]))
    ]
    if (config.keys._tag === "Secret" && algorithms.some((alg) => alg !== "HS256")) {
      return yield* new InvalidAuthConfig({ reason: "a shared secret verifies HS256 only" })
    }
    if (config.keys._tag !== "Secret" && algorithms.includes("HS256")) {
      return yield* new InvalidAuthConfig({ reason: "HS256 needs a shared secret, not public keys" })
    }
    const options = {
      algorithms,
      issuer: config.issuer,
      audience: config.audience,
      requiredClaims: ["sub", "exp"],
      clockTolerance: config.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS
    }
    const remote = config.keys._tag === "JwksUrl"
    const remoteKeysMaxAgeMs = config.keys._tag === "JwksUrl" ? (config.keys.cacheMaxAgeMs ?? 600_000) : 0
    // Verified tokens, by digest, with the instant (ms) they stop being accepted: their expiry plus the tolerance.
    const verified = new Map<string, { readonly payload: Directory.Claims; readonly until: number }>()
    /** The remembered claims of a token still accepted at `now` (an expired one is forgotten). */
    const recall = (digest: string, now: number): Directory.Claims | undefined => {
      const known = verified.get(digest)
      if (known !== undefined && now < known.until) return known.payload
      if (known !== undefined) verified.delete(digest)
      return undefined
    }
    const digestOf = (token: string) => createHash("sha256").update(token).digest("base64url")
    const remembered = (token: string) =>
      Effect.map(Clock.currentTimeMillis, (now) =>
        token.length === 0 ? Option.none() : Option.fromUndefinedOr(recall(digestOf(token), now))
      )
    const verify = (token: string) =>
      Effect.gen(function* () {
        if (token.length === 0) return yield* unauthorized("A bearer token is required (Authorization: Bearer <token>)")
        const now = yield* Clock.currentTimeMillis
        const digest = digestOf(token)
        const known = recall(digest, now)
        if (known !== undefined) return known
        const verifyOptions = { ...options, currentDate: new Date(now) }
        const { payload } = yield* Effect.tryPromise({
          try: () =>
            typeof key === "function"
              ? jwtVerify(token, key, verifyOptions)
              : jwtVerify(token, key as HmacKey, verifyOptions),
          catch: (cause) => describeFailure(cause, remote)
        })
        if (typeof payload.exp === "number") {
          if (verified.size >= VERIFIED_TOKEN_CACHE_SIZE) {
            const oldest = verified.keys().next()
            if (oldest.done !== true) verified.delete(oldest.value)
          }
          // Remote keys may be withdrawn: a token verified with one is remembered no longer than the key set is.
          const expires = (payload.exp + options.clockTolerance) * 1000
          verified.set(digest, { payload, until: remote ? Math.min(expires, now + remoteKeysMaxAgeMs) : expires })
        }
        return payload satisfies Directory.Claims
      })
    return { verify, remembered }
  })

/**
 * The claims a development token carries for an actor besides `sub`: its agency (so that a person of several
 * agencies acts for the right one). Nothing else — the directory says the rest.
 */
export const claimsOf = (actor: Actor.Actor): Record<string, string> => ({ agency: actor.agency })

/**
 * Signs an HS256 token for an actor with the configuration's secret: development tokens (`lindung token`) and
 * tests. Fails for a configuration without a shared secret — production tokens come from the identity provider.
 */
export const sign = (
  config: Config,
  actor: Actor.Actor,
  options: { readonly expiresIn?: string | number; readonly issuedAt?: number } = {}
): Effect.Effect<string, InvalidAuthConfig> =>
  Effect.gen(function* () {
    if (config.keys._tag !== "Secret") {
      return yield* new InvalidAuthConfig({ reason: "tokens are signed here only with a development shared secret" })
    }
    const key = yield* secretBytes(config.keys)
    return yield* Effect.promise(() => {
      const jwt = new SignJWT(claimsOf(actor))
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setSubject(actor.id)
        .setIssuer(config.issuer)
        .setAudience(config.audience)
        .setIssuedAt(options.issuedAt)
        .setExpirationTime(options.expiresIn ?? "1h")
      return jwt.sign(key)
    })
  })
