/**
 * The append on PostgreSQL: one statement, `SELECT lindung_append($1::jsonb)` (migrations 4 and 5), so an append
 * is one round trip in autocommit. The function takes the case's lock, checks the key and the version, computes
 * the hash chain and the positions, and writes everything (see `Migrations`).
 *
 * The function must see what committed while it waited for the lock (a retry of the same key then finds the first
 * attempt's record): that is READ COMMITTED, PostgreSQL's default. When the server's default isolation is another,
 * the call runs in a transaction that sets READ COMMITTED first (three round trips more).
 *
 * @internal
 */
import type { EventStore } from "@lindung/core"
import { Effect, Result } from "effect"
import { SqlClient, SqlError } from "effect/sql"
import * as AppendPlan from "./AppendPlan.js"
import { fitsJsonb, sortKey, textColumn, toNumber } from "./shared.js"
import { transaction } from "./transaction.js"

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex")

/** The function's one argument, as JSON text (the entry is spliced in as it was encoded, not parsed again). */
export const requestJson = (plan: AppendPlan.Plan): string => {
  const { request } = plan
  const key =
    request.idempotency === undefined
      ? {}
      : { key: request.idempotency.key, fingerprint: request.idempotency.fingerprint }
  if (Result.isFailure(plan.body)) {
    return JSON.stringify({ caseId: request.caseId, expectedVersion: request.expectedVersion, ...key })
  }
  const { events, index } = plan.body.success
  const entry = index.entry
  const head = JSON.stringify({
    caseId: request.caseId,
    expectedVersion: request.expectedVersion,
    ...key,
    ...(request.newSubject === true ? { newSubject: true } : {}),
    events: events.map((event) => ({
      version: event.version,
      eventId: textColumn(event.eventId),
      type: textColumn(event.type),
      body: event.canonical,
      jsonb: fitsJsonb(event.canonical)
    })),
    index: {
      caseId: entry.caseId,
      caseKey: hex(sortKey(entry.caseId)),
      version: entry.version,
      region: entry.region,
      owner: entry.owner,
      stage: entry.stage,
      risk: entry.risk ?? null,
      subject: entry.subject,
      subjectKind: entry.subjectKind,
      ageBand: entry.ageBand,
      sppaRole: entry.sppaRole ?? null,
      nextDueAt: index.nextDueAt,
      reportedAt: index.reportedAt,
      updatedAt: index.updatedAt
    },
    assigned: index.assigned,
    categories: index.categories
  })
  return `${head.slice(0, -1)},"entry":${index.entryJson}}`
}

type Answer = Record<string, unknown>

const outcomeOf = (answer: Answer, plan: AppendPlan.Plan): AppendPlan.Outcome => {
  switch (answer.outcome) {
    case "appended":
      return {
        _tag: "Appended",
        fromVersion: toNumber(answer.fromVersion),
        toVersion: toNumber(answer.toVersion),
        lastPosition: toNumber(answer.lastPosition)
      }
    case "key-found":
      return {
        _tag: "KeyFound",
        stored: {
          fingerprint: String(answer.fingerprint),
          caseId: String(answer.caseId),
          fromVersion: toNumber(answer.fromVersion),
          toVersion: toNumber(answer.toVersion),
          lastPosition: toNumber(answer.lastPosition)
        }
      }
    case "conflict":
      return { _tag: "Conflict", actualVersion: toNumber(answer.actualVersion) }
    case "subject-held":
      return { _tag: "SubjectHeld" }
    default:
      // "checked": only a request that does not encode is sent without events.
      if (Result.isFailure(plan.body)) return { _tag: "Invalid", error: plan.body.failure }
      throw new Error(`lindung_append answered ${JSON.stringify(answer.outcome)}`)
  }
}

/** The append as one statement; `readCommitted` says whether the server's default isolation is READ COMMITTED. */
export const make =
  (sql: SqlClient.SqlClient, readCommitted: boolean) =>
  (plan: AppendPlan.Plan): Effect.Effect<AppendPlan.Outcome, SqlError.SqlError> => {
    const call = Effect.map(
      sql<{ readonly result: unknown }>`SELECT lindung_append(${requestJson(plan)}::jsonb) AS result`,
      (rows) => {
        const result = rows[0]?.result
        return outcomeOf((typeof result === "string" ? JSON.parse(result) : result) as Answer, plan)
      }
    )
    return readCommitted
      ? call
      : transaction(sql, Effect.andThen(sql`SET TRANSACTION ISOLATION LEVEL READ COMMITTED`, call))
  }

const sqlstate = (error: SqlError.SqlError): string | undefined => {
  const cause = error.reason.cause as { readonly code?: unknown } | undefined
  return typeof cause === "object" && cause !== null && typeof cause.code === "string" ? cause.code : undefined
}

/** Whether PostgreSQL refused a statement for its data (SQLSTATE class 22): it ran nothing, committed nothing. */
const refusedData = (error: SqlError.SqlError): boolean => sqlstate(error)?.startsWith("22") === true

/** How many times an append or a batch that PostgreSQL cancelled to break a deadlock is written again. */
export const DEADLOCK_RETRIES = 3

/** Writes again a statement cancelled to break a deadlock (SQLSTATE 40P01): it was rolled back whole. */
const againOnDeadlock = <A>(write: Effect.Effect<A, SqlError.SqlError>): Effect.Effect<A, SqlError.SqlError> =>
  Effect.retry(write, { while: (error) => sqlstate(error) === "40P01", times: DEADLOCK_RETRIES })

/**
 * Writes again, once, a call that a unique index refused (SQLSTATE 23505): a concurrent append committed the same
 * idempotency key (or, bypassing the case lock, the same version) while this call waited on its row. The call was
 * rolled back whole; written again, its own checks meet that row and answer the typed refusal
 * (`IdempotencyKeyReused`, `VersionConflict`) or the replay, as a single append does.
 */
const againOnUniqueRace = <A>(write: Effect.Effect<A, SqlError.SqlError>): Effect.Effect<A, SqlError.SqlError> =>
  Effect.retry(write, { while: (error) => sqlstate(error) === "23505", times: 1 })

/** `lindung_append_many` over the plans: one answer per request, in order. */
const callMany = (
  sql: SqlClient.SqlClient,
  plans: ReadonlyArray<AppendPlan.Plan>
): Effect.Effect<ReadonlyArray<Answer>, SqlError.SqlError> =>
  Effect.map(
    sql<{
      readonly result: unknown
    }>`SELECT lindung_append_many(${`[${plans.map(requestJson).join(",")}]`}::jsonb) AS result`,
    (rows) => {
      const result = rows[0]?.result
      return (typeof result === "string" ? JSON.parse(result) : result) as ReadonlyArray<Answer>
    }
  )

/**
 * Several appends in one statement and one transaction (group commit): `lindung_append_many`, each request in a
 * subtransaction of its own. A request that failed there (an error, not a conflict) is written again on its own,
 * so that its caller gets the database's own error.
 *
 * `lindung_append_many` takes the locks of all the batch's cases first, in one order, so two batches written
 * at once never wait for each other in a circle. A caller's own transaction that appends to several cases can
 * still meet a batch in a circle; PostgreSQL then cancels one of them (SQLSTATE 40P01), and a batch or an append
 * written here, which ran nothing, is written again (up to {@link DEADLOCK_RETRIES} times).
 */
export const makeMany = (sql: SqlClient.SqlClient, readCommitted: boolean) => {
  const single = make(sql, readCommitted)
  return (
    plans: ReadonlyArray<AppendPlan.Plan>
  ): Effect.Effect<ReadonlyArray<Result.Result<AppendPlan.Outcome, SqlError.SqlError>>, SqlError.SqlError> => {
    if (plans.length === 1) {
      return Effect.map(Effect.result(againOnDeadlock(single(plans[0] as AppendPlan.Plan))), (one) => [one])
    }
    const call = callMany(sql, plans)
    const batch = againOnDeadlock(
      readCommitted ? call : transaction(sql, Effect.andThen(sql`SET TRANSACTION ISOLATION LEVEL READ COMMITTED`, call))
    )
    // A batch statement refused for its data (SQLSTATE class 22, e.g. one request holds text JSONB cannot take)
    // wrote nothing: each request is then written again on its own, so only that one fails. Any other failure (the
    // connection lost, possibly after the commit) is every request's failure, retryable, as for a single append.
    const answered = Effect.catchIf(batch, refusedData, () =>
      Effect.succeed(plans.map((): Answer => ({ outcome: "failed" })))
    )
    return Effect.flatMap(answered, (answers) =>
      Effect.forEach(plans, (plan, index) => {
        const answer = answers[index]
        return answer === undefined || answer.outcome === "failed"
          ? Effect.result(againOnDeadlock(single(plan)))
          : Effect.succeed(Result.succeed(outcomeOf(answer, plan)))
      })
    )
  }
}

/**
 * `appendAll`: the plans through `lindung_append_many` in one transaction of their own (at READ COMMITTED), or in
 * a savepoint of the caller's (at the caller's level); a refused outcome rolls it back. A request that failed in
 * its subtransaction (an error, not a refusal) fails the whole call with its SQLSTATE: it is not run again alone,
 * since run again after the requests behind it, it could succeed and the call's order would be lost. Outside a
 * caller's transaction, a deadlock is written again, as for a batch, and a unique-index race once (the whole call).
 */
export const makeAll =
  (sql: SqlClient.SqlClient, readCommitted: boolean): AppendPlan.WriteAll<SqlError.SqlError> =>
  (plans) =>
    Effect.flatMap(Effect.serviceOption(sql.transactionService), (open) => {
      const call = Effect.map(callMany(sql, plans), (answers) => (plan: AppendPlan.Plan, index: number) => {
        const answer = answers[index]
        return answer === undefined || answer.outcome === "failed"
          ? Effect.fail(
              new SqlError.SqlError({
                reason: new SqlError.UnknownError({
                  message: `request ${index + 1} of appendAll failed in lindung_append_many (SQLSTATE ${String(answer?.sqlstate ?? "none")})`,
                  cause: { code: answer?.sqlstate }
                })
              })
            )
          : Effect.succeed(outcomeOf(answer, plan))
      })
      const own = open._tag === "None"
      const start =
        own && !readCommitted ? Effect.andThen(sql`SET TRANSACTION ISOLATION LEVEL READ COMMITTED`, call) : call
      const written = AppendPlan.inTransaction(sql, plans, start)
      return own ? againOnUniqueRace(againOnDeadlock(written)) : written
    })

/** Whether the server's default isolation is READ COMMITTED (then the append needs no transaction around it). */
export const defaultIsReadCommitted = (sql: SqlClient.SqlClient): Effect.Effect<boolean, SqlError.SqlError> =>
  Effect.map(
    sql<{ readonly level: string }>`SELECT current_setting('default_transaction_isolation') AS level`,
    (rows) => rows[0]?.level === "read committed"
  )

/**
 * A due refresh (`EventStore.refreshDue`) in one READ COMMITTED transaction that holds the case's append lock
 * (`lindung_lock_case`, taken first, as every append takes it): the index row read, its outcome decided
 * (`AppendPlan.dueOutcome`), the instants written when they differ; `wake_at` follows the entry (trigger
 * `lindung_wake_at`). Appends of the case wait for it, or it for them — never an update of the index row beside an
 * append's upsert of it (whose `ON CONFLICT` arbitrates the case id only: a row updated at that moment could fail it
 * on the sort key's unique index). One case lock, taken first: no deadlock with appends.
 */
export const refreshDue =
  (sql: SqlClient.SqlClient) =>
  (due: AppendPlan.PlannedDue): Effect.Effect<EventStore.RefreshOutcome, SqlError.SqlError> =>
    transaction(
      sql,
      Effect.gen(function* () {
        yield* sql`SELECT lindung_lock_case(${due.caseId})`
        const rows = yield* sql<{
          readonly version: unknown
          readonly next_due_at: unknown
          readonly wake_at: unknown
          readonly due_text: string | null
          readonly wake_text: string | null
        }>`SELECT version, next_due_at, wake_at, entry ->> 'nextDueAt' AS due_text, entry ->> 'wakeAt' AS wake_text
          FROM lindung_case_index WHERE case_id = ${due.caseId}`
        const row = rows[0]
        const outcome = AppendPlan.dueOutcome(AppendPlan.storedDue(row), due)
        if (outcome !== "write") return outcome
        yield* sql`UPDATE lindung_case_index
          SET next_due_at = ${due.nextDueAt}, entry = (entry - 'nextDueAt' - 'wakeAt') || ${due.patch}::jsonb
          WHERE case_id = ${due.caseId}`
        return "written" as const
      })
      // A transaction of its own at READ COMMITTED (in a caller's transaction: a savepoint, at the caller's level,
      // and the case's lock held until the caller ends).
    ).pipe(Effect.provideService(SqlClient.BeginTransaction, "BEGIN ISOLATION LEVEL READ COMMITTED"))
