/**
 * A generator of realistic Lindung cases across the 38 provinces, for benchmarks: deterministic (seeded), weighted
 * by province population (BPS 2023, rounded, millions), with kabupaten and kota numbered the Kemendagri way
 * (01… for kabupaten, 71… for kota; 514 kabupaten/kota of which 98 kota, as in the current Kemendagri list — the
 * split per province is approximate, not checked line by line), and plausible stage, risk, category, caseworker and
 * deadline mixes. It makes three things:
 *
 * - index entries with a registration event each (`caseEntry`), for the query benchmark's data set;
 * - command sequences through the SOP (`commandsFor`), for the append benchmark through the case repository;
 * - reports of one kabupaten/kota (`importFor`), for the bulk import benchmark.
 *
 * No identity is generated: subjects are pseudonymous ids.
 */
import {
  Actor,
  Agency,
  Case,
  CaseCommand,
  type CaseEvent,
  CaseIndex,
  DateTime,
  Decider,
  Effect,
  EventStore,
  Region,
  Result,
  Schema
} from "./deps.ts"

/** [code, population in millions, kabupaten, kota]. */
export const provinces: ReadonlyArray<readonly [string, number, number, number]> = [
  ["11", 5.5, 18, 5],
  ["12", 15.4, 25, 8],
  ["13", 5.8, 12, 7],
  ["14", 6.8, 10, 2],
  ["15", 3.7, 9, 2],
  ["16", 8.7, 13, 4],
  ["17", 2.1, 9, 1],
  ["18", 9.3, 13, 2],
  ["19", 1.5, 6, 1],
  ["21", 2.2, 5, 2],
  ["31", 10.7, 1, 5],
  ["32", 49.9, 18, 9],
  ["33", 37.5, 29, 6],
  ["34", 3.7, 4, 1],
  ["35", 41.5, 29, 9],
  ["36", 12.4, 4, 4],
  ["51", 4.4, 8, 1],
  ["52", 5.6, 8, 2],
  ["53", 5.5, 21, 1],
  ["61", 5.6, 12, 2],
  ["62", 2.7, 13, 1],
  ["63", 4.2, 11, 2],
  ["64", 4.0, 7, 3],
  ["65", 0.7, 4, 1],
  ["71", 2.7, 11, 4],
  ["72", 3.1, 12, 1],
  ["73", 9.4, 21, 3],
  ["74", 2.8, 15, 2],
  ["75", 1.2, 5, 1],
  ["76", 1.5, 6, 0],
  ["81", 1.9, 9, 2],
  ["82", 1.3, 8, 2],
  ["91", 1.1, 8, 1],
  ["92", 0.6, 7, 0],
  ["93", 0.5, 4, 0],
  ["94", 1.4, 8, 0],
  ["95", 1.4, 8, 0],
  ["96", 0.6, 5, 1]
]

/** A small, fast, seeded PRNG (mulberry32). */
export const random = (seed: number) => {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1))
  const pick = <A>(items: ReadonlyArray<A>): A => items[Math.floor(next() * items.length)] as A
  const weighted = <A>(items: ReadonlyArray<readonly [A, number]>): A => {
    const total = items.reduce((sum, [, weight]) => sum + weight, 0)
    let roll = next() * total
    for (const [item, weight] of items) {
      roll -= weight
      if (roll < 0) return item
    }
    return (items.at(-1) as readonly [A, number])[0]
  }
  const subset = <A>(items: ReadonlyArray<readonly [A, number]>, max: number): Array<A> => {
    const out = new Set<A>()
    const n = int(1, max)
    for (let i = 0; i < n; i++) out.add(weighted(items))
    return [...out]
  }
  return { next, int, pick, weighted, subset }
}

/** Every kabupaten/kota code (PP.KK) with its province's weight share. */
export const regencies: ReadonlyArray<readonly [string, number]> = provinces.flatMap(
  ([code, population, kab, kota]) => {
    const codes = [
      ...Array.from({ length: kab }, (_, i) => `${code}.${String(i + 1).padStart(2, "0")}`),
      ...Array.from({ length: kota }, (_, i) => `${code}.${String(71 + i)}`)
    ]
    return codes.map((regency) => [regency, population / codes.length] as const)
  }
)

/** The kota codes (PP.7x). */
export const kotas: ReadonlyArray<string> = regencies
  .map(([code]) => code)
  .filter((code) => Number(code.slice(3)) >= 71)

const pad = (n: number, width: number) => String(n).padStart(width, "0")

/** A region code at kabupaten/kota, kecamatan or desa depth, weighted by population. */
export const regionOf = (rng: ReturnType<typeof random>): { readonly regency: string; readonly region: string } => {
  const regency = rng.weighted(regencies)
  const depth = rng.weighted([
    [2, 10],
    [3, 70],
    [4, 20]
  ] as const)
  const district = `${regency}.${pad(rng.int(1, 20), 2)}`
  const region = depth === 2 ? regency : depth === 3 ? district : `${district}.${pad(2000 + rng.int(1, 20), 4)}`
  return { regency, region }
}

const stages = [
  ["reported", 8],
  ["outreach", 7],
  ["assessment", 15],
  ["planning", 10],
  ["intervention", 30],
  ["reintegration", 8],
  ["aftercare", 7],
  ["closed", 15]
] as const

const ampk = [
  ["a", 2],
  ["b", 4],
  ["c", 2],
  ["d", 3],
  ["e", 2],
  ["f", 3],
  ["g", 2],
  ["h", 3],
  ["i", 2],
  ["j", 25],
  ["k", 10],
  ["l", 5],
  ["m", 3],
  ["n", 8],
  ["o", 6]
] as const

const ppks = [
  [1, 3],
  [2, 8],
  [3, 10],
  [4, 10],
  [5, 6],
  [6, 20],
  [7, 8],
  [9, 2],
  [11, 2],
  [13, 4],
  [18, 3],
  [23, 3]
] as const

const DAY = 86_400_000

/** The dinas of a kabupaten/kota and its staff. */
export const dinasOf = (regency: string) => {
  const agency = Agency.make({
    id: `dinsos-${regency}`,
    kind: "dinsos",
    name: `Dinas Sosial ${regency}`,
    region: regency,
    dinasType: "B"
  })
  const actor = (id: string, role: "intake-officer" | "caseworker" | "supervisor", position?: "kasi") =>
    Actor.make({
      id: `${id}-${regency}`,
      role,
      agency: agency.id,
      region: regency,
      ...(position === undefined ? {} : { position })
    })
  return {
    agency,
    intake: actor("intake", "intake-officer"),
    workers: Array.from({ length: 6 }, (_, i) => actor(`peksos-${i + 1}`, "caseworker")),
    supervisor: actor("kasi", "supervisor", "kasi")
  }
}

/** The directory of every dinas of the generator (one per kabupaten/kota). */
export const directory = () => Agency.directory(regencies.map(([regency]) => dinasOf(regency).agency))

/** One generated case for the query data set: its index entry and the registration event it is appended with. */
export const caseEntry = (
  rng: ReturnType<typeof random>,
  index: number,
  nowMs: number,
  template: CaseEvent.Envelope
): { readonly entry: CaseIndex.Entry; readonly event: CaseEvent.Envelope } => {
  const caseId = `case-${pad(index, 8)}`
  const { regency, region } = regionOf(rng)
  const stage = rng.weighted(stages)
  const early = stage === "reported" || stage === "outreach"
  const child = rng.next() < 0.85
  const assessed = !early
  const workers = dinasOf(regency).workers.map((w) => w.id)
  const entry = Schema.decodeUnknownSync(CaseIndex.Entry)({
    caseId,
    version: 1,
    region,
    owner: `dinsos-${regency}`,
    stage,
    ...(assessed
      ? {
          risk: rng.weighted([
            ["rendah", 45],
            ["sedang", 35],
            ["tinggi", 20]
          ] as const)
        }
      : {}),
    subject: `subject-${pad(index, 8)}`,
    subjectKind: child ? "child" : "adult",
    ageBand: child
      ? rng.weighted([
          ["0-4", 10],
          ["5-11", 35],
          ["12-13", 20],
          ["14-17", 35]
        ] as const)
      : rng.weighted([
          ["18-59", 80],
          ["60+", 20]
        ] as const),
    assigned:
      stage === "reported"
        ? []
        : rng.subset(
            workers.map((w) => [w, 1] as const),
            2
          ),
    ampk: assessed && child ? rng.subset(ampk, 2) : [],
    ppks: assessed ? rng.subset(ppks, 2) : [],
    ...(assessed && child && rng.next() < 0.1
      ? {
          sppaRole: rng.weighted([
            ["anak-berkonflik-dengan-hukum", 40],
            ["anak-korban", 45],
            ["anak-saksi", 15]
          ] as const)
        }
      : {}),
    concerns: rng.next() < 0.03 ? [rng.pick(["adoption", "child-marriage"] as const)] : [],
    // Random due instants (not what the policy gives this one-registration history; `loadCases` with `dating` writes
    // those), woken at the deadline.
    ...(stage === "closed"
      ? {}
      : (() => {
          const due = new Date(nowMs + rng.int(-30, 60) * DAY).toISOString()
          return { nextDueAt: due, wakeAt: due }
        })()),
    reportedAt: new Date(nowMs - rng.int(30, 720) * DAY).toISOString(),
    updatedAt: new Date(nowMs - rng.int(0, 29) * DAY).toISOString()
  })
  const payload = template.payload as Extract<CaseEvent.Payload, { _tag: "ReportRegistered" }>
  const event: CaseEvent.Envelope = {
    ...template,
    eventId: `${caseId}-1`,
    caseId: entry.caseId,
    payload: {
      ...payload,
      subject: `subject-${pad(index, 8)}` as typeof payload.subject,
      region: entry.region,
      owner: entry.owner
    }
  }
  return { entry, event }
}

/**
 * Reports of one kabupaten/kota's earlier system, for the bulk import benchmark (`CaseService.importReports`): new
 * subjects, each with its own case id, subject id and idempotency key, in the kabupaten/kota or one of its
 * kecamatan; the importer is the dinas's intake officer.
 */
export const importFor = (rng: ReturnType<typeof random>, count: number, regency = "32.04") => {
  const dinas = dinasOf(regency)
  const items = Array.from({ length: count }, (_, i) => {
    const { _tag, ...report } = Schema.decodeUnknownSync(CaseCommand.RegisterReport)({
      _tag: "RegisterReport",
      caseId: `import-${pad(i, 8)}`,
      subject: `subject-import-${pad(i, 8)}`,
      sex: rng.pick(["female", "male"]),
      birthDate: `${rng.int(2008, 2022)}-0${rng.int(1, 9)}-1${rng.int(0, 9)}`,
      region: rng.next() < 0.3 ? regency : `${regency}.${pad(rng.int(1, 30), 2)}`,
      owner: dinas.agency.id,
      source: rng.pick(["agency", "community", "school", "hotline"]),
      concerns: rng.next() < 0.4 ? ["sexual-violence"] : ["repeated-neglect"]
    })
    return { report, idempotencyKey: `line-${i}` }
  })
  return { dinas, items }
}

/** The commands that take one case from its report through assessment, with the actor of each. */
export const commandsFor = (
  rng: ReturnType<typeof random>,
  caseId: string
): ReadonlyArray<readonly [CaseCommand.Command, Actor.Actor]> => {
  const { regency, region } = regionOf(rng)
  const dinas = dinasOf(regency)
  const worker = rng.pick(dinas.workers)
  const command = (json: Record<string, unknown>) => Schema.decodeUnknownSync(CaseCommand.Command)({ caseId, ...json })
  const sexualViolence = rng.next() < 0.4
  return [
    [
      command({
        _tag: "RegisterReport",
        subject: `subject-${caseId}`,
        sex: rng.pick(["female", "male"]),
        birthDate: `${rng.int(2010, 2022)}-0${rng.int(1, 9)}-1${rng.int(0, 9)}`,
        region,
        owner: dinas.agency.id,
        source: rng.pick(["agency", "community", "school", "hotline"]),
        concerns: sexualViolence ? ["sexual-violence"] : ["repeated-neglect"]
      }),
      dinas.intake
    ],
    [command({ _tag: "AssignCaseworker", caseworker: worker.id }), dinas.supervisor],
    [command({ _tag: "StartOutreach" }), worker],
    [command({ _tag: "RecordFirstContact" }), worker],
    [
      command({
        _tag: "RecordAssessment",
        classification: {
          ampk: sexualViolence ? ["j"] : ["n"],
          ppks: [rng.pick([3, 4, 6])],
          cluster: "children",
          allegedPerpetrators: sexualViolence ? ["other-relative"] : []
        },
        factors: sexualViolence ? ["sexual-violence"] : ["repeated-neglect"]
      }),
      worker
    ]
  ]
}

/** Every province code, to choose from in queries. */
export const provinceCodes: ReadonlyArray<string> = provinces.map(([code]) => code)

/** Checks that the generator's codes are real region codes of the 38 provinces. */
export const checkCodes = (): void => {
  for (const [regency] of regencies) Region.decodeSync(regency)
  if (provinces.length !== 38) throw new Error(`expected 38 provinces, have ${provinces.length}`)
}

/** A command of the benchmark, decided: what it was and the append request it makes. */
export interface Decided {
  readonly command: ReturnType<typeof commandsFor>[number]
  readonly request: EventStore.AppendRequest
}

/** Decides every command up front (pure), so the store benchmarks measure the store alone. */
export const decideAll = (caseCount: number, seed: number): ReadonlyArray<ReadonlyArray<Decided>> => {
  const rng = random(seed)
  const agencies = directory()
  const now = DateTime.makeUnsafe("2026-06-01T02:00:00Z")
  return Array.from({ length: caseCount }, (_, i) => {
    const caseId = `bench-${String(i).padStart(7, "0")}`
    let state: Case.State = Case.initialState
    return commandsFor(rng, caseId).map((command) => {
      const [cmd, actor] = command
      const decided = Decider.decide(state, cmd, { now, actor, agencies })
      if (Result.isFailure(decided)) throw new Error(`${cmd._tag} rejected: ${decided.failure.message}`)
      const next = Case.fold(decided.success, state)
      if (next._tag !== "Case") throw new Error("empty case")
      const request: EventStore.AppendRequest = {
        caseId: next.id,
        expectedVersion: state.version,
        events: decided.success,
        index: CaseIndex.project(next)
      }
      state = next
      return { command, request }
    })
  })
}

/** How `loadCases` dates its registrations. */
export interface Dating {
  /**
   * The share of cases registered 30 to 720 days before "now", and so overdue by the deadline policy (never assigned,
   * never contacted); the others are registered in the 3 hours before "now", and some of their first deadlines pass
   * during the benchmark.
   */
  readonly overdueShare: number
}

/**
 * Writes `cases` generated cases (one registration each, with their index entries) into the event store in context,
 * through the bulk path: the data set of the scheduler and backup benchmarks. Without `dating`, every registration
 * carries the template's instants and the entries the generator's random mix (stages, risks, due instants) — a store
 * whose contents matter, not its dates. With `dating`, each registration is dated (see {@link Dating}) and its entry
 * is what the case service would have written for it (`CaseIndex.project` of its state, with the default policy's due
 * instants): a store whose deadlines are true.
 */
export const loadCases = (cases: number, seed: number, nowMs: number, dating?: Dating) =>
  Effect.gen(function* () {
    const template = decideAll(1, seed)[0]?.[0]?.request.events[0]
    if (template === undefined) return yield* Effect.die(new Error("no template event"))
    const rng = random(seed + 7)
    const store = yield* EventStore.EventStore
    const dated = (event: CaseEvent.Envelope): { entry: CaseIndex.Entry; event: CaseEvent.Envelope } => {
      const ago = rng.next() < (dating?.overdueShare ?? 0) ? rng.int(30, 720) * DAY : rng.int(0, 180) * 60_000
      const at = DateTime.makeUnsafe(nowMs - ago)
      const payload = event.payload as Extract<CaseEvent.Payload, { _tag: "ReportRegistered" }>
      const registered = { ...event, region: payload.region, occurredAt: at, recordedAt: at }
      const state = Case.fold([registered])
      if (state._tag !== "Case") throw new Error("empty case")
      return { entry: CaseIndex.project(state), event: registered }
    }
    for (let from = 0; from < cases; from += EventStore.MAX_APPEND_ALL) {
      const requests = Array.from({ length: Math.min(EventStore.MAX_APPEND_ALL, cases - from) }, (_, i) => {
        const generated = caseEntry(rng, from + i, nowMs, template)
        const { entry, event } = dating === undefined ? generated : dated(generated.event)
        return { caseId: entry.caseId, expectedVersion: 0, events: [event], index: entry }
      })
      yield* store.appendAll(requests)
    }
  })
