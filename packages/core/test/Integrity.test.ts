import { createHash } from "node:crypto"
import { fc, test as propTest } from "@fast-check/vitest"
import { describe, expect, it } from "vitest"
import * as Integrity from "../src/Integrity.js"

describe("Integrity", () => {
  it("computes SHA-256 test vectors", () => {
    expect(Integrity.sha256("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    expect(Integrity.sha256("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    expect(Integrity.sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).toBe(
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    )
  })

  propTest.prop([fc.string({ unit: "grapheme", maxLength: 300 })])("agrees with node:crypto on any text", (text) => {
    expect(Integrity.sha256(text)).toBe(createHash("sha256").update(text, "utf8").digest("hex"))
  })

  propTest.prop([fc.jsonValue()])("canonical JSON is stable under key order and parses back", (value) => {
    const shuffled = JSON.parse(JSON.stringify(value), (_, v) =>
      v !== null && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v
    )
    expect(Integrity.canonicalJson(shuffled)).toBe(Integrity.canonicalJson(value))
    expect(JSON.parse(Integrity.canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)))
  })

  const chain = (payloads: ReadonlyArray<unknown>): Array<Integrity.ChainLink> => {
    let previous = Integrity.GENESIS
    return payloads.map((encoded, index) => {
      const hash = Integrity.link(previous, encoded)
      const item = { caseId: "c", version: index + 1, encoded, previousHash: previous, hash }
      previous = hash
      return item
    })
  }

  propTest.prop([fc.array(fc.jsonValue(), { minLength: 1, maxLength: 8 }), fc.nat(), fc.jsonValue()])(
    "a chain verifies, and any tampered payload is found at its version",
    (payloads, pick, replacement) => {
      const links = chain(payloads)
      expect(Integrity.check(links)).toBeUndefined()
      const index = pick % links.length
      const original = links[index] as Integrity.ChainLink
      if (Integrity.canonicalJson(replacement) === Integrity.canonicalJson(original.encoded)) return
      links[index] = { ...original, encoded: replacement }
      expect(Integrity.check(links)).toEqual({ caseId: "c", version: index + 1, reason: "hash-mismatch" })
    }
  )

  const nodeSha256: Integrity.Hash = (text) => createHash("sha256").update(text, "utf8").digest("hex")

  propTest.prop([fc.array(fc.jsonValue(), { minLength: 1, maxLength: 8 })])(
    "an adapter's own SHA-256 gives the same chain, and check uses the hash it is given",
    (payloads) => {
      const links = chain(payloads)
      let previous = Integrity.GENESIS
      for (const item of links) {
        expect(Integrity.link(previous, item.encoded, nodeSha256)).toBe(item.hash)
        expect(Integrity.linkCanonical(previous, Integrity.canonicalJson(item.encoded), nodeSha256)).toBe(item.hash)
        previous = item.hash
      }
      expect(Integrity.check(links, nodeSha256)).toBeUndefined()
      // A hash that is not SHA-256 breaks the chain at its first event: check really uses the given function.
      expect(Integrity.check(links, (text) => nodeSha256(`x${text}`))).toEqual({
        caseId: "c",
        version: 1,
        reason: "hash-mismatch"
      })
    }
  )

  it("finds a removed event and a forged previous hash", () => {
    const links = chain([{ a: 1 }, { b: 2 }, { c: 3 }])
    expect(Integrity.check([links[0], links[2]] as Array<Integrity.ChainLink>)).toMatchObject({
      version: 3,
      reason: "version-gap"
    })
    const forged = { ...(links[1] as Integrity.ChainLink), previousHash: Integrity.GENESIS }
    expect(Integrity.check([links[0], forged, links[2]] as Array<Integrity.ChainLink>)).toMatchObject({
      version: 2,
      reason: "previous-hash-mismatch"
    })
  })
})
