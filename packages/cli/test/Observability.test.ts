/** How `lindung` reads the OpenTelemetry variables: nothing exported unless an endpoint is set, errors that name the variable. */
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import * as Observability from "../src/Observability.js"

const settings = (env: Record<string, string>) => Observability.settings("1.2.3", env)

describe("OpenTelemetry settings", () => {
  it("exports nothing without an endpoint, or when the SDK is disabled, or when both signals are off", () => {
    expect(settings({})).toEqual(Result.succeed(undefined))
    expect(settings({ OTEL_SERVICE_NAME: "x", OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" })).toEqual(
      Result.succeed(undefined)
    )
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" }
    expect(settings({ ...endpoint, OTEL_SDK_DISABLED: "true" })).toEqual(Result.succeed(undefined))
    expect(settings({ ...endpoint, OTEL_TRACES_EXPORTER: "none", OTEL_METRICS_EXPORTER: "none" })).toEqual(
      Result.succeed(undefined)
    )
  })

  it("appends /v1/<signal> to the base URL, takes a signal's own URL as it is, and reads the resource", () => {
    const found = Result.getOrThrow(
      settings({
        OTEL_EXPORTER_OTLP_ENDPOINT: "https://collector.example:4318/otlp/",
        OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: "http://metrics.example:9090/api/v1/otlp/v1/metrics",
        OTEL_EXPORTER_OTLP_HEADERS: "api-key=a%2Cb,x-team=dinsos",
        OTEL_RESOURCE_ATTRIBUTES: "deployment.environment=production,service.namespace=kota-padang",
        OTEL_BSP_SCHEDULE_DELAY: "1000"
      })
    )
    // Each process gets an instance id of its own (kept when the environment names one).
    const instance = (found as Observability.Settings).resource.attributes["service.instance.id"]
    expect(instance).toMatch(/^[0-9a-f-]{36}$/)
    expect(found).toEqual({
      traces: "https://collector.example:4318/otlp/v1/traces",
      metrics: "http://metrics.example:9090/api/v1/otlp/v1/metrics",
      protocol: "http/protobuf",
      headers: { "api-key": "a,b", "x-team": "dinsos" },
      resource: {
        serviceName: "lindung",
        serviceVersion: "1.2.3",
        attributes: {
          "service.instance.id": instance,
          "deployment.environment": "production",
          "service.namespace": "kota-padang"
        }
      },
      traceIntervalMs: 1000,
      metricIntervalMs: 60_000,
      sampleRatio: 1
    })
    const named = Result.getOrThrow(
      settings({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_RESOURCE_ATTRIBUTES: "service.instance.id=api-1" })
    )
    expect(named?.resource.attributes["service.instance.id"]).toBe("api-1")
    const sampled = Result.getOrThrow(
      settings({
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318",
        OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
        OTEL_TRACES_SAMPLER_ARG: "0.1"
      })
    )
    expect(sampled?.sampleRatio).toBe(0.1)
    expect(
      Result.getOrThrow(settings({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_TRACES_SAMPLER: "always_off" }))
        ?.sampleRatio
    ).toBe(0)
    // The start-up line shows where, never the headers (they may hold a key).
    expect(Observability.describe(found as Observability.Settings)).toBe(
      "traces → https://collector.example:4318/otlp/v1/traces, metrics → http://metrics.example:9090/api/v1/otlp/v1/metrics"
    )
    const tracesOnly = Result.getOrThrow(
      settings({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_METRICS_EXPORTER: "none" })
    )
    expect(tracesOnly).toMatchObject({ traces: "http://c:4318/v1/traces" })
    expect(tracesOnly).not.toHaveProperty("metrics")
  })

  it("refuses what it cannot do, naming the variable", () => {
    const reason = (env: Record<string, string>) => {
      const found = settings({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", ...env })
      return Result.isFailure(found) ? found.failure.reason : "accepted"
    }
    expect(reason({ OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" })).toContain("gRPC is not supported")
    expect(reason({ OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" })).toContain("OTEL_EXPORTER_OTLP_ENDPOINT is")
    expect(reason({ OTEL_EXPORTER_OTLP_ENDPOINT: "ftp://collector" })).toContain("http:// or https://")
    expect(reason({ OTEL_TRACES_EXPORTER: "zipkin" })).toContain("OTEL_TRACES_EXPORTER is otlp or none")
    expect(reason({ OTEL_EXPORTER_OTLP_HEADERS: "novalue" })).toContain("OTEL_EXPORTER_OTLP_HEADERS")
    expect(reason({ OTEL_EXPORTER_OTLP_HEADERS: "k=%E0%A4%A" })).toContain("not URL-encoded")
    expect(reason({ OTEL_METRIC_EXPORT_INTERVAL: "soon" })).toContain("OTEL_METRIC_EXPORT_INTERVAL")
    expect(reason({ OTEL_BSP_SCHEDULE_DELAY: "0" })).toContain("above 0")
    expect(reason({ OTEL_TRACES_SAMPLER: "jaeger_remote" })).toContain("OTEL_TRACES_SAMPLER is")
    expect(reason({ OTEL_TRACES_SAMPLER: "traceidratio", OTEL_TRACES_SAMPLER_ARG: "2" })).toContain("0 to 1")
  })
})
