/**
 * The relay and the consumer helper against the real NATS server (`LINDUNG_NATS_URL`): every event of the seed
 * stories (copied over many cases) published once, in order, as CloudEvents in their public form; the sentinel
 * identity in no body and no header; a relay stopped and started again publishing nothing twice to a consumer; a
 * consumer's `nak` holding back the later events of its case; the deadline scheduler's escalations of an overdue case
 * on the stream, each once. Each test has a stream and subjects of its own.
 */
import {
  type Actor,
  Agency,
  CalendarDate,
  type CaseEvent,
  CaseModel,
  CaseService,
  Checkpoints,
  DeadlineScheduler,
  Directory,
  Person,
  Policy,
  type PublicEvent,
  Region
} from "@lindung/core"
import { layerMemory } from "@lindung/storage-memory"
import { Suite } from "@lindung/storage-testkit"
import { describeWith, fill, nats, SENTINEL, unique } from "@lindung/testing"
import type { Msg } from "@nats-io/transport-node"
import { headers as natsHeaders } from "@nats-io/transport-node"
import { Cause, Duration, Effect, Exit, Fiber, Layer, Result, Schema, Stream } from "effect"
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

/** Kota Padang's Dinas Sosial: an intake officer, a kasi, and the scheduler's system person. */
const padang = Agency.make({
  id: "dinsos-13.71",
  kind: "dinsos",
  name: "Dinas Sosial Kota Padang",
  region: "13.71",
  dinasType: "A"
})
const people = [
  Person.make({ id: "intake-padang", agency: padang.id, role: "intake-officer" }),
  Person.make({ id: "kasi-padang", agency: padang.id, role: "supervisor", position: "kasi" }),
  Person.make({ id: "lindung-scheduler", agency: padang.id, role: "system" })
]
const snapshot = Result.getOrThrow(Directory.make([padang], people))
const [intake, kasi, system] = people.map((person) => Person.actorOf(person, padang)) as [
  Actor.Actor,
  Actor.Actor,
  Actor.Actor
]

describeWith(nats, "transport-nats on a real NATS server", (url) => {
  const connection = Nats.layer({ servers: url, name: "lindung-test" })
  const run = <A, E>(
    effect: Effect.Effect<A, E, Nats.Connection | Layer.Success<typeof layerMemory> | import("effect").Scope.Scope>
  ) => Effect.runPromise(effect.pipe(Effect.scoped, Effect.provide(Layer.merge(layerMemory, connection))))

  it("refuses, before it runs, stream settings NATS would refuse for ever: replicas other than 1, 3 or 5, a bad name", async () => {
    const { prefix, checkpoint } = names()
    for (const stream of [{ replicas: 2 }, { replicas: 0 }, { name: "bad stream" }, { name: "a.b" }, { name: "" }]) {
      const made = await run(Effect.exit(Relay.make({ prefix, checkpoint, stream })))
      expect(Exit.isFailure(made) && Cause.pretty(made.cause), JSON.stringify(stream)).toMatch(/InvalidRelayConfig/)
    }
  })

  it("publishes every event once, in version order per case, as CloudEvents without identity or free text", async () => {
    const { prefix, stream, checkpoint, durable } = names()
    await run(
      Effect.gen(function* () {
        const written = yield* fill(2)
        const total = written.flat().length
        expect(written.length).toBeGreaterThanOrEqual(80)
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
  }, 120_000)

  it("publishes the scheduler's escalations: an overdue tinggi report to the supervisor, then the head, once each", async () => {
    const { prefix, stream, checkpoint, durable } = names()
    const caseId = Schema.decodeSync(CaseModel.CaseId)(`case-escalated-${unique()}`)
    const T0 = Date.parse("2026-03-02T01:00:00Z")
    const due = T0 + Duration.toMillis(Policy.defaults.deadlines["first-contact"].tinggi)
    const head = due + Duration.toMillis(Policy.defaults.escalation.toHeadAfter)
    await run(
      Effect.gen(function* () {
        const cases = yield* CaseService.CaseService
        yield* Suite.at(T0)(
          cases.register(intake, {
            caseId,
            sex: "female",
            ageAtReport: 9,
            region: Region.decodeSync("13.71"),
            owner: padang.id,
            source: "school",
            concerns: ["sexual-violence", "perpetrator-has-access"]
          })
        )
        // Passes by the scheduler as a server runs them: after the deadline, again, and once it is still overdue later.
        for (const at of [due + 60_000, due + 120_000, head + 60_000, head + 120_000]) {
          yield* Suite.at(at)(DeadlineScheduler.runOnce({ actor: system }))
        }
        const relay = yield* Relay.make({ prefix, checkpoint, stream: { name: stream, storage: "memory" } })
        yield* Effect.forkScoped(relay.run)
        yield* Effect.addFinalizer(() => dropStream(stream))
        while (!(yield* relay.status).caughtUp) yield* Effect.sleep("20 millis")
        const total = (yield* relay.status).published
        const deliveries = yield* consume({ durable, stream }, total)
        const escalations = deliveries.flatMap(({ event, subject }) =>
          event.caseId === caseId && event.payload._tag === "DeadlineEscalated"
            ? [{ deadline: event.payload.deadline, to: event.payload.escalatedTo, subject }]
            : []
        )
        const firstContact = escalations.filter((e) => e.deadline === "first-contact")
        expect(firstContact.map((e) => e.to)).toEqual(["supervisor", "head-of-dinas"])
        for (const e of escalations)
          expect(e.subject).toBe(Subjects.event(Region.decodeSync("13.71"), "DeadlineEscalated", prefix))
      }).pipe(Effect.provide(CaseService.layer().pipe(Layer.provide(Directory.layer(snapshot)))))
    )
  }, 120_000)

  it("never publishes a child's 18th birthday (its moment is the birth date), and numbers the case's later events without a gap", async () => {
    const { prefix, stream, checkpoint, durable } = names()
    const caseId = Schema.decodeSync(CaseModel.CaseId)(`case-adult-${unique()}`)
    // 18 on 4 March 2026, which begins at 17:00 UTC on the 3rd in Padang; reported two days before.
    const T0 = Date.parse("2026-03-02T01:00:00Z")
    const birthday = Date.parse("2026-03-03T17:00:00Z")
    await run(
      Effect.gen(function* () {
        const cases = yield* CaseService.CaseService
        yield* Suite.at(T0)(
          cases.register(intake, {
            caseId,
            sex: "male",
            birthDate: CalendarDate.decodeSync("2008-03-04"),
            region: Region.decodeSync("13.71"),
            owner: padang.id,
            source: "school",
            concerns: ["out-of-school"]
          })
        )
        yield* Suite.at(T0)(cases.execute(kasi, { _tag: "AssignCaseworker", caseId, caseworker: kasi.id }))
        yield* Suite.at(birthday + 60_000)(DeadlineScheduler.runOnce({ actor: system }))
        // Work on the case after the birthday: its public version follows the last published one.
        yield* Suite.at(birthday + 90_000)(
          cases.execute(kasi, { _tag: "UnassignCaseworker", caseId, caseworker: kasi.id })
        )
        const history = yield* Suite.at(birthday + 120_000)(cases.history(kasi, caseId))
        expect(history.map((event) => event.type)).toEqual([
          "ReportRegistered",
          "CaseworkerAssigned",
          "AdulthoodReached",
          "CaseworkerUnassigned"
        ])
        // Another report after it, so that the relay has to go past the withheld event.
        const later = Schema.decodeSync(CaseModel.CaseId)(`case-later-${unique()}`)
        yield* Suite.at(birthday + 180_000)(
          cases.register(intake, {
            caseId: later,
            sex: "female",
            ageAtReport: 9,
            region: Region.decodeSync("13.71"),
            owner: padang.id,
            source: "school",
            concerns: ["out-of-school"]
          })
        )
        const relay = yield* Relay.make({ prefix, checkpoint, stream: { name: stream, storage: "memory" } })
        yield* Effect.forkScoped(relay.run)
        yield* Effect.addFinalizer(() => dropStream(stream))
        while (!(yield* relay.status).caughtUp) yield* Effect.sleep("20 millis")
        const status = yield* relay.status
        expect([status.published, status.withheld]).toEqual([4, 1])
        const deliveries = yield* consume({ durable, stream }, 4)
        // (Cases are published side by side: the order holds within each case only.)
        const ofCase = (id: string) =>
          deliveries.flatMap(({ event, attributes }) =>
            event.caseId === id ? [[event.type, event.version, event.eventId, attributes.caseversion]] : []
          )
        // Version 4 of the case is its third published event: no gap tells that something was left out.
        expect(ofCase(caseId)).toEqual([
          ["ReportRegistered", 1, `${caseId}:1`, 1],
          ["CaseworkerAssigned", 2, `${caseId}:2`, 2],
          ["CaseworkerUnassigned", 3, `${caseId}:3`, 3]
        ])
        expect(ofCase(later)).toEqual([["ReportRegistered", 1, `${later}:1`, 1]])
        // The checkpoint is past every event: nothing is held back or sent again.
        const checkpoints = yield* Checkpoints.Checkpoints
        expect(yield* checkpoints.get(checkpoint)).toBe(status.position)
      }).pipe(Effect.provide(CaseService.layer().pipe(Layer.provide(Directory.layer(snapshot)))))
    )
  }, 120_000)

  it("a relay stopped mid-stream and started again: the consumer sees every event once", async () => {
    const { prefix, stream, checkpoint, durable } = names()
    await run(
      Effect.gen(function* () {
        const written = yield* fill(2)
        const total = written.flat().length
        yield* Effect.addFinalizer(() => dropStream(stream))
        const settings = { prefix, checkpoint, batchSize: 50, stream: { name: stream, storage: "memory" as const } }
        const checkpoints = yield* Checkpoints.Checkpoints
        for (let round = 0; round < 3; round++) {
          // Each round publishes something, then is stopped (possibly in the middle of a batch).
          const relay = yield* Relay.make(settings)
          const before = yield* checkpoints.get(checkpoint)
          const fiber = yield* Effect.forkScoped(relay.run)
          while ((yield* relay.status).published === 0) yield* Effect.sleep("2 millis")
          yield* Fiber.interrupt(fiber)
          const after = yield* checkpoints.get(checkpoint)
          expect(after).toBeGreaterThan(before)
          expect(after).toBe((yield* relay.status).position)
        }
        // The last relay resumes from the checkpoint and publishes the rest.
        const relay = yield* Relay.make(settings)
        yield* Effect.forkScoped(relay.run)
        const deliveries = yield* consume({ durable, stream }, total)
        expectExactlyOnceInOrder(
          deliveries.map((delivery) => delivery.event),
          written
        )
        while (!(yield* relay.status).caughtUp) yield* Effect.sleep("20 millis")
        const { manager } = yield* Nats.Connection
        const info = yield* Effect.promise(() => manager.streams.info(stream))
        expect(info.state.messages).toBe(total)
        // From the start again: every event is sent once more, and the stream drops every one (duplicate window).
        const again = yield* Relay.make({ ...settings, fromStart: true })
        yield* Effect.forkScoped(again.run)
        while ((yield* again.status).published < total) yield* Effect.sleep("20 millis")
        expect((yield* again.status).duplicates).toBe(total)
        expect((yield* Effect.promise(() => manager.streams.info(stream))).state.messages).toBe(total)
      })
    )
  }, 120_000)

  it("never stores an event of a case before an earlier one, even when publishes fail in the middle of a batch", async () => {
    const { prefix, stream, checkpoint } = names()
    await run(
      Effect.gen(function* () {
        const written = yield* fill(1)
        const total = written.flat().length
        yield* Effect.addFinalizer(() => dropStream(stream))
        // A stream that refuses the larger messages: batches fail part way, with other publishes stored around them.
        yield* Relay.ensureStream({ name: stream, storage: "memory" }, prefix)
        const { manager, jetstream } = yield* Nats.Connection
        const limited = yield* Effect.promise(() => manager.streams.info(stream))
        yield* Effect.promise(() => manager.streams.update(stream, { ...limited.config, max_msg_size: 1_600 }))
        const relay = yield* Relay.make({
          prefix,
          checkpoint,
          maxRetryWaitMs: 50,
          stream: { name: stream, storage: "memory" }
        })
        yield* Effect.forkScoped(relay.run)
        while ((yield* relay.status).failures < 3) yield* Effect.sleep("10 millis")
        const stored = yield* Effect.promise(() => manager.streams.info(stream))
        expect(stored.state.messages).toBeGreaterThan(0)
        expect(stored.state.messages).toBeLessThan(total)
        yield* Effect.promise(() => manager.streams.update(stream, { ...limited.config, max_msg_size: -1 }))
        while ((yield* relay.status).published < total) yield* Effect.sleep("20 millis")
        // Every message of the stream, in stream order: each case's versions only grow.
        const versions = yield* Effect.promise(async () => {
          const consumer = await jetstream.consumers.get(stream)
          const seen: Array<{ readonly caseId: string; readonly version: number }> = []
          const batch = await consumer.fetch({ max_messages: total + 10, expires: 2_000 })
          for await (const message of batch) {
            seen.push({
              caseId: message.headers?.get("ce-subject") ?? "",
              version: Number(message.headers?.get("ce-caseversion"))
            })
            if (seen.length === total) break
          }
          return seen
        })
        expect(versions.length).toBe(total)
        const last = new Map<string, number>()
        for (const { caseId, version } of versions) {
          expect(version, caseId).toBe((last.get(caseId) ?? 0) + 1)
          last.set(caseId, version)
        }
      })
    )
  }, 120_000)

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
  }, 120_000)

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
        // The foreign message was terminated: soon nothing waits for an ack, and nothing is left to deliver.
        const { manager } = yield* Nats.Connection
        const settled = () => Effect.promise(() => manager.consumers.info(stream, durable))
        let info = yield* settled()
        for (let i = 0; i < 100 && (info.num_ack_pending > 0 || info.num_pending > 0); i++) {
          yield* Effect.sleep("50 millis")
          info = yield* settled()
        }
        expect(info.num_ack_pending).toBe(0)
        expect(info.num_pending).toBe(0)
      })
    )
  }, 120_000)

  it("stops on a Lindung event it cannot decode (a newer version's), and sends it back rather than skip it", async () => {
    const { prefix, stream, durable } = names()
    await run(
      Effect.gen(function* () {
        yield* Effect.addFinalizer(() => dropStream(stream))
        yield* Relay.ensureStream({ name: stream, storage: "memory" }, prefix)
        const { jetstream, manager } = yield* Nats.Connection
        const headers = natsHeaders()
        headers.set("ce-specversion", "1.0")
        headers.set("ce-type", "id.lindung.case.ChildHeard.v1")
        headers.set("ce-id", "case-x:1")
        yield* Effect.promise(() =>
          jetstream.publish(`${prefix}.13.1371.ChildHeard`, JSON.stringify({ type: "ChildHeard" }), { headers })
        )
        const failure = yield* Effect.flip(Stream.runDrain(Consumer.stream({ durable, stream, nakDelayMs: 60_000 })))
        expect(failure).toMatchObject({
          _tag: "UndecodableEvent",
          eventId: "case-x:1",
          type: "id.lindung.case.ChildHeard.v1"
        })
        // Not acknowledged: it is still there for the next version of the consumer.
        const info = yield* Effect.promise(() => manager.consumers.info(stream, durable))
        expect(info.ack_floor.stream_seq).toBe(0)
      })
    )
  }, 120_000)

  it("fails, rather than wait silently, when its consumer is deleted", async () => {
    const { prefix, stream, durable, checkpoint } = names()
    await run(
      Effect.gen(function* () {
        yield* fill(1)
        yield* Effect.addFinalizer(() => dropStream(stream))
        yield* Effect.forkScoped(Relay.run({ prefix, checkpoint, stream: { name: stream, storage: "memory" } }))
        const { manager } = yield* Nats.Connection
        let seen = 0
        const failure = yield* Effect.flip(
          Consumer.stream({ durable, stream }).pipe(
            Stream.runForEach((delivery) =>
              Effect.gen(function* () {
                yield* delivery.ack
                seen++
                if (seen === 5) yield* Effect.promise(() => manager.consumers.delete(stream, durable))
              })
            ),
            Effect.timeout("30 seconds")
          )
        )
        expect(failure).toMatchObject({ _tag: "NatsUnavailable", operation: "consume" })
      })
    )
  }, 120_000)

  it("refuses a subject prefix that is not tokens, or whose stream would take in the command subjects", async () => {
    for (const prefix of ["lindung", "lindung.api", "a.*", "a..b", "a.>", ""]) {
      const made = await Effect.runPromise(Effect.exit(Relay.make({ prefix })))
      expect(made._tag, prefix).toBe("Failure")
    }
    expect((await Effect.runPromise(Effect.exit(Relay.make({ prefix: "lindung.case" }))))._tag).toBe("Success")
  })
})
