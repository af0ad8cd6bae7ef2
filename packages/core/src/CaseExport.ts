/**
 * Exports of case data beyond the system — a report to Kemensos, a data set for research, a court's request. An
 * export holds pseudonymous case index entries only (case id, region, stage, risk, age band, categories: never
 * identity), is made by a supervisor, a head of a dinas or an auditor within what they may list (`Access.listScope`
 * with the action `export`), and rests on a lawful basis of UU 27/2022 Pasal 20 ayat (2), recorded with its purpose
 * in the export's {@link Manifest}: the first record of every export.
 *
 * Consent and vital interests are bases for sharing one child's data (a referral, a transfer); an export of many
 * cases rests on the controller's legal obligation (c), its public task or authority (e), or a court order.
 *
 * @example
 * ```ts
 * import { CaseExport } from "@lindung/core"
 *
 * const request = CaseExport.decodeRequest({
 *   lawfulBasis: { _tag: "legal-obligation", provision: "Permensos 5/2019: quarterly report to Kemensos" },
 *   purpose: "Quarterly child-protection figures for Kemensos",
 *   region: "13.71"
 * })
 * ```
 *
 * @since 0.2.0
 */
import { type DateTime, Schema } from "effect"
import * as Actor from "./Actor.js"
import * as Agency from "./Agency.js"
import * as Basis from "./Basis.js"
import * as CaseModel from "./CaseModel.js"
import * as Input from "./Input.js"
import * as Sppa from "./Sppa.js"

/**
 * The lawful basis of an export (UU 27/2022 Pasal 20 ayat (2)): a legal obligation of the controller (huruf c, with
 * the provision), a task in the public interest or a statutory authority (huruf e, with the authority), or a court
 * order (with its reference): the members of `CaseModel.SharingBasis` that fit many cases (`CaseModel.basesForMany`).
 */
export const LawfulBasis = Schema.Union(CaseModel.basesForMany).annotate({
  identifier: "ExportLawfulBasis",
  description: "The lawful basis of an export: legal-obligation, public-task or court-order (UU 27/2022 Pasal 20(2))"
})

/** See {@link LawfulBasis}. */
export type LawfulBasis = typeof LawfulBasis.Type

/** What an export asks for: its lawful basis and purpose, and the region and owner to limit it to. */
export const Request = Schema.Struct({
  lawfulBasis: LawfulBasis,
  purpose: CaseModel.Reason,
  region: Schema.optionalKey(Agency.Scope),
  owner: Schema.optionalKey(Agency.AgencyId)
}).annotate({ identifier: "ExportRequest" })

/** See {@link Request}. */
export type Request = typeof Request.Type

/** Checks an export request from plain data (flags, a JSON body): the request, or an `InvalidInput`. */
export const decodeRequest = Input.decode(Request, "export request")

/** The first record of every export: who made it, when, on which lawful basis, for what, over which scope. */
export const Manifest = Schema.Struct({
  _tag: Schema.tag("ExportManifest"),
  exportedAt: Schema.DateTimeUtcFromString,
  exportedBy: Schema.Struct({ id: Actor.ActorId, role: Actor.Role, agency: Agency.AgencyId }),
  lawfulBasis: LawfulBasis,
  purpose: CaseModel.Reason,
  /** The scope the export was limited to (what the actor may list, within what was asked). */
  scope: Schema.Struct({ region: Agency.Scope, owner: Schema.optionalKey(Agency.AgencyId) }),
  /** What follows the manifest: case index entries as exports carry them (`CaseIndex.ExportedEntry`), never identity. */
  contents: Schema.Literal("case-index-entries"),
  /** The citations the export rests on: its lawful basis, and the confidentiality of a child's identity. */
  basis: Schema.Array(Basis.Basis)
}).annotate({ identifier: "ExportManifest", description: "The manifest of an export: its lawful basis and purpose" })

/** See {@link Manifest}. */
export type Manifest = typeof Manifest.Type

/** The manifest of an export made by `actor` at `now` over `scope`. */
export const manifest = (
  actor: Actor.Actor,
  request: Request,
  scope: { readonly region: Agency.Scope; readonly owner?: Agency.AgencyId },
  now: DateTime.Utc
): Manifest => ({
  _tag: "ExportManifest",
  exportedAt: now,
  exportedBy: { id: actor.id, role: actor.role, agency: actor.agency },
  lawfulBasis: request.lawfulBasis,
  purpose: request.purpose,
  scope: scope.owner === undefined ? { region: scope.region } : { region: scope.region, owner: scope.owner },
  contents: "case-index-entries",
  basis: [CaseModel.lawfulBasis(request.lawfulBasis), ...Sppa.ruleBasis["SPPA-CONFIDENTIALITY"]]
})
