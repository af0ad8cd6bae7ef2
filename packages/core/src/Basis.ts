/**
 * The legal or policy basis of a rule or a list, as data a program can read: which instrument, which provision,
 * and whether the provision was verified against a public copy of the text, is widely cited but not verified, or
 * is a policy default that a deployment may change. Docs pages and API responses show it so users see "why".
 *
 * Also home of {@link Label} (every user-facing term in Indonesian and English) and {@link Rule} (a rule with a
 * stable id, its title and its basis).
 *
 * @example
 * ```ts
 * import { Basis } from "@lindung/core"
 *
 * const basis = Basis.verified("UU 35/2014", "Pasal 59 ayat (2)")
 * Basis.format(basis) // "UU 35/2014 Pasal 59 ayat (2) [verified]"
 * ```
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * How firm a basis is:
 * - `verified`: checked against a public copy of the text;
 * - `unverified`: widely cited, not verified here — shipped as an overridable default;
 * - `policy-default`: practice, not law (e.g. a deadline) — shipped as an overridable default.
 */
export const Status = Schema.Literals(["verified", "unverified", "policy-default"]).annotate({
  identifier: "BasisStatus",
  description: "verified: checked against the text; unverified: widely cited; policy-default: practice, overridable"
})

/** See {@link Status}. */
export type Status = typeof Status.Type

/** The basis of a rule or list: instrument, provision, status and an optional note. */
export const Basis = Schema.Struct({
  /** The instrument, short form: `UU 35/2014`, `PP 78/2021`, `Permensos 8/2012`, or a practice source. */
  instrument: Schema.NonEmptyString,
  /** The provision inside it, e.g. `Pasal 59 ayat (2)`; absent when the whole instrument is meant. */
  provision: Schema.optionalKey(Schema.NonEmptyString),
  status: Status,
  /** A short explanation, e.g. where a policy default comes from. */
  note: Schema.optionalKey(Schema.String)
}).annotate({ identifier: "Basis", description: "The legal or policy basis of a rule or a list" })

/** See {@link Basis}. */
export type Basis = typeof Basis.Type

const make =
  (status: Status) =>
  (instrument: string, provision?: string, note?: string): Basis => ({
    instrument,
    status,
    ...(provision === undefined ? {} : { provision }),
    ...(note === undefined ? {} : { note })
  })

/** A basis checked against a public copy of the text. */
export const verified = make("verified")
/** A basis that is widely cited but not verified here: ship it as an overridable default. */
export const unverified = make("unverified")
/** A practice or policy default (not law): ship it as an overridable default and say where it comes from. */
export const policyDefault = make("policy-default")

/**
 * A provision whose text was read in a transcription (an unofficial copy, Wikisource, a legal-information site), not
 * in the gazette itself: unverified, with a note that says so, until someone checks it there.
 */
export const transcribed = (instrument: string, provision: string, note: string): Basis =>
  unverified(instrument, provision, `${note} (read in a transcription, not the gazette)`)

/** One line for people: `UU 35/2014 Pasal 59 ayat (2) [verified]`, with the note after a dash when present. */
export const format = (basis: Basis): string =>
  `${basis.instrument}${basis.provision === undefined ? "" : ` ${basis.provision}`} [${basis.status}]${
    basis.note === undefined ? "" : ` — ${basis.note}`
  }`

/** A user-facing term in Indonesian (`id`) and English (`en`). Indonesian domain terms stay proper nouns. */
export const Label = Schema.Struct({
  id: Schema.NonEmptyString,
  en: Schema.NonEmptyString
}).annotate({ identifier: "Label", description: "A term in Indonesian (id) and English (en)" })

/** See {@link Label}. */
export type Label = typeof Label.Type

/** Builds a {@link Label}. */
export const label = (id: string, en: string): Label => ({ id, en })

/** A rule with a stable id (e.g. `SPPA-DIVERSION`, `SOP-06`), a title and at least one basis. */
export const Rule = Schema.Struct({
  id: Schema.NonEmptyString,
  title: Label,
  basis: Schema.NonEmptyArray(Basis)
}).annotate({ identifier: "Rule", description: "A rule of the domain with its stable id and basis" })

/** See {@link Rule}. */
export type Rule = typeof Rule.Type

/** Builds a {@link Rule}. */
export const rule = (id: string, title: Label, basis: readonly [Basis, ...Array<Basis>]): Rule => ({
  id,
  title,
  basis
})

/**
 * Who is a child: a person not yet 18, including one still in the womb — UU 23/2002 Pasal 1 angka 1, kept by UU
 * 35/2014. One citation with one status, wherever the library relies on it (adulthood, classification).
 */
export const childUnder18: Basis = unverified(
  "UU 23/2002",
  "Pasal 1 angka 1 (as amended by UU 35/2014)",
  "anak: a person not yet 18 years old, including one still in the womb"
)
