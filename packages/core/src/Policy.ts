/**
 * Every policy number Lindung reads, in one object given once: deadlines by risk level, escalation, the risk
 * scoring, the SPPA numbers and how ages are counted, the structure of each Dinas type (which decides the
 * approving office), the caseload limits, the jurisdiction policy and the retention of identities. Each part is a typed, overridable default with its source (see the
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
import { Duration, Result, Schema } from "effect"
import * as DataSubject from "./DataSubject.js"
import * as Deadline from "./Deadline.js"
import * as DinasType from "./DinasType.js"
import * as Input from "./Input.js"
import * as Jurisdiction from "./Jurisdiction.js"
import * as Region from "./Region.js"
import * as Risk from "./Risk.js"
import * as Sppa from "./Sppa.js"

/** Every policy the case SOP reads. */
export interface Policy {
  /** How long each step may take, by risk level (SOP-11). */
  readonly deadlines: Deadline.DeadlinePolicy
  /** When an overdue item escalates from the supervisor to the head of the dinas (SOP-11). */
  readonly escalation: Deadline.EscalationPolicy
  /** How the risk level is computed from the factors. */
  readonly risk: Risk.RiskPolicy
  /** SPPA numbers, and how ages are counted (`sppa.agePolicy`, also for SOP-09). */
  readonly sppa: Sppa.SppaPolicy
  /** The structure of each Dinas type, which decides the approving office (DINAS-APPROVER). */
  readonly dinas: DinasType.StructurePolicy
  /** Caseload limits per caseworker (workload dashboards). */
  readonly caseload: DinasType.CaseloadPolicy
  /** Which level is responsible for a case: the order of the rules, and the arrangements of regions. */
  readonly jurisdiction: Jurisdiction.JurisdictionPolicy
  /** How long an identity is kept after its case closes (PDP-RETENTION). */
  readonly retention: DataSubject.RetentionPolicy
}

/** The default policies, each with its source in the module that defines it. */
export const defaults: Policy = {
  deadlines: Deadline.defaultPolicy,
  escalation: Deadline.defaultEscalationPolicy,
  risk: Risk.defaultRiskPolicy,
  sppa: Sppa.defaultSppaPolicy,
  dinas: DinasType.defaultStructurePolicy,
  caseload: DinasType.defaultCaseloadPolicy,
  jurisdiction: Jurisdiction.defaultJurisdictionPolicy,
  retention: DataSubject.defaultRetentionPolicy
}

/** The default policies with some parts replaced. */
export const make = (overrides: Partial<Policy>): Policy => ({ ...defaults, ...overrides })

/** Why a policy cannot be used: the first part that fails its own check. */
export type Invalid =
  | Deadline.InvalidDeadlinePolicy
  | Risk.InvalidRiskPolicy
  | DinasType.InvalidDinasPolicy
  | Jurisdiction.InvalidJurisdictionPolicy
  | DataSubject.InvalidRetentionPolicy
  | Sppa.InvalidSppaPolicy

/**
 * Checks every part that has a check of its own — the deadlines and the escalation interval, the Dinas structures,
 * the caseload limits, the jurisdiction policy, the retention policy, the risk scoring and the SPPA numbers — and
 * answers the first failure. Servers check the policy they are given when they start.
 */
export const validate = (policy: Policy): Result.Result<Policy, Invalid> => {
  const deadlines = Deadline.validate(policy.deadlines)
  if (Result.isFailure(deadlines)) return Result.fail(deadlines.failure)
  const escalation = Deadline.durationProblem(policy.escalation.toHeadAfter)
  if (escalation !== undefined) {
    return Result.fail(
      new Deadline.InvalidDeadlinePolicy({
        rule: "DEADLINE-POSITIVE",
        field: "escalation.toHeadAfter",
        value: Duration.format(policy.escalation.toHeadAfter),
        reason: escalation
      })
    )
  }
  const structures = DinasType.validateStructurePolicy(policy.dinas)
  if (Result.isFailure(structures)) return Result.fail(structures.failure)
  const caseload = DinasType.validateCaseloadPolicy(policy.caseload)
  if (Result.isFailure(caseload)) return Result.fail(caseload.failure)
  const jurisdiction = Jurisdiction.validatePolicy(policy.jurisdiction)
  if (Result.isFailure(jurisdiction)) return Result.fail(jurisdiction.failure)
  const retention = DataSubject.validateRetentionPolicy(policy.retention)
  if (Result.isFailure(retention)) return Result.fail(retention.failure)
  const risk = Risk.validatePolicy(policy.risk)
  if (Result.isFailure(risk)) return Result.fail(risk.failure)
  const sppa = Sppa.validatePolicy(policy.sppa)
  return Result.isFailure(sppa) ? Result.fail(sppa.failure) : Result.succeed(policy)
}

/**
 * A deployment's policy file in JSON: any of its sections, each overriding the defaults — deadlines as
 * ISO-8601 durations per kind and risk level (`Deadline.PolicyOverrides`), the escalation interval, the risk scoring,
 * the SPPA numbers, the caseload limits, the structure of a Dinas type (which decides the approving office), the
 * retention of identities, the arrangements of regions for jurisdiction. For example
 * `{ "deadlines": { "first-contact": { "tinggi": "PT12H" } }, "caseload": { … } }`.
 */
export const File = Schema.Struct({
  deadlines: Schema.optionalKey(Deadline.PolicyOverrides),
  escalation: Schema.optionalKey(Schema.Struct({ toHeadAfter: Deadline.IsoDuration })),
  /** The risk scoring: the `sedang` threshold, the points of the factors, the red flags in force (`Risk.RiskPolicyOverrides`). */
  risk: Schema.optionalKey(Risk.RiskPolicyOverrides),
  /** The SPPA numbers and how ages are counted (`Sppa.SppaPolicyOverrides`), e.g. Pasal 21's months. */
  sppa: Schema.optionalKey(Sppa.SppaPolicyOverrides),
  caseload: Schema.optionalKey(
    Schema.Struct({
      maxPerCaseworker: Schema.Int,
      bandUpperBounds: Schema.Tuple([Schema.Int, Schema.Int, Schema.Int])
    })
  ),
  /** The structure of a Dinas type, per type (`DinasType.Structure`, with its basis), replacing the default. */
  dinas: Schema.optionalKey(
    Schema.Struct({
      structures: Schema.Struct({
        A: Schema.optionalKey(DinasType.Structure),
        B: Schema.optionalKey(DinasType.Structure),
        C: Schema.optionalKey(DinasType.Structure),
        merged: Schema.optionalKey(DinasType.Structure)
      })
    })
  ),
  /** How long an identity is kept after its case closes. */
  retention: Schema.optionalKey(DataSubject.RetentionPolicy),
  /** The arrangements of regions (`Jurisdiction.JurisdictionPolicy.regional`), each with its reason. */
  jurisdiction: Schema.optionalKey(
    Schema.Struct({
      regional: Schema.Array(
        Schema.Struct({
          region: Region.RegionCode,
          rule: Jurisdiction.RuleId,
          level: Jurisdiction.Level,
          reason: Schema.NonEmptyString
        })
      )
    })
  )
}).annotate({ identifier: "PolicyFile", description: "A deployment's overrides of the default policies" })

/** See {@link File}. */
export type File = typeof File.Type

/**
 * Reads a policy file (see {@link File}) over the defaults and checks the whole policy ({@link validate}). A bad
 * shape, an unknown key or a malformed duration is an `Input.InvalidInput`; a policy that breaks a rule is refused
 * with the error that names it (e.g. `DEADLINE-MONOTONE`, a higher risk level with a later deadline).
 */
export const fromJson = (json: unknown): Result.Result<Policy, Invalid | Input.InvalidInput> => {
  const decoded = Schema.decodeUnknownResult(File, { onExcessProperty: "error" })(json)
  if (Result.isFailure(decoded)) return Input.fail("policy", json, decoded.failure.message)
  const file = decoded.success
  const deadlines = Deadline.makePolicy(file.deadlines ?? {})
  if (Result.isFailure(deadlines)) return Result.fail(deadlines.failure)
  const risk = Risk.makeRiskPolicy(file.risk ?? {})
  if (Result.isFailure(risk)) return Result.fail(risk.failure)
  return validate({
    ...defaults,
    deadlines: deadlines.success,
    risk: risk.success,
    ...(file.sppa === undefined ? {} : { sppa: Sppa.overridePolicy(file.sppa) }),
    ...(file.escalation === undefined ? {} : { escalation: file.escalation }),
    ...(file.caseload === undefined ? {} : { caseload: file.caseload }),
    ...(file.retention === undefined ? {} : { retention: file.retention }),
    ...(file.dinas === undefined
      ? {}
      : {
          dinas: {
            ...defaults.dinas,
            structures: { ...defaults.dinas.structures, ...file.dinas.structures }
          }
        }),
    ...(file.jurisdiction === undefined
      ? {}
      : {
          jurisdiction: {
            ...defaults.jurisdiction,
            regional: file.jurisdiction.regional as ReadonlyArray<Jurisdiction.RegionalOverride>
          }
        })
  })
}
