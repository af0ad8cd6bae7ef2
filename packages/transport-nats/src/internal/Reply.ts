/**
 * The answer to a command over NATS: a JSON body with its headers, a problem said in the language the request
 * prefers (as over HTTP) with the service-error headers of the NATS services protocol. Sending it may throw (a reply
 * larger than the server's `max_payload`, a connection closing): {@link reply} never fails, so that one answer that
 * cannot be sent never stops the subscription that serves every other request.
 */
import { Language, Problem } from "@lindung/wire"
import { Match, type Msg, headers as natsHeaders } from "@nats-io/transport-node"
import { Effect } from "effect"

/** An answer: its status (as over HTTP), the title of a problem, and the body. */
export interface Answer {
  readonly status: number
  readonly title?: string
  readonly body: unknown
}

/** What a reply needs of a NATS message. */
export type Replyable = Pick<Msg, "headers" | "respond">

/** The answer to a failure nobody expected (its kind is logged, never its values). */
export const internalError: Answer = {
  status: 500,
  title: "Internal error",
  body: { type: "about:blank", title: "Internal error", status: 500, detail: "An unexpected failure" }
}

/** The answer when the real one could not be sent: the command may have been executed. */
export const notSent: Answer = {
  status: 500,
  title: "Answer not sent",
  body: {
    type: "about:blank",
    title: "Answer not sent",
    status: 500,
    detail:
      "The answer could not be sent (larger than the server's max_payload?); the command may have been executed: read the case, or send it again with the same Idempotency-Key"
  }
}

/** A header of the request, if given and not empty. */
export const header = (message: Pick<Msg, "headers">, name: string): string | undefined => {
  const value = message.headers?.get(name, Match.IgnoreCase)
  return value === undefined || value.length === 0 ? undefined : value
}

/** Sends an answer; throws when the client library cannot send it. */
export const send = (message: Replyable, answer: Answer): void => {
  const headers = natsHeaders()
  let body = answer.body
  if (answer.status >= 400) {
    // As over HTTP: a problem is said in the language the request prefers (`Accept-Language`).
    const language = Language.negotiate(header(message, "accept-language"))
    const problem =
      typeof body === "object" && body !== null ? Problem.localize(body as Record<string, unknown>, language) : {}
    if (typeof problem.title === "string") body = problem
    headers.set("content-type", "application/problem+json")
    headers.set("content-language", language)
    headers.set("Nats-Service-Error-Code", String(answer.status))
    headers.set("Nats-Service-Error", typeof problem.title === "string" ? problem.title : (answer.title ?? "Error"))
  } else headers.set("content-type", "application/json")
  message.respond(JSON.stringify(body), { headers })
}

/**
 * Sends an answer, never failing: when it cannot be sent, the failure's kind is logged and {@link notSent} is sent
 * in its place (itself given up, logged, when that fails too: the connection is gone).
 */
export const reply = (message: Replyable, answer: Answer): Effect.Effect<void> =>
  Effect.try({ try: () => send(message, answer), catch: (cause) => cause }).pipe(
    Effect.catch((cause) =>
      Effect.logError("commands: an answer could not be sent").pipe(
        Effect.annotateLogs({ error: cause instanceof Error ? cause.name : typeof cause, status: answer.status }),
        Effect.andThen(
          answer === notSent
            ? Effect.void
            : Effect.try({ try: () => send(message, notSent), catch: (cause) => cause }).pipe(
                Effect.catch(() => Effect.logError("commands: no answer could be sent"))
              )
        )
      )
    )
  )
