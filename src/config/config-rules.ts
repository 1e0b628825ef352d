import { isIP } from "node:net";
import { DURATION_FORMS, InvalidDurationError, parseDuration } from "./parse-duration.ts";

/** A broken rule, relative to the checked value. `path` points inside it, e.g. at a list index. */
export interface RuleIssue {
  message: string;
  fix: string;
  path?: (string | number)[];
}

export type RuleResult<T> = { ok: true; value: T } | { ok: false; issues: RuleIssue[] };

/**
 * Checks one value read from the config file and converts it to its `Config` form. A missing
 * key and an empty YAML value (`null`) both arrive as `undefined`.
 */
export type Rule<T> = (value: unknown) => RuleResult<T>;

export function accept<T>(value: T): RuleResult<T> {
  return { ok: true, value };
}

export function reject(message: string, fix: string): RuleResult<never> {
  return { ok: false, issues: [{ message, fix }] };
}

/** Makes a rule optional: a missing value is replaced by `defaultValue` and then checked. */
export function withDefault<T>(rule: Rule<T>, defaultValue: unknown): Rule<T> {
  return (value) => rule(value === undefined ? defaultValue : value);
}

/** Builds a rule for a string matching `pattern`. `message` describes the pattern and `fix` proposes a value. */
export function textMatching(pattern: RegExp, message: string, fix: string): Rule<string> {
  return (value) => {
    if (value === undefined) return reject("is missing", fix);
    if (typeof value !== "string") return reject(`${message}, written as text`, quotingFix(fix));
    if (!pattern.test(value)) return reject(message, fix);
    return accept(value);
  };
}

/** Builds a rule for a whole number within `range`, both ends included. */
export function integerIn(range: { min: number; max: number }, defaultValue: number): Rule<number> {
  const message = `must be a whole number from ${range.min} to ${range.max}`;
  const fix = `write a number in that range, or remove the key to use the default ${defaultValue}`;

  return withDefault((value) => {
    if (typeof value !== "number" || !Number.isInteger(value)) return reject(message, fix);
    if (value < range.min || value > range.max) return reject(message, fix);
    return accept(value);
  }, defaultValue);
}

export function booleanValue(defaultValue: boolean): Rule<boolean> {
  return withDefault((value) => {
    if (typeof value === "boolean") return accept(value);
    return reject("must be true or false", "write true or false without quotes");
  }, defaultValue);
}

/** Builds a rule for a duration string such as `"90s"`, converted to milliseconds. */
export function durationMs(defaultValue: string): Rule<number> {
  const fix = `write ${DURATION_FORMS}, or remove the key to use the default "${defaultValue}"`;

  return withDefault((value) => {
    if (typeof value === "number") return reject("a duration needs a unit", fix);
    if (typeof value !== "string") return reject("must be a duration", fix);
    try {
      return accept(parseDuration(value));
    } catch (error) {
      if (error instanceof InvalidDurationError) return reject(error.reason, fix);
      throw error;
    }
  }, defaultValue);
}

/** Builds a rule for an IP address or a DNS host name to bind a server to. */
export function hostAddress(defaultValue: string): Rule<string> {
  const hostName =
    /^(?=.{1,253}$)[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)*$/;
  const fix = `write an address such as "0.0.0.0", "::" or "127.0.0.1", or remove the key to use the default "${defaultValue}"`;

  return withDefault((value) => {
    if (typeof value !== "string") return reject("must be an IP address or a host name", fix);
    if (isIP(value) === 0 && !hostName.test(value)) {
      return reject("must be an IP address or a host name", fix);
    }
    return accept(value);
  }, defaultValue);
}

/** YAML reads unquoted values such as `123` or `true` as numbers or booleans, not text. */
function quotingFix(fix: string): string {
  return `${fix}; put the value in quotes so YAML reads it as text`;
}
