/**
 * The conformance suite of Lindung's storage ports. Every adapter — ours (memory, SQLite, PostgreSQL) and third
 * parties' — calls {@link suite} from one of its own test files, and passes when it honours `EventStore`,
 * `CaseIndex`, `IdentityVault`, `Checkpoints` and `ExportLog` exactly as the reference model (`@lindung/storage-memory`) does:
 *
 * - example tests of every port operation on realistic cases built with the core decider (twelve seed-like cases
 *   in six provinces: NTB, Sumatera Barat, DKI Jakarta, Jawa Timur, Kalimantan Timur), including the NTB counts of
 *   seed 003, cursor pagination in a stable order, idempotency, the subject filter, erasure, the identity access
 *   trail (round trip, recording order, kept through erasure, concurrent records), checkpoints and the export log;
 * - due refreshes (`refreshDue`): only an entry's due instants change, at the case's version only, and an append
 *   racing them always has the last word;
 * - the bulk path `appendAll`: written in order as one append after another would write it, refused whole at the
 *   first request `append` would refuse, several requests of a case and replays in one call, and calls sharing
 *   cases racing while a reader tails the log (each call written whole or not at all; the reader sees nothing of
 *   a refused call, each request whole, and skips nothing);
 * - a fast-check model-based test that runs random sequences of operations against the adapter and against a fresh
 *   memory model and requires equal answers;
 * - concurrency tests: dozens of fibers appending to one case at once (exactly one wins each version, no gaps, no
 *   duplicates), and to their own cases (all win); dozens of racing retries of one idempotent request, for a new
 *   case and for an existing one (one write, and every caller answered with the write or its replay);
 * - core's case service over the adapter (its identity rules rest on the subject filter and the access trail): in
 *   random scenarios, no actor links, reads, replaces or erases an identity it cannot reach through a case; and its
 *   bulk import (on `appendAll`): written whole when access and the decider accept every report, else refused at the
 *   first, with nothing written;
 * - with the adapter's help ({@link Capabilities}): `verify` detecting a tampered row, corrupted rows reported as
 *   typed `CorruptedRecord` errors, and outages reported as `StorageUnavailable`. Without a capability, its tests
 *   are skipped, with the reason in their names.
 *
 * Every test runs against a fresh, empty store: the suite calls `makeLayer()` and builds the layer anew (with
 * `Layer.fresh`) for each test and for each run of the model-based test. An adapter makes a store fresh the way
 * that suits it: a new in-memory database, a new temporary file, a new PostgreSQL schema dropped in the layer's
 * finalizer.
 *
 * Tests run with the live clock (`it.live`), so adapters that use timers (busy timeouts, pool acquisition) behave
 * as in production.
 *
 * @example
 * ```ts
 * // test/Conformance.test.ts of an adapter package
 * import { suite } from "@lindung/storage-testkit"
 * import { MemoryStore } from "@lindung/storage-memory"
 *
 * suite("memory", () => MemoryStore.layerTesting, {
 *   tamper: MemoryStore.tamper,
 *   corrupt: MemoryStore.corrupt,
 *   outage: MemoryStore.outage(true)
 * })
 * ```
 *
 * @since 0.1.0
 */
import { describe, it } from "@effect/vitest"
import type { CaseEvent } from "@lindung/core"
import { Effect, Layer } from "effect"
import { appendAllTests } from "./internal/bulk.js"
import { corruptTests, outageTests, tamperTests } from "./internal/damage.js"
import { dueRefreshTests } from "./internal/due.js"
import {
  caseIndexTests,
  checkpointTests,
  eventStoreTests,
  exportLogTests,
  idempotencyTests,
  identityVaultTests
} from "./internal/examples.js"
import type { Kit, Ports } from "./internal/harness.js"
import { importTests } from "./internal/imports.js"
import { modelProperty } from "./internal/model.js"
import { raceTests } from "./internal/race.js"
import { schedulerTests } from "./internal/scheduler.js"
import { serviceTests } from "./internal/service.js"
import { telemetryTests } from "./internal/telemetry.js"

/** The five storage ports every adapter layer provides. */
export type { Ports } from "./internal/harness.js"
/** Runs an effect at a fixed instant (its clock reads it; sleeping stays real), as the suite's scheduler tests do. */
export { at } from "./internal/harness.js"

/**
 * What an adapter can do for the suite beyond the ports, and how hard the suite works. The hooks run inside each
 * test with the test's fresh layer provided, so they may use any service the adapter's layer outputs (`R`): the
 * memory store's `Testing` service, an `SqlClient`, …
 */
export interface Capabilities<R = never> {
  /**
   * Rewrites the stored JSON of event `version` of `caseId` with `mutate`, keeping the stored hashes (as someone
   * editing the row in place would). Enables the integrity tests of `verify`.
   */
  readonly tamper?: (
    caseId: string,
    version: number,
    mutate: (encoded: CaseEvent.Encoded) => unknown
  ) => Effect.Effect<void, unknown, R>
  /**
   * Replaces the stored form of event `version` of `caseId` with `raw` (text that may not be JSON, or JSON that is
   * not an event), keeping the stored hashes. Enables the tests of `CorruptedRecord` and of undecodable breaks.
   */
  readonly corrupt?: (caseId: string, version: number, raw: string) => Effect.Effect<void, unknown, R>
  /**
   * Makes the store unreachable for the rest of the test (close the connection, stop the pool, …). Enables the test
   * that every operation then fails with a typed `StorageUnavailable` that shows no identity.
   */
  readonly outage?: Effect.Effect<void, unknown, R>
  /** Runs of the model-based test (default 30). */
  readonly modelRuns?: number
  /** The longest operation sequence of the model-based test (default 40). */
  readonly modelSteps?: number
  /** Random scenarios of the case-service test (default 25). */
  readonly serviceRuns?: number
  /** Fibers in the concurrency tests (default 30). */
  readonly raceFibers?: number
  /** A fast-check seed, to replay a failing model-based run. */
  readonly seed?: number
  /** The timeout of the model-based and concurrency tests, in milliseconds (default 60 000). */
  readonly timeout?: number
}

/**
 * Defines the conformance suite for an adapter: call it at the top level of a vitest test file.
 *
 * - `name`: the adapter's name, shown as the outer `describe`.
 * - `makeLayer`: returns a layer over a NEW, EMPTY store each time it is called (and each time the returned layer is
 *   built). It must provide the five ports; it may provide more (services the capabilities use).
 * - `capabilities`: the optional test hooks and tuning, see {@link Capabilities}.
 */
export const suite = <R = never>(
  name: string,
  makeLayer: () => Layer.Layer<Ports | R, unknown>,
  capabilities: Capabilities<R> = {}
): void => {
  const fresh = <A, E>(body: Effect.Effect<A, E, Ports | R>): Effect.Effect<A, unknown> =>
    body.pipe(Effect.provide(Layer.fresh(makeLayer())))

  const kit: Kit<R> = {
    name,
    makeLayer,
    capabilities,
    group: describe,
    test: (title, body, timeout) => it.live(title, () => fresh(Effect.suspend(body)), timeout),
    // The adapter lacks a capability the test needs; `it.skip` reports it as skipped with the reason in its name.
    skip: (title, reason) => it.skip(`${title} — skipped: ${reason}`, () => {})
  }

  describe(`storage conformance: ${name}`, () => {
    eventStoreTests(kit)
    appendAllTests(kit)
    idempotencyTests(kit)
    dueRefreshTests(kit)
    caseIndexTests(kit)
    identityVaultTests(kit)
    checkpointTests(kit)
    exportLogTests(kit)
    tamperTests(kit)
    corruptTests(kit)
    outageTests(kit)
    raceTests(kit)
    serviceTests(kit)
    importTests(kit)
    schedulerTests(kit)
    telemetryTests(kit)
    describe("Model-based: random operation sequences agree with the memory model", () => {
      it.live(
        `${capabilities.modelRuns ?? 30} random sequences of up to ${capabilities.modelSteps ?? 40} operations`,
        () => modelProperty(kit),
        capabilities.timeout ?? 60_000
      )
    })
  })
}
