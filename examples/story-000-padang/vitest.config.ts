import { packageTests } from "../../vitest.shared.ts"

export default packageTests("@lindung/example-story-000-padang")
