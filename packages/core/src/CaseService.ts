/**
 * The case service: the one door every transport (HTTP, NATS, the CLI) goes through. Each method takes the actor
 * first, asks `Access` — and nothing else — whether the actor may do it, and only then touches the storage ports;
 * the transport decodes, calls the service and encodes. The directory (agencies and people, see `Directory`) is
 * read afresh on every call, so a reload or a deactivated person takes effect at once.
 *
 * - **Cases.** `register` records a report: without a subject id it mints a new, unguessable one; naming an
 *   existing subject needs a case through which the actor may read that subject's identity, and an unknown or
 *   unreachable subject gets one answer, {@link SubjectNotFound}. `execute` decides any other command, with an
 *   idempotency key (namespaced per actor) and, optionally, the version the caller saw (then never retried).
 * - **Reads.** `view`, `history`, `list`, `counts` and `workload`; `findByNik` looks for a child who may already
 *   have a case, among the cases whose identity the actor may read. A case the actor may not read answers exactly
 *   as a case that does not exist (`CaseNotFound`), so existence cannot be probed.
 * - **Identity.** An identity belongs to the cases that hold its subject. `readIdentity`, `replaceIdentity` and
 *   `eraseIdentity` take a declared purpose; every access is recorded in the vault's access trail (which holds no
 *   identity) before it happens. Replacing or erasing needs the right on every case that holds the subject.
 *   Erasure (UU 27/2022) leaves the history.
 *
 * @example
 * ```ts
 * import { CaseService } from "@lindung/core"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const cases = yield* CaseService.CaseService
 *   const registered = yield* cases.register(intakeOfficer, report, { identity, idempotencyKey: "r-1" })
 *   const view = yield* cases.view(kasi, registered.caseId)
 *   const { identity: read } = yield* cases.readIdentity(kasi, registered.caseId, "assessment")
 * })
 * // provide CaseService.layer(), a Directory layer and the storage ports (EventStore, CaseIndex, IdentityVault, ExportLog)
 * ```
 *
 * @since 0.1.0
 */
import { Clock, Context, DateTime, Effect, Layer, Option, Redacted, Result, Schema, Stream } from "effect"
import * as Access from "./Access.js"
import type * as Actor from "./Actor.js"
import type * as Agency from "./Agency.js"
import type * as Basis from "./Basis.js"
import * as Case from "./Case.js"
import * as CaseCommand from "./CaseCommand.js"
import * as CaseEvent from "./CaseEvent.js"
import * as CaseExport from "./CaseExport.js"
import * as CaseIndex from "./CaseIndex.js"
import * as CaseModel from "./CaseModel.js"
import * as CaseRepository from "./CaseRepository.js"
import * as Decider from "./Decider.js"
import * as DinasType from "./DinasType.js"
import * as Directory from "./Directory.js"
import * as EventStore from "./EventStore.js"
import * as ExportLog from "./ExportLog.js"
import * as IdentityVault from "./IdentityVault.js"
import * as Input from "./Input.js"
import * as Integrity from "./Integrity.js"
import { today } from "./internal/decide/facts.js"
import { actionOf } from "./internal/decide/table.js"
import { notShown } from "./internal/show.js"
import { traced } from "./internal/traced.js"
import * as Person from "./Person.js"
import * as Policy from "./Policy.js"
import * as Sop from "./Sop.js"
import * as SopError from "./SopError.js"
import * as StorageError from "./StorageError.js"
import type * as Subject from "./Subject.js"
import * as Telemetry from "./Telemetry.js"

// ---------------------------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------------------------

/**
 * The subject a report names does not exist, or the actor cannot reach it through any case: one answer for both,
 * so subject ids cannot be probed.
 */
export class SubjectNotFound extends Schema.TaggedError<SubjectNotFound>()("SubjectNotFound", {
  subject: Schema.String
}) {
  override get message(): string {
    return `Subject ${this.subject} not found`
  }
}

/**
 * A report of an import was refused, so nothing of the import was written: which report (its place in the call and
 * its case) and the refusal itself, with its rule and basis where it has them.
 */
export class ImportRefused extends Schema.TaggedError<ImportRefused>()("ImportRefused", {
  index: Schema.Number,
  caseId: Schema.String,
  reason: Schema.Union([
    SopError.SopViolation,
    SopError.Forbidden,
    SopError.CaseNotFound,
    SopError.CaseAlreadyExists,
    Input.InvalidInput,
    StorageError.IdempotencyKeyReused
  ])
}) {
  override get message(): string {
    return `Report ${this.index + 1} (case ${this.caseId}) was refused, and nothing was imported: ${this.reason.message}`
  }
}

/** No agency with this id is in the directory. */
export class AgencyNotFound extends Schema.TaggedError<AgencyNotFound>()("AgencyNotFound", {
  agency: Schema.String
}) {
  override get message(): string {
    return `No agency ${this.agency} is in the directory`
  }
}

/** Why an import refuses a report whose subject has a case (found before the write, or by the write's claim). */
const SUBJECT_HAS_A_CASE = "the subject already has a case: link it through register instead"

/** What reading storage can fail with. */
export type ReadError = StorageError.StorageUnavailable | StorageError.CorruptedRecord

/**
 * What a command can fail with: the repository's errors, except `SubjectHeld`, which the service answers itself
 * (a registration decides again; an import refuses the report).
 */
export type ExecuteError = Exclude<CaseRepository.ExecuteError, StorageError.SubjectHeld>

/** What registering a report can fail with. */
export type RegisterError = ExecuteError | SubjectNotFound

/** What an import can fail with: a refused report, or storage (nothing is written either way). */
export type ImportError = ImportRefused | SopError.Forbidden | Input.InvalidInput | ReadError

/** What reading one case can fail with (an unreadable case is `CaseNotFound`). */
export type CaseReadError = SopError.CaseNotFound | SopError.Forbidden | ReadError

/** What an identity operation can fail with. */
export type IdentityError = CaseReadError | StorageError.NotFound | StorageError.IdentityErased

/** What a list or count can fail with. */
export type ListError = SopError.Forbidden | ReadError | Input.InvalidInput

// ---------------------------------------------------------------------------------------------------------------
// Requests and results
// ---------------------------------------------------------------------------------------------------------------

type RegisterReport = Extract<CaseCommand.Command, { readonly _tag: "RegisterReport" }>

/** A report as a caller sends it: the fields of `RegisterReport`, with the subject id optional. */
export type Report = Omit<RegisterReport, "_tag" | "subject"> & {
  readonly subject?: Subject.SubjectId
}

/** How a report is registered. */
export interface RegisterOptions {
  /** The identity of the subject, stored in the vault (never in an event). */
  readonly identity?: Subject.Identity
  /** A retry with the same key returns the first result (and the same minted subject id). */
  readonly idempotencyKey?: string
  /**
   * A bulk migration (`lindung import`, the demo loader): the report may bring its own id for a subject that does
   * not exist yet (checked as `import-subject`). Transports for day-to-day work never set it.
   */
  readonly migration?: boolean
}

/** How a command is executed. */
export interface ExecuteOptions {
  /** A retry with the same key (and the same command) returns the first result; keys are per actor. */
  readonly idempotencyKey?: string
  /** The version the caller saw: a case at another version fails with `VersionConflict`, never retried. */
  readonly expectedVersion?: number
}

/** One report of an import: a new subject's id is given (an import brings its own), and an optional key. */
export interface ImportItem {
  readonly report: Report & { readonly subject: Subject.SubjectId }
  /** A re-run of the import with the same key (per actor, as for `register`) is answered from the first result. */
  readonly idempotencyKey?: string
}

/** What an import wrote for one report, or, for a key used before, what the first import wrote. */
export interface ImportResult {
  readonly caseId: CaseModel.CaseId
  readonly subject: Subject.SubjectId
  /** The case's version after its registration. */
  readonly version: number
  readonly replayed: boolean
}

/** The result of a command or a registration. */
export interface Outcome {
  readonly state: Case.Case
  readonly events: ReadonlyArray<CaseEvent.Envelope>
  /** Whether this was a retry answered from the first result. */
  readonly replayed: boolean
}

/** A case's identity as the actor may read it. */
export interface IdentityRead {
  readonly caseId: CaseModel.CaseId
  readonly subject: Subject.SubjectId
  readonly identity: Subject.Identity
}

/** A list request: index filters, the region and owner to limit to, a page size and a cursor. */
export interface ListRequest extends Access.ListRequest {
  readonly filter?: Omit<CaseIndex.Filter, "region" | "owner">
  readonly limit: number
  readonly after?: string
}

/** A page of a list and the scope it was limited to. */
export interface ListResult {
  /** The entries as the case service shows them (no `wakeAt`: `CaseIndex.shown`). */
  readonly entries: ReadonlyArray<CaseIndex.ShownEntry>
  readonly next?: string
  readonly scope: Access.ListScope
}

/** A count request: index filters, the region and owner to limit to, and the dimensions. */
export interface CountRequest extends Access.ListRequest {
  readonly filter?: Omit<CaseIndex.Filter, "region" | "owner">
  readonly by: CaseIndex.CountQuery["by"]
  readonly regionDepth?: CaseIndex.CountQuery["regionDepth"]
}

/** Counts and the scope they were limited to. */
export interface CountResult {
  readonly rows: ReadonlyArray<CaseIndex.CountRow>
  readonly scope: Access.ListScope
}

/** What {@link CaseServiceShape.refreshDue} did. */
export interface DueRefreshReport {
  /** The cases looked at: every case in the index. */
  readonly cases: number
  /** The cases whose due instants were rewritten. */
  readonly written: number
  /** The cases that moved on meanwhile (their latest append wrote their instants). */
  readonly moved: number
  /** The cases that could not be read or written (logged by id and error kind; run the refresh again). */
  readonly failed: number
  /** Whether every page of the index was read (false: a page could not be, and the cases after it were not reached). */
  readonly complete: boolean
}

/** An export: its manifest (lawful basis, purpose, scope) and the pseudonymous entries, read page by page. */
export interface Export {
  readonly manifest: CaseExport.Manifest
  readonly entries: Stream.Stream<CaseIndex.ExportedEntry, ReadError | Input.InvalidInput>
}

/** The workload of an agency: its open cases, and its caseload when the number of caseworkers is known. */
export interface Workload {
  readonly agency: Agency.Agency
  readonly activeCases: number
  readonly type?: (typeof DinasType.types)[number]
  readonly basis: ReadonlyArray<Basis.Basis>
  readonly caseworkers?: number
  readonly caseload?: DinasType.Caseload
}

/** The answer to a search by NIK: the matching cases, and whether the search stopped at its limit. */
export interface SubjectSearch {
  readonly matches: ReadonlyArray<{ readonly caseId: CaseModel.CaseId; readonly subject: Subject.SubjectId }>
  /** True when more cases were in reach than `searchLimit`: the search looked at the first ones only. */
  readonly truncated: boolean
}

/**
 * The most cases a search by NIK examines: a Lindung default (each examined identity is decrypted inside the
 * service). A deployment with larger agencies raises it, or adds a keyed index of NIKs to its vault.
 */
export const DEFAULT_SEARCH_LIMIT = 5_000

/** How many index entries an export reads at a time. */
const EXPORT_PAGE = 500

/** How the service decides. */
export interface Config {
  /** The policies (deadlines, SPPA numbers…), given once. Default `Policy.defaults`. */
  readonly policy?: Policy.Policy
  /** How many times a command is decided again after a version conflict. Default 5. */
  readonly maxAttempts?: number
  /** Caseworkers per agency id, for workloads; default: the agency's active caseworkers in the directory. */
  readonly caseworkers?: Readonly<Record<string, number>>
  /** The most cases a search by NIK examines. Default {@link DEFAULT_SEARCH_LIMIT}. */
  readonly searchLimit?: number
  /** Mints subject ids. Default {@link mintSubjectId}: 128 random bits. */
  readonly mintSubjectId?: () => Subject.SubjectId
  /**
   * How many cases the service keeps replayed in memory (least recently used first out), each with the version it was
   * replayed at: a read of a case whose index still shows that version skips loading and replaying its history.
   * Default {@link DEFAULT_REPLAY_CACHE_SIZE}; 0 turns it off.
   */
  readonly replayCacheSize?: number
  /**
   * How long a person `staleAssignments` found with no assignment to end is not looked up again under the same
   * directory, in milliseconds (besides a reload, or an assignment made through this service). Default
   * {@link DEFAULT_STALE_RECHECK_MS}: catches what other servers assigned on a directory they had not reloaded yet.
   */
  readonly staleRecheckMs?: number
}

/** The default {@link Config.replayCacheSize}: a Lindung default for one process, not policy. */
export const DEFAULT_REPLAY_CACHE_SIZE = 1_000

/** The default {@link Config.staleRecheckMs}: one hour, a Lindung default for one process, not policy. */
export const DEFAULT_STALE_RECHECK_MS = 3_600_000

/** A new, unguessable subject id: `subj-` and 128 random bits from the platform's CSPRNG, in hex. */
export const mintSubjectId = (): Subject.SubjectId => {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return `subj-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("")}` as Subject.SubjectId
}

/** The operations of the {@link CaseService} port: what an adapter implements and a caller may use. */
export interface CaseServiceShape {
  /**
   * Registers a report; mints a subject id when the report names none. A report of a new subject (minted, or brought
   * by a migration) takes it in the case's first append: of two registrations of one new subject at once, one takes
   * it and the other is decided again as if it had come second (a link, or the refusal of one).
   */
  readonly register: (
    actor: Actor.Actor,
    report: Report,
    options?: RegisterOptions
  ) => Effect.Effect<Outcome, RegisterError | IdentityError>
  /**
   * Imports reports of new subjects (a migration from another system; `lindung import`) as one atomic write: each
   * report is checked as `register` checks a migration — the actor's `import-subject` right over the report's
   * region and owner, a subject with no case and no identity yet, and every rule of the decider — and then all are
   * written with one `EventStore.appendAll`, or none (`ImportRefused` names the first refused report). A report
   * whose key was used before is answered from its record. From 1 to `EventStore.MAX_APPEND_ALL` reports, each of
   * its own case and subject. Identities are not taken here: store them afterwards with `replaceIdentity`, on the
   * access trail.
   *
   * @example
   * ```ts
   * const results = yield* cases.importReports(officer, lines.map((report, i) => ({ report, idempotencyKey: `imp-${i}` })))
   * ```
   */
  readonly importReports: (
    actor: Actor.Actor,
    items: ReadonlyArray<ImportItem>
  ) => Effect.Effect<ReadonlyArray<ImportResult>, ImportError>
  /**
   * The checks `importReports` makes, without writing anything: each refused report's `ImportRefused`, in order
   * (empty when nothing the actor may know of refuses the import). A subject's cases and a case id are looked up only
   * for reports the actor may import and the decider accepts, as `importReports` does; since a dry run leaves no
   * record, it refuses a taken case id or subject only when the actor's own agency holds it (one taken elsewhere is
   * found by `importReports`, as `register` finds it). For a tool that lists every problem of a file before
   * importing it (`lindung import`).
   */
  readonly checkImport: (
    actor: Actor.Actor,
    items: ReadonlyArray<ImportItem>
  ) => Effect.Effect<ReadonlyArray<ImportRefused>, Exclude<ImportError, ImportRefused>>
  /** Decides and stores any command but `RegisterReport`. */
  readonly execute: (
    actor: Actor.Actor,
    command: CaseCommand.Command,
    options?: ExecuteOptions
  ) => Effect.Effect<Outcome, ExecuteError>
  /** What the actor may see of a case. */
  readonly view: (actor: Actor.Actor, caseId: CaseModel.CaseId) => Effect.Effect<Access.View, CaseReadError>
  /** The event history of a case. */
  readonly history: (
    actor: Actor.Actor,
    caseId: CaseModel.CaseId
  ) => Effect.Effect<ReadonlyArray<CaseEvent.Envelope>, CaseReadError>
  /** The identity of a case's subject, for a declared purpose (recorded). */
  readonly readIdentity: (
    actor: Actor.Actor,
    caseId: CaseModel.CaseId,
    purpose: IdentityVault.DeclaredPurpose
  ) => Effect.Effect<IdentityRead, IdentityError>
  /**
   * Replaces the identity of a case's subject (for every case that holds it), for a declared purpose (recorded;
   * default `identity-correction`, what a replacement is for unless the caller says otherwise).
   */
  readonly replaceIdentity: (
    actor: Actor.Actor,
    caseId: CaseModel.CaseId,
    identity: Subject.Identity,
    purpose?: IdentityVault.DeclaredPurpose
  ) => Effect.Effect<void, IdentityError>
  /**
   * Erases the identity of a case's subject for good (UU 27/2022); the history remains. For a declared purpose
   * (recorded; default `data-subject-request`, the data subject's right to erasure).
   */
  readonly eraseIdentity: (
    actor: Actor.Actor,
    caseId: CaseModel.CaseId,
    purpose?: IdentityVault.DeclaredPurpose
  ) => Effect.Effect<void, IdentityError>
  /** One page of the cases the actor may read (or, for the scheduler, of the cases with deadlines). */
  readonly list: (
    actor: Actor.Actor,
    request: ListRequest,
    action?: Access.ListAction
  ) => Effect.Effect<ListResult, ListError>
  /**
   * An export of the cases the actor may export (`Access.listScope` with `export`: supervisors, heads of a dinas
   * and auditors), on the lawful basis and for the purpose of `request`, which its manifest records. The entries
   * are pseudonymous index entries, read a page at a time as the stream is consumed; each run of the stream records
   * the manifest in the `ExportLog` before its first entry.
   */
  readonly exportCases: (actor: Actor.Actor, request: CaseExport.Request) => Effect.Effect<Export, ListError>
  /**
   * Grouped counts of the cases the actor may read (or, for the scheduler with `list-due`, of the cases with
   * deadlines: the overdue cases it reports).
   */
  readonly counts: (
    actor: Actor.Actor,
    request: CountRequest,
    action?: "list" | "list-due"
  ) => Effect.Effect<CountResult, ListError>
  /**
   * Brings every case's due instants in the index (`nextDueAt`, `wakeAt`) up to the service's policy, a page at a
   * time (`EventStore.refreshDue` of `CaseRepository.dueOf`). Run it after the deadline policy changes — until then a shortened deadline is
   * escalated only at the instant the entry still holds — and once after migrating from a release whose entries held
   * other instants. The system actor's alone (`Access.listScope` with `refresh-due`); the answer is counts only.
   */
  readonly refreshDue: (actor: Actor.Actor) => Effect.Effect<DueRefreshReport, ListError>
  /**
   * The open cases assigned to a person the directory lists but no longer lets the owning agency assign (left it,
   * made inactive, given another role: `Person.assignable`), for the scheduler to `Tick` (which ends those
   * assignments, SOP-07). The system actor's alone (`Access.listScope` with `release-assignments`). The directory's
   * people are looked up in the index one at a time; a person found with none is not looked up again until the
   * directory is reloaded, an assignment of theirs is made through this service, or `staleRecheckMs` has passed, so
   * that the scheduler's passes cost little while nothing changes. A person removed from the directory altogether is
   * left assigned (a directory that lost people by mistake must not strip cases of their workers): mark people
   * inactive instead.
   */
  readonly staleAssignments: (actor: Actor.Actor) => Effect.Effect<ReadonlyArray<CaseModel.CaseId>, ListError>
  /** The workload of an agency. */
  readonly workload: (
    actor: Actor.Actor,
    agency: Agency.AgencyId,
    options?: { readonly caseworkers?: number }
  ) => Effect.Effect<Workload, AgencyNotFound | SopError.Forbidden | ListError>
  /**
   * The cases of the actor's own agency (a caseworker's: those it is assigned to) whose subject has this NIK, among
   * those whose identity the actor may read: a search for a child who may already have a case. Only matches are
   * disclosed (case and subject ids, never the identity), and each is recorded on the access trail with the
   * purpose; identities the actor cannot reach are never examined.
   */
  readonly findByNik: (
    actor: Actor.Actor,
    nik: string,
    purpose?: IdentityVault.DeclaredPurpose
  ) => Effect.Effect<SubjectSearch, ListError | StorageError.StorageUnavailable | StorageError.CorruptedRecord>
}

/** The service, as an Effect service: its operations are those of {@link CaseServiceShape}. */
export class CaseService extends Context.Service<CaseService, CaseServiceShape>()("@lindung/core/CaseService") {}

// ---------------------------------------------------------------------------------------------------------------
// Implementation
// ---------------------------------------------------------------------------------------------------------------

const openStages = Sop.stages.filter(Sop.isOpen)

const notFound = (caseId: string) => new SopError.CaseNotFound({ caseId })

/**
 * Whether an actor reaches a case: may read it, or take the action of `command` on it. To an actor who does not
 * reach it, a refusal or a version conflict answers as a case that does not exist.
 */
const reaches = (
  actor: Actor.Actor,
  command: CaseCommand.Command,
  state: Case.Case,
  agencies: Agency.Directory
): boolean => {
  const context = { agencies }
  return Access.can(actor, "read", state, context) || Access.can(actor, actionOf(command, state, actor), state, context)
}

/** The stored form of an actor's idempotency key (a checked one): see `keyOf`. */
const keyDigest = (actor: Actor.Actor, key: string): string =>
  `idem-${Integrity.sha256(Integrity.canonicalJson([actor.id, key]))}`

/** How many reads an import makes at once (a pool's connections serve them in parallel; SQLite one by one). */
const IMPORT_READS = 16

/** The fingerprint of a registration as the caller sent it: a minted subject id is not part of it. */
const registrationPrint = (
  command: RegisterReport,
  actor: Actor.Actor,
  minted: boolean,
  withIdentity: boolean
): string => {
  const encoded = Schema.encodeSync(CaseCommand.Command)(command) as Record<string, unknown>
  const { subject, ...rest } = encoded
  return Integrity.sha256(
    Integrity.canonicalJson({ command: rest, subject: minted ? null : subject, actor: actor.id, withIdentity })
  )
}

/** Builds the service over the storage ports and the directory. */
export const make = (config: Config = {}) =>
  Effect.gen(function* () {
    // Every call of a storage port runs in a span of its own (`EventStore.load`, `IdentityVault.get`, …).
    const store = traced("EventStore", yield* EventStore.EventStore)
    const index = traced("CaseIndex", yield* CaseIndex.CaseIndex)
    const exportLog = traced("ExportLog", yield* ExportLog.ExportLog)
    const vault = traced("IdentityVault", yield* IdentityVault.IdentityVault)
    const directory = yield* Directory.Directory
    const policy = config.policy ?? Policy.defaults
    const mint = config.mintSubjectId ?? mintSubjectId
    const repository = yield* CaseRepository.make({
      agencies: new Map(),
      policy,
      ...(config.maxAttempts === undefined ? {} : { maxAttempts: config.maxAttempts })
    })

    /**
     * Idempotency keys are per actor: the stored key is a digest of the actor and the caller's key (which must be a
     * valid id), so two actors' equal keys never collide and the stored key stays within the id schema.
     */
    const keyOf = (
      actor: Actor.Actor,
      key: string | undefined
    ): Effect.Effect<string | undefined, Input.InvalidInput> => {
      if (key === undefined) return Effect.succeed(undefined)
      const checked = EventStore.checkIdempotencyKey(key)
      return Result.isFailure(checked) ? Effect.fail(checked.failure) : Effect.succeed(keyDigest(actor, key))
    }

    // Cases replayed by this service, by id, in least-recently-used order (a Map keeps insertion order). An entry is
    // used only while the index shows the same version written at the same instant: a write by anyone — this process
    // or another — moves the index's version in the same transaction as the events. Damage to stored rows after a
    // case was replayed shows in `verify`, not in reads of the replay; a restored database calls for a restart.
    const configuredSize = config.replayCacheSize ?? DEFAULT_REPLAY_CACHE_SIZE
    const staleRecheckMs = config.staleRecheckMs ?? DEFAULT_STALE_RECHECK_MS
    if (!Number.isSafeInteger(configuredSize) || configuredSize < 0) {
      return yield* Effect.die(new Error(`replayCacheSize must be a whole number, 0 or more: ${configuredSize}`))
    }
    const replayCacheSize = configuredSize
    const replayed = new Map<
      string,
      { readonly events: ReadonlyArray<CaseEvent.Envelope>; readonly state: Case.State }
    >()
    const remember = (
      caseId: CaseModel.CaseId,
      value: { readonly events: ReadonlyArray<CaseEvent.Envelope>; readonly state: Case.State }
    ) => {
      if (replayCacheSize <= 0 || value.state._tag !== "Case") return
      replayed.delete(caseId)
      if (replayed.size >= replayCacheSize) {
        const oldest = replayed.keys().next()
        if (oldest.done !== true) replayed.delete(oldest.value)
      }
      replayed.set(caseId, value)
    }

    /** The events and state of a case. */
    const loadCase = Effect.fn("CaseService.loadCase")(function* (caseId: CaseModel.CaseId) {
      const cached = replayed.get(caseId)
      if (cached !== undefined) {
        // An index entry that cannot be read sends the read to the events, as without the cache.
        const current = yield* index
          .get(caseId)
          .pipe(Effect.catchTags({ NotFound: () => Effect.void, CorruptedRecord: () => Effect.void }))
        // The same version updated at the same instant: the history this process replayed (a restore that rewrote
        // the case up to the same version carries other instants). The instant is the state's `updatedAt` (an event
        // whose moment is personal, such as a child's 18th birthday, does not move it).
        if (
          current !== undefined &&
          current.version === cached.state.version &&
          cached.state._tag === "Case" &&
          DateTime.Equivalence(current.updatedAt, cached.state.updatedAt)
        ) {
          remember(caseId, cached)
          return cached
        }
      }
      const events = yield* store.load(caseId)
      const state = yield* Effect.try({
        try: () => Case.fold(events),
        catch: (cause) =>
          new StorageError.CorruptedRecord({
            location: `case ${caseId}`,
            detail: `the history does not replay: ${cause instanceof Error ? cause.message : String(cause)}`
          })
      })
      const loaded = { events, state }
      remember(caseId, loaded)
      return loaded
    })

    /**
     * A case the actor may take `action` on. A case that does not exist, or that the actor may not even read,
     * answers `CaseNotFound`; a readable case where the action is not allowed answers `Forbidden`.
     */
    const caseFor = Effect.fn("CaseService.caseFor")(function* (
      actor: Actor.Actor,
      caseId: CaseModel.CaseId,
      action: Access.CaseAction,
      context: Access.Context
    ) {
      const loaded = yield* loadCase(caseId)
      const { state } = loaded
      if (state._tag === "Empty") return yield* notFound(caseId)
      const allowed = Access.authorize(actor, action, state, context)
      if (Result.isSuccess(allowed)) return { ...loaded, state }
      if (action !== "read" && Access.can(actor, "read", state, context)) return yield* allowed.failure
      return yield* notFound(caseId)
    })

    /** Every case that holds a subject. */
    const holdersOf = Effect.fn("CaseService.holdersOf")(function* (subject: Subject.SubjectId) {
      const holders: Array<Case.Case> = []
      let after: string | undefined
      do {
        const page = yield* index
          .query({
            filter: { subject },
            limit: CaseIndex.MAX_PAGE,
            ...(after === undefined ? {} : { after })
          })
          .pipe(Effect.catchTag("InvalidInput", (error) => Effect.die(error)))
        for (const entry of page.entries) {
          const { state } = yield* loadCase(entry.caseId)
          if (state._tag === "Case" && state.subject.id === subject) holders.push(state)
        }
        after = page.next
      } while (after !== undefined)
      return holders
    })

    const record = Effect.fn("CaseService.record")(function* (
      actor: Actor.Actor,
      through: { readonly id: CaseModel.CaseId; readonly subject: Subject.SubjectId | Case.SubjectRecord },
      operation: IdentityVault.Operation,
      purpose: IdentityVault.Purpose
    ) {
      const at = yield* DateTime.now
      yield* vault.record({
        subject: typeof through.subject === "string" ? through.subject : through.subject.id,
        caseId: through.id,
        actor: actor.id,
        role: actor.role,
        agency: actor.agency,
        operation,
        purpose,
        at
      })
    })

    /** Whether the vault holds an identity (or the tombstone of an erased one) for a subject. */
    const hasIdentity = (subject: Subject.SubjectId) =>
      vault
        .get(subject)
        .pipe(
          Effect.as(true),
          Effect.catchTags({ NotFound: () => Effect.succeed(false), IdentityErased: () => Effect.succeed(true) })
        )

    /**
     * The directory in force, once the actor is found in it exactly as given (id, role, office and bidang, agency,
     * region): a transport cannot hand the service an actor the directory does not know, or a person who left.
     */
    const current = Effect.fn("CaseService.current")(function* (actor: Actor.Actor) {
      const snapshot = yield* directory.current
      const known = Directory.actor(snapshot, actor.id, actor.agency)
      if (
        known === undefined ||
        known.role !== actor.role ||
        known.position !== actor.position ||
        known.bidang !== actor.bidang ||
        known.region !== actor.region
      ) {
        return yield* SopError.forbidden(
          "act",
          "the actor is not an active person of the directory, or not as the directory describes it"
        )
      }
      return snapshot
    })

    const subjectAllowed = (
      actor: Actor.Actor,
      action: Access.SubjectAction,
      subject: Subject.SubjectId,
      holders: ReadonlyArray<Case.State>,
      context: Access.Context
    ): Effect.Effect<void, SubjectNotFound | SopError.Forbidden> => {
      const allowed = Access.authorizeSubject(actor, action, holders, context)
      if (Result.isSuccess(allowed)) return Effect.void
      return allowed.failure._tag === "SubjectNotFound"
        ? Effect.fail(new SubjectNotFound({ subject }))
        : Effect.fail(allowed.failure)
    }

    /** Replacing the identity the holders share needs the right on every one of them. */
    const replaceAllowed = (
      actor: Actor.Actor,
      subject: Subject.SubjectId,
      holders: ReadonlyArray<Case.State>,
      context: Access.Context
    ) =>
      subjectAllowed(actor, "replace-identity", subject, holders, context).pipe(
        Effect.catchTag("SubjectNotFound", () =>
          Effect.fail(
            SopError.forbidden("replace-identity", "the subject already has an identity that the actor may not replace")
          )
        )
      )

    const asCase = (outcome: CaseRepository.Outcome, caseId: string): Effect.Effect<Outcome> =>
      outcome.state._tag === "Case"
        ? Effect.succeed({ state: outcome.state, events: outcome.events, replayed: outcome.replayed })
        : Effect.die(new Error(`case ${caseId} is empty after a command`))

    /**
     * One attempt at a registration. A report of a new subject (minted, or brought by a migration) claims it in the
     * case's first append: if another registration took it after the checks here, nothing is written
     * (`SubjectHeld`) and `register` decides once more, now seeing the other's case — as if it had come first.
     */
    const registerOnce = Effect.fn("CaseService.registerOnce")(function* (
      actor: Actor.Actor,
      report: Report,
      options: RegisterOptions
    ) {
      const snapshot = yield* current(actor)
      const context: Access.Context = { agencies: snapshot.agencies }
      const key = yield* keyOf(actor, options.idempotencyKey)
      // One instant for the checks below and the registration itself: they cannot disagree about the report.
      const now = yield* DateTime.now
      const minted = report.subject === undefined
      const command: RegisterReport = { ...report, _tag: "RegisterReport", subject: report.subject ?? mint() }
      const print = registrationPrint(command, actor, minted, options.identity !== undefined)
      // A retry of a registration that already happened is answered by the repository from its record: the
      // subject checks below belong to the first attempt.
      const retry = key === undefined ? false : Option.isSome(yield* store.idempotency(key))
      let linked: ReadonlyArray<Case.Case> = []
      if (!minted && !retry) {
        linked = yield* holdersOf(command.subject)
        if (linked.length > 0) {
          yield* subjectAllowed(actor, "link-subject", command.subject, linked, context)
        } else if (options.migration === true) {
          const allowed = Access.authorize(actor, "import-subject", Case.initialState, {
            registering: { region: command.region, owner: command.owner }
          })
          if (Result.isFailure(allowed)) return yield* allowed.failure
          // A migration brings new subjects only: an identity (or an erased one) without a case is not taken over.
          if (yield* hasIdentity(command.subject)) {
            return yield* SopError.forbidden(
              "import-subject",
              "the subject id already has an identity, or an erased one, without a case: choose another id"
            )
          }
        } else {
          return yield* new SubjectNotFound({ subject: command.subject })
        }
      }
      if (linked.length > 0) {
        // Checked before anything is written: a linked report's identity replaces the shared one, which needs the
        // right on every case that holds the subject — the new case included, decided here on its first state.
        if (options.identity !== undefined) {
          const decided = Decider.decide(Case.initialState, command, {
            now,
            actor,
            agencies: snapshot.agencies,
            people: snapshot.people,
            policy
          })
          if (Result.isFailure(decided)) return yield* SopError.fromRejection(decided.failure)
          yield* replaceAllowed(actor, command.subject, [...linked, Case.fold(decided.success)], context)
        }
        // The link is recorded before it happens; a registration that then fails leaves a trail entry, never a gap.
        // A case id the decider refuses as no pseudonym (a NIK in it) is refused first: it never reaches the trail.
        const idProblem = CaseModel.pseudonymProblem(command.caseId)
        if (idProblem !== undefined) return yield* Input.invalid("caseId", notShown, idProblem)
        yield* record(actor, { id: command.caseId, subject: command.subject }, "link", "registration")
      }
      const outcome = yield* repository
        .execute(command, actor, {
          directory: snapshot,
          now,
          newSubject: linked.length === 0,
          ...(key === undefined ? {} : { idempotencyKey: key, fingerprint: print })
        })
        .pipe(
          Effect.catchTag("IdempotencyKeyReused", (error) =>
            Effect.fail(
              new StorageError.IdempotencyKeyReused({ key: options.idempotencyKey ?? "", caseId: error.caseId })
            )
          ),
          Effect.flatMap((result) => asCase(result, command.caseId))
        )
      // A retry is answered from the record, with the state its first attempt left (the repository's replay).
      const state = outcome.state
      if (options.identity !== undefined) {
        const existing = yield* hasIdentity(state.subject.id)
        // A replayed registration never stores an identity again (an erased one stays erased).
        if (outcome.replayed && existing) return outcome
        if (outcome.replayed) {
          // The first attempt registered but stored no identity: store it now — only for an actor who still reads the
          // case as it is now (after a transfer, the intake officer who registered it may not), and under the rule of a
          // shared identity.
          const now = yield* loadCase(command.caseId)
          if (now.state._tag !== "Case" || !Access.can(actor, "read", now.state, context)) {
            return yield* notFound(command.caseId)
          }
          const holders = yield* holdersOf(state.subject.id)
          if (holders.length > 1) yield* replaceAllowed(actor, state.subject.id, holders, context)
        }
        yield* record(actor, state, existing || linked.length > 0 ? "replace" : "store", "registration")
        yield* vault.put(state.subject.id, options.identity)
      }
      return outcome
    })

    const register = Effect.fn("CaseService.register")(
      function* (actor: Actor.Actor, report: Report, options: RegisterOptions = {}) {
        return yield* registerOnce(actor, report, options).pipe(
          Effect.catchTag("SubjectHeld", () =>
            registerOnce(actor, report, options).pipe(
              // Taken again between two attempts: the caller is told to choose another id, never left waiting.
              Effect.catchTag("SubjectHeld", () =>
                Effect.fail(
                  SopError.forbidden(
                    options.migration === true ? "import-subject" : "register",
                    "another registration took the subject id at the same moment"
                  )
                )
              )
            )
          )
        )
      },
      (effect) => Effect.onExit(effect, (exit) => Telemetry.countCommand("RegisterReport", Telemetry.outcomeOf(exit)))
    )

    /**
     * Every check of an import, without writing: each report's refusal (all of them, in order), and for the reports
     * accepted, what to append or the earlier import's answer. A report is checked as `register` checks one: its
     * values and the decision first, and only a valid report learns whether its case id or subject is taken (a probe
     * needs a valid report, which the import writes whenever they are free). A dry run (`checkImport`) writes nothing,
     * so it tells only what the actor's own agency holds: a case id or a subject taken elsewhere is found by the import.
     */
    const planImport = Effect.fn("CaseService.planImport")(function* (
      actor: Actor.Actor,
      items: ReadonlyArray<ImportItem>,
      dryRun: boolean
    ) {
      if (items.length === 0 || items.length > EventStore.MAX_APPEND_ALL) {
        return yield* Input.invalid(
          "reports",
          items.length,
          `an import takes 1 to ${EventStore.MAX_APPEND_ALL} reports`
        )
      }
      const snapshot = yield* current(actor)
      // One instant for every report of the import, as for one registration.
      const now = yield* DateTime.now
      const refused = (index: number, reason: ImportRefused["reason"]) =>
        new ImportRefused({ index, caseId: (items[index] as ImportItem).report.caseId, reason })
      // First what needs no storage, for every report: a repeated case, subject or key, the key, access, the
      // decision.
      const cases = new Set<string>()
      const subjects = new Set<string>()
      const keys = new Set<string>()
      const planned = items.map(({ report, idempotencyKey }) => {
        const twice = cases.has(report.caseId)
          ? ("caseId" as const)
          : subjects.has(report.subject)
            ? ("subject" as const)
            : idempotencyKey !== undefined && keys.has(idempotencyKey)
              ? ("idempotencyKey" as const)
              : undefined
        cases.add(report.caseId)
        subjects.add(report.subject)
        if (idempotencyKey !== undefined) keys.add(idempotencyKey)
        const command: RegisterReport = { ...report, _tag: "RegisterReport" }
        return {
          report,
          command,
          twice,
          key: idempotencyKey === undefined ? undefined : EventStore.checkIdempotencyKey(idempotencyKey),
          print: registrationPrint(command, actor, false, false),
          allowed: Access.authorize(actor, "import-subject", Case.initialState, {
            registering: { region: report.region, owner: report.owner }
          }),
          decided: Decider.decide(Case.initialState, command, {
            now,
            actor,
            agencies: snapshot.agencies,
            people: snapshot.people,
            policy
          })
        }
      })
      const keyOfItem = (item: (typeof planned)[number]) =>
        item.key === undefined || Result.isFailure(item.key) ? undefined : keyDigest(actor, item.key.success)
      // Then the reads, several at once: the keys' records, and for each report that is not a replay, whether its
      // subject has a case or an identity already, and whether its case id is taken.
      const earlier = yield* Effect.forEach(
        planned,
        (item) => {
          const key = item.twice === undefined ? keyOfItem(item) : undefined
          return key === undefined ? Effect.succeed(Option.none()) : store.idempotency(key)
        },
        { concurrency: IMPORT_READS }
      )
      // Ids are looked up only when every report of the import passes the checks that need no storage: a refusal of
      // one report must not tell whether another's ids are taken (the import writes nothing then, and records nothing).
      const lookUp = planned.every(
        (item) =>
          item.twice === undefined &&
          (item.key === undefined || Result.isSuccess(item.key)) &&
          Result.isSuccess(item.allowed) &&
          Result.isSuccess(item.decided)
      )
      const taken = yield* Effect.forEach(
        planned,
        (item, at) =>
          !lookUp ||
          item.twice !== undefined ||
          Option.isSome(earlier[at] ?? Option.none()) ||
          Result.isFailure(item.allowed) ||
          Result.isFailure(item.decided)
            ? Effect.succeed({ holder: undefined, identity: false, owner: undefined })
            : Effect.all(
                {
                  // The owner of a case that holds the subject, and of the case with the report's id, if any.
                  holder: Effect.map(
                    index
                      .query({ filter: { subject: item.report.subject }, limit: 1 })
                      .pipe(Effect.catchTag("InvalidInput", (error) => Effect.die(error))),
                    (page): Agency.AgencyId | undefined => page.entries[0]?.owner
                  ),
                  identity: hasIdentity(item.report.subject),
                  owner: index.get(item.report.caseId).pipe(
                    Effect.map((entry): Agency.AgencyId | undefined => entry.owner),
                    Effect.catchTag("NotFound", () => Effect.succeed(undefined))
                  )
                },
                { concurrency: 3 }
              ),
        { concurrency: IMPORT_READS }
      )
      // Each report in order, its checks in the order `register` makes them; each report's first refusal is kept.
      const refusals: Array<ImportRefused> = []
      const results: Array<ImportResult | undefined> = []
      const requests: Array<{ readonly index: number; readonly request: EventStore.AppendRequest }> = []
      const refusalOf = (index: number, item: (typeof planned)[number]): ImportRefused["reason"] | undefined => {
        const { report, twice } = item
        const { subject, caseId } = report
        if (twice !== undefined) {
          const reason = "appears twice in the import: one case per new subject, one key per report"
          return twice === "idempotencyKey"
            ? new Input.InvalidInput({ field: twice, value: "(not shown)", reason })
            : Input.invalid(twice, twice === "caseId" ? caseId : subject, reason)
        }
        if (item.key !== undefined && Result.isFailure(item.key)) return item.key.failure
        // A key used before: the first import's answer (its checks belong to the first attempt).
        const found = earlier[index] ?? Option.none()
        if (Option.isSome(found)) {
          return found.value.fingerprint !== item.print || found.value.caseId !== caseId
            ? new StorageError.IdempotencyKeyReused({
                key: items[index]?.idempotencyKey ?? "",
                caseId: found.value.caseId
              })
            : undefined
        }
        if (Result.isFailure(item.allowed)) return item.allowed.failure
        if (Result.isFailure(item.decided)) return SopError.fromRejection(item.decided.failure)
        // What is taken; in a dry run only what the actor's own agency holds (see above).
        const shown = (owner: Agency.AgencyId | undefined) => owner !== undefined && (!dryRun || owner === actor.agency)
        if (shown(taken[index]?.holder)) return SopError.forbidden("import-subject", SUBJECT_HAS_A_CASE)
        if (!dryRun && taken[index]?.identity === true) {
          return SopError.forbidden(
            "import-subject",
            "the subject id already has an identity, or an erased one, without a case: choose another id"
          )
        }
        if (shown(taken[index]?.owner)) return new SopError.CaseAlreadyExists({ caseId })
        return undefined
      }
      for (const [index, item] of planned.entries()) {
        const reason = refusalOf(index, item)
        if (reason !== undefined) {
          refusals.push(refused(index, reason))
          continue
        }
        const { caseId, subject } = item.report
        const found = earlier[index] ?? Option.none()
        if (Option.isSome(found)) {
          results.push({ caseId, subject, version: found.value.toVersion, replayed: true })
          continue
        }
        if (Result.isFailure(item.decided)) return yield* Effect.die(new Error("a refused report was planned"))
        const next = Case.fold(item.decided.success)
        if (next._tag !== "Case") return yield* Effect.die(new Error("a registered case cannot be empty"))
        const key = keyOfItem(item)
        results.push(undefined)
        requests.push({
          index,
          request: {
            caseId,
            expectedVersion: 0,
            events: item.decided.success,
            index: CaseIndex.project(next, policy),
            newSubject: true,
            ...(key === undefined ? {} : { idempotency: { key, fingerprint: item.print } })
          }
        })
      }
      return { refusals, results, requests, refused }
    })

    const checkImport = Effect.fn("CaseService.checkImport")(function* (
      actor: Actor.Actor,
      items: ReadonlyArray<ImportItem>
    ) {
      const { refusals } = yield* planImport(actor, items, true)
      return refusals
    })

    const importReports = Effect.fn("CaseService.importReports")(function* (
      actor: Actor.Actor,
      items: ReadonlyArray<ImportItem>
    ) {
      const { refusals, results, requests, refused } = yield* planImport(actor, items, false)
      // The first refusal refuses the import: nothing is written.
      const first = refusals[0]
      if (first !== undefined) return yield* first
      if (requests.length > 0) {
        // Case ids and keys are unique in the call: a store's refusal names exactly one report.
        const reportOf = (matches: (request: EventStore.AppendRequest) => boolean) => {
          const found = requests.find(({ request }) => matches(request))
          return found === undefined
            ? Effect.die(new Error("the store refused a request the import did not send"))
            : Effect.succeed(found.index)
        }
        const written = yield* store.appendAll(requests.map(({ request }) => request)).pipe(
          Effect.catchTags({
            // Another writer registered the case or its subject, or used the key, after the checks above.
            SubjectHeld: (error) =>
              Effect.flatMap(
                reportOf((request) => request.caseId === error.caseId),
                (at) => Effect.fail(refused(at, SopError.forbidden("import-subject", SUBJECT_HAS_A_CASE)))
              ),
            VersionConflict: (error) =>
              Effect.flatMap(
                reportOf((request) => request.caseId === error.caseId),
                (at) => Effect.fail(refused(at, new SopError.CaseAlreadyExists({ caseId: error.caseId })))
              ),
            IdempotencyKeyReused: (error) =>
              Effect.flatMap(
                reportOf((request) => request.idempotency?.key === error.key),
                (at) =>
                  Effect.fail(
                    refused(
                      at,
                      new StorageError.IdempotencyKeyReused({
                        key: items[at]?.idempotencyKey ?? "",
                        caseId: error.caseId
                      })
                    )
                  )
              )
          })
        )
        for (const [i, { index, request }] of requests.entries()) {
          const result = written[i] as EventStore.AppendResult
          results[index] = {
            caseId: request.caseId,
            subject: (items[index] as ImportItem).report.subject,
            version: result.toVersion,
            replayed: result.replayed
          }
        }
      }
      return results as ReadonlyArray<ImportResult>
    })

    /** The error itself for an actor who may read or act on the case; `CaseNotFound` for anyone else. */
    const hideUnreachable =
      (actor: Actor.Actor, command: CaseCommand.Command, agencies: Agency.Directory) =>
      <E extends SopError.Forbidden | StorageError.VersionConflict>(
        error: E
      ): Effect.Effect<never, E | SopError.CaseNotFound | ReadError> =>
        Effect.flatMap(loadCase(command.caseId), ({ state }) =>
          Effect.fail(
            state._tag === "Case" && reaches(actor, command, state, agencies) ? error : notFound(command.caseId)
          )
        )

    /**
     * After a `Tick` that found nothing to record: the scheduler woke the case by an instant the policy does not give
     * (any more) — the policy changed, or an older release wrote the entry — or another scheduler recorded it first.
     * Brings the entry up to the policy, so that the case is not woken again for nothing. Always through the store,
     * which compares what it holds (an SQL row's columns as well as its entry: migration 7 left rows whose `wake_at`
     * column and entry disagree) and writes only when they differ. Rare: a case is woken only when something is due.
     */
    const healDue = Effect.fn("CaseService.healDue")(
      function* (state: Case.Case) {
        yield* store.refreshDue(CaseRepository.dueOf(state, policy))
      },
      (effect, state) =>
        // Best effort: the Tick decided nothing, and a failure here leaves the entry for the next pass (or the sweep).
        Effect.catch(effect, (error) =>
          Effect.logWarning("a Tick could not bring its case's due instants up to the policy").pipe(
            Effect.annotateLogs({ caseId: state.id, error: error._tag })
          )
        )
    )

    const execute = Effect.fn("CaseService.execute")(
      function* (actor: Actor.Actor, command: CaseCommand.Command, options: ExecuteOptions = {}) {
        if (command._tag === "RegisterReport") {
          return yield* Input.invalid("command", command._tag, "a report is registered with register, not execute")
        }
        const snapshot = yield* current(actor)
        const key = yield* keyOf(actor, options.idempotencyKey)
        const outcome = yield* repository
          .execute(command, actor, {
            directory: snapshot,
            ...(key === undefined ? {} : { idempotencyKey: key }),
            ...(options.expectedVersion === undefined ? {} : { expectedVersion: options.expectedVersion })
          })
          .pipe(
            // A case the actor may neither read nor act on answers as one that does not exist — also when the answer
            // would be a version conflict (which would tell its version).
            Effect.catchTags({
              Forbidden: hideUnreachable(actor, command, snapshot.agencies),
              VersionConflict: hideUnreachable(actor, command, snapshot.agencies),
              // Only a registration claims a subject, and registrations do not come this way.
              SubjectHeld: (error) => Effect.die(error),
              // The caller's key, not the digest it is stored under.
              IdempotencyKeyReused: (error) =>
                Effect.fail(
                  new StorageError.IdempotencyKeyReused({ key: options.idempotencyKey ?? "", caseId: error.caseId })
                )
            })
          )
        if (command._tag === "Tick" && outcome.events.length === 0 && outcome.state._tag === "Case") {
          yield* healDue(outcome.state)
        }
        // An assignment written after `staleAssignments` cleared its person (decided on an older directory, or a
        // reopened case's earlier assignments): that person is looked up again.
        if (command._tag === "AssignCaseworker") lookAgain([command.caseworker])
        if (command._tag === "ReopenCase" && outcome.state._tag === "Case") lookAgain(outcome.state.assigned)
        // A retry is answered from the record, as the first attempt was (the repository's replay): never the case as
        // it is now, which the actor may no longer reach.
        const answer = yield* asCase(outcome, command.caseId)
        // A personal moment a command recorded (a child's 18th birthday, found by a `Tick`) dates the birth: it is
        // answered only to those who may read the history, where it stays on the record for everyone else.
        return Access.can(actor, "read-history", answer.state, { agencies: snapshot.agencies })
          ? answer
          : { ...answer, events: answer.events.filter((event) => !CaseEvent.personalMoments.has(event.payload._tag)) }
      },
      (effect, _actor, command) =>
        Effect.onExit(effect, (exit) => Telemetry.countCommand(command._tag, Telemetry.outcomeOf(exit)))
    )

    const view = Effect.fn("CaseService.view")(function* (actor: Actor.Actor, caseId: CaseModel.CaseId) {
      const snapshot = yield* current(actor)
      const { state } = yield* caseFor(actor, caseId, "read", { agencies: snapshot.agencies })
      const now = yield* DateTime.now
      const viewed = Access.view(actor, state, { today: today(state.region, now), agencies: snapshot.agencies })
      return Result.isSuccess(viewed) ? viewed.success : yield* notFound(caseId)
    })

    const history = Effect.fn("CaseService.history")(function* (actor: Actor.Actor, caseId: CaseModel.CaseId) {
      const snapshot = yield* current(actor)
      const { events } = yield* caseFor(actor, caseId, "read-history", { agencies: snapshot.agencies })
      return events
    })

    const readIdentity = Effect.fn("CaseService.readIdentity")(function* (
      actor: Actor.Actor,
      caseId: CaseModel.CaseId,
      purpose: IdentityVault.DeclaredPurpose
    ) {
      const snapshot = yield* current(actor)
      const { state } = yield* caseFor(actor, caseId, "read-identity", { agencies: snapshot.agencies })
      yield* record(actor, state, "read", purpose)
      const identity = yield* vault.get(state.subject.id)
      return { caseId: state.id, subject: state.subject.id, identity }
    })

    /**
     * The case whose subject's identity the actor is about to replace or erase: allowed on this case and on every
     * other case that holds the subject (a case out of reach answers as one that does not exist). The access is
     * recorded before it happens.
     */
    const changing = Effect.fn("CaseService.changing")(function* (
      actor: Actor.Actor,
      caseId: CaseModel.CaseId,
      action: "replace-identity" | "erase-identity",
      purpose: IdentityVault.DeclaredPurpose
    ) {
      const snapshot = yield* current(actor)
      const context = { agencies: snapshot.agencies }
      const { state } = yield* caseFor(actor, caseId, action, context)
      const holders = yield* holdersOf(state.subject.id)
      yield* subjectAllowed(actor, action, state.subject.id, holders, context).pipe(
        Effect.catchTag("SubjectNotFound", () => Effect.fail(notFound(caseId)))
      )
      yield* record(actor, state, action === "replace-identity" ? "replace" : "erase", purpose)
      return state.subject.id
    })

    const replaceIdentity = Effect.fn("CaseService.replaceIdentity")(function* (
      actor: Actor.Actor,
      caseId: CaseModel.CaseId,
      identity: Subject.Identity,
      purpose: IdentityVault.DeclaredPurpose = "identity-correction"
    ) {
      const subject = yield* changing(actor, caseId, "replace-identity", purpose)
      yield* vault.put(subject, identity)
    })

    const eraseIdentity = Effect.fn("CaseService.eraseIdentity")(function* (
      actor: Actor.Actor,
      caseId: CaseModel.CaseId,
      purpose: IdentityVault.DeclaredPurpose = "data-subject-request"
    ) {
      const subject = yield* changing(actor, caseId, "erase-identity", purpose)
      yield* vault.erase(subject)
    })

    const list = Effect.fn("CaseService.list")(function* (
      actor: Actor.Actor,
      request: ListRequest,
      action: Access.ListAction = "list"
    ) {
      const snapshot = yield* current(actor)
      const scope = Access.listScope(actor, action, request, { agencies: snapshot.agencies })
      if (Result.isFailure(scope)) return yield* scope.failure
      const page = yield* index.query({
        filter: { ...request.filter, ...scope.success },
        limit: request.limit,
        ...(request.after === undefined ? {} : { after: request.after })
      })
      return { ...page, entries: page.entries.map(CaseIndex.shown), scope: scope.success }
    })

    // The people found with no assignment to end, under the directory snapshot they were looked up in, since `since`.
    let cleared: { snapshot: Directory.Snapshot; since: number; people: Set<Actor.ActorId> } | undefined
    /** A person just assigned (or assigned again by a reopening) is looked up again at the next call. */
    const lookAgain = (people: Iterable<Actor.ActorId>) => {
      if (cleared !== undefined) for (const person of people) cleared.people.delete(person)
    }
    const staleAssignments = Effect.fn("CaseService.staleAssignments")(function* (actor: Actor.Actor) {
      const snapshot = yield* current(actor)
      const scope = Access.listScope(actor, "release-assignments", {}, { agencies: snapshot.agencies })
      if (Result.isFailure(scope)) return yield* scope.failure
      const now = yield* Clock.currentTimeMillis
      if (cleared === undefined || cleared.snapshot !== snapshot || now - cleared.since >= staleRecheckMs) {
        cleared = { snapshot, since: now, people: new Set() }
      }
      const done = cleared.people
      const found = new Set<CaseModel.CaseId>()
      for (const person of snapshot.people.keys()) {
        if (done.has(person)) continue
        let stale = false
        let after: string | undefined
        do {
          const page = yield* index.query({
            filter: { assignee: person, stages: openStages, ...scope.success },
            limit: CaseIndex.MAX_PAGE,
            ...(after === undefined ? {} : { after })
          })
          for (const entry of page.entries) {
            if (!Person.assignable(snapshot.people, person, entry.owner)) {
              found.add(entry.caseId)
              stale = true
            }
          }
          after = page.next
        } while (after !== undefined)
        // Looked up again at the next call while it has assignments to end (their Tick may fail, or be outrun).
        if (!stale) done.add(person)
      }
      return [...found]
    })

    const exportCases = Effect.fn("CaseService.exportCases")(function* (
      actor: Actor.Actor,
      request: CaseExport.Request
    ) {
      const snapshot = yield* current(actor)
      const scope = Access.listScope(actor, "export", request, { agencies: snapshot.agencies })
      if (Result.isFailure(scope)) return yield* scope.failure
      const manifest = CaseExport.manifest(actor, request, scope.success, yield* DateTime.now)
      const pages = Stream.paginate(undefined as string | undefined, (after) =>
        index
          .query({ filter: scope.success, limit: EXPORT_PAGE, ...(after === undefined ? {} : { after }) })
          .pipe(
            Effect.map((page) => [page.entries.map(CaseIndex.exported), Option.fromUndefinedOr(page.next)] as const)
          )
      )
      // Every run of the stream is a disclosure: its manifest is on the record before any entry leaves the system.
      const entries = Stream.unwrap(Effect.as(exportLog.record(manifest), pages))
      return { manifest, entries } satisfies Export
    })

    const counts = Effect.fn("CaseService.counts")(function* (
      actor: Actor.Actor,
      request: CountRequest,
      action: "list" | "list-due" = "list"
    ) {
      const snapshot = yield* current(actor)
      const scope = Access.listScope(actor, action, request, { agencies: snapshot.agencies })
      if (Result.isFailure(scope)) return yield* scope.failure
      const rows = yield* index.count({
        filter: { ...request.filter, ...scope.success },
        by: request.by,
        ...(request.regionDepth === undefined ? {} : { regionDepth: request.regionDepth })
      })
      return { rows, scope: scope.success }
    })

    const refreshDue = Effect.fn("CaseService.refreshDue")(function* (actor: Actor.Actor) {
      const snapshot = yield* current(actor)
      const scope = Access.listScope(actor, "refresh-due", {}, { agencies: snapshot.agencies })
      if (Result.isFailure(scope)) return yield* scope.failure
      const report = { cases: 0, written: 0, moved: 0, failed: 0 }
      /** One case: loaded, projected, written when it differs (`moved` when the case moved on meanwhile). */
      const refreshOne = (caseId: CaseModel.CaseId) =>
        Effect.flatMap(repository.load(caseId), (state) =>
          state._tag === "Case"
            ? store.refreshDue(CaseRepository.dueOf(state, policy))
            : Effect.succeed<EventStore.RefreshOutcome>("missing")
        )
      let after: string | undefined
      do {
        const page = yield* index
          .query({ filter: scope.success, limit: CaseIndex.MAX_PAGE, ...(after === undefined ? {} : { after }) })
          .pipe(
            // A page that cannot be read (an outage, an entry that does not decode) ends the sweep with what it did
            // so far: the cases after it are not reached (logged by kind only: the detail may quote stored data).
            Effect.catch((error) =>
              Effect.as(
                Effect.logWarning("refresh-due: a page of the index could not be read; the sweep stops").pipe(
                  Effect.annotateLogs({ after: after ?? "(start)", error: error._tag })
                ),
                undefined
              )
            )
          )
        if (page === undefined) return { ...report, complete: false } satisfies DueRefreshReport
        for (const entry of page.entries) {
          report.cases++
          // A case that cannot be read or written is counted and logged (its id and the error's kind, never its
          // data); the sweep goes on, and a later run refreshes it.
          const outcome = yield* refreshOne(entry.caseId).pipe(
            Effect.catch((error) =>
              Effect.as(
                Effect.logWarning("refresh-due: a case could not be refreshed; run it again").pipe(
                  Effect.annotateLogs({ caseId: entry.caseId, error: error._tag })
                ),
                "failed" as const
              )
            )
          )
          if (outcome === "written") report.written++
          else if (outcome === "moved") report.moved++
          else if (outcome === "failed") report.failed++
        }
        after = page.next
      } while (after !== undefined)
      return { ...report, complete: true } satisfies DueRefreshReport
    })

    const workload = Effect.fn("CaseService.workload")(function* (
      actor: Actor.Actor,
      agencyId: Agency.AgencyId,
      options: { readonly caseworkers?: number } = {}
    ) {
      const snapshot = yield* current(actor)
      const agency = snapshot.agencies.get(agencyId)
      if (agency === undefined) return yield* new AgencyNotFound({ agency: agencyId })
      const scope = Access.authorizeAgency(actor, "read-workload", agency, { agencies: snapshot.agencies })
      if (Result.isFailure(scope)) return yield* scope.failure
      const rows = yield* index.count({
        filter: { ...scope.success, owner: agency.id, stages: openStages },
        by: ["owner"]
      })
      const activeCases = rows.reduce((sum, row) => sum + row.count, 0)
      const listed = [...snapshot.people.values()]
        .flat()
        .filter(
          (person) => person.agency === agency.id && Person.isActive(person) && person.role === "caseworker"
        ).length
      const caseworkers = options.caseworkers ?? config.caseworkers?.[agency.id] ?? (listed > 0 ? listed : undefined)
      const type = DinasType.types.find((t) => t.code === agency.dinasType)
      const basis = [DinasType.caseloadPolicyBasis, ...(type === undefined ? [] : [type.basis])]
      const base: Workload = { agency, activeCases, basis, ...(type === undefined ? {} : { type }) }
      if (caseworkers === undefined) return base
      const caseload = DinasType.caseload({ activeCases, caseworkers }, policy.caseload)
      if (Result.isFailure(caseload)) {
        return caseload.failure._tag === "InvalidInput"
          ? yield* caseload.failure
          : yield* Effect.die(new Error(`caseload policy: ${caseload.failure.message}`))
      }
      return { ...base, caseworkers, caseload: caseload.success }
    })

    const findByNik = Effect.fn("CaseService.findByNik")(function* (
      actor: Actor.Actor,
      nik: string,
      purpose: IdentityVault.DeclaredPurpose = "duplicate-check"
    ) {
      const snapshot = yield* current(actor)
      const context = { agencies: snapshot.agencies }
      // Identities are read through the actor's own agency's cases: the search looks there (a caseworker's, only at
      // the cases it is assigned to), not at every case the actor may read without identity.
      const scope = Access.listScope(actor, "list", { owner: actor.agency }, context)
      if (Result.isFailure(scope)) return yield* scope.failure
      const filter = actor.role === "caseworker" ? { ...scope.success, assignee: actor.id } : scope.success
      const limit = config.searchLimit ?? DEFAULT_SEARCH_LIMIT
      const matches: Array<{ readonly caseId: CaseModel.CaseId; readonly subject: Subject.SubjectId }> = []
      let examined = 0
      let after: string | undefined
      do {
        const page = yield* index.query({
          filter,
          limit: CaseIndex.MAX_PAGE,
          ...(after === undefined ? {} : { after })
        })
        for (const entry of page.entries) {
          if (examined >= limit) return { matches, truncated: true }
          examined++
          const { state } = yield* loadCase(entry.caseId)
          if (state._tag !== "Case" || !Access.can(actor, "read-identity", state, context)) continue
          const identity = yield* vault
            .get(state.subject.id)
            .pipe(Effect.catchTags({ NotFound: () => Effect.void, IdentityErased: () => Effect.void }))
          if (identity?.nik === undefined || Redacted.value(identity.nik) !== nik) continue
          yield* record(actor, state, "read", purpose)
          matches.push({ caseId: state.id, subject: state.subject.id })
        }
        after = page.next
      } while (after !== undefined)
      return { matches, truncated: false }
    })

    return CaseService.of({
      findByNik,
      register,
      importReports,
      checkImport,
      execute,
      view,
      history,
      readIdentity,
      replaceIdentity,
      eraseIdentity,
      list,
      exportCases,
      counts,
      refreshDue,
      staleAssignments,
      workload
    })
  })

/** The service as a layer over the storage ports and a `Directory`. */
export const layer = (config: Config = {}) => Layer.effect(CaseService, make(config))
