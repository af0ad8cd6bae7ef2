import { describe, expect, it } from "vitest"
import { DecodedEvents } from "../src/internal/services.js"
import { register } from "./fixtures.js"

const event = register("case-lru").request.events[0]

describe("DecodedEvents", () => {
  it("keeps at most its size, dropping the least recently used text", () => {
    if (event === undefined) throw new Error("no event")
    const cache = new DecodedEvents(2)
    cache.set("a", event)
    cache.set("b", event)
    expect(cache.get("a")).toBe(event) // "a" is now the most recent
    cache.set("c", event)
    expect(cache.get("b")).toBeUndefined()
    expect(cache.get("a")).toBe(event)
    expect(cache.get("c")).toBe(event)
  })

  it("keeps nothing at size 0", () => {
    if (event === undefined) throw new Error("no event")
    const cache = new DecodedEvents(0)
    cache.set("a", event)
    expect(cache.get("a")).toBeUndefined()
  })
})
