import type { Redis } from "ioredis";

/**
 * Discovery results shared by all replicas through Redis, each kept for the configured time:
 * the project ids of `projects: "*"` in `<keyPrefix>:discovery:projects`, and the watched
 * cluster names of a `"*"` project in `<keyPrefix>:discovery:clusters:{<projectId>}`. An
 * entry that cannot be parsed reads as missing, so the next sweep lists again.
 */
export class DiscoveryCache {
  readonly #redis: Redis;
  readonly #keyPrefix: string;
  readonly #ttlMs: number;

  /** Creates a cache whose entries expire after `ttlMs`. 0 or less turns caching off. */
  constructor(redis: Redis, keyPrefix: string, ttlMs: number) {
    this.#redis = redis;
    this.#keyPrefix = keyPrefix;
    this.#ttlMs = ttlMs;
  }

  /** Returns the cached project ids, or null when none are cached. */
  async getProjects(): Promise<string[] | null> {
    return this.#get(this.#projectsKey());
  }

  async setProjects(projectIds: readonly string[]): Promise<void> {
    await this.#set(this.#projectsKey(), projectIds);
  }

  /** Returns the cached cluster names of a project, or null when none are cached. */
  async getClusters(projectId: string): Promise<string[] | null> {
    return this.#get(this.#clustersKey(projectId));
  }

  async setClusters(projectId: string, clusters: readonly string[]): Promise<void> {
    await this.#set(this.#clustersKey(projectId), clusters);
  }

  /** Deletes the cached entries named, so the next sweep lists again. */
  async invalidate(entry: { projects?: boolean; projectId?: string }): Promise<void> {
    const keys: string[] = [];
    if (entry.projects === true) keys.push(this.#projectsKey());
    if (entry.projectId !== undefined) keys.push(this.#clustersKey(entry.projectId));
    if (keys.length > 0) await this.#redis.del(...keys);
  }

  async #get(key: string): Promise<string[] | null> {
    if (this.#ttlMs <= 0) return null;

    const raw = await this.#redis.get(key);
    if (raw === null) return null;
    try {
      const value: unknown = JSON.parse(raw);
      const valid = Array.isArray(value) && value.every((item) => typeof item === "string");
      return valid ? value : null;
    } catch {
      return null;
    }
  }

  async #set(key: string, names: readonly string[]): Promise<void> {
    if (this.#ttlMs <= 0) return;
    await this.#redis.set(key, JSON.stringify(names), "PX", this.#ttlMs);
  }

  #projectsKey(): string {
    return `${this.#keyPrefix}:discovery:projects`;
  }

  #clustersKey(projectId: string): string {
    return `${this.#keyPrefix}:discovery:clusters:{${projectId}}`;
  }
}
