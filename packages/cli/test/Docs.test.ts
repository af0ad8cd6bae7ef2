/**
 * docs/operations.md against the code: every setting the deployable packages read from the environment, and every
 * command of `lindung`, is named there — a new variable or command without its line fails here.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"

const root = join(import.meta.dirname, "..", "..", "..")
const operations = readFileSync(join(root, "docs", "operations.md"), "utf8")

/** The source text of a package's `src/` (every `.ts` file, recursively). */
const sources = (pkg: string): string => {
  const walk = (dir: string): Array<string> =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? walk(join(dir, entry.name))
        : entry.name.endsWith(".ts")
          ? [readFileSync(join(dir, entry.name), "utf8")]
          : []
    )
  return walk(join(root, "packages", pkg, "src")).join("\n")
}

describe("docs/operations.md", () => {
  it("names every environment variable the deployable packages read", () => {
    const text = ["cli", "storage-sql", "transport-http", "transport-nats"].map(sources).join("\n")
    // Read as settings: env("X"), process.env.X, Config…("X").
    const read = new Set(
      [...text.matchAll(/(?:env\(|read\(env, |process\.env\.|Config\.[A-Za-z]+\()"?((?:LINDUNG|OTEL)_[A-Z_]+)/g)].map(
        (match) => match[1]
      )
    )
    expect(read.size).toBeGreaterThan(10)
    const missing = [...read].filter((name) => !operations.includes(`\`${name}\``))
    expect(missing).toEqual([])
  })

  it("names every command of lindung", () => {
    const commands = sources("cli")
    const names = [...commands.matchAll(/Command\.make\(\s*"([a-z-]+)"/g)].map((match) => match[1] as string)
    expect(names).toEqual(expect.arrayContaining(["serve", "relay", "backup", "keys", "status", "rotate"]))
    // A command is named in code spans: `serve`, or `keys status` for a subcommand and its parent.
    const named = (name: string) =>
      [`\`${name}\``, `\`${name} `, ` ${name}\``].some((form) => operations.includes(form))
    const missing = names.filter((name) => name !== "lindung" && !named(name))
    expect(missing).toEqual([])
  })
})
