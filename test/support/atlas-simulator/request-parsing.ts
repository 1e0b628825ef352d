import type { IncomingMessage } from "node:http";

/** Reads the whole request body as a string. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

/** Parses an HTTP Basic `Authorization` header into the client id and secret. */
export function parseBasicAuthorization(
  header: string | undefined,
): { id: string; secret: string } | undefined {
  const encoded = /^Basic (\S+)$/.exec(header ?? "")?.[1];
  if (encoded === undefined) return undefined;
  const [id, secret] = Buffer.from(encoded, "base64").toString().split(":");
  if (id === undefined || secret === undefined) return undefined;
  return { id: decodeURIComponent(id), secret: decodeURIComponent(secret) };
}
