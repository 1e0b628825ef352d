import type { IncomingMessage } from "node:http";

type Body = Record<string, unknown>;

/** Stands for a body or a field whose JSON could not be parsed. */
export const INVALID_JSON = Symbol("invalid JSON");

const JSON_FIELDS = ["blocks", "attachments", "metadata"];
// Limits from Slack's Block Kit and chat.postMessage reference pages.
const MAX_TEXT_CHARS = 40_000;
const MAX_BLOCKS = 50;
const MAX_HEADER_CHARS = 150;
const MAX_SECTION_TEXT_CHARS = 3000;
const MAX_FIELD_CHARS = 2000;
const MAX_FIELDS = 10;

/** Reads a form-encoded or JSON body, as @slack/web-api 8 sends form bodies by default. */
export async function readSlackRequestBody(
  request: IncomingMessage,
): Promise<Body | typeof INVALID_JSON> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString("utf8");
  if (raw === "") return {};
  if ((request.headers["content-type"] ?? "").startsWith("application/json")) {
    try {
      return JSON.parse(raw) as Body;
    } catch {
      return INVALID_JSON;
    }
  }
  const body: Body = Object.fromEntries(new URLSearchParams(raw));
  // Form bodies carry objects as JSON strings, so decode them the way Slack does.
  for (const field of JSON_FIELDS) {
    if (typeof body[field] !== "string") continue;
    try {
      body[field] = JSON.parse(body[field] as string);
    } catch {
      body[field] = INVALID_JSON;
    }
  }
  return body;
}

/** Returns the Slack error for message content Slack would reject, or undefined. */
export function findContentError(body: Body): string | undefined {
  if (body.blocks === INVALID_JSON) return "invalid_blocks_format";
  if (body.metadata === INVALID_JSON) return "invalid_metadata_format";
  const text = typeof body.text === "string" ? body.text : "";
  if (text === "" && body.blocks === undefined) return "no_text";
  if (text.length > MAX_TEXT_CHARS) return "msg_too_long";
  if (body.blocks !== undefined && !blocksWithinLimits(body.blocks)) return "invalid_blocks";
  const metadata = body.metadata as { event_type?: unknown } | undefined;
  if (metadata !== undefined && typeof metadata?.event_type !== "string") {
    return "invalid_metadata_format";
  }
  return undefined;
}

type BlockShape = { type?: unknown; text?: { text?: unknown }; fields?: { text?: unknown }[] };

function blocksWithinLimits(value: unknown): boolean {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_BLOCKS) return false;
  const blocks = value as (BlockShape | null)[];
  const textLength = (object: { text?: unknown } | undefined) => String(object?.text ?? "").length;
  return blocks.every((block) => {
    if (block?.type === "header") return textLength(block.text) <= MAX_HEADER_CHARS;
    if (block?.type !== "section") return typeof block?.type === "string";
    const fields = block.fields ?? [];
    return (
      textLength(block.text) <= MAX_SECTION_TEXT_CHARS &&
      fields.length <= MAX_FIELDS &&
      fields.every((field) => textLength(field) <= MAX_FIELD_CHARS)
    );
  });
}
