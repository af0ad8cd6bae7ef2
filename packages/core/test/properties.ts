/**
 * How the property tests of @lindung/core run. In CI the seed is derived from the commit: a run is reproducible,
 * yet every commit explores other cases; fast-check prints the seed and path of a failure. `npm run test:deep`
 * (LINDUNG_DEEP=1) runs every property 20 times as often, with random seeds, for release checks. Set
 * LINDUNG_PROPERTY_SEED to replay a seed.
 */
import { execSync } from "node:child_process"
import { fc } from "@fast-check/vitest"

/** Whether the deep (release) runs are asked for. */
export const deep = process.env.LINDUNG_DEEP === "1"

/** The number of runs of a property: as given, or 20 times as many in deep runs. */
export const runs = (numRuns: number): number => (deep ? numRuns * 20 : numRuns)

const commit = (): string => {
  try {
    return execSync("git rev-parse HEAD", { stdio: ["ignore", "pipe", "ignore"] })
      .toString()
      .trim()
  } catch {
    return "no-commit"
  }
}

/** A 32-bit seed from a text (FNV-1a). */
export const seedOf = (text: string): number => {
  let hash = 0x811c9dc5
  for (const char of text) {
    hash ^= char.codePointAt(0) ?? 0
    hash = Math.imul(hash, 0x01000193)
  }
  return hash | 0
}

/** The seed of this run: LINDUNG_PROPERTY_SEED, else none in deep runs (random), else the commit's. */
export const seed: number | undefined =
  process.env.LINDUNG_PROPERTY_SEED !== undefined && process.env.LINDUNG_PROPERTY_SEED.length > 0
    ? Number(process.env.LINDUNG_PROPERTY_SEED)
    : deep
      ? undefined
      : seedOf(commit())

if (seed !== undefined) fc.configureGlobal({ seed })
