/**
 * The `lindung` command and its subcommands: `serve`, `token`, `demo`, `sop`, `migrate`, `verify`, `export` and
 * `import`. Each runs on the embedded SQLite file `./lindung.db` unless `--database-url` (or
 * `LINDUNG_DATABASE_URL`) names another SQLite file or a PostgreSQL database.
 *
 * @since 0.1.0
 */
import { createWriteStream, readFileSync } from "node:fs"
import {
  Actor,
  CaseCommand,
  CaseIndex,
  CaseRepository,
  Decider,
  EventStore,
  IdentityVault,
  Integrity,
  Sop
} from "@lindung/core"
import { People, Runner, Stories } from "@lindung/seeds"
import { Migrations, SqlStorage } from "@lindung/storage-sql"
import { Auth, Server } from "@lindung/transport-http"
import { ConfigProvider, Console, DateTime, Effect, Layer, Option, Result, Runtime, Schema } from "effect"
import { Command, Flag } from "effect/cli"
import * as Environment from "./Environment.js"

const databaseFlag = Flag.String("database-url").pipe(
  Flag.withDescription("postgres://… for PostgreSQL, or a SQLite file (default ./lindung.db)"),
  Flag.optional
)
const productionFlag = Flag.Boolean("production").pipe(
  Flag.withDescription("Production mode (also LINDUNG_ENV=production): no development tokens or secrets"),
  Flag.withDefault(false)
)
const agenciesFlag = Flag.String("agencies").pipe(
  Flag.withDescription(
    "A JSON file listing the agencies of the deployment (default in development: the seed stories')"
  ),
  Flag.optional
)

/** The integrity chain of the history is broken. */
export class IntegrityBroken extends Schema.TaggedError<IntegrityBroken>()("IntegrityBroken", {
  caseId: Schema.String,
  version: Schema.Int,
  reason: Schema.String
}) {
  override readonly [Runtime.errorExitCode] = 3
  override get message(): string {
    return `The history of case ${this.caseId} is broken at version ${this.version} (${this.reason})`
  }
}

/** An import file has lines that cannot be imported; nothing was written. */
export class ImportRejected extends Schema.TaggedError<ImportRejected>()("ImportRejected", {
  problems: Schema.Array(Schema.Struct({ line: Schema.Int, problem: Schema.String }))
}) {
  override readonly [Runtime.errorExitCode] = 4
  override get message(): string {
    return `${this.problems.length} line(s) cannot be imported; nothing was written`
  }
}

const repositoryLayer = (database: Option.Option<string>, agenciesFile: Option.Option<string>, production: boolean) =>
  Layer.unwrap(
    Effect.map(Environment.agencies(agenciesFile, production), (agencies) =>
      CaseRepository.layer({ agencies }).pipe(Layer.provideMerge(Environment.storage(database)))
    )
  )

// ---------------------------------------------------------------------------------------------------------------
// serve

const serve = Command.make(
  "serve",
  {
    database: databaseFlag,
    port: Flag.Int("port").pipe(Flag.withDescription("The port (0 picks a free one)"), Flag.withDefault(8080)),
    host: Flag.String("host").pipe(Flag.withDescription("The interface to bind"), Flag.withDefault("127.0.0.1")),
    production: productionFlag,
    agencies: agenciesFlag,
    log: Flag.Literals("log", ["json", "pretty", "none"]).pipe(
      Flag.withDescription("Request log format"),
      Flag.withDefault("json")
    )
  },
  Effect.fn(function* ({ database, port, host, production, agencies, log }) {
    const isProduction = Environment.isProduction(production)
    const directory = yield* Environment.agencies(agencies, isProduction)
    const auth = yield* Environment.authConfig(isProduction)
    const url = Environment.databaseUrl(database)
    const announce = ({ host: boundHost, port: boundPort }: { readonly host: string; readonly port: number }) =>
      Effect.gen(function* () {
        const base = `http://${boundHost === "0.0.0.0" ? "127.0.0.1" : boundHost}:${boundPort}`
        yield* Console.error(`Lindung is serving ${Environment.describeDatabase(url)} at ${base}`)
        yield* Console.error(`  API docs: ${base}/docs    OpenAPI: ${base}/openapi.json`)
        if (!isProduction) {
          yield* Console.error(
            "  Development mode. Get a token: npx lindung token --person kabid-rehsos-padang (or --role/--agency)"
          )
        }
      })
    return yield* Layer.launch(
      Server.layerNode({ agencies: directory, auth }, { port, host, logFormat: log, onListen: announce }).pipe(
        Layer.provide(Environment.storage(database))
      )
    )
  })
).pipe(Command.withDescription("Serve the HTTP API (embedded SQLite ./lindung.db by default)"))

// ---------------------------------------------------------------------------------------------------------------
// token

const token = Command.make(
  "token",
  {
    person: Flag.String("person").pipe(
      Flag.withDescription("A person of the seed stories (e.g. kabid-rehsos-padang); or give --role and --agency"),
      Flag.optional
    ),
    id: Flag.String("id").pipe(Flag.withDescription("The actor id (pseudonymous)"), Flag.optional),
    role: Flag.Literals("role", Object.keys(Actor.roles) as Array<Actor.Role>).pipe(Flag.optional),
    position: Flag.Literals("position", Object.keys(Actor.positions) as Array<Actor.Position>).pipe(Flag.optional),
    agency: Flag.String("agency").pipe(Flag.withDescription("The agency id"), Flag.optional),
    agencies: agenciesFlag,
    expires: Flag.String("expires").pipe(Flag.withDescription("Lifetime, e.g. 1h, 8h"), Flag.withDefault("8h")),
    production: productionFlag
  },
  Effect.fn(function* (flags) {
    if (Environment.isProduction(flags.production)) {
      return yield* new Environment.SetupError({
        reason: "lindung token issues development tokens only; in production, tokens come from the identity provider"
      })
    }
    const directory = yield* Environment.agencies(flags.agencies, false)
    let actor: Actor.Actor
    const person = Option.getOrUndefined(flags.person)
    if (person !== undefined) {
      const found = People.find(person)
      if (found === undefined)
        return yield* new Environment.SetupError({ reason: `no person ${person} in the seed stories` })
      actor = found
    } else {
      const agencyId = Option.getOrUndefined(flags.agency)
      const role = Option.getOrUndefined(flags.role)
      const agency = agencyId === undefined ? undefined : directory.get(agencyId as never)
      if (role === undefined || agency === undefined) {
        return yield* new Environment.SetupError({
          reason: "give --person, or --role and the --agency id of a known agency"
        })
      }
      const position = Option.getOrUndefined(flags.position)
      actor = Actor.make({
        id: Option.getOrElse(flags.id, () => `${role}@${agency.id}`),
        role,
        agency: agency.id,
        region: agency.region,
        ...(position === undefined ? {} : { position })
      })
    }
    const signed = yield* Auth.sign(yield* Environment.authConfig(false), actor, { expiresIn: flags.expires })
    yield* Console.log(signed)
  })
).pipe(Command.withDescription("Print a development token for an actor (refused in production)"))

// ---------------------------------------------------------------------------------------------------------------
// demo

const demo = Command.make(
  "demo",
  { database: databaseFlag, agencies: agenciesFlag },
  Effect.fn(function* ({ database, agencies }) {
    const program = Effect.gen(function* () {
      const repository = yield* CaseRepository.CaseRepository
      const vault = yield* IdentityVault.IdentityVault
      for (const story of Stories.all) {
        for (const { subject, identity } of Stories.identitiesOf(story)) yield* vault.put(subject, identity)
      }
      // Each step carries an idempotency key of its own content: loading the demo twice writes nothing new.
      const report = yield* Runner.run(
        Stories.all,
        (command, actor) =>
          repository.execute(command, actor, {
            idempotencyKey: `demo:${Integrity.sha256(Integrity.canonicalJson([Schema.encodeSync(CaseCommand.Command)(command), actor.id]))}`
          }),
        {
          onStep: (progress) =>
            progress.step === 1 ? Console.error(`Loading story ${progress.story} (${progress.of} steps)…`) : Effect.void
        }
      )
      const cases = report.stories.reduce((sum, s) => sum + s.cases.length, 0)
      yield* Console.error(`Loaded ${report.stories.length} seed stories: ${cases} cases, ${report.steps} commands.`)
    })
    return yield* program.pipe(Effect.provide(repositoryLayer(database, agencies, false)))
  })
).pipe(Command.withDescription("Load the five seed stories into the store through the same commands a client sends"))

// ---------------------------------------------------------------------------------------------------------------
// sop

const sop = Command.make(
  "sop",
  { format: Flag.Literals("format", ["mermaid", "json"]).pipe(Flag.withDefault("mermaid")) },
  ({ format }) => Console.log(format === "json" ? JSON.stringify(Sop.describe(), null, 2) : Sop.mermaid())
).pipe(Command.withDescription("Print the SOP as a Mermaid diagram or JSON"))

// ---------------------------------------------------------------------------------------------------------------
// migrate

const migrate = Command.make(
  "migrate",
  { database: databaseFlag },
  Effect.fn(function* ({ database }) {
    const url = Environment.databaseUrl(database)
    const provider = ConfigProvider.layerAdd(ConfigProvider.fromUnknown({ LINDUNG_DATABASE_URL: url }), {
      asPrimary: true
    })
    const config = yield* SqlStorage.readConfig.pipe(Effect.provide(provider))
    const report = yield* Migrations.migrate().pipe(Effect.provide(SqlStorage.clientLayer(config)))
    yield* Console.log(
      report.applied.length === 0
        ? `${Environment.describeDatabase(url)} is at schema version ${report.to}: nothing to do`
        : `${Environment.describeDatabase(url)} migrated from version ${report.from} to ${report.to}: ${report.applied
            .map((m) => `${m.version} ${m.name}`)
            .join(", ")}`
    )
  })
).pipe(Command.withDescription("Migrate the database schema (refuses a schema newer than this version knows)"))

// ---------------------------------------------------------------------------------------------------------------
// verify

const verify = Command.make(
  "verify",
  { database: databaseFlag },
  Effect.fn(function* ({ database }) {
    const report = yield* Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      return yield* store.verify()
    }).pipe(Effect.provide(Environment.storage(database)))
    if (report.firstBreak !== undefined) {
      return yield* new IntegrityBroken({
        caseId: report.firstBreak.caseId,
        version: report.firstBreak.version,
        reason: report.firstBreak.reason
      })
    }
    yield* Console.log(`Verified ${report.events} events of ${report.cases} cases: the history is intact`)
  })
).pipe(Command.withDescription("Check the integrity chain of every case (exit code 3 on a break)"))

// ---------------------------------------------------------------------------------------------------------------
// export

const PAGE = 500

const exportCommand = Command.make(
  "export",
  {
    database: databaseFlag,
    output: Flag.String("output").pipe(
      Flag.withAlias("o"),
      Flag.withDescription("A file (default stdout)"),
      Flag.optional
    )
  },
  Effect.fn(function* ({ database, output }) {
    const program = Effect.gen(function* () {
      const index = yield* CaseIndex.CaseIndex
      const totals = yield* index.count({ filter: {}, by: ["subjectKind"] })
      const total = totals.reduce((sum, row) => sum + row.count, 0)
      const file = Option.getOrUndefined(output)
      const sink = file === undefined ? process.stdout : createWriteStream(file, { encoding: "utf8" })
      const write = (text: string) =>
        Effect.callback<void>((resume) => {
          if (sink.write(text)) resume(Effect.void)
          else sink.once("drain", () => resume(Effect.void))
        })
      let done = 0
      let after: string | undefined
      do {
        const page = yield* index.query({ filter: {}, limit: PAGE, ...(after === undefined ? {} : { after }) })
        for (const entry of page.entries) {
          // Index entries are pseudonymous: case id, region, stage, risk, age band, categories. Never identity.
          yield* write(`${JSON.stringify(Schema.encodeSync(CaseIndex.Entry)(entry))}\n`)
        }
        done += page.entries.length
        after = page.next
        yield* progress(done, total)
      } while (after !== undefined)
      if (file !== undefined) {
        yield* Effect.callback<void>((resume) => {
          sink.end(() => resume(Effect.void))
        })
      }
      yield* Console.error(`\nExported ${done} cases (pseudonymous, without identity).`)
    })
    return yield* program.pipe(Effect.provide(Environment.storage(database)))
  })
).pipe(Command.withDescription("Export pseudonymous case data as NDJSON (identity is never included)"))

const progress = (done: number, total: number) =>
  Effect.sync(() => {
    const width = 30
    const share = total === 0 ? 1 : Math.min(1, done / total)
    const bar = "#".repeat(Math.round(share * width)).padEnd(width, ".")
    process.stderr.write(`\r[${bar}] ${done}/${total}`)
  })

// ---------------------------------------------------------------------------------------------------------------
// import

const importCommand = Command.make(
  "import",
  {
    file: Flag.String("file").pipe(Flag.withAlias("f"), Flag.withDescription("An NDJSON file of reports")),
    database: databaseFlag,
    agencies: agenciesFlag,
    person: Flag.String("as").pipe(Flag.withDescription("The person (of the seed stories) who registers the reports"))
  },
  Effect.fn(function* ({ file, database, agencies, person }) {
    const actor = People.find(person)
    if (actor === undefined)
      return yield* new Environment.SetupError({ reason: `no person ${person} in the seed stories` })
    const text = yield* Effect.try({
      try: () => readFileSync(file, "utf8"),
      catch: () => new Environment.SetupError({ reason: `cannot read ${file}` })
    })
    const problems: Array<{ line: number; problem: string }> = []
    const commands: Array<{ line: number; command: typeof CaseCommand.RegisterReport.Type; raw: string }> = []
    const seen = new Set<string>()
    for (const [index, raw] of text.split("\n").entries()) {
      const line = index + 1
      if (raw.trim().length === 0) continue
      let json: unknown
      try {
        json = JSON.parse(raw)
      } catch {
        problems.push({ line, problem: "not valid JSON" })
        continue
      }
      // A line is a report, with or without its `_tag`.
      const withTag =
        typeof json === "object" && json !== null && !Array.isArray(json) && !("_tag" in json)
          ? { _tag: "RegisterReport", ...json }
          : json
      const decoded = Schema.decodeUnknownResult(CaseCommand.RegisterReport, { onExcessProperty: "error" })(withTag)
      if (Result.isFailure(decoded)) {
        problems.push({ line, problem: decoded.failure.message.split("\n").join(" ") })
        continue
      }
      const command = decoded.success
      if (seen.has(command.caseId)) {
        problems.push({ line, problem: `case ${command.caseId} appears twice in the file` })
        continue
      }
      seen.add(command.caseId)
      commands.push({ line, command, raw })
    }
    const directory = yield* Environment.agencies(agencies, false)
    const program = Effect.gen(function* () {
      const repository = yield* CaseRepository.CaseRepository
      const now = yield* DateTime.now
      // Check every line against the SOP (and the store) before writing anything.
      for (const { line, command } of commands) {
        const state = yield* repository.load(command.caseId)
        const decided = Decider.decide(state, command, { now, actor, agencies: directory })
        if (Result.isFailure(decided)) problems.push({ line, problem: decided.failure.message })
      }
      if (problems.length > 0) {
        for (const p of problems.sort((a, b) => a.line - b.line)) yield* Console.error(`line ${p.line}: ${p.problem}`)
        return yield* new ImportRejected({ problems })
      }
      let written = 0
      for (const { line, command, raw } of commands) {
        yield* repository
          .execute(command, actor, { idempotencyKey: `import:${Integrity.sha256(raw)}` })
          .pipe(Effect.mapError((error) => new ImportRejected({ problems: [{ line, problem: error.message }] })))
        written++
      }
      yield* Console.error(`Imported ${written} reports as ${actor.id}.`)
    })
    return yield* program.pipe(Effect.provide(repositoryLayer(database, agencies, false)))
  })
).pipe(Command.withDescription("Import NDJSON reports: every line is checked first; a bad line writes nothing"))

/** The `lindung` command. */
export const lindung = Command.make("lindung").pipe(
  Command.withDescription("Lindung: child-protection case management — server, demo data and maintenance"),
  Command.withSubcommands([serve, token, demo, sop, migrate, verify, exportCommand, importCommand])
)

/** Runs `lindung` with the given arguments (without the program name). */
export const run = Command.runWith(lindung, { version: "0.1.0" })
