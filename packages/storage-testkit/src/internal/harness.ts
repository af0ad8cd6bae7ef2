/**
 * What every part of the suite shares: the kit handed to each group of tests (fresh stores, capabilities), JSON
 * forms that compare decoded values exactly, and small drivers (append in order, read everything).
 */
import { CaseEvent, CaseIndex, Checkpoints, EventStore, ExportLog, IdentityVault, type Subject } from "@lindung/core"
import { Clock, type Context, Effect, type Layer, Redacted, Schema } from "effect"
import type { Capabilities } from "../Suite.js"
import type { Batch } from "./fixtures.js"
import { requestOf } from "./fixtures.js"

/** The five storage ports. */
export type Ports =
  | EventStore.EventStore
  | CaseIndex.CaseIndex
  | IdentityVault.IdentityVault
  | Checkpoints.Checkpoints
  | ExportLog.ExportLog

/** What each group of tests receives from `suite`. */
export interface Kit<R> {
  readonly name: string
  /** A new layer over a fresh, empty store. */
  readonly makeLayer: () => Layer.Layer<Ports | R, unknown>
  readonly capabilities: Capabilities<R>
  /** Groups tests (a vitest `describe` in the suite). */
  readonly group: (title: string, body: () => void) => void
  /** Defines a test that runs `body` against a fresh, empty store. */
  readonly test: (title: string, body: () => Effect.Effect<unknown, unknown, Ports | R>, timeout?: number) => void
  /** Defines a skipped test, naming the missing capability. */
  readonly skip: (title: string, reason: string) => void
}

/** The services of the five ports, resolved once for a test. */
export interface Services {
  readonly store: Context.Service.Shape<typeof EventStore.EventStore>
  readonly index: Context.Service.Shape<typeof CaseIndex.CaseIndex>
  readonly vault: Context.Service.Shape<typeof IdentityVault.IdentityVault>
  readonly checkpoints: Context.Service.Shape<typeof Checkpoints.Checkpoints>
  readonly exports: Context.Service.Shape<typeof ExportLog.ExportLog>
}

/** The five services from the context. */
export const services: Effect.Effect<Services, never, Ports> = Effect.gen(function* () {
  return {
    store: yield* EventStore.EventStore,
    index: yield* CaseIndex.CaseIndex,
    vault: yield* IdentityVault.IdentityVault,
    checkpoints: yield* Checkpoints.Checkpoints,
    exports: yield* ExportLog.ExportLog
  }
})

/** The canonical JSON of an event: equal strings iff equal decoded events. */
export const eventJson = (event: CaseEvent.Envelope): string => JSON.stringify(sortKeys(CaseEvent.encode(event)))

/** The canonical JSON of an index entry. */
export const entryJson = (entry: CaseIndex.Entry): string =>
  JSON.stringify(sortKeys(Schema.encodeSync(CaseIndex.Entry)(entry)))

/** The plain values of an identity (for comparisons inside the suite only; never printed by a passing test). */
export const identityValues = (identity: Subject.Identity): Record<string, unknown> => ({
  name: Redacted.value(identity.name),
  nik: identity.nik === undefined ? null : Redacted.value(identity.nik),
  familyNames: identity.familyNames.map(Redacted.value),
  address: identity.address === undefined ? null : Redacted.value(identity.address),
  photo: identity.photo === undefined ? null : Redacted.value(identity.photo),
  school: identity.school === undefined ? null : Redacted.value(identity.school)
})

const sortKeys = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value === null || typeof value !== "object") return value
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => [k, sortKeys(v)])
  )
}

/** The tags of every error a port may fail with: `StorageError.StorageError` and `Input.InvalidInput`. */
const portErrorTags = new Set([
  "VersionConflict",
  "SubjectHeld",
  "IdempotencyKeyReused",
  "NotFound",
  "IdentityErased",
  "StorageUnavailable",
  "CorruptedRecord",
  "InvalidInput"
])

/**
 * The comparable form of a port error: its tag and fields. `CorruptedRecord.detail` and `StorageUnavailable.detail`
 * are left out (they are the adapter's own words). Anything that is not a port error — a driver's error type
 * crossing a port — throws, failing the test.
 */
export const errorJson = (error: unknown): Record<string, unknown> => {
  const tag = (error as { _tag?: unknown } | null)?._tag
  if (typeof tag !== "string" || !portErrorTags.has(tag)) {
    throw new Error(`a port failed with something that is not a port error: ${show(error)}`)
  }
  const fields: Record<string, unknown> = { ...(error as object) }
  delete fields.stack
  delete fields.cause
  if (tag === "CorruptedRecord" || tag === "StorageUnavailable") delete fields.detail
  return JSON.parse(JSON.stringify(sortKeys({ ...fields, _tag: tag }))) as Record<string, unknown>
}

const show = (error: unknown): string => {
  if (error instanceof Error) return `${error.constructor.name}: ${error.message}`
  try {
    return JSON.stringify(error)
  } catch {
    return String(error)
  }
}

/** Appends batches one after the other with `append` (each at its own expected version); fails on the first refusal. */
export const appendEach = (store: Services["store"], batches: ReadonlyArray<Batch>) =>
  Effect.forEach(batches, (batch) => store.append(requestOf(batch)))

/** Every stored event, in position order. */
export const readAll = (store: Services["store"]) => store.readAfter(0, EventStore.MAX_READ)

/** The batches of several cases interleaved round-robin (first batches of every case, then the second ones, …). */
export const interleave = (lists: ReadonlyArray<ReadonlyArray<Batch>>): ReadonlyArray<Batch> => {
  const out: Array<Batch> = []
  const longest = Math.max(0, ...lists.map((list) => list.length))
  for (let i = 0; i < longest; i++) {
    for (const list of lists) {
      const batch = list[i]
      if (batch !== undefined) out.push(batch)
    }
  }
  return out
}

/**
 * `effect` with a clock that reads `millis` — the instant a test (or a benchmark) decides a step at; sleeping and
 * monotonic time stay real, so timeouts and durations still work.
 */
export const at =
  (millis: number) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.clockWith((outer) =>
      Effect.provideService(effect, Clock.Clock, {
        currentTimeMillisUnsafe: () => millis,
        currentTimeMillis: Effect.succeed(millis),
        currentTimeNanosUnsafe: () => BigInt(millis) * 1_000_000n,
        currentTimeNanos: Effect.succeed(BigInt(millis) * 1_000_000n),
        monotonicTimeNanosUnsafe: () => outer.monotonicTimeNanosUnsafe(),
        monotonicTimeNanos: outer.monotonicTimeNanos,
        sleep: (duration) => outer.sleep(duration)
      })
    )
