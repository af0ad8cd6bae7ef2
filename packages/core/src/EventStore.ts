/**
 * The port for a case's history: append a batch of events to one case at an expected version (optimistic
 * concurrency: two writers can never overwrite each other), with an optional idempotency key (a retry returns the
 * first result and writes nothing); append many such batches as one atomic unit (`appendAll`, the bulk path); load a
 * case's events in order; read every event after a global position in position order, never skipping one that
 * commits later (for projections and relays); verify the integrity chain. The case's index entry is written in the
 * same transaction as its events.
 *
 * Adapters: `@lindung/storage-memory` (the reference model), `@lindung/storage-sql` (SQLite, PostgreSQL); every
 * adapter passes `@lindung/storage-testkit`.
 *
 * @since 0.1.0
 */
import { Context, DateTime, type Effect, type Option, Result } from "effect"
import * as CaseEvent from "./CaseEvent.js"
import type * as CaseIndex from "./CaseIndex.js"
import type * as CaseModel from "./CaseModel.js"
import * as Id from "./Id.js"
import * as Input from "./Input.js"
import type * as Integrity from "./Integrity.js"
import type * as StorageError from "./StorageError.js"

/** An idempotency key and the fingerprint of the request it was first used for. */
export interface Idempotency {
  /** An id (see `Id`): 1 to 128 printable characters in NFC; anything else is refused before any read or write. */
  readonly key: string
  /** A digest of the request (e.g. of the command and the actor): the same key with another fingerprint is refused. */
  readonly fingerprint: string
}

/** A batch of events for one case, appended only if the case is at `expectedVersion`. */
export interface AppendRequest {
  readonly caseId: CaseModel.CaseId
  readonly expectedVersion: number
  /** Versions `expectedVersion + 1`, `+ 2`, … in order. */
  readonly events: ReadonlyArray<CaseEvent.Envelope>
  /** The case's index entry after these events, written in the same transaction. */
  readonly index: CaseIndex.Entry
  readonly idempotency?: Idempotency
  /**
   * The case registers a subject as new (a minted id, or one brought by a migration): the append is refused with
   * `SubjectHeld`, writing nothing, when any other case already holds the index entry's subject — checked in the
   * append's own transaction, so that of two such appends of one subject at once, one wins. Only for a new case
   * (`expectedVersion` 0). Checked after the idempotency key, the version and the encoding.
   */
  readonly newSubject?: boolean
}

/** What an append wrote, or, for a retried idempotency key, what the first append wrote. */
export interface AppendResult {
  readonly caseId: CaseModel.CaseId
  readonly fromVersion: number
  readonly toVersion: number
  /** The global position of the last event written. */
  readonly lastPosition: number
  /** True when an earlier append with the same idempotency key is returned and nothing was written. */
  readonly replayed: boolean
}

/**
 * The due instants of a case's index entry, computed anew at the case's version `version` (`CaseIndex.project` under
 * the deployment's policy): the two fields of an entry that follow from the policy rather than from the events.
 */
export interface DueRefresh {
  readonly caseId: CaseModel.CaseId
  /** The version the instants were computed at: written only while the case is still there. */
  readonly version: number
  /** The entry's `nextDueAt`; absent: the case has no open deadline. */
  readonly nextDueAt?: DateTime.Utc | undefined
  /** The entry's `wakeAt`; absent: the scheduler need not look at the case. */
  readonly wakeAt?: DateTime.Utc | undefined
}

/**
 * What `refreshDue` did: wrote the instants; found them as given already; found the case at another version (an
 * append came first, and its entry holds the instants of its own version); or found no such case.
 */
export type RefreshOutcome = "written" | "unchanged" | "moved" | "missing"

/** What an idempotency key was used for. */
export interface IdempotencyRecord {
  readonly key: string
  readonly fingerprint: string
  readonly caseId: CaseModel.CaseId
  readonly fromVersion: number
  readonly toVersion: number
}

/** An event with its global position (see `readAfter`) and its integrity hashes. */
export interface StoredEvent {
  readonly position: number
  readonly event: CaseEvent.Envelope
  readonly previousHash: string
  readonly hash: string
}

/**
 * The result of `verify`: how much was checked (every case and event walked, also past a break), and the first
 * break in case-id order, then version order. At one row, an undecodable record is reported before a hash break.
 */
export interface VerifyReport {
  readonly cases: number
  readonly events: number
  readonly firstBreak?:
    | Integrity.Break
    | { readonly caseId: string; readonly version: number; readonly reason: "undecodable" }
}

/** The operations of the {@link EventStore} port: what an adapter implements and a caller may use. */
export interface EventStoreShape {
  readonly append: (
    request: AppendRequest
  ) => Effect.Effect<
    AppendResult,
    | StorageError.VersionConflict
    | StorageError.SubjectHeld
    | StorageError.IdempotencyKeyReused
    | StorageError.StorageUnavailable
    | Input.InvalidInput
  >
  /**
   * Appends many requests as one atomic unit (a bulk path, e.g. an import): the same as appending them one
   * after another, in order, except that either all of them are written or none is. Several requests may go to
   * one case (each at the version the one before it left). A request whose idempotency key was used for the same
   * request is answered from its record (`replayed`) and writes nothing. Every request is first checked with
   * {@link checkRequests} (an invalid one refuses the call before anything is read); then the first request that
   * `append` would refuse refuses the whole call with that error (which names its case), and nothing is written.
   * Readers never see an event of a call that is not written; they read each request of it whole, and may read
   * the requests of a written call in more than one `readAfter` (an adapter may number each request apart, as
   * the PostgreSQL one does), never skipping one. At most {@link MAX_APPEND_ALL} requests per call.
   *
   * @example
   * ```ts
   * const results = yield* store.appendAll([first, second]) // one result per request, in order
   * ```
   */
  readonly appendAll: (
    requests: ReadonlyArray<AppendRequest>
  ) => Effect.Effect<
    ReadonlyArray<AppendResult>,
    | StorageError.VersionConflict
    | StorageError.SubjectHeld
    | StorageError.IdempotencyKeyReused
    | StorageError.StorageUnavailable
    | Input.InvalidInput
  >
  /** A case's events in version order; empty for an unknown case. */
  readonly load: (
    caseId: CaseModel.CaseId
  ) => Effect.Effect<ReadonlyArray<CaseEvent.Envelope>, StorageError.CorruptedRecord | StorageError.StorageUnavailable>
  /**
   * Up to `limit` events with a position greater than `position`, in position order. The promise to relays and
   * projections: positions are unique, may have gaps, and once `readAfter` has returned an event at position
   * `p`, every event it returns later — committed by any process — has a position above `p`; and it never
   * returns an event of an append while another event of that append is still unreadable. So a reader that
   * remembers the last position it read never skips an event. (An adapter may hold back events that committed
   * after an append still running, until that append ends.)
   */
  readonly readAfter: (
    position: number,
    limit: number
  ) => Effect.Effect<
    ReadonlyArray<StoredEvent>,
    StorageError.CorruptedRecord | StorageError.StorageUnavailable | Input.InvalidInput
  >
  /**
   * What an idempotency key was used for, if it was. A key that {@link checkIdempotencyKey} refuses can never have
   * been stored: adapters answer `Option.none()` for it without querying (the append then refuses it).
   */
  readonly idempotency: (
    key: string
  ) => Effect.Effect<Option.Option<IdempotencyRecord>, StorageError.StorageUnavailable>
  /**
   * Rewrites the due instants (`nextDueAt`, `wakeAt`) of a case's index entry, as `refresh` gives them (an absent
   * one is cleared), when the case is at `refresh.version`; every other field of the entry, and every counter, stays
   * as its last append wrote it. Atomic with appends: an append that commits first moves the case on (`moved`, nothing
   * written); one that commits after writes its own entry. The outcome is decided in the same atomic step. Checked by
   * {@link checkRefresh} first (an error never shows `wakeAt`, which can be a child's 18th birthday). The case service
   * calls it when a deployment's policy (its deadlines) no longer gives what the entry says: after a `Tick` that found
   * nothing to record, and for every case in `CaseService.refreshDue`.
   *
   * @example
   * ```ts
   * const outcome = yield* store.refreshDue({ caseId, version: 4, nextDueAt, wakeAt: nextDueAt }) // "written"
   * yield* store.refreshDue({ caseId, version: 4 }) // "written": both cleared (no open deadline)
   * ```
   */
  readonly refreshDue: (
    refresh: DueRefresh
  ) => Effect.Effect<RefreshOutcome, StorageError.StorageUnavailable | Input.InvalidInput>
  /** Walks one case (or every case) and reports the first break of the integrity chain. */
  readonly verify: (caseId?: CaseModel.CaseId) => Effect.Effect<VerifyReport, StorageError.StorageUnavailable>
}

/** The port, as an Effect service: its operations are those of {@link EventStoreShape}. */
export class EventStore extends Context.Service<EventStore, EventStoreShape>()("@lindung/core/EventStore") {}

/**
 * The most requests one `appendAll` takes. An append holds a lock on its case until it commits (on PostgreSQL an
 * entry of the server's shared lock table), so one atomic unit is kept to a size every adapter can hold; a bigger
 * import is written in several calls (each atomic, and repeatable when every request carries an idempotency key).
 */
export const MAX_APPEND_ALL = 1_000

/** The most events one `readAfter` returns. */
export const MAX_READ = 10_000

/** Checks a `readAfter` request: a whole position of 0 or more, and a limit of 1 to {@link MAX_READ}. */
export const checkRead = (position: number, limit: number): Result.Result<void, Input.InvalidInput> => {
  if (!Number.isSafeInteger(position) || position < 0) {
    return Input.fail("position", position, "must be a whole number, 0 or more")
  }
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_READ) {
    return Input.fail("limit", limit, `must be a whole number from 1 to ${MAX_READ}`)
  }
  return Result.succeed(undefined)
}

/**
 * Refuses a value that is not an id (see `Id`), without showing it: an id field may hold pasted data that is not
 * an id at all, so the error names the field and the rule only.
 */
const checkId = (
  field: string,
  value: string,
  maxLength: number = Id.MAX_LENGTH
): Result.Result<string, Input.InvalidInput> => {
  const problem = Id.problem(value, maxLength)
  return problem === undefined
    ? Result.succeed(value)
    : Result.fail(new Input.InvalidInput({ field, value: "(not shown)", reason: problem }))
}

/**
 * Checks an idempotency key before it is looked up or stored, the same way in every adapter and at the HTTP edge:
 * it must be an id (see `Id`: 1 to 128 printable characters in NFC). The error does not show the key.
 *
 * @example
 * ```ts
 * import { EventStore } from "@lindung/core"
 *
 * EventStore.checkIdempotencyKey("reg-1") // Result.succeed("reg-1")
 * EventStore.checkIdempotencyKey("reg-\u0000") // fails: InvalidInput for idempotency.key, a control character
 * ```
 */
export const checkIdempotencyKey = (key: string): Result.Result<string, Input.InvalidInput> =>
  checkId("idempotency.key", key)

/** The earliest and latest instants a store keeps: the years 0001 to 9999, which ISO 8601 writes with four digits. */
const EARLIEST = -62_135_596_800_000
const LATEST = 253_402_300_799_999

/** What is wrong with an instant of an index entry or a due refresh, if anything. */
const instantProblem = (instant: unknown): string | undefined => {
  if (!(DateTime.isDateTime(instant) && DateTime.isUtc(instant) && Number.isFinite(instant.epochMilliseconds))) {
    return "must be a valid UTC instant"
  }
  return instant.epochMilliseconds < EARLIEST || instant.epochMilliseconds > LATEST
    ? "must lie in the years 0001 to 9999"
    : undefined
}

/**
 * The most events one append request may hold (a command produces a handful; an import is split into requests).
 * Every store refuses more with the same `InvalidInput` (PostgreSQL's append numbers positions in blocks of this size).
 */
export const MAX_EVENTS_PER_APPEND = 65_536

/**
 * Checks an append request before any write, the same way in every adapter: the case id, every event id (up to
 * `CaseEvent.MAX_EVENT_ID_LENGTH` characters), the idempotency key and its fingerprint are ids (see `Id`; the error
 * does not show them), events are given, belong to the case, carry consecutive versions from `expectedVersion + 1`,
 * the index entry is the case's at the last version with its instants in the years 0001 to 9999, and `newSubject` is
 * asked for a new case only.
 */
export const checkRequest = (request: AppendRequest): Result.Result<AppendRequest, Input.InvalidInput> => {
  const caseId = checkId("caseId", request.caseId)
  if (Result.isFailure(caseId)) return Result.fail(caseId.failure)
  if (!Number.isSafeInteger(request.expectedVersion) || request.expectedVersion < 0) {
    return Input.fail("expectedVersion", request.expectedVersion, "must be a whole number, 0 or more")
  }
  if (request.events.length === 0) return Input.fail("events", [], "an append needs at least one event")
  if (request.events.length > MAX_EVENTS_PER_APPEND) {
    return Input.fail("events", request.events.length, `an append holds at most ${MAX_EVENTS_PER_APPEND} events`)
  }
  for (const [index, event] of request.events.entries()) {
    const eventId = checkId(`events.${index}.eventId`, event.eventId, CaseEvent.MAX_EVENT_ID_LENGTH)
    if (Result.isFailure(eventId)) return Result.fail(eventId.failure)
    if (event.caseId !== request.caseId) {
      return Input.fail("events.caseId", event.caseId, `event ${index} belongs to another case than ${request.caseId}`)
    }
    if (event.version !== request.expectedVersion + index + 1) {
      return Input.fail(
        "events.version",
        event.version,
        `event ${index} must have version ${request.expectedVersion + index + 1}`
      )
    }
  }
  const last = request.expectedVersion + request.events.length
  if (request.index.caseId !== request.caseId || request.index.version !== last) {
    return Input.fail(
      "index",
      request.index.caseId,
      `the index entry must be case ${request.caseId} at version ${last}`
    )
  }
  for (const field of ["reportedAt", "updatedAt", "nextDueAt", "wakeAt"] as const) {
    const instant: unknown = request.index[field]
    // The due instants may be absent; the others may not.
    const optional = field === "nextDueAt" || field === "wakeAt"
    const problem = optional && instant === undefined ? undefined : instantProblem(instant)
    if (problem !== undefined) return Input.fail(`index.${field}`, String(instant), problem)
  }
  if (request.idempotency !== undefined) {
    const key = checkIdempotencyKey(request.idempotency.key)
    if (Result.isFailure(key)) return Result.fail(key.failure)
    // A fingerprint is compared as stored: it must survive every store's encoding (a digest, in practice).
    const fingerprint = checkId("idempotency.fingerprint", request.idempotency.fingerprint)
    if (Result.isFailure(fingerprint)) return Result.fail(fingerprint.failure)
  }
  if (request.newSubject === true && request.expectedVersion !== 0) {
    return Input.fail(
      "newSubject",
      request.expectedVersion,
      "only a new case (expectedVersion 0) registers a new subject"
    )
  }
  return Result.succeed(request)
}

/**
 * Checks a due refresh before anything is read, the same way in every adapter: the case id is an id (see `Id`; the
 * error does not show it), the version a whole number of 1 or more, and each instant given a valid `DateTime.Utc` in
 * the years 0001 to 9999.
 * Either may be absent, and they come in any order: `wakeAt` is the next escalation or birthday (see
 * `CaseIndex.Entry`), which can fall before, at or after the earliest deadline, or nowhere.
 */
export const checkRefresh = (refresh: DueRefresh): Result.Result<DueRefresh, Input.InvalidInput> => {
  const caseId = checkId("caseId", refresh.caseId)
  if (Result.isFailure(caseId)) return Result.fail(caseId.failure)
  if (!Number.isSafeInteger(refresh.version) || refresh.version < 1) {
    return Input.fail("version", refresh.version, "must be a whole number, 1 or more")
  }
  for (const field of ["nextDueAt", "wakeAt"] as const) {
    const instant: unknown = refresh[field]
    const problem = instant === undefined ? undefined : instantProblem(instant)
    if (problem !== undefined) return Input.fail(field, String(instant), problem)
  }
  return Result.succeed(refresh)
}

const sameInstant = (left: DateTime.Utc | undefined, right: DateTime.Utc | undefined): boolean =>
  left === undefined || right === undefined ? left === right : left.epochMilliseconds === right.epochMilliseconds

/** Whether an index entry already holds the due instants of `refresh` (instants compared to the millisecond). */
export const holdsDue = (entry: CaseIndex.Entry, refresh: DueRefresh): boolean =>
  sameInstant(entry.nextDueAt, refresh.nextDueAt) && sameInstant(entry.wakeAt, refresh.wakeAt)

/** An index entry with the due instants of `refresh` (an absent one removed): what `refreshDue` leaves stored. */
export const withDue = (entry: CaseIndex.Entry, refresh: DueRefresh): CaseIndex.Entry => {
  const { nextDueAt: _nextDueAt, wakeAt: _wakeAt, ...rest } = entry
  return {
    ...rest,
    ...(refresh.nextDueAt === undefined ? {} : { nextDueAt: refresh.nextDueAt }),
    ...(refresh.wakeAt === undefined ? {} : { wakeAt: refresh.wakeAt })
  }
}

/**
 * Checks an `appendAll` call before any write, the same way in every adapter: 1 to {@link MAX_APPEND_ALL}
 * requests, each accepted by {@link checkRequest} (the first refusal is returned).
 */
export const checkRequests = (
  requests: ReadonlyArray<AppendRequest>
): Result.Result<ReadonlyArray<AppendRequest>, Input.InvalidInput> => {
  if (requests.length === 0 || requests.length > MAX_APPEND_ALL) {
    return Input.fail("requests", requests.length, `must be 1 to ${MAX_APPEND_ALL} requests`)
  }
  for (const request of requests) {
    const checked = checkRequest(request)
    if (Result.isFailure(checked)) return Result.fail(checked.failure)
  }
  return Result.succeed(requests)
}
