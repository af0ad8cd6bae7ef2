/**
 * What the consumer helper remembers to de-duplicate deliveries and keep each case in version order: per case, the
 * versions acknowledged through it (cases in a bounded, least-recently-used map), and the versions that came but
 * were not handled yet — sent back by the consumer (`nak`) or held back behind such a one.
 *
 * A delivery is a duplicate only when that very version was acknowledged (of a case's acknowledged versions, the
 * latest 64 are kept one by one; an older one that comes again counts as acknowledged). A delivery of a case is emitted only when no
 * lower version of the case is waiting; one above a waiting version is held back (sent back to come again) until the
 * lower ones are handled. A version that comes after a higher one of its case was acknowledged — possible only when
 * this process did not see the lower one before (it was sent back by an earlier process) — is emitted as `late`
 * rather than dropped. Deliveries are handled one at a time (each acknowledged or sent back before the next is read),
 * as the consumer helper's contract says.
 */
/** How many acknowledged versions a case keeps one by one; older ones are summed up by a floor. */
const VERSIONS_KEPT = 64

export class Ledger {
  /**
   * Per case: the versions acknowledged one by one (the latest {@link VERSIONS_KEPT}), the highest, and a floor at or
   * below which every version counts as acknowledged (the versions that no longer fit).
   */
  private readonly acked = new Map<string, { highest: number; floor: number; readonly versions: Set<number> }>()
  private readonly waiting = new Map<string, Set<number>>()
  private readonly capacity: number

  constructor(capacity: number) {
    this.capacity = capacity
  }

  /** What to do with a delivery of `caseId` at `version`. */
  judge(caseId: string, version: number): "emit" | "late" | "duplicate" | "hold" {
    const acked = this.acked.get(caseId)
    if (acked !== undefined && (version <= acked.floor || acked.versions.has(version))) return "duplicate"
    const waiting = this.waiting.get(caseId)
    if (waiting !== undefined && version > Math.min(...waiting)) {
      waiting.add(version)
      return "hold"
    }
    return acked !== undefined && version < acked.highest ? "late" : "emit"
  }

  /** The delivery was acknowledged: a later copy of it is a duplicate. */
  ack(caseId: string, version: number): void {
    const acked = this.acked.get(caseId) ?? { highest: 0, floor: 0, versions: new Set<number>() }
    acked.versions.add(version)
    acked.highest = Math.max(acked.highest, version)
    if (acked.versions.size > VERSIONS_KEPT) {
      const lowest = Math.min(...acked.versions)
      acked.versions.delete(lowest)
      acked.floor = Math.max(acked.floor, lowest)
    }
    this.acked.delete(caseId)
    this.acked.set(caseId, acked)
    if (this.acked.size > this.capacity) this.acked.delete(this.acked.keys().next().value as string)
    this.settle(caseId, version)
  }

  /**
   * The delivery was dealt with, whether or not its acknowledgement is known to have arrived: the later versions of its
   * case no longer wait for it (if it comes again, it is emitted again).
   */
  settle(caseId: string, version: number): void {
    const waiting = this.waiting.get(caseId)
    if (waiting === undefined) return
    waiting.delete(version)
    if (waiting.size === 0) this.waiting.delete(caseId)
  }

  /** The delivery was sent back: the later versions of its case wait for it. */
  nak(caseId: string, version: number): void {
    const waiting = this.waiting.get(caseId) ?? new Set<number>()
    waiting.add(version)
    this.waiting.set(caseId, waiting)
  }
}
