import { connect } from "node:net"
import { expect, it } from "vitest"
import { describeWith, nats, postgres } from "../src/Services.js"

/** Opens a TCP connection, optionally writes `hello`, and resolves with the first bytes the server sends. */
const firstBytes = (url: URL, defaultPort: number, hello?: Uint8Array) =>
  new Promise<Buffer>((resolve, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port || defaultPort) })
    socket.setTimeout(5_000, () => socket.destroy(new Error(`no answer from ${url.host}`)))
    socket.once("error", reject)
    socket.once("connect", () => {
      if (hello !== undefined) socket.write(hello)
    })
    socket.once("data", (data) => {
      socket.end()
      resolve(data)
    })
  })

describeWith(postgres, "PostgreSQL server", (url) => {
  it("answers the PostgreSQL SSLRequest handshake", async () => {
    // SSLRequest: length 8, code 80877103. A PostgreSQL server answers with one byte, 'S' or 'N'.
    const request = new Uint8Array(8)
    new DataView(request.buffer).setInt32(0, 8)
    new DataView(request.buffer).setInt32(4, 80877103)
    const answer = await firstBytes(new URL(url), 5432, request)
    expect(["S", "N"]).toContain(answer.subarray(0, 1).toString("latin1"))
  })
})

describeWith(nats, "NATS server", (url) => {
  it("greets with INFO and has JetStream enabled", async () => {
    const greeting = (await firstBytes(new URL(url), 4222)).toString("utf8")
    expect(greeting.startsWith("INFO ")).toBe(true)
    const info = JSON.parse(greeting.slice(5, greeting.indexOf("\r\n"))) as { jetstream?: boolean }
    expect(info.jetstream).toBe(true)
  })
})
