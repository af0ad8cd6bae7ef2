import { fc, test as propTest } from "@fast-check/vitest"
import { DateTime, Duration, Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as Basis from "../src/Basis.js"
import * as Deadline from "../src/Deadline.js"
import * as Region from "../src/Region.js"
import * as Risk from "../src/Risk.js"

const at = (iso: string) => DateTime.makeUnsafe(iso)
const iso = DateTime.formatIso

const arbitraryKind = fc.constantFrom(...Deadline.kindCodes)
const arbitraryLevel = fc.constantFrom(...Risk.levels)
/** Instants from 1970 to 2199, with milliseconds. */
const arbitraryInstant = fc
  .integer({ min: 0, max: Date.UTC(2199, 11, 31) })
  .map((ms) => DateTime.makeUnsafe(ms)) as fc.Arbitrary<DateTime.Utc>
const arbitraryRegion = fc.constantFrom(...Region.provinceTimeZones.keys()).map(Region.decodeSync)

/** Durations that are mostly valid, sometimes not (zero, negative, infinite, sub-millisecond, too long). */
const arbitraryDuration: fc.Arbitrary<Duration.Duration> = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: 1, max: 200 * 86_400_000 }).map(Duration.millis) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      Duration.zero,
      Duration.millis(-3_600_000),
      Duration.infinity,
      Duration.nanos(1500n),
      Duration.days(2000)
    )
  }
)
const arbitraryLine = fc.record({ rendah: arbitraryDuration, sedang: arbitraryDuration, tinggi: arbitraryDuration })
/** Random overrides: some kinds, some levels; often breaking DEADLINE-MONOTONE. */
const arbitraryOverrides = fc.dictionary(
  arbitraryKind,
  fc.record({ rendah: arbitraryDuration, sedang: arbitraryDuration, tinggi: arbitraryDuration }, { requiredKeys: [] }),
  { maxKeys: 7 }
) as fc.Arbitrary<Deadline.PolicyOverrides>
const arbitraryPolicy: fc.Arbitrary<Deadline.DeadlinePolicy> = fc.record({
  "first-contact": arbitraryLine,
  assessment: arbitraryLine,
  "case-plan": arbitraryLine,
  review: arbitraryLine,
  "unassigned-alert": arbitraryLine,
  "emergency-placement-approval": arbitraryLine,
  "pasal21-court-submission": arbitraryLine,
  "diversion-attempt": arbitraryLine,
  "diversion-conclusion": arbitraryLine,
  "diversion-court-submission": arbitraryLine,
  "diversion-confirmation": arbitraryLine,
  litmas: arbitraryLine,
  "data-subject-request": arbitraryLine
})

const isMonotone = (policy: Deadline.DeadlinePolicy, start: DateTime.Utc) =>
  Deadline.kindCodes.every((kind) =>
    Risk.levels.every((higher) =>
      Risk.levels.every(
        (lower) =>
          Risk.compare(higher, lower) <= 0 ||
          DateTime.isLessThanOrEqualTo(
            Deadline.due(kind, higher, start, policy),
            Deadline.due(kind, lower, start, policy)
          )
      )
    )
  )

describe("Deadline: the default policy", () => {
  it("holds the docs/domain.md §5 defaults", () => {
    const hours = (kind: Deadline.Kind) =>
      Risk.levels.map((level) => Duration.toHours(Deadline.durationOf(kind, level)))
    // rendah, sedang, tinggi
    expect(hours("first-contact")).toEqual([7 * 24, 72, 24])
    expect(hours("assessment")).toEqual([14 * 24, 7 * 24, 3 * 24])
    expect(hours("case-plan")).toEqual([30 * 24, 14 * 24, 7 * 24])
    expect(hours("review")).toEqual([90 * 24, 60 * 24, 30 * 24])
    expect(hours("unassigned-alert")).toEqual([3, 3, 1])
    expect(hours("emergency-placement-approval")).toEqual([24, 24, 24])
    // The statutory clocks of UU 11/2012 (issue 11): the same at every level.
    expect(hours("diversion-attempt")).toEqual([7 * 24, 7 * 24, 7 * 24])
    expect(hours("diversion-conclusion")).toEqual([30 * 24, 30 * 24, 30 * 24])
    expect(hours("diversion-court-submission")).toEqual([72, 72, 72])
    expect(hours("diversion-confirmation")).toEqual([72, 72, 72])
    expect(hours("litmas")).toEqual([72, 72, 72])
    expect(hours("data-subject-request")).toEqual([72, 72, 72])
    expect(Deadline.validate(Deadline.defaultPolicy)).toEqual(Result.succeed(Deadline.defaultPolicy))
  })

  it("gives each kind a label, a clock start and a basis: practice for the risk-based kinds, the law for the SPPA clocks", () => {
    expect(Deadline.kinds.map((info) => info.code)).toEqual([...Deadline.kindCodes])
    for (const info of Deadline.kinds) {
      expect(Schema.is(Deadline.KindInfo)(info)).toBe(true)
      expect(Deadline.policyBasis[info.code]).toBe(info.basis)
      if (info.code === "pasal21-court-submission" || info.code.startsWith("diversion-") || info.code === "litmas") {
        expect(info.basis.every((basis) => basis.instrument === "UU 11/2012")).toBe(true)
      } else if (info.code === "data-subject-request") {
        expect(info.basis.map((basis) => `${basis.instrument} ${basis.provision}`)).toEqual([
          "UU 27/2022 Pasal 30 ayat (1)",
          "UU 27/2022 Pasal 32 ayat (2)"
        ])
      } else {
        expect(info.basis.every((basis) => basis.status === "policy-default")).toBe(true)
      }
    }
    expect(Deadline.policyBasis["pasal21-court-submission"]).toMatchObject([
      { instrument: "UU 11/2012", provision: "Pasal 21 ayat (2)", status: "unverified" }
    ])
    expect(Deadline.policyBasis["unassigned-alert"]).toContainEqual(Deadline.primero)
    expect(Deadline.policyBasis.review).toContainEqual(Deadline.openSpp)
  })

  it("encodes to JSON as ISO-8601 durations and decodes back", () => {
    const json = Deadline.encodePolicy(Deadline.defaultPolicy)
    expect(json["first-contact"]).toEqual({ rendah: "P7D", sedang: "P3D", tinggi: "P1D" })
    expect(json["unassigned-alert"]).toEqual({ rendah: "PT3H", sedang: "PT3H", tinggi: "PT1H" })
    const back = Schema.decodeUnknownSync(Deadline.DeadlinePolicy)(JSON.parse(JSON.stringify(json)))
    for (const kind of Deadline.kindCodes) {
      for (const level of Risk.levels) {
        expect(Duration.equals(back[kind][level], Deadline.defaultPolicy[kind][level])).toBe(true)
      }
    }
  })

  it("rejects through the Schema a JSON policy that breaks a rule", () => {
    const json = {
      ...Deadline.encodePolicy(Deadline.defaultPolicy),
      review: { rendah: "P90D", sedang: "P30D", tinggi: "P60D" }
    }
    const result = Schema.decodeUnknownResult(Deadline.DeadlinePolicy)(json)
    expect(Result.isFailure(result)).toBe(true)
    if (Result.isFailure(result)) expect(result.failure.message).toMatch(/DEADLINE-MONOTONE/)
    const months = {
      ...Deadline.encodePolicy(Deadline.defaultPolicy),
      review: { rendah: "P3M", sedang: "P2M", tinggi: "P1M" }
    }
    expect(Result.isFailure(Schema.decodeUnknownResult(Deadline.DeadlinePolicy)(months))).toBe(true)
  })
})

describe("Deadline: makePolicy", () => {
  it("applies overrides on top of the defaults", () => {
    const policy = Result.getOrThrow(Deadline.makePolicy({ "first-contact": { tinggi: Duration.hours(12) } }))
    expect(Duration.toHours(policy["first-contact"].tinggi)).toBe(12)
    expect(Duration.toHours(policy["first-contact"].sedang)).toBe(72)
    expect(policy.review).toEqual(Deadline.defaultPolicy.review)
  })

  it("rejects a higher level with a later deadline, naming DEADLINE-MONOTONE", () => {
    const result = Deadline.makePolicy({ "first-contact": { tinggi: Duration.hours(96) } })
    expect(Result.isFailure(result)).toBe(true)
    if (Result.isFailure(result)) {
      expect(result.failure._tag).toBe("InvalidDeadlinePolicy")
      expect(result.failure.rule).toBe("DEADLINE-MONOTONE")
      expect(result.failure.field).toBe("first-contact.tinggi")
      expect(result.failure.message).toMatch(
        /DEADLINE-MONOTONE \(A higher risk level never gets a later deadline\).*tinggi \(P4D\) is later than sedang \(P3D\)/
      )
    }
    const sedang = Deadline.makePolicy({ review: { sedang: Duration.days(120) } })
    if (Result.isFailure(sedang)) expect(sedang.failure.field).toBe("review.sedang")
    else throw new Error("expected sedang 120 days > rendah 90 days to be rejected")
  })

  it("accepts equal deadlines for neighbouring levels", () => {
    expect(Result.isSuccess(Deadline.makePolicy({ "first-contact": { sedang: Duration.hours(24) } }))).toBe(true)
  })

  it("rejects zero, negative, infinite, sub-millisecond and absurdly long durations, naming DEADLINE-POSITIVE", () => {
    const reason = (duration: Duration.Duration) => {
      const result = Deadline.makePolicy({ assessment: { rendah: duration } })
      if (Result.isSuccess(result)) throw new Error(`expected ${Duration.format(duration)} to be rejected`)
      expect(result.failure.rule).toBe("DEADLINE-POSITIVE")
      expect(result.failure.field).toBe("assessment.rendah")
      return result.failure.reason
    }
    expect(reason(Duration.zero)).toMatch(/longer than zero/)
    expect(reason(Duration.millis(-1))).toMatch(/longer than zero/)
    expect(reason(Duration.infinity)).toMatch(/finite/)
    expect(reason(Duration.millis(Number.NaN))).toMatch(/longer than zero/) // effect turns NaN into zero
    expect(reason(Duration.nanos(1500n))).toMatch(/whole number of milliseconds/)
    expect(reason(Duration.days(2000))).toMatch(/at most 5 years/)
  })

  it("reads overrides from JSON", () => {
    const policy = Result.getOrThrow(
      Deadline.decodePolicy({ "case-plan": { rendah: "P21D" }, review: { tinggi: "P2W" } })
    )
    expect(Duration.toDays(policy["case-plan"].rendah)).toBe(21)
    expect(Duration.toDays(policy.review.tinggi)).toBe(14)
    const monotone = Deadline.decodePolicy({ "case-plan": { tinggi: "P60D" } })
    expect(Result.isFailure(monotone) && monotone.failure._tag).toBe("InvalidDeadlinePolicy")
    for (const bad of [{ "case-plan": { rendah: "P1M" } }, { "case-plan": { urgent: "P1D" } }, { plan: {} }, "P1D"]) {
      const result = Deadline.decodePolicy(bad)
      expect(Result.isFailure(result) && result.failure._tag).toBe("InvalidInput")
    }
  })

  propTest.prop([arbitraryOverrides, arbitraryInstant])(
    "DEADLINE-MONOTONE: any policy makePolicy builds is either rejected or monotone",
    (overrides, start) => {
      const result = Deadline.makePolicy(overrides)
      if (Result.isSuccess(result)) {
        expect(isMonotone(result.success, start)).toBe(true)
      } else {
        expect(["DEADLINE-MONOTONE", "DEADLINE-POSITIVE"]).toContain(result.failure.rule)
      }
    }
  )

  propTest.prop([arbitraryPolicy, arbitraryInstant])(
    "validate accepts a policy exactly when all durations are valid and it is monotone",
    (policy, start) => {
      const valid = Deadline.kindCodes.every((kind) =>
        Risk.levels.every((level) => Deadline.durationProblem(policy[kind][level]) === undefined)
      )
      const result = Deadline.validate(policy)
      expect(Result.isSuccess(result)).toBe(valid && isMonotone(policy, start))
      if (Result.isFailure(result)) {
        expect(result.failure.rule).toBe(valid ? "DEADLINE-MONOTONE" : "DEADLINE-POSITIVE")
      }
    }
  )
})

describe("Deadline: due", () => {
  it("seed 000: a tinggi report in Padang needs first contact within 24 hours", () => {
    const reported = at("2025-02-05T17:00:00+07:00")
    const due = Deadline.due("first-contact", "tinggi", reported)
    expect(iso(due)).toBe("2025-02-06T10:00:00.000Z")
    expect(Deadline.display(due, Region.decodeSync("13.71"))).toBe("2025-02-06T17:00:00+07:00 WIB")
    expect(iso(Deadline.due("first-contact", "sedang", reported))).toBe("2025-02-08T10:00:00.000Z")
    expect(iso(Deadline.due("first-contact", "rendah", reported))).toBe("2025-02-12T10:00:00.000Z")
    expect(iso(Deadline.due("unassigned-alert", "tinggi", reported))).toBe("2025-02-05T11:00:00.000Z")
    expect(iso(Deadline.due("emergency-placement-approval", "tinggi", reported))).toBe("2025-02-06T10:00:00.000Z")
  })

  it("follows a deployment's policy", () => {
    const policy = Result.getOrThrow(Deadline.makePolicy({ "first-contact": { tinggi: Duration.hours(6) } }))
    expect(iso(Deadline.due("first-contact", "tinggi", at("2025-02-06T00:00:00Z"), policy))).toBe(
      "2025-02-06T06:00:00.000Z"
    )
  })

  it("lists review dates one interval apart", () => {
    const dates = Result.getOrThrow(Deadline.reviewDates("tinggi", at("2025-01-01T02:00:00Z"), 3))
    expect(dates.map(iso)).toEqual(["2025-01-31T02:00:00.000Z", "2025-03-02T02:00:00.000Z", "2025-04-01T02:00:00.000Z"])
    expect(Deadline.reviewDates("rendah", at("2025-01-01T00:00:00Z"), 0)).toEqual(Result.succeed([]))
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      const result = Deadline.reviewDates("rendah", at("2025-01-01T00:00:00Z"), bad)
      expect(Result.isFailure(result) && result.failure.field).toBe("count")
    }
    const tooFar = Deadline.reviewDates("rendah", at("2025-01-01T00:00:00Z"), 2_000_000)
    expect(Result.isFailure(tooFar) && tooFar.failure.reason).toMatch(/outside the range/)
  })

  propTest.prop([arbitraryKind, arbitraryLevel, arbitraryLevel, arbitraryInstant])(
    "DEADLINE-MONOTONE: under the default policy a higher level is never due later",
    (kind, a, b, start) => {
      const [higher, lower] = Risk.compare(a, b) >= 0 ? [a, b] : [b, a]
      expect(DateTime.isLessThanOrEqualTo(Deadline.due(kind, higher, start), Deadline.due(kind, lower, start))).toBe(
        true
      )
    }
  )

  propTest.prop([arbitraryKind, arbitraryLevel, arbitraryInstant, arbitraryOverrides])(
    "a deadline is strictly after its stage start (default policy and any accepted policy)",
    (kind, level, start, overrides) => {
      expect(DateTime.isGreaterThan(Deadline.due(kind, level, start), start)).toBe(true)
      const policy = Result.getOrUndefined(Deadline.makePolicy(overrides))
      if (policy !== undefined)
        expect(DateTime.isGreaterThan(Deadline.due(kind, level, start, policy), start)).toBe(true)
    }
  )

  propTest.prop([arbitraryLevel, arbitraryInstant, fc.integer({ min: 0, max: 24 })])(
    "review dates are strictly increasing, one interval apart",
    (level, from, count) => {
      const dates = Result.getOrThrow(Deadline.reviewDates(level, from, count))
      expect(dates).toHaveLength(count)
      let previous = from
      for (const date of dates) {
        expect(DateTime.toEpochMillis(date) - DateTime.toEpochMillis(previous)).toBe(
          Duration.toMillis(Deadline.durationOf("review", level))
        )
        previous = date
      }
      if (count > 0)
        expect(DateTime.Equivalence(dates[0] as DateTime.Utc, Deadline.due("review", level, from))).toBe(true)
    }
  )
})

describe("Deadline: display", () => {
  it("shows the same instant in WIB (Padang), WITA (Balikpapan, NTB) and WIT (Papua)", () => {
    const due = at("2025-02-06T10:00:00Z")
    expect(Deadline.display(due, Region.decodeSync("13.71"))).toBe("2025-02-06T17:00:00+07:00 WIB")
    expect(Deadline.display(due, Region.decodeSync("64.71"))).toBe("2025-02-06T18:00:00+08:00 WITA")
    expect(Deadline.display(due, Region.decodeSync("52"))).toBe("2025-02-06T18:00:00+08:00 WITA")
    expect(Deadline.display(due, Region.decodeSync("91"))).toBe("2025-02-06T19:00:00+09:00 WIT")
  })

  it("crosses midnight into the local date and keeps milliseconds when there are any", () => {
    expect(Deadline.display(at("2025-02-06T16:30:00Z"), Region.decodeSync("91"))).toBe("2025-02-07T01:30:00+09:00 WIT")
    expect(Deadline.display(at("2025-02-06T10:00:00.250Z"), Region.decodeSync("13.71"))).toBe(
      "2025-02-06T17:00:00.250+07:00 WIB"
    )
    expect(Deadline.displayIn(at("2025-02-06T10:00:00Z"), Region.WITA)).toBe("2025-02-06T18:00:00+08:00 WITA")
  })

  propTest.prop([arbitraryInstant, arbitraryRegion])("display round-trips to the same instant", (instant, region) => {
    const shown = Deadline.display(instant, region)
    const [isoPart, zone] = shown.split(" ")
    expect(zone).toBe(Region.timeZone(region).abbreviation)
    expect(isoPart).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?\+0[789]:00$/)
    expect(DateTime.Equivalence(DateTime.makeUnsafe(isoPart as string), instant)).toBe(true)
  })
})

describe("Deadline: rules", () => {
  it("lists its rules with stable ids", () => {
    expect(Deadline.rules.map((rule) => rule.id)).toEqual(["DEADLINE-MONOTONE", "DEADLINE-POSITIVE"])
  })

  propTest.prop([fc.constantFrom(...Deadline.rules)])("every rule has a basis", (rule) => {
    expect(Schema.is(Basis.Rule)(rule)).toBe(true)
    expect(rule.basis.length).toBeGreaterThan(0)
  })
})
