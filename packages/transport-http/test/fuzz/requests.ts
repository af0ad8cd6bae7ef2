/**
 * The requests of the HTTP fuzz, as fast-check arbitraries over a fixture (the cases in the store and their
 * states). Every request is either a read or one that must be rejected; where the answer is known exactly (an
 * access decision of core's `Access`, a missing token, a wrong content type), the request carries it in `expect`.
 *
 * Families:
 * - `read`, `read-malformed`: case views, histories and identities, by every person and every kind of bad token;
 * - `list`, `workload`, `public`: work lists and counts, Dinas workloads, reference data, SOP, health, OpenAPI;
 * - `forbidden-command`, `forbidden-register`, `forbidden-identity`: valid bodies that core must refuse (another
 *   kota's caseworker, an unassigned caseworker, a partner erasing an identity, a report naming a subject the
 *   actor cannot reach, a report for a taken case id, a command the SOP does not allow at this stage);
 * - `one-flaw`: a request that WOULD succeed (an assignment by the Kasi, a new report by the intake officer, an
 *   identity replacement or erasure by the Kasi) with exactly one flaw: content type, token, Idempotency-Key,
 *   If-Match, an unknown field, a mismatched case id, a truncated or oversized body, a wrong method or purpose;
 * - `malformed`, `random`: broken bodies, headers and paths to real and unknown routes.
 */

import { fc } from "@fast-check/vitest"
import { Access, type Actor, Agency, Case, CaseCommand, IdentityVault, SopTable, type Subject } from "@lindung/core"
import { Result, Schema } from "effect"
import { people } from "../harness.js"
import { report } from "../story.js"

/** A person of the harness directory, by key. */
export type Person = keyof typeof people

/** Authorizations that must fail: no token, malformed ones, and well-signed tokens the server must refuse. */
export const badAuths = [
  "none",
  "garbage",
  "empty-bearer",
  "expired",
  "wrong-scheme",
  "basic",
  "ghost",
  "region-claim",
  "role-claim",
  "wrong-issuer",
  "wrong-audience",
  "alg-none",
  "other-secret",
  "forged-sub"
] as const

export type BadAuth = (typeof badAuths)[number]

/** Who sends a request: a person of the directory, or a bad authorization. */
export type Sender = { readonly person: Person } | { readonly bad: BadAuth }

export const persons = Object.keys(people) as ReadonlyArray<Person>

/** The request families, for the report. */
export type Family =
  | "read"
  | "read-malformed"
  | "list"
  | "workload"
  | "public"
  | "forbidden-command"
  | "forbidden-register"
  | "forbidden-identity"
  | "one-flaw"
  | "malformed"
  | "random"

/**
 * The case id when a path (after the URL normalization a client applies: dot segments) names the identity route of
 * a case, leniently (repeated and trailing slashes); `undefined` otherwise.
 */
export const identityRoute = (path: string): string | undefined => {
  let pathname: string
  try {
    pathname = new URL(`http://fuzz.invalid${path}`).pathname
  } catch {
    return undefined
  }
  const match = /^\/+cases\/+([^/]+)\/+identity\/*$/iu.exec(pathname)
  if (match?.[1] === undefined) return undefined
  try {
    return decodeURIComponent(match[1])
  } catch {
    return match[1]
  }
}

export interface FuzzRequest {
  readonly family: Family
  /** What the request is, in a few words (e.g. the flaw). */
  readonly note: string
  readonly method: string
  readonly path: string
  readonly sender: Sender
  readonly headers: Readonly<Record<string, string>>
  readonly body?: string
  /** Send the body as bytes, so that fetch adds no content type. */
  readonly bytes?: boolean
  /** The statuses allowed for this request, when known. */
  readonly expect?: ReadonlyArray<number>
}

/** The cases in the store when the fuzz starts. */
export interface Fixture {
  readonly states: ReadonlyMap<string, Case.Case>
  readonly agencies: Agency.Directory
  /** The subject ids of the cases, by case id. */
  readonly subjects: ReadonlyMap<string, Subject.SubjectId>
}

/** Identity values sent in fuzz requests: no response may ever contain them (every such request is refused). */
export const ECHO = "EchoSentinelXq"

const today = (): string => new Date().toISOString().slice(0, 10)

const padangReport = (caseId: string) => report(caseId)
const balikpapanReport = (caseId: string) => ({ ...report(caseId), region: "64.71.01", owner: "dinsos-64.71" })

const echoIdentity = { name: `${ECHO} Anak`, familyNames: [`${ECHO} Ibu`], address: `${ECHO} Jalan` }

const decodeCommand = Schema.decodeUnknownSync(CaseCommand.Command)

/** Commands the SOP refuses in stage `reported` whoever sends them: an actor allowed to act gets 422. */
const refusedAtReported = (caseId: string): ReadonlyArray<Record<string, unknown>> => [
  { _tag: "RecordFirstContact", caseId },
  { _tag: "CompleteAssessment", caseId },
  { _tag: "StartIntervention", caseId },
  { _tag: "RecordFollowUp", caseId, visitedOn: today(), outcome: "stable" },
  { _tag: "CloseCase", caseId, reason: "Fuzz" }
]

/** Commands that would change the case when sent by an actor allowed to: sent only by actors who are not. */
const wouldApply = (caseId: string, caseworker: string): ReadonlyArray<Record<string, unknown>> => [
  { _tag: "AssignCaseworker", caseId, caseworker },
  { _tag: "UnassignCaseworker", caseId, caseworker: people.worker.id },
  { _tag: "StartOutreach", caseId },
  {
    _tag: "RecordAssessment",
    caseId,
    classification: { ampk: ["b"], ppks: [2], cluster: "children", allegedPerpetrators: [] },
    factors: ["out-of-school"]
  },
  { _tag: "RequestEarlyClosure", caseId, reason: "duplicate", note: "Duplicate", approval: "fuzz-approval" },
  { _tag: "DecideApproval", caseId, approval: "fuzz-approval", decision: "approved", reason: "Fuzz" },
  { _tag: "Tick", caseId }
]

// Every command above decodes: the fuzz sends valid bodies where it means to.
for (const command of [...refusedAtReported("case-x"), ...wouldApply("case-x", "sakti-peksos-2")]) {
  decodeCommand(command)
}

const printable = fc.stringMatching(/^[\x20-\x7e]{0,40}$/)
/** Header values fetch accepts: visible ASCII, spaces and tabs inside, Latin-1 letters. */
const headerValue = fc.oneof(
  fc.stringMatching(/^[\x21-\x7e]([\x20-\x7e\t]{0,38}[\x21-\x7e])?$/),
  fc.constantFrom("é", "ñandú", "a\tb", "x".repeat(300))
)

const weirdSegments = [
  "%00",
  "%01",
  "%7F",
  "%0A",
  "%0D%0A",
  "%E2%80%AE",
  "%E2%81%A6",
  "%EF%BB%BF",
  "%C0%AF",
  "%FF",
  "%zz",
  "%",
  "%2F",
  "..%2F..",
  "case-fuzz%00",
  "case-fuzz%E2%80%AE",
  "%E2%80%8Bcase-fuzz",
  "ca%00se",
  "\u202ecase",
  "кейс",
  "ケース"
]

const hugeId = fc.integer({ min: 129, max: 6_000 }).map((n) => "c".repeat(n))

/** Case ids in paths: the fixture's, unknown ones, and hostile ones. */
const hostileId = fc.oneof(
  fc.constantFrom(...weirdSegments),
  hugeId,
  fc.string({ maxLength: 12 }).map(encodeURIComponent)
)

/** The current status of a request as core decides it for a case action (404 for a case the actor may not read). */
const decided = (fixture: Fixture, actor: Actor.Actor, action: Access.CaseAction, caseId: string): number => {
  const state = fixture.states.get(caseId)
  if (state === undefined) return 404
  const context = { agencies: fixture.agencies }
  if (Access.can(actor, action, state, context)) return 200
  return Access.can(actor, "read", state, context) ? 403 : 404
}

const sender = (badWeight: number) =>
  fc.oneof(
    { weight: 10, arbitrary: fc.constantFrom(...persons).map((person): Sender => ({ person })) },
    { weight: badWeight, arbitrary: fc.constantFrom(...badAuths).map((bad): Sender => ({ bad })) }
  )

const withQuery = (path: string, query: Readonly<Record<string, string | ReadonlyArray<string>>>): string => {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    for (const v of typeof value === "string" ? [value] : value) params.append(key, v)
  }
  const text = params.toString()
  return text === "" ? path : `${path}?${text}`
}

/** Extra headers that every family may carry: request ids, forwarded-for, accept. */
const noise = fc
  .record(
    {
      "x-request-id": fc.oneof(headerValue, fc.uuid(), fc.constantFrom("req-1", "a".repeat(65), "a b", "α")),
      "x-forwarded-for": fc.oneof(fc.ipV4(), headerValue),
      accept: fc.constantFrom("application/json", "*/*", "text/html", "application/problem+json", "")
    },
    { requiredKeys: [] }
  )
  .map((headers) => {
    // fetch refuses header values it cannot send as bytes; the fuzz sends only what a client can send.
    const out: Record<string, string> = {}
    for (const [key, value] of Object.entries(headers)) {
      if (value !== undefined && /^[\x20-\xff\t]*$/u.test(value)) out[key] = value
    }
    return out
  })

export const build = (fixture: Fixture) => {
  const caseIds = [...fixture.states.keys()]
  const knownOrUnknown = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...caseIds) },
    { weight: 1, arbitrary: fc.constantFrom("case-nowhere", "case-fuzz-new", "case-FUZZ") },
    { weight: 1, arbitrary: fc.stringMatching(/^case-[a-z0-9]{1,20}$/) }
  )
  // A caller declares any purpose but `registration`, which the service records itself.
  const purposes = (Object.keys(IdentityVault.purposes) as ReadonlyArray<IdentityVault.Purpose>).filter(
    (purpose): purpose is IdentityVault.DeclaredPurpose => purpose !== "registration"
  )
  const badPurposes = [
    "",
    "ASSESSMENT",
    "assessment ",
    " assessment",
    "nope",
    "assessment%00",
    "registration\u202e",
    "registration"
  ]
  const stateOf = (caseId: string) => fixture.states.get(caseId)
  const versionOf = (caseId: string) => stateOf(caseId)?.version ?? 0
  // The actor a sender's token authenticates as: none for a bad token, nor for the scheduler's person (a token
  // never names it: it acts in its own process only).
  const actorOf = (s: Sender): Actor.Actor | undefined => {
    const actor = "person" in s ? people[s.person] : undefined
    return actor?.role === "system" ? undefined : actor
  }
  const caseworkerFor = (caseId: string): string =>
    stateOf(caseId)?.owner === "dinsos-64.71" ? people.balikpapanWorker.id : people.worker2.id

  // --- reads ------------------------------------------------------------------------------------------------
  const read = fc
    .record({
      sender: sender(3),
      caseId: knownOrUnknown,
      what: fc.constantFrom("view", "history", "identity", "identity"),
      purpose: fc.constantFrom(...purposes),
      noise
    })
    .map(({ sender: s, caseId, what, purpose, noise: headers }): FuzzRequest => {
      const actor = actorOf(s)
      const action: Access.CaseAction = what === "view" ? "read" : what === "history" ? "read-history" : "read-identity"
      const path =
        what === "view"
          ? `/cases/${caseId}`
          : what === "history"
            ? `/cases/${caseId}/history`
            : withQuery(`/cases/${caseId}/identity`, { purpose })
      let expect: number
      if (actor === undefined) expect = 401
      else {
        expect = decided(fixture, actor, action, caseId)
        // An allowed identity read of a case whose subject has no identity: 404 (the read is still recorded).
        if (expect === 200 && what === "identity" && caseId === "case-quiet") expect = 404
      }
      return {
        family: "read",
        note: what,
        method: "GET",
        path,
        sender: s,
        headers,
        expect: [expect]
      }
    })

  const readMalformed = fc
    .record({
      sender: sender(2),
      caseId: fc.oneof(fc.constantFrom(...caseIds), hostileId),
      what: fc.constantFrom("view", "history", "identity-no-purpose", "identity-bad-purpose", "identity-two-purposes"),
      purpose: fc.constantFrom(...badPurposes),
      suffix: fc.constantFrom("", "/", "//", "/x", "?purpose")
    })
    .map(({ sender: s, caseId, what, purpose, suffix }): FuzzRequest => {
      const base = `/cases/${caseId}`
      const path =
        what === "view"
          ? `${base}${suffix}`
          : what === "history"
            ? `${base}/history${suffix}`
            : what === "identity-no-purpose"
              ? `${base}/identity`
              : what === "identity-bad-purpose"
                ? withQuery(`${base}/identity`, { purpose })
                : withQuery(`${base}/identity`, { purpose: ["assessment", "referral"] })
      return { family: "read-malformed", note: what, method: "GET", path, sender: s, headers: {} }
    })

  // --- lists, counts, workloads, public endpoints -------------------------------------------------------------
  // Mostly valid filters (answered 200, or 403 for a scope beyond the actor's), with one bad parameter at times.
  const validList = fc.record(
    {
      stage: fc.array(fc.constantFrom("reported", "outreach", "assessment", "closed"), { minLength: 1, maxLength: 2 }),
      risk: fc.array(fc.constantFrom("rendah", "sedang", "tinggi"), { minLength: 1, maxLength: 2 }),
      region: fc.constantFrom("13", "13.71", "13.71.01", "64.71", "64", "ID"),
      owner: fc.constantFrom("dinsos-13.71", "dinsos-64.71", "dinsos-13", "sentra-handayani"),
      assignee: fc.constantFrom(people.worker.id, people.balikpapanWorker.id),
      overdue: fc.constant("true"),
      ampk: fc.constantFrom("a", "b"),
      concern: fc.constantFrom("adoption", "child-marriage")
    },
    { requiredKeys: [] }
  )
  const listOnly = fc.record(
    { limit: fc.constantFrom("1", "2", "50", "500"), after: fc.constantFrom("case-a", "case-bpp", "case-fuzz") },
    { requiredKeys: [] }
  )
  const countsOnly = fc.record(
    {
      // Each dimension once (a repeated one is refused with 400: the security suite checks it).
      by: fc.uniqueArray(fc.constantFrom("stage", "risk", "region", "owner", "ampk", "ppks", "concern", "ageBand"), {
        minLength: 1,
        maxLength: 3
      }),
      regionDepth: fc.constantFrom("1", "2", "3", "4")
    },
    { requiredKeys: ["by"] }
  )
  const badParameter = fc.constantFrom(
    ["stage", "Reported"],
    ["risk", "x"],
    ["region", "99"],
    ["region", "x"],
    ["region", "13.71%00"],
    ["owner", ""],
    ["assignee", "x\u202ey"],
    ["assignee", "a".repeat(129)],
    ["overdue", "yes"],
    ["overdue", "false"],
    ["limit", "0"],
    ["limit", "501"],
    ["limit", "1.5"],
    ["limit", "-1"],
    ["after", "x".repeat(201)],
    ["ppks", "x"],
    ["by", "x"],
    ["by", ""],
    ["regionDepth", "5"],
    ["unknown", "1"]
  )
  const list = fc
    .record({
      sender: sender(2),
      counts: fc.boolean(),
      filter: validList,
      list: listOnly,
      count: countsOnly,
      bad: fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: badParameter }),
      noise
    })
    .map(({ sender: s, counts, filter, list: page, count, bad: broken, noise: headers }): FuzzRequest => {
      const query: Record<string, string | ReadonlyArray<string>> = { ...filter, ...(counts ? count : page) }
      if (broken !== undefined) query[broken[0]] = broken[1]
      return {
        family: "list",
        note: `${counts ? "counts" : "list"}${broken === undefined ? "" : ` ${broken[0]}=${broken[1].slice(0, 12)}`}`,
        method: "GET",
        path: withQuery(counts ? "/cases/counts" : "/cases", query),
        sender: s,
        headers,
        expect: actorOf(s) === undefined ? [400, 401] : broken === undefined ? [200, 403] : [400]
      }
    })

  const workload = fc
    .record({
      sender: sender(2),
      agency: fc.oneof(
        fc.constantFrom("dinsos-13.71", "dinsos-13", "dinsos-64.71", "sentra-handayani", "lpa-13.71", "dinsos-99"),
        hostileId
      ),
      caseworkers: fc.option(fc.constantFrom("0", "3", "100000", "100001", "-1", "x", "1e3"), { nil: undefined })
    })
    .map(
      ({ sender: s, agency, caseworkers }): FuzzRequest => ({
        family: "workload",
        note: agency.slice(0, 20),
        method: "GET",
        path: withQuery(`/dinas/${agency}/workload`, caseworkers === undefined ? {} : { caseworkers }),
        sender: s,
        headers: {},
        ...(actorOf(s) === undefined ? { expect: [400, 401, 404] } : {})
      })
    )

  const publicPaths = [
    "/reference/ampk",
    "/reference/ppks",
    "/reference/atensi",
    "/reference/sppa-roles",
    "/reference/dinas-types",
    "/reference/regions",
    "/reference/regions?q=Padang",
    "/reference/regions?parent=13",
    "/reference/regions?level=kota",
    "/sop",
    "/sop.mmd",
    "/health/live",
    "/health/ready",
    "/openapi.json"
  ]
  const publicRequest = fc
    .record({
      sender: sender(4),
      path: fc.constantFrom(...publicPaths),
      q: fc.option(
        fc.record(
          {
            q: fc.oneof(printable, fc.constantFrom("", "x".repeat(101), "Padang%00")),
            parent: fc.constantFrom("13", "13.71", "99", "x", ""),
            level: fc.constantFrom("provinsi", "kota", "x"),
            limit: fc.constantFrom("1", "500", "0", "501", "x")
          },
          { requiredKeys: [] }
        ),
        { nil: undefined }
      ),
      noise
    })
    .map(({ sender: s, path, q, noise: headers }): FuzzRequest => {
      const regions = path.startsWith("/reference/regions") && q !== undefined
      return {
        family: "public",
        note: path,
        method: "GET",
        path: regions ? withQuery("/reference/regions", q) : path,
        sender: s,
        headers,
        expect: regions ? [200, 400] : [200]
      }
    })

  // --- valid bodies that core must refuse ------------------------------------------------------------------
  const ifMatchFor = (caseId: string) =>
    fc
      .constantFrom("0", "1", "2", "3", '"1"', 'W/"1"', "999")
      .filter((value) => Number(value.replace(/^W\//u, "").replaceAll('"', "")) !== versionOf(caseId))

  const forbiddenCommand = fc
    .record({
      sender: sender(1),
      caseId: knownOrUnknown,
      pick: fc.nat(),
      key: fc.option(fc.uuid(), { nil: undefined }),
      ifMatch: fc
        .option(fc.constant(true), { nil: undefined, freq: 4 })
        .map((sent) => (sent === undefined ? true : undefined))
    })
    .chain((r) =>
      r.ifMatch === undefined
        ? fc.constant({ ...r, stale: undefined as string | undefined })
        : ifMatchFor(r.caseId).map((stale): typeof r & { stale: string | undefined } => ({ ...r, stale }))
    )
    .map(({ sender: s, caseId, pick, key, stale }): FuzzRequest => {
      const actor = actorOf(s)
      const state = stateOf(caseId)
      const refused = refusedAtReported(caseId)
      const applying = wouldApply(caseId, caseworkerFor(caseId))
      let command = [...refused, ...applying][pick % (refused.length + applying.length)] as Record<string, unknown>
      let expect: ReadonlyArray<number>
      if (actor === undefined) expect = [401]
      else if (state === undefined) expect = [404]
      else {
        const context = { agencies: fixture.agencies }
        const may = (c: Record<string, unknown>) =>
          Access.can(actor, SopTable.actionOf(decodeCommand(c), state, actor), state, context)
        // An actor allowed to act gets only a command the SOP refuses at this stage.
        if (may(command) && !refused.includes(command)) command = refused[pick % refused.length] as typeof command
        const readable = Access.can(actor, "read", state, context)
        if (stale !== undefined) {
          // A stale version is a conflict for whoever may read the case; to anyone else the case does not exist.
          expect = readable ? [409] : [404]
        } else expect = [may(command) ? 422 : readable ? 403 : 404]
      }
      return {
        family: "forbidden-command",
        note: `${String(command._tag)}${stale === undefined ? "" : ` if-match ${stale}`}`,
        method: "POST",
        path: `/cases/${caseId}/commands`,
        sender: s,
        headers: {
          "content-type": "application/json",
          ...(key === undefined ? {} : { "idempotency-key": key }),
          ...(stale === undefined ? {} : { "if-match": stale })
        },
        body: JSON.stringify(command),
        expect
      }
    })

  const registering = (body: Record<string, unknown>): NonNullable<Access.Context["registering"]> =>
    ({ region: body.region, owner: body.owner }) as NonNullable<Access.Context["registering"]>
  const mayRegister = (actor: Actor.Actor, body: Record<string, unknown>) =>
    Access.can(actor, "register", Case.initialState, { registering: registering(body) })

  /**
   * A report for a taken case id: the report is checked as if the id were free first, so one whose owner cannot
   * own a case is 422 (invalid owner), a valid one 409.
   */
  const takenAnswer = (body: Record<string, unknown>) => {
    const owner = fixture.agencies.get(body.owner as Agency.AgencyId)
    return owner !== undefined && Agency.canOwnCases(owner) ? 409 : 422
  }

  const forbiddenRegister = fc
    .record({
      sender: sender(1),
      how: fc.constantFrom("not-own-agency", "outside-region", "known-subject", "unknown-subject", "taken-id"),
      pick: fc.nat(),
      identity: fc.boolean(),
      key: fc.option(fc.uuid(), { nil: undefined }),
      n: fc.nat({ max: 1_000_000 })
    })
    .map(({ sender: s, how, pick, identity, key, n }): FuzzRequest => {
      const actor = actorOf(s)
      const own = actor?.agency ?? "dinsos-13.71"
      const owners = ["dinsos-13.71", "dinsos-13", "dinsos-64.71", "sentra-handayani", "lpa-13.71", "disdik-13.71"]
      const regions = ["13.71.01", "13.71.02", "64.71.01", "13.06.01", "31.71.01"]
      const fresh = `case-fuzz-new-${n}`
      let body: Record<string, unknown>
      let expect: ReadonlyArray<number>
      const subjectIds = [...fixture.subjects.values()]
      const holders = (subject: string) => [...fixture.states.values()].filter((state) => state.subject.id === subject)
      switch (how) {
        case "not-own-agency": {
          const others = owners.filter((owner) => owner !== own)
          body = { ...report(fresh), owner: others[pick % others.length], region: regions[pick % regions.length] }
          break
        }
        case "outside-region":
          body = { ...report(fresh), owner: own, region: regions[pick % regions.length] }
          break
        case "known-subject":
          body = { ...report(fresh), owner: own, subject: subjectIds[pick % subjectIds.length] }
          break
        case "unknown-subject":
          body = { ...report(fresh), owner: own, subject: `subj-${n.toString(16).padStart(32, "0")}` }
          break
        default: {
          const taken = caseIds[pick % caseIds.length] as string
          body = { ...report(taken), owner: own, region: own === "dinsos-64.71" ? "64.71.01" : "13.71.01" }
        }
      }
      if (actor === undefined) expect = [401]
      else if (typeof body.subject === "string") {
        const held = holders(body.subject)
        const links = Access.authorizeSubject(actor, "link-subject", held, { agencies: fixture.agencies })
        // A subject the actor cannot reach does not exist for it; one it can reach would link: not sent.
        const replaces = Access.authorizeSubject(actor, "replace-identity", held, { agencies: fixture.agencies })
        if (held.length === 0 || Result.isFailure(links)) expect = [404]
        else if (Result.isFailure(replaces)) {
          // The actor reaches the subject (a referral shares its identity) but may not replace its identity: a
          // report naming it with an identity is refused, and must write nothing.
          body = { ...body, identity: echoIdentity }
          expect = [403]
        } else {
          body = { ...report(fresh), owner: own === "lpa-13.71" ? "dinsos-13.71" : "lpa-13.71" }
          expect = [403]
        }
      } else if (how === "taken-id") {
        expect = [mayRegister(actor, body) ? takenAnswer(body) : 403]
      } else if (mayRegister(actor, body)) {
        // The actor may register this report: send it for a taken case id instead.
        body = { ...body, caseId: caseIds[pick % caseIds.length] }
        expect = [takenAnswer(body)]
      } else expect = [403]
      return {
        family: "forbidden-register",
        note: how,
        method: "POST",
        path: "/cases",
        sender: s,
        headers: { "content-type": "application/json", ...(key === undefined ? {} : { "idempotency-key": key }) },
        body: JSON.stringify(identity || "identity" in body ? { ...body, identity: echoIdentity } : body),
        expect
      }
    })

  const forbiddenIdentity = fc
    .record({
      sender: sender(1),
      caseId: knownOrUnknown,
      erase: fc.boolean(),
      purpose: fc.option(fc.constantFrom(...purposes), { nil: undefined })
    })
    .map(({ sender: s, caseId, erase, purpose }): FuzzRequest => {
      const actor = actorOf(s)
      let path = withQuery(`/cases/${caseId}/identity`, purpose === undefined ? {} : { purpose })
      let expect: ReadonlyArray<number>
      let note = erase ? "erase" : "replace"
      if (actor === undefined) expect = [401]
      else {
        const status = decided(fixture, actor, erase ? "erase-identity" : "replace-identity", caseId)
        if (status === 200) {
          // Allowed: the same request for an unknown case instead.
          path = withQuery(`/cases/${caseId}-gone/identity`, purpose === undefined ? {} : { purpose })
          note += " (allowed actor, unknown case)"
          expect = [404]
        } else expect = [status]
      }
      return {
        family: "forbidden-identity",
        note,
        method: erase ? "DELETE" : "PUT",
        path,
        sender: s,
        headers: erase ? {} : { "content-type": "application/json" },
        ...(erase ? {} : { body: JSON.stringify(echoIdentity) }),
        expect
      }
    })

  // --- requests that would succeed, with one flaw ---------------------------------------------------------
  interface Base {
    readonly note: string
    readonly person: Person
    readonly method: "POST" | "PUT" | "DELETE"
    readonly path: string
    readonly body?: Record<string, unknown>
    readonly command?: boolean
    readonly register?: boolean
    readonly identity?: boolean
  }
  const bases = (n: number): ReadonlyArray<Base> => [
    {
      note: "kasi assigns",
      person: "kasi",
      method: "POST",
      path: "/cases/case-fuzz/commands",
      body: { _tag: "AssignCaseworker", caseId: "case-fuzz", caseworker: people.worker2.id },
      command: true
    },
    {
      note: "worker starts outreach",
      person: "worker",
      method: "POST",
      path: "/cases/case-fuzz/commands",
      body: { _tag: "StartOutreach", caseId: "case-fuzz" },
      command: true
    },
    {
      note: "bpp kabid starts outreach",
      person: "balikpapanKabid",
      method: "POST",
      path: "/cases/case-bpp/commands",
      body: { _tag: "StartOutreach", caseId: "case-bpp" },
      command: true
    },
    {
      note: "intake registers",
      person: "intake",
      method: "POST",
      path: "/cases",
      body: { ...padangReport(`case-flaw-${n}`), identity: echoIdentity },
      register: true
    },
    {
      note: "bpp kabid registers",
      person: "balikpapanKabid",
      method: "POST",
      path: "/cases",
      body: balikpapanReport(`case-flaw-bpp-${n}`),
      register: true
    },
    {
      note: "kasi replaces identity",
      person: "kasi",
      method: "PUT",
      path: "/cases/case-fuzz/identity",
      body: echoIdentity,
      identity: true
    },
    {
      note: "worker replaces identity",
      person: "worker",
      method: "PUT",
      path: "/cases/case-fuzz/identity",
      body: echoIdentity,
      identity: true
    },
    {
      note: "kasi erases identity",
      person: "kasi",
      method: "DELETE",
      path: "/cases/case-fuzz/identity",
      identity: true
    },
    {
      note: "bpp kabid erases identity",
      person: "balikpapanKabid",
      method: "DELETE",
      path: "/cases/case-bpp/identity",
      identity: true
    }
  ]
  const flaws = [
    "content-type",
    "no-content-type",
    "bad-auth",
    "idempotency-key",
    "if-match-malformed",
    "if-match-stale",
    "unknown-field",
    "case-id-mismatch",
    "truncated",
    "oversized",
    "wrong-method",
    "bad-purpose",
    "trailing-garbage",
    "duplicate-key-wrong-type"
  ] as const
  const oneFlaw = fc
    .record({
      n: fc.nat({ max: 1_000_000 }),
      pick: fc.nat(),
      flaw: fc.constantFrom(...flaws),
      contentType: fc.constantFrom(
        "text/plain",
        "application/json; charset=utf-16",
        "application/json; charset=latin1",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/jsonx",
        "text/json",
        "application/json-patch+json",
        "application/ld+json",
        "json",
        ""
      ),
      bad: fc.constantFrom(...badAuths),
      key: fc.constantFrom("", " ", "a b", "k".repeat(129), "é", "\u00e9\u00e8", "key\tkey"),
      ifMatch: fc.constantFrom("abc", "*", "W/", "1.5", "-1", "9".repeat(16), '"2", "3"', "0x2", '""', '"1', '1"'),
      purpose: fc.constantFrom(...badPurposes),
      cut: fc.integer({ min: 1, max: 20 }),
      method: fc.constantFrom("PATCH", "GET"),
      stale: fc.constantFrom("0", "1", "3", '"1"', 'W/"7"')
    })
    .map((r): FuzzRequest => {
      const all = bases(r.n)
      let base = all[r.pick % all.length] as Base
      // A flaw that does not apply to the base falls back to a bad token, which applies to every base.
      const applies =
        (r.flaw === "content-type" || r.flaw === "no-content-type" || r.flaw === "truncated") && base.body
          ? true
          : r.flaw === "idempotency-key"
            ? base.command === true || base.register === true
            : r.flaw === "if-match-malformed" || r.flaw === "if-match-stale" || r.flaw === "case-id-mismatch"
              ? base.command === true
              : r.flaw === "unknown-field" ||
                  r.flaw === "oversized" ||
                  r.flaw === "trailing-garbage" ||
                  r.flaw === "duplicate-key-wrong-type"
                ? base.body !== undefined
                : r.flaw === "bad-purpose"
                  ? base.identity === true
                  : r.flaw === "wrong-method" || r.flaw === "bad-auth"
      const flaw = applies ? r.flaw : "bad-auth"
      if (flaw === "if-match-stale" && base.path.includes("case-bpp")) base = all[0] as Base
      const json = base.body === undefined ? undefined : JSON.stringify(base.body)
      let from: Sender = { person: base.person }
      let method: string = base.method
      let path = base.path
      let body = json
      let bytes = false
      const headers: Record<string, string> = json === undefined ? {} : { "content-type": "application/json" }
      let expect: ReadonlyArray<number>
      switch (flaw) {
        case "content-type":
          headers["content-type"] = r.contentType
          expect = [415]
          break
        case "no-content-type":
          delete headers["content-type"]
          bytes = true
          expect = [415]
          break
        case "bad-auth":
          from = { bad: r.bad }
          expect = [401]
          break
        case "idempotency-key":
          headers["idempotency-key"] = r.key
          expect = [400]
          break
        case "if-match-malformed":
          headers["if-match"] = r.ifMatch
          expect = [400]
          break
        case "if-match-stale":
          headers["if-match"] =
            [r.stale, "0", "99"].find(
              (value) =>
                Number(value.replace(/^W\//u, "").replaceAll('"', "")) !== versionOf(base.path.split("/")[2] ?? "")
            ) ?? "99"
          expect = [409]
          break
        case "unknown-field":
          body = JSON.stringify({ ...base.body, [`extra${r.n % 7}`]: r.n })
          expect = [400]
          break
        case "case-id-mismatch":
          body = JSON.stringify({ ...base.body, caseId: "case-quiet" })
          expect = [400]
          break
        case "truncated":
          body = (json ?? "").slice(0, Math.max(0, (json ?? "").length - r.cut))
          expect = [400]
          break
        case "oversized":
          body = JSON.stringify({ ...base.body, pad: "x".repeat(17_000 + (r.n % 20_000)) })
          expect = [413]
          break
        case "trailing-garbage":
          body = `${json ?? ""}${r.cut % 2 === 0 ? "}" : ",{}"}`
          expect = [400]
          break
        case "duplicate-key-wrong-type":
          // The last duplicate wins in JSON.parse: a wrong type for the first field.
          body = `${(json ?? "{}").slice(0, -1)},${JSON.stringify(Object.keys(base.body ?? { x: 1 })[0] ?? "x")}:[1]}`
          expect = [400]
          break
        case "wrong-method":
          method = r.method
          if (method === "GET") path = `${path}/x`
          expect = [404, 405]
          break
        case "bad-purpose":
          path = withQuery(path, { purpose: r.purpose })
          expect = [400]
          break
      }
      return {
        family: "one-flaw",
        note: `${base.note}: ${flaw}`,
        method,
        path,
        sender: from,
        headers,
        ...(body === undefined || method === "GET" ? {} : { body }),
        ...(bytes ? { bytes } : {}),
        expect
      }
    })

  return {
    read,
    readMalformed,
    list,
    workload,
    publicRequest,
    forbiddenCommand,
    forbiddenRegister,
    forbiddenIdentity,
    oneFlaw
  }
}

// --- malformed and random requests (no fixture needed beyond a case id) -------------------------------------

const brokenBase: ReadonlyArray<Record<string, unknown>> = [
  { _tag: "AssignCaseworker", caseId: "case-fuzz", caseworker: "sakti-peksos-2" },
  { _tag: "StartOutreach", caseId: "case-fuzz" },
  { _tag: "RecordFirstContact", caseId: "case-fuzz" },
  {
    _tag: "RecordAssessment",
    caseId: "case-fuzz",
    classification: { ampk: ["b"], ppks: [2], cluster: "children", allegedPerpetrators: [] },
    factors: ["out-of-school"]
  },
  { _tag: "RequestEarlyClosure", caseId: "case-fuzz", reason: "duplicate", note: "Duplicate", approval: "a-1" },
  report("case-fuzz-new"),
  { ...report("case-fuzz-new"), identity: echoIdentity },
  echoIdentity,
  { name: ECHO, nik: `${ECHO}0000`, familyNames: [] },
  { name: ECHO.repeat(80), familyNames: [] },
  { name: ECHO, familyNames: Array.from({ length: 21 }, () => ECHO) }
]

/** A variant of a valid body that can never decode (or an identity that can never decode). */
const broken = fc
  .tuple(fc.constantFrom(...brokenBase), fc.nat({ max: 1_000 }), fc.jsonValue({ maxDepth: 2 }), fc.nat({ max: 5 }))
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

const anyBody = fc.oneof(
  { weight: 6, arbitrary: broken },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom("", "null", "{}", "[]", `{"a":${"[".repeat(500)}`, '{"__proto__":{"x":1}}') },
  {
    weight: 1,
    arbitrary: fc.constantFrom("\u0000", "\ufeff{}", '{"_tag":"StartOutreach","caseId":"case-fuzz"}\u0000')
  },
  { weight: 1, arbitrary: fc.integer({ min: 17_000, max: 40_000 }).map((size) => `{"pad":"${"x".repeat(size)}"}`) }
)

const anyContentType = fc.option(
  fc.oneof(
    fc.constantFrom(
      "application/json",
      "application/json; charset=utf-8",
      "application/json;charset=UTF-8",
      "application/json; charset=utf-16",
      "APPLICATION/JSON",
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/xml",
      ""
    ),
    printable
  ),
  { nil: undefined }
)

const targets = [
  ["POST", "/cases"],
  ["POST", "/cases/case-fuzz/commands"],
  ["POST", "/cases/case-bpp/commands"],
  ["POST", "/cases/case-nowhere/commands"],
  ["PUT", "/cases/case-fuzz/identity"],
  ["PUT", "/cases/case-quiet/identity"]
] as const

/** Broken bodies to the real write endpoints, by anyone, with any content type and headers. */
export const malformed = fc
  .record({
    target: fc.constantFrom(...targets),
    body: anyBody,
    contentType: fc.oneof(
      { weight: 5, arbitrary: fc.constant("application/json") },
      { weight: 1, arbitrary: anyContentType }
    ),
    sender: sender(1),
    key: fc.option(fc.oneof(fc.uuid(), headerValue), { nil: undefined }),
    ifMatch: fc.option(fc.oneof(fc.nat({ max: 5 }).map(String), headerValue), { nil: undefined })
  })
  .map(
    ({ target: [method, path], body, contentType, sender: s, key, ifMatch }): FuzzRequest => ({
      family: "malformed",
      note: `${method} ${path}`,
      method,
      path,
      sender: s,
      headers: {
        ...(contentType === undefined ? {} : { "content-type": contentType }),
        ...(key === undefined ? {} : { "idempotency-key": key }),
        ...(ifMatch === undefined ? {} : { "if-match": ifMatch })
      },
      body,
      ...(contentType === undefined ? { bytes: true } : {})
    })
  )

const segment = fc.oneof(
  fc.constantFrom(
    "cases",
    "case-fuzz",
    "case-bpp",
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
    "live",
    "ready",
    "openapi.json",
    "docs",
    "",
    ".",
    "..",
    ...weirdSegments
  ),
  hugeId,
  fc.string({ maxLength: 12 }).map(encodeURIComponent)
)

/** Anything: any method, path, body, content type, token and headers. */
export const random = fc
  .record({
    method: fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"),
    path: fc.array(segment, { maxLength: 5 }).map((parts) => `/${parts.join("/")}`),
    query: fc.option(
      fc.dictionary(fc.constantFrom("purpose", "stage", "limit", "by", "q", "x"), printable, { maxKeys: 3 }),
      {
        nil: undefined
      }
    ),
    body: anyBody,
    contentType: anyContentType,
    sender: sender(3),
    key: fc.option(headerValue, { nil: undefined }),
    ifMatch: fc.option(headerValue, { nil: undefined }),
    noise
  })
  .map(({ method, path, query, body, contentType, sender: s, key, ifMatch, noise: headers }): FuzzRequest => {
    // Node refuses request heads over 16 KiB before the application sees them; stay below.
    const target = (query === undefined ? path : withQuery(path, query)).slice(0, 10_000)
    // An erasure needs no body: a random path that is an identity route would really erase. Never sent.
    const erasure = method === "DELETE" && identityRoute(target) !== undefined
    return {
      family: "random",
      note: erasure ? "PATCH instead of DELETE" : method,
      method: erasure ? "PATCH" : method,
      path: target,
      sender: s,
      headers: {
        ...headers,
        ...(contentType === undefined ? {} : { "content-type": contentType }),
        ...(key === undefined ? {} : { "idempotency-key": key }),
        ...(ifMatch === undefined ? {} : { "if-match": ifMatch })
      },
      ...(method === "GET" || method === "OPTIONS" ? {} : { body }),
      ...(contentType === undefined ? { bytes: true } : {})
    }
  })

/** Every family, weighted: most requests are valid reads and valid-but-forbidden writes, the rest malformed. */
export const requests = (fixture: Fixture): fc.Arbitrary<FuzzRequest> => {
  const f = build(fixture)
  return fc.oneof(
    { weight: 14, arbitrary: f.read },
    { weight: 4, arbitrary: f.readMalformed },
    { weight: 7, arbitrary: f.list },
    { weight: 3, arbitrary: f.workload },
    { weight: 4, arbitrary: f.publicRequest },
    { weight: 15, arbitrary: f.forbiddenCommand },
    { weight: 9, arbitrary: f.forbiddenRegister },
    { weight: 7, arbitrary: f.forbiddenIdentity },
    { weight: 15, arbitrary: f.oneFlaw },
    { weight: 12, arbitrary: malformed },
    { weight: 10, arbitrary: random }
  )
}
