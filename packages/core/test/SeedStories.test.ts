/**
 * The seed stories of docs/domain.md §8, end to end through the decider, in the vocabulary of the field.
 */
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import * as Case from "../src/Case.js"
import * as Sop from "../src/Sop.js"
import { caseOf, cmd, emptyStory, people, rejected, type Story, step } from "./fixtures.js"

describe("seed 000: Padang siblings, from Sentra Handayani back to Dinsos Kota Padang", () => {
  const caseId = "case-000-older"
  const c = (tag: string, fields: Record<string, unknown> = {}) => cmd({ _tag: tag, caseId, ...fields })

  const story = (): Story => {
    let s = emptyStory
    // 2022: the national Sentra takes the case of the 12-year-old, sexual violence by a family member.
    s = step(
      s,
      people.sentraWorker,
      "2022-02-01T02:00:00Z",
      c("RegisterReport", {
        subject: "subject-000-b",
        sex: "female",
        birthDate: "2012-05-10",
        region: "13.71",
        owner: "sentra-handayani",
        source: "agency",
        concerns: ["sexual-violence", "perpetrator-has-access"]
      })
    )
    s = step(s, people.sentraHead, "2022-02-01T02:30:00Z", c("AssignCaseworker", { caseworker: "peksos-sentra-1" }))
    s = step(s, people.sentraWorker, "2022-02-01T03:00:00Z", c("StartOutreach"))
    s = step(s, people.sentraWorker, "2022-02-01T09:00:00Z", c("RecordFirstContact"))
    s = step(
      s,
      people.sentraWorker,
      "2022-02-02T09:00:00Z",
      c("RecordAssessment", {
        classification: { ampk: ["j"], ppks: [6, 7], cluster: "children", allegedPerpetrators: ["other-relative"] },
        factors: ["sexual-violence", "perpetrator-has-access"]
      })
    )
    s = step(
      s,
      people.sentraWorker,
      "2022-02-02T10:00:00Z",
      c("RecordSafetyPlan", {
        measures: ["separate-from-alleged-perpetrator", "emergency-placement", "psychological-first-aid"]
      })
    )
    s = step(s, people.sentraWorker, "2022-02-03T10:00:00Z", c("CompleteAssessment"))
    s = step(
      s,
      people.sentraWorker,
      "2022-02-05T10:00:00Z",
      c("ProposePlan", {
        approval: "approve-plan-1",
        plan: {
          id: "plan-1",
          firstReviewOn: "2022-03-07",
          items: [
            {
              component: "social-care-parenting",
              goal: "Safe residential care",
              responsible: "sentra-handayani",
              setting: "residence-based"
            },
            {
              component: "therapy",
              goal: "Trauma therapy",
              responsible: "sentra-handayani",
              setting: "residence-based"
            }
          ]
        }
      })
    )
    s = step(
      s,
      people.sentraHead,
      "2022-02-05T12:00:00Z",
      c("DecideApproval", {
        approval: "approve-plan-1",
        decision: "approved",
        reason: "Plan meets the child's needs"
      })
    )
    s = step(s, people.sentraWorker, "2022-02-06T00:00:00Z", c("StartIntervention"))
    s = step(
      s,
      people.sentraWorker,
      "2022-02-10T00:00:00Z",
      c("RecordService", {
        component: "therapy",
        provider: "sentra-handayani",
        deliveredOn: "2022-02-10"
      })
    )
    // 2025: the mother (not the alleged perpetrator) consents; the Sentra hands the case to Dinsos Kota Padang.
    s = step(
      s,
      people.sentraWorker,
      "2025-02-03T03:00:00Z",
      c("RecordConsent", {
        consent: "consent-mother",
        givenBy: "mother",
        scope: ["summary", "classification", "risk", "plan", "services", "sppa", "identity"]
      })
    )
    s = step(
      s,
      people.sentraHead,
      "2025-02-04T03:00:00Z",
      c("RequestTransfer", {
        transfer: "transfer-padang",
        to: "dinsos-13.71",
        reason: "Return to the home region after rehabilitation",
        legalBasis: { _tag: "consent", consent: "consent-mother" }
      })
    )
    s = step(
      s,
      people.padangKabid,
      "2025-02-04T06:00:00Z",
      c("UpdateTransfer", {
        transfer: "transfer-padang",
        status: "accepted"
      })
    )
    s = step(s, people.padangKabid, "2025-02-05T01:00:00Z", c("AssignCaseworker", { caseworker: "sakti-peksos-1" }))
    // Kamis 6/2/25: placement in the provincial UPTD PSAA Tri Murni, approved by the Kabid Rehsos.
    s = step(
      s,
      people.padangWorker,
      "2025-02-06T01:00:00Z",
      c("RequestPlacement", {
        placement: "placement-tri-murni",
        setting: "panti",
        facility: "uptd-psaa-tri-murni",
        emergency: false,
        approval: "approve-placement",
        reason: "Stable care with schooling in Padang Panjang"
      })
    )
    s = step(
      s,
      people.padangKabid,
      "2025-02-06T03:00:00Z",
      c("DecideApproval", {
        approval: "approve-placement",
        decision: "approved",
        reason: "Administration completed"
      })
    )
    s = step(
      s,
      people.padangWorker,
      "2025-02-06T04:00:00Z",
      c("StartReintegration", {
        reintegration: {
          receiver: "institution",
          receiverAssessedOn: "2025-02-05",
          receiverSuitable: true,
          childViewRecordedOn: "2025-02-04",
          childAgrees: true
        }
      })
    )
    return s
  }

  it("carries the case from the Sentra to the kota and into the provincial children's home", () => {
    const s = caseOf(story())
    expect(s.stage).toBe("reintegration")
    expect(s.owner).toBe("dinsos-13.71")
    expect(s.assigned).toEqual(["sakti-peksos-1"])
    expect(Object.values(s.placements)).toMatchObject([{ facility: "uptd-psaa-tri-murni", status: "active" }])
    expect(s.risk?.effective).toBe("tinggi")
  })

  it("records every actor and the basis of every step", () => {
    const { events } = story()
    expect(events.map((e) => e.version)).toEqual(events.map((_, index) => index + 1))
    const transfer = events.find((e) => e.type === "TransferUpdated")
    expect(transfer?.actor).toMatchObject({ id: "kabid-rehsos-padang", agency: "dinsos-13.71", region: "13.71" })
    const approval = events.filter((e) => e.type === "ApprovalDecided").at(-1)
    expect(approval?.rules).toContain("SOP-03")
    for (const event of events) {
      expect(event.rules.length).toBeGreaterThan(0)
      expect(event.basis.length).toBeGreaterThan(0)
      expect(JSON.stringify(event)).not.toMatch(/"name"/)
    }
  })

  it("keeps a tinggi case from ending as goals met until a rendah reassessment, then closes it", () => {
    let s = story()
    const e = rejected(
      s,
      people.padangWorker,
      "2025-06-01T00:00:00Z",
      c("RequestTermination", {
        reason: "goals-met",
        note: "Settled at the children's home",
        approval: "approve-termination"
      })
    )
    expect(e).toMatchObject({ _tag: "SopViolation", rule: "SOP-04" })
    s = step(
      s,
      people.padangWorker,
      "2025-06-01T00:00:00Z",
      c("RecordAssessment", {
        classification: { ampk: ["j"], ppks: [6], cluster: "children", allegedPerpetrators: ["other-relative"] },
        factors: []
      })
    )
    s = step(
      s,
      people.padangWorker,
      "2025-06-01T01:00:00Z",
      c("RequestTermination", {
        reason: "goals-met",
        note: "Settled at the children's home",
        approval: "approve-termination"
      })
    )
    // Four eyes: the worker who asked cannot approve, and a Kasi does not hold the approving office of a type A dinas.
    expect(
      rejected(
        s,
        people.padangKasi,
        "2025-06-02T00:00:00Z",
        c("DecideApproval", {
          approval: "approve-termination",
          decision: "approved",
          reason: "ok"
        })
      )
    ).toMatchObject({ rule: "SOP-03" })
    s = step(
      s,
      people.padangKabid,
      "2025-06-02T00:00:00Z",
      c("DecideApproval", {
        approval: "approve-termination",
        decision: "approved",
        reason: "Goals met"
      })
    )
    expect(caseOf(s).stage).toBe("aftercare")
    s = step(
      s,
      people.padangWorker,
      "2025-09-01T03:00:00Z",
      c("RecordFollowUp", { visitedOn: "2025-09-01", outcome: "stable" })
    )
    s = step(s, people.padangWorker, "2026-01-05T03:00:00Z", c("CloseCase", { reason: "Stable for six months" }))
    const closed = caseOf(s)
    expect(closed.stage).toBe("closed")
    expect(
      rejected(
        s,
        people.padangWorker,
        "2026-01-06T00:00:00Z",
        c("RecordFollowUp", {
          visitedOn: "2026-01-06",
          outcome: "stable"
        })
      )
    ).toMatchObject({ rule: "SOP-10" })
    // The whole history replays to the same state (SOP-12).
    expect(Case.fold(s.events)).toEqual(s.state)
    const transitions = s.events.flatMap((e) => (e.payload._tag === "StageChanged" ? [e.payload.transition] : []))
    expect(transitions).toEqual([
      "start-outreach",
      "reach-child",
      "complete-assessment",
      "start-intervention",
      "start-reintegration",
      "terminate",
      "close"
    ])
    for (const id of transitions) expect(Sop.transitions.some((t) => t.id === id)).toBe(true)
  })

  it("refuses consent from an alleged perpetrator", () => {
    const s = story()
    const e = rejected(
      s,
      people.padangWorker,
      "2025-03-01T00:00:00Z",
      c("RecordConsent", {
        consent: "consent-uncle",
        givenBy: "other-relative",
        scope: ["summary"]
      })
    )
    expect(e).toMatchObject({ _tag: "SopViolation", rule: "SOP-06" })
    expect(Result.isFailure(Result.fail(e))).toBe(true)
  })
})
