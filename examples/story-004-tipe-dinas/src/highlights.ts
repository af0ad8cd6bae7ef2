/**
 * What story 004 shows: who approves depends on the type of the Dinas Sosial (Permensos on the nomenclature of
 * Dinas Sosial: type A, B and C, and a merged Dinas): a Kabid Rehsos where the Dinas has one, the head of the field
 * that holds rehabilitation in a type C Dinas, the Kadis above them — every approval in the story, and who gave it.
 */
import { agencyName, type Highlights } from "@lindung/example-story-kit"
import { People } from "@lindung/seeds"
import { Effect } from "effect"

export const highlights: Highlights = (result) =>
  Effect.succeed([
    "Persetujuan menurut tipe Dinas (approvals by Dinas type):",
    ...[...result.cases.values()].flatMap((state) => {
      const agency = People.directory.agencies.get(state.owner)
      return Object.values(state.approvals).map((approval) => {
        const by = approval.decidedBy === undefined ? undefined : People.find(approval.decidedBy)
        return `  ${state.id} (${agencyName(state.owner)}, tipe ${agency?.dinasType ?? "?"}): ${approval.subject._tag} → ${approval.status} oleh ${by?.position ?? by?.role ?? "—"}`
      })
    })
  ])
