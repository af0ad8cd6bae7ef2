/**
 * Writes the parts of the docs that are generated from code, so they never drift from it:
 * - the SOP diagram, transitions, command table, guards and rules inside docs/sop.md (between the
 *   `<!-- sop:diagram -->` markers), from `SopTable.markdown()`;
 * - docs/json-schema/lindung.schema.json, from `JsonSchema.document()`;
 * - docs/rules.md, the register of rules, from `RuleRegister.markdown` with the test files that name each rule;
 * - docs/openapi.json, the HTTP API's OpenAPI 3.1 document (what `/openapi.json` serves), for other stacks' generators;
 * - the package diagram of docs/architecture.md (between the `<!-- architecture:packages -->` markers), from the
 *   packages' manifests (`scripts/architecture.ts`).
 * Tests in @lindung/core fail when the committed files differ from what this script writes.
 * Run with `npm run docs:generate` (it builds @lindung/core first: this script imports the built package).
 */
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { JsonSchema, RuleRegister, SopTable } from "@lindung/core"
import { Api } from "@lindung/transport-http"
import { OpenApi } from "effect/http-api"
import { block, withBlock } from "./architecture.ts"
import { coverage } from "./rule-coverage.ts"

const root = join(import.meta.dirname, "..")

const sopPage = join(root, "docs", "sop.md")
const page = readFileSync(sopPage, "utf8")
const start = "<!-- sop:diagram -->"
const end = "<!-- /sop:diagram -->"
const before = page.slice(0, page.indexOf(start) + start.length)
const after = page.slice(page.indexOf(end))
if (page.indexOf(start) < 0 || page.indexOf(end) < 0) throw new Error(`docs/sop.md lacks the ${start} markers`)
writeFileSync(sopPage, `${before}\n${SopTable.markdown()}\n${after}`)

writeFileSync(
  join(root, "docs", "json-schema", "lindung.schema.json"),
  `${JSON.stringify(JsonSchema.document(), null, 2)}\n`
)
writeFileSync(join(root, "docs", "rules.md"), RuleRegister.markdown(coverage(root)))
writeFileSync(join(root, "docs", "openapi.json"), `${JSON.stringify(OpenApi.fromApi(Api.Api), null, 2)}\n`)
const architecturePage = join(root, "docs", "architecture.md")
writeFileSync(architecturePage, withBlock(readFileSync(architecturePage, "utf8"), block(root)))
console.log(
  "wrote docs/sop.md (diagram), docs/json-schema/lindung.schema.json, docs/rules.md, docs/openapi.json and docs/architecture.md (packages)"
)
