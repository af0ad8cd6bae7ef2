/**
 * Seed 000 (Padang, February 2025): two siblings, victims of sexual violence by a family member, spend almost three
 * years in Sentra Handayani (Kemensos, Jakarta). Dinas Sosial Kota Padang takes them back under its SOP: the Kadis
 * accepts the transfer in Jakarta, and on Thursday 6 February 2025 the Kabid Rehsos approves their placement in
 * the provincial UPTD PSAA Tri Murni (Padang Panjang). Monitoring continues: the older child is reassessed, her
 * intervention is terminated and she is followed up in aftercare; the younger one is still in reintegration.
 *
 * @internal
 */
import { Basis } from "@lindung/core"
import * as Script from "./script.js"

const { at } = Script

interface Sibling {
  readonly key: "kakak" | "adik"
  readonly code: string
  readonly birthDate: string
  readonly finalStage: "aftercare" | "reintegration"
  readonly title: Basis.Label
}

const siblings: ReadonlyArray<Sibling> = [
  {
    key: "kakak",
    code: "000-A",
    birthDate: "2012-05-10",
    finalStage: "aftercare",
    title: Basis.label("Kakak (12 tahun pada 2025)", "The older sibling (12 in 2025)")
  },
  {
    key: "adik",
    code: "000-B",
    birthDate: "2016-09-21",
    finalStage: "reintegration",
    title: Basis.label("Adik (8 tahun pada 2025)", "The younger sibling (8 in 2025)")
  }
]

const sibling = (s: Sibling, offset: number): Script.CaseScript => {
  const c = Script.open({
    caseId: `000-padang-${s.key}`,
    subject: `subjek-000-${s.key}`,
    finalStage: s.finalStage,
    title: s.title,
    identity: Script.fictional(s.code, "child", true)
  })
  const worker = "peksos-sentra-handayani-1"
  const head = "kepala-sentra-handayani"
  const m = offset // minutes apart, so that the two cases interleave in a stable order
  // March 2022: Sentra Handayani takes the case.
  c.add(worker, at("2022-03-07", 2, m), "RegisterReport", {
    subject: `subjek-000-${s.key}`,
    sex: "female",
    birthDate: s.birthDate,
    region: "13.71",
    owner: "sentra-handayani",
    source: "agency",
    concerns: ["sexual-violence", "perpetrator-has-access"]
  })
  c.add(head, at("2022-03-07", 3, m), "AssignCaseworker", { caseworker: worker })
  c.add(worker, at("2022-03-07", 4, m), "StartOutreach")
  c.add(worker, at("2022-03-07", 7, m), "RecordFirstContact")
  c.add(worker, at("2022-03-08", 2, m), "RecordAssessment", {
    classification: { ampk: ["j"], ppks: [6, 7], cluster: "children", allegedPerpetrators: ["other-relative"] },
    factors: ["sexual-violence", "perpetrator-has-access"]
  })
  c.add(worker, at("2022-03-08", 3, m), "RecordSafetyPlan", {
    measures: ["separate-from-alleged-perpetrator", "protective-carer-identified", "psychological-first-aid"]
  })
  c.add(worker, at("2022-03-09", 2, m), "CompleteAssessment")
  c.add(worker, at("2022-03-11", 2, m), "ProposePlan", {
    approval: "persetujuan-rencana-1",
    plan: {
      id: "rencana-sentra-1",
      firstReviewOn: "2022-04-10",
      items: [
        {
          component: "social-care-parenting",
          goal: "Pengasuhan aman di Sentra Handayani",
          responsible: "sentra-handayani",
          setting: "residence-based"
        },
        {
          component: "therapy",
          goal: "Pemulihan trauma (terapi psikososial)",
          responsible: "sentra-handayani",
          setting: "residence-based"
        }
      ]
    }
  })
  c.add(head, at("2022-03-11", 5, m), "DecideApproval", {
    approval: "persetujuan-rencana-1",
    decision: "approved",
    reason: "Rencana sesuai kebutuhan anak"
  })
  c.add(worker, at("2022-03-11", 6, m), "RequestPlacement", {
    placement: "penempatan-sentra",
    setting: "sentra",
    facility: "sentra-handayani",
    emergency: false,
    approval: "persetujuan-penempatan-sentra",
    reason: "Rehabilitasi residensial jauh dari terduga pelaku"
  })
  c.add(head, at("2022-03-11", 7, m), "DecideApproval", {
    approval: "persetujuan-penempatan-sentra",
    decision: "approved",
    reason: "Tempat tersedia"
  })
  c.add(worker, at("2022-03-12", 2, m), "StartIntervention")
  c.add(worker, at("2022-03-21", 2, m), "RecordService", {
    component: "therapy",
    provider: "sentra-handayani",
    deliveredOn: "2022-03-21"
  })
  c.add(worker, at("2022-04-11", 2, m), "ReviewPlan", { outcome: "continue" })
  c.add(worker, at("2023-03-13", 2, m), "ReviewPlan", { outcome: "continue" })
  c.add(worker, at("2024-03-11", 2, m), "ReviewPlan", { outcome: "continue" })
  // February 2025: the mother (not the alleged perpetrator) consents; the Sentra hands the case to Kota Padang.
  c.add(worker, at("2025-02-03", 2, m), "RecordConsent", {
    consent: "persetujuan-ibu",
    givenBy: "mother",
    scope: ["summary", "classification", "risk", "plan", "services", "sppa", "identity"]
  })
  c.add(head, at("2025-02-03", 4, m), "RequestTransfer", {
    transfer: "alih-kelola-padang",
    to: "dinsos-13.71",
    reason: "Kembali ke daerah asal setelah rehabilitasi di Sentra",
    legalBasis: { _tag: "consent", consent: "persetujuan-ibu" }
  })
  c.add("kadis-sosial-padang", at("2025-02-04", 3, m), "UpdateTransfer", {
    transfer: "alih-kelola-padang",
    status: "accepted",
    reason: "Diterima di Sentra Handayani oleh Kepala Dinas dan tim Bidang Rehsos"
  })
  c.add("kabid-rehsos-padang", at("2025-02-04", 4, m), "AssignCaseworker", { caseworker: "sakti-peksos-padang-1" })
  // Thursday 6 February 2025: the Kabid Rehsos completes the placement in UPTD PSAA Tri Murni.
  c.add("sakti-peksos-padang-1", at("2025-02-06", 1, m), "RequestPlacement", {
    placement: "penempatan-tri-murni",
    setting: "panti",
    facility: "uptd-psaa-tri-murni",
    emergency: false,
    approval: "persetujuan-penempatan-tri-murni",
    reason: "Pengasuhan dengan akses pendidikan di Padang Panjang"
  })
  c.add("kabid-rehsos-padang", at("2025-02-06", 3, m), "DecideApproval", {
    approval: "persetujuan-penempatan-tri-murni",
    decision: "approved",
    reason: "Administrasi pemindahan selesai"
  })
  c.add("sakti-peksos-padang-1", at("2025-02-06", 4, m), "EndPlacement", {
    placement: "penempatan-sentra",
    reason: "Pindah ke UPTD PSAA Tri Murni"
  })
  c.add("sakti-peksos-padang-1", at("2025-02-06", 5, m), "StartReintegration", {
    reintegration: {
      receiver: "institution",
      receiverAssessedOn: "2025-02-05",
      receiverSuitable: true,
      childViewRecordedOn: "2025-02-04",
      childAgrees: true
    }
  })
  if (s.finalStage === "reintegration") {
    c.add("sakti-peksos-padang-1", at("2025-05-06", 2, m), "ReviewPlan", { outcome: "continue" })
    c.add("sakti-peksos-padang-1", at("2025-11-04", 2, m), "ReviewPlan", { outcome: "continue" })
    return c
  }
  // The older sibling: reassessed at rendah, the intervention ends as goals met, monitoring in aftercare.
  c.add("sakti-peksos-padang-1", at("2025-06-02", 2, m), "RecordAssessment", {
    classification: { ampk: ["j"], ppks: [6], cluster: "children", allegedPerpetrators: ["other-relative"] },
    factors: []
  })
  c.add("sakti-peksos-padang-1", at("2025-06-02", 3, m), "RequestTermination", {
    reason: "goals-met",
    note: "Stabil di panti, bersekolah, tanpa akses terduga pelaku",
    approval: "persetujuan-terminasi"
  })
  c.add("kabid-rehsos-padang", at("2025-06-03", 2, m), "DecideApproval", {
    approval: "persetujuan-terminasi",
    decision: "approved",
    reason: "Tujuan rencana tercapai; lanjut bimbingan lanjut"
  })
  c.add("sakti-peksos-padang-1", at("2025-09-01", 3, m), "RecordFollowUp", {
    visitedOn: "2025-09-01",
    outcome: "stable"
  })
  c.add("sakti-peksos-padang-1", at("2025-12-01", 3, m), "RecordFollowUp", {
    visitedOn: "2025-12-01",
    outcome: "stable"
  })
  return c
}

/** The two cases of seed 000. */
export const cases = (): ReadonlyArray<Script.CaseScript> => siblings.map((s, index) => sibling(s, index * 10))
