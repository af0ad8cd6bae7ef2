/**
 * Property tests of the access decisions beyond one command (SOP-07): the scope of lists and counts, the workload
 * of an agency, and the identity of a subject that several cases hold. For random actors (every role, every fixture
 * agency, random regions) and random reachable cases:
 *
 * - every case inside a list scope is one the actor may read;
 * - partners, administrators and the scheduler list nothing (the scheduler lists only what is due), and only the
 *   scheduler lists by wake-up instant and refreshes the cases' due instants;
 * - a workload is read only by the agency's own people, by agencies whose region contains it, and by national
 *   units — never by partners or the scheduler;
 * - an identity is linked only through a holder the actor may read it on; it is replaced or erased only when the
 *   actor may do so on every holder; an actor who reaches no holder learns nothing ("subject not found").
 */
import { fc, test as propTest } from "@fast-check/vitest"
import { Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as Access from "../src/Access.js"
import * as Actor from "../src/Actor.js"
import * as Agency from "../src/Agency.js"
import * as CalendarDate from "../src/CalendarDate.js"
import type * as Case from "../src/Case.js"
import * as CaseIndex from "../src/CaseIndex.js"
import * as CaseView from "../src/CaseView.js"
import { actorArb, allAgencies, regionCodes, staffAt, walk, walkArb } from "./arbitraries.js"
import { at, caseOf, cmd, directory, emptyStory, people, step } from "./fixtures.js"
import { runs } from "./properties.js"

const context: Access.Context = { agencies: directory }

/** The last state of a walk that registered a case. */
const caseOfWalk = (input: Parameters<typeof walk>[0]): Case.Case | undefined => {
  const last = walk(input).steps.at(-1)?.after
  return last?._tag === "Case" ? last : undefined
}

/** Every person of the agencies a case touches, besides the random ones. */
const peopleAround = (state: Case.Case): ReadonlyArray<Actor.Actor> =>
  [state.owner, ...Object.values(state.referrals).map((r) => r.to), ...Object.values(state.transfers).map((t) => t.to)]
    .map(staffAt)
    .flatMap((s) => [s.intake, ...s.workers, s.kasi, ...s.approvers, s.partner, s.auditor, s.admin, s.system])

const requestArb: fc.Arbitrary<Access.ListRequest> = fc.record(
  {
    region: fc.constantFrom<Agency.Scope>("ID", ...regionCodes),
    owner: fc.constantFrom(...allAgencies.map((agency) => agency.id))
  },
  { requiredKeys: [] }
)

describe("list scope", () => {
  propTest.prop([walkArb(30), fc.array(actorArb, { minLength: 1, maxLength: 6 }), requestArb], { numRuns: runs(120) })(
    "every case inside an actor's list scope is a case the actor may read",
    (input, randomActors, request) => {
      const state = caseOfWalk(input)
      if (state === undefined) return
      const entry = CaseIndex.project(state)
      for (const actor of [...randomActors, ...peopleAround(state)]) {
        const scope = Access.listScope(actor, "list", request, context)
        if (Result.isFailure(scope)) continue
        if (CaseIndex.matches(entry, scope.success)) {
          expect(Access.can(actor, "read", state, context), `${actor.id} lists ${state.id}`).toBe(true)
        }
        // The scope never widens what was asked for.
        if (request.owner !== undefined) expect(scope.success.owner).toBe(request.owner)
        if (request.region !== undefined && request.region !== "ID" && scope.success.region !== "ID") {
          const asked = request.region
          const got = scope.success.region
          expect(got === asked || got.startsWith(`${asked}.`) || asked.startsWith(`${got}.`)).toBe(true)
        }
      }
    }
  )

  propTest.prop([actorArb, requestArb], { numRuns: runs(300) })(
    "partners, administrators and the scheduler list nothing; the scheduler lists what is due everywhere, and only it refreshes due instants and looks for assignments to end",
    (actor, request) => {
      const listed = Access.listScope(actor, "list", request, context)
      if (actor.role === "partner" || actor.role === "administrator" || actor.role === "system") {
        expect(Result.isFailure(listed) && listed.failure.rule).toBe("SOP-07")
      }
      const due = Access.listScope(actor, "list-due", request, context)
      if (actor.role === "system") expect(Result.isSuccess(due)).toBe(true)
      else expect(Result.isSuccess(due)).toBe(Result.isSuccess(listed))
      // Refreshing every case's due instants is the scheduler's alone, over what it lists as due.
      const refresh = Access.listScope(actor, "refresh-due", request, context)
      if (actor.role === "system") expect(refresh).toEqual(due)
      else expect(Result.isFailure(refresh) && refresh.failure).toMatchObject({ rule: "SOP-07", action: "refresh-due" })
      // So is looking for the assignments the directory no longer allows, over the same cases.
      const release = Access.listScope(actor, "release-assignments", request, context)
      if (actor.role === "system") expect(release).toEqual(due)
      else {
        expect(Result.isFailure(release) && release.failure).toMatchObject({
          rule: "SOP-07",
          action: "release-assignments"
        })
      }
    }
  )

  propTest.prop([actorArb, requestArb], { numRuns: runs(300) })(
    "an export is made only by a supervisor, a head of dinas or an auditor, within what the actor may list",
    (actor, request) => {
      const exported = Access.listScope(actor, "export", request, context)
      const listed = Access.listScope(actor, "list", request, context)
      if (["supervisor", "head-of-dinas", "auditor"].includes(actor.role)) {
        // The same scope as a list, or refused as a list would be.
        if (Result.isSuccess(listed)) expect(exported).toEqual(listed)
        else expect(Result.isFailure(exported) && exported.failure.rule).toBe("SOP-07")
      } else {
        expect(Result.isFailure(exported) && exported.failure.rule).toBe("SOP-07")
      }
    }
  )

  propTest.prop(
    [
      actorArb,
      requestArb,
      fc.constantFrom<Access.ListAction>("list", "list-due", "export", "refresh-due", "release-assignments")
    ],
    {
      numRuns: runs(300)
    }
  )(
    "only the scheduler lists by wake-up instant (it can tell a birth date); without it, the scope is unchanged",
    (actor, request, action) => {
      const wake = Access.listScope(
        actor,
        action,
        { ...request, filter: { wakeBefore: at("2026-01-01T00:00:00Z") } },
        context
      )
      if (actor.role === "system" && action === "list-due") {
        expect(wake).toEqual(Access.listScope(actor, action, request, context))
      } else {
        expect(Result.isFailure(wake) && wake.failure).toMatchObject({ _tag: "Forbidden", rule: "SOP-07", action })
      }
    }
  )

  it("refuses the refresh of due instants to a Padang supervisor and head, and gives it to the scheduler", () => {
    const padang = staffAt("dinsos-13.71")
    for (const actor of [padang.kasi, ...padang.approvers, padang.auditor]) {
      expect(Access.listScope(actor, "refresh-due", {}, context)).toMatchObject({
        failure: { _tag: "Forbidden", detail: "only the deadline scheduler refreshes the cases' due instants" }
      })
    }
    expect(Access.listScope(padang.system, "refresh-due", {}, context)).toMatchObject({ success: { region: "ID" } })
  })

  it("refuses the search for assignments to end to a Padang supervisor and head, and gives it to the scheduler", () => {
    const padang = staffAt("dinsos-13.71")
    for (const actor of [padang.kasi, ...padang.approvers, padang.auditor]) {
      expect(Access.listScope(actor, "release-assignments", {}, context)).toMatchObject({
        failure: {
          _tag: "Forbidden",
          detail: "only the deadline scheduler looks for assignments the directory no longer allows"
        }
      })
    }
    expect(Access.listScope(padang.system, "release-assignments", {}, context)).toMatchObject({
      success: { region: "ID" }
    })
  })

  it("refuses a list by wake-up instant to a Padang supervisor, and gives it to the scheduler", () => {
    const filter = { wakeBefore: at("2026-03-04T00:00:00Z") }
    const kasi = staffAt("dinsos-13.71").kasi
    expect(Access.listScope(kasi, "list-due", { filter }, context)).toMatchObject({
      failure: { _tag: "Forbidden", detail: "only the deadline scheduler lists cases by when it next looks at them" }
    })
    expect(Access.listScope(staffAt("dinsos-13.71").system, "list-due", { filter }, context)).toMatchObject({
      success: { region: "ID" }
    })
  })

  it("limits a supervisor of another kota to its region, and a province supervisor to the province", () => {
    const balikpapan = staffAt("dinsos-64.71").kasi
    const sumbar = staffAt("dinsos-13").kasi
    const padangWorker = staffAt("dinsos-13.71").workers[0]
    expect(Access.listScope(balikpapan, "list", {}, context)).toMatchObject({ success: { region: "64.71" } })
    expect(Result.isFailure(Access.listScope(balikpapan, "list", { region: "13.71" as never }, context))).toBe(true)
    expect(Access.listScope(sumbar, "list", { region: "ID" }, context)).toMatchObject({ success: { region: "13" } })
    expect(Access.listScope(padangWorker, "list", {}, context)).toMatchObject({ success: { owner: "dinsos-13.71" } })
    // Without the directory, no one lists by region.
    expect(Access.listScope(sumbar, "list", {}, {})).toMatchObject({ success: { owner: "dinsos-13" } })
  })
})

describe("an assignment counts for a caseworker only (access review)", () => {
  propTest.prop([walkArb(25)], { numRuns: runs(100) })(
    "a person assigned as a caseworker whom the directory now names in another role keeps nothing through it",
    (input) => {
      const state = caseOfWalk(input)
      if (state === undefined) return
      for (const id of state.assigned) {
        const caseworker = Actor.make({ id, role: "caseworker", agency: state.owner, region: state.region })
        const moved = Actor.make({ id, role: "intake-officer", agency: state.owner, region: state.region })
        const context = { agencies: directory }
        expect(Access.can(caseworker, "read-history", state, context), id).toBe(true)
        for (const action of [
          "read-history",
          "read-identity",
          "replace-identity",
          "work",
          "respond-referral"
        ] as const) {
          expect(Access.can(moved, action, state, context), `${id} ${action}`).toBe(false)
        }
      }
    }
  )
})

describe("reading by region needs the directory", () => {
  propTest.prop([walkArb(30), fc.array(actorArb, { minLength: 1, maxLength: 6 })], { numRuns: runs(80) })(
    "without the directory no one reads by region, and an actor who would is told the directory is missing",
    (input, randomActors) => {
      const state = caseOfWalk(input)
      if (state === undefined) return
      for (const actor of [...randomActors, ...peopleAround(state), staffAt("dinsos-13").kasi]) {
        const without = Access.whyNot(actor, "read", state, {})
        const withDirectory = Access.whyNot(actor, "read", state, context)
        // The directory only ever widens reading (to supervisors and auditors of social-affairs agencies of the
        // region), and a supervisor, head or auditor refused without it is told that reading by region was not decided.
        if (without === undefined) expect(withDirectory).toBeUndefined()
        else if (withDirectory === undefined) expect(without).toMatch(/decided from the agency directory/)
        if (without?.includes("directory") === true) {
          expect(["supervisor", "head-of-dinas", "auditor"]).toContain(actor.role)
        }
      }
    }
  )

  it("a province supervisor reads a kota's case with the directory; without it, the reason names the directory", () => {
    const story = step(
      emptyStory,
      people.padangIntake,
      "2025-01-06T02:00:00Z",
      cmd({
        _tag: "RegisterReport",
        caseId: "case-province-read",
        subject: "subject-province-read",
        sex: "female",
        region: "13.71",
        owner: "dinsos-13.71",
        source: "community",
        concerns: []
      })
    )
    const state = caseOf(story)
    expect(Access.whyNot(people.sumbarKabid, "read", state, context)).toBeUndefined()
    expect(Access.whyNot(people.sumbarKabid, "read", state, {})).toBe(
      "the case is not owned by, referred to or being transferred to the actor's agency, and reading by region is decided from the agency directory (context.agencies), which was not given"
    )
    // With the directory, the reason is the real one: a supervisor of another province, or of an agency that is not
    // one of social affairs, does not read by region.
    expect(Access.whyNot(staffAt("dinsos-64.71").kasi, "read", state, context)).toMatch(/is not a supervisor/)
    const lpa = Actor.make({ id: "lpa-head", role: "supervisor", agency: "lpa-13.71", region: "13.71" })
    expect(Access.whyNot(lpa, "read", state, context)).toMatch(/is not a supervisor of a social-affairs agency/)
    // Without it, no reason that was not checked: the same words for both, in the region or not.
    expect(Access.whyNot(lpa, "read", state, {})).toBe(Access.whyNot(staffAt("dinsos-64.71").kasi, "read", state, {}))
  })
})

describe("the view as data", () => {
  propTest.prop([walkArb(40), fc.array(actorArb, { minLength: 1, maxLength: 4 })], { numRuns: runs(60) })(
    "every view encodes to JSON with CaseView.View and decodes to the same view: nothing is dropped at the edge",
    (input, randomActors) => {
      const state = caseOfWalk(input)
      if (state === undefined) return
      const today = CalendarDate.decodeSync("2025-06-01")
      for (const actor of [...randomActors, ...peopleAround(state)]) {
        const viewed = Access.view(actor, state, { today, agencies: directory })
        if (Result.isFailure(viewed)) continue
        const json = JSON.parse(JSON.stringify(Schema.encodeSync(CaseView.View)(viewed.success)))
        expect(Schema.decodeUnknownSync(CaseView.View)(json)).toEqual(viewed.success)
      }
    }
  )
})

describe("workload", () => {
  propTest.prop([actorArb, fc.constantFrom(...allAgencies)], { numRuns: runs(400) })(
    "a workload is read only by whom the list scope of the agency's cases gives them all, and counted within it",
    (actor, agency) => {
      const decided = Access.authorizeAgency(actor, "read-workload", agency, context)
      const listed = Access.listScope(actor, "list", { owner: agency.id, region: agency.region }, context)
      // Everything the agency owns in its region: the list scope takes it whole, or the workload is refused.
      const whole =
        Result.isSuccess(listed) && (listed.success.region === "ID" || listed.success.region === agency.region)
      expect(Result.isSuccess(decided)).toBe(whole)
      if (Result.isSuccess(decided)) {
        expect(decided.success).toEqual(Result.getOrThrow(listed))
        expect(decided.success.owner).toBe(agency.id)
      } else {
        expect(decided.failure).toMatchObject({ _tag: "Forbidden", action: "read-workload" })
      }
      if (actor.role === "partner" || actor.role === "system" || actor.role === "administrator") {
        expect(Result.isSuccess(decided)).toBe(false)
      }
      // Its own staff count all its cases.
      const staff = ["intake-officer", "caseworker", "supervisor", "head-of-dinas"].includes(actor.role)
      if (staff && actor.agency === agency.id) expect(Result.isSuccess(decided)).toBe(true)
      if (Result.isSuccess(decided) && actor.agency !== agency.id) {
        // Another agency's people read it by region: supervisors or heads of social affairs, or auditors, whose region
        // contains the agency's.
        if (actor.role !== "auditor") {
          expect(["supervisor", "head-of-dinas", "auditor"]).toContain(actor.role)
          const own = directory.get(actor.agency)
          expect(own !== undefined && Agency.isSocialAffairs(own)).toBe(true)
        }
        expect(
          agency.region !== "ID" ? Agency.serves({ region: actor.region }, agency.region) : actor.region === "ID"
        ).toBe(true)
      }
    }
  )

  it("another sector's supervisor and a provincial caseworker do not see a kota Dinas's workload; its province's kabid does", () => {
    const padang = allAgencies.find((agency) => agency.id === "dinsos-13.71") as Agency.Agency
    const teacher = Actor.make({ id: "guru-1", role: "supervisor", agency: "lpa-13.71", region: "13.71" })
    const provincialWorker = Actor.make({ id: "peksos-prov", role: "caseworker", agency: "dinsos-13", region: "13" })
    for (const actor of [teacher, provincialWorker]) {
      expect(Access.authorizeAgency(actor, "read-workload", padang, context), actor.id).toMatchObject({
        failure: { _tag: "Forbidden", action: "read-workload" }
      })
    }
    expect(Access.authorizeAgency(people.sumbarKabid, "read-workload", padang, context)).toEqual(
      Result.succeed({ region: "13.71", owner: "dinsos-13.71" })
    )
    // Another kota's supervisor, and a kota's supervisor for its province's Dinas (it would count only a part of it).
    const sumbar = allAgencies.find((agency) => agency.id === "dinsos-13") as Agency.Agency
    for (const [actor, agency] of [
      [staffAt("dinsos-64.71").kasi, padang],
      [people.padangKasi, sumbar]
    ] as const) {
      expect(Access.authorizeAgency(actor, "read-workload", agency, context), `${actor.id} ${agency.id}`).toMatchObject(
        {
          failure: { _tag: "Forbidden", action: "read-workload" }
        }
      )
    }
  })
})

describe("identity of a subject held by several cases", () => {
  propTest.prop(
    [fc.array(walkArb(25), { minLength: 1, maxLength: 3 }), fc.array(actorArb, { minLength: 1, maxLength: 6 })],
    { numRuns: runs(100) }
  )("no actor links, replaces or erases an identity it cannot reach through a case", (inputs, randomActors) => {
    const holders = inputs.map(caseOfWalk).filter((state): state is Case.Case => state !== undefined)
    const actors = [...randomActors, ...holders.flatMap(peopleAround)]
    for (const actor of actors) {
      const reaches = holders.some((state) => Access.can(actor, "read-identity", state, context))
      for (const action of ["link-subject", "replace-identity", "erase-identity"] as const) {
        const decided = Access.authorizeSubject(actor, action, holders, context)
        if (!reaches) {
          expect(Result.isFailure(decided) && decided.failure._tag, `${actor.id} ${action}`).toBe("SubjectNotFound")
          continue
        }
        if (action === "link-subject") {
          // Only through a case of the actor's own agency: never through a referral (access review).
          const throughOwn = holders.some(
            (state) => state.owner === actor.agency && Access.can(actor, "read-identity", state, context)
          )
          expect(decided, `${actor.id} ${action}`).toEqual(
            throughOwn ? Result.succeed(undefined) : Result.fail({ _tag: "SubjectNotFound" })
          )
        } else {
          const everywhere = holders.every((state) => Access.can(actor, action, state, context))
          expect(Result.isSuccess(decided), `${actor.id} ${action}`).toBe(everywhere)
          if (Result.isFailure(decided)) expect(decided.failure._tag).toBe("Forbidden")
        }
      }
    }
  })
})
