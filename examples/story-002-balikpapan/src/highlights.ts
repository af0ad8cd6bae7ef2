/**
 * What story 002 shows: three reports that came from a school or a parent, assessed at different risk levels by a
 * team of companions (pendamping); one ends in aftercare after prevention, one is closed after reintegration, and one
 * turns out not to be a protection case and is closed early.
 */
import { type Highlights, stage } from "@lindung/example-story-kit"
import { Effect } from "effect"

export const highlights: Highlights = (result) =>
  Effect.succeed([
    "Sumber laporan, risiko dan akhir (source, risk and end):",
    ...[...result.cases.values()].map(
      (state) =>
        `  ${state.id}: laporan dari ${state.source}; risiko ${state.risk?.effective ?? "belum dinilai"}; pendamping ${state.assigned.length}; ${stage(state.stage)}${state.closure === undefined ? "" : ` — ${state.closure.reason}`}`
    )
  ])
