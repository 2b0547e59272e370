/* eslint-disable no-control-regex -- these tests look for control characters on purpose */
// Text from documents and blocks reaches the user's terminal escaped: no escape sequence, bidi override or C1
// control from a document can act on the terminal, and JSON output stays the same JSON value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { terminalJson, terminalText } from '../../src/cli/terminal-text.js';
import { runCli } from './capture.js';

const HOSTILE = 'a\u001b]52;c;ZXZpbA==\u0007b\u009b2Jc\u202eevil\u2028x\ty';

test('control, C1, bidi and separator characters become \\u{…} escapes; tabs stay, line breaks when asked', () => {
  assert.equal(terminalText(HOSTILE), 'a\\u{1b}]52;c;ZXZpbA==\\u{7}b\\u{9b}2Jc\\u{202e}evil\\u{2028}x\ty');
  assert.equal(terminalText('one\ntwo'), 'one\\u{a}two');
  assert.equal(terminalText('one\ntwo', { lines: true }), 'one\ntwo');
  assert.equal(terminalText('plain text: ünïcödé, 漢字, emoji 🙂'), 'plain text: ünïcödé, 漢字, emoji 🙂');
});

test('terminal JSON is the same value with no raw control or format character', () => {
  const value = { s: HOSTILE, tag: '\u{E0041}', nested: [HOSTILE] };
  const text = terminalJson(value, 2);
  assert.deepEqual(JSON.parse(text), value);
  assert.doesNotMatch(text, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2028\u2029]/);
  assert.doesNotMatch(text, /\u{E0041}/u);
});

test('maml validate reports a hostile block id as invalid, and prints a hostile file name escaped', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'maml-term-'));
  const file = join(dir, 'hostile\u001b]0;owned\u0007.maml.md');
  writeFileSync(
    file,
    `---\nmaml_version: "1.0"\nid: "urn:uuid:11111111-2222-4333-8444-555555555555"\ntype: workflow\norigin: "agent://x"\n---\n\n## Intent\n\nx\n\n## Code_Blocks\n\n\`\`\`python {#a\u001b[2Jb}\nprint(1)\n\`\`\`\n`,
  );
  const result = await runCli(['validate', file], dir);
  const printed = result.stdout + result.stderr;
  assert.equal(result.code, 1);
  assert.doesNotMatch(printed, /[\u0007\u001b]/);
  assert.match(
    printed,
    /hostile\\u\{1b\}\]0;owned\\u\{7\}\.maml\.md:14:1 error invalid_block_id Block id `a\\u\{1b\}\[2Jb` is not a name/,
  );
});
