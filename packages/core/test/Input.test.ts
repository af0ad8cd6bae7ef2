import { Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as Input from "../src/Input.js"

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

  it("is serialisable through its Schema", () => {
    const error = Input.invalid("date", "2023-02-29", "does not exist")
    const encoded = Schema.encodeSync(Input.InvalidInput)(error)
    expect(encoded).toEqual({ _tag: "InvalidInput", field: "date", value: '"2023-02-29"', reason: "does not exist" })
  })
})
