/**
 * One HTTP route: method, path, the scope it needs, the JSON schemas that validate its input (and document it in
 * /openapi.json), and its handler. Adding a route adds a file exporting a `Route` and one line in routes/index.ts.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal, Scope } from '../auth/principal.js';
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
}

export interface Route {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly url: string;
  readonly summary: string;
  /** Required scope; absent on public routes (health, metrics, OpenAPI). */
  readonly scope?: Scope;
  readonly schema?: RouteSchema;
  /** Request content types other than JSON the route accepts (for OpenAPI). */
  readonly consumes?: readonly string[];
  /** Response content type when not JSON (for OpenAPI). */
  readonly produces?: string;
  handler(ctx: RouteContext, request: FastifyRequest, reply: FastifyReply): Promise<unknown>;
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
