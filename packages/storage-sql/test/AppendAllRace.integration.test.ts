/**
 * PostgreSQL: `appendAll` racing an append that holds the same idempotency key, uncommitted, on another case. The
 * call waits on the key's row; once the other commits, it is refused as `IdempotencyKeyReused` — never a storage
 * outage — and nothing of it is written (found by an audit: it answered `StorageUnavailable`, SQLSTATE 23505).
 */
import { expect, it } from "@effect/vitest"
import { CaseModel, EventStore } from "@lindung/core"
import { describeWith, postgres } from "@lindung/testing"
import { Context, Deferred, Effect, Fiber, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { SqlStorage } from "../src/index.js"
import * as AppendPlan from "../src/internal/AppendPlan.js"
import * as PgAppend from "../src/internal/PgAppend.js"
import { register } from "./fixtures.js"
import { adminClient, testKeyring, uniqueSchema } from "./stores.js"

describeWith(postgres, "appendAll racing an append of the same key (PostgreSQL)", (url) => {
  it.live(
    "is refused as IdempotencyKeyReused once the other commits, and writes nothing",
    () =>
      Effect.gen(function* () {
        const schema = uniqueSchema("lindung_race")
        const admin = yield* adminClient(url)
        yield* Effect.addFinalizer(() => Effect.ignore(admin.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)))
        const context = yield* Layer.build(
          SqlStorage.layerFromClient({ keyring: testKeyring() }).pipe(
            Layer.provideMerge(
              SqlStorage.clientLayer({ dialect: "pg", url, schema, keyring: testKeyring(), maxConnections: 4 })
            ),
            Layer.orDie
          )
        )
        const store = Context.get(context, EventStore.EventStore)
        const client = Context.get(context, SqlClient.SqlClient)
        const idempotency = { key: "same-key", fingerprint: "fingerprint-a" }
        const first = { ...register("case-a").request, idempotency }
        const second = { ...register("case-b").request, idempotency: { ...idempotency, fingerprint: "fingerprint-b" } }
        const written = yield* Deferred.make<void>()
        const commit = yield* Deferred.make<void>()
        // Another writer appends case-a with the key and holds its transaction open.
        const holder = yield* Effect.forkChild(
          client.withTransaction(
            Effect.gen(function* () {
              yield* client`SELECT lindung_append(${PgAppend.requestJson(AppendPlan.make(first))}::jsonb)`
              yield* Deferred.succeed(written, undefined)
              yield* Deferred.await(commit)
            })
          )
        )
        yield* Deferred.await(written)
        const racing = yield* Effect.forkChild(Effect.flip(store.appendAll([second])))
        // Let the call reach the key's row and wait on it, then commit the other writer.
        yield* Effect.sleep("300 millis")
        yield* Deferred.succeed(commit, undefined)
        yield* Fiber.join(holder)
        const refused = yield* Fiber.join(racing)
        expect(refused._tag).toBe("IdempotencyKeyReused")
        expect(yield* store.load(CaseModel.CaseId.make("case-b"))).toEqual([])
        expect((yield* store.load(CaseModel.CaseId.make("case-a"))).length).toBe(first.events.length)
      }).pipe(Effect.scoped),
    60_000
  )
})
