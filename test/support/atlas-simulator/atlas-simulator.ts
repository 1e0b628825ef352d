import type { IncomingMessage, Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { authenticateApiRequest } from "./api-authentication.ts";
import { routeApiRequest } from "./api-routes.ts";
import { atlasError } from "./atlas-error-response.ts";
import { answerControl } from "./control-routes.ts";
import { type DigestRejection, DigestVerifier } from "./digest-verifier.ts";
import { FaultQueue } from "./fault-queue.ts";
import { DAY_MS, isoSeconds, MINUTE_MS } from "./generated-values.ts";
import { createJsonServer } from "./json-server.ts";
import { ProjectTokenBuckets } from "./project-token-bucket.ts";
import { readBody } from "./request-parsing.ts";
import { buildRestoreJob, newestFirst, TERMINAL_STATUSES } from "./restore-job-factory.ts";
import type {
  AtlasFault,
  AtlasSimulatorOptions,
  RestoreJobListHooks,
  SimulatedCluster,
  SimulatedEstate,
  SimulatedResponse,
  SimulatedRestoreJob,
  SimulatorRateLimit,
  SimulatorRequest,
} from "./simulator-types.ts";
import { TokenEndpoint } from "./token-endpoint.ts";
import { answerVersionedRoute } from "./versioned-route.ts";

/**
 * Service-account credentials the simulator accepts by default. They are fixed test values, not
 * secrets.
 */
export const SIMULATOR_CLIENT_ID = "mdb_sa_id_simulator";
export const SIMULATOR_CLIENT_SECRET = "mdb_sa_sk_simulator";
/** Programmatic API key the simulator accepts by default; fixed test values, not secrets. */
export const SIMULATOR_PUBLIC_API_KEY = "simpubkey";
export const SIMULATOR_PRIVATE_API_KEY = "0b5c7a9e-sim-private-key";

/**
 * An HTTP server on 127.0.0.1 that responds like the Atlas Administration API v2 for flex
 * restore jobs: OAuth client credentials, versioned media types, pagination, rate limits and
 * Atlas error bodies, plus fault injection and a request log for tests.
 */
export class AtlasSimulator {
  /** Base URL, e.g. `http://127.0.0.1:PORT`. */
  url = "";
  readonly clientId: string;
  readonly clientSecret: string;
  readonly publicApiKey: string;
  readonly privateApiKey: string;
  readonly requests: SimulatorRequest[] = [];
  readonly goneVersions: Set<string>;
  readonly #server: Server;
  readonly #options: AtlasSimulatorOptions;
  readonly #estate: SimulatedEstate = new Map();
  readonly #tokenEndpoint: TokenEndpoint;
  readonly #digest: DigestVerifier;
  readonly #buckets: ProjectTokenBuckets;
  readonly #faults = new FaultQueue();
  readonly #createdMs = Date.now();
  #jobSequence = 0;

  constructor(options: AtlasSimulatorOptions = {}) {
    this.#options = options;
    this.clientId = options.clientId ?? SIMULATOR_CLIENT_ID;
    this.clientSecret = options.clientSecret ?? SIMULATOR_CLIENT_SECRET;
    this.goneVersions = new Set(options.goneVersions);
    this.publicApiKey = options.publicApiKey ?? SIMULATOR_PUBLIC_API_KEY;
    this.privateApiKey = options.privateApiKey ?? SIMULATOR_PRIVATE_API_KEY;
    this.#digest = new DigestVerifier({
      publicKey: this.publicApiKey,
      privateKey: this.privateApiKey,
      nonceLifetimeMs: options.digestNonceLifetimeMs ?? 5 * MINUTE_MS,
    });
    this.#tokenEndpoint = new TokenEndpoint({
      clientId: this.clientId,
      clientSecret: this.clientSecret,
      tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3600,
      tokenRequestsPerMinute: options.tokenRequestsPerMinute,
    });
    this.#buckets = new ProjectTokenBuckets(
      options.rateLimit ?? { capacity: 1200, refillAmount: 500, refillIntervalMs: MINUTE_MS },
    );
    this.#server = createJsonServer((req) => this.#handle(req));
  }

  /** Access tokens issued since start. */
  get tokenRequests(): number {
    return this.#tokenEndpoint.issued;
  }

  /** Digest challenges sent, with the reason; "unauthenticated" when no credentials came. */
  get digestChallenges(): readonly (DigestRejection | "unauthenticated")[] {
    return this.#digest.rejections;
  }

  /** Atlas's per-project bucket size and refill; tests may replace it while the server runs. */
  get rateLimit(): SimulatorRateLimit {
    return this.#buckets.rateLimit;
  }

  set rateLimit(rateLimit: SimulatorRateLimit) {
    this.#buckets.rateLimit = rateLimit;
  }

  async listen(port = 0): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once("error", reject);
      // Loopback only, so the simulator is never reachable from another host.
      this.#server.listen(port, "127.0.0.1", () => resolve());
    });
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  addProject(projectId: string): void {
    if (!this.#estate.has(projectId)) this.#estate.set(projectId, new Map());
  }

  /** Adds a flex cluster, and its project when missing. */
  addFlexCluster(
    projectId: string,
    name: string,
    opts: { stateName?: string; backupEnabled?: boolean } = {},
  ): void {
    this.addProject(projectId);
    this.#estate.get(projectId)?.set(name, {
      name,
      kind: "flex",
      stateName: opts.stateName ?? "IDLE",
      backupEnabled: opts.backupEnabled ?? true,
      createDate: isoSeconds(this.#createdMs - 90 * DAY_MS),
      jobs: [],
    });
  }

  /** Adds a dedicated cluster, which the flex endpoints reject with 400. */
  addDedicatedCluster(projectId: string, name: string): void {
    this.addFlexCluster(projectId, name);
    const cluster = this.#estate.get(projectId)?.get(name);
    if (cluster) cluster.kind = "dedicated";
  }

  removeFlexCluster(projectId: string, name: string): void {
    this.#estate.get(projectId)?.delete(name);
  }

  /**
   * Adds a restore job and returns the stored object. Defaults: a RESTORE job COMPLETED about
   * 30 days ago, each added job scheduled one minute after the previous one.
   */
  addRestoreJob(
    projectId: string,
    cluster: string,
    partial: Partial<SimulatedRestoreJob> = {},
  ): SimulatedRestoreJob {
    const target = this.#cluster(projectId, cluster);
    const scheduledMs = this.#createdMs - 30 * DAY_MS + ++this.#jobSequence * MINUTE_MS;
    const job = buildRestoreJob({ baseUrl: this.url, projectId, cluster, scheduledMs }, partial);
    target.jobs.push(job);
    return job;
  }

  addRestoreJobs(
    projectId: string,
    cluster: string,
    count: number,
    partial: Partial<SimulatedRestoreJob> = {},
  ): SimulatedRestoreJob[] {
    return Array.from({ length: count }, () => this.addRestoreJob(projectId, cluster, partial));
  }

  /**
   * Sets a job's status. A terminal status gets `restoreFinishedDate` = now unless `patch` sets it.
   */
  setRestoreJobStatus(
    projectId: string,
    cluster: string,
    jobId: string,
    status: string,
    patch: Partial<SimulatedRestoreJob> = {},
  ): SimulatedRestoreJob {
    const job = this.#cluster(projectId, cluster).jobs.find((candidate) => candidate.id === jobId);
    if (!job) throw new Error(`restore job ${jobId} not found in ${projectId}/${cluster}`);

    job.status = status;
    if (TERMINAL_STATUSES.has(status)) job.restoreFinishedDate = isoSeconds(Date.now());
    else delete job.restoreFinishedDate;
    Object.assign(job, patch);
    return job;
  }

  /**
   * Sets test hooks on a cluster's restore job list, replacing earlier ones: a callback before
   * each page is served, or another list order.
   */
  setRestoreJobListHooks(projectId: string, cluster: string, hooks: RestoreJobListHooks): void {
    this.#cluster(projectId, cluster).listHooks = hooks;
  }

  /**
   * Returns copies of a cluster's jobs, newest `restoreScheduledDate` first, as the API lists them.
   */
  getRestoreJobs(projectId: string, cluster: string): SimulatedRestoreJob[] {
    return newestFirst(this.#cluster(projectId, cluster).jobs).map((job) => ({ ...job }));
  }

  injectFault(fault: AtlasFault): void {
    this.#faults.add(fault);
  }

  /** Makes every Digest nonce issued so far stale. */
  expireDigestNonces(): void {
    this.#digest.expireNonces();
  }

  /** Makes every issued token unknown, as if it had expired. */
  revokeAllTokens(): void {
    this.#tokenEndpoint.revokeAll();
  }

  resetRequestLog(): void {
    this.requests.length = 0;
  }

  #cluster(projectId: string, name: string): SimulatedCluster {
    const cluster = this.#estate.get(projectId)?.get(name);
    if (!cluster)
      throw new Error(`cluster ${projectId}/${name} not found; add it with addFlexCluster`);
    return cluster;
  }

  async #handle(req: IncomingMessage): Promise<SimulatedResponse | undefined> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = req.method ?? "GET";
    if (url.pathname.startsWith("/__sim/")) {
      const target = {
        url: this.url,
        estate: this.#estate,
        tokenRequests: this.tokenRequests,
        requestCount: this.requests.length,
        getRestoreJobs: this.getRestoreJobs.bind(this),
        setRestoreJobStatus: this.setRestoreJobStatus.bind(this),
      };
      return answerControl(target, method, url.pathname, req);
    }

    const entry: SimulatorRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: 0,
      at: Date.now(),
    };
    this.requests.push(entry);
    const response = await this.#answer(req, method, url);
    entry.status = response?.status ?? 0;
    return response;
  }

  async #answer(
    req: IncomingMessage,
    method: string,
    url: URL,
  ): Promise<SimulatedResponse | undefined> {
    const fault = this.#faults.take(method, url.pathname);
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (fault?.dropConnection) return undefined;
    if (fault?.status !== undefined) {
      const response = atlasError(fault.status, fault.errorCode, "Fault injected by the test.");
      return {
        status: fault.status,
        body: fault.body ?? response.body,
        headers: { ...response.headers, ...fault.headers },
      };
    }

    if (url.pathname === "/api/oauth/token" && method === "POST")
      return this.#tokenEndpoint.issue(req, await readBody(req));
    if (url.pathname.startsWith("/api/atlas/v2/")) return this.#answerApi(req, method, url);
    return atlasError(404, "RESOURCE_NOT_FOUND", `Cannot find resource ${url.pathname}.`);
  }

  #answerApi(req: IncomingMessage, method: string, url: URL): SimulatedResponse {
    const unauthenticated = authenticateApiRequest(req, this.#tokenEndpoint, this.#digest);
    if (unauthenticated) return unauthenticated;
    if (method !== "GET")
      return atlasError(405, "METHOD_NOT_ALLOWED", `${method} is not supported here.`);

    const route = routeApiRequest(url, {
      baseUrl: this.url,
      estate: this.#estate,
      maxItemsPerPage: this.#options.maxItemsPerPage,
    });
    if (!route)
      return atlasError(404, "RESOURCE_NOT_FOUND", `Cannot find resource ${url.pathname}.`);

    return answerVersionedRoute(req.headers.accept, route, {
      goneVersions: this.goneVersions,
      deprecatedVersions: this.#options.deprecatedVersions ?? {},
      buckets: this.#buckets,
    });
  }
}

/** Starts a simulator on 127.0.0.1. Stop it with `close()`. */
export async function startAtlasSimulator(
  options: AtlasSimulatorOptions = {},
): Promise<AtlasSimulator> {
  const simulator = new AtlasSimulator(options);
  await simulator.listen(options.port);
  return simulator;
}
