/**
 * A storage adapter of a team's own: the event store of another adapter (here the in-memory one; it could be
 * `@lindung/storage-sql`'s), and, after every append that writes, each new event handed to an archive in its public
 * form (`PublicEvent`: codes only — no identity, no free text) — say, a provincial data warehouse. A retried append
 * that the store answers from its record (`replayed`) writes nothing and archives nothing; an append that fails
 * archives nothing. The other four ports are the wrapped adapter's, unchanged.
 *
 * The hand-over comes after the commit: at most once (a process that stops in between archives nothing of that
 * append); where every event must arrive, read from the store after a checkpoint instead, as the NATS relay does.
 *
 * The conformance suite (`@lindung/storage-testkit`) proves the store still keeps every rule of the ports.
 */
import { Case, EventStore, PublicEvent } from "@lindung/core"
import { Effect, Layer } from "effect"

/** Where archived events go: a function of the team's (write a file, post to a queue, insert into a warehouse). */
export interface Archive {
  readonly put: (events: ReadonlyArray<PublicEvent.Encoded>) => Effect.Effect<void>
}

/** An archive in memory, for the example and its tests. */
export const memoryArchive = () => {
  const events: Array<PublicEvent.Encoded> = []
  const archive: Archive = { put: (more) => Effect.sync(() => void events.push(...more)) }
  return { archive, events }
}

/** The state of a case before an append: read back from the store, unless the append began the case. */
const stateBefore = (store: EventStore.EventStore["Service"], request: EventStore.AppendRequest) =>
  request.expectedVersion === 0
    ? Effect.succeed(Case.initialState)
    : Effect.map(store.load(request.caseId), (history) => Case.fold(history.slice(0, request.expectedVersion)))

/**
 * The public form of what an append wrote: an event whose moment is personal (a child's 18th birthday) never leaves,
 * and the public versions count a case's published events only, so the case's history before the append is read
 * (`PublicEvent.encodeAll`). A case whose history cannot be read (or does not lead to the append) archives nothing
 * of that append, as a process that stops after the commit would, and says so in the log (its case id and the
 * failure's kind); the others archive. The append's own answer never changes.
 */
const publicForm = (store: EventStore.EventStore["Service"], requests: ReadonlyArray<EventStore.AppendRequest>) =>
  Effect.map(
    Effect.forEach(requests, (request) =>
      stateBefore(store, request).pipe(
        // A history that does not lead to the append (a store whose reads lag) has no public form either.
        Effect.flatMap((before) =>
          Effect.try({
            try: () => PublicEvent.encodeAll(request.events, before),
            catch: () => ({ _tag: "HistoryDoesNotLeadToAppend" }) as const
          })
        ),
        Effect.catch((error) =>
          Effect.as(
            Effect.logWarning("archive: a case's history could not be read; its new events are not archived").pipe(
              Effect.annotateLogs({ caseId: request.caseId, failure: error._tag })
            ),
            []
          )
        )
      )
    ),
    (forms) => forms.flat()
  )

/** The event store of the layer below, archiving what each append writes. */
export const layer = (archive: Archive) =>
  Layer.effect(EventStore.EventStore)(
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      return EventStore.EventStore.of({
        ...store,
        append: (request) =>
          Effect.tap(store.append(request), (result) =>
            result.replayed ? Effect.void : Effect.flatMap(publicForm(store, [request]), archive.put)
          ),
        appendAll: (requests) =>
          Effect.tap(store.appendAll(requests), (results) =>
            Effect.flatMap(
              publicForm(
                store,
                requests.filter((_, i) => results[i]?.replayed !== true)
              ),
              archive.put
            )
          )
      })
    })
  )
