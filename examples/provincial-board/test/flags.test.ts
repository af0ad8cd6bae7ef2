/** The process's flags: defaults, the environment, and the errors for what is not a flag's value. */
import { Relay, Subjects } from "@lindung/transport-nats"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import { defaults, parseFlags, parseTime } from "../src/main.ts"

const flags = (argv: ReadonlyArray<string>, env: Record<string, string> = {}) => {
  const result = parseFlags(argv, env)
  if (Result.isFailure(result)) throw result.failure
  return result.success
}

const refusal = (argv: ReadonlyArray<string>): string => {
  const result = parseFlags(argv)
  return Result.isFailure(result) ? result.failure.message : "accepted"
}

describe("the flags", () => {
  it("default to every province of the default stream, followed forever", () => {
    expect(flags([])).toEqual({
      nats: defaults.nats,
      stream: Relay.DEFAULT_STREAM,
      prefix: Subjects.DEFAULT_PREFIX,
      durable: "provincial-board",
      file: "./provincial-board.json",
      batchSize: defaults.batchSize,
      batchWindowMs: defaults.batchWindowMs,
      json: false,
      help: false
    })
  })

  it("take the stream and the subject prefix from their flags, else the variables lindung relay reads", () => {
    const env = { LINDUNG_NATS_STREAM: "DINSOS_13", LINDUNG_NATS_SUBJECT_PREFIX: "sumbar.case" }
    expect(flags([], env)).toMatchObject({ stream: "DINSOS_13", prefix: "sumbar.case" })
    expect(flags(["--stream", "S", "--subject-prefix", "p.case"], env)).toMatchObject({ stream: "S", prefix: "p.case" })
  })

  it("take the server from --nats, else LINDUNG_NATS_URL", () => {
    expect(flags([], { LINDUNG_NATS_URL: "nats://nats.dinsos:4222" }).nats).toBe("nats://nats.dinsos:4222")
    expect(flags(["--nats", "nats://other:4222"], { LINDUNG_NATS_URL: "nats://nats.dinsos:4222" }).nats).toBe(
      "nats://other:4222"
    )
  })

  it("read a province, the idle modes and the print interval", () => {
    const read = flags(["--province", "13", "--once", "--json", "--print-every", "5s", "--durable", "sumbar"])
    expect(read).toMatchObject({ province: "13", untilIdleMs: defaults.onceIdleMs, json: true, printEveryMs: 5_000 })
    expect(read.durable).toBe("sumbar")
    expect(flags(["--until-idle", "750"]).untilIdleMs).toBe(750)
    expect(flags(["--province", "13.71"]).province).toBe("13.71")
  })

  it("refuse what is not a value of theirs", () => {
    expect(refusal(["--province", "1371"])).toMatch(/Invalid region code "1371"/)
    expect(refusal(["--province", "13.71.05"])).toMatch(/a province \(13\) or a kab\/kota \(13\.71\)/)
    expect(refusal(["--until-idle", "soon"])).toMatch(/--until-idle takes a whole number/)
    expect(refusal(["--batch", "0"])).toMatch(/--batch takes a whole number of at least 1/)
    expect(refusal(["--print-every", "5 minutes"])).toMatch(/not a time such as 500ms/)
    expect(refusal(["--bogus"])).toMatch(/Unknown option '--bogus'[\s\S]*Usage:/)
  })

  it("read times with a unit, or milliseconds", () => {
    expect(parseTime("500ms")).toEqual(Result.succeed(500))
    expect(parseTime("5s")).toEqual(Result.succeed(5_000))
    expect(parseTime("2m")).toEqual(Result.succeed(120_000))
    expect(parseTime("250")).toEqual(Result.succeed(250))
    expect(Result.isFailure(parseTime("0s"))).toBe(true)
  })
})
