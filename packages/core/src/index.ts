/**
 * `@lindung/core`: the Lindung domain as pure TypeScript on Effect. Every concept is a module, imported either as
 * a namespace from the package root (`import { Region } from "@lindung/core"`) or directly
 * (`import * as Region from "@lindung/core/Region"`).
 *
 * @since 0.1.0
 */

// Reference lists and codes, each with its legal basis

/** The 15 AMPK categories of UU 35/2014 Pasal 59 ayat (2), the Pasal 59A measures and sub-categories. */
export * as Ampk from "./Ampk.js"
/** ATENSI: the 7 service components, 5 clusters and 3 delivery settings. */
export * as Atensi from "./Atensi.js"
/** The legal or policy basis of rules and lists; bilingual labels; rules with stable ids. */
export * as Basis from "./Basis.js"
/** Calendar dates and exact ages (birthdays, 29 February). */
export * as CalendarDate from "./CalendarDate.js"
/** From structured intake facts to AMPK, PPKS, ATENSI cluster and SPPA role, each with its reason. */
export * as Classification from "./Classification.js"
/** Deadlines by risk level: a typed, overridable policy, due instants, review dates, display by time zone. */
export * as Deadline from "./Deadline.js"
/** Dinas Sosial types A/B/C: score, thresholds, structure, approving role, caseload. */
export * as DinasType from "./DinasType.js"
/** Which level (kabupaten-kota, provinsi, pusat) is responsible for a case, and for which region. */
export * as Jurisdiction from "./Jurisdiction.js"
/** The 26 PPKS categories of Permensos 8/2012 and the seed-003 group mappings. */
export * as Ppks from "./Ppks.js"
/** Kemendagri region codes: parsing, level, parent, containment and time zone. */
export * as Region from "./Region.js"
/** Risk levels, the structured risk assessment (red flags, concern points) and level overrides. */
export * as Risk from "./Risk.js"
/** UU 11/2012 (SPPA): ABH roles, age at the act, diversion, Pasal 21, detention, confidentiality, court. */
export * as Sppa from "./Sppa.js"

// Agencies and people

/** People acting on cases: roles and offices. */
export * as Actor from "./Actor.js"
/** Agencies: Dinas Sosial, Sentra, UPTD, partners and other sectors. */
export * as Agency from "./Agency.js"
/** The directory of agencies and people: who an actor is, and tokens checked against it. */
export * as Directory from "./Directory.js"
/** The people of each agency: memberships, roles, offices, active or not. */
export * as Person from "./Person.js"

// The SOP: its rules, table, guards and policies

/** The named guards of the SOP, each citing its rule. */
export * as Guard from "./Guard.js"
/** Every policy number in one object: deadlines, escalation, risk, SPPA, Dinas structure, caseload. */
export * as Policy from "./Policy.js"
/** The register of every rule with its basis (docs/rules.md). */
export * as RuleRegister from "./RuleRegister.js"
/** The SOP as data: stages, transitions, the twelve rules and the procedure rules. */
export * as Sop from "./Sop.js"
/** The SOP table described: every command's stages, guards and events; Mermaid, JSON and Markdown. */
export * as SopTable from "./SopTable.js"

// The case: commands, events, state, the decider and what each actor sees

/** The state of a case, `evolve` and `fold`. */
export * as Case from "./Case.js"
/** The commands of a case. */
export * as CaseCommand from "./CaseCommand.js"
/** The deadlines of a case, the next due instant, and escalations (SOP-11). */
export * as CaseDeadlines from "./CaseDeadlines.js"
/** The events of a case in their envelopes. */
export * as CaseEvent from "./CaseEvent.js"
/** Value types shared by commands, events and state. */
export * as CaseModel from "./CaseModel.js"
/** The deadline scheduler: `Tick` for every overdue case, as the system actor, at an interval (SOP-11). */
export * as DeadlineScheduler from "./DeadlineScheduler.js"
/** The case SOP as a pure decider: `decide(state, command, context)`. */
export * as Decider from "./Decider.js"
/** The one id schema: 1–128 printable characters in NFC, for case, subject, actor, agency, event, idempotency ids. */
export * as Id from "./Id.js"
/** References to national data systems (DTSEN, SIMFONI-PPA, SIKS-NG): opaque record ids, never identity. */
export * as NationalReference from "./NationalReference.js"
/** The public form of an event, for message buses: no identity, no free text. */
export * as PublicEvent from "./PublicEvent.js"
/** Why the decider refuses a command, as plain data: rule, basis, message. */
export * as Rejection from "./Rejection.js"
/** The person a case is about: pseudonymous ids, and the redacted identity kept apart. */
export * as Subject from "./Subject.js"
/** The metrics and spans Lindung records (commands, rejections, appends, overdue cases, the scheduler). */
export * as Telemetry from "./Telemetry.js"
/**
 * `@lindung/core`: the Lindung domain as pure TypeScript on Effect. Every concept is a module, imported either as
 * a namespace from the package root (`import { Region } from "@lindung/core"`) or directly
 * (`import * as Region from "@lindung/core/Region"`).
 *
 * @since 0.1.0
 */

/** Who may do what with a case, and what each actor sees (SOP-07). */
export * as Access from "./Access.js"
/** What an actor sees of a case, as Schemas shared by transports and JSON Schema. */
export * as CaseView from "./CaseView.js"
/** The typed error for bad input to a pure function. */
export * as Input from "./Input.js"
/** The integrity chain of a case's history (SHA-256 over canonical JSON). */
export * as Integrity from "./Integrity.js"

// The application layer, the storage ports and their errors

/** Exports of pseudonymous case data on a lawful basis (UU 27/2022 Pasal 20(2)), with their manifest. */
export * as CaseExport from "./CaseExport.js"
/** The read side of cases: index entries, queries, counts, and the port. */
export * as CaseIndex from "./CaseIndex.js"
/** The case repository: decider and event store composed, with retries and idempotency. */
export * as CaseRepository from "./CaseRepository.js"
/** The case service: the one door every transport goes through (cases, reads, lists, identities). */
export * as CaseService from "./CaseService.js"
/** Named positions for relays and projections (port). */
export * as Checkpoints from "./Checkpoints.js"
/** The data subject's rights (access, correction) and the retention of identities (UU 27/2022). */
export * as DataSubject from "./DataSubject.js"
/** The history of cases (port): append with expected version and idempotency, load, read in order, verify. */
export * as EventStore from "./EventStore.js"
/** The record of every export's manifest (port): who, when, on which lawful basis, for what. */
export * as ExportLog from "./ExportLog.js"
/** Identities kept apart, encrypted and erasable (port). */
export * as IdentityVault from "./IdentityVault.js"
/** The tagged errors of the Effect edges, from the decider's rejections. */
export * as SopError from "./SopError.js"
/** The errors of the storage ports. */
export * as StorageError from "./StorageError.js"

// For teams on other stacks

/** JSON Schema of every public schema, for teams on other stacks. */
export * as JsonSchema from "./JsonSchema.js"
