import { packageTests } from "../../vitest.shared.ts"

// test/properties.ts seeds fast-check from the commit (or LINDUNG_PROPERTY_SEED), before any test file runs.
export default packageTests("@lindung/core", { setupFiles: ["test/properties.ts"] })
