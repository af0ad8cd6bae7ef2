/**
 * The messages the relay publishes, without a server: subjects by the region an event happened in, CloudEvents
 * attributes (the owner before the event as `source`), headers that read back, and the public form as the body.
 */
import { Case, type CaseEvent, PublicEvent, Region } from "@lindung/core"
import { Runner, Stories } from "@lindung/seeds"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import { CloudEvent, Consumer, Relay, Subjects } from "../src/index.js"

const events = (() => {
  const run = Runner.runPure(Stories.all[0] as Stories.Story)
  if (Result.isFailure(run)) throw new Error(run.failure.reason)
  return run.success.events
})()

/** The state of each event's case before it, as the relay follows them. */
const withStates = (list: ReadonlyArray<CaseEvent.Envelope>) => {
  const states = new Map<string, Case.State>()
  return list.map((event) => {
    const before = states.get(event.caseId) ?? Case.initialState
    states.set(event.caseId, Case.evolve(before, event))
    return { event, before }
  })
}

/** Every message of the events, each built from its case's state before it, as the relay builds them. */
const messagesOf = (list: ReadonlyArray<CaseEvent.Envelope>) =>
  withStates(list).map(({ event, before }) => Relay.messageOf(event, before))

describe("Subjects", () => {
  it("puts the province and the kab/kota in the subject, and subscribes by either", () => {
    const padang = Region.decodeSync("13.71.05")
    expect(Subjects.event(padang, "ReportRegistered")).toBe("lindung.case.13.1371.ReportRegistered")
    expect(Subjects.event(Region.decodeSync("13"), "StageChanged")).toBe("lindung.case.13._.StageChanged")
    expect(Subjects.event(undefined, "StageChanged")).toBe("lindung.case._._.StageChanged")
    expect(Subjects.within(Region.decodeSync("13"))).toBe("lindung.case.13.>")
    expect(Subjects.within(padang)).toBe("lindung.case.13.1371.>")
    expect(Subjects.ofType("DeadlineEscalated", "x.y")).toBe("x.y.*.*.DeadlineEscalated")
  })

  it("refuses prefixes with wildcards or empty tokens, and event subjects that would take in the commands", () => {
    expect(Subjects.checkPrefixes("lindung.case")).toBeUndefined()
    expect(Subjects.checkPrefixes("dinsos-ntb.case", "dinsos-ntb.api")).toBeUndefined()
    for (const [events, api] of [
      ["lindung", "lindung.api"],
      ["lindung.api", "lindung.api"],
      ["a.*", "lindung.api"],
      ["a..b", "lindung.api"],
      ["a b", "lindung.api"],
      ["lindung.case", "lindung.case.x"],
      ["x", "x.api"]
    ] as const) {
      expect(Subjects.checkPrefixes(events, api), `${events} / ${api}`).toBeDefined()
    }
  })
})

describe("Relay.messageOf", () => {
  it("names the event, its case, its type and version, its owner and region, and reads back from its headers", () => {
    for (const { event, before } of withStates(events)) {
      const message = Relay.messageOf(event, before)
      const headers = new Map(message.headers.map(([name, value]) => [name, value]))
      const attributes = CloudEvent.attributesOf((name) => headers.get(name))
      expect(Result.isSuccess(attributes), event.eventId).toBe(true)
      if (Result.isFailure(attributes)) continue
      // The public version counts the case's published events only (none withheld here: the same as the event's).
      const version = event.version - PublicEvent.withheldBefore(before)
      expect(attributes.success).toMatchObject({
        specversion: "1.0",
        id: `${event.caseId}:${version}`,
        subject: event.caseId,
        type: `id.lindung.case.${event.type}.v${event.schemaVersion}`,
        caseversion: version,
        dataschema: `urn:lindung:json-schema:PublicCaseEvent.${event.type}:v${event.schemaVersion}`
      })
      expect(headers.get("content-type")).toBe("application/json")
      expect(message.id).toBe(`${event.caseId}:${version}`)
      expect(message.subject).toBe(Subjects.event(event.region, event.type as CaseEvent.Type))
      expect(JSON.parse(message.body)).toEqual(JSON.parse(JSON.stringify(PublicEvent.encode(event, before))))
      // The body decodes as the consumer decodes it.
      const decoded = Consumer.decode({
        headers: { get: (name: string) => headers.get(name.toLowerCase()) ?? "" } as never,
        data: new TextEncoder().encode(message.body)
      })
      expect(Result.isSuccess(decoded), event.eventId).toBe(true)
    }
  })

  it("gives as source the agency that owned the case before the event (a registration names its own)", () => {
    const first = events[0] as CaseEvent.Envelope
    expect(first.payload._tag).toBe("ReportRegistered")
    const owner = first.payload._tag === "ReportRegistered" ? first.payload.owner : ""
    const history = events.filter((event) => event.caseId === first.caseId)
    // Up to and including the acceptance of a transfer, the registering agency owns the case.
    const handover = history.findIndex(
      (event) => event.payload._tag === "TransferUpdated" && event.payload.status === "accepted"
    )
    const owned = handover === -1 ? history : history.slice(0, handover + 1)
    expect(owned.length).toBeGreaterThan(3)
    for (const message of messagesOf(owned)) {
      expect(message.headers).toContainEqual(["ce-source", CloudEvent.sourceOf(owner)])
    }
  })

  it("publishes an event under the region its case had when it happened", () => {
    const first = events[0] as CaseEvent.Envelope
    const later = events.find((event) => event.caseId === first.caseId && event.version === 2) as CaseEvent.Envelope
    const state = Case.fold([first])
    // A case relocated to Kota Mataram: its later events carry the new region in their envelope.
    const moved = { ...later, region: Region.decodeSync("52.71") }
    expect(Relay.messageOf(later, state).subject).toBe(Subjects.event(later.region, later.type as CaseEvent.Type))
    expect(Relay.messageOf(moved, state).subject).toMatch(/^lindung\.case\.52\.5271\./)
    // An old event without a region: the region of its case before it.
    const { region: _region, ...withoutRegion } = later
    const subject = Relay.messageOf(withoutRegion as CaseEvent.Envelope, state).subject
    expect(subject).toBe(
      Subjects.event(state._tag === "Empty" ? undefined : state.region, later.type as CaseEvent.Type)
    )
  })

  it("refuses headers that are not a Lindung CloudEvent", () => {
    expect(Result.isFailure(CloudEvent.attributesOf(() => undefined))).toBe(true)
    const headers = new Map(
      (messagesOf(events)[0] as Relay.Message).headers.map(([name, value]) => [name, value] as [string, string])
    )
    headers.set("ce-type", "com.example.other")
    expect(Result.isFailure(CloudEvent.attributesOf((name) => headers.get(name)))).toBe(true)
  })
})
