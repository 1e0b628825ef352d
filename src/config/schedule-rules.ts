import { type CronFieldError, validateDetailed } from "node-cron";
import { accept, type Rule, type RuleIssue, reject, withDefault } from "./config-rules.ts";

const CRON_FIX =
  'write 5 fields (minute hour day-of-month month day-of-week) or 6 with a leading seconds field, e.g. "*/5 * * * *"';

const CRON_FIELD_NAMES: Readonly<Record<string, string>> = {
  second: "seconds",
  minute: "minute",
  hour: "hour",
  dayOfMonth: "day-of-month",
  month: "month",
  dayOfWeek: "day-of-week",
};

/** Checks a node-cron expression. Every field error that node-cron finds becomes its own issue. */
export const cronExpression: Rule<string> = (value) => {
  if (value === undefined) return reject("is missing", CRON_FIX);
  if (typeof value !== "string") return reject("must be a cron expression in quotes", CRON_FIX);

  const expression = value.trim();
  const result = validateDetailed(expression);
  if (result.valid) return accept(expression);

  const issues: RuleIssue[] = result.errors.map((error) => ({
    message: describeCronError(error),
    fix: CRON_FIX,
  }));
  return { ok: false, issues };
};

/** Builds a rule for an IANA time zone name that this Node.js build supports, e.g. `Europe/Berlin`. */
export function timeZone(defaultValue: string): Rule<string> {
  const fix = `write an IANA time zone name such as "UTC" or "Europe/Berlin", or remove the key to use the default "${defaultValue}"`;

  return withDefault((value) => {
    if (typeof value !== "string" || value === "") return reject("must be a time zone name", fix);
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: value });
    } catch {
      return reject("unknown time zone", fix);
    }
    return accept(value);
  }, defaultValue);
}

function describeCronError(error: CronFieldError): string {
  // node-cron 4 words its messages "61 is a invalid expression for minute".
  const detail = error.message.replace(/\ba invalid\b/, "an invalid");
  const field = CRON_FIELD_NAMES[error.field];
  return field === undefined ? detail : `${field} field: ${detail}`;
}
