import { spawnSync } from "node:child_process"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { walkthrough } from "../src/embed.ts"

describe("embed-core example", () => {
  it("decides with plain functions: risk, a registration, a refusal with its rule and basis, deadlines", () => {
    const lines = walkthrough()
    expect(lines[0]).toBe("Risk of a report of physical-or-psychological-violence + out-of-school: sedang")
    expect(lines).toContain("Registered: ReportRegistered; stage reported")
    const refused = lines.find((line) => line.startsWith("Refused: "))
    expect(refused).toMatch(/^Refused: SOP-07 \(.*the caseworker is not assigned to the case$/u)
    expect(lines[lines.indexOf(refused as string) + 1]).toMatch(/^ {2}rule SOP-07; basis: .*Lindung SOP/u)
    expect(lines).toContain("StartOutreach by sakti-peksos-1: StageChanged")
    expect(lines).toContain("Stage now: outreach, version 3")
    // sedang: first contact within 72 hours of the report (2025-03-03T02:00Z)
    expect(lines).toContain("Due: first-contact at 2025-03-06T02:00:00.000Z (sedang)")
  })

  it("gives the same lines every time (every instant is an argument)", () => {
    expect(walkthrough()).toEqual(walkthrough())
  })

  it("prints exactly those lines when run as a program (node src/main.ts)", () => {
    const program = spawnSync(process.execPath, [join(import.meta.dirname, "..", "src", "main.ts")], {
      encoding: "utf8",
      timeout: 60_000
    })
    expect(program.status, program.stderr).toBe(0)
    expect(program.stdout.trimEnd().split("\n")).toEqual(walkthrough())
  }, 90_000)
})
