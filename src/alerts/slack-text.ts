const ELLIPSIS = "…";

/**
 * Escapes text for Slack mrkdwn, so that a value from the Atlas API cannot turn into a mention
 * (`<!channel>`), a user or channel link, or a hyperlink (`<http://x|y>`). Slack's formatting
 * reference names `&`, `<` and `>` as the only characters to escape.
 */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/**
 * Shortens `text` to at most `maxChars` characters (Unicode code points), ending it with `…`
 * when it was cut. A cut never splits a surrogate pair or an `&amp;`-style entity.
 */
export function truncateText(text: string, maxChars: number): string {
  const chars = Array.from(text);
  if (chars.length <= maxChars) return text;

  const head = chars
    .slice(0, Math.max(0, maxChars - 1))
    .join("")
    .replace(/&[a-z]*$/, "");
  return `${head}${ELLIPSIS}`;
}

/**
 * Formats an ISO-8601 date-time as `2026-08-10 03:03:29 UTC`. Returns the input unchanged when
 * it is not a valid date, so that an odd value from the API is still shown.
 */
export function formatUtc(isoDateTime: string): string {
  const date = new Date(isoDateTime);
  if (Number.isNaN(date.getTime())) return isoDateTime;

  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}
