/** Verified tokens are remembered until they expire, and a server can ask for them without verifying again. */
import { describe, expect, it } from "@effect/vitest"
import { Actor } from "@lindung/core"
import { Effect, Option } from "effect"
import { TestClock } from "effect/testing"
import { Token } from "../src/index.js"

const config: Token.Config = {
  issuer: "lindung",
  audience: "lindung",
  keys: Token.secret("a-development-secret-of-32-bytes!!")
}
const kasi = Actor.make({ id: "kasi-padang", role: "supervisor", agency: "dinsos-13.71", region: "13.71" })

describe("Token.makeVerifier: remembered", () => {
  it.effect("knows a token only once it has verified it, and only until it expires", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.parse("2026-12-08T00:00:00Z"))
      const verifier = yield* Token.makeVerifier(config)
      // Issued at midnight, expiring at 01:00 (absolute instants: the test clock is not the wall clock).
      const token = yield* Token.sign(config, kasi, {
        expiresIn: Date.parse("2026-12-08T01:00:00Z") / 1000,
        issuedAt: Date.parse("2026-12-08T00:00:00Z") / 1000
      })
      expect(Option.isNone(yield* verifier.remembered(token))).toBe(true)
      const claims = yield* verifier.verify(token)
      expect(claims.sub).toBe("kasi-padang")
      expect(Option.getOrUndefined(yield* verifier.remembered(token))).toEqual(claims)
      expect(Option.isNone(yield* verifier.remembered(`${token}x`))).toBe(true)
      expect(Option.isNone(yield* verifier.remembered(""))).toBe(true)
      // Past its expiry and the clock tolerance, it is forgotten.
      yield* TestClock.adjust("2 hours")
      expect(Option.isNone(yield* verifier.remembered(token))).toBe(true)
    })
  )
})
