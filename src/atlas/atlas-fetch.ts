import { AtlasApiError } from "./atlas-api-error.ts";

const SECOND_MS = 1000;

/** One HTTP request to Atlas. */
export interface AtlasFetchRequest {
  /** Full URL, query included. */
  url: string;
  /**
   * Request path with its ids and without the query. Errors include it, so it must contain no
   * secret.
   */
  endpoint: string;
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: string;
  /** Timeout of the whole exchange, reading the body included. */
  timeoutMs: number;
  /** Ids copied into the AtlasApiError of a failed request, for operators. */
  context?: AtlasErrorContext;
}

/** Ids and settings that tell an operator which project, cluster and API version failed. */
export interface AtlasErrorContext {
  projectId?: string | undefined;
  cluster?: string | undefined;
  /** Resource name as in `atlas.apiVersions`, e.g. `restoreJobs`. */
  resource?: string | undefined;
  /** Media type version date that was sent. */
  apiVersion?: string | undefined;
}

/** A complete HTTP response, whatever its status, with the body still as text. */
export interface AtlasRawResponse {
  status: number;
  statusText: string;
  headers: Headers;
  text: string;
}

/** A successful Atlas response with its body parsed as JSON. */
export interface AtlasFetchResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/**
 * Sends one request with Node's `fetch` and parses the JSON body. Every failure becomes an
 * AtlasApiError: a non-2xx status (code and detail read from the Atlas or OAuth error body),
 * a timeout (REQUEST_TIMEOUT), a connection failure (NETWORK_ERROR), or a 2xx body that is not
 * JSON (INVALID_RESPONSE).
 */
export async function atlasFetch(request: AtlasFetchRequest): Promise<AtlasFetchResponse> {
  return parseAtlasResponse(await sendAtlasRequest(request), request);
}

/**
 * Sends one request and reads the whole response, whatever its status, so that callers can
 * respond to an authentication challenge or read rate-limit headers first.
 *
 * @throws AtlasApiError REQUEST_TIMEOUT or NETWORK_ERROR when no complete response arrived.
 */
export async function sendAtlasRequest(request: AtlasFetchRequest): Promise<AtlasRawResponse> {
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    const text = await response.text();
    return {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
      text,
    };
  } catch (err) {
    throw errorFromFetchFailure(err, request);
  }
}

/**
 * Parses a 2xx response as JSON.
 *
 * @throws AtlasApiError for any other status, or INVALID_RESPONSE for a body that is not JSON.
 */
export function parseAtlasResponse(
  response: AtlasRawResponse,
  request: AtlasFetchRequest,
): AtlasFetchResponse {
  if (response.status < 200 || response.status > 299) throw errorFromResponse(response, request);

  try {
    return { status: response.status, headers: response.headers, body: JSON.parse(response.text) };
  } catch (err) {
    throw new AtlasApiError({
      ...request.context,
      status: response.status,
      errorCode: "INVALID_RESPONSE",
      detail: "the response body is not JSON",
      endpoint: request.endpoint,
      method: request.method,
      cause: err,
    });
  }
}

/** Returns the error code of a failed response: Atlas `errorCode`, OAuth `error` or `X-Error-Code`. */
export function responseErrorCode(response: AtlasRawResponse): string | undefined {
  const body = parseErrorBody(response.text);
  // Atlas bodies carry `errorCode`, while OAuth bodies carry a string `error`.
  return (
    stringField(body, "errorCode") ??
    stringField(body, "error") ??
    response.headers.get("x-error-code") ??
    undefined
  );
}

function errorFromFetchFailure(err: unknown, request: AtlasFetchRequest): AtlasApiError {
  const timedOut = err instanceof DOMException && err.name === "TimeoutError";

  return new AtlasApiError({
    ...request.context,
    status: undefined,
    errorCode: timedOut ? "REQUEST_TIMEOUT" : "NETWORK_ERROR",
    detail: timedOut
      ? `no complete response within ${request.timeoutMs} ms`
      : describeNetworkError(err),
    endpoint: request.endpoint,
    method: request.method,
    cause: err,
  });
}

// fetch rejects with a bare "fetch failed" TypeError, and the system error code is on its cause.
function describeNetworkError(err: unknown): string {
  const cause = err instanceof Error ? err.cause : undefined;
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (typeof code === "string") return code;
  return err instanceof Error ? err.message : String(err);
}

function errorFromResponse(response: AtlasRawResponse, request: AtlasFetchRequest): AtlasApiError {
  const body = parseErrorBody(response.text);

  return new AtlasApiError({
    ...request.context,
    status: response.status,
    errorCode: responseErrorCode(response),
    detail: stringField(body, "detail") ?? stringField(body, "error_description"),
    reason: stringField(body, "reason") ?? (response.statusText || undefined),
    endpoint: request.endpoint,
    method: request.method,
    retryAfterMs: parseRetryAfterMs(response.headers.get("retry-after")),
  });
}

function parseErrorBody(text: string): Record<string, unknown> {
  try {
    const body: unknown = JSON.parse(text);
    return typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  } catch {
    // Proxies and load balancers respond with HTML, so the status alone must do.
    return {};
  }
}

function stringField(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** Reads `Retry-After` as delay-seconds or an HTTP date (RFC 9110, section 10.2.3). */
function parseRetryAfterMs(header: string | null): number | undefined {
  if (header === null || header.trim() === "") return undefined;

  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * SECOND_MS);

  const dateMs = Date.parse(header);
  return Number.isNaN(dateMs) ? undefined : Math.max(0, dateMs - Date.now());
}
