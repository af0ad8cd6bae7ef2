/**
 * The runner: `run` through a caller's `execute` (here an in-memory store on the pure decider that reads the
 * clock, as a repository does), with the story's clock or the caller's; `runPure`; `liveUntil`; typed failures.
 */
import { fc, test as propTest } from "@fast-check/vitest"
import type { Actor, CaseCommand } from "@lindung/core"
import { Case, type CaseEvent, type CaseRepository, Decider, SopError } from "@lindung/core"
import { Clock, DateTime, Effect, Exit, Result } from "effect"
import { describe, expect, it } from "vitest"
import { Agencies, Runner, Stories } from "../src/index.js"

/** A store like a repository: loads the state, decides at the clock's now, appends the events. */
const memory = () => {
  const states = new Map<string, Case.State>()
  const events: Array<CaseEvent.Envelope> = []
  const execute = (command: CaseCommand.Command, actor: Actor.Actor) =>
    Effect.gen(function* () {
      const now = yield* DateTime.now
      const state = states.get(command.caseId) ?? Case.initialState
      const decided = Decider.decide(state, command, { now, actor, agencies: Agencies.directory })
      if (Result.isFailure(decided)) return yield* Effect.fail(decided.failure)
      states.set(command.caseId, Case.fold(decided.success, state))
      events.push(...decided.success)
      return decided.success
    })
  return { states, events, execute }
}

const fixed = (iso: string): Clock.Clock => {
  const millis = Date.parse(iso)
  return {
    currentTimeMillisUnsafe: () => millis,
    currentTimeMillis: Effect.succeed(millis),
    currentTimeNanosUnsafe: () => BigInt(millis) * 1_000_000n,
    currentTimeNanos: Effect.succeed(BigInt(millis) * 1_000_000n),
    monotonicTimeNanosUnsafe: () => 0n,
    monotonicTimeNanos: Effect.succeed(0n),
    sleep: () => Effect.void
  }
}

const iso = (instant: DateTime.Utc) => DateTime.formatIso(instant)
const at = (s: string) => DateTime.makeUnsafe(s)
const pure = (story: Stories.Story) => {
  const result = Runner.runPure(story)
  if (Result.isFailure(result)) throw new Error(result.failure.message)
  return result.success
}
const stages = (states: ReadonlyMap<string, Case.State>) =>
  Object.fromEntries([...states].map(([id, s]) => [id, s._tag === "Case" ? s.stage : "empty"]))

describe("run", () => {
  it("runs every story through execute at the story's clock by default: the history is the story's", () => {
    const store = memory()
    const report = Effect.runSync(Runner.run(Stories.all, store.execute))
    expect(report.steps).toBe(Stories.all.reduce((sum, s) => sum + s.steps.length, 0))
    expect(report.stories.map((s) => [s.id, s.cases.length])).toEqual(Stories.all.map((s) => [s.id, s.cases.length]))
    for (const story of Stories.all) {
      const replay = pure(story)
      const mine = new Map([...store.states].filter(([id]) => replay.states.has(id)))
      expect(stages(mine)).toEqual(stages(replay.states))
    }
    // Recorded at the story's instants, exactly as the pure replay records them.
    const replayed = Stories.all.flatMap((s) => pure(s).events)
    const byId = new Map(replayed.map((e) => [e.eventId, e]))
    for (const event of store.events) {
      expect(iso(event.recordedAt)).toBe(iso(byId.get(event.eventId)?.recordedAt ?? at("1900-01-01T00:00:00Z")))
      expect(iso(event.occurredAt)).toBe(iso(event.recordedAt))
    }
  })

  it("with the caller's clock, events are recorded at the caller's now and occur at the story's dates", () => {
    const store = memory()
    const now = "2026-11-23T05:00:00Z"
    const run = Runner.run(Stories.balikpapan, store.execute, { clock: "caller" })
    Effect.runSync(Effect.provideService(run, Clock.Clock, fixed(now)))
    expect(store.events).toHaveLength(pure(Stories.balikpapan).events.length)
    for (const event of store.events) expect(iso(event.recordedAt)).toBe("2026-11-23T05:00:00.000Z")
    const first = store.events[0]
    expect(first && iso(first.occurredAt)).toBe("2024-11-04T01:00:00.000Z")
    expect(stages(store.states)).toEqual(stages(pure(Stories.balikpapan).states))
  })

  it("stops at the first failing step with a StepFailed that names the story and the step", () => {
    const store = memory()
    // A story missing the step that assigns the first companion: her first step on that case is refused.
    const broken: Stories.Story = {
      ...Stories.balikpapan,
      steps: Stories.balikpapan.steps.filter((_, index) => index !== 1)
    }
    const exit = Effect.runSyncExit(Runner.run([Stories.padang, broken], store.execute))
    expect(Exit.isFailure(exit)).toBe(true)
    const error = Effect.runSync(Effect.flip(Runner.run([Stories.padang, broken], memory().execute)))
    expect(error).toBeInstanceOf(Runner.StepFailed)
    expect(error).toMatchObject({
      _tag: "StepFailed",
      story: "002-balikpapan",
      step: 9,
      caseId: "002-balikpapan-sekolah-a",
      command: "RecordAssessment",
      actor: "pendamping-balikpapan-1",
      at: "2024-11-07T02:00:00Z"
    })
    const cause = error.error as SopError.SopError
    expect(cause._tag).toBe("Forbidden")
    expect(error.message).toMatch(
      /^story 002-balikpapan, step 9 \(RecordAssessment on 002-balikpapan-sekolah-a by pendamping-balikpapan-1 at 2024-11-07T02:00:00Z\) failed: SOP-07 .*not assigned/
    )
  })

  it("passes execute's own error through, typed", () => {
    class Boom {
      readonly _tag = "Boom"
    }
    let calls = 0
    const execute = () => (++calls === 3 ? Effect.fail(new Boom()) : Effect.void)
    const error = Effect.runSync(Effect.flip(Runner.run(Stories.padang, execute)))
    expect(error.step).toBe(3)
    expect(error.error).toBeInstanceOf(Boom)
    expect(error.reason).toBe("Boom")
  })

  it("takes CaseRepository.execute as it is, and keeps its error type", () => {
    type Execute = (typeof CaseRepository.CaseRepository)["Service"]["execute"]
    const execute: Execute = (command) => Effect.fail(new SopError.CaseNotFound({ caseId: command.caseId }))
    const error = Effect.runSync(Effect.flip(Runner.run(Stories.padang, execute)))
    const tag: CaseRepository.ExecuteError["_tag"] | "InvalidInput" = error.error._tag
    expect([tag, error.step, error.caseId]).toEqual(["CaseNotFound", 1, "000-padang-kakak"])
  })

  it("reports each step to onStep before it runs, in order", () => {
    const seen: Array<string> = []
    const store = memory()
    Effect.runSync(
      Runner.run(Stories.sumbar, store.execute, {
        onStep: (p) => Effect.sync(() => seen.push(`${p.step}/${p.of} ${p.command._tag} ${p.actor.id} ${p.at}`))
      })
    )
    expect(seen).toHaveLength(Stories.sumbar.steps.length)
    expect(seen[0]).toBe(
      `1/${Stories.sumbar.steps.length} RegisterReport sakti-peksos-limapuluhkota-1 2020-10-12T02:00:00Z`
    )
  })

  it("refuses a step whose actor is unknown or whose command does not decode, with InvalidInput", () => {
    const [first, ...rest] = Stories.padang.steps
    if (first === undefined) throw new Error("empty story")
    const unknownActor = { ...Stories.padang, steps: [{ ...first, actor: "nobody" as never }, ...rest] }
    const badCommand = {
      ...Stories.padang,
      steps: [{ ...first, command: { ...first.command, occurredAt: "yesterday" } }, ...rest]
    }
    const e1 = Effect.runSync(Effect.flip(Runner.run(unknownActor, memory().execute)))
    expect(e1).toMatchObject({ step: 1, error: { _tag: "InvalidInput", field: "actor" } })
    const e2 = Runner.runPure(badCommand)
    expect(Result.isFailure(e2) && e2.failure.error).toMatchObject({ _tag: "InvalidInput", field: "command" })
  })
})

describe("runPure", () => {
  it("decides each step at its own instant: recorded-at equals occurred-at equals the step's instant", () => {
    const { events } = pure(Stories.padang)
    for (const event of events) expect(iso(event.recordedAt)).toBe(iso(event.occurredAt))
    expect(events[0] && iso(events[0].recordedAt)).toBe("2022-03-07T02:00:00.000Z")
  })

  it("reports the first rejection with the decider's error", () => {
    const steps = Stories.padang.steps.filter((s) => !(s.command._tag === "RecordSafetyPlan"))
    const result = Runner.runPure({ ...Stories.padang, steps })
    expect(Result.isFailure(result) && result.failure).toMatchObject({
      _tag: "StepFailed",
      story: "000-padang",
      command: "CompleteAssessment",
      error: { _tag: "SopViolation", rule: "SOP-01" }
    })
  })
})

describe("liveUntil: how long a story runs on a live clock", () => {
  it("is the first date a child of the story is 18", () => {
    expect(Runner.liveUntil(Stories.padang)).toBe("2030-05-10") // born 2012-05-10
    expect(Runner.liveUntil(Stories.sumbar)).toBe("2022-10-12") // 16 when reported on 2020-10-12
    expect(Runner.liveUntil(Stories.balikpapan)).toBe("2030-07-01") // born 2012-07-01
    expect(Runner.liveUntil(Stories.ntb)).toBe("2025-09-30") // born 2007-09-30
    expect(Runner.liveUntil(Stories.tipeDinas)).toBe("2025-09-14") // 13 when reported on 2020-09-14
  })

  const live = [Stories.padang, Stories.balikpapan]
  const lastStep = (story: Stories.Story) => Date.parse(story.steps.at(-1)?.at ?? "")
  const day = 24 * 60 * 60 * 1000

  propTest.prop([fc.constantFrom(...live), fc.double({ min: 0, max: 1, noNaN: true })])(
    "before it, the story runs at any now with the same final stages (recorded now, occurring at its dates)",
    (story, fraction) => {
      const until = Date.parse(`${Runner.liveUntil(story)}T00:00:00Z`) - day
      const now = DateTime.makeUnsafe(Math.floor(lastStep(story) + fraction * (until - lastStep(story))))
      const result = Runner.runPure(story, { now })
      expect(Result.isSuccess(result)).toBe(true)
      if (Result.isSuccess(result)) {
        expect(stages(result.success.states)).toEqual(stages(pure(story).states))
        for (const event of result.success.events) expect(iso(event.recordedAt)).toBe(iso(now))
      }
    }
  )

  propTest.prop([fc.constantFrom(...Stories.all), fc.integer({ min: 1, max: 3650 })])(
    "from it on, a live clock stops the story with SOP-09",
    (story, days) => {
      const now = DateTime.makeUnsafe(Date.parse(`${Runner.liveUntil(story)}T00:00:00Z`) + days * day)
      const result = Runner.runPure(story, { now })
      expect(Result.isFailure(result) && result.failure.error).toMatchObject({ _tag: "SopViolation", rule: "SOP-09" })
    }
  )
})
