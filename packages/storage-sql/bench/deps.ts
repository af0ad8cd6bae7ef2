/**
 * The packages the benchmarks use, resolved by name (their built `dist`, which `npm run bench` builds first through
 * turbo's `bench` → `build` dependency), so that the benchmark runs the code that is published.
 */
export {
  Actor,
  Agency,
  Case,
  CaseCommand,
  CaseEvent,
  CaseIndex,
  CaseRepository,
  CaseService,
  DeadlineScheduler,
  Decider,
  Directory,
  EventStore,
  Integrity,
  Person,
  Region
} from "@lindung/core"
export { Backup, IdentityKeys, SqlStorage } from "@lindung/storage-sql"
export { Suite } from "@lindung/storage-testkit"
export { Clock, Context, DateTime, Effect, Layer, ManagedRuntime, Redacted, Result, Schema } from "effect"
export { SqlClient } from "effect/sql"
