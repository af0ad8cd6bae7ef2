/**
 * The one tsup configuration every Lindung package builds with: ESM, source maps, one output file per
 * public module (everything in `src/` except `src/internal/`, which is bundled into the modules that use it).
 * Declarations come from `tsc -p tsconfig.build.json` (tsup's own `.d.ts` step does not run on TypeScript 7).
 */
import type { Options } from "tsup"

export const packageBuild = (overrides: Options = {}): Options => ({
  entry: ["src/*.ts"],
  format: ["esm"],
  target: "node24",
  platform: "node",
  sourcemap: true,
  clean: true,
  dts: false,
  splitting: true,
  treeshake: true,
  // tsup strips `node:` by default, which turns `node:sqlite` into the npm package `sqlite` at run time.
  removeNodeProtocol: false,
  ...overrides
})
