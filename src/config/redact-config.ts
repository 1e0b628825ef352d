import type { AtlasCredentials, Config } from "./config.ts";
import { NOT_SET, REDACTED, redactUrlPassword } from "./secret-redaction.ts";

/**
 * Returns a plain, unfrozen copy of `config` that is safe to print: the Atlas client secret or
 * private API key, the Slack bot token and the `REDIS_URL` password are `"[redacted]"`, or
 * `"[not set]"` where unset. Routes, silences and the other settings contain no secret and
 * are copied as they are. `parseConfig` rejects a password in `slack.runbookUrl`, but one set
 * by other means is redacted too. The client id and public API key stay readable, because Atlas
 * shows them in its UI to identify the credential and they grant nothing on their own.
 */
export function redactConfig(config: Config): unknown {
  const copy = structuredClone(config) as Omit<Config, "atlas" | "slack"> & {
    atlas: Omit<Config["atlas"], "credentials"> & { credentials: Record<string, string> };
    slack: Omit<Config["slack"], "token"> & { token: string };
  };

  copy.atlas.credentials = redactCredentials(config.atlas.credentials);
  copy.slack.token = config.slack.token === undefined ? NOT_SET : REDACTED;
  copy.redis.url = redactUrlPassword(config.redis.url);
  if (config.slack.runbookUrl !== undefined) {
    copy.slack.runbookUrl = redactUrlPassword(config.slack.runbookUrl);
  }

  return copy;
}

function redactCredentials(credentials: AtlasCredentials): Record<string, string> {
  switch (credentials.kind) {
    case "service-account":
      return { kind: credentials.kind, clientId: credentials.clientId, clientSecret: REDACTED };
    case "api-key":
      return { kind: credentials.kind, publicKey: credentials.publicKey, privateKey: REDACTED };
    case "none":
      return { kind: credentials.kind, clientSecret: NOT_SET, privateKey: NOT_SET };
  }
}
