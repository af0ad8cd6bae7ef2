/**
 * What the consumer helper remembers to de-duplicate deliveries and keep each case in version order: per case, the
 * last version acknowledged through it (a bounded, least-recently-used map), and the versions that came but were
 * not handled yet — sent back by the consumer (`nak`) or held back behind such a one.
 *
 * A delivery of a case is emitted only when every version of that case below it that came is acknowledged: a version
 * at or below the last acknowledged one is a duplicate; one above a version still waiting is held back (sent back
 * to come again) until the lower ones are handled. Deliveries are handled one at a time (each acknowledged or sent
 * back before the next is read), as the consumer helper's contract says.
 */
export class Ledger {
  private readonly acked = new Map<string, number>()
  private readonly waiting = new Map<string, Set<number>>()
  private readonly capacity: number

  constructor(capacity: number) {
    this.capacity = capacity
  }

  /** What to do with a delivery of `caseId` at `version`. */
  judge(caseId: string, version: number): "emit" | "duplicate" | "hold" {
    if (version <= (this.acked.get(caseId) ?? 0)) return "duplicate"
    const waiting = this.waiting.get(caseId)
    if (waiting === undefined) return "emit"
    const lowest = Math.min(...waiting)
    if (version > lowest) {
      waiting.add(version)
      return "hold"
    }
    return "emit"
  }

  /** The delivery was acknowledged: later duplicates of it are dropped. */
  ack(caseId: string, version: number): void {
    const last = this.acked.get(caseId) ?? 0
    this.acked.delete(caseId)
    this.acked.set(caseId, Math.max(last, version))
    if (this.acked.size > this.capacity) this.acked.delete(this.acked.keys().next().value as string)
    const waiting = this.waiting.get(caseId)
    if (waiting === undefined) return
    for (const held of waiting) if (held <= version) waiting.delete(held)
    if (waiting.size === 0) this.waiting.delete(caseId)
  }

  /** The delivery was sent back: the later versions of its case wait for it. */
  nak(caseId: string, version: number): void {
    const waiting = this.waiting.get(caseId) ?? new Set<number>()
    waiting.add(version)
    this.waiting.set(caseId, waiting)
  }
}
