/**
 * The read side of cases for dashboards and work lists: one pseudonymous {@link Entry} per case, written by the
 * event store in the same transaction as the case's events, and the {@link CaseIndex} port to query it — by
 * region-code prefix, stage, risk, assignee, owner, category and overdue — with cursor pagination in a stable
 * order, and grouped counts (category × stage × risk × region, …) such as the NTB table of seed 003.
 *
 * The pure functions {@link project}, {@link matches}, {@link page} and {@link count} define the semantics; the
 * memory adapter is built on them, and every other adapter must agree with them (the storage testkit checks it).
 *
 * @since 0.1.0
 */
import { Context, DateTime, type Effect, Option, Schema } from "effect"
import * as Access from "./Access.js"
import * as Actor from "./Actor.js"
import * as Agency from "./Agency.js"
import * as Ampk from "./Ampk.js"
import * as CalendarDate from "./CalendarDate.js"
import type * as Case from "./Case.js"
import * as CaseDeadlines from "./CaseDeadlines.js"
import * as CaseModel from "./CaseModel.js"
import * as Intake from "./Classification.js"
import * as Input from "./Input.js"
import { adultOn } from "./internal/decide/facts.js"
import * as Policy from "./Policy.js"
import * as Ppks from "./Ppks.js"
import * as Region from "./Region.js"
import * as Risk from "./Risk.js"
import * as Sop from "./Sop.js"
import * as Sppa from "./Sppa.js"
import type * as StorageError from "./StorageError.js"
import * as Subject from "./Subject.js"

const Instant = Schema.DateTimeUtcFromString

/** One case as the index holds it: pseudonymous, no identity, no free text. */
export const Entry = Schema.Struct({
  caseId: CaseModel.CaseId,
  version: Schema.Int,
  region: Region.RegionCode,
  owner: Agency.AgencyId,
  stage: Sop.Stage,
  risk: Schema.optionalKey(Risk.Level),
  /** The pseudonymous subject the case is about: which cases hold one identity (never the identity itself). */
  subject: Subject.SubjectId,
  subjectKind: Subject.SubjectKind,
  /** The age band at the last update of the case. */
  ageBand: Schema.Literals(Access.ageBands),
  assigned: Schema.Array(Actor.ActorId),
  ampk: Schema.Array(Ampk.AmpkCode),
  ppks: Schema.Array(Ppks.PpksCode),
  sppaRole: Schema.optionalKey(Sppa.AbhRole),
  concerns: Schema.Array(Intake.ConcernCode),
  /** The earliest open deadline (`CaseDeadlines.nextDue`), for overdue work lists. */
  nextDueAt: Schema.optionalKey(Instant),
  /**
   * When the deadline scheduler must next look at the case: the instant after which its next escalation falls due
   * (`CaseDeadlines.nextEscalation`: `nextDueAt` until the supervisor is told, then that deadline's turn for the head
   * of the dinas or a later deadline), or the start of the day a child of an open case is 18 when that comes first
   * and is not yet recorded (SOP-09: the scheduler records it). Absent when neither is ahead: an overdue case whose
   * escalations are all recorded keeps its `nextDueAt` but is not looked at again until its next event. It can tell a
   * child's birth date, so it stays in storage: the case service leaves it out of every list and export, and only
   * the scheduler lists by it (`wakeBefore`, see `Access.listScope`).
   */
  wakeAt: Schema.optionalKey(Instant),
  reportedAt: Instant,
  updatedAt: Instant
}).annotate({ identifier: "CaseIndexEntry", description: "A case as dashboards and work lists see it" })

/** See {@link Entry}. */
export type Entry = typeof Entry.Type

const { wakeAt: _wakeAt, ...shownFields } = Entry.fields

/**
 * An entry as it leaves the case service (lists, exports, the HTTP work list): {@link Entry} without `wakeAt`.
 */
export const ShownEntry = Schema.Struct(shownFields).annotate({
  identifier: "CaseListEntry",
  description: "A case as work lists and exports show it: no identity, and no instant that tells a birth date"
})

/** See {@link ShownEntry}. */
export type ShownEntry = typeof ShownEntry.Type

const { version: _version, ...exportedFields } = shownFields

/**
 * An entry as an export carries it (`CaseService.exportCases`): {@link ShownEntry} without `version`. The version
 * counts every event of the case, a child's 18th birthday included, which moves nothing else of an entry: two
 * exports a day apart would tell the birth date by it. An export needs no version (it is not a basis for a command).
 */
export const ExportedEntry = Schema.Struct(exportedFields).annotate({
  identifier: "CaseExportEntry",
  description: "A case as an export carries it: no identity, no version, and no instant that tells a birth date"
})

/** See {@link ExportedEntry}. */
export type ExportedEntry = typeof ExportedEntry.Type

/**
 * When the case next needs the scheduler: the instant after which its next escalation falls due, or the start of the
 * child's 18th birthday in the case's time zone when that comes first and is not yet recorded (an open case only).
 */
const wakeOf = (state: Case.Case, policy: Policy.Policy): Option.Option<DateTime.Utc> => {
  const due = CaseDeadlines.nextEscalation(state, policy)
  if (state.stage === "closed" || state.subject.kind !== "child" || state.adulthoodReachedOn !== undefined) return due
  const on = adultOn(state, policy)
  if (on === undefined) return due
  const birthday = CalendarDate.startInstant(on, Region.timeZone(state.region).offsetHours)
  return Option.isSome(due) && DateTime.isLessThanOrEqualTo(due.value, birthday) ? due : Option.some(birthday)
}

/**
 * The index entry of a case under the policy (deadlines, and ages for SOP-09): its last update and the age band then
 * are the case's `updatedAt` (an event whose moment is personal, such as a child's 18th birthday, moves neither).
 */
export const project = (state: Case.Case, policy: Policy.Policy = Policy.defaults): Entry => {
  const due = CaseDeadlines.nextDue(state, policy)
  const wake = wakeOf(state, policy)
  const today = CalendarDate.fromInstant(state.updatedAt, Region.timeZone(state.region).offsetHours)
  return {
    caseId: state.id,
    version: state.version,
    region: state.region,
    owner: state.owner,
    stage: state.stage,
    ...(state.risk === undefined ? {} : { risk: state.risk.effective }),
    subject: state.subject.id,
    subjectKind: state.subject.kind,
    ageBand: Access.ageBand(state.subject, today),
    assigned: state.assigned,
    ampk: state.classification?.ampk ?? [],
    ppks: state.classification?.ppks ?? [],
    ...(state.classification?.sppaRole === undefined ? {} : { sppaRole: state.classification.sppaRole }),
    concerns: state.classification?.concerns ?? [],
    ...(Option.isSome(due) ? { nextDueAt: due.value } : {}),
    ...(Option.isSome(wake) ? { wakeAt: wake.value } : {}),
    reportedAt: state.reportedAt,
    updatedAt: state.updatedAt
  }
}

/** A filter over the index; every given field must match. */
export const Filter = Schema.Struct({
  /** Cases whose region lies inside this code (`ID`: every region). */
  region: Schema.optionalKey(Agency.Scope),
  stages: Schema.optionalKey(Schema.Array(Sop.Stage)),
  risks: Schema.optionalKey(Schema.Array(Risk.Level)),
  owner: Schema.optionalKey(Agency.AgencyId),
  /** The cases of one subject (the cases that hold its identity). */
  subject: Schema.optionalKey(Subject.SubjectId),
  assignee: Schema.optionalKey(Actor.ActorId),
  ampk: Schema.optionalKey(Ampk.AmpkCode),
  ppks: Schema.optionalKey(Ppks.PpksCode),
  sppaRole: Schema.optionalKey(Sppa.AbhRole),
  concern: Schema.optionalKey(Intake.ConcernCode),
  /** Overdue: the next due instant lies strictly before this instant. */
  dueBefore: Schema.optionalKey(Instant),
  /** The scheduler's own filter: `wakeAt` lies strictly before this instant (no one else may list by it). */
  wakeBefore: Schema.optionalKey(Instant)
}).annotate({ identifier: "CaseIndexFilter" })

/** See {@link Filter}. */
export type Filter = typeof Filter.Type

/** The largest page a query returns. */
export const MAX_PAGE = 500

/** A page request: a filter, a page size, and the cursor of the previous page. */
export const Query = Schema.Struct({
  filter: Filter,
  limit: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: MAX_PAGE })),
  /** The `next` cursor of the previous page; absent for the first page. */
  after: Schema.optionalKey(Schema.String)
}).annotate({ identifier: "CaseIndexQuery" })

/** See {@link Query}. */
export type Query = typeof Query.Type

/** A page of entries, in case-id order, and the cursor of the next page if there is one. */
export interface Page {
  readonly entries: ReadonlyArray<Entry>
  readonly next?: string
}

/** Whether an entry matches a filter. */
export const matches = (entry: Entry, filter: Filter): boolean =>
  (filter.region === undefined || Agency.serves({ region: filter.region }, entry.region)) &&
  (filter.stages === undefined || filter.stages.includes(entry.stage)) &&
  (filter.risks === undefined || (entry.risk !== undefined && filter.risks.includes(entry.risk))) &&
  (filter.owner === undefined || entry.owner === filter.owner) &&
  (filter.subject === undefined || entry.subject === filter.subject) &&
  (filter.assignee === undefined || entry.assigned.includes(filter.assignee)) &&
  (filter.ampk === undefined || entry.ampk.includes(filter.ampk)) &&
  (filter.ppks === undefined || entry.ppks.includes(filter.ppks)) &&
  (filter.sppaRole === undefined || entry.sppaRole === filter.sppaRole) &&
  (filter.concern === undefined || entry.concerns.includes(filter.concern)) &&
  (filter.dueBefore === undefined ||
    (entry.nextDueAt !== undefined && DateTime.isLessThan(entry.nextDueAt, filter.dueBefore))) &&
  (filter.wakeBefore === undefined ||
    (entry.wakeAt !== undefined && DateTime.isLessThan(entry.wakeAt, filter.wakeBefore)))

/** An entry as it may leave the case service: without `wakeAt`, which can tell a child's birth date. */
export const shown = (entry: Entry): ShownEntry => {
  if (entry.wakeAt === undefined) return entry
  const { wakeAt: _, ...rest } = entry
  return rest
}

/** An entry as an export carries it: without `wakeAt` and `version` (see {@link ExportedEntry}). */
export const exported = (entry: Entry): ExportedEntry => {
  const { wakeAt: _wakeAt, version: _version, ...rest } = entry
  return rest
}

/** Case ids compare by UTF-16 code units (JavaScript's `<`), which SQL adapters reproduce with a binary collation. */
export const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** The reference page semantics: matching entries in case-id order after the cursor (the last id of the page). */
export const page = (entries: Iterable<Entry>, query: Query): Page => {
  const found = [...entries]
    .filter((entry) => matches(entry, query.filter) && (query.after === undefined || entry.caseId > query.after))
    .sort((a, b) => compareIds(a.caseId, b.caseId))
  const slice = found.slice(0, query.limit)
  const last = slice.at(-1)
  return found.length > query.limit && last !== undefined ? { entries: slice, next: last.caseId } : { entries: slice }
}

/** What counts can be grouped by. Multi-valued dimensions (ampk, ppks, concern) count a case once per value. */
export const Dimension = Schema.Literals([
  "region",
  "owner",
  "stage",
  "risk",
  "subjectKind",
  "ageBand",
  "ampk",
  "ppks",
  "sppaRole",
  "concern"
]).annotate({ identifier: "CaseIndexDimension" })

/** See {@link Dimension}. */
export type Dimension = typeof Dimension.Type

/** A count request: a filter, the dimensions, and the region level to group regions at. */
export const CountQuery = Schema.Struct({
  filter: Filter,
  /** The dimensions, each at most once (a repeated one would multiply the groups with itself). */
  by: Schema.NonEmptyArray(Dimension).check(
    Schema.isUnique({ description: "each dimension at most once" }),
    Schema.isMaxLength(Dimension.literals.length)
  ),
  /** Group regions at this depth: 1 provinsi, 2 kabupaten/kota, 3 kecamatan, 4 desa/kelurahan. Default 2. */
  regionDepth: Schema.optionalKey(Schema.Literals([1, 2, 3, 4]))
}).annotate({ identifier: "CaseIndexCountQuery" })

/** See {@link CountQuery}. */
export type CountQuery = typeof CountQuery.Type

/** One group and its count. A dimension without a value is keyed `none`. */
export interface CountRow {
  readonly key: Readonly<Record<string, string>>
  readonly count: number
}

/** The key value(s) of an entry for a dimension. */
export const valuesOf = (entry: Entry, dimension: Dimension, regionDepth: 1 | 2 | 3 | 4 = 2): ReadonlyArray<string> => {
  switch (dimension) {
    case "region":
      return [entry.region.split(".").slice(0, regionDepth).join(".")]
    case "owner":
      return [entry.owner]
    case "stage":
      return [entry.stage]
    case "risk":
      return [entry.risk ?? "none"]
    case "subjectKind":
      return [entry.subjectKind]
    case "ageBand":
      return [entry.ageBand]
    case "ampk":
      return entry.ampk.length === 0 ? ["none"] : [...new Set(entry.ampk)]
    case "ppks":
      return entry.ppks.length === 0 ? ["none"] : [...new Set(entry.ppks.map(String))]
    case "sppaRole":
      return [entry.sppaRole ?? "none"]
    case "concern":
      return entry.concerns.length === 0 ? ["none"] : [...new Set(entry.concerns)]
  }
}

/** The reference count semantics: groups in key order (dimension by dimension, as strings). */
export const count = (entries: Iterable<Entry>, query: CountQuery): ReadonlyArray<CountRow> => {
  const groups = new Map<string, { key: Record<string, string>; count: number }>()
  for (const entry of entries) {
    if (!matches(entry, query.filter)) continue
    let keys: Array<Record<string, string>> = [{}]
    for (const dimension of query.by) {
      const values = valuesOf(entry, dimension, query.regionDepth)
      keys = keys.flatMap((key) => values.map((value) => ({ ...key, [dimension]: value })))
    }
    for (const key of keys) {
      const id = query.by.map((d) => key[d]).join("\u0000")
      const group = groups.get(id)
      if (group === undefined) groups.set(id, { key, count: 1 })
      else group.count++
    }
  }
  return [...groups.entries()]
    .sort(([a], [b]) => compareIds(a, b))
    .map(([, group]) => ({ key: group.key, count: group.count }))
}

/** Checks a page request (as values, not JSON) before an adapter runs it: a limit of 1 to {@link MAX_PAGE}. */
export const checkQuery = Input.decode(Schema.toType(Query), "query")

/** Checks a count request (as values, not JSON) before an adapter runs it. */
export const checkCountQuery = Input.decode(Schema.toType(CountQuery), "countQuery")

/** The operations of the {@link CaseIndex} port: what an adapter implements and a caller may use. */
export interface CaseIndexShape {
  /** One page of matching entries in case-id order. */
  readonly query: (
    query: Query
  ) => Effect.Effect<Page, StorageError.StorageUnavailable | StorageError.CorruptedRecord | Input.InvalidInput>
  /** Grouped counts. */
  readonly count: (
    query: CountQuery
  ) => Effect.Effect<
    ReadonlyArray<CountRow>,
    StorageError.StorageUnavailable | StorageError.CorruptedRecord | Input.InvalidInput
  >
  /** The entry of one case. */
  readonly get: (
    caseId: CaseModel.CaseId
  ) => Effect.Effect<Entry, StorageError.NotFound | StorageError.StorageUnavailable | StorageError.CorruptedRecord>
}

/** The port: query the index. Writing happens with the events (see `EventStore.append`). */
export class CaseIndex extends Context.Service<CaseIndex, CaseIndexShape>()("@lindung/core/CaseIndex") {}
