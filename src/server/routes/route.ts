/**
 * One HTTP route: method, path, the scope it needs, the JSON schemas that validate its input (and document it in
 * /openapi.json), and its handler. Adding a route adds a file exporting a `Route` and one line in routes/index.ts.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal, Scope } from '../auth/principal.js';
import type { MediaTypes } from '../http/media-types.js';
import type { StreamQuota } from '../http/stream-quota.js';
import type { GatewayServices } from '../services.js';

export interface RouteSchema {
  readonly body?: object;
  readonly params?: object;
  readonly querystring?: object;
  /** Success response schemas by status (documentation only). */
  readonly response?: Readonly<Record<number, object>>;
}

export interface RouteContext {
  readonly services: GatewayServices;
  /** Undefined on public routes. */
  readonly principal: Principal | undefined;
  /** Extra context the gateway hands routes (OpenAPI document, auth mode). */
  readonly gateway: GatewayInfo;
}

export type GatewaySocketContext = Pick<RouteContext, 'services' | 'gateway'>;

export interface GatewayInfo {
  readonly auth: 'jwt' | 'none';
  openapi(): object;
  /** Registered end-of-life hooks (open streams close on shutdown). */
  readonly streams: Set<() => void>;
  /** Event streams (SSE responses, WebSockets) open per subject. */
  readonly streamQuota: StreamQuota;
  /** Runs one WebSocket may be subscribed to at once. */
  readonly subscriptionsPerSocket: number;
}

export interface Route {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly url: string;
  readonly summary: string;
  /** Required scope; absent on public routes (health, metrics, OpenAPI). */
  readonly scope?: Scope;
  readonly schema?: RouteSchema;
  /**
   * Request content types other than JSON the route's body may have (for OpenAPI, and enforced). Never a type a
   * web page may send cross-site without a preflight (text/plain, forms) on a route that changes state.
   */
  readonly consumes?: readonly string[];
  /** Response content type when not JSON (for OpenAPI). */
  readonly produces?: string;
  handler(ctx: RouteContext, request: FastifyRequest, reply: FastifyReply): Promise<unknown>;
}

/**
 * The request media types a route accepts: JSON and its `consumes` when it has a body schema; no body (or an
 * empty JSON one) for other POST and DELETE routes; undefined (not checked) for GET.
 */
export function mediaTypesOf(route: Pick<Route, 'method' | 'schema' | 'consumes'>): MediaTypes | undefined {
  if (route.method === 'GET') return undefined;
  if (route.schema?.body) return { types: ['application/json', ...(route.consumes ?? [])], bodyRequired: true };
  return { types: ['application/json'], bodyRequired: false };
}

export const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'object' } },
    },
  },
} as const;

export const RUN_ID_PARAMS = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[0-9a-fA-F-]+$' } },
  additionalProperties: false,
} as const;
