/**
 * Behaviour settled in review of the decider: adults consent for themselves, withdrawing a consent ends the
 * sharing that rests on it, a child known only by age still reaches 18, an untyped Dinas is approved by its Kadis,
 * and a revised plan waiting for approval does not unseat the plan in force.
 */
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import * as Agency from "../src/Agency.js"
import * as Case from "../src/Case.js"
import * as Decider from "../src/Decider.js"
import { approvingPositions, isAdultNow } from "../src/internal/decide/facts.js"
import { at, caseOf, cmd, emptyStory, people, rejected, type Story, step } from "./fixtures.js"

const caseId = "case-review-1"
const c = (tag: string, fields: Record<string, unknown> = {}) => cmd({ _tag: tag, caseId, ...fields })

const registered = (fields: Record<string, unknown>, at = "2025-01-06T02:00:00Z"): Story =>
  step(
    emptyStory,
    people.padangIntake,
    at,
    c("RegisterReport", {
      subject: "subject-review-1",
      sex: "female",
      region: "13.71",
      owner: "dinsos-13.71",
      source: "community",
      concerns: [],
      ...fields
    })
  )

const assessed = (s: Story, classification: Record<string, unknown>, at: string): Story => {
  let t = step(s, people.padangKabid, at, c("AssignCaseworker", { caseworker: "sakti-peksos-1" }))
  t = step(t, people.padangWorker, at, c("StartOutreach"))
  t = step(t, people.padangWorker, at, c("RecordFirstContact"))
  return step(t, people.padangWorker, at, c("RecordAssessment", { classification, factors: [] }))
}

describe("consent (SOP-06)", () => {
  it("lets an adult PPKS case consent for themself, and refuses 'self' for a child", () => {
    const adult = registered({ ageAtReport: 30 })
    expect(caseOf(adult).subject.kind).toBe("adult")
    const s = step(
      adult,
      people.padangKabid,
      "2025-01-06T03:00:00Z",
      c("RecordConsent", {
        consent: "k-self",
        givenBy: "self",
        scope: ["summary"]
      })
    )
    expect(caseOf(s).consents["k-self"]?.givenBy).toBe("self")
    expect(
      rejected(
        adult,
        people.padangKabid,
        "2025-01-06T03:00:00Z",
        c("RecordConsent", {
          consent: "k-mother",
          givenBy: "mother",
          scope: ["summary"]
        })
      )
    ).toMatchObject({ rule: "SOP-06" })
    const child = registered({ birthDate: "2015-01-01" })
    expect(
      rejected(
        child,
        people.padangKabid,
        "2025-01-06T03:00:00Z",
        c("RecordConsent", {
          consent: "k-self",
          givenBy: "self",
          scope: ["summary"]
        })
      )
    ).toMatchObject({ rule: "SOP-06", detail: expect.stringMatching(/parent or guardian/) })
  })

  it("withdraws the live referrals that rest on a withdrawn consent, and only those", () => {
    let s = assessed(
      registered({ birthDate: "2012-05-01" }),
      { ampk: ["i"], ppks: [6], allegedPerpetrators: [] },
      "2025-01-07T02:00:00Z"
    )
    s = step(
      s,
      people.padangWorker,
      "2025-01-08T02:00:00Z",
      c("RecordConsent", { consent: "k1", givenBy: "mother", scope: ["summary"] })
    )
    s = step(
      s,
      people.padangWorker,
      "2025-01-08T02:00:00Z",
      c("RequestReferral", {
        referral: "r-consent",
        to: "lpa-13.71",
        purpose: "legal-aid",
        shares: ["summary"],
        legalBasis: { _tag: "consent", consent: "k1" }
      })
    )
    s = step(
      s,
      people.padangWorker,
      "2025-01-08T02:00:00Z",
      c("RequestReferral", {
        referral: "r-court",
        to: "disdik-13.71",
        purpose: "education",
        shares: ["summary"],
        legalBasis: { _tag: "court-order", reference: "Penetapan PN Padang 1/2025" }
      })
    )
    const before = s.events.length
    s = step(s, people.padangWorker, "2025-01-09T02:00:00Z", c("WithdrawConsent", { consent: "k1" }))
    expect(s.events.slice(before).map((e) => e.type)).toEqual(["ConsentWithdrawn", "ReferralUpdated"])
    expect(caseOf(s).referrals["r-consent"]?.status).toBe("withdrawn")
    expect(caseOf(s).referrals["r-court"]?.status).toBe("requested")
  })

  it("refuses a consent basis that was never recorded, even when nothing is shared", () => {
    const s = assessed(
      registered({ birthDate: "2012-05-01" }),
      { ampk: ["i"], ppks: [6], allegedPerpetrators: [] },
      "2025-01-07T02:00:00Z"
    )
    expect(
      rejected(
        s,
        people.padangWorker,
        "2025-01-08T02:00:00Z",
        c("RequestReferral", {
          referral: "r0",
          to: "lpa-13.71",
          purpose: "legal-aid",
          shares: [],
          legalBasis: { _tag: "consent", consent: "nope" }
        })
      )
    ).toMatchObject({ rule: "SOP-06" })
  })
})

describe("reaching 18 (SOP-09)", () => {
  it("detects a child known only by age once they are certainly 18, and allows early closure as adult", () => {
    // 16 on 2025-01-06: certainly 18 on 2027-01-06.
    let s = registered({ ageAtReport: 16 })
    expect(Decider.adultOn(caseOf(s))).toBe("2027-01-06")
    expect(isAdultNow(caseOf(s), at("2027-01-05T02:00:00Z"))).toBe(false)
    expect(isAdultNow(caseOf(s), at("2027-01-06T02:00:00Z"))).toBe(true)
    expect(
      rejected(
        s,
        people.padangKabid,
        "2025-06-01T02:00:00Z",
        c("RequestEarlyClosure", {
          reason: "adult",
          note: "Turned 18",
          approval: "e1"
        })
      )
    ).toMatchObject({ rule: "SOP-09" })
    s = step(s, people.scheduler, "2027-01-06T02:00:00Z", c("Tick"))
    expect(caseOf(s).adulthoodReachedOn).toBe("2027-01-06")
    s = step(
      s,
      people.padangKasi,
      "2027-01-06T03:00:00Z",
      c("RequestEarlyClosure", {
        reason: "adult",
        note: "Handed to adult services",
        approval: "e1"
      })
    )
    s = step(
      s,
      people.padangKabid,
      "2027-01-07T03:00:00Z",
      c("DecideApproval", { approval: "e1", decision: "approved", reason: "Adult" })
    )
    expect(caseOf(s).stage).toBe("closed")
  })

  it("tells an adult PPKS case that reason adult is not for it", () => {
    const adult = registered({ ageAtReport: 40 })
    const s = assessed(adult, { ampk: [], ppks: [20], allegedPerpetrators: [] }, "2025-01-07T02:00:00Z")
    const planned = step(
      step(s, people.padangWorker, "2025-01-08T02:00:00Z", c("CompleteAssessment")),
      people.padangWorker,
      "2025-01-09T02:00:00Z",
      c("ProposePlan", {
        approval: "p",
        plan: {
          id: "plan-a",
          firstReviewOn: "2025-03-01",
          items: [
            {
              component: "social-assistance",
              goal: "Return home",
              responsible: "dinsos-13.71",
              setting: "community-based"
            }
          ]
        }
      })
    )
    expect(
      rejected(
        planned,
        people.padangWorker,
        "2025-01-10T02:00:00Z",
        c("RequestTermination", {
          reason: "adult",
          note: "x",
          approval: "t"
        })
      )
    ).toMatchObject({ rule: "SOP-09", detail: expect.stringMatching(/adult PPKS case/) })
  })
})

describe("approvers and plans", () => {
  it("lets only the Kadis approve in a Dinas Sosial whose type is not configured", () => {
    const untyped = Agency.make({ id: "dinsos-x", kind: "dinsos", name: "Dinas Sosial X", region: "13.71" })
    expect(approvingPositions(untyped)).toEqual(["kadis"])
    expect(approvingPositions({ ...untyped, dinasType: "A" })).toEqual(["kabid-rehsos", "kadis"])
  })

  it("keeps the approved plan in force while a revision waits, and drops it on reopen", () => {
    let s = assessed(
      registered({ birthDate: "2012-05-01" }),
      { ampk: ["m"], ppks: [2], allegedPerpetrators: [] },
      "2025-01-07T02:00:00Z"
    )
    s = step(s, people.padangWorker, "2025-01-08T02:00:00Z", c("CompleteAssessment"))
    const plan = (id: string) => ({
      id,
      firstReviewOn: "2025-03-01",
      items: [
        { component: "family-support", goal: "Family support", responsible: "dinsos-13.71", setting: "family-based" }
      ]
    })
    s = step(s, people.padangWorker, "2025-01-09T02:00:00Z", c("ProposePlan", { approval: "p1", plan: plan("plan-1") }))
    s = step(s, people.padangWorker, "2025-01-10T02:00:00Z", c("StartIntervention"))
    // A risk raised to sedang: the revision needs approval; meanwhile the rendah plan stays in force.
    s = step(
      s,
      people.padangWorker,
      "2025-02-01T02:00:00Z",
      c("RecordAssessment", {
        classification: { ampk: ["m"], ppks: [2], allegedPerpetrators: [] },
        factors: ["repeated-neglect", "out-of-school"]
      })
    )
    s = step(s, people.padangWorker, "2025-02-02T02:00:00Z", c("ProposePlan", { approval: "p2", plan: plan("plan-2") }))
    expect(Case.approvedPlan(caseOf(s))?.plan.id).toBe("plan-1")
    s = step(
      s,
      people.padangWorker,
      "2025-02-03T02:00:00Z",
      c("RecordService", { component: "family-support", provider: "dinsos-13.71", deliveredOn: "2025-02-03" })
    )
    s = step(
      s,
      people.padangKabid,
      "2025-02-04T02:00:00Z",
      c("DecideApproval", { approval: "p2", decision: "approved", reason: "Revised for sedang" })
    )
    expect(Case.approvedPlan(caseOf(s))?.plan.id).toBe("plan-2")
    expect(
      Result.isSuccess(
        Decider.decide(s.state, c("ReviewPlan", { outcome: "continue" }), {
          now: at("2025-02-05T02:00:00Z"),
          actor: people.padangWorker,
          agencies: new Map()
        })
      )
    ).toBe(true)
  })
})
