/** Exit codes of the `flexwatch` command, part of its public interface. */
export const EXIT_CODES = {
  ok: 0,
  /** `once`: at least one poll failed. `run`: start-up failed for a reason other than config. */
  failed: 1,
  /** The config file or the environment is invalid. */
  invalidConfig: 2,
} as const;
