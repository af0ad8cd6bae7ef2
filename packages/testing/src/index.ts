/** Test helpers shared by Lindung's packages (private to this repository). */
export * from "./Services.js"
