/**
 * `@lindung/transport-nats`: Lindung over NATS JetStream. The event log relayed to a stream as CloudEvents in
 * their public form (`Relay`, `CloudEvent`, `Subjects`), a consumer helper that turns a durable consumer into an
 * Effect `Stream` (`Consumer`), commands over request/reply through core's case service (`Commands`), and the
 * AsyncAPI 3.0 document of all of it (`AsyncApi`). Nothing here decides who may do what: core does.
 *
 * @since 0.3.0
 */

/** The AsyncAPI 3.0 document, generated from the event and command schemas. */
export * as AsyncApi from "./AsyncApi.js"
/** CloudEvents 1.0 binary mode over NATS: the `ce-*` headers of an event. */
export * as CloudEvent from "./CloudEvent.js"
/** Commands over NATS request/reply, answered with the result or an RFC 9457 problem. */
export * as Commands from "./Commands.js"
/** A durable pull consumer as an Effect `Stream` of public events, with explicit ack. */
export * as Consumer from "./Consumer.js"
/** The shared connection (reconnecting) and the package's errors. */
export * as Nats from "./Nats.js"
/** The relay: the event log as an outbox, published to JetStream after a checkpoint. */
export * as Relay from "./Relay.js"
/** The subjects of events and commands. */
export * as Subjects from "./Subjects.js"
