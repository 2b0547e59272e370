/**
 * Every error leaves the gateway as `{ error: { code, message } }` with a code from src/shared/errors.ts and the
 * status from the one mapping table (src/shared/error-mapping.ts). Fastify's own client errors (schema, JSON,
 * body size, media type) are mapped to our codes so a client fault is never a 500, and their messages say what is
 * accepted. Faults of the gateway itself (`internal`, `io`) are answered with a reference, never with their own
 * message: those carry file paths, SQL and library internals. The full error goes to the log under that reference.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyError } from 'fastify';
import { httpStatusFor, serializeError, type ErrorCode, type SerializedError } from '../../shared/index.js';

export interface ErrorBody {
  readonly error: { readonly code: ErrorCode; readonly message: string; readonly details?: unknown };
}

/** What a Fastify client error's message should say about the request it refused. */
export interface RequestLimits {
  /** Body limit in bytes. */
  readonly bodyLimit: number;
  /** Content types the route accepts, when it takes a body. */
  readonly accepts?: readonly string[];
  /** Extra words for the body limit (what it is for). */
  readonly bodyLimitNote?: string;
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

function fastifyMessage(code: ErrorCode, original: string, limits: RequestLimits | undefined): string {
  if (code === 'too_large' && limits)
    return `the request body is over the limit of ${limits.bodyLimit} bytes${limits.bodyLimitNote ? ` (${limits.bodyLimitNote})` : ''}`;
  if (code === 'unsupported_media_type' && limits?.accepts)
    return `this route accepts Content-Type ${limits.accepts.join(', ')}`;
  return original;
}

export function toSerialized(error: unknown, limits?: RequestLimits): SerializedError {
  const e = error as Partial<FastifyError> & { validation?: unknown };
  if (typeof e?.code === 'string' && e.code in FASTIFY_CODES) {
    const code = FASTIFY_CODES[e.code] as ErrorCode;
    return { code, message: fastifyMessage(code, String(e.message), limits), retryable: false };
  }
  if (e?.validation !== undefined) return { code: 'usage', message: String(e.message), retryable: false };
  // JSON.parse failures and other 4xx errors raised inside Fastify's body handling.
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500 && !('retryable' in e)) {
    const code: ErrorCode = e.statusCode === 413 ? 'too_large' : 'usage';
    return { code, message: fastifyMessage(code, String(e.message), limits), retryable: false };
  }
  return serializeError(error);
}

/** Codes whose messages are the gateway's own business. */
const PRIVATE_CODES: ReadonlySet<ErrorCode> = new Set(['internal', 'io']);

export type ErrorLog = (line: string) => void;

const defaultLog: ErrorLog = (line) => console.error(line);

/**
 * The error as a client may see it: faults of the gateway get a reference instead of their message, and the
 * full error (with its stack) is logged under that reference.
 */
export function publicError(
  serialized: SerializedError,
  original: unknown,
  log: ErrorLog = defaultLog,
): SerializedError {
  if (!PRIVATE_CODES.has(serialized.code)) return serialized;
  const reference = randomUUID().slice(0, 8);
  const detail = original instanceof Error ? (original.stack ?? original.message) : String(original);
  log(`maml gateway: error ${reference} (${serialized.code}): ${detail}`);
  return {
    code: serialized.code,
    message: `the gateway failed to handle this request (error ${reference} in its log); retry, and report the reference if it happens again`,
    retryable: serialized.retryable,
  };
}

/** Seconds a client should wait before retrying a 429 or 503 (the Retry-After header); 1 unless the error says. */
export function retryAfterSeconds(serialized: SerializedError): number {
  const given = serialized.details?.['retryAfterSeconds'];
  return typeof given === 'number' && Number.isFinite(given) && given >= 1 ? Math.ceil(given) : 1;
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
