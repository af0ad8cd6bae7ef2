/**
 * The language of problems: `Language.negotiate` (RFC 9110 `Accept-Language`) and `Problem.localize`.
 */
import { fc, test as propTest } from "@fast-check/vitest"
import { Input, RuleRegister, SopError, StorageError } from "@lindung/core"
import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import { Language, Problem } from "../src/index.js"

const encode = (problem: object) =>
  Schema.encodeUnknownSync(problem.constructor as never)(problem) as Record<string, unknown>

describe("Language.negotiate", () => {
  it("picks the supported language of highest weight, English when none", () => {
    const cases: ReadonlyArray<readonly [string | undefined, Language.Language]> = [
      [undefined, "en"],
      ["", "en"],
      ["id", "id"],
      ["id-ID", "id"],
      ["ID-id", "id"],
      ["in", "id"],
      ["en-US", "en"],
      ["id-ID,id;q=0.9,en-US;q=0.8,en;q=0.7", "id"],
      ["en;q=0.9, id;q=0.95", "id"],
      ["id;q=0.5, en;q=0.5", "id"],
      ["en, id", "en"],
      ["fr, id;q=0.1", "id"],
      ["fr, de", "en"],
      ["*", "en"],
      ["id;q=0.5, en;q=0, *", "id"],
      ["en;q=0.5, *", "id"],
      ["id;q=0, *", "en"],
      ["id;q=0.3, *;q=0.5", "en"],
      ["en;q=0.3, *;q=0.5", "id"],
      ["id-ID;q=0.2, id;q=0.8, en;q=0.5", "id"],
      ["id;q=0, id-ID", "en"],
      ["id-ID;q=0.9, id;q=0.1, en;q=0.5", "en"],
      ["id;q=0., en;q=0", "en"],
      ["id;q=1.000, en", "id"],
      ["id;Q=0.5, en;q=0.4", "id"],
      ["id ; q = 0.5 , en;q=0.4", "id"],
      ["id;q=0x1, en;q=0.1", "en"],
      ["id;q=.95, en;q=0.1", "en"],
      ["id;q=1e0, en;q=0.1", "en"],
      ["id;q=0.0001, en;q=0.0", "en"],
      ["id;q=0, en;q=0.1", "en"],
      ["id;q=0", "en"],
      ["id;q=abc", "en"],
      ["id;q=2", "en"],
      [";;,,", "en"]
    ]
    for (const [header, language] of cases) expect(Language.negotiate(header), String(header)).toBe(language)
  })

  propTest.prop([fc.string({ maxLength: 200 })])("answers a supported language for any header", (header) => {
    expect(Language.languages).toContain(Language.negotiate(header))
  })

  propTest.prop([fc.constantFrom("id", "id-ID", "in"), fc.constantFrom("en", "en-GB", "*"), fc.nat({ max: 999 })])(
    "prefers Indonesian exactly when its weight is higher, or equal and it comes first",
    (indonesian, english, thousandths) => {
      const q = thousandths / 1000
      const header = `${english};q=${q}, ${indonesian}`
      expect(Language.negotiate(header)).toBe("id")
      expect(Language.negotiate(`${indonesian};q=${q}, ${english}`)).toBe("en")
    }
  )
})

/** One problem of every type the domain errors map to. */
const problems = (): ReadonlyArray<Record<string, unknown>> =>
  [
    SopError.forbidden("read", "outside the region"),
    new SopError.CaseNotFound({ caseId: "case-1" }),
    new SopError.CaseAlreadyExists({ caseId: "case-1" }),
    SopError.violation("SOP-02", "the plan is not approved"),
    Input.invalid("caseworker", "x", "is already assigned"),
    new StorageError.VersionConflict({ caseId: "case-1", expectedVersion: 3, actualVersion: 4 }),
    new StorageError.IdempotencyKeyReused({ key: "k", caseId: "case-1" }),
    new StorageError.NotFound({ what: "identity", id: "subject-1" }),
    new StorageError.IdentityErased({ subject: "subject-1" }),
    new StorageError.StorageUnavailable({ operation: "append", detail: "socket closed", retryable: true }),
    new StorageError.CorruptedRecord({ location: "case case-1 version 2", detail: "bad json" })
  ].map((error) => encode(Problem.fromDomain(error, "case-1")))

describe("Problem.localize", () => {
  it("leaves an English problem as it is", () => {
    for (const body of problems()) expect(Problem.localize(body, "en")).toBe(body)
  })

  it("says every problem in Bahasa Indonesia, keeping its codes and fields", () => {
    const others = [
      encode(new Problem.InvalidRequest({ errors: [{ path: ["payload", "x"], message: "Unexpected key" }] })),
      encode(new Problem.Unauthorized({ detail: "The token has expired" })),
      encode(new Problem.SubjectNotFound({ subject: "subject-9" })),
      encode(new Problem.TooManyRequests({ retryAfterSeconds: 30 })),
      encode(new Problem.PayloadTooLarge({ maxBytes: 1024 })),
      encode(new Problem.UnsupportedMediaType({ supported: ["application/json"] })),
      encode(new Problem.AuthenticationUnavailable({}))
    ]
    const all = [...problems(), ...others]
    // Every problem type has an Indonesian title.
    expect(new Set(all.map((body) => body.type))).toEqual(new Set(Object.keys(Problem.titlesId)))
    for (const body of all) {
      const localized = Problem.localize(body, "id")
      const type = String(body.type)
      expect(localized.title, type).toBe(Problem.titlesId[type])
      expect(localized.title, type).not.toBe(body.title)
      expect(typeof localized.detail, type).toBe("string")
      expect(localized.detail, type).not.toBe(body.detail)
      for (const [key, value] of Object.entries(body)) {
        if (key !== "title" && key !== "detail" && key !== "ruleTitle")
          expect(localized[key], `${type} ${key}`).toEqual(value)
      }
    }
  })

  it("keeps the English reason of a bad request after the Indonesian sentence", () => {
    const body = encode(
      new Problem.InvalidRequest({
        errors: [{ path: ["payload", "identity"], message: "not accepted here" }],
        detail: "Send the identity over HTTPS (PUT /cases/{caseId}/identity)"
      })
    )
    expect(Problem.localize(body, "id").detail).toBe(
      "Permintaan tidak sah: 1 masalah, lihat `errors` (pesannya dalam bahasa Inggris). Rincian (bahasa Inggris): Send the identity over HTTPS (PUT /cases/{caseId}/identity)"
    )
  })

  it("composes details from the fields, and names the rule of an SOP violation in Indonesian", () => {
    const [, notFound, , violation, , conflict] = problems()
    expect(Problem.localize(notFound as Record<string, unknown>, "id").detail).toBe("Kasus case-1 tidak ada")
    expect(Problem.localize(conflict as Record<string, unknown>, "id").detail).toBe(
      "Kasus case-1 berada pada versi 4, bukan 3: muat ulang kasusnya lalu putuskan lagi"
    )
    const rule = RuleRegister.entries.find((entry) => entry.id === "SOP-02")
    const sop = Problem.localize(violation as Record<string, unknown>, "id")
    expect(sop.ruleTitle).toBe(rule?.title.id)
    expect(sop.rule).toBe("SOP-02")
    expect(String(sop.detail)).toMatch(/^SOP-02: Intervensi/)
    // The guard's own reason, which the core has in English only, follows.
    expect(String(sop.detail)).toContain("the plan is not approved")
  })

  it("translates the generic problems of the server by status, and leaves an unknown type's words alone", () => {
    expect(
      Problem.localize({ type: "about:blank", status: 500, title: "Internal Server Error", detail: "x" }, "id").title
    ).toBe("Kesalahan server internal")
    const foreign = { type: "https://example.org/p", status: 418, title: "Teapot", detail: "short and stout" }
    expect(Problem.localize(foreign, "id")).toEqual(foreign)
    // A foreign type whose tail looks like one of Lindung's is still not Lindung's.
    const lookalike = { type: "https://example.com/forbidden", status: 403, title: "No", detail: "no", action: "x" }
    expect(Problem.localize(lookalike, "id")).toEqual(lookalike)
    // The 500 of any transport says nothing of HTTP.
    expect(
      Problem.localize({ type: "about:blank", status: 500, title: "Internal error", detail: "x" }, "id").detail
    ).toBe("Terjadi kesalahan tak terduga; log server mencatatnya")
  })
})
