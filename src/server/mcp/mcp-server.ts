/**
 * Builds an MCP server (official SDK) over the gateway services for one principal: the tools of tools/index.ts,
 * each checked against the principal's scopes, and resources for runs (`maml://runs/{runId}`) and the MAML
 * front matter JSON Schema (`maml://schema/maml.schema.json`).
 */
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { FRONT_MATTER_SCHEMA } from '../../format/index.js';
import { MamlError } from '../../shared/index.js';
import { hasScope, type Principal } from '../auth/principal.js';
import { runJson, visible } from '../run-json.js';
import type { GatewayServices } from '../services.js';
import { errorResult, jsonResult } from './tool.js';
import { MCP_TOOLS } from './tools/index.js';

export const SCHEMA_URI = 'maml://schema/maml.schema.json';

export function createMcpServer(services: GatewayServices, principal: Principal, version: string): McpServer {
  const server = new McpServer({ name: 'maml-gateway', version }, { capabilities: { logging: {} } });
  for (const tool of MCP_TOOLS) {
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, inputSchema: tool.inputSchema },
      async (args: Record<string, unknown>, extra): Promise<CallToolResult> => {
        try {
          if (!hasScope(principal, tool.scope))
            throw new MamlError('permission_denied', `the token lacks the ${tool.scope} scope ${tool.name} needs`);
          const value = await tool.run(
            {
              services,
              principal,
              progressToken: extra._meta?.progressToken,
              notify: (n) => extra.sendNotification(n),
              signal: extra.signal,
            },
            args,
          );
          return jsonResult(value);
        } catch (error) {
          return errorResult(error);
        }
      },
    );
  }
  server.registerResource(
    'maml-schema',
    SCHEMA_URI,
    { title: 'MAML front matter JSON Schema', mimeType: 'application/schema+json' },
    (uri) =>
      Promise.resolve({
        contents: [
          { uri: uri.href, mimeType: 'application/schema+json', text: JSON.stringify(FRONT_MATTER_SCHEMA, null, 2) },
        ],
      }),
  );
  server.registerResource(
    'runs',
    new ResourceTemplate('maml://runs/{runId}', {
      list: async () => ({
        // Without maml:read a token lists nothing (reading a run needs that scope too).
        resources: (hasScope(principal, 'maml:read') ? await services.store.listRuns(50) : [])
          .filter((r) => visible(r, principal))
          .map((r) => ({ uri: `maml://runs/${r.id}`, name: `run ${r.id}`, mimeType: 'application/json' })),
      }),
    }),
    { title: 'Runs', mimeType: 'application/json' },
    async (uri, variables) => {
      if (!hasScope(principal, 'maml:read')) throw new MamlError('permission_denied', 'the token lacks maml:read');
      const runId = String(variables['runId']);
      const run = await runJson(services, runId, principal);
      if (!run) throw new MamlError('not_found', `no run ${runId}`);
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(run, null, 2) }] };
    },
  );
  return server;
}
