/**
 * How the `lindung` command reads its environment: development or production, the database, the directory of the
 * deployment (its agencies and their people), and how tokens are verified.
 *
 * - `LINDUNG_ENV=production` (or `NODE_ENV=production`, or `--production`): production mode; any other value of
 *   `LINDUNG_ENV` than `production` or `development` stops every command (exit code 2). `lindung token`
 *   refuses; the server verifies tokens with a JWKS URL (`LINDUNG_JWKS_URL`) or a public key file
 *   (`LINDUNG_JWT_PUBLIC_KEY_FILE`, `LINDUNG_JWT_ALGORITHM` RS256 or ES256), and needs `LINDUNG_AGENCIES_FILE`.
 * - Development: tokens are HS256 with `LINDUNG_JWT_SECRET`, or a secret generated once into
 *   `./lindung.jwt-secret` (mode 0600) and shared by `lindung serve` and `lindung token`; the agencies and people
 *   are those of the seed stories unless `LINDUNG_AGENCIES_FILE` or `--agencies` names a directory file.
 * - The directory file is a JSON list of agencies; each may list its `people` (`id`, `role`, optional `position`
 *   and `active`). A person of several agencies is listed under each. `lindung serve` reloads the file on SIGHUP.
 * - `LINDUNG_JWT_ISSUER` and `LINDUNG_JWT_AUDIENCE` (default `lindung`) are checked in both modes;
 *   `LINDUNG_NATS_JWT_AUDIENCE` gives commands over NATS an audience of their own (default: the same), so that a
 *   token a NATS subscriber of the API subjects sees cannot be used over HTTP, nor an HTTP token over NATS.
 * - `--policy FILE` (or `LINDUNG_POLICY_FILE`): a JSON policy file (`Policy.File`: deadlines, escalation,
 *   caseload) over the defaults. A file that breaks a rule stops the command with exit code 2 and the rule's name.
 *
 * @since 0.1.0
 */
import { randomBytes } from "node:crypto"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { Actor, Agency, Directory, Person, Policy } from "@lindung/core"
import { People } from "@lindung/seeds"
import { Migrations, SqlStorage } from "@lindung/storage-sql"
import { Auth } from "@lindung/transport-http"
import { type Nats, Relay, Subjects } from "@lindung/transport-nats"
import { ConfigProvider, Effect, Layer, Option, Redacted, Result, Runtime, Schema } from "effect"

/** A setting of the command line or the environment is unusable. */
export class SetupError extends Schema.TaggedError<SetupError>()("SetupError", {
  reason: Schema.String
}) {
  override readonly [Runtime.errorExitCode] = 2
  override get message(): string {
    return this.reason
  }
}

const env = (name: string): string | undefined => {
  const value = process.env[name]?.trim()
  return value === undefined || value.length === 0 ? undefined : value
}

/** Whether the command runs in production mode. */
export const isProduction = (flag: boolean): boolean =>
  flag || [env("LINDUNG_ENV"), env("NODE_ENV")].some((value) => value?.toLowerCase() === "production")

/** The values `LINDUNG_ENV` may take. */
export const modes = ["production", "development"] as const

/**
 * Why `LINDUNG_ENV` cannot work, if it cannot: it is `production` or `development` (any case), or unset. Anything
 * else — `prod`, a typo — would otherwise run in development mode, with development tokens, on a server meant for
 * production. (`NODE_ENV` is shared with other tools and stays free: only `production` there means production.)
 */
export const modeProblem = (value: string | undefined = env("LINDUNG_ENV")): string | undefined =>
  value === undefined || (modes as ReadonlyArray<string>).includes(value.trim().toLowerCase())
    ? undefined
    : `LINDUNG_ENV is "${value.slice(0, 40)}": set it to production or development (or leave it unset for development)`

/** The development secret file, shared by `serve` and `token`. */
export const DEV_SECRET_FILE = "./lindung.jwt-secret"

/**
 * The development HS256 secret: `LINDUNG_JWT_SECRET`, else the secret file, created on first use. A file that cannot
 * be made or read (a directory that is not writable, a folder of that name) is a {@link SetupError}.
 */
export const developmentSecret = Effect.try({
  try: (): Redacted.Redacted<string> => {
    const fromEnv = env("LINDUNG_JWT_SECRET")
    if (fromEnv !== undefined) return Redacted.make(fromEnv)
    if (!existsSync(DEV_SECRET_FILE)) {
      writeFileSync(DEV_SECRET_FILE, `${randomBytes(32).toString("base64url")}\n`, { mode: 0o600, flag: "wx" })
    }
    return Redacted.make(readFileSync(DEV_SECRET_FILE, "utf8").trim())
  },
  catch: (error) =>
    new SetupError({
      reason: `cannot make or read the development secret ${DEV_SECRET_FILE} (${(error as { code?: string }).code ?? String(error)}): run lindung where it may write, or set LINDUNG_JWT_SECRET`
    })
})

/**
 * How tokens are verified, in the given mode. The keys are imported once here, so that a key that cannot verify
 * (a public key of another type than the algorithm, a malformed JWKS document) stops the command before it serves.
 */
export const authConfig = (production: boolean): Effect.Effect<Auth.Config, SetupError | Auth.InvalidAuthConfig> =>
  Effect.tap(authConfigUnchecked(production), Auth.makeVerifier)

const authConfigUnchecked = (production: boolean): Effect.Effect<Auth.Config, SetupError | Auth.InvalidAuthConfig> =>
  Effect.gen(function* () {
    const issuer = env("LINDUNG_JWT_ISSUER") ?? "lindung"
    const audience = env("LINDUNG_JWT_AUDIENCE") ?? "lindung"
    if (!production) return { issuer, audience, keys: Auth.secret(yield* developmentSecret) }
    const jwks = env("LINDUNG_JWKS_URL")
    if (jwks !== undefined) {
      // The keys that sign tokens never travel in clear: https, or plain http to this machine only (a sidecar).
      const url = URL.canParse(jwks) ? new URL(jwks) : undefined
      const loopback = url !== undefined && ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname)
      if (url === undefined || !(url.protocol === "https:" || (url.protocol === "http:" && loopback))) {
        return yield* new SetupError({
          reason:
            "LINDUNG_JWKS_URL must be an https URL in production (plain http only to this machine): keys fetched in clear could be replaced to forge tokens"
        })
      }
      return { issuer, audience, keys: Auth.jwksUrl(jwks) }
    }
    const keyFile = env("LINDUNG_JWT_PUBLIC_KEY_FILE")
    if (keyFile !== undefined) {
      const algorithm = env("LINDUNG_JWT_ALGORITHM") ?? "RS256"
      if (algorithm !== "RS256" && algorithm !== "ES256") {
        return yield* new SetupError({
          reason: `LINDUNG_JWT_ALGORITHM is RS256 or ES256, not ${algorithm.slice(0, 20)}`
        })
      }
      return { issuer, audience, keys: yield* Auth.keyFile(keyFile, algorithm) }
    }
    return yield* new SetupError({
      reason:
        "production mode needs LINDUNG_JWKS_URL or LINDUNG_JWT_PUBLIC_KEY_FILE to verify tokens (development secrets are refused)"
    })
  })

/**
 * How tokens sent over NATS are verified: as over HTTP, with the audience `LINDUNG_NATS_JWT_AUDIENCE` when set. A
 * subscriber allowed on the API subjects sees every request's bearer token; with an audience of its own, such a
 * token is refused over HTTP.
 */
export const natsAuth = (auth: Auth.Config): Auth.Config => {
  const audience = env("LINDUNG_NATS_JWT_AUDIENCE")
  return audience === undefined ? auth : { ...auth, audience }
}

/** One agency of a directory file, with the people who work for it. */
export const DirectoryEntry = Schema.Struct({
  ...Agency.Agency.fields,
  people: Schema.optionalKey(
    Schema.Array(
      Schema.Struct({
        id: Actor.ActorId,
        role: Actor.Role,
        position: Schema.optionalKey(Actor.Position),
        bidang: Schema.optionalKey(Actor.BidangCode),
        active: Schema.optionalKey(Schema.Boolean)
      })
    )
  )
})

/** Reads a directory file: a JSON list of agencies, each with its people. */
export const readDirectory = (path: string): Effect.Effect<Directory.Snapshot, SetupError> =>
  Effect.gen(function* () {
    const text = yield* Effect.try({
      try: () => readFileSync(path, "utf8"),
      catch: () => new SetupError({ reason: `cannot read the agencies file ${path}` })
    })
    const entries = yield* Effect.try({
      try: () => Schema.decodeUnknownSync(Schema.Array(DirectoryEntry))(JSON.parse(text)),
      catch: (error) =>
        new SetupError({
          reason: `the agencies file ${path} is not a JSON list of agencies: ${error instanceof Error ? error.message : String(error)}`
        })
    })
    const agencies = entries.map(({ people: _people, ...agency }): Agency.Agency => agency)
    const people = entries.flatMap((entry) =>
      (entry.people ?? []).map((person): Person.Person => ({ ...person, agency: entry.id }))
    )
    const snapshot = Directory.make(agencies, people)
    if (Result.isFailure(snapshot)) {
      return yield* new SetupError({ reason: `the agencies file ${path}: ${snapshot.failure}` })
    }
    return snapshot.success
  })

/** Where the directory comes from: `--agencies`, else `LINDUNG_AGENCIES_FILE`; none means the seed stories'. */
export const directoryFile = (file: Option.Option<string>): string | undefined =>
  Option.getOrUndefined(file) ?? env("LINDUNG_AGENCIES_FILE")

/**
 * The directory of the deployment: the agencies and people of a file, or in development those of the seed stories.
 */
export const directory = (
  file: Option.Option<string>,
  production: boolean
): Effect.Effect<Directory.Snapshot, SetupError> =>
  Effect.gen(function* () {
    const path = directoryFile(file)
    if (path === undefined) {
      if (production) {
        return yield* new SetupError({ reason: "production mode needs --agencies or LINDUNG_AGENCIES_FILE" })
      }
      return developmentDirectory
    }
    return yield* readDirectory(path)
  })

/** The development scheduler's person: the system actor of the seed stories' directory. */
export const DEVELOPMENT_SCHEDULER = "lindung-scheduler"

/** The seed stories' directory, with the deadline scheduler's system person in the first Dinas. */
const developmentDirectory: Directory.Snapshot = (() => {
  const dinas = [...People.directory.agencies.values()].find((agency) => agency.kind === "dinsos")
  const people = [...People.directory.people.values()].flat()
  if (dinas === undefined) return People.directory
  const made = Directory.make(
    [...People.directory.agencies.values()],
    [...people, Person.make({ id: DEVELOPMENT_SCHEDULER, agency: dinas.id, role: "system" })]
  )
  return Result.isSuccess(made) ? made.success : People.directory
})()

/**
 * The actor the deadline scheduler acts as: the directory's one person with the role `system` (the first, if
 * several). A directory without one is a setup error: add a person with `"role": "system"` to an agency of the
 * directory file, or run without the scheduler.
 */
export const schedulerActor = (snapshot: Directory.Snapshot): Effect.Effect<Actor.Actor, SetupError> => {
  const found = Directory.systemActor(snapshot)
  return found !== undefined
    ? Effect.succeed(found)
    : Effect.fail(
        new SetupError({
          reason:
            'the deadline scheduler needs a person with "role": "system" in the directory (add one to an agency of the directory file), or run with --without-scheduler'
        })
      )
}

/** Describes a database URL for people, without a password. */
export const describeDatabase = (url: string): string => {
  const target = SqlStorage.parseUrl(url)
  if (target.dialect === "sqlite") return `SQLite ${target.filename}`
  try {
    const parsed = new URL(target.url)
    return `PostgreSQL ${parsed.hostname}:${parsed.port || "5432"}${parsed.pathname}`
  } catch {
    return "PostgreSQL"
  }
}

/** The default NATS server, when neither `--nats` nor `LINDUNG_NATS_URL` names one. */
export const DEFAULT_NATS = "nats://127.0.0.1:4222"

/**
 * How to connect to NATS: the servers of the flag, else `LINDUNG_NATS_URL` (URLs separated by commas), else
 * {@link DEFAULT_NATS} — without the credentials a URL may carry (`nats://user:password@host:4222`, or
 * `nats://token@host:4222`), which are passed apart (the NATS client does not read them from a URL), so the servers
 * can be printed.
 */
export const natsOptions = (flag: string | undefined, name: string): Effect.Effect<Nats.Options, SetupError> =>
  Effect.gen(function* () {
    const listed = (flag ?? env("LINDUNG_NATS_URL") ?? DEFAULT_NATS)
      .split(",")
      .map((server) => server.trim())
      .filter((server) => server.length > 0)
    const servers: Array<string> = []
    let credentials: { user?: string; pass?: string; token?: string } = {}
    for (const server of listed) {
      let url: URL
      try {
        url = new URL(/^[a-z]+:\/\//iu.test(server) ? server : `nats://${server}`)
      } catch {
        return yield* new SetupError({ reason: "a NATS server is not a URL (nats://host:4222)" })
      }
      if (url.username !== "") {
        credentials =
          url.password === ""
            ? { token: decodeURIComponent(url.username) }
            : { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
      }
      servers.push(`${url.protocol}//${url.host}`)
    }
    return { servers, name, ...credentials }
  })

/** The servers of NATS options as they may be printed (credentials are never in them), with a mark when given. */
export const describeNats = (options: Nats.Options): string =>
  `${[options.servers].flat().join(",")}${options.user !== undefined || options.token !== undefined ? " (with credentials)" : ""}`

/**
 * The stream, event subject prefix and command subject prefix of the NATS transport: the flags', else
 * `LINDUNG_NATS_STREAM`, `LINDUNG_NATS_SUBJECT_PREFIX` and `LINDUNG_NATS_API_PREFIX`, else the defaults
 * (`LINDUNG_CASE_EVENTS`, `lindung.case`, `lindung.api`). Two deployments on one NATS account need names of their
 * own. Unusable prefixes (wildcards, or event subjects that would take in the command subjects) are a setup error.
 */
export const natsNames = (
  stream: string | undefined,
  prefix: string | undefined
): Effect.Effect<{ readonly stream: string; readonly prefix: string; readonly apiPrefix: string }, SetupError> => {
  const names = {
    stream: stream ?? env("LINDUNG_NATS_STREAM") ?? Relay.DEFAULT_STREAM,
    prefix: prefix ?? env("LINDUNG_NATS_SUBJECT_PREFIX") ?? Subjects.DEFAULT_PREFIX,
    apiPrefix: env("LINDUNG_NATS_API_PREFIX") ?? Subjects.DEFAULT_API_PREFIX
  }
  const problem = Subjects.checkPrefixes(names.prefix, names.apiPrefix)
  return problem === undefined ? Effect.succeed(names) : Effect.fail(new SetupError({ reason: problem }))
}

/** The database URL: the flag, else `LINDUNG_DATABASE_URL`, else the embedded default `./lindung.db`. */
export const databaseUrl = (flag: Option.Option<string>): string =>
  Option.getOrUndefined(flag) ?? env("LINDUNG_DATABASE_URL") ?? SqlStorage.DEFAULT_DATABASE

/** Whether a SQLite file holds a Lindung store: it opens read-only and has the migrations table. */

/** The path of a SQLite file named by a file name or a `file:` URI (`SqlStorage.sqliteFile`). */
export const sqlitePath = (filename: string): string => SqlStorage.sqliteFile(filename) ?? filename

/**
 * Fails, before anything opens the database, when the store is a SQLite file that does not exist or is not a Lindung
 * store: the commands that read a store (`verify`, `export`, `backup`, `keys`, `scheduler`, `relay`, …) would
 * otherwise create (or migrate) one at a mistyped path and report on it.
 */
export const requireStore = (flag: Option.Option<string>) =>
  Effect.suspend(() => {
    const target = SqlStorage.parseUrl(databaseUrl(flag))
    if (target.dialect === "pg") return requirePgStore(flag)
    if (target.filename === ":memory:") return Effect.void
    const path = sqlitePath(target.filename)
    if (existsSync(path)) {
      // A file that is not a Lindung store (empty, another application's database, a folder) is refused, never
      // migrated by a command that only reads.
      return Effect.flatMap(SqlStorage.holdsStore({ dialect: "sqlite", filename: path }), (holds) =>
        holds
          ? Effect.void
          : Effect.fail(
              new SetupError({
                reason: `${target.filename} is not a Lindung store (it has no ${Migrations.TABLE} table): check --database-url or LINDUNG_DATABASE_URL`
              })
            )
      )
    }
    return Effect.fail(
      new SetupError({
        reason: `there is no store at ${target.filename} (the file does not exist): check --database-url or LINDUNG_DATABASE_URL, or run lindung migrate first to create one (lindung demo loads the seed stories)`
      })
    )
  })

/**
 * A PostgreSQL database (and schema) that holds a Lindung store: its migrations table is there. Read without
 * migrating, so that a command that only reads never builds a schema in a database it was pointed at by mistake.
 */
const requirePgStore = (flag: Option.Option<string>) =>
  Effect.gen(function* () {
    // Only where the store is: a backup, say, runs without the identity key.
    const schema = env("LINDUNG_DATABASE_SCHEMA")
    if (yield* SqlStorage.holdsStore({ dialect: "pg", url: Redacted.make(databaseUrl(flag)), schema })) return
    const where = schema === undefined ? "" : ` in schema ${schema}`
    return yield* new SetupError({
      reason: `the PostgreSQL database has no Lindung store${where} (no ${Migrations.TABLE} table): check --database-url or LINDUNG_DATABASE_URL and LINDUNG_DATABASE_SCHEMA, or run lindung migrate first to create one`
    })
  })

/**
 * What the command line adds to the storage settings of the environment: the database URL of the flag (or
 * environment) and, for a command in production mode (`--production` too), `LINDUNG_ENV=production` — so that the
 * store refuses to run without the identity key there.
 */
const storageSettings = (flag: Option.Option<string>, production: boolean) =>
  ConfigProvider.layerAdd(
    ConfigProvider.fromUnknown({
      LINDUNG_DATABASE_URL: databaseUrl(flag),
      ...(production ? { LINDUNG_ENV: "production" } : {})
    }),
    { asPrimary: true }
  )

/** The storage configuration of the deployment (`SqlStorage.readConfig`) with the database URL of the flag or environment. */
export const storageConfig = (flag: Option.Option<string>, production = false) =>
  SqlStorage.readConfig.pipe(Effect.provide(storageSettings(flag, production)))

/** The storage of the deployment: `SqlStorage.layerConfig` with the database URL of the flag or environment. */
export const storage = (flag: Option.Option<string>, production = false) =>
  SqlStorage.layerConfig.pipe(Layer.provide(storageSettings(flag, production)))

/**
 * The policies: the defaults, or a policy file (`--policy`, else `LINDUNG_POLICY_FILE`) over them, checked as a
 * whole. An unreadable or broken file is a {@link SetupError} that names the file and the broken rule.
 */
/** Where the policy comes from: the `--policy` file, else `LINDUNG_POLICY_FILE`, else `undefined` (the defaults). */
export const policyFile = (file: Option.Option<string>): string | undefined =>
  Option.getOrUndefined(file) ?? env("LINDUNG_POLICY_FILE")

export const policy = (file: Option.Option<string>): Effect.Effect<Policy.Policy, SetupError> =>
  Effect.gen(function* () {
    const path = policyFile(file)
    if (path === undefined) return Policy.defaults
    const json = yield* Effect.try({
      try: () => JSON.parse(readFileSync(path, "utf8")) as unknown,
      catch: (error) =>
        new SetupError({ reason: `policy file ${path}: ${error instanceof Error ? error.message : String(error)}` })
    })
    const read = Policy.fromJson(json)
    if (Result.isFailure(read)) return yield* new SetupError({ reason: `policy file ${path}: ${read.failure.message}` })
    return read.success
  })

/**
 * The actor of a person of the directory (`--person`/`--as`, with `--agency` for a person of several agencies), or a
 * {@link SetupError} that says what is wrong: an unknown person with the directory's people, or a wrong agency with
 * the person's agencies. `doing` starts the message (`no token for`, `cannot export as`).
 */
export const personOf = (
  directory: Directory.Snapshot,
  person: string,
  agency: string | undefined,
  doing: string
): Effect.Effect<Actor.Actor, SetupError> => {
  const found = Directory.authenticate(directory, { sub: person, ...(agency === undefined ? {} : { agency }) })
  if (Result.isSuccess(found)) return Effect.succeed(found.success)
  const memberships = (directory.people.get(person as Actor.ActorId) ?? []).filter((m) => m.active !== false)
  // An active person whom the directory still does not recognise (core's answer, not a role checked here) is the
  // scheduler's, which acts in its own process only.
  if (found.failure.reason === "unknown-person" && memberships.length > 0) {
    return Effect.fail(
      new SetupError({
        reason: `${doing} ${person}: the directory lets this person act in its own process only (the scheduler's), never through a token or a command`
      })
    )
  }
  const active = [...directory.people.entries()]
    .filter(([, all]) => all.some((m) => m.active !== false))
    .map(([id]) => id)
  const listed = `${active.slice(0, 30).join(", ")}${active.length > 30 ? `, … (${active.length - 30} more)` : ""}`
  const hint =
    memberships.length === 0
      ? `${person} is not an active person of the directory; its people are: ${listed}`
      : `${person} works for ${memberships.map((m) => m.agency).join(", ")}${agency === undefined ? "" : `, not ${agency}`}: give one of them with --agency`
  return Effect.fail(new SetupError({ reason: `${doing} ${person}: ${hint}` }))
}
