/**
 * The consumer helper: a durable JetStream pull consumer as an Effect `Stream` of decoded events in their public
 * form (`PublicEvent.Envelope`, upgraded to the current schema version), each with an explicit `ack` and `nak`.
 *
 * - **At least once**: an event not acknowledged (a crash, a `nak`, the ack wait passing) comes again; the durable
 *   consumer remembers what was acknowledged across restarts.
 * - **De-duplicated**: an event whose case already had that version (or a later one) acknowledged through this
 *   stream is acknowledged and dropped without being emitted — a re-send by a restarted relay, a redelivery. The
 *   stream remembers the last `casesRemembered` cases; a projection that must never apply an event twice across
 *   process restarts keeps the last version per case with its own data (see the example projection).
 * - **In order per case**: events are emitted in stream order, which is each case's version order. When an event
 *   is `nak`ed, the later events of its case are held back (sent back with the same delay) until it comes again,
 *   so a case's events are never handled out of order. Handle the stream's elements one at a time (or one case
 *   at a time) to keep that order.
 * - A message that is not a Lindung event (bad headers or body) is terminated (`term`) and logged with its subject
 *   and stream sequence only; it is never emitted.
 *
 * @example
 * ```ts
 * import { Consumer } from "@lindung/transport-nats"
 *
 * const board = Consumer.stream({ durable: "provincial-board", subjects: ["lindung.case.13.>"] }).pipe(
 *   Stream.runForEach((delivery) => Effect.andThen(count(delivery.event), delivery.ack))
 * )
 * ```
 *
 * @since 0.3.0
 */

import { PublicEvent } from "@lindung/core"
import { AckPolicy, DeliverPolicy, type JsMsg } from "@nats-io/jetstream"
import { Effect, Result, Schedule, Stream } from "effect"
import * as CloudEvent from "./CloudEvent.js"
import { Ledger } from "./internal/Ledger.js"
import * as Nats from "./Nats.js"
import * as Relay from "./Relay.js"

/** How the consumer reads. */
export interface Config {
  /** The durable consumer's name: what it acknowledged is kept under it. */
  readonly durable: string
  /** The stream. Default `Relay.DEFAULT_STREAM`. */
  readonly stream?: string
  /** The subjects to receive (see `Subjects`); default every event. */
  readonly subjects?: ReadonlyArray<string>
  /** Where a new durable consumer starts: `all` (default) or `new` (events published from now on). */
  readonly deliver?: "all" | "new"
  /** How long an emitted event may wait for its ack before it is sent again, in milliseconds. Default 30000. */
  readonly ackWaitMs?: number
  /** How many messages are fetched ahead. Default 256. */
  readonly prefetch?: number
  /** How many cases' last acknowledged versions are remembered for de-duplication. Default 100,000. */
  readonly casesRemembered?: number
  /** The delay of a `nak` without a delay, and of the events held back behind it, in milliseconds. Default 1000. */
  readonly nakDelayMs?: number
}

/** One event as the stream emits it. */
export interface Delivery {
  readonly event: PublicEvent.Envelope
  /** The CloudEvents attributes of its message. */
  readonly attributes: CloudEvent.Attributes
  readonly subject: string
  /** The message's sequence number in the stream. */
  readonly sequence: number
  /** True when the message was delivered before and not acknowledged. */
  readonly redelivered: boolean
  /** Acknowledges the event (confirmed by the server): it will not come again. */
  readonly ack: Effect.Effect<void, Nats.NatsUnavailable>
  /** Sends the event back, to come again after `delayMs` (default the config's `nakDelayMs`). */
  readonly nak: (delayMs?: number) => Effect.Effect<void>
}

/** Creates the durable consumer, or updates its subjects and ack wait when it exists. */
export const ensure = Effect.fn("Consumer.ensure")(function* (config: Config) {
  const { manager } = yield* Nats.Connection
  const stream = config.stream ?? Relay.DEFAULT_STREAM
  const subjects = config.subjects ?? []
  const wanted = {
    durable_name: config.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: config.deliver === "new" ? DeliverPolicy.New : DeliverPolicy.All,
    ack_wait: (config.ackWaitMs ?? 30_000) * 1_000_000,
    max_ack_pending: Math.max(1_000, (config.prefetch ?? 256) * 4),
    ...(subjects.length === 1 ? { filter_subject: subjects[0] } : {}),
    ...(subjects.length > 1 ? { filter_subjects: [...subjects] } : {})
  }
  yield* Effect.tryPromise({
    try: async () => {
      const existing = await manager.consumers.info(stream, config.durable).catch(() => undefined)
      if (existing === undefined) await manager.consumers.add(stream, wanted)
      else {
        const { deliver_policy: _fixed, ...mutable } = wanted
        await manager.consumers.update(stream, config.durable, mutable)
      }
    },
    catch: (cause) => new Nats.NatsUnavailable({ operation: "ensure consumer", detail: Nats.describe(cause) })
  }).pipe(
    // A consumer may start before the relay has created the stream: it waits for it.
    Effect.tapError((error) =>
      error.detail.includes("stream not found")
        ? Effect.logInfo("consumer: waiting for the stream").pipe(Effect.annotateLogs({ stream }))
        : Effect.void
    ),
    Effect.retry({
      schedule: Schedule.spaced("500 millis"),
      while: (error) => error.detail.includes("stream not found")
    })
  )
})

/** Reads a message as a Lindung event: its attributes and its public form, or why it is not one. */
export const decode = (
  message: Pick<JsMsg, "headers" | "data">
): Result.Result<{ readonly attributes: CloudEvent.Attributes; readonly event: PublicEvent.Envelope }, string> => {
  const attributes = CloudEvent.attributesOf((name) => message.headers?.get(name))
  if (Result.isFailure(attributes)) return Result.fail("its ce-* headers are not a Lindung CloudEvent")
  try {
    const event = PublicEvent.decode(JSON.parse(new TextDecoder().decode(message.data)))
    if (event.eventId !== attributes.success.id || event.caseId !== attributes.success.subject) {
      return Result.fail("its body is not the event its headers name")
    }
    return Result.succeed({ attributes: attributes.success, event })
  } catch {
    return Result.fail("its body is not a public Lindung event")
  }
}

/**
 * The events of a durable consumer, created (or updated) first, as a stream. The stream ends only when interrupted;
 * it fails with `NatsUnavailable` when the consumer cannot be created or read.
 */
export const stream = (config: Config): Stream.Stream<Delivery, Nats.NatsUnavailable, Nats.Connection> =>
  Stream.unwrap(
    Effect.gen(function* () {
      yield* ensure(config)
      const { jetstream } = yield* Nats.Connection
      const streamName = config.stream ?? Relay.DEFAULT_STREAM
      const nakDelay = config.nakDelayMs ?? 1_000
      const ledger = new Ledger(config.casesRemembered ?? 100_000)
      const messages = yield* Effect.acquireRelease(
        Effect.tryPromise({
          try: async () =>
            (await jetstream.consumers.get(streamName, config.durable)).consume({
              max_messages: config.prefetch ?? 256
            }),
          catch: (cause) => new Nats.NatsUnavailable({ operation: "consume", detail: Nats.describe(cause) })
        }),
        (messages) =>
          Effect.promise(() =>
            messages.close().then(
              () => undefined,
              () => undefined
            )
          )
      )
      const deliveries = Stream.fromAsyncIterable(
        messages,
        (cause) => new Nats.NatsUnavailable({ operation: "consume", detail: Nats.describe(cause) })
      )
      return Stream.filterMapEffect(deliveries, (message: JsMsg) =>
        Effect.gen(function* () {
          const decoded = decode(message)
          if (Result.isFailure(decoded)) {
            message.term(decoded.failure)
            yield* Effect.logWarning("consumer: a message that is not a Lindung event was terminated").pipe(
              Effect.annotateLogs({ subject: message.subject, sequence: message.seq, reason: decoded.failure })
            )
            return Result.failVoid
          }
          const { event, attributes } = decoded.success
          const verdict = ledger.judge(event.caseId, event.version)
          if (verdict === "duplicate") {
            message.ack()
            return Result.failVoid
          }
          if (verdict === "hold") {
            message.nak(nakDelay)
            return Result.failVoid
          }
          const delivery: Delivery = {
            event,
            attributes,
            subject: message.subject,
            sequence: message.seq,
            redelivered: message.redelivered,
            ack: Effect.tryPromise({
              try: () => message.ackAck(),
              catch: (cause) => new Nats.NatsUnavailable({ operation: "ack", detail: Nats.describe(cause) })
            }).pipe(Effect.andThen(Effect.sync(() => ledger.ack(event.caseId, event.version)))),
            nak: (delayMs) =>
              Effect.sync(() => {
                ledger.nak(event.caseId, event.version)
                message.nak(delayMs ?? nakDelay)
              })
          }
          return Result.succeed(delivery)
        })
      )
    })
  )
