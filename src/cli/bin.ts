#!/usr/bin/env node
// The executable behind `maml`: wires the real process streams to `main`.
import { main } from './main.js';
import { createOutput } from './output.js';

// A reader that stops early (`maml qec dem … | head`) closes the pipe: stop quietly with the status a process
// killed by SIGPIPE has (128 + 13), as Unix tools do, instead of crashing on the write that failed.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(141);
  });

const out = createOutput(process.stdout, process.stderr, process.env);
main(process.argv.slice(2), out, process.cwd()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    out.error(`maml: internal error: ${String(error)}`);
    process.exitCode = 1;
  },
);
