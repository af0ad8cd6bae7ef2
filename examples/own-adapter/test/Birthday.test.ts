/**
 * The archive numbers a case's events as the stream does: a child's 18th birthday (withheld: its moment is the birth
 * date) is never archived and leaves no gap in the versions. An append whose case history cannot be read archives
 * nothing, and says so in the log.
 */
import {
  type Actor,
  Agency,
  CalendarDate,
  Case,
  CaseCommand,
  CaseIndex,
  CaseModel,
  CaseService,
  Decider,
  Directory,
  EventStore,
  Person,
  Region,
  StorageError
} from "@lindung/core"
import { MemoryStore } from "@lindung/storage-memory"
import { Clock, DateTime, Effect, Layer, Logger, Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { layer, memoryArchive } from "../src/ArchivedStore.ts"
import { fixed } from "../src/demo.ts"

const padang = Agency.make({ id: "dinsos-13.71", kind: "dinsos", name: "Dinas Sosial Kota Padang", region: "13.71" })
const people = [
  Person.make({ id: "petugas-penerima-1", agency: padang.id, role: "intake-officer" }),
  Person.make({ id: "kasi-rehsos-1", agency: padang.id, role: "supervisor", position: "kasi" }),
  Person.make({ id: "penjadwal", agency: padang.id, role: "system" })
]
const directory = Result.getOrThrow(Directory.make([padang], people))
const [intake, kasi, system] = people.map((person) => Person.actorOf(person, padang)) as [
  Actor.Actor,
  Actor.Actor,
  Actor.Actor
]

const caseId = Schema.decodeSync(CaseModel.CaseId)("kasus-18")
const report: CaseService.Report = {
  caseId,
  sex: "male",
  birthDate: CalendarDate.decodeSync("2007-03-06"),
  region: Region.decodeSync("13.71"),
  owner: padang.id,
  source: "school",
  concerns: ["out-of-school"]
}

describe("the archive and a child's 18th birthday", () => {
  it("archives the case's other events numbered 1, 2, 3: no gap tells the birthday", async () => {
    const { archive, events } = memoryArchive()
    const services = CaseService.layer().pipe(
      Layer.provideMerge(Directory.layer(directory)),
      Layer.provideMerge(layer(archive).pipe(Layer.provideMerge(MemoryStore.layer)))
    )
    // A boy of 17 reported on 3 March 2025, assigned; his 18th birthday, recorded by the scheduler at the start of
    // 6 March in Padang; then work goes on.
    const program = Effect.gen(function* () {
      const cases = yield* CaseService.CaseService
      const when = (iso: string) => Effect.provideService(Clock.Clock, fixed(iso))
      yield* when("2025-03-03T02:00:00Z")(cases.register(intake, report))
      yield* when("2025-03-03T03:00:00Z")(
        cases.execute(kasi, { _tag: "AssignCaseworker", caseId, caseworker: kasi.id })
      )
      yield* when("2025-03-05T17:01:00Z")(cases.execute(system, { _tag: "Tick", caseId }))
      yield* when("2025-03-07T02:00:00Z")(
        cases.execute(kasi, { _tag: "UnassignCaseworker", caseId, caseworker: kasi.id })
      )
      return yield* cases.history(kasi, caseId)
    })
    const history = await Effect.runPromise(program.pipe(Effect.provide(services)))
    expect(history.map((event) => event.type)).toEqual([
      "ReportRegistered",
      "CaseworkerAssigned",
      "AdulthoodReached",
      "CaseworkerUnassigned"
    ])
    expect(events.map((event) => [event.type, event.eventId, event.version])).toEqual([
      ["ReportRegistered", "kasus-18:1", 1],
      ["CaseworkerAssigned", "kasus-18:2", 2],
      ["CaseworkerUnassigned", "kasus-18:3", 3]
    ])
  })

  it("archives nothing of an append whose case history cannot be read, and says so in the log", async () => {
    const { archive, events } = memoryArchive()
    // The store below answers every read of a history with an outage; its appends work.
    const unreadable = Layer.effect(EventStore.EventStore)(
      Effect.map(EventStore.EventStore, (store) =>
        EventStore.EventStore.of({
          ...store,
          load: () =>
            Effect.fail(new StorageError.StorageUnavailable({ operation: "load", detail: "test", retryable: true }))
        })
      )
    ).pipe(Layer.provide(MemoryStore.layer))
    const lines: Array<string> = []
    const capture = Logger.layer([Logger.map(Logger.formatJson, (line) => void lines.push(line))])
    const now = DateTime.makeUnsafe("2025-03-03T02:00:00Z")
    const agencies = Agency.directory([padang])
    const decided = (state: Case.State, command: CaseCommand.Command, actor: Actor.Actor) => {
      const events = Result.getOrThrow(Decider.decide(state, command, { now, actor, agencies }))
      const after = Case.fold(events, state) as Case.Case
      return { events, after, index: CaseIndex.project(after) }
    }
    const registration = decided(
      Case.initialState,
      Result.getOrThrow(CaseCommand.decode({ _tag: "RegisterReport", subject: "subjek-18", ...report })),
      intake
    )
    const assignment = decided(
      registration.after,
      Result.getOrThrow(CaseCommand.decode({ _tag: "AssignCaseworker", caseId, caseworker: kasi.id })),
      kasi
    )
    const program = Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      // The registration began the case: nothing to read, archived.
      yield* store.append({ caseId, expectedVersion: 0, events: registration.events, index: registration.index })
      // The assignment needs the history before it, which cannot be read: written, not archived, logged.
      const written = yield* store.append({
        caseId,
        expectedVersion: 1,
        events: assignment.events,
        index: assignment.index
      })
      return written.toVersion
    })
    const toVersion = await Effect.runPromise(
      program.pipe(Effect.provide(layer(archive).pipe(Layer.provideMerge(unreadable))), Effect.provide(capture))
    )
    expect(toVersion).toBe(2)
    expect(events.map((event) => event.eventId)).toEqual(["kasus-18:1"])
    expect(lines.join("\n")).toMatch(/history could not be read/)
    expect(lines.join("\n")).toMatch(/StorageUnavailable/)
    expect(lines.join("\n")).toContain("kasus-18")
  })
})
