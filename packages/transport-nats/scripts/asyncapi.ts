/**
 * Writes docs/asyncapi.json: the AsyncAPI 3.0 document of Lindung over NATS, from `AsyncApi.document()`, so it never
 * drifts from the schemas (a test of @lindung/transport-nats fails when the committed file differs).
 * Run with `npm run docs:generate`, or build the package first (this script imports the built package):
 * `npx turbo run build --filter=@lindung/transport-nats... && npx node packages/transport-nats/scripts/asyncapi.ts`.
 */
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { AsyncApi } from "@lindung/transport-nats"

const root = join(import.meta.dirname, "..", "..", "..")

writeFileSync(join(root, "docs", "asyncapi.json"), AsyncApi.toJson(AsyncApi.document()))
process.stdout.write("wrote docs/asyncapi.json\n")
