import { defineConfig } from "vitest/config"

/** Runs every package and example as one vitest project each: `npx vitest run` from the root runs them all. */
export default defineConfig({
  test: {
    projects: ["packages/*/vitest.config.ts", "examples/*/vitest.config.ts", "docs/vitest.config.ts"]
  }
})
