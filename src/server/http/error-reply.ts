/**
 * Every error leaves the gateway as `{ error: { code, message } }` with a code from src/shared/errors.ts and the
 * status from the one mapping table (src/shared/error-mapping.ts). Fastify's own client errors (schema, JSON,
 * body size, media type) are mapped to our codes so a client fault is never a 500.
 */
import type { FastifyError } from 'fastify';
import { httpStatusFor, serializeError, type ErrorCode, type SerializedError } from '../../shared/index.js';

export interface ErrorBody {
  readonly error: { readonly code: ErrorCode; readonly message: string; readonly details?: unknown };
}

/** Fastify error codes (fastify/lib/errors.js) and what they mean for the client. */
const FASTIFY_CODES: Readonly<Record<string, ErrorCode>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'usage',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'usage',
  FST_ERR_CTP_INVALID_JSON_BODY: 'usage',
  FST_ERR_VALIDATION: 'usage',
};

export function toSerialized(error: unknown): SerializedError {
  const e = error as Partial<FastifyError> & { validation?: unknown };
  if (typeof e?.code === 'string' && e.code in FASTIFY_CODES)
    return { code: FASTIFY_CODES[e.code] as ErrorCode, message: String(e.message), retryable: false };
  if (e?.validation !== undefined) return { code: 'usage', message: String(e.message), retryable: false };
  // JSON.parse failures and other 4xx errors raised inside Fastify's body handling.
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500 && !('retryable' in e))
    return { code: e.statusCode === 413 ? 'too_large' : 'usage', message: String(e.message), retryable: false };
  return serializeError(error);
}

export function errorBody(serialized: SerializedError): { status: number; body: ErrorBody } {
  const details = serialized.details?.['diagnostics'];
  return {
    status: httpStatusFor(serialized.code),
    body: {
      error: {
        code: serialized.code,
        message: serialized.message,
        ...(details === undefined ? {} : { details: { diagnostics: details } }),
      },
    },
  };
}
