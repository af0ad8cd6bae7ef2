import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as CaseEvent from "../src/CaseEvent.js"
import { cmd, emptyStory, people, step } from "./fixtures.js"

const registered = () =>
  step(
    emptyStory,
    people.padangIntake,
    "2025-01-10T02:00:00Z",
    cmd({
      _tag: "RegisterReport",
      caseId: "case-ev-1",
      subject: "subject-ev-1",
      sex: "female",
      birthDate: "2011-03-04",
      region: "13.71",
      owner: "dinsos-13.71",
      source: "school",
      concerns: ["out-of-school"]
    })
  ).events[0] as CaseEvent.Envelope

describe("CaseEvent", () => {
  it("round-trips an envelope through its JSON form", () => {
    const event = registered()
    const json = JSON.parse(JSON.stringify(CaseEvent.encode(event)))
    expect(CaseEvent.decodeEnvelope(json)).toEqual(event)
    expect(json).toMatchObject({ eventId: "case-ev-1:1", version: 1, type: "ReportRegistered", schemaVersion: 1 })
  })

  it("upgrades an old schema version of a payload before decoding", () => {
    const event = registered()
    const json = CaseEvent.encode(event) as Record<string, unknown> & { payload: Record<string, unknown> }
    // Pretend version 1 of ReportRegistered called the region `wilayah`; version 2 renamed it.
    const { region, ...rest } = json.payload
    const old = { ...json, schemaVersion: 1, payload: { ...rest, wilayah: region } }
    const registry: CaseEvent.Upcasters = {
      ReportRegistered: {
        1: (encoded) => {
          const { wilayah, ...others } = encoded as Record<string, unknown>
          return { ...others, region: wilayah }
        }
      }
    }
    const decoded = CaseEvent.decodeEnvelope(old, registry, { ...CaseEvent.schemaVersions, ReportRegistered: 2 })
    expect(decoded.payload).toEqual(event.payload)
    expect(decoded.schemaVersion).toBe(2)
    expect(() => CaseEvent.decodeEnvelope(old, {}, { ...CaseEvent.schemaVersions, ReportRegistered: 2 })).toThrow(
      /No upcaster for ReportRegistered from schema version 1/
    )
  })

  it("refuses data that is not an event", () => {
    expect(() => CaseEvent.decodeEnvelope({ type: "ReportRegistered", payload: {} })).toThrow(Schema.SchemaError)
    expect(() => CaseEvent.decodeEnvelope(null)).toThrow()
  })

  it("gives every event type a schema version", () => {
    for (const member of CaseEvent.Payload.members) {
      expect(CaseEvent.schemaVersions[member.fields._tag.schema.literal]).toBeGreaterThanOrEqual(1)
    }
  })
})

describe("CaseEvent envelope", () => {
  it("refuses an envelope whose type does not match its payload", () => {
    const event = registered()
    const json = { ...(CaseEvent.encode(event) as Record<string, unknown>), type: "CaseworkerAssigned" }
    expect(() => CaseEvent.decodeEnvelope(json)).toThrow(/does not match the payload ReportRegistered/)
  })

  it("decodes a diversion agreement recorded before the child's and family's willingness was asked", () => {
    const payload = Schema.decodeUnknownSync(CaseEvent.Payload)({
      _tag: "DiversionConcluded",
      stage: "investigation",
      on: "2025-01-28",
      outcome: "agreement",
      agreement: {
        forms: [{ _tag: "reconciliation", compensation: true }],
        victimConsent: { _tag: "given", by: "victim" }
      }
    })
    expect(payload).toMatchObject({ _tag: "DiversionConcluded", agreement: { victimConsent: { _tag: "given" } } })
  })
})
