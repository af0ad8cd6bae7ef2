/**
 * Seed 004 (Kemensos and LPAI, from August 2020): the type of a Dinas Sosial (A, B, C, or merged into another
 * dinas; Permensos 14/2016) changes who is responsible, how it responds and its workload; protection is
 * risk-based; case management brings together the dinas, the LPA, Sakti Peksos and religious and community
 * leaders (PKSAI). Four cases, one per type, each approved by the office its type provides:
 *
 * - type A (Kota Padang): the Kabid Rehsos approves the plan, the Kadis the termination; the LPA reported the
 *   child, mentors him on referral and records the mentoring; religious and community leaders guide the family;
 * - type B (Kota Balikpapan): a tinggi-risk case (confinement) with a safety plan, earlier deadlines, and a
 *   reassessment at rendah before the termination; the Kabid Rehsos approves;
 * - type C (Kabupaten Tanah Datar): the Kabid of the bidang that holds rehabilitation approves;
 * - merged dinas (Kabupaten Kepulauan Mentawai, an example): the Kadis approves the plan, the Kabid of the social
 *   bidang the termination.
 *
 * The types are assumed for the example (see Agencies).
 *
 * @internal
 */
import { Basis, type Risk } from "@lindung/core"
import type * as Agencies from "../Agencies.js"
import type * as People from "../People.js"
import * as Script from "./script.js"

const { at, plusDays } = Script

interface Dinas {
  readonly key: "tipe-a" | "tipe-b" | "tipe-c" | "gabungan"
  readonly title: Basis.Label
  readonly agency: Agencies.Id
  readonly region: string
  readonly worker: People.Id
  readonly planApprover: People.Id
  readonly endApprover: People.Id
  readonly source: "lpa" | "school" | "family" | "community"
  readonly age: number
  readonly sex: "female" | "male"
  readonly ampk: "i" | "m"
  readonly ppks: 2 | 4 | 6
  readonly factors: ReadonlyArray<Risk.FactorCode>
  readonly perpetrator?: "father" | "uncle-aunt"
  readonly consentBy: "legal-guardian" | "mother"
  readonly final: "intervention" | "aftercare"
}

const dinas: ReadonlyArray<Dinas> = [
  {
    key: "tipe-a",
    title: Basis.label(
      "Dinas tipe A (Kota Padang): Kabid Rehsos dan Kadis; rujukan LPA dan tokoh agama",
      "Type A dinas (Kota Padang): Kabid Rehsos and Kadis; LPA and religious leaders"
    ),
    agency: "dinsos-13.71",
    region: "13.71.01",
    worker: "sakti-peksos-padang-4",
    planApprover: "kabid-rehsos-padang",
    endApprover: "kadis-sosial-padang",
    source: "lpa",
    age: 9,
    sex: "male",
    ampk: "m",
    ppks: 4,
    factors: ["repeated-neglect", "out-of-home"],
    // The grandmother who raises him is his appointed wali: a grandparent consents only as the wali (UU 27/2022 Pasal 25).
    consentBy: "legal-guardian",
    final: "aftercare"
  },
  {
    key: "tipe-b",
    title: Basis.label(
      "Dinas tipe B (Kota Balikpapan): risiko tinggi, Kabid Rehsos",
      "Type B dinas (Kota Balikpapan): tinggi risk, Kabid Rehsos"
    ),
    agency: "dinsos-64.71",
    region: "64.71",
    worker: "pendamping-balikpapan-1",
    planApprover: "kabid-rehsos-balikpapan",
    endApprover: "kabid-rehsos-balikpapan",
    source: "school",
    age: 6,
    sex: "female",
    ampk: "m",
    ppks: 6,
    factors: ["confinement"],
    perpetrator: "father",
    consentBy: "mother",
    final: "aftercare"
  },
  {
    key: "tipe-c",
    title: Basis.label(
      "Dinas tipe C (Kabupaten Tanah Datar): Kabid bidang yang membawahi rehabilitasi",
      "Type C dinas (Kabupaten Tanah Datar): the Kabid whose bidang holds rehabilitation"
    ),
    agency: "dinsos-13.04",
    region: "13.04",
    worker: "peksos-tanah-datar-1",
    planApprover: "kabid-sosial-tanah-datar",
    endApprover: "kabid-sosial-tanah-datar",
    source: "family",
    age: 11,
    sex: "female",
    ampk: "m",
    ppks: 2,
    factors: ["repeated-neglect"],
    consentBy: "mother",
    final: "intervention"
  },
  {
    key: "gabungan",
    title: Basis.label(
      "Dinas gabungan (Kabupaten Kepulauan Mentawai, contoh): Kadis dan Kabid bidang sosial",
      "Merged dinas (Kabupaten Kepulauan Mentawai, an example): Kadis and the Kabid of the social bidang"
    ),
    agency: "dinsos-13.09",
    region: "13.09",
    worker: "peksos-mentawai-1",
    planApprover: "kadis-mentawai",
    endApprover: "kabid-sosial-mentawai",
    source: "community",
    age: 13,
    sex: "male",
    ampk: "i",
    ppks: 6,
    factors: ["physical-or-psychological-violence"],
    perpetrator: "uncle-aunt",
    consentBy: "mother",
    final: "aftercare"
  }
]

const dinasCase = (d: Dinas, index: number): Script.CaseScript => {
  const c = Script.open({
    caseId: `004-${d.key}`,
    subject: `subjek-004-${d.key}`,
    finalStage: d.final,
    title: d.title,
    identity: Script.fictional(`004-${d.key.toUpperCase()}`, "child", true)
  })
  const d0 = plusDays("2020-08-24", 7 * index)
  const day = (n: number) => plusDays(d0, n)
  const w = d.worker
  const tinggi = d.factors.includes("confinement")
  const padang = d.key === "tipe-a"
  const classification = {
    ampk: [d.ampk],
    ppks: [d.ppks],
    cluster: "children",
    allegedPerpetrators: d.perpetrator === undefined ? [] : [d.perpetrator]
  } as const
  c.add(w, at(d0, 1), "RegisterReport", {
    subject: `subjek-004-${d.key}`,
    sex: d.sex,
    ageAtReport: d.age,
    region: d.region,
    owner: d.agency,
    source: d.source,
    concerns: d.factors
  })
  c.add(d.planApprover, at(d0, 1, 10), "AssignCaseworker", { caseworker: w })
  c.add(w, at(d0, 2), "StartOutreach")
  c.add(w, at(d0, 5), "RecordFirstContact")
  c.add(w, at(day(1), 1), "RecordAssessment", { classification, factors: d.factors })
  if (tinggi) {
    c.add(w, at(day(1), 2), "RecordSafetyPlan", {
      measures: ["separate-from-alleged-perpetrator", "protective-carer-identified", "daily-contact"]
    })
  }
  c.add(w, at(day(1), 3), "RecordConsent", {
    consent: "persetujuan-wali",
    givenBy: d.consentBy,
    scope: ["summary", "plan", "services"]
  })
  c.add(w, at(day(2), 1), "CompleteAssessment")
  if (padang) {
    // PKSAI: a cross-sector case conference decides the plan and the referrals (PP 59/2019 coordination; the article).
    c.add(w, at(day(3), 1), "RecordCaseConference", {
      conference: {
        id: "konferensi-kasus-1",
        heldOn: day(3),
        participants: [
          { agency: d.agency, role: "case-manager" },
          { agency: "lpa-13.71", role: "psychologist" },
          { agency: "tokoh-13.71", role: "community-leader" }
        ],
        childHeard: true,
        familyPresent: true,
        decision: "Pengasuhan bersama nenek; pendampingan LPA; bimbingan tokoh agama",
        followUps: [
          { action: "Pendampingan psikososial oleh LPA", owner: "lpa-13.71", dueOn: day(16) },
          { action: "Bimbingan keagamaan", owner: "tokoh-13.71", dueOn: day(35) }
        ]
      }
    })
  }
  c.add(w, at(day(3), 1, 5), "ProposePlan", {
    approval: "persetujuan-rencana",
    plan: {
      id: `rencana-${d.key}`,
      firstReviewOn: day(33),
      ...(padang ? { conference: "konferensi-kasus-1" } : {}),
      items: [
        {
          component: "family-support",
          goal: padang ? "Pengasuhan bersama nenek" : "Pengasuhan aman di rumah",
          responsible: d.agency,
          setting: "family-based"
        },
        padang
          ? {
              component: "therapy",
              goal: "Pendampingan oleh LPA",
              responsible: "lpa-13.71",
              setting: "community-based"
            }
          : { component: "therapy", goal: "Dukungan psikososial", responsible: d.agency, setting: "family-based" }
      ]
    }
  })
  // The approving office follows the dinas type (Permensos 14/2016): see Guard.approverHoldsOffice.
  c.add(d.planApprover, at(day(3), 4), "DecideApproval", {
    approval: "persetujuan-rencana",
    decision: "approved",
    reason: "Sesuai SOP"
  })
  c.add(w, at(day(4), 1), "StartIntervention")
  if (padang) {
    for (const [referral, to, purpose] of [
      ["rujukan-lpa", "lpa-13.71", "other"],
      ["rujukan-tokoh", "tokoh-13.71", "religious-guidance"]
    ] as const) {
      c.add(w, at(day(4), 2), "RequestReferral", {
        referral,
        to,
        purpose,
        shares: ["summary", "plan", "services"],
        legalBasis: { _tag: "consent", consent: "persetujuan-wali" },
        conference: "konferensi-kasus-1"
      })
    }
    c.add("pendamping-lpa-padang-1", at(day(5), 1), "UpdateReferral", { referral: "rujukan-lpa", status: "accepted" })
    c.add("tokoh-masyarakat-padang-1", at(day(5), 2), "UpdateReferral", {
      referral: "rujukan-tokoh",
      status: "accepted"
    })
    c.add("pendamping-lpa-padang-1", at(day(16), 1), "RecordService", {
      component: "therapy",
      provider: "lpa-13.71",
      deliveredOn: day(16)
    })
  }
  c.add(w, at(day(14), 1), "RecordService", {
    component: "family-support",
    provider: d.agency,
    deliveredOn: day(14)
  })
  c.add(w, at(day(30), 1), "ReviewPlan", { outcome: "continue" })
  if (padang) {
    c.add("tokoh-masyarakat-padang-1", at(day(35), 1), "UpdateReferral", {
      referral: "rujukan-tokoh",
      status: "completed",
      reason: "Bimbingan keluarga selesai"
    })
    c.add("pendamping-lpa-padang-1", at(day(58), 1), "UpdateReferral", {
      referral: "rujukan-lpa",
      status: "completed",
      reason: "Pendampingan selesai"
    })
  }
  if (d.final === "intervention") return c

  if (tinggi) {
    c.add(w, at(day(50), 1), "RecordAssessment", { classification, factors: [] })
  }
  c.add(w, at(day(60), 1), "RequestTermination", {
    reason: "goals-met",
    note: "Aman bersama keluarga",
    approval: "persetujuan-terminasi"
  })
  c.add(d.endApprover, at(day(61), 1), "DecideApproval", {
    approval: "persetujuan-terminasi",
    decision: "approved",
    reason: "Tujuan rencana tercapai"
  })
  c.add(w, at(day(90), 1), "RecordFollowUp", { visitedOn: day(90), outcome: "stable" })
  return c
}

/** The four cases of seed 004. */
export const cases = (): ReadonlyArray<Script.CaseScript> => dinas.map(dinasCase)
