/**
 * `@lindung/storage-testkit`: the conformance suite every Lindung storage adapter runs.
 *
 * @since 0.1.0
 */

/** The conformance suite: `suite(name, makeLayer, capabilities)` and its `Capabilities`. */
export * as Suite from "./Suite.js"

/** Defines the conformance suite for an adapter (see `Suite.suite`). */
export { type Capabilities, type Ports, suite } from "./Suite.js"
