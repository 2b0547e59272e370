/**
 * `maml serve` started in a child process for load benchmarks, so the load generator never shares the gateway's
 * event loop. PGlite in `stateDir`, keys in a keyring of its own there (never the user's), auth off on loopback,
 * no rate limit. Resolves with the URL the gateway prints once it listens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface ServeChild {
  readonly url: string;
  readonly child: ChildProcess;
}

/** `cli` is the path of the built `dist/cli/bin.js`; `extraArgs` are added to the `serve` options. */
export async function startServeChild(
  cli: string,
  stateDir: string,
  extraArgs: readonly string[],
): Promise<ServeChild> {
  const args = ['serve', '--auth', 'none', '--port', '0', '--rate-limit', '0', '--state-dir', stateDir, ...extraArgs];
  const child = spawn(process.execPath, [cli, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DATABASE_URL: '', MAML_KEYRING: join(stateDir, 'keyring'), MAML_KEY_PASSPHRASE: '' },
  });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-4000);
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`maml serve exited with ${String(code)}: ${errors.trim()}`)));
  });
  return { url, child };
}
