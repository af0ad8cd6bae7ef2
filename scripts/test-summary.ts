/**
 * Prints one summary of every package's last vitest run (the JSON reports that turbo's `test` task leaves, also
 * when it replays them from cache), and exits non-zero if a package has no report or a test failed.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"

interface Report {
  readonly numPassedTests: number
  readonly numFailedTests: number
  readonly numPendingTests: number
  readonly numTodoTests: number
  readonly success: boolean
}

const root = join(import.meta.dirname, "..")
const workspaces = [
  ...["packages", "examples"].flatMap((group) =>
    readdirSync(join(root, group), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(root, group, entry.name, "package.json")))
      .map((entry) => join(group, entry.name))
  ),
  // The documentation site's workspace.
  "docs"
]

let passed = 0
let failed = 0
let skipped = 0
let missing = 0
for (const workspace of workspaces) {
  const manifest = JSON.parse(readFileSync(join(root, workspace, "package.json"), "utf8")) as {
    scripts?: Record<string, string>
  }
  if (manifest.scripts?.test === undefined) continue
  const file = join(root, workspace, "test-results.json")
  if (!existsSync(file)) {
    console.log(`${workspace}: no test report (did its tests run?)`)
    missing++
    continue
  }
  const report = JSON.parse(readFileSync(file, "utf8")) as Report
  const pending = report.numPendingTests + report.numTodoTests
  console.log(`${workspace}: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${pending} skipped`)
  passed += report.numPassedTests
  failed += report.numFailedTests
  skipped += pending
}
console.log(`\nTotal: ${passed} passed, ${failed} failed, ${skipped} skipped`)
if (failed > 0 || missing > 0 || passed === 0) process.exitCode = 1
