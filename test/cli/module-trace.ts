/** Runs the built CLI as `runCli` does and says which modules the process loaded (see module-trace-register.ts). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI, ROOT } from '../helpers/paths.js';

const REGISTER = fileURLToPath(new URL('./module-trace-register.js', import.meta.url));

export interface TracedRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** URLs of every module loaded, in load order (CommonJS modules from the require cache last). */
  readonly modules: readonly string[];
}

export function traceCli(args: readonly string[]): TracedRun {
  const dir = mkdtempSync(join(tmpdir(), 'maml-module-trace-'));
  const file = join(dir, 'modules.txt');
  try {
    const r = spawnSync(process.execPath, ['--import', REGISTER, CLI, ...args], {
      cwd: ROOT,
      input: '',
      encoding: 'utf8',
      env: { ...process.env, MAML_TRACE_MODULES: file, NO_COLOR: '1', FORCE_COLOR: '' },
      timeout: 60_000,
    });
    const modules = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, modules: [...new Set(modules)] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
