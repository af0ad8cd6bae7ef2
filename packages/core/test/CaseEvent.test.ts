import { readFileSync } from "node:fs"
import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as CaseEvent from "../src/CaseEvent.js"
import * as PublicEvent from "../src/PublicEvent.js"
import * as Risk from "../src/Risk.js"
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

  describe("AssessmentRecorded 1 → 2: the red flags the policy held (review: an assessment did not record them)", () => {
    // Written by the version before the change (schema version 1), as storage holds it.
    const v1 = JSON.parse(readFileSync(new URL("./fixtures/AssessmentRecorded.v1.json", import.meta.url), "utf8"))

    it("reads a version-1 assessment with the catalogue's red flags among its factors, score and threshold absent", () => {
      expect(v1.schemaVersion).toBe(1)
      expect(v1.payload.risk.redFlags).toBeUndefined()
      const decoded = CaseEvent.decodeEnvelope(v1)
      expect(decoded.schemaVersion).toBe(2)
      if (decoded.payload._tag !== "AssessmentRecorded") throw new Error("not an assessment")
      // In the catalogue's order, whatever the factors' order; the concerns among the factors are no red flags.
      expect(decoded.payload.risk.redFlags).toEqual(["sexual-violence", "perpetrator-has-access"])
      expect(decoded.payload.risk.factors).toEqual(v1.payload.risk.factors)
      expect(decoded.payload.risk.decision).toEqual(v1.payload.risk.decision)
      expect("score" in decoded.payload.risk).toBe(false)
      expect("sedangThreshold" in decoded.payload.risk).toBe(false)
      // Everything else is as written.
      const { payload: _payload, schemaVersion: _version, ...envelope } = v1
      expect(CaseEvent.encode(decoded)).toMatchObject(envelope)
      // Encoded again, it is a version-2 event that decodes to itself.
      expect(CaseEvent.decodeEnvelope(JSON.parse(JSON.stringify(CaseEvent.encode(decoded))))).toEqual(decoded)
    })

    it("reads the red flags of version 1 from the list then in force, not from today's catalogue", () => {
      const withFactors = (factors: ReadonlyArray<string>) => ({
        ...v1,
        payload: { ...v1.payload, risk: { ...v1.payload.risk, factors } }
      })
      // Every catalogue red flag of today was one then; a concern never was.
      const all = CaseEvent.decodeEnvelope(withFactors([...Risk.concernCodes, ...Risk.redFlagCodes]))
      expect(all.payload._tag === "AssessmentRecorded" && all.payload.risk.redFlags).toEqual([...Risk.redFlagCodes])
      const none = CaseEvent.decodeEnvelope(withFactors(["out-of-school", "child-marriage"]))
      expect(none.payload._tag === "AssessmentRecorded" && none.payload.risk.redFlags).toEqual([])
      // A level computed below tinggi had no red flag in force, whatever its factors.
      const sedang = CaseEvent.decodeEnvelope({
        ...v1,
        payload: {
          ...v1.payload,
          risk: { ...v1.payload.risk, decision: { ...v1.payload.risk.decision, computed: "sedang", chosen: "sedang" } }
        }
      })
      expect(sedang.payload._tag === "AssessmentRecorded" && sedang.payload.risk.redFlags).toEqual([])
      // A payload that is no assessment is left to the decoder, which refuses it.
      expect(() => CaseEvent.decodeEnvelope({ ...v1, payload: { ...v1.payload, risk: { factors: "x" } } })).toThrow(
        Schema.SchemaError
      )
    })

    it("reads the public form of a version-1 assessment too", () => {
      const published = PublicEvent.decode({ ...v1, payload: v1.payload })
      expect(published.schemaVersion).toBe(2)
      expect(published.payload._tag === "AssessmentRecorded" && published.payload.risk?.redFlags).toEqual([
        "sexual-violence",
        "perpetrator-has-access"
      ])
    })
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
