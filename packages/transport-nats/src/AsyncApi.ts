/**
 * The AsyncAPI 3.0 document of Lindung over NATS, generated from the schemas the transport sends and receives —
 * never written by hand, so it cannot drift from them (docs/asyncapi.json is this document; a test fails when the
 * committed file differs, and `@asyncapi/parser` validates it).
 *
 * - **Events** (`publishCaseEvents`): one message per event type on `lindung.case.{province}.{kabkota}.{eventType}`.
 *   Its payload is `PublicEvent.Envelope` narrowed to that type (its `payload` the type's public payload): the
 *   public form, without identity or free text. Its headers are the CloudEvents `ce-*` attributes (`CloudEvent`),
 *   with `ce-type` and `ce-dataschema` fixed for the type, `Nats-Msg-Id` and `content-type`.
 * - **Commands** (`registerReport`, `executeCommand`): requests on `lindung.api.cases.register` and
 *   `lindung.api.cases.command` (`Bodies.RegisterRequest`, `CaseCommand.Command`) with the `Authorization`,
 *   `Idempotency-Key` and `If-Match` headers, answered on the requester's inbox with `Bodies.CommandResult` or an
 *   RFC 9457 problem (`Problem`), as `Commands` does.
 *
 * Every JSON Schema comes from `Schema.toJsonSchemaDocument`'s compiler (draft 2020-12), lowered to draft-07 (the
 * base of the AsyncAPI Schema format) and placed under `components.schemas`. The public form and the full form share
 * one namespace there: a definition of the public form whose name the full form uses for something else is named
 * `Public<name>`.
 *
 * @example
 * ```ts
 * import { AsyncApi } from "@lindung/transport-nats"
 *
 * const doc = AsyncApi.document({ servers: { production: { host: "nats.example.go.id:4222", protocol: "nats" } } })
 * writeFileSync("asyncapi.json", AsyncApi.toJson(doc))
 * ```
 *
 * @since 0.3.0
 */
import { CaseCommand, CaseEvent, PublicEvent } from "@lindung/core"
import { Bodies, Language, Problem } from "@lindung/wire"
import { JsonSchema, Schema, SchemaRepresentation } from "effect"
import * as CloudEvent from "./CloudEvent.js"
import * as Commands from "./Commands.js"
import * as Relay from "./Relay.js"
import * as Subjects from "./Subjects.js"

/** A JSON object of the document: a JSON Schema, a channel, a message or an operation. */
export type JsonObject = { readonly [key: string]: unknown }

/** A NATS server the document names. */
export interface Server {
  /** `host:port`. */
  readonly host: string
  /** `nats` (or `tls`, `ws`, `wss`). */
  readonly protocol: string
  readonly description?: string
}

/** What {@link document} may change. */
export interface Options {
  /** The servers, by name. Default {@link DEFAULT_SERVERS}. */
  readonly servers?: Readonly<Record<string, Server>>
  /** The first tokens of every event subject, as given to the relay. Default `Subjects.DEFAULT_PREFIX`. */
  readonly prefix?: string
  /** The first tokens of the command subjects, as given to the command service. Default `Subjects.DEFAULT_API_PREFIX`. */
  readonly apiPrefix?: string
  /** The document's `info.version`. Default {@link DEFAULT_VERSION}. */
  readonly version?: string
}

/** An AsyncAPI 3.0.0 document. */
export interface Document {
  readonly asyncapi: "3.0.0"
  readonly info: {
    readonly title: string
    readonly version: string
    readonly description: string
    readonly license: { readonly name: string; readonly url: string }
  }
  readonly defaultContentType: string
  readonly servers: Readonly<Record<string, Server>>
  readonly channels: Readonly<Record<string, JsonObject>>
  readonly operations: Readonly<Record<string, JsonObject>>
  readonly components: {
    readonly schemas: Readonly<Record<string, JsonObject>>
    readonly messages: Readonly<Record<string, JsonObject>>
    readonly securitySchemes: Readonly<Record<string, JsonObject>>
  }
}

/** The default `info.version`: the release of the NATS transport. */
export const DEFAULT_VERSION = "0.3.0"

/** The default servers: a local NATS server with JetStream. */
export const DEFAULT_SERVERS: Readonly<Record<string, Server>> = {
  development: {
    host: "127.0.0.1:4222",
    protocol: "nats",
    description: "A local NATS server with JetStream (e.g. `nats-server -js`)"
  }
}

/** The content type of a problem reply. */
export const PROBLEM_CONTENT_TYPE = "application/problem+json"

/** The body of a reply to a request that failed unexpectedly (500): no details. */
export const InternalError = Schema.Struct({
  type: Schema.Literal("about:blank"),
  title: Schema.Literal("Internal error"),
  status: Schema.Literal(500),
  detail: Schema.String
}).annotate({ identifier: "InternalErrorProblem", description: "An unexpected failure (no details are given)" })

/**
 * The `Authorization` header of a request: a bearer JWT (the scheme's name in any case). The pattern has the `u` flag:
 * the JSON Schema compiler leaves out a pattern whose meaning would change under JSON Schema's Unicode semantics.
 */
export const Authorization = Schema.String.check(
  Schema.isPattern(/^[Bb][Ee][Aa][Rr][Ee][Rr][ \t]+[^ \t]+[ \t]*$/u)
).annotate({
  identifier: "BearerAuthorization",
  description: "`Bearer <JWT>`: the same token as for the HTTP API"
})

/** The problems a command reply may carry: those `Commands` answers with, besides {@link InternalError}. */
export const problems = [
  Problem.InvalidRequest,
  Problem.Unauthorized,
  Problem.PayloadTooLarge,
  Problem.AuthenticationUnavailable,
  Problem.SubjectNotFound,
  Problem.NotFound,
  Problem.IdentityErased,
  ...Problem.commandErrors
] as const

/** Every event type the relay publishes, in the order of `CaseEvent.Payload` (not `PublicEvent.withheld`). */
export const eventTypes: ReadonlyArray<CaseEvent.Type> = CaseEvent.Payload.members
  .map((member) => member.fields._tag.schema.literal)
  .filter(PublicEvent.isPublished)

// ---------------------------------------------------------------------------------------------------------------
// JSON Schema
// ---------------------------------------------------------------------------------------------------------------

const DEFS = "#/$defs/"
const DRAFT_07_DEFS = "#/definitions/"
const COMPONENTS = "#/components/schemas/"

/** The definitions of one compilation, and the definition names of its roots. */
interface Compiled {
  readonly roots: ReadonlyArray<string>
  readonly definitions: Readonly<Record<string, JsonObject>>
}

const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** A copy of `value` with every `$ref` string passed through `f`. */
const mapRefs = (value: unknown, f: (ref: string) => string): unknown => {
  if (Array.isArray(value)) return value.map((item) => mapRefs(item, f))
  if (!isObject(value)) return value
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      key === "$ref" && typeof item === "string" ? f(item) : mapRefs(item, f)
    ])
  )
}

/** A ref to a definition under `prefix` renamed by `names` (a ref into a definition keeps its tail). */
const renameRef =
  (prefix: string, names: ReadonlyMap<string, string>, target = prefix) =>
  (ref: string) => {
    if (!ref.startsWith(prefix)) return ref
    const rest = ref.slice(prefix.length)
    const slash = rest.indexOf("/")
    const name = slash < 0 ? rest : rest.slice(0, slash)
    const tail = slash < 0 ? "" : rest.slice(slash)
    return `${target}${names.get(name) ?? name}${tail}`
  }

/** Renames definitions (a definition renamed to an existing name is dropped: they are the same). */
const rename = (compiled: Compiled, names: ReadonlyMap<string, string>): Compiled => {
  const definitions: Record<string, JsonObject> = {}
  for (const [name, schema] of Object.entries(compiled.definitions)) {
    const target = names.get(name) ?? name
    if (target !== name && target in compiled.definitions) continue
    definitions[target] = mapRefs(schema, renameRef(DEFS, names)) as JsonObject
  }
  return { roots: compiled.roots.map((name) => names.get(name) ?? name), definitions }
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b)

/**
 * Merges the definitions `X_1`, `X_2`… that equal their `X`: the compiler numbers distinct schema nodes that share an
 * identifier, and the public form derives some nodes twice.
 */
const collapse = (compiled: Compiled): Compiled => {
  let current = compiled
  for (;;) {
    const names = new Map<string, string>()
    for (const [name, schema] of Object.entries(current.definitions)) {
      const base = /^(.+)_\d+$/u.exec(name)?.[1]
      if (base !== undefined && same(schema, current.definitions[base])) names.set(name, base)
    }
    if (names.size === 0) return current
    current = rename(current, names)
  }
}

/** The JSON Schema (draft 2020-12) of the JSON form of `schemas`, sharing one set of definitions. */
const compile = (schemas: readonly [Schema.Top, ...Array<Schema.Top>]): Compiled => {
  const [first, ...rest] = schemas.map((schema) => Schema.toCodecJson(schema).ast)
  const representation = SchemaRepresentation.toRepresentations([first as Schema.Top["ast"], ...rest])
  const multi = SchemaRepresentation.toJsonSchemaMultiDocument(representation, { onExcessProperty: "error" })
  const roots = multi.schemas.map((schema) => {
    const ref = schema.$ref
    if (typeof ref !== "string" || !ref.startsWith(DEFS) || Object.keys(schema).length !== 1) {
      throw new Error(`AsyncApi: every schema of the document needs an identifier (got ${JSON.stringify(schema)})`)
    }
    return ref.slice(DEFS.length)
  })
  return collapse({ roots, definitions: multi.definitions as Record<string, JsonObject> })
}

/**
 * The definitions of the public form and of the full form in one namespace: a public definition whose name the full
 * form gives to a different schema becomes `Public<name>`.
 */
const merge = (publicForm: Compiled, fullForm: Compiled): Compiled => {
  const names = new Map<string, string>()
  for (const [name, schema] of Object.entries(publicForm.definitions)) {
    const other = fullForm.definitions[name]
    if (other === undefined || same(schema, other)) continue
    const renamed = `Public${name}`
    if (renamed in publicForm.definitions || renamed in fullForm.definitions) {
      throw new Error(`AsyncApi: ${name} of the public form cannot be renamed ${renamed}: the name is taken`)
    }
    names.set(name, renamed)
  }
  const renamed = rename(publicForm, names)
  const definitions: Record<string, JsonObject> = { ...renamed.definitions }
  for (const [name, schema] of Object.entries(fullForm.definitions)) {
    const existing = definitions[name]
    if (existing !== undefined && !same(existing, schema)) {
      throw new Error(`AsyncApi: two different schemas are named ${name}`)
    }
    definitions[name] = schema
  }
  return { roots: [...renamed.roots, ...fullForm.roots], definitions }
}

/** The definitions lowered to draft-07 (tuples become `items` arrays) and referenced as components. */
const toComponents = (definitions: Readonly<Record<string, JsonObject>>): Record<string, JsonObject> => {
  const lowered = JsonSchema.toDocumentDraft07({ dialect: "draft-2020-12", schema: {}, definitions })
  const schemas: Record<string, JsonObject> = {}
  for (const name of Object.keys(lowered.definitions)) {
    if (!/^[a-zA-Z0-9.\-_]+$/u.test(name)) throw new Error(`AsyncApi: ${name} is not a valid component name`)
    schemas[name] = mapRefs(lowered.definitions[name], renameRef(DRAFT_07_DEFS, new Map(), COMPONENTS)) as JsonObject
  }
  return schemas
}

const ref = (name: string): JsonObject => ({ $ref: `${COMPONENTS}${name}` })

/** The definition a schema refers to (one level). */
const resolve = (schemas: Readonly<Record<string, JsonObject>>, schema: unknown): JsonObject => {
  if (isObject(schema) && typeof schema.$ref === "string" && schema.$ref.startsWith(COMPONENTS)) {
    const target = schemas[schema.$ref.slice(COMPONENTS.length)]
    if (target === undefined) throw new Error(`AsyncApi: ${schema.$ref} does not exist`)
    return target
  }
  if (!isObject(schema)) throw new Error(`AsyncApi: ${JSON.stringify(schema)} is not a schema`)
  return schema
}

const propertiesOf = (schema: JsonObject): Readonly<Record<string, JsonObject>> =>
  isObject(schema.properties) ? (schema.properties as Record<string, JsonObject>) : {}

/** The single value of a literal schema (`enum: [x]` or `const: x`). */
const literalOf = (schema: JsonObject | undefined): unknown =>
  schema === undefined
    ? undefined
    : Array.isArray(schema.enum) && schema.enum.length === 1
      ? schema.enum[0]
      : schema.const

// ---------------------------------------------------------------------------------------------------------------
// The document
// ---------------------------------------------------------------------------------------------------------------

const describe = (prefix: string, apiPrefix?: string): string =>
  [
    "Lindung's case events and commands over NATS.",
    "",
    `**Events.** Every event of the case log is published to JetStream (the relay's stream, by default`,
    `\`${Relay.DEFAULT_STREAM}\`) as a CloudEvents 1.0 message in binary mode: the attributes in \`ce-*\` headers, the`,
    "data as the JSON body — but a child's 18th birthday (`AdulthoodReached`, whose moment is the birth date), which is",
    "withheld, and a case's other events are numbered without it (`ce-caseversion` 1, 2, 3…, `ce-id`",
    "`<case id>:<that version>`). Events are in their **public form**: codes, ids, dates and agencies — **no identity** (no",
    "name, no subject id, no birth date) and **no free text** (no reason, goal, decision or reference typed by a",
    `person). Subscribe to what is yours: \`${prefix}.13.>\` (a province), \`${prefix}.13.1371.>\` (a kab/kota),`,
    `\`${prefix}.*.*.DeadlineEscalated\` (one type everywhere). Delivery is at least once: de-duplicate by \`ce-id\``,
    "(also the `Nats-Msg-Id`).",
    "",
    `**Commands.** Requests on \`${Subjects.register(apiPrefix)}\` and \`${Subjects.command(apiPrefix)}\` take the same JSON bodies,`,
    "bearer JWT and `Idempotency-Key`/`If-Match` headers as `POST /cases` and `POST /cases/{caseId}/commands` of the",
    "HTTP API, and are answered on the request's inbox with the command's result or an RFC 9457 problem",
    "(`application/problem+json`, with `Nats-Service-Error-Code` and `Nats-Service-Error` headers), whose title and",
    "detail are in Bahasa Indonesia when the request's `Accept-Language` prefers it. A report's `identity` is refused",
    "(400) unless the service is started with `acceptIdentity`: subscribers may read the subjects, so by default the",
    "identity goes over HTTPS (`PUT /cases/{caseId}/identity`)."
  ].join("\n")

/** The `ce-*`, `Nats-Msg-Id` and `content-type` headers of the events of one type. */
const eventHeaders = (attributes: JsonObject, type: CaseEvent.Type, schemaVersion: number): JsonObject => {
  const fields = propertiesOf(attributes)
  const required = new Set(Array.isArray(attributes.required) ? (attributes.required as Array<string>) : [])
  const fixed: Readonly<Record<string, JsonObject>> = {
    type: { type: "string", const: CloudEvent.typeOf(type, schemaVersion) },
    dataschema: { type: "string", const: CloudEvent.dataSchemaOf(type, schemaVersion) }
  }
  const properties: Record<string, JsonObject> = {}
  for (const name of CloudEvent.headerNames) {
    const attribute = name.slice("ce-".length)
    const schema = fixed[attribute] ?? fields[attribute]
    if (schema === undefined) throw new Error(`AsyncApi: the header ${name} has no attribute in CloudEvent.Attributes`)
    properties[name] = schema
  }
  const id = fields.id
  if (id === undefined) throw new Error("AsyncApi: CloudEvent.Attributes has no id")
  properties["Nats-Msg-Id"] = { ...id, description: "The event id (as `ce-id`): the stream drops a re-sent event" }
  properties["content-type"] = { type: "string", const: CloudEvent.CONTENT_TYPE }
  return {
    type: "object",
    description: "CloudEvents 1.0 attributes (binary mode) and the JetStream message id",
    properties,
    required: [
      ...CloudEvent.headerNames.filter((name) => required.has(name.slice("ce-".length))),
      "Nats-Msg-Id",
      "content-type"
    ]
  }
}

/** The public envelope narrowed to one event type: its `type`, `schemaVersion` and payload. */
const narrowed = (
  schemas: Readonly<Record<string, JsonObject>>,
  envelope: JsonObject,
  type: CaseEvent.Type,
  schemaVersion: number
): JsonObject => {
  const fields = propertiesOf(envelope)
  const union = resolve(schemas, fields.payload)
  const members = Array.isArray(union.anyOf) ? union.anyOf : Array.isArray(union.oneOf) ? union.oneOf : []
  const matching = members.filter((member) => literalOf(propertiesOf(resolve(schemas, member))._tag) === type)
  if (matching.length !== 1) throw new Error(`AsyncApi: the public payload union has no single member ${type}`)
  return {
    ...envelope,
    title: `${type} event`,
    description: `A ${type} event (schema version ${schemaVersion}) in its public form: no identity, no free text`,
    properties: {
      ...fields,
      type: { type: "string", const: type },
      schemaVersion: { type: "integer", const: schemaVersion },
      payload: matching[0]
    }
  }
}

const commandBinding = { nats: { queue: Commands.DEFAULT_QUEUE, bindingVersion: "0.1.0" } }

/**
 * The AsyncAPI 3.0.0 document of the events Lindung publishes and the commands it serves over NATS, generated from
 * `PublicEvent.Envelope`, `CloudEvent.Attributes`, `Bodies.RegisterRequest`, `CaseCommand.Command`,
 * `Bodies.CommandResult` and the problems of `Problem`.
 */
export const document = (options: Options = {}): Document => {
  const prefix = options.prefix ?? Subjects.DEFAULT_PREFIX
  const publicForm = compile([PublicEvent.Envelope, CloudEvent.Attributes])
  const fullForm = compile([
    Bodies.RegisterRequest,
    CaseCommand.Command,
    Bodies.CommandResult,
    Bodies.IdempotencyKey,
    Bodies.IfMatch,
    Authorization,
    InternalError,
    ...problems
  ])
  const merged = merge(publicForm, fullForm)
  const schemas = toComponents(merged.definitions)
  // The roots' definition names, in the order compiled (a public root may have been renamed `Public…`).
  const rootName = (index: number): string => {
    const name = merged.roots[index]
    if (name === undefined) throw new Error(`AsyncApi: no root schema ${index}`)
    return name
  }
  const names = {
    envelope: rootName(0),
    attributes: rootName(1),
    register: rootName(2),
    command: rootName(3),
    result: rootName(4),
    idempotencyKey: rootName(5),
    ifMatch: rootName(6),
    authorization: rootName(7)
  }
  const problemNames = merged.roots.slice(8) // InternalError, then every problem
  const root = (name: string): JsonObject => resolve(schemas, ref(name))
  const envelope = root(names.envelope)
  const attributes = root(names.attributes)

  // Events: one message per type.
  const messages: Record<string, JsonObject> = {}
  for (const type of eventTypes) {
    const schemaVersion = CaseEvent.schemaVersions[type]
    messages[type] = {
      name: type,
      title: type,
      summary: `${type} (schema version ${schemaVersion}), in its public form`,
      contentType: CloudEvent.CONTENT_TYPE,
      correlationId: {
        location: "$message.header#/ce-id",
        description: "The public event id, `<case id>:<public version>`"
      },
      headers: eventHeaders(attributes, type, schemaVersion),
      payload: narrowed(schemas, envelope, type, schemaVersion)
    }
  }

  // Commands: requests and replies.
  const statuses = new Set<string>()
  const titles = new Set<string>()
  for (const name of problemNames) {
    const fields = propertiesOf(root(name))
    const status = literalOf(fields.status)
    const title = literalOf(fields.title)
    if (typeof status !== "number" || typeof title !== "string") {
      throw new Error(`AsyncApi: the problem ${name} has no fixed status and title`)
    }
    statuses.add(String(status))
    titles.add(title)
    // A problem is said in Bahasa Indonesia when the request prefers it (`Accept-Language: id`), as over HTTP.
    const type = literalOf(fields.type)
    const indonesian = typeof type === "string" ? Problem.titleId(type, status) : undefined
    if (indonesian !== undefined && fields.title !== undefined) {
      ;(fields.title as { enum?: Array<unknown> }).enum = [title, indonesian]
      titles.add(indonesian)
    }
  }
  schemas.CommandProblem = {
    description: "An RFC 9457 problem: why a command over NATS was not executed",
    anyOf: problemNames.map(ref)
  }
  const requestHeaders = (withIfMatch: boolean): JsonObject => ({
    type: "object",
    properties: {
      Authorization: ref(names.authorization),
      "Idempotency-Key": ref(names.idempotencyKey),
      ...(withIfMatch ? { "If-Match": ref(names.ifMatch) } : {}),
      "Accept-Language": {
        type: "string",
        description: "The language of a problem's title and detail: Bahasa Indonesia (`id`) or English (the default)",
        examples: ["id", "en"]
      }
    },
    required: ["Authorization"]
  })
  messages.RegisterRequest = {
    name: "RegisterRequest",
    title: "Register a report",
    summary:
      "The body of `POST /cases`: a report, and optionally the subject's identity (for the identity vault only) — over NATS only when the service accepts identities (`acceptIdentity`, off by default)",
    contentType: "application/json",
    headers: requestHeaders(false),
    payload: ref(names.register)
  }
  messages.CaseCommand = {
    name: "CaseCommand",
    title: "Execute a command",
    summary: "The body of `POST /cases/{caseId}/commands`: any command but `RegisterReport`",
    contentType: "application/json",
    headers: requestHeaders(true),
    payload: ref(names.command)
  }
  messages.CommandResult = {
    name: "CommandResult",
    title: "The command's result",
    summary: "The case's new version and stage and the events the command produced (to the requester only)",
    contentType: "application/json",
    headers: {
      type: "object",
      properties: { "content-type": { type: "string", const: "application/json" } },
      required: ["content-type"]
    },
    payload: ref(names.result)
  }
  messages.Problem = {
    name: "Problem",
    title: "A problem",
    summary:
      "Why the command was not executed, as over HTTP; the NATS service error headers carry its status and title",
    contentType: PROBLEM_CONTENT_TYPE,
    headers: {
      type: "object",
      properties: {
        "content-type": { type: "string", const: PROBLEM_CONTENT_TYPE },
        "Nats-Service-Error-Code": {
          type: "string",
          enum: [...statuses].sort(),
          description: "The problem's HTTP status"
        },
        "Nats-Service-Error": { type: "string", enum: [...titles].sort(), description: "The problem's title" },
        "content-language": {
          type: "string",
          enum: [...Language.languages],
          description: "The language of the title and detail (`Accept-Language` of the request)"
        }
      },
      required: ["content-type", "Nats-Service-Error-Code", "Nats-Service-Error"]
    },
    payload: ref("CommandProblem")
  }

  const channelMessages = (names: ReadonlyArray<string>) =>
    Object.fromEntries(names.map((name) => [name, { $ref: `#/components/messages/${name}` }]))
  const operationMessages = (channel: string, names: ReadonlyArray<string>) =>
    names.map((name) => ({ $ref: `#/channels/${channel}/messages/${name}` }))
  const reply = {
    channel: { $ref: "#/channels/commandReply" },
    messages: operationMessages("commandReply", ["CommandResult", "Problem"])
  }
  const security = [{ $ref: "#/components/securitySchemes/bearer" }]

  return {
    asyncapi: "3.0.0",
    info: {
      title: "Lindung events and commands over NATS",
      version: options.version ?? DEFAULT_VERSION,
      description: describe(prefix, options.apiPrefix),
      license: { name: "Apache-2.0", url: "https://www.apache.org/licenses/LICENSE-2.0" }
    },
    defaultContentType: "application/json",
    servers: options.servers ?? DEFAULT_SERVERS,
    channels: {
      caseEvents: {
        address: `${prefix}.{province}.{kabkota}.{eventType}`,
        title: "Case events",
        description:
          "The events of every case, in its public form, under the region the case had when the event happened. " +
          `A case known only at the level of its province has \`${Subjects.NO_REGENCY}\` for its kab/kota; ` +
          `an event whose region is not known has \`${Subjects.NO_REGENCY}\` for both.`,
        parameters: {
          province: {
            description: `The province code (two digits, e.g. \`13\`), or \`${Subjects.NO_REGENCY}\``,
            examples: ["13", "31"]
          },
          kabkota: {
            description: `The kab/kota code without its dot (four digits, e.g. \`1371\`), or \`${Subjects.NO_REGENCY}\``,
            examples: ["1371", Subjects.NO_REGENCY]
          },
          eventType: { description: "The event type", enum: [...eventTypes] }
        },
        messages: channelMessages(eventTypes)
      },
      registerReport: {
        address: Subjects.register(options.apiPrefix),
        title: "Register a report",
        description: "Requests that register a report (as `POST /cases`)",
        messages: channelMessages(["RegisterRequest"])
      },
      executeCommand: {
        address: Subjects.command(options.apiPrefix),
        title: "Execute a command",
        description: "Requests that execute any command but `RegisterReport` (as `POST /cases/{caseId}/commands`)",
        messages: channelMessages(["CaseCommand"])
      },
      commandReply: {
        address: null,
        title: "Command replies",
        description: "The requester's inbox: the reply subject NATS gives a request",
        messages: channelMessages(["CommandResult", "Problem"])
      }
    },
    operations: {
      publishCaseEvents: {
        action: "send",
        channel: { $ref: "#/channels/caseEvents" },
        title: "Publish case events",
        summary: "The relay publishes every event of the case log, in order, at least once",
        messages: operationMessages("caseEvents", eventTypes)
      },
      registerReport: {
        action: "receive",
        channel: { $ref: "#/channels/registerReport" },
        title: "Register a report",
        summary: "Registers a report through the case service and replies with the result or a problem",
        security,
        bindings: commandBinding,
        messages: operationMessages("registerReport", ["RegisterRequest"]),
        reply
      },
      executeCommand: {
        action: "receive",
        channel: { $ref: "#/channels/executeCommand" },
        title: "Execute a command",
        summary: "Executes a command through the case service and replies with the result or a problem",
        security,
        bindings: commandBinding,
        messages: operationMessages("executeCommand", ["CaseCommand"]),
        reply
      }
    },
    components: {
      schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
      messages,
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description:
            "A bearer JWT in the request's `Authorization` header, verified as by the HTTP API (with the command service's own audience when it is given one)"
        }
      }
    }
  }
}

/** The document as pretty JSON (two spaces) with a trailing newline: the content of docs/asyncapi.json. */
export const toJson = (doc: Document): string => `${JSON.stringify(doc, null, 2)}\n`
