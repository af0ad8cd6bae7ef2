/** Seed story 004, told step by step through the case service, and what it shows. */
import { main } from "@lindung/example-story-kit"
import { highlights } from "./highlights.ts"

await main("004", highlights)
