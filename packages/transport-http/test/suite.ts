/**
 * The end-to-end suite of the HTTP API, run over each storage adapter: a story from report to closure with the
 * typed client, the authorization matrix (role × region × assignment), idempotent retries and stale versions.
 * Each test gets a fresh store and a server on a random port.
 */
import { assert, it } from "@effect/vitest"
import {
  Access,
  type Actor,
  Agency,
  Case,
  CaseCommand,
  type CaseIndex,
  EventStore,
  type ExportLog,
  type IdentityVault,
  Region
} from "@lindung/core"
import { Effect, Exit, type Layer, Redacted, Schema } from "effect"
import { describe } from "vitest"
import { Api, Client } from "../src/index.js"
import { clientAs, directory, people, raw, serve, storeCounts, tokenFor } from "./harness.js"
import { report, type Step, toClosure } from "./story.js"

/** The storage ports a suite runs on. */
export type Storage = Layer.Layer<
  EventStore.EventStore | CaseIndex.CaseIndex | IdentityVault.IdentityVault | ExportLog.ExportLog,
  unknown
>

const decodeCommand = Schema.decodeUnknownSync(CaseCommand.Command)

/** Sends the steps with the typed client, each as its actor. */
export const runSteps = (steps: ReadonlyArray<Step>) =>
  Effect.gen(function* () {
    const client = yield* Client.make()
    const results = []
    for (const step of steps) {
      const token = yield* tokenFor(step.actor)
      const command = decodeCommand(step.command)
      const result = yield* client.cases
        .command({ params: { caseId: command.caseId }, headers: {}, payload: command })
        .pipe(Client.withToken(token))
      results.push(result)
    }
    return results
  })

/** Registers a report as the intake officer (optionally with an identity), returns the result. */
export const register = (caseId: string, identity?: { readonly name: string }) =>
  Effect.gen(function* () {
    const client = yield* clientAs(people.intake)
    return yield* client.cases.register({ headers: {}, payload: registerRequest(caseId, identity) })
  })

/** The typed body of `POST /cases` for a case of the story. */
export const registerRequest = (caseId: string, identity?: { readonly name: string }): Api.RegisterRequest =>
  Schema.decodeUnknownSync(Api.RegisterRequest)({
    ...report(caseId),
    ...(identity === undefined ? {} : { identity: { name: identity.name, familyNames: ["Ibu contoh fiktif"] } })
  })

const region = (code: string) => Region.decodeSync(code)
const agencyId = (id: string) => Schema.decodeUnknownSync(Agency.AgencyId)(id)

const statusOf = (effect: Effect.Effect<unknown, unknown>) =>
  Effect.map(Effect.exit(effect), (exit) => {
    if (Exit.isSuccess(exit)) return 200
    const error = exit.cause.reasons.find((reason) => reason._tag === "Fail")
    const failure = error?._tag === "Fail" ? (error.error as { status?: unknown }) : undefined
    return typeof failure?.status === "number" ? failure.status : -1
  })

/** The suite over one storage layer. */
export const apiSuite = (name: string, storage: () => Storage) =>
  describe(name, () => {
    it.live(
      "carries a case from report to closure over HTTP with the typed client",
      () =>
        Effect.gen(function* () {
          const registered = yield* register("case-story", { name: "Anak contoh fiktif" })
          assert.strictEqual(registered.stage, "reported")
          assert.strictEqual(registered.version, 1)
          assert.strictEqual(registered.replayed, false)

          const results = yield* runSteps(toClosure("case-story"))
          const last = results.at(-1)
          assert.strictEqual(last?.stage, "closed")

          const kasi = yield* clientAs(people.kasi)
          const view = yield* kasi.cases.get({ params: { caseId: registered.caseId } })
          assert.strictEqual(view.summary.stage, "closed")
          assert.strictEqual(view.summary.version, last?.version)
          assert.strictEqual(view.identity, "visible")
          assert.strictEqual(view.history, true)
          assert.deepStrictEqual(view.work?.assigned, [people.worker.id])

          const history = yield* kasi.cases.history({ params: { caseId: registered.caseId } })
          assert.strictEqual(history.events.length, last?.version)
          assert.deepStrictEqual(
            history.events.map((event) => event.version),
            history.events.map((_, index) => index + 1)
          )
          // The history replays to the stage the API reports (SOP-12).
          const replayed = Case.fold(history.events)
          assert.strictEqual(replayed._tag === "Case" ? replayed.stage : undefined, "closed")
          const transitions = history.events.flatMap((event) =>
            event.payload._tag === "StageChanged" ? [event.payload.transition] : []
          )
          assert.deepStrictEqual(transitions, [
            "start-outreach",
            "reach-child",
            "complete-assessment",
            "start-intervention",
            "terminate",
            "close"
          ])
          // Identity never appears in a case view or its history.
          assert.notInclude(JSON.stringify(view) + JSON.stringify(history), "contoh fiktif")

          const identity = yield* kasi.identities.get({
            params: { caseId: registered.caseId },
            query: { purpose: "assessment" }
          })
          assert.strictEqual(Redacted.value(identity.identity.name), "Anak contoh fiktif")

          const closed = yield* kasi.worklists.list({ query: { stage: ["closed"] } })
          assert.deepStrictEqual(
            closed.entries.map((entry) => entry.caseId),
            [registered.caseId]
          )
          const open = yield* kasi.worklists.list({ query: { stage: ["reported", "outreach", "assessment"] } })
          assert.strictEqual(open.entries.length, 0)
          const counts = yield* kasi.worklists.counts({ query: { by: ["stage", "risk"] } })
          assert.deepStrictEqual(counts.rows, [{ key: { stage: "closed", risk: "rendah" }, count: 1 }])

          const sop = yield* kasi.sop.json()
          for (const id of transitions) assert.isTrue(sop.transitions.some((t) => t.id === id))
        }).pipe(Effect.provide(serve(storage()))),
      20_000
    )

    it.live("mints subject ids, and links a report to an existing subject only through a case that reaches it", () =>
      Effect.gen(function* () {
        const intake = yield* clientAs(people.intake)
        const kasi = yield* clientAs(people.kasi)
        const withIdentity = (caseId: string, name: string, subject?: string) =>
          Schema.decodeUnknownSync(Api.RegisterRequest)({
            ...report(caseId, subject),
            identity: { name, familyNames: [] }
          })
        const first = yield* intake.cases.register({
          headers: {},
          payload: withIdentity("case-first", "Anak pertama contoh fiktif")
        })
        const registered = first.events[0]?.payload
        const subject = registered?._tag === "ReportRegistered" ? registered.subject : ""
        assert.match(subject, /^subj-[0-9a-f]{32}$/u)

        // The intake officer cannot read the first case's identity: for it, the subject does not exist.
        const probe = yield* Effect.flip(
          intake.cases.register({ headers: {}, payload: withIdentity("case-probe", "Nama lain", subject) })
        )
        assert.strictEqual(probe._tag, "SubjectNotFound")
        const unknown = yield* Effect.flip(
          intake.cases.register({ headers: {}, payload: withIdentity("case-unknown", "Nama lain", "subj-unknown") })
        )
        assert.strictEqual(unknown._tag, "SubjectNotFound")

        // Another agency's supervisor, who cannot reach the subject, gets the same answer; nothing is written.
        const balikpapan = yield* clientAs(people.balikpapanKabid)
        const foreign = yield* Effect.flip(
          balikpapan.cases.register({
            headers: {},
            payload: Schema.decodeUnknownSync(Api.RegisterRequest)({
              ...report("case-foreign", subject),
              region: "64.71.01",
              owner: "dinsos-64.71"
            })
          })
        )
        assert.strictEqual(foreign._tag, "SubjectNotFound")
        assert.strictEqual((yield* storeCounts).cases, 1)

        // The Kasi of the owning agency reaches the subject: a second report about the same child links to it, and
        // its identity replaces the shared one (the Kasi may replace it on every case that holds it).
        const second = yield* kasi.cases.register({
          headers: {},
          payload: withIdentity("case-second", "Nama baru contoh fiktif", subject)
        })
        const read = yield* kasi.identities.get({ params: { caseId: second.caseId }, query: { purpose: "assessment" } })
        assert.strictEqual(read.subject, subject)
        assert.strictEqual(Redacted.value(read.identity.name), "Nama baru contoh fiktif")
        const again = yield* kasi.identities.get({
          params: { caseId: "case-first" as Case.Case["id"] },
          query: { purpose: "assessment" }
        })
        assert.strictEqual(Redacted.value(again.identity.name), "Nama baru contoh fiktif")
      }).pipe(Effect.provide(serve(storage())))
    )

    it.live("enforces the authorization matrix (role × region × assignment) over HTTP", () =>
      Effect.gen(function* () {
        yield* register("case-matrix", { name: "Anak contoh fiktif" })
        yield* runSteps(toClosure("case-matrix").slice(0, 1)) // worker assigned

        type Expect = {
          readonly view: number
          readonly history: number
          readonly identity: number
          readonly work: number
        }
        const allowAll: Expect = { view: 200, history: 200, identity: 200, work: 200 }
        const viewOnly: Expect = { view: 200, history: 403, identity: 403, work: 403 }
        // A case the actor may not read answers as a case that does not exist.
        const none: Expect = { view: 404, history: 404, identity: 404, work: 404 }
        const matrix: ReadonlyArray<readonly [string, Actor.Actor, Expect]> = [
          ["assigned caseworker of the owner", people.worker, allowAll],
          ["unassigned caseworker of the owner", people.worker2, viewOnly],
          ["supervisor of the owner", people.kasi, allowAll],
          ["head of the owner", people.kadis, allowAll],
          ["intake officer of the owner", people.intake, viewOnly],
          ["supervisor of the province above", people.sumbarKabid, viewOnly],
          ["caseworker of the province above", people.sumbarWorker, none],
          ["supervisor of another kota", people.balikpapanKabid, none],
          ["caseworker of another kota", people.balikpapanWorker, none],
          ["head of the national Sentra", people.sentraHead, viewOnly],
          ["caseworker of the national Sentra", people.sentraWorker, none],
          ["supervisor of another sector in the region", people.teacher, none],
          ["partner without a referral", people.partner, none],
          ["auditor of the province", people.auditor, { view: 200, history: 200, identity: 403, work: 403 }],
          ["auditor of another region", people.outsideAuditor, none],
          ["administrator", people.admin, none]
        ]
        const http = yield* Client.make()
        const caseId = "case-matrix" as Case.Case["id"]
        const store = yield* EventStore.EventStore
        const state = Case.fold(yield* Effect.orDie(store.load(caseId)))
        const core = (actor: Actor.Actor, action: Access.CaseAction) =>
          Access.can(actor, action, state, { agencies: directory })
            ? 200
            : Access.can(actor, "read", state, { agencies: directory })
              ? 403
              : 404
        for (const [label, actor, expected] of matrix) {
          const token = yield* tokenFor(actor)
          const as = Client.withToken(token)
          const actual: Expect = {
            view: yield* statusOf(as(http.cases.get({ params: { caseId } }))),
            history: yield* statusOf(as(http.cases.history({ params: { caseId } }))),
            identity: yield* statusOf(
              as(http.identities.get({ params: { caseId }, query: { purpose: "assessment" } }))
            ),
            // RecordFirstContact is not allowed in stage `reported`: a 422 means authorization passed.
            work: yield* statusOf(
              as(
                http.cases.command({
                  params: { caseId },
                  headers: {},
                  payload: decodeCommand({ _tag: "RecordFirstContact", caseId })
                })
              )
            ).pipe(Effect.map((status) => (status === 422 ? 200 : status)))
          }
          assert.deepStrictEqual(actual, expected, label)
          // The HTTP answers are exactly core's Access decisions.
          assert.deepStrictEqual(
            actual,
            {
              view: core(actor, "read"),
              history: core(actor, "read-history"),
              identity: core(actor, "read-identity"),
              work: core(actor, "work")
            },
            `${label} (core)`
          )
        }

        // A token never names the scheduler's person (it acts in its own process only): 401, as an unknown person.
        const scheduler = yield* raw("GET", "/cases/case-matrix", { token: yield* tokenFor(people.scheduler) })
        assert.strictEqual(scheduler.status, 401)

        // A 403 names SOP-07 and its basis.
        const denied = yield* raw("GET", "/cases/case-matrix/history", { token: yield* tokenFor(people.worker2) })
        assert.strictEqual(denied.status, 403)
        assert.strictEqual(denied.headers["content-type"], "application/problem+json")
        const body = (yield* Effect.orDie(denied.json)) as Record<string, unknown>
        assert.strictEqual(body.rule, "SOP-07")
        assert.strictEqual(body.action, "read-history")
        assert.isAbove((body.basis as ReadonlyArray<unknown>).length, 0)

        // A case out of reach answers exactly as a case that does not exist (same status, same body shape).
        const outOfReach = yield* raw("GET", "/cases/case-matrix", { token: yield* tokenFor(people.balikpapanWorker) })
        const missing = yield* raw("GET", "/cases/case-nowhere", { token: yield* tokenFor(people.balikpapanWorker) })
        assert.deepStrictEqual([outOfReach.status, missing.status], [404, 404])
        const shape = (json: unknown) => Object.keys(json as object).sort()
        assert.deepStrictEqual(shape(yield* Effect.orDie(outOfReach.json)), shape(yield* Effect.orDie(missing.json)))

        // Work lists are limited to what the actor may read.
        const listAs = (actor: Actor.Actor, query: Parameters<typeof http.worklists.list>[0]["query"]) =>
          Effect.flatMap(tokenFor(actor), (token) => Client.withToken(token)(http.worklists.list({ query })))
        const ids = (page: Api.WorkList) => page.entries.map((e) => e.caseId)
        const otherKota = yield* listAs(people.balikpapanKabid, {})
        assert.strictEqual(otherKota.region, "64.71")
        assert.deepStrictEqual(ids(otherKota), [])
        assert.strictEqual(yield* statusOf(listAs(people.balikpapanKabid, { region: region("13.71") })), 403)
        const province = yield* listAs(people.sumbarKabid, { region: "ID" })
        assert.strictEqual(province.region, "13")
        assert.deepStrictEqual(ids(province), [caseId])
        const national = yield* listAs(people.sentraHead, { region: region("13") })
        assert.strictEqual(national.region, "13")
        assert.deepStrictEqual(ids(national), [caseId])
        const ownAgency = yield* listAs(people.worker2, {})
        assert.strictEqual(ownAgency.owner, "dinsos-13.71")
        assert.deepStrictEqual(ids(ownAgency), [caseId])
        const provinceWorker = yield* listAs(people.sumbarWorker, { region: region("13.71") })
        assert.strictEqual(provinceWorker.owner, "dinsos-13")
        assert.deepStrictEqual(ids(provinceWorker), [])
        assert.strictEqual(yield* statusOf(listAs(people.sumbarWorker, { owner: agencyId("dinsos-13.71") })), 403)
        assert.strictEqual(yield* statusOf(listAs(people.partner, {})), 403)
        assert.strictEqual(
          yield* statusOf(
            Effect.flatMap(tokenFor(people.admin), (token) =>
              Client.withToken(token)(http.worklists.counts({ query: { by: ["stage"] } }))
            )
          ),
          403
        )

        // Erasure: only a supervisor or head of the owning agency; afterwards the identity is gone (410).
        assert.strictEqual(
          yield* statusOf(
            Client.withToken(yield* tokenFor(people.worker))(http.identities.erase({ params: { caseId }, query: {} }))
          ),
          403
        )
        const asKasi = Client.withToken(yield* tokenFor(people.kasi))
        yield* asKasi(http.identities.erase({ params: { caseId }, query: {} }))
        yield* asKasi(http.identities.erase({ params: { caseId }, query: {} }))
        assert.strictEqual(
          yield* statusOf(asKasi(http.identities.get({ params: { caseId }, query: { purpose: "assessment" } }))),
          410
        )
        const view = yield* asKasi(http.cases.get({ params: { caseId } }))
        assert.strictEqual(view.summary.version, 2)
      }).pipe(Effect.provide(serve(storage())))
    )

    it.live("makes retries with the same Idempotency-Key safe", () =>
      Effect.gen(function* () {
        const intake = yield* clientAs(people.intake)
        const payload = registerRequest("case-idem")
        const first = yield* intake.cases.register({ headers: { "idempotency-key": "reg-1" }, payload })
        const again = yield* intake.cases.register({ headers: { "idempotency-key": "reg-1" }, payload })
        assert.strictEqual(first.replayed, false)
        assert.strictEqual(again.replayed, true)
        assert.deepStrictEqual(
          again.events.map((e) => e.eventId),
          first.events.map((e) => e.eventId)
        )

        const kasi = yield* clientAs(people.kasi)
        const assign = decodeCommand({ _tag: "AssignCaseworker", caseId: "case-idem", caseworker: people.worker.id })
        const before = yield* storeCounts
        const sent = yield* kasi.cases.command({
          params: { caseId: assign.caseId },
          headers: { "idempotency-key": "assign-1" },
          payload: assign
        })
        const retried = yield* kasi.cases.command({
          params: { caseId: assign.caseId },
          headers: { "idempotency-key": "assign-1" },
          payload: assign
        })
        const after = yield* storeCounts
        assert.strictEqual(after.events - before.events, 1)
        assert.strictEqual(retried.replayed, true)
        assert.deepStrictEqual(retried.events, sent.events)
        assert.strictEqual(retried.version, sent.version)

        // Concurrent retries of one request: still one write.
        const outreach = decodeCommand({ _tag: "StartOutreach", caseId: "case-idem" })
        const concurrent = yield* Effect.all(
          Array.from({ length: 5 }, () =>
            kasi.cases.command({
              params: { caseId: outreach.caseId },
              headers: { "idempotency-key": "outreach-1" },
              payload: outreach
            })
          ),
          { concurrency: "unbounded" }
        )
        assert.strictEqual(new Set(concurrent.map((r) => r.events[0]?.eventId)).size, 1)
        assert.strictEqual((yield* storeCounts).events - after.events, 1)

        // The same key for a different request: 422, nothing written.
        const other = decodeCommand({ _tag: "AssignCaseworker", caseId: "case-idem", caseworker: people.worker2.id })
        const reused = yield* raw("POST", "/cases/case-idem/commands", {
          token: yield* tokenFor(people.kasi),
          headers: { "idempotency-key": "assign-1" },
          body: JSON.stringify(Schema.encodeSync(CaseCommand.Command)(other))
        })
        assert.strictEqual(reused.status, 422)
        const problem = (yield* Effect.orDie(reused.json)) as Record<string, unknown>
        assert.strictEqual(problem.type, "urn:lindung:problem:idempotency-key-reused")
        assert.strictEqual((yield* storeCounts).events - after.events, 1)

        // Keys are per actor: another actor's identical key does not collide.
        const kadis = yield* clientAs(people.kadis)
        const byKadis = yield* kadis.cases.command({
          params: { caseId: other.caseId },
          headers: { "idempotency-key": "assign-1" },
          payload: other
        })
        assert.strictEqual(byKadis.replayed, false)
      }).pipe(Effect.provide(serve(storage())))
    )

    it.live("answers 409 with the current version to a command decided on a stale version", () =>
      Effect.gen(function* () {
        yield* register("case-stale")
        const kasi = yield* clientAs(people.kasi)
        const caseId = "case-stale" as Case.Case["id"]
        const seen = (yield* kasi.cases.get({ params: { caseId } })).summary.version

        // Two writers decided on the same version: the first wins, the second gets 409.
        const writerA = decodeCommand({ _tag: "AssignCaseworker", caseId, caseworker: people.worker.id })
        const writerB = decodeCommand({ _tag: "AssignCaseworker", caseId, caseworker: people.worker2.id })
        const won = yield* kasi.cases.command({
          params: { caseId },
          headers: { "if-match": `"${seen}"` },
          payload: writerA
        })
        assert.strictEqual(won.version, seen + 1)
        const lost = yield* Effect.flip(
          kasi.cases.command({ params: { caseId }, headers: { "if-match": String(seen) }, payload: writerB })
        )
        assert.strictEqual(lost._tag, "VersionConflict")
        if (lost._tag === "VersionConflict") {
          assert.strictEqual(lost.currentVersion, seen + 1)
          assert.strictEqual(lost.expectedVersion, seen)
        }

        // Many writers at once on the same version: exactly one wins, the others get 409, one event is written.
        const before = yield* storeCounts
        const current = (yield* kasi.cases.get({ params: { caseId } })).summary.version
        const racers = [
          people.worker3,
          people.worker4,
          people.worker5,
          people.worker6,
          people.worker7,
          people.worker8
        ].map((racer) => decodeCommand({ _tag: "AssignCaseworker", caseId, caseworker: racer.id }))
        const statuses = yield* Effect.all(
          racers.map((payload) =>
            statusOf(kasi.cases.command({ params: { caseId }, headers: { "if-match": String(current) }, payload }))
          ),
          { concurrency: "unbounded" }
        )
        assert.strictEqual(statuses.filter((s) => s === 200).length, 1)
        assert.strictEqual(statuses.filter((s) => s === 409).length, racers.length - 1)
        assert.strictEqual((yield* storeCounts).events - before.events, 1)

        // Without If-Match the repository decides again on the current state: both succeed.
        const both = yield* Effect.all(
          [
            kasi.cases.command({
              params: { caseId },
              headers: {},
              payload: decodeCommand({ _tag: "AssignCaseworker", caseId, caseworker: people.worker2.id })
            }),
            kasi.cases.command({
              params: { caseId },
              headers: {},
              payload: decodeCommand({ _tag: "AssignCaseworker", caseId, caseworker: people.kadis.id })
            })
          ],
          { concurrency: "unbounded" }
        )
        assert.deepStrictEqual(both.map((r) => r.version).sort(), [current + 2, current + 3])
      }).pipe(Effect.provide(serve(storage())))
    )
  })
