/**
 * The SOP table drives the decider: random walks check that what the table says (stages, guards, events) is what
 * the decider does, and each guard is tested on its own, passing and failing.
 */
import { fc, test as propTest } from "@fast-check/vitest"
import { DateTime, Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import type * as Case from "../src/Case.js"
import * as CaseCommand from "../src/CaseCommand.js"
import * as Decider from "../src/Decider.js"
import * as Guard from "../src/Guard.js"
import { isAdultNow, today } from "../src/internal/decide/facts.js"
import * as Person from "../src/Person.js"
import * as Policy from "../src/Policy.js"
import * as Sop from "../src/Sop.js"
import * as SopTable from "../src/SopTable.js"
import { type Step, walk, walkArb } from "./arbitraries.js"
import { caseOf, cmd, directory, emptyStory, people, step } from "./fixtures.js"
import { runs } from "./properties.js"

const describeStep = (step: Step): string =>
  `${step.command._tag} by ${step.actor.id} in ${step.before._tag === "Case" ? step.before.stage : "empty"}`

/** A guard as the tests call it: on an input built from a walk's step. */
interface AnyGuard {
  readonly name: string
  readonly rule: Sop.RuleRef
  readonly check: (input: unknown) => string | undefined
}

/** Every guard exported by the Guard module, by name. */
const guards = new Map<string, AnyGuard>(
  Object.entries(Guard).flatMap(([name, value]) =>
    typeof value === "object" && value !== null && "check" in value ? [[name, value as unknown as AnyGuard]] : []
  )
)

const inputOf = (step: Step, state: Case.State): unknown => ({
  state,
  command: step.command,
  actor: step.actor,
  agencies: directory,
  people: undefined,
  now: step.now,
  // A report is dated in its own region; any other command in the case's (only reports are run on no case).
  today:
    step.command._tag === "RegisterReport"
      ? today(step.command.region, step.command.occurredAt ?? step.now)
      : state._tag === "Case"
        ? today(state.region, step.now)
        : undefined,
  policy: Policy.defaults
})

describe("the SOP table", () => {
  it("has a row for every command type, in SOP order, and every guard it names is exported under that name", () => {
    expect(SopTable.rows.map((row) => row.command)).toEqual(CaseCommand.types)
    for (const row of SopTable.rows) {
      for (const guard of row.guards) {
        expect(guards.get(guard.name)?.name, `${row.command}: ${guard.name}`).toBe(guard.name)
        expect(Sop.ruleOf(guards.get(guard.name)?.rule ?? "SOP-01").id).toBe(guard.rule)
      }
    }
    // Every exported guard is used by some row.
    const used = new Set(SopTable.rows.flatMap((row) => row.guards.map((guard) => guard.name)))
    expect([...guards.keys()].filter((name) => !used.has(name))).toEqual([])
  })

  it("names every transition by an id of Sop.transitions, and a row that changes the stage takes its stages from it", () => {
    for (const t of Sop.transitions) expect(Sop.transition(t.id)).toBe(t)
    for (const row of SopTable.rows.filter((r) => r.transition !== undefined)) {
      const t = Sop.transitions.find((candidate) => candidate.id === row.transition)
      expect(t?.trigger).toEqual({ kind: "command", command: row.command })
      expect(row.stages).toEqual(t?.from)
      expect(row.produces).toContain("StageChanged")
    }
  })

  propTest.prop([walkArb(60)], { numRuns: runs(150) })(
    "a command is refused for its stage exactly when its row does not list the stage, citing SOP-STAGE",
    (input) => {
      for (const step of walk(input).steps) {
        const before = step.before
        if (before._tag !== "Case" || before.stage === "closed" || step.command._tag === "RegisterReport") continue
        const row = SopTable.row(step.command._tag)
        const listed = row.stages.includes(before.stage)
        const failure = Result.isFailure(step.result) ? step.result.failure : undefined
        const byStage =
          failure?._tag === "SopViolation" && failure.detail.startsWith(`${step.command._tag} is not allowed in stage`)
        expect(byStage, `${describeStep(step)}: ${failure?.message ?? "accepted"}`).toBe(
          !listed && failure?._tag === "SopViolation" && failure.rule !== "SOP-09"
        )
        if (!listed) {
          // Only the checks before the stage may refuse it otherwise: the actor's access, or SOP-09.
          expect(failure, describeStep(step)).toBeDefined()
          if (failure?._tag === "SopViolation") {
            expect(["SOP-STAGE", "SOP-09"], `${describeStep(step)}: ${failure.message}`).toContain(failure.rule)
          }
        }
      }
    }
  )

  propTest.prop([walkArb(60)], { numRuns: runs(150) })(
    "an accepted command meets every guard of its row, and produces only the events and cites only the rules its row lists",
    (input) => {
      for (const step of walk(input).steps) {
        if (Result.isFailure(step.result)) continue
        const row = SopTable.row(step.command._tag)
        for (const event of step.result.success) {
          expect(row.produces, describeStep(step)).toContain(event.type)
          for (const rule of event.rules) expect(row.cites, `${describeStep(step)}: ${event.type}`).toContain(rule)
        }
        if (step.before._tag !== "Case" || step.command._tag === "RegisterReport") continue
        for (const g of row.guards) {
          expect(
            guards.get(g.name)?.check(inputOf(step, step.before)),
            `${describeStep(step)}: ${g.name}`
          ).toBeUndefined()
        }
      }
    }
  )

  propTest.prop([walkArb(60)], { numRuns: runs(150) })(
    "a command refused by a guard cites that guard's rule, and the guard, run on its own, says the same",
    (input) => {
      for (const step of walk(input).steps) {
        const before = step.before
        if (Result.isSuccess(step.result) || before._tag !== "Case" || step.command._tag === "RegisterReport") continue
        const failure = step.result.failure
        if (failure._tag !== "SopViolation" || before.stage === "closed") continue
        if (failure.rule === "SOP-09" && isAdultNow(before, step.now) && !SopTable.row(step.command._tag).forAdults) {
          continue // refused before the table: the subject is 18
        }
        if (failure.rule === "SOP-STAGE" && / is not allowed in stage /u.test(failure.detail)) continue // by stage
        const row = SopTable.row(step.command._tag)
        const unmet = row.guards
          .map((g) => ({ g, detail: guards.get(g.name)?.check(inputOf(step, before)) }))
          .find((found) => found.detail !== undefined)
        expect(unmet, `${describeStep(step)}: ${failure.message}`).toBeDefined()
        expect(unmet?.g.rule).toBe(failure.rule)
        expect(unmet?.detail).toBe(failure.detail)
      }
    }
  )

  it("every guard, run on its own on the inputs of random walks, both passes and fails", () => {
    const outcomes = new Map<string, Set<"pass" | "fail">>()
    const walks = [
      ...fc.sample(walkArb(60), { numRuns: 300, seed: 4 }).map((input) => walk(input)),
      // The juvenile-justice chain, from the case of an anak berkonflik dengan hukum.
      ...fc.sample(walkArb(60), { numRuns: 350, seed: 4 }).map((input) => walk(input, { from: "offender" })),
      // The Pasal 21 path, from the case of a child under 12 at the alleged act.
      ...fc.sample(walkArb(30), { numRuns: 100, seed: 4 }).map((input) => walk(input, { from: "pasal21" }))
    ]
    for (const w of walks) {
      for (const step of w.steps) {
        // A report's guard reads no case; every other guard reads the case.
        if (step.before._tag !== "Case" && step.command._tag !== "RegisterReport") continue
        for (const g of SopTable.row(step.command._tag).guards) {
          const detail = guards.get(g.name)?.check(inputOf(step, step.before))
          outcomes.set(g.name, (outcomes.get(g.name) ?? new Set()).add(detail === undefined ? "pass" : "fail"))
        }
      }
    }
    // assigneeIsActiveStaff reads the people of the directory, which the walks do not pass: see the next test.
    for (const name of guards.keys()) {
      const seen = outcomes.get(name)
      expect(seen?.has("pass"), `${name} passes`).toBe(true)
      if (name !== "assigneeIsActiveStaff") expect(seen?.has("fail"), `${name} fails`).toBe(true)
    }
  })

  it("assigneeIsActiveStaff: with the people known, only an active caseworker, supervisor or head of the owner", () => {
    const known = Person.people(directory, [
      Person.make({ id: "sakti-peksos-1", agency: "dinsos-13.71", role: "caseworker" }),
      Person.make({ id: "sakti-peksos-2", agency: "dinsos-13.71", role: "caseworker", active: false }),
      Person.make({ id: "lpa-padang-1", agency: "lpa-13.71", role: "partner" }),
      Person.make({ id: "peksos-sentra-1", agency: "sentra-handayani", role: "caseworker" })
    ])
    if (Result.isFailure(known)) throw new Error(known.failure)
    const now = "2024-03-04T03:00:00Z"
    const state = caseOf(
      step(
        emptyStory,
        people.padangIntake,
        now,
        cmd({
          _tag: "RegisterReport",
          caseId: "case-assign",
          subject: "subject-assign",
          sex: "female",
          ageAtReport: 9,
          region: "13.71",
          owner: "dinsos-13.71",
          source: "school",
          concerns: []
        })
      )
    )
    const assign = (caseworker: string) =>
      Decider.decide(state, cmd({ _tag: "AssignCaseworker", caseId: "case-assign", caseworker }), {
        now: DateTime.makeUnsafe(now),
        actor: people.padangKabid,
        agencies: directory,
        people: known.success
      })
    expect(Result.isSuccess(assign("sakti-peksos-1"))).toBe(true)
    for (const refused of ["sakti-peksos-2", "lpa-padang-1", "peksos-sentra-1", "nobody"]) {
      const decided = assign(refused)
      expect(Result.isFailure(decided) && decided.failure, refused).toMatchObject({
        _tag: "SopViolation",
        rule: "SOP-07",
        detail: `${refused} is not an active caseworker, supervisor or head of the owning agency dinsos-13.71`
      })
    }
    // Without the people, any well-formed id is accepted (pure tests and migrations).
    const unchecked = Decider.decide(
      state,
      cmd({ _tag: "AssignCaseworker", caseId: "case-assign", caseworker: "nobody" }),
      {
        now: DateTime.makeUnsafe(now),
        actor: people.padangKabid,
        agencies: directory
      }
    )
    expect(Result.isSuccess(unchecked)).toBe(true)
  })

  it("describes itself as JSON that its own schema accepts, with every rule a guard or an event cites", () => {
    const description = SopTable.describe()
    const json = JSON.parse(JSON.stringify(description))
    expect(json).toEqual(description)
    expect(Schema.decodeUnknownSync(SopTable.Description)(json)).toEqual(description)
    const cited = new Set(description.rules.map((rule) => rule.id))
    for (const row of description.commands) {
      for (const guard of row.guards) expect(cited).toContain(guard.rule)
      for (const rule of row.cites) expect(cited).toContain(rule)
    }
    for (const id of [...Sop.ruleIds, ...Sop.procedureRuleIds]) expect(cited).toContain(id)
  })

  it("renders Markdown tables whose every row has as many cells as its header", () => {
    let columns: number | undefined
    for (const line of SopTable.markdown().split("\n")) {
      if (!line.startsWith("|")) {
        columns = undefined
        continue
      }
      const cells = line.split("|").length - 2
      columns ??= cells
      expect(cells, line).toBe(columns)
    }
  })
})
