/** Consent and sharing: consents, referrals to other agencies, and transfers of the whole case. */
import * as Agency from "../../Agency.js"
import * as CalendarDate from "../../CalendarDate.js"
import * as Case from "../../Case.js"
import type * as CaseModel from "../../CaseModel.js"
import * as DataSubject from "../../DataSubject.js"
import * as Guard from "../../Guard.js"
import * as Rejection from "../../Rejection.js"
import { bad, type Draft, draft, type Handler, ok, open } from "./Handler.js"

export const RecordConsent: Handler<"RecordConsent"> = {
  stages: open,
  action: "work",
  forAdults: false,
  validate: ({ state, command }) =>
    state.consents[command.consent] !== undefined ? bad("consent", command.consent, "is already used") : undefined,
  guards: [Guard.consentGiverMayConsent, Guard.consentGiverNotPerpetrator],
  produces: ["ConsentRecorded"],
  cites: ["SOP-06"],
  decide: ({ command }) =>
    ok(
      draft(
        { _tag: "ConsentRecorded", consent: command.consent, givenBy: command.givenBy, scope: command.scope },
        "SOP-06"
      )
    )
}

/**
 * SOP-06: sharing stops with its basis. The events that withdraw the live referrals, and the pending transfer, that
 * rest on a consent `lapses` picks (with why), for a command that makes the consent lapse.
 */
export const stopSharing = (
  state: Case.Case,
  lapses: (consent: Case.Consent) => string | undefined
): ReadonlyArray<Draft> => {
  const why = (basis: CaseModel.SharingBasis): string | undefined => {
    if (basis._tag !== "consent") return undefined
    const consent = state.consents[basis.consent]
    const lapsed = consent === undefined ? undefined : lapses(consent)
    return lapsed === undefined ? undefined : `the consent it rests on ${lapsed}`
  }
  const drafts: Array<Draft> = []
  for (const referral of Case.liveReferrals(state)) {
    const reason = why(referral.legalBasis)
    if (reason !== undefined) {
      drafts.push(draft({ _tag: "ReferralUpdated", referral: referral.id, status: "withdrawn", reason }, "SOP-06"))
    }
  }
  const transfer = Case.pendingTransfer(state)
  const reason = transfer === undefined ? undefined : why(transfer.legalBasis)
  if (transfer !== undefined && reason !== undefined) {
    drafts.push(draft({ _tag: "TransferUpdated", transfer: transfer.id, status: "withdrawn", reason }, "SOP-06"))
  }
  return drafts
}

const nothing: ReadonlyArray<Draft> = []

const isEmpty = (record: object): boolean => {
  for (const _ in record) return false
  return true
}

/**
 * SOP-07: a referral recipient reads only while the referral is live, and a closed case is worked by no one. The
 * events that end every live referral — completed once accepted (its service ends with the case), withdrawn while
 * still requested — and withdraw the pending transfer, for a command that closes the case.
 */
export const stopSharingAtClosure = (state: Case.Case): ReadonlyArray<Draft> => {
  // Most cases close without any referral or transfer: nothing to look through.
  if (isEmpty(state.referrals) && isEmpty(state.transfers)) return nothing
  const reason = "the case was closed"
  const drafts: Array<Draft> = []
  for (const referral of Case.liveReferrals(state)) {
    const status = referral.status === "accepted" ? "completed" : "withdrawn"
    drafts.push(draft({ _tag: "ReferralUpdated", referral: referral.id, status, reason }, "SOP-07"))
  }
  const transfer = Case.pendingTransfer(state)
  if (transfer !== undefined) {
    drafts.push(draft({ _tag: "TransferUpdated", transfer: transfer.id, status: "withdrawn", reason }, "SOP-07"))
  }
  return drafts
}

export const WithdrawConsent: Handler<"WithdrawConsent"> = {
  stages: open,
  action: "work",
  forAdults: false,
  validate: ({ state, command }) => {
    const consent = state.consents[command.consent]
    return consent === undefined || consent.withdrawn
      ? bad("consent", command.consent, "is not a recorded, active consent")
      : undefined
  },
  guards: [],
  produces: ["ConsentWithdrawn", "ReferralUpdated", "TransferUpdated"],
  cites: ["SOP-06"],
  // Sharing stops with the consent: the live referrals and the pending transfer that rest on it are withdrawn too.
  decide: ({ state, command }) =>
    ok(
      draft({ _tag: "ConsentWithdrawn", consent: command.consent }, "SOP-06"),
      ...stopSharing(state, (consent) => (consent.id === command.consent ? "was withdrawn" : undefined))
    )
}

export const RequestReferral: Handler<"RequestReferral"> = {
  stages: open,
  action: "work",
  forAdults: false,
  validate: ({ state, command, agencies }) => {
    if (state.referrals[command.referral] !== undefined) return bad("referral", command.referral, "is already used")
    if (!agencies.has(command.to)) return bad("to", command.to, "is not a known agency")
    if (command.conference !== undefined && state.conferences[command.conference] === undefined) {
      return bad("conference", command.conference, "is not a case conference of this case")
    }
    return command.to === state.owner ? bad("to", command.to, "is the owning agency itself") : undefined
  },
  guards: [Guard.sharingHasBasis],
  produces: ["ReferralRequested"],
  cites: ["SOP-06", "SOP-07"],
  decide: ({ command }) =>
    ok(
      draft(
        {
          _tag: "ReferralRequested",
          referral: command.referral,
          to: command.to,
          purpose: command.purpose,
          shares: command.shares,
          legalBasis: command.legalBasis,
          ...(command.conference === undefined ? {} : { conference: command.conference })
        },
        "SOP-06",
        "SOP-07"
      )
    )
}

/** The referral statuses each status may follow. */
const referralFrom: Readonly<Record<"accepted" | "declined" | "withdrawn" | "completed", ReadonlyArray<string>>> = {
  accepted: ["requested"],
  declined: ["requested"],
  withdrawn: ["requested", "accepted"],
  completed: ["accepted"]
}

export const UpdateReferral: Handler<"UpdateReferral"> = {
  stages: open,
  action: "respond-referral",
  forAdults: true,
  validate: ({ state, command, actor }) => {
    const referral = state.referrals[command.referral]
    if (referral === undefined) return bad("referral", command.referral, "does not exist in this case")
    if (!referralFrom[command.status].includes(referral.status)) {
      return bad("status", command.status, `a ${referral.status} referral cannot become ${command.status}`)
    }
    // Who answers: the recipient accepts or declines, the sender withdraws, either completes.
    const recipient = actor.agency === referral.to
    const sender = actor.agency === state.owner
    const byWhom =
      command.status === "accepted" || command.status === "declined"
        ? recipient
        : command.status === "withdrawn"
          ? sender
          : recipient || sender
    return byWhom
      ? undefined
      : Rejection.forbidden(
          "respond-referral",
          `the ${recipient ? "recipient" : "sender"} cannot mark it ${command.status}`
        )
  },
  guards: [],
  produces: ["ReferralUpdated"],
  cites: ["SOP-07"],
  decide: ({ command }) =>
    ok(
      draft(
        {
          _tag: "ReferralUpdated",
          referral: command.referral,
          status: command.status,
          ...(command.reason === undefined ? {} : { reason: command.reason })
        },
        "SOP-07"
      )
    )
}

export const RequestTransfer: Handler<"RequestTransfer"> = {
  stages: open,
  action: "work",
  forAdults: true,
  validate: ({ state, command, agencies }) => {
    if (state.transfers[command.transfer] !== undefined) return bad("transfer", command.transfer, "is already used")
    const receiver = agencies.get(command.to)
    if (receiver === undefined) return bad("to", command.to, "is not a known agency")
    if (!Agency.canOwnCases(receiver)) {
      return bad("to", command.to, `cannot own cases: only ${Agency.ownersLabel} can`)
    }
    if (command.to === state.owner) return bad("to", command.to, "already owns the case")
    return command.relocateTo === state.region
      ? bad("relocateTo", command.relocateTo, "is already the case's region")
      : undefined
  },
  guards: [Guard.receiverServesRegion, Guard.noOtherTransferPending, Guard.sharingHasBasis],
  produces: ["TransferRequested"],
  cites: ["SOP-06", "SOP-07"],
  decide: ({ command }) =>
    ok(
      draft(
        {
          _tag: "TransferRequested",
          transfer: command.transfer,
          to: command.to,
          reason: command.reason,
          legalBasis: command.legalBasis,
          ...(command.relocateTo === undefined ? {} : { relocateTo: command.relocateTo })
        },
        "SOP-06",
        "SOP-07"
      )
    )
}

export const UpdateTransfer: Handler<"UpdateTransfer"> = {
  stages: open,
  action: "respond-transfer",
  forAdults: true,
  validate: ({ state, command, actor }) => {
    const transfer = state.transfers[command.transfer]
    if (transfer === undefined) return bad("transfer", command.transfer, "does not exist in this case")
    if (transfer.status !== "requested") return bad("transfer", command.transfer, `was already ${transfer.status}`)
    if (command.status === "withdrawn" ? actor.agency !== transfer.from : actor.agency !== transfer.to) {
      return Rejection.forbidden(
        "respond-transfer",
        command.status === "withdrawn"
          ? "only the sending agency withdraws a transfer"
          : "only the receiving agency accepts or declines a transfer"
      )
    }
    return undefined
  },
  guards: [Guard.receiverHoldsOffice],
  produces: ["TransferUpdated"],
  cites: ["SOP-07"],
  decide: ({ command }) =>
    ok(
      draft(
        {
          _tag: "TransferUpdated",
          transfer: command.transfer,
          status: command.status,
          ...(command.reason === undefined ? {} : { reason: command.reason })
        },
        "SOP-07"
      )
    )
}

export const ReceiveDataSubjectRequest: Handler<"ReceiveDataSubjectRequest"> = {
  // Also on a closed case: the controller's duty outlives the case (UU 27/2022 Pasal 6, 7).
  stages: [...open, "closed"],
  action: "work",
  forAdults: true,
  validate: ({ state, command, today }) => {
    if (state.dataSubjectRequests[command.request] !== undefined) {
      return bad("request", command.request, "is already used")
    }
    return CalendarDate.compare(command.receivedOn, today) > 0
      ? bad("receivedOn", command.receivedOn, "lies in the future")
      : undefined
  },
  guards: [Guard.requesterSpeaksForSubject],
  produces: ["DataSubjectRequestReceived"],
  cites: [DataSubject.rule["PDP-SUBJECT-RIGHTS"]],
  decide: ({ command }) =>
    ok(
      draft(
        {
          _tag: "DataSubjectRequestReceived",
          request: command.request,
          kind: command.kind,
          by: command.by,
          receivedOn: command.receivedOn
        },
        DataSubject.rule["PDP-SUBJECT-RIGHTS"]
      )
    )
}

export const AnswerDataSubjectRequest: Handler<"AnswerDataSubjectRequest"> = {
  stages: [...open, "closed"],
  action: "work",
  forAdults: true,
  validate: ({ state, command, today }) => {
    if (CalendarDate.compare(command.answeredOn, today) > 0) {
      return bad("answeredOn", command.answeredOn, "lies in the future")
    }
    const received = state.dataSubjectRequests[command.request]?.receivedOn
    return received !== undefined && CalendarDate.compare(command.answeredOn, received) < 0
      ? bad("answeredOn", command.answeredOn, `comes before the request was received on ${received}`)
      : undefined
  },
  guards: [Guard.dataSubjectRequestOpen, Guard.notGrantedToAllegedPerpetrator],
  produces: ["DataSubjectRequestAnswered"],
  cites: [DataSubject.rule["PDP-SUBJECT-RIGHTS"]],
  decide: ({ command }) =>
    ok(
      draft(
        {
          _tag: "DataSubjectRequestAnswered",
          request: command.request,
          outcome: command.outcome,
          answeredOn: command.answeredOn,
          reason: command.reason
        },
        DataSubject.rule["PDP-SUBJECT-RIGHTS"]
      )
    )
}

export const RecordNationalReference: Handler<"RecordNationalReference"> = {
  stages: open,
  action: "work",
  forAdults: true,
  validate: ({ state, command }) => {
    const { system, id } = command.reference
    return state.nationalReferences.some((r) => r.system === system && r.id === id)
      ? bad("reference", command.reference, "is already recorded")
      : undefined
  },
  guards: [],
  produces: ["NationalReferenceRecorded"],
  cites: ["SOP-NATIONAL-REFERENCE"],
  decide: ({ command }) =>
    ok(draft({ _tag: "NationalReferenceRecorded", reference: command.reference }, "SOP-NATIONAL-REFERENCE"))
}
