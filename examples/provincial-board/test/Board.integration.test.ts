/**
 * The board's loop against the real NATS server (`LINDUNG_NATS_URL`): the seed stories' events written into a
 * memory store, published by a `Relay` running in this process on a stream and subjects of the test's own, and
 * followed by the loop of `main.ts` until idle. The board equals the pure projection of the same events, for every
 * province and for one; it is saved before it is acknowledged; and neither a restart of the board nor a relay that
 * sends everything again after the stream's duplicate window changes it.
 */
import { randomBytes } from "node:crypto"
import { mkdtemp, rm, stat } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Case, CaseEvent, CaseIndex, EventStore, PublicEvent, Region } from "@lindung/core"
import { Runner, Stories } from "@lindung/seeds"
import { layerMemory } from "@lindung/storage-memory"
import { describeWith, nats } from "@lindung/testing"
import { Nats, Relay } from "@lindung/transport-nats"
import { Duration, Effect, Fiber, Layer, Option, Result, type Scope } from "effect"
import { afterAll, beforeAll, expect, it } from "vitest"
import * as Board from "../src/Board.ts"
import * as Main from "../src/main.ts"
import { toPublic } from "./published.ts"

/** The seed stories' events, one list per case, with two escalated deadlines added to an open case. */
const seedCases = (() => {
  const byCase = new Map<string, Array<CaseEvent.Envelope>>()
  for (const story of Stories.all) {
    const run = Runner.runPure(story)
    if (Result.isFailure(run)) throw new Error(`seed story ${story.id} does not run: ${run.failure.message}`)
    for (const event of run.success.events) byCase.set(event.caseId, [...(byCase.get(event.caseId) ?? []), event])
  }
  // The stories escalate no deadline: the Padang adik case (open, in reintegration) misses one twice.
  const adik = byCase.get("000-padang-adik") ?? []
  for (const escalatedTo of ["supervisor", "head-of-dinas"] as const) {
    const last = adik.at(-1)
    if (last === undefined) throw new Error("the Padang adik case has no events")
    const version = last.version + 1
    const encoded = CaseEvent.encode(last)
    adik.push(
      CaseEvent.decodeEnvelope({
        ...encoded,
        eventId: `${last.caseId}:${version}`,
        version,
        rules: [],
        basis: [],
        type: "DeadlineEscalated",
        payload: { _tag: "DeadlineEscalated", deadline: "review", dueAt: encoded.occurredAt, escalatedTo }
      })
    )
  }
  return [...byCase.values()]
})()

const allEvents = seedCases.flat()

/** The events in public form, as the relay publishes them. */
const publicEvents = toPublic(allEvents)

/** The pure projection of the events, in public form, that lie within `scope`. */
const projection = (scope?: Region.RegionCode): Board.Board =>
  Board.applyAll(
    Board.empty,
    publicEvents.filter(
      (event) => scope === undefined || (event.region !== undefined && Region.contains(scope, event.region))
    )
  )

/** Writes the seed cases into the store in context. */
const fill = Effect.gen(function* () {
  const store = yield* EventStore.EventStore
  yield* store.appendAll(
    seedCases.map((events) => {
      const state = Case.fold(events)
      if (state._tag === "Empty") throw new Error("a seed case without events")
      return { caseId: state.id, expectedVersion: 0, events, index: CaseIndex.project(state) }
    })
  )
})

/** A stream, subjects, consumer and state file that no other test uses. */
const names = (directory: string) => {
  const id = randomBytes(5).toString("hex")
  return {
    stream: `T_${id}`,
    prefix: `t${id}.case`,
    checkpoint: `relay:${id}`,
    durable: `board${id}`,
    file: join(directory, `board-${id}.json`)
  }
}

const dropStream = (stream: string) =>
  Effect.flatMap(Nats.Connection, ({ manager }) =>
    Effect.promise(() => manager.streams.delete(stream).catch(() => false))
  )

/** Starts a relay on the stream and waits until it has published every event of the store. */
const relayAll = (settings: Relay.Config) =>
  Effect.gen(function* () {
    const relay = yield* Relay.make(settings)
    const fiber = yield* Effect.forkScoped(relay.run)
    while (!(yield* relay.status).caughtUp) yield* Effect.sleep("20 millis")
    return { relay, fiber }
  })

const consumerInfo = (stream: string, durable: string) =>
  Effect.flatMap(Nats.Connection, ({ manager }) => Effect.promise(() => manager.consumers.info(stream, durable)))

/**
 * Each test runs the relay and several board processes, each until a second of idleness, against a real server: on
 * a loaded 2-core CI (other packages' suites beside it) that takes well over the default 30 s. A budget, not a timing.
 */
const SLOW = 120_000

describeWith(nats, "the provincial board on a real NATS server", (url) => {
  let directory = ""
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), "provincial-board-"))
  })
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true })
  })

  const connection = Nats.layer({ servers: url, name: "lindung-provincial-board-test" })
  const run = <A, E>(
    effect: Effect.Effect<A, E, Nats.Connection | Layer.Success<typeof layerMemory> | Scope.Scope>
  ): Promise<A> => Effect.runPromise(effect.pipe(Effect.scoped, Effect.provide(Layer.merge(layerMemory, connection))))

  /** Follows the stream with a fresh board process (a new consumer helper) until idle. */
  const follow = (options: Main.Options) => Effect.flatMap(Main.make(options), (board) => board.run)

  it(
    "is the pure projection of the events, saved, and the same after restarts and re-sends",
    async () => {
      const { stream, prefix, checkpoint, durable, file } = names(directory)
      await run(
        Effect.gen(function* () {
          yield* fill
          yield* Effect.addFinalizer(() => dropStream(stream))
          // A short duplicate window: a relay restarted after it sends every event again, as new messages.
          const relaySettings = {
            prefix,
            checkpoint,
            stream: { name: stream, storage: "memory" as const, duplicateWindow: Duration.seconds(1) }
          }
          const first = yield* relayAll(relaySettings)
          const options: Main.Options = {
            stream,
            prefix,
            durable,
            file,
            batchSize: 64,
            batchWindowMs: 100,
            untilIdleMs: 1_000
          }
          const expected = projection()
          expect(Board.summarize(expected).total.escalations).toEqual({ supervisor: 1, "head-of-dinas": 1 })

          const board = yield* follow(options)
          expect(Board.toJson(board)).toEqual(Board.toJson(expected))
          // Saved, and every event acknowledged.
          const saved = yield* Main.load(options)
          expect(Option.map(saved, Board.toJson)).toEqual(Option.some(Board.toJson(expected)))
          const info = yield* consumerInfo(stream, durable)
          expect(info.num_pending).toBe(0)
          expect(info.num_ack_pending).toBe(0)
          expect(info.delivered.stream_seq).toBe(allEvents.length)

          // A restart: the durable consumer sends nothing again, and the board is the one saved.
          const modified = (yield* Effect.promise(() => stat(file))).mtimeMs
          expect(Board.toJson(yield* follow(options))).toEqual(Board.toJson(expected))
          expect((yield* Effect.promise(() => stat(file))).mtimeMs).toBe(modified)

          // A relay that restarts after the duplicate window publishes every event again: the board skips them all.
          yield* Fiber.interrupt(first.fiber)
          yield* Effect.sleep("2 seconds")
          const second = yield* relayAll({ ...relaySettings, fromStart: true })
          const { published, duplicates } = yield* second.relay.status
          expect(published).toBe(allEvents.length)
          // The server forgets message ids a little after the window: nearly all come again (all, as a rule).
          const resent = published - duplicates
          expect(resent).toBeGreaterThan(allEvents.length / 2)
          expect(Board.toJson(yield* follow(options))).toEqual(Board.toJson(expected))
          expect((yield* Effect.promise(() => stat(file))).mtimeMs).toBe(modified)
          const after = yield* consumerInfo(stream, durable)
          expect(after.delivered.stream_seq).toBe(allEvents.length + resent)
          expect(after.num_pending).toBe(0)
          expect(after.num_ack_pending).toBe(0)

          // Another consumer's name on this state file is refused: its acknowledgements are not this board's.
          const refused = yield* Effect.flip(follow({ ...options, durable: `${durable}x` }))
          expect(refused._tag).toBe("StateFileError")

          // Without its state file, the board resets its consumer and counts every event again, once.
          yield* Effect.promise(() => rm(file))
          expect(Board.toJson(yield* follow(options))).toEqual(Board.toJson(expected))
        })
      )
    },
    SLOW
  )

  it(
    "follows one province: the projection of that province's events",
    async () => {
      const { stream, prefix, checkpoint, durable, file } = names(directory)
      await run(
        Effect.gen(function* () {
          yield* fill
          yield* Effect.addFinalizer(() => dropStream(stream))
          yield* relayAll({ prefix, checkpoint, stream: { name: stream, storage: "memory" } })
          const sumbar = Region.decodeSync("13")
          const board = yield* follow({
            stream,
            prefix,
            durable,
            file,
            province: sumbar,
            batchSize: 64,
            batchWindowMs: 100,
            untilIdleMs: 1_000
          })
          const expected = projection(sumbar)
          expect(expected.cases.size).toBeGreaterThan(0)
          expect(expected.cases.size).toBeLessThan(projection().cases.size)
          expect(Board.toJson(board)).toEqual(Board.toJson(expected))
          expect(Board.summarize(board, sumbar)).toEqual(Board.summarize(projection(), sumbar))
          expect(Main.show(board, { json: true, province: sumbar })).toBe(
            JSON.stringify(Board.summarize(expected, sumbar), null, 2)
          )
        })
      )
    },
    SLOW
  )
})
