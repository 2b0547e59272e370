/**
 * The dashboard's pure logic, under Node: the in-browser inclusion proof check against the project's Merkle tree
 * and its RFC 9162 verifier (every index of trees up to 33 leaves, and tampered proofs refused by both), the DAG
 * layout, the histogram, the input form, and the run state folded from events.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashLeaf, verifyInclusion as reference } from '../../src/crypto/merkle.js';
import { MerkleTree } from '../../src/crypto/merkle-tree.js';
import { layoutDag } from '../../src/dashboard/lib/dag-layout.js';
import { histogram, isCounts } from '../../src/dashboard/lib/histogram.js';
import { fieldsOf, inputSchemaOf, inputsOf } from '../../src/dashboard/lib/input-form.js';
import { checkTicketProof, leafHash, toHex, verifyInclusion } from '../../src/dashboard/lib/merkle-proof.js';
import { RunState } from '../../src/dashboard/lib/run-state.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');

test('the browser proof check agrees with the project verifier on every index of trees of 1 to 33 leaves', async () => {
  let checked = 0;
  for (let size = 1; size <= 33; size++) {
    const tree = new MerkleTree();
    for (let i = 0; i < size; i++) tree.push(hashLeaf(utf8(`entry ${i}`)));
    const root = tree.root(size);
    for (let index = 0; index < size; index++) {
      const leaf = await leafHash(utf8(`entry ${index}`));
      assert.deepEqual(leaf, hashLeaf(utf8(`entry ${index}`)));
      const proof = tree.inclusionProof(index, size);
      assert.equal(await verifyInclusion(leaf, index, size, proof, root), true, `${index}/${size}`);
      assert.equal(reference(leaf, index, size, proof, root), true);
      // Tampered: another index, another size, a flipped bit, a proof too short or too long.
      const flipped = proof.map((p, i) => (i === 0 ? Uint8Array.from(p, (x, j) => (j === 0 ? x ^ 1 : x)) : p));
      const variants: [number, number, Uint8Array[]][] = [
        [index + 1, size, proof],
        [index, size + 1, proof],
        [index, size, flipped],
        [index, size, proof.slice(1)],
        [index, size, [...proof, root]],
      ];
      for (const [i, n, p] of variants)
        assert.equal(
          await verifyInclusion(leaf, i, n, p, root),
          reference(leaf, i, n, p, root),
          `${i}/${n}/${p.length}`,
        );
      // (A proof can fit a larger size against the same root, e.g. index 0 of 3 as of 4: RFC 9162 proofs are
      // checked against a root whose size comes from a signed head, which is why the page checks the checkpoint.)
      if (proof.length > 0) {
        assert.equal(await verifyInclusion(leaf, index, size, flipped, root), false);
        assert.equal(await verifyInclusion(leaf, index, size, proof.slice(1), root), false);
      }
      if (index + 1 < size) assert.equal(await verifyInclusion(leaf, index + 1, size, proof, root), false);
      checked++;
    }
  }
  assert.equal(checked, 561);
  assert.equal(await verifyInclusion(new Uint8Array(32), 0, 0, [], new Uint8Array(32)), false);
  assert.equal(await verifyInclusion(new Uint8Array(31), 0, 1, [], new Uint8Array(32)), false);
  assert.equal(await verifyInclusion(new Uint8Array(32), -1, 1, [], new Uint8Array(32)), false);
});

test('a ticket answer checks when the entry, proof and checkpoint agree, and names the part that does not', async () => {
  const entries = ['t0', 'compact ticket one', 't2', 't3', 't4'];
  const tree = new MerkleTree();
  for (const e of entries) tree.push(hashLeaf(utf8(e)));
  const root = b64(tree.root());
  const answer = {
    compact: 'compact ticket one',
    logIndex: 1,
    leafHash: toHex(hashLeaf(utf8('compact ticket one'))),
    treeSize: 5,
    rootHash: root,
    inclusionProof: tree.inclusionProof(1, 5).map(b64),
    checkpoint: `maml.audit/log\n5\n${root}\n\n— audit-log sig\n`,
  };
  assert.deepEqual(await checkTicketProof(answer), {
    leafMatches: true,
    included: true,
    checkpointMatches: true,
    ok: true,
  });
  const changed = await checkTicketProof({ ...answer, compact: 'compact ticket 1' });
  assert.equal(changed.leafMatches, false);
  assert.equal(changed.included, false);
  assert.equal(changed.ok, false);
  const otherHead = await checkTicketProof({ ...answer, checkpoint: `maml.audit/log\n6\n${root}\n` });
  assert.deepEqual([otherHead.included, otherHead.checkpointMatches, otherHead.ok], [true, false, false]);
  const junk = await checkTicketProof({ ...answer, inclusionProof: ['not base64!'], rootHash: '???' });
  assert.equal(junk.ok, false);
});

test('the DAG layout puts stages in columns and orders rows by the upstream blocks', () => {
  const blocks = [
    { id: 'a', needs: [] },
    { id: 'b', needs: [] },
    { id: 'c', needs: ['b'] },
    { id: 'd', needs: ['a'] },
    { id: 'e', needs: ['c', 'd', 'ghost'] },
  ];
  const layout = layoutDag(blocks, [['a', 'b'], ['c', 'd'], ['e']]);
  const at = new Map(layout.blocks.map((b) => [b.id, [b.column, b.row]]));
  assert.deepEqual(at.get('a'), [0, 0]);
  assert.deepEqual(at.get('b'), [0, 1]);
  // d follows a (row 0) and c follows b (row 1): no crossing.
  assert.deepEqual(at.get('d'), [1, 0]);
  assert.deepEqual(at.get('c'), [1, 1]);
  assert.deepEqual(at.get('e'), [2, 0]);
  assert.equal(layout.columns, 3);
  assert.equal(layout.rows, 2);
  assert.deepEqual(
    layout.edges.map((e) => `${e.from}>${e.to}`),
    ['b>c', 'a>d', 'c>e', 'd>e'],
  );
  // A cycle has no stages: one block per column, in document order.
  const cyclic = layoutDag(
    [
      { id: 'x', needs: ['y'] },
      { id: 'y', needs: ['x'] },
    ],
    [],
  );
  assert.deepEqual(
    cyclic.blocks.map((b) => [b.id, b.column, b.row]),
    [
      ['x', 0, 0],
      ['y', 1, 0],
    ],
  );
});

test('histograms: counts are recognised, ordered by outcome, and long tails folded into "other"', () => {
  assert.equal(isCounts({ '00': 510, '11': 514 }), true);
  assert.equal(isCounts({ '0 1': 3 }), true);
  for (const v of [{}, { a: 1 }, { '01': -1 }, { '01': 1.5 }, [1, 2], null, '00', { '01': '3' }])
    assert.equal(isCounts(v), false, JSON.stringify(v));
  assert.deepEqual(histogram({ '11': 3, '00': 1 }), [
    { label: '00', count: 1, share: 0.25 },
    { label: '11', count: 3, share: 0.75 },
  ]);
  const wide: Record<string, number> = {};
  for (let i = 0; i < 64; i++) wide[i.toString(2).padStart(6, '0')] = i + 1;
  const bars = histogram(wide, 8);
  assert.equal(bars.length, 8);
  assert.equal(bars.at(-1)?.label, 'other');
  assert.equal(
    bars.reduce((n, b) => n + b.count, 0),
    (64 * 65) / 2,
  );
  assert.deepEqual(
    bars.slice(0, 7).map((b) => b.count),
    [58, 59, 60, 61, 62, 63, 64],
  );
});

test('the input form reads the Input_Schema and turns the fields into typed inputs with messages', () => {
  const text =
    '## Intent\n\nx\n\n## Input_Schema\n\n```json\n{"type":"object","required":["shots","mode"],"properties":{"shots":{"type":"integer","default":1024},"rate":{"type":"number"},"mode":{"enum":["fast","exact"]},"dry":{"type":"boolean"},"label":{"type":"string"},"weights":{"type":"array"}}}\n```\n';
  const fields = fieldsOf(inputSchemaOf(text));
  assert.deepEqual(
    fields.map((f) => [f.name, f.kind, f.required, f.defaultText]),
    [
      ['shots', 'integer', true, '1024'],
      ['rate', 'number', false, ''],
      ['mode', 'enum', true, ''],
      ['dry', 'boolean', false, ''],
      ['label', 'string', false, ''],
      ['weights', 'json', false, ''],
    ],
  );
  assert.deepEqual(
    inputsOf(fields, { shots: '20', rate: '0.5', mode: '"exact"', dry: true, label: ' a b ', weights: '[1, 2]' }),
    { ok: true, inputs: { shots: 20, rate: 0.5, mode: 'exact', dry: true, label: ' a b ', weights: [1, 2] } },
  );
  const bad = inputsOf(fields, { shots: '2.5', rate: 'x', mode: '', weights: '[1,' });
  assert.equal(bad.ok, false);
  assert.deepEqual(Object.keys(bad.ok ? {} : bad.problems).sort(), ['mode', 'rate', 'shots', 'weights']);
  assert.equal(inputSchemaOf('## Input_Schema\n\n```json\n{not json\n```\n'), undefined);
  assert.equal(inputSchemaOf('no schema here'), undefined);
  assert.equal(inputSchemaOf('## Input_Schema\n\n## Output_Schema\n\n```json\n{}\n```\n'), undefined);
  assert.deepEqual(fieldsOf({ type: 'object' }), []);
});

test('the run state follows events in order, ignores repeats, and keeps ended blocks ended', () => {
  const state = new RunState([
    { id: 'a', lang: 'qasm' },
    { id: 'b', lang: 'python' },
  ]);
  const at = '2026-01-01T00:00:00.000Z';
  const ev = (seq: number, type: string, blockId: string | null, data: Record<string, unknown>) => ({
    seq,
    at,
    type,
    blockId,
    data,
  });
  assert.equal(state.apply(ev(1, 'run_started', null, { blocks: ['a', 'b'], langs: ['qasm', 'python'] })), 'run');
  assert.equal(state.apply(ev(2, 'block_started', 'a', { head: 'quantum-1', attempt: 1 })), 'a');
  assert.equal(state.block('a').status, 'running');
  state.apply(ev(3, 'regenerate', 'a', { attempt: 2, reason: 'head died' }));
  state.apply(ev(4, 'block_started', 'a', { head: 'quantum-2', attempt: 2 }));
  state.apply(
    ev(5, 'block_succeeded', 'a', { head: 'quantum-2', durationMs: 12.4, attempts: 2, error: null, lang: 'qasm' }),
  );
  assert.equal(state.apply(ev(5, 'block_started', 'a', { head: 'x', attempt: 9 })), undefined, 'a repeat is ignored');
  state.apply(
    ev(6, 'block_failed', 'b', {
      head: 'ai-1',
      durationMs: 3,
      attempts: 1,
      error: { code: 'block_failed', message: '<b>boom</b>' },
    }),
  );
  // A late replay of a start does not reopen an ended block.
  state.apply(ev(7, 'block_started', 'b', { head: 'ai-2', attempt: 1 }));
  state.apply(ev(8, 'run_finished', null, { status: 'failed', error: { code: 'block_failed', message: 'b failed' } }));
  const a = state.block('a');
  assert.deepEqual([a.status, a.head, a.attempts, a.durationMs], ['succeeded', 'quantum-2', 2, 12.4]);
  assert.equal(a.log.length, 4);
  assert.match(a.log[3] ?? '', /succeeded in 12 ms/);
  const b = state.block('b');
  assert.equal(b.status, 'failed');
  assert.deepEqual(b.error, { code: 'block_failed', message: '<b>boom</b>' });
  assert.equal(state.status, 'failed');
  assert.equal(state.lastSeq, 8);
  assert.equal(state.apply({ seq: Number.NaN, at, type: 'block_started', blockId: 'a', data: null }), undefined);
});
