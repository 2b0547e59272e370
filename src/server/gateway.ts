/**
 * The MAML Gateway HTTP server (Fastify): the routes of routes/index.ts, the WebSocket /v1/ws and MCP at /mcp,
 * behind bearer-token auth with scopes, per-subject rate limits, body limits and security headers; errors as
 * `{error: {code, message}}`. `close()` stops accepting requests, lets in-flight runs finish for a grace period
 * and cancels (records) the rest.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import websocket from '@fastify/websocket';
import { MamlError } from '../shared/index.js';
import { hasScope, SCOPES, type Principal, type Scope } from './auth/principal.js';
import type { TokenVerifier } from './auth/jwt-verifier.js';
import { isLoopbackHost } from './auth/loopback.js';
import { MAX_DOCUMENT_CHARS } from './document-body.js';
import { errorBody, toSerialized } from './http/error-reply.js';
import { RateLimiter, type RateLimit } from './http/rate-limiter.js';
import { SECURITY_HEADERS } from './http/security-headers.js';
import { registerMcpHttp } from './mcp/mcp-http.js';
import { openapiDocument } from './openapi.js';
import { ROUTES } from './routes/index.js';
import type { GatewayInfo, Route, RouteContext } from './routes/route.js';
import { runSocket } from './routes/run-socket.js';
import { openServices, type GatewayServices, type ServicesOptions } from './services.js';

export type AuthOptions =
  | { readonly mode: 'none'; /** Subject every request runs as (default agent://local). */ readonly subject?: string }
  | { readonly mode: 'jwt'; readonly verify: TokenVerifier };

export interface GatewayOptions extends ServicesOptions {
  readonly auth: AuthOptions;
  /** Services to use instead of opening new ones (tests, `maml mcp`). */
  readonly services?: GatewayServices;
  /** Request body limit in bytes (default 1.1 MiB: a 1 MiB document plus JSON framing). */
  readonly bodyLimit?: number;
  /** Per-subject limit; `false` turns it off (benchmarks). Default 50/s with bursts of 200. */
  readonly rateLimit?: RateLimit | false;
  /** How long `close()` lets in-flight runs finish before cancelling them (default 30 s). */
  readonly shutdownGraceMs?: number;
  readonly version?: string;
}

export interface Gateway {
  readonly app: FastifyInstance;
  readonly services: GatewayServices;
  /** Starts listening; refuses `--auth none` off loopback. Resolves to the base URL. */
  listen(port: number, host: string): Promise<string>;
  close(): Promise<void>;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { perSecond: 50, burst: 200 };

const AJV_LOGGER = {
  log: (...args: unknown[]): void => console.log(...args),
  warn: (...args: unknown[]): void => {
    if (!String(args[0]).startsWith('DEPRECATED: option unicode')) console.warn(...args);
  },
  error: (...args: unknown[]): void => console.error(...args),
};

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | undefined;
  }
  interface FastifyContextConfig {
    scope?: Scope;
  }
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const m = /^Bearer\s+([A-Za-z0-9._~+/-]+=*)\s*$/i.exec(header);
    if (!m) throw new MamlError('unauthorized', 'the Authorization header must be `Bearer <token>`');
    return m[1];
  }
  // Browsers cannot set headers on a WebSocket: the token may come as a query parameter there only.
  const query = request.query as Record<string, unknown> | undefined;
  return request.url.startsWith('/v1/ws') && typeof query?.['access_token'] === 'string'
    ? query['access_token']
    : undefined;
}

export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const services = options.services ?? (await openServices(options));
  const limiter = options.rateLimit === false ? undefined : new RateLimiter(options.rateLimit ?? DEFAULT_RATE_LIMIT);
  const auth = options.auth;
  const app = Fastify({
    bodyLimit: options.bodyLimit ?? MAX_DOCUMENT_CHARS * 4 + 65_536,
    logger: false,
    return503OnClosing: true,
    ajv: {
      customOptions: {
        removeAdditional: false,
        coerceTypes: false,
        allErrors: true,
        useDefaults: false,
        // `maxLength` counts UTF-16 code units (string.length) instead of walking every document to count code
        // points: the same bound within 2×, at no cost per request. Ajv still honours the option but calls it
        // deprecated; that one notice is dropped, every other warning is printed.
        unicode: false,
        logger: AJV_LOGGER,
      },
    },
  });
  const streams = new Set<() => void>();
  let openapi: object | undefined;
  const gateway: GatewayInfo = {
    auth: auth.mode,
    streams,
    openapi: () => (openapi ??= openapiDocument(ROUTES, options.version ?? '0.0.0', auth.mode)),
  };
  app.decorateRequest('principal', undefined);
  app.addContentTypeParser('text/markdown', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  const identify = async (request: FastifyRequest): Promise<Principal> => {
    if (auth.mode === 'none') return { subject: auth.subject ?? 'agent://local', scopes: new Set(SCOPES) };
    const token = bearer(request);
    if (token === undefined) throw new MamlError('unauthorized', 'a bearer token is required');
    return auth.verify(token);
  };
  const authenticate = async (request: FastifyRequest, scope: Scope): Promise<Principal> => {
    const principal = await identify(request);
    if (!hasScope(principal, scope))
      throw new MamlError('permission_denied', `the token lacks the ${scope} scope this request needs`);
    return principal;
  };

  app.addHook('onRequest', async (request, reply) => {
    reply.headers(SECURITY_HEADERS);
    const scope = request.routeOptions.config.scope;
    if (scope === undefined) return;
    request.principal = await authenticate(request, scope);
    const wait = limiter?.take(request.principal.subject) ?? 0;
    if (wait > 0) {
      reply.header('retry-after', String(wait));
      throw new MamlError('rate_limited', `too many requests; retry in ${wait} s`);
    }
  });
  app.addHook('onResponse', async (request, reply) => {
    services.metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  app.setErrorHandler((error, _request, reply) => {
    const { status, body } = errorBody(toSerialized(error));
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const { status, body } = errorBody({
      code: 'not_found',
      message: `no route ${request.method} ${request.url.split('?')[0] ?? ''}`,
      retryable: false,
    });
    return reply.code(status).send(body);
  });

  const context = (request: FastifyRequest): RouteContext => ({ services, principal: request.principal, gateway });
  for (const route of ROUTES) register(app, route, context);

  await app.register(websocket, { options: { maxPayload: 65_536 } });
  app.get('/v1/ws', { websocket: true }, (socket, request) =>
    runSocket({ services, gateway }, socket, authenticate(request, 'maml:read')),
  );
  // MCP tools check their own scopes; the token and the subject's rate limit are checked here.
  registerMcpHttp(
    app,
    services,
    async (request) => {
      const principal = await identify(request);
      const wait = limiter?.take(principal.subject) ?? 0;
      if (wait > 0) throw new MamlError('rate_limited', `too many requests; retry in ${wait} s`);
      return principal;
    },
    options.version,
  );

  let closing: Promise<void> | undefined;
  return {
    app,
    services,
    async listen(port, host) {
      if (auth.mode === 'none' && !isLoopbackHost(host))
        throw new MamlError('usage', `--auth none is only allowed on a loopback address, not ${host}`);
      return app.listen({ port, host });
    },
    close() {
      closing ??= (async () => {
        const stopped = app.close();
        await services.runs.drain(options.shutdownGraceMs ?? 30_000);
        for (const end of [...streams]) end();
        await stopped;
        if (!options.services) await services.close(0);
      })();
      return closing;
    },
  };
}

function register(app: FastifyInstance, route: Route, context: (request: FastifyRequest) => RouteContext): void {
  app.route({
    method: route.method,
    url: route.url,
    ...(route.schema
      ? {
          schema: {
            ...(route.schema.body ? { body: route.schema.body } : {}),
            ...(route.schema.params ? { params: route.schema.params } : {}),
            ...(route.schema.querystring ? { querystring: route.schema.querystring } : {}),
          },
        }
      : {}),
    config: route.scope === undefined ? {} : { scope: route.scope },
    handler: (request: FastifyRequest, reply: FastifyReply) => route.handler(context(request), request, reply),
  });
}
