/**
 * A limit on failed authentications per client address: after `maxFailures` failed attempts within a window of
 * `windowSeconds`, the client's further requests are answered 429 (with `Retry-After`) until the window ends.
 * Only failures count — a client that authenticates is never slowed down — and a blocked client is refused before
 * its token is even verified.
 *
 * The limiter lives in memory, per process, and reads time from Effect's `Clock` (tests move a `TestClock`). At
 * scale, behind several instances, put a shared limiter in front (the reverse proxy's or the gateway's); this one
 * still bounds what a single process lets through. It holds at most `maxClients` addresses; when full, expired
 * windows are dropped first, then the oldest.
 *
 * @example
 * ```ts
 * import { RateLimit } from "@lindung/transport-http"
 *
 * const limiter = yield* RateLimit.make({ maxFailures: 20, windowSeconds: 60 })
 * const wait = yield* limiter.blocked("203.0.113.7") // Option: seconds to wait, when blocked
 * ```
 *
 * @since 0.1.0
 */
import { Clock, Effect, Option } from "effect"

/** How failed authentications are limited. */
export interface Config {
  /** Failed authentications a client may make within one window. Default 20. */
  readonly maxFailures?: number
  /** The window, in seconds. Default 60. */
  readonly windowSeconds?: number
  /** The most client addresses held in memory. Default 10000. */
  readonly maxClients?: number
}

/**
 * The default limit: 20 failed authentications per client address per minute. A Lindung default (no regulation
 * sets one): enough for a person who mistypes, far below what a token-guessing script needs.
 */
export const defaults = { maxFailures: 20, windowSeconds: 60, maxClients: 10_000 } as const

/** The limiter of one process. */
export interface Limiter {
  /** Seconds the client must wait before trying again, when it is blocked now. */
  readonly blocked: (client: string) => Effect.Effect<Option.Option<number>>
  /** Records a failed authentication; answers the seconds to wait when the client is now blocked. */
  readonly failed: (client: string) => Effect.Effect<Option.Option<number>>
}

/** Checks a configuration: whole numbers from 1. */
export const validate = (config: Config): string | undefined => {
  for (const [name, value] of Object.entries({ ...defaults, ...config })) {
    if (!Number.isSafeInteger(value) || value < 1) return `${name} must be a whole number from 1 (got ${value})`
  }
  return undefined
}

interface Window {
  readonly start: number
  failures: number
}

/** Builds a limiter (state in memory; time from `Clock`). */
export const make = (config: Config = {}): Effect.Effect<Limiter> =>
  Effect.sync(() => {
    const maxFailures = config.maxFailures ?? defaults.maxFailures
    const windowMs = (config.windowSeconds ?? defaults.windowSeconds) * 1000
    const maxClients = config.maxClients ?? defaults.maxClients
    const windows = new Map<string, Window>()

    const wait = (window: Window, now: number): Option.Option<number> =>
      window.failures >= maxFailures && now < window.start + windowMs
        ? Option.some(Math.max(1, Math.ceil((window.start + windowMs - now) / 1000)))
        : Option.none()

    const makeRoom = (now: number) => {
      if (windows.size < maxClients) return
      for (const [client, window] of windows) if (now >= window.start + windowMs) windows.delete(client)
      // Maps iterate in insertion order: the first entries are the oldest windows.
      for (const client of windows.keys()) {
        if (windows.size < maxClients) break
        windows.delete(client)
      }
    }

    const blocked = (client: string) =>
      Effect.map(Clock.currentTimeMillis, (now) => {
        const window = windows.get(client)
        return window === undefined ? Option.none<number>() : wait(window, now)
      })

    const failed = (client: string) =>
      Effect.map(Clock.currentTimeMillis, (now) => {
        let window = windows.get(client)
        if (window === undefined || now >= window.start + windowMs) {
          windows.delete(client)
          makeRoom(now)
          window = { start: now, failures: 0 }
          windows.set(client, window)
        }
        window.failures++
        return wait(window, now)
      })

    return { blocked, failed }
  })

/**
 * The client address of a request: the socket's peer, or — only when the peer is one of the `trustedProxies` — the
 * nearest address in `X-Forwarded-For` that is not itself a trusted proxy.
 */
export const clientAddress = (
  peer: string | undefined,
  forwardedFor: string | undefined,
  trustedProxies: ReadonlyArray<string>
): string => {
  const socket = peer ?? "unknown"
  if (forwardedFor === undefined || !trustedProxies.includes(socket)) return socket
  const hops = forwardedFor
    .split(",")
    .map((hop) => hop.trim())
    .filter((hop) => hop.length > 0)
  for (let index = hops.length - 1; index >= 0; index--) {
    const hop = hops[index]
    if (hop !== undefined && !trustedProxies.includes(hop)) return hop.slice(0, 64)
  }
  return socket
}
