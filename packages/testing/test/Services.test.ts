import { describe, expect, it } from "vitest"
import { gate, nats, postgres } from "../src/Services.js"

describe("gate", () => {
  it("runs a suite when its URL is set", () => {
    expect(gate(postgres, { LINDUNG_PG_URL: "postgres://x@h/db" })).toEqual({ _tag: "Run", url: "postgres://x@h/db" })
  })

  it("skips, naming the variable to set, when the URL is missing", () => {
    const decision = gate(nats, {})
    expect(decision._tag).toBe("Skip")
    if (decision._tag === "Skip") expect(decision.message).toContain("LINDUNG_NATS_URL")
  })

  it("treats a blank URL as missing", () => {
    expect(gate(nats, { LINDUNG_NATS_URL: "  " })._tag).toBe("Skip")
  })

  it("fails instead of skipping when services are required", () => {
    const decision = gate(postgres, { LINDUNG_REQUIRE_SERVICES: "1" })
    expect(decision._tag).toBe("Fail")
    if (decision._tag === "Fail") expect(decision.message).toContain("LINDUNG_PG_URL")
  })
})
