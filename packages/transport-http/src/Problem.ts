/**
 * The problems of the API (RFC 9457 `application/problem+json`): `@lindung/wire`'s `Problem`, shared with the other
 * transports, re-exported here (named one by one: a bundler cannot see the names of an external module's
 * `export *`).
 *
 * @since 0.1.0
 */
export {
  AuthenticationUnavailable,
  CaseAlreadyExists,
  CaseNotFound,
  CorruptedRecord,
  commandErrors,
  type DomainError,
  type DomainProblem,
  Forbidden,
  fromDomain,
  IdempotencyKeyReused,
  IdentityErased,
  InvalidInput,
  InvalidRequest,
  Issue,
  localize,
  NotFound,
  PayloadTooLarge,
  type ProblemOf,
  readErrors,
  SopViolation,
  StorageUnavailable,
  SubjectNotFound,
  TooManyRequests,
  TYPE_PREFIX,
  titleId,
  titlesId,
  Unauthorized,
  UnsupportedMediaType,
  VersionConflict
} from "@lindung/wire/Problem"
