/**
 * References to national data systems (issue 11): opaque record ids of DTSEN, DTKS, SIMFONI-PPA and SIKS-NG,
 * checked, and never an identity number — a value shaped like a NIK or a family-card number is refused.
 */
import { fc, test as propTest } from "@fast-check/vitest"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import * as NationalReference from "../src/NationalReference.js"
import { runs } from "./properties.js"

describe("NationalReference (SOP-NATIONAL-REFERENCE)", () => {
  it("takes a system's own record id", () => {
    for (const [system, id] of [
      ["simfoni-ppa", "SPPA-2025-000123"],
      ["siks-ng", "SIKS/13.71/2025/77"],
      ["dtsen", "RT.1371.0042"],
      ["dtks", "dtks_99123"]
    ] as const) {
      expect(NationalReference.decode({ system, id })).toEqual(Result.succeed({ system, id }))
    }
  })

  it("refuses an id shaped like a NIK or a KK number, an unknown system, or a malformed id", () => {
    for (const id of ["1371012345670001", "1371-0123-4567-0001", "1371_0123_4567_0001", "NIK1371012345670001"]) {
      const decoded = NationalReference.decode({ system: "dtsen", id })
      expect(Result.isFailure(decoded) && decoded.failure.message).toMatch(/like a NIK or a family-card number/)
    }
    for (const input of [
      { system: "bpjs", id: "ref-1" },
      { system: "dtsen", id: "" },
      { system: "dtsen", id: "nama anak" },
      { system: "dtsen", id: "x".repeat(65) }
    ]) {
      expect(Result.isFailure(NationalReference.decode(input))).toBe(true)
    }
  })

  propTest.prop(
    [
      fc.stringMatching(/^\d{16}$/),
      fc.array(fc.constantFrom(".", "-", "_", "/", ""), { minLength: 15, maxLength: 15 }),
      fc.constantFrom("", "NIK", "KK-", "ref/", "A")
    ],
    { numRuns: runs(300) }
  )("never takes sixteen digits in a row, however they are separated or prefixed", (digits, separators, prefix) => {
    const id = prefix + [...digits].map((digit, i) => digit + (separators[i] ?? "")).join("")
    const decoded = NationalReference.decode({ system: "siks-ng", id })
    expect(Result.isFailure(decoded), id).toBe(true)
  })

  it("gives every system a label and a basis", () => {
    for (const system of NationalReference.System.literals) {
      expect(NationalReference.systems[system].basis.instrument.length).toBeGreaterThan(0)
    }
  })
})
