/**
 * Traces and metrics over OTLP/HTTP, configured by the standard OpenTelemetry variables: nothing is exported unless
 * `OTEL_EXPORTER_OTLP_ENDPOINT` (or a per-signal `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` /
 * `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT`) is set. What is exported is what core records (`Telemetry`: the case
 * service's, the decider's and the storage ports' spans, the commands, rejections, append durations, overdue cases
 * and the scheduler's lag) and the HTTP server's request spans, through `Telemetry.tracer`: span attributes are
 * codes only, a failure shows its kind, never its message. Other OpenTelemetry variables (per-signal headers,
 * protocol, compression, timeouts) are not read.
 *
 * | variable | meaning | default |
 * | --- | --- | --- |
 * | `OTEL_EXPORTER_OTLP_ENDPOINT` | the collector's base URL; `/v1/traces` and `/v1/metrics` are appended | none: no export |
 * | `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, `…_METRICS_ENDPOINT` | one signal's full URL | from the base URL |
 * | `OTEL_EXPORTER_OTLP_PROTOCOL` | `http/protobuf` or `http/json` (`grpc` is not supported) | `http/protobuf` |
 * | `OTEL_EXPORTER_OTLP_HEADERS` | `key=value,…` (URL-encoded values), e.g. an API key | none |
 * | `OTEL_TRACES_EXPORTER`, `OTEL_METRICS_EXPORTER` | `otlp`, or `none` to turn one signal off | `otlp` |
 * | `OTEL_SERVICE_NAME` | the `service.name` of the resource | `lindung` |
 * | `OTEL_RESOURCE_ATTRIBUTES` | further resource attributes, `key=value,…` | a random `service.instance.id` |
 * | `OTEL_TRACES_SAMPLER`, `OTEL_TRACES_SAMPLER_ARG` | `always_on`, `always_off`, `traceidratio` (or their `parentbased_` forms) and its ratio | every trace |
 * | `OTEL_BSP_SCHEDULE_DELAY` | milliseconds between span exports | 5000 |
 * | `OTEL_METRIC_EXPORT_INTERVAL` | milliseconds between metric exports | 60000 |
 * | `OTEL_SDK_DISABLED` | `true` turns every export off | `false` |
 *
 * Logs are not exported over OTLP: they are JSON lines on stderr (`--log`), for the journal or the container runtime.
 *
 * @since 0.4.0
 */
import { randomUUID } from "node:crypto"
import { Telemetry } from "@lindung/core"
import { Duration, Effect, Layer, Result, Tracer } from "effect"
import { FetchHttpClient } from "effect/http"
import { OtlpExporter, OtlpMetrics, OtlpSerialization, OtlpTracer } from "effect/observability"
import { SetupError } from "./Environment.js"

/** Where and how traces and metrics are exported. */
export interface Settings {
  /** The URL spans are posted to, or none when traces are off. */
  readonly traces?: string
  /** The URL metrics are posted to, or none when metrics are off. */
  readonly metrics?: string
  readonly protocol: "http/protobuf" | "http/json"
  readonly headers: Readonly<Record<string, string>>
  readonly resource: {
    readonly serviceName: string
    readonly serviceVersion: string
    readonly attributes: Readonly<Record<string, string>>
  }
  readonly traceIntervalMs: number
  readonly metricIntervalMs: number
  /** The share of new traces recorded (`OTEL_TRACES_SAMPLER`, `OTEL_TRACES_SAMPLER_ARG`). */
  readonly sampleRatio: number
}

type Env = Readonly<Record<string, string | undefined>>

const read = (env: Env, name: string): string | undefined => {
  const value = env[name]?.trim()
  return value === undefined || value.length === 0 ? undefined : value
}

/** `key=value,key=value` (values URL-encoded), as the OpenTelemetry variables write lists. */
const pairs = (name: string, text: string | undefined): Result.Result<Record<string, string>, SetupError> => {
  const out: Record<string, string> = {}
  if (text === undefined) return Result.succeed(out)
  for (const part of text.split(",")) {
    if (part.trim().length === 0) continue
    const at = part.indexOf("=")
    const key = at <= 0 ? "" : part.slice(0, at).trim()
    if (key.length === 0) return Result.fail(new SetupError({ reason: `${name} is a list of key=value pairs` }))
    try {
      out[key] = decodeURIComponent(part.slice(at + 1).trim())
    } catch {
      return Result.fail(new SetupError({ reason: `${name}: the value of ${key} is not URL-encoded correctly` }))
    }
  }
  return Result.succeed(out)
}

const milliseconds = (env: Env, name: string, fallback: number): Result.Result<number, SetupError> => {
  const text = read(env, name)
  if (text === undefined) return Result.succeed(fallback)
  const value = Number(text)
  return Number.isSafeInteger(value) && value > 0
    ? Result.succeed(value)
    : Result.fail(new SetupError({ reason: `${name} is a number of milliseconds above 0, not ${text}` }))
}

/** A signal's URL: its own variable, else the base URL with `/v1/<signal>`; none when off or not configured. */
const signalUrl = (env: Env, signal: "TRACES" | "METRICS"): Result.Result<string | undefined, SetupError> => {
  const exporter = (read(env, `OTEL_${signal}_EXPORTER`) ?? "otlp").toLowerCase()
  if (exporter === "none") return Result.succeed(undefined)
  if (exporter !== "otlp") {
    return Result.fail(new SetupError({ reason: `OTEL_${signal}_EXPORTER is otlp or none, not ${exporter}` }))
  }
  const own = read(env, `OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`)
  const base = read(env, "OTEL_EXPORTER_OTLP_ENDPOINT")
  const text = own ?? base
  if (text === undefined) return Result.succeed(undefined)
  const variable = own === undefined ? "OTEL_EXPORTER_OTLP_ENDPOINT" : `OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return Result.fail(new SetupError({ reason: `${variable} is not a URL` }))
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return Result.fail(new SetupError({ reason: `${variable} is an http:// or https:// URL` }))
  }
  if (own === undefined) url.pathname = `${url.pathname.replace(/\/$/u, "")}/v1/${signal.toLowerCase()}`
  return Result.succeed(url.toString())
}

/** The share of new traces to record, from the standard sampler variables (every sampler here follows a parent). */
const sampleRatio = (env: Env): Result.Result<number, SetupError> => {
  const sampler = (read(env, "OTEL_TRACES_SAMPLER") ?? "parentbased_always_on").toLowerCase()
  if (sampler === "always_on" || sampler === "parentbased_always_on") return Result.succeed(1)
  if (sampler === "always_off" || sampler === "parentbased_always_off") return Result.succeed(0)
  if (sampler !== "traceidratio" && sampler !== "parentbased_traceidratio") {
    return Result.fail(
      new SetupError({
        reason: `OTEL_TRACES_SAMPLER is always_on, always_off, traceidratio or their parentbased_ forms, not ${sampler}`
      })
    )
  }
  const text = read(env, "OTEL_TRACES_SAMPLER_ARG") ?? "1"
  const ratio = Number(text)
  return Number.isFinite(ratio) && ratio >= 0 && ratio <= 1
    ? Result.succeed(ratio)
    : Result.fail(new SetupError({ reason: `OTEL_TRACES_SAMPLER_ARG is a ratio from 0 to 1, not ${text}` }))
}

/**
 * The settings from the environment (`process.env` by default): `undefined` when nothing is to be exported, a
 * `SetupError` naming the variable when one is unusable.
 */
export const settings = (
  serviceVersion: string,
  env: Env = process.env
): Result.Result<Settings | undefined, SetupError> =>
  Result.gen(function* () {
    if ((read(env, "OTEL_SDK_DISABLED") ?? "false").toLowerCase() === "true") return undefined
    const traces = yield* signalUrl(env, "TRACES")
    const metrics = yield* signalUrl(env, "METRICS")
    if (traces === undefined && metrics === undefined) return undefined
    const protocol = read(env, "OTEL_EXPORTER_OTLP_PROTOCOL") ?? "http/protobuf"
    if (protocol !== "http/protobuf" && protocol !== "http/json") {
      return yield* Result.fail(
        new SetupError({
          reason: `OTEL_EXPORTER_OTLP_PROTOCOL is http/protobuf or http/json (gRPC is not supported), not ${protocol}`
        })
      )
    }
    const attributes = yield* pairs("OTEL_RESOURCE_ATTRIBUTES", read(env, "OTEL_RESOURCE_ATTRIBUTES"))
    return {
      ...(traces === undefined ? {} : { traces }),
      ...(metrics === undefined ? {} : { metrics }),
      protocol,
      headers: yield* pairs("OTEL_EXPORTER_OTLP_HEADERS", read(env, "OTEL_EXPORTER_OTLP_HEADERS")),
      resource: {
        serviceName: read(env, "OTEL_SERVICE_NAME") ?? attributes["service.name"] ?? "lindung",
        serviceVersion,
        // Each process its own series: two servers (or a server and a scheduler) never overwrite each other's counters.
        attributes: { "service.instance.id": randomUUID(), ...attributes }
      },
      sampleRatio: yield* sampleRatio(env),
      traceIntervalMs: yield* milliseconds(env, "OTEL_BSP_SCHEDULE_DELAY", 5_000),
      metricIntervalMs: yield* milliseconds(env, "OTEL_METRIC_EXPORT_INTERVAL", 60_000)
    } satisfies Settings
  })

/** The exporters of the settings (nothing for `undefined`); what is still buffered is sent when the layer closes. */
export const layer = (config: Settings | undefined): Layer.Layer<never> => {
  if (config === undefined) return Layer.empty
  const resource = config.resource
  const headers = config.headers
  const exporters = Layer.mergeAll(
    config.traces === undefined
      ? Layer.empty
      : // Behind core's tracer: only codes leave the process (no URLs, ids, messages or log lines).
        Layer.effect(Tracer.Tracer)(
          Effect.map(
            OtlpTracer.make({
              url: config.traces,
              resource,
              headers,
              exportInterval: Duration.millis(config.traceIntervalMs)
            }),
            (tracer) => Telemetry.tracer(tracer, { sampleRatio: config.sampleRatio })
          )
        ).pipe(Layer.provideMerge(OtlpExporter.layerFlusher)),
    config.metrics === undefined
      ? Layer.empty
      : OtlpMetrics.layer({
          url: config.metrics,
          resource,
          headers,
          exportInterval: Duration.millis(config.metricIntervalMs)
        })
  )
  return exporters.pipe(
    Layer.provide(config.protocol === "http/json" ? OtlpSerialization.layerJson : OtlpSerialization.layerProtobuf),
    Layer.provide(FetchHttpClient.layer)
  ) as Layer.Layer<never>
}

/** Where the settings send what, for the start-up message: the URLs without credentials. */
export const describe = (config: Settings): string => {
  const host = (url: string) => {
    const parsed = new URL(url)
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`
  }
  return [
    config.traces === undefined ? undefined : `traces → ${host(config.traces)}`,
    config.metrics === undefined ? undefined : `metrics → ${host(config.metrics)}`
  ]
    .filter((part) => part !== undefined)
    .join(", ")
}
