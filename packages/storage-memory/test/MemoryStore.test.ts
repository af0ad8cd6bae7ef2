/**
 * Unit tests of the memory store beyond the conformance suite (which `@lindung/storage-testkit` runs against it in
 * its own `test/Memory.test.ts`): fresh stores per build, the test hooks, copies in and out, requests that do not
 * encode, and the case repository running on it the way other packages' unit tests use it.
 */
import { describe, expect, it } from "@effect/vitest"
import {
  Actor,
  Agency,
  Case,
  CaseCommand,
  CaseIndex,
  CaseModel,
  CaseRepository,
  Checkpoints,
  Decider,
  EventStore,
  ExportLog,
  IdentityVault,
  Subject
} from "@lindung/core"
import { layerMemory, MemoryStore, makeMemory } from "@lindung/storage-memory"
import { DateTime, Effect, Layer, Option, Redacted, Result, Schema } from "effect"
import { TestClock } from "effect/testing"

const agency = Agency.make({
  id: "dinsos-52.71",
  kind: "dinsos",
  name: "Dinas Sosial Kota Mataram",
  region: "52.71",
  dinasType: "B"
})
const agencies = Agency.directory([agency])
const intake = Actor.make({ id: "intake-1", role: "intake-officer", agency: agency.id, region: "52.71" })
const supervisor = Actor.make({
  id: "kabid-1",
  role: "supervisor",
  position: "kabid-rehsos",
  agency: agency.id,
  region: "52.71"
})
const caseId = CaseModel.CaseId.make("case-1")
const now = DateTime.makeUnsafe("2025-03-01T02:00:00Z")

const command = (json: Record<string, unknown>) =>
  Schema.decodeUnknownSync(CaseCommand.Command)({ caseId: "case-1", ...json })

const register = command({
  _tag: "RegisterReport",
  subject: "subj-1",
  sex: "female",
  ageAtReport: 11,
  region: "52.71.01",
  owner: "dinsos-52.71",
  source: "hotline",
  concerns: []
})

/** The append request of a command decided on `state`. */
const decided = (state: Case.State, cmd: CaseCommand.Command, actor: Actor.Actor): EventStore.AppendRequest => {
  const result = Decider.decide(state, cmd, { now, actor, agencies })
  if (Result.isFailure(result)) throw new Error(result.failure.message)
  const next = Case.fold(result.success, state)
  if (next._tag !== "Case") throw new Error("no case")
  return { caseId, expectedVersion: state.version, events: result.success, index: CaseIndex.project(next) }
}

const first = decided(Case.initialState, register, intake)

describe("MemoryStore: fresh stores", () => {
  it.effect("each build of the layer is a new, empty store", () =>
    Effect.gen(function* () {
      const appended = Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        yield* store.append(first)
        return (yield* store.readAfter(0, 10)).length
      })
      expect(yield* appended.pipe(Effect.provide(layerMemory))).toBe(1)
      expect(yield* appended.pipe(Effect.provide(layerMemory))).toBe(1)
    })
  )

  it.effect("one layer build serves all five ports from the same store", () =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      const index = yield* CaseIndex.CaseIndex
      yield* store.append(first)
      expect((yield* index.get(caseId)).version).toBe(1)
      const checkpoints = yield* Checkpoints.Checkpoints
      yield* checkpoints.set("relay", 1)
      expect(yield* (yield* Checkpoints.Checkpoints).get("relay")).toBe(1)
      expect(yield* (yield* ExportLog.ExportLog).list(10)).toEqual([])
    }).pipe(Effect.provide(layerMemory))
  )

  it.effect("makeMemory returns the services and a context to provide", () =>
    Effect.gen(function* () {
      const memory = yield* makeMemory
      yield* memory.eventStore.append(first)
      const viaContext = yield* Effect.provide(
        Effect.flatMap(EventStore.EventStore, (store) => store.load(caseId)),
        memory.context
      )
      expect(viaContext.length).toBe(1)
      const other = yield* makeMemory
      expect(yield* other.eventStore.load(caseId)).toEqual([])
    })
  )
})

describe("MemoryStore: the Testing hooks", () => {
  it.effect("tamper and corrupt of a missing row fail with NotFound", () =>
    Effect.gen(function* () {
      const missing = yield* Effect.flip(MemoryStore.tamper("case-1", 1, (e) => e))
      expect(missing).toMatchObject({ _tag: "NotFound", what: "case", id: "case case-1 version 1" })
      const store = yield* EventStore.EventStore
      yield* store.append(first)
      const beyond = yield* Effect.flip(MemoryStore.corrupt("case-1", 2, "x"))
      expect(beyond._tag).toBe("NotFound")
    }).pipe(Effect.provide(MemoryStore.layerTesting))
  )

  it.effect("an outage can end: operations work again afterwards", () =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      yield* MemoryStore.outage(true)
      const down = yield* Effect.flip(store.append(first))
      expect(down).toMatchObject({ _tag: "StorageUnavailable", operation: "EventStore.append", retryable: true })
      yield* MemoryStore.outage(false)
      expect((yield* store.append(first)).toVersion).toBe(1)
    }).pipe(Effect.provide(MemoryStore.layerTesting))
  )

  it.effect("a corrupted row is a CorruptedRecord with the case and version, and its detail", () =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      yield* store.append(first)
      yield* MemoryStore.corrupt("case-1", 1, "{not json")
      const error = yield* Effect.flip(store.load(caseId))
      expect(error).toMatchObject({ _tag: "CorruptedRecord", location: "case case-1 version 1" })
      expect(error.detail.length).toBeGreaterThan(0)
      expect(error.message).toContain("case case-1 version 1")
    }).pipe(Effect.provide(MemoryStore.layerTesting))
  )
})

describe("MemoryStore: copies in and out", () => {
  it.effect("changing a request after the append does not change what is stored", () =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      const index = yield* CaseIndex.CaseIndex
      const request = structuredCopy(first)
      yield* store.append(request)
      ;(request.index.assigned as unknown as Array<string>).push("intruder")
      ;(request.events as Array<unknown>).length = 0
      expect((yield* index.get(caseId)).assigned).toEqual([])
      expect((yield* store.load(caseId)).length).toBe(1)
    }).pipe(Effect.provide(layerMemory))
  )

  it.effect("an identity is copied in and out", () =>
    Effect.gen(function* () {
      const vault = yield* IdentityVault.IdentityVault
      const subject = Subject.SubjectId.make("subj-1")
      const identity = Schema.decodeUnknownSync(Subject.IdentityFromValues)({ name: "A", familyNames: ["B"] })
      yield* vault.put(subject, identity)
      ;(identity.familyNames as Array<Redacted.Redacted<string>>).push(Redacted.make("C"))
      const stored = yield* vault.get(subject)
      expect(stored.familyNames.map(Redacted.value)).toEqual(["B"])
      ;(stored.familyNames as Array<Redacted.Redacted<string>>).length = 0
      expect((yield* vault.get(subject)).familyNames.length).toBe(1)
    }).pipe(Effect.provide(layerMemory))
  )
})

describe("MemoryStore: the identity access trail", () => {
  const access = (operation: IdentityVault.Operation, minute: number): IdentityVault.AccessRecord => ({
    subject: Subject.SubjectId.make("subj-1"),
    caseId,
    actor: supervisor.id,
    role: supervisor.role,
    agency: agency.id,
    operation,
    purpose: "assessment",
    at: DateTime.makeUnsafe(Date.UTC(2025, 2, 1, 2, minute))
  })

  it.effect("the trail is handed out as a copy: changing the answer changes nothing stored", () =>
    Effect.gen(function* () {
      const vault = yield* IdentityVault.IdentityVault
      yield* vault.record(access("read", 0))
      const trail = yield* vault.accesses(Subject.SubjectId.make("subj-1"))
      ;(trail as Array<IdentityVault.AccessRecord>).length = 0
      expect((yield* vault.accesses(Subject.SubjectId.make("subj-1"))).length).toBe(1)
    }).pipe(Effect.provide(layerMemory))
  )

  it.effect("a value that is not an access record (types defeated) is a defect and is not stored", () =>
    Effect.gen(function* () {
      const vault = yield* IdentityVault.IdentityVault
      const bogus = { ...access("read", 0), purpose: "curiosity" } as unknown as IdentityVault.AccessRecord
      const exit = yield* Effect.exit(vault.record(bogus))
      expect(exit._tag === "Failure" && exit.cause.reasons.some((reason) => reason._tag === "Die")).toBe(true)
      expect(yield* vault.accesses(Subject.SubjectId.make("subj-1"))).toEqual([])
    }).pipe(Effect.provide(layerMemory))
  )

  it.effect("during an outage record and accesses fail with StorageUnavailable and record stores nothing", () =>
    Effect.gen(function* () {
      const vault = yield* IdentityVault.IdentityVault
      yield* MemoryStore.outage(true)
      const failed = yield* Effect.flip(vault.record(access("erase", 1)))
      expect(failed).toMatchObject({ _tag: "StorageUnavailable", operation: "IdentityVault.record" })
      const unread = yield* Effect.flip(vault.accesses(Subject.SubjectId.make("subj-1")))
      expect(unread).toMatchObject({ _tag: "StorageUnavailable", operation: "IdentityVault.accesses" })
      yield* MemoryStore.outage(false)
      expect(yield* vault.accesses(Subject.SubjectId.make("subj-1"))).toEqual([])
    }).pipe(Effect.provide(MemoryStore.layerTesting))
  )
})

describe("MemoryStore: odd input", () => {
  it.effect("a request whose index entry does not encode is InvalidInput and writes nothing", () =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      const broken = { ...first, index: { ...first.index, ageBand: "not-a-band" as never } }
      const error = yield* Effect.flip(store.append(broken))
      expect(error._tag).toBe("InvalidInput")
      expect(yield* store.readAfter(0, 10)).toEqual([])
      expect(Option.isNone(yield* store.idempotency("k"))).toBe(true)
    }).pipe(Effect.provide(layerMemory))
  )

  it.effect("readAfter refuses a limit of 0 or less, or a negative position, with InvalidInput", () =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      yield* store.append(first)
      expect((yield* Effect.flip(store.readAfter(0, 0)))._tag).toBe("InvalidInput")
      expect((yield* Effect.flip(store.readAfter(0, -5)))._tag).toBe("InvalidInput")
      expect((yield* Effect.flip(store.readAfter(-10, 10)))._tag).toBe("InvalidInput")
      expect((yield* store.readAfter(0, 10)).length).toBe(1)
    }).pipe(Effect.provide(layerMemory))
  )
})

describe("MemoryStore under the case repository", () => {
  const layer = CaseRepository.layer({ agencies }).pipe(Layer.provideMerge(layerMemory))

  it.effect("executes commands, writes the index, and replays a retried request", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(DateTime.toEpochMillis(now))
      const repository = yield* CaseRepository.CaseRepository
      yield* repository.execute(register, intake)
      const assign = command({ _tag: "AssignCaseworker", caseworker: "peksos-1" })
      const once = yield* repository.execute(assign, supervisor, { idempotencyKey: "req-1" })
      const again = yield* repository.execute(assign, supervisor, { idempotencyKey: "req-1" })
      expect(once.replayed).toBe(false)
      expect(again.replayed).toBe(true)
      expect(again.events.map((e) => e.eventId)).toEqual(once.events.map((e) => e.eventId))
      const entry = yield* (yield* CaseIndex.CaseIndex).get(caseId)
      expect(entry).toMatchObject({ version: 2, assigned: ["peksos-1"], region: "52.71.01" })
      const state = yield* repository.load(caseId)
      expect(state.version).toBe(2)
    }).pipe(Effect.provide(layer))
  )

  it.effect("two repositories racing on one case: both commands land, one after the other", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(DateTime.toEpochMillis(now))
      const repository = yield* CaseRepository.CaseRepository
      yield* repository.execute(register, intake)
      yield* Effect.all(
        ["peksos-1", "peksos-2", "peksos-3"].map((worker) =>
          repository.execute(command({ _tag: "AssignCaseworker", caseworker: worker }), supervisor)
        ),
        { concurrency: "unbounded" }
      )
      const state = yield* repository.load(caseId)
      expect(state._tag === "Case" ? [...state.assigned].sort() : []).toEqual(["peksos-1", "peksos-2", "peksos-3"])
      expect((yield* (yield* EventStore.EventStore).verify()).firstBreak).toBeUndefined()
    }).pipe(Effect.provide(layer))
  )
})

/** A deep copy of a request that keeps class instances (DateTime) intact: arrays and plain objects are copied. */
function structuredCopy(request: EventStore.AppendRequest): EventStore.AppendRequest {
  return {
    ...request,
    events: [...request.events],
    index: { ...request.index, assigned: [...request.index.assigned] }
  }
}
