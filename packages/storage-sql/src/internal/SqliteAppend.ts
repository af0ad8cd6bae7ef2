/**
 * The append on SQLite. With the adapter's own client (`SqliteClient.Direct`), one synchronous `BEGIN IMMEDIATE …
 * COMMIT` over cached prepared statements: the write lock taken at `BEGIN` orders appends (see `services.ts`), and
 * no fiber step or statement compile happens between statements. With a client made elsewhere, the same statements
 * run one by one through `effect/sql` in `sql.withTransaction`. Both read the side rows first and rewrite them only
 * when they changed.
 *
 * @internal
 */
import { type EventStore, Integrity } from "@lindung/core"
import { Effect, Result } from "effect"
import { SqlClient, type SqlError } from "effect/sql"
import * as AppendPlan from "./AppendPlan.js"
import type * as SqliteClient from "./SqliteClient.js"
import { sortKey, toNumber, toOptionalNumber } from "./shared.js"
import { transaction } from "./transaction.js"

/** One statement's text and parameters: what both paths run. */
type Param = string | number | null | Uint8Array

const SEQUENCE = "SELECT last_position FROM lindung_event_sequence WHERE id = 1"
const KEY =
  "SELECT fingerprint, case_id, from_version, to_version, last_position FROM lindung_idempotency WHERE key = ?"
const HEAD = "SELECT version, hash FROM lindung_events WHERE case_id = ? ORDER BY version DESC LIMIT 1"
const INSERT_EVENT =
  "INSERT INTO lindung_events (position, case_id, version, event_id, event_type, body, previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
const UPSERT_INDEX = `INSERT INTO lindung_case_index (case_id, case_key, version, region, owner, stage, risk, subject, subject_kind, age_band, sppa_role, next_due_at, wake_at, reported_at, updated_at, entry)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (case_id) DO UPDATE SET version = excluded.version, region = excluded.region, owner = excluded.owner,
    stage = excluded.stage, risk = excluded.risk, subject = excluded.subject, subject_kind = excluded.subject_kind, age_band = excluded.age_band,
    sppa_role = excluded.sppa_role, next_due_at = excluded.next_due_at, wake_at = excluded.wake_at, reported_at = excluded.reported_at,
    updated_at = excluded.updated_at, entry = excluded.entry`
const ASSIGNEES = "SELECT actor_id FROM lindung_case_assignees WHERE case_id = ?"
const DELETE_ASSIGNEES = "DELETE FROM lindung_case_assignees WHERE case_id = ?"
const INSERT_ASSIGNEE = "INSERT INTO lindung_case_assignees (case_id, actor_id) VALUES (?, ?)"
const CATEGORIES = "SELECT dimension, value FROM lindung_case_categories WHERE case_id = ?"
const DELETE_CATEGORIES = "DELETE FROM lindung_case_categories WHERE case_id = ?"
const INSERT_CATEGORY = "INSERT INTO lindung_case_categories (case_id, dimension, value) VALUES (?, ?, ?)"
const INSERT_KEY =
  "INSERT INTO lindung_idempotency (key, fingerprint, case_id, from_version, to_version, last_position) VALUES (?, ?, ?, ?, ?, ?)"
const MOVE_SEQUENCE = "UPDATE lindung_event_sequence SET last_position = ? WHERE id = 1"
/** Whether any case holds a subject (a request's own new case holds none yet). */
const SUBJECT_HELD = "SELECT 1 AS held FROM lindung_case_index WHERE subject = ? LIMIT 1"
const OLD_INDEX = "SELECT region, stage, risk FROM lindung_case_index WHERE case_id = ?"
const COUNT = `INSERT INTO lindung_case_counts (area, stage, risk, dimension, value, n) VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT (dimension, area, stage, risk, value) DO UPDATE SET n = n + excluded.n`

type Row = Record<string, unknown>

/**
 * The database as the append sees it: read rows, or run a write. The direct path answers at once; the generic
 * path is the same steps as Effects. Written once as a generator over "steps" so both share the order of checks.
 */
interface Step {
  readonly sql: string
  readonly params: ReadonlyArray<Param>
  readonly read: boolean
}

const read = (sql: string, ...params: ReadonlyArray<Param>): Step => ({ sql, params, read: true })
const write = (sql: string, ...params: ReadonlyArray<Param>): Step => ({ sql, params, read: false })

/** The steps of one append, in order; each read's rows are sent back in. Returns the outcome. */
function* steps(plan: AppendPlan.Plan, hash: Integrity.Hash): Generator<Step, AppendPlan.Outcome, ReadonlyArray<Row>> {
  const { request } = plan
  const lastPosition = toNumber((yield read(SEQUENCE))[0]?.last_position ?? 0)
  const idempotency = request.idempotency
  if (idempotency !== undefined) {
    const stored = (yield read(KEY, idempotency.key))[0]
    if (stored !== undefined) {
      return {
        _tag: "KeyFound",
        stored: {
          fingerprint: String(stored.fingerprint),
          caseId: String(stored.case_id),
          fromVersion: toNumber(stored.from_version),
          toVersion: toNumber(stored.to_version),
          lastPosition: toNumber(stored.last_position)
        }
      }
    }
  }
  const head = (yield read(HEAD, request.caseId))[0]
  const actualVersion = toOptionalNumber(head?.version) ?? 0
  if (actualVersion !== request.expectedVersion) return { _tag: "Conflict", actualVersion }
  if (Result.isFailure(plan.body)) return { _tag: "Invalid", error: plan.body.failure }
  const { events, index } = plan.body.success
  // SQLite writes one transaction at a time: no other case can take the subject between this read and the write.
  if (request.newSubject === true && (yield read(SUBJECT_HELD, index.entry.subject)).length > 0) {
    return { _tag: "SubjectHeld" }
  }

  let previous = head === undefined ? Integrity.GENESIS : String(head.hash)
  let position = lastPosition
  for (const event of events) {
    const linked = Integrity.linkCanonical(previous, event.canonical, hash)
    position++
    yield write(
      INSERT_EVENT,
      position,
      request.caseId,
      event.version,
      event.eventId,
      event.type,
      event.canonical,
      previous,
      linked
    )
    previous = linked
  }

  const entry = index.entry
  const isNew = request.expectedVersion === 0
  const oldIndex = isNew ? undefined : (yield read(OLD_INDEX, entry.caseId))[0]
  const categories = isNew
    ? []
    : (yield read(CATEGORIES, entry.caseId)).map((row) =>
        AppendPlan.categoryKey(String(row.dimension), String(row.value))
      )
  // The counters: the case's old keys away, its new keys in (only those that changed).
  const oldKeys =
    oldIndex === undefined
      ? []
      : AppendPlan.counterKeys(
          String(oldIndex.region),
          String(oldIndex.stage),
          oldIndex.risk === null ? "" : String(oldIndex.risk),
          categories
        )
  const planned = index.categories.map(([dimension, value]) => AppendPlan.categoryKey(dimension, value))
  const newKeys = AppendPlan.counterKeys(entry.region, entry.stage, entry.risk ?? "", planned)
  for (const [key, change] of AppendPlan.counterDelta(oldKeys, newKeys)) {
    yield write(COUNT, key.area, key.stage, key.risk, key.dimension, key.value, change)
  }
  yield write(
    UPSERT_INDEX,
    entry.caseId,
    sortKey(entry.caseId),
    entry.version,
    entry.region,
    entry.owner,
    entry.stage,
    entry.risk ?? null,
    entry.subject,
    entry.subjectKind,
    entry.ageBand,
    entry.sppaRole ?? null,
    index.nextDueAt,
    index.wakeAt,
    index.reportedAt,
    index.updatedAt,
    index.entryJson
  )
  const assignees = isNew ? [] : (yield read(ASSIGNEES, entry.caseId)).map((row) => String(row.actor_id))
  if (!AppendPlan.sameRows(assignees, index.assigned)) {
    if (assignees.length > 0) yield write(DELETE_ASSIGNEES, entry.caseId)
    for (const actor of index.assigned) yield write(INSERT_ASSIGNEE, entry.caseId, actor)
  }
  if (!AppendPlan.sameRows(categories, planned)) {
    if (categories.length > 0) yield write(DELETE_CATEGORIES, entry.caseId)
    for (const [dimension, value] of index.categories) yield write(INSERT_CATEGORY, entry.caseId, dimension, value)
  }

  const fromVersion = request.expectedVersion + 1
  const toVersion = request.expectedVersion + events.length
  if (idempotency !== undefined) {
    yield write(INSERT_KEY, idempotency.key, idempotency.fingerprint, request.caseId, fromVersion, toVersion, position)
  }
  yield write(MOVE_SEQUENCE, position)
  return { _tag: "Appended", fromVersion, toVersion, lastPosition: position }
}

/**
 * Runs the steps of one append on prepared statements, synchronously. `counts`, when given, collects the counter
 * changes instead of writing them (the caller writes their sums once, as `directAll` does).
 */
const runSteps = (
  statements: SqliteClient.Statements,
  plan: AppendPlan.Plan,
  hash: Integrity.Hash,
  counts?: Map<string, Array<Param>>
) => {
  const run = steps(plan, hash)
  let next = run.next([])
  while (next.done !== true) {
    const step = next.value
    if (counts !== undefined && step.sql === COUNT) {
      const key = step.params.slice(0, 5).join("\u0000")
      const found = counts.get(key)
      if (found === undefined) counts.set(key, [...step.params])
      else found[5] = (found[5] as number) + (step.params[5] as number)
      next = run.next([])
      continue
    }
    const statement = statements.prepare(step.sql)
    const params = step.params as Array<Param>
    if (step.read) next = run.next(statement.all(...params) as ReadonlyArray<Row>)
    else {
      statement.run(...params)
      next = run.next([])
    }
  }
  return next.value
}

/** The append in one synchronous transaction of the adapter's own client. */
export const direct =
  (client: SqliteClient.Direct, hash: Integrity.Hash) =>
  (plan: AppendPlan.Plan): Effect.Effect<AppendPlan.Outcome, SqlError.SqlError> =>
    client.transaction((statements) => runSteps(statements, plan, hash))

/**
 * `appendAll` in one synchronous transaction: stops at the first refused outcome, and then rolls back. The
 * counters' changes of all the requests are summed and written once per counter, at the end.
 */
export const directAll =
  (client: SqliteClient.Direct, hash: Integrity.Hash): AppendPlan.WriteAll<SqlError.SqlError> =>
  (plans) =>
    client.transaction(
      (statements) => {
        const outcomes: Array<AppendPlan.Outcome> = []
        const counts = new Map<string, Array<Param>>()
        for (const plan of plans) {
          const outcome = runSteps(statements, plan, hash, counts)
          outcomes.push(outcome)
          if (!AppendPlan.accepted(plan, outcome)) return outcomes
        }
        const count = statements.prepare(COUNT)
        for (const params of counts.values()) if (params[5] !== 0) count.run(...(params as Array<Param>))
        return outcomes
      },
      (outcomes) => AppendPlan.allAccepted(plans, outcomes)
    )

/**
 * Several appends in one synchronous transaction (group commit), each in a savepoint of its own: a request that
 * throws leaves nothing and is written again on its own afterwards, so that its caller gets its own error.
 */
export const directMany = (client: SqliteClient.Direct, hash: Integrity.Hash) => {
  const single = direct(client, hash)
  return (
    plans: ReadonlyArray<AppendPlan.Plan>
  ): Effect.Effect<ReadonlyArray<Result.Result<AppendPlan.Outcome, SqlError.SqlError>>, SqlError.SqlError> => {
    if (plans.length === 1) return Effect.map(Effect.result(single(plans[0] as AppendPlan.Plan)), (one) => [one])
    return Effect.flatMap(
      client.transaction((statements) =>
        plans.map((plan): AppendPlan.Outcome | undefined => {
          statements.exec("SAVEPOINT lindung_item")
          try {
            const outcome = runSteps(statements, plan, hash)
            statements.exec("RELEASE lindung_item")
            return outcome
          } catch (cause) {
            try {
              statements.exec("ROLLBACK TO lindung_item")
              statements.exec("RELEASE lindung_item")
            } catch {
              // SQLite rolled the whole transaction back (disk full, I/O error): the batch fails with its cause.
              throw cause
            }
            return undefined
          }
        })
      ),
      (outcomes) =>
        Effect.forEach(plans, (plan, index) => {
          const outcome = outcomes[index]
          return outcome === undefined ? Effect.result(single(plan)) : Effect.succeed(Result.succeed(outcome))
        })
    )
  }
}

/** The steps of one append through `effect/sql`, one statement after another. */
const runEffect = (sql: SqlClient.SqlClient, plan: AppendPlan.Plan, hash: Integrity.Hash) =>
  Effect.gen(function* () {
    const run = steps(plan, hash)
    let next = run.next([])
    while (next.done !== true) {
      const step = next.value
      const rows = yield* sql.unsafe<Row>(step.sql, step.params as Array<Param>)
      next = run.next(step.read ? rows : [])
    }
    return next.value
  })

/**
 * The write lock from the first statement on, on any client: a deferred `BEGIN` reads first and cannot upgrade while
 * another process writes (it fails busy instead of waiting its turn).
 */
const immediately = Effect.provideService(SqlClient.BeginTransaction, "BEGIN IMMEDIATE")

/** The append through any `effect/sql` SQLite client, in a `BEGIN IMMEDIATE` transaction. */
export const generic =
  (sql: SqlClient.SqlClient, hash: Integrity.Hash) =>
  (plan: AppendPlan.Plan): Effect.Effect<AppendPlan.Outcome, SqlError.SqlError> =>
    transaction(sql, runEffect(sql, plan, hash)).pipe(immediately)

/** `appendAll` through any `effect/sql` SQLite client: a refused outcome fails the transaction, which rolls back. */
export const genericAll =
  (sql: SqlClient.SqlClient, hash: Integrity.Hash): AppendPlan.WriteAll<SqlError.SqlError> =>
  (plans) =>
    AppendPlan.inTransaction(
      sql,
      plans,
      Effect.succeed((plan: AppendPlan.Plan) => runEffect(sql, plan, hash))
    ).pipe(immediately)

const DUE = `SELECT version, next_due_at, wake_at, json_extract(entry, '$.nextDueAt') AS due_text,
    json_extract(entry, '$.wakeAt') AS wake_text FROM lindung_case_index WHERE case_id = ?`
const REFRESH_DUE = `UPDATE lindung_case_index SET next_due_at = ?, wake_at = ?,
    entry = json_patch(json_remove(entry, '$.nextDueAt', '$.wakeAt'), ?) WHERE case_id = ?`

/**
 * A due refresh (`EventStore.refreshDue`) in one `BEGIN IMMEDIATE` transaction through any `effect/sql` SQLite
 * client (the write lock is held from the read on, so no append comes between): the row read, its outcome decided
 * (`AppendPlan.dueOutcome`), the instants written when they differ.
 */
export const refreshDue =
  (sql: SqlClient.SqlClient) =>
  (due: AppendPlan.PlannedDue): Effect.Effect<EventStore.RefreshOutcome, SqlError.SqlError> =>
    transaction(
      sql,
      Effect.gen(function* () {
        const row = (yield* sql.unsafe<Row>(DUE, [due.caseId]))[0]
        const outcome = AppendPlan.dueOutcome(AppendPlan.storedDue(row), due)
        if (outcome !== "write") return outcome
        yield* sql.unsafe(REFRESH_DUE, [due.nextDueAt, due.wakeAt, due.patch, due.caseId])
        return "written" as const
      })
    ).pipe(immediately)
