import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ERROR_CODES, ERROR_MAPPING, MamlError, deserializeError, serializeError } from '../../src/shared/index.js';

test('every error code has an exit and HTTP mapping', () => {
  for (const code of Object.values(ERROR_CODES)) {
    assert.ok(ERROR_MAPPING[code], code);
  }
});

test('errors cross a boundary as data with code and retryable flag', () => {
  const data = serializeError(
    new MamlError('head_lost', 'head ai-1 died', { retryable: true, details: { head: 'ai-1' } }),
  );
  assert.deepEqual(data, { code: 'head_lost', message: 'head ai-1 died', retryable: true, details: { head: 'ai-1' } });
  const back = deserializeError(JSON.parse(JSON.stringify(data)));
  assert.equal(back.code, 'head_lost');
  assert.equal(back.retryable, true);
});

test('unknown thrown values become internal, not retryable', () => {
  assert.deepEqual(serializeError(new TypeError('boom')), { code: 'internal', message: 'boom', retryable: false });
  assert.deepEqual(serializeError('text'), { code: 'internal', message: 'text', retryable: false });
});
