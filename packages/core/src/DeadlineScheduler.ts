/**
 * The deadline scheduler: what makes SOP-11 happen by itself. At every interval it lists, as the system actor, the
 * cases whose wake-up instant has passed (`CaseService.list` with the narrow access action `list-due`, over the
 * index's `wakeAt`: an escalation falling due, or a child's 18th birthday) a page at a time, and sends each one
 * `Tick` through the case service — the one door — which records a child reaching 18 (SOP-09) and escalates each
 * missed deadline, to the supervisor first and to the head of the Dinas once it is still overdue
 * `escalation.toHeadAfter` later, each exactly once. A case whose escalations are all recorded is not woken again
 * until its next event (or birthday), however long it stays overdue; the overdue cases it reports are counted in the
 * index (`CaseService.counts` with `list-due`). It also ticks the open cases assigned to a person the directory lists
 * but no longer lets their owner assign (`CaseService.staleAssignments`: every person looked up at the first pass,
 * after each reload of the directory and every `staleRecheckMs`), whose `Tick` ends those assignments (SOP-07); a
 * case left with nobody then runs its unassigned-case alert.
 *
 * Safe with several schedulers on one store (several servers): a `Tick` decided on a stale version is decided again
 * by the case service (optimistic concurrency), and the decider escalates each (deadline, due instant, recipient)
 * once, so two schedulers never double an escalation. A `Tick` with nothing new writes no event; when the case's index
 * entry holds due instants its policy does not give (the policy changed), the case service writes the policy's.
 *
 * An escalation is recorded at most one interval plus the duration of a pass after it is due.
 *
 * @example
 * ```ts
 * import { DeadlineScheduler } from "@lindung/core"
 *
 * // beside a server: every minute, as the directory's system person (needs CaseService)
 * const scheduler = DeadlineScheduler.layer({ actor: Directory.actor(snapshot, "lindung-scheduler", "dinsos-13")! })
 * ```
 *
 * @since 0.3.0
 */
import { Cause, DateTime, Duration, Effect, Layer, Metric, Ref } from "effect"
import type * as Actor from "./Actor.js"
import type * as CaseEvent from "./CaseEvent.js"
import type * as CaseModel from "./CaseModel.js"
import * as CaseService from "./CaseService.js"
import * as Telemetry from "./Telemetry.js"

/** Operational defaults (not SOP policy): how often a pass runs, how many cases a page lists, how many at once. */
export const defaults = {
  /** One minute: an escalation is at most about a minute late. */
  intervalMs: 60_000,
  /** Cases listed per page (≤ `CaseIndex.MAX_PAGE`). */
  batchSize: 100,
  /** `Tick`s decided at once. */
  concurrency: 4
} as const

/** How the scheduler runs. */
export interface Config {
  /**
   * The actor it acts as: a person of the directory with the role `system` (who may only list what is due and
   * decide `Tick`), as the directory describes it (`Directory.actor`).
   */
  readonly actor: Actor.Actor
  /** The wait between the end of a pass and the start of the next, in milliseconds. */
  readonly intervalMs?: number
  readonly batchSize?: number
  readonly concurrency?: number
}

/** What a pass did. */
export interface Pass {
  /** When it started. */
  readonly at: DateTime.Utc
  /** Cases ticked: each had an escalation (or a child's 18th birthday) due, or an assignment to end. */
  readonly checked: number
  /** Cases that got at least one event (an escalation, adulthood, an assignment ended). */
  readonly changed: number
  /** Events written. */
  readonly events: number
  /** Ticks that failed (storage, a conflict that kept coming back); logged, tried again at the next pass. */
  readonly failed: number
  /** How long the pass took, in milliseconds. */
  readonly durationMs: number
  /**
   * The overdue cases (a deadline passed, whether or not this pass ticked them), counted in the index when the pass
   * starts, by risk level (`unassessed` before the assessment) and province; only counts above 0.
   */
  readonly overdue: ReadonlyArray<Telemetry.OverdueKey & { readonly cases: number }>
  /**
   * The longest time, in seconds, between a deadline passing and the first escalation this pass recorded for it
   * (0 when it escalated nothing): how far behind the scheduler is.
   */
  readonly lagSeconds: number
}

/** The kind of a failure or defect, for a log line: a tag or an error's name, never a message (it may quote data). */
const kindOf = (cause: Cause.Cause<unknown>): string => {
  const kind = Telemetry.failureOf(cause)
  if (kind !== "defect") return kind
  const defect = Cause.squash(cause)
  return `defect ${defect instanceof Error ? defect.name : typeof defect}`
}

/** For each first escalation (to the supervisor) among these events: seconds between the deadline and the escalation. */
const delaysOf = (events: ReadonlyArray<CaseEvent.Envelope>): ReadonlyArray<number> =>
  events.flatMap((event) =>
    event.payload._tag === "DeadlineEscalated" && event.payload.escalatedTo === "supervisor"
      ? [(DateTime.toEpochMillis(event.recordedAt) - DateTime.toEpochMillis(event.payload.dueAt)) / 1000]
      : []
  )

/** Runs one pass: every case with an escalation (or an 18th birthday) due is ticked once, a page at a time. */
export const runOnce = Effect.fn("DeadlineScheduler.runOnce")(function* (config: Config) {
  const cases = yield* CaseService.CaseService
  const actor = config.actor
  const limit = config.batchSize ?? defaults.batchSize
  const at = yield* DateTime.now
  // The duration by the monotonic clock: the wall clock may be fixed (tests) or jump.
  const started = yield* Effect.clockWith((clock) => clock.monotonicTimeNanos)
  const totals = { checked: 0, changed: 0, events: 0, failed: 0, lagSeconds: 0 }
  // The overdue cases, by risk level and province: counted in the index, not among the cases listed below (an overdue
  // case whose escalations are all recorded is not woken, yet it is still overdue).
  const counted = yield* cases.counts(
    actor,
    { filter: { dueBefore: at }, by: ["risk", "region"], regionDepth: 1 },
    "list-due"
  )
  const overdue = counted.rows.map(({ key, count }) => ({
    // An entry without a risk level (`none`) is a case not yet assessed.
    risk: (key.risk === "none" ? "unassessed" : key.risk) as Telemetry.OverdueKey["risk"],
    province: key.region ?? "",
    cases: count
  }))
  // One case's Tick: the events it wrote, or -1 when it failed. A failure or a defect of one tick is logged (its kind
  // only: never a case's data) and counted; the pass goes on, and the case is ticked again at the next pass.
  const tick = (caseId: CaseModel.CaseId) =>
    cases.execute(actor, { _tag: "Tick", caseId }).pipe(
      Effect.tap((outcome) =>
        Effect.forEach(delaysOf(outcome.events), (delay) => {
          totals.lagSeconds = Math.max(totals.lagSeconds, delay)
          return Metric.update(Telemetry.schedulerLag, delay)
        })
      ),
      Effect.map((outcome) => outcome.events.length),
      Effect.catchCause((cause) =>
        Effect.as(
          Effect.logWarning("scheduler: a tick failed; it is tried again at the next pass").pipe(
            Effect.annotateLogs({ caseId, error: kindOf(cause) })
          ),
          -1
        )
      )
    )
  const ticked = new Set<string>()
  const tickAll = (ids: ReadonlyArray<CaseModel.CaseId>) =>
    Effect.map(Effect.forEach(ids, tick, { concurrency: config.concurrency ?? defaults.concurrency }), (outcomes) => {
      for (const id of ids) ticked.add(id)
      for (const written of outcomes) {
        totals.checked++
        if (written < 0) totals.failed++
        else if (written > 0) {
          totals.changed++
          totals.events += written
        }
      }
    })
  let after: string | undefined
  do {
    const page = yield* cases.list(
      actor,
      { filter: { wakeBefore: at }, limit, ...(after === undefined ? {} : { after }) },
      "list-due"
    )
    yield* tickAll(page.entries.map((entry) => entry.caseId))
    after = page.next
  } while (after !== undefined)
  // The cases assigned to someone the directory no longer lets their owner assign: their Tick ends the assignment
  // (SOP-07), and a case left with nobody then runs its unassigned-case alert (`CaseService.staleAssignments` looks
  // every person up only after a reload, an assignment, or `staleRecheckMs`). A failure to look them up is logged
  // and leaves the pass as it was (the due ticks are written): the next pass looks again.
  const stale = yield* cases
    .staleAssignments(actor)
    .pipe(
      Effect.catchCause((cause) =>
        Effect.as(
          Effect.logWarning(
            "scheduler: looking for assignments to end failed; it is tried again at the next pass"
          ).pipe(Effect.annotateLogs({ error: kindOf(cause) })),
          [] as ReadonlyArray<CaseModel.CaseId>
        )
      )
    )
  yield* tickAll(stale.filter((id) => !ticked.has(id)))
  const ended = yield* Effect.clockWith((clock) => clock.monotonicTimeNanos)
  return {
    at,
    ...totals,
    overdue,
    durationMs: Number((ended - started) / 1_000_000n)
  } satisfies Pass
})

/** The scheduler: its loop, and its last pass. */
export interface Scheduler {
  /** Runs a pass, waits the interval, and again, until interrupted; a pass that fails is logged and retried. */
  readonly run: Effect.Effect<never, never, CaseService.CaseService>
  /**
   * One pass as `run` runs it: logged, its metrics recorded ({@link Telemetry.overdueCases} — a series with no
   * overdue case left set back to 0 — the pass count and duration; {@link runOnce} records each escalation's delay in
   * {@link Telemetry.schedulerLag}); a failed pass is logged and counted, and gives `undefined`.
   */
  readonly pass: Effect.Effect<Pass | undefined, never, CaseService.CaseService>
  readonly lastPass: Effect.Effect<Pass | undefined>
}

/** Makes a scheduler (nothing runs until its `run` does). */
export const make = Effect.fn("DeadlineScheduler.make")(function* (config: Config) {
  const last = yield* Ref.make<Pass | undefined>(undefined)
  const interval = Duration.millis(config.intervalMs ?? defaults.intervalMs)
  // The gauge's series of the last pass: a series that has no overdue case any more is set back to 0.
  let reported = new Map<string, Telemetry.OverdueKey>()
  const measure = (done: Pass) =>
    Effect.suspend(() => {
      const now = new Map(done.overdue.map((o) => [`${o.risk} ${o.province}`, o]))
      const updates = [
        ...done.overdue.map((o) => ({ risk: o.risk, province: o.province, cases: o.cases })),
        ...[...reported].filter(([key]) => !now.has(key)).map(([, o]) => ({ ...o, cases: 0 }))
      ]
      reported = new Map(done.overdue.map((o) => [`${o.risk} ${o.province}`, { risk: o.risk, province: o.province }]))
      return Effect.all(
        [
          ...updates.map((o) =>
            Metric.update(
              Metric.withAttributes(Telemetry.overdueCases, { risk: o.risk, province: o.province }),
              o.cases
            )
          ),
          Metric.update(Telemetry.schedulerPassDuration, done.durationMs / 1000),
          Metric.update(Metric.withAttributes(Telemetry.schedulerPasses, { outcome: "completed" }), 1)
        ],
        { discard: true }
      )
    })
  const pass = runOnce(config).pipe(
    Effect.tap((done) => Ref.set(last, done)),
    Effect.tap(measure),
    Effect.tap((done) =>
      done.changed > 0 || done.failed > 0
        ? Effect.logInfo("scheduler: deadlines checked").pipe(
            Effect.annotateLogs({
              checked: done.checked,
              changed: done.changed,
              events: done.events,
              failed: done.failed,
              durationMs: done.durationMs
            })
          )
        : Effect.void
    ),
    Effect.catchCause((cause) =>
      Effect.logError("scheduler: a pass failed; it runs again after the interval").pipe(
        Effect.annotateLogs({ error: kindOf(cause) }),
        Effect.andThen(Metric.update(Metric.withAttributes(Telemetry.schedulerPasses, { outcome: "failed" }), 1)),
        Effect.as(undefined)
      )
    )
  )
  const run = Effect.forever(Effect.andThen(pass, Effect.sleep(interval))) as Scheduler["run"]
  return { run, pass, lastPass: Ref.get(last) } satisfies Scheduler
})

/** The scheduler running in the background for as long as the layer lives (e.g. beside the HTTP server). */
export const layer = (config: Config): Layer.Layer<never, never, CaseService.CaseService> =>
  Layer.effectDiscard(Effect.flatMap(make(config), (scheduler) => Effect.forkScoped(scheduler.run)))
