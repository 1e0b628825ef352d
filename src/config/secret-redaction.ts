/** Printed in place of a secret value. */
export const REDACTED = "[redacted]";

/** Printed in place of a secret that is not set. */
export const NOT_SET = "[not set]";

/** Key names, lowercased without `-` and `_`, that mark a value as a credential. */
const SECRET_KEY_PATTERN =
  /token|secret|passw(or)?d|privatekey|privateapikey|apikey|credential|webhook/;

/**
 * Slack tokens (`xoxb-`, `xoxp-`, `xapp-`, …) and Atlas service-account secrets
 * (`mdb_sa_sk_`), recognised by their documented prefixes.
 */
const SECRET_VALUE_PATTERN = /^(xox[a-z]-|xapp-|mdb_sa_sk_)/i;

/** Returns true when a key name (in any casing or separator style) names a credential. */
export function isSecretKeyName(name: string): boolean {
  return SECRET_KEY_PATTERN.test(name.toLowerCase().replace(/[-_]/g, ""));
}

/**
 * Replaces the password of a URL's user-info part with `[redacted]`. Text that is not a URL
 * but has user-info before an `@` is masked the same way, so a malformed URL in an error
 * message does not leak its password either.
 */
export function redactUrlPassword(text: string): string {
  try {
    const url = new URL(text);
    if (url.password === "") return text;
    url.password = "REDACTED";
    return url.toString().replace(":REDACTED@", `:${REDACTED}@`);
  } catch {
    return text.replace(/^([^:/]+:\/\/[^:@/]*):.*@/, `$1:${REDACTED}@`);
  }
}

/**
 * Returns a copy of a value from a config file or the environment that is safe to print:
 * values under credential-named keys, strings that look like tokens and URL passwords are
 * replaced by `[redacted]`.
 */
export function redactSecrets(value: unknown): unknown {
  if (typeof value === "string") {
    if (SECRET_VALUE_PATTERN.test(value.trim())) return REDACTED;
    return value.includes("@") ? redactUrlPassword(value) : value;
  }
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value !== null && typeof value === "object") {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      copy[key] = isSecretKeyName(key) ? REDACTED : redactSecrets(item);
    }
    return copy;
  }
  return value;
}
