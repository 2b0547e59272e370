// JavaScript blocks: a separate Node process in the sandbox, the block as an ES module with a global `maml`.
import type { Executor } from './executor.js';
import { runJavaScript } from './js-runner.js';

export const javascriptExecutor: Executor = {
  lang: 'javascript',
  version: 'javascript-1',
  headClass: 'ai',
  placement: 'head',
  sandboxed: true,
  run: (task, context) => runJavaScript(task, context, task.source),
};
