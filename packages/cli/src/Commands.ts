/**
 * The `lindung` command and its subcommands: `serve`, `scheduler`, `relay`, `token`, `demo`, `sop`, `migrate`,
 * `verify`, `backup`, `restore`, `keys`, `rebuild-counts`, `refresh-due`, `export` and `import`. Each runs on the embedded SQLite file `./lindung.db` unless
 * `--database-url` (or `LINDUNG_DATABASE_URL`) names another SQLite file or a PostgreSQL database.
 *
 * @since 0.1.0
 */
import { randomBytes } from "node:crypto"
import { closeSync, createWriteStream, existsSync, linkSync, openSync, readFileSync, rmSync, statSync } from "node:fs"
import {
  type Actor,
  CaseCommand,
  CaseExport,
  CaseIndex,
  CaseService,
  DeadlineScheduler,
  Directory,
  EventStore,
  Integrity,
  type Policy,
  SopTable
} from "@lindung/core"
import { Runner, Stories } from "@lindung/seeds"
import { Backup, IdentityKeys, Migrations, SqlStorage } from "@lindung/storage-sql"
import { Auth, Server } from "@lindung/transport-http"
import { AsyncApi, Nats, Commands as NatsCommands, Relay } from "@lindung/transport-nats"
import { Bodies } from "@lindung/wire"
import {
  ConfigProvider,
  Console,
  Effect,
  Layer,
  Logger,
  Option,
  Redacted,
  Result,
  Runtime,
  Schema,
  Stream
} from "effect"
import { Command, Flag } from "effect/cli"
import * as Environment from "./Environment.js"
import * as Observability from "./Observability.js"

/** This package's version (from its package.json, one level above `src/` and `dist/`). */
const version: string = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { readonly version: string }
).version

const databaseFlag = Flag.String("database-url").pipe(
  Flag.withDescription("postgres://… for PostgreSQL, or a SQLite file (default ./lindung.db)"),
  Flag.optional
)
const schedulerIntervalFlag = Flag.Int("scheduler-interval").pipe(
  Flag.withDescription("Seconds between two passes of the deadline scheduler"),
  Flag.withDefault(DeadlineScheduler.defaults.intervalMs / 1_000)
)
const natsFlag = Flag.String("nats").pipe(
  Flag.withDescription("NATS with JetStream, e.g. nats://127.0.0.1:4222 (several URLs separated by commas)"),
  Flag.optional
)
const productionFlag = Flag.Boolean("production").pipe(
  Flag.withDescription("Production mode (also LINDUNG_ENV=production): no development tokens, secrets or identity key"),
  Flag.withDefault(false)
)
const policyFlag = Flag.String("policy").pipe(
  Flag.withDescription(
    "A JSON policy file over the defaults: deadlines, escalation, risk, SPPA, caseload, … (also LINDUNG_POLICY_FILE)"
  ),
  Flag.optional
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

/**
 * An import stopped after some of its reports were written: a later step was refused (another writer took a case id
 * since the check). The lines before `line` were imported; it and the lines after it were not: run the same file
 * again once the cause is mended (the lines written are answered from their record).
 */
export class ImportStopped extends Schema.TaggedError<ImportStopped>()("ImportStopped", {
  line: Schema.Int,
  problem: Schema.String
}) {
  override get message(): string {
    return `the import stopped at line ${this.line} (${this.problem}); the lines before it were imported`
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

/** The case service over the storage of the database, with the directory of the deployment. */
const serviceLayer = (
  database: Option.Option<string>,
  directory: Directory.Snapshot,
  policy?: Policy.Policy,
  production = false
) =>
  CaseService.layer(policy === undefined ? {} : { policy }).pipe(
    Layer.provideMerge(Directory.layer(directory)),
    Layer.provideMerge(Environment.storage(database, production))
  )

/**
 * Reloads the directory file on SIGHUP (when the directory comes from a file): people who left are refused, new
 * people and agencies are known from the next request on. A file that does not load keeps the directory in force.
 */
const reloadOnHangup = (path: string | undefined, reloadable: Directory.Reloadable) =>
  path === undefined
    ? Effect.void
    : Effect.acquireRelease(
        Effect.sync(() => {
          const onHangup = () => {
            Effect.runFork(
              Environment.readDirectory(path).pipe(
                Effect.flatMap(reloadable.reload),
                Effect.andThen(Console.error(`Reloaded the directory from ${path}`)),
                Effect.catch((error) => Console.error(`Kept the directory in force: ${error.message}`))
              )
            )
          }
          process.on("SIGHUP", onHangup)
          return onHangup
        }),
        (onHangup) => Effect.sync(() => process.off("SIGHUP", onHangup))
      )

/** The deadline scheduler, through a case service of its own over the store and the (reloadable) directory. */
const schedulerLayer = (
  actor: Actor.Actor,
  intervalSeconds: number,
  policy: Policy.Policy,
  directory: Directory.Reloadable
) =>
  DeadlineScheduler.layer({ actor, intervalMs: intervalSeconds * 1_000 }).pipe(
    Layer.provide(CaseService.layer({ policy })),
    Layer.provide(Layer.succeed(Directory.Directory)(directory.service))
  )

// ---------------------------------------------------------------------------------------------------------------
// serve

const serve = Command.make(
  "serve",
  {
    database: databaseFlag,
    port: Flag.Int("port").pipe(
      Flag.withDescription("The port, 0 to 65535 (default 8080; 0 picks a free one)"),
      Flag.withDefault(8080)
    ),
    host: Flag.String("host").pipe(
      Flag.withDescription(
        "The address to listen on (default 127.0.0.1, this machine only; 0.0.0.0 for every interface)"
      ),
      Flag.withDefault("127.0.0.1")
    ),
    production: productionFlag,
    agencies: agenciesFlag,
    policy: policyFlag,
    log: Flag.Literals("log", ["json", "pretty", "none"]).pipe(
      Flag.withDescription("Request log format"),
      Flag.withDefault("json")
    ),
    nats: natsFlag.pipe(
      Flag.withDescription(
        "Also relay the case events to NATS JetStream and serve commands over NATS request/reply (e.g. nats://127.0.0.1:4222)"
      )
    ),
    withoutScheduler: Flag.Boolean("without-scheduler").pipe(
      Flag.withDescription(
        "Do not run the deadline scheduler here (another process runs it; several schedulers on one store are safe)"
      ),
      Flag.withDefault(false)
    ),
    schedulerInterval: schedulerIntervalFlag,
    withoutRelay: Flag.Boolean("without-relay").pipe(
      Flag.withDescription(
        "With --nats: serve commands over NATS but leave the event relay to another process (one relay per store)"
      ),
      Flag.withDefault(false)
    )
  },
  Effect.fn(function* ({
    database,
    port,
    host,
    production,
    agencies,
    policy: policyFile,
    log,
    nats,
    withoutRelay,
    withoutScheduler,
    schedulerInterval
  }) {
    // The flags first: nothing is written (a secret, a store) for a command that cannot run.
    if (!Number.isSafeInteger(port) || port < 0 || port > 65_535) {
      return yield* new Environment.SetupError({ reason: `--port is 0 to 65535 (0 picks a free one), not ${port}` })
    }
    const policy = yield* Environment.policy(policyFile)
    const isProduction = Environment.isProduction(production)
    const initial = yield* Environment.directory(agencies, isProduction)
    const reloadable = yield* Directory.makeReloadable(initial)
    const auth = yield* Environment.authConfig(isProduction)
    const url = Environment.databaseUrl(database)
    const announce = ({ host: boundHost, port: boundPort }: { readonly host: string; readonly port: number }) =>
      Effect.gen(function* () {
        const base = `http://${boundHost === "0.0.0.0" ? "127.0.0.1" : boundHost}:${boundPort}`
        yield* Console.error(`Lindung is serving ${Environment.describeDatabase(url)} at ${base}`)
        yield* Console.error(`  API docs: ${base}/docs    OpenAPI: ${base}/openapi.json`)
        if (natsOptions !== undefined && natsNames !== undefined) {
          const events = withoutRelay ? "no relay here" : `events on ${natsNames.stream} (${natsNames.prefix}.>)`
          yield* Console.error(
            `  NATS ${Environment.describeNats(natsOptions)}: ${events}, commands on ${natsNames.apiPrefix}.cases.*    AsyncAPI: ${base}/asyncapi.json`
          )
        }
        if (!withoutScheduler) {
          yield* Console.error(
            `  Deadline scheduler: every ${schedulerInterval} s (SOP-11), as ${schedulerActor?.id ?? ""}`
          )
        }
        if (telemetry !== undefined) yield* Console.error(`  OpenTelemetry: ${Observability.describe(telemetry)}`)
        if (!isProduction) {
          yield* Console.error("  Development mode. Get a token: npx lindung token --person kabid-rehsos-padang")
        }
      })
    if (schedulerInterval < 1)
      return yield* new Environment.SetupError({ reason: "--scheduler-interval is 1 second or more" })
    const schedulerActor = withoutScheduler ? undefined : yield* Environment.schedulerActor(initial)
    const natsOptions = Option.isSome(nats) ? yield* Environment.natsOptions(nats.value, "lindung-serve") : undefined
    const natsNames = natsOptions === undefined ? undefined : yield* Environment.natsNames(undefined, undefined)
    if (withoutRelay && natsOptions === undefined) {
      return yield* new Environment.SetupError({ reason: "--without-relay is for a server with --nats" })
    }
    const telemetry = yield* Effect.fromResult(Observability.settings(version))
    const http = Server.layerNode(
      {
        directory: reloadable.service,
        auth,
        policy,
        ...(natsNames === undefined
          ? {}
          : {
              documents: {
                "/asyncapi.json": AsyncApi.document({ prefix: natsNames.prefix, apiPrefix: natsNames.apiPrefix })
              }
            })
      },
      { port, host, logFormat: log, onListen: announce }
    )
    // With NATS: the relay and the command service beside the HTTP server, on the same store and directory.
    const messaging =
      natsOptions === undefined || natsNames === undefined
        ? Layer.empty
        : Layer.mergeAll(
            withoutRelay
              ? Layer.empty
              : Relay.layer({
                  prefix: natsNames.prefix,
                  apiPrefix: natsNames.apiPrefix,
                  stream: { name: natsNames.stream }
                }),
            NatsCommands.layer({
              directory: reloadable.service,
              auth: Environment.natsAuth(auth),
              policy,
              apiPrefix: natsNames.apiPrefix,
              eventPrefix: natsNames.prefix
            })
          ).pipe(Layer.provide(Nats.layer(natsOptions)))
    // The deadline scheduler (SOP-11 by itself), through its own case service over the same store and directory.
    const scheduler =
      schedulerActor === undefined ? Layer.empty : schedulerLayer(schedulerActor, schedulerInterval, policy, reloadable)
    // The relay, the command service and the scheduler log as the server does (`--log`).
    const logger =
      log === "none"
        ? Logger.layer([])
        : log === "pretty"
          ? Logger.layer([Logger.consolePretty()])
          : Logger.layer([Logger.consoleJson])
    return yield* Layer.launch(
      Layer.mergeAll(
        http,
        Layer.mergeAll(messaging, scheduler).pipe(Layer.provide(logger)),
        Layer.effectDiscard(reloadOnHangup(Environment.directoryFile(agencies), reloadable))
      ).pipe(Layer.provide(Environment.storage(database, isProduction)), Layer.provide(Observability.layer(telemetry)))
    )
  })
).pipe(
  Command.withDescription(
    "Serve the HTTP API (embedded SQLite ./lindung.db by default); with --nats, also the event relay and commands over NATS"
  )
)

// ---------------------------------------------------------------------------------------------------------------
// scheduler

const scheduler = Command.make(
  "scheduler",
  {
    database: databaseFlag,
    production: productionFlag,
    agencies: agenciesFlag,
    policy: policyFlag,
    interval: schedulerIntervalFlag
  },
  Effect.fn(function* ({ database, production, agencies, policy: policyFile, interval }) {
    yield* Environment.requireStore(database)
    if (interval < 1) return yield* new Environment.SetupError({ reason: "--scheduler-interval is 1 second or more" })
    const policy = yield* Environment.policy(policyFile)
    const initial = yield* Environment.directory(agencies, Environment.isProduction(production))
    const reloadable = yield* Directory.makeReloadable(initial)
    const actor = yield* Environment.schedulerActor(initial)
    const url = Environment.databaseUrl(database)
    const telemetry = yield* Effect.fromResult(Observability.settings(version))
    yield* Console.error(
      `Lindung deadline scheduler: ${Environment.describeDatabase(url)}, every ${interval} s, as ${actor.id} (${actor.agency})${telemetry === undefined ? "" : `; OpenTelemetry: ${Observability.describe(telemetry)}`}`
    )
    return yield* Layer.launch(
      Layer.mergeAll(
        schedulerLayer(actor, interval, policy, reloadable),
        Layer.effectDiscard(reloadOnHangup(Environment.directoryFile(agencies), reloadable))
      ).pipe(
        Layer.provide(Environment.storage(database, Environment.isProduction(production))),
        Layer.provide(Observability.layer(telemetry))
      )
    )
  })
).pipe(
  Command.withDescription(
    "Run the deadline scheduler on its own: Tick every overdue case as the system person, until stopped"
  )
)

// ---------------------------------------------------------------------------------------------------------------
// relay

const relay = Command.make(
  "relay",
  {
    database: databaseFlag,
    nats: natsFlag.pipe(
      Flag.withDescription("NATS with JetStream (default LINDUNG_NATS_URL, else nats://127.0.0.1:4222)")
    ),
    checkpoint: Flag.String("checkpoint").pipe(
      Flag.withDescription("The checkpoint's name: where this relay resumes"),
      Flag.withDefault(Relay.DEFAULT_CHECKPOINT)
    ),
    fromStart: Flag.Boolean("from-start").pipe(
      Flag.withDescription(
        "Publish from the first event whatever the checkpoint says (the stream drops what it received within its duplicate window; consumers drop the rest)"
      ),
      Flag.withDefault(false)
    ),
    stream: Flag.String("stream").pipe(
      Flag.withDescription(
        `The JetStream stream, created or updated (default LINDUNG_NATS_STREAM, else ${Relay.DEFAULT_STREAM})`
      ),
      Flag.optional
    ),
    prefix: Flag.String("subject-prefix").pipe(
      Flag.withDescription(
        "The first tokens of every event subject (default LINDUNG_NATS_SUBJECT_PREFIX, else lindung.case)"
      ),
      Flag.optional
    ),
    replicas: Flag.Int("replicas").pipe(
      Flag.withDescription("Copies of the stream in a NATS cluster (1, 3 or 5)"),
      Flag.withDefault(1)
    )
  },
  Effect.fn(function* ({ database, nats, checkpoint, fromStart, stream: streamFlag, prefix: prefixFlag, replicas }) {
    yield* Environment.requireStore(database)
    const natsOptions = yield* Environment.natsOptions(Option.getOrUndefined(nats), `lindung-relay:${checkpoint}`)
    const { stream, prefix, apiPrefix } = yield* Environment.natsNames(
      Option.getOrUndefined(streamFlag),
      Option.getOrUndefined(prefixFlag)
    )
    const url = Environment.databaseUrl(database)
    const telemetry = yield* Effect.fromResult(Observability.settings(version))
    yield* Console.error(
      `Lindung relay: ${Environment.describeDatabase(url)} → NATS ${Environment.describeNats(natsOptions)} (stream ${stream}, checkpoint ${checkpoint}${fromStart ? ", from the start" : ""})${telemetry === undefined ? "" : `; OpenTelemetry: ${Observability.describe(telemetry)}`}`
    )
    return yield* Layer.launch(
      Relay.layer({ checkpoint, fromStart, prefix, apiPrefix, stream: { name: stream, replicas } }).pipe(
        Layer.provide(Nats.layer(natsOptions)),
        Layer.provide(Environment.storage(database)),
        Layer.provide(Observability.layer(telemetry))
      )
    )
  })
).pipe(
  Command.withDescription("Relay the case events to NATS JetStream as CloudEvents, from a checkpoint (until stopped)")
)

// ---------------------------------------------------------------------------------------------------------------
// token

const token = Command.make(
  "token",
  {
    person: Flag.String("person").pipe(
      Flag.withDescription("A person of the directory (in development, the seed stories': e.g. kabid-rehsos-padang)")
    ),
    agency: Flag.String("agency").pipe(
      Flag.withDescription("The agency, for a person who works for several"),
      Flag.optional
    ),
    agencies: agenciesFlag,
    expires: Flag.String("expires").pipe(Flag.withDescription("Lifetime, e.g. 1h, 8h"), Flag.withDefault("8h")),
    forNats: Flag.Boolean("for-nats").pipe(
      Flag.withDescription("A token for commands over NATS (audience LINDUNG_NATS_JWT_AUDIENCE)"),
      Flag.withDefault(false)
    ),
    production: productionFlag
  },
  Effect.fn(function* (flags) {
    if (Environment.isProduction(flags.production)) {
      return yield* new Environment.SetupError({
        reason: "lindung token issues development tokens only; in production, tokens come from the identity provider"
      })
    }
    const directory = yield* Environment.directory(flags.agencies, false)
    const agency = Option.getOrUndefined(flags.agency)
    // The server checks the token against the same directory: a token for nobody is never printed.
    const actor = yield* Environment.personOf(directory, flags.person, agency, "no token for")
    if (!/^\d{1,6}\s?[smhdw]$/u.test(flags.expires)) {
      return yield* new Environment.SetupError({
        reason: `--expires is a number and a unit (s, m, h, d or w), e.g. 8h, not ${flags.expires}`
      })
    }
    const auth = yield* Environment.authConfig(false)
    const audience = flags.forNats ? Environment.natsAuth(auth) : auth
    if (flags.forNats && audience.audience === auth.audience) {
      yield* Console.error(
        `LINDUNG_NATS_JWT_AUDIENCE is not set apart: this token's audience is ${auth.audience}, accepted over HTTP too`
      )
    }
    const signed = yield* Auth.sign(audience, actor, { expiresIn: flags.expires })
    yield* Console.log(signed)
  })
).pipe(Command.withDescription("Print a development token for a person of the directory (refused in production)"))

// ---------------------------------------------------------------------------------------------------------------
// demo

const demo = Command.make(
  "demo",
  { database: databaseFlag, agencies: agenciesFlag, policy: policyFlag },
  Effect.fn(function* ({ database, agencies, policy: policyFile }) {
    // Fictional children and people have no place in a production store.
    if (Environment.isProduction(false)) {
      return yield* new Environment.SetupError({
        reason: "lindung demo loads the fictional seed stories: it does not run in production"
      })
    }
    const policy = yield* Environment.policy(policyFile)
    const directory = yield* Environment.directory(agencies, false)
    const program = Effect.gen(function* () {
      const cases = yield* CaseService.CaseService
      const identities = new Map(
        Stories.all.flatMap((story) => Stories.identitiesOf(story)).map((entry) => [entry.subject, entry.identity])
      )
      // Each step carries an idempotency key of its own content: loading the demo twice writes nothing new.
      const keyOf = (command: CaseCommand.Command, actor: Actor.Actor) =>
        `demo:${Integrity.sha256(Integrity.canonicalJson([Schema.encodeSync(CaseCommand.Command)(command), actor.id]))}`
      const report = yield* Runner.run(
        Stories.all,
        (command, actor) => {
          if (command._tag !== "RegisterReport") {
            return cases.execute(actor, command, { idempotencyKey: keyOf(command, actor) })
          }
          // A bulk migration: the stories bring their own subject ids, for subjects that do not exist yet.
          const { _tag, ...report } = command
          const identity = identities.get(command.subject)
          return cases.register(actor, report, {
            migration: true,
            idempotencyKey: keyOf(command, actor),
            ...(identity === undefined ? {} : { identity })
          })
        },
        {
          onStep: (progress) =>
            progress.step === 1 ? Console.error(`Loading story ${progress.story} (${progress.of} steps)…`) : Effect.void
        }
      )
      const total = report.stories.reduce((sum, s) => sum + s.cases.length, 0)
      yield* Console.error(`Loaded ${report.stories.length} seed stories: ${total} cases, ${report.steps} commands.`)
    })
    return yield* program.pipe(Effect.provide(serviceLayer(database, directory, policy)))
  })
).pipe(Command.withDescription("Load the five seed stories into the store through the same commands a client sends"))

// ---------------------------------------------------------------------------------------------------------------
// sop

const sop = Command.make(
  "sop",
  { format: Flag.Literals("format", ["mermaid", "json"]).pipe(Flag.withDefault("mermaid")) },
  ({ format }) => Console.log(format === "json" ? JSON.stringify(SopTable.describe(), null, 2) : SopTable.mermaid())
).pipe(Command.withDescription("Print the SOP as a Mermaid diagram or JSON"))

// ---------------------------------------------------------------------------------------------------------------
// migrate

/** An `effect/sql` client of the database at `url` (the keyring as the environment gives it), not migrated. */
const clientOf = (url: string) =>
  Effect.map(
    SqlStorage.readConfig.pipe(
      Effect.provide(
        ConfigProvider.layerAdd(ConfigProvider.fromUnknown({ LINDUNG_DATABASE_URL: url }), { asPrimary: true })
      )
    ),
    SqlStorage.clientLayer
  )

/**
 * Refuses a store whose schema is not this release's: a command that only reads (verify, export, backup) never
 * migrates the store it reads, nor leaves a copy at another version than the store.
 */
const requireCurrentSchema = (database: Option.Option<string>) =>
  Effect.gen(function* () {
    const url = Environment.databaseUrl(database)
    // Read without the identity key (none is needed to read the schema version).
    const version = yield* Migrations.currentVersion.pipe(
      Effect.provide(SqlStorage.clientLayer(configOf(storeOf(database))))
    )
    if (version !== Migrations.latestVersion) {
      return yield* new Environment.SetupError({
        reason: `${Environment.describeDatabase(url)} is at schema version ${version}, not ${Migrations.latestVersion}: run lindung migrate first (or use the release that wrote it)`
      })
    }
  })

const migrate = Command.make(
  "migrate",
  { database: databaseFlag },
  Effect.fn(function* ({ database }) {
    const url = Environment.databaseUrl(database)
    const report = yield* Migrations.migrate().pipe(Effect.provide(yield* clientOf(url)))
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
// rebuild-counts

const rebuildCounts = Command.make(
  "rebuild-counts",
  { database: databaseFlag },
  Effect.fn(function* ({ database }) {
    yield* Environment.requireStore(database)
    const url = Environment.databaseUrl(database)
    const report = yield* Effect.gen(function* () {
      // Not a migration: a database at another schema version (or a mistyped file name) is refused.
      const version = yield* Migrations.currentVersion
      if (version !== Migrations.latestVersion) {
        return yield* new Environment.SetupError({
          reason: `${Environment.describeDatabase(url)} is at schema version ${version}, not ${Migrations.latestVersion}: run lindung migrate first`
        })
      }
      return yield* SqlStorage.rebuildCounts
    }).pipe(Effect.provide(yield* clientOf(url)))
    yield* Console.log(
      `Rebuilt the dashboard counters of ${report.cases} cases (${report.keys} counter rows) in ${Environment.describeDatabase(url)}`
    )
  })
).pipe(
  Command.withDescription(
    "Rebuild the dashboard counters from the case index (after a hand-written change or a partial restore)"
  )
)

// ---------------------------------------------------------------------------------------------------------------
// refresh-due

/** Some cases' due instants could not be refreshed (each logged by id and error kind): exit code 1. */
export class RefreshIncomplete extends Schema.TaggedError<RefreshIncomplete>()("RefreshIncomplete", {
  reason: Schema.String
}) {
  override get message(): string {
    return this.reason
  }
}

const refreshDue = Command.make(
  "refresh-due",
  { database: databaseFlag, production: productionFlag, agencies: agenciesFlag, policy: policyFlag },
  Effect.fn(function* ({ database, production, agencies, policy: policyFile }) {
    yield* Environment.requireStore(database)
    const policy = yield* Environment.policy(policyFile)
    const directory = yield* Environment.directory(agencies, Environment.isProduction(production))
    // The scheduler's person: the one actor the case service lets refresh every case's due instants.
    const actor = yield* Environment.schedulerActor(directory)
    const report = yield* Effect.gen(function* () {
      const cases = yield* CaseService.CaseService
      return yield* cases.refreshDue(actor)
    }).pipe(Effect.provide(serviceLayer(database, directory, policy, Environment.isProduction(production))))
    const source = Environment.policyFile(policyFile)
    yield* Console.log(
      `Refreshed the due instants of ${report.cases} cases in ${Environment.describeDatabase(Environment.databaseUrl(database))} under ${source === undefined ? "the default policy (no --policy, no LINDUNG_POLICY_FILE)" : `the policy file ${source}`}: ${report.written} rewritten, ${report.moved} changed meanwhile (their last write holds the policy's), ${report.failed} failed`
    )
    // A case or a page that could not be read or written is logged; the command says so by its exit code too.
    if (!report.complete) {
      return yield* new RefreshIncomplete({
        reason:
          "a page of the case index could not be read (see the warning above), so the cases after it were not refreshed: check the store (lindung verify) and run lindung refresh-due again"
      })
    }
    if (report.failed > 0) {
      return yield* new RefreshIncomplete({
        reason: `${report.failed} cases could not be refreshed (see the warnings above): run lindung refresh-due again`
      })
    }
  })
).pipe(
  Command.withDescription(
    "Bring every case's deadlines in the case index up to the policy: after changing its deadlines, and once after migrating from a release before schema 7"
  )
)

// ---------------------------------------------------------------------------------------------------------------
// verify

const verify = Command.make(
  "verify",
  { database: databaseFlag },
  Effect.fn(function* ({ database }) {
    yield* Environment.requireStore(database)
    yield* requireCurrentSchema(database)
    // Checking the chains needs no identity key (none is made beside the store).
    const report = yield* verifyStore(configOf(storeOf(database)))
    yield* Console.log(`Verified ${report.events} events of ${report.cases} cases: the history is intact`)
  })
).pipe(Command.withDescription("Check the integrity chain of every case (exit code 3 on a break)"))

// ---------------------------------------------------------------------------------------------------------------
// backup and restore

/**
 * The integrity report of a store, read with a key of its own: checking the hash chains needs no identity key, and no
 * development key file is made beside a backup.
 */
const verifyStore = (config: SqlStorage.Config) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const report = yield* store.verify()
    if (report.firstBreak !== undefined) {
      return yield* new IntegrityBroken({
        caseId: report.firstBreak.caseId,
        version: report.firstBreak.version,
        reason: report.firstBreak.reason
      })
    }
    return report
  }).pipe(
    Effect.provide(SqlStorage.layer({ ...config, keyring: IdentityKeys.keyring(IdentityKeys.generate("verify")) }))
  )

/** Where the store is: a SQLite file, or a PostgreSQL URL and schema (read without an identity key). */
const storeOf = (database: Option.Option<string>) => {
  const target = SqlStorage.parseUrl(Environment.databaseUrl(database))
  if (target.dialect === "sqlite")
    return { dialect: "sqlite" as const, filename: Environment.sqlitePath(target.filename) }
  const schema = process.env.LINDUNG_DATABASE_SCHEMA?.trim()
  return {
    dialect: "pg" as const,
    url: target.url,
    ...(schema === undefined || schema === "" ? {} : { schema })
  }
}

/** The store's configuration for checking its chains (no identity key is needed for that). */
const configOf = (store: ReturnType<typeof storeOf>): SqlStorage.Config =>
  store.dialect === "sqlite"
    ? { dialect: "sqlite", filename: store.filename }
    : {
        dialect: "pg",
        url: Redacted.make(store.url),
        keyring: IdentityKeys.keyring(IdentityKeys.generate("verify")),
        ...(store.schema === undefined ? {} : { schema: store.schema })
      }

const backupCommand = Command.make(
  "backup",
  {
    database: databaseFlag,
    output: Flag.String("output").pipe(Flag.withAlias("o"), Flag.withDescription("The backup file (a new file)"))
  },
  Effect.fn(function* ({ database, output }) {
    yield* Environment.requireStore(database)
    const store = storeOf(database)
    if (store.dialect === "sqlite") {
      // The copy is verified by this release: the store must be at its schema version (the copy stays as it is).
      yield* requireCurrentSchema(database)
      yield* Backup.backupSqlite(store.filename, output)
      const report = yield* verifyStore({ dialect: "sqlite", filename: output })
      yield* Console.log(
        `Backed up ${store.filename} to ${output}: ${report.events} events of ${report.cases} cases, the history intact. The identities in it are sealed: keep the identity key apart, you need it to read them after a restore.`
      )
      return
    }
    // Not a migration: a database without a store at this version (a mistyped URL or schema) is refused, never
    // created and dumped empty.
    const version = yield* Migrations.currentVersion.pipe(Effect.provide(SqlStorage.clientLayer(configOf(store))))
    if (version !== Migrations.latestVersion) {
      return yield* new Environment.SetupError({
        reason: `no store at schema version ${Migrations.latestVersion} there (found version ${version}): check the URL and LINDUNG_DATABASE_SCHEMA`
      })
    }
    yield* Backup.backupPg(store.url, output, store.schema)
    yield* Console.log(
      `Backed up the PostgreSQL store${store.schema === undefined ? "" : ` (schema ${store.schema})`} to ${output} with pg_dump. The identities in it are sealed: keep the identity key apart, you need it to read them after a restore; restore drills verify the chains.`
    )
  })
).pipe(
  Command.withDescription(
    "Back up the store into a new file, consistent while it is in use (SQLite's online backup, or pg_dump), and verify it"
  )
)

const restoreCommand = Command.make(
  "restore",
  {
    database: databaseFlag,
    input: Flag.String("input").pipe(Flag.withAlias("i"), Flag.withDescription("The backup file"))
  },
  Effect.fn(function* ({ database, input }) {
    const store = storeOf(database)
    if (store.dialect === "sqlite") yield* Backup.restoreSqlite(input, store.filename)
    else yield* Backup.restorePg(input, store.url)
    const checked = Effect.gen(function* () {
      const report = yield* verifyStore(configOf(store))
      if (report.events === 0) {
        return yield* new Environment.SetupError({
          reason:
            store.dialect === "pg"
              ? "nothing was restored where this store is read: set LINDUNG_DATABASE_SCHEMA to the schema of the backed-up store"
              : "the backup holds no event"
        })
      }
      return report
    })
    // A restored SQLite store that does not verify is removed: nothing is served from a broken or empty copy (the
    // backup file stays as it was). A PostgreSQL database is left for the operator to inspect and drop.
    const report = yield* store.dialect === "sqlite"
      ? checked.pipe(
          Effect.tapError(() =>
            Effect.sync(() => {
              for (const suffix of ["", "-wal", "-shm"]) rmSync(`${store.filename}${suffix}`, { force: true })
            })
          )
        )
      : checked
    yield* Console.log(
      `Restored ${input}: ${report.events} events of ${report.cases} cases, the history intact. Serve it with the identity key of the backed-up store${
        store.dialect === "sqlite"
          ? ` (LINDUNG_IDENTITY_KEY, or its development key file copied to ${SqlStorage.developmentKeyFile(store.filename)})`
          : " (LINDUNG_IDENTITY_KEY)"
      }.`
    )
  })
).pipe(
  Command.withDescription(
    "Restore a backup into a new SQLite store or an empty PostgreSQL database (never over a store), and verify it"
  )
)

// ---------------------------------------------------------------------------------------------------------------
// keys

const keysStatus = Command.make(
  "status",
  { database: databaseFlag },
  Effect.fn(function* ({ database }) {
    yield* Environment.requireStore(database)
    const config = yield* Environment.storageConfig(database)
    const keyring = config.keyring
    const { counts, unreadable } = yield* Effect.gen(function* () {
      return {
        counts: yield* SqlStorage.identityKeyCounts,
        // One identity of each key id, tried with the configured keys (when keys are configured).
        unreadable: keyring === undefined ? {} : yield* SqlStorage.unreadableIdentities(keyring, { sample: true })
      }
    }).pipe(Effect.provide(SqlStorage.clientLayer(config)))
    const current = keyring?.current.id
    for (const [keyId, count] of Object.entries(counts.byKey)) {
      const marks = [
        ...(keyId === current ? ["the current key"] : []),
        ...(keyId in unreadable ? ["NOT opened by the configured keys"] : [])
      ]
      yield* Console.log(`${keyId}: ${count} identities${marks.length === 0 ? "" : ` (${marks.join("; ")})`}`)
    }
    yield* Console.log(`erased: ${counts.erased}`)
  })
).pipe(Command.withDescription("How many identities each identity key id still seals"))

const keysRotate = Command.make(
  "rotate",
  {
    database: databaseFlag,
    batch: Flag.Int("batch-size").pipe(Flag.withDescription("Identities per step"), Flag.withDefault(100))
  },
  Effect.fn(function* ({ database, batch }) {
    yield* Environment.requireStore(database)
    const config = yield* Environment.storageConfig(database)
    if (config.keyring === undefined) {
      return yield* new Environment.SetupError({
        reason:
          "key rotation needs the new key in LINDUNG_IDENTITY_KEY (with LINDUNG_IDENTITY_KEY_ID) and the old ones in LINDUNG_IDENTITY_OLD_KEYS (id:base64, comma-separated)"
      })
    }
    const keyring = config.keyring
    const report = yield* Effect.gen(function* () {
      const rotated = yield* SqlStorage.reencryptIdentities(keyring, { batchSize: batch })
      return {
        rotated,
        counts: yield* SqlStorage.identityKeyCounts,
        // Every identity tried with the configured keys: "the old key can go" is said only when all open.
        unreadable: yield* SqlStorage.unreadableIdentities(keyring)
      }
    }).pipe(Effect.provide(SqlStorage.clientLayer(config)))
    const unreadable = Object.entries(report.unreadable)
    if (unreadable.length > 0) {
      return yield* new Environment.SetupError({
        reason: `identities under ${unreadable.map(([keyId, n]) => `${keyId} (${n})`).join(", ")} do not open with the configured keys: is the new key configured under the old key's id? Keep every old key until keys status shows none`
      })
    }
    const others = Object.keys(report.counts.byKey).filter((keyId) => keyId !== keyring.current.id)
    yield* Console.log(
      `Sealed ${report.rotated.reencrypted} identities again with ${keyring.current.id} (${report.rotated.current} were under it already)${
        others.length === 0
          ? ": every identity opens with the current key, and none is under an old key, which can now leave the keyring"
          : `; still under old keys: ${others.join(", ")}`
      }`
    )
  })
).pipe(
  Command.withDescription(
    "Seal every identity again with the current key (in steps, safe while serving, resumable), so old keys can go"
  )
)

const keys = Command.make("keys").pipe(
  Command.withDescription("Identity keys: how many identities each seals, and rotation"),
  Command.withSubcommands([keysStatus, keysRotate])
)

// ---------------------------------------------------------------------------------------------------------------
// export

const PAGE = 500

const exportCommand = Command.make(
  "export",
  {
    database: databaseFlag,
    agencies: agenciesFlag,
    output: Flag.String("output").pipe(
      Flag.withAlias("o"),
      Flag.withDescription("A file (default stdout)"),
      Flag.optional
    ),
    person: Flag.String("as").pipe(
      Flag.withDescription("The person of the directory who exports: a supervisor, a head of dinas or an auditor")
    ),
    agency: Flag.String("agency").pipe(
      Flag.withDescription("The agency, for a person who works for several"),
      Flag.optional
    ),
    basis: Flag.Literals("basis", ["legal-obligation", "public-task", "court-order"]).pipe(
      Flag.withDescription(
        "The lawful basis of the export (UU 27/2022 Pasal 20 ayat (2) huruf c or e, or a court order)"
      )
    ),
    ground: Flag.String("ground").pipe(
      Flag.withDescription("The provision, the authority or the court order's reference the basis rests on")
    ),
    purpose: Flag.String("purpose").pipe(Flag.withDescription("What the export is for")),
    region: Flag.String("region").pipe(
      Flag.withDescription("Limit to a region (default: the person's)"),
      Flag.optional
    ),
    owner: Flag.String("owner").pipe(Flag.withDescription("Limit to the cases of an agency"), Flag.optional),
    production: productionFlag
  },
  Effect.fn(function* ({
    database,
    agencies,
    output,
    person,
    agency,
    basis,
    ground,
    purpose,
    region,
    owner,
    production: productionMode
  }) {
    yield* Environment.requireStore(database)
    yield* requireCurrentSchema(database)
    const production = Environment.isProduction(productionMode)
    // Outside development, the directory must come from the deployment, never the seed people.
    const directory = yield* Environment.directory(agencies, production)
    const as = Option.getOrUndefined(agency)
    const actor = yield* Environment.personOf(directory, person, as, "cannot export as")
    const lawfulBasis =
      basis === "legal-obligation"
        ? { _tag: basis, provision: ground }
        : basis === "public-task"
          ? { _tag: basis, authority: ground }
          : { _tag: basis, reference: ground }
    const request = CaseExport.decodeRequest({
      lawfulBasis,
      purpose,
      ...Option.match(region, { onNone: () => ({}), onSome: (code) => ({ region: code }) }),
      ...Option.match(owner, { onNone: () => ({}), onSome: (id) => ({ owner: id }) })
    })
    if (Result.isFailure(request)) {
      return yield* new Environment.SetupError({ reason: `cannot export: ${request.failure.message}` })
    }
    const program = Effect.gen(function* () {
      const cases = yield* CaseService.CaseService
      const made = yield* cases.exportCases(actor, request.success)
      const index = yield* CaseIndex.CaseIndex
      const totals = yield* index.count({ filter: made.manifest.scope, by: ["subjectKind"] })
      const total = totals.reduce((sum, row) => sum + row.count, 0)
      const file = Option.getOrUndefined(output)
      // The export is written to a new file of its own beside the target (opened first, so that a path that cannot
      // be written stops the export before anything) and linked to the target's name once whole: an existing file
      // is never overwritten (an earlier export stays whole), and an export that fails or is killed leaves no file
      // under the target's name (a killed one leaves its `.partial-…` file, never taken for a whole export). A device
      // or a pipe (`/dev/stdout`, a FIFO) is written as it is.
      const device = file !== undefined && existsSync(file) && !statSync(file).isFile()
      const partial = file === undefined || device ? undefined : `${file}.partial-${randomBytes(6).toString("hex")}`
      const fd =
        file === undefined
          ? undefined
          : yield* Effect.acquireRelease(
              Effect.try({
                try: () => {
                  if (partial === undefined) return openSync(file, "w")
                  if (existsSync(file)) throw Object.assign(new Error(), { code: "EEXIST" })
                  // Readable by its owner only, like the store: an export leaves with a lawful basis, not by accident.
                  return openSync(partial, "wx", 0o600)
                },
                catch: (error) =>
                  new Environment.SetupError({ reason: `cannot write the export to ${file}: ${errorCode(error)}` })
              }),
              (opened) =>
                Effect.sync(() => {
                  sink?.destroy()
                  try {
                    closeSync(opened)
                  } catch {
                    // Closed with its stream.
                  }
                  // Linked to the target when whole; removed in every case.
                  if (partial !== undefined) rmSync(partial, { force: true })
                })
            )
      const sink = fd === undefined ? process.stdout : createWriteStream("", { fd, encoding: "utf8", autoClose: false })
      // A write that fails (a full disk, a closed pipe to a file) ends the export with its cause, never a crash.
      let failed: unknown
      const onError = (error: unknown) => {
        failed = error
      }
      if (fd !== undefined) sink.on("error", onError)
      const writeFailed = () =>
        new ExportWriteError({ reason: `the export could not be written: ${errorCode(failed)}` })
      const write = (text: string) =>
        Effect.callback<void, ExportWriteError>((resume) => {
          if (failed !== undefined) return resume(Effect.fail(writeFailed()))
          if (sink.write(text)) return resume(Effect.void)
          const settle = () => {
            sink.off("drain", settle)
            sink.off("error", settle)
            resume(failed === undefined ? Effect.void : Effect.fail(writeFailed()))
          }
          sink.once("drain", settle)
          if (fd !== undefined) sink.once("error", settle)
        })
      // The manifest first: who exports, when, on which lawful basis and for what.
      yield* write(`${JSON.stringify(Schema.encodeSync(CaseExport.Manifest)(made.manifest))}\n`)
      let done = 0
      const written = Effect.gen(function* () {
        yield* made.entries.pipe(
          Stream.runForEach((entry) =>
            // Index entries are pseudonymous: case id, region, stage, risk, age band, categories. Never identity.
            write(`${JSON.stringify(Schema.encodeSync(CaseIndex.ExportedEntry)(entry))}\n`).pipe(
              Effect.andThen(() => {
                done++
                return done % PAGE === 0 || done === total ? progress(done, total) : Effect.void
              })
            )
          )
        )
        if (fd !== undefined) {
          yield* Effect.callback<void, ExportWriteError>((resume) => {
            if (failed !== undefined) return resume(Effect.fail(writeFailed()))
            sink.once("error", () => resume(Effect.fail(writeFailed())))
            sink.end((error?: Error | null) => {
              if (error !== undefined && error !== null) failed = error
              resume(failed === undefined ? Effect.void : Effect.fail(writeFailed()))
            })
          })
        }
      })
      // A failure after the progress bar starts on a line of its own.
      yield* written.pipe(
        Effect.onError(() => (done > 0 ? Effect.sync(() => process.stderr.write("\n")) : Effect.void))
      )
      if (file !== undefined && partial !== undefined) {
        // Whole: under the target's name now — unless a file took that name meanwhile (never overwritten).
        yield* Effect.try({
          try: () => linkSync(partial, file),
          catch: (error) =>
            new ExportWriteError({ reason: `the export could not be saved as ${file}: ${errorCode(error)}` })
        })
      }
      yield* Console.error(`\nExported ${done} cases (pseudonymous, without identity) as ${actor.id}.`)
    })
    return yield* program.pipe(Effect.scoped, Effect.provide(serviceLayer(database, directory, undefined, production)))
  })
).pipe(
  Command.withDescription(
    "Export the pseudonymous case index as NDJSON, after a manifest naming its lawful basis (identity is never included)"
  )
)

/** The export's output could not be written (a full disk, an I/O error): what is written so far is incomplete. */
export class ExportWriteError extends Schema.TaggedError<ExportWriteError>()("ExportWriteError", {
  reason: Schema.String
}) {
  override get message(): string {
    return this.reason
  }
}

/** The code of a file-system error (`ENOSPC`, `EACCES`, …), or its message. */
const errorCode = (error: unknown): string =>
  typeof error === "object" && error !== null && "code" in error && typeof error.code === "string"
    ? error.code === "ENOSPC"
      ? "ENOSPC (no space left on the device)"
      : error.code === "EACCES"
        ? "EACCES (permission denied)"
        : error.code === "ENOENT"
          ? "ENOENT (no such directory)"
          : error.code === "EEXIST"
            ? "the file exists (an export never overwrites one: choose a new name)"
            : error.code
    : String(error)

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
    policy: policyFlag,
    person: Flag.String("as").pipe(Flag.withDescription("The person of the directory who registers the reports")),
    agency: Flag.String("agency").pipe(
      Flag.withDescription("The agency, for a person who works for several"),
      Flag.optional
    ),
    production: productionFlag
  },
  Effect.fn(function* ({ file, database, agencies, policy: policyFile, person, agency, production: productionMode }) {
    const policy = yield* Environment.policy(policyFile)
    const production = Environment.isProduction(productionMode)
    // Outside development, the directory must come from the deployment, never the seed people.
    const directory = yield* Environment.directory(agencies, production)
    const as = Option.getOrUndefined(agency)
    const actor = yield* Environment.personOf(directory, person, as, "cannot import as")
    const text = yield* Effect.try({
      try: () => readFileSync(file, "utf8"),
      catch: () => new Environment.SetupError({ reason: `cannot read ${file}` })
    })
    const problems: Array<{ line: number; problem: string }> = []
    const commands: Array<{ line: number; command: typeof CaseCommand.RegisterReport.Type; raw: string }> = []
    const seen = new Set<string>()
    const subjects = new Set<string>()
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
      // Identities never travel in an import file (it would hold them in clear, outside the vault's keys): they are
      // stored afterwards, one by one, with a purpose on the access trail.
      if (typeof json === "object" && json !== null && "identity" in json) {
        problems.push({
          line,
          problem:
            "an identity cannot be imported (the file would hold it in clear): import the report without it, then store the identity with PUT /cases/{caseId}/identity"
        })
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
      if (Bodies.reservedCaseIds.includes(command.caseId)) {
        problems.push({
          line,
          problem: `case id ${command.caseId} is reserved (a path of the HTTP API under /cases/): choose another`
        })
        continue
      }
      if (seen.has(command.caseId)) {
        problems.push({ line, problem: `case ${command.caseId} appears twice in the file` })
        continue
      }
      if (subjects.has(command.subject)) {
        problems.push({
          line,
          problem: `subject ${command.subject} appears twice in the file: one case per new subject`
        })
        continue
      }
      seen.add(command.caseId)
      subjects.add(command.subject)
      commands.push({ line, command, raw })
    }
    /** Each line as the case service imports it: the report, under a key of its own content. */
    const itemOf = ({ command, raw }: (typeof commands)[number]): CaseService.ImportItem => {
      const { _tag, ...report } = command
      return { report, idempotencyKey: `import:${Integrity.sha256(raw)}` }
    }
    const program = Effect.gen(function* () {
      const cases = yield* CaseService.CaseService
      // Every line checked by the case service (access, the subject, the SOP) before anything is written, so that
      // the file's every problem is listed at once. An import brings new subjects only: a subject that already has
      // cases is linked through the API, where access to it is checked.
      for (let from = 0; from < commands.length; from += EventStore.MAX_APPEND_ALL) {
        const chunk = commands.slice(from, from + EventStore.MAX_APPEND_ALL)
        for (const refusal of yield* cases.checkImport(actor, chunk.map(itemOf))) {
          problems.push({ line: chunk[refusal.index]?.line ?? 0, problem: refusal.reason.message })
        }
      }
      if (problems.length > 0) {
        for (const p of problems.sort((a, b) => a.line - b.line)) yield* Console.error(`line ${p.line}: ${p.problem}`)
        return yield* new ImportRejected({ problems })
      }
      // Written through the bulk path, up to EventStore.MAX_APPEND_ALL reports per atomic write (the whole file when
      // it is not longer). Each line is registered under a key of its own content, as before.
      let written = 0
      let replayed = 0
      for (let from = 0; from < commands.length; from += EventStore.MAX_APPEND_ALL) {
        const chunk = commands.slice(from, from + EventStore.MAX_APPEND_ALL)
        // A step that fails after others were written (the store became unreachable, another writer took a case id
        // since the check) leaves those written: say where the import stopped.
        const stopped =
          from === 0
            ? Effect.void
            : Console.error(`Lines before line ${chunk[0]?.line} were imported; it and the lines after it were not.`)
        const results = yield* cases.importReports(actor, chunk.map(itemOf)).pipe(
          Effect.catchTag("ImportRefused", (refused) => {
            const line = chunk[refused.index]?.line ?? 0
            const problem = refused.reason.message
            // Nothing written yet: the file is rejected as a whole (exit code 4); else it stopped part-way (1).
            return Console.error(`line ${line}: ${problem}`).pipe(
              Effect.andThen(
                Effect.fail<ImportRejected | ImportStopped>(
                  from === 0
                    ? new ImportRejected({ problems: [{ line, problem }] })
                    : new ImportStopped({ line: chunk[0]?.line ?? line, problem: `line ${line}: ${problem}` })
                )
              )
            )
          }),
          Effect.tapError(() => stopped)
        )
        written += results.length
        replayed += results.filter((result) => result.replayed).length
      }
      yield* Console.error(
        replayed === 0
          ? `Imported ${written} reports as ${actor.id}.`
          : `Imported ${written} reports as ${actor.id} (${replayed} of them imported before, by this file's same lines: answered from their record).`
      )
    })
    return yield* program.pipe(Effect.provide(serviceLayer(database, directory, policy, production)))
  })
).pipe(Command.withDescription("Import NDJSON reports: every line is checked first; a bad line writes nothing"))

/** The `lindung` command. */
const subcommands = [
  serve,
  scheduler,
  relay,
  token,
  demo,
  sop,
  migrate,
  verify,
  backupCommand,
  restoreCommand,
  keys,
  rebuildCounts,
  refreshDue,
  exportCommand,
  importCommand
] as const

/** The names of the commands of `lindung` (`serve`, `relay`, …). */
export const commandNames: ReadonlyArray<string> = subcommands.map((command) => command.name)

export const lindung = Command.make("lindung").pipe(
  Command.withDescription("Lindung: child-protection case management — server, demo data and maintenance"),
  Command.withSubcommands(subcommands)
)

/** Runs `lindung` with the given arguments (without the program name). */
export const run = Command.runWith(lindung, { version })
