/** The generated parts of the docs must equal what the code generates today (`npm run docs:generate` rewrites them). */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { coverage } from "../../../scripts/rule-coverage.ts"
import * as CaseEvent from "../src/CaseEvent.js"
import * as CaseModel from "../src/CaseModel.js"
import * as JsonSchema from "../src/JsonSchema.js"
import * as RuleRegister from "../src/RuleRegister.js"
import * as SopTable from "../src/SopTable.js"

const docs = join(import.meta.dirname, "..", "..", "..", "docs")

describe("generated docs", () => {
  it("docs/sop.md embeds the SOP table generated from the decider's own table, with every rule it cites", () => {
    const page = readFileSync(join(docs, "sop.md"), "utf8")
    const block = page.slice(page.indexOf("<!-- sop:diagram -->") + 20, page.indexOf("<!-- /sop:diagram -->")).trim()
    expect(block).toBe(SopTable.markdown())
  })

  it("docs/json-schema/lindung.schema.json is the JSON Schema of today's public schemas", () => {
    const file = JSON.parse(readFileSync(join(docs, "json-schema", "lindung.schema.json"), "utf8"))
    expect(file).toEqual(JSON.parse(JSON.stringify(JsonSchema.document())))
  })

  it("docs/case-events.md names every payload type of the events, and docs/deadlines.md every deadline kind", () => {
    const events = readFileSync(join(docs, "case-events.md"), "utf8")
    for (const member of CaseEvent.Payload.members) {
      expect(events, member.fields._tag.schema.literal).toContain(`\`${member.fields._tag.schema.literal}\``)
    }
    const deadlines = readFileSync(join(docs, "deadlines.md"), "utf8")
    for (const kind of CaseModel.DeadlineKind.literals) expect(deadlines, kind).toContain(`| \`${kind}\``)
  })

  it("docs/rules.md is the register of every rule, with its basis and the tests that name it", () => {
    const page = readFileSync(join(docs, "rules.md"), "utf8")
    expect(page).toBe(RuleRegister.markdown(coverage(join(docs, ".."))))
  })
})
