// The hand-written matchers that replaced expressions with unbounded gaps find what those expressions found, on
// random text built from the pieces that matter (differential tests: fast path against the simple one).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { destructive, pipeToShell, reverseShell } from '../../src/scan/rules/dangerous-code.js';

const OLD_PIPE_SHELL =
  /\b(?:curl|wget)\b[^\n|;]*\|\s*(?:sudo\s+)?(?:ba|z|k)?sh\b|\bInvoke-Expression\b|\biex\s*\(|\bIEX\s*\(\s*New-Object/i;
const OLD_DESTRUCTIVE =
  /\brm\s+-(?:rf|fr)\s+(?:\/|~|\$HOME|\/\*)(?=\s|$|["'])|\bshutil\.rmtree\(\s*['"](?:\/|~)['"]|\bmkfs\.\w+|\bdd\s+if=[^\n]*of=\/dev\/[sh]d|:\(\)\s*\{\s*:\|:&\s*\};:/;
const OLD_SOCKET = /\/dev\/tcp\/|\bsocket\b[^\n]*\bsubprocess\b[^\n]*\bstdin/;

const text = (pieces: string[]): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...pieces), { maxLength: 30 }).map((p) => p.join(''));

const same = (a: RegExpMatchArray | null | undefined, b: RegExpMatchArray | null | undefined): void => {
  assert.deepEqual(a ? [a.index, a[0]] : null, b ? [b.index, b[0]] : null);
};

test('pipeToShell finds what the single expression found', () => {
  const pieces = [
    'curl',
    'wget',
    'CURL',
    ' ',
    'x',
    '|',
    '||',
    ';',
    '\n',
    ' sh',
    'bash',
    'zsh',
    'sudo ',
    'shx',
    'iex (',
    'Invoke-Expression',
    'a',
  ];
  fc.assert(
    fc.property(text(pieces), (t) => same(pipeToShell(t), t.match(OLD_PIPE_SHELL))),
    { numRuns: 20_000 },
  );
});

test('destructive finds what the single expression found', () => {
  const pieces = ['dd', ' ', 'if=', 'x', 'of=/dev/sda', 'of=/dev/hd', '\n', 'rm -rf /', 'mkfs.ext4', 'ddd', 'a'];
  fc.assert(
    fc.property(text(pieces), (t) => same(destructive(t), t.match(OLD_DESTRUCTIVE))),
    { numRuns: 20_000 },
  );
});

test('reverseShell finds the socket-subprocess-stdin line the single expression found', () => {
  const pieces = ['socket', 'subprocess', 'stdin', ' ', '.', '\n', 'x', 'sockets', '/dev/tcp/'];
  fc.assert(
    fc.property(text(pieces), (t) => same(reverseShell(t), t.match(OLD_SOCKET))),
    { numRuns: 20_000 },
  );
});
