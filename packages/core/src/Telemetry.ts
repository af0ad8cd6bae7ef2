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
 * `lindung.rule`), `<Port>.<method>` for every call of a storage port (`EventStore.append`, `CaseIndex.query`,
 * `IdentityVault.get`, …: every call the case service and the repository make), and `DeadlineScheduler.runOnce` for
 * every pass; a transport adds its request span. Export spans through {@link tracer}, which keeps only codes.
 * `commands` counts `register` and `execute`; a bulk import (`importReports`) is one `CaseService.importReports`
 * span.
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
import { Cause, type Effect, Exit, Metric, Option, Tracer } from "effect"
import type * as CaseCommand from "./CaseCommand.js"
import type * as Risk from "./Risk.js"

/** The unit of the duration metrics, as `effect`'s OTLP exporter reads it (exported as the UCUM unit `s`). */
const seconds = { unit: "seconds" } as const

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
 * `conflict` (another writer came first: the version, or a new subject another case took) or `failed`.
 */
export const appendDuration = Metric.histogram(names.appendDuration, {
  description: "Duration of an append to the event store, in seconds, by outcome",
  attributes: seconds,
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
 * The scheduler's lag, in seconds: for every first escalation of a missed deadline (to the supervisor), the time
 * between the deadline passing and the scheduler recording the escalation. The scheduler promises at most one
 * interval plus the duration of a pass; a first start on old data records the age of its old deadlines.
 */
export const schedulerLag = Metric.histogram(names.schedulerLag, {
  description: "Delay, in seconds, between a deadline passing and its first escalation",
  attributes: seconds,
  // 1 s … about a year (old deadlines at a first start).
  boundaries: Metric.exponentialBoundaries({ start: 1, factor: 2, count: 26 })
})

/** Scheduler passes, by `outcome` (`completed` or `failed`): a counter that stops growing means a stopped scheduler. */
export const schedulerPasses = Metric.counter(names.schedulerPasses, {
  description: "Deadline scheduler passes, by outcome",
  incremental: true
})

/** Seconds a scheduler pass took. */
export const schedulerPassDuration = Metric.histogram(names.schedulerPassDuration, {
  description: "Duration of a deadline scheduler pass, in seconds",
  attributes: seconds,
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

/** The span attributes a {@link tracer} lets through: codes and numbers that describe the work, never its data. */
const allowedAttribute = (key: string): boolean =>
  key.startsWith("lindung.") ||
  key.startsWith("db.system") ||
  key === "db.operation.name" ||
  key === "http.request.method" ||
  key === "http.response.status_code" ||
  key === "url.scheme" ||
  key === "error.type"

/** A failure as a span may show it: its kind, never its message (a message may quote an id, a date or free text). */
class RedactedFailure extends Error {
  constructor(kind: string) {
    super(kind)
    this.name = kind
    this.stack = kind
  }
}

const redactExit = (exit: Exit.Exit<unknown, unknown>): Exit.Exit<unknown, unknown> => {
  if (Exit.isSuccess(exit) || Cause.hasInterruptsOnly(exit.cause)) return exit
  const kind = failureOf(exit.cause)
  if (kind !== "defect") return Exit.fail(new RedactedFailure(kind))
  const defect = Cause.squash(exit.cause)
  return Exit.die(new RedactedFailure(`defect ${defect instanceof Error ? defect.name : typeof defect}`))
}

class RedactedSpan implements Tracer.Span {
  readonly _tag = "Span"
  private readonly inner: Tracer.Span
  constructor(inner: Tracer.Span) {
    this.inner = inner
  }
  get name() {
    return this.inner.name
  }
  get spanId() {
    return this.inner.spanId
  }
  get traceId() {
    return this.inner.traceId
  }
  get parent() {
    return this.inner.parent
  }
  get annotations() {
    return this.inner.annotations
  }
  get status() {
    return this.inner.status
  }
  get attributes() {
    return this.inner.attributes
  }
  get links() {
    return this.inner.links
  }
  get sampled() {
    return this.inner.sampled
  }
  get kind() {
    return this.inner.kind
  }
  end(endTime: bigint, exit: Exit.Exit<unknown, unknown>): void {
    this.inner.end(endTime, redactExit(exit))
  }
  attribute(key: string, value: unknown): void {
    if (allowedAttribute(key)) this.inner.attribute(key, value)
  }
  event(): void {
    // Span events are log lines and exception details: logs stay on stderr; a failure shows its kind at `end`.
  }
  addLinks(links: ReadonlyArray<Tracer.SpanLink>): void {
    this.inner.addLinks(links)
  }
}

/**
 * A tracer that lets through only what may leave the process, for any exporter (OTLP, `@effect/opentelemetry`, …):
 * a span keeps its name, timing, kind, parent and links; its attributes are kept only when they are Lindung's own
 * codes (`lindung.*`), the HTTP method and status, the database system and operation (the URL, path, query, headers,
 * user agent and client address of a request are dropped: a path names a case); a failed span shows the kind of its
 * failure (the error's tag) and never its message, which may quote an id, a birth date or a reason; span events (log
 * lines) are dropped. With `sampleRatio` below 1, that share of new traces is recorded (a trace continued from a
 * caller keeps the caller's decision).
 *
 * @example
 * ```ts
 * import { Telemetry } from "@lindung/core"
 * import { Effect, Layer, Tracer } from "effect"
 * import { OtlpTracer } from "effect/observability"
 *
 * const tracing = Layer.effect(Tracer.Tracer)(
 *   Effect.map(OtlpTracer.make({ url: "http://collector:4318/v1/traces" }), (t) => Telemetry.tracer(t))
 * )
 * ```
 */
export const tracer = (inner: Tracer.Tracer, options: { readonly sampleRatio?: number } = {}): Tracer.Tracer => {
  const ratio = options.sampleRatio ?? 1
  return Tracer.make({
    span(spanOptions) {
      const root = Option.isNone(spanOptions.parent)
      const sampled = root && ratio < 1 ? spanOptions.sampled && Math.random() < ratio : spanOptions.sampled
      return new RedactedSpan(inner.span({ ...spanOptions, sampled }))
    },
    ...(inner.context === undefined ? {} : { context: inner.context })
  })
}
