/**
 * The seed stories of docs/domain.md §8 over HTTP: every step is sent by its actor with the typed client — reports
 * with their fictional identity through `POST /cases`, every other command through `POST /cases/{id}/commands` —
 * while the server's clock is moved to each step's instant, so the stories run on their own dates. Each case ends
 * in the story's final stage, and no identity appears in a view or a history.
 */
import { assert, describe, it } from "@effect/vitest"
import { Actor, Agency, type CaseCommand, Directory, Person } from "@lindung/core"
import { Agencies, People, Runner, Stories } from "@lindung/seeds"
import { layerMemory } from "@lindung/storage-memory"
import { layerSqlite } from "@lindung/storage-sql"
import { Effect, Result, Schema } from "effect"
import { TestClock } from "effect/testing"
import { Api, Client } from "../src/index.js"
import { serve, tokenFor } from "./harness.js"

/** A national auditor: reads every case and its history, never identity. */
const auditor = Actor.make({ id: "auditor-national", role: "auditor", agency: "kemensos-itjen", region: "ID" })

/** The stories' directory, with the national auditor and its inspectorate. */
const itjen = Agency.make({
  id: "kemensos-itjen",
  kind: "inspectorate",
  name: "Inspektorat Jenderal Kemensos",
  region: "ID"
})
const directory = Result.getOrThrow(
  Directory.make(
    [...Agencies.all, itjen],
    [...People.memberships, Person.make({ id: auditor.id, role: auditor.role, agency: auditor.agency })]
  )
)

/** Sends one command over HTTP as `actor`; a report goes to `POST /cases` with the story's fictional identity. */
const sendOver =
  (client: Client.Client, story: Stories.Story, tokens: Map<string, string>) =>
  (command: CaseCommand.Command, actor: Actor.Actor) =>
    Effect.gen(function* () {
      const cached = tokens.get(actor.id)
      const bearer = cached ?? (yield* tokenFor(actor, "1h"))
      tokens.set(actor.id, bearer)
      const as = Client.withToken(bearer)
      if (command._tag === "RegisterReport") {
        const identity = story.identities.find((i) => i.caseId === command.caseId)?.identity
        // The server mints the subject id of a new subject; a story's own ids are for bulk migration only.
        const { _tag, subject: _subject, ...fields } = command
        const payload: Api.RegisterRequest = {
          ...fields,
          ...(identity === undefined
            ? {}
            : { identity: Schema.decodeUnknownSync(Api.RegisterRequest.fields.identity)(identity) })
        }
        return yield* as(
          client.cases.register({ headers: { "idempotency-key": `${story.id}/${command.caseId}` }, payload })
        )
      }
      return yield* as(client.cases.command({ params: { caseId: command.caseId }, headers: {}, payload: command }))
    })

const runOverHttp = (story: Stories.Story) =>
  Effect.gen(function* () {
    const client = yield* Client.make()
    const report = yield* Runner.run(story, sendOver(client, story, new Map()), {
      clock: "caller",
      onStep: ({ at }) => TestClock.setTime(Date.parse(at))
    })
    assert.strictEqual(report.steps, story.steps.length)
    const as = Client.withToken(yield* tokenFor(auditor, "1h"))
    for (const expected of story.cases) {
      const caseId = expected.caseId as Api.CaseView["caseId"]
      const view = yield* as(client.cases.get({ params: { caseId } }))
      assert.strictEqual(view.summary.stage, expected.finalStage, `${story.id} ${expected.caseId}`)
      assert.strictEqual(view.identity, "hidden")
      const history = yield* as(client.cases.history({ params: { caseId } }))
      assert.strictEqual(history.events.length, view.summary.version)
      const text = JSON.stringify(view) + JSON.stringify(history)
      assert.notInclude(text, "contoh fiktif", `${story.id} ${expected.caseId}`)
    }
  })

describe("seed stories over HTTP", () => {
  for (const story of Stories.all) {
    it.effect(`${story.id}: every step over HTTP, each case in its final stage`, () =>
      runOverHttp(story).pipe(Effect.provide(serve(layerMemory, { directory })))
    )
  }
  it.effect("002-balikpapan over SQLite", () =>
    runOverHttp(Stories.balikpapan).pipe(Effect.provide(serve(layerSqlite({ filename: ":memory:" }), { directory })))
  )
})
