// Public exports of the gateway server (Node only): HTTP/WebSocket API, auth, services, MCP.
export { createGateway, DEFAULT_RATE_LIMIT } from './gateway.js';
export type { AuthOptions, Gateway, GatewayOptions } from './gateway.js';
export { openServices, DEFAULT_LOG_ORIGIN } from './services.js';
export type { GatewayServices, ServicesOptions } from './services.js';
export { jwtVerifier, DEFAULT_ALGORITHMS, MAX_TOKEN_CHARS } from './auth/jwt-verifier.js';
export type { JwtOptions, TokenVerifier } from './auth/jwt-verifier.js';
export { SCOPES, hasScope, scopesOf } from './auth/principal.js';
export type { Principal, Scope } from './auth/principal.js';
export { isLoopbackHost } from './auth/loopback.js';
export { ROUTES } from './routes/index.js';
export type { Route } from './routes/route.js';
export { openapiDocument } from './openapi.js';
export { RateLimiter } from './http/rate-limiter.js';
export * from './mcp/index.js';
export { ValidationPool, defaultValidateThreads } from './validation/index.js';
export type { ValidationPoolOptions } from './validation/index.js';
