/**
 * The consumer helper: a durable JetStream pull consumer as an Effect `Stream` of decoded events in their public
 * form (`PublicEvent.Envelope`, upgraded to the current schema version), each with an explicit `ack` and `nak`.
 *
 * - **At least once**: an event not acknowledged (a crash, a `nak`, the ack wait passing) comes again; the durable
 *   consumer remembers what was acknowledged across restarts.
 * - **De-duplicated**: an event whose very version of its case was already acknowledged through this stream is
 *   acknowledged and dropped without being emitted — a re-send by a restarted relay, a redelivery. The stream
 *   remembers the last `casesRemembered` cases; a projection that must never apply an event twice across process
 *   restarts keeps the last version per case with its own data (see `examples/provincial-board`).
 * - **In order per case**: events are emitted in stream order, which is each case's version order (the relay never
 *   stores a case's event before an earlier one). When an event is `nak`ed, the later events of its case are held
 *   back (sent back with the same delay) until it comes again. Handle the stream's elements one at a time, in order
 *   (acknowledging several at once is fine as long as none is sent back), and run one process per durable consumer.
 *   An event sent back by a process that then stopped may come, in the next process, after later events of its case:
 *   it is emitted with `late: true`, never dropped.
 * - A message that is not a Lindung event at all (its `ce-*` headers are not Lindung's) is terminated (`term`) and
 *   logged with its subject and stream sequence only. A Lindung event this version cannot decode (a newer event type
 *   or schema version) is sent back and fails the stream with {@link UndecodableEvent}: update the consumer; nothing
 *   is skipped.
 * - The stream fails with `NatsUnavailable` when the consumer cannot be created or stops delivering (its connection
 *   closed, the consumer deleted); it never ends by itself.
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
import { Match } from "@nats-io/transport-node"
import { Effect, Result, Schedule, Schema, Stream } from "effect"
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
  /** True when a later version of its case was acknowledged before it came (see the module notes). */
  readonly late: boolean
  /**
   * Acknowledges the event: it will not come again (if the acknowledgement is lost on the way, the event comes again
   * and is dropped as a duplicate in this process).
   */
  readonly ack: Effect.Effect<void>
  /** Acknowledges the event and waits for the server to confirm it. */
  readonly ackConfirmed: Effect.Effect<void, Nats.NatsUnavailable>
  /** Sends the event back, to come again after `delayMs` (default the config's `nakDelayMs`). */
  readonly nak: (delayMs?: number) => Effect.Effect<void>
}

/**
 * A Lindung event that this version cannot decode — a newer event type or schema version, or an upcaster that fails:
 * the message was sent back, and the stream stops rather than skip it.
 */
export class UndecodableEvent extends Schema.TaggedError<UndecodableEvent>()("UndecodableEvent", {
  eventId: Schema.String,
  type: Schema.String,
  sequence: Schema.Number
}) {
  override get message(): string {
    return `Event ${this.eventId} (${this.type}, stream sequence ${this.sequence}) does not decode with this version`
  }
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
    // Held-back events are sent back again and again until their case's earlier event is handled: never given up.
    max_deliver: -1,
    ...(subjects.length === 1 ? { filter_subject: subjects[0] } : {}),
    ...(subjects.length > 1 ? { filter_subjects: [...subjects] } : {})
  }
  yield* Effect.tryPromise({
    try: async () => {
      const existing = await manager.consumers.info(stream, config.durable).catch((error: unknown) => {
        if (error instanceof Error && /consumer not found/i.test(error.message)) return undefined
        throw error
      })
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

/** Why a message is not emitted: not a Lindung event at all, or a Lindung event this version cannot decode. */
export type DecodeFailure =
  | { readonly _tag: "NotLindung"; readonly reason: string }
  | { readonly _tag: "Undecodable"; readonly eventId: string; readonly type: string }

/** Reads a message as a Lindung event: its attributes and its public form, or why it is not one. */
export const decode = (
  message: Pick<JsMsg, "headers" | "data">
): Result.Result<
  { readonly attributes: CloudEvent.Attributes; readonly event: PublicEvent.Envelope },
  DecodeFailure
> => {
  const header = (name: string) => {
    const value = message.headers?.get(name, Match.IgnoreCase)
    return value === undefined || value.length === 0 ? undefined : value
  }
  // A Lindung event says so in its headers; only what does not is foreign. Anything that says it is one but does not
  // decode with this version (a newer province, type or schema) is undecodable, never skipped.
  const type = header("ce-type")
  if (header("ce-specversion") === undefined || type === undefined || !type.startsWith(CloudEvent.TYPE_PREFIX)) {
    return Result.fail({ _tag: "NotLindung", reason: "its ce-* headers are not a Lindung CloudEvent" })
  }
  const undecodable = {
    _tag: "Undecodable" as const,
    eventId: header("ce-id") ?? "",
    type
  }
  const attributes = CloudEvent.attributesOf(header)
  if (Result.isFailure(attributes)) return Result.fail(undecodable)
  try {
    const event = PublicEvent.decode(JSON.parse(new TextDecoder().decode(message.data)))
    if (event.eventId !== attributes.success.id || event.caseId !== attributes.success.subject) {
      return Result.fail(undecodable)
    }
    return Result.succeed({ attributes: attributes.success, event })
  } catch {
    return Result.fail(undecodable)
  }
}

/**
 * The events of a durable consumer, created (or updated) first, as a stream. The stream ends only when interrupted;
 * it fails with `NatsUnavailable` when the consumer cannot be created or read.
 */
export const stream = (
  config: Config
): Stream.Stream<Delivery, Nats.NatsUnavailable | UndecodableEvent, Nats.Connection> =>
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
              max_messages: config.prefetch ?? 256,
              // A deleted consumer or stream ends the messages (and so fails the stream) instead of a silent wait;
              // pulls of 5 s (heartbeats every 2.5 s) find it out within seconds.
              abort_on_missing_resource: true,
              expires: 5_000
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
      ).pipe(
        // The messages end only when the consumer stops delivering (its connection closed, the consumer deleted).
        Stream.concat(
          Stream.fail(new Nats.NatsUnavailable({ operation: "consume", detail: "the consumer stopped delivering" }))
        )
      )
      return Stream.filterMapEffect(deliveries, (message: JsMsg) =>
        Effect.gen(function* () {
          const decoded = decode(message)
          if (Result.isFailure(decoded)) {
            const failure = decoded.failure
            if (failure._tag === "Undecodable") {
              message.nak(nakDelay)
              return yield* new UndecodableEvent({
                eventId: failure.eventId,
                type: failure.type,
                sequence: message.seq
              })
            }
            // Without a reason: servers before 2.10 ignore a termination that gives one (the reason is logged here).
            message.term()
            yield* Effect.logWarning("consumer: a message that is not a Lindung event was terminated").pipe(
              Effect.annotateLogs({ subject: message.subject, sequence: message.seq, reason: failure.reason })
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
          const acknowledged = () => ledger.ack(event.caseId, event.version)
          const delivery: Delivery = {
            event,
            attributes,
            subject: message.subject,
            sequence: message.seq,
            redelivered: message.redelivered,
            late: verdict === "late",
            ack: Effect.sync(() => {
              message.ack()
              acknowledged()
            }),
            ackConfirmed: Effect.tryPromise({
              try: () => message.ackAck(),
              catch: (cause) => new Nats.NatsUnavailable({ operation: "ack", detail: Nats.describe(cause) })
            }).pipe(
              Effect.andThen(Effect.sync(acknowledged)),
              // Unconfirmed, the ack may still have arrived: the case's later events no longer wait for this one.
              Effect.tapError(() => Effect.sync(() => ledger.settle(event.caseId, event.version)))
            ),
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
