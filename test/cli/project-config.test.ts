// The project config file .maml.yaml: heads and identity, unknown keys rejected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProjectConfig } from '../../src/cli/project-config.js';
import { MamlError } from '../../src/shared/index.js';

test('.maml.yaml is found from a subdirectory and read as heads and identity', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maml-config-'));
  writeFileSync(join(dir, '.maml.yaml'), 'heads:\n  quantum: 1\n  ai: 3\nidentity: agent://lab/alice\n');
  mkdirSync(join(dir, 'sub'));
  assert.deepEqual(loadProjectConfig(join(dir, 'sub')), {
    path: join(dir, '.maml.yaml'),
    heads: 'quantum:1,ai:3',
    identity: 'agent://lab/alice',
  });
});

test('.maml.yaml with an unknown key is a usage error naming it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maml-config-'));
  writeFileSync(join(dir, '.maml.yaml'), 'head: quantum:2\n');
  assert.throws(
    () => loadProjectConfig(dir),
    (e: unknown) => e instanceof MamlError && e.code === 'usage' && /unknown key `head`/.test(e.message),
  );
});
