/**
 * SPPA (UU 11/2012): proceedings and diversion, Pasal 21 decisions for children under 12, and detention. The SPPA
 * role (or, for Pasal 21, the status anak-pasal-21) is checked first (SOP-08); then the values the age limits need
 * (a birth date, dates after it); then the guards on the age and the proceeding; then the rest of the values.
 */
import { Result } from "effect"
import * as Agency from "../../Agency.js"
import * as CalendarDate from "../../CalendarDate.js"
import * as Case from "../../Case.js"
import * as Guard from "../../Guard.js"
import * as Rejection from "../../Rejection.js"
import * as Sppa from "../../Sppa.js"
import { today } from "./facts.js"
import { bad, draft, type Handler, ok, open, refuse } from "./Handler.js"

type SppaInput = Guard.Input<
  "RecordSppaProceeding" | "RecordPasal21Decision" | "RecordDetention" | "StartSppaLevel" | "RecordSentence"
>

/**
 * Why the child's age cannot be known on each date (no birth date, or a date before it) — checked only for a case
 * whose SPPA role allows the command (`role` answers why not), so that any other case is refused for its role
 * first (SOP-08).
 */
const agesUnknown = (
  input: SppaInput,
  dates: ReadonlyArray<CalendarDate.CalendarDate>,
  role: () => string | undefined
): Rejection.Rejection | undefined => {
  if (role() !== undefined) return undefined
  const birthDate = input.state.subject.birthDate
  if (birthDate === undefined) return bad("birthDate", undefined, "SPPA age limits need the child's birth date")
  // What `CalendarDate.ageOn` refuses, refused as plain data (no error object is built).
  const early = dates.find((date) => CalendarDate.compare(date, birthDate) < 0)
  return early === undefined
    ? undefined
    : bad("date", early, "is before the child's birth date: an age cannot be negative")
}

/** The child's age on a date, once {@link agesUnknown} has passed. */
const ageOn = (input: SppaInput, date: CalendarDate.CalendarDate): number => {
  const birthDate = input.state.subject.birthDate
  const age = birthDate === undefined ? undefined : CalendarDate.ageOn(birthDate, date, input.policy.sppa.agePolicy)
  return age !== undefined && Result.isSuccess(age) ? age.success : Number.NaN
}

export const RecordSppaProceeding: Handler<"RecordSppaProceeding"> = {
  stages: open,
  action: "work",
  // The chain goes on after 18 for an act before 18 (Pasal 20), as its levels and sentence do.
  forAdults: true,
  validate: (input) => {
    const { command, today } = input
    return (
      dateProblem("proceeding.on", command.proceeding.on, today, { date: command.actDate, what: "the act" }) ??
      agesUnknown(input, [command.actDate, command.proceeding.on], () => Guard.sppaRoleIsOffender.check(input))
    )
  },
  guards: [
    Guard.sppaRoleIsOffender,
    Guard.actAtProsecutableAge,
    Guard.actBeforeAdulthood,
    Guard.levelBeforeChildrensCourtLimit,
    Guard.diversionAttemptedWhenMandatory
  ],
  produces: ["SppaProceedingRecorded"],
  cites: ["SOP-08", Sppa.rule["SPPA-DIVERSION"]],
  decide: (input) => {
    const p = input.command.proceeding
    const diversion = Sppa.diversion(
      { threatenedPenaltyYears: p.threatenedPenaltyYears, repeatOffence: p.repeatOffence },
      input.policy.sppa
    )
    if (Result.isFailure(diversion)) return refuse(Rejection.fromInvalidInput(diversion.failure))
    if (!p.diversionAttempted && p.outcome !== "not-attempted") {
      return refuse(bad("proceeding.outcome", p.outcome, "is an outcome of diversion, which was not attempted"))
    }
    if (p.diversionAttempted && p.outcome === "not-attempted") {
      return refuse(bad("proceeding.outcome", p.outcome, "contradicts diversionAttempted"))
    }
    return ok(draft({ _tag: "SppaProceedingRecorded", proceeding: p }, "SOP-08", Sppa.rule["SPPA-DIVERSION"]))
  }
}

export const RecordPasal21Decision: Handler<"RecordPasal21Decision"> = {
  stages: open,
  action: "work",
  forAdults: false,
  validate: (input) =>
    input.state.sppa.pasal21 !== undefined
      ? bad("decision", input.command.decision, "a Pasal 21 decision is already recorded for this case")
      : agesUnknown(input, [input.command.actDate], () => Guard.pasal21StatusRecorded.check(input)),
  guards: [Guard.pasal21StatusRecorded, Guard.actUnderProsecutableAge, Guard.guidanceWithinMaximum],
  produces: ["Pasal21DecisionRecorded"],
  cites: ["SOP-08", Sppa.rule["SPPA-UNDER-12"]],
  decide: (input) => {
    const decision = input.command.decision
    if (decision._tag === "guidance" && !input.agencies.has(decision.at)) {
      return refuse(bad("decision.at", decision.at, "is not a known agency"))
    }
    return ok(
      draft(
        { _tag: "Pasal21DecisionRecorded", decision, tracksCourtSubmission: true },
        "SOP-08",
        Sppa.rule["SPPA-UNDER-12"]
      )
    )
  }
}

/** The local date of the Pasal 21 decision, when its clock is tracked. */
const decisionDate = (state: Case.Case): CalendarDate.CalendarDate | undefined =>
  state.sppa.pasal21DecidedAt === undefined ? undefined : today(state.region, state.sppa.pasal21DecidedAt)

export const ExtendPasal21Guidance: Handler<"ExtendPasal21Guidance"> = {
  stages: open,
  action: "work",
  forAdults: false,
  validate: ({ state, command, today }) => {
    if (CalendarDate.compare(command.evaluatedOn, today) > 0) {
      return bad("evaluatedOn", command.evaluatedOn, "lies in the future")
    }
    const decided = decisionDate(state)
    return decided !== undefined && CalendarDate.compare(command.evaluatedOn, decided) < 0
      ? bad("evaluatedOn", command.evaluatedOn, `comes before the Pasal 21 decision of ${decided}`)
      : undefined
  },
  guards: [Guard.pasal21GuidanceInForce, Guard.pasal21ExtensionWithinMaximum],
  produces: ["Pasal21GuidanceExtended"],
  cites: ["SOP-08", Sppa.rule["SPPA-UNDER-12"]],
  decide: ({ command }) =>
    ok(
      draft(
        {
          _tag: "Pasal21GuidanceExtended",
          months: command.months,
          evaluatedOn: command.evaluatedOn,
          reason: command.reason
        },
        "SOP-08",
        Sppa.rule["SPPA-UNDER-12"]
      )
    )
}

export const RecordPasal21CourtSubmission: Handler<"RecordPasal21CourtSubmission"> = {
  stages: open,
  action: "work",
  forAdults: true,
  validate: ({ state, command, today }) => {
    if (state.sppa.pasal21SubmittedOn !== undefined) {
      return bad("on", command.on, `the decision was already submitted on ${state.sppa.pasal21SubmittedOn}`)
    }
    if (CalendarDate.compare(command.on, today) > 0) return bad("on", command.on, "lies in the future")
    const decided = decisionDate(state)
    return decided !== undefined && CalendarDate.compare(command.on, decided) < 0
      ? bad("on", command.on, `comes before the Pasal 21 decision of ${decided}`)
      : undefined
  },
  guards: [Guard.pasal21DecisionMade],
  produces: ["Pasal21CourtSubmitted"],
  cites: ["SOP-08", "SOP-11"],
  decide: ({ command }) => ok(draft({ _tag: "Pasal21CourtSubmitted", on: command.on }, "SOP-08", "SOP-11"))
}

export const RecordDetention: Handler<"RecordDetention"> = {
  stages: open,
  action: "work",
  // At a level of the chain, which goes on after 18 for an act before 18 (Pasal 20).
  forAdults: true,
  validate: (input) => {
    const { state, command, agencies, today } = input
    if ((command.stage === undefined) !== (command.days === undefined)) {
      return bad(
        command.stage === undefined ? "stage" : "days",
        undefined,
        "a detention period gives its level and its days"
      )
    }
    if (command.at !== undefined) {
      const at = agencies.get(command.at)
      if (at === undefined || !Agency.does(at, "detention")) {
        return bad("at", command.at, "is not a known LPAS (or, where there is none, LPKS)")
      }
    }
    // The levels recorded fix the act and its threatened penalty: a detention cannot name others.
    const level = command.stage === undefined ? state.sppa.levels.at(-1) : Case.sppaLevel(state, command.stage)
    if (level !== undefined && level.threatenedPenaltyYears !== command.threatenedPenaltyYears) {
      return bad(
        "threatenedPenaltyYears",
        command.threatenedPenaltyYears,
        `the ${level.stage} level is about an act threatened with ${level.threatenedPenaltyYears} years`
      )
    }
    return (
      sameAct(state, command.actDate) ??
      dateProblem("on", command.on, today, { date: level?.startedOn, what: `the ${level?.stage} level` }) ??
      agesUnknown(input, [command.actDate, command.on], () => Guard.sppaRoleIsOffender.check(input))
    )
  },
  guards: [
    Guard.sppaRoleIsOffender,
    Guard.actBeforeAdulthood,
    Guard.levelBeforeChildrensCourtLimit,
    Guard.detentionActAtProsecutableAge,
    Guard.detentionAllowed,
    Guard.sppaLevelReached,
    Guard.detentionWithinTimeLimit
  ],
  produces: ["DetentionRecorded"],
  cites: ["SOP-08", Sppa.rule["SPPA-DETENTION"], Sppa.rule["SPPA-DETENTION-LIMITS"]],
  decide: (input) => {
    const { command } = input
    const atAct = ageOn(input, command.actDate)
    const atDetention = ageOn(input, command.on)
    const check = Sppa.detention(
      { ageAtAct: atAct, ageNow: atDetention, threatenedPenaltyYears: command.threatenedPenaltyYears },
      input.policy.sppa
    )
    if (Result.isFailure(check)) return refuse(Rejection.fromInvalidInput(check.failure))
    const { stage, days, at } = command
    const period =
      stage === undefined || days === undefined
        ? undefined
        : {
            stage,
            from: command.on,
            days,
            until: CalendarDate.addDays(command.on, days - 1),
            ...(at === undefined ? {} : { at })
          }
    return ok(
      draft(
        {
          _tag: "DetentionRecorded",
          threatenedPenaltyYears: command.threatenedPenaltyYears,
          ageAtDetention: atDetention,
          ...(period === undefined ? {} : { period })
        },
        "SOP-08",
        Sppa.rule["SPPA-DETENTION"],
        ...(period === undefined ? [] : [Sppa.rule["SPPA-DETENTION-LIMITS"]])
      )
    )
  }
}

/** Why a date of an SPPA step cannot be: in the future, or before the step it follows. */
const dateProblem = (
  field: string,
  on: CalendarDate.CalendarDate,
  today: CalendarDate.CalendarDate,
  after?: { readonly date: CalendarDate.CalendarDate | undefined; readonly what: string }
): Rejection.Rejection | undefined => {
  if (CalendarDate.compare(on, today) > 0) return bad(field, on, "lies in the future")
  return after?.date !== undefined && CalendarDate.compare(on, after.date) < 0
    ? bad(field, on, `comes before ${after.what} on ${after.date}`)
    : undefined
}

const clocks = Sppa.rule["SPPA-DIVERSION-CLOCKS"]

/** Why `actDate` cannot be the act of this case: the levels already recorded name another date. */
const sameAct = (state: Case.Case, actDate: CalendarDate.CalendarDate): Rejection.Rejection | undefined => {
  const recorded = state.sppa.levels[0]?.actDate
  return recorded === undefined || recorded === actDate
    ? undefined
    : bad("actDate", actDate, `the levels of this case are about the act of ${recorded}`)
}

export const StartSppaLevel: Handler<"StartSppaLevel"> = {
  stages: open,
  action: "work",
  forAdults: true,
  validate: (input) => {
    const { state, command, today } = input
    if (Case.sppaLevel(state, command.stage) !== undefined) {
      return bad("stage", command.stage, "this level of examination has already started")
    }
    const previous = state.sppa.levels.at(-1)
    return (
      sameAct(state, command.actDate) ??
      dateProblem("startedOn", command.startedOn, today, { date: command.actDate, what: "the act" }) ??
      dateProblem("startedOn", command.startedOn, today, {
        date: previous?.startedOn,
        what: `the ${previous?.stage} level`
      }) ??
      agesUnknown(input, [command.actDate], () => Guard.sppaRoleIsOffender.check(input))
    )
  },
  guards: [
    Guard.sppaRoleIsOffender,
    Guard.actAtProsecutableAge,
    Guard.actBeforeAdulthood,
    Guard.levelBeforeChildrensCourtLimit,
    Guard.sppaLevelsInOrder
  ],
  produces: ["SppaLevelStarted"],
  cites: ["SOP-08", Sppa.rule["SPPA-DIVERSION"], clocks],
  decide: ({ command, policy }) => {
    const diversion = Sppa.diversion(
      { threatenedPenaltyYears: command.threatenedPenaltyYears, repeatOffence: command.repeatOffence },
      policy.sppa
    )
    if (Result.isFailure(diversion)) return refuse(Rejection.fromInvalidInput(diversion.failure))
    return ok(
      draft(
        {
          _tag: "SppaLevelStarted",
          stage: command.stage,
          startedOn: command.startedOn,
          actDate: command.actDate,
          threatenedPenaltyYears: command.threatenedPenaltyYears,
          repeatOffence: command.repeatOffence,
          diversionMandatory: diversion.success.mandatory
        },
        "SOP-08",
        Sppa.rule["SPPA-DIVERSION"],
        clocks
      )
    )
  }
}

export const StartDiversion: Handler<"StartDiversion"> = {
  stages: open,
  action: "work",
  forAdults: true,
  validate: ({ state, command, today }) => {
    const level = Case.sppaLevel(state, command.stage)
    if (level?.diversionStartedOn !== undefined) {
      return bad("stage", command.stage, `diversion already started at this level on ${level.diversionStartedOn}`)
    }
    return dateProblem("on", command.on, today, { date: level?.startedOn, what: `the ${command.stage} level` })
  },
  guards: [Guard.sppaRoleIsOffender, Guard.sppaLevelReached, Guard.diversionApplies],
  produces: ["DiversionStarted"],
  cites: ["SOP-08", clocks],
  decide: ({ command }) =>
    ok(draft({ _tag: "DiversionStarted", stage: command.stage, on: command.on }, "SOP-08", clocks))
}

export const ConcludeDiversion: Handler<"ConcludeDiversion"> = {
  stages: open,
  action: "work",
  forAdults: true,
  validate: ({ state, command, today, agencies }) => {
    if (command.outcome === "agreement" && command.agreement === undefined) {
      return bad("agreement", undefined, "an agreement needs its forms and the victim's consent")
    }
    if (command.outcome === "no-agreement" && command.agreement !== undefined) {
      return bad("agreement", command.outcome, "is given, but diversion ended without an agreement")
    }
    if (command.agreement !== undefined && command.agreement.childAndFamilyWilling === undefined) {
      return bad(
        "agreement.childAndFamilyWilling",
        undefined,
        "an agreement says whether the child and the family are willing (Pasal 9 ayat (2))"
      )
    }
    for (const form of command.agreement?.forms ?? []) {
      if (form._tag !== "education-or-training") continue
      const at = agencies.get(form.at)
      if (at === undefined) return bad("agreement.forms.at", form.at, "is not a known agency")
    }
    const level = Case.sppaLevel(state, command.stage)
    return dateProblem("on", command.on, today, { date: level?.diversionStartedOn, what: "the diversion's start" })
  },
  guards: [
    Guard.sppaRoleIsOffender,
    Guard.diversionInProgress,
    Guard.victimConsentToAgreement,
    Guard.childAndFamilyWilling,
    Guard.diversionTrainingWithinMaximum
  ],
  produces: ["DiversionConcluded"],
  cites: ["SOP-08", clocks, Sppa.rule["SPPA-DIVERSION-AGREEMENT"]],
  decide: ({ command }) =>
    ok(
      draft(
        {
          _tag: "DiversionConcluded",
          stage: command.stage,
          on: command.on,
          outcome: command.outcome,
          ...(command.agreement === undefined ? {} : { agreement: command.agreement })
        },
        "SOP-08",
        clocks,
        Sppa.rule["SPPA-DIVERSION-AGREEMENT"]
      )
    )
}

export const SubmitDiversionAgreement: Handler<"SubmitDiversionAgreement"> = {
  stages: open,
  action: "work",
  forAdults: true,
  validate: ({ state, command, today }) => {
    const level = Case.sppaLevel(state, command.stage)
    if (level?.submittedOn !== undefined) {
      return bad("stage", command.stage, `the agreement was already sent to the court on ${level.submittedOn}`)
    }
    return dateProblem("on", command.on, today, { date: level?.diversionConcludedOn, what: "the agreement" })
  },
  guards: [Guard.sppaRoleIsOffender, Guard.diversionAgreed],
  produces: ["DiversionAgreementSubmitted"],
  cites: ["SOP-08", clocks],
  decide: ({ command }) =>
    ok(draft({ _tag: "DiversionAgreementSubmitted", stage: command.stage, on: command.on }, "SOP-08", clocks))
}

export const RecordDiversionConfirmation: Handler<"RecordDiversionConfirmation"> = {
  stages: open,
  action: "work",
  forAdults: true,
  validate: ({ state, command, today }) => {
    const level = Case.sppaLevel(state, command.stage)
    if (level?.confirmedOn !== undefined) {
      return bad("stage", command.stage, `the agreement was already confirmed on ${level.confirmedOn}`)
    }
    return dateProblem("on", command.on, today, { date: level?.submittedOn, what: "the submission to the court" })
  },
  guards: [Guard.sppaRoleIsOffender, Guard.diversionAgreementSubmitted],
  produces: ["DiversionConfirmed"],
  cites: ["SOP-08", clocks],
  decide: ({ command }) =>
    ok(draft({ _tag: "DiversionConfirmed", stage: command.stage, on: command.on }, "SOP-08", clocks))
}

export const RecordSentence: Handler<"RecordSentence"> = {
  stages: open,
  action: "work",
  forAdults: true,
  validate: (input) => {
    const { state, command, today, agencies } = input
    if (state.sppa.sentence !== undefined) {
      return bad("sentence", command.sentence, `a sentence was already recorded on ${state.sppa.sentence.decidedOn}`)
    }
    const sentence = command.sentence
    if (sentence._tag === "pidana" && sentence.penalty === "imprisonment") {
      if (sentence.months === undefined) return bad("sentence.months", undefined, "imprisonment needs its months")
      if (sentence.adultMaximum === undefined) {
        return bad("sentence.adultMaximum", undefined, "imprisonment needs the adult maximum of the act (Pasal 81)")
      }
      const at = sentence.at === undefined ? undefined : agencies.get(sentence.at)
      if (at === undefined || !Agency.does(at, "sentence-of-imprisonment")) {
        return bad("sentence.at", sentence.at, "imprisonment is served at a known LPKA (Pasal 85)")
      }
    }
    return (
      sameAct(state, command.actDate) ??
      dateProblem("decidedOn", command.decidedOn, today, { date: command.actDate, what: "the act" }) ??
      agesUnknown(input, [command.actDate], () => Guard.sppaRoleIsOffender.check(input))
    )
  },
  guards: [
    Guard.sppaRoleIsOffender,
    Guard.actAtProsecutableAge,
    Guard.actBeforeAdulthood,
    Guard.sentencedAtTrial,
    Guard.onlyTindakanUnder14,
    Guard.imprisonmentWithinLimit
  ],
  produces: ["SentenceRecorded"],
  cites: ["SOP-08", Sppa.rule["SPPA-SENTENCE"]],
  decide: (input) =>
    ok(
      draft(
        {
          _tag: "SentenceRecorded",
          sentence: input.command.sentence,
          decidedOn: input.command.decidedOn,
          ageAtAct: ageOn(input, input.command.actDate)
        },
        "SOP-08",
        Sppa.rule["SPPA-SENTENCE"]
      )
    )
}

export const RequestLitmas: Handler<"RequestLitmas"> = {
  stages: open,
  action: "work",
  forAdults: true,
  validate: ({ state, command, today, agencies }) => {
    const bapas = agencies.get(command.bapas)
    if (bapas === undefined || !Agency.does(bapas, "community-research")) {
      return bad("bapas", command.bapas, "is not a known Bapas")
    }
    const last = state.sppa.litmas.at(-1)
    if (last !== undefined && last.receivedOn === undefined) {
      return bad("on", command.on, `the Litmas asked for on ${last.requestedOn} is still awaited`)
    }
    return dateProblem("on", command.on, today, { date: last?.receivedOn, what: "the last Litmas received" })
  },
  guards: [Guard.litmasForAllegedOffender],
  produces: ["LitmasRequested"],
  cites: ["SOP-08", Sppa.rule["SPPA-LITMAS"]],
  decide: ({ command }) =>
    ok(draft({ _tag: "LitmasRequested", bapas: command.bapas, on: command.on }, "SOP-08", Sppa.rule["SPPA-LITMAS"]))
}

export const RecordLitmas: Handler<"RecordLitmas"> = {
  stages: open,
  action: "work",
  forAdults: true,
  validate: ({ state, command, today }) =>
    dateProblem("on", command.on, today, { date: state.sppa.litmas.at(-1)?.requestedOn, what: "the request" }),
  guards: [Guard.litmasAwaited],
  produces: ["LitmasReceived"],
  cites: [Sppa.rule["SPPA-LITMAS"]],
  decide: ({ command }) => ok(draft({ _tag: "LitmasReceived", on: command.on }, Sppa.rule["SPPA-LITMAS"]))
}

/** Who a child is accompanied to at each level: the police, the prosecutor, the court. */
const examinerAt: { readonly [K in Sppa.Stage]: Agency.Duty } = {
  investigation: "investigation",
  prosecution: "prosecution",
  trial: "adjudication"
}

export const RecordAccompaniment: Handler<"RecordAccompaniment"> = {
  stages: open,
  action: "work",
  forAdults: true,
  validate: ({ command, today, agencies }) => {
    const at = agencies.get(command.at)
    if (at === undefined || !Agency.does(at, examinerAt[command.stage])) {
      const who = { investigation: "a police unit", prosecution: "a prosecutor's office", trial: "a court" }
      return bad("at", command.at, `is not a known agency of ${command.stage}: ${who[command.stage]}`)
    }
    return (
      dateProblem("on", command.on, today) ??
      (command.socialReportOn === undefined ? undefined : dateProblem("socialReportOn", command.socialReportOn, today))
    )
  },
  guards: [Guard.sppaRoleRecorded],
  produces: ["AccompanimentRecorded"],
  cites: ["SOP-08", Sppa.rule["SPPA-ACCOMPANIMENT"]],
  decide: ({ command }) =>
    ok(
      draft(
        {
          _tag: "AccompanimentRecorded",
          accompaniment: {
            at: command.at,
            stage: command.stage,
            on: command.on,
            ...(command.socialReportOn === undefined ? {} : { socialReportOn: command.socialReportOn })
          }
        },
        "SOP-08",
        Sppa.rule["SPPA-ACCOMPANIMENT"]
      )
    )
}

export const RecordAgreementNotCarriedOut: Handler<"RecordAgreementNotCarriedOut"> = {
  stages: open,
  action: "work",
  forAdults: true,
  validate: ({ state, command, today }) =>
    dateProblem("on", command.on, today, {
      date: Case.sppaLevel(state, command.stage)?.confirmedOn,
      what: "the court's penetapan"
    }),
  guards: [Guard.sppaRoleIsOffender, Guard.agreementToCarryOut],
  produces: ["DiversionAgreementNotCarriedOut"],
  cites: ["SOP-08", Sppa.rule["SPPA-DIVERSION-AGREEMENT"]],
  decide: ({ command }) =>
    ok(
      draft(
        { _tag: "DiversionAgreementNotCarriedOut", stage: command.stage, on: command.on, reason: command.reason },
        "SOP-08",
        Sppa.rule["SPPA-DIVERSION-AGREEMENT"]
      )
    )
}
