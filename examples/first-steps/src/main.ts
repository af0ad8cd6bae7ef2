/** Prints the regions of the seed stories. Run with `npm start` from the repository root. */
import { describeMistake, describePlaces } from "./tour.ts"

console.log("Lindung — the regions of the seed stories (Kemendagri codes)\n")
for (const line of describePlaces()) console.log(line)
console.log("\nA code that is not one:")
console.log(`  ${describeMistake("13.7")}`)
console.log(`  ${describeMistake("99.01")}`)
