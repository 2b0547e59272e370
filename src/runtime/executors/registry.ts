// The executors by language. Adding a language adds a file and one entry here.
import type { Executor } from './executor.js';
import { bashExecutor, shExecutor } from './shell.js';
import { javascriptExecutor } from './javascript.js';
import { ocamlExecutor } from './ocaml.js';
import { pythonExecutor } from './python.js';
import { qasmExecutor } from './qasm.js';
import { sqlExecutor } from './sql.js';
import { typescriptExecutor } from './typescript.js';

export const EXECUTORS: readonly Executor[] = [
  pythonExecutor,
  javascriptExecutor,
  typescriptExecutor,
  bashExecutor,
  shExecutor,
  sqlExecutor,
  ocamlExecutor,
  qasmExecutor,
];

export function executorFor(lang: string): Executor | undefined {
  return EXECUTORS.find((e) => e.lang === lang);
}
