/**
 * Concurrency tests: many fibers appending to one case at once (exactly one wins each version; no gaps, no
 * duplicates), many fibers on their own cases (all win), racing retries of one idempotent request (one write, and
 * every retry answered with the write or its replay, for a new case and for an existing one; against competing
 * writers, the retries all succeed or all conflict), a reader tailing `readAfter` that never skips an event while
 * others append, and readers that never see half a batch. Fibers are released together through a gate once every one of them is
 * ready, so the appends really overlap.
 */
import { expect } from "@effect/vitest"
import { Case, type CaseEvent, CaseIndex, type EventStore } from "@lindung/core"
import { DateTime, Deferred, Effect, Fiber, Option, Ref, Result, Schema } from "effect"
import {
  type Batch,
  cid,
  decideBatch,
  fingerprintOf,
  registration,
  requestOf,
  staff,
  stories,
  story
} from "./fixtures.js"
import { appendEach, entryJson, errorJson, eventJson, type Kit, readAll, type Services, services } from "./harness.js"

/** Runs the effects concurrently, starting them all at the same moment; returns every outcome. */
export const together = <A, E, R>(effects: ReadonlyArray<Effect.Effect<A, E, R>>) =>
  Effect.gen(function* () {
    const gate = yield* Deferred.make<void>()
    const ready = yield* Ref.make(0)
    const fiber = yield* Effect.forkChild(
      Effect.forEach(
        effects,
        (effect) =>
          Ref.update(ready, (n) => n + 1).pipe(
            Effect.andThen(Deferred.await(gate)),
            Effect.andThen(Effect.result(effect))
          ),
        { concurrency: "unbounded" }
      )
    )
    while ((yield* Ref.get(ready)) < effects.length) yield* Effect.yieldNow
    yield* Deferred.succeed(gate, undefined)
    return yield* Fiber.join(fiber)
  })

const caseId = cid("jkt-0001")
const base = () => story(caseId).batches.slice(0, 2)
const supervisor = () => staff.jakarta.supervisor
const at = (i: number) => DateTime.makeUnsafe(Date.UTC(2025, 6, 8, 0, 0, i))

/** The batch assigning racer `i` to the case in `state`. */
const assign = (state: Case.State, i: number): Batch =>
  decideBatch(state, { _tag: "AssignCaseworker", caseId, caseworker: `racer-${i}` }, supervisor(), at(i)).batch

const assignedIn = (events: ReadonlyArray<CaseEvent.Envelope>): ReadonlyArray<string> =>
  events.flatMap((e) => (e.payload._tag === "CaseworkerAssigned" ? [e.payload.caseworker] : []))

/** Checks the whole store: positions strictly increasing and unique, versions of each case 1..n, a clean chain. */
export const checkStore = (s: Services) =>
  Effect.gen(function* () {
    const all = yield* readAll(s.store)
    const seen = new Set<string>()
    const versions = new Map<string, number>()
    all.forEach((stored, i) => {
      if (i > 0) expect(stored.position).toBeGreaterThan((all[i - 1] as EventStore.StoredEvent).position)
      const key = `${stored.event.caseId}@${stored.event.version}`
      expect(seen.has(key), `${key} is stored twice`).toBe(false)
      seen.add(key)
      const previous = versions.get(stored.event.caseId) ?? 0
      expect(stored.event.version, `a gap in ${stored.event.caseId}`).toBe(previous + 1)
      versions.set(stored.event.caseId, stored.event.version)
    })
    const report = yield* s.store.verify()
    expect(report.firstBreak).toBeUndefined()
    expect(report.events).toBe(all.length)
    return all
  })

/** The concurrency tests. */
export const raceTests = <R>(kit: Kit<R>): void =>
  kit.group("Concurrency", () => {
    const fibers = kit.capabilities.raceFibers ?? 30
    const timeout = kit.capabilities.timeout ?? 60_000

    kit.test(
      `${fibers} fibers append to one case at the same version: exactly one wins, the others get VersionConflict`,
      () =>
        Effect.gen(function* () {
          const s = yield* services
          yield* appendEach(s.store, base())
          const state = Case.fold(base().flatMap((b) => b.events))
          const batches = Array.from({ length: fibers }, (_, i) => assign(state, i))
          const outcomes = yield* together(batches.map((batch) => s.store.append(requestOf(batch))))
          const winners = outcomes.flatMap((o, i) => (Result.isSuccess(o) ? [i] : []))
          expect(winners.length, "exactly one append wins").toBe(1)
          for (const outcome of outcomes) {
            if (Result.isSuccess(outcome)) {
              expect(outcome.success).toMatchObject({ caseId, fromVersion: 3, toVersion: 3, replayed: false })
            } else {
              expect(outcome.failure).toMatchObject({
                _tag: "VersionConflict",
                caseId,
                expectedVersion: 2,
                actualVersion: 3
              })
            }
          }
          const winner = batches[winners[0] as number] as Batch
          const loaded = yield* s.store.load(caseId)
          expect(loaded.map(eventJson)).toEqual([...base().flatMap((b) => b.events), ...winner.events].map(eventJson))
          expect((yield* s.index.get(caseId)).version).toBe(3)
          expect((yield* s.index.get(caseId)).assigned).toEqual(winner.index.assigned)
          yield* checkStore(s)
        }),
      timeout
    )

    kit.test(
      `${fibers} fibers register one new subject for cases of their own: exactly one wins, the others get SubjectHeld`,
      () =>
        Effect.gen(function* () {
          const s = yield* services
          const now = DateTime.makeUnsafe(Date.UTC(2025, 6, 8))
          const owners = ["padang", "balikpapan", "jakarta", "surabaya"] as const
          const batches = Array.from({ length: fibers }, (_, i) =>
            registration(`claimant-${i}`, "subj-raced", owners[i % owners.length] as (typeof owners)[number], now)
          )
          const outcomes = yield* together(
            batches.map((batch) => s.store.append({ ...requestOf(batch), newSubject: true }))
          )
          const winners = outcomes.flatMap((o, i) => (Result.isSuccess(o) ? [i] : []))
          expect(winners.length, "exactly one registration takes the subject").toBe(1)
          outcomes.forEach((outcome, i) => {
            if (Result.isFailure(outcome))
              expect(errorJson(outcome.failure)).toEqual({ _tag: "SubjectHeld", caseId: `claimant-${i}` })
          })
          const holders = yield* s.index.query({
            filter: { subject: (batches[0] as Batch).index.subject },
            limit: fibers + 1
          })
          expect(holders.entries.map((entry) => entry.caseId)).toEqual([`claimant-${winners[0]}`])
          const all = yield* checkStore(s)
          expect(all.map((stored) => stored.event.caseId)).toEqual([`claimant-${winners[0]}`])
        }),
      timeout
    )

    kit.test(
      `${fibers} fibers retrying on conflict: every version is won once, no gaps, no duplicates, index at the last`,
      () =>
        Effect.gen(function* () {
          const s = yield* services
          yield* appendEach(s.store, base())
          const racer = (i: number) =>
            Effect.gen(function* () {
              for (let attempt = 1; attempt <= 10 * fibers + 10; attempt++) {
                const state = Case.fold(yield* s.store.load(caseId))
                // Let the other fibers load the same version before appending.
                yield* Effect.yieldNow
                const outcome = yield* Effect.result(s.store.append(requestOf(assign(state, i))))
                if (Result.isSuccess(outcome)) return outcome.success
                const error = outcome.failure
                if (error._tag !== "VersionConflict") return yield* Effect.fail(error)
                expect(error.actualVersion).toBeGreaterThan(error.expectedVersion)
              }
              throw new Error(`racer ${i} never won`)
            })
          const outcomes = yield* together(Array.from({ length: fibers }, (_, i) => racer(i)))
          const results = outcomes.map((o) => {
            if (Result.isFailure(o)) throw new Error(`a racer failed: ${String(o.failure)}`)
            return o.success
          })
          const won = results.map((r) => r.toVersion).sort((a, b) => a - b)
          expect(won).toEqual(Array.from({ length: fibers }, (_, i) => i + 3))
          const loaded = yield* s.store.load(caseId)
          expect(loaded.map((e) => e.version)).toEqual(Array.from({ length: fibers + 2 }, (_, i) => i + 1))
          const racers = assignedIn(loaded).filter((id) => id.startsWith("racer-"))
          expect([...racers].sort()).toEqual(Array.from({ length: fibers }, (_, i) => `racer-${i}`).sort())
          const entry = yield* s.index.get(caseId)
          expect(entry.version).toBe(fibers + 2)
          const folded = Case.fold(loaded)
          if (folded._tag !== "Case") throw new Error("the raced case is empty")
          expect([...entry.assigned].sort()).toEqual([...folded.assigned].sort())
          yield* checkStore(s)
        }),
      timeout
    )

    kit.test(
      `${fibers} fibers each append to their own case: all succeed, every event once in position order`,
      () =>
        Effect.gen(function* () {
          const s = yield* services
          const people = staff.mataram
          const batches = Array.from(
            { length: fibers },
            (_, i) =>
              decideBatch(
                Case.initialState,
                {
                  _tag: "RegisterReport",
                  caseId: `race-${String(i).padStart(3, "0")}`,
                  subject: `subj-race-${i}`,
                  sex: "female",
                  ageAtReport: 10,
                  region: "52.71",
                  owner: "dinsos-52.71",
                  source: "hotline",
                  concerns: []
                },
                people.intake,
                at(i)
              ).batch
          )
          const outcomes = yield* together(batches.map((batch) => s.store.append(requestOf(batch))))
          for (const outcome of outcomes) {
            if (Result.isFailure(outcome)) throw new Error(`an append failed: ${String(outcome.failure)}`)
            expect(outcome.success).toMatchObject({ fromVersion: 1, toVersion: 1, replayed: false })
          }
          const positions = outcomes.map((o) => (Result.isSuccess(o) ? o.success.lastPosition : 0))
          expect(new Set(positions).size).toBe(fibers)
          const all = yield* checkStore(s)
          expect(all.length).toBe(fibers)
          expect([...all.map((e) => e.position)].sort((a, b) => a - b)).toEqual([...positions].sort((a, b) => a - b))
          const page = yield* s.index.query({
            filter: Schema.decodeUnknownSync(CaseIndex.Filter)({ region: "52.71" }),
            limit: 500
          })
          expect(page.entries.map((e) => e.caseId)).toEqual(batches.map((b) => b.caseId))
        }),
      timeout
    )

    /**
     * Racing retries of one keyed request: exactly one writes, and EVERY caller gets a success — the write, or its
     * replay with the same versions and position. A retry that checked the case's version before the key would
     * answer VersionConflict to callers whose request was in fact written, and a client retrying a command would
     * then decide it again and be told the case already exists, or the caseworker is already assigned.
     */
    const idempotentRace = (title: string, setup: (s: Services) => Effect.Effect<Batch, unknown>, key: string): void =>
      kit.test(
        title,
        () =>
          Effect.gen(function* () {
            const s = yield* services
            const batch = yield* setup(s)
            const request = requestOf(batch, { key, fingerprint: fingerprintOf(batch) })
            const before = (yield* s.store.load(batch.caseId)).length
            const outcomes = yield* together(Array.from({ length: fibers }, () => s.store.append(request)))
            const results = outcomes.map((o, i) => {
              if (Result.isFailure(o)) {
                throw new Error(
                  `caller ${i} of ${fibers} got ${String(errorJson(o.failure)._tag)} instead of a success`
                )
              }
              return o.success
            })
            const written = results.filter((r) => !r.replayed)
            expect(written.length, "exactly one append writes").toBe(1)
            const first = written[0] as EventStore.AppendResult
            expect(first).toMatchObject({
              caseId: batch.caseId,
              fromVersion: batch.expectedVersion + 1,
              toVersion: batch.expectedVersion + batch.events.length
            })
            for (const result of results) expect(result).toEqual({ ...first, replayed: result.replayed })
            const loaded = yield* s.store.load(batch.caseId)
            expect(loaded.length).toBe(before + batch.events.length)
            expect(loaded.slice(before).map(eventJson)).toEqual(batch.events.map(eventJson))
            expect(entryJson(yield* s.index.get(batch.caseId))).toBe(entryJson(batch.index))
            expect(Option.getOrNull(yield* s.store.idempotency(key))).toEqual({
              key,
              fingerprint: fingerprintOf(batch),
              caseId: batch.caseId,
              fromVersion: first.fromVersion,
              toVersion: first.toVersion
            })
            // Afterwards, every retry replays.
            expect(yield* s.store.append(request)).toEqual({ ...first, replayed: true })
            yield* checkStore(s)
          }),
        timeout
      )

    idempotentRace(
      `${fibers} racing retries of one idempotent registration (a new case): one write, every caller succeeds`,
      () => Effect.succeed(story("sby-0001").batches[0] as Batch),
      "req-race-register"
    )

    idempotentRace(
      `${fibers} racing retries of one idempotent assignment (an existing case): one write, every caller succeeds`,
      (s) =>
        Effect.gen(function* () {
          yield* appendEach(s.store, base())
          return assign(Case.fold(base().flatMap((b) => b.events)), 0)
        }),
      "req-race-assign"
    )

    kit.test(
      `${fibers} racing retries of one idempotent request and ${fibers} competing writers: the retries all succeed or all conflict`,
      () =>
        Effect.gen(function* () {
          const s = yield* services
          yield* appendEach(s.store, base())
          const state = Case.fold(base().flatMap((b) => b.events))
          const keyed = assign(state, 0)
          const request = requestOf(keyed, { key: "req-contested", fingerprint: fingerprintOf(keyed) })
          const competitors = Array.from({ length: fibers }, (_, i) => requestOf(assign(state, i + 1)))
          // Retries and competitors interleaved, all released at once.
          const outcomes = yield* together(
            competitors.flatMap((competitor) => [s.store.append(request), s.store.append(competitor)])
          )
          const retries = outcomes.filter((_, i) => i % 2 === 0)
          const others = outcomes.filter((_, i) => i % 2 === 1)
          const keyWon = retries.some(Result.isSuccess)
          const winners = [
            ...retries.filter((o) => Result.isSuccess(o) && !o.success.replayed),
            ...others.filter(Result.isSuccess)
          ]
          expect(winners.length, "exactly one append writes version 3").toBe(1)
          for (const outcome of retries) {
            if (keyWon) {
              expect(Result.isSuccess(outcome), "every retry of the written request succeeds").toBe(true)
            } else {
              expect(Result.isFailure(outcome) && outcome.failure._tag).toBe("VersionConflict")
            }
          }
          for (const outcome of others) {
            if (Result.isFailure(outcome)) expect(outcome.failure._tag).toBe("VersionConflict")
          }
          expect(Option.isSome(yield* s.store.idempotency("req-contested"))).toBe(keyWon)
          expect((yield* s.store.load(caseId)).length).toBe(3)
          yield* checkStore(s)
        }),
      timeout
    )

    kit.test(
      "a reader tailing readAfter while every fixture case is appended by a fiber of its own never skips an event",
      () =>
        Effect.gen(function* () {
          const s = yield* services
          // Each case's whole story, appended batch after batch by one fiber per case.
          const cases = stories().map((one) => one.batches)
          const total = cases.reduce((n, batches) => n + batches.reduce((m, b) => m + b.events.length, 0), 0)
          const observed: Array<EventStore.StoredEvent> = []
          const tail = Effect.gen(function* () {
            let last = 0
            // Wall-clock time and a real timer: the suite may run on a test clock, which would never wake a sleep.
            let progressAt = Date.now()
            while (observed.length < total) {
              const page = yield* s.store.readAfter(last, 7)
              for (const stored of page) {
                expect(stored.position, "positions only grow").toBeGreaterThan(last)
                last = stored.position
                observed.push(stored)
              }
              if (page.length > 0) progressAt = Date.now()
              else if (Date.now() - progressAt > 20_000) {
                throw new Error(`the reader saw ${observed.length} of ${total} events`)
              } else yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 1)))
            }
          })
          const reader = yield* Effect.forkChild(tail)
          const appended = yield* together(
            cases.map((batches) =>
              Effect.forEach(batches, (batch) => Effect.andThen(s.store.append(requestOf(batch)), Effect.yieldNow), {
                discard: true
              })
            )
          )
          for (const outcome of appended) {
            if (Result.isFailure(outcome)) throw new Error(`an append failed: ${String(outcome.failure)}`)
          }
          yield* Fiber.join(reader)
          // Every event once, each case's in version order, as a reader starting now reads them.
          const all = yield* checkStore(s)
          expect(observed.map((e) => [e.position, eventJson(e.event)])).toEqual(
            all.map((e) => [e.position, eventJson(e.event)])
          )
        }),
      timeout
    )

    kit.test(
      "readers never see part of a batch",
      () =>
        Effect.gen(function* () {
          const s = yield* services
          const batches = story("pdg-0001").batches
          const boundaries = new Set<number>([0])
          let n = 0
          for (const batch of batches) {
            n += batch.events.length
            boundaries.add(n)
          }
          const done = yield* Ref.make(false)
          const reader = Effect.gen(function* () {
            const seen: Array<number> = []
            while (!(yield* Ref.get(done))) {
              seen.push((yield* s.store.load(cid("pdg-0001"))).length)
              seen.push((yield* readAll(s.store)).length)
              yield* Effect.yieldNow
            }
            return seen
          })
          const readers = yield* Effect.forkChild(Effect.all([reader, reader, reader], { concurrency: "unbounded" }))
          yield* Effect.yieldNow
          for (const batch of batches) {
            yield* s.store.append(requestOf(batch))
            yield* Effect.yieldNow
          }
          yield* Ref.set(done, true)
          const seen = (yield* Fiber.join(readers)).flat()
          for (const length of seen) expect(boundaries.has(length), `a reader saw ${length} events`).toBe(true)
        }),
      timeout
    )
  })
