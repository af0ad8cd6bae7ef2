/**
 * The register of rules: every rule the library enforces or applies — the SOP rules and the procedure rules, and
 * the rules of risk, SPPA, classification, deadlines, Dinas types and jurisdiction — each with its stable id, what
 * it says in Indonesian and English, and its legal or policy basis with its mark (verified, unverified, policy
 * default). docs/rules.md is generated from it, with the tests that cover each rule (`npm run docs:generate`; a test fails
 * when the page drifts from the code).
 *
 * @example
 * ```ts
 * import { RuleRegister } from "@lindung/core"
 *
 * RuleRegister.entries.find((entry) => entry.id === "SOP-06")?.basis
 * ```
 *
 * @since 0.2.0
 */
import * as Basis from "./Basis.js"
import * as Classification from "./Classification.js"
import * as DataSubject from "./DataSubject.js"
import * as Deadline from "./Deadline.js"
import * as DinasType from "./DinasType.js"
import * as Jurisdiction from "./Jurisdiction.js"
import * as Risk from "./Risk.js"
import * as Sop from "./Sop.js"
import * as Sppa from "./Sppa.js"

/** A rule of the register: the module that defines it, and the rule itself. */
export interface Entry extends Basis.Rule {
  /** The module of `@lindung/core` that defines the rule. */
  readonly module: string
}

const from = (module: string, rules: ReadonlyArray<Basis.Rule>): ReadonlyArray<Entry> =>
  rules.map((rule) => ({ ...rule, module }))

/** Every rule, grouped by module: the SOP first, then the domain modules. Ids are unique (tested). */
export const entries: ReadonlyArray<Entry> = [
  ...from(
    "Sop",
    Sop.ruleIds.map((id) => Sop.rules[id])
  ),
  ...from(
    "Sop",
    Sop.procedureRuleIds.map((id) => Sop.procedureRules[id])
  ),
  ...from("Risk", Risk.rules),
  ...from("Sppa", Sppa.rules),
  ...from("Classification", Classification.rules),
  ...from("Deadline", Deadline.rules),
  ...from("DinasType", DinasType.rules),
  ...from("Jurisdiction", Jurisdiction.rules),
  ...from("DataSubject", DataSubject.rules)
]

/** How many rules carry each mark, counted over every basis cited (a rule may cite several). */
export const statusCounts = (): { readonly [S in Basis.Status]: number } => {
  const counts = { verified: 0, unverified: 0, "policy-default": 0 }
  for (const entry of entries) for (const basis of entry.basis) counts[basis.status]++
  return counts
}

const cell = (text: string): string => text.replaceAll("|", "\\|").replaceAll("\n", " ")

/**
 * The register as Markdown: a table per module with every rule's id, statement, basis and — from `coveredBy`,
 * which the docs generator computes by searching the test files for the id — the tests that name it.
 */
export const markdown = (coveredBy: (id: string) => ReadonlyArray<string>): string => {
  const counts = statusCounts()
  const lines = [
    "# Register of rules",
    "",
    "Every rule Lindung enforces or applies, with its stable id, what it says (Indonesian / English), its legal or",
    "policy basis and the mark of each citation — **verified** against a public copy of the text, **unverified**",
    "(widely cited, not checked here) or **policy-default** (practice: a typed, overridable default) — and the test",
    "files that name it. Generated from `RuleRegister.entries` by `npm run docs:generate`; a test fails when this page drifts",
    "from the code. Events keep the basis they were decided under: a citation corrected here does not rewrite history.",
    "",
    `${entries.length} rules; citations: ${counts.verified} verified, ${counts.unverified} unverified, ${counts["policy-default"]} policy-default.`
  ]
  const modules = [...new Set(entries.map((entry) => entry.module))]
  for (const module of modules) {
    lines.push("", `## ${module}`, "", "| rule | statement | basis | tests |", "| --- | --- | --- | --- |")
    for (const entry of entries.filter((e) => e.module === module)) {
      const tests = coveredBy(entry.id)
      lines.push(
        `| ${entry.id} | ${cell(`${entry.title.id} / ${entry.title.en}`)} | ${cell(entry.basis.map(Basis.format).join("; "))} | ${tests.length === 0 ? "—" : tests.map((file) => `\`${file}\``).join(", ")} |`
      )
    }
  }
  return `${lines.join("\n")}\n`
}
