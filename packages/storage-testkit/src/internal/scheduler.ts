/**
 * The deadline scheduler over the adapter (SOP-11 by itself): a tinggi report nobody reaches is escalated to the
 * supervisor once its first-contact deadline has passed, and to the head of the Dinas once it is still overdue
 * `escalation.toHeadAfter` later — exactly once each, in the case's history; and two schedulers on one store (two
 * servers) never double an escalation. The clock is injected per step (each pass runs at a chosen instant).
 */
import {
  Agency,
  CalendarDate,
  CaseModel,
  CaseService,
  DeadlineScheduler,
  Directory,
  EventStore,
  Policy,
  Region
} from "@lindung/core"
import { DateTime, Duration, Effect, Layer, Schema } from "effect"
import { expect } from "vitest"
import { at, type Kit } from "./harness.js"
import { intake, kasi, snapshot, system } from "./padang.js"

/** A report the risk rules put at tinggi: sexual violence by someone who still has access to the child. */
const tinggiReport = (caseId: string): CaseService.Report => ({
  caseId: Schema.decodeSync(CaseModel.CaseId)(caseId),
  sex: "female",
  ageAtReport: 9,
  region: Region.decodeSync("13.71"),
  owner: Schema.decodeSync(Agency.AgencyId)("dinsos-13.71"),
  source: "school",
  concerns: ["sexual-violence", "perpetrator-has-access"]
})

const withService = <A, E, R>(body: Effect.Effect<A, E, R>) =>
  body.pipe(Effect.provide(CaseService.layer().pipe(Layer.provide(Directory.layer(snapshot)))))

const T0 = Date.parse("2026-03-02T01:00:00Z")
const MINUTE = 60_000

/** The escalations in a case's history, as `deadline→recipient@due` keys. */
const escalationsOf = (caseId: string) =>
  Effect.gen(function* () {
    const cases = yield* CaseService.CaseService
    const history = yield* at(T0 + 30 * 24 * 60 * MINUTE)(
      // The system actor may not read a history: the Dinas's supervisor does.
      cases.history(kasi, Schema.decodeSync(CaseModel.CaseId)(caseId))
    )
    return history.flatMap((event) =>
      event.payload._tag === "DeadlineEscalated"
        ? [`${event.payload.deadline}→${event.payload.escalatedTo}@${event.payload.dueAt.toJSON()}`]
        : []
    )
  })

export const schedulerTests = <R>(kit: Kit<R>): void =>
  kit.group("Deadline scheduler over the adapter", () => {
    kit.test("escalates an overdue tinggi case to the supervisor, then to the head of the Dinas, once each", () =>
      withService(
        Effect.gen(function* () {
          const cases = yield* CaseService.CaseService
          yield* at(T0)(cases.register(intake, tinggiReport("case-sched-1")))
          const due = T0 + Duration.toMillis(Policy.defaults.deadlines["first-contact"].tinggi)
          const firstContact = (keys: ReadonlyArray<string>) => keys.filter((key) => key.startsWith("first-contact→"))
          // Before the first-contact deadline: not escalated (the earlier alert of an unassigned case may be).
          const early = yield* at(due - MINUTE)(DeadlineScheduler.runOnce({ actor: system }))
          expect(early).toMatchObject({ checked: 1, failed: 0 })
          expect(firstContact(yield* escalationsOf("case-sched-1"))).toEqual([])
          // Past it: the supervisor is told, once.
          const first = yield* at(due + MINUTE)(DeadlineScheduler.runOnce({ actor: system }))
          expect(first).toMatchObject({ checked: 1, changed: 1, failed: 0 })
          const again = yield* at(due + 2 * MINUTE)(DeadlineScheduler.runOnce({ actor: system }))
          expect(again).toMatchObject({ changed: 0, events: 0 })
          expect(firstContact(yield* escalationsOf("case-sched-1"))).toEqual([
            `first-contact→supervisor@${new Date(due).toISOString()}`
          ])
          // Still overdue `toHeadAfter` later: the head of the Dinas, once.
          const head = due + Duration.toMillis(Policy.defaults.escalation.toHeadAfter)
          yield* at(head + MINUTE)(DeadlineScheduler.runOnce({ actor: system }))
          yield* at(head + 2 * MINUTE)(DeadlineScheduler.runOnce({ actor: system }))
          const all = yield* escalationsOf("case-sched-1")
          expect(firstContact(all)).toEqual([
            `first-contact→supervisor@${new Date(due).toISOString()}`,
            `first-contact→head-of-dinas@${new Date(due).toISOString()}`
          ])
          expect(new Set(all).size).toBe(all.length)
        })
      )
    )

    kit.test("two schedulers on one store, at once, never double an escalation", () =>
      withService(
        Effect.gen(function* () {
          const cases = yield* CaseService.CaseService
          const ids = Array.from({ length: 12 }, (_, i) => `case-sched-pair-${i}`)
          for (const id of ids) yield* at(T0)(cases.register(intake, tinggiReport(id)))
          const due = T0 + Duration.toMillis(Policy.defaults.deadlines["first-contact"].tinggi)
          const head = due + Duration.toMillis(Policy.defaults.escalation.toHeadAfter)
          for (const instant of [due + MINUTE, head + MINUTE]) {
            // Two servers' schedulers, each with small pages and several ticks at once, over the same cases.
            const passes = yield* Effect.all(
              [
                at(instant)(DeadlineScheduler.runOnce({ actor: system, batchSize: 5, concurrency: 3 })),
                at(instant)(DeadlineScheduler.runOnce({ actor: system, batchSize: 4, concurrency: 2 }))
              ],
              { concurrency: 2 }
            )
            expect(passes.every((pass) => pass.failed === 0)).toBe(true)
          }
          for (const id of ids) {
            const escalations = yield* escalationsOf(id)
            expect(new Set(escalations).size, id).toBe(escalations.length)
            expect(
              escalations.filter((key) => key.startsWith("first-contact→")),
              id
            ).toHaveLength(2)
          }
        })
      )
    )

    kit.test("records a child's 18th birthday by itself, though no deadline is overdue (SOP-09)", () =>
      withService(
        Effect.gen(function* () {
          const cases = yield* CaseService.CaseService
          const caseId = Schema.decodeSync(CaseModel.CaseId)("case-sched-birthday")
          // 17 at the report; 18 on 4 March 2026, which begins at 17:00 UTC the day before in Padang (WIB).
          yield* at(T0)(
            cases.register(intake, {
              caseId,
              sex: "male",
              birthDate: CalendarDate.decodeSync("2008-03-04"),
              region: Region.decodeSync("13.71"),
              owner: Schema.decodeSync(Agency.AgencyId)("dinsos-13.71"),
              source: "school",
              concerns: ["out-of-school"]
            })
          )
          // A caseworker at once: the only deadline left is the first contact, days after the birthday.
          yield* at(T0 + 10 * MINUTE)(cases.execute(kasi, { _tag: "AssignCaseworker", caseId, caseworker: kasi.id }))
          const birthday = Date.parse("2026-03-03T17:00:00Z")
          const listed = (instant: number) =>
            Effect.map(
              at(instant)(
                cases.list(system, { filter: { wakeBefore: DateTime.makeUnsafe(instant) }, limit: 10 }, "list-due")
              ),
              (page) => page.entries.map((entry) => entry.caseId)
            )
          expect(yield* listed(birthday - MINUTE)).toEqual([])
          expect(yield* listed(birthday + MINUTE)).toEqual([caseId])
          // The birthday is the scheduler's alone: a supervisor's list shows the first-contact deadline as due, no
          // wake-up instant, and the case is not overdue before that deadline; a list by wake-up instant is refused.
          const seen = yield* at(birthday + MINUTE)(cases.list(kasi, { limit: 10 }))
          expect(seen.entries.map((entry) => [entry.caseId, "wakeAt" in entry])).toEqual([[caseId, false]])
          expect(DateTime.toEpochMillis(seen.entries[0]?.nextDueAt as DateTime.Utc)).toBeGreaterThan(birthday + MINUTE)
          const overdue = yield* at(birthday + MINUTE)(
            cases.list(kasi, { filter: { dueBefore: DateTime.makeUnsafe(birthday + MINUTE) }, limit: 10 })
          )
          expect(overdue.entries).toEqual([])
          const byWake = yield* Effect.flip(
            at(birthday + MINUTE)(
              cases.list(kasi, { filter: { wakeBefore: DateTime.makeUnsafe(birthday + MINUTE) }, limit: 10 })
            )
          )
          expect(byWake).toMatchObject({ _tag: "Forbidden" })

          yield* at(birthday + MINUTE)(DeadlineScheduler.runOnce({ actor: system }))
          const history = yield* at(birthday + 2 * MINUTE)(cases.history(kasi, caseId))
          expect(history.filter((event) => event.payload._tag === "AdulthoodReached").map((e) => e.payload)).toEqual([
            { _tag: "AdulthoodReached", on: "2026-03-04" }
          ])
          // Recorded: the case is due again only at its first-contact deadline.
          expect(yield* listed(birthday + 2 * MINUTE)).toEqual([])
          // A case service that replayed the case reads it again from its cache after the birthday too (the index's
          // last update is the state's, which the birthday did not move): the second view loads no event.
          const loads = { count: 0 }
          const counted = Layer.effect(EventStore.EventStore)(
            Effect.gen(function* () {
              const store = yield* EventStore.EventStore
              return EventStore.EventStore.of({
                ...store,
                load: (id) =>
                  Effect.andThen(
                    Effect.sync(() => loads.count++),
                    store.load(id)
                  )
              })
            })
          )
          yield* Effect.gen(function* () {
            const fresh = yield* CaseService.CaseService
            yield* at(birthday + 2 * MINUTE)(fresh.view(kasi, caseId))
            const first = loads.count
            expect(first).toBeGreaterThan(0)
            yield* at(birthday + 2 * MINUTE)(fresh.view(kasi, caseId))
            expect(loads.count, "the second view is answered from the replay cache").toBe(first)
          }).pipe(
            Effect.provide(CaseService.layer().pipe(Layer.provide(Directory.layer(snapshot)), Layer.provide(counted)))
          )
        })
      )
    )

    kit.test("the system actor only lists what is due and ticks: it may not read, list or act otherwise", () =>
      withService(
        Effect.gen(function* () {
          const cases = yield* CaseService.CaseService
          yield* at(T0)(cases.register(intake, tinggiReport("case-sched-scope")))
          const caseId = Schema.decodeSync(CaseModel.CaseId)("case-sched-scope")
          // Refused (a case it may not read is not found, as for anyone who may not read it).
          const refused = ["Forbidden", "CaseNotFound"]
          expect(refused).toContain((yield* Effect.flip(cases.view(system, caseId)))._tag)
          expect((yield* Effect.flip(cases.list(system, { limit: 10 })))._tag).toBe("Forbidden")
          expect(refused).toContain((yield* Effect.flip(cases.execute(system, { _tag: "StartOutreach", caseId })))._tag)
          // What it may list: the cases with a deadline that has passed.
          const later = T0 + 400 * 24 * 60 * MINUTE
          const due = yield* at(later)(
            cases.list(system, { filter: { wakeBefore: DateTime.makeUnsafe(later) }, limit: 10 }, "list-due")
          )
          expect(due.entries.map((entry) => entry.caseId)).toEqual(["case-sched-scope"])
        })
      )
    )
  })
