/**
 * The storage conformance suite against the SQL store on a SQLite client without the adapter's direct path (as a
 * SQLite client made elsewhere would be): the append then runs statement by statement in `sql.withTransaction`.
 */
import { suite } from "@lindung/storage-testkit"
import { corrupt, outage, sqliteStore, tamper } from "./stores.js"

suite("SQL store on SQLite through a generic effect/sql client", () => sqliteStore("generic"), {
  tamper,
  corrupt,
  outage
})
