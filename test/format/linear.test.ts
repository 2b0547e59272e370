// Inputs that once took time or memory growing faster than the document: each must finish, and its time must
// grow linearly with its size (compared with itself at a smaller size, never with a fixed number of milliseconds).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { format, parse, validate, validateAgainst } from '../../src/format/index.js';
import { assertLikeTwin, assertLinearTime } from '../helpers/growth.js';

const CHILD = fileURLToPath(new URL('./validate-child.js', import.meta.url));
const FM = '---\nmaml_version: "1.0"\n---\n';
const YAML_SLACK = { slack: 4 };

/** Parses, validates and formats `text` in a child process with a 256 MiB heap; returns its diagnostic codes. */
function inChild(text: string, timeoutMs = 60_000): string[] {
  const r = spawnSync(process.execPath, ['--max-old-space-size=256', CHILD], {
    input: text,
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(r.signal, null, `the child was stopped (${r.signal}): ${r.stderr.slice(-500)}`);
  assert.equal(r.status, 0, r.stderr.slice(-500));
  return JSON.parse(r.stdout) as string[];
}

const all = (text: string): void => {
  const doc = parse(text);
  validate(doc);
  format(doc);
};

test('the reported 58-byte front matter, and bigger variants, finish with a diagnostic', () => {
  // Front matter whose keys are nested flow mappings: printing such a key doubled in size with each brace.
  for (const braces of [26, 200, 10_000]) {
    for (const fm of [`a: :d\n${'{'.repeat(braces)} fe"`, `${'{'.repeat(braces)} fe"`]) {
      const codes = inChild(`---\n${fm}\n---\n\n## Intent\n\nx\n`);
      assert.ok(codes.length > 0 && codes.length <= 6, codes.join(','));
      assert.ok(
        codes.some((c) => ['yaml_syntax', 'nesting_too_deep', 'complex_key'].includes(c)),
        codes.join(','),
      );
    }
    // On one line the braces are part of a plain scalar: valid YAML, only the required keys are missing.
    assert.deepEqual(inChild(`---\na: :d${'{'.repeat(braces)} fe"\n---\n`), Array(4).fill('missing_key'));
  }
});

test('a collection used as a front matter key is complex_key, however deeply keys nest', () => {
  for (const depth of [1, 30, 60]) {
    let key = 'a';
    for (let i = 0; i < depth; i++) key = `{${key}: 1}`;
    const codes = inChild(`---\n${key}: 1\n? [x, y]\n: 2\n---\n`);
    assert.deepEqual(codes, ['complex_key']);
  }
});

test('nesting thousands deep never reaches the YAML composer (a deep stack aborted the process)', () => {
  // Twice in one process, the second one deeper: a regular expression compiled near the end of the stack once
  // ended the process with "RegExpCompiler Allocation failed".
  const shapes = [
    (n: number) => `a: ${'['.repeat(n)}`,
    (n: number) => `a: ${'{'.repeat(n)}`,
    (n: number) => `${'- '.repeat(n)}x`,
    (n: number) => `${'? '.repeat(n)}x`,
    // Thousands of implicit keys on one line: the token parser itself ran out of stack unwinding them.
    (n: number) => `${'key: '.repeat(n * 10)}}{`,
    (n: number) => Array.from({ length: Math.min(n, 600) }, (_, i) => `${' '.repeat(i)}k:`).join('\n'),
  ];
  for (const shape of shapes) {
    const codes = inChild(`---\n${shape(2_000)}\n---\n`);
    assert.deepEqual(codes, ['nesting_too_deep']);
  }
  const script = [10_000, 40_000].map((n) => `---\na: ${'['.repeat(n)}\n---\n`);
  for (const text of script) {
    const diagnostics = validate(parse(text));
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['nesting_too_deep'],
    );
    assert.deepEqual([diagnostics[0]?.line, diagnostics[0]?.column], [2, 3 + 65]);
  }
});

test('front matter: many keys, duplicates, aliases and long values take linear time', () => {
  const keys = (n: number): string => Array.from({ length: n }, (_, i) => `k${i}: 1`).join('\n');
  // An anchor keeps these off the fast reader, on the YAML library's path. Its many small objects make the
  // garbage collector's share grow with size, so a little more slack (quadratic growth would be 64 times).
  assertLinearTime('many keys', (s) => `---\n&x a: 1\n${keys(2_000 * s)}\n---\n`, all, YAML_SLACK);
  assertLinearTime('many duplicate keys', (s) => `---\n&x a: 1\n${'b: 1\n'.repeat(2_000 * s)}---\n`, all, YAML_SLACK);
  assertLinearTime('a long flow sequence', (s) => `---\na: &x [${'1,'.repeat(5_000 * s)}1]\n---\n`, all, YAML_SLACK);
  assertLinearTime('aliases', (s) => `---\na: &x 1\nb: [${'*x,'.repeat(1_000 * s)}*x]\n---\n`, all, YAML_SLACK);
  const dup = validate(parse('---\na: 1\nb: 2\na: 3\n---\n'));
  assert.deepEqual(
    dup.map((d) => `${d.line}:${d.column} ${d.code}`),
    ['4:1 duplicate_key'],
  );
  assert.match(dup[0]?.message ?? '', /first on line 2/);
  const aliases = validate(parse(`---\na: &x 1\nb: [${'*x,'.repeat(200)}*x]\n---\n`)).map((d) => d.code);
  assert.ok(aliases.includes('yaml_alias_limit'), aliases.join(','));
});

test('levels opened on one line and many lines after them cost what the same text without levels costs', () => {
  // The token parser did work in proportion to its stack at each line break after thousands of levels opened on
  // one line (`: : : …`); the levels are now counted from the lexer's tokens and refused first.
  const lines = '  \n'.repeat(20_000);
  assertLikeTwin(
    'levels on one line, then many lines',
    `---\n${': '.repeat(1_500)}a\n${lines}---\n`,
    `---\n${'a '.repeat(1_500)}a\n${lines}---\n`,
    all,
  );
  let nested = '';
  for (let i = 0; i < 30; i++) nested += `${'  '.repeat(i)}- k${i}:\n`;
  nested += `${'  '.repeat(30)}- leaf\n`;
  const deep = validate(parse(`---\n&x top:\n${nested.replace(/^/gm, '  ')}---\n`)).map((d) => d.code);
  assert.ok(!deep.includes('nesting_too_deep'), deep.join(','));
  const flow = validate(parse(`---\n&x a: ${'['.repeat(63)}${']'.repeat(63)}\n---\n`)).map((d) => d.code);
  assert.ok(!flow.includes('nesting_too_deep'), flow.join(','));
});

test('front matter over the size limit is refused before the YAML reader sees it', () => {
  const codes = validate(parse(`---\n&x a: "${'x'.repeat(1024 * 1024)}"\n---\n`)).map((d) => d.code);
  assert.ok(codes.includes('front_matter_too_large'), codes.join(','));
  const small = parse(`---\na: "${'x'.repeat(100)}"\n---\n`, { limits: { maxFrontMatterLength: 50 } });
  assert.deepEqual(
    small.diagnostics.map((d) => d.code),
    ['front_matter_too_large'],
  );
});

test('headings, section names, dependencies and History lines with long runs take linear time', () => {
  assertLinearTime('spaces inside a heading', (s) => `${FM}## a${' '.repeat(20_000 * s)}b\n`, all);
  assertLinearTime('` #` runs inside a heading', (s) => `${FM}## a${' #'.repeat(10_000 * s)}b\n`, all);
  assertLinearTime('symbols inside a section name', (s) => `${FM}## x${'!'.repeat(20_000 * s)}y\n`, all);
  assertLinearTime(
    'spaces inside a dependency',
    (s) => `${FM}## Dependencies\n- a${' '.repeat(20_000 * s)}b -> c , ${' '.repeat(20_000 * s)}d\n`,
    all,
  );
  assertLinearTime('spaces inside a History line', (s) => `${FM}## History\n- a${' '.repeat(20_000 * s)}x\n`, all);
  assertLinearTime('trailing blanks inside a line', (s) => `${FM}## Intent\n\na${' \t'.repeat(10_000 * s)}b\n`, all);
});

test('many sections, fences and History entries cost no more than sections the parser only skims', () => {
  // Each pair has the same size and the same linear work; only the first takes the path that was quadratic
  // (lines of a History section checked against every fence, every section scanned for each block, …).
  const entries = '- 2025-01-01T00:00:00Z: [CREATE] x\n\n\n\n\n\n\n\n'.repeat(4_000);
  const fences = '```\nx\n```\n'.repeat(8_000);
  assertLikeTwin(
    'History lines among fences',
    `${FM}## History\n${fences}${entries}`,
    `${FM}## Notesxx\n${fences}${entries}`,
    all,
  );
  const sectionBody = '- x\n' + '\n'.repeat(20);
  assertLikeTwin(
    'many History sections',
    `${FM}${`## History\n${sectionBody}`.repeat(8_000)}`,
    `${FM}${`## Notesxx\n${sectionBody}`.repeat(8_000)}`,
    all,
  );
  assertLikeTwin(
    'blocks after many sections',
    `${FM}${`${'## A\n'.repeat(10)}\`\`\`python\nx\n\`\`\`\n`.repeat(4_000)}`,
    `${FM}${`${'# AA\n'.repeat(10)}\`\`\`python\nx\n\`\`\`\n`.repeat(4_000)}`,
    all,
  );
  assertLikeTwin(
    'many schema sections',
    `${FM}${'## Input_Schema\n```json\n{}\n```\n'.repeat(4_000)}`,
    `${FM}${'## Input_Schemx\n```json\n{}\n```\n'.repeat(4_000)}`,
    all,
  );
});

test('the task graph: long needs lists, unknown ids and fan-out lines take linear time', () => {
  const blocks = (n: number): string => Array.from({ length: n }, (_, i) => `\`\`\`python {#b${i}}\n\`\`\`\n`).join('');
  assertLinearTime(
    'one block needing thousands',
    (s) =>
      `${FM}## Code_Blocks\n${blocks(1_000 * s)}\`\`\`python {#z needs=${Array.from({ length: 1_000 * s }, (_, i) => `b${i}`).join(',')}}\n\`\`\`\n`,
    all,
  );
  assertLinearTime(
    'thousands of unknown needs among thousands of blocks',
    (s) =>
      `${FM}## Code_Blocks\n${Array.from({ length: 500 * s }, (_, i) => `\`\`\`python {#b${i} needs=q${i}}\n\`\`\`\n`).join('')}`,
    all,
  );
  // k ids on each side of one arrow are k² edges; each unknown id is reported once for its line.
  const fan = validate(
    parse(
      `${FM}## Dependencies\n- ${Array.from({ length: 100 }, (_, i) => `a${i}`).join(',')} -> ${Array.from({ length: 100 }, (_, i) => `b${i}`).join(',')}\n`,
    ),
  );
  assert.equal(fan.filter((d) => d.code === 'unknown_block').length, 200);
  const huge = `${FM}## Dependencies\n- ${Array.from({ length: 400 }, (_, i) => `a${i}`).join(',')} -> ${Array.from({ length: 400 }, (_, i) => `b${i}`).join(',')}\n`;
  assert.ok(validate(parse(huge)).some((d) => d.code === 'too_many_dependencies'));
});

test('an unknown_block message lists at most 20 known ids', () => {
  const blocks = Array.from({ length: 50 }, (_, i) => `\`\`\`python {#b${i}}\n\`\`\`\n`).join('');
  const d = validate(parse(`${FM}## Code_Blocks\n${blocks}\`\`\`python {#z needs=ghost}\n\`\`\`\n`)).find(
    (x) => x.code === 'unknown_block',
  );
  assert.match(d?.message ?? '', /b19 and 31 more\.$/);
});

test('attribute lists with thousands of stray tokens or unknown keys are one diagnostic per block', () => {
  const stray = validate(parse(`${FM}\`\`\`python {${'! '.repeat(10_000)}}\n\`\`\`\n`));
  assert.deepEqual(stray.filter((d) => d.code === 'invalid_block_attributes').length, 1);
  assert.match(stray.find((d) => d.code === 'invalid_block_attributes')?.message ?? '', /and 9995 more/);
  const unknown = validate(
    parse(
      `${FM}\`\`\`python {${'a=1 '.repeat(10)}${Array.from({ length: 30 }, (_, i) => `k${i}=1`).join(' ')}}\n\`\`\`\n`,
    ),
  );
  assert.equal(unknown.filter((d) => d.code === 'unknown_attribute').length, 1);
});

test('diagnostics of one code are listed up to 1000, then counted', () => {
  const diagnostics = validate(parse(`${FM}## History\n${'not an entry\n'.repeat(5_000)}`));
  const entries = diagnostics.filter((d) => d.code === 'invalid_history_entry');
  assert.equal(entries.length, 1000);
  const summary = diagnostics.find((d) => d.code === 'too_many_diagnostics');
  assert.ok(summary);
  assert.match(summary.message, /4000 more `invalid_history_entry` diagnostics/);
  assert.equal(summary.severity, 'warning');
});

test('a spread of hundreds of thousands of diagnostics does not overflow the stack', () => {
  // `push(...list)` with this many arguments threw RangeError out of parse.
  const doc = parse(`${FM}## History\n${'x\n'.repeat(300_000)}`);
  assert.ok(validate(doc).length <= 1010);
});

test('a schema nested thousands deep is invalid_json_schema, not a rule that ran out of stack; so is a value', () => {
  for (const depth of [200, 20_000]) {
    const schema = `${'{"items":'.repeat(depth)}{}${'}'.repeat(depth)}`;
    const diagnostics = validate(parse(`${FM}## Input_Schema\n\`\`\`json\n${schema}\n\`\`\`\n`)).filter(
      (d) => d.code !== 'missing_key',
    );
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['invalid_json_schema'],
    );
    assert.match(diagnostics[0]?.message ?? '', /nested deeper than 128 levels/);
  }
  const recursive = { $ref: '#/$defs/list', $defs: { list: { type: 'array', items: { $ref: '#/$defs/list' } } } };
  let value: unknown[] = [];
  for (let i = 0; i < 50_000; i++) value = [value];
  assert.deepEqual(
    validateAgainst(recursive, value).map((i) => i.keyword),
    ['depth'],
  );
});
