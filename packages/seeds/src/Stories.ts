/**
 * The five seed stories of Lindung (docs/domain.md §8) as data: for each, its cases and the stage each case ends in,
 * the steps — who (a {@link People} id), when (an ISO instant) and what (a command in its JSON form,
 * `CaseCommand.Encoded`) — and the identities of the people the cases are about.
 *
 * Every command carries `occurredAt` equal to its step's instant, so the history shows the story's dates even
 * when the commands are executed later through a repository (whose clock gives the recorded-at instant).
 *
 * | story | seed | cases | what it shows |
 * |---|---|---|---|
 * | `000-padang` | 000 | 2 | Sentra Handayani → Dinas Sosial Kota Padang (transfer), UPTD PSAA Tri Murni |
 * | `001-sumbar` | 001 | 2 | Balai Anak "Rumbai" referral; Sakti Peksos, diversi, LPKS Lubuk Minturun, sector referrals |
 * | `002-balikpapan` | 002 | 3 | school reports, a team of companions, prevention to reintegration, early closure |
 * | `003-ntb` | 003 | 35 | adult PPKS and child cases of Dinsos NTB; the count table by SPPA role and concern |
 * | `004-tipe-dinas` | 004 | 4 | approvers by Dinas type A/B/C/merged; risk-based protection; LPA and leaders |
 *
 * **The identities are fictional.** Every value says `contoh fiktif` (fictional example); they exist so that a
 * demo can show identity being kept apart (an identity vault, redaction, erasure). Nothing in these stories
 * names or describes a real person; ids are pseudonymous; the seed articles' people are not in the data.
 *
 * @example
 * ```ts
 * import { Runner, Stories } from "@lindung/seeds"
 *
 * for (const story of Stories.all) {
 *   const result = Runner.runPure(story) // Result: the final state of every case, and every event
 * }
 * ```
 *
 * @since 0.1.0
 */
import { Basis, CaseCommand, Sop, Subject } from "@lindung/core"
import { Schema } from "effect"
import * as Script from "./internal/script.js"
import * as Seed000 from "./internal/seed000.js"
import * as Seed001 from "./internal/seed001.js"
import * as Seed002 from "./internal/seed002.js"
import * as Seed003 from "./internal/seed003.js"
import * as Seed004 from "./internal/seed004.js"
import * as People from "./People.js"

/** An instant as the stories write it: `YYYY-MM-DDTHH:MM:SSZ` (UTC). */
export const Instant = Schema.String.pipe(
  Schema.check(
    Schema.isPattern(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/u, { message: "an instant is YYYY-MM-DDTHH:MM:SSZ" })
  ),
  Schema.annotate({ identifier: "SeedInstant", description: "An instant in UTC: YYYY-MM-DDTHH:MM:SSZ" })
)

/** One step of a story: who acts (a {@link People} id), when, and the command in its JSON form. */
export const Step = Schema.Struct({
  actor: People.PersonId,
  at: Instant,
  /** The command as JSON (`CaseCommand.Encoded`); its `occurredAt` equals `at`. */
  command: Schema.toEncoded(CaseCommand.Command)
}).annotate({ identifier: "SeedStep", description: "A step of a seed story: actor, instant, command (JSON)" })

/** See {@link Step}. */
export type Step = typeof Step.Type

/** A case of a story and the stage it is in after the story's last step. */
export const StoryCase = Schema.Struct({
  caseId: Schema.NonEmptyString,
  subject: Schema.NonEmptyString,
  finalStage: Sop.Stage,
  title: Basis.Label
}).annotate({ identifier: "SeedStoryCase", description: "A case of a seed story and its final stage" })

/** See {@link StoryCase}. */
export type StoryCase = typeof StoryCase.Type

/**
 * The identity of a story's subject, as plain values (decode with `Subject.IdentityFromValues`). `fictional` is
 * always `true`: every value is a placeholder marked `contoh fiktif`.
 */
export const SubjectIdentity = Schema.Struct({
  subject: Schema.NonEmptyString,
  caseId: Schema.NonEmptyString,
  fictional: Schema.Literal(true),
  identity: Schema.toEncoded(Subject.IdentityFromValues)
}).annotate({
  identifier: "SeedSubjectIdentity",
  description: "A fictional identity of a seed story's subject, as plain values"
})

/** See {@link SubjectIdentity}. */
export type SubjectIdentity = typeof SubjectIdentity.Type

/** The seeds of docs/domain.md §8. */
export const SeedCode = Schema.Literals(["000", "001", "002", "003", "004"]).annotate({ identifier: "SeedCode" })

/** See {@link SeedCode}. */
export type SeedCode = typeof SeedCode.Type

/** A seed story: its cases, its steps in time order, and the fictional identities of its subjects. */
export const Story = Schema.Struct({
  id: Schema.NonEmptyString,
  seed: SeedCode,
  title: Basis.Label,
  summary: Basis.Label,
  cases: Schema.Array(StoryCase),
  steps: Schema.Array(Step),
  identities: Schema.Array(SubjectIdentity)
}).annotate({ identifier: "SeedStory", description: "A Lindung seed story: cases, steps and fictional identities" })

/** See {@link Story}. */
export type Story = typeof Story.Type

const story = (
  meta: Pick<Story, "id" | "seed" | "title" | "summary">,
  cases: ReadonlyArray<Script.CaseScript>
): Story => ({ ...meta, ...Script.assemble(cases) })

/** Seed 000: two siblings return from Sentra Handayani to Dinas Sosial Kota Padang and UPTD PSAA Tri Murni. */
export const padang: Story = story(
  {
    id: "000-padang",
    seed: "000",
    title: Basis.label(
      "Padang: dua kakak-beradik AMPK kembali dari Sentra Handayani",
      "Padang: two siblings (AMPK) return from Sentra Handayani"
    ),
    summary: Basis.label(
      "Korban kekerasan seksual oleh anggota keluarga; hampir tiga tahun di Sentra Handayani; Dinas Sosial Kota Padang menerima alih kelola dan menempatkan keduanya di UPTD PSAA Tri Murni; pemantauan berlanjut.",
      "Victims of sexual violence by a family member; almost three years in Sentra Handayani; Dinas Sosial Kota Padang takes the cases over and places both children in UPTD PSAA Tri Murni; monitoring continues."
    )
  },
  Seed000.cases()
)

/** Seed 001: Balai Anak "Rumbai", Sakti Peksos, diversion, LPKS Lubuk Minturun and post-rehabilitation referrals. */
export const sumbar: Story = story(
  {
    id: "001-sumbar",
    seed: "001",
    title: Basis.label(
      'Sumatera Barat: Balai Anak "Rumbai", Sakti Peksos, diversi dan rujukan',
      'Sumatera Barat: Balai Anak "Rumbai", Sakti Peksos, diversion and referrals'
    ),
    summary: Basis.label(
      "Rujukan NAPZA dari Kabupaten Lima Puluh Kota ke Balai Anak Rumbai lalu ke Disnaker; anak berkonflik dengan hukum di Kota Padang: diversi, LPKS Lubuk Minturun, rujukan ke Disdik, Dukcapil dan Kemenag.",
      "A NAPZA referral from Kabupaten Lima Puluh Kota to Balai Anak Rumbai, then to the labour office; a child in conflict with the law in Kota Padang: diversion, LPKS Lubuk Minturun, referrals to education, civil registry and religious affairs."
    )
  },
  Seed001.cases()
)

/** Seed 002: school reports into Balikpapan's Sistem Penanganan Terpadu; a team of companions. */
export const balikpapan: Story = story(
  {
    id: "002-balikpapan",
    seed: "002",
    title: Basis.label(
      "Balikpapan: laporan komunitas sekolah dan tim pendamping",
      "Balikpapan: school reports and a team of companions"
    ),
    summary: Basis.label(
      "Sistem Penanganan Terpadu: pencegahan, intervensi, rehabilitasi, reintegrasi; satu kasus sedang sampai ditutup, satu kasus rendah dalam bimbingan lanjut, satu laporan ditutup lebih awal.",
      "The integrated handling system: prevention, intervention, rehabilitation, reintegration; a sedang case closed, a rendah case in aftercare, a report closed early."
    )
  },
  Seed002.cases()
)

/** Seed 003: Dinas Sosial Provinsi NTB: adult PPKS and child cases, and the count table. */
export const ntb: Story = story(
  {
    id: "003-ntb",
    seed: "003",
    title: Basis.label(
      "NTB: rehabilitasi sosial PPKS dan pendampingan anak berhadapan dengan hukum",
      "NTB: social rehabilitation of PPKS and accompaniment of children in contact with the law"
    ),
    summary: Basis.label(
      "Pekerja migran bermasalah, korban perdagangan orang, orang telantar, ODGJ telantar (dipulangkan ke Jawa Timur), perempuan korban kekerasan seksual; kasus anak Januari–April 2024: korban, pelaku, saksi, adopsi, perkawinan anak. Jumlah kasus diperkecil (ilustrasi).",
      "Troubled migrant workers, a trafficking victim, abandoned persons, an abandoned person with a mental disorder (returned to Jawa Timur), a woman victim of sexual violence; child cases January–April 2024: victims, alleged offenders, witnesses, adoption, child marriage. Case numbers are scaled down (illustrative)."
    )
  },
  Seed003.cases()
)

/** Seed 004: the approving office by Dinas type A, B, C and merged; risk-based protection; LPA and leaders. */
export const tipeDinas: Story = story(
  {
    id: "004-tipe-dinas",
    seed: "004",
    title: Basis.label(
      "Tipe Dinas Sosial A/B/C/gabungan, perlindungan berbasis risiko, kemitraan LPA",
      "Dinas Sosial types A/B/C/merged, risk-based protection, LPA partnership"
    ),
    summary: Basis.label(
      "Satu kasus di tiap tipe dinas, disetujui oleh jabatan yang sesuai tipenya; kasus risiko tinggi; rujukan ke LPA dan tokoh agama/masyarakat (PKSAI). Tipe dinas adalah asumsi contoh.",
      "One case in each type of dinas, approved by the office its type provides; a tinggi-risk case; referrals to the LPA and religious and community leaders (PKSAI). The dinas types are assumed for the example."
    )
  },
  Seed004.cases()
)

/** The five stories, in seed order. */
export const all: ReadonlyArray<Story> = [padang, sumbar, balikpapan, ntb, tipeDinas]

/** The story with this id, if any. */
export const find = (id: string): Story | undefined => all.find((s) => s.id === id)

/** A row of the seed 003 child table: a group by SPPA role or concern, and its number of cases. */
export type ChildRow = Seed003.ChildRow

/**
 * The child cases of the NTB story by SPPA role or concern (seed 003 reports 316 cases Jan–Apr 2024: 301 ABH,
 * 8 adoption, 7 child marriage; the story has fewer, for illustration). Counting the story's final states in
 * region 52 by `sppaRole` and `concern` (`CaseIndex.count`) gives these numbers, and the adult cases count as
 * neither.
 */
export const ntbChildTable: ReadonlyArray<ChildRow> = Seed003.childTable

/** A row of the seed 003 adult table: a reported PPKS group and its number of cases. */
export type AdultRow = Seed003.AdultRow

/**
 * The adult PPKS cases of the NTB story by the groups Dinsos NTB reports (mapped to PPKS ordinals by
 * `Ppks.mapGroup`: 20, 18, 11, 19 and 9).
 */
export const ntbAdultTable: ReadonlyArray<AdultRow> = Seed003.adultTable

/**
 * The identities of a story's subjects, decoded into `Subject.Identity` (every field `Redacted`), ready for an
 * `IdentityVault`. Throws only if the package's own data were malformed (the tests decode every one).
 */
export const identitiesOf = (
  story: Story
): ReadonlyArray<{ readonly subject: Subject.SubjectId; readonly identity: Subject.Identity }> =>
  story.identities.map((entry) => ({
    subject: Schema.decodeSync(Subject.SubjectId)(entry.subject),
    identity: Schema.decodeSync(Subject.IdentityFromValues)(entry.identity)
  }))
