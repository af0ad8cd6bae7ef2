/**
 * Property and model-based tests of the case decider (issue 4): random walks of commands by random actors keep the
 * SOP's invariants, rejections change nothing, replay rebuilds the state (also through JSON), every reachable case
 * can be closed, and the SOP diagram and the decider agree on every transition.
 */
import { fc, test as propTest } from "@fast-check/vitest"
import { DateTime, Result } from "effect"
import { describe, expect, it } from "vitest"
import type * as Actor from "../src/Actor.js"
import * as Agency from "../src/Agency.js"
import * as Basis from "../src/Basis.js"
import * as CalendarDate from "../src/CalendarDate.js"
import * as Case from "../src/Case.js"
import type * as CaseCommand from "../src/CaseCommand.js"
import * as CaseDeadlines from "../src/CaseDeadlines.js"
import * as CaseEvent from "../src/CaseEvent.js"
import * as CaseModel from "../src/CaseModel.js"
import * as DataSubject from "../src/DataSubject.js"
import * as Decider from "../src/Decider.js"
import * as DinasType from "../src/DinasType.js"
import { adultOn, approvingPositions, holdsApprovingOffice, isAdultNow } from "../src/internal/decide/facts.js"
import * as Person from "../src/Person.js"
import * as Region from "../src/Region.js"
import * as Risk from "../src/Risk.js"
import * as RuleRegister from "../src/RuleRegister.js"
import * as Sop from "../src/Sop.js"
import * as SopTable from "../src/SopTable.js"
import * as Sppa from "../src/Sppa.js"
import * as Subject from "../src/Subject.js"
import {
  caseId,
  contextAt,
  driveToClosed,
  freshId,
  type Json,
  type Step,
  staffAt,
  walk,
  walkArb
} from "./arbitraries.js"
import {
  agencies,
  at,
  caseOf,
  cmd,
  directory,
  emptyStory,
  people,
  rejected,
  step as runStep,
  type Story
} from "./fixtures.js"
import { runs } from "./properties.js"

const identityFields: ReadonlySet<string> = new Set(Object.keys(Subject.Identity.fields))

const knownRules: ReadonlySet<string> = new Set([
  ...Sop.ruleIds,
  ...Object.values(Sop.procedureRules).map((rule) => rule.id),
  ...Risk.rules.map((rule) => rule.id),
  ...Sppa.rules.map((rule) => rule.id),
  ...DataSubject.rules.map((rule) => rule.id)
])

/** Every rule of the register, by id. */
const registered: ReadonlyMap<string, RuleRegister.Entry> = new Map(
  RuleRegister.entries.map((entry) => [entry.id, entry])
)

/** Every key of a JSON value, at any depth. */
const keysOf = (value: unknown, found: Set<string> = new Set()): Set<string> => {
  if (Array.isArray(value)) for (const item of value) keysOf(item, found)
  else if (typeof value === "object" && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      found.add(key)
      keysOf(inner, found)
    }
  }
  return found
}

const hasCategory = (state: Case.Case): boolean =>
  state.classification !== undefined && state.classification.ampk.length + state.classification.ppks.length > 0

const leadRoles: ReadonlyArray<string> = ["supervisor", "head-of-dinas"]
const everything: ReadonlyArray<CaseModel.SharedData> = CaseModel.SharedData.literals

/** SOP-06: sharing `shares` on `basis` was allowed by the case as it stood. */
const expectLawfulSharing = (
  before: Case.Case,
  shares: ReadonlyArray<CaseModel.SharedData>,
  basis: CaseModel.SharingBasis
) => {
  if (shares.length === 0) return
  if (basis._tag !== "consent") {
    const recorded = {
      emergency: () => (basis as { readonly reason: string }).reason,
      "court-order": () => (basis as { readonly reference: string }).reference,
      "legal-obligation": () => (basis as { readonly provision: string }).provision,
      "public-task": () => (basis as { readonly authority: string }).authority
    }[basis._tag]()
    expect(recorded.length).toBeGreaterThan(0)
    return
  }
  const consent = before.consents[basis.consent]
  expect(consent, `consent ${basis.consent} is recorded`).toBeDefined()
  if (consent === undefined) return
  expect(consent.withdrawn).toBe(false)
  for (const share of shares) expect(consent.scope).toContain(share)
  expect(CaseModel.consentingRelations).toContain(consent.givenBy)
  expect(before.classification?.allegedPerpetrators ?? []).not.toContain(consent.givenBy)
}

/** The child's age on the act date of an SPPA command (the decider has checked the birth date is known). */
const ageAtAct = (before: Case.Case, command: CaseCommand.Command): number => {
  if (!("actDate" in command) || before.subject.birthDate === undefined) return Number.NaN
  return Result.getOrThrow(CalendarDate.ageOn(before.subject.birthDate, command.actDate))
}

/** The person's age on a date (the decider has checked the birth date is known for SPPA commands). */
const ageOn = (before: Case.Case, date: CalendarDate.CalendarDate): number =>
  before.subject.birthDate === undefined
    ? Number.NaN
    : Result.getOrThrow(CalendarDate.ageOn(before.subject.birthDate, date))

/** The invariants of one event, given the state just before it. */
const expectLawfulEvent = (before: Case.State, event: CaseEvent.Envelope, step: Step) => {
  const command = step.command
  expect(event.rules.length).toBeGreaterThan(0)
  expect(event.basis.length).toBeGreaterThan(0)
  for (const rule of event.rules) expect(knownRules.has(rule), `rule ${rule} is known`).toBe(true)
  // The envelope cites each rule once and exactly the basis of its rules, each once, in the rules' order; its schema
  // version is its type's.
  expect(new Set(event.rules).size).toBe(event.rules.length)
  const texts = [
    ...new Set(event.rules.flatMap((id) => (registered.get(id)?.basis ?? []).map((basis) => Basis.format(basis))))
  ]
  expect(event.basis.map((basis) => Basis.format(basis))).toEqual(texts)
  expect(event.schemaVersion).toBe(CaseEvent.schemaVersions[event.payload._tag])
  expect(event.caseId).toBe(caseId)
  expect(event.actor).toEqual(step.actor)
  expect(event.recordedAt).toEqual(step.now)
  expect(event.type).toBe(event.payload._tag)
  const keys = keysOf(JSON.parse(JSON.stringify(CaseEvent.encode(event))))
  for (const field of identityFields) expect(keys.has(field), `event ${event.type} has no ${field}`).toBe(false)

  if (before._tag === "Empty") {
    expect(event.payload._tag).toBe("ReportRegistered")
    return
  }
  const payload = event.payload
  switch (payload._tag) {
    case "StageChanged": {
      expect(payload.from).toBe(before.stage)
      const transition = Sop.transitions.find((t) => t.id === payload.transition)
      expect(transition, `transition ${payload.transition}`).toBeDefined()
      if (transition === undefined) return
      expect(transition.from).toContain(payload.from)
      expect(payload.to).toBe(transition.to)
      if (transition.trigger.kind === "command") {
        expect(step.command._tag).toBe(transition.trigger.command)
      } else {
        expect(step.command._tag).toBe("DecideApproval")
        if (step.command._tag === "DecideApproval") {
          expect(step.command.decision).toBe("approved")
          expect(before.approvals[step.command.approval]?.subject._tag).toBe(transition.trigger.subject)
        }
      }
      if (step.command._tag === "ReopenCase") {
        // A case closed before the child was reached reopens to outreach: the child is reached before any assessment.
        expect(payload.transition).toBe(before.firstContactAt === undefined ? "reopen-unreached" : "reopen")
      }
      if (before.subject.kind === "child" && isAdultNow(before, step.now)) {
        // SOP-09: a person who reached 18 is handed over or terminated, not carried on as a child case.
        expect(["aftercare", "closed"]).toContain(payload.to)
      }
      if (payload.to === "planning") {
        // SOP-01: a category, a risk level and, for tinggi, a safety plan.
        expect(hasCategory(before)).toBe(true)
        expect(before.risk).toBeDefined()
        if (before.risk?.effective === "tinggi") expect(before.safetyPlan).toBeDefined()
      }
      if (transition.id === "terminate" && step.command._tag === "DecideApproval") {
        // SOP-04 and SOP-09: the reason fits the person's age, and a tinggi case ends as goals met only at rendah.
        const subject = before.approvals[step.command.approval]?.subject
        expect(subject?._tag).toBe("termination")
        if (subject?._tag === "termination") {
          if (isAdultNow(before, step.now)) {
            expect(["adult", "transferred-to-other-system"]).toContain(subject.reason)
          } else {
            expect(subject.reason).not.toBe("adult")
          }
          if (subject.reason === "goals-met" && before.risk?.peak === "tinggi") {
            expect(before.risk.decision.chosen).toBe("rendah")
          }
          // Termination is the approved end of intervention: goals are met only once it has started.
          if (subject.reason === "goals-met") expect(["intervention", "reintegration"]).toContain(before.stage)
        }
      }
      if (payload.to === "intervention") {
        // SOP-02: a completed assessment and an approved plan; a supervisor's approval at sedang and tinggi.
        expect(hasCategory(before)).toBe(true)
        expect(before.risk).toBeDefined()
        const plan = Case.approvedPlan(before)
        expect(plan).toBeDefined()
        if (plan !== undefined && before.risk?.effective !== "rendah") {
          expect(plan.adoption).toBe("approval")
          const approvals = Object.values(before.approvals).filter(
            (a) => a.subject._tag === "plan" && a.subject.plan === plan.plan.id && a.status === "approved"
          )
          expect(approvals.length).toBeGreaterThan(0)
          for (const approval of approvals) expect(approval.decidedBy).not.toBe(approval.requestedBy)
        }
      }
      return
    }
    case "AssessmentRecorded": {
      // Only a child reached is assessed (a case reopened before first contact goes back to outreach).
      expect(before.firstContactAt).toBeDefined()
      // The assessment records what the policy in force made of its factors, which explains its computed level.
      const { computed, score, sedangThreshold, redFlags } = Risk.assess({ factors: payload.risk.factors })
      expect(payload.risk).toMatchObject({ redFlags, score, sedangThreshold, decision: { computed } })
      return
    }
    case "ApprovalDecided": {
      // SOP-03: four eyes, and the approving office of the responsible agency.
      const approval = before.approvals[payload.approval]
      expect(approval?.status).toBe("pending")
      expect(approval?.requestedBy).not.toBe(event.actor.id)
      expect(event.actor.agency).toBe(before.owner)
      expect(leadRoles).toContain(event.actor.role)
      expect(approvingPositions(directory.get(before.owner))).toContain(event.actor.position)
      if (event.actor.position === "kabid") {
        // Where a Kabid approves, the Kabid of the bidang that holds rehabilitation (DINAS-APPROVER).
        const owner = directory.get(before.owner)
        const structure = owner?.dinasType === undefined ? undefined : DinasType.structureOf(owner.dinasType)
        const bidang = structure === undefined ? undefined : DinasType.approverRole(Result.getOrThrow(structure)).bidang
        expect(bidang).toBeDefined()
        expect(event.actor.bidang).toBe(bidang)
      }
      // An approved lowering of the risk level changes the effective level only to the level it approved.
      const after = Case.evolve(before, event)
      if (after._tag === "Case" && after.risk?.effective !== before.risk?.effective) {
        expect(approval?.subject).toEqual({ _tag: "risk-lowering", level: after.risk?.effective })
      }
      return
    }
    case "DetentionRecorded": {
      // SOP-08: no detention under 14 or for a threatened penalty under 7 years.
      expect(before.classification?.sppaRole).toBe("anak-berkonflik-dengan-hukum")
      expect(ageAtAct(before, command)).toBeGreaterThanOrEqual(12)
      expect(payload.ageAtDetention).toBeGreaterThanOrEqual(14)
      expect(payload.threatenedPenaltyYears).toBeGreaterThanOrEqual(7)
      // Pasal 20: under 21 when its level began (the last level without one named; its own date without a level).
      if (command._tag === "RecordDetention") {
        const level = command.stage === undefined ? before.sppa.levels.at(-1) : Case.sppaLevel(before, command.stage)
        expect(ageOn(before, level?.startedOn ?? command.on)).toBeLessThan(
          Sppa.defaultSppaPolicy.childrensCourtAgeLimit
        )
      }
      if (payload.period !== undefined) {
        // SPPA-DETENTION-LIMITS: at a level reached, a first period of at most 7, 5 or 10 days, then at most one
        // extension of at most 8, 5 or 15 days from the next day; at an LPAS or LPKS.
        const { stage, days, from, until, at } = payload.period
        expect(Case.sppaLevel(before, stage)).toBeDefined()
        expect(until).toBe(CalendarDate.addDays(from, days - 1))
        const earlier = before.sppa.detentionPeriods.filter((p) => p.stage === stage)
        expect(earlier.length).toBeLessThanOrEqual(1)
        const limits = { investigation: [7, 8], prosecution: [5, 5], trial: [10, 15] } as const
        expect(days).toBeLessThanOrEqual(limits[stage][earlier.length] ?? 0)
        const first = earlier[0]
        if (first !== undefined) expect(from).toBe(CalendarDate.addDays(first.until, 1))
        if (at !== undefined) expect(["lpas", "lpks"]).toContain(directory.get(at)?.kind)
      }
      return
    }
    case "SppaProceedingRecorded":
      // SOP-08: diversion is attempted when it is mandatory; the role agrees with the age at the act.
      expect(before.classification?.sppaRole).toBe("anak-berkonflik-dengan-hukum")
      expect(ageAtAct(before, command)).toBeGreaterThanOrEqual(12)
      expect(ageAtAct(before, command)).not.toBeGreaterThanOrEqual(18)
      // Pasal 20: in the chain while under 21 when the proceeding's level began (its own date without a level).
      expect(
        ageOn(before, Case.sppaLevel(before, payload.proceeding.stage)?.startedOn ?? payload.proceeding.on)
      ).toBeLessThan(Sppa.defaultSppaPolicy.childrensCourtAgeLimit)
      if (payload.proceeding.threatenedPenaltyYears < 7 && !payload.proceeding.repeatOffence) {
        expect(payload.proceeding.diversionAttempted).toBe(true)
      }
      return
    case "SppaLevelStarted": {
      // The juvenile-justice chain (issue 11): the role agrees with the age at the act; levels follow each other;
      // diversion is mandatory exactly as Pasal 7 ayat (2) says.
      expect(before.classification?.sppaRole).toBe("anak-berkonflik-dengan-hukum")
      expect(ageAtAct(before, command)).toBeGreaterThanOrEqual(12)
      expect(ageAtAct(before, command)).not.toBeGreaterThanOrEqual(18)
      expect(ageOn(before, payload.startedOn)).toBeLessThan(Sppa.defaultSppaPolicy.childrensCourtAgeLimit)
      const index = Sppa.stageCodes.indexOf(payload.stage)
      expect(before.sppa.levels.map((level) => level.stage)).toEqual(Sppa.stageCodes.slice(0, index))
      expect(payload.diversionMandatory).toBe(payload.threatenedPenaltyYears < 7 && !payload.repeatOffence)
      // One act: every level names the same date; a level starts after the one before, which ended its diversion
      // without an agreement where diversion was mandatory.
      const previous = before.sppa.levels.at(-1)
      if (previous !== undefined) {
        expect(payload.actDate).toBe(previous.actDate)
        expect(CalendarDate.compare(payload.startedOn, previous.startedOn)).toBeGreaterThanOrEqual(0)
        // Past a mandatory diversion only without an agreement, or when the agreement was not carried out (Pasal 13).
        if (previous.diversionMandatory && previous.notCarriedOutOn === undefined) {
          expect(previous.outcome).toBe("no-agreement")
        }
      }
      return
    }
    case "DiversionStarted":
      expect(Case.sppaLevel(before, payload.stage)?.diversionMandatory).toBe(true)
      expect(Case.sppaLevel(before, payload.stage)?.diversionStartedOn).toBeUndefined()
      return
    case "DiversionConcluded": {
      // SPPA-DIVERSION-AGREEMENT: never against the victim's refusal; training within 3 months.
      const level = Case.sppaLevel(before, payload.stage)
      expect(level?.diversionStartedOn).toBeDefined()
      expect(level?.outcome).toBeUndefined()
      expect(payload.agreement === undefined).toBe(payload.outcome === "no-agreement")
      expect(payload.agreement?.victimConsent._tag).not.toBe("refused")
      // The willingness of the child and family, unless an exception of Pasal 9 (2) lifts the whole requirement
      // (the victim's consent and the willingness alike; seed 870720235 found the invariant stricter than the rule).
      if (payload.agreement?.victimConsent._tag !== "not-required") {
        expect(payload.agreement?.childAndFamilyWilling).not.toBe(false)
      }
      for (const form of payload.agreement?.forms ?? []) {
        if (form._tag === "education-or-training") expect(form.months).toBeLessThanOrEqual(3)
      }
      return
    }
    case "DiversionAgreementSubmitted":
      expect(Case.sppaLevel(before, payload.stage)?.outcome).toBe("agreement")
      return
    case "DiversionAgreementNotCarriedOut": {
      const level = Case.sppaLevel(before, payload.stage)
      expect(level?.outcome).toBe("agreement")
      expect(level?.notCarriedOutOn).toBeUndefined()
      return
    }
    case "DiversionConfirmed":
      expect(Case.sppaLevel(before, payload.stage)?.submittedOn).toBeDefined()
      return
    case "LitmasRequested":
      // SPPA-LITMAS: for a child alleged to have done an act, of a Bapas, one awaited at a time.
      expect(["anak-berkonflik-dengan-hukum", "anak-pasal-21"]).toContain(before.classification?.sppaRole)
      expect(directory.get(payload.bapas)?.kind).toBe("bapas")
      expect(before.sppa.litmas.every((request) => request.receivedOn !== undefined)).toBe(true)
      return
    case "LitmasReceived":
      expect(before.sppa.litmas.at(-1)?.receivedOn).toBeUndefined()
      expect(before.sppa.litmas.length).toBeGreaterThan(0)
      return
    case "AccompanimentRecorded": {
      // SPPA-ACCOMPANIMENT: a child with an SPPA role, at the police, the prosecutor or the court of that level.
      expect(before.classification?.sppaRole).toBeDefined()
      const kind = directory.get(payload.accompaniment.at)?.kind
      const expected = { investigation: "police", prosecution: "prosecutor", trial: "court" } as const
      expect(kind).toBe(expected[payload.accompaniment.stage])
      return
    }
    case "SentenceRecorded": {
      // SPPA-SENTENCE: 12 or older at the act; under 14 only a tindakan; imprisonment within Pasal 81, at an LPKA.
      expect(before.classification?.sppaRole).toBe("anak-berkonflik-dengan-hukum")
      expect(payload.ageAtAct).toBe(ageAtAct(before, command))
      expect(payload.ageAtAct).toBeGreaterThanOrEqual(12)
      expect(payload.ageAtAct).toBeLessThan(18)
      // At trial, for the act the levels are about.
      expect(Case.sppaLevel(before, "trial")?.actDate).toBe((command as CaseCommand.Of<"RecordSentence">).actDate)
      const sentence = payload.sentence
      if (sentence._tag === "pidana") expect(payload.ageAtAct).toBeGreaterThanOrEqual(14)
      if (sentence._tag === "pidana" && sentence.penalty === "imprisonment") {
        const { months, adultMaximum, at } = sentence
        expect(months !== undefined && adultMaximum !== undefined).toBe(true)
        if (months !== undefined && adultMaximum !== undefined) {
          const limit = adultMaximum._tag === "death-or-life" ? 120 : Math.floor(adultMaximum.years * 6)
          expect(months).toBeLessThanOrEqual(limit)
        }
        expect(directory.get(at as Agency.AgencyId)?.kind).toBe("lpka")
      }
      return
    }
    case "Pasal21DecisionRecorded":
      // The Pasal 21 status agrees with the age at the act: under 12 (issue 11, fact 2).
      expect(before.classification?.sppaRole).toBe("anak-pasal-21")
      expect(ageAtAct(before, command)).toBeLessThan(12)
      return
    case "ReferralRequested":
      expectLawfulSharing(before, payload.shares, payload.legalBasis)
      // A referral cites only a case conference the case has had.
      if (payload.conference !== undefined) expect(Object.keys(before.conferences)).toContain(payload.conference)
      return
    case "PlanProposed":
      if (payload.plan.conference !== undefined) {
        expect(Object.keys(before.conferences)).toContain(payload.plan.conference)
      }
      return
    case "DataSubjectRequestReceived": {
      // PDP-SUBJECT-RIGHTS: the person, or for a child a parent or the wali, makes the request.
      // Judged on the day the request was received: 18 then, the person makes it.
      const adultFrom = adultOn(before)
      const adultThen = adultFrom !== undefined && CalendarDate.compare(payload.receivedOn, adultFrom) >= 0
      if (before.subject.kind === "child" && !adultThen) {
        expect(CaseModel.consentingRelations).toContain(payload.by)
      } else expect(["self", "legal-guardian"]).toContain(payload.by)
      return
    }
    case "DataSubjectRequestAnswered": {
      const request = before.dataSubjectRequests[payload.request]
      expect(request?.answeredOn).toBeUndefined()
      // Never granted to an alleged perpetrator.
      if (payload.outcome === "granted" && request !== undefined && request.by !== "self") {
        expect(before.classification?.allegedPerpetrators ?? []).not.toContain(request.by)
      }
      return
    }
    case "ConferenceFollowUpCompleted": {
      // SOP-CONFERENCE: only a follow-up the conference set, once.
      const followUp = before.conferences[payload.conference]?.followUps[payload.followUp]
      expect(followUp).toBeDefined()
      expect(followUp?.doneOn).toBeUndefined()
      return
    }
    case "CaseConferenceRecorded": {
      // SOP-CONFERENCE: at least two disciplines; every follow-up owned by an agency that took part.
      const { participants, followUps } = payload.conference
      expect(new Set(participants.map((p) => p.role)).size).toBeGreaterThanOrEqual(2)
      for (const followUp of followUps) expect(participants.map((p) => p.agency)).toContain(followUp.owner)
      return
    }
    case "TransferRequested":
      expectLawfulSharing(before, everything, payload.legalBasis)
      return
    case "TransferUpdated":
      // SOP-03: the receiving agency's approving office accepts a transfer (it answers for the case from then).
      if (payload.status === "accepted") {
        const receiver = directory.get(before.transfers[payload.transfer]?.to as Agency.AgencyId)
        expect(holdsApprovingOffice(event.actor, receiver)).toBe(true)
      }
      return
    case "ConsentRecorded":
      expect(CaseModel.consentingRelations).toContain(payload.givenBy)
      expect(before.classification?.allegedPerpetrators ?? []).not.toContain(payload.givenBy)
      return
    default:
      return
  }
}

/** The invariants of a state. */
const expectLawfulState = (state: Case.State) => {
  if (state._tag === "Empty") return
  // One owner and one region, and the owner serves the region — also after a relocation (issue 11, fact 12).
  const owner = directory.get(state.owner)
  expect(owner !== undefined && Agency.serves(owner, state.region), `${state.owner} serves ${state.region}`).toBe(true)
  if (state.stage === "intervention" || state.stage === "reintegration" || state.stage === "aftercare") {
    // No intervention, reintegration or aftercare without a completed assessment: a category and a risk level.
    expect(hasCategory(state), `a ${state.stage} case has an AMPK or PPKS category`).toBe(true)
    expect(state.risk).toBeDefined()
  }
  for (const approval of Object.values(state.approvals)) {
    if (approval.status !== "pending") expect(approval.decidedBy).not.toBe(approval.requestedBy)
  }
  // SOP-11: the head of the dinas hears of a missed deadline only after the supervisor did; each escalation once.
  const key = (e: Case.Escalation) =>
    `${e.deadline}/${e.placement ?? ""}@${DateTime.formatIso(e.dueAt)}>${e.escalatedTo}`
  const keys = state.escalations.map(key)
  expect(new Set(keys).size).toBe(keys.length)
  for (const escalation of state.escalations) {
    if (escalation.escalatedTo === "head-of-dinas")
      expect(keys).toContain(key({ ...escalation, escalatedTo: "supervisor" }))
  }
}

const finalStatuses = {
  approvals: ["approved", "rejected"],
  referrals: ["declined", "withdrawn", "completed"],
  transfers: ["accepted", "declined", "withdrawn"],
  placements: ["rejected", "ended"]
} as const satisfies Readonly<Record<string, ReadonlyArray<string>>>

/** Approvals, referrals, transfers and placements never leave a final status; a withdrawn consent stays withdrawn. */
const expectFinalStatusesKept = (before: Case.State, after: Case.State) => {
  if (before._tag === "Empty" || after._tag === "Empty") return
  for (const part of Object.keys(finalStatuses) as ReadonlyArray<keyof typeof finalStatuses>) {
    const finals: ReadonlyArray<string> = finalStatuses[part]
    const was: Readonly<Record<string, { readonly status: string }>> = before[part]
    const now: Readonly<Record<string, { readonly status: string }>> = after[part]
    for (const [id, record] of Object.entries(was)) {
      if (finals.includes(record.status))
        expect(now[id]?.status, `${part} ${id} stays ${record.status}`).toBe(record.status)
    }
  }
  for (const [id, consent] of Object.entries(before.consents)) {
    if (consent.withdrawn) expect(after.consents[id]?.withdrawn).toBe(true)
  }
}

/** Every invariant of a step. */
const expectLawfulStep = (step: Step) => {
  const { before, command, result } = step
  if (before._tag === "Case" && before.stage === "closed" && command._tag !== "ReopenCase") {
    // Closed is final: only reopening changes the stage; the scheduler's Tick escalates only a data-subject request,
    // and the data subject's requests and their answers are still taken (UU 27/2022); everything else is rejected.
    const stillTaken = ["Tick", "ReceiveDataSubjectRequest", "AnswerDataSubjectRequest"]
    if (Result.isSuccess(result)) {
      expect(stillTaken, `${command._tag} on a closed case is rejected`).toContain(command._tag)
      for (const event of result.success) {
        expect(["DeadlineEscalated", "DataSubjectRequestReceived", "DataSubjectRequestAnswered"]).toContain(event.type)
        if (event.payload._tag === "DeadlineEscalated") expect(event.payload.deadline).toBe("data-subject-request")
      }
    } else if (!stillTaken.includes(command._tag)) {
      expect(result.failure.rule).not.toBe("SOP-STAGE")
    }
  }
  if (Result.isFailure(result)) {
    expect(step.after).toBe(before)
    return
  }
  if (command._tag === "StartReintegration") {
    // SOP-05: the receiver was assessed as suitable and the child's view recorded.
    const prepared = result.success[0]?.payload
    expect(prepared?._tag).toBe("ReintegrationPrepared")
    if (prepared?._tag === "ReintegrationPrepared" && before._tag === "Case") {
      expect(prepared.reintegration.receiverSuitable).toBe(true)
      // Heard during the case: from the report's local date to today's.
      const offset = Region.timeZone(before.region).offsetHours
      const reportedOn = CalendarDate.fromInstant(before.reportedAt, offset)
      const today = CalendarDate.fromInstant(step.now, offset)
      for (const on of [prepared.reintegration.receiverAssessedOn, prepared.reintegration.childViewRecordedOn]) {
        expect(on >= reportedOn && on <= today, `${on} between ${reportedOn} and ${today}`).toBe(true)
      }
    }
  }
  if (command._tag === "Tick") {
    // SOP-11: a tick escalates every missed deadline once; nothing is left to escalate at the same instant.
    expect(CaseDeadlines.escalations(step.after, step.now)).toEqual([])
  }
  let state = before
  // Every event keeps the region its case was in when it was decided — a relocation's acceptance included, which
  // moves the case only once decided (issue 11: region-partitioned storage and event subjects key on it).
  const decidedIn = before._tag === "Case" ? before.region : command._tag === "RegisterReport" ? command.region : ""
  result.success.forEach((event, index) => {
    expect(event.version).toBe(before.version + index + 1)
    expect(event.region).toBe(decidedIn)
    expectLawfulEvent(state, event, step)
    state = Case.evolve(state, event)
  })
  // Folding the events at once (one copy of the case, changed by each event) gives what evolving them one by one
  // gives, and leaves the state it started from as it was.
  expect(step.after).toEqual(state)
  expect(Case.fold(result.success, before)).toEqual(state)
  expectLawfulState(step.after)
  expectFinalStatusesKept(before, step.after)
}

const describeStep = (step: Step): string =>
  `${step.command._tag} by ${step.actor.id} in ${step.before._tag === "Case" ? step.before.stage : "empty"}`

describe("random walks of commands by random actors", () => {
  propTest.prop([walkArb(60)], { numRuns: runs(300) })("every step keeps the SOP's invariants", (input) => {
    const w = walk(input)
    for (const step of w.steps) {
      try {
        expectLawfulStep(step)
      } catch (error) {
        throw new Error(`${describeStep(step)}: ${(error as Error).message}`)
      }
    }
    // Versions are gapless: 1..n.
    expect(w.events.map((event) => event.version)).toEqual(w.events.map((_, index) => index + 1))
    expect(new Set(w.events.map((event) => event.eventId)).size).toBe(w.events.length)
    expect(w.state.version).toBe(w.events.length)
  })

  propTest.prop([walkArb(60)], { numRuns: runs(300) })(
    "a reopened case completes its assessment only after an assessment — and at tinggi a safety plan — recorded since the reopening (SOP-01)",
    (input) => {
      const w = walk(input)
      // Read from the history alone (not from the state's own account of the reopening).
      let sinceReopening: Set<string> | undefined
      for (const event of w.events) {
        const payload = event.payload
        if (payload._tag === "StageChanged" && Sop.reopenings.has(payload.transition as Sop.TransitionId))
          sinceReopening = new Set()
        else if (payload._tag === "StageChanged" && payload.transition === "complete-assessment" && sinceReopening) {
          expect(sinceReopening.has("AssessmentRecorded"), `event ${event.version}`).toBe(true)
          const before = Case.fold(w.events.slice(0, event.version - 1))
          if (before._tag === "Case" && before.risk?.effective === "tinggi") {
            expect(sinceReopening.has("SafetyPlanRecorded"), `event ${event.version}`).toBe(true)
          }
        }
        sinceReopening?.add(payload._tag)
      }
    }
  )

  propTest.prop([walkArb(60)], { numRuns: runs(300) })(
    "an approved plan is the one proposed last since the case was last (re)opened (SOP-02)",
    (input) => {
      const w = walk(input)
      // Read from the history alone: the plan proposed last, cleared by a reopening.
      let last: string | undefined
      for (const event of w.events) {
        const payload = event.payload
        if (payload._tag === "StageChanged" && Sop.reopenings.has(payload.transition as Sop.TransitionId))
          last = undefined
        if (payload._tag === "PlanProposed") last = payload.plan.id
        if (payload._tag === "ApprovalDecided" && payload.decision === "approved") {
          const requested = w.events.find(
            (e) => e.payload._tag === "ApprovalRequested" && e.payload.approval === payload.approval
          )?.payload
          if (requested?._tag === "ApprovalRequested" && requested.subject._tag === "plan") {
            expect(requested.subject.plan, `event ${event.version}`).toBe(last)
          }
        }
      }
    }
  )

  propTest.prop([walkArb(60)], { numRuns: runs(300) })(
    "no referral stays live and no transfer pending on a consent withdrawn or given by a person the assessment names as alleged perpetrator (SOP-06)",
    (input) => {
      for (const step of walk(input).steps) {
        const state = step.after
        if (state._tag !== "Case") continue
        const perpetrators: ReadonlyArray<string> = state.classification?.allegedPerpetrators ?? []
        const shared = [
          ...Object.values(state.referrals)
            .filter((r) => r.status === "requested" || r.status === "accepted")
            .map((r) => [`referral ${r.id}`, r.legalBasis] as const),
          ...Object.values(state.transfers)
            .filter((t) => t.status === "requested")
            .map((t) => [`transfer ${t.id}`, t.legalBasis] as const)
        ]
        for (const [what, basis] of shared) {
          if (basis._tag !== "consent") continue
          const consent = state.consents[basis.consent]
          expect(consent, `${describeStep(step)}: ${what}`).toBeDefined()
          expect(consent?.withdrawn, `${describeStep(step)}: ${what}`).toBe(false)
          if (consent?.givenBy !== "self")
            expect(perpetrators, `${describeStep(step)}: ${what}`).not.toContain(consent?.givenBy)
        }
      }
    }
  )

  propTest.prop([walkArb(60)], { numRuns: runs(300) })(
    "a closed case keeps no live referral and no pending transfer: closing withdraws them (SOP-07)",
    (input) => {
      for (const step of walk(input).steps) {
        const state = step.after
        if (state._tag !== "Case" || state.stage !== "closed") continue
        expect(Case.liveReferrals(state), describeStep(step)).toEqual([])
        expect(Case.pendingTransfer(state), describeStep(step)).toBeUndefined()
      }
    }
  )

  propTest.prop([walkArb(40)], { numRuns: runs(150) })(
    "every step of a walk from an anak berkonflik dengan hukum's or a Pasal 21 child's case keeps the invariants",
    (input) => {
      const w = walk(input, { from: input.steps % 3 === 0 ? "pasal21" : "offender" })
      for (const step of w.steps) {
        try {
          expectLawfulStep(step)
        } catch (error) {
          throw new Error(`${describeStep(step)}: ${(error as Error).message}`)
        }
      }
      expect(w.state.version).toBe(w.events.length)
    }
  )

  propTest.prop([walkArb(40)], { numRuns: runs(100) })(
    "the diversion clock of the current level is the one its course calls for, due the statutory days after the end of its day (SPPA-DIVERSION-CLOCKS)",
    (input) => {
      const days = {
        "diversion-attempt": 7,
        "diversion-conclusion": 30,
        "diversion-court-submission": 3,
        "diversion-confirmation": 3
      }
      for (const step of walk(input, { from: "offender" }).steps) {
        const state = step.after
        if (state._tag !== "Case" || state.stage === "closed") continue
        const clocks = CaseDeadlines.items(state, step.now).filter((item) => item.kind.startsWith("diversion-"))
        const level = state.sppa.levels.at(-1)
        const expected: ReadonlyArray<readonly [keyof typeof days, string]> =
          level === undefined
            ? []
            : level.diversionMandatory && level.diversionStartedOn === undefined
              ? [["diversion-attempt", level.startedOn]]
              : level.diversionStartedOn !== undefined && level.outcome === undefined
                ? [["diversion-conclusion", level.diversionStartedOn]]
                : level.notCarriedOutOn !== undefined
                  ? []
                  : level.outcome === "agreement" && level.submittedOn === undefined && level.diversionConcludedOn
                    ? [["diversion-court-submission", level.diversionConcludedOn]]
                    : level.submittedOn !== undefined && level.confirmedOn === undefined
                      ? [["diversion-confirmation", level.submittedOn]]
                      : []
        const offset = Region.timeZone(state.region).offsetHours * 3_600_000
        const dueOf = ([kind, from]: readonly [keyof typeof days, string]) =>
          Date.parse(`${from}T00:00:00Z`) - offset + (1 + days[kind]) * 86_400_000
        expect(clocks.map((item) => [item.kind, DateTime.toEpochMillis(item.dueAt)])).toEqual(
          expected.map((clock) => [clock[0], dueOf(clock)])
        )
      }
    }
  )

  propTest.prop([walkArb(60)], { numRuns: runs(150) })(
    "a command refused for its stage cites SOP-STAGE; SOP-10 is cited only for a closed case, SOP-ONE-TRANSFER only while a transfer is pending",
    (input) => {
      for (const step of walk(input).steps) {
        if (Result.isSuccess(step.result) || step.result.failure._tag !== "SopViolation") continue
        const { rule, detail } = step.result.failure
        if (
          / (is done|is not allowed|is not possible|is possible only before \w+),? (in|not in)? ?stage/u.test(detail)
        ) {
          expect(rule, `${describeStep(step)}: ${detail}`).toBe("SOP-STAGE")
        }
        if (rule === "SOP-10") {
          expect(
            step.before._tag === "Case" && step.before.stage === "closed",
            `${describeStep(step)}: ${detail}`
          ).toBe(true)
        }
        if (rule === "SOP-ONE-TRANSFER") {
          const pending = step.before._tag === "Case" ? Case.pendingTransfer(step.before) : undefined
          expect(pending, `${describeStep(step)}: ${detail}`).toBeDefined()
        }
      }
    }
  )

  propTest.prop([walkArb(50)], { numRuns: runs(80) })(
    "a rejected command changes nothing, deciding again gives the same answer, and no step changes the state before it",
    (input) => {
      const w = walk(input, { snapshots: true })
      for (const step of w.steps) {
        const context = contextAt(step.actor, step.now)
        expect(step.snapshot?.afterDecide).toBe(step.snapshot?.before)
        const again = Decider.decide(step.before, step.command, context)
        expect(again).toEqual(step.result)
        if (Result.isFailure(step.result)) {
          expect(step.after).toBe(step.before)
          const run = Decider.run(step.before, step.command, context)
          expect(Result.isFailure(run) && run.failure).toEqual(step.result.failure)
        }
        // Neither deciding nor folding the events changes the state they started from.
        expect(JSON.stringify(step.before)).toBe(step.snapshot?.before)
      }
    }
  )

  propTest.prop([walkArb(50)], { numRuns: runs(60) })(
    "replaying the events rebuilds the state, also after a JSON round trip (SOP-12)",
    (input) => {
      const w = walk(input)
      let count = 0
      for (const step of w.steps) {
        if (Result.isSuccess(step.result)) count += step.result.success.length
        if (step.after._tag === "Case") expect(Case.fold(w.events.slice(0, count))).toEqual(step.after)
      }
      expect(Case.fold(w.events)).toEqual(w.state)
      const decoded = w.events.map((event) =>
        CaseEvent.decodeEnvelope(JSON.parse(JSON.stringify(CaseEvent.encode(event))))
      )
      expect(decoded).toEqual(w.events)
      expect(Case.fold(decoded)).toEqual(w.state)
    }
  )

  propTest.prop([walkArb(50)], { numRuns: runs(40) })(
    "from every reachable state there is a path to closed",
    (input) => {
      const w = walk(input)
      let count = 0
      for (const step of w.steps) {
        if (Result.isSuccess(step.result)) count += step.result.success.length
        if (step.after._tag !== "Case") continue
        const events = w.events.slice(0, count)
        const drive = driveToClosed(step.after, events, DateTime.toEpochMillis(w.steps.at(-1)?.now ?? step.now))
        expect(drive.state._tag === "Case" && drive.state.stage).toBe("closed")
        expect(drive.commands.length).toBeLessThanOrEqual(3 + Case.pendingApprovals(step.after).length)
        expect(Case.fold(drive.events)).toEqual(drive.state)
      }
    }
  )

  it("the walks reach every stage, take every transition and meet every kind of rejection", () => {
    const stages = new Set<string>()
    const transitions = new Set<string>()
    const rejections = new Set<string>()
    let accepted = 0
    let rejected = 0
    for (const input of fc.sample(walkArb(60), { numRuns: 400, seed: 4 })) {
      for (const step of walk(input).steps) {
        if (step.after._tag === "Case") stages.add(step.after.stage)
        if (Result.isFailure(step.result)) {
          rejected++
          const failure = step.result.failure
          rejections.add(`${failure._tag}:${failure.rule}`)
        } else {
          accepted++
          for (const event of step.result.success) {
            if (event.payload._tag === "StageChanged") transitions.add(event.payload.transition)
          }
        }
      }
    }
    expect([...stages].sort()).toEqual([...Sop.stages].sort())
    expect([...transitions].sort()).toEqual(Sop.transitions.map((t) => t.id).sort())
    for (const kind of [
      "Forbidden:SOP-07",
      "SopViolation:SOP-01",
      "SopViolation:SOP-02",
      "SopViolation:SOP-03",
      "SopViolation:SOP-04",
      "SopViolation:SOP-06",
      "SopViolation:SOP-10",
      "SopViolation:SOP-STAGE",
      "InvalidInput:SOP-INPUT",
      "CaseAlreadyExists:SOP-CASE-ID"
    ]) {
      expect(rejections).toContain(kind)
    }
    // A mix: neither almost always accepted nor almost always rejected.
    expect(accepted / (accepted + rejected)).toBeGreaterThan(0.3)
    expect(rejected / (accepted + rejected)).toBeGreaterThan(0.2)
  })
})

// ---------------------------------------------------------------------------------------------------------------
// The SOP's transitions, one by one

/** A case driven by hand through the decider, by the staff of Dinas Sosial Kota Padang. */
class Runner {
  state: Case.State = Case.initialState
  events: Array<CaseEvent.Envelope> = []
  /** The id of the last approval requested through a pull. */
  lastApproval = ""
  private ms = Date.UTC(2025, 0, 6, 1)
  private readonly staff = staffAt("dinsos-13.71")
  readonly worker = this.staff.workers[0]
  readonly approver = this.staff.approvers[0]
  readonly head = this.staff.approvers[1]

  /** Decides a command at the next minute, applying it when accepted. */
  attempt(actor: Actor.Actor, tag: string, fields: Json = {}) {
    this.ms += 60_000
    const result = Decider.decide(this.state, cmd({ _tag: tag, caseId, ...fields }), contextAt(actor, at(this.iso())))
    if (Result.isSuccess(result)) {
      this.state = Case.fold(result.success, this.state)
      this.events.push(...result.success)
    }
    return result
  }

  /** Like `attempt`, but the command must be accepted. */
  run(actor: Actor.Actor, tag: string, fields: Json = {}): ReadonlyArray<CaseEvent.Envelope> {
    const result = this.attempt(actor, tag, fields)
    if (Result.isFailure(result)) throw new Error(`${tag} rejected in ${this.stage()}: ${result.failure.message}`)
    return result.success
  }

  stage(): Sop.Stage | "empty" {
    return this.state._tag === "Case" ? this.state.stage : "empty"
  }

  approval(): string {
    return freshId("approval", this.state._tag === "Case" ? this.state.approvals : {})
  }

  iso(): string {
    return new Date(this.ms).toISOString()
  }

  today(): string {
    return this.iso().slice(0, 10)
  }
}

/** How each trigger of the SOP is pulled: preparation (its guards), then the command that moves the case. */
interface Pull {
  readonly prepare: (r: Runner) => void
  /** The command that moves the case (for an approval trigger: the request; the approval follows). */
  readonly fire: (r: Runner) => Result.Result<ReadonlyArray<CaseEvent.Envelope>, unknown>
  /** For an approval trigger: the approval of the request, which moves the case. */
  readonly approve?: (r: Runner, approval: string) => ReadonlyArray<CaseEvent.Envelope>
}

const sedangAssessment = {
  classification: { ampk: ["b"], ppks: [3], cluster: "children", allegedPerpetrators: [] },
  factors: ["physical-or-psychological-violence"]
}

const pulls: Readonly<Record<string, Pull>> = {
  StartOutreach: { prepare: () => {}, fire: (r) => r.attempt(r.worker, "StartOutreach") },
  RecordFirstContact: { prepare: () => {}, fire: (r) => r.attempt(r.worker, "RecordFirstContact") },
  CompleteAssessment: {
    prepare: (r) => {
      r.attempt(r.worker, "RecordAssessment", sedangAssessment)
    },
    fire: (r) => r.attempt(r.worker, "CompleteAssessment")
  },
  StartIntervention: {
    prepare: (r) => {
      const approval = r.approval()
      const proposed = r.attempt(r.worker, "ProposePlan", {
        approval,
        plan: {
          id: freshId("plan", r.state._tag === "Case" ? r.state.plans : {}),
          firstReviewOn: r.today(),
          items: [
            { component: "therapy", goal: "Trauma therapy", responsible: "dinsos-13.71", setting: "family-based" }
          ]
        }
      })
      if (Result.isSuccess(proposed))
        r.attempt(r.approver, "DecideApproval", { approval, decision: "approved", reason: "Ok" })
    },
    fire: (r) => r.attempt(r.worker, "StartIntervention")
  },
  StartReintegration: {
    prepare: () => {},
    fire: (r) =>
      r.attempt(r.worker, "StartReintegration", {
        reintegration: {
          receiver: "family",
          receiverAssessedOn: r.today(),
          receiverSuitable: true,
          childViewRecordedOn: r.today(),
          childAgrees: true
        }
      })
  },
  CloseCase: { prepare: () => {}, fire: (r) => r.attempt(r.worker, "CloseCase", { reason: "Stable" }) },
  ReopenCase: { prepare: () => {}, fire: (r) => r.attempt(r.worker, "ReopenCase", { reason: "New report" }) },
  "approval of termination": {
    prepare: () => {},
    fire: (r) => {
      r.lastApproval = r.approval()
      return r.attempt(r.worker, "RequestTermination", {
        reason: "moved-away",
        note: "Family moved",
        approval: r.lastApproval
      })
    },
    approve: (r, approval) => r.run(r.approver, "DecideApproval", { approval, decision: "approved", reason: "Ok" })
  },
  "approval of early-closure": {
    prepare: () => {},
    fire: (r) => {
      r.lastApproval = r.approval()
      return r.attempt(r.worker, "RequestEarlyClosure", {
        reason: "duplicate",
        note: "Same child",
        approval: r.lastApproval
      })
    },
    approve: (r, approval) => r.run(r.approver, "DecideApproval", { approval, decision: "approved", reason: "Ok" })
  }
}

const triggerKey = (trigger: Sop.Trigger): string =>
  trigger.kind === "command" ? trigger.command : `approval of ${trigger.subject}`

/** Reaches a stage along the main path of the SOP, with every guard satisfied. */
const reach = (stage: Sop.Stage): Runner => {
  const r = new Runner()
  const s = staffAt("dinsos-13.71")
  r.run(s.intake, "RegisterReport", {
    subject: "subject-t",
    sex: "female",
    birthDate: "2015-03-01",
    region: "13.71",
    owner: "dinsos-13.71",
    source: "school",
    concerns: ["physical-or-psychological-violence"]
  })
  r.run(r.approver, "AssignCaseworker", { caseworker: r.worker.id })
  const path: ReadonlyArray<readonly [Sop.Stage, string]> = [
    ["outreach", "StartOutreach"],
    ["assessment", "RecordFirstContact"],
    ["planning", "CompleteAssessment"],
    ["intervention", "StartIntervention"],
    ["reintegration", "StartReintegration"],
    ["aftercare", "approval of termination"],
    ["closed", "CloseCase"]
  ]
  for (const [next, key] of path) {
    if (r.stage() === stage) break
    const pull = pulls[key]
    if (pull === undefined) throw new Error(key)
    pull.prepare(r)
    const fired = pull.fire(r)
    if (Result.isFailure(fired)) throw new Error(`reach ${stage}: ${key} rejected in ${r.stage()}`)
    if (pull.approve !== undefined) pull.approve(r, r.lastApproval)
    expect(r.stage()).toBe(next)
  }
  expect(r.stage()).toBe(stage)
  return r
}

/** A case closed early before the child was reached (from `reported`). */
const reachClosedUnreached = (): Runner => {
  const r = reach("reported")
  const early = pulls["approval of early-closure"]
  if (early?.approve === undefined) throw new Error("approval of early-closure")
  const fired = early.fire(r)
  if (Result.isFailure(fired)) throw new Error("early closure rejected")
  early.approve(r, r.lastApproval)
  expect(r.stage()).toBe("closed")
  expect(r.state._tag === "Case" && r.state.firstContactAt).toBeUndefined()
  return r
}

const stageChanges = (events: ReadonlyArray<CaseEvent.Envelope>) =>
  events.flatMap((event) => (event.payload._tag === "StageChanged" ? [event.payload] : []))

describe("the SOP diagram and the decider agree", () => {
  for (const transition of Sop.transitions) {
    for (const from of transition.from) {
      it(`takes ${transition.id} from ${from} to ${transition.to}`, () => {
        const r = transition.id === "reopen-unreached" ? reachClosedUnreached() : reach(from)
        const pull = pulls[triggerKey(transition.trigger)]
        if (pull === undefined) throw new Error(`no pull for ${triggerKey(transition.trigger)}`)
        pull.prepare(r)
        const fired = pull.fire(r)
        if (Result.isFailure(fired)) throw new Error(`rejected: ${String(fired.failure)}`)
        const events = pull.approve === undefined ? fired.success : pull.approve(r, r.lastApproval)
        expect(stageChanges(events)).toEqual([
          expect.objectContaining({ transition: transition.id, from, to: transition.to })
        ])
        expect(r.stage()).toBe(transition.to)
      })
    }
  }

  const triggers = [...new Set(Sop.transitions.map((t) => triggerKey(t.trigger)))]
  for (const stage of Sop.stages) {
    for (const key of triggers) {
      const allowed = Sop.transitions.some((t) => triggerKey(t.trigger) === key && t.from.includes(stage))
      if (allowed) continue
      it(`rejects ${key} in ${stage}`, () => {
        const r = reach(stage)
        const pull = pulls[key]
        if (pull === undefined) throw new Error(`no pull for ${key}`)
        pull.prepare(r)
        const version = r.state.version
        const stateBefore = r.state
        const fired = pull.fire(r)
        expect(Result.isFailure(fired), `${key} in ${stage} is rejected`).toBe(true)
        expect(Result.isFailure(fired) && fired.failure).toMatchObject({ _tag: "SopViolation" })
        expect(r.state).toBe(stateBefore)
        expect(r.state.version).toBe(version)
      })
    }
  }

  it("rejects an approved early closure once the case has left the first stages", () => {
    const r = reach("assessment")
    r.run(r.worker, "RecordAssessment", sedangAssessment)
    r.run(r.worker, "RequestEarlyClosure", { reason: "duplicate", note: "Same child", approval: "early" })
    r.run(r.worker, "CompleteAssessment")
    const decided = r.attempt(r.approver, "DecideApproval", { approval: "early", decision: "approved", reason: "Ok" })
    expect(Result.isFailure(decided) && decided.failure).toMatchObject({ _tag: "SopViolation", rule: "SOP-STAGE" })
    expect(r.stage()).toBe("planning")
  })

  it("SopTable.mermaid() has exactly the edges of Sop.transitions", () => {
    const lines = SopTable.mermaid().split("\n")
    expect(lines[0]).toBe("stateDiagram-v2")
    const edges = lines.flatMap((line) => {
      const match = /^ {2}(\w+) --> (\w+): (.+) \[(.*)\]$/u.exec(line)
      return match === null ? [] : [{ from: match[1], to: match[2], trigger: match[3], rules: match[4] }]
    })
    const expected = Sop.transitions.flatMap((t) =>
      t.from.map((from) => ({
        from,
        to: t.to,
        trigger: t.trigger.kind === "command" ? t.trigger.command : `approval of ${t.trigger.subject}`,
        rules: t.rules.join(", ")
      }))
    )
    const key = (e: {
      readonly from: string | undefined
      readonly to: string | undefined
      readonly trigger: string | undefined
    }) => `${e.from} -> ${e.to} on ${e.trigger}`
    expect(edges.map(key).sort()).toEqual(expected.map(key).sort())
    expect(edges).toEqual(expected)
    // Every other line is the start edge, a stage label, or a note listing the commands that keep the stage.
    const rest = lines.slice(1).filter((line) => !/^ {2}\w+ --> /u.test(line) && !line.startsWith("  note "))
    expect(rest[0]).toBe("  [*] --> reported: RegisterReport")
    expect(rest.slice(1).map((line) => line.trim().split(":")[0])).toEqual([...Sop.stages])
    const notes = lines.filter((line) => line.startsWith("  note right of "))
    for (const stage of Sop.stages) {
      const staying = SopTable.rows
        .filter(
          (row) =>
            row.stages.includes(stage) &&
            !Sop.transitions.some(
              (t) => t.trigger.kind === "command" && t.trigger.command === row.command && t.from.includes(stage)
            )
        )
        .map((row) => row.command)
      const note = notes.find((line) => line.startsWith(`  note right of ${stage}:`))
      expect(note?.split(": ")[1]?.split(", ") ?? [], stage).toEqual(staying)
    }
  })

  it("SopTable.describe() lists the same transitions as the decider uses", () => {
    const description = SopTable.describe()
    expect(description.transitions.map((t) => ({ id: t.id, from: t.from, to: t.to, trigger: t.trigger }))).toEqual(
      Sop.transitions.map((t) => ({ id: t.id, from: [...t.from], to: t.to, trigger: t.trigger }))
    )
    expect(JSON.parse(JSON.stringify(description))).toEqual(description)
    for (const stage of Sop.stages) {
      expect(Sop.nextStages(stage)).toEqual(
        Sop.stages.filter((to) => Sop.transitions.some((t) => t.from.includes(stage) && t.to === to))
      )
    }
  })
})

describe("regressions the properties found", () => {
  const c = (tag: string, fields: Record<string, unknown> = {}) => cmd({ _tag: tag, caseId: "case-reg", ...fields })
  const classification = { ampk: ["b"], ppks: [3], allegedPerpetrators: [] }

  /** A Padang case in assessment: registered, assigned, reached. */
  const inAssessment = (): Story => {
    let s = emptyStory
    s = runStep(
      s,
      people.padangIntake,
      "2025-01-06T01:00:00Z",
      c("RegisterReport", {
        subject: "subject-reg",
        sex: "female",
        birthDate: "2014-02-02",
        region: "13.71",
        owner: "dinsos-13.71",
        source: "school",
        concerns: []
      })
    )
    s = runStep(s, people.padangKabid, "2025-01-06T02:00:00Z", c("AssignCaseworker", { caseworker: "sakti-peksos-1" }))
    s = runStep(s, people.padangWorker, "2025-01-06T03:00:00Z", c("StartOutreach"))
    return runStep(s, people.padangWorker, "2025-01-06T04:00:00Z", c("RecordFirstContact"))
  }

  it("a reassessment after the assessment was completed keeps a category (SOP-01)", () => {
    let s = inAssessment()
    s = runStep(s, people.padangWorker, "2025-01-07T01:00:00Z", c("RecordAssessment", { classification, factors: [] }))
    s = runStep(s, people.padangWorker, "2025-01-07T02:00:00Z", c("CompleteAssessment"))
    const empty = { ampk: [], ppks: [], allegedPerpetrators: [] }
    expect(
      rejected(
        s,
        people.padangWorker,
        "2025-01-08T01:00:00Z",
        c("RecordAssessment", {
          classification: empty,
          factors: []
        })
      )
    ).toMatchObject({ _tag: "SopViolation", rule: "SOP-01" })
  })

  it("a report for a taken case id is CaseAlreadyExists for those who may register it, Forbidden for others", () => {
    const s = inAssessment()
    const report = c("RegisterReport", {
      subject: "subject-other",
      sex: "male",
      region: "13.71",
      owner: "dinsos-13.71",
      source: "family",
      concerns: []
    })
    expect(rejected(s, people.padangIntake, "2025-01-07T01:00:00Z", report)).toMatchObject({
      _tag: "CaseAlreadyExists"
    })
    expect(rejected(s, people.lpaPartner, "2025-01-07T01:00:00Z", report)).toMatchObject({ _tag: "Forbidden" })
  })

  it("a consent stops counting once the assessment names its giver as an alleged perpetrator (SOP-06)", () => {
    let s = inAssessment()
    s = runStep(
      s,
      people.padangWorker,
      "2025-01-07T01:00:00Z",
      c("RecordConsent", {
        consent: "consent-father",
        givenBy: "father",
        scope: ["summary", "risk"]
      })
    )
    s = runStep(
      s,
      people.padangWorker,
      "2025-01-07T02:00:00Z",
      c("RecordAssessment", {
        classification: { ...classification, allegedPerpetrators: ["father"] },
        factors: ["sexual-violence"]
      })
    )
    const referral = (id: string, basis: Record<string, unknown>) =>
      c("RequestReferral", { referral: id, to: "lpa-13.71", purpose: "legal-aid", shares: ["risk"], legalBasis: basis })
    expect(
      rejected(
        s,
        people.padangWorker,
        "2025-01-07T03:00:00Z",
        referral("ref-1", {
          _tag: "consent",
          consent: "consent-father"
        })
      )
    ).toMatchObject({ _tag: "SopViolation", rule: "SOP-06" })
    expect(
      rejected(
        s,
        people.padangKabid,
        "2025-01-07T03:00:00Z",
        c("RequestTransfer", {
          transfer: "transfer-1",
          to: "dinsos-13",
          reason: "Provincial care",
          legalBasis: { _tag: "consent", consent: "consent-father" }
        })
      )
    ).toMatchObject({ _tag: "SopViolation", rule: "SOP-06" })
    // An emergency basis, recorded with its reason, still allows the referral.
    s = runStep(
      s,
      people.padangWorker,
      "2025-01-07T03:00:00Z",
      referral("ref-2", {
        _tag: "emergency",
        reason: "Child in immediate danger"
      })
    )
    expect(caseOf(s).referrals["ref-2"]?.status).toBe("requested")
  })

  it("a risk-lowering request superseded by a later assessment cannot be approved", () => {
    let s = inAssessment()
    const lower = (level: string, approval: string) =>
      c("RecordAssessment", {
        classification,
        factors: ["sexual-violence"],
        chosenLevel: level,
        reason: "Protective mother present",
        approval
      })
    s = runStep(s, people.padangWorker, "2025-01-07T01:00:00Z", lower("sedang", "lower-1"))
    s = runStep(s, people.padangWorker, "2025-01-07T02:00:00Z", lower("rendah", "lower-2"))
    expect(
      rejected(
        s,
        people.padangKabid,
        "2025-01-07T03:00:00Z",
        c("DecideApproval", {
          approval: "lower-1",
          decision: "approved",
          reason: "Agreed to sedang"
        })
      )
    ).toMatchObject({ _tag: "SopViolation", rule: "RISK-LOWER-APPROVAL" })
    expect(caseOf(s).risk?.effective).toBe("tinggi")
    s = runStep(
      s,
      people.padangKabid,
      "2025-01-07T03:00:00Z",
      c("DecideApproval", {
        approval: "lower-1",
        decision: "rejected",
        reason: "Superseded"
      })
    )
    expect(caseOf(s).risk?.effective).toBe("tinggi")
    s = runStep(
      s,
      people.padangKabid,
      "2025-01-07T04:00:00Z",
      c("DecideApproval", {
        approval: "lower-2",
        decision: "approved",
        reason: "Agreed to rendah"
      })
    )
    expect(caseOf(s).risk?.effective).toBe("rendah")
  })

  it("a placement ended before its approval stays ended", () => {
    let s = inAssessment()
    s = runStep(
      s,
      people.padangWorker,
      "2025-01-07T01:00:00Z",
      c("RecordAssessment", {
        classification,
        factors: ["sexual-violence"]
      })
    )
    s = runStep(
      s,
      people.padangWorker,
      "2025-01-07T02:00:00Z",
      c("RequestPlacement", {
        placement: "placement-1",
        setting: "lpks",
        facility: "lpks-lubuk-minturun",
        emergency: true,
        approval: "approve-placement",
        reason: "Away from the alleged perpetrator"
      })
    )
    s = runStep(
      s,
      people.padangWorker,
      "2025-01-07T03:00:00Z",
      c("EndPlacement", {
        placement: "placement-1",
        reason: "The mother took the child to relatives"
      })
    )
    expect(
      rejected(
        s,
        people.padangKabid,
        "2025-01-07T04:00:00Z",
        c("DecideApproval", {
          approval: "approve-placement",
          decision: "approved",
          reason: "Ok"
        })
      )
    ).toMatchObject({ _tag: "InvalidInput" })
    s = runStep(
      s,
      people.padangKabid,
      "2025-01-07T04:00:00Z",
      c("DecideApproval", {
        approval: "approve-placement",
        decision: "rejected",
        reason: "No longer needed"
      })
    )
    expect(caseOf(s).placements["placement-1"]?.status).toBe("ended")
  })

  it("two emergency placements overdue at the same instant escalate once each (seed -1363048313)", () => {
    // The walk the model-based invariant test shrank to with { seed: -1363048313 } (only its accepted steps; the
    // rejected ones changed nothing). Both placements fall due at the same instant, so before the fix the Tick
    // recorded four escalations that could not be told apart and the next Tick would have re-escalated.
    const tri = staffAt("uptd-psaa-tri-murni")
    const reg = (tag: string, fields: Record<string, unknown> = {}) =>
      cmd({ _tag: tag, caseId: "case-prop", ...fields })
    const t0 = "2024-01-08T01:00:00Z"
    const placement = (id: string, approval: string) =>
      reg("RequestPlacement", {
        placement: id,
        setting: "safe-house",
        facility: "lpks-lubuk-minturun",
        emergency: true,
        approval,
        reason: "Safe care away from the alleged perpetrator"
      })
    let s = emptyStory
    s = runStep(
      s,
      tri.intake,
      t0,
      reg("RegisterReport", {
        subject: "subject-prop",
        sex: "female",
        birthDate: "2006-01-01",
        region: "13",
        owner: "uptd-psaa-tri-murni",
        source: "family",
        concerns: ["sexual-violence"]
      })
    )
    s = runStep(
      s,
      tri.approvers[0],
      t0,
      reg("RequestEarlyClosure", {
        reason: "not-a-protection-case",
        note: "Checked with the reporter",
        approval: "approval-1"
      })
    )
    s = runStep(
      s,
      tri.approvers[1],
      t0,
      reg("DecideApproval", { approval: "approval-1", decision: "rejected", reason: "Reviewed the request" })
    )
    s = runStep(s, tri.approvers[0], t0, reg("StartOutreach"))
    s = runStep(s, tri.approvers[0], t0, reg("AssignCaseworker", { caseworker: tri.workers[0].id }))
    s = runStep(s, tri.workers[0], t0, reg("RecordFirstContact"))
    s = runStep(
      s,
      tri.workers[0],
      t0,
      reg("RecordAssessment", {
        classification: { ampk: [], ppks: [1], cluster: "children", allegedPerpetrators: ["mother"] },
        factors: ["sexual-violence"],
        approval: "approval-2"
      })
    )
    s = runStep(s, tri.workers[0], t0, reg("RecordSafetyPlan", { measures: ["separate-from-alleged-perpetrator"] }))
    s = runStep(
      s,
      tri.workers[0],
      t0,
      reg("RecordAssessment", {
        classification: { ampk: [], ppks: [1], allegedPerpetrators: [] },
        factors: ["sexual-violence"],
        chosenLevel: "tinggi",
        reason: "Assessed by the team after a home visit",
        approval: "approval-1"
      })
    )
    s = runStep(s, tri.workers[0], t0, placement("placement-1", "approval-2"))
    s = runStep(s, tri.workers[0], t0, placement("placement-2", "approval-3"))
    s = runStep(s, tri.workers[0], t0, reg("CompleteAssessment"))
    const t1 = "2024-01-11T01:00:00Z"
    s = runStep(
      s,
      tri.workers[0],
      t1,
      reg("ProposePlan", {
        plan: {
          id: "plan-1",
          items: [
            {
              component: "decent-living-support",
              goal: "Agreed goal of the plan",
              responsible: "uptd-psaa-tri-murni",
              setting: "family-based"
            }
          ],
          firstReviewOn: "2024-02-10"
        },
        approval: "approval-4"
      })
    )
    const before = caseOf(s).escalations.length
    s = runStep(s, tri.system, t1, reg("Tick"))
    const escalated = caseOf(s).escalations.slice(before)
    const keys = escalated.map((e) => `${e.placement}>${e.escalatedTo}`)
    expect(keys.sort()).toEqual([
      "placement-1>head-of-dinas",
      "placement-1>supervisor",
      "placement-2>head-of-dinas",
      "placement-2>supervisor"
    ])
    for (const e of escalated) expect(e.deadline).toBe("emergency-placement-approval")
    // Escalated once each: the next Tick at the same instant, and a day later, escalates nothing more.
    expect(CaseDeadlines.escalations(caseOf(s), at(t1))).toEqual([])
    expect(CaseDeadlines.escalations(caseOf(s), at("2024-01-12T01:00:00Z"))).toEqual([])
    // Escalations recorded before events named their placement still count, so an upgrade escalates nothing twice.
    const older = { ...caseOf(s), escalations: caseOf(s).escalations.map(({ placement: _, ...rest }) => rest) }
    expect(CaseDeadlines.escalations(older, at(t1))).toEqual([])
  })
})

describe("the scheduler ends assignments the directory no longer allows (SOP-07)", () => {
  const tickActor = people.scheduler
  /** What the directory now says of an assigned person. */
  const standings = [
    "caseworker",
    "supervisor",
    "head",
    "inactive",
    "re-roled",
    "moved",
    "inactive-here-caseworker-elsewhere",
    "intake-here-caseworker-elsewhere",
    "absent"
  ] as const
  type Standing = (typeof standings)[number]
  /** The model: whether the owner may still assign the person, and whether the directory lists the person at all. */
  const stillAssignable = (standing: Standing) =>
    standing === "caseworker" || standing === "supervisor" || standing === "head"
  const listed = (standing: Standing) => standing !== "absent"
  const membershipsOf = (id: Actor.ActorId, owner: Agency.AgencyId, standing: Standing): Array<Person.Person> => {
    const other = Object.values(agencies).find((agency) => agency.id !== owner)?.id ?? owner
    const elsewhere = Person.make({ id, agency: other, role: "caseworker" })
    switch (standing) {
      case "caseworker":
        return [Person.make({ id, agency: owner, role: "caseworker" }), elsewhere]
      case "supervisor":
        return [Person.make({ id, agency: owner, role: "supervisor", position: "kasi" })]
      case "head":
        return [Person.make({ id, agency: owner, role: "head-of-dinas", position: "kadis" })]
      case "inactive":
        return [Person.make({ id, agency: owner, role: "caseworker", active: false })]
      case "re-roled":
        return [Person.make({ id, agency: owner, role: "intake-officer" })]
      case "moved":
        return [elsewhere]
      case "inactive-here-caseworker-elsewhere":
        return [Person.make({ id, agency: owner, role: "caseworker", active: false }), elsewhere]
      case "intake-here-caseworker-elsewhere":
        return [Person.make({ id, agency: owner, role: "intake-officer" }), elsewhere]
      case "absent":
        return []
    }
  }
  let staffedStates = 0

  propTest.prop(
    [walkArb(40), fc.array(fc.constantFrom(...standings), { minLength: 1, maxLength: 6 }), fc.nat({ max: 6 * 3600 })],
    { numRuns: runs(200) }
  )(
    "a scheduler's Tick unassigns exactly the people the directory lists but no longer lets the owner assign, in an open case only; anyone else's Tick unassigns nobody",
    (input, drawn, laterSeconds) => {
      for (const step of walk(input).steps) {
        const state = step.after
        if (state._tag !== "Case" || state.assigned.length === 0) continue
        staffedStates++
        const standing = new Map(state.assigned.map((id, i) => [id, drawn[i % drawn.length] as Standing]))
        const directoryPeople: Person.People = new Map(
          state.assigned.flatMap((id) => {
            const memberships = membershipsOf(id, state.owner, standing.get(id) as Standing)
            return memberships.length === 0 ? [] : [[id, memberships] as const]
          })
        )
        const now = DateTime.makeUnsafe(DateTime.toEpochMillis(step.now) + laterSeconds * 1000)
        const tickBy = (actor: Actor.Actor, from: Case.State) =>
          Decider.decide(from, cmd({ _tag: "Tick", caseId: state.id }), {
            now,
            actor,
            agencies: directory,
            people: directoryPeople
          })
        const unassignedBy = (result: ReturnType<typeof tickBy>) =>
          Result.isSuccess(result)
            ? result.success.flatMap((event) =>
                event.payload._tag === "CaseworkerUnassigned" ? [event.payload.caseworker] : []
              )
            : []
        const ticked = tickBy(tickActor, state)
        if (Result.isFailure(ticked)) throw new Error(`${describeStep(step)}: Tick rejected: ${ticked.failure.message}`)
        const expected =
          state.stage === "closed"
            ? []
            : state.assigned.filter((id) => {
                const s = standing.get(id) as Standing
                return listed(s) && !stillAssignable(s)
              })
        expect(unassignedBy(ticked), describeStep(step)).toEqual(expected)
        for (const event of ticked.success) {
          if (event.payload._tag === "CaseworkerUnassigned") expect(event.rules).toContain("SOP-07")
        }
        const after = Case.fold(ticked.success, state)
        if (after._tag !== "Case") throw new Error("a Tick keeps the case")
        if (state.stage !== "closed") {
          expect(
            after.assigned.every(
              (id) => !listed(standing.get(id) as Standing) || stillAssignable(standing.get(id) as Standing)
            )
          ).toBe(true)
          // A case left with nobody runs its unassigned-case alert from the Tick.
          if (after.assigned.length === 0) expect(after.unassignedSince).toEqual(now)
        }
        // Done once: the next Tick at the same instant unassigns nobody.
        expect(unassignedBy(tickBy(tickActor, after))).toEqual([])
        // The owning agency's own staff may send a Tick too: it never ends an assignment (only the scheduler does).
        const owner = staffAt(state.owner)
        for (const actor of [owner.kasi, owner.intake]) expect(unassignedBy(tickBy(actor, state))).toEqual([])
      }
    }
  )

  it("the property above met staffed cases", () => {
    expect(staffedStates).toBeGreaterThan(0)
  })
})
