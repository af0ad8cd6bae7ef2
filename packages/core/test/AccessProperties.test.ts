/**
 * Property tests of access (SOP-07, docs/domain.md §7): for random actors (every role, every fixture agency, random
 * regions) and random reachable cases, identity is never granted to partners, auditors, administrators or the
 * scheduler; actors without grounds see nothing; a referral recipient sees only what a live referral shares; an
 * unassigned caseworker does not work on the case; and the decider rejects with `Forbidden` every command whose
 * action `authorize` denies.
 */
import { fc, test as propTest } from "@fast-check/vitest"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import * as Access from "../src/Access.js"
import type * as Actor from "../src/Actor.js"
import * as CalendarDate from "../src/CalendarDate.js"
import * as Case from "../src/Case.js"
import type * as CaseModel from "../src/CaseModel.js"
import * as Decider from "../src/Decider.js"
import { today as localDate } from "../src/internal/decide/facts.js"
import { actionOf } from "../src/internal/decide/table.js"
import { actorArb, Choices, caseId, contextAt, propose, staffAt, type Walk, walk, walkArb } from "./arbitraries.js"
import { at, caseOf, cmd, directory, emptyStory, people, type Story, step } from "./fixtures.js"
import { runs } from "./properties.js"

const noIdentity: ReadonlyArray<Actor.Role> = ["partner", "auditor", "administrator", "system"]
const leads: ReadonlyArray<Actor.Role> = ["supervisor", "head-of-dinas"]
const sections = ["classification", "risk", "plan", "services", "sppa"] as const

/** The distinct case states a walk passed through, with the instant of each. */
const statesOf = (w: Walk) =>
  w.steps.flatMap((s, index) =>
    s.after._tag === "Case" && (index === 0 || s.after !== w.steps[index - 1]?.after)
      ? [{ state: s.after, now: s.now }]
      : []
  )

/**
 * The states of the same walk as earlier versions wrote it: without the withdrawals of referrals and transfers that
 * a consent's lapse now makes (so that sharing on a lapsed consent is still live in them).
 */
const earlierStatesOf = (w: Walk) => {
  const kept = w.events.filter(
    (e) =>
      !(
        (e.payload._tag === "ReferralUpdated" || e.payload._tag === "TransferUpdated") &&
        e.payload.reason?.startsWith("the consent it rests on") === true
      )
  )
  if (kept.length === w.events.length) return []
  const events = kept.map((e, index) => ({ ...e, version: index + 1, eventId: `${e.caseId}:${index + 1}` }))
  const states: Array<{ readonly state: Case.Case; readonly now: ReturnType<typeof at> }> = []
  let state: Case.State = Case.initialState
  for (const event of events) {
    state = Case.evolve(state, event)
    if (state._tag === "Case") states.push({ state, now: event.recordedAt })
  }
  return states
}

/** Whether sharing on `basis` may go on, as SOP-06 says (the model, written apart from `Case.basisHolds`). */
const holds = (state: Case.Case, basis: CaseModel.SharingBasis): boolean => {
  if (basis._tag !== "consent") return true
  const consent = state.consents[basis.consent]
  if (consent === undefined || consent.withdrawn) return false
  const named: ReadonlyArray<string> = state.classification?.allegedPerpetrators ?? []
  return consent.givenBy === "self" || !named.includes(consent.givenBy)
}

/** The people of every agency a case refers to or is being transferred to, so that recipients are always tested. */
const recipientsOf = (state: Case.Case): ReadonlyArray<Actor.Actor> =>
  [...Object.values(state.referrals).map((r) => r.to), ...Object.values(state.transfers).map((t) => t.to)].flatMap(
    (agency) => {
      const s = staffAt(agency)
      return [s.partner, s.workers[0], s.approvers[0], s.auditor]
    }
  )

/** The kinds of agency whose supervisors, heads and auditors read by region (the model, written apart). */
const socialAffairs: ReadonlyArray<string> = ["dinsos", "sentra", "uptd"]

/**
 * The grounds `view` may rest on: ownership, a pending transfer, the region (supervisors, heads and auditors of a
 * social-affairs agency of the directory), a live referral — a transfer or referral only while its basis holds
 * (SOP-06) and the case is open (SOP-07).
 */
const groundsOf = (state: Case.Case, actor: Actor.Actor) => {
  const open = state.stage !== "closed"
  const transfer = Case.pendingTransfer(state)
  const live = open ? Case.liveReferrals(state).filter((r) => r.to === actor.agency && holds(state, r.legalBasis)) : []
  expect(Access.referralsTo(state, actor)).toEqual(live)
  const kind = directory.get(actor.agency)?.kind
  return {
    owner: actor.agency === state.owner,
    transferTo: open && transfer?.to === actor.agency && holds(state, transfer.legalBasis),
    region:
      kind !== undefined &&
      (["supervisor", "head-of-dinas"].includes(actor.role)
        ? socialAffairs.includes(kind)
        : actor.role === "auditor" && [...socialAffairs, "inspectorate"].includes(kind)) &&
      Access.inRegion(actor, state.region),
    live
  }
}

const expectAccessRules = (state: Case.Case, actor: Actor.Actor, now: ReturnType<typeof at>) => {
  const today = localDate(state.region, now)
  const context = { agencies: directory }
  const viewed = Access.view(actor, state, { today, ...context })
  const identity = Access.authorize(actor, "read-identity", state, context)
  const grounds = groundsOf(state, actor)

  // Identity is never granted to partners, auditors, administrators or the scheduler.
  if (noIdentity.includes(actor.role)) expect(Result.isFailure(identity)).toBe(true)
  if (Result.isSuccess(viewed)) expect(viewed.success.identity).toBe(Result.isSuccess(identity) ? "visible" : "hidden")

  // Administrators see no case content; the scheduler only checks deadlines; auditors only read.
  for (const action of Access.caseActions) {
    const allowed = Access.can(actor, action, state, context)
    if (actor.role === "administrator") expect(allowed).toBe(false)
    if (actor.role === "system") expect(allowed).toBe(action === "tick")
    if (actor.role === "auditor" && allowed) expect(["read", "read-history"]).toContain(action)
  }
  if (actor.role === "administrator" || actor.role === "system") expect(Result.isFailure(viewed)).toBe(true)

  // Without any ground, nothing is visible: no reading by region, no live referral, not the owner or transfer target.
  if (!grounds.owner && !grounds.transferTo && !grounds.region && grounds.live.length === 0) {
    expect(Result.isFailure(viewed) && viewed.failure._tag).toBe("Forbidden")
  }
  // Each ground is enough to view the case (an auditor reads by region only).
  const anyGround = grounds.owner || grounds.transferTo || grounds.region || grounds.live.length > 0
  if (actor.role === "auditor" ? grounds.region : anyGround) {
    if (actor.role !== "administrator" && actor.role !== "system") {
      expect(
        Result.isSuccess(viewed),
        `${actor.id} ${JSON.stringify(grounds)} ${Result.isFailure(viewed) ? viewed.failure.detail : ""}`
      ).toBe(true)
    }
  }
  if (!grounds.owner && !Access.inRegion(actor, state.region) && grounds.live.length === 0 && !grounds.transferTo) {
    expect(Result.isFailure(viewed) && viewed.failure._tag).toBe("Forbidden")
  }

  // Only through referrals: the view holds only the sections a live referral to the actor's agency shares.
  if (!grounds.owner && !grounds.region && !grounds.transferTo && Result.isSuccess(viewed)) {
    const shared = new Set<CaseModel.SharedData>(grounds.live.flatMap((r) => r.shares))
    for (const section of sections) {
      if (viewed.success[section] !== undefined) expect(shared.has(section), `${section} is shared`).toBe(true)
    }
    expect(viewed.success.work).toBeUndefined()
    if (viewed.success.identity === "visible") expect(shared.has("identity")).toBe(true)
  }

  // Work: the owning agency's supervisors and head, and its assigned caseworkers; no one else.
  const works = Access.can(actor, "work", state, context)
  if (actor.role === "caseworker" && !state.assigned.includes(actor.id)) expect(works).toBe(false)
  expect(works).toBe(
    grounds.owner && (leads.includes(actor.role) || (actor.role === "caseworker" && state.assigned.includes(actor.id)))
  )
}

/** `decide` rejects with Forbidden a command whose action `authorize` denies. */
const expectForbiddenWhenDenied = (state: Case.Case, actor: Actor.Actor, now: ReturnType<typeof at>, ch: Choices) => {
  const command = cmd(propose(state, ch, now).command)
  const action = command._tag === "RegisterReport" ? "register" : actionOf(command, state, actor)
  const allowed =
    command._tag === "RegisterReport"
      ? Access.authorize(actor, "register", state, { registering: { region: command.region, owner: command.owner } })
      : Access.authorize(actor, action, state)
  const decided = Decider.decide(state, command, contextAt(actor, now))
  if (Result.isFailure(allowed)) {
    expect(Result.isFailure(decided) && decided.failure).toMatchObject({ _tag: "Forbidden", action })
  }
  return Result.isFailure(allowed)
}

describe("access to random reachable cases by random actors", () => {
  propTest.prop(
    [walkArb(40), fc.array(actorArb, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 400 })],
    {
      numRuns: runs(80)
    }
  )("identity, grounds, referral sections, work and Forbidden decisions", (input, randomActors, choices) => {
    const w = walk(input)
    const ch = new Choices(choices)
    for (const { state, now } of statesOf(w)) {
      for (const actor of [...randomActors, ...recipientsOf(state)]) {
        expectAccessRules(state, actor, now)
        expectForbiddenWhenDenied(state, actor, now, ch)
      }
    }
  })

  propTest.prop([actorArb], { numRuns: runs(200) })("no one reads or works on a case that does not exist", (actor) => {
    for (const action of Access.caseActions) {
      // (The scheduler's tick is allowed everywhere; on a missing case the decider answers CaseNotFound.)
      if (action !== "register" && action !== "tick") expect(Access.can(actor, action, Case.initialState)).toBe(false)
    }
    expect(
      Result.isFailure(Access.view(actor, Case.initialState, { today: CalendarDate.decodeSync("2025-01-01") }))
    ).toBe(true)
  })

  it("the generated cases and actors meet every situation the properties speak of", () => {
    let liveReferralViews = 0
    let endedReferralForbidden = 0
    let unassignedCaseworkers = 0
    let forbiddenDecisions = 0
    for (const [input, actors, choices] of fc.sample(
      fc.tuple(walkArb(40), fc.array(actorArb, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 400 })),
      { numRuns: 60, seed: 11 }
    )) {
      const ch = new Choices(choices)
      for (const { state, now } of statesOf(walk(input))) {
        for (const actor of [...actors, ...recipientsOf(state)]) {
          const grounds = groundsOf(state, actor)
          const viewed = Access.view(actor, state, { today: localDate(state.region, now) })
          if (!grounds.owner && !grounds.region && grounds.live.length > 0 && Result.isSuccess(viewed))
            liveReferralViews++
          const ended = Object.values(state.referrals).some(
            (r) => r.to === actor.agency && !["requested", "accepted"].includes(r.status)
          )
          if (ended && grounds.live.length === 0 && !grounds.owner && !grounds.region && Result.isFailure(viewed)) {
            endedReferralForbidden++
          }
          if (actor.role === "caseworker" && !state.assigned.includes(actor.id)) unassignedCaseworkers++
          if (expectForbiddenWhenDenied(state, actor, now, ch)) forbiddenDecisions++
        }
      }
    }
    expect(liveReferralViews).toBeGreaterThan(20)
    expect(endedReferralForbidden).toBeGreaterThan(20)
    expect(unassignedCaseworkers).toBeGreaterThan(20)
    expect(forbiddenDecisions).toBeGreaterThan(20)
  })

  propTest.prop([walkArb(60), fc.array(actorArb, { maxLength: 3 })], { numRuns: runs(300) })(
    "in histories written before sharing stopped with its consent, a lapsed referral or transfer grants nothing (SOP-06)",
    (input, randomActors) => {
      for (const { state, now } of earlierStatesOf(walk(input))) {
        for (const actor of [...randomActors, ...recipientsOf(state)]) expectAccessRules(state, actor, now)
      }
    }
  )

  it("the histories written before sharing stopped with its consent hold recipients whose sharing lapsed", () => {
    let lapsedSharingForbidden = 0
    for (const input of fc.sample(walkArb(60), { numRuns: 300, seed: 11 })) {
      for (const { state, now } of earlierStatesOf(walk(input))) {
        for (const actor of recipientsOf(state)) {
          const grounds = groundsOf(state, actor)
          const lapsed =
            Case.liveReferrals(state).some((r) => r.to === actor.agency && !holds(state, r.legalBasis)) ||
            (Case.pendingTransfer(state)?.to === actor.agency && !grounds.transferTo)
          const viewed = Access.view(actor, state, { today: localDate(state.region, now) })
          if (lapsed && !grounds.owner && !grounds.region && grounds.live.length === 0 && Result.isFailure(viewed)) {
            lapsedSharingForbidden++
          }
        }
      }
    }
    expect(lapsedSharingForbidden).toBeGreaterThan(5)
  })
})

describe("a referral recipient sees what the referral shares, while it is live", () => {
  const c = (tag: string, fields: Record<string, unknown> = {}) => cmd({ _tag: tag, caseId, ...fields })
  const today = CalendarDate.decodeSync("2025-03-01")

  const story = (): Story => {
    let s = emptyStory
    s = step(
      s,
      people.padangIntake,
      "2025-02-01T01:00:00Z",
      c("RegisterReport", {
        subject: "subject-r",
        sex: "male",
        birthDate: "2012-01-01",
        region: "13.71.01",
        owner: "dinsos-13.71",
        source: "school",
        concerns: ["out-of-school"]
      })
    )
    s = step(s, people.padangKabid, "2025-02-01T02:00:00Z", c("AssignCaseworker", { caseworker: "sakti-peksos-1" }))
    s = step(s, people.padangWorker, "2025-02-01T03:00:00Z", c("StartOutreach"))
    s = step(s, people.padangWorker, "2025-02-01T04:00:00Z", c("RecordFirstContact"))
    s = step(
      s,
      people.padangWorker,
      "2025-02-02T04:00:00Z",
      c("RecordAssessment", {
        classification: { ampk: ["b"], ppks: [3], allegedPerpetrators: [] },
        factors: ["out-of-school"]
      })
    )
    s = step(
      s,
      people.padangWorker,
      "2025-02-02T05:00:00Z",
      c("RecordConsent", {
        consent: "consent-1",
        givenBy: "mother",
        scope: ["summary", "risk", "identity", "classification"]
      })
    )
    s = step(
      s,
      people.padangWorker,
      "2025-02-03T05:00:00Z",
      c("RequestReferral", {
        referral: "ref-lpa",
        to: "lpa-13.71",
        purpose: "legal-aid",
        shares: ["summary", "risk"],
        legalBasis: { _tag: "consent", consent: "consent-1" }
      })
    )
    s = step(
      s,
      people.padangWorker,
      "2025-02-03T06:00:00Z",
      c("RequestReferral", {
        referral: "ref-bpp",
        to: "dinsos-64.71",
        purpose: "social-assistance",
        shares: ["classification", "identity"],
        legalBasis: { _tag: "consent", consent: "consent-1" }
      })
    )
    return s
  }

  it("shows a partner only the shared sections, never identity, and nothing once the referral is completed", () => {
    let s = story()
    const live = Access.view(people.lpaPartner, caseOf(s), { today })
    expect(Result.isSuccess(live) && live.success).toMatchObject({ identity: "hidden", history: false })
    if (Result.isSuccess(live)) {
      expect(live.success.risk).toBeDefined()
      expect(live.success.classification).toBeUndefined()
      expect(live.success.work).toBeUndefined()
    }
    s = step(
      s,
      people.lpaPartner,
      "2025-02-04T01:00:00Z",
      c("UpdateReferral", { referral: "ref-lpa", status: "accepted" })
    )
    expect(Result.isSuccess(Access.view(people.lpaPartner, caseOf(s), { today }))).toBe(true)
    s = step(
      s,
      people.lpaPartner,
      "2025-02-20T01:00:00Z",
      c("UpdateReferral", { referral: "ref-lpa", status: "completed" })
    )
    const after = Access.view(people.lpaPartner, caseOf(s), { today })
    expect(Result.isFailure(after) && after.failure).toMatchObject({ _tag: "Forbidden", rule: "SOP-07" })
  })

  it("shows an out-of-region recipient the shared identity while live, nothing after it is withdrawn or declined", () => {
    const s = story()
    const live = Access.view(people.balikpapanWorker, caseOf(s), { today })
    expect(Result.isSuccess(live) && live.success).toMatchObject({ identity: "visible" })
    if (Result.isSuccess(live)) {
      expect(live.success.classification).toBeDefined()
      expect(live.success.risk).toBeUndefined()
      expect(live.success.work).toBeUndefined()
    }
    const withdrawn = step(
      s,
      people.padangWorker,
      "2025-02-05T01:00:00Z",
      c("UpdateReferral", {
        referral: "ref-bpp",
        status: "withdrawn",
        reason: "Service found in Padang"
      })
    )
    expect(Result.isFailure(Access.view(people.balikpapanWorker, caseOf(withdrawn), { today }))).toBe(true)
    expect(Access.can(people.balikpapanWorker, "read-identity", caseOf(withdrawn))).toBe(false)
    const declined = step(
      s,
      people.balikpapanKabid,
      "2025-02-05T01:00:00Z",
      c("UpdateReferral", {
        referral: "ref-bpp",
        status: "declined"
      })
    )
    expect(Result.isFailure(Access.view(people.balikpapanWorker, caseOf(declined), { today }))).toBe(true)
    // The owner and readers in the region keep their view.
    expect(Result.isSuccess(Access.view(people.padangKasi, caseOf(declined), { today }))).toBe(true)
    expect(Result.isSuccess(Access.view(people.auditor, caseOf(declined), { today, agencies: directory }))).toBe(true)
  })

  it("rejects work by a caseworker who is not assigned, with Forbidden", () => {
    const s = story()
    expect(Access.can(people.padangWorker2, "work", caseOf(s))).toBe(false)
    const result = Decider.decide(s.state, c("RecordSafetyPlan", { measures: ["daily-contact"] }), {
      now: at("2025-02-05T00:00:00Z"),
      actor: people.padangWorker2,
      agencies: new Map()
    })
    expect(Result.isFailure(result) && result.failure).toMatchObject({ _tag: "Forbidden", action: "work" })
  })
})
