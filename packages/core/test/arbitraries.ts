/**
 * Generators for the property tests of the decider and of access: the people of every fixture agency, random
 * actors, a source of choices that fast-check shrinks, a generator that looks at a case and proposes plausible next
 * commands by plausible actors (mixed with random and invalid ones), a random walk through the SOP, and a driver
 * that takes any open case to `closed` with valid commands.
 *
 * A walk is a pure function of its input (a number of steps and an array of choices): when fast-check shrinks the
 * choices, the walk gets shorter and simpler. Once the choices run out every choice is 0, and the first option of
 * every list is the one that moves the case forward with a valid command, so shrunk walks stay meaningful.
 */
import { fc } from "@fast-check/vitest"
import { DateTime, Result, Schema } from "effect"
import * as Actor from "../src/Actor.js"
import * as Agency from "../src/Agency.js"
import * as Ampk from "../src/Ampk.js"
import * as Atensi from "../src/Atensi.js"
import * as CalendarDate from "../src/CalendarDate.js"
import * as Case from "../src/Case.js"
import type * as CaseCommand from "../src/CaseCommand.js"
import type * as CaseEvent from "../src/CaseEvent.js"
import * as CaseModel from "../src/CaseModel.js"
import * as Decider from "../src/Decider.js"
import { approvingBidang, approvingPositions, isAdultNow, today as localDate } from "../src/internal/decide/facts.js"
import * as Ppks from "../src/Ppks.js"
import * as Region from "../src/Region.js"
import type * as Rejection from "../src/Rejection.js"
import * as Risk from "../src/Risk.js"
import type * as Sop from "../src/Sop.js"
import * as Sppa from "../src/Sppa.js"
import { agencies, cmd, directory, people } from "./fixtures.js"

/** A command in its JSON form, as transport would hand it to `cmd`. */
export type Json = Record<string, unknown>

/** The case id every walk uses. */
export const caseId = "case-prop"

// ---------------------------------------------------------------------------------------------------------------
// Choices

/**
 * A source of choices: numbers drawn by fast-check, consumed in order; 0 once they run out. Every helper maps 0 to
 * the "typical" answer (the first option, no deviation), so shrinking the array simplifies the walk.
 */
export class Choices {
  private index = 0
  constructor(private readonly values: ReadonlyArray<number>) {}

  /** An integer in [0, n). */
  int(n: number): number {
    const value = this.values[this.index++] ?? 0
    return n <= 1 ? 0 : value % n
  }

  /** One of `items` (the first when the choices run out). */
  pick<A>(items: ReadonlyArray<A>): A {
    const item = items[this.int(items.length)]
    if (item === undefined) throw new Error("Choices.pick: empty list")
    return item
  }

  /** True with the given probability in percent (false when the choices run out). */
  chance(percent: number): boolean {
    return this.int(100) >= 100 - percent
  }

  /** Up to `max` distinct items (none when the choices run out). */
  some<A>(items: ReadonlyArray<A>, max: number): Array<A> {
    const count = this.int(max + 1)
    const found: Array<A> = []
    for (let i = 0; i < count; i++) {
      const item = this.pick(items)
      if (!found.includes(item)) found.push(item)
    }
    return found
  }

  /** One value, chosen by weight (the first when the choices run out). */
  weighted<A>(options: ReadonlyArray<readonly [number, A]>): A {
    const total = options.reduce((sum, [weight]) => sum + weight, 0)
    let n = this.int(total)
    for (const [weight, value] of options) {
      if (n < weight) return value
      n -= weight
    }
    const first = options[0]
    if (first === undefined) throw new Error("Choices.weighted: no options")
    return first[1]
  }
}

// ---------------------------------------------------------------------------------------------------------------
// People

/** The people of one agency: every role, two caseworkers, and two holders of the approving office. */
export interface Staff {
  readonly agency: Agency.Agency
  readonly intake: Actor.Actor
  readonly workers: readonly [Actor.Actor, Actor.Actor]
  /** A supervisor who does not hold the approving office. */
  readonly kasi: Actor.Actor
  /** A Kabid of another bidang than the approving one (a Kabid who does not approve, whatever the type). */
  readonly otherKabid: Actor.Actor
  /** Two people who hold the approving office of the agency (`approvingPositions`). */
  readonly approvers: readonly [Actor.Actor, Actor.Actor]
  readonly partner: Actor.Actor
  readonly auditor: Actor.Actor
  readonly admin: Actor.Actor
  readonly system: Actor.Actor
}

const staffOf = (agency: Agency.Agency): Staff => {
  const bidang = approvingBidang(agency)
  const person = (suffix: string, role: Actor.Role, position?: Actor.Position) =>
    Actor.make({
      id: `${agency.id}:${suffix}`,
      role,
      agency: agency.id,
      region: agency.region,
      ...(position === undefined ? {} : { position }),
      // A Kabid heads the bidang that approves (type C, merged).
      ...(position === "kabid" && bidang !== undefined ? { bidang } : {})
    })
  const positions = approvingPositions(agency)
  const first = positions[0] ?? "kadis"
  const second = positions[1] ?? first
  return {
    agency,
    intake: person("intake", "intake-officer"),
    workers: [person("peksos-1", "caseworker"), person("peksos-2", "caseworker")],
    kasi: person("kasi", "supervisor", "kasi"),
    otherKabid: Actor.make({
      id: `${agency.id}:kabid-other`,
      role: "supervisor",
      position: "kabid",
      bidang: "pemberdayaan-sosial",
      agency: agency.id,
      region: agency.region
    }),
    approvers: [person("approver-1", "supervisor", first), person("approver-2", "head-of-dinas", second)],
    partner: person("partner", "partner"),
    auditor: person("auditor", "auditor"),
    admin: person("admin", "administrator"),
    system: person("scheduler", "system")
  }
}

/** Every fixture agency. */
export const allAgencies: ReadonlyArray<Agency.Agency> = Object.values(agencies)

/** The fixture agencies that can own a case (Dinas Sosial, Sentra, UPTD). */
export const owningAgencies: ReadonlyArray<Agency.Agency> = allAgencies.filter(Agency.canOwnCases)

/** The staff of every fixture agency. */
export const staff: ReadonlyMap<string, Staff> = new Map(allAgencies.map((agency) => [agency.id, staffOf(agency)]))

/** The staff of an agency of the fixtures (throws for another agency). */
export const staffAt = (agency: string): Staff => {
  const found = staff.get(agency)
  if (found === undefined) throw new Error(`no staff for agency ${agency}`)
  return found
}

const membersOf = (s: Staff): ReadonlyArray<Actor.Actor> => [
  s.intake,
  ...s.workers,
  s.kasi,
  s.otherKabid,
  ...s.approvers,
  s.partner,
  s.auditor,
  s.admin,
  s.system
]

/** Every person the walks use: the staff of every agency and the people of the seed stories. */
export const pool: ReadonlyArray<Actor.Actor> = [...[...staff.values()].flatMap(membersOf), ...Object.values(people)]

const byId: ReadonlyMap<string, Actor.Actor> = new Map(pool.map((actor) => [actor.id, actor]))

/** Region codes for random actors and reports: fixture regions, narrower codes, and unrelated provinces. */
export const regionCodes: ReadonlyArray<Region.RegionCode> = [
  "13",
  "13.71",
  "13.71.01",
  "13.71.01.1001",
  "13.06",
  "11",
  "31.71",
  "52",
  "52.71",
  "64",
  "64.71",
  "64.71.02",
  "91.01",
  "91",
  "35.78"
].filter(Schema.is(Region.RegionCode))

const roleCodes = Object.keys(Actor.roles) as ReadonlyArray<Actor.Role>
const positionCodes = Object.keys(Actor.positions) as ReadonlyArray<Actor.Position>

/**
 * A random actor: any role, any fixture agency, the agency's region or a random region (national scope included),
 * any office or none, and an id that is often one the walks use (so it may be assigned to the case).
 */
export const actorArb: fc.Arbitrary<Actor.Actor> = fc
  .record({
    role: fc.constantFrom(...roleCodes),
    agency: fc.constantFrom(...allAgencies),
    region: fc.option(fc.constantFrom<Agency.Scope>(...regionCodes, "ID"), { nil: undefined }),
    position: fc.option(fc.constantFrom(...positionCodes), { nil: undefined }),
    // A Kabid of the approving bidang of a type C or merged dinas, of another bidang, or of none recorded.
    bidang: fc.option(fc.constantFrom("rehabilitasi-perlindungan-jaminan-sosial", "sosial", "pemberdayaan-sosial"), {
      nil: undefined
    }),
    id: fc.oneof(fc.constantFrom(...pool.map((actor) => actor.id)), fc.constantFrom("stranger-1", "stranger-2"))
  })
  .map(({ role, agency, region, position, bidang, id }) =>
    Actor.make({
      id,
      role,
      agency: agency.id,
      region: region ?? agency.region,
      ...(position === undefined ? {} : { position }),
      ...(position === "kabid" && bidang !== undefined ? { bidang } : {})
    })
  )

// ---------------------------------------------------------------------------------------------------------------
// Commands

/** A command a walk proposes, and who gives it. */
export interface Proposal {
  readonly actor: Actor.Actor
  readonly command: Json
}

interface Ctx {
  readonly state: Case.Case
  readonly ch: Choices
  readonly now: DateTime.Utc
  readonly today: CalendarDate.CalendarDate
}

const command = (tag: CaseCommand.Type, fields: Json = {}): Json => ({ _tag: tag, caseId, ...fields })

/** The first id `prefix-n` not used in `used`. */
export const freshId = (prefix: string, used: Readonly<Record<string, unknown>>): string => {
  let n = 1
  while (used[`${prefix}-${n}`] !== undefined) n++
  return `${prefix}-${n}`
}

/** Mostly a fresh id; sometimes one already used (an invalid command). */
const idFor = (ch: Choices, prefix: string, used: Readonly<Record<string, unknown>>): string => {
  const taken = Object.keys(used)
  return taken.length > 0 && ch.chance(8) ? ch.pick(taken) : freshId(prefix, used)
}

const relations = CaseModel.GuardianRelation.literals
const sharedData = CaseModel.SharedData.literals
const terminationReasons = CaseModel.TerminationReason.literals
const earlyClosureReasons = CaseModel.EarlyClosureReason.literals
const placementSettings = CaseModel.PlacementSetting.literals
const referralPurposes = CaseModel.ReferralPurpose.literals
const reportSources = CaseModel.ReportSource.literals
const safetyMeasures = CaseModel.SafetyMeasure.literals

const dedupe = <A>(items: ReadonlyArray<A>): Array<A> => [...new Set(items)]

const ownerStaff = (state: Case.Case): Staff => staffAt(state.owner)

const leads = (s: Staff): ReadonlyArray<Actor.Actor> => [s.approvers[0], s.kasi, s.approvers[1], s.otherKabid]

/** Someone who works on the case: an assigned caseworker, else a lead of the owner; sometimes anyone. */
const worker = (ctx: Ctx): Actor.Actor => {
  if (ctx.ch.chance(8)) return ctx.ch.pick(pool)
  const assigned = ctx.state.assigned.flatMap((id) => {
    const actor = byId.get(id)
    return actor === undefined ? [] : [actor]
  })
  if (assigned.length > 0 && !ctx.ch.chance(25)) return ctx.ch.pick(assigned)
  return ctx.ch.pick(leads(ownerStaff(ctx.state)))
}

/** A lead of the owning agency; sometimes anyone. */
const lead = (ctx: Ctx): Actor.Actor =>
  ctx.ch.chance(8) ? ctx.ch.pick(pool) : ctx.ch.pick(leads(ownerStaff(ctx.state)))

const childPpks = Ppks.codes.filter((code) => code <= 7)
const ppksFor = (ch: Choices, adult: boolean): ReadonlyArray<number> =>
  adult || ch.chance(10) ? Ppks.codes : childPpks

const classificationOf = (ch: Choices, adult: boolean): Json => {
  const empty = ch.chance(6)
  const withAmpk = !empty && (!adult || ch.chance(10))
  return {
    ampk: withAmpk ? dedupe([ch.pick(Ampk.codes), ...ch.some(Ampk.codes, 1)]) : [],
    // A child's case mostly in the child categories and the children's cluster; sometimes not (CLASS-CHILD-PPKS,
    // CLASS-CLUSTER refuse it).
    ppks: empty ? [] : dedupe([ch.pick(ppksFor(ch, adult)), ...ch.some(ppksFor(ch, adult), 1)]),
    ...(ch.chance(50) ? { cluster: adult || ch.chance(10) ? ch.pick(Atensi.clusterCodes) : "children" } : {}),
    ...(ch.chance(35) ? { sppaRole: ch.pick(Sppa.roleCodes) } : {}),
    // Often a parent or relative who could otherwise consent (seed 000: abuse inside the family).
    allegedPerpetrators: ch.chance(50) ? ch.some(CaseModel.consentingRelations.slice(0, 4), 2) : ch.some(relations, 2)
  }
}

/** The active consents that a live referral or the pending transfer of a case rests on. */
const sharingConsents = (state: Case.Case): ReadonlyArray<string> => {
  const transfer = Case.pendingTransfer(state)
  const bases = [...Case.liveReferrals(state).map((r) => r.legalBasis), ...(transfer ? [transfer.legalBasis] : [])]
  return dedupe(
    bases.flatMap((b) => (b._tag === "consent" && state.consents[b.consent]?.withdrawn === false ? [b.consent] : []))
  )
}

/** A legal basis for sharing: a consent that covers `shares` when there is one, else any consent, an emergency or a court order. */
const sharingBasis = (ctx: Ctx, shares: ReadonlyArray<CaseModel.SharedData>): Json => {
  const consents = Object.values(ctx.state.consents)
  const covering = consents.filter((c) => !c.withdrawn && shares.every((share) => c.scope.includes(share)))
  return ctx.ch.weighted<() => Json>([
    [covering.length > 0 ? 60 : 0, () => ({ _tag: "consent", consent: ctx.ch.pick(covering).id })],
    [15, () => ({ _tag: "emergency", reason: "Child in immediate danger" })],
    [10, () => ({ _tag: "court-order", reference: "Penetapan PN Padang 12/2024" })],
    [5, () => ({ _tag: "legal-obligation", provision: "UU 35/2014 Pasal 59A huruf d" })],
    [5, () => ({ _tag: "public-task", authority: "UU 23/2014, urusan sosial kabupaten/kota" })],
    [
      15,
      () => ({
        _tag: "consent",
        consent: consents.length > 0 && !ctx.ch.chance(30) ? ctx.ch.pick(consents).id : "consent-missing"
      })
    ]
  ])()
}

const daysFrom = (date: CalendarDate.CalendarDate, days: number) => CalendarDate.addDays(date, days)

const conferenceRoles = CaseModel.ConferenceRole.literals

/** A case conference the command cites, sometimes, once the case has had one (rarely one it has not had). */
const conferenceCited = (ctx: Ctx): Json => {
  const held = Object.keys(ctx.state.conferences)
  if (held.length === 0 || !ctx.ch.chance(40)) return {}
  return { conference: ctx.ch.chance(10) ? "conference-missing" : ctx.ch.pick(held) }
}

/**
 * The date of an alleged act: mostly when the child was 12 to 17 (when the birth date is known and that lies in the
 * past), sometimes a fixed time ago, whatever the child's age then.
 */
const actDateFor = (ctx: Ctx): CalendarDate.CalendarDate => {
  // Once a level is recorded, the act is known: mostly the same date again, sometimes another (refused).
  const known = ctx.state.sppa.levels[0]?.actDate
  if (known !== undefined && !ctx.ch.chance(10)) return known
  const birthDate = ctx.state.subject.birthDate
  if (birthDate !== undefined && ctx.ch.chance(70)) {
    const act = CalendarDate.addDays(CalendarDate.addMonths(birthDate, 12 * (12 + ctx.ch.int(6))), ctx.ch.int(300))
    if (CalendarDate.compare(act, ctx.today) <= 0) return act
  }
  return daysFrom(ctx.today, -ctx.ch.pick([30, 400, 1500]))
}

/**
 * A detention's date and, mostly, its period at a level with its days and place (SPPA-DETENTION-LIMITS): a first
 * period, or an extension from the day after the first ends; sometimes a date or a length that the limits refuse.
 */
const detentionPeriodFor = (ctx: Ctx): Json => {
  if (ctx.ch.chance(30)) return { on: ctx.today }
  const stage = currentStage(ctx)
  const earlier = ctx.state.sppa.detentionPeriods.filter((p) => p.stage === stage)
  const last = earlier.at(-1)
  const next = last === undefined ? undefined : daysFrom(last.until, 1)
  const on = next !== undefined && CalendarDate.compare(next, ctx.today) <= 0 && !ctx.ch.chance(15) ? next : ctx.today
  return {
    on,
    stage,
    days: ctx.ch.pick([3, 5, 7, 8, 10, 15]),
    at: ctx.ch.chance(85) ? agencies.lpksLubukMinturun.id : ctx.ch.pick(allAgencies).id
  }
}

/** The stage of the SPPA level the case is at, mostly; sometimes another. */
const currentStage = (ctx: Ctx): string => {
  const level = ctx.state.sppa.levels.at(-1)
  return level !== undefined && !ctx.ch.chance(10) ? level.stage : ctx.ch.pick(Sppa.stageCodes)
}

/** The fields of every command type, typical for the case (valid in its stage or not). */
const fieldsOf: { readonly [T in CaseCommand.Type]: (ctx: Ctx) => Json } = {
  RegisterReport: (ctx) => registerFields(ctx.ch, ctx.ch.pick(owningAgencies), ctx.now),
  AssignCaseworker: (ctx) => ({
    caseworker: ctx.ch.chance(12) ? ctx.ch.pick(pool).id : ctx.ch.pick(ownerStaff(ctx.state).workers).id
  }),
  UnassignCaseworker: (ctx) => ({
    caseworker:
      ctx.state.assigned.length > 0 && !ctx.ch.chance(20) ? ctx.ch.pick(ctx.state.assigned) : ctx.ch.pick(pool).id
  }),
  StartOutreach: () => ({}),
  RecordFirstContact: () => ({}),
  RecordAssessment: (ctx) => {
    const level = ctx.ch.chance(35) ? ctx.ch.pick(Risk.levels) : undefined
    return {
      classification: classificationOf(ctx.ch, ctx.state.subject.kind === "adult"),
      factors: ctx.ch.some(Risk.factorCodes, 3),
      ...(level === undefined ? {} : { chosenLevel: level }),
      ...(level !== undefined && !ctx.ch.chance(10) ? { reason: "Assessed by the team after a home visit" } : {}),
      ...(ctx.ch.chance(5) ? {} : { approval: idFor(ctx.ch, "approval", ctx.state.approvals) })
    }
  },
  RecordSafetyPlan: (ctx) => ({ measures: dedupe([ctx.ch.pick(safetyMeasures), ...ctx.ch.some(safetyMeasures, 2)]) }),
  CompleteAssessment: () => ({}),
  ProposePlan: (ctx) => ({
    approval: idFor(ctx.ch, "approval", ctx.state.approvals),
    plan: {
      id: idFor(ctx.ch, "plan", ctx.state.plans),
      firstReviewOn: daysFrom(ctx.today, 30),
      ...conferenceCited(ctx),
      items: Array.from({ length: 1 + ctx.ch.int(3) }, () => ({
        component: ctx.ch.pick(Atensi.componentCodes),
        goal: "Agreed goal of the plan",
        responsible: ctx.ch.chance(4)
          ? "agency-unknown"
          : ctx.ch.chance(30)
            ? ctx.ch.pick(allAgencies).id
            : ctx.state.owner,
        setting: ctx.ch.pick(Atensi.settingCodes)
      }))
    }
  }),
  DecideApproval: (ctx) => {
    const all = Object.values(ctx.state.approvals)
    const pending = Case.pendingApprovals(ctx.state)
    const approval =
      pending.length > 0 && !ctx.ch.chance(10)
        ? ctx.ch.pick(pending).id
        : all.length > 0 && !ctx.ch.chance(30)
          ? ctx.ch.pick(all).id
          : "approval-missing"
    return { approval, decision: ctx.ch.chance(20) ? "rejected" : "approved", reason: "Reviewed the request" }
  },
  StartIntervention: () => ({}),
  RecordService: (ctx) => {
    const plan = Case.approvedPlan(ctx.state)
    return {
      component:
        plan !== undefined && !ctx.ch.chance(15)
          ? ctx.ch.pick(plan.plan.items).component
          : ctx.ch.pick(Atensi.componentCodes),
      provider: ctx.ch.chance(25) ? ctx.ch.pick(allAgencies).id : ctx.state.owner,
      deliveredOn: ctx.ch.chance(5) ? daysFrom(ctx.today, 3) : ctx.today
    }
  },
  ReviewPlan: (ctx) => ({ outcome: ctx.ch.pick(["continue", "revise"]) }),
  RecordCaseConference: (ctx) => {
    const owner = ctx.state.owner
    const others = Array.from({ length: 1 + ctx.ch.int(2) }, () => ({
      agency: ctx.ch.chance(5) ? "agency-unknown" : ctx.ch.pick(allAgencies).id,
      role: ctx.ch.pick(conferenceRoles)
    }))
    // Mostly several disciplines; sometimes one role only (SOP-CONFERENCE refuses it).
    const participants = ctx.ch.chance(10)
      ? [{ agency: owner, role: "case-manager" }, ...others.map((p) => ({ ...p, role: "case-manager" }))]
      : [{ agency: owner, role: "case-manager" }, ...others]
    const followUps = Array.from({ length: ctx.ch.int(3) }, () => ({
      action: "Koordinasi layanan lanjutan",
      owner: ctx.ch.chance(85) ? ctx.ch.pick(participants).agency : ctx.ch.pick(allAgencies).id,
      dueOn: daysFrom(ctx.today, ctx.ch.chance(5) ? -3 : 7 + ctx.ch.int(30))
    }))
    return {
      conference: {
        id: idFor(ctx.ch, "conference", ctx.state.conferences),
        heldOn: ctx.ch.chance(4) ? daysFrom(ctx.today, 1) : ctx.today,
        participants,
        childHeard: ctx.ch.chance(70),
        familyPresent: ctx.ch.chance(60),
        decision: "Rencana penanganan terpadu disepakati",
        followUps
      }
    }
  },
  RecordNationalReference: (ctx) => ({
    reference: {
      system: ctx.ch.pick(["dtsen", "dtks", "simfoni-ppa", "siks-ng"]),
      id: `ref-${ctx.ch.int(3)}`
    }
  }),
  ReceiveDataSubjectRequest: (ctx) => ({
    request: idFor(ctx.ch, "request", ctx.state.dataSubjectRequests),
    kind: ctx.ch.pick(["access", "correction"]),
    // Mostly one who may speak for the subject; sometimes an alleged perpetrator or someone else.
    by: ctx.ch.chance(70)
      ? ctx.state.subject.kind === "adult"
        ? "self"
        : ctx.ch.pick(CaseModel.consentingRelations)
      : ctx.ch.pick(CaseModel.ConsentGiver.literals),
    receivedOn: daysFrom(ctx.today, ctx.ch.chance(5) ? 1 : -ctx.ch.int(3))
  }),
  AnswerDataSubjectRequest: (ctx) => {
    const open = Object.values(ctx.state.dataSubjectRequests).filter((r) => r.answeredOn === undefined)
    const all = Object.keys(ctx.state.dataSubjectRequests)
    return {
      request:
        open.length > 0 && !ctx.ch.chance(10)
          ? ctx.ch.pick(open).id
          : all.length > 0 && ctx.ch.chance(50)
            ? ctx.ch.pick(all)
            : "request-missing",
      outcome: ctx.ch.chance(75) ? "granted" : "refused",
      answeredOn: ctx.today,
      reason: "Dijawab sesuai UU 27/2022"
    }
  },
  CompleteConferenceFollowUp: (ctx) => {
    const open = Object.values(ctx.state.conferences).flatMap((c) =>
      c.followUps.flatMap((f, i) => (f.doneOn === undefined ? [{ conference: c.id, followUp: i }] : []))
    )
    const target =
      open.length > 0 && !ctx.ch.chance(10)
        ? ctx.ch.pick(open)
        : {
            conference: ctx.ch.pick([...Object.keys(ctx.state.conferences), "conference-missing"]),
            followUp: ctx.ch.int(3)
          }
    return { ...target, doneOn: ctx.today }
  },
  RecordConsent: (ctx) => ({
    consent: idFor(ctx.ch, "consent", ctx.state.consents),
    givenBy: ctx.ch.chance(15)
      ? ctx.ch.pick(relations)
      : ctx.ch.chance(60)
        ? ctx.ch.pick(CaseModel.consentingRelations.slice(0, 4))
        : ctx.ch.pick(CaseModel.consentingRelations),
    scope: dedupe([ctx.ch.pick(sharedData), ...ctx.ch.some(sharedData, 6)])
  }),
  WithdrawConsent: (ctx) => {
    const consents = Object.values(ctx.state.consents)
    // Often a consent that sharing rests on (SOP-06: the sharing stops with it).
    const resting = sharingConsents(ctx.state)
    if (resting.length > 0 && ctx.ch.chance(60)) return { consent: ctx.ch.pick(resting) }
    return { consent: consents.length > 0 && !ctx.ch.chance(15) ? ctx.ch.pick(consents).id : "consent-missing" }
  },
  RequestReferral: (ctx) => {
    const shares = ctx.ch.some(sharedData, 3)
    return {
      referral: idFor(ctx.ch, "referral", ctx.state.referrals),
      to: ctx.ch.chance(5)
        ? ctx.ch.pick([ctx.state.owner, "agency-unknown"])
        : ctx.ch.pick(allAgencies.filter((a) => a.id !== ctx.state.owner)).id,
      purpose: ctx.ch.pick(referralPurposes),
      shares,
      legalBasis: sharingBasis(ctx, shares),
      ...conferenceCited(ctx)
    }
  },
  UpdateReferral: (ctx) => {
    const referrals = Object.values(ctx.state.referrals)
    const live = Case.liveReferrals(ctx.state)
    const referral =
      live.length > 0 && !ctx.ch.chance(15)
        ? ctx.ch.pick(live).id
        : referrals.length > 0 && !ctx.ch.chance(20)
          ? ctx.ch.pick(referrals).id
          : "referral-missing"
    return {
      referral,
      status: ctx.ch.pick(["accepted", "completed", "declined", "withdrawn"]),
      ...(ctx.ch.chance(30) ? { reason: "Service arranged" } : {})
    }
  },
  RequestTransfer: (ctx) => {
    const to = ctx.ch.chance(5)
      ? ctx.ch.pick(allAgencies)
      : ctx.ch.pick(owningAgencies.filter((a) => a.id !== ctx.state.owner))
    return {
      transfer: idFor(ctx.ch, "transfer", ctx.state.transfers),
      to: to.id,
      reason: "Return to the home region",
      legalBasis: sharingBasis(ctx, sharedData),
      // Sometimes the child has moved: a relocation to the receiver's region, or (rarely) to one it does not serve.
      ...(ctx.ch.chance(25)
        ? { relocateTo: ctx.ch.chance(85) && to.region !== "ID" ? to.region : ctx.ch.pick(regionCodes) }
        : {})
    }
  },
  UpdateTransfer: (ctx) => {
    const transfers = Object.values(ctx.state.transfers)
    const pending = Case.pendingTransfer(ctx.state)
    const transfer =
      pending !== undefined && !ctx.ch.chance(15)
        ? pending.id
        : transfers.length > 0 && !ctx.ch.chance(30)
          ? ctx.ch.pick(transfers).id
          : "transfer-missing"
    return { transfer, status: ctx.ch.pick(["accepted", "declined", "withdrawn"]) }
  },
  RequestPlacement: (ctx) => {
    const emergency = ["reported", "outreach", "assessment"].includes(ctx.state.stage) !== ctx.ch.chance(20)
    return {
      placement: idFor(ctx.ch, "placement", ctx.state.placements),
      setting:
        emergency && !ctx.ch.chance(15) ? ctx.ch.pick(["safe-house", "rptc", "lpks"]) : ctx.ch.pick(placementSettings),
      facility: ctx.ch.chance(10)
        ? ctx.ch.pick(allAgencies).id
        : ctx.ch.pick([agencies.lpksLubukMinturun.id, agencies.uptdTriMurni.id]),
      emergency,
      approval: idFor(ctx.ch, "approval", ctx.state.approvals),
      reason: "Safe care away from the alleged perpetrator"
    }
  },
  EndPlacement: (ctx) => {
    const placements = Object.values(ctx.state.placements)
    return {
      placement: placements.length > 0 && !ctx.ch.chance(15) ? ctx.ch.pick(placements).id : "placement-missing",
      reason: "Placement no longer needed"
    }
  },
  RecordSppaProceeding: (ctx) => {
    const attempted = !ctx.ch.chance(30)
    return {
      actDate: daysFrom(ctx.today, -ctx.ch.pick([30, 400, 1500])),
      proceeding: {
        stage: ctx.ch.pick(["investigation", "prosecution", "trial"]),
        threatenedPenaltyYears: ctx.ch.pick([3, 7, 10]),
        repeatOffence: ctx.ch.chance(30),
        diversionAttempted: attempted,
        outcome: attempted ? ctx.ch.pick(["agreement", "no-agreement", "pending"]) : "not-attempted",
        on: ctx.today
      }
    }
  },
  RecordPasal21Decision: (ctx) => ({
    actDate: daysFrom(ctx.today, -ctx.ch.pick([30, 400, 1500])),
    decision: ctx.ch.chance(50)
      ? { _tag: "guidance", at: ctx.ch.pick(allAgencies).id, months: 1 + ctx.ch.int(8) }
      : { _tag: "return-to-parents" }
  }),
  ExtendPasal21Guidance: (ctx) => {
    // Mostly an evaluation soon after the decision (while the programme runs); sometimes today, however late.
    const decidedAt = ctx.state.sppa.pasal21DecidedAt
    const soon = decidedAt === undefined ? ctx.today : daysFrom(localDate(ctx.state.region, decidedAt), ctx.ch.int(20))
    const evaluatedOn = ctx.ch.chance(70) && CalendarDate.compare(soon, ctx.today) <= 0 ? soon : ctx.today
    return { months: 1 + ctx.ch.int(8), evaluatedOn, reason: "Evaluasi program: perlu dilanjutkan" }
  },
  RecordPasal21CourtSubmission: (ctx) => ({ on: daysFrom(ctx.today, -ctx.ch.pick([0, 1, 2])) }),
  RecordDetention: (ctx) => ({
    // Once a level is recorded, mostly its penalty; sometimes another (refused).
    threatenedPenaltyYears:
      ctx.state.sppa.levels.length > 0 && !ctx.ch.chance(10)
        ? (ctx.state.sppa.levels.at(-1)?.threatenedPenaltyYears ?? 7)
        : ctx.ch.pick([3, 7, 9]),
    actDate: ctx.state.sppa.levels.length > 0 ? actDateFor(ctx) : daysFrom(ctx.today, -ctx.ch.pick([30, 400])),
    ...detentionPeriodFor(ctx)
  }),
  StartSppaLevel: (ctx) => {
    const reached = ctx.state.sppa.levels.length
    const next = Sppa.stageCodes[reached]
    return {
      stage: next !== undefined && !ctx.ch.chance(15) ? next : ctx.ch.pick(Sppa.stageCodes),
      startedOn: daysFrom(ctx.today, -ctx.ch.pick([0, 3, 10])),
      actDate: actDateFor(ctx),
      // Mostly an act for which diversion is held (under 7 years, not a repeat offence); sometimes not.
      threatenedPenaltyYears: ctx.ch.pick([3, 3, 5, 7, 10]),
      repeatOffence: ctx.ch.chance(15)
    }
  },
  StartDiversion: (ctx) => ({ stage: currentStage(ctx), on: daysFrom(ctx.today, -ctx.ch.int(3)) }),
  ConcludeDiversion: (ctx) => {
    const agreed = ctx.ch.chance(65)
    const form = () =>
      ctx.ch.pick([
        { _tag: "reconciliation", compensation: ctx.ch.chance(50) },
        { _tag: "return-to-parents" },
        {
          _tag: "education-or-training",
          at: ctx.ch.chance(85) ? agencies.lpksLubukMinturun.id : "lpks-missing",
          months: 1 + ctx.ch.int(4)
        },
        { _tag: "community-service" },
        { _tag: "other", description: "Permintaan maaf tertulis kepada korban" }
      ])
    const victimConsent = ctx.ch.weighted([
      [70, () => ({ _tag: "given", by: ctx.ch.pick(["victim", "victim-family"]) })],
      [12, () => ({ _tag: "refused" })],
      [18, () => ({ _tag: "not-required", because: ctx.ch.pick(Object.keys(Sppa.consentExceptions)) })]
    ])()
    const agreement = {
      forms: ctx.ch.chance(30) ? [form(), form()] : [form()],
      victimConsent,
      // Mostly willing; sometimes not (SPPA-DIVERSION-AGREEMENT refuses it).
      childAndFamilyWilling: !ctx.ch.chance(10)
    }
    // Mostly consistent with the outcome; sometimes an agreement without its terms, or terms without one.
    const withTerms = ctx.ch.chance(8) ? !agreed : agreed
    return {
      stage: currentStage(ctx),
      on: ctx.today,
      outcome: agreed ? "agreement" : "no-agreement",
      ...(withTerms ? { agreement } : {})
    }
  },
  SubmitDiversionAgreement: (ctx) => ({ stage: currentStage(ctx), on: ctx.today }),
  RecordDiversionConfirmation: (ctx) => ({ stage: currentStage(ctx), on: ctx.today }),
  RecordAgreementNotCarriedOut: (ctx) => ({
    stage: currentStage(ctx),
    on: ctx.today,
    reason: "Kesepakatan diversi tidak dilaksanakan"
  }),
  RequestLitmas: (ctx) => ({
    bapas: ctx.ch.chance(85) ? agencies.bapasPadang.id : ctx.ch.pick(allAgencies).id,
    on: daysFrom(ctx.today, -ctx.ch.int(2))
  }),
  RecordLitmas: (ctx) => ({ on: ctx.today }),
  RecordAccompaniment: (ctx) => {
    const stage = currentStage(ctx)
    const examiner = {
      investigation: agencies.uppaPadang.id,
      prosecution: agencies.kejariPadang.id,
      trial: agencies.pnPadang.id
    }[stage as Sppa.Stage]
    return {
      at: ctx.ch.chance(85) ? examiner : ctx.ch.pick(allAgencies).id,
      stage,
      on: ctx.today,
      ...(ctx.ch.chance(50) ? { socialReportOn: daysFrom(ctx.today, -ctx.ch.int(3)) } : {})
    }
  },
  RecordSentence: (ctx) => {
    const imprisonment = ctx.ch.chance(45)
    const sentence = ctx.ch.chance(40)
      ? { _tag: "tindakan", measure: ctx.ch.pick(Object.keys(Sppa.measures)) }
      : imprisonment
        ? {
            _tag: "pidana",
            penalty: "imprisonment",
            months: ctx.ch.pick([6, 24, 60, 130]),
            adultMaximum: ctx.ch.chance(15)
              ? { _tag: "death-or-life" }
              : { _tag: "years", years: ctx.ch.pick([4, 10, 15]) },
            at: ctx.ch.chance(90) ? agencies.lpkaTanjungPati.id : agencies.lpksLubukMinturun.id
          }
        : { _tag: "pidana", penalty: ctx.ch.pick(Object.keys(Sppa.penalties).filter((p) => p !== "imprisonment")) }
    return { actDate: actDateFor(ctx), decidedOn: ctx.today, sentence }
  },
  StartReintegration: (ctx) => ({
    reintegration: {
      receiver: ctx.ch.pick(["family", "relative", "foster-family", "institution"]),
      receiverAssessedOn: daysFrom(ctx.today, ctx.ch.chance(5) ? 2 : ctx.ch.chance(10) ? -400 : -1),
      receiverSuitable: !ctx.ch.chance(10),
      // Sometimes an assessment or a view from long before: before the report, not about this case (SOP-05).
      childViewRecordedOn: daysFrom(ctx.today, ctx.ch.chance(10) ? -400 : -2),
      childAgrees: !ctx.ch.chance(20)
    }
  }),
  RequestTermination: (ctx) => ({
    reason: ctx.ch.weighted([
      [isAdultNow(ctx.state, ctx.now) ? 60 : 0, "adult"],
      [30, "moved-away"],
      [30, "goals-met"],
      [10, "transferred-to-other-system"],
      [10, ctx.ch.pick(terminationReasons)]
    ]),
    note: "Services completed",
    approval: idFor(ctx.ch, "approval", ctx.state.approvals)
  }),
  RecordFollowUp: (ctx) => ({
    visitedOn: ctx.ch.chance(5) ? daysFrom(ctx.today, 2) : ctx.today,
    outcome: ctx.ch.pick(["stable", "needs-support", "not-reached"])
  }),
  CloseCase: () => ({ reason: "Stable after aftercare" }),
  RequestEarlyClosure: (ctx) => ({
    reason: ctx.ch.pick(earlyClosureReasons),
    note: "Checked with the reporter",
    approval: idFor(ctx.ch, "approval", ctx.state.approvals)
  }),
  ReopenCase: () => ({ reason: "New report about the same child" }),
  Tick: () => ({})
}

const commandTypes = Object.keys(fieldsOf) as ReadonlyArray<CaseCommand.Type>

const regionFor = (ch: Choices, owner: Agency.Agency): Region.RegionCode => {
  if (owner.region === "ID") return ch.pick(regionCodes)
  const inside = regionCodes.filter((code) => Region.contains(owner.region as Region.RegionCode, code))
  return inside.length > 0 ? ch.pick(inside) : (owner.region as Region.RegionCode)
}

const start = Date.UTC(2024, 0, 8, 1)

const registerFields = (ch: Choices, owner: Agency.Agency, now: DateTime.Utc): Json => {
  const region = ch.chance(5) ? ch.pick(regionCodes) : regionFor(ch, owner)
  const today = localDate(region, now)
  // Born between 2006 and 2021: some children reach 18 during a walk (SOP-09); some reports give only an age.
  const birthDate = CalendarDate.addDays(CalendarDate.decodeSync("2006-01-01"), ch.int(365 * 15))
  const age = Result.getOrUndefined(CalendarDate.ageOn(birthDate, today))
  const birth = ch.weighted<Json>([
    [55, { birthDate }],
    [25, { ageAtReport: ch.int(26) }],
    [10, age === undefined ? {} : { birthDate, ageAtReport: ch.chance(20) ? age + 1 : age }],
    [10, {}]
  ])
  return {
    subject: "subject-prop",
    sex: ch.pick(["female", "male", "unknown"]),
    ...birth,
    region,
    owner: ch.chance(4) ? "agency-unknown" : owner.id,
    source: ch.pick(reportSources),
    concerns: ch.some(Risk.factorCodes, 2)
  }
}

const proposeRegister = (ch: Choices, now: DateTime.Utc): Proposal => {
  const owner = ch.pick(owningAgencies)
  const s = staffAt(owner.id)
  const actor = ch.chance(8) ? ch.pick(pool) : ch.pick([s.intake, s.workers[0], s.approvers[0]])
  return { actor, command: command("RegisterReport", registerFields(ch, owner, now)) }
}

/** A command of any type, with its typical fields, by anyone: often invalid for the stage or the actor. */
const randomProposal = (ctx: Ctx): Proposal => {
  const tag = ctx.ch.pick(commandTypes)
  return { actor: ctx.ch.pick(pool), command: command(tag, fieldsOf[tag](ctx)) }
}

/** The plausible next commands of a case, by plausible actors, weighted; the first moves the case forward. */
const plausible = (ctx: Ctx): ReadonlyArray<readonly [number, () => Proposal]> => {
  const { state, ch } = ctx
  const owner = ownerStaff(state)
  const options: Array<readonly [number, () => Proposal]> = []
  const add = (weight: number, tag: CaseCommand.Type, actor: () => Actor.Actor) =>
    options.push([weight, () => ({ actor: actor(), command: command(tag, fieldsOf[tag](ctx)) })])
  const adult = isAdultNow(state, ctx.now)

  // Decide a pending approval: mostly by a holder of the approving office who did not ask; sometimes by the
  // requester or someone without the office (a Kasi, a Kabid of another bidang).
  const pending = Case.pendingApprovals(state)
  if (pending.length > 0) {
    options.push([
      30,
      () => {
        const approval = ch.pick(pending)
        const others = owner.approvers.filter((a) => a.id !== approval.requestedBy)
        const requester = byId.get(approval.requestedBy) ?? owner.kasi
        const actor = ch.chance(15)
          ? ch.pick([requester, owner.kasi, owner.otherKabid, ch.pick(pool)])
          : ch.pick(others)
        return {
          actor,
          command: command("DecideApproval", {
            approval: approval.id,
            decision: ch.chance(15) ? "rejected" : "approved",
            reason: "Reviewed the request"
          })
        }
      }
    ])
  }
  if (state.assigned.length === 0 && state.stage !== "closed") add(25, "AssignCaseworker", () => lead(ctx))
  if (adult && state.stage !== "closed") {
    if (["planning", "intervention", "reintegration"].includes(state.stage))
      add(30, "RequestTermination", () => worker(ctx))
    if (["reported", "outreach", "assessment"].includes(state.stage)) add(30, "RequestEarlyClosure", () => worker(ctx))
  }
  switch (state.stage) {
    case "reported":
      add(30, "StartOutreach", () => worker(ctx))
      add(3, "RequestEarlyClosure", () => worker(ctx))
      break
    case "outreach":
      add(30, "RecordFirstContact", () => worker(ctx))
      add(3, "RequestEarlyClosure", () => worker(ctx))
      break
    case "assessment":
      if (state.classification === undefined) add(30, "RecordAssessment", () => worker(ctx))
      if (state.risk?.effective === "tinggi" && state.safetyPlan === undefined) {
        add(30, "RecordSafetyPlan", () => worker(ctx))
      }
      add(25, "CompleteAssessment", () => worker(ctx))
      add(12, "RecordAssessment", () => worker(ctx))
      add(3, "RequestEarlyClosure", () => worker(ctx))
      break
    case "planning": {
      const current = state.currentPlan === undefined ? undefined : state.plans[state.currentPlan]
      if (current === undefined || current.status === "rejected") add(30, "ProposePlan", () => worker(ctx))
      if (Case.approvedPlan(state) !== undefined) add(30, "StartIntervention", () => worker(ctx))
      add(4, "RecordAssessment", () => worker(ctx))
      // Sometimes a new plan while one waits for approval (SOP-02: the waiting one can then only be rejected).
      add(current?.status === "pending-approval" ? 8 : 3, "ProposePlan", () => worker(ctx))
      add(3, "RequestTermination", () => worker(ctx))
      break
    }
    case "intervention":
      add(20, "StartReintegration", () => worker(ctx))
      add(10, "RecordService", () => worker(ctx))
      add(5, "ReviewPlan", () => worker(ctx))
      add(8, "RequestTermination", () => worker(ctx))
      add(3, "RecordAssessment", () => worker(ctx))
      add(2, "ProposePlan", () => worker(ctx))
      break
    case "reintegration":
      add(20, "RequestTermination", () => worker(ctx))
      add(6, "RecordService", () => worker(ctx))
      add(4, "ReviewPlan", () => worker(ctx))
      add(3, "RecordAssessment", () => worker(ctx))
      break
    case "aftercare":
      add(20, "CloseCase", () => worker(ctx))
      add(8, "RecordFollowUp", () => worker(ctx))
      add(3, "ReopenCase", () => worker(ctx))
      add(2, "RecordAssessment", () => worker(ctx))
      break
    case "closed":
      add(20, "ReopenCase", () => worker(ctx))
      break
  }
  // Work beside the stages.
  add(2, "AssignCaseworker", () => lead(ctx))
  add(1, "UnassignCaseworker", () => lead(ctx))
  add(5, "RecordConsent", () => worker(ctx))
  add(sharingConsents(state).length > 0 ? 4 : 1, "WithdrawConsent", () => worker(ctx))
  add(6, "RequestReferral", () => worker(ctx))
  add(2, "RecordCaseConference", () => worker(ctx))
  const followUpsOpen = Object.values(state.conferences).some((c) => c.followUps.some((f) => f.doneOn === undefined))
  add(followUpsOpen ? 5 : 1, "CompleteConferenceFollowUp", () => worker(ctx))
  add(1, "RecordNationalReference", () => worker(ctx))
  // Rarely, the owner's intake officer registers a second report under the case's id (SOP-CASE-ID refuses it).
  const ownerAgency = directory.get(state.owner)
  if (ownerAgency !== undefined) {
    options.push([
      1,
      () => ({ actor: owner.intake, command: command("RegisterReport", registerFields(ch, ownerAgency, ctx.now)) })
    ])
  }
  // Requests of the data subject, also on a closed case (UU 27/2022), and their answers.
  add(state.stage === "closed" ? 4 : 1, "ReceiveDataSubjectRequest", () => worker(ctx))
  const unanswered = Object.values(state.dataSubjectRequests).some((request) => request.answeredOn === undefined)
  add(unanswered ? 8 : 1, "AnswerDataSubjectRequest", () => worker(ctx))
  const live = Case.liveReferrals(state)
  if (live.length > 0) {
    options.push([
      8,
      () => {
        const referral = ch.pick(live)
        const recipient = staffAt(referral.to)
        const status = ch.pick(["accepted", "completed", "declined", "withdrawn"] as const)
        const fromRecipient = status !== "withdrawn" && !ch.chance(20)
        const actor = fromRecipient
          ? ch.pick([recipient.partner, recipient.workers[0], recipient.approvers[0], recipient.kasi])
          : ch.pick([...leads(owner), ch.pick(pool)])
        return { actor, command: command("UpdateReferral", { referral: referral.id, status }) }
      }
    ])
    const accepted = live.filter((r) => r.status === "accepted")
    if (accepted.length > 0 && ["intervention", "reintegration", "aftercare"].includes(state.stage)) {
      options.push([
        4,
        () => {
          const referral = ch.pick(accepted)
          const recipient = staffAt(referral.to)
          const fields = fieldsOf.RecordService(ctx)
          return {
            actor: ch.pick([recipient.workers[0], recipient.partner]),
            command: command("RecordService", { ...fields, provider: ch.chance(20) ? state.owner : referral.to })
          }
        }
      ])
    }
  }
  add(2, "RequestTransfer", () => lead(ctx))
  const transfer = Case.pendingTransfer(state)
  if (transfer !== undefined) {
    options.push([
      8,
      () => {
        const status = ch.pick(["accepted", "declined", "withdrawn"] as const)
        const side = status === "withdrawn" ? staffAt(transfer.from) : staffAt(transfer.to)
        const actor = ch.chance(15) ? ch.pick(pool) : ch.pick([side.approvers[0], side.kasi, side.approvers[1]])
        return { actor, command: command("UpdateTransfer", { transfer: transfer.id, status }) }
      }
    ])
  }
  options.push([
    3,
    () => ({
      actor: ch.chance(30) ? ch.pick(leads(owner)) : owner.system,
      command: command("Tick")
    })
  ])
  add(2, "RequestPlacement", () => worker(ctx))
  if (Object.keys(state.placements).length > 0) add(1, "EndPlacement", () => worker(ctx))
  if (state.classification?.sppaRole === "anak-berkonflik-dengan-hukum") {
    add(3, "RecordSppaProceeding", () => worker(ctx))
    add(1, "RecordPasal21Decision", () => worker(ctx))
    add(2, "RecordDetention", () => worker(ctx))
    // The juvenile-justice chain: levels in order, diversion's course at the current level, a sentence.
    const level = state.sppa.levels.at(-1)
    // The next level follows once diversion there is not mandatory or ended without an agreement.
    const onward =
      level !== undefined &&
      level.stage !== "trial" &&
      (!level.diversionMandatory || level.outcome === "no-agreement" || level.notCarriedOutOn !== undefined)
    add(level === undefined || onward ? 8 : 2, "StartSppaLevel", () => worker(ctx))
    if (level !== undefined) {
      // The next step of diversion at the current level is the likely one.
      const next = (due: boolean) => (due ? 14 : 1)
      // Sometimes diversion is tried where the law does not provide for it (SPPA-DIVERSION refuses it).
      const notYet = level.diversionStartedOn === undefined
      add(notYet && level.diversionMandatory ? 14 : notYet ? 3 : 1, "StartDiversion", () => worker(ctx))
      add(next(level.diversionStartedOn !== undefined && level.outcome === undefined), "ConcludeDiversion", () =>
        worker(ctx)
      )
      add(next(level.outcome === "agreement" && level.submittedOn === undefined), "SubmitDiversionAgreement", () =>
        worker(ctx)
      )
      add(next(level.submittedOn !== undefined && level.confirmedOn === undefined), "RecordDiversionConfirmation", () =>
        worker(ctx)
      )
      // Sometimes a confirmed agreement is not carried out, and the proceedings go on.
      add(
        level.confirmedOn !== undefined && level.notCarriedOutOn === undefined ? 15 : 1,
        "RecordAgreementNotCarriedOut",
        () => worker(ctx)
      )
      // A sentence is likely once the trial may give one (its diversion not mandatory, or ended without agreement).
      const atTrial = level.stage === "trial" && state.sppa.sentence === undefined
      const mayGoOn =
        !level.diversionMandatory || level.outcome === "no-agreement" || level.notCarriedOutOn !== undefined
      add(atTrial ? (mayGoOn ? 14 : 5) : 1, "RecordSentence", () => worker(ctx))
    }
    const litmas = state.sppa.litmas.at(-1)
    add(litmas === undefined ? 6 : 1, "RequestLitmas", () => worker(ctx))
    add(litmas !== undefined && litmas.receivedOn === undefined ? 10 : 1, "RecordLitmas", () => worker(ctx))
  }
  if (state.classification?.sppaRole !== undefined) {
    // A child victim, witness or alleged offender is accompanied at the police, the prosecutor and the court.
    add(3, "RecordAccompaniment", () => worker(ctx))
  }
  if (state.classification?.sppaRole === "anak-pasal-21") {
    add(state.sppa.pasal21 === undefined ? 6 : 1, "RecordPasal21Decision", () => worker(ctx))
    add(1, "RecordSppaProceeding", () => worker(ctx))
    add(state.sppa.pasal21?._tag === "guidance" ? 6 : 1, "ExtendPasal21Guidance", () => worker(ctx))
    add(
      state.sppa.pasal21 !== undefined && state.sppa.pasal21SubmittedOn === undefined ? 10 : 1,
      "RecordPasal21CourtSubmission",
      () => worker(ctx)
    )
  }
  return options
}

/** Proposes the next command of a case: usually plausible for its state, sometimes random. */
export const propose = (state: Case.State, ch: Choices, now: DateTime.Utc): Proposal => {
  if (state._tag === "Empty") return proposeRegister(ch, now)
  const ctx: Ctx = { state, ch, now, today: localDate(state.region, now) }
  if (ch.chance(12)) return randomProposal(ctx)
  return ch.weighted(plausible(ctx))()
}

// ---------------------------------------------------------------------------------------------------------------
// Walks

/** One step of a walk: the state before, the command, who gave it and when, what the decider said, the state after. */
export interface Step {
  readonly before: Case.State
  readonly actor: Actor.Actor
  readonly command: CaseCommand.Command
  readonly now: DateTime.Utc
  readonly result: Result.Result<ReadonlyArray<CaseEvent.Envelope>, Rejection.Rejection>
  readonly after: Case.State
  /** JSON of the state before and right after `decide` (only when the walk takes snapshots). */
  readonly snapshot?: { readonly before: string; readonly afterDecide: string }
}

/** A walk: its steps, the events of the accepted ones, the final state and instant. */
export interface Walk {
  readonly steps: ReadonlyArray<Step>
  readonly events: ReadonlyArray<CaseEvent.Envelope>
  readonly state: Case.State
  readonly now: number
}

/** The input of a walk, as fast-check draws it. */
export interface WalkInput {
  readonly steps: number
  readonly choices: ReadonlyArray<number>
}

/** Walks of up to `maxSteps` steps. */
export const walkArb = (maxSteps: number): fc.Arbitrary<WalkInput> =>
  fc.record({
    steps: fc.integer({ min: 1, max: maxSteps }),
    // Unbiased, so that choices spread over every option; shrinking lowers them toward 0 (the typical option).
    choices: fc.noBias(fc.array(fc.nat(), { minLength: maxSteps * 16, maxLength: maxSteps * 16 }))
  })

const minute = 60_000
const hour = 60 * minute
const day = 24 * hour
const gaps = [0, minute, hour, 6 * hour, day, 3 * day, 10 * day, 45 * day, 200 * day]

/** The context the decider gets for an actor at an instant. */
export const contextAt = (actor: Actor.Actor, now: DateTime.Utc): Decider.Context => ({
  now,
  actor,
  agencies: directory
})

/**
 * The first commands of an SPPA walk: a report about a child in Kota Padang, a caseworker, outreach, first contact
 * and an assessment with the role anak berkonflik dengan hukum (12 to 17) or the status anak-pasal-21 (8 to 11) —
 * so that the juvenile-justice chain and the Pasal 21 path are walked from cases where they apply.
 */
const sppaPrefix = (ch: Choices, now: DateTime.Utc, from: "offender" | "pasal21"): ReadonlyArray<Proposal> => {
  const today = localDate("13.71" as Region.RegionCode, now)
  // An alleged offender of 12 to 17; a child on the Pasal 21 path of 8 to 11.
  const age = from === "offender" ? 12 + ch.int(6) : 8 + ch.int(4)
  const birthDate = CalendarDate.addDays(CalendarDate.addMonths(today, -12 * age), -ch.int(300))
  const padang = staffAt(agencies.dinsosPadang.id)
  const worker = ch.pick(padang.workers)
  const base = { caseId }
  return [
    {
      actor: padang.intake,
      command: {
        _tag: "RegisterReport",
        ...base,
        subject: "subject-prop",
        sex: ch.pick(["female", "male"]),
        birthDate,
        region: "13.71",
        owner: agencies.dinsosPadang.id,
        source: "police",
        concerns: ["in-conflict-with-law"]
      }
    },
    { actor: padang.kasi, command: { _tag: "AssignCaseworker", ...base, caseworker: worker.id } },
    { actor: worker, command: { _tag: "StartOutreach", ...base } },
    { actor: worker, command: { _tag: "RecordFirstContact", ...base } },
    {
      actor: worker,
      command: {
        _tag: "RecordAssessment",
        ...base,
        classification: {
          ampk: ["b"],
          ppks: [3],
          cluster: "children",
          sppaRole: from === "offender" ? "anak-berkonflik-dengan-hukum" : "anak-pasal-21",
          allegedPerpetrators: []
        },
        factors: ["in-conflict-with-law"]
      }
    }
  ]
}

/**
 * Where a walk starts: an empty case (the default), or an assessed case of an anak berkonflik dengan hukum, or of a
 * child under 12 at the alleged act (the Pasal 21 path).
 */
export type WalkStart = "empty" | "offender" | "pasal21"

/** Runs a walk: proposes, decodes and decides a command at every step, applying the accepted ones. */
export const walk = (
  input: WalkInput,
  options: { readonly snapshots?: boolean; readonly from?: WalkStart } = {}
): Walk => {
  const ch = new Choices(input.choices)
  let state: Case.State = Case.initialState
  let ms = start
  const steps: Array<Step> = []
  const events: Array<CaseEvent.Envelope> = []
  const prefix =
    options.from === undefined || options.from === "empty"
      ? []
      : [...sppaPrefix(ch, DateTime.makeUnsafe(ms), options.from)]
  const total = input.steps + prefix.length
  for (let i = 0; i < total; i++) {
    ms += prefix.length > 0 ? minute : ch.pick(gaps)
    const now = DateTime.makeUnsafe(ms)
    const proposal = prefix.shift() ?? propose(state, ch, now)
    const shift = ch.weighted([
      [90, 0],
      [7, -3 * hour],
      [3, hour]
    ])
    const json =
      shift === 0 ? proposal.command : { ...proposal.command, occurredAt: new Date(ms + shift).toISOString() }
    const decoded = cmd(json)
    const before = options.snapshots === true ? JSON.stringify(state) : ""
    const result = Decider.decide(state, decoded, contextAt(proposal.actor, now))
    const afterDecide = options.snapshots === true ? JSON.stringify(state) : ""
    const after = Result.isSuccess(result) ? Case.fold(result.success, state) : state
    steps.push({
      before: state,
      actor: proposal.actor,
      command: decoded,
      now,
      result,
      after,
      ...(options.snapshots === true ? { snapshot: { before, afterDecide } } : {})
    })
    if (Result.isSuccess(result)) events.push(...result.success)
    state = after
  }
  return { steps, events, state, now: ms }
}

// ---------------------------------------------------------------------------------------------------------------
// Driving a case to closed

/** What driving a case to closed did. */
export interface Drive {
  readonly state: Case.State
  readonly events: ReadonlyArray<CaseEvent.Envelope>
  readonly commands: ReadonlyArray<{ readonly actor: Actor.Actor; readonly command: CaseCommand.Command }>
}

/**
 * Takes any open case to `closed` with valid commands by appropriate actors, throwing when the decider rejects
 * one: pending termination and early-closure requests are rejected first; then a case before planning is closed
 * early (request and approval), a case in planning, intervention or reintegration is terminated (reason
 * `transferred-to-other-system`, valid for children and adults alike) and closed, a case in aftercare is closed.
 */
export const driveToClosed = (from: Case.State, events: ReadonlyArray<CaseEvent.Envelope>, nowMs: number): Drive => {
  let state = from
  let ms = nowMs
  const all = [...events]
  const commands: Array<{ readonly actor: Actor.Actor; readonly command: CaseCommand.Command }> = []
  const run = (actor: Actor.Actor, json: Json) => {
    ms += minute
    const decoded = cmd(json)
    const result = Decider.decide(state, decoded, contextAt(actor, DateTime.makeUnsafe(ms)))
    if (Result.isFailure(result)) {
      const stage = state._tag === "Case" ? state.stage : "empty"
      throw new Error(`driveToClosed: ${decoded._tag} by ${actor.id} in ${stage} rejected: ${result.failure.message}`)
    }
    state = Case.fold(result.success, state)
    all.push(...result.success)
    commands.push({ actor, command: decoded })
  }
  const current = (): Case.Case => {
    if (state._tag !== "Case") throw new Error("driveToClosed: no case")
    return state
  }
  for (let round = 0; round < 4 && current().stage !== "closed"; round++) {
    const s = current()
    const owner = staffAt(s.owner)
    const otherThan = (id: string) => owner.approvers.find((a) => a.id !== id) ?? owner.approvers[0]
    for (const approval of Case.pendingApprovals(s)) {
      if (approval.subject._tag === "termination" || approval.subject._tag === "early-closure") {
        run(otherThan(approval.requestedBy), {
          ...command("DecideApproval"),
          approval: approval.id,
          decision: "rejected",
          reason: "Superseded by a new request"
        })
      }
    }
    const [requester, approver] = owner.approvers
    const stage: Sop.Stage = current().stage
    const approval = freshId("drive", current().approvals)
    if (stage === "aftercare") {
      run(requester, command("CloseCase", { reason: "Closed by the supervisor" }))
    } else if (stage === "reported" || stage === "outreach" || stage === "assessment") {
      run(requester, command("RequestEarlyClosure", { reason: "duplicate", note: "Closed early", approval }))
      run(approver, command("DecideApproval", { approval, decision: "approved", reason: "Agreed" }))
    } else if (stage === "planning" || stage === "intervention" || stage === "reintegration") {
      run(
        requester,
        command("RequestTermination", { reason: "transferred-to-other-system", note: "Handed over", approval })
      )
      run(approver, command("DecideApproval", { approval, decision: "approved", reason: "Agreed" }))
    }
  }
  return { state, events: all, commands }
}
