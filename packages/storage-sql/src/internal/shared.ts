/**
 * What the SQL services share: the dialect, translation of driver errors into the ports' errors, and conversions
 * of driver values (PostgreSQL returns `bigint` for BIGINT and parsed objects for JSONB; SQLite returns numbers
 * and text).
 *
 * @internal
 */
import { createHash } from "node:crypto"
import { type Integrity, StorageError } from "@lindung/core"
import { Effect } from "effect"
import type { SqlClient, SqlError } from "effect/sql"

/** The two SQL dialects the adapter speaks. */
export type Dialect = "sqlite" | "pg"

/** The dialect of a client, from its statement compiler. */
export const dialectOf = (sql: SqlClient.SqlClient): Dialect =>
  sql.onDialectOrElse({ orElse: () => "sqlite" as Dialect, pg: () => "pg" as Dialect })

const MAX_DETAIL = 300

/**
 * A short description of a driver error for `StorageUnavailable.detail`: the reason tag, the driver's message,
 * and the database's own primary message and code (SQLite and PostgreSQL name tables, columns and constraints
 * there). PostgreSQL's `detail` field, which quotes row values, is left out; and no statement of this adapter ever
 * carries an identity in plain text (identities reach SQL only as ciphertext).
 */
export const describe = (error: SqlError.SqlError): string => {
  const reason = error.reason
  const parts: Array<string> = [reason._tag]
  if (reason.message !== undefined && reason.message.length > 0) parts.push(reason.message)
  const cause = reason.cause as { readonly message?: unknown; readonly code?: unknown } | undefined
  if (typeof cause === "object" && cause !== null && typeof cause.message === "string") {
    const code = typeof cause.code === "string" ? ` [${cause.code}]` : ""
    if (!(reason.message ?? "").includes(cause.message)) parts.push(`${cause.message}${code}`)
  }
  const text = parts.join(": ")
  return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL)}…` : text
}

/** Translates a driver error into `StorageUnavailable`. */
export const unavailable =
  (operation: string) =>
  (error: SqlError.SqlError): StorageError.StorageUnavailable =>
    new StorageError.StorageUnavailable({ operation, detail: describe(error), retryable: error.isRetryable })

/** Runs a statement, translating its driver error. */
export const run = <A, R>(
  operation: string,
  effect: Effect.Effect<A, SqlError.SqlError, R>
): Effect.Effect<A, StorageError.StorageUnavailable, R> => Effect.mapError(effect, unavailable(operation))

/** A BIGINT/INTEGER column as a JavaScript number. */
export const toNumber = (value: unknown): number => {
  if (typeof value === "number") return value
  if (typeof value === "bigint") return Number(value)
  if (typeof value === "string") return Number(value)
  return Number.NaN
}

/** A nullable numeric column. */
export const toOptionalNumber = (value: unknown): number | undefined =>
  value === null || value === undefined ? undefined : toNumber(value)

/**
 * The sort key of an id: its UTF-16 code units, big-endian. Byte order of the key (SQLite BLOB and PostgreSQL
 * BYTEA compare bytes) is then exactly JavaScript's `<` on the id, which `CaseIndex.compareIds` defines, including
 * for characters outside the Basic Multilingual Plane where UTF-8 byte order differs.
 */
export const sortKey = (id: string): Uint8Array => {
  const bytes = new Uint8Array(id.length * 2)
  for (let index = 0; index < id.length; index++) {
    const unit = id.charCodeAt(index)
    bytes[index * 2] = unit >>> 8
    bytes[index * 2 + 1] = unit & 0xff
  }
  return bytes
}

/**
 * A JSON column's value as parsed JSON: SQLite holds text, PostgreSQL JSONB arrives parsed. `undefined` when the
 * text is not JSON.
 */
export const parseJson = (value: unknown): { readonly ok: true; readonly value: unknown } | { readonly ok: false } => {
  if (typeof value !== "string") return value === null || value === undefined ? { ok: false } : { ok: true, value }
  try {
    return { ok: true, value: JSON.parse(value) }
  } catch {
    return { ok: false }
  }
}

/**
 * Whether PostgreSQL JSONB can hold this JSON text unchanged: JSONB rejects the escape `\u0000` and unpaired
 * surrogates, which JavaScript strings (and so events' free-text fields) may contain. `JSON.stringify` writes
 * exactly these as `\u0000` and `\udXXX` escapes (paired surrogates stay raw characters), so finding such an
 * escape is enough; a false positive (the literal text `\u0000`) only costs the JSONB form of that one event.
 */
export const fitsJsonb = (json: string): boolean => !json.includes("\\u0000") && !/\\u[dD][89a-fA-F]/.test(json)

/**
 * A string for an informational text column of PostgreSQL, which cannot hold U+0000 (the event's own JSON keeps
 * the exact value).
 */
export const textColumn = (text: string): string => text.replaceAll("\u0000", "\uFFFD")

/** An error message of an unknown thrown value, without its stack. */
export const messageOf = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause))

/** SHA-256 by `node:crypto`: the hash of the integrity chain (`Integrity.Hash`), native instead of the core's own. */
export const sha256: Integrity.Hash = (text) => createHash("sha256").update(text, "utf8").digest("hex")

/**
 * The counter keys of every case: per case one row with no category (`dimension` and `value` empty), and one per
 * value of each multi-valued dimension (`none` when it has none), all under the case's kabupaten/kota (`area`: the
 * region's first 5 characters), stage and risk (empty for none).
 */
const COUNTER_KEYS_OF_ALL_CASES = `SELECT substr(i.region, 1, 5) AS area, i.stage AS stage,
    COALESCE(i.risk, '') AS risk, '' AS dimension, '' AS value
  FROM lindung_case_index i
  UNION ALL
  SELECT substr(i.region, 1, 5), i.stage, COALESCE(i.risk, ''), d.dimension, COALESCE(c.value, 'none')
  FROM lindung_case_index i
  CROSS JOIN (SELECT 'ampk' AS dimension UNION ALL SELECT 'ppks' UNION ALL SELECT 'concern') AS d
  LEFT JOIN lindung_case_categories c ON c.case_id = i.case_id AND c.dimension = d.dimension`

/**
 * Fills an empty `lindung_case_counts` from the index, for `SqlStorage.rebuildCounts`: the keys every append
 * writes (`AppendPlan`, `lindung_append_one`); keep them in step. (Migration 4 has its own copy, frozen.)
 */
export const FILL_CASE_COUNTS = `INSERT INTO lindung_case_counts (area, stage, risk, dimension, value, n)
    SELECT area, stage, risk, dimension, value, COUNT(*) FROM (${COUNTER_KEYS_OF_ALL_CASES}) AS k
    GROUP BY area, stage, risk, dimension, value`
