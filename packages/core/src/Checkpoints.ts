/**
 * The port for named positions in the global event order, kept by relays and projections so that they resume
 * where they stopped (e.g. `relay:nats` at position 1234).
 *
 * @since 0.1.0
 */
import { Context, type Effect } from "effect"
import type * as StorageError from "./StorageError.js"

/** The port. */
export class Checkpoints extends Context.Service<
  Checkpoints,
  {
    /** The position stored under a name; 0 when none was stored. */
    readonly get: (name: string) => Effect.Effect<number, StorageError.StorageUnavailable>
    /** Stores a position under a name. */
    readonly set: (name: string, position: number) => Effect.Effect<void, StorageError.StorageUnavailable>
  }
>()("@lindung/core/Checkpoints") {}
