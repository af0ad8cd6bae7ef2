/**
 * What Lindung measures about itself: the metrics the case service, the repository and the deadline scheduler
 * record, as `effect` `Metric`s, and the names of the spans they open. Nothing here exports anything: an application
 * provides an exporter (e.g. `effect/observability`'s OTLP layers, as `lindung serve` does when
 * `OTEL_EXPORTER_OTLP_ENDPOINT` is set), or reads the values with `Metric.snapshot`.
 *
 * Every attribute is a code from a small, fixed set — a command type, an outcome, a rule id, a risk level, a
 * province code — never an id of a case, a person or a subject, and never free text: a metric can be shared with
 * whoever runs the monitoring without sharing anything about a child.
 *
 * Spans: `CaseService.<operation>` for every call of the case service (`execute`, `register`, `view`, `list`, …),
 * `Decider.decide` for every decision (attributes `lindung.command`, `lindung.outcome` and, for a rejection,
 * `lindung.rule`), `<Port>.<method>` for every call of a storage port (`EventStore.append`, `CaseIndex.list`,
 * `IdentityVault.get`, …), and `DeadlineScheduler.runOnce` for every pass; a transport adds its request span.
 *
 * @example
 * ```ts
 * import { Telemetry } from "@lindung/core"
 * import { Effect, Metric } from "effect"
 *
 * const rejectedByRule = Effect.map(Metric.snapshot, (all) =>
 *   all.filter((metric) => metric.id === Telemetry.names.rejections)
 * )
 * ```
 *
 * @since 0.4.0
 */
import { Cause, type Effect, Exit, Metric, Option } from "effect"
import type * as CaseCommand from "./CaseCommand.js"
import type * as Risk from "./Risk.js"

/** The metrics' names (OpenTelemetry style: dotted, lower case; durations in seconds). */
export const names = {
  commands: "lindung.commands",
  rejections: "lindung.rejections",
  appendDuration: "lindung.store.append.duration",
  overdueCases: "lindung.cases.overdue",
  schedulerLag: "lindung.scheduler.lag",
  schedulerPasses: "lindung.scheduler.passes",
  schedulerPassDuration: "lindung.scheduler.pass.duration"
} as const

/**
 * How a command ended: `accepted` (events written), `unchanged` (accepted, nothing to write: e.g. a `Tick` with
 * nothing due), `replayed` (a retry answered from the record of its idempotency key), the tag of the error that
 * refused it (`SopViolation`, `Forbidden`, `CaseNotFound`, `VersionConflict`, `InvalidInput`, `StorageUnavailable`,
 * …), `defect` or `interrupted`.
 */
export type Outcome = "accepted" | "unchanged" | "replayed" | "defect" | "interrupted" | (string & {})

/** Commands decided by the case service, by `command` (its type) and `outcome` ({@link Outcome}). */
export const commands = Metric.counter(names.commands, {
  description: "Commands handled by the case service, by command type and outcome",
  incremental: true
})

/** Rejections by the decider, by `rule` (the rule id the rejection cites, e.g. `SOP-02`, `SOP-STAGE`). */
export const rejections = Metric.counter(names.rejections, {
  description: "Commands the decider rejected, by the rule the rejection cites",
  incremental: true
})

/**
 * Seconds an append to the event store took, by `outcome`: `written`, `replayed` (an idempotent twin's record),
 * `conflict` (another writer came first) or `failed`.
 */
export const appendDuration = Metric.histogram(names.appendDuration, {
  description: "Duration of an append to the event store, in seconds, by outcome",
  // 0.5 ms … about 8 s: an in-memory append to a PostgreSQL commit under load.
  boundaries: Metric.exponentialBoundaries({ start: 0.0005, factor: 2, count: 15 })
})

/**
 * Open cases whose next deadline has passed, by `risk` (the assessed `Risk.Level`, or `unassessed`) and `province`
 * (the two-digit code), as the deadline scheduler counted them in its last pass.
 */
export const overdueCases = Metric.gauge(names.overdueCases, {
  description: "Cases with a missed deadline at the scheduler's last pass, by risk level and province"
})

/**
 * The scheduler's lag, in seconds: in its last pass, the longest time between a deadline passing and the
 * scheduler recording its first escalation (0 when the pass escalated nothing). The scheduler promises at most
 * one interval plus the duration of a pass.
 */
export const schedulerLag = Metric.gauge(names.schedulerLag, {
  description: "Longest delay, in seconds, between a deadline passing and its first escalation, in the last pass"
})

/** Scheduler passes, by `outcome` (`completed` or `failed`): a counter that stops growing means a stopped scheduler. */
export const schedulerPasses = Metric.counter(names.schedulerPasses, {
  description: "Deadline scheduler passes, by outcome",
  incremental: true
})

/** Seconds a scheduler pass took. */
export const schedulerPassDuration = Metric.histogram(names.schedulerPassDuration, {
  description: "Duration of a deadline scheduler pass, in seconds",
  boundaries: Metric.exponentialBoundaries({ start: 0.01, factor: 2, count: 14 })
})

/** What ended an effect that failed: the tag of its error, `defect` or `interrupted`. */
export const failureOf = (cause: Cause.Cause<unknown>): Outcome => {
  const error = Cause.findErrorOption(cause)
  if (Option.isSome(error)) {
    const tag = (error.value as { readonly _tag?: unknown } | undefined)?._tag
    return typeof tag === "string" ? tag : "failure"
  }
  return Cause.hasInterruptsOnly(cause) ? "interrupted" : "defect"
}

/** The outcome of a command from its exit: what {@link commands} counts. */
export const outcomeOf = (
  exit: Exit.Exit<{ readonly events: ReadonlyArray<unknown>; readonly replayed: boolean }, unknown>
): Outcome => {
  if (Exit.isFailure(exit)) return failureOf(exit.cause)
  if (exit.value.replayed) return "replayed"
  return exit.value.events.length > 0 ? "accepted" : "unchanged"
}

/** Counts a command once it has ended. */
export const countCommand = (command: CaseCommand.Type, outcome: Outcome): Effect.Effect<void> =>
  Metric.update(Metric.withAttributes(commands, { command, outcome }), 1)

/** Counts a rejection by the rule it cites. */
export const countRejection = (rule: string): Effect.Effect<void> =>
  Metric.update(Metric.withAttributes(rejections, { rule }), 1)

/**
 * The attributes of the overdue gauge: the assessed risk level, or `unassessed` (before the assessment a case's
 * deadlines run on the screening level of its report, which the index does not keep), and a province code.
 */
export interface OverdueKey {
  readonly risk: Risk.Level | "unassessed"
  readonly province: string
}
