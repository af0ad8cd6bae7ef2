/**
 * `@lindung/core`: the Lindung domain as pure TypeScript on Effect. Every concept is a module, imported either as
 * a namespace from the package root (`import { Region } from "@lindung/core"`) or directly
 * (`import * as Region from "@lindung/core/Region"`).
 *
 * @since 0.1.0
 */

/** Kemendagri region codes: parsing, level, parent, containment and time zone. */
export * as Region from "./Region.js"
