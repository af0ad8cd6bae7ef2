/**
 * The failed-authentication limiter with an injected clock (Effect's TestClock): blocking after the limit, the
 * window's end, per-client buckets, the memory bound, and the client address behind trusted proxies only.
 */
import { assert, describe, it } from "@effect/vitest"
import { fc } from "@fast-check/vitest"
import { Clock, Effect, Option } from "effect"
import { TestClock } from "effect/testing"
import { RateLimit } from "../src/index.js"

const seconds = (option: Option.Option<number>) => Option.getOrUndefined(option)

describe("RateLimit", () => {
  it.effect("blocks a client after maxFailures failures until its window ends", () =>
    Effect.gen(function* () {
      const limiter = yield* RateLimit.make({ maxFailures: 3, windowSeconds: 60 })
      assert.strictEqual(seconds(yield* limiter.failed("a")), undefined)
      assert.strictEqual(seconds(yield* limiter.failed("a")), undefined)
      assert.strictEqual(seconds(yield* limiter.blocked("a")), undefined)
      assert.strictEqual(seconds(yield* limiter.failed("a")), 60)
      yield* TestClock.adjust("20 seconds")
      assert.strictEqual(seconds(yield* limiter.blocked("a")), 40)
      // Another client is not affected.
      assert.strictEqual(seconds(yield* limiter.blocked("b")), undefined)
      yield* TestClock.adjust("40 seconds")
      assert.strictEqual(seconds(yield* limiter.blocked("a")), undefined)
      // A new window starts from zero.
      assert.strictEqual(seconds(yield* limiter.failed("a")), undefined)
    })
  )

  it.effect("never holds more than maxClients addresses, dropping expired windows first, then the oldest", () =>
    Effect.gen(function* () {
      const limiter = yield* RateLimit.make({ maxFailures: 1, windowSeconds: 10, maxClients: 2 })
      yield* limiter.failed("old")
      yield* TestClock.adjust("11 seconds")
      yield* limiter.failed("x")
      yield* limiter.failed("y") // "old" has expired: dropped, x and y kept
      assert.strictEqual(seconds(yield* limiter.blocked("x")), 10)
      assert.strictEqual(seconds(yield* limiter.blocked("y")), 10)
      yield* limiter.failed("z") // full of live windows: the oldest (x) goes
      assert.strictEqual(seconds(yield* limiter.blocked("x")), undefined)
      assert.strictEqual(seconds(yield* limiter.blocked("z")), 10)
    })
  )

  it.effect("a client is blocked exactly when its failures in the current window reach the limit (property)", () =>
    Effect.gen(function* () {
      const steps = fc.sample(
        fc.array(fc.record({ client: fc.constantFrom("a", "b", "c"), wait: fc.integer({ min: 0, max: 40 }) }), {
          minLength: 1,
          maxLength: 60
        }),
        { numRuns: 40, seed: 9 }
      )
      for (const run of steps) {
        const limiter = yield* RateLimit.make({ maxFailures: 4, windowSeconds: 30 })
        const model = new Map<string, { start: number; failures: number }>()
        let now = yield* Clock.currentTimeMillis
        for (const { client, wait } of run) {
          yield* TestClock.adjust(`${wait} seconds`)
          now += wait * 1000
          let window = model.get(client)
          if (window === undefined || now >= window.start + 30_000) window = { start: now, failures: 0 }
          window.failures++
          model.set(client, window)
          const blocked = seconds(yield* limiter.failed(client)) !== undefined
          assert.strictEqual(blocked, window.failures >= 4)
        }
      }
    })
  )

  it("takes the client address from X-Forwarded-For only behind a trusted proxy", () => {
    assert.strictEqual(RateLimit.clientAddress("198.51.100.4", "203.0.113.9", []), "198.51.100.4")
    assert.strictEqual(RateLimit.clientAddress("10.0.0.2", "203.0.113.9", ["10.0.0.2"]), "203.0.113.9")
    // The client may prepend anything; the nearest hop that is not a trusted proxy counts.
    assert.strictEqual(
      RateLimit.clientAddress("10.0.0.2", "1.2.3.4, 203.0.113.9, 10.0.0.3", ["10.0.0.2", "10.0.0.3"]),
      "203.0.113.9"
    )
    assert.strictEqual(RateLimit.clientAddress(undefined, undefined, []), "unknown")
  })

  it("refuses unusable configurations", () => {
    assert.match(RateLimit.validate({ maxFailures: 0 }) ?? "", /maxFailures/)
    assert.match(RateLimit.validate({ windowSeconds: 1.5 }) ?? "", /windowSeconds/)
    assert.isUndefined(RateLimit.validate({}))
  })
})
