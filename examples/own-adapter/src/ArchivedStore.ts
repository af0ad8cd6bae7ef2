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
import { type CaseEvent, EventStore, PublicEvent } from "@lindung/core"
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

/** The public form of what may leave: an event whose moment is personal (a child's 18th birthday) never does. */
const publicForm = (events: ReadonlyArray<CaseEvent.Envelope>) =>
  events.filter((event) => PublicEvent.isPublished(event.type as CaseEvent.Type)).map(PublicEvent.encode)

/** The event store of the layer below, archiving what each append writes. */
export const layer = (archive: Archive) =>
  Layer.effect(EventStore.EventStore)(
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      return EventStore.EventStore.of({
        ...store,
        append: (request) =>
          Effect.tap(store.append(request), (result) =>
            result.replayed ? Effect.void : archive.put(publicForm(request.events))
          ),
        appendAll: (requests) =>
          Effect.tap(store.appendAll(requests), (results) =>
            archive.put(publicForm(requests.flatMap((request, i) => (results[i]?.replayed ? [] : request.events))))
          )
      })
    })
  )
