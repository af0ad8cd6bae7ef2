/**
 * What the fuzz compares before, during and after its run: a digest of the whole store (every event with its
 * position and hashes, every index entry, every identity), the identity access trail, and the event store's own
 * integrity check. Read through the storage ports, never through the API, so that reading records nothing.
 */
import { CaseEvent, CaseIndex, EventStore, IdentityVault, Integrity, Subject } from "@lindung/core"
import { Effect, Schema } from "effect"

const encodeEnvelope = Schema.encodeSync(CaseEvent.Envelope)
const encodeEntry = Schema.encodeSync(CaseIndex.Entry)
const encodeIdentity = Schema.encodeSync(Subject.IdentityFromValues)
const encodeAccess = Schema.encodeSync(IdentityVault.AccessRecord)

/** One access of the trail, as the fuzz counts them: case, actor, operation and purpose. */
export type TrailKey = string

export const trailKey = (caseId: string, actor: string, operation: string, purpose: string): TrailKey =>
  `${caseId} ${actor} ${operation} ${purpose}`

/** The state of the store at one point. */
export interface Snapshot {
  readonly events: number
  /** Each event in commit order, in a few words: case, version, event, actor. */
  readonly described: ReadonlyArray<string>
  readonly cases: number
  /** SHA-256 of the canonical JSON of every event, index entry and identity. */
  readonly digest: string
  /** The access trail of each subject, each record as canonical JSON, oldest first. */
  readonly trails: ReadonlyMap<string, ReadonlyArray<string>>
  /** The trail records, as keys, by subject (for counting what was added). */
  readonly trailKeys: ReadonlyMap<string, ReadonlyArray<TrailKey>>
  readonly verify: EventStore.VerifyReport
}

/** Reads the whole store in context; `subjects` are the subjects whose identity and trail are read. */
export const snapshot = (subjects: ReadonlyArray<Subject.SubjectId>) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const index = yield* CaseIndex.CaseIndex
    const vault = yield* IdentityVault.IdentityVault

    const events: Array<unknown> = []
    const described: Array<string> = []
    let position = 0
    for (;;) {
      const page = yield* store.readAfter(position, EventStore.MAX_READ)
      const last = page.at(-1)
      if (last === undefined) break
      for (const stored of page) {
        const { event } = stored
        described.push(`${event.caseId} v${event.version} ${event.payload._tag} by ${event.actor.id}`)
        events.push({
          position: stored.position,
          previousHash: stored.previousHash,
          hash: stored.hash,
          event: encodeEnvelope(stored.event)
        })
      }
      position = last.position
    }

    const entries: Array<unknown> = []
    let after: string | undefined
    do {
      const page = yield* index.query({
        filter: {},
        limit: CaseIndex.MAX_PAGE,
        ...(after === undefined ? {} : { after })
      })
      entries.push(...page.entries.map((entry) => encodeEntry(entry)))
      after = page.next
    } while (after !== undefined)

    const identities: Record<string, unknown> = {}
    const trails = new Map<string, ReadonlyArray<string>>()
    const trailKeys = new Map<string, ReadonlyArray<TrailKey>>()
    for (const subject of subjects) {
      identities[subject] = yield* vault.get(subject).pipe(
        Effect.map(encodeIdentity),
        Effect.catchTags({
          NotFound: () => Effect.succeed("none"),
          IdentityErased: () => Effect.succeed("erased")
        })
      )
      const trail = yield* vault.accesses(subject)
      trails.set(
        subject,
        trail.map((record) => Integrity.canonicalJson(encodeAccess(record)))
      )
      trailKeys.set(
        subject,
        trail.map((record) => trailKey(record.caseId, record.actor, record.operation, record.purpose))
      )
    }

    const verify = yield* store.verify()
    return {
      events: events.length,
      described,
      cases: entries.length,
      digest: Integrity.sha256(Integrity.canonicalJson({ events, entries, identities })),
      trails,
      trailKeys,
      verify
    } satisfies Snapshot
  }).pipe(Effect.orDie)

/**
 * What differs between two snapshots besides the trail: `undefined` when nothing does. The trail is compared by
 * {@link trailAdditions}: identity reads that pass authorization add to it by design.
 */
export const stateChange = (before: Snapshot, after: Snapshot): string | undefined => {
  if (after.verify.firstBreak !== undefined) {
    return `verify reports a break: ${JSON.stringify(after.verify.firstBreak)}`
  }
  if (after.digest !== before.digest) {
    const added = after.described.filter((event) => !before.described.includes(event))
    return (
      `the store changed: ${before.events} events and ${before.cases} index entries became ${after.events} and ` +
      `${after.cases} (digest ${before.digest.slice(0, 12)} → ${after.digest.slice(0, 12)})` +
      (added.length === 0 ? "" : `; new events: ${added.slice(0, 5).join("; ")}`)
    )
  }
  if (after.verify.events !== before.verify.events || after.verify.cases !== before.verify.cases) {
    return `verify walked ${after.verify.cases} cases and ${after.verify.events} events, before ${before.verify.cases} and ${before.verify.events}`
  }
  return undefined
}

/**
 * The trail records added since `before`, as keys; or a string saying why the trail was not merely appended to
 * (a record changed or vanished).
 */
export const trailAdditions = (before: Snapshot, after: Snapshot): Array<TrailKey> | string => {
  const added: Array<TrailKey> = []
  for (const [subject, old] of before.trails) {
    const now = after.trails.get(subject) ?? []
    if (now.length < old.length || old.some((record, i) => now[i] !== record)) {
      return `the access trail of ${subject} was rewritten (${old.length} records before, ${now.length} after)`
    }
    added.push(...(after.trailKeys.get(subject) ?? []).slice(old.length))
  }
  return added
}
