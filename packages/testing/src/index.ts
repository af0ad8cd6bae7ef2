/** Test helpers shared by Lindung's packages (private to this repository). */

export * from "./SeedEvents.js"
export * from "./Services.js"
