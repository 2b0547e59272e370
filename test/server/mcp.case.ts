/**
 * The MCP tools and resources as an MCP client sees them (the SDK's own Client), over any transport: shared by
 * mcp-http.test.ts (Streamable HTTP at /mcp on the gateway) and mcp-stdio.test.ts (`maml mcp`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { FRONT_MATTER_SCHEMA } from '../../src/format/index.js';
import { WORKFLOW } from './harness.js';
import { RISKY, RISKY_FINDING, RISKY_MESSAGE } from '../helpers/risky-document.js';

type Json = Record<string, unknown>;

const structured = (result: unknown): Json => (result as CallToolResult).structuredContent as Json;

export function runMcpSuite(label: string, client: () => Client): void {
  test(`${label}: lists the six tools and both resources`, async () => {
    const { tools } = await client().listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), [
      'maml_get_run',
      'maml_run',
      'maml_search',
      'maml_validate',
      'maml_verify',
      'qasm_simulate',
    ]);
    const { resources } = await client().listResources();
    assert.ok(resources.some((r) => r.uri === 'maml://schema/maml.schema.json'));
    const { resourceTemplates } = await client().listResourceTemplates();
    assert.ok(resourceTemplates.some((r) => r.uriTemplate === 'maml://runs/{runId}'));
    const schema = await client().readResource({ uri: 'maml://schema/maml.schema.json' });
    assert.deepEqual(JSON.parse((schema.contents[0] as { text: string }).text), FRONT_MATTER_SCHEMA);
  });

  test(`${label}: maml_validate reports diagnostics; a bad argument is a tool error, not a protocol error`, async () => {
    const ok = structured(await client().callTool({ name: 'maml_validate', arguments: { document: WORKFLOW } }));
    assert.equal(ok['ok'], true);
    const bad = structured(
      await client().callTool({
        name: 'maml_validate',
        arguments: { document: '---\nmaml_version: 1\n---\n', profile: 'strict' },
      }),
    );
    assert.equal(bad['ok'], false);
    const missing = (await client().callTool({
      name: 'maml_get_run',
      arguments: { runId: 'no-such-run' },
    })) as CallToolResult;
    assert.equal(missing.isError, true);
    assert.match(JSON.stringify(missing.content), /not_found/);
    const refused = (await client().callTool({
      name: 'maml_run',
      arguments: { document: '---\nmaml_version: "1.0"\n---\n\n```python {#a needs=missing}\nx\n```\n' },
    })) as CallToolResult;
    assert.equal(refused.isError, true);
    assert.match(JSON.stringify(refused.content), /invalid_document/);
  });

  test(`${label}: maml_run refuses a document the threat scan flags, with the findings`, async () => {
    const refused = (await client().callTool({ name: 'maml_run', arguments: { document: RISKY } })) as CallToolResult;
    assert.equal(refused.isError, true);
    const error = (refused.structuredContent as { error: { code: string; message: string; details: Json } }).error;
    assert.equal(error.code, 'invalid_document');
    assert.match(error.message, RISKY_MESSAGE);
    const diagnostics = error.details['diagnostics'] as { code: string; line: number; column: number }[];
    assert.ok(
      diagnostics.some(
        (d) => d.code === RISKY_FINDING.code && d.line === RISKY_FINDING.line && d.column === RISKY_FINDING.column,
      ),
    );
  });

  test(`${label}: qasm_simulate samples a Bell pair (only 00 and 11)`, async () => {
    const source =
      'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[2] q;\nbit[2] c;\nh q[0];\ncx q[0], q[1];\nc = measure q;\n';
    const result = structured(
      await client().callTool({ name: 'qasm_simulate', arguments: { source, shots: 500, seed: 3 } }),
    );
    const counts = result['counts'] as Record<string, number>;
    assert.deepEqual(
      Object.keys(counts).filter((k) => k !== '00' && k !== '11'),
      [],
    );
    assert.equal(
      Object.values(counts).reduce((a, b) => a + b, 0),
      500,
    );
  });

  test(`${label}: maml_run with a progress token reports each block, then get_run, verify and search agree`, async () => {
    const progress: { progress: number; total?: number | undefined }[] = [];
    const result = structured(
      await client().callTool({ name: 'maml_run', arguments: { document: WORKFLOW } }, undefined, {
        onprogress: (p) => progress.push(p),
        timeout: 60_000,
      }),
    );
    assert.equal(result['status'], 'succeeded', JSON.stringify(result['error']));
    assert.deepEqual(
      progress.map((p) => p.progress),
      [1, 2, 3],
    );
    assert.ok(progress.every((p) => p.total === 3));
    const runId = result['runId'] as string;
    const run = structured(await client().callTool({ name: 'maml_get_run', arguments: { runId } }));
    assert.equal((run['tickets'] as unknown[]).length, 3);
    const verified = structured(await client().callTool({ name: 'maml_verify', arguments: { runId } }));
    assert.equal(verified['ok'], true, JSON.stringify(verified));
    assert.deepEqual(verified['missing'], []);
    const found = structured(
      await client().callTool({ name: 'maml_search', arguments: { text: 'bell pair', tags: ['demo'] } }),
    );
    assert.ok((found['documents'] as { runId: string }[]).some((d) => d.runId === runId));
    const none = structured(await client().callTool({ name: 'maml_search', arguments: { tags: ['no-such-tag'] } }));
    assert.deepEqual(none['documents'], []);
    const resource = await client().readResource({ uri: `maml://runs/${runId}` });
    assert.equal((JSON.parse((resource.contents[0] as { text: string }).text) as Json)['status'], 'succeeded');
  });

  test(`${label}: maml_run without a progress token returns the run id at once`, async () => {
    const result = structured(await client().callTool({ name: 'maml_run', arguments: { document: WORKFLOW } }));
    assert.equal(result['status'], 'running');
    assert.match(String(result['runId']), /^[0-9a-f-]{36}$/);
  });
}
