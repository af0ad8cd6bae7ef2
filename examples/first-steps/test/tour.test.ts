import { spawnSync } from "node:child_process"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { describeMistake, describePlaces, places } from "../src/tour.ts"

describe("first-steps example", () => {
  it("describes every place of the seed stories", () => {
    const lines = describePlaces()
    expect(lines).toHaveLength(places.length)
    expect(lines.find((line) => line.startsWith("13.71 "))).toMatch(/kota\s+WIB\s+inside Sumatera Barat/)
    expect(lines.find((line) => line.startsWith("64.71 "))).toMatch(/kota\s+WITA\s+outside Sumatera Barat/)
    expect(lines.find((line) => line.startsWith("52 "))).toMatch(/provinsi\s+WITA/)
    expect(lines.find((line) => line.startsWith("13.07 "))).toMatch(/kabupaten\s+WIB\s+inside/)
  })

  it("explains a malformed code", () => {
    expect(describeMistake("13.7")).toMatch(/Invalid region code "13.7": a region code has the shape/)
    expect(describeMistake("99.01")).toMatch(/province 99/)
  })

  it("prints the places and two mistakes when run as a program (node src/main.ts)", () => {
    const program = spawnSync(process.execPath, [join(import.meta.dirname, "..", "src", "main.ts")], {
      encoding: "utf8",
      timeout: 60_000
    })
    expect(program.status, program.stderr).toBe(0)
    expect(program.stdout.trimEnd().split("\n")).toEqual([
      "Lindung — the regions of the seed stories (Kemendagri codes)",
      "",
      ...describePlaces(),
      "",
      "A code that is not one:",
      `  ${describeMistake("13.7")}`,
      `  ${describeMistake("99.01")}`
    ])
  }, 90_000)
})
