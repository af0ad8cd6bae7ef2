/**
 * The generated client against a real server: the Lindung HTTP API served on a free port (in this process, on the
 * in-memory store, with the seed stories' directory), called only through `fetch` and the types generated from
 * docs/openapi.json. And the types are what the generator gives today (no drift).
 */
import { execFile } from "node:child_process"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { promisify } from "node:util"
import { People } from "@lindung/seeds"
import { layerMemory } from "@lindung/storage-memory"
import { Auth, Server } from "@lindung/transport-http"
import { Deferred, Effect, Fiber, Layer } from "effect"
import openapiTS, { astToString } from "openapi-typescript"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { client } from "../src/client.ts"

const root = join(import.meta.dirname, "..", "..", "..")
const auth: Auth.Config = {
  issuer: "lindung",
  audience: "lindung",
  keys: Auth.secret("a-development-secret-of-32-bytes!!")
}
let base = ""
let server: Fiber.Fiber<unknown, unknown> | undefined

beforeAll(async () => {
  const port = Effect.runSync(Deferred.make<number>())
  server = Effect.runFork(
    Layer.launch(
      Server.layerNode(
        { directory: People.directory, auth, docs: false, requestLog: false },
        { port: 0, logFormat: "none", onListen: ({ port: bound }) => Deferred.succeed(port, bound) }
      ).pipe(Layer.provide(layerMemory))
    )
  )
  base = `http://127.0.0.1:${await Effect.runPromise(Deferred.await(port))}`
})

afterAll(async () => {
  if (server !== undefined) await Effect.runPromise(Fiber.interrupt(server))
})

const as = async (person: string) =>
  client(base, await Effect.runPromise(Auth.sign(auth, People.get(person as People.Id), { expiresIn: "10m" })))

describe("a client generated from the OpenAPI document", () => {
  it("registers a report, sends commands, reads the case, and gets a refusal as a typed problem", async () => {
    const registered = await (await as("intake-dinsos-padang-1")).register(
      {
        caseId: "kasus-klien-lain-1",
        sex: "female",
        ageAtReport: 10,
        region: "13.71",
        owner: "dinsos-13.71",
        source: "school",
        concerns: ["out-of-school"]
      },
      "klien-lain-laporan-1"
    )
    expect(registered.ok, JSON.stringify(registered)).toBe(true)
    const kasi = await as("kasi-rehsos-padang")
    const assigned = await kasi.send("kasus-klien-lain-1", {
      _tag: "AssignCaseworker",
      caseId: "kasus-klien-lain-1",
      caseworker: "sakti-peksos-padang-1"
    })
    expect(assigned.ok && assigned.body.events.map((e) => e.type)).toEqual(["CaseworkerAssigned"])
    const worker = await as("sakti-peksos-padang-1")
    const started = await worker.send(
      "kasus-klien-lain-1",
      { _tag: "StartOutreach", caseId: "kasus-klien-lain-1" },
      { ifMatch: 2 }
    )
    expect(started.ok && started.body.stage).toBe("outreach")
    // Closing a case in outreach: refused by the stage rule, as an RFC 9457 problem naming it.
    const refused = await worker.send("kasus-klien-lain-1", {
      _tag: "CloseCase",
      caseId: "kasus-klien-lain-1",
      reason: "Terlalu dini"
    })
    expect(refused.ok).toBe(false)
    expect(refused.status).toBe(422)
    const problem = refused.ok ? undefined : refused.problem
    expect(problem?.type).toBe("urn:lindung:problem:sop-violation")
    expect(problem !== undefined && "rule" in problem ? problem.rule : undefined).toBe("SOP-STAGE")
    const read = await kasi.read("kasus-klien-lain-1")
    expect(read.ok && [read.body.caseId, read.body.summary.stage, read.body.summary.version]).toEqual([
      "kasus-klien-lain-1",
      "outreach",
      3
    ])
  })

  it("is typed by what openapi-typescript generates from docs/openapi.json today (npm run generate)", async () => {
    const spec = JSON.parse(readFileSync(join(root, "docs", "openapi.json"), "utf8"))
    const generated = astToString(await openapiTS(spec))
    const committed = readFileSync(join(import.meta.dirname, "..", "src", "api.d.ts"), "utf8")
    // The command line adds its header; the declarations are the same.
    expect(committed.slice(-generated.length)).toBe(generated)
  }, 60_000)

  it("reads a case when run as a program (node src/main.ts), and says the problem of a bad token", async () => {
    const intake = await as("intake-dinsos-padang-1")
    const registered = await intake.register(
      {
        caseId: "kasus-program-1",
        sex: "male",
        ageAtReport: 9,
        region: "13.71",
        owner: "dinsos-13.71",
        source: "school",
        concerns: ["out-of-school"]
      },
      "program-laporan-1"
    )
    expect(registered.ok, JSON.stringify(registered)).toBe(true)
    const token = await Effect.runPromise(
      Auth.sign(auth, People.get("kasi-rehsos-padang" as People.Id), { expiresIn: "10m" })
    )
    const main = join(import.meta.dirname, "..", "src", "main.ts")
    const run = (environment: Record<string, string>) =>
      promisify(execFile)(process.execPath, [main, "kasus-program-1"], {
        env: { ...process.env, LINDUNG_URL: base, ...environment },
        timeout: 60_000
      })
    const read = await run({ LINDUNG_TOKEN: token })
    expect(read.stdout.trim()).toBe("kasus-program-1: stage reported, version 1")
    const refused = await run({ LINDUNG_TOKEN: "not-a-token" }).then(
      () => undefined,
      (error: { code?: number; stdout?: string }) => error
    )
    expect(refused?.code).toBe(1)
    expect(refused?.stdout).toMatch(/^HTTP 401: \{.*"type":"urn:lindung:problem:unauthorized"/)
  }, 90_000)
})
