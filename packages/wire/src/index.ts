/**
 * What Lindung's transports share on the wire.
 *
 * @since 0.4.0
 */

/** The bodies of registrations and command results, and the `Idempotency-Key` and `If-Match` headers. */
export * as Bodies from "./Bodies.js"
/** The languages of problems (Bahasa Indonesia, English) and the choice of one from `Accept-Language`. */
export * as Language from "./Language.js"
/** RFC 9457 problems, and the mapping of core's errors onto them. */
export * as Problem from "./Problem.js"
/** Bearer tokens: keys, verification against the directory, development tokens. */
export * as Token from "./Token.js"
