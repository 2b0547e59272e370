// `maml run` with the MAML guides' `.maml.yaml` in the working directory (seed 000's, verbatim): it runs, warning
// once about what it ignores; and `--input` values typed by ## Input_Schema reach the block as that type.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/run-cli.js';
import { SEED_000 } from '../helpers/seed-config.js';
import { NEEDS_BWRAP } from '../helpers/tools.js';

const skip = NEEDS_BWRAP;

const DOC = `---
maml_version: "1.0"
id: "urn:uuid:2c9e4b1a-6d3f-4e8a-9b7c-1f2e3d4c5b6a"
type: workflow
origin: "agent://tests/run-config"
---

## Intent

Report the type each input arrives as.

## Input_Schema

\`\`\`json
{"type":"object","properties":{"patient_id":{"type":"string"},"visits":{"type":"integer"}},"required":["patient_id"]}
\`\`\`

## Code_Blocks

\`\`\`javascript {#types}
maml.output('id', maml.inputs.patient_id);
maml.output('idType', typeof maml.inputs.patient_id);
maml.output('visitsType', typeof maml.inputs.visits);
\`\`\`
`;

test("maml run under seed 000's .maml.yaml: runs, warns once, reads --input by the schema's types", { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'maml-run-config-'));
  writeFileSync(join(dir, '.maml.yaml'), SEED_000);
  writeFileSync(join(dir, 'doc.maml.md'), DOC);
  const env = { MAML_STATE_DIR: join(dir, 'state'), DATABASE_URL: '' };
  const run = runCli(['run', 'doc.maml.md', '--input', 'patient_id=007', '--input', 'visits=3', '--json'], {
    cwd: dir,
    env,
  });
  assert.equal(run.code, 0, run.stdout + run.stderr);
  const report = JSON.parse(run.stdout) as { outputs: Record<string, unknown> };
  assert.deepEqual(report.outputs, { id: '007', idType: 'string', visitsType: 'number' });
  assert.equal(
    run.stderr.match(/ignored \(no meaning in MAML Gateway\): maml\.workflow, maml\.database\.type/g)?.length,
    1,
  );
  assert.doesNotMatch(run.stderr, /unknown key/);
  assert.match(readFileSync(join(dir, 'doc.maml.md'), 'utf8'), /\[EXECUTE\] run \S+ succeeded/);

  const bad = runCli(['run', 'doc.maml.md', '--input', 'patient_id=1', '--input', 'visits=many', '--no-write'], {
    cwd: dir,
    env,
  });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--input visits=many: ## Input_Schema declares `visits` as integer/);
});
