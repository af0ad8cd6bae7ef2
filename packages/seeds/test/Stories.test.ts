/**
 * The five seed stories as data: each runs end to end through the decider, ends in the stages it declares,
 * keeps the fictional identities out of every event and command, and decodes as JSON; the NTB story reproduces
 * its count tables.
 */
import { Case, CaseCommand, CaseEvent, CaseIndex, Ppks, Region } from "@lindung/core"
import { DateTime, Redacted, Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { Agencies, People, Runner, Stories } from "../src/index.js"

const replay = (story: Stories.Story): Runner.PureRun => {
  const result = Runner.runPure(story)
  if (Result.isFailure(result)) throw new Error(result.failure.message)
  return result.success
}

const runs = new Map(Stories.all.map((story) => [story.id, replay(story)]))
const runOf = (story: Stories.Story): Runner.PureRun => {
  const run = runs.get(story.id)
  if (run === undefined) throw new Error(`no run for ${story.id}`)
  return run
}
const stageOf = (story: Stories.Story, caseId: string) => runOf(story).states.get(caseId)?.stage

describe("every story runs end to end through the decider", () => {
  it.each(Stories.all.map((story) => [story.id, story] as const))("%s: no step is rejected", (_, story) => {
    const result = Runner.runPure(story)
    expect(Result.isSuccess(result) ? "accepted" : result.failure.message).toBe("accepted")
  })

  it.each(Stories.all.map((story) => [story.id, story] as const))(
    "%s: every case ends in the stage the story declares",
    (_, story) => {
      const { states } = runOf(story)
      expect([...states.keys()].sort()).toEqual(story.cases.map((c) => c.caseId).sort())
      for (const declared of story.cases) {
        expect({ caseId: declared.caseId, stage: states.get(declared.caseId)?.stage }).toEqual({
          caseId: declared.caseId,
          stage: declared.finalStage
        })
        expect(states.get(declared.caseId)?.subject.id).toBe(declared.subject)
      }
    }
  )

  it.each(Stories.all.map((story) => [story.id, story] as const))(
    "%s: each case's history replays to its state (SOP-12), with versions 1..n and a basis on every event",
    (_, story) => {
      const { states, events } = runOf(story)
      for (const [caseId, state] of states) {
        const history = events.filter((e) => e.caseId === caseId)
        expect(history.map((e) => e.version)).toEqual(history.map((_, i) => i + 1))
        expect(Case.fold(history)).toEqual(state)
      }
      for (const event of events) expect(event.basis.length).toBeGreaterThan(0)
    }
  )

  it("the stories have the expected cases and final stages", () => {
    const summary = Object.fromEntries(Stories.all.map((story) => [story.id, story.cases.length] as const))
    expect(summary).toEqual({
      "000-padang": 2,
      "001-sumbar": 2,
      "002-balikpapan": 3,
      "003-ntb": 35,
      "004-tipe-dinas": 4
    })
    expect(stageOf(Stories.padang, "000-padang-kakak")).toBe("aftercare")
    expect(stageOf(Stories.padang, "000-padang-adik")).toBe("reintegration")
    expect(stageOf(Stories.sumbar, "001-limapuluhkota-napza")).toBe("closed")
    expect(stageOf(Stories.sumbar, "001-padang-abh")).toBe("closed")
    expect(stageOf(Stories.balikpapan, "002-balikpapan-sekolah-a")).toBe("closed")
    expect(stageOf(Stories.balikpapan, "002-balikpapan-sekolah-b")).toBe("aftercare")
    expect(stageOf(Stories.balikpapan, "002-balikpapan-sekolah-c")).toBe("closed")
    expect(stageOf(Stories.ntb, "003-ntb-odgj-01")).toBe("reintegration")
    expect(stageOf(Stories.ntb, "003-ntb-perkawinan-03")).toBe("assessment")
    expect(stageOf(Stories.tipeDinas, "004-tipe-c")).toBe("intervention")
  })
})

describe("seed 000: Padang", () => {
  const { states, events } = runOf(Stories.padang)
  const kakak = states.get("000-padang-kakak")

  it("moves both children from Sentra Handayani to Dinas Sosial Kota Padang and UPTD PSAA Tri Murni", () => {
    for (const state of states.values()) {
      expect(state.owner).toBe("dinsos-13.71")
      expect(state.assigned).toEqual(["sakti-peksos-padang-1"])
      expect(Object.values(state.placements).map((p) => [p.facility, p.status])).toEqual([
        ["sentra-handayani", "ended"],
        ["uptd-psaa-tri-murni", "active"]
      ])
      expect(state.transfers["alih-kelola-padang"]).toMatchObject({ from: "sentra-handayani", status: "accepted" })
      expect(state.risk?.peak).toBe("tinggi")
    }
  })

  it("records the Kadis accepting the transfer and the Kabid Rehsos approving the placement on 6 February 2025", () => {
    const accepted = events.filter((e) => e.type === "TransferUpdated")
    expect(accepted.map((e) => e.actor.position)).toEqual(["kadis", "kadis"])
    const placement = events.filter(
      (e) => e.payload._tag === "ApprovalDecided" && e.payload.approval === "persetujuan-penempatan-tri-murni"
    )
    expect(placement.map((e) => [e.actor.position, DateTime.formatIsoDate(e.occurredAt)])).toEqual([
      ["kabid-rehsos", "2025-02-06"],
      ["kabid-rehsos", "2025-02-06"]
    ])
  })

  it("ends the older child's intervention only after a rendah reassessment, and follows her up", () => {
    expect(kakak).toMatchObject({ stage: "aftercare", termination: { reason: "goals-met" } })
    expect(kakak?.risk).toMatchObject({ effective: "rendah", peak: "tinggi" })
    expect(kakak?.followUps.map((f) => f.visitedOn)).toEqual(["2025-09-01", "2025-12-01"])
  })
})

describe("seed 001: Sumatera Barat", () => {
  const { states } = runOf(Stories.sumbar)

  it("refers the NAPZA case to Balai Anak Rumbai, then to the labour office, and closes it", () => {
    const state = states.get("001-limapuluhkota-napza")
    expect(Object.values(state?.referrals ?? {}).map((r) => [r.to, r.purpose, r.status])).toEqual([
      ["balai-anak-rumbai", "rehabilitation", "completed"],
      ["disnaker-13.07", "employment", "completed"]
    ])
    expect(state?.services.map((s) => s.provider)).toEqual(["balai-anak-rumbai", "balai-anak-rumbai", "dinsos-13.07"])
  })

  it("diverts the Padang child at investigation, uses LPKS Lubuk Minturun, and refers to three sectors", () => {
    const state = states.get("001-padang-abh")
    expect(state?.classification?.sppaRole).toBe("anak-berkonflik-dengan-hukum")
    // The juvenile-justice chain (issue 11): Bapas Padang's Litmas within 3 x 24 hours, the boy accompanied at the
    // police with a social report, diversion within 7 days of the investigation, an agreement the victim consented
    // to, sent to the court and confirmed.
    expect(state?.sppa.levels).toMatchObject([
      {
        stage: "investigation",
        startedOn: "2025-01-21",
        diversionMandatory: true,
        diversionStartedOn: "2025-01-27",
        outcome: "agreement",
        agreement: { victimConsent: { _tag: "given", by: "victim" } },
        submittedOn: "2025-01-29",
        confirmedOn: "2025-01-31"
      }
    ])
    expect(state?.sppa.litmas).toEqual([{ bapas: "bapas-padang", requestedOn: "2025-01-23", receivedOn: "2025-01-25" }])
    expect(state?.sppa.accompaniments).toMatchObject([{ at: "polresta-padang", socialReportOn: "2025-01-24" }])
    // Every statutory clock was met: diversion within 7 days of the investigation and concluded within 30, the
    // agreement sent within 3 days and confirmed within 3, the Litmas within 3 x 24 hours.
    const days = (from: string | undefined, to: string | undefined) =>
      (Date.parse(to ?? "") - Date.parse(from ?? "")) / 86_400_000
    const level = state?.sppa.levels[0]
    expect(days(level?.startedOn, level?.diversionStartedOn)).toBeLessThanOrEqual(7)
    expect(days(level?.diversionStartedOn, level?.diversionConcludedOn)).toBeLessThanOrEqual(30)
    expect(days(level?.diversionConcludedOn, level?.submittedOn)).toBeLessThanOrEqual(3)
    expect(days(level?.submittedOn, level?.confirmedOn)).toBeLessThanOrEqual(3)
    const litmas = state?.sppa.litmas[0]
    expect(days(litmas?.requestedOn, litmas?.receivedOn)).toBeLessThanOrEqual(3)
    expect(Object.values(state?.placements ?? {})).toMatchObject([{ facility: "lpks-lubuk-minturun", status: "ended" }])
    expect(Object.values(state?.referrals ?? {}).map((r) => [r.to, r.status])).toEqual([
      ["disdik-13.71", "completed"],
      ["dukcapil-13.71", "completed"],
      ["kemenag-13.71", "completed"]
    ])
  })
})

describe("seed 002: Balikpapan", () => {
  const { states, events } = runOf(Stories.balikpapan)

  it("takes school reports through the intake officer and works them with the team of companions", () => {
    expect([...states.values()].map((s) => s.source)).toEqual(["school", "family", "school"])
    const team = new Set(
      events
        .filter((e) => e.caseId === "002-balikpapan-sekolah-a" && e.actor.role === "caseworker")
        .map((e) => e.actor.id)
    )
    expect([...team].sort()).toEqual(["pendamping-balikpapan-1", "pendamping-balikpapan-2", "pendamping-balikpapan-3"])
  })

  it("adopts the rendah plan without approval and closes the non-protection report early", () => {
    expect(states.get("002-balikpapan-sekolah-b")?.plans["rencana-002-b"]).toMatchObject({ adoption: "rendah" })
    expect(states.get("002-balikpapan-sekolah-c")?.closure?.reason).toBe("not-a-protection-case")
  })
})

describe("seed 003: NTB count tables", () => {
  const { states } = runOf(Stories.ntb)
  const ntbRegion = Region.decodeSync("52")
  const entries = [...states.values()].map((state) => CaseIndex.project(state))

  it("counts the cases in region 52 by SPPA role and concern as the child table says; adults count as neither", () => {
    const rows = CaseIndex.count(entries, { filter: { region: ntbRegion }, by: ["sppaRole", "concern"] })
    const counted = Object.fromEntries(rows.map((r) => [`${r.key.sppaRole}/${r.key.concern}`, r.count]))
    const adults = Stories.ntbAdultTable.reduce((sum, row) => sum + row.cases, 0)
    const expected = Object.fromEntries([
      ...Stories.ntbChildTable.map((row) => [`${row.sppaRole ?? "none"}/${row.concern ?? "none"}`, row.cases]),
      ["none/none", adults]
    ])
    expect(counted).toEqual(expected)
    // The numbers themselves, so that a change to the table is a visible change here.
    expect(counted).toEqual({
      "anak-korban/none": 10,
      "anak-berkonflik-dengan-hukum/none": 5,
      "anak-pasal-21/none": 1,
      "anak-saksi/none": 4,
      "none/adoption": 4,
      "none/child-marriage": 3,
      "none/none": 8
    })
  })

  it("counts the adult cases by PPKS category as the adult table says (the seed's groups mapped by Ppks.mapGroup)", () => {
    const rows = CaseIndex.count(entries, {
      filter: { region: ntbRegion },
      by: ["subjectKind", "ppks"]
    }).filter((r) => r.key.subjectKind === "adult")
    const counted = Object.fromEntries(rows.map((r) => [r.key.ppks, r.count]))
    const expected: Record<string, number> = {}
    for (const row of Stories.ntbAdultTable) {
      for (const code of Ppks.mapGroup(row.group).ppks)
        expected[String(code)] = (expected[String(code)] ?? 0) + row.cases
    }
    expect(counted).toEqual(expected)
    expect(counted).toEqual({ "11": 3, "18": 1, "19": 1, "20": 2, "9": 1 })
  })

  it("reports every child case between January and April 2024", () => {
    const child = [...states.values()].filter((s) => s.subject.kind === "child")
    expect(child).toHaveLength(27)
    for (const state of child) {
      const on = DateTime.formatIsoDate(state.reportedAt)
      expect(on >= "2024-01-01" && on <= "2024-04-30").toBe(true)
    }
  })

  it("reintegrates an adopted child to the adoptive family, not a foster family (adoption is not foster care; issue 11, fact 10)", () => {
    const adopted = [...states.values()].filter((state) => state.id.startsWith("003-ntb-adopsi") && state.reintegration)
    expect(adopted.length).toBeGreaterThan(0)
    for (const state of adopted) expect(state.reintegration?.receiver).toBe("adoptive-family")
  })

  it("accompanies children at the UPPA and in court with a social report, and refers one to Puslansos (declined) and Sentra Paramitha", () => {
    const korban = states.get("003-ntb-korban-01")
    expect(Object.values(korban?.referrals ?? {}).map((r) => [r.to, r.legalBasis._tag, r.status])).toEqual([
      ["uppa-52", "consent", "completed"],
      ["uptd-puslansos-52", "consent", "declined"],
      ["sentra-paramitha", "consent", "completed"]
    ])
    // Court accompaniment is a service with a social report, not a referral to the court (issue 11, fact 10).
    expect(korban?.sppa.accompaniments.map((a) => [a.at, a.stage, a.socialReportOn !== undefined])).toEqual([
      ["uppa-52", "investigation", true],
      ["pn-52.71", "trial", true]
    ])
    expect(states.get("003-ntb-pasal21-01")?.sppa.pasal21).toMatchObject({ _tag: "guidance", at: "uptd-puslansos-52" })
    expect(states.get("003-ntb-pelaku-05")?.sppa.proceedings.map((p) => p.stage)).toEqual(["investigation", "trial"])
  })

  it("returns the ODGJ telantar to Jawa Timur by a referral the Dinas Sosial there accepts", () => {
    const odgj = states.get("003-ntb-odgj-01")
    expect(odgj).toMatchObject({ subject: { kind: "adult" }, owner: "dinsos-52", classification: { ppks: [9] } })
    expect(odgj?.referrals["rujukan-dinsos-jatim"]).toMatchObject({ to: "dinsos-35", status: "accepted" })
  })
})

describe("seed 004: Dinas types", () => {
  const { events, states } = runOf(Stories.tipeDinas)

  it("decides the Padang plan and its referrals in a PKSAI case conference of the dinas, the LPA and community leaders", () => {
    const padang = states.get("004-tipe-a")
    const conference = padang?.conferences["konferensi-kasus-1"]
    expect(conference?.participants.map((p) => p.agency)).toEqual(["dinsos-13.71", "lpa-13.71", "tokoh-13.71"])
    expect(conference).toMatchObject({ childHeard: true })
    expect(Object.values(padang?.plans ?? {}).map((p) => p.plan.conference)).toEqual(["konferensi-kasus-1"])
    expect(Object.values(padang?.referrals ?? {}).map((r) => r.conference)).toEqual([
      "konferensi-kasus-1",
      "konferensi-kasus-1"
    ])
  })
  const decidedBy = (caseId: string) =>
    events.filter((e) => e.caseId === caseId && e.type === "ApprovalDecided").map((e) => e.actor.position)

  it("each case is approved by the office its dinas type provides", () => {
    expect(decidedBy("004-tipe-a")).toEqual(["kabid-rehsos", "kadis"])
    expect(decidedBy("004-tipe-b")).toEqual(["kabid-rehsos", "kabid-rehsos"])
    expect(decidedBy("004-tipe-c")).toEqual(["kabid"])
    expect(decidedBy("004-gabungan")).toEqual(["kadis", "kabid"])
    expect(["A", "B", "C", "merged"].map((t) => Agencies.all.some((a) => a.dinasType === t))).toEqual([
      true,
      true,
      true,
      true
    ])
  })

  it("the LPA reads the case only through its referral and records the mentoring it gives", () => {
    const lpa = events.filter((e) => e.caseId === "004-tipe-a" && e.actor.agency === "lpa-13.71")
    expect(lpa.map((e) => e.type)).toEqual(["ReferralUpdated", "ServiceDelivered", "ReferralUpdated"])
  })
})

describe("story data", () => {
  const steps = Stories.all.flatMap((story) => story.steps.map((step) => ({ story: story.id, step })))

  it("every step's command decodes with CaseCommand.Command and occurs at the step's instant", () => {
    for (const { step } of steps) {
      const decoded = Schema.decodeUnknownResult(CaseCommand.Command)(step.command)
      expect(Result.isSuccess(decoded) ? "ok" : decoded.failure.message).toBe("ok")
      expect(step.command.occurredAt).toBe(step.at)
    }
  })

  it("every step is in time order, between 2020 and the end of 2025, by a person of the stories", () => {
    for (const story of Stories.all) {
      const ats = story.steps.map((s) => s.at)
      expect(ats).toEqual([...ats].sort())
    }
    for (const { step } of steps) {
      expect(step.at >= "2020-01-01T00:00:00Z" && step.at <= "2025-12-31T23:59:59Z").toBe(true)
      expect(People.find(step.actor)?.id).toBe(step.actor)
    }
  })

  it("every story decodes with the Story schema from its JSON", () => {
    for (const story of Stories.all) {
      const json: unknown = JSON.parse(JSON.stringify(story))
      expect(Schema.decodeUnknownSync(Stories.Story)(json)).toEqual(story)
    }
    expect(Stories.find("003-ntb")).toBe(Stories.ntb)
    expect(Stories.find("999")).toBeUndefined()
  })

  it("case ids and subjects are unique across the stories, and every case has one identity", () => {
    const cases = Stories.all.flatMap((s) => s.cases)
    expect(new Set(cases.map((c) => c.caseId)).size).toBe(cases.length)
    expect(new Set(cases.map((c) => c.subject)).size).toBe(cases.length)
    for (const story of Stories.all) {
      expect(story.identities.map((i) => [i.caseId, i.subject])).toEqual(story.cases.map((c) => [c.caseId, c.subject]))
    }
  })

  it("people and agencies are consistent: ids are pseudonymous, an actor's region is its agency's", () => {
    for (const actor of People.all) {
      expect(actor.id).toMatch(/^[a-z0-9.-]+$/)
      expect(Agencies.find(actor.agency)?.region).toBe(actor.region)
    }
    expect(new Set(People.all.map((a) => a.id)).size).toBe(People.all.length)
    expect(Agencies.directory.size).toBe(Agencies.all.length)
    const used = new Set(steps.map(({ step }) => step.actor))
    expect(People.all.filter((a) => !used.has(a.id as People.Id)).map((a) => a.id)).toEqual([
      "kasi-rehsos-padang",
      "auditor-sumbar-1",
      "auditor-ntb-1"
    ])
  })
})

describe("identities", () => {
  const identities = Stories.all.flatMap((story) => story.identities.map((entry) => ({ story, entry })))
  const valuesOf = (identity: Stories.SubjectIdentity["identity"]): ReadonlyArray<string> => [
    identity.name,
    ...identity.familyNames,
    ...(identity.address === undefined ? [] : [identity.address]),
    ...(identity.school === undefined ? [] : [identity.school])
  ]

  it("are all fictional and say so in every value", () => {
    expect(identities.length).toBe(46)
    for (const { entry } of identities) {
      expect(entry.fictional).toBe(true)
      for (const value of valuesOf(entry.identity)) expect(value).toContain("(contoh fiktif)")
      expect(entry.identity.nik).toBeUndefined()
    }
  })

  it("never appear in any event or command of the stories", () => {
    for (const story of Stories.all) {
      const eventJson = JSON.stringify(runOf(story).events.map(CaseEvent.encode))
      const commandJson = JSON.stringify(story.steps)
      for (const entry of story.identities) {
        for (const value of valuesOf(entry.identity)) {
          expect(eventJson.includes(value)).toBe(false)
          expect(commandJson.includes(value)).toBe(false)
        }
      }
      expect(eventJson).not.toContain("contoh fiktif")
    }
  })

  it("decode into redacted identities for a vault", () => {
    const [first] = Stories.identitiesOf(Stories.padang)
    expect(first?.subject).toBe("subjek-000-kakak")
    expect(String(first?.identity.name)).toBe("<redacted>")
    expect(first && Redacted.value(first.identity.name)).toBe("Anak 000-A (contoh fiktif)")
    expect(Stories.all.flatMap(Stories.identitiesOf)).toHaveLength(identities.length)
  })
})
