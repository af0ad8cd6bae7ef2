/**
 * The relay: the event log as an outbox. It reads the store's events in global order after a named checkpoint
 * (`Checkpoints`), publishes each to JetStream as a CloudEvent in its public form (`PublicEvent`: no identity, no
 * free text), and moves the checkpoint only once every event of a batch is acknowledged by the stream.
 *
 * - **At least once, never lost**: a relay stopped or killed between a publish and its checkpoint publishes the
 *   batch again when it restarts; `Nats-Msg-Id` is the event id, so the stream drops a re-sent event within its
 *   duplicate window ({@link DEFAULT_DUPLICATE_WINDOW}, longer than a restart takes), and consumers de-duplicate by
 *   event id in any case (`Consumer`).
 * - **In order**: events are published in global order, so each case's events reach the stream in version order.
 * - **No gap**: an event whose moment is personal (a child's 18th birthday, `PublicEvent.withheld`) is not published,
 *   and the case's later events are numbered without it (`PublicEvent.encode`): versions 1, 2, 3… per case, whose
 *   gaps would tell that, and about when, the child turned 18. The event id is `<case id>:<that version>`.
 * - **Back-pressure**: at most `maxInFlight` publishes wait for their acknowledgement at once.
 * - **Outages**: when NATS or the store fails, the relay waits (a growing wait, up to `maxRetryWaitMs`) and
 *   reads again from its checkpoint; the connection reconnects by itself (`Nats`). Failures are logged with their
 *   operation only, never with an event.
 * - **Stopping**: interrupting {@link run} stops its publishing at once (the batch is published again by the next
 *   relay); a checkpoint being written is written first.
 * - **One relay per store and checkpoint**: two relays on one checkpoint publish every event twice (the stream
 *   drops the second copy within its duplicate window); run one, with a standby that starts when it stops.
 *
 * The subject of an event carries the region the case had when the event happened (`envelope.region`), so a
 * relocated case publishes its earlier events under its earlier region. Its CloudEvents `source` is the agency that
 * owned the case when the event was decided (a registration names its owner).
 *
 * @example
 * ```ts
 * import { Nats, Relay } from "@lindung/transport-nats"
 *
 * const relay = Relay.run({ checkpoint: "relay:nats" }) // Effect<never, never, EventStore | Checkpoints | Nats.Connection>
 * Effect.runFork(relay.pipe(Effect.provide([storage, Nats.layer({ servers: "nats://127.0.0.1:4222" })])))
 * ```
 *
 * @since 0.3.0
 */

import { Case, type CaseEvent, Checkpoints, EventStore, PublicEvent, type Region } from "@lindung/core"
import { DiscardPolicy, RetentionPolicy, StorageType, type StreamConfig } from "@nats-io/jetstream"
import { headers as natsHeaders } from "@nats-io/transport-node"
import { Cause, DateTime, Duration, Effect, Layer, Option, Ref, Schema } from "effect"
import * as CloudEvent from "./CloudEvent.js"
import * as Nats from "./Nats.js"
import * as Subjects from "./Subjects.js"

/** The default stream name. */
export const DEFAULT_STREAM = "LINDUNG_CASE_EVENTS"

/** The default checkpoint name. */
export const DEFAULT_CHECKPOINT = "relay:nats"

/**
 * The default duplicate window of the stream: one hour. A relay that restarts within it re-sends nothing that
 * reaches consumers twice; one that restarts later re-sends at most one batch, which consumers drop by event id.
 */
export const DEFAULT_DUPLICATE_WINDOW: Duration.Duration = Duration.hours(1)

/** The events read (and published) per batch by default. */
export const DEFAULT_BATCH_SIZE = 500

/** The publishes that may wait for their acknowledgement at once, by default. */
export const DEFAULT_MAX_IN_FLIGHT = 256

/** How long the relay waits, by default, before reading again once every event is published: 50 ms. */
export const DEFAULT_IDLE_WAIT_MS = 50

/** The stream the relay creates, or updates when it exists. */
export interface StreamSettings {
  /** Default {@link DEFAULT_STREAM}. */
  readonly name?: string
  /** Copies kept by a NATS cluster (1, 3 or 5). Default 1 (a single server); use 3 in a cluster. */
  readonly replicas?: number
  /** How long a message is kept; default none (kept until removed by hand, like the event log it mirrors). */
  readonly maxAge?: Duration.Input
  /** The most bytes kept; default none. When reached, the oldest messages are removed. */
  readonly maxBytes?: number
  /** Default {@link DEFAULT_DUPLICATE_WINDOW}. */
  readonly duplicateWindow?: Duration.Input
  /** `file` (default) or `memory`. Fixed when the stream is created. */
  readonly storage?: "file" | "memory"
}

/** How the relay runs. */
export interface Config {
  /** The checkpoint's name. Default {@link DEFAULT_CHECKPOINT}. */
  readonly checkpoint?: string
  /** Publish from the first event, whatever the checkpoint says (it is then moved on as usual). */
  readonly fromStart?: boolean
  readonly stream?: StreamSettings
  /** The first tokens of every subject. Default `Subjects.DEFAULT_PREFIX` (`lindung.case`). */
  readonly prefix?: string
  /**
   * The first tokens of the command subjects of the deployment, which the stream must not take in. Default
   * `Subjects.DEFAULT_API_PREFIX` (`lindung.api`).
   */
  readonly apiPrefix?: string
  /** Events read per batch (1 to `EventStore.MAX_READ`). Default {@link DEFAULT_BATCH_SIZE}. */
  readonly batchSize?: number
  /** Default {@link DEFAULT_MAX_IN_FLIGHT}. */
  readonly maxInFlight?: number
  /**
   * How long to wait before reading again once every event is published. Default {@link DEFAULT_IDLE_WAIT_MS}: a read
   * of nothing costs one indexed query, 20 a second; the wait bounds how late a new event is published.
   */
  readonly idleWaitMs?: number
  /** How long a publish waits for its acknowledgement. Default 5000 ms. */
  readonly ackTimeoutMs?: number
  /** The longest wait between two attempts after a failure. Default 5000 ms. */
  readonly maxRetryWaitMs?: number
  /** The `dataschema` of an event. Default `CloudEvent.dataSchemaOf`. */
  readonly dataSchema?: (type: CaseEvent.Type, schemaVersion: number) => string
  /** How many cases' owners and regions the relay remembers (others are read from the store). Default 10,000. */
  readonly caseCacheSize?: number
}

/** What the relay has done: for health checks, metrics and tests. */
export interface Status {
  /** The position of the checkpoint: every event up to it is acknowledged by the stream. */
  readonly position: number
  /** Events published (acknowledged) since the relay started, duplicates dropped by the stream included. */
  readonly published: number
  /** Events passed over since the relay started: their type is never published (`PublicEvent.withheld`). */
  readonly withheld: number
  /** Of those, how many the stream reported as duplicates. */
  readonly duplicates: number
  /** Failures since the relay started (each followed by a wait and a new attempt). */
  readonly failures: number
  /** The last failure's operation and error tag, never its data. */
  readonly lastFailure?: string
  /** True when the last read found nothing more to publish. */
  readonly caughtUp: boolean
}

/** The relay's configuration is unusable. */
export class InvalidRelayConfig extends Schema.TaggedError<InvalidRelayConfig>()("InvalidRelayConfig", {
  reason: Schema.String
}) {
  override get message(): string {
    return `Invalid relay configuration: ${this.reason}`
  }
}

/** An event the relay cannot turn into a message (a defect of the event or of this version): it is retried. */
export class UnpublishableEvent extends Schema.TaggedError<UnpublishableEvent>()("UnpublishableEvent", {
  position: Schema.Number,
  reason: Schema.String
}) {}

/** The name of an error, never its message (a message may quote the values it failed on). */
const errorName = (cause: unknown): string =>
  cause instanceof Error ? cause.name : typeof cause === "object" && cause !== null ? "object" : typeof cause

const nanos = (input: Duration.Input): number => Math.round(Duration.toMillis(Duration.fromInputUnsafe(input)) * 1e6)

/** The stream configuration of the settings (subjects under `prefix`). */
export const streamConfig = (settings: StreamSettings = {}, prefix: string = Subjects.DEFAULT_PREFIX) => ({
  name: settings.name ?? DEFAULT_STREAM,
  subjects: [Subjects.all(prefix)],
  retention: RetentionPolicy.Limits,
  discard: DiscardPolicy.Old,
  storage: settings.storage === "memory" ? StorageType.Memory : StorageType.File,
  num_replicas: settings.replicas ?? 1,
  max_age: settings.maxAge === undefined ? 0 : nanos(settings.maxAge),
  max_bytes: settings.maxBytes ?? -1,
  duplicate_window: nanos(settings.duplicateWindow ?? DEFAULT_DUPLICATE_WINDOW)
})

/** Creates the stream, or updates its subjects, replicas, limits and duplicate window when it exists. */
export const ensureStream = Effect.fn("Relay.ensureStream")(function* (
  settings: StreamSettings = {},
  prefix: string = Subjects.DEFAULT_PREFIX
) {
  const { manager } = yield* Nats.Connection
  const wanted = streamConfig(settings, prefix)
  yield* Effect.tryPromise({
    try: async () => {
      const existing = await manager.streams.info(wanted.name).catch((error: unknown) => {
        if (error instanceof Error && /stream not found/i.test(error.message)) return undefined
        throw error
      })
      if (existing === undefined) {
        await manager.streams.add(wanted as Partial<StreamConfig> & { name: string })
        return
      }
      const { storage: _fixed, retention: _retention, ...mutable } = wanted
      const current = existing.config
      const differs = (Object.keys(mutable) as Array<keyof typeof mutable>).some(
        (key) => JSON.stringify(current[key]) !== JSON.stringify(mutable[key])
      )
      if (differs) await manager.streams.update(wanted.name, mutable)
    },
    catch: (cause) => new Nats.NatsUnavailable({ operation: "ensure stream", detail: Nats.describe(cause) })
  })
  return wanted.name
})

/** A case as the relay tracks it: its state after the last event published. */
type Tracked = Case.State

/** A small least-recently-used map. */
class Lru<V> {
  private readonly map = new Map<string, V>()
  private readonly capacity: number
  constructor(capacity: number) {
    this.capacity = capacity
  }
  get(key: string): V | undefined {
    const value = this.map.get(key)
    if (value !== undefined) {
      this.map.delete(key)
      this.map.set(key, value)
    }
    return value
  }
  set(key: string, value: V): void {
    this.map.delete(key)
    this.map.set(key, value)
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as string)
  }
}

/** The message of one event: subject, id, headers and body (and its case, which orders publishes). */
export interface Message {
  readonly subject: string
  readonly id: string
  readonly caseId: string
  readonly headers: ReadonlyArray<readonly [string, string]>
  readonly body: string
}

/**
 * The message of an event, given the case's state before it (its owner and region, and how many of its events were
 * withheld: the message's id and `caseversion` count only the case's published events, `PublicEvent.encode`).
 */
export const messageOf = (
  event: CaseEvent.Envelope,
  before: Case.State,
  options: {
    readonly prefix?: string
    readonly dataSchema?: (type: CaseEvent.Type, schemaVersion: number) => string
  } = {}
): Message => {
  const payload = event.payload
  const owner =
    payload._tag === "ReportRegistered" ? payload.owner : before._tag === "Empty" ? event.actor.agency : before.owner
  const region: Region.RegionCode | undefined =
    event.region ??
    (payload._tag === "ReportRegistered" ? payload.region : before._tag === "Empty" ? undefined : before.region)
  const type = event.type as CaseEvent.Type
  const published = PublicEvent.encode(event, before)
  const attributes: CloudEvent.Attributes = {
    specversion: CloudEvent.SPEC_VERSION,
    id: published.eventId,
    source: CloudEvent.sourceOf(owner),
    type: CloudEvent.typeOf(type, event.schemaVersion),
    subject: event.caseId,
    time: DateTime.formatIso(event.occurredAt),
    dataschema: (options.dataSchema ?? CloudEvent.dataSchemaOf)(type, event.schemaVersion),
    caseversion: published.version,
    ...(region === undefined ? {} : { region })
  }
  return {
    subject: Subjects.event(region, type, options.prefix),
    id: published.eventId,
    caseId: event.caseId,
    headers: CloudEvent.headersOf(attributes),
    body: JSON.stringify(published)
  }
}

const checkConfig = (config: Config): Effect.Effect<void, InvalidRelayConfig> => {
  const batch = config.batchSize ?? DEFAULT_BATCH_SIZE
  const inFlight = config.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT
  if (!Number.isSafeInteger(batch) || batch < 1 || batch > EventStore.MAX_READ) {
    return Effect.fail(new InvalidRelayConfig({ reason: `batchSize must be 1 to ${EventStore.MAX_READ}` }))
  }
  if (!Number.isSafeInteger(inFlight) || inFlight < 1) {
    return Effect.fail(new InvalidRelayConfig({ reason: "maxInFlight must be a whole number of 1 or more" }))
  }
  const name = config.checkpoint ?? DEFAULT_CHECKPOINT
  if (name.length === 0 || name.length > 200) {
    return Effect.fail(new InvalidRelayConfig({ reason: "the checkpoint name must have 1 to 200 characters" }))
  }
  const prefix = Subjects.checkPrefixes(config.prefix ?? Subjects.DEFAULT_PREFIX, config.apiPrefix)
  if (prefix !== undefined) return Effect.fail(new InvalidRelayConfig({ reason: prefix }))
  const settings = config.stream ?? {}
  if (settings.replicas !== undefined && ![1, 3, 5].includes(settings.replicas)) {
    return Effect.fail(
      new InvalidRelayConfig({ reason: `the stream's replicas are 1, 3 or 5, not ${settings.replicas}` })
    )
  }
  // JetStream names: no whitespace, dots, wildcards or path separators.
  if (settings.name !== undefined && !/^[^\s.*>/\\]{1,255}$/u.test(settings.name)) {
    return Effect.fail(
      new InvalidRelayConfig({
        reason: `the stream name ${JSON.stringify(settings.name.slice(0, 40))} must have 1 to 255 characters, without whitespace, dots, *, >, / or \\`
      })
    )
  }
  if (settings.maxAge !== undefined) {
    const maxAge = Duration.toMillis(Duration.fromInputUnsafe(settings.maxAge))
    const window = Duration.toMillis(Duration.fromInputUnsafe(settings.duplicateWindow ?? DEFAULT_DUPLICATE_WINDOW))
    if (maxAge > 0 && maxAge < window) {
      return Effect.fail(
        new InvalidRelayConfig({ reason: "the stream's maxAge must not be shorter than its duplicate window" })
      )
    }
  }
  return Effect.void
}

/** A relay: its loop, and what it has done so far. */
export interface Relay {
  /** Publishes forever (until interrupted). */
  readonly run: Effect.Effect<never, never, EventStore.EventStore | Checkpoints.Checkpoints | Nats.Connection>
  readonly status: Effect.Effect<Status>
}

/** Makes a relay (nothing runs until its `run` does). */
export const make = Effect.fn("Relay.make")(function* (config: Config = {}) {
  yield* checkConfig(config)
  const checkpoint = config.checkpoint ?? DEFAULT_CHECKPOINT
  const batchSize = config.batchSize ?? DEFAULT_BATCH_SIZE
  const maxInFlight = config.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT
  const ackTimeout = config.ackTimeoutMs ?? 5_000
  const maxWait = config.maxRetryWaitMs ?? 5_000
  const idleWait = config.idleWaitMs ?? DEFAULT_IDLE_WAIT_MS
  const options = {
    ...(config.prefix === undefined ? {} : { prefix: config.prefix }),
    ...(config.dataSchema === undefined ? {} : { dataSchema: config.dataSchema })
  }
  const status = yield* Ref.make<Status>({
    position: 0,
    published: 0,
    withheld: 0,
    duplicates: 0,
    failures: 0,
    caughtUp: false
  })
  const cases = new Lru<Tracked>(config.caseCacheSize ?? 10_000)

  /** The state of a case before `event`: tracked, else folded from the store. */
  const before = Effect.fn("Relay.caseBefore")(function* (event: CaseEvent.Envelope) {
    const tracked = cases.get(event.caseId)
    if (tracked !== undefined && tracked.version === event.version - 1) return tracked
    if (event.version === 1) return Case.initialState
    const store = yield* EventStore.EventStore
    const history = yield* store.load(event.caseId)
    return Case.fold(history.filter((earlier) => earlier.version < event.version))
  })

  /**
   * Publishes a batch and waits for every ack. Publishes of different cases overlap (at most `maxInFlight` at once);
   * a case's next event is sent only once its previous one is acknowledged, and nothing more is sent after a failure,
   * so the stream never holds an event of a case before an earlier one (a failed publish is retried with the batch).
   */
  const publishAll = (messages: ReadonlyArray<Message>) =>
    Effect.flatMap(Nats.Connection, ({ jetstream }) =>
      Effect.tryPromise({
        try: async (signal) => {
          let failed = false
          let failure: unknown
          let duplicates = 0
          let inFlight = 0
          let wake: (() => void) | undefined
          const all: Array<Promise<void>> = []
          const lastOfCase = new Map<string, Promise<void>>()
          for (const message of messages) {
            // At most `maxInFlight` publishes started and not settled; none after a failure or an interruption.
            while (inFlight >= maxInFlight && !failed) await new Promise<void>((resolve) => (wake = resolve))
            if (failed || signal.aborted) break
            inFlight++
            const previous = lastOfCase.get(message.caseId) ?? Promise.resolve()
            const sent = previous.then(async () => {
              // Every error is caught here, so no rejection goes unhandled; the first one fails the batch.
              try {
                if (failed || signal.aborted) return
                const headers = natsHeaders()
                for (const [name, value] of message.headers) headers.set(name, value)
                const ack = await jetstream.publish(message.subject, message.body, {
                  msgID: message.id,
                  headers,
                  timeout: ackTimeout
                })
                if (ack.duplicate) duplicates++
              } catch (error) {
                if (!failed) failure = error
                failed = true
              } finally {
                inFlight--
                wake?.()
                wake = undefined
              }
            })
            lastOfCase.set(message.caseId, sent)
            all.push(sent)
          }
          await Promise.all(all)
          if (failed) throw failure
          if (signal.aborted) throw new Error("interrupted")
          return duplicates
        },
        catch: (cause) => new Nats.NatsUnavailable({ operation: "publish", detail: Nats.describe(cause) })
      })
    )

  /** Reads one batch after `position`, publishes it and moves the checkpoint: the new position. */
  const step = Effect.fn("Relay.step")(function* (position: number) {
    const store = yield* EventStore.EventStore
    const batch = yield* store.readAfter(position, batchSize)
    if (batch.length === 0) return position
    const messages: Array<Message> = []
    const after = new Map<string, Tracked>()
    for (const stored of batch) {
      const state = after.get(stored.event.caseId) ?? (yield* before(stored.event))
      // An event whose moment is personal (a child's 18th birthday) is followed in the case's state, never sent.
      const published = PublicEvent.isPublished(stored.event.type as CaseEvent.Type)
      const built = yield* Effect.try({
        try: () => ({
          message: published ? messageOf(stored.event, state, options) : undefined,
          next: Case.evolve(state, stored.event)
        }),
        catch: (cause) => new UnpublishableEvent({ position: stored.position, reason: errorName(cause) })
      })
      if (built.message !== undefined) messages.push(built.message)
      after.set(stored.event.caseId, built.next)
    }
    const last = (batch[batch.length - 1] as EventStore.StoredEvent).position
    const checkpoints = yield* Checkpoints.Checkpoints
    // An interruption stops the publishing (what was published is published again by the next relay: the stream
    // drops it); once every publish is acknowledged, the checkpoint and the status move together, uninterrupted.
    const duplicates = yield* publishAll(messages)
    yield* Effect.uninterruptible(
      Effect.gen(function* () {
        yield* checkpoints.set(checkpoint, last)
        for (const [caseId, state] of after) cases.set(caseId, state)
        yield* Ref.update(status, (current) => ({
          ...current,
          position: last,
          published: current.published + messages.length,
          withheld: current.withheld + batch.length - messages.length,
          duplicates: current.duplicates + duplicates,
          caughtUp: batch.length < batchSize
        }))
      })
    )
    return last
  })

  const run = Effect.gen(function* () {
    const prefix = config.prefix ?? Subjects.DEFAULT_PREFIX
    let wait = 100
    /** Runs `effect`; on a failure or a defect, logs it (its operation and kind, never an event), waits and gives none. */
    const attempt = <A, E extends { readonly _tag: string }, R>(operation: string, effect: Effect.Effect<A, E, R>) =>
      Effect.catchCause(effect, (cause) =>
        Effect.gen(function* () {
          if (Cause.hasInterruptsOnly(cause)) return yield* Effect.interrupt
          const error = Cause.findErrorOption(cause)
          const kind = Option.isSome(error) ? error.value._tag : `defect ${errorName(Cause.squash(cause))}`
          yield* Ref.update(status, (current) => ({
            ...current,
            failures: current.failures + 1,
            lastFailure: `${operation}: ${kind}`
          }))
          yield* Effect.logWarning("relay: a step failed; it will be tried again").pipe(
            Effect.annotateLogs({
              operation,
              error: kind,
              // The NATS client's own message (a timeout, a refused connection): it never holds an event. Store
              // errors may quote stored values, so only their kind is logged.
              ...(Option.isSome(error) && error.value._tag === "NatsUnavailable"
                ? { detail: (error.value as unknown as Nats.NatsUnavailable).detail }
                : {}),
              retryInMs: wait
            })
          )
          yield* Effect.sleep(Duration.millis(wait))
          wait = Math.min(wait * 2, maxWait)
          return undefined
        })
      )
    // The stream first: nothing is published before it exists.
    while ((yield* attempt("ensure stream", ensureStream(config.stream, prefix))) === undefined) {}
    let position: number | undefined
    while (position === undefined) {
      position =
        config.fromStart === true
          ? 0
          : yield* attempt(
              "read checkpoint",
              Effect.flatMap(Checkpoints.Checkpoints, (c) => c.get(checkpoint))
            )
    }
    yield* Ref.update(status, (current) => ({ ...current, position: position as number }))
    let published = -1
    while (true) {
      const from: number = position
      const next = yield* attempt("relay batch", step(from))
      if (next === undefined) continue
      wait = 100
      if (next === from) {
        const current = yield* Ref.getAndUpdate(status, (current) => ({ ...current, caughtUp: true }))
        if (!current.caughtUp || current.published !== published) {
          // Once per catching up, not once per idle read: what an operator reads to see the relay work.
          published = current.published
          yield* Effect.logInfo("relay: every event is published").pipe(
            Effect.annotateLogs({ position: current.position, published: current.published })
          )
        }
        yield* Effect.sleep(Duration.millis(idleWait))
      }
      position = next
    }
    // No span around the loop (it never ends): each batch is a trace of its own (`Relay.step`).
  }) as Relay["run"]

  return { run, status: Ref.get(status) } satisfies Relay
})

/** Runs a relay until interrupted. */
export const run = (config: Config = {}) => Effect.flatMap(make(config), (relay) => relay.run)

/**
 * A relay running in the background for as long as the layer lives (e.g. beside the HTTP server). An unusable
 * configuration fails the layer; once running, the relay never fails (it logs, waits and tries again).
 */
export const layer = (config: Config = {}) =>
  Layer.effectDiscard(Effect.flatMap(make(config), (relay) => Effect.forkScoped(relay.run)))
