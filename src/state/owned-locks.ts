import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { RELEASE_LOCK_LUA } from "./state-scripts.ts";

interface LockCommands {
  flexwatchReleaseLock(lockKey: string, ownerToken: string): Promise<number>;
}

/**
 * Redis locks (`SET NX PX`) tagged with a token of this instance, so `release` never deletes a
 * lock that another worker took after this one's expired.
 */
export class OwnedLocks {
  readonly #redis: Redis;
  readonly #commands: LockCommands;
  readonly #ownerToken = randomBytes(16).toString("hex");

  constructor(redis: Redis) {
    redis.defineCommand("flexwatchReleaseLock", { numberOfKeys: 1, lua: RELEASE_LOCK_LUA });
    this.#redis = redis;
    this.#commands = redis as unknown as LockCommands;
  }

  /** Takes the lock at `key` for `ttlMs`. Returns false when another holder has it. */
  async acquire(key: string, ttlMs: number): Promise<boolean> {
    return (await this.#redis.set(key, this.#ownerToken, "PX", ttlMs, "NX")) === "OK";
  }

  /** Releases the lock at `key` if this instance holds it; another holder's lock stays. */
  async release(key: string): Promise<void> {
    await this.#commands.flexwatchReleaseLock(key, this.#ownerToken);
  }
}
