/**
 * The five ports on an `effect/sql` client: EventStore, CaseIndex, IdentityVault, Checkpoints and ExportLog, for SQLite and
 * PostgreSQL. The schema is the one of `Migrations`.
 *
 * ## Commit order and locking
 * SQLite: an append runs in one `BEGIN IMMEDIATE` transaction (the database's one write lock), reads the counter
 * row of `lindung_event_sequence`, checks the idempotency key and the case's version, writes events at positions
 * `last_position + 1 …`, the index entry, its side tables (only when they changed), the counters and the
 * idempotency record, and moves `last_position` on: positions are gapless and in commit order.
 *
 * PostgreSQL (migration 5): no global lock. `lindung_append` takes a transaction-level advisory lock on the case
 * (appends to different cases run in parallel), checks the key and the version, announces the lowest position it
 * could take (a shared advisory lock held until it ends) and takes its positions from the sequence
 * `lindung_positions`; `readAfter` (`lindung_read_after`) reads only below the lowest position an append still
 * running could commit. So positions are unique, have gaps, and a reader that remembers the last position it read
 * never skips an event that commits later (see `Migrations`). Counters are written once per transaction, at its
 * end, in key order, and batches take their cases' locks first, in one order (`lindung_append_many`): two
 * batches never wait for each other in a circle.
 *
 * The dialects write their own way (`SqliteAppend`: one synchronous transaction over prepared statements;
 * `PgAppend`: one statement, so one round trip), from the same plan (`AppendPlan`).
 *
 * The UNIQUE (case_id, version) constraint (with the province when the events are partitioned by it, PostgreSQL)
 * stays as a second guard: a writer that bypasses the lock and inserts
 * the same version fails with a unique violation, which is translated into `VersionConflict` with the actual
 * version — unless the request's idempotency key is recorded by then, which answers the replay (or
 * `IdempotencyKeyReused`), as the locked path does.
 *
 * ## Racing retries of one idempotent request
 * The key is checked after the lock (SQLite's write lock, PostgreSQL's case lock) is taken and before the version.
 * A retry that waited for the lock while the first attempt committed therefore finds the key and answers `replayed: true` with the first attempt's versions,
 * never a `VersionConflict` for a request that was in fact written. On PostgreSQL this needs each statement to see
 * what committed before it, so the append runs at READ COMMITTED: in autocommit when that is the server's default
 * (PostgreSQL's own), else in a transaction that sets it first (do not call `append` inside a transaction of your
 * own at another level). Under REPEATABLE READ or SERIALIZABLE the waiting retry would instead fail with a
 * serialization error.
 *
 * @internal
 */
import {
  CaseEvent,
  CaseExport,
  CaseIndex,
  Checkpoints,
  EventStore,
  ExportLog,
  IdentityVault,
  type Input,
  Integrity,
  StorageError,
  type Subject
} from "@lindung/core"
import { Context, DateTime, Effect, Option, Redacted, Result, Schema } from "effect"
import type { SqlClient, SqlError, Statement } from "effect/sql"
import * as IdentityKeys from "../IdentityKeys.js"
import * as AppendPlan from "./AppendPlan.js"
import * as GroupCommit from "./GroupCommit.js"
import type * as SqliteClient from "./SqliteClient.js"
import {
  type Dialect,
  messageOf,
  parseJson,
  run,
  sha256,
  sortKey,
  toNumber,
  toOptionalNumber,
  unavailable
} from "./shared.js"
import { transaction } from "./transaction.js"

/** What the services need besides the client. */
export interface Options {
  readonly sql: SqlClient.SqlClient
  readonly dialect: Dialect
  readonly keyring: IdentityKeys.Keyring
  /** Writes an append (the dialect's own: `SqliteAppend` or `PgAppend`). */
  readonly writer: (plan: AppendPlan.Plan) => Effect.Effect<AppendPlan.Outcome, SqlError.SqlError>
  /** A due refresh, its outcome decided and its write made in one transaction (the dialect's own). */
  readonly refreshDue: (due: AppendPlan.PlannedDue) => Effect.Effect<EventStore.RefreshOutcome, SqlError.SqlError>
  /** Writes `appendAll`'s plans in one transaction, all or nothing (the dialect's own). */
  readonly writeAll: AppendPlan.WriteAll<SqlError.SqlError>
  /** Writes several appends in one transaction, each with its own answer (group commit; absent: none). */
  readonly writeMany?: GroupCommit.Write<AppendPlan.Plan, AppendPlan.Outcome, SqlError.SqlError>
  /** The most appends written together (default {@link DEFAULT_APPEND_BATCH_SIZE}; 1: no grouping). */
  readonly appendBatchSize?: number
  /** How many group-commit batches may be written at once (default 1). */
  readonly appendWriters?: number
  /** PostgreSQL: whether the server's default isolation is READ COMMITTED (else `readAfter` sets it). */
  readonly readCommitted?: boolean
  /** SQLite's direct path, when the client is the adapter's own (reads on prepared statements). */
  readonly direct?: SqliteClient.Direct
  /** How many decoded events to keep (default {@link DEFAULT_EVENT_CACHE_SIZE}; 0 keeps none). */
  readonly eventCacheSize?: number
  /** Runs after an erasure (SQLite: a WAL checkpoint, so no old page holding the ciphertext stays in the log). */
  readonly afterErase?: Effect.Effect<void>
}

/** The services the layers provide. */
export type Services =
  | EventStore.EventStore
  | CaseIndex.CaseIndex
  | IdentityVault.IdentityVault
  | Checkpoints.Checkpoints
  | ExportLog.ExportLog

const decodeEntry = Schema.decodeUnknownResult(CaseIndex.Entry)

interface EventRow {
  readonly position: unknown
  readonly case_id: string
  readonly version: unknown
  readonly body: unknown
  readonly body_text?: unknown
  readonly previous_hash: string
  readonly hash: string
}

/** The stored JSON of an event row, parsed: PostgreSQL keeps JSONB in `body` or, rarely, text in `body_text`. */
const rowJson = (row: EventRow) => parseJson(row.body ?? row.body_text)

/**
 * Events already decoded, by their stored text: decoding is a pure function of the text, so an event whose text
 * was decoded before is taken from here (its case and version still checked against the row) instead of parsed and
 * Schema-decoded again on every load. Bounded: the least recently used text goes first.
 */
export class DecodedEvents {
  readonly #events = new Map<string, CaseEvent.Envelope>()
  constructor(readonly size: number) {}
  get(text: string): CaseEvent.Envelope | undefined {
    const event = this.#events.get(text)
    if (event !== undefined) {
      this.#events.delete(text)
      this.#events.set(text, event)
    }
    return event
  }
  set(text: string, event: CaseEvent.Envelope): void {
    if (this.size <= 0) return
    this.#events.set(text, event)
    if (this.#events.size > this.size) this.#events.delete(this.#events.keys().next().value as string)
  }
}

/** The default of {@link Options.appendBatchSize}: at most 64 appends in one transaction. */
export const DEFAULT_APPEND_BATCH_SIZE = 64

/**
 * The default of {@link Options.appendWriters} on PostgreSQL: one batch in flight per process. Measured on 2 vCPUs
 * with 16 concurrent writers (docs/benchmarks.md), 1 was the fastest: one writer keeps batches large, and more
 * transactions at once only share the same two cores. Appends of different processes still run in parallel.
 */
export const DEFAULT_PG_APPEND_WRITERS = 1

/** The default size of {@link DecodedEvents}: about 10,000 events (a few tens of MB), a Lindung default. */
export const DEFAULT_EVENT_CACHE_SIZE = 10_000

const storedText = (row: EventRow): string | undefined =>
  typeof row.body === "string" ? row.body : typeof row.body_text === "string" ? row.body_text : undefined

const decodeEvent = (
  row: EventRow,
  cache: DecodedEvents
): Result.Result<CaseEvent.Envelope, StorageError.CorruptedRecord> => {
  const version = toNumber(row.version)
  const text = storedText(row)
  const known = text === undefined ? undefined : cache.get(text)
  if (known !== undefined && known.caseId === row.case_id && known.version === version) return Result.succeed(known)
  const location = `case ${row.case_id} version ${version}`
  const json = rowJson(row)
  if (!json.ok)
    return Result.fail(new StorageError.CorruptedRecord({ location, detail: "the stored event is not JSON" }))
  try {
    const event = CaseEvent.decodeEnvelope(json.value)
    if (event.caseId !== row.case_id || event.version !== version) {
      return Result.fail(
        new StorageError.CorruptedRecord({
          location,
          detail: `the stored event says case ${event.caseId} version ${event.version}`
        })
      )
    }
    if (text !== undefined) cache.set(text, event)
    return Result.succeed(event)
  } catch (cause) {
    return Result.fail(
      new StorageError.CorruptedRecord({ location, detail: `the stored event does not decode: ${messageOf(cause)}` })
    )
  }
}

const isUniqueViolation = (error: SqlError.SqlError, pattern: RegExp): boolean => {
  if (error.reason._tag !== "UniqueViolation") return false
  return pattern.test(`${error.reason.constraint} ${error.reason.message ?? ""}`)
}

// The constraint by name, the SQLite column, or (events partitioned by province) a partition's own index of it.
const VERSION_CONSTRAINT =
  /lindung_events_case_version|lindung_events\.version|lindung_events_p\w+_case_id_version_province_key/
const IDEMPOTENCY_CONSTRAINT = /lindung_idempotency/

const unique = <A>(values: ReadonlyArray<A>): ReadonlyArray<A> => [...new Set(values)]

// ---------------------------------------------------------------------------------------------------------------
// EventStore
// ---------------------------------------------------------------------------------------------------------------

/** What `append` and `appendAll` can fail with. */
type AppendFailure =
  | StorageError.VersionConflict
  | StorageError.SubjectHeld
  | StorageError.IdempotencyKeyReused
  | StorageError.StorageUnavailable
  | Input.InvalidInput

const makeEventStore = (options: Options) => {
  const { sql, dialect } = options
  // PostgreSQL: JSONB as its text, so that decoded events can be found by it (see `DecodedEvents`).
  const eventColumns = dialect === "pg" ? sql.literal("body::text AS body, body_text") : sql.literal("body")
  // PostgreSQL: only below the positions that an append still running could commit (`lindung_read_after`,
  // migration 5); SQLite writes one transaction at a time, in position order.
  // It needs READ COMMITTED (it refuses another level): a server whose default is another gets it set here.
  const readRows = (position: number, limit: number): Effect.Effect<ReadonlyArray<EventRow>, SqlError.SqlError> => {
    if (dialect !== "pg") {
      return sql<EventRow>`SELECT position, case_id, version, body, previous_hash, hash FROM lindung_events WHERE position > ${position} ORDER BY position LIMIT ${limit}`
    }
    const read = sql<EventRow>`SELECT at_position AS position, of_case AS case_id, at_version AS version, body_json AS body, body_raw AS body_text, previous_link AS previous_hash, link AS hash FROM lindung_read_after(${position}, ${limit})`
    return options.readCommitted === false
      ? Effect.flatMap(Effect.serviceOption(sql.transactionService), (open) =>
          Option.isSome(open)
            ? read
            : transaction(sql, Effect.andThen(sql`SET TRANSACTION ISOLATION LEVEL READ COMMITTED`, read))
        )
      : read
  }
  const decoded = new DecodedEvents(options.eventCacheSize ?? DEFAULT_EVENT_CACHE_SIZE)
  const batchSize = options.appendBatchSize ?? DEFAULT_APPEND_BATCH_SIZE
  const grouped =
    options.writeMany === undefined || batchSize <= 1
      ? undefined
      : GroupCommit.make(options.writeMany, batchSize, options.appendWriters ?? 1)
  /** Group commit, except inside a caller's own transaction (the append must then run on its connection). */
  // Without grouping, an append outside a caller's transaction still goes through the batch writer (one item),
  // which may write again what the database cancelled whole (a deadlock on PostgreSQL); inside a caller's
  // transaction only the caller can.
  const alone = (plan: AppendPlan.Plan): Effect.Effect<AppendPlan.Outcome, SqlError.SqlError> => {
    const many = options.writeMany
    if (many === undefined) return options.writer(plan)
    return Effect.flatMap(many([plan]), (results) => {
      const result = results[0]
      if (result === undefined) return Effect.die(new Error("the batch writer answered nothing"))
      return Result.isSuccess(result) ? Effect.succeed(result.success) : Effect.fail(result.failure)
    })
  }
  const write = (plan: AppendPlan.Plan): Effect.Effect<AppendPlan.Outcome, SqlError.SqlError> =>
    Effect.flatMap(Effect.serviceOption(sql.transactionService), (open) =>
      Option.isSome(open) ? options.writer(plan) : grouped === undefined ? alone(plan) : grouped(plan)
    )

  const readIdempotency = (key: string) =>
    Effect.map(
      sql<{
        readonly fingerprint: string
        readonly case_id: string
        readonly from_version: unknown
        readonly to_version: unknown
        readonly last_position: unknown
      }>`SELECT fingerprint, case_id, from_version, to_version, last_position FROM lindung_idempotency WHERE key = ${key}`,
      (rows) =>
        Option.map(
          Option.fromNullishOr(rows[0]),
          (row): AppendPlan.StoredKey => ({
            fingerprint: row.fingerprint,
            caseId: row.case_id,
            fromVersion: toNumber(row.from_version),
            toVersion: toNumber(row.to_version),
            lastPosition: toNumber(row.last_position)
          })
        )
    )

  const currentVersion = (caseId: string) =>
    Effect.map(
      sql<{ readonly version: unknown }>`SELECT MAX(version) AS version FROM lindung_events WHERE case_id = ${caseId}`,
      (rows) => toOptionalNumber(rows[0]?.version) ?? 0
    )

  const replayOrReject = (
    request: EventStore.AppendRequest,
    idempotency: EventStore.Idempotency,
    stored: AppendPlan.StoredKey
  ): Effect.Effect<EventStore.AppendResult, StorageError.IdempotencyKeyReused> =>
    stored.fingerprint === idempotency.fingerprint && stored.caseId === request.caseId
      ? Effect.succeed({
          caseId: request.caseId,
          fromVersion: stored.fromVersion,
          toVersion: stored.toVersion,
          lastPosition: stored.lastPosition,
          replayed: true
        })
      : Effect.fail(new StorageError.IdempotencyKeyReused({ key: idempotency.key, caseId: stored.caseId }))

  /** The port's answer to a writer's outcome. */
  const answer = (
    request: EventStore.AppendRequest,
    outcome: AppendPlan.Outcome
  ): Effect.Effect<
    EventStore.AppendResult,
    StorageError.VersionConflict | StorageError.SubjectHeld | StorageError.IdempotencyKeyReused | Input.InvalidInput
  > => {
    switch (outcome._tag) {
      case "Appended":
        return Effect.succeed({
          caseId: request.caseId,
          fromVersion: outcome.fromVersion,
          toVersion: outcome.toVersion,
          lastPosition: outcome.lastPosition,
          replayed: false
        })
      case "KeyFound":
        return replayOrReject(request, request.idempotency as EventStore.Idempotency, outcome.stored)
      case "Conflict":
        return Effect.fail(
          new StorageError.VersionConflict({
            caseId: request.caseId,
            expectedVersion: request.expectedVersion,
            actualVersion: outcome.actualVersion
          })
        )
      case "Invalid":
        return Effect.fail(outcome.error)
      case "SubjectHeld":
        return Effect.fail(new StorageError.SubjectHeld({ caseId: request.caseId }))
    }
  }

  /**
   * Every request in one transaction of its own (never grouped with other appends), or in the caller's: the
   * writer stops and rolls back at the first refused outcome, whose error is the answer. A database error is
   * `StorageUnavailable`, and nothing was written (a lost connection may have committed: the requests' keys tell).
   */
  const appendAll = (
    requests: ReadonlyArray<EventStore.AppendRequest>
  ): Effect.Effect<ReadonlyArray<EventStore.AppendResult>, AppendFailure> =>
    Effect.suspend(() => {
      const checked = EventStore.checkRequests(requests)
      if (Result.isFailure(checked)) return Effect.fail(checked.failure)
      return options.writeAll(requests.map(AppendPlan.make)).pipe(
        Effect.catchTag("SqlError", (error) => Effect.fail(unavailable("appendAll")(error))),
        Effect.flatMap((outcomes) =>
          Effect.forEach(outcomes, (outcome, i) => answer(requests[i] as EventStore.AppendRequest, outcome))
        )
      )
    })

  const append = (request: EventStore.AppendRequest): Effect.Effect<EventStore.AppendResult, AppendFailure> =>
    Effect.suspend(() => {
      const checked = EventStore.checkRequest(request)
      if (Result.isFailure(checked)) return Effect.fail(checked.failure)
      const idempotency = request.idempotency
      return write(AppendPlan.make(request)).pipe(
        Effect.flatMap((outcome) => answer(request, outcome)),
        Effect.catchTag(
          "SqlError",
          (
            error
          ): Effect.Effect<
            EventStore.AppendResult,
            StorageError.VersionConflict | StorageError.IdempotencyKeyReused | StorageError.StorageUnavailable
          > => {
            // A writer that bypassed the lock won the version or the key: report what the database now holds. If
            // it wrote this very request (its key is recorded), that is a replay, not a conflict.
            if (isUniqueViolation(error, VERSION_CONSTRAINT)) {
              const conflict = Effect.flatMap(run("append", currentVersion(request.caseId)), (actualVersion) =>
                Effect.fail(
                  new StorageError.VersionConflict({
                    caseId: request.caseId,
                    expectedVersion: request.expectedVersion,
                    actualVersion
                  })
                )
              )
              if (idempotency === undefined) return conflict
              return Effect.flatMap(
                run("append", readIdempotency(idempotency.key)),
                (
                  stored
                ): Effect.Effect<
                  EventStore.AppendResult,
                  StorageError.VersionConflict | StorageError.IdempotencyKeyReused | StorageError.StorageUnavailable
                > => (Option.isSome(stored) ? replayOrReject(request, idempotency, stored.value) : conflict)
              )
            }
            if (idempotency !== undefined && isUniqueViolation(error, IDEMPOTENCY_CONSTRAINT)) {
              return Effect.flatMap(
                run("append", readIdempotency(idempotency.key)),
                (
                  stored
                ): Effect.Effect<
                  EventStore.AppendResult,
                  StorageError.IdempotencyKeyReused | StorageError.StorageUnavailable
                > =>
                  Option.isSome(stored)
                    ? replayOrReject(request, idempotency, stored.value)
                    : Effect.fail(unavailable("append")(error))
              )
            }
            return Effect.fail(unavailable("append")(error))
          }
        )
      )
    })

  // SQLite with the adapter's own client: one prepared statement, read synchronously (no statement compile).
  const loadRows = (caseId: string): Effect.Effect<ReadonlyArray<EventRow>, SqlError.SqlError> =>
    options.direct === undefined
      ? sql<EventRow>`SELECT position, case_id, version, ${eventColumns}, previous_hash, hash FROM lindung_events WHERE case_id = ${caseId} ORDER BY version`
      : options.direct.read(
          (statements) =>
            statements
              .prepare(
                "SELECT position, case_id, version, body, previous_hash, hash FROM lindung_events WHERE case_id = ? ORDER BY version"
              )
              .all(caseId) as unknown as ReadonlyArray<EventRow>
        )

  const load = (caseId: string) =>
    Effect.flatMap(run("load", loadRows(caseId)), (rows) => {
      const events: Array<CaseEvent.Envelope> = []
      for (const row of rows) {
        const event = decodeEvent(row, decoded)
        if (Result.isFailure(event)) return Effect.fail(event.failure)
        events.push(event.success)
      }
      return Effect.succeed(events as ReadonlyArray<CaseEvent.Envelope>)
    })

  const readAfter = (position: number, limit: number) =>
    Effect.andThen(
      Effect.fromResult(EventStore.checkRead(position, limit)),
      Effect.flatMap(run("readAfter", readRows(position, limit)), (rows) => {
        const stored: Array<EventStore.StoredEvent> = []
        for (const row of rows) {
          const event = decodeEvent(row, decoded)
          if (Result.isFailure(event)) return Effect.fail(event.failure)
          stored.push({
            position: toNumber(row.position),
            event: event.success,
            previousHash: row.previous_hash,
            hash: row.hash
          })
        }
        return Effect.succeed(stored as ReadonlyArray<EventStore.StoredEvent>)
      })
    )

  // A key the port refuses was never stored: answered without a query (the driver would turn a lone surrogate into
  // U+FFFD and find another key's record).
  const idempotencyRecord = (key: string) =>
    Result.isFailure(EventStore.checkIdempotencyKey(key))
      ? Effect.succeed(Option.none<EventStore.IdempotencyRecord>())
      : Effect.map(
          run("idempotency", readIdempotency(key)),
          Option.map(
            (stored): EventStore.IdempotencyRecord => ({
              key,
              fingerprint: stored.fingerprint,
              caseId: stored.caseId as EventStore.IdempotencyRecord["caseId"],
              fromVersion: stored.fromVersion,
              toVersion: stored.toVersion
            })
          )
        )

  /** Checks one case's rows in version order, as `Integrity.check` does, with undecodable rows as breaks. */
  const checkCase = (rows: ReadonlyArray<EventRow>): EventStore.VerifyReport["firstBreak"] => {
    let previous = Integrity.GENESIS
    let expected = 1
    for (const row of rows) {
      const version = toNumber(row.version)
      const parsed = rowJson(row)
      if (!parsed.ok) return { caseId: row.case_id, version, reason: "undecodable" }
      try {
        CaseEvent.decodeEnvelope(parsed.value)
      } catch {
        return { caseId: row.case_id, version, reason: "undecodable" }
      }
      if (version !== expected) return { caseId: row.case_id, version, reason: "version-gap" }
      if (row.previous_hash !== previous) return { caseId: row.case_id, version, reason: "previous-hash-mismatch" }
      const hash = Integrity.link(previous, parsed.value, sha256)
      if (hash !== row.hash) return { caseId: row.case_id, version, reason: "hash-mismatch" }
      previous = hash
      expected++
    }
    return undefined
  }

  const VERIFY_BATCH = 200

  const verify = (caseId?: string) =>
    Effect.gen(function* () {
      const ids =
        caseId !== undefined
          ? [caseId]
          : (yield* sql<{ readonly case_id: string }>`SELECT DISTINCT case_id FROM lindung_events`)
              .map((row) => row.case_id)
              .sort(CaseIndex.compareIds)
      let cases = 0
      let events = 0
      let firstBreak: EventStore.VerifyReport["firstBreak"]
      for (let start = 0; start < ids.length; start += VERIFY_BATCH) {
        const batch = ids.slice(start, start + VERIFY_BATCH)
        const rows =
          yield* sql<EventRow>`SELECT position, case_id, version, ${eventColumns}, previous_hash, hash FROM lindung_events WHERE case_id IN ${sql.in(batch)} ORDER BY case_id, version`
        const byCase = new Map<string, Array<EventRow>>()
        for (const row of rows) {
          const list = byCase.get(row.case_id)
          if (list === undefined) byCase.set(row.case_id, [row])
          else list.push(row)
        }
        for (const id of batch) {
          const list = byCase.get(id)
          if (list === undefined) continue
          list.sort((a, b) => toNumber(a.version) - toNumber(b.version))
          cases++
          events += list.length
          if (firstBreak === undefined) firstBreak = checkCase(list)
        }
      }
      return (
        firstBreak === undefined ? { cases, events } : { cases, events, firstBreak }
      ) satisfies EventStore.VerifyReport
    }).pipe(Effect.catchTag("SqlError", (error) => Effect.fail(unavailable("verify")(error))))

  const refreshDue = (refresh: EventStore.DueRefresh) =>
    Effect.flatMap(Effect.fromResult(EventStore.checkRefresh(refresh)), (checked) =>
      run("refreshDue", options.refreshDue(AppendPlan.planDue(checked)))
    )

  return EventStore.EventStore.of({
    append,
    appendAll,
    load: (caseId) => load(caseId),
    readAfter,
    refreshDue,
    idempotency: idempotencyRecord,
    verify: (caseId) => verify(caseId)
  })
}

// ---------------------------------------------------------------------------------------------------------------
// CaseIndex
// ---------------------------------------------------------------------------------------------------------------

const REGION_LENGTH: Readonly<Record<number, number>> = { 1: 2, 2: 5, 3: 8, 4: 13 }

const MULTI: Readonly<Record<string, "ampk" | "ppks" | "concern">> = { ampk: "ampk", ppks: "ppks", concern: "concern" }

const makeCaseIndex = (options: Options) => {
  const { sql } = options

  /**
   * The WHERE clause of a filter. Assignee and category filters are `case_id IN (subquery)` rather than `EXISTS`:
   * SQLite's planner then starts from the side table's index (bounded by the matches) instead of scanning every
   * case; PostgreSQL plans both forms as the same semi-join.
   */
  const where = (filter: CaseIndex.Filter): Statement.Fragment => {
    const clauses: Array<Statement.Fragment> = []
    if (filter.region !== undefined && filter.region !== "ID") {
      const region = filter.region
      // One index range [P, "P/"): it holds P and every code below P ("P." + …), since "." is the only character
      // below "/" in a region code; the second test keeps the exact semantics for any string.
      clauses.push(
        sql`(i.region >= ${region} AND i.region < ${`${region}/`} AND (i.region = ${region} OR substr(i.region, 1, ${region.length + 1}) = ${`${region}.`}))`
      )
    }
    if (filter.stages !== undefined) {
      clauses.push(filter.stages.length === 0 ? sql`1 = 0` : sql`i.stage IN ${sql.in(unique(filter.stages))}`)
    }
    if (filter.risks !== undefined) {
      clauses.push(filter.risks.length === 0 ? sql`1 = 0` : sql`i.risk IN ${sql.in(unique(filter.risks))}`)
    }
    if (filter.owner !== undefined) clauses.push(sql`i.owner = ${filter.owner}`)
    if (filter.subject !== undefined) clauses.push(sql`i.subject = ${filter.subject}`)
    if (filter.assignee !== undefined) {
      clauses.push(
        sql`i.case_id IN (SELECT a.case_id FROM lindung_case_assignees a WHERE a.actor_id = ${filter.assignee})`
      )
    }
    const category = (dimension: string, value: string) =>
      sql`i.case_id IN (SELECT c.case_id FROM lindung_case_categories c WHERE c.dimension = ${dimension} AND c.value = ${value})`
    if (filter.ampk !== undefined) clauses.push(category("ampk", filter.ampk))
    if (filter.ppks !== undefined) clauses.push(category("ppks", String(filter.ppks)))
    if (filter.concern !== undefined) clauses.push(category("concern", filter.concern))
    if (filter.sppaRole !== undefined) clauses.push(sql`i.sppa_role = ${filter.sppaRole}`)
    if (filter.dueBefore !== undefined) clauses.push(sql`i.next_due_at < ${DateTime.toEpochMillis(filter.dueBefore)}`)
    if (filter.wakeBefore !== undefined) clauses.push(sql`i.wake_at < ${DateTime.toEpochMillis(filter.wakeBefore)}`)
    return sql.and(clauses)
  }

  const entryOf = (row: { readonly case_id: string; readonly entry: unknown }) => {
    const location = `case index entry of case ${row.case_id}`
    const parsed = parseJson(row.entry)
    if (!parsed.ok) return Result.fail(new StorageError.CorruptedRecord({ location, detail: "the entry is not JSON" }))
    const decoded = decodeEntry(parsed.value)
    return Result.isFailure(decoded)
      ? Result.fail(
          new StorageError.CorruptedRecord({
            location,
            detail: `the entry does not decode: ${decoded.failure.message}`
          })
        )
      : Result.succeed(decoded.success)
  }

  /**
   * A page: the matching case ids found and sorted first (in an index that carries the sort key, such as the
   * work-list index, without reading the rows), then only the page's rows read for their entries.
   */
  const query = (input: CaseIndex.Query) =>
    Effect.gen(function* () {
      const request = yield* Effect.fromResult(CaseIndex.checkQuery(input))
      const limit = request.limit
      const after = request.after === undefined ? sql`1 = 1` : sql`i.case_key > ${sortKey(request.after)}`
      const rows = yield* run(
        "query",
        sql<{
          readonly case_id: string
          readonly entry: unknown
        }>`SELECT o.case_id, o.entry FROM (
            SELECT i.case_id FROM lindung_case_index i WHERE ${where(request.filter)} AND ${after} ORDER BY i.case_key LIMIT ${limit + 1}
          ) AS page JOIN lindung_case_index o ON o.case_id = page.case_id ORDER BY o.case_key`
      )
      const entries: Array<CaseIndex.Entry> = []
      for (const row of rows.slice(0, limit)) {
        const entry = entryOf(row)
        if (Result.isFailure(entry)) return yield* entry.failure
        entries.push(entry.success)
      }
      const last = entries.at(-1)
      return (
        rows.length > limit && last !== undefined ? { entries, next: last.caseId } : { entries }
      ) satisfies CaseIndex.Page
    })

  /** GROUP BY the select list's first `by.length` columns (nothing for no dimension). */
  const groupByOf = (by: ReadonlyArray<string>): Statement.Fragment =>
    by.length === 0 ? sql`` : sql.literal(`GROUP BY ${by.map((_, position) => position + 1).join(", ")}`)

  /**
   * A count that the counters answer (`lindung_case_counts`, kept by every append): grouped by region at the
   * provinsi or kabupaten/kota level, stage, risk and at most one multi-valued category, filtered by region (a
   * provinsi or kabupaten/kota), stages and risks only. It reads a few counter rows instead of every matching case.
   * Any other count scans the index.
   */
  const fromCounters = (request: CaseIndex.CountQuery) => {
    const { filter, by } = request
    const depth = request.regionDepth ?? 2
    const categories = by.filter(
      (dimension): dimension is "ampk" | "ppks" | "concern" =>
        dimension === "ampk" || dimension === "ppks" || dimension === "concern"
    )
    const countable =
      categories.length <= 1 &&
      by.every(
        (dimension) =>
          dimension === "region" ||
          dimension === "stage" ||
          dimension === "risk" ||
          (categories as ReadonlyArray<string>).includes(dimension)
      ) &&
      (!by.includes("region") || depth <= 2) &&
      Object.keys(filter).every((key) => key === "region" || key === "stages" || key === "risks") &&
      (filter.region === undefined || filter.region.length <= 5)
    if (!countable) return undefined
    const columns = by.map((dimension, position) => {
      const alias = `d${position}`
      switch (dimension) {
        case "region":
          return sql.literal(depth === 1 ? `substr(k.area, 1, 2) AS ${alias}` : `k.area AS ${alias}`)
        case "stage":
          return sql.literal(`k.stage AS ${alias}`)
        case "risk":
          return sql.literal(`CASE WHEN k.risk = '' THEN 'none' ELSE k.risk END AS ${alias}`)
        default:
          return sql.literal(`k.value AS ${alias}`)
      }
    })
    const clauses: Array<Statement.Fragment> = [
      sql`k.dimension = ${categories[0] === undefined ? "" : MULTI[categories[0]]}`
    ]
    if (filter.region !== undefined && filter.region !== "ID") {
      const region = filter.region
      // One range of the counters' primary key (dimension, area, …), as the index filter does for regions.
      clauses.push(
        sql`(k.area >= ${region} AND k.area < ${`${region}/`} AND (k.area = ${region} OR substr(k.area, 1, ${region.length + 1}) = ${`${region}.`}))`
      )
    }
    if (filter.stages !== undefined) {
      clauses.push(filter.stages.length === 0 ? sql`1 = 0` : sql`k.stage IN ${sql.in(unique(filter.stages))}`)
    }
    if (filter.risks !== undefined) {
      clauses.push(filter.risks.length === 0 ? sql`1 = 0` : sql`k.risk IN ${sql.in(unique(filter.risks))}`)
    }
    return sql<
      Record<string, unknown>
    >`SELECT ${sql.csv(columns)}${by.length === 0 ? sql`` : sql`,`} SUM(k.n) AS n FROM lindung_case_counts k WHERE ${sql.and(clauses)} ${groupByOf(by)}`
  }

  /** A count over the index rows (any filter, any dimensions): one LEFT JOIN of the categories per category. */
  const fromIndex = (request: CaseIndex.CountQuery) => {
    const by = request.by
    const length = REGION_LENGTH[request.regionDepth ?? 2] ?? 5
    const joins: Array<Statement.Fragment> = []
    const columns = by.map((dimension, position) => {
      const alias = `d${position}`
      switch (dimension) {
        case "region":
          return sql.literal(`substr(i.region, 1, ${length}) AS ${alias}`)
        case "owner":
          return sql.literal(`i.owner AS ${alias}`)
        case "stage":
          return sql.literal(`i.stage AS ${alias}`)
        case "risk":
          return sql.literal(`COALESCE(i.risk, 'none') AS ${alias}`)
        case "subjectKind":
          return sql.literal(`i.subject_kind AS ${alias}`)
        case "ageBand":
          return sql.literal(`i.age_band AS ${alias}`)
        case "sppaRole":
          return sql.literal(`COALESCE(i.sppa_role, 'none') AS ${alias}`)
        default: {
          const table = `c${position}`
          joins.push(
            sql.literal(
              `LEFT JOIN lindung_case_categories ${table} ON ${table}.case_id = i.case_id AND ${table}.dimension = '${MULTI[dimension]}'`
            )
          )
          return sql.literal(`COALESCE(${table}.value, 'none') AS ${alias}`)
        }
      }
    })
    return sql<
      Record<string, unknown>
    >`SELECT ${sql.csv(columns)}${by.length === 0 ? sql`` : sql`,`} COUNT(*) AS n FROM lindung_case_index i ${sql.join(" ", false)(joins)} WHERE ${where(request.filter)} ${groupByOf(by)}`
  }

  const count = (input: CaseIndex.CountQuery) =>
    Effect.gen(function* () {
      const request = yield* Effect.fromResult(CaseIndex.checkCountQuery(input))
      const by = request.by
      const rows = yield* run("count", fromCounters(request) ?? fromIndex(request))
      const groups = new Map<string, { key: Record<string, string>; count: number }>()
      for (const row of rows) {
        const n = toNumber(row.n)
        if (n === 0) continue
        const key: Record<string, string> = {}
        by.forEach((dimension, position) => {
          key[dimension] = String(row[`d${position}`])
        })
        const id = by.map((dimension) => key[dimension]).join("\u0000")
        const group = groups.get(id)
        if (group === undefined) groups.set(id, { key, count: n })
        else group.count += n
      }
      return [...groups.entries()]
        .sort(([a], [b]) => CaseIndex.compareIds(a, b))
        .map(([, group]): CaseIndex.CountRow => ({ key: group.key, count: group.count }))
    })

  const get = (caseId: string) =>
    Effect.gen(function* () {
      const rows = yield* run(
        "get",
        sql<{
          readonly case_id: string
          readonly entry: unknown
        }>`SELECT case_id, entry FROM lindung_case_index WHERE case_id = ${caseId}`
      )
      const row = rows[0]
      if (row === undefined) return yield* new StorageError.NotFound({ what: "case", id: caseId })
      const entry = entryOf(row)
      if (Result.isFailure(entry)) return yield* entry.failure
      return entry.success
    })

  return CaseIndex.CaseIndex.of({ query, count, get })
}

// ---------------------------------------------------------------------------------------------------------------
// IdentityVault
// ---------------------------------------------------------------------------------------------------------------

/** The plain form that is encrypted: every field of `Subject.Identity`, revealed. */
const Plain = Schema.Struct({
  name: Schema.String,
  nik: Schema.optionalKey(Schema.String),
  familyNames: Schema.Array(Schema.String),
  address: Schema.optionalKey(Schema.String),
  photo: Schema.optionalKey(Schema.String),
  school: Schema.optionalKey(Schema.String)
})
const decodePlain = Schema.decodeUnknownResult(Schema.fromJsonString(Plain))

const reveal = (value: Redacted.Redacted<string> | string): string =>
  Redacted.isRedacted(value) ? Redacted.value(value) : String(value)

const toPlain = (identity: Subject.Identity): typeof Plain.Type => ({
  name: reveal(identity.name),
  ...(identity.nik === undefined ? {} : { nik: reveal(identity.nik) }),
  familyNames: identity.familyNames.map(reveal),
  ...(identity.address === undefined ? {} : { address: reveal(identity.address) }),
  ...(identity.photo === undefined ? {} : { photo: reveal(identity.photo) }),
  ...(identity.school === undefined ? {} : { school: reveal(identity.school) })
})

const fromPlain = (plain: typeof Plain.Type): Subject.Identity => ({
  name: Redacted.make(plain.name),
  ...(plain.nik === undefined ? {} : { nik: Redacted.make(plain.nik) }),
  familyNames: plain.familyNames.map((name) => Redacted.make(name)),
  ...(plain.address === undefined ? {} : { address: Redacted.make(plain.address) }),
  ...(plain.photo === undefined ? {} : { photo: Redacted.make(plain.photo) }),
  ...(plain.school === undefined ? {} : { school: Redacted.make(plain.school) })
})

interface IdentityRow {
  readonly key_id: string | null
  readonly iv: Uint8Array | null
  readonly tag: Uint8Array | null
  readonly ciphertext: Uint8Array | null
  readonly erased_at: unknown
}

/** Opens a stored identity; the failure's detail names the key id at most, never a value. */
export const openIdentity = (
  keyring: IdentityKeys.Keyring,
  subject: string,
  row: IdentityRow
): Result.Result<Subject.Identity, StorageError.CorruptedRecord> => {
  const location = `identity of subject ${subject}`
  if (row.key_id === null || row.iv === null || row.tag === null || row.ciphertext === null) {
    return Result.fail(new StorageError.CorruptedRecord({ location, detail: "the encrypted identity is incomplete" }))
  }
  const opened = IdentityKeys.open(keyring, subject, {
    keyId: row.key_id,
    iv: row.iv,
    tag: row.tag,
    ciphertext: row.ciphertext
  })
  if (Result.isFailure(opened)) {
    return Result.fail(
      new StorageError.CorruptedRecord({
        location,
        detail:
          opened.failure === "unknown-key"
            ? `it was encrypted with key ${row.key_id}, which is not in the keyring`
            : `it does not authenticate with key ${row.key_id} (tampered, or another key under the same id)`
      })
    )
  }
  const plain = decodePlain(opened.success)
  return Result.isFailure(plain)
    ? Result.fail(new StorageError.CorruptedRecord({ location, detail: "the decrypted identity is not an identity" }))
    : Result.succeed(fromPlain(plain.success))
}

/** Seals an identity for a subject with the keyring's current key. */
export const sealIdentity = (
  keyring: IdentityKeys.Keyring,
  subject: string,
  identity: Subject.Identity
): IdentityKeys.Sealed => IdentityKeys.seal(keyring, subject, JSON.stringify(toPlain(identity)))

const encodeAccess = Schema.encodeResult(IdentityVault.AccessRecord)
const decodeAccess = Schema.decodeUnknownResult(IdentityVault.AccessRecord)

interface AccessRow {
  readonly position: unknown
  readonly subject: string
  readonly case_id: string
  readonly actor: string
  readonly role: string
  readonly agency: string
  readonly operation: string
  readonly purpose: string
  readonly at: unknown
}

/** A stored row of the access trail as an `AccessRecord`; a row that is not one is a `CorruptedRecord`. */
const accessOf = (row: AccessRow): Result.Result<IdentityVault.AccessRecord, StorageError.CorruptedRecord> => {
  const location = `identity access ${toNumber(row.position)} of subject ${row.subject}`
  const at = toNumber(row.at)
  const instant = Number.isSafeInteger(at) ? DateTime.make(at) : Option.none()
  if (Option.isNone(instant)) {
    return Result.fail(new StorageError.CorruptedRecord({ location, detail: "the stored instant is not an instant" }))
  }
  const decoded = decodeAccess({
    subject: row.subject,
    caseId: row.case_id,
    actor: row.actor,
    role: row.role,
    agency: row.agency,
    operation: row.operation,
    purpose: row.purpose,
    at: DateTime.formatIso(instant.value)
  })
  return Result.isFailure(decoded)
    ? Result.fail(
        new StorageError.CorruptedRecord({
          location,
          detail: `the stored access does not decode: ${decoded.failure.message}`
        })
      )
    : Result.succeed(decoded.success)
}

const makeIdentityVault = (options: Options) => {
  const { sql, keyring } = options

  const put = (subject: Subject.SubjectId, identity: Subject.Identity) =>
    Effect.gen(function* () {
      const sealed = sealIdentity(keyring, subject, identity)
      const now = DateTime.toEpochMillis(yield* DateTime.now)
      yield* run(
        "put identity",
        sql`INSERT INTO lindung_identities (subject, key_id, iv, tag, ciphertext, erased_at, updated_at)
          VALUES (${subject}, ${sealed.keyId}, ${sealed.iv}, ${sealed.tag}, ${sealed.ciphertext}, NULL, ${now})
          ON CONFLICT (subject) DO UPDATE SET key_id = excluded.key_id, iv = excluded.iv, tag = excluded.tag,
            ciphertext = excluded.ciphertext, erased_at = NULL, updated_at = excluded.updated_at`
      )
    })

  const get = (subject: Subject.SubjectId) =>
    Effect.gen(function* () {
      const rows = yield* run(
        "get identity",
        sql<IdentityRow>`SELECT key_id, iv, tag, ciphertext, erased_at FROM lindung_identities WHERE subject = ${subject}`
      )
      const row = rows[0]
      if (row === undefined) return yield* new StorageError.NotFound({ what: "identity", id: subject })
      if (row.erased_at !== null && row.erased_at !== undefined) {
        return yield* new StorageError.IdentityErased({ subject })
      }
      const identity = openIdentity(keyring, subject, row)
      if (Result.isFailure(identity)) return yield* identity.failure
      return identity.success
    })

  const erase = (subject: Subject.SubjectId) =>
    Effect.gen(function* () {
      const now = DateTime.toEpochMillis(yield* DateTime.now)
      const rows = yield* run(
        "erase identity",
        sql<{ readonly subject: string }>`UPDATE lindung_identities
          SET key_id = NULL, iv = NULL, tag = NULL, ciphertext = NULL, erased_at = COALESCE(erased_at, ${now}), updated_at = ${now}
          WHERE subject = ${subject} RETURNING subject`
      )
      if (rows.length === 0) return yield* new StorageError.NotFound({ what: "identity", id: subject })
      if (options.afterErase !== undefined) yield* options.afterErase
    })

  const record = (access: IdentityVault.AccessRecord) =>
    Effect.gen(function* () {
      // A value that is not an access record (only by defeating the types) is a defect of the caller: the trail
      // never takes a row it could not read back.
      const checked = encodeAccess(access)
      if (Result.isFailure(checked)) {
        return yield* Effect.die(new Error(`IdentityVault.record: not an access record: ${checked.failure.message}`))
      }
      yield* run(
        "record identity access",
        sql`INSERT INTO lindung_identity_accesses (subject, case_id, actor, role, agency, operation, purpose, at)
          VALUES (${access.subject}, ${access.caseId}, ${access.actor}, ${access.role}, ${access.agency}, ${access.operation}, ${access.purpose}, ${DateTime.toEpochMillis(access.at)})`
      )
    })

  const accesses = (subject: Subject.SubjectId) =>
    Effect.gen(function* () {
      const rows = yield* run(
        "read identity accesses",
        sql<AccessRow>`SELECT position, subject, case_id, actor, role, agency, operation, purpose, at
          FROM lindung_identity_accesses WHERE subject = ${subject} ORDER BY position`
      )
      const trail: Array<IdentityVault.AccessRecord> = []
      for (const row of rows) {
        const decoded = accessOf(row)
        if (Result.isFailure(decoded)) return yield* decoded.failure
        trail.push(decoded.success)
      }
      return trail as ReadonlyArray<IdentityVault.AccessRecord>
    })

  return IdentityVault.IdentityVault.of({ put, get, erase, record, accesses })
}

// ---------------------------------------------------------------------------------------------------------------
// Checkpoints
// ---------------------------------------------------------------------------------------------------------------

const makeCheckpoints = (options: Options) => {
  const { sql } = options
  return Checkpoints.Checkpoints.of({
    get: (name) =>
      // Nothing is ever stored under a name `check` refuses.
      Checkpoints.nameProblem(name) !== undefined
        ? Effect.succeed(0)
        : Effect.map(
            run(
              "get checkpoint",
              sql<{ readonly position: unknown }>`SELECT position FROM lindung_checkpoints WHERE name = ${name}`
            ),
            (rows) => toOptionalNumber(rows[0]?.position) ?? 0
          ),
    set: (name, position) =>
      Effect.andThen(
        Effect.fromResult(Checkpoints.check(name, position)),
        Effect.asVoid(
          run(
            "set checkpoint",
            sql`INSERT INTO lindung_checkpoints (name, position) VALUES (${name}, ${position})
            ON CONFLICT (name) DO UPDATE SET position = excluded.position`
          )
        )
      )
  })
}

// ---------------------------------------------------------------------------------------------------------------
// ExportLog
// ---------------------------------------------------------------------------------------------------------------

const makeExportLog = (options: Options) => {
  const { sql } = options
  return ExportLog.ExportLog.of({
    record: (manifest) =>
      Effect.suspend(() =>
        Effect.asVoid(
          run(
            "record export",
            sql`INSERT INTO lindung_export_log (exported_at, body)
              VALUES (${DateTime.toEpochMillis(manifest.exportedAt)}, ${JSON.stringify(Schema.encodeSync(CaseExport.Manifest)(manifest))})`
          )
        )
      ),
    list: (limit) =>
      Effect.gen(function* () {
        const checked = yield* Effect.fromResult(ExportLog.checkLimit(limit))
        const rows = yield* run(
          "list exports",
          sql<{ readonly position: unknown; readonly body: string }>`SELECT position, body FROM lindung_export_log
            ORDER BY position DESC LIMIT ${checked}`
        )
        const out: Array<CaseExport.Manifest> = []
        for (const row of [...rows].reverse()) {
          const decoded = Result.try({
            try: () => Schema.decodeUnknownSync(CaseExport.Manifest)(JSON.parse(row.body)),
            catch: (cause) =>
              new StorageError.CorruptedRecord({
                location: `export ${String(row.position)}`,
                detail: `the stored manifest does not decode: ${cause instanceof Error ? cause.message : String(cause)}`
              })
          })
          if (Result.isFailure(decoded)) return yield* decoded.failure
          out.push(decoded.success)
        }
        return out
      })
  })
}

/** The five services on a migrated database. */
export const make = (options: Options): Context.Context<Services> =>
  Context.make(EventStore.EventStore, makeEventStore(options)).pipe(
    Context.add(CaseIndex.CaseIndex, makeCaseIndex(options)),
    Context.add(IdentityVault.IdentityVault, makeIdentityVault(options)),
    Context.add(Checkpoints.Checkpoints, makeCheckpoints(options)),
    Context.add(ExportLog.ExportLog, makeExportLog(options))
  )
