import { AtlasApiError } from "./atlas-api-error.ts";

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
}

/** A successful Atlas response with its body parsed as JSON. */
export interface AtlasFetchResponse {
  status: number;
  body: unknown;
}

/**
 * Sends one request with Node's `fetch` and parses the JSON body. Every failure becomes an
 * AtlasApiError: a non-2xx status (code and detail read from the Atlas or OAuth error body),
 * a timeout (REQUEST_TIMEOUT), a connection failure (NETWORK_ERROR), or a 2xx body that is not
 * JSON (INVALID_RESPONSE).
 */
export async function atlasFetch(request: AtlasFetchRequest): Promise<AtlasFetchResponse> {
  const { endpoint, method } = request;
  let response: Response;
  let text: string;
  try {
    response = await fetch(request.url, {
      method,
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    text = await response.text();
  } catch (err) {
    throw errorFromFetchFailure(err, request);
  }

  if (!response.ok) throw errorFromResponse(response, text, request);

  try {
    return { status: response.status, body: JSON.parse(text) };
  } catch (err) {
    throw new AtlasApiError({
      status: response.status,
      errorCode: "INVALID_RESPONSE",
      detail: "the response body is not JSON",
      endpoint,
      method,
      cause: err,
    });
  }
}

function errorFromFetchFailure(err: unknown, request: AtlasFetchRequest): AtlasApiError {
  const timedOut = err instanceof DOMException && err.name === "TimeoutError";

  return new AtlasApiError({
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

function errorFromResponse(
  response: Response,
  text: string,
  request: AtlasFetchRequest,
): AtlasApiError {
  const body = parseErrorBody(text);
  const headerCode = response.headers.get("x-error-code") ?? undefined;

  return new AtlasApiError({
    status: response.status,
    // Atlas bodies carry `errorCode`, while OAuth bodies carry a string `error`.
    errorCode: stringField(body, "errorCode") ?? stringField(body, "error") ?? headerCode,
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
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);

  const dateMs = Date.parse(header);
  return Number.isNaN(dateMs) ? undefined : Math.max(0, dateMs - Date.now());
}
