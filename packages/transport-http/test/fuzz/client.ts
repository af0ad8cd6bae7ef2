/**
 * An HTTP client on a worker thread: the fuzz's requests are sent and read there, so that the server (on the test's
 * thread) has a core of its own on a two-core machine. Plain `fetch` (keep-alive) inside the worker.
 */
import { Worker } from "node:worker_threads"

/** What the worker sends back: the answer, or why the request failed on the client's side. */
export type Answer =
  | { readonly status: number; readonly headers: Readonly<Record<string, string>>; readonly text: string }
  | { readonly error: string }

export interface Sent {
  readonly url: string
  readonly method: string
  readonly headers: Readonly<Record<string, string>>
  readonly body?: string
  /** Send the body as bytes: fetch then adds no content type. */
  readonly bytes?: boolean
}

const source = `
const { parentPort } = require("node:worker_threads")
parentPort.on("message", async ({ id, url, method, headers, body, bytes }) => {
  try {
    const payload = body === undefined ? undefined : bytes ? new TextEncoder().encode(body) : body
    const response = await fetch(url, { method, headers, body: payload })
    const text = await response.text()
    parentPort.postMessage({ id, status: response.status, headers: Object.fromEntries(response.headers), text })
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.cause && error.cause.message) || (error && error.message) || error) })
  }
})
`

/** Starts the worker; `close` ends it. */
export const start = () => {
  const worker = new Worker(source, { eval: true })
  const waiting = new Map<number, (answer: Answer) => void>()
  let next = 0
  worker.on("message", (message: Answer & { readonly id: number }) => {
    const resolve = waiting.get(message.id)
    waiting.delete(message.id)
    resolve?.(message)
  })
  const send = (request: Sent): Promise<Answer> =>
    new Promise((resolve) => {
      const id = next++
      waiting.set(id, resolve)
      worker.postMessage({ id, ...request })
    })
  return { send, close: () => worker.terminate() }
}
