/**
 * Extent of an Atlas failure: `transient` failures pass on their own, `cluster` and
 * `project` failures stop polling of that cluster or project until an operator fixes them,
 * and `global` failures stop every poll.
 */
export type AtlasErrorScope = "transient" | "cluster" | "project" | "global";

/** Values an operator action may name: the resource and the media type version that was sent. */
export interface AtlasErrorActionContext {
  resource?: string | undefined;
  apiVersion?: string | undefined;
}

/** Handling of one kind of Atlas failure. */
export interface AtlasErrorClass {
  scope: AtlasErrorScope;
  /** True when the same request may succeed if sent again after a delay. */
  retryable: boolean;
  /** Operator action, written as the end of an error message. */
  action: string | ((context: AtlasErrorActionContext) => string);
}

/** Path of the OAuth token endpoint, whose limits mean something else than the API's. */
export const TOKEN_ENDPOINT_PATH = "/api/oauth/token";

const TRANSIENT: AtlasErrorClass = {
  scope: "transient",
  retryable: true,
  action: "flexwatch retries on its own. If this persists, check https://status.mongodb.com",
};

const RATE_LIMITED: AtlasErrorClass = {
  scope: "transient",
  retryable: true,
  action:
    "flexwatch backs off on its own. Atlas rate limits are per project and shared with other tools",
};

const PROJECT_ROLE_MISSING: AtlasErrorClass = {
  scope: "project",
  retryable: false,
  action: "give the service account or API key the Project Read Only role in this project",
};

const VERSION_NOT_SERVED: AtlasErrorClass = {
  scope: "global",
  retryable: false,
  action: ({ resource = "<resource>", apiVersion = "the configured version" }) =>
    `Atlas does not serve version ${apiVersion} of ${resource}, so set atlas.apiVersions.${resource} to a version it serves`,
};

const VERSION_GONE: AtlasErrorClass = {
  scope: "global",
  retryable: false,
  action: ({ resource = "<resource>", apiVersion = "the configured version" }) =>
    `version ${apiVersion} of ${resource} is retired, so set atlas.apiVersions.${resource} to a version Atlas still serves`,
};

const SERVICE_ACCOUNT_REJECTED: AtlasErrorClass = {
  scope: "global",
  retryable: false,
  action:
    "the credentials were rejected, so check MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET and that the service account still exists",
};

/**
 * Classes of the OAuth token endpoint's own error responses, looked up before the tables below. Its
 * limits are configuration problems: asking again within the minute only prolongs them, so
 * they are not retryable, and the token provider waits a minute before the next request.
 */
const BY_TOKEN_ERROR_CODE: Readonly<Record<string, AtlasErrorClass>> = {
  RATE_LIMITED: {
    scope: "global",
    retryable: false,
    action:
      "the token endpoint allows 10 requests a minute per client and IP address, so look for other clients requesting tokens for this service account. flexwatch requests again after a minute",
  },
  access_denied: {
    scope: "global",
    retryable: false,
    action:
      "the service account holds too many live tokens (100), so revoke unused tokens in Atlas or wait up to an hour for them to expire, and look for clients that request a token per call. flexwatch requests again after a minute",
  },
  invalid_client: SERVICE_ACCOUNT_REJECTED,
};

/**
 * Classes by Atlas `errorCode`, or by OAuth `error` for the token endpoint. Codes that
 * flexwatch itself raises are listed too: REQUEST_TIMEOUT, NETWORK_ERROR, INVALID_RESPONSE,
 * MISSING_CREDENTIALS, CREDENTIALS_REJECTED and CLIENT_RATE_LIMITED.
 */
const BY_ERROR_CODE: Readonly<Record<string, AtlasErrorClass>> = {
  REQUEST_TIMEOUT: TRANSIENT,
  NETWORK_ERROR: TRANSIENT,
  UNEXPECTED_ERROR: TRANSIENT,
  CLIENT_RATE_LIMITED: {
    scope: "transient",
    retryable: true,
    action:
      "flexwatch's own request budget for this project (atlas.rateLimit) is used up for longer than the request timeout; it retries on its own",
  },
  CLUSTER_NOT_FOUND: {
    scope: "cluster",
    retryable: false,
    action:
      "check the cluster name in projects[].clusters, or remove it if the cluster was deleted",
  },
  CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API: {
    scope: "cluster",
    retryable: false,
    action: "remove it from projects[].clusters, because flexwatch watches flex clusters only",
  },
  GROUP_NOT_FOUND: {
    scope: "project",
    retryable: false,
    action: "check the project id in projects[].id",
  },
  INVALID_GROUP_ID: {
    scope: "project",
    retryable: false,
    action: "check the project id in projects[].id (24 lowercase hex characters)",
  },
  NOT_IN_GROUP: PROJECT_ROLE_MISSING,
  USER_UNAUTHORIZED: PROJECT_ROLE_MISSING,
  IP_ADDRESS_NOT_ON_WHITELIST: {
    scope: "project",
    retryable: false,
    action:
      "add this worker's egress IP address to the API access list of the service account or API key",
  },
  FEATURE_UNSUPPORTED: {
    scope: "project",
    retryable: false,
    action: "check that the project's organization can use flex cluster backups",
  },
  VERSION_GONE,
  invalid_client: SERVICE_ACCOUNT_REJECTED,
  CREDENTIALS_REJECTED: {
    scope: "global",
    retryable: false,
    action:
      "the credentials were rejected, so check MONGODB_ATLAS_PUBLIC_API_KEY and MONGODB_ATLAS_PRIVATE_API_KEY and that the API key still exists",
  },
  INVALID_RESPONSE: {
    scope: "global",
    retryable: false,
    action:
      "check atlas.apiVersions and atlas.baseUrl, and whether a proxy rewrites Atlas responses",
  },
  MISSING_CREDENTIALS: {
    scope: "global",
    retryable: false,
    action:
      "set MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET (a service account, preferred), or MONGODB_ATLAS_PUBLIC_API_KEY and MONGODB_ATLAS_PRIVATE_API_KEY",
  },
};

/** Classes by HTTP status, used when the error code is absent or not in the tables above. */
const BY_STATUS: Readonly<Record<number, AtlasErrorClass>> = {
  401: {
    scope: "global",
    retryable: false,
    action:
      "the credentials were rejected even with a new access token, so check that the service account still exists and may use the Atlas Administration API",
  },
  403: {
    scope: "project",
    retryable: false,
    action: "check the roles and the API access list of the credentials for this project",
  },
  406: VERSION_NOT_SERVED,
  410: VERSION_GONE,
  429: RATE_LIMITED,
};

const OTHER_CLIENT_ERROR: AtlasErrorClass = {
  scope: "global",
  retryable: false,
  action:
    "check the atlas settings of the configuration, because this request cannot succeed as sent",
};

/**
 * Classifies an Atlas failure from its error code, HTTP status (undefined when no response
 * arrived) and request path. Any API code containing RATE_LIMITED is transient, because Atlas
 * also sends some rate limits as HTTP 400. The token endpoint's limits are not: see
 * BY_TOKEN_ERROR_CODE.
 */
export function classifyAtlasError(
  status: number | undefined,
  errorCode: string | undefined,
  endpoint?: string,
): AtlasErrorClass {
  if (endpoint === TOKEN_ENDPOINT_PATH) {
    const tokenClass = classifyTokenError(status, errorCode);
    if (tokenClass) return tokenClass;
  }

  const byCode = errorCode === undefined ? undefined : BY_ERROR_CODE[errorCode];
  if (byCode) return byCode;
  if (errorCode?.includes("RATE_LIMITED")) return RATE_LIMITED;

  if (status === undefined || status >= 500) return TRANSIENT;
  return BY_STATUS[status] ?? OTHER_CLIENT_ERROR;
}

/** Returns the operator action of `errorClass`, naming the resource and version when it can. */
export function describeAtlasErrorAction(
  errorClass: AtlasErrorClass,
  context: AtlasErrorActionContext,
): string {
  return typeof errorClass.action === "string" ? errorClass.action : errorClass.action(context);
}

function classifyTokenError(
  status: number | undefined,
  errorCode: string | undefined,
): AtlasErrorClass | undefined {
  if (status === 429 || errorCode?.includes("RATE_LIMITED"))
    return BY_TOKEN_ERROR_CODE.RATE_LIMITED;
  const byCode = errorCode === undefined ? undefined : BY_TOKEN_ERROR_CODE[errorCode];
  if (byCode) return byCode;
  if (status === 401) return SERVICE_ACCOUNT_REJECTED;
  // The live-token limit is the only documented 403 of the token endpoint.
  if (status === 403) return BY_TOKEN_ERROR_CODE.access_denied;
  return undefined;
}
