import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as Basis from "../src/Basis.js"

describe("Basis", () => {
  it("formats a basis for people", () => {
    expect(Basis.format(Basis.verified("UU 35/2014", "Pasal 59 ayat (2)"))).toBe(
      "UU 35/2014 Pasal 59 ayat (2) [verified]"
    )
    expect(Basis.format(Basis.policyDefault("Primero", undefined, "caseload bands"))).toBe(
      "Primero [policy-default] — caseload bands"
    )
  })

  it("decodes only complete bases and rules", () => {
    expect(() => Schema.decodeUnknownSync(Basis.Basis)({ instrument: "", status: "verified" })).toThrow()
    expect(() => Schema.decodeUnknownSync(Basis.Basis)({ instrument: "UU 11/2012", status: "maybe" })).toThrow()
    expect(() => Schema.decodeUnknownSync(Basis.Rule)({ id: "X", title: { id: "a", en: "b" }, basis: [] })).toThrow()
    const rule = Basis.rule("SPPA-DIVERSION", Basis.label("Diversi", "Diversion"), [
      Basis.verified("UU 11/2012", "Pasal 7")
    ])
    expect(Schema.decodeUnknownSync(Basis.Rule)(rule)).toEqual(rule)
  })
})
