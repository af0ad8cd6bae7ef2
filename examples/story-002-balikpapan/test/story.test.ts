/**
 * The example's output, asserted: the story runs through the case service to the stage the story ends in for every
 * case, the telling names what the article names, and no identity of the story's (fictional) people is printed.
 */
import { join } from "node:path"
import { problems, programOutput, story } from "@lindung/example-story-kit"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { highlights } from "../src/highlights.ts"

describe("seed story 002", () => {
  it("runs to the story's end and says what the story shows", async () => {
    const { result, lines } = await Effect.runPromise(story("002", highlights))
    expect(problems(result, lines)).toEqual({ notAtEnd: [], leaked: [] })
    expect(lines.length).toBeGreaterThan(result.story.steps.length)
    expect(lines).toContain(
      "  002-balikpapan-sekolah-c: laporan dari school; risiko belum dinilai; pendamping 1; Ditutup (Closed) — not-a-protection-case"
    )
    expect(lines).toContain(
      "  002-balikpapan-sekolah-a: laporan dari school; risiko sedang; pendamping 3; Ditutup (Closed) — Stabil setelah reintegrasi"
    )
  }, 60_000)

  it("prints exactly that telling when run as a program (node src/main.ts)", async () => {
    const { lines } = await Effect.runPromise(story("002", highlights))
    const program = programOutput(join(import.meta.dirname, "..", "src", "main.ts"))
    expect(program.status, program.stderr).toBe(0)
    expect(program.lines).toEqual(lines)
  }, 90_000)
})
