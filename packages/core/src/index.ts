/**
 * `@lindung/core`: the Lindung domain as pure TypeScript on Effect. Every concept is a module, imported either as
 * a namespace from the package root (`import { Region } from "@lindung/core"`) or directly
 * (`import * as Region from "@lindung/core/Region"`).
 *
 * @since 0.1.0
 */

/** The legal or policy basis of rules and lists; bilingual labels; rules with stable ids. */
export * as Basis from "./Basis.js"
/** Calendar dates and exact ages (birthdays, 29 February). */
export * as CalendarDate from "./CalendarDate.js"
/** The typed error for bad input to a pure function. */
export * as Input from "./Input.js"
/** Kemendagri region codes: parsing, level, parent, containment and time zone. */
export * as Region from "./Region.js"
