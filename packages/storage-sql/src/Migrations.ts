/**
 * Versioned schema migrations of the SQL storage, for SQLite and PostgreSQL. Each migration has a number, a name
 * and the statements of each dialect; the numbers applied are recorded in `lindung_schema_migrations`. The store's
 * layers run {@link migrate} on start; a CLI can run it on its own.
 *
 * {@link migrate} runs every pending migration in ONE transaction (SQLite `BEGIN IMMEDIATE`; PostgreSQL with a
 * transaction-level advisory lock per schema, so two processes starting together migrate once), and refuses, with
 * {@link SchemaTooNew}, a database migrated by a newer release than this code: old code must never write into a
 * schema it does not know.
 *
 * @example
 * ```ts
 * import { Migrations } from "@lindung/storage-sql"
 * import { Effect } from "effect"
 *
 * const report = yield* Migrations.migrate // needs an effect/sql SqlClient
 * // { from: 0, to: 9, applied: [{ version: 1, name: "initial" }, …, { version: 9, name: "claim-subject-on-update" }] }
 * ```
 *
 * @since 0.1.0
 */
import type { StorageError } from "@lindung/core"
import { DateTime, Effect, Schema } from "effect"
import { SqlClient, type SqlError } from "effect/sql"
import { type Dialect, describe, dialectOf, toNumber, unavailable } from "./internal/shared.js"
import { transaction as inTransaction } from "./internal/transaction.js"

/** One migration: its number, its name, and its statements in each dialect (run in order). */
export interface Migration {
  readonly version: number
  readonly name: string
  readonly sqlite: ReadonlyArray<string>
  readonly pg: ReadonlyArray<string>
}

/** The table that records the applied migrations. */
export const TABLE = "lindung_schema_migrations"

const sqliteInitial = [
  `CREATE TABLE lindung_event_sequence (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last_position INTEGER NOT NULL
  ) STRICT`,
  "INSERT INTO lindung_event_sequence (id, last_position) VALUES (1, 0)",
  `CREATE TABLE lindung_events (
    position INTEGER PRIMARY KEY,
    case_id TEXT NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    event_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    body TEXT NOT NULL,
    previous_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    CONSTRAINT lindung_events_case_version UNIQUE (case_id, version)
  ) STRICT`,
  `CREATE TABLE lindung_case_index (
    case_id TEXT PRIMARY KEY,
    case_key BLOB NOT NULL UNIQUE,
    version INTEGER NOT NULL,
    region TEXT NOT NULL,
    owner TEXT NOT NULL,
    stage TEXT NOT NULL,
    risk TEXT,
    subject_kind TEXT NOT NULL,
    age_band TEXT NOT NULL,
    sppa_role TEXT,
    next_due_at INTEGER,
    reported_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    entry TEXT NOT NULL
  ) STRICT`,
  "CREATE INDEX lindung_case_index_region ON lindung_case_index (region)",
  "CREATE INDEX lindung_case_index_stage ON lindung_case_index (stage, region)",
  "CREATE INDEX lindung_case_index_risk_due ON lindung_case_index (risk, region, next_due_at)",
  "CREATE INDEX lindung_case_index_next_due ON lindung_case_index (next_due_at) WHERE next_due_at IS NOT NULL",
  "CREATE INDEX lindung_case_index_owner ON lindung_case_index (owner)",
  `CREATE TABLE lindung_case_assignees (
    case_id TEXT NOT NULL REFERENCES lindung_case_index (case_id) ON DELETE CASCADE,
    actor_id TEXT NOT NULL,
    PRIMARY KEY (case_id, actor_id)
  ) STRICT, WITHOUT ROWID`,
  "CREATE INDEX lindung_case_assignees_actor ON lindung_case_assignees (actor_id, case_id)",
  `CREATE TABLE lindung_case_categories (
    case_id TEXT NOT NULL REFERENCES lindung_case_index (case_id) ON DELETE CASCADE,
    dimension TEXT NOT NULL CHECK (dimension IN ('ampk', 'ppks', 'concern')),
    value TEXT NOT NULL,
    PRIMARY KEY (case_id, dimension, value)
  ) STRICT, WITHOUT ROWID`,
  "CREATE INDEX lindung_case_categories_value ON lindung_case_categories (dimension, value, case_id)",
  `CREATE TABLE lindung_idempotency (
    key TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    case_id TEXT NOT NULL,
    from_version INTEGER NOT NULL,
    to_version INTEGER NOT NULL,
    last_position INTEGER NOT NULL
  ) STRICT`,
  `CREATE TABLE lindung_identities (
    subject TEXT PRIMARY KEY,
    key_id TEXT,
    iv BLOB,
    tag BLOB,
    ciphertext BLOB,
    erased_at INTEGER,
    updated_at INTEGER NOT NULL,
    CONSTRAINT lindung_identities_state CHECK (
      (erased_at IS NULL AND key_id IS NOT NULL AND iv IS NOT NULL AND tag IS NOT NULL AND ciphertext IS NOT NULL)
      OR (erased_at IS NOT NULL AND key_id IS NULL AND iv IS NULL AND tag IS NULL AND ciphertext IS NULL)
    )
  ) STRICT`,
  "CREATE INDEX lindung_identities_key ON lindung_identities (key_id) WHERE key_id IS NOT NULL",
  `CREATE TABLE lindung_checkpoints (
    name TEXT PRIMARY KEY,
    position INTEGER NOT NULL
  ) STRICT`
]

const pgInitial = [
  `CREATE TABLE lindung_event_sequence (
    id SMALLINT PRIMARY KEY CHECK (id = 1),
    last_position BIGINT NOT NULL
  )`,
  "INSERT INTO lindung_event_sequence (id, last_position) VALUES (1, 0)",
  `CREATE TABLE lindung_events (
    position BIGINT PRIMARY KEY,
    case_id TEXT COLLATE "C" NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    event_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    body JSONB,
    body_text TEXT,
    previous_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    CONSTRAINT lindung_events_case_version UNIQUE (case_id, version),
    CONSTRAINT lindung_events_one_body CHECK ((body IS NULL) <> (body_text IS NULL))
  )`,
  "CREATE INDEX lindung_events_type ON lindung_events (event_type)",
  `CREATE TABLE lindung_case_index (
    case_id TEXT COLLATE "C" PRIMARY KEY,
    case_key BYTEA NOT NULL UNIQUE,
    version INTEGER NOT NULL,
    region TEXT COLLATE "C" NOT NULL,
    owner TEXT COLLATE "C" NOT NULL,
    stage TEXT COLLATE "C" NOT NULL,
    risk TEXT COLLATE "C",
    subject_kind TEXT COLLATE "C" NOT NULL,
    age_band TEXT COLLATE "C" NOT NULL,
    sppa_role TEXT COLLATE "C",
    next_due_at BIGINT,
    reported_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    entry JSONB NOT NULL
  )`,
  "CREATE INDEX lindung_case_index_region ON lindung_case_index (region)",
  "CREATE INDEX lindung_case_index_stage ON lindung_case_index (stage, region)",
  "CREATE INDEX lindung_case_index_risk_due ON lindung_case_index (risk, region, next_due_at)",
  "CREATE INDEX lindung_case_index_next_due ON lindung_case_index (next_due_at) WHERE next_due_at IS NOT NULL",
  "CREATE INDEX lindung_case_index_owner ON lindung_case_index (owner)",
  `CREATE TABLE lindung_case_assignees (
    case_id TEXT COLLATE "C" NOT NULL REFERENCES lindung_case_index (case_id) ON DELETE CASCADE,
    actor_id TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (case_id, actor_id)
  )`,
  "CREATE INDEX lindung_case_assignees_actor ON lindung_case_assignees (actor_id, case_id)",
  `CREATE TABLE lindung_case_categories (
    case_id TEXT COLLATE "C" NOT NULL REFERENCES lindung_case_index (case_id) ON DELETE CASCADE,
    dimension TEXT COLLATE "C" NOT NULL CHECK (dimension IN ('ampk', 'ppks', 'concern')),
    value TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (case_id, dimension, value)
  )`,
  "CREATE INDEX lindung_case_categories_value ON lindung_case_categories (dimension, value, case_id)",
  `CREATE TABLE lindung_idempotency (
    key TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    case_id TEXT NOT NULL,
    from_version INTEGER NOT NULL,
    to_version INTEGER NOT NULL,
    last_position BIGINT NOT NULL
  )`,
  `CREATE TABLE lindung_identities (
    subject TEXT PRIMARY KEY,
    key_id TEXT,
    iv BYTEA,
    tag BYTEA,
    ciphertext BYTEA,
    erased_at BIGINT,
    updated_at BIGINT NOT NULL,
    CONSTRAINT lindung_identities_state CHECK (
      (erased_at IS NULL AND key_id IS NOT NULL AND iv IS NOT NULL AND tag IS NOT NULL AND ciphertext IS NOT NULL)
      OR (erased_at IS NOT NULL AND key_id IS NULL AND iv IS NULL AND tag IS NULL AND ciphertext IS NULL)
    )
  )`,
  "CREATE INDEX lindung_identities_key ON lindung_identities (key_id) WHERE key_id IS NOT NULL",
  `CREATE TABLE lindung_checkpoints (
    name TEXT PRIMARY KEY,
    position BIGINT NOT NULL
  )`
]

/**
 * Migration 2, SQLite: the subject of each case in the index (backfilled from the `subject` of the case's first
 * event, `ReportRegistered`, and written into the stored entry JSON too, so that old entries decode), and the
 * identity access trail. A case whose first event is missing or unreadable keeps no subject: its entry then reads
 * as `CorruptedRecord`, as its events already do, rather than blocking the migration.
 */
const sqliteSubjectAndAccesses = [
  "ALTER TABLE lindung_case_index ADD COLUMN subject TEXT",
  `UPDATE lindung_case_index SET subject = (
    SELECT CASE WHEN json_valid(e.body) THEN
      CASE WHEN json_type(e.body, '$.payload.subject') = 'text' THEN json_extract(e.body, '$.payload.subject') END
    END
    FROM lindung_events e
    WHERE e.case_id = lindung_case_index.case_id AND e.version = 1 AND e.event_type = 'ReportRegistered'
  )`,
  `UPDATE lindung_case_index SET entry = json_set(entry, '$.subject', subject)
    WHERE subject IS NOT NULL AND CASE WHEN json_valid(entry) THEN json_type(entry, '$.subject') IS NULL ELSE 0 END`,
  "CREATE INDEX lindung_case_index_subject ON lindung_case_index (subject)",
  `CREATE TABLE lindung_identity_accesses (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    subject TEXT NOT NULL,
    case_id TEXT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT NOT NULL,
    agency TEXT NOT NULL,
    operation TEXT NOT NULL,
    purpose TEXT NOT NULL,
    at INTEGER NOT NULL
  ) STRICT`,
  "CREATE INDEX lindung_identity_accesses_subject ON lindung_identity_accesses (subject, position)"
]

/**
 * Migration 2, PostgreSQL: as {@link sqliteSubjectAndAccesses}. Events are JSONB in `body`, or text in `body_text`
 * when JSONB cannot hold them (U+0000, unpaired surrogates): for those few the subject is read from the text with
 * exactly those escapes neutralised, one row at a time, and a text that still does not parse leaves the subject
 * empty instead of failing the migration.
 */
const pgSubjectAndAccesses = [
  `ALTER TABLE lindung_case_index ADD COLUMN subject TEXT COLLATE "C"`,
  `UPDATE lindung_case_index i SET subject = e.body -> 'payload' ->> 'subject'
    FROM lindung_events e
    WHERE e.case_id = i.case_id AND e.version = 1 AND e.event_type = 'ReportRegistered'
      AND jsonb_typeof(e.body -> 'payload' -> 'subject') = 'string'`,
  `DO $lindung$
  DECLARE
    r record;
    found jsonb;
  BEGIN
    FOR r IN
      SELECT i.case_id, e.body_text FROM lindung_case_index i
      JOIN lindung_events e ON e.case_id = i.case_id AND e.version = 1 AND e.event_type = 'ReportRegistered'
      WHERE i.subject IS NULL AND e.body_text IS NOT NULL
    LOOP
      BEGIN
        found := regexp_replace(r.body_text, '\\\\u(0000|[dD][89a-fA-F][0-9a-fA-F]{2})', '\\\\ufffd', 'g')::jsonb
          -> 'payload' -> 'subject';
      EXCEPTION WHEN others THEN
        found := NULL;
      END;
      IF jsonb_typeof(found) = 'string' THEN
        UPDATE lindung_case_index SET subject = found #>> '{}' WHERE case_id = r.case_id;
      END IF;
    END LOOP;
  END
  $lindung$`,
  `UPDATE lindung_case_index SET entry = jsonb_set(entry, '{subject}', to_jsonb(subject))
    WHERE subject IS NOT NULL AND NOT (entry ? 'subject')`,
  "CREATE INDEX lindung_case_index_subject ON lindung_case_index (subject)",
  `CREATE TABLE lindung_identity_accesses (
    position BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject TEXT COLLATE "C" NOT NULL,
    case_id TEXT COLLATE "C" NOT NULL,
    actor TEXT COLLATE "C" NOT NULL,
    role TEXT COLLATE "C" NOT NULL,
    agency TEXT COLLATE "C" NOT NULL,
    operation TEXT COLLATE "C" NOT NULL,
    purpose TEXT COLLATE "C" NOT NULL,
    at BIGINT NOT NULL
  )`,
  "CREATE INDEX lindung_identity_accesses_subject ON lindung_identity_accesses (subject, position)"
]

/** Migration 3, SQLite: the record of every export's manifest (`ExportLog`), append-only. */
const sqliteExportLog = [
  `CREATE TABLE lindung_export_log (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    exported_at INTEGER NOT NULL,
    body TEXT NOT NULL
  ) STRICT`
]

/** Migration 3, PostgreSQL: as {@link sqliteExportLog}. */
const pgExportLog = [
  `CREATE TABLE lindung_export_log (
    position BIGSERIAL PRIMARY KEY,
    exported_at BIGINT NOT NULL,
    body TEXT NOT NULL
  )`
]

/**
 * Migration 4, PostgreSQL, second part: `lindung_append(request jsonb)`, the whole append in one statement, so an append is one
 * round trip: it takes the sequence row (the append lock, until migration 5 replaces it), checks the idempotency
 * key, then the case's version,
 * then writes the events chained by SHA-256 (computed here, over the UTF-8 bytes of the canonical JSON the client
 * sends, exactly as `Integrity.linkCanonical`), the index entry, its side rows only when they changed, the key and
 * the counter. It answers `{"outcome": "appended" | "key-found" | "conflict" | "checked", …}`; a request without
 * `events` is checked only. `lindung_append_many(requests jsonb)` runs several requests in one transaction (group
 * commit), each in a subtransaction of its own: a request that fails leaves nothing and answers
 * `{"outcome": "failed"}`, and the others stand. The chain needs the UTF-8 bytes of the text, so the database must be UTF8 (JSONB with
 * text outside ASCII needs it already).
 */
const pgAppendFunction = [
  `DO $lindung$
  BEGIN
    IF current_setting('server_encoding') <> 'UTF8' THEN
      RAISE EXCEPTION 'Lindung needs a UTF8 database, this one is %: the integrity chain hashes the UTF-8 bytes of events',
        current_setting('server_encoding');
    END IF;
  END
  $lindung$`,
  `CREATE FUNCTION lindung_append(request jsonb) RETURNS jsonb LANGUAGE plpgsql AS $lindung$
  DECLARE
    case_ text := request ->> 'caseId';
    expected bigint := (request ->> 'expectedVersion')::bigint;
    ix jsonb := request -> 'index';
    last_pos bigint;
    stored record;
    head_version integer;
    previous text;
    linked text;
    event jsonb;
    written integer := 0;
    changed boolean;
  BEGIN
    SELECT last_position INTO last_pos FROM lindung_event_sequence WHERE id = 1 FOR UPDATE;
    IF request ? 'key' THEN
      SELECT fingerprint, case_id, from_version, to_version, last_position INTO stored
        FROM lindung_idempotency WHERE key = request ->> 'key';
      IF FOUND THEN
        RETURN jsonb_build_object('outcome', 'key-found', 'fingerprint', stored.fingerprint, 'caseId', stored.case_id,
          'fromVersion', stored.from_version, 'toVersion', stored.to_version, 'lastPosition', stored.last_position);
      END IF;
    END IF;
    SELECT version, hash INTO head_version, previous FROM lindung_events WHERE case_id = case_
      ORDER BY version DESC LIMIT 1;
    IF coalesce(head_version, 0) <> expected THEN
      RETURN jsonb_build_object('outcome', 'conflict', 'actualVersion', coalesce(head_version, 0));
    END IF;
    IF NOT (request ? 'events') THEN
      RETURN jsonb_build_object('outcome', 'checked');
    END IF;
    previous := coalesce(previous, repeat('0', 64));
    FOR event IN SELECT value FROM jsonb_array_elements(request -> 'events') LOOP
      written := written + 1;
      linked := encode(sha256(convert_to(previous || chr(10) || (event ->> 'body'), 'UTF8')), 'hex');
      INSERT INTO lindung_events (position, case_id, version, event_id, event_type, body, body_text, previous_hash, hash)
      VALUES (last_pos + written, case_, (event ->> 'version')::integer, event ->> 'eventId', event ->> 'type',
        CASE WHEN (event ->> 'jsonb')::boolean THEN (event ->> 'body')::jsonb END,
        CASE WHEN (event ->> 'jsonb')::boolean THEN NULL ELSE event ->> 'body' END,
        previous, linked);
      previous := linked;
    END LOOP;
    -- The counters: the case's old keys away (read before the index row and its side rows are rewritten), its
    -- new keys in; only the keys that changed are written.
    WITH old_keys AS (
      SELECT substr(i.region, 1, 5) AS area, i.stage AS stage, COALESCE(i.risk, '') AS risk, '' AS dimension,
        '' AS value
      FROM lindung_case_index i WHERE i.case_id = case_
      UNION ALL
      SELECT substr(i.region, 1, 5), i.stage, COALESCE(i.risk, ''), d.dimension, COALESCE(c.value, 'none')
      FROM lindung_case_index i CROSS JOIN (VALUES ('ampk'), ('ppks'), ('concern')) AS d (dimension)
      LEFT JOIN lindung_case_categories c ON c.case_id = i.case_id AND c.dimension = d.dimension
      WHERE i.case_id = case_
    ), new_base AS (
      SELECT substr(ix ->> 'region', 1, 5) AS area, ix ->> 'stage' AS stage, COALESCE(ix ->> 'risk', '') AS risk
    ), new_values AS (
      SELECT value ->> 0 AS dimension, value ->> 1 AS value FROM jsonb_array_elements(request -> 'categories')
    ), new_keys AS (
      SELECT area, stage, risk, '' AS dimension, '' AS value FROM new_base
      UNION ALL
      SELECT b.area, b.stage, b.risk, d.dimension, COALESCE(v.value, 'none')
      FROM new_base b CROSS JOIN (VALUES ('ampk'), ('ppks'), ('concern')) AS d (dimension)
      LEFT JOIN new_values v ON v.dimension = d.dimension
    ), delta AS (
      SELECT area, stage, risk, dimension, value, SUM(change) AS change
      FROM (
        SELECT area, stage, risk, dimension, value, -1 AS change FROM old_keys
        UNION ALL
        SELECT area, stage, risk, dimension, value, 1 AS change FROM new_keys
      ) AS both_keys
      GROUP BY area, stage, risk, dimension, value
      HAVING SUM(change) <> 0
    )
    INSERT INTO lindung_case_counts AS counts (area, stage, risk, dimension, value, n)
    SELECT area, stage, risk, dimension, value, change FROM delta
    ON CONFLICT (dimension, area, stage, risk, value) DO UPDATE SET n = counts.n + excluded.n;
    INSERT INTO lindung_case_index (case_id, case_key, version, region, owner, stage, risk, subject, subject_kind,
      age_band, sppa_role, next_due_at, reported_at, updated_at, entry)
    VALUES (ix ->> 'caseId', decode(ix ->> 'caseKey', 'hex'), (ix ->> 'version')::integer, ix ->> 'region',
      ix ->> 'owner', ix ->> 'stage', ix ->> 'risk', ix ->> 'subject', ix ->> 'subjectKind', ix ->> 'ageBand',
      ix ->> 'sppaRole', (ix ->> 'nextDueAt')::bigint, (ix ->> 'reportedAt')::bigint, (ix ->> 'updatedAt')::bigint,
      request -> 'entry')
    ON CONFLICT (case_id) DO UPDATE SET version = excluded.version, region = excluded.region, owner = excluded.owner,
      stage = excluded.stage, risk = excluded.risk, subject = excluded.subject, subject_kind = excluded.subject_kind,
      age_band = excluded.age_band, sppa_role = excluded.sppa_role, next_due_at = excluded.next_due_at,
      reported_at = excluded.reported_at, updated_at = excluded.updated_at, entry = excluded.entry;
    changed := expected = 0 OR ARRAY(
        SELECT actor_id FROM lindung_case_assignees WHERE case_id = ix ->> 'caseId' ORDER BY actor_id COLLATE "C")
      IS DISTINCT FROM ARRAY(
        SELECT value FROM jsonb_array_elements_text(request -> 'assigned') ORDER BY value COLLATE "C");
    IF changed THEN
      DELETE FROM lindung_case_assignees WHERE case_id = ix ->> 'caseId';
      INSERT INTO lindung_case_assignees (case_id, actor_id)
        SELECT ix ->> 'caseId', value FROM jsonb_array_elements_text(request -> 'assigned');
    END IF;
    changed := expected = 0 OR ARRAY(
        SELECT dimension || ':' || value FROM lindung_case_categories WHERE case_id = ix ->> 'caseId'
        ORDER BY (dimension || ':' || value) COLLATE "C")
      IS DISTINCT FROM ARRAY(
        SELECT (value ->> 0) || ':' || (value ->> 1) FROM jsonb_array_elements(request -> 'categories')
        ORDER BY ((value ->> 0) || ':' || (value ->> 1)) COLLATE "C");
    IF changed THEN
      DELETE FROM lindung_case_categories WHERE case_id = ix ->> 'caseId';
      INSERT INTO lindung_case_categories (case_id, dimension, value)
        SELECT ix ->> 'caseId', value ->> 0, value ->> 1 FROM jsonb_array_elements(request -> 'categories');
    END IF;
    IF request ? 'key' THEN
      INSERT INTO lindung_idempotency (key, fingerprint, case_id, from_version, to_version, last_position)
      VALUES (request ->> 'key', request ->> 'fingerprint', case_, expected + 1, expected + written, last_pos + written);
    END IF;
    UPDATE lindung_event_sequence SET last_position = last_pos + written WHERE id = 1;
    RETURN jsonb_build_object('outcome', 'appended', 'fromVersion', expected + 1, 'toVersion', expected + written,
      'lastPosition', last_pos + written);
  END
  $lindung$`,
  `CREATE FUNCTION lindung_append_many(requests jsonb) RETURNS jsonb LANGUAGE plpgsql AS $lindung$
  DECLARE
    request jsonb;
    answer jsonb;
    answers jsonb := '[]'::jsonb;
  BEGIN
    FOR request IN SELECT value FROM jsonb_array_elements(requests) LOOP
      BEGIN
        answer := lindung_append(request);
      EXCEPTION WHEN others THEN
        answer := jsonb_build_object('outcome', 'failed', 'sqlstate', SQLSTATE);
      END;
      answers := answers || jsonb_build_array(answer);
    END LOOP;
    RETURN answers;
  END
  $lindung$`
]

/**
 * The counter keys of every case (for the backfill of migration 4): per case one row with no category
 * (`dimension` and `value` empty), and one per value of each multi-valued dimension (`none` when it has none), all
 * under the case's kabupaten/kota (`area`: the region's first 5 characters), stage and risk (empty for none).
 */
const counterKeysOfAllCases = `SELECT substr(i.region, 1, 5) AS area, i.stage AS stage,
    COALESCE(i.risk, '') AS risk, '' AS dimension, '' AS value
  FROM lindung_case_index i
  UNION ALL
  SELECT substr(i.region, 1, 5), i.stage, COALESCE(i.risk, ''), d.dimension, COALESCE(c.value, 'none')
  FROM lindung_case_index i
  CROSS JOIN (SELECT 'ampk' AS dimension UNION ALL SELECT 'ppks' UNION ALL SELECT 'concern') AS d
  LEFT JOIN lindung_case_categories c ON c.case_id = i.case_id AND c.dimension = d.dimension`

/**
 * Migration 4, SQLite: the work-list index carries the sort key (overdue cases in a region are found and sorted in
 * the index alone), and `lindung_case_counts`, the number of cases per kabupaten/kota × stage × risk (× one
 * category value), kept by every append, so that dashboard counts along those dimensions read counters instead
 * of cases; filled from the index.
 */
const sqliteCaseCounts = [
  // Work lists (overdue tinggi cases in a region) find their matches and sort them in the index alone.
  "DROP INDEX lindung_case_index_risk_due",
  "CREATE INDEX lindung_case_index_risk_due ON lindung_case_index (risk, region, next_due_at, case_key, case_id)",
  `CREATE TABLE lindung_case_counts (
    area TEXT NOT NULL,
    stage TEXT NOT NULL,
    risk TEXT NOT NULL,
    dimension TEXT NOT NULL,
    value TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (dimension, area, stage, risk, value)
  ) STRICT, WITHOUT ROWID`,
  `INSERT INTO lindung_case_counts (area, stage, risk, dimension, value, n)
    SELECT area, stage, risk, dimension, value, COUNT(*) FROM (${counterKeysOfAllCases}) AS k
    GROUP BY area, stage, risk, dimension, value`
]

/**
 * Migration 4, PostgreSQL, first part: as {@link sqliteCaseCounts}; `lindung_append` (the second part,
 * {@link pgAppendFunction}) keeps the counters: before it
 * rewrites the index row and its side rows, it takes the case's old keys away and adds its new ones (only the
 * keys that changed are written).
 */
const pgCaseCounts = [
  "DROP INDEX lindung_case_index_risk_due",
  "CREATE INDEX lindung_case_index_risk_due ON lindung_case_index (risk, region, next_due_at) INCLUDE (case_key, case_id)",
  `CREATE TABLE lindung_case_counts (
    area TEXT COLLATE "C" NOT NULL,
    stage TEXT COLLATE "C" NOT NULL,
    risk TEXT COLLATE "C" NOT NULL,
    dimension TEXT COLLATE "C" NOT NULL,
    value TEXT COLLATE "C" NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (dimension, area, stage, risk, value)
  )`,
  `INSERT INTO lindung_case_counts (area, stage, risk, dimension, value, n)
    SELECT area, stage, risk, dimension, value, COUNT(*) FROM (${counterKeysOfAllCases}) AS k
    GROUP BY area, stage, risk, dimension, value`
]

/**
 * Migration 5, PostgreSQL: global order without a global lock. Until now every append took the one row of
 * `lindung_event_sequence`, so appends committed one at a time, whatever the number of writers. From here:
 *
 * - Every append takes a block number `n` from the sequence `lindung_positions` (no cache: numbers are handed out
 *   in increasing order across sessions); its events are at positions `n × 65536`, `+ 1`, … (at most 65,536 events
 *   in one append). Appends to one case are serialised by a transaction-level advisory lock on the case, taken
 *   before the idempotency key and the version are checked; appends to different cases run in parallel.
 * - Before it takes its number, an append announces the lowest it could take: it reads the last number the
 *   sequence handed out, `m`, and holds a shared advisory lock keyed by the sequence's oid and `m` until its
 *   transaction ends; its number is then above `m`. A batch announces once, for all its requests.
 * - A reader (`lindung_read_after`) first reads the last number handed out, `s`, then the announcements held
 *   (`pg_locks`), and reads, in a later statement (a newer snapshot), only the blocks below the lowest of `s + 1`
 *   and every announced `m + 1` (`lindung_position_limit`). An append still running has announced a bound at or
 *   below its number, or announces one after the reader looked and then takes a number above `s`; one that ended
 *   before the reader looked is visible to the later statement (PostgreSQL makes a commit visible before it
 *   releases the transaction's locks), whole, since its block is below the limit or not at all. So a reader never
 *   reads an event of an append while another event of it is still unreadable, and a reader that remembers the
 *   last position it read never skips an event that commits later. This needs the read at READ COMMITTED (a
 *   snapshot newer than the look) and on the primary (a standby sees none of the locks): `lindung_read_after`
 *   refuses anything else.
 * - The lock keys are (the oid of `lindung_events` or `lindung_positions`, a value): they follow the tables a
 *   session reaches, whatever its search path. Only appends to this store hold readers back (another lock with the
 *   same key, by chance, only holds them back too).
 * - A batch (`lindung_append_many`) takes all its cases' locks first, in case-id order; its counters are updated
 *   once, at its end, in key order (`lindung_count`); so two batches never wait for each other in a circle. Each
 *   counter key is kept in 16 rows (`slot`: the connection's process id modulo 16, read as their sum), so that
 *   appends on different connections mostly update different rows.
 *
 * Positions are unique, grow in the order readers are given them, and have gaps (a block per append; blocks of
 * rolled-back appends are not reused). The sequence starts above the last position written before; `pg_dump`
 * carries it along. The first statement locks the old table: appends of the previous release in flight finish
 * first, those that wait for it fail, and those that come later run the new functions (stop the previous release's
 * relays and projections before migrating: their reads do not wait for running appends).
 */
const pgPositionsWithoutLock = [
  // Waits for the appends of the previous release in flight, and keeps new ones out until the table is gone.
  "LOCK TABLE lindung_event_sequence IN ACCESS EXCLUSIVE MODE",
  "CREATE SEQUENCE lindung_positions AS bigint MINVALUE 0 CACHE 1",
  `SELECT setval('lindung_positions', GREATEST(
    (SELECT last_position FROM lindung_event_sequence WHERE id = 1),
    (SELECT COALESCE(MAX(position), 0) FROM lindung_events)) / 65536, true)`,
  "DROP TABLE lindung_event_sequence",
  // The advisory lock keys: (the oid of a table of this store, a value), each as the low 32 bits of a bigint in
  // an int4, so they follow the tables the session reaches, whatever its search_path says.
  `CREATE FUNCTION lindung_lock_key(value bigint) RETURNS integer LANGUAGE sql IMMUTABLE AS $lindung$
    SELECT (((value % 4294967296) + 4294967296) % 4294967296
      - CASE WHEN ((value % 4294967296) + 4294967296) % 4294967296 >= 2147483648 THEN 4294967296 ELSE 0 END)::integer
  $lindung$`,
  `CREATE FUNCTION lindung_lock_case(case_id text) RETURNS void LANGUAGE sql AS $lindung$
    SELECT pg_advisory_xact_lock(lindung_lock_key('lindung_events'::regclass::oid::bigint), hashtext(case_id))
  $lindung$`,
  // The last number the sequence handed out (also right after ALTER SEQUENCE … RESTART, when is_called is false).
  `CREATE FUNCTION lindung_positions_last() RETURNS bigint LANGUAGE sql VOLATILE AS $lindung$
    SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM lindung_positions
  $lindung$`,
  // Announces, until the transaction ends, that it takes only numbers above the last one handed out now.
  `CREATE FUNCTION lindung_announce() RETURNS void LANGUAGE sql VOLATILE AS $lindung$
    SELECT pg_advisory_xact_lock_shared(lindung_lock_key('lindung_positions'::regclass::oid::bigint),
      lindung_lock_key(lindung_positions_last()))
  $lindung$`,
  `CREATE FUNCTION lindung_position_limit() RETURNS bigint LANGUAGE plpgsql VOLATILE AS $lindung$
  DECLARE
    last bigint;
    announced bigint;
  BEGIN
    last := lindung_positions_last();
    -- Each announcement holds the low 32 bits of its m: m is the value nearest to last with those bits (an append
    -- may announce after last was read, so m can be a little above it), and never below 0.
    SELECT MIN(GREATEST(last + ((((l.objid::bigint - last) % 4294967296) + 4294967296 + 2147483648) % 4294967296)
        - 2147483648, 0) + 1) INTO announced
    FROM pg_locks l
    WHERE l.locktype = 'advisory' AND l.objsubid = 2 AND l.granted
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND l.classid = 'lindung_positions'::regclass::oid;
    RETURN LEAST(last + 1, COALESCE(announced, last + 1)) * 65536;
  END
  $lindung$`,
  `CREATE FUNCTION lindung_read_after(after bigint, most integer)
  RETURNS TABLE (at_position bigint, of_case text, at_version integer, body_json text, body_raw text,
    previous_link text, link text)
  LANGUAGE plpgsql VOLATILE AS $lindung$
  DECLARE
    below bigint;
  BEGIN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
      RAISE EXCEPTION 'lindung_read_after needs READ COMMITTED, not %: its read must see what committed after it looked for running appends',
        current_setting('transaction_isolation') USING ERRCODE = '25001';
    END IF;
    IF pg_is_in_recovery() THEN
      RAISE EXCEPTION 'lindung_read_after must run on the primary: a standby does not see the appends still running'
        USING ERRCODE = '25006';
    END IF;
    below := lindung_position_limit();
    -- A new statement, so a newer snapshot than the one the limit was found under.
    RETURN QUERY SELECT e.position, e.case_id::text, e.version, e.body::text, e.body_text, e.previous_hash, e.hash
      FROM lindung_events e WHERE e.position > after AND e.position < below ORDER BY e.position LIMIT most;
  END
  $lindung$`,
  "ALTER TABLE lindung_case_counts ADD COLUMN slot SMALLINT NOT NULL DEFAULT 0",
  "ALTER TABLE lindung_case_counts DROP CONSTRAINT lindung_case_counts_pkey",
  "ALTER TABLE lindung_case_counts ADD PRIMARY KEY (dimension, area, stage, risk, value, slot)",
  `CREATE FUNCTION lindung_count(deltas jsonb) RETURNS void LANGUAGE sql AS $lindung$
    INSERT INTO lindung_case_counts AS counts (area, stage, risk, dimension, value, slot, n)
    SELECT d ->> 0, d ->> 1, d ->> 2, d ->> 3, d ->> 4, (pg_backend_pid() % 16)::smallint,
      SUM((d ->> 5)::bigint)
    FROM jsonb_array_elements(deltas) AS d
    GROUP BY d ->> 0, d ->> 1, d ->> 2, d ->> 3, d ->> 4
    HAVING SUM((d ->> 5)::bigint) <> 0
    ORDER BY (d ->> 3) COLLATE "C", (d ->> 0) COLLATE "C", (d ->> 1) COLLATE "C", (d ->> 2) COLLATE "C",
      (d ->> 4) COLLATE "C"
    ON CONFLICT (dimension, area, stage, risk, value, slot) DO UPDATE SET n = counts.n + excluded.n
  $lindung$`,
  // The append without the counters, which it answers as deltas ([area, stage, risk, dimension, value, change]).
  `CREATE FUNCTION lindung_append_one(request jsonb, announce boolean DEFAULT true) RETURNS jsonb LANGUAGE plpgsql
  AS $lindung$
  DECLARE
    case_ text := request ->> 'caseId';
    expected bigint := (request ->> 'expectedVersion')::bigint;
    ix jsonb := request -> 'index';
    last_pos bigint;
    stored record;
    head_version integer;
    previous text;
    linked text;
    event jsonb;
    written integer := 0;
    changed boolean;
    deltas jsonb;
  BEGIN
    PERFORM lindung_lock_case(case_);
    IF request ? 'key' THEN
      SELECT fingerprint, case_id, from_version, to_version, last_position INTO stored
        FROM lindung_idempotency WHERE key = request ->> 'key';
      IF FOUND THEN
        RETURN jsonb_build_object('outcome', 'key-found', 'fingerprint', stored.fingerprint, 'caseId', stored.case_id,
          'fromVersion', stored.from_version, 'toVersion', stored.to_version, 'lastPosition', stored.last_position);
      END IF;
    END IF;
    SELECT version, hash INTO head_version, previous FROM lindung_events WHERE case_id = case_
      ORDER BY version DESC LIMIT 1;
    IF coalesce(head_version, 0) <> expected THEN
      RETURN jsonb_build_object('outcome', 'conflict', 'actualVersion', coalesce(head_version, 0));
    END IF;
    IF NOT (request ? 'events') THEN
      RETURN jsonb_build_object('outcome', 'checked');
    END IF;
    IF jsonb_array_length(request -> 'events') > 65536 THEN
      RAISE EXCEPTION 'Lindung appends at most 65536 events at once on PostgreSQL';
    END IF;
    -- Announce the lowest block number this append could take (see lindung_position_limit), then take one. A batch
    -- announces once, before its first request.
    IF announce THEN
      PERFORM lindung_announce();
    END IF;
    last_pos := nextval('lindung_positions') * 65536 - 1;
    IF last_pos + 65536 > 9007199254740991 THEN
      RAISE EXCEPTION 'Lindung positions are exhausted: they would pass 2^53';
    END IF;
    previous := coalesce(previous, repeat('0', 64));
    FOR event IN SELECT value FROM jsonb_array_elements(request -> 'events') LOOP
      written := written + 1;
      last_pos := last_pos + 1;
      linked := encode(sha256(convert_to(previous || chr(10) || (event ->> 'body'), 'UTF8')), 'hex');
      INSERT INTO lindung_events (position, case_id, version, event_id, event_type, body, body_text, previous_hash, hash)
      VALUES (last_pos, case_, (event ->> 'version')::integer, event ->> 'eventId', event ->> 'type',
        CASE WHEN (event ->> 'jsonb')::boolean THEN (event ->> 'body')::jsonb END,
        CASE WHEN (event ->> 'jsonb')::boolean THEN NULL ELSE event ->> 'body' END,
        previous, linked);
      previous := linked;
    END LOOP;
    -- The counters' deltas: the case's old keys away (read before the index row and its side rows are rewritten),
    -- its new keys in; only the keys that changed.
    WITH old_keys AS (
      SELECT substr(i.region, 1, 5) AS area, i.stage AS stage, COALESCE(i.risk, '') AS risk, '' AS dimension,
        '' AS value
      FROM lindung_case_index i WHERE i.case_id = case_
      UNION ALL
      SELECT substr(i.region, 1, 5), i.stage, COALESCE(i.risk, ''), d.dimension, COALESCE(c.value, 'none')
      FROM lindung_case_index i CROSS JOIN (VALUES ('ampk'), ('ppks'), ('concern')) AS d (dimension)
      LEFT JOIN lindung_case_categories c ON c.case_id = i.case_id AND c.dimension = d.dimension
      WHERE i.case_id = case_
    ), new_base AS (
      SELECT substr(ix ->> 'region', 1, 5) AS area, ix ->> 'stage' AS stage, COALESCE(ix ->> 'risk', '') AS risk
    ), new_values AS (
      SELECT value ->> 0 AS dimension, value ->> 1 AS value FROM jsonb_array_elements(request -> 'categories')
    ), new_keys AS (
      SELECT area, stage, risk, '' AS dimension, '' AS value FROM new_base
      UNION ALL
      SELECT b.area, b.stage, b.risk, d.dimension, COALESCE(v.value, 'none')
      FROM new_base b CROSS JOIN (VALUES ('ampk'), ('ppks'), ('concern')) AS d (dimension)
      LEFT JOIN new_values v ON v.dimension = d.dimension
    ), delta AS (
      SELECT area, stage, risk, dimension, value, SUM(change) AS change
      FROM (
        SELECT area, stage, risk, dimension, value, -1 AS change FROM old_keys
        UNION ALL
        SELECT area, stage, risk, dimension, value, 1 AS change FROM new_keys
      ) AS both_keys
      GROUP BY area, stage, risk, dimension, value
      HAVING SUM(change) <> 0
    )
    SELECT coalesce(jsonb_agg(jsonb_build_array(area, stage, risk, dimension, value, change)), '[]'::jsonb)
      INTO deltas FROM delta;
    INSERT INTO lindung_case_index (case_id, case_key, version, region, owner, stage, risk, subject, subject_kind,
      age_band, sppa_role, next_due_at, reported_at, updated_at, entry)
    VALUES (ix ->> 'caseId', decode(ix ->> 'caseKey', 'hex'), (ix ->> 'version')::integer, ix ->> 'region',
      ix ->> 'owner', ix ->> 'stage', ix ->> 'risk', ix ->> 'subject', ix ->> 'subjectKind', ix ->> 'ageBand',
      ix ->> 'sppaRole', (ix ->> 'nextDueAt')::bigint, (ix ->> 'reportedAt')::bigint, (ix ->> 'updatedAt')::bigint,
      request -> 'entry')
    ON CONFLICT (case_id) DO UPDATE SET version = excluded.version, region = excluded.region, owner = excluded.owner,
      stage = excluded.stage, risk = excluded.risk, subject = excluded.subject, subject_kind = excluded.subject_kind,
      age_band = excluded.age_band, sppa_role = excluded.sppa_role, next_due_at = excluded.next_due_at,
      reported_at = excluded.reported_at, updated_at = excluded.updated_at, entry = excluded.entry;
    changed := expected = 0 OR ARRAY(
        SELECT actor_id FROM lindung_case_assignees WHERE case_id = ix ->> 'caseId' ORDER BY actor_id COLLATE "C")
      IS DISTINCT FROM ARRAY(
        SELECT value FROM jsonb_array_elements_text(request -> 'assigned') ORDER BY value COLLATE "C");
    IF changed THEN
      DELETE FROM lindung_case_assignees WHERE case_id = ix ->> 'caseId';
      INSERT INTO lindung_case_assignees (case_id, actor_id)
        SELECT ix ->> 'caseId', value FROM jsonb_array_elements_text(request -> 'assigned');
    END IF;
    changed := expected = 0 OR ARRAY(
        SELECT dimension || ':' || value FROM lindung_case_categories WHERE case_id = ix ->> 'caseId'
        ORDER BY (dimension || ':' || value) COLLATE "C")
      IS DISTINCT FROM ARRAY(
        SELECT (value ->> 0) || ':' || (value ->> 1) FROM jsonb_array_elements(request -> 'categories')
        ORDER BY ((value ->> 0) || ':' || (value ->> 1)) COLLATE "C");
    IF changed THEN
      DELETE FROM lindung_case_categories WHERE case_id = ix ->> 'caseId';
      INSERT INTO lindung_case_categories (case_id, dimension, value)
        SELECT ix ->> 'caseId', value ->> 0, value ->> 1 FROM jsonb_array_elements(request -> 'categories');
    END IF;
    IF request ? 'key' THEN
      INSERT INTO lindung_idempotency (key, fingerprint, case_id, from_version, to_version, last_position)
      VALUES (request ->> 'key', request ->> 'fingerprint', case_, expected + 1, expected + written, last_pos);
    END IF;
    RETURN jsonb_build_object('outcome', 'appended', 'fromVersion', expected + 1, 'toVersion', expected + written,
      'lastPosition', last_pos, 'counts', deltas);
  END
  $lindung$`,
  `CREATE OR REPLACE FUNCTION lindung_append(request jsonb) RETURNS jsonb LANGUAGE plpgsql AS $lindung$
  DECLARE
    answer jsonb := lindung_append_one(request);
  BEGIN
    IF answer ? 'counts' THEN
      PERFORM lindung_count(answer -> 'counts');
    END IF;
    RETURN answer - 'counts';
  END
  $lindung$`,
  `CREATE OR REPLACE FUNCTION lindung_append_many(requests jsonb) RETURNS jsonb LANGUAGE plpgsql AS $lindung$
  DECLARE
    request jsonb;
    answer jsonb;
    -- Arrays, which PL/pgSQL appends to in place (a jsonb value would be copied whole at every append).
    answers jsonb[] := '{}';
    deltas jsonb[] := '{}';
    case_ text;
  BEGIN
    -- Every case's lock first, in one order for all batches: no batch waits for a lock while holding the
    -- announcement of an earlier request (which would hold readers back), and two batches never wait in a circle.
    -- (In the order of the locks' own keys, so that cases whose hashes collide are still taken in one order.)
    FOR case_ IN SELECT c.id FROM (SELECT DISTINCT (value ->> 'caseId') COLLATE "C" AS id
        FROM jsonb_array_elements(requests)) AS c ORDER BY hashtext(c.id), c.id LOOP
      PERFORM lindung_lock_case(case_);
    END LOOP;
    -- One announcement for the whole batch: every number it takes is above it (one lock, not one per request).
    PERFORM lindung_announce();
    FOR request IN SELECT value FROM jsonb_array_elements(requests) LOOP
      BEGIN
        answer := lindung_append_one(request, false);
      EXCEPTION WHEN others THEN
        answer := jsonb_build_object('outcome', 'failed', 'sqlstate', SQLSTATE);
      END;
      IF answer ? 'counts' THEN
        deltas := array_append(deltas, answer -> 'counts');
      END IF;
      answers := array_append(answers, answer - 'counts');
    END LOOP;
    PERFORM lindung_count(COALESCE(
      (SELECT jsonb_agg(delta) FROM unnest(deltas) AS counts, jsonb_array_elements(counts) AS delta), '[]'::jsonb));
    RETURN to_jsonb(answers);
  END
  $lindung$`
]

/**
 * Migration 6 (PostgreSQL): every case has a **home province**, fixed at registration, so that the events can be
 * partitioned by province (`partitionByProvince`, see `SqlStorage`) and a case that later moves to another province
 * keeps its events where they are. `lindung_case_index.home` holds it (the first two characters of the region of
 * the case's first index entry), and every event row carries it as `province`; both are filled from the index for
 * the rows written before (a single pass over both tables; for a case registered before, the province of its index
 * entry at the migration) and are NOT NULL. `lindung_append_one` finds the home in the index row (else in the
 * case's events; a new case: the province of its request's region), reads the case's head and writes its events
 * with `province = home` (one partition when partitioned), and never changes the home on later appends. The
 * unique constraint stays (case_id, version); partitioning makes it (case_id, version, province), as PostgreSQL
 * requires the partition key in it, which with one home per case guards what it guarded for every append made
 * through these functions.
 */
const pgHomeProvince = [
  // Appends of the previous release in flight finish first; those that wait for the migration then fail (their
  // rows would lack the province) and are retried by their callers.
  "LOCK TABLE lindung_events IN ACCESS EXCLUSIVE MODE",
  'ALTER TABLE lindung_case_index ADD COLUMN home TEXT COLLATE "C"',
  "UPDATE lindung_case_index SET home = left(region, 2)",
  "ALTER TABLE lindung_case_index ALTER COLUMN home SET NOT NULL",
  'ALTER TABLE lindung_events ADD COLUMN province TEXT COLLATE "C"',
  `UPDATE lindung_events e SET province = COALESCE(
    (SELECT i.home FROM lindung_case_index i WHERE i.case_id = e.case_id), '')`,
  "ALTER TABLE lindung_events ALTER COLUMN province SET NOT NULL",
  `CREATE OR REPLACE FUNCTION lindung_append_one(request jsonb, announce boolean DEFAULT true) RETURNS jsonb LANGUAGE plpgsql
  AS $lindung$
  DECLARE
    case_ text := request ->> 'caseId';
    expected bigint := (request ->> 'expectedVersion')::bigint;
    ix jsonb := request -> 'index';
    last_pos bigint;
    stored record;
    head_version integer;
    previous text;
    linked text;
    event jsonb;
    written integer := 0;
    changed boolean;
    deltas jsonb;
    home_ text;
  BEGIN
    PERFORM lindung_lock_case(case_);
    IF request ? 'key' THEN
      SELECT fingerprint, case_id, from_version, to_version, last_position INTO stored
        FROM lindung_idempotency WHERE key = request ->> 'key';
      IF FOUND THEN
        RETURN jsonb_build_object('outcome', 'key-found', 'fingerprint', stored.fingerprint, 'caseId', stored.case_id,
          'fromVersion', stored.from_version, 'toVersion', stored.to_version, 'lastPosition', stored.last_position);
      END IF;
    END IF;
    -- The case's home province, fixed at registration: its index row's (written with its events), else its events'
    -- (a case whose index row was lost, say by a partial restore), else, for a new case, the province of the
    -- request's region. Its events are found and written there only (one partition when partitioned by province).
    SELECT home INTO home_ FROM lindung_case_index WHERE case_id = case_;
    IF home_ IS NULL THEN
      SELECT province INTO home_ FROM lindung_events WHERE case_id = case_ LIMIT 1;
    END IF;
    home_ := coalesce(home_, left(ix ->> 'region', 2));
    SELECT version, hash INTO head_version, previous FROM lindung_events WHERE case_id = case_ AND province = home_
      ORDER BY version DESC LIMIT 1;
    IF coalesce(head_version, 0) <> expected THEN
      RETURN jsonb_build_object('outcome', 'conflict', 'actualVersion', coalesce(head_version, 0));
    END IF;
    IF NOT (request ? 'events') THEN
      RETURN jsonb_build_object('outcome', 'checked');
    END IF;
    IF jsonb_array_length(request -> 'events') > 65536 THEN
      RAISE EXCEPTION 'Lindung appends at most 65536 events at once on PostgreSQL';
    END IF;
    -- Announce the lowest block number this append could take (see lindung_position_limit), then take one. A batch
    -- announces once, before its first request.
    IF announce THEN
      PERFORM lindung_announce();
    END IF;
    last_pos := nextval('lindung_positions') * 65536 - 1;
    IF last_pos + 65536 > 9007199254740991 THEN
      RAISE EXCEPTION 'Lindung positions are exhausted: they would pass 2^53';
    END IF;
    previous := coalesce(previous, repeat('0', 64));
    FOR event IN SELECT value FROM jsonb_array_elements(request -> 'events') LOOP
      written := written + 1;
      last_pos := last_pos + 1;
      linked := encode(sha256(convert_to(previous || chr(10) || (event ->> 'body'), 'UTF8')), 'hex');
      INSERT INTO lindung_events (province, position, case_id, version, event_id, event_type, body, body_text,
        previous_hash, hash)
      VALUES (home_, last_pos, case_, (event ->> 'version')::integer, event ->> 'eventId', event ->> 'type',
        CASE WHEN (event ->> 'jsonb')::boolean THEN (event ->> 'body')::jsonb END,
        CASE WHEN (event ->> 'jsonb')::boolean THEN NULL ELSE event ->> 'body' END,
        previous, linked);
      previous := linked;
    END LOOP;
    -- The counters' deltas: the case's old keys away (read before the index row and its side rows are rewritten),
    -- its new keys in; only the keys that changed.
    WITH old_keys AS (
      SELECT substr(i.region, 1, 5) AS area, i.stage AS stage, COALESCE(i.risk, '') AS risk, '' AS dimension,
        '' AS value
      FROM lindung_case_index i WHERE i.case_id = case_
      UNION ALL
      SELECT substr(i.region, 1, 5), i.stage, COALESCE(i.risk, ''), d.dimension, COALESCE(c.value, 'none')
      FROM lindung_case_index i CROSS JOIN (VALUES ('ampk'), ('ppks'), ('concern')) AS d (dimension)
      LEFT JOIN lindung_case_categories c ON c.case_id = i.case_id AND c.dimension = d.dimension
      WHERE i.case_id = case_
    ), new_base AS (
      SELECT substr(ix ->> 'region', 1, 5) AS area, ix ->> 'stage' AS stage, COALESCE(ix ->> 'risk', '') AS risk
    ), new_values AS (
      SELECT value ->> 0 AS dimension, value ->> 1 AS value FROM jsonb_array_elements(request -> 'categories')
    ), new_keys AS (
      SELECT area, stage, risk, '' AS dimension, '' AS value FROM new_base
      UNION ALL
      SELECT b.area, b.stage, b.risk, d.dimension, COALESCE(v.value, 'none')
      FROM new_base b CROSS JOIN (VALUES ('ampk'), ('ppks'), ('concern')) AS d (dimension)
      LEFT JOIN new_values v ON v.dimension = d.dimension
    ), delta AS (
      SELECT area, stage, risk, dimension, value, SUM(change) AS change
      FROM (
        SELECT area, stage, risk, dimension, value, -1 AS change FROM old_keys
        UNION ALL
        SELECT area, stage, risk, dimension, value, 1 AS change FROM new_keys
      ) AS both_keys
      GROUP BY area, stage, risk, dimension, value
      HAVING SUM(change) <> 0
    )
    SELECT coalesce(jsonb_agg(jsonb_build_array(area, stage, risk, dimension, value, change)), '[]'::jsonb)
      INTO deltas FROM delta;
    INSERT INTO lindung_case_index (home, case_id, case_key, version, region, owner, stage, risk, subject, subject_kind,
      age_band, sppa_role, next_due_at, reported_at, updated_at, entry)
    VALUES (home_, ix ->> 'caseId', decode(ix ->> 'caseKey', 'hex'), (ix ->> 'version')::integer, ix ->> 'region',
      ix ->> 'owner', ix ->> 'stage', ix ->> 'risk', ix ->> 'subject', ix ->> 'subjectKind', ix ->> 'ageBand',
      ix ->> 'sppaRole', (ix ->> 'nextDueAt')::bigint, (ix ->> 'reportedAt')::bigint, (ix ->> 'updatedAt')::bigint,
      request -> 'entry')
    ON CONFLICT (case_id) DO UPDATE SET version = excluded.version, region = excluded.region, owner = excluded.owner,
      stage = excluded.stage, risk = excluded.risk, subject = excluded.subject, subject_kind = excluded.subject_kind,
      age_band = excluded.age_band, sppa_role = excluded.sppa_role, next_due_at = excluded.next_due_at,
      reported_at = excluded.reported_at, updated_at = excluded.updated_at, entry = excluded.entry;
    changed := expected = 0 OR ARRAY(
        SELECT actor_id FROM lindung_case_assignees WHERE case_id = ix ->> 'caseId' ORDER BY actor_id COLLATE "C")
      IS DISTINCT FROM ARRAY(
        SELECT value FROM jsonb_array_elements_text(request -> 'assigned') ORDER BY value COLLATE "C");
    IF changed THEN
      DELETE FROM lindung_case_assignees WHERE case_id = ix ->> 'caseId';
      INSERT INTO lindung_case_assignees (case_id, actor_id)
        SELECT ix ->> 'caseId', value FROM jsonb_array_elements_text(request -> 'assigned');
    END IF;
    changed := expected = 0 OR ARRAY(
        SELECT dimension || ':' || value FROM lindung_case_categories WHERE case_id = ix ->> 'caseId'
        ORDER BY (dimension || ':' || value) COLLATE "C")
      IS DISTINCT FROM ARRAY(
        SELECT (value ->> 0) || ':' || (value ->> 1) FROM jsonb_array_elements(request -> 'categories')
        ORDER BY ((value ->> 0) || ':' || (value ->> 1)) COLLATE "C");
    IF changed THEN
      DELETE FROM lindung_case_categories WHERE case_id = ix ->> 'caseId';
      INSERT INTO lindung_case_categories (case_id, dimension, value)
        SELECT ix ->> 'caseId', value ->> 0, value ->> 1 FROM jsonb_array_elements(request -> 'categories');
    END IF;
    IF request ? 'key' THEN
      INSERT INTO lindung_idempotency (key, fingerprint, case_id, from_version, to_version, last_position)
      VALUES (request ->> 'key', request ->> 'fingerprint', case_, expected + 1, expected + written, last_pos);
    END IF;
    RETURN jsonb_build_object('outcome', 'appended', 'fromVersion', expected + 1, 'toVersion', expected + written,
      'lastPosition', last_pos, 'counts', deltas);
  END
  $lindung$`
]

/**
 * Migration 7: **subject claims and wake-up instants**.
 *
 * Subject claims (PostgreSQL): `lindung_subject_claims` holds every subject a case holds, with the first case that
 * took it (filled from the index for the cases written before, and kept by a trigger on the insert of every index
 * row, whoever writes it — a release before this one included — so the claims stay exactly the subjects of the
 * index). A request that registers a new subject (`newSubject`, a minted id or a migration's own) is appended in a
 * subtransaction that ends by checking that the claim is its own case's; when another case holds the subject, the
 * subtransaction is rolled back and the request answers `subject-held`, having written nothing. The primary key
 * orders two such requests at once: under READ COMMITTED (the adapter's own transactions) the second waits for the
 * first's commit and then finds its claim; in a caller's REPEATABLE READ or SERIALIZABLE transaction it fails with a
 * serialization error instead (retryable), never a second win. SQLite needs no table: it writes one transaction at
 * a time, and its append reads the index by subject.
 *
 * Wake-up instants (both): `lindung_case_index.wake_at` is the entry's `wakeAt` — when the scheduler must next look
 * at the case (a deadline, or a child's 18th birthday) — apart from `next_due_at`, which from now on is the
 * earliest deadline only, the one lists show. Filled from `next_due_at`, which held the wake-up instant until now;
 * an entry written before keeps showing its former `nextDueAt` (possibly a birthday) until its case's next append or
 * a due refresh (`EventStore.refreshDue`, `lindung refresh-due`).
 * On PostgreSQL a trigger sets `wake_at` from the entry on every write of an index row (from `next_due_at` for an
 * entry without `wakeAt`, as a release before this one writes), so no writer leaves it unset.
 *
 * On PostgreSQL `lindung_append_one` of migration 6 is kept, renamed `lindung_append_case`, and wrapped by a new
 * `lindung_append_one` (which `lindung_append` and `lindung_append_many` call). Stop every writer and scheduler of a
 * release before this one first: their schedulers list by `next_due_at`, and their appends write a birthday there.
 */
const wakeUp = (integer: string) => [
  `ALTER TABLE lindung_case_index ADD COLUMN wake_at ${integer}`,
  "UPDATE lindung_case_index SET wake_at = next_due_at",
  "CREATE INDEX lindung_case_index_wake ON lindung_case_index (wake_at) WHERE wake_at IS NOT NULL"
]

const sqliteClaimsAndWakeUp = wakeUp("INTEGER")

const pgClaimsAndWakeUp = [
  // The whole table at once (the ALTER TABLE needs it): appends of the previous release in flight finish first.
  "LOCK TABLE lindung_case_index IN ACCESS EXCLUSIVE MODE",
  ...wakeUp("BIGINT"),
  `CREATE FUNCTION lindung_wake_at() RETURNS trigger LANGUAGE plpgsql AS $lindung$
  BEGIN
    NEW.wake_at := CASE WHEN NEW.entry ? 'wakeAt'
      THEN round(extract(epoch FROM (NEW.entry ->> 'wakeAt')::timestamptz) * 1000)::bigint
      ELSE NEW.next_due_at END;
    RETURN NEW;
  END
  $lindung$`,
  `CREATE TRIGGER lindung_wake_at BEFORE INSERT OR UPDATE OF entry ON lindung_case_index
    FOR EACH ROW EXECUTE FUNCTION lindung_wake_at()`,
  `CREATE TABLE lindung_subject_claims (
    subject TEXT COLLATE "C" PRIMARY KEY,
    case_id TEXT COLLATE "C" NOT NULL
  )`,
  `INSERT INTO lindung_subject_claims (subject, case_id)
    SELECT subject, MIN(case_id COLLATE "C") FROM lindung_case_index WHERE subject IS NOT NULL GROUP BY subject`,
  `CREATE FUNCTION lindung_claim_subject() RETURNS trigger LANGUAGE plpgsql AS $lindung$
  BEGIN
    IF NEW.subject IS NOT NULL THEN
      INSERT INTO lindung_subject_claims (subject, case_id) VALUES (NEW.subject, NEW.case_id)
        ON CONFLICT (subject) DO NOTHING;
    END IF;
    RETURN NULL;
  END
  $lindung$`,
  `CREATE TRIGGER lindung_claim_subject AFTER INSERT ON lindung_case_index
    FOR EACH ROW EXECUTE FUNCTION lindung_claim_subject()`,
  "ALTER FUNCTION lindung_append_one(jsonb, boolean) RENAME TO lindung_append_case",
  `CREATE FUNCTION lindung_append_one(request jsonb, announce boolean DEFAULT true) RETURNS jsonb LANGUAGE plpgsql
  AS $lindung$
  DECLARE
    answer jsonb;
  BEGIN
    IF NOT coalesce((request ->> 'newSubject')::boolean, false) THEN
      RETURN lindung_append_case(request, announce);
    END IF;
    BEGIN
      answer := lindung_append_case(request, announce);
      IF answer ->> 'outcome' = 'appended' AND (SELECT case_id FROM lindung_subject_claims
          WHERE subject = request -> 'index' ->> 'subject') IS DISTINCT FROM request ->> 'caseId' THEN
        RAISE EXCEPTION 'the subject is held by another case' USING ERRCODE = 'LD001';
      END IF;
      RETURN answer;
    EXCEPTION WHEN SQLSTATE 'LD001' THEN
      -- The append above is rolled back with the subtransaction: nothing of it is written.
      RETURN jsonb_build_object('outcome', 'subject-held');
    END;
  END
  $lindung$`
]

/**
 * Migration 8: **wake-up instants from the entry alone** (PostgreSQL; nothing on SQLite). An entry may now hold a
 * deadline (`nextDueAt`) and no wake-up instant: an overdue case whose escalations are all recorded, which the
 * scheduler should not tick at every pass (`CaseIndex.Entry.wakeAt`). The trigger `lindung_wake_at` of migration 7
 * gave such an entry `next_due_at` as its `wake_at`, as it did for the entries of releases before migration 7; it now
 * gives it none. Rows written before keep their `wake_at`: a case woken early by it is ticked once, finds nothing
 * due, and has its instants rewritten (or run `lindung refresh-due`). Writers of a release before migration 7 must
 * not run beside it (as that migration already requires): their entries would have no wake-up instant at all.
 */
const pgWakeUpFromEntry = [
  `CREATE OR REPLACE FUNCTION lindung_wake_at() RETURNS trigger LANGUAGE plpgsql AS $lindung$
  BEGIN
    NEW.wake_at := CASE WHEN NEW.entry ? 'wakeAt'
      THEN round(extract(epoch FROM (NEW.entry ->> 'wakeAt')::timestamptz) * 1000)::bigint
      ELSE NULL END;
    RETURN NEW;
  END
  $lindung$`
]

/**
 * Migration 9: **a subject gained later is claimed** (PostgreSQL; nothing on SQLite). The trigger of migration 7
 * claims a subject when an index row is inserted with one; an index row without a subject (a case whose first event
 * could not be read when migration 2 filled the column, its history repaired since) that gains one through an
 * update — the next append's upsert, a rebuild — claimed nothing, so a registration of a new subject could take the
 * subject that case holds. The trigger now also fires when an update changes the subject, and the subjects gained
 * since migration 7 are claimed for their first case.
 */
const pgClaimOnUpdate = [
  "LOCK TABLE lindung_case_index IN SHARE ROW EXCLUSIVE MODE",
  `CREATE TRIGGER lindung_claim_changed_subject AFTER UPDATE OF subject ON lindung_case_index
    FOR EACH ROW WHEN (NEW.subject IS NOT NULL AND OLD.subject IS DISTINCT FROM NEW.subject)
    EXECUTE FUNCTION lindung_claim_subject()`,
  `INSERT INTO lindung_subject_claims (subject, case_id)
    SELECT subject, MIN(case_id COLLATE "C") FROM lindung_case_index WHERE subject IS NOT NULL GROUP BY subject
    ON CONFLICT (subject) DO NOTHING`
]

/** Every migration, in order. Append new ones; never change one that was released. */
export const migrations: ReadonlyArray<Migration> = [
  { version: 1, name: "initial", sqlite: sqliteInitial, pg: pgInitial },
  {
    version: 2,
    name: "subject-index-and-identity-access",
    sqlite: sqliteSubjectAndAccesses,
    pg: pgSubjectAndAccesses
  },
  { version: 3, name: "export-log", sqlite: sqliteExportLog, pg: pgExportLog },
  {
    version: 4,
    name: "append-function-and-counts",
    sqlite: sqliteCaseCounts,
    pg: [...pgCaseCounts, ...pgAppendFunction]
  },
  { version: 5, name: "positions-without-lock", sqlite: [], pg: pgPositionsWithoutLock },
  { version: 6, name: "home-province", sqlite: [], pg: pgHomeProvince },
  { version: 7, name: "subject-claims-and-wake-up", sqlite: sqliteClaimsAndWakeUp, pg: pgClaimsAndWakeUp },
  { version: 8, name: "wake-up-from-entry", sqlite: [], pg: pgWakeUpFromEntry },
  { version: 9, name: "claim-subject-on-update", sqlite: [], pg: pgClaimOnUpdate }
]

/** The newest schema version this code knows. */
export const latestVersion: number = migrations.reduce((max, migration) => Math.max(max, migration.version), 0)

/** The database was migrated by a newer release: this code refuses to touch it. */
export class SchemaTooNew extends Schema.TaggedError<SchemaTooNew>()("SchemaTooNew", {
  found: Schema.Int,
  supported: Schema.Int
}) {
  override get message(): string {
    return `The database schema is at version ${this.found}, newer than version ${this.supported} that this release of @lindung/storage-sql knows: upgrade the application, or restore a backup taken before the upgrade`
  }
}

/** A migration's statement failed; the whole migration run was rolled back. */
export class MigrationFailed extends Schema.TaggedError<MigrationFailed>()("MigrationFailed", {
  version: Schema.Int,
  name: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `Migration ${this.version} (${this.name}) failed and was rolled back: ${this.detail}`
  }
}

/** What {@link migrate} did. */
export interface Report {
  /** The schema version before. */
  readonly from: number
  /** The schema version after. */
  readonly to: number
  /** The migrations applied, in order (empty when the schema was up to date). */
  readonly applied: ReadonlyArray<{ readonly version: number; readonly name: string }>
}

const createTable = (dialect: Dialect): string =>
  dialect === "pg"
    ? `CREATE TABLE IF NOT EXISTS ${TABLE} (
        version INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        applied_at TEXT NOT NULL
      )`
    : `CREATE TABLE IF NOT EXISTS ${TABLE} (
        version INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        applied_at TEXT NOT NULL
      ) STRICT`

const readVersion = (sql: SqlClient.SqlClient): Effect.Effect<number, SqlError.SqlError> =>
  Effect.map(
    sql<{ readonly version: unknown }>`SELECT COALESCE(MAX(version), 0) AS version FROM ${sql(TABLE)}`,
    (rows) => toNumber(rows[0]?.version ?? 0)
  )

/**
 * The schema version of the database: 0 when it was never migrated. Does not create anything.
 */
export const currentVersion: Effect.Effect<number, StorageError.StorageUnavailable, SqlClient.SqlClient> = Effect.gen(
  function* () {
    const sql = yield* SqlClient.SqlClient
    const exists = yield* sql.onDialectOrElse({
      pg: () => sql<{ readonly found: unknown }>`SELECT to_regclass(${TABLE}) IS NOT NULL AS found`,
      orElse: () =>
        sql<{
          readonly found: unknown
        }>`SELECT COUNT(*) AS found FROM sqlite_master WHERE type = 'table' AND name = ${TABLE}`
    })
    const found = exists[0]?.found
    if (found !== true && toNumber(found) !== 1) return 0
    return yield* readVersion(sql)
  }
).pipe(Effect.catchTag("SqlError", (error) => Effect.fail(unavailable("schema version")(error))))

/**
 * Runs the given migrations (default: {@link migrations}) that the database lacks, in one transaction, and
 * records them. Refuses a database whose version is newer than the newest migration given. Running it again is a
 * no-op. On PostgreSQL the transaction holds a lock for the schema and runs at READ COMMITTED (whatever the server's
 * default), so that processes starting at once migrate it once.
 */
export const migrate = (
  list: ReadonlyArray<Migration> = migrations
): Effect.Effect<Report, SchemaTooNew | MigrationFailed | StorageError.StorageUnavailable, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const dialect = dialectOf(sql)
    const ordered = [...list].sort((a, b) => a.version - b.version)
    const supported = ordered.reduce((max, migration) => Math.max(max, migration.version), 0)
    const body = Effect.gen(function* () {
      if (dialect === "pg") {
        yield* sql`SELECT pg_advisory_xact_lock(hashtext('lindung.migrate'), hashtext(COALESCE(current_schema(), '')))`
      }
      yield* sql.unsafe(createTable(dialect))
      const from = yield* readVersion(sql)
      if (from > supported) return yield* new SchemaTooNew({ found: from, supported })
      const applied: Array<{ readonly version: number; readonly name: string }> = []
      for (const migration of ordered) {
        if (migration.version <= from) continue
        for (const statement of migration[dialect]) {
          yield* sql
            .unsafe(statement)
            .pipe(
              Effect.mapError(
                (error) =>
                  new MigrationFailed({ version: migration.version, name: migration.name, detail: describe(error) })
              )
            )
        }
        const at = DateTime.formatIso(yield* DateTime.now)
        yield* sql`INSERT INTO ${sql(TABLE)} (version, name, applied_at) VALUES (${migration.version}, ${migration.name}, ${at})`
        applied.push({ version: migration.version, name: migration.name })
      }
      return { from, to: Math.max(from, applied.at(-1)?.version ?? from), applied } satisfies Report
    })
    const transaction = inTransaction(sql, body)
    // PostgreSQL: at READ COMMITTED whatever the server's default. Under REPEATABLE READ or SERIALIZABLE the snapshot
    // would be taken by the lock's statement, before the lock is granted: a second process starting at once would
    // read the schema as it was before the first one's migrations, and run them again.
    // SQLite: the write lock from the first statement on, on any client (a deferred BEGIN reads the schema version
    // first and fails busy, instead of waiting, when another process migrates at once).
    return yield* transaction.pipe(
      Effect.provideService(
        SqlClient.BeginTransaction,
        dialect === "pg" ? "BEGIN ISOLATION LEVEL READ COMMITTED" : "BEGIN IMMEDIATE"
      )
    )
  }).pipe(Effect.catchTag("SqlError", (error) => Effect.fail(unavailable("migrate")(error))))
