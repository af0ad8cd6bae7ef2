/**
 * The people of the Padang Dinas that the scheduler and telemetry tests act as: an intake officer, the directory's
 * system person (the deadline scheduler) and a supervisor (Kasi), with the directory they form.
 */
import { type Actor, type Agency, Directory, Person } from "@lindung/core"
import { Result } from "effect"
import { agencies } from "./service.js"

const people = [
  Person.make({ id: "intake-padang", agency: "dinsos-13.71", role: "intake-officer" }),
  Person.make({ id: "lindung-scheduler", agency: "dinsos-13.71", role: "system" }),
  Person.make({ id: "kasi-padang", agency: "dinsos-13.71", role: "supervisor", position: "kasi" })
]
export const snapshot = Result.getOrThrow(Directory.make(agencies, people))
const padang = agencies[0] as Agency.Agency
export const intake = Person.actorOf(people[0] as Person.Person, padang)
export const system: Actor.Actor = Person.actorOf(people[1] as Person.Person, padang)
export const kasi = Person.actorOf(people[2] as Person.Person, padang)
