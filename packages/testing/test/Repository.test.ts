/**
 * The repository as a whole: its architecture (the packages' runtime dependencies keep the rules, and the diagram of
 * docs/architecture.md is the one the manifests give), and its readiness for a release (each published package
 * packs only its build, README and licence; the changesets give every published package its next version).
 */
import { execFileSync } from "node:child_process"
import { readdirSync, readFileSync } from "node:fs"
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
    // Through a shared package, and in a circle.
    const indirect = [
      make("@lindung/transport-nats", "adapter", ["@lindung/wire"]),
      make("@lindung/wire", "shared", ["@lindung/transport-http"]),
      make("@lindung/transport-http", "adapter", ["@lindung/regions"]),
      make("@lindung/regions", "data", ["@lindung/seeds"]),
      make("@lindung/seeds", "data", ["@lindung/regions"])
    ]
    expect(violations(indirect).map((v) => `${v.from} → ${v.to}: ${v.rule}`)).toEqual([
      "@lindung/transport-nats → @lindung/transport-http: an adapter never depends on another adapter, even through others",
      "@lindung/wire → @lindung/transport-http: a shared package never depends on an adapter",
      "@lindung/regions → @lindung/regions: no package depends on itself through others",
      "@lindung/seeds → @lindung/seeds: no package depends on itself through others"
    ])
  })

  it("is drawn in docs/architecture.md as the manifests say (npm run docs:generate)", () => {
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

  it.each(published.map((p) => [p.name, p] as const))(
    "%s loads from its build as a user's Node loads it, every export defined",
    (name) => {
      // A child Node, from the repository root: the packages' `exports` and `dist/`, not the sources.
      const script = `const m = await import(${JSON.stringify(name)}); const empty = Object.entries(m).filter(([k, v]) => v === undefined || (typeof v === "object" && v !== null && Object.keys(v).length === 0)).map(([k]) => k); console.log(JSON.stringify({ exports: Object.keys(m).length, empty }))`
      const output = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
        cwd: root,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"]
      })
      const loaded = JSON.parse(output.trim().split("\n").at(-1) as string) as {
        readonly exports: number
        readonly empty: ReadonlyArray<string>
      }
      expect(loaded.exports).toBeGreaterThan(0)
      expect(loaded.empty).toEqual([])
    },
    60_000
  )

  it("gives every published package its next version with the pending changesets (read without git)", () => {
    const config = JSON.parse(readFileSync(join(root, ".changeset", "config.json"), "utf8")) as {
      readonly fixed: ReadonlyArray<ReadonlyArray<string>>
    }
    // Versioned together: one changeset for any package bumps every published package.
    expect(config.fixed).toEqual([["@lindung/*"]])
    const names = new Set(all.map((p) => p.name))
    const pending = readdirSync(join(root, ".changeset")).filter((file) => file.endsWith(".md") && file !== "README.md")
    const bumps = pending.flatMap((file) => {
      const text = readFileSync(join(root, ".changeset", file), "utf8")
      const front = /^---\n([\s\S]*?)\n?---/u.exec(text)
      expect(front, `${file} has a front matter`).not.toBeNull()
      return (front?.[1] ?? "")
        .split("\n")
        .filter((line) => line.trim().length > 0)
        .map((line) => {
          const match = /^"([^"]+)":\s*(major|minor|patch)$/u.exec(line.trim())
          expect(match, `${file}: ${line}`).not.toBeNull()
          return { file, name: match?.[1] as string }
        })
    })
    // Every package a changeset names exists and is published (a typo would be dropped by `changeset version`).
    for (const { file, name } of bumps) {
      expect(names.has(name), `${file} names ${name}`).toBe(true)
      expect(
        published.some((p) => p.name === name),
        `${file}: ${name} is published`
      ).toBe(true)
    }
  })
})
