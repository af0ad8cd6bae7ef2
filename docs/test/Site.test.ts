/**
 * The documentation site: built as `npm run docs:build` builds it, then opened in headless Chromium — the pages
 * load, the Mermaid diagrams render, no console errors; every link between pages of the built site leads to a page.
 *
 * Chromium is Debian's `chromium` (`/usr/bin/chromium`, or `LINDUNG_CHROMIUM`). `.ci/run` installs it; where it is
 * absent the browser checks are skipped with a message, unless `LINDUNG_REQUIRE_SERVICES=1` (CI), where they fail.
 */
import { execFile } from "node:child_process"
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { createServer, type Server } from "node:http"
import { createRequire } from "node:module"
import type { AddressInfo } from "node:net"
import { extname, join } from "node:path"
import { promisify } from "node:util"
import { chromium } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { examples, publishedPackages } from "../scripts/reference.ts"

const run = promisify(execFile)
const docs = join(import.meta.dirname, "..")
const dist = join(docs, ".vitepress", "dist")
const browserPath = process.env.LINDUNG_CHROMIUM ?? "/usr/bin/chromium"
const hasBrowser = existsSync(browserPath)
const required = process.env.LINDUNG_REQUIRE_SERVICES === "1"

if (!hasBrowser && !required) {
  console.warn(
    `Site.test.ts: the browser checks are skipped: no Chromium at ${browserPath} (install Debian's chromium, or set LINDUNG_CHROMIUM)`
  )
}

const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".woff2": "font/woff2"
}

/** The built page for a URL path, as a static host with clean URLs serves it (`/sop` → `sop.html`). */
const fileOf = (path: string): string | undefined => {
  const clean = decodeURIComponent(path.split(/[?#]/)[0] as string)
  const candidates = [join(dist, clean), join(dist, `${clean}.html`), join(dist, clean, "index.html")]
  return candidates.find((file) => file.startsWith(dist) && existsSync(file) && statSync(file).isFile())
}

/** An attribute's text as written in HTML, unescaped. */
const unescapeHtml = (text: string): string =>
  text
    .replaceAll("&amp;", "&")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")

/** Every HTML file of the built site. */
const pages = (dir = dist): Array<string> =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? pages(join(dir, entry.name)) : entry.name.endsWith(".html") ? [join(dir, entry.name)] : []
  )

let server: Server
let origin = ""

beforeAll(async () => {
  await run(process.execPath, [join(docs, "scripts", "reference.ts")], { cwd: docs })
  const vitepress = join(createRequire(import.meta.url).resolve("vitepress/package.json"), "..", "bin", "vitepress.js")
  await run(process.execPath, [vitepress, "build", docs], { cwd: docs, maxBuffer: 64 * 1024 * 1024 })
  server = createServer((request, response) => {
    const file = fileOf(request.url ?? "/")
    if (file === undefined) {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found")
      return
    }
    response.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" })
    response.end(readFileSync(file))
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}, 600_000)

afterAll(() => new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve()))))

describe("the documentation site", () => {
  it("has a page for every guide page, reference page, package and example", () => {
    const expected = [
      "index.html",
      "guide/getting-started.html",
      "domain.html",
      "sop.html",
      "rules.html",
      "reference/http.html",
      "reference/nats.html",
      "reference/json-schema.html",
      "reference/api/index.html",
      "examples/index.html",
      "id/index.html",
      "id/guide/getting-started.html",
      "id/domain.html",
      "id/sop.html",
      "id/rules.html",
      "id/guide/konsep.html",
      "id/guide/penyimpanan-dan-transport.html",
      "id/guide/operasi.html",
      ...publishedPackages().map(({ name }) => `reference/api/${name}/index.html`),
      ...examples().map(({ dir }) => `examples/${dir}.html`)
    ]
    for (const page of expected) expect(existsSync(join(dist, page)), page).toBe(true)
    // Every guide page of docs/ is on the site.
    for (const file of readdirSync(docs).filter((name) => name.endsWith(".md") && name !== "README.md")) {
      expect(existsSync(join(dist, file.replace(/\.md$/, ".html"))), file).toBe(true)
    }
  })

  it("shows the committed contract documents: every endpoint, channel, schema and package, and the files to download", () => {
    const json = (path: string) => JSON.parse(readFileSync(join(docs, path), "utf8"))
    const text = (page: string) => readFileSync(join(dist, page), "utf8")
    const http = text("reference/http.html")
    for (const path of Object.keys(json("openapi.json").paths)) expect(http, path).toContain(path)
    for (const name of Object.keys(json("openapi.json").components.schemas)) {
      expect(http, name).toContain(`id="schema-${name.replace(/[^A-Za-z0-9_-]/g, "-")}"`)
    }
    const nats = text("reference/nats.html")
    for (const channel of Object.values(json("asyncapi.json").channels) as Array<{ address: string | null }>) {
      if (channel.address !== null) expect(nats, channel.address).toContain(channel.address)
    }
    const schema = text("reference/json-schema.html")
    for (const name of Object.keys(json("json-schema/lindung.schema.json").$defs)) {
      expect(schema, name).toContain(`id="schema-${name.replace(/[^A-Za-z0-9_-]/g, "-")}"`)
    }
    // The ports list their operations (what an adapter implements), the decider its functions.
    const eventStore = text("reference/api/@lindung/core/namespaces/EventStore.html")
    for (const operation of ["appendAll", "readAfter", "idempotency", "verify"])
      expect(eventStore, operation).toContain(operation)
    expect(text("reference/api/@lindung/core/namespaces/Decider.html")).toContain("decide")
    // The documents themselves, byte for byte.
    for (const file of ["openapi.json", "asyncapi.json", "json-schema/lindung.schema.json"]) {
      expect(readFileSync(join(dist, file), "utf8"), file).toBe(readFileSync(join(docs, file), "utf8"))
    }
    // Every example shows its source.
    for (const { dir } of examples()) expect(text(`examples/${dir}.html`), dir).toContain("The source")
  })

  it("leads from the Indonesian guide to every page of the English guide", () => {
    const indonesian = pages(join(dist, "id"))
      .map((page) => readFileSync(page, "utf8"))
      .join("\n")
    const guide = readdirSync(docs).filter((name) => name.endsWith(".md") && name !== "README.md")
    const missing = guide.filter((file) => !indonesian.includes(`href="/${file.replace(/\.md$/, "")}`))
    expect(missing).toEqual([])
  })

  it("links only to pages, files and anchors that exist", () => {
    const ids = new Map<string, Set<string>>()
    const idsOf = (file: string): Set<string> => {
      let found = ids.get(file)
      if (found === undefined) {
        found = new Set(
          [...readFileSync(file, "utf8").matchAll(/\sid="([^"]+)"/g)].map(([, id]) => unescapeHtml(id as string))
        )
        ids.set(file, found)
      }
      return found
    }
    const broken: Array<string> = []
    for (const page of pages()) {
      const url = new URL(`http://site${page.slice(dist.length).replace(/(index)?\.html$/, "")}`)
      const html = readFileSync(page, "utf8")
      for (const [, raw] of html.matchAll(/<a [^>]*href="([^"]+)"/g)) {
        const href = unescapeHtml(raw as string)
        if (/^[a-z][a-z0-9+.-]*:/i.test(href) && !href.startsWith("http://site")) continue
        const target = new URL(href, url)
        const file = target.pathname === url.pathname ? page : fileOf(target.pathname)
        if (file === undefined) {
          broken.push(`${page.slice(dist.length)} → ${href}`)
          continue
        }
        const anchor = decodeURIComponent(target.hash.slice(1))
        if (anchor !== "" && file.endsWith(".html") && !idsOf(file).has(anchor)) {
          broken.push(`${page.slice(dist.length)} → ${href} (no such anchor)`)
        }
      }
    }
    expect(broken).toEqual([])
  })

  it.runIf(hasBrowser || required)(
    "loads in headless Chromium: pages render, Mermaid diagrams draw, no console errors",
    async () => {
      const browser = await chromium.launch({
        executablePath: browserPath,
        // Playwright adds --no-sandbox, --disable-background-networking and the like itself; these two keep
        // Chromium off the GPU and off QUIC, which this machine's closed network refuses.
        args: ["--disable-gpu", "--disable-quic"]
      })
      try {
        const page = await browser.newPage()
        const errors: Array<string> = []
        page.on("console", (message) => {
          if (message.type() === "error") errors.push(`${page.url()}: ${message.text()}`)
        })
        page.on("pageerror", (error) => errors.push(`${page.url()}: ${error.message}`))
        page.on("response", (response) => {
          if (response.status() >= 400) errors.push(`${page.url()}: ${response.status()} for ${response.url()}`)
        })
        const visit = async (path: string) => {
          const response = await page.goto(`${origin}${path}`, { waitUntil: "networkidle" })
          expect(response?.status(), path).toBe(200)
          await expect(page.locator("main h1").first().textContent()).resolves.toBeTruthy()
        }
        for (const path of ["/sop", "/architecture", "/id/sop"]) {
          await visit(path)
          const diagrams = page.locator(".mermaid-diagram")
          const count = await diagrams.count()
          expect(count, path).toBeGreaterThan(0)
          await page.waitForFunction(
            () =>
              Array.from(document.querySelectorAll(".mermaid-diagram")).every(
                (element) => element.getAttribute("data-rendered") === "yes"
              ),
            undefined,
            { timeout: 30_000 }
          )
          expect(await page.locator(".mermaid-diagram svg").count(), path).toBe(count)
          expect(await page.locator(".mermaid-diagram").first().textContent(), path).not.toMatch(/syntax error/i)
        }
        const others = [
          "/",
          "/guide/getting-started",
          "/domain",
          "/rules",
          "/reference/http",
          "/reference/nats",
          "/reference/json-schema",
          "/reference/api/",
          "/reference/api/@lindung/core/namespaces/Decider",
          "/examples/",
          ...examples().map(({ dir }) => `/examples/${dir}`),
          "/id/",
          "/id/guide/getting-started",
          "/id/domain",
          "/id/rules",
          "/id/guide/konsep",
          "/id/guide/penyimpanan-dan-transport",
          "/id/guide/operasi"
        ]
        for (const path of others) await visit(path)
        // A link followed in the browser (client-side navigation) renders the next page's diagram too.
        await visit("/")
        await page.locator('a[href="/sop"]').first().click()
        await page.waitForURL(`${origin}/sop`)
        await page.waitForSelector(".mermaid-diagram svg", { timeout: 30_000 })
        expect(errors).toEqual([])
      } finally {
        await browser.close()
      }
    },
    300_000
  )
})
