/**
 * The case repository: the decider and the event store composed. `execute` loads a case, decides the command,
 * appends the events with the case's index entry at the expected version, and on a version conflict (another
 * writer came first) reloads and decides again, a bounded number of times — unless the caller named the version it
 * expects, which is then checked and never retried. With an idempotency key, a retried request returns the first
 * result and writes nothing, even when the retry races the first attempt.
 *
 * @example
 * ```ts
 * import { CaseRepository } from "@lindung/core"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const repository = yield* CaseRepository.CaseRepository
 *   const { state, events } = yield* repository.execute(command, actor, { idempotencyKey: "req-123" })
 * })
 * // provide CaseRepository.layer({ agencies }) and an EventStore adapter layer
 * ```
 *
 * @since 0.1.0
 */
import { Context, DateTime, Effect, Exit, Layer, Metric, Option, Result, Schema } from "effect"
import type * as Actor from "./Actor.js"
import type * as Agency from "./Agency.js"
import * as Case from "./Case.js"
import * as CaseCommand from "./CaseCommand.js"
import type * as CaseEvent from "./CaseEvent.js"
import * as CaseIndex from "./CaseIndex.js"
import type * as CaseModel from "./CaseModel.js"
import * as Decider from "./Decider.js"
import type * as Directory from "./Directory.js"
import * as EventStore from "./EventStore.js"
import type * as Input from "./Input.js"
import * as Integrity from "./Integrity.js"
import { traced } from "./internal/traced.js"
import * as Policy from "./Policy.js"
import * as SopError from "./SopError.js"
import * as StorageError from "./StorageError.js"
import * as Telemetry from "./Telemetry.js"

/** How the repository decides. */
export interface Config {
  readonly agencies: Agency.Directory
  readonly policy?: Policy.Policy
  /** How many times to decide again after a version conflict before giving up. Default 5. */
  readonly maxAttempts?: number
}

/** The default number of attempts on version conflicts. */
export const DEFAULT_MAX_ATTEMPTS = 5

/**
 * The result of a command: the new state, the events it produced, and whether they were replayed from a retry. A
 * replay answers as the first attempt did: the state its events left, not the case as it is now (the caller may have
 * lost sight of the case since, through a transfer or an unassignment).
 */
export interface Outcome {
  readonly state: Case.State
  readonly events: ReadonlyArray<CaseEvent.Envelope>
  readonly replayed: boolean
}

/** Every way `execute` can fail. */
export type ExecuteError =
  | SopError.SopError
  | StorageError.VersionConflict
  | StorageError.SubjectHeld
  | StorageError.IdempotencyKeyReused
  | StorageError.StorageUnavailable
  | StorageError.CorruptedRecord
  | Input.InvalidInput

/** How one command is executed. */
export interface ExecuteOptions {
  /** A retry with the same key (and the same request) returns the first result and writes nothing. */
  readonly idempotencyKey?: string
  /**
   * What makes two requests "the same" for the idempotency key. Default {@link fingerprint} of the command and the
   * actor; the case service passes the request as the caller sent it (before it minted a subject id).
   */
  readonly fingerprint?: string
  /**
   * The version the caller saw (HTTP `If-Match`). When given, a case at another version fails at once with
   * `VersionConflict`, and a conflict on append is not retried: the caller must look again.
   */
  readonly expectedVersion?: number
  /** The directory to decide with (agencies and people). Default: the configured agencies, without people. */
  readonly directory?: Directory.Snapshot
  /**
   * The instant to decide at, when the caller has already decided something at it (the case service checks a
   * report before it is written): both decisions then see one clock. Default: the clock, at each attempt.
   */
  readonly now?: DateTime.Utc
  /**
   * The command registers a case whose subject must be new (see `EventStore.AppendRequest.newSubject`): the append
   * fails with `SubjectHeld` when another case holds it by then. Not retried here: the caller decides anew.
   */
  readonly newSubject?: boolean
}

/** The operations of the {@link CaseRepository} port: what an adapter implements and a caller may use. */
export interface CaseRepositoryShape {
  /** The current state of a case (the empty state for an unknown case). */
  readonly load: (
    caseId: CaseModel.CaseId
  ) => Effect.Effect<Case.State, StorageError.CorruptedRecord | StorageError.StorageUnavailable>
  /** Decides and stores a command. */
  readonly execute: (
    command: CaseCommand.Command,
    actor: Actor.Actor,
    options?: ExecuteOptions
  ) => Effect.Effect<Outcome, ExecuteError>
}

/** The service, as an Effect service: its operations are those of {@link CaseRepositoryShape}. */
export class CaseRepository extends Context.Service<CaseRepository, CaseRepositoryShape>()(
  "@lindung/core/CaseRepository"
) {}

/** Append failures that mean another writer came first (the version, or a new subject), not an outage. */
const conflicts: ReadonlySet<string> = new Set(["VersionConflict", "SubjectHeld"])

/** The fingerprint of a request: the command as JSON and who sent it. */
export const fingerprint = (command: CaseCommand.Command, actor: Actor.Actor): string =>
  Integrity.sha256(
    Integrity.canonicalJson({ command: Schema.encodeSync(CaseCommand.Command)(command), actor: actor.id })
  )

const foldOrCorrupt = (
  caseId: string,
  events: ReadonlyArray<CaseEvent.Envelope>
): Effect.Effect<Case.State, StorageError.CorruptedRecord> =>
  Effect.try({
    try: () => Case.fold(events),
    catch: (cause) =>
      new StorageError.CorruptedRecord({
        location: `case ${caseId}`,
        detail: `the history does not replay: ${cause instanceof Error ? cause.message : String(cause)}`
      })
  })

/**
 * A case's due instants under a policy (`CaseIndex.project`), at its version: what `EventStore.refreshDue` takes to
 * bring the case's index entry up to the policy (after a change of the deadline policy, or for entries an older
 * release wrote).
 */
export const dueOf = (state: Case.Case, policy: Policy.Policy = Policy.defaults): EventStore.DueRefresh => {
  const entry = CaseIndex.project(state, policy)
  return { caseId: state.id, version: state.version, nextDueAt: entry.nextDueAt, wakeAt: entry.wakeAt }
}

/** Builds the repository on an event store. */
export const make = (config: Config) =>
  Effect.gen(function* () {
    const store = traced("EventStore", yield* EventStore.EventStore)
    const policy = config.policy ?? Policy.defaults
    const maxAttempts = Math.max(1, config.maxAttempts ?? DEFAULT_MAX_ATTEMPTS)

    const load = (caseId: CaseModel.CaseId) =>
      Effect.flatMap(store.load(caseId), (events) => foldOrCorrupt(caseId, events))

    const replay = (caseId: CaseModel.CaseId, fromVersion: number, toVersion: number) =>
      Effect.gen(function* () {
        const events = yield* store.load(caseId)
        // The state the first attempt left (what it answered), never the case as it is now.
        const upTo = events.filter((e) => e.version <= toVersion)
        const state = yield* foldOrCorrupt(caseId, upTo)
        const replayed = upTo.filter((e) => e.version >= fromVersion)
        return { state, events: replayed, replayed: true } satisfies Outcome
      })

    /** The earlier result of an idempotency key, if the key was used; fails if it was used for another request. */
    const earlier = (key: string, print: string, caseId: CaseModel.CaseId) =>
      Effect.gen(function* () {
        const found = yield* store.idempotency(key)
        if (Option.isNone(found)) return Option.none<Outcome>()
        if (found.value.fingerprint !== print || found.value.caseId !== caseId) {
          return yield* new StorageError.IdempotencyKeyReused({ key, caseId: found.value.caseId })
        }
        return Option.some(yield* replay(found.value.caseId, found.value.fromVersion, found.value.toVersion))
      })

    /** The decision, in its own span, with the command type, the outcome and a rejection's rule (and its count). */
    const decide = Effect.fn("Decider.decide")(function* (
      state: Case.State,
      command: CaseCommand.Command,
      context: Decider.Context
    ) {
      const decided = Decider.decide(state, command, context)
      if (Result.isSuccess(decided)) {
        yield* Effect.annotateCurrentSpan({ "lindung.command": command._tag, "lindung.outcome": "accepted" })
      } else {
        const rule = decided.failure.rule
        yield* Effect.annotateCurrentSpan({
          "lindung.command": command._tag,
          "lindung.outcome": "rejected",
          "lindung.rule": rule
        })
        yield* Telemetry.countRejection(rule)
      }
      return decided
    })

    /** An append, timed by the monotonic clock into {@link Telemetry.appendDuration} with its outcome. */
    const timedAppend = (request: EventStore.AppendRequest) =>
      Effect.clockWith((clock) => {
        const started = clock.monotonicTimeNanosUnsafe()
        return store.append(request).pipe(
          Effect.onExit((exit) => {
            const seconds = Number(clock.monotonicTimeNanosUnsafe() - started) / 1e9
            const outcome = Exit.isSuccess(exit)
              ? exit.value.replayed
                ? "replayed"
                : "written"
              : conflicts.has(Telemetry.failureOf(exit.cause))
                ? "conflict"
                : "failed"
            return Metric.update(Metric.withAttributes(Telemetry.appendDuration, { outcome }), seconds)
          })
        )
      })

    const execute = (
      command: CaseCommand.Command,
      actor: Actor.Actor,
      options: ExecuteOptions = {}
    ): Effect.Effect<Outcome, ExecuteError> =>
      Effect.gen(function* () {
        const key = options.idempotencyKey
        if (key !== undefined) {
          const checked = EventStore.checkIdempotencyKey(key)
          if (Result.isFailure(checked)) return yield* checked.failure
        }
        const print = key === undefined ? undefined : (options.fingerprint ?? fingerprint(command, actor))
        const expected = options.expectedVersion
        const agencies = options.directory?.agencies ?? config.agencies
        const people = options.directory?.people
        for (let attempt = 1; ; attempt++) {
          const state = yield* load(command.caseId)
          // A retry (or a concurrent twin that came first) of an idempotent request is answered from the record.
          // The key is looked up after the load: a twin that commits in between is then either seen here or, if it
          // commits later, met by the append (which checks the key before the version) — never decided against.
          if (key !== undefined && print !== undefined) {
            const found = yield* earlier(key, print, command.caseId)
            if (Option.isSome(found)) return found.value
          }
          if (expected !== undefined && state.version !== expected) {
            return yield* new StorageError.VersionConflict({
              caseId: command.caseId,
              expectedVersion: expected,
              actualVersion: state.version
            })
          }
          const now = options.now ?? (yield* DateTime.now)
          const decided = yield* decide(state, command, {
            now,
            actor,
            agencies,
            ...(people === undefined ? {} : { people }),
            policy
          })
          if (Result.isFailure(decided)) return yield* Effect.fail(SopError.fromRejection(decided.failure))
          const events = decided.success
          if (events.length === 0) return { state, events, replayed: false } satisfies Outcome
          const next = Case.fold(events, state)
          if (next._tag !== "Case") return yield* Effect.die(new Error("a decided case cannot be empty"))
          const appended = yield* timedAppend({
            caseId: command.caseId,
            expectedVersion: state.version,
            events,
            index: CaseIndex.project(next, policy),
            ...(key !== undefined && print !== undefined ? { idempotency: { key, fingerprint: print } } : {}),
            ...(options.newSubject === true && state.version === 0 ? { newSubject: true } : {})
          }).pipe(
            Effect.map((result) => Option.some(result)),
            // Another writer came first: decide again — or, with an expected version, only look whether that
            // writer was this request's idempotent twin (then it replays) before the version check refuses.
            Effect.catchTag("VersionConflict", (conflict) =>
              attempt < maxAttempts && (expected === undefined || key !== undefined)
                ? Effect.succeed(Option.none())
                : Effect.fail(conflict)
            )
          )
          if (Option.isNone(appended)) continue
          if (appended.value.replayed) {
            return yield* replay(command.caseId, appended.value.fromVersion, appended.value.toVersion)
          }
          return { state: next, events, replayed: false } satisfies Outcome
        }
      })

    return CaseRepository.of({ load, execute })
  })

/** The repository as a layer over an `EventStore`. */
export const layer = (config: Config): Layer.Layer<CaseRepository, never, EventStore.EventStore> =>
  Layer.effect(CaseRepository, make(config))
