/**
 * The MAML Gateway HTTP server (Fastify): the routes of routes/index.ts, the WebSocket /v1/ws and MCP at /mcp,
 * behind bearer-token auth with scopes, per-subject rate limits, body limits and security headers; errors as
 * `{error: {code, message}}`. Every request first passes the checks a browser-facing server owes its users, in
 * this order: the connection is within `--max-connections` (else 503), the Host names this gateway (403, against
 * DNS rebinding), the Origin, when sent, is this gateway's own or an allowed one (403), the method is one the
 * path takes (405 with Allow), the Content-Type is one the route accepts (415); then the token, its scope and the
 * subject's rate limit. `close()` stops accepting requests, lets in-flight runs finish for a grace period and
 * cancels (records) the rest.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import websocket from '@fastify/websocket';
import { MamlError } from '../shared/index.js';
import { hasScope, SCOPES, type Principal, type Scope } from './auth/principal.js';
import type { TokenVerifier } from './auth/jwt-verifier.js';
import { isLoopbackAddress, nonLoopbackProblem, type HostLookup } from './auth/loopback.js';
import { defaultDashboardDir, loadDashboard, registerDashboard } from './dashboard.js';
import { MAX_DOCUMENT_CHARS } from './document-body.js';
import { AllowedHosts, hostProblem } from './http/allowed-hosts.js';
import { AllowedOrigins, checkOrigin } from './http/allowed-origins.js';
import { ConnectionLimit, defaultMaxConnections } from './http/connection-limit.js';
import { errorBody, publicError, retryAfterSeconds, toSerialized, type ErrorLog } from './http/error-reply.js';
import { mediaTypeProblem, type MediaTypes } from './http/media-types.js';
import { RateLimiter, type RateLimit } from './http/rate-limiter.js';
import { RouteMethods } from './http/route-methods.js';
import { SECURITY_HEADERS } from './http/security-headers.js';
import { StreamQuota } from './http/stream-quota.js';
import { MCP_PATH, registerMcpHttp } from './mcp/mcp-http.js';
import { openapiDocument } from './openapi.js';
import { ROUTES } from './routes/index.js';
import { mediaTypesOf, type GatewayInfo, type Route, type RouteContext } from './routes/route.js';
import { DEFAULT_SUBSCRIPTIONS_PER_SOCKET, MAX_MESSAGE_BYTES, runSocket } from './routes/run-socket.js';
import { openServices, type GatewayServices, type ServicesOptions } from './services.js';

export type AuthOptions =
  | { readonly mode: 'none'; /** Subject every request runs as (default agent://local). */ readonly subject?: string }
  | { readonly mode: 'jwt'; readonly verify: TokenVerifier };

/** Node HTTP server timeouts, against slow clients holding connections (slowloris). */
export interface ServerTimeouts {
  /** The request head (line and headers) must arrive within this (default 20 s; answered 408). */
  readonly headersMs?: number;
  /** The whole request, body included, must arrive within this (default 60 s; answered 408). */
  readonly requestMs?: number;
  /** An idle keep-alive connection is closed after this (default 10 s). */
  readonly keepAliveMs?: number;
}

export interface GatewayOptions extends ServicesOptions {
  readonly auth: AuthOptions;
  /** Services to use instead of opening new ones (tests, `maml mcp`). */
  readonly services?: GatewayServices;
  /** Request body limit in bytes (default 4 MiB + 64 KiB: a 1 Mi-unit document as UTF-8 plus JSON framing). */
  readonly bodyLimit?: number;
  /** Per-subject limit; `false` turns it off (benchmarks). Default 50/s with bursts of 200. */
  readonly rateLimit?: RateLimit | false;
  /** How long `close()` lets in-flight runs finish before cancelling them (default 30 s). */
  readonly shutdownGraceMs?: number;
  readonly version?: string;
  /** Host names the gateway answers to besides its listen address (and loopback names when on loopback). */
  readonly allowedHosts?: readonly string[];
  /** Web origins (`https://app.example.com`) whose pages may call the gateway besides its own. */
  readonly allowedOrigins?: readonly string[];
  /** Open connections beyond which requests are answered 503 (default from the open-files limit). */
  readonly maxConnections?: number;
  /** Event streams (SSE and WebSockets) one subject may hold open (default 64). */
  readonly maxStreamsPerSubject?: number;
  /** Runs one WebSocket may be subscribed to at once (default 100). */
  readonly maxSubscriptionsPerSocket?: number;
  readonly timeouts?: ServerTimeouts;
  /** Where faults of the gateway are logged with their reference (default stderr). */
  readonly errorLog?: ErrorLog;
  /** Resolves a listen host name (tests); the system resolver by default. */
  readonly lookup?: HostLookup;
  /** The built web dashboard served at `/` (default dist/dashboard); `false` serves none. */
  readonly dashboardDir?: string | false;
}

export interface Gateway {
  readonly app: FastifyInstance;
  readonly services: GatewayServices;
  /** Starts listening; refuses `--auth none` unless every address it binds is loopback. Resolves to the base URL. */
  listen(port: number, host: string): Promise<string>;
  close(): Promise<void>;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { perSecond: 50, burst: 200 };
export const DEFAULT_MAX_STREAMS_PER_SUBJECT = 64;
const DEFAULT_TIMEOUTS: Required<ServerTimeouts> = { headersMs: 20_000, requestMs: 60_000, keepAliveMs: 10_000 };
/** Seconds a refused connection is told to wait. */
const CONNECTIONS_RETRY_AFTER_S = 1;

/** Request headers a page on an allowed origin may send (CORS preflight). */
const CORS_REQUEST_HEADERS = 'authorization, content-type, accept, last-event-id, mcp-protocol-version, mcp-session-id';
/** Response headers a page on an allowed origin may read. */
const CORS_EXPOSED_HEADERS = 'location, retry-after, allow, mcp-session-id';

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
    /** Request media types the route accepts; undefined: not checked (GET). */
    media?: MediaTypes;
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

function usage(what: () => unknown): void {
  try {
    what();
  } catch (error) {
    throw new MamlError('usage', (error as Error).message);
  }
}

export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  let allowedHosts: AllowedHosts | undefined;
  let allowedOrigins: AllowedOrigins | undefined;
  usage(() => {
    allowedHosts = new AllowedHosts(options.allowedHosts ?? []);
    allowedOrigins = new AllowedOrigins(options.allowedOrigins ?? []);
  });
  const hosts = allowedHosts as AllowedHosts;
  const origins = allowedOrigins as AllowedOrigins;
  const services = options.services ?? (await openServices(options));
  const limiter = options.rateLimit === false ? undefined : new RateLimiter(options.rateLimit ?? DEFAULT_RATE_LIMIT);
  const auth = options.auth;
  const bodyLimit = options.bodyLimit ?? MAX_DOCUMENT_CHARS * 4 + 65_536;
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const app = Fastify({
    bodyLimit,
    logger: false,
    // Requests during shutdown get our JSON error with Retry-After (the hook below), not Fastify's own body.
    return503OnClosing: false,
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    http: {
      headersTimeout: timeouts.headersMs,
      // How often Node looks for requests past those timeouts (its default, 30 s, would let them run long).
      connectionsCheckingInterval: Math.max(100, Math.min(5_000, Math.floor(timeouts.headersMs / 4))),
    },
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
  const connections = new ConnectionLimit(app.server, options.maxConnections ?? defaultMaxConnections());
  const unwatch = services.metrics.watchConnections(() => connections.open);
  app.addHook('onClose', async () => void unwatch());
  const streams = new Set<() => void>();
  let openapi: object | undefined;
  const gateway: GatewayInfo = {
    auth: auth.mode,
    streams,
    streamQuota: new StreamQuota(options.maxStreamsPerSubject ?? DEFAULT_MAX_STREAMS_PER_SUBJECT),
    subscriptionsPerSocket: options.maxSubscriptionsPerSocket ?? DEFAULT_SUBSCRIPTIONS_PER_SOCKET,
    openapi: () => (openapi ??= openapiDocument(ROUTES, options.version ?? '0.0.0', auth.mode)),
  };
  const methods = new RouteMethods();
  let closing = false;
  // Registered before the hooks below: its own onRequest hook marks upgrade requests, so that one refused by a
  // check below (Host, Origin, limits) has its socket closed after the answer instead of left open.
  await app.register(websocket, { options: { maxPayload: MAX_MESSAGE_BYTES } });
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
  const rateLimit = (principal: Principal): void => {
    const wait = limiter?.take(principal.subject) ?? 0;
    if (wait > 0)
      throw new MamlError('rate_limited', `too many requests; retry in ${wait} s`, {
        retryable: true,
        details: { retryAfterSeconds: wait },
      });
  };

  app.addHook('onRequest', async (request, reply) => {
    reply.headers(SECURITY_HEADERS);
    if (closing || connections.refuses(request.raw.socket)) {
      reply.header('connection', 'close');
      if (closing)
        throw new MamlError('unavailable', 'the gateway is shutting down; retry in a few seconds', {
          retryable: true,
          details: { retryAfterSeconds: 5 },
        });
      services.metrics.connectionsRefused.inc();
      throw new MamlError(
        'unavailable',
        `the gateway has ${connections.max} connections open, its limit (maml serve --max-connections); retry in ${CONNECTIONS_RETRY_AFTER_S} s`,
        { retryable: true, details: { retryAfterSeconds: CONNECTIONS_RETRY_AFTER_S } },
      );
    }
    const badHost = hostProblem(hosts, request.headers.host);
    if (badHost !== undefined) throw new MamlError('permission_denied', badHost);
    const origin = checkOrigin(origins, request.headers.origin, request.headers.host);
    if (!origin.ok) throw new MamlError('permission_denied', origin.message);
    const path = request.url.split('?')[0] ?? '';
    if (origin.cors !== undefined) {
      reply.header('access-control-allow-origin', origin.cors).header('vary', 'Origin');
      reply.header('access-control-expose-headers', CORS_EXPOSED_HEADERS);
      const preflight = request.headers['access-control-request-method'];
      const allow = methods.allowed(path);
      if (request.method === 'OPTIONS' && typeof preflight === 'string' && allow) {
        return reply
          .code(204)
          .header('access-control-allow-methods', allow.join(', '))
          .header('access-control-allow-headers', CORS_REQUEST_HEADERS)
          .header('access-control-max-age', '600')
          .send();
      }
    }
    const media = request.routeOptions.config.media;
    const badType = media && mediaTypeProblem(media, request.headers['content-type'], request.method, path);
    if (badType) throw new MamlError('unsupported_media_type', badType);
    const scope = request.routeOptions.config.scope;
    if (scope === undefined) return;
    request.principal = await authenticate(request, scope);
    rateLimit(request.principal);
  });
  app.addHook('onResponse', async (request, reply) => {
    services.metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  app.setErrorHandler((error, request, reply) => {
    const media = request.routeOptions.config.media;
    const serialized = publicError(
      toSerialized(error, {
        bodyLimit,
        bodyLimitNote: `documents may have up to ${MAX_DOCUMENT_CHARS} UTF-16 code units`,
        ...(media ? { accepts: media.types } : {}),
      }),
      error,
      options.errorLog,
    );
    const { status, body } = errorBody(serialized);
    if ((status === 429 || status === 503) && !reply.hasHeader('retry-after'))
      reply.header('retry-after', String(retryAfterSeconds(serialized)));
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const allow = methods.allowed(path);
    if (allow !== undefined) reply.header('allow', allow.join(', '));
    const { status, body } = errorBody(
      allow === undefined
        ? { code: 'not_found', message: `no route ${request.method} ${path}`, retryable: false }
        : {
            code: 'method_not_allowed',
            message: `${path} does not take ${request.method}; it takes ${allow.join(', ')}`,
            retryable: false,
          },
    );
    return reply.code(status).send(body);
  });

  const context = (request: FastifyRequest): RouteContext => ({ services, principal: request.principal, gateway });
  for (const route of ROUTES) {
    register(app, route, context);
    methods.add(route.method, route.url);
  }

  if (options.dashboardDir !== false)
    for (const url of registerDashboard(app, loadDashboard(options.dashboardDir ?? defaultDashboardDir())))
      methods.add('GET', url);

  app.get('/v1/ws', { websocket: true }, (socket, request) =>
    runSocket({ services, gateway }, socket, authenticate(request, 'maml:read')),
  );
  methods.add('GET', '/v1/ws');
  // MCP tools check their own scopes; the token and the subject's rate limit are checked here.
  registerMcpHttp(
    app,
    services,
    async (request) => {
      const principal = await identify(request);
      rateLimit(principal);
      return principal;
    },
    options.version,
  );
  methods.add('POST', MCP_PATH);

  let closed: Promise<void> | undefined;
  return {
    app,
    services,
    async listen(port, host) {
      if (auth.mode === 'none') {
        const problem = await nonLoopbackProblem(host, options.lookup);
        if (problem !== undefined)
          throw new MamlError('usage', `--auth none is only allowed on a loopback address: ${problem}`);
      }
      const url = await app.listen({ port, host, backlog: connections.max });
      const addresses = app.addresses().flatMap((a) => (typeof a === 'string' ? [] : [a.address]));
      const outside = addresses.find((a) => !isLoopbackAddress(a));
      if (auth.mode === 'none' && outside !== undefined) {
        await app.close();
        throw new MamlError('usage', `--auth none is only allowed on a loopback address, and ${host} bound ${outside}`);
      }
      hosts.addListener(host, addresses);
      return url;
    },
    close() {
      closed ??= (async () => {
        closing = true;
        const stopped = app.close();
        await services.runs.drain(options.shutdownGraceMs ?? 30_000);
        for (const end of [...streams]) end();
        await stopped;
        if (!options.services) await services.close(0);
      })();
      return closed;
    },
  };
}

function register(app: FastifyInstance, route: Route, context: (request: FastifyRequest) => RouteContext): void {
  const media = mediaTypesOf(route);
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
    config: { ...(route.scope === undefined ? {} : { scope: route.scope }), ...(media ? { media } : {}) },
    handler: (request: FastifyRequest, reply: FastifyReply) => route.handler(context(request), request, reply),
  });
}
