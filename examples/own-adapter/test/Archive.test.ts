import { spawnSync } from "node:child_process"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { demo } from "../src/demo.ts"

describe("the archive of the own adapter", () => {
  it("receives each new event once, in its public form: a retried request adds nothing", async () => {
    const events = await demo()
    expect(events.map((event) => `${event.eventId} ${event.type}`)).toEqual([
      "kasus-arsip-1:1 ReportRegistered",
      "kasus-arsip-1:2 CaseworkerAssigned"
    ])
    // The public form: no subject id, no age (a report's exact age would help to find the child).
    const registered = events[0]?.payload as Record<string, unknown>
    expect(registered).not.toHaveProperty("subject")
    expect(registered).not.toHaveProperty("ageAtReport")
    expect(events[0]?.recordedAt).toBe("2025-03-03T02:00:00.000Z")
  })

  it("prints what the archive received when run as a program (node src/main.ts)", async () => {
    const events = await demo()
    const program = spawnSync(process.execPath, [join(import.meta.dirname, "..", "src", "main.ts")], {
      encoding: "utf8",
      timeout: 60_000
    })
    expect(program.status, program.stderr).toBe(0)
    expect(program.stdout.trimEnd().split("\n")).toEqual([
      "What the archive received (public form: codes only):",
      ...events.map((event) => `  ${event.eventId}  ${event.type}  ${JSON.stringify(event.payload)}`)
    ])
  }, 90_000)
})
