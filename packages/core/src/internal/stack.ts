/**
 * Builds a value — a rejection — without capturing a stack trace: a rejection is data that names its rule and
 * basis, where in the code it was built says nothing to its reader, and capturing the stack was a large part of
 * its cost on the decider's hot path.
 */
export const withoutStack = <A>(build: () => A): A => {
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  try {
    return build()
  } finally {
    Error.stackTraceLimit = limit
  }
}
