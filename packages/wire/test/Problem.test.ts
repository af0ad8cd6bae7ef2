/**
 * The mapping of domain errors to RFC 9457 problems: status, type and the fields that say what is wrong.
 */
import { fc, test as propTest } from "@fast-check/vitest"
import { Input, Sop, SopError, StorageError } from "@lindung/core"
import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import { Problem } from "../src/index.js"

const encode = (problem: Problem.DomainProblem) =>
  Schema.encodeUnknownSync(problem.constructor as never)(problem) as Record<string, unknown>

describe("Problem.fromDomain", () => {
  it("maps every domain error to its status and type", () => {
    const cases: ReadonlyArray<readonly [Problem.DomainError, number, string]> = [
      [SopError.forbidden("read", "outside the region"), 403, "forbidden"],
      [new SopError.CaseNotFound({ caseId: "c" }), 404, "case-not-found"],
      [new SopError.CaseAlreadyExists({ caseId: "c" }), 409, "case-already-exists"],
      [SopError.violation("SOP-02", "the plan is not approved"), 422, "sop-violation"],
      [Input.invalid("caseworker", "x", "is already assigned"), 422, "invalid-input"],
      [
        new StorageError.VersionConflict({ caseId: "c", expectedVersion: 3, actualVersion: 4 }),
        409,
        "version-conflict"
      ],
      [new StorageError.IdempotencyKeyReused({ key: "k", caseId: "c" }), 422, "idempotency-key-reused"],
      [new StorageError.NotFound({ what: "case", id: "c" }), 404, "case-not-found"],
      [new StorageError.NotFound({ what: "identity", id: "subject-1" }), 404, "not-found"],
      [new StorageError.IdentityErased({ subject: "subject-1" }), 410, "identity-erased"],
      [
        new StorageError.StorageUnavailable({ operation: "append", detail: "socket closed", retryable: true }),
        503,
        "storage-unavailable"
      ],
      [new StorageError.CorruptedRecord({ location: "case c version 2", detail: "bad json" }), 500, "corrupted-record"]
    ]
    for (const [error, status, type] of cases) {
      const problem = Problem.fromDomain(error, "c")
      const body = encode(problem)
      expect(body.status, error._tag).toBe(status)
      expect(body.type, error._tag).toBe(`${Problem.TYPE_PREFIX}${type}`)
      expect(typeof body.title).toBe("string")
      expect(typeof body.detail).toBe("string")
    }
  })

  it("keeps the current version of a conflict, and never the subject id of an identity", () => {
    const conflict = Problem.fromDomain(
      new StorageError.VersionConflict({ caseId: "c", expectedVersion: 3, actualVersion: 5 })
    )
    expect(encode(conflict)).toMatchObject({ caseId: "c", expectedVersion: 3, currentVersion: 5 })
    const erased = encode(Problem.fromDomain(new StorageError.IdentityErased({ subject: "subject-secret" }), "c"))
    const missing = encode(
      Problem.fromDomain(new StorageError.NotFound({ what: "identity", id: "subject-secret" }), "c")
    )
    expect(JSON.stringify([erased, missing])).not.toContain("subject-secret")
    const storage = encode(
      Problem.fromDomain(
        new StorageError.StorageUnavailable({ operation: "append", detail: "password=hunter2", retryable: false })
      )
    )
    expect(JSON.stringify(storage)).not.toContain("hunter2")
  })

  propTest.prop([fc.constantFrom(...Sop.ruleIds), fc.string({ minLength: 1, maxLength: 80 })])(
    "an SOP violation names its rule, the rule's title and basis",
    (rule, detail) => {
      const body = encode(Problem.fromDomain(SopError.violation(rule, detail)))
      expect(body).toMatchObject({ status: 422, rule, ruleTitle: Sop.rules[rule].title.en, detail })
      expect(body.basis).toEqual(Sop.rules[rule].basis)
    }
  )

  propTest.prop([fc.string({ minLength: 1, maxLength: 30 }), fc.string({ minLength: 1, maxLength: 80 })])(
    "a refusal names SOP-07, the action and its basis",
    (action, detail) => {
      const body = encode(Problem.fromDomain(SopError.forbidden(action, detail)))
      expect(body).toMatchObject({ status: 403, rule: "SOP-07", action, detail, basis: Sop.rules["SOP-07"].basis })
    }
  )
})
