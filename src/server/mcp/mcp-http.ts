/**
 * MCP over Streamable HTTP at /mcp on the gateway, stateless: each POST gets a fresh server and transport for
 * the authenticated principal (same bearer tokens and scopes as the REST API). GET and DELETE (server-initiated
 * streams and sessions) are not offered in stateless mode: the gateway answers them 405 like any other method a
 * path does not take. Host, Origin and media type are checked by the gateway's request hook before this runs.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Principal } from '../auth/principal.js';
import type { GatewayServices } from '../services.js';
import { createMcpServer } from './mcp-server.js';

export const MCP_PATH = '/mcp';

export function registerMcpHttp(
  app: FastifyInstance,
  services: GatewayServices,
  identify: (request: FastifyRequest) => Promise<Principal>,
  version = '0.0.0',
): void {
  app.post(
    MCP_PATH,
    { config: { media: { types: ['application/json'], bodyRequired: true } } },
    async (request, reply) => {
      const principal = await identify(request);
      const server = createMcpServer(services, principal, version);
      const transport = new StreamableHTTPServerTransport({ enableJsonResponse: false });
      reply.hijack();
      // The headers the request hook set (security, CORS) go out on the hijacked response too.
      for (const [name, value] of Object.entries(reply.getHeaders()))
        if (value !== undefined) reply.raw.setHeader(name, value);
      reply.raw.on('close', () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(request.raw, reply.raw, request.body);
    },
  );
}
