import { randomBytes } from "node:crypto"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { fc, test as propTest } from "@fast-check/vitest"
import { IdentityVault, Subject } from "@lindung/core"
import { ConfigProvider, Effect, Layer, Redacted, Result } from "effect"
import { IdentityKeys, SqlStorage } from "../src/index.js"
import { identity } from "./fixtures.js"
import { temporaryDirectory } from "./stores.js"

const key32 = () => randomBytes(32).toString("base64")

const readWith = (env: Record<string, string>) =>
  SqlStorage.readConfig.pipe(Effect.provide(ConfigProvider.layer(ConfigProvider.fromEnvRecord(env))))

describe("SqlStorage.parseUrl", () => {
  it("postgres:// and postgresql:// URLs go to PostgreSQL; anything else is a SQLite file", () => {
    expect(SqlStorage.parseUrl("postgres://u@h:5432/db")).toEqual({ dialect: "pg", url: "postgres://u@h:5432/db" })
    expect(SqlStorage.parseUrl("PostgreSQL://h/db").dialect).toBe("pg")
    expect(SqlStorage.parseUrl("./data/lindung.db")).toEqual({ dialect: "sqlite", filename: "./data/lindung.db" })
    expect(SqlStorage.parseUrl("sqlite:./x.db")).toEqual({ dialect: "sqlite", filename: "./x.db" })
    expect(SqlStorage.parseUrl("sqlite:///var/lib/lindung.db")).toEqual({
      dialect: "sqlite",
      filename: "/var/lib/lindung.db"
    })
    expect(SqlStorage.parseUrl("sqlite::memory:")).toEqual({ dialect: "sqlite", filename: ":memory:" })
    expect(SqlStorage.parseUrl("")).toEqual({ dialect: "sqlite", filename: SqlStorage.DEFAULT_DATABASE })
  })
})

describe("SqlStorage.readConfig", () => {
  it.effect("defaults to ./lindung.db on SQLite with the development key file", () =>
    Effect.gen(function* () {
      expect(yield* readWith({})).toEqual({ dialect: "sqlite", filename: "./lindung.db" })
    })
  )

  it.effect("PostgreSQL without an identity key is refused with IdentityKeyMissing", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(readWith({ LINDUNG_DATABASE_URL: "postgres://postgres@127.0.0.1/test" }))
      expect(error).toBeInstanceOf(IdentityKeys.IdentityKeyMissing)
      expect(error.message).toMatch(/PostgreSQL.*LINDUNG_IDENTITY_KEY/s)
    })
  )

  it.effect("production without an identity key is refused, even on SQLite", () =>
    Effect.gen(function* () {
      for (const env of [{ NODE_ENV: "production" }, { LINDUNG_ENV: "Production" }]) {
        const error = yield* Effect.flip(readWith(env))
        expect(error._tag).toBe("IdentityKeyMissing")
        expect(error.message).toMatch(/production/)
      }
    })
  )

  it.effect("a key and old keys make a keyring; the URL, schema and key id are read", () =>
    Effect.gen(function* () {
      const current = key32()
      const old = `2025-01:${key32()},2024-07:${key32()}`
      const config = yield* readWith({
        LINDUNG_DATABASE_URL: "postgres://postgres@127.0.0.1/test",
        LINDUNG_DATABASE_SCHEMA: "lindung",
        LINDUNG_IDENTITY_KEY: current,
        LINDUNG_IDENTITY_KEY_ID: "2026-01",
        LINDUNG_IDENTITY_OLD_KEYS: old,
        NODE_ENV: "production"
      })
      if (config.dialect !== "pg") throw new Error("expected PostgreSQL")
      expect(Redacted.value(config.url as Redacted.Redacted<string>)).toBe("postgres://postgres@127.0.0.1/test")
      expect(config.schema).toBe("lindung")
      expect(config.keyring.current.id).toBe("2026-01")
      expect(IdentityKeys.toBase64(config.keyring.current)).toBe(current)
      expect(config.keyring.previous.map((k) => k.id)).toEqual(["2025-01", "2024-07"])
      // Printing the config never shows key material or the URL.
      expect(JSON.stringify(config)).not.toContain(current)
    })
  )

  it.effect("a malformed key is refused with a message that does not show it", () =>
    Effect.gen(function* () {
      const short = randomBytes(16).toString("base64")
      const tooShort = yield* Effect.flip(readWith({ LINDUNG_IDENTITY_KEY: short }))
      expect(tooShort).toMatchObject({ _tag: "InvalidIdentityKey", keyId: "default" })
      expect(tooShort.message).toMatch(/32 bytes, this one has 16/)
      expect(tooShort.message).not.toContain(short)
      const notBase64 = yield* Effect.flip(readWith({ LINDUNG_IDENTITY_KEY: "not base64 at all!" }))
      expect(notBase64.message).toMatch(/not base64/)
      const badOld = yield* Effect.flip(
        readWith({ LINDUNG_IDENTITY_KEY: key32(), LINDUNG_IDENTITY_OLD_KEYS: "nocolon" })
      )
      expect(badOld.message).toMatch(/id:base64/)
      const duplicate = yield* Effect.flip(
        readWith({
          LINDUNG_IDENTITY_KEY: key32(),
          LINDUNG_IDENTITY_KEY_ID: "k",
          LINDUNG_IDENTITY_OLD_KEYS: `k:${key32()}`
        })
      )
      expect(duplicate.message).toMatch(/two keys/)
      const badId = yield* Effect.flip(readWith({ LINDUNG_IDENTITY_KEY: key32(), LINDUNG_IDENTITY_KEY_ID: "a b" }))
      expect(badId.message).toMatch(/key id/)
    })
  )

  it.effect("layerConfig builds a working store from the environment", () =>
    Effect.gen(function* () {
      const directory = yield* temporaryDirectory
      const env = {
        LINDUNG_DATABASE_URL: `sqlite:${join(directory, "configured.db")}`,
        LINDUNG_IDENTITY_KEY: key32(),
        LINDUNG_IDENTITY_KEY_ID: "configured"
      }
      const subject = Subject.SubjectId.make("subject-config")
      const layer = SqlStorage.layerConfig.pipe(Layer.provide(ConfigProvider.layer(ConfigProvider.fromEnvRecord(env))))
      const got = yield* Effect.scoped(
        Effect.gen(function* () {
          const vault = yield* IdentityVault.IdentityVault
          yield* vault.put(subject, identity("Configured Person"))
          return yield* vault.get(subject)
        }).pipe(Effect.provide(layer))
      )
      expect(Redacted.value(got.name)).toBe("Configured Person")
    }).pipe(Effect.scoped)
  )
})

describe("IdentityKeys", () => {
  const ring = IdentityKeys.keyring(IdentityKeys.generate("k1"))

  propTest.prop([fc.string({ maxLength: 200 }), fc.string({ minLength: 1, maxLength: 100 })])(
    "seal then open returns the plaintext; a fresh IV every time",
    (plaintext, subject) => {
      const a = IdentityKeys.seal(ring, subject, plaintext)
      const b = IdentityKeys.seal(ring, subject, plaintext)
      expect(Buffer.from(a.iv).equals(Buffer.from(b.iv))).toBe(false)
      expect(IdentityKeys.open(ring, subject, a)).toEqual(Result.succeed(plaintext))
    }
  )

  it("a changed byte, another subject, a truncated tag or an unknown key id does not open", () => {
    const sealed = IdentityKeys.seal(ring, "subject-1", "Siti")
    const flipped = Uint8Array.from(sealed.ciphertext)
    flipped[0] = (flipped[0] as number) ^ 1
    expect(IdentityKeys.open(ring, "subject-1", { ...sealed, ciphertext: flipped })).toEqual(
      Result.fail("authentication-failed")
    )
    expect(IdentityKeys.open(ring, "subject-2", sealed)).toEqual(Result.fail("authentication-failed"))
    expect(IdentityKeys.open(ring, "subject-1", { ...sealed, tag: sealed.tag.slice(0, 4) })).toEqual(
      Result.fail("authentication-failed")
    )
    expect(IdentityKeys.open(ring, "subject-1", { ...sealed, keyId: "k9" })).toEqual(Result.fail("unknown-key"))
    // The same id on another key (a mistaken configuration) fails authentication, never returns garbage.
    const other = IdentityKeys.keyring(IdentityKeys.generate("k1"))
    expect(IdentityKeys.open(other, "subject-1", sealed)).toEqual(Result.fail("authentication-failed"))
  })

  it("old keys of the ring still open; new seals use the current key", () => {
    const old = IdentityKeys.generate("2025")
    const sealed = IdentityKeys.seal(IdentityKeys.keyring(old), "s", "x")
    const rotated = IdentityKeys.keyring(IdentityKeys.generate("2026"), old)
    expect(IdentityKeys.open(rotated, "s", sealed)).toEqual(Result.succeed("x"))
    expect(IdentityKeys.seal(rotated, "s", "x").keyId).toBe("2026")
  })

  it("keys print redacted", () => {
    const key = IdentityKeys.generate("printed")
    expect(String(key.material)).not.toContain(IdentityKeys.toBase64(key))
    expect(JSON.stringify(key)).not.toContain(IdentityKeys.toBase64(key))
    expect(
      IdentityKeys.fromBase64Sync("u", IdentityKeys.toBase64(key).replace(/\+/g, "-").replace(/\//g, "_")).id
    ).toBe("u")
  })
})
