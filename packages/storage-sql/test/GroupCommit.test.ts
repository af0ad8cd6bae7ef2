import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber, Option, Result, Scheduler } from "effect"
import * as GroupCommit from "../src/internal/GroupCommit.js"

/** A batch writer that records its batches; the first batch waits for `release` (a paused writer). */
const pausedWriter = Effect.gen(function* () {
  const release = yield* Deferred.make<void>()
  const started = yield* Deferred.make<void>()
  const batches: Array<ReadonlyArray<number>> = []
  const write: GroupCommit.Write<number, string, string> = (items) =>
    Effect.gen(function* () {
      batches.push(items)
      if (batches.length === 1) {
        yield* Deferred.succeed(started, undefined)
        yield* Deferred.await(release)
      }
      return items.map((item) => (item === 13 ? Result.fail(`refused ${item}`) : Result.succeed(`wrote ${item}`)))
    })
  return { release, started, batches, write }
})

describe("GroupCommit", () => {
  it.effect("items that arrive while a write is in flight go together in the next write, each with its answer", () =>
    Effect.gen(function* () {
      const { release, started, batches, write } = yield* pausedWriter
      const submit = GroupCommit.make(write, 64)
      const first = yield* Effect.forkChild(submit(1))
      yield* Deferred.await(started)
      expect(batches).toEqual([[1]])
      const others = yield* Effect.forkChild(
        Effect.all(
          [11, 12, 13, 14].map((item) => Effect.exit(submit(item))),
          { concurrency: "unbounded" }
        )
      )
      yield* Effect.yieldNow
      expect(batches).toEqual([[1]]) // the writer is paused: the others wait
      yield* Deferred.succeed(release, undefined)
      expect(yield* Fiber.join(first)).toBe("wrote 1")
      const answers = yield* Fiber.join(others)
      expect(batches).toEqual([[1], [11, 12, 13, 14]])
      expect(answers[0]).toEqual(Exit.succeed("wrote 11"))
      expect(Exit.isFailure(answers[2] as Exit.Exit<string, string>)).toBe(true) // 13 alone is refused
      expect(answers[3]).toEqual(Exit.succeed("wrote 14"))
    })
  )

  it.effect("with two writers, a second batch is written while the first is held; a third waits for one of them", () =>
    Effect.gen(function* () {
      // Every batch waits for its own release.
      const releases: Array<Deferred.Deferred<void>> = []
      const batches: Array<ReadonlyArray<number>> = []
      const write: GroupCommit.Write<number, string, string> = (items) =>
        Effect.gen(function* () {
          const release = yield* Deferred.make<void>()
          releases.push(release)
          batches.push(items)
          yield* Deferred.await(release)
          return items.map((item) => Result.succeed(`wrote ${item}`))
        })
      const submit = GroupCommit.make(write, 64, 2)
      const first = yield* Effect.forkChild(submit(1))
      while (batches.length < 1) yield* Effect.yieldNow
      const second = yield* Effect.forkChild(submit(2))
      while (batches.length < 2) yield* Effect.yieldNow
      expect(batches).toEqual([[1], [2]]) // two batches in flight at once
      const rest = yield* Effect.forkChild(Effect.all([submit(3), submit(4)], { concurrency: "unbounded" }))
      for (let i = 0; i < 10; i++) yield* Effect.yieldNow
      expect(batches).toEqual([[1], [2]]) // both writers busy: 3 and 4 wait
      yield* Deferred.succeed(releases[1] as Deferred.Deferred<void>, undefined)
      expect(yield* Fiber.join(second)).toBe("wrote 2")
      while (batches.length < 3) yield* Effect.yieldNow
      expect(batches).toEqual([[1], [2], [3, 4]]) // the freed writer takes them together
      yield* Deferred.succeed(releases[2] as Deferred.Deferred<void>, undefined)
      expect(yield* Fiber.join(rest)).toEqual(["wrote 3", "wrote 4"])
      yield* Deferred.succeed(releases[0] as Deferred.Deferred<void>, undefined)
      expect(yield* Fiber.join(first)).toBe("wrote 1")
    })
  )

  it.effect("a batch holds at most maxBatch items; the rest go in the next", () =>
    Effect.gen(function* () {
      const { release, batches, write } = yield* pausedWriter
      yield* Deferred.succeed(release, undefined)
      const submit = GroupCommit.make(write, 2)
      const answers = yield* Effect.all(
        [1, 2, 3, 4, 5].map((item) => submit(item)),
        { concurrency: "unbounded" }
      )
      expect(answers).toEqual(["wrote 1", "wrote 2", "wrote 3", "wrote 4", "wrote 5"])
      expect(batches).toEqual([[1, 2], [3, 4], [5]])
    })
  )

  it.effect("a failed write fails every item of its batch, and the next batch is written", () =>
    Effect.gen(function* () {
      let calls = 0
      const submit = GroupCommit.make<number, number, string>(
        (items) =>
          Effect.suspend(() =>
            ++calls === 1 ? Effect.fail("connection lost") : Effect.succeed(items.map((item) => Result.succeed(item)))
          ),
        64
      )
      const failed = yield* Effect.all([Effect.exit(submit(1)), Effect.exit(submit(2))], { concurrency: "unbounded" })
      expect(failed).toEqual([Exit.fail("connection lost"), Exit.fail("connection lost")])
      expect(yield* submit(3)).toBe(3)
    })
  )
  it.effect(
    "a writer interrupted mid-write answers its batch and the queued items with the interruption; the next item starts a new writer",
    () =>
      Effect.gen(function* () {
        // The first batch never ends; the writer's fiber is kept so the test can interrupt it (a shutdown would).
        let writer: Fiber.Fiber<unknown, unknown> | undefined
        const batches: Array<ReadonlyArray<number>> = []
        const write: GroupCommit.Write<number, string, string> = (items) =>
          Effect.withFiber((fiber) => {
            batches.push(items)
            if (batches.length === 1) {
              writer = fiber
              return Effect.never
            }
            return Effect.succeed(items.map((item) => Result.succeed(`wrote ${item}`)))
          })
        const submit = GroupCommit.make(write, 64)
        const first = yield* Effect.forkChild(submit(1))
        while (writer === undefined) yield* Effect.yieldNow
        const queued = yield* Effect.forkChild(submit(2))
        for (let i = 0; i < 5; i++) yield* Effect.yieldNow
        expect(batches).toEqual([[1]]) // 2 waits for the only writer
        yield* Fiber.interrupt(writer)
        const firstExit = yield* Fiber.await(first)
        const queuedExit = yield* Fiber.await(queued)
        expect(Exit.hasInterrupts(firstExit)).toBe(true)
        expect(Exit.hasInterrupts(queuedExit)).toBe(true)
        expect(batches).toEqual([[1]]) // the queued item was never written
        // The interrupted writer gave its place back: a new item is written.
        expect(yield* submit(3)).toBe("wrote 3")
        expect(batches).toEqual([[1], [3]])
      })
  )

  it.effect(
    "a batch writer that throws while building its write answers its batch with the defect, and the next item is written",
    () =>
      Effect.gen(function* () {
        let calls = 0
        const submit = GroupCommit.make<number, number, string>((items) => {
          // Thrown before any effect exists (a driver bug): the writer's own fiber dies.
          if (++calls === 1) throw new Error("driver bug")
          return Effect.succeed(items.map((item) => Result.succeed(item)))
        }, 64)
        const died = yield* Effect.exit(submit(1))
        expect(Exit.hasDies(died)).toBe(true)
        expect(yield* submit(2)).toBe(2)
      })
  )

  // The scheduler may pause a fiber between any two steps (here after every few); an interruption can land in any
  // such pause. Whatever the step, the next item is written and no more writers run at once than allowed.
  it.live("an interruption at any step of a caller or a writer leaves no item waiting and no extra writer", () =>
    Effect.gen(function* () {
      for (const steps of [3, 4, 5, 6, 7]) {
        for (let wait = 0; wait < 24; wait++) {
          let running = 0
          let most = 0
          let writer: Fiber.Fiber<unknown, unknown> | undefined
          // Once set, a write waits for it (to hold one batch in flight while another item arrives).
          let hold: Deferred.Deferred<void> | undefined
          const submit = GroupCommit.make<number, number, string>(
            (items) =>
              Effect.withFiber((fiber) => {
                writer = fiber
                // Counted while the write runs, however it ends.
                return Effect.acquireUseRelease(
                  Effect.sync(() => {
                    running++
                    most = Math.max(most, running)
                  }),
                  () =>
                    Effect.as(
                      hold === undefined ? Effect.yieldNow : Deferred.await(hold),
                      items.map((item) => Result.succeed(item))
                    ),
                  () => Effect.sync(() => running--)
                )
              }),
            64,
            1
          )
          const paused = <A, E>(effect: Effect.Effect<A, E>) =>
            effect.pipe(Effect.provideService(Scheduler.MaxOpsBeforeYield, steps))
          // A caller interrupted after `wait` turns, then a writer interrupted after `wait` turns.
          const caller = yield* Effect.forkChild(paused(submit(1)))
          for (let i = 0; i < wait; i++) yield* Effect.yieldNow
          yield* Fiber.interrupt(caller)
          const second = yield* Effect.forkChild(paused(submit(2)))
          for (let i = 0; i < wait; i++) yield* Effect.yieldNow
          if (writer !== undefined) yield* Fiber.interrupt(writer)
          const answered = yield* Effect.timeoutOption(Fiber.await(second), "2 seconds")
          expect(Option.isSome(answered), `${steps} steps, ${wait} turns: item 2 answered`).toBe(true)
          // Then two items apart, the first one's write held: the second waits for the one writer allowed.
          const release = yield* Deferred.make<void>()
          hold = release
          const third = yield* Effect.forkChild(submit(3))
          while (running === 0) yield* Effect.yieldNow
          const fourth = yield* Effect.forkChild(submit(4))
          for (let i = 0; i < 10; i++) yield* Effect.yieldNow
          expect(most, `${steps} steps, ${wait} turns: writers at once`).toBe(1)
          yield* Deferred.succeed(release, undefined)
          const later = yield* Effect.timeoutOption(Effect.all([Fiber.join(third), Fiber.join(fourth)]), "2 seconds")
          expect(Option.getOrUndefined(later), `${steps} steps, ${wait} turns`).toEqual([3, 4])
          expect(most, `${steps} steps, ${wait} turns`).toBe(1)
        }
      }
    })
  )
})
