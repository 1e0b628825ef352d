import type { Config } from "./config.ts";
import { ConfigError, type ConfigIssue } from "./config-error.ts";

/**
 * Checks what `run` and `once` need beyond a valid config: Atlas credentials, and a Slack bot
 * token unless Slack is turned off. `check-config` uses it too, so it fails where they would.
 *
 * @throws ConfigError naming the environment variables to set.
 */
export function assertRunnable(config: Config): void {
  const issues: ConfigIssue[] = [];

  if (config.atlas.credentials.kind === "none") {
    issues.push({
      path: "Atlas credentials",
      value: undefined,
      message: "are not set",
      fix:
        "set MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET (a service account, preferred), " +
        "or MONGODB_ATLAS_PUBLIC_API_KEY and MONGODB_ATLAS_PRIVATE_API_KEY (a programmatic API key)",
    });
  }
  if (config.slack.enabled && config.slack.token === undefined) {
    issues.push({
      path: "SLACK_BOT_TOKEN",
      value: undefined,
      message: "is not set while Slack is enabled",
      fix: "set it to a bot token with the chat:write scope, or turn Slack off with slack: {enabled: false} in the config file",
    });
  }

  if (issues.length > 0) throw new ConfigError(issues);
}
