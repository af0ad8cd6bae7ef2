/**
 * Test harness: the agencies and people of the tests, a server on a random port over a given storage layer, and
 * tokens signed with the development secret.
 */
import { NodeHttpServer } from "@effect/platform-node"
import { Actor, Agency, CaseIndex, Directory, EventStore, type IdentityVault, Person } from "@lindung/core"
import { Effect, Layer, Logger, Result } from "effect"
import { HttpClient, HttpClientRequest, type HttpClientResponse } from "effect/http"
import { Auth, Client, Server } from "../src/index.js"

export const agencies = {
  dinsosPadang: Agency.make({
    id: "dinsos-13.71",
    kind: "dinsos",
    name: "Dinas Sosial Kota Padang",
    region: "13.71",
    dinasType: "A"
  }),
  dinsosSumbar: Agency.make({
    id: "dinsos-13",
    kind: "dinsos",
    name: "Dinas Sosial Provinsi Sumatera Barat",
    region: "13",
    dinasType: "A"
  }),
  dinsosBalikpapan: Agency.make({
    id: "dinsos-64.71",
    kind: "dinsos",
    name: "Dinas Sosial Kota Balikpapan",
    region: "64.71",
    dinasType: "B"
  }),
  sentra: Agency.make({ id: "sentra-handayani", kind: "sentra", name: "Sentra Handayani", region: "ID" }),
  lpaPadang: Agency.make({ id: "lpa-13.71", kind: "lpa", name: "LPA Kota Padang", region: "13.71" }),
  disdikPadang: Agency.make({
    id: "disdik-13.71",
    kind: "education",
    name: "Dinas Pendidikan Kota Padang",
    region: "13.71"
  })
} as const

export const directory = Agency.directory(Object.values(agencies))

export const people = {
  intake: Actor.make({ id: "intake-padang", role: "intake-officer", agency: "dinsos-13.71", region: "13.71" }),
  worker: Actor.make({ id: "sakti-peksos-1", role: "caseworker", agency: "dinsos-13.71", region: "13.71" }),
  worker2: Actor.make({ id: "sakti-peksos-2", role: "caseworker", agency: "dinsos-13.71", region: "13.71" }),
  worker3: Actor.make({ id: "sakti-peksos-3", role: "caseworker", agency: "dinsos-13.71", region: "13.71" }),
  worker4: Actor.make({ id: "sakti-peksos-4", role: "caseworker", agency: "dinsos-13.71", region: "13.71" }),
  worker5: Actor.make({ id: "sakti-peksos-5", role: "caseworker", agency: "dinsos-13.71", region: "13.71" }),
  worker6: Actor.make({ id: "sakti-peksos-6", role: "caseworker", agency: "dinsos-13.71", region: "13.71" }),
  worker7: Actor.make({ id: "sakti-peksos-7", role: "caseworker", agency: "dinsos-13.71", region: "13.71" }),
  worker8: Actor.make({ id: "sakti-peksos-8", role: "caseworker", agency: "dinsos-13.71", region: "13.71" }),
  kasi: Actor.make({
    id: "kasi-padang",
    role: "supervisor",
    position: "kasi",
    agency: "dinsos-13.71",
    region: "13.71"
  }),
  kabid: Actor.make({
    id: "kabid-rehsos-padang",
    role: "supervisor",
    position: "kabid-rehsos",
    agency: "dinsos-13.71",
    region: "13.71"
  }),
  kadis: Actor.make({
    id: "kadis-padang",
    role: "head-of-dinas",
    position: "kadis",
    agency: "dinsos-13.71",
    region: "13.71"
  }),
  sumbarKabid: Actor.make({
    id: "kabid-rehsos-sumbar",
    role: "supervisor",
    position: "kabid-rehsos",
    agency: "dinsos-13",
    region: "13"
  }),
  sumbarWorker: Actor.make({ id: "peksos-sumbar", role: "caseworker", agency: "dinsos-13", region: "13" }),
  balikpapanWorker: Actor.make({ id: "peksos-bpp", role: "caseworker", agency: "dinsos-64.71", region: "64.71" }),
  balikpapanKabid: Actor.make({
    id: "kabid-bpp",
    role: "supervisor",
    position: "kabid",
    agency: "dinsos-64.71",
    region: "64.71"
  }),
  sentraWorker: Actor.make({ id: "peksos-sentra-1", role: "caseworker", agency: "sentra-handayani", region: "ID" }),
  sentraHead: Actor.make({
    id: "kepala-sentra",
    role: "supervisor",
    position: "kepala-unit",
    agency: "sentra-handayani",
    region: "ID"
  }),
  teacher: Actor.make({ id: "guru-1", role: "supervisor", agency: "disdik-13.71", region: "13.71" }),
  partner: Actor.make({ id: "lpa-padang-1", role: "partner", agency: "lpa-13.71", region: "13.71" }),
  auditor: Actor.make({ id: "auditor-1", role: "auditor", agency: "dinsos-13", region: "13" }),
  outsideAuditor: Actor.make({ id: "auditor-2", role: "auditor", agency: "dinsos-64.71", region: "64.71" }),
  admin: Actor.make({ id: "admin-1", role: "administrator", agency: "dinsos-13.71", region: "13.71" }),
  scheduler: Actor.make({ id: "scheduler", role: "system", agency: "dinsos-13.71", region: "13.71" })
} as const

/** The memberships of every person above: the person directory of the tests. */
export const memberships = Object.values(people).map((actor) =>
  Person.make({
    id: actor.id,
    agency: actor.agency,
    role: actor.role,
    ...(actor.position === undefined ? {} : { position: actor.position })
  })
)

/** The directory of the tests: the agencies and their people. */
export const snapshot: Directory.Snapshot = Result.getOrThrow(Directory.make(directory, memberships))

export const SECRET = "test-secret-of-at-least-32-bytes-0123456789"

export const auth: Auth.Config = { issuer: "lindung-test", audience: "lindung", keys: Auth.secret(SECRET) }

export const config: Server.Config = {
  directory: snapshot,
  auth,
  maxBodyBytes: 16 * 1024,
  docs: false,
  requestLog: false,
  caseworkers: { "dinsos-13.71": 2 },
  authFailures: false
}

/** A token for an actor. */
export const tokenFor = (actor: Actor.Actor, expiresIn: string | number = "10m") =>
  Auth.sign(auth, actor, { expiresIn }).pipe(Effect.orDie)

/** The server on a random port over `storage`, with an `HttpClient` aimed at it, logs off. */
export const serve = <R = never, E = never>(
  storage: Layer.Layer<EventStore.EventStore | CaseIndex.CaseIndex | IdentityVault.IdentityVault | R, E>,
  overrides: Partial<Server.Config> = {},
  logger: Layer.Layer<never> = Logger.layer([])
) =>
  Server.layer({ ...config, ...overrides }).pipe(
    Layer.provideMerge(storage),
    Layer.provideMerge(NodeHttpServer.layerTest),
    Layer.provide(logger)
  )

/** The typed client as `actor`. */
export const clientAs = (actor: Actor.Actor) =>
  Effect.gen(function* () {
    const token = yield* tokenFor(actor)
    return yield* Client.make({ token })
  })

/** A raw request: method, path, optional body text, headers. */
export const raw = (
  method: "GET" | "POST" | "PUT" | "DELETE" | "PATCH",
  path: string,
  options: { readonly body?: string; readonly headers?: Record<string, string>; readonly token?: string } = {}
): Effect.Effect<HttpClientResponse.HttpClientResponse, never, HttpClient.HttpClient> =>
  Effect.gen(function* () {
    const http = yield* HttpClient.HttpClient
    let request = HttpClientRequest.make(method)(path)
    if (options.token !== undefined) request = HttpClientRequest.bearerToken(request, options.token)
    for (const [k, v] of Object.entries(options.headers ?? {})) request = HttpClientRequest.setHeader(request, k, v)
    if (options.body !== undefined) {
      request = HttpClientRequest.bodyText(
        request,
        options.body,
        options.headers?.["content-type"] ?? "application/json"
      )
    }
    return yield* http.execute(request)
  }).pipe(Effect.orDie)

/** The event count and index size of the store in context. */
export const storeCounts = Effect.gen(function* () {
  const store = yield* EventStore.EventStore
  const index = yield* CaseIndex.CaseIndex
  let events = 0
  let position = 0
  for (;;) {
    const page = yield* store.readAfter(position, EventStore.MAX_READ)
    const last = page.at(-1)
    if (last === undefined) break
    events += page.length
    position = last.position
  }
  const rows = yield* index.count({ filter: {}, by: ["stage"] })
  return { events, cases: rows.reduce((sum, row) => sum + row.count, 0) }
}).pipe(Effect.orDie)
