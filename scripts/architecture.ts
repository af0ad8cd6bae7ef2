/**
 * The architecture of the repository as data, read from the packages' manifests: every workspace package, its
 * runtime dependencies (`dependencies`, not the devDependencies of tests and benchmarks), and the rules the shape
 * must keep — checked by a test (`packages/testing/test/Repository.test.ts`) and drawn into docs/architecture.md by
 * `npm run docs:generate`.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"

/** What a package is, by its name: the rules depend on it. */
export type Kind = "core" | "adapter" | "testkit" | "application" | "data" | "shared" | "example" | "private"

/** A workspace package. */
export interface Package {
  readonly name: string
  readonly dir: string
  readonly kind: Kind
  readonly private: boolean
  /** Its runtime dependencies: workspace packages and third-party packages. */
  readonly dependencies: ReadonlyArray<string>
}

const kindOf = (name: string, dir: string, isPrivate: boolean): Kind => {
  if (dir.startsWith("examples/")) return "example"
  const short = name.replace(/^@lindung\//u, "")
  if (short === "core") return "core"
  if (short === "storage-testkit") return "testkit"
  if (short.startsWith("storage-") || short.startsWith("transport-")) return "adapter"
  if (short === "cli") return "application"
  if (short === "regions" || short === "seeds") return "data"
  if (isPrivate) return "private"
  return "shared"
}

/** Every workspace package of the repository at `root`, in a stable order. */
export const packages = (root: string): ReadonlyArray<Package> =>
  ["packages", "examples"].flatMap((folder) =>
    readdirSync(join(root, folder), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${folder}/${entry.name}`)
      .sort()
      .flatMap((dir) => {
        const file = join(root, dir, "package.json")
        // A folder without a manifest is not a package; a manifest that does not parse is an error.
        if (!existsSync(file)) return []
        const manifest = JSON.parse(readFileSync(file, "utf8")) as {
          readonly name: string
          readonly private?: boolean
          readonly dependencies?: Record<string, string>
        }
        const isPrivate = manifest.private === true
        return [
          {
            name: manifest.name,
            dir,
            kind: kindOf(manifest.name, dir, isPrivate),
            private: isPrivate,
            dependencies: Object.keys(manifest.dependencies ?? {}).sort()
          }
        ]
      })
  )

/** A dependency the architecture forbids, and why. */
export interface Violation {
  readonly from: string
  readonly to: string
  readonly rule: string
}

/** The workspace packages a package depends on at run time, directly or through others. */
const closure = (from: Package, byName: ReadonlyMap<string, Package>): ReadonlySet<string> => {
  const seen = new Set<string>()
  const visit = (p: Package) => {
    for (const d of p.dependencies) {
      const next = byName.get(d)
      if (next !== undefined && !seen.has(d)) {
        seen.add(d)
        visit(next)
      }
    }
  }
  visit(from)
  return seen
}

/**
 * The dependencies that break the shape: the core depends on `effect` only; an adapter (storage or transport) never
 * on another adapter, directly or through a shared package (what two transports share lives in `@lindung/wire`,
 * which depends on no adapter); no package depends on itself through others (a cycle); nothing depends
 * on the application (`@lindung/cli`), nor anything but an example on an example; a published package never on a
 * private one.
 */
export const violations = (all: ReadonlyArray<Package>): ReadonlyArray<Violation> => {
  const byName = new Map(all.map((p) => [p.name, p]))
  const indirect = all.flatMap((from): ReadonlyArray<Violation> => {
    const reached = closure(from, byName)
    const cycle: ReadonlyArray<Violation> = reached.has(from.name)
      ? [{ from: from.name, to: from.name, rule: "no package depends on itself through others" }]
      : []
    const adapters: ReadonlyArray<Violation> =
      from.kind === "adapter" || from.kind === "shared"
        ? [...reached]
            .filter((name) => byName.get(name)?.kind === "adapter" && !from.dependencies.includes(name))
            .map((to) => ({
              from: from.name,
              to,
              rule: "an adapter never depends on another adapter, even through others"
            }))
        : []
    const sharedOnAdapter: ReadonlyArray<Violation> =
      from.kind === "shared"
        ? from.dependencies
            .filter((name) => byName.get(name)?.kind === "adapter")
            .map((to) => ({ from: from.name, to, rule: "a shared package never depends on an adapter" }))
        : []
    return [...cycle, ...adapters, ...sharedOnAdapter]
  })
  const direct = all.flatMap((from) =>
    from.dependencies.flatMap((to): ReadonlyArray<Violation> => {
      const target = byName.get(to)
      if (from.kind === "core" && to !== "effect") {
        return [{ from: from.name, to, rule: "the core depends on effect only" }]
      }
      if (target === undefined) return []
      if (from.kind === "adapter" && target.kind === "adapter") {
        return [{ from: from.name, to, rule: "an adapter never depends on another adapter" }]
      }
      if (target.kind === "application" || (target.kind === "example" && from.kind !== "example")) {
        return [{ from: from.name, to, rule: "nothing depends on the application or an example" }]
      }
      if (!from.private && target.private) {
        return [{ from: from.name, to, rule: "a published package never depends on a private one" }]
      }
      return []
    })
  )
  return [...direct, ...indirect]
}

const idOf = (name: string) => name.replace(/^@lindung\//u, "").replace(/[^a-z0-9]/giu, "_")

const kindLabel: Record<Kind, string> = {
  core: "the domain: effect only, no I/O",
  adapter: "adapter",
  testkit: "conformance suite",
  application: "application",
  data: "data",
  shared: "shared by the transports",
  example: "example",
  private: "private"
}

/** The packages and their runtime dependencies as a Mermaid flowchart, with each package's third-party packages. */
export const mermaid = (all: ReadonlyArray<Package>): string => {
  const names = new Set(all.map((p) => p.name))
  const lines = ["```mermaid", "flowchart TD"]
  for (const p of all) {
    const external = p.dependencies.filter((d) => !names.has(d))
    lines.push(
      `  ${idOf(p.name)}["${p.name}<br/><i>${kindLabel[p.kind]}</i>${external.length === 0 ? "" : `<br/><small>${external.join(", ")}</small>`}"]`
    )
  }
  for (const p of all) {
    for (const d of p.dependencies) if (names.has(d)) lines.push(`  ${idOf(p.name)} --> ${idOf(d)}`)
  }
  lines.push("```")
  return lines.join("\n")
}

/** The generated block of docs/architecture.md: the diagram and the rules it keeps. */
export const block = (root: string): string => {
  const all = packages(root)
  return [
    mermaid(all),
    "",
    `${all.length} packages; an arrow is a runtime dependency (\`dependencies\`; the devDependencies of tests and benchmarks are left out). The rules, checked by \`packages/testing/test/Repository.test.ts\`: the core depends on \`effect\` only; an adapter (storage or transport) never depends on another adapter, not even through others — what the transports share is in \`@lindung/wire\`, which depends on no adapter; there is no cycle; nothing depends on the application (\`@lindung/cli\`), nor anything but an example on an example; a published package never depends on a private one.`
  ].join("\n")
}

/** The markers of the generated block in docs/architecture.md. */
export const markers = { start: "<!-- architecture:packages -->", end: "<!-- /architecture:packages -->" } as const

/** The page with its block replaced by `content`. */
export const withBlock = (page: string, content: string): string => {
  const start = page.indexOf(markers.start)
  const end = page.indexOf(markers.end)
  if (start < 0 || end < 0) throw new Error(`docs/architecture.md lacks the ${markers.start} markers`)
  return `${page.slice(0, start + markers.start.length)}\n${content}\n${page.slice(end)}`
}
