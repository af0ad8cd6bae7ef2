/**
 * Seed 002 (Kota Balikpapan, from November 2024): after Dinas Sosial's socialisation in schools, the school
 * community reports children into the Sistem Penanganan Terpadu (prevention, intervention, rehabilitation,
 * reintegration), and a team of companions (tim pendamping) works the cases. Three reports:
 *
 * - a teacher reports a pupil who comes to school hurt and has stopped attending (sedang): the three companions
 *   accompany her; the Kabid Rehsos approves the plan; the school supports her return to class; closed;
 * - a parent reports a boy who has dropped out (rendah): a family-support plan is adopted without approval;
 *   the intervention ends as goals met; aftercare;
 * - a teacher's report turns out not to be a protection case: closed early with the Kabid Rehsos' approval.
 *
 * @internal
 */
import { Basis } from "@lindung/core"
import * as Script from "./script.js"

const { at } = Script

const kabid = "kabid-rehsos-balikpapan"
const intake = "intake-dinsos-balikpapan-1"
const team = ["pendamping-balikpapan-1", "pendamping-balikpapan-2", "pendamping-balikpapan-3"] as const
const [w1, w2, w3] = team

const sedang = (): Script.CaseScript => {
  const c = Script.open({
    caseId: "002-balikpapan-sekolah-a",
    subject: "subjek-002-a",
    finalStage: "closed",
    title: Basis.label(
      "Laporan guru: kekerasan fisik, putus sekolah (sedang)",
      "A teacher's report: physical violence, out of school (sedang)"
    ),
    identity: Script.fictional("002-A", "child", true)
  })
  c.add(intake, at("2024-11-04", 1), "RegisterReport", {
    subject: "subjek-002-a",
    sex: "female",
    birthDate: "2014-03-09",
    region: "64.71",
    owner: "dinsos-64.71",
    source: "school",
    concerns: ["physical-or-psychological-violence", "out-of-school"]
  })
  for (const [index, worker] of team.entries()) {
    c.add(kabid, at("2024-11-04", 2, index), "AssignCaseworker", { caseworker: worker })
  }
  c.add(w2, at("2024-11-04", 3), "StartOutreach")
  c.add(w3, at("2024-11-05", 2), "RecordFirstContact")
  c.add(w1, at("2024-11-07", 2), "RecordAssessment", {
    classification: { ampk: ["i"], ppks: [6], cluster: "children", allegedPerpetrators: ["step-parent"] },
    factors: ["physical-or-psychological-violence", "out-of-school"]
  })
  c.add(w1, at("2024-11-08", 2), "CompleteAssessment")
  c.add(w1, at("2024-11-08", 3), "RecordConsent", {
    consent: "persetujuan-ibu",
    givenBy: "mother",
    scope: ["summary", "plan", "services"]
  })
  c.add(w1, at("2024-11-12", 2), "ProposePlan", {
    approval: "persetujuan-rencana",
    plan: {
      id: "rencana-002-a",
      firstReviewOn: "2025-01-12",
      items: [
        { component: "therapy", goal: "Dukungan psikososial", responsible: "dinsos-64.71", setting: "family-based" },
        {
          component: "family-support",
          goal: "Pengasuhan tanpa kekerasan",
          responsible: "dinsos-64.71",
          setting: "family-based"
        },
        {
          component: "accessibility-support",
          goal: "Kembali ke kelas dengan guru pendamping",
          responsible: "sekolah-64.71",
          setting: "community-based"
        }
      ]
    }
  })
  c.add(kabid, at("2024-11-12", 6), "DecideApproval", {
    approval: "persetujuan-rencana",
    decision: "approved",
    reason: "Sesuai SOP"
  })
  c.add(w1, at("2024-11-13", 2), "StartIntervention")
  c.add(w1, at("2024-11-13", 3), "RequestReferral", {
    referral: "rujukan-sekolah",
    to: "sekolah-64.71",
    purpose: "education",
    shares: ["summary", "plan", "services"],
    legalBasis: { _tag: "consent", consent: "persetujuan-ibu" }
  })
  c.add("guru-balikpapan-1", at("2024-11-14", 1), "UpdateReferral", { referral: "rujukan-sekolah", status: "accepted" })
  c.add("guru-balikpapan-1", at("2024-11-25", 1), "RecordService", {
    component: "accessibility-support",
    provider: "sekolah-64.71",
    deliveredOn: "2024-11-25"
  })
  c.add(w2, at("2024-11-26", 1), "RecordService", {
    component: "therapy",
    provider: "dinsos-64.71",
    deliveredOn: "2024-11-26"
  })
  c.add(w3, at("2024-11-27", 1), "RecordService", {
    component: "family-support",
    provider: "dinsos-64.71",
    deliveredOn: "2024-11-27"
  })
  c.add(w1, at("2025-01-10", 1), "ReviewPlan", { outcome: "continue" })
  c.add(w1, at("2025-02-03", 1), "StartReintegration", {
    reintegration: {
      receiver: "family",
      receiverAssessedOn: "2025-01-30",
      receiverSuitable: true,
      childViewRecordedOn: "2025-01-31",
      childAgrees: true
    }
  })
  c.add("guru-balikpapan-1", at("2025-03-01", 1), "UpdateReferral", {
    referral: "rujukan-sekolah",
    status: "completed",
    reason: "Hadir di kelas secara teratur"
  })
  c.add(w1, at("2025-03-03", 1), "RequestTermination", {
    reason: "goals-met",
    note: "Aman di rumah, bersekolah kembali",
    approval: "persetujuan-terminasi"
  })
  c.add(kabid, at("2025-03-04", 1), "DecideApproval", {
    approval: "persetujuan-terminasi",
    decision: "approved",
    reason: "Tujuan rencana tercapai"
  })
  c.add(w2, at("2025-05-05", 1), "RecordFollowUp", { visitedOn: "2025-05-05", outcome: "stable" })
  c.add(w1, at("2025-06-02", 1), "CloseCase", { reason: "Stabil setelah reintegrasi" })
  return c
}

const rendah = (): Script.CaseScript => {
  const c = Script.open({
    caseId: "002-balikpapan-sekolah-b",
    subject: "subjek-002-b",
    finalStage: "aftercare",
    title: Basis.label(
      "Laporan orang tua: putus sekolah (rendah), pencegahan",
      "A parent's report: out of school (rendah), prevention"
    ),
    identity: Script.fictional("002-B", "child", true)
  })
  c.add(intake, at("2024-11-06", 1), "RegisterReport", {
    subject: "subjek-002-b",
    sex: "male",
    birthDate: "2012-07-01",
    region: "64.71",
    owner: "dinsos-64.71",
    source: "family",
    concerns: ["out-of-school"]
  })
  c.add(kabid, at("2024-11-06", 2), "AssignCaseworker", { caseworker: w2 })
  c.add(w2, at("2024-11-07", 1), "StartOutreach")
  c.add(w2, at("2024-11-08", 1), "RecordFirstContact")
  c.add(w2, at("2024-11-11", 1), "RecordAssessment", {
    // A child is counted in the child categories only (CLASS-CHILD-PPKS): Anak Telantar, not the family category
    // Keluarga Bermasalah Sosial Psikologis (25) — the family's trouble is served through family support.
    classification: { ampk: [], ppks: [2], cluster: "children", allegedPerpetrators: [] },
    factors: ["out-of-school"]
  })
  c.add(w2, at("2024-11-12", 1), "CompleteAssessment")
  c.add(w2, at("2024-11-15", 1), "ProposePlan", {
    approval: "persetujuan-rencana",
    plan: {
      id: "rencana-002-b",
      firstReviewOn: "2025-02-15",
      items: [
        {
          component: "family-support",
          goal: "Orang tua mendukung anak kembali bersekolah",
          responsible: "dinsos-64.71",
          setting: "family-based"
        }
      ]
    }
  })
  c.add(w2, at("2024-11-18", 1), "StartIntervention")
  c.add(w2, at("2024-12-02", 1), "RecordService", {
    component: "family-support",
    provider: "dinsos-64.71",
    deliveredOn: "2024-12-02"
  })
  c.add(w2, at("2025-01-06", 1), "RequestTermination", {
    reason: "goals-met",
    note: "Kembali bersekolah",
    approval: "persetujuan-terminasi"
  })
  c.add(kabid, at("2025-01-07", 1), "DecideApproval", {
    approval: "persetujuan-terminasi",
    decision: "approved",
    reason: "Tujuan rencana tercapai"
  })
  c.add(w2, at("2025-04-07", 1), "RecordFollowUp", { visitedOn: "2025-04-07", outcome: "stable" })
  return c
}

const notACase = (): Script.CaseScript => {
  const c = Script.open({
    caseId: "002-balikpapan-sekolah-c",
    subject: "subjek-002-c",
    finalStage: "closed",
    title: Basis.label(
      "Laporan guru yang ternyata bukan kasus perlindungan: ditutup lebih awal",
      "A teacher's report that is not a protection case: closed early"
    ),
    identity: Script.fictional("002-C", "child", true)
  })
  c.add(intake, at("2024-11-20", 1), "RegisterReport", {
    subject: "subjek-002-c",
    sex: "female",
    ageAtReport: 10,
    region: "64.71",
    owner: "dinsos-64.71",
    source: "school",
    concerns: ["family-conflict"]
  })
  c.add(kabid, at("2024-11-20", 2), "AssignCaseworker", { caseworker: w3 })
  c.add(w3, at("2024-11-21", 1), "StartOutreach")
  c.add(w3, at("2024-11-22", 1), "RecordFirstContact")
  c.add(w3, at("2024-11-22", 3), "RequestEarlyClosure", {
    reason: "not-a-protection-case",
    note: "Konflik orang tua sudah selesai; anak aman dan bersekolah",
    approval: "persetujuan-tutup"
  })
  c.add(kabid, at("2024-11-25", 1), "DecideApproval", {
    approval: "persetujuan-tutup",
    decision: "approved",
    reason: "Bukan kasus perlindungan; sekolah tetap memantau"
  })
  return c
}

/** The three cases of seed 002. */
export const cases = (): ReadonlyArray<Script.CaseScript> => [sedang(), rendah(), notACase()]
