/**
 * The storage conformance suite against the SQL store on an in-memory SQLite database, exactly as a third-party
 * adapter runs it: a fresh database for every test, and the damage hooks in plain SQL.
 */
import { suite } from "@lindung/storage-testkit"
import { corrupt, outage, sqliteStore, tamper } from "./stores.js"

suite("SQL store on SQLite :memory:", () => sqliteStore("memory"), { tamper, corrupt, outage })
