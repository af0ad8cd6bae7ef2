/**
 * References to national data systems a case may carry: the household of the Data Tunggal Sosial Ekonomi Nasional
 * (DTSEN, which succeeds the DTKS) for the UU 35/2014 Pasal 59A measures for poor families, and the report ids of
 * SIMFONI-PPA (KemenPPPA's violence reporting) and SIKS-NG (Kemensos's social welfare information system). A
 * reference is the other system's own record id — opaque, checked, never an identity: a value holding 16 digits in
 * a row once every separator is removed (the shape of a NIK or a family-card number) is refused, since those identify
 * a person or a family (they belong in the identity vault). This also refuses some harmless ids whose digit groups
 * add up to 16 (`DTSEN-3201-2025-00001234`): give such an id with a letter between the groups.
 *
 * @example
 * ```ts
 * import { NationalReference } from "@lindung/core"
 *
 * NationalReference.decode({ system: "simfoni-ppa", id: "SPPA-2025-000123" }) // Result.succeed(…)
 * NationalReference.decode({ system: "dtsen", id: "NIK-1371012345670001" }) // Result.fail: a NIK's 16 digits
 * ```
 *
 * @since 0.2.0
 */
import { Schema } from "effect"
import * as Basis from "./Basis.js"
import * as Input from "./Input.js"

/** The national systems a case may refer to, with labels and basis. */
export const systems = {
  dtsen: {
    label: Basis.label(
      "Data Tunggal Sosial Ekonomi Nasional (DTSEN): rumah tangga",
      "National single socio-economic data (DTSEN): the household"
    ),
    basis: Basis.unverified("Inpres 4/2025", undefined, "DTSEN, succeeding the DTKS")
  },
  dtks: {
    label: Basis.label(
      "Data Terpadu Kesejahteraan Sosial (DTKS): rumah tangga",
      "Integrated social welfare data (DTKS): the household"
    ),
    basis: Basis.unverified("UU 13/2011", undefined, "the integrated data of the poor (provision not checked)")
  },
  "simfoni-ppa": {
    label: Basis.label("SIMFONI-PPA: laporan kekerasan", "SIMFONI-PPA: a violence report"),
    basis: Basis.policyDefault(
      "KemenPPPA",
      undefined,
      "the online information system for the protection of women and children"
    )
  },
  "siks-ng": {
    label: Basis.label("SIKS-NG: data kesejahteraan sosial", "SIKS-NG: a social welfare record"),
    basis: Basis.policyDefault("Kemensos", undefined, "the next-generation social welfare information system")
  }
} as const

/** A national system. */
export const System = Schema.Literals(Object.keys(systems) as Array<keyof typeof systems>).annotate({
  identifier: "NationalSystem"
})

/** See {@link System}. */
export type System = typeof System.Type

/** The most characters of a reference id. */
export const MAX_LENGTH = 64

const shape = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/

/** Why `id` cannot be a reference, or `undefined`. */
export const problem = (id: string): string | undefined => {
  if (id.length === 0 || id.length > MAX_LENGTH) return `a reference id has 1 to ${MAX_LENGTH} characters`
  if (!shape.test(id)) return "a reference id is letters, digits and . _ / - (starting with a letter or digit)"
  // Sixteen digits in a row, once the separators are gone, may be a NIK or a family-card number (Nomor KK),
  // wherever they stand: a reference holding them could identify a person or a family.
  if (/\d{16}/.test(id.replaceAll(/[^A-Za-z0-9]/g, ""))) {
    return "holds 16 digits in a row, like a NIK or a family-card number: a reference is the system's own record id, never an identity"
  }
  return undefined
}

/** A reference to a record of a national system: the system and its own record id (opaque, never identity). */
export const Reference = Schema.Struct({
  system: System,
  id: Schema.String.check(
    Schema.makeFilter((value: string) => problem(value) ?? true, {
      expected: `a national system's record id: 1 to ${MAX_LENGTH} letters, digits and . _ / -, not a NIK or KK number`
    })
  )
}).annotate({ identifier: "NationalReference", description: "A national system's own record id, never an identity" })

/** See {@link Reference}. */
export type Reference = typeof Reference.Type

/** Checks a reference from plain data: the reference, or an `InvalidInput`. */
export const decode = Input.decode(Reference, "reference")
