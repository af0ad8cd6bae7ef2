/** The core called as plain functions. Run: `npm start -w @lindung/example-embed-core` (after `npm run build`). */
import { walkthrough } from "./embed.ts"

for (const line of walkthrough()) console.log(line)
