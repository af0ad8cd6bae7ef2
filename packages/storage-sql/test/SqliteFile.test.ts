/**
 * The storage conformance suite against the SQL store on a SQLite file (WAL, busy timeout, foreign keys), exactly
 * as a third-party adapter runs it: a new temporary file for every test, removed afterwards, and the damage hooks
 * in plain SQL.
 */
import { suite } from "@lindung/storage-testkit"
import { corrupt, outage, sqliteStore, tamper } from "./stores.js"

suite("SQL store on a SQLite file", () => sqliteStore("file"), { tamper, corrupt, outage })
