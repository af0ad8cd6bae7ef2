import { fc, test as propTest } from "@fast-check/vitest"
import { Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as Atensi from "../src/Atensi.js"
import * as Basis from "../src/Basis.js"
import * as Ppks from "../src/Ppks.js"

const failureOf = <A, E>(result: Result.Result<A, E>): E => {
  if (Result.isSuccess(result)) throw new Error(`expected a failure, got ${JSON.stringify(result.success)}`)
  return result.failure
}

describe("Atensi: lists of Permensos 7/2021", () => {
  it("has the seven service components", () => {
    expect(Atensi.components.map((c) => c.label.id)).toEqual([
      "Dukungan pemenuhan kebutuhan hidup layak",
      "Perawatan sosial dan/atau pengasuhan anak",
      "Dukungan keluarga",
      "Terapi fisik, psikososial dan mental spiritual",
      "Pelatihan vokasional dan/atau pembinaan kewirausahaan",
      "Bantuan sosial dan asistensi sosial",
      "Dukungan aksesibilitas"
    ])
    for (const c of Atensi.components) {
      expect(c.basis).toEqual({ instrument: "Permensos 7/2021", provision: "Pasal 1 angka 2", status: "verified" })
      expect(Atensi.getComponent(c.code)).toBe(c)
    }
  })

  it("has the three delivery settings and the five clusters", () => {
    expect(Atensi.settings.map((s) => s.code)).toEqual(["family-based", "community-based", "residence-based"])
    expect(Atensi.clusters.map((c) => c.label.id)).toEqual([
      "Anak",
      "Penyandang disabilitas",
      "Lanjut usia",
      "Korban penyalahgunaan NAPZA",
      "Tuna sosial dan korban perdagangan orang"
    ])
    for (const item of [...Atensi.settings, ...Atensi.clusters]) {
      expect(item.basis.instrument).toBe("Permensos 7/2021")
      expect(item.basis.status).toBe("verified")
    }
  })

  it("carries the caveat that Permensos 15/2025 may replace it", () => {
    expect(Atensi.replacementNotice.instrument).toBe("Permensos 15/2025")
    expect(Atensi.replacementNotice.status).toBe("unverified")
  })

  it("describes seed 001's temporary care at LPKS Lubuk Minturun as a plan item", () => {
    const item = Schema.decodeUnknownSync(
      Schema.Struct({ component: Atensi.ComponentCode, setting: Atensi.SettingCode })
    )({ component: "social-care-parenting", setting: "residence-based" })
    expect(Atensi.getSetting(item.setting).label.id).toBe("Berbasis residensial")
  })

  it("parses codes with a typed error naming the kind and the valid codes", () => {
    expect(Atensi.parseComponent("therapy")).toEqual(Result.succeed("therapy"))
    expect(Atensi.parseSetting("family-based")).toEqual(Result.succeed("family-based"))
    expect(Atensi.parseCluster("napza")).toEqual(Result.succeed("napza"))
    const bad = failureOf(Atensi.parseCluster("anak"))
    expect(bad._tag).toBe("UnknownAtensiCode")
    expect(bad.kind).toBe("cluster")
    expect(bad.message).toBe(
      '"anak" is not an ATENSI cluster code: expected one of children, disability, older-persons, napza, tuna-sosial-trafficking'
    )
    expect(failureOf(Atensi.parseSetting(3)).kind).toBe("setting")
    expect(failureOf(Atensi.parseComponent(undefined)).input).toBe("undefined")
  })

  propTest.prop([
    fc.constantFrom(...Atensi.componentCodes),
    fc.constantFrom(...Atensi.settingCodes),
    fc.constantFrom(...Atensi.clusterCodes)
  ])("every code round-trips through its Schema", (component, setting, cluster) => {
    expect(Schema.encodeSync(Atensi.ComponentCode)(Schema.decodeUnknownSync(Atensi.ComponentCode)(component))).toBe(
      component
    )
    expect(Schema.encodeSync(Atensi.SettingCode)(Schema.decodeUnknownSync(Atensi.SettingCode)(setting))).toBe(setting)
    expect(Schema.encodeSync(Atensi.ClusterCode)(Schema.decodeUnknownSync(Atensi.ClusterCode)(cluster))).toBe(cluster)
    expect(Schema.is(Atensi.Component)(Atensi.getComponent(component))).toBe(true)
    expect(Schema.is(Atensi.Setting)(Atensi.getSetting(setting))).toBe(true)
    expect(Schema.is(Atensi.Cluster)(Atensi.getCluster(cluster))).toBe(true)
  })
})

describe("Atensi: which cluster serves a PPKS category", () => {
  it("assigns every PPKS category exactly once", () => {
    expect(Atensi.ppksClusters.map((p) => p.ppks)).toEqual([...Ppks.codes])
  })

  it("serves children in the anak cluster and adults by category", () => {
    for (const code of [1, 2, 3, 4, 5, 6, 7] as const) expect(Atensi.clusterOfPpks(code)).toBe("children")
    expect(Atensi.clusterOfPpks(8)).toBe("older-persons")
    expect(Atensi.clusterOfPpks(9)).toBe("disability")
    expect(Atensi.clusterOfPpks(17)).toBe("napza")
    expect(Atensi.clusterOfPpks(18)).toBe("tuna-sosial-trafficking")
    expect(Atensi.clusterOfPpks(20)).toBe("tuna-sosial-trafficking")
    expect(Atensi.clusterOfPpks(11)).toBe("tuna-sosial-trafficking")
    expect(Atensi.clusterOfPpks(21)).toBeUndefined()
    expect(Atensi.clusterOfPpks(24)).toBeUndefined()
  })

  propTest.prop([fc.constantFrom(...Ppks.codes)])("child categories, and only they, go to the anak cluster", (code) => {
    expect(Atensi.clusterOfPpks(code) === "children").toBe(Ppks.isChildCategory(code))
    expect(Atensi.clusterBasisOfPpks(code).status).toBe("policy-default")
  })

  it("has a basis on every list item and no rules of its own", () => {
    for (const item of [...Atensi.components, ...Atensi.settings, ...Atensi.clusters]) {
      expect(Schema.is(Basis.Basis)(item.basis)).toBe(true)
    }
    expect(Atensi.rules).toEqual([])
  })
})
