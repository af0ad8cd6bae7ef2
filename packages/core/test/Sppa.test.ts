import { fc, test as propTest } from "@fast-check/vitest"
import { Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as Basis from "../src/Basis.js"
import * as CalendarDate from "../src/CalendarDate.js"
import * as Sppa from "../src/Sppa.js"

const successOf = <A, E>(result: Result.Result<A, E>): A => {
  if (Result.isFailure(result)) throw new Error(`expected a success, got ${String(result.failure)}`)
  return result.success
}
const failureOf = <A, E>(result: Result.Result<A, E>): E => {
  if (Result.isSuccess(result)) throw new Error(`expected a failure, got ${JSON.stringify(result.success)}`)
  return result.failure
}

const date = CalendarDate.decodeSync

/** Birth dates between 1990 and 2030, with 29 February births over-represented. */
const arbitraryBirth: fc.Arbitrary<CalendarDate.CalendarDate> = fc.oneof(
  fc.integer({ min: 0, max: 40 * 366 }).map((days) => CalendarDate.addDays(date("1990-01-01"), days)),
  fc.integer({ min: 0, max: 9 }).map((i) => date(`${1992 + 4 * i}-02-29`))
)
const arbitraryAgePolicy = fc.constantFrom<CalendarDate.AgePolicy>(
  { leapDayBirthday: "march-1" },
  { leapDayBirthday: "february-28" }
)
const arbitraryPenalty = fc.oneof(
  fc.constantFrom(0, 1, 5, 6, 6.99, 7, 7.01, 9, 15, 20),
  fc.double({ min: 0, max: 30, noNaN: true, noDefaultInfinity: true })
)

describe("Sppa: age at the act", () => {
  it("counts whole years exactly from the birthday", () => {
    expect(Sppa.ageAtAct("2009-06-15", "2024-06-14")).toEqual(Result.succeed(14))
    expect(Sppa.ageAtAct("2009-06-15", "2024-06-15")).toEqual(Result.succeed(15))
    expect(Sppa.ageAtAct("2009-06-15", "2009-06-15")).toEqual(Result.succeed(0))
  })

  it("handles 29 February births by the age policy", () => {
    // 2020 is a leap year: the 12th birthday is 29 February itself
    expect(Sppa.ageAtAct("2008-02-29", "2020-02-28")).toEqual(Result.succeed(11))
    expect(Sppa.ageAtAct("2008-02-29", "2020-02-29")).toEqual(Result.succeed(12))
    // 2022 is not: by default the 14th birthday is 1 March
    expect(Sppa.ageAtAct("2008-02-29", "2022-02-28")).toEqual(Result.succeed(13))
    expect(Sppa.ageAtAct("2008-02-29", "2022-03-01")).toEqual(Result.succeed(14))
    const feb28 = { ...Sppa.defaultSppaPolicy, agePolicy: { leapDayBirthday: "february-28" as const } }
    expect(Sppa.ageAtAct("2008-02-29", "2022-02-28", feb28)).toEqual(Result.succeed(14))
  })

  it("rejects impossible dates and an act before birth with a typed error", () => {
    const impossible = failureOf(Sppa.ageAtAct("2023-02-29", "2024-01-01"))
    expect(impossible._tag).toBe("InvalidInput")
    expect(impossible.field).toBe("birthDate")
    expect(impossible.message).toBe("Invalid birthDate (not shown): the day does not exist in that month")
    expect(failureOf(Sppa.ageAtAct("2010-01-01", "2024-13-01")).field).toBe("actDate")
    expect(failureOf(Sppa.ageAtAct("10-01-2010", "2024-01-01")).reason).toMatch(/YYYY-MM-DD/)
    const before = failureOf(Sppa.ageAtAct("2010-05-05", "2010-05-04"))
    expect(before.field).toBe("actDate")
    expect(before.message).toBe('Invalid actDate "2010-05-04": is before the birth date')
    expect(failureOf(Sppa.ageAtAct(20100505 as unknown as string, "2010-05-04")).reason).toMatch(/calendar date/)
  })

  propTest.prop([arbitraryBirth, fc.constantFrom(12, 14, 18, 21), arbitraryAgePolicy])(
    "the day before the 12th/14th/18th/21st birthday is one year younger than the birthday itself",
    (birth, years, agePolicy) => {
      const policy = { ...Sppa.defaultSppaPolicy, agePolicy }
      const birthday = CalendarDate.dateOfAge(birth, years, agePolicy)
      expect(successOf(Sppa.ageAtAct(birth, CalendarDate.addDays(birthday, -1), policy))).toBe(years - 1)
      expect(successOf(Sppa.ageAtAct(birth, birthday, policy))).toBe(years)
    }
  )
})

describe("Sppa: roles", () => {
  it("has the three roles of Pasal 1 angka 3–5 and the Pasal 21 status, with their age ranges", () => {
    expect(Sppa.roles.map((r) => [r.code, r.minimumAge, r.ageLimit, r.basis.provision])).toEqual([
      ["anak-berkonflik-dengan-hukum", 12, 18, "Pasal 1 angka 3"],
      ["anak-pasal-21", 0, 12, "Pasal 21 ayat (1)"],
      ["anak-korban", 0, 18, "Pasal 1 angka 4"],
      ["anak-saksi", 0, 18, "Pasal 1 angka 5"]
    ])
    expect(Sppa.checkRole({ role: "anak-pasal-21", ageAtAct: 11 })).toEqual(Result.succeed("anak-pasal-21"))
    expect(Result.isFailure(Sppa.checkRole({ role: "anak-pasal-21", ageAtAct: 12 }))).toBe(true)
    for (const role of Sppa.roles) expect(Schema.is(Sppa.Role)(role)).toBe(true)
  })

  it("checks that the age at the act fits the role", () => {
    expect(Sppa.checkRole({ role: "anak-berkonflik-dengan-hukum", ageAtAct: 12 })).toEqual(
      Result.succeed("anak-berkonflik-dengan-hukum")
    )
    expect(failureOf(Sppa.checkRole({ role: "anak-berkonflik-dengan-hukum", ageAtAct: 11 })).reason).toMatch(
      /only the Pasal 21 decisions apply/
    )
    expect(Sppa.checkRole({ role: "anak-korban", ageAtAct: 3 })).toEqual(Result.succeed("anak-korban"))
    expect(failureOf(Sppa.checkRole({ role: "anak-saksi", ageAtAct: 18 })).reason).toMatch(/not an Anak/)
    expect(failureOf(Sppa.checkRole({ role: "pelaku" as Sppa.AbhRole, ageAtAct: 15 })).field).toBe("role")
  })

  propTest.prop([fc.constantFrom(...Sppa.roleCodes)])("every role code round-trips through the Schema", (code) => {
    expect(Schema.encodeSync(Sppa.AbhRole)(Schema.decodeUnknownSync(Sppa.AbhRole)(code))).toBe(code)
    expect(Sppa.parseRole(code)).toEqual(Result.succeed(code))
  })
})

describe("Sppa: diversi (Pasal 7)", () => {
  it("seed 001: a child of 15, theft threatened with 5 years, no repeat offence → diversion is mandatory", () => {
    const decision = successOf(Sppa.diversion({ threatenedPenaltyYears: 5, repeatOffence: false }))
    expect(decision.mandatory).toBe(true)
    expect(decision.stages).toEqual(["investigation", "prosecution", "trial"])
    expect(decision.rule).toBe("SPPA-DIVERSION")
    expect(decision.basis.map((b) => b.provision)).toEqual(["Pasal 7 ayat (1)", "Pasal 7 ayat (2)"])
    expect(Schema.is(Sppa.DiversionDecision)(decision)).toBe(true)
  })

  it("is not mandatory at 7 years or for a repeat offence, and says why", () => {
    const seven = successOf(Sppa.diversion({ threatenedPenaltyYears: 7, repeatOffence: false }))
    expect(seven.mandatory).toBe(false)
    expect(seven.stages).toEqual([])
    expect(seven.reason).toBe("threatened penalty 7 years is not under 7: diversion is not mandatory")
    const repeat = successOf(Sppa.diversion({ threatenedPenaltyYears: 2, repeatOffence: true }))
    expect(repeat.reason).toBe("the act is a repeat offence: diversion is not mandatory")
    const both = successOf(Sppa.diversion({ threatenedPenaltyYears: 12, repeatOffence: true }))
    expect(both.reason).toMatch(/not under 7 and the act is a repeat offence/)
    expect(successOf(Sppa.diversion({ threatenedPenaltyYears: 6.99, repeatOffence: false })).mandatory).toBe(true)
  })

  it("rejects a negative or non-finite penalty and a non-boolean repeat flag", () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, "5" as unknown as number]) {
      const error = failureOf(Sppa.diversion({ threatenedPenaltyYears: bad, repeatOffence: false }))
      expect(error._tag).toBe("InvalidInput")
      expect(error.field).toBe("threatenedPenaltyYears")
      expect(error.message).toMatch(/must be a finite number of years, 0 or more/)
    }
    const flag = failureOf(Sppa.diversion({ threatenedPenaltyYears: 3, repeatOffence: "no" as unknown as boolean }))
    expect(flag.field).toBe("repeatOffence")
  })

  propTest.prop([arbitraryPenalty, fc.boolean()])(
    "diversion is mandatory iff the penalty is under 7 years and the act is not a repeat offence",
    (threatenedPenaltyYears, repeatOffence) => {
      const decision = successOf(Sppa.diversion({ threatenedPenaltyYears, repeatOffence }))
      expect(decision.mandatory).toBe(threatenedPenaltyYears < 7 && !repeatOffence)
      expect(decision.stages.length).toBe(decision.mandatory ? 3 : 0)
      expect(decision.reason.length).toBeGreaterThan(0)
    }
  )

  it("follows the policy's limit", () => {
    const policy = { ...Sppa.defaultSppaPolicy, diversionPenaltyLimitYears: 5 }
    expect(successOf(Sppa.diversion({ threatenedPenaltyYears: 5, repeatOffence: false }, policy)).mandatory).toBe(false)
  })
})

describe("Sppa: under 12 (Pasal 21)", () => {
  it("offers only return to parents or guidance of at most 6 months; no prosecution, no detention", () => {
    const decision = successOf(Sppa.pasal21Options(11))
    expect(decision.path).toBe("pasal-21")
    expect(decision.options.map((o) => o.code)).toEqual(["return-to-parents", "guidance"])
    expect(decision.options[1]?.maximumMonths).toBe(6)
    expect(decision.prosecutionPossible).toBe(false)
    expect(decision.detentionPossible).toBe(false)
    expect(decision.rule).toBe("SPPA-UNDER-12")
    expect(decision.basis[0]?.status).toBe("unverified")
    expect(Schema.is(Sppa.Under12Decision)(decision)).toBe(true)
  })

  it("does not apply from 12, and not at all to adults", () => {
    const twelve = successOf(Sppa.pasal21Options(12))
    expect(twelve.path).toBe("sppa")
    expect(twelve.options).toEqual([])
    expect(twelve.prosecutionPossible).toBe(true)
    expect(successOf(Sppa.pasal21Options(18)).path).toBe("not-a-child")
  })

  it("rejects ages that are not whole years", () => {
    for (const bad of [-1, 1.5, Number.NaN, 151]) {
      expect(failureOf(Sppa.pasal21Options(bad)).message).toMatch(/whole number of years from 0 to 150/)
    }
  })

  it("ends a guidance programme within the maximum months", () => {
    expect(Sppa.guidanceLastDay(date("2024-01-15"))).toBe("2024-07-14")
    const three = { ...Sppa.defaultSppaPolicy, pasal21MaximumMonths: 3 }
    expect(Sppa.guidanceLastDay(date("2024-01-15"), three)).toBe("2024-04-14")
    expect(Sppa.under12Decisions(three)[1]?.maximumMonths).toBe(3)
  })

  propTest.prop([fc.integer({ min: 0, max: 30 })])("options exist iff the age at the act is under 12", (age) => {
    const decision = successOf(Sppa.pasal21Options(age))
    expect(decision.options.length > 0).toBe(age < 12)
    expect(decision.prosecutionPossible).toBe(age >= 12)
  })
})

describe("Sppa: detention (Pasal 32)", () => {
  it("allows detention from 14 with a penalty of 7 years or more", () => {
    const decision = successOf(Sppa.detention({ ageAtAct: 14, threatenedPenaltyYears: 7 }))
    expect(decision.allowed).toBe(true)
    expect(decision.failed).toEqual([])
    expect(decision.rule).toBe("SPPA-DETENTION")
    expect(decision.reason).toMatch(/last resort/)
    expect(Schema.is(Sppa.DetentionDecision)(decision)).toBe(true)
  })

  it("rejects under 14, under 7 years, and names every failed condition", () => {
    expect(successOf(Sppa.detention({ ageAtAct: 13, threatenedPenaltyYears: 9 })).failed).toEqual(["age"])
    expect(successOf(Sppa.detention({ ageAtAct: 15, threatenedPenaltyYears: 5 })).failed).toEqual(["penalty"])
    const both = successOf(Sppa.detention({ ageAtAct: 13, threatenedPenaltyYears: 5 }))
    expect(both.failed).toEqual(["age", "penalty"])
    expect(both.reason).toBe("detention rejected: the child is 13, under 14; the threatened penalty 5 years is under 7")
  })

  it("has no detention path under 12 (SPPA-UNDER-12)", () => {
    const decision = successOf(Sppa.detention({ ageAtAct: 11, ageNow: 15, threatenedPenaltyYears: 15 }))
    expect(decision.allowed).toBe(false)
    expect(decision.failed).toEqual(["under-12"])
    expect(decision.rule).toBe("SPPA-UNDER-12")
    expect(successOf(Sppa.detention({ ageNow: 10, threatenedPenaltyYears: 15 })).failed).toEqual(["under-12"])
  })

  it("measures the age on the lower of act and now by default, and refuses without the age at the act", () => {
    expect(successOf(Sppa.detention({ ageAtAct: 13, ageNow: 15, threatenedPenaltyYears: 9 })).allowed).toBe(false)
    const now = { ...Sppa.defaultSppaPolicy, detentionAgeReference: "now" as const }
    expect(successOf(Sppa.detention({ ageAtAct: 13, ageNow: 15, threatenedPenaltyYears: 9 }, now)).allowed).toBe(true)
    const unknown = successOf(Sppa.detention({ ageNow: 16, threatenedPenaltyYears: 9 }))
    expect(unknown.allowed).toBe(false)
    expect(unknown.failed).toEqual(["age-at-act-unknown"])
  })

  it("on the exact 14th birthday (29 February birth) detention becomes possible", () => {
    const born = "2008-02-29"
    const dayBefore = successOf(Sppa.ageAtAct(born, "2022-02-28"))
    const birthday = successOf(Sppa.ageAtAct(born, "2022-03-01"))
    expect(successOf(Sppa.detention({ ageAtAct: dayBefore, threatenedPenaltyYears: 7 })).allowed).toBe(false)
    expect(successOf(Sppa.detention({ ageAtAct: birthday, threatenedPenaltyYears: 7 })).allowed).toBe(true)
  })

  it("rejects bad input with typed errors", () => {
    expect(failureOf(Sppa.detention({ threatenedPenaltyYears: 9 })).message).toMatch(/give the age at the act/)
    expect(failureOf(Sppa.detention({ ageAtAct: 18, threatenedPenaltyYears: 9 })).reason).toMatch(
      /only to acts committed before 18/
    )
    expect(failureOf(Sppa.detention({ ageAtAct: 15, ageNow: 14, threatenedPenaltyYears: 9 })).field).toBe("ageNow")
    expect(failureOf(Sppa.detention({ ageAtAct: 15, threatenedPenaltyYears: -7 })).field).toBe("threatenedPenaltyYears")
    expect(failureOf(Sppa.detention({ ageAtAct: 14.5, threatenedPenaltyYears: 9 })).field).toBe("ageAtAct")
  })

  propTest.prop([
    fc.option(fc.integer({ min: 0, max: 17 }), { nil: undefined }),
    fc.integer({ min: 0, max: 8 }),
    arbitraryPenalty,
    fc.constantFrom<Sppa.DetentionAgeReference>("lower-of-act-and-now", "now")
  ])("detention is never allowed under 14, under 12 at the act, or under 7 years", (atAct, extra, penalty, ref) => {
    const ageNow = (atAct ?? 10) + extra
    const policy = { ...Sppa.defaultSppaPolicy, detentionAgeReference: ref }
    const input =
      atAct === undefined
        ? { ageNow, threatenedPenaltyYears: penalty }
        : { ageAtAct: atAct, ageNow, threatenedPenaltyYears: penalty }
    const decision = successOf(Sppa.detention(input, policy))
    if (decision.allowed) {
      expect(atAct).toBeDefined()
      expect(atAct as number).toBeGreaterThanOrEqual(12)
      expect(decision.ageConsidered).toBeGreaterThanOrEqual(14)
      expect(penalty).toBeGreaterThanOrEqual(7)
      if (ref === "lower-of-act-and-now") expect(atAct as number).toBeGreaterThanOrEqual(14)
    } else {
      expect(decision.failed.length).toBeGreaterThan(0)
    }
    if (penalty < 7 || ageNow < 14) expect(decision.allowed).toBe(false)
    if (atAct !== undefined && atAct >= 14 && penalty >= 7) expect(decision.allowed).toBe(true)
  })
})

describe("Sppa: identity confidentiality (Pasal 19)", () => {
  it("is true for every child role, with Pasal 19 and UU 35/2014 Pasal 64 huruf i", () => {
    for (const role of Sppa.roleCodes) {
      const decision = successOf(Sppa.identityConfidential(role))
      expect(decision.confidential).toBe(true)
      expect(decision.rule).toBe("SPPA-CONFIDENTIALITY")
      expect(decision.basis.map((b) => `${b.instrument} ${b.provision}`)).toEqual([
        "UU 11/2012 Pasal 19",
        "UU 35/2014 Pasal 64 huruf i",
        "UU 11/2012 Pasal 97"
      ])
      expect(decision.identity.en).toMatch(/name, the parents' names, address, face/)
      expect(Schema.is(Sppa.ConfidentialityDecision)(decision)).toBe(true)
    }
  })

  it("rejects a value that is not a role", () => {
    expect(failureOf(Sppa.identityConfidential("adult" as Sppa.AbhRole)).message).toMatch(
      /Invalid role "adult": expected one of anak-berkonflik-dengan-hukum, anak-pasal-21, anak-korban, anak-saksi/
    )
  })
})

describe("Sppa: the children's court (Pasal 20)", () => {
  it("keeps an act before 18 tried at 18–20 in the children's court", () => {
    const decision = successOf(Sppa.court({ birthDate: "2006-05-01", actDate: "2024-04-30", trialDate: "2025-01-10" }))
    expect(decision.forum).toBe("childrens-court")
    expect(decision.childrensCourt).toBe(true)
    expect([decision.ageAtAct, decision.ageAtTrial]).toEqual([17, 18])
    expect(decision.childrensCourtLastDay).toBe("2027-04-30")
    expect(decision.reason).toMatch(/stays in the children's court \(Pasal 20\)/)
    expect(Schema.is(Sppa.CourtDecision)(decision)).toBe(true)
  })

  it("sends a trial from 21, or an act from 18, to the ordinary court and an act under 12 nowhere", () => {
    const lastDay = successOf(Sppa.court({ birthDate: "2006-05-01", actDate: "2024-04-30", trialDate: "2027-04-30" }))
    expect(lastDay.forum).toBe("childrens-court")
    const at21 = successOf(Sppa.court({ birthDate: "2006-05-01", actDate: "2024-04-30", trialDate: "2027-05-01" }))
    expect(at21.forum).toBe("ordinary-court")
    expect(at21.childrensCourt).toBe(false)
    const adult = successOf(Sppa.court({ birthDate: "2006-05-01", actDate: "2024-05-01", trialDate: "2024-06-01" }))
    expect(adult.forum).toBe("ordinary-court")
    expect(adult.childrensCourtLastDay).toBeUndefined()
    const under12 = successOf(Sppa.court({ birthDate: "2014-01-01", actDate: "2025-12-31", trialDate: "2026-02-01" }))
    expect(under12.forum).toBe("no-prosecution")
    expect(under12.rule).toBe("SPPA-UNDER-12")
  })

  it("rejects impossible dates and impossible orders", () => {
    expect(
      failureOf(Sppa.court({ birthDate: "2006-02-30", actDate: "2024-01-01", trialDate: "2024-02-01" })).field
    ).toBe("birthDate")
    expect(
      failureOf(Sppa.court({ birthDate: "2006-01-01", actDate: "2005-01-01", trialDate: "2024-02-01" })).field
    ).toBe("actDate")
    const early = failureOf(Sppa.court({ birthDate: "2006-01-01", actDate: "2024-01-02", trialDate: "2024-01-01" }))
    expect(early.message).toBe('Invalid trialDate "2024-01-01": is before the act 2024-01-02')
  })

  propTest.prop([
    arbitraryBirth,
    fc.integer({ min: 0, max: 20 * 366 }),
    fc.integer({ min: 0, max: 6 * 366 }),
    arbitraryAgePolicy
  ])("children's court iff 12 ≤ age at act < 18 and age at trial < 21", (birth, actOffset, trialOffset, agePolicy) => {
    const policy = { ...Sppa.defaultSppaPolicy, agePolicy }
    const act = CalendarDate.addDays(birth, actOffset)
    const trial = CalendarDate.addDays(act, trialOffset)
    const decision = successOf(Sppa.court({ birthDate: birth, actDate: act, trialDate: trial }, policy))
    const atAct = successOf(CalendarDate.ageOn(birth, act, agePolicy))
    const atTrial = successOf(CalendarDate.ageOn(birth, trial, agePolicy))
    expect(decision.childrensCourt).toBe(atAct >= 12 && atAct < 18 && atTrial < 21)
    expect(decision.forum === "no-prosecution").toBe(atAct < 12)
  })

  propTest.prop([arbitraryBirth, arbitraryAgePolicy])(
    "the day before the 21st birthday is the last day for the children's court",
    (birth, agePolicy) => {
      const policy = { ...Sppa.defaultSppaPolicy, agePolicy }
      const act = CalendarDate.addDays(CalendarDate.dateOfAge(birth, 18, agePolicy), -1)
      const birthday21 = CalendarDate.dateOfAge(birth, 21, agePolicy)
      const before = successOf(
        Sppa.court({ birthDate: birth, actDate: act, trialDate: CalendarDate.addDays(birthday21, -1) }, policy)
      )
      const on = successOf(Sppa.court({ birthDate: birth, actDate: act, trialDate: birthday21 }, policy))
      expect(before.forum).toBe("childrens-court")
      expect(before.childrensCourtLastDay).toBe(CalendarDate.addDays(birthday21, -1))
      expect(on.forum).toBe("ordinary-court")
    }
  )
})

describe("Sppa: rules and policy", () => {
  it("exports the rules with stable ids and a non-empty basis", () => {
    expect(Sppa.rules.map((r) => r.id)).toEqual([
      "SPPA-ROLES",
      "SPPA-DIVERSION",
      "SPPA-UNDER-12",
      "SPPA-DETENTION",
      "SPPA-DETENTION-LIMITS",
      "SPPA-CONFIDENTIALITY",
      "SPPA-CHILDRENS-COURT",
      "SPPA-DIVERSION-CLOCKS",
      "SPPA-DIVERSION-AGREEMENT",
      "SPPA-LITMAS",
      "SPPA-ACCOMPANIMENT",
      "SPPA-SENTENCE"
    ])
    for (const rule of Sppa.rules) {
      expect(Schema.is(Basis.Rule)(rule)).toBe(true)
      expect(rule.basis.length).toBeGreaterThan(0)
    }
  })

  it("gives every policy default a basis and marks Pasal 21 unverified", () => {
    for (const key of Object.keys(Sppa.defaultSppaPolicy) as Array<keyof Sppa.SppaPolicy>) {
      expect(Schema.is(Basis.Basis)(Sppa.policyBasis[key])).toBe(true)
    }
    expect(Sppa.defaultSppaPolicy).toMatchObject({
      minimumAge: 12,
      detentionMinimumAge: 14,
      detentionMinimumPenaltyYears: 7,
      diversionPenaltyLimitYears: 7,
      pasal21MaximumMonths: 6,
      childrensCourtAgeLimit: 21
    })
    expect(Sppa.policyBasis.pasal21MaximumMonths.status).toBe("unverified")
    expect(Sppa.policyBasis.detentionMinimumAge).toMatchObject({
      provision: "Pasal 32 ayat (2) huruf a",
      status: "verified"
    })
  })

  it("labels the stages of proceedings", () => {
    expect(Sppa.stageCodes.map((s) => Sppa.stageLabels[s].id)).toEqual([
      "Penyidikan",
      "Penuntutan",
      "Pemeriksaan perkara di pengadilan"
    ])
  })
})

describe("Sppa: the policy's own check", () => {
  const check = (overrides: Partial<Sppa.SppaPolicy>) =>
    Sppa.validatePolicy({ ...Sppa.defaultSppaPolicy, ...overrides })
  const reason = (overrides: Partial<Sppa.SppaPolicy>): string | undefined => {
    const result = check(overrides)
    return Result.isFailure(result) ? `${result.failure.field}: ${result.failure.reason}` : undefined
  }

  it("accepts the numbers of UU 11/2012 and refuses numbers that give no real age, date or order", () => {
    expect(check({})).toEqual(Result.succeed(Sppa.defaultSppaPolicy))
    expect(reason({ childAgeLimit: 17.05 })).toBe("childAgeLimit: 17.05 is not a whole number of years from 1 to 130")
    expect(reason({ minimumAge: 0 })).toBe("minimumAge: 0 is not a whole number of years from 1 to 130")
    expect(reason({ minimumAge: 18 })).toBe("minimumAge: 18 is not below the child age limit 18")
    expect(reason({ childrensCourtAgeLimit: 17 })).toBe("childrensCourtAgeLimit: 17 is below the child age limit 18")
    expect(reason({ detentionMinimumAge: 10 })).toBe(
      "detentionMinimumAge: 10 is not from the minimum age 12 and below the child age limit 18"
    )
    expect(reason({ detentionMinimumAge: 30 })).toBe(
      "detentionMinimumAge: 30 is not from the minimum age 12 and below the child age limit 18"
    )
    expect(reason({ tindakanOnlyBelowAge: 19 })).toBe(
      "tindakanOnlyBelowAge: 19 is not from the minimum age 12 up to the child age limit 18"
    )
    expect(reason({ pasal21MaximumMonths: 1.5 })).toBe(
      "pasal21MaximumMonths: 1.5 is not a whole number of months from 0"
    )
    expect(
      reason({ detentionDays: { ...Sppa.defaultSppaPolicy.detentionDays, trial: { first: -1, extension: 15 } } })
    ).toBe("detentionDays.trial.first: -1 is not a whole number of days from 0")
    expect(reason({ diversionPenaltyLimitYears: Number.NaN })).toBe(
      "diversionPenaltyLimitYears: NaN is not a number of years from 0"
    )
    expect(reason({ imprisonmentShareOfAdultMaximum: 0 })).toBe(
      "imprisonmentShareOfAdultMaximum: 0 is not a share above 0 and at most 1"
    )
    const failure = check({ childAgeLimit: 17.05 })
    expect(Result.isFailure(failure) && failure.failure.message).toBe(
      "Invalid SPPA policy childAgeLimit: 17.05 is not a whole number of years from 1 to 130"
    )
  })

  propTest.prop([
    fc.integer({ min: 1, max: 40 }),
    fc.integer({ min: 1, max: 40 }),
    fc.integer({ min: 1, max: 40 }),
    fc.integer({ min: 1, max: 40 }),
    fc.integer({ min: 1, max: 40 })
  ])(
    "accepts whole ages exactly in the law's order (minimum age ≤ detention and tindakan-only ages, minimum age < child age limit ≤ children's court age limit)",
    (minimumAge, childAgeLimit, childrensCourtAgeLimit, detentionMinimumAge, tindakanOnlyBelowAge) => {
      const accepted = Result.isSuccess(
        check({ minimumAge, childAgeLimit, childrensCourtAgeLimit, detentionMinimumAge, tindakanOnlyBelowAge })
      )
      expect(accepted).toBe(
        minimumAge < childAgeLimit &&
          childAgeLimit <= childrensCourtAgeLimit &&
          minimumAge <= detentionMinimumAge &&
          detentionMinimumAge < childAgeLimit &&
          minimumAge <= tindakanOnlyBelowAge &&
          tindakanOnlyBelowAge <= childAgeLimit
      )
    }
  )
})
