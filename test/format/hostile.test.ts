// Hostile input: each case must end quickly with a diagnostic, never a throw, hang or memory blow-up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, parseBytes, validate } from '../../src/format/index.js';

const codes = (text: string): string[] => validate(parse(text)).map((d) => d.code);

test('YAML alias bomb ("billion laughs") is refused', () => {
  const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) {
    const prev = String.fromCharCode(96 + i);
    const name = String.fromCharCode(97 + i);
    levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  const text = `---\n${levels.join('\n')}\n---\n`;
  const result = codes(text);
  assert.ok(result.includes('yaml_alias_limit'), result.join(','));
});

test('documents over the size limit are refused before parsing', () => {
  const big = `---\ntype: x\n---\n${'a'.repeat(2000)}`;
  const doc = parse(big, { limits: { maxBytes: 1000 } });
  assert.deepEqual(
    doc.diagnostics.map((d) => d.code),
    ['document_too_large'],
  );
  const bytes = parseBytes(new Uint8Array(1001), { limits: { maxBytes: 1000 } });
  assert.equal(bytes.diagnostics[0]?.code, 'document_too_large');
  assert.match(bytes.diagnostics[0]?.message ?? '', /1000-byte limit/);
});

test('the default limit is 10 MiB and counts UTF-8 bytes', () => {
  const justOver = `---\ntype: x\n---\n${'é'.repeat(5 * 1024 * 1024 + 1)}`;
  assert.ok(parse(justOver).diagnostics.some((d) => d.code === 'document_too_large'));
});

test('deeply nested front matter is refused', () => {
  const text = `---\nx: ${'['.repeat(200)}${']'.repeat(200)}\n---\n`;
  const result = codes(text);
  assert.ok(result.includes('nesting_too_deep'), result.join(','));
});

test('brackets nested past the YAML reader stack are one nesting diagnostic, repeats collapsed', () => {
  // Unclosed flow sequences: the YAML library reports every level and may run out of stack on the way.
  const text = `---\nx: ${'['.repeat(20000)}\n---\n`;
  const diagnostics = validate(parse(text));
  const messages = diagnostics.map((d) => `${d.code}: ${d.message}`);
  assert.equal(new Set(messages).size, messages.length, 'no diagnostic repeated');
  assert.ok(diagnostics.length <= 4, messages.join('\n'));
  assert.ok(
    diagnostics.some((d) => d.code === 'nesting_too_deep' || /reported \d+ times/.test(d.message)),
    messages.join('\n'),
  );
  for (const d of diagnostics) assert.doesNotMatch(d.message, /call stack/i);
});

test('NUL bytes are reported at their position', () => {
  const doc = parse('---\ntype: x\n---\nab\u0000c\n');
  const nul = validate(doc).find((d) => d.code === 'nul_byte');
  assert.deepEqual([nul?.line, nul?.column], [4, 3]);
});

test('invalid UTF-8 is reported with the byte offset and line', () => {
  const bytes = Buffer.concat([
    Buffer.from('---\ntype: x\n---\nok\nbad '),
    Buffer.from([0xc3, 0x28]),
    Buffer.from('\n'),
  ]);
  const doc = parseBytes(bytes);
  const d = doc.diagnostics.find((x) => x.code === 'invalid_utf8');
  assert.ok(d);
  assert.equal(d.line, 5);
  assert.equal(d.column, 5);
  assert.match(d.message, /byte 23/);
});

test('overlong encodings and surrogates are invalid UTF-8', () => {
  for (const seq of [
    [0xc0, 0xaf],
    [0xed, 0xa0, 0x80],
    [0xf5, 0x80, 0x80, 0x80],
    [0xe2, 0x82],
  ]) {
    const doc = parseBytes(Buffer.concat([Buffer.from('---\n---\n'), Buffer.from(seq)]));
    assert.ok(
      doc.diagnostics.some((d) => d.code === 'invalid_utf8'),
      seq.join(','),
    );
  }
});

test('thousands of unclosed fences and headings finish', () => {
  const text = `---\ntype: x\n---\n${'## H\n```py\n'.repeat(5000)}`;
  const doc = parse(text);
  assert.equal(doc.diagnostics.filter((d) => d.code === 'unclosed_fence').length, 1);
});
