/**
 * The SQL store on PostgreSQL: the conformance suite exactly as a third-party adapter runs it (a new schema for
 * every test, dropped afterwards; the outage cuts a TCP proxy in front of the server), then the checks of this
 * adapter: no plaintext identity, tampering, JSONB, readers that never skip under concurrency, migrations.
 *
 * Needs `LINDUNG_PG_URL` (e.g. `postgres://postgres@127.0.0.1:5432/test`); skipped with that hint otherwise.
 */

import * as PgClient from "@effect/sql-pg/PgClient"
import { describe, expect, it } from "@effect/vitest"
import { EventStore, IdentityVault, Subject } from "@lindung/core"
import { suite } from "@lindung/storage-testkit"
import { describeWith, postgres } from "@lindung/testing"
import { Cause, Context, Deferred, Effect, Exit, Fiber, Layer, Option, Redacted } from "effect"
import * as Reactivity from "effect/reactivity/Reactivity"
import { SqlClient } from "effect/sql"
import { IdentityKeys, Migrations, SqlStorage } from "../src/index.js"
import * as AppendPlan from "../src/internal/AppendPlan.js"
import * as PgAppend from "../src/internal/PgAppend.js"
import { decide, identity, kasi, register, registerAndAssign } from "./fixtures.js"
import { migrationFromVersion1 } from "./migrationChecks.js"
import {
  accessTrailRows,
  appendAllIsOneTransaction,
  bypassingWriterIsAConflict,
  ciphertextBoundToSubject,
  countsRebuilt,
  decodedEventsFollowTheStoredText,
  driverErrorsAreTranslated,
  erasureLeavesTombstone,
  groupCommitIsolatesAnUnencodableRequest,
  groupCommitKeepsEachAppendOwn,
  indexAgreesWithReference,
  jsonbHostileTextRoundTrips,
  keyRotation,
  noPlaintextIdentity,
  partitionsKeepEachCaseHome,
  sideRowsWrittenOnlyWhenChanged,
  staleWakeUpColumnHealed,
  tamperingInSqlIsDetected,
  unicodeTextChains,
  utf16Order
} from "./storeChecks.js"
import { adminClient, corrupt, outage, pgStore, tamper, testKeyring, uniqueSchema } from "./stores.js"

describeWith(postgres, "SQL store on PostgreSQL", (url) => {
  // Four group-commit transactions at once (the default is one): the race tests then run parallel transactions.
  suite("SQL store on PostgreSQL", () => pgStore(url, { appendWriters: 4 }), { tamper, corrupt, outage })
  // The events partitioned by home province (item 8 of issue 12): the same suite, model-based test included.
  suite("SQL store on PostgreSQL, events partitioned by province", () => pgStore(url, { partitionByProvince: true }), {
    tamper,
    corrupt,
    outage
  })

  /** A client on one schema of the server that is dropped when the scope closes. */
  const schemaClient = (schema: string) =>
    Layer.unwrap(
      Effect.gen(function* () {
        const admin = yield* adminClient(url)
        yield* Effect.addFinalizer(() => Effect.ignore(admin.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)))
        return SqlStorage.clientLayer({ dialect: "pg", url, schema, keyring: testKeyring() }).pipe(Layer.orDie)
      })
    )

  describe("checks of the PostgreSQL store", () => {
    const store = () => pgStore(url)
    it.live(
      "partitioned by province: a case's events stay in its home partition when it moves; a store converts whole",
      () =>
        partitionsKeepEachCaseHome(
          SqlStorage.layerFromClient({ keyring: testKeyring(), partitionByProvince: true })
        ).pipe(Effect.provide(store()))
    )
    it.live("rebuildCounts puts wrong counters back to what the index says", () =>
      countsRebuilt.pipe(Effect.provide(store()))
    )
    it.live("the raw identity table holds no plaintext", () =>
      Effect.asVoid(noPlaintextIdentity).pipe(Effect.provide(store()))
    )
    it.live("erasure leaves a tombstone and no ciphertext", () => erasureLeavesTombstone.pipe(Effect.provide(store())))
    it.live("a ciphertext is bound to its subject", () => ciphertextBoundToSubject.pipe(Effect.provide(store())))
    it.live("tampering a row in SQL is detected by verify", () =>
      tamperingInSqlIsDetected.pipe(Effect.provide(store()))
    )
    it.live("text outside ASCII chains to the core's hash", () => unicodeTextChains.pipe(Effect.provide(store())))
    it.live("side rows (assignees, categories) are rewritten only when they change", () =>
      sideRowsWrittenOnlyWhenChanged.pipe(Effect.provide(store()))
    )
    it.live("decoded events are remembered by their stored text; an edited text is decoded anew", () =>
      decodedEventsFollowTheStoredText.pipe(Effect.provide(store()))
    )
    it.live("group commit: appends written together keep their own answers, atomically each", () =>
      // One writer, so that the appends queued behind a held one go together in the next batch.
      groupCommitKeepsEachAppendOwn.pipe(Effect.provide(pgStore(url, { appendWriters: 1 })))
    )
    it.live("appendAll: one transaction, or a savepoint of the caller's; a failed request fails the call", () =>
      appendAllIsOneTransaction.pipe(Effect.provide(store()))
    )
    it.live("group commit: a request the database cannot take fails alone", () =>
      groupCommitIsolatesAnUnencodableRequest.pipe(Effect.provide(store()))
    )
    it.live(
      "a wake-up column that disagrees with its entry (migration 7) is healed by the first Tick with nothing due",
      () => staleWakeUpColumnHealed.pipe(Effect.provide(store()))
    )
    it.live("a writer bypassing the lock turns into a VersionConflict", () =>
      bypassingWriterIsAConflict.pipe(Effect.provide(store()))
    )
    // The second guard itself: the bypassing row commits while the append waits on the unique index (its head read
    // did not see it), so only the constraint stops it — on the plain table and on a partition's index.
    for (const partitionByProvince of [false, true]) {
      it.live(
        `a bypassing row that commits while the append waits on the index is a VersionConflict${partitionByProvince ? " (partitioned)" : ""}`,
        () =>
          Effect.gen(function* () {
            const store = yield* EventStore.EventStore
            const sql = yield* SqlClient.SqlClient
            const [first, second] = registerAndAssign("case-race-bypass")
            yield* store.append(first.request)
            const schema = String((yield* sql<{ readonly s: string }>`SELECT current_schema() AS s`)[0]?.s)
            const admin = yield* adminClient(url)
            const holding = yield* Deferred.make<void>()
            const release = yield* Deferred.make<void>()
            const bypass = yield* Effect.forkChild(
              admin.withTransaction(
                Effect.gen(function* () {
                  yield* admin.unsafe(`INSERT INTO "${schema}".lindung_events (province, position, case_id, version,
                    event_id, event_type, body, body_text, previous_hash, hash)
                    VALUES ('13', 999999999, 'case-race-bypass', 2, 'x', 'x', '{}'::jsonb, NULL, 'x', 'x')`)
                  yield* Deferred.succeed(holding, undefined)
                  yield* Deferred.await(release)
                })
              )
            )
            yield* Deferred.await(holding)
            const appending = yield* Effect.forkChild(Effect.flip(store.append(second.request)))
            // Until the append waits for the bypassing transaction (up to 10 s).
            for (let attempt = 0; ; attempt++) {
              if (attempt === 2_000) throw new Error("the append never waited for the bypassing row")
              const waiting = yield* sql<{
                readonly n: unknown
              }>`SELECT COUNT(*) AS n FROM pg_locks WHERE locktype = 'transactionid' AND NOT granted`
              if (Number(waiting[0]?.n) > 0) break
              yield* Effect.sleep("5 millis")
            }
            yield* Deferred.succeed(release, undefined)
            yield* Fiber.join(bypass)
            expect(yield* Fiber.join(appending)).toMatchObject({
              _tag: "VersionConflict",
              caseId: "case-race-bypass",
              expectedVersion: 1,
              actualVersion: 2
            })
          }).pipe(Effect.scoped, Effect.provide(pgStore(url, { partitionByProvince })))
      )
    }
    it.live("driver errors are translated into StorageUnavailable", () =>
      driverErrorsAreTranslated.pipe(Effect.provide(store()))
    )
    it.live("the access trail's rows hold ids and codes only; a bad row is a CorruptedRecord", () =>
      accessTrailRows.pipe(Effect.provide(store()))
    )
    it.live("ids are ordered by UTF-16 code units (bytea keys), not by a collation", () =>
      utf16Order.pipe(Effect.provide(store()))
    )

    it.live(
      "events are JSONB; text JSONB cannot hold (U+0000, unpaired surrogates) is kept verbatim in body_text",
      () =>
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          yield* jsonbHostileTextRoundTrips
          yield* Effect.flatMap(Effect.service(EventStore.EventStore), (s) => s.append(register("case-plain").request))
          const rows = yield* sql<{
            case_id: string
            has_body: boolean
            has_text: boolean
            kind: string | null
          }>`SELECT case_id, body IS NOT NULL AS has_body, body_text IS NOT NULL AS has_text, jsonb_typeof(body) AS kind FROM lindung_events ORDER BY position`
          expect(rows).toEqual([
            { case_id: "case-nul", has_body: false, has_text: true, kind: null },
            { case_id: "case-plain", has_body: true, has_text: false, kind: "object" }
          ])
          // JSONB is queryable in SQL, e.g. by payload field.
          const byRegion = yield* sql<{
            n: bigint
          }>`SELECT COUNT(*) AS n FROM lindung_events WHERE body -> 'payload' ->> 'region' = '13.71.01'`
          expect(Number(byRegion[0]?.n)).toBe(1)
          const types = yield* sql<{
            column_name: string
            data_type: string
          }>`SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name IN ('lindung_events', 'lindung_case_index') AND column_name IN ('body', 'entry', 'case_key') ORDER BY column_name`
          expect(types).toEqual([
            { column_name: "body", data_type: "jsonb" },
            { column_name: "case_key", data_type: "bytea" },
            { column_name: "entry", data_type: "jsonb" }
          ])
        }).pipe(Effect.provide(store()))
    )

    it.live("the index uses its indexes: region prefix, risk and due, categories", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const plan = (query: string) =>
          Effect.map(sql.unsafe<{ "QUERY PLAN": string }>(`EXPLAIN ${query}`), (rows) =>
            rows.map((row) => row["QUERY PLAN"]).join("\n")
          )
        yield* sql`SET enable_seqscan = off`
        expect(
          yield* plan("SELECT case_id FROM lindung_case_index i WHERE i.region >= '52.' AND i.region < '52/'")
        ).toMatch(/lindung_case_index_region|lindung_case_index_stage/)
        expect(
          yield* plan("SELECT case_id FROM lindung_case_index i WHERE i.risk = 'tinggi' AND i.next_due_at < 5")
        ).toMatch(/lindung_case_index_risk_due/)
        expect(
          yield* plan("SELECT case_id FROM lindung_case_categories c WHERE c.dimension = 'ampk' AND c.value = 'j'")
        ).toMatch(/lindung_case_categories_value/)
        expect(yield* plan("SELECT case_id FROM lindung_case_assignees a WHERE a.actor_id = 'x'")).toMatch(
          /lindung_case_assignees_actor/
        )
      }).pipe(Effect.provide(store()))
    )

    it.live(
      "the index agrees with CaseIndex.page and CaseIndex.count on random entries and awkward ids",
      () => indexAgreesWithReference(store, 15),
      120_000
    )

    it.live("key rotation: old keys read, re-encryption moves everything to the current key", () =>
      Effect.gen(function* () {
        const schema = uniqueSchema("lindung_rotation")
        const client = yield* Layer.build(schemaClient(schema))
        const shared = Layer.succeedContext(client)
        yield* keyRotation((keyring) =>
          SqlStorage.layerFromClient({ keyring }).pipe(Layer.provideMerge(shared), Layer.fresh)
        )
      }).pipe(Effect.scoped)
    )

    it.live("the layer refuses to start without a usable URL, with a typed error", () =>
      Effect.gen(function* () {
        const bad = new URL(url)
        bad.port = "1"
        const error = yield* Effect.flip(
          Layer.build(SqlStorage.layerPg({ url: bad.toString(), keyring: testKeyring() })).pipe(Effect.scoped)
        )
        expect(error._tag).toBe("StorageUnavailable")
        const badSchema = yield* Effect.flip(
          Layer.build(SqlStorage.layerPg({ url, schema: "Robert'); DROP", keyring: testKeyring() })).pipe(Effect.scoped)
        )
        expect(badSchema._tag).toBe("StorageUnavailable")
      })
    )
  })

  describe("migrations on PostgreSQL", () => {
    it.live("migrate, rerun as a no-op, refuse a newer schema; the layer refuses to start on it", () =>
      Effect.gen(function* () {
        const schema = uniqueSchema("lindung_migrate")
        const context = yield* Layer.build(schemaClient(schema))
        const run = <A, E>(effect: Effect.Effect<A, E, SqlClient.SqlClient>) =>
          effect.pipe(Effect.provide(Layer.succeedContext(context)))
        expect(yield* run(Migrations.currentVersion)).toBe(0)
        expect((yield* run(Migrations.migrate())).applied.length).toBe(Migrations.latestVersion)
        expect(yield* run(Migrations.migrate())).toEqual({
          from: Migrations.latestVersion,
          to: Migrations.latestVersion,
          applied: []
        })
        const sql = Context.get(context, SqlClient.SqlClient)
        yield* sql`INSERT INTO lindung_schema_migrations (version, name, applied_at) VALUES (${Migrations.latestVersion + 1}, 'newer', 'x')`
        const refused = yield* Effect.flip(run(Migrations.migrate()))
        expect(refused).toMatchObject({ _tag: "SchemaTooNew", found: Migrations.latestVersion + 1 })
        const layerRefused = yield* Effect.flip(
          Layer.build(SqlStorage.layerPg({ url, schema, keyring: testKeyring() })).pipe(Effect.scoped)
        )
        expect(layerRefused._tag).toBe("SchemaTooNew")
      }).pipe(Effect.scoped)
    )

    it.live("migration 2 on a version-1 database with cases: the subject filter finds the old cases", () =>
      Effect.gen(function* () {
        const schema = uniqueSchema("lindung_migrate")
        const context = yield* Layer.build(schemaClient(schema))
        yield* migrationFromVersion1.pipe(Effect.provide(Layer.succeedContext(context)))
      }).pipe(Effect.scoped)
    )

    it.live(
      "migration 9: a subject an index row gains through an update is claimed, and so are those gained before",
      () =>
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          const store = yield* EventStore.EventStore
          const registered = register("case-a", "subject-x")
          yield* store.append(registered.request)
          const claims = () =>
            sql<{ readonly case_id: string }>`SELECT case_id FROM lindung_subject_claims WHERE subject = 'subject-x'`
          // The row of a case whose subject could not be read (before its history was repaired), unclaimed.
          const loseSubject = Effect.gen(function* () {
            yield* sql`UPDATE lindung_case_index SET subject = NULL WHERE case_id = 'case-a'`
            yield* sql`DELETE FROM lindung_subject_claims WHERE subject = 'subject-x'`
          })
          // Its next append's upsert (INSERT … ON CONFLICT DO UPDATE) writes the subject back.
          yield* loseSubject
          const assigned = decide(registered.next, kasi, "2026-03-01T03:00:00Z", {
            _tag: "AssignCaseworker",
            caseworker: "peksos-1"
          })
          yield* store.append(assigned.request)
          expect(yield* claims()).toEqual([{ case_id: "case-a" }])
          // Any other update of the row that gives it the subject does too.
          const gainSubject = Effect.gen(function* () {
            yield* loseSubject
            yield* sql`UPDATE lindung_case_index SET subject = 'subject-x' WHERE case_id = 'case-a'`
          })
          const heldBy = Effect.gen(function* () {
            const other = register("case-b", "subject-x")
            const refused = yield* Effect.flip(store.append({ ...other.request, newSubject: true }))
            expect(refused).toMatchObject({ _tag: "SubjectHeld", caseId: "case-b" })
            expect(yield* store.load(other.request.caseId)).toEqual([])
          })
          yield* gainSubject
          expect(yield* claims()).toEqual([{ case_id: "case-a" }])
          yield* heldBy
          // A database at migration 8 that saw such a gain holds no claim for it; migration 9 claims it.
          yield* sql`DROP TRIGGER lindung_claim_changed_subject ON lindung_case_index`
          yield* sql`DELETE FROM lindung_schema_migrations WHERE version = 9`
          yield* gainSubject
          expect(yield* claims()).toEqual([])
          expect((yield* Migrations.migrate()).applied).toEqual([{ version: 9, name: "claim-subject-on-update" }])
          expect(yield* claims()).toEqual([{ case_id: "case-a" }])
          yield* heldBy
        }).pipe(Effect.provide(pgStore(url)))
    )

    it.live("a failing migration rolls back entirely (transactional DDL)", () =>
      Effect.gen(function* () {
        const schema = uniqueSchema("lindung_migrate")
        const context = yield* Layer.build(schemaClient(schema))
        const broken: ReadonlyArray<Migrations.Migration> = [
          ...Migrations.migrations,
          {
            version: Migrations.latestVersion + 1,
            name: "broken",
            sqlite: [],
            pg: ["CREATE TABLE lindung_events (x int)"]
          }
        ]
        const failed = yield* Effect.flip(
          Migrations.migrate(broken).pipe(Effect.provide(Layer.succeedContext(context)))
        )
        expect(failed).toMatchObject({ _tag: "MigrationFailed", name: "broken" })
        const sql = Context.get(context, SqlClient.SqlClient)
        const tables = yield* sql`SELECT table_name FROM information_schema.tables WHERE table_schema = ${schema}`
        expect(tables).toEqual([])
      }).pipe(Effect.scoped)
    )

    it.live("several processes starting at once on a new schema migrate it once", () =>
      Effect.gen(function* () {
        const schema = uniqueSchema("lindung_migrate")
        const admin = yield* adminClient(url)
        yield* Effect.addFinalizer(() => Effect.ignore(admin.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)))
        const client = () => SqlStorage.clientLayer({ dialect: "pg", url, schema, keyring: testKeyring() })
        const reports = yield* Effect.all(
          Array.from({ length: 5 }, () => Effect.scoped(Migrations.migrate().pipe(Effect.provide(client())))),
          { concurrency: "unbounded" }
        )
        expect(reports.filter((report) => report.applied.length > 0).length).toBe(1)
      }).pipe(Effect.scoped)
    )
  })

  describe("a server whose default isolation is SERIALIZABLE", () => {
    it.live(
      "racing retries of one idempotent request all succeed, and racing writers get VersionConflict, not errors",
      () =>
        Effect.gen(function* () {
          const schema = uniqueSchema("lindung_serializable")
          yield* Layer.build(schemaClient(schema))
          // Connections whose every transaction defaults to SERIALIZABLE, as a strict DBA may configure a role.
          const client = Layer.effect(
            SqlClient.SqlClient,
            PgClient.make({
              url: Redacted.make(url),
              maxConnections: 8,
              startupParameters: { search_path: schema, default_transaction_isolation: "serializable" }
            })
          ).pipe(Layer.provide(Reactivity.layer), Layer.orDie)
          const context = yield* Layer.build(
            Layer.fresh(SqlStorage.layerFromClient({ keyring: testKeyring() }).pipe(Layer.provideMerge(client)))
          )
          const sql = Context.get(context, SqlClient.SqlClient)
          const shown = yield* sql<{ default_transaction_isolation: string }>`SHOW default_transaction_isolation`
          expect(shown).toEqual([{ default_transaction_isolation: "serializable" }])
          const store = Context.get(context, EventStore.EventStore)
          const [first, second] = registerAndAssign("case-strict")
          const keyed = { ...first.request, idempotency: { key: "req-strict", fingerprint: "f" } }
          const retries = yield* Effect.all(
            Array.from({ length: 20 }, () => Effect.result(store.append(keyed))),
            { concurrency: "unbounded" }
          )
          const answers = retries.map((r) =>
            r._tag === "Success" ? (r.success.replayed ? "replayed" : "written") : r.failure._tag
          )
          expect(answers.filter((a) => a === "written").length, answers.join()).toBe(1)
          expect(answers.filter((a) => a === "replayed").length, answers.join()).toBe(19)
          const racers = yield* Effect.all(
            Array.from({ length: 20 }, () => Effect.result(store.append(second.request))),
            { concurrency: "unbounded" }
          )
          const outcomes = racers.map((r) => (r._tag === "Success" ? "written" : r.failure._tag))
          expect(outcomes.filter((o) => o === "written").length, outcomes.join()).toBe(1)
          expect(outcomes.filter((o) => o === "VersionConflict").length, outcomes.join()).toBe(19)
        }).pipe(Effect.scoped),
      60_000
    )
  })

  describe("a server whose default isolation is REPEATABLE READ", () => {
    it.live(
      "two processes starting at once on a new schema migrate it once, both successfully",
      () =>
        Effect.gen(function* () {
          for (let round = 0; round < 3; round++) {
            const schema = uniqueSchema("lindung_repeatable")
            yield* Layer.build(schemaClient(schema))
            // Two pools whose every transaction defaults to REPEATABLE READ: the snapshot of the migration's transaction
            // must not be taken before its lock is granted, or the second reads an empty schema and migrates it again.
            const pool = () =>
              Layer.build(
                Layer.fresh(
                  Layer.effect(
                    SqlClient.SqlClient,
                    PgClient.make({
                      url: Redacted.make(url),
                      maxConnections: 2,
                      startupParameters: { search_path: schema, default_transaction_isolation: "repeatable read" }
                    })
                  ).pipe(Layer.provide(Reactivity.layer), Layer.orDie)
                )
              )
            const clients = [yield* pool(), yield* pool()]
            const reports = yield* Effect.all(
              clients.map((context) => Effect.result(Effect.provide(Migrations.migrate(), context))),
              { concurrency: 2 }
            )
            const applied = reports.map((r) => (r._tag === "Success" ? r.success.applied.length : r.failure._tag))
            expect(applied.toSorted(), `round ${round}`).toEqual([0, Migrations.migrations.length])
          }
        }).pipe(Effect.scoped),
      60_000
    )
  })

  describe("two pools on one schema (two processes)", () => {
    /** Waits (up to 10 s) until some session of this database waits for a lock of the kind given. */
    const untilWaiting = (client: SqlClient.SqlClient, locktype: "advisory" | "transactionid" | "relation") =>
      Effect.gen(function* () {
        for (let attempt = 0; attempt < 2_000; attempt++) {
          const rows = yield* client<{
            readonly n: unknown
          }>`SELECT COUNT(*) AS n FROM pg_locks WHERE locktype = ${locktype} AND NOT granted AND (locktype <> 'advisory' OR database = (SELECT oid FROM pg_database WHERE datname = current_database())) AND (locktype <> 'relation' OR relation = to_regclass('lindung_case_counts'))`
          if (Number(rows[0]?.n) > 0) return
          yield* Effect.sleep("5 millis")
        }
        throw new Error(`no session waited for a ${locktype} lock`)
      })

    /** The number of cases the counters say (the rows without a category, over every slot). */
    const casesCounted = (client: SqlClient.SqlClient) =>
      Effect.map(
        client<{ readonly n: unknown }>`SELECT SUM(n) AS n FROM lindung_case_counts WHERE dimension = ''`,
        (rows) => Number(rows[0]?.n)
      )

    /** Holds a case's lock in a transaction of its own until the effect it answers runs. */
    const holdCaseLock = (client: SqlClient.SqlClient, caseId: string) =>
      Effect.gen(function* () {
        const holding = yield* Deferred.make<void>()
        const release = yield* Deferred.make<void>()
        const holder = yield* Effect.forkChild(
          client.withTransaction(
            Effect.gen(function* () {
              yield* client`SELECT lindung_lock_case(${caseId})`
              yield* Deferred.succeed(holding, undefined)
              yield* Deferred.await(release)
            })
          )
        )
        yield* Deferred.await(holding)
        return Effect.andThen(Deferred.succeed(release, undefined), Fiber.join(holder))
      })

    it.live(
      "a connection lost inside a transaction answers StorageUnavailable, never a driver error (storage review)",
      () =>
        Effect.gen(function* () {
          const store = yield* EventStore.EventStore
          const sql = yield* SqlClient.SqlClient
          const [first, second] = registerAndAssign("case-cut")
          yield* store.append(first.request)
          // The case's lock held elsewhere: both calls below wait inside their own transactions, then the cut.
          const release = yield* holdCaseLock(sql, "case-cut")
          const calls: ReadonlyArray<readonly [string, Effect.Effect<unknown, unknown>]> = [
            ["refreshDue", store.refreshDue({ caseId: first.request.caseId, version: 1 })],
            ["appendAll", store.appendAll([register("case-cut-other").request, second.request])]
          ]
          const fibers = yield* Effect.forEach(calls, ([name, call]) =>
            Effect.map(Effect.forkChild(Effect.exit(call)), (fiber) => [name, fiber] as const)
          )
          yield* Effect.sleep("1500 millis")
          yield* outage
          for (const [name, fiber] of fibers) {
            const exit = yield* Fiber.join(fiber)
            expect(Exit.isFailure(exit) && Cause.hasDies(exit.cause), name).toBe(false)
            expect(Exit.isFailure(exit) && Option.getOrUndefined(Exit.findErrorOption(exit)), name).toMatchObject({
              _tag: "StorageUnavailable",
              retryable: true
            })
          }
          // The holder's connection was cut too.
          yield* Effect.exit(release)
        }).pipe(Effect.provide(pgStore(url)))
    )

    /** Two stores on one new schema, each with its own pool (as two servers would have), 4 writers each. */
    const twoStores = (name: string, tuning: { readonly appendWriters?: number } = { appendWriters: 4 }) =>
      Effect.gen(function* () {
        const schema = uniqueSchema(name)
        const client = Context.get(yield* Layer.build(schemaClient(schema)), SqlClient.SqlClient)
        const open = () =>
          Layer.fresh(
            SqlStorage.layerFromClient({ keyring: testKeyring(), ...tuning }).pipe(
              Layer.provideMerge(
                SqlStorage.clientLayer({ dialect: "pg", url, schema, keyring: testKeyring(), maxConnections: 6 })
              ),
              Layer.orDie
            )
          )
        const first = yield* Layer.build(open())
        const a = Context.get(first, EventStore.EventStore)
        const b = Context.get(yield* Layer.build(open()), EventStore.EventStore)
        /** Store a's own client: a transaction on it is a caller's transaction for store a. */
        const sqlA = Context.get(first, SqlClient.SqlClient)
        return { client, a, b, sqlA }
      })

    it.live("one winner per version", () =>
      Effect.gen(function* () {
        const { a, b } = yield* twoStores("lindung_pools")
        const [first, second] = registerAndAssign("case-pools")
        const attempts = yield* Effect.all(
          Array.from({ length: 20 }, (_, i) => Effect.result((i % 2 === 0 ? a : b).append(first.request))),
          { concurrency: "unbounded" }
        )
        expect(attempts.filter((r) => r._tag === "Success").length).toBe(1)
        yield* b.append(second.request)
        const read = yield* a.readAfter(0, 10)
        expect(read.map((e) => e.event.version)).toEqual([1, 2])
        expect((read[1] as EventStore.StoredEvent).position).toBeGreaterThan(
          (read[0] as EventStore.StoredEvent).position
        )
        expect(Subject.SubjectId.make("x")).toBe("x")
      }).pipe(Effect.scoped)
    )

    /** The "holds readers back" story on a store: an append held open, a later one committed meanwhile. */
    const heldBack = (
      client: SqlClient.SqlClient,
      a: EventStore.EventStore["Service"],
      b: EventStore.EventStore["Service"]
    ) =>
      Effect.gen(function* () {
        const written = yield* Deferred.make<void>()
        const commit = yield* Deferred.make<void>()
        const holder = yield* Effect.forkChild(
          client.withTransaction(
            Effect.gen(function* () {
              const early = PgAppend.requestJson(AppendPlan.make(register("case-early").request))
              yield* client`SELECT lindung_append(${early}::jsonb)`
              yield* Deferred.succeed(written, undefined)
              yield* Deferred.await(commit)
            })
          )
        )
        yield* Deferred.await(written)
        const late = yield* b.append(register("case-late").request)
        // Committed, readable by its case, but not yet by position: case-early may still commit below it.
        expect((yield* a.load(register("case-late").request.caseId)).length).toBe(1)
        const before = yield* a.readAfter(0, 10)
        yield* Deferred.succeed(commit, undefined)
        yield* Fiber.join(holder)
        return { late, before, after: yield* a.readAfter(0, 10) }
      })

    it.live(
      "a transaction still running holds readers back: an event committed after it but numbered before is never skipped",
      () =>
        Effect.gen(function* () {
          const { client, a, b } = yield* twoStores("lindung_horizon")
          const { late, before, after } = yield* heldBack(client, a, b)
          expect(before).toEqual([])
          expect(after.map((e) => e.event.caseId)).toEqual(["case-early", "case-late"])
          expect((after[1] as EventStore.StoredEvent).position).toBe(late.lastPosition)
          expect((after[0] as EventStore.StoredEvent).position).toBeLessThan(late.lastPosition)
        }).pipe(Effect.scoped),
      30_000
    )

    it.live("on a server whose default isolation is REPEATABLE READ, readAfter still never skips", () =>
      Effect.gen(function* () {
        const schema = uniqueSchema("lindung_rr")
        const client = Context.get(yield* Layer.build(schemaClient(schema)), SqlClient.SqlClient)
        const repeatable = Layer.effect(
          SqlClient.SqlClient,
          PgClient.make({
            url: Redacted.make(url),
            startupParameters: { search_path: schema, default_transaction_isolation: "repeatable read" }
          })
        ).pipe(Layer.provide(Reactivity.layer), Layer.orDie)
        const store = (context: Context.Context<EventStore.EventStore>) => Context.get(context, EventStore.EventStore)
        const open = () =>
          Layer.fresh(SqlStorage.layerFromClient({ keyring: testKeyring() }).pipe(Layer.provide(repeatable)))
        const a = store(yield* Layer.build(open()))
        const b = store(yield* Layer.build(open()))
        const { before, after } = yield* heldBack(client, a, b)
        expect(before).toEqual([])
        expect(after.map((e) => e.event.caseId)).toEqual(["case-early", "case-late"])
      }).pipe(Effect.scoped)
    )

    it.live("readAfter inside a caller's REPEATABLE READ transaction is refused, not answered with a gap", () =>
      Effect.gen(function* () {
        const { sqlA, a } = yield* twoStores("lindung_rr_caller")
        yield* a.append(register("case-one").request)
        const refused = yield* Effect.flip(
          sqlA.withTransaction(
            Effect.andThen(sqlA`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ`, a.readAfter(0, 10))
          )
        )
        expect(refused._tag).toBe("StorageUnavailable")
        expect(JSON.stringify(refused)).toContain("READ COMMITTED")
        expect((yield* a.readAfter(0, 10)).map((e) => e.event.caseId)).toEqual(["case-one"])
      }).pipe(Effect.scoped)
    )

    it.live("an append that announces a number above the one the reader saw does not stop the reader", () =>
      Effect.gen(function* () {
        const { client, a } = yield* twoStores("lindung_announce")
        yield* a.append(register("case-one").request)
        const last = Number(
          (yield* client<{ readonly v: unknown }>`SELECT last_value AS v FROM lindung_positions`)[0]?.v
        )
        // An append that read the sequence after the reader did announces last + 1 (the low 32 bits of it).
        const announce = (value: number) =>
          client`SELECT pg_advisory_xact_lock_shared(lindung_lock_key('lindung_positions'::regclass::oid::bigint), lindung_lock_key(${value}::bigint))`
        const limitWhile = (value: number) =>
          client.withTransaction(
            Effect.andThen(
              announce(value),
              Effect.map(client<{ readonly v: unknown }>`SELECT lindung_position_limit() AS v`, (rows) =>
                Number(rows[0]?.v)
              )
            )
          )
        expect(yield* limitWhile(last + 1)).toBe((last + 1) * 65536)
        // One announced below holds the reader at it.
        expect(yield* limitWhile(last - 1)).toBe(last * 65536)
      }).pipe(Effect.scoped)
    )

    it.live(
      "a deadlock with a caller's transaction is broken by PostgreSQL and the store's append is written again",
      () =>
        Effect.gen(function* () {
          const { client, sqlA, a } = yield* twoStores("lindung_deadlock")
          const key = { key: "key-shared", fingerprint: "print-x" }
          // The caller's transaction appends case-x with a key, then case-y; meanwhile the store appends case-y
          // with the same key: it holds case-y's lock and waits for the key, the caller waits for case-y.
          const started = yield* Deferred.make<void>()
          const go = yield* Deferred.make<void>()
          const caller = yield* Effect.forkChild(
            Effect.result(
              sqlA.withTransaction(
                Effect.gen(function* () {
                  yield* a.append({ ...register("case-x").request, idempotency: key })
                  yield* Deferred.succeed(started, undefined)
                  yield* Deferred.await(go)
                  yield* a.append(register("case-y").request)
                })
              )
            )
          )
          yield* Deferred.await(started)
          const store = yield* Effect.forkChild(
            Effect.result(a.append({ ...register("case-y").request, idempotency: { ...key, fingerprint: "print-y" } }))
          )
          // Until the store's append waits for the key (the caller's uncommitted insert of it).
          yield* untilWaiting(client, "transactionid")
          yield* Deferred.succeed(go, undefined)
          const callerOutcome = yield* Fiber.join(caller)
          const storeOutcome = yield* Fiber.join(store)
          // PostgreSQL cancels the one that waited first, the store's append; written again after the caller
          // committed, it finds the key used for case-x.
          expect(callerOutcome._tag).toBe("Success")
          expect(storeOutcome._tag === "Failure" && storeOutcome.failure._tag).toBe("IdempotencyKeyReused")
          expect((yield* a.readAfter(0, 10)).map((e) => e.event.caseId)).toEqual(["case-x", "case-y"])
        }).pipe(Effect.scoped),
      30_000
    )

    it.live("re-encryption counts only what it re-encrypted: a put that wins the row meanwhile is not counted", () =>
      Effect.gen(function* () {
        const shared = Layer.succeedContext(yield* Layer.build(schemaClient(uniqueSchema("lindung_reencrypt_race"))))
        const oldKey = IdentityKeys.generate("2025-01")
        const both = IdentityKeys.keyring(IdentityKeys.generate("2026-01"), oldKey)
        const storeWith = (keyring: IdentityKeys.Keyring) =>
          Layer.build(SqlStorage.layerFromClient({ keyring }).pipe(Layer.provideMerge(shared), Layer.fresh))
        const subject = Subject.SubjectId.make("subject-raced")
        yield* Context.get(yield* storeWith(IdentityKeys.keyring(oldKey)), IdentityVault.IdentityVault).put(
          subject,
          identity("Older Name")
        )
        const current = yield* storeWith(both)
        const sql = Context.get(current, SqlClient.SqlClient)
        const vault = Context.get(current, IdentityVault.IdentityVault)
        // A put under the current key holds the row, uncommitted, while the re-encryption reads it and waits.
        const held = yield* Deferred.make<void>()
        const release = yield* Deferred.make<void>()
        const putter = yield* Effect.forkChild(
          sql.withTransaction(
            Effect.gen(function* () {
              yield* vault.put(subject, identity("Newer Name"))
              yield* Deferred.succeed(held, undefined)
              yield* Deferred.await(release)
            })
          )
        )
        yield* Deferred.await(held)
        const rotation = yield* Effect.forkChild(
          Effect.provideService(SqlStorage.reencryptIdentities(both), SqlClient.SqlClient, sql)
        )
        yield* untilWaiting(sql, "transactionid")
        yield* Deferred.succeed(release, undefined)
        yield* Fiber.join(putter)
        expect(yield* Fiber.join(rotation)).toEqual({ reencrypted: 0, current: 1 })
        expect(Redacted.value((yield* vault.get(subject)).name)).toBe("Newer Name")
      }).pipe(Effect.scoped)
    )

    it.live("rebuildCounts waits for an append whose counters are written, and counts it once", () =>
      Effect.gen(function* () {
        const { client, sqlA, a } = yield* twoStores("lindung_rebuild")
        const written = yield* Deferred.make<void>()
        const commit = yield* Deferred.make<void>()
        const holder = yield* Effect.forkChild(
          sqlA.withTransaction(
            Effect.gen(function* () {
              yield* a.append(register("case-held").request)
              yield* Deferred.succeed(written, undefined)
              yield* Deferred.await(commit)
            })
          )
        )
        yield* Deferred.await(written)
        const rebuild = yield* Effect.forkChild(
          Effect.provideService(SqlStorage.rebuildCounts, SqlClient.SqlClient, client)
        )
        yield* untilWaiting(client, "relation")
        yield* Deferred.succeed(commit, undefined)
        yield* Fiber.join(holder)
        expect(yield* Fiber.join(rebuild)).toMatchObject({ cases: 1 })
        expect(yield* casesCounted(client)).toBe(1)
      }).pipe(Effect.scoped)
    )

    it.live("rebuildCounts between an append's index row and its counters: the append is counted once", () =>
      Effect.gen(function* () {
        const { client, sqlA } = yield* twoStores("lindung_rebuild_between")
        const json = PgAppend.requestJson(AppendPlan.make(register("case-between").request))
        const counted = yield* client.withTransaction(
          Effect.gen(function* () {
            // The append's index row and events, not yet its counters (as lindung_append does them last).
            const rows = yield* client<{
              readonly answer: unknown
            }>`SELECT lindung_append_one(${json}::jsonb) AS answer`
            const answer = rows[0]?.answer
            const parsed = (typeof answer === "string" ? JSON.parse(answer) : answer) as { counts: unknown }
            // The rebuild runs to the end meanwhile, on another pool: it cannot see the uncommitted row.
            const report = yield* Effect.provideService(SqlStorage.rebuildCounts, SqlClient.SqlClient, sqlA)
            yield* client`SELECT lindung_count(${JSON.stringify(parsed.counts)}::jsonb)`
            return report
          })
        )
        expect(counted.cases).toBe(0) // the rebuild did not count the uncommitted case…
        expect(yield* casesCounted(client)).toBe(1) // …and its own counters, written after, count it once
      }).pipe(Effect.scoped)
    )

    it.live("numbers around 2^31 and 2^32 (announced by their low 32 bits) still hold readers back", () =>
      Effect.gen(function* () {
        for (const start of [2 ** 31 - 2, 2 ** 32 - 2]) {
          const { client, a, b } = yield* twoStores(`lindung_wrap_${start}`)
          yield* client`SELECT setval('lindung_positions', ${start}, true)`
          const { before, after, late } = yield* heldBack(client, a, b)
          expect(before, `from ${start}`).toEqual([])
          expect(after.map((e) => e.event.caseId)).toEqual(["case-early", "case-late"])
          expect(late.lastPosition).toBeGreaterThan(start * 65536)
        }
      }).pipe(Effect.scoped)
    )

    it.live("two batches with the same cases in opposite orders take their locks in one order: no deadlock", () =>
      Effect.gen(function* () {
        const { client } = yield* twoStores("lindung_order")
        const json = (caseId: string) => PgAppend.requestJson(AppendPlan.make(register(caseId).request))
        const release = yield* holdCaseLock(client, "case-a")
        const batch = (ids: ReadonlyArray<string>) =>
          client<{
            readonly result: unknown
          }>`SELECT lindung_append_many(${`[${ids.map(json).join(",")}]`}::jsonb) AS result`
        const both = yield* Effect.forkChild(
          Effect.all([batch(["case-a", "case-b"]), batch(["case-b", "case-a"])], { concurrency: 2 })
        )
        yield* untilWaiting(client, "advisory")
        yield* Effect.sleep("50 millis")
        yield* release
        const answers = (yield* Fiber.join(both)).flatMap((rows) => {
          const result = rows[0]?.result
          return (typeof result === "string" ? JSON.parse(result) : result) as ReadonlyArray<{ outcome: string }>
        })
        // Each case written once, the other batch told of a conflict; no request failed (no deadlock).
        expect(answers.map((answer) => answer.outcome).sort()).toEqual(["appended", "appended", "conflict", "conflict"])
      }).pipe(Effect.scoped)
    )

    it.live(
      "a reader tailing readAfter never skips an event while two stores append to 240 cases in parallel",
      () =>
        Effect.gen(function* () {
          const { a, b } = yield* twoStores("lindung_tail")
          const total = 240
          const observed: Array<EventStore.StoredEvent> = []
          const tail = Effect.gen(function* () {
            let last = 0
            let idle = 0
            while (observed.length < total) {
              const page = yield* a.readAfter(last, 50)
              for (const stored of page) {
                expect(stored.position, "positions only grow").toBeGreaterThan(last)
                last = stored.position
                observed.push(stored)
              }
              if (page.length > 0) idle = 0
              else if (++idle > 5_000) throw new Error(`the reader saw ${observed.length} of ${total} events`)
              else yield* Effect.sleep("1 millis")
            }
          })
          const reader = yield* Effect.forkChild(tail)
          yield* Effect.all(
            Array.from({ length: total }, (_, i) => (i % 2 === 0 ? a : b).append(register(`case-tail-${i}`).request)),
            { concurrency: 32 }
          )
          yield* Fiber.join(reader)
          // Every event, once, in the order the store gives them to a reader that starts now.
          const all = yield* a.readAfter(0, EventStore.MAX_READ)
          expect(all.length).toBe(total)
          expect(observed.map((e) => e.position)).toEqual(all.map((e) => e.position))
          expect(new Set(observed.map((e) => e.event.caseId)).size).toBe(total)
        }).pipe(Effect.scoped),
      60_000
    )

    it.live("an append waiting for its case's lock holds back neither another process's appends nor readers", () =>
      Effect.gen(function* () {
        const { client, a, b } = yield* twoStores("lindung_parallel", { appendWriters: 1 })
        // Another transaction holds case-held's lock: an append to it waits, one to another case does not.
        const release = yield* holdCaseLock(client, "case-held")
        const waiting = yield* Effect.forkChild(a.append(register("case-held").request))
        yield* untilWaiting(client, "advisory")
        yield* b.append(register("case-free").request)
        expect((yield* a.readAfter(0, 10)).map((e) => e.event.caseId)).toEqual(["case-free"])
        expect(waiting.pollUnsafe()).toBeUndefined()
        yield* release
        expect((yield* Fiber.join(waiting)).toVersion).toBe(1)
        expect((yield* a.readAfter(0, 10)).map((e) => e.event.caseId)).toEqual(["case-free", "case-held"])
      }).pipe(Effect.scoped)
    )
  })
})
