/**
 * Citations: every legal basis the library exports, found by walking the public modules. A citation that cannot
 * be confirmed is unverified or policy — never verified — and one provision has one status everywhere (issue 11,
 * fact 11: corrections from a practitioner's review against the regulations and docs/domain.md).
 */
import { describe, expect, it } from "vitest"
import type * as Basis from "../src/Basis.js"
import * as Core from "../src/index.js"
import * as Jurisdiction from "../src/Jurisdiction.js"
import * as Sop from "../src/Sop.js"

const isBasis = (value: unknown): value is Basis.Basis =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as { instrument?: unknown }).instrument === "string" &&
  typeof (value as { status?: unknown }).status === "string"

/** Every basis reachable from the exports of the core's modules (data only: functions are not called). */
const everyBasis = (): ReadonlyArray<Basis.Basis> => {
  const found: Array<Basis.Basis> = []
  const seen = new Set<unknown>()
  const visit = (value: unknown, depth: number): void => {
    if (depth > 8 || typeof value !== "object" || value === null || seen.has(value)) return
    seen.add(value)
    if (isBasis(value)) {
      found.push(value)
      return
    }
    if (value instanceof Map) for (const item of value.values()) visit(item, depth + 1)
    else for (const item of Object.values(value)) visit(item, depth + 1)
  }
  for (const module of Object.values(Core)) visit(module, 0)
  return found
}

const cites = (rule: Basis.Rule, instrument: string, provision?: string) =>
  rule.basis.filter((b) => b.instrument === instrument && (provision === undefined || b.provision === provision))

describe("citations", () => {
  it("give one provision one status everywhere", () => {
    const statuses = new Map<string, Set<string>>()
    for (const basis of everyBasis()) {
      const key = `${basis.instrument} ${basis.provision ?? "(whole instrument)"}`
      statuses.set(key, (statuses.get(key) ?? new Set()).add(basis.status))
    }
    expect(statuses.size).toBeGreaterThan(30)
    const conflicting = [...statuses].filter(([, set]) => set.size > 1).map(([key, set]) => `${key}: ${[...set]}`)
    expect(conflicting).toEqual([])
  })

  it("mark only the first stage of PP 39/2012 Pasal 7 ayat (2) as checked: e (resosialisasi) and f (terminasi) are unverified", () => {
    expect(cites(Sop.rules["SOP-05"], "PP 39/2012")).toMatchObject([{ status: "unverified" }])
    expect(cites(Sop.rules["SOP-04"], "PP 39/2012")).toMatchObject([{ status: "unverified" }])
  })

  it("cite the child's right to be heard as UU 23/2002 Pasal 10, and who is a child as UU 23/2002 Pasal 1 angka 1", () => {
    expect(cites(Sop.rules["SOP-05"], "UU 23/2002", "Pasal 10")).toHaveLength(1)
    expect(cites(Sop.rules["SOP-05"], "UU 35/2014")).toEqual([])
    expect(Sop.rules["SOP-09"].basis).toEqual([Core.Basis.childUnder18])
    expect(Core.Classification.policyBasis.adultAge).toBe(Core.Basis.childUnder18)
  })

  it("cite UU 27/2022 for what each rule rests on: record keeping for the history, security for access, consent for sharing", () => {
    expect(cites(Sop.rules["SOP-10"], "UU 27/2022").map((b) => b.provision)).toEqual(["Pasal 31"])
    expect(cites(Sop.rules["SOP-07"], "UU 27/2022").map((b) => b.provision)).toEqual(["Pasal 35"])
    expect(cites(Sop.rules["SOP-06"], "UU 27/2022").map((b) => b.provision)).toEqual(["Pasal 25", "Pasal 20 ayat (2)"])
  })

  it("rest the four-eyes rule on policy only, and the Dinas structure limits on PP 18/2016", () => {
    expect(Sop.rules["SOP-03"].basis.every((b) => b.status === "policy-default")).toBe(true)
    expect(Core.DinasType.structureBasis.instrument).toMatch(/^PP 18\/2016/)
  })

  it("mark the provinsi and pusat levels unverified, as docs/domain.md §4 does", () => {
    const status = Object.fromEntries(Jurisdiction.levels.map((level) => [level.code, level.basis.status]))
    expect(status).toMatchObject({ provinsi: "unverified", pusat: "unverified" })
  })
})
