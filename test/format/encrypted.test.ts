// An encrypted document (`maml encrypt` output) is an error to validate, so nothing runs it as an empty workflow;
// `encryption:` values are read as the mode they mean and reported as docs/encryption-format.md says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encryptBody, hybridKeygen, publicKeyId } from '../../src/crypto/index.js';
import { parse, validate, validateDocument } from '../../src/format/index.js';

const FM =
  '---\nmaml_version: "1.0"\nid: "urn:uuid:123e4567-e89b-12d3-a456-426614174000"\ntype: workflow\norigin: "agent://t/enc"\nencryption: aes-256\n---\n';
const BODY = '## Intent\n\nSecret.\n\n## Code_Blocks\n\n```python {#a}\nprint(1)\n```\n';

function encrypted(frontMatter: string): string {
  const pair = hybridKeygen('x25519-ml-kem-768');
  const recipient = { keyId: publicKeyId(pair.publicKey), suite: pair.suite, publicKey: pair.publicKey };
  return frontMatter + encryptBody(new TextEncoder().encode(BODY), frontMatter, [recipient], 'standard');
}

test('maml encrypt output is encrypted_document, at the armor, and the document is not ok', () => {
  const text = encrypted(FM);
  for (const profile of ['lenient', 'strict'] as const) {
    const result = validateDocument(parse(text), { profile });
    assert.equal(result.ok, false);
    const d = result.diagnostics.find((x) => x.code === 'encrypted_document');
    assert.ok(d, result.diagnostics.map((x) => x.code).join(','));
    assert.equal(d.severity, 'error');
    assert.deepEqual([d.line, d.column], [8, 1]);
    assert.match(d.message, /maml decrypt FILE -o OUT/);
    assert.equal(result.graph.nodes.length, 0);
  }
  // CRLF, blank lines before the armor, and no front matter at all.
  const crlf = encrypted(FM).replace(/\n/g, '\r\n').replace('---\r\n-----BEGIN', '---\r\n\r\n-----BEGIN');
  assert.ok(validate(parse(crlf)).some((x) => x.code === 'encrypted_document'));
  assert.ok(validate(parse(encrypted(''))).some((x) => x.code === 'encrypted_document'));
});

test('armor shown in a fence or further down the body is not an encrypted document', () => {
  const shown = `${FM}\n## Context\n\n\`\`\`text\n-----BEGIN MAML ENCRYPTED BODY-----\n\`\`\`\n`;
  assert.ok(!validate(parse(shown)).some((x) => x.code === 'encrypted_document'));
});

test('encryption values: an AES size that does not exist warns, an unknown value is an error only under strict', () => {
  const doc = (value: string): string => FM.replace('aes-256', value);
  const found = (value: string, profile: 'lenient' | 'strict' = 'lenient'): string[] =>
    validate(parse(doc(value)), { profile })
      .filter((d) => d.ruleId === 'encryption-value')
      .map((d) => `${d.line}:${d.column} ${d.severity} ${d.code}`);
  assert.deepEqual(found('aes-512'), ['6:13 warning aes_key_size_impossible']);
  assert.deepEqual(found('aes-2048', 'strict'), ['6:13 warning aes_key_size_impossible']);
  assert.deepEqual(found('"512-bit AES + CRYSTALS-Dilithium"'), [
    '6:13 warning aes_key_size_impossible',
    '6:13 info signature_is_not_encryption',
  ]);
  assert.deepEqual(found('aes-256'), []);
  assert.deepEqual(found('pq'), []);
  assert.deepEqual(found('aes-128'), ['6:13 info aes_key_size_raised']);
  assert.deepEqual(found('rot13'), ['6:13 warning encryption_value_unknown']);
  assert.deepEqual(found('rot13', 'strict'), ['6:13 error encryption_value_unknown']);
  const message = validate(parse(doc('aes-512'))).find((d) => d.code === 'aes_key_size_impossible')?.message;
  assert.match(message ?? '', /write `encryption: pq`/);
});
