/**
 * Group commit: appends that arrive while another is being written wait, and are written together in the next
 * write — one transaction and one durable flush for the batch instead of one each. Nothing waits on a timer: a
 * batch is what has queued up by the time the previous write ends (after one turn of the scheduler, so that
 * appends started together travel together), at most `maxBatch` items. With one caller at a time, every batch
 * holds one append, as without grouping.
 *
 * `writers` batches may be written at once (default 1): a store whose appends to different cases do not wait for
 * each other (PostgreSQL since migration 5) keeps several transactions in flight; a new batch starts as soon as
 * a writer is free, so with more writers batches are smaller and waits shorter.
 *
 * Each item keeps its own answer: `write` answers one result per item (a dialect's batch writer runs each request
 * in a savepoint of its own, so one request's failure leaves the others standing). A failure of the whole write
 * (the connection lost, the commit refused) is every item's failure.
 *
 * An item whose caller is interrupted while it waits is still written: it was handed over, as a statement already
 * sent to the database would be. If a writer itself is interrupted (by whatever holds its fiber), the items of its
 * batch are answered with that interruption — whether they were written is unknown, as after a lost connection, and
 * a retry with the same request id is safe — and so are the items still queued when no other writer is left to
 * take them: no caller waits for ever, and the next item starts a new writer.
 *
 * @internal
 */
import { Cause, Deferred, Effect, Exit, Result } from "effect"

/** A batch writer: one result per item, in order. */
export type Write<A, B, E> = (items: ReadonlyArray<A>) => Effect.Effect<ReadonlyArray<Result.Result<B, E>>, E>

/** Makes the grouping writer: submit one item, get its own answer. */
export const make = <A, B, E>(
  write: Write<A, B, E>,
  maxBatch: number,
  writers = 1
): ((item: A) => Effect.Effect<B, E>) => {
  type Entry = { readonly item: A; readonly answer: Deferred.Deferred<B, E> }
  const pending: Array<Entry> = []
  let flushing = 0

  const writeBatch = (batch: ReadonlyArray<Entry>): Effect.Effect<void> =>
    Effect.map(Effect.exit(write(batch.map((entry) => entry.item))), (exit) => {
      for (let index = 0; index < batch.length; index++) {
        const entry = batch[index] as Entry
        if (Exit.isFailure(exit)) {
          Deferred.doneUnsafe(entry.answer, exit as Exit.Exit<never, E>)
          continue
        }
        const result = exit.value[index]
        Deferred.doneUnsafe(
          entry.answer,
          result === undefined
            ? Exit.die(new Error(`the batch writer answered ${exit.value.length} results for ${batch.length} items`))
            : Result.isSuccess(result)
              ? Exit.succeed(result.success)
              : Exit.failCause(Cause.fail(result.failure))
        )
      }
    })

  /**
   * One writer: takes batches until none is queued. If it ends otherwise (interrupted, or a defect), the callers
   * of its batch get that ending, and so do the queued items when no other writer is left to take them.
   */
  const flush: Effect.Effect<void> = Effect.suspend(() => {
    let batch: ReadonlyArray<Entry> = []
    // The writer gives its place back once, whichever way it ends (an interruption can arrive after the loop has).
    let released = false
    const release = () => {
      if (released) return
      released = true
      flushing--
    }
    const loop = Effect.gen(function* () {
      while (pending.length > 0) {
        // One turn of the scheduler: the fibers started together with this one queue their appends first.
        yield* Effect.yieldNow
        // Another writer may have taken them.
        if (pending.length === 0) break
        batch = pending.splice(0, Math.max(1, maxBatch))
        yield* writeBatch(batch)
        batch = []
      }
      // In the same step as the last look at the queue: an item queued from now on starts a new writer.
      release()
    })
    return Effect.onExit(loop, (exit) =>
      Effect.sync(() => {
        release()
        if (!Exit.isFailure(exit)) return
        const ended = exit as Exit.Exit<never>
        for (const entry of batch) Deferred.doneUnsafe(entry.answer, ended)
        if (flushing === 0) for (const entry of pending.splice(0)) Deferred.doneUnsafe(entry.answer, ended)
      })
    )
  })

  // Queuing an item and starting its writer happen without interruption (a writer counted is a writer started; the
  // writer itself starts interruptible); only the wait for the answer can be interrupted — the item is written all
  // the same.
  return (item) =>
    Effect.uninterruptibleMask((restore) =>
      Effect.suspend(() => {
        const answer = Deferred.makeUnsafe<B, E>()
        pending.push({ item, answer })
        if (flushing >= Math.max(1, writers)) return restore(Deferred.await(answer))
        flushing++
        return Effect.andThen(Effect.forkDetach(flush), restore(Deferred.await(answer)))
      })
    )
}
