/**
 * Commands over NATS: request/reply on `lindung.api.cases.register` and `lindung.api.cases.command`, for systems
 * that send commands without an HTTP client. The same JSON bodies as `POST /cases` and `POST /cases/{caseId}/commands`
 * (`Bodies.RegisterRequest`, `CaseCommand.Command`), the same bearer JWT (in an `Authorization: Bearer …` header),
 * the same `Idempotency-Key` and `If-Match` headers, executed through core's `CaseService` — the one door that
 * decides who may do what — and answered with the same JSON: `Bodies.CommandResult`, or an RFC 9457 problem
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
import { CaseCommand, CaseService, Directory, Policy } from "@lindung/core"
import { Bodies, Problem, Token } from "@lindung/wire"
import type { Msg } from "@nats-io/transport-node"
import { Cause, Effect, Layer, Result, Schema, Stream } from "effect"
import * as Reply from "./internal/Reply.js"
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
  readonly auth: Token.Config
  readonly policy?: Policy.Policy
  /** How many times a command is decided again after a version conflict. Default 5. */
  readonly maxAttempts?: number
  readonly caseworkers?: Readonly<Record<string, number>>
  readonly replayCacheSize?: number
  /**
   * The first tokens of the command subjects: `<apiPrefix>.cases.register` and `<apiPrefix>.cases.command`. Default
   * `Subjects.DEFAULT_API_PREFIX` (`lindung.api`); two deployments on one NATS account need prefixes of their own.
   */
  readonly apiPrefix?: string
  /**
   * The first tokens of the relay's event subjects on the same NATS account (its `prefix`). Default
   * `Subjects.DEFAULT_PREFIX`. The service refuses to start when the events' stream would take in the command
   * subjects (it would store every request, with its token).
   */
  readonly eventPrefix?: string
  /** The queue group. Default {@link DEFAULT_QUEUE}. */
  readonly queue?: string
  /**
   * Whether a report may bring the subject's identity (`identity` in the body, as `POST /cases` takes it). Default
   * `false`: a request with an identity is refused (400), because a NATS message can be read by every client allowed
   * to subscribe to its subject. Allow it only over TLS, with subscribe permissions that keep `<apiPrefix>.>` and
   * the reply inboxes to the service and its callers.
   */
  readonly acceptIdentity?: boolean
  /** Default {@link DEFAULT_MAX_BODY_BYTES}. */
  readonly maxBodyBytes?: number
  /** How many requests are handled at once. Default 16. */
  readonly concurrency?: number
}

/** The command service's configuration is unusable (e.g. its API prefix). */
export class InvalidCommandsConfig extends Schema.TaggedError<InvalidCommandsConfig>()("InvalidCommandsConfig", {
  reason: Schema.String
}) {
  override get message(): string {
    return `Invalid command service configuration: ${this.reason}`
  }
}

const encodeResult = Schema.encodeSync(Bodies.CommandResult)
const decodeRegister = Schema.decodeUnknownEffect(Bodies.RegisterRequest, { onExcessProperty: "error" })
const decodeCommand = Schema.decodeUnknownEffect(CaseCommand.Command, { onExcessProperty: "error" })
const decodeKey = Schema.decodeUnknownEffect(Bodies.IdempotencyKey)
const decodeIfMatch = Schema.decodeUnknownEffect(Bodies.IfMatch)

/** A problem as plain JSON: its class's encoding (type, title, status, detail and its own fields). */
const answerOf = (problem: { readonly status: number; readonly title: string }): Reply.Answer => {
  const schema = problem.constructor as unknown as Schema.Codec<unknown, unknown>
  return { status: problem.status, title: problem.title, body: Schema.encodeUnknownSync(schema)(problem) }
}

/** A 400 problem naming where the request is wrong; messages about identity or personal values never quote them. */
/** A 400 for a payload or a header that does not decode; a header's issues are under its name, as over HTTP. */
const invalidRequest = (slot: "payload" | "idempotency-key" | "if-match", error: Schema.SchemaError) => {
  const errors =
    slot === "payload"
      ? Problem.issuesOf(slot, error.issue, (path) => path[1] === "identity")
      : Problem.issuesOf("headers", error.issue, () => false).map((issue) => ({
          ...issue,
          path: ["headers", slot, ...issue.path.slice(1)]
        }))
  const listed = errors.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")
  return new Problem.InvalidRequest({ errors, detail: `The request is not valid: ${listed}`.slice(0, 2_000) })
}

const bearer = (value: string | undefined): string | undefined => {
  const match = value === undefined ? null : /^Bearer[ \t]+([^ \t]+)[ \t]*$/iu.exec(value.trim())
  return match?.[1]
}

/** A request header, whatever the case of its name (as HTTP headers). */
const header = Reply.header

/** The service: subscriptions to both subjects, handled until the layer's scope closes. */
export const layer = (config: Config) =>
  Layer.effectDiscard(
    Effect.gen(function* () {
      const verifier = yield* Token.makeVerifier(config.auth)
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
          const actor = yield* Token.authenticate(verifier, token).pipe(
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
                  invalidRequest("idempotency-key", new Schema.SchemaError(error.issue))
                )
          const keyed = key === undefined ? {} : { idempotencyKey: key }
          if (kind === "register") {
            // Refused before it is even decoded: an identity is not taken over NATS unless the service is told to.
            if (config.acceptIdentity !== true && typeof json === "object" && json !== null && "identity" in json) {
              return yield* new Problem.InvalidRequest({
                errors: [{ path: ["payload", "identity"], message: "is not accepted over NATS by this service" }],
                detail:
                  "This service does not take a subject's identity over NATS: register the report without it and send the identity over HTTPS (PUT /cases/{caseId}/identity)"
              })
            }
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
                  invalidRequest("if-match", new Schema.SchemaError(error.issue))
                )
          const command = yield* Effect.mapError(decodeCommand(json), (error) => invalidRequest("payload", error))
          return yield* Effect.mapError(
            cases.execute(actor, command, {
              ...keyed,
              ...(ifMatch === undefined ? {} : { expectedVersion: Bodies.versionOfIfMatch(ifMatch) })
            }),
            (error) => Problem.fromDomain(error, command.caseId)
          )
        })

      const handle = (kind: "register" | "command") => (message: Msg) =>
        execute(kind, message).pipe(
          Effect.map(
            (outcome): Reply.Answer => ({
              status: 200,
              body: encodeResult({
                caseId: outcome.state.id,
                version: outcome.state.version,
                stage: outcome.state.stage,
                replayed: outcome.replayed,
                events: outcome.events
              })
            })
          ),
          Effect.catch((problem) =>
            Effect.as(
              // As over HTTP: the kind of a storage failure is logged (never a value of the request).
              problem._tag === "StorageUnavailable" || problem._tag === "CorruptedRecord"
                ? Effect.logError("commands: storage failure").pipe(Effect.annotateLogs({ error: problem._tag, kind }))
                : Effect.void,
              answerOf(problem)
            )
          ),
          Effect.catchDefect((defect) =>
            Effect.as(
              Effect.logError("commands: unexpected failure").pipe(
                Effect.annotateLogs({ error: defect instanceof Error ? defect.name : typeof defect, kind })
              ),
              Reply.internalError
            )
          ),
          // Never fails: an answer that cannot be sent must not stop the subscription.
          Effect.flatMap((answer) => Reply.reply(message, answer)),
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
          ).pipe(
            // Unordered: one slow command never holds back the answers to the others.
            Stream.mapEffect(handle(kind), { concurrency: config.concurrency ?? 16, unordered: true }),
            Stream.runDrain,
            Effect.tapCause((cause) =>
              Cause.hasInterruptsOnly(cause)
                ? Effect.void
                : Effect.logError("commands: the subscription stopped").pipe(Effect.annotateLogs({ subject }))
            )
          )
        )
      })

      const unusable = Subjects.checkPrefixes(config.eventPrefix ?? Subjects.DEFAULT_PREFIX, config.apiPrefix)
      if (unusable !== undefined) return yield* new InvalidCommandsConfig({ reason: unusable })
      // The policy is checked before anything is served, as the HTTP server checks it.
      const policy = Policy.validate(config.policy ?? Policy.defaults)
      if (Result.isFailure(policy)) return yield* new InvalidCommandsConfig({ reason: policy.failure.message })
      // No stream may capture the command subjects: it would store every request, with its token and identity.
      const { manager } = yield* Nats.Connection
      for (const subject of [Subjects.register(config.apiPrefix), Subjects.command(config.apiPrefix)]) {
        const capturing = yield* Effect.tryPromise({
          try: () =>
            manager.streams.find(subject).then(
              (name) => name,
              (error: unknown) => {
                if (error instanceof Error && /no stream matches subject/i.test(error.message)) return undefined
                throw error
              }
            ),
          catch: (cause) => new Nats.NatsUnavailable({ operation: "find streams", detail: Nats.describe(cause) })
        })
        if (capturing !== undefined) {
          return yield* new InvalidCommandsConfig({
            reason: `the stream ${capturing} captures the command subject ${subject}: change its subjects or the API prefix`
          })
        }
      }
      yield* serve(Subjects.register(config.apiPrefix), "register")
      yield* serve(Subjects.command(config.apiPrefix), "command")
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
