/**
 * A story from report to closure, as the commands a client sends (JSON), with the actor who sends each.
 */
import type { Actor } from "@lindung/core"
import { people } from "./harness.js"

export interface Step {
  readonly actor: Actor.Actor
  readonly command: Record<string, unknown>
}

const today = (): string => new Date().toISOString().slice(0, 10)

/** The report of a case (the body of `POST /cases`, without identity): a new subject unless one is named. */
export const report = (caseId: string, subject?: string) => ({
  caseId,
  ...(subject === undefined ? {} : { subject }),
  sex: "female",
  ageAtReport: 9,
  region: "13.71.01",
  owner: "dinsos-13.71",
  source: "school",
  concerns: ["out-of-school"]
})

/** The commands after the report, to closure (rendah risk: the plan is adopted without approval). */
export const toClosure = (caseId: string): ReadonlyArray<Step> => {
  const c = (tag: string, fields: Record<string, unknown> = {}) => ({ _tag: tag, caseId, ...fields })
  return [
    { actor: people.kasi, command: c("AssignCaseworker", { caseworker: people.worker.id }) },
    { actor: people.worker, command: c("StartOutreach") },
    { actor: people.worker, command: c("RecordFirstContact") },
    {
      actor: people.worker,
      command: c("RecordAssessment", {
        classification: { ampk: [], ppks: [2], cluster: "children", allegedPerpetrators: [] },
        factors: []
      })
    },
    { actor: people.worker, command: c("CompleteAssessment") },
    {
      actor: people.worker,
      command: c("ProposePlan", {
        approval: "approve-plan-1",
        plan: {
          id: "plan-1",
          firstReviewOn: today(),
          items: [
            {
              component: "family-support",
              goal: "Parenting support",
              responsible: "dinsos-13.71",
              setting: "family-based"
            }
          ]
        }
      })
    },
    { actor: people.worker, command: c("StartIntervention") },
    {
      actor: people.worker,
      command: c("RecordService", { component: "family-support", provider: "dinsos-13.71", deliveredOn: today() })
    },
    {
      actor: people.worker,
      command: c("RequestTermination", { reason: "goals-met", note: "Goals met", approval: "approve-termination" })
    },
    {
      actor: people.kabid,
      command: c("DecideApproval", { approval: "approve-termination", decision: "approved", reason: "Goals met" })
    },
    { actor: people.worker, command: c("RecordFollowUp", { visitedOn: today(), outcome: "stable" }) },
    { actor: people.worker, command: c("CloseCase", { reason: "Stable after aftercare" }) }
  ]
}
