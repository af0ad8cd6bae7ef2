/**
 * Core's bulk import (`CaseService.importReports`) over the adapter: it rests on `EventStore.appendAll` (one atomic
 * write), the subject filter (a subject that already has a case is refused) and the identity vault (an id that
 * holds an identity without a case is refused). Examples, and two fast-check properties: one whose oracle is core's
 * pure `Access.authorize` and `Decider.decide` (an import is written whole when every report passes them, and is
 * refused at the first report that does not, with nothing written); one over random holdings of two agencies (the
 * dry run names only what the importer's own agency holds, the import what any agency holds).
 */
import {
  Access,
  type Agency,
  Case,
  CaseIndex,
  CaseModel,
  CaseService,
  Decider,
  Directory,
  EventStore,
  IdentityVault,
  Person,
  Policy,
  Region,
  Subject
} from "@lindung/core"
import { DateTime, Effect, Layer, Result, Schema } from "effect"
import * as fc from "fast-check"
import { expect } from "vitest"
import { eventJson, type Kit, readAll } from "./harness.js"
import { together } from "./race.js"
import {
  agencies,
  identityOf,
  inBalikpapan,
  onFreshStore,
  padangReport,
  padangService,
  personArb,
  personOf,
  serviceRunOptions,
  twoIntakes
} from "./service.js"

const subjectId = (id: string) => Schema.decodeSync(Subject.SubjectId)(id)

/** A report of a new subject (its id given, as an import brings it). */
const item = (caseId: string, subject: string, key?: string): CaseService.ImportItem => ({
  report: { ...padangReport(caseId), subject: subjectId(subject) },
  ...(key === undefined ? {} : { idempotencyKey: key })
})

/** The example tests and the property of `importReports`. */
export const importTests = <R>(kit: Kit<R>): void =>
  kit.group("Case service: bulk import", () => {
    kit.test("an import registers every report in one write, as register would; a re-run replays it", () =>
      padangService((people) =>
        Effect.gen(function* () {
          const cases = yield* CaseService.CaseService
          const store = yield* EventStore.EventStore
          const index = yield* CaseIndex.CaseIndex
          const intake = Person.actorOf(people[1] as Person.Person, agencies[0] as Agency.Agency)
          const kasi = Person.actorOf(people[0] as Person.Person, agencies[0] as Agency.Agency)
          const items = [1, 2, 3].map((n) => item(`imp-${n}`, `subj-imp-${n}`, `line-${n}`))
          const results = yield* cases.importReports(intake, items)
          expect(results).toEqual(
            items.map(({ report }) => ({ caseId: report.caseId, subject: report.subject, version: 1, replayed: false }))
          )
          for (const { report } of items) {
            const view = yield* cases.view(kasi, report.caseId)
            expect(view.summary).toMatchObject({ stage: "reported", version: 1, region: "13.71" })
            const found = yield* index.query({ filter: { subject: report.subject }, limit: 10 })
            expect(found.entries.map((entry) => entry.caseId)).toEqual([report.caseId])
          }
          // The same events as register (with migration) writes, up to ids and instants.
          const registered = yield* cases.register(
            intake,
            { ...padangReport("reg-1"), subject: subjectId("subj-reg-1") },
            { migration: true }
          )
          const [imported] = yield* store.load(Schema.decodeSync(CaseModel.CaseId)("imp-1"))
          const strip = (json: string) => {
            const { eventId, caseId, recordedAt, occurredAt, payload, ...rest } = JSON.parse(json)
            const { subject, ...fields } = payload
            return { ...rest, payload: fields }
          }
          expect(strip(eventJson(imported as never))).toEqual(strip(eventJson(registered.events[0] as never)))
          // A re-run with the same keys: every report replays, nothing is written.
          const before = (yield* readAll(store)).length
          expect(yield* cases.importReports(intake, items)).toEqual(results.map((r) => ({ ...r, replayed: true })))
          expect((yield* readAll(store)).length).toBe(before)
        })
      )
    )

    kit.test(
      "imports racing for one subject: exactly one writes it, the other is refused whole with import-subject",
      () =>
        twoIntakes((padang, balikpapan) =>
          Effect.gen(function* () {
            const cases = yield* CaseService.CaseService
            const index = yield* CaseIndex.CaseIndex
            for (let round = 0; round < 8; round++) {
              const contested = `subj-raced-${round}`
              const outcomes = yield* together([
                cases.importReports(padang, [
                  item(`pdg-own-${round}`, `subj-pdg-${round}`),
                  item(`pdg-${round}`, contested)
                ]),
                cases.importReports(balikpapan, [{ report: inBalikpapan(item(`bpp-${round}`, contested).report) }])
              ])
              const won = outcomes.flatMap((outcome, i) => (Result.isSuccess(outcome) ? [i] : []))
              expect(won.length, `round ${round}: exactly one import is written`).toBe(1)
              const lost = outcomes[1 - (won[0] as number)]
              expect(lost !== undefined && Result.isFailure(lost) ? lost.failure : undefined).toMatchObject({
                _tag: "ImportRefused",
                reason: { _tag: "Forbidden", action: "import-subject" }
              })
              const holders = yield* index.query({ filter: { subject: subjectId(contested) }, limit: 10 })
              expect(holders.entries.map((entry) => entry.caseId)).toEqual([
                won[0] === 0 ? `pdg-${round}` : `bpp-${round}`
              ])
              // Refused whole: Padang's other report is written only with its import.
              const own = yield* index.query({ filter: { subject: subjectId(`subj-pdg-${round}`) }, limit: 10 })
              expect(own.entries.length).toBe(won[0] === 0 ? 1 : 0)
            }
          })
        ),
      kit.capabilities.timeout ?? 60_000
    )

    kit.test("an import is refused whole at the first refused report, and nothing is written", () =>
      padangService((people) =>
        Effect.gen(function* () {
          const cases = yield* CaseService.CaseService
          const store = yield* EventStore.EventStore
          const vault = yield* IdentityVault.IdentityVault
          const intake = Person.actorOf(people[1] as Person.Person, agencies[0] as Agency.Agency)
          yield* cases.register(
            intake,
            { ...padangReport("taken"), subject: subjectId("subj-taken") },
            { migration: true }
          )
          yield* vault.put(subjectId("subj-orphan"), identityOf("Yatim contoh fiktif"))
          // A key used by an earlier import (a key is "used" once written).
          yield* cases.importReports(intake, [item("keyed", "subj-keyed", "used-key")])
          const before = yield* readAll(store)
          const good = (n: number, key?: string) => item(`good-${n}`, `subj-good-${n}`, key)
          const decidedAgainst = {
            report: { ...item("late", "subj-late").report, birthDate: "2199-01-01" as never }
          } satisfies CaseService.ImportItem
          // [why, the reports, the place of the refused one, its refusal]
          const refusals: ReadonlyArray<
            readonly [string, ReadonlyArray<CaseService.ImportItem>, number, Record<string, unknown>]
          > = [
            [
              "a subject that already has a case",
              [good(1), item("new-1", "subj-taken"), good(2)],
              1,
              { _tag: "Forbidden", action: "import-subject" }
            ],
            [
              "an id with an identity but no case",
              [item("new-2", "subj-orphan"), good(1)],
              0,
              { _tag: "Forbidden", action: "import-subject" }
            ],
            [
              "a case id that is taken",
              [good(1), item("taken", "subj-new-3"), good(2)],
              1,
              { _tag: "CaseAlreadyExists", caseId: "taken" }
            ],
            [
              // No id is looked up while any report is refused without storage: the refusal tells nothing of ids.
              "a case id that is taken, before a report the decider refuses",
              [good(1), item("taken", "subj-new-3"), decidedAgainst],
              2,
              { _tag: "InvalidInput", field: "birthDate" }
            ],
            [
              "a region the actor's agency does not serve",
              [
                good(1),
                good(2),
                { report: { ...item("new-4", "subj-new-4").report, region: Region.decodeSync("64.71") } }
              ],
              2,
              { _tag: "Forbidden", action: "import-subject" }
            ],
            [
              "a birth date after the report (the decider)",
              [decidedAgainst, good(1)],
              0,
              { _tag: "InvalidInput", field: "birthDate" }
            ],
            [
              "the same case twice",
              [good(1), good(2), item("good-1", "subj-other")],
              2,
              { _tag: "InvalidInput", field: "caseId" }
            ],
            [
              "the same subject twice",
              [good(1), item("new-6", "subj-good-1")],
              1,
              { _tag: "InvalidInput", field: "subject" }
            ],
            [
              "the same key for two reports",
              [good(1, "twice"), good(2, "twice")],
              1,
              { _tag: "InvalidInput", field: "idempotencyKey", value: "(not shown)" }
            ],
            [
              "a key an earlier import used for another report",
              [good(1), item("new-7", "subj-new-7", "used-key")],
              1,
              { _tag: "IdempotencyKeyReused", key: "used-key", caseId: "keyed" }
            ]
          ]
          for (const [why, items, index, reason] of refusals) {
            // The check alone names every refused report, the first one as the import does, and writes nothing —
            // but an identity without a case, which no agency of the actor's holds, only the import finds.
            const checked = yield* cases.checkImport(intake, items)
            if (why === "an id with an identity but no case") expect(checked, why).toEqual([])
            else expect(checked[0], why).toMatchObject({ _tag: "ImportRefused", index, reason })
            expect((yield* readAll(store)).length, why).toBe(before.length)
            const error = yield* Effect.flip(cases.importReports(intake, items))
            expect(error, why).toMatchObject({ _tag: "ImportRefused", index, caseId: items[index]?.report.caseId })
            if (error._tag === "ImportRefused") expect(error.reason, why).toMatchObject(reason)
            expect((yield* readAll(store)).length, why).toBe(before.length)
          }
          // Every refused report, in order: the taken case id and the subject held, once every report is valid.
          const both = yield* cases.checkImport(intake, [
            good(1),
            item("taken", "subj-new-3"),
            item("new-8", "subj-taken")
          ])
          expect(both.map((refusal) => [refusal.index, refusal.reason._tag])).toEqual([
            [1, "CaseAlreadyExists"],
            [2, "Forbidden"]
          ])
          // An import the check accepts has nothing to say.
          expect(yield* cases.checkImport(intake, [good(1), good(2)])).toEqual([])
          expect((yield* readAll(store)).length).toBe(before.length)
          // No report, or more than one call may hold.
          for (const items of [
            [],
            Array.from({ length: EventStore.MAX_APPEND_ALL + 1 }, (_, i) => item(`x-${i}`, `subj-x-${i}`))
          ]) {
            expect(yield* Effect.flip(cases.importReports(intake, items))).toMatchObject({
              _tag: "InvalidInput",
              field: "reports"
            })
          }
        })
      )
    )

    kit.test(
      "an import's dry run tells nothing of another agency's cases, and a probe by import needs a valid report (access review)",
      () =>
        twoIntakes((padang, balikpapan) =>
          Effect.gen(function* () {
            const cases = yield* CaseService.CaseService
            const store = yield* EventStore.EventStore
            yield* cases.register(
              padang,
              { ...padangReport("pdg-held"), subject: subjectId("subj-held") },
              { migration: true }
            )
            const before = (yield* readAll(store)).length
            const probes: ReadonlyArray<CaseService.ImportItem> = [
              { report: inBalikpapan(item("pdg-held", "subj-free").report) },
              { report: inBalikpapan(item("bpp-new", "subj-held").report) }
            ]
            // The dry run answers as for free ids: it leaves no record, so it tells only what Balikpapan holds.
            for (const probe of probes) {
              expect(yield* cases.checkImport(balikpapan, [probe])).toEqual([])
              expect(yield* cases.checkImport(balikpapan, [probe])).toEqual(
                yield* cases.checkImport(balikpapan, [{ report: inBalikpapan(item("bpp-free", "subj-free-2").report) }])
              )
            }
            // A report repeated in the import is refused for that, whether its ids are taken or not (review finding).
            for (const probe of probes) {
              const refused = yield* Effect.flip(cases.importReports(balikpapan, [probe, probe]))
              expect(refused).toMatchObject({ _tag: "ImportRefused", index: 1, reason: { _tag: "InvalidInput" } })
            }
            // A report the decider refuses is refused for that, whether its ids are taken or not.
            for (const probe of probes) {
              const invalid = { report: { ...probe.report, birthDate: "2199-01-01" as never } }
              const refused = yield* Effect.flip(cases.importReports(balikpapan, [invalid]))
              expect(refused).toMatchObject({
                _tag: "ImportRefused",
                reason: { _tag: "InvalidInput", field: "birthDate" }
              })
            }
            expect((yield* readAll(store)).length).toBe(before)
            // Padang's own dry run still names what Padang holds.
            const own = yield* cases.checkImport(padang, [item("pdg-held", "subj-other")])
            expect(own.map((refusal) => refusal.reason._tag)).toEqual(["CaseAlreadyExists"])
          })
        )
    )

    kit.test(
      "an import's dry run names only what the actor's own agency holds; the import finds what any agency holds (random)",
      () =>
        Effect.promise(() =>
          fc.assert(
            fc.asyncProperty(
              // Cases held before the import, each of its own subject: Kota Padang's (the importer's) or Balikpapan's.
              fc.uniqueArray(fc.record({ subject: fc.nat(5), own: fc.boolean() }), {
                selector: (held) => held.subject,
                maxLength: 5
              }),
              // The import's reports: case ids and subjects drawn from the held ones and from free ones.
              fc.array(fc.record({ case: fc.nat(6), subject: fc.nat(6) }), { minLength: 1, maxLength: 4 }),
              async (heldDrawn, drawn) => {
                const held = heldDrawn.map((h, i) => ({
                  caseId: `held-${i}`,
                  subject: `subj-${h.subject}`,
                  own: h.own
                }))
                const items = drawn.map((d) => item(`held-${d.case}`, `subj-${d.subject}`))
                await Effect.runPromise(
                  twoIntakes((padang, balikpapan) =>
                    Effect.gen(function* () {
                      const cases = yield* CaseService.CaseService
                      const store = yield* EventStore.EventStore
                      for (const h of held) {
                        const report = { ...padangReport(h.caseId), subject: subjectId(h.subject) }
                        yield* cases.register(h.own ? padang : balikpapan, h.own ? report : inBalikpapan(report), {
                          migration: true
                        })
                      }
                      const before = (yield* readAll(store)).length
                      // The model: a report repeating an earlier one's case id or subject is refused for that, and
                      // then no id is looked up; else a report is refused for what Padang holds, its subject first.
                      const expected = (shown: (h: (typeof held)[number]) => boolean) => {
                        const seen = { cases: new Set<string>(), subjects: new Set<string>() }
                        const twice = items.map(({ report }) => {
                          const again = seen.cases.has(report.caseId) || seen.subjects.has(report.subject)
                          seen.cases.add(report.caseId)
                          seen.subjects.add(report.subject)
                          return again
                        })
                        const lookUp = !twice.includes(true)
                        return items.flatMap(({ report }, index) => {
                          if (twice[index]) return [{ index, tag: "InvalidInput" }]
                          if (!lookUp) return []
                          const visible = held.filter(shown)
                          if (visible.some((h) => h.subject === report.subject)) return [{ index, tag: "Forbidden" }]
                          if (visible.some((h) => h.caseId === report.caseId)) {
                            return [{ index, tag: "CaseAlreadyExists" }]
                          }
                          return []
                        })
                      }
                      const tags = (refusals: ReadonlyArray<CaseService.ImportRefused>) =>
                        refusals.map((refusal) => ({ index: refusal.index, tag: refusal.reason._tag }))
                      const dry = yield* cases.checkImport(padang, items)
                      expect(tags(dry)).toEqual(expected((h) => h.own))
                      expect((yield* readAll(store)).length).toBe(before)
                      // The import itself is refused at the first report whose ids any agency holds.
                      const all = expected(() => true)
                      const outcome = yield* Effect.result(cases.importReports(padang, items))
                      if (all.length === 0) {
                        expect(Result.isSuccess(outcome)).toBe(true)
                        expect((yield* readAll(store)).length).toBe(before + items.length)
                      } else {
                        const refused = Result.isFailure(outcome) ? outcome.failure : undefined
                        expect(refused).toMatchObject({ _tag: "ImportRefused", index: all[0]?.index })
                        expect(refused?._tag === "ImportRefused" ? refused.reason._tag : undefined).toBe(all[0]?.tag)
                        expect((yield* readAll(store)).length).toBe(before)
                      }
                    })
                  ).pipe(Effect.provide(Layer.fresh(kit.makeLayer())), Effect.orDie) as Effect.Effect<void>
                )
              }
            ),
            serviceRunOptions(kit)
          )
        ),
      kit.capabilities.timeout ?? 60_000
    )

    kit.test(
      "an import is written whole when access and the decider accept every report, else refused at the first (random)",
      () =>
        Effect.promise(() =>
          fc.assert(
            fc.asyncProperty(
              // Mostly someone who may import for Kota Padang, and mostly reports it may import, so that imports
              // are written whole as often as they are refused, at every place.
              fc.oneof(
                { weight: 3, arbitrary: fc.constant({ agency: 0, role: "intake-officer" as const }) },
                { weight: 1, arbitrary: fc.constant({ agency: 0, role: "supervisor" as const }) },
                { weight: 2, arbitrary: personArb }
              ),
              fc.array(
                fc.record({
                  region: fc.oneof(
                    { weight: 8, arbitrary: fc.constantFrom("13.71", "13.71.01") },
                    { weight: 1, arbitrary: fc.constantFrom("13", "64.71", "13.05") }
                  ),
                  owner: fc.oneof(
                    { weight: 8, arbitrary: fc.constant(0) },
                    { weight: 1, arbitrary: fc.constantFrom(1, 2, 3) }
                  ),
                  age: fc.option(fc.nat(25), { nil: undefined })
                }),
                { minLength: 1, maxLength: 6 }
              ),
              async (who, drawn) => {
                const person = personOf("importer", who)
                const snapshot = Result.getOrThrow(Directory.make(agencies, [person]))
                const actor = Person.actorOf(person, agencies[who.agency] as Agency.Agency)
                const items = drawn.map(
                  (d, i): CaseService.ImportItem => ({
                    report: {
                      ...padangReport(`rand-${i}`),
                      subject: subjectId(`subj-rand-${i}`),
                      region: Region.decodeSync(d.region),
                      owner: (agencies[d.owner] as Agency.Agency).id,
                      ...(d.age === undefined ? {} : { ageAtReport: d.age })
                    }
                  })
                )
                await onFreshStore(
                  kit,
                  snapshot,
                  Effect.gen(function* () {
                    const store = yield* EventStore.EventStore
                    const now = yield* DateTime.now
                    // The oracle: the reports that Access or the decider refuses (subjects are all new).
                    const refuses = ({ report }: CaseService.ImportItem) => {
                      const allowed = Access.authorize(actor, "import-subject", Case.initialState, {
                        registering: { region: report.region, owner: report.owner }
                      })
                      if (Result.isFailure(allowed)) return true
                      const decided = Decider.decide(
                        Case.initialState,
                        { ...report, _tag: "RegisterReport" },
                        { now, actor, agencies: snapshot.agencies, people: snapshot.people, policy: Policy.defaults }
                      )
                      return Result.isFailure(decided)
                    }
                    const refusedAt = items.findIndex(refuses)
                    const cases = yield* CaseService.CaseService
                    // The check alone names every refused report, in order, and writes nothing.
                    const checked = yield* cases.checkImport(actor, items)
                    expect(checked.map((refusal) => refusal.index)).toEqual(
                      items.flatMap((item, index) => (refuses(item) ? [index] : []))
                    )
                    expect(yield* readAll(store)).toEqual([])
                    const outcome = yield* Effect.result(cases.importReports(actor, items))
                    const written = yield* readAll(store)
                    if (refusedAt < 0) {
                      expect(
                        Result.isSuccess(outcome),
                        JSON.stringify(Result.isFailure(outcome) ? outcome.failure : {})
                      ).toBe(true)
                      expect(new Set(written.map((e) => e.event.caseId))).toEqual(
                        new Set(items.map((i) => i.report.caseId))
                      )
                    } else {
                      expect(Result.isFailure(outcome) ? outcome.failure : outcome.success).toMatchObject({
                        _tag: "ImportRefused",
                        index: refusedAt
                      })
                      expect(written).toEqual([])
                    }
                  })
                )
              }
            ),
            serviceRunOptions(kit)
          )
        ),
      kit.capabilities.timeout ?? 60_000
    )
  })
