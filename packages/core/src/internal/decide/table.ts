/**
 * The SOP table: one handler per command type, checked by the compiler to cover every `CaseCommand.Type` and to
 * give each its own command type. The decider runs it; `SopTable` describes it (docs, diagram, JSON).
 */
import type * as Access from "../../Access.js"
import type * as Actor from "../../Actor.js"
import type * as Case from "../../Case.js"
import * as CaseCommand from "../../CaseCommand.js"
import type * as Sop from "../../Sop.js"
import * as assessment from "./assessment.js"
import * as closure from "./closure.js"
import type { Handler } from "./Handler.js"
import * as intake from "./intake.js"
import * as placement from "./placement.js"
import * as planning from "./planning.js"
import * as sharing from "./sharing.js"
import * as sppa from "./sppa.js"

/** Every command type's handler, in SOP order. */
export const handlers = {
  RegisterReport: intake.RegisterReport,
  AssignCaseworker: intake.AssignCaseworker,
  UnassignCaseworker: intake.UnassignCaseworker,
  StartOutreach: intake.StartOutreach,
  RecordFirstContact: intake.RecordFirstContact,
  RecordAssessment: assessment.RecordAssessment,
  RecordSafetyPlan: assessment.RecordSafetyPlan,
  CompleteAssessment: assessment.CompleteAssessment,
  ProposePlan: planning.ProposePlan,
  DecideApproval: planning.DecideApproval,
  StartIntervention: planning.StartIntervention,
  RecordService: planning.RecordService,
  ReviewPlan: planning.ReviewPlan,
  RecordCaseConference: planning.RecordCaseConference,
  CompleteConferenceFollowUp: planning.CompleteConferenceFollowUp,
  RecordConsent: sharing.RecordConsent,
  WithdrawConsent: sharing.WithdrawConsent,
  RecordNationalReference: sharing.RecordNationalReference,
  ReceiveDataSubjectRequest: sharing.ReceiveDataSubjectRequest,
  AnswerDataSubjectRequest: sharing.AnswerDataSubjectRequest,
  RequestReferral: sharing.RequestReferral,
  UpdateReferral: sharing.UpdateReferral,
  RequestTransfer: sharing.RequestTransfer,
  UpdateTransfer: sharing.UpdateTransfer,
  RequestPlacement: placement.RequestPlacement,
  EndPlacement: placement.EndPlacement,
  RecordSppaProceeding: sppa.RecordSppaProceeding,
  RecordPasal21Decision: sppa.RecordPasal21Decision,
  ExtendPasal21Guidance: sppa.ExtendPasal21Guidance,
  RecordPasal21CourtSubmission: sppa.RecordPasal21CourtSubmission,
  RecordDetention: sppa.RecordDetention,
  StartSppaLevel: sppa.StartSppaLevel,
  StartDiversion: sppa.StartDiversion,
  ConcludeDiversion: sppa.ConcludeDiversion,
  SubmitDiversionAgreement: sppa.SubmitDiversionAgreement,
  RecordDiversionConfirmation: sppa.RecordDiversionConfirmation,
  RecordAgreementNotCarriedOut: sppa.RecordAgreementNotCarriedOut,
  RequestLitmas: sppa.RequestLitmas,
  RecordLitmas: sppa.RecordLitmas,
  RecordAccompaniment: sppa.RecordAccompaniment,
  RecordSentence: sppa.RecordSentence,
  StartReintegration: closure.StartReintegration,
  RequestTermination: closure.RequestTermination,
  RecordFollowUp: closure.RecordFollowUp,
  CloseCase: closure.CloseCase,
  RequestEarlyClosure: closure.RequestEarlyClosure,
  ReopenCase: closure.ReopenCase,
  Tick: closure.Tick
} satisfies { readonly [K in CaseCommand.Type]: Handler<K, K extends "RegisterReport" ? Case.State : Case.Case> }

/** The family (the file under `internal/decide/`) of each command type, for the docs. */
export const families: { readonly [K in CaseCommand.Type]: string } = Object.fromEntries(
  (
    [
      ["intake", intake],
      ["assessment", assessment],
      ["planning", planning],
      ["sharing", sharing],
      ["placement", placement],
      ["sppa", sppa],
      ["closure", closure]
    ] as const
  ).flatMap(([family, module]) =>
    Object.keys(module)
      .filter((name) => (CaseCommand.types as ReadonlyArray<string>).includes(name))
      .map((type) => [type, family])
  )
) as { readonly [K in CaseCommand.Type]: string }

/**
 * A row of the table as the decider reads it: every field present, so that every row has one shape and one lookup
 * per command finds it (the handlers themselves differ in which optional fields they set).
 */
export interface Row {
  readonly action: Access.CaseAction
  readonly actionOutsideOwner: Access.CaseAction | undefined
  readonly forAdults: boolean
  /** Whether the row lists the stage `closed` (a closed case accepts only such commands: SOP-10). */
  readonly whenClosed: boolean
  readonly stages: ReadonlyArray<Sop.Stage>
  readonly validate: Handler<CaseCommand.Type>["validate"]
  readonly guards: Handler<CaseCommand.Type>["guards"]
  readonly decide: Handler<CaseCommand.Type>["decide"]
}

/** Every row, by command type. */
const rows: ReadonlyMap<CaseCommand.Type, Row> = new Map(
  CaseCommand.types.map((type): [CaseCommand.Type, Row] => {
    const handler = handlers[type] as unknown as Handler<CaseCommand.Type>
    return [
      type,
      {
        action: handler.action,
        actionOutsideOwner: handler.actionOutsideOwner,
        forAdults: handler.forAdults,
        whenClosed: handler.stages.includes("closed"),
        stages: handler.stages,
        validate: handler.validate,
        guards: handler.guards,
        decide: handler.decide
      }
    ]
  })
)

/** The row of a command type. */
export const rowOf = (type: CaseCommand.Type): Row => rows.get(type) as Row

/** The access action a row's command needs on a case, for an actor (see `Access.whyNot`). */
export const actionOfRow = (row: Row, state: Case.State, actor: Actor.Actor): Access.CaseAction =>
  row.actionOutsideOwner !== undefined && state._tag === "Case" && state.owner !== actor.agency
    ? row.actionOutsideOwner
    : row.action

/** The access action a command needs on a case (see `Access.whyNot`), from its row of the table. */
export const actionOf = (command: CaseCommand.Command, state: Case.State, actor: Actor.Actor): Access.CaseAction =>
  actionOfRow(rowOf(command._tag), state, actor)
