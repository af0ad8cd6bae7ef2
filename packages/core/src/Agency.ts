/**
 * Agencies that own, receive or serve a case: Dinas Sosial of a kabupaten/kota or provinsi, Kemensos service
 * units (Sentra), UPTD and LPKS, partners (LPA, schools, police UPPA) and other sectors (education, Dukcapil,
 * labour, health, religious affairs). An agency has a region: the Kemendagri code it serves, or `ID` for a
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
import { Schema } from "effect"
import * as Basis from "./Basis.js"
import * as Id from "./Id.js"
import * as Region from "./Region.js"

/** A stable agency identifier chosen by the deployment (e.g. `dinsos-13.71`): an {@link Id.Id}. */
export const AgencyId = Id.Id.pipe(
  Schema.brand("AgencyId"),
  Schema.annotate({ identifier: "AgencyId", description: "A stable agency identifier chosen by the deployment" })
)

/** See {@link AgencyId}. */
export type AgencyId = typeof AgencyId.Type

/** The kinds of agency a case meets, with labels. */
export const kinds = {
  dinsos: Basis.label("Dinas Sosial", "Regional social affairs office"),
  sentra: Basis.label("Sentra Kemensos", "Kemensos national service unit"),
  uptd: Basis.label("UPTD", "Regional technical unit (e.g. children's home, RPTC)"),
  lpks: Basis.label("LPKS", "Social welfare institution (temporary placement)"),
  lksa: Basis.label("LKSA", "Community child-care institution"),
  lpa: Basis.label("LPA", "Child protection NGO"),
  police: Basis.label("Kepolisian (UPPA)", "Police women and children unit"),
  court: Basis.label("Pengadilan", "Court"),
  school: Basis.label("Sekolah", "School"),
  education: Basis.label("Dinas Pendidikan", "Education office"),
  dukcapil: Basis.label("Dukcapil", "Civil registry"),
  labour: Basis.label("Disnaker", "Labour office"),
  health: Basis.label("Fasilitas kesehatan", "Health service"),
  "religious-affairs": Basis.label("Kemenag", "Religious affairs office"),
  "community-leader": Basis.label("Tokoh agama dan masyarakat", "Religious and community leaders"),
  other: Basis.label("Lainnya", "Other")
} as const

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

/** Whether an agency is part of government social affairs (can own a case): Dinas Sosial, Sentra or UPTD. */
export const canOwnCases = (agency: Pick<Agency, "kind">): boolean =>
  agency.kind === "dinsos" || agency.kind === "sentra" || agency.kind === "uptd"

/** A read-only directory of the agencies a deployment knows, passed to the decider in its context. */
export type Directory = ReadonlyMap<AgencyId, Agency>

/** Builds a {@link Directory} from a list. */
export const directory = (agencies: Iterable<Agency>): Directory => new Map([...agencies].map((a) => [a.id, a]))
