/**
 * The one rule for every identifier Lindung stores or looks up: case, subject, person (actor), agency and event
 * ids, and idempotency keys. An id has 1 to {@link MAX_LENGTH} characters, counted in Unicode code points (an
 * emoji or a CJK character outside the Basic Multilingual Plane counts once), and every character is printable:
 *
 * - no control character (C0 `U+0000`–`U+001F`, `U+007F` and C1 `U+0080`–`U+009F`);
 * - no bidirectional text control (`U+061C`, `U+200E`, `U+200F`, `U+202A`–`U+202E`, `U+2066`–`U+2069`), which can
 *   make an id display in another order than it is stored;
 * - no line or paragraph separator (`U+2028`, `U+2029`);
 * - no invisible or formatting character: every format character (Unicode category Cf, e.g. the zero-width
 *   `U+200B`–`U+200D`, the byte order mark `U+FEFF`, tags `U+E0001`–`U+E007F`) and every other default-ignorable
 *   code point (the soft hyphen, `U+034F`, the Hangul fillers, …), except variation selectors, which emoji need;
 * - no lone surrogate (the string must be well-formed UTF-16, `String.prototype.isWellFormed`);
 * - no noncharacter (`U+FDD0`–`U+FDEF` and the last two code points of every plane, e.g. `U+FFFE`, `U+FFFF`).
 *
 * The id must already be in Unicode normalisation form NFC (`value.normalize("NFC") === value`): a decomposed
 * `é` (`e` + `U+0301`) is refused, never silently normalised, so that one id is stored the same way everywhere.
 *
 * Failure messages name the rule, the offending code point and its position, and never quote the value (an id
 * field may hold pasted data that is not an id at all).
 *
 * @example
 * ```ts
 * import { Id } from "@lindung/core"
 * import { Schema } from "effect"
 *
 * Schema.decodeUnknownSync(Id.Id)("dinsos-13.71") // "dinsos-13.71"
 * Id.problem("kasus\u202Egnp.exe")
 * // "an id must not contain a bidirectional text control: found U+202E at character 6"
 * ```
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/** The most characters (Unicode code points) an id may have. */
export const MAX_LENGTH = 128

/** The classes of refused characters, each with the wording of its message. */
const classes = {
  control: "a control character",
  bidi: "a bidirectional text control",
  separator: "a line or paragraph separator",
  invisible: "an invisible or formatting character",
  noncharacter: "a Unicode noncharacter",
  surrogate: "a lone surrogate"
} as const

type Class = keyof typeof classes

/**
 * The refused code points as sorted, disjoint, inclusive ranges, written out (not `\p{…}` classes) so that every
 * runtime and every other stack refuses the same set: as of Unicode 17, the categories Cc, Cf, Zl and Zp, the
 * surrogates, the noncharacters, and every Default_Ignorable_Code_Point except variation selectors. A test compares
 * it with the runtime's Unicode properties.
 */
const refused: ReadonlyArray<readonly [from: number, to: number, kind: Class]> = [
  [0x0000, 0x001f, "control"],
  [0x007f, 0x009f, "control"],
  [0x00ad, 0x00ad, "invisible"],
  [0x034f, 0x034f, "invisible"],
  [0x0600, 0x0605, "invisible"],
  [0x061c, 0x061c, "bidi"],
  [0x06dd, 0x06dd, "invisible"],
  [0x070f, 0x070f, "invisible"],
  [0x0890, 0x0891, "invisible"],
  [0x08e2, 0x08e2, "invisible"],
  [0x115f, 0x1160, "invisible"],
  [0x17b4, 0x17b5, "invisible"],
  [0x180e, 0x180e, "invisible"],
  [0x200b, 0x200d, "invisible"],
  [0x200e, 0x200f, "bidi"],
  [0x2028, 0x2029, "separator"],
  [0x202a, 0x202e, "bidi"],
  [0x2060, 0x2065, "invisible"],
  [0x2066, 0x2069, "bidi"],
  [0x206a, 0x206f, "invisible"],
  [0x3164, 0x3164, "invisible"],
  [0xd800, 0xdfff, "surrogate"],
  [0xfdd0, 0xfdef, "noncharacter"],
  [0xfeff, 0xfeff, "invisible"],
  [0xffa0, 0xffa0, "invisible"],
  [0xfff0, 0xfffb, "invisible"],
  [0xfffe, 0xffff, "noncharacter"],
  [0x110bd, 0x110bd, "invisible"],
  [0x110cd, 0x110cd, "invisible"],
  [0x13430, 0x1343f, "invisible"],
  [0x1bca0, 0x1bca3, "invisible"],
  [0x1d173, 0x1d17a, "invisible"],
  [0x1fffe, 0x1ffff, "noncharacter"],
  [0x2fffe, 0x2ffff, "noncharacter"],
  [0x3fffe, 0x3ffff, "noncharacter"],
  [0x4fffe, 0x4ffff, "noncharacter"],
  [0x5fffe, 0x5ffff, "noncharacter"],
  [0x6fffe, 0x6ffff, "noncharacter"],
  [0x7fffe, 0x7ffff, "noncharacter"],
  [0x8fffe, 0x8ffff, "noncharacter"],
  [0x9fffe, 0x9ffff, "noncharacter"],
  [0xafffe, 0xaffff, "noncharacter"],
  [0xbfffe, 0xbffff, "noncharacter"],
  [0xcfffe, 0xcffff, "noncharacter"],
  [0xdfffe, 0xdffff, "noncharacter"],
  [0xe0000, 0xe00ff, "invisible"],
  [0xe01f0, 0xe0fff, "invisible"],
  [0xefffe, 0xeffff, "noncharacter"],
  [0xffffe, 0xfffff, "noncharacter"],
  [0x10fffe, 0x10ffff, "noncharacter"]
]

const classOf = (codePoint: number): Class | undefined => {
  if (codePoint >= 0x20 && codePoint < 0x7f) return undefined
  for (const [from, to, kind] of refused) {
    if (codePoint < from) return undefined
    if (codePoint <= to) return kind
  }
  return undefined
}

const hex = (codePoint: number): string => `U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}`

// `isWellFormed` is ES2024; the project's TypeScript lib is ES2023, the runtime (Node 24) has it.
const wellFormed = String.prototype as unknown as { readonly isWellFormed: (this: string) => boolean }

const countCodePoints = (value: string): number => {
  let count = 0
  for (const _ of value) count++
  return count
}

/**
 * What is wrong with a would-be id, or `undefined` for a valid one. The rules are checked in this order and the
 * first that fails is reported: not empty, at most `maxLength` code points ({@link MAX_LENGTH} unless said),
 * well-formed (no lone surrogate), no refused character (the first one found), NFC. The message never quotes the
 * value. For HTTP headers (`Idempotency-Key`) and other layers that check an id without a Schema.
 *
 * @example
 * ```ts
 * import { Id } from "@lindung/core"
 *
 * Id.problem("subjek-000-kakak") // undefined
 * Id.problem("") // "an id must not be empty"
 * Id.problem("cafe\u0301") // "an id must be in Unicode normalisation form NFC ..."
 * ```
 */
export const problem = (value: string, maxLength: number = MAX_LENGTH): string | undefined => {
  if (value.length === 0) return "an id must not be empty"
  const length = countCodePoints(value)
  if (length > maxLength) {
    return `an id must have at most ${maxLength} characters (Unicode code points); this one has ${length}`
  }
  const illFormed = !wellFormed.isWellFormed.call(value)
  let position = 0
  for (const character of value) {
    position++
    const codePoint = character.codePointAt(0) ?? 0
    const kind = classOf(codePoint)
    if (kind === undefined || (illFormed && kind !== "surrogate")) continue
    const rule = kind === "surrogate" ? "be well-formed Unicode, without" : "not contain"
    return `an id must ${rule} ${classes[kind]}: found ${hex(codePoint)} at character ${position}`
  }
  if (value.normalize("NFC") !== value) {
    return (
      "an id must be in Unicode normalisation form NFC (e.g. é as one character, not e followed by a combining " +
      "accent); it is refused, not normalised"
    )
  }
  return undefined
}

/** Whether a value is a valid id (a string for which {@link problem} finds nothing). */
export const is = (value: unknown): value is string => typeof value === "string" && problem(value) === undefined

const unicodeEscape = (codePoint: number): string => `\\u{${codePoint.toString(16).toUpperCase()}}`

const range = (from: number, to: number): string =>
  from === to ? unicodeEscape(from) : `${unicodeEscape(from)}-${unicodeEscape(to)}`

/**
 * The refused characters as a regular expression source (for the `u` flag) that matches a whole string without
 * any of them: what the JSON Schema of an id says as its `pattern`, for teams on other stacks.
 */
export const pattern = `^[^${refused
  .reduce<Array<[number, number]>>((merged, [from, to]) => {
    const last = merged.at(-1)
    if (last !== undefined && last[1] + 1 === from) last[1] = to
    else merged.push([from, to])
    return merged
  }, [])
  .map(([from, to]) => range(from, to))
  .join("")}]*$`

/**
 * The id rules with another maximum length: for an id derived from another id, such as an event id
 * (`<case id>:<version>`, see `CaseEvent.EventId`), which needs room beyond a case id of {@link MAX_LENGTH}.
 *
 * @example
 * ```ts
 * import { Id } from "@lindung/core"
 * import { Schema } from "effect"
 *
 * const Short = Id.withMaxLength(8)
 * Schema.is(Short)("kasus-1") // true
 * Schema.is(Short)("kasus-123") // false
 * ```
 */
export const withMaxLength = (maxLength: number) =>
  Schema.String.check(
    Schema.makeFilter((value: string) => problem(value, maxLength) ?? true, {
      expected: `an id: 1 to ${maxLength} printable characters in NFC`,
      toJsonSchema: () => [{ minLength: 1, maxLength, pattern }, true],
      arbitraryConstraint: { minCodePoints: 1, maxCodePoints: maxLength }
    })
  ).annotate({
    description:
      `1 to ${maxLength} printable characters (Unicode code points) in NFC: no control, bidirectional, invisible ` +
      "or format character, lone surrogate or noncharacter"
  })

/**
 * An id: a string of 1 to {@link MAX_LENGTH} printable characters in NFC (see the module). Unbranded: the
 * domain's ids brand it (`CaseModel.CaseId`, `Subject.SubjectId`, `Actor.ActorId`, `Agency.AgencyId`).
 *
 * @example
 * ```ts
 * import { Id } from "@lindung/core"
 * import { Schema } from "effect"
 *
 * const TicketId = Id.Id.pipe(Schema.brand("TicketId"), Schema.annotate({ identifier: "TicketId" }))
 * Schema.decodeUnknownSync(TicketId)("tiket-1") // "tiket-1", branded
 * ```
 */
export const Id = withMaxLength(MAX_LENGTH)
