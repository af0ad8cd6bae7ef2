/**
 * `SqlStorage.holdsStore`: whether a database holds a store, read without creating or migrating anything (what the
 * CLI's read-only commands check first). SQLite here; PostgreSQL when `LINDUNG_PG_URL` is set.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describeWith, postgres } from "@lindung/testing"
import { Effect, Exit, Layer, Redacted } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { IdentityKeys, SqlStorage } from "../src/index.js"
import { adminClient, uniqueSchema } from "./stores.js"

const keyring = IdentityKeys.keyring(IdentityKeys.generate("test"))

describe("SqlStorage.holdsStore on SQLite", () => {
  const dir = mkdtempSync(join(tmpdir(), "lindung-holds-"))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it("says no for a missing file (and does not create it), an empty file and another database; yes for a store", async () => {
    const holds = (filename: string) => Effect.runPromise(SqlStorage.holdsStore({ dialect: "sqlite", filename }))
    const missing = join(dir, "missing.db")
    expect(await holds(missing)).toBe(false)
    expect(existsSync(missing)).toBe(false)
    writeFileSync(join(dir, "empty.db"), "")
    expect(await holds(join(dir, "empty.db"))).toBe(false)
    expect(readFileSync(join(dir, "empty.db"), "utf8")).toBe("")
    expect(await holds(":memory:")).toBe(false)
    const store = join(dir, "store.db")
    await Effect.runPromise(
      Layer.build(SqlStorage.layer({ dialect: "sqlite", filename: store, keyring })).pipe(Effect.scoped)
    )
    expect(await holds(store)).toBe(true)
    expect(await holds(`file:${store}`)).toBe(true)
  })
})

describeWith(postgres, "SqlStorage.holdsStore on PostgreSQL", (url) => {
  it("says no for a schema without a store (and does not create it), yes for a store; refuses a bad schema name", async () => {
    const schema = uniqueSchema("lindung_holds")
    const holds = (name: string | undefined) =>
      Effect.runPromise(SqlStorage.holdsStore({ dialect: "pg", url: Redacted.make(url), schema: name }))
    const schemaExists = (name: string) =>
      Effect.runPromise(
        Effect.scoped(
          Effect.flatMap(adminClient(url), (client) => client`SELECT 1 FROM pg_namespace WHERE nspname = ${name}`)
        ).pipe(Effect.orDie)
      )
    try {
      expect(await holds(schema)).toBe(false)
      expect(await schemaExists(schema)).toEqual([])
      await Effect.runPromise(
        Layer.build(SqlStorage.layer({ dialect: "pg", url: Redacted.make(url), schema, keyring })).pipe(Effect.scoped)
      )
      expect(await holds(schema)).toBe(true)
      const bad = await Effect.runPromiseExit(
        SqlStorage.holdsStore({ dialect: "pg", url: Redacted.make(url), schema: "Not-A-Schema" })
      )
      expect(Exit.isFailure(bad)).toBe(true)
      expect(JSON.stringify(bad)).toContain("is not allowed")
    } finally {
      await Effect.runPromise(
        Effect.scoped(
          Effect.flatMap(adminClient(url), (client) => client.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`))
        )
      ).catch(() => undefined)
    }
  })
})
