/**
 * Settings shared by every Lindung test project. Each package's `vitest.config.ts` calls `packageTests`,
 * and the root `vitest.config.ts` runs all of them as projects.
 */
import { defineProject, type UserWorkspaceConfig } from "vitest/config"

export const packageTests = (name: string, overrides: UserWorkspaceConfig["test"] = {}) =>
  defineProject({
    // Resolve `@lindung/*` imports to their TypeScript sources, so tests never run against a stale build. Vite
    // applies `resolve.conditions` to the client environment only; tests run in the server (ssr) environment.
    resolve: { conditions: ["@lindung/source"] },
    ssr: { resolve: { conditions: ["@lindung/source"] } },
    test: {
      name,
      include: ["test/**/*.test.ts"],
      environment: "node",
      // Integration tests talk to real servers; give them time to connect without slowing unit tests.
      testTimeout: 30_000,
      hookTimeout: 60_000,
      ...overrides
    }
  })
