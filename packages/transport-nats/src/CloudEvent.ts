/**
 * CloudEvents 1.0 in binary mode over NATS (the CloudEvents NATS protocol binding): the attributes travel as
 * `ce-*` headers, the data — the event's public form as JSON (`PublicEvent`) — as the message body, with
 * `content-type: application/json`.
 *
 * | attribute | value |
 * | --- | --- |
 * | `ce-id` | the event id, `<case id>:<version>` of its public form (also the `Nats-Msg-Id`) |
 * | `ce-source` | the agency that owns the case, `urn:lindung:agency:<agency id>` |
 * | `ce-type` | `id.lindung.case.<EventType>.v<schema version>` |
 * | `ce-subject` | the case id |
 * | `ce-time` | when the event occurred (RFC 3339) |
 * | `ce-dataschema` | the public payload's JSON Schema, `urn:lindung:json-schema:PublicCaseEvent.<EventType>:v<n>` |
 * | `ce-caseversion`, `ce-region` | extensions: the case's version after the event, counting its published events only (`PublicEvent.encode`), and the region it was in |
 *
 * @since 0.3.0
 */
import { type CaseEvent, CaseModel, Region } from "@lindung/core"
import { type Result, Schema } from "effect"

/** The CloudEvents version. */
export const SPEC_VERSION = "1.0"

/** The prefix of every event's `type`. */
export const TYPE_PREFIX = "id.lindung.case."

/** The `type` of an event type at a schema version: `id.lindung.case.ReportRegistered.v1`. */
export const typeOf = (type: CaseEvent.Type, schemaVersion: number): string => `${TYPE_PREFIX}${type}.v${schemaVersion}`

/** The `source` of an event: the agency that owns its case. */
export const sourceOf = (agency: string): string => `urn:lindung:agency:${encodeURIComponent(agency)}`

/** The default `dataschema`: the `$defs` entry `PublicCaseEvent.<type>` of docs/json-schema/lindung.schema.json. */
export const dataSchemaOf = (type: CaseEvent.Type, schemaVersion: number): string =>
  `urn:lindung:json-schema:PublicCaseEvent.${type}:v${schemaVersion}`

/** The attributes of a Lindung CloudEvent, as the headers carry them (without the `ce-` prefix). */
export const Attributes = Schema.Struct({
  specversion: Schema.Literal(SPEC_VERSION),
  id: Schema.NonEmptyString.annotate({
    description: "The public event id, `<case id>:<public version>` (also the `Nats-Msg-Id`)"
  }),
  source: Schema.String.check(Schema.isPattern(/^urn:lindung:agency:./u)),
  type: Schema.String.check(Schema.isPattern(/^id\.lindung\.case\.[A-Za-z0-9]+\.v[1-9][0-9]*$/u)),
  subject: CaseModel.CaseId,
  time: Schema.String,
  dataschema: Schema.NonEmptyString,
  caseversion: Schema.NumberFromString.check(Schema.isInt(), Schema.isGreaterThanOrEqualTo(1)).annotate({
    description:
      "The case's public version after the event: 1, 2, 3… per case, counting its published events only (a withheld 18th birthday leaves no gap)"
  }),
  region: Schema.optionalKey(Region.RegionCode)
}).annotate({ identifier: "CloudEventAttributes", description: "The ce-* headers of a Lindung event message" })

/** See {@link Attributes}. */
export type Attributes = typeof Attributes.Type

/** The content type of the data. */
export const CONTENT_TYPE = "application/json"

/** The names of the headers, in the order they are written. */
export const headerNames = [
  "ce-specversion",
  "ce-id",
  "ce-source",
  "ce-type",
  "ce-subject",
  "ce-time",
  "ce-dataschema",
  "ce-caseversion",
  "ce-region"
] as const

/** The headers of an event, `content-type` included. */
export const headersOf = (attributes: Attributes): ReadonlyArray<readonly [string, string]> => [
  ["ce-specversion", attributes.specversion],
  ["ce-id", attributes.id],
  ["ce-source", attributes.source],
  ["ce-type", attributes.type],
  ["ce-subject", attributes.subject],
  ["ce-time", attributes.time],
  ["ce-dataschema", attributes.dataschema],
  ["ce-caseversion", String(attributes.caseversion)],
  ...(attributes.region === undefined ? [] : [["ce-region", attributes.region] as const]),
  ["content-type", CONTENT_TYPE]
]

const decodeAttributes = Schema.decodeUnknownResult(Attributes)

/** Reads the attributes from headers (`get` returns a header's value, or undefined when it is absent). */
export const attributesOf = (
  get: (name: string) => string | undefined
): Result.Result<Attributes, Schema.SchemaError> => {
  const record: Record<string, string> = {}
  for (const name of headerNames) {
    const value = get(name)
    if (value !== undefined && value.length > 0) record[name.slice(3)] = value
  }
  return decodeAttributes(record)
}
