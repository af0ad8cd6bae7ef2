#!/usr/bin/env node
/**
 * The `lindung` executable: every error goes to stderr as one line that says what is wrong and what to do, with the
 * exit code docs/cli.md promises (2 for a setting or an environment that cannot work).
 */
import { NodeRuntime, NodeServices } from "@effect/platform-node"
import { Cause, Console, Effect } from "effect"
import { commandNames, run } from "./Commands.js"
import { modeProblem } from "./Environment.js"
import { explain } from "./Errors.js"

// `lindung help [command]` is `lindung [command] --help`; `lindung help nosuchcommand` is an unknown command.
const args = process.argv.slice(2)
const argv =
  args[0] !== "help"
    ? args
    : args[1] === undefined || commandNames.includes(args[1])
      ? [...args.slice(1), "--help"]
      : args.slice(1)

// A reader that stops early (`lindung export | head`) closes the pipe: that ends the output, it is not an error.
// Any other failure to write the output (`> file` on a full disk) is one line and exit code 1, never a trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0)
  console.error(`lindung: cannot write the output: ${error.code ?? error.message}`)
  process.exit(1)
})

// A mistyped LINDUNG_ENV (`prod`) must not run a production server in development mode.
const mode = modeProblem()
if (mode !== undefined) {
  console.error(`lindung: ${mode}`)
  process.exit(2)
}

run(argv).pipe(
  Effect.catchCause((cause) => {
    const failure = Cause.findErrorOption(cause)
    // Parse errors and help were already printed by the command line parser.
    if (failure._tag === "Some") {
      const error = failure.value as { readonly _tag?: unknown }
      if (error?._tag === "ShowHelp") return Effect.failCause(cause)
      const explained = explain(failure.value)
      return Effect.andThen(Console.error(`lindung: ${explained.message}`), Effect.fail(explained.error))
    }
    if (Cause.hasInterruptsOnly(cause)) return Effect.failCause(cause)
    const defect = Cause.squash(cause)
    const explained = explain(defect)
    return Effect.andThen(Console.error(`lindung: ${explained.message}`), Effect.fail(explained.error))
  }),
  Effect.provide(NodeServices.layer),
  NodeRuntime.runMain({ disableErrorReporting: true })
)
