/**
 * Gating of integration tests on real servers. A test file named `*.integration.test.ts` wraps its suites in
 * {@link describeWith}: the suite runs when the server's URL is set in the environment, is reported as skipped
 * (with the variable to set) when it is not, and fails when `LINDUNG_REQUIRE_SERVICES=1` demands the server, as
 * CI does.
 */
import { describe, it } from "vitest"

/** A server that integration tests may need, and the environment variable that holds its URL. */
export interface Service {
  readonly name: string
  readonly variable: string
  readonly example: string
}

/** PostgreSQL, for the SQL storage adapter. */
export const postgres: Service = {
  name: "PostgreSQL",
  variable: "LINDUNG_PG_URL",
  example: "postgres://postgres@127.0.0.1:5432/test"
}

/** NATS with JetStream, for the messaging adapter. */
export const nats: Service = { name: "NATS", variable: "LINDUNG_NATS_URL", example: "nats://127.0.0.1:4222" }

/** What to do with a suite that needs a server, given the environment. */
export type Gate =
  | { readonly _tag: "Run"; readonly url: string }
  | { readonly _tag: "Skip"; readonly message: string }
  | { readonly _tag: "Fail"; readonly message: string }

/** Decides, from the environment alone, whether a suite that needs `service` runs, is skipped or fails. */
export const gate = (service: Service, env: Readonly<Record<string, string | undefined>>): Gate => {
  const url = env[service.variable]?.trim()
  if (url !== undefined && url.length > 0) return { _tag: "Run", url }
  const how = `set ${service.variable} (e.g. ${service.variable}=${service.example}) to run it`
  return env.LINDUNG_REQUIRE_SERVICES === "1"
    ? {
        _tag: "Fail",
        message: `${service.name} is required (LINDUNG_REQUIRE_SERVICES=1) but ${service.variable} is not set: ${how}`
      }
    : { _tag: "Skip", message: `skipped: needs ${service.name}; ${how}` }
}

/**
 * Declares a suite that needs a real server. `body` receives the server's URL.
 *
 * @example
 * ```ts
 * describeWith(postgres, "SqlEventStore on PostgreSQL", (url) => {
 *   it("appends", async () => { ... })
 * })
 * ```
 */
export const describeWith = (
  service: Service,
  name: string,
  body: (url: string) => void,
  env: Readonly<Record<string, string | undefined>> = process.env
): void => {
  const decision = gate(service, env)
  switch (decision._tag) {
    case "Run":
      describe(name, () => body(decision.url))
      return
    case "Fail":
      describe(name, () => {
        it(`has ${service.name} available`, () => {
          throw new Error(decision.message)
        })
      })
      return
    case "Skip":
      process.stderr.write(`[lindung] ${name}: ${decision.message}\n`)
      // Skipped on purpose: the server is not configured here. CI sets the URL and LINDUNG_REQUIRE_SERVICES=1.
      describe.skip(`${name} (${decision.message})`, () => body(""))
      return
  }
}
