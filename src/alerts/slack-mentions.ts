// User ids start with U or W (Enterprise Grid), user group ids with S.
const USER_ID_PATTERN = /^[UW][A-Z0-9]{2,}$/;
const GROUP_ID_PATTERN = /^S[A-Z0-9]{2,}$/;

/** More mentions than this are dropped, so a message stays well inside Slack's text limits. */
const MAX_MENTIONS = 20;

/**
 * Formats user (`U…`, `W…`) and user group (`S…`) ids as Slack mentions (`<@U…>`,
 * `<!subteam^S…>`), separated by spaces. Anything else is skipped, so a config value can never
 * become `<!channel>` or a link.
 */
export function formatMentions(ids: readonly string[]): string {
  const mentions: string[] = [];
  for (const id of new Set(ids)) {
    if (USER_ID_PATTERN.test(id)) mentions.push(`<@${id}>`);
    else if (GROUP_ID_PATTERN.test(id)) mentions.push(`<!subteam^${id}>`);
  }
  return mentions.slice(0, MAX_MENTIONS).join(" ");
}
