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
import { httpReference, jsonSchemaReference, natsReference } from "../scripts/pages.ts"
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
      ...publishedPackages().map(({ name }) => `reference/api/${name}/index.html`),
      ...examples().map(({ dir }) => `examples/${dir}.html`)
    ]
    for (const page of expected) expect(existsSync(join(dist, page)), page).toBe(true)
    // Every guide page of docs/ is on the site.
    for (const file of readdirSync(docs).filter((name) => name.endsWith(".md") && name !== "README.md")) {
      expect(existsSync(join(dist, file.replace(/\.md$/, ".html"))), file).toBe(true)
    }
  })

  it("writes its reference pages from the committed contract documents", () => {
    const json = (path: string) => JSON.parse(readFileSync(join(docs, path), "utf8"))
    expect(readFileSync(join(docs, "reference", "http.md"), "utf8")).toBe(httpReference(json("openapi.json")))
    expect(readFileSync(join(docs, "reference", "nats.md"), "utf8")).toBe(natsReference(json("asyncapi.json")))
    expect(readFileSync(join(docs, "reference", "json-schema.md"), "utf8")).toBe(
      jsonSchemaReference(json("json-schema/lindung.schema.json"))
    )
    const http = readFileSync(join(dist, "reference", "http.html"), "utf8")
    for (const path of Object.keys(json("openapi.json").paths)) expect(http, path).toContain(path)
    const core = readFileSync(join(dist, "reference", "api", "@lindung", "core", "namespaces", "Decider.html"), "utf8")
    expect(core).toContain("decide")
  })

  it("links only to pages and files that exist", () => {
    const broken: Array<string> = []
    for (const page of pages()) {
      const html = readFileSync(page, "utf8")
      for (const [, href] of html.matchAll(/href="(\/[^"]*)"/g)) {
        const target = (href as string).replace(/^\/(?!\/)/, "/")
        if (fileOf(target) === undefined) broken.push(`${page.slice(dist.length)} → ${href}`)
      }
    }
    expect(broken).toEqual([])
  })

  it.runIf(hasBrowser || required)(
    "loads in headless Chromium: pages render, Mermaid diagrams draw, no console errors",
    async () => {
      const browser = await chromium.launch({
        executablePath: browserPath,
        args: [
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync"
        ]
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
          "/id/rules"
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
