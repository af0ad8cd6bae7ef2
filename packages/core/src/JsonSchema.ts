/**
 * JSON Schema (draft 2020-12) of every public schema of the core, for teams on other stacks (PHP, Java) that
 * validate or generate code from it. One document holds every definition under `$defs`; objects reject
 * properties they do not model (`additionalProperties: false`), as Lindung's own decoders do at the HTTP edge.
 *
 * @example
 * ```ts
 * import { JsonSchema } from "@lindung/core"
 *
 * const doc = JsonSchema.document()
 * doc.$defs["CaseCommand.RegisterReport"] // the JSON Schema of a report registration
 * ```
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Actor from "./Actor.js"
import * as Agency from "./Agency.js"
import * as Ampk from "./Ampk.js"
import * as Atensi from "./Atensi.js"
import * as Basis from "./Basis.js"
import * as CalendarDate from "./CalendarDate.js"
import * as CaseCommand from "./CaseCommand.js"
import * as CaseEvent from "./CaseEvent.js"
import * as CaseExport from "./CaseExport.js"
import * as CaseIndex from "./CaseIndex.js"
import * as CaseView from "./CaseView.js"
import * as Deadline from "./Deadline.js"
import * as DinasType from "./DinasType.js"
import * as IdentityVault from "./IdentityVault.js"
import * as Input from "./Input.js"
import * as NationalReference from "./NationalReference.js"
import * as Person from "./Person.js"
import * as Ppks from "./Ppks.js"
import * as PublicEvent from "./PublicEvent.js"
import * as Region from "./Region.js"
import * as Rejection from "./Rejection.js"
import * as Risk from "./Risk.js"
import * as Sop from "./Sop.js"
import * as SopError from "./SopError.js"
import * as SopTable from "./SopTable.js"
import * as Sppa from "./Sppa.js"
import * as Subject from "./Subject.js"

/** The public schemas, by the name their definition gets when the schema itself has no identifier. */
export const schemas: Readonly<Record<string, Schema.Top>> = {
  RegionCode: Region.RegionCode,
  CalendarDate: CalendarDate.CalendarDate,
  Basis: Basis.Basis,
  Label: Basis.Label,
  Rule: Basis.Rule,
  AmpkCode: Ampk.AmpkCode,
  PpksCode: Ppks.PpksCode,
  AtensiComponentCode: Atensi.ComponentCode,
  AtensiClusterCode: Atensi.ClusterCode,
  AtensiSettingCode: Atensi.SettingCode,
  AbhRole: Sppa.AbhRole,
  RiskLevel: Risk.Level,
  RiskAssessment: Risk.Assessment,
  DeadlineKind: Deadline.Kind,
  DinasType: DinasType.DinasType,
  Agency: Agency.Agency,
  Actor: Actor.Actor,
  Person: Person.Person,
  Stage: Sop.Stage,
  IdentityInput: Subject.IdentityFromValues,
  IdentityPurpose: IdentityVault.DeclaredPurpose,
  IdentityAccessRecord: IdentityVault.AccessRecord,
  CaseCommand: CaseCommand.Command,
  CaseEvent: CaseEvent.Envelope,
  PublicCaseEvent: PublicEvent.Envelope,
  CaseView: CaseView.View,
  ExportRequest: CaseExport.Request,
  ExportManifest: CaseExport.Manifest,
  ExportEntry: CaseIndex.ExportedEntry,
  NationalReference: NationalReference.Reference,
  SopError: SopError.SopError,
  Rejection: Rejection.Rejection,
  SopDescription: SopTable.Description,
  InvalidInput: Input.InvalidInput
}

/** A JSON Schema document: the dialect and every definition. */
export interface Document {
  readonly $schema: "https://json-schema.org/draft/2020-12/schema"
  readonly $defs: Readonly<Record<string, unknown>>
}

/** The JSON Schema of every public schema in one document. */
export const document = (): Document => {
  const defs: Record<string, unknown> = {}
  for (const [name, schema] of Object.entries(schemas)) {
    const doc = Schema.toJsonSchemaDocument(schema, { onExcessProperty: "error" })
    Object.assign(defs, doc.definitions)
    // Every public schema is reachable under its registry name, as itself or as a reference to its identifier.
    const ref = (doc.schema as { $ref?: string }).$ref
    if (ref === undefined) defs[name] = doc.schema
    else if (ref !== `#/$defs/${name}`) defs[name] = { $ref: ref }
  }
  return { $schema: "https://json-schema.org/draft/2020-12/schema", $defs: defs }
}
