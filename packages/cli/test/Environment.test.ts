/** How `lindung` reads its NATS settings: credentials taken out of the URLs (never printed), names and prefixes. */
import { Actor } from "@lindung/core"
import { Auth } from "@lindung/transport-http"
import { Effect, Exit } from "effect"
import { describe, expect, it } from "vitest"
import * as Environment from "../src/Environment.js"

describe("NATS settings", () => {
  it("takes user and password (or a token) out of the URLs and prints the servers without them", async () => {
    const options = await Effect.runPromise(
      Environment.natsOptions("nats://relay:p%40ss@nats-1:4222, nats-2:4222", "test")
    )
    expect(options).toEqual({
      servers: ["nats://nats-1:4222", "nats://nats-2:4222"],
      name: "test",
      user: "relay",
      pass: "p@ss"
    })
    expect(Environment.describeNats(options)).toBe("nats://nats-1:4222,nats://nats-2:4222 (with credentials)")
    expect(Environment.describeNats(options)).not.toContain("p@ss")
    const token = await Effect.runPromise(Environment.natsOptions("nats://s3cret@127.0.0.1:4222", "test"))
    expect(token).toMatchObject({ servers: ["nats://127.0.0.1:4222"], token: "s3cret" })
    expect(Environment.describeNats(token)).not.toContain("s3cret")
  })

  it("refuses prefixes whose event stream would take in the command subjects", async () => {
    const good = await Effect.runPromise(Environment.natsNames("S", "dinsos.case"))
    expect(good).toMatchObject({ stream: "S", prefix: "dinsos.case", apiPrefix: "lindung.api" })
    expect(Exit.isFailure(await Effect.runPromiseExit(Environment.natsNames(undefined, "lindung")))).toBe(true)
    expect(Exit.isFailure(await Effect.runPromiseExit(Environment.natsNames(undefined, "a.*")))).toBe(true)
  })
})

describe("LINDUNG_NATS_JWT_AUDIENCE", () => {
  it("gives tokens over NATS an audience of their own, so that one seen on the API subjects is refused over HTTP", async () => {
    const http = { issuer: "lindung", audience: "lindung", keys: Auth.secret("a-development-secret-of-32-bytes!!") }
    const before = process.env.LINDUNG_NATS_JWT_AUDIENCE
    try {
      delete process.env.LINDUNG_NATS_JWT_AUDIENCE
      expect(Environment.natsAuth(http)).toBe(http)
      process.env.LINDUNG_NATS_JWT_AUDIENCE = "lindung-nats"
      const nats = Environment.natsAuth(http)
      expect(nats).toEqual({ ...http, audience: "lindung-nats" })
      const actor = Actor.make({ id: "kasi-padang", role: "supervisor", agency: "dinsos-13.71", region: "13.71" })
      const overNats = await Effect.runPromise(Auth.sign(nats, actor, { expiresIn: "1h" }))
      const overHttp = await Effect.runPromise(Auth.sign(http, actor, { expiresIn: "1h" }))
      const [natsVerifier, httpVerifier] = await Effect.runPromise(
        Effect.all([Auth.makeVerifier(nats), Auth.makeVerifier(http)])
      )
      const verify = (verifier: typeof natsVerifier, token: string) => Effect.runPromiseExit(verifier.verify(token))
      expect(Exit.isSuccess(await verify(natsVerifier, overNats))).toBe(true)
      expect(Exit.isSuccess(await verify(httpVerifier, overHttp))).toBe(true)
      expect(Exit.isFailure(await verify(httpVerifier, overNats))).toBe(true)
      expect(Exit.isFailure(await verify(natsVerifier, overHttp))).toBe(true)
    } finally {
      if (before === undefined) delete process.env.LINDUNG_NATS_JWT_AUDIENCE
      else process.env.LINDUNG_NATS_JWT_AUDIENCE = before
    }
  })
})

describe("LINDUNG_ENV", () => {
  it("is production or development in any case, or unset; anything else says what to set", () => {
    for (const value of [undefined, "production", "development", "Production", " DEVELOPMENT "]) {
      expect(Environment.modeProblem(value), String(value)).toBeUndefined()
    }
    for (const value of ["prod", "producton", "dev", "staging", "test"]) {
      expect(Environment.modeProblem(value), value).toMatch(/set it to production or development/)
    }
  })
})
