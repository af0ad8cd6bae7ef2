import { packageTests } from "../vitest.shared.ts"

// Building the site (TypeDoc, then VitePress) takes about a minute on two cores.
export default packageTests("@lindung/docs", { testTimeout: 300_000, hookTimeout: 600_000 })
