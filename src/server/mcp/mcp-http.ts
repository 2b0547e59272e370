/**
 * MCP over Streamable HTTP at /mcp on the gateway, stateless: each POST gets a fresh server and transport for
 * the authenticated principal (same bearer tokens and scopes as the REST API). GET and DELETE (server-initiated
 * streams and sessions) are not offered in stateless mode and answer 405.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { errorBody } from '../http/error-reply.js';
import { SECURITY_HEADERS } from '../http/security-headers.js';
import type { Principal } from '../auth/principal.js';
import type { GatewayServices } from '../services.js';
import { createMcpServer } from './mcp-server.js';

export function registerMcpHttp(
  app: FastifyInstance,
  services: GatewayServices,
  identify: (request: FastifyRequest) => Promise<Principal>,
  version = '0.0.0',
): void {
  app.post('/mcp', async (request, reply) => {
    const principal = await identify(request);
    const server = createMcpServer(services, principal, version);
    const transport = new StreamableHTTPServerTransport({ enableJsonResponse: false });
    reply.hijack();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.raw.setHeader(name, value);
    reply.raw.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(request.raw, reply.raw, request.body);
  });
  const notAllowed = async (_request: FastifyRequest, reply: FastifyReply) => {
    const { body } = errorBody({
      code: 'unsupported',
      message: 'this MCP endpoint is stateless: use POST',
      retryable: false,
    });
    return reply.code(405).header('allow', 'POST').send(body);
  };
  app.get('/mcp', notAllowed);
  app.delete('/mcp', notAllowed);
}
