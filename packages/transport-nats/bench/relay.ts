/**
 * Benchmark of the relay (not a test), against the NATS server of `LINDUNG_NATS_URL` (default 127.0.0.1:4222):
 *
 * - **Throughput**: the relay publishing every event of an embedded SQLite store (read in global order, public form,
 *   CloudEvents headers, publish with `Nats-Msg-Id`, wait for the acks, checkpoint) side by side with a raw JetStream
 *   publish of the same messages (subject, headers, body and id computed beforehand) with the same ack mode (every
 *   publish acknowledged, at most the same number waiting at once), each into a new file-backed stream. Events/s and
 *   the ratio relay ÷ raw, per run and as the median of the runs (alternating, so drift of the shared machine hits
 *   both).
 * - **Latency**: commit to consumer: cases appended to the store one at a time at a steady rate while the relay runs
 *   and a consumer (the `Consumer` helper, acking each event) receives them; for each event, the time from the end of
 *   its append to its arrival. p50 and p99, with the relay's default idle wait (50 ms), and with 200 ms and 10 ms.
 *
 * Run: `npm run bench -w @lindung/transport-nats` (builds first with `npm run bench` at the root; otherwise build
 * with `npx turbo run build --filter=@lindung/transport-nats...`). Options (environment): `BENCH_COPIES` (copies of
 * the seed stories in the store, 977 events each; default 10), `BENCH_RUNS` (default 3), `BENCH_LATENCY_EVENTS`
 * (default 1,500), `BENCH_RATE` (cases appended per second in the latency run, default 40). `--write` puts the tables
 * into docs/benchmarks.md between `<!-- bench:nats -->` markers.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Case, type CaseEvent, CaseIndex, Checkpoints, EventStore } from "@lindung/core"
import { layerSqlite } from "@lindung/storage-sql"
import { fill, unique } from "@lindung/testing"
import { Consumer, Nats, Relay } from "@lindung/transport-nats"
import { headers as natsHeaders } from "@nats-io/transport-node"
import { Effect, Fiber, Layer, Logger, Stream } from "effect"
import { median, writeBlock } from "../../../scripts/bench-docs.ts"

const URL = process.env.LINDUNG_NATS_URL ?? "nats://127.0.0.1:4222"
const COPIES = Number(process.env.BENCH_COPIES ?? 10)
const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const LATENCY_EVENTS = Number(process.env.BENCH_LATENCY_EVENTS ?? 1_500)
const RATE = Number(process.env.BENCH_RATE ?? 40)
const IN_FLIGHT = Relay.DEFAULT_MAX_IN_FLIGHT

const dir = mkdtempSync(join(tmpdir(), "lindung-bench-nats-"))
const database = join(dir, "relay.db")
const storage = layerSqlite({ filename: database })
const connection = Nats.layer({ servers: URL, name: "lindung-bench" })
const layers = Layer.mergeAll(storage, connection, Logger.layer([]))

const dropStream = (name: string) =>
  Effect.flatMap(Nats.Connection, ({ manager }) =>
    Effect.promise(() => manager.streams.delete(name).catch(() => false))
  )

const seconds = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e9

/** The relay publishing everything after position 0 into a new stream: events/s. */
const relayRun = (total: number) =>
  Effect.gen(function* () {
    const id = unique()
    const stream = `BENCH_RELAY_${id}`
    const relay = yield* Relay.make({ prefix: `b${id}.case`, checkpoint: `bench:${id}`, stream: { name: stream } })
    const started = process.hrtime.bigint()
    const fiber = yield* Effect.forkChild(relay.run)
    while ((yield* relay.status).published < total) yield* Effect.sleep("2 millis")
    const elapsed = seconds(started)
    yield* Fiber.interrupt(fiber)
    yield* dropStream(stream)
    return total / elapsed
  })

/** The same messages published raw (computed before the clock starts), with the same ack mode and window: events/s. */
const rawRun = Effect.gen(function* () {
  const id = unique()
  const stream = `BENCH_RAW_${id}`
  const prefix = `r${id}.case`
  const messages = yield* messagesOf(prefix)
  yield* Relay.ensureStream({ name: stream }, prefix)
  const { jetstream } = yield* Nats.Connection
  const started = process.hrtime.bigint()
  yield* Effect.promise(async () => {
    const acks: Array<Promise<unknown>> = []
    let settled = 0
    for (const message of messages) {
      if (acks.length - settled >= IN_FLIGHT) await acks[settled++]
      const headers = natsHeaders()
      for (const [name, value] of message.headers) headers.set(name, value)
      acks.push(jetstream.publish(message.subject, message.body, { msgID: message.id, headers }))
    }
    await Promise.all(acks)
  })
  const elapsed = seconds(started)
  yield* dropStream(stream)
  return messages.length / elapsed
})

/** Every message the relay would publish under `prefix`. */
const messagesOf = (prefix: string) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const messages: Array<Relay.Message> = []
    const states = new Map<string, Case.State>()
    let position = 0
    while (true) {
      const batch = yield* store.readAfter(position, 5_000)
      if (batch.length === 0) return messages
      for (const stored of batch) {
        const before = states.get(stored.event.caseId) ?? Case.initialState
        messages.push(Relay.messageOf(stored.event, before, { prefix }))
        states.set(stored.event.caseId, Case.evolve(before, stored.event))
        position = stored.position
      }
    }
  })

const percentile = (values: ReadonlyArray<number>, p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
}

/** Commit-to-consumer latency of events appended at a steady rate while the relay runs. */
const latencyRun = (idleWaitMs: number, cases: ReadonlyArray<ReadonlyArray<CaseEvent.Envelope>>) =>
  Effect.gen(function* () {
    const id = unique()
    const stream = `BENCH_LAT_${id}`
    const prefix = `l${id}.case`
    const store = yield* EventStore.EventStore
    const committed = new Map<string, bigint>()
    const latencies: Array<number> = []
    // The relay starts at the store's end (its checkpoint set there): only the events appended below are measured.
    let end = 0
    while (true) {
      const more = yield* store.readAfter(end, EventStore.MAX_READ)
      if (more.length === 0) break
      end = more.at(-1)?.position ?? end
    }
    const checkpoint = `bench-latency:${id}`
    yield* (yield* Checkpoints.Checkpoints).set(checkpoint, end)
    const relay = yield* Relay.make({ prefix, checkpoint, idleWaitMs, stream: { name: stream } })
    yield* Relay.ensureStream({ name: stream }, prefix)
    const total = cases.reduce((sum, events) => sum + events.length, 0)
    const consumer = yield* Effect.forkChild(
      Consumer.stream({ durable: `bench${id}`, stream }).pipe(
        Stream.mapEffect((delivery) =>
          Effect.as(
            Effect.sync(() => {
              const at = committed.get(delivery.event.eventId)
              if (at !== undefined) latencies.push(Number(process.hrtime.bigint() - at) / 1e6)
            }),
            delivery
          ).pipe(Effect.andThen(delivery.ack))
        ),
        Stream.take(total),
        Stream.runDrain
      )
    )
    const relayFiber = yield* Effect.forkChild(relay.run)
    for (const events of cases) {
      const state = Case.fold(events)
      if (state._tag === "Empty") continue
      yield* store.append({ caseId: state.id, expectedVersion: 0, events, index: CaseIndex.project(state) })
      const at = process.hrtime.bigint()
      for (const event of events) committed.set(event.eventId, at)
      yield* Effect.sleep(`${Math.round(1_000 / RATE)} millis`)
    }
    yield* Fiber.join(consumer)
    yield* Fiber.interrupt(relayFiber)
    yield* dropStream(stream)
    return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), count: latencies.length }
  })

const program = Effect.gen(function* () {
  console.error(`filling ${database} with ${COPIES} copies of the seed stories…`)
  const written = yield* fill(COPIES, "bench")
  const total = written.flat().length
  console.error(`${total} events over ${written.length} cases; ${RUNS} runs each`)
  const relayRates: Array<number> = []
  const rawRates: Array<number> = []
  const ratios: Array<number> = []
  // One run of each, not counted: the JIT and the server warm up.
  yield* rawRun
  yield* relayRun(total)
  for (let run = 0; run < RUNS; run++) {
    const raw = yield* rawRun
    const relay = yield* relayRun(total)
    rawRates.push(raw)
    relayRates.push(relay)
    ratios.push(relay / raw)
    console.error(
      `run ${run + 1}: raw ${raw.toFixed(0)}/s, relay ${relay.toFixed(0)}/s, ratio ${(relay / raw).toFixed(2)}`
    )
  }
  // Latency: new cases (the seed stories once more under new ids), appended one at a time.
  const results: Array<{
    idle: number
    runs: ReadonlyArray<{ readonly p50: number; readonly p99: number; readonly count: number }>
  }> = []
  for (const idle of [Relay.DEFAULT_IDLE_WAIT_MS, 200, 10]) {
    const runs: Array<{ p50: number; p99: number; count: number }> = []
    for (let run = 0; run < RUNS; run++) {
      const cases = yield* newCases(LATENCY_EVENTS, `late-${idle}-${unique()}`)
      const result = yield* latencyRun(idle, cases)
      runs.push(result)
      console.error(
        `latency (idle wait ${idle} ms), run ${run + 1}: p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms over ${result.count}`
      )
    }
    results.push({ idle, runs })
  }
  return { total, cases: written.length, relayRates, rawRates, ratios, results }
})

/** Cases not in the store: the seed stories under new ids (made in a scratch store), about `events` events. */
const newCases = (events: number, tag: string) =>
  Effect.gen(function* () {
    const made = yield* Effect.provide(
      fill(Math.max(1, Math.ceil(events / 977)), tag),
      layerSqlite({ filename: ":memory:" })
    )
    const cases: Array<ReadonlyArray<CaseEvent.Envelope>> = []
    let count = 0
    for (const list of made) {
      if (count >= events) break
      cases.push(list)
      count += list.length
    }
    return cases
  })

const report = await Effect.runPromise(program.pipe(Effect.scoped, Effect.provide(layers)))
rmSync(dir, { recursive: true, force: true })

const format = (value: number) => Math.round(value).toLocaleString("en-US")
const lines = [
  `Measured ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, nats-server on 127.0.0.1, ${report.total.toLocaleString("en-US")} events over ${report.cases} cases in an embedded SQLite file, ${RUNS} runs alternating after one run of each not counted, each into a new file-backed stream; at most ${IN_FLIGHT} publishes waiting for their ack in both.`,
  "",
  "| run | raw JetStream publish, events/s | relay, events/s | relay ÷ raw |",
  "| --- | ---: | ---: | ---: |",
  ...report.ratios.map(
    (ratio, i) =>
      `| ${i + 1} | ${format(report.rawRates[i] as number)} | ${format(report.relayRates[i] as number)} | ${ratio.toFixed(2)} |`
  ),
  `| median | ${format(median(report.rawRates))} | ${format(median(report.relayRates))} | ${median(report.ratios).toFixed(2)} |`,
  "",
  `Commit to consumer (${RATE} cases appended per second, each of several events; the consumer acks each event; ${RUNS} runs):`,
  "",
  "| relay idle wait | events per run | p50 ms, median (lowest–highest) | p99 ms, median (lowest–highest) |",
  "| ---: | ---: | ---: | ---: |",
  ...report.results.map((r) => {
    const spread = (values: ReadonlyArray<number>) =>
      `${median(values).toFixed(1)} (${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)})`
    return `| ${r.idle} ms${r.idle === Relay.DEFAULT_IDLE_WAIT_MS ? " (default)" : ""} | ${r.runs[0]?.count ?? 0} | ${spread(r.runs.map((x) => x.p50))} | ${spread(r.runs.map((x) => x.p99))} |`
  })
]
console.log(lines.join("\n"))
if (process.argv.includes("--write")) writeBlock("nats", lines)
