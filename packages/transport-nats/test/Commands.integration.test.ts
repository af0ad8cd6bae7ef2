/**
 * Commands over NATS request/reply against the real server: the same bodies, token and idempotency as HTTP, answered
 * with the command's result or an RFC 9457 problem; a bad request writes nothing, and the identity sent with a
 * report never comes back. Each test run listens in a queue group of its own.
 */
import { EventStore, Policy } from "@lindung/core"
import { People } from "@lindung/seeds"
import { layerMemory } from "@lindung/storage-memory"
import { describeWith, nats, SENTINEL, unique } from "@lindung/testing"
import { Auth } from "@lindung/transport-http"
import { headers as natsHeaders } from "@nats-io/transport-node"
import { Cause, Effect, Exit, Layer } from "effect"
import { expect, it } from "vitest"
import { Commands, Nats, Subjects } from "../src/index.js"

const auth: Auth.Config = {
  issuer: "lindung-test",
  audience: "lindung",
  keys: Auth.secret("test-secret-of-at-least-32-bytes-0123456789")
}

const intake = People.get("peksos-sentra-handayani-1")
const head = People.get("kepala-sentra-handayani")
const outsider = People.get("kabid-rehsos-padang")

interface Reply {
  readonly status: number
  readonly contentType: string
  readonly language: string
  readonly errorTitle: string
  readonly body: Record<string, unknown>
  readonly text: string
}

describeWith(nats, "commands over NATS request/reply", (url) => {
  // Subjects of this run only: no other responder on the shared server (another test, a developer's server) answers.
  const apiPrefix = `t${unique()}.api`
  const REGISTER = Subjects.register(apiPrefix)
  const COMMAND = Subjects.command(apiPrefix)
  const run = <A, E>(
    effect: Effect.Effect<A, E, Nats.Connection | EventStore.EventStore>,
    options: { readonly acceptIdentity?: boolean } = { acceptIdentity: true }
  ) =>
    Effect.runPromise(
      effect.pipe(
        Effect.provide(
          Commands.layer({ directory: People.directory, auth, apiPrefix, ...options }).pipe(
            Layer.provideMerge(Layer.merge(layerMemory, Nats.layer({ servers: url })))
          )
        )
      )
    )

  const request = (
    subject: string,
    body: string,
    headers: Record<string, string>
  ): Effect.Effect<Reply, never, Nats.Connection> =>
    Effect.gen(function* () {
      const { connection } = yield* Nats.Connection
      const sent = natsHeaders()
      for (const [name, value] of Object.entries(headers)) sent.set(name, value)
      const reply = yield* Effect.promise(() => connection.request(subject, body, { headers: sent, timeout: 5_000 }))
      const text = new TextDecoder().decode(reply.data)
      const code = reply.headers?.get("Nats-Service-Error-Code")
      return {
        status: code === undefined || code === "" ? 200 : Number(code),
        contentType: reply.headers?.get("content-type") ?? "",
        language: reply.headers?.get("content-language") ?? "",
        errorTitle: reply.headers?.get("Nats-Service-Error") ?? "",
        body: JSON.parse(text) as Record<string, unknown>,
        text
      }
    })

  const bearer = (actor: typeof intake) =>
    Effect.map(Effect.orDie(Auth.sign(auth, actor, { expiresIn: "10m" })), (token) => `Bearer ${token}`)

  const eventCount = Effect.flatMap(EventStore.EventStore, (store) =>
    Effect.map(store.readAfter(0, 10_000), (events) => events.length)
  )

  const report = (caseId: string) => ({
    caseId,
    sex: "female",
    birthDate: "2014-05-10",
    region: "13.71",
    owner: "sentra-handayani",
    source: "agency",
    concerns: ["sexual-violence"],
    identity: { name: SENTINEL, familyNames: [] }
  })

  it("registers a report and runs a command, with the HTTP API's bodies, token and idempotency", async () => {
    await run(
      Effect.gen(function* () {
        const caseId = `nats-${unique()}`
        const key = `register-${caseId}`
        const headers = { Authorization: yield* bearer(intake), "Idempotency-Key": key }
        const first = yield* request(REGISTER, JSON.stringify(report(caseId)), headers)
        expect(first.status, first.text).toBe(200)
        expect(first.contentType).toBe("application/json")
        expect(first.body).toMatchObject({ caseId, version: 1, stage: "reported", replayed: false })
        expect(first.text).not.toContain("Sentinel")
        // The same request with the same key: the first result, nothing written.
        const again = yield* request(REGISTER, JSON.stringify(report(caseId)), headers)
        expect(again.body).toMatchObject({ caseId, version: 1, replayed: true })
        expect(yield* eventCount).toBe(1)
        // The same key for another request: refused.
        const other = yield* request(REGISTER, JSON.stringify(report(`${caseId}-b`)), headers)
        expect(other.status).toBe(422)
        expect(other.body).toMatchObject({ type: "urn:lindung:problem:idempotency-key-reused" })

        const assign = { _tag: "AssignCaseworker", caseId, caseworker: intake.id }
        const assigned = yield* request(COMMAND, JSON.stringify(assign), {
          Authorization: yield* bearer(head),
          "If-Match": '"1"'
        })
        expect(assigned.body).toMatchObject({ caseId, version: 2, replayed: false })
        // A command decided on a stale version: 409, nothing written.
        const stale = yield* request(COMMAND, JSON.stringify({ _tag: "StartOutreach", caseId }), {
          Authorization: yield* bearer(intake),
          "If-Match": "1"
        })
        expect(stale.status).toBe(409)
        expect(stale.body).toMatchObject({ type: "urn:lindung:problem:version-conflict", currentVersion: 2 })
        expect(yield* eventCount).toBe(2)
      })
    )
  })

  it("reads its headers whatever their case, as HTTP does", async () => {
    await run(
      Effect.gen(function* () {
        const caseId = `nats-${unique()}`
        const headers = { authorization: yield* bearer(intake), "idempotency-key": `lower-${caseId}` }
        const first = yield* request(REGISTER, JSON.stringify(report(caseId)), headers)
        expect(first.body).toMatchObject({ caseId, replayed: false })
        // The same lower-case key for another report is the same key: refused.
        const other = yield* request(REGISTER, JSON.stringify(report(`${caseId}-b`)), headers)
        expect(other.status).toBe(422)
        const stale = yield* request(COMMAND, JSON.stringify({ _tag: "StartOutreach", caseId }), {
          AUTHORIZATION: yield* bearer(intake),
          "if-match": "7"
        })
        expect(stale.status).toBe(409)
        expect(yield* eventCount).toBe(1)
      })
    )
  })

  it("refuses a report with an identity unless the service accepts identities over NATS", async () => {
    await run(
      Effect.gen(function* () {
        const caseId = `nats-${unique()}`
        const refused = yield* request(REGISTER, JSON.stringify(report(caseId)), {
          Authorization: yield* bearer(intake)
        })
        expect(refused.status).toBe(400)
        expect(refused.body).toMatchObject({ type: "urn:lindung:problem:invalid-request" })
        expect(refused.text).not.toContain("Sentinel")
        expect(yield* eventCount).toBe(0)
        const { identity: _identity, ...withoutIdentity } = report(caseId)
        const accepted = yield* request(REGISTER, JSON.stringify(withoutIdentity), {
          Authorization: yield* bearer(intake)
        })
        expect(accepted.body).toMatchObject({ caseId, version: 1 })
      }),
      {}
    )
  })

  it("answers every bad request with a problem and writes nothing", async () => {
    await run(
      Effect.gen(function* () {
        const caseId = `nats-${unique()}`
        const token = yield* bearer(intake)
        const cases: ReadonlyArray<{
          readonly subject: string
          readonly body: string
          readonly headers: Record<string, string>
          readonly status: number
          readonly type: string
        }> = [
          {
            subject: REGISTER,
            body: "{not json",
            headers: { Authorization: token },
            status: 400,
            type: "invalid-request"
          },
          {
            subject: REGISTER,
            body: JSON.stringify(report(caseId)),
            headers: {},
            status: 401,
            type: "unauthorized"
          },
          {
            subject: REGISTER,
            body: JSON.stringify(report(caseId)),
            headers: { Authorization: "Bearer not.a.token" },
            status: 401,
            type: "unauthorized"
          },
          {
            subject: COMMAND,
            body: JSON.stringify({ _tag: "LaunchRocket", caseId }),
            headers: { Authorization: token },
            status: 400,
            type: "invalid-request"
          },
          {
            subject: REGISTER,
            body: JSON.stringify({ ...report(caseId), unknownField: 1 }),
            headers: { Authorization: token },
            status: 400,
            type: "invalid-request"
          },
          {
            subject: REGISTER,
            body: JSON.stringify(report(caseId)),
            headers: { Authorization: token, "Idempotency-Key": "has spaces" },
            status: 400,
            type: "invalid-request"
          },
          {
            subject: COMMAND,
            body: JSON.stringify({ _tag: "StartOutreach", caseId: "no-such-case" }),
            headers: { Authorization: token },
            status: 404,
            type: "case-not-found"
          },
          {
            // Another Dinas's person may not register a report for Sentra Handayani (SOP-07).
            subject: REGISTER,
            body: JSON.stringify(report(caseId)),
            headers: { Authorization: yield* bearer(outsider) },
            status: 403,
            type: "forbidden"
          }
        ]
        for (const bad of cases) {
          const reply = yield* request(bad.subject, bad.body, bad.headers)
          expect(reply.status, `${bad.type}: ${reply.text}`).toBe(bad.status)
          expect(reply.contentType).toBe("application/problem+json")
          expect(reply.body).toMatchObject({ type: `urn:lindung:problem:${bad.type}`, status: bad.status })
          expect(reply.text).not.toContain("Sentinel")
        }
        expect(yield* eventCount).toBe(0)
        // A command the SOP refuses names its rule and basis.
        yield* request(REGISTER, JSON.stringify(report(caseId)), { Authorization: token })
        const early = yield* request(COMMAND, JSON.stringify({ _tag: "StartIntervention", caseId }), {
          Authorization: yield* bearer(head)
        })
        expect(early.status).toBe(422)
        expect(early.body).toMatchObject({ type: "urn:lindung:problem:sop-violation" })
        expect(early.body.rule).toMatch(/^SOP-/)
        // In Bahasa Indonesia when the request prefers it, as over HTTP; the codes stay.
        const bahasa = yield* request(COMMAND, JSON.stringify({ _tag: "StartIntervention", caseId }), {
          Authorization: yield* bearer(head),
          "Accept-Language": "id"
        })
        expect(bahasa.status).toBe(422)
        expect(bahasa.body).toMatchObject({
          type: "urn:lindung:problem:sop-violation",
          title: "SOP tidak mengizinkan perintah ini",
          rule: early.body.rule
        })
        expect(bahasa.language).toBe("id")
        expect(bahasa.errorTitle).toBe("SOP tidak mengizinkan perintah ini")
        expect(early.language).toBe("en")
        expect(yield* eventCount).toBe(1)
      })
    )
  })

  it("names the header that does not decode, as HTTP does", async () => {
    await run(
      Effect.gen(function* () {
        const caseId = `nats-${unique()}`
        const token = yield* bearer(intake)
        const badKey = yield* request(REGISTER, JSON.stringify(report(caseId)), {
          Authorization: token,
          "Idempotency-Key": "has spaces"
        })
        expect(badKey.status).toBe(400)
        expect((badKey.body.errors as ReadonlyArray<{ path: unknown }>).map((e) => e.path)).toEqual([
          ["headers", "idempotency-key"]
        ])
        const badVersion = yield* request(COMMAND, JSON.stringify({ _tag: "StartOutreach", caseId }), {
          Authorization: token,
          "If-Match": "not a version"
        })
        expect(badVersion.status).toBe(400)
        expect((badVersion.body.errors as ReadonlyArray<{ path: unknown }>).map((e) => e.path)).toEqual([
          ["headers", "if-match"]
        ])
        expect(yield* eventCount).toBe(0)
      })
    )
  })

  it("refuses to start on a policy that breaks its own checks, as the HTTP server does", async () => {
    const policy = Policy.make({ risk: { ...Policy.defaults.risk, sedangThreshold: -1 } })
    const started = await Effect.runPromise(
      Effect.exit(
        Layer.build(
          Commands.layer({ directory: People.directory, auth, apiPrefix, policy }).pipe(Layer.provide(layerMemory))
        )
      ).pipe(Effect.scoped, Effect.provide(Nats.layer({ servers: url })))
    )
    expect(Exit.isFailure(started) && Cause.pretty(started.cause)).toMatch(
      /InvalidCommandsConfig[\s\S]*sedangThreshold/
    )
  })

  // Transport review: the check used the default event prefix alone, so a relay of prefix `x` beside commands on
  // `x.api` went unnoticed when the command service started first.
  it("refuses to start when the events' subjects, of the prefix it is given, would take in the command subjects", async () => {
    const prefix = `t${unique()}`
    const started = await Effect.runPromise(
      Effect.exit(
        Layer.build(
          Commands.layer({
            directory: People.directory,
            auth,
            apiPrefix: `${prefix}.api`,
            eventPrefix: prefix
          }).pipe(Layer.provide(layerMemory))
        )
      ).pipe(Effect.scoped, Effect.provide(Nats.layer({ servers: url })))
    )
    expect(Exit.isFailure(started) && Cause.pretty(started.cause)).toMatch(
      /InvalidCommandsConfig[\s\S]*would take in the command subjects/
    )
  })

  it("refuses to start while a stream captures either command subject (it would store every token and request)", async () => {
    for (const subject of [REGISTER, COMMAND]) {
      const name = `CAPTURE_${unique()}`
      const started = await Effect.runPromise(
        Effect.gen(function* () {
          const { manager } = yield* Nats.Connection
          yield* Effect.promise(() => manager.streams.add({ name, subjects: [subject] }))
          const built = yield* Effect.exit(
            Layer.build(
              Commands.layer({ directory: People.directory, auth, apiPrefix }).pipe(Layer.provide(layerMemory))
            )
          )
          yield* Effect.promise(() => manager.streams.delete(name))
          return built
        }).pipe(Effect.scoped, Effect.provide(Nats.layer({ servers: url })))
      )
      expect(Exit.isFailure(started) && Cause.pretty(started.cause), subject).toMatch(
        new RegExp(
          `InvalidCommandsConfig.*the stream ${name} captures the command subject ${subject.replaceAll(".", "\\.")}`,
          "s"
        )
      )
    }
  })
})
