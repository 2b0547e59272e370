// Block checkers injected into validation: positions move from the block's code to the document, only blocks
// that would run are checked, the amount of code checked per document is bounded, and the OpenQASM checker
// reports an undefined gate at its line and column while leaving input-dependent checks to run time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  MAX_CHECK_WORK,
  MAX_CHECKED_CODE,
  parse,
  validate,
  type BlockChecker,
  type BlockCheckers,
} from '../../src/format/index.js';
import { checkQasmBlock } from '../../src/quantum/index.js';
import { diagnostic } from '../../src/shared/diagnostic.js';
import { ROOT } from '../helpers/paths.js';

const FM = '---\nmaml_version: "1.0"\n---\n';
const qasm: BlockCheckers = { qasm: checkQasmBlock };
const found = (text: string, checkers = qasm): string[] =>
  validate(parse(text), { blockCheckers: checkers })
    .filter((d) => d.ruleId !== 'front-matter-types')
    .map((d) => `${d.line}:${d.column} ${d.severity} ${d.code}`);

/** A checker that reports line 2, column 3 of every block, and counts its calls. */
function probe(): { checker: BlockChecker; calls: string[] } {
  const calls: string[] = [];
  const checker: BlockChecker = (code) => {
    calls.push(code);
    const here = diagnostic({
      code: 'probe',
      severity: 'warning',
      message: 'here',
      place: { line: 2, column: 3, offset: 0 },
      ruleId: 'probe',
      source: 'probe',
    });
    return { diagnostics: [here], work: 1, complete: true };
  };
  return { checker, calls };
}

test('a checker position lands on the document line and column, past indentation, with CRLF too', () => {
  const { checker } = probe();
  const doc = `${FM}## Code_Blocks\n\n\`\`\`python {#a}\nx = 1\ny = 2\n\`\`\`\n\n  \`\`\`python {#b}\n  x = 1\n  yy = 2\n  \`\`\`\n`;
  const got = validate(parse(doc), { blockCheckers: { python: checker } }).filter((d) => d.code === 'probe');
  assert.deepEqual(
    got.map((d) => `${d.line}:${d.column} ${d.ruleId} ${d.source}`),
    ['8:3 probe probe', '13:5 probe probe'],
  );
  assert.equal(doc.slice(got[0]?.offset, (got[0]?.offset ?? 0) + 1), '=');
  assert.equal(doc.slice(got[1]?.offset, (got[1]?.offset ?? 0) + 2), ' =');
  assert.match(got[0]?.message ?? '', /^python block `a`: here$/);
  const crlf = validate(parse(doc.replace(/\n/g, '\r\n')), { blockCheckers: { python: checker } });
  assert.deepEqual(
    crlf.filter((d) => d.code === 'probe').map((d) => `${d.line}:${d.column}`),
    ['8:3', '13:5'],
  );
});

test('only blocks that would run are checked, and none without a checker', () => {
  const { checker, calls } = probe();
  const doc = `${FM}## Context\n\n\`\`\`qasm\nshown\n\`\`\`\n\n## Code_Blocks\n\n\`\`\`qasm {#off run=false}\nskipped\n\`\`\`\n\n\`\`\`qasm {#on}\nchecked\n\`\`\`\n`;
  validate(parse(doc), { blockCheckers: { qasm: checker } });
  assert.deepEqual(calls, ['checked\n']);
  assert.ok(!validate(parse(doc)).some((d) => d.code === 'probe'));
});

test(`at most ${MAX_CHECKED_CODE / 1024} KiB of code is checked per document; the rest is one info`, () => {
  const { checker, calls } = probe();
  const block = `\`\`\`qasm\n${'x'.repeat(1023)}\n\`\`\`\n`;
  const diagnostics = validate(parse(`${FM}${block.repeat(300)}`), { blockCheckers: { qasm: checker } });
  assert.equal(calls.length, 256);
  const info = diagnostics.filter((d) => d.code === 'block_not_checked');
  assert.equal(info.length, 1);
  assert.match(info[0]?.message ?? '', /^44 blocks were not checked here/);
});

test('OpenQASM: an undefined gate is reported at its place in the document', () => {
  const doc = `${FM}## Code_Blocks\n\n\`\`\`qasm {#bell}\nOPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\nh q[0];\nfoo q[0], q[1];\n\`\`\`\n`;
  assert.deepEqual(found(doc), ['11:1 error undefined_gate']);
  const d = validate(parse(doc), { blockCheckers: qasm }).find((x) => x.code === 'undefined_gate');
  assert.equal(d?.source, 'qasm');
  assert.match(d?.message ?? '', /^OpenQASM block `bell`: /);
  assert.equal(doc.slice(d?.offset, (d?.offset ?? 0) + 3), 'foo');
  // Without the checker, validation says nothing about the program.
  assert.deepEqual(found(doc, {}), []);
  // Syntax errors too.
  assert.deepEqual(found(`${FM}\`\`\`qasm\nOPENQASM 3.0;\nqubit q\nh q;\n\`\`\`\n`).length, 1);
});

test('OpenQASM: inputs are not known yet; only checks that cannot depend on them are reported', () => {
  const ok = `${FM}\`\`\`qasm\nOPENQASM 3.0;\ninclude "stdgates.inc";\ninput float theta;\ninput int n;\nqubit[n] q;\nrx(theta) q[3];\n\`\`\`\n`;
  assert.deepEqual(found(ok), []);
  const bad = ok.replace('rx(theta) q[3];', 'rx(theta) q[3];\nnosuch q[0];');
  assert.deepEqual(found(bad), ['11:1 error undefined_gate']);
});

test('OpenQASM loops are checked within a work budget per document: past it, an info, and the blocks run checked', () => {
  // A few lines that unroll to millions of operations: checking them in full would hold validation for minutes.
  const loop = (n: number, gate: string): string =>
    `OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[2] q;\nfor int i in [0:${n}] {\n  h q[0];\n  cx q[0], q[1];\n}\n${gate} q[0];\n`;
  const block = (id: string, code: string): string => `\`\`\`qasm {#${id}}\n${code}\`\`\`\n\n`;
  const spent: number[] = [];
  const counting: BlockChecker = (code, budget) => {
    const result = checkQasmBlock(code, budget);
    spent.push(result.work);
    return result;
  };
  const many = Array.from({ length: 20 }, (_, i) => block(`b${i}`, loop(100_000, 'frobnicate'))).join('');
  const got = found(`${FM}## Code_Blocks\n\n${many}`, { qasm: counting });
  // The budget is shared: the first block spends it, the others are not lowered at all.
  assert.ok(spent.reduce((a, b) => a + b, 0) <= MAX_CHECK_WORK + 100, `spent ${spent.join(', ')}`);
  assert.equal(spent.length, 1);
  assert.deepEqual(got, ['6:1 info block_not_checked']);
  // Within the budget the whole program is checked: the undefined gate after a short loop is found.
  assert.deepEqual(found(`${FM}## Code_Blocks\n\n${block('short', loop(100, 'frobnicate'))}`), [
    '14:1 error undefined_gate',
  ]);
});

test('the format area imports no sibling area (quantum, crypto, scan): checkers are injected', () => {
  const dir = join(ROOT, 'src/format');
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  for (const file of files) {
    const source = readFileSync(join(dir, file), 'utf8');
    assert.doesNotMatch(source, /from '(\.\.\/)+(quantum|crypto|scan|runtime|server|cli)\//, file);
  }
});
