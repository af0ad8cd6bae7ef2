/**
 * What the case service and the scheduler tell an operator, over the adapter: a span for every call of the service,
 * every decision and every storage call, nested as the calls are; the metrics of commands by type and outcome,
 * rejections by rule, append durations, overdue cases by risk and province and the scheduler's lag — and no child's
 * identity in any span name, attribute, event, status or metric (a sentinel identity is registered, read and sent
 * again in a refused registration).
 */
import {
  Agency,
  CalendarDate,
  CaseModel,
  CaseService,
  DeadlineScheduler,
  Directory,
  Policy,
  Region,
  Subject,
  Telemetry
} from "@lindung/core"
import { Cause, Duration, Effect, Layer, Metric, Option, Schema, Tracer } from "effect"
import { expect } from "vitest"
import { at, type Kit } from "./harness.js"
import { intake, kasi, snapshot, system } from "./padang.js"

const SENTINEL = "Sentinel Telemetri Ayu"
const NIK = "3171014509150003"
/** A caller's idempotency key: free text of the caller's choosing. */
const KEY = "key-of-Telemetri-Ayu"
const UNBORN = "2031-05-17"

const caseId = Schema.decodeSync(CaseModel.CaseId)("case-telemetry-1")
const report: CaseService.Report = {
  caseId,
  sex: "female",
  ageAtReport: 9,
  region: Region.decodeSync("13.71"),
  owner: Schema.decodeSync(Agency.AgencyId)("dinsos-13.71"),
  source: "school",
  // tinggi: sexual violence by someone who still has access to the child
  concerns: ["sexual-violence", "perpetrator-has-access"]
}
const identity = Schema.decodeUnknownSync(Subject.IdentityFromValues)({
  name: SENTINEL,
  nik: NIK,
  familyNames: [`${SENTINEL} (ibu)`],
  address: `Jl. ${SENTINEL} 17`
})

const T0 = Date.parse("2026-03-02T01:00:00Z")
const MINUTE = 60_000

/**
 * A tracer that keeps every span it starts (Effect's own span type) behind `Telemetry.tracer`: the spans hold
 * exactly what an exporter behind that tracer would send.
 */
const recorder = () => {
  const spans: Array<Tracer.NativeSpan> = []
  const inner = Tracer.make({
    span(options) {
      const span = new Tracer.NativeSpan(options)
      spans.push(span)
      return span
    }
  })
  return { spans, tracer: Telemetry.tracer(inner) }
}

/** The names of a span's ancestors, nearest first. */
const ancestors = (span: Tracer.AnySpan): ReadonlyArray<string> => {
  const names: Array<string> = []
  let parent = span._tag === "Span" ? span.parent : Option.none<Tracer.AnySpan>()
  while (Option.isSome(parent)) {
    const found: Tracer.AnySpan = parent.value
    if (found._tag !== "Span") break
    names.push(found.name)
    parent = found.parent
  }
  return names
}

/** Everything a span would export, as text: its name, attributes, events and, when it failed, its cause. */
const exported = (span: Tracer.NativeSpan): string => {
  const status = span.status
  const failure =
    status._tag === "Ended" && status.exit._tag === "Failure"
      ? Cause.pretty(status.exit.cause as Cause.Cause<unknown>)
      : ""
  return JSON.stringify(
    { name: span.name, attributes: [...span.attributes], events: span.events, failure },
    (_, value) => (typeof value === "bigint" ? value.toString() : value)
  )
}

/** The state of one series of a metric: its name and exactly these attributes (besides its unit). */
const series = (all: ReadonlyArray<Metric.Metric.Snapshot>, id: string, attributes: Record<string, string>) =>
  all.find(
    (metric) =>
      metric.id === id &&
      JSON.stringify(
        Object.entries(metric.attributes ?? {})
          .filter(([key]) => key !== "unit")
          .sort()
      ) === JSON.stringify(Object.entries(attributes).sort())
  )?.state

export const telemetryTests = <R>(kit: Kit<R>): void =>
  kit.group("Spans and metrics over the adapter", () => {
    kit.test("spans nest service → decision and storage; metrics count; no identity anywhere", () => {
      const { spans, tracer } = recorder()
      return Effect.gen(function* () {
        const cases = yield* CaseService.CaseService
        const started = performance.now()
        const registered = yield* at(T0)(cases.register(intake, report, { identity }))
        const subject = registered.state.subject.id
        // A report of a child not born yet: refused, and its birth date quoted in the error (never in a span).
        const unborn = yield* Effect.flip(
          at(T0)(
            cases.register(intake, {
              caseId: Schema.decodeSync(CaseModel.CaseId)("case-telemetry-unborn"),
              sex: report.sex,
              birthDate: CalendarDate.decodeSync(UNBORN),
              region: report.region,
              owner: report.owner,
              source: report.source,
              concerns: report.concerns
            })
          )
        )
        expect(unborn._tag).toBe("InvalidInput")
        // The same report again, with the identity: refused, and its failure is in a span.
        const again = yield* Effect.flip(at(T0)(cases.register(intake, report, { identity })))
        expect(again._tag).toBe("CaseAlreadyExists")
        yield* at(T0 + MINUTE)(cases.readIdentity(kasi, caseId, "assessment"))
        // Closing a reported case: refused by the stage rule.
        const refused = yield* Effect.flip(
          at(T0 + MINUTE)(cases.execute(kasi, { _tag: "CloseCase", caseId, reason: "Too early" }))
        )
        expect(refused).toMatchObject({ _tag: "SopViolation", rule: "SOP-STAGE" })

        // The scheduler, a minute after the first-contact deadline, then once the child has been reached.
        const scheduler = yield* DeadlineScheduler.make({ actor: system })
        const due = T0 + Duration.toMillis(Policy.defaults.deadlines["first-contact"].tinggi)
        // A pass just before it escalates what was due earlier (the alert of a case nobody is assigned to)…
        yield* at(due - MINUTE)(scheduler.pass)
        // …so the pass just after it records only the first contact's escalation, a minute late.
        const late = yield* at(due + MINUTE)(scheduler.pass)
        expect(late).toMatchObject({ checked: 1, failed: 0, lagSeconds: 60 })
        // Each first escalation's delay: the unassigned alert's (long past), then the first contact's minute.
        expect(series(yield* Metric.snapshot, Telemetry.names.schedulerLag, {})).toMatchObject({ count: 2, min: 60 })
        expect(late?.overdue).toEqual([{ risk: "unassessed", province: "13", cases: 1 }])
        let metrics = yield* Metric.snapshot
        expect(series(metrics, Telemetry.names.overdueCases, { risk: "unassessed", province: "13" })).toEqual({
          value: 1
        })

        for (const command of [
          { _tag: "AssignCaseworker", caseId, caseworker: kasi.id },
          { _tag: "StartOutreach", caseId },
          { _tag: "RecordFirstContact", caseId }
        ] as const) {
          yield* at(due + 2 * MINUTE)(cases.execute(kasi, command, { idempotencyKey: `${KEY}-${command._tag}` }))
        }
        // A retry of the assignment: answered from its record.
        const retry = yield* at(due + 2 * MINUTE)(
          cases.execute(
            kasi,
            { _tag: "AssignCaseworker", caseId, caseworker: kasi.id },
            { idempotencyKey: `${KEY}-AssignCaseworker` }
          )
        )
        expect(retry.replayed).toBe(true)
        const reached = yield* at(due + 3 * MINUTE)(scheduler.pass)
        expect(reached?.overdue).toEqual([])
        metrics = yield* Metric.snapshot
        // The series of the last pass is set back to 0, not left at its old value.
        expect(series(metrics, Telemetry.names.overdueCases, { risk: "unassessed", province: "13" })).toEqual({
          value: 0
        })
        expect(series(metrics, Telemetry.names.schedulerPasses, { outcome: "completed" })).toMatchObject({ count: 3 })

        // Commands by type and outcome; rejections by rule; every append timed.
        const count = (command: string, outcome: string) =>
          (series(metrics, Telemetry.names.commands, { command, outcome }) as { count: number } | undefined)?.count
        expect(count("RegisterReport", "accepted")).toBe(1)
        expect(count("RegisterReport", "CaseAlreadyExists")).toBe(1)
        expect(count("CloseCase", "SopViolation")).toBe(1)
        expect(count("Tick", "accepted")).toBe(2) // each of the first two passes escalated
        expect(count("Tick", "unchanged")).toBeUndefined() // the last listed nothing: no tick at all
        expect(count("AssignCaseworker", "accepted")).toBe(1)
        expect(count("AssignCaseworker", "replayed")).toBe(1)
        expect(count("RegisterReport", "InvalidInput")).toBe(1)
        expect(series(metrics, Telemetry.names.rejections, { rule: "SOP-STAGE" })).toMatchObject({ count: 1 })
        const appends = series(metrics, Telemetry.names.appendDuration, { outcome: "written" }) as {
          readonly count: number
          readonly min: number
        }
        // The registration, the two escalating ticks and the three commands.
        expect(appends.count).toBe(6)
        // In seconds: together no longer than the whole test took, and more than nothing.
        const appendSeconds = appends as unknown as { readonly sum: number; readonly min: number }
        expect(appendSeconds.min).toBeGreaterThanOrEqual(0)
        expect(appendSeconds.sum).toBeGreaterThan(0)
        expect(appendSeconds.sum).toBeLessThanOrEqual((performance.now() - started) / 1000)

        // Spans: the service's calls, each decision, each storage call beneath the call that made it.
        const names = new Set(spans.map((span) => span.name))
        for (const name of [
          "CaseService.register",
          "CaseService.execute",
          "CaseService.readIdentity",
          "CaseService.list",
          "Decider.decide",
          "EventStore.append",
          "EventStore.load",
          "CaseIndex.query",
          "IdentityVault.put",
          "IdentityVault.get",
          "DeadlineScheduler.runOnce"
        ]) {
          expect([...names], name).toContain(name)
        }
        const append = spans.find((span) => span.name === "EventStore.append") as Tracer.NativeSpan
        expect(ancestors(append)).toContain("CaseService.register")
        const tick = spans.find(
          (span) => span.name === "EventStore.append" && ancestors(span).includes("DeadlineScheduler.runOnce")
        )
        expect(tick).toBeDefined()
        const stage = spans.find(
          (span) => span.name === "Decider.decide" && span.attributes.get("lindung.command") === "CloseCase"
        )
        expect(stage && Object.fromEntries(stage.attributes)).toEqual({
          "lindung.command": "CloseCase",
          "lindung.outcome": "rejected",
          "lindung.rule": "SOP-STAGE"
        })
        expect(spans.every((span) => span.status._tag === "Ended")).toBe(true)
        // Looking for an identity that is not there yet (at registration) is an answer, not an error.
        const lookups = spans.filter(
          (span) => span.name === "IdentityVault.get" && span.attributes.get("lindung.outcome") === "NotFound"
        )
        expect(lookups.length).toBeGreaterThan(0)
        for (const span of lookups) expect(span.status._tag === "Ended" && span.status.exit._tag).toBe("Success")

        // The identity, the ids of the case and its subject, a caller's key, a birth date and a reason: in no span,
        // nor in any metric (refused commands quote some of them in their errors).
        const forbidden = ["Sentinel", NIK, caseId, subject, KEY, UNBORN, "Too early"]
        for (const span of spans) {
          const text = exported(span)
          for (const value of forbidden) expect(text, span.name).not.toContain(value)
        }
        const everything = JSON.stringify(metrics, (_, value) => (typeof value === "bigint" ? String(value) : value))
        for (const value of forbidden) expect(everything).not.toContain(value)
      }).pipe(
        Effect.provide(CaseService.layer().pipe(Layer.provide(Directory.layer(snapshot)))),
        Effect.provideService(Tracer.Tracer, tracer),
        Effect.provideService(Metric.MetricRegistry, new Map())
      )
    })
  })
