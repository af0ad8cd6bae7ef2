/**
 * Authentication over HTTP: HS256 development tokens, RS256 from a key file, ES256 from a JWKS URL; every way a
 * token can be wrong gives 401 with a problem body, an unreachable key set gives 503, and the claims give the actor.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { createServer } from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { fc } from "@fast-check/vitest"
import { Actor, Directory, Person } from "@lindung/core"
import { layerMemory } from "@lindung/storage-memory"
import { Effect, Exit, Layer, Redacted, Result } from "effect"
import { TestClock } from "effect/testing"
import { exportJWK, exportPKCS8, exportSPKI, generateKeyPair, SignJWT, UnsecuredJWT } from "jose"
import { Auth } from "../src/index.js"
import { agencies, auth, directory, people, raw, SECRET, serve, tokenFor } from "./harness.js"

const claims = Auth.claimsOf(people.worker)

const signed = (
  key: Parameters<SignJWT["sign"]>[0],
  options: {
    readonly alg?: string
    readonly kid?: string
    readonly issuer?: string
    readonly audience?: string
    readonly exp?: number | string | null
    readonly body?: Record<string, unknown>
    readonly sub?: string | null
  } = {}
) =>
  Effect.promise(() => {
    let jwt = new SignJWT(options.body ?? claims)
      .setProtectedHeader({ alg: options.alg ?? "HS256", ...(options.kid === undefined ? {} : { kid: options.kid }) })
      .setIssuer(options.issuer ?? auth.issuer)
      .setAudience(options.audience ?? auth.audience)
      .setIssuedAt()
    if (options.sub !== null) jwt = jwt.setSubject(options.sub ?? people.worker.id)
    if (options.exp !== null) jwt = jwt.setExpirationTime(options.exp ?? "5m")
    return jwt.sign(key)
  })

const secretKey = new TextEncoder().encode(SECRET)

/** Status and problem body of `GET /cases` with a token (or raw Authorization header). */
const probe = (authorization: string | undefined) =>
  Effect.gen(function* () {
    const response = yield* raw("GET", "/cases", {
      ...(authorization === undefined ? {} : { headers: { authorization } })
    })
    const body = (yield* Effect.orDie(response.json)) as Record<string, unknown>
    return { status: response.status, body, headers: response.headers }
  })

describe("Auth", () => {
  it.live("accepts a valid HS256 token and names every way a token is wrong (401 problem)", () =>
    Effect.gen(function* () {
      const ok = yield* probe(`Bearer ${yield* tokenFor(people.worker)}`)
      assert.strictEqual(ok.status, 200)

      const cases: ReadonlyArray<readonly [string, string | undefined, RegExp]> = [
        ["no Authorization header", undefined, /bearer token is required/i],
        ["another scheme", `Basic ${btoa("user:pass")}`, /bearer token is required/i],
        ["not a JWT", "Bearer not-a-jwt", /not a well-formed/i],
        [
          "a bad signature",
          `Bearer ${yield* signed(new TextEncoder().encode("another-secret-of-at-least-32-bytes!!"))}`,
          /signature/i
        ],
        [
          "an expired token",
          `Bearer ${yield* signed(secretKey, { exp: Math.floor(Date.now() / 1000) - 3600 })}`,
          /expired/i
        ],
        ["no expiry", `Bearer ${yield* signed(secretKey, { exp: null })}`, /exp/i],
        ["a wrong issuer", `Bearer ${yield* signed(secretKey, { issuer: "someone-else" })}`, /iss/],
        ["a wrong audience", `Bearer ${yield* signed(secretKey, { audience: "another-api" })}`, /aud/],
        ["no subject", `Bearer ${yield* signed(secretKey, { sub: null })}`, /sub/],
        [
          "a subject who is nobody",
          `Bearer ${yield* signed(secretKey, { sub: "Budi Santoso 1371999999999999" })}`,
          /not an active person of the directory/
        ],
        [
          "a role the directory does not give",
          `Bearer ${yield* signed(secretKey, { body: { ...claims, role: "head-of-dinas" } })}`,
          /role claim does not agree/
        ],
        [
          "a region claim wider than the agency's",
          `Bearer ${yield* signed(secretKey, { body: { ...claims, region: "ID" } })}`,
          /region claim does not agree/
        ],
        [
          "an agency the person does not work for",
          `Bearer ${yield* signed(secretKey, { body: { agency: "dinsos-64.71" } })}`,
          /agency claim/
        ],
        [
          "alg none",
          `Bearer ${new UnsecuredJWT(claims).setSubject(people.worker.id).setIssuer(auth.issuer).setAudience(auth.audience).setExpirationTime("5m").encode()}`,
          /not accepted|well-formed/i
        ]
      ]
      for (const [label, header, detail] of cases) {
        const answer = yield* probe(header)
        assert.strictEqual(answer.status, 401, label)
        assert.strictEqual(answer.headers["content-type"], "application/problem+json", label)
        assert.strictEqual(answer.headers["www-authenticate"], 'Bearer realm="lindung"', label)
        assert.strictEqual(answer.body.type, "urn:lindung:problem:unauthorized", label)
        assert.match(String(answer.body.detail), detail, label)
        if (header !== undefined) assert.notInclude(JSON.stringify(answer.body), header.slice(7), label)
      }
    }).pipe(Effect.provide(serve(layerMemory)))
  )

  it.live("verifies RS256 tokens with a public key file, and refuses HS256 tokens there", () =>
    Effect.gen(function* () {
      const dir = yield* Effect.acquireRelease(
        Effect.promise(() => mkdtemp(join(tmpdir(), "lindung-auth-"))),
        (path) => Effect.promise(() => rm(path, { recursive: true, force: true }))
      )
      const { publicKey, privateKey } = yield* Effect.promise(() => generateKeyPair("RS256", { extractable: true }))
      const pem = join(dir, "public.pem")
      yield* Effect.promise(() => exportSPKI(publicKey).then((text) => writeFile(pem, text)))
      const keys = yield* Auth.keyFile(pem, "RS256")
      assert.strictEqual(keys._tag, "PublicKey")
      const config = { ...auth, keys }
      yield* Effect.gen(function* () {
        const token = yield* signed(privateKey, { alg: "RS256" })
        assert.strictEqual((yield* probe(`Bearer ${token}`)).status, 200)
        const hs = yield* probe(`Bearer ${yield* signed(secretKey)}`)
        assert.strictEqual(hs.status, 401)
      }).pipe(Effect.provide(serve(layerMemory, { auth: config })))

      // A private key in the key file is refused; so is a file that is neither PEM nor JWKS.
      const secretFile = join(dir, "private.pem")
      yield* Effect.promise(() => exportPKCS8(privateKey).then((text) => writeFile(secretFile, text)))
      const refused = yield* Effect.flip(Auth.keyFile(secretFile))
      assert.match(refused.reason, /never a private key/)
      const junk = join(dir, "junk.txt")
      yield* Effect.promise(() => writeFile(junk, "hello"))
      assert.match((yield* Effect.flip(Auth.keyFile(junk))).reason, /neither a PEM public key nor JSON/)
      assert.match((yield* Effect.flip(Auth.keyFile(join(dir, "missing.pem")))).reason, /cannot read/)
    }).pipe(Effect.scoped)
  )

  it.live("verifies ES256 tokens with keys from a JWKS URL, and answers 503 when the key set is unreachable", () =>
    Effect.gen(function* () {
      const { publicKey, privateKey } = yield* Effect.promise(() => generateKeyPair("ES256", { extractable: true }))
      const jwk = yield* Effect.promise(() => exportJWK(publicKey))
      const jwks = JSON.stringify({ keys: [{ ...jwk, kid: "key-1", alg: "ES256", use: "sig" }] })
      const server = yield* Effect.acquireRelease(
        Effect.promise(
          () =>
            new Promise<ReturnType<typeof createServer>>((resolve) => {
              const s = createServer((_request, response) => {
                response.writeHead(200, { "content-type": "application/json" })
                response.end(jwks)
              })
              s.listen(0, "127.0.0.1", () => resolve(s))
            })
        ),
        (s) => Effect.promise(() => new Promise<void>((resolve) => s.close(() => resolve())))
      )
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      const config = { ...auth, keys: Auth.jwksUrl(`http://127.0.0.1:${port}/jwks.json`) }
      yield* Effect.gen(function* () {
        assert.strictEqual(
          (yield* probe(`Bearer ${yield* signed(privateKey, { alg: "ES256", kid: "key-1" })}`)).status,
          200
        )
        const unknownKey = yield* probe(`Bearer ${yield* signed(privateKey, { alg: "ES256", kid: "key-2" })}`)
        assert.strictEqual(unknownKey.status, 401)
      }).pipe(Effect.provide(serve(layerMemory, { auth: config })))

      // A key set that cannot be fetched: 503, not 401 and never 500.
      const closed = { ...auth, keys: Auth.jwksUrl("http://127.0.0.1:9/jwks.json", { timeoutMs: 500 }) }
      yield* Effect.gen(function* () {
        const answer = yield* probe(`Bearer ${yield* signed(privateKey, { alg: "ES256", kid: "key-1" })}`)
        assert.strictEqual(answer.status, 503)
        assert.strictEqual(answer.body.type, "urn:lindung:problem:authentication-unavailable")
      }).pipe(Effect.provide(serve(layerMemory, { auth: closed })))
    }).pipe(Effect.scoped)
  )

  it.live("refuses unusable configurations when the server starts", () =>
    Effect.gen(function* () {
      const short = yield* Effect.exit(
        Layer.build(serve(layerMemory, { auth: { ...auth, keys: Auth.secret("short") } }))
      )
      assert.isTrue(Exit.isFailure(short))
      const mixed = yield* Effect.flip(Auth.makeVerifier({ ...auth, algorithms: ["RS256"] }))
      assert.match(mixed.reason, /HS256 only/)
      const badUrl = yield* Effect.flip(Auth.makeVerifier({ ...auth, keys: Auth.jwksUrl("not a url") }))
      assert.match(badUrl.reason, /not a URL/)
      const noIssuer = yield* Effect.flip(Auth.makeVerifier({ ...auth, issuer: "" }))
      assert.match(noIssuer.reason, /issuer/)
      const notSecret = yield* Effect.flip(
        Auth.sign({ ...auth, keys: Auth.jwksUrl("https://sso.example.go.id/jwks") }, people.worker)
      )
      assert.match(notSecret.message, /development shared secret/)
    }).pipe(Effect.scoped)
  )

  it.effect("remembers a verified token only until it expires (plus the tolerance), on the Effect clock", () =>
    Effect.gen(function* () {
      const verifier = yield* Auth.makeVerifier(auth)
      const issued = Date.now()
      const exp = Math.floor(issued / 1000) + 300
      const token = yield* signed(secretKey, { exp })
      yield* TestClock.setTime(issued)
      const first = yield* verifier.verify(token)
      assert.strictEqual(first.sub, people.worker.id)
      // Remembered: the same claims again while it is valid.
      yield* TestClock.setTime((exp + Auth.DEFAULT_CLOCK_TOLERANCE_SECONDS) * 1000 - 1_000)
      assert.deepStrictEqual(yield* verifier.verify(token), first)
      // Past its expiry and the tolerance, the remembered token is refused like any expired one.
      yield* TestClock.setTime((exp + Auth.DEFAULT_CLOCK_TOLERANCE_SECONDS) * 1000 + 1_000)
      const expired = yield* Effect.flip(verifier.verify(token))
      assert.match(expired.message, /expired/i)
      // A token that fails is never remembered as valid.
      const forged = yield* signed(new TextEncoder().encode("another-secret-of-at-least-32-bytes!!"), { exp })
      yield* TestClock.setTime(issued)
      for (let i = 0; i < 2; i++) assert.match((yield* Effect.flip(verifier.verify(forged))).message, /signature/i)
    })
  )

  it.live("a token names a person: the directory gives the actor, and a claim that disagrees is refused", () =>
    Effect.gen(function* () {
      const verifier = yield* Auth.makeVerifier(auth)
      const agencyIds = Object.values(agencies).map((agency) => agency.id)
      const membership = fc.record({
        id: fc.stringMatching(/^[a-z0-9-]{1,20}$/),
        role: fc.constantFrom(...(Object.keys(Actor.roles) as Array<Actor.Role>)),
        position: fc.option(fc.constantFrom(...(Object.keys(Actor.positions) as Array<Actor.Position>)), {
          nil: undefined
        }),
        agency: fc.constantFrom(...agencyIds),
        active: fc.boolean()
      })
      yield* Effect.promise(() =>
        fc.assert(
          fc.asyncProperty(membership, fc.constantFrom(...agencyIds), async (input, otherAgency) => {
            const person = Person.make({
              id: input.id,
              role: input.role,
              agency: input.agency,
              active: input.active,
              ...(input.position === undefined ? {} : { position: input.position })
            })
            const snapshot = Result.getOrThrow(Directory.make(directory, [person]))
            const agency = directory.get(person.agency)
            if (agency === undefined) return false
            const expected = Person.actorOf(person, agency)
            // Tokens signed for the actor carry sub and agency; whatever the token says, the directory decides.
            const token = await Effect.runPromise(Auth.sign(auth, expected, { expiresIn: "1m" }))
            const claims = await Effect.runPromise(verifier.verify(token))
            const actor = Auth.actorOf(snapshot, claims)
            // Nor does a token ever name the scheduler's person (role system).
            if (!input.active || input.role === "system") return Result.isFailure(actor)
            if (Result.isFailure(actor) || JSON.stringify(actor.success) !== JSON.stringify(expected)) return false
            const wider = Auth.actorOf(snapshot, { ...claims, region: "ID" })
            const elsewhere = Auth.actorOf(snapshot, { ...claims, agency: otherAgency })
            const promoted = Auth.actorOf(snapshot, { ...claims, role: "head-of-dinas" })
            return (
              Result.isSuccess(wider) === (expected.region === "ID") &&
              Result.isSuccess(elsewhere) === (otherAgency === person.agency) &&
              Result.isSuccess(promoted) === (person.role === "head-of-dinas")
            )
          }),
          { numRuns: 100 }
        )
      )
      assert.isTrue(Redacted.isRedacted((Auth.secret(SECRET) as { secret: unknown }).secret))
    })
  )

  it("needs the agency claim when the person works for several agencies", () => {
    const twice = [
      Person.make({ id: "sakti-peksos-x", role: "caseworker", agency: "dinsos-13.71" }),
      Person.make({ id: "sakti-peksos-x", role: "caseworker", agency: "sentra-handayani" })
    ]
    const snapshot = Result.getOrThrow(Directory.make(directory, twice))
    const none = Auth.actorOf(snapshot, { sub: "sakti-peksos-x" })
    assert.isTrue(Result.isFailure(none) && /several agencies/.test(none.failure.detail ?? ""))
    const sentra = Auth.actorOf(snapshot, { sub: "sakti-peksos-x", agency: "sentra-handayani" })
    assert.deepStrictEqual(Result.isSuccess(sentra) ? sentra.success.region : undefined, "ID")
  })
})
