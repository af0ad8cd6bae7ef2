/**
 * The example's output, asserted: the story runs through the case service to the stage the story ends in for every
 * case, the telling names what the article names, and no identity of the story's (fictional) people is printed.
 */
import { story } from "@lindung/example-story-kit"
import { Stories } from "@lindung/seeds"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { highlights } from "../src/highlights.ts"

describe("seed story 002", () => {
  it("runs to the story's end and says what the story shows", async () => {
    const { result, lines } = await Effect.runPromise(story("002", highlights))
    for (const c of result.story.cases) expect(result.cases.get(c.caseId)?.stage, c.caseId).toBe(c.finalStage)
    expect(lines.length).toBeGreaterThan(result.story.steps.length)
    expect(lines).toContain(
      "  002-balikpapan-sekolah-c: laporan dari school; risiko belum dinilai; pendamping 1; Ditutup (Closed) — not-a-protection-case"
    )
    expect(lines).toContain(
      "  002-balikpapan-sekolah-a: laporan dari school; risiko sedang; pendamping 3; Ditutup (Closed) — Stabil setelah reintegrasi"
    )
    const names = (Stories.all.find((s) => s.seed === "002") as Stories.Story).identities.map((i) => i.identity.name)
    for (const name of names) expect(lines.join("\n")).not.toContain(name)
  }, 60_000)
})
