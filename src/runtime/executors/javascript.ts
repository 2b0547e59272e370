// JavaScript blocks: a separate Node process in the sandbox, the block as an ES module with a global `maml`.
import type { Executor } from './executor.js';
import { runJavaScript } from './js-runner.js';

export const javascriptExecutor: Executor = {
  lang: 'javascript',
  aliases: ['js', 'node', 'mjs'],
  version: 'javascript-1',
  headClass: 'ai',
  placement: 'head',
  sandboxed: true,
  attributes: [],
  // The Node running the head (process.execPath), not a configurable tool.
  needs: { tools: [], runResources: false },
  run: (task, context) => runJavaScript(task, context, task.source),
};
