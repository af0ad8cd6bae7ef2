/**
 * `@lindung/cli`: the `lindung` command (`serve`, `token`, `demo`, `sop`, `migrate`, `verify`, `export`,
 * `import`), also usable in-process through `Commands.run(argv)`.
 *
 * @since 0.1.0
 */

/** The commands. */
export * as Commands from "./Commands.js"
/** Development or production, database, agencies and token verification from the environment. */
export * as Environment from "./Environment.js"
