/**
 * The HTTP fuzz: generated requests over real HTTP, across every endpoint and every person of the directory and
 * every kind of bad token (`fuzz/requests.ts`). 20,000 per run by default; `LINDUNG_FUZZ_REQUESTS` sets the
 * number (`npm run fuzz`: 100,000) and `LINDUNG_FUZZ_SEED` replays a run.
 *
 * Checked on every response: the status is below 500 and, where the request says, exactly the one core's `Access`
 * decides; every error is an RFC 9457 problem whose `status` is the response's; no request other than a read
 * succeeds; the response carries `no-store`, `nosniff` and a request id; no response holds a child's identity
 * unless it is a 200 identity read by an actor `Access` allows, and none ever echoes an identity value or token the
 * fuzz sent. Checked on the store before, every 5,000 requests and after: `verify` finds no break and the digest
 * of every event, index entry and identity is unchanged; the identity access trail grew by exactly the reads that
 * passed authorization.
 */
import { assert, describe, it } from "@effect/vitest"
import { fc } from "@fast-check/vitest"
import { Access, Actor, Case, EventStore, IdentityVault, type Subject } from "@lindung/core"
import { layerMemory } from "@lindung/storage-memory"
import { Effect, Schema } from "effect"
import { HttpServer } from "effect/http"
import { SignJWT, UnsecuredJWT } from "jose"
import { Api, Auth } from "../src/index.js"
import { start } from "./fuzz/client.js"
import { requests as allRequests, type BadAuth, ECHO, type FuzzRequest, identityRoute } from "./fuzz/requests.js"
import { type Snapshot, snapshot, stateChange, type TrailKey, trailAdditions, trailKey } from "./fuzz/store.js"
import { auth, clientAs, directory, people, SECRET, serve, tokenFor } from "./harness.js"
import { report, toClosure } from "./story.js"
import { runSteps } from "./suite.js"

const TOTAL = Number(process.env.LINDUNG_FUZZ_REQUESTS ?? 20_000)
const SEED = Number(process.env.LINDUNG_FUZZ_SEED ?? Date.now() % 2 ** 31)
const CHUNK = 1_000
const SAMPLE_EVERY = 5_000
const CONCURRENCY = 16

/** The identities of the fixture: each value is a sentinel no other response may contain. */
const identities = {
  "case-fuzz": {
    name: "Sentinel Padang Qzxv",
    nik: "9371019901017777",
    familyNames: ["Ibu Sentinel Wkjq"],
    address: "Jalan Sentinel Ypmr"
  },
  "case-bpp": { name: "Sentinel Balikpapan Hgtd", familyNames: ["Ayah Sentinel Lnvb"], school: "Sekolah Sentinel Rfco" }
} as const

const sentinels = (caseId: string): ReadonlyArray<string> => {
  const identity = identities[caseId as keyof typeof identities]
  return identity === undefined ? [] : Object.values(identity).flat()
}

/** Count dimensions with one value per case: their counts add up to at most the cases counted. */
const singleValued = new Set(["region", "owner", "stage", "risk", "subjectKind", "ageBand", "sppaRole"])

const REQUEST_ID = /^[\w.:-]{1,64}$/u
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/u

/**
 * The fixture: a Padang case with an identity, an assigned caseworker and a referral to the Sentra that shares the
 * identity; a Balikpapan case with an identity; a Padang case without one.
 */
const setUp = Effect.gen(function* () {
  const intake = yield* clientAs(people.intake)
  const balikpapan = yield* clientAs(people.balikpapanKabid)
  const registration = Schema.decodeUnknownSync(Api.RegisterRequest)
  yield* intake.cases.register({
    headers: {},
    payload: registration({ ...report("case-fuzz"), identity: identities["case-fuzz"] })
  })
  yield* runSteps(toClosure("case-fuzz").slice(0, 1))
  // A live referral to the national Sentra that shares the identity: its staff reach the subject, but may not
  // replace its identity.
  yield* runSteps([
    {
      actor: people.kasi,
      command: {
        _tag: "RequestReferral",
        caseId: "case-fuzz",
        referral: "referral-fuzz",
        to: "sentra-handayani",
        purpose: "rehabilitation",
        shares: ["identity"],
        legalBasis: { _tag: "emergency", reason: "Fuzz" }
      }
    }
  ])
  yield* balikpapan.cases.register({
    headers: {},
    payload: registration({
      ...report("case-bpp"),
      region: "64.71.01",
      owner: "dinsos-64.71",
      identity: identities["case-bpp"]
    })
  })
  yield* intake.cases.register({ headers: {}, payload: registration(report("case-quiet")) })

  const store = yield* EventStore.EventStore
  const states = new Map<string, Case.Case>()
  const subjects = new Map<string, Subject.SubjectId>()
  for (const caseId of ["case-fuzz", "case-bpp", "case-quiet"]) {
    const events = yield* Effect.orDie(store.load(caseId as Case.Case["id"]))
    const state = Case.fold(events)
    if (state._tag !== "Case") return yield* Effect.die(new Error(`${caseId} was not registered`))
    states.set(caseId, state)
    subjects.set(caseId, state.subject.id)
  }
  return { states, subjects, agencies: directory }
})

/** The Authorization header of each bad authorization. */
const badHeaders = Effect.gen(function* () {
  const key = new TextEncoder().encode(SECRET)
  const worker = people.worker
  const signed = (
    claims: Record<string, unknown>,
    subject: string,
    options: { issuer?: string; audience?: string; key?: Uint8Array } = {}
  ) =>
    Effect.promise(() =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setSubject(subject)
        .setIssuer(options.issuer ?? auth.issuer)
        .setAudience(options.audience ?? auth.audience)
        .setIssuedAt()
        .setExpirationTime("10m")
        .sign(options.key ?? key)
    )
  const valid = yield* tokenFor(worker)
  const [header, , signature] = valid.split(".")
  const forgedPayload = Buffer.from(
    JSON.stringify({
      agency: people.kasi.agency,
      sub: people.kasi.id,
      iss: auth.issuer,
      aud: auth.audience,
      exp: Math.floor(Date.now() / 1000) + 600
    })
  ).toString("base64url")
  const ghost = Actor.make({ id: "ghost-1", role: "supervisor", agency: "dinsos-13.71", region: "13.71" })
  const headers: Record<BadAuth, string | undefined> = {
    none: undefined,
    garbage: "Bearer ey.garbage.token",
    "empty-bearer": "Bearer ",
    expired: `Bearer ${yield* Auth.sign(auth, worker, { issuedAt: 1_000, expiresIn: 2_000 }).pipe(Effect.orDie)}`,
    "wrong-scheme": `Token ${valid}`,
    basic: `Basic ${Buffer.from(`${worker.id}:password`).toString("base64")}`,
    ghost: `Bearer ${yield* tokenFor(ghost)}`,
    "region-claim": `Bearer ${yield* signed({ agency: worker.agency, region: "ID" }, worker.id)}`,
    "role-claim": `Bearer ${yield* signed({ agency: worker.agency, role: "supervisor" }, worker.id)}`,
    "wrong-issuer": `Bearer ${yield* signed({ agency: worker.agency }, worker.id, { issuer: "someone-else" })}`,
    "wrong-audience": `Bearer ${yield* signed({ agency: worker.agency }, worker.id, { audience: "other" })}`,
    "alg-none": `Bearer ${new UnsecuredJWT({ agency: people.kasi.agency })
      .setSubject(people.kasi.id)
      .setIssuer(auth.issuer)
      .setAudience(auth.audience)
      .setExpirationTime("10m")
      .encode()}`,
    "other-secret": `Bearer ${yield* signed({ agency: worker.agency }, worker.id, {
      key: new TextEncoder().encode("another-secret-of-at-least-32-bytes-000000")
    })}`,
    "forged-sub": `Bearer ${header}.${forgedPayload}.${signature}`
  }
  return headers
})

/** A request as text, for a failure message: reproducible with the seed and its index. */
const describeRequest = (r: FuzzRequest): string =>
  JSON.stringify({
    ...r,
    path: r.path.length > 300 ? `${r.path.slice(0, 300)}… (${r.path.length} chars)` : r.path,
    ...(r.body === undefined
      ? {}
      : { body: r.body.length > 300 ? `${r.body.slice(0, 300)}… (${r.body.length} chars)` : r.body })
  })

describe("fuzzing the API", () => {
  it.live(
    `answers ${TOTAL} generated requests of every endpoint and role: never 5xx, problems for errors, identity only where Access allows, and rejected requests change nothing`,
    () =>
      Effect.gen(function* () {
        const fixture = yield* setUp
        const client = yield* Effect.acquireRelease(Effect.sync(start), (worker) =>
          Effect.promise(() => worker.close())
        )
        const address = (yield* HttpServer.HttpServer).address
        const base = `http://127.0.0.1:${address._tag === "UnixPathAddress" ? 0 : address.port}`
        const persons: Record<string, string> = {}
        for (const [name, actor] of Object.entries(people)) persons[name] = `Bearer ${yield* tokenFor(actor)}`
        const bad = yield* badHeaders
        const subjects = [...fixture.subjects.values()]
        const purposes = new Set<string>(Object.keys(IdentityVault.purposes))
        const context = { agencies: fixture.agencies }

        const before = yield* snapshot(subjects)
        assert.isUndefined(before.verify.firstBreak)

        const statuses = new Map<number, number>()
        const families = new Map<string, Map<number, number>>()
        const expectedTrail: Array<TrailKey> = []
        /** Violations by kind (what failed, in which family): how many, and the first request of each. */
        const violations = new Map<string, { count: number; first: string }>()
        let violationCount = 0
        let sent = 0
        let identityReads = 0
        const started = performance.now()
        process.stderr.write(
          `HTTP fuzz: ${TOTAL} requests, seed ${SEED} (replay: LINDUNG_FUZZ_SEED=${SEED} LINDUNG_FUZZ_REQUESTS=${TOTAL})\n`
        )

        const violation = (index: number, r: FuzzRequest, status: number, what: string, text: string) => {
          violationCount++
          const kind = `${r.family}: ${what}${what.startsWith("expected") ? `, got ${status}` : ""}`
          const known = violations.get(kind)
          if (known !== undefined) known.count++
          else {
            violations.set(kind, {
              count: 1,
              first: `#${index} (seed ${SEED})\n  request: ${describeRequest(r)}\n  answer: ${status} ${text.slice(0, 400)}`
            })
          }
        }

        const send = async (r: FuzzRequest, index: number) => {
          const headers: Record<string, string> = { ...r.headers }
          const authorization = "person" in r.sender ? persons[r.sender.person] : bad[r.sender.bad]
          if (authorization !== undefined) headers.authorization = authorization
          const answer = await client.send({
            url: `${base}${r.path}`,
            method: r.method,
            headers,
            ...(r.body === undefined ? {} : { body: r.body }),
            ...(r.bytes === true ? { bytes: true } : {})
          })
          if ("error" in answer) {
            violation(index, r, 0, `the request failed: ${answer.error}`, "")
            return
          }
          const { status, text } = answer
          const header = (name: string): string | undefined => answer.headers[name]
          sent++
          statuses.set(status, (statuses.get(status) ?? 0) + 1)
          const family = families.get(r.family) ?? new Map<number, number>()
          family.set(status, (family.get(status) ?? 0) + 1)
          families.set(r.family, family)
          const fail = (what: string) => violation(index, r, status, what, text)

          if (status >= 500) fail("a 5xx")
          if (r.expect !== undefined && !r.expect.includes(status)) fail(`expected ${r.expect.join(" or ")}`)
          if (r.method !== "GET" && status < 400) fail(`a ${r.method} succeeded`)
          if (status >= 400) {
            if (header("content-type") !== "application/problem+json") fail("an error without a problem")
            else {
              try {
                const problem = JSON.parse(text) as Record<string, unknown>
                if (
                  typeof problem.type !== "string" ||
                  typeof problem.title !== "string" ||
                  problem.status !== status
                ) {
                  fail("a malformed problem")
                }
              } catch {
                fail("a problem that is not JSON")
              }
            }
          }
          if (header("cache-control") !== "no-store") fail("no cache-control: no-store")
          if (header("x-content-type-options") !== "nosniff") fail("no x-content-type-options")
          if (status === 401 && !(header("www-authenticate") ?? "").startsWith("Bearer")) {
            fail("a 401 without WWW-Authenticate: Bearer")
          }
          const sentId = r.headers["x-request-id"]
          const requestId = header("x-request-id") ?? ""
          if (sentId !== undefined && REQUEST_ID.test(sentId) ? requestId !== sentId : !UUID.test(requestId)) {
            fail(`x-request-id ${JSON.stringify(requestId.slice(0, 80))} for ${JSON.stringify(sentId?.slice(0, 80))}`)
          }
          if (text.includes(ECHO)) fail("an identity value the request sent is echoed")
          const credential = authorization?.split(" ")[1]
          if (credential !== undefined && credential.length > 16 && text.includes(credential))
            fail("the token is echoed")

          // Work lists and counts hold only cases the actor may read.
          const actor = "person" in r.sender ? people[r.sender.person] : undefined
          const url = new URL(`${base}${r.path}`)
          if (r.method === "GET" && status === 200 && (url.pathname === "/cases" || url.pathname === "/cases/counts")) {
            const readable = [...fixture.states.values()].filter(
              (state) => actor !== undefined && Access.can(actor, "read", state, context)
            )
            const json = JSON.parse(text) as {
              entries?: ReadonlyArray<{ caseId: string }>
              rows?: ReadonlyArray<{ count: number }>
            }
            for (const entry of json.entries ?? []) {
              if (!readable.some((state) => state.id === entry.caseId)) fail(`${entry.caseId} is listed`)
            }
            const by = url.searchParams.getAll("by")
            const total = (json.rows ?? []).reduce((sum, row) => sum + row.count, 0)
            if (by.every((dimension) => singleValued.has(dimension)) && total > readable.length) {
              fail(`counts ${total} cases, the actor may read ${readable.length}`)
            }
          }

          // Identity: only in a 200 identity read of its own case by an actor Access allows.
          const routed = r.method === "GET" ? identityRoute(r.path) : undefined
          const purpose = url.searchParams.getAll("purpose")
          const state = routed === undefined ? undefined : fixture.states.get(routed)
          const allowed =
            state !== undefined &&
            actor !== undefined &&
            purpose.length === 1 &&
            purposes.has(purpose[0] ?? "") &&
            Access.can(actor, "read-identity", state, context)
          for (const caseId of Object.keys(identities)) {
            const leaked = sentinels(caseId).filter((value) => text.includes(value))
            if (leaked.length > 0 && !(allowed && status === 200 && routed === caseId)) {
              fail(`the identity of ${caseId} appears (${leaked.join(", ")})`)
            }
          }
          if (allowed && routed !== undefined && actor !== undefined) {
            if (status === 200) {
              identityReads++
              if (!sentinels(routed).every((value) => text.includes(value)))
                fail("an allowed read without the identity")
            }
            // The access trail records an authorized read before the vault answers (also when it holds nothing).
            const handled =
              status === 200 || (status === 404 && text.includes('"type":"urn:lindung:problem:not-found"'))
            if (handled) expectedTrail.push(trailKey(routed, actor.id, "read", purpose[0] ?? ""))
          }
        }

        const pool = async (batch: ReadonlyArray<FuzzRequest>, offset: number) => {
          let next = 0
          const worker = async () => {
            while (next < batch.length) {
              const i = next++
              await send(batch[i] as FuzzRequest, offset + i)
            }
          }
          await Promise.all(Array.from({ length: CONCURRENCY }, worker))
        }

        const compare = (label: string, now: Snapshot) => {
          const changed = stateChange(before, now)
          if (changed !== undefined) return `${label}: ${changed}`
          const added = trailAdditions(before, now)
          if (typeof added === "string") return `${label}: ${added}`
          const got = [...added].sort()
          const want = [...expectedTrail].sort()
          if (got.length !== want.length || got.some((key, i) => key !== want[i])) {
            const extra = got.filter((key) => !want.includes(key)).slice(0, 5)
            return `${label}: the access trail grew by ${got.length} records, ${want.length} authorized reads were answered (unexplained: ${extra.join("; ")})`
          }
          return undefined
        }

        const arbitrary = allRequests(fixture)
        const samples: Array<string> = []
        let stopped: string | undefined
        for (let offset = 0; offset < TOTAL && stopped === undefined; offset += CHUNK) {
          const size = Math.min(CHUNK, TOTAL - offset)
          const batch = fc.sample(arbitrary, { seed: SEED + offset / CHUNK, numRuns: size })
          yield* Effect.promise(() => pool(batch, offset))
          const done = offset + size
          if (done % SAMPLE_EVERY === 0 || done === TOTAL) {
            stopped = compare(`after ${done} requests`, yield* snapshot(subjects))
            samples.push(String(done))
          }
        }
        const seconds = (performance.now() - started) / 1000

        const after = yield* snapshot(subjects)
        const histogram = [...statuses.entries()]
          .sort(([a], [b]) => a - b)
          .map(([status, count]) => `${status}:${count}`)
          .join(" ")
        const fiveHundreds = [...statuses.entries()].filter(([s]) => s >= 500).reduce((sum, [, n]) => sum + n, 0)
        const byFamily = [...families.entries()]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(
            ([name, counts]) =>
              `${name}(${[...counts.entries()]
                .sort(([a], [b]) => a - b)
                .map(([status, count]) => `${status}:${count}`)
                .join(" ")})`
          )
          .join(" ")
        process.stderr.write(
          `HTTP fuzz: ${sent} requests in ${seconds.toFixed(1)} s (${Math.round(sent / seconds)}/s, ${CONCURRENCY} in flight), seed ${SEED}; ` +
            `statuses ${histogram}; 5xx ${fiveHundreds}; violations ${violationCount}; ` +
            `state ${stopped === undefined ? "unchanged" : "CHANGED"} (${after.events} events, ${after.cases} cases, ` +
            `digest ${after.digest.slice(0, 12)}, verify ${after.verify.firstBreak === undefined ? "ok" : "BROKEN"}, checked after ${samples.join(", ")}); ` +
            `identity reads allowed ${identityReads}, trail +${expectedTrail.length}; families ${byFamily}\n`
        )

        const report = [...violations.entries()].map(
          ([kind, { count, first }]) => `${count} × ${kind}; first: ${first}`
        )
        assert.deepStrictEqual(
          stopped === undefined ? report : [stopped, ...report],
          [],
          `${violationCount} violations${stopped === undefined ? "" : " and a state change"} (seed ${SEED})`
        )
        assert.strictEqual(sent, TOTAL)
        // The fuzz reached authentication, decoding, access control and the SOP, not only the router.
        for (const status of [200, 400, 401, 403, 404, 409, 413, 415, 422]) {
          assert.isAbove(statuses.get(status) ?? 0, 0, `no ${status}`)
        }
        assert.isAbove(identityReads, 0)
      }).pipe(Effect.scoped, Effect.provide(serve(layerMemory))),
    // Room for a loaded 2-core machine: CI runs the other packages' tests (NATS, CLI processes) at the same time.
    120_000 + TOTAL * 12
  )

  it.live("limits failed authentications per address when the limit is on (429 problems, then nothing changes)", () =>
    Effect.gen(function* () {
      const address = (yield* HttpServer.HttpServer).address
      const base = `http://127.0.0.1:${address._tag === "UnixPathAddress" ? 0 : address.port}`
      const kasi = `Bearer ${yield* tokenFor(people.kasi)}`
      const before = yield* snapshot([])
      const statuses: Array<number> = []
      for (let i = 0; i < 8; i++) {
        const response = yield* Effect.promise(() =>
          fetch(`${base}/cases/case-any/commands`, {
            method: "POST",
            headers: { authorization: "Bearer ey.garbage.token", "content-type": "application/json" },
            body: JSON.stringify({ _tag: "StartOutreach", caseId: "case-any" })
          })
        )
        statuses.push(response.status)
        const problem = (yield* Effect.promise(() => response.json())) as Record<string, unknown>
        assert.strictEqual(response.headers.get("content-type"), "application/problem+json")
        assert.strictEqual(problem.status, response.status)
        if (response.status === 429) assert.match(response.headers.get("retry-after") ?? "", /^\d+$/u)
      }
      assert.deepStrictEqual(statuses, [401, 401, 401, 401, 401, 429, 429, 429])
      // A blocked address is refused before its token is verified, a valid one included.
      const blocked = yield* Effect.promise(() => fetch(`${base}/cases`, { headers: { authorization: kasi } }))
      assert.strictEqual(blocked.status, 429)
      yield* Effect.promise(() => blocked.text())
      const reference = yield* Effect.promise(() => fetch(`${base}/reference/ampk`))
      assert.strictEqual(reference.status, 200)
      yield* Effect.promise(() => reference.text())
      assert.isUndefined(stateChange(before, yield* snapshot([])))
    }).pipe(Effect.provide(serve(layerMemory, { authFailures: { maxFailures: 5, windowSeconds: 60 } })))
  )
})
