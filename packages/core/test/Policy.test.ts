/** One policy object: defaults, overrides, checks, and the policy file a deployment gives the CLI. */
import { fc, test as propTest } from "@fast-check/vitest"
import { Duration, Result } from "effect"
import { describe, expect, it } from "vitest"
import * as Deadline from "../src/Deadline.js"
import * as DinasType from "../src/DinasType.js"
import * as Jurisdiction from "../src/Jurisdiction.js"
import * as Policy from "../src/Policy.js"
import * as Region from "../src/Region.js"
import * as Risk from "../src/Risk.js"
import * as Sppa from "../src/Sppa.js"
import { runs } from "./properties.js"

describe("Policy", () => {
  it("gathers every default with its source module, and the defaults pass every check", () => {
    expect(Policy.defaults.deadlines).toBe(Deadline.defaultPolicy)
    expect(Policy.defaults.escalation).toBe(Deadline.defaultEscalationPolicy)
    expect(Policy.defaults.caseload).toBe(DinasType.defaultCaseloadPolicy)
    expect(Policy.validate(Policy.defaults)).toEqual(Result.succeed(Policy.defaults))
    // The SPPA numbers are checked with the rest: a fractional age limit would give no real date of adulthood.
    const fractional = Policy.make({ sppa: { ...Policy.defaults.sppa, childAgeLimit: 17.05 } })
    const refused = Policy.validate(fractional)
    expect(Result.isFailure(refused) && refused.failure._tag).toBe("InvalidSppaPolicy")
  })

  it("make replaces only the parts given", () => {
    const policy = Policy.make({ escalation: { toHeadAfter: Duration.hours(12) } })
    expect(Duration.toHours(policy.escalation.toHeadAfter)).toBe(12)
    expect(policy.deadlines).toBe(Policy.defaults.deadlines)
  })

  it("refuses a policy file in which tinggi is later than sedang, naming DEADLINE-MONOTONE (issue 11, fact 13)", () => {
    const result = Policy.fromJson({ deadlines: { "first-contact": { tinggi: "P4D" } } })
    expect(Result.isFailure(result) && result.failure).toMatchObject({
      _tag: "InvalidDeadlinePolicy",
      rule: "DEADLINE-MONOTONE",
      field: "first-contact.tinggi"
    })
  })

  it("refuses an unknown key, a malformed duration, no escalation interval and caseload limits that break their own check", () => {
    const unknown = Policy.fromJson({ deadline: {} })
    expect(Result.isFailure(unknown) && unknown.failure._tag).toBe("InvalidInput")
    const malformed = Policy.fromJson({ escalation: { toHeadAfter: "a day" } })
    expect(Result.isFailure(malformed) && malformed.failure._tag).toBe("InvalidInput")
    const noEscalation = Policy.fromJson({ escalation: { toHeadAfter: "PT0S" } })
    expect(Result.isFailure(noEscalation) && noEscalation.failure).toMatchObject({
      rule: "DEADLINE-POSITIVE",
      field: "escalation.toHeadAfter"
    })
    const caseload = Policy.fromJson({ caseload: { maxPerCaseworker: 0, bandUpperBounds: [10, 20, 30] } })
    expect(Result.isFailure(caseload) && caseload.failure).toMatchObject({ _tag: "InvalidDinasPolicy" })
  })

  it("reads deadlines, escalation and caseload over the defaults", () => {
    const result = Policy.fromJson({
      deadlines: { "first-contact": { tinggi: "PT12H" } },
      escalation: { toHeadAfter: "PT6H" },
      caseload: { maxPerCaseworker: 20, bandUpperBounds: [10, 20, 30] }
    })
    if (Result.isFailure(result)) throw new Error(result.failure.message)
    expect(Duration.toHours(result.success.deadlines["first-contact"].tinggi)).toBe(12)
    expect(result.success.deadlines["first-contact"].sedang).toEqual(Deadline.defaultPolicy["first-contact"].sedang)
    expect(Duration.toHours(result.success.escalation.toHeadAfter)).toBe(6)
    expect(result.success.caseload.maxPerCaseworker).toBe(20)
    expect(result.success.sppa).toBe(Policy.defaults.sppa)
  })

  propTest.prop(
    [fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 400 })],
    {
      numRuns: runs(200)
    }
  )(
    "accepts first-contact hours exactly when tinggi ≤ sedang ≤ rendah (DEADLINE-MONOTONE)",
    (tinggi, sedang, rendah) => {
      const result = Policy.fromJson({
        deadlines: { "first-contact": { tinggi: `PT${tinggi}H`, sedang: `PT${sedang}H`, rendah: `PT${rendah}H` } }
      })
      expect(Result.isSuccess(result)).toBe(tinggi <= sedang && sedang <= rendah)
    }
  )

  it("reads a region's jurisdiction arrangements from the file and checks them with the rest (issue 11: policies validated wherever accepted)", () => {
    const arrangement = {
      region: "52",
      rule: "JURISDICTION-ABH",
      level: "provinsi",
      reason: "Dinsos Provinsi NTB accompanies ABH by arrangement"
    }
    const read = Policy.fromJson({ jurisdiction: { regional: [arrangement] } })
    if (Result.isFailure(read)) throw new Error(read.failure.message)
    const facts = {
      region: Region.decodeSync("52.71"),
      needsInstitutionalCare: false,
      formerNapzaUser: false,
      hivAids: false,
      abh: true,
      migrantWorkerReturn: "none",
      crossesProvinces: false,
      exceedsRegionalCapacity: false
    } as const
    const answer = Jurisdiction.responsible(facts, read.success.jurisdiction)
    expect(Result.isSuccess(answer) && answer.success.level).toBe("provinsi")
    const twice = Policy.fromJson({ jurisdiction: { regional: [arrangement, arrangement] } })
    expect(Result.isFailure(twice) && twice.failure._tag).toBe("InvalidJurisdictionPolicy")
    const fallback = Policy.fromJson({
      jurisdiction: { regional: [{ ...arrangement, rule: "JURISDICTION-OUTSIDE-INSTITUTION" }] }
    })
    expect(Result.isFailure(fallback) && fallback.failure._tag).toBe("InvalidJurisdictionPolicy")
    const silent = Policy.fromJson({ jurisdiction: { regional: [{ ...arrangement, reason: "" }] } })
    expect(Result.isFailure(silent) && silent.failure._tag).toBe("InvalidInput")
  })

  it("takes the structure of a Dinas type from a policy file, checked against the limits of PP 18/2016 (issue 11)", () => {
    const json = (value: unknown) => JSON.parse(JSON.stringify(value))
    const { structures } = DinasType.defaultStructurePolicy
    const same = Policy.fromJson({ dinas: { structures: { C: json(structures.C) } } })
    expect(Result.isSuccess(same) && same.success.dinas.structures.C).toEqual(structures.C)
    // A type C dinas has at most 2 bidang: the 3 bidang of type B are refused, naming the rule.
    const tooMany = Policy.fromJson({ dinas: { structures: { C: { ...json(structures.B), type: "C" } } } })
    expect(Result.isFailure(tooMany) && tooMany.failure._tag).toBe("InvalidDinasPolicy")
    expect(Result.isFailure(tooMany) && tooMany.failure.message).toMatch(/at most 2 bidang/)
  })

  it("takes the risk scoring and the SPPA numbers from a policy file, checked like the rest (stranger review: a deployment could not override them)", () => {
    const read = Policy.fromJson({
      risk: { sedangThreshold: 3, weights: { "out-of-school": 0 } },
      sppa: {
        pasal21MaximumMonths: 3,
        detentionDays: { trial: { extension: 10 } },
        agePolicy: { leapDayBirthday: "february-28" }
      }
    })
    if (Result.isFailure(read)) throw new Error(read.failure.message)
    expect(read.success.risk.sedangThreshold).toBe(3)
    expect(read.success.risk.weights["out-of-school"]).toBe(0)
    expect(read.success.risk.weights["repeated-neglect"]).toBe(Risk.defaultRiskPolicy.weights["repeated-neglect"])
    expect(read.success.sppa).toEqual({
      ...Sppa.defaultSppaPolicy,
      pasal21MaximumMonths: 3,
      detentionDays: { ...Sppa.defaultSppaPolicy.detentionDays, trial: { first: 10, extension: 10 } },
      agePolicy: { leapDayBirthday: "february-28" }
    })
    // The scoring reads the file's numbers: one lesser concern is no longer sedang at threshold 3.
    expect(Risk.computedLevel(["repeated-neglect", "out-of-school"], read.success.risk)).toBe("rendah")
    // And its red flags: a child marriage being arranged made one.
    const flagged = Policy.fromJson({ risk: { redFlags: [...Risk.redFlagCodes, "child-marriage"] } })
    if (Result.isFailure(flagged)) throw new Error(flagged.failure.message)
    expect(Risk.computedLevel(["child-marriage"], flagged.success.risk)).toBe("tinggi")
    const refusals = [
      [{ risk: { sedangThreshold: 0 } }, "InvalidInput"],
      [{ risk: { weights: { "out-of-school": -1 } } }, "InvalidInput"],
      [{ risk: { weights: { "no-such-factor": 1 } } }, "InvalidInput"],
      [{ risk: { redFlags: ["trafficking", "confinement"] } }, "InvalidInput"],
      [{ sppa: { minimumAge: 19 } }, "InvalidSppaPolicy"],
      [{ sppa: { childAgeLimit: 17.5 } }, "InvalidSppaPolicy"],
      [{ sppa: { unknownNumber: 1 } }, "InvalidInput"]
    ] as const
    for (const [file, tag] of refusals) {
      const refused = Policy.fromJson(file)
      expect(Result.isFailure(refused) && refused.failure._tag, JSON.stringify(file)).toBe(tag)
    }
  })

  it("checks the risk scoring of a policy built in code: a positive threshold and non-negative weights", () => {
    const bad = [
      { ...Risk.defaultRiskPolicy, sedangThreshold: -1 },
      { ...Risk.defaultRiskPolicy, sedangThreshold: Number.NaN },
      { ...Risk.defaultRiskPolicy, weights: { ...Risk.defaultRiskPolicy.weights, "out-of-school": -2 } },
      { ...Risk.defaultRiskPolicy, redFlags: ["sexual-violence", "trafficking"] as const }
    ]
    for (const risk of bad) {
      const refused = Policy.validate(Policy.make({ risk }))
      expect(Result.isFailure(refused) && refused.failure._tag).toBe("InvalidRiskPolicy")
    }
  })
})
