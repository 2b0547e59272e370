/**
 * The one error family. Errors that are not about user input (a missing interpreter, a dead head, a refused
 * permission) are `MamlError`s with a string code from `ERROR_CODES`. Code outside a process boundary never tests
 * them with `instanceof`: `serializeError` turns any thrown value into plain data with a code and a retryable flag.
 */

export const ERROR_CODES = {
  usage: 'usage',
  invalid_document: 'invalid_document',
  not_found: 'not_found',
  io: 'io',
  too_large: 'too_large',
  unsupported: 'unsupported',
  permission_denied: 'permission_denied',
  missing_tool: 'missing_tool',
  timeout: 'timeout',
  resource_limit: 'resource_limit',
  block_failed: 'block_failed',
  head_lost: 'head_lost',
  cancelled: 'cancelled',
  crypto: 'crypto',
  unauthorized: 'unauthorized',
  rate_limited: 'rate_limited',
  conflict: 'conflict',
  unsupported_media_type: 'unsupported_media_type',
  method_not_allowed: 'method_not_allowed',
  unavailable: 'unavailable',
  internal: 'internal',
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

export interface SerializedError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly retryable: boolean;
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface MamlErrorOptions {
  retryable?: boolean;
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class MamlError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, options: MamlErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MamlError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = options.details;
  }
}

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.values<string>(ERROR_CODES).includes(value);
}

/** Plain data for any thrown value; unknown errors become `internal` and are not retryable. */
export function serializeError(error: unknown): SerializedError {
  if (typeof error === 'object' && error !== null) {
    const e = error as { code?: unknown; message?: unknown; retryable?: unknown; details?: unknown };
    const message = typeof e.message === 'string' ? e.message : String(error);
    if (isErrorCode(e.code)) {
      const out: SerializedError = { code: e.code, message, retryable: e.retryable === true };
      return typeof e.details === 'object' && e.details !== null
        ? { ...out, details: e.details as Record<string, unknown> }
        : out;
    }
    return { code: ERROR_CODES.internal, message, retryable: false };
  }
  return { code: ERROR_CODES.internal, message: String(error), retryable: false };
}

export function deserializeError(data: SerializedError): MamlError {
  const options: MamlErrorOptions = { retryable: data.retryable };
  if (data.details) options.details = { ...data.details };
  return new MamlError(data.code, data.message, options);
}
