/**
 * The public form of a case event: what may leave the system on a message bus (NATS, webhooks) for agencies,
 * dashboards and data warehouses that are not the case's own workers. It follows the rules of exports
 * (`CaseExport`): codes, ids of the case's own records, dates and agencies; never an identity and never free text.
 *
 * The public form is derived from {@link CaseEvent.Envelope}'s schema, not written beside it, so a field added to an
 * event is judged the day it is added:
 *
 * - a string is kept only when it is a code: a literal, or a schema whose identifier is one of {@link codes}
 *   (ids, agency and region codes, calendar dates, rule ids). Every other string is free text — a reason, a plan
 *   item's goal, a conference's decision, a court order's reference, a national system's record id — and is left
 *   out, whatever its name. A struct that loses a field gets the identifier `Public<its identifier>`.
 * - the fields of {@link personalFields} are left out although they are codes or numbers: the subject's id (it links
 *   the child's cases across agencies), the birth date and exact ages (exports give age bands, never an age).
 * - instants, numbers, booleans, literals and the static legal basis are kept; any other kind of schema (a record,
 *   a declared type other than an instant, a template literal) is left out, as not known to be a code.
 *
 * @example
 * ```ts
 * import { PublicEvent } from "@lindung/core"
 *
 * const json = PublicEvent.encode(envelope, before) // JSON-ready, without identity or free text
 * const event = PublicEvent.decode(json)             // a PublicEvent.Envelope, upgraded to the current schema version
 * ```
 *
 * @since 0.3.0
 */
import { SchemaAST as AST, type DateTime, Schema } from "effect"
import type * as Actor from "./Actor.js"
import type * as Basis from "./Basis.js"
import type * as Case from "./Case.js"
import * as CaseEvent from "./CaseEvent.js"
import type * as Region from "./Region.js"

/**
 * The identifiers of string schemas that hold codes and may be published: every other string is free text.
 * Add an identifier here only for a schema whose values come from a closed set or a generated id, never from what
 * a person typed.
 */
export const codes: ReadonlySet<string> = new Set([
  "EventId",
  "EventType",
  "RuleId",
  "TransitionName",
  "CaseId",
  "ActorId",
  "AgencyId",
  "RegionCode",
  "CalendarDate",
  "PlanId",
  "ApprovalId",
  "ConferenceId",
  "ConsentId",
  "DataSubjectRequestId",
  "ReferralId",
  "TransferId",
  "PlacementId"
])

/** Structs published whole: static text from the rule register, never written by a person. */
export const staticStructs: ReadonlySet<string> = new Set(["Basis"])

/**
 * Fields left out of the public form although they are codes or numbers, by event type: personal data, not case facts
 * — the subject's id (it links the child's cases across agencies), the birth date, the day of turning 18 (the birth
 * date again) and exact ages (exports give age bands, never a birth date or an age).
 */
export const personalFields: Readonly<Partial<Record<CaseEvent.Type, ReadonlyArray<string>>>> = {
  ReportRegistered: ["subject", "birthDate", "ageAtReport"],
  DetentionRecorded: ["ageAtDetention"],
  SentenceRecorded: ["ageAtAct"],
  // The day a child turns 18 is the birth date moved by 18 years.
  AdulthoodReached: ["on"]
}

/**
 * Event types that are never published, because the moment they happen is personal data
 * (`CaseEvent.personalMoments`): a child's 18th birthday is recorded (SOP-09) at the start of that day, so the time
 * of an `AdulthoodReached` — on the message, or of the message — is the birth date. A relay skips them; the case's
 * own workers read them in its history. The public form numbers a case's events without them
 * ({@link withheldBefore}), so that no gap in the versions tells that, and about when, one happened.
 */
export const withheld: ReadonlySet<CaseEvent.Type> = CaseEvent.personalMoments

/** Whether events of this type leave the system in their public form (see {@link withheld}). */
export const isPublished = (type: CaseEvent.Type): boolean => !withheld.has(type)

/**
 * How many of a case's events up to `state` have no public form ({@link withheld}): the public version of its next
 * event is its version less this. A child's 18th birthday is recorded once in a case (`Case.Case.adulthoodReachedOn`).
 */
export const withheldBefore = (state: Case.State): number =>
  state._tag === "Case" && state.adulthoodReachedOn !== undefined ? 1 : 0

const identifierOf = (ast: AST.AST): string | undefined => {
  const own = ast.annotations?.identifier
  if (typeof own === "string") return own
  const checks = ast.checks ?? []
  for (let i = checks.length - 1; i >= 0; i--) {
    const annotated = checks[i]?.annotations?.identifier
    if (typeof annotated === "string") return annotated
  }
  return undefined
}

const tagOf = (ast: AST.Objects): string | undefined => {
  const tag = ast.propertySignatures.find((signature) => signature.name === "_tag")?.type
  return tag?._tag === "Literal" && typeof tag.literal === "string" ? tag.literal : undefined
}

/** The annotations of a node the public form changes: its identifier (if any) becomes `Public<identifier>`. */
const renamed = (ast: AST.AST): AST.AST["annotations"] => {
  const id = identifierOf(ast)
  return id === undefined ? ast.annotations : { ...ast.annotations, identifier: `Public${id}` }
}

/** What the public form does with a node: keep it as it is, replace it, or leave it (and its field) out. */
type Judged =
  | { readonly _tag: "Keep" }
  | { readonly _tag: "Replace"; readonly ast: AST.AST }
  | { readonly _tag: "Drop" }

const keep: Judged = { _tag: "Keep" }
const drop: Judged = { _tag: "Drop" }

const judge = (ast: AST.AST): Judged => {
  switch (ast._tag) {
    case "String":
      return identifierOf(ast) !== undefined && codes.has(identifierOf(ast) as string) ? keep : drop
    case "Objects": {
      const id = identifierOf(ast)
      if (id !== undefined && staticStructs.has(id)) return keep
      // A struct with free keys (a record) could hold anything: it is never published.
      if (ast.indexSignatures.length > 0) return drop
      const personal = personalFields[tagOf(ast) as CaseEvent.Type] ?? []
      let changed = false
      const signatures: Array<AST.PropertySignature> = []
      for (const signature of ast.propertySignatures) {
        const judged = personal.includes(String(signature.name)) ? drop : judge(signature.type)
        if (judged._tag === "Drop") {
          changed = true
          continue
        }
        if (judged._tag === "Replace") changed = true
        signatures.push(judged._tag === "Replace" ? new AST.PropertySignature(signature.name, judged.ast) : signature)
      }
      // Every event type's public payload is named `PublicCaseEvent.<type>` (what `dataschema` points to), changed or not.
      const event = id?.startsWith("CaseEvent.") === true
      if (!changed && !event) return keep
      const annotations = renamed(ast)
      return {
        _tag: "Replace",
        // The struct's own checks may read a field that is gone: a changed struct keeps none.
        ast: new AST.Objects(signatures, [], annotations, changed ? undefined : ast.checks, ast.encoding, ast.context)
      }
    }
    case "Arrays": {
      const elements = ast.elements.map(judge)
      const rest = ast.rest.map(judge)
      if ([...elements, ...rest].some((judged) => judged._tag === "Drop")) return drop
      if ([...elements, ...rest].every((judged) => judged._tag === "Keep")) return keep
      const pick = (judged: Judged, original: AST.AST) => (judged._tag === "Replace" ? judged.ast : original)
      return {
        _tag: "Replace",
        ast: new AST.Arrays(
          ast.isMutable,
          ast.elements.map((element, i) => pick(elements[i] as Judged, element)),
          ast.rest.map((element, i) => pick(rest[i] as Judged, element)),
          renamed(ast),
          ast.checks,
          ast.encoding,
          ast.context
        )
      }
    }
    case "Union": {
      const members = ast.types.map(judge)
      if (members.every((judged) => judged._tag === "Keep")) return keep
      // A member that is all free text (a bare string) is left out; the union keeps the rest.
      const kept = ast.types.flatMap((member, i) => {
        const judged = members[i] as Judged
        return judged._tag === "Drop" ? [] : [judged._tag === "Replace" ? judged.ast : member]
      })
      if (kept.length === 0) return drop
      return {
        _tag: "Replace",
        ast: new AST.Union(kept, ast.options, renamed(ast), ast.checks, ast.encoding, ast.context)
      }
    }
    case "Suspend":
      return judge(ast.thunk())
    case "Literal":
    case "Number":
    case "Boolean":
    case "Enum":
    case "Null":
    case "Undefined":
    case "Void":
    case "Never":
      return keep
    case "Declaration":
      // An instant (encoded as an ISO string) is published; any other declared type is not known to be a code.
      return ast.annotations?.expected === "DateTime.Utc" ? keep : drop
    default:
      // Anything else (template literals, unknown, symbols, big integers…) is not known to be a code.
      return drop
  }
}

/** A public value: the struct's fields, each possibly left out; `_tag` always there. */
export type Public<A> = A extends string | number | boolean
  ? A
  : A extends { readonly _tag: infer Tag }
    ? { readonly _tag: Tag } & { readonly [K in Exclude<keyof A, "_tag">]?: Public<A[K]> }
    : A extends ReadonlyArray<infer Item>
      ? ReadonlyArray<Public<Item>>
      : A extends DateTime.Utc
        ? A
        : A extends object
          ? { readonly [K in keyof A]?: Public<A[K]> }
          : A

/** The public form of a payload: its tag, and each field that is not free text or personal. */
export type Payload = Public<CaseEvent.Payload>

/** The public form of an event: the envelope's codes and instants, and the public payload. */
export interface Envelope {
  readonly eventId: string
  readonly caseId: string
  readonly version: number
  readonly occurredAt: DateTime.Utc
  readonly recordedAt: DateTime.Utc
  readonly actor: Public<Actor.Actor>
  readonly region?: Region.RegionCode
  readonly rules: ReadonlyArray<string>
  readonly basis: ReadonlyArray<Basis.Basis>
  readonly type: CaseEvent.Type
  readonly schemaVersion: number
  readonly payload: Payload
}

/** The JSON form of a public event, as it travels. */
export type Encoded = {
  readonly [K in keyof Envelope]: K extends "occurredAt" | "recordedAt"
    ? string
    : K extends "payload"
      ? { readonly _tag: CaseEvent.Type; readonly [field: string]: unknown }
      : Envelope[K]
}

const publicAst = (): AST.AST => {
  const judged = judge(CaseEvent.Envelope.ast)
  if (judged._tag !== "Replace") throw new Error("the public form of CaseEvent.Envelope must differ from it")
  return judged.ast
}

/** The schema of the public form of an event (identifier `PublicCaseEvent`), derived from `CaseEvent.Envelope`. */
export const Envelope: Schema.Codec<Envelope, Encoded> = Schema.make<Schema.Codec<Envelope, Encoded>>(publicAst())
  .check(
    // The envelope's own check, which the derived struct does not keep: the type names the payload.
    Schema.makeFilter(
      (envelope: { readonly type: string; readonly payload: { readonly _tag: string } }) =>
        envelope.type === envelope.payload._tag ||
        `type ${envelope.type} does not match the payload ${envelope.payload._tag}`
    )
  )
  .annotate({
    identifier: "PublicCaseEvent",
    description: "An event of a case in its public form: codes, ids, dates and agencies; no identity, no free text"
  })

/** The public form of each event type's payload, by type (for per-type documents such as AsyncAPI messages). */
export const payloads: Readonly<Record<CaseEvent.Type, Schema.Top>> = Object.fromEntries(
  CaseEvent.Payload.members.map((member) => {
    const judged = judge(member.ast)
    const type = member.fields._tag.schema.literal
    return [type, judged._tag === "Replace" ? Schema.make(judged.ast) : member]
  })
) as Record<CaseEvent.Type, Schema.Top>

const encodeSync = Schema.encodeSync(Envelope)
const decodeSync = Schema.decodeUnknownSync(Envelope)

/** The public version and id of an event that follows `withheldEarlier` withheld events of its case. */
const renumbered = (envelope: CaseEvent.Envelope, withheldEarlier: number): Encoded => {
  if (withheld.has(envelope.payload._tag)) {
    throw new Error(`${envelope.payload._tag} is never published: its moment is personal (PublicEvent.withheld)`)
  }
  const version = envelope.version - withheldEarlier
  const counted = withheldEarlier === 0 ? envelope : { ...envelope, version, eventId: `${envelope.caseId}:${version}` }
  return encodeSync(counted as unknown as Envelope)
}

/**
 * The public form of an event, JSON-ready: the fields of {@link Envelope} only, its `version` counting only its case's
 * published events and its `eventId` `<case id>:<that version>` — `before` is the case's state before the event
 * (its history up to it), from which {@link withheldBefore} counts the events left out. An event of a
 * {@link withheld} type has no public form, nor an event given with a state that is not the one right before it
 * (another case, another version): both throw.
 *
 * @example
 * ```ts
 * // A case whose 18th birthday (version 5) was recorded: its version 6 is published as version 5.
 * PublicEvent.encode(sixth, Case.fold(firstFive)).version // 5
 * ```
 */
export const encode = (envelope: CaseEvent.Envelope, before: Case.State): Encoded => {
  follows(envelope, before._tag === "Case" ? before.id : undefined, before.version)
  return renumbered(envelope, withheldBefore(before))
}

/**
 * Throws unless the event comes right after version `version` of case `caseId` (any case at version 0): a wrong state
 * would give a wrong public version, and so the id of another event.
 */
const follows = (envelope: CaseEvent.Envelope, caseId: string | undefined, version: number): void => {
  if (envelope.version !== version + 1 || (caseId !== undefined && caseId !== envelope.caseId)) {
    throw new Error(`Event ${envelope.eventId} does not follow version ${version} of case ${caseId ?? "(none yet)"}`)
  }
}

/**
 * The public forms of consecutive events of one case, in version order, that follow the state `before` (default: the
 * first events of a case): the published ones, numbered as {@link encode} numbers them. Throws when an event does
 * not follow the one before (or `before`).
 */
export const encodeAll = (
  events: ReadonlyArray<CaseEvent.Envelope>,
  before: Case.State = { _tag: "Empty", version: 0 }
): ReadonlyArray<Encoded> => {
  let earlier = withheldBefore(before)
  let caseId = before._tag === "Case" ? before.id : undefined
  let version = before.version
  const out: Array<Encoded> = []
  for (const event of events) {
    follows(event, caseId, version)
    caseId = event.caseId
    version = event.version
    if (withheld.has(event.payload._tag)) earlier++
    else out.push(renumbered(event, earlier))
  }
  return out
}

/**
 * Decodes a public event from JSON-ready data, first upgrading an older schema version of its payload with
 * `registry` (default `CaseEvent.upcasters`; an upcaster must accept a payload without its free-text fields).
 * Throws a `SchemaError` for data that is not a public event, or an `Error` when an upgrade step is missing.
 */
export const decode = (
  input: unknown,
  registry: CaseEvent.Upcasters = CaseEvent.upcasters,
  versions: Readonly<Record<string, number>> = CaseEvent.schemaVersions
): Envelope => decodeSync(CaseEvent.upcast(input, registry, versions))
