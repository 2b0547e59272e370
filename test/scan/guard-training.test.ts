// The committed classifier weights are what `npm run train:guard` gives: the training script, run here on the same
// sources (the injection data beside the repository, Debian's fortunes, the project's docs and written prompts),
// reproduces src/scan/guard/generated/guard-model.ts byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/paths.js';
import { needTool } from '../helpers/tools.js';

const skip = needTool(
  existsSync('/usr/share/games/fortunes/fortunes')
    ? false
    : 'Debian fortunes are not installed (apt-get install fortunes fortunes-min)',
);

test('the training script reproduces the committed model', { skip }, () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'train-guard.mjs'), '--check'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /the committed model is what training gives/);
});
