/**
 * The index's wake-up instant agrees with `Tick`: the deadline scheduler ticks a case once its `wakeAt` has passed,
 * so `wakeAt` must be the first instant at which `Tick` has something to record — an escalation of a missed
 * deadline (SOP-11) or a child's 18th birthday (SOP-09) — and `Tick` must have nothing to record before it; once
 * every escalation is recorded, there is no `wakeAt` (the scheduler does not tick an overdue case at every pass). The
 * `nextDueAt` that lists show is the first deadline only: it never tells the birth date.
 */
import { DateTime, Result } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Access from "../src/Access.js"
import * as CalendarDate from "../src/CalendarDate.js"
import * as Case from "../src/Case.js"
import * as CaseDeadlines from "../src/CaseDeadlines.js"
import type * as CaseEvent from "../src/CaseEvent.js"
import * as CaseIndex from "../src/CaseIndex.js"
import * as Decider from "../src/Decider.js"
import { contextAt, staffAt, walk, walkArb } from "./arbitraries.js"
import { caseOf, cmd, directory, emptyStory, people, step } from "./fixtures.js"
import { runs } from "./properties.js"

/** What `Tick` records at an instant (the events' types). */
const tickAt = (state: Case.Case, instant: number): ReadonlyArray<string> => {
  const decided = Decider.decide(state, cmd({ _tag: "Tick", caseId: state.id }), {
    now: DateTime.makeUnsafe(instant),
    actor: people.scheduler,
    agencies: directory
  })
  if (Result.isFailure(decided)) throw new Error(decided.failure.message)
  return decided.success.map((event) => event.type)
}

/**
 * The case after an hourly scheduler up to `until` (epoch ms): at each pass, a case whose wake-up instant has passed
 * gets `Tick` (which may record nothing, e.g. a deadline already escalated to the supervisor and not yet to the head).
 */
const ticked = (state: Case.Case, until: number): Case.Case => {
  let current = state
  for (let at = DateTime.toEpochMillis(state.reportedAt) + 3_600_000; at <= until; at += 3_600_000) {
    const wake = CaseIndex.project(current).wakeAt
    if (wake === undefined || DateTime.toEpochMillis(wake) >= at) continue
    const decided = Decider.decide(current, cmd({ _tag: "Tick", caseId: current.id }), {
      now: DateTime.makeUnsafe(at),
      actor: people.scheduler,
      agencies: directory
    })
    if (Result.isFailure(decided)) throw new Error(decided.failure.message)
    current = Case.fold(decided.success, current) as Case.Case
  }
  return current
}

/** A Padang report of a child born on `birthDate`, registered at `reportedAt`, with a caseworker or not. */
const reported = (birthDate: string, reportedAt: string, assigned: boolean, concern: string) => {
  let story = step(
    emptyStory,
    people.padangIntake,
    reportedAt,
    cmd({
      _tag: "RegisterReport",
      caseId: "case-index-due",
      subject: "subject-index-due",
      sex: "female",
      birthDate,
      region: "13.71",
      owner: "dinsos-13.71",
      source: "school",
      concerns: [concern]
    })
  )
  if (assigned) {
    story = step(
      story,
      people.padangKasi,
      reportedAt,
      cmd({ _tag: "AssignCaseworker", caseId: "case-index-due", caseworker: "sakti-peksos-1" })
    )
  }
  return caseOf(story)
}

describe("CaseIndex.project: wakeAt and nextDueAt", () => {
  it("wakeAt is the start of a child's 18th birthday when that comes before every deadline (SOP-09); nextDueAt is the first deadline", () => {
    // 17 at the report; 18 on 4 March 2026, which begins at 17:00 UTC on the 3rd in Padang (WIB, UTC+7).
    const state = reported("2008-03-04", "2026-03-02T01:00:00Z", true, "out-of-school")
    const entry = CaseIndex.project(state)
    expect(entry.wakeAt?.toJSON()).toBe("2026-03-03T17:00:00.000Z")
    expect(entry.nextDueAt?.toJSON()).toBe("2026-03-09T01:00:00.000Z")
    // What leaves the case service has no wake-up instant.
    expect(CaseIndex.shown(entry)).toEqual((({ wakeAt: _, ...rest }) => rest)(entry))
    expect("wakeAt" in CaseIndex.shown(entry)).toBe(false)
    const birthday = Date.parse("2026-03-03T17:00:00Z")
    expect(tickAt(state, birthday - 1)).toEqual([])
    expect(tickAt(state, birthday)).toEqual(["AdulthoodReached"])
    // Once recorded, the case wakes at its first deadline again.
    const after = Case.fold(
      Result.getOrThrow(
        Decider.decide(state, cmd({ _tag: "Tick", caseId: state.id }), {
          now: DateTime.makeUnsafe(birthday),
          actor: people.scheduler,
          agencies: directory
        })
      ),
      state
    )
    const later = CaseIndex.project(after as Case.Case)
    expect(later.wakeAt?.toJSON()).toBe("2026-03-09T01:00:00.000Z")
    expect(later.nextDueAt?.toJSON()).toBe("2026-03-09T01:00:00.000Z")
  })

  it("wakeAt is the first instant at which Tick records something, and Tick records nothing before it (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse("2025-01-01T00:00:00Z"), max: Date.parse("2026-12-31T00:00:00Z") }),
        // Days from the report to the 18th birthday: often within the first deadlines, where the order matters.
        fc.oneof(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 18 * 365 })),
        fc.boolean(),
        fc.constantFrom("out-of-school", "sexual-violence", "physical-or-psychological-violence"),
        (reportedMs, daysToBirthday, assigned, concern) => {
          // The 18th birthday, as a date in Padang (UTC+7), and the birth date 18 years before it.
          const birthday = new Date(reportedMs + 7 * 3_600_000 + daysToBirthday * 86_400_000).toISOString().slice(0, 10)
          const [year, month, day] = birthday.split("-")
          const birthDate = `${Number(year) - 18}-${month}-${month === "02" && day === "29" ? "28" : day}`
          const state = reported(birthDate, new Date(reportedMs).toISOString(), assigned, concern)
          const wake = CaseIndex.project(state).wakeAt
          expect(wake).toBeDefined()
          const at = DateTime.toEpochMillis(wake as DateTime.Utc)
          expect(tickAt(state, at - 1)).toEqual([])
          expect(tickAt(state, at + 1).length).toBeGreaterThan(0)
        }
      ),
      { numRuns: runs(200) }
    )
  })

  it("over the cases the decider reaches, Tick records nothing before wakeAt, something just after it, and nothing ever without it (property)", () => {
    const YEAR = 366 * 86_400_000
    fc.assert(
      fc.property(walkArb(25), (input) => {
        for (const { after } of walk(input).steps) {
          if (after._tag !== "Case") continue
          // The scheduler's passes over this case: each wakes it just after its wake-up instant, up to every escalation.
          let state: Case.Case = after
          for (let pass = 0; pass < 6; pass++) {
            const tick = (ms: number) => {
              const decided = Decider.decide(
                state,
                cmd({ _tag: "Tick", caseId: state.id }),
                contextAt(staffAt(state.owner).system, DateTime.makeUnsafe(ms))
              )
              if (Result.isFailure(decided)) throw new Error(decided.failure.message)
              return decided.success
            }
            const wake = CaseIndex.project(state).wakeAt
            const where = `${state.id} at version ${state.version}, pass ${pass}`
            if (wake === undefined) {
              const last = DateTime.toEpochMillis(state.updatedAt)
              for (const later of [1, YEAR, 20 * YEAR]) expect(tick(last + later), where).toEqual([])
              break
            }
            const at = DateTime.toEpochMillis(wake)
            expect(tick(at - 1), where).toEqual([])
            const events = tick(at + 1)
            expect(events.length, where).toBeGreaterThan(0)
            state = Case.fold(events, state) as Case.Case
          }
        }
      }),
      { numRuns: runs(100) }
    )
  })

  it("an overdue case escalated to the supervisor wakes for the head of the dinas, then only for the next thing due", () => {
    // Reported, never assigned: the unassigned alert is due 3 hours after the report at the report's level.
    const state = reported("2012-05-05", "2026-03-02T01:00:00Z", false, "out-of-school")
    const due = CaseIndex.project(state).nextDueAt as DateTime.Utc
    expect(CaseIndex.project(state).wakeAt).toEqual(due)
    const passed = ticked(state, DateTime.toEpochMillis(due) + 3_600_000)
    const toSupervisor = CaseIndex.project(passed)
    expect(passed.escalations.map((e) => e.escalatedTo)).toContain("supervisor")
    expect(toSupervisor.nextDueAt).toEqual(due)
    // The head of the dinas is told once the deadline is still missed `toHeadAfter` later: the scheduler waits till then.
    expect(toSupervisor.wakeAt?.toJSON()).not.toBe(due.toJSON())
    const all = ticked(passed, DateTime.toEpochMillis(due) + 30 * 86_400_000)
    const done = CaseIndex.project(all)
    expect(all.escalations.filter((e) => e.escalatedTo === "head-of-dinas").length).toBeGreaterThan(0)
    // Every escalation its deadlines call for is recorded: still overdue in lists, and not woken again before the
    // child's 18th birthday (the start of 5 May 2030 in Padang).
    expect(done.nextDueAt).toEqual(due)
    expect(done.wakeAt?.toJSON()).toBe("2030-05-04T17:00:00.000Z")
    expect(CaseDeadlines.escalations(all, DateTime.makeUnsafe(Date.parse("2030-01-01T00:00:00Z")))).toEqual([])
  })

  it("what lists show does not depend on the birth date beyond the age band, the scheduler's ticks included (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse("2025-01-01T00:00:00Z"), max: Date.parse("2026-12-31T00:00:00Z") }),
        // Two birth dates of children who are 14 to 17 at the report (one age band), days apart; often 18 within
        // days, before the first deadlines (where the wake-up instant is the birthday).
        fc.oneof(
          fc.integer({ min: 14 * 366 + 2, max: 18 * 365 - 1 }),
          fc.integer({ min: 18 * 365 - 12, max: 18 * 365 - 1 })
        ),
        fc.integer({ min: 1, max: 300 }),
        fc.boolean(),
        fc.constantFrom("out-of-school", "sexual-violence"),
        // How long the scheduler runs after the report: its ticks record escalations and 18th birthdays.
        fc.integer({ min: 0, max: 30 }),
        (reportedMs, ageDays, apart, assigned, concern, days) => {
          const birthOf = (age: number) => new Date(reportedMs - age * 86_400_000).toISOString().slice(0, 10)
          const reportedAt = new Date(reportedMs).toISOString()
          const [one, other] = [ageDays, ageDays + apart].map((age) =>
            ticked(
              reported(birthOf(Math.min(age, 18 * 365 - 1)), reportedAt, assigned, concern),
              reportedMs + days * 86_400_000
            )
          ) as [Case.Case, Case.Case]
          // The version tells how many events there were, and the age band is shown by design: everything else,
          // the last update and what is due among it, is the same whatever the birth date.
          const { version: _v1, ageBand: band1, ...shownOne } = CaseIndex.shown(CaseIndex.project(one))
          const { version: _v2, ageBand: band2, ...shownOther } = CaseIndex.shown(CaseIndex.project(other))
          expect(shownOther).toEqual(shownOne)
          // Each age band is the child's at that last update, not at a birthday recorded since.
          for (const [state, band] of [
            [one, band1],
            [other, band2]
          ] as const) {
            expect(band).toBe(Access.ageBand(state.subject, CalendarDate.fromInstant(state.updatedAt, 7)))
          }
          // And the first deadline is exactly what is shown as due.
          const due = CaseDeadlines.nextDue(one)
          expect(shownOne.nextDueAt).toEqual(due._tag === "Some" ? due.value : undefined)
        }
      ),
      { numRuns: runs(200) }
    )
  })

  it("a child's 18th birthday, recorded by a tick, moves neither the last update nor the age band lists show", () => {
    const state = reported("2008-03-04", "2026-03-02T01:00:00Z", true, "out-of-school")
    const before = CaseIndex.project(state)
    const after = ticked(state, Date.parse("2026-03-04T00:00:00Z"))
    expect(after.adulthoodReachedOn).toBe("2026-03-04")
    const entry = CaseIndex.project(after)
    expect(entry.version).toBe(before.version + 1)
    expect([entry.updatedAt, entry.ageBand]).toEqual([before.updatedAt, "14-17"])
  })
})

// Transport review: `by=ampk` repeated thirty times multiplied the groups with themselves (3^30 keys for a case of
// three categories), exhausting the memory store and cross-joining in SQL.
describe("CaseIndex.checkCountQuery", () => {
  it("takes each dimension at most once, and at most every dimension", () => {
    expect(Result.isSuccess(CaseIndex.checkCountQuery({ filter: {}, by: ["ampk", "region"] }))).toBe(true)
    expect(Result.isSuccess(CaseIndex.checkCountQuery({ filter: {}, by: [...CaseIndex.Dimension.literals] }))).toBe(
      true
    )
    const repeated = CaseIndex.checkCountQuery({ filter: {}, by: ["ampk", "region", "ampk"] })
    expect(Result.isFailure(repeated) && repeated.failure).toMatchObject({ _tag: "InvalidInput", field: "countQuery" })
    const many = CaseIndex.checkCountQuery({ filter: {}, by: Array.from({ length: 30 }, () => "ampk" as const) })
    expect(Result.isFailure(many)).toBe(true)
  })
})

describe("CaseIndex.exported: what an export carries", () => {
  /** For each 18th birthday recorded in a history: the entries the case's state gives just before and just after it. */
  const aroundBirthdays = (events: ReadonlyArray<CaseEvent.Envelope>) => {
    const found: Array<{ readonly before: CaseIndex.Entry; readonly after: CaseIndex.Entry }> = []
    let state: Case.State = Case.initialState
    for (const event of events) {
      const next = Case.evolve(state, event)
      if (event.payload._tag === "AdulthoodReached" && state._tag === "Case" && next._tag === "Case") {
        found.push({ before: CaseIndex.project(state), after: CaseIndex.project(next) })
      }
      state = next
    }
    return found
  }

  // Review: the version counts the birthday's event, which moves nothing else of an entry; two exports a day apart
  // told the birth date by it.
  it("is the same just before and just after a child's 18th birthday is recorded (no version, no wake instant)", () => {
    const walks = fc.sample(walkArb(40), { numRuns: 10, seed: -602128339 }).map((input) => walk(input).events)
    const around = walks.flatMap(aroundBirthdays)
    expect(around.length).toBeGreaterThan(0)
    for (const { before, after } of around) {
      expect(after.version).toBe(before.version + 1)
      expect(CaseIndex.exported(after)).toEqual(CaseIndex.exported(before))
      expect(Object.keys(CaseIndex.exported(after))).not.toContain("version")
      expect(Object.keys(CaseIndex.exported(after))).not.toContain("wakeAt")
    }
  })

  it("keeps every other field lists show", () => {
    const w = walk({ steps: 30, choices: Array.from({ length: 480 }, (_, i) => (i * 31) % 17) })
    if (w.state._tag !== "Case") throw new Error("the walk made no case")
    const { version: _version, ...rest } = CaseIndex.shown(CaseIndex.project(w.state))
    expect(CaseIndex.exported(CaseIndex.project(w.state))).toEqual(rest)
  })
})
