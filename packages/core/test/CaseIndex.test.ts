/**
 * The index's next due instant agrees with `Tick`: the deadline scheduler ticks a case once its `nextDueAt` has
 * passed, so `nextDueAt` must be the first instant at which `Tick` has something to record — an escalation of a
 * missed deadline (SOP-11) or a child's 18th birthday (SOP-09) — and `Tick` must have nothing to record before it.
 */
import { DateTime, Result } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Case from "../src/Case.js"
import * as CaseIndex from "../src/CaseIndex.js"
import * as Decider from "../src/Decider.js"
import { caseOf, cmd, directory, emptyStory, people, step } from "./fixtures.js"

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

describe("CaseIndex.project: nextDueAt", () => {
  it("is the start of a child's 18th birthday when that comes before every deadline (SOP-09)", () => {
    // 17 at the report; 18 on 4 March 2026, which begins at 17:00 UTC on the 3rd in Padang (WIB, UTC+7).
    const state = reported("2008-03-04", "2026-03-02T01:00:00Z", true, "out-of-school")
    const entry = CaseIndex.project(state, DateTime.makeUnsafe("2026-03-02T01:00:00Z"))
    expect(entry.nextDueAt?.toJSON()).toBe("2026-03-03T17:00:00.000Z")
    const birthday = Date.parse("2026-03-03T17:00:00Z")
    expect(tickAt(state, birthday - 1)).toEqual([])
    expect(tickAt(state, birthday)).toEqual(["AdulthoodReached"])
    // Once recorded, the case is next due at its first deadline again.
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
    expect(CaseIndex.project(after as Case.Case, DateTime.makeUnsafe(birthday)).nextDueAt?.toJSON()).toBe(
      "2026-03-09T01:00:00.000Z"
    )
  })

  it("is the first instant at which Tick records something, and Tick records nothing before it (property)", () => {
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
          const due = CaseIndex.project(state, DateTime.makeUnsafe(reportedMs)).nextDueAt
          expect(due).toBeDefined()
          const at = DateTime.toEpochMillis(due as DateTime.Utc)
          expect(tickAt(state, at - 1)).toEqual([])
          expect(tickAt(state, at + 1).length).toBeGreaterThan(0)
        }
      ),
      { numRuns: 200 }
    )
  })
})
