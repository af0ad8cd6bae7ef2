/** The register of rules: one entry per id, every rule the SOP cites included, every citation marked. */
import { describe, expect, it } from "vitest"
import * as RuleRegister from "../src/RuleRegister.js"
import * as SopTable from "../src/SopTable.js"

describe("RuleRegister", () => {
  it("lists each rule id once", () => {
    const ids = RuleRegister.entries.map((entry) => entry.id)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it("holds every rule the SOP table cites, with the same statement and basis", () => {
    const byId = new Map(RuleRegister.entries.map((entry) => [entry.id, entry]))
    for (const rule of SopTable.citedRules()) {
      expect(byId.get(rule.id), rule.id).toMatchObject({ title: rule.title, basis: rule.basis })
    }
  })

  it("gives every rule at least one basis, each marked verified, unverified or policy-default", () => {
    for (const entry of RuleRegister.entries) {
      expect(entry.basis.length, entry.id).toBeGreaterThan(0)
      for (const basis of entry.basis) expect(["verified", "unverified", "policy-default"]).toContain(basis.status)
    }
  })

  it("renders a row per rule, with the tests that name it", () => {
    const page = RuleRegister.markdown((id) => (id === "SOP-01" ? ["packages/core/test/x.test.ts"] : []))
    expect(page).toMatch(/\| SOP-01 \| .* \| `packages\/core\/test\/x\.test\.ts` \|/u)
    expect(page).toMatch(/\| SOP-02 \| .* \| — \|/u)
    for (const entry of RuleRegister.entries) expect(page).toContain(`| ${entry.id} |`)
  })
})
