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
export const examples = (): ReadonlyArray<{ dir: string; title: string }> =>
  readdirSync(join(root, "examples"))
    .filter((dir) => existsSync(join(root, "examples", dir, "README.md")))
    .map((dir) => {
      const heading = readFileSync(join(root, "examples", dir, "README.md"), "utf8").match(/^# (.+)$/m)
      return { dir, title: heading?.[1] ?? dir }
    })

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
    plugin: ["typedoc-plugin-markdown"],
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
  // Members a class inherits (Effect's error and service bases bring dozens each) and symbol-keyed internals are
  // documented where they are declared, not on every page that extends them.
  for (const reflection of Object.values(project.reflections)) {
    const inherited = "inheritedFrom" in reflection && reflection.inheritedFrom !== undefined
    if (inherited || reflection.name.startsWith("~") || reflection.name.startsWith("[")) {
      project.removeReflection(reflection)
    }
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
}

const examplePages = () => {
  const out = join(docs, "examples")
  rmSync(out, { recursive: true, force: true })
  for (const { dir } of examples()) {
    const source = readFileSync(join(root, "examples", dir, "README.md"), "utf8")
    // Links to docs/ pages and to other examples become site links; other files of the repository are not pages
    // of the site, so a link to one becomes its path.
    const text = source.replace(
      /\[([^\]]+)\]\(([^)#\s]+)(#[^)\s]*)?\)/g,
      (whole, label: string, target: string, anchor: string | undefined) => {
        if (/^[a-z]+:/.test(target)) return whole
        const resolved = relative(root, join(root, "examples", dir, target)).replaceAll("\\", "/")
        if (resolved.startsWith("docs/") && resolved.endsWith(".md")) {
          return `[${label}](/${resolved.slice(5, -3)}${anchor ?? ""})`
        }
        const example = resolved.match(/^examples\/([^/]+)\/?(README\.md)?$/)
        if (example !== null && existsSync(join(root, "examples", example[1] as string, "README.md"))) {
          return `[${label}](/examples/${example[1]})`
        }
        return label === `\`${resolved}\`` ? label : `${label} (\`${resolved}\`)`
      }
    )
    write(
      join(out, `${dir}.md`),
      `${text}\n\n---\n\nThe source: \`examples/${dir}/\` in the repository; run it with \`npm start -w examples/${dir}\`.\n`
    )
  }
  write(
    join(out, "index.md"),
    [
      "# Examples",
      "",
      "Every example runs with `npm start -w examples/<name>` from the repository's root after `npm ci`, and is tested in",
      "CI (its output is asserted).",
      "",
      ...examples().map(({ dir, title }) => `- [${escapeText(title)}](./${dir}) — \`examples/${dir}\``),
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

const main = async () => {
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
