/** The property tests run with a seed derived from the commit (reproducible per commit), or as asked. */
import { execSync } from "node:child_process"
import { fc } from "@fast-check/vitest"
import { describe, expect, it } from "vitest"
import { deep, runs, seed, seedOf } from "./properties.js"

describe("property-test seeds", () => {
  it("seeds fast-check from the commit, or from LINDUNG_PROPERTY_SEED; deep runs are random and 20 times longer", () => {
    const asked = process.env.LINDUNG_PROPERTY_SEED
    if (asked !== undefined && asked.length > 0) {
      expect(seed).toBe(Number(asked))
    } else if (deep) {
      expect(seed).toBeUndefined()
    } else {
      const head = execSync("git rev-parse HEAD", { stdio: ["ignore", "pipe", "ignore"] })
        .toString()
        .trim()
      expect(seed).toBe(seedOf(head))
    }
    expect(fc.readConfigureGlobal().seed).toBe(seed)
    expect(runs(10)).toBe(deep ? 200 : 10)
  })

  it("derives different seeds from different commits, the same from one", () => {
    const a = seedOf("08c2190a")
    expect(seedOf("08c2190a")).toBe(a)
    expect(seedOf("08c2190b")).not.toBe(a)
    expect(Number.isSafeInteger(a) && Math.abs(a) < 2 ** 31).toBe(true)
  })
})
