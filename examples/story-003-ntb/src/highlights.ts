/**
 * What story 003 shows: the cases of Dinas Sosial NTB counted as the province reports them — by the child's role in
 * the juvenile justice system (SPPA) and by concern — through the case service, as the province's auditor may count
 * them (counts only: no case, no identity).
 */

import { CaseService } from "@lindung/core"
import type { Highlights } from "@lindung/example-story-kit"
import { People } from "@lindung/seeds"
import { Effect } from "effect"

export const highlights: Highlights = () =>
  Effect.gen(function* () {
    const cases = yield* CaseService.CaseService
    const counted = yield* cases.counts(People.get("auditor-ntb-1"), { by: ["sppaRole", "concern"] })
    const rows = [...counted.rows].sort(
      (a, b) => b.count - a.count || JSON.stringify(a.key).localeCompare(JSON.stringify(b.key))
    )
    return [
      `Rekap kasus Dinas Sosial NTB menurut peran SPPA dan masalah (${rows.reduce((n, row) => n + row.count, 0)} kasus):`,
      ...rows.map(
        (row) => `  ${(row.key.sppaRole ?? "none").padEnd(30)} ${(row.key.concern ?? "none").padEnd(16)} ${row.count}`
      )
    ]
  })
