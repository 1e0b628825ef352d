import {
  type AtlasErrorScope,
  classifyAtlasError,
  describeAtlasErrorAction,
} from "./atlas-error-classification.ts";

export type { AtlasErrorScope };

/** Facts about one failed Atlas call, as the server or the client reported them. */
export interface AtlasApiErrorDetails {
  /** HTTP status, or undefined when no response arrived (timeout, connection reset). */
  status: number | undefined;
  /** Atlas `errorCode`, OAuth `error`, or one of flexwatch's own codes such as INVALID_RESPONSE. */
  errorCode: string | undefined;
  /** Atlas `detail` or OAuth `error_description`, the server's explanation. */
  detail?: string | undefined;
  /** Atlas `reason`, the HTTP reason phrase. */
  reason?: string | undefined;
  /**
   * Request path with its ids and without the query, e.g. `/api/atlas/v2/groups/…/flexClusters`.
   */
  endpoint: string | undefined;
  /** HTTP method of the request. @defaultValue "GET" */
  method?: string;
  /** Delay the server asked for in `Retry-After`, in milliseconds. */
  retryAfterMs?: number | undefined;
  /** Atlas project the request was for; undefined for the token endpoint and `GET /groups`. */
  projectId?: string | undefined;
  /** Flex cluster the request was for, if any. */
  cluster?: string | undefined;
  /** Resource name as in `atlas.apiVersions` (`restoreJobs`, `flexClusters`, `groups`). */
  resource?: string | undefined;
  /** Media type version date the request sent. */
  apiVersion?: string | undefined;
  cause?: unknown;
}

/**
 * A failed Atlas Administration API or OAuth call. `scope` and `retryable` come from one
 * classification table keyed by error code, HTTP status and endpoint, and the message names the
 * status, the code, the request path and what to do. `scope`, `errorCode`, `projectId` and
 * `cluster` tell an operator alert what broke. flexwatch puts no credential or token in it.
 */
export class AtlasApiError extends Error {
  override readonly name = "AtlasApiError";
  readonly status: number | undefined;
  readonly errorCode: string | undefined;
  readonly detail: string | undefined;
  readonly reason: string | undefined;
  readonly endpoint: string | undefined;
  readonly projectId: string | undefined;
  readonly cluster: string | undefined;
  readonly resource: string | undefined;
  readonly apiVersion: string | undefined;
  readonly scope: AtlasErrorScope;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(details: AtlasApiErrorDetails) {
    const errorClass = classifyAtlasError(details.status, details.errorCode, details.endpoint);
    const action = describeAtlasErrorAction(errorClass, details);
    super(formatMessage(details, action), { cause: details.cause });

    this.status = details.status;
    this.errorCode = details.errorCode;
    this.detail = details.detail;
    this.reason = details.reason;
    this.endpoint = details.endpoint;
    this.projectId = details.projectId;
    this.cluster = details.cluster;
    this.resource = details.resource;
    this.apiVersion = details.apiVersion;
    this.scope = errorClass.scope;
    this.retryable = errorClass.retryable;
    this.retryAfterMs = details.retryAfterMs;
  }
}

function formatMessage(details: AtlasApiErrorDetails, action: string): string {
  // Without an endpoint no request was sent, e.g. when credentials are missing.
  const sent = details.endpoint !== undefined;
  const request = sent
    ? `Atlas request ${details.method ?? "GET"} ${details.endpoint}`
    : "Atlas call";
  const status = details.status === undefined ? "no response" : `HTTP ${details.status}`;
  const outcome = [sent ? status : undefined, details.errorCode]
    .filter((part) => part !== undefined)
    .join(" ");
  const explanation = details.detail ? ` (${details.detail})` : "";

  return `${request} failed: ${outcome}${explanation}; ${action}`;
}
