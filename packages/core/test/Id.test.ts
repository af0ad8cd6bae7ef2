import { fc, test as propTest } from "@fast-check/vitest"
import { Ajv2020 } from "ajv/dist/2020.js"
import { Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as Actor from "../src/Actor.js"
import * as Agency from "../src/Agency.js"
import * as CaseEvent from "../src/CaseEvent.js"
import * as CaseIndex from "../src/CaseIndex.js"
import * as CaseModel from "../src/CaseModel.js"
import * as EventStore from "../src/EventStore.js"
import * as Id from "../src/Id.js"
import * as JsonSchema from "../src/JsonSchema.js"
import * as Subject from "../src/Subject.js"
import { caseOf, cmd, emptyStory, people, step } from "./fixtures.js"
import { runs } from "./properties.js"

/** A word that must never show up in a message: values are built around it. */
const SECRET = "RAHASIA"

const decode = (schema: Schema.Decoder<unknown>, value: unknown): Result.Result<unknown, string> => {
  const result = Schema.decodeUnknownResult(schema)(value)
  return Result.isSuccess(result) ? Result.succeed(result.success) : Result.fail(result.failure.message)
}

const refusal = (schema: Schema.Decoder<unknown>, value: unknown): string => {
  const result = decode(schema, value)
  if (Result.isSuccess(result)) throw new Error("expected the value to be refused")
  return result.failure
}

const wording = {
  control: "an id must not contain a control character",
  bidi: "an id must not contain a bidirectional text control",
  separator: "an id must not contain a line or paragraph separator",
  invisible: "an id must not contain an invisible or formatting character",
  noncharacter: "an id must not contain a Unicode noncharacter",
  surrogate: "an id must be well-formed Unicode, without a lone surrogate"
} as const

const NFC_MESSAGE =
  "an id must be in Unicode normalisation form NFC (e.g. é as one character, not e followed by a combining accent); " +
  "it is refused, not normalised"

const hex = (codePoint: number) => `U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}`

/** A single code point as a string; a surrogate code point becomes a lone surrogate. */
const char = (codePoint: number): string =>
  codePoint >= 0xd800 && codePoint <= 0xdfff ? String.fromCharCode(codePoint) : String.fromCodePoint(codePoint)

/** Well-formed UTF-16, checked without `isWellFormed`: encoding to UTF-8 replaces a lone surrogate with U+FFFD. */
const wellFormed = (value: string): boolean => new TextDecoder().decode(new TextEncoder().encode(value)) === value

/**
 * What the module says it refuses, from the Unicode properties of the runtime rather than from its table: controls,
 * format characters, line and paragraph separators, noncharacters, lone surrogates, and every default-ignorable code
 * point except variation selectors.
 */
const forbiddenByUnicode =
  /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Noncharacter_Code_Point}]|(?!\p{Variation_Selector})\p{Default_Ignorable_Code_Point}/u

const fromRange = (from: number, to: number) => fc.integer({ min: from, max: to }).map(char)

/** Characters an id may hold, from several scripts; none of them changes under NFC, alone or beside another. */
const allowedChar = fc.oneof(
  fromRange(0x20, 0x7e), // ASCII, space included
  fromRange(0xc0, 0xff), // Latin-1 letters: é, ñ, ü, …
  fromRange(0x4e00, 0x9fff), // CJK unified ideographs
  fromRange(0xac00, 0xd7a3), // Hangul syllables
  fromRange(0x1f300, 0x1f64f) // emoji: two UTF-16 units, one character
)

/** Valid ids of `minLength` to `maxLength` characters. */
const validId = (minLength: number, maxLength: number) =>
  fc.array(allowedChar, { minLength, maxLength }).map((chars) => chars.join(""))

type Kind = keyof typeof wording

const kindOf = (kind: Kind, codePoints: ReadonlyArray<number>) =>
  fc.constantFrom(...codePoints).map((codePoint) => ({ codePoint, kind }))

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)

/** A refused character and the class the message must name. */
const forbiddenChar = fc.oneof(
  kindOf("control", [...range(0x00, 0x1f), ...range(0x7f, 0x9f)]),
  kindOf("bidi", [0x061c, 0x200e, 0x200f, ...range(0x202a, 0x202e), ...range(0x2066, 0x2069)]),
  kindOf("separator", [0x2028, 0x2029]),
  kindOf("invisible", [0x00ad, 0x034f, 0x115f, 0x180e, 0x200b, 0x200c, 0x200d, 0x2060, 0x3164, 0xfeff, 0xe0001]),
  kindOf("noncharacter", [0xfdd0, 0xfdef, 0xfffe, 0xffff, 0x1fffe, 0x10ffff]),
  kindOf("surrogate", [0xd800, 0xdbff, 0xdc00, 0xdfff])
)

/** Any string: valid ids, refused characters, combining accents, lone surrogates and arbitrary code points. */
const anyString = fc.string({
  unit: fc.oneof(
    allowedChar,
    forbiddenChar.map(({ codePoint }) => char(codePoint)),
    fromRange(0x300, 0x34e), // combining accents (U+034F, a joiner, is refused): text that is not NFC
    fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
    fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 })
  ),
  maxLength: 140
})

describe("Id: examples", () => {
  it("accepts the ids in use today, and ids up to 128 characters", () => {
    for (const id of [
      "dinsos-13.71",
      "subjek-000-kakak",
      "sakti-peksos-padang-1",
      "3f2b8c1e-9d4a-4e7b-8f61-2a5c9e0d7b34",
      "case-ev-1:1",
      "a",
      "x".repeat(128)
    ]) {
      expect(Id.problem(id), id).toBeUndefined()
      expect(Schema.decodeUnknownSync(Id.Id)(id)).toBe(id)
    }
  })

  it("accepts Indonesian and Latin text in NFC, CJK and emoji", () => {
    for (const id of [
      "Panti Sosial Bina Remaja — Padang",
      "kasus café",
      "José Ñandú",
      "Łódź-1",
      "案件-二〇二五-一",
      "사례-7",
      "🙂",
      "kasus-🌏",
      "\u2764\uFE0F", // ❤️: a heart with the variation selector U+FE0F, which emoji need
      "🙂".repeat(128) // 128 characters, 256 UTF-16 units
    ]) {
      expect(Id.problem(id), id).toBeUndefined()
      expect(Id.is(id), id).toBe(true)
    }
  })

  it("refuses an empty id and one of 129 characters, counting code points", () => {
    expect(Id.problem("")).toBe("an id must not be empty")
    expect(Id.problem("x".repeat(129))).toBe(
      "an id must have at most 128 characters (Unicode code points); this one has 129"
    )
    expect(Id.problem("🙂".repeat(129))).toBe(
      "an id must have at most 128 characters (Unicode code points); this one has 129"
    )
  })

  it("refuses control characters: NUL, BEL, DEL and C1 (NEL)", () => {
    expect(Id.problem("kasus\u0000")).toBe(`${wording.control}: found U+0000 at character 6`)
    expect(Id.problem("\u0007kasus")).toBe(`${wording.control}: found U+0007 at character 1`)
    expect(Id.problem("ka\u007fsus")).toBe(`${wording.control}: found U+007F at character 3`)
    expect(Id.problem("kasus\u0085")).toBe(`${wording.control}: found U+0085 at character 6`)
    expect(Id.problem("a\tb")).toBe(`${wording.control}: found U+0009 at character 2`)
    expect(Id.problem("a\nb")).toBe(`${wording.control}: found U+000A at character 2`)
  })

  it("refuses bidirectional controls and marks", () => {
    expect(Id.problem("kasus\u202Egnp.exe")).toBe(`${wording.bidi}: found U+202E at character 6`)
    expect(Id.problem("\u2066kasus\u2069")).toBe(`${wording.bidi}: found U+2066 at character 1`)
    expect(Id.problem("a\u061Cb")).toBe(`${wording.bidi}: found U+061C at character 2`)
    expect(Id.problem("a\u200Eb")).toBe(`${wording.bidi}: found U+200E at character 2`)
    expect(Id.problem("a\u200Fb")).toBe(`${wording.bidi}: found U+200F at character 2`)
  })

  it("refuses invisible and format characters, and line and paragraph separators", () => {
    expect(Id.problem("a\u200Bb")).toBe(`${wording.invisible}: found U+200B at character 2`)
    expect(Id.problem("a\u200Db")).toBe(`${wording.invisible}: found U+200D at character 2`)
    expect(Id.problem("\uFEFFkasus")).toBe(`${wording.invisible}: found U+FEFF at character 1`)
    expect(Id.problem("ka\u00ADsus")).toBe(`${wording.invisible}: found U+00AD at character 3`)
    expect(Id.problem("\u3164")).toBe(`${wording.invisible}: found U+3164 at character 1`)
    expect(Id.problem("🙂\u{E0041}")).toBe(`${wording.invisible}: found U+E0041 at character 2`)
    expect(Id.problem("a\u2028b")).toBe(`${wording.separator}: found U+2028 at character 2`)
    expect(Id.problem("a\u2029b")).toBe(`${wording.separator}: found U+2029 at character 2`)
  })

  it("refuses lone surrogates, before any other character", () => {
    expect(Id.problem("a\uD800b")).toBe(`${wording.surrogate}: found U+D800 at character 2`)
    expect(Id.problem("ab\uDC00")).toBe(`${wording.surrogate}: found U+DC00 at character 3`)
    expect(Id.problem("🙂\uD83D")).toBe(`${wording.surrogate}: found U+D83D at character 2`)
    expect(Id.problem("ev-\u0000-\uD800-end")).toBe(`${wording.surrogate}: found U+D800 at character 6`)
  })

  it("refuses noncharacters", () => {
    expect(Id.problem("a\uFFFE")).toBe(`${wording.noncharacter}: found U+FFFE at character 2`)
    expect(Id.problem("a\uFFFF")).toBe(`${wording.noncharacter}: found U+FFFF at character 2`)
    expect(Id.problem("\uFDD0")).toBe(`${wording.noncharacter}: found U+FDD0 at character 1`)
    expect(Id.problem("a\u{10FFFF}")).toBe(`${wording.noncharacter}: found U+10FFFF at character 2`)
  })

  it("refuses text that is not in NFC, and never normalises it", () => {
    const decomposed = "kasus cafe\u0301"
    expect(decomposed.normalize("NFC")).toBe("kasus café")
    expect(Id.problem(decomposed)).toBe(NFC_MESSAGE)
    expect(refusal(Id.Id, decomposed)).toBe(NFC_MESSAGE)
    expect(Id.problem("\u1100\u1161")).toBe(NFC_MESSAGE) // Hangul jamo that compose to 가
    expect(Id.problem("\u212B")).toBe(NFC_MESSAGE) // the Angstrom sign, whose NFC is Å
    expect(Id.problem("kasus café")).toBeUndefined()
  })

  it("never quotes the value in a message", () => {
    for (const value of [
      `${SECRET}\u0000`,
      `${SECRET}\u202E`,
      `${SECRET}\uD800`,
      `${SECRET}e\u0301`,
      SECRET.repeat(20),
      `${SECRET}\uFFFF`
    ]) {
      const message = Id.problem(value)
      expect(message).toBeDefined()
      expect(message).not.toContain(SECRET)
      expect(refusal(CaseModel.CaseId, value)).not.toContain(SECRET)
    }
  })

  it("withMaxLength keeps every rule and moves only the maximum", () => {
    const Short = Id.withMaxLength(8)
    expect(decode(Short, "kasus-12")).toEqual(Result.succeed("kasus-12"))
    expect(refusal(Short, "kasus-123")).toBe(
      "an id must have at most 8 characters (Unicode code points); this one has 9"
    )
    expect(refusal(Short, "k\u0000")).toBe(`${wording.control}: found U+0000 at character 2`)
    expect(Id.problem("x".repeat(140), 145)).toBeUndefined()
  })
})

describe("Id: the ids of the domain", () => {
  const branded = {
    CaseId: CaseModel.CaseId,
    SubjectId: Subject.SubjectId,
    ActorId: Actor.ActorId,
    AgencyId: Agency.AgencyId
  } as const

  it("every branded id follows the one rule: 128 characters accepted, 129 and control characters refused", () => {
    for (const [name, schema] of Object.entries(branded)) {
      expect(decode(schema, "x".repeat(128)), name).toEqual(Result.succeed("x".repeat(128)))
      expect(decode(schema, "dinsos-13.71"), name).toEqual(Result.succeed("dinsos-13.71"))
      expect(refusal(schema, "x".repeat(129)), name).toBe(Id.problem("x".repeat(129)))
      expect(refusal(schema, "a\u0000"), name).toBe(Id.problem("a\u0000"))
      expect(refusal(schema, "a\u202E"), name).toBe(Id.problem("a\u202E"))
      expect(refusal(schema, "e\u0301"), name).toBe(NFC_MESSAGE)
      expect(refusal(schema, ""), name).toBe("an id must not be empty")
    }
  })

  propTest.prop([fc.string({ maxLength: 140, unit: "binary" })], { numRuns: runs(300) })(
    "every branded id has a validating constructor: make returns the id it is given, or throws for what decode refuses",
    (value) => {
      for (const [name, schema] of Object.entries(branded)) {
        if (Id.is(value)) expect(schema.make(value), name).toBe(value)
        else expect(() => schema.make(value), name).toThrow()
      }
    }
  )

  it("CaseModel.CaseId.make types a plain string as a case id (the example of the docs)", () => {
    const caseId: CaseModel.CaseId = CaseModel.CaseId.make("case-1")
    expect(caseId).toBe("case-1")
    expect(() => CaseModel.CaseId.make("")).toThrow()
  })

  it("an agency or an actor with a bad id is refused, with the field named", () => {
    expect(() => Agency.make({ id: "dinsos\u0000", kind: "dinsos", name: "Dinas Sosial", region: "13.71" })).toThrow(
      /an id must not contain a control character: found U\+0000 at character 7\n {2}at \["id"\]/
    )
    expect(() =>
      Actor.make({ id: "peksos\u2066", role: "caseworker", agency: "dinsos-13.71", region: "13.71" })
    ).toThrow(/bidirectional text control: found U\+2066 at character 7\n {2}at \["id"\]/)
  })

  const registration = (caseId: string) => ({
    _tag: "RegisterReport",
    caseId,
    subject: "subjek-id-1",
    sex: "female",
    birthDate: "2012-05-06",
    region: "13.71",
    owner: "dinsos-13.71",
    source: "school",
    concerns: ["out-of-school"]
  })

  const appendOf = (caseId: string): EventStore.AppendRequest => {
    const story = step(emptyStory, people.padangIntake, "2025-01-10T02:00:00Z", cmd(registration(caseId)))
    return {
      caseId: caseOf(story).id,
      expectedVersion: 0,
      events: story.events,
      index: CaseIndex.project(caseOf(story))
    }
  }

  it("an event of a case with a 128-character id has a longer event id, and it is accepted everywhere", () => {
    const request = appendOf("k".repeat(128))
    const event = request.events[0] as CaseEvent.Envelope
    expect(event.eventId).toBe(`${"k".repeat(128)}:1`)
    expect(CaseEvent.MAX_EVENT_ID_LENGTH).toBe(145)
    expect(CaseEvent.decodeEnvelope(JSON.parse(JSON.stringify(CaseEvent.encode(event))))).toEqual(event)
    expect(Result.isSuccess(EventStore.checkRequest(request))).toBe(true)
  })

  it("an envelope with a bad event id is refused at its path, without the id", () => {
    const encoded = CaseEvent.encode(appendOf("case-id-1").events[0] as CaseEvent.Envelope)
    const message = refusal(CaseEvent.Envelope, { ...encoded, eventId: `${SECRET}\u0007` })
    expect(message).toBe(`${wording.control}: found U+0007 at character 8\n  at ["eventId"]`)
    expect(refusal(CaseEvent.Envelope, { ...encoded, eventId: "" })).toBe('an id must not be empty\n  at ["eventId"]')
    expect(decode(CaseEvent.EventId, "x".repeat(145))).toEqual(Result.succeed("x".repeat(145)))
    expect(refusal(CaseEvent.EventId, "x".repeat(146))).toBe(
      "an id must have at most 145 characters (Unicode code points); this one has 146"
    )
  })
})

describe("Id: the event store refuses bad ids before any write", () => {
  const request = (() => {
    const story = step(
      emptyStory,
      people.padangIntake,
      "2025-01-10T02:00:00Z",
      cmd({
        _tag: "RegisterReport",
        caseId: "case-store-1",
        subject: "subjek-store-1",
        sex: "male",
        birthDate: "2011-01-02",
        region: "13.71",
        owner: "dinsos-13.71",
        source: "school",
        concerns: ["out-of-school"]
      })
    )
    return {
      caseId: caseOf(story).id,
      expectedVersion: 0,
      events: story.events,
      index: CaseIndex.project(caseOf(story))
    } satisfies EventStore.AppendRequest
  })()

  const failure = (result: Result.Result<unknown, unknown>) => {
    if (Result.isSuccess(result)) throw new Error("expected a refusal")
    return result.failure as { _tag: string; field: string; value: string; reason: string; message: string }
  }

  it("accepts a valid request with a valid idempotency key", () => {
    const checked = EventStore.checkRequest({ ...request, idempotency: { key: "reg-1", fingerprint: "f" } })
    expect(Result.isSuccess(checked)).toBe(true)
    expect(EventStore.checkIdempotencyKey("dinsos-13.71/3f2b8c1e-9d4a")).toEqual(
      Result.succeed("dinsos-13.71/3f2b8c1e-9d4a")
    )
  })

  it("refuses an idempotency key that is not an id, without showing it", () => {
    for (const [key, reason] of [
      ["", "an id must not be empty"],
      [`${SECRET}\u0000`, `${wording.control}: found U+0000 at character 8`],
      [`${SECRET}\uDFFF`, `${wording.surrogate}: found U+DFFF at character 8`],
      [SECRET.repeat(19), "an id must have at most 128 characters (Unicode code points); this one has 133"]
    ] as const) {
      for (const result of [
        EventStore.checkIdempotencyKey(key),
        EventStore.checkRequest({ ...request, idempotency: { key, fingerprint: "f" } })
      ]) {
        const error = failure(result)
        expect(error).toMatchObject({ _tag: "InvalidInput", field: "idempotency.key", value: "(not shown)", reason })
        expect(error.message).not.toContain(SECRET)
      }
    }
  })

  it("refuses an event id or a case id that is not an id, without showing it", () => {
    const [first] = request.events
    if (first === undefined) throw new Error("the story has an event")
    const hostile = { ...first, eventId: "ev-\u0000-\uD800-end" }
    expect(failure(EventStore.checkRequest({ ...request, events: [hostile] }))).toMatchObject({
      field: "events.0.eventId",
      value: "(not shown)",
      reason: `${wording.surrogate}: found U+D800 at character 6`
    })
    const badCase = `case-${SECRET}\u202E` as CaseModel.CaseId
    const error = failure(EventStore.checkRequest({ ...request, caseId: badCase }))
    expect(error).toMatchObject({ field: "caseId", reason: `${wording.bidi}: found U+202E at character 13` })
    expect(error.message).not.toContain(SECRET)
  })
})

describe("Id: properties", () => {
  propTest.prop([anyString], { numRuns: runs(2000) })(
    "a string accepted is well-formed, NFC, 1 to 128 characters, and holds no refused character",
    (value) => {
      if (!Id.is(value)) return
      expect(wellFormed(value)).toBe(true)
      expect(value.normalize("NFC")).toBe(value)
      expect([...value].length).toBeGreaterThanOrEqual(1)
      expect([...value].length).toBeLessThanOrEqual(128)
      expect(forbiddenByUnicode.test(value)).toBe(false)
    }
  )

  propTest.prop([anyString], { numRuns: runs(2000) })(
    "decoding is the identity on what it accepts, agrees with Id.problem, and never normalises",
    (value) => {
      const result = decode(CaseModel.CaseId, value)
      const problem = Id.problem(value)
      if (problem === undefined) expect(result).toEqual(Result.succeed(value))
      else expect(result).toEqual(Result.fail(problem))
      if (Result.isSuccess(result)) expect(result.success).toBe(value)
    }
  )

  propTest.prop([validId(1, 128)])("an id of allowed characters from several scripts is accepted", (id) => {
    expect(Id.problem(id)).toBeUndefined()
    expect(decode(Subject.SubjectId, id)).toEqual(Result.succeed(id))
  })

  propTest.prop([validId(0, 127), forbiddenChar, fc.nat()])(
    "inserting one refused character anywhere in a valid id refuses it, naming the character and its place",
    (id, { codePoint, kind }, at) => {
      const chars = [...id]
      const position = at % (chars.length + 1)
      chars.splice(position, 0, char(codePoint))
      const value = `${chars.join("")}`
      expect(Id.problem(value)).toBe(`${wording[kind]}: found ${hex(codePoint)} at character ${position + 1}`)
      expect(Id.is(value)).toBe(false)
    }
  )

  propTest.prop([validId(1, 120), forbiddenChar])("no message quotes the value it refuses", (id, { codePoint }) => {
    const value = `${SECRET}${id}${char(codePoint)}`
    const message = Id.problem(value)
    expect(message).toBeDefined()
    expect(message).not.toContain(SECRET)
  })

  propTest.prop([validId(1, 128), fc.integer({ min: 1, max: 40 })])(
    "more than 128 characters is refused, whatever the characters",
    (id, extra) => {
      const value = id + "🙂".repeat(128 - [...id].length + extra)
      expect(Id.problem(value)).toBe(
        `an id must have at most 128 characters (Unicode code points); this one has ${128 + extra}`
      )
    }
  )

  propTest.prop([fc.array(fc.oneof(allowedChar, fromRange(0x300, 0x34e)), { minLength: 1, maxLength: 60 })])(
    "text whose NFC differs is refused, and its NFC form is accepted",
    (chars) => {
      const value = chars.join("").normalize("NFD")
      if (value.normalize("NFC") === value) return
      expect(Id.problem(value)).toBe(NFC_MESSAGE)
      const composed = value.normalize("NFC")
      if ([...composed].length <= 128) expect(Id.problem(composed)).toBeUndefined()
    }
  )

  it("refuses exactly the code points the Unicode properties name (fails if the runtime's Unicode changes)", () => {
    const disagreements: Array<string> = []
    for (let codePoint = 0; codePoint <= 0x10ffff; codePoint++) {
      const value = char(codePoint)
      const problem = Id.problem(value)
      const refusedForCharacter = problem !== undefined && problem !== NFC_MESSAGE
      if (refusedForCharacter !== forbiddenByUnicode.test(value)) disagreements.push(hex(codePoint))
    }
    expect(disagreements).toEqual([])
  })

  propTest.prop([anyString], { numRuns: runs(1000) })(
    "the published JSON Schema of a case id agrees with the schema on everything but NFC",
    (value) => {
      if (value.normalize("NFC") !== value) return
      expect(validateCaseId(value)).toBe(Id.is(value))
    }
  )
})

const ajv = new Ajv2020({ strict: false })
ajv.addSchema({ ...JsonSchema.document(), $id: "lindung" })
const validateCaseId = (value: string): boolean => {
  const validate = ajv.getSchema("lindung#/$defs/CaseId")
  if (validate === undefined) throw new Error("no definition CaseId")
  return validate(value) === true
}
