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
  /** The position stored under a name; 0 when none was stored (always for a name {@link check} refuses). */
  readonly get: (name: string) => Effect.Effect<number, StorageError.StorageUnavailable>
  /** Stores a position under a name. */
  readonly set: (
    name: string,
    position: number
  ) => Effect.Effect<void, StorageError.StorageUnavailable | Input.InvalidInput>
}

/** The port, as an Effect service: its operations are those of {@link CheckpointsShape}. */
export class Checkpoints extends Context.Service<Checkpoints, CheckpointsShape>()("@lindung/core/Checkpoints") {}

/**
 * What is wrong with a checkpoint name, or `undefined`: a name has 1 to 200 characters, is well-formed Unicode (no
 * lone surrogate, which databases would store as one and the same replacement character) and holds no control
 * character (PostgreSQL refuses NUL; SQLite would store it).
 */
export const nameProblem = (name: string): string | undefined => {
  if (name.length === 0 || name.length > 200) return "must have 1 to 200 characters"
  if (loneSurrogate.test(name)) return "must be well-formed Unicode (no lone surrogate)"
  if (control.test(name)) return "must hold no control character"
  return undefined
}

/** A high surrogate not followed by a low one, or a low one not preceded by a high one (UTF-16 code units). */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what is refused
const control = /[\u0000-\u001f\u007f]/

/**
 * Checks a checkpoint before an adapter stores it: a name {@link nameProblem} accepts, a whole position of 0 or
 * more. An adapter's `get` answers 0 for a name this refuses, without asking its storage: nothing can be stored
 * under it.
 */
export const check = (name: string, position: number): Result.Result<void, Input.InvalidInput> => {
  const problem = nameProblem(name)
  if (problem !== undefined) return Input.fail("name", name, problem)
  if (!Number.isSafeInteger(position) || position < 0) {
    return Input.fail("position", position, "must be a whole number, 0 or more")
  }
  return Result.succeed(undefined)
}
