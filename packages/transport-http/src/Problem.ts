/**
 * The problems of the API (RFC 9457 `application/problem+json`): `@lindung/wire`'s `Problem`, shared with the other
 * transports, re-exported here.
 *
 * @since 0.1.0
 */
export * from "@lindung/wire/Problem"
