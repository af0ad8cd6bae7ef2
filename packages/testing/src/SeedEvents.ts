/**
 * Many cases of realistic data for tests of what leaves the store (the NATS relay, the CLI): the seed stories'
 * events, copied under new case ids as often as asked, with a sentinel identity written into the identity vault for
 * every subject and into every free-text field of the events, so that a test can look for it in everything that
 * leaves.
 */
import { randomBytes } from "node:crypto"
import { Case, CaseEvent, CaseIndex, EventStore, IdentityVault, Subject } from "@lindung/core"
import { Runner, Stories } from "@lindung/seeds"
import { Effect, Result, Schema } from "effect"

/** A name no message may carry. */
export const SENTINEL = "Sentinel Siti Aminah"

/** A token unique to a test run: stream, consumer and subject names of one test never meet another's. */
export const unique = (): string => randomBytes(5).toString("hex")

const freeText = new Set(["reason", "goal", "action", "description", "reference", "provision", "authority"])

/** The events of the seed stories, one list per case. */
const seedCases = (() => {
  const byCase = new Map<string, Array<CaseEvent.Envelope>>()
  for (const story of Stories.all) {
    const run = Runner.runPure(story)
    if (Result.isFailure(run)) throw new Error(`seed story ${story.id} does not run: ${run.failure.reason}`)
    for (const event of run.success.events) {
      const list = byCase.get(event.caseId) ?? []
      list.push(event)
      byCase.set(event.caseId, list)
    }
  }
  return [...byCase.values()]
})()

/** How many events one copy of the seed stories holds. */
export const eventsPerCopy = seedCases.reduce((sum, events) => sum + events.length, 0)

/** How many cases one copy holds. */
export const casesPerCopy = seedCases.length

/** The sentinel written into every free-text field of an encoded event (a reason that is a literal stays). */
const mark = (value: unknown, key = ""): unknown => {
  if (typeof value === "string") {
    return freeText.has(key) && !/^[a-z]+(-[a-z]+)*$/.test(value) ? `${SENTINEL}: ${value}`.slice(0, 500) : value
  }
  if (Array.isArray(value)) return value.map((item) => mark(item, key))
  if (typeof value === "object" && value !== null) {
    // The legal basis is the rule register's static text, never written by a person.
    return Object.fromEntries(
      Object.entries(value).map(([name, item]) => [name, name === "basis" ? item : mark(item, name)])
    )
  }
  return value
}

/** A seed case under a new id (`<id>~<copy>`), its subject too, with the sentinel in its free text. */
const copyOf = (events: ReadonlyArray<CaseEvent.Envelope>, copy: string) =>
  events.map((event) => {
    const encoded = mark(CaseEvent.encode(event)) as CaseEvent.Encoded & { payload: Record<string, unknown> }
    const caseId = `${event.caseId}~${copy}`
    const payload =
      encoded.payload._tag === "ReportRegistered"
        ? { ...encoded.payload, subject: `${String(encoded.payload.subject)}~${copy}` }
        : encoded.payload
    return CaseEvent.decodeEnvelope({ ...encoded, caseId, eventId: `${caseId}:${event.version}`, payload })
  })

const identity = Schema.decodeUnknownSync(Subject.IdentityFromValues)({
  name: SENTINEL,
  familyNames: [`${SENTINEL} (ibu)`],
  address: `Jl. ${SENTINEL} 17`
})

/**
 * Writes `copies` copies of the seed stories into the store (`appendAll`, in chunks), with the sentinel identity
 * in the vault for every subject. Returns the events written, per case.
 */
export const fill = (copies: number, tag: string = unique()) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const vault = yield* IdentityVault.IdentityVault
    const written: Array<ReadonlyArray<CaseEvent.Envelope>> = []
    let requests: Array<EventStore.AppendRequest> = []
    for (let copy = 0; copy < copies; copy++) {
      for (const events of seedCases) {
        const copied = copyOf(events, `${tag}-${copy}`)
        const state = Case.fold(copied)
        if (state._tag === "Empty") continue
        written.push(copied)
        requests.push({
          caseId: state.id,
          expectedVersion: 0,
          events: copied,
          index: CaseIndex.project(state)
        })
        const first = copied[0]?.payload
        if (first?._tag === "ReportRegistered") yield* vault.put(first.subject, identity)
        if (requests.length === 100) {
          yield* store.appendAll(requests)
          requests = []
        }
      }
    }
    if (requests.length > 0) yield* store.appendAll(requests)
    return written
  })
