import { collectDefaultMetrics } from "prom-client";
import type { Config } from "../config/config.ts";
import { startHttpServer } from "../http/http-server.ts";
import { registerStateCollectors } from "../metrics/state-collector.ts";
import { SweepScheduler } from "../queue/sweep-scheduler.ts";
import { EXIT_CODES } from "./exit-codes.ts";
import { openRuntime } from "./runtime.ts";

/**
 * Runs the long-lived worker: queue workers, the cron scheduler and the HTTP server. Resolves
 * with exit code 0 after SIGTERM or SIGINT, once running jobs have drained.
 */
export async function runWorker(config: Config): Promise<number> {
  const runtime = await openRuntime(config);
  const { logger, metrics, pipeline, redis } = runtime;
  collectDefaultMetrics({ register: metrics.registry, prefix: "flexwatch_" });
  registerStateCollectors(metrics.registry, pipeline.store, logger);

  pipeline.startWorkers();
  const http = await startHttpServer({
    host: config.metrics.host,
    port: config.metrics.port,
    registry: metrics.registry,
    isReady: async () => (await redis.ping()) === "PONG" && pipeline.workersRunning(),
    logger,
  });
  const scheduler = new SweepScheduler(pipeline.queues.sweep, config.schedule, logger);
  await scheduler.start();
  logger.info(
    {
      cron: config.schedule.cron,
      timezone: config.schedule.timezone,
      projects: config.projects.length,
    },
    "flexwatch started",
  );

  const signal = await waitForStopSignal();
  logger.info({ signal }, "stopping: draining running jobs");
  await scheduler.stop();
  await runtime.close();
  await http.close();
  logger.info("flexwatch stopped");

  return EXIT_CODES.ok;
}

function waitForStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off("SIGTERM", stop);
      process.off("SIGINT", stop);
      resolve(signal);
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
  });
}
