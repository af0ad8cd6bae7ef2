/**
 * The port for identities, kept apart from the case history: stored encrypted at rest by the adapter, readable
 * only through this port (and only for actors `Access` allows, through the case service), and erasable. Erasure
 * (UU 27/2022: the data subject's right to deletion) leaves every event and the history intact and the identity
 * unrecoverable: `get` answers `IdentityErased` afterwards.
 *
 * The vault also keeps the identity access trail: every store, read, replacement, erasure and link of an identity is
 * recorded (who, in which role and agency, through which case, for which declared {@link Purpose}, when) before it
 * happens. The trail holds no identity — only pseudonymous ids and codes.
 *
 * @since 0.1.0
 */
import { Context, type Effect, Schema } from "effect"
import * as Actor from "./Actor.js"
import * as Agency from "./Agency.js"
import * as Basis from "./Basis.js"
import * as CaseModel from "./CaseModel.js"
import type * as StorageError from "./StorageError.js"
import * as Subject from "./Subject.js"

/** Why an identity is read or changed: the caller must declare one, and the access trail records it. */
export const purposes = {
  assessment: Basis.label("Asesmen", "Assessment"),
  "service-delivery": Basis.label("Pemberian layanan", "Service delivery"),
  "family-tracing": Basis.label("Penelusuran keluarga", "Family tracing"),
  referral: Basis.label("Rujukan", "Referral"),
  "court-accompaniment": Basis.label("Pendampingan peradilan", "Court accompaniment"),
  "civil-registration": Basis.label("Administrasi kependudukan", "Civil registration"),
  "identity-correction": Basis.label("Perbaikan identitas", "Identity correction"),
  "data-subject-request": Basis.label("Permintaan subjek data (UU 27/2022)", "Data subject request (UU 27/2022)"),
  "duplicate-check": Basis.label("Pemeriksaan kasus ganda", "Duplicate-case check"),
  registration: Basis.label("Pencatatan laporan", "Registration of a report")
} as const

/** A declared purpose of an identity access. */
export const Purpose = Schema.Literals(Object.keys(purposes) as Array<keyof typeof purposes>).annotate({
  identifier: "IdentityPurpose",
  description: "Why an identity is read or changed"
})

/** See {@link Purpose}. */
export type Purpose = typeof Purpose.Type

/**
 * The purposes a caller may declare: every purpose but `registration`, which the case service records itself when
 * a report stores or links an identity.
 */
export const DeclaredPurpose = Schema.Literals(
  (Object.keys(purposes) as Array<keyof typeof purposes>).filter(
    (purpose): purpose is Exclude<keyof typeof purposes, "registration"> => purpose !== "registration"
  )
).annotate({ identifier: "IdentityDeclaredPurpose", description: "Why a caller reads or changes an identity" })

/** See {@link DeclaredPurpose}. */
export type DeclaredPurpose = typeof DeclaredPurpose.Type

/** What was done with an identity. */
export const Operation = Schema.Literals(["store", "read", "replace", "erase", "link"]).annotate({
  identifier: "IdentityOperation"
})

/** See {@link Operation}. */
export type Operation = typeof Operation.Type

/** One entry of the identity access trail. Holds no identity: ids, codes and the instant only. */
export const AccessRecord = Schema.Struct({
  subject: Subject.SubjectId,
  /** The case through which the identity was reached. */
  caseId: CaseModel.CaseId,
  actor: Actor.ActorId,
  role: Actor.Role,
  agency: Agency.AgencyId,
  operation: Operation,
  purpose: Purpose,
  at: Schema.DateTimeUtcFromString
}).annotate({ identifier: "IdentityAccessRecord", description: "Who reached an identity, through which case, why" })

/** See {@link AccessRecord}. */
export type AccessRecord = typeof AccessRecord.Type

/** The operations of the {@link IdentityVault} port: what an adapter implements and a caller may use. */
export interface IdentityVaultShape {
  /** Stores (or replaces) the identity of a subject. */
  readonly put: (
    subject: Subject.SubjectId,
    identity: Subject.Identity
  ) => Effect.Effect<void, StorageError.StorageUnavailable>
  /** The identity of a subject. */
  readonly get: (
    subject: Subject.SubjectId
  ) => Effect.Effect<
    Subject.Identity,
    StorageError.NotFound | StorageError.IdentityErased | StorageError.StorageUnavailable | StorageError.CorruptedRecord
  >
  /** Erases the identity of a subject for good; the subject id and every event remain. */
  readonly erase: (
    subject: Subject.SubjectId
  ) => Effect.Effect<void, StorageError.NotFound | StorageError.StorageUnavailable>
  /** Appends one entry to the access trail (durably, before the access it records happens). */
  readonly record: (access: AccessRecord) => Effect.Effect<void, StorageError.StorageUnavailable>
  /** The access trail of a subject, oldest first. */
  readonly accesses: (
    subject: Subject.SubjectId
  ) => Effect.Effect<ReadonlyArray<AccessRecord>, StorageError.StorageUnavailable | StorageError.CorruptedRecord>
}

/** The port, as an Effect service: its operations are those of {@link IdentityVaultShape}. */
export class IdentityVault extends Context.Service<IdentityVault, IdentityVaultShape>()(
  "@lindung/core/IdentityVault"
) {}
