/**
 * The typed error for bad input to a pure function of the core: an impossible date, a negative penalty, an
 * unknown code. It names the field, shows the offending value and says what is wrong, and it never carries a
 * child's identity (callers pass codes, dates and numbers, never names; a birth date or an exact age is not shown).
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import * as messages from "./internal/messages.js"
import { showInput } from "./internal/show.js"
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
 * Builds an {@link InvalidInput}, showing `value` as JSON so that strings and numbers read unambiguously — except
 * the value of a personal field (a birth date, an exact age), shown as `(not shown)`.
 */
export const invalid = (field: string, value: unknown, reason: string): InvalidInput =>
  withoutStack(() => new InvalidInput({ field, value: showInput(field, value), reason }))

/** A failed {@link Result} with an {@link InvalidInput}. */
export const fail = (field: string, value: unknown, reason: string): Result.Result<never, InvalidInput> =>
  Result.fail(invalid(field, value, reason))

/**
 * Decodes `input` with `schema`, turning a schema failure into an {@link InvalidInput} for `field` that carries
 * the schema's own message.
 */
export const decode =
  <S extends Schema.Decoder<unknown>>(schema: S, field: string) =>
  (input: unknown): Result.Result<S["Type"], InvalidInput> => {
    const result = Schema.decodeUnknownResult(schema)(input)
    return Result.isSuccess(result) ? Result.succeed(result.success) : fail(field, input, result.failure.message)
  }
