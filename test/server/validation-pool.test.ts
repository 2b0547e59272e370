// The validation pool: byte-identical answers to the inline path, worker failures confined to their own request,
// a bounded queue, shutdown and metrics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MCP_TOOLS, SCOPES, ValidationPool, defaultValidateThreads, type ToolContext } from '../../src/server/index.js';
import { validationAnswer } from '../../src/server/validation/index.js';
import { FIXTURES } from '../helpers/paths.js';
import { WORKFLOW, jsonBody, markdown, startGateway } from './harness.js';

const FAULTY = new URL('./faulty-validate-worker.js', import.meta.url);

function corpus(): string[] {
  const docs: string[] = [];
  for (const group of ['valid', 'invalid', 'dialects', 'scan/attack', 'scan/benign'])
    for (const name of readdirSync(join(FIXTURES, group))
      .filter((f) => f.endsWith('.md'))
      .sort())
      docs.push(readFileSync(join(FIXTURES, group, name), 'utf8'));
  // Hostile inputs: empty, control characters, lone surrogates, deep YAML nesting, a huge line, many fences.
  docs.push(
    '',
    '\u0000\u0001---\n\u0000',
    `---\nmaml_version: "1.0"\nid: "\ud800"\n---\n\n## Intent\n\n\udfff\n`,
    `---\na: ${'['.repeat(100)}\n---\n`,
    `---\nmaml_version: "1.0"\n---\n${'x'.repeat(300_000)}\n`,
    '```qasm {#a needs=a}\n```\n'.repeat(2000),
    WORKFLOW,
  );
  return docs;
}

test('the pool answers byte for byte what the event loop answers, status and headers included', async () => {
  const inline = await startGateway({ rateLimit: false, validateThreads: 0 });
  const pooled = await startGateway({ rateLimit: false, validateThreads: 2 });
  try {
    assert.equal(inline.gateway.services.validation, undefined);
    assert.equal(pooled.gateway.services.validation?.threads, 2);
    const docs = corpus();
    assert.ok(docs.length >= 30, `only ${docs.length} documents in the corpus`);
    let invalid = 0;
    let validated = 0;
    for (const doc of docs) {
      for (const init of [markdown(doc), jsonBody({ document: doc, profile: 'strict' }), jsonBody({ document: doc })]) {
        const [a, b] = await Promise.all([inline.request('/v1/validate', init), pooled.request('/v1/validate', init)]);
        const [ta, tb] = [await a.text(), await b.text()];
        assert.equal(b.status, a.status);
        assert.equal(b.headers.get('content-type'), a.headers.get('content-type'));
        assert.equal(tb, ta, `different answers for ${JSON.stringify(doc.slice(0, 60))}`);
        if (a.status === 200) validated++;
        if (a.status === 200 && (JSON.parse(ta) as { ok: boolean }).ok === false) invalid++;
      }
    }
    assert.ok(invalid >= 20, `only ${invalid} invalid answers: the corpus should exercise diagnostics`);
    // Nesting deep enough to overflow the stack is refused by both; where the overflow happens depends on the
    // stack left to the parser (a worker has more), so only the outcome is compared: a few diagnostics, each once.
    const deep = markdown(`---\na: ${'['.repeat(5000)}\n---\n`);
    for (const gw of [inline, pooled]) {
      const { status, body } = await gw.json<{ ok: boolean; diagnostics: { code: string }[] }>('/v1/validate', deep);
      assert.deepEqual([status, body.ok], [200, false]);
      assert.ok(body.diagnostics.length > 0 && body.diagnostics.length <= 4, JSON.stringify(body.diagnostics));
      for (const d of body.diagnostics) assert.ok(['nesting_too_deep', 'yaml_syntax'].includes(d.code), d.code);
    }
    // The MCP tool maml_validate takes the same path and gives the same result.
    const tool = MCP_TOOLS.find((t) => t.name === 'maml_validate');
    assert.ok(tool);
    const call = (gw: typeof inline, document: string): Promise<unknown> =>
      tool.run(
        {
          services: gw.gateway.services,
          principal: { subject: 'agent://test', scopes: new Set(SCOPES) },
          progressToken: undefined,
          notify: () => Promise.resolve(),
          signal: new AbortController().signal,
        } satisfies ToolContext,
        { document, profile: 'strict' },
      );
    for (const doc of docs.slice(0, 12)) assert.deepEqual(await call(pooled, doc), await call(inline, doc));
    // The documents really went through the workers.
    assert.equal(pooled.gateway.services.validation?.answered, validated + 1 + 12);
    const metrics = await (await pooled.request('/metrics')).text();
    assert.match(metrics, /^maml_validate_threads 2$/m);
    assert.match(metrics, /^maml_validate_queue_depth 0$/m);
  } finally {
    await Promise.all([inline.gateway.close(), pooled.gateway.close()]);
  }
});

test('a crashed or throwing worker fails only its own document and is replaced', async () => {
  const pool = new ValidationPool({ threads: 2, workerUrl: FAULTY });
  try {
    for (const bad of ['CRASH', 'THROW']) {
      const results = await Promise.allSettled([
        pool.validate(bad, 'lenient'),
        ...Array.from({ length: 6 }, () => pool.validate(WORKFLOW, 'lenient')),
      ]);
      const [first, ...rest] = results;
      assert.equal(first?.status, 'rejected');
      const reason = (first as PromiseRejectedResult).reason as { code: string; retryable: boolean; message: string };
      assert.equal(reason.code, 'unavailable');
      assert.equal(reason.retryable, true);
      if (bad === 'THROW') assert.match(reason.message, /worker blew up/);
      for (const r of rest) {
        assert.equal(r.status, 'fulfilled');
        assert.equal((JSON.parse((r as PromiseFulfilledResult<string>).value) as { ok: boolean }).ok, true);
      }
    }
    assert.deepEqual(pool.replacements(), { crash: 2, timeout: 0, memory: 0 });
    // Both threads still answer.
    const after = await Promise.all(Array.from({ length: 4 }, () => pool.validate(WORKFLOW, 'strict')));
    assert.equal(after.length, 4);
  } finally {
    await pool.close();
  }
});

test('a worker that runs out of memory fails only its document, with resource_limit, and the process lives on', async () => {
  // With worker threads, this allocation aborted the whole process (V8's fatal out-of-memory error is not
  // contained by resourceLimits); a worker process takes only itself down.
  const pool = new ValidationPool({ threads: 1, workerUrl: FAULTY, maxHeapMb: 64, timeoutMs: 60_000 });
  try {
    const [oom, next] = await Promise.allSettled([pool.validate('OOM', 'lenient'), pool.validate(WORKFLOW, 'lenient')]);
    assert.equal(oom.status, 'rejected');
    const reason = (oom as PromiseRejectedResult).reason as { code: string; retryable: boolean; message: string };
    assert.equal(reason.code, 'resource_limit');
    assert.equal(reason.retryable, false);
    assert.match(reason.message, /64 MiB/);
    assert.equal(next.status, 'fulfilled');
    assert.equal((JSON.parse((next as PromiseFulfilledResult<string>).value) as { ok: boolean }).ok, true);
    assert.deepEqual(pool.replacements(), { crash: 0, timeout: 0, memory: 1 });
  } finally {
    await pool.close();
  }
});

test('the reported 58-byte document and its bigger variants are answered at once by the pool', async () => {
  const pool = new ValidationPool({ threads: 1, maxHeapMb: 128, timeoutMs: 30_000 });
  try {
    for (const braces of [26, 200, 5000]) {
      const doc = `---\na: :d\n${'{'.repeat(braces)} fe"\n---\n`;
      const body = JSON.parse(await pool.validate(doc, 'lenient')) as { ok: boolean; diagnostics: { code: string }[] };
      assert.equal(body.ok, false);
      assert.ok(body.diagnostics.length <= 4, JSON.stringify(body.diagnostics));
    }
    assert.deepEqual(pool.replacements(), { crash: 0, timeout: 0, memory: 0 });
  } finally {
    await pool.close();
  }
});

test('a worker that hangs is stopped at the time limit and replaced', async () => {
  const pool = new ValidationPool({ threads: 1, workerUrl: FAULTY, timeoutMs: 300 });
  try {
    const hung = pool.validate('HANG', 'lenient');
    const queued = pool.validate(WORKFLOW, 'lenient');
    await assert.rejects(hung, { code: 'timeout' });
    assert.equal((JSON.parse(await queued) as { ok: boolean }).ok, true);
    assert.deepEqual(pool.replacements(), { crash: 0, timeout: 1, memory: 0 });
  } finally {
    await pool.close();
  }
});

test('a full queue is refused with unavailable, and closing fails what waits', async () => {
  const pool = new ValidationPool({ threads: 1, maxQueue: 2, workerUrl: FAULTY, timeoutMs: 60_000 });
  const hung = pool.validate('HANG', 'lenient');
  const waiting = [pool.validate(WORKFLOW, 'lenient'), pool.validate(WORKFLOW, 'lenient')].map((p) =>
    assert.rejects(p, { code: 'unavailable' }),
  );
  const running = assert.rejects(hung, { code: 'unavailable' });
  await assert.rejects(
    pool.validate(WORKFLOW, 'lenient'),
    (e: { code: string; retryable: boolean; message: string }) => {
      assert.equal(e.code, 'unavailable');
      assert.equal(e.retryable, true);
      assert.match(e.message, /busy/);
      return true;
    },
  );
  assert.equal(pool.queued, 2);
  assert.equal(pool.busy, 1);
  await pool.close();
  await Promise.all([...waiting, running]);
  await assert.rejects(pool.validate(WORKFLOW, 'lenient'), { code: 'unavailable' });
});

test('over HTTP a worker crash is a 503 error body, and the other requests succeed', async () => {
  const gw = await startGateway({ rateLimit: false, validateThreads: 2, validatePool: { workerUrl: FAULTY } });
  try {
    const [crashed, ...ok] = await Promise.all([
      gw.json<{ error: { code: string; message: string } }>('/v1/validate', markdown('CRASH')),
      ...Array.from({ length: 5 }, () => gw.json<{ ok: boolean }>('/v1/validate', markdown(WORKFLOW))),
    ]);
    assert.equal(crashed?.status, 503);
    assert.equal(crashed?.body.error.code, 'unavailable');
    assert.equal(crashed?.res.headers.get('retry-after'), '1');
    assert.doesNotMatch(crashed?.body.error.message ?? '', /\n\s+at /, 'no stack trace');
    for (const r of ok) assert.deepEqual([r.status, r.body.ok], [200, true]);
    const metrics = await (await gw.request('/metrics')).text();
    assert.match(metrics, /^maml_validate_workers_replaced_total\{reason="crash"\} 1$/m);
  } finally {
    await gw.gateway.close();
  }
});

test('validation through the gateway checks OpenQASM blocks', async () => {
  const doc =
    '---\nmaml_version: "1.0"\n---\n\n## Code_Blocks\n\n```qasm {#bell}\nOPENQASM 2.0;\nqreg q[1];\nnope q[0];\n```\n';
  const inline = validationAnswer(doc, 'lenient');
  assert.deepEqual(
    inline.diagnostics.filter((d) => d.source === 'qasm').map((d) => `${d.line}:${d.column} ${d.code}`),
    ['10:1 undefined_gate'],
  );
  const pool = new ValidationPool({ threads: 1 });
  try {
    assert.equal(await pool.validate(doc, 'lenient'), JSON.stringify(inline));
  } finally {
    await pool.close();
  }
});

test('the default thread count leaves one core to the event loop, at most 8', () => {
  assert.deepEqual(
    [1, 2, 4, 16, 64].map((n) => defaultValidateThreads(n)),
    [0, 1, 3, 8, 8],
  );
});
