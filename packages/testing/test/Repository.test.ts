/**
 * The repository as a whole: its architecture (the packages' runtime dependencies keep the rules, and the diagram of
 * docs/architecture.md is the one the manifests give), and its readiness for a release (each published package
 * packs only its build, README and licence; the changesets give every published package its next version).
 */
import { execFileSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { block, markers, type Package, packages, violations } from "../../../scripts/architecture.ts"

const root = join(import.meta.dirname, "..", "..", "..")
const all = packages(root)
const published = all.filter((p) => !p.private)

describe("the architecture", () => {
  it("keeps its rules: core on effect only, no adapter on another, nothing on the application or a private package", () => {
    expect(all.map((p) => p.name)).toEqual(expect.arrayContaining(["@lindung/core", "@lindung/wire", "@lindung/cli"]))
    expect(violations(all)).toEqual([])
  })

  it("finds every kind of forbidden dependency (the check can fail)", () => {
    const make = (name: string, kind: Package["kind"], dependencies: ReadonlyArray<string>, isPrivate = false) =>
      ({ name, dir: `packages/${name}`, kind, private: isPrivate, dependencies }) satisfies Package
    const broken = [
      make("@lindung/core", "core", ["effect", "jose"]),
      make("@lindung/transport-nats", "adapter", ["@lindung/transport-http"]),
      make("@lindung/transport-http", "adapter", ["@lindung/cli"]),
      make("@lindung/storage-sql", "adapter", ["@lindung/testing"]),
      make("@lindung/cli", "application", []),
      make("@lindung/testing", "private", [], true)
    ]
    expect(violations(broken).map((v) => `${v.from} → ${v.to}: ${v.rule}`)).toEqual([
      "@lindung/core → jose: the core depends on effect only",
      "@lindung/transport-nats → @lindung/transport-http: an adapter never depends on another adapter",
      "@lindung/transport-http → @lindung/cli: nothing depends on the application or an example",
      "@lindung/storage-sql → @lindung/testing: a published package never depends on a private one"
    ])
  })

  it("is drawn in docs/architecture.md as the manifests say (npm run docs)", () => {
    const page = readFileSync(join(root, "docs", "architecture.md"), "utf8")
    const drawn = page.slice(page.indexOf(markers.start) + markers.start.length + 1, page.indexOf(markers.end) - 1)
    expect(drawn).toBe(block(root))
  })
})

describe("a release", () => {
  const license = readFileSync(join(root, "LICENSE"), "utf8")

  it.each(published.map((p) => [p.name, p] as const))(
    "%s packs only its build, README and licence",
    (_, pkg) => {
      const listing = JSON.parse(
        execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
          cwd: join(root, pkg.dir),
          encoding: "utf8",
          stdio: ["ignore", "pipe", "ignore"]
        })
      ) as ReadonlyArray<{ readonly files: ReadonlyArray<{ readonly path: string }> }>
      const files = (listing[0]?.files ?? []).map((file) => file.path)
      // The command line also ships its executable and a sample import file.
      const extra = pkg.name === "@lindung/cli" ? /^(bin\/lindung\.js|examples\/reports\.ndjson)$/u : /^$/u
      const stray = files.filter(
        (path) => !/^(package\.json|README\.md|LICENSE|dist\/.+)$/u.test(path) && !extra.test(path)
      )
      expect(stray).toEqual([])
      expect(files).toEqual(expect.arrayContaining(["README.md", "LICENSE", "dist/index.js", "dist/index.d.ts"]))
      expect(files.some((path) => /(^|\/)test\/|\.test\.|\.tsbuildinfo$/u.test(path))).toBe(false)
      expect(readFileSync(join(root, pkg.dir, "LICENSE"), "utf8")).toBe(license)
    },
    60_000
  )

  it("has the next version of every published package in its changesets", () => {
    const dir = mkdtempSync(join(tmpdir(), "lindung-changesets-"))
    try {
      const output = join(dir, "status.json")
      execFileSync("npx", ["changeset", "status", `--output=${output}`], { cwd: root, stdio: "ignore" })
      const status = JSON.parse(readFileSync(output, "utf8")) as {
        readonly releases: ReadonlyArray<{
          readonly name: string
          readonly oldVersion: string
          readonly newVersion: string
        }>
      }
      const next = new Map(status.releases.map((release) => [release.name, release]))
      for (const pkg of published) {
        const release = next.get(pkg.name)
        expect(release, pkg.name).toBeDefined()
        expect(release?.newVersion, pkg.name).not.toBe(release?.oldVersion)
      }
      // The packages are versioned together (`fixed` in .changeset/config.json).
      expect(new Set(published.map((pkg) => next.get(pkg.name)?.newVersion)).size).toBe(1)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)
})
