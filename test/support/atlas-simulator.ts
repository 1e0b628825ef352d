import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, STATUS_CODES } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * Service-account credentials the simulator accepts by default. They are fixed test values, not
 * secrets.
 */
export const SIMULATOR_CLIENT_ID = "mdb_sa_id_simulator";
export const SIMULATOR_CLIENT_SECRET = "mdb_sa_sk_simulator";

const FLEX_API_VERSION = "2024-11-13";
const GROUPS_API_VERSION = "2023-01-01";
const MAX_ITEMS_PER_PAGE = 500;
const DEFAULT_ITEMS_PER_PAGE = 100;
const MAX_LIVE_TOKENS = 100;
const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const TERMINAL = new Set(["FAILED", "COMPLETED"]);
const RESTORE_JOBS_PATH =
  /^\/api\/atlas\/v2\/groups\/([^/]+)\/flexClusters\/([^/]+)\/backup\/restoreJobs(?:\/([^/]+))?$/;
const FLEX_CLUSTERS_PATH = /^\/api\/atlas\/v2\/groups\/([^/]+)\/flexClusters$/;

/**
 * Atlas's per-project token bucket: `capacity` requests, refilled by `refillAmount` per interval.
 */
export interface SimulatorRateLimit {
  capacity: number;
  refillAmount: number;
  refillIntervalMs: number;
}

export interface AtlasSimulatorOptions {
  /** @defaultValue 0 (any free port) */
  port?: number;
  /** @defaultValue SIMULATOR_CLIENT_ID */
  clientId?: string;
  /** @defaultValue SIMULATOR_CLIENT_SECRET */
  clientSecret?: string;
  /** `expires_in` of issued tokens. @defaultValue 3600 */
  tokenLifetimeSeconds?: number;
  /** Maximum page size the server returns, whatever `itemsPerPage` requests. @defaultValue 500 */
  maxItemsPerPage?: number;
  /** Token requests allowed per client per minute (Atlas allows 10). @defaultValue no limit */
  tokenRequestsPerMinute?: number;
  /** @defaultValue capacity 1200, 500 per 60 s */
  rateLimit?: SimulatorRateLimit;
  /** Media type versions rejected with 410 VERSION_GONE. @defaultValue none */
  goneVersions?: string[];
}

/** A restore job as the simulator stores and lists it. Tests may set any extra field. */
export interface SimulatedRestoreJob {
  id: string;
  status: string;
  restoreScheduledDate?: string;
  [field: string]: unknown;
}

/** A failure served instead of the normal response to matching requests. */
export interface AtlasFault {
  method?: string;
  pathIncludes?: string;
  /** Requests it applies to. @defaultValue 1 */
  times?: number;
  /** Response status. Without it, the request is handled normally after `delayMs`. */
  status?: number;
  errorCode?: string;
  /** Body to send instead of the Atlas error body. */
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
  /** Destroys the socket without responding. */
  dropConnection?: boolean;
}

/**
 * One request the simulator received. `status` is 0 until the response is sent, and stays 0 if
 * dropped.
 */
export interface SimulatorRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  /** Arrival time, epoch ms. */
  at: number;
}

interface SimulatedCluster {
  name: string;
  kind: "flex" | "dedicated";
  stateName: string;
  backupEnabled: boolean;
  createDate: string;
  jobs: SimulatedRestoreJob[];
}

interface SimulatedResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type ApiRoute = { version: string; bucket: string; handle: () => SimulatedResponse };

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
  readonly requests: SimulatorRequest[] = [];
  readonly goneVersions: Set<string>;
  rateLimit: SimulatorRateLimit;
  #tokensIssued = 0;
  readonly #server: Server;
  readonly #options: AtlasSimulatorOptions;
  readonly #projects = new Map<string, Map<string, SimulatedCluster>>();
  readonly #tokens = new Map<string, number>();
  readonly #tokenRequestTimes: number[] = [];
  readonly #buckets = new Map<string, { tokens: number; updatedMs: number }>();
  readonly #faults: AtlasFault[] = [];
  readonly #createdMs = Date.now();
  #jobSequence = 0;

  constructor(options: AtlasSimulatorOptions = {}) {
    this.#options = options;
    this.clientId = options.clientId ?? SIMULATOR_CLIENT_ID;
    this.clientSecret = options.clientSecret ?? SIMULATOR_CLIENT_SECRET;
    this.goneVersions = new Set(options.goneVersions);
    this.rateLimit = options.rateLimit ?? {
      capacity: 1200,
      refillAmount: 500,
      refillIntervalMs: MINUTE_MS,
    };
    this.#server = createServer((req, res) => {
      this.#handle(req)
        .then((response) => {
          if (response === undefined) return res.socket?.destroy();
          res.writeHead(response.status, {
            "Content-Type": "application/json",
            ...response.headers,
          });
          res.end(response.body === undefined ? undefined : JSON.stringify(response.body));
        })
        .catch((err: unknown) => {
          res.writeHead(500, { "Content-Type": "application/json" });
          res.end(JSON.stringify(atlasError(500, "UNEXPECTED_ERROR", String(err)).body));
        });
    });
  }

  /** Access tokens issued since start. */
  get tokenRequests(): number {
    return this.#tokensIssued;
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
    if (!this.#projects.has(projectId)) this.#projects.set(projectId, new Map());
  }

  /** Adds a flex cluster, and its project when missing. */
  addFlexCluster(
    projectId: string,
    name: string,
    opts: { stateName?: string; backupEnabled?: boolean } = {},
  ): void {
    this.addProject(projectId);
    this.#projects.get(projectId)?.set(name, {
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
    const cluster = this.#projects.get(projectId)?.get(name);
    if (cluster) cluster.kind = "dedicated";
  }

  removeFlexCluster(projectId: string, name: string): void {
    this.#projects.get(projectId)?.delete(name);
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
    const id = randomHex(24);
    const status = partial.status ?? "COMPLETED";
    const deliveryType = partial.deliveryType ?? "RESTORE";
    const job: SimulatedRestoreJob = {
      id,
      status,
      deliveryType,
      instanceName: cluster,
      projectId,
      snapshotId: randomHex(24),
      snapshotFinishedDate: isoSeconds(scheduledMs - 2 * HOUR_MS),
      restoreScheduledDate: isoSeconds(scheduledMs),
      ...(TERMINAL.has(status)
        ? { restoreFinishedDate: isoSeconds(scheduledMs + 90 * SECOND_MS) }
        : {}),
      expirationDate: isoSeconds(scheduledMs + 6 * HOUR_MS),
      targetDeploymentItemName: cluster,
      targetProjectId: projectId,
      ...(deliveryType === "DOWNLOAD"
        ? { snapshotUrl: `https://restore-sim.invalid/download/${id}?signature=${randomHex(32)}` }
        : {}),
      links: [
        {
          rel: "self",
          href: `${this.url}/api/atlas/v2/groups/${projectId}/flexClusters/${cluster}/backup/restoreJobs/${id}`,
        },
      ],
      ...partial,
    };
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
    if (TERMINAL.has(status)) job.restoreFinishedDate = isoSeconds(Date.now());
    else delete job.restoreFinishedDate;
    Object.assign(job, patch);
    return job;
  }

  /**
   * Returns copies of a cluster's jobs, newest `restoreScheduledDate` first, as the API lists them.
   */
  getRestoreJobs(projectId: string, cluster: string): SimulatedRestoreJob[] {
    return newestFirst(this.#cluster(projectId, cluster).jobs).map((job) => ({ ...job }));
  }

  injectFault(fault: AtlasFault): void {
    this.#faults.push({ ...fault, times: fault.times ?? 1 });
  }

  /** Makes every issued token unknown, as if it had expired. */
  revokeAllTokens(): void {
    this.#tokens.clear();
  }

  resetRequestLog(): void {
    this.requests.length = 0;
  }

  #cluster(projectId: string, name: string): SimulatedCluster {
    const cluster = this.#projects.get(projectId)?.get(name);
    if (!cluster)
      throw new Error(`cluster ${projectId}/${name} not found; add it with addFlexCluster`);
    return cluster;
  }

  async #handle(req: IncomingMessage): Promise<SimulatedResponse | undefined> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = req.method ?? "GET";
    if (url.pathname.startsWith("/__sim/")) return this.#handleControl(method, url.pathname, req);

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
    const fault = this.#takeFault(method, url.pathname);
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
      return this.#issueToken(req, await readBody(req));
    if (url.pathname.startsWith("/api/atlas/v2/")) return this.#answerApi(req, method, url);
    return atlasError(404, "RESOURCE_NOT_FOUND", `Cannot find resource ${url.pathname}.`);
  }

  #takeFault(method: string, path: string): AtlasFault | undefined {
    const index = this.#faults.findIndex(
      (fault) =>
        (!fault.method || fault.method === method) &&
        (!fault.pathIncludes || path.includes(fault.pathIncludes)),
    );
    const fault = this.#faults[index];
    if (!fault) return undefined;
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) this.#faults.splice(index, 1);
    return fault;
  }

  #issueToken(req: IncomingMessage, body: string): SimulatedResponse {
    const client = parseBasicAuthorization(req.headers.authorization);
    if (client?.id !== this.clientId || client.secret !== this.clientSecret) {
      return {
        status: 401,
        body: { error: "invalid_client", error_description: "Invalid client credentials." },
      };
    }
    if (new URLSearchParams(body).get("grant_type") !== "client_credentials") {
      return {
        status: 400,
        body: { error: "unsupported_grant_type", error_description: "Use client_credentials." },
      };
    }

    const now = Date.now();
    const limit = this.#options.tokenRequestsPerMinute;
    const recent = this.#tokenRequestTimes.filter((at) => at > now - MINUTE_MS);
    if (limit !== undefined && recent.length >= limit) {
      const response = atlasError(429, "RATE_LIMITED", "Too many token requests.");
      return { ...response, headers: { ...response.headers, "Retry-After": "60" } };
    }
    this.#tokenRequestTimes.splice(0, Infinity, ...recent, now);
    for (const [token, expiresAtMs] of this.#tokens)
      if (expiresAtMs <= now) this.#tokens.delete(token);
    if (this.#tokens.size >= MAX_LIVE_TOKENS) {
      return {
        status: 403,
        body: { error: "access_denied", error_description: "Too many live tokens." },
      };
    }

    const lifetimeSeconds = this.#options.tokenLifetimeSeconds ?? 3600;
    const token = `sim_at_${randomHex(40)}`;
    this.#tokens.set(token, now + lifetimeSeconds * SECOND_MS);
    this.#tokensIssued++;
    return {
      status: 200,
      body: { access_token: token, token_type: "Bearer", expires_in: lifetimeSeconds },
    };
  }

  #answerApi(req: IncomingMessage, method: string, url: URL): SimulatedResponse {
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "")?.[1];
    const expiresAtMs = bearer === undefined ? undefined : this.#tokens.get(bearer);
    if (expiresAtMs === undefined || expiresAtMs <= Date.now()) {
      // NOTE: the code Atlas sends for an expired bearer token is not documented, so this one is a
      // guess.
      return atlasError(
        401,
        "UNAUTHORIZED",
        "This request was not authenticated with a valid access token.",
      );
    }
    if (method !== "GET")
      return atlasError(405, "METHOD_NOT_ALLOWED", `${method} is not supported here.`);

    const route = this.#route(url);
    if (!route)
      return atlasError(404, "RESOURCE_NOT_FOUND", `Cannot find resource ${url.pathname}.`);

    const version = /application\/vnd\.atlas\.(\d{4}-\d{2}-\d{2})\+json/.exec(
      req.headers.accept ?? "",
    )?.[1];
    if (version !== undefined && this.goneVersions.has(version)) {
      return atlasError(410, "VERSION_GONE", `API version ${version} has been retired.`);
    }
    if (version !== route.version) {
      return atlasError(406, undefined, "Invalid accept header or version date.");
    }

    const { allowed, remaining, retryAfterSeconds } = this.#takeBucketToken(route.bucket);
    const rateHeaders = {
      "RateLimit-Limit": String(this.rateLimit.capacity),
      "RateLimit-Remaining": String(remaining),
    };
    const response = allowed
      ? route.handle()
      : atlasError(429, "RATE_LIMITED_TOKEN_BUCKET", "Rate limit exceeded.", {
          "Retry-After": String(retryAfterSeconds),
        });
    return { ...response, headers: { ...response.headers, ...rateHeaders } };
  }

  #route(url: URL): ApiRoute | undefined {
    if (url.pathname === "/api/atlas/v2/groups") {
      const projects = [...this.#projects.keys()].map((id) => ({
        id,
        name: `project-${id.slice(-6)}`,
        clusterCount: this.#projects.get(id)?.size,
      }));
      return {
        version: GROUPS_API_VERSION,
        bucket: "groups",
        handle: () => this.#page(url, projects),
      };
    }

    const clustersMatch = FLEX_CLUSTERS_PATH.exec(url.pathname);
    if (clustersMatch) {
      const projectId = decodeURIComponent(clustersMatch[1] ?? "");
      const handle = () =>
        this.#withProject(projectId, (clusters) =>
          this.#page(
            url,
            [...clusters.values()]
              .filter((c) => c.kind === "flex")
              .map((c) => describeCluster(projectId, c)),
          ),
        );
      return { version: FLEX_API_VERSION, bucket: `flexClusters:${projectId}`, handle };
    }

    const jobsMatch = RESTORE_JOBS_PATH.exec(url.pathname);
    if (!jobsMatch) return undefined;
    const [projectId, name, jobId] = jobsMatch
      .slice(1)
      .map((part) => (part === undefined ? undefined : decodeURIComponent(part)));
    const handle = () =>
      this.#withProject(projectId ?? "", (clusters) =>
        this.#answerRestoreJobs(url, clusters.get(name ?? ""), name ?? "", jobId),
      );
    return { version: FLEX_API_VERSION, bucket: `restoreJobs:${projectId}`, handle };
  }

  #withProject(
    projectId: string,
    handle: (clusters: Map<string, SimulatedCluster>) => SimulatedResponse,
  ): SimulatedResponse {
    if (!/^[a-f0-9]{24}$/.test(projectId))
      return atlasError(404, "INVALID_GROUP_ID", `Invalid group ID ${projectId}.`);
    const clusters = this.#projects.get(projectId);
    if (!clusters)
      return atlasError(404, "GROUP_NOT_FOUND", `No group with ID ${projectId} exists.`);
    return handle(clusters);
  }

  #answerRestoreJobs(
    url: URL,
    cluster: SimulatedCluster | undefined,
    name: string,
    jobId: string | undefined,
  ): SimulatedResponse {
    if (!cluster)
      return atlasError(404, "CLUSTER_NOT_FOUND", `No cluster named ${name} exists in this group.`);
    if (cluster.kind !== "flex") {
      return atlasError(
        400,
        "CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API",
        `Cluster ${name} is not a flex cluster.`,
      );
    }
    if (jobId === undefined) return this.#page(url, newestFirst(cluster.jobs));

    const job = cluster.jobs.find((candidate) => candidate.id === jobId);
    // NOTE: the error code for an unknown restore job id is not documented, so this one is a guess.
    return job
      ? { status: 200, body: job, headers: versioned(FLEX_API_VERSION) }
      : atlasError(404, "RESOURCE_NOT_FOUND", `No restore job ${jobId}.`);
  }

  #page(url: URL, items: unknown[]): SimulatedResponse {
    const pageNum = integerParameter(url, "pageNum", 1, Number.MAX_SAFE_INTEGER, 1);
    const itemsPerPage = integerParameter(
      url,
      "itemsPerPage",
      1,
      MAX_ITEMS_PER_PAGE,
      DEFAULT_ITEMS_PER_PAGE,
    );
    if (pageNum === undefined) return invalidQueryParameter("pageNum");
    if (itemsPerPage === undefined) return invalidQueryParameter("itemsPerPage");

    // A cap below itemsPerPage is applied silently, as a server or proxy may do. Offsets use the
    // capped size.
    const size = Math.min(itemsPerPage, this.#options.maxItemsPerPage ?? MAX_ITEMS_PER_PAGE);
    const start = (pageNum - 1) * size;
    const linkTo = (targetPage: number) => {
      const target = new URL(`${this.url}${url.pathname}${url.search}`);
      target.searchParams.set("pageNum", String(targetPage));
      return target.href;
    };
    const links = [{ rel: "self", href: linkTo(pageNum) }];
    if (start + size < items.length) links.push({ rel: "next", href: linkTo(pageNum + 1) });
    if (pageNum > 1) links.push({ rel: "previous", href: linkTo(pageNum - 1) });

    const includeCount = url.searchParams.get("includeCount") !== "false";
    const body = {
      links,
      results: items.slice(start, start + size),
      ...(includeCount ? { totalCount: items.length } : {}),
    };
    const version = url.pathname === "/api/atlas/v2/groups" ? GROUPS_API_VERSION : FLEX_API_VERSION;
    return { status: 200, body, headers: versioned(version) };
  }

  #takeBucketToken(key: string): {
    allowed: boolean;
    remaining: number;
    retryAfterSeconds: number;
  } {
    const { capacity, refillAmount, refillIntervalMs } = this.rateLimit;
    const now = Date.now();
    const bucket = this.#buckets.get(key) ?? { tokens: capacity, updatedMs: now };
    bucket.tokens = Math.min(
      capacity,
      bucket.tokens + ((now - bucket.updatedMs) * refillAmount) / refillIntervalMs,
    );
    bucket.updatedMs = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens < 1) {
      const waitMs = ((1 - bucket.tokens) * refillIntervalMs) / refillAmount;
      return {
        allowed: false,
        remaining: 0,
        retryAfterSeconds: Math.max(1, Math.ceil(waitMs / SECOND_MS)),
      };
    }
    bucket.tokens -= 1;
    return { allowed: true, remaining: Math.floor(bucket.tokens), retryAfterSeconds: 0 };
  }

  async #handleControl(
    method: string,
    path: string,
    req: IncomingMessage,
  ): Promise<SimulatedResponse> {
    if (method === "GET" && path === "/__sim/state")
      return { status: 200, body: this.#describeState() };
    if (method !== "POST" || path !== "/__sim/restore-jobs/status")
      return { status: 404, body: { error: `no control route ${method} ${path}` } };

    try {
      const { projectId, cluster, jobId, status } = JSON.parse(await readBody(req)) as Record<
        string,
        string
      >;
      if (!projectId || !cluster || !status)
        throw new Error("projectId, cluster and status are required");
      const id = jobId ?? this.getRestoreJobs(projectId, cluster)[0]?.id;
      if (!id) throw new Error(`cluster ${projectId}/${cluster} has no restore jobs`);
      const job = this.setRestoreJobStatus(projectId, cluster, id, status);
      return { status: 200, body: { id: job.id, status: job.status } };
    } catch (err) {
      return { status: 400, body: { error: err instanceof Error ? err.message : String(err) } };
    }
  }

  #describeState(): unknown {
    const projects = [...this.#projects].map(([id, clusters]) => ({
      id,
      clusters: [...clusters.values()].map((cluster) => ({
        name: cluster.name,
        kind: cluster.kind,
        stateName: cluster.stateName,
        restoreJobs: cluster.jobs.length,
        newestJob: newestFirst(cluster.jobs)[0]?.id,
        statuses: Object.fromEntries(
          [...new Set(cluster.jobs.map((job) => job.status))].map((status) => [
            status,
            cluster.jobs.filter((job) => job.status === status).length,
          ]),
        ),
      })),
    }));
    return {
      url: this.url,
      tokenRequests: this.tokenRequests,
      requestCount: this.requests.length,
      projects,
    };
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

function atlasError(
  status: number,
  errorCode: string | undefined,
  detail: string,
  headers: Record<string, string> = {},
  parameters: string[] = [],
): SimulatedResponse {
  const body = {
    error: status,
    ...(errorCode ? { errorCode } : {}),
    reason: STATUS_CODES[status] ?? "Error",
    detail,
    parameters,
  };
  return {
    status,
    body,
    headers: { ...(errorCode ? { "X-Error-Code": errorCode } : {}), ...headers },
  };
}

function invalidQueryParameter(name: string): SimulatedResponse {
  return atlasError(
    400,
    "INVALID_QUERY_PARAMETER",
    `Invalid value for query parameter ${name}.`,
    {},
    [name],
  );
}

function describeCluster(projectId: string, cluster: SimulatedCluster): unknown {
  return {
    name: cluster.name,
    groupId: projectId,
    stateName: cluster.stateName,
    backupSettings: { enabled: cluster.backupEnabled },
    createDate: cluster.createDate,
    clusterType: "REPLICASET",
  };
}

function versioned(version: string): Record<string, string> {
  return { "Content-Type": `application/vnd.atlas.${version}+json;charset=utf-8` };
}

function newestFirst(jobs: SimulatedRestoreJob[]): SimulatedRestoreJob[] {
  return [...jobs]
    .reverse()
    .sort((a, b) =>
      String(b.restoreScheduledDate ?? "").localeCompare(String(a.restoreScheduledDate ?? "")),
    );
}

function integerParameter(
  url: URL,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  return Number.isInteger(value) && value >= min && value <= max ? value : undefined;
}

function parseBasicAuthorization(
  header: string | undefined,
): { id: string; secret: string } | undefined {
  const encoded = /^Basic (\S+)$/.exec(header ?? "")?.[1];
  if (encoded === undefined) return undefined;
  const [id, secret] = Buffer.from(encoded, "base64").toString().split(":");
  if (id === undefined || secret === undefined) return undefined;
  return { id: decodeURIComponent(id), secret: decodeURIComponent(secret) };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

function randomHex(length: number): string {
  return randomBytes(Math.ceil(length / 2))
    .toString("hex")
    .slice(0, length);
}

function isoSeconds(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, "Z");
}
