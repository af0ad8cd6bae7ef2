/**
 * Builds the seed stories: one {@link CaseScript} per case collects its steps (each command with `occurredAt` set
 * to the step's instant), and {@link assemble} merges the cases of a story into one chronological list.
 *
 * @internal
 */
import { type Basis, CalendarDate, type CaseCommand, type Sop } from "@lindung/core"
import type * as People from "../People.js"

/** The JSON form of a command. */
export type Encoded = CaseCommand.Encoded
/** A command type. */
export type Tag = Encoded["_tag"]
/** The JSON form of one command type. */
export type Of<T extends Tag> = Extract<Encoded, { readonly _tag: T }>
/** The fields of a command besides `_tag`, `caseId` and `occurredAt`. */
export type Fields<T extends Tag> = Omit<Of<T>, "_tag" | "caseId" | "occurredAt">

/** One step: who, when, what. */
export interface Step {
  readonly actor: People.Id
  readonly at: string
  readonly command: Encoded
}

/** The plain values of a fictional identity (`Subject.IdentityFromValues` decodes them). */
export interface IdentityValues {
  readonly name: string
  readonly familyNames: ReadonlyArray<string>
  readonly address?: string
  readonly school?: string
}

/** What a story declares about one of its cases. */
export interface CaseSpec {
  readonly caseId: string
  readonly subject: string
  /** The stage the case is in after the story's last step. */
  readonly finalStage: Sop.Stage
  readonly title: Basis.Label
  readonly identity: IdentityValues
}

/** A case being written. */
export interface CaseScript {
  readonly spec: CaseSpec
  readonly steps: ReadonlyArray<Step>
  /** Adds a step; the command's `caseId` and `occurredAt` (= `at`) are filled in. */
  readonly add: <T extends Tag>(
    actor: People.Id,
    at: string,
    tag: T,
    ...fields: keyof Fields<T> extends never ? [] : [Fields<T>]
  ) => void
}

/** Starts a case. */
export const open = (spec: CaseSpec): CaseScript => {
  const steps: Array<Step> = []
  return {
    spec,
    steps,
    add: (actor, at, tag, ...fields) => {
      const command = { _tag: tag, caseId: spec.caseId, occurredAt: at, ...fields[0] } as unknown as Encoded
      steps.push({ actor, at, command })
    }
  }
}

/** An ISO instant (UTC) on `date` at `hour`:`minute`. */
export const at = (date: string, hour: number, minute = 0): string =>
  `${date}T${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}:00Z`

/** The calendar date `days` after `date` (negative: before). */
export const plusDays = (date: string, days: number): string =>
  CalendarDate.addDays(CalendarDate.decodeSync(date), days)

/** A fictional identity, clearly marked: every value says `contoh fiktif` (fictional example). */
export const fictional = (code: string, kind: "child" | "adult", school = false): IdentityValues => ({
  name: `${kind === "child" ? "Anak" : "Orang"} ${code} (contoh fiktif)`,
  familyNames: [`Keluarga ${code} (contoh fiktif)`],
  address: `Alamat ${code} (contoh fiktif)`,
  ...(school ? { school: `Sekolah ${code} (contoh fiktif)` } : {})
})

/** The parts of a story that {@link assemble} puts together. */
export interface Assembled {
  readonly cases: ReadonlyArray<{
    readonly caseId: string
    readonly subject: string
    readonly finalStage: Sop.Stage
    readonly title: Basis.Label
  }>
  readonly steps: ReadonlyArray<Step>
  readonly identities: ReadonlyArray<{
    readonly subject: string
    readonly caseId: string
    readonly fictional: true
    readonly identity: IdentityValues
  }>
}

/** Merges the cases of a story: steps in time order (stable: a case keeps its own order at equal instants). */
export const assemble = (cases: ReadonlyArray<CaseScript>): Assembled => ({
  cases: cases.map(({ spec }) => ({
    caseId: spec.caseId,
    subject: spec.subject,
    finalStage: spec.finalStage,
    title: spec.title
  })),
  steps: cases.flatMap((c) => c.steps).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)),
  identities: cases.map(({ spec }) => ({
    subject: spec.subject,
    caseId: spec.caseId,
    fictional: true as const,
    identity: spec.identity
  }))
})
