/**
 * `sql.withTransaction` whose every driver failure is a failure, never a defect. effect's transaction turns a
 * rollback that fails into a defect; after a connection is lost inside a transaction the rollback always fails, so
 * the caller would die with a `SqlError` that no adapter translates (a driver error across a port). Here a cause
 * that holds a `SqlError` — failed or died — fails with it, and the adapter's usual translation answers
 * `StorageUnavailable`. The server rolls back a transaction whose connection is gone, so nothing was written.
 */
import { Cause, Effect } from "effect"
import { type SqlClient, SqlError } from "effect/sql"

/** The `SqlError` a cause died with (a rollback or a commit that failed), if any. */
const diedWith = (cause: Cause.Cause<unknown>): SqlError.SqlError | undefined => {
  for (const reason of cause.reasons) {
    if (Cause.isDieReason(reason) && SqlError.isSqlError(reason.defect)) return reason.defect
  }
  return undefined
}

/** Runs `body` in a transaction of `sql` (see the module's comment). */
export const transaction = <A, E, R>(
  sql: SqlClient.SqlClient,
  body: Effect.Effect<A, E, R>
): Effect.Effect<A, E | SqlError.SqlError, R> =>
  sql.withTransaction(body).pipe(
    Effect.catchCause((cause) => {
      const died = diedWith(cause)
      // Anything else — a typed failure of the body, a defect that is not the driver's — stays as it is.
      return died === undefined ? Effect.failCause(cause) : Effect.fail(died)
    })
  )
