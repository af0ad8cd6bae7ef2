/**
 * The integrity chain of a case's history: every stored event carries the hash of the previous event of its case,
 * so a changed, removed or reordered event breaks the chain, and `verify` (of every storage adapter) finds the
 * first break. The hash is SHA-256 over the previous hash and the event's canonical JSON (keys sorted, no
 * whitespace), written here in plain TypeScript so that every adapter — ours and third parties' — computes the
 * same chain without a crypto dependency.
 *
 * @example
 * ```ts
 * import { Integrity } from "@lindung/core"
 *
 * const first = Integrity.link(Integrity.GENESIS, encodedEvent1)
 * const second = Integrity.link(first, encodedEvent2)
 * ```
 *
 * @since 0.1.0
 */

/** The "previous hash" of a case's first event. */
export const GENESIS = "0".repeat(64)

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
])

const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n))

/** SHA-256 (FIPS 180-4) of a string's UTF-8 bytes, as 64 lowercase hex digits. */
export const sha256 = (text: string): string => {
  const bytes = new TextEncoder().encode(text)
  const bitLength = bytes.length * 8
  const padded = new Uint8Array(Math.ceil((bytes.length + 9) / 64) * 64)
  padded.set(bytes)
  padded[bytes.length] = 0x80
  const view = new DataView(padded.buffer)
  view.setUint32(padded.length - 8, Math.floor(bitLength / 2 ** 32))
  view.setUint32(padded.length - 4, bitLength >>> 0)
  const h = new Uint32Array([
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
  ])
  const w = new Uint32Array(64)
  for (let offset = 0; offset < padded.length; offset += 64) {
    for (let t = 0; t < 16; t++) w[t] = view.getUint32(offset + t * 4)
    for (let t = 16; t < 64; t++) {
      const x = w[t - 15] as number
      const y = w[t - 2] as number
      const s0 = rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3)
      const s1 = rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10)
      w[t] = ((w[t - 16] as number) + s0 + (w[t - 7] as number) + s1) >>> 0
    }
    let [a, b, c, d, e, f, g, k] = h as unknown as [number, number, number, number, number, number, number, number]
    for (let t = 0; t < 64; t++) {
      const s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
      const choose = (e & f) ^ (~e & g)
      const temp1 = (k + s1 + choose + (K[t] as number) + (w[t] as number)) >>> 0
      const s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
      const majority = (a & b) ^ (a & c) ^ (b & c)
      const temp2 = (s0 + majority) >>> 0
      k = g
      g = f
      f = e
      e = (d + temp1) >>> 0
      d = c
      c = b
      b = a
      a = (temp1 + temp2) >>> 0
    }
    h[0] = ((h[0] as number) + a) >>> 0
    h[1] = ((h[1] as number) + b) >>> 0
    h[2] = ((h[2] as number) + c) >>> 0
    h[3] = ((h[3] as number) + d) >>> 0
    h[4] = ((h[4] as number) + e) >>> 0
    h[5] = ((h[5] as number) + f) >>> 0
    h[6] = ((h[6] as number) + g) >>> 0
    h[7] = ((h[7] as number) + k) >>> 0
  }
  return Array.from(h, (word) => word.toString(16).padStart(8, "0")).join("")
}

/** JSON with object keys sorted at every depth and no whitespace: the same value always gives the same text. */
export const canonicalJson = (value: unknown): string => {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null"
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`
}

/**
 * A SHA-256 implementation: a string's UTF-8 bytes to 64 lowercase hex digits. The core's own {@link sha256} is pure
 * JavaScript, so the core needs no platform; an adapter may give a faster one of the same function (Node's
 * `node:crypto`, WebCrypto, the database's own), and the chain stays the same.
 *
 * @example
 * ```ts
 * import { createHash } from "node:crypto"
 * const nodeSha256: Integrity.Hash = (text) => createHash("sha256").update(text, "utf8").digest("hex")
 * ```
 */
export type Hash = (text: string) => string

/**
 * The hash of an event chained to the hash of the event before it, from the event's canonical JSON
 * ({@link canonicalJson} of its encoded form): SHA-256 of the previous hash, a line feed, and that text. For
 * adapters that already hold the canonical text (they store it), so it is not computed twice.
 */
export const linkCanonical = (previousHash: string, canonical: string, hash: Hash = sha256): string =>
  hash(`${previousHash}\n${canonical}`)

/** The hash of an event (in its encoded JSON form) chained to the hash of the event before it. */
export const link = (previousHash: string, encodedEvent: unknown, hash: Hash = sha256): string =>
  linkCanonical(previousHash, canonicalJson(encodedEvent), hash)

/** The first place a chain breaks, if any. */
export interface Break {
  readonly caseId: string
  readonly version: number
  readonly reason: "hash-mismatch" | "previous-hash-mismatch" | "version-gap"
}

/** A stored event as `verify` sees it: its version, its encoded form, and the two hashes stored with it. */
export interface ChainLink {
  readonly caseId: string
  readonly version: number
  readonly encoded: unknown
  readonly previousHash: string
  readonly hash: string
}

/** Walks one case's stored events in version order and returns the first break, or undefined. */
export const check = (links: Iterable<ChainLink>, hash: Hash = sha256): Break | undefined => {
  let previous = GENESIS
  let expected = 1
  for (const item of links) {
    if (item.version !== expected) return { caseId: item.caseId, version: item.version, reason: "version-gap" }
    if (item.previousHash !== previous) {
      return { caseId: item.caseId, version: item.version, reason: "previous-hash-mismatch" }
    }
    const linked = link(previous, item.encoded, hash)
    if (linked !== item.hash) return { caseId: item.caseId, version: item.version, reason: "hash-mismatch" }
    previous = linked
    expected++
  }
  return undefined
}
