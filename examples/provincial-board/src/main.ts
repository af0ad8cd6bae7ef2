/**
 * The provincial board as a process: it follows the case events of a province (or of every province) from NATS
 * JetStream through a durable consumer (`Consumer.stream`), keeps the board of `Board.ts`, saves it to a JSON file
 * after each batch and only then acknowledges the batch, and prints it as a table.
 *
 * ```sh
 * node src/main.ts --province 13 --print-every 5s        # follow province 13, print every 5 seconds and on exit
 * node src/main.ts --until-idle 2000 --json               # catch up, then print the board as JSON and exit
 * ```
 *
 * Run `node src/main.ts --help` for every flag. Kept apart from `Board.ts` (the pure board) so that the tests can
 * run the same loop in-process: {@link make} gives a board's `run` and its `current` state.
 */
import { open, readFile, rename } from "node:fs/promises"
import { dirname, resolve } from "node:path"
import { parseArgs } from "node:util"
import { Region } from "@lindung/core"
import { Consumer, Nats, Relay, Subjects } from "@lindung/transport-nats"
import { Cause, Console, Effect, Exit, Logger, Option, Ref, Result, Schedule, Schema, Stream } from "effect"
import * as Board from "./Board.ts"

// ---------------------------------------------------------------------------------------------------------------
// Settings

/** How a board follows the events. */
export interface Options {
  /** The JetStream stream. Default `Relay.DEFAULT_STREAM`. */
  readonly stream: string
  /** The first tokens of the event subjects. Default `Subjects.DEFAULT_PREFIX`. */
  readonly prefix: string
  /** The durable consumer: what the board acknowledged is kept under this name. */
  readonly durable: string
  /** The province (or kab/kota) followed; every province when absent. */
  readonly province?: Region.RegionCode
  /** The state file. */
  readonly file: string
  /** The most events applied (and saved) at once. */
  readonly batchSize: number
  /** How long a batch waits to fill up before it is applied anyway, in milliseconds. */
  readonly batchWindowMs: number
  /** Stop once no event has come for this long, in milliseconds; follow forever when absent. */
  readonly untilIdleMs?: number
}

/** The process's flags: the options, the server, and how the board is printed. */
export interface Flags extends Options {
  readonly nats: string
  readonly printEveryMs?: number
  readonly json: boolean
  readonly help: boolean
}

/** The defaults of the flags. */
export const defaults = {
  nats: "nats://127.0.0.1:4222",
  durable: "provincial-board",
  file: "./provincial-board.json",
  batchSize: 200,
  batchWindowMs: 500,
  onceIdleMs: 2_000
} as const

/** The `--help` text. */
export const usage = `Usage: node src/main.ts [flags]

  --nats URL               NATS server (default $LINDUNG_NATS_URL, else ${defaults.nats})
  --stream NAME            JetStream stream (default $LINDUNG_NATS_STREAM, else ${Relay.DEFAULT_STREAM})
  --subject-prefix PREFIX  first tokens of the event subjects
                           (default $LINDUNG_NATS_SUBJECT_PREFIX, else ${Subjects.DEFAULT_PREFIX})
  --province CODE          follow one province (13) or kab/kota (13.71); default every province
  --durable NAME           durable consumer name (default ${defaults.durable})
  --file PATH              state file (default ${defaults.file})
  --batch N                apply and save at most N events at once (default ${defaults.batchSize})
  --print-every TIME       print the board every TIME (500ms, 5s, 1m); it is also printed on exit
  --until-idle MS          exit after no event came for MS milliseconds, printing the final board
  --once                   the same as --until-idle ${defaults.onceIdleMs}
  --json                   print the board as JSON instead of a table
  --help                   print this text`

/** The flags could not be read. */
export class UsageError extends Schema.TaggedError<UsageError>()("UsageError", { reason: Schema.String }) {
  override get message(): string {
    return `${this.reason}\n\n${usage}`
  }
}

const wholeNumber = (flag: string, text: string, minimum: number): Result.Result<number, UsageError> => {
  const value = Number(text)
  return /^\d+$/.test(text) && Number.isSafeInteger(value) && value >= minimum
    ? Result.succeed(value)
    : Result.fail(new UsageError({ reason: `--${flag} takes a whole number of at least ${minimum}, not "${text}"` }))
}

/** A time as `--print-every` takes it: `500ms`, `5s`, `1m`, or milliseconds. */
export const parseTime = (text: string): Result.Result<number, UsageError> => {
  const match = /^(\d+)(ms|s|m)?$/.exec(text.trim())
  const amount = Number(match?.[1])
  if (match === null || !Number.isSafeInteger(amount) || amount === 0) {
    return Result.fail(new UsageError({ reason: `"${text}" is not a time such as 500ms, 5s or 1m` }))
  }
  return Result.succeed(amount * (match[2] === "m" ? 60_000 : match[2] === "s" ? 1_000 : 1))
}

/** Reads the flags (and `LINDUNG_NATS_URL`, `LINDUNG_NATS_STREAM`, `LINDUNG_NATS_SUBJECT_PREFIX`). */
export const parseFlags = (
  argv: ReadonlyArray<string>,
  env: Readonly<Record<string, string | undefined>> = {}
): Result.Result<Flags, UsageError> => {
  let parsed: ReturnType<typeof readArgs>
  try {
    parsed = readArgs(argv)
  } catch (error) {
    return Result.fail(new UsageError({ reason: error instanceof Error ? error.message : String(error) }))
  }
  const values = parsed.values
  let province: Region.RegionCode | undefined
  if (values.province !== undefined) {
    const region = Region.parse(values.province)
    if (Result.isFailure(region)) return Result.fail(new UsageError({ reason: region.failure.message }))
    if (Region.depth(region.success) > 2) {
      return Result.fail(new UsageError({ reason: "--province takes a province (13) or a kab/kota (13.71)" }))
    }
    province = region.success
  }
  const batchSize = wholeNumber("batch", values.batch ?? String(defaults.batchSize), 1)
  if (Result.isFailure(batchSize)) return Result.fail(batchSize.failure)
  let untilIdleMs: number | undefined = values.once === true ? defaults.onceIdleMs : undefined
  if (values["until-idle"] !== undefined) {
    const idle = wholeNumber("until-idle", values["until-idle"], 1)
    if (Result.isFailure(idle)) return Result.fail(idle.failure)
    untilIdleMs = idle.success
  }
  let printEveryMs: number | undefined
  if (values["print-every"] !== undefined) {
    const every = parseTime(values["print-every"])
    if (Result.isFailure(every)) return Result.fail(every.failure)
    printEveryMs = every.success
  }
  // The same variables as `lindung serve --nats` and `lindung relay`.
  const fromEnv = (name: string): string | undefined => {
    const value = env[name]?.trim()
    return value === undefined || value === "" ? undefined : value
  }
  return Result.succeed({
    nats: values.nats ?? fromEnv("LINDUNG_NATS_URL") ?? defaults.nats,
    stream: values.stream ?? fromEnv("LINDUNG_NATS_STREAM") ?? Relay.DEFAULT_STREAM,
    prefix: values["subject-prefix"] ?? fromEnv("LINDUNG_NATS_SUBJECT_PREFIX") ?? Subjects.DEFAULT_PREFIX,
    durable: values.durable ?? defaults.durable,
    ...(province === undefined ? {} : { province }),
    file: values.file ?? defaults.file,
    batchSize: batchSize.success,
    batchWindowMs: defaults.batchWindowMs,
    ...(untilIdleMs === undefined ? {} : { untilIdleMs }),
    ...(printEveryMs === undefined ? {} : { printEveryMs }),
    json: values.json === true,
    help: values.help === true
  })
}

const readArgs = (argv: ReadonlyArray<string>) =>
  parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      nats: { type: "string" },
      stream: { type: "string" },
      "subject-prefix": { type: "string" },
      province: { type: "string" },
      durable: { type: "string" },
      file: { type: "string" },
      batch: { type: "string" },
      "print-every": { type: "string" },
      "until-idle": { type: "string" },
      once: { type: "boolean" },
      json: { type: "boolean" },
      help: { type: "boolean" }
    }
  })

// ---------------------------------------------------------------------------------------------------------------
// The state file

/** The state file cannot be read or written; `operation` names what failed. */
export class StateFileError extends Schema.TaggedError<StateFileError>()("StateFileError", {
  file: Schema.String,
  operation: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `The board's state file ${this.file} (${this.operation}): ${this.detail}`
  }
}

/** What the state file holds: the board, and the stream, consumer and scope it was built from. */
const StateFile = Schema.Struct({
  format: Schema.Literal("lindung-provincial-board/1"),
  stream: Schema.String,
  durable: Schema.String,
  scope: Schema.String,
  board: Board.Json
})

const scopeOf = (options: Options): string => options.province ?? "all"

const describe = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause))

/** Reads the board saved by an earlier run; none when there is no state file yet. */
export const load = Effect.fn("ProvincialBoard.load")(function* (options: Options) {
  const file = resolve(options.file)
  const text = yield* Effect.tryPromise({
    try: () =>
      readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") return undefined
        throw error
      }),
    catch: (cause) => new StateFileError({ file, operation: "read", detail: describe(cause) })
  })
  if (text === undefined) return Option.none<Board.Board>()
  const state = yield* Effect.try({
    try: () => Schema.decodeUnknownSync(StateFile)(JSON.parse(text)),
    catch: (cause) => new StateFileError({ file, operation: "decode", detail: describe(cause) })
  })
  // A board counts the events of one consumer and scope: another one's acknowledgements are not its own.
  if (state.stream !== options.stream || state.durable !== options.durable || state.scope !== scopeOf(options)) {
    return yield* new StateFileError({
      file,
      operation: "check",
      detail:
        `it holds the board of stream ${state.stream}, consumer ${state.durable}, scope ${state.scope}; ` +
        "give this one another --file, or the same --stream, --durable and --province"
    })
  }
  return Option.some(Board.fromJson(state.board))
})

/** Saves the board atomically: a temporary file, flushed to disk, then renamed over the state file. */
export const save = Effect.fn("ProvincialBoard.save")(function* (options: Options, board: Board.Board) {
  const file = resolve(options.file)
  const text = `${JSON.stringify({
    format: "lindung-provincial-board/1",
    stream: options.stream,
    durable: options.durable,
    scope: scopeOf(options),
    board: Board.toJson(board)
  })}\n`
  yield* Effect.tryPromise({
    try: async () => {
      const temporary = `${file}.${process.pid}.tmp`
      const handle = await open(temporary, "w", 0o640)
      try {
        await handle.writeFile(text, "utf8")
        await handle.sync()
      } finally {
        await handle.close()
      }
      await rename(temporary, file)
      // The rename is on disk once the directory is (not possible on every platform: best effort).
      const directory = await open(dirname(file), "r").catch(() => undefined)
      await directory
        ?.sync()
        .catch(() => undefined)
        .finally(() => directory.close())
    },
    catch: (cause) => new StateFileError({ file, operation: "write", detail: describe(cause) })
  })
})

// ---------------------------------------------------------------------------------------------------------------
// Following the events

/**
 * Deletes the durable consumer, if there is one: a board that starts empty must read every event again, and the
 * consumer would not send those it acknowledged for an earlier state file.
 */
export const resetConsumer = Effect.fn("ProvincialBoard.resetConsumer")(function* (options: Options) {
  const { manager } = yield* Nats.Connection
  const deleted = yield* Effect.tryPromise({
    try: () =>
      manager.consumers.delete(options.stream, options.durable).catch((error: unknown) => {
        // No such consumer, or no stream yet: nothing was acknowledged.
        if (/not found/i.test(describe(error))) return false
        throw error
      }),
    catch: (cause) => new Nats.NatsUnavailable({ operation: "reset consumer", detail: describe(cause) })
  })
  if (deleted) {
    yield* Effect.logInfo("board: no state file; the durable consumer was reset to read every event again").pipe(
      Effect.annotateLogs({ durable: options.durable })
    )
  }
})

/** Acknowledges a delivery (an acknowledgement lost on the way brings the event again, and the board skips it). */
const acknowledge = (delivery: Consumer.Delivery) => delivery.ack

/** A board that follows the events: its loop, and its state now. */
export interface Follower {
  /**
   * Follows the events: applies each batch, saves the board, then acknowledges the batch. Ends with the board
   * once no event came for `untilIdleMs`, or never when that is not set.
   */
  readonly run: Effect.Effect<
    Board.Board,
    Nats.NatsUnavailable | Consumer.UndecodableEvent | StateFileError,
    Nats.Connection
  >
  /** The board as last applied and saved. */
  readonly current: Effect.Effect<Board.Board>
}

/** Makes a board from its state file, or empty (nothing runs until its `run` does). */
export const make = Effect.fn("ProvincialBoard.make")(function* (options: Options) {
  const loaded = yield* load(options)
  if (Option.isSome(loaded)) {
    yield* Effect.logInfo("board: state file loaded").pipe(
      Effect.annotateLogs({ file: options.file, cases: loaded.value.cases.size })
    )
  }
  const state = yield* Ref.make(Option.getOrElse(loaded, () => Board.empty))

  /** Applies a batch, saves the board when it changed, then acknowledges every event of the batch. */
  const handle = Effect.fn("ProvincialBoard.handle")(function* (batch: ReadonlyArray<Consumer.Delivery>) {
    const before = yield* Ref.get(state)
    const after = Board.applyAll(
      before,
      batch.map((delivery) => delivery.event)
    )
    if (after !== before) {
      // Saved before acknowledged: a crash between the two brings the batch again, and the board skips it.
      yield* save(options, after)
      yield* Ref.set(state, after)
    }
    yield* Effect.forEach(batch, acknowledge, { concurrency: 32, discard: true })
    yield* Effect.logDebug("board: batch applied").pipe(
      Effect.annotateLogs({ events: batch.length, changed: after !== before })
    )
  })

  const subjects = [
    options.province === undefined ? Subjects.all(options.prefix) : Subjects.within(options.province, options.prefix)
  ]
  const run = Effect.gen(function* () {
    if (Option.isNone(loaded)) yield* resetConsumer(options)
    const deliveries = Consumer.stream({ durable: options.durable, stream: options.stream, subjects })
    yield* (options.untilIdleMs === undefined ? deliveries : Stream.timeout(deliveries, options.untilIdleMs)).pipe(
      Stream.groupedWithin(options.batchSize, options.batchWindowMs),
      // A batch in hand is finished (saved and acknowledged) even when the board is stopped.
      Stream.runForEach((batch) => Effect.uninterruptible(handle(batch)))
    )
    return yield* Ref.get(state)
  })
  return { run, current: Ref.get(state) } satisfies Follower
})

// ---------------------------------------------------------------------------------------------------------------
// The process

/** The board as printed: a table, or the JSON of `Board.summarize`. */
export const show = (board: Board.Board, flags: Pick<Flags, "json" | "province">): string =>
  flags.json ? JSON.stringify(Board.summarize(board, flags.province), null, 2) : Board.render(board, flags.province)

/** The whole program: follows, prints on an interval when asked, and prints once more when it ends or is stopped. */
export const program = Effect.fn("ProvincialBoard.program")(
  function* (flags: Flags) {
    const follower = yield* make(flags)
    const print = Effect.flatMap(follower.current, (board) => Console.log(show(board, flags)))
    if (flags.printEveryMs !== undefined) {
      yield* Effect.forkScoped(Effect.repeat(Effect.delay(print, flags.printEveryMs), Schedule.forever))
    }
    return yield* follower.run.pipe(
      Effect.onExit((exit) => (Exit.isSuccess(exit) || Exit.hasInterrupts(exit) ? print : Effect.void))
    )
  },
  Effect.scoped,
  (effect, flags) => Effect.provide(effect, Nats.layer({ servers: flags.nats, name: "lindung-provincial-board" }))
)

/** Logs go to stderr, so that stdout holds the board only (and `--json` prints JSON only). */
const logToStderr = Logger.layer([Logger.withConsoleError(Logger.formatLogFmt)])

if (import.meta.main) {
  const flags = parseFlags(process.argv.slice(2), process.env)
  if (Result.isFailure(flags)) {
    console.error(flags.failure.message)
    process.exitCode = 2
  } else if (flags.success.help) {
    console.log(usage)
  } else {
    const fiber = Effect.runFork(program(flags.success).pipe(Effect.provide(logToStderr)))
    // SIGINT and SIGTERM stop the board: the batch in hand is finished, and the board is printed once more.
    const stop = () => fiber.interruptUnsafe()
    process.once("SIGINT", stop)
    process.once("SIGTERM", stop)
    fiber.addObserver((exit) => {
      process.off("SIGINT", stop)
      process.off("SIGTERM", stop)
      if (Exit.isFailure(exit) && !Cause.hasInterruptsOnly(exit.cause)) {
        const error = Cause.squash(exit.cause)
        console.error(`provincial-board: ${error instanceof Error ? error.message : String(error)}`)
        process.exitCode = 1
      }
    })
  }
}
