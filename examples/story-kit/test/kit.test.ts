/** The telling of a story: one line per step, in the story's local time, with the stage when it changes. */
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { localTime, problems, stage, story } from "../src/index.ts"

describe("story kit", () => {
  it("tells every step at the story's own instant, whatever today is", async () => {
    const { result, lines } = await Effect.runPromise(story("000", () => Effect.succeed(["(no highlights)"])))
    expect(result.steps).toHaveLength(result.story.steps.length)
    expect(lines[0]).toBe(`000-padang: ${result.story.title.id}`)
    expect(lines).toContain(
      "2022-03-07 09:00 WIB · 000-padang-kakak · caseworker, Sentra Handayani (Kemensos), Jakarta · RegisterReport → ReportRegistered"
    )
    expect(lines.at(-1)).toBe("(no highlights)")
  }, 60_000)

  it("writes local times by the region's zone and stages in Indonesian and English", () => {
    expect(localTime("2025-01-06T01:00:00Z", "64.71" as Parameters<typeof localTime>[1])).toBe("2025-01-06 09:00 WITA")
    expect(localTime("2025-01-06T23:30:00Z", "13.71" as Parameters<typeof localTime>[1])).toBe("2025-01-07 06:30 WIB")
    expect(stage("aftercare")).toBe("Bimbingan lanjut (Aftercare)")
  })

  it("finds a case that did not reach the story's end, and a name in the telling", async () => {
    const { result, lines } = await Effect.runPromise(story("000", () => Effect.succeed([])))
    expect(problems(result, lines)).toEqual({ notAtEnd: [], leaked: [] })
    const first = result.story.cases[0] as (typeof result.story.cases)[number]
    const cases = new Map(result.cases)
    cases.set(first.caseId, {
      ...(cases.get(first.caseId) as NonNullable<ReturnType<typeof cases.get>>),
      stage: "reported"
    })
    const name = result.story.identities[0]?.identity.name as string
    expect(problems({ ...result, cases }, [...lines, `a line naming ${name}`])).toEqual({
      notAtEnd: [`${first.caseId}: reported, not ${first.finalStage}`],
      leaked: [name]
    })
  }, 60_000)
})
