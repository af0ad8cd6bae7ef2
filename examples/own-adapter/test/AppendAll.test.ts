/** The bulk path of the adapter: each new event archived once, a replayed request's events not again. */
import { Actor, Agency, Case, CaseCommand, CaseIndex, Decider, EventStore } from "@lindung/core"
import { MemoryStore } from "@lindung/storage-memory"
import { DateTime, Effect, Layer, Result } from "effect"
import { describe, expect, it } from "vitest"
import { layer, memoryArchive } from "../src/ArchivedStore.ts"

const padang = Agency.make({ id: "dinsos-13.71", kind: "dinsos", name: "Dinas Sosial Kota Padang", region: "13.71" })
const intake = Actor.make({ id: "petugas-penerima-1", role: "intake-officer", agency: padang.id, region: "13.71" })
const now = DateTime.makeUnsafe("2025-03-03T02:00:00Z")

/** A registration as a request to the store, with an idempotency key. */
const request = (caseId: string): EventStore.AppendRequest => {
  const command = Result.getOrThrow(
    CaseCommand.decode({
      _tag: "RegisterReport",
      caseId,
      subject: `subjek-${caseId}`,
      sex: "male",
      ageAtReport: 12,
      region: "13.71",
      owner: padang.id,
      source: "school",
      concerns: ["out-of-school"]
    })
  )
  const events = Result.getOrThrow(
    Decider.decide(Case.initialState, command, { now, actor: intake, agencies: Agency.directory([padang]) })
  )
  const state = Case.fold(events) as Case.Case
  return {
    caseId: state.id,
    expectedVersion: 0,
    events,
    index: CaseIndex.project(state),
    idempotency: { key: `kunci-${caseId}`, fingerprint: `sidik-${caseId}` }
  }
}

describe("appendAll through the adapter", () => {
  it("archives the events of the new requests only", async () => {
    const { archive, events } = memoryArchive()
    const program = Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      yield* store.appendAll([request("kasus-a")])
      // Again with the first request (answered from its record) and a new one.
      const results = yield* store.appendAll([request("kasus-a"), request("kasus-b")])
      return results.map((result) => result.replayed)
    })
    const replayed = await Effect.runPromise(
      program.pipe(Effect.provide(layer(archive).pipe(Layer.provideMerge(MemoryStore.layer))))
    )
    expect(replayed).toEqual([true, false])
    expect(events.map((event) => event.eventId)).toEqual(["kasus-a:1", "kasus-b:1"])
  })
})
