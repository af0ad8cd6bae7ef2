/**
 * The standard operating procedure (SOP) of a case as data: the stages, the transitions between them, the
 * twelve rules with their legal or policy basis, and the rules of the procedure itself. The decider moves a case
 * only along these transitions; `SopTable` adds what each command may do and generates the diagram and docs.
 *
 * Stages follow the rehabilitation stages of PP 39/2012 Pasal 7 ayat (2): pendekatan awal (outreach),
 * pengungkapan dan pemahaman masalah (assessment), penyusunan rencana pemecahan masalah (planning), pemecahan
 * masalah (intervention), resosialisasi (reintegration), terminasi (the approved end of intervention, which moves
 * the case to aftercare) and bimbingan lanjut (aftercare).
 *
 * @example
 * ```ts
 * import { Sop } from "@lindung/core"
 *
 * Sop.nextStages("planning") // ["intervention", "aftercare"]
 * Sop.rules["SOP-02"].basis // the legal and policy basis of SOP-02
 * ```
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Basis from "./Basis.js"
import type * as CaseCommand from "./CaseCommand.js"
import type * as CaseModel from "./CaseModel.js"

/** The stages of a case, in order. */
export const stages = [
  "reported",
  "outreach",
  "assessment",
  "planning",
  "intervention",
  "reintegration",
  "aftercare",
  "closed"
] as const

/** A stage of a case. */
export const Stage = Schema.Literals(stages).annotate({ identifier: "Stage", description: "A stage of the case SOP" })

/** See {@link Stage}. */
export type Stage = typeof Stage.Type

/** Labels of the stages, in Indonesian (PP 39/2012 Pasal 7 ayat (2)) and English. */
export const stageLabels: Readonly<Record<Stage, Basis.Label>> = {
  reported: Basis.label("Laporan diterima", "Reported"),
  outreach: Basis.label("Pendekatan awal", "Outreach"),
  assessment: Basis.label("Pengungkapan dan pemahaman masalah", "Assessment"),
  planning: Basis.label("Penyusunan rencana pemecahan masalah", "Case planning"),
  intervention: Basis.label("Pemecahan masalah", "Intervention"),
  reintegration: Basis.label("Resosialisasi", "Reintegration"),
  aftercare: Basis.label("Bimbingan lanjut", "Aftercare"),
  closed: Basis.label("Ditutup", "Closed")
}

/** Stages in which a case is open (everything but `closed`). */
export const isOpen = (stage: Stage): boolean => stage !== "closed"

/** Stages before intervention, in which emergency protection may be requested (docs/domain.md §6). */
export const preIntervention: ReadonlyArray<Stage> = ["reported", "outreach", "assessment", "planning"]

const pp39 = Basis.unverified(
  "PP 39/2012",
  "Pasal 7 ayat (2)",
  "the stages of social rehabilitation (huruf a checked against the text; the later items are not)"
)
const policy = (note: string) => Basis.policyDefault("Lindung SOP", undefined, note)

/** The ids of the twelve SOP rules. */
export const ruleIds = [
  "SOP-01",
  "SOP-02",
  "SOP-03",
  "SOP-04",
  "SOP-05",
  "SOP-06",
  "SOP-07",
  "SOP-08",
  "SOP-09",
  "SOP-10",
  "SOP-11",
  "SOP-12"
] as const

/** The id of an SOP rule. */
export const RuleId = Schema.Literals(ruleIds).annotate({ identifier: "SopRuleId" })

/** See {@link RuleId}. */
export type RuleId = typeof RuleId.Type

/** The twelve rules of the SOP (docs/domain.md §6), each with its basis. */
export const rules: Readonly<Record<RuleId, Basis.Rule>> = {
  "SOP-01": Basis.rule(
    "SOP-01",
    Basis.label(
      "Asesmen selesai hanya dengan kategori, tingkat risiko, dan rencana keselamatan untuk risiko tinggi",
      "A case leaves assessment only with a category, a risk level and, for tinggi, a safety plan"
    ),
    [pp39, Basis.verified("UU 35/2014", "Pasal 59A huruf a", "rapid handling"), policy("risk-based protection")]
  ),
  "SOP-02": Basis.rule(
    "SOP-02",
    Basis.label(
      "Intervensi dimulai hanya dari rencana kasus yang disetujui",
      "Intervention starts only from an approved case plan; sedang and tinggi plans need a supervisor's approval"
    ),
    [pp39, policy("supervisor approval of sedang and tinggi plans")]
  ),
  "SOP-03": Basis.rule(
    "SOP-03",
    Basis.label(
      "Empat mata: tidak ada yang menyetujui permintaannya sendiri",
      "Four eyes: no one approves their own request; the approver holds the approving office in the responsible agency"
    ),
    [
      policy("four-eyes principle"),
      policy("the approving office follows the structure of the Dinas (see the rule DINAS-APPROVER)")
    ]
  ),
  "SOP-04": Basis.rule(
    "SOP-04",
    Basis.label(
      "Terminasi memerlukan alasan dan persetujuan penyelia; tujuan tercapai hanya setelah intervensi dimulai",
      "Termination needs a reason and a supervisor's approval; a case ends as goals met only once its intervention has started, and a tinggi case only after a rendah reassessment"
    ),
    [Basis.unverified("PP 39/2012", "Pasal 7 ayat (2) huruf f", "terminasi"), policy("termination of high-risk cases")]
  ),
  "SOP-05": Basis.rule(
    "SOP-05",
    Basis.label(
      "Reintegrasi memerlukan asesmen penerima dan pendapat anak",
      "Reintegration needs an assessment of the receiving family or institution and the child's own view"
    ),
    [
      Basis.unverified("PP 39/2012", "Pasal 7 ayat (2) huruf e", "resosialisasi"),
      Basis.unverified("UU 23/2002", "Pasal 10", "the child's right to be heard"),
      Basis.unverified(
        "Keppres 36/1990",
        undefined,
        "ratification of the Convention on the Rights of the Child, Art. 12"
      )
    ]
  ),
  "SOP-06": Basis.rule(
    "SOP-06",
    Basis.label(
      "Berbagi data anak memerlukan dasar yang sah: persetujuan orang tua/wali, perintah pengadilan, kewajiban hukum, keadaan darurat atau tugas publik",
      "Sharing a child's data needs a lawful basis: a parent's or the wali's consent, or a recorded court order, legal obligation, emergency or public task"
    ),
    [
      Basis.verified("UU 27/2022", "Pasal 25", "children's personal data needs parental or guardian consent"),
      Basis.unverified(
        "UU 27/2022",
        "Pasal 20 ayat (2)",
        "the lawful bases of processing: consent, legal obligation, vital interests, public task (huruf a, c, d, e)"
      ),
      policy("an alleged perpetrator cannot consent (seed 000: abuse inside the family)")
    ]
  ),
  "SOP-07": Basis.rule(
    "SOP-07",
    Basis.label(
      "Hanya petugas dengan peran dan wilayah yang sesuai yang dapat bertindak",
      "Only an actor whose role and region allow it may act; a referral recipient sees only what is shared, while live"
    ),
    [
      Basis.verified("UU 11/2012", "Pasal 19", "identity of children in the justice system is secret"),
      Basis.unverified("UU 27/2022", "Pasal 35", "the controller protects and secures the personal data it processes"),
      policy("role, region and assignment scoping")
    ]
  ),
  "SOP-08": Basis.rule(
    "SOP-08",
    Basis.label(
      "Aturan SPPA: diversi, di bawah 12 tahun, penahanan",
      "SPPA: diversion when mandatory; under 12 only Pasal 21 decisions; no detention under 14 or below 7 years"
    ),
    [
      Basis.verified("UU 11/2012", "Pasal 7", "diversion"),
      Basis.unverified("UU 11/2012", "Pasal 21", "children under 12"),
      Basis.verified("UU 11/2012", "Pasal 32", "detention")
    ]
  ),
  "SOP-09": Basis.rule(
    "SOP-09",
    Basis.label(
      "Anak yang mencapai 18 tahun diserahkan atau diterminasi dengan alasan dewasa",
      "A person reaching 18 during a case is handed over or terminated with reason adult, not kept as a child case"
    ),
    [Basis.childUnder18]
  ),
  "SOP-10": Basis.rule(
    "SOP-10",
    Basis.label(
      "Kasus tertutup bersifat final kecuali dibuka kembali; riwayat hanya bertambah",
      "Closed is final except through reopen; history is append-only and records who, when, why and what"
    ),
    [
      policy("append-only case history"),
      Basis.unverified("UU 27/2022", "Pasal 31", "the controller keeps a record of every processing activity")
    ]
  ),
  "SOP-11": Basis.rule(
    "SOP-11",
    Basis.label(
      "Tenggat berasal dari kebijakan dan risiko; tenggat terlewat dieskalasi",
      "Every deadline derives from the policy and the current risk; a missed deadline escalates to the supervisor, then the head"
    ),
    [policy("deadlines and escalation (see Deadline)")]
  ),
  "SOP-12": Basis.rule(
    "SOP-12",
    Basis.label(
      "Memutar ulang peristiwa membangun ulang keadaan yang sama",
      "Replaying a case's events rebuilds exactly the state the commands produced"
    ),
    [policy("event-sourced case history")]
  )
}

/**
 * The ids of the rules of the procedure itself, beyond the twelve SOP rules: where a step may be taken, that a
 * case id names one case, that a command's values are well formed, two rules on emergency placement and
 * adults, the case conference and references to national data systems.
 */
export const procedureRuleIds = [
  "SOP-STAGE",
  "SOP-CASE-ID",
  "SOP-INPUT",
  "SOP-EMERGENCY-PLACEMENT",
  "SOP-ADULT-NO-AMPK",
  "SOP-CONFERENCE",
  "SOP-NATIONAL-REFERENCE",
  "SOP-ONE-TRANSFER"
] as const

/** The id of a rule of the procedure. */
export type ProcedureRuleId = (typeof procedureRuleIds)[number]

/** The rules of the procedure itself (see {@link procedureRuleIds}), each with its basis. */
export const procedureRules: { readonly [K in ProcedureRuleId]: Basis.Rule & { readonly id: K } } = {
  "SOP-STAGE": {
    id: "SOP-STAGE",
    title: Basis.label(
      "Setiap langkah hanya dilakukan pada tahap yang ditetapkan SOP",
      "Each step is taken only in the stages the SOP allows it in"
    ),
    basis: [
      Basis.unverified("PP 39/2012", "Pasal 7 ayat (2)", "the stages of social rehabilitation, in their order"),
      policy("which commands each stage allows (see docs/sop.md)")
    ]
  },
  "SOP-CASE-ID": {
    id: "SOP-CASE-ID",
    title: Basis.label(
      "Satu nomor kasus untuk satu kasus; setiap langkah lain memerlukan kasus yang terdaftar",
      "A case id is registered once, and every other step acts on a registered case"
    ),
    basis: [policy("append-only case history: a report opens a case, nothing else does (SOP-10)")]
  },
  "SOP-INPUT": {
    id: "SOP-INPUT",
    title: Basis.label(
      "Perintah membawa nilai yang sah dan konsisten",
      "A command carries well-formed, consistent values: known agencies, unused ids, no dates in the future"
    ),
    basis: [policy("a command that contradicts the record or itself is refused and changes nothing")]
  },
  "SOP-EMERGENCY-PLACEMENT": {
    id: "SOP-EMERGENCY-PLACEMENT",
    title: Basis.label(
      "Penempatan darurat hanya untuk anak berisiko tinggi sebelum intervensi, disetujui dalam 24 jam",
      "Emergency placement (safe house, RPTC, LPKS) only for a tinggi-risk child before intervention, approved within 24 hours"
    ),
    basis: [
      Basis.verified("UU 35/2014", "Pasal 59A huruf a", "rapid handling of AMPK"),
      policy("approval within 24 hours (see Deadline)")
    ]
  },
  "SOP-ADULT-NO-AMPK": {
    id: "SOP-ADULT-NO-AMPK",
    title: Basis.label("Orang dewasa tidak diklasifikasikan AMPK", "Adults get PPKS categories, never AMPK"),
    basis: [Basis.verified("UU 35/2014", "Pasal 59 ayat (2)", "AMPK are children")]
  },
  "SOP-NATIONAL-REFERENCE": {
    id: "SOP-NATIONAL-REFERENCE",
    title: Basis.label(
      "Kasus merujuk sistem data nasional hanya dengan nomor catatan sistem itu, bukan nomor identitas",
      "A case refers to a national data system only by that system's record id, never by an identity number"
    ),
    basis: [
      Basis.verified("UU 35/2014", "Pasal 59A huruf c", "social assistance for children of poor families"),
      policy("DTSEN, SIMFONI-PPA and SIKS-NG references are opaque ids; a NIK or KK number stays in the identity vault")
    ]
  },
  "SOP-CONFERENCE": {
    id: "SOP-CONFERENCE",
    title: Basis.label(
      "Konferensi kasus bersifat multidisiplin; setiap tindak lanjut dimiliki lembaga yang hadir",
      "A case conference is multidisciplinary; each follow-up is owned by an agency that took part"
    ),
    basis: [
      Basis.unverified(
        "PP 59/2019",
        undefined,
        "Penyelenggaraan Koordinasi Perlindungan Anak: child protection coordinated across sectors (seed 004)"
      ),
      policy(
        "PKSAI practice (docs/domain.md §1): an integrated, cross-sector case conference decides the plan and referrals; its follow-ups have owners and dates"
      )
    ]
  },
  "SOP-ONE-TRANSFER": {
    id: "SOP-ONE-TRANSFER",
    title: Basis.label(
      "Satu kasus dimiliki satu lembaga: paling banyak satu alih kelola menunggu jawaban",
      "A case has one owner: at most one transfer waits for an answer at a time"
    ),
    basis: [
      policy(
        "a case is owned by one agency; a second transfer waits until the first is accepted, declined or withdrawn"
      )
    ]
  }
}

/**
 * A rule a rejection or an event may cite: an SOP rule or a procedure rule by id, or a rule of a domain module
 * (`Risk.rule`, `Sppa.rule`) as a record. Ids are typed: a misspelled id does not compile.
 */
export type RuleRef = RuleId | ProcedureRuleId | Basis.Rule

/** The rule record of a {@link RuleRef}. */
export const ruleOf = (ref: RuleRef): Basis.Rule => (typeof ref === "string" ? rulesById[ref] : ref)

const rulesById: Readonly<Record<RuleId | ProcedureRuleId, Basis.Rule>> = { ...rules, ...procedureRules }

/**
 * What moves a case along a transition: a command (typed by its tag: a misspelled command does not compile), or
 * the approval of a request (typed by the approval subject's tag).
 */
export type Trigger =
  | { readonly kind: "command"; readonly command: CaseCommand.Type }
  | { readonly kind: "approval"; readonly subject: CaseModel.ApprovalSubject["_tag"] }

/** The ids of the transitions of the SOP. */
export type TransitionId =
  | "start-outreach"
  | "reach-child"
  | "complete-assessment"
  | "start-intervention"
  | "start-reintegration"
  | "terminate"
  | "close"
  | "close-early"
  | "reopen"
  | "reopen-unreached"

/** A transition of the SOP. */
export interface Transition {
  readonly id: TransitionId
  readonly from: ReadonlyArray<Stage>
  readonly to: Stage
  readonly trigger: Trigger
  readonly rules: ReadonlyArray<RuleId>
  readonly label: Basis.Label
}

const command = (name: CaseCommand.Type): Trigger => ({ kind: "command", command: name })
const approval = (subject: CaseModel.ApprovalSubject["_tag"]): Trigger => ({ kind: "approval", subject })

/** The transitions of the SOP by id: every `TransitionId` has exactly one (checked by the compiler). */
export const transitionsById: { readonly [K in TransitionId]: Transition & { readonly id: K } } = {
  "start-outreach": {
    id: "start-outreach",
    from: ["reported"],
    to: "outreach",
    trigger: command("StartOutreach"),
    rules: ["SOP-07"],
    label: Basis.label("Mulai pendekatan awal", "Start outreach")
  },
  "reach-child": {
    id: "reach-child",
    from: ["outreach"],
    to: "assessment",
    trigger: command("RecordFirstContact"),
    rules: ["SOP-07", "SOP-11"],
    label: Basis.label("Anak dijangkau", "Child reached")
  },
  "complete-assessment": {
    id: "complete-assessment",
    from: ["assessment"],
    to: "planning",
    trigger: command("CompleteAssessment"),
    rules: ["SOP-01"],
    label: Basis.label("Asesmen selesai", "Assessment completed")
  },
  "start-intervention": {
    id: "start-intervention",
    from: ["planning"],
    to: "intervention",
    trigger: command("StartIntervention"),
    rules: ["SOP-02"],
    label: Basis.label("Mulai intervensi", "Start intervention")
  },
  "start-reintegration": {
    id: "start-reintegration",
    from: ["intervention"],
    to: "reintegration",
    trigger: command("StartReintegration"),
    rules: ["SOP-05"],
    label: Basis.label("Mulai resosialisasi", "Start reintegration")
  },
  terminate: {
    id: "terminate",
    from: ["planning", "intervention", "reintegration"],
    to: "aftercare",
    trigger: approval("termination"),
    rules: ["SOP-04", "SOP-03", "SOP-09"],
    label: Basis.label("Terminasi disetujui", "Termination approved")
  },
  close: {
    id: "close",
    from: ["aftercare"],
    to: "closed",
    trigger: command("CloseCase"),
    rules: ["SOP-10"],
    label: Basis.label("Kasus ditutup", "Case closed")
  },
  "close-early": {
    id: "close-early",
    from: ["reported", "outreach", "assessment"],
    to: "closed",
    trigger: approval("early-closure"),
    rules: ["SOP-03", "SOP-10"],
    label: Basis.label("Penutupan dini disetujui", "Early closure approved")
  },
  reopen: {
    id: "reopen",
    from: ["aftercare", "closed"],
    to: "assessment",
    trigger: command("ReopenCase"),
    rules: ["SOP-10"],
    label: Basis.label("Kasus dibuka kembali", "Case reopened")
  },
  // A case closed early before the child was reached (a duplicate, a child not found) reopens to outreach: the child
  // is reached first, under the first-contact deadline again, before anyone assesses.
  "reopen-unreached": {
    id: "reopen-unreached",
    from: ["closed"],
    to: "outreach",
    trigger: command("ReopenCase"),
    rules: ["SOP-10", "SOP-11"],
    label: Basis.label("Kasus dibuka kembali, anak belum dijangkau", "Case reopened, child not yet reached")
  }
}

/** The transitions that reopen a case: it is assessed and planned anew (`Case.Case.reopening`). */
export const reopenings: ReadonlySet<TransitionId> = new Set<TransitionId>(["reopen", "reopen-unreached"])

/** Every transition of the SOP, in SOP order. The decider moves a case only along these. */
export const transitions: ReadonlyArray<Transition> = Object.values(transitionsById)

/** The transition with an id. */
export const transition = (id: TransitionId): Transition => transitionsById[id]

/**
 * The transition a trigger takes from a stage, if any: the first in SOP order. `ReopenCase` from `closed` has two —
 * `reopen`, and `reopen-unreached` for a case closed before the child was reached — and the decider picks by the case
 * (see {@link transitionsFrom} for all of them).
 */
export const transitionFor = (from: Stage, trigger: Trigger): Transition | undefined =>
  transitionsFrom(from, trigger)[0]

/** Every transition a trigger may take from a stage, in SOP order. */
export const transitionsFrom = (from: Stage, trigger: Trigger): ReadonlyArray<Transition> =>
  transitions.filter(
    (t) =>
      t.from.includes(from) &&
      t.trigger.kind === trigger.kind &&
      (t.trigger.kind === "command"
        ? trigger.kind === "command" && t.trigger.command === trigger.command
        : trigger.kind === "approval" && t.trigger.subject === trigger.subject)
  )

/** The stages reachable from a stage in one transition, in SOP order. */
export const nextStages = (from: Stage): ReadonlyArray<Stage> =>
  stages.filter((stage) => transitions.some((t) => t.from.includes(from) && t.to === stage))
