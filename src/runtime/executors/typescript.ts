/**
 * TypeScript blocks: types stripped with the `typescript` package's transpileModule (Node 20 has no built-in
 * type stripping), then run exactly like JavaScript. Type errors are not checked: the block's behaviour is
 * what its JavaScript does.
 */
import { MamlError } from '../../shared/index.js';
import type { Executor } from './executor.js';
import { runJavaScript } from './js-runner.js';

type Transpile = (source: string, options: object) => { outputText: string };

let transpiler: Promise<Transpile> | undefined;

async function loadTranspiler(): Promise<Transpile> {
  try {
    const ts = (await import('typescript')).default as unknown as {
      transpileModule: Transpile;
      ModuleKind: { ESNext: number };
      ScriptTarget: { ES2022: number };
    };
    return (source) =>
      ts.transpileModule(source, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
        reportDiagnostics: false,
      });
  } catch {
    throw new MamlError('missing_tool', 'TypeScript blocks need the `typescript` package: npm install typescript', {
      details: { install: 'typescript' },
    });
  }
}

export const typescriptExecutor: Executor = {
  lang: 'typescript',
  aliases: ['ts'],
  version: 'typescript-1',
  headClass: 'ai',
  placement: 'head',
  sandboxed: true,
  attributes: [],
  // The `typescript` package of the gateway and the Node running the head.
  needs: { tools: [], runResources: false },
  async run(task, context) {
    transpiler ??= loadTranspiler();
    let transpile: Transpile;
    try {
      transpile = await transpiler;
    } catch (error) {
      transpiler = undefined;
      throw error;
    }
    return runJavaScript(task, context, transpile(task.source, {}).outputText);
  },
};
