/**
 * PostgreSQL: the events partitioned by the home province of their case (declarative LIST partitioning on
 * `lindung_events.province`, migration 6): one partition per province code of `Region.provinceTimeZones` (38), and
 * a default partition for anything else. A case's home is fixed at registration (`lindung_case_index.home`), so a
 * case that moves to another province keeps its events in one partition; its index row moves, its events do not.
 *
 * Converting is one transaction: it locks the events table against everything (appends and reads wait), creates
 * the partitioned table with the same columns, constraints and indexes, copies the rows and the table's grants,
 * drops the old table and takes its name. The functions and the lock keys follow the name
 * (`'lindung_events'::regclass` is resolved when they run). The partitioned table's primary key is
 * (province, position) — positions stay unique, as the sequence hands them out — and its unique constraint
 * (case_id, version, province), as PostgreSQL requires the partition key in it. A store already partitioned is
 * only looked at, without a lock, so a process that starts with the option does not wait for readers.
 *
 * @internal
 */
import { Region } from "@lindung/core"
import { Effect } from "effect"
import type { SqlClient, SqlError } from "effect/sql"
import { transaction } from "./transaction.js"

/** The partition of a province code: `lindung_events_p11`, …; `lindung_events_pother` for the rest. */
export const partitionOf = (province: string | undefined): string =>
  province === undefined ? "lindung_events_pother" : `lindung_events_p${province}`

/** Whether the events table is partitioned. */
export const isPartitioned = (sql: SqlClient.SqlClient): Effect.Effect<boolean, SqlError.SqlError> =>
  Effect.map(
    sql<{ readonly kind: string }>`SELECT relkind::text AS kind FROM pg_class WHERE oid = 'lindung_events'::regclass`,
    (rows) => rows[0]?.kind === "p"
  )

/** Partitions the events by province, once: a store already partitioned is left as it is. */
export const partitionByProvince = (sql: SqlClient.SqlClient): Effect.Effect<boolean, SqlError.SqlError> =>
  Effect.flatMap(isPartitioned(sql), (done) => (done ? Effect.succeed(false) : convert(sql)))

/** The table's grants, as statements that give them again (the owner's own are the new table's already). */
const grantsOf = (sql: SqlClient.SqlClient) =>
  Effect.map(
    sql<{ readonly statement: string }>`SELECT format('GRANT %s ON lindung_events TO %s%s', a.privilege_type,
        CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END,
        CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END) AS statement
      FROM pg_class c, aclexplode(c.relacl) a
      WHERE c.oid = 'lindung_events'::regclass AND a.grantee <> c.relowner`,
    (rows) => rows.map((row) => row.statement)
  )

const convert = (sql: SqlClient.SqlClient): Effect.Effect<boolean, SqlError.SqlError> =>
  transaction(
    sql,
    Effect.gen(function* () {
      yield* sql`LOCK TABLE lindung_events IN ACCESS EXCLUSIVE MODE`
      // Another process may have converted it meanwhile.
      if (yield* isPartitioned(sql)) return false
      const grants = yield* grantsOf(sql)
      const columns = yield* sql<{ readonly name: string }>`SELECT attname AS name FROM pg_attribute
        WHERE attrelid = 'lindung_events'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`
      const list = columns.map((column) => `"${column.name}"`).join(", ")
      yield* sql.unsafe(`CREATE TABLE lindung_events_partitioned (LIKE lindung_events INCLUDING DEFAULTS
        INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMMENTS) PARTITION BY LIST (province)`)
      for (const province of Region.provinceTimeZones.keys()) {
        yield* sql.unsafe(
          `CREATE TABLE ${partitionOf(province)} PARTITION OF lindung_events_partitioned FOR VALUES IN ('${province}')`
        )
      }
      yield* sql.unsafe(`CREATE TABLE ${partitionOf(undefined)} PARTITION OF lindung_events_partitioned DEFAULT`)
      yield* sql.unsafe(`INSERT INTO lindung_events_partitioned (${list}) SELECT ${list} FROM lindung_events`)
      yield* sql.unsafe("DROP TABLE lindung_events")
      yield* sql.unsafe("ALTER TABLE lindung_events_partitioned RENAME TO lindung_events")
      yield* sql.unsafe(
        "ALTER TABLE lindung_events ADD CONSTRAINT lindung_events_pkey PRIMARY KEY (province, position)"
      )
      yield* sql.unsafe(
        "ALTER TABLE lindung_events ADD CONSTRAINT lindung_events_case_version UNIQUE (case_id, version, province)"
      )
      // readAfter reads in position order across the partitions; the type index as the unpartitioned table has it.
      yield* sql.unsafe("CREATE INDEX lindung_events_position ON lindung_events (position)")
      yield* sql.unsafe("CREATE INDEX lindung_events_type ON lindung_events (event_type)")
      for (const grant of grants) yield* sql.unsafe(grant)
      return true
    })
  )
