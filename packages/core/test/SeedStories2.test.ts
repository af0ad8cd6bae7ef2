/**
 * The seed stories 001–004 of docs/domain.md §8, end to end through the decider, in the vocabulary of the field.
 * Seed 000 is in SeedStories.test.ts.
 */
import { DateTime, Result } from "effect"
import { describe, expect, it } from "vitest"
import * as Access from "../src/Access.js"
import * as Actor from "../src/Actor.js"
import * as Agency from "../src/Agency.js"
import * as CalendarDate from "../src/CalendarDate.js"
import * as Case from "../src/Case.js"
import type * as CaseCommand from "../src/CaseCommand.js"
import * as CaseDeadlines from "../src/CaseDeadlines.js"
import type * as CaseEvent from "../src/CaseEvent.js"
import * as Decider from "../src/Decider.js"
import { approvingBidang, approvingPositions } from "../src/internal/decide/facts.js"
import * as Ppks from "../src/Ppks.js"
import type * as Rejection from "../src/Rejection.js"
import * as Sop from "../src/Sop.js"
import { agencies, at, caseOf, cmd, emptyStory, people, type Story } from "./fixtures.js"

// ---------------------------------------------------------------------------------------------------------------
// Local fixtures: agencies and people of seeds 001–004 that the shared fixtures do not have
// ---------------------------------------------------------------------------------------------------------------

const local = {
  // Seed 001: post-rehabilitation referral to labour.
  disnakerPadang: Agency.make({ id: "disnaker-13.71", kind: "labour", name: "Disnaker Kota Padang", region: "13.71" }),
  // Seed 004: religious and community leaders in case management.
  tokohPadang: Agency.make({
    id: "tokoh-agama-13.71",
    kind: "community-leader",
    name: "Forum tokoh agama dan masyarakat Kota Padang",
    region: "13.71"
  }),
  // Seed 002: a school in Kota Balikpapan.
  sekolahBalikpapan: Agency.make({
    id: "sekolah-64.71",
    kind: "school",
    name: "Sekolah di Kota Balikpapan",
    region: "64.71"
  }),
  // Seed 003: Dinsos Provinsi NTB's units and partners in Mataram.
  rptcNtb: Agency.make({ id: "uptd-rptc-52", kind: "uptd", name: "RPTC Dinas Sosial Provinsi NTB", region: "52" }),
  puslansosNtb: Agency.make({
    id: "uptd-puslansos-52",
    kind: "uptd",
    name: "Puslansos Dinas Sosial Provinsi NTB",
    region: "52"
  }),
  sentraParamitha: Agency.make({ id: "sentra-paramitha", kind: "sentra", name: "Sentra Paramitha", region: "ID" }),
  uppaNtb: Agency.make({ id: "uppa-52", kind: "police", name: "UPPA Polda NTB", region: "52" }),
  pnMataram: Agency.make({ id: "pn-52.71", kind: "court", name: "Pengadilan Negeri Mataram", region: "52.71" }),
  // Seed 004: the type of this dinas is assumed for the example (seed 001 names the kabupaten, not its type).
  dinsosTanahDatar: Agency.make({
    id: "dinsos-13.04",
    kind: "dinsos",
    name: "Dinas Sosial Kabupaten Tanah Datar",
    region: "13.04",
    dinasType: "C"
  })
} as const

const dir = Agency.directory([...Object.values(agencies), ...Object.values(local)])

const person = Actor.make
const staff = {
  // Seed 001: Sakti Peksos of Dinsos Kota Padang (people.padangWorker and padangWorker2 are two of the four).
  disnakerOfficer: person({ id: "disnaker-1", role: "partner", agency: "disnaker-13.71", region: "13.71" }),
  tokoh: person({ id: "tokoh-1", role: "partner", agency: "tokoh-agama-13.71", region: "13.71" }),
  // Seed 002: the team of companions (tim pendamping) of Dinsos Kota Balikpapan, type B.
  bppIntake: person({ id: "intake-bpp", role: "intake-officer", agency: "dinsos-64.71", region: "64.71" }),
  bppWorker2: person({ id: "peksos-bpp-2", role: "caseworker", agency: "dinsos-64.71", region: "64.71" }),
  bppWorker3: person({ id: "peksos-bpp-3", role: "caseworker", agency: "dinsos-64.71", region: "64.71" }),
  bppKabidRehsos: person({
    id: "kabid-rehsos-bpp",
    role: "supervisor",
    position: "kabid-rehsos",
    agency: "dinsos-64.71",
    region: "64.71"
  }),
  bppTeacher: person({ id: "guru-bpp", role: "partner", agency: "sekolah-64.71", region: "64.71" }),
  // Seed 003: Dinsos Provinsi NTB and its partners.
  ntbIntake: person({ id: "intake-ntb", role: "intake-officer", agency: "dinsos-52", region: "52" }),
  ntbWorker: person({ id: "peksos-ntb-1", role: "caseworker", agency: "dinsos-52", region: "52" }),
  ntbWorker2: person({ id: "peksos-ntb-2", role: "caseworker", agency: "dinsos-52", region: "52" }),
  ntbKabidRehsos: person({
    id: "kabid-rehsos-ntb",
    role: "supervisor",
    position: "kabid-rehsos",
    agency: "dinsos-52",
    region: "52"
  }),
  puslansosHead: person({
    id: "kepala-puslansos",
    role: "supervisor",
    position: "kepala-unit",
    agency: "uptd-puslansos-52",
    region: "52"
  }),
  paramithaWorker: person({ id: "peksos-paramitha", role: "caseworker", agency: "sentra-paramitha", region: "ID" }),
  uppaLiaison: person({ id: "uppa-1", role: "partner", agency: "uppa-52", region: "52" }),
  courtLiaison: person({ id: "pn-1", role: "partner", agency: "pn-52.71", region: "52.71" }),
  // Seed 004: type C and merged dinas.
  tanahDatarWorker: person({ id: "peksos-tanah-datar", role: "caseworker", agency: "dinsos-13.04", region: "13.04" }),
  tanahDatarKabid: person({
    id: "kabid-tanah-datar",
    role: "supervisor",
    position: "kabid",
    bidang: "rehabilitasi-perlindungan-jaminan-sosial",
    agency: "dinsos-13.04",
    region: "13.04"
  }),
  tanahDatarKasi: person({
    id: "kasi-tanah-datar",
    role: "supervisor",
    position: "kasi",
    agency: "dinsos-13.04",
    region: "13.04"
  }),
  mergedWorker: person({ id: "peksos-91", role: "caseworker", agency: "dinsos-merged-91.01", region: "91.01" }),
  mergedKabid: person({
    id: "kabid-sosial-91",
    role: "supervisor",
    position: "kabid",
    bidang: "sosial",
    agency: "dinsos-merged-91.01",
    region: "91.01"
  }),
  mergedKadis: person({
    id: "kadis-91",
    role: "head-of-dinas",
    position: "kadis",
    agency: "dinsos-merged-91.01",
    region: "91.01"
  }),
  mergedKasi: person({
    id: "kasi-91",
    role: "supervisor",
    position: "kasi",
    agency: "dinsos-merged-91.01",
    region: "91.01"
  })
} as const

// ---------------------------------------------------------------------------------------------------------------
// Driver
// ---------------------------------------------------------------------------------------------------------------

const commandsFor =
  (caseId: string) =>
  (tag: string, fields: Record<string, unknown> = {}): CaseCommand.Command =>
    cmd({ _tag: tag, caseId, ...fields })

const decideIn = (story: Story, actor: Actor.Actor, now: string, command: CaseCommand.Command) =>
  Decider.decide(story.state, command, { now: at(now), actor, agencies: dir })

/** Runs a command that must be accepted. */
const go = (story: Story, actor: Actor.Actor, now: string, command: CaseCommand.Command): Story => {
  const result = decideIn(story, actor, now, command)
  if (Result.isFailure(result)) throw new Error(`${command._tag} by ${actor.id} rejected: ${result.failure.message}`)
  return { state: Case.fold(result.success, story.state), events: [...story.events, ...result.success] }
}

/** Runs a command that must be rejected; checks the tag, the rule, the message, and that nothing changed. */
const refuse = (
  story: Story,
  actor: Actor.Actor,
  now: string,
  command: CaseCommand.Command,
  expected: { readonly _tag: Rejection.Rejection["_tag"]; readonly rule?: string; readonly says: RegExp }
): Rejection.Rejection => {
  const before = JSON.stringify(story.state)
  const result = decideIn(story, actor, now, command)
  if (Result.isSuccess(result)) throw new Error(`${command._tag} by ${actor.id} was accepted; expected a rejection`)
  expect(result.failure._tag).toBe(expected._tag)
  if (expected.rule !== undefined) expect(result.failure).toHaveProperty("rule", expected.rule)
  expect(result.failure.message).toMatch(expected.says)
  expect(JSON.stringify(story.state)).toBe(before)
  return result.failure
}

const transitionsOf = (story: Story) =>
  story.events.flatMap((e) => (e.payload._tag === "StageChanged" ? [e.payload.transition] : []))

const lastOf = (story: Story, type: CaseEvent.Type) => story.events.filter((e) => e.type === type).at(-1)

const day = (date: string) => CalendarDate.decodeSync(date)

/** What every seed story must keep: versions in order, a basis on every event, no identity, and replay (SOP-12). */
const expectSound = (story: Story) => {
  expect(story.events.map((e) => e.version)).toEqual(story.events.map((_, index) => index + 1))
  for (const event of story.events) {
    expect(event.rules.length).toBeGreaterThan(0)
    expect(event.basis.length).toBeGreaterThan(0)
  }
  expect(JSON.stringify(story.events)).not.toMatch(/"(name|nik|familyNames|address|photo|school)":/)
  expect(Case.fold(story.events)).toEqual(story.state)
  for (const id of transitionsOf(story)) expect(Sop.transitions.map((t) => t.id)).toContain(id)
}

// ---------------------------------------------------------------------------------------------------------------
// Seed 001
// ---------------------------------------------------------------------------------------------------------------

describe("seed 001: Dinsos Kota Padang — Sakti Peksos, diversi for an ABH child of 15, LPKS Lubuk Minturun, referrals", () => {
  const c = commandsFor("case-001-abh")
  const w1 = people.padangWorker
  const w2 = people.padangWorker2
  const kabid = people.padangKabid
  const decide = (approval: string, now: string) => (s: Story) =>
    go(s, kabid, now, c("DecideApproval", { approval, decision: "approved", reason: "Sesuai SOP" }))

  /** From the police report to the diversion agreement at investigation. */
  const diverted = (): Story => {
    let s = emptyStory
    // A boy of 15 (theft on 20 January 2025) is reported by the police to Dinsos Kota Padang.
    s = go(
      s,
      people.padangIntake,
      "2025-01-22T02:00:00Z",
      c("RegisterReport", {
        subject: "subject-001",
        sex: "male",
        birthDate: "2009-08-17",
        region: "13.71",
        owner: "dinsos-13.71",
        source: "police",
        concerns: ["in-conflict-with-law", "out-of-school"]
      })
    )
    // Two Sakti Peksos accompany the case: outreach (penjangkauan) and case accompaniment (pendampingan kasus).
    s = go(s, kabid, "2025-01-22T02:30:00Z", c("AssignCaseworker", { caseworker: w1.id }))
    s = go(s, kabid, "2025-01-22T02:31:00Z", c("AssignCaseworker", { caseworker: w2.id }))
    s = go(s, w1, "2025-01-22T03:00:00Z", c("StartOutreach"))
    s = go(s, w2, "2025-01-22T08:00:00Z", c("RecordFirstContact"))
    s = go(
      s,
      w1,
      "2025-01-23T03:00:00Z",
      c("RecordAssessment", {
        classification: {
          ampk: ["b"],
          ppks: [3],
          cluster: "children",
          sppaRole: "anak-berkonflik-dengan-hukum",
          allegedPerpetrators: []
        },
        factors: ["in-conflict-with-law", "out-of-school"]
      })
    )
    // Theft, threatened penalty 5 years, no repeat: diversi must be attempted, and at investigation it succeeds.
    s = go(
      s,
      w1,
      "2025-01-29T03:00:00Z",
      c("RecordSppaProceeding", {
        actDate: "2025-01-20",
        proceeding: {
          stage: "investigation",
          threatenedPenaltyYears: 5,
          repeatOffence: false,
          diversionAttempted: true,
          outcome: "agreement",
          on: "2025-01-28"
        }
      })
    )
    return s
  }

  /** Planning, temporary care at LPKS Lubuk Minturun, rehabilitation, and the return home. */
  const rehabilitated = (): Story => {
    let s = go(diverted(), w1, "2025-01-30T03:00:00Z", c("CompleteAssessment"))
    s = go(
      s,
      w1,
      "2025-01-30T04:00:00Z",
      c("RecordConsent", {
        consent: "consent-ibu",
        givenBy: "mother",
        scope: ["summary", "classification", "plan", "services", "identity"]
      })
    )
    s = go(
      s,
      w1,
      "2025-02-03T03:00:00Z",
      c("ProposePlan", {
        approval: "plan-001",
        plan: {
          id: "plan-001",
          firstReviewOn: "2025-03-05",
          items: [
            {
              component: "social-care-parenting",
              goal: "Temporary care at LPKS Lubuk Minturun",
              responsible: "lpks-lubuk-minturun",
              setting: "residence-based"
            },
            {
              component: "therapy",
              goal: "Guidance after the diversion",
              responsible: "dinsos-13.71",
              setting: "residence-based"
            },
            {
              component: "vocational-entrepreneurship",
              goal: "Basic work skills",
              responsible: "lpks-lubuk-minturun",
              setting: "residence-based"
            },
            {
              component: "family-support",
              goal: "Prepare the family for the return",
              responsible: "dinsos-13.71",
              setting: "family-based"
            }
          ]
        }
      })
    )
    s = decide("plan-001", "2025-02-03T06:00:00Z")(s)
    s = go(
      s,
      w1,
      "2025-02-03T07:00:00Z",
      c("RequestPlacement", {
        placement: "lpks-lubuk-minturun-1",
        setting: "lpks",
        facility: "lpks-lubuk-minturun",
        emergency: false,
        approval: "placement-001",
        reason: "Temporary care while the diversion agreement is carried out"
      })
    )
    s = decide("placement-001", "2025-02-03T08:00:00Z")(s)
    s = go(s, w1, "2025-02-04T03:00:00Z", c("StartIntervention"))
    for (const [component, provider] of [
      ["social-care-parenting", "lpks-lubuk-minturun"],
      ["therapy", "dinsos-13.71"],
      ["vocational-entrepreneurship", "lpks-lubuk-minturun"]
    ] as const) {
      s = go(s, w2, "2025-02-10T03:00:00Z", c("RecordService", { component, provider, deliveredOn: "2025-02-10" }))
    }
    s = go(s, w1, "2025-03-05T03:00:00Z", c("ReviewPlan", { outcome: "continue" }))
    s = go(
      s,
      w1,
      "2025-04-28T03:00:00Z",
      c("EndPlacement", { placement: "lpks-lubuk-minturun-1", reason: "Diversion agreement carried out" })
    )
    return go(
      s,
      w1,
      "2025-04-30T03:00:00Z",
      c("StartReintegration", {
        reintegration: {
          receiver: "family",
          receiverAssessedOn: "2025-04-25",
          receiverSuitable: true,
          childViewRecordedOn: "2025-04-26",
          childAgrees: true
        }
      })
    )
  }

  const referrals = [
    {
      id: "rujukan-disdik",
      to: "disdik-13.71",
      purpose: "education",
      shares: ["summary", "services"],
      by: people.teacherPartner
    },
    {
      id: "rujukan-dukcapil",
      to: "dukcapil-13.71",
      purpose: "civil-registration",
      shares: ["summary", "identity"],
      by: people.dukcapilOfficer
    },
    {
      id: "rujukan-disnaker",
      to: "disnaker-13.71",
      purpose: "employment",
      shares: ["summary", "services"],
      by: staff.disnakerOfficer
    }
  ] as const

  /** Post-rehabilitation referrals (education, civil registry, labour), termination and closure. */
  const closed = (): Story => {
    let s = rehabilitated()
    for (const r of referrals) {
      s = go(
        s,
        w1,
        "2025-05-02T03:00:00Z",
        c("RequestReferral", {
          referral: r.id,
          to: r.to,
          purpose: r.purpose,
          shares: r.shares,
          legalBasis: { _tag: "consent", consent: "consent-ibu" }
        })
      )
      s = go(s, r.by, "2025-05-05T03:00:00Z", c("UpdateReferral", { referral: r.id, status: "accepted" }))
      s = go(s, r.by, "2025-07-15T03:00:00Z", c("UpdateReferral", { referral: r.id, status: "completed" }))
    }
    s = go(
      s,
      w1,
      "2025-07-20T03:00:00Z",
      c("RequestTermination", { reason: "goals-met", note: "Back in school, papers done", approval: "terminasi-001" })
    )
    s = decide("terminasi-001", "2025-07-21T03:00:00Z")(s)
    s = go(s, w2, "2025-09-20T03:00:00Z", c("RecordFollowUp", { visitedOn: "2025-09-20", outcome: "stable" }))
    return go(s, w1, "2025-10-21T03:00:00Z", c("CloseCase", { reason: "Stable three months after termination" }))
  }

  it("records diversion at investigation, and refuses to skip it or to detain for a 5-year penalty", () => {
    const s = diverted()
    expect(caseOf(s).sppa.proceedings).toMatchObject([
      { stage: "investigation", threatenedPenaltyYears: 5, repeatOffence: false, outcome: "agreement" }
    ])
    expect(caseOf(s).risk?.effective).toBe("sedang")
    const beforeDiversion = { ...s, events: s.events.slice(0, -1), state: Case.fold(s.events.slice(0, -1)) }
    refuse(
      beforeDiversion,
      w1,
      "2025-01-29T03:00:00Z",
      c("RecordSppaProceeding", {
        actDate: "2025-01-20",
        proceeding: {
          stage: "investigation",
          threatenedPenaltyYears: 5,
          repeatOffence: false,
          diversionAttempted: false,
          outcome: "not-attempted",
          on: "2025-01-28"
        }
      }),
      { _tag: "SopViolation", rule: "SPPA-DIVERSION", says: /diversion is mandatory/ }
    )
    refuse(
      s,
      w1,
      "2025-01-29T04:00:00Z",
      c("RecordDetention", { threatenedPenaltyYears: 5, actDate: "2025-01-20", on: "2025-01-22" }),
      { _tag: "SopViolation", rule: "SPPA-DETENTION", says: /the threatened penalty 5 years is under 7/ }
    )
  })

  it("places the child temporarily at LPKS Lubuk Minturun with the Kabid Rehsos' approval, then returns him home", () => {
    const s = caseOf(rehabilitated())
    expect(s.stage).toBe("reintegration")
    expect(s.assigned).toEqual(["sakti-peksos-1", "sakti-peksos-2"])
    expect(Object.values(s.placements)).toMatchObject([
      { facility: "lpks-lubuk-minturun", setting: "lpks", emergency: false, status: "ended" }
    ])
    expect(s.approvals["placement-001"]).toMatchObject({ status: "approved", decidedBy: "kabid-rehsos-padang" })
    expect(s.services.map((x) => x.provider)).toEqual(["lpks-lubuk-minturun", "dinsos-13.71", "lpks-lubuk-minturun"])
    expect(s.reintegration).toMatchObject({ receiver: "family", childAgrees: true })
  })

  it("refers the child after rehabilitation to education, civil registry and labour, then closes the case", () => {
    const s = closed()
    const state = caseOf(s)
    expect(Object.values(state.referrals).map((r) => [r.to, r.purpose, r.status])).toEqual([
      ["disdik-13.71", "education", "completed"],
      ["dukcapil-13.71", "civil-registration", "completed"],
      ["disnaker-13.71", "employment", "completed"]
    ])
    expect(state).toMatchObject({ stage: "closed", termination: { reason: "goals-met" } })
    expect(transitionsOf(s)).toEqual([
      "start-outreach",
      "reach-child",
      "complete-assessment",
      "start-intervention",
      "start-reintegration",
      "terminate",
      "close"
    ])
    expectSound(s)
  })

  it("shows each sector only what its referral shares, while it is live", () => {
    let s = rehabilitated()
    s = go(
      s,
      w1,
      "2025-05-02T03:00:00Z",
      c("RequestReferral", {
        referral: "rujukan-disdik",
        to: "disdik-13.71",
        purpose: "education",
        shares: ["summary", "services"],
        legalBasis: { _tag: "consent", consent: "consent-ibu" }
      })
    )
    const view = Access.view(people.teacherPartner, s.state, { today: day("2025-05-02") })
    expect(view).toMatchObject({ _tag: "Success", success: { summary: { ageBand: "14-17" }, identity: "hidden" } })
    if (Result.isSuccess(view)) {
      expect(view.success.services).toHaveLength(3)
      expect(view.success.sppa).toBeUndefined()
      expect(view.success.classification).toBeUndefined()
    }
    // A referral asking for more than the mother consented to is refused (SOP-06).
    refuse(
      s,
      w1,
      "2025-05-02T04:00:00Z",
      c("RequestReferral", {
        referral: "rujukan-disnaker",
        to: "disnaker-13.71",
        purpose: "employment",
        shares: ["summary", "sppa"],
        legalBasis: { _tag: "consent", consent: "consent-ibu" }
      }),
      { _tag: "SopViolation", rule: "SOP-06", says: /does not cover sharing sppa/ }
    )
  })
})

// ---------------------------------------------------------------------------------------------------------------
// Seed 002
// ---------------------------------------------------------------------------------------------------------------

describe("seed 002: Kota Balikpapan — a school reports into the Sistem Penanganan Terpadu; a team of companions", () => {
  const team = [people.balikpapanWorker, staff.bppWorker2, staff.bppWorker3] as const
  const kabidRehsos = staff.bppKabidRehsos
  const approveAs = (c: ReturnType<typeof commandsFor>, approval: string, now: string) => (s: Story) =>
    go(s, kabidRehsos, now, c("DecideApproval", { approval, decision: "approved", reason: "Sesuai SOP" }))

  describe("a sedang case: intervention, rehabilitation and reintegration with the school", () => {
    const c = commandsFor("case-002-sedang")
    const [w1, w2, w3] = team

    const assessed = (): Story => {
      let s = emptyStory
      // A teacher reports a pupil who comes to school hurt and has stopped attending.
      s = go(
        s,
        staff.bppIntake,
        "2024-11-04T01:00:00Z",
        c("RegisterReport", {
          subject: "subject-002-a",
          sex: "female",
          birthDate: "2014-03-09",
          region: "64.71",
          owner: "dinsos-64.71",
          source: "school",
          concerns: ["physical-or-psychological-violence", "out-of-school"]
        })
      )
      for (const worker of team) {
        s = go(s, kabidRehsos, "2024-11-04T01:30:00Z", c("AssignCaseworker", { caseworker: worker.id }))
      }
      s = go(s, w2, "2024-11-04T03:00:00Z", c("StartOutreach"))
      s = go(s, w3, "2024-11-05T02:00:00Z", c("RecordFirstContact"))
      s = go(
        s,
        w1,
        "2024-11-07T02:00:00Z",
        c("RecordAssessment", {
          classification: { ampk: ["i"], ppks: [6], cluster: "children", allegedPerpetrators: ["step-parent"] },
          factors: ["physical-or-psychological-violence", "out-of-school"]
        })
      )
      return go(s, w1, "2024-11-08T02:00:00Z", c("CompleteAssessment"))
    }

    const planned = (): Story => {
      const s = go(
        assessed(),
        w1,
        "2024-11-08T03:00:00Z",
        c("RecordConsent", { consent: "consent-ibu", givenBy: "mother", scope: ["summary", "plan", "services"] })
      )
      return go(
        s,
        w1,
        "2024-11-12T02:00:00Z",
        c("ProposePlan", {
          approval: "plan-002",
          plan: {
            id: "plan-002",
            firstReviewOn: "2025-01-12",
            items: [
              {
                component: "therapy",
                goal: "Psychosocial support",
                responsible: "dinsos-64.71",
                setting: "family-based"
              },
              {
                component: "family-support",
                goal: "Non-violent parenting",
                responsible: "dinsos-64.71",
                setting: "family-based"
              },
              {
                component: "accessibility-support",
                goal: "Return to class with a school mentor",
                responsible: "sekolah-64.71",
                setting: "community-based"
              }
            ]
          }
        })
      )
    }

    const closed = (): Story => {
      let s = approveAs(c, "plan-002", "2024-11-12T06:00:00Z")(planned())
      s = go(s, w1, "2024-11-13T02:00:00Z", c("StartIntervention"))
      s = go(
        s,
        w1,
        "2024-11-13T03:00:00Z",
        c("RequestReferral", {
          referral: "rujukan-sekolah",
          to: "sekolah-64.71",
          purpose: "education",
          shares: ["summary", "plan", "services"],
          legalBasis: { _tag: "consent", consent: "consent-ibu" }
        })
      )
      s = go(
        s,
        staff.bppTeacher,
        "2024-11-14T01:00:00Z",
        c("UpdateReferral", { referral: "rujukan-sekolah", status: "accepted" })
      )
      s = go(
        s,
        staff.bppTeacher,
        "2024-11-25T01:00:00Z",
        c("RecordService", { component: "accessibility-support", provider: "sekolah-64.71", deliveredOn: "2024-11-25" })
      )
      s = go(
        s,
        w2,
        "2024-11-26T01:00:00Z",
        c("RecordService", { component: "therapy", provider: "dinsos-64.71", deliveredOn: "2024-11-26" })
      )
      s = go(
        s,
        w3,
        "2024-11-27T01:00:00Z",
        c("RecordService", { component: "family-support", provider: "dinsos-64.71", deliveredOn: "2024-11-27" })
      )
      s = go(s, w1, "2025-01-10T01:00:00Z", c("ReviewPlan", { outcome: "continue" }))
      s = go(
        s,
        w1,
        "2025-02-03T01:00:00Z",
        c("StartReintegration", {
          reintegration: {
            receiver: "family",
            receiverAssessedOn: "2025-01-30",
            receiverSuitable: true,
            childViewRecordedOn: "2025-01-31",
            childAgrees: true
          }
        })
      )
      s = go(
        s,
        staff.bppTeacher,
        "2025-03-01T01:00:00Z",
        c("UpdateReferral", { referral: "rujukan-sekolah", status: "completed" })
      )
      s = go(
        s,
        w1,
        "2025-03-03T01:00:00Z",
        c("RequestTermination", {
          reason: "goals-met",
          note: "Safe at home, attending school",
          approval: "terminasi-002"
        })
      )
      s = approveAs(c, "terminasi-002", "2025-03-04T01:00:00Z")(s)
      s = go(s, w2, "2025-05-05T01:00:00Z", c("RecordFollowUp", { visitedOn: "2025-05-05", outcome: "stable" }))
      return go(s, w1, "2025-06-02T01:00:00Z", c("CloseCase", { reason: "Stable after reintegration" }))
    }

    it("the teacher reports through the dinas: a partner cannot register a report", () => {
      refuse(
        emptyStory,
        staff.bppTeacher,
        "2024-11-04T01:00:00Z",
        c("RegisterReport", {
          subject: "subject-002-a",
          sex: "female",
          region: "64.71",
          owner: "dinsos-64.71",
          source: "school",
          concerns: []
        }),
        { _tag: "Forbidden", rule: "SOP-07", says: /a partner cannot register a report/ }
      )
    })

    it("a team of three companions works the case; a released companion no longer may", () => {
      const s = assessed()
      expect(caseOf(s).assigned).toEqual(["peksos-bpp", "peksos-bpp-2", "peksos-bpp-3"])
      expect(new Set(s.events.slice(4).map((e) => e.actor.id))).toEqual(new Set(team.map((w) => w.id)))
      expect(caseOf(s).risk?.effective).toBe("sedang")
      const released = go(
        s,
        kabidRehsos,
        "2024-11-09T01:00:00Z",
        c("UnassignCaseworker", { caseworker: "peksos-bpp-3" })
      )
      refuse(
        released,
        staff.bppWorker3,
        "2024-11-09T02:00:00Z",
        c("RecordConsent", { consent: "k", givenBy: "mother", scope: ["summary"] }),
        { _tag: "Forbidden", rule: "SOP-07", says: /the caseworker is not assigned to the case/ }
      )
    })

    it("in a type B dinas the Kabid Rehsos approves the plan; a Kabid of another bidang may not", () => {
      const s = planned()
      expect(approvingPositions(agencies.dinsosBalikpapan)).toEqual(["kabid-rehsos", "kadis"])
      refuse(
        s,
        people.balikpapanKabid,
        "2024-11-12T06:00:00Z",
        c("DecideApproval", { approval: "plan-002", decision: "approved", reason: "ok" }),
        { _tag: "SopViolation", rule: "SOP-03", says: /\(kabid-rehsos or kadis\), not kabid/ }
      )
      const approved = approveAs(c, "plan-002", "2024-11-12T06:00:00Z")(s)
      expect(caseOf(approved).plans["plan-002"]).toMatchObject({ status: "approved", adoption: "approval" })
      expect(lastOf(approved, "ApprovalDecided")?.actor).toMatchObject({
        position: "kabid-rehsos",
        agency: "dinsos-64.71"
      })
    })

    it("the school sees the plan and services it was referred, and records the support it gives", () => {
      const s = closed()
      const school = Object.values(caseOf(s).services).filter((x) => x.provider === "sekolah-64.71")
      expect(school).toEqual([
        { component: "accessibility-support", provider: "sekolah-64.71", deliveredOn: "2024-11-25" }
      ])
      const upTo = s.events.findIndex((e) => e.type === "ServiceDelivered" && e.actor.id === "guru-bpp") + 1
      const partway = { state: Case.fold(s.events.slice(0, upTo)), events: s.events.slice(0, upTo) }
      const view = Access.view(staff.bppTeacher, partway.state, { today: day("2024-11-25") })
      expect(view).toMatchObject({ _tag: "Success", success: { identity: "hidden", history: false } })
      if (Result.isSuccess(view)) {
        expect(view.success.plan?.plan.id).toBe("plan-002")
        expect(view.success.risk).toBeUndefined()
        expect(view.success.work).toBeUndefined()
      }
      expect(Access.can(staff.bppTeacher, "read", s.state)).toBe(false)
    })

    it("runs prevention to reintegration and closes", () => {
      const s = closed()
      expect(caseOf(s)).toMatchObject({ stage: "closed", termination: { reason: "goals-met" }, source: "school" })
      expect(transitionsOf(s)).toEqual([
        "start-outreach",
        "reach-child",
        "complete-assessment",
        "start-intervention",
        "start-reintegration",
        "terminate",
        "close"
      ])
      expectSound(s)
    })
  })

  describe("a rendah case: prevention with a family-support plan adopted without approval", () => {
    const c = commandsFor("case-002-rendah")
    const w = staff.bppWorker2

    const prevention = (): Story => {
      let s = go(
        emptyStory,
        staff.bppIntake,
        "2024-11-06T01:00:00Z",
        c("RegisterReport", {
          subject: "subject-002-b",
          sex: "male",
          birthDate: "2012-07-01",
          region: "64.71",
          owner: "dinsos-64.71",
          source: "family",
          concerns: ["out-of-school"]
        })
      )
      s = go(s, kabidRehsos, "2024-11-06T02:00:00Z", c("AssignCaseworker", { caseworker: w.id }))
      s = go(s, w, "2024-11-07T01:00:00Z", c("StartOutreach"))
      s = go(s, w, "2024-11-08T01:00:00Z", c("RecordFirstContact"))
      s = go(
        s,
        w,
        "2024-11-11T01:00:00Z",
        c("RecordAssessment", {
          classification: { ampk: [], ppks: [2], cluster: "children", allegedPerpetrators: [] },
          factors: ["out-of-school"]
        })
      )
      s = go(s, w, "2024-11-12T01:00:00Z", c("CompleteAssessment"))
      s = go(
        s,
        w,
        "2024-11-15T01:00:00Z",
        c("ProposePlan", {
          approval: "plan-002-b",
          plan: {
            id: "plan-002-b",
            firstReviewOn: "2025-02-15",
            items: [
              {
                component: "family-support",
                goal: "Parents back the return to school",
                responsible: "dinsos-64.71",
                setting: "family-based"
              }
            ]
          }
        })
      )
      return go(s, w, "2024-11-18T01:00:00Z", c("StartIntervention"))
    }

    it("adopts the rendah plan at once and reviews it less often than a sedang case", () => {
      const s = prevention()
      const state = caseOf(s)
      expect(state.plans["plan-002-b"]).toMatchObject({ status: "approved", adoption: "rendah" })
      expect(state.approvals).toEqual({})
      expect(state.risk?.effective).toBe("rendah")
      const [review] = CaseDeadlines.items(state, at("2024-11-18T01:00:00Z"))
      expect(review).toMatchObject({ kind: "review", level: "rendah" })
      expect(review && DateTime.formatIso(review.dueAt)).toBe("2025-02-16T01:00:00.000Z") // 90 days
    })

    it("ends as goals met with the Kabid Rehsos' approval", () => {
      let s = go(
        prevention(),
        w,
        "2024-12-02T01:00:00Z",
        c("RecordService", { component: "family-support", provider: "dinsos-64.71", deliveredOn: "2024-12-02" })
      )
      s = go(
        s,
        w,
        "2025-01-06T01:00:00Z",
        c("RequestTermination", { reason: "goals-met", note: "Back in school", approval: "t" })
      )
      s = approveAs(c, "t", "2025-01-07T01:00:00Z")(s)
      expect(caseOf(s)).toMatchObject({ stage: "aftercare", termination: { reason: "goals-met" } })
      expectSound(s)
    })
  })
})

// ---------------------------------------------------------------------------------------------------------------
// Seed 003
// ---------------------------------------------------------------------------------------------------------------

describe("seed 003: Dinsos Provinsi NTB — adult PPKS and ABH child cases", () => {
  const kabid = staff.ntbKabidRehsos
  const w = staff.ntbWorker
  const approveAs = (c: ReturnType<typeof commandsFor>, approval: string, now: string) => (s: Story) =>
    go(s, kabid, now, c("DecideApproval", { approval, decision: "approved", reason: "Sesuai SOP" }))

  describe("an adult troubled migrant worker (pekerja migran bermasalah sosial) at the RPTC", () => {
    const c = commandsFor("case-003-pmi")
    const ppks = Ppks.mapGroup("pekerja-migran-bermasalah").ppks

    const story = (): Story => {
      let s = go(
        emptyStory,
        staff.ntbIntake,
        "2024-03-04T01:00:00Z",
        c("RegisterReport", {
          subject: "subject-003-pmi",
          sex: "female",
          ageAtReport: 34,
          region: "52.71",
          owner: "dinsos-52",
          source: "agency",
          concerns: []
        })
      )
      s = go(s, kabid, "2024-03-04T01:30:00Z", c("AssignCaseworker", { caseworker: w.id }))
      s = go(s, w, "2024-03-04T02:00:00Z", c("StartOutreach"))
      s = go(s, w, "2024-03-04T04:00:00Z", c("RecordFirstContact"))
      s = go(
        s,
        w,
        "2024-03-05T01:00:00Z",
        c("RecordAssessment", {
          classification: { ampk: [], ppks, cluster: "tuna-sosial-trafficking", allegedPerpetrators: [] },
          factors: ["out-of-home"]
        })
      )
      return go(s, w, "2024-03-06T01:00:00Z", c("CompleteAssessment"))
    }

    it("is an adult PPKS case: PPKS categories only, never AMPK", () => {
      const s = story()
      expect(ppks).toContain(20)
      expect(caseOf(s).subject).toMatchObject({ kind: "adult", ageAtReport: 34 })
      expect(caseOf(s).classification?.ppks).toEqual(ppks)
      refuse(
        s,
        w,
        "2024-03-06T02:00:00Z",
        c("RecordAssessment", {
          classification: { ampk: ["h"], ppks, allegedPerpetrators: [] },
          factors: ["trafficking"]
        }),
        { _tag: "SopViolation", rule: "SOP-ADULT-NO-AMPK", says: /an adult PPKS case cannot carry AMPK categories/ }
      )
    })

    it("goes through the same lifecycle: RPTC, return to the family, termination, closure", () => {
      let s = go(
        story(),
        w,
        "2024-03-06T02:00:00Z",
        c("ProposePlan", {
          approval: "plan-pmi",
          plan: {
            id: "plan-pmi",
            firstReviewOn: "2024-04-06",
            items: [
              {
                component: "decent-living-support",
                goal: "Shelter and health recovery",
                responsible: "uptd-rptc-52",
                setting: "residence-based"
              },
              {
                component: "social-assistance",
                goal: "Return to the home village",
                responsible: "dinsos-52",
                setting: "family-based"
              }
            ]
          }
        })
      )
      s = approveAs(c, "plan-pmi", "2024-03-06T05:00:00Z")(s)
      s = go(
        s,
        w,
        "2024-03-06T06:00:00Z",
        c("RequestPlacement", {
          placement: "rptc-1",
          setting: "rptc",
          facility: "uptd-rptc-52",
          emergency: false,
          approval: "placement-pmi",
          reason: "Recovery at the RPTC before the return"
        })
      )
      s = approveAs(c, "placement-pmi", "2024-03-06T07:00:00Z")(s)
      s = go(s, w, "2024-03-07T01:00:00Z", c("StartIntervention"))
      s = go(
        s,
        w,
        "2024-03-08T01:00:00Z",
        c("RecordService", { component: "decent-living-support", provider: "uptd-rptc-52", deliveredOn: "2024-03-08" })
      )
      s = go(s, w, "2024-03-20T01:00:00Z", c("EndPlacement", { placement: "rptc-1", reason: "Recovered" }))
      s = go(
        s,
        w,
        "2024-03-21T01:00:00Z",
        c("StartReintegration", {
          reintegration: {
            receiver: "family",
            receiverAssessedOn: "2024-03-18",
            receiverSuitable: true,
            childViewRecordedOn: "2024-03-19",
            childAgrees: true
          }
        })
      )
      // An adult case never reaches "adulthood" (SOP-09 is for child cases).
      const ticked = go(s, people.scheduler, "2024-03-21T02:00:00Z", c("Tick"))
      expect(ticked.events.filter((e) => e.type === "AdulthoodReached")).toEqual([])
      s = go(
        s,
        w,
        "2024-04-01T01:00:00Z",
        c("RequestTermination", { reason: "goals-met", note: "Home with family", approval: "t" })
      )
      s = approveAs(c, "t", "2024-04-02T01:00:00Z")(s)
      s = go(s, w, "2024-05-02T01:00:00Z", c("RecordFollowUp", { visitedOn: "2024-05-02", outcome: "stable" }))
      s = go(s, w, "2024-06-03T01:00:00Z", c("CloseCase", { reason: "Settled in the home village" }))
      expect(caseOf(s)).toMatchObject({ stage: "closed", subject: { kind: "adult" } })
      expectSound(s)
    })
  })

  describe("an anak korban: accompaniment at the UPPA and in court, Puslansos or Sentra Paramitha, back to the family", () => {
    const c = commandsFor("case-003-korban")
    const consent = ["summary", "classification", "risk", "plan", "services", "identity"] as const

    const assessed = (): Story => {
      let s = go(
        emptyStory,
        staff.ntbIntake,
        "2024-02-05T01:00:00Z",
        c("RegisterReport", {
          subject: "subject-003-korban",
          sex: "female",
          birthDate: "2010-04-02",
          region: "52.71",
          owner: "dinsos-52",
          source: "police",
          concerns: ["sexual-violence"]
        })
      )
      s = go(s, kabid, "2024-02-05T01:20:00Z", c("AssignCaseworker", { caseworker: w.id }))
      s = go(s, w, "2024-02-05T01:40:00Z", c("StartOutreach"))
      s = go(s, w, "2024-02-05T05:00:00Z", c("RecordFirstContact"))
      // Emergency protection at the RPTC the same day, approved within 24 hours.
      s = go(
        s,
        w,
        "2024-02-05T06:00:00Z",
        c("RequestPlacement", {
          placement: "rptc-darurat",
          setting: "rptc",
          facility: "uptd-rptc-52",
          emergency: true,
          approval: "placement-darurat",
          reason: "Not safe at home tonight"
        })
      )
      s = approveAs(c, "placement-darurat", "2024-02-05T09:00:00Z")(s)
      s = go(
        s,
        w,
        "2024-02-06T01:00:00Z",
        c("RecordAssessment", {
          classification: {
            ampk: ["j"],
            ppks: [6, 7],
            cluster: "children",
            sppaRole: "anak-korban",
            allegedPerpetrators: ["stranger"]
          },
          factors: ["sexual-violence"]
        })
      )
      s = go(
        s,
        w,
        "2024-02-06T02:00:00Z",
        c("RecordSafetyPlan", {
          measures: ["police-report", "medical-care", "psychological-first-aid", "emergency-placement"]
        })
      )
      return go(
        s,
        w,
        "2024-02-06T03:00:00Z",
        c("RecordConsent", { consent: "consent-ayah", givenBy: "father", scope: consent })
      )
    }

    const refer = (referral: string, to: string, purpose: string, shares: ReadonlyArray<string>, legalBasis: unknown) =>
      c("RequestReferral", { referral, to, purpose, shares, legalBasis })
    const update = (referral: string, status: string, reason?: string) =>
      c("UpdateReferral", { referral, status, ...(reason === undefined ? {} : { reason }) })

    const accompanied = (): Story => {
      let s = assessed()
      // Accompaniment at the police UPPA (BAP), on the father's consent.
      s = go(
        s,
        w,
        "2024-02-07T01:00:00Z",
        refer("rujukan-uppa", "uppa-52", "police", ["summary", "classification", "identity"], {
          _tag: "consent",
          consent: "consent-ayah"
        })
      )
      s = go(s, staff.uppaLiaison, "2024-02-07T02:00:00Z", update("rujukan-uppa", "accepted"))
      s = go(
        s,
        staff.uppaLiaison,
        "2024-02-09T02:00:00Z",
        update("rujukan-uppa", "completed", "Statement taken with the peksos present")
      )
      // Accompaniment in the children's court, on the court's order for a social report.
      s = go(
        s,
        w,
        "2024-03-01T01:00:00Z",
        refer("rujukan-pn", "pn-52.71", "legal-aid", ["summary", "identity"], {
          _tag: "court-order",
          reference: "Court order for a social report (example)"
        })
      )
      s = go(s, staff.courtLiaison, "2024-03-04T01:00:00Z", update("rujukan-pn", "accepted"))
      return go(s, staff.courtLiaison, "2024-03-20T01:00:00Z", update("rujukan-pn", "completed", "Hearing over"))
    }

    const rehabilitated = (): Story => {
      let s = go(accompanied(), w, "2024-02-08T01:00:00Z", c("CompleteAssessment"))
      s = go(
        s,
        w,
        "2024-02-09T01:00:00Z",
        c("ProposePlan", {
          approval: "plan-korban",
          plan: {
            id: "plan-korban",
            firstReviewOn: "2024-03-10",
            items: [
              {
                component: "therapy",
                goal: "Trauma recovery",
                responsible: "sentra-paramitha",
                setting: "residence-based"
              },
              {
                component: "family-support",
                goal: "Prepare the family",
                responsible: "dinsos-52",
                setting: "family-based"
              }
            ]
          }
        })
      )
      s = approveAs(c, "plan-korban", "2024-02-09T03:00:00Z")(s)
      // Puslansos has no place; Sentra Paramitha (Kemensos) takes the further rehabilitation.
      s = go(
        s,
        w,
        "2024-02-09T04:00:00Z",
        refer(
          "rujukan-puslansos",
          "uptd-puslansos-52",
          "rehabilitation",
          ["summary", "classification", "risk", "plan"],
          {
            _tag: "consent",
            consent: "consent-ayah"
          }
        )
      )
      s = go(
        s,
        staff.puslansosHead,
        "2024-02-09T06:00:00Z",
        update("rujukan-puslansos", "declined", "No place for girls this month")
      )
      s = go(
        s,
        w,
        "2024-02-09T07:00:00Z",
        refer(
          "rujukan-paramitha",
          "sentra-paramitha",
          "rehabilitation",
          ["summary", "classification", "risk", "plan", "services"],
          {
            _tag: "consent",
            consent: "consent-ayah"
          }
        )
      )
      s = go(s, staff.paramithaWorker, "2024-02-10T01:00:00Z", update("rujukan-paramitha", "accepted"))
      s = go(
        s,
        w,
        "2024-02-10T02:00:00Z",
        c("RequestPlacement", {
          placement: "sentra-paramitha-1",
          setting: "sentra",
          facility: "sentra-paramitha",
          emergency: false,
          approval: "placement-paramitha",
          reason: "Residential rehabilitation at Sentra Paramitha"
        })
      )
      s = approveAs(c, "placement-paramitha", "2024-02-10T03:00:00Z")(s)
      s = go(
        s,
        w,
        "2024-02-10T04:00:00Z",
        c("EndPlacement", { placement: "rptc-darurat", reason: "Moved to Sentra Paramitha" })
      )
      s = go(s, w, "2024-02-12T01:00:00Z", c("StartIntervention"))
      return go(
        s,
        staff.paramithaWorker,
        "2024-02-15T01:00:00Z",
        c("RecordService", { component: "therapy", provider: "sentra-paramitha", deliveredOn: "2024-02-15" })
      )
    }

    const reintegrated = (): Story => {
      let s = go(
        rehabilitated(),
        w,
        "2024-04-20T01:00:00Z",
        c("EndPlacement", { placement: "sentra-paramitha-1", reason: "Ready to go home" })
      )
      s = go(s, staff.paramithaWorker, "2024-04-20T02:00:00Z", update("rujukan-paramitha", "completed"))
      s = go(
        s,
        w,
        "2024-04-22T01:00:00Z",
        c("StartReintegration", {
          reintegration: {
            receiver: "family",
            receiverAssessedOn: "2024-04-15",
            receiverSuitable: true,
            childViewRecordedOn: "2024-04-16",
            childAgrees: true
          }
        })
      )
      s = go(
        s,
        w,
        "2024-05-20T01:00:00Z",
        c("RecordAssessment", {
          classification: {
            ampk: ["j"],
            ppks: [6],
            cluster: "children",
            sppaRole: "anak-korban",
            allegedPerpetrators: ["stranger"]
          },
          factors: []
        })
      )
      s = go(
        s,
        w,
        "2024-05-21T01:00:00Z",
        c("RequestTermination", { reason: "goals-met", note: "Safe at home", approval: "t" })
      )
      return approveAs(c, "t", "2024-05-22T01:00:00Z")(s)
    }

    it("protects the child at once: tinggi risk, safety plan, emergency placement at the RPTC approved in time", () => {
      const s = caseOf(assessed())
      expect(s.risk?.effective).toBe("tinggi")
      expect(s.safetyPlan?.measures).toContain("police-report")
      expect(s.placements["rptc-darurat"]).toMatchObject({ emergency: true, status: "active", setting: "rptc" })
      expect(CaseDeadlines.items(s, at("2024-02-06T03:00:00Z")).map((i) => i.kind)).not.toContain(
        "emergency-placement-approval"
      )
    })

    it("accompanies the child at the UPPA and in court; a victim has no SPPA proceedings of her own", () => {
      const s = accompanied()
      expect(Object.values(caseOf(s).referrals).map((r) => [r.to, r.legalBasis._tag, r.status])).toEqual([
        ["uppa-52", "consent", "completed"],
        ["pn-52.71", "court-order", "completed"]
      ])
      refuse(
        s,
        w,
        "2024-03-20T02:00:00Z",
        c("RecordSppaProceeding", {
          actDate: "2024-02-01",
          proceeding: {
            stage: "trial",
            threatenedPenaltyYears: 15,
            repeatOffence: false,
            diversionAttempted: false,
            outcome: "not-attempted",
            on: "2024-03-18"
          }
        }),
        { _tag: "SopViolation", rule: "SOP-08", says: /apply to an anak berkonflik dengan hukum/ }
      )
      // The police liaison saw the case only while its referral was live.
      expect(Access.can(staff.uppaLiaison, "read", s.state)).toBe(false)
    })

    it("refers to Puslansos (declined) and Sentra Paramitha (accepted), which records the therapy it delivers", () => {
      const s = caseOf(rehabilitated())
      expect(s.referrals["rujukan-puslansos"]?.status).toBe("declined")
      expect(s.referrals["rujukan-paramitha"]?.status).toBe("accepted")
      expect(s.services).toEqual([{ component: "therapy", provider: "sentra-paramitha", deliveredOn: "2024-02-15" }])
      expect(Object.values(s.placements).map((p) => [p.id, p.status])).toEqual([
        ["rptc-darurat", "ended"],
        ["sentra-paramitha-1", "active"]
      ])
    })

    it("returns the child to her family and terminates after a rendah reassessment", () => {
      const s = reintegrated()
      expect(caseOf(s)).toMatchObject({
        stage: "aftercare",
        termination: { reason: "goals-met" },
        risk: { effective: "rendah", peak: "tinggi" }
      })
      expect(transitionsOf(s)).toEqual([
        "start-outreach",
        "reach-child",
        "complete-assessment",
        "start-intervention",
        "start-reintegration",
        "terminate"
      ])
      expectSound(s)
    })
  })

  describe("an anak saksi: accompaniment at the UPPA, a rendah case", () => {
    const c = commandsFor("case-003-saksi")

    it("is accompanied on the mother's consent and ends as goals met", () => {
      let s = go(
        emptyStory,
        staff.ntbIntake,
        "2024-01-15T01:00:00Z",
        c("RegisterReport", {
          subject: "subject-003-saksi",
          sex: "male",
          birthDate: "2013-09-30",
          region: "52.71",
          owner: "dinsos-52",
          source: "police",
          concerns: []
        })
      )
      const w2 = staff.ntbWorker2
      s = go(s, kabid, "2024-01-15T01:10:00Z", c("AssignCaseworker", { caseworker: w2.id }))
      s = go(s, w2, "2024-01-15T02:00:00Z", c("StartOutreach"))
      s = go(s, w2, "2024-01-15T04:00:00Z", c("RecordFirstContact"))
      s = go(
        s,
        w2,
        "2024-01-16T01:00:00Z",
        c("RecordAssessment", {
          classification: {
            ampk: ["b"],
            ppks: [3],
            cluster: "children",
            sppaRole: "anak-saksi",
            allegedPerpetrators: []
          },
          factors: []
        })
      )
      s = go(
        s,
        w2,
        "2024-01-16T02:00:00Z",
        c("RecordConsent", { consent: "consent-ibu", givenBy: "mother", scope: ["summary", "identity"] })
      )
      s = go(
        s,
        w2,
        "2024-01-16T03:00:00Z",
        c("RequestReferral", {
          referral: "rujukan-uppa",
          to: "uppa-52",
          purpose: "police",
          shares: ["summary", "identity"],
          legalBasis: { _tag: "consent", consent: "consent-ibu" }
        })
      )
      s = go(
        s,
        staff.uppaLiaison,
        "2024-01-17T01:00:00Z",
        c("UpdateReferral", { referral: "rujukan-uppa", status: "accepted" })
      )
      s = go(s, w2, "2024-01-17T02:00:00Z", c("CompleteAssessment"))
      s = go(
        s,
        w2,
        "2024-01-18T01:00:00Z",
        c("ProposePlan", {
          approval: "p",
          plan: {
            id: "plan-saksi",
            firstReviewOn: "2024-04-18",
            items: [
              {
                component: "therapy",
                goal: "Accompaniment as a witness",
                responsible: "dinsos-52",
                setting: "family-based"
              }
            ]
          }
        })
      )
      s = go(s, w2, "2024-01-19T01:00:00Z", c("StartIntervention"))
      s = go(
        s,
        staff.uppaLiaison,
        "2024-01-24T01:00:00Z",
        c("UpdateReferral", { referral: "rujukan-uppa", status: "completed" })
      )
      s = go(
        s,
        w2,
        "2024-01-25T01:00:00Z",
        c("RequestTermination", { reason: "goals-met", note: "Testimony given", approval: "t" })
      )
      s = approveAs(c, "t", "2024-01-26T01:00:00Z")(s)
      expect(caseOf(s)).toMatchObject({
        stage: "aftercare",
        classification: { sppaRole: "anak-saksi" },
        plans: { "plan-saksi": { adoption: "rendah" } }
      })
      expectSound(s)
    })
  })
})

// ---------------------------------------------------------------------------------------------------------------
// Seed 004
// ---------------------------------------------------------------------------------------------------------------

describe("seed 004: Kemensos and LPAI — dinas types A, B, C and merged; risk-based protection; LPA as partner", () => {
  interface Dinas {
    readonly label: string
    readonly agency: Agency.Agency
    readonly worker: Actor.Actor
    readonly lead: Actor.Actor
    readonly approvers: ReadonlyArray<Actor.Actor>
    readonly wrong: ReadonlyArray<Actor.Actor>
    readonly offices: ReadonlyArray<Actor.Position>
  }
  const dinas: ReadonlyArray<Dinas> = [
    {
      label: "type A (Kota Padang): Kabid Rehsos",
      agency: agencies.dinsosPadang,
      worker: people.padangWorker,
      lead: people.padangKabid,
      approvers: [people.padangKabid, people.padangKadis],
      wrong: [people.padangKasi],
      offices: ["kabid-rehsos", "kadis"]
    },
    {
      label: "type B (Kota Balikpapan): Kabid Rehsos",
      agency: agencies.dinsosBalikpapan,
      worker: people.balikpapanWorker,
      lead: staff.bppKabidRehsos,
      approvers: [staff.bppKabidRehsos],
      wrong: [people.balikpapanKabid],
      offices: ["kabid-rehsos", "kadis"]
    },
    {
      label: "type C (Kabupaten Tanah Datar): the Kabid whose bidang holds rehabilitation",
      agency: local.dinsosTanahDatar,
      worker: staff.tanahDatarWorker,
      lead: staff.tanahDatarKabid,
      approvers: [staff.tanahDatarKabid],
      wrong: [staff.tanahDatarKasi],
      offices: ["kabid", "kadis"]
    },
    {
      label: "merged dinas: the Kabid of the social bidang, or the Kadis",
      agency: agencies.dinsosMerged,
      worker: staff.mergedWorker,
      lead: staff.mergedKabid,
      approvers: [staff.mergedKabid, staff.mergedKadis],
      wrong: [staff.mergedKasi],
      offices: ["kabid", "kadis"]
    }
  ]

  const pendingPlan = (d: Dinas, level: "sedang" | "tinggi"): Story => {
    const c = commandsFor(`case-004-${d.agency.id}`)
    const region = d.agency.region as string
    let s = go(
      emptyStory,
      d.worker,
      "2025-08-04T01:00:00Z",
      c("RegisterReport", {
        subject: `subject-004-${d.agency.id}`,
        sex: "female",
        birthDate: "2016-01-01",
        region,
        owner: d.agency.id,
        source: "lpa",
        concerns: level === "tinggi" ? ["confinement"] : ["repeated-neglect"]
      })
    )
    s = go(s, d.lead, "2025-08-04T01:10:00Z", c("AssignCaseworker", { caseworker: d.worker.id }))
    s = go(s, d.worker, "2025-08-04T02:00:00Z", c("StartOutreach"))
    s = go(s, d.worker, "2025-08-04T05:00:00Z", c("RecordFirstContact"))
    s = go(
      s,
      d.worker,
      "2025-08-05T01:00:00Z",
      c("RecordAssessment", {
        classification: { ampk: ["m"], ppks: [2], cluster: "children", allegedPerpetrators: [] },
        factors: level === "tinggi" ? ["confinement"] : ["repeated-neglect"]
      })
    )
    if (level === "tinggi")
      s = go(s, d.worker, "2025-08-05T02:00:00Z", c("RecordSafetyPlan", { measures: ["daily-contact"] }))
    s = go(s, d.worker, "2025-08-06T01:00:00Z", c("CompleteAssessment"))
    return go(
      s,
      d.worker,
      "2025-08-07T01:00:00Z",
      c("ProposePlan", {
        approval: "plan",
        plan: {
          id: "plan-004",
          firstReviewOn: "2025-09-07",
          items: [
            { component: "family-support", goal: "Care at home", responsible: d.agency.id, setting: "family-based" }
          ]
        }
      })
    )
  }

  for (const d of dinas) {
    it(`the approving office differs with the dinas type — ${d.label}`, () => {
      const c = commandsFor(`case-004-${d.agency.id}`)
      const decision = c("DecideApproval", { approval: "plan", decision: "approved", reason: "Sesuai SOP" })
      expect(approvingPositions(d.agency)).toEqual(d.offices)
      const s = pendingPlan(d, "sedang")
      for (const wrong of d.wrong) {
        refuse(s, wrong, "2025-08-07T03:00:00Z", decision, {
          _tag: "SopViolation",
          rule: "SOP-03",
          says: new RegExp(
            `\\(${d.offices.map((o) => (o === "kabid" ? `kabid of ${approvingBidang(d.agency)}` : o)).join(" or ")}\\), not ${wrong.position}`
          )
        })
      }
      for (const approver of d.approvers) {
        const approved = go(s, approver, "2025-08-07T03:00:00Z", decision)
        expect(lastOf(approved, "ApprovalDecided")?.actor).toMatchObject({
          agency: d.agency.id,
          position: approver.position
        })
        const started = go(approved, d.worker, "2025-08-08T01:00:00Z", c("StartIntervention"))
        expect(caseOf(started).stage).toBe("intervention")
        expectSound(started)
      }
    })
  }

  it("risk-based protection: a tinggi case gets earlier deadlines than a sedang one in the same dinas", () => {
    const padang = dinas[0]
    if (padang === undefined) throw new Error("no dinas")
    const tinggi = caseOf(pendingPlan(padang, "tinggi"))
    const sedang = caseOf(pendingPlan(padang, "sedang"))
    const due = (state: Case.Case) => CaseDeadlines.items(state, at("2025-08-07T01:00:00Z"))[0]
    expect(due(tinggi)).toMatchObject({ kind: "case-plan", level: "tinggi" })
    expect(due(sedang)).toMatchObject({ kind: "case-plan", level: "sedang" })
    const [t, s] = [due(tinggi), due(sedang)]
    expect(t && s && DateTime.isLessThan(t.dueAt, s.dueAt)).toBe(true)
  })

  describe("an LPA partner and community leaders in case management (PKSAI)", () => {
    const c = commandsFor("case-004-lpa")
    const w = people.padangWorker

    const referred = (): Story => {
      let s = go(
        emptyStory,
        people.padangIntake,
        "2025-08-04T01:00:00Z",
        c("RegisterReport", {
          subject: "subject-004-lpa",
          sex: "male",
          birthDate: "2011-11-11",
          region: "13.71.01",
          owner: "dinsos-13.71",
          source: "lpa",
          concerns: ["repeated-neglect", "out-of-home"]
        })
      )
      s = go(s, people.padangKabid, "2025-08-04T01:10:00Z", c("AssignCaseworker", { caseworker: w.id }))
      s = go(s, w, "2025-08-04T02:00:00Z", c("StartOutreach"))
      s = go(s, w, "2025-08-04T05:00:00Z", c("RecordFirstContact"))
      s = go(
        s,
        w,
        "2025-08-05T01:00:00Z",
        c("RecordAssessment", {
          classification: { ampk: ["m"], ppks: [4], cluster: "children", allegedPerpetrators: [] },
          factors: ["repeated-neglect", "out-of-home"]
        })
      )
      s = go(
        s,
        w,
        "2025-08-05T02:00:00Z",
        c("RecordConsent", {
          consent: "consent-nenek",
          // The grandmother consents as his appointed wali (UU 27/2022 Pasal 25).
          givenBy: "legal-guardian",
          scope: ["summary", "plan", "services"]
        })
      )
      s = go(s, w, "2025-08-06T01:00:00Z", c("CompleteAssessment"))
      s = go(
        s,
        w,
        "2025-08-07T01:00:00Z",
        c("ProposePlan", {
          approval: "plan",
          plan: {
            id: "plan-lpa",
            firstReviewOn: "2025-09-07",
            items: [
              {
                component: "family-support",
                goal: "Care with the grandmother",
                responsible: "dinsos-13.71",
                setting: "family-based"
              },
              {
                component: "therapy",
                goal: "Mentoring by the LPA",
                responsible: "lpa-13.71",
                setting: "community-based"
              }
            ]
          }
        })
      )
      s = go(
        s,
        people.padangKabid,
        "2025-08-07T03:00:00Z",
        c("DecideApproval", { approval: "plan", decision: "approved", reason: "ok" })
      )
      s = go(s, w, "2025-08-08T01:00:00Z", c("StartIntervention"))
      for (const [referral, to, purpose] of [
        ["rujukan-lpa", "lpa-13.71", "other"],
        ["rujukan-tokoh", "tokoh-agama-13.71", "religious-guidance"]
      ] as const) {
        s = go(
          s,
          w,
          "2025-08-08T02:00:00Z",
          c("RequestReferral", {
            referral,
            to,
            purpose,
            shares: ["summary", "plan", "services"],
            legalBasis: { _tag: "consent", consent: "consent-nenek" }
          })
        )
      }
      return s
    }

    it("the LPA sees no case before a referral", () => {
      const s = referred()
      const before = { state: Case.fold(s.events.slice(0, -2)), events: s.events.slice(0, -2) }
      expect(Access.view(people.lpaPartner, before.state, { today: day("2025-08-08") })).toMatchObject({
        _tag: "Failure",
        failure: { _tag: "Forbidden", rule: "SOP-07" }
      })
    })

    it("the LPA's view is limited to the sections the referral shares: summary, plan and services", () => {
      const s = go(
        referred(),
        people.lpaPartner,
        "2025-08-09T01:00:00Z",
        c("UpdateReferral", { referral: "rujukan-lpa", status: "accepted" })
      )
      const view = Access.view(people.lpaPartner, s.state, { today: day("2025-08-09") })
      expect(Result.isSuccess(view)).toBe(true)
      if (Result.isSuccess(view)) {
        expect(Object.keys(view.success).sort()).toEqual([
          "caseId",
          "history",
          "identity",
          "plan",
          "services",
          "summary"
        ])
        expect(view.success).toMatchObject({
          summary: {
            stage: "intervention",
            region: "13.71.01",
            owner: "dinsos-13.71",
            subjectKind: "child",
            ageBand: "12-13"
          },
          plan: { plan: { id: "plan-lpa" } },
          identity: "hidden",
          history: false
        })
      }
      expect(Access.can(people.lpaPartner, "read-identity", s.state)).toBe(false)
      expect(Access.can(people.lpaPartner, "read-history", s.state)).toBe(false)
      // The LPA records the mentoring it gives; it cannot act on the case otherwise.
      const served = go(
        s,
        people.lpaPartner,
        "2025-08-20T01:00:00Z",
        c("RecordService", { component: "therapy", provider: "lpa-13.71", deliveredOn: "2025-08-20" })
      )
      expect(caseOf(served).services).toEqual([
        { component: "therapy", provider: "lpa-13.71", deliveredOn: "2025-08-20" }
      ])
      refuse(s, people.lpaPartner, "2025-08-20T01:00:00Z", c("ReviewPlan", { outcome: "continue" }), {
        _tag: "Forbidden",
        rule: "SOP-07",
        says: /only the owning agency works on the case/
      })
    })

    it("the community leaders decline or complete their referral; once it ends they see nothing", () => {
      let s = go(
        referred(),
        staff.tokoh,
        "2025-08-09T01:00:00Z",
        c("UpdateReferral", { referral: "rujukan-tokoh", status: "accepted" })
      )
      expect(Access.can(staff.tokoh, "read", s.state)).toBe(true)
      s = go(
        s,
        staff.tokoh,
        "2025-09-09T01:00:00Z",
        c("UpdateReferral", { referral: "rujukan-tokoh", status: "completed" })
      )
      expect(Access.can(staff.tokoh, "read", s.state)).toBe(false)
      s = go(s, w, "2025-09-10T01:00:00Z", c("UpdateReferral", { referral: "rujukan-lpa", status: "withdrawn" }))
      expect(Access.can(people.lpaPartner, "read", s.state)).toBe(false)
      expectSound(s)
    })
  })
})
