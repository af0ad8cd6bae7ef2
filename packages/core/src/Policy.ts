/**
 * Every policy number Lindung reads, in one object given once: deadlines by risk level, escalation, the risk
 * scoring, the SPPA numbers and how ages are counted, the structure of each Dinas type (which decides the
 * approving office) and the caseload limits. Each part is a typed, overridable default with its source (see the
 * module that defines it); a deployment overrides what its regulation says and passes the result to the case
 * repository or service, which hand the same object to the decider, the deadlines and the index.
 *
 * @example
 * ```ts
 * import { Duration } from "effect"
 * import { Policy } from "@lindung/core"
 *
 * const policy = Policy.make({ escalation: { toHeadAfter: Duration.hours(12) } })
 * ```
 *
 * @since 0.2.0
 */
import * as CaseDeadlines from "./CaseDeadlines.js"
import * as DinasType from "./DinasType.js"
import * as Sppa from "./Sppa.js"

/** Every policy the case SOP reads. `CaseDeadlines.Policy` is the part deadlines read. */
export interface Policy extends CaseDeadlines.Policy {
  /** SPPA numbers, and how ages are counted (`sppa.agePolicy`, also for SOP-09). */
  readonly sppa: Sppa.SppaPolicy
  /** The structure of each Dinas type, which decides the approving office (DINAS-APPROVER). */
  readonly dinas: DinasType.StructurePolicy
  /** Caseload limits per caseworker (workload dashboards). */
  readonly caseload: DinasType.CaseloadPolicy
}

/** The default policies, each with its source in the module that defines it. */
export const defaults: Policy = {
  ...CaseDeadlines.defaultPolicy,
  sppa: Sppa.defaultSppaPolicy,
  dinas: DinasType.defaultStructurePolicy,
  caseload: DinasType.defaultCaseloadPolicy
}

/** The default policies with some parts replaced. */
export const make = (overrides: Partial<Policy>): Policy => ({ ...defaults, ...overrides })
