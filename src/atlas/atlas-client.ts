import type { Redis } from "ioredis";
import type { AtlasConfig } from "../config/config.ts";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics/metrics.ts";
import { AtlasApiError } from "./atlas-api-error.ts";
import { parseAtlasPage } from "./atlas-page.ts";
import { type AtlasProject, parseAtlasProject } from "./atlas-project.ts";
import { AtlasRequestSender } from "./atlas-request-sender.ts";
import { type AtlasRetryPolicy, retryPolicyFromConfig } from "./atlas-retry-policy.ts";
import type { DiscoveryListing } from "./discovery-listing.ts";
import { type FlexCluster, parseFlexCluster } from "./flex-cluster.ts";
import { type FetchedPage, readAllPages } from "./read-all-pages.ts";
import { readRestoreJobs } from "./read-restore-jobs.ts";
import type { RestoreJobListing, RestoreJobReadOptions } from "./restore-job-listing.ts";

export type { RestoreJobListing, RestoreJobReadOptions } from "./restore-job-listing.ts";

/**
 * Page limit of one listing. Even at 100 items a page, the API's default size, it reads 20,000
 * items, far above the 2,160 restore jobs that one busy cluster listed in recorded traffic.
 */
const DEFAULT_MAX_PAGES = 200;

/** Flex clusters or projects per page. An estate usually has far fewer, so one page is the norm. */
const DISCOVERY_PAGE_SIZE = 500;

// A cluster whose project was deleted is gone as well, and so is one that became a dedicated
// cluster, for the flex API.
const GONE_ERROR_CODES: ReadonlySet<string> = new Set([
  "CLUSTER_NOT_FOUND",
  "GROUP_NOT_FOUND",
  "CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API",
]);

export interface AtlasClientOptions {
  atlas: AtlasConfig;
  redis: Redis;
  /** Prefix of the Redis keys the client writes (access token cache, rate-limit buckets). */
  keyPrefix: string;
  metrics: Metrics;
  logger: Logger;
  /** Overrides of the retry settings of one request. @defaultValue from `atlas.retry` */
  retryPolicy?: Partial<AtlasRetryPolicy>;
  /** Page limit of one listing. @defaultValue 200 */
  maxPages?: number;
}

type Endpoint = "restoreJobs" | "flexClusters" | "groups";

interface ApiCall {
  endpoint: Endpoint;
  /** Undefined for `GET /groups`, which belongs to no project. */
  projectId: string | undefined;
  /** Path with ids, without the query. */
  path: string;
  query: Record<string, string>;
  logger: Logger;
  tally: { requests: number };
}

/** One paginated discovery list. */
interface ListCall<T> {
  endpoint: Endpoint;
  /** The project listed in, or undefined for `GET /groups`. */
  projectId: string | undefined;
  path: string;
  parse: (item: unknown) => T | undefined;
  keyOf: (item: T) => string;
  /** Log message for items that `parse` skipped. */
  skippedMessage: string;
}

/**
 * Client of the Atlas Administration API v2 for flex clusters. Each request carries the
 * resource's versioned `Accept` type (`atlas.apiVersions`), a service-account bearer token or
 * an HTTP Digest answer for an API key, and a timeout; it waits for the project's shared rate
 * limiter and is counted and timed in the metrics. Retryable failures are retried with backoff
 * as `atlas.retry` sets (see AtlasRequestSender). Failures are thrown as AtlasApiError.
 */
export class AtlasClient {
  readonly #options: AtlasClientOptions;
  readonly #sender: AtlasRequestSender;
  readonly #maxPages: number;

  constructor(options: AtlasClientOptions) {
    this.#options = options;
    const { atlas, redis, keyPrefix, metrics, logger } = options;
    this.#sender = new AtlasRequestSender({
      atlas,
      redis,
      keyPrefix,
      metrics,
      logger,
      retryPolicy: { ...retryPolicyFromConfig(atlas.retry), ...options.retryPolicy },
    });
    this.#maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  }

  /**
   * Reads the restore jobs of a flex cluster page by page: every page, or with `options` only
   * up to the first page of jobs already known in a terminal state (see `IncrementalStop`).
   */
  async listRestoreJobs(
    projectId: string,
    cluster: string,
    options: RestoreJobReadOptions = {},
  ): Promise<RestoreJobListing> {
    const logger = this.#options.logger.child({ projectId, cluster });
    const path = `${flexClusterPath(projectId, cluster)}/backup/restoreJobs`;
    const tally = { requests: 0 };
    const itemsPerPage = this.#options.atlas.pageSize;
    const getPageBody = (pageNum: number) =>
      this.#getJson({
        endpoint: "restoreJobs",
        projectId,
        path,
        query: pageQuery(pageNum, itemsPerPage),
        logger,
        tally,
      });

    const read = await readRestoreJobs({
      getPageBody,
      path,
      itemsPerPage,
      maxPages: this.#maxPages,
      options,
      logger,
    });
    this.#options.metrics.atlasPagesRead.inc(
      { project_id: projectId, cluster, mode: read.mode },
      read.pages,
    );
    return { ...read, requests: tally.requests };
  }

  /** Lists the flex clusters of a project, every state included, for discovery of `"*"`. */
  async listFlexClusters(projectId: string): Promise<DiscoveryListing<FlexCluster>> {
    return this.#listAll({
      endpoint: "flexClusters",
      projectId,
      path: `${groupPath(projectId)}/flexClusters`,
      parse: parseFlexCluster,
      keyOf: (cluster) => cluster.name,
      skippedMessage: "flex cluster without a name skipped",
    });
  }

  /** Lists the projects (groups) the credentials can see, for `projects: "*"`. */
  async listProjects(): Promise<DiscoveryListing<AtlasProject>> {
    return this.#listAll({
      endpoint: "groups",
      projectId: undefined,
      path: "/api/atlas/v2/groups",
      parse: parseAtlasProject,
      keyOf: (project) => project.id,
      skippedMessage: "project without a valid id skipped",
    });
  }

  /**
   * Reads one flex cluster, to confirm that a cluster missing from discovery is gone. Returns
   * null when Atlas responds 404 `CLUSTER_NOT_FOUND` or `GROUP_NOT_FOUND`, or 400
   * `CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API` (no longer a flex cluster).
   */
  async getFlexCluster(projectId: string, cluster: string): Promise<FlexCluster | null> {
    const path = flexClusterPath(projectId, cluster);
    const logger = this.#options.logger.child({ projectId, cluster });
    try {
      const body = await this.#getJson({
        endpoint: "flexClusters",
        projectId,
        path,
        query: {},
        logger,
        tally: { requests: 0 },
      });
      return parseFlexCluster(body) ?? null;
    } catch (err) {
      if (isGoneError(err)) return null;
      throw err;
    }
  }

  async #listAll<T>(list: ListCall<T>): Promise<DiscoveryListing<T>> {
    const { projectId } = list;
    const logger = this.#options.logger.child(projectId === undefined ? {} : { projectId });
    const tally = { requests: 0 };

    const fetchPage = async (pageNum: number): Promise<FetchedPage<T>> => {
      const query = pageQuery(pageNum, DISCOVERY_PAGE_SIZE);
      const call = { endpoint: list.endpoint, projectId, path: list.path, query, logger, tally };
      const page = parseAtlasPage(await this.#getJson(call), list.path);
      const items = page.results.map(list.parse).filter((item) => item !== undefined);
      if (items.length < page.results.length) logger.warn({ page: pageNum }, list.skippedMessage);

      return { items, resultCount: page.results.length, hasNext: page.hasNext };
    };

    const all = await readAllPages(fetchPage, {
      itemsPerPage: DISCOVERY_PAGE_SIZE,
      maxPages: this.#maxPages,
      keyOf: list.keyOf,
    });
    if (!all.complete) {
      logger.warn({ page: all.pages }, "discovery listing stopped at the page limit");
    }

    return { items: all.items, complete: all.complete };
  }

  #getJson(call: ApiCall): Promise<unknown> {
    return this.#sender.getJson(call);
  }
}

function groupPath(projectId: string): string {
  return `/api/atlas/v2/groups/${encodeURIComponent(projectId)}`;
}

function flexClusterPath(projectId: string, cluster: string): string {
  return `${groupPath(projectId)}/flexClusters/${encodeURIComponent(cluster)}`;
}

function isGoneError(err: unknown): boolean {
  return err instanceof AtlasApiError && GONE_ERROR_CODES.has(err.errorCode ?? "");
}

// includeCount=false because flexwatch never reads totalCount and counting slows Atlas down.
function pageQuery(pageNum: number, itemsPerPage: number): Record<string, string> {
  return { pageNum: String(pageNum), itemsPerPage: String(itemsPerPage), includeCount: "false" };
}
