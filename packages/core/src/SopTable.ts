/**
 * The SOP table, described: for every command type, the stages it is allowed in, the access action it needs,
 * whether it is still allowed once a child case's subject is 18, its named guards with the rules they cite, the
 * events it may produce and the stage change it makes. The decider runs the same table, so the Mermaid diagram,
 * the JSON description and docs/sop.md, all generated here, cannot drift from the code.
 *
 * @example
 * ```ts
 * import { SopTable } from "@lindung/core"
 *
 * SopTable.row("StartIntervention").guards.map((g) => g.name) // ["planApproved", "planApprovalFitsRisk"]
 * SopTable.mermaid().split("\n")[0] // "stateDiagram-v2"
 * ```
 *
 * @since 0.2.0
 */
import { Schema } from "effect"
import type * as Access from "./Access.js"
import type * as Actor from "./Actor.js"
import * as Basis from "./Basis.js"
import type * as Case from "./Case.js"
import * as CaseCommand from "./CaseCommand.js"
import { actionOf as actionOfCommand, families, handlers } from "./internal/decide/table.js"
import * as Sop from "./Sop.js"

/** A guard as the table lists it. */
export const GuardRow = Schema.Struct({
  name: Schema.String,
  rule: Schema.String,
  requires: Schema.String
}).annotate({ identifier: "SopTable.GuardRow" })

/** See {@link GuardRow}. */
export type GuardRow = typeof GuardRow.Type

/** A command type's row of the table. */
export const Row = Schema.Struct({
  command: Schema.String,
  /** The family of commands it belongs to (intake, assessment, planning, sharing, placement, sppa, closure). */
  family: Schema.String,
  /** The stages it is allowed in; empty for `RegisterReport`, which opens a case. */
  stages: Schema.Array(Sop.Stage),
  /**
   * The transition it always makes, if it changes the stage itself (`ReopenCase`, which makes one of two, and
   * `DecideApproval`, which makes one only for some approvals, have none: see `Sop.transitions`).
   */
  transition: Schema.optionalKey(Schema.String),
  /**
   * The access actions it needs: one, or two when the action depends on who acts (for `RecordService`: `work`,
   * and `respond-referral` for an actor outside the owning agency).
   */
  actions: Schema.Array(Schema.String),
  /** Whether it is still allowed once a child case's subject is 18 (SOP-09). */
  forAdults: Schema.Boolean,
  guards: Schema.Array(GuardRow),
  produces: Schema.Array(Schema.String),
  /** The rules its events rest on (its stage change's included). */
  cites: Schema.Array(Schema.String)
}).annotate({ identifier: "SopTable.Row" })

/** See {@link Row}. */
export type Row = typeof Row.Type

const describeRow = (type: CaseCommand.Type): Row => {
  const handler = handlers[type]
  return {
    command: type,
    family: families[type],
    stages: [...handler.stages],
    ...("transition" in handler && handler.transition !== undefined ? { transition: handler.transition } : {}),
    actions: "actionOutsideOwner" in handler ? [handler.action, handler.actionOutsideOwner] : [handler.action],
    forAdults: handler.forAdults,
    guards: handler.guards.map((guard) => ({
      name: guard.name,
      rule: Sop.ruleOf(guard.rule).id,
      requires: guard.requires
    })),
    produces: [...handler.produces],
    cites: [
      ...new Set(
        [...handler.cites, ...("transition" in handler ? Sop.transition(handler.transition).rules : [])].map(
          (rule) => Sop.ruleOf(rule).id
        )
      )
    ]
  }
}

/** Every command type's row, in SOP order. */
export const rows: ReadonlyArray<Row> = CaseCommand.types.map(describeRow)

/** The row of a command type. */
export const row = (type: CaseCommand.Type): Row => describeRow(type)

/**
 * The access action a command needs on a case, by its row (`RecordService` by a referral recipient needs
 * `respond-referral`); `Access.can(actor, SopTable.actionOf(command, state, actor), state)` asks whether the
 * actor may send it at all.
 */
export const actionOf = (command: CaseCommand.Command, state: Case.State, actor: Actor.Actor): Access.CaseAction =>
  actionOfCommand(command, state, actor)

/**
 * Every rule the SOP cites: the twelve SOP rules, the procedure rules, then the domain rules the guards and the
 * events cite (risk, SPPA), each once.
 */
export const citedRules = (): ReadonlyArray<Basis.Rule> => {
  const all = new Map<string, Basis.Rule>()
  for (const id of Sop.ruleIds) all.set(id, Sop.rules[id])
  for (const id of Sop.procedureRuleIds) all.set(id, Sop.procedureRules[id])
  for (const type of CaseCommand.types) {
    const handler = handlers[type]
    for (const ref of [...handler.guards.map((guard) => guard.rule), ...handler.cites]) {
      const rule = Sop.ruleOf(ref)
      if (!all.has(rule.id)) all.set(rule.id, rule)
    }
  }
  return [...all.values()]
}

const triggerText = (trigger: Sop.Trigger): string =>
  trigger.kind === "command" ? trigger.command : `approval of ${trigger.subject}`

/** Whether a command triggers a transition from a stage (so it does not keep the stage there). */
const leaves = (command: string, stage: Sop.Stage): boolean =>
  Sop.transitions.some((t) => t.trigger.kind === "command" && t.trigger.command === command && t.from.includes(stage))

/**
 * The SOP as a Mermaid state diagram: the stage changes of `Sop.transitions`, and on every stage a note listing
 * the commands allowed there that keep the stage.
 */
export const mermaid = (): string => {
  const lines = ["stateDiagram-v2", "  [*] --> reported: RegisterReport"]
  for (const stage of Sop.stages) lines.push(`  ${stage}: ${stage} (${Sop.stageLabels[stage].id})`)
  for (const t of Sop.transitions) {
    for (const from of t.from) lines.push(`  ${from} --> ${t.to}: ${triggerText(t.trigger)} [${t.rules.join(", ")}]`)
  }
  for (const stage of Sop.stages) {
    const staying = rows.filter((r) => r.stages.includes(stage) && !leaves(r.command, stage)).map((r) => r.command)
    if (staying.length > 0) lines.push(`  note right of ${stage}: ${staying.join(", ")}`)
  }
  return lines.join("\n")
}

/** The JSON description of the SOP (schema of {@link describe}). */
export const Description = Schema.Struct({
  initial: Schema.Struct({ command: Schema.String, to: Sop.Stage }),
  stages: Schema.Array(Schema.Struct({ id: Sop.Stage, label: Basis.Label })),
  transitions: Schema.Array(
    Schema.Struct({
      id: Schema.String,
      from: Schema.Array(Sop.Stage),
      to: Sop.Stage,
      trigger: Schema.Union([
        Schema.Struct({ kind: Schema.Literal("command"), command: Schema.String }),
        Schema.Struct({ kind: Schema.Literal("approval"), subject: Schema.String })
      ]),
      rules: Schema.Array(Schema.String),
      label: Basis.Label
    })
  ),
  commands: Schema.Array(Row),
  rules: Schema.Array(Basis.Rule)
}).annotate({ identifier: "SopDescription" })

/** See {@link Description}. */
export type Description = typeof Description.Type

/** The SOP as JSON-ready data: stages, transitions, every command's row, and every rule cited with its basis. */
export const describe = (): Description => ({
  initial: { command: "RegisterReport", to: "reported" },
  stages: Sop.stages.map((stage) => ({ id: stage, label: Sop.stageLabels[stage] })),
  transitions: Sop.transitions.map((t) => ({ ...t, from: [...t.from], rules: [...t.rules] })),
  commands: rows,
  rules: citedRules()
})

const cell = (items: ReadonlyArray<string>): string => (items.length === 0 ? "—" : items.join(", "))

/**
 * The SOP as Markdown: the diagram, the transitions, the table of commands (stages, guards with their rules,
 * events) and every rule with its basis. docs/sop.md embeds exactly this text (written by `npm run docs:generate`,
 * checked by a test).
 */
export const markdown = (): string => {
  const transitionRows = Sop.transitions.map(
    (t) =>
      `| ${t.from.join(", ")} | ${t.to} | ${triggerText(t.trigger)} | ${t.rules.join(", ")} | ${t.label.id} / ${t.label.en} |`
  )
  const commandRows = rows.map(
    (r) =>
      `| ${r.command} | ${r.family} | ${r.stages.length === 0 ? "(new case)" : cell(r.stages)} | ${r.actions.join(" or ")} | ${r.forAdults ? "yes" : "no"} | ${cell(r.guards.map((g) => `${g.name} (${g.rule})`))} | ${cell(r.produces)} | ${cell(r.cites)} |`
  )
  const guardRows = rows.flatMap((r) => r.guards.map((g) => [g.name, g.rule, g.requires] as const))
  const uniqueGuards = [...new Map(guardRows.map((g) => [g[0], g])).values()].map(
    ([name, rule, requires]) => `| ${name} | ${rule} | ${requires} |`
  )
  const ruleRows = citedRules().map(
    (rule) => `| ${rule.id} | ${rule.title.en} | ${rule.basis.map(Basis.format).join("; ")} |`
  )
  return [
    "```mermaid",
    mermaid(),
    "```",
    "",
    "| from | to | trigger | rules | label |",
    "| --- | --- | --- | --- | --- |",
    ...transitionRows,
    "",
    "| command | family | stages | action | once 18 | guards, in order | events | events rest on |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...commandRows,
    "",
    "| guard | rule | requires |",
    "| --- | --- | --- |",
    ...uniqueGuards,
    "",
    "| rule | what it requires | basis |",
    "| --- | --- | --- |",
    ...ruleRows
  ].join("\n")
}
