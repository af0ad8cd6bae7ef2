/**
 * What story 000 shows: responsibility for the siblings passes from Sentra Handayani (Kemensos, Jakarta) to Dinas
 * Sosial Kota Padang by a transfer that the receiving Dinas accepts, and the Dinas then reintegrates them with their
 * family — each step recorded with who did it, when, and on what legal basis.
 */
import { agencyName, type Highlights, localTime } from "@lindung/example-story-kit"
import { DateTime, Effect } from "effect"

export const highlights: Highlights = (result) =>
  Effect.succeed([
    "Serah terima tanggung jawab (transfer of responsibility):",
    ...[...result.cases.values()].flatMap((state) =>
      Object.values(state.transfers).map(
        (transfer) =>
          `  ${state.id}: ${agencyName(transfer.from)} → ${agencyName(transfer.to)}, ${transfer.status}; diminta ${localTime(DateTime.formatIso(transfer.requestedAt), state.region)}; dasar: ${transfer.legalBasis._tag}`
      )
    ),
    "Pemilik kasus sekarang (owner now):",
    ...[...result.cases.values()].map((state) => `  ${state.id}: ${agencyName(state.owner)}`)
  ])
