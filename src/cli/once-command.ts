import type { Config } from "../config/config.ts";
import { createLogger } from "../logger.ts";
import { SweepWaiter } from "../queue/sweep-waiter.ts";
import { EXIT_CODES } from "./exit-codes.ts";
import { formatSummaryTable } from "./once-summary.ts";
import { openRuntime } from "./runtime.ts";

export interface OnceOptions {
  json: boolean;
  /** How long to wait for the sweep, its polls and their alerts. */
  timeoutMs: number;
}

/**
 * Runs one sweep through the same queues and workers as `run`, waits for its polls and their
 * alerts, and prints a summary. The sweep gets an id of its own, so every `once` polls.
 */
export async function runOnce(config: Config, options: OnceOptions): Promise<number> {
  // The summary owns stdout, so `once --json | jq` works; log lines go to stderr.
  const runtime = await openRuntime(config, createLogger(config.logLevel, "stderr"));
  const waiter = new SweepWaiter(runtime.redis, config.redis.keyPrefix, runtime.pipeline.queues);

  try {
    await waiter.ready();
    runtime.pipeline.startWorkers();
    const summary = await waiter.sweepAndWait(Date.now() + options.timeoutMs);
    process.stdout.write(
      options.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummaryTable(summary),
    );
    return summary.ok ? EXIT_CODES.ok : EXIT_CODES.failed;
  } finally {
    await waiter.close();
    await runtime.close();
  }
}
