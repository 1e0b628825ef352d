import { spawn } from "node:child_process";
import { ensureRedis } from "./local-redis.ts";

/**
 * Runs the test files given as arguments with node:test against a real Redis (see
 * `ensureRedis`), and fails when no file was given or no test ran: a test run that finds
 * nothing must not pass.
 */
async function main(files: string[]): Promise<number> {
  const existing = files.filter((file) => !file.includes("*"));
  if (existing.length === 0) {
    process.stderr.write("run-tests: no test files matched; expected test/<concern>/*.test.ts\n");
    return 1;
  }

  const redis = await ensureRedis();
  process.stderr.write(
    `run-tests: using Redis at ${redis.url}${redis.started ? " (started for this run)" : ""}\n`,
  );
  try {
    const { code, output } = await runNodeTest(existing, redis.url);
    const ran = /^# tests (\d+)$/m.exec(output);
    if (ran === null || Number(ran[1]) === 0) {
      process.stderr.write("run-tests: the runner reported no tests; failing the run\n");
      return 1;
    }
    return code;
  } finally {
    redis.stop();
  }
}

function runNodeTest(files: string[], redisUrl: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--test", "--test-reporter=tap", ...files],
      {
        env: { ...process.env, REDIS_URL: redisUrl },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk);
    });
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
