import { REDACTED, redactSecrets } from "./secret-redaction.ts";

/** One problem found in the config file or the environment. */
export interface ConfigIssue {
  /**
   * Location of the problem: a file key as `projects[0].clusters[1]` or `schedule.cron`, an
   * environment variable by name (`REDIS_URL`), or the config file's own path.
   */
  path: string;
  /** The offending value, `undefined` when it is missing, `"[redacted]"` for secrets. */
  value: unknown;
  /**
   * The rule the value breaks, e.g. `must be 24 lowercase hex characters`. When `value` is
   * `undefined` it follows the path directly instead, e.g. `is missing`.
   */
  message: string;
  /** Next step for the operator, e.g. `copy it from the Atlas project settings`. */
  fix: string;
}

/** Maximum length of a value printed in an error message. Longer values are cut. */
const MAX_SHOWN_VALUE_LENGTH = 80;

/**
 * Invalid configuration: raised when loading or checking it, with every issue found at once.
 * The CLI exits with code 2 on it. Issue values are redacted on construction, so neither the
 * message nor `issues` contain a secret.
 */
export class ConfigError extends Error {
  override name = "ConfigError";
  readonly code = "FLEXWATCH_CONFIG_INVALID";
  readonly issues: readonly ConfigIssue[];

  /** @param file The config file the issues come from, named in the message when given. */
  constructor(issues: readonly ConfigIssue[], options: { file?: string; cause?: unknown } = {}) {
    const safeIssues = issues.map((issue) => ({ ...issue, value: redactSecrets(issue.value) }));
    super(formatMessage(safeIssues, options.file), { cause: options.cause });
    this.issues = safeIssues;
  }
}

/** Formats one issue as the single line the error message lists it on. */
export function formatConfigIssue(issue: ConfigIssue): string {
  if (issue.value === undefined) return `${issue.path} ${issue.message}; ${issue.fix}`;
  return `${issue.path}: ${showValue(issue.value)} is invalid: ${issue.message}; ${issue.fix}`;
}

function formatMessage(issues: readonly ConfigIssue[], file: string | undefined): string {
  const count = issues.length === 1 ? "1 issue" : `${issues.length} issues`;
  const source = file === undefined ? "" : `, config file ${file}`;
  const lines = issues.map((issue) => `  - ${formatConfigIssue(issue)}`);
  return [`invalid flexwatch configuration (${count}${source}):`, ...lines].join("\n");
}

function showValue(value: unknown): string {
  if (value === REDACTED) return REDACTED;

  const text = JSON.stringify(value) ?? String(value);
  if (text.length <= MAX_SHOWN_VALUE_LENGTH) return text;
  return `${text.slice(0, MAX_SHOWN_VALUE_LENGTH - 1)}…`;
}
