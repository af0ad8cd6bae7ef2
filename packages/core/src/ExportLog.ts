/**
 * The record of every export (port): the manifest of each one — who exported, when, on which lawful basis of UU 27/2022
 * Pasal 20 ayat (2), for what and over which scope — kept in the system, append-only, before any entry leaves it.
 * `CaseService.exportCases` records the manifest here first; an export whose manifest cannot be recorded does not
 * start.
 *
 * @since 0.2.0
 */
import { Context, type Effect, Result } from "effect"
import type * as CaseExport from "./CaseExport.js"
import * as Input from "./Input.js"
import type * as StorageError from "./StorageError.js"

/** The most manifests one `list` returns. */
export const MAX_LIST = 1_000

/** The operations of the {@link ExportLog} port: what an adapter implements and a caller may use. */
export interface ExportLogShape {
  /** Records the manifest of an export, before its entries are read. */
  readonly record: (manifest: CaseExport.Manifest) => Effect.Effect<void, StorageError.StorageUnavailable>
  /** The latest `limit` manifests (1 to {@link MAX_LIST}), in the order they were recorded. */
  readonly list: (
    limit: number
  ) => Effect.Effect<
    ReadonlyArray<CaseExport.Manifest>,
    StorageError.StorageUnavailable | StorageError.CorruptedRecord | Input.InvalidInput
  >
}

/** The port, as an Effect service: its operations are those of {@link ExportLogShape}. */
export class ExportLog extends Context.Service<ExportLog, ExportLogShape>()("@lindung/core/ExportLog") {}

/** Checks the limit of a `list` before an adapter reads: a whole number from 1 to {@link MAX_LIST}. */
export const checkLimit = (limit: number): Result.Result<number, Input.InvalidInput> =>
  Number.isSafeInteger(limit) && limit >= 1 && limit <= MAX_LIST
    ? Result.succeed(limit)
    : Input.fail("limit", limit, `must be a whole number from 1 to ${MAX_LIST}`)
