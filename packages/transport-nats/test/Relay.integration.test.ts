/**
 * The relay and the consumer helper against the real NATS server (`LINDUNG_NATS_URL`): every event of the seed
 * stories (copied over many cases) published once, in order, as CloudEvents in their public form; the sentinel
 * identity in no body and no header; a relay stopped and started again publishing nothing twice to a consumer; a
 * consumer's `nak` holding back the later events of its case. Each test has a stream and subjects of its own.
 */
import { type CaseEvent, Checkpoints, type PublicEvent } from "@lindung/core"
import { layerMemory } from "@lindung/storage-memory"
import { describeWith, fill, nats, SENTINEL, unique } from "@lindung/testing"
import type { Msg } from "@nats-io/transport-node"
import { Effect, Fiber, Layer, Stream } from "effect"
import { expect, it } from "vitest"
import { CloudEvent, Consumer, Nats, Relay, Subjects } from "../src/index.js"

/** What a plain subscription saw of a published message: everything that crossed the wire. */
interface Raw {
  readonly subject: string
  readonly headers: string
  readonly body: string
}

const rawOf = (message: Msg): Raw => ({
  subject: message.subject,
  headers: [...(message.headers?.keys() ?? [])]
    .map((key) => `${key}: ${message.headers?.values(key).join(",")}`)
    .join("\n"),
  body: new TextDecoder().decode(message.data)
})

/** A stream, prefix and names that no other test uses; the stream is deleted at the end. */
const names = () => {
  const id = unique()
  return { id, prefix: `t${id}.case`, stream: `T_${id}`, checkpoint: `relay:${id}`, durable: `d${id}` }
}

const dropStream = (stream: string) =>
  Effect.flatMap(Nats.Connection, ({ manager }) =>
    Effect.promise(() => manager.streams.delete(stream).catch(() => false))
  )

/** Reads `count` deliveries, acknowledging each. */
const consume = (config: Consumer.Config, count: number) =>
  Consumer.stream(config).pipe(
    Stream.mapEffect((delivery) => Effect.as(delivery.ack, delivery)),
    Stream.take(count),
    Stream.runCollect
  )

/** Checks that the events are each written event exactly once, each case in version order. */
const expectExactlyOnceInOrder = (
  events: ReadonlyArray<PublicEvent.Envelope>,
  written: ReadonlyArray<ReadonlyArray<CaseEvent.Envelope>>
) => {
  const ids = events.map((event) => event.eventId)
  expect(new Set(ids).size).toBe(ids.length)
  expect(new Set(ids)).toEqual(new Set(written.flat().map((event) => event.eventId)))
  const last = new Map<string, number>()
  for (const event of events) {
    expect(event.version, event.eventId).toBe((last.get(event.caseId) ?? 0) + 1)
    last.set(event.caseId, event.version)
  }
}

describeWith(nats, "transport-nats on a real NATS server", (url) => {
  const connection = Nats.layer({ servers: url, name: "lindung-test" })
  const run = <A, E>(
    effect: Effect.Effect<A, E, Nats.Connection | Layer.Success<typeof layerMemory> | import("effect").Scope.Scope>
  ) => Effect.runPromise(effect.pipe(Effect.scoped, Effect.provide(Layer.merge(layerMemory, connection))))

  it("publishes every event once, in version order per case, as CloudEvents without identity or free text", async () => {
    const { prefix, stream, checkpoint, durable } = names()
    await run(
      Effect.gen(function* () {
        const written = yield* fill(4)
        const total = written.flat().length
        expect(written.length).toBeGreaterThanOrEqual(40)
        const { connection: nc } = yield* Nats.Connection
        const raw: Array<Raw> = []
        const tap = nc.subscribe(`${prefix}.>`, {
          callback: (_error, message) => {
            raw.push(rawOf(message))
          }
        })
        yield* Effect.addFinalizer(() => Effect.sync(() => tap.unsubscribe()))
        const relay = yield* Relay.make({ prefix, checkpoint, stream: { name: stream, storage: "memory" } })
        yield* Effect.forkScoped(relay.run)
        yield* Effect.addFinalizer(() => dropStream(stream))
        const deliveries = yield* consume({ durable, stream }, total)
        expectExactlyOnceInOrder(
          deliveries.map((delivery) => delivery.event),
          written
        )
        // The checkpoint is at the last event once everything is acknowledged.
        while (!(yield* relay.status).caughtUp) yield* Effect.sleep("20 millis")
        const status = yield* relay.status
        expect(status.published).toBe(total)
        expect(yield* (yield* Checkpoints.Checkpoints).get(checkpoint)).toBe(status.position)

        // CloudEvents attributes, subjects by region, and nothing private on the wire.
        for (const delivery of deliveries) {
          const { attributes, event, subject } = delivery
          expect(attributes.id).toBe(event.eventId)
          expect(attributes.subject).toBe(event.caseId)
          expect(attributes.type).toBe(CloudEvent.typeOf(event.type, event.schemaVersion))
          expect(attributes.caseversion).toBe(event.version)
          expect(attributes.source).toMatch(/^urn:lindung:agency:/)
          expect(subject).toBe(Subjects.event(event.region, event.type, prefix))
        }
        yield* Effect.promise(() => nc.flush())
        expect(raw.length).toBeGreaterThanOrEqual(total)
        for (const message of raw) {
          expect(message.headers).toContain("ce-specversion: 1.0")
          expect(message.headers).toContain("Nats-Msg-Id")
          expect(message.headers + message.body).not.toContain("Sentinel")
          expect(message.body).not.toContain(SENTINEL)
        }
        const registered = deliveries.find((delivery) => delivery.event.type === "ReportRegistered")
        expect(registered?.event.payload).not.toHaveProperty("subject")
        expect(registered?.event.payload).not.toHaveProperty("birthDate")
      })
    )
  })

  it("a relay stopped mid-stream and started again: the consumer sees every event once", async () => {
    const { prefix, stream, checkpoint, durable } = names()
    await run(
      Effect.gen(function* () {
        const written = yield* fill(3)
        const total = written.flat().length
        yield* Effect.addFinalizer(() => dropStream(stream))
        const settings = { prefix, checkpoint, batchSize: 50, stream: { name: stream, storage: "memory" as const } }
        for (let round = 0; round < 3; round++) {
          const relay = yield* Relay.make(settings)
          const fiber = yield* Effect.forkScoped(relay.run)
          yield* Effect.sleep(`${20 + round * 15} millis`)
          yield* Fiber.interrupt(fiber)
        }
        // The last relay publishes the rest, from the first event again: the stream drops every re-sent event.
        const relay = yield* Relay.make({ ...settings, fromStart: true })
        yield* Effect.forkScoped(relay.run)
        const deliveries = yield* consume({ durable, stream }, total)
        expectExactlyOnceInOrder(
          deliveries.map((delivery) => delivery.event),
          written
        )
        while (!(yield* relay.status).caughtUp) yield* Effect.sleep("20 millis")
        const status = yield* relay.status
        expect(status.published).toBe(total)
        expect(status.duplicates).toBeGreaterThan(0)
        const { manager } = yield* Nats.Connection
        const info = yield* Effect.promise(() => manager.streams.info(stream))
        expect(info.state.messages).toBe(total)
      })
    )
  })

  it("holds back the later events of a case whose event was sent back, and drops what was acknowledged", async () => {
    const { prefix, stream, checkpoint, durable } = names()
    await run(
      Effect.gen(function* () {
        const written = yield* fill(1)
        const total = written.flat().length
        yield* Effect.addFinalizer(() => dropStream(stream))
        yield* Effect.forkScoped(Relay.run({ prefix, checkpoint, stream: { name: stream, storage: "memory" } }))
        const refused = new Set<string>()
        const seen: Array<PublicEvent.Envelope> = []
        yield* Consumer.stream({ durable, stream, nakDelayMs: 50 }).pipe(
          Stream.mapEffect((delivery) => {
            // The second event of every case is sent back once.
            if (delivery.event.version === 2 && !refused.has(delivery.event.caseId)) {
              refused.add(delivery.event.caseId)
              return Effect.as(delivery.nak(50), false)
            }
            seen.push(delivery.event)
            return Effect.as(delivery.ack, true)
          }),
          Stream.filter((acked) => acked),
          Stream.take(total),
          Stream.runDrain
        )
        expect(refused.size).toBe(written.filter((events) => events.length >= 2).length)
        expectExactlyOnceInOrder(seen, written)
      })
    )
  })

  it("terminates a message that is not a Lindung event, and goes on", async () => {
    const { prefix, stream, checkpoint, durable } = names()
    await run(
      Effect.gen(function* () {
        const written = yield* fill(1)
        yield* Effect.addFinalizer(() => dropStream(stream))
        yield* Relay.ensureStream({ name: stream, storage: "memory" }, prefix)
        const { jetstream } = yield* Nats.Connection
        yield* Effect.promise(() => jetstream.publish(`${prefix}.13.1371.ReportRegistered`, "not json"))
        yield* Effect.forkScoped(Relay.run({ prefix, checkpoint, stream: { name: stream, storage: "memory" } }))
        const deliveries = yield* consume({ durable, stream }, written.flat().length)
        expectExactlyOnceInOrder(
          deliveries.map((delivery) => delivery.event),
          written
        )
      })
    )
  })
})
