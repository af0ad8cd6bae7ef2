/**
 * How `lindung` reports what stopped it: one line that says what is wrong and, where it can, what to do; and the
 * exit code of docs/cli.md — 2 for a setting or an environment that cannot work (a key, a URL, a port, a file), 3 for
 * a broken history, 4 for a rejected import, 1 for anything else.
 *
 * @since 0.4.0
 */
import { SetupError } from "./Environment.js"

/** Errors of the packages below that mean the configuration or the machine's environment cannot work. */
const setupTags = new Set([
  "SetupError",
  "ConfigError",
  "IdentityKeyMissing",
  "InvalidIdentityKey",
  "InvalidSchemaName",
  "SchemaTooNew",
  "InvalidAuthConfig",
  "InvalidServerConfig",
  "InvalidCommandsConfig",
  "InvalidRelayConfig"
])

/** What a failed `listen` means, and what to do about it, by its system error code. */
const listenHints: Readonly<Record<string, string>> = {
  EADDRINUSE: "another program already uses this port: stop it, or choose another --port (0 picks a free one)",
  EADDRNOTAVAIL:
    "this machine has no such address: use --host 127.0.0.1 (this machine only), 0.0.0.0 (every interface) or one of its own addresses",
  EACCES: "this user may not listen there (ports below 1024 need privileges): choose a --port from 1024 on",
  ENOTFOUND: "the host name does not resolve: check --host"
}

const textOf = (value: unknown, key: string): string | undefined => {
  const found = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined
  return typeof found === "string" && found.length > 0 ? found : undefined
}

/**
 * The line to print for an error or defect, and the error to exit with (a {@link SetupError}, exit code 2, for a
 * setting or environment that cannot work; else the error itself).
 */
export const explain = (error: unknown): { readonly message: string; readonly error: unknown } => {
  const explained = explainLines(error)
  // One line, whatever the error's own text (a schema's issues, a program's output) spreads over.
  return { ...explained, message: explained.message.replace(/\s*\n\s*/gu, " ").trim() }
}

const explainLines = (error: unknown): { readonly message: string; readonly error: unknown } => {
  const tag = textOf(error, "_tag")
  if (tag === "ServeError") {
    const cause = (error as { readonly cause?: unknown }).cause
    const code = textOf(cause, "code")
    const detail = textOf(cause, "message") ?? "the server could not start"
    const message = `cannot serve: ${detail}${code !== undefined && listenHints[code] !== undefined ? ` — ${listenHints[code]}` : ""}`
    return { message, error: new SetupError({ reason: message }) }
  }
  const message = textOf(error, "message") ?? tag ?? String(error)
  if (tag === "StorageUnavailable") {
    // The store could not be opened or reached: what to check, by what the driver said.
    const detail = textOf(error, "detail") ?? ""
    // A URL or schema name that cannot work is a setting to fix (exit 2), whatever the driver says of retrying.
    const setting = /Invalid (connection )?URL|Invalid percent-encoding|sslmode|ERR_INVALID_URL|schema name/iu.test(
      detail
    )
    const hint = setting
      ? " — check LINDUNG_DATABASE_URL (or --database-url) and LINDUNG_DATABASE_SCHEMA"
      : /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET/u.test(detail)
        ? " — is the database server running and reachable? Check LINDUNG_DATABASE_URL (or --database-url)"
        : ""
    const retryable = (error as { readonly retryable?: unknown }).retryable === true
    return retryable && !setting
      ? { message: `${message}${hint}`, error }
      : { message: `${message}${hint}`, error: new SetupError({ reason: `${message}${hint}` }) }
  }
  if (tag !== undefined && setupTags.has(tag)) {
    return { message, error: error instanceof SetupError ? error : new SetupError({ reason: message }) }
  }
  if (tag === undefined && error instanceof Error) {
    // A defect: say it is one, with its kind, so that it can be reported.
    return { message: `unexpected error (${error.name}): ${error.message}`, error }
  }
  return { message, error }
}
