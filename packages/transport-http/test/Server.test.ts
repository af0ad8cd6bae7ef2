/**
 * The server beyond the command flow: OpenAPI and the offline docs page, request logs and ids, health and
 * readiness, reference data, the SOP, Dinas workload, identities, and the problems of bad requests.
 */
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { NodeHttpServer } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Ampk, Atensi, CaseCommand, DinasType, Policy, Ppks, Region, Sop, SopTable, Sppa } from "@lindung/core"
import { layerMemory, layerMemoryTesting, MemoryStore } from "@lindung/storage-memory"
import { Cause, Deferred, Duration, Effect, Exit, Fiber, Layer, Logger, Redacted, Schema } from "effect"
import { type HttpClient, type HttpClientResponse, HttpRouter } from "effect/http"
import { OpenApi } from "effect/http-api"
import { Api, Client, Problem, Server } from "../src/index.js"
import { clientAs, config, people, raw, serve, storeCounts, tokenFor } from "./harness.js"
import { report, toClosure } from "./story.js"

const root = join(import.meta.dirname, "..", "..", "..")

import { register, registerRequest, runSteps } from "./suite.js"

const json = (response: { readonly json: Effect.Effect<unknown, unknown> }) =>
  Effect.orDie(response.json) as Effect.Effect<Record<string, unknown>>

const SENTINEL = "Sentinel Nama Fiktif 4242"

describe("OpenAPI and docs", () => {
  it.live("serves an OpenAPI 3.1 document of every endpoint, with problems and bearer security", () =>
    Effect.gen(function* () {
      const response = yield* raw("GET", "/openapi.json")
      assert.strictEqual(response.status, 200)
      const spec = (yield* json(response)) as {
        openapi: string
        paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown }>>
        components: { securitySchemes: Record<string, unknown> }
      }
      assert.strictEqual(spec.openapi, "3.1.0")
      assert.deepStrictEqual(spec, OpenApi.fromApi(Api.Api) as unknown as typeof spec)
      assert.includeMembers(Object.keys(spec.paths), [
        "/cases",
        "/cases/{caseId}/commands",
        "/cases/{caseId}",
        "/cases/{caseId}/history",
        "/cases/counts",
        "/cases/{caseId}/identity",
        "/reference/ampk",
        "/reference/ppks",
        "/reference/atensi",
        "/reference/sppa-roles",
        "/reference/dinas-types",
        "/reference/regions",
        "/sop",
        "/sop.mmd",
        "/dinas/{agencyId}/workload",
        "/health/live",
        "/health/ready"
      ])
      const command = spec.paths["/cases/{caseId}/commands"]?.post
      assert.includeMembers(Object.keys(command?.responses ?? {}), [
        "200",
        "400",
        "401",
        "403",
        "404",
        "409",
        "413",
        "415",
        "422",
        "503"
      ])
      assert.isDefined(command?.security)
      assert.deepStrictEqual(Object.keys(spec.components.securitySchemes), ["bearer"])
      const open = spec.paths["/sop"]?.get?.security as ReadonlyArray<unknown> | undefined
      assert.isTrue(open === undefined || open.length === 0)
    }).pipe(Effect.provide(serve(layerMemory)))
  )

  it("describes itself as other people's tools expect (issue 15): bearer JWT, summaries, tags, servers, licence", () => {
    const spec = OpenApi.fromApi(Api.Api) as unknown as {
      info: { license?: { name: string } }
      servers?: ReadonlyArray<{ url: string }>
      tags: ReadonlyArray<{ name: string; description?: string }>
      paths: Record<string, Record<string, { summary?: string }>>
      components: { securitySchemes: Record<string, { type: string; scheme: string; bearerFormat?: string }> }
    }
    // `scheme: "Bearer"` (effect's spelling) made generated calls use Basic authentication.
    assert.deepInclude(spec.components.securitySchemes.bearer, { type: "http", scheme: "bearer", bearerFormat: "JWT" })
    for (const [path, operations] of Object.entries(spec.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        assert.isString(operation.summary, `${method} ${path} has a summary`)
      }
    }
    for (const tag of spec.tags) assert.isString(tag.description, `tag ${tag.name} has a description`)
    assert.isAbove(spec.servers?.length ?? 0, 0)
    assert.strictEqual(spec.info.license?.name, "Apache-2.0")
    // No integer bounded by the safe integers (tools showed -9007199254740991 as a version).
    assert.notInclude(JSON.stringify(spec), String(Number.MIN_SAFE_INTEGER))
    // Realistic examples of the ids, codes, dates and versions the bodies are made of.
    const schemas = (
      spec as unknown as {
        components: {
          schemas: Record<string, { examples?: unknown; properties?: Record<string, { examples?: unknown }> }>
        }
      }
    ).components.schemas
    assert.deepStrictEqual(schemas.CaseId?.examples, ["000-padang-kakak"])
    assert.deepStrictEqual(schemas.AgencyId?.examples, ["dinsos-13.71"])
    assert.deepStrictEqual(schemas.CommandResult?.properties?.version?.examples, [12])
  })

  it("is committed as docs/openapi.json for other stacks' generators, as the server serves it (npm run docs:generate)", () => {
    const committed = JSON.parse(readFileSync(join(root, "docs", "openapi.json"), "utf8")) as unknown
    assert.deepStrictEqual(committed, JSON.parse(JSON.stringify(OpenApi.fromApi(Api.Api))))
  })

  it("is summed up in docs/http-api.md: its endpoint table names every operation and nothing else", () => {
    const page = readFileSync(join(root, "docs", "http-api.md"), "utf8")
    const table = page.slice(page.indexOf("## Endpoints"), page.indexOf("### Commands"))
    const listed = new Set(
      [...table.matchAll(/`(GET|POST|PUT|DELETE|PATCH) (\/[^`?[ ]*)/g)].map(([, method, path]) => `${method} ${path}`)
    )
    const spec = OpenApi.fromApi(Api.Api) as unknown as { paths: Record<string, Record<string, unknown>> }
    const operations = new Set(
      Object.entries(spec.paths).flatMap(([path, item]) =>
        Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`)
      )
    )
    // The documents the server serves beside the API.
    for (const extra of ["GET /openapi.json", "GET /docs"]) operations.add(extra)
    assert.deepStrictEqual([...listed].sort(), [...operations].sort())
    // And every problem type of the document has a row in its table of errors.
    const errors = page.slice(page.indexOf("## Errors"), page.indexOf("## Request logs"))
    for (const type of Object.keys(Problem.titlesId)) assert.include(errors, `\`${type}\``, type)
  })

  it("passes the recommended rules of a standard linter (Redocly CLI), with no error and no warning", () => {
    const dir = mkdtempSync(join(tmpdir(), "lindung-openapi-"))
    try {
      const file = join(dir, "openapi.json")
      writeFileSync(file, JSON.stringify(OpenApi.fromApi(Api.Api)))
      const cli = join(root, "node_modules", "@redocly", "cli", "bin", "cli.js")
      const run = spawnSync(process.execPath, [cli, "lint", file, "--format=json"], {
        encoding: "utf8",
        env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" }
      })
      const report = JSON.parse(run.stdout) as {
        readonly totals: { readonly errors: number; readonly warnings: number }
        readonly problems: ReadonlyArray<{ readonly ruleId: string; readonly message: string }>
      }
      assert.deepStrictEqual(
        report.problems.map((p) => `${p.ruleId}: ${p.message}`),
        [],
        "Redocly's recommended rules"
      )
      assert.deepStrictEqual(report.totals, { ...report.totals, errors: 0, warnings: 0 })
      assert.strictEqual(run.status, 0)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)

  it.live("serves a docs page that needs no internet: the Scalar bundle and the spec are inlined", () =>
    Effect.gen(function* () {
      const response = yield* raw("GET", "/docs")
      assert.strictEqual(response.status, 200)
      assert.match(response.headers["content-type"] ?? "", /text\/html/)
      const html = yield* Effect.orDie(response.text)
      assert.notMatch(html, /<script[^>]+src=/)
      assert.notMatch(html, /<link[^>]+href="https?:/)
      assert.include(html, "Lindung")
      assert.include(html, "/cases/{caseId}/commands")
    }).pipe(Effect.provide(serve(layerMemory, { docs: true })))
  )

  it.live("serves further documents of the application as they are, without a token", () =>
    Effect.gen(function* () {
      const response = yield* raw("GET", "/asyncapi.json")
      assert.strictEqual(response.status, 200)
      assert.deepStrictEqual(yield* json(response), { asyncapi: "3.0.0", info: { title: "t" } })
      assert.strictEqual((yield* raw("GET", "/other.json")).status, 404)
    }).pipe(
      Effect.provide(
        serve(layerMemory, { documents: { "/asyncapi.json": { asyncapi: "3.0.0", info: { title: "t" } } } })
      )
    )
  )
})

describe("request logs", () => {
  it.live("log one JSON line per request with a request id, and never identity, bodies, queries or tokens", () => {
    const lines: Array<string> = []
    const capture = Logger.layer([Logger.map(Logger.formatJson, (line) => void lines.push(line))])
    return Effect.gen(function* () {
      const token = yield* tokenFor(people.intake)
      const body = JSON.stringify({
        ...report("case-log"),
        identity: { name: SENTINEL, nik: "1371010101010001", familyNames: [SENTINEL] }
      })
      const created = yield* raw("POST", "/cases", { token, body, headers: { "x-request-id": "req-42" } })
      assert.strictEqual(created.status, 201)
      assert.strictEqual(created.headers["x-request-id"], "req-42")
      const bad = JSON.stringify({ ...report("case-log-2"), identity: { name: 42, nik: SENTINEL, familyNames: [] } })
      const rejected = yield* raw("POST", "/cases", { token, body: bad })
      assert.strictEqual(rejected.status, 400)
      assert.notInclude(yield* Effect.orDie(rejected.text), SENTINEL)
      assert.match(rejected.headers["x-request-id"] ?? "", /^[0-9a-f-]{36}$/)
      const evil = yield* raw("GET", "/cases?region=13&stage=reported", {
        token,
        headers: { "x-request-id": "bad id\twith tab" }
      })
      assert.notStrictEqual(evil.headers["x-request-id"], "bad id\twith tab")
      yield* raw("GET", "/cases/case-log/identity?purpose=assessment", { token: yield* tokenFor(people.kasi) })

      const records = lines.map(
        (line) => JSON.parse(line) as { message: unknown; annotations: Record<string, unknown> }
      )
      const requests = records.filter((r) => JSON.stringify(r.message).includes("http request"))
      assert.strictEqual(requests.length, 4)
      assert.deepStrictEqual(
        requests.map((r) => [r.annotations.method, r.annotations.path, r.annotations.status]),
        [
          ["POST", "/cases", 201],
          ["POST", "/cases", 400],
          ["GET", "/cases", 200],
          ["GET", "/cases/case-log/identity", 200]
        ]
      )
      assert.strictEqual(requests[0]?.annotations.requestId, "req-42")
      assert.strictEqual(requests[0]?.annotations.actor, people.intake.id)
      assert.strictEqual(requests[3]?.annotations.role, "supervisor")
      const all = lines.join("\n")
      for (const secret of [SENTINEL, "1371010101010001", token, "stage=reported", "purpose=", "Ibu"])
        assert.notInclude(all, secret)
    }).pipe(Effect.provide(serve(layerMemory, { requestLog: true }, capture)))
  })
})

describe("health", () => {
  it.live("answers live and ready, and 503 with a problem when the store is down", () =>
    Effect.gen(function* () {
      const client = yield* Client.make()
      assert.deepStrictEqual(yield* client.health.live(), { status: "ok" })
      assert.deepStrictEqual(yield* client.health.ready(), { status: "ready", checks: { store: "ok" } })
      yield* MemoryStore.outage(true)
      const down = yield* raw("GET", "/health/ready")
      assert.strictEqual(down.status, 503)
      assert.strictEqual((yield* json(down)).type, "urn:lindung:problem:storage-unavailable")
      assert.strictEqual((yield* raw("GET", "/health/live")).status, 200)
      const command = yield* raw("POST", "/cases", {
        token: yield* tokenFor(people.intake),
        body: JSON.stringify(report("case-down"))
      })
      assert.strictEqual(command.status, 503)
      assert.strictEqual((yield* json(command)).retryable, true)
      yield* MemoryStore.outage(false)
      assert.strictEqual((yield* raw("GET", "/health/ready")).status, 200)
    }).pipe(Effect.provide(serve(layerMemoryTesting)))
  )

  it.live("logs the cause of a storage failure (never identity), and answers bad input 4xx, not 503", () => {
    const lines: Array<string> = []
    const capture = Logger.layer([Logger.map(Logger.formatJson, (line) => void lines.push(line))])
    return Effect.gen(function* () {
      const token = yield* tokenFor(people.intake)
      yield* MemoryStore.outage(true)
      const body = JSON.stringify({ ...report("case-cause"), identity: { name: SENTINEL, familyNames: [] } })
      assert.strictEqual((yield* raw("POST", "/cases", { token, body })).status, 503)
      yield* MemoryStore.outage(false)
      const failures = lines.filter((line) => line.includes("storage failure"))
      assert.strictEqual(failures.length, 1)
      assert.match(failures[0] ?? "", /"operation":"[^"]+"/)
      assert.notInclude(lines.join("\n"), SENTINEL)
      // Bad input never reaches the store: 400, and nothing logged as a storage failure.
      const hostile = JSON.stringify(report("case-\u0000"))
      assert.strictEqual((yield* raw("POST", "/cases", { token, body: hostile })).status, 400)
      assert.strictEqual(lines.filter((line) => line.includes("storage failure")).length, 1)
    }).pipe(Effect.provide(serve(layerMemoryTesting, {}, capture)))
  })
})

describe("reference data and the SOP", () => {
  it.live("serves AMPK, PPKS, ATENSI, SPPA roles, Dinas types and regions in both languages, without a token", () =>
    Effect.gen(function* () {
      const client = yield* Client.make()
      const ampk = yield* client.reference.ampk()
      assert.deepStrictEqual(ampk, Ampk.categories)
      assert.strictEqual(ampk.length, 15)
      for (const entry of ampk) assert.isTrue(entry.label.id.length > 0 && entry.label.en.length > 0)
      assert.deepStrictEqual(yield* client.reference.ppks(), Ppks.categories)
      const atensi = yield* client.reference.atensi()
      assert.deepStrictEqual(atensi.components, Atensi.components)
      assert.deepStrictEqual(yield* client.reference.sppaRoles(), Sppa.roles)
      assert.deepStrictEqual(yield* client.reference.dinasTypes(), DinasType.types)

      const padang = yield* client.reference.regions({ query: { q: "Kota Padang", level: "kota" } })
      assert.deepStrictEqual(
        padang.entries.map((e) => e.code),
        ["13.71"]
      )
      assert.include(padang.attribution, "ODbL")
      const provinces = yield* client.reference.regions({ query: {} })
      assert.strictEqual(provinces.entries.length, 38)
      const below = yield* client.reference.regions({ query: { parent: Region.decodeSync("13"), limit: 500 } })
      assert.isTrue(below.entries.length > 0 && below.entries.every((e) => e.parentCode === "13"))
      const bad = yield* raw("GET", "/reference/regions?parent=13.7")
      assert.strictEqual(bad.status, 400)
      assert.deepStrictEqual(((yield* json(bad)).errors as Array<{ path: unknown }>)[0]?.path, ["query", "parent"])

      const sop = yield* client.sop.json()
      assert.deepStrictEqual(sop, Schema.decodeUnknownSync(Api.SopDescription)(SopTable.describe()))
      const mermaid = yield* raw("GET", "/sop.mmd")
      assert.strictEqual(mermaid.headers["content-type"], "text/vnd.mermaid")
      assert.strictEqual(yield* Effect.orDie(mermaid.text), SopTable.mermaid())
    }).pipe(Effect.provide(serve(layerMemory)))
  )
})

describe("Dinas workload", () => {
  it.live("reports type, active cases and caseload against capacity from the index", () =>
    Effect.gen(function* () {
      for (const id of ["w-1", "w-2", "w-3"]) yield* register(id)
      yield* runSteps([
        {
          actor: people.kasi,
          command: {
            _tag: "RequestEarlyClosure",
            caseId: "w-3",
            reason: "duplicate",
            note: "Duplicate",
            approval: "close-1"
          }
        }
      ])
      yield* runSteps([
        {
          actor: people.kabid,
          command: {
            _tag: "DecideApproval",
            caseId: "w-3",
            approval: "close-1",
            decision: "approved",
            reason: "Duplicate"
          }
        }
      ])
      const kasi = yield* clientAs(people.kasi)
      const agencyId = "dinsos-13.71" as Api.Workload["agency"]["id"]
      const configured = yield* kasi.dinas.workload({ params: { agencyId }, query: {} })
      assert.strictEqual(configured.activeCases, 2)
      assert.strictEqual(configured.caseworkers, 2)
      assert.strictEqual(configured.type?.code, "A")
      assert.deepStrictEqual(configured.caseload, {
        ratio: 1,
        band: "low",
        maxPerCaseworker: 25,
        capacity: 50,
        overCapacity: false,
        caseworkersNeeded: 1,
        caseworkersShort: 0
      })
      const none = yield* kasi.dinas.workload({ params: { agencyId }, query: { caseworkers: 0 } })
      assert.strictEqual(none.caseload?.ratio, null)
      assert.isTrue(none.caseload?.overCapacity)
      assert.strictEqual(none.caseload?.band, "very-high")

      // Neither the query nor the configuration says: the directory's active caseworkers of the agency count.
      const province = yield* clientAs(people.sumbarKabid)
      const fromDirectory = yield* province.dinas.workload({
        params: { agencyId: "dinsos-13" as typeof agencyId },
        query: {}
      })
      assert.strictEqual(fromDirectory.caseworkers, 1)
      assert.strictEqual(fromDirectory.activeCases, 0)
      assert.strictEqual(fromDirectory.caseload?.band, "low")
      const fromProvince = yield* province.dinas.workload({ params: { agencyId }, query: {} })
      assert.strictEqual(fromProvince.activeCases, 2)

      const other = yield* Effect.flip(
        (yield* clientAs(people.balikpapanWorker)).dinas.workload({ params: { agencyId }, query: {} })
      )
      assert.strictEqual(other._tag, "Forbidden")
      const missing = yield* Effect.flip(
        kasi.dinas.workload({ params: { agencyId: "dinsos-99" as typeof agencyId }, query: {} })
      )
      assert.strictEqual(missing._tag, "NotFound")
    }).pipe(Effect.provide(serve(layerMemory)))
  )
})

describe("identities", () => {
  it.live("keeps identity apart: stored on registration, replaced and erased by the allowed roles, never echoed", () =>
    Effect.gen(function* () {
      const registered = yield* register("case-id", { name: SENTINEL })
      assert.notInclude(JSON.stringify(registered), SENTINEL)
      yield* runSteps(toClosure("case-id").slice(0, 1))
      const worker = yield* clientAs(people.worker)
      const caseId = registered.caseId
      const stored = yield* worker.identities.get({ params: { caseId }, query: { purpose: "assessment" } })
      assert.strictEqual(Redacted.value(stored.identity.name), SENTINEL)
      assert.strictEqual(String(stored.identity.name), "<redacted>")

      const replacement = Schema.decodeUnknownSync(Api.RegisterRequest.fields.identity)({
        name: "Nama baru contoh fiktif",
        familyNames: [],
        nik: "1371010101010002"
      })
      yield* worker.identities.put({ params: { caseId }, query: {}, payload: replacement })
      const replaced = yield* worker.identities.get({ params: { caseId }, query: { purpose: "assessment" } })
      assert.strictEqual(Redacted.value(replaced.identity.nik ?? Redacted.make("")), "1371010101010002")

      const intake = yield* clientAs(people.intake)
      assert.strictEqual(
        (yield* Effect.flip(intake.identities.put({ params: { caseId }, query: {}, payload: replacement })))._tag,
        "Forbidden"
      )

      // A bad identity value is reported by path without echoing the value.
      const token = yield* tokenFor(people.worker)
      const bad = yield* raw("PUT", `/cases/${caseId}/identity`, {
        token,
        body: JSON.stringify({ name: SENTINEL.repeat(100), familyNames: [SENTINEL], nik: SENTINEL })
      })
      assert.strictEqual(bad.status, 400)
      const text = yield* Effect.orDie(bad.text)
      assert.notInclude(text, "Sentinel")
      assert.include(text, '"nik"')

      const kasi = yield* clientAs(people.kasi)
      yield* kasi.identities.erase({ params: { caseId }, query: {} })
      assert.strictEqual(
        (yield* Effect.flip(worker.identities.get({ params: { caseId }, query: { purpose: "assessment" } })))._tag,
        "IdentityErased"
      )
      // A replayed registration does not bring an erased identity back.
      const again = yield* intake.cases.register({
        headers: { "idempotency-key": "r-1" },
        payload: registerRequest("case-id-2", { name: SENTINEL })
      })
      const replay = yield* intake.cases.register({
        headers: { "idempotency-key": "r-1" },
        payload: registerRequest("case-id-2", { name: SENTINEL })
      })
      assert.isTrue(replay.replayed)
      assert.strictEqual(again.caseId, replay.caseId)
      const missing = yield* Effect.flip(
        kasi.identities.get({ params: { caseId: "nope" as typeof caseId }, query: { purpose: "assessment" } })
      )
      assert.strictEqual(missing._tag, "CaseNotFound")
    }).pipe(Effect.provide(serve(layerMemory)))
  )
})

describe("problems of bad requests", () => {
  it.live("never repeat a birth date in a 400, whatever is wrong with it", () =>
    Effect.gen(function* () {
      const token = yield* tokenFor(people.intake)
      const before = yield* storeCounts
      for (const birthDate of ["2015-02-30", 20150230, "1815-02-13"] as const) {
        const response = yield* raw("POST", "/cases", {
          token,
          body: JSON.stringify({ ...report("case-birth"), birthDate })
        })
        assert.strictEqual(response.status, 400, String(birthDate))
        const text = yield* Effect.orDie(response.text)
        assert.include(text, "birthDate", String(birthDate))
        for (const part of ["2015", "20150230", "1815", "02-30", "02-13"])
          assert.notInclude(text, part, String(birthDate))
      }
      assert.deepStrictEqual(yield* storeCounts, before)
    }).pipe(Effect.provide(serve(layerMemory)))
  )

  // Transport review: `routes` read a body of any size, since only `layer` set the platform's limit.
  it.live(
    "the routes alone, served without a body limit of the platform's, still refuse a body over maxBodyBytes",
    () =>
      Effect.gen(function* () {
        yield* register("case-big")
        const token = yield* tokenFor(people.kasi)
        const before = yield* storeCounts
        const outreach = { _tag: "StartOutreach", caseId: "case-big" }
        const big = yield* raw("POST", "/cases/case-big/commands", {
          token,
          body: JSON.stringify({ ...outreach, pad: "x".repeat(config.maxBodyBytes ?? 0) })
        })
        assert.strictEqual(big.status, 413)
        assert.deepStrictEqual(yield* storeCounts, before)
      }).pipe(
        Effect.provide(
          HttpRouter.serve(Server.routes(config), { disableLogger: true, disableListenLog: true }).pipe(
            Layer.provideMerge(layerMemory),
            Layer.provideMerge(NodeHttpServer.layerTest),
            Layer.provide(Logger.layer([]))
          )
        )
      )
  )

  it.live("answer 4xx with a problem body that says what is wrong, and change nothing", () =>
    Effect.gen(function* () {
      yield* register("case-bad")
      const token = yield* tokenFor(people.kasi)
      const before = yield* storeCounts
      const command = (body: unknown, headers: Record<string, string> = {}, path = "/cases/case-bad/commands") =>
        raw("POST", path, { token, headers, body: typeof body === "string" ? body : JSON.stringify(body) })
      const outreach = Schema.encodeSync(CaseCommand.Command)(
        Schema.decodeUnknownSync(CaseCommand.Command)({ _tag: "StartOutreach", caseId: "case-bad" })
      )
      const cases: ReadonlyArray<
        readonly [
          string,
          Effect.Effect<HttpClientResponse.HttpClientResponse, never, HttpClient.HttpClient>,
          number,
          string,
          unknown?
        ]
      > = [
        ["malformed JSON", command('{"_tag":'), 400, "urn:lindung:problem:invalid-request", ["payload"]],
        [
          "an unknown field",
          command({ ...outreach, extra: true }),
          400,
          "urn:lindung:problem:invalid-request",
          ["payload", "extra"]
        ],
        [
          "a wrong type",
          command({ _tag: "AssignCaseworker", caseId: "case-bad", caseworker: 7 }),
          400,
          "urn:lindung:problem:invalid-request",
          ["payload", "caseworker"]
        ],
        [
          "an unknown command",
          command({ _tag: "DeleteCase", caseId: "case-bad" }),
          400,
          "urn:lindung:problem:invalid-request",
          ["payload"]
        ],
        [
          "a case id other than the path's",
          command({ ...outreach, caseId: "other" }),
          400,
          "urn:lindung:problem:invalid-request",
          ["payload", "caseId"]
        ],
        [
          "a bad If-Match",
          command(outreach, { "if-match": "yesterday" }),
          400,
          "urn:lindung:problem:invalid-request",
          ["headers", "if-match"]
        ],
        [
          "a bad Idempotency-Key",
          command(outreach, { "idempotency-key": "has space" }),
          400,
          "urn:lindung:problem:invalid-request",
          ["headers", "idempotency-key"]
        ],
        [
          "an oversized body",
          command({ ...outreach, pad: "x".repeat(config.maxBodyBytes ?? 0) }),
          413,
          "urn:lindung:problem:payload-too-large"
        ],
        [
          "a body that is not JSON",
          command("caseId=case-bad", { "content-type": "application/x-www-form-urlencoded" }),
          415,
          "urn:lindung:problem:unsupported-media-type"
        ],
        [
          "an unknown case",
          command({ _tag: "StartOutreach", caseId: "nope" }, {}, "/cases/nope/commands"),
          404,
          "urn:lindung:problem:case-not-found"
        ],
        [
          "a command the SOP does not allow",
          command({ _tag: "CompleteAssessment", caseId: "case-bad" }),
          422,
          "urn:lindung:problem:sop-violation"
        ],
        [
          "an existing case id",
          raw("POST", "/cases", { token: yield* tokenFor(people.intake), body: JSON.stringify(report("case-bad")) }),
          409,
          "urn:lindung:problem:case-already-exists"
        ],
        [
          "an unknown query parameter",
          raw("GET", "/cases?colour=red", { token }),
          400,
          "urn:lindung:problem:invalid-request",
          ["query", "colour"]
        ],
        [
          "a bad stage",
          raw("GET", "/cases?stage=done", { token }),
          400,
          "urn:lindung:problem:invalid-request",
          ["query", "stage", 0]
        ],
        [
          "counts without a dimension",
          raw("GET", "/cases/counts", { token }),
          400,
          "urn:lindung:problem:invalid-request",
          ["query", "by"]
        ],
        [
          "overdue=false (there is no such filter: leave it out)",
          raw("GET", "/cases?overdue=false", { token }),
          400,
          "urn:lindung:problem:invalid-request",
          ["query", "overdue"]
        ],
        [
          "a case id the API could not serve (GET /cases/counts is the counts)",
          raw("POST", "/cases", { token: yield* tokenFor(people.intake), body: JSON.stringify(report("counts")) }),
          400,
          "urn:lindung:problem:invalid-request",
          ["payload", "caseId"]
        ],
        ["an unknown route", raw("GET", "/cases/case-bad/nothing", { token }), 404, "about:blank"]
      ]
      for (const [label, request, status, type, path] of cases) {
        const response = yield* request
        assert.strictEqual(response.status, status, label)
        assert.strictEqual(response.headers["content-type"], "application/problem+json", label)
        const body = (yield* Effect.orDie(response.json)) as Record<string, unknown>
        assert.strictEqual(body.type, type, label)
        assert.strictEqual(body.status, status, label)
        assert.isString(body.title, label)
        if (path !== undefined) {
          assert.deepInclude(
            (body.errors as Array<{ path: unknown }>).map((e) => e.path),
            path,
            label
          )
        }
      }
      const violation = (yield* Effect.orDie(
        (yield* command({ _tag: "CompleteAssessment", caseId: "case-bad" })).json
      )) as Record<string, unknown>
      // A case just reported cannot complete an assessment: the stage refuses it before any guard (SOP-STAGE).
      assert.strictEqual(violation.rule, "SOP-STAGE")
      assert.isString(violation.ruleTitle)
      assert.isAbove((violation.basis as Array<unknown>).length, 0)
      // A guard's refusal carries the guard's rule: a child's data is consented to by a parent or guardian (SOP-06).
      const consent = (yield* Effect.orDie(
        (yield* command({
          _tag: "RecordConsent",
          caseId: "case-bad",
          consent: "consent-self",
          givenBy: "self",
          scope: ["summary"]
        })).json
      )) as Record<string, unknown>
      assert.strictEqual(consent.rule, "SOP-06")
      assert.match(String(consent.detail), /needs the consent of a parent or guardian/)
      assert.deepStrictEqual(
        consent.basis,
        Sop.rules["SOP-06"].basis.map((b) => JSON.parse(JSON.stringify(b)))
      )
      assert.deepStrictEqual(yield* storeCounts, before)
    }).pipe(Effect.provide(serve(layerMemory)))
  )

  it.live("refuses unusable server configurations when the layer is built", () =>
    Effect.gen(function* () {
      const small = yield* Effect.exit(Layer.build(serve(layerMemory, { maxBodyBytes: 10 })))
      assert.isTrue(Exit.isFailure(small))
      const policy = yield* Effect.exit(
        Layer.build(
          serve(layerMemory, { policy: Policy.make({ caseload: { maxPerCaseworker: 0, bandUpperBounds: [1, 2, 3] } }) })
        )
      )
      assert.isTrue(Exit.isFailure(policy))
      // A deadline policy in which tinggi is later than sedang (issue 11, fact 13): DEADLINE-MONOTONE.
      const late = Policy.make({
        deadlines: {
          ...Policy.defaults.deadlines,
          "first-contact": { ...Policy.defaults.deadlines["first-contact"], tinggi: Duration.days(4) }
        }
      })
      const monotone = yield* Effect.exit(Layer.build(serve(layerMemory, { policy: late })))
      assert.isTrue(Exit.isFailure(monotone))
      assert.match(String(Exit.isFailure(monotone) && Cause.pretty(monotone.cause)), /DEADLINE-MONOTONE/)
      // Not a path, or a path the server serves itself: refused as configuration, never a router crash at startup.
      for (const path of [
        "/openapi.json",
        "/docs",
        "no-slash",
        "/a b",
        "/health/ready",
        "/cases/counts",
        "/cases/x",
        "/sop"
      ]) {
        const taken = yield* Effect.exit(Layer.build(serve(layerMemory, { documents: { [path]: {} } })))
        assert.match(
          String(Exit.isFailure(taken) && Cause.pretty(taken.cause)),
          /InvalidServerConfig[\s\S]*is not a free path/,
          path
        )
      }
      for (const path of ["/asyncapi.json", "/cases.json", "/health/live/more"]) {
        const free = yield* Effect.exit(Layer.build(serve(layerMemory, { documents: { [path]: {} } })))
        assert.isTrue(Exit.isSuccess(free), path)
      }
      assert.isTrue(Exit.isSuccess(yield* Effect.exit(Layer.build(serve(layerMemory)))))
    }).pipe(Effect.scoped)
  )
})

describe("problems in Bahasa Indonesia (Accept-Language)", () => {
  it.live("say a problem in the language the request prefers, with its codes and fields unchanged", () =>
    Effect.gen(function* () {
      yield* register("case-bahasa")
      const token = yield* tokenFor(people.kasi)
      const close = JSON.stringify({ _tag: "CloseCase", caseId: "case-bahasa", reason: "selesai" })
      const send = (headers: Record<string, string>) =>
        raw("POST", "/cases/case-bahasa/commands", { token, headers, body: close })
      const english = yield* send({})
      const englishBody = yield* json(english)
      const indonesian = yield* send({ "accept-language": "id-ID,id;q=0.9,en;q=0.8" })
      const indonesianBody = yield* json(indonesian)
      assert.strictEqual(english.status, 422)
      assert.strictEqual(indonesian.status, 422)
      assert.strictEqual(english.headers["content-language"], "en")
      assert.strictEqual(indonesian.headers["content-language"], "id")
      assert.include(indonesian.headers.vary ?? "", "accept-language")
      assert.strictEqual(englishBody.title, "The SOP does not allow this command")
      assert.strictEqual(indonesianBody.title, "SOP tidak mengizinkan perintah ini")
      assert.match(String(indonesianBody.detail), /^SOP-STAGE: Setiap langkah hanya dilakukan pada tahap/)
      for (const key of ["type", "status", "rule", "basis"]) {
        assert.deepStrictEqual(indonesianBody[key], englishBody[key], key)
      }
      assert.notStrictEqual(indonesianBody.ruleTitle, englishBody.ruleTitle)
      // A typed client decodes it as the same problem class.
      const decoded = Schema.decodeUnknownSync(Problem.SopViolation)(indonesianBody)
      assert.strictEqual(decoded.rule, "SOP-STAGE")
      // The problems of the server itself and of authentication too.
      const route = yield* raw("GET", "/nowhere", { headers: { "accept-language": "id" } })
      assert.strictEqual(route.status, 404)
      assert.strictEqual((yield* json(route)).title, "Tidak ditemukan")
      const anonymous = yield* raw("GET", "/cases/case-bahasa", { headers: { "accept-language": "id" } })
      assert.strictEqual(anonymous.status, 401)
      assert.strictEqual((yield* json(anonymous)).title, "Autentikasi diperlukan")
      // A successful answer is not touched.
      const read = yield* raw("GET", "/cases/case-bahasa", { token, headers: { "accept-language": "id" } })
      assert.strictEqual(read.status, 200)
      assert.isUndefined(read.headers["content-language"])
    }).pipe(Effect.provide(serve(layerMemory)))
  )

  it("documents both titles of every problem in the OpenAPI document", () => {
    const spec = OpenApi.fromApi(Api.Api) as unknown as {
      components: { schemas: Record<string, { properties?: Record<string, { enum?: ReadonlyArray<unknown> }> }> }
    }
    const titled = Object.values(spec.components.schemas).filter(
      (schema) => typeof schema.properties?.type?.enum?.[0] === "string" && schema.properties?.title !== undefined
    )
    assert.isAbove(titled.length, 10)
    for (const schema of titled) {
      const type = schema.properties?.type?.enum?.[0] as string
      assert.include(schema.properties?.title?.enum ?? [], Problem.titlesId[type], type)
    }
  })
})

describe("layerNode", () => {
  it.live("listens on 127.0.0.1, announces the port, serves, and stops accepting connections when interrupted", () =>
    Effect.gen(function* () {
      const bound = yield* Deferred.make<number>()
      const lines: Array<string> = []
      const node = Server.layerNode(config, {
        port: 0,
        logFormat: "none",
        onListen: ({ host, port }) =>
          Effect.sync(() => lines.push(`${host}:${port}`)).pipe(Effect.andThen(Deferred.succeed(bound, port)))
      }).pipe(Layer.provide(layerMemory))
      const fiber = yield* Effect.forkChild(Layer.launch(node))
      const port = yield* Deferred.await(bound)
      assert.deepStrictEqual(lines, [`127.0.0.1:${port}`])
      const live = yield* Effect.promise(() => fetch(`http://127.0.0.1:${port}/health/live`))
      assert.strictEqual(live.status, 200)
      assert.match(live.headers.get("x-request-id") ?? "", /^[0-9a-f-]{36}$/)
      yield* Fiber.interrupt(fiber)
      const refused = yield* Effect.promise(() =>
        fetch(`http://127.0.0.1:${port}/health/live`).then(
          () => "answered",
          () => "refused"
        )
      )
      assert.strictEqual(refused, "refused")
    })
  )
})
