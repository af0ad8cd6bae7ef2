/**
 * Reads a case from a running server with the generated client. Run a server and get a token first:
 *   npx lindung demo && npx lindung serve
 *   LINDUNG_TOKEN=$(npx lindung token --person kabid-rehsos-padang) npm start -w @lindung/example-other-stack-client
 */
import { client } from "./client.ts"

const api = client(process.env.LINDUNG_URL ?? "http://127.0.0.1:8080", process.env.LINDUNG_TOKEN ?? "")
const answer = await api.read(process.argv[2] ?? "000-padang-kakak")
if (answer.ok) {
  console.log(`${answer.body.caseId}: stage ${answer.body.summary.stage}, version ${answer.body.summary.version}`)
} else {
  console.log(`HTTP ${answer.status}: ${JSON.stringify(answer.problem)}`)
  process.exitCode = 1
}
