/**
 * What story 001 shows: a child in conflict with the law (anak berkonflik dengan hukum) goes through the levels of
 * the juvenile justice system with diversion (UU 11/2012 SPPA) and a Litmas from the Bapas; the cases are referred to
 * other services (Balai Anak "Rumbai", LPKS, health, education).
 */
import { agencyName, type Highlights } from "@lindung/example-story-kit"
import { Effect } from "effect"

export const highlights: Highlights = (result) =>
  Effect.succeed([
    "SPPA — tingkat pemeriksaan dan diversi (levels of examination and diversion):",
    ...[...result.cases.values()].flatMap((state) =>
      state.sppa.levels.map(
        (level) =>
          `  ${state.id}: ${level.stage} sejak ${level.startedOn}; diversi ${level.diversionMandatory ? "wajib" : "tidak wajib"}${level.outcome === undefined ? "" : `, hasil: ${level.outcome}`}${level.confirmedOn === undefined ? "" : `, penetapan ${level.confirmedOn}`}`
      )
    ),
    ...[...result.cases.values()].flatMap((state) =>
      state.sppa.litmas.map(
        (litmas) =>
          `  ${state.id}: Litmas dari ${agencyName(litmas.bapas)}, diminta ${litmas.requestedOn}${litmas.receivedOn === undefined ? "" : `, diterima ${litmas.receivedOn}`}`
      )
    ),
    "Rujukan (referrals):",
    ...[...result.cases.values()].flatMap((state) =>
      Object.values(state.referrals).map(
        (referral) => `  ${state.id}: ${agencyName(referral.to)} — ${referral.purpose}, ${referral.status}`
      )
    )
  ])
