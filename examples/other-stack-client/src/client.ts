/**
 * A client of the Lindung HTTP API written the way another stack would write it: the types come from the OpenAPI
 * document (`docs/openapi.json`, which `/openapi.json` serves) through a standard generator (`openapi-typescript`,
 * `npm run generate`), the calls are plain `fetch` with a bearer token. Nothing here imports Lindung's packages: a
 * PHP, Java or Go team does the same with its own generator.
 */
import type { paths } from "./api.d.ts"

type Json<T> = T extends { content: { "application/json": infer B } } ? B : never
type ProblemOf<T> = T extends { content: { "application/problem+json": infer B } } ? B : never

/** A case as the caller may see it (`GET /cases/{caseId}`). */
export type CaseView = Json<paths["/cases/{caseId}"]["get"]["responses"]["200"]>
/** A report to register (`POST /cases`). */
export type RegisterRequest = NonNullable<paths["/cases"]["post"]["requestBody"]>["content"]["application/json"]
/** A command (`POST /cases/{caseId}/commands`). */
export type Command = NonNullable<
  paths["/cases/{caseId}/commands"]["post"]["requestBody"]
>["content"]["application/json"]
/** What a command produced. */
export type CommandResult = Json<paths["/cases/{caseId}/commands"]["post"]["responses"]["200"]>
/** A refusal by the SOP (422): its rule, its legal basis and a message. */
export type SopViolation = ProblemOf<paths["/cases/{caseId}/commands"]["post"]["responses"]["422"]>

/** The answer of a call: the body when it succeeded, the RFC 9457 problem when it did not. */
export type Answer<
  A,
  P = { readonly type: string; readonly title: string; readonly status: number; readonly detail?: string }
> =
  | { readonly ok: true; readonly status: number; readonly body: A }
  | { readonly ok: false; readonly status: number; readonly problem: P }

/** The client of one server, for one token. */
export const client = (baseUrl: string, token: string) => {
  const call = async <A, P>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    // Relative to the base, so that a server under a path prefix (`https://host/lindung/`) keeps it.
    const response = await fetch(new URL(path.slice(1), baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`), {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    })
    // A JSON body or a problem; anything else (a proxy's error page) becomes a problem of its own.
    const type = response.headers.get("content-type") ?? ""
    const json: unknown = /json/u.test(type)
      ? await response.json()
      : { type: "about:blank", title: `Not JSON: ${type || "no content type"}`, status: response.status }
    return (
      response.ok
        ? { ok: true, status: response.status, body: json as A }
        : { ok: false, status: response.status, problem: json as P }
    ) satisfies Answer<A, P>
  }
  return {
    register: (report: RegisterRequest, idempotencyKey: string) =>
      call<CommandResult, unknown>("POST", "/cases", report, { "idempotency-key": idempotencyKey }),
    send: (caseId: string, command: Command, options: { readonly ifMatch?: number } = {}) =>
      call<CommandResult, SopViolation>(
        "POST",
        `/cases/${encodeURIComponent(caseId)}/commands`,
        command,
        options.ifMatch === undefined ? {} : { "if-match": `"${options.ifMatch}"` }
      ),
    read: (caseId: string) => call<CaseView, unknown>("GET", `/cases/${encodeURIComponent(caseId)}`)
  }
}
