/**
 * Extent of an Atlas failure: `transient` failures pass on their own, `cluster` and
 * `project` failures stop polling of that cluster or project until an operator fixes them,
 * and `global` failures stop every poll.
 */
export type AtlasErrorScope = "transient" | "cluster" | "project" | "global";

/** Handling of one kind of Atlas failure. */
export interface AtlasErrorClass {
  scope: AtlasErrorScope;
  /** True when the same request may succeed if sent again after a delay. */
  retryable: boolean;
  /** Operator action, written as the end of an error message. */
  action: string;
}

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

/**
 * Classes by Atlas `errorCode`, or by OAuth `error` for the token endpoint. Codes that
 * flexwatch itself raises are listed too: REQUEST_TIMEOUT, NETWORK_ERROR, INVALID_RESPONSE,
 * MISSING_CREDENTIALS and UNSUPPORTED_CREDENTIALS.
 */
const BY_ERROR_CODE: Readonly<Record<string, AtlasErrorClass>> = {
  REQUEST_TIMEOUT: TRANSIENT,
  NETWORK_ERROR: TRANSIENT,
  UNEXPECTED_ERROR: TRANSIENT,
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
  NOT_IN_GROUP: {
    scope: "project",
    retryable: false,
    action: "give the service account the Project Read Only role in this project",
  },
  USER_UNAUTHORIZED: {
    scope: "project",
    retryable: false,
    action: "give the service account the Project Read Only role in this project",
  },
  IP_ADDRESS_NOT_ON_WHITELIST: {
    scope: "project",
    retryable: false,
    action: "add this worker's egress IP address to the API access list of the service account",
  },
  FEATURE_UNSUPPORTED: {
    scope: "project",
    retryable: false,
    action: "check that the project's organization can use flex cluster backups",
  },
  VERSION_GONE: {
    scope: "global",
    retryable: false,
    action: "the API version is retired, so set atlas.apiVersion to a version Atlas still serves",
  },
  invalid_client: {
    scope: "global",
    retryable: false,
    action: "check MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET",
  },
  access_denied: {
    scope: "global",
    retryable: false,
    action:
      "the service account may hold its maximum of 100 live tokens, so look for other clients minting tokens",
  },
  INVALID_RESPONSE: {
    scope: "global",
    retryable: false,
    action:
      "check atlas.apiVersion and atlas.baseUrl, and whether a proxy rewrites Atlas responses",
  },
  MISSING_CREDENTIALS: {
    scope: "global",
    retryable: false,
    action: "set MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET",
  },
  UNSUPPORTED_CREDENTIALS: {
    scope: "global",
    retryable: false,
    action:
      "programmatic API keys are not supported yet; set MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET",
  },
};

/** Classes by HTTP status, used when the error code is absent or not in the table above. */
const BY_STATUS: Readonly<Record<number, AtlasErrorClass>> = {
  401: {
    scope: "global",
    retryable: false,
    action: "check the service account credentials and that the account is not deleted",
  },
  403: {
    scope: "project",
    retryable: false,
    action: "check the service account's roles and API access list for this project",
  },
  406: {
    scope: "global",
    retryable: false,
    action: "set atlas.apiVersion to a version Atlas serves for this resource",
  },
  410: BY_ERROR_CODE.VERSION_GONE as AtlasErrorClass,
  429: RATE_LIMITED,
};

const OTHER_CLIENT_ERROR: AtlasErrorClass = {
  scope: "global",
  retryable: false,
  action:
    "check the atlas settings of the configuration, because this request cannot succeed as sent",
};

/**
 * Classifies an Atlas failure from its error code and HTTP status (undefined when no response
 * arrived). Any code containing RATE_LIMITED is transient, because Atlas also sends some rate
 * limits as HTTP 400.
 */
export function classifyAtlasError(
  status: number | undefined,
  errorCode: string | undefined,
): AtlasErrorClass {
  if (errorCode?.includes("RATE_LIMITED")) return RATE_LIMITED;

  const byCode = errorCode === undefined ? undefined : BY_ERROR_CODE[errorCode];
  if (byCode) return byCode;

  if (status === undefined || status >= 500) return TRANSIENT;
  return BY_STATUS[status] ?? OTHER_CLIENT_ERROR;
}
