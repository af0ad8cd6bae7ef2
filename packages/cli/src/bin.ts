#!/usr/bin/env node
/** The `lindung` executable: errors go to stderr as one line, with the error's exit code. */
import { NodeRuntime, NodeServices } from "@effect/platform-node"
import { Console, Effect } from "effect"
import { run } from "./Commands.js"

run(process.argv.slice(2)).pipe(
  Effect.tapError((error) =>
    // Parse errors and help were already printed by the command line parser.
    typeof error === "object" && error !== null && "_tag" in error && error._tag === "ShowHelp"
      ? Effect.void
      : Console.error(`lindung: ${error instanceof Error ? error.message : String(error)}`)
  ),
  Effect.provide(NodeServices.layer),
  NodeRuntime.runMain({ disableErrorReporting: true })
)
