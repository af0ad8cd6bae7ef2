import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { CaseIndex, EventStore, Subject } from "@lindung/core"
import { Effect, Layer } from "effect"
import * as Reactivity from "effect/reactivity/Reactivity"
import { SqlClient } from "effect/sql"
import { Migrations, SqlStorage } from "../src/index.js"
import * as SqliteClient from "../src/internal/SqliteClient.js"
import { register } from "./fixtures.js"
import { migrationFromVersion1 } from "./migrationChecks.js"
import { temporaryDirectory, testKeyring } from "./stores.js"

const memory = Layer.effect(SqlClient.SqlClient, SqliteClient.make({ filename: ":memory:" })).pipe(
  Layer.provide(Reactivity.layer),
  Layer.orDie
)

const tables = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<{
    name: string
  }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'lindung_%' ORDER BY name`
  return rows.map((row) => row.name)
})

const indexes = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<{
    name: string
  }>`SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'lindung_%' ORDER BY name`
  return rows.map((row) => row.name)
})

describe("Migrations on SQLite", () => {
  it.effect("migrate creates every table from an empty database and records the version", () =>
    Effect.gen(function* () {
      expect(yield* Migrations.currentVersion).toBe(0)
      const report = yield* Migrations.migrate()
      expect(report).toEqual({
        from: 0,
        to: Migrations.latestVersion,
        applied: Migrations.migrations.map(({ version, name }) => ({ version, name }))
      })
      expect(yield* Migrations.currentVersion).toBe(Migrations.latestVersion)
      expect(yield* tables).toEqual([
        "lindung_case_assignees",
        "lindung_case_categories",
        "lindung_case_counts",
        "lindung_case_index",
        "lindung_checkpoints",
        "lindung_event_sequence",
        "lindung_events",
        "lindung_export_log",
        "lindung_idempotency",
        "lindung_identities",
        "lindung_identity_accesses",
        "lindung_schema_migrations"
      ])
      // The indexes the work lists and dashboards need.
      expect(yield* indexes).toEqual(
        expect.arrayContaining([
          "lindung_case_index_region",
          "lindung_case_index_stage",
          "lindung_case_index_risk_due",
          "lindung_case_index_next_due",
          "lindung_case_categories_value",
          "lindung_case_assignees_actor",
          "lindung_case_index_subject",
          "lindung_identity_accesses_subject"
        ])
      )
    }).pipe(Effect.provide(memory))
  )

  it.effect("running it again is a no-op", () =>
    Effect.gen(function* () {
      yield* Migrations.migrate()
      const sql = yield* SqlClient.SqlClient
      const before = yield* sql`SELECT version, name, applied_at FROM lindung_schema_migrations`
      const again = yield* Migrations.migrate()
      expect(again).toEqual({ from: Migrations.latestVersion, to: Migrations.latestVersion, applied: [] })
      expect(yield* sql`SELECT version, name, applied_at FROM lindung_schema_migrations`).toEqual(before)
    }).pipe(Effect.provide(memory))
  )

  it.effect("a database migrated by a newer release is refused, and nothing is changed", () =>
    Effect.gen(function* () {
      yield* Migrations.migrate()
      const sql = yield* SqlClient.SqlClient
      const newer = Migrations.latestVersion + 1
      yield* sql`INSERT INTO lindung_schema_migrations (version, name, applied_at) VALUES (${newer}, 'from-the-future', '2030-01-01T00:00:00Z')`
      const refused = yield* Effect.flip(Migrations.migrate())
      expect(refused).toBeInstanceOf(Migrations.SchemaTooNew)
      expect(refused).toMatchObject({ _tag: "SchemaTooNew", found: newer, supported: Migrations.latestVersion })
      expect(refused.message).toMatch(/newer than version/)
      expect(yield* Migrations.currentVersion).toBe(newer)
    }).pipe(Effect.provide(memory))
  )

  it.effect("a failing migration rolls back the whole run with a typed error", () =>
    Effect.gen(function* () {
      const broken: ReadonlyArray<Migrations.Migration> = [
        ...Migrations.migrations,
        {
          version: Migrations.latestVersion + 1,
          name: "broken",
          sqlite: ["CREATE TABLE lindung_extra (x INTEGER)", "CREATE TABLE lindung_events (x INTEGER)"],
          pg: []
        }
      ]
      const failed = yield* Effect.flip(Migrations.migrate(broken))
      expect(failed).toMatchObject({ _tag: "MigrationFailed", version: Migrations.latestVersion + 1, name: "broken" })
      expect(failed.message).toMatch(/already exists/)
      // Nothing of the run remains: not even migration 1, which ran in the same transaction.
      expect(yield* Migrations.currentVersion).toBe(0)
      expect(yield* tables).toEqual([])
    }).pipe(Effect.provide(memory))
  )

  it.effect("later migrations apply on top of earlier ones, once", () =>
    Effect.gen(function* () {
      yield* Migrations.migrate()
      const next: ReadonlyArray<Migrations.Migration> = [
        ...Migrations.migrations,
        {
          version: Migrations.latestVersion + 1,
          name: "extra",
          sqlite: ["CREATE TABLE lindung_extra (x INTEGER)"],
          pg: []
        }
      ]
      const report = yield* Migrations.migrate(next)
      expect(report.applied).toEqual([{ version: Migrations.latestVersion + 1, name: "extra" }])
      expect((yield* Migrations.migrate(next)).applied).toEqual([])
      // The released code (which does not know migration 2) now refuses this database.
      expect((yield* Effect.flip(Migrations.migrate()))._tag).toBe("SchemaTooNew")
    }).pipe(Effect.provide(memory))
  )

  it.effect("the store's layer migrates on start, and refuses to start on a newer schema", () =>
    Effect.gen(function* () {
      const directory = yield* temporaryDirectory
      const filename = join(directory, "store.db")
      const keyring = testKeyring()
      const store = SqlStorage.layerSqlite({ filename, keyring })
      const first = register("case-m1")
      yield* Effect.scoped(
        Effect.flatMap(Effect.service(EventStore.EventStore), (s) => s.append(first.request)).pipe(
          Effect.provide(store)
        )
      )
      // A restart on the same file keeps the data and migrates nothing.
      const events = yield* Effect.scoped(
        Effect.flatMap(Effect.service(EventStore.EventStore), (s) => s.load(first.request.caseId)).pipe(
          Effect.provide(store)
        )
      )
      expect(events.length).toBe(1)
      // A newer release wrote version latest + 1.
      yield* Effect.scoped(
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          yield* sql`INSERT INTO lindung_schema_migrations (version, name, applied_at) VALUES (${Migrations.latestVersion + 1}, 'newer', 'x')`
        }).pipe(Effect.provide(SqliteClient.layer({ filename })))
      )
      const refused = yield* Effect.flip(Layer.build(store).pipe(Effect.scoped))
      expect(refused._tag).toBe("SchemaTooNew")
    }).pipe(Effect.scoped)
  )

  it.effect("migration 2 on a version-1 database with cases: the subject filter finds the old cases", () =>
    migrationFromVersion1.pipe(Effect.provide(memory))
  )

  it.effect("migration 2 on a version-1 file database, then a restart of the store on it", () =>
    Effect.gen(function* () {
      const directory = yield* temporaryDirectory
      const filename = join(directory, "old.db")
      yield* Effect.scoped(migrationFromVersion1.pipe(Effect.provide(SqliteClient.layer({ filename }))))
      const keyring = testKeyring()
      const found = yield* Effect.scoped(
        Effect.flatMap(Effect.service(CaseIndex.CaseIndex), (index) =>
          index.query({ filter: { subject: Subject.SubjectId.make("subject-anak-a") }, limit: 10 })
        ).pipe(Effect.provide(SqlStorage.layerSqlite({ filename, keyring })))
      )
      expect(found.entries.map((entry) => entry.caseId)).toEqual(["case-new-1", "case-old-1", "case-old-2"])
    }).pipe(Effect.scoped)
  )

  it.live("two stores starting on one file at once migrate it once", () =>
    Effect.gen(function* () {
      const directory = yield* temporaryDirectory
      const filename = join(directory, "race.db")
      const client = () =>
        Layer.effect(SqlClient.SqlClient, SqliteClient.make({ filename })).pipe(
          Layer.provide(Reactivity.layer),
          Layer.orDie
        )
      const reports = yield* Effect.all(
        Array.from({ length: 4 }, () => Effect.scoped(Migrations.migrate().pipe(Effect.provide(client())))),
        { concurrency: "unbounded" }
      )
      expect(reports.filter((report) => report.applied.length > 0).length).toBe(1)
      const versions = yield* Effect.scoped(
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          return yield* sql`SELECT version FROM lindung_schema_migrations`
        }).pipe(Effect.provide(client()))
      )
      expect(versions).toEqual(Migrations.migrations.map(({ version }) => ({ version })))
    }).pipe(Effect.scoped)
  )
})
