/**
 * The deadline scheduler over the adapter (SOP-11 by itself): a tinggi report nobody reaches is escalated to the
 * supervisor once its first-contact deadline has passed, and to the head of the Dinas once it is still overdue
 * `escalation.toHeadAfter` later — exactly once each, in the case's history; and two schedulers on one store (two
 * servers) never double an escalation. The clock is injected per step (each pass runs at a chosen instant).
 */
import {
  type Actor,
  Agency,
  CalendarDate,
  CaseModel,
  CaseService,
  DeadlineScheduler,
  Directory,
  EventStore,
  Person,
  Policy,
  Region
} from "@lindung/core"
import { DateTime, Duration, Effect, Layer, Result, Schema } from "effect"
import { expect } from "vitest"
import { at, type Kit } from "./harness.js"
import { intake, kasi, snapshot, system } from "./padang.js"
import { agencies } from "./service.js"

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

const withService = <A, E, R>(body: Effect.Effect<A, E, R>, policy?: Policy.Policy) =>
  body.pipe(
    Effect.provide(
      CaseService.layer(policy === undefined ? {} : { policy }).pipe(Layer.provide(Directory.layer(snapshot)))
    )
  )

/** The default policy with another first-contact deadline for tinggi cases (a deployment changing its policy). */
const firstContactTinggi = (hours: number): Policy.Policy =>
  Policy.make({
    deadlines: {
      ...Policy.defaults.deadlines,
      "first-contact": { ...Policy.defaults.deadlines["first-contact"], tinggi: Duration.hours(hours) }
    }
  })

/** A tinggi report, registered and given a caseworker at once (its first deadline is then the first contact). */
const assignedTinggi = (id: string) =>
  Effect.gen(function* () {
    const cases = yield* CaseService.CaseService
    const caseId = Schema.decodeSync(CaseModel.CaseId)(id)
    yield* at(T0)(cases.register(intake, tinggiReport(id)))
    yield* at(T0 + MINUTE)(cases.execute(kasi, { _tag: "AssignCaseworker", caseId, caseworker: kasi.id }))
    return caseId
  })

/** A caseworker of the Padang Dinas, and the directory with that person in a given role. */
const worker = Person.make({ id: "peksos-padang", agency: "dinsos-13.71", role: "caseworker" })
const withWorker = (role: Actor.Role) =>
  Result.getOrThrow(Directory.make(agencies, [...snapshot.people.values()].flat().concat({ ...worker, role })))

const HOUR = 60 * 60_000

/** The adapter's event store with its loads and due refreshes counted into `calls`. */
const counting = (calls: { load: number; refreshDue: number }) =>
  Layer.effect(EventStore.EventStore)(
    Effect.map(EventStore.EventStore, (store) =>
      EventStore.EventStore.of({
        ...store,
        load: (id) =>
          Effect.andThen(
            Effect.sync(() => calls.load++),
            store.load(id)
          ),
        refreshDue: (refresh) =>
          Effect.andThen(
            Effect.sync(() => calls.refreshDue++),
            store.refreshDue(refresh)
          )
      })
    )
  )

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
          // Every escalation recorded: the case is still overdue (and counted so), but no pass ticks it again.
          const after = yield* at(head + 2 * MINUTE)(DeadlineScheduler.runOnce({ actor: system }))
          expect(after).toMatchObject({ checked: 0, overdue: [{ risk: "unassessed", province: "13", cases: 1 }] })
          const all = yield* escalationsOf("case-sched-1")
          expect(firstContact(all)).toEqual([
            `first-contact→supervisor@${new Date(due).toISOString()}`,
            `first-contact→head-of-dinas@${new Date(due).toISOString()}`
          ])
          expect(new Set(all).size).toBe(all.length)
        })
      )
    )

    kit.test(
      "ends the assignment of a caseworker the reloaded directory makes an intake officer; the unassigned alert follows",
      () =>
        Effect.gen(function* () {
          const directory = yield* Directory.makeReloadable(withWorker("caseworker"))
          yield* Effect.gen(function* () {
            const cases = yield* CaseService.CaseService
            const caseId = Schema.decodeSync(CaseModel.CaseId)("case-sched-left")
            yield* at(T0)(cases.register(intake, tinggiReport(caseId)))
            yield* at(T0 + MINUTE)(cases.execute(kasi, { _tag: "AssignCaseworker", caseId, caseworker: worker.id }))
            const assigned = () =>
              Effect.map(at(T0 + 2 * MINUTE)(cases.view(kasi, caseId)), (view) => view.work?.assigned)
            // The directory still lists the caseworker: a pass ends nothing.
            const kept = yield* at(T0 + 2 * MINUTE)(DeadlineScheduler.runOnce({ actor: system }))
            expect(kept).toMatchObject({ changed: 0, failed: 0 })
            expect(yield* assigned()).toEqual([worker.id])
            expect(yield* cases.staleAssignments(system)).toEqual([])
            // Looking for them is the scheduler's alone.
            expect(yield* Effect.flip(cases.staleAssignments(kasi))).toMatchObject({
              _tag: "Forbidden",
              action: "release-assignments"
            })
            // Made an intake officer: the next pass ends the assignment, once.
            yield* directory.reload(withWorker("intake-officer"))
            expect(yield* cases.staleAssignments(system)).toEqual([caseId])
            const released = yield* at(T0 + 3 * MINUTE)(DeadlineScheduler.runOnce({ actor: system }))
            expect(released).toMatchObject({ checked: 1, changed: 1, events: 1, failed: 0 })
            expect(yield* assigned()).toEqual([])
            const history = yield* at(T0 + 4 * MINUTE)(cases.history(kasi, caseId))
            expect(history.at(-1)).toMatchObject({
              type: "CaseworkerUnassigned",
              actor: { id: system.id },
              rules: ["SOP-07"],
              payload: { caseworker: worker.id }
            })
            expect(yield* cases.staleAssignments(system)).toEqual([])
            // The case has nobody: its unassigned alert (tinggi: an hour) counts from the release, and escalates.
            const alert = T0 + 3 * MINUTE + Duration.toMillis(Policy.defaults.deadlines["unassigned-alert"].tinggi)
            yield* at(alert + MINUTE)(DeadlineScheduler.runOnce({ actor: system }))
            expect(yield* escalationsOf(caseId)).toContain(
              `unassigned-alert→supervisor@${new Date(alert).toISOString()}`
            )
          }).pipe(
            Effect.provide(
              CaseService.layer().pipe(Layer.provide(Layer.succeed(Directory.Directory, directory.service)))
            )
          )
        })
    )

    kit.test(
      "an assignment a server made on a directory it had not reloaded is found once staleRecheckMs has passed",
      () =>
        Effect.gen(function* () {
          const recheck = 10 * MINUTE
          const onServerNotReloaded = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
            effect.pipe(
              Effect.provide(CaseService.layer().pipe(Layer.provide(Directory.layer(withWorker("caseworker")))))
            )
          yield* Effect.gen(function* () {
            const cases = yield* CaseService.CaseService
            const caseId = Schema.decodeSync(CaseModel.CaseId)("case-sched-stale")
            yield* at(T0)(cases.register(intake, tinggiReport(caseId)))
            // The worker holds no case yet: nothing to end, and the worker is not looked up again for a while.
            expect(yield* at(T0 + MINUTE)(cases.staleAssignments(system))).toEqual([])
            // Another server, whose directory still lists the worker as a caseworker, assigns the worker.
            yield* onServerNotReloaded(
              at(T0 + 2 * MINUTE)(
                Effect.flatMap(CaseService.CaseService, (other) =>
                  other.execute(kasi, { _tag: "AssignCaseworker", caseId, caseworker: worker.id })
                )
              )
            )
            expect(yield* at(T0 + 3 * MINUTE)(cases.staleAssignments(system))).toEqual([])
            // Once the recheck period has passed, every person is looked up again, and the scheduler ends it.
            const later = T0 + MINUTE + recheck
            expect(yield* at(later)(cases.staleAssignments(system))).toEqual([caseId])
            const pass = yield* at(later)(DeadlineScheduler.runOnce({ actor: system }))
            expect(pass).toMatchObject({ changed: 1, events: 1, failed: 0 })
            expect(yield* at(later + MINUTE)(cases.staleAssignments(system))).toEqual([])
          }).pipe(
            Effect.provide(
              CaseService.layer({ staleRecheckMs: recheck }).pipe(
                Layer.provide(Directory.layer(withWorker("intake-officer")))
              )
            )
          )
        })
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
          const calls = { load: 0, refreshDue: 0 }
          const counted = counting(calls)
          yield* Effect.gen(function* () {
            const fresh = yield* CaseService.CaseService
            yield* at(birthday + 2 * MINUTE)(fresh.view(kasi, caseId))
            const first = calls.load
            expect(first).toBeGreaterThan(0)
            yield* at(birthday + 2 * MINUTE)(fresh.view(kasi, caseId))
            expect(calls.load, "the second view is answered from the replay cache").toBe(first)
          }).pipe(
            Effect.provide(CaseService.layer().pipe(Layer.provide(Directory.layer(snapshot)), Layer.provide(counted)))
          )
        })
      )
    )

    kit.test("after the deadline policy lengthens, a pass that finds nothing due brings the entry up to it", () =>
      Effect.gen(function* () {
        const caseId = yield* withService(assignedTinggi("case-sched-longer"))
        const firstContact = (keys: ReadonlyArray<string>) => keys.filter((key) => key.startsWith("first-contact→"))
        // The store's due refreshes, counted (a Tick on an entry that holds the policy's instants makes none).
        const calls = { load: 0, refreshDue: 0 }
        const counted = counting(calls)
        // The deployment gives tinggi cases 72 hours instead of 24; the entry still says 24.
        yield* Effect.gen(function* () {
          const cases = yield* CaseService.CaseService
          const old = T0 + 24 * HOUR
          const woken = yield* at(old + MINUTE)(DeadlineScheduler.runOnce({ actor: system }))
          expect(woken).toMatchObject({ checked: 1, changed: 0, failed: 0 })
          // That tick wrote the policy's instant into the entry: the case is not woken again for nothing.
          const next = yield* at(old + 2 * MINUTE)(DeadlineScheduler.runOnce({ actor: system }))
          expect(next).toMatchObject({ checked: 0 })
          const listed = yield* at(old + 2 * MINUTE)(cases.list(kasi, { limit: 10 }))
          expect(listed.entries.map((entry) => [entry.caseId, entry.nextDueAt?.epochMilliseconds])).toEqual([
            [caseId, T0 + 72 * HOUR]
          ])
          expect(firstContact(yield* escalationsOf(caseId))).toEqual([])
          // At the new deadline: escalated, once.
          yield* at(T0 + 72 * HOUR + MINUTE)(DeadlineScheduler.runOnce({ actor: system }))
          expect(firstContact(yield* escalationsOf(caseId))).toEqual([
            `first-contact→supervisor@${new Date(T0 + 72 * HOUR).toISOString()}`
          ])
          expect(calls.refreshDue, "one refresh: the stale entry's").toBe(1)
          // Still overdue, but escalated to the supervisor: not ticked again before the head of the Dinas is due.
          const again = yield* at(T0 + 72 * HOUR + 2 * MINUTE)(DeadlineScheduler.runOnce({ actor: system }))
          expect(again).toMatchObject({ checked: 0, changed: 0 })
          expect(calls.refreshDue).toBe(1)
        }).pipe(
          Effect.provide(
            CaseService.layer({ policy: firstContactTinggi(72) }).pipe(
              Layer.provide(Directory.layer(snapshot)),
              Layer.provide(counted)
            )
          )
        )
      })
    )

    kit.test(
      "after the deadline policy shortens, refreshDue brings every entry up to it and escalation is on time",
      () =>
        Effect.gen(function* () {
          const ids = ["case-sched-shorter-1", "case-sched-shorter-2"]
          for (const id of ids) yield* withService(assignedTinggi(id))
          // The deployment gives tinggi cases 6 hours instead of 24.
          yield* withService(
            Effect.gen(function* () {
              const cases = yield* CaseService.CaseService
              const due = T0 + 6 * HOUR
              // The entries still say 24 hours: the scheduler does not wake the cases at the new deadline.
              expect(yield* at(due + MINUTE)(DeadlineScheduler.runOnce({ actor: system }))).toMatchObject({
                checked: 0
              })
              // Only the scheduler's actor may refresh (nothing is shown, but every case is read).
              const refused = yield* Effect.flip(at(due + MINUTE)(cases.refreshDue(kasi)))
              expect(refused).toMatchObject({ _tag: "Forbidden", action: "refresh-due" })
              expect(yield* at(due + MINUTE)(cases.refreshDue(system))).toEqual({
                cases: 2,
                written: 2,
                moved: 0,
                failed: 0,
                complete: true
              })
              expect(yield* at(due + MINUTE)(cases.refreshDue(system))).toEqual({
                cases: 2,
                written: 0,
                moved: 0,
                failed: 0,
                complete: true
              })
              const pass = yield* at(due + 2 * MINUTE)(DeadlineScheduler.runOnce({ actor: system }))
              expect(pass).toMatchObject({ checked: 2, changed: 2, failed: 0 })
              for (const id of ids) {
                expect(
                  (yield* escalationsOf(id)).filter((key) => key.startsWith("first-contact→")),
                  id
                ).toEqual([`first-contact→supervisor@${new Date(due).toISOString()}`])
              }
            }),
            firstContactTinggi(6)
          )
        })
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
