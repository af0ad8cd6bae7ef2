/**
 * ATENSI — Asistensi Rehabilitasi Sosial (Permensos 7/2021): the seven service components a case plan is made of,
 * the three settings they are delivered in (family-, community- or residence-based) and the five clusters of
 * people the programme serves.
 *
 * Permensos 7/2021 was amended by Permensos 7/2022 (which kept the definition of ATENSI), and Permensos 15/2025
 * may replace it [unverified]: {@link replacementNotice} carries that caveat so docs and APIs can show it.
 *
 * @example
 * ```ts
 * import { Atensi } from "@lindung/core"
 *
 * Atensi.getComponent("family-support").label.id // "Dukungan keluarga"
 * Atensi.clusterOfPpks(18) // "tuna-sosial-trafficking"
 * Atensi.clusterOfPpks(21) // undefined: disaster victims are served outside the five clusters
 * ```
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import * as Basis from "./Basis.js"
import type * as Ppks from "./Ppks.js"

const definition = (note?: string): Basis.Basis => Basis.verified("Permensos 7/2021", "Pasal 1 angka 2", note)

/** A caveat on every ATENSI list: Permensos 15/2025 may replace Permensos 7/2021 (not verified here). */
export const replacementNotice: Basis.Basis = Basis.unverified(
  "Permensos 15/2025",
  undefined,
  "widely cited as replacing Permensos 7/2021; not verified here — check the lists before relying on them"
)

/** A value that is not an ATENSI code of the expected kind; `reason` lists the valid codes. */
export class UnknownAtensiCode extends Schema.TaggedError<UnknownAtensiCode>()("UnknownAtensiCode", {
  kind: Schema.Literals(["component", "cluster", "setting"]),
  input: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `${this.input} is not an ATENSI ${this.kind} code: ${this.reason}`
  }
}

const show = (input: unknown): string => {
  if (input === undefined) return "undefined"
  try {
    return JSON.stringify(input) ?? String(input)
  } catch {
    return String(input)
  }
}

const parser =
  <const Codes extends ReadonlyArray<string>>(kind: UnknownAtensiCode["kind"], codes: Codes) =>
  (input: unknown): Result.Result<Codes[number], UnknownAtensiCode> =>
    typeof input === "string" && codes.includes(input)
      ? Result.succeed(input as Codes[number])
      : Result.fail(new UnknownAtensiCode({ kind, input: show(input), reason: `expected one of ${codes.join(", ")}` }))

// ---------------------------------------------------------------------------------------------------------------
// Components

/** The seven service components, in the order of the definition. */
export const componentCodes = [
  "decent-living-support",
  "social-care-parenting",
  "family-support",
  "therapy",
  "vocational-entrepreneurship",
  "social-assistance",
  "accessibility-support"
] as const

/** An ATENSI service component. */
export const ComponentCode = Schema.Literals(componentCodes).annotate({
  identifier: "AtensiComponentCode",
  description: "One of the seven ATENSI service components (Permensos 7/2021 Pasal 1 angka 2)"
})

/** See {@link ComponentCode}. */
export type ComponentCode = typeof ComponentCode.Type

/** An ATENSI service component. */
export const Component = Schema.Struct({ code: ComponentCode, label: Basis.Label, basis: Basis.Basis }).annotate({
  identifier: "AtensiComponent",
  description: "An ATENSI service component"
})

/** See {@link Component}. */
export type Component = typeof Component.Type

const component = (code: ComponentCode, id: string, en: string): Component => ({
  code,
  label: Basis.label(id, en),
  basis: definition()
})

/** The seven components. A case plan is a set of these. */
export const components: ReadonlyArray<Component> = [
  component("decent-living-support", "Dukungan pemenuhan kebutuhan hidup layak", "Support to meet decent living needs"),
  component("social-care-parenting", "Perawatan sosial dan/atau pengasuhan anak", "Social care and/or childcare"),
  component("family-support", "Dukungan keluarga", "Family support"),
  component(
    "therapy",
    "Terapi fisik, psikososial dan mental spiritual",
    "Physical, psychosocial and mental-spiritual therapy"
  ),
  component(
    "vocational-entrepreneurship",
    "Pelatihan vokasional dan/atau pembinaan kewirausahaan",
    "Vocational training and/or entrepreneurship coaching"
  ),
  component("social-assistance", "Bantuan sosial dan asistensi sosial", "Social aid and social assistance"),
  component("accessibility-support", "Dukungan aksesibilitas", "Accessibility support")
]

/** The component of a code. */
export const getComponent = (code: ComponentCode): Component => components.find((c) => c.code === code) as Component

/** Checks a value and returns the component code, or an {@link UnknownAtensiCode}. */
export const parseComponent = parser("component", componentCodes)

// ---------------------------------------------------------------------------------------------------------------
// Settings

/** The three delivery settings. */
export const settingCodes = ["family-based", "community-based", "residence-based"] as const

/** Where an ATENSI service is delivered: berbasis keluarga, komunitas or residensial. */
export const SettingCode = Schema.Literals(settingCodes).annotate({
  identifier: "AtensiSettingCode",
  description: "Where an ATENSI service is delivered: family-, community- or residence-based"
})

/** See {@link SettingCode}. */
export type SettingCode = typeof SettingCode.Type

/** An ATENSI delivery setting. */
export const Setting = Schema.Struct({ code: SettingCode, label: Basis.Label, basis: Basis.Basis }).annotate({
  identifier: "AtensiSetting",
  description: "An ATENSI delivery setting"
})

/** See {@link Setting}. */
export type Setting = typeof Setting.Type

/** The three settings. */
export const settings: ReadonlyArray<Setting> = [
  { code: "family-based", label: Basis.label("Berbasis keluarga", "Family-based"), basis: definition() },
  { code: "community-based", label: Basis.label("Berbasis komunitas", "Community-based"), basis: definition() },
  {
    code: "residence-based",
    label: Basis.label("Berbasis residensial", "Residence-based"),
    basis: definition("residential: in a balai, sentra, UPTD or LKS")
  }
]

/** The setting of a code. */
export const getSetting = (code: SettingCode): Setting => settings.find((s) => s.code === code) as Setting

/** Checks a value and returns the setting code, or an {@link UnknownAtensiCode}. */
export const parseSetting = parser("setting", settingCodes)

// ---------------------------------------------------------------------------------------------------------------
// Clusters

/** The five clusters. */
export const clusterCodes = ["children", "disability", "older-persons", "napza", "tuna-sosial-trafficking"] as const

/** An ATENSI cluster (kluster): the group of people a rehabilitation programme serves. */
export const ClusterCode = Schema.Literals(clusterCodes).annotate({
  identifier: "AtensiClusterCode",
  description:
    "An ATENSI cluster: anak, penyandang disabilitas, lanjut usia, NAPZA, tuna sosial dan korban perdagangan orang"
})

/** See {@link ClusterCode}. */
export type ClusterCode = typeof ClusterCode.Type

/** An ATENSI cluster. */
export const Cluster = Schema.Struct({ code: ClusterCode, label: Basis.Label, basis: Basis.Basis }).annotate({
  identifier: "AtensiCluster",
  description: "An ATENSI cluster"
})

/** See {@link Cluster}. */
export type Cluster = typeof Cluster.Type

const clusterBasis = Basis.verified(
  "Permensos 7/2021",
  undefined,
  "the five clusters of the Program Rehabilitasi Sosial; disaster victims and other PPKS are served outside them"
)

/** The five clusters. */
export const clusters: ReadonlyArray<Cluster> = [
  { code: "children", label: Basis.label("Anak", "Children"), basis: clusterBasis },
  {
    code: "disability",
    label: Basis.label("Penyandang disabilitas", "Persons with disabilities"),
    basis: clusterBasis
  },
  { code: "older-persons", label: Basis.label("Lanjut usia", "Older persons"), basis: clusterBasis },
  {
    code: "napza",
    label: Basis.label("Korban penyalahgunaan NAPZA", "Victims of substance abuse (NAPZA)"),
    basis: clusterBasis
  },
  {
    code: "tuna-sosial-trafficking",
    label: Basis.label("Tuna sosial dan korban perdagangan orang", "Tuna sosial and trafficking victims"),
    basis: clusterBasis
  }
]

/** The cluster of a code. */
export const getCluster = (code: ClusterCode): Cluster => clusters.find((c) => c.code === code) as Cluster

/** Checks a value and returns the cluster code, or an {@link UnknownAtensiCode}. */
export const parseCluster = parser("cluster", clusterCodes)

/** Which cluster serves a PPKS category, if any, with the basis of the assignment. */
export interface PpksCluster {
  readonly ppks: Ppks.PpksCode
  readonly cluster: ClusterCode | undefined
  readonly basis: Basis.Basis
}

const assignment = (note: string): Basis.Basis => Basis.policyDefault("Lindung ATENSI cluster mapping", undefined, note)

const ppksClusterTable: ReadonlyArray<readonly [ClusterCode | undefined, ReadonlyArray<Ppks.PpksCode>, string]> = [
  ["children", [1, 2, 3, 4, 5, 6, 7], "the child categories 1–7 are served by the anak cluster"],
  ["older-persons", [8], "lanjut usia telantar"],
  ["disability", [9], "penyandang disabilitas (including ODGJ)"],
  [
    "tuna-sosial-trafficking",
    [10, 11, 12, 13, 15, 16, 18, 19, 20],
    "tuna sosial (tuna susila, gelandangan, pengemis, pemulung, bekas warga binaan, ODHA) and victims of trafficking, violence and troubled migration, as grouped by the Kemensos directorate of that cluster"
  ],
  ["napza", [17], "korban penyalahgunaan NAPZA"],
  [
    undefined,
    [14, 21, 22, 23, 24, 25, 26],
    "outside the five clusters: disaster victims and other PPKS are served by other programmes"
  ]
]

/**
 * The cluster of each PPKS category (a policy default: Permensos 7/2021 names the clusters, not the assignment of
 * each Permensos 8/2012 category). `cluster` is `undefined` for categories served outside the five clusters.
 */
export const ppksClusters: ReadonlyArray<PpksCluster> = ppksClusterTable
  .flatMap(([cluster, codes, note]) => codes.map((ppks) => ({ ppks, cluster, basis: assignment(note) })))
  .sort((a, b) => a.ppks - b.ppks)

/** The cluster that serves a PPKS category, or `undefined` when it is served outside the five clusters. */
export const clusterOfPpks = (ppks: Ppks.PpksCode): ClusterCode | undefined =>
  ppksClusters.find((p) => p.ppks === ppks)?.cluster

/** The basis of {@link clusterOfPpks} for a category. */
export const clusterBasisOfPpks = (ppks: Ppks.PpksCode): Basis.Basis =>
  (ppksClusters.find((p) => p.ppks === ppks) as PpksCluster).basis

/** ATENSI is a set of lists: it implements no rule of its own. */
export const rules: ReadonlyArray<Basis.Rule> = []
