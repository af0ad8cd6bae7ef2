/**
 * `@lindung/transport-http`: Lindung over HTTP. One `effect/http-api` definition (`Api`) shared by the server
 * (`Server`), the typed client (`Client`) and the OpenAPI 3.1 document; bearer JWT authentication (`Auth`);
 * RFC 9457 problems for every error (`Problem`); a limit on failed authentications (`RateLimit`). Every decision
 * of who may do what is core's `CaseService`: the server only decodes, calls it and encodes.
 *
 * @since 0.1.0
 */

/** The API definition: groups, endpoints, request and response schemas. */
export * as Api from "./Api.js"
/** Bearer JWT authentication (jose): keys, verification, the token's person → actor from the directory. */
export * as Auth from "./Auth.js"
/** The typed client generated from the API definition. */
export * as Client from "./Client.js"
/** RFC 9457 problems: every error of the API, and the mapping of domain errors. */
export * as Problem from "./Problem.js"
/** The limit on failed authentications per client address (in memory, with an injected clock). */
export * as RateLimit from "./RateLimit.js"
/** The server layer: handlers, logs, body limit, OpenAPI, docs; on a Node HTTP server. */
export * as Server from "./Server.js"
