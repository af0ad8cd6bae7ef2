/**
 * Writes the site's generated pages before VitePress builds it (`npm run docs:build` runs this first):
 * - `reference/api/`: the API reference of every published package, by TypeDoc (with TypeScript 6, which this
 *   workspace installs beside the build's TypeScript 7) from the packages' emitted declarations — build the
 *   packages first;
 * - `reference/http.md`: the HTTP API, from docs/openapi.json (what `/openapi.json` serves);
 * - `reference/nats.md`: events and commands over NATS, from docs/asyncapi.json;
 * - `reference/json-schema.md`: every definition of docs/json-schema/lindung.schema.json;
 * - `id/sop.md` and `id/rules.md`: the SOP and the register of rules in Bahasa Indonesia, from `@lindung/core`;
 * - `examples/<name>.md`: each example's README, its links made to work on the site.
 *
 * The committed sources (openapi.json, asyncapi.json, the JSON Schema, sop.md, rules.md) are drift-tested against
 * the code; these pages are written from them at every build and are not committed, so they cannot drift either.
 * `node scripts/reference.ts --skip-api` leaves the TypeDoc step out (for a quick `vitepress dev`).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join, relative } from "node:path"
import { RuleRegister, Sop, SopTable } from "@lindung/core"
import { Application, ContainerReflection } from "typedoc"
import {
  type CoreTables,
  escapeText,
  httpReference,
  jsonSchemaReference,
  natsReference,
  rulesPageId,
  sopPageId
} from "./pages.ts"

const docs = join(import.meta.dirname, "..")
const root = join(docs, "..")

const write = (path: string, text: string) => {
  mkdirSync(join(path, ".."), { recursive: true })
  writeFileSync(path, text)
}
const json = (path: string) => JSON.parse(readFileSync(join(docs, path), "utf8"))

/** The published packages (not private), with their description, in the order of their directories. */
export const publishedPackages = (): ReadonlyArray<{ dir: string; name: string; description: string }> =>
  readdirSync(join(root, "packages"))
    .filter((dir) => existsSync(join(root, "packages", dir, "package.json")))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8")) }))
    .filter(({ manifest }) => manifest.private !== true)
    .map(({ dir, manifest }) => ({ dir, name: manifest.name as string, description: manifest.description as string }))

/** The examples with a README, in the order of their directories. */
export const examples = (): ReadonlyArray<{ dir: string; title: string; runnable: boolean }> =>
  readdirSync(join(root, "examples"))
    .filter((dir) => existsSync(join(root, "examples", dir, "README.md")))
    .map((dir) => {
      const heading = readFileSync(join(root, "examples", dir, "README.md"), "utf8").match(/^# (.+)$/m)
      const manifest = JSON.parse(readFileSync(join(root, "examples", dir, "package.json"), "utf8"))
      return { dir, title: heading?.[1] ?? dir, runnable: manifest.scripts?.start !== undefined }
    })

/** Members every Effect schema class, error or service inherits from Effect itself: not part of Lindung's API. */
const effectMachinery = new Set([
  "name",
  "message",
  "stack",
  "cause",
  "pipe",
  "toJSON",
  "toString",
  "asEffect",
  "commit",
  "key",
  "of",
  "context",
  "use",
  "useSync",
  "Service",
  "Identifier",
  "stackTraceLimit",
  "captureStackTrace",
  "prepareStackTrace",
  "isError",
  "make",
  "fields",
  "identifier",
  "ast",
  "annotate",
  "annotateKey",
  "check",
  "rebuild",
  "makeOption",
  "makeUnsafe",
  "mapFields",
  "extend",
  "Type",
  "Encoded",
  "DecodingServices",
  "EncodingServices"
])

const apiReference = async () => {
  const out = join(docs, "reference", "api")
  rmSync(out, { recursive: true, force: true })
  // One entry file per package, named as the package: TypeDoc names each module by its `@module` tag.
  const entries = join(docs, "node_modules", ".api-entries")
  rmSync(entries, { recursive: true, force: true })
  mkdirSync(entries, { recursive: true })
  const packages = publishedPackages()
  for (const { dir, name, description } of packages) {
    writeFileSync(
      join(entries, `${dir}.d.ts`),
      `/**\n * ${description}\n *\n * @module ${name}\n */\nexport * from "${name}"\n`
    )
  }
  writeFileSync(
    join(entries, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        module: "nodenext",
        moduleResolution: "nodenext",
        target: "es2022",
        strict: true,
        skipLibCheck: true,
        types: ["node"]
      },
      include: ["*.d.ts"]
    })
  )
  const app = await Application.bootstrapWithPlugins({
    entryPoints: packages.map(({ dir }) => join(entries, `${dir}.d.ts`)),
    tsconfig: join(entries, "tsconfig.json"),
    // The VitePress theme of the markdown plugin: anchors as VitePress makes them, links without `.md`.
    plugin: ["typedoc-plugin-markdown", "typedoc-vitepress-theme"],
    docsRoot: docs,
    out,
    name: "API reference",
    readme: "none",
    disableSources: true,
    skipErrorChecking: true,
    excludePrivate: true,
    excludeInternal: true,
    logLevel: "Warn",
    // One page per package and per module (namespace) of it.
    outputFileStrategy: "modules",
    entryFileName: "index",
    hidePageHeader: true,
    hideBreadcrumbs: true,
    sanitizeComments: true
  } as never)
  const project = await app.convert()
  if (project === undefined) throw new Error("TypeDoc could not read the packages' declarations (build them first)")
  // Effect's internals that every schema class, error and service inherits (symbol-keyed members, the Error and
  // Effect machinery) are left out; what a class inherits from its own base — a port's methods, an error's fields —
  // stays.
  for (const reflection of Object.values(project.reflections)) {
    const inherited = "inheritedFrom" in reflection && reflection.inheritedFrom !== undefined
    const internal = reflection.name.startsWith("~") || reflection.name.startsWith("[")
    if (internal || (inherited && effectMachinery.has(reflection.name))) project.removeReflection(reflection)
  }
  // The groups (Classes, Functions, …) were made before: keep only what is left in them.
  for (const reflection of Object.values(project.reflections)) {
    if (!(reflection instanceof ContainerReflection) || reflection.groups === undefined) continue
    for (const group of reflection.groups) {
      group.children = group.children.filter((child) => project.reflections[child.id] === child)
    }
    reflection.groups = reflection.groups.filter((group) => group.children.length > 0)
  }
  await app.generateOutputs(project)
  if (app.logger.hasErrors()) throw new Error("TypeDoc reported errors")
  fixAnchors(out)
}

/** A heading's anchor as VitePress makes it (the slug of its text; a repeated one gets `-1`, `-2`, …). */
const slugify = (text: string): string =>
  text
    .normalize("NFKD")
    .replace(/[\u0300-\u036F]/g, "")
    .replace(/[\s~`!@#$%^&*()\-_+=[\]{}|\\;:"'“”‘’<>,.?/]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^-+|-+$/g, "")
    .replace(/^(\d)/, "_$1")
    .toLowerCase()

/** The anchors of a Markdown page: the slugs of its headings' plain text, repeated ones numbered. */
const anchorsOf = (markdown: string): Set<string> => {
  const seen = new Map<string, number>()
  const anchors = new Set<string>()
  for (const [, heading] of markdown.matchAll(/^#{1,6} (.+)$/gm)) {
    const plain = (heading as string)
      .replace(/\{#([^}]+)\}\s*$/, "")
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .replace(/[`*]/g, "")
      .replace(/\\(.)/g, "$1")
    const slug = slugify(plain)
    const count = seen.get(slug) ?? 0
    seen.set(slug, count + 1)
    anchors.add(count === 0 ? slug : `${slug}-${count}`)
  }
  return anchors
}

/** Every Markdown file under a folder. */
const markdownFiles = (dir: string): ReadonlyArray<string> =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? markdownFiles(join(dir, entry.name))
      : entry.name.endsWith(".md")
        ? [join(dir, entry.name)]
        : []
  )

/**
 * Links of the API reference whose anchor is not one VitePress makes (TypeDoc writes `#type_prefix` for a heading
 * VitePress calls `type-prefix`, and numbers a heading it counted twice) are pointed at the heading's real anchor.
 */
const fixAnchors = (dir: string) => {
  const files = markdownFiles(dir)
  const anchors = new Map(files.map((file) => [file, anchorsOf(readFileSync(file, "utf8"))]))
  for (const file of files) {
    const text = readFileSync(file, "utf8")
    const fixed = text.replace(/\]\(([^)\s#]*)#([^)\s]+)\)/g, (whole, path: string, anchor: string) => {
      const base = path === "" ? file : join(file, "..", path)
      const target = [base, `${base}.md`, join(base, "index.md")].find((candidate) => anchors.has(candidate))
      const known = target === undefined ? undefined : anchors.get(target)
      if (known === undefined || known.has(anchor)) return whole
      const slug = slugify(anchor)
      const found = [slug, slug.replace(/-\d+$/, "")].find((candidate) => known.has(candidate))
      return found === undefined ? whole : `](${path}#${found})`
    })
    if (fixed !== text) writeFileSync(file, fixed)
  }
}

/** The TypeScript files of an example (its program, logic and tests), generated type files left out. */
const sourcesOf = (dir: string): ReadonlyArray<string> =>
  ["src", "test"].flatMap((folder) =>
    existsSync(join(root, "examples", dir, folder))
      ? readdirSync(join(root, "examples", dir, folder))
          .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))
          .sort()
          .map((file) => `${folder}/${file}`)
      : []
  )

/** A file as a fenced block whose fence is longer than any run of backticks inside it. */
const fenced = (text: string, language: string): string => {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map(([run]) => run.length))
  const fence = "`".repeat(longest + 1)
  return `${fence}${language}\n${text.trimEnd()}\n${fence}`
}

/** A link of an example's README, made to work on the site. */
const siteLink =
  (dir: string) =>
  (whole: string, label: string, target: string, anchor: string | undefined): string => {
    if (/^[a-z]+:/.test(target)) return whole
    const resolved = relative(root, join(root, "examples", dir, target)).replaceAll("\\", "/")
    if (resolved.startsWith("docs/") && resolved.endsWith(".md")) {
      return `[${label}](/${resolved.slice(5, -3)}${anchor ?? ""})`
    }
    const example = resolved.match(/^examples\/([^/]+)\/?(README\.md)?$/)
    if (example !== null && existsSync(join(root, "examples", example[1] as string, "README.md"))) {
      return `[${label}](/examples/${example[1]})`
    }
    // Another file of the repository: its source is on this page (below), or it is named by its path.
    return label === `\`${resolved}\`` ? label : `${label} (\`${resolved}\`)`
  }

const examplePages = () => {
  const out = join(docs, "examples")
  rmSync(out, { recursive: true, force: true })
  const all = examples()
  for (const { dir, runnable } of all) {
    const readme = readFileSync(join(root, "examples", dir, "README.md"), "utf8")
    const text = readme.replace(/\[([^\]]+)\]\(([^)#\s]+)(#[^)\s]*)?\)/g, siteLink(dir))
    const sources = sourcesOf(dir).map(
      (file) => `::: details ${file}\n\n${fenced(readFileSync(join(root, "examples", dir, file), "utf8"), "ts")}\n\n:::`
    )
    write(
      join(out, `${dir}.md`),
      [
        text.trimEnd(),
        "",
        "## The source",
        "",
        `The example is the folder \`examples/${dir}/\` of the repository${runnable ? `; run it with \`npm start -w examples/${dir}\` after \`npm ci && npm run build\`` : " (a library of the other examples: nothing to run on its own)"}. Its files:`,
        "",
        ...sources.flatMap((block) => [block, ""])
      ].join("\n")
    )
  }
  write(
    join(out, "index.md"),
    [
      "# Examples",
      "",
      "Each example is a small package of the repository's `examples/` folder that uses the published packages as an",
      "outside project would. After `npm ci && npm run build`, run one with `npm start -w examples/<name>` from the",
      "repository's root; each is tested in CI (its output is asserted). Every page shows the example's source.",
      "",
      ...all.map(
        ({ dir, title, runnable }) =>
          `- [${escapeText(title)}](./${dir}) — \`examples/${dir}\`${runnable ? "" : " (shared by the story examples)"}`
      ),
      ""
    ].join("\n")
  )
}

/** The tables of `@lindung/core` the Indonesian pages are written from. */
export const coreTables = (): CoreTables => ({
  stages: Sop.stages,
  stageLabels: Sop.stageLabels,
  transitions: Sop.transitions,
  rows: SopTable.rows,
  mermaid: SopTable.mermaid(),
  rules: RuleRegister.entries
})

/** The contract documents, downloadable from the site as they are committed (`/openapi.json`, …). */
const contractFiles = ["openapi.json", "asyncapi.json", "json-schema/lindung.schema.json"] as const

const main = async () => {
  for (const file of contractFiles) write(join(docs, "public", file), readFileSync(join(docs, file), "utf8"))
  write(join(docs, "reference", "http.md"), httpReference(json("openapi.json")))
  write(join(docs, "reference", "nats.md"), natsReference(json("asyncapi.json")))
  write(join(docs, "reference", "json-schema.md"), jsonSchemaReference(json("json-schema/lindung.schema.json")))
  write(join(docs, "id", "sop.md"), sopPageId(coreTables()))
  write(join(docs, "id", "rules.md"), rulesPageId(coreTables()))
  examplePages()
  if (!process.argv.includes("--skip-api")) await apiReference()
  console.log("wrote the reference pages and the examples' pages")
}

if (import.meta.main) await main()
