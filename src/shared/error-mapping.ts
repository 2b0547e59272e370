/**
 * The single table that maps error codes to process exit codes and HTTP status codes. Nothing else in the
 * project chooses those numbers.
 */
import type { ErrorCode } from './errors.js';

interface Mapping {
  readonly exit: number;
  readonly http: number;
}

export const ERROR_MAPPING: Readonly<Record<ErrorCode, Mapping>> = {
  usage: { exit: 2, http: 400 },
  invalid_document: { exit: 2, http: 422 },
  not_found: { exit: 2, http: 404 },
  io: { exit: 1, http: 500 },
  too_large: { exit: 2, http: 413 },
  unsupported: { exit: 2, http: 422 },
  permission_denied: { exit: 1, http: 403 },
  missing_tool: { exit: 1, http: 503 },
  timeout: { exit: 1, http: 504 },
  resource_limit: { exit: 1, http: 507 },
  block_failed: { exit: 1, http: 200 },
  head_lost: { exit: 1, http: 503 },
  cancelled: { exit: 1, http: 409 },
  crypto: { exit: 1, http: 400 },
  unauthorized: { exit: 1, http: 401 },
  rate_limited: { exit: 1, http: 429 },
  conflict: { exit: 1, http: 409 },
  unsupported_media_type: { exit: 2, http: 415 },
  method_not_allowed: { exit: 2, http: 405 },
  unavailable: { exit: 1, http: 503 },
  internal: { exit: 1, http: 500 },
};

export function exitCodeFor(code: ErrorCode): number {
  return ERROR_MAPPING[code].exit;
}

export function httpStatusFor(code: ErrorCode): number {
  return ERROR_MAPPING[code].http;
}
