/**
 * The keys that encrypt identities at rest: AES-256-GCM (`node:crypto`) with a 32-byte key from configuration, a
 * fresh 12-byte IV per write, and the key's id stored with every ciphertext. A {@link Keyring} holds the current
 * key (used for every write) and older keys (still accepted for reading), so keys rotate without downtime: add
 * the new key as current, keep the old one in `previous`, re-encrypt (`SqlStorage.reencryptIdentities`), then drop
 * the old key.
 *
 * The subject id and the key id are bound to each ciphertext as additional authenticated data, so a ciphertext
 * copied to another subject's row does not decrypt. Key material lives in `Redacted` values and never appears in
 * an error, a log or a message.
 *
 * @example
 * ```ts
 * import { IdentityKeys } from "@lindung/storage-sql"
 *
 * const keyring = IdentityKeys.keyring(IdentityKeys.fromBase64Sync("2026-01", process.env.KEY!))
 * ```
 *
 * @since 0.1.0
 */

import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto"
import { Redacted, Result, Schema } from "effect"

/** The bytes of an AES-256 key. */
export const KEY_BYTES = 32

/** The bytes of a GCM initialisation vector (the size GCM is defined for). */
export const IV_BYTES = 12

/** The bytes of the GCM authentication tag: the full 16, never a truncated tag. */
export const TAG_BYTES = 16

/** A named AES-256 key. */
export interface Key {
  /** Stored with every ciphertext; 1–64 characters of letters, digits, `.`, `_` and `-`. */
  readonly id: string
  readonly material: Redacted.Redacted<Uint8Array>
}

/** The current key (every write) and older keys (reads only). */
export interface Keyring {
  readonly current: Key
  readonly previous: ReadonlyArray<Key>
}

/** A key given in configuration is unusable; says why without showing it. */
export class InvalidIdentityKey extends Schema.TaggedError<InvalidIdentityKey>()("InvalidIdentityKey", {
  keyId: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `Identity key ${JSON.stringify(this.keyId)} is unusable: ${this.reason}`
  }
}

/** No identity key was configured where one is required (PostgreSQL, or production). */
export class IdentityKeyMissing extends Schema.TaggedError<IdentityKeyMissing>()("IdentityKeyMissing", {
  reason: Schema.String
}) {
  override get message(): string {
    return `No identity encryption key is configured: ${this.reason}. Set LINDUNG_IDENTITY_KEY to 32 random bytes in base64 (e.g. \`openssl rand -base64 32\`) and LINDUNG_IDENTITY_KEY_ID to a name for it`
  }
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/

/** Checks a key id. */
export const checkKeyId = (id: string): Result.Result<string, InvalidIdentityKey> =>
  KEY_ID.test(id)
    ? Result.succeed(id)
    : Result.fail(
        new InvalidIdentityKey({
          // Never the text itself: a key written where its id belongs would be printed.
          keyId: `(an invalid id of ${id.length} characters)`,
          reason: "a key id has 1 to 64 characters: letters, digits, '.', '_' or '-'"
        })
      )

/** A key from its id and raw bytes (exactly 32). */
export const fromBytes = (id: string, bytes: Uint8Array): Result.Result<Key, InvalidIdentityKey> =>
  Result.flatMap(checkKeyId(id), (keyId) =>
    bytes.length === KEY_BYTES
      ? Result.succeed({
          id: keyId,
          material: Redacted.make(Uint8Array.from(bytes), { label: `identity key ${keyId}` })
        })
      : Result.fail(
          new InvalidIdentityKey({
            keyId,
            reason: `an AES-256 key has ${KEY_BYTES} bytes, this one has ${bytes.length}`
          })
        )
  )

/** A key from its id and base64 text (standard or URL-safe alphabet, padding optional). */
export const fromBase64 = (id: string, base64: string): Result.Result<Key, InvalidIdentityKey> => {
  const text = base64.trim()
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) {
    return Result.fail(new InvalidIdentityKey({ keyId: id.slice(0, 64), reason: "the key is not base64 text" }))
  }
  return fromBytes(id, Buffer.from(text.replace(/-/g, "+").replace(/_/g, "/"), "base64"))
}

/** Like {@link fromBase64}, but throws the {@link InvalidIdentityKey}. For tests and scripts. */
export const fromBase64Sync = (id: string, base64: string): Key => {
  const result = fromBase64(id, base64)
  if (Result.isFailure(result)) throw result.failure
  return result.success
}

/** A new random key (for tests, `:memory:` databases and the development key file). */
export const generate = (id: string): Key => {
  const result = fromBytes(id, randomBytes(KEY_BYTES))
  if (Result.isFailure(result)) throw result.failure
  return result.success
}

/** The base64 text of a key, to write it to a secret store. */
export const toBase64 = (key: Key): string => Buffer.from(Redacted.value(key.material)).toString("base64")

/** A keyring; fails when two keys share an id. */
export const makeKeyring = (
  current: Key,
  previous: ReadonlyArray<Key> = []
): Result.Result<Keyring, InvalidIdentityKey> => {
  const seen = new Set<string>()
  for (const key of [current, ...previous]) {
    if (seen.has(key.id)) {
      return Result.fail(new InvalidIdentityKey({ keyId: key.id, reason: "two keys of the keyring have this id" }))
    }
    seen.add(key.id)
  }
  return Result.succeed({ current, previous })
}

/** Like {@link makeKeyring}, but throws. */
export const keyring = (current: Key, ...previous: ReadonlyArray<Key>): Keyring => {
  const result = makeKeyring(current, previous)
  if (Result.isFailure(result)) throw result.failure
  return result.success
}

/**
 * Parses the old keys of a keyring from one configuration value: `id:base64` pairs separated by commas or
 * whitespace (e.g. `LINDUNG_IDENTITY_OLD_KEYS=2025-01:AbC...=,2025-07:XyZ...=`).
 */
export const parseKeyList = (text: string): Result.Result<ReadonlyArray<Key>, InvalidIdentityKey> => {
  const keys: Array<Key> = []
  for (const item of text.split(/[\s,]+/).filter((part) => part.length > 0)) {
    const colon = item.indexOf(":")
    if (colon <= 0) {
      return Result.fail(
        new InvalidIdentityKey({ keyId: "?", reason: "an old key is written id:base64 (e.g. 2025-01:AbC...=)" })
      )
    }
    const key = fromBase64(item.slice(0, colon), item.slice(colon + 1))
    if (Result.isFailure(key)) return Result.fail(key.failure)
    keys.push(key.success)
  }
  return Result.succeed(keys)
}

/** What is stored for one identity. */
export interface Sealed {
  readonly keyId: string
  readonly iv: Uint8Array
  readonly tag: Uint8Array
  readonly ciphertext: Uint8Array
}

const aad = (subject: string, keyId: string): Buffer => Buffer.from(`lindung-identity:v1\u0000${subject}\u0000${keyId}`)

/** Encrypts a plaintext for a subject with the keyring's current key. */
export const seal = (ring: Keyring, subject: string, plaintext: string): Sealed => {
  const key = ring.current
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv("aes-256-gcm", Redacted.value(key.material), iv, { authTagLength: TAG_BYTES })
  cipher.setAAD(aad(subject, key.id))
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()])
  return { keyId: key.id, iv, tag: cipher.getAuthTag(), ciphertext }
}

/** Why a stored identity does not open; never includes key material or plaintext. */
export type OpenFailure = "unknown-key" | "authentication-failed"

/** Decrypts a stored identity with the key of its key id. */
export const open = (ring: Keyring, subject: string, sealed: Sealed): Result.Result<string, OpenFailure> => {
  const key = ring.current.id === sealed.keyId ? ring.current : ring.previous.find((k) => k.id === sealed.keyId)
  if (key === undefined) return Result.fail("unknown-key")
  if (sealed.iv.length !== IV_BYTES || sealed.tag.length !== TAG_BYTES) return Result.fail("authentication-failed")
  try {
    const decipher = createDecipheriv("aes-256-gcm", Redacted.value(key.material), sealed.iv, {
      authTagLength: TAG_BYTES
    })
    decipher.setAAD(aad(subject, key.id))
    decipher.setAuthTag(sealed.tag)
    return Result.succeed(Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString("utf8"))
  } catch {
    return Result.fail("authentication-failed")
  }
}
