/**
 * The example's output, asserted: the story runs through the case service to the stage the story ends in for every
 * case, the telling names what the article names, and no identity of the story's (fictional) people is printed.
 */
import { story } from "@lindung/example-story-kit"
import { Stories } from "@lindung/seeds"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { highlights } from "../src/highlights.ts"

describe("seed story 001", () => {
  it("runs to the story's end and says what the story shows", async () => {
    const { result, lines } = await Effect.runPromise(story("001", highlights))
    for (const c of result.story.cases) expect(result.cases.get(c.caseId)?.stage, c.caseId).toBe(c.finalStage)
    expect(lines.length).toBeGreaterThan(result.story.steps.length)
    expect(lines).toContain(
      "  001-padang-abh: investigation sejak 2025-01-21; diversi wajib, hasil: agreement, penetapan 2025-01-31"
    )
    expect(lines).toContain(
      "  001-padang-abh: Litmas dari Balai Pemasyarakatan (Bapas) Kelas I Padang, diminta 2025-01-23, diterima 2025-01-25"
    )
    expect(lines).toContain(
      '  001-limapuluhkota-napza: Balai Anak "Rumbai" (Kemensos), Pekanbaru — rehabilitation, completed'
    )
    const names = (Stories.all.find((s) => s.seed === "001") as Stories.Story).identities.map((i) => i.identity.name)
    for (const name of names) expect(lines.join("\n")).not.toContain(name)
  }, 60_000)
})
