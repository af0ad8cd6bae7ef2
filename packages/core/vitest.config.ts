import { packageTests } from "../../vitest.shared.ts"

// test/properties.ts seeds fast-check from the commit (or LINDUNG_PROPERTY_SEED), before any test file runs; deep
// runs (LINDUNG_DEEP=1, `npm run test:deep`) run 20 times as long and get the time for it.
export default packageTests("@lindung/core", {
  setupFiles: ["test/properties.ts"],
  ...(process.env.LINDUNG_DEEP === "1" ? { testTimeout: 1_800_000 } : {})
})
