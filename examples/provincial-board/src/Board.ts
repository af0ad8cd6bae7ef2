/**
 * The provincial board, pure: what a Dinas Sosial Provinsi sees of the cases in its region — per province and
 * kab/kota, the open cases by stage and by risk level, and the deadline escalations by level — folded from the
 * public form of the case events (`PublicEvent`: codes and dates, no identity, no free text).
 *
 * The board keeps, for every case, the last version it applied, and applies an event only when its version is
 * higher: an event that comes again (a redelivery, a relay's re-send, a replay after a restart) changes nothing.
 * `main.ts` saves the board with those versions before it acknowledges the events, so the board is applied
 * exactly once even though NATS delivers at least once.
 */
import { type PublicEvent, Region, Risk, Sop } from "@lindung/core"
import { Option, Schema } from "effect"

// ---------------------------------------------------------------------------------------------------------------
// State

/** The levels a missed deadline is escalated to (SOP-11): the supervisor first, then the head of the dinas. */
export const escalationLevels = ["supervisor", "head-of-dinas"] as const

/** See {@link escalationLevels}. */
export type EscalationLevel = (typeof escalationLevels)[number]

/** The risk of a case as its last assessment left it; `effective` is the level that governs it now. */
export interface RiskState {
  readonly computed: Risk.Level
  readonly chosen: Risk.Level
  /** The chosen level is below the computed one and waits for a supervisor's approval. */
  readonly needsApproval: boolean
  readonly effective: Risk.Level
}

/** What the board knows of one case. */
export interface CaseEntry {
  /** The last version applied. */
  readonly version: number
  /** The case's region now, when known. */
  readonly region?: Region.RegionCode
  /** The case's stage; absent when the first event seen was neither its registration nor a stage change. */
  readonly stage?: Sop.Stage
  /** Absent until the case is assessed. */
  readonly risk?: RiskState
  /** Requests to lower the risk level that wait for a decision, by approval id. */
  readonly pendingLowering: ReadonlyArray<{ readonly approval: string; readonly level: Risk.Level }>
  /** Transfers that would move the case to another region when accepted, by transfer id. */
  readonly pendingRelocations: ReadonlyArray<{ readonly transfer: string; readonly to: Region.RegionCode }>
}

/** Escalations counted by level. */
export type Escalations = Readonly<Record<EscalationLevel, number>>

/** The board: every case seen, and the escalations counted per area (a kab/kota, a province, or `_`). */
export interface Board {
  readonly cases: ReadonlyMap<string, CaseEntry>
  readonly escalations: ReadonlyMap<string, Escalations>
  /**
   * Events applied although the version before them was never seen: a case whose earlier events were published
   * under another region's subject (it was relocated into this one), or were removed from the stream by its limits
   * (a withheld event, a child's 18th birthday, leaves no gap: the public versions count published events only).
   */
  readonly gaps: number
}

/** The board before any event. */
export const empty: Board = { cases: new Map(), escalations: new Map(), gaps: 0 }

/** The last version applied of a case (0 when the case was never seen). */
export const lastApplied = (board: Board, caseId: string): number => board.cases.get(caseId)?.version ?? 0

/** The area an event or a case is counted in: its kab/kota (`13.71`), its province (`13`), or `_` when unknown. */
export const areaOf = (region: Region.RegionCode | undefined): string =>
  region === undefined ? "_" : Option.getOrElse(Region.regency(region), () => Region.province(region))

// ---------------------------------------------------------------------------------------------------------------
// Applying events

const noEscalations: Escalations = { supervisor: 0, "head-of-dinas": 0 }

const fresh: CaseEntry = { version: 0, pendingLowering: [], pendingRelocations: [] }

/**
 * A code of a public payload as a string. (`PublicEvent.Public` maps a branded string such as an id or a region code
 * as if it were an object, so these fields are read through a check rather than their static type.)
 */
const codeOf = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined)

/** A region code of a public payload (see {@link codeOf}). */
const regionOf = (value: unknown): Region.RegionCode | undefined => (Region.isRegionCode(value) ? value : undefined)

/** The entry after one event (already known to be newer than the entry). */
const evolve = (entry: CaseEntry, event: PublicEvent.Envelope): CaseEntry => {
  // The envelope's region is the case's region when the event was decided: it wins over what the board thought.
  const known: CaseEntry = {
    ...entry,
    version: event.version,
    ...(event.region === undefined ? {} : { region: event.region })
  }
  const payload = event.payload
  switch (payload._tag) {
    case "ReportRegistered": {
      const region = regionOf(payload.region) ?? known.region
      return { ...known, stage: "reported", ...(region === undefined ? {} : { region }) }
    }
    case "StageChanged":
      return payload.to === undefined ? known : { ...known, stage: payload.to }
    case "AssessmentRecorded": {
      const decision = payload.risk?.decision
      if (decision?.computed === undefined || decision.chosen === undefined) return known
      const needsApproval = decision.needsSupervisorApproval === true
      // A lowered level counts only once a supervisor approves it (Risk.effectiveLevel); a new assessment
      // supersedes an earlier one and any lowering that waited for it.
      const risk: RiskState = {
        computed: decision.computed,
        chosen: decision.chosen,
        needsApproval,
        effective: Risk.effectiveLevel(
          {
            computed: decision.computed,
            chosen: decision.chosen,
            direction: decision.direction ?? "unchanged",
            needsSupervisorApproval: needsApproval
          },
          false
        )
      }
      return { ...known, risk }
    }
    case "ApprovalRequested": {
      const subject = payload.subject
      const approval = codeOf(payload.approval)
      if (approval === undefined || subject?._tag !== "risk-lowering" || subject.level === undefined) return known
      return {
        ...known,
        pendingLowering: [
          ...known.pendingLowering.filter((pending) => pending.approval !== approval),
          { approval, level: subject.level }
        ]
      }
    }
    case "ApprovalDecided": {
      const approval = codeOf(payload.approval)
      const pending = known.pendingLowering.find((candidate) => candidate.approval === approval)
      if (pending === undefined) return known
      const pendingLowering = known.pendingLowering.filter((candidate) => candidate !== pending)
      const risk = known.risk
      // Only the lowering the last assessment asked for: as `Case` does.
      const lowers =
        payload.decision === "approved" && risk !== undefined && risk.needsApproval && risk.chosen === pending.level
      return lowers
        ? { ...known, pendingLowering, risk: { ...risk, effective: risk.chosen } }
        : { ...known, pendingLowering }
    }
    case "TransferRequested": {
      const transfer = codeOf(payload.transfer)
      const to = regionOf(payload.relocateTo)
      if (transfer === undefined || to === undefined) return known
      return {
        ...known,
        pendingRelocations: [
          ...known.pendingRelocations.filter((pending) => pending.transfer !== transfer),
          { transfer, to }
        ]
      }
    }
    case "TransferUpdated": {
      const transfer = codeOf(payload.transfer)
      const pending = known.pendingRelocations.find((candidate) => candidate.transfer === transfer)
      if (pending === undefined) return known
      // Accepted, declined or withdrawn: the transfer is decided either way.
      const pendingRelocations = known.pendingRelocations.filter((candidate) => candidate !== pending)
      return payload.status === "accepted"
        ? { ...known, pendingRelocations, region: pending.to }
        : { ...known, pendingRelocations }
    }
    default:
      return known
  }
}

/** Applies one event to boards under construction (their maps are copies owned by the caller). */
const applyInto = (
  cases: Map<string, CaseEntry>,
  escalations: Map<string, Escalations>,
  event: PublicEvent.Envelope
): "applied" | "applied-after-gap" | "skipped" => {
  const entry = cases.get(event.caseId)
  const last = entry?.version ?? 0
  if (event.version <= last) return "skipped"
  const payload = event.payload
  if (payload._tag === "DeadlineEscalated" && payload.escalatedTo !== undefined) {
    // Counted where the case was when its deadline was missed.
    const area = areaOf(event.region ?? entry?.region)
    const counts = escalations.get(area) ?? noEscalations
    escalations.set(area, { ...counts, [payload.escalatedTo]: counts[payload.escalatedTo] + 1 })
  }
  cases.set(event.caseId, evolve(entry ?? fresh, event))
  return event.version === last + 1 ? "applied" : "applied-after-gap"
}

/**
 * Applies events in order. An event whose version is not above the last applied version of its case is skipped,
 * so applying an event again — or any earlier event of its case — changes nothing. Returns the same board when
 * every event was skipped (nothing to save).
 */
export const applyAll = (board: Board, events: Iterable<PublicEvent.Envelope>): Board => {
  let cases: Map<string, CaseEntry> | undefined
  let escalations: Map<string, Escalations> | undefined
  let gaps = board.gaps
  for (const event of events) {
    if (event.version <= lastApplied(board, event.caseId) && cases === undefined) continue
    // The maps are copied once, at the first event applied, and then changed in place.
    cases ??= new Map(board.cases)
    escalations ??= new Map(board.escalations)
    const outcome = applyInto(cases, escalations, event)
    if (outcome === "applied-after-gap") gaps++
  }
  return cases === undefined || escalations === undefined ? board : { cases, escalations, gaps }
}

/** Applies one event (see {@link applyAll}). */
export const apply = (board: Board, event: PublicEvent.Envelope): Board => applyAll(board, [event])

// ---------------------------------------------------------------------------------------------------------------
// Counting

/** The columns of the risk count: the effective level of an open case, or `unassessed`. */
export const riskColumns = [...Risk.levels, "unassessed"] as const

/** See {@link riskColumns}. */
export type RiskColumn = (typeof riskColumns)[number]

/** The stages an open case can be in, and `unknown`. */
export const stageColumns = [...Sop.stages.filter((stage) => Sop.isOpen(stage)), "unknown"] as ReadonlyArray<
  Exclude<Sop.Stage, "closed"> | "unknown"
>

/** See {@link stageColumns}. */
export type StageColumn = Exclude<Sop.Stage, "closed"> | "unknown"

/** The counts of an area. */
export interface Counts {
  /** Open cases: every case not `closed` (a case of unknown stage counts as open). */
  readonly open: number
  readonly closed: number
  readonly stages: Readonly<Record<StageColumn, number>>
  /** Open cases by their effective risk level. */
  readonly risk: Readonly<Record<RiskColumn, number>>
  readonly escalations: Escalations
}

/** A kab/kota (or `13` for the cases known only at the level of province 13) and its counts. */
export interface RegencyRow extends Counts {
  readonly area: string
}

/** A province, its counts, and those of its kab/kota. */
export interface ProvinceRow extends Counts {
  readonly province: string
  readonly regencies: ReadonlyArray<RegencyRow>
}

/** What the board shows: the provinces in scope, their total, how many cases it tracks, and the gaps seen. */
export interface Summary {
  /** The region shown (`13`), or `all`. */
  readonly scope: string
  readonly provinces: ReadonlyArray<ProvinceRow>
  readonly total: Counts
  /** Cases the board tracks in scope, open and closed. */
  readonly cases: number
  readonly gaps: number
}

const zero = (): {
  open: number
  closed: number
  stages: Record<StageColumn, number>
  risk: Record<RiskColumn, number>
  escalations: Record<EscalationLevel, number>
} => ({
  open: 0,
  closed: 0,
  stages: Object.fromEntries(stageColumns.map((stage) => [stage, 0])) as Record<StageColumn, number>,
  risk: Object.fromEntries(riskColumns.map((level) => [level, 0])) as Record<RiskColumn, number>,
  escalations: { ...noEscalations }
})

type Mutable = ReturnType<typeof zero>

const countCase = (counts: Mutable, entry: CaseEntry): void => {
  if (entry.stage === "closed") {
    counts.closed++
    return
  }
  counts.open++
  counts.stages[entry.stage ?? "unknown"]++
  counts.risk[entry.risk?.effective ?? "unassessed"]++
}

const countEscalations = (counts: Mutable, escalations: Escalations): void => {
  for (const level of escalationLevels) counts.escalations[level] += escalations[level]
}

/** The province of an area key (`13.71` → `13`), or `_`. */
const provinceOfArea = (area: string): string => (area === "_" ? "_" : area.slice(0, 2))

/**
 * The board's counts per province and kab/kota, within `scope` when given (a case relocated out of it no longer
 * counts there; a scope below a kab/kota is taken as its kab/kota). Rows are sorted by code; a case or escalation of
 * unknown region is in province `_`.
 */
export const summarize = (board: Board, scope?: Region.RegionCode): Summary => {
  // Areas are kab/kota or provinces: a deeper scope is shown as its kab/kota.
  const root = scope === undefined ? undefined : (areaOf(scope) as Region.RegionCode)
  const inScope = (area: string): boolean =>
    root === undefined || (area !== "_" && Region.contains(root, area as Region.RegionCode))
  const areas = new Map<string, Mutable>()
  const at = (area: string): Mutable => {
    const existing = areas.get(area)
    if (existing !== undefined) return existing
    const created = zero()
    areas.set(area, created)
    return created
  }
  let cases = 0
  for (const entry of board.cases.values()) {
    const area = areaOf(entry.region)
    if (!inScope(area)) continue
    cases++
    countCase(at(area), entry)
  }
  for (const [area, escalations] of board.escalations) {
    if (inScope(area)) countEscalations(at(area), escalations)
  }
  const total = zero()
  const provinces = new Map<string, { counts: Mutable; regencies: Array<RegencyRow> }>()
  for (const area of [...areas.keys()].sort()) {
    const counts = areas.get(area) as Mutable
    const code = provinceOfArea(area)
    const province = provinces.get(code) ?? { counts: zero(), regencies: [] }
    provinces.set(code, province)
    province.regencies.push({ area, ...counts })
    for (const sum of [province.counts, total]) add(sum, counts)
  }
  return {
    scope: root ?? "all",
    provinces: [...provinces].map(([province, { counts, regencies }]) => ({ province, ...counts, regencies })),
    total,
    cases,
    gaps: board.gaps
  }
}

const add = (sum: Mutable, counts: Counts): void => {
  sum.open += counts.open
  sum.closed += counts.closed
  for (const stage of stageColumns) sum.stages[stage] += counts.stages[stage]
  for (const level of riskColumns) sum.risk[level] += counts.risk[level]
  for (const level of escalationLevels) sum.escalations[level] += counts.escalations[level]
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering

const stageHeaders: Readonly<Record<StageColumn, string>> = {
  reported: "rep",
  outreach: "outr",
  assessment: "asmt",
  planning: "plan",
  intervention: "intv",
  reintegration: "rein",
  aftercare: "aftc",
  unknown: "?"
}

const riskHeaders: Readonly<Record<RiskColumn, string>> = {
  rendah: "rendah",
  sedang: "sedang",
  tinggi: "tinggi",
  unassessed: "n/a"
}

/** The board as a text table: a row per province, indented rows for its kab/kota, and a total. */
export const render = (board: Board, scope?: Region.RegionCode): string => {
  const summary = summarize(board, scope)
  const showUnknown = summary.total.stages.unknown > 0
  const stages = stageColumns.filter((stage) => stage !== "unknown" || showUnknown)
  const header = [
    "area",
    "open",
    ...stages.map((stage) => stageHeaders[stage]),
    "|",
    ...riskColumns.map((level) => riskHeaders[level]),
    "|",
    "esc:spv",
    "esc:head",
    "|",
    "closed"
  ]
  const row = (label: string, counts: Counts): ReadonlyArray<string> => [
    label,
    String(counts.open),
    ...stages.map((stage) => String(counts.stages[stage])),
    "|",
    ...riskColumns.map((level) => String(counts.risk[level])),
    "|",
    String(counts.escalations.supervisor),
    String(counts.escalations["head-of-dinas"]),
    "|",
    String(counts.closed)
  ]
  const rows: Array<ReadonlyArray<string>> = [header]
  for (const province of summary.provinces) {
    rows.push(row(province.province, province))
    for (const regency of province.regencies) {
      // A province's own row already counts the cases known only at its level.
      if (regency.area !== province.province) rows.push(row(`  ${regency.area}`, regency))
    }
  }
  rows.push(row("total", summary.total))
  const widths = header.map((_, column) => Math.max(...rows.map((cells) => (cells[column] ?? "").length)))
  const lines = rows.map((cells) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[0] ?? 0) : cell.padStart(widths[column] ?? 0)))
      .join(" ")
  )
  const shown = summary.scope === "all" ? "all provinces" : `region ${summary.scope}`
  const title =
    `Provincial board (${shown}): ${summary.cases} cases, ` +
    "open ones by stage and effective risk; deadline escalations by level"
  const notes =
    summary.gaps === 0 ? [] : [`${summary.gaps} event(s) applied after a version never seen (see README: gaps)`]
  return [title, ...lines, ...notes].join("\n")
}

// ---------------------------------------------------------------------------------------------------------------
// Persistence

const RiskStateJson = Schema.Struct({
  computed: Risk.Level,
  chosen: Risk.Level,
  needsApproval: Schema.Boolean,
  effective: Risk.Level
})

const Version = Schema.Int.check(Schema.isGreaterThanOrEqualTo(1))

const Count = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))

/** The JSON form of a board: plain arrays, so that no id can be mistaken for an object's own key. */
export const Json = Schema.Struct({
  cases: Schema.Array(
    Schema.Struct({
      caseId: Schema.String,
      version: Version,
      region: Schema.optionalKey(Region.RegionCode),
      stage: Schema.optionalKey(Sop.Stage),
      risk: Schema.optionalKey(RiskStateJson),
      pendingLowering: Schema.Array(Schema.Struct({ approval: Schema.String, level: Risk.Level })),
      pendingRelocations: Schema.Array(Schema.Struct({ transfer: Schema.String, to: Region.RegionCode }))
    })
  ),
  escalations: Schema.Array(Schema.Struct({ area: Schema.String, supervisor: Count, "head-of-dinas": Count })),
  gaps: Count
}).annotate({ identifier: "ProvincialBoard" })

/** See {@link Json}. */
export type Json = typeof Json.Encoded

/** The board as JSON-ready data, cases sorted by id (the same board always gives the same text). */
export const toJson = (board: Board): Json =>
  Schema.encodeSync(Json)({
    cases: [...board.cases]
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
      .map(([caseId, entry]) => ({ caseId, ...entry })),
    escalations: [...board.escalations]
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
      .map(([area, counts]) => ({ area, ...counts })),
    gaps: board.gaps
  })

/** Reads a board from its JSON form; throws a `SchemaError` for data that is not one. */
export const fromJson = (input: unknown): Board => {
  const json = Schema.decodeUnknownSync(Json)(input)
  return {
    cases: new Map(json.cases.map(({ caseId, ...entry }) => [caseId, entry])),
    escalations: new Map(json.escalations.map(({ area, ...counts }) => [area, counts])),
    gaps: json.gaps
  }
}
