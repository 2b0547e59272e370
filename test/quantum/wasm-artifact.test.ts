// The committed WebAssembly kernels (src/quantum/sim/generated/sv-kernels-wasm.ts) must be what their source
// (native/wasm/sv-kernels.c) builds to: scripts/build-wasm.mjs --check rebuilds them with clang and compares. Needs
// clang with the wasm32 target and lld (apt-get install clang lld).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../helpers/paths.js';
import { needTool } from '../helpers/tools.js';

const clang = spawnSync('clang', ['--version'], { encoding: 'utf8' });
const wasmLd = spawnSync('wasm-ld', ['--version'], { encoding: 'utf8' });
const NEEDS_CLANG = needTool(
  clang.status === 0 && wasmLd.status === 0 ? false : 'clang or wasm-ld is not installed (apt-get install clang lld)',
);

test('wasm artifact: the committed kernels are a rebuild of native/wasm/sv-kernels.c', { skip: NEEDS_CLANG }, () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/build-wasm.mjs'), '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});
