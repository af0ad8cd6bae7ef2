/**
 * Old events stay readable and keep what they said. `fixtures/events-0.1.jsonl.gz` holds the 950 events of every
 * seed story as the decider wrote them before Decider v2 (commit afc0e3d, replayed with `Runner.runPure`): the
 * stories have been corrected since, and citations will be, but these events must read as they were written —
 * each keeping the legal basis it was decided under; an event of a type whose schema changed since gains only what
 * its upcaster adds — and fold into cases. When an event type changes on
 * purpose, bump its schema version and register an upcaster (`CaseEvent.upcasters`): the last test checks that
 * every old version still has its way up.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { gunzipSync } from "node:zlib"
import { Case, CaseDeadlines, CaseEvent, Risk } from "@lindung/core"
import { DateTime } from "effect"
import { describe, expect, it } from "vitest"

const fixture: ReadonlyArray<Record<string, unknown>> = gunzipSync(
  readFileSync(join(import.meta.dirname, "fixtures", "events-0.1.jsonl.gz"))
)
  .toString("utf8")
  .trim()
  .split("\n")
  .map((line) => JSON.parse(line))

describe("events written by version 0.1 (before Decider v2)", () => {
  it("read with today's schema as they were written, the basis they were decided under included; an upcast event only gains", () => {
    expect(fixture.length).toBe(950)
    let upcast = 0
    for (const raw of fixture) {
      const type = raw.type as CaseEvent.Type
      const read = JSON.parse(JSON.stringify(CaseEvent.encode(CaseEvent.decodeEnvelope(raw))))
      if (raw.schemaVersion === CaseEvent.schemaVersions[type]) {
        expect(read, String(raw.eventId)).toEqual(raw)
        continue
      }
      // Everything written is read back; the newer version only adds (AssessmentRecorded 2: the red flags then).
      upcast++
      expect(read, String(raw.eventId)).toMatchObject({ ...raw, schemaVersion: CaseEvent.schemaVersions[type] })
      if (read.payload._tag === "AssessmentRecorded") {
        const factors: ReadonlyArray<string> = read.payload.risk.factors
        expect(read.payload.risk.redFlags).toEqual(Risk.redFlagCodes.filter((code) => factors.includes(code)))
      }
    }
    expect(upcast).toBeGreaterThan(0)
  })

  it("fold into cases: each case's history replays in order to its last version", () => {
    const byCase = new Map<string, Array<CaseEvent.Envelope>>()
    for (const raw of fixture) {
      const event = CaseEvent.decodeEnvelope(raw)
      byCase.set(event.caseId, [...(byCase.get(event.caseId) ?? []), event])
    }
    expect(byCase.size).toBeGreaterThan(20)
    for (const [caseId, events] of byCase) {
      const state = Case.fold(events)
      expect(state._tag === "Case" && state.version, caseId).toBe(events.length)
    }
  })

  it("give an old Pasal 21 decision no court-submission clock it could not have met (the deadline came later)", () => {
    const events = fixture
      .map((raw) => CaseEvent.decodeEnvelope(raw))
      .filter((event) => event.caseId === "003-ntb-pelaku-06")
    expect(events.some((event) => event.type === "Pasal21DecisionRecorded")).toBe(true)
    const state = Case.fold(events)
    const kinds = CaseDeadlines.items(state, DateTime.makeUnsafe("2030-01-01T00:00:00Z")).map((item) => item.kind)
    expect(kinds).not.toContain("pasal21-court-submission")
  })

  it("are at today's schema version of their type, or have upcasters from theirs (an event type that changes keeps its way up)", () => {
    for (const raw of fixture) {
      const type = raw.type as CaseEvent.Type
      const written = raw.schemaVersion as number
      for (let version = written; version < CaseEvent.schemaVersions[type]; version++) {
        expect(CaseEvent.upcasters[type]?.[version], `${type} from version ${version}`).toBeDefined()
      }
      expect(written).toBeLessThanOrEqual(CaseEvent.schemaVersions[type])
    }
  })
})
