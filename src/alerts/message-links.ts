import { escapeMrkdwn } from "./slack-text.ts";

/** Origin of the Atlas UI when the config names none. */
export const DEFAULT_ATLAS_UI_BASE_URL = "https://cloud.mongodb.com";

const PROJECT_ID_PATTERN = /^[a-f0-9]{24}$/;
// A `|` or `>` would end Slack's `<url|label>` link early, and whitespace is not part of a URL.
const UNSAFE_LINK_CHARACTERS = /[|<>\s]/;
// Longer URLs are not linked, so the links line always fits in its section.
const MAX_URL_CHARS = 1000;

/** Targets of the links in a restore alert. */
export interface MessageLinkOptions {
  /** Origin of the Atlas UI. @defaultValue "https://cloud.mongodb.com" */
  atlasUiBaseUrl?: string;
  /** The team's runbook for restore alerts; no link when undefined. */
  runbookUrl?: string;
}

/**
 * Returns the mrkdwn line of links of a restore alert: the Atlas project's clusters and the
 * runbook. Empty when neither can be linked safely.
 */
export function alertLinksLine(projectId: string, options: MessageLinkOptions): string {
  const links: string[] = [];
  const atlasUrl = projectClustersUrl(projectId, options.atlasUiBaseUrl);
  // NOTE: Atlas documents no URL for a flex cluster's backup page, so the link opens the
  // project's cluster list, and the reader picks the cluster's Backup tab from there.
  if (atlasUrl !== undefined)
    links.push(slackLink(atlasUrl, "Open the project's clusters in Atlas"));
  if (options.runbookUrl !== undefined && isLinkable(options.runbookUrl)) {
    links.push(slackLink(options.runbookUrl, "Runbook"));
  }
  return links.join(" · ");
}

function projectClustersUrl(projectId: string, baseUrl?: string): string | undefined {
  // The id goes into a link, so anything but a well-formed project id gets no link at all.
  if (!PROJECT_ID_PATTERN.test(projectId)) return undefined;

  const origin = (baseUrl ?? DEFAULT_ATLAS_UI_BASE_URL).replace(/\/+$/, "");
  const url = `${origin}/v2/${projectId}#/clusters`;
  return isLinkable(url) ? url : undefined;
}

function isLinkable(url: string): boolean {
  return (
    /^https?:\/\//.test(url) && url.length <= MAX_URL_CHARS && !UNSAFE_LINK_CHARACTERS.test(url)
  );
}

function slackLink(url: string, label: string): string {
  return `<${escapeMrkdwn(url)}|${label}>`;
}
