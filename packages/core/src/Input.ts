/**
 * The typed error for bad input to a pure function of the core: an impossible date, a negative penalty, an
 * unknown code. It names the field, shows the offending value and says what is wrong, and it never carries a
 * child's identity (callers pass codes, dates and numbers, never names; a birth date or an exact age is not shown).
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import * as messages from "./internal/messages.js"
import * as show from "./internal/show.js"
import { withoutStack } from "./internal/stack.js"

/** Bad input: `field` names what was wrong, `value` shows it, `reason` says what is expected. */
export class InvalidInput extends Schema.TaggedError<InvalidInput>()("InvalidInput", {
  field: Schema.String,
  value: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return messages.invalid(this.field, this.value, this.reason)
  }
}

/**
 * Whether a field holds personal input — a birth date, an exact age, or the scheduler's wake-up instant (which can be
 * a child's 18th birthday) — whose value no error shows: matched by its last named segment, in a dotted name
 * (`report.birthDate`) or a path (`["payload", "birthDate"]`).
 *
 * @example
 * ```ts
 * Input.isPersonal("report.birthDate") // true
 * Input.isPersonal(["payload", "items", 0, "deliveredOn"]) // false
 * ```
 */
export const isPersonal: (field: string | ReadonlyArray<unknown>) => boolean = show.isPersonal

/**
 * Whether a message may quote the value it is about: it has a double quotation mark, a backtick or "got …"; and, when the value is
 * given, it holds the value written out (four characters or more) or a run of four digits of it (a year: a policy's
 * bound such as 1900 is no quotation of 1800-01-01); when it is not, a date written out in full or in part
 * (`2015-02`) or a run of five digits or more.
 */
export const mayQuote: (message: string, value?: unknown) => boolean = show.mayQuote

/** What a reason about a personal field says instead of one that may quote its value. */
export const hiddenReason: string = show.hiddenReason

/**
 * The reason an error about `field` may give: `reason`, unless the field is personal ({@link isPersonal}) and the
 * reason may quote its value ({@link mayQuote}) — a schema's message such as `Expected string, got 20150230`.
 */
export const reasonFor: (field: string | ReadonlyArray<unknown>, reason: string, value?: unknown) => string =
  show.reasonFor

/**
 * Builds an {@link InvalidInput}, showing `value` as JSON so that strings and numbers read unambiguously — except
 * the value of a personal field (a birth date, an exact age), shown as `(not shown)`, whose reason never quotes it
 * either ({@link reasonFor}).
 */
export const invalid = (field: string, value: unknown, reason: string): InvalidInput =>
  withoutStack(
    () => new InvalidInput({ field, value: show.showInput(field, value), reason: show.reasonFor(field, reason, value) })
  )

/** A failed {@link Result} with an {@link InvalidInput}. */
export const fail = (field: string, value: unknown, reason: string): Result.Result<never, InvalidInput> =>
  Result.fail(invalid(field, value, reason))

/**
 * Decodes `input` with `schema`, turning a schema failure into an {@link InvalidInput} for `field` that carries
 * the schema's own message (which names the failing path). A structured input (an object or an array) is shown as
 * `(not shown)`: it may hold the very value it is refused for (a NIK given as a reference id) beside others.
 */
export const decode =
  <S extends Schema.Decoder<unknown>>(schema: S, field: string) =>
  (input: unknown): Result.Result<S["Type"], InvalidInput> => {
    const result = Schema.decodeUnknownResult(schema)(input)
    if (Result.isSuccess(result)) return Result.succeed(result.success)
    if (typeof input !== "object" || input === null) return fail(field, input, result.failure.message)
    // The message names the failing path and what was expected; a part that repeats what was given goes.
    const reason = result.failure.message.replaceAll(/,? got [^\n]*/gu, "")
    return Result.fail(
      withoutStack(
        () =>
          new InvalidInput({
            field,
            value: "(not shown)",
            reason: show.reasonFor(field, reason, input)
          })
      )
    )
  }
