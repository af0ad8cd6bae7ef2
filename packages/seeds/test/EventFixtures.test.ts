/**
 * Old events stay readable and keep what they said. `fixtures/events-0.1.jsonl.gz` holds the 950 events of every
 * seed story as the decider wrote them before Decider v2 (commit afc0e3d, replayed with `Runner.runPure`). Today's
 * schema must read them and fold them into today's states; and as long as no event type has changed, today's
 * decider must write exactly the same events. When an event changes on purpose, the second test fails: bump its
 * schema version, register an upcaster (`CaseEvent.upcasters`), and keep the first test reading these old events.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { gunzipSync } from "node:zlib"
import { Case, CaseEvent } from "@lindung/core"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import * as Runner from "../src/Runner.js"
import * as Stories from "../src/Stories.js"

const fixture: ReadonlyArray<unknown> = gunzipSync(
  readFileSync(join(import.meta.dirname, "fixtures", "events-0.1.jsonl.gz"))
)
  .toString("utf8")
  .trim()
  .split("\n")
  .map((line) => JSON.parse(line))

const today = Stories.all.map((story) => {
  const replay = Runner.runPure(story)
  if (Result.isFailure(replay)) throw new Error(replay.failure.message)
  return replay.success
})

describe("events written by version 0.1 (before Decider v2)", () => {
  it("decode with today's schema and fold into the states today's decider reaches", () => {
    expect(fixture.length).toBe(950)
    const byCase = new Map<string, Array<CaseEvent.Envelope>>()
    for (const raw of fixture) {
      const event = CaseEvent.decodeEnvelope(raw)
      byCase.set(event.caseId, [...(byCase.get(event.caseId) ?? []), event])
    }
    const states = new Map(today.flatMap((run) => [...run.states.entries()]))
    expect([...byCase.keys()].sort()).toEqual([...states.keys()].sort())
    for (const [caseId, events] of byCase) expect(Case.fold(events), caseId).toEqual(states.get(caseId))
  })

  it("are exactly the events today's decider writes for the same stories (no event type has changed)", () => {
    const written = today.flatMap((run) =>
      run.events.map((event) => JSON.parse(JSON.stringify(CaseEvent.encode(event))))
    )
    expect(written).toEqual(fixture)
  })
})
