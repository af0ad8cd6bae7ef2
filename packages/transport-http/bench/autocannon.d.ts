/**
 * The part of autocannon 9's programmatic API that the benchmark uses. autocannon ships no typings and
 * `@types/autocannon` stops at 7.x, so the benchmark declares what it relies on here (checked against
 * `node_modules/autocannon/lib/{run,aggregateResult,httpRequestBuilder,requestIterator}.js` of 9.0.0).
 */
declare module "autocannon" {
  import type { EventEmitter } from "node:events"

  namespace autocannon {
    /** The request handed to `setupRequest`: the defaults merged with the entry of `requests`. */
    interface RequestData {
      method: string
      path: string
      headers: Record<string, string>
      body?: string | Buffer
    }

    /** One entry of `requests`; `setupRequest` is called before each request (its result is sent). */
    interface Request {
      readonly method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE"
      readonly path?: string
      readonly headers?: Record<string, string>
      readonly body?: string | Buffer
      readonly setupRequest?: (request: RequestData, context: Record<string, unknown>) => RequestData
    }

    interface Options {
      readonly url: string
      /** Concurrent keep-alive connections (default 10). */
      readonly connections?: number
      /** Seconds (default 10). */
      readonly duration?: number
      /** Seconds before a request counts as timed out (default 10). */
      readonly timeout?: number
      readonly requests?: ReadonlyArray<Request>
      /** A run before the measured one whose figures land in `Result.warmup`. */
      readonly warmup?: { readonly connections?: number; readonly duration?: number }
    }

    /** Percentiles and moments of an HDR histogram, as `aggregateResult` reports them. */
    interface Histogram {
      readonly average: number
      readonly mean: number
      readonly stddev: number
      readonly min: number
      readonly max: number
      readonly p50: number
      readonly p90: number
      readonly p99: number
      readonly p99_9: number
    }

    interface Result {
      readonly url: string
      readonly connections: number
      /** Seconds actually run. */
      readonly duration: number
      /** Latency of each response in milliseconds. */
      readonly latency: Histogram & { readonly totalCount: number }
      /** Responses completed per sample (one second by default); `total` counts them all. */
      readonly requests: Histogram & { readonly total: number; readonly sent: number }
      /** Connection errors and timeouts. */
      readonly errors: number
      readonly timeouts: number
      /** Responses whose status was not 2xx. */
      readonly non2xx: number
      readonly statusCodeStats: Readonly<Record<string, { readonly count: number }>>
      readonly warmup?: Result
    }

    /** What `autocannon(options)` returns without a callback: an event emitter that is also a promise. */
    type Instance = EventEmitter & PromiseLike<Result>
  }

  function autocannon(options: autocannon.Options): autocannon.Instance

  export = autocannon
}
