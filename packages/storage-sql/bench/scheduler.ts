/**
 * Benchmark of the deadline scheduler (not a test): the lag of a pass at scale. An embedded SQLite file is loaded with
 * `--cases` generated cases (default 50,000; `generate.ts` with dated registrations: a third registered 30 to 720 days
 * ago, never assigned nor contacted, and so overdue by the deadline policy; the others registered in the last 3 hours,
 * some of whose first deadlines pass during the benchmark), each with the index entry the case service writes, due
 * instants included. Then the scheduler runs passes a minute apart from the generator's "now", as the directory's
 * system person, through the case service: each case the index lists as due is ticked, and records its escalations
 * (and, for a child who has turned 18, adulthood). Reported per pass: cases ticked, events written, and the pass's
 * duration — how late an escalation can be beyond the interval. `--runs` loads (default 3), each measured on a new
 * file; `--write` puts the table into docs/benchmarks.md between `<!-- bench:scheduler -->` markers.
 *
 * Run: `node bench/scheduler.ts` from this package after building (`npm run bench` at the root builds first).
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { median, writeBlock } from "../../../scripts/bench-docs.ts"
import {
  CaseService,
  DeadlineScheduler,
  Directory,
  IdentityKeys,
  Layer,
  ManagedRuntime,
  Person,
  Result,
  SqlStorage,
  Suite
} from "./deps.ts"
import { dinasOf, loadCases, regencies } from "./generate.ts"

const argument = (name: string): string | undefined =>
  process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3)
const CASES = Number(argument("cases") ?? 50_000)
const RUNS = Number(argument("runs") ?? 3)
const PASSES = 3

const agencies = regencies.map(([regency]) => dinasOf(regency).agency)
const first = agencies[0]
if (first === undefined) throw new Error("no agency")
const system = Person.make({ id: "lindung-scheduler", agency: first.id, role: "system" })
const snapshot = Result.getOrThrow(Directory.make(agencies, [system]))
const actor = Person.actorOf(system, first)

const nowMs = Date.parse("2026-06-01T00:00:00Z")

const run = async (index: number) => {
  const root = mkdtempSync(join(tmpdir(), "lindung-bench-scheduler-"))
  const keyring = IdentityKeys.keyring(IdentityKeys.generate("bench"))
  const storage = SqlStorage.layer({ dialect: "sqlite", filename: join(root, "scheduler.db"), keyring })
  const runtime = ManagedRuntime.make(
    CaseService.layer().pipe(Layer.provideMerge(Directory.layer(snapshot)), Layer.provideMerge(storage))
  )
  try {
    await runtime.runPromise(loadCases(CASES, index + 1, nowMs, { overdueShare: 1 / 3 }))
    const passes: Array<DeadlineScheduler.Pass> = []
    for (let pass = 0; pass < PASSES; pass++) {
      const done = await runtime.runPromise(Suite.at(nowMs + pass * 60_000)(DeadlineScheduler.runOnce({ actor })))
      passes.push(done)
      console.error(
        `run ${index + 1}, pass ${pass + 1}: ${done.checked} ticked, ${done.changed} changed, ${done.events} events, ${done.failed} failed, ${done.durationMs} ms`
      )
    }
    return passes
  } finally {
    await runtime.dispose()
    rmSync(root, { recursive: true, force: true })
  }
}

const runs: Array<ReadonlyArray<DeadlineScheduler.Pass>> = []
for (let index = 0; index < RUNS; index++) runs.push(await run(index))

const whole = (n: number) => Math.round(n).toLocaleString("en-US")
const spread = (values: ReadonlyArray<number>) =>
  `${whole(median(values))} (${whole(Math.min(...values))}–${whole(Math.max(...values))})`
/** What each pass of a run meets. */
const meets = [
  "every case overdue since the store was loaded (a scheduler started after an outage, or for the first time)",
  "the cases whose first deadline passed during the minute before"
]
const lines = [
  `Measured ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, an embedded SQLite file (WAL, synchronous=FULL) of ${whole(CASES)} generated cases (one registration each: a third registered 30 to 720 days before the first pass, never assigned nor contacted, and so overdue by the default deadline policy; the others in the 3 hours before it), each with the index entry the case service writes; ${RUNS} runs (each on a new file) of ${PASSES} passes a minute apart; each row is the median (lowest–highest) of its pass over the runs. A case ticked records its missed deadlines' escalations — to the supervisor, and to the head of the Dinas once that is due too — and a child's 18th birthday if it has passed.`,
  "",
  "| pass | what it meets | cases ticked | events written | pass duration (ms) | per case ticked (ms) |",
  "| ---: | --- | ---: | ---: | ---: | ---: |",
  ...Array.from({ length: PASSES }, (_, pass) => {
    const passes = runs.map((run) => run[pass] as DeadlineScheduler.Pass)
    const perCase = passes.filter((p) => p.checked > 0).map((p) => p.durationMs / p.checked)
    return `| ${pass + 1} | ${meets[pass] ?? meets.at(-1)} | ${spread(passes.map((p) => p.checked))} | ${spread(passes.map((p) => p.events))} | ${spread(passes.map((p) => p.durationMs))} | ${perCase.length === 0 ? "–" : median(perCase).toFixed(2)} |`
  })
]
console.log(lines.join("\n"))
if (process.argv.includes("--write")) writeBlock("scheduler", lines)
