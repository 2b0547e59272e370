// MCP over Streamable HTTP at /mcp on a gateway on 127.0.0.1, driven by the SDK's client.
import { after, before } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startGateway, type RunningGateway } from './harness.js';
import { runMcpSuite } from './mcp.case.js';

let gw: RunningGateway;
let client: Client;

before(async () => {
  gw = await startGateway();
  client = new Client({ name: 'maml-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${gw.url}/mcp`)));
});
after(async () => {
  await client.close();
  await gw.gateway.close();
});

runMcpSuite('MCP over HTTP', () => client);
