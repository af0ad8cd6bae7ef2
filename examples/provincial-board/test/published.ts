/** The seed events as the relay publishes them, for the board's tests. */
import { Case, type CaseEvent, PublicEvent } from "@lindung/core"

/**
 * Events of one or more cases, in each case's order, as the relay publishes them: each case's withheld events left
 * out, the rest numbered without them (`PublicEvent.encode` from the state before each event), then decoded as a
 * consumer decodes them.
 */
export const toPublic = (events: ReadonlyArray<CaseEvent.Envelope>): ReadonlyArray<PublicEvent.Envelope> => {
  const states = new Map<string, Case.State>()
  return events.flatMap((event) => {
    const before = states.get(event.caseId) ?? Case.initialState
    states.set(event.caseId, Case.evolve(before, event))
    return PublicEvent.isPublished(event.type as CaseEvent.Type)
      ? [PublicEvent.decode(PublicEvent.encode(event, before))]
      : []
  })
}
