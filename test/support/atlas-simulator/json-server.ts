import { createServer, type IncomingMessage, type Server } from "node:http";
import { atlasError } from "./atlas-error-response.ts";
import type { SimulatedResponse } from "./simulator-types.ts";

/**
 * Creates an HTTP server that sends what `handle` returns as JSON, destroys the socket when it
 * returns undefined, and answers an exception with an Atlas 500 UNEXPECTED_ERROR.
 */
export function createJsonServer(
  handle: (req: IncomingMessage) => Promise<SimulatedResponse | undefined>,
): Server {
  return createServer((req, res) => {
    handle(req)
      .then((response) => {
        if (response === undefined) return res.socket?.destroy();
        res.writeHead(response.status, { "Content-Type": "application/json", ...response.headers });
        res.end(response.body === undefined ? undefined : JSON.stringify(response.body));
      })
      .catch((err: unknown) => {
        res.writeHead(500, { "Content-Type": "application/json" });
        res.end(JSON.stringify(atlasError(500, "UNEXPECTED_ERROR", String(err)).body));
      });
  });
}
