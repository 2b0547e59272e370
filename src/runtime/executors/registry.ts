/**
 * The executors by language. Adding a language adds its file (which declares everything about it: names, head
 * class, placement, attributes, tools) and one entry here; test/runtime/executor-languages.test.ts then says
 * which names the format's language table (src/format/languages.ts) must gain, since that pure area cannot
 * import this list.
 */
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

const BY_LANG: ReadonlyMap<string, Executor> = new Map(EXECUTORS.map((e) => [e.lang, e]));

/** The executor of a normalized language name (a block's `lang`), if the gateway runs it. */
export function executorFor(lang: string): Executor | undefined {
  return BY_LANG.get(lang);
}
