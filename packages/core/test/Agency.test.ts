/**
 * Agencies (issue 11): the UPTD PPA and DP3A of women's and child protection, and the juvenile-justice chain (police,
 * prosecutor, court, Bapas, LPAS, LPKA), each with its duties and their basis. A UPTD PPA manages cases, so it may
 * own one; it is not part of social affairs, so its supervisors read the cases it owns, not every case of its region.
 */
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import * as Access from "../src/Access.js"
import * as Actor from "../src/Actor.js"
import * as Agency from "../src/Agency.js"
import * as Case from "../src/Case.js"
import * as Decider from "../src/Decider.js"
import { agencies, at, cmd } from "./fixtures.js"

const uptdPpa = Agency.make({
  id: "uptd-ppa-13.71",
  kind: "uptd-ppa",
  name: "UPTD PPA Kota Padang",
  region: "13.71"
})
const bapas = Agency.make({ id: "bapas-padang", kind: "bapas", name: "Bapas Kelas I Padang", region: "13" })
const directory = Agency.directory([...Object.values(agencies), uptdPpa, bapas])
const ppaIntake = Actor.make({ id: "ppa-intake-1", role: "intake-officer", agency: uptdPpa.id, region: "13.71" })
const ppaHead = Actor.make({
  id: "kepala-uptd-ppa-padang",
  role: "supervisor",
  position: "kepala-unit",
  agency: uptdPpa.id,
  region: "13.71"
})

const register = (owner: string, actor: Actor.Actor, caseId: string) =>
  Decider.run(
    Case.initialState,
    cmd({
      _tag: "RegisterReport",
      caseId,
      subject: `s-${caseId}`,
      sex: "female",
      birthDate: "2013-02-01",
      region: "13.71",
      owner,
      source: "hotline",
      concerns: ["sexual-violence"]
    }),
    { now: at("2025-03-01T02:00:00Z"), actor, agencies: directory }
  )

describe("Agency", () => {
  it("gives every kind its duties; the juvenile-justice kinds and the UPTD PPA cite their basis", () => {
    for (const kind of Agency.Kind.literals) expect(Agency.duties[kind]).toBeDefined()
    for (const kind of ["uptd-ppa", "bapas", "lpas", "lpka", "prosecutor", "court", "police"] as const) {
      expect(Agency.duties[kind].basis.length, kind).toBeGreaterThan(0)
      expect(Agency.duties[kind].does.length, kind).toBeGreaterThan(0)
    }
    // Permen PPPA 4/2018's operative text was not read: its six services stay unverified.
    expect(Agency.duties["uptd-ppa"].basis.map((b) => b.status)).toEqual(["unverified"])
    expect(Agency.duties["uptd-ppa"].does).toEqual([
      "complaints",
      "outreach",
      "case-management",
      "shelter",
      "mediation",
      "accompaniment"
    ])
    expect(Agency.does(bapas, "community-research")).toBe(true)
    expect(Agency.does({ kind: "lpas" }, "detention")).toBe(true)
    expect(Agency.does({ kind: "lpka" }, "sentence-of-imprisonment")).toBe(true)
  })

  it("lets a UPTD PPA own a case of violence against a child; a DP3A, a Bapas or an LPAS cannot", () => {
    const owned = register(uptdPpa.id, ppaIntake, "ppa-1")
    expect(Result.isSuccess(owned) && owned.success.state).toMatchObject({ owner: uptdPpa.id })
    expect(Agency.canOwnCases({ kind: "dp3a" })).toBe(false)
    expect(Agency.canOwnCases(bapas)).toBe(false)
    expect(Agency.canOwnCases({ kind: "lpas" })).toBe(false)
    const refused = Decider.decide(
      Case.initialState,
      cmd({
        _tag: "RegisterReport",
        caseId: "bapas-1",
        subject: "s-b",
        sex: "male",
        region: "13.71",
        owner: bapas.id,
        source: "police",
        concerns: []
      }),
      {
        now: at("2025-03-01T02:00:00Z"),
        actor: Actor.make({ id: "bapas-1", role: "intake-officer", agency: bapas.id, region: "13" }),
        agencies: directory
      }
    )
    expect(Result.isFailure(refused) && refused.failure.message).toMatch(
      /cannot own cases: only a Dinas Sosial, a Sentra, a UPTD or a UPTD PPA can/
    )
  })

  it("lets the head of a UPTD PPA read the cases it owns, not the Dinas Sosial's cases of its region", () => {
    const ppaCase = register(uptdPpa.id, ppaIntake, "ppa-2")
    const dinsosCase = register(
      "dinsos-13.71",
      Actor.make({ id: "intake-padang", role: "intake-officer", agency: "dinsos-13.71", region: "13.71" }),
      "dinsos-2"
    )
    if (Result.isFailure(ppaCase) || Result.isFailure(dinsosCase)) throw new Error("registration failed")
    const context = { agencies: directory }
    expect(Access.can(ppaHead, "read", ppaCase.success.state, context)).toBe(true)
    expect(Access.can(ppaHead, "read", dinsosCase.success.state, context)).toBe(false)
    expect(Access.listScope(ppaHead, "list", {}, context)).toMatchObject({ success: { owner: uptdPpa.id } })
  })
})
