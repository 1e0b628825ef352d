import { accept, type Rule, type RuleIssue, reject, withDefault } from "./config-rules.ts";

/** Slack channel names: lowercase letters, digits, `-` and `_`, at most 80 characters. */
const CHANNEL_NAME_PATTERN = /^#[\p{Ll}\p{Lo}\p{N}_-]{1,80}$/u;
/** Public (`C…`) and private (`G…`) channel ids. */
const CHANNEL_ID_PATTERN = /^[CG][A-Z0-9]{2,}$/;
/** User (`U…`, `W…` on Enterprise Grid) and user group (`S…`) ids. */
const MENTION_ID_PATTERN = /^[USW][A-Z0-9]{2,}$/;

/** The usual fix for a channel value. */
export const SLACK_CHANNEL_FIX =
  'write a channel name or id, e.g. channel: "#atlas-restores" (quoted, because YAML reads # as a comment) or channel: C0123456789';

const MENTION_FIX =
  'write the bare id, e.g. U024BE7LH, copied with "Copy member ID" from the profile, or the user group id (S…)';

/** A Slack channel: `#name` or a channel id (`C…` or `G…`). */
export const slackChannel: Rule<string> = (value) => {
  if (value === undefined) return reject("is missing", SLACK_CHANNEL_FIX);
  if (typeof value !== "string" || value === "") {
    return reject("must be a channel name or id", SLACK_CHANNEL_FIX);
  }
  if (CHANNEL_NAME_PATTERN.test(value) || CHANNEL_ID_PATTERN.test(value)) return accept(value);

  const message = value.startsWith("#")
    ? "must be # followed by at most 80 lowercase letters, digits, - or _"
    : "must be a channel name starting with # or a channel id starting with C or G";
  return reject(message, SLACK_CHANNEL_FIX);
};

/** User and user group ids to mention; missing means none. Issues point at the index. */
export const mentionList: Rule<string[]> = withDefault((value) => {
  if (!Array.isArray(value)) {
    return reject("must be a list of Slack user or user group ids", `${MENTION_FIX}, in a list`);
  }

  const issues: RuleIssue[] = value.flatMap((id: unknown, index) =>
    typeof id === "string" && MENTION_ID_PATTERN.test(id)
      ? []
      : [
          {
            message: "must be a Slack user id (U… or W…) or user group id (S…)",
            fix: MENTION_FIX,
            path: [index],
          },
        ],
  );
  return issues.length === 0 ? accept([...value] as string[]) : { ok: false, issues };
}, []);

/**
 * Builds a rule for an http or https URL without a user name or password, which would end up
 * in every Slack message. `originOnly` also rejects a path, query or fragment and returns the
 * origin, so links can be built by appending a path.
 */
export function httpUrl(options: { originOnly: boolean; example: string }): Rule<string> {
  const fix = `write an http or https URL such as ${options.example}`;

  return (value) => {
    if (value === undefined) return reject("is missing", fix);
    const url = typeof value === "string" ? parseHttpUrl(value) : undefined;

    if (url === undefined) return reject("must be an http or https URL", fix);
    if (url.username !== "" || url.password !== "") {
      return reject("must not contain a user name or password", fix);
    }
    if (!options.originOnly) return accept(url.href);
    if (url.pathname !== "/" || url.search !== "" || url.hash !== "") {
      return reject("must not have a path, query or fragment", fix);
    }
    return accept(url.origin);
  };
}

function parseHttpUrl(text: string): URL | undefined {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:" ? url : undefined;
  } catch {
    return undefined;
  }
}
