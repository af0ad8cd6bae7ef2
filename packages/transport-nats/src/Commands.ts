/**
 * Commands over NATS: request/reply on `lindung.api.cases.register` and `lindung.api.cases.command`, for systems
 * that send commands without an HTTP client. The same JSON bodies as `POST /cases` and `POST /cases/{caseId}/commands`
 * (`Api.RegisterRequest`, `CaseCommand.Command`), the same bearer JWT (in an `Authorization: Bearer …` header),
 * the same `Idempotency-Key` and `If-Match` headers, executed through core's `CaseService` — the one door that
 * decides who may do what — and answered with the same JSON: `Api.CommandResult`, or an RFC 9457 problem
 * (`Problem`) with `content-type: application/problem+json` and the NATS service error headers
 * (`Nats-Service-Error-Code` = the problem's HTTP status, `Nats-Service-Error` = its title).
 *
 * The service listens in a queue group, so several servers share the requests. It checks no role itself: a token is
 * verified (`Auth`), its person found in the directory, and everything else is the case service's decision.
 *
 * @example
 * ```ts
 * const reply = await nc.request(Subjects.COMMAND, JSON.stringify(command), {
 *   headers: hdrs({ Authorization: `Bearer ${token}`, "Idempotency-Key": key }), timeout: 5_000
 * })
 * ```
 *
 * @since 0.3.0
 */
import { CaseCommand, CaseService, Directory, type Policy } from "@lindung/core"
import { Api, Auth, Problem } from "@lindung/transport-http"
import { type Msg, headers as natsHeaders } from "@nats-io/transport-node"
import { Effect, Layer, Schema, SchemaIssue, Stream } from "effect"
import * as Nats from "./Nats.js"
import * as Subjects from "./Subjects.js"

/** The default queue group of the command service. */
export const DEFAULT_QUEUE = "lindung-api"

/** The default largest request body, as over HTTP: 256 KiB. */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024

/** How the command service runs. */
export interface Config {
  /** The agencies and people of the deployment (as for the HTTP server). */
  readonly directory: Directory.Snapshot | Directory.Directory["Service"]
  /** How bearer tokens are verified (as for the HTTP server). */
  readonly auth: Auth.Config
  readonly policy?: Policy.Policy
  /** How many times a command is decided again after a version conflict. Default 5. */
  readonly maxAttempts?: number
  readonly caseworkers?: Readonly<Record<string, number>>
  readonly replayCacheSize?: number
  /** The queue group. Default {@link DEFAULT_QUEUE}. */
  readonly queue?: string
  /** Default {@link DEFAULT_MAX_BODY_BYTES}. */
  readonly maxBodyBytes?: number
  /** How many requests are handled at once. Default 16. */
  readonly concurrency?: number
}

/** A problem with its HTTP status and title, as the reply carries it. */
interface Answer {
  readonly status: number
  readonly title?: string
  readonly body: unknown
}

const encodeResult = Schema.encodeSync(Api.CommandResult)
const decodeRegister = Schema.decodeUnknownEffect(Api.RegisterRequest, { onExcessProperty: "error" })
const decodeCommand = Schema.decodeUnknownEffect(CaseCommand.Command, { onExcessProperty: "error" })
const decodeKey = Schema.decodeUnknownEffect(Api.IdempotencyKey)
const decodeIfMatch = Schema.decodeUnknownEffect(Api.IfMatch)
const formatter = SchemaIssue.makeFormatterStandardSchemaV1()

/** A problem as plain JSON: its class's encoding (type, title, status, detail and its own fields). */
const answerOf = (problem: { readonly status: number; readonly title: string }): Answer => {
  const schema = problem.constructor as unknown as Schema.Codec<unknown, unknown>
  return { status: problem.status, title: problem.title, body: Schema.encodeUnknownSync(schema)(problem) }
}

const segment = (value: unknown): string | number => {
  const key = typeof value === "object" && value !== null && "key" in value ? (value as { key: unknown }).key : value
  return typeof key === "number" ? key : String(key)
}

/** A 400 problem naming where the request is wrong; messages about the identity never quote its values. */
const invalidRequest = (slot: "payload" | "headers", error: Schema.SchemaError) => {
  const errors = formatter(error.issue).issues.map((issue) => {
    const path = [slot, ...(issue.path ?? []).map(segment)]
    return {
      path,
      message:
        path[1] === "identity" && /["'`]|\bgot\b|\d{3,}/u.test(issue.message)
          ? "is not a valid identity value (the value is not shown)"
          : issue.message
    }
  })
  const listed = errors.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")
  return new Problem.InvalidRequest({ errors, detail: `The request is not valid: ${listed}`.slice(0, 2_000) })
}

const bearer = (value: string | undefined): string | undefined => {
  const match = value === undefined ? null : /^Bearer[ \t]+([^ \t]+)[ \t]*$/iu.exec(value.trim())
  return match?.[1]
}

const header = (message: Msg, name: string): string | undefined => {
  const value = message.headers?.get(name)
  return value === undefined || value.length === 0 ? undefined : value
}

/** The service: subscriptions to both subjects, handled until the layer's scope closes. */
export const layer = (config: Config) =>
  Layer.effectDiscard(
    Effect.gen(function* () {
      const verifier = yield* Auth.makeVerifier(config.auth)
      const { connection } = yield* Nats.Connection
      const cases = yield* CaseService.CaseService
      const directory = yield* Directory.Directory
      const maxBody = config.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES

      const execute = (kind: "register" | "command", message: Msg) =>
        Effect.gen(function* () {
          if (message.data.length > maxBody) {
            return yield* new Problem.PayloadTooLarge({
              maxBytes: maxBody,
              detail: `The request body is larger than ${maxBody} bytes`
            })
          }
          const token = bearer(header(message, "Authorization"))
          if (token === undefined) {
            return yield* new Problem.Unauthorized({
              detail: "The request needs an Authorization header with a bearer token"
            })
          }
          const actor = yield* Auth.authenticate(verifier, token).pipe(
            Effect.provideService(Directory.Directory, directory)
          )
          const text = new TextDecoder("utf-8", { fatal: true })
          let json: unknown
          try {
            json = JSON.parse(text.decode(message.data))
          } catch {
            return yield* new Problem.InvalidRequest({
              errors: [{ path: ["payload"], message: "is not well-formed JSON in UTF-8" }],
              detail: "The request body is not well-formed JSON in UTF-8"
            })
          }
          const keyHeader = header(message, "Idempotency-Key")
          const key =
            keyHeader === undefined
              ? undefined
              : yield* Effect.mapError(decodeKey(keyHeader), (error) =>
                  invalidRequest("headers", new Schema.SchemaError(error.issue))
                )
          const keyed = key === undefined ? {} : { idempotencyKey: key }
          if (kind === "register") {
            const request = yield* Effect.mapError(decodeRegister(json), (error) => invalidRequest("payload", error))
            const { identity, ...report } = request
            const outcome = yield* Effect.mapError(
              cases.register(actor, report, { ...(identity === undefined ? {} : { identity }), ...keyed }),
              (error) => Problem.fromDomain(error, request.caseId)
            )
            return outcome
          }
          const ifMatchHeader = header(message, "If-Match")
          const ifMatch =
            ifMatchHeader === undefined
              ? undefined
              : yield* Effect.mapError(decodeIfMatch(ifMatchHeader), (error) =>
                  invalidRequest("headers", new Schema.SchemaError(error.issue))
                )
          const command = yield* Effect.mapError(decodeCommand(json), (error) => invalidRequest("payload", error))
          return yield* Effect.mapError(
            cases.execute(actor, command, {
              ...keyed,
              ...(ifMatch === undefined ? {} : { expectedVersion: Api.versionOfIfMatch(ifMatch) })
            }),
            (error) => Problem.fromDomain(error, command.caseId)
          )
        })

      const respond = (message: Msg, answer: Answer) =>
        Effect.sync(() => {
          const headers = natsHeaders()
          if (answer.status >= 400) {
            headers.set("content-type", "application/problem+json")
            headers.set("Nats-Service-Error-Code", String(answer.status))
            headers.set("Nats-Service-Error", answer.title ?? "Error")
          } else headers.set("content-type", "application/json")
          message.respond(JSON.stringify(answer.body), { headers })
        })

      const handle = (kind: "register" | "command") => (message: Msg) =>
        execute(kind, message).pipe(
          Effect.map(
            (outcome): Answer => ({
              status: kind === "register" && !outcome.replayed ? 201 : 200,
              body: encodeResult({
                caseId: outcome.state.id,
                version: outcome.state.version,
                stage: outcome.state.stage,
                replayed: outcome.replayed,
                events: outcome.events
              })
            })
          ),
          Effect.catch((problem) => Effect.succeed(answerOf(problem))),
          Effect.catchDefect(() =>
            Effect.succeed<Answer>({
              status: 500,
              title: "Internal error",
              body: { type: "about:blank", title: "Internal error", status: 500, detail: "An unexpected failure" }
            })
          ),
          Effect.flatMap((answer) => respond(message, answer)),
          Effect.withSpan(`Commands.${kind}`)
        )

      const serve = Effect.fnUntraced(function* (subject: string, kind: "register" | "command") {
        const subscription = yield* Effect.acquireRelease(
          Effect.try({
            try: () => connection.subscribe(subject, { queue: config.queue ?? DEFAULT_QUEUE }),
            catch: (cause) =>
              new Nats.NatsUnavailable({ operation: `subscribe ${subject}`, detail: Nats.describe(cause) })
          }),
          (subscription) => Effect.sync(() => subscription.unsubscribe())
        )
        yield* Effect.forkScoped(
          Stream.fromAsyncIterable(
            subscription,
            (cause) => new Nats.NatsUnavailable({ operation: `subscribe ${subject}`, detail: Nats.describe(cause) })
          ).pipe(Stream.mapEffect(handle(kind), { concurrency: config.concurrency ?? 16 }), Stream.runDrain)
        )
      })

      yield* serve(Subjects.REGISTER, "register")
      yield* serve(Subjects.COMMAND, "command")
      // The subscriptions exist once the server has them: a request sent right after start is not lost.
      yield* Effect.tryPromise({
        try: () => connection.flush(),
        catch: (cause) => new Nats.NatsUnavailable({ operation: "flush", detail: Nats.describe(cause) })
      })
    })
  ).pipe(
    Layer.provide(
      CaseService.layer({
        ...(config.policy === undefined ? {} : { policy: config.policy }),
        ...(config.maxAttempts === undefined ? {} : { maxAttempts: config.maxAttempts }),
        ...(config.caseworkers === undefined ? {} : { caseworkers: config.caseworkers }),
        ...(config.replayCacheSize === undefined ? {} : { replayCacheSize: config.replayCacheSize })
      })
    ),
    Layer.provide(
      "current" in config.directory
        ? Layer.succeed(Directory.Directory)(config.directory)
        : Directory.layer(config.directory)
    )
  )
