/**
 * Response deadlines by risk level: a typed, overridable {@link DeadlinePolicy}.
 *
 * No Indonesian regulation fixes response times, so every risk-based number here is a policy default (docs/domain.md
 * §5, after Primero and OpenSPP practice) that a deployment may change with {@link makePolicy}; the statutory
 * clocks of UU 11/2012 — `pasal21-court-submission` (Pasal 21 ayat (2): 3 days) and the diversion clocks
 * (`diversion-attempt` 7 days, `diversion-conclusion` 30 days, `diversion-court-submission` and
 * `diversion-confirmation` 3 days: Pasal 29, 42, 52 and 12; `litmas`, 3 x 24 hours: Pasal 28) and of UU 27/2022
 * (`data-subject-request`, 3 x 24 hours: Pasal 30, 32) are the same at every level. A deadline is an *instant*
 * (`DateTime.Utc`): the start of its stage plus the policy's duration for the case's risk level. Days are exact
 * 24-hour periods (Indonesia has no daylight saving time); there is no working-day calendar.
 *
 * Durations are effect `Duration`s; in JSON they are ISO-8601 durations without years or months (`PT24H`, `P3D`,
 * `P1W`), see {@link IsoDuration}.
 *
 * One rule holds for every policy: a higher risk level never gets a later deadline than a lower one
 * (`DEADLINE-MONOTONE`).
 *
 * @example
 * ```ts
 * import { Deadline, Region } from "@lindung/core"
 * import { DateTime } from "effect"
 *
 * const reported = DateTime.makeUnsafe("2025-02-05T17:00:00+07:00")
 * const due = Deadline.due("first-contact", "tinggi", reported)
 * Deadline.display(due, Region.decodeSync("13.71")) // "2025-02-06T17:00:00+07:00 WIB" (Padang)
 * Deadline.display(due, Region.decodeSync("64.71")) // "2025-02-06T18:00:00+08:00 WITA" (Balikpapan)
 * ```
 *
 * @since 0.1.0
 */
import { DateTime, Duration, Option, Result, Schema } from "effect"
import * as Basis from "./Basis.js"
import * as DataSubject from "./DataSubject.js"
import * as Input from "./Input.js"
import * as Region from "./Region.js"
import * as Risk from "./Risk.js"
import { transcribed } from "./Sppa.js"

// ---------------------------------------------------------------------------------------------------------------
// Kinds
// ---------------------------------------------------------------------------------------------------------------

/** The kinds of deadline. */
export const kindCodes = [
  "first-contact",
  "assessment",
  "case-plan",
  "review",
  "unassigned-alert",
  "emergency-placement-approval",
  "pasal21-court-submission",
  "diversion-attempt",
  "diversion-conclusion",
  "diversion-court-submission",
  "diversion-confirmation",
  "litmas",
  "data-subject-request"
] as const

/** Schema of a deadline kind. */
export const Kind = Schema.Literals(kindCodes).annotate({
  identifier: "DeadlineKind",
  description:
    "first-contact, assessment (completed), case-plan, review (interval), unassigned-alert, emergency-placement-approval, pasal21-court-submission, diversion-attempt, diversion-conclusion, diversion-court-submission, diversion-confirmation, litmas, data-subject-request"
})

/** A deadline kind. */
export type Kind = typeof Kind.Type

/** A kind of deadline: its label, the moment its clock starts, and the basis of its default durations. */
export const KindInfo = Schema.Struct({
  code: Kind,
  label: Basis.Label,
  /** The moment the caller passes as `stageStart` to {@link due}. */
  startsAt: Basis.Label,
  basis: Schema.NonEmptyArray(Basis.Basis)
}).annotate({ identifier: "DeadlineKindInfo", description: "A kind of deadline, when its clock starts and its basis" })

/** See {@link KindInfo}. */
export type KindInfo = typeof KindInfo.Type

const domainPractice = (note: string): Basis.Basis =>
  Basis.policyDefault("Lindung domain rules (docs/domain.md)", "§5 Risk", note)

/** The source of the unassigned-case alert defaults. */
export const primero: Basis.Basis = Basis.policyDefault(
  "Primero (child-protection case management system)",
  undefined,
  "flags a high-risk case that is still unassigned after 1 hour, other cases after 3 hours"
)

/** The source of the 30-day review default. */
export const openSpp: Basis.Basis = Basis.policyDefault(
  "OpenSPP (social protection platform)",
  undefined,
  "reviews a case every 30 days"
)

/** The kinds of deadline with their labels, clock starts and bases. */
export const kinds: ReadonlyArray<KindInfo> = [
  {
    code: "first-contact",
    label: Basis.label("Kontak pertama dengan anak", "First contact with the child"),
    startsAt: Basis.label(
      "Laporan diterima, atau kasus dibuka kembali sebelum anak dijangkau",
      "The report is received, or the case is reopened before the child was reached"
    ),
    basis: [domainPractice("practice: tinggi 24 h, sedang 72 h, rendah 7 days; no regulation fixes response times")]
  },
  {
    code: "assessment",
    label: Basis.label("Asesmen selesai", "Assessment completed"),
    startsAt: Basis.label(
      "Tahap asesmen (pengungkapan dan pemahaman masalah) dimulai",
      "The assessment stage (pengungkapan dan pemahaman masalah) starts"
    ),
    basis: [domainPractice("practice: tinggi 3 days, sedang 7 days, rendah 14 days")]
  },
  {
    code: "case-plan",
    label: Basis.label("Rencana intervensi tersusun", "Case plan written"),
    startsAt: Basis.label(
      "Tahap penyusunan rencana pemecahan masalah dimulai",
      "The planning stage (penyusunan rencana pemecahan masalah) starts"
    ),
    basis: [domainPractice("practice: tinggi 7 days, sedang 14 days, rendah 30 days")]
  },
  {
    code: "review",
    label: Basis.label("Peninjauan ulang kasus", "Case review"),
    startsAt: Basis.label("Intervensi dimulai atau peninjauan terakhir", "Intervention starts, or the previous review"),
    basis: [domainPractice("practice: review every 30 / 60 / 90 days (tinggi / sedang / rendah)"), openSpp]
  },
  {
    code: "unassigned-alert",
    label: Basis.label("Peringatan: kasus belum ada petugas", "Alert: no caseworker assigned"),
    startsAt: Basis.label(
      "Laporan diterima, atau kasus kehilangan petugasnya",
      "The report is received, or the case loses its caseworker"
    ),
    basis: [primero, domainPractice("practice: 1 h for tinggi, 3 h for sedang and rendah")]
  },
  {
    code: "emergency-placement-approval",
    label: Basis.label("Persetujuan penempatan darurat", "Approval of an emergency placement"),
    startsAt: Basis.label(
      "Anak ditempatkan di rumah aman, RPTC atau LPKS",
      "The child is placed in a safe house, RPTC or LPKS"
    ),
    basis: [
      Basis.policyDefault(
        "Lindung domain rules (docs/domain.md)",
        "§6 The case lifecycle",
        "emergency protection of a child at tinggi risk is approved within 24 h"
      )
    ]
  },
  {
    code: "pasal21-court-submission",
    label: Basis.label("Keputusan Pasal 21 diajukan ke pengadilan", "The Pasal 21 decision submitted to the court"),
    startsAt: Basis.label("Keputusan Pasal 21 diambil", "The Pasal 21 decision is made"),
    basis: [
      Basis.unverified(
        "UU 11/2012",
        "Pasal 21 ayat (2)",
        "the decision is submitted to the court for its penetapan within 3 days, whatever the risk level"
      )
    ]
  },
  {
    code: "diversion-attempt",
    label: Basis.label("Diversi diupayakan", "Diversion attempted"),
    startsAt: Basis.label(
      "Tingkat pemeriksaan dimulai (hari berakhir)",
      "A level of examination starts (at the end of that day)"
    ),
    basis: [
      transcribed("Pasal 29 ayat (1)", "within 7 days after the investigation starts"),
      transcribed("Pasal 42 ayat (1)", "within 7 days after the prosecutor receives the file"),
      transcribed("Pasal 52 ayat (2)", "within 7 days after the judge is appointed")
    ]
  },
  {
    code: "diversion-conclusion",
    label: Basis.label("Proses Diversi selesai", "Diversion concluded"),
    startsAt: Basis.label("Diversi dimulai (hari berakhir)", "Diversion starts (at the end of that day)"),
    basis: [
      transcribed("Pasal 29 ayat (2)", "diversion lasts at most 30 days"),
      transcribed("Pasal 42 ayat (2)", "diversion lasts at most 30 days"),
      transcribed("Pasal 52 ayat (3)", "diversion lasts at most 30 days")
    ]
  },
  {
    code: "diversion-court-submission",
    label: Basis.label("Kesepakatan Diversi disampaikan ke pengadilan", "The diversion agreement sent to the court"),
    startsAt: Basis.label("Kesepakatan dicapai (hari berakhir)", "The agreement is reached (at the end of that day)"),
    basis: [transcribed("Pasal 12 ayat (2)", "within 3 days of the agreement, for its penetapan")]
  },
  {
    code: "diversion-confirmation",
    label: Basis.label("Penetapan kesepakatan Diversi", "The court's penetapan of the agreement"),
    startsAt: Basis.label(
      "Kesepakatan diterima pengadilan (hari berakhir)",
      "The court receives the agreement (at the end of that day)"
    ),
    basis: [transcribed("Pasal 12 ayat (3)", "within 3 days of receiving the agreement")]
  },
  {
    code: "litmas",
    label: Basis.label("Litmas diterima dari Bapas", "The Litmas received from Bapas"),
    startsAt: Basis.label("Litmas diminta (awal hari itu)", "The Litmas is requested (from the start of that day)"),
    basis: [transcribed("Pasal 28", "Bapas hands the Litmas to the investigator within 3 x 24 hours")]
  },
  {
    code: "data-subject-request",
    label: Basis.label("Permintaan subjek data dijawab", "A data-subject request answered"),
    startsAt: Basis.label(
      "Permintaan diterima (awal hari itu)",
      "The request is received (from the start of that day)"
    ),
    basis: DataSubject.answerBasis
  }
]

// ---------------------------------------------------------------------------------------------------------------
// Durations
// ---------------------------------------------------------------------------------------------------------------

/** The longest duration a policy may hold: 5 years of 366 days, far beyond any sensible deadline or review. */
export const longestDuration: Duration.Duration = Duration.days(5 * 366)

/**
 * Says what is wrong with a deadline duration, or `undefined` when it is positive, finite, a whole number of
 * milliseconds (instants have millisecond precision) and at most {@link longestDuration}.
 */
export const durationProblem = (duration: Duration.Duration): string | undefined => {
  if (!Duration.isDuration(duration)) return "a deadline must be a Duration"
  if (!Duration.isFinite(duration)) return "a deadline must be finite"
  if (!Duration.isPositive(duration)) return "a deadline must be longer than zero"
  if (!Number.isInteger(Duration.toMillis(duration))) return "a deadline must be a whole number of milliseconds"
  if (Duration.isGreaterThan(duration, longestDuration)) return "a deadline must be at most 5 years (1830 days)"
  return undefined
}

/**
 * An ISO-8601 duration without years or months, decoded to an effect `Duration`: `PT1H`, `PT24H`, `P3D`, `P1W`,
 * `P1DT12H`. Encoding writes the shortest form (`PT72H` encodes as `P3D`). Years and months are rejected because
 * they have no fixed length.
 */
export const IsoDuration = Schema.DurationFromIsoString.annotate({
  identifier: "IsoDuration",
  description: "An ISO-8601 duration without years or months, e.g. PT24H, P3D, P1W"
})

/** A valid deadline duration in its JSON form (see {@link IsoDuration} and {@link durationProblem}). */
export const DeadlineDuration = IsoDuration.check(
  Schema.makeFilter((duration: Duration.Duration) => durationProblem(duration) ?? true)
).annotate({
  identifier: "DeadlineDuration",
  description: "A positive ISO-8601 duration without years or months, at most 5 years, e.g. PT24H, P3D"
})

/** One duration per risk level. */
export const ByLevel = Schema.Struct({
  rendah: DeadlineDuration,
  sedang: DeadlineDuration,
  tinggi: DeadlineDuration
}).annotate({ identifier: "DeadlineByLevel", description: "A deadline duration for each risk level" })

/** See {@link ByLevel}. */
export type ByLevel = typeof ByLevel.Type

// ---------------------------------------------------------------------------------------------------------------
// Policy
// ---------------------------------------------------------------------------------------------------------------

/** The deadline policy: for every kind of deadline, a duration per risk level. */
export interface DeadlinePolicy {
  /** Time from the report (or a reopening before the child was reached) to the first contact with the child. */
  readonly "first-contact": ByLevel
  /** Time from the start of the assessment stage to a completed assessment. */
  readonly assessment: ByLevel
  /** Time from the start of the planning stage to a written case plan. */
  readonly "case-plan": ByLevel
  /** The interval between case reviews. */
  readonly review: ByLevel
  /** Time after which a case without a caseworker raises an alert. */
  readonly "unassigned-alert": ByLevel
  /** Time from an emergency placement to its approval. */
  readonly "emergency-placement-approval": ByLevel
  /** Time from a Pasal 21 decision to its submission to the court (UU 11/2012 Pasal 21 ayat (2)). */
  readonly "pasal21-court-submission": ByLevel
  /** Time from the start of a level of examination to the start of diversion (UU 11/2012 Pasal 29, 42, 52). */
  readonly "diversion-attempt": ByLevel
  /** Time from the start of diversion to its conclusion (UU 11/2012 Pasal 29, 42, 52). */
  readonly "diversion-conclusion": ByLevel
  /** Time from a diversion agreement to its submission to the court (UU 11/2012 Pasal 12 ayat (2)). */
  readonly "diversion-court-submission": ByLevel
  /** Time from the submission of an agreement to the court's penetapan (UU 11/2012 Pasal 12 ayat (3)). */
  readonly "diversion-confirmation": ByLevel
  /** Time from a request for a Litmas to its receipt from Bapas (UU 11/2012 Pasal 28). */
  readonly litmas: ByLevel
  /** Time from a data-subject request to its answer (UU 27/2022 Pasal 30, 32: 3 x 24 hours). */
  readonly "data-subject-request": ByLevel
}

const byLevel = (tinggi: Duration.Duration, sedang: Duration.Duration, rendah: Duration.Duration): ByLevel => ({
  rendah,
  sedang,
  tinggi
})

/** The default policy (docs/domain.md §5; see {@link kinds} for the basis of each line). */
export const defaultPolicy: DeadlinePolicy = {
  "first-contact": byLevel(Duration.hours(24), Duration.hours(72), Duration.days(7)),
  assessment: byLevel(Duration.days(3), Duration.days(7), Duration.days(14)),
  "case-plan": byLevel(Duration.days(7), Duration.days(14), Duration.days(30)),
  review: byLevel(Duration.days(30), Duration.days(60), Duration.days(90)),
  "unassigned-alert": byLevel(Duration.hours(1), Duration.hours(3), Duration.hours(3)),
  "emergency-placement-approval": byLevel(Duration.hours(24), Duration.hours(24), Duration.hours(24)),
  "pasal21-court-submission": byLevel(Duration.days(3), Duration.days(3), Duration.days(3)),
  "diversion-attempt": byLevel(Duration.days(7), Duration.days(7), Duration.days(7)),
  "diversion-conclusion": byLevel(Duration.days(30), Duration.days(30), Duration.days(30)),
  "diversion-court-submission": byLevel(Duration.days(3), Duration.days(3), Duration.days(3)),
  "diversion-confirmation": byLevel(Duration.days(3), Duration.days(3), Duration.days(3)),
  litmas: byLevel(Duration.days(3), Duration.days(3), Duration.days(3)),
  "data-subject-request": byLevel(Duration.days(3), Duration.days(3), Duration.days(3))
}

/** The basis of {@link defaultPolicy}, per kind. */
export const policyBasis: { readonly [K in Kind]: readonly [Basis.Basis, ...Array<Basis.Basis>] } = Object.fromEntries(
  kinds.map((info) => [info.code, info.basis])
) as unknown as { readonly [K in Kind]: readonly [Basis.Basis, ...Array<Basis.Basis>] }

/** The rule ids a rejected policy can name. */
export const PolicyRule = Schema.Literals(["DEADLINE-MONOTONE", "DEADLINE-POSITIVE"])

/** See {@link PolicyRule}. */
export type PolicyRule = typeof PolicyRule.Type

/** A deadline policy that breaks a rule: `field` names the line (`first-contact.tinggi`), `reason` says why. */
export class InvalidDeadlinePolicy extends Schema.TaggedError<InvalidDeadlinePolicy>()("InvalidDeadlinePolicy", {
  rule: PolicyRule,
  field: Schema.String,
  value: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    const title = rules.find((rule) => rule.id === this.rule)?.title.en ?? this.rule
    return `Deadline policy rejected by ${this.rule} (${title}): ${this.field} = ${this.value}: ${this.reason}`
  }
}

/** Shows a duration as ISO-8601 when it can, else in effect's own notation. */
const show = (duration: Duration.Duration): string =>
  Option.getOrElse(Duration.formatIso(duration), () => Duration.format(duration))

/** The pairs checked by `DEADLINE-MONOTONE`: each level against the next lower one. */
const monotonePairs: ReadonlyArray<readonly [Risk.Level, Risk.Level]> = [
  ["tinggi", "sedang"],
  ["sedang", "rendah"]
]

/**
 * Checks a policy: every duration valid (`DEADLINE-POSITIVE`, see {@link durationProblem}) and, for every kind, a
 * higher level's duration never longer than a lower level's (`DEADLINE-MONOTONE`; equal is allowed). Durations are
 * checked first; the first problem found is returned, kinds and levels in catalogue order.
 */
export const validate = (policy: DeadlinePolicy): Result.Result<DeadlinePolicy, InvalidDeadlinePolicy> => {
  for (const kind of kindCodes) {
    const line = policy[kind]
    for (const level of Risk.levels) {
      const reason = durationProblem(line[level])
      if (reason !== undefined) {
        return Result.fail(
          new InvalidDeadlinePolicy({
            rule: "DEADLINE-POSITIVE",
            field: `${kind}.${level}`,
            value: show(line[level]),
            reason
          })
        )
      }
    }
  }
  for (const kind of kindCodes) {
    const line = policy[kind]
    for (const [higher, lower] of monotonePairs) {
      if (Duration.isGreaterThan(line[higher], line[lower])) {
        return Result.fail(
          new InvalidDeadlinePolicy({
            rule: "DEADLINE-MONOTONE",
            field: `${kind}.${higher}`,
            value: show(line[higher]),
            reason: `a higher risk level never gets a later deadline: ${higher} (${show(line[higher])}) is later than ${lower} (${show(line[lower])})`
          })
        )
      }
    }
  }
  return Result.succeed(policy)
}

/** Schema of a whole policy in JSON (ISO-8601 durations); decoding also applies {@link validate}. */
export const DeadlinePolicy = Schema.Struct({
  "first-contact": ByLevel,
  assessment: ByLevel,
  "case-plan": ByLevel,
  review: ByLevel,
  "unassigned-alert": ByLevel,
  "emergency-placement-approval": ByLevel,
  "pasal21-court-submission": ByLevel,
  "diversion-attempt": ByLevel,
  "diversion-conclusion": ByLevel,
  "diversion-court-submission": ByLevel,
  "diversion-confirmation": ByLevel,
  litmas: ByLevel,
  "data-subject-request": ByLevel
})
  .check(
    Schema.makeFilter((policy: DeadlinePolicy) => {
      const result = validate(policy)
      return Result.isSuccess(result) || result.failure.message
    })
  )
  .annotate({
    identifier: "DeadlinePolicy",
    description: "Deadline durations per kind and risk level; a higher level never gets a later deadline"
  })

/** Overrides of a policy: any kind, any level; the rest comes from the base policy. */
export type PolicyOverrides = {
  readonly [K in Kind]?: { readonly [L in Risk.Level]?: Duration.Duration }
}

const OverrideLine = Schema.Struct({
  rendah: Schema.optionalKey(IsoDuration),
  sedang: Schema.optionalKey(IsoDuration),
  tinggi: Schema.optionalKey(IsoDuration)
})

/**
 * Schema of {@link PolicyOverrides} in JSON, e.g. `{ "first-contact": { "tinggi": "PT12H" } }`. It checks only the
 * shape and the ISO syntax; {@link makePolicy} checks the rules.
 */
export const PolicyOverrides = Schema.Struct({
  "first-contact": Schema.optionalKey(OverrideLine),
  assessment: Schema.optionalKey(OverrideLine),
  "case-plan": Schema.optionalKey(OverrideLine),
  review: Schema.optionalKey(OverrideLine),
  "unassigned-alert": Schema.optionalKey(OverrideLine),
  "emergency-placement-approval": Schema.optionalKey(OverrideLine),
  "pasal21-court-submission": Schema.optionalKey(OverrideLine),
  "diversion-attempt": Schema.optionalKey(OverrideLine),
  "diversion-conclusion": Schema.optionalKey(OverrideLine),
  "diversion-court-submission": Schema.optionalKey(OverrideLine),
  "diversion-confirmation": Schema.optionalKey(OverrideLine),
  litmas: Schema.optionalKey(OverrideLine),
  "data-subject-request": Schema.optionalKey(OverrideLine)
}).annotate({
  identifier: "DeadlinePolicyOverrides",
  description: "Overrides of the deadline policy: ISO-8601 durations per kind and risk level"
})

/**
 * A deployment's policy: `base` (the default policy unless given) with `overrides` applied, then
 * {@link validate}d. A policy that breaks `DEADLINE-MONOTONE` or `DEADLINE-POSITIVE` is rejected with an
 * {@link InvalidDeadlinePolicy} naming the rule and the line.
 */
export const makePolicy = (
  overrides: PolicyOverrides,
  base: DeadlinePolicy = defaultPolicy
): Result.Result<DeadlinePolicy, InvalidDeadlinePolicy> => {
  const given = (kind: Kind) =>
    Object.fromEntries(Object.entries(overrides[kind] ?? {}).filter(([, duration]) => duration !== undefined))
  const merged = Object.fromEntries(
    kindCodes.map((kind) => [kind, { ...base[kind], ...given(kind) }])
  ) as unknown as DeadlinePolicy
  return validate(merged)
}

/**
 * Reads overrides from JSON (see {@link PolicyOverrides}) and builds the policy with {@link makePolicy}. Bad JSON
 * shape, an unknown key or a malformed duration is an {@link Input.InvalidInput}.
 */
export const decodePolicy = (
  json: unknown,
  base: DeadlinePolicy = defaultPolicy
): Result.Result<DeadlinePolicy, InvalidDeadlinePolicy | Input.InvalidInput> => {
  const decoded = Schema.decodeUnknownResult(PolicyOverrides, { onExcessProperty: "error" })(json)
  if (Result.isFailure(decoded)) return Input.fail("deadlinePolicy", json, decoded.failure.message)
  return makePolicy(decoded.success, base)
}

/** Writes a policy as JSON (ISO-8601 durations), e.g. to show a deployment's deadlines. */
export const encodePolicy = (policy: DeadlinePolicy): typeof DeadlinePolicy.Encoded =>
  Schema.encodeSync(DeadlinePolicy)(policy)

// ---------------------------------------------------------------------------------------------------------------
// Deadlines
// ---------------------------------------------------------------------------------------------------------------

/** The duration of a kind of deadline for a risk level under a policy. */
export const durationOf = (kind: Kind, level: Risk.Level, policy: DeadlinePolicy = defaultPolicy): Duration.Duration =>
  policy[kind][level]

/**
 * The instant a deadline falls due: `stageStart` plus the policy's duration for the kind and level. For `review`
 * it is the next review after `stageStart` (the start of intervention or the previous review). Under a valid
 * policy it is strictly after `stageStart`, and a higher level's deadline is never later.
 */
export const due = (
  kind: Kind,
  level: Risk.Level,
  stageStart: DateTime.Utc,
  policy: DeadlinePolicy = defaultPolicy
): DateTime.Utc => DateTime.addDuration(stageStart, policy[kind][level])

/**
 * The next `count` review dates after `from`, one review interval apart. Fails with an {@link Input.InvalidInput}
 * when `count` is not a non-negative whole number or the dates would leave the range of instants.
 */
export const reviewDates = (
  level: Risk.Level,
  from: DateTime.Utc,
  count: number,
  policy: DeadlinePolicy = defaultPolicy
): Result.Result<ReadonlyArray<DateTime.Utc>, Input.InvalidInput> => {
  if (!Number.isSafeInteger(count) || count < 0) return Input.fail("count", count, "must be a whole number, 0 or more")
  const step = Duration.toMillis(policy.review[level])
  const start = DateTime.toEpochMillis(from)
  if (Option.isNone(DateTime.make(start + count * step))) {
    return Input.fail("count", count, `review ${count} would fall outside the range of instants`)
  }
  return Result.succeed(Array.from({ length: count }, (_, index) => DateTime.makeUnsafe(start + (index + 1) * step)))
}

/**
 * An instant in a time zone: ISO-8601 with the zone's offset and its abbreviation, e.g.
 * `2025-02-06T17:00:00+07:00 WIB`. Milliseconds are shown only when not zero. For years 0000–9999.
 */
export const displayIn = (instant: DateTime.Utc, zone: Region.TimeZone): string => {
  const shifted = new Date(DateTime.toEpochMillis(instant) + zone.offsetHours * 3_600_000).toISOString()
  const local = shifted.endsWith(".000Z") ? shifted.slice(0, -5) : shifted.slice(0, -1)
  return `${local}+${String(zone.offsetHours).padStart(2, "0")}:00 ${zone.abbreviation}`
}

/**
 * A due instant shown in the time zone of a region (WIB, WITA or WIT, {@link Region.timeZone}), e.g.
 * `2025-02-06T17:00:00+07:00 WIB`. Pure: the instant itself does not change; the ISO part parses back to it.
 */
export const display = (instant: DateTime.Utc, region: Region.RegionCode): string =>
  displayIn(instant, Region.timeZone(region))

// ---------------------------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------------------------

/** The rules this module implements. */
export const rules: ReadonlyArray<Basis.Rule> = [
  Basis.rule(
    "DEADLINE-MONOTONE",
    Basis.label(
      "Tingkat risiko yang lebih tinggi tidak pernah mendapat tenggat yang lebih lambat",
      "A higher risk level never gets a later deadline"
    ),
    [domainPractice("a higher risk level never gets a later deadline than a lower one"), Risk.kemensosRiskBased]
  ),
  Basis.rule(
    "DEADLINE-POSITIVE",
    Basis.label("Setiap tenggat adalah durasi positif dan terbatas", "Every deadline is a positive, finite duration"),
    [Basis.policyDefault("Lindung deadline policy", undefined, "a deadline at or before its start cannot be met")]
  )
]

/** How long after the supervisor an overdue item escalates to the head of the dinas. */
export interface EscalationPolicy {
  readonly toHeadAfter: Duration.Duration
}

/** The default escalation policy: the head of the dinas hears of an overdue item 24 hours after the supervisor. */
export const defaultEscalationPolicy: EscalationPolicy = { toHeadAfter: Duration.hours(24) }

/** The basis of {@link defaultEscalationPolicy}. */
export const escalationBasis: Basis.Basis = Basis.policyDefault(
  "Lindung escalation policy",
  undefined,
  "supervisor first, then the head of the dinas (docs/domain.md §6 rule 11); 24 hours between the two is a practice default"
)
