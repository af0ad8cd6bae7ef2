/**
 * Markdown reference pages written from the committed contract documents: the OpenAPI document of the HTTP API,
 * the AsyncAPI document of NATS, and the JSON Schema of the public schemas. Pure functions of the documents (the
 * site's test renders them again and compares), used by `scripts/reference.ts`.
 */

type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json }
type Schema = { readonly [key: string]: Json }

/**
 * Text made safe for a VitePress page: outside code spans, `<` is not a tag and `{{` is not a Vue interpolation.
 */
export const escapeText = (text: string): string =>
  text
    .split(/(`[^`]*`)/)
    .map((part, index) => (index % 2 === 1 ? part : part.replaceAll("<", "&lt;").replaceAll("{{", "&#123;&#123;")))
    .join("")

/** Text inside a table cell: one line, escaped, pipes escaped. */
const cell = (text: string | undefined): string =>
  text === undefined ? "" : escapeText(text.replace(/\s*\n\s*/g, " ")).replaceAll("|", "\\|")

const str = (value: Json | undefined): string | undefined => (typeof value === "string" ? value : undefined)
const obj = (value: Json | undefined): Schema => (value !== null && typeof value === "object" ? (value as Schema) : {})
const arr = (value: Json | undefined): ReadonlyArray<Json> => (Array.isArray(value) ? value : [])

/** The anchor of a named schema on its page. */
const anchor = (name: string) => `schema-${name.replace(/[^A-Za-z0-9_-]/g, "-")}`

/** A short rendering of a schema's type, with links to named schemas (`#/components/schemas/X`, `#/$defs/X`). */
const typeOf = (schema: Json | undefined, depth = 0): string => {
  const s = obj(schema)
  const ref = str(s.$ref)
  if (ref !== undefined) {
    const name = ref.slice(ref.lastIndexOf("/") + 1)
    return `[${name}](#${anchor(name)})`
  }
  if ("const" in s) return `\`${JSON.stringify(s.const)}\``
  if (Array.isArray(s.enum)) {
    const values = s.enum.map((v) => `\`${JSON.stringify(v)}\``)
    return values.length > 12 ? `${values.slice(0, 12).join(" \\| ")} \\| … (${values.length})` : values.join(" \\| ")
  }
  const union = arr(s.anyOf).length > 0 ? arr(s.anyOf) : arr(s.oneOf)
  if (union.length > 0) {
    if (depth > 1) return "one of several"
    const parts = union.map((member) => typeOf(member, depth + 1))
    return parts.length > 12 ? `${parts.slice(0, 12).join(" \\| ")} \\| … (${parts.length})` : parts.join(" \\| ")
  }
  if (arr(s.allOf).length > 0)
    return arr(s.allOf)
      .map((member) => typeOf(member, depth + 1))
      .join(" & ")
  const type = s.type
  if (type === "array") return `array of ${typeOf(s.items, depth + 1)}`
  if (type === "object") {
    const values = s.additionalProperties
    if (Object.keys(obj(s.properties)).length === 0 && values !== undefined && values !== false && values !== true) {
      return `object of ${typeOf(values, depth + 1)}`
    }
    return "object"
  }
  if (typeof type === "string") {
    const format = str(s.format)
    const pattern = str(s.pattern)
    return `${type}${format !== undefined ? ` (${format})` : ""}${pattern !== undefined && depth === 0 ? ` matching \`${pattern.replaceAll("|", "\\|")}\`` : ""}`
  }
  if (Array.isArray(type)) return type.join(" \\| ")
  return "any"
}

/** A named schema: its heading with a fixed anchor, its description, and its fields or its type. */
const schemaSection = (name: string, schema: Json, level = "###"): string => {
  const s = obj(schema)
  const lines = [`${level} ${escapeText(name)} {#${anchor(name)}}`, ""]
  const description = str(s.description) ?? str(s.title)
  if (description !== undefined) lines.push(escapeText(description), "")
  const properties = Object.entries(obj(s.properties))
  if (properties.length > 0) {
    const required = new Set(arr(s.required))
    lines.push("| field | type | required | description |", "| --- | --- | --- | --- |")
    for (const [field, value] of properties) {
      const v = obj(value)
      lines.push(
        `| \`${field}\` | ${typeOf(value, 1)} | ${required.has(field) ? "yes" : ""} | ${cell(str(v.description) ?? str(v.title))} |`
      )
    }
  } else {
    lines.push(`Type: ${typeOf(schema)}`)
  }
  const examples = arr(s.examples)
  if (examples.length > 0) lines.push("", `Example: \`${JSON.stringify(examples[0])}\``)
  lines.push("")
  return lines.join("\n")
}

const methods = ["get", "put", "post", "delete", "patch"] as const

/** A page's lines, then a section of every named schema, as one Markdown text. */
const page = (lines: ReadonlyArray<string>, schemas: Schema): string =>
  `${[...lines, "## Schemas", "", ...Object.entries(schemas).map(([name, schema]) => schemaSection(name, schema))]
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()}\n`

/** The HTTP API's reference page, from its OpenAPI 3.1 document. */
export const httpReference = (doc: Schema): string => {
  const info = obj(doc.info)
  const components = obj(doc.components)
  const out: Array<string> = [
    "# HTTP API reference",
    "",
    "<!-- Generated from docs/openapi.json by docs/scripts/reference.ts at every build of the site. -->",
    "",
    `Version ${cell(str(info.version))}. Generated from the OpenAPI 3.1 document that \`lindung serve\` serves at`,
    "`/openapi.json` (committed as `docs/openapi.json`; an interactive page is at `/docs` of a running server).",
    "The [HTTP API guide](/http-api) explains authentication, idempotency, versions and problems.",
    "",
    escapeText(str(info.description) ?? ""),
    "",
    "## Servers",
    "",
    ...arr(doc.servers).map((server) => `- \`${str(obj(server).url)}\` — ${cell(str(obj(server).description))}`),
    "",
    "## Authentication",
    ""
  ]
  for (const [name, scheme] of Object.entries(obj(components.securitySchemes))) {
    const s = obj(scheme)
    out.push(
      `- \`${name}\`: ${str(s.type)}${str(s.scheme) !== undefined ? `, scheme \`${str(s.scheme)}\`` : ""}${str(s.bearerFormat) !== undefined ? `, format ${str(s.bearerFormat)}` : ""}. ${cell(str(s.description))}`
    )
  }
  out.push("")
  const operations = Object.entries(obj(doc.paths)).flatMap(([path, item]) =>
    methods.flatMap((method) => {
      const operation = obj(item)[method]
      return operation === undefined ? [] : [{ path, method, operation: obj(operation) }]
    })
  )
  for (const tag of arr(doc.tags)) {
    const tagName = str(obj(tag).name) ?? ""
    out.push(`## ${escapeText(tagName)}`, "", escapeText(str(obj(tag).description) ?? ""), "")
    for (const { path, method, operation } of operations.filter(({ operation }) =>
      arr(operation.tags).includes(tagName)
    )) {
      out.push(`### ${escapeText(str(operation.summary) ?? `${method.toUpperCase()} ${path}`)}`, "")
      out.push(`\`${method.toUpperCase()} ${path}\`${arr(operation.security).length > 0 ? " — bearer token" : ""}`, "")
      const description = str(operation.description)
      if (description !== undefined) out.push(escapeText(description), "")
      const parameters = arr(operation.parameters).map(obj)
      if (parameters.length > 0) {
        out.push("| parameter | in | type | required | description |", "| --- | --- | --- | --- | --- |")
        for (const p of parameters) {
          out.push(
            `| \`${str(p.name)}\` | ${str(p.in)} | ${typeOf(p.schema, 1)} | ${p.required === true ? "yes" : ""} | ${cell(str(p.description) ?? str(obj(p.schema).description))} |`
          )
        }
        out.push("")
      }
      const body = obj(operation.requestBody)
      for (const [type, content] of Object.entries(obj(body.content))) {
        out.push(`Body (\`${type}\`): ${typeOf(obj(content).schema)}`, "")
      }
      out.push("| status | meaning | body |", "| --- | --- | --- |")
      for (const [status, response] of Object.entries(obj(operation.responses))) {
        const r = obj(response)
        const content = Object.entries(obj(r.content))
        const bodies = content.map(([type, c]) => `${typeOf(obj(c).schema)} (\`${type}\`)`).join("; ")
        out.push(`| ${status} | ${cell(str(r.description))} | ${bodies} |`)
      }
      out.push("")
    }
  }
  return page(out, obj(components.schemas))
}

/** The reference page of events and commands over NATS, from the AsyncAPI 3.0 document. */
export const natsReference = (doc: Schema): string => {
  const info = obj(doc.info)
  const components = obj(doc.components)
  const out: Array<string> = [
    "# NATS reference (AsyncAPI)",
    "",
    "<!-- Generated from docs/asyncapi.json by docs/scripts/reference.ts at every build of the site. -->",
    "",
    `Version ${cell(str(info.version))}. Generated from the AsyncAPI 3.0 document (committed as`,
    "`docs/asyncapi.json`; `lindung serve --nats` serves it at `/asyncapi.json`). The [events guide](/events)",
    "explains the public form, subjects, ordering and delivery.",
    "",
    escapeText(str(info.description) ?? ""),
    "",
    "## Channels",
    ""
  ]
  for (const [name, channel] of Object.entries(obj(doc.channels))) {
    const c = obj(channel)
    out.push(
      `### ${escapeText(str(c.title) ?? name)}`,
      "",
      `Subject: \`${str(c.address) ?? "(the request's inbox)"}\``,
      ""
    )
    if (str(c.description) !== undefined) out.push(escapeText(str(c.description) as string), "")
    const parameters = Object.entries(obj(c.parameters))
    if (parameters.length > 0) {
      out.push("| parameter | description | values |", "| --- | --- | --- |")
      for (const [parameter, value] of parameters) {
        const p = obj(value)
        const values = arr(p.enum).length > 0 ? arr(p.enum) : arr(p.examples)
        out.push(
          `| \`${parameter}\` | ${cell(str(p.description))} | ${values
            .slice(0, 8)
            .map((v) => `\`${String(v)}\``)
            .join(", ")}${values.length > 8 ? `, … (${values.length})` : ""} |`
        )
      }
      out.push("")
    }
    const messages = Object.keys(obj(c.messages))
    if (messages.length > 0) {
      out.push(
        `Messages: ${messages
          .slice(0, 60)
          .map((m) => `\`${m}\``)
          .join(", ")}${messages.length > 60 ? ", …" : ""}`,
        ""
      )
    }
  }
  out.push("## Operations", "")
  for (const [name, operation] of Object.entries(obj(doc.operations))) {
    const o = obj(operation)
    const channel = str(obj(o.channel).$ref)
    out.push(`### ${escapeText(str(o.title) ?? name)}`, "")
    out.push(
      `\`${name}\`: the application **${str(o.action)}s** on ${channel === undefined ? "a channel" : `\`${channel.slice(channel.lastIndexOf("/") + 1)}\``}.`,
      ""
    )
    const text = str(o.description) ?? str(o.summary)
    if (text !== undefined) out.push(escapeText(text), "")
  }
  return page(out, obj(components.schemas))
}

/** The reference page of the JSON Schema document of the public schemas. */
export const jsonSchemaReference = (doc: Schema): string => {
  const definitions = Object.entries(obj(doc.$defs))
  const out: Array<string> = [
    "# JSON Schema reference",
    "",
    "<!-- Generated from docs/json-schema/lindung.schema.json by docs/scripts/reference.ts at every build. -->",
    "",
    `The JSON Schema (draft 2020-12) of Lindung's public schemas — commands, events, the case state and views,`,
    "reference lists — for other stacks: validate messages, generate types. The document is committed as",
    "`docs/json-schema/lindung.schema.json` and written from `JsonSchema.document()` of `@lindung/core`",
    `(a test fails when it drifts). ${definitions.length} definitions:`,
    ""
  ]
  return page(out, obj(doc.$defs))
}

/** What the Indonesian pages need of `@lindung/core` (passed in, so these functions stay pure). */
export interface CoreTables {
  readonly stages: ReadonlyArray<string>
  readonly stageLabels: Readonly<Record<string, { readonly id: string; readonly en: string }>>
  readonly transitions: ReadonlyArray<{
    readonly id: string
    readonly from: ReadonlyArray<string>
    readonly to: string
    readonly trigger:
      | { readonly kind: "command"; readonly command: string }
      | { readonly kind: "approval"; readonly subject: string }
    readonly rules: ReadonlyArray<string>
    readonly label: { readonly id: string; readonly en: string }
  }>
  readonly rows: ReadonlyArray<{
    readonly command: string
    readonly stages: ReadonlyArray<string>
    readonly guards: ReadonlyArray<{ readonly name: string; readonly rule: string }>
  }>
  readonly mermaid: string
  readonly rules: ReadonlyArray<{
    readonly id: string
    readonly module: string
    readonly title: { readonly id: string; readonly en: string }
    readonly basis: ReadonlyArray<{
      readonly instrument: string
      readonly provision?: string
      readonly status: "verified" | "unverified" | "policy-default"
    }>
  }>
}

const marks = { verified: "terverifikasi", unverified: "belum diverifikasi", "policy-default": "kebijakan bawaan" }

/** The SOP in Bahasa Indonesia: stages, transitions, the diagram and which commands each stage allows. */
export const sopPageId = (core: CoreTables): string => {
  const label = (stage: string) => core.stageLabels[stage]?.id ?? stage
  const out = [
    "# SOP kasus",
    "",
    "<!-- Dibuat dari @lindung/core oleh docs/scripts/reference.ts pada setiap pembangunan situs. -->",
    "",
    "Kasus mengikuti standar operasional prosedur rehabilitasi sosial (PP 39/2012 Pasal 7 ayat (2)): laporan",
    "didaftarkan, anak dijangkau (pendekatan awal), masalahnya diungkap dan dipahami, rencana disusun dan disetujui,",
    "layanan diberikan (pemecahan masalah), anak disosialisasikan kembali (resosialisasi), intervensi diakhiri dengan",
    "terminasi yang disetujui, bimbingan lanjut menyusul, lalu kasus ditutup. Kasus yang ditutup dapat dibuka kembali",
    "ke tahap asesmen. `@lindung/core` mengodekannya sebagai *decider* murni berbasis event: setiap perintah",
    "menghasilkan event atau penolakan yang menyebut aturan dan dasar hukumnya, dan tidak mengubah apa pun. Halaman",
    "ini dibuat dari tabel SOP di kode; versi bahasa Inggris yang lengkap, dengan penjaga (guard) setiap perintah:",
    "[The case SOP](/sop).",
    "",
    "## Diagram",
    "",
    "```mermaid",
    core.mermaid,
    "```",
    "",
    "## Tahap",
    "",
    "| kode | tahap | in English |",
    "| --- | --- | --- |",
    ...core.stages.map((stage) => `| \`${stage}\` | ${cell(label(stage))} | ${cell(core.stageLabels[stage]?.en)} |`),
    "",
    "## Perpindahan tahap",
    "",
    "| perpindahan | dari | ke | pemicu | aturan |",
    "| --- | --- | --- | --- | --- |",
    ...core.transitions.map(
      (t) =>
        `| ${cell(t.label.id)} | ${t.from.map(label).join(", ")} | ${label(t.to)} | ${
          t.trigger.kind === "command" ? `perintah \`${t.trigger.command}\`` : `persetujuan \`${t.trigger.subject}\``
        } | ${t.rules.join(", ")} |`
    ),
    "",
    "## Perintah yang diizinkan di setiap tahap",
    "",
    "| tahap | perintah |",
    "| --- | --- |",
    ...core.stages.map(
      (stage) =>
        `| ${cell(label(stage))} | ${core.rows
          .filter((row) => row.stages.includes(stage))
          .map((row) => `\`${row.command}\``)
          .join(", ")} |`
    ),
    "",
    "Perintah yang dikirim pada tahap yang tidak mengizinkannya ditolak dengan aturan `SOP-STAGE`; penjaga yang tidak",
    "terpenuhi menolak dengan aturannya sendiri. Lihat [Daftar aturan](/id/rules).",
    ""
  ]
  return `${out.join("\n")}\n`.replace(/\n{3,}/g, "\n\n")
}

/** The register of rules in Bahasa Indonesia: each rule's statement and its basis, with the marks in Indonesian. */
export const rulesPageId = (core: CoreTables): string => {
  const counts = { verified: 0, unverified: 0, "policy-default": 0 }
  for (const rule of core.rules) for (const basis of rule.basis) counts[basis.status]++
  const out = [
    "# Daftar aturan",
    "",
    "<!-- Dibuat dari RuleRegister.entries (@lindung/core) oleh docs/scripts/reference.ts pada setiap pembangunan. -->",
    "",
    "Setiap aturan yang ditegakkan atau diterapkan Lindung, dengan kode tetapnya, pernyataannya dan dasar hukum atau",
    "kebijakannya. Setiap kutipan diberi tanda: **terverifikasi** (diperiksa terhadap salinan publik teksnya),",
    "**belum diverifikasi** (banyak dikutip, belum diperiksa di sini) atau **kebijakan bawaan** (praktik, bukan hukum:",
    "nilai bawaan bertipe yang dapat diubah). Penjelasan setiap dasar dan berkas pengujian yang menyebut aturan itu ada",
    "di versi bahasa Inggris: [Rule register](/rules). Event menyimpan dasar yang berlaku saat keputusan diambil.",
    "",
    `${core.rules.length} aturan; kutipan: ${counts.verified} terverifikasi, ${counts.unverified} belum diverifikasi, ${counts["policy-default"]} kebijakan bawaan.`
  ]
  for (const module of [...new Set(core.rules.map((rule) => rule.module))]) {
    out.push("", `## ${module}`, "", "| aturan | pernyataan | dasar |", "| --- | --- | --- |")
    for (const rule of core.rules.filter((r) => r.module === module)) {
      const basis = rule.basis
        .map((b) => `${b.instrument}${b.provision === undefined ? "" : ` ${b.provision}`} [${marks[b.status]}]`)
        .join("; ")
      out.push(`| ${rule.id} | ${cell(rule.title.id)} | ${cell(basis)} |`)
    }
  }
  return `${out.join("\n")}\n`
}
