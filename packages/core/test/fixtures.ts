/**
 * Agencies and people of the seed stories, and a small driver that runs commands through the decider the way a
 * repository would (decide, then evolve), failing loudly when a step is rejected.
 */
import { DateTime, Result, Schema } from "effect"
import * as Actor from "../src/Actor.js"
import * as Agency from "../src/Agency.js"
import * as Case from "../src/Case.js"
import type * as CaseCommand from "../src/CaseCommand.js"
import * as CaseCommandSchema from "../src/CaseCommand.js"
import type * as CaseEvent from "../src/CaseEvent.js"
import * as Decider from "../src/Decider.js"
import type * as Rejection from "../src/Rejection.js"

export const agencies = {
  sentraHandayani: Agency.make({ id: "sentra-handayani", kind: "sentra", name: "Sentra Handayani", region: "ID" }),
  dinsosPadang: Agency.make({
    id: "dinsos-13.71",
    kind: "dinsos",
    name: "Dinas Sosial Kota Padang",
    region: "13.71",
    dinasType: "A"
  }),
  dinsosSumbar: Agency.make({
    id: "dinsos-13",
    kind: "dinsos",
    name: "Dinas Sosial Provinsi Sumatera Barat",
    region: "13",
    dinasType: "A"
  }),
  uptdTriMurni: Agency.make({ id: "uptd-psaa-tri-murni", kind: "uptd", name: "UPTD PSAA Tri Murni", region: "13" }),
  lpksLubukMinturun: Agency.make({
    id: "lpks-lubuk-minturun",
    kind: "lpks",
    name: "LPKS Lubuk Minturun",
    region: "13.71"
  }),
  disdikPadang: Agency.make({
    id: "disdik-13.71",
    kind: "education",
    name: "Dinas Pendidikan Kota Padang",
    region: "13.71"
  }),
  dukcapilPadang: Agency.make({
    id: "dukcapil-13.71",
    kind: "dukcapil",
    name: "Dukcapil Kota Padang",
    region: "13.71"
  }),
  lpaPadang: Agency.make({ id: "lpa-13.71", kind: "lpa", name: "LPA Kota Padang", region: "13.71" }),
  bapasPadang: Agency.make({ id: "bapas-padang", kind: "bapas", name: "Bapas Kelas I Padang", region: "13" }),
  uppaPadang: Agency.make({
    id: "polresta-padang-uppa",
    kind: "police",
    name: "UPPA Polresta Padang",
    region: "13.71"
  }),
  kejariPadang: Agency.make({
    id: "kejari-padang",
    kind: "prosecutor",
    name: "Kejaksaan Negeri Padang",
    region: "13.71"
  }),
  pnPadang: Agency.make({ id: "pn-padang", kind: "court", name: "Pengadilan Negeri Padang", region: "13.71" }),
  lpkaTanjungPati: Agency.make({
    id: "lpka-tanjung-pati",
    kind: "lpka",
    name: "LPKA Kelas II Tanjung Pati",
    region: "13"
  }),
  dinsosBalikpapan: Agency.make({
    id: "dinsos-64.71",
    kind: "dinsos",
    name: "Dinas Sosial Kota Balikpapan",
    region: "64.71",
    dinasType: "B"
  }),
  dinsosNtb: Agency.make({
    id: "dinsos-52",
    kind: "dinsos",
    name: "Dinas Sosial Provinsi NTB",
    region: "52",
    dinasType: "A"
  }),
  dinsosMerged: Agency.make({
    id: "dinsos-merged-91.01",
    kind: "dinsos",
    name: "Dinas Sosial, PPPA dan PMD (merged)",
    region: "91.01",
    dinasType: "merged"
  })
} as const

export const directory = Agency.directory(Object.values(agencies))

export const people = {
  sentraWorker: Actor.make({ id: "peksos-sentra-1", role: "caseworker", agency: "sentra-handayani", region: "ID" }),
  sentraHead: Actor.make({
    id: "kepala-sentra",
    role: "supervisor",
    position: "kepala-unit",
    agency: "sentra-handayani",
    region: "ID"
  }),
  padangIntake: Actor.make({ id: "intake-padang", role: "intake-officer", agency: "dinsos-13.71", region: "13.71" }),
  padangWorker: Actor.make({ id: "sakti-peksos-1", role: "caseworker", agency: "dinsos-13.71", region: "13.71" }),
  padangWorker2: Actor.make({ id: "sakti-peksos-2", role: "caseworker", agency: "dinsos-13.71", region: "13.71" }),
  padangKasi: Actor.make({
    id: "kasi-padang",
    role: "supervisor",
    position: "kasi",
    agency: "dinsos-13.71",
    region: "13.71"
  }),
  padangKabid: Actor.make({
    id: "kabid-rehsos-padang",
    role: "supervisor",
    position: "kabid-rehsos",
    agency: "dinsos-13.71",
    region: "13.71"
  }),
  padangKadis: Actor.make({
    id: "kadis-padang",
    role: "head-of-dinas",
    position: "kadis",
    agency: "dinsos-13.71",
    region: "13.71"
  }),
  sumbarKabid: Actor.make({
    id: "kabid-rehsos-sumbar",
    role: "supervisor",
    position: "kabid-rehsos",
    agency: "dinsos-13",
    region: "13"
  }),
  lpaPartner: Actor.make({ id: "lpa-padang-1", role: "partner", agency: "lpa-13.71", region: "13.71" }),
  teacherPartner: Actor.make({ id: "guru-1", role: "partner", agency: "disdik-13.71", region: "13.71" }),
  dukcapilOfficer: Actor.make({ id: "dukcapil-1", role: "caseworker", agency: "dukcapil-13.71", region: "13.71" }),
  auditor: Actor.make({ id: "auditor-1", role: "auditor", agency: "dinsos-13", region: "13" }),
  admin: Actor.make({ id: "admin-1", role: "administrator", agency: "dinsos-13.71", region: "13.71" }),
  scheduler: Actor.make({ id: "scheduler", role: "system", agency: "dinsos-13.71", region: "13.71" }),
  balikpapanWorker: Actor.make({ id: "peksos-bpp", role: "caseworker", agency: "dinsos-64.71", region: "64.71" }),
  balikpapanKabid: Actor.make({
    id: "kabid-bpp",
    role: "supervisor",
    position: "kabid",
    agency: "dinsos-64.71",
    region: "64.71"
  })
} as const

/** An instant from an ISO string. */
export const at = (iso: string): DateTime.Utc => DateTime.makeUnsafe(iso)

/** A case under test: its state and its whole history. */
export interface Story {
  readonly state: Case.State
  readonly events: ReadonlyArray<CaseEvent.Envelope>
}

export const emptyStory: Story = { state: Case.initialState, events: [] }

/** Runs one command; throws with the rejection's message when it is rejected. */
export const step = (story: Story, actor: Actor.Actor, now: string, command: CaseCommand.Command): Story => {
  const result = Decider.decide(story.state, command, { now: at(now), actor, agencies: directory })
  if (Result.isFailure(result)) throw new Error(`${command._tag} by ${actor.id} rejected: ${result.failure.message}`)
  return { state: Case.fold(result.success, story.state), events: [...story.events, ...result.success] }
}

/** Runs one command that must be rejected, and returns the rejection. */
export const rejected = (
  story: Story,
  actor: Actor.Actor,
  now: string,
  command: CaseCommand.Command
): Rejection.Rejection => {
  const result = Decider.decide(story.state, command, { now: at(now), actor, agencies: directory })
  if (Result.isSuccess(result)) throw new Error(`${command._tag} by ${actor.id} was accepted; expected a rejection`)
  return result.failure
}

/** The case of a story (throws if it is still empty). */
export const caseOf = (story: Story): Case.Case => {
  if (story.state._tag !== "Case") throw new Error("the story has no case yet")
  return story.state
}

/** Decodes a command from its JSON form, as transport would. */
export const cmd = (json: Record<string, unknown>): CaseCommand.Command =>
  Schema.decodeUnknownSync(CaseCommandSchema.Command)(json)
