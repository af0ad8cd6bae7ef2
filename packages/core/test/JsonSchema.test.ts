import { Ajv2020 } from "ajv/dist/2020.js"
import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as CaseCommand from "../src/CaseCommand.js"
import * as CaseEvent from "../src/CaseEvent.js"
import * as JsonSchema from "../src/JsonSchema.js"
import * as PublicEvent from "../src/PublicEvent.js"
import { cmd, emptyStory, people, step } from "./fixtures.js"

const doc = JsonSchema.document()
const ajv = new Ajv2020({ strict: false, allErrors: true })
ajv.addSchema({ ...doc, $id: "lindung" })
const validator = (name: string) => {
  const validate = ajv.getSchema(`lindung#/$defs/${name}`)
  if (validate === undefined) throw new Error(`no definition ${name}`)
  return validate
}

const registration = {
  _tag: "RegisterReport",
  caseId: "case-js-1",
  subject: "subject-js-1",
  sex: "male",
  birthDate: "2010-07-01",
  region: "13.71",
  owner: "dinsos-13.71",
  source: "school",
  concerns: ["out-of-school"]
}

describe("JSON Schema for other stacks", () => {
  it("defines every public schema, and every reference resolves", () => {
    for (const name of Object.keys(JsonSchema.schemas)) expect(doc.$defs[name], name).toBeDefined()
    const refs = JSON.stringify(doc).match(/"#\/\$defs\/[^"]+"/g) ?? []
    for (const ref of refs) expect(doc.$defs[ref.slice(9, -1)], ref).toBeDefined()
  })

  it("accepts what Lindung encodes: commands and events of a real story", () => {
    const s = step(emptyStory, people.padangIntake, "2025-01-10T02:00:00Z", cmd(registration))
    const validateCommand = validator("CaseCommand")
    expect(
      validateCommand(Schema.encodeSync(CaseCommand.Command)(cmd(registration))),
      JSON.stringify(validateCommand.errors)
    ).toBe(true)
    const validateEvent = validator("CaseEvent")
    const validatePublic = validator("PublicCaseEvent")
    for (const event of s.events) {
      expect(validateEvent(CaseEvent.encode(event)), JSON.stringify(validateEvent.errors)).toBe(true)
      // The full form does not validate as a public event: it has the subject and the birth date.
      expect(validatePublic(CaseEvent.encode(event))).toBe(false)
    }
    // The public form (what the NATS relay publishes) validates against its own definition.
    const publicForms = PublicEvent.encodeAll(s.events)
    expect(publicForms.length).toBeGreaterThan(0)
    for (const publicForm of publicForms) {
      expect(validatePublic(publicForm), JSON.stringify(validatePublic.errors)).toBe(true)
    }
  })

  it("rejects what Lindung's decoders reject: bad codes, unknown fields, missing fields", () => {
    const validateCommand = validator("CaseCommand")
    expect(validateCommand({ ...registration, region: "13.7" })).toBe(false)
    expect(validateCommand({ ...registration, birthDate: "10/07/2010" })).toBe(false)
    expect(validateCommand({ ...registration, name: "a child's name" })).toBe(false)
    const { owner: _owner, ...withoutOwner } = registration
    expect(validateCommand(withoutOwner)).toBe(false)
    expect(validateCommand({ ...registration, _tag: "DeleteCase" })).toBe(false)
  })
})
