import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import {
  BOT_USER_ID,
  ok,
  type Reply,
  type SlackMockMessage,
  SlackMockWorkspace,
  slackError,
} from "./slack-mock-methods.ts";
import { INVALID_JSON, readSlackRequestBody } from "./slack-mock-request.ts";

export type { SlackMockMessage } from "./slack-mock-methods.ts";

/** Bot token the mock accepts unless `startSlackMock` is given another one. */
export const DEFAULT_SLACK_MOCK_TOKEN = "xoxb-test-token";

/**
 * Fault served on the next call of a method instead of success: an HTTP error status (429 sends
 * `Retry-After`), a Slack error body, or a delay before the normal response. `acceptThenFail`
 * performs the call (a posted message is stored) and then responds with 500, drops the
 * connection, or waits `delayMs` before the normal response. That is how Slack can accept a
 * message while the client never gets the response.
 */
export type SlackMockFault =
  | { status: number; retryAfterSeconds?: number }
  | { ok: false; error: string }
  | { delayMs: number }
  | { acceptThenFail: true; response?: "http-500" | "drop-connection"; delayMs?: number };

/** One request the mock received; `body` is decoded, JSON fields parsed, `token` removed. */
export interface SlackMockCall {
  method: string;
  body: Record<string, unknown>;
  at: string;
  /** True when the call arrived during an outage and got its error status. */
  duringOutage?: boolean;
}

export interface SlackMock {
  /** Base URL for `WebClient`'s `slackApiUrl`; it ends with `/`. */
  url: string;
  token: string;
  calls: SlackMockCall[];
  /** Top-level messages of every channel, in the order they were posted. */
  messages: SlackMockMessage[];
  /** Thread replies (messages posted with `thread_ts`), in the order they were posted. */
  replies: SlackMockMessage[];
  /** Returns the id of the channel called `name` (with or without `#`), creating it if needed. */
  channelId(name: string): string;
  /** Makes the next `times` calls of `method` fail with `fault`. */
  failNext(method: string, fault: SlackMockFault, times?: number): void;
  /** Fails every API call with HTTP `status` (Slack is down) until called with null. */
  setOutage(status: number | null): void;
  /** Forgets calls, messages and replies, keeping channels, faults and the outage. */
  reset(): void;
  close(): Promise<void>;
}

/**
 * Starts a Slack Web API stand-in on 127.0.0.1 serving `chat.postMessage`, `chat.update`,
 * `auth.test`, `conversations.history`, `conversations.replies` and `conversations.list` under
 * `/api/`, plus `GET /__mock/messages`, `GET /__mock/calls` and `POST /__mock/fail-next` for
 * tests in another process. Channel names are created on first use; an unknown channel id is
 * `channel_not_found`.
 */
export async function startSlackMock(
  options: { port?: number; token?: string } = {},
): Promise<SlackMock> {
  const mock = new SlackMockServer(options.token ?? DEFAULT_SLACK_MOCK_TOKEN);
  await mock.listen(options.port ?? 0);
  return mock;
}

class SlackMockServer implements SlackMock {
  url = "";
  readonly token: string;
  readonly calls: SlackMockCall[] = [];
  readonly #workspace = new SlackMockWorkspace();
  readonly #server: Server;
  readonly #faults = new Map<string, SlackMockFault[]>();
  #outageStatus: number | null = null;

  constructor(token: string) {
    this.token = token;
    this.#server = createServer((request, response) => {
      this.#handle(request, response).catch((err: unknown) => {
        response.destroy(err instanceof Error ? err : new Error(String(err)));
      });
    });
  }

  get messages(): SlackMockMessage[] {
    return this.#workspace.messages;
  }

  get replies(): SlackMockMessage[] {
    return this.#workspace.replies;
  }

  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once("error", reject);
      this.#server.listen(port, "127.0.0.1", resolve);
    });
    const address = this.#server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${address.port}/api/`;
  }

  channelId(name: string): string {
    return this.#workspace.channelId(name);
  }

  failNext(method: string, fault: SlackMockFault, times = 1): void {
    const queue = this.#faults.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push(fault);
    this.#faults.set(method, queue);
  }

  setOutage(status: number | null): void {
    this.#outageStatus = status;
  }

  reset(): void {
    this.calls.length = 0;
    this.messages.length = 0;
    this.replies.length = 0;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    const body = await readSlackRequestBody(request);
    if (body === INVALID_JSON) return send(response, slackError("invalid_json"));
    if (path.startsWith("/__mock/")) {
      return send(response, this.#control(request.method ?? "GET", path, body));
    }
    const method = path.replace(/^\/api\//, "");
    const { token, ...recorded } = body;
    const call: SlackMockCall = { method, body: recorded, at: new Date().toISOString() };
    this.calls.push(call);
    if (this.#outageStatus !== null) {
      call.duringOutage = true;
      return send(response, faultReply({ status: this.#outageStatus }));
    }

    const fault = this.#faults.get(method)?.shift();
    if (fault !== undefined && !("acceptThenFail" in fault) && !("delayMs" in fault)) {
      return send(response, faultReply(fault));
    }
    if (fault !== undefined && !("acceptThenFail" in fault)) await sleep(fault.delayMs);
    const reply = this.#authorize(request, token) ?? this.#call(method, recorded);
    if (fault === undefined || !("acceptThenFail" in fault)) return send(response, reply);

    if (fault.delayMs !== undefined) {
      await sleep(fault.delayMs);
      return send(response, reply);
    }
    if (fault.response === "drop-connection") return void response.destroy();
    return send(response, { status: 500, body: { ok: false, error: "internal_error" } });
  }

  #control(httpMethod: string, path: string, body: Record<string, unknown>): Reply {
    if (httpMethod === "GET" && path === "/__mock/messages") {
      return ok({ messages: this.messages, replies: this.replies });
    }
    if (httpMethod === "GET" && path === "/__mock/calls") return ok({ calls: this.calls });
    if (httpMethod === "POST" && path === "/__mock/fail-next") {
      this.failNext(String(body.method), body.fault as SlackMockFault, Number(body.times ?? 1));
      return ok();
    }
    return { status: 404, body: { ok: false, error: "unknown_mock_path" } };
  }

  #authorize(request: IncomingMessage, bodyToken: unknown): Reply | undefined {
    const header = request.headers.authorization;
    const token = header?.startsWith("Bearer ") ? header.slice("Bearer ".length) : bodyToken;
    if (token === undefined || token === "") return slackError("not_authed");
    return token === this.token ? undefined : slackError("invalid_auth");
  }

  #call(method: string, body: Record<string, unknown>): Reply {
    const workspace = this.#workspace;
    switch (method) {
      case "auth.test":
        return ok({
          url: this.url.replace(/api\/$/, ""),
          team: "flexwatch-test",
          user: "flexwatch",
          team_id: "T0FLEXTEST",
          user_id: BOT_USER_ID,
          bot_id: "B0FLEXBOT",
        });
      case "chat.postMessage":
        return workspace.postMessage(body);
      case "chat.update":
        return workspace.update(body);
      case "conversations.history":
        return workspace.history(body);
      case "conversations.replies":
        return workspace.threadReplies(body);
      case "conversations.list":
        return workspace.listChannels(body);
      default:
        return { status: 404, body: { ok: false, error: "unknown_method", req_method: method } };
    }
  }
}

function faultReply(fault: { status: number; retryAfterSeconds?: number } | Reply["body"]): Reply {
  if ("ok" in fault) return { status: 200, body: fault };
  const status = Number(fault.status);
  if (status !== 429) return { status, body: { ok: false, error: "internal_error" } };
  const headers: Record<string, string> = {};
  if (fault.retryAfterSeconds !== undefined) headers["retry-after"] = `${fault.retryAfterSeconds}`;
  return { status, body: { ok: false, error: "ratelimited" }, headers };
}

function send(response: ServerResponse, reply: Reply): void {
  const payload = JSON.stringify(reply.body);
  response.writeHead(reply.status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(payload),
    ...reply.headers,
  });
  response.end(payload);
}
