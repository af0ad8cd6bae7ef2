/**
 * fast-check fuzzing of the API over real HTTP: random and malformed bodies, headers, methods and paths. Every
 * answer is below 500; every error is an RFC 9457 problem whose `status` is the response's; no request other than
 * a GET succeeds; and afterwards the store holds exactly what it held before (events, index, identity).
 */
import { assert, describe, it } from "@effect/vitest"
import { fc } from "@fast-check/vitest"
import { CaseModel } from "@lindung/core"
import { layerMemory } from "@lindung/storage-memory"
import { Effect, Redacted, Schema } from "effect"
import { HttpServer } from "effect/http"
import { Auth } from "../src/index.js"
import { auth, clientAs, people, serve, storeCounts, tokenFor } from "./harness.js"
import { report, toClosure } from "./story.js"
import { register, runSteps } from "./suite.js"

const caseId = "case-fuzz"
const typedCaseId = Schema.decodeSync(CaseModel.CaseId)(caseId)

/** Valid JSON forms of commands and reports: the fuzzer only ever sends broken variants of them. */
const valid: ReadonlyArray<Record<string, unknown>> = [
  { _tag: "AssignCaseworker", caseId, caseworker: "sakti-peksos-2" },
  { _tag: "StartOutreach", caseId },
  { _tag: "RecordFirstContact", caseId },
  {
    _tag: "RecordAssessment",
    caseId,
    classification: { ampk: ["b"], ppks: [2], cluster: "children", allegedPerpetrators: [] },
    factors: ["out-of-school"]
  },
  { _tag: "RequestEarlyClosure", caseId, reason: "duplicate", note: "Duplicate", approval: "a-1" },
  report("case-fuzz-new"),
  { name: "Nama contoh fiktif", familyNames: [] }
]

/** A variant of a valid body that can never decode. */
const broken = fc
  .tuple(
    fc.constantFrom(...valid),
    fc.nat({ max: 1_000 }),
    fc.jsonValue({ maxDepth: 2 }),
    fc.integer({ min: 0, max: 5 })
  )
  .map(([body, n, value, how]): string => {
    const keys = Object.keys(body).filter((key) => key !== "_tag" && key !== "caseId")
    switch (how) {
      case 0:
        return JSON.stringify({ ...body, [`unknown${n}`]: value })
      case 1: {
        const { _tag: _removed, ...rest } = body
        return JSON.stringify("_tag" in body ? rest : { ...body, [`unknown${n}`]: value })
      }
      case 2:
        // A command whose case id differs from the path's (a report with another case id would be valid).
        return "_tag" in body
          ? JSON.stringify({ ...body, caseId: `other-${n}` })
          : JSON.stringify({ ...body, [`unknown${n}`]: value })
      case 3: {
        const key = keys[n % Math.max(1, keys.length)]
        return JSON.stringify(key === undefined ? [body] : { ...body, [key]: { nested: value } })
      }
      case 4:
        return JSON.stringify([body])
      default: {
        const text = JSON.stringify(body)
        return text.slice(0, Math.max(0, text.length - 1 - (n % 5)))
      }
    }
  })

const body = fc.oneof(
  { weight: 5, arbitrary: broken },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom("", "null", "{}", "[]", `{"a":${"[".repeat(500)}`) },
  { weight: 1, arbitrary: fc.integer({ min: 17_000, max: 40_000 }).map((size) => `{"pad":"${"x".repeat(size)}"}`) }
)

const segment = fc.oneof(
  fc.constantFrom(
    "cases",
    caseId,
    "commands",
    "identity",
    "history",
    "counts",
    "reference",
    "ampk",
    "regions",
    "sop",
    "sop.mmd",
    "dinas",
    "dinsos-13.71",
    "workload",
    "health",
    "ready",
    "openapi.json",
    "%zz",
    "%00",
    "%E0%A4%A",
    ""
  ),
  fc.string({ maxLength: 12 }).map(encodeURIComponent)
)

const printable = fc.stringMatching(/^[\x20-\x7e]{0,40}$/)

const query = fc.option(
  fc.dictionary(
    fc.constantFrom("stage", "risk", "region", "limit", "after", "by", "overdue", "q", "caseworkers", "x"),
    printable,
    { maxKeys: 3 }
  ),
  { nil: undefined }
)

const path = fc
  .tuple(
    fc.oneof(
      fc.array(segment, { maxLength: 5 }).map((parts) => `/${parts.join("/")}`),
      fc.constantFrom(
        "/cases",
        `/cases/${caseId}/commands`,
        `/cases/${caseId}/identity`,
        `/cases/${caseId}`,
        `/cases/${caseId}/history`,
        "/cases/counts",
        "/dinas/dinsos-13.71/workload",
        "/reference/regions"
      )
    ),
    query
  )
  .map(([base, q]) => (q === undefined ? base : `${base}?${new URLSearchParams(q).toString()}`))

/** Real endpoints, with the method they answer. */
const endpoint = fc.oneof(
  fc.constantFrom(
    ["POST", "/cases"] as const,
    ["POST", `/cases/${caseId}/commands`] as const,
    ["PUT", `/cases/${caseId}/identity`] as const,
    ["DELETE", `/cases/${caseId}/identity`] as const,
    ["POST", "/cases/other-case/commands"] as const
  ),
  fc
    .tuple(fc.constantFrom("/cases", "/cases/counts", "/reference/regions", "/dinas/dinsos-13.71/workload"), query)
    .map(([base, q]) => ["GET", q === undefined ? base : `${base}?${new URLSearchParams(q).toString()}`] as const)
)

const anyRequest = fc.record({
  method: fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH"),
  path,
  body,
  contentType: fc.option(
    fc.oneof(
      fc.constantFrom(
        "application/json",
        "application/json; charset=utf-8",
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/xml",
        ""
      ),
      printable
    ),
    { nil: undefined }
  ),
  auth: fc.constantFrom("worker", "none", "garbage", "expired", "wrong-scheme"),
  idempotencyKey: fc.option(printable, { nil: undefined }),
  ifMatch: fc.option(printable, { nil: undefined }),
  requestId: fc.option(printable, { nil: undefined })
})

/** Requests to the real endpoints, mostly with a valid token and a JSON content type, so that they reach decoding. */
const targetedRequest = fc
  .record({
    endpoint,
    body,
    contentType: fc.oneof(
      { weight: 6, arbitrary: fc.constant("application/json") },
      { weight: 1, arbitrary: fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "") }
    ),
    auth: fc.oneof(
      { weight: 8, arbitrary: fc.constant("worker") },
      { weight: 1, arbitrary: fc.constantFrom("none", "expired") }
    ),
    idempotencyKey: fc.option(fc.oneof(fc.uuid(), printable), { nil: undefined }),
    ifMatch: fc.option(fc.oneof(fc.nat({ max: 5 }).map(String), printable), { nil: undefined }),
    requestId: fc.option(printable, { nil: undefined })
  })
  .map(({ endpoint: [method, target], contentType, ...rest }) => ({ method, path: target, contentType, ...rest }))

type FuzzRequest = typeof anyRequest extends fc.Arbitrary<infer A> ? A : never

describe("fuzzing the API", () => {
  it.live(
    "answers random and malformed requests with 4xx problems, never 5xx, and changes nothing",
    () =>
      Effect.gen(function* () {
        yield* register(caseId, { name: "Nama contoh fiktif" })
        yield* runSteps(toClosure(caseId).slice(0, 1))
        const address = (yield* HttpServer.HttpServer).address
        const base = `http://127.0.0.1:${address._tag === "UnixPathAddress" ? 0 : address.port}`
        const tokens = {
          worker: yield* tokenFor(people.worker),
          expired: yield* Auth.sign(auth, people.worker, { issuedAt: 1_000, expiresIn: 2_000 }).pipe(Effect.orDie)
        }
        const kasi = yield* clientAs(people.kasi)
        const identityBefore = Redacted.value(
          (yield* kasi.identities.get({ params: { caseId: typedCaseId }, query: { purpose: "assessment" } })).identity
            .name
        )
        const before = yield* storeCounts

        const send = async (r: FuzzRequest) => {
          const headers: Record<string, string> = {}
          if (r.auth === "worker") headers.authorization = `Bearer ${tokens.worker}`
          if (r.auth === "expired") headers.authorization = `Bearer ${tokens.expired}`
          if (r.auth === "garbage") headers.authorization = "Bearer ey.garbage.token"
          if (r.auth === "wrong-scheme") headers.authorization = `Token ${tokens.worker}`
          if (r.contentType !== undefined) headers["content-type"] = r.contentType
          if (r.idempotencyKey !== undefined) headers["idempotency-key"] = r.idempotencyKey
          if (r.ifMatch !== undefined) headers["if-match"] = r.ifMatch
          if (r.requestId !== undefined) headers["x-request-id"] = r.requestId
          const response = await fetch(`${base}${r.path}`, {
            method: r.method,
            headers,
            ...(r.method === "GET" ? {} : { body: r.body })
          })
          const text = await response.text()
          if (response.status >= 500) throw new Error(`${response.status} for ${r.method} ${r.path}: ${text}`)
          if (r.method !== "GET" && response.status < 400) {
            throw new Error(`${r.method} ${r.path} succeeded with ${response.status}: ${text.slice(0, 200)}`)
          }
          if (response.status >= 400) {
            if (response.headers.get("content-type") !== "application/problem+json") {
              throw new Error(`no problem body for ${response.status} ${r.method} ${r.path}: ${text.slice(0, 200)}`)
            }
            const problem = JSON.parse(text) as Record<string, unknown>
            if (
              typeof problem.type !== "string" ||
              typeof problem.title !== "string" ||
              problem.status !== response.status
            ) {
              throw new Error(`malformed problem for ${r.method} ${r.path}: ${text.slice(0, 200)}`)
            }
          }
          return response.status
        }
        const statuses = new Map<number, number>()
        const counted = async (r: FuzzRequest) => {
          const status = await send(r)
          statuses.set(status, (statuses.get(status) ?? 0) + 1)
        }
        yield* Effect.promise(() => fc.assert(fc.asyncProperty(targetedRequest, counted), { numRuns: 400 }))
        yield* Effect.promise(() => fc.assert(fc.asyncProperty(anyRequest, counted), { numRuns: 200 }))
        // The fuzzer reached decoding and the handlers, not only the router and authentication.
        for (const status of [400, 401, 404, 413, 415]) assert.isAbove(statuses.get(status) ?? 0, 0, `no ${status}`)

        assert.deepStrictEqual(yield* storeCounts, before)
        const identityAfter = Redacted.value(
          (yield* kasi.identities.get({ params: { caseId: typedCaseId }, query: { purpose: "assessment" } })).identity
            .name
        )
        assert.strictEqual(identityAfter, identityBefore)
      }).pipe(Effect.provide(serve(layerMemory))),
    30_000
  )
})
