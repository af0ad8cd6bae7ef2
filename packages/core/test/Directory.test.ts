/** The directory's system person: the one actor the deadline scheduler acts as. */
import { fc, test as propTest } from "@fast-check/vitest"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import * as Actor from "../src/Actor.js"
import * as Agency from "../src/Agency.js"
import * as Directory from "../src/Directory.js"
import * as Person from "../src/Person.js"
import { runs } from "./properties.js"

const agencies = [
  Agency.make({
    id: "dinsos-13.71",
    kind: "dinsos",
    name: "Dinas Sosial Kota Padang",
    region: "13.71",
    dinasType: "A"
  }),
  Agency.make({
    id: "dinsos-13",
    kind: "dinsos",
    name: "Dinas Sosial Provinsi Sumatera Barat",
    region: "13",
    dinasType: "A"
  })
]

const roles = Object.keys(Actor.roles) as ReadonlyArray<Actor.Role>

/** Random people of the two agencies, in every role, active or not. */
const peopleArb = fc.uniqueArray(
  fc.record({
    id: fc.stringMatching(/^[a-z]{1,6}$/),
    agency: fc.nat(1),
    role: fc.constantFrom(...roles),
    active: fc.boolean()
  }),
  { selector: (p) => p.id, maxLength: 8 }
)

/** The person of a drawn entry, with the position its role needs. */
const personOf = (entry: { id: string; agency: number; role: Actor.Role; active: boolean }) =>
  Person.make({
    id: entry.id,
    agency: (agencies[entry.agency] as Agency.Agency).id,
    role: entry.role,
    active: entry.active,
    ...(entry.role === "supervisor" ? { position: "kasi" as const } : {}),
    ...(entry.role === "head-of-dinas" ? { position: "kadis" as const } : {})
  })

describe("Directory.systemActor", () => {
  it("finds the active person with the role system, as the directory describes it, and none when there is none", () => {
    const people = [
      Person.make({ id: "kasi", agency: "dinsos-13.71", role: "supervisor", position: "kasi" }),
      Person.make({ id: "old-scheduler", agency: "dinsos-13.71", role: "system", active: false }),
      Person.make({ id: "scheduler", agency: "dinsos-13", role: "system" })
    ]
    const snapshot = Result.getOrThrow(Directory.make(agencies, people))
    expect(Directory.systemActor(snapshot)).toMatchObject({
      id: "scheduler",
      role: "system",
      agency: "dinsos-13",
      region: "13"
    })
    const without = Result.getOrThrow(Directory.make(agencies, people.slice(0, 2)))
    expect(Directory.systemActor(without)).toBeUndefined()
  })

  propTest.prop([peopleArb], { numRuns: runs(200) })(
    "is a system person of the directory exactly when one is active, and the first by id",
    (entries) => {
      const people = entries.map(personOf)
      const made = Directory.make(agencies, people)
      if (Result.isFailure(made)) return
      const found = Directory.systemActor(made.success)
      const eligible = entries
        .filter((entry) => entry.role === "system" && entry.active)
        .map((entry) => entry.id)
        .sort()
      if (eligible.length === 0) expect(found).toBeUndefined()
      else {
        expect(found?.id).toBe(eligible[0])
        expect(found?.role).toBe("system")
        // As the directory describes it: the case service accepts exactly this actor.
        expect(found).toEqual(
          Directory.actor(made.success, found?.id as Actor.ActorId, found?.agency as Agency.AgencyId)
        )
      }
    }
  )
})

describe("Directory.authenticate", () => {
  it("never recognises the scheduler's person: a token naming it is an unknown person (access review)", () => {
    const snapshot = Result.getOrThrow(
      Directory.make(agencies, [Person.make({ id: "scheduler", agency: "dinsos-13", role: "system" })])
    )
    expect(Directory.authenticate(snapshot, { sub: "scheduler" })).toEqual(
      Result.fail({
        reason: "unknown-person",
        detail: "the token's subject is not an active person of the directory"
      })
    )
    expect(Directory.systemActor(snapshot)?.id).toBe("scheduler")
  })

  propTest.prop([peopleArb], { numRuns: runs(200) })(
    "recognises exactly the active people who are not the scheduler's, as the directory describes them",
    (entries) => {
      const made = Directory.make(agencies, entries.map(personOf))
      if (Result.isFailure(made)) return
      for (const entry of entries) {
        const found = Directory.authenticate(made.success, { sub: entry.id })
        if (entry.active && entry.role !== "system") {
          expect(found).toEqual(
            Result.succeed(Directory.actor(made.success, entry.id as Actor.ActorId, personOf(entry).agency))
          )
        } else {
          expect(Result.isFailure(found), `${entry.id} (${entry.role}, active ${entry.active})`).toBe(true)
        }
      }
    }
  )
})
