/**
 * The example's output, asserted: the story runs through the case service to the stage the story ends in for every
 * case, the telling names what the article names, and no identity of the story's (fictional) people is printed.
 */
import { problems, story } from "@lindung/example-story-kit"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { highlights } from "../src/highlights.ts"

describe("seed story 004", () => {
  it("runs to the story's end and says what the story shows", async () => {
    const { result, lines } = await Effect.runPromise(story("004", highlights))
    expect(problems(result, lines)).toEqual({ notAtEnd: [], leaked: [] })
    expect(lines.length).toBeGreaterThan(result.story.steps.length)
    expect(lines).toContain("  004-tipe-a (Dinas Sosial Kota Padang, tipe A): termination → approved oleh kadis")
    expect(lines).toContain(
      "  004-tipe-b (Dinas Sosial Kota Balikpapan, tipe B): termination → approved oleh kabid-rehsos"
    )
    expect(lines).toContain("  004-tipe-c (Dinas Sosial Kabupaten Tanah Datar, tipe C): plan → approved oleh kabid")
  }, 60_000)
})
