import { packageTests } from "../../vitest.shared.ts"

export default packageTests("@lindung/example-other-stack-client")
