/**
 * Core's case service over the adapter: its identity rules rest on the adapter (the subject filter must find every
 * case that holds a subject; the access trail must keep every access), so they are checked on every store.
 *
 * A fast-check property: random people in random roles of a few agencies register random cases (with and without an
 * identity, new subjects and links to existing ones), assign caseworkers, and read, replace and erase identities.
 * The oracle is core's pure `Access` over the states the test loads itself, case by case (never through the subject
 * filter under test): no actor ever links, reads, replaces or erases an identity it cannot reach through a case; a
 * refused operation changes no identity; every access that happened is in the trail, which holds no identity.
 */
import {
  Access,
  Actor,
  Agency,
  Case,
  CaseCommand,
  CaseExport,
  CaseIndex,
  CaseModel,
  CaseService,
  Directory,
  EventStore,
  ExportLog,
  IdentityVault,
  Person,
  Region,
  Subject
} from "@lindung/core"
import { DateTime, Effect, Exit, Layer, Redacted, Result, Schema, Stream } from "effect"
import * as fc from "fast-check"
import { expect } from "vitest"
import type { Kit } from "./harness.js"
import { together } from "./race.js"

export const agencies = [
  Agency.make({
    id: "dinsos-13.71",
    kind: "dinsos",
    name: "Dinas Sosial Kota Padang",
    region: "13.71",
    dinasType: "A"
  }),
  Agency.make({ id: "dinsos-13", kind: "dinsos", name: "Dinas Sosial Provinsi Sumatera Barat", region: "13" }),
  Agency.make({ id: "dinsos-64.71", kind: "dinsos", name: "Dinas Sosial Kota Balikpapan", region: "64.71" }),
  Agency.make({ id: "lpa-13.71", kind: "lpa", name: "LPA Kota Padang", region: "13.71" })
]
export const roles = ["intake-officer", "caseworker", "supervisor", "head-of-dinas", "partner", "auditor"] as const

export const personArb = fc.record({
  agency: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(0, 1, 2) }, { weight: 1, arbitrary: fc.constant(3) }),
  role: fc.constantFrom(...roles)
})

const stepArb = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("register" as const),
      by: fc.nat(),
      identity: fc.boolean(),
      keyed: fc.boolean(),
      // -1: a new subject; otherwise a link to the n-th subject seen (or, with none yet, an unknown id).
      subject: fc.oneof({ weight: 3, arbitrary: fc.constant(-1) }, { weight: 2, arbitrary: fc.nat({ max: 6 }) })
    })
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("assign" as const), by: fc.nat(), case: fc.nat(), worker: fc.nat() })
  },
  // The last registration that carried an idempotency key, sent again.
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("retry" as const), by: fc.nat() }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constantFrom("read" as const, "replace" as const, "erase" as const),
      by: fc.nat(),
      case: fc.nat()
    })
  }
)

type Step = typeof stepArb extends fc.Arbitrary<infer S> ? S : never

export const identityOf = (name: string) =>
  Schema.decodeUnknownSync(Subject.IdentityFromValues)({ name, familyNames: ["Keluarga contoh fiktif"] })

/** Runs one scenario against a fresh store; returns nothing, fails on the first broken rule. */
const scenario = (people: ReadonlyArray<Person.Person>, steps: ReadonlyArray<Step>) =>
  Effect.gen(function* () {
    const snapshot = Result.getOrThrow(Directory.make(agencies, people))
    const context: Access.Context = { agencies: snapshot.agencies }
    const actors = people.map((person) => Person.actorOf(person, snapshot.agencies.get(person.agency) as Agency.Agency))
    const cases = yield* CaseService.CaseService
    const store = yield* EventStore.EventStore
    const vault = yield* IdentityVault.IdentityVault
    const caseIds: Array<CaseModel.CaseId> = []
    const subjects: Array<Subject.SubjectId> = []
    /** What each subject's identity should be: a name, "erased", or absent. */
    const expected = new Map<string, string>()
    let accesses = 0
    let lastKeyed:
      | {
          readonly actor: Actor.Actor
          readonly report: CaseService.Report
          readonly options: CaseService.RegisterOptions
          readonly caseId: CaseModel.CaseId
          readonly subject: Subject.SubjectId
        }
      | undefined

    const stateOf = (caseId: CaseModel.CaseId) =>
      Effect.map(Effect.orDie(store.load(caseId)), (events) => Case.fold(events) as Case.Case)
    const holders = (subject: string) =>
      Effect.map(Effect.forEach(caseIds, stateOf), (states) => states.filter((state) => state.subject.id === subject))
    const pick = <A>(items: ReadonlyArray<A>, n: number): A | undefined =>
      items.length === 0 ? undefined : items[n % items.length]

    for (const [index, step] of steps.entries()) {
      const actor = pick(actors, step.by)
      if (actor === undefined) return
      if (step.kind === "retry") {
        if (lastKeyed === undefined) continue
        const again = yield* Effect.exit(cases.register(lastKeyed.actor, lastKeyed.report, lastKeyed.options))
        // The first result, nothing written, and no identity stored a second time.
        expect(Exit.isSuccess(again)).toBe(true)
        if (Exit.isSuccess(again)) {
          expect(again.value.replayed).toBe(true)
          expect([again.value.state.id, again.value.state.subject.id]).toEqual([lastKeyed.caseId, lastKeyed.subject])
        }
        const now = expected.get(lastKeyed.subject)
        const stored = yield* Effect.exit(vault.get(lastKeyed.subject))
        if (now !== undefined && now !== "erased") {
          expect(Exit.isSuccess(stored) && Redacted.value(stored.value.name)).toBe(now)
        }
        continue
      }
      if (step.kind === "register") {
        const agency = snapshot.agencies.get(actor.agency) as Agency.Agency
        const region = Region.decodeSync(agency.region === "ID" ? "13.71" : agency.region)
        const named = step.subject === -1 ? undefined : (pick(subjects, step.subject) ?? "subj-unknown")
        const caseId = Schema.decodeSync(CaseModel.CaseId)(`case-${index}`)
        const name = `Nama ${index} contoh fiktif`
        const before = named === undefined ? [] : yield* holders(named)
        const report: CaseService.Report = {
          caseId,
          ...(named === undefined ? {} : { subject: named as Subject.SubjectId }),
          sex: "female",
          ageAtReport: 10,
          region,
          owner: agency.id,
          source: "school",
          concerns: ["out-of-school"]
        }
        const options: CaseService.RegisterOptions = {
          ...(step.identity ? { identity: identityOf(name) } : {}),
          ...(step.keyed ? { idempotencyKey: `key-${index}` } : {})
        }
        const exit = yield* Effect.exit(cases.register(actor, report, options))
        // A subject is linked through a case of the actor's own agency that shows it its identity.
        const reaches = before.some(
          (state) => state.owner === actor.agency && Access.can(actor, "read-identity", state, context)
        )
        if (named !== undefined && !reaches) {
          // Unknown or unreachable: one answer, and nothing written.
          expect(Exit.isFailure(exit) && Exit.findErrorOption(exit)._tag === "Some").toBe(true)
          if (Exit.isFailure(exit)) {
            const error = Exit.findErrorOption(exit)
            expect(error._tag === "Some" && (error.value as { _tag: string })._tag).toBe("SubjectNotFound")
          }
          expect((yield* Effect.orDie(store.load(caseId))).length).toBe(0)
          continue
        }
        if (Exit.isFailure(exit)) {
          // Refused for another reason (a role that does not register, an agency that cannot own a case, a shared
          // identity it may not replace): a typed rejection, and nothing written.
          const error = Exit.findErrorOption(exit)
          const tag = error._tag === "Some" ? (error.value as { _tag: string })._tag : "defect"
          expect(["Forbidden", "SopViolation", "InvalidInput"], tag).toContain(tag)
          expect((yield* Effect.orDie(store.load(caseId))).length).toBe(0)
          if (named !== undefined) expect(yield* holders(named)).toHaveLength(before.length)
          continue
        }
        caseIds.push(caseId)
        const subject = exit.value.state.subject.id
        if (step.keyed) lastKeyed = { actor, report, options, caseId, subject }
        if (named === undefined) subjects.push(subject)
        if (named !== undefined) accesses++ // the link
        if (step.identity) {
          if (named !== undefined) {
            const all = yield* holders(subject)
            expect(all.every((state) => Access.can(actor, "replace-identity", state, context))).toBe(true)
          }
          expected.set(subject, name)
          accesses++
        }
        continue
      }
      const caseId = pick(caseIds, step.case)
      if (caseId === undefined) continue
      const state = yield* stateOf(caseId)
      const subject = state.subject.id
      if (step.kind === "assign") {
        const worker = pick(actors, step.worker) as (typeof actors)[number]
        yield* Effect.exit(cases.execute(actor, { _tag: "AssignCaseworker", caseId, caseworker: worker.id }))
        continue
      }
      const all = yield* holders(subject)
      const before = yield* Effect.exit(vault.get(subject))
      if (step.kind === "read") {
        const exit = yield* Effect.exit(cases.readIdentity(actor, caseId, "assessment"))
        const allowed = Access.can(actor, "read-identity", state, context)
        if (!allowed) expect(Exit.isFailure(exit)).toBe(true)
        if (allowed) accesses++
        if (Exit.isSuccess(exit)) {
          expect(Redacted.value(exit.value.identity.name)).toBe(expected.get(subject))
        }
        continue
      }
      const action = step.kind === "replace" ? "replace-identity" : "erase-identity"
      const name = `Koreksi ${index} contoh fiktif`
      const exit = yield* Effect.exit(
        step.kind === "replace"
          ? cases.replaceIdentity(actor, caseId, identityOf(name), "identity-correction")
          : cases.eraseIdentity(actor, caseId, "data-subject-request")
      )
      const everywhere = all.every((holder) => Access.can(actor, action, holder, context))
      if (!everywhere) {
        expect(Exit.isFailure(exit), `${actor.id} ${step.kind} ${caseId}`).toBe(true)
        const after = yield* Effect.exit(vault.get(subject))
        expect(JSON.stringify(Exit.map(after, (i) => Redacted.value(i.name)))).toBe(
          JSON.stringify(Exit.map(before, (i) => Redacted.value(i.name)))
        )
        continue
      }
      if (step.kind === "replace") {
        expect(Exit.isSuccess(exit)).toBe(true)
        expected.set(subject, name)
        accesses++
      } else if (expected.has(subject)) {
        expect(Exit.isSuccess(exit)).toBe(true)
        expected.set(subject, "erased")
        accesses++
      } else {
        accesses++ // recorded, then the vault answers NotFound
      }
    }
    // Every access that happened is on the trail, and the trail holds no identity.
    let recorded = 0
    for (const subject of subjects) {
      const trail = yield* Effect.orDie(vault.accesses(subject))
      recorded += trail.length
      expect(JSON.stringify(trail)).not.toMatch(/contoh fiktif/)
    }
    expect(recorded).toBeGreaterThanOrEqual(accesses)
  })

/** A directory of one Padang supervisor and one intake officer, the service over it and the adapter. */
/** A person of one of the test agencies, with the position its role needs. */
export const personOf = (id: string, p: { readonly agency: number; readonly role: (typeof roles)[number] }) =>
  Person.make({
    id,
    agency: (agencies[p.agency] as Agency.Agency).id,
    role: p.role,
    ...(p.role === "supervisor" ? { position: "kasi" as const } : {}),
    ...(p.role === "head-of-dinas" ? { position: "kadis" as const } : {})
  })

/** Runs one random scenario on a fresh store of the adapter, with the case service over a directory. */
export const onFreshStore = <R>(
  kit: Kit<R>,
  snapshot: Directory.Snapshot,
  body: Effect.Effect<unknown, unknown, unknown>
): Promise<void> =>
  Effect.runPromise(
    body.pipe(
      Effect.provide(CaseService.layer().pipe(Layer.provide(Directory.layer(snapshot)))),
      Effect.provide(Layer.fresh(kit.makeLayer())),
      Effect.orDie,
      Effect.asVoid
    ) as Effect.Effect<void>
  )

/** The runs (and seed) of the case-service properties. */
export const serviceRunOptions = <R>(kit: Kit<R>) => ({
  numRuns: kit.capabilities.serviceRuns ?? 25,
  ...(kit.capabilities.seed === undefined ? {} : { seed: kit.capabilities.seed })
})

export const padangService = <A, E, R>(body: (people: ReadonlyArray<Person.Person>) => Effect.Effect<A, E, R>) => {
  const people = [
    Person.make({ id: "kasi-padang", agency: "dinsos-13.71", role: "supervisor", position: "kasi" }),
    Person.make({ id: "intake-padang", agency: "dinsos-13.71", role: "intake-officer" })
  ]
  const snapshot = Result.getOrThrow(Directory.make(agencies, people))
  return body(people).pipe(Effect.provide(CaseService.layer().pipe(Layer.provide(Directory.layer(snapshot)))))
}

/** Runs `body` with the case service over a directory of two intake officers: Kota Padang's and Kota Balikpapan's. */
export const twoIntakes = <A, E, R>(body: (padang: Actor.Actor, balikpapan: Actor.Actor) => Effect.Effect<A, E, R>) => {
  const people = [
    Person.make({ id: "intake-padang", agency: "dinsos-13.71", role: "intake-officer" }),
    Person.make({ id: "intake-balikpapan", agency: "dinsos-64.71", role: "intake-officer" })
  ]
  const snapshot = Result.getOrThrow(Directory.make(agencies, people))
  return body(
    Person.actorOf(people[0] as Person.Person, agencies[0] as Agency.Agency),
    Person.actorOf(people[1] as Person.Person, agencies[2] as Agency.Agency)
  ).pipe(Effect.provide(CaseService.layer().pipe(Layer.provide(Directory.layer(snapshot)))))
}

/** The same report, made in Kota Balikpapan (its region and owning Dinas). */
export const inBalikpapan = <T extends CaseService.Report>(report: T): T => ({
  ...report,
  region: Region.decodeSync("64.71"),
  owner: Schema.decodeSync(Agency.AgencyId)("dinsos-64.71")
})

export const padangReport = (caseId: string, subject?: string): CaseService.Report => ({
  caseId: Schema.decodeSync(CaseModel.CaseId)(caseId),
  ...(subject === undefined ? {} : { subject: Schema.decodeSync(Subject.SubjectId)(subject) }),
  sex: "female",
  ageAtReport: 10,
  region: Region.decodeSync("13.71"),
  owner: Schema.decodeSync(Agency.AgencyId)("dinsos-13.71"),
  source: "school",
  concerns: ["out-of-school"]
})

/** The case service's identity rules over the adapter. */
export const serviceTests = <R>(kit: Kit<R>): void =>
  kit.group("Case service over the adapter", () => {
    kit.test("refuses an actor the directory does not know, or knows otherwise", () =>
      padangService((people) =>
        Effect.gen(function* () {
          const cases = yield* CaseService.CaseService
          const kasi = Person.actorOf(people[0] as Person.Person, agencies[0] as Agency.Agency)
          const strangers: ReadonlyArray<Actor.Actor> = [
            { ...kasi, id: Schema.decodeSync(Actor.ActorId)("nobody") },
            { ...kasi, role: "head-of-dinas" as const },
            { ...kasi, region: "ID" as const }
          ]
          for (const actor of strangers) {
            const refused = yield* Effect.flip(cases.register(actor, padangReport("case-stranger")))
            expect(refused).toMatchObject({ _tag: "Forbidden", action: "act" })
            const listed = yield* Effect.flip(cases.list(actor, { limit: 10 }))
            expect(listed).toMatchObject({ _tag: "Forbidden", action: "act" })
          }
          expect((yield* cases.register(kasi, padangReport("case-known"))).replayed).toBe(false)
        })
      )
    )

    kit.test(
      "records an export's manifest before its entries leave; an export the actor may not make records nothing",
      () =>
        padangService((people) =>
          Effect.gen(function* () {
            const cases = yield* CaseService.CaseService
            const log = yield* ExportLog.ExportLog
            const kasi = Person.actorOf(people[0] as Person.Person, agencies[0] as Agency.Agency)
            const intake = Person.actorOf(people[1] as Person.Person, agencies[0] as Agency.Agency)
            yield* cases.register(intake, padangReport("case-export-1"))
            yield* cases.register(intake, padangReport("case-export-2"))
            const request = Result.getOrThrow(
              CaseExport.decodeRequest({
                lawfulBasis: { _tag: "public-task", authority: "UU 23/2014: social affairs of the kota" },
                purpose: "Annual figures"
              })
            )
            const refused = yield* Effect.flip(cases.exportCases(intake, request))
            expect(refused).toMatchObject({ _tag: "Forbidden", action: "export" })
            expect(yield* log.list(10)).toEqual([])
            const made = yield* cases.exportCases(kasi, request)
            expect(made.manifest).toMatchObject({ exportedBy: { id: kasi.id }, lawfulBasis: request.lawfulBasis })
            // Nothing is disclosed until the stream runs; its run records the manifest before its first entry.
            expect(yield* log.list(10)).toEqual([])
            const first = yield* Stream.runHead(made.entries)
            expect(first._tag).toBe("Some")
            expect(yield* log.list(10)).toEqual([made.manifest])
            // Each run of the stream is a disclosure of its own, with its own record.
            const entries = yield* Stream.runCollect(made.entries)
            expect([...entries].map((entry) => entry.caseId).sort()).toEqual(["case-export-1", "case-export-2"])
            expect(JSON.stringify([...entries])).not.toMatch(/"name"|"nik"/)
            // No version (which a child's 18th birthday moves alone) and no wake instant: CaseIndex.ExportedEntry.
            for (const entry of entries) {
              expect(Object.keys(entry)).not.toContain("version")
              expect(Object.keys(entry)).not.toContain("wakeAt")
            }
            expect(yield* log.list(10)).toEqual([made.manifest, made.manifest])
          })
        )
    )

    kit.test(
      "answers a child's 18th birthday that a Tick recorded only to those who may read the history (privacy review)",
      () =>
        padangService((people) =>
          Effect.gen(function* () {
            const cases = yield* CaseService.CaseService
            const kasi = Person.actorOf(people[0] as Person.Person, agencies[0] as Agency.Agency)
            const intake = Person.actorOf(people[1] as Person.Person, agencies[0] as Agency.Agency)
            const now = yield* DateTime.now
            // Reported two years ago at 17: 18 by now, and no scheduler has looked at the case yet.
            const report = (caseId: string): CaseService.Report => ({
              ...padangReport(caseId),
              ageAtReport: 17,
              occurredAt: DateTime.subtract(now, { days: 730 })
            })
            const tick = (caseId: CaseModel.CaseId) =>
              Schema.decodeUnknownSync(CaseCommand.Command)({ _tag: "Tick", caseId })
            const hidden = (yield* cases.register(intake, report("case-adult-1"))).state.id
            // The intake officer may check the deadlines of its agency's case, not read its history.
            const byIntake = yield* cases.execute(intake, tick(hidden))
            expect(byIntake.events.map((event) => event.type)).not.toContain("AdulthoodReached")
            // It is on the record all the same.
            const recorded = (yield* cases.history(kasi, hidden)).map((event) => event.type)
            expect(recorded).toContain("AdulthoodReached")
            expect(byIntake.state.version).toBe(recorded.length)
            const shown = (yield* cases.register(intake, report("case-adult-2"))).state.id
            const byKasi = yield* cases.execute(kasi, tick(shown))
            expect(byKasi.events.map((event) => event.type)).toContain("AdulthoodReached")
          })
        )
    )

    kit.test(
      "a referral recipient does not link the referred child to a case of its own: the identity would outlive the referral (access review)",
      () => {
        const people = [
          Person.make({ id: "kasi-padang", agency: "dinsos-13.71", role: "supervisor", position: "kasi" }),
          Person.make({ id: "intake-balikpapan", agency: "dinsos-64.71", role: "intake-officer" }),
          Person.make({ id: "kasi-balikpapan", agency: "dinsos-64.71", role: "supervisor", position: "kasi" })
        ]
        const snapshot = Result.getOrThrow(Directory.make(agencies, people))
        const [kasi, intake, balikpapanKasi] = people.map((person) =>
          Person.actorOf(person, snapshot.agencies.get(person.agency) as Agency.Agency)
        ) as [Actor.Actor, Actor.Actor, Actor.Actor]
        const command = Schema.decodeUnknownSync(CaseCommand.Command)
        return Effect.gen(function* () {
          const cases = yield* CaseService.CaseService
          const registered = yield* cases.register(kasi, padangReport("case-referred"), {
            identity: identityOf("Nama dirujuk contoh fiktif")
          })
          const caseId = registered.state.id
          const subject = registered.state.subject.id
          yield* cases.execute(
            kasi,
            command({ _tag: "RecordConsent", caseId, consent: "k1", givenBy: "mother", scope: ["identity"] })
          )
          yield* cases.execute(
            kasi,
            command({
              _tag: "RequestReferral",
              caseId,
              referral: "r1",
              to: "dinsos-64.71",
              purpose: "social-assistance",
              shares: ["identity"],
              legalBasis: { _tag: "consent", consent: "k1" }
            })
          )
          // The recipient reads the identity while the referral is live …
          yield* cases.readIdentity(balikpapanKasi, caseId, "assessment")
          // … but cannot make it its own: a report naming the subject answers as an unknown subject, and writes nothing.
          for (const actor of [intake, balikpapanKasi]) {
            const refused = yield* Effect.flip(
              cases.register(actor, inBalikpapan({ ...padangReport(`case-link-${actor.id}`), subject }))
            )
            expect(refused, actor.id).toMatchObject({ _tag: "SubjectNotFound" })
          }
          // A linked report under a case id that holds a NIK is refused before the link reaches the access trail.
          const nik = "3171012345678901"
          const trail = (yield* (yield* IdentityVault.IdentityVault).accesses(subject)).length
          const refused = yield* Effect.flip(cases.register(kasi, { ...padangReport(`case-${nik}`), subject }))
          expect(refused).toMatchObject({ _tag: "InvalidInput", field: "caseId", value: "(not shown)" })
          const after = yield* (yield* IdentityVault.IdentityVault).accesses(subject)
          expect(after.length).toBe(trail)
          expect(JSON.stringify(after)).not.toContain(nik)
          // The owner still erases the identity alone.
          yield* cases.eraseIdentity(kasi, caseId, "data-subject-request")
        }).pipe(Effect.provide(CaseService.layer().pipe(Layer.provide(Directory.layer(snapshot)))))
      }
    )

    kit.test("a replacement or an erasure without a declared purpose is recorded with core's default for it", () =>
      padangService((people) =>
        Effect.gen(function* () {
          const cases = yield* CaseService.CaseService
          const vault = yield* IdentityVault.IdentityVault
          const kasi = Person.actorOf(people[0] as Person.Person, agencies[0] as Agency.Agency)
          const intake = Person.actorOf(people[1] as Person.Person, agencies[0] as Agency.Agency)
          const registered = yield* cases.register(intake, padangReport("case-purposes"), {
            identity: identityOf("Anak contoh fiktif")
          })
          const caseId = registered.state.id
          yield* cases.replaceIdentity(kasi, caseId, identityOf("Anak contoh fiktif dua"))
          yield* cases.eraseIdentity(kasi, caseId)
          const trail = yield* vault.accesses(registered.state.subject.id)
          expect(trail.slice(-2).map((access) => [access.operation, access.purpose])).toEqual([
            ["replace", "identity-correction"],
            ["erase", "data-subject-request"]
          ])
        })
      )
    )

    kit.test("serves a replayed case only while the store's version is unchanged, whoever wrote since", () =>
      padangService((people) =>
        Effect.gen(function* () {
          const cases = yield* CaseService.CaseService
          // A second service over the same store: another process, or another server behind the same database.
          const other = yield* CaseService.make().pipe(
            Effect.provide(Directory.layer(Result.getOrThrow(Directory.make(agencies, people))))
          )
          const kasi = Person.actorOf(people[0] as Person.Person, agencies[0] as Agency.Agency)
          const intake = Person.actorOf(people[1] as Person.Person, agencies[0] as Agency.Agency)
          const caseId = (yield* cases.register(intake, padangReport("case-replayed"))).state.id
          expect((yield* cases.view(kasi, caseId)).summary).toMatchObject({ stage: "reported", version: 1 })
          expect((yield* cases.view(kasi, caseId)).summary.version).toBe(1)
          yield* other.execute(kasi, Schema.decodeUnknownSync(CaseCommand.Command)({ _tag: "StartOutreach", caseId }))
          expect((yield* cases.view(kasi, caseId)).summary).toMatchObject({ stage: "outreach", version: 2 })
          expect((yield* cases.history(kasi, caseId)).map((event) => event.version)).toEqual([1, 2])
        })
      )
    )

    kit.test("a retry is answered as the first attempt was, never with the case as it is now", () => {
      const people = [
        Person.make({ id: "kasi-padang", agency: "dinsos-13.71", role: "supervisor", position: "kasi" }),
        Person.make({ id: "intake-padang", agency: "dinsos-13.71", role: "intake-officer" }),
        Person.make({ id: "peksos-padang", agency: "dinsos-13.71", role: "caseworker" }),
        // The province's Dinas has no type configured: its Kadis accepts a transfer (its approving office).
        Person.make({ id: "kadis-sumbar", agency: "dinsos-13", role: "head-of-dinas", position: "kadis" })
      ]
      const snapshot = Result.getOrThrow(Directory.make(agencies, people))
      const [kasi, intake, peksos, kadis] = people.map((person) =>
        Person.actorOf(person, snapshot.agencies.get(person.agency) as Agency.Agency)
      ) as [Actor.Actor, Actor.Actor, Actor.Actor, Actor.Actor]
      const command = Schema.decodeUnknownSync(CaseCommand.Command)
      return Effect.gen(function* () {
        const cases = yield* CaseService.CaseService
        const report = padangReport("case-moved")
        const caseId = report.caseId
        const registered = yield* cases.register(intake, report, { idempotencyKey: "k-register" })
        yield* cases.execute(kasi, command({ _tag: "AssignCaseworker", caseId, caseworker: peksos.id }))
        const outreach = command({ _tag: "StartOutreach", caseId })
        yield* cases.execute(peksos, outreach, { idempotencyKey: "k-outreach" })
        // A retry is answered from the record, with the state its first attempt left: not the case as it is now.
        const retried = () =>
          Effect.all([
            cases.register(intake, report, { idempotencyKey: "k-register" }),
            cases.execute(peksos, outreach, { idempotencyKey: "k-outreach" })
          ])
        const asFirst = (outcomes: ReadonlyArray<CaseService.Outcome>) =>
          outcomes.map(({ replayed, state, events }) => [
            replayed,
            state.version,
            state.stage,
            events.map((event) => event.version)
          ])
        expect(asFirst(yield* retried())).toEqual([
          [true, 1, "reported", [1]],
          [true, 3, "outreach", [3]]
        ])
        // The case moves to the province's Dinas Sosial: Padang's intake officer and caseworker no longer read it.
        yield* cases.execute(
          kasi,
          command({
            _tag: "RequestTransfer",
            caseId,
            transfer: "transfer-1",
            to: "dinsos-13",
            reason: "A provincial panti",
            legalBasis: { _tag: "legal-obligation", provision: "UU 23/2014 lampiran huruf F" }
          })
        )
        yield* cases.execute(
          kadis,
          command({ _tag: "UpdateTransfer", caseId, transfer: "transfer-1", status: "accepted" })
        )
        for (const actor of [intake, peksos]) {
          expect(yield* Effect.flip(cases.view(actor, caseId)), actor.id).toMatchObject({ _tag: "CaseNotFound" })
        }
        // Their retries still say what their first attempts said (a retry never duplicates a write), and nothing of the
        // case since: neither its stage nor its version.
        expect(asFirst(yield* retried())).toEqual([
          [true, 1, "reported", [1]],
          [true, 3, "outreach", [3]]
        ])
        // Nothing was written by the retries.
        expect(registered.replayed).toBe(false)
        expect((yield* cases.view(kadis, caseId)).summary.version).toBe(5)
      }).pipe(Effect.provide(CaseService.layer().pipe(Layer.provide(Directory.layer(snapshot)))))
    })

    kit.test(
      "two agencies importing one subject at the same moment: one case holds it, with its own identity; the other is refused",
      () =>
        twoIntakes((padang, balikpapan) =>
          Effect.gen(function* () {
            const cases = yield* CaseService.CaseService
            const vault = yield* IdentityVault.IdentityVault
            const index = yield* CaseIndex.CaseIndex
            for (let round = 0; round < 8; round++) {
              const subject = Schema.decodeSync(Subject.SubjectId)(`subj-contested-${round}`)
              const fromBalikpapan = inBalikpapan(padangReport(`case-bpp-${round}`, subject))
              const outcomes = yield* together([
                cases.register(padang, padangReport(`case-pdg-${round}`, subject), {
                  migration: true,
                  identity: identityOf("Padang contoh fiktif")
                }),
                cases.register(balikpapan, fromBalikpapan, {
                  migration: true,
                  identity: identityOf("Balikpapan contoh fiktif")
                })
              ])
              const won = outcomes.flatMap((outcome, i) => (Result.isSuccess(outcome) ? [i] : []))
              expect(won.length, `round ${round}: exactly one import takes the subject`).toBe(1)
              // The other is answered as if it had come second: its agency reaches no case of the subject.
              const loser = outcomes[1 - (won[0] as number)] as Result.Result<unknown, { readonly _tag: string }>
              expect(Result.isFailure(loser) ? loser.failure._tag : "written").toBe("SubjectNotFound")
              const holders = yield* index.query({ filter: { subject }, limit: 10 })
              expect(holders.entries.map((entry) => entry.caseId)).toEqual([
                won[0] === 0 ? `case-pdg-${round}` : `case-bpp-${round}`
              ])
              expect(Redacted.value((yield* vault.get(subject)).name)).toBe(
                won[0] === 0 ? "Padang contoh fiktif" : "Balikpapan contoh fiktif"
              )
              const trail = yield* vault.accesses(subject)
              expect(trail.map((entry) => entry.operation)).toEqual(["store"])
            }
          })
        ),
      kit.capabilities.timeout ?? 60_000
    )

    kit.test("a migration never takes over an identity without a case, nor an erased one", () =>
      padangService((people) =>
        Effect.gen(function* () {
          const cases = yield* CaseService.CaseService
          const vault = yield* IdentityVault.IdentityVault
          const intake = Person.actorOf(people[1] as Person.Person, agencies[0] as Agency.Agency)
          const orphan = Schema.decodeSync(Subject.SubjectId)("subj-orphan")
          yield* vault.put(orphan, identityOf("Yatim contoh fiktif"))
          const refused = yield* Effect.flip(
            cases.register(intake, padangReport("case-orphan", "subj-orphan"), {
              migration: true,
              identity: identityOf("Pengganti contoh fiktif")
            })
          )
          expect(refused).toMatchObject({ _tag: "Forbidden", action: "import-subject" })
          expect(Redacted.value((yield* vault.get(orphan)).name)).toBe("Yatim contoh fiktif")
          // A new id is brought in, with its identity, and the store is on the trail.
          const brought = yield* cases.register(intake, padangReport("case-new", "subj-brought-in"), {
            migration: true,
            identity: identityOf("Baru contoh fiktif")
          })
          expect(brought.state.subject.id).toBe("subj-brought-in")
          const trail = yield* vault.accesses(Schema.decodeSync(Subject.SubjectId)("subj-brought-in"))
          expect(trail.map((entry) => [entry.operation, entry.purpose])).toEqual([["store", "registration"]])
        })
      )
    )

    kit.test(
      "no actor links, reads, replaces or erases an identity it cannot reach through a case (random scenarios)",
      () =>
        Effect.promise(() =>
          fc.assert(
            fc.asyncProperty(
              fc.array(personArb, { minLength: 1, maxLength: 8 }),
              fc.array(stepArb, { minLength: 6, maxLength: 30, size: "medium" }),
              async (raw, steps) => {
                // A few fixed people in every scenario (so that links and shared identities happen), then random ones.
                const fixed = [
                  { agency: 0, role: "supervisor" as const },
                  { agency: 0, role: "caseworker" as const },
                  { agency: 2, role: "supervisor" as const },
                  { agency: 1, role: "supervisor" as const }
                ]
                const people = [...fixed, ...raw].map((p, i) => personOf(`person-${i}`, p))
                const snapshot = Result.getOrThrow(Directory.make(agencies, people))
                await onFreshStore(kit, snapshot, scenario(people, steps))
              }
            ),
            serviceRunOptions(kit)
          )
        ),
      kit.capabilities.timeout ?? 60_000
    )
  })
