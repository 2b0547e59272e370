/**
 * Every diagnostic code of the OpenQASM front end, each triggered by a minimal program and checked at its line and
 * column. A guard fails when a code in QASM_CODES has no case here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QASM_CODES, parseQasm } from '../../src/quantum/index.js';

interface Case {
  readonly code: string;
  readonly lines: readonly string[];
  readonly line: number;
  readonly column?: number;
  readonly includes?: string;
  readonly bindings?: Record<string, number>;
  readonly severity?: 'error' | 'warning';
}

const Q3 = 'OPENQASM 3.0;';
const STD = 'include "stdgates.inc";';

const CASES: readonly Case[] = [
  { code: 'syntax_error', lines: [Q3, 'qubit q', 'h q;'], line: 3, column: 1, includes: 'Expected `;` but found `h`' },
  {
    code: 'syntax_error',
    lines: [Q3, STD, 'qubit[2] q;', 'cx q[0] q[1];'],
    line: 4,
    column: 9,
    includes: 'Expected `,` or `;`',
  },
  { code: 'syntax_error', lines: [Q3, 'qubit q;', 'rx(0.1 q;'], line: 3, column: 8, includes: '`,` or `)`' },
  { code: 'invalid_character', lines: [Q3, 'qubit q;', 'x q; ?'], line: 3, column: 6, includes: '`?`' },
  { code: 'nesting_too_deep', lines: [Q3, `float x = ${'('.repeat(300)}1${')'.repeat(300)};`], line: 2 },
  { code: 'unsupported_version', lines: ['OPENQASM 4.0;', 'qubit q;'], line: 1, column: 1, includes: 'version 4.0' },
  { code: 'include_not_found', lines: [Q3, 'include "mylib.inc";'], line: 2, column: 1, includes: 'mylib.inc' },
  {
    code: 'unsupported_feature',
    lines: [Q3, 'qubit q;', 'while (true) { x q; }'],
    line: 3,
    column: 1,
    includes: '`while` loops are not supported by this simulator',
  },
  {
    code: 'duplicate_declaration',
    lines: [Q3, 'qubit[2] q;', 'bit[2] q;'],
    line: 3,
    column: 8,
    includes: '`q` is already declared',
  },
  {
    code: 'duplicate_declaration',
    lines: [Q3, STD, 'gate h a { U(0, 0, 0) a; }'],
    line: 3,
    column: 6,
    includes: 'already defined',
  },
  { code: 'invalid_register_size', lines: [Q3, 'qubit[0] q;'], line: 2, column: 7 },
  { code: 'too_many_qubits', lines: [Q3, 'qubit[600] a;', 'qubit[600] b;'], line: 3, column: 1, includes: '1200' },
  {
    code: 'undeclared_identifier',
    lines: [Q3, STD, 'qubit q;', 'rx(alpha) q;'],
    line: 4,
    column: 4,
    includes: '`alpha`',
  },
  {
    code: 'undeclared_identifier',
    lines: [Q3, STD, 'qubit q;', 'h r[0];'],
    line: 4,
    column: 3,
    includes: 'register `r`',
  },
  {
    code: 'undefined_gate',
    lines: [Q3, 'qubit q;', 'foo q;'],
    line: 3,
    column: 1,
    includes: 'Gate `foo` is not defined',
  },
  {
    code: 'undefined_gate',
    lines: ['OPENQASM 2.0;', 'qreg q[1];', 'h q[0];'],
    line: 3,
    column: 1,
    includes: 'qelib1.inc',
  },
  {
    code: 'wrong_parameter_count',
    lines: [Q3, STD, 'qubit q;', 'rx(0.1, 0.2) q;'],
    line: 4,
    column: 1,
    includes: 'takes 1 parameter but was given 2',
  },
  {
    code: 'wrong_qubit_count',
    lines: [Q3, STD, 'qubit[2] q;', 'cx q[0];'],
    line: 4,
    column: 1,
    includes: 'acts on 2 qubits but was given 1',
  },
  {
    code: 'wrong_qubit_count',
    lines: [Q3, STD, 'qubit[2] q;', 'ctrl @ x q[0];'],
    line: 4,
    column: 1,
    includes: '1 control',
  },
  { code: 'duplicate_qubit', lines: [Q3, STD, 'qubit[2] q;', 'cx q[0], q[0];'], line: 4, column: 1, includes: 'q[0]' },
  { code: 'register_size_mismatch', lines: [Q3, STD, 'qubit[2] a;', 'qubit[3] b;', 'cx a, b;'], line: 5, column: 7 },
  { code: 'register_size_mismatch', lines: [Q3, 'qubit[2] q;', 'bit[3] c;', 'c = measure q;'], line: 4, column: 1 },
  { code: 'index_out_of_range', lines: [Q3, STD, 'qubit[2] q;', 'h q[2];'], line: 4, column: 5, includes: 'size 2' },
  { code: 'index_out_of_range', lines: [Q3, STD, 'qubit[2] q;', 'h q[-3];'], line: 4, column: 5 },
  { code: 'invalid_index', lines: [Q3, STD, 'qubit[2] q;', 'h q[0.5];'], line: 4, column: 5, includes: 'integer' },
  { code: 'invalid_gate_body', lines: [Q3, 'qubit q;', 'bit c;', 'gate g a { measure a -> c; }'], line: 4, column: 12 },
  {
    code: 'invalid_gate_body',
    lines: [Q3, STD, 'gate g a { h b; }'],
    line: 3,
    column: 14,
    includes: '`b` is not a qubit argument',
  },
  { code: 'invalid_modifier', lines: [Q3, STD, 'qubit[2] q;', 'ctrl(0) @ x q[0], q[1];'], line: 4, column: 6 },
  {
    code: 'power_not_computable',
    lines: [Q3, STD, 'gate w a, b, c, d { h a; }', 'qubit[4] q;', 'pow(0.5) @ w q[0], q[1], q[2], q[3];'],
    line: 5,
    column: 1,
    includes: 'integer power',
  },
  {
    code: 'type_error',
    lines: [Q3, STD, 'qubit q;', 'bit c;', 'rx(c) q;'],
    line: 5,
    column: 4,
    includes: 'bit register',
  },
  { code: 'type_error', lines: [Q3, 'const int n = 2;', 'n = 3;'], line: 3, column: 1, includes: 'constant' },
  {
    code: 'non_finite_value',
    lines: [Q3, STD, 'qubit q;', 'rx(1/0) q;'],
    line: 4,
    column: 4,
    includes: 'Division by zero',
  },
  { code: 'non_finite_value', lines: [Q3, STD, 'qubit q;', 'rx(sqrt(-1)) q;'], line: 4, column: 4 },
  { code: 'missing_input_binding', lines: [Q3, 'input float[64] theta;'], line: 2, column: 17, includes: '`theta`' },
  {
    code: 'unused_binding',
    lines: [Q3, 'qubit q;'],
    line: 1,
    column: 1,
    bindings: { phi: 1 },
    severity: 'warning',
    includes: '`phi`',
  },
  {
    code: 'invalid_condition',
    lines: [Q3, STD, 'qubit q;', 'bit[2] c;', 'if (c[0] && c[1]) x q;'],
    line: 5,
    column: 5,
  },
  { code: 'invalid_loop', lines: [Q3, STD, 'qubit q;', 'for uint i in [0:0:3] { x q; }'], line: 4, column: 16 },
  { code: 'unroll_limit', lines: [Q3, STD, 'qubit q;', 'for uint i in [0:3000000] { x q; }'], line: 4, column: 16 },
  {
    code: 'derivative_unavailable',
    lines: [Q3, STD, 'input float[64] t;', 'qubit q;', 'pow(0.5) @ rx(t) q;'],
    line: 5,
    column: 1,
    bindings: { t: 0.3 },
    severity: 'warning',
  },
];

for (const c of CASES) {
  test(`${c.code}: ${c.lines[c.line - 1]?.slice(0, 40) ?? ''}`, () => {
    const text = c.lines.join('\n');
    const result = parseQasm(text, c.bindings ? { bindings: c.bindings } : {});
    const found = result.diagnostics.find((d) => d.code === c.code);
    assert.ok(
      found,
      `no ${c.code}; got ${result.diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`).join(', ')}`,
    );
    assert.equal(found.line, c.line, 'line');
    if (c.column !== undefined) assert.equal(found.column, c.column, 'column');
    assert.equal(found.severity, c.severity ?? 'error');
    assert.equal(found.source, 'qasm');
    assert.equal(found.ruleId, QASM_CODES[found.code as keyof typeof QASM_CODES]);
    if (c.includes) assert.ok(found.message.includes(c.includes), found.message);
    // the offset agrees with line and column
    const before = text.slice(0, found.offset).split('\n');
    assert.equal(before.length, found.line);
    assert.equal((before.at(-1)?.length ?? 0) + 1, found.column);
    if ((c.severity ?? 'error') === 'error') assert.equal(result.circuit, undefined);
    else assert.ok(result.circuit);
  });
}

test('every diagnostic code has a case (internal_error excepted)', () => {
  const covered = new Set(CASES.map((c) => c.code));
  const missing = Object.keys(QASM_CODES).filter((code) => code !== 'internal_error' && !covered.has(code));
  assert.deepEqual(missing, []);
});

test('unsupported OpenQASM 3 features are named as such', () => {
  const features: [string, string][] = [
    ['def f(qubit a) { x a; }', '`def` subroutines'],
    ['extern f(int) -> int;', '`extern` functions'],
    ['duration d = 100ns;', '`duration` types'],
    ['delay[100ns] q;', '`delay`'],
    ['stretch s;', '`stretch` types'],
    ['box { x q; }', '`box` blocks'],
    ['cal { }', '`cal` blocks'],
    ['defcal x $0 { }', '`defcal` calibrations'],
    ['array[int[32], 3] a;', 'arrays'],
    ['while (true) { x q; }', '`while` loops'],
    ['x $0;', 'Physical qubits'],
    ['complex c = 1;', '`complex` variables'],
  ];
  for (const [line, name] of features) {
    const result = parseQasm(`${Q3}\n${STD}\nqubit q;\n${line}`);
    const d = result.diagnostics.find((x) => x.code === 'unsupported_feature');
    assert.ok(d, `${line}: ${result.diagnostics.map((x) => x.code).join(', ')}`);
    assert.equal(d.line, 4, line);
    assert.ok(d.message.includes(name) && d.message.includes('not supported by this simulator'), d.message);
  }
});

test('independent mistakes are all reported, in document order', () => {
  const result = parseQasm(
    [Q3, STD, 'qubit[2] q;', 'h q[5];', 'foo q[0];', 'rx(1, 2) q[1];', 'cx q[0], q[0];'].join('\n'),
  );
  assert.deepEqual(
    result.diagnostics.map((d) => [d.code, d.line]),
    [
      ['index_out_of_range', 4],
      ['undefined_gate', 5],
      ['wrong_parameter_count', 6],
      ['duplicate_qubit', 7],
    ],
  );
  const syntax = parseQasm([Q3, 'qubit q', 'bit c', 'x q;'].join('\n'));
  assert.deepEqual(
    syntax.diagnostics.map((d) => [d.code, d.line]),
    [
      ['syntax_error', 3],
      ['syntax_error', 4],
    ],
  );
});
