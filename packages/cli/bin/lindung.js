#!/usr/bin/env node
// The `lindung` executable: a committed launcher, so that npm links it at install time, before the build. It needs
// Node 24 (node:sqlite, the platform): an older Node gets one line that says so, not a stack trace.
const major = Number(process.versions.node.split(".")[0])
if (major < 24) {
  console.error(
    `lindung: Node ${process.versions.node} is too old: lindung needs Node 24 or later (npx lindung runs the project's own)`
  )
  process.exit(2)
}
await import("../dist/bin.js")
