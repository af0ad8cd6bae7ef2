/**
 * What the benchmarks share: the median of their runs, and writing a report into its block of docs/benchmarks.md
 * (between `<!-- bench:<name> -->` and `<!-- /bench:<name> -->`), so that each benchmark regenerates its own
 * section and leaves the others alone.
 */
import { readFileSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

/** The median of some numbers (the mean of the middle two for an even count). */
export const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

/** docs/benchmarks.md of this repository. */
export const BENCHMARKS_FILE = join(dirname(fileURLToPath(import.meta.url)), "..", "docs", "benchmarks.md")

/** Replaces the block `name` of docs/benchmarks.md with `lines`; fails if the file lacks its markers. */
export const writeBlock = (name: string, lines: ReadonlyArray<string>, file = BENCHMARKS_FILE): void => {
  const start = `<!-- bench:${name} -->`
  const end = `<!-- /bench:${name} -->`
  const text = readFileSync(file, "utf8")
  const from = text.indexOf(start)
  const to = text.indexOf(end)
  if (from === -1 || to === -1 || to < from) throw new Error(`${file} lacks the ${start} … ${end} markers`)
  writeFileSync(file, `${text.slice(0, from + start.length)}\n${lines.join("\n").trim()}\n${text.slice(to)}`)
  console.error(`wrote the ${name} block of ${file}`)
}
