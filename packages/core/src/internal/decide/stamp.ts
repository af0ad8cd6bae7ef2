/**
 * What an event's envelope takes from its type and the rules it rests on: the schema version of the type, the rule
 * ids and their de-duplicated legal basis. Rules are static data, so each combination is computed once; an event type
 * nearly always rests on the same rules, so the last stamp of each type is found with one lookup.
 */
import * as Basis from "../../Basis.js"
import * as CaseEvent from "../../CaseEvent.js"
import * as Sop from "../../Sop.js"

/** The envelope's part that depends only on the event type and its rules. */
export interface Stamp {
  /** The rule references it was computed from (compared by value). */
  readonly refs: ReadonlyArray<Sop.RuleRef>
  readonly schemaVersion: number
  /** The rule ids, each once. */
  readonly rules: ReadonlyArray<string>
  /** Their legal basis, each once. */
  readonly basis: ReadonlyArray<Basis.Basis>
}

const compute = (type: CaseEvent.Type, refs: ReadonlyArray<Sop.RuleRef>): Stamp => {
  const found = refs.map(Sop.ruleOf)
  const seen = new Set<string>()
  const basis = found
    .flatMap((rule) => rule.basis)
    .filter((b) => {
      const text = Basis.format(b)
      if (seen.has(text)) return false
      seen.add(text)
      return true
    })
  return {
    refs,
    schemaVersion: CaseEvent.schemaVersions[type],
    rules: [...new Set(found.map((rule) => rule.id))],
    basis
  }
}

const sameRefs = (left: ReadonlyArray<Sop.RuleRef>, right: ReadonlyArray<Sop.RuleRef>): boolean => {
  if (left === right) return true
  if (left.length !== right.length) return false
  for (let index = 0; index < left.length; index++) if (left[index] !== right[index]) return false
  return true
}

/** Every stamp computed, by type; the first of each list is the one found last. */
const known = new Map<CaseEvent.Type, Array<Stamp>>()

/** The stamp of an event type resting on `refs`. */
export const stampOf = (type: CaseEvent.Type, refs: ReadonlyArray<Sop.RuleRef>): Stamp => {
  let list = known.get(type)
  if (list === undefined) {
    list = []
    known.set(type, list)
  }
  const first = list[0]
  if (first !== undefined && sameRefs(first.refs, refs)) return first
  for (let index = 1; index < list.length; index++) {
    const stamp = list[index] as Stamp
    if (sameRefs(stamp.refs, refs)) {
      // Move it to the front: the next event of this type most likely rests on the same rules.
      list[index] = first as Stamp
      list[0] = stamp
      return stamp
    }
  }
  const stamp = compute(type, refs)
  list.unshift(stamp)
  return stamp
}
