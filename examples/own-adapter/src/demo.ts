/** A report, its retry and a command through the case service on the adapter: what reaches the archive. */
import { Agency, CaseModel, CaseService, Directory, Person, type PublicEvent, Region } from "@lindung/core"
import { MemoryStore } from "@lindung/storage-memory"
import { Clock, Effect, Layer, Result, Schema } from "effect"
import { layer, memoryArchive } from "./ArchivedStore.ts"

const padang = Agency.make({ id: "dinsos-13.71", kind: "dinsos", name: "Dinas Sosial Kota Padang", region: "13.71" })
const people = [
  Person.make({ id: "petugas-penerima-1", agency: padang.id, role: "intake-officer" }),
  Person.make({ id: "kasi-rehsos-1", agency: padang.id, role: "supervisor", position: "kasi" })
]
const directory = Result.getOrThrow(Directory.make([padang], people))
const intake = Person.actorOf(people[0] as Person.Person, padang)
const kasi = Person.actorOf(people[1] as Person.Person, padang)

/** A clock that reads a fixed instant (the demo's output does not depend on today). */
export const fixed = (iso: string): Clock.Clock => {
  const millis = Date.parse(iso)
  return {
    currentTimeMillisUnsafe: () => millis,
    currentTimeMillis: Effect.succeed(millis),
    currentTimeNanosUnsafe: () => BigInt(millis) * 1_000_000n,
    currentTimeNanos: Effect.succeed(BigInt(millis) * 1_000_000n),
    monotonicTimeNanosUnsafe: () => BigInt(millis) * 1_000_000n,
    monotonicTimeNanos: Effect.succeed(BigInt(millis) * 1_000_000n),
    sleep: () => Effect.void
  }
}

/** Runs the demo at 3 March 2025, 09:00 WIB; returns what the archive received. */
export const demo = async (): Promise<ReadonlyArray<PublicEvent.Encoded>> => {
  const { archive, events } = memoryArchive()
  const services = CaseService.layer().pipe(
    Layer.provideMerge(Directory.layer(directory)),
    Layer.provideMerge(layer(archive).pipe(Layer.provideMerge(MemoryStore.layer)))
  )
  const program = Effect.gen(function* () {
    const cases = yield* CaseService.CaseService
    const report: CaseService.Report = {
      caseId: Schema.decodeSync(CaseModel.CaseId)("kasus-arsip-1"),
      sex: "female",
      ageAtReport: 11,
      region: Region.decodeSync("13.71"),
      owner: padang.id,
      source: "school",
      concerns: ["out-of-school"]
    }
    const registered = yield* cases.register(intake, report, { idempotencyKey: "laporan-1" })
    // A retry of the same request: answered from the record, nothing written, nothing archived again.
    yield* cases.register(intake, report, { idempotencyKey: "laporan-1" })
    yield* cases.execute(kasi, { _tag: "AssignCaseworker", caseId: registered.state.id, caseworker: kasi.id })
  })
  await Effect.runPromise(
    program.pipe(Effect.provide(services), Effect.provideService(Clock.Clock, fixed("2025-03-03T02:00:00Z")))
  )
  return events
}
