/**
 * Robustness: the front end never throws and never reports an internal error, whatever the input — random text,
 * random token soup, and valid programs with characters or tokens deleted, duplicated or replaced. Every
 * diagnostic it returns has a consistent position.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseQasm } from '../../src/quantum/index.js';

const SEEDS = [
  'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[3];\ncreg c[3];\nh q[0];\ncx q[0],q[1];\nu3(pi/2,0,pi) q[2];\nbarrier q;\nmeasure q -> c;\nif(c==1) x q[0];\n',
  'OPENQASM 3.0;\ninclude "stdgates.inc";\ninput float[64] theta;\nqubit[4] q;\nbit[4] c;\nconst int n = 4;\ngate g(a) x, y { ctrl @ rx(a) x, y; inv @ pow(2) @ s y; }\nfor uint i in [0:n-2] { g(theta * i) q[i], q[i+1]; }\nc[0] = measure q[0];\nif (c[0] == 1) { reset q[1]; } else { negctrl @ x q[2], q[3]; }\nc = measure q;\n',
  'OPENQASM 3;\ninclude "stdgates.inc";\nqubit[2] q;\nbit[2] c;\ngphase(π/4);\nctrl @ gphase(τ) q[0];\npow(0.5) @ cx q[0], q[1];\nfor i in {0, 1} { h q[i]; }\nc = measure q;\n',
];

const TOKENS = [
  'OPENQASM',
  '3.0',
  '2.0',
  ';',
  'include',
  '"stdgates.inc"',
  '"qelib1.inc"',
  'qubit',
  'qreg',
  'bit',
  'creg',
  '[',
  ']',
  '(',
  ')',
  '{',
  '}',
  ',',
  'q',
  'c',
  'x',
  'h',
  'cx',
  'rx',
  'U',
  'gphase',
  'gate',
  'ctrl',
  'negctrl',
  'inv',
  'pow',
  '@',
  'measure',
  '->',
  '=',
  '==',
  'if',
  'else',
  'for',
  'in',
  ':',
  'uint',
  'int',
  'float',
  'input',
  'const',
  'pi',
  'π',
  '+',
  '-',
  '*',
  '/',
  '**',
  '^',
  '0',
  '1',
  '2',
  '-1',
  '1e400',
  '0.5',
  'sin',
  'reset',
  'barrier',
  'while',
  'def',
  'box',
  '$0',
  '//',
  '/*',
  '\n',
  ' ',
  'true',
  'false',
  '!',
  '&&',
  'i',
  'n',
  '1000',
  '999999999',
];

function checkNoThrow(text: string, bindings?: Record<string, number>): void {
  const result = parseQasm(text, bindings ? { bindings } : {});
  for (const d of result.diagnostics) {
    assert.notEqual(d.code, 'internal_error', `${d.message}\n--- input ---\n${text}`);
    assert.ok(
      d.line >= 1 && d.column >= 1 && d.offset >= 0 && d.offset <= text.length,
      `bad position in ${JSON.stringify(d)}`,
    );
    assert.equal(d.source, 'qasm');
  }
  if (result.circuit) {
    assert.ok(result.circuit.numQubits <= 1000);
    assert.ok(!result.diagnostics.some((d) => d.severity === 'error'));
  }
}

test('property: random text never throws', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 300, unit: 'grapheme' }), (text) => checkNoThrow(text)),
    { numRuns: 400, seed: 1 },
  );
  fc.assert(
    fc.property(fc.string({ maxLength: 200 }), (text) => checkNoThrow(`OPENQASM 3.0;\n${text}`)),
    { numRuns: 300, seed: 2 },
  );
});

test('property: random token sequences never throw', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 80 }), (tokens) =>
      checkNoThrow(tokens.join(' '), { theta: 0.3 }),
    ),
    { numRuns: 600, seed: 3 },
  );
});

test('property: mutated valid programs never throw', () => {
  const mutation = fc.record({
    seed: fc.constantFrom(...SEEDS),
    edits: fc.array(
      fc.record({
        at: fc.nat(),
        kind: fc.constantFrom('delete', 'duplicate', 'insert', 'replace'),
        length: fc.integer({ min: 1, max: 8 }),
        token: fc.constantFrom(...TOKENS),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  });
  fc.assert(
    fc.property(mutation, ({ seed, edits }) => {
      let text = seed;
      for (const e of edits) {
        const at = e.at % (text.length + 1);
        const cut = text.slice(at, at + e.length);
        if (e.kind === 'delete') text = text.slice(0, at) + text.slice(at + e.length);
        else if (e.kind === 'duplicate') text = text.slice(0, at) + cut + cut + text.slice(at + e.length);
        else if (e.kind === 'insert') text = `${text.slice(0, at)} ${e.token} ${text.slice(at)}`;
        else text = `${text.slice(0, at)}${e.token}${text.slice(at + e.length)}`;
      }
      checkNoThrow(text, { theta: 0.7 });
    }),
    { numRuns: 800, seed: 4 },
  );
});

test('the unmutated seed programs compile', () => {
  for (const seed of SEEDS) {
    const result = parseQasm(seed, { bindings: { theta: 0.7 } });
    assert.ok(result.circuit, result.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`).join('\n'));
  }
});

test('pathological inputs are refused with diagnostics, not exhausted resources', () => {
  const deep = `OPENQASM 3.0;\nqubit q;\n${'if (true) '.repeat(5000)}U(0, 0, 0) q;`;
  assert.ok(parseQasm(deep).diagnostics.some((d) => d.code === 'nesting_too_deep'));
  const parens = `OPENQASM 3.0;\nqubit q;\nU(${'('.repeat(100000)}0, 0, 0) q;`;
  assert.ok(parseQasm(parens).diagnostics.some((d) => d.code === 'nesting_too_deep'));
  // each level doubles the work of expanding a 4-qubit gate that is inlined
  let gates = 'gate g0 a, b, c, d { U(0.1, 0, 0) a; }\n';
  for (let i = 1; i <= 40; i++) gates += `gate g${i} a, b, c, d { g${i - 1} a, b, c, d; g${i - 1} d, c, b, a; }\n`;
  const blowup = parseQasm(`OPENQASM 3.0;\n${gates}qubit[4] q;\ng40 q[0], q[1], q[2], q[3];`);
  assert.ok(blowup.diagnostics.some((d) => d.code === 'unroll_limit'));
  const huge = parseQasm('OPENQASM 3.0;\nqubit[100000] q;');
  assert.ok(huge.diagnostics.some((d) => d.code === 'too_many_qubits'));
  const loop = parseQasm('OPENQASM 3.0;\nqubit q;\nfor int i in [0:999999999999] { U(0, 0, 0) q; }');
  assert.ok(loop.diagnostics.some((d) => d.code === 'unroll_limit'));
});
