/**
 * What an append writes, worked out before any statement runs (pure), and what the write can answer. Each dialect's
 * writer (`SqliteAppend`, `PgAppend`) takes a plan and answers an {@link Outcome}; `services.ts` turns the outcome
 * into the port's result or error. The checks run in the reference model's order in every writer: the idempotency
 * key, then the version, then whether the request encodes at all, then whether a new subject is held already.
 *
 * @internal
 */
import { CaseEvent, CaseIndex, type EventStore, Input, Integrity } from "@lindung/core"
import { DateTime, Effect, Result, Schema } from "effect"
import type { SqlClient, SqlError } from "effect/sql"
import { messageOf, toNumber, toOptionalNumber } from "./shared.js"
import { transaction } from "./transaction.js"

/** One event as stored: its canonical JSON is both the stored body and the text its hash is taken of. */
export interface PlannedEvent {
  readonly version: number
  readonly eventId: string
  readonly type: string
  readonly canonical: string
}

/** The index row and its side rows. */
export interface PlannedIndex {
  readonly entry: CaseIndex.Entry
  readonly entryJson: string
  readonly nextDueAt: number | null
  readonly wakeAt: number | null
  readonly reportedAt: number | null
  readonly updatedAt: number | null
  /** The caseworkers and others assigned, without duplicates. */
  readonly assigned: ReadonlyArray<string>
  /** `[dimension, value]` pairs (AMPK, PPKS, concerns), without duplicates. */
  readonly categories: ReadonlyArray<readonly [dimension: "ampk" | "ppks" | "concern", value: string]>
}

/** A request's plan: what to write once the key and the version allow it. */
export interface Plan {
  readonly request: EventStore.AppendRequest
  /** The events and index, or why the request does not encode (refused after the key and version checks). */
  readonly body: Result.Result<
    { readonly events: ReadonlyArray<PlannedEvent>; readonly index: PlannedIndex },
    Input.InvalidInput
  >
}

/** An idempotency key's row, as stored. */
export interface StoredKey {
  readonly fingerprint: string
  readonly caseId: string
  readonly fromVersion: number
  readonly toVersion: number
  readonly lastPosition: number
}

/** What a writer answers. Nothing is written unless it answers `Appended`. */
export type Outcome =
  | {
      readonly _tag: "Appended"
      readonly fromVersion: number
      readonly toVersion: number
      readonly lastPosition: number
    }
  /** The key was used before: a replay if the fingerprint and case agree, else `IdempotencyKeyReused`. */
  | { readonly _tag: "KeyFound"; readonly stored: StoredKey }
  | { readonly _tag: "Conflict"; readonly actualVersion: number }
  | { readonly _tag: "Invalid"; readonly error: Input.InvalidInput }
  /** The request registers a new subject (`newSubject`) that another case holds already. */
  | { readonly _tag: "SubjectHeld" }

/**
 * Whether `appendAll` goes on after this outcome: the request was written, or its key's record is of this very
 * request (a replay). Anything else refuses the whole call.
 */
export const accepted = (plan: Plan, outcome: Outcome): boolean =>
  outcome._tag === "Appended" ||
  (outcome._tag === "KeyFound" &&
    outcome.stored.fingerprint === plan.request.idempotency?.fingerprint &&
    outcome.stored.caseId === plan.request.caseId)

/**
 * Writes plans in order in one transaction, all or nothing: at the first outcome that is not {@link accepted} it
 * stops, rolls back, and answers the outcomes so far (that one last); else it commits and answers them all.
 */
export type WriteAll<E> = (plans: ReadonlyArray<Plan>) => Effect.Effect<ReadonlyArray<Outcome>, E>

/** Whether a writer's answer to `appendAll` committed (every outcome accepted). */
export const allAccepted = (plans: ReadonlyArray<Plan>, outcomes: ReadonlyArray<Outcome>): boolean =>
  outcomes.length === plans.length && outcomes.every((outcome, i) => accepted(plans[i] as Plan, outcome))

/** Ends `appendAll`'s transaction at a refused outcome (a failure, so that the transaction rolls back). */
class Refusal {
  readonly _tag = "Refusal"
  constructor(readonly outcomes: ReadonlyArray<Outcome>) {}
}

/**
 * {@link WriteAll} through `sql.withTransaction`: `start` runs first in the transaction and gives the writer of each
 * plan; a refused outcome fails the transaction (rolled back) and is answered with the outcomes so far.
 */
export const inTransaction = <E>(
  sql: SqlClient.SqlClient,
  plans: ReadonlyArray<Plan>,
  start: Effect.Effect<(plan: Plan, index: number) => Effect.Effect<Outcome, E>, E>
): Effect.Effect<ReadonlyArray<Outcome>, E | SqlError.SqlError> =>
  transaction(
    sql,
    Effect.gen(function* () {
      const write = yield* start
      const outcomes: Array<Outcome> = []
      for (const [index, plan] of plans.entries()) {
        const outcome = yield* write(plan, index)
        outcomes.push(outcome)
        if (!accepted(plan, outcome)) return yield* Effect.fail(new Refusal(outcomes))
      }
      return outcomes
    })
  ).pipe(
    Effect.catchIf(
      (error): error is Refusal => error instanceof Refusal,
      (refusal) => Effect.succeed(refusal.outcomes)
    )
  )

const millis = (instant: DateTime.Utc | undefined): number | null =>
  instant === undefined ? null : DateTime.toEpochMillis(instant)

const encodeInstant = Schema.encodeSync(Schema.DateTimeUtcFromString)

/** A due refresh (`EventStore.refreshDue`) as the statements of both dialects take it. */
export interface PlannedDue {
  readonly caseId: string
  readonly version: number
  /** The instants as the index columns hold them (milliseconds), `null` when absent. */
  readonly nextDueAt: number | null
  readonly wakeAt: number | null
  /** The instants as the entry's JSON holds them, `null` when absent. */
  readonly nextDueText: string | null
  readonly wakeText: string | null
  /** The JSON object of the instants given, merged into the stored entry (an absent one is removed first). */
  readonly patch: string
}

/** Plans a refresh that `EventStore.checkRefresh` accepted. */
export const planDue = (refresh: EventStore.DueRefresh): PlannedDue => {
  const nextDueText = refresh.nextDueAt === undefined ? null : encodeInstant(refresh.nextDueAt)
  const wakeText = refresh.wakeAt === undefined ? null : encodeInstant(refresh.wakeAt)
  return {
    caseId: refresh.caseId,
    version: refresh.version,
    nextDueAt: millis(refresh.nextDueAt),
    wakeAt: millis(refresh.wakeAt),
    nextDueText,
    wakeText,
    patch: JSON.stringify({
      ...(nextDueText === null ? {} : { nextDueAt: nextDueText }),
      ...(wakeText === null ? {} : { wakeAt: wakeText })
    })
  }
}

/** A case's due instants as its index row holds them: columns, and the entry's JSON text. */
export interface StoredDue {
  readonly version: number
  readonly nextDueAt: number | null
  readonly wakeAt: number | null
  readonly nextDueText: string | null
  readonly wakeText: string | null
}

/**
 * A row of `version, next_due_at, wake_at, due_text, wake_text` (the entry's instants as JSON text) as a
 * {@link StoredDue}; `undefined` for no row. Both dialects read this shape.
 */
export const storedDue = (row: Readonly<Record<string, unknown>> | undefined): StoredDue | undefined =>
  row === undefined
    ? undefined
    : {
        version: toNumber(row.version),
        nextDueAt: toOptionalNumber(row.next_due_at) ?? null,
        wakeAt: toOptionalNumber(row.wake_at) ?? null,
        nextDueText: typeof row.due_text === "string" ? row.due_text : null,
        wakeText: typeof row.wake_text === "string" ? row.wake_text : null
      }

/**
 * What a due refresh does to the row it found (read under the row's write lock): nothing for a missing case, a case
 * at another version or instants held already (columns and entry alike); else it writes.
 */
export const dueOutcome = (
  stored: StoredDue | undefined,
  due: PlannedDue
): Exclude<EventStore.RefreshOutcome, "written"> | "write" => {
  if (stored === undefined) return "missing"
  if (stored.version !== due.version) return "moved"
  return stored.nextDueAt === due.nextDueAt &&
    stored.wakeAt === due.wakeAt &&
    stored.nextDueText === due.nextDueText &&
    stored.wakeText === due.wakeText
    ? "unchanged"
    : "write"
}

const unique = <A>(values: ReadonlyArray<A>): ReadonlyArray<A> => [...new Set(values)]

const encodeEntry = Schema.encodeSync(CaseIndex.Entry)
const checkEntry = Schema.decodeUnknownSync(CaseIndex.Entry)

/** Plans a request that `EventStore.checkRequest` accepted. */
export const make = (request: EventStore.AppendRequest): Plan => ({
  request,
  body: Result.try({
    try: () => {
      const events = request.events.map(
        (event): PlannedEvent => ({
          version: event.version,
          eventId: event.eventId,
          type: event.type,
          canonical: Integrity.canonicalJson(CaseEvent.encode(event))
        })
      )
      const entry = request.index
      const encoded = encodeEntry(entry)
      checkEntry(encoded)
      const index: PlannedIndex = {
        entry,
        entryJson: JSON.stringify(encoded),
        nextDueAt: millis(entry.nextDueAt),
        wakeAt: millis(entry.wakeAt),
        reportedAt: millis(entry.reportedAt),
        updatedAt: millis(entry.updatedAt),
        assigned: unique(entry.assigned),
        categories: [
          ...unique(entry.ampk).map((value) => ["ampk", value] as const),
          ...unique(entry.ppks.map(String)).map((value) => ["ppks", value] as const),
          ...unique(entry.concerns).map((value) => ["concern", value] as const)
        ]
      }
      return { events, index }
    },
    catch: (cause) => Input.invalid("events", request.caseId, `the request does not encode: ${messageOf(cause)}`)
  })
})

/** Whether the stored side rows are exactly the planned ones (then they are not rewritten). */
export const sameRows = (stored: ReadonlyArray<string>, planned: ReadonlyArray<string>): boolean => {
  if (stored.length !== planned.length) return false
  const wanted = new Set(planned)
  return stored.every((row) => wanted.has(row))
}

/** A category pair as one comparable string. */
export const categoryKey = (dimension: string, value: string): string => `${dimension}\u0000${value}`

/** A row of `lindung_case_counts`: a kabupaten/kota, a stage, a risk (empty: none), and a category value or none. */
export interface CounterKey {
  readonly area: string
  readonly stage: string
  readonly risk: string
  /** `ampk`, `ppks`, `concern`, or empty for the row that counts the case itself. */
  readonly dimension: string
  readonly value: string
}

const MULTI_VALUED = ["ampk", "ppks", "concern"] as const

/**
 * The counter keys of a case (see the migration that made `lindung_case_counts`): one with no category, and one
 * per value of each multi-valued dimension (`none` when it has none). `categories` are {@link categoryKey}s.
 */
export const counterKeys = (
  region: string,
  stage: string,
  risk: string,
  categories: ReadonlyArray<string>
): ReadonlyArray<CounterKey> => {
  const area = region.slice(0, 5)
  const keys: Array<CounterKey> = [{ area, stage, risk, dimension: "", value: "" }]
  for (const dimension of MULTI_VALUED) {
    const prefix = categoryKey(dimension, "")
    const values = categories.filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length))
    for (const value of values.length === 0 ? ["none"] : values) keys.push({ area, stage, risk, dimension, value })
  }
  return keys
}

/** What to add to each counter when a case's keys change from `before` to `after` (unchanged keys left out). */
export const counterDelta = (
  before: ReadonlyArray<CounterKey>,
  after: ReadonlyArray<CounterKey>
): ReadonlyArray<readonly [CounterKey, number]> => {
  const id = (key: CounterKey) => [key.area, key.stage, key.risk, key.dimension, key.value].join("\u0000")
  const changes = new Map<string, [CounterKey, number]>()
  for (const [keys, change] of [
    [before, -1],
    [after, 1]
  ] as const) {
    for (const key of keys) {
      const found = changes.get(id(key))
      if (found === undefined) changes.set(id(key), [key, change])
      else found[1] += change
    }
  }
  return [...changes.values()].filter(([, change]) => change !== 0)
}
