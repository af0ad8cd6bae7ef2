/**
 * What the telemetry records and what its tracer lets out: command outcomes from exits, and a tracer that keeps
 * codes and drops everything a span could carry about a child — attributes outside the allow-list, failure messages,
 * span events — while keeping names, nesting and a failure's kind.
 */
import { Cause, Data, Effect, Exit, Fiber, Option, Tracer } from "effect"
import { describe, expect, it } from "vitest"
import * as Telemetry from "../src/Telemetry.js"

class CaseNotFound extends Data.TaggedError("CaseNotFound")<{ readonly caseId: string }> {
  override get message() {
    return `Case ${this.caseId} does not exist`
  }
}

/** A tracer that keeps the spans it starts, behind `Telemetry.tracer`. */
const recorded = (sampleRatio?: number) => {
  const spans: Array<Tracer.NativeSpan> = []
  const inner = Tracer.make({
    span(options) {
      const span = new Tracer.NativeSpan(options)
      spans.push(span)
      return span
    }
  })
  return { spans, tracer: Telemetry.tracer(inner, sampleRatio === undefined ? {} : { sampleRatio }) }
}

describe("Telemetry.outcomeOf and failureOf", () => {
  it("names how a command ended: accepted, unchanged, replayed, an error's tag, defect, interrupted", () => {
    expect(Telemetry.outcomeOf(Exit.succeed({ events: [1], replayed: false }))).toBe("accepted")
    expect(Telemetry.outcomeOf(Exit.succeed({ events: [], replayed: false }))).toBe("unchanged")
    expect(Telemetry.outcomeOf(Exit.succeed({ events: [1], replayed: true }))).toBe("replayed")
    expect(Telemetry.outcomeOf(Exit.fail(new CaseNotFound({ caseId: "c-1" })))).toBe("CaseNotFound")
    expect(Telemetry.outcomeOf(Exit.fail("plain"))).toBe("failure")
    expect(Telemetry.outcomeOf(Exit.die(new TypeError("x")))).toBe("defect")
    expect(Telemetry.failureOf(Cause.interrupt())).toBe("interrupted")
  })
})

describe("Telemetry.tracer", () => {
  it("keeps names, nesting and allowed attributes; drops the rest, span events and failure messages", async () => {
    const { spans, tracer } = recorded()
    const program = Effect.gen(function* () {
      yield* Effect.annotateCurrentSpan({
        "lindung.command": "CloseCase",
        "http.request.method": "GET",
        "url.full": "http://x/cases/case-secret-1/identity",
        "user_agent.original": "curl",
        "client.address": "10.0.0.7"
      })
      yield* Effect.logInfo("a log line naming case-secret-1")
      yield* Effect.fail(new CaseNotFound({ caseId: "case-secret-1" })).pipe(Effect.withSpan("inner"))
    }).pipe(Effect.withSpan("outer"))
    const exit = await Effect.runPromiseExit(program.pipe(Effect.provideService(Tracer.Tracer, tracer)))
    expect(Exit.isFailure(exit)).toBe(true)
    const byName = new Map(spans.map((span) => [span.name, span]))
    const outer = byName.get("outer") as Tracer.NativeSpan
    const inner = byName.get("inner") as Tracer.NativeSpan
    expect(Option.getOrUndefined(inner.parent)?.spanId).toBe(outer.spanId)
    expect(Object.fromEntries(outer.attributes)).toEqual({
      "lindung.command": "CloseCase",
      "http.request.method": "GET"
    })
    expect(outer.events).toEqual([])
    for (const span of [outer, inner]) {
      expect(span.status._tag).toBe("Ended")
      const status = span.status as Extract<Tracer.SpanStatus, { _tag: "Ended" }>
      const text = Exit.isFailure(status.exit) ? Cause.pretty(status.exit.cause) : ""
      expect(text).toContain("CaseNotFound")
      expect(text).not.toContain("case-secret-1")
    }
  })

  it("shows a defect by its kind only, and an interruption as it is", async () => {
    const { spans, tracer } = recorded()
    await Effect.runPromiseExit(
      Effect.die(new RangeError("child born 2031-05-17")).pipe(
        Effect.withSpan("defect"),
        Effect.provideService(Tracer.Tracer, tracer)
      )
    )
    const fiber = Effect.runFork(
      Effect.never.pipe(Effect.withSpan("interrupted"), Effect.provideService(Tracer.Tracer, tracer))
    )
    await Effect.runPromise(Fiber.interrupt(fiber))
    const ended = (name: string) => {
      const status = spans.find((span) => span.name === name)?.status
      if (status?._tag !== "Ended") throw new Error(`span ${name} did not end`)
      return status.exit
    }
    const defect = ended("defect")
    expect(Exit.isFailure(defect) && Cause.pretty(defect.cause)).toContain("defect RangeError")
    expect(Exit.isFailure(defect) && Cause.pretty(defect.cause)).not.toContain("2031")
    const interrupted = ended("interrupted")
    expect(Exit.isFailure(interrupted) && Cause.hasInterruptsOnly(interrupted.cause)).toBe(true)
  })

  it("records the given share of new traces, and every span of a recorded trace", async () => {
    const { spans, tracer } = recorded(0.25)
    const traces = 2000
    for (let i = 0; i < traces; i++) {
      await Effect.runPromise(
        Effect.void.pipe(
          Effect.withSpan("child"),
          Effect.withSpan("root"),
          Effect.provideService(Tracer.Tracer, tracer)
        )
      )
    }
    const roots = spans.filter((span) => span.name === "root")
    const sampled = roots.filter((span) => span.sampled)
    // 25 % of 2,000: 500, with a standard deviation of about 19; 400–600 is beyond five of them.
    expect(sampled.length).toBeGreaterThan(400)
    expect(sampled.length).toBeLessThan(600)
    for (const child of spans.filter((span) => span.name === "child")) {
      const parent = Option.getOrUndefined(child.parent) as Tracer.Span
      expect(child.sampled).toBe(parent.sampled)
    }
  })
})
