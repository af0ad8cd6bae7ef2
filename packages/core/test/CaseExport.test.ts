/**
 * Exports (issue 11: a lawful basis on every disclosure): an export request names a lawful basis of UU 27/2022
 * Pasal 20 ayat (2) that fits many cases at once — a legal obligation (c), a public task or authority (e), or a court
 * order — and a purpose; its manifest records them with the citation, and never holds identity.
 */
import { DateTime, Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as CaseExport from "../src/CaseExport.js"
import * as Region from "../src/Region.js"
import { people } from "./fixtures.js"

const request = {
  lawfulBasis: { _tag: "public-task", authority: "UU 23/2014 Lampiran: social affairs of the kota" },
  purpose: "Annual child-protection figures",
  region: "13.71"
}

describe("CaseExport", () => {
  it("takes a legal obligation, a public task or a court order, with a purpose", () => {
    expect(Result.isSuccess(CaseExport.decodeRequest(request))).toBe(true)
    for (const lawfulBasis of [
      { _tag: "legal-obligation", provision: "Permensos 5/2019" },
      { _tag: "court-order", reference: "Penetapan PN Padang 12/Pid.Sus-Anak/2025" }
    ]) {
      expect(Result.isSuccess(CaseExport.decodeRequest({ ...request, lawfulBasis }))).toBe(true)
    }
  })

  it("refuses consent or an emergency (bases for one child's data), a blank ground, or no purpose", () => {
    for (const input of [
      { ...request, lawfulBasis: { _tag: "consent", consent: "k-1" } },
      { ...request, lawfulBasis: { _tag: "emergency", reason: "Danger" } },
      { ...request, lawfulBasis: { _tag: "public-task", authority: "  " } },
      { lawfulBasis: request.lawfulBasis, region: "13.71" },
      { ...request, region: "13.7" }
    ]) {
      const decoded = CaseExport.decodeRequest(input)
      expect(Result.isFailure(decoded) && decoded.failure._tag).toBe("InvalidInput")
    }
  })

  it("records who exported, when, on which basis and for what; it cites Pasal 20 (2) and SPPA confidentiality", () => {
    const decoded = CaseExport.decodeRequest(request)
    if (Result.isFailure(decoded)) throw decoded.failure
    const now = DateTime.makeUnsafe("2025-07-01T00:00:00Z")
    const manifest = CaseExport.manifest(
      people.padangKabid,
      decoded.success,
      { region: Region.decodeSync("13.71") },
      now
    )
    expect(manifest).toMatchObject({
      exportedBy: { id: people.padangKabid.id, role: "supervisor", agency: "dinsos-13.71" },
      lawfulBasis: request.lawfulBasis,
      purpose: request.purpose,
      scope: { region: "13.71" }
    })
    expect(manifest.basis.map((b) => `${b.instrument} ${b.provision}`)).toEqual(
      expect.arrayContaining(["UU 27/2022 Pasal 20 ayat (2) huruf e", "UU 11/2012 Pasal 19"])
    )
    const json = JSON.parse(JSON.stringify(Schema.encodeSync(CaseExport.Manifest)(manifest)))
    expect(Schema.decodeUnknownSync(CaseExport.Manifest)(json)).toEqual(manifest)
  })
})
