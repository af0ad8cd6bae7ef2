/** The record ids a command creates: generated tokens, never free text, since the public stream carries them. */
import { fc, test as propTest } from "@fast-check/vitest"
import { Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as CaseCommand from "../src/CaseCommand.js"
import * as CaseEvent from "../src/CaseEvent.js"
import { runs } from "./properties.js"

const consent = (id: string) =>
  CaseCommand.decode({ _tag: "RecordConsent", caseId: "case-1", consent: id, givenBy: "mother", scope: ["summary"] })

const plan = (id: string) =>
  CaseCommand.decode({
    _tag: "ProposePlan",
    caseId: "case-1",
    approval: "approve-plan",
    plan: {
      id,
      firstReviewOn: "2025-04-01",
      items: [
        { component: "family-support", goal: "Parenting support", responsible: "dinsos-13.71", setting: "family-based" }
      ]
    }
  })

const issuesOf = (result: Result.Result<unknown, Schema.SchemaError>): string =>
  Result.isFailure(result) ? String(result.failure) : ""

describe("record ids a command creates (privacy review: free text in an id reached the public stream)", () => {
  it("accepts generated tokens", () => {
    for (const id of ["consent-1", "3f2b9c4e-1d2a-4c6b-9f0e-7a8b9c0d1e2f", "k1", "plan.2025:03_a"]) {
      expect(Result.isSuccess(consent(id)), id).toBe(true)
      expect(Result.isSuccess(plan(id)), id).toBe(true)
    }
  })

  it("refuses a name, a sentence, a line break or a NIK, without quoting it", () => {
    const nik = "3171012345678901"
    for (const id of ["Ibu Siti Aminah", "siti\naminah", `ibu-${nik}`, "-lead", "x".repeat(101), "émilie"]) {
      const refused = consent(id)
      expect(Result.isFailure(refused), JSON.stringify(id)).toBe(true)
      expect(issuesOf(refused)).not.toContain("Siti")
      expect(issuesOf(refused)).not.toContain(nik)
    }
    // A plan's own id is checked where it stands.
    const nested = plan("Rencana untuk Siti")
    expect(issuesOf(nested)).toMatch(/\["plan"\]\["id"\]/)
    expect(issuesOf(nested)).toMatch(/a record id is letters, digits/)
  })

  it("keeps reading the ids that earlier versions recorded: events and references are not checked", () => {
    const recorded = Schema.decodeUnknownResult(CaseEvent.Payload)({
      _tag: "ConsentRecorded",
      consent: "consent of the mother",
      givenBy: "mother",
      scope: ["summary"]
    })
    expect(Result.isSuccess(recorded)).toBe(true)
    const withdrawn = CaseCommand.decode({
      _tag: "WithdrawConsent",
      caseId: "case-1",
      consent: "consent of the mother"
    })
    expect(Result.isSuccess(withdrawn)).toBe(true)
  })

  propTest.prop([fc.uuid(), fc.stringMatching(/^[a-z][a-z0-9]{0,15}$/), fc.stringMatching(/^[1-9][0-9]{15}$/)], {
    numRuns: runs(300)
  })(
    "a UUID is a record id; a NIK standing in an id, whole or grouped, never is (the rule of CaseModel.recordIdProblem)",
    (uuid, word, nik) => {
      expect(Result.isSuccess(consent(uuid)), uuid).toBe(true)
      expect(Result.isSuccess(consent(`${word}-${uuid}`)), uuid).toBe(true)
      const grouped = [nik.slice(0, 4), nik.slice(4, 8), nik.slice(8, 12), nik.slice(12)].join("-")
      for (const id of [nik, `${word}-${nik}`, `${word}_${nik}:1`, grouped, `${word}.${grouped}`]) {
        const refused = consent(id)
        expect(Result.isFailure(refused), id).toBe(true)
        expect(issuesOf(refused)).not.toContain(nik)
      }
      expect(Result.isFailure(consent(`${word} ${nik.slice(0, 3)}`))).toBe(true)
    }
  )
})
