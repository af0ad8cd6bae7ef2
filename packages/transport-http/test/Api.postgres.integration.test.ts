/**
 * The end-to-end suite of the HTTP API over PostgreSQL: each test on a new schema, dropped afterwards.
 *
 * Needs `LINDUNG_PG_URL` (e.g. `postgres://postgres@127.0.0.1:5432/test`); skipped with that hint otherwise.
 */
import { IdentityKeys, SqlStorage } from "@lindung/storage-sql"
import { describeWith, postgres } from "@lindung/testing"
import { Context, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { securitySuite } from "./security.js"
import { apiSuite } from "./suite.js"

describeWith(postgres, "HTTP API over PostgreSQL", (url) => {
  const storage = () =>
    Layer.unwrap(
      Effect.gen(function* () {
        const schema = `lindung_http_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`
        const keyring = IdentityKeys.keyring(IdentityKeys.generate("test"))
        const admin = yield* Layer.build(SqlStorage.clientLayer({ dialect: "pg", url, keyring }).pipe(Layer.orDie))
        const sql = Context.get(admin, SqlClient.SqlClient)
        yield* Effect.addFinalizer(() => Effect.ignore(sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)))
        return SqlStorage.layerPg({ url, keyring, schema })
      })
    )
  apiSuite("end to end", storage)
  securitySuite("security", storage)
})
