/**
 * Runs the seed stories.
 *
 * - {@link run} executes every step of one or more stories, in order, through an `execute(command, actor)` the
 *   caller supplies — the CLI passes `CaseRepository.execute`, an end-to-end test an HTTP client, a unit test the
 *   pure decider — and stops at the first failure with a {@link StepFailed} that names the story and the step.
 * - {@link runPure} replays one story through `Decider.decide` and `Case.fold` without storage, deciding each step
 *   at its own instant: the exact history the story describes, returned with the final state of every case.
 *
 * **Clocks.** The decider decides at *now*: it records events at now, counts ages and today's date from now, and
 * accepts a command's `occurredAt` (every step sets it to the step's instant) only if it is not after now. The
 * stories are written for their own dates, so by default {@link run} gives each step's effect a clock fixed at
 * the step's instant (`clock: "story"`): an in-process repository then records exactly the story's history.
 * With `clock: "caller"` each step runs at the caller's now: the events then occur at the story's dates and are
 * recorded at the time of the run — but a child who has reached 18 by then stops the story (SOP-09: a child
 * known by birth date or by age at the report), so a story runs on a live clock only before {@link liveUntil}.
 * An `execute` that crosses a process boundary (an HTTP call) runs on the server's clock whatever the option:
 * move that clock in `onStep` (e.g. `TestClock.setTime` on the server's test clock), or pick stories whose
 * {@link liveUntil} lies ahead.
 *
 * @example
 * ```ts
 * import { CaseRepository } from "@lindung/core"
 * import { Runner, Stories } from "@lindung/seeds"
 * import { Effect } from "effect"
 *
 * const demo = Effect.gen(function* () {
 *   const repository = yield* CaseRepository.CaseRepository
 *   return yield* Runner.run(Stories.all, repository.execute)
 * }) // Effect<Runner.Report, Runner.StepFailed & { error: CaseRepository.ExecuteError | InvalidInput }, CaseRepository>
 *
 * const replay = Runner.runPure(Stories.padang) // Result<Runner.PureRun, Runner.StepFailed>
 * ```
 *
 * @since 0.1.0
 */
import {
  type Actor,
  type Agency,
  CalendarDate,
  Case,
  CaseCommand,
  type CaseEvent,
  Decider,
  Input,
  type Policy,
  SopError
} from "@lindung/core"
import { Clock, DateTime, Effect, Result, Schema } from "effect"
import * as Agencies from "./Agencies.js"
import * as People from "./People.js"
import type * as Stories from "./Stories.js"

/** A step that failed: which story and step (1-based), the command, the actor, the instant, and why. */
export class StepFailed extends Schema.TaggedError<StepFailed>()("StepFailed", {
  story: Schema.String,
  /** The step's position in the story, from 1. */
  step: Schema.Int,
  caseId: Schema.String,
  command: Schema.String,
  actor: Schema.String,
  at: Schema.String,
  /** What went wrong, in words (the error's own message). */
  reason: Schema.String,
  /** The error itself: `execute`'s error, a `SopError` from the decider, or an `InvalidInput` for bad step data. */
  error: Schema.Unknown
}) {
  override get message(): string {
    return `story ${this.story}, step ${this.step} (${this.command} on ${this.caseId} by ${this.actor} at ${this.at}) failed: ${this.reason}`
  }
}

/** A {@link StepFailed} whose `error` has a known type. */
export interface StepFailedWith<E> extends StepFailed {
  readonly error: E
}

/** What {@link run} did: per story, the number of steps and the cases it touched. */
export interface Report {
  readonly stories: ReadonlyArray<{
    readonly id: string
    readonly steps: number
    readonly cases: ReadonlyArray<string>
  }>
  readonly steps: number
}

/** Where a run is: passed to `onStep` before each step. */
export interface Progress {
  readonly story: string
  /** From 1. */
  readonly step: number
  readonly of: number
  readonly command: CaseCommand.Command
  readonly actor: Actor.Actor
  readonly at: string
}

/** Options of {@link run}. */
export interface RunOptions<R2 = never> {
  /**
   * `story` (default): each step's effect sees a clock fixed at the step's instant, so that an in-process repository
   * records the story's own instants. `caller`: each step runs on the caller's clock (recorded-at = the run's now);
   * see {@link liveUntil}.
   */
  readonly clock?: "caller" | "story"
  /** Called before each step (e.g. to print progress). */
  readonly onStep?: (progress: Progress) => Effect.Effect<void, never, R2>
}

const message = (error: unknown): string => {
  if (error instanceof Error && error.message !== "") return error.message
  // A decider's rejection is plain data that carries its message.
  if (typeof error === "object" && error !== null && "message" in error && typeof error.message === "string") {
    return error.message
  }
  if (typeof error === "object" && error !== null && "_tag" in error) return String(error._tag)
  return String(error)
}

const failed = <E>(
  story: Stories.Story,
  index: number,
  step: Stories.Step,
  error: E,
  reason = message(error)
): StepFailedWith<E> =>
  new StepFailed({
    story: story.id,
    step: index + 1,
    caseId: step.command.caseId,
    command: step.command._tag,
    actor: step.actor,
    at: step.at,
    reason,
    error
  }) as StepFailedWith<E>

/** Decodes a step: its command (JSON → `CaseCommand.Command`) and its actor (a {@link People} id). */
export const decodeStep = (
  step: Stories.Step
): Result.Result<{ readonly command: CaseCommand.Command; readonly actor: Actor.Actor }, Input.InvalidInput> => {
  const actor = People.find(step.actor)
  if (actor === undefined) return Input.fail("actor", step.actor, "is not a person of the seed stories")
  const command = CaseCommand.decode(step.command)
  if (Result.isFailure(command)) return Input.fail("command", step.command._tag, command.failure.message)
  return Result.succeed({ command: command.success, actor })
}

/** A clock that reads `millis` as the current time and otherwise behaves like `outer` (sleeping, monotonic time). */
const fixedClock = (outer: Clock.Clock, millis: number): Clock.Clock => ({
  currentTimeMillisUnsafe: () => millis,
  currentTimeMillis: Effect.succeed(millis),
  currentTimeNanosUnsafe: () => BigInt(millis) * 1_000_000n,
  currentTimeNanos: Effect.succeed(BigInt(millis) * 1_000_000n),
  monotonicTimeNanosUnsafe: () => outer.monotonicTimeNanosUnsafe(),
  monotonicTimeNanos: outer.monotonicTimeNanos,
  sleep: (duration) => outer.sleep(duration)
})

/**
 * Runs every step of the stories in order through `execute`, and stops at the first failure with a
 * {@link StepFailed} naming the story and step; its `error` is `execute`'s error, or an `InvalidInput` when a
 * step's data does not decode. See the module notes on clocks.
 */
export const run = <E, R, R2 = never>(
  stories: Stories.Story | ReadonlyArray<Stories.Story>,
  execute: (command: CaseCommand.Command, actor: Actor.Actor) => Effect.Effect<unknown, E, R>,
  options: RunOptions<R2> = {}
): Effect.Effect<Report, StepFailedWith<E | Input.InvalidInput>, R | R2> =>
  Effect.gen(function* () {
    const list: ReadonlyArray<Stories.Story> = Array.isArray(stories) ? stories : [stories as Stories.Story]
    const outer = yield* Clock.Clock
    const done: Array<Report["stories"][number]> = []
    for (const story of list) {
      const cases = new Set<string>()
      for (const [index, step] of story.steps.entries()) {
        const decoded = decodeStep(step)
        if (Result.isFailure(decoded)) return yield* Effect.fail(failed(story, index, step, decoded.failure))
        const { command, actor } = decoded.success
        if (options.onStep !== undefined) {
          yield* options.onStep({
            story: story.id,
            step: index + 1,
            of: story.steps.length,
            command,
            actor,
            at: step.at
          })
        }
        const effect = execute(command, actor)
        const pinned =
          options.clock === "caller"
            ? effect
            : Effect.provideService(effect, Clock.Clock, fixedClock(outer, Date.parse(step.at)))
        yield* Effect.mapError(pinned, (error) => failed<E | Input.InvalidInput>(story, index, step, error))
        cases.add(command.caseId)
      }
      done.push({ id: story.id, steps: story.steps.length, cases: [...cases] })
    }
    return { stories: done, steps: done.reduce((sum, s) => sum + s.steps, 0) }
  })

/** The result of {@link runPure}: the final state of every case of the story, and every event in order. */
export interface PureRun {
  readonly states: ReadonlyMap<string, Case.Case>
  readonly events: ReadonlyArray<CaseEvent.Envelope>
}

/** Options of {@link runPure}. */
export interface PureOptions {
  /**
   * Decide every step at this instant instead of the step's own (simulates a live clock: events are recorded at
   * `now` and occur at the story's dates). Must not lie before the story's last step.
   */
  readonly now?: DateTime.Utc
  /** The agencies (default: {@link Agencies.directory}). */
  readonly agencies?: Agency.Directory
  /** The policies (default: `Policy.defaults`). */
  readonly policy?: Policy.Policy
}

/**
 * Replays a story through `Decider.decide` and `Case.fold`, without storage, deciding each step at its own
 * instant (or at `options.now`). Returns the final state of every case and every event, or the first rejection as
 * a {@link StepFailed} (its `error` is the decider's `SopError`, or an `InvalidInput` for bad step data).
 */
export const runPure = (
  story: Stories.Story,
  options: PureOptions = {}
): Result.Result<PureRun, StepFailedWith<SopError.SopError>> => {
  const states = new Map<string, Case.Case>()
  const events: Array<CaseEvent.Envelope> = []
  for (const [index, step] of story.steps.entries()) {
    const decoded = decodeStep(step)
    if (Result.isFailure(decoded)) return Result.fail(failed(story, index, step, decoded.failure))
    const { command, actor } = decoded.success
    const state: Case.State = states.get(command.caseId) ?? Case.initialState
    const now = options.now ?? DateTime.makeUnsafe(step.at)
    const decided = Decider.decide(state, command, {
      now,
      actor,
      agencies: options.agencies ?? Agencies.directory,
      ...(options.policy === undefined ? {} : { policy: options.policy })
    })
    if (Result.isFailure(decided)) {
      return Result.fail(failed(story, index, step, SopError.fromRejection(decided.failure)))
    }
    const next = Case.fold(decided.success, state)
    if (next._tag === "Case") states.set(command.caseId, next)
    events.push(...decided.success)
  }
  return Result.succeed({ states, events })
}

/**
 * The first local date on which a child of the story is 18 (by birth date, or by age at the report: see
 * `Decider.adultOn`), or `undefined` when no child's age is known. From that date on, a step decided at a live
 * clock's now is rejected (SOP-09), so `run` with `clock: "caller"` and an `execute` on a live clock only work
 * before it. Replays the story with {@link runPure} to find its cases (`undefined` also if the story is rejected).
 */
export const liveUntil = (story: Stories.Story): CalendarDate.CalendarDate | undefined => {
  const replay = runPure(story)
  if (Result.isFailure(replay)) return undefined
  const dates = [...replay.success.states.values()].flatMap((state) => {
    if (state.subject.kind !== "child") return []
    const on = Decider.adultOn(state)
    return on === undefined ? [] : [on]
  })
  return dates.reduce<CalendarDate.CalendarDate | undefined>(
    (earliest, date) => (earliest === undefined || CalendarDate.compare(date, earliest) < 0 ? date : earliest),
    undefined
  )
}
