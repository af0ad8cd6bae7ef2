/**
 * The in-memory store: the reference model of the five storage ports of `@lindung/core` — `EventStore`,
 * `CaseIndex`, `IdentityVault`, `Checkpoints` and `ExportLog` — and what unit tests of other packages use. It is built on the
 * pure reference functions of the core (`CaseIndex.page`, `CaseIndex.count`, `CaseIndex.matches` for the read
 * side, `Integrity.link` and `Integrity.check` for the integrity chain, `EventStore.checkRequest` for requests), so
 * every other adapter is checked against exactly these semantics by `@lindung/storage-testkit`.
 *
 * Events are kept the way a database keeps them: as the JSON text of `CaseEvent.encode(event)` with its global
 * position and its two hashes, and decoded with `CaseEvent.decodeEnvelope` on every read, so a stored row that no
 * longer decodes is reported as a typed `CorruptedRecord`, never a crash. Identities are held apart from events
 * (in memory, not encrypted: this store never persists anything) and erasure drops them for good. The identity
 * access trail is kept per subject in the order it was recorded (as the encoded JSON of each `AccessRecord`, decoded
 * on every read); it holds no identity, and erasing an identity leaves it untouched.
 *
 * Atomicity: every operation runs as one synchronous critical section (`Effect.suspend` over plain code with no
 * effect boundary inside). JavaScript runs one fiber at a time and fibers only switch at effect boundaries, so an
 * append checks the expected version and writes its events, index entry and idempotency key with no other fiber in
 * between: of concurrent appends to one case at the same version, exactly one wins.
 *
 * Each `make` (and each build of `layer`) is a fresh, empty store. The {@link Testing} service (provided by
 * {@link layerTesting}) damages stored rows on purpose and simulates an outage, for conformance tests and for tests
 * of code that must survive a broken store.
 *
 * @example
 * ```ts
 * import { MemoryStore } from "@lindung/storage-memory"
 * import { EventStore } from "@lindung/core"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const store = yield* EventStore.EventStore
 *   return yield* store.load(caseId)
 * })
 * Effect.runPromise(program.pipe(Effect.provide(MemoryStore.layer)))
 * ```
 *
 * @since 0.1.0
 */
import {
  CaseEvent,
  CaseExport,
  CaseIndex,
  Checkpoints,
  EventStore,
  ExportLog,
  IdentityVault,
  Input,
  Integrity,
  StorageError,
  type Subject
} from "@lindung/core"
import { Context, Effect, Layer, Option, Result, Schema } from "effect"

/** The five storage ports, as one type: what every storage adapter layer provides. */
export type Ports =
  | EventStore.EventStore
  | CaseIndex.CaseIndex
  | IdentityVault.IdentityVault
  | Checkpoints.Checkpoints
  | ExportLog.ExportLog

/** The test hooks of the memory store: damage on purpose, and outages. */
export class Testing extends Context.Service<
  Testing,
  {
    /**
     * Rewrites the stored JSON of one event with `mutate` and keeps its stored hashes, as an attacker editing a row
     * would: `verify` must then report a break at that version.
     */
    readonly tamper: (
      caseId: string,
      version: number,
      mutate: (encoded: CaseEvent.Encoded) => unknown
    ) => Effect.Effect<void, StorageError.NotFound>
    /** Replaces the stored text of one event with `raw` (e.g. `"{not json"`), keeping its hashes. */
    readonly corrupt: (caseId: string, version: number, raw: string) => Effect.Effect<void, StorageError.NotFound>
    /** Switches an outage on or off: while on, every port operation fails with a retryable `StorageUnavailable`. */
    readonly outage: (down: boolean) => Effect.Effect<void>
  }
>()("@lindung/storage-memory/Testing") {}

/** The services of one memory store, built by {@link make}. */
export interface Memory {
  readonly eventStore: Context.Service.Shape<typeof EventStore.EventStore>
  readonly caseIndex: Context.Service.Shape<typeof CaseIndex.CaseIndex>
  readonly identityVault: Context.Service.Shape<typeof IdentityVault.IdentityVault>
  readonly checkpoints: Context.Service.Shape<typeof Checkpoints.Checkpoints>
  readonly exportLog: Context.Service.Shape<typeof ExportLog.ExportLog>
  readonly testing: Context.Service.Shape<typeof Testing>
  /** The five ports as a context, ready for `Effect.provide`. */
  readonly context: Context.Context<Ports>
}

/** One stored event, as a database row would hold it. */
interface Row {
  readonly position: number
  readonly caseId: string
  readonly version: number
  /** The JSON text of `CaseEvent.encode(event)`. */
  text: string
  readonly previousHash: string
  readonly hash: string
}

interface KeyRecord extends EventStore.IdempotencyRecord {
  /** The position of the last event of the first append, returned again on a replay. */
  readonly lastPosition: number
}

type Slot = { readonly _tag: "Stored"; readonly identity: Subject.Identity } | { readonly _tag: "Erased" }

interface State {
  nextPosition: number
  down: boolean
  /** Every event in commit order. */
  readonly log: Array<Row>
  readonly cases: Map<string, Array<Row>>
  readonly index: Map<string, CaseIndex.Entry>
  readonly keys: Map<string, KeyRecord>
  readonly identities: Map<string, Slot>
  /** The identity access trail of each subject, in recording order, as encoded records. */
  readonly accesses: Map<string, Array<typeof IdentityVault.AccessRecord.Encoded>>
  readonly checkpoints: Map<string, number>
  /** The manifests of exports, in recording order, as encoded records. */
  readonly exports: Array<typeof CaseExport.Manifest.Encoded>
}

const message = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause))

const location = (caseId: string, version: number): string => `case ${caseId} version ${version}`

/** Decodes a stored row: JSON text, then `CaseEvent.decodeEnvelope` (with upcasting). */
const decodeRow = (row: Row): Result.Result<CaseEvent.Envelope, StorageError.CorruptedRecord> =>
  Result.try({
    try: () => CaseEvent.decodeEnvelope(JSON.parse(row.text)),
    catch: (cause) =>
      new StorageError.CorruptedRecord({ location: location(row.caseId, row.version), detail: message(cause) })
  })

const decodeRows = <A>(
  rows: ReadonlyArray<Row>,
  f: (row: Row, event: CaseEvent.Envelope) => A
): Result.Result<ReadonlyArray<A>, StorageError.CorruptedRecord> => {
  const out: Array<A> = []
  for (const row of rows) {
    const decoded = decodeRow(row)
    if (Result.isFailure(decoded)) return Result.fail(decoded.failure)
    out.push(f(row, decoded.success))
  }
  return Result.succeed(out)
}

/** The first break of one case's stored chain: an undecodable row, or what `Integrity.check` finds before it. */
const chainBreak = (rows: ReadonlyArray<Row>): EventStore.VerifyReport["firstBreak"] => {
  const links: Array<Integrity.ChainLink> = []
  for (const row of rows) {
    let encoded: unknown
    try {
      encoded = JSON.parse(row.text)
      CaseEvent.decodeEnvelope(encoded)
    } catch {
      return Integrity.check(links) ?? { caseId: row.caseId, version: row.version, reason: "undecodable" as const }
    }
    links.push({ caseId: row.caseId, version: row.version, encoded, previousHash: row.previousHash, hash: row.hash })
  }
  return Integrity.check(links)
}

/** The index of the first row with a position greater than `position` (rows are in position order). */
const firstAfter = (log: ReadonlyArray<Row>, position: number): number => {
  let low = 0
  let high = log.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if ((log[middle] as Row).position > position) high = middle
    else low = middle + 1
  }
  return low
}

const copyEntry = (entry: CaseIndex.Entry): CaseIndex.Entry =>
  Schema.decodeSync(CaseIndex.Entry)(Schema.encodeSync(CaseIndex.Entry)(entry))

const copyIdentity = (identity: Subject.Identity): Subject.Identity => ({
  ...identity,
  familyNames: [...identity.familyNames]
})

const decodeAccess = Schema.decodeUnknownResult(IdentityVault.AccessRecord)

/**
 * Encodes an access record before anything is stored. A value that is not an `AccessRecord` (only possible by
 * defeating the types) is a defect of the caller: the trail never takes a record it could not read back.
 */
const encodeAccess = (access: IdentityVault.AccessRecord): Effect.Effect<typeof IdentityVault.AccessRecord.Encoded> =>
  Effect.suspend(() => {
    const encoded = Schema.encodeResult(IdentityVault.AccessRecord)(access)
    return Result.isSuccess(encoded)
      ? Effect.succeed(encoded.success)
      : Effect.die(new Error(`IdentityVault.record: not an access record: ${encoded.failure.message}`))
  })

/** Builds a fresh, empty memory store. */
export const make: Effect.Effect<Memory> = Effect.sync(() => {
  const state: State = {
    nextPosition: 1,
    down: false,
    log: [],
    cases: new Map(),
    index: new Map(),
    keys: new Map(),
    identities: new Map(),
    accesses: new Map(),
    checkpoints: new Map(),
    exports: []
  }

  /** One operation as one synchronous critical section; fails while an outage is on. */
  const atomic = <A, E>(
    operation: string,
    body: () => Result.Result<A, E>
  ): Effect.Effect<A, E | StorageError.StorageUnavailable> =>
    Effect.suspend(
      (): Effect.Effect<A, E | StorageError.StorageUnavailable> =>
        state.down
          ? Effect.fail(
              new StorageError.StorageUnavailable({
                operation,
                detail: "the memory store is in a simulated outage (MemoryStore.Testing.outage)",
                retryable: true
              })
            )
          : Effect.fromResult(body())
    )

  const rowsOf = (caseId: string): ReadonlyArray<Row> => state.cases.get(caseId) ?? []

  /** One append, inside an `atomic` section; the request has passed `EventStore.checkRequest`. */
  const appendChecked = (
    request: EventStore.AppendRequest
  ): Result.Result<
    EventStore.AppendResult,
    StorageError.VersionConflict | StorageError.SubjectHeld | StorageError.IdempotencyKeyReused | Input.InvalidInput
  > => {
    const idempotency = request.idempotency
    if (idempotency !== undefined) {
      const earlier = state.keys.get(idempotency.key)
      if (earlier !== undefined) {
        if (earlier.fingerprint !== idempotency.fingerprint || earlier.caseId !== request.caseId) {
          return Result.fail(new StorageError.IdempotencyKeyReused({ key: idempotency.key, caseId: earlier.caseId }))
        }
        return Result.succeed({
          caseId: earlier.caseId,
          fromVersion: earlier.fromVersion,
          toVersion: earlier.toVersion,
          lastPosition: earlier.lastPosition,
          replayed: true
        })
      }
    }
    const rows = rowsOf(request.caseId)
    const actualVersion = rows.at(-1)?.version ?? 0
    if (actualVersion !== request.expectedVersion) {
      return Result.fail(
        new StorageError.VersionConflict({
          caseId: request.caseId,
          expectedVersion: request.expectedVersion,
          actualVersion
        })
      )
    }
    // Encode everything before writing anything: a request that does not encode writes nothing.
    const prepared = Result.try({
      try: () => ({ events: request.events.map(CaseEvent.encode), entry: copyEntry(request.index) }),
      catch: (cause) => Input.invalid("events", request.caseId, `the request does not encode: ${message(cause)}`)
    })
    if (Result.isFailure(prepared)) return Result.fail(prepared.failure)
    // A new subject is one no case holds yet (the request's own case is new, so it holds nothing).
    if (request.newSubject === true) {
      for (const entry of state.index.values()) {
        if (entry.subject === request.index.subject) {
          return Result.fail(new StorageError.SubjectHeld({ caseId: request.caseId }))
        }
      }
    }
    const written: Array<Row> = []
    let previousHash = rows.at(-1)?.hash ?? Integrity.GENESIS
    for (const [i, encoded] of prepared.success.events.entries()) {
      const hash = Integrity.link(previousHash, encoded)
      written.push({
        position: state.nextPosition + i,
        caseId: request.caseId,
        version: request.expectedVersion + i + 1,
        text: JSON.stringify(encoded),
        previousHash,
        hash
      })
      previousHash = hash
    }
    const last = written.at(-1) as Row
    state.nextPosition = last.position + 1
    state.log.push(...written)
    state.cases.set(request.caseId, [...rows, ...written])
    state.index.set(request.caseId, prepared.success.entry)
    const fromVersion = request.expectedVersion + 1
    const toVersion = last.version
    if (idempotency !== undefined) {
      state.keys.set(idempotency.key, {
        key: idempotency.key,
        fingerprint: idempotency.fingerprint,
        caseId: request.caseId,
        fromVersion,
        toVersion,
        lastPosition: last.position
      })
    }
    return Result.succeed({
      caseId: request.caseId,
      fromVersion,
      toVersion,
      lastPosition: last.position,
      replayed: false
    })
  }

  const append = (request: EventStore.AppendRequest) =>
    atomic("EventStore.append", () => {
      const checked = EventStore.checkRequest(request)
      return Result.isFailure(checked) ? Result.fail(checked.failure) : appendChecked(request)
    })

  /** Every request in order, or none: what an append changed is put back when a later request is refused. */
  const appendAll = (requests: ReadonlyArray<EventStore.AppendRequest>) =>
    atomic(
      "EventStore.appendAll",
      (): Result.Result<
        ReadonlyArray<EventStore.AppendResult>,
        StorageError.VersionConflict | StorageError.SubjectHeld | StorageError.IdempotencyKeyReused | Input.InvalidInput
      > => {
        const checked = EventStore.checkRequests(requests)
        if (Result.isFailure(checked)) return Result.fail(checked.failure)
        const nextPosition = state.nextPosition
        const logLength = state.log.length
        // Each touched case's rows and entry, and each key, as they were before the first request touched them.
        const cases = new Map<string, Array<Row> | undefined>()
        const entries = new Map<string, CaseIndex.Entry | undefined>()
        const keys = new Set<string>()
        const results: Array<EventStore.AppendResult> = []
        for (const request of requests) {
          if (!cases.has(request.caseId)) {
            cases.set(request.caseId, state.cases.get(request.caseId))
            entries.set(request.caseId, state.index.get(request.caseId))
          }
          const key = request.idempotency?.key
          if (key !== undefined && !state.keys.has(key)) keys.add(key)
          const result = appendChecked(request)
          if (Result.isFailure(result)) {
            state.nextPosition = nextPosition
            state.log.length = logLength
            for (const [caseId, rows] of cases) {
              if (rows === undefined) state.cases.delete(caseId)
              else state.cases.set(caseId, rows)
            }
            for (const [caseId, entry] of entries) {
              if (entry === undefined) state.index.delete(caseId)
              else state.index.set(caseId, entry)
            }
            for (const added of keys) state.keys.delete(added)
            return Result.fail(result.failure)
          }
          results.push(result.success)
        }
        return Result.succeed(results)
      }
    )

  const eventStore = EventStore.EventStore.of({
    append,
    appendAll,
    load: (caseId) => atomic("EventStore.load", () => decodeRows(rowsOf(caseId), (_, event) => event)),
    readAfter: (position, limit) =>
      atomic(
        "EventStore.readAfter",
        (): Result.Result<ReadonlyArray<EventStore.StoredEvent>, Input.InvalidInput | StorageError.CorruptedRecord> => {
          const checked = EventStore.checkRead(position, limit)
          if (Result.isFailure(checked)) return Result.fail(checked.failure)
          const start = firstAfter(state.log, position)
          const rows = state.log.slice(start, start + Math.floor(limit))
          return decodeRows(
            rows,
            (row, event): EventStore.StoredEvent => ({
              position: row.position,
              event,
              previousHash: row.previousHash,
              hash: row.hash
            })
          )
        }
      ),
    refreshDue: (refresh) =>
      atomic("EventStore.refreshDue", (): Result.Result<EventStore.RefreshOutcome, Input.InvalidInput> => {
        const checked = EventStore.checkRefresh(refresh)
        if (Result.isFailure(checked)) return Result.fail(checked.failure)
        const entry = state.index.get(refresh.caseId)
        if (entry === undefined) return Result.succeed("missing")
        if (entry.version !== refresh.version) return Result.succeed("moved")
        if (EventStore.holdsDue(entry, refresh)) return Result.succeed("unchanged")
        state.index.set(refresh.caseId, EventStore.withDue(entry, refresh))
        return Result.succeed("written")
      }),
    idempotency: (key) =>
      atomic("EventStore.idempotency", () => {
        const found = state.keys.get(key)
        return Result.succeed(
          found === undefined
            ? Option.none()
            : Option.some({
                key: found.key,
                fingerprint: found.fingerprint,
                caseId: found.caseId,
                fromVersion: found.fromVersion,
                toVersion: found.toVersion
              })
        )
      }),
    verify: (caseId) =>
      atomic("EventStore.verify", () => {
        const ids =
          caseId === undefined
            ? [...state.cases.keys()].sort(CaseIndex.compareIds)
            : state.cases.has(caseId)
              ? [caseId]
              : []
        let events = 0
        let firstBreak: EventStore.VerifyReport["firstBreak"]
        for (const id of ids) {
          const rows = rowsOf(id)
          events += rows.length
          if (firstBreak === undefined) firstBreak = chainBreak(rows)
        }
        const report: EventStore.VerifyReport =
          firstBreak === undefined ? { cases: ids.length, events } : { cases: ids.length, events, firstBreak }
        return Result.succeed(report)
      })
  })

  const caseIndex = CaseIndex.CaseIndex.of({
    query: (query) =>
      atomic("CaseIndex.query", () =>
        Result.map(CaseIndex.checkQuery(query), (checked) => CaseIndex.page(state.index.values(), checked))
      ),
    count: (query) =>
      atomic("CaseIndex.count", () =>
        Result.map(CaseIndex.checkCountQuery(query), (checked) => CaseIndex.count(state.index.values(), checked))
      ),
    get: (caseId) =>
      atomic("CaseIndex.get", () => {
        const entry = state.index.get(caseId)
        return entry === undefined
          ? Result.fail(new StorageError.NotFound({ what: "case", id: caseId }))
          : Result.succeed(entry)
      })
  })

  const identityVault = IdentityVault.IdentityVault.of({
    put: (subject, identity) =>
      atomic("IdentityVault.put", () => {
        state.identities.set(subject, { _tag: "Stored", identity: copyIdentity(identity) })
        return Result.succeed(undefined)
      }),
    get: (subject) =>
      atomic(
        "IdentityVault.get",
        (): Result.Result<Subject.Identity, StorageError.NotFound | StorageError.IdentityErased> => {
          const slot = state.identities.get(subject)
          if (slot === undefined) return Result.fail(new StorageError.NotFound({ what: "identity", id: subject }))
          if (slot._tag === "Erased") return Result.fail(new StorageError.IdentityErased({ subject }))
          return Result.succeed(copyIdentity(slot.identity))
        }
      ),
    erase: (subject) =>
      atomic("IdentityVault.erase", () => {
        if (!state.identities.has(subject)) {
          return Result.fail(new StorageError.NotFound({ what: "identity", id: subject }))
        }
        // The identity itself is dropped; only the fact that it was erased remains (and the access trail).
        state.identities.set(subject, { _tag: "Erased" })
        return Result.succeed(undefined)
      }),
    record: (access) =>
      Effect.flatMap(encodeAccess(access), (encoded) =>
        atomic("IdentityVault.record", () => {
          const trail = state.accesses.get(encoded.subject)
          if (trail === undefined) state.accesses.set(encoded.subject, [encoded])
          else trail.push(encoded)
          return Result.succeed(undefined)
        })
      ),
    accesses: (subject) =>
      atomic("IdentityVault.accesses", () => {
        const out: Array<IdentityVault.AccessRecord> = []
        for (const [index, encoded] of (state.accesses.get(subject) ?? []).entries()) {
          const decoded = decodeAccess(encoded)
          if (Result.isFailure(decoded)) {
            return Result.fail(
              new StorageError.CorruptedRecord({
                location: `identity access ${index + 1} of subject ${subject}`,
                detail: `the stored access record does not decode: ${decoded.failure.message}`
              })
            )
          }
          out.push(decoded.success)
        }
        return Result.succeed(out)
      })
  })

  const checkpoints = Checkpoints.Checkpoints.of({
    get: (name) =>
      atomic("Checkpoints.get", () =>
        // Nothing is ever stored under a name `check` refuses.
        Result.succeed(Checkpoints.nameProblem(name) !== undefined ? 0 : (state.checkpoints.get(name) ?? 0))
      ),
    set: (name, position) =>
      atomic("Checkpoints.set", () => {
        const checked = Checkpoints.check(name, position)
        if (Result.isFailure(checked)) return checked
        state.checkpoints.set(name, position)
        return Result.succeed(undefined)
      })
  })

  const exportLog = ExportLog.ExportLog.of({
    record: (manifest) =>
      atomic("ExportLog.record", () => {
        state.exports.push(Schema.encodeSync(CaseExport.Manifest)(manifest))
        return Result.succeed(undefined)
      }),
    list: (limit) =>
      atomic(
        "ExportLog.list",
        (): Result.Result<ReadonlyArray<CaseExport.Manifest>, Input.InvalidInput | StorageError.CorruptedRecord> => {
          const checked = ExportLog.checkLimit(limit)
          if (Result.isFailure(checked)) return Result.fail(checked.failure)
          const from = Math.max(0, state.exports.length - limit)
          const out: Array<CaseExport.Manifest> = []
          for (const [offset, encoded] of state.exports.slice(from).entries()) {
            const decoded = Schema.decodeUnknownResult(CaseExport.Manifest)(encoded)
            if (Result.isFailure(decoded)) {
              return Result.fail(
                new StorageError.CorruptedRecord({
                  location: `export ${from + offset + 1}`,
                  detail: `the stored manifest does not decode: ${decoded.failure.message}`
                })
              )
            }
            out.push(decoded.success)
          }
          return Result.succeed(out)
        }
      )
  })

  const rowAt = (caseId: string, version: number): Result.Result<Row, StorageError.NotFound> => {
    const row = rowsOf(caseId).find((r) => r.version === version)
    return row === undefined
      ? Result.fail(new StorageError.NotFound({ what: "case", id: location(caseId, version) }))
      : Result.succeed(row)
  }

  const testing = Testing.of({
    tamper: (caseId, version, mutate) =>
      Effect.suspend(() => {
        const row = rowAt(caseId, version)
        if (Result.isFailure(row)) return Effect.fail(row.failure)
        row.success.text = JSON.stringify(mutate(JSON.parse(row.success.text) as CaseEvent.Encoded))
        return Effect.void
      }),
    corrupt: (caseId, version, raw) =>
      Effect.suspend(() => {
        const row = rowAt(caseId, version)
        if (Result.isFailure(row)) return Effect.fail(row.failure)
        row.success.text = raw
        return Effect.void
      }),
    outage: (down) =>
      Effect.sync(() => {
        state.down = down
      })
  })

  const context = Context.make(EventStore.EventStore, eventStore).pipe(
    Context.add(CaseIndex.CaseIndex, caseIndex),
    Context.add(IdentityVault.IdentityVault, identityVault),
    Context.add(Checkpoints.Checkpoints, checkpoints),
    Context.add(ExportLog.ExportLog, exportLog)
  )

  return { eventStore, caseIndex, identityVault, checkpoints, exportLog, testing, context }
})

/** The five ports over a fresh memory store (each build of the layer is a new, empty store). */
export const layer: Layer.Layer<Ports> = Layer.effectContext(Effect.map(make, (memory) => memory.context))

/** The five ports and the {@link Testing} hooks, over one fresh memory store. */
export const layerTesting: Layer.Layer<Ports | Testing> = Layer.effectContext(
  Effect.map(make, (memory) => Context.add(memory.context, Testing, memory.testing))
)

/** Tampers with a stored event of the memory store in context (see {@link Testing}). */
export const tamper = (
  caseId: string,
  version: number,
  mutate: (encoded: CaseEvent.Encoded) => unknown
): Effect.Effect<void, StorageError.NotFound, Testing> =>
  Testing.use((testing) => testing.tamper(caseId, version, mutate))

/** Stores an undecodable text in place of a stored event of the memory store in context (see {@link Testing}). */
export const corrupt = (
  caseId: string,
  version: number,
  raw: string
): Effect.Effect<void, StorageError.NotFound, Testing> =>
  Testing.use((testing) => testing.corrupt(caseId, version, raw))

/** Switches a simulated outage of the memory store in context on or off (see {@link Testing}). */
export const outage = (down: boolean): Effect.Effect<void, never, Testing> =>
  Testing.use((testing) => testing.outage(down))
