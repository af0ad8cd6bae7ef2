/**
 * The NATS subjects of Lindung. Case events are published under
 * `lindung.case.<province>.<kab/kota>.<EventType>` — `lindung.case.13.1371.ReportRegistered` for an event of a case
 * in Kota Padang (13.71) — so that an agency subscribes to what is its own: `lindung.case.13.>` for a province,
 * `lindung.case.13.1371.>` for a kab/kota, `lindung.case.*.*.DeadlineEscalated` for one type everywhere. A case
 * known only at the level of its province has `_` for its kab/kota. Commands are requests to
 * `lindung.api.cases.register` and `lindung.api.cases.command`.
 *
 * @since 0.3.0
 */
import { type CaseEvent, Region } from "@lindung/core"
import { Option } from "effect"

/** The default first tokens of every event subject. */
export const DEFAULT_PREFIX = "lindung.case"

/** The token of a kab/kota whose case is known only at the level of its province. */
export const NO_REGENCY = "_"

/**
 * The province and kab/kota tokens of a region code: `13.71.05` → `["13", "1371"]`; an event whose region is not
 * known (none in its envelope and none recorded for its case) → `["_", "_"]`.
 */
export const regionTokens = (region: Region.RegionCode | undefined): readonly [string, string] =>
  region === undefined
    ? [NO_REGENCY, NO_REGENCY]
    : [
        Region.province(region),
        Option.match(Region.regency(region), { onNone: () => NO_REGENCY, onSome: (code) => code.replace(".", "") })
      ]

/** The subject of an event of `type` in `region`. */
export const event = (
  region: Region.RegionCode | undefined,
  type: CaseEvent.Type,
  prefix: string = DEFAULT_PREFIX
): string => {
  const [province, regency] = regionTokens(region)
  return `${prefix}.${province}.${regency}.${type}`
}

/** Every event subject under a prefix: what the stream holds. */
export const all = (prefix: string = DEFAULT_PREFIX): string => `${prefix}.>`

/** The events of a province (`13`) or a kab/kota (`13.71`, or any region code below it: its kab/kota). */
export const within = (region: Region.RegionCode, prefix: string = DEFAULT_PREFIX): string => {
  const [province, regency] = regionTokens(region)
  return Region.depth(region) === 1 ? `${prefix}.${province}.>` : `${prefix}.${province}.${regency}.>`
}

/** The events of one type, in every region. */
export const ofType = (type: CaseEvent.Type, prefix: string = DEFAULT_PREFIX): string => `${prefix}.*.*.${type}`

/** The default first tokens of the command subjects. */
export const DEFAULT_API_PREFIX = "lindung.api"

/** The request subject of `RegisterReport` (the body of `POST /cases`) under an API prefix. */
export const register = (apiPrefix: string = DEFAULT_API_PREFIX): string => `${apiPrefix}.cases.register`

/** The request subject of any other command (the body of `POST /cases/{caseId}/commands`) under an API prefix. */
export const command = (apiPrefix: string = DEFAULT_API_PREFIX): string => `${apiPrefix}.cases.command`

/** `lindung.api.cases.register`. */
export const REGISTER = register()

/** `lindung.api.cases.command`. */
export const COMMAND = command()

const TOKENS = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/u

/**
 * Why a prefix of event or command subjects is unusable, or `undefined`: it must be tokens of letters, digits, `_`
 * and `-` separated by dots (no wildcard, no empty token), and the event subjects under `eventPrefix` must not take in
 * the command subjects under `apiPrefix` — a stream on `lindung.>` would store every command request, with its
 * identity and token.
 */
export const checkPrefixes = (eventPrefix: string, apiPrefix: string = DEFAULT_API_PREFIX): string | undefined => {
  for (const [name, prefix] of [
    ["subject prefix", eventPrefix],
    ["API prefix", apiPrefix]
  ] as const) {
    if (!TOKENS.test(prefix)) {
      return `the ${name} ${JSON.stringify(prefix)} must be tokens of letters, digits, _ and - separated by dots`
    }
  }
  if (register(apiPrefix).startsWith(`${eventPrefix}.`) || eventPrefix === apiPrefix) {
    return `the event subjects ${all(eventPrefix)} would take in the command subjects ${apiPrefix}.cases.*`
  }
  return undefined
}
