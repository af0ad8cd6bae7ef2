/**
 * Seed 003 (Nusa Tenggara Barat, 2023 – 2024): Dinas Sosial Provinsi NTB (Bidang Rehabilitasi Sosial) and its
 * RPTC rehabilitate adult PPKS — troubled migrant workers, trafficking victims, abandoned persons (orang
 * telantar), an abandoned person with a mental disorder (ODGJ telantar) returned to his home province, and a woman
 * victim of sexual violence — and accompany child cases reported from January to April 2024: children in contact
 * with the law (victims, alleged offenders, witnesses) at the police UPPA and in the children's court, adoption
 * and child marriage, with further rehabilitation at Puslansos or Sentra Paramitha and reintegration to families.
 *
 * The seed reports 316 child cases (301 ABH, 8 adoption, 7 child marriage) and hundreds of adult cases. The story
 * generates a scaled-down, illustrative set deterministically from two small tables ({@link childTable},
 * {@link adultTable}) so that counting its cases by SPPA role and concern in region 52 reproduces the tables.
 *
 * @internal
 */
import { type Atensi, Basis, type Classification, Ppks, type Risk, type Sop, type Sppa } from "@lindung/core"
import type * as People from "../People.js"
import * as Script from "./script.js"

const { at, plusDays } = Script

/** A row of the child table: a group of child cases, by SPPA role or by concern, and how many cases it has. */
export interface ChildRow {
  readonly key: "korban" | "pelaku" | "pasal21" | "saksi" | "adopsi" | "perkawinan"
  readonly label: Basis.Label
  readonly sppaRole?: Sppa.AbhRole
  readonly concern?: Classification.ConcernCode
  readonly cases: number
}

/** The child cases of the NTB story (reported January – April 2024), by SPPA role or concern. */
export const childTable: ReadonlyArray<ChildRow> = [
  {
    key: "korban",
    label: Basis.label("Anak korban", "Child victims"),
    sppaRole: "anak-korban",
    cases: 10
  },
  {
    key: "pelaku",
    label: Basis.label(
      "Anak berkonflik dengan hukum (pelaku)",
      "Children in conflict with the law (alleged offenders)"
    ),
    sppaRole: "anak-berkonflik-dengan-hukum",
    cases: 5
  },
  {
    // Under 12 at the alleged act: not an anak berkonflik dengan hukum (UU 11/2012 Pasal 1 angka 3), counted apart.
    key: "pasal21",
    label: Basis.label(
      "Anak belum 12 tahun yang diduga melakukan tindak pidana (Pasal 21)",
      "Children under 12 alleged to have offended (Pasal 21)"
    ),
    sppaRole: "anak-pasal-21",
    cases: 1
  },
  {
    key: "saksi",
    label: Basis.label("Anak saksi", "Child witnesses"),
    sppaRole: "anak-saksi",
    cases: 4
  },
  {
    key: "adopsi",
    label: Basis.label("Adopsi (calon anak angkat)", "Adoption (children to be adopted)"),
    concern: "adoption",
    cases: 4
  },
  {
    key: "perkawinan",
    label: Basis.label("Perkawinan anak", "Child marriage"),
    concern: "child-marriage",
    cases: 3
  }
]

/** A row of the adult table: a PPKS group as Dinsos NTB reports it, and how many cases it has. */
export interface AdultRow {
  readonly group: Ppks.GroupCode
  readonly label: Basis.Label
  readonly cases: number
}

/** The adult PPKS cases of the NTB story (2023 – May 2024), by the groups of the seed. */
export const adultTable: ReadonlyArray<AdultRow> = (
  [
    ["pekerja-migran-bermasalah", 2],
    ["korban-perdagangan-orang", 1],
    ["orang-telantar", 3],
    ["perempuan-korban-kekerasan-seksual", 1],
    ["odgj-telantar", 1]
  ] as const
).map(([group, cases]) => ({ group, label: Ppks.mapGroup(group).label, cases }))

const kabid = "kabid-rehsos-ntb"
const intake = "intake-dinsos-ntb-1"
const workers = ["peksos-ntb-1", "peksos-ntb-2", "peksos-ntb-3"] as const
const regions = ["52.71", "52.01", "52.02", "52.03", "52.04", "52.05", "52.06", "52.07", "52.08", "52.72"] as const
const fullConsent = ["summary", "classification", "risk", "plan", "services", "identity"] as const

type Depth = Extract<Sop.Stage, "assessment" | "planning" | "intervention" | "reintegration" | "aftercare" | "closed">
const order: ReadonlyArray<Depth> = ["assessment", "planning", "intervention", "reintegration", "aftercare", "closed"]
/** Whether a case that ends in `final` goes past `stage`. */
const past = (final: Depth, stage: Depth): boolean => order.indexOf(final) > order.indexOf(stage)

/** The final stage of each case of a row, in order. */
const depths: Readonly<Record<ChildRow["key"], ReadonlyArray<Depth>>> = {
  korban: [
    "closed",
    "aftercare",
    "reintegration",
    "intervention",
    "aftercare",
    "closed",
    "intervention",
    "reintegration",
    "aftercare",
    "assessment"
  ],
  pelaku: ["closed", "aftercare", "reintegration", "intervention", "intervention"],
  pasal21: ["intervention"],
  saksi: ["aftercare", "closed", "aftercare", "intervention"],
  adopsi: ["intervention", "intervention", "reintegration", "planning"],
  perkawinan: ["intervention", "reintegration", "assessment"]
}

/** Ages at the report; alleged offenders are registered by birth date instead (their ages at the act, below). */
const ages: Readonly<Record<ChildRow["key"], ReadonlyArray<number>>> = {
  korban: [14, 9, 15, 11, 16, 7, 13, 10, 15, 12],
  pelaku: [15, 14, 12, 16, 13],
  pasal21: [11],
  saksi: [13, 15, 10, 16],
  adopsi: [2, 1, 4, 0],
  perkawinan: [15, 16, 16]
}

// Alleged offenders need a birth date: SPPA ages are counted at the act (15, 14, 12, 16, 13 and, for Pasal 21, 11).
const offenderBirthDates: Readonly<Record<"pelaku" | "pasal21", ReadonlyArray<string>>> = {
  pelaku: ["2008-05-14", "2009-11-02", "2011-03-21", "2007-09-30", "2010-06-11"],
  pasal21: ["2012-09-15"]
}
const perpetrators = ["stranger", "other-relative", "peer", "teacher", "step-parent"] as const

const pad = (n: number) => String(n).padStart(2, "0")

/** Sex by row and index: girls and boys in each group, as the seed's groups would have them. */
const sexOf = (key: ChildRow["key"], i: number): "female" | "male" => {
  switch (key) {
    case "perkawinan":
      return "female"
    case "pelaku":
      return i === 3 ? "female" : "male"
    case "pasal21":
      return "male"
    default:
      return i % 3 === 1 ? "male" : "female"
  }
}

interface PlanItem {
  readonly component: Atensi.ComponentCode
  readonly goal: string
  readonly responsible: string
  readonly setting: "family-based" | "community-based" | "residence-based"
}

const childCase = (row: ChildRow, i: number, k: number): Script.CaseScript => {
  const final = depths[row.key][i] ?? "intervention"
  const id = `${row.key}-${pad(i + 1)}`
  const c = Script.open({
    caseId: `003-ntb-${id}`,
    subject: `subjek-003-${id}`,
    finalStage: final,
    title: Basis.label(`${row.label.id} ${i + 1}`, `${row.label.en} ${i + 1}`),
    identity: Script.fictional(`003-${id.toUpperCase()}`, "child", row.key !== "adopsi")
  })
  const w: People.Id = workers[k % workers.length] ?? "peksos-ntb-1"
  const region = regions[k % regions.length] ?? "52.71"
  const d0 = plusDays("2024-01-08", 4 * k)
  const day = (n: number) => plusDays(d0, n)
  const age = ages[row.key][i] ?? 12
  const korban = row.key === "korban"
  // Alleged offenders: from 12 at the act on the SPPA path, under 12 on the Pasal 21 path.
  const underTwelve = row.key === "pasal21" // Pasal 21: guidance at Puslansos
  const pelaku = row.key === "pelaku" || underTwelve
  const tinggi = korban && i % 2 === 0
  const detailed = korban && i === 0 // the case that goes to Puslansos (declined) and Sentra Paramitha
  const serious = row.key === "pelaku" && i === 4 // threatened penalty of 8 years: no mandatory diversion; trial
  const rendah = row.key === "saksi" || row.key === "adopsi" || (pelaku && i % 2 === 1)
  const factors: ReadonlyArray<Risk.FactorCode> = korban
    ? [tinggi ? "sexual-violence" : "physical-or-psychological-violence"]
    : pelaku
      ? rendah
        ? ["in-conflict-with-law"]
        : ["in-conflict-with-law", "out-of-school"]
      : row.key === "perkawinan"
        ? ["child-marriage", "out-of-school"]
        : []
  const referredToPolice = korban || pelaku || row.key === "saksi"

  c.add(intake, at(d0, 1), "RegisterReport", {
    subject: `subjek-003-${id}`,
    sex: sexOf(row.key, i),
    ...(row.key === "pelaku" || row.key === "pasal21"
      ? { birthDate: offenderBirthDates[row.key][i] ?? "2012-01-02" }
      : { ageAtReport: age }),
    region,
    owner: "dinsos-52",
    source: referredToPolice ? "police" : row.key === "adopsi" ? "agency" : "community",
    concerns: korban ? factors : pelaku ? ["in-conflict-with-law"] : row.key === "perkawinan" ? ["child-marriage"] : []
  })
  c.add(kabid, at(d0, 1, 30), "AssignCaseworker", { caseworker: w })
  c.add(w, at(d0, 2), "StartOutreach")
  c.add(w, at(d0, 5), "RecordFirstContact")
  if (tinggi) {
    // Emergency protection at the RPTC the same day, approved within 24 hours.
    c.add(w, at(d0, 6), "RequestPlacement", {
      placement: "penempatan-darurat-rptc",
      setting: "rptc",
      facility: "uptd-rptc-52",
      emergency: true,
      approval: "persetujuan-penempatan-darurat",
      reason: "Tidak aman di rumah"
    })
    c.add(kabid, at(d0, 8), "DecideApproval", {
      approval: "persetujuan-penempatan-darurat",
      decision: "approved",
      reason: "Perlindungan darurat"
    })
  }
  const perkawinanCategories = [
    { ampk: ["d"], ppks: [7] },
    { ampk: ["i"], ppks: [6] },
    { ampk: [], ppks: [] }
  ] as const
  c.add(w, at(day(1), 1), "RecordAssessment", {
    classification: korban
      ? {
          ampk: [tinggi ? "j" : "i"],
          ppks: [6],
          cluster: "children",
          sppaRole: "anak-korban",
          allegedPerpetrators: [perpetrators[i % perpetrators.length] ?? "unknown"]
        }
      : pelaku
        ? {
            ampk: ["b"],
            ppks: [3],
            cluster: "children",
            // Under 12 at the act the child is on the Pasal 21 path, not an anak berkonflik dengan hukum.
            sppaRole: underTwelve ? "anak-pasal-21" : "anak-berkonflik-dengan-hukum",
            allegedPerpetrators: []
          }
        : row.key === "saksi"
          ? { ampk: ["b"], ppks: [3], cluster: "children", sppaRole: "anak-saksi", allegedPerpetrators: [] }
          : row.key === "adopsi"
            ? { ampk: [], ppks: [1], cluster: "children", allegedPerpetrators: [], concerns: ["adoption"] }
            : {
                ...(perkawinanCategories[i] ?? { ampk: [], ppks: [] }),
                cluster: "children",
                allegedPerpetrators: [],
                concerns: ["child-marriage"]
              },
    factors
  })
  if (tinggi) {
    c.add(w, at(day(1), 2), "RecordSafetyPlan", {
      measures: ["police-report", "medical-care", "psychological-first-aid", "emergency-placement"]
    })
  }
  if (referredToPolice) {
    c.add(w, at(day(1), 3), "RecordConsent", { consent: "persetujuan-ibu", givenBy: "mother", scope: fullConsent })
    // Accompaniment at the police UPPA (the statement is taken with the peksos present).
    c.add(w, at(day(2), 1), "RequestReferral", {
      referral: "rujukan-uppa",
      to: "uppa-52",
      purpose: "police",
      shares: ["summary", "classification", "identity"],
      legalBasis: { _tag: "consent", consent: "persetujuan-ibu" }
    })
    c.add("penghubung-uppa-ntb-1", at(day(2), 3), "UpdateReferral", { referral: "rujukan-uppa", status: "accepted" })
    // The peksos accompanies the child at the UPPA; a child victim or witness gets a social report (UU 11/2012
    // Pasal 23, 27 ayat (3)).
    c.add(w, at(day(5), 2), "RecordAccompaniment", {
      at: "uppa-52",
      stage: "investigation",
      on: day(5),
      ...(pelaku ? {} : { socialReportOn: day(4) })
    })
    c.add("penghubung-uppa-ntb-1", at(day(5), 3), "UpdateReferral", {
      referral: "rujukan-uppa",
      status: "completed",
      reason: "Pemeriksaan di UPPA didampingi peksos"
    })
  }
  if (pelaku && !underTwelve) {
    c.add(w, at(day(6), 1), "RecordSppaProceeding", {
      actDate: plusDays(d0, -3),
      proceeding: serious
        ? {
            stage: "investigation",
            threatenedPenaltyYears: 8,
            repeatOffence: false,
            diversionAttempted: false,
            outcome: "not-attempted",
            on: day(5)
          }
        : {
            stage: "investigation",
            threatenedPenaltyYears: 4,
            repeatOffence: false,
            diversionAttempted: true,
            outcome: "agreement",
            on: day(5)
          }
    })
  }
  if (underTwelve) {
    c.add(w, at(day(6), 1), "RecordPasal21Decision", {
      actDate: plusDays(d0, -3),
      decision: { _tag: "guidance", at: "uptd-puslansos-52", months: 6 }
    })
    // The decision goes to the court for its penetapan within 3 days (UU 11/2012 Pasal 21 ayat (2)).
    c.add(w, at(day(7), 2), "RecordPasal21CourtSubmission", { on: day(7) })
  }
  if (final === "assessment") return c

  c.add(w, at(day(7), 1), "CompleteAssessment")
  const items: ReadonlyArray<PlanItem> = korban
    ? [
        detailed
          ? {
              component: "therapy",
              goal: "Pemulihan trauma di Sentra Paramitha",
              responsible: "sentra-paramitha",
              setting: "residence-based"
            }
          : tinggi
            ? {
                component: "therapy",
                goal: "Pemulihan trauma di RPTC",
                responsible: "uptd-rptc-52",
                setting: "residence-based"
              }
            : { component: "therapy", goal: "Dukungan psikososial", responsible: "dinsos-52", setting: "family-based" },
        { component: "family-support", goal: "Menyiapkan keluarga", responsible: "dinsos-52", setting: "family-based" }
      ]
    : underTwelve
      ? [
          {
            component: "social-care-parenting",
            goal: "Pendidikan dan pembinaan (UU 11/2012 Pasal 21), paling lama 6 bulan",
            responsible: "uptd-puslansos-52",
            setting: "residence-based"
          }
        ]
      : pelaku
        ? [
            {
              component: "therapy",
              goal: serious ? "Pendampingan selama proses peradilan anak" : "Bimbingan pelaksanaan kesepakatan diversi",
              responsible: "dinsos-52",
              setting: "family-based"
            },
            {
              component: "family-support",
              goal: "Dukungan keluarga",
              responsible: "dinsos-52",
              setting: "family-based"
            }
          ]
        : row.key === "saksi"
          ? [
              {
                component: "therapy",
                goal: "Pendampingan sebagai anak saksi",
                responsible: "dinsos-52",
                setting: "family-based"
              }
            ]
          : row.key === "adopsi"
            ? [
                {
                  component: "social-care-parenting",
                  goal: "Pengasuhan sementara di LKSA",
                  responsible: "lksa-52.71",
                  setting: "residence-based"
                },
                {
                  component: "family-support",
                  goal: "Asesmen kelayakan calon orang tua angkat",
                  responsible: "dinsos-52",
                  setting: "family-based"
                }
              ]
            : [
                {
                  component: "therapy",
                  goal: "Konseling anak dan keluarga",
                  responsible: "dinsos-52",
                  setting: "family-based"
                },
                {
                  component: "family-support",
                  goal: "Kembali bersekolah; tidak ada perkawinan lanjutan",
                  responsible: "dinsos-52",
                  setting: "family-based"
                }
              ]
  const [first, ...rest] = items
  if (first === undefined) return c
  c.add(w, at(day(8), 1), "ProposePlan", {
    approval: "persetujuan-rencana",
    plan: { id: `rencana-${id}`, firstReviewOn: day(38), items: [first, ...rest] }
  })
  if (!rendah) {
    c.add(kabid, at(day(8), 4), "DecideApproval", {
      approval: "persetujuan-rencana",
      decision: "approved",
      reason: "Sesuai SOP"
    })
  }
  if (detailed) {
    // Puslansos has no place; Sentra Paramitha (Kemensos) takes the further rehabilitation.
    c.add(w, at(day(8), 5), "RequestReferral", {
      referral: "rujukan-puslansos",
      to: "uptd-puslansos-52",
      purpose: "rehabilitation",
      shares: ["summary", "classification", "risk", "plan"],
      legalBasis: { _tag: "consent", consent: "persetujuan-ibu" }
    })
    c.add("kepala-puslansos-ntb", at(day(8), 7), "UpdateReferral", {
      referral: "rujukan-puslansos",
      status: "declined",
      reason: "Belum ada tempat bulan ini"
    })
    c.add(w, at(day(8), 8), "RequestReferral", {
      referral: "rujukan-sentra-paramitha",
      to: "sentra-paramitha",
      purpose: "rehabilitation",
      shares: ["summary", "classification", "risk", "plan", "services"],
      legalBasis: { _tag: "consent", consent: "persetujuan-ibu" }
    })
    c.add("peksos-sentra-paramitha-1", at(day(9), 1), "UpdateReferral", {
      referral: "rujukan-sentra-paramitha",
      status: "accepted"
    })
    c.add(w, at(day(9), 2), "RequestPlacement", {
      placement: "penempatan-sentra-paramitha",
      setting: "sentra",
      facility: "sentra-paramitha",
      emergency: false,
      approval: "persetujuan-penempatan-sentra",
      reason: "Rehabilitasi residensial lanjutan"
    })
    c.add(kabid, at(day(9), 3), "DecideApproval", {
      approval: "persetujuan-penempatan-sentra",
      decision: "approved",
      reason: "Sentra Paramitha menerima rujukan"
    })
    c.add(w, at(day(9), 4), "EndPlacement", {
      placement: "penempatan-darurat-rptc",
      reason: "Pindah ke Sentra Paramitha"
    })
  }
  if (final === "planning") return c

  c.add(w, at(day(10), 1), "StartIntervention")
  c.add(detailed ? "peksos-sentra-paramitha-1" : w, at(day(14), 1), "RecordService", {
    component: first.component,
    provider: first.responsible,
    deliveredOn: day(14)
  })
  if (detailed || serious) {
    // Accompaniment in the children's court, with the peksos' social report: a service, not a referral (issue 11).
    c.add(w, at(day(22), 1), "RecordAccompaniment", {
      at: "pn-52.71",
      stage: "trial",
      on: day(22),
      socialReportOn: day(20)
    })
  }
  if (serious) {
    c.add(w, at(day(28), 1), "RecordSppaProceeding", {
      actDate: plusDays(d0, -3),
      proceeding: {
        stage: "trial",
        threatenedPenaltyYears: 8,
        repeatOffence: false,
        diversionAttempted: false,
        outcome: "not-attempted",
        on: day(27)
      }
    })
  }
  c.add(w, at(day(30), 1), "ReviewPlan", { outcome: "continue" })

  if (!past(final, "intervention")) return c

  if (tinggi) {
    c.add(w, at(day(40), 1), "EndPlacement", {
      placement: detailed ? "penempatan-sentra-paramitha" : "penempatan-darurat-rptc",
      reason: "Siap kembali ke keluarga"
    })
  }
  if (detailed) {
    c.add("peksos-sentra-paramitha-1", at(day(40), 2), "UpdateReferral", {
      referral: "rujukan-sentra-paramitha",
      status: "completed"
    })
  }
  c.add(w, at(day(45), 1), "StartReintegration", {
    reintegration: {
      // An adopted child goes to the adoptive family: adoption is not foster care.
      receiver: row.key === "adopsi" ? "adoptive-family" : "family",
      receiverAssessedOn: day(42),
      receiverSuitable: true,
      childViewRecordedOn: day(43),
      childAgrees: true
    }
  })
  if (!past(final, "reintegration")) return c

  if (tinggi) {
    c.add(w, at(day(60), 1), "RecordAssessment", {
      classification: {
        ampk: ["j"],
        ppks: [6],
        cluster: "children",
        sppaRole: "anak-korban",
        allegedPerpetrators: [perpetrators[i % perpetrators.length] ?? "unknown"]
      },
      factors: []
    })
  }
  c.add(w, at(day(61), 1), "RequestTermination", {
    reason: "goals-met",
    note: "Aman bersama keluarga",
    approval: "persetujuan-terminasi"
  })
  c.add(kabid, at(day(62), 1), "DecideApproval", {
    approval: "persetujuan-terminasi",
    decision: "approved",
    reason: "Tujuan rencana tercapai"
  })
  c.add(w, at(day(90), 1), "RecordFollowUp", { visitedOn: day(90), outcome: "stable" })
  if (!past(final, "aftercare")) return c

  c.add(w, at(day(150), 1), "CloseCase", { reason: "Stabil setelah bimbingan lanjut" })
  return c
}

interface AdultSpec {
  readonly key: string
  readonly group: Ppks.GroupCode
  readonly sex: "female" | "male"
  readonly age: number
  readonly region: string
  readonly d0: string
  readonly final: Depth
  readonly source: "agency" | "police" | "community"
  readonly factors: ReadonlyArray<"trafficking" | "sexual-violence">
  readonly perpetrator?: "other" | "partner"
  readonly second: PlanItem
  readonly worker: People.Id
}

const rptc: PlanItem = {
  component: "decent-living-support",
  goal: "Tempat tinggal sementara dan pemulihan kesehatan di RPTC",
  responsible: "uptd-rptc-52",
  setting: "residence-based"
}
const goHome = (goal: string): PlanItem => ({
  component: "social-assistance",
  goal,
  responsible: "dinsos-52",
  setting: "family-based"
})
const trauma: PlanItem = {
  component: "therapy",
  goal: "Pemulihan trauma",
  responsible: "uptd-rptc-52",
  setting: "residence-based"
}

const adults: ReadonlyArray<AdultSpec> = [
  {
    key: "pmi-01",
    group: "pekerja-migran-bermasalah",
    sex: "female",
    age: 34,
    region: "52.03",
    d0: "2023-03-06",
    final: "closed",
    source: "agency",
    factors: [],
    second: goHome("Pemulangan ke desa asal"),
    worker: "peksos-ntb-1"
  },
  {
    key: "pmi-02",
    group: "pekerja-migran-bermasalah",
    sex: "male",
    age: 28,
    region: "52.02",
    d0: "2024-02-12",
    final: "aftercare",
    source: "agency",
    factors: [],
    second: goHome("Pemulangan ke desa asal"),
    worker: "peksos-ntb-2"
  },
  {
    key: "kpo-01",
    group: "korban-perdagangan-orang",
    sex: "female",
    age: 22,
    region: "52.01",
    d0: "2023-06-05",
    final: "aftercare",
    source: "police",
    factors: ["trafficking"],
    perpetrator: "other",
    second: trauma,
    worker: "peksos-ntb-3"
  },
  {
    key: "telantar-01",
    group: "orang-telantar",
    sex: "male",
    age: 45,
    region: "52.71",
    d0: "2023-08-14",
    final: "closed",
    source: "community",
    factors: [],
    second: goHome("Pemulangan ke daerah asal di Pulau Jawa"),
    worker: "peksos-ntb-1"
  },
  {
    key: "telantar-02",
    group: "orang-telantar",
    sex: "female",
    age: 52,
    region: "52.71",
    d0: "2024-01-22",
    final: "aftercare",
    source: "community",
    factors: [],
    second: goHome("Pemulangan ke keluarga"),
    worker: "peksos-ntb-2"
  },
  {
    key: "telantar-03",
    group: "orang-telantar",
    sex: "male",
    age: 38,
    region: "52.71",
    d0: "2024-05-06",
    final: "intervention",
    source: "community",
    factors: [],
    second: goHome("Pemulangan ke daerah asal setelah pulih"),
    worker: "peksos-ntb-3"
  },
  {
    key: "odgj-01",
    group: "odgj-telantar",
    sex: "male",
    age: 41,
    region: "52.71",
    d0: "2023-10-09",
    final: "reintegration",
    source: "community",
    factors: [],
    second: {
      component: "therapy",
      goal: "Perawatan kesehatan jiwa",
      responsible: "uptd-rptc-52",
      setting: "residence-based"
    },
    worker: "peksos-ntb-1"
  },
  {
    key: "perempuan-01",
    group: "perempuan-korban-kekerasan-seksual",
    sex: "female",
    age: 27,
    region: "52.72",
    d0: "2024-04-15",
    final: "intervention",
    source: "police",
    factors: ["sexual-violence"],
    perpetrator: "partner",
    second: trauma,
    worker: "peksos-ntb-2"
  }
]

const adultCase = (a: AdultSpec): Script.CaseScript => {
  const c = Script.open({
    caseId: `003-ntb-${a.key}`,
    subject: `subjek-003-${a.key}`,
    finalStage: a.final,
    title: Ppks.mapGroup(a.group).label,
    identity: Script.fictional(`003-${a.key.toUpperCase()}`, "adult")
  })
  const w = a.worker
  const day = (n: number) => plusDays(a.d0, n)
  const tinggi = a.factors.length > 0
  const odgj = a.group === "odgj-telantar"
  c.add(intake, at(a.d0, 1), "RegisterReport", {
    subject: `subjek-003-${a.key}`,
    sex: a.sex,
    ageAtReport: a.age,
    region: a.region,
    owner: "dinsos-52",
    source: a.source,
    concerns: a.factors
  })
  c.add(kabid, at(a.d0, 1, 30), "AssignCaseworker", { caseworker: w })
  c.add(w, at(a.d0, 2), "StartOutreach")
  c.add(w, at(a.d0, 4), "RecordFirstContact")
  c.add(w, at(day(1), 1), "RecordAssessment", {
    classification: {
      ampk: [],
      ppks: Ppks.mapGroup(a.group).ppks,
      cluster: odgj ? "disability" : "tuna-sosial-trafficking",
      allegedPerpetrators: a.perpetrator === undefined ? [] : [a.perpetrator]
    },
    factors: a.factors
  })
  if (tinggi) {
    c.add(w, at(day(1), 2), "RecordSafetyPlan", {
      measures: ["separate-from-alleged-perpetrator", "medical-care", "psychological-first-aid"]
    })
  }
  c.add(w, at(day(2), 1), "CompleteAssessment")
  c.add(w, at(day(2), 2), "ProposePlan", {
    approval: "persetujuan-rencana",
    plan: { id: `rencana-${a.key}`, firstReviewOn: day(32), items: [rptc, a.second] }
  })
  if (tinggi) {
    c.add(kabid, at(day(2), 5), "DecideApproval", {
      approval: "persetujuan-rencana",
      decision: "approved",
      reason: "Sesuai SOP"
    })
  }
  c.add(w, at(day(2), 6), "RequestPlacement", {
    placement: "penempatan-rptc",
    setting: "rptc",
    facility: "uptd-rptc-52",
    emergency: false,
    approval: "persetujuan-penempatan",
    reason: "Pemulihan di RPTC sebelum dipulangkan"
  })
  c.add(kabid, at(day(2), 7), "DecideApproval", {
    approval: "persetujuan-penempatan",
    decision: "approved",
    reason: "Tempat tersedia"
  })
  c.add(w, at(day(3), 1), "StartIntervention")
  c.add(w, at(day(4), 1), "RecordService", {
    component: "decent-living-support",
    provider: "uptd-rptc-52",
    deliveredOn: day(4)
  })
  if (!past(a.final, "intervention")) return c

  if (odgj) {
    // Returned to his home province: after treatment he consents, and Dinas Sosial Jawa Timur accepts a referral
    // to receive him and continue his rehabilitation near his family. The case stays with Dinas Sosial NTB.
    c.add(w, at(day(20), 1), "RecordConsent", {
      consent: "persetujuan-sendiri",
      givenBy: "self",
      scope: ["summary", "classification", "plan", "services", "identity"]
    })
    c.add(w, at(day(21), 1), "RequestReferral", {
      referral: "rujukan-dinsos-jatim",
      to: "dinsos-35",
      purpose: "rehabilitation",
      shares: ["summary", "classification", "plan", "services", "identity"],
      legalBasis: { _tag: "consent", consent: "persetujuan-sendiri" }
    })
    c.add("kabid-rehsos-jatim", at(day(24), 1), "UpdateReferral", {
      referral: "rujukan-dinsos-jatim",
      status: "accepted",
      reason: "Keluarga ditemukan; diterima untuk pemulangan"
    })
    c.add(w, at(day(27), 1), "EndPlacement", { placement: "penempatan-rptc", reason: "Dipulangkan ke Jawa Timur" })
    c.add(w, at(day(28), 1), "StartReintegration", {
      reintegration: {
        receiver: "family",
        receiverAssessedOn: day(26),
        receiverSuitable: true,
        childViewRecordedOn: day(27),
        childAgrees: true
      }
    })
    return c
  }
  if (tinggi) {
    c.add(w, at(day(25), 1), "RecordAssessment", {
      classification: {
        ampk: [],
        ppks: Ppks.mapGroup(a.group).ppks,
        cluster: "tuna-sosial-trafficking",
        allegedPerpetrators: a.perpetrator === undefined ? [] : [a.perpetrator]
      },
      factors: []
    })
  }
  c.add(w, at(day(26), 1), "EndPlacement", { placement: "penempatan-rptc", reason: "Pulih" })
  c.add(w, at(day(27), 1), "StartReintegration", {
    reintegration: {
      receiver: "family",
      receiverAssessedOn: day(24),
      receiverSuitable: true,
      childViewRecordedOn: day(25),
      childAgrees: true
    }
  })
  if (!past(a.final, "reintegration")) return c

  c.add(w, at(day(30), 1), "RequestTermination", {
    reason: "goals-met",
    note: "Kembali ke keluarga",
    approval: "persetujuan-terminasi"
  })
  c.add(kabid, at(day(31), 1), "DecideApproval", {
    approval: "persetujuan-terminasi",
    decision: "approved",
    reason: "Tujuan rencana tercapai"
  })
  c.add(w, at(day(60), 1), "RecordFollowUp", { visitedOn: day(60), outcome: "stable" })
  if (!past(a.final, "aftercare")) return c

  c.add(w, at(day(90), 1), "CloseCase", { reason: "Stabil bersama keluarga" })
  return c
}

/** The child cases in report order: the rows taken in turn, so that every month has cases of each kind. */
const childCases = (): ReadonlyArray<Script.CaseScript> => {
  const scripts: Array<Script.CaseScript> = []
  const rounds = Math.max(...childTable.map((row) => row.cases))
  for (let i = 0; i < rounds; i++) {
    for (const row of childTable) if (i < row.cases) scripts.push(childCase(row, i, scripts.length))
  }
  return scripts
}

/** Every case of seed 003: adults first, then the child cases. */
export const cases = (): ReadonlyArray<Script.CaseScript> => [...adults.map(adultCase), ...childCases()]
