/**
 * The person a case is about. Events and case state refer to them only by a pseudonymous {@link SubjectId};
 * the identity itself — name, NIK, family names, address, photo, school — is the separate {@link Identity}
 * Schema, whose fields are `Redacted` so that printing, logging or serialising it by accident shows
 * `<redacted>`. Storage keeps identities apart from events, encrypted, and erasable (UU 27/2022) without breaking
 * the history; UU 11/2012 Pasal 19 keeps the identity of every child in the justice system secret.
 *
 * @example
 * ```ts
 * import { Subject } from "@lindung/core"
 * import { Schema } from "effect"
 *
 * const identity = Schema.decodeUnknownSync(Subject.IdentityFromValues)({ name: "N", familyNames: [] })
 * String(identity.name) // "<redacted>"
 * ```
 *
 * @since 0.1.0
 */
import { type Brand, Schema } from "effect"
import * as Basis from "./Basis.js"
import * as Id from "./Id.js"

/** A pseudonymous subject identifier chosen by the deployment; never a name or a NIK. An {@link Id.Id}. */
export const SubjectId = Id.Id.pipe(
  Schema.brand("SubjectId"),
  Schema.annotate({
    identifier: "SubjectId",
    description: "A pseudonymous identifier of the person a case is about",
    examples: ["subjek-000-kakak" as string & Brand.Brand<"SubjectId">]
  })
)

/** See {@link SubjectId}. */
export type SubjectId = typeof SubjectId.Type

/** Whether a case is a child case (under 18 at registration) or an adult PPKS case (seed 003). */
export const SubjectKind = Schema.Literals(["child", "adult"]).annotate({ identifier: "SubjectKind" })

/** See {@link SubjectKind}. */
export type SubjectKind = typeof SubjectKind.Type

/** Sex as recorded for services and statistics. */
export const Sex = Schema.Literals(["female", "male", "unknown"]).annotate({ identifier: "Sex" })

/** See {@link Sex}. */
export type Sex = typeof Sex.Type

const secret = (description: string) => Schema.Redacted(Schema.String).annotate({ description })

/**
 * A person's identity, kept apart from the case: every field is `Redacted`. Only roles and purposes that allow it
 * may read it (see `Access`), and it never appears in an event, a log, an export or a message.
 */
export const Identity = Schema.Struct({
  name: secret("Full name"),
  nik: Schema.optionalKey(secret("NIK, the 16-digit national identity number")),
  familyNames: Schema.Array(secret("Names of parents or family members")),
  address: Schema.optionalKey(secret("Address")),
  photo: Schema.optionalKey(secret("A reference to a photo held by the deployment")),
  school: Schema.optionalKey(secret("School"))
}).annotate({ identifier: "Identity", description: "The identity of the person a case is about (all fields redacted)" })

/** See {@link Identity}. */
export type Identity = typeof Identity.Type

const fromValue = (description: string) =>
  Schema.RedactedFromValue(Schema.String.check(Schema.isMaxLength(1_000))).annotate({ description })

/** The same identity, decoded from plain values (an HTTP body, an import line) into redacted fields. */
export const IdentityFromValues = Schema.Struct({
  name: fromValue("Full name"),
  nik: Schema.optionalKey(
    Schema.RedactedFromValue(
      Schema.String.check(Schema.isPattern(/^\d{16}$/u, { message: "a NIK has exactly 16 digits" }))
    ).annotate({ description: "NIK, the 16-digit national identity number" })
  ),
  familyNames: Schema.Array(fromValue("Names of parents or family members")).check(Schema.isMaxLength(20)),
  address: Schema.optionalKey(fromValue("Address")),
  photo: Schema.optionalKey(fromValue("A reference to a photo held by the deployment")),
  school: Schema.optionalKey(fromValue("School"))
}).annotate({ identifier: "IdentityInput", description: "An identity given as plain values" })

/** The basis for keeping identity apart. */
export const basis: ReadonlyArray<Basis.Basis> = [
  Basis.verified("UU 11/2012", "Pasal 19", "the identity of Anak, Anak Korban and Anak Saksi is secret in all media"),
  Basis.verified("UU 35/2014", "Pasal 64 huruf i", "protection of the identity of a child in the justice system"),
  Basis.verified("UU 27/2022", "Pasal 25", "children's personal data")
]
