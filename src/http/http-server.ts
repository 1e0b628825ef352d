import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Registry } from "prom-client";
import type { Logger } from "../logger.ts";

export interface HttpServerOptions {
  host: string;
  port: number;
  registry: Registry;
  /** Resolves true when the worker can do its job (Redis reachable, workers running). */
  isReady: () => Promise<boolean>;
  logger: Logger;
}

/** A running metrics and health server. */
export interface RunningHttpServer {
  /** The bound port, which differs from the requested one when that was 0. */
  port: number;
  close(): Promise<void>;
}

/** Starts the HTTP server of `/metrics`, `/healthz` (liveness) and `/readyz` (readiness). */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const server = createServer((request, response) => {
    handleRequest(options, request, response).catch((err: unknown) => {
      options.logger.error({ err, path: request.url }, "http request failed");
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  await listen(server, options.host, options.port);
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : options.port;
  options.logger.info({ host: options.host, port }, "http server listening");

  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function handleRequest(
  options: HttpServerOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const path = new URL(request.url ?? "/", "http://localhost").pathname;
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.writeHead(405, { allow: "GET, HEAD" }).end();
    return;
  }

  if (path === "/metrics") {
    const body = await options.registry.metrics();
    response.writeHead(200, { "content-type": options.registry.contentType }).end(body);
  } else if (path === "/healthz") {
    response.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
  } else if (path === "/readyz") {
    const ready = await options.isReady().catch(() => false);
    response.writeHead(ready ? 200 : 503, { "content-type": "text/plain" });
    response.end(ready ? "ready\n" : "not ready\n");
  } else {
    response.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
  }
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
