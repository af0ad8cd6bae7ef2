import { fc, test as propTest } from "@fast-check/vitest"
import { describe, expect, it } from "vitest"
import * as AppendPlan from "../src/internal/AppendPlan.js"

const id = (key: AppendPlan.CounterKey) => [key.area, key.stage, key.risk, key.dimension, key.value].join("|")

/** The counters after adding some keys (+1 each) or taking them away (−1), zeros left out. */
const apply = (counters: Map<string, number>, changes: ReadonlyArray<readonly [AppendPlan.CounterKey, number]>) => {
  const next = new Map(counters)
  for (const [key, change] of changes) {
    const n = (next.get(id(key)) ?? 0) + change
    if (n === 0) next.delete(id(key))
    else next.set(id(key), n)
  }
  return next
}

const caseArb = fc.record({
  region: fc.constantFrom("13", "13.71", "13.71.01", "13.71.01.1001", "31.71.02"),
  stage: fc.constantFrom("reported", "assessment", "closed"),
  risk: fc.constantFrom("", "rendah", "tinggi"),
  categories: fc.uniqueArray(
    fc
      .tuple(fc.constantFrom("ampk", "ppks", "concern"), fc.constantFrom("1", "2", "child-marriage"))
      .map(([dimension, value]) => AppendPlan.categoryKey(dimension, value)),
    { maxLength: 5 }
  )
})

const keysOf = (c: { region: string; stage: string; risk: string; categories: ReadonlyArray<string> }) =>
  AppendPlan.counterKeys(c.region, c.stage, c.risk, c.categories)

describe("AppendPlan counters", () => {
  it("a case counts once with no category and once per value of each dimension, none when it has none", () => {
    const keys = keysOf({
      region: "13.71.01",
      stage: "reported",
      risk: "",
      categories: [AppendPlan.categoryKey("ampk", "7"), AppendPlan.categoryKey("ampk", "9")]
    })
    expect(keys.map((key) => `${key.area} ${key.dimension}=${key.value}`)).toEqual([
      "13.71 =",
      "13.71 ampk=7",
      "13.71 ampk=9",
      "13.71 ppks=none",
      "13.71 concern=none"
    ])
  })

  propTest.prop([fc.array(caseArb, { maxLength: 6 }), fc.array(caseArb, { maxLength: 6 })])(
    "applying the delta from old to new keys gives the counters of the new keys, whatever else is counted",
    (others, changes) => {
      let counters = apply(
        new Map(),
        others.flatMap((c) => keysOf(c).map((key) => [key, 1] as const))
      )
      const expected = (current: (typeof changes)[number] | undefined) =>
        apply(
          new Map(),
          [...others, ...(current === undefined ? [] : [current])].flatMap((c) =>
            keysOf(c).map((key) => [key, 1] as const)
          )
        )
      let previous: (typeof changes)[number] | undefined
      for (const next of changes) {
        counters = apply(
          counters,
          AppendPlan.counterDelta(previous === undefined ? [] : keysOf(previous), keysOf(next))
        )
        expect(counters).toEqual(expected(next))
        previous = next
      }
    }
  )
})
