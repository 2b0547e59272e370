/**
 * What JavaScript and TypeScript blocks share: a separate Node process in the sandbox, the block loaded as an ES
 * module (top-level await works) after a runner that installs the global `maml` object.
 */
import type { TaskResult, TaskSpec } from '../task-spec.js';
import type { ExecutorContext } from './executor.js';
import { runScript } from './script-runner.js';

const RUNNER = `import { readFileSync, writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
const [inputsPath, blockPath] = process.argv.slice(2);
const report = (line) => {
  const data = Buffer.from(line + '\\n');
  for (let off = 0; off < data.length; ) off += writeSync(3, data, off);
};
globalThis.maml = Object.freeze({
  inputs: JSON.parse(readFileSync(inputsPath, 'utf8')),
  output(name, value) {
    report(String(name) + '=' + (JSON.stringify(value) ?? 'null'));
  },
});
try {
  await import(pathToFileURL(blockPath).href);
} catch (error) {
  if (error && (error.code === 'ERR_MODULE_NOT_FOUND' || error.code === 'MODULE_NOT_FOUND')) {
    const match = /Cannot find (?:package|module) '([^']+)'/.exec(String(error.message));
    report('!missing=' + JSON.stringify(match ? match[1] : String(error.message)));
  }
  throw error;
}
`;

export function runJavaScript(task: TaskSpec, context: ExecutorContext, code: string): Promise<TaskResult> {
  const node = process.execPath;
  return runScript(task, context, {
    files: { '_run.mjs': RUNNER, 'block.mjs': code },
    argv: (dirs) => [node, `${dirs.code}/_run.mjs`, `${dirs.code}/inputs.json`, `${dirs.code}/block.mjs`],
    // Node installed outside /usr (nvm, a tarball) is bound read-only where it lives.
    readOnlyPaths: node.startsWith('/usr/') ? [] : [node],
    missingHint: (module) =>
      `JavaScript module '${module}' is not available: blocks run in a sandbox that sees only Node's built-in modules (node:fs, node:crypto, …); compute with built-ins or move the work to a Python block`,
  });
}
