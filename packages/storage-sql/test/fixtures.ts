/**
 * Cases for the SQL adapter's own tests, made the way the application makes them: commands decided by the core
 * decider, folded into state, projected into index entries.
 */
import {
  Actor,
  Agency,
  Case,
  CaseCommand,
  type CaseEvent,
  CaseIndex,
  Decider,
  type EventStore,
  Subject
} from "@lindung/core"
import { DateTime, Result, Schema } from "effect"

export const padang = Agency.make({
  id: "dinsos-13.71",
  kind: "dinsos",
  name: "Dinas Sosial Kota Padang",
  region: "13.71",
  dinasType: "A"
})
export const agencies = Agency.directory([padang])
export const intake = Actor.make({
  id: "intake-padang",
  role: "intake-officer",
  agency: "dinsos-13.71",
  region: "13.71"
})
export const worker = Actor.make({ id: "peksos-1", role: "caseworker", agency: "dinsos-13.71", region: "13.71" })
export const kasi = Actor.make({
  id: "kasi-padang",
  role: "supervisor",
  position: "kasi",
  agency: "dinsos-13.71",
  region: "13.71"
})

export const command = (json: Record<string, unknown>): CaseCommand.Command =>
  Schema.decodeUnknownSync(CaseCommand.Command)(json)

/** A case's history so far. */
export interface Story {
  readonly caseId: string
  readonly state: Case.State
  readonly events: ReadonlyArray<CaseEvent.Envelope>
}

/** Decides one command; returns the append request for it and the next story. */
export const decide = (
  story: Story,
  actor: Actor.Actor,
  iso: string,
  fields: Record<string, unknown>
): { readonly request: EventStore.AppendRequest; readonly next: Story } => {
  const now = DateTime.makeUnsafe(iso)
  const result = Decider.decide(story.state, command({ caseId: story.caseId, ...fields }), { now, actor, agencies })
  if (Result.isFailure(result)) throw new Error(result.failure.message)
  const state = Case.fold(result.success, story.state)
  if (state._tag !== "Case") throw new Error("empty case")
  return {
    request: {
      caseId: state.id,
      expectedVersion: story.state.version,
      events: result.success,
      index: CaseIndex.project(state)
    },
    next: { caseId: story.caseId, state, events: [...story.events, ...result.success] }
  }
}

export const newStory = (caseId: string): Story => ({ caseId, state: Case.initialState, events: [] })

/** The first append of a case: a registration in Padang. */
export const register = (caseId: string, subject = `subject-${caseId}`) =>
  decide(newStory(caseId), intake, "2026-03-01T02:00:00Z", {
    _tag: "RegisterReport",
    subject,
    sex: "female",
    birthDate: "2014-05-10",
    region: "13.71.01",
    owner: "dinsos-13.71",
    source: "agency",
    concerns: ["sexual-violence", "perpetrator-has-access"]
  })

/** Registration, then assignment of a caseworker (a second append). */
export const registerAndAssign = (caseId: string) => {
  const first = register(caseId)
  const second = decide(first.next, kasi, "2026-03-01T03:00:00Z", { _tag: "AssignCaseworker", caseworker: "peksos-1" })
  return [first, second] as const
}

/** An identity with a sentinel name that tests search for in raw storage. */
export const identity = (name: string): Subject.Identity =>
  Schema.decodeUnknownSync(Subject.IdentityFromValues)({
    name,
    nik: "1371010101140001",
    familyNames: [`${name} Ibu`],
    address: "Jl. Sudirman 1, Padang"
  })
