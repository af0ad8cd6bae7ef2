/**
 * The model-based test: fast-check draws random sequences of operations — valid, conflicting, stale, invalid and
 * idempotent appends of real fixture batches, alone and several in one atomic `appendAll`, due refreshes, loads, reads, idempotency look-ups, verifies, paged queries, counts,
 * index reads, identity puts, gets and erasures, access trail records and reads, checkpoint sets and gets — and
 * runs each sequence against a fresh
 * store of the adapter AND a fresh memory store (the reference model, `@lindung/storage-memory`). After every
 * operation both must answer the same, and at the end both must hold the same.
 *
 * How results are compared:
 * - Decoded values, not bytes: events and index entries as canonical JSON of their encoded form, identities by
 *   their plain values, errors by tag and fields (`detail` texts are the adapter's own and are not compared).
 * - Positions by order, not by value: both stores start empty, but an adapter may leave gaps (the PostgreSQL
 *   adapter gives every append a block of positions), so every position is replaced by its ordinal — its
 *   place among all stored events in position order (1 for the first) — and `readAfter`'s starting point is drawn as
 *   an ordinal and translated to each store's own position.
 * - Cursors are opaque: a query follows each store's own `next` cursors to the end, and the pages are compared
 *   (entries, and whether a next page was announced).
 */
import { expect } from "@effect/vitest"
import { type Actor, CaseIndex, type EventStore, IdentityVault, Sop } from "@lindung/core"
import { MemoryStore } from "@lindung/storage-memory"
import { DateTime, Effect, Layer, Option, Result, Schema } from "effect"
import * as fc from "fast-check"
import {
  accessJson,
  accessOf,
  type Batch,
  cid,
  fingerprintOf,
  identities,
  instants,
  registration,
  requestOf,
  type Story,
  staff,
  story
} from "./fixtures.js"
import {
  entryJson,
  errorJson,
  eventJson,
  identityValues,
  type Kit,
  type Ports,
  readAll,
  type Services,
  services
} from "./harness.js"

/** The cases the sequences work on: short and long, tinggi and not, several provinces. */
const caseIds = ["pdg-0001", "ntb-0001", "ntb-0005", "NTB-0006", "sby-0001", "ntb_0007"] as const
const keyNames = ["req-a", "req-b", "req-c", "req-d", "req-e", "req-f"] as const
const checkpointNames = ["relay:nats", "projection:dashboard"] as const

type InvalidKind = "no-events" | "other-case" | "version-gap" | "stale-index" | "negative-version" | "empty-key"
const invalidKinds: ReadonlyArray<InvalidKind> = [
  "no-events",
  "other-case",
  "version-gap",
  "stale-index",
  "negative-version",
  "empty-key"
]

/** One operation, as a small description (fast-check prints and shrinks these). */
export type Op =
  | {
      readonly op: "append"
      readonly c: number
      readonly b: number | "next"
      readonly key: number | undefined
      /** Registers the case's subject as new (`newSubject`); refused as invalid after the first version. */
      readonly claim?: boolean
    }
  | { readonly op: "retry"; readonly back: number }
  | {
      readonly op: "appendAll"
      readonly items: ReadonlyArray<
        | { readonly c: number; readonly b: number | "next"; readonly key: number | undefined }
        /** An earlier keyed request sent again (an import re-run after a timeout). */
        | { readonly back: number }
      >
    }
  | { readonly op: "appendInvalid"; readonly c: number; readonly how: InvalidKind }
  /** Registers case `claimant-n` for the subject of fixture case `c`, as a new subject (`newSubject`). */
  | { readonly op: "claim"; readonly c: number; readonly n: number }
  /**
   * A due refresh of case `c` at its current version or at version `v + 1`, with instants `days` and `wakeDays` days
   * from 1 June 2025 (a filter instant of the queries), absent when not drawn.
   */
  | {
      readonly op: "refresh"
      readonly c: number
      readonly v: "current" | number
      readonly days: number | undefined
      readonly wakeDays: number | undefined
    }
  | { readonly op: "load"; readonly c: number }
  | { readonly op: "readAfter"; readonly after: number; readonly limit: number }
  | { readonly op: "idempotency"; readonly key: number }
  | { readonly op: "verify"; readonly c: number | undefined }
  | { readonly op: "query"; readonly filter: Record<string, unknown>; readonly limit: number }
  | {
      readonly op: "count"
      readonly filter: Record<string, unknown>
      readonly by: ReadonlyArray<CaseIndex.Dimension>
      readonly depth: 1 | 2 | 3 | 4 | undefined
    }
  | { readonly op: "get"; readonly c: number }
  | { readonly op: "put"; readonly s: number; readonly i: number }
  | { readonly op: "identity"; readonly s: number }
  | { readonly op: "erase"; readonly s: number }
  | {
      readonly op: "record"
      readonly s: number
      readonly c: number
      readonly actor: number
      readonly operation: IdentityVault.Operation
      readonly purpose: IdentityVault.Purpose
      readonly minute: number
    }
  | { readonly op: "accesses"; readonly s: number }
  | { readonly op: "setCheckpoint"; readonly name: number; readonly position: number }
  | { readonly op: "getCheckpoint"; readonly name: number }

/** Mostly the two long cases, so that sequences reach their later versions. */
const caseArb = fc.oneof({ weight: 2, arbitrary: fc.nat(1) }, { weight: 1, arbitrary: fc.nat(caseIds.length - 1) })
const subjectArb = fc.nat(2)

/**
 * The arbitrary of one operation. Built on first use, not when the module loads: it reads the fixture cases, which
 * run the decider.
 */
const operation = (): fc.Arbitrary<Op> => {
  /** The value of each filter field the sequences use. */
  const filterFields: Readonly<Record<string, fc.Arbitrary<unknown>>> = {
    region: fc.constantFrom("ID", "52", "52.71", "52.71.01", "13", "13.71", "35.78.05", "64"),
    stages: fc.subarray([...Sop.Stage.literals], { minLength: 1, maxLength: 3 }),
    risks: fc.subarray(["rendah", "sedang", "tinggi"], { minLength: 1 }),
    owner: fc.constantFrom("dinsos-52", "dinsos-52.71", "dinsos-13.71", "dinsos-35.78"),
    assignee: fc.constantFrom("dinsos-52.71:peksos-1", "dinsos-52:peksos-1", "dinsos-13.71:peksos-2"),
    ampk: fc.constantFrom("b", "d", "j", "m"),
    ppks: fc.constantFrom(1, 6, 7, 20),
    sppaRole: fc.constantFrom("anak-korban", "anak-berkonflik-dengan-hukum", "anak-saksi"),
    concern: fc.constantFrom("adoption", "child-marriage"),
    // The subjects of the cases, and ids that differ from one only by letter case or a suffix.
    subject: fc.constantFrom(
      ...caseIds.map((id) => story(id).subject),
      "SUBJ-NTB-0001",
      "SUBJ-PDG-0001",
      "subj-ntb-00011",
      "subj-ntb-000"
    ),
    // Due instants of the cases themselves (where "strictly before" matters), and a few others.
    dueBefore: fc.constantFrom(
      ...new Set([
        ...caseIds.flatMap((id) =>
          story(id).batches.flatMap((b) =>
            b.index.nextDueAt === undefined ? [] : [DateTime.formatIso(b.index.nextDueAt)]
          )
        ),
        "2025-06-01T00:00:00.000Z",
        "2030-01-01T00:00:00.000Z"
      ])
    ),
    // Wake-up instants of the cases (a deadline, or an 18th birthday), and a few others.
    wakeBefore: fc.constantFrom(
      ...new Set([
        ...caseIds.flatMap((id) =>
          story(id).batches.flatMap((b) => (b.index.wakeAt === undefined ? [] : [DateTime.formatIso(b.index.wakeAt)]))
        ),
        "2025-06-01T00:00:00.000Z",
        "2030-01-01T00:00:00.000Z"
      ])
    )
  }

  /** Filters of zero to two fields, so that most of them match something. */
  const filterArb: fc.Arbitrary<Record<string, unknown>> = fc
    .shuffledSubarray(Object.keys(filterFields), { maxLength: 2 })
    .chain((keys) =>
      fc.record(Object.fromEntries(keys.map((key) => [key, filterFields[key] as fc.Arbitrary<unknown>])))
    )

  return fc.oneof<Array<fc.MaybeWeightedArbitrary<Op>>>(
    {
      weight: 12,
      arbitrary: fc.record({
        op: fc.constant("append" as const),
        c: caseArb,
        b: fc.oneof({ weight: 4, arbitrary: fc.constant("next" as const) }, { weight: 1, arbitrary: fc.nat(9) }),
        key: fc.oneof(
          { weight: 3, arbitrary: fc.constant(undefined) },
          { weight: 1, arbitrary: fc.nat(keyNames.length - 1) }
        ),
        claim: fc.boolean()
      })
    },
    // The bulk path: up to four requests in one atomic call, often several of one case in a row.
    {
      weight: 3,
      arbitrary: fc.record({
        op: fc.constant("appendAll" as const),
        items: fc.array(
          fc.oneof(
            {
              weight: 3,
              arbitrary: fc.record({
                c: caseArb,
                b: fc.oneof(
                  { weight: 6, arbitrary: fc.constant("next" as const) },
                  { weight: 1, arbitrary: fc.nat(9) }
                ),
                key: fc.oneof(
                  { weight: 2, arbitrary: fc.constant(undefined) },
                  { weight: 1, arbitrary: fc.nat(keyNames.length - 1) }
                )
              })
            },
            { weight: 1, arbitrary: fc.record({ back: fc.nat(3) }) }
          ),
          { minLength: 1, maxLength: 4 }
        )
      })
    },
    // A client retrying an earlier request with an idempotency key (after a timeout, say).
    { weight: 2, arbitrary: fc.record({ op: fc.constant("retry" as const), back: fc.nat(3) }) },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant("appendInvalid" as const),
        c: caseArb,
        how: fc.constantFrom(...invalidKinds)
      })
    },
    // Another case taking a fixture case's subject as new: held once that case is written, else taken.
    {
      weight: 2,
      arbitrary: fc.record({ op: fc.constant("claim" as const), c: caseArb, n: fc.nat(3) })
    },
    // A deployment's policy rewriting a case's due instants: mostly at its version, sometimes at a stale one.
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant("refresh" as const),
        c: caseArb,
        v: fc.oneof({ weight: 3, arbitrary: fc.constant("current" as const) }, { weight: 1, arbitrary: fc.nat(9) }),
        days: fc.option(fc.integer({ min: -3, max: 3 }), { nil: undefined }),
        wakeDays: fc.option(fc.integer({ min: -3, max: 3 }), { nil: undefined })
      })
    },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("load" as const), c: caseArb }) },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant("readAfter" as const),
        after: fc.nat(40),
        limit: fc.integer({ min: 1, max: 8 })
      })
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("idempotency" as const), key: fc.nat(keyNames.length - 1) }) },
    {
      weight: 1,
      arbitrary: fc.record({ op: fc.constant("verify" as const), c: fc.option(caseArb, { nil: undefined }) })
    },
    {
      weight: 3,
      arbitrary: fc.record({
        op: fc.constant("query" as const),
        filter: filterArb,
        limit: fc.integer({ min: 1, max: 4 })
      })
    },
    {
      weight: 3,
      arbitrary: fc.record({
        op: fc.constant("count" as const),
        filter: filterArb,
        by: fc.shuffledSubarray([...CaseIndex.Dimension.literals], { minLength: 1, maxLength: 3 }),
        depth: fc.option(fc.constantFrom(1 as const, 2 as const, 3 as const, 4 as const), { nil: undefined })
      })
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("get" as const), c: caseArb }) },
    {
      weight: 2,
      arbitrary: fc.record({ op: fc.constant("put" as const), s: subjectArb, i: fc.nat(identities.length - 1) })
    },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("identity" as const), s: subjectArb }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("erase" as const), s: subjectArb }) },
    {
      weight: 3,
      arbitrary: fc.record({
        op: fc.constant("record" as const),
        s: subjectArb,
        c: caseArb,
        actor: fc.nat(accessActors().length - 1),
        operation: fc.constantFrom(...IdentityVault.Operation.literals),
        purpose: fc.constantFrom(...(Object.keys(IdentityVault.purposes) as Array<IdentityVault.Purpose>)),
        // Instants that may repeat and may go backwards: the trail keeps the recording order.
        minute: fc.nat(3)
      })
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("accesses" as const), s: subjectArb }) },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant("setCheckpoint" as const),
        name: fc.nat(checkpointNames.length - 1),
        position: fc.nat(1_000)
      })
    },
    {
      weight: 1,
      arbitrary: fc.record({ op: fc.constant("getCheckpoint" as const), name: fc.nat(checkpointNames.length - 1) })
    }
  )
}

let operations: fc.Arbitrary<Op> | undefined

/** Sequences of operations. */
export const opsArb = (maxSteps: number): fc.Arbitrary<ReadonlyArray<Op>> => {
  operations ??= operation()
  return fc.array(operations, { maxLength: maxSteps, size: "max" })
}

/** Who reaches identities in the sequences. */
const accessActors = () => [
  staff.mataram.intake,
  staff.mataram.workers[0],
  staff.ntb.supervisor,
  staff.padang.workers[1]
]

const storyOf = (c: number): Story => story(caseIds[c] as string)
const subjectOf = (s: number) => storyOf(s).subject

/** A store under comparison, with the positions of its events in position order. */
interface Side {
  readonly s: Services
}

const positionsOf = (side: Side) => Effect.map(readAll(side.s.store), (all) => all.map((e) => e.position))

/** The ordinal (1-based place in position order) of a position; `absent:<p>` for a position that names no event. */
const ordinalIn = (positions: ReadonlyArray<number>, position: number): number | string => {
  const i = positions.indexOf(position)
  return i < 0 ? `absent:${position}` : i + 1
}

type Outcome = { readonly ok: unknown } | { readonly error: Record<string, unknown> }

const outcome = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  normalize: (a: A) => Effect.Effect<unknown, unknown, R> = (a) => Effect.succeed(a)
): Effect.Effect<Outcome, unknown, R> =>
  Effect.flatMap(
    Effect.result(effect),
    (result): Effect.Effect<Outcome, unknown, R> =>
      Result.isSuccess(result)
        ? Effect.map(normalize(result.success), (ok) => ({ ok }))
        : Effect.sync(() => ({ error: errorJson(result.failure) }))
  )

const storedJson = (positions: ReadonlyArray<number>, e: EventStore.StoredEvent) => ({
  ordinal: ordinalIn(positions, e.position),
  event: eventJson(e.event),
  previousHash: e.previousHash,
  hash: e.hash
})

/** An append request for an operation, decided with the model's view of each case's version. */
const requestFor = (op: Op & { readonly op: "append" }, versions: ReadonlyMap<string, number>) => {
  const fixture = storyOf(op.c)
  const version = versions.get(fixture.caseId) ?? 0
  const batch =
    op.b === "next"
      ? (fixture.batches.find((b) => b.expectedVersion === version) ?? (fixture.batches.at(-1) as Batch))
      : (fixture.batches[op.b % fixture.batches.length] as Batch)
  const key = op.key === undefined ? undefined : keyNames[op.key]
  const request = requestOf(batch, key === undefined ? undefined : { key, fingerprint: fingerprintOf(batch) })
  return op.claim === true ? { ...request, newSubject: true } : request
}

const invalidFor = (
  op: Op & { readonly op: "appendInvalid" },
  versions: ReadonlyMap<string, number>
): EventStore.AppendRequest => {
  const good = requestFor({ op: "append", c: op.c, b: "next", key: undefined }, versions)
  const other = storyOf((op.c + 1) % caseIds.length).batches[0] as Batch
  switch (op.how) {
    case "no-events":
      return { ...good, events: [] }
    case "other-case":
      return { ...good, events: other.events }
    case "version-gap":
      return { ...good, expectedVersion: good.expectedVersion + 1 }
    case "stale-index":
      return { ...good, index: { ...good.index, version: good.index.version + 1 } }
    case "negative-version":
      return { ...good, expectedVersion: -1 }
    case "empty-key":
      return { ...good, idempotency: { key: "", fingerprint: "f" } }
  }
}

/** What the runner knows between steps: each case's version (from the model) and the keyed requests sent. */
interface Context {
  readonly versions: Map<string, number>
  readonly sent: Array<EventStore.AppendRequest>
}

/** The append request of an `append` or `retry` step, if there is one. */
const appendOf = (op: Op, context: Context): EventStore.AppendRequest | undefined => {
  if (op.op === "append") return requestFor(op, context.versions)
  if (op.op === "retry") return context.sent[context.sent.length - 1 - (op.back % Math.max(1, context.sent.length))]
  return undefined
}

/**
 * The requests of an `appendAll` step: each decided with the model's versions, as advanced by the requests before
 * it in the same call (so that "next" chains several batches of one case).
 */
const requestsOf = (
  op: Op & { readonly op: "appendAll" },
  context: Context
): ReadonlyArray<EventStore.AppendRequest> => {
  const versions = new Map(context.versions)
  const sent = context.sent
  return op.items.map((item) => {
    const request =
      "back" in item
        ? (sent[sent.length - 1 - (item.back % Math.max(1, sent.length))] ??
          requestFor({ op: "append", c: 0, b: "next", key: undefined }, versions))
        : requestFor({ op: "append", ...item }, versions)
    versions.set(request.caseId, request.expectedVersion + request.events.length)
    return request
  })
}

/** The instant due refreshes are drawn around (a filter instant of the queries). */
const REFRESH_BASE = Date.parse("2025-06-01T00:00:00Z")

/** Runs one operation on one store and returns what it answered, in comparable form. */
const execute = (side: Side, op: Op, context: Context) =>
  Effect.gen(function* () {
    const { s } = side
    const { versions } = context
    switch (op.op) {
      case "append":
      case "retry": {
        const request = appendOf(op, context)
        if (request === undefined) return { ok: "nothing to retry" }
        return yield* outcome(s.store.append(request), (r) =>
          Effect.map(positionsOf(side), (positions) => ({ ...r, lastPosition: ordinalIn(positions, r.lastPosition) }))
        )
      }
      case "appendAll":
        return yield* outcome(s.store.appendAll(requestsOf(op, context)), (results) =>
          Effect.map(positionsOf(side), (positions) =>
            results.map((r) => ({ ...r, lastPosition: ordinalIn(positions, r.lastPosition) }))
          )
        )
      case "appendInvalid":
        return yield* outcome(s.store.append(invalidFor(op, versions)))
      case "claim": {
        const batch = registration(`claimant-${op.n}`, storyOf(op.c).subject, "balikpapan", instants.early)
        return yield* outcome(s.store.append({ ...requestOf(batch), newSubject: true }), (r) =>
          Effect.map(positionsOf(side), (positions) => ({ ...r, lastPosition: ordinalIn(positions, r.lastPosition) }))
        )
      }
      case "refresh": {
        const caseId = storyOf(op.c).caseId
        const instant = (days: number | undefined) =>
          days === undefined ? undefined : DateTime.makeUnsafe(REFRESH_BASE + days * 86_400_000)
        return yield* outcome(
          s.store.refreshDue({
            caseId,
            version: op.v === "current" ? (versions.get(caseId) ?? 1) : op.v + 1,
            nextDueAt: instant(op.days),
            wakeAt: instant(op.wakeDays)
          })
        )
      }
      case "load":
        return yield* outcome(s.store.load(storyOf(op.c).caseId), (events) => Effect.succeed(events.map(eventJson)))
      case "readAfter": {
        const positions = yield* positionsOf(side)
        const after = op.after === 0 ? 0 : (positions[Math.min(op.after, positions.length) - 1] ?? 0)
        return yield* outcome(s.store.readAfter(after, op.limit), (events) =>
          Effect.succeed(events.map((e) => storedJson(positions, e)))
        )
      }
      case "idempotency":
        return yield* outcome(s.store.idempotency(keyNames[op.key] as string), (found) =>
          Effect.succeed(Option.getOrNull(found))
        )
      case "verify":
        return yield* outcome(s.store.verify(op.c === undefined ? undefined : storyOf(op.c).caseId))
      case "query": {
        const filter = Schema.decodeUnknownSync(CaseIndex.Filter)(op.filter)
        const pages = Effect.gen(function* () {
          const out: Array<{ entries: ReadonlyArray<string>; more: boolean }> = []
          let after: string | undefined
          for (let i = 0; i < 100; i++) {
            const page = yield* s.index.query({ filter, limit: op.limit, ...(after === undefined ? {} : { after }) })
            out.push({ entries: page.entries.map(entryJson), more: page.next !== undefined })
            if (page.next === undefined) break
            after = page.next
          }
          return out
        })
        return yield* outcome(pages)
      }
      case "count": {
        const query = Schema.decodeUnknownSync(CaseIndex.CountQuery)({
          filter: op.filter,
          by: op.by,
          ...(op.depth === undefined ? {} : { regionDepth: op.depth })
        })
        return yield* outcome(s.index.count(query))
      }
      case "get":
        return yield* outcome(s.index.get(storyOf(op.c).caseId), (entry) => Effect.succeed(entryJson(entry)))
      case "put":
        return yield* outcome(s.vault.put(subjectOf(op.s), (identities[op.i] as (typeof identities)[number]).identity))
      case "identity":
        return yield* outcome(s.vault.get(subjectOf(op.s)), (identity) => Effect.succeed(identityValues(identity)))
      case "erase":
        return yield* outcome(s.vault.erase(subjectOf(op.s)))
      case "record":
        return yield* outcome(
          s.vault.record(
            accessOf({
              subject: subjectOf(op.s),
              caseId: storyOf(op.c).caseId,
              actor: accessActors()[op.actor] as Actor.Actor,
              operation: op.operation,
              purpose: op.purpose,
              at: DateTime.makeUnsafe(Date.UTC(2025, 6, 1, 0, op.minute))
            })
          )
        )
      case "accesses":
        return yield* outcome(s.vault.accesses(subjectOf(op.s)), (trail) => Effect.succeed(trail.map(accessJson)))
      case "setCheckpoint":
        return yield* outcome(s.checkpoints.set(checkpointNames[op.name] as string, op.position))
      case "getCheckpoint":
        return yield* outcome(s.checkpoints.get(checkpointNames[op.name] as string))
    }
  })

/** Everything both stores hold at the end, in comparable form. */
const finalState = (side: Side) =>
  Effect.gen(function* () {
    const { s } = side
    const positions = yield* positionsOf(side)
    const all = yield* readAll(s.store)
    return {
      log: all.map((e) => storedJson(positions, e)),
      verify: yield* s.store.verify(),
      cases: yield* Effect.forEach(caseIds, (id) =>
        Effect.all([
          outcome(s.store.load(cid(id)), (events) => Effect.succeed(events.map(eventJson))),
          outcome(s.index.get(cid(id)), (entry) => Effect.succeed(entryJson(entry)))
        ])
      ),
      keys: yield* Effect.forEach(keyNames, (key) => Effect.map(s.store.idempotency(key), Option.getOrNull)),
      identities: yield* Effect.forEach([0, 1, 2], (i) =>
        outcome(s.vault.get(subjectOf(i)), (identity) => Effect.succeed(identityValues(identity)))
      ),
      accesses: yield* Effect.forEach([0, 1, 2], (i) =>
        outcome(s.vault.accesses(subjectOf(i)), (trail) => Effect.succeed(trail.map(accessJson)))
      ),
      checkpoints: yield* Effect.forEach(checkpointNames, (name) => s.checkpoints.get(name))
    }
  })

/** Runs one sequence against a fresh adapter store (from the context) and a fresh memory model. */
export const compare = (ops: ReadonlyArray<Op>): Effect.Effect<void, unknown, Ports> =>
  Effect.gen(function* () {
    const adapter: Side = { s: yield* services }
    const memory = yield* MemoryStore.make
    const model: Side = {
      s: {
        store: memory.eventStore,
        index: memory.caseIndex,
        vault: memory.identityVault,
        checkpoints: memory.checkpoints,
        exports: memory.exportLog
      }
    }
    const context: Context = { versions: new Map(), sent: [] }
    for (const [step, op] of ops.entries()) {
      const expected = yield* execute(model, op, context)
      const actual = yield* execute(adapter, op, context)
      expect(actual, `step ${step} (received: the adapter; expected: the memory model): ${JSON.stringify(op)}`).toEqual(
        expected
      )
      const requests = op.op === "appendAll" ? requestsOf(op, context) : [appendOf(op, context)]
      // What the model answered moves each case's version on; keyed requests sent for the first time are kept for
      // later retries.
      const results =
        "ok" in expected ? (op.op === "appendAll" ? (expected.ok as ReadonlyArray<unknown>) : [expected.ok]) : []
      for (const [i, request] of requests.entries()) {
        if (request === undefined) continue
        if (request.idempotency !== undefined && !context.sent.includes(request)) context.sent.push(request)
        const result = results[i] as EventStore.AppendResult | undefined
        if (result !== undefined && !result.replayed) context.versions.set(result.caseId, result.toVersion)
      }
    }
    expect(
      yield* finalState(adapter),
      "the stores differ at the end (received: the adapter; expected: the model)"
    ).toEqual(yield* finalState(model))
  })

/** The property: every sequence gives the same answers on the adapter and on the model. */
export const modelProperty = <R>(kit: Kit<R>) => {
  const runs = kit.capabilities.modelRuns ?? 30
  const steps = kit.capabilities.modelSteps ?? 40
  return Effect.promise(() =>
    fc.assert(
      fc.asyncProperty(opsArb(steps), (ops) =>
        Effect.runPromise(compare(ops).pipe(Effect.provide(Layer.fresh(kit.makeLayer())), Effect.asVoid))
      ),
      { numRuns: runs, ...(kit.capabilities.seed === undefined ? {} : { seed: kit.capabilities.seed }) }
    )
  )
}
