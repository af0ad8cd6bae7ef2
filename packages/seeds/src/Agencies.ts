/**
 * The agencies of the five seed stories: Dinas Sosial of kota, kabupaten and provinsi, Kemensos units (Sentra
 * Handayani, Sentra Paramitha, Balai Anak "Rumbai"), UPTD (PSAA Tri Murni, RPTC, Puslansos), an LPKS and an LKSA,
 * partners (LPA, school, police UPPA, court, religious and community leaders), Bapas, and other sectors (education,
 * Dukcapil, labour, religious affairs).
 *
 * Ids are stable and follow the pattern `<kind>-<region code>` where a region has one such agency. Region codes
 * are Kemendagri codes (Kepmendagri 300.2.2-2138/2025). The Dinas Sosial **types** (A, B, C, merged) are assumed
 * for the examples: the seeds do not state them, and nothing here claims that a real dinas has that type. The
 * merged dinas of Kabupaten Kepulauan Mentawai, the school and the LKSA are examples (`contoh`), not real bodies.
 *
 * @example
 * ```ts
 * import { Agencies } from "@lindung/seeds"
 *
 * Agencies.get("dinsos-13.71").name // "Dinas Sosial Kota Padang"
 * Agencies.get("dinsos-13.04").dinasType // "C" (assumed for the example)
 * Agencies.find("uptd-rptc-52")?.kind // "uptd"
 * // CaseRepository.layer({ agencies: Agencies.directory }) — the directory the decider needs
 * ```
 *
 * @since 0.1.0
 */
import { Agency } from "@lindung/core"
import { Schema } from "effect"

const agency = <const I extends string>(
  id: I,
  kind: Agency.Kind,
  name: string,
  region: string,
  dinasType?: Agency.DinasTypeCode
) => ({ id, agency: Agency.make({ id, kind, name, region, ...(dinasType === undefined ? {} : { dinasType }) }) })

const entries = [
  // Kemensos national units (region ID).
  agency("sentra-handayani", "sentra", "Sentra Handayani (Kemensos), Jakarta", "ID"),
  agency("sentra-paramitha", "sentra", "Sentra Paramitha (Kemensos), Mataram", "ID"),
  agency("balai-anak-rumbai", "sentra", 'Balai Anak "Rumbai" (Kemensos), Pekanbaru', "ID"),
  // Sumatera Barat (seeds 000, 001, 004).
  agency("dinsos-13", "dinsos", "Dinas Sosial Provinsi Sumatera Barat", "13", "A"),
  agency("dinsos-13.71", "dinsos", "Dinas Sosial Kota Padang", "13.71", "A"),
  agency("dinsos-13.07", "dinsos", "Dinas Sosial Kabupaten Lima Puluh Kota", "13.07", "B"),
  agency("dinsos-13.04", "dinsos", "Dinas Sosial Kabupaten Tanah Datar", "13.04", "C"),
  agency(
    "dinsos-13.09",
    "dinsos",
    "Dinas gabungan urusan Sosial, PPPA dan PMD Kabupaten Kepulauan Mentawai (contoh)",
    "13.09",
    "merged"
  ),
  agency("uptd-psaa-tri-murni", "uptd", "UPTD Panti Sosial Asuhan Anak (PSAA) Tri Murni, Padang Panjang", "13"),
  agency("lpks-lubuk-minturun", "lpks", "LPKS Lubuk Minturun", "13.71"),
  agency("disdik-13.71", "education", "Dinas Pendidikan Kota Padang", "13.71"),
  agency("dukcapil-13.71", "dukcapil", "Dinas Kependudukan dan Pencatatan Sipil Kota Padang", "13.71"),
  agency("kemenag-13.71", "religious-affairs", "Kantor Kementerian Agama Kota Padang", "13.71"),
  agency("disnaker-13.07", "labour", "Dinas Ketenagakerjaan Kabupaten Lima Puluh Kota", "13.07"),
  agency("lpa-13.71", "lpa", "LPA Kota Padang", "13.71"),
  agency("bapas-padang", "bapas", "Balai Pemasyarakatan (Bapas) Kelas I Padang", "13"),
  agency("polresta-padang", "police", "Unit PPA Polresta Padang", "13.71"),
  agency("tokoh-13.71", "community-leader", "Forum tokoh agama dan masyarakat Kota Padang (contoh)", "13.71"),
  // Kalimantan Timur (seeds 002, 004).
  agency("dinsos-64.71", "dinsos", "Dinas Sosial Kota Balikpapan", "64.71", "B"),
  agency("sekolah-64.71", "school", "Sekolah di Kota Balikpapan (contoh)", "64.71"),
  // Nusa Tenggara Barat (seed 003).
  agency("dinsos-52", "dinsos", "Dinas Sosial Provinsi Nusa Tenggara Barat", "52", "A"),
  agency("uptd-rptc-52", "uptd", "Rumah Perlindungan dan Trauma Center (RPTC) Dinas Sosial Provinsi NTB", "52"),
  agency("uptd-puslansos-52", "uptd", "Puslansos Dinas Sosial Provinsi NTB", "52"),
  agency("lksa-52.71", "lksa", "LKSA di Kota Mataram (contoh)", "52.71"),
  agency("uppa-52", "police", "Unit PPA Polda NTB", "52"),
  agency("pn-52.71", "court", "Pengadilan Negeri Mataram (peradilan anak)", "52.71"),
  // Jawa Timur: an abandoned person with a mental disorder returned to the home province (seed 003).
  agency("dinsos-35", "dinsos", "Dinas Sosial Provinsi Jawa Timur", "35", "A")
] as const

/** The id of an agency of the stories. */
export type Id = (typeof entries)[number]["id"]

/** Every agency id of the stories, as a Schema (for story data decoded from JSON). */
export const AgencyKey = Schema.Literals(entries.map((e) => e.id)).annotate({
  identifier: "SeedAgencyId",
  description: "The id of an agency of the Lindung seed stories"
})

/** Every agency of the stories, in the order above. */
export const all: ReadonlyArray<Agency.Agency> = entries.map((e) => e.agency)

const byId: ReadonlyMap<string, Agency.Agency> = new Map(entries.map((e) => [e.id, e.agency]))

/** The agency with this id. */
export const get = (id: Id): Agency.Agency => byId.get(id) as Agency.Agency

/** The agency with this id, if the stories know it. */
export const find = (id: string): Agency.Agency | undefined => byId.get(id)

/** The directory the decider and the repository need (`Agency.directory` of {@link all}). */
export const directory: Agency.Directory = Agency.directory(all)
