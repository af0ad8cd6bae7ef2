/**
 * Realistic data for the conformance suite: agencies and staff in six provinces, and twelve seed-like cases built
 * with the core decider (`Decider.decide`, `Case.fold`) and projected with `CaseIndex.project`, exactly as the case
 * repository would store them. Every case is a list of batches — the events of one command and the case's index
 * entry after it — ready to be appended in order.
 *
 * The cases mirror the seed stories: a slice of the NTB caseload of seed 003 (anak korban, anak berkonflik dengan
 * hukum, anak saksi, adoption, child marriage, an adult PPKS migrant worker), tinggi-risk sexual-violence cases in
 * Kota Padang and Surabaya, and cases in Balikpapan and Jakarta at early stages. Some are overdue at
 * {@link instants.mid}. Case ids mix upper and lower case, `-` and `_`, so that a store ordering ids by anything but
 * UTF-16 code units shows it. No identity appears in any event or entry: identities are separate
 * ({@link identities}) and made up.
 */
import {
  Actor,
  Agency,
  Case,
  CaseCommand,
  type CaseEvent,
  CaseIndex,
  CaseModel,
  Decider,
  type EventStore,
  IdentityVault,
  Integrity,
  Subject
} from "@lindung/core"
import { DateTime, Result, Schema } from "effect"

/** The agencies of the fixtures. */
export const agencies = {
  ntb: Agency.make({
    id: "dinsos-52",
    kind: "dinsos",
    name: "Dinas Sosial Provinsi NTB",
    region: "52",
    dinasType: "A"
  }),
  mataram: Agency.make({
    id: "dinsos-52.71",
    kind: "dinsos",
    name: "Dinas Sosial Kota Mataram",
    region: "52.71",
    dinasType: "B"
  }),
  padang: Agency.make({
    id: "dinsos-13.71",
    kind: "dinsos",
    name: "Dinas Sosial Kota Padang",
    region: "13.71",
    dinasType: "A"
  }),
  balikpapan: Agency.make({
    id: "dinsos-64.71",
    kind: "dinsos",
    name: "Dinas Sosial Kota Balikpapan",
    region: "64.71",
    dinasType: "B"
  }),
  jakarta: Agency.make({
    id: "dinsos-31",
    kind: "dinsos",
    name: "Dinas Sosial Provinsi DKI Jakarta",
    region: "31",
    dinasType: "A"
  }),
  surabaya: Agency.make({
    id: "dinsos-35.78",
    kind: "dinsos",
    name: "Dinas Sosial Kota Surabaya",
    region: "35.78",
    dinasType: "A"
  })
} as const

/** The name of a fixture agency. */
export type AgencyKey = keyof typeof agencies

/** The directory the decider resolves owners with. */
export const directory = Agency.directory(Object.values(agencies))

/** The people of one agency. */
export interface Staff {
  readonly intake: Actor.Actor
  readonly workers: readonly [Actor.Actor, Actor.Actor]
  readonly supervisor: Actor.Actor
}

const staffOf = (agency: Agency.Agency): Staff => {
  const person = (suffix: string, role: Actor.Role, position?: Actor.Position) =>
    Actor.make({
      id: `${agency.id}:${suffix}`,
      role,
      agency: agency.id,
      region: agency.region,
      ...(position === undefined ? {} : { position })
    })
  return {
    intake: person("intake", "intake-officer"),
    workers: [person("peksos-1", "caseworker"), person("peksos-2", "caseworker")],
    supervisor: person("kabid", "supervisor", "kabid-rehsos")
  }
}

/** The staff of every fixture agency. */
export const staff: Readonly<Record<AgencyKey, Staff>> = Object.fromEntries(
  Object.entries(agencies).map(([key, agency]) => [key, staffOf(agency)])
) as Record<AgencyKey, Staff>

/** Instants the suite queries with. */
export const instants = {
  /** Before every deadline of the fixtures. */
  early: DateTime.makeUnsafe("2024-01-01T00:00:00Z"),
  /** Some fixture cases are overdue at this instant, others are not yet. */
  mid: DateTime.makeUnsafe("2025-06-01T00:00:00Z"),
  /** After every deadline of the fixtures. */
  late: DateTime.makeUnsafe("2030-01-01T00:00:00Z")
} as const

/** A case id from a string (fixture ids are valid). */
export const cid = (id: string): CaseModel.CaseId => CaseModel.CaseId.make(id)

/** The events of one command and the case's index entry after them: one append. */
export interface Batch {
  readonly caseId: CaseModel.CaseId
  readonly command: CaseCommand.Type
  /** The case's version before the batch: the append's `expectedVersion`. */
  readonly expectedVersion: number
  readonly events: ReadonlyArray<CaseEvent.Envelope>
  readonly index: CaseIndex.Entry
}

/** A case of the fixtures: its id, subject, owner, and the batches that build it. */
export interface Story {
  readonly caseId: CaseModel.CaseId
  readonly subject: Subject.SubjectId
  readonly owner: AgencyKey
  readonly batches: ReadonlyArray<Batch>
  /** The state after every batch. */
  readonly state: Case.Case
}

/** The append request of a batch, with an optional idempotency key. */
export const requestOf = (batch: Batch, idempotency?: EventStore.Idempotency): EventStore.AppendRequest => ({
  caseId: batch.caseId,
  expectedVersion: batch.expectedVersion,
  events: batch.events,
  index: batch.index,
  ...(idempotency === undefined ? {} : { idempotency })
})

/** A fingerprint for a request, as the case repository would compute one (here: from the batch's events). */
export const fingerprintOf = (batch: Batch): string =>
  Integrity.sha256(
    Integrity.canonicalJson({ caseId: batch.caseId, from: batch.expectedVersion + 1, command: batch.command })
  )

/** Decides one command (given as JSON) on a state; throws when the decider rejects it (a bug in the fixtures). */
export const decideBatch = (
  state: Case.State,
  json: Record<string, unknown>,
  actor: Actor.Actor,
  now: DateTime.Utc
): { readonly batch: Batch; readonly state: Case.Case } => {
  const command = Schema.decodeUnknownSync(CaseCommand.Command)(json)
  const decided = Decider.decide(state, command, { now, actor, agencies: directory })
  if (Result.isFailure(decided)) {
    throw new Error(`fixture command ${command._tag} on ${command.caseId} rejected: ${decided.failure.message}`)
  }
  const next = Case.fold(decided.success, state)
  if (next._tag !== "Case") throw new Error(`fixture command ${command._tag} left no case`)
  return {
    batch: {
      caseId: command.caseId,
      command: command._tag,
      expectedVersion: state.version,
      events: decided.success,
      index: CaseIndex.project(next)
    },
    state: next
  }
}

/** The registration of a report about `subject` to a new case of `owner`'s intake officer (one append). */
export const registration = (caseId: string, subject: string, owner: AgencyKey, now: DateTime.Utc): Batch =>
  decideBatch(
    Case.initialState,
    {
      _tag: "RegisterReport",
      caseId,
      subject,
      sex: "male",
      ageAtReport: 12,
      region: agencies[owner].region,
      owner: agencies[owner].id,
      source: "community",
      concerns: ["out-of-school"]
    },
    staff[owner].intake,
    now
  ).batch

type Milestone = "reported" | "assigned" | "outreach" | "assessment" | "assessed" | "planning"
const milestones: ReadonlyArray<Milestone> = ["reported", "assigned", "outreach", "assessment", "assessed", "planning"]

interface Spec {
  readonly caseId: string
  readonly owner: AgencyKey
  readonly region: string
  readonly sex: Subject.Sex
  readonly birthDate?: string
  readonly ageAtReport?: number
  readonly reported: string
  readonly concerns: ReadonlyArray<string>
  readonly workers: 1 | 2
  readonly until: Milestone
  readonly assessment?: { readonly classification: Record<string, unknown>; readonly factors: ReadonlyArray<string> }
}

const build = (spec: Spec): Story => {
  const people = staff[spec.owner]
  const subject = Subject.SubjectId.make(`subj-${spec.caseId.toLowerCase()}`)
  const start = DateTime.makeUnsafe(spec.reported)
  const reach = milestones.indexOf(spec.until)
  const batches: Array<Batch> = []
  let state: Case.State = Case.initialState
  const run = (hours: number, actor: Actor.Actor, tag: string, fields: Record<string, unknown> = {}) => {
    const done = decideBatch(
      state,
      { _tag: tag, caseId: spec.caseId, ...fields },
      actor,
      DateTime.add(start, { minutes: hours * 60 })
    )
    batches.push(done.batch)
    state = done.state
  }
  run(0, people.intake, "RegisterReport", {
    subject,
    sex: spec.sex,
    ...(spec.birthDate === undefined ? {} : { birthDate: spec.birthDate }),
    ...(spec.ageAtReport === undefined ? {} : { ageAtReport: spec.ageAtReport }),
    region: spec.region,
    owner: agencies[spec.owner].id,
    source: "community",
    concerns: spec.concerns
  })
  if (reach >= 1) {
    run(0.25, people.supervisor, "AssignCaseworker", { caseworker: people.workers[0].id })
    if (spec.workers === 2) run(0.5, people.supervisor, "AssignCaseworker", { caseworker: people.workers[1].id })
  }
  if (reach >= 2) run(1, people.workers[0], "StartOutreach")
  if (reach >= 3) run(5, people.workers[0], "RecordFirstContact")
  if (reach >= 4 && spec.assessment !== undefined) {
    run(26, people.workers[0], "RecordAssessment", spec.assessment)
    if (state._tag === "Case" && state.risk?.effective === "tinggi") {
      run(27, people.workers[0], "RecordSafetyPlan", {
        measures: ["separate-from-alleged-perpetrator", "psychological-first-aid"]
      })
    }
  }
  if (reach >= 5) run(50, people.workers[0], "CompleteAssessment")
  if (state._tag !== "Case") throw new Error(`fixture ${spec.caseId} built no case`)
  return { caseId: cid(spec.caseId), subject, owner: spec.owner, batches, state }
}

const specs: ReadonlyArray<Spec> = [
  // Seed 003: the NTB caseload — ABH roles, adoption, child marriage, and an adult PPKS migrant worker.
  {
    caseId: "ntb-0001",
    owner: "mataram",
    region: "52.71.01",
    sex: "female",
    birthDate: "2011-03-14",
    reported: "2025-02-03T02:00:00Z",
    concerns: ["sexual-violence"],
    workers: 1,
    until: "planning",
    assessment: {
      classification: {
        ampk: ["j"],
        ppks: [6, 7],
        cluster: "children",
        sppaRole: "anak-korban",
        allegedPerpetrators: ["stranger"]
      },
      factors: ["sexual-violence"]
    }
  },
  {
    caseId: "ntb-0002",
    owner: "ntb",
    region: "52.03",
    sex: "male",
    birthDate: "2009-07-01",
    reported: "2025-03-10T01:00:00Z",
    concerns: ["in-conflict-with-law"],
    workers: 1,
    until: "assessed",
    assessment: {
      classification: {
        ampk: ["b"],
        ppks: [3],
        cluster: "children",
        sppaRole: "anak-berkonflik-dengan-hukum",
        allegedPerpetrators: []
      },
      factors: ["in-conflict-with-law", "out-of-school"]
    }
  },
  {
    caseId: "ntb-0003",
    owner: "mataram",
    region: "52.71",
    sex: "female",
    birthDate: "2013-01-20",
    reported: "2025-04-02T03:00:00Z",
    concerns: [],
    workers: 2,
    until: "planning",
    assessment: {
      classification: {
        ampk: ["b"],
        ppks: [3],
        cluster: "children",
        sppaRole: "anak-saksi",
        allegedPerpetrators: []
      },
      factors: []
    }
  },
  {
    caseId: "ntb-0004",
    owner: "ntb",
    region: "52.01",
    sex: "male",
    birthDate: "2024-06-01",
    reported: "2025-05-05T04:00:00Z",
    concerns: [],
    workers: 1,
    until: "assessed",
    assessment: {
      classification: { ampk: [], ppks: [1], cluster: "children", concerns: ["adoption"], allegedPerpetrators: [] },
      factors: ["repeated-neglect"]
    }
  },
  {
    caseId: "ntb-0005",
    owner: "ntb",
    region: "52.02",
    sex: "female",
    birthDate: "2009-02-11",
    reported: "2025-05-20T02:00:00Z",
    concerns: ["child-marriage"],
    workers: 1,
    until: "assessed",
    assessment: {
      classification: {
        ampk: ["m", "d"],
        ppks: [7],
        cluster: "children",
        sppaRole: "anak-korban",
        concerns: ["child-marriage"],
        allegedPerpetrators: ["father"]
      },
      factors: ["child-marriage", "family-conflict"]
    }
  },
  {
    caseId: "NTB-0006",
    owner: "mataram",
    region: "52.71.02",
    sex: "unknown",
    ageAtReport: 9,
    reported: "2025-11-20T05:00:00Z",
    concerns: ["repeated-neglect"],
    workers: 1,
    until: "reported"
  },
  {
    caseId: "ntb_0007",
    owner: "ntb",
    region: "52.03",
    sex: "male",
    ageAtReport: 34,
    reported: "2024-12-01T02:00:00Z",
    concerns: [],
    workers: 1,
    until: "assessed",
    assessment: {
      classification: { ampk: [], ppks: [20], cluster: "tuna-sosial-trafficking", allegedPerpetrators: [] },
      factors: []
    }
  },
  // Seed 000-like: Kota Padang, sexual violence by a relative, tinggi.
  {
    caseId: "pdg-0001",
    owner: "padang",
    region: "13.71.01",
    sex: "female",
    birthDate: "2012-05-10",
    reported: "2025-01-15T02:00:00Z",
    concerns: ["sexual-violence", "perpetrator-has-access"],
    workers: 2,
    until: "planning",
    assessment: {
      classification: { ampk: ["j"], ppks: [6, 7], cluster: "children", allegedPerpetrators: ["other-relative"] },
      factors: ["sexual-violence", "perpetrator-has-access"]
    }
  },
  {
    caseId: "pdg-0002",
    owner: "padang",
    region: "13.71",
    sex: "male",
    birthDate: "2010-09-09",
    reported: "2025-09-01T02:00:00Z",
    concerns: [],
    workers: 1,
    until: "outreach"
  },
  {
    caseId: "bpp-0001",
    owner: "balikpapan",
    region: "64.71.02",
    sex: "female",
    birthDate: "2015-12-24",
    reported: "2025-06-10T01:00:00Z",
    concerns: ["physical-or-psychological-violence"],
    workers: 1,
    until: "assessment"
  },
  {
    caseId: "jkt-0001",
    owner: "jakarta",
    region: "31.71",
    sex: "male",
    birthDate: "2008-03-03",
    reported: "2025-07-07T03:00:00Z",
    concerns: ["economic-exploitation", "out-of-school"],
    workers: 1,
    until: "assessed",
    assessment: {
      classification: { ampk: ["d"], ppks: [4], cluster: "children", allegedPerpetrators: ["employer"] },
      factors: ["economic-exploitation", "out-of-school"]
    }
  },
  {
    caseId: "sby-0001",
    owner: "surabaya",
    region: "35.78.05",
    sex: "female",
    birthDate: "2016-08-15",
    reported: "2025-10-01T02:00:00Z",
    concerns: ["serious-injury"],
    workers: 1,
    until: "assessed",
    assessment: {
      classification: { ampk: ["m"], ppks: [6], cluster: "children", allegedPerpetrators: ["step-parent"] },
      factors: ["serious-injury"]
    }
  }
]

let built: ReadonlyArray<Story> | undefined

/** The twelve fixture cases (built once, on first use). */
export const stories = (): ReadonlyArray<Story> => {
  built ??= specs.map(build)
  return built
}

/** One fixture case by id (throws for an unknown id). */
export const story = (caseId: string): Story => {
  const found = stories().find((s) => s.caseId === caseId)
  if (found === undefined) throw new Error(`no fixture case ${caseId}`)
  return found
}

/** Every batch of every fixture case, case after case. */
export const allBatches = (): ReadonlyArray<Batch> => stories().flatMap((s) => s.batches)

/** The final index entry of every fixture case. */
export const finalEntries = (): ReadonlyArray<CaseIndex.Entry> =>
  stories().map((s) => (s.batches.at(-1) as Batch).index)

/** Made-up identities; `marker` is a string that must never show up outside the vault. */
export const identities = [
  { marker: "Putri Kenanga Contoh", nik: "5271014101110001", family: "Ibu Melati Contoh", address: "Jl. Contoh 1" },
  { marker: "Bagus Rinjani Contoh", nik: "5203010107090002", family: "Bapak Sasak Contoh", address: "Dusun Contoh" },
  { marker: "Siti Ampenan Contoh", nik: "1371015005120003", family: "Nenek Contoh", address: "Gang Contoh 3" }
].map(({ marker, nik, family, address }) => ({
  marker,
  identity: Schema.decodeUnknownSync(Subject.IdentityFromValues)({
    name: marker,
    nik,
    familyNames: [family],
    address
  })
}))

/** An entry of the identity access trail (a made-up access: ids and codes only, never an identity). */
export const accessOf = (fields: {
  readonly subject: string
  readonly caseId: string
  readonly actor: Actor.Actor
  readonly operation: IdentityVault.Operation
  readonly purpose: IdentityVault.Purpose
  readonly at: DateTime.Utc
}): IdentityVault.AccessRecord => ({
  subject: Subject.SubjectId.make(fields.subject),
  caseId: cid(fields.caseId),
  actor: fields.actor.id,
  role: fields.actor.role,
  agency: fields.actor.agency,
  operation: fields.operation,
  purpose: fields.purpose,
  at: fields.at
})

/** The canonical JSON of an access record: equal strings iff equal decoded records. */
export const accessJson = (access: IdentityVault.AccessRecord): string =>
  JSON.stringify(Schema.encodeSync(IdentityVault.AccessRecord)(access))
