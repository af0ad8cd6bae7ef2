/**
 * The decider's speed, side by side in one process (a benchmark, not a test): `npm run bench -w @lindung/core`, or
 * `node bench/decider.ts [--rounds=9] [--round-ms=250] [--warmup-ms=1500] [--cases=715] [--write] [--profile]`
 * (`--profile` runs Lindung alone, for `node --cpu-prof`).
 *
 * The mix: `--cases` case lifecycles, as a Dinas Sosial works them — report → assign → outreach → first contact →
 * assessment → plan (approved by the Kabid Rehsos for a sedang case, adopted at rendah) → intervention → a service →
 * termination requested and approved → a follow-up in aftercare → closure — interleaved case by case, with about
 * 16 % rejected commands: work by an unassigned caseworker (SOP-07), closure in the wrong stage (SOP-STAGE), and a
 * request approved by its own requester (SOP-03).
 *
 * Three implementations run the same commands, in alternating rounds:
 * - **Lindung**: `Decider.decide` and `Case.fold` of the events (the whole decision: access, the SOP, envelopes
 *   with rules and legal basis, deadlines);
 * - **XState**: an XState v5 machine of the same stages and transitions, whose guards check the same facts (actor
 *   allowed, caseworker assigned, assessment done, plan in force, approval pending, approver not the requester), its
 *   context updated per event, driven through XState's pure `transition()` (no actors);
 * - **floor**: a plain `switch` reducer of the same transitions without any check, keeping the stage and version only
 *   (the floor of issue 10's target);
 * - **floor with context**: the same reducer, also keeping the context the XState peer updates (caseworkers
 *   assigned, assessment done, plan and its requester, termination requester, services and follow-ups counted) as a
 *   new immutable record per command, as a hand-written reducer of these transitions would.
 *
 * Before timing, the bench checks that Lindung and XState accept and reject exactly the same commands (the peer is
 * faithful, or the run fails). Reported: commands/s of each (the median of the rounds), Lindung ÷ each, and
 * Lindung's time per accepted and per rejected command. `--write` rewrites the section of
 * docs/benchmarks.md between `<!-- bench:decider -->` markers.
 */
import { cpus } from "node:os"
import { performance } from "node:perf_hooks"
import { Actor, Agency, Case, CaseCommand, Decider } from "@lindung/core"
import { DateTime, Result, Schema } from "effect"
import { assign, initialTransition, setup, transition } from "xstate"
import { median, writeBlock } from "../../../scripts/bench-docs.ts"

const arg = (name: string, fallback: number): number => {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`))
  return found === undefined ? fallback : Number(found.slice(name.length + 3))
}
const ROUNDS = arg("rounds", 9)
/** How long each implementation runs before anything is timed (its code reaches V8's optimising tier). */
const WARMUP_MS = arg("warmup-ms", 1500)
/** How long each round of each implementation lasts (whole passes over the mix; the garbage collector's pauses fall inside). */
const ROUND_MS = arg("round-ms", 250)
const CASES = arg("cases", 715)
const WRITE = process.argv.includes("--write")

// ---------------------------------------------------------------------------------------------------------------
// The agency, its people, the mix

const owner = "dinsos-13.71"
const agencies = Agency.directory([
  Agency.make({ id: owner, kind: "dinsos", name: "Dinas Sosial Kota Padang", region: "13.71", dinasType: "A" })
])
const person = (id: string, role: Actor.Role, position?: Actor.Position) =>
  Actor.make({ id, role, agency: owner, region: "13.71", ...(position === undefined ? {} : { position }) })
const intake = person("intake-padang", "intake-officer")
const worker = person("sakti-peksos-1", "caseworker")
const kasi = person("kasi-padang", "supervisor", "kasi")
const kabid = person("kabid-rehsos-padang", "supervisor", "kabid-rehsos")

interface Step {
  readonly caseId: string
  readonly actor: Actor.Actor
  readonly command: CaseCommand.Command
  /** Whether the SOP refuses it (the mix says; both peers must agree). */
  readonly rejected: boolean
}

const decode = Schema.decodeUnknownSync(CaseCommand.Command)

/** One case's steps: its lifecycle, with its rejected commands in between. */
const lifecycle = (index: number): ReadonlyArray<Step> => {
  const caseId = `case-${String(index).padStart(5, "0")}`
  const sedang = index % 3 === 0
  const step = (actor: Actor.Actor, tag: string, fields: Record<string, unknown> = {}, rejected = false): Step => ({
    caseId,
    actor,
    command: decode({ _tag: tag, caseId, ...fields }),
    rejected
  })
  const plan = {
    id: "plan-1",
    firstReviewOn: "2025-04-01",
    items: [{ component: "family-support", goal: "Parenting support", responsible: owner, setting: "family-based" }]
  }
  return [
    step(intake, "RegisterReport", {
      subject: `subject-${index}`,
      sex: index % 2 === 0 ? "female" : "male",
      ageAtReport: 6 + (index % 10),
      region: "13.71.01",
      owner,
      source: "school",
      concerns: ["out-of-school"]
    }),
    step(worker, "StartOutreach", {}, true), // not assigned yet (SOP-07)
    step(kasi, "AssignCaseworker", { caseworker: worker.id }),
    step(worker, "StartOutreach"),
    step(worker, "RecordFirstContact"),
    step(worker, "RecordAssessment", {
      classification: { ampk: [], ppks: [2], cluster: "children", allegedPerpetrators: [] },
      factors: sedang ? ["physical-or-psychological-violence"] : ["out-of-school"]
    }),
    step(worker, "CompleteAssessment"),
    step(worker, "ProposePlan", { approval: "approve-plan", plan }),
    ...(sedang
      ? [step(kabid, "DecideApproval", { approval: "approve-plan", decision: "approved", reason: "Plan is sound" })]
      : []),
    step(worker, "CloseCase", { reason: "Too early" }, true), // wrong stage (SOP-STAGE)
    step(worker, "StartIntervention"),
    step(worker, "RecordService", { component: "family-support", provider: owner, deliveredOn: "2025-03-03" }),
    step(worker, "RequestTermination", { reason: "goals-met", note: "Goals met", approval: "approve-termination" }),
    ...(index % 2 === 0
      ? [
          // The requester approving its own request (SOP-03; a caseworker is no approver either).
          step(
            worker,
            "DecideApproval",
            { approval: "approve-termination", decision: "approved", reason: "Mine" },
            true
          )
        ]
      : []),
    step(kabid, "DecideApproval", { approval: "approve-termination", decision: "approved", reason: "Goals met" }),
    step(worker, "RecordFollowUp", { visitedOn: "2025-03-03", outcome: "stable" }),
    step(worker, "CloseCase", { reason: "Stable after aftercare" })
  ]
}

/** Every case's steps, interleaved: the first step of every case, then the second, … (like real traffic). */
const mix = (cases: number): ReadonlyArray<Step> => {
  const all = Array.from({ length: cases }, (_, i) => lifecycle(i))
  const longest = Math.max(...all.map((steps) => steps.length))
  const out: Array<Step> = []
  for (let i = 0; i < longest; i++) for (const steps of all) if (steps[i] !== undefined) out.push(steps[i] as Step)
  return out
}

const now = DateTime.makeUnsafe("2025-03-03T08:00:00Z")

// ---------------------------------------------------------------------------------------------------------------
// Lindung

const lindung = (steps: ReadonlyArray<Step>, flags?: Array<boolean>) => {
  const states = new Map<string, Case.State>()
  for (const { caseId, actor, command } of steps) {
    const state = states.get(caseId) ?? Case.initialState
    const decided = Decider.decide(state, command, { now, actor, agencies })
    if (Result.isSuccess(decided)) states.set(caseId, Case.fold(decided.success, state))
    flags?.push(Result.isSuccess(decided))
  }
}

/** The same run, timing every command (a separate pass: the timer's own cost stays out of the commands/s). */
const lindungSplit = (steps: ReadonlyArray<Step>) => {
  const states = new Map<string, Case.State>()
  let accepted = 0
  let acceptedMs = 0
  let rejectedMs = 0
  for (const { caseId, actor, command } of steps) {
    const state = states.get(caseId) ?? Case.initialState
    const started = performance.now()
    const decided = Decider.decide(state, command, { now, actor, agencies })
    if (Result.isSuccess(decided)) {
      states.set(caseId, Case.fold(decided.success, state))
      acceptedMs += performance.now() - started
      accepted++
    } else rejectedMs += performance.now() - started
  }
  return { accepted, acceptedMs, rejectedMs }
}

// ---------------------------------------------------------------------------------------------------------------
// XState: the same stages, transitions and guards

interface Context {
  readonly assigned: ReadonlyArray<string>
  readonly services: number
  readonly followUps: number
  readonly assessed: boolean
  readonly sedang: boolean
  readonly plan?: { readonly requester: string; readonly inForce: boolean }
  readonly termination?: { readonly requester: string }
}

type Event = { readonly type: CaseCommand.Type; readonly actor: Actor.Actor; readonly command: CaseCommand.Command }

const leads: ReadonlyArray<Actor.Role> = ["supervisor", "head-of-dinas"]
const approvers: ReadonlyArray<Actor.Position | undefined> = ["kabid-rehsos", "kadis"]

const machine = setup({
  types: { context: {} as Context, events: {} as Event },
  guards: {
    mayAssign: ({ event }) => event.actor.agency === owner && leads.includes(event.actor.role),
    mayWork: ({ context, event }) =>
      event.actor.agency === owner &&
      (leads.includes(event.actor.role) ||
        (event.actor.role === "caseworker" && context.assigned.includes(event.actor.id))),
    assessmentDone: ({ context, event }) =>
      context.assessed &&
      event.actor.agency === owner &&
      (leads.includes(event.actor.role) || context.assigned.includes(event.actor.id)),
    planInForce: ({ context, event }) =>
      context.plan?.inForce === true && (leads.includes(event.actor.role) || context.assigned.includes(event.actor.id)),
    approvesPlan: ({ context, event }) =>
      context.plan !== undefined &&
      !context.plan.inForce &&
      approvers.includes(event.actor.position) &&
      event.actor.id !== context.plan.requester,
    approvesTermination: ({ context, event }) =>
      context.termination !== undefined &&
      approvers.includes(event.actor.position) &&
      event.actor.id !== context.termination.requester
  }
}).createMachine({
  id: "case",
  initial: "empty",
  context: { assigned: [], services: 0, followUps: 0, assessed: false, sedang: false },
  states: {
    empty: {
      on: { RegisterReport: { target: "reported", guard: ({ event }) => event.actor.agency === owner } }
    },
    reported: {
      on: {
        AssignCaseworker: {
          guard: "mayAssign",
          actions: assign({
            assigned: ({ context, event }) =>
              event.command._tag === "AssignCaseworker"
                ? [...context.assigned, event.command.caseworker]
                : context.assigned
          })
        },
        StartOutreach: { target: "outreach", guard: "mayWork" }
      }
    },
    outreach: { on: { RecordFirstContact: { target: "assessment", guard: "mayWork" } } },
    assessment: {
      on: {
        RecordAssessment: {
          guard: "mayWork",
          actions: assign({
            assessed: () => true,
            sedang: ({ event }) =>
              event.command._tag === "RecordAssessment" &&
              event.command.factors.includes("physical-or-psychological-violence")
          })
        },
        CompleteAssessment: { target: "planning", guard: "assessmentDone" }
      }
    },
    planning: {
      on: {
        ProposePlan: {
          guard: "mayWork",
          actions: assign({ plan: ({ context, event }) => ({ requester: event.actor.id, inForce: !context.sedang }) })
        },
        DecideApproval: {
          guard: "approvesPlan",
          actions: assign({ plan: ({ context }) => ({ requester: context.plan?.requester ?? "", inForce: true }) })
        },
        StartIntervention: { target: "intervention", guard: "planInForce" }
      }
    },
    intervention: {
      on: {
        RecordService: { guard: "mayWork", actions: assign({ services: ({ context }) => context.services + 1 }) },
        RequestTermination: {
          guard: "mayWork",
          actions: assign({ termination: ({ event }) => ({ requester: event.actor.id }) })
        },
        DecideApproval: { target: "aftercare", guard: "approvesTermination" }
      }
    },
    aftercare: {
      on: {
        RecordFollowUp: { guard: "mayWork", actions: assign({ followUps: ({ context }) => context.followUps + 1 }) },
        CloseCase: { target: "closed", guard: "mayWork" }
      }
    },
    closed: { type: "final" }
  }
})

type Snapshot = ReturnType<typeof initialTransition<typeof machine>>[0]

const xstate = (steps: ReadonlyArray<Step>, flags?: Array<boolean>) => {
  const snapshots = new Map<string, Snapshot>()
  const [initial] = initialTransition(machine)
  let accepted = 0
  for (const { caseId, actor, command } of steps) {
    const snapshot = snapshots.get(caseId) ?? initial
    const [next] = transition(machine, snapshot, { type: command._tag, actor, command })
    // An event no enabled transition takes leaves the snapshot as it was: that is a rejection.
    if (next !== snapshot) {
      snapshots.set(caseId, next)
      accepted++
    }
    flags?.push(next !== snapshot)
  }
  return { accepted }
}

// ---------------------------------------------------------------------------------------------------------------
// The floor: the same transitions, no checks

interface Floor {
  readonly stage: string
  readonly version: number
}

const floor = (steps: ReadonlyArray<Step>) => {
  const states = new Map<string, Floor>()
  for (const { caseId, command } of steps) {
    const state = states.get(caseId) ?? { stage: "empty", version: 0 }
    let stage = state.stage
    switch (command._tag) {
      case "RegisterReport":
        stage = "reported"
        break
      case "StartOutreach":
        stage = "outreach"
        break
      case "RecordFirstContact":
        stage = "assessment"
        break
      case "CompleteAssessment":
        stage = "planning"
        break
      case "StartIntervention":
        stage = "intervention"
        break
      case "DecideApproval":
        if (stage === "intervention") stage = "aftercare"
        break
      case "CloseCase":
        stage = "closed"
        break
    }
    states.set(caseId, { stage, version: state.version + 1 })
  }
  return { accepted: steps.length }
}

/** The floor's record, with the context the XState peer keeps. */
interface FloorWithContext extends Context {
  readonly stage: string
  readonly version: number
}

const emptyWithContext: FloorWithContext = {
  stage: "empty",
  version: 0,
  assigned: [],
  services: 0,
  followUps: 0,
  assessed: false,
  sedang: false
}

const floorWithContext = (steps: ReadonlyArray<Step>) => {
  const states = new Map<string, FloorWithContext>()
  for (const { caseId, actor, command } of steps) {
    const s = states.get(caseId) ?? emptyWithContext
    const version = s.version + 1
    let next: FloorWithContext
    switch (command._tag) {
      case "RegisterReport":
        next = { ...s, version, stage: "reported" }
        break
      case "AssignCaseworker":
        next = { ...s, version, assigned: [...s.assigned, command.caseworker] }
        break
      case "StartOutreach":
        next = { ...s, version, stage: "outreach" }
        break
      case "RecordFirstContact":
        next = { ...s, version, stage: "assessment" }
        break
      case "RecordAssessment":
        next = {
          ...s,
          version,
          assessed: true,
          sedang: command.factors.includes("physical-or-psychological-violence")
        }
        break
      case "CompleteAssessment":
        next = { ...s, version, stage: "planning" }
        break
      case "ProposePlan":
        next = { ...s, version, plan: { requester: actor.id, inForce: !s.sedang } }
        break
      case "DecideApproval":
        next =
          s.stage === "intervention"
            ? { ...s, version, stage: "aftercare" }
            : { ...s, version, plan: { requester: s.plan?.requester ?? "", inForce: true } }
        break
      case "StartIntervention":
        next = { ...s, version, stage: "intervention" }
        break
      case "RecordService":
        next = { ...s, version, services: s.services + 1 }
        break
      case "RequestTermination":
        next = { ...s, version, termination: { requester: actor.id } }
        break
      case "RecordFollowUp":
        next = { ...s, version, followUps: s.followUps + 1 }
        break
      case "CloseCase":
        next = { ...s, version, stage: "closed" }
        break
      default:
        next = { ...s, version }
    }
    states.set(caseId, next)
  }
  return { accepted: steps.length }
}

// ---------------------------------------------------------------------------------------------------------------
// Rounds

const steps = mix(CASES)
const expectedAccepted = steps.filter((s) => !s.rejected).length
const rejectedShare = (steps.length - expectedAccepted) / steps.length

// The peers must agree with each other and with the mix, command by command, before anything is timed.
const lindungFlags: Array<boolean> = []
const xstateFlags: Array<boolean> = []
lindung(steps, lindungFlags)
xstate(steps, xstateFlags)
const disagreement = steps.findIndex(
  (step, i) => lindungFlags[i] !== !step.rejected || xstateFlags[i] !== !step.rejected
)
if (disagreement !== -1) {
  const step = steps[disagreement] as Step
  console.error(
    `the peers disagree on command ${disagreement} (${step.command._tag} of ${step.caseId} by ${step.actor.id}): the mix expects it ${step.rejected ? "rejected" : "accepted"}, Lindung ${lindungFlags[disagreement] ? "accepted" : "rejected"} it, XState ${xstateFlags[disagreement] ? "accepted" : "rejected"} it`
  )
  process.exit(1)
}

/** Runs whole passes of the mix for at least `ms` and answers commands per second. */
const timed = (run: () => unknown, ms: number = ROUND_MS): number => {
  const started = performance.now()
  let passes = 0
  let elapsed = 0
  do {
    run()
    passes++
    elapsed = performance.now() - started
  } while (elapsed < ms)
  return (passes * steps.length) / (elapsed / 1000)
}

// `--profile`: only Lindung, many rounds, nothing printed but the time (for `node --cpu-prof`).
if (process.argv.includes("--profile")) {
  const started = performance.now()
  for (let round = 0; round < ROUNDS * 4; round++) lindung(steps)
  console.log(`profiled ${ROUNDS * 4} rounds of Lindung in ${Math.round(performance.now() - started)} ms`)
  process.exit(0)
}

const results = {
  lindung: [] as Array<number>,
  xstate: [] as Array<number>,
  floor: [] as Array<number>,
  withContext: [] as Array<number>
}
const perCommand = { accepted: [] as Array<number>, rejected: [] as Array<number> }
// Each warmed up for the same time, then alternating measured rounds.
timed(() => lindung(steps), WARMUP_MS)
timed(() => xstate(steps), WARMUP_MS)
timed(() => floor(steps), WARMUP_MS)
timed(() => floorWithContext(steps), WARMUP_MS)
for (let round = 0; round < ROUNDS; round++) {
  results.lindung.push(timed(() => lindung(steps)))
  const split = lindungSplit(steps)
  perCommand.accepted.push((split.acceptedMs * 1000) / split.accepted)
  perCommand.rejected.push((split.rejectedMs * 1000) / (steps.length - split.accepted))
  results.xstate.push(timed(() => xstate(steps)))
  results.floor.push(timed(() => floor(steps)))
  results.withContext.push(timed(() => floorWithContext(steps)))
}

const l = median(results.lindung)
const x = median(results.xstate)
const f = median(results.floor)
const c = median(results.withContext)
const accUs = median(perCommand.accepted)
const rejUs = median(perCommand.rejected)
const fmt = (n: number) => Math.round(n).toLocaleString("en-US")

const table = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} vCPU (${cpus()[0]?.model.trim() ?? "unknown"}), Node ${process.version}: ${fmt(steps.length)} commands (${fmt(expectedAccepted)} accepted, ${(rejectedShare * 100).toFixed(1)} % rejected) of ${fmt(CASES)} cases, the median of ${ROUNDS} alternating rounds of at least ${ROUND_MS} ms each (whole passes over the mix), after ${WARMUP_MS} ms of warm-up each. The machine is shared: compare the ratios.`,
  "",
  "| implementation | commands/s | Lindung ÷ this |",
  "| --- | ---: | ---: |",
  `| Lindung (\`Decider.decide\` + \`Case.fold\`) | ${fmt(l)} | 1.00 |`,
  `| XState v5 machine, same guards (\`transition()\`) | ${fmt(x)} | ${(l / x).toFixed(2)} |`,
  `| floor: \`switch\` reducer, no checks, stage only | ${fmt(f)} | ${(l / f).toFixed(3)} |`,
  `| floor with context: the same, keeping XState's context | ${fmt(c)} | ${(l / c).toFixed(3)} |`,
  "",
  `Lindung per command, timed one by one in a separate pass: accepted ${accUs.toFixed(1)} µs (decide and fold), rejected ${rejUs.toFixed(1)} µs (rejected ÷ accepted ${(rejUs / accUs).toFixed(2)}).`,
  "",
  `Rounds (commands/s) — Lindung: ${results.lindung.map(fmt).join(", ")}; XState: ${results.xstate.map(fmt).join(", ")}; floor: ${results.floor.map(fmt).join(", ")}; floor with context: ${results.withContext.map(fmt).join(", ")}.`
].join("\n")

console.log(table)

if (WRITE) writeBlock("decider", [table])
