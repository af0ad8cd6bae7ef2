/**
 * The directory of a deployment: its agencies and the people of each agency. The directory is the truth about
 * an actor — agency, region, role and office — and a token only names the person ({@link authenticate}); any
 * other claim a token carries must agree with the directory or the token is refused. The {@link Directory}
 * service holds the current snapshot and can be reloaded without a restart ({@link makeReloadable}); a person
 * marked inactive is refused from the next request on.
 *
 * @example
 * ```ts
 * import { Directory } from "@lindung/core"
 * import { Result } from "effect"
 *
 * const snapshot = Directory.make(agencies, people) // Result: fails on a person of an unknown agency
 * Directory.authenticate(Result.getOrThrow(snapshot), { sub: "kasi-rehsos-padang" })
 * // Success: { id: "kasi-rehsos-padang", role: "supervisor", position: "kasi", agency: "dinsos-13.71", region: "13.71" }
 * ```
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer, Ref, Result } from "effect"
import type * as Actor from "./Actor.js"
import * as Agency from "./Agency.js"
import * as Person from "./Person.js"

/** The agencies and people a deployment knows, at one moment. */
export interface Snapshot {
  readonly agencies: Agency.Directory
  readonly people: Person.People
}

/** Builds a snapshot; fails, naming the problem, when a person belongs to an unknown agency or is listed twice. */
export const make = (
  agencies: Agency.Directory | Iterable<Agency.Agency>,
  people: Iterable<Person.Person>
): Result.Result<Snapshot, string> => {
  const directory =
    agencies instanceof Map ? (agencies as Agency.Directory) : Agency.directory(agencies as Iterable<Agency.Agency>)
  return Result.map(Person.people(directory, people), (indexed) => ({ agencies: directory, people: indexed }))
}

/** What a token claims about its bearer (after its signature was verified). Only `sub` is required. */
export interface Claims {
  readonly sub?: unknown
  readonly agency?: unknown
  readonly role?: unknown
  readonly position?: unknown
  readonly region?: unknown
}

/** Why the directory does not recognise a token's bearer: plain data, for a 401 at the edge. */
export interface Unrecognised {
  readonly reason: "no-subject" | "unknown-person" | "agency-required" | "claim-mismatch"
  readonly detail: string
}

const unrecognised = (reason: Unrecognised["reason"], detail: string): Result.Result<never, Unrecognised> =>
  Result.fail({ reason, detail })

/**
 * The actor a token's bearer is, from the directory: `sub` must be an active person, never the scheduler's (role
 * `system`, which acts in its own process only and answers as an unknown person here); `agency` chooses the
 * membership when the person has several active ones (and must be one of them); `role`, `position` and `region`,
 * when present, must agree with the directory. The answer never says whether an unknown person id exists.
 */
export const authenticate = (snapshot: Snapshot, claims: Claims): Result.Result<Actor.Actor, Unrecognised> => {
  const { sub } = claims
  if (typeof sub !== "string" || sub.length === 0) return unrecognised("no-subject", "the token names no subject")
  const memberships = (snapshot.people.get(sub as Actor.ActorId) ?? []).filter(Person.isActive)
  // The scheduler's person (role `system`) acts in its own process only: a token never names it.
  const usable = memberships.filter((m) => snapshot.agencies.has(m.agency) && m.role !== "system")
  if (usable.length === 0) {
    return unrecognised("unknown-person", "the token's subject is not an active person of the directory")
  }
  let chosen: Person.Person | undefined
  if (claims.agency !== undefined) {
    chosen = usable.find((m) => m.agency === claims.agency)
    if (chosen === undefined) {
      return unrecognised("claim-mismatch", "the token's agency claim is not an active membership of its subject")
    }
  } else if (usable.length === 1) {
    chosen = usable[0]
  } else {
    return unrecognised("agency-required", "the subject works for several agencies: the token must name its agency")
  }
  const agency = chosen === undefined ? undefined : snapshot.agencies.get(chosen.agency)
  if (chosen === undefined || agency === undefined) {
    return unrecognised("unknown-person", "the token's subject is not an active person of the directory")
  }
  const actor = Person.actorOf(chosen, agency)
  if (claims.role !== undefined && claims.role !== actor.role) {
    return unrecognised("claim-mismatch", "the token's role claim does not agree with the directory")
  }
  if (claims.position !== undefined && claims.position !== actor.position) {
    return unrecognised("claim-mismatch", "the token's position claim does not agree with the directory")
  }
  if (claims.region !== undefined && claims.region !== actor.region) {
    return unrecognised("claim-mismatch", "the token's region claim does not agree with the directory")
  }
  return Result.succeed(actor)
}

/** The active actor a person id is in an agency, if the directory knows one. */
export const actor = (snapshot: Snapshot, id: Actor.ActorId, agency: Agency.AgencyId): Actor.Actor | undefined => {
  const found = Person.membership(snapshot.people, id, agency)
  const known = snapshot.agencies.get(agency)
  return found === undefined || known === undefined ? undefined : Person.actorOf(found, known)
}

/**
 * The actor of the directory's person with the role `system` — the deadline scheduler's, who may only list what is
 * due and decide `Tick` (`Access`) — if the directory has an active one (the first, in person-id order, when several).
 */
export const systemActor = (snapshot: Snapshot): Actor.Actor | undefined => {
  const ids = [...snapshot.people.keys()].sort()
  for (const id of ids) {
    for (const membership of snapshot.people.get(id) ?? []) {
      if (membership.role !== "system" || !Person.isActive(membership)) continue
      const found = actor(snapshot, membership.id, membership.agency)
      if (found !== undefined) return found
    }
  }
  return undefined
}

/** The operations of the {@link Directory} port: what an adapter implements and a caller may use. */
export interface DirectoryShape {
  /** The snapshot in force now (a reload takes effect from the next call). */
  readonly current: Effect.Effect<Snapshot>
}

/** The service: the current snapshot of the directory. */
export class Directory extends Context.Service<Directory, DirectoryShape>()("@lindung/core/Directory") {}

/** A directory that never changes. */
export const layer = (snapshot: Snapshot): Layer.Layer<Directory> =>
  Layer.succeed(Directory)({ current: Effect.succeed(snapshot) })

/** A reloadable directory: the service, and `reload` to swap in a new snapshot (e.g. on SIGHUP). */
export interface Reloadable {
  readonly service: Directory["Service"]
  readonly reload: (snapshot: Snapshot) => Effect.Effect<void>
}

/** Builds a {@link Reloadable} directory starting from `initial`. */
export const makeReloadable = (initial: Snapshot): Effect.Effect<Reloadable> =>
  Effect.map(Ref.make(initial), (ref) => ({
    service: Directory.of({ current: Ref.get(ref) }),
    reload: (snapshot: Snapshot) => Ref.set(ref, snapshot)
  }))
