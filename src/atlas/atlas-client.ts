import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";
import type { AtlasConfig } from "../config/config.ts";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics/metrics.ts";
import { AccessTokenProvider } from "./access-token-provider.ts";
import { AtlasApiError } from "./atlas-api-error.ts";
import { atlasFetch } from "./atlas-fetch.ts";
import { parseAtlasPage } from "./atlas-page.ts";
import {
  type AtlasRetryPolicy,
  atlasRetryDelayMs,
  DEFAULT_ATLAS_RETRY_POLICY,
} from "./atlas-retry-policy.ts";
import { credentialsForProject } from "./credentials-for-project.ts";
import { type FlexCluster, parseFlexCluster } from "./flex-cluster.ts";
import { type FetchedPage, readAllPages } from "./read-all-pages.ts";
import type { RestoreJob } from "./restore-job.ts";
import { parseRestoreJobPage } from "./restore-job-page.ts";

/**
 * Page limit of one listing. Even at 100 items a page, the API's default size, it reads 20,000
 * items, far above the 2,160 restore jobs that one busy cluster listed in recorded traffic.
 */
const DEFAULT_MAX_PAGES = 200;

/** Flex clusters per page. A project usually has far fewer, so one page is the norm. */
const FLEX_CLUSTER_PAGE_SIZE = 500;

// Atlas responds 401 with these codes when the token is valid but lacks access to the project.
// A new token cannot help, and minting one per poll would exhaust the 100 live tokens a
// service account may hold.
const NO_PROJECT_ACCESS_CODES: ReadonlySet<string> = new Set(["NOT_IN_GROUP", "USER_UNAUTHORIZED"]);

export interface AtlasClientOptions {
  atlas: AtlasConfig;
  redis: Redis;
  /** Prefix of the Redis keys the client writes (the access token cache). */
  keyPrefix: string;
  metrics: Metrics;
  logger: Logger;
  /** Retries of one request. @defaultValue DEFAULT_ATLAS_RETRY_POLICY */
  retryPolicy?: Partial<AtlasRetryPolicy>;
  /** Page limit of one listing. @defaultValue 200 */
  maxPages?: number;
}

/** All restore jobs of one flex cluster and what reading them cost. */
export interface RestoreJobListing {
  /** Newest first as Atlas listed them, de-duplicated by `id`, without `snapshotUrl`. */
  jobs: RestoreJob[];
  pages: number;
  /** HTTP requests sent to the API, retries included and token requests not. */
  requests: number;
  /** False when reading stopped at the page limit, so `jobs` may lack older jobs. */
  complete: boolean;
  /** Items skipped because they had no valid `id`. */
  skippedItems: number;
}

type Endpoint = "restoreJobs" | "flexClusters";

interface ApiCall {
  endpoint: Endpoint;
  projectId: string;
  /** Path with ids, without the query. */
  path: string;
  query: Record<string, string>;
  logger: Logger;
  tally: { requests: number };
}

/**
 * Client of the Atlas Administration API v2 for flex clusters. Each request carries the
 * versioned `Accept` type, a service-account bearer token and a timeout, and is counted and
 * timed in the metrics. A 401 gets one retry with a new token, and retryable failures are
 * retried with backoff as `retryPolicy` sets. Failures are thrown as AtlasApiError.
 */
export class AtlasClient {
  readonly #options: AtlasClientOptions;
  readonly #retryPolicy: AtlasRetryPolicy;
  readonly #maxPages: number;
  readonly #tokenProviders = new Map<string, AccessTokenProvider>();

  constructor(options: AtlasClientOptions) {
    this.#options = options;
    this.#retryPolicy = { ...DEFAULT_ATLAS_RETRY_POLICY, ...options.retryPolicy };
    this.#maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  }

  /** Reads every restore job of a flex cluster, page by page. */
  async listRestoreJobs(projectId: string, cluster: string): Promise<RestoreJobListing> {
    const logger = this.#options.logger.child({ projectId, cluster });
    const clusterPath = `${groupPath(projectId)}/flexClusters/${encodeURIComponent(cluster)}`;
    const path = `${clusterPath}/backup/restoreJobs`;
    const tally = { requests: 0 };
    const itemsPerPage = this.#options.atlas.pageSize;
    let skippedItems = 0;

    const fetchPage = async (pageNum: number): Promise<FetchedPage<RestoreJob>> => {
      const query = pageQuery(pageNum, itemsPerPage);
      const body = await this.#getJson({
        endpoint: "restoreJobs",
        projectId,
        path,
        query,
        logger,
        tally,
      });
      const page = parseAtlasPage(body, path);
      const { jobs, skippedIndexes } = parseRestoreJobPage(page.results);
      for (const index of skippedIndexes) {
        logger.warn({ page: pageNum, index }, "restore job without a valid id skipped");
      }
      skippedItems += skippedIndexes.length;

      return { items: jobs, resultCount: page.results.length, hasNext: page.hasNext };
    };

    const all = await readAllPages(fetchPage, {
      itemsPerPage,
      maxPages: this.#maxPages,
      keyOf: (job) => job.id,
    });
    if (!all.complete)
      logger.warn({ page: all.pages }, "restore job listing stopped at the page limit");

    return {
      jobs: all.items,
      pages: all.pages,
      requests: tally.requests,
      complete: all.complete,
      skippedItems,
    };
  }

  /** Lists the flex clusters of a project, for discovery of `"*"` entries. */
  async listFlexClusters(projectId: string): Promise<FlexCluster[]> {
    const logger = this.#options.logger.child({ projectId });
    const path = `${groupPath(projectId)}/flexClusters`;
    const tally = { requests: 0 };

    const fetchPage = async (pageNum: number): Promise<FetchedPage<FlexCluster>> => {
      const query = pageQuery(pageNum, FLEX_CLUSTER_PAGE_SIZE);
      const body = await this.#getJson({
        endpoint: "flexClusters",
        projectId,
        path,
        query,
        logger,
        tally,
      });
      const page = parseAtlasPage(body, path);
      const clusters = page.results
        .map(parseFlexCluster)
        .filter((cluster) => cluster !== undefined);
      if (clusters.length < page.results.length) {
        logger.warn({ page: pageNum }, "flex cluster without a name skipped");
      }

      return { items: clusters, resultCount: page.results.length, hasNext: page.hasNext };
    };

    const all = await readAllPages(fetchPage, {
      itemsPerPage: FLEX_CLUSTER_PAGE_SIZE,
      maxPages: this.#maxPages,
      keyOf: (cluster) => cluster.name,
    });
    return all.items;
  }

  async #getJson(call: ApiCall): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#sendWithToken(call);
      } catch (err) {
        const delayMs = atlasRetryDelayMs(this.#retryPolicy, attempt, err);
        if (delayMs === undefined) throw err;

        call.logger.warn({ err, attempt, delayMs }, "atlas request failed, retrying");
        await sleep(delayMs);
      }
    }
  }

  async #sendWithToken(call: ApiCall): Promise<unknown> {
    const tokenProvider = this.#tokenProviderFor(call.projectId);
    const token = await tokenProvider.getToken();
    try {
      return await this.#sendOnce(call, token);
    } catch (err) {
      if (!isRejectedTokenError(err)) throw err;

      call.logger.info({ err }, "atlas access token rejected, requesting a new one");
      await tokenProvider.invalidate(token);
      return this.#sendOnce(call, await tokenProvider.getToken());
    }
  }

  async #sendOnce(call: ApiCall, token: string): Promise<unknown> {
    const { atlas, metrics } = this.#options;
    const url = new URL(`${atlas.baseUrl.replace(/\/+$/, "")}${call.path}`);
    for (const [name, value] of Object.entries(call.query)) url.searchParams.set(name, value);

    const stopTimer = metrics.atlasRequestDuration.startTimer({ endpoint: call.endpoint });
    call.tally.requests++;
    try {
      const response = await atlasFetch({
        url: url.href,
        endpoint: call.path,
        method: "GET",
        headers: {
          Accept: `application/vnd.atlas.${atlas.apiVersion}+json`,
          Authorization: `Bearer ${token}`,
        },
        timeoutMs: atlas.requestTimeoutMs,
      });
      metrics.atlasRequests.inc({
        endpoint: call.endpoint,
        outcome: "success",
        status_code: String(response.status),
      });

      return response.body;
    } catch (err) {
      const statusCode =
        err instanceof AtlasApiError && err.status !== undefined ? String(err.status) : "none";
      metrics.atlasRequests.inc({
        endpoint: call.endpoint,
        outcome: "error",
        status_code: statusCode,
      });
      throw err;
    } finally {
      stopTimer();
    }
  }

  #tokenProviderFor(projectId: string): AccessTokenProvider {
    const credentials = credentialsForProject(this.#options.atlas, projectId);
    let provider = this.#tokenProviders.get(credentials.clientId);
    if (!provider) {
      const { atlas, redis, keyPrefix, metrics, logger } = this.#options;
      provider = new AccessTokenProvider({
        baseUrl: atlas.baseUrl,
        credentials,
        redis,
        keyPrefix,
        metrics,
        logger,
        requestTimeoutMs: atlas.requestTimeoutMs,
      });
      this.#tokenProviders.set(credentials.clientId, provider);
    }

    return provider;
  }
}

function groupPath(projectId: string): string {
  return `/api/atlas/v2/groups/${encodeURIComponent(projectId)}`;
}

// includeCount=false because flexwatch never reads totalCount and counting slows Atlas down.
function pageQuery(pageNum: number, itemsPerPage: number): Record<string, string> {
  return { pageNum: String(pageNum), itemsPerPage: String(itemsPerPage), includeCount: "false" };
}

function isRejectedTokenError(err: unknown): boolean {
  return (
    err instanceof AtlasApiError &&
    err.status === 401 &&
    !NO_PROJECT_ACCESS_CODES.has(err.errorCode ?? "")
  );
}
