// Fuzzing the parser for time and memory that grow faster than the document. Each case is a list of runs (a
// piece of MAML or YAML syntax repeated up to a few thousand times); the same case is parsed, validated and
// formatted at its size and at eight times its size (every run eight times longer), and the larger one must take
// at most about eight times as long and hold at most a fixed number of bytes per character. Quadratic work grows
// sixty-four times and fails; nothing here asserts a number of milliseconds on its own. MAML_FUZZ_RUNS raises the
// number of cases per area (default 10, for CI) and MAML_FUZZ_SEED picks other cases (default: one fixed seed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { format, parse, validate } from '../../src/format/index.js';
import { assertLinearTime, retainedBytes } from '../helpers/growth.js';

const RUNS = Number(process.env['MAML_FUZZ_RUNS'] ?? 10);
// A fixed seed keeps CI deterministic; MAML_FUZZ_SEED explores other cases (a failure prints the seed to replay).
const SEED = Number(process.env['MAML_FUZZ_SEED'] ?? 20_261_207);
const FACTOR = 8;
/** Heap a parsed and validated document may hold per character of text, and a floor for small ones. */
const BYTES_PER_CHAR = 400;
const BYTES_FLOOR = 16 * 1024 * 1024;
const FM = '---\nmaml_version: "1.0"\n---\n';

interface Run {
  readonly piece: string;
  readonly count: number;
}

/** Cases: up to 8 runs of pieces, each repeated up to `maxCount` times. */
const runsOf = (pieces: readonly string[], maxCount = 2_000): fc.Arbitrary<Run[]> =>
  fc.array(fc.record({ piece: fc.constantFrom(...pieces), count: fc.integer({ min: 1, max: maxCount }) }), {
    minLength: 1,
    maxLength: 8,
  });

const render = (runs: readonly Run[], scale: number): string =>
  runs.map((r) => r.piece.repeat(r.count * scale)).join('');

function everything(text: string): unknown {
  const doc = parse(text);
  for (const profile of ['lenient', 'strict'] as const) {
    for (const d of validate(doc, { profile })) {
      assert.ok(d.line >= 1 && d.column >= 1 && d.offset >= 0 && d.offset <= text.length, JSON.stringify(d));
      assert.equal(typeof d.code, 'string');
    }
  }
  format(doc);
  return doc;
}

function check(area: string, runs: readonly Run[], wrap: (body: string) => string): void {
  const make = (scale: number): string => wrap(render(runs, scale));
  const label = `${area} ${JSON.stringify(runs.map((r) => [r.piece, r.count]))}`;
  assertLinearTime(label, make, everything, { factor: FACTOR, slack: 3, noiseMs: 60 });
  const large = make(FACTOR);
  const held = retainedBytes(() => everything(large));
  assert.ok(
    held <= BYTES_PER_CHAR * large.length + BYTES_FLOOR,
    `${label}: ${large.length} characters hold ${held} bytes of heap`,
  );
}

const YAML_PIECES = [
  '{',
  '[',
  '}',
  ']',
  ',',
  ': ',
  ':',
  '- ',
  '? ',
  '&a ',
  '*a',
  '!!str ',
  '"',
  "'",
  '#',
  '\n',
  '\n  ',
  ' ',
  'a',
  'key: ',
  '|',
  '>',
  '\t',
  '\\',
  '...',
  '%',
  '@',
];

test('fuzz: front matter', () => {
  fc.assert(
    fc.property(runsOf(YAML_PIECES), (runs) => check('front matter', runs, (body) => `---\n${body}\n---\n`)),
    { numRuns: RUNS, seed: SEED },
  );
});

test("front matter of stray closing brackets: the reader's error per token is not kept with the document", () => {
  // Found by the fuzzer: these 18,617 characters held 24 MB (1,300 bytes each), one YAML error object with its
  // stack per `]`. Checked without the floor small documents get, so that the bound is the per-character one.
  const text = `---\n${']'.repeat(2323 * FACTOR)}${'"'.repeat(3 * FACTOR)}\n---\n`;
  const held = retainedBytes(() => everything(text));
  assert.ok(held <= BYTES_PER_CHAR * text.length, `${text.length} characters hold ${held} bytes of heap`);
});

const FENCE_PIECES = [
  '```',
  '~~~',
  '`',
  '~',
  '\n',
  ' ',
  '   ',
  'python',
  'markdown',
  '{#a',
  '}',
  ' needs=a,b',
  '\t',
  '## ',
  '#',
];

test('fuzz: fences and headings', () => {
  fc.assert(
    fc.property(runsOf(FENCE_PIECES), (runs) => check('fences', runs, (body) => `${FM}${body}\n`)),
    { numRuns: RUNS, seed: SEED },
  );
});

const ATTRIBUTE_PIECES = [
  '#a ',
  '.c ',
  'k=v ',
  'needs=',
  'a,',
  'k="',
  '"',
  "'",
  '\\',
  '=',
  '{',
  '}',
  ' ',
  '!',
  'timeout=1s ',
];

test('fuzz: block attributes', () => {
  fc.assert(
    fc.property(runsOf(ATTRIBUTE_PIECES), (runs) =>
      check('attributes', runs, (body) => `${FM}## Code_Blocks\n\n\`\`\`python {${body}}\nx = 1\n\`\`\`\n`),
    ),
    { numRuns: RUNS, seed: SEED },
  );
});

const HISTORY_PIECES = [
  '- ',
  '2025-01-01T00:00:00Z',
  ': ',
  '[',
  ']',
  'EXECUTE',
  ' ',
  '\n',
  'x',
  ':',
  '\t',
  '- a -> b\n',
  '->',
  ',',
];

test('fuzz: History and Dependencies', () => {
  fc.assert(
    fc.property(runsOf(HISTORY_PIECES), fc.boolean(), (runs, history) =>
      check(history ? 'history' : 'dependencies', runs, (body) =>
        history
          ? `${FM}## History\n${body}\n`
          : `${FM}## Code_Blocks\n\`\`\`py {#a}\n\`\`\`\n## Dependencies\n${body}\n`,
      ),
    ),
    { numRuns: RUNS, seed: SEED },
  );
});

test('fuzz: whole documents', () => {
  const pieces = [
    ...YAML_PIECES.slice(0, 12),
    ...FENCE_PIECES.slice(0, 10),
    ...ATTRIBUTE_PIECES.slice(0, 6),
    ...HISTORY_PIECES.slice(0, 8),
    '---\n',
    '## History\n',
    '## Input_Schema\n',
    '{"type": "object", "pattern": "(a+)+$"}',
    '🐪',
    '\r\n',
    '\u2028',
  ];
  fc.assert(
    fc.property(runsOf(pieces, 1_000), (runs) => check('document', runs, (body) => body)),
    { numRuns: RUNS, seed: SEED },
  );
});
