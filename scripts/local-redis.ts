import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";
const STARTUP_TIMEOUT_MS = 10_000;

/** A Redis the demo or the tests can use, and how to let go of it. */
export interface LocalRedis {
  url: string;
  /** True when this process started the server (it is then stopped by `stop`). */
  started: boolean;
  stop(): void;
}

/**
 * Returns the Redis at `REDIS_URL` when set, else the one that responds on 127.0.0.1:6379, else a
 * `redis-server` from the PATH started on a free loopback port for this process's lifetime.
 */
export async function ensureRedis(env = process.env): Promise<LocalRedis> {
  if (env.REDIS_URL) return { url: env.REDIS_URL, started: false, stop: () => {} };
  if (await answersPing("127.0.0.1", 6379))
    return { url: DEFAULT_REDIS_URL, started: false, stop: () => {} };

  if (spawnSync("redis-server", ["--version"]).error) {
    throw new Error(
      "no Redis responds on 127.0.0.1:6379 and redis-server is not on the PATH; install it (Debian/Ubuntu: apt-get install redis-server, macOS: brew install redis) or set REDIS_URL",
    );
  }
  return startRedisServer();
}

async function startRedisServer(): Promise<LocalRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "flexwatch-redis-"));
  const child: ChildProcess = spawn(
    "redis-server",
    [
      "--bind",
      "127.0.0.1",
      "--port",
      String(port),
      "--save",
      "",
      "--appendonly",
      "no",
      "--dir",
      dir,
      "--maxmemory-policy",
      "noeviction",
    ],
    { stdio: "ignore" },
  );
  const stop = () => {
    child.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", stop);

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (!(await answersPing("127.0.0.1", port))) {
    if (Date.now() > deadline || child.exitCode !== null) {
      stop();
      throw new Error(
        `redis-server did not start on 127.0.0.1:${port} within ${STARTUP_TIMEOUT_MS} ms`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url: `redis://127.0.0.1:${port}`, started: true, stop };
}

/** Sends an inline PING and resolves true on a +PONG reply. */
function answersPing(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => done(data.toString().startsWith("+PONG")));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
