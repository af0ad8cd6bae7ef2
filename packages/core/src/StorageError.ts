/**
 * The errors of the storage ports. Adapters translate every driver error into one of these, so no driver error
 * (an `SqlError`, a socket error) ever crosses a port; each carries only serialisable fields and never a child's
 * identity.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/** Another writer appended first: the case is at `actualVersion`, not `expectedVersion`. Reload and decide again. */
export class VersionConflict extends Schema.TaggedError<VersionConflict>()("VersionConflict", {
  caseId: Schema.String,
  expectedVersion: Schema.Int,
  actualVersion: Schema.Int
}) {
  override get message(): string {
    return `Case ${this.caseId} is at version ${this.actualVersion}, not ${this.expectedVersion}: another writer appended first`
  }
}

/**
 * An append that claims a new subject (`AppendRequest.newSubject`) met a subject that another case already holds:
 * nothing was written. Two registrations of one new subject at the same moment (say, two agencies importing the
 * same subject id) cannot both take it; the case service then decides again, as if the other had come first.
 */
export class SubjectHeld extends Schema.TaggedError<SubjectHeld>()("SubjectHeld", {
  caseId: Schema.String
}) {
  override get message(): string {
    return `Case ${this.caseId} was not written: its subject, registered as new, is already held by another case`
  }
}

/** An idempotency key was used before for a different request. */
export class IdempotencyKeyReused extends Schema.TaggedError<IdempotencyKeyReused>()("IdempotencyKeyReused", {
  key: Schema.String,
  caseId: Schema.String
}) {
  override get message(): string {
    return `Idempotency key ${this.key} was already used for a different request (case ${this.caseId})`
  }
}

/** The thing asked for does not exist. */
export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", {
  what: Schema.Literals(["case", "identity", "checkpoint"]),
  id: Schema.String
}) {
  override get message(): string {
    return `No ${this.what} ${this.id}`
  }
}

/** The subject's identity was erased (UU 27/2022); the case history remains. */
export class IdentityErased extends Schema.TaggedError<IdentityErased>()("IdentityErased", {
  subject: Schema.String
}) {
  override get message(): string {
    return `The identity of subject ${this.subject} was erased`
  }
}

/** The store cannot be reached or failed for a reason that a retry may cure. */
export class StorageUnavailable extends Schema.TaggedError<StorageUnavailable>()("StorageUnavailable", {
  operation: Schema.String,
  detail: Schema.String,
  retryable: Schema.Boolean
}) {
  override get message(): string {
    return `Storage unavailable during ${this.operation}: ${this.detail}${this.retryable ? " (retryable)" : ""}`
  }
}

/** A stored record does not decode, or the history is broken: reported, never a crash. */
export class CorruptedRecord extends Schema.TaggedError<CorruptedRecord>()("CorruptedRecord", {
  location: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `Corrupted record at ${this.location}: ${this.detail}`
  }
}

/** Every storage error. */
export type StorageError =
  | VersionConflict
  | SubjectHeld
  | IdempotencyKeyReused
  | NotFound
  | IdentityErased
  | StorageUnavailable
  | CorruptedRecord

/** Schema of {@link StorageError}, for transport. */
export const StorageError = Schema.Union([
  VersionConflict,
  SubjectHeld,
  IdempotencyKeyReused,
  NotFound,
  IdentityErased,
  StorageUnavailable,
  CorruptedRecord
])
