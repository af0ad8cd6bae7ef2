/**
 * The people who act in the seed stories: intake officers, caseworkers (peksos, Sakti Peksos, the Balikpapan team
 * of companions), supervisors with their offices (Kasi, Kabid, Kabid Rehsos, Kepala Sentra/UPTD), heads of dinas,
 * partners (LPA, school, police UPPA, court, religious and community leaders, other sectors) and auditors.
 *
 * Nobody here is a real person. Ids are pseudonymous and say only the role and the place, e.g.
 * `sakti-peksos-padang-1`; an actor carries no name (see `Actor` in `@lindung/core`). Each actor's region is the
 * region of its agency (see {@link Agencies}).
 *
 * @example
 * ```ts
 * import { People } from "@lindung/seeds"
 *
 * People.get("kabid-rehsos-padang")
 * // { id: "kabid-rehsos-padang", role: "supervisor", position: "kabid-rehsos", agency: "dinsos-13.71", region: "13.71" }
 * ```
 *
 * @since 0.1.0
 */
import { Actor, Directory, Person } from "@lindung/core"
import { Result, Schema } from "effect"
import * as Agencies from "./Agencies.js"

const person = <const I extends string>(
  id: I,
  role: Actor.Role,
  agency: Agencies.Id,
  position?: Actor.Position,
  bidang?: string
) => ({
  id,
  actor: Actor.make({
    id,
    role,
    agency,
    region: Agencies.get(agency).region,
    ...(position === undefined ? {} : { position }),
    ...(bidang === undefined ? {} : { bidang })
  })
})

const entries = [
  // Seed 000: Sentra Handayani (Kemensos).
  person("peksos-sentra-handayani-1", "caseworker", "sentra-handayani"),
  person("kepala-sentra-handayani", "supervisor", "sentra-handayani", "kepala-unit"),
  // Dinas Sosial Kota Padang (type A in the examples): intake, four Sakti Peksos (seed 001), Kasi, Kabid Rehsos, Kadis.
  person("intake-dinsos-padang-1", "intake-officer", "dinsos-13.71"),
  person("sakti-peksos-padang-1", "caseworker", "dinsos-13.71"),
  person("sakti-peksos-padang-2", "caseworker", "dinsos-13.71"),
  person("sakti-peksos-padang-3", "caseworker", "dinsos-13.71"),
  person("sakti-peksos-padang-4", "caseworker", "dinsos-13.71"),
  person("kasi-rehsos-padang", "supervisor", "dinsos-13.71", "kasi"),
  person("kabid-rehsos-padang", "supervisor", "dinsos-13.71", "kabid-rehsos"),
  person("kadis-sosial-padang", "head-of-dinas", "dinsos-13.71", "kadis"),
  // Kota Padang partners and sectors (seeds 001, 004).
  person("guru-disdik-padang-1", "partner", "disdik-13.71"),
  person("petugas-dukcapil-padang-1", "caseworker", "dukcapil-13.71"),
  person("penyuluh-kemenag-padang-1", "partner", "kemenag-13.71"),
  person("pendamping-lpa-padang-1", "partner", "lpa-13.71"),
  person("tokoh-masyarakat-padang-1", "partner", "tokoh-13.71"),
  // Dinas Sosial Provinsi Sumatera Barat.
  person("auditor-sumbar-1", "auditor", "dinsos-13"),
  // Seed 001: Kabupaten Lima Puluh Kota, Balai Anak "Rumbai", labour office.
  person("sakti-peksos-limapuluhkota-1", "caseworker", "dinsos-13.07"),
  person("kabid-rehsos-limapuluhkota", "supervisor", "dinsos-13.07", "kabid-rehsos"),
  person("peksos-balai-rumbai-1", "caseworker", "balai-anak-rumbai"),
  person("petugas-disnaker-limapuluhkota-1", "partner", "disnaker-13.07"),
  // Seed 002: Dinas Sosial Kota Balikpapan (type B in the examples): intake, the team of companions, Kabid Rehsos.
  person("intake-dinsos-balikpapan-1", "intake-officer", "dinsos-64.71"),
  person("pendamping-balikpapan-1", "caseworker", "dinsos-64.71"),
  person("pendamping-balikpapan-2", "caseworker", "dinsos-64.71"),
  person("pendamping-balikpapan-3", "caseworker", "dinsos-64.71"),
  person("kabid-rehsos-balikpapan", "supervisor", "dinsos-64.71", "kabid-rehsos"),
  person("guru-balikpapan-1", "partner", "sekolah-64.71"),
  // Seed 003: Dinas Sosial Provinsi NTB, its UPTD, Kemensos Sentra Paramitha, police and court liaisons.
  person("intake-dinsos-ntb-1", "intake-officer", "dinsos-52"),
  person("peksos-ntb-1", "caseworker", "dinsos-52"),
  person("peksos-ntb-2", "caseworker", "dinsos-52"),
  person("peksos-ntb-3", "caseworker", "dinsos-52"),
  person("kabid-rehsos-ntb", "supervisor", "dinsos-52", "kabid-rehsos"),
  person("auditor-ntb-1", "auditor", "dinsos-52"),
  person("kepala-puslansos-ntb", "supervisor", "uptd-puslansos-52", "kepala-unit"),
  person("peksos-sentra-paramitha-1", "caseworker", "sentra-paramitha"),
  person("penghubung-uppa-ntb-1", "partner", "uppa-52"),
  // Seed 003: Dinas Sosial Provinsi Jawa Timur receives a returned person on referral.
  person("kabid-rehsos-jatim", "supervisor", "dinsos-35", "kabid-rehsos"),
  // Seed 004: a type C dinas (Kabid of the bidang that holds rehabilitation) and a merged dinas (Kabid, Kadis).
  person("peksos-tanah-datar-1", "caseworker", "dinsos-13.04"),
  person("kabid-sosial-tanah-datar", "supervisor", "dinsos-13.04", "kabid", "rehabilitasi-perlindungan-jaminan-sosial"),
  person("peksos-mentawai-1", "caseworker", "dinsos-13.09"),
  person("kabid-sosial-mentawai", "supervisor", "dinsos-13.09", "kabid", "sosial"),
  person("kadis-mentawai", "head-of-dinas", "dinsos-13.09", "kadis")
] as const

/** The id of a person of the stories: the key a story step names its actor by. */
export type Id = (typeof entries)[number]["id"]

/** Every person id of the stories, as a Schema (for story data decoded from JSON). */
export const PersonId = Schema.Literals(entries.map((e) => e.id)).annotate({
  identifier: "SeedPersonId",
  description: "The id of a person of the Lindung seed stories (pseudonymous: role and place, never a name)"
})

/** Every person of the stories, in the order above. */
export const all: ReadonlyArray<Actor.Actor> = entries.map((e) => e.actor)

const byId: ReadonlyMap<string, Actor.Actor> = new Map(entries.map((e) => [e.id, e.actor]))

/** The actor with this id. */
export const get = (id: Id): Actor.Actor => byId.get(id) as Actor.Actor

/** The actor with this id, if the stories know it (for ids read from JSON). */
export const find = (id: string): Actor.Actor | undefined => byId.get(id)

/** Every person of the stories as a membership of the person directory (all active). */
export const memberships: ReadonlyArray<Person.Person> = all.map((actor) =>
  Person.make({
    id: actor.id,
    agency: actor.agency,
    role: actor.role,
    ...(actor.position === undefined ? {} : { position: actor.position }),
    ...(actor.bidang === undefined ? {} : { bidang: actor.bidang })
  })
)

/** The directory of the stories: their agencies and people (what `lindung serve` uses in development). */
export const directory: Directory.Snapshot = Result.getOrThrow(Directory.make(Agencies.all, memberships))
