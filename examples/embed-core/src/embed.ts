/**
 * The core as plain functions, as an application that keeps its own records would call it: no Effect runtime, no
 * storage, no server. Everything here is a pure function of its arguments — the instant is an argument too — so the
 * same inputs always give the same lines.
 */
import { Actor, Agency, Basis, Case, CaseCommand, CaseDeadlines, Decider, Risk } from "@lindung/core"
import { DateTime, Result } from "effect"

/** The agency and the people of this application (in a real one: its own user directory). */
const padang = Agency.make({
  id: "dinsos-13.71",
  kind: "dinsos",
  name: "Dinas Sosial Kota Padang",
  region: "13.71",
  dinasType: "A"
})
const agencies = Agency.directory([padang])
const person = (id: string, role: Actor.Role, position?: Actor.Position) =>
  Actor.make({ id, role, agency: padang.id, region: "13.71", ...(position === undefined ? {} : { position }) })
const intake = person("petugas-penerima-1", "intake-officer")
const worker = person("sakti-peksos-1", "caseworker")
const kasi = person("kasi-rehsos-1", "supervisor", "kasi")

const at = (iso: string) => DateTime.makeUnsafe(iso)
const command = (json: Record<string, unknown>) => Result.getOrThrow(CaseCommand.decode(json))

/** One decision: the command, who, when; the new state, or the rejection as plain data. */
const step = (state: Case.State, actor: Actor.Actor, now: string, json: Record<string, unknown>) =>
  Decider.run(state, command(json), { now: at(now), actor, agencies })

/** The walkthrough: what a developer sees when calling the core from plain TypeScript. */
export const walkthrough = (): ReadonlyArray<string> => {
  const lines: Array<string> = []
  // 1. Risk of a report, before any case exists: a pure function of the concerns.
  const concerns = ["physical-or-psychological-violence", "out-of-school"] as const
  const risk = Risk.assess({ factors: [...concerns] })
  lines.push(`Risk of a report of ${concerns.join(" + ")}: ${risk.computed}`)

  // 2. The decider: a report registered; the state is folded from the events it returns.
  const registered = step(Case.initialState, intake, "2025-03-03T02:00:00Z", {
    _tag: "RegisterReport",
    caseId: "kasus-contoh-1",
    subject: "subjek-contoh-1",
    sex: "female",
    ageAtReport: 10,
    region: "13.71.01",
    owner: padang.id,
    source: "school",
    concerns: [...concerns]
  })
  if (Result.isFailure(registered)) throw new Error(registered.failure.message)
  let state = registered.success.state
  lines.push(
    `Registered: ${registered.success.events.map((e) => e.type).join(", ")}; stage ${state._tag === "Case" ? state.stage : "—"}`
  )

  // 3. A rejection is data: its rule, its legal or policy basis and a message. Nothing changes.
  const refused = step(state, worker, "2025-03-03T03:00:00Z", { _tag: "StartOutreach", caseId: "kasus-contoh-1" })
  if (Result.isSuccess(refused)) throw new Error("an unassigned caseworker started outreach")
  lines.push(`Refused: ${refused.failure.message}`)
  lines.push(`  rule ${refused.failure.rule}; basis: ${refused.failure.basis.map(Basis.format).join("; ")}`)

  // 4. The supervisor assigns the caseworker; now the outreach is accepted.
  for (const [actor, now, json] of [
    [kasi, "2025-03-03T03:30:00Z", { _tag: "AssignCaseworker", caseId: "kasus-contoh-1", caseworker: worker.id }],
    [worker, "2025-03-03T04:00:00Z", { _tag: "StartOutreach", caseId: "kasus-contoh-1" }]
  ] as const) {
    const next = step(state, actor, now, json)
    if (Result.isFailure(next)) throw new Error(next.failure.message)
    state = next.success.state
    lines.push(`${json._tag} by ${actor.id}: ${next.success.events.map((e) => e.type).join(", ")}`)
  }
  lines.push(`Stage now: ${state._tag === "Case" ? state.stage : "—"}, version ${state.version}`)

  // 5. Deadlines: what is due, and when, at an instant the application chooses.
  for (const item of CaseDeadlines.items(state, at("2025-03-05T00:00:00Z"))) {
    lines.push(
      `Due: ${item.kind} at ${DateTime.formatIso(item.dueAt)} (${item.level}${item.overdue ? ", overdue" : ""})`
    )
  }
  return lines
}
