/**
 * Who acts on a case: a person with a role in an agency. Every event records its actor (id, role, agency and the
 * agency's region), and access is decided by role × region × assignment × live referral (see `Access`).
 *
 * Roles (docs/domain.md §7): intake officer, caseworker (peksos, Sakti Peksos), supervisor (Kasi/Kabid), head of the
 * dinas (Kadis), partner (LPA, school, police liaison: a limited view), auditor (read-only, sees history) and
 * administrator (manages users, sees no case content); `system` is the scheduler that checks deadlines. A supervisor's or head's `position` says which office
 * they hold, because the approving office depends on the Dinas type (see `DinasType`).
 *
 * @since 0.1.0
 */
import { type Brand, Schema } from "effect"
import * as Agency from "./Agency.js"
import * as Basis from "./Basis.js"
import * as Id from "./Id.js"

/** A stable person identifier chosen by the deployment (never a name or a NIK): an {@link Id.Id}. */
export const ActorId = Id.Id.pipe(
  Schema.brand("ActorId"),
  Schema.annotate({
    identifier: "ActorId",
    description: "A stable, pseudonymous person identifier",
    examples: ["sakti-peksos-padang-1" as string & Brand.Brand<"ActorId">]
  })
)

/** See {@link ActorId}. */
export type ActorId = typeof ActorId.Type

/** The roles and their labels. */
export const roles = {
  "intake-officer": Basis.label("Petugas penerimaan laporan", "Intake officer"),
  caseworker: Basis.label("Pekerja sosial (peksos)", "Caseworker"),
  supervisor: Basis.label("Penyelia (Kasi/Kabid)", "Supervisor"),
  "head-of-dinas": Basis.label("Kepala Dinas", "Head of the dinas"),
  partner: Basis.label("Mitra (LPA, sekolah, kepolisian)", "Partner"),
  auditor: Basis.label("Auditor", "Auditor"),
  administrator: Basis.label("Administrator", "Administrator"),
  system: Basis.label("Sistem (penjadwal)", "System (scheduler)")
} as const

/** A role. */
export const Role = Schema.Literals(Object.keys(roles) as Array<keyof typeof roles>).annotate({ identifier: "Role" })

/** See {@link Role}. */
export type Role = typeof Role.Type

/**
 * The offices a supervisor or head may hold: the structural roles of a Dinas Sosial (`DinasType.Role`) and the
 * head of a Kemensos Sentra, UPT or UPTD. The approving office depends on the Dinas type.
 */
export const positions = {
  kasi: Basis.label("Kepala Seksi", "Head of section"),
  kabid: Basis.label("Kepala Bidang", "Head of division"),
  "kabid-rehsos": Basis.label("Kepala Bidang Rehabilitasi Sosial", "Head of the social rehabilitation division"),
  sekretaris: Basis.label("Sekretaris Dinas", "Secretary of the dinas"),
  kadis: Basis.label("Kepala Dinas", "Head of the dinas"),
  "kepala-unit": Basis.label("Kepala Sentra/UPT/UPTD", "Head of a Kemensos unit, UPT or UPTD")
} as const

/** An office. */
export const Position = Schema.Literals(Object.keys(positions) as Array<keyof typeof positions>).annotate({
  identifier: "Position"
})

/** See {@link Position}. */
export type Position = typeof Position.Type

/**
 * The bidang (division) a Kepala Bidang heads: the code of a bidang of its Dinas's structure
 * (`DinasType.Bidang.code`, e.g. `rehabilitasi-perlindungan-jaminan-sosial`). Where rehabilitation shares a bidang
 * (type C and merged under the default structures), only the head of that bidang approves (DINAS-APPROVER), not every
 * Kabid.
 */
export const BidangCode = Schema.NonEmptyString.pipe(Schema.check(Schema.isMaxLength(100))).annotate({
  identifier: "BidangCode",
  description: "The code of the bidang a Kepala Bidang heads, from the Dinas's structure"
})

/** A person acting on a case. Carries no name: events and logs only ever see this. */
export const Actor = Schema.Struct({
  id: ActorId,
  role: Role,
  position: Schema.optionalKey(Position),
  /** For a Kepala Bidang (`position: "kabid"`): the bidang they head. */
  bidang: Schema.optionalKey(BidangCode),
  agency: Agency.AgencyId,
  region: Agency.Scope
}).annotate({ identifier: "Actor", description: "A person acting on a case: id, role, office, agency and region" })

/** See {@link Actor}. */
export type Actor = typeof Actor.Type

/** Builds an actor from plain values, checking them (throws on bad input: for fixtures and configuration). */
export const make = (input: {
  readonly id: string
  readonly role: Role
  readonly position?: Position
  readonly bidang?: string
  readonly agency: string
  readonly region: string
}): Actor => Schema.decodeUnknownSync(Actor)(input)
