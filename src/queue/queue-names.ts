/** BullMQ queue names; with the prefix they form keys like `flexwatch:{bullmq}:poll:wait`. */
export const QUEUE_NAMES = {
  sweep: "sweep",
  poll: "poll",
  alert: "alert",
  operatorAlert: "operator-alert",
} as const;

/**
 * Returns the BullMQ prefix for a flexwatch key prefix. The `{bullmq}` hash tag keeps every
 * queue key in one Redis Cluster slot, which BullMQ's Lua scripts require.
 */
export function bullmqPrefix(keyPrefix: string): string {
  return `${keyPrefix}:{bullmq}`;
}

/** Returns the sweep job id of a cron slot; replicas ticking on the same slot share it. */
export function cronSweepJobId(slotMs: number): string {
  return `sweep-${slotMs}`;
}

/**
 * Returns the poll job id of one cluster in one sweep. BullMQ job ids must not contain `:`;
 * project ids are hex and cluster names are `[a-zA-Z0-9-]`, so `-` joins them safely.
 */
export function pollJobId(projectId: string, cluster: string, sweepId: string): string {
  return `poll-${projectId}-${cluster}-${sweepId.replace(/^sweep-/, "")}`;
}
