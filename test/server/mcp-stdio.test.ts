// `maml mcp` over stdio (a child process with an in-memory database), driven by the SDK's client.
import { after, before } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CLI } from '../helpers/paths.js';
import { runMcpSuite } from './mcp.case.js';

let client: Client;

before(async () => {
  client = new Client({ name: 'maml-test', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [CLI, 'mcp', '--memory', '--heads', 'quantum:1,ai:1'],
      stderr: 'inherit',
    }),
  );
});
after(async () => {
  await client.close();
});

runMcpSuite('MCP over stdio', () => client);
