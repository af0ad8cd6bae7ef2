/**
 * The port for named positions in the global event order, kept by relays and projections so that they resume
 * where they stopped (e.g. `relay:nats` at position 1234).
 *
 * @since 0.1.0
 */
import { Context, type Effect, Result } from "effect"
import * as Input from "./Input.js"
import type * as StorageError from "./StorageError.js"

/** The operations of the {@link Checkpoints} port: what an adapter implements and a caller may use. */
export interface CheckpointsShape {
  /** The position stored under a name; 0 when none was stored. */
  readonly get: (name: string) => Effect.Effect<number, StorageError.StorageUnavailable>
  /** Stores a position under a name. */
  readonly set: (
    name: string,
    position: number
  ) => Effect.Effect<void, StorageError.StorageUnavailable | Input.InvalidInput>
}

/** The port, as an Effect service: its operations are those of {@link CheckpointsShape}. */
export class Checkpoints extends Context.Service<Checkpoints, CheckpointsShape>()("@lindung/core/Checkpoints") {}

/** Checks a checkpoint before an adapter stores it: a name of 1 to 200 characters, a whole position of 0 or more. */
export const check = (name: string, position: number): Result.Result<void, Input.InvalidInput> => {
  if (name.length === 0 || name.length > 200) return Input.fail("name", name, "must have 1 to 200 characters")
  if (!Number.isSafeInteger(position) || position < 0) {
    return Input.fail("position", position, "must be a whole number, 0 or more")
  }
  return Result.succeed(undefined)
}
