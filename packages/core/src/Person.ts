/**
 * The people of each agency: the person directory. A person has a stable pseudonymous id (never a name or a NIK),
 * and one membership per agency they work for — a role there, and for a supervisor or head the office they hold.
 * A Sakti Peksos may be a member of a Dinas Sosial and of a Kemensos unit at once. A person marked inactive (who
 * left, or whose access was withdrawn) is refused everywhere at once.
 *
 * The directory, not a token, says who an actor is: an actor's agency, region, role and position come from
 * {@link actorOf}, and `Directory.authenticate` checks a token's claims against it.
 *
 * @example
 * ```ts
 * import { Person } from "@lindung/core"
 *
 * const kasi = Person.make({ id: "kasi-rehsos-padang", agency: "dinsos-13.71", role: "supervisor", position: "kasi" })
 * kasi.active // true
 * ```
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import * as Actor from "./Actor.js"
import * as Agency from "./Agency.js"

/** One membership of a person in an agency. */
export const Person = Schema.Struct({
  id: Actor.ActorId,
  agency: Agency.AgencyId,
  role: Actor.Role,
  position: Schema.optionalKey(Actor.Position),
  /** For a Kepala Bidang: the bidang they head (see `Actor.BidangCode`). */
  bidang: Schema.optionalKey(Actor.BidangCode),
  /** Whether the person may act. Default true; `false` refuses every request at once. */
  active: Schema.optionalKey(Schema.Boolean)
}).annotate({ identifier: "Person", description: "A person's membership of an agency: role, office, active" })

/** See {@link Person}. */
export type Person = typeof Person.Type

/** Builds a membership from plain values, checking them (throws on bad input: for fixtures and configuration). */
export const make = (input: {
  readonly id: string
  readonly agency: string
  readonly role: Actor.Role
  readonly position?: Actor.Position
  readonly bidang?: string
  readonly active?: boolean
}): Person & { readonly active: boolean } => {
  const person = Schema.decodeUnknownSync(Person)(input)
  return { ...person, active: person.active ?? true }
}

/** Whether a membership is active. */
export const isActive = (person: Person): boolean => person.active !== false

/** The people a deployment knows: every membership of each person id. */
export type People = ReadonlyMap<Actor.ActorId, ReadonlyArray<Person>>

/**
 * Indexes memberships by person id. Fails, naming the problem, when a membership names an agency the directory
 * does not know or the same person and agency twice.
 */
export const people = (agencies: Agency.Directory, list: Iterable<Person>): Result.Result<People, string> => {
  const byId = new Map<Actor.ActorId, Array<Person>>()
  for (const person of list) {
    if (!agencies.has(person.agency)) {
      return Result.fail(`person ${person.id} is a member of agency ${person.agency}, which is not in the directory`)
    }
    const memberships = byId.get(person.id) ?? []
    if (memberships.some((m) => m.agency === person.agency)) {
      return Result.fail(`person ${person.id} is listed twice for agency ${person.agency}`)
    }
    memberships.push(person)
    byId.set(person.id, memberships)
  }
  return Result.succeed(byId)
}

/** The actor a membership acts as: its role and office, and its agency's region — from the directory. */
export const actorOf = (person: Person, agency: Agency.Agency): Actor.Actor => ({
  id: person.id,
  role: person.role,
  ...(person.position === undefined ? {} : { position: person.position }),
  ...(person.bidang === undefined ? {} : { bidang: person.bidang }),
  agency: agency.id,
  region: agency.region
})

/** The active membership of a person in an agency, if there is one. */
export const membership = (all: People, id: Actor.ActorId, agency: Agency.AgencyId): Person | undefined =>
  all.get(id)?.find((m) => m.agency === agency && isActive(m))

/** The roles whose members may be assigned to work on a case (SOP-07). */
export const assignableRoles: ReadonlySet<Actor.Role> = new Set(["caseworker", "supervisor", "head-of-dinas"])

/**
 * Whether a person may be assigned to the cases of an agency (SOP-07): an active member of it as a caseworker,
 * supervisor or head. A person who left the agency, was made inactive or given another role may not; the deadline
 * scheduler's `Tick` ends the assignments of such a person while the directory still lists them.
 */
export const assignable = (all: People, id: Actor.ActorId, agency: Agency.AgencyId): boolean => {
  const member = membership(all, id, agency)
  return member !== undefined && assignableRoles.has(member.role)
}
