/**
 * Seed 001 (Sumatera Barat, from October 2020): Balai Anak "Rumbai" (Kemensos, Pekanbaru) coordinates with the
 * Dinas Sosial of Kabupaten Lima Puluh Kota, Kabupaten Tanah Datar and Kota Padang. Two cases:
 *
 * - Lima Puluh Kota (October 2020 – July 2021): a boy of 16 using NAPZA while schooling online in the pandemic;
 *   the dinas refers him to Balai Anak "Rumbai" for residential rehabilitation and basic work skills, then to the
 *   labour office (Disnaker) for job training after the rehabilitation; the case is closed.
 * - Kota Padang (January – October 2025): a child of 13 in conflict with the law (theft); Sakti Peksos do
 *   outreach, case accompaniment and diversion (agreement at investigation); temporary care at LPKS Lubuk
 *   Minturun; post-rehabilitation referrals to education (Disdik), civil registry (Dukcapil) and religious affairs
 *   (Kemenag); the case is closed.
 *
 * @internal
 */
import { Basis } from "@lindung/core"
import * as Script from "./script.js"

const { at } = Script

const limaPuluhKota = (): Script.CaseScript => {
  const c = Script.open({
    caseId: "001-limapuluhkota-napza",
    subject: "subjek-001-a",
    finalStage: "closed",
    title: Basis.label(
      "Anak 16 tahun, NAPZA, rehabilitasi di Balai Anak Rumbai",
      "A boy of 16 using NAPZA, rehabilitated at Balai Anak Rumbai"
    ),
    identity: Script.fictional("001-A", "child", true)
  })
  const w = "sakti-peksos-limapuluhkota-1"
  const kabid = "kabid-rehsos-limapuluhkota"
  const balai = "peksos-balai-rumbai-1"
  c.add(w, at("2020-10-12", 2), "RegisterReport", {
    subject: "subjek-001-a",
    sex: "male",
    ageAtReport: 16,
    region: "13.07",
    owner: "dinsos-13.07",
    source: "family",
    concerns: ["substance-use", "out-of-school"]
  })
  c.add(kabid, at("2020-10-12", 3), "AssignCaseworker", { caseworker: w })
  c.add(w, at("2020-10-12", 4), "StartOutreach")
  c.add(w, at("2020-10-13", 3), "RecordFirstContact")
  c.add(w, at("2020-10-15", 3), "RecordAssessment", {
    // A child is served in the children's cluster whatever the concern (CLASS-CLUSTER), NAPZA included.
    classification: { ampk: ["e"], ppks: [7], cluster: "children", allegedPerpetrators: [] },
    factors: ["substance-use", "out-of-school"]
  })
  c.add(w, at("2020-10-15", 4), "RecordConsent", {
    consent: "persetujuan-ayah",
    givenBy: "father",
    scope: ["summary", "classification", "risk", "plan", "services"]
  })
  c.add(w, at("2020-10-16", 2), "CompleteAssessment")
  c.add(w, at("2020-10-19", 2), "ProposePlan", {
    approval: "persetujuan-rencana",
    plan: {
      id: "rencana-rumbai",
      firstReviewOn: "2020-12-01",
      items: [
        {
          component: "therapy",
          goal: "Rehabilitasi sosial NAPZA di Balai Anak Rumbai",
          responsible: "balai-anak-rumbai",
          setting: "residence-based"
        },
        {
          component: "vocational-entrepreneurship",
          goal: "Keterampilan dasar bidang kerja",
          responsible: "balai-anak-rumbai",
          setting: "residence-based"
        },
        {
          component: "family-support",
          goal: "Dukungan keluarga untuk kembali bersekolah",
          responsible: "dinsos-13.07",
          setting: "family-based"
        }
      ]
    }
  })
  c.add(kabid, at("2020-10-19", 5), "DecideApproval", {
    approval: "persetujuan-rencana",
    decision: "approved",
    reason: "Sesuai SOP"
  })
  c.add(w, at("2020-10-20", 2), "RequestReferral", {
    referral: "rujukan-balai-rumbai",
    to: "balai-anak-rumbai",
    purpose: "rehabilitation",
    shares: ["summary", "classification", "risk", "plan", "services"],
    legalBasis: { _tag: "consent", consent: "persetujuan-ayah" }
  })
  c.add(balai, at("2020-10-22", 2), "UpdateReferral", { referral: "rujukan-balai-rumbai", status: "accepted" })
  c.add(w, at("2020-10-26", 2), "RequestPlacement", {
    placement: "penempatan-balai-rumbai",
    setting: "sentra",
    facility: "balai-anak-rumbai",
    emergency: false,
    approval: "persetujuan-penempatan",
    reason: "Rehabilitasi residensial di UPT Kemensos"
  })
  c.add(kabid, at("2020-10-26", 4), "DecideApproval", {
    approval: "persetujuan-penempatan",
    decision: "approved",
    reason: "Balai menerima rujukan"
  })
  c.add(w, at("2020-11-02", 2), "StartIntervention")
  c.add(balai, at("2020-11-16", 2), "RecordService", {
    component: "therapy",
    provider: "balai-anak-rumbai",
    deliveredOn: "2020-11-16"
  })
  c.add(w, at("2020-12-01", 2), "ReviewPlan", { outcome: "continue" })
  c.add(balai, at("2021-01-18", 2), "RecordService", {
    component: "vocational-entrepreneurship",
    provider: "balai-anak-rumbai",
    deliveredOn: "2021-01-18"
  })
  c.add(w, at("2021-02-22", 2), "RecordService", {
    component: "family-support",
    provider: "dinsos-13.07",
    deliveredOn: "2021-02-22"
  })
  c.add(w, at("2021-03-01", 2), "EndPlacement", {
    placement: "penempatan-balai-rumbai",
    reason: "Rehabilitasi selesai"
  })
  c.add(balai, at("2021-03-01", 3), "UpdateReferral", {
    referral: "rujukan-balai-rumbai",
    status: "completed",
    reason: "Program rehabilitasi selesai"
  })
  c.add(w, at("2021-03-03", 2), "StartReintegration", {
    reintegration: {
      receiver: "family",
      receiverAssessedOn: "2021-02-22",
      receiverSuitable: true,
      childViewRecordedOn: "2021-02-24",
      childAgrees: true
    }
  })
  // After the rehabilitation: the labour office trains him for work once he reaches working age.
  c.add(w, at("2021-03-08", 2), "RequestReferral", {
    referral: "rujukan-disnaker",
    to: "disnaker-13.07",
    purpose: "employment",
    shares: ["summary", "services"],
    legalBasis: { _tag: "consent", consent: "persetujuan-ayah" }
  })
  c.add("petugas-disnaker-limapuluhkota-1", at("2021-03-10", 2), "UpdateReferral", {
    referral: "rujukan-disnaker",
    status: "accepted"
  })
  c.add("petugas-disnaker-limapuluhkota-1", at("2021-04-26", 2), "UpdateReferral", {
    referral: "rujukan-disnaker",
    status: "completed",
    reason: "Pelatihan kerja selesai"
  })
  c.add(w, at("2021-04-28", 2), "RequestTermination", {
    reason: "goals-met",
    note: "Bebas NAPZA, kembali sekolah paket, pelatihan kerja selesai",
    approval: "persetujuan-terminasi"
  })
  c.add(kabid, at("2021-04-29", 2), "DecideApproval", {
    approval: "persetujuan-terminasi",
    decision: "approved",
    reason: "Tujuan rencana tercapai"
  })
  c.add(w, at("2021-06-14", 2), "RecordFollowUp", { visitedOn: "2021-06-14", outcome: "stable" })
  c.add(w, at("2021-07-26", 2), "CloseCase", { reason: "Stabil tiga bulan setelah terminasi" })
  return c
}

const padang = (): Script.CaseScript => {
  const c = Script.open({
    caseId: "001-padang-abh",
    subject: "subjek-001-b",
    finalStage: "closed",
    title: Basis.label(
      "Anak berkonflik dengan hukum (13 tahun): diversi, LPKS Lubuk Minturun, rujukan",
      "A child of 13 in conflict with the law: diversion, LPKS Lubuk Minturun, referrals"
    ),
    identity: Script.fictional("001-B", "child", true)
  })
  const w1 = "sakti-peksos-padang-2"
  const w2 = "sakti-peksos-padang-3"
  const kabid = "kabid-rehsos-padang"
  // Theft on 20 January 2025 by a boy of 13; the police report it to Dinas Sosial Kota Padang.
  c.add("intake-dinsos-padang-1", at("2025-01-22", 2), "RegisterReport", {
    subject: "subjek-001-b",
    sex: "male",
    birthDate: "2012-01-08",
    region: "13.71",
    owner: "dinsos-13.71",
    source: "police",
    concerns: ["in-conflict-with-law", "out-of-school"]
  })
  c.add(kabid, at("2025-01-22", 3), "AssignCaseworker", { caseworker: w1 })
  c.add(kabid, at("2025-01-22", 3, 1), "AssignCaseworker", { caseworker: w2 })
  c.add(w1, at("2025-01-22", 4), "StartOutreach")
  c.add(w2, at("2025-01-22", 8), "RecordFirstContact")
  c.add(w1, at("2025-01-23", 3), "RecordAssessment", {
    classification: {
      ampk: ["b"],
      ppks: [3],
      cluster: "children",
      sppaRole: "anak-berkonflik-dengan-hukum",
      allegedPerpetrators: []
    },
    factors: ["in-conflict-with-law", "out-of-school"]
  })
  // The investigation began on 21 January. Threatened penalty under 7 years, not a repeat offence: diversion is
  // mandatory within 7 days (UU 11/2012 Pasal 7, 29). Bapas Padang's Pembimbing Kemasyarakatan gives the Litmas
  // within 3 x 24 hours (Pasal 27, 28); the peksos accompanies the boy at the police with a social report.
  c.add(w1, at("2025-01-23", 4), "StartSppaLevel", {
    stage: "investigation",
    startedOn: "2025-01-21",
    actDate: "2025-01-20",
    threatenedPenaltyYears: 5,
    repeatOffence: false
  })
  c.add(w1, at("2025-01-23", 5), "RequestLitmas", { bapas: "bapas-padang", on: "2025-01-23" })
  c.add(w1, at("2025-01-24", 3), "RecordAccompaniment", {
    at: "polresta-padang",
    stage: "investigation",
    on: "2025-01-24",
    socialReportOn: "2025-01-24"
  })
  c.add(w1, at("2025-01-25", 3), "RecordLitmas", { on: "2025-01-25" })
  c.add(w1, at("2025-01-27", 3), "StartDiversion", { stage: "investigation", on: "2025-01-27" })
  // The agreement: the boy stays up to 3 months at LPKS Lubuk Minturun and the loss is made good; the victim agrees.
  c.add(w1, at("2025-01-28", 8), "ConcludeDiversion", {
    stage: "investigation",
    on: "2025-01-28",
    outcome: "agreement",
    agreement: {
      forms: [
        { _tag: "reconciliation", compensation: true },
        { _tag: "education-or-training", at: "lpks-lubuk-minturun", months: 3 }
      ],
      victimConsent: { _tag: "given", by: "victim" },
      childAndFamilyWilling: true
    }
  })
  c.add(w1, at("2025-01-29", 3), "SubmitDiversionAgreement", { stage: "investigation", on: "2025-01-29" })
  c.add(w1, at("2025-01-30", 3), "CompleteAssessment")
  c.add(w1, at("2025-01-30", 4), "RecordConsent", {
    consent: "persetujuan-ibu",
    givenBy: "mother",
    scope: ["summary", "classification", "plan", "services", "identity"]
  })
  // The court's penetapan of the agreement, within 3 days of receiving it (Pasal 12 ayat (3)).
  c.add(w1, at("2025-01-31", 3), "RecordDiversionConfirmation", { stage: "investigation", on: "2025-01-31" })
  c.add(w1, at("2025-02-03", 3), "ProposePlan", {
    approval: "persetujuan-rencana",
    plan: {
      id: "rencana-diversi",
      firstReviewOn: "2025-03-05",
      items: [
        {
          component: "social-care-parenting",
          goal: "Layanan sementara di LPKS Lubuk Minturun",
          responsible: "lpks-lubuk-minturun",
          setting: "residence-based"
        },
        {
          component: "therapy",
          goal: "Bimbingan pelaksanaan kesepakatan diversi",
          responsible: "dinsos-13.71",
          setting: "residence-based"
        },
        {
          component: "family-support",
          goal: "Menyiapkan keluarga untuk kepulangan anak",
          responsible: "dinsos-13.71",
          setting: "family-based"
        }
      ]
    }
  })
  c.add(kabid, at("2025-02-03", 6), "DecideApproval", {
    approval: "persetujuan-rencana",
    decision: "approved",
    reason: "Sesuai SOP"
  })
  c.add(w1, at("2025-02-03", 7), "RequestPlacement", {
    placement: "penempatan-lpks",
    setting: "lpks",
    facility: "lpks-lubuk-minturun",
    emergency: false,
    approval: "persetujuan-penempatan",
    reason: "Layanan sementara selama kesepakatan diversi dijalankan"
  })
  c.add(kabid, at("2025-02-03", 8), "DecideApproval", {
    approval: "persetujuan-penempatan",
    decision: "approved",
    reason: "Tempat tersedia"
  })
  c.add(w1, at("2025-02-04", 3), "StartIntervention")
  c.add(w2, at("2025-02-10", 3), "RecordService", {
    component: "social-care-parenting",
    provider: "lpks-lubuk-minturun",
    deliveredOn: "2025-02-10"
  })
  c.add(w2, at("2025-02-10", 4), "RecordService", {
    component: "therapy",
    provider: "dinsos-13.71",
    deliveredOn: "2025-02-10"
  })
  c.add(w1, at("2025-03-05", 3), "ReviewPlan", { outcome: "continue" })
  c.add(w2, at("2025-04-14", 3), "RecordService", {
    component: "family-support",
    provider: "dinsos-13.71",
    deliveredOn: "2025-04-14"
  })
  c.add(w1, at("2025-04-28", 3), "EndPlacement", {
    placement: "penempatan-lpks",
    reason: "Kesepakatan diversi dilaksanakan"
  })
  c.add(w1, at("2025-04-30", 3), "StartReintegration", {
    reintegration: {
      receiver: "family",
      receiverAssessedOn: "2025-04-25",
      receiverSuitable: true,
      childViewRecordedOn: "2025-04-26",
      childAgrees: true
    }
  })
  // Post-rehabilitation referrals to other sectors, each sharing only what it needs.
  const referrals = [
    {
      referral: "rujukan-disdik",
      to: "disdik-13.71",
      purpose: "education",
      shares: ["summary", "services"],
      by: "guru-disdik-padang-1",
      done: "Kembali bersekolah"
    },
    {
      referral: "rujukan-dukcapil",
      to: "dukcapil-13.71",
      purpose: "civil-registration",
      shares: ["summary", "identity"],
      by: "petugas-dukcapil-padang-1",
      done: "Kartu Identitas Anak diterbitkan"
    },
    {
      referral: "rujukan-kemenag",
      to: "kemenag-13.71",
      purpose: "religious-guidance",
      shares: ["summary"],
      by: "penyuluh-kemenag-padang-1",
      done: "Bimbingan keagamaan selesai"
    }
  ] as const
  for (const r of referrals) {
    c.add(w1, at("2025-05-02", 3), "RequestReferral", {
      referral: r.referral,
      to: r.to,
      purpose: r.purpose,
      shares: r.shares,
      legalBasis: { _tag: "consent", consent: "persetujuan-ibu" }
    })
  }
  for (const r of referrals)
    c.add(r.by, at("2025-05-05", 3), "UpdateReferral", { referral: r.referral, status: "accepted" })
  for (const r of referrals) {
    c.add(r.by, at("2025-07-15", 3), "UpdateReferral", { referral: r.referral, status: "completed", reason: r.done })
  }
  c.add(w1, at("2025-07-21", 3), "RequestTermination", {
    reason: "goals-met",
    note: "Kembali bersekolah, dokumen kependudukan lengkap",
    approval: "persetujuan-terminasi"
  })
  c.add(kabid, at("2025-07-22", 3), "DecideApproval", {
    approval: "persetujuan-terminasi",
    decision: "approved",
    reason: "Tujuan rencana tercapai"
  })
  c.add(w2, at("2025-09-22", 3), "RecordFollowUp", { visitedOn: "2025-09-22", outcome: "stable" })
  c.add(w1, at("2025-10-21", 3), "CloseCase", { reason: "Stabil tiga bulan setelah terminasi" })
  return c
}

/** The two cases of seed 001. */
export const cases = (): ReadonlyArray<Script.CaseScript> => [limaPuluhKota(), padang()]
