/**
 * Which test files name each rule id: the coverage column of docs/rules.md. Searches every `*.ts` file under
 * `packages/<package>/test/` for the id as a whole word. Used by `scripts/generate-docs.ts` and by the drift test
 * of `@lindung/core`, so both compute the same page.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join, relative } from "node:path"

const testFiles = (root: string): ReadonlyArray<string> => {
  const found: Array<string> = []
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.name.endsWith(".ts")) found.push(path)
    }
  }
  for (const pkg of readdirSync(join(root, "packages"), { withFileTypes: true })) {
    if (!pkg.isDirectory()) continue
    try {
      walk(join(root, "packages", pkg.name, "test"))
    } catch {
      // a package without tests
    }
  }
  return found.sort()
}

/** For the repository at `root`: the test files (relative paths) that name `id`, as a whole word. */
export const coverage = (root: string): ((id: string) => ReadonlyArray<string>) => {
  const files = testFiles(root).map((path) => ({ path: relative(root, path), text: readFileSync(path, "utf8") }))
  return (id) => {
    // Rule ids are capitals, digits and hyphens: nothing to escape.
    const word = new RegExp(`(?<![A-Z0-9-])${id}(?![A-Z0-9-])`, "u")
    return files.filter((file) => word.test(file.text)).map((file) => file.path)
  }
}
