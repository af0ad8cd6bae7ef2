import { Effect } from "effect"

/** Failures of a port that are answers, not errors: a read of something that is not there (or was erased). */
const answers = new Set(["NotFound", "IdentityErased"])

/** An answer carried out of the span as a success, to be failed again outside it. */
class Answer {
  readonly error: unknown
  constructor(error: unknown) {
    this.error = error
  }
}

const isAnswer = (error: unknown): boolean => {
  const tag = (error as { readonly _tag?: unknown } | undefined)?._tag
  return typeof tag === "string" && answers.has(tag)
}

/** An effect of a port in a span of its own; an answer (`NotFound`) leaves the span as a success with its outcome. */
const inSpan = (effect: Effect.Effect<unknown, unknown, unknown>, name: string) =>
  effect.pipe(
    Effect.catchIf(isAnswer, (error) =>
      Effect.as(
        Effect.annotateCurrentSpan("lindung.outcome", (error as { readonly _tag: string })._tag),
        new Answer(error)
      )
    ),
    Effect.withSpan(name),
    Effect.flatMap((value) => (value instanceof Answer ? Effect.fail(value.error) : Effect.succeed(value)))
  )

/**
 * A storage port whose every call runs in a span named `<port>.<method>` (e.g. `EventStore.append`), whatever the
 * adapter: core opens the span at the port, so every adapter's calls show in a trace alike. The span carries no
 * arguments (they may name cases and subjects); a read that finds nothing ends it as a success with
 * `lindung.outcome` `NotFound` (an answer, not an error). Methods that return something other than an `Effect` (a
 * `Stream`) are passed through as they are. A proxy, so an adapter written as a class keeps its methods (found on its
 * prototype) and its getters.
 */
export const traced = <S extends object>(port: string, service: S): S => {
  const wrapped = new Map<PropertyKey, unknown>()
  return new Proxy(service, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver)
      if (typeof value !== "function" || typeof key !== "string") return value
      const known = wrapped.get(key)
      if (known !== undefined) return known
      const method = value as (...args: Array<unknown>) => unknown
      const name = `${port}.${key}`
      const call = (...args: Array<unknown>) => {
        const result = method.apply(target, args)
        return Effect.isEffect(result) ? inSpan(result, name) : result
      }
      wrapped.set(key, call)
      return call
    }
  })
}
