/**
 * The pure board against the seed stories: the counts by stage and risk are those of the stories' final states,
 * and an event applied again — alone, or in any order of redeliveries and replays that keeps each case's order —
 * changes nothing.
 */
import { fc, test } from "@fast-check/vitest"
import { Case, CaseEvent, PublicEvent, Region, type Sop } from "@lindung/core"
import { Runner, Stories } from "@lindung/seeds"
import { Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as Board from "../src/Board.ts"
import { toPublic } from "./published.ts"

/** Every story, run through the decider, with its events in public form. */
const runs = Stories.all.map((story) => {
  const run = Runner.runPure(story)
  if (Result.isFailure(run)) throw new Error(`seed story ${story.id} does not run: ${run.failure.message}`)
  return { story, events: toPublic(run.success.events), states: run.success.states }
})

const allEvents = runs.flatMap((run) => run.events)

/** The events of each case, in version order. */
const byCase = [
  ...allEvents
    .reduce(
      (cases, event) => cases.set(event.caseId, [...(cases.get(event.caseId) ?? []), event]),
      new Map<string, Array<PublicEvent.Envelope>>()
    )
    .values()
]

/** What the stories say: every case with its final stage, region and effective risk level. */
const storyCases = runs.flatMap(({ story, states }) =>
  story.cases.map((storyCase) => {
    const state = states.get(storyCase.caseId)
    if (state === undefined) throw new Error(`${storyCase.caseId} has no state`)
    return {
      caseId: storyCase.caseId,
      finalStage: storyCase.finalStage,
      region: state.region,
      risk: state.risk?.effective ?? ("unassessed" as const)
    }
  })
)

const full = Board.applyAll(Board.empty, allEvents)

/** The counts the stories' final states give for the areas within `scope`. */
const expectedCounts = (scope?: Region.RegionCode) => {
  const areas = new Map<
    string,
    { open: number; closed: number; stages: Map<string, number>; risk: Map<string, number> }
  >()
  for (const storyCase of storyCases) {
    const area = Board.areaOf(storyCase.region)
    if (scope !== undefined && !Region.contains(scope, area as Region.RegionCode)) continue
    const counts = areas.get(area) ?? { open: 0, closed: 0, stages: new Map(), risk: new Map() }
    areas.set(area, counts)
    if (storyCase.finalStage === "closed") counts.closed++
    else {
      counts.open++
      counts.stages.set(storyCase.finalStage, (counts.stages.get(storyCase.finalStage) ?? 0) + 1)
      counts.risk.set(storyCase.risk, (counts.risk.get(storyCase.risk) ?? 0) + 1)
    }
  }
  return areas
}

const nonZero = (record: Readonly<Record<string, number>>): Map<string, number> =>
  new Map(Object.entries(record).filter(([, count]) => count > 0))

describe("the board of the seed stories", () => {
  it("knows every case of the stories at its final stage", () => {
    expect(storyCases.length).toBeGreaterThanOrEqual(40)
    for (const storyCase of storyCases) {
      expect(full.cases.get(storyCase.caseId)?.stage, storyCase.caseId).toBe(storyCase.finalStage)
    }
    expect(full.cases.size).toBe(storyCases.length)
    expect(full.gaps).toBe(0)
  })

  it("counts the open cases of every kab/kota by stage and by effective risk, as the final states say", () => {
    const summary = Board.summarize(full)
    const expected = expectedCounts()
    const rows = summary.provinces.flatMap((province) => province.regencies)
    expect(new Set(rows.map((row) => row.area))).toEqual(new Set(expected.keys()))
    for (const row of rows) {
      const want = expected.get(row.area)
      expect(row.open, row.area).toBe(want?.open)
      expect(row.closed, row.area).toBe(want?.closed)
      expect(nonZero(row.stages), row.area).toEqual(want?.stages)
      expect(nonZero(row.risk), row.area).toEqual(want?.risk)
    }
    const open = storyCases.filter((storyCase) => storyCase.finalStage !== "closed")
    expect(summary.total.open).toBe(open.length)
    expect(summary.total.closed).toBe(storyCases.length - open.length)
    expect(summary.cases).toBe(storyCases.length)
    // The stories escalate no deadline; the synthetic case below does.
    expect(summary.total.escalations).toEqual({ supervisor: 0, "head-of-dinas": 0 })
  })

  it("adds a province's kab/kota up to the province, and shows only the province in scope", () => {
    const sumbar = Region.decodeSync("13")
    const summary = Board.summarize(full, sumbar)
    expect(summary.scope).toBe("13")
    expect(summary.provinces.map((province) => province.province)).toEqual(["13"])
    const [province] = summary.provinces
    const expected = expectedCounts(sumbar)
    expect(province?.regencies.map((regency) => regency.area)).toEqual([...expected.keys()].sort())
    expect(province?.open).toBe([...expected.values()].reduce((sum, counts) => sum + counts.open, 0))
    // With one province in scope, the total is that province.
    const { province: _code, regencies: _regencies, ...counts } = province as Board.ProvinceRow
    expect(summary.total).toEqual(counts)
    const padang = Board.summarize(full, Region.decodeSync("13.71"))
    expect(padang.provinces.flatMap((row) => row.regencies.map((regency) => regency.area))).toEqual(["13.71"])
  })

  it("renders a table with a row per province and kab/kota and a total", () => {
    const table = Board.render(full)
    const lines = table.split("\n")
    expect(lines[0]).toMatch(/^Provincial board \(all provinces\): \d+ cases/)
    expect(lines[1]).toMatch(
      /^area\s+open\s+rep\s+outr\s+asmt\s+plan\s+intv\s+rein\s+aftc \|\s+rendah\s+sedang\s+tinggi/
    )
    expect(lines.some((line) => /^13\s/.test(line))).toBe(true)
    expect(lines.some((line) => /^ {2}13\.71\s/.test(line))).toBe(true)
    expect(lines.at(-1)).toMatch(/^total\s+\d+/)
    expect(Board.render(full, Region.decodeSync("52"))).not.toMatch(/^ {2}13\.71/m)
  })

  it("round-trips through its JSON form", () => {
    const json = JSON.parse(JSON.stringify(Board.toJson(full)))
    const read = Board.fromJson(json)
    expect(Board.toJson(read)).toEqual(Board.toJson(full))
    expect(Board.summarize(read)).toEqual(Board.summarize(full))
    expect(() => Board.fromJson({ ...json, gaps: -1 })).toThrow()
  })
})

describe("applying an event again", () => {
  test.prop([fc.nat({ max: allEvents.length - 1 })])("changes nothing, right after it or at the end", (index) => {
    const event = allEvents[index] as PublicEvent.Envelope
    const before = Board.applyAll(Board.empty, allEvents.slice(0, index))
    const once = Board.apply(before, event)
    expect(once).not.toBe(before)
    expect(Board.apply(once, event)).toBe(once)
    expect(Board.apply(full, event)).toBe(full)
  })

  /**
   * A delivery order NATS may produce: the cases interleaved in any way that keeps each case's order, and any
   * event delivered again anywhere after its first delivery (a redelivery, a relay's re-send, a replay).
   */
  const deliveries = fc
    .tuple(
      fc.array(fc.nat(), { minLength: allEvents.length, maxLength: allEvents.length }),
      fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 150 })
    )
    .map(([picks, replays]) => {
      const queues = byCase.map((events) => ({ events, next: 0 }))
      const order: Array<PublicEvent.Envelope> = []
      for (const pick of picks) {
        const open = queues.filter((queue) => queue.next < queue.events.length)
        const queue = open[pick % open.length]
        if (queue === undefined) break
        order.push(queue.events[queue.next++] as PublicEvent.Envelope)
      }
      // Each replay (at, which): after position `at`, one of the events delivered up to there comes again.
      const again = new Map<number, Array<PublicEvent.Envelope>>()
      for (const [at, which] of replays) {
        const position = at % order.length
        const list = again.get(position) ?? []
        list.push(order[which % (position + 1)] as PublicEvent.Envelope)
        again.set(position, list)
      }
      return order.flatMap((event, position) => [event, ...(again.get(position) ?? [])])
    })

  test.prop([deliveries, fc.integer({ min: 1, max: 64 })], { numRuns: 60 })(
    "in any delivery order with duplicates and replays, gives the board of each event applied once",
    (sequence, batchSize) => {
      expect(sequence.length).toBeGreaterThanOrEqual(allEvents.length)
      // Applied in batches, as the process does.
      let board = Board.empty
      for (let start = 0; start < sequence.length; start += batchSize) {
        board = Board.applyAll(board, sequence.slice(start, start + batchSize))
      }
      expect(Board.toJson(board)).toEqual(Board.toJson(full))
      expect(Board.summarize(board)).toEqual(Board.summarize(full))
    }
  )
})

describe("risk lowering, escalations, relocation and gaps", () => {
  const template = Schema.encodeSync(PublicEvent.Envelope)(runs[0]?.events[0] as PublicEvent.Envelope)

  /** A public event of the synthetic case `x`, as it would come off the wire. */
  const event = (version: number, payload: PublicEvent.Encoded["payload"], region = "13.71", caseId = "x") =>
    PublicEvent.decode({
      ...template,
      eventId: `${caseId}:${version}`,
      caseId,
      version,
      region,
      type: payload._tag,
      schemaVersion: CaseEvent.schemaVersions[payload._tag],
      payload
    })

  const registered = event(1, { ...template.payload, region: "13.71" })
  const assessment = {
    _tag: "AssessmentRecorded",
    classification: { ampk: [], ppks: [], allegedPerpetrators: [] },
    risk: {
      factors: ["sexual-violence"],
      redFlags: ["sexual-violence"],
      decision: { computed: "tinggi", chosen: "sedang", direction: "lowered", needsSupervisorApproval: true }
    }
  } as const
  const lowered = event(2, assessment)
  const requested = event(3, {
    _tag: "ApprovalRequested",
    approval: "turun-risiko",
    subject: { _tag: "risk-lowering", level: "sedang" }
  })
  const escalated = (version: number, escalatedTo: Board.EscalationLevel) =>
    event(version, {
      _tag: "DeadlineEscalated",
      deadline: "case-plan",
      dueAt: "2025-01-01T00:00:00.000Z",
      escalatedTo
    })
  const approved = event(6, { _tag: "ApprovalDecided", approval: "turun-risiko", decision: "approved" })
  const relocation = event(7, {
    _tag: "TransferRequested",
    transfer: "pindah",
    to: "dinsos-13.74",
    legalBasis: { _tag: "consent", consent: "persetujuan-ibu" },
    relocateTo: "13.74"
  })
  const accepted = event(8, { _tag: "TransferUpdated", transfer: "pindah", status: "accepted" })
  const closed = event(9, { _tag: "StageChanged", transition: "close", from: "reported", to: "closed" }, "13.74")
  const story = [registered, lowered, requested, escalated(4, "supervisor"), escalated(5, "head-of-dinas"), approved]

  const rowOf = (board: Board.Board, area: string) =>
    Board.summarize(board)
      .provinces.flatMap((province) => province.regencies)
      .find((row) => row.area === area)

  it("counts a lowered level only once a supervisor approves it, and escalations by level", () => {
    const beforeApproval = Board.applyAll(Board.empty, story.slice(0, 5))
    expect(beforeApproval.cases.get("x")?.risk?.effective).toBe("tinggi")
    expect(rowOf(beforeApproval, "13.71")?.risk).toMatchObject({ tinggi: 1, sedang: 0 })
    const afterApproval = Board.applyAll(Board.empty, story)
    expect(afterApproval.cases.get("x")?.risk?.effective).toBe("sedang")
    expect(rowOf(afterApproval, "13.71")).toMatchObject({
      open: 1,
      stages: { reported: 1 },
      risk: { sedang: 1, tinggi: 0 },
      escalations: { supervisor: 1, "head-of-dinas": 1 }
    })
  })

  it("moves a relocated case to its new kab/kota; its escalations stay where they happened", () => {
    const board = Board.applyAll(Board.empty, [...story, relocation, accepted])
    expect(board.cases.get("x")?.region).toBe("13.74")
    expect(rowOf(board, "13.74")).toMatchObject({ open: 1, escalations: { supervisor: 0 } })
    expect(rowOf(board, "13.71")).toMatchObject({ open: 0, escalations: { supervisor: 1, "head-of-dinas": 1 } })
    // Outside a scope it left, the case is no longer counted.
    expect(Board.summarize(board, Region.decodeSync("13.71")).total.open).toBe(0)
    const done = Board.apply(board, closed)
    expect(rowOf(done, "13.74")).toMatchObject({ open: 0, closed: 1 })
  })

  it("applies an event after a gap, counts the gap, and shows a case first seen mid-way at an unknown stage", () => {
    const stageChanged = (version: number, from: Sop.Stage, to: Sop.Stage) =>
      event(version, { _tag: "StageChanged", transition: "a-transition", from, to }, "13.71", "y")
    // Case y is first seen at version 4 (its earlier events were published under another region's subject).
    const board = Board.applyAll(Board.empty, [
      event(4, assessment, "13.71", "y"),
      stageChanged(2, "outreach", "assessment")
    ])
    expect(board.cases.get("y")).toMatchObject({ version: 4, region: "13.71" })
    expect(board.cases.get("y")?.stage).toBeUndefined()
    expect(board.gaps).toBe(1)
    expect(rowOf(board, "13.71")?.stages.unknown).toBe(1)
    expect(Board.render(board)).toMatch(/ \? /)
    expect(Board.render(board)).toMatch(/1 event\(s\) applied after a version never seen/)
    expect(Board.apply(board, stageChanged(5, "assessment", "planning")).cases.get("y")?.stage).toBe("planning")
  })
})
