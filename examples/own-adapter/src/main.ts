/** The own adapter at work. Run: `npm start -w @lindung/example-own-adapter` (after `npm run build`). */
import { demo } from "./demo.ts"

console.log("What the archive received (public form: codes only):")
for (const event of await demo()) console.log(`  ${event.eventId}  ${event.type}  ${JSON.stringify(event.payload)}`)
