/**
 * `@lindung/seeds`: the five seed stories of Lindung (Padang, Sumatera Barat, Balikpapan, NTB, Dinas types) as
 * agencies, people and commands, with a runner — demo data for `lindung demo` and end-to-end fixtures for the
 * HTTP API. Every identity in the stories is fictional.
 *
 * @since 0.1.0
 */

/** The agencies of the stories and their directory. */
export * as Agencies from "./Agencies.js"
/** The people (actors) of the stories: pseudonymous ids, roles, offices, agencies, regions. */
export * as People from "./People.js"
/** Running stories: through a caller's `execute` (e.g. a repository), or purely through the decider. */
export * as Runner from "./Runner.js"
/** The five stories as data: cases, steps (actor, instant, command JSON) and fictional identities. */
export * as Stories from "./Stories.js"
