/**
 * An answer that cannot be sent (a reply larger than the server's max_payload, a connection closing) never fails the
 * handler: before, the exception of `respond` escaped as a defect and ended the subscription that serves every
 * request (transport review). The message here is a stand-in for nats.js's: only `respond` and `headers` are used.
 */
import { assert, describe, it } from "@effect/vitest"
import type { MsgHdrs } from "@nats-io/transport-node"
import { Effect } from "effect"
import * as Reply from "../src/internal/Reply.js"

/** A message whose `respond` throws for its first `failures` calls, recording what it was asked to send. */
const message = (failures: number) => {
  const sent: Array<{ readonly body: unknown; readonly status: string | undefined }> = []
  let calls = 0
  return {
    sent,
    message: {
      respond: (data?: Uint8Array | string, options?: { readonly headers?: MsgHdrs }) => {
        calls++
        if (calls <= failures) throw new Error("MAX_PAYLOAD_EXCEEDED")
        sent.push({ body: JSON.parse(String(data)), status: options?.headers?.get("Nats-Service-Error-Code") })
        return true
      }
    } satisfies Reply.Replyable
  }
}

const ok: Reply.Answer = { status: 200, body: { caseId: "case-1", version: 2 } }

describe("Reply.reply", () => {
  it.effect("sends the answer", () =>
    Effect.gen(function* () {
      const target = message(0)
      yield* Reply.reply(target.message, ok)
      assert.deepStrictEqual(target.sent, [{ body: ok.body, status: "" }])
    })
  )

  it.effect("sends a 500 that says the command may have run when the answer cannot be sent, and does not fail", () =>
    Effect.gen(function* () {
      const target = message(1)
      yield* Reply.reply(target.message, ok)
      assert.strictEqual(target.sent.length, 1)
      assert.strictEqual(target.sent[0]?.status, "500")
      const body = target.sent[0]?.body as { readonly detail?: string } | undefined
      assert.match(String(body?.detail), /may have been executed/)
    })
  )

  it.effect("gives up without failing when nothing can be sent (the connection is gone)", () =>
    Effect.gen(function* () {
      const target = message(Number.POSITIVE_INFINITY)
      yield* Reply.reply(target.message, ok)
      assert.deepStrictEqual(target.sent, [])
    })
  )
})
