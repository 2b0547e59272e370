// Every executor through the shared conformance suite, then what is specific to each language.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { MamlError } from '../../src/shared/index.js';
import {
  RunResources,
  bindNamedParameters,
  EXECUTORS,
  compileExecutorTools,
  executorFor,
  taskSpec,
} from '../../src/runtime/index.js';
import type { Executor } from '../../src/runtime/index.js';
import { CONFORMANCE_RUN, checkCappedAttribute, runConformance } from './executor.case.js';
import { NEEDS_BWRAP, NEEDS_OCAML } from '../helpers/tools.js';

const noSandbox = NEEDS_BWRAP;

function get(lang: string): Executor {
  const executor = executorFor(lang);
  assert.ok(executor, lang);
  return executor;
}

// Every RunResources made here stands for one run: closed after the file's tests, which stops its SQL database.
const runs: RunResources[] = [];
const newRun = (): RunResources => {
  const resources = new RunResources();
  runs.push(resources);
  return resources;
};
after(async () => {
  await Promise.all(runs.map((r) => r.close()));
});

runConformance('python', () => ({
  executor: get('python'),
  passData: 'maml.output("sum", maml.inputs["a"] + maml.inputs["b"])\nmaml.output("echo", maml.inputs["nested"])',
  fail: 'raise RuntimeError("boom")',
  print: 'print("hello")',
  loop: 'while True:\n    pass',
  skip: noSandbox,
}));

runConformance('javascript', () => ({
  executor: get('javascript'),
  passData: 'maml.output("sum", maml.inputs.a + maml.inputs.b);\nmaml.output("echo", maml.inputs.nested);',
  fail: 'throw new Error("boom");',
  print: 'console.log("hello");',
  loop: 'for (;;) {}',
  skip: noSandbox,
}));

runConformance('typescript', () => ({
  executor: get('typescript'),
  passData:
    'type In = { a: number; b: number; nested: unknown };\nconst i = maml.inputs as In;\nmaml.output("sum", i.a + i.b);\nmaml.output("echo", i.nested);',
  fail: 'const message: string = "boom";\nthrow new Error(message);',
  print: 'const s: string = "hello";\nconsole.log(s);',
  skip: noSandbox,
}));

for (const lang of ['bash', 'sh'] as const)
  runConformance(lang, () => ({
    executor: get(lang),
    // No jq in the sandbox: the shell passes the nested JSON through and lets the JSON engine compute the sum.
    passData: 'maml_output sum 42\necho "::output echo=$(printf %s "$MAML_INPUTS" | sed \'s/.*"nested"://; s/}$//\')"',
    fail: 'echo boom >&2; exit 3',
    print: 'echo hello',
    loop: 'while :; do :; done',
    skip: noSandbox,
  }));

runConformance('ocaml', () => ({
  executor: get('ocaml'),
  passData: [
    'let () = maml_output "sum" "42"',
    'let () =',
    '  let key = "\\"nested\\":" in',
    '  let n = String.length maml_inputs and k = String.length key in',
    '  let rec find i = if String.sub maml_inputs i k = key then i + k else find (i + 1) in',
    '  let start = find 0 in',
    '  maml_output "echo" (String.sub maml_inputs start (n - start - 1))',
  ].join('\n'),
  fail: 'let () = failwith "boom"',
  print: 'let () = print_endline "hello"',
  skip: noSandbox || NEEDS_OCAML,
}));

runConformance('sql', () => ({
  executor: get('sql'),
  context: () => ({ resources: newRun() }),
  passData: 'SELECT (:a)::int + (:b)::int AS sum, (:nested)::jsonb AS echo',
  extract: (outputs) => (outputs['rows'] as Record<string, unknown>[])[0] ?? {},
  fail: 'SELECT boom FROM (SELECT 1) AS t',
  loop: 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r',
  skip: noSandbox,
}));

runConformance('qasm', () => ({
  executor: get('qasm'),
  fail: 'OPENQASM 3.0;\ninput float boom;\nqubit q;',
}));

checkCappedAttribute(get('qasm'), 'shots', 'max_shots');

test('every registered executor goes through the conformance suite', () => {
  assert.deepEqual([...CONFORMANCE_RUN].sort(), EXECUTORS.map((e) => e.lang).sort());
});

async function codeOf(promise: Promise<unknown>): Promise<MamlError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof MamlError);
    return error;
  }
  assert.fail('expected an error');
}

test('a missing Python module names what to install', { skip: noSandbox }, async () => {
  const error = await codeOf(
    get('python').run(taskSpec({ blockId: 'ml', lang: 'python', source: 'import torch_not_installed_here' }), {}),
  );
  assert.equal(error.code, 'missing_tool');
  assert.match(error.message, /pip install torch_not_installed_here/);
});

test('a missing JavaScript package is reported by name', { skip: noSandbox }, async () => {
  const error = await codeOf(
    get('javascript').run(taskSpec({ blockId: 'js', lang: 'javascript', source: "import 'left-pad-x';" }), {}),
  );
  assert.equal(error.code, 'missing_tool');
  assert.match(error.message, /'left-pad-x'/);
});

test('a missing command in a shell block is reported as not installed', { skip: noSandbox }, async () => {
  const error = await codeOf(get('bash').run(taskSpec({ blockId: 'sh', lang: 'bash', source: 'qiskit-xyz run' }), {}));
  assert.equal(error.code, 'missing_tool');
  assert.match(error.message, /'qiskit-xyz' is not installed/);
});

test('without an OCaml toplevel the block says how to install it', async () => {
  const tools = compileExecutorTools([get('ocaml')], { MAML_OCAML: '/nonexistent/ocaml' });
  const error = await codeOf(
    get('ocaml').run(taskSpec({ blockId: 'o', lang: 'ocaml', source: 'let () = ()' }), { tools }),
  );
  assert.equal(error.code, 'missing_tool');
  assert.match(error.message, /OCaml is not installed: apt-get install ocaml-nox/);
});

const noOcaml = noSandbox || NEEDS_OCAML;

test('an OCaml block may start with an expression, and reads its inputs', { skip: noOcaml }, async () => {
  const source = 'print_endline "hi"\nlet () = maml_output "n" (string_of_int (String.length maml_inputs))';
  const result = await get('ocaml').run(taskSpec({ blockId: 'o', lang: 'ocaml', source, inputs: { k: 'v' } }), {});
  assert.match(result.stdout, /^hi$/m);
  assert.deepEqual(result.outputs, { n: '{"k":"v"}'.length });
});

test("an OCaml error points at the block's own line", { skip: noOcaml }, async () => {
  for (const [source, line] of [
    ['print_endline (1 + "a")', 1],
    ['let x = 1\nlet () = print_endline "ok"\nlet y = x + "a"', 3],
  ] as const) {
    const error = await codeOf(get('ocaml').run(taskSpec({ blockId: 'o', lang: 'ocaml', source }), {}));
    assert.equal(error.code, 'block_failed');
    assert.match(error.message, new RegExp(`File "block o", line ${line},`));
  }
});

test('named SQL parameters are bound outside literals, comments and casts', () => {
  assert.deepEqual(bindNamedParameters("SELECT :a::int, ':b', :a -- :c\n, :d /* :e */, $$ :f $$, $q$:g$q$"), {
    text: "SELECT $1::int, ':b', $1 -- :c\n, $2 /* :e */, $$ :f $$, $q$:g$q$",
    names: ['a', 'd'],
  });
});

test('SQL blocks run several statements and output the last rows, as plain JSON', { skip: noSandbox }, async () => {
  const source =
    "CREATE TEMP TABLE t (x int); INSERT INTO t VALUES (1), (2), (3); SELECT sum(x)::int AS total, 9007199254740993::int8 AS big, '\\x00ff'::bytea AS raw, '2026-01-02T03:04:05Z'::timestamptz AS at FROM t;";
  const result = await get('sql').run(taskSpec({ blockId: 'q', lang: 'sql', source }), { resources: newRun() });
  assert.deepEqual(result.outputs, {
    rows: [{ total: 6, big: '9007199254740993', raw: '\\x00ff', at: '2026-01-02T03:04:05.000Z' }],
  });
  assert.equal(result.sandboxed, true);
});

test("SQL blocks of one run share its database; another run's is fresh", { skip: noSandbox }, async () => {
  const sql = get('sql');
  const run = (resources: RunResources, source: string, inputs: Record<string, unknown> = {}) =>
    sql.run(taskSpec({ blockId: 'b', lang: 'sql', source, inputs }), { resources });
  const one = newRun();
  await run(one, 'CREATE TABLE kept (v text)');
  await run(one, 'INSERT INTO kept VALUES (:v)', { v: 'from an earlier block' });
  assert.deepEqual((await run(one, 'SELECT v FROM kept')).outputs, { rows: [{ v: 'from an earlier block' }] });
  const error = await codeOf(run(newRun(), 'SELECT v FROM kept'));
  assert.equal(error.code, 'block_failed');
  assert.match(error.message, /relation "kept" does not exist/);
});

test(
  "a timeout kills the run's SQL database, and its later SQL blocks say why they cannot run",
  { skip: noSandbox },
  async () => {
    const sql = get('sql');
    const resources = newRun();
    const spin = 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r';
    const timedOut = await codeOf(
      sql.run(taskSpec({ blockId: 'spin', lang: 'sql', source: spin, limits: { timeoutMs: 1000 } }), { resources }),
    );
    assert.equal(timedOut.code, 'timeout');
    const later = await codeOf(sql.run(taskSpec({ blockId: 'later', lang: 'sql', source: 'SELECT 1' }), { resources }));
    assert.equal(later.code, 'block_failed');
    assert.match(
      later.message,
      /block later: this run's SQL database is gone \(block spin ran past its 1000 ms timeout\)/,
    );
  },
);

test(
  'SQL rows larger than the output limit fail the block instead of flooding the gateway',
  { skip: noSandbox },
  async () => {
    const error = await codeOf(
      get('sql').run(
        taskSpec({
          blockId: 'big',
          lang: 'sql',
          source: "SELECT repeat('x', 1000) AS s FROM generate_series(1, 2000)",
          limits: { outputLimitBytes: 64 * 1024 },
        }),
        { resources: newRun() },
      ),
    );
    assert.equal(error.code, 'resource_limit');
    assert.match(error.message, /more than the 65536-byte output limit/);
  },
);

test('with --unsafe-no-sandbox SQL still runs in a database process of its own', async () => {
  const result = await get('sql').run(
    taskSpec({
      blockId: 'u',
      lang: 'sql',
      source: 'CREATE TABLE t (v int); INSERT INTO t VALUES (7); SELECT v, current_database() AS db FROM t',
      unsafeNoSandbox: true,
    }),
    { resources: newRun() },
  );
  assert.deepEqual(result.outputs, { rows: [{ v: 7, db: 'postgres' }] });
  assert.equal(result.sandboxed, false);
});

test('a SQL parameter missing from the inputs is named', async () => {
  const error = await codeOf(
    get('sql').run(taskSpec({ blockId: 'p', lang: 'sql', source: 'SELECT :absent' }), { resources: newRun() }),
  );
  assert.equal(error.code, 'block_failed');
  assert.match(error.message, /SQL parameter :absent not found in the block's inputs/);
});

test('the OpenQASM engine gives the Bell state its exact 1/2, 1/2 probabilities', async () => {
  const source =
    'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\ncreg c[2];\nh q[0];\ncx q[0],q[1];\nmeasure q -> c;';
  const result = await get('qasm').run(
    taskSpec({
      blockId: 'bell',
      lang: 'qasm',
      source,
      attributes: { shots: '2000', seed: '7', probabilities: 'true' },
    }),
    {},
  );
  const probabilities = result.outputs['probabilities'] as Record<string, number>;
  assert.deepEqual(Object.keys(probabilities).sort(), ['00', '11']);
  assert.ok(Math.abs((probabilities['00'] ?? 0) - 0.5) < 1e-12);
  const counts = result.outputs['counts'] as Record<string, number>;
  assert.equal((counts['00'] ?? 0) + (counts['11'] ?? 0), 2000);
});

test('OpenQASM input parameters bind by name: P(1) after ry(θ) is sin²(θ/2)', async () => {
  const source =
    'OPENQASM 3.0;\ninclude "stdgates.inc";\ninput float theta;\nqubit[1] q;\nbit[1] c;\nry(theta) q[0];\nc[0] = measure q[0];';
  for (const theta of [0.3, Math.PI / 3, 2.5]) {
    const result = await get('qasm').run(
      taskSpec({
        blockId: 'ry',
        lang: 'qasm',
        source,
        inputs: { theta },
        attributes: { probabilities: 'true', shots: '0' },
      }),
      {},
    );
    const p1 = (result.outputs['probabilities'] as Record<string, number>)['1'] ?? 0;
    assert.ok(Math.abs(p1 - Math.sin(theta / 2) ** 2) < 1e-12, `theta=${theta}`);
  }
});

test('OpenQASM blocks run dynamic circuits: a measured-and-flipped qubit always reads 0', async () => {
  const source =
    'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit q;\nbit c;\nh q;\nc = measure q;\nif (c == 1) x q;\nc = measure q;';
  const result = await get('qasm').run(
    taskSpec({ blockId: 'cf', lang: 'qasm', source, attributes: { shots: '200' } }),
    {},
  );
  assert.deepEqual(result.outputs['counts'], { '0': 200 });
});
