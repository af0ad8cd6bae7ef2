/**
 * The suite can fail. Each store here is the memory store with one bug planted — the kind of bug a real adapter
 * has (an inclusive bound, a linguistic collation, checks in the wrong order, erasure that forgets, …) — and each
 * must fail at least one test of the suite. The model-based comparison must catch the bugs it can see without
 * the example tests' help.
 */
import { describe, expect, it } from "@effect/vitest"
import { CaseIndex, Checkpoints, EventStore, ExportLog, IdentityVault, StorageError } from "@lindung/core"
import { MemoryStore } from "@lindung/storage-memory"
import { Context, DateTime, Effect, Exit, Layer, Option, Result } from "effect"
import * as fc from "fast-check"
import { appendAllTests } from "../src/internal/bulk.js"
import { corruptTests, outageTests, tamperTests } from "../src/internal/damage.js"
import { dueRefreshTests } from "../src/internal/due.js"
import {
  caseIndexTests,
  checkpointTests,
  eventStoreTests,
  idempotencyTests,
  identityVaultTests
} from "../src/internal/examples.js"
import type { Kit, Ports } from "../src/internal/harness.js"
import { compare, opsArb } from "../src/internal/model.js"
import { raceTests } from "../src/internal/race.js"
import type { Capabilities } from "../src/Suite.js"

type Memory = Effect.Success<typeof MemoryStore.make>
type Overrides = {
  readonly store?: Partial<Memory["eventStore"]>
  readonly index?: Partial<Memory["caseIndex"]>
  readonly vault?: Partial<Memory["identityVault"]>
  readonly checkpoints?: Partial<Memory["checkpoints"]>
  readonly exports?: Partial<Memory["exportLog"]>
}

/** The memory store with some operations replaced. */
const broken = (plant: (memory: Memory) => Overrides): Layer.Layer<Ports | MemoryStore.Testing> =>
  Layer.effectContext(
    Effect.map(MemoryStore.make, (memory) => {
      const o = plant(memory)
      return Context.make(EventStore.EventStore, { ...memory.eventStore, ...o.store }).pipe(
        Context.add(CaseIndex.CaseIndex, { ...memory.caseIndex, ...o.index }),
        Context.add(IdentityVault.IdentityVault, { ...memory.identityVault, ...o.vault }),
        Context.add(Checkpoints.Checkpoints, { ...memory.checkpoints, ...o.checkpoints }),
        Context.add(ExportLog.ExportLog, { ...memory.exportLog, ...o.exports }),
        Context.add(MemoryStore.Testing, memory.testing)
      )
    })
  )

const capabilities: Capabilities<MemoryStore.Testing> = {
  tamper: MemoryStore.tamper,
  corrupt: MemoryStore.corrupt,
  outage: MemoryStore.outage(true),
  raceFibers: 8
}

interface Collected {
  readonly title: string
  readonly body: () => Effect.Effect<unknown, unknown, Ports | MemoryStore.Testing>
}

/** Every test of the suite as data, instead of registered with vitest. */
const collect = (): ReadonlyArray<Collected> => {
  const tests: Array<Collected> = []
  const kit: Kit<MemoryStore.Testing> = {
    name: "collected",
    makeLayer: () => MemoryStore.layerTesting,
    capabilities,
    group: (_, body) => body(),
    test: (title, body) => {
      tests.push({ title, body })
    },
    skip: () => {}
  }
  for (const group of [
    eventStoreTests,
    appendAllTests,
    idempotencyTests,
    dueRefreshTests,
    caseIndexTests,
    identityVaultTests,
    checkpointTests,
    tamperTests,
    corruptTests,
    outageTests,
    raceTests
  ]) {
    group(kit)
  }
  return tests
}

const tests = collect()

/** Whether a test of the suite passes against a store. */
const passes = (test: Collected, layer: Layer.Layer<Ports | MemoryStore.Testing>) =>
  Effect.map(Effect.exit(Effect.suspend(test.body).pipe(Effect.provide(Layer.fresh(layer)))), Exit.isSuccess)

/** The titles of the suite's tests that fail against a store. */
const failures = (layer: Layer.Layer<Ports | MemoryStore.Testing>) =>
  Effect.map(
    Effect.forEach(tests, (test) => Effect.map(passes(test, layer), (ok) => (ok ? [] : [test.title]))),
    (titles) => titles.flat()
  )

const named = (title: string): Collected => {
  const found = tests.find((test) => test.title === title)
  if (found === undefined) throw new Error(`the suite has no test "${title}"`)
  return found
}

/** Whether the model-based comparison finds a difference within a few runs. */
const modelCatches = (layer: Layer.Layer<Ports | MemoryStore.Testing>) =>
  Effect.promise(() =>
    fc
      .assert(
        fc.asyncProperty(opsArb(40), (ops) =>
          Effect.runPromise(compare(ops).pipe(Effect.provide(Layer.fresh(layer)), Effect.asVoid))
        ),
        // No shrinking: only whether a difference is found matters here.
        { numRuns: 200, seed: 20251123, endOnFailure: true }
      )
      .then(
        () => false,
        () => true
      )
  )

const all = (memory: Memory) => Effect.map(memory.caseIndex.query({ filter: {}, limit: 500 }), (p) => p.entries)

/** `SubjectHeld` when a case holds the request's subject, read from the index; else `write`. */
const heldFirst = <A, E>(memory: Memory, request: EventStore.AppendRequest, write: Effect.Effect<A, E>) =>
  Effect.flatMap(
    Effect.orDie(memory.caseIndex.query({ filter: { subject: request.index.subject }, limit: 1 })),
    (page): Effect.Effect<A, E | StorageError.SubjectHeld> =>
      page.entries.length > 0 ? Effect.fail(new StorageError.SubjectHeld({ caseId: request.caseId })) : write
  )

/** Bugs, each with the name of a test that must catch it. */
const mutants: ReadonlyArray<
  readonly [string, (memory: Memory) => Overrides, { readonly caughtBy: string; readonly model?: boolean }]
> = [
  [
    "dueBefore is inclusive",
    (m) => ({
      index: {
        query: (q) =>
          Effect.map(all(m), (entries) => {
            const { dueBefore, ...rest } = q.filter
            const due = entries.filter(
              (e) =>
                dueBefore === undefined ||
                (e.nextDueAt !== undefined && DateTime.isLessThanOrEqualTo(e.nextDueAt, dueBefore))
            )
            return CaseIndex.page(due, { ...q, filter: rest })
          })
      }
    }),
    { caughtBy: "query results in case-id order by UTF-16 code units, with written-out expectations" }
  ],
  [
    "case ids in a case-insensitive order",
    (m) => ({
      index: {
        query: (q) =>
          Effect.map(all(m), (entries) => {
            const lower = (s: string) => s.toLowerCase()
            const found = entries
              .filter((e) => CaseIndex.matches(e, q.filter))
              .sort((a, b) => (lower(a.caseId) < lower(b.caseId) ? -1 : 1))
              .filter((e) => q.after === undefined || lower(e.caseId) > lower(q.after))
            const slice = found.slice(0, q.limit)
            const last = slice.at(-1)
            return found.length > q.limit && last !== undefined
              ? { entries: slice, next: last.caseId }
              : { entries: slice }
          })
      }
    }),
    { caughtBy: "query results in case-id order by UTF-16 code units, with written-out expectations", model: true }
  ],
  [
    "a new subject is not checked against the cases that hold it",
    (m) => ({
      store: {
        append: ({ newSubject: _, ...request }) => m.eventStore.append(request),
        appendAll: (requests) => m.eventStore.appendAll(requests.map(({ newSubject: _, ...request }) => request))
      }
    }),
    {
      caughtBy:
        "newSubject: a subject another case holds is refused with SubjectHeld, writing nothing; a linked report shares it",
      model: true
    }
  ],
  [
    "a new subject checked by a read before the write, not in the append (two registrations at once both win)",
    (m) => ({
      store: {
        // Another writer may run between the read and the write, as over a network.
        append: ({ newSubject, ...request }) =>
          newSubject !== true
            ? m.eventStore.append(request)
            : heldFirst(m, request, Effect.andThen(Effect.yieldNow, m.eventStore.append(request)))
      }
    }),
    {
      caughtBy: "8 fibers register one new subject for cases of their own: exactly one wins, the others get SubjectHeld"
    }
  ],
  [
    "a new subject is checked before the idempotency key (a retry is refused instead of replayed)",
    (m) => ({
      store: {
        append: (r) => (r.newSubject !== true ? m.eventStore.append(r) : heldFirst(m, r, m.eventStore.append(r)))
      }
    }),
    {
      caughtBy:
        "newSubject: a subject another case holds is refused with SubjectHeld, writing nothing; a linked report shares it"
    }
  ],
  [
    "the version is checked before the idempotency key",
    (m) => ({
      store: {
        append: (r) =>
          Effect.flatMap(Effect.orDie(m.eventStore.load(r.caseId)), (events) =>
            events.length !== r.expectedVersion && r.events.length > 0 && r.expectedVersion >= 0
              ? Effect.fail(
                  new StorageError.VersionConflict({
                    caseId: r.caseId,
                    expectedVersion: r.expectedVersion,
                    actualVersion: events.length
                  })
                )
              : m.eventStore.append(r)
          )
      }
    }),
    { caughtBy: "a retry returns the first result with replayed: true and writes nothing", model: true }
  ],
  [
    "readAfter includes the position itself",
    (m) => ({ store: { readAfter: (p, l) => m.eventStore.readAfter(Math.max(0, p - 1), l) } }),
    { caughtBy: "readAfter pages by position and limit", model: true }
  ],
  [
    "erasure forgets the subject (NotFound instead of IdentityErased)",
    (m) => {
      const erased = new Set<string>()
      return {
        vault: {
          erase: (s) => Effect.tap(m.identityVault.erase(s), () => Effect.sync(() => erased.add(s))),
          put: (s, i) => Effect.tap(m.identityVault.put(s, i), () => Effect.sync(() => erased.delete(s))),
          get: (s) =>
            erased.has(s) ? Effect.fail(new StorageError.NotFound({ what: "identity", id: s })) : m.identityVault.get(s)
        }
      }
    },
    {
      caughtBy: "erase: get fails with IdentityErased; events, index and other identities are untouched",
      model: true
    }
  ],
  [
    "verify stops counting at the first break",
    (m) => ({
      store: {
        verify: (c) =>
          Effect.map(m.eventStore.verify(c), (r) =>
            r.firstBreak === undefined ? r : { ...r, events: r.firstBreak.version }
          )
      }
    }),
    { caughtBy: "verify reports the first tampered row as a hash-mismatch break" }
  ],
  [
    "counts leave out the none groups",
    (m) => ({
      index: {
        count: (q) =>
          Effect.map(m.caseIndex.count(q), (rows) => rows.filter((r) => !Object.values(r.key).includes("none")))
      }
    }),
    { caughtBy: "counts: the NTB table of seed 003 (SPPA role and concern within region 52)", model: true }
  ],
  [
    "a replay says replayed: false",
    (m) => ({ store: { append: (r) => Effect.map(m.eventStore.append(r), (x) => ({ ...x, replayed: false })) } }),
    { caughtBy: "a retry returns the first result with replayed: true and writes nothing", model: true }
  ],
  [
    "a corrupted row is a defect",
    (m) => ({ store: { load: (c) => Effect.orDie(m.eventStore.load(c)) } }),
    { caughtBy: "text that is not JSON: load, readAfter and verify report it; other cases and the index still work" }
  ],
  [
    "regionDepth is ignored",
    (m) => ({ index: { count: (q) => m.caseIndex.count({ ...q, regionDepth: 2 }) } }),
    { caughtBy: "counts: regions grouped at every depth", model: true }
  ],
  [
    "idempotency keys are not found",
    () => ({ store: { idempotency: () => Effect.succeed(Option.none()) } }),
    { caughtBy: "the key is recorded with what the append wrote", model: true }
  ],
  [
    "a checkpoint is written only once",
    (m) => {
      const seen = new Set<string>()
      return {
        checkpoints: {
          set: (n, p) =>
            seen.has(n) ? Effect.void : Effect.tap(m.checkpoints.set(n, p), () => Effect.sync(() => seen.add(n)))
        }
      }
    },
    { caughtBy: "an unset checkpoint is 0; set overwrites; names are independent", model: true }
  ],
  [
    "a stages filter uses only its first stage",
    (m) => ({
      index: {
        query: (q) =>
          m.caseIndex.query({
            ...q,
            filter: { ...q.filter, ...(q.filter.stages ? { stages: q.filter.stages.slice(0, 1) } : {}) }
          })
      }
    }),
    { caughtBy: "query by stages: reported or outreach" }
  ],
  [
    "load returns at most six events",
    (m) => ({ store: { load: (c) => Effect.map(m.eventStore.load(c), (events) => events.slice(0, 6)) } }),
    { caughtBy: "append to a new case, then load it back in version order", model: true }
  ],
  [
    "a full last page announces a next page",
    (m) => ({
      index: {
        query: (q) =>
          Effect.map(m.caseIndex.query(q), (p) => {
            const last = p.entries.at(-1)
            return p.entries.length === q.limit && last !== undefined ? { ...p, next: last.caseId } : p
          })
      }
    }),
    { caughtBy: "pagination: cursors walk every match once, in order; the last page has no cursor", model: true }
  ],
  [
    "a racing retry of a written request answers VersionConflict (the version is checked before the key)",
    (m) => ({
      store: {
        append: (r) =>
          Effect.flatMap(Effect.orDie(m.eventStore.load(r.caseId)), (events) =>
            events.length !== r.expectedVersion && r.events.length > 0 && r.expectedVersion >= 0
              ? Effect.fail(
                  new StorageError.VersionConflict({
                    caseId: r.caseId,
                    expectedVersion: r.expectedVersion,
                    actualVersion: events.length
                  })
                )
              : m.eventStore.append(r)
          )
      }
    }),
    {
      caughtBy: "8 racing retries of one idempotent registration (a new case): one write, every caller succeeds"
    }
  ],
  [
    "the subject filter is ignored",
    (m) => ({
      index: {
        query: (q) => {
          const { subject: _, ...rest } = q.filter
          return m.caseIndex.query({ ...q, filter: rest })
        },
        count: (q) => {
          const { subject: _, ...rest } = q.filter
          return m.caseIndex.count({ ...q, filter: rest })
        }
      }
    }),
    { caughtBy: "query by subject", model: true }
  ],
  [
    "the subject filter ignores letter case",
    (m) => ({
      index: {
        query: (q) =>
          Effect.map(all(m), (entries) => {
            const { subject, ...rest } = q.filter
            const same = entries.filter(
              (e) => subject === undefined || e.subject.toLowerCase() === subject.toLowerCase()
            )
            return CaseIndex.page(same, { ...q, filter: rest })
          })
      }
    }),
    { caughtBy: "query and count by subject: every case of the subject, by exact equality of the id" }
  ],
  [
    "the access trail comes back newest first",
    (m) => ({ vault: { accesses: (s) => Effect.map(m.identityVault.accesses(s), (trail) => [...trail].reverse()) } }),
    {
      caughtBy: "access trail: every operation, purpose and role round-trips, in recording order, each subject apart",
      model: true
    }
  ],
  [
    "the access trail is sorted by instant",
    (m) => ({
      vault: {
        accesses: (s) =>
          Effect.map(m.identityVault.accesses(s), (trail) =>
            [...trail].sort((a, b) => DateTime.toEpochMillis(a.at) - DateTime.toEpochMillis(b.at))
          )
      }
    }),
    {
      caughtBy: "access trail: an instant earlier than the last one recorded still goes last (recording order)",
      model: true
    }
  ],
  [
    "erasure drops the access trail",
    (m) => {
      const erasedAt = new Map<string, number>()
      return {
        vault: {
          erase: (s) =>
            Effect.tap(m.identityVault.erase(s), () =>
              Effect.map(m.identityVault.accesses(s), (trail) => {
                erasedAt.set(s, trail.length)
              })
            ),
          accesses: (s) => Effect.map(m.identityVault.accesses(s), (trail) => trail.slice(erasedAt.get(s) ?? 0))
        }
      }
    },
    {
      caughtBy: "access trail: erasing the identity keeps the trail; the erasure and later accesses are recorded",
      model: true
    }
  ],
  [
    "a due refresh ignores the version it was computed at (it overwrites a later append's instants)",
    (m) => ({
      store: {
        refreshDue: (refresh) =>
          m.caseIndex.get(refresh.caseId).pipe(
            Effect.map((entry) => entry.version),
            Effect.catchTag("NotFound", () => Effect.succeed(refresh.version)),
            Effect.orDie,
            Effect.flatMap((version) => m.eventStore.refreshDue({ ...refresh, version }))
          )
      }
    }),
    {
      caughtBy: "a refresh at another version writes nothing: an append's entry is never overwritten",
      model: true
    }
  ],
  [
    "a due refresh checks the version, then writes in a second step (an append can come between)",
    (m) => ({
      store: {
        refreshDue: (refresh) =>
          m.caseIndex.get(refresh.caseId).pipe(
            Effect.map((entry) => entry.version === refresh.version),
            Effect.catchTag("NotFound", () => Effect.succeed(false)),
            Effect.orDie,
            Effect.flatMap((current) =>
              current
                ? Effect.yieldNow.pipe(
                    Effect.andThen(m.caseIndex.get(refresh.caseId)),
                    Effect.orDie,
                    Effect.flatMap((entry) => m.eventStore.refreshDue({ ...refresh, version: entry.version }))
                  )
                : m.eventStore.refreshDue(refresh)
            )
          )
      }
    }),
    { caughtBy: "refreshes racing appends of one case: the last append's entry always stands", model: false }
  ],
  [
    "the access trail drops a record made at the same instant as another",
    (m) => ({
      vault: {
        accesses: (s) =>
          Effect.map(m.identityVault.accesses(s), (trail) =>
            trail.filter(
              (a, i) =>
                trail.findIndex(
                  (b) => DateTime.toEpochMillis(b.at) === DateTime.toEpochMillis(a.at) && b.actor === a.actor
                ) === i
            )
          )
      }
    }),
    {
      caughtBy: "access trail: every operation, purpose and role round-trips, in recording order, each subject apart",
      model: true
    }
  ],
  [
    "appendAll keeps what it wrote before a refused request",
    (m) => ({
      store: {
        appendAll: (requests) =>
          Result.isFailure(EventStore.checkRequests(requests))
            ? m.eventStore.appendAll(requests)
            : Effect.forEach(requests, (request) => m.eventStore.append(request))
      }
    }),
    { caughtBy: "the first request append would refuse refuses the whole call, and nothing is written", model: true }
  ],
  [
    "appendAll answers a replayed request as written",
    (m) => ({
      store: {
        appendAll: (requests) =>
          Effect.map(m.eventStore.appendAll(requests), (results) => results.map((r) => ({ ...r, replayed: false })))
      }
    }),
    { caughtBy: "several requests of one case in one call, and keys that replay", model: true }
  ],
  [
    "the hashes are not chained",
    (m) => ({
      store: {
        readAfter: (p, l) =>
          Effect.map(m.eventStore.readAfter(p, l), (events) => events.map((e) => ({ ...e, previousHash: "0" })))
      }
    }),
    { caughtBy: "readAfter returns every event once, in position order, with its integrity hashes", model: true }
  ]
]

describe("the suite catches broken stores", () => {
  it("collects every test of the suite", () => {
    expect(tests.length).toBeGreaterThan(50)
  })

  it.effect("the unbroken memory store passes every collected test", () =>
    Effect.map(failures(MemoryStore.layerTesting), (failed) => expect(failed).toEqual([]))
  )

  for (const [bug, plant, { caughtBy, model }] of mutants) {
    it.live(`${bug}: caught by "${caughtBy}"${model ? " and by the model-based test" : ""}`, () =>
      Effect.gen(function* () {
        const layer = broken(plant)
        expect(yield* passes(named(caughtBy), layer)).toBe(false)
        if (model) expect(yield* modelCatches(layer), "the model-based test misses it").toBe(true)
      })
    )
  }
})
