/**
 * Agencies that own, receive or serve a case: Dinas Sosial of a kabupaten/kota or provinsi, Kemensos service
 * units (Sentra), UPTD and LPKS, the UPTD PPA and DP3A of women's and child protection, the juvenile-justice chain
 * (police, prosecutor, court, Bapas, LPAS, LPKA), partners (LPA, schools) and other sectors (education, Dukcapil,
 * labour, health, religious affairs). Each kind has its {@link duties}, with their basis. An agency has a region: the Kemendagri code it serves, or `ID` for a
 * national unit of Kemensos. Jurisdiction and access are prefix checks on it.
 *
 * @example
 * ```ts
 * import { Agency, Region } from "@lindung/core"
 *
 * const dinsosPadang = Agency.make({
 *   id: "dinsos-13.71", kind: "dinsos", name: "Dinas Sosial Kota Padang",
 *   region: Region.decodeSync("13.71"), dinasType: "A"
 * })
 * Agency.serves(dinsosPadang, Region.decodeSync("13.71.01")) // true
 * ```
 *
 * @since 0.1.0
 */
import { type Brand, Schema } from "effect"
import * as Basis from "./Basis.js"
import * as Id from "./Id.js"
import * as Region from "./Region.js"
import * as Sppa from "./Sppa.js"

/** A stable agency identifier chosen by the deployment (e.g. `dinsos-13.71`): an {@link Id.Id}. */
export const AgencyId = Id.Id.pipe(
  Schema.brand("AgencyId"),
  Schema.annotate({
    identifier: "AgencyId",
    description: "A stable agency identifier chosen by the deployment",
    examples: ["dinsos-13.71" as string & Brand.Brand<"AgencyId">]
  })
)

/** See {@link AgencyId}. */
export type AgencyId = typeof AgencyId.Type

/** The kinds of agency a case meets, with labels. */
export const kinds = {
  dinsos: Basis.label("Dinas Sosial", "Regional social affairs office"),
  sentra: Basis.label("Sentra Kemensos", "Kemensos national service unit"),
  uptd: Basis.label("UPTD", "Regional technical unit (e.g. children's home, RPTC)"),
  "uptd-ppa": Basis.label(
    "UPTD PPA (Perlindungan Perempuan dan Anak)",
    "Regional unit for the protection of women and children (formerly P2TP2A)"
  ),
  dp3a: Basis.label(
    "DP3A (Dinas Pemberdayaan Perempuan dan Perlindungan Anak)",
    "Regional office for women's empowerment and child protection"
  ),
  lpks: Basis.label("LPKS", "Social welfare institution (temporary placement)"),
  lksa: Basis.label("LKSA", "Community child-care institution"),
  lpa: Basis.label("LPA", "Child protection NGO"),
  police: Basis.label("Kepolisian (UPPA)", "Police women and children unit"),
  prosecutor: Basis.label("Kejaksaan (Penuntut Umum)", "Public prosecutor"),
  court: Basis.label("Pengadilan", "Court"),
  bapas: Basis.label("Bapas (Balai Pemasyarakatan)", "Probation office: Pembimbing Kemasyarakatan, Litmas"),
  lpas: Basis.label("LPAS (Lembaga Penempatan Anak Sementara)", "Where a child is held during proceedings"),
  lpka: Basis.label("LPKA (Lembaga Pembinaan Khusus Anak)", "Where a child serves a sentence of imprisonment"),
  school: Basis.label("Sekolah", "School"),
  education: Basis.label("Dinas Pendidikan", "Education office"),
  dukcapil: Basis.label("Dukcapil", "Civil registry"),
  labour: Basis.label("Disnaker", "Labour office"),
  health: Basis.label("Fasilitas kesehatan", "Health service"),
  "religious-affairs": Basis.label("Kemenag", "Religious affairs office"),
  "community-leader": Basis.label("Tokoh agama dan masyarakat", "Religious and community leaders"),
  inspectorate: Basis.label(
    "Inspektorat (Inspektorat Jenderal Kemensos, Inspektorat daerah)",
    "Internal oversight: audits the social-affairs agencies of its region"
  ),
  other: Basis.label("Lainnya", "Other")
} as const

/** What an agency does for a child in a case, with labels. */
export const dutyLabels = {
  complaints: Basis.label("Pengaduan masyarakat", "Complaints from the public"),
  outreach: Basis.label("Penjangkauan", "Outreach to the child"),
  "case-management": Basis.label("Pengelolaan kasus", "Case management"),
  shelter: Basis.label("Penampungan sementara", "Temporary shelter"),
  mediation: Basis.label("Mediasi", "Mediation"),
  accompaniment: Basis.label("Pendampingan", "Accompaniment (at the police, the prosecutor and the court)"),
  rehabilitation: Basis.label("Rehabilitasi sosial", "Social rehabilitation"),
  "social-report": Basis.label("Laporan sosial", "Social report of a professional social worker"),
  "community-research": Basis.label(
    "Penelitian Kemasyarakatan (Litmas)",
    "Community research report of a Pembimbing Kemasyarakatan"
  ),
  investigation: Basis.label("Penyidikan", "Investigation"),
  prosecution: Basis.label("Penuntutan", "Prosecution"),
  adjudication: Basis.label("Pemeriksaan di sidang pengadilan", "Trial and court orders"),
  detention: Basis.label("Penahanan Anak", "Holding a child during proceedings"),
  "sentence-of-imprisonment": Basis.label("Pembinaan Anak yang dipidana penjara", "A child's imprisonment"),
  "policy-and-coordination": Basis.label("Kebijakan dan koordinasi", "Policy and coordination")
} as const

/** A duty of an agency. */
export type Duty = keyof typeof dutyLabels

/**
 * What each kind of agency does for a child, with the basis: the case-management kinds own cases; the juvenile
 * justice kinds take the roles UU 11/2012 gives them. The UPTD PPA's six services are those Permen PPPA 4/2018 is
 * reported to list (its operative text was not read: unverified).
 */
export const duties: {
  readonly [K in Kind]: { readonly does: ReadonlyArray<Duty>; readonly basis: ReadonlyArray<Basis.Basis> }
} = {
  dinsos: { does: ["case-management", "outreach", "rehabilitation", "social-report", "accompaniment"], basis: [] },
  sentra: { does: ["case-management", "outreach", "rehabilitation", "social-report", "accompaniment"], basis: [] },
  uptd: { does: ["case-management", "rehabilitation", "shelter", "social-report"], basis: [] },
  "uptd-ppa": {
    does: ["complaints", "outreach", "case-management", "shelter", "mediation", "accompaniment"],
    basis: [
      Basis.unverified(
        "Permen PPPA 4/2018",
        "Pedoman Pembentukan UPTD PPA",
        "services for women and children victims of violence: complaints, outreach, case management, temporary shelter, mediation and accompaniment (secondary sources)"
      )
    ]
  },
  dp3a: { does: ["policy-and-coordination"], basis: [] },
  lpks: {
    does: ["shelter", "rehabilitation", "detention"],
    basis: [Sppa.transcribed("Pasal 33 ayat (5)", "where there is no LPAS, a child may be detained at the local LPKS")]
  },
  lksa: { does: ["shelter"], basis: [] },
  lpa: { does: ["complaints", "accompaniment", "mediation"], basis: [] },
  police: {
    does: ["complaints", "investigation"],
    basis: [
      Sppa.transcribed("Pasal 27 ayat (3)", "the investigator asks a social report for a child victim or witness")
    ]
  },
  prosecutor: { does: ["prosecution"], basis: [Sppa.transcribed("Pasal 42", "the prosecutor attempts diversion")] },
  court: { does: ["adjudication"], basis: [Sppa.transcribed("Pasal 52", "the judge attempts diversion")] },
  bapas: {
    does: ["community-research", "accompaniment"],
    basis: [Sppa.transcribed("Pasal 28", "Bapas hands the Litmas to the investigator within 3 x 24 hours")]
  },
  lpas: { does: ["detention"], basis: [Sppa.transcribed("Pasal 33 ayat (4)", "a child is detained at an LPAS")] },
  lpka: {
    does: ["sentence-of-imprisonment"],
    basis: [Sppa.transcribed("Pasal 85 ayat (1)", "a child sentenced to imprisonment is placed at an LPKA")]
  },
  school: { does: [], basis: [] },
  education: { does: [], basis: [] },
  dukcapil: { does: [], basis: [] },
  labour: { does: [], basis: [] },
  health: { does: [], basis: [] },
  "religious-affairs": { does: [], basis: [] },
  "community-leader": { does: [], basis: [] },
  inspectorate: { does: [], basis: [] },
  other: { does: [], basis: [] }
}

/** Whether an agency of this kind does `what`. */
export const does = (agency: Pick<Agency, "kind">, what: Duty): boolean => duties[agency.kind].does.includes(what)

/** The kind of an agency. */
export const Kind = Schema.Literals(Object.keys(kinds) as Array<keyof typeof kinds>).annotate({
  identifier: "AgencyKind"
})

/** See {@link Kind}. */
export type Kind = typeof Kind.Type

/** The region an agency serves: a Kemendagri code, or `ID` for a national unit (Kemensos). */
export const Scope = Schema.Union([Region.RegionCode, Schema.Literal("ID")]).annotate({
  identifier: "AgencyScope",
  description: "A Kemendagri region code, or ID for a national unit"
})

/** See {@link Scope}. */
export type Scope = typeof Scope.Type

/** The type of a Dinas Sosial (Permensos 14/2016): A, B, C, or merged into another dinas. */
export const DinasTypeCode = Schema.Literals(["A", "B", "C", "merged"]).annotate({ identifier: "DinasTypeCode" })

/** See {@link DinasTypeCode}. */
export type DinasTypeCode = typeof DinasTypeCode.Type

/** An agency. `dinasType` is set for a Dinas Sosial and decides who approves rehabilitation decisions. */
export const Agency = Schema.Struct({
  id: AgencyId,
  kind: Kind,
  name: Schema.NonEmptyString,
  region: Scope,
  dinasType: Schema.optionalKey(DinasTypeCode)
}).annotate({ identifier: "Agency" })

/** See {@link Agency}. */
export type Agency = typeof Agency.Type

/** Builds an agency from plain values, checking them (throws on bad input: for fixtures and configuration). */
export const make = (input: {
  readonly id: string
  readonly kind: Kind
  readonly name: string
  readonly region: string
  readonly dinasType?: DinasTypeCode
}): Agency => Schema.decodeUnknownSync(Agency)(input)

/** Whether an agency's region contains a region (a national unit serves every region). */
export const serves = (agency: Pick<Agency, "region">, region: Region.RegionCode): boolean =>
  agency.region === "ID" || Region.contains(agency.region, region)

/**
 * Whether an agency can own a case: one that manages cases — a Dinas Sosial, a Sentra, a UPTD or a UPTD PPA (the
 * UPTD PPA manages cases of violence against women and children).
 */
export const canOwnCases = (agency: Pick<Agency, "kind">): boolean => does(agency, "case-management")

/**
 * Whether an agency is part of government social affairs — a Dinas Sosial, a Sentra or a UPTD — whose supervisors
 * and heads read the cases of their region (a UPTD PPA reads the cases it owns or is referred).
 */
export const isSocialAffairs = (agency: Pick<Agency, "kind">): boolean =>
  agency.kind === "dinsos" || agency.kind === "sentra" || agency.kind === "uptd"

/**
 * Whether the agency's auditors read cases by region (`Access`): a social-affairs agency's, or an inspectorate's
 * (internal oversight). An auditor's role given to a person of another kind of agency (an LPA, the police) reads
 * nothing by region.
 */
export const audits = (agency: Pick<Agency, "kind">): boolean =>
  isSocialAffairs(agency) || agency.kind === "inspectorate"

/** The label of what can own a case, for messages. */
export const ownersLabel = "a Dinas Sosial, a Sentra, a UPTD or a UPTD PPA"

/** A read-only directory of the agencies a deployment knows, passed to the decider in its context. */
export type Directory = ReadonlyMap<AgencyId, Agency>

/** Builds a {@link Directory} from a list. */
export const directory = (agencies: Iterable<Agency>): Directory => new Map([...agencies].map((a) => [a.id, a]))
