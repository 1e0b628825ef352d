import { STATUS_CODES } from "node:http";
import type { SimulatedResponse } from "./simulator-types.ts";

/** Builds an Atlas error response: `{error, errorCode, reason, detail, parameters}` + `X-Error-Code`. */
export function atlasError(
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

/** Builds the 400 Atlas sends for an out-of-range query parameter. */
export function invalidQueryParameter(name: string): SimulatedResponse {
  return atlasError(
    400,
    "INVALID_QUERY_PARAMETER",
    `Invalid value for query parameter ${name}.`,
    {},
    [name],
  );
}
