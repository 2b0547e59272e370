// The architecture rule: pure areas import no Node I/O and nothing from the areas above them. ESLint enforces it;
// this test proves the rule is wired (a violating file fails) and that the real tree has no violation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ESLint } from 'eslint';
import { ROOT } from '../helpers/paths.js';

const PURE = ['shared', 'format', 'quantum', 'crypto', 'scan', 'fairness', 'federated', 'qec'];

async function lint(code: string, filePath: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: ROOT });
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}${filePath}` });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

test('a pure area importing Node I/O or an upper area fails lint', async () => {
  for (const area of PURE) {
    const fs = await lint(
      "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n",
      `src/${area}/probe.ts`,
    );
    assert.ok(fs.includes('no-restricted-imports'), `${area}: node:fs must be refused (${fs.join(', ')})`);
    const up = await lint("import { main } from '../cli/main.js';\nexport const x = main;\n", `src/${area}/probe.ts`);
    assert.ok(up.includes('no-restricted-imports'), `${area}: importing cli must be refused`);
  }
});

test('the same import is allowed in the cli area', async () => {
  const messages = await lint(
    "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n",
    'src/cli/probe.ts',
  );
  assert.ok(!messages.includes('no-restricted-imports'));
});
