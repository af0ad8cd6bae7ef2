/**
 * The consumer helper's ledger against a model of JetStream redelivery: a stream of a few cases' events in version
 * order, with duplicates further on (re-sends beyond the duplicate window); a consumer that handles deliveries one
 * at a time and sends some back; every message sent back (by the consumer or held back by the ledger) comes again at
 * any later point. Whatever the order of redeliveries, each event is handled exactly once and each case in version
 * order.
 */
import { fc, test as propTest } from "@fast-check/vitest"
import { describe, expect, it } from "vitest"
import { Ledger } from "../src/internal/Ledger.js"

interface Message {
  readonly caseId: string
  readonly version: number
}

const run = (
  stream: ReadonlyArray<Message>,
  choices: ReadonlyArray<number>,
  capacity = 1_000
): { handled: Array<Message>; held: number; late: number; duplicates: number } => {
  const ledger = new Ledger(capacity)
  const queue = [...stream]
  const handled: Array<Message> = []
  let held = 0
  let late = 0
  let duplicates = 0
  let step = 0
  const refusals = new Map<string, number>()
  const choice = () => choices[step++ % choices.length] ?? 0
  // Sends a message back: it comes again after what is queued, give or take the last few (JetStream redelivers
  // what was sent back once its delay has passed, so roughly in the order it was sent back, not exactly).
  const sendBack = (message: Message) => {
    const at = Math.max(0, queue.length - (choice() % 3))
    queue.splice(at, 0, message)
  }
  for (let guard = 0; queue.length > 0 && guard < 100_000; guard++) {
    const message = queue.shift() as Message
    const verdict = ledger.judge(message.caseId, message.version)
    if (verdict === "duplicate") {
      duplicates++
      continue
    }
    if (verdict === "hold") {
      held++
      sendBack(message)
      continue
    }
    if (verdict === "late") late++
    // Emitted: the consumer sends about one in four back (each message at most twice), else handles it.
    const key = `${message.caseId}:${message.version}`
    if (choice() % 4 === 0 && (refusals.get(key) ?? 0) < 2) {
      refusals.set(key, (refusals.get(key) ?? 0) + 1)
      ledger.nak(message.caseId, message.version)
      sendBack(message)
    } else {
      handled.push(message)
      ledger.ack(message.caseId, message.version)
    }
  }
  return { handled, held, late, duplicates }
}

/** A stream of `cases` cases with `versions[i]` events each, interleaved by `order`, with duplicates appended. */
const streamArb = fc
  .record({
    versions: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 }),
    order: fc.array(fc.nat(), { minLength: 30, maxLength: 30 }),
    duplicates: fc.array(fc.nat(), { maxLength: 6 })
  })
  .map(({ versions, order, duplicates }) => {
    const next = versions.map(() => 1)
    const stream: Array<Message> = []
    let i = 0
    while (next.some((version, c) => version <= (versions[c] as number))) {
      const open = next.flatMap((version, c) => (version <= (versions[c] as number) ? [c] : []))
      const c = open[(order[i++ % order.length] ?? 0) % open.length] as number
      stream.push({ caseId: `case-${c}`, version: next[c] as number })
      next[c] = (next[c] as number) + 1
    }
    for (const d of duplicates) stream.push(stream[d % stream.length] as Message)
    return stream
  })

const expectExactlyOnceInOrder = (stream: ReadonlyArray<Message>, handled: ReadonlyArray<Message>) => {
  const keys = handled.map((message) => `${message.caseId}:${message.version}`)
  expect(new Set(keys).size).toBe(keys.length)
  expect(new Set(keys)).toEqual(new Set(stream.map((message) => `${message.caseId}:${message.version}`)))
  const last = new Map<string, number>()
  for (const message of handled) {
    expect(message.version).toBe((last.get(message.caseId) ?? 0) + 1)
    last.set(message.caseId, message.version)
  }
}

describe("Ledger", () => {
  it("drops a duplicate, holds the later events of a case behind one sent back, and lets them go once it is handled", () => {
    const ledger = new Ledger(10)
    expect(ledger.judge("a", 1)).toBe("emit")
    ledger.nak("a", 1)
    expect(ledger.judge("a", 2)).toBe("hold")
    expect(ledger.judge("a", 3)).toBe("hold")
    expect(ledger.judge("b", 1)).toBe("emit")
    // v3 comes back before v1 and v2: still held.
    expect(ledger.judge("a", 3)).toBe("hold")
    expect(ledger.judge("a", 1)).toBe("emit")
    ledger.ack("a", 1)
    expect(ledger.judge("a", 1)).toBe("duplicate")
    expect(ledger.judge("a", 3)).toBe("hold")
    expect(ledger.judge("a", 2)).toBe("emit")
    ledger.ack("a", 2)
    expect(ledger.judge("a", 3)).toBe("emit")
    ledger.ack("a", 3)
    expect(ledger.judge("a", 2)).toBe("duplicate")
  })

  it("emits, as late, a version that comes after a higher one was acknowledged, rather than dropping it", () => {
    // A process restarted while a:2 was sent back: a:3 comes first, then a:2.
    const ledger = new Ledger(10)
    expect(ledger.judge("a", 3)).toBe("emit")
    ledger.ack("a", 3)
    expect(ledger.judge("a", 2)).toBe("late")
    ledger.ack("a", 2)
    expect(ledger.judge("a", 2)).toBe("duplicate")
    expect(ledger.judge("a", 3)).toBe("duplicate")
  })

  it("forgets the least recently acknowledged case beyond its capacity", () => {
    const ledger = new Ledger(2)
    ledger.ack("a", 1)
    ledger.ack("b", 1)
    ledger.ack("c", 1)
    expect(ledger.judge("a", 1)).toBe("emit")
    expect(ledger.judge("c", 1)).toBe("duplicate")
  })

  propTest.prop([streamArb, fc.array(fc.nat(), { minLength: 1, maxLength: 50 })], { numRuns: 300 })(
    "whatever the redelivery order, every event is handled exactly once, each case in version order",
    (stream, choices) => {
      const { handled, late } = run(stream, choices)
      expectExactlyOnceInOrder(stream, handled)
      // In one process, in stream order, nothing is ever late.
      expect(late).toBe(0)
    }
  )

  it("keeps the order when a later held event comes back before an earlier one (found by the property)", () => {
    // The counterexample (fast-check, shrunk) of a first ledger that remembered only the lowest version sent back:
    // a:1 is sent back with a:2 and a:3 held behind it, and once a:1 is handled a:3 comes back before a:2 — that
    // ledger let a:3 through first.
    const stream = [
      { caseId: "a", version: 1 },
      { caseId: "a", version: 2 },
      { caseId: "a", version: 3 }
    ]
    const { handled, held } = run(stream, [4, 0])
    expect(held).toBeGreaterThan(0)
    expectExactlyOnceInOrder(stream, handled)
  })
})
