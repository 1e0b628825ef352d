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
  /**
   * Media type versions answered with `Deprecation` and `Sunset` headers (either may be left
   * out), e.g. `{"2024-11-13": {deprecation: "@1767225600", sunset: "Wed, 01 Jul 2026 00:00:00 GMT"}}`.
   * @defaultValue none
   */
  deprecatedVersions?: Record<string, { deprecation?: string; sunset?: string }>;
  /** Public key of the programmatic API key. @defaultValue SIMULATOR_PUBLIC_API_KEY */
  publicApiKey?: string;
  /** Private key of the programmatic API key. @defaultValue SIMULATOR_PRIVATE_API_KEY */
  privateApiKey?: string;
  /** How long a Digest nonce is accepted before it is answered as stale. @defaultValue 300000 */
  digestNonceLifetimeMs?: number;
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

/** A cluster in the simulated estate. */
export interface SimulatedCluster {
  name: string;
  kind: "flex" | "dedicated";
  stateName: string;
  backupEnabled: boolean;
  createDate: string;
  jobs: SimulatedRestoreJob[];
  /** Test hooks on the cluster's restore job list. @defaultValue none */
  listHooks?: RestoreJobListHooks;
}

/** Test hooks on one cluster's restore job list, for lists that change while a client pages. */
export interface RestoreJobListHooks {
  /** Runs before a list page is served, e.g. to add a job at the head between two pages. */
  beforePage?: (pageNum: number) => void;
  /** Orders the jobs for listing. @defaultValue newest `restoreScheduledDate` first */
  order?: (jobs: readonly SimulatedRestoreJob[]) => SimulatedRestoreJob[];
  /**
   * Returns the `totalCount` sent on every page, even with `includeCount=false`, from the true
   * count, to serve an estimate that is wrong. @defaultValue the true count, per `includeCount`
   */
  totalCount?: (actual: number) => number;
}

/** Clusters by name, by project id. */
export type SimulatedEstate = Map<string, Map<string, SimulatedCluster>>;

/** A response the simulator sends. */
export interface SimulatedResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One API resource: the media type version it serves, its rate-limit bucket and its handler. */
export interface ApiRoute {
  version: string;
  bucket: string;
  handle: () => SimulatedResponse;
}
