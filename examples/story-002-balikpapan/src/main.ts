/** Seed story 002, told step by step through the case service, and what it shows. */
import { main } from "@lindung/example-story-kit"
import { highlights } from "./highlights.ts"

await main("002", highlights)
