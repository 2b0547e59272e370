/** Runs the CLI in-process with captured stdout/stderr. */
import { Writable } from 'node:stream';
import { main } from '../../src/cli/index.js';
import type { Output } from '../../src/cli/index.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function sink(chunks: string[]): Writable {
  return new Writable({
    write(chunk: Buffer | string, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
}

export async function runCli(argv: readonly string[], cwd = process.cwd()): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const output: Output = {
    stdout: sink(out),
    stderr: sink(err),
    color: false,
    isTTY: false,
    print: (t) => void out.push(t.endsWith('\n') ? t : `${t}\n`),
    error: (t) => void err.push(t.endsWith('\n') ? t : `${t}\n`),
    paint: (_s, t) => t,
  };
  const code = await main(argv, output, cwd);
  return { code, stdout: out.join(''), stderr: err.join('') };
}
