/**
 * Starts `runner-main.js` as a sandboxed process. The sandbox sees the runner file, PGlite's package and the Node
 * binary, read-only at their host paths, and the template under /maml; it has no network and nothing writable but
 * its size-capped tmpfs mounts. Messages from the runner arrive parsed, one per fd 3 line.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startSandboxedProcess } from '../../sandbox/sandboxed-process.js';
import type { SandboxedProcess, SandboxedProcessRequest } from '../../sandbox/sandboxed-process.js';
import type { FromSqlRunner } from './messages-from-runner.js';
import type { RunnerConfig } from './runner-main.js';

const RUNNER = fileURLToPath(new URL('./runner-main.js', import.meta.url));

export interface PglitePackage {
  /** The package directory, bound read-only into the sandbox. */
  readonly dir: string;
  /** File URL of its ES module entry. */
  readonly entry: string;
  readonly version: string;
}

let found: PglitePackage | undefined;

/** Where `@electric-sql/pglite` is installed (its real path: node_modules may be a link). */
export function pglitePackage(): PglitePackage {
  if (found) return found;
  const entry = import.meta.resolve('@electric-sql/pglite');
  let dir = dirname(fileURLToPath(entry));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: unknown };
  found = { dir, entry: pathToFileURL(fileURLToPath(entry)).href, version: String(pkg.version) };
  return found;
}

export interface RunnerRequest {
  readonly config:
    | Omit<Extract<RunnerConfig, { mode: 'template' }>, 'pglite'>
    | Omit<Extract<RunnerConfig, { mode: 'serve' }>, 'pglite' | 'template'>;
  /** The template tarball (serve mode). */
  readonly template?: Uint8Array;
  readonly limits: SandboxedProcessRequest['limits'];
  readonly unsafeNoSandbox: boolean;
  readonly maxLineBytes: number;
  /** Each message; a line that is not JSON arrives as a `fatal` message. */
  readonly onMessage: (message: FromSqlRunner) => void;
}

export function startRunner(request: RunnerRequest): SandboxedProcess {
  const pglite = pglitePackage();
  const node = process.execPath;
  return startSandboxedProcess({
    // Code files are text; the tarball travels as base64.
    files: request.template ? { 'template.tgz.b64': Buffer.from(request.template).toString('base64') } : {},
    argv: (dirs) => {
      const config: RunnerConfig =
        request.config.mode === 'template'
          ? { mode: 'template', pglite: pglite.entry }
          : { ...request.config, pglite: pglite.entry, template: `${dirs.code}/template.tgz.b64` };
      return [node, RUNNER, JSON.stringify(config)];
    },
    limits: request.limits,
    // Node installed outside /usr (nvm, a tarball) is bound read-only where it lives, as for JavaScript blocks.
    readOnlyPaths: [RUNNER, pglite.dir, ...(node.startsWith('/usr/') ? [] : [node])],
    unsafeNoSandbox: request.unsafeNoSandbox,
    maxLineBytes: request.maxLineBytes,
    onLine: (line) => {
      let message: FromSqlRunner;
      try {
        message = JSON.parse(line) as FromSqlRunner;
      } catch {
        message = { type: 'fatal', message: `unreadable answer from the SQL runner: ${line.slice(0, 200)}` };
      }
      request.onMessage(message);
    },
  });
}
