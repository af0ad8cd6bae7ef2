/**
 * The AsyncAPI document: valid for `@asyncapi/parser`, one message per event type describing the public form (no
 * field that `PublicEvent` leaves out), the seed stories' real messages valid against it, and docs/asyncapi.json
 * equal to what the code generates today.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { Parser } from "@asyncapi/parser"
import { Case, CaseEvent, PublicEvent } from "@lindung/core"
import { Runner, Stories } from "@lindung/seeds"
import { Ajv, type ValidateFunction } from "ajv"
import { Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { AsyncApi, CloudEvent, Relay, Subjects } from "../src/index.js"

const doc = AsyncApi.document()
const json = AsyncApi.toJson(doc)
const file = join(import.meta.dirname, "..", "..", "..", "docs", "asyncapi.json")

type JsonObject = { readonly [key: string]: unknown }

const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/**
 * Every property name anywhere in a schema, following `$ref`s into `definitions` (refs starting with `prefix`).
 * Each definition is entered once, so recursive schemas end.
 */
const propertyNames = (
  schema: unknown,
  definitions: Readonly<Record<string, unknown>>,
  prefix: string,
  seen: Set<string> = new Set()
): Set<string> => {
  const names = new Set<string>()
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item)
      return
    }
    if (!isObject(value)) return
    for (const [key, item] of Object.entries(value)) {
      if (key === "$ref" && typeof item === "string") {
        expect(item.startsWith(prefix), `a ref outside ${prefix}: ${item}`).toBe(true)
        const name = item.slice(prefix.length)
        if (seen.has(name)) continue
        seen.add(name)
        expect(definitions[name], `the ref ${item} resolves`).toBeDefined()
        walk(definitions[name])
      } else if (key === "properties" && isObject(item)) {
        for (const [name, property] of Object.entries(item)) {
          names.add(name)
          walk(property)
        }
      } else if (key !== "enum" && key !== "const" && key !== "examples") walk(item)
    }
  }
  walk(schema)
  return names
}

const components = doc.components.schemas as Readonly<Record<string, unknown>>
const COMPONENTS = "#/components/schemas/"

/** The schema a component ref points to. */
const deref = (schema: unknown): JsonObject => {
  if (isObject(schema) && typeof schema.$ref === "string") {
    const target = components[schema.$ref.slice(COMPONENTS.length)]
    if (!isObject(target)) throw new Error(`${schema.$ref} does not resolve`)
    return target
  }
  if (!isObject(schema)) throw new Error("not a schema")
  return schema
}

/** The property names under the `payload` of an event type's message payload. */
const messagePayloadNames = (type: CaseEvent.Type): Set<string> => {
  const message = doc.components.messages[type]
  const envelope = deref(message?.payload)
  const payload = (envelope.properties as Record<string, unknown>).payload
  return propertyNames(payload, components, COMPONENTS)
}

/** The property names of a schema by Effect's own JSON Schema compiler (draft 2020-12, `$defs`). */
const effectNames = (schema: Schema.Top): Set<string> => {
  const generated = Schema.toJsonSchemaDocument(schema, { onExcessProperty: "error" })
  return propertyNames(generated.schema, generated.definitions, "#/$defs/")
}

const fullPayload = (type: CaseEvent.Type): Schema.Top => {
  const member = CaseEvent.Payload.members.find((candidate) => candidate.fields._tag.schema.literal === type)
  if (member === undefined) throw new Error(`no payload ${type}`)
  return member
}

const ajv = new Ajv({ allErrors: true, strict: false })
ajv.addSchema(JSON.parse(json), "asyncapi.json")
const validator = (pointer: string): ValidateFunction => {
  const validate = ajv.getSchema(`asyncapi.json#${pointer}`)
  if (validate === undefined) throw new Error(`no schema at ${pointer}`)
  return validate
}

const story = (() => {
  const run = Runner.runPure(Stories.all[0] as Stories.Story)
  if (Result.isFailure(run)) throw new Error(`the first seed story does not run: ${run.failure.reason}`)
  return run.success.events
})()

/** The NATS messages of the story's events, as the relay builds them (each with the state of its case before it). */
const messages = (() => {
  const states = new Map<string, Case.State>()
  return story.map((event) => {
    const before = states.get(event.caseId) ?? Case.initialState
    states.set(event.caseId, Case.evolve(before, event))
    return { event, before, message: Relay.messageOf(event, before) }
  })
})()

const headersOf = (message: Relay.Message): Record<string, string> => ({
  ...Object.fromEntries(message.headers),
  "Nats-Msg-Id": message.id
})

describe("AsyncApi", () => {
  it("is an AsyncAPI 3.0.0 document that @asyncapi/parser accepts without an error", async () => {
    const { document, diagnostics } = await new Parser().parse(json)
    const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 0)
    expect(
      errors.map((error) => `${error.code} at ${error.path.join(".")}: ${error.message}`),
      "the parser's errors"
    ).toEqual([])
    expect(document).toBeDefined()
    expect(document?.version()).toBe("3.0.0")
    expect(document?.info().title()).toBe("Lindung events and commands over NATS")
    const operations = document?.operations().all() ?? []
    expect(operations.map((operation) => [operation.id(), operation.action()]).sort()).toEqual([
      ["executeCommand", "receive"],
      ["publishCaseEvents", "send"],
      ["registerReport", "receive"]
    ])
    const events = document?.channels().get("caseEvents")
    expect(events?.address()).toBe(`${Subjects.DEFAULT_PREFIX}.{province}.{kabkota}.{eventType}`)
    // Every event type but those never published (a child's 18th birthday: its moment is the birth date).
    expect(events?.messages().all().length).toBe(CaseEvent.Payload.members.length - PublicEvent.withheld.size)
    for (const id of ["registerReport", "executeCommand"]) {
      const reply = document?.operations().get(id)?.reply()
      expect(reply, `${id} has a reply`).toBeDefined()
      expect((reply?.messages().all() ?? []).map((message) => message.name()).sort()).toEqual([
        "CommandResult",
        "Problem"
      ])
    }
  })

  it("has one message per event type, with its CloudEvents type and data schema fixed", () => {
    const channel = doc.channels.caseEvents as { parameters: { eventType: { enum: Array<string> } } }
    const types = CaseEvent.Payload.members
      .map((member) => member.fields._tag.schema.literal)
      .filter((type) => !PublicEvent.withheld.has(type))
    expect(types).not.toContain("AdulthoodReached")
    expect(channel.parameters.eventType.enum).toEqual(types)
    expect(doc.components.messages.AdulthoodReached).toBeUndefined()
    for (const type of types) {
      const message = doc.components.messages[type] as
        | { name: string; headers: { properties: Record<string, { const?: string }>; required: Array<string> } }
        | undefined
      expect(message?.name, type).toBe(type)
      const version = CaseEvent.schemaVersions[type]
      expect(message?.headers.properties["ce-type"]?.const).toBe(CloudEvent.typeOf(type, version))
      expect(message?.headers.properties["ce-dataschema"]?.const).toBe(CloudEvent.dataSchemaOf(type, version))
      expect(message?.headers.required).toEqual(expect.arrayContaining(["ce-id", "ce-type", "Nats-Msg-Id"]))
      const envelope = deref(message && (doc.components.messages[type] as { payload: unknown }).payload)
      expect((envelope.properties as Record<string, { const?: unknown }>).type?.const).toBe(type)
    }
  })

  it("describes the public form: no field that PublicEvent leaves out, every field it keeps", () => {
    for (const member of CaseEvent.Payload.members) {
      const type = member.fields._tag.schema.literal
      if (PublicEvent.withheld.has(type)) continue
      expect([...messagePayloadNames(type)].sort(), type).toEqual([...effectNames(PublicEvent.payloads[type])].sort())
    }
    // What PublicEvent leaves out is in the full form and nowhere in the document's message.
    const registered = messagePayloadNames("ReportRegistered")
    for (const name of ["subject", "birthDate"]) {
      expect(effectNames(fullPayload("ReportRegistered")).has(name), `the full form has ${name}`).toBe(true)
      expect(registered.has(name), `the public form has no ${name}`).toBe(false)
    }
    expect(effectNames(fullPayload("PlanProposed")).has("goal")).toBe(true)
    expect(messagePayloadNames("PlanProposed").has("goal")).toBe(false)
    expect(messagePayloadNames("PlanProposed").has("component")).toBe(true)
    // The envelope carries no actor name or other identity either.
    const envelope = propertyNames(doc.components.messages.ReportRegistered?.payload, components, COMPONENTS)
    expect([...envelope].filter((name) => ["name", "nik", "displayName", "birthDate"].includes(name))).toEqual([])
  })

  it("validates the seed story's real messages, and rejects the full form and another type's headers", () => {
    expect(messages.length).toBeGreaterThan(5)
    const channel = new RegExp(
      `^${Subjects.DEFAULT_PREFIX.replaceAll(".", "\\.")}\\.([0-9]{2}|_)\\.([0-9]{4}|_)\\.([A-Za-z0-9]+)$`
    )
    for (const { event, before, message } of messages) {
      const type = event.type as CaseEvent.Type
      expect(channel.exec(message.subject)?.[3], message.subject).toBe(type)
      const payload = validator(`/components/messages/${type}/payload`)
      const body = JSON.parse(message.body)
      expect(body).toEqual(JSON.parse(JSON.stringify(PublicEvent.encode(event, before))))
      expect(payload(body) ? [] : payload.errors, `${type} payload`).toEqual([])
      const headers = validator(`/components/messages/${type}/headers`)
      expect(headers(headersOf(message)) ? [] : headers.errors, `${type} headers`).toEqual([])
    }
    const first = messages[0]
    const second = messages.find(({ event }) => event.type !== "ReportRegistered")
    if (first === undefined || second === undefined) throw new Error("the story has no event but a registration")
    expect(first.event.type).toBe("ReportRegistered")
    // The full form carries the subject and free text: the public message's schema refuses it.
    const full = JSON.parse(JSON.stringify(Schema.encodeSync(CaseEvent.Envelope)(first.event)))
    expect(full.payload.subject).toBeDefined()
    expect(validator("/components/messages/ReportRegistered/payload")(full)).toBe(false)
    // Another type's event fails both the payload and the headers of ReportRegistered.
    expect(validator("/components/messages/ReportRegistered/payload")(JSON.parse(second.message.body))).toBe(false)
    expect(validator("/components/messages/ReportRegistered/headers")(headersOf(second.message))).toBe(false)
  })

  it("describes the command requests and their replies", () => {
    const register = validator("/components/messages/RegisterRequest/headers")
    expect(register({ Authorization: "Bearer a.b.c", "Idempotency-Key": "key-1" })).toBe(true)
    expect(register({ "Idempotency-Key": "key-1" })).toBe(false)
    expect(register({ Authorization: "Basic dXNlcjpwYXNz" })).toBe(false)
    expect(register({ Authorization: "Bearer a.b.c", "Idempotency-Key": "with space" })).toBe(false)
    expect(
      validator("/components/messages/CaseCommand/headers")({ Authorization: "Bearer x", "If-Match": '"3"' })
    ).toBe(true)
    const problem = validator("/components/messages/Problem/payload")
    expect(problem({ type: "urn:lindung:problem:unauthorized", title: "Authentication required", status: 401 })).toBe(
      true
    )
    expect(
      problem({ type: "about:blank", title: "Internal error", status: 500, detail: "An unexpected failure" })
    ).toBe(true)
    expect(problem({ type: "urn:lindung:problem:unauthorized", title: "Autentikasi diperlukan", status: 401 })).toBe(
      true
    )
    expect(problem({ type: "urn:lindung:problem:unauthorized", title: "Kasus sudah ada", status: 401 })).toBe(false)
    expect(problem({ type: "urn:lindung:problem:unknown", status: 418 })).toBe(false)
    const headers = validator("/components/messages/Problem/headers")
    expect(
      headers({
        "content-type": "application/problem+json",
        "Nats-Service-Error-Code": "413",
        "Nats-Service-Error": "Payload too large"
      })
    ).toBe(true)
    expect(headers({ "content-type": "application/problem+json", "Nats-Service-Error-Code": "418" })).toBe(false)
  })

  it("takes the servers, the subject prefix and the version from its options", () => {
    const custom = AsyncApi.document({
      prefix: "dinsos.case",
      version: "9.9.9",
      servers: { production: { host: "nats.example.go.id:4222", protocol: "tls" } }
    })
    expect(custom.channels.caseEvents?.address).toBe("dinsos.case.{province}.{kabkota}.{eventType}")
    expect(custom.info.description).toContain("`dinsos.case.13.>`")
    expect(custom.info.version).toBe("9.9.9")
    expect(Object.keys(custom.servers)).toEqual(["production"])
    expect(doc.servers.development?.host).toBe("127.0.0.1:4222")
  })

  it("docs/asyncapi.json is the document the code generates today", () => {
    let written: unknown
    try {
      written = JSON.parse(readFileSync(file, "utf8"))
    } catch (cause) {
      throw new Error(`docs/asyncapi.json cannot be read (${String(cause)}): run the script`)
    }
    expect(
      written,
      "docs/asyncapi.json is out of date: run `npx node packages/transport-nats/scripts/asyncapi.ts`"
    ).toEqual(JSON.parse(json))
  })
})
