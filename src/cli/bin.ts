#!/usr/bin/env node
// The executable behind `maml`: wires the real process streams to `main`.
import { main } from './main.js';
import { createOutput } from './output.js';

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
