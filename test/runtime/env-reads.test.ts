// Runtime configuration comes from the CLI (src/cli/ reads the environment and passes values to
// compileRuntimeOptions); below it, only the files listed here read process.env, each for the reason given. The
// list can only shrink: a new reader fails the test, and so does a listed file that stopped reading it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from '../helpers/paths.js';

const ALLOWED: Readonly<Record<string, string>> = {
  // Process entry points and children.
  'src/runtime/heads/head-main.ts':
    "the head process entry point: the executors' tools (MAML_PYTHON, MAML_OCAML, MAML_QASM_ENGINE) and the sandbox's host tools (MAML_BWRAP, MAML_SANDBOX_USER, MAML_SLIRP4NETNS, PATH)",
  'src/runtime/heads/head-pool.ts': 'forwards its environment to the head processes it forks',
  'src/runtime/executors/js-runner.ts':
    'the runner inside a sandboxed JavaScript block: its maml.quantum call channel (MAML_QUANTUM_FD, MAML_QUANTUM)',
  'src/server/load/serve-child.ts': 'the load benchmark starts `maml serve` with a clean state environment',
  'src/runtime/executors/qasm-worker.ts':
    "the OpenQASM thread's entry point: the WebGPU backend's measurement knobs (MAML_GPU_*, MAML_WEBGPU_FLAGS), which a thread does not share with its process's modules",
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

test('outside src/cli/, only the listed files read process.env', () => {
  const root = ROOT;
  const readers = sources(join(root, 'src'))
    .map((path) => relative(root, path))
    .filter((path) => !path.startsWith('src/cli/'))
    .filter((path) => readFileSync(join(root, path), 'utf8').includes('process.env'))
    .sort();
  assert.deepEqual(readers, Object.keys(ALLOWED).sort());
});
