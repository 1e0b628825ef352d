#!/usr/bin/env node
import { parseArgs } from "node:util";
import { ConfigError } from "../config/config-error.ts";
import { assertRunnable, loadConfig, resolveConfigPath } from "../config/load-config.ts";
import { redactConfig } from "../config/redact-config.ts";
import { EXIT_CODES } from "./exit-codes.ts";
import { runOnce } from "./once-command.ts";
import { runWorker } from "./run-command.ts";
import { runTestAlert } from "./test-alert-command.ts";

const SECOND_MS = 1000;
const DEFAULT_ONCE_TIMEOUT_S = 300;

const USAGE = `Usage: flexwatch <command> [options]

Watches MongoDB Atlas flex cluster restore jobs and alerts on Slack when one fails or expires.

Commands:
  run             run the worker: cron scheduler, queue workers, /metrics on METRICS_PORT
  once            run one sweep now, wait for its polls and alerts, print a summary
  check-config    validate the config file and environment, print the resolved config
  test-alert      post a message labelled as a test to Slack, to check the token and channel

Options:
  --config PATH   config file (default: $FLEXWATCH_CONFIG, then ./flexwatch.yaml)
  --json          once: print the summary as JSON
  --timeout SEC   once: seconds to wait for polls and alerts (default ${DEFAULT_ONCE_TIMEOUT_S})
  --channel C     test-alert: channel name or id to post to (default: slack.channel)
  -h, --help      show this help

Exit codes: 0 success; 1 a poll failed or an alert was not delivered (once), Slack rejected
the test alert (test-alert), or start-up failed; 2 invalid config.
`;

/** Parses the command line, runs the command and returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (err) {
    process.stderr.write(`flexwatch: ${(err as Error).message}\n\n${USAGE}`);
    return EXIT_CODES.invalidConfig;
  }
  const { command, values } = parsed;
  if (values.help || command === undefined) {
    process.stdout.write(USAGE);
    return command === undefined && !values.help ? EXIT_CODES.invalidConfig : EXIT_CODES.ok;
  }

  try {
    return await runCommand(command, values);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`flexwatch: ${err.message}\n`);
      return EXIT_CODES.invalidConfig;
    }
    process.stderr.write(`flexwatch: ${(err as Error).message}\n`);
    return EXIT_CODES.failed;
  }
}

function parseCommandLine(argv: string[]) {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: "string" },
      json: { type: "boolean", default: false },
      timeout: { type: "string" },
      channel: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (positionals.length > 1) throw new Error(`unexpected argument "${positionals[1]}"`);

  return { command: positionals[0], values };
}

async function runCommand(
  command: string,
  values: ReturnType<typeof parseCommandLine>["values"],
): Promise<number> {
  if (!["run", "once", "check-config", "test-alert"].includes(command)) {
    process.stderr.write(`flexwatch: unknown command "${command}"\n\n${USAGE}`);
    return EXIT_CODES.invalidConfig;
  }
  const path = resolveConfigPath(values.config);
  const config = await loadConfig({ path });

  if (command === "check-config") {
    assertRunnable(config);
    process.stdout.write(`${JSON.stringify(redactConfig(config), null, 2)}\n`);
    process.stderr.write(`flexwatch: ${path} is valid\n`);
    return EXIT_CODES.ok;
  }
  if (command === "test-alert") return runTestAlert(config, { channel: values.channel });
  assertRunnable(config);
  if (command === "run") return runWorker(config);

  return runOnce(config, {
    json: values.json,
    timeoutMs: parseTimeoutSeconds(values.timeout) * SECOND_MS,
  });
}

function parseTimeoutSeconds(value: string | undefined): number {
  if (value === undefined) return DEFAULT_ONCE_TIMEOUT_S;

  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds <= 0) {
    throw new ConfigError([
      {
        path: "--timeout",
        value,
        message: "must be a whole number of seconds above 0",
        fix: "for example --timeout 120",
      },
    ]);
  }
  return seconds;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`flexwatch: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = EXIT_CODES.failed;
  },
);
