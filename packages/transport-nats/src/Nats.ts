/**
 * The connection to NATS that the relay, the consumer helper and the command service share: one `NatsConnection`
 * that reconnects by itself (forever, with a growing wait and jitter) and is drained when its scope closes, and the
 * errors the package reports instead of the driver's.
 *
 * @example
 * ```ts
 * import { Nats } from "@lindung/transport-nats"
 *
 * const connection = Nats.layer({ servers: "nats://127.0.0.1:4222", name: "lindung-relay" })
 * ```
 *
 * @since 0.3.0
 */
import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from "@nats-io/jetstream"
import { connect, type NatsConnection } from "@nats-io/transport-node"
import { Config, Context, Effect, Layer, Schema } from "effect"

/** NATS could not be reached, or refused an operation; `operation` names it, `detail` says why (never a payload). */
export class NatsUnavailable extends Schema.TaggedError<NatsUnavailable>()("NatsUnavailable", {
  operation: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `NATS is unavailable (${this.operation}): ${this.detail}`
  }
}

/** The message of a driver error, for a {@link NatsUnavailable}. */
export const describe = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause))

/** The shared connection, with its JetStream client and manager. */
export class Connection extends Context.Service<
  Connection,
  {
    readonly connection: NatsConnection
    readonly jetstream: JetStreamClient
    readonly manager: JetStreamManager
  }
>()("@lindung/transport-nats/Connection") {}

/** How to connect. */
export interface Options {
  /** One URL or several (a cluster), e.g. `nats://127.0.0.1:4222`. */
  readonly servers: string | ReadonlyArray<string>
  /** The connection's name, shown by the server's monitoring. Default `lindung`. */
  readonly name?: string
  /** How long to wait for each (re)connection attempt, in milliseconds. Default 2000. */
  readonly timeoutMs?: number
  /** The wait between reconnection attempts, in milliseconds (jitter is added). Default 1000. */
  readonly reconnectWaitMs?: number
  /** A token, user and password, or none (the server's own authorization applies). */
  readonly token?: string
  readonly user?: string
  readonly pass?: string
}

/** Connects; the connection keeps reconnecting by itself until it is drained. */
export const make = Effect.fn("Nats.make")(function* (options: Options) {
  const connection = yield* Effect.acquireRelease(
    Effect.tryPromise({
      try: () =>
        connect({
          servers: typeof options.servers === "string" ? options.servers : [...options.servers],
          name: options.name ?? "lindung",
          timeout: options.timeoutMs ?? 2_000,
          maxReconnectAttempts: -1,
          reconnectTimeWait: options.reconnectWaitMs ?? 1_000,
          reconnectJitter: 250,
          ...(options.token === undefined ? {} : { token: options.token }),
          ...(options.user === undefined ? {} : { user: options.user }),
          ...(options.pass === undefined ? {} : { pass: options.pass })
        }),
      catch: (cause) => new NatsUnavailable({ operation: "connect", detail: describe(cause) })
    }),
    (connection) => Effect.promise(() => connection.drain().catch(() => connection.close()))
  )
  const manager = yield* Effect.tryPromise({
    try: () => jetstreamManager(connection),
    catch: (cause) => new NatsUnavailable({ operation: "jetstream", detail: describe(cause) })
  })
  return Connection.of({ connection, jetstream: jetstream(connection), manager })
})

/** The connection as a layer. */
export const layer = (options: Options): Layer.Layer<Connection, NatsUnavailable> =>
  Layer.effect(Connection, make(options))

/** The connection from `LINDUNG_NATS_URL` (several URLs separated by commas). */
export const layerConfig: Layer.Layer<Connection, NatsUnavailable | Config.ConfigError> = Layer.unwrap(
  Effect.map(Config.String("LINDUNG_NATS_URL"), (url) =>
    layer({ servers: url.split(",").map((server) => server.trim()) })
  )
)
