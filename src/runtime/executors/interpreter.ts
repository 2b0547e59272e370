/**
 * Finds interpreters on the host before a block is sandboxed, so a missing one is reported by name with the
 * package to install instead of as an opaque "exec failed" from inside the sandbox.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { hostTools } from '../sandbox/host-tools.js';

export function which(command: string): string | undefined {
  if (isAbsolute(command)) return existsSync(command) ? command : undefined;
  for (const dir of hostTools().path.split(delimiter)) {
    const candidate = join(dir, command);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

export interface PythonInstall {
  readonly executable: string;
  /** Installation prefixes outside /usr that the sandbox must bind read-only (pyenv, venv). */
  readonly readOnlyPaths: readonly string[];
}

const pythonCache = new Map<string, PythonInstall | undefined>();

/**
 * Resolves a Python command (the python executor's tool: MAML_PYTHON, else python3) to the real interpreter:
 * version managers such as pyenv put a shell shim on PATH that cannot work inside the sandbox, so the interpreter
 * reports its own executable and prefixes.
 */
export function resolvePython(command = 'python3'): PythonInstall | undefined {
  if (pythonCache.has(command)) return pythonCache.get(command);
  let install: PythonInstall | undefined;
  const found = which(command);
  if (found) {
    const probe = spawnSync(
      found,
      ['-c', 'import sys, json; print(json.dumps([sys.executable, sys.prefix, sys.base_prefix]))'],
      { encoding: 'utf8', timeout: 15_000 },
    );
    if (probe.status === 0) {
      const [executable, prefix, basePrefix] = JSON.parse(probe.stdout) as [string, string, string];
      const outside = [...new Set([prefix, basePrefix])].filter((p) => !p.startsWith('/usr'));
      install = { executable, readOnlyPaths: outside };
    }
  }
  pythonCache.set(command, install);
  return install;
}
