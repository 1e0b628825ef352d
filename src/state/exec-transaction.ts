import type { ChainableCommander } from "ioredis";

/**
 * Runs a MULTI transaction and returns its replies, throwing the first command error. ioredis
 * resolves `exec()` with per-command errors instead of rejecting, and with null when the
 * transaction was aborted.
 */
export async function execTransaction(transaction: ChainableCommander): Promise<unknown[]> {
  const replies = await transaction.exec();
  if (replies === null) throw new Error("Redis transaction was aborted: retry the operation");

  return replies.map(([err, result]) => {
    if (err) throw err;
    return result;
  });
}
