/**
 * The port for identities, kept apart from the case history: stored encrypted at rest by the adapter, readable
 * only through this port (and only for actors `Access` allows), and erasable. Erasure (UU 27/2022: the data
 * subject's right to deletion) leaves every event and the history intact and the identity unrecoverable: `get`
 * answers `IdentityErased` afterwards.
 *
 * @since 0.1.0
 */
import { Context, type Effect } from "effect"
import type * as StorageError from "./StorageError.js"
import type * as Subject from "./Subject.js"

/** The port. */
export class IdentityVault extends Context.Service<
  IdentityVault,
  {
    /** Stores (or replaces) the identity of a subject. */
    readonly put: (
      subject: Subject.SubjectId,
      identity: Subject.Identity
    ) => Effect.Effect<void, StorageError.StorageUnavailable>
    /** The identity of a subject. */
    readonly get: (
      subject: Subject.SubjectId
    ) => Effect.Effect<
      Subject.Identity,
      | StorageError.NotFound
      | StorageError.IdentityErased
      | StorageError.StorageUnavailable
      | StorageError.CorruptedRecord
    >
    /** Erases the identity of a subject for good; the subject id and every event remain. */
    readonly erase: (
      subject: Subject.SubjectId
    ) => Effect.Effect<void, StorageError.NotFound | StorageError.StorageUnavailable>
  }
>()("@lindung/core/IdentityVault") {}
