/**
 * The suite's own data: realistic cases built by the decider, each batch a valid append request, spread over
 * provinces, stages and risk levels, some overdue, and no identity anywhere in events or index entries.
 */
import { CaseEvent, CaseIndex, EventStore, Region } from "@lindung/core"
import { DateTime, Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { allBatches, finalEntries, identities, instants, requestOf, stories } from "../src/internal/fixtures.js"
import { identityValues } from "../src/internal/harness.js"

describe("testkit fixtures", () => {
  it("every batch is a valid append request at its case's version", () => {
    for (const story of stories()) {
      let version = 0
      for (const batch of story.batches) {
        expect(batch.expectedVersion).toBe(version)
        expect(Result.isSuccess(EventStore.checkRequest(requestOf(batch)))).toBe(true)
        version += batch.events.length
      }
      expect(story.state.version).toBe(version)
    }
  })

  it("events and entries round-trip through their JSON forms", () => {
    for (const batch of allBatches()) {
      for (const event of batch.events) {
        const json = JSON.parse(JSON.stringify(CaseEvent.encode(event)))
        expect(CaseEvent.encode(CaseEvent.decodeEnvelope(json))).toEqual(CaseEvent.encode(event))
      }
      const entry = Schema.encodeSync(CaseIndex.Entry)(batch.index)
      expect(Schema.decodeUnknownSync(CaseIndex.Entry)(JSON.parse(JSON.stringify(entry)))).toEqual(batch.index)
    }
  })

  it("cases span provinces, time zones, stages, risk levels, subject kinds and multi-batch commands", () => {
    const entries = finalEntries()
    const provinces = new Set(entries.map((e) => e.region.split(".")[0]))
    expect(provinces.size).toBeGreaterThanOrEqual(5)
    expect(new Set(entries.map((e) => Region.timeZone(e.region).abbreviation))).toEqual(new Set(["WIB", "WITA"]))
    expect(new Set(entries.map((e) => e.stage)).size).toBeGreaterThanOrEqual(4)
    expect(new Set(entries.map((e) => e.risk ?? "none"))).toEqual(new Set(["rendah", "sedang", "tinggi", "none"]))
    expect(new Set(entries.map((e) => e.subjectKind))).toEqual(new Set(["child", "adult"]))
    expect(allBatches().some((b) => b.events.length > 1)).toBe(true)
    expect(new Set(entries.map((e) => e.caseId)).size).toBe(entries.length)
  })

  it("some cases are overdue at the middle instant, others are not", () => {
    const overdue = finalEntries().filter(
      (e) => e.nextDueAt !== undefined && DateTime.isLessThan(e.nextDueAt, instants.mid)
    )
    expect(overdue.length).toBeGreaterThan(0)
    expect(overdue.length).toBeLessThan(finalEntries().length)
    expect(overdue.some((e) => e.risk === "tinggi")).toBe(true)
  })

  it("no identity value appears in any event or entry", () => {
    const text = JSON.stringify([
      allBatches().flatMap((b) => b.events.map(CaseEvent.encode)),
      allBatches().map((b) => Schema.encodeSync(CaseIndex.Entry)(b.index))
    ])
    for (const { identity } of identities) {
      for (const value of Object.values(identityValues(identity)).flat()) {
        if (typeof value === "string") expect(text).not.toContain(value)
      }
    }
  })
})
