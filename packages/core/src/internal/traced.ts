import { Effect } from "effect"

/**
 * A storage port whose every call runs in a span named `<port>.<method>` (e.g. `EventStore.append`), whatever the
 * adapter: core opens the span at the port, so every adapter's calls show in a trace alike. The span carries no
 * attributes — a call's arguments may name cases and subjects. Methods that return something other than an
 * `Effect` (a `Stream`) are passed through as they are.
 */
export const traced = <S extends object>(port: string, service: S): S => {
  const out: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(service)) {
    out[name] =
      typeof value === "function"
        ? (...args: Array<unknown>) => {
            const result = (value as (...a: Array<unknown>) => unknown).apply(service, args)
            return Effect.isEffect(result) ? Effect.withSpan(result, `${port}.${name}`) : result
          }
        : value
  }
  return out as S
}
