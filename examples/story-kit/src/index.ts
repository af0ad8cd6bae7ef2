/**
 * A seed story told as a Dinas would live it: every step sent through core's case service (the one door: access,
 * the SOP, the identity vault) on a store — the in-memory reference store here; a team would plug in its own — each
 * at the story's own instant (the clock is the story's, so the output never depends on today's date), and each step
 * written as a line in the story's vocabulary: the local date and time zone, the office that acted, the command, the
 * events it produced and the stage of the case (in Indonesian, with English).
 */

import { spawnSync } from "node:child_process"
import {
  type Actor,
  type Case,
  type CaseCommand,
  type CaseEvent,
  CaseService,
  Directory,
  Region,
  Sop,
  type Subject
} from "@lindung/core"
import { People, Runner, Stories } from "@lindung/seeds"
import { layerMemory } from "@lindung/storage-memory"
import { DateTime, Effect, Layer } from "effect"

/** The case service over a fresh in-memory store, with the seed stories' directory of agencies and people. */
export const layer = CaseService.layer().pipe(
  Layer.provideMerge(Directory.layer(People.directory)),
  Layer.provideMerge(layerMemory)
)

/** One step of a story as it happened. */
export interface Told {
  readonly step: number
  readonly at: string
  readonly actor: Actor.Actor
  readonly command: CaseCommand.Command
  readonly events: ReadonlyArray<CaseEvent.Envelope>
  /** The case after the step. */
  readonly state: Case.Case
}

/** A story run through the case service: every step, and the last state of every case. */
export interface Run {
  readonly story: Stories.Story
  readonly steps: ReadonlyArray<Told>
  readonly cases: ReadonlyMap<string, Case.Case>
}

/**
 * Runs a story through the case service in context, step by step at the story's instants; a report comes with the
 * subject's (fictional) identity, which goes to the identity vault only.
 */
export const run = (story: Stories.Story) =>
  Effect.gen(function* () {
    const service = yield* CaseService.CaseService
    const identities = new Map<string, Subject.Identity>(
      Stories.identitiesOf(story).map((entry) => [entry.subject, entry.identity])
    )
    const steps: Array<Told> = []
    const cases = new Map<string, Case.Case>()
    let index = 0
    yield* Runner.run(story, (command, actor) =>
      Effect.gen(function* () {
        index++
        const now = yield* DateTime.now
        const outcome =
          command._tag === "RegisterReport"
            ? // The stories bring their own subject ids, for subjects new to the store: a migration's registration.
              yield* service.register(actor, command, {
                migration: true,
                ...withIdentity(identities.get(command.subject))
              })
            : yield* service.execute(actor, command)
        cases.set(command.caseId, outcome.state)
        steps.push({
          step: index,
          at: DateTime.formatIso(now),
          actor,
          command,
          events: outcome.events,
          state: outcome.state
        })
      })
    )
    return { story, steps, cases } satisfies Run
  })

const withIdentity = (identity: Subject.Identity | undefined) => (identity === undefined ? {} : { identity })

/** The local date and time of an instant in a region, with its zone: `2025-01-06 09:00 WIB`. */
export const localTime = (iso: string, region: Region.RegionCode): string => {
  const zone = Region.timeZone(region)
  const local = new Date(Date.parse(iso) + zone.offsetHours * 3_600_000).toISOString()
  return `${local.slice(0, 10)} ${local.slice(11, 16)} ${zone.abbreviation}`
}

/** Who acted: the office or role and the agency's name. */
export const who = (actor: Actor.Actor): string => {
  const agency = People.directory.agencies.get(actor.agency)
  return `${actor.position ?? actor.role}, ${agency?.name ?? actor.agency}`
}

/** A stage in Indonesian and English: `Resosialisasi (Reintegration)`. */
export const stage = (code: Sop.Stage): string => {
  const label = Sop.stageLabels[code]
  return `${label.id} (${label.en})`
}

/** A step as one line: when, who, what, the events, and the stage when it changed. */
export const line = (told: Told): string => {
  const moved = told.events.some((event) => event.payload._tag === "StageChanged")
  const events = told.events.map((event) => event.payload._tag).join(", ")
  return `${localTime(told.at, told.state.region)} · ${told.state.id} · ${who(told.actor)} · ${told.command._tag} → ${events || "nothing new"}${moved ? ` · tahap: ${stage(told.state.stage)}` : ""}`
}

/** The story told: its title, a line per step, and each case's last stage next to the stage the story ends in. */
export const tell = (result: Run): ReadonlyArray<string> => [
  `${result.story.id}: ${result.story.title.id}`,
  `(${result.story.title.en})`,
  "",
  ...result.steps.map(line),
  "",
  ...result.story.cases.map((c) => {
    const state = result.cases.get(c.caseId)
    return `${c.caseId} — ${c.title.id}: ${state === undefined ? "not reached" : stage(state.stage)}${state?.stage === c.finalStage ? "" : ` (the story ends in ${c.finalStage})`}`
  })
]

/** What a story's example adds to the telling: lines computed from the run, with the case service of the run. */
export type Highlights = (result: Run) => Effect.Effect<ReadonlyArray<string>, unknown, CaseService.CaseService>

/** A seed story (by its code, `000`–`004`) run on a fresh store and told, followed by its example's highlights. */
export const story = (seed: Stories.SeedCode, highlights: Highlights) =>
  Effect.gen(function* () {
    const found = Stories.all.find((s) => s.seed === seed)
    if (found === undefined) return yield* Effect.die(new Error(`no seed story ${seed}`))
    const result = yield* run(found)
    return { result, lines: [...tell(result), "", ...(yield* highlights(result))] }
  }).pipe(Effect.provide(layer))

/** Prints a story and its highlights (an example's `main`). */
export const main = async (seed: Stories.SeedCode, highlights: Highlights): Promise<void> => {
  const { lines } = await Effect.runPromise(story(seed, highlights))
  for (const text of lines) console.log(text)
}

/**
 * What an example's program prints, run as `node <main>` in a process of its own: its exit code, its output lines
 * and its error output (for a test that the program tells what the story's logic tells).
 */
export const programOutput = (
  main: string
): { readonly status: number | null; readonly lines: ReadonlyArray<string>; readonly stderr: string } => {
  const program = spawnSync(process.execPath, [main], { encoding: "utf8", timeout: 60_000 })
  return { status: program.status, lines: program.stdout.trimEnd().split("\n"), stderr: program.stderr }
}

/** The name of an agency of the seed directory (its id when it is not there). */
export const agencyName = (id: string): string =>
  People.directory.agencies.get(id as Parameters<typeof People.directory.agencies.get>[0])?.name ?? id

/** Every text of an identity (name, family names, address, school, NIK, birth date…), nested or not. */
const valuesOf = (value: unknown): ReadonlyArray<string> =>
  typeof value === "string"
    ? value.length > 3
      ? [value]
      : []
    : Array.isArray(value)
      ? value.flatMap(valuesOf)
      : typeof value === "object" && value !== null
        ? Object.values(value).flatMap(valuesOf)
        : []

/**
 * What every story example checks: the cases that did not end in the stage the story ends in, and the identity values
 * of the story's (fictional) people — names, family names, addresses, schools, NIKs, birth dates — that appear in
 * the telling (both must be empty).
 */
export const problems = (
  result: Run,
  lines: ReadonlyArray<string>
): { readonly notAtEnd: ReadonlyArray<string>; readonly leaked: ReadonlyArray<string> } => {
  const text = lines.join("\n")
  return {
    notAtEnd: result.story.cases
      .filter((c) => result.cases.get(c.caseId)?.stage !== c.finalStage)
      .map((c) => `${c.caseId}: ${result.cases.get(c.caseId)?.stage ?? "not reached"}, not ${c.finalStage}`),
    leaked: result.story.identities.flatMap((i) => valuesOf(i.identity)).filter((value) => text.includes(value))
  }
}
