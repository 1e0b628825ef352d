import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { LineCounter, parseDocument } from "yaml";
import type { Config } from "./config.ts";
import { CONFIG_DEFAULTS } from "./config-defaults.ts";
import { ConfigError } from "./config-error.ts";
import { parseConfig } from "./parse-config.ts";

export { assertRunnable } from "./assert-runnable.ts";

const POINT_TO_FILE = "pass --config PATH or set FLEXWATCH_CONFIG to the config file";

/**
 * Picks the config file: the `--config` flag, then `FLEXWATCH_CONFIG`, then
 * `./flexwatch.yaml`. Empty values count as unset.
 */
export function resolveConfigPath(cliPath?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (cliPath !== undefined && cliPath.trim() !== "") return cliPath;

  const fromEnv = env.FLEXWATCH_CONFIG?.trim();
  if (fromEnv) return fromEnv;

  return CONFIG_DEFAULTS.configPath;
}

/**
 * Reads the YAML config file at `path`, validates it, merges the environment (`env`, by
 * default `process.env`) and returns the deep-frozen `Config`.
 *
 * @throws ConfigError when the file cannot be read, is not valid YAML, or breaks any rule.
 * The error lists every issue of the file and the environment together.
 */
export async function loadConfig(options: {
  path: string;
  env?: NodeJS.ProcessEnv;
}): Promise<Config> {
  const file = resolve(options.path);
  const text = await readConfigFile(file);
  const document = parseYaml(text, file);

  if (document === null || document === undefined) {
    throw new ConfigError(
      [
        {
          path: file,
          value: undefined,
          message: "is empty",
          fix: "add at least projects: and schedule:, as in flexwatch.example.yaml",
        },
      ],
      { file },
    );
  }
  return parseConfig(document, options.env ?? process.env, { file });
}

async function readConfigFile(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === "ENOENT" ? "does not exist" : `cannot be read (${code ?? String(error)})`;
    const fix =
      code === "ENOENT" ? POINT_TO_FILE : `check the file and its permissions, or ${POINT_TO_FILE}`;
    throw new ConfigError([{ path: file, value: undefined, message, fix }], { file, cause: error });
  }
}

/** Parses YAML text and reports syntax errors with their line and column. */
function parseYaml(text: string, file: string): unknown {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });

  if (document.errors.length > 0) {
    const issues = document.errors.map((error) => {
      const { line, col } = lineCounter.linePos(error.pos[0]);
      return {
        path: `${file}:${line}:${col}`,
        value: undefined,
        message: `is not valid YAML: ${error.message}`,
        fix: `fix the YAML syntax at line ${line}, column ${col}`,
      };
    });
    throw new ConfigError(issues, { file });
  }

  let value: unknown;
  try {
    value = document.toJS();
  } catch (error) {
    // toJS rejects documents whose aliases expand too far ("billion laughs").
    throw aliasError(file, (error as Error).message, error);
  }
  // An anchor can be aliased inside its own value, which toJS turns into a cyclic object.
  if (containsCycle(value, new Set())) {
    throw aliasError(file, "an alias refers to a value that contains it");
  }
  return value;
}

function aliasError(file: string, reason: string, cause?: unknown): ConfigError {
  const issue = {
    path: file,
    value: undefined,
    message: `is not valid YAML: ${reason}`,
    fix: "write the values out instead of using aliases (*name)",
  };
  return new ConfigError([issue], { file, cause });
}

function containsCycle(value: unknown, ancestors: Set<object>): boolean {
  if (value === null || typeof value !== "object") return false;
  if (ancestors.has(value)) return true;

  ancestors.add(value);
  const found = Object.values(value).some((item) => containsCycle(item, ancestors));
  ancestors.delete(value);
  return found;
}
