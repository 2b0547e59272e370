/**
 * The conformance suite every executor passes: the same data-passing contract, failure reporting and limits, with
 * the language-specific snippets supplied by the caller.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MamlError } from '../../src/shared/index.js';
import { taskSpec } from '../../src/runtime/index.js';
import type { Executor, ExecutorContext, TaskLimits } from '../../src/runtime/index.js';

export interface ConformanceSetup {
  readonly executor: Executor;
  readonly context?: () => ExecutorContext;
  /** Outputs `sum` = inputs.a + inputs.b and `echo` = inputs.nested unchanged (omit for fixed-output engines). */
  readonly passData?: string;
  /** Where `sum` and `echo` sit in the outputs, for executors whose outputs have a fixed shape (SQL `rows`). */
  readonly extract?: (outputs: Readonly<Record<string, unknown>>) => Readonly<Record<string, unknown>>;
  /** Fails with an error whose message contains `boom`. */
  readonly fail: string;
  /** Prints `hello` on stdout (omit for engines without stdout). */
  readonly print?: string;
  /** Loops forever (omit for engines that cannot loop). */
  readonly loop?: string;
  readonly skip?: string | false;
}

export function runConformance(name: string, create: () => ConformanceSetup): void {
  const setup = create();
  const skip = setup.skip ?? false;
  const run = (source: string, inputs: Record<string, unknown> = {}, limits: Partial<TaskLimits> = {}) =>
    setup.executor.run(
      taskSpec({ blockId: 'conf', lang: setup.executor.lang, source, inputs, limits }),
      setup.context?.() ?? {},
    );

  if (setup.passData !== undefined) {
    const source = setup.passData;
    test(`${name}: inputs reach the block and outputs come back as JSON values`, { skip }, async () => {
      const nested = { list: [1, 2.5, 'é ☃'], flag: true, none: null };
      const result = await run(source, { a: 2, b: 40, nested });
      const outputs = setup.extract ? setup.extract(result.outputs) : result.outputs;
      assert.equal(outputs['sum'], 42);
      assert.deepEqual(outputs['echo'], nested);
    });
  }

  test(`${name}: a failing block is a block_failed error carrying its message`, { skip }, async () => {
    await assert.rejects(run(setup.fail), (error: unknown) => {
      assert.ok(error instanceof MamlError);
      assert.equal(error.code, 'block_failed');
      assert.match(error.message, /boom/);
      assert.match(error.message, /conf/);
      return true;
    });
  });

  if (setup.print !== undefined) {
    const print = setup.print;
    test(`${name}: stdout is captured`, { skip }, async () => {
      const result = await run(print);
      assert.match(result.stdout, /hello/);
    });
  }

  if (setup.loop !== undefined) {
    const loop = setup.loop;
    test(`${name}: a block past its timeout is killed with a timeout error`, { skip }, async () => {
      await assert.rejects(run(loop, {}, { timeoutMs: 700 }), (error: unknown) => {
        assert.ok(error instanceof MamlError);
        assert.equal(error.code, 'timeout');
        return true;
      });
    });
  }
}
