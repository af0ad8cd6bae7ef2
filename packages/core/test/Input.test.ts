import { fc, test as propTest } from "@fast-check/vitest"
import { Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as Input from "../src/Input.js"
import * as NationalReference from "../src/NationalReference.js"
import * as Rejection from "../src/Rejection.js"
import { runs } from "./properties.js"

describe("Input", () => {
  it("names the field, shows the value and says what is wrong", () => {
    const error = Input.invalid("threatenedPenaltyYears", -1, "must not be negative")
    expect(error._tag).toBe("InvalidInput")
    expect(error.message).toBe("Invalid threatenedPenaltyYears -1: must not be negative")
    expect(Input.invalid("code", "zz", "unknown").message).toBe('Invalid code "zz": unknown')
    expect(Input.invalid("n", Number.NaN, "not finite").value).toBe("NaN")
  })

  it("turns a schema failure into an InvalidInput with the schema's message", () => {
    const decodeAge = Input.decode(Schema.Int, "age")
    expect(decodeAge(12)).toEqual(Result.succeed(12))
    const failure = decodeAge(1.5)
    expect(Result.isFailure(failure)).toBe(true)
    if (Result.isFailure(failure)) {
      expect(failure.failure.field).toBe("age")
      expect(failure.failure.reason).toMatch(/integer/)
    }
  })

  propTest.prop(
    [
      fc.constantFrom("birthDate", "ageAtReport", "ageAtDetention", "ageAtAct", "ageNow", "wakeAt"),
      fc.constantFrom("", "report.", "items.3.report."),
      fc.oneof(
        fc.date({ noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10)),
        fc.integer({ min: 0, max: 130 })
      )
    ],
    { numRuns: runs(200) }
  )(
    "never shows the value of a personal field (a birth date, an exact age, a wake-up instant), at the edge or in the decider",
    (field, path, value) => {
      const shown = JSON.stringify(value)
      for (const error of [
        Input.invalid(`${path}${field}`, value, "is wrong"),
        Rejection.invalid(`${path}${field}`, value, "is wrong")
      ]) {
        expect(error.value).toBe("(not shown)")
        expect(error.message).toBe(`Invalid ${path}${field} (not shown): is wrong`)
        expect(error.message.slice(`Invalid ${path}${field}`.length)).not.toContain(shown)
      }
      // Any other field shows its value.
      expect(Input.invalid(`${path}${field}Code`, value, "is wrong").value).toBe(shown)
    }
  )

  propTest.prop(
    [
      fc.constantFrom("birthDate", "ageAtReport", "ageAtDetention", "ageAtAct", "ageNow", "wakeAt"),
      fc.constantFrom("", "payload.", "items.3.report."),
      fc.oneof(
        // A date, quoted in any way: whole, in part (its year and month), after "got" or in quotation marks.
        fc.tuple(
          fc
            .date({ min: new Date("1900-01-01"), max: new Date("2199-12-31"), noInvalidDate: true })
            .map((date) => date.toISOString().slice(0, 10)),
          fc.constantFrom(
            (v: string) => `Expected string, got ${v}`,
            (v: string) => `"${v}" is wrong`,
            (v: string) => `${v} is wrong`,
            (v: string) => `day 31 does not exist in ${v.slice(0, 7)}`
          )
        ),
        // An age, as a schema's message would quote it.
        fc.tuple(
          fc.integer({ min: 0, max: 130 }),
          fc.constantFrom(
            (v: string) => `Expected an integer, got ${v}`,
            (v: string) => `"${v}" is not an age`
          )
        )
      )
    ],
    { numRuns: runs(200) }
  )("never lets a reason quote the value of a personal field either", (field, path, [value, reasonOf]) => {
    const text = String(value)
    const shown = typeof value === "string" ? value.slice(0, 7) : text
    for (const error of [
      Input.invalid(`${path}${field}`, value, reasonOf(text)),
      Rejection.invalid(`${path}${field}`, value, reasonOf(text))
    ]) {
      expect(error.reason).toBe(Input.hiddenReason)
      expect(error.message.slice(`Invalid ${path}${field}`.length)).not.toContain(shown)
    }
    // A reason that cites the law beside an exact age is no quotation of it.
    expect(Input.invalid(`${path}${field}`, 11, "is not an Anak (UU 11/2012 Pasal 1 angka 3)").reason).toBe(
      "is not an Anak (UU 11/2012 Pasal 1 angka 3)"
    )
    // A reason that names only a bound of the policy stays as it is.
    expect(Input.invalid(`${path}${field}`, "1800-01-01", "the year must be between 1900 and 2199").reason).toBe(
      "the year must be between 1900 and 2199"
    )
  })

  it("reads personal fields from dotted names and paths alike", () => {
    expect(Input.isPersonal("report.birthDate")).toBe(true)
    expect(Input.isPersonal(["payload", "birthDate"])).toBe(true)
    expect(Input.isPersonal(["payload", "items", 0, "ageAtAct"])).toBe(true)
    expect(Input.isPersonal(["payload", "birthDate", "year"])).toBe(false)
    expect(Input.isPersonal(["payload", "items", 0, "deliveredOn"])).toBe(false)
    expect(Input.reasonFor(["payload", "birthDate"], "Expected string, got 20150230")).toBe(Input.hiddenReason)
    expect(Input.reasonFor(["payload", "deliveredOn"], "Expected string, got 20150230")).toBe(
      "Expected string, got 20150230"
    )
  })

  it("hides a personal value even when the field's path holds the same digits (the property's counterexample)", () => {
    // seed 917669517: ["birthDate", "items.3.report.", 3] — the test read the path's "3" as the value.
    const error = Input.invalid("items.3.report.birthDate", 3, "is wrong")
    expect(error.message).toBe("Invalid items.3.report.birthDate (not shown): is wrong")
  })

  it("is serialisable through its Schema", () => {
    const error = Input.invalid("date", "2023-02-29", "does not exist")
    const encoded = Schema.encodeSync(Input.InvalidInput)(error)
    expect(encoded).toEqual({ _tag: "InvalidInput", field: "date", value: '"2023-02-29"', reason: "does not exist" })
  })

  it("does not repeat a structured input it refuses: it may hold the very value refused, like a NIK (privacy review)", () => {
    const nik = "1371012345670001"
    const refused = NationalReference.decode({ system: "dtsen", id: `NIK-${nik}` })
    expect(Result.isFailure(refused)).toBe(true)
    if (Result.isFailure(refused)) {
      expect(refused.failure.value).toBe("(not shown)")
      expect(refused.failure.message).not.toContain(nik)
      expect(refused.failure.message).toMatch(/16 digits/)
    }
    // Nor a NIK given where a string was expected, nor one too long for its field: the message names the path only.
    for (const id of [Number(nik), `${"x".repeat(100)}${nik}`]) {
      const wrong = NationalReference.decode({ system: "dtsen", id })
      expect(Result.isFailure(wrong) && wrong.failure.message).toMatch(/\["id"\]/)
      expect(Result.isFailure(wrong) && wrong.failure.message).not.toContain(nik)
    }
    // A plain value is still shown, so that it reads unambiguously.
    const plain = Input.decode(Schema.Number, "count")("12")
    expect(Result.isFailure(plain) && plain.failure.value).toBe('"12"')
  })
})
