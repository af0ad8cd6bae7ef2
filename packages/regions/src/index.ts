/**
 * `@lindung/regions`: names and hierarchy of Indonesia's provinsi, kabupaten/kota, kecamatan and desa/kelurahan,
 * on `@lindung/core`'s region codes. Import the module as a namespace from the package root
 * (`import { Regions } from "@lindung/regions"`) or directly (`import * as Regions from "@lindung/regions/Regions"`).
 *
 * Data: idn-area-data (https://github.com/fityannugroho/idn-area-data), made available under the Open Database
 * License (ODbL) 1.0.
 *
 * @since 0.1.0
 */

/** The region directory: load, look up by code or name, validate, display names. */
export * as Regions from "./Regions.js"
