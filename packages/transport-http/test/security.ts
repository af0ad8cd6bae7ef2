/**
 * The HTTP security suite, run over each storage adapter: what an attacker with a valid token of another agency, a
 * forged claim, a hostile id, a wrong content type or a token-guessing script can do — nothing. Each finding of the
 * review behind issue 9 is reproduced here as the request that used to succeed.
 */
import { assert, it } from "@effect/vitest"
import { type Case, CaseCommand, IdentityVault } from "@lindung/core"
import { Effect, Redacted, Schema } from "effect"
import { HttpServer } from "effect/http"
import { SignJWT } from "jose"
import { describe } from "vitest"
import { Api } from "../src/index.js"
import { auth, clientAs, people, raw, SECRET, serve, storeCounts, tokenFor } from "./harness.js"
import { report } from "./story.js"
import type { Storage } from "./suite.js"

const SENTINEL = "Anak rahasia contoh fiktif"

/** A token signed with the test secret, with any claims. */
const forged = (sub: string, claims: Record<string, unknown>) =>
  Effect.promise(() =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(sub)
      .setIssuer(auth.issuer)
      .setAudience(auth.audience)
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode(SECRET))
  )

/** Registers a Padang case with an identity; returns its id and its (minted) subject id. */
const padangCase = (caseId: string) =>
  Effect.gen(function* () {
    const intake = yield* clientAs(people.intake)
    const registered = yield* intake.cases.register({
      headers: {},
      payload: Schema.decodeUnknownSync(Api.RegisterRequest)({
        ...report(caseId),
        identity: { name: SENTINEL, nik: "1371010101010009", familyNames: [] }
      })
    })
    const event = registered.events[0]?.payload
    return { caseId: registered.caseId, subject: event?._tag === "ReportRegistered" ? event.subject : "" }
  })

const json = (response: { readonly json: Effect.Effect<unknown, unknown> }) =>
  Effect.orDie(response.json) as Effect.Effect<Record<string, unknown>>

/** The security suite over one storage layer. */
export const securitySuite = (name: string, storage: () => Storage) =>
  describe(name, () => {
    it.live("another agency cannot reach a child's identity through a case naming the child's subject id", () =>
      Effect.gen(function* () {
        const padang = yield* padangCase("case-padang")
        // The subject id is visible to an auditor's history view: assume the attacker knows it.
        const auditor = yield* clientAs(people.auditor)
        const history = yield* auditor.cases.history({ params: { caseId: padang.caseId } })
        const leaked = history.events[0]?.payload
        assert.strictEqual(leaked?._tag === "ReportRegistered" ? leaked.subject : undefined, padang.subject)

        const before = yield* storeCounts
        const token = yield* tokenFor(people.balikpapanKabid)
        const body = {
          ...report("case-balikpapan", padang.subject),
          region: "64.71.01",
          owner: "dinsos-64.71",
          identity: { name: "Pengganti", familyNames: [] }
        }
        const registered = yield* raw("POST", "/cases", { token, body: JSON.stringify(body) })
        assert.strictEqual(registered.status, 404)
        assert.strictEqual((yield* json(registered)).type, "urn:lindung:problem:subject-not-found")
        // The same answer as for a subject that does not exist at all.
        const unknown = yield* raw("POST", "/cases", {
          token,
          body: JSON.stringify({ ...body, subject: "subj-does-not-exist" })
        })
        assert.strictEqual(unknown.status, 404)
        assert.deepStrictEqual(Object.keys(yield* json(unknown)).sort(), Object.keys(yield* json(registered)).sort())
        assert.deepStrictEqual(yield* storeCounts, before)

        // Directly on the Padang case: read, replace and erase all answer as for a case that does not exist.
        const path = `/cases/${padang.caseId}/identity`
        const read = yield* raw("GET", `${path}?purpose=assessment`, { token })
        const replace = yield* raw("PUT", path, { token, body: JSON.stringify({ name: "X", familyNames: [] }) })
        const erase = yield* raw("DELETE", path, { token })
        assert.deepStrictEqual([read.status, replace.status, erase.status], [404, 404, 404])

        // Padang still reads the identity it stored; the trail records who read it and why, and holds no identity.
        const kasi = yield* clientAs(people.kasi)
        const identity = yield* kasi.identities.get({
          params: { caseId: padang.caseId },
          query: { purpose: "family-tracing" }
        })
        assert.strictEqual(Redacted.value(identity.identity.name), SENTINEL)
        const vault = yield* IdentityVault.IdentityVault
        const trail = yield* Effect.orDie(vault.accesses(identity.subject))
        assert.deepStrictEqual(
          trail.map((entry) => [entry.operation, entry.actor, entry.purpose, entry.caseId]),
          [
            ["store", people.intake.id, "registration", padang.caseId],
            ["read", people.kasi.id, "family-tracing", padang.caseId]
          ]
        )
        assert.notInclude(JSON.stringify(trail), SENTINEL)
        assert.notInclude(JSON.stringify(trail), "1371010101010009")
      }).pipe(Effect.provide(serve(storage())))
    )

    it.live("a search by NIK answers only within what the actor may reach, and only ids", () =>
      Effect.gen(function* () {
        const padang = yield* padangCase("case-nik")
        const search = (actor: (typeof people)[keyof typeof people]) =>
          Effect.flatMap(tokenFor(actor), (token) =>
            raw("POST", "/subjects/search", { token, body: JSON.stringify({ nik: "1371010101010009" }) })
          )
        const byKasi = yield* search(people.kasi)
        assert.strictEqual(byKasi.status, 200)
        const found = yield* json(byKasi)
        assert.deepStrictEqual(found, {
          matches: [{ caseId: padang.caseId, subject: padang.subject }],
          truncated: false
        })
        // Another kota's supervisor, the province's (who reads the case but not its identity), an intake officer
        // who is not assigned: nothing — the same answer as for a NIK nobody has.
        for (const actor of [people.balikpapanKabid, people.sumbarKabid, people.intake]) {
          const answer = yield* json(yield* search(actor))
          assert.deepStrictEqual(answer, { matches: [], truncated: false }, actor.id)
        }
        assert.strictEqual((yield* search(people.partner)).status, 403)
        const bad = yield* raw("POST", "/subjects/search", {
          token: yield* tokenFor(people.kasi),
          body: JSON.stringify({ nik: "13710101" })
        })
        assert.strictEqual(bad.status, 400)
        assert.notInclude(yield* Effect.orDie(bad.text), "13710101")
        const vault = yield* IdentityVault.IdentityVault
        const trail = yield* Effect.orDie(vault.accesses(padang.subject as never))
        assert.deepStrictEqual(
          trail.map((entry) => [entry.operation, entry.actor, entry.purpose]),
          [
            ["store", people.intake.id, "registration"],
            ["read", people.kasi.id, "duplicate-check"]
          ]
        )
      }).pipe(Effect.provide(serve(storage())))
    )

    it.live("an identity shared by cases of two agencies is changed only by an actor allowed on both", () =>
      Effect.gen(function* () {
        const padang = yield* padangCase("case-shared-1")
        // The Sumbar province supervisor reads the Padang case by region but cannot read its identity: not found.
        const province = yield* tokenFor(people.sumbarKabid)
        const linked = yield* raw("POST", "/cases", {
          token: province,
          body: JSON.stringify({ ...report("case-shared-2", padang.subject), region: "13.71.01", owner: "dinsos-13" })
        })
        assert.strictEqual(linked.status, 404)
        // The Padang Kasi links a second Padang case; the Padang caseworker assigned to only one of them cannot
        // replace the shared identity (the other case is not theirs), the Kasi can.
        const kasi = yield* clientAs(people.kasi)
        yield* kasi.cases.register({
          headers: {},
          payload: Schema.decodeUnknownSync(Api.RegisterRequest)(report("case-shared-2", padang.subject))
        })
        const assign = { _tag: "AssignCaseworker", caseId: "case-shared-1", caseworker: people.worker.id }
        yield* kasi.cases.command({
          params: { caseId: padang.caseId },
          headers: {},
          payload: Schema.decodeUnknownSync(CaseCommand.Command)(assign)
        })
        const worker = yield* tokenFor(people.worker)
        const replaced = yield* raw("PUT", `/cases/${padang.caseId}/identity`, {
          token: worker,
          body: JSON.stringify({ name: "Nama lain", familyNames: [] })
        })
        assert.strictEqual(replaced.status, 403)
        assert.match(String((yield* json(replaced)).detail), /another case/)
        const byKasi = yield* raw("PUT", `/cases/${padang.caseId}/identity`, {
          token: yield* tokenFor(people.kasi),
          body: JSON.stringify({ name: "Nama koreksi", familyNames: [] })
        })
        assert.strictEqual(byKasi.status, 204)
        const second = yield* kasi.identities.get({
          params: { caseId: "case-shared-2" as Case.Case["id"] },
          query: { purpose: "identity-correction" }
        })
        assert.strictEqual(Redacted.value(second.identity.name), "Nama koreksi")
      }).pipe(Effect.provide(serve(storage())))
    )

    it.live("a linked report cannot slip an identity past the replace rule, nor a retried key add one", () =>
      Effect.gen(function* () {
        const padang = yield* padangCase("case-slip-1")
        const kasi = yield* clientAs(people.kasi)
        yield* kasi.cases.command({
          params: { caseId: padang.caseId },
          headers: {},
          payload: Schema.decodeUnknownSync(CaseCommand.Command)({
            _tag: "AssignCaseworker",
            caseId: padang.caseId,
            caseworker: people.worker.id
          })
        })
        // The assigned caseworker reaches the subject (it reads the identity of case-slip-1), so it may link.
        const token = yield* tokenFor(people.worker)
        const linked = (caseId: string, extra: Record<string, unknown>, key?: string) =>
          raw("POST", "/cases", {
            token,
            ...(key === undefined ? {} : { headers: { "idempotency-key": key } }),
            body: JSON.stringify({ ...report(caseId, padang.subject), ...extra })
          })
        const before = yield* storeCounts
        // With an identity it would replace the shared one on a case it is not assigned to: refused, nothing written.
        const identity = { identity: { name: "Nama selundupan", familyNames: [] } }
        assert.strictEqual((yield* linked("case-slip-2", identity)).status, 403)
        assert.deepStrictEqual(yield* storeCounts, before)
        // Linked without an identity under a key, then "retried" with one under the same key: another request.
        assert.strictEqual((yield* linked("case-slip-4", {}, "slip-key")).status, 201)
        const retried = yield* linked("case-slip-4", identity, "slip-key")
        assert.strictEqual(retried.status, 422)
        assert.strictEqual((yield* json(retried)).type, "urn:lindung:problem:idempotency-key-reused")
        assert.strictEqual((yield* json(retried)).key, "slip-key")
        const read = yield* kasi.identities.get({ params: { caseId: padang.caseId }, query: { purpose: "assessment" } })
        assert.strictEqual(Redacted.value(read.identity.name), SENTINEL)
      }).pipe(Effect.provide(serve(storage())))
    )

    it.live("a token's claims never override the directory", () =>
      Effect.gen(function* () {
        yield* padangCase("case-claims")
        const id = people.balikpapanKabid.id
        const attempts: ReadonlyArray<readonly [string, Record<string, unknown>, string]> = [
          ["a region claim of Padang", { region: "13.71" }, id],
          ["a national region claim", { region: "ID" }, id],
          ["the agency of Padang", { agency: "dinsos-13.71" }, id],
          ["a role it does not hold", { role: "head-of-dinas" }, id],
          ["an auditor claiming the whole country", { region: "ID" }, people.outsideAuditor.id],
          ["a name and a NIK as the subject", {}, "Budi Santoso 1371999999999999"]
        ]
        for (const [label, claims, sub] of attempts) {
          const token = yield* forged(sub, claims)
          const response = yield* raw("GET", "/cases/case-claims", { token })
          assert.strictEqual(response.status, 401, label)
          assert.notInclude(JSON.stringify(yield* json(response)), "1371999999999999", label)
        }
        // The same person without the forged claim: the case lies outside its region, so it does not exist for it.
        const honest = yield* raw("GET", "/cases/case-claims", { token: yield* tokenFor(people.balikpapanKabid) })
        assert.strictEqual(honest.status, 404)
      }).pipe(Effect.provide(serve(storage())))
    )

    it.live("assigns only active people of the owning agency", () =>
      Effect.gen(function* () {
        yield* padangCase("case-assign")
        const token = yield* tokenFor(people.kasi)
        const assign = (caseworker: string) =>
          raw("POST", "/cases/case-assign/commands", {
            token,
            body: JSON.stringify({ _tag: "AssignCaseworker", caseId: "case-assign", caseworker })
          })
        const nobody = yield* assign("sakti-peksos-1-nobody")
        assert.strictEqual(nobody.status, 422)
        assert.strictEqual((yield* json(nobody)).rule, "SOP-07")
        assert.strictEqual((yield* assign(people.balikpapanWorker.id)).status, 422)
        assert.strictEqual((yield* assign(people.worker.id)).status, 200)
      }).pipe(Effect.provide(serve(storage())))
    )

    // Transport review: thirty `by=ampk` multiplied the groups with themselves (3^30 keys for a case of three AMPK
    // categories), exhausting the memory store and cross-joining in SQL.
    it.live("refuses counts grouped by a dimension twice, with 400", () =>
      Effect.gen(function* () {
        const token = yield* tokenFor(people.kasi)
        yield* padangCase("case-counted")
        const once = yield* raw("GET", "/cases/counts?by=ampk&by=region", { token })
        assert.strictEqual(once.status, 200)
        const thirty = Array.from({ length: 30 }, () => "by=ampk").join("&")
        for (const query of ["by=ampk&by=ampk", "by=region&by=ampk&by=region", thirty]) {
          const response = yield* raw("GET", `/cases/counts?${query}`, { token })
          assert.strictEqual(response.status, 400, query)
          assert.strictEqual((yield* json(response)).type, "urn:lindung:problem:invalid-request")
        }
      }).pipe(Effect.provide(serve(storage())))
    )

    it.live("refuses hostile ids with 400 on every store, and stores nothing", () =>
      Effect.gen(function* () {
        const token = yield* tokenFor(people.intake)
        const before = yield* storeCounts
        const hostile = [
          "case-\u0000-nul",
          "case-\u0007-bell",
          "case-\u202e-bidi",
          "case-\u2066-isolate",
          "case-\ud800-lone",
          "case-e\u0301-decomposed",
          "c".repeat(129),
          ""
        ]
        for (const caseId of hostile) {
          const response = yield* raw("POST", "/cases", { token, body: JSON.stringify(report(caseId)) })
          assert.strictEqual(response.status, 400, JSON.stringify(caseId))
          const subject = yield* raw("POST", "/cases", {
            token,
            body: JSON.stringify(report("case-ok-id", caseId.length === 0 ? "\u0000" : caseId))
          })
          assert.strictEqual(subject.status, 400, `subject ${JSON.stringify(caseId)}`)
        }
        for (const path of ["/cases/case-%00", "/cases/case-%E2%80%AE", `/cases/${"c".repeat(129)}`]) {
          assert.strictEqual((yield* raw("GET", path, { token })).status, 400, path)
        }
        const key = yield* raw("POST", "/cases", {
          token,
          headers: { "idempotency-key": "two words" },
          body: JSON.stringify(report("case-key"))
        })
        assert.strictEqual(key.status, 400)
        assert.deepStrictEqual(yield* storeCounts, before)

        // The longest valid id (128 characters, some of them outside ASCII) is stored and addressed by its path.
        const longest = `kasus-é-${"x".repeat(118)}-字`
        assert.strictEqual([...longest].length, 128)
        assert.strictEqual((yield* raw("POST", "/cases", { token, body: JSON.stringify(report(longest)) })).status, 201)
        const kasi = yield* tokenFor(people.kasi)
        assert.strictEqual((yield* raw("GET", `/cases/${encodeURIComponent(longest)}`, { token: kasi })).status, 200)
      }).pipe(Effect.provide(serve(storage())))
    )

    it.live("reads a body only when it says it is JSON in UTF-8 (415 otherwise), and stores nothing", () =>
      Effect.gen(function* () {
        const token = yield* tokenFor(people.intake)
        const before = yield* storeCounts
        const body = JSON.stringify(report("case-type"))
        // A body without any Content-Type (bytes, so that fetch adds none).
        const address = (yield* HttpServer.HttpServer).address
        const port = address._tag === "UnixPathAddress" ? 0 : address.port
        const untyped = yield* Effect.promise(() =>
          fetch(`http://127.0.0.1:${port}/cases`, {
            method: "POST",
            headers: { authorization: `Bearer ${token}` },
            body: new TextEncoder().encode(body)
          })
        )
        assert.strictEqual(untyped.status, 415)
        // Declared UTF-8 but not UTF-8: refused, never stored with U+FFFD in place of the bad bytes.
        const text = JSON.stringify(report("case-bytes-XX"))
        const bytes = new TextEncoder().encode(text)
        const at = text.indexOf("XX")
        bytes.set([0xff, 0xfe], at)
        const malformed = yield* Effect.promise(() =>
          fetch(`http://127.0.0.1:${port}/cases`, {
            method: "POST",
            headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
            body: bytes
          })
        )
        assert.strictEqual(malformed.status, 400)
        for (const type of ["text/plain", "application/json; charset=utf-16", "application/x-www-form-urlencoded"]) {
          const response = yield* raw("POST", "/cases", { token, body, headers: { "content-type": type } })
          assert.strictEqual(response.status, 415, type)
          assert.strictEqual((yield* json(response)).type, "urn:lindung:problem:unsupported-media-type")
        }
        assert.deepStrictEqual(yield* storeCounts, before)
        for (const type of [
          "application/json",
          "application/json; charset=utf-8",
          'Application/JSON;charset="UTF-8"'
        ]) {
          const response = yield* raw("POST", "/cases", {
            token,
            body: JSON.stringify(report(`case-type-${before.cases + type.length}`)),
            headers: { "content-type": type }
          })
          assert.strictEqual(response.status, 201, type)
        }
      }).pipe(Effect.provide(serve(storage())))
    )

    it.live("answers a case out of reach exactly as a case that does not exist", () =>
      Effect.gen(function* () {
        yield* padangCase("case-exists")
        const token = yield* tokenFor(people.balikpapanWorker)
        const pairs: ReadonlyArray<readonly [string, string, string | undefined]> = [
          ["GET", "/cases/{id}", undefined],
          ["GET", "/cases/{id}/history", undefined],
          ["GET", "/cases/{id}/identity?purpose=assessment", undefined],
          ["DELETE", "/cases/{id}/identity", undefined],
          ["POST", "/cases/{id}/commands", '{"_tag":"StartOutreach","caseId":"{id}"}']
        ]
        for (const [method, template, bodyTemplate] of pairs) {
          const send = (id: string) =>
            raw(method as "GET", template.replace("{id}", id), {
              token,
              ...(bodyTemplate === undefined ? {} : { body: bodyTemplate.replace("{id}", id) })
            })
          const existing = yield* send("case-exists")
          const missing = yield* send("case-missing")
          // With a stale If-Match, a command to a case out of reach must not answer 409 with the case's version.
          if (method === "POST") {
            for (const id of ["case-exists", "case-missing"]) {
              const stale = yield* raw("POST", template.replace("{id}", id), {
                token,
                headers: { "if-match": "7" },
                body: (bodyTemplate as string).replace("{id}", id)
              })
              assert.strictEqual(stale.status, 404, `stale If-Match on ${id}`)
            }
          }
          assert.deepStrictEqual([existing.status, missing.status], [404, 404], `${method} ${template}`)
          const a = yield* json(existing)
          const b = yield* json(missing)
          assert.deepStrictEqual(Object.keys(a).sort(), Object.keys(b).sort(), `${method} ${template}`)
          assert.strictEqual(a.type, b.type)
        }
      }).pipe(Effect.provide(serve(storage())))
    )

    it.live("an invalid report tells nothing of whether its case id is taken", () =>
      Effect.gen(function* () {
        yield* padangCase("case-taken")
        const token = yield* tokenFor(people.balikpapanKabid)
        // A report the SOP refuses (a birth date that contradicts the age at the report), for a taken and a free id.
        const invalid = (caseId: string) =>
          raw("POST", "/cases", {
            token,
            body: JSON.stringify({
              ...report(caseId),
              region: "64.71.01",
              owner: "dinsos-64.71",
              birthDate: "2000-01-01",
              ageAtReport: 9
            })
          })
        const taken = yield* invalid("case-taken")
        const free = yield* invalid("case-free")
        assert.deepStrictEqual([taken.status, free.status], [422, 422])
        assert.strictEqual((yield* json(taken)).type, (yield* json(free)).type)
      }).pipe(Effect.provide(serve(storage())))
    )

    it.live(
      "refuses a token naming the scheduler's person: its Tick would probe every case (access review; fuzz seed 1255755774)",
      () =>
        Effect.gen(function* () {
          // The fuzz's counterexample #23421 sent the scheduler's Tick with a stale If-Match to an unknown case (then
          // 404). The scheduler acts in its own process only: a token naming it is an unknown person's.
          const tick = yield* raw("POST", "/cases/case-l09e14/commands", {
            token: yield* tokenFor(people.scheduler),
            headers: { "if-match": '"1"', "idempotency-key": "8881931c-07c9-73e6-8000-0019e7639558" },
            body: JSON.stringify({ _tag: "Tick", caseId: "case-l09e14" })
          })
          assert.strictEqual(tick.status, 401)
          assert.strictEqual((yield* json(tick)).type, "urn:lindung:problem:unauthorized")
        }).pipe(Effect.provide(serve(storage())))
    )

    it.live("limits failed authentications per client address (429 with Retry-After), and only failures", () =>
      Effect.gen(function* () {
        const good = yield* tokenFor(people.kasi)
        // Many good requests are never limited.
        for (let i = 0; i < 8; i++) assert.strictEqual((yield* raw("GET", "/cases", { token: good })).status, 200)
        const statuses: Array<number> = []
        for (let i = 0; i < 5; i++) statuses.push((yield* raw("GET", "/cases", { token: `bad-${i}` })).status)
        assert.deepStrictEqual(statuses, [401, 401, 401, 429, 429])
        // A token not verified before is refused before it is verified, a valid one included…
        const fresh = yield* tokenFor(people.intake)
        const limited = yield* raw("GET", "/cases", { token: fresh })
        assert.strictEqual(limited.status, 429)
        assert.match(limited.headers["retry-after"] ?? "", /^\d+$/)
        assert.strictEqual((yield* json(limited)).type, "urn:lindung:problem:too-many-requests")
        // …while one already verified still works: people behind one address (a NAT) are not locked out by another.
        assert.strictEqual((yield* raw("GET", "/cases", { token: good })).status, 200)
        // X-Forwarded-For from an untrusted peer is ignored: the limit follows the socket's address.
        const spoofed = yield* raw("GET", "/cases", { token: fresh, headers: { "x-forwarded-for": "203.0.113.9" } })
        assert.strictEqual(spoofed.status, 429)
      }).pipe(Effect.provide(serve(storage(), { authFailures: { maxFailures: 3, windowSeconds: 600 } })))
    )

    it.live("serves /docs with a strict Content-Security-Policy and X-Frame-Options: DENY", () =>
      Effect.gen(function* () {
        const docs = yield* raw("GET", "/docs")
        assert.strictEqual(docs.status, 200)
        const policy = docs.headers["content-security-policy"] ?? ""
        assert.include(policy, "default-src 'none'")
        assert.include(policy, "frame-ancestors 'none'")
        assert.match(policy, /script-src 'sha256-[A-Za-z0-9+/=]+'/)
        assert.notInclude(policy, "unsafe-eval")
        assert.notMatch(policy, /script-src[^;]*unsafe-inline/)
        assert.strictEqual(docs.headers["x-frame-options"], "DENY")
      }).pipe(Effect.provide(serve(storage(), { docs: true })))
    )

    it.live("answers racing retries of one request with the first result, never 409 or 422", () =>
      Effect.gen(function* () {
        const intake = yield* clientAs(people.intake)
        const payload = Schema.decodeUnknownSync(Api.RegisterRequest)(report("case-race"))
        const registrations = yield* Effect.all(
          Array.from({ length: 20 }, () =>
            intake.cases.register({ headers: { "idempotency-key": "race-1" }, payload })
          ),
          { concurrency: "unbounded" }
        )
        assert.strictEqual(registrations.filter((r) => !r.replayed).length, 1)
        assert.strictEqual(new Set(registrations.map((r) => r.events[0]?.eventId)).size, 1)
        const token = yield* tokenFor(people.kasi)
        const before = yield* storeCounts
        const body = JSON.stringify({ _tag: "AssignCaseworker", caseId: "case-race", caseworker: people.worker.id })
        const retries = yield* Effect.all(
          Array.from({ length: 20 }, () =>
            raw("POST", "/cases/case-race/commands", { token, body, headers: { "idempotency-key": "race-assign" } })
          ),
          { concurrency: "unbounded" }
        )
        assert.deepStrictEqual(
          retries.map((r) => r.status),
          retries.map(() => 200)
        )
        assert.strictEqual((yield* storeCounts).events - before.events, 1)
      }).pipe(Effect.provide(serve(storage())))
    )
  })
