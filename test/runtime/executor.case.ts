/**
 * The conformance suite every executor passes: its declaration (names, head class, placement, attributes, tools)
 * and the same data-passing contract, failure reporting and limits, with the language-specific snippets supplied
 * by the caller. `CONFORMANCE_RUN` records which languages went through it, so a test can check that every
 * registered executor did.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMON_ATTRIBUTES } from '../../src/format/index.js';
import { MamlError } from '../../src/shared/index.js';
import { DEFAULT_HEADS, DEFAULT_RUN_LIMITS, compileRunLimits, taskSpec } from '../../src/runtime/index.js';
import type { Executor, ExecutorContext, TaskLimits } from '../../src/runtime/index.js';

/** Languages passed to `runConformance` in this process. */
export const CONFORMANCE_RUN = new Set<string>();

/** Values no attribute of a built-in executor accepts: its check must refuse each with a diagnostic, not throw. */
const NOT_VALUES = ['', 'no such value', '1e3', '-', '0x10', '\u0000', '☃', '9'.repeat(400)];

/** The declaration's promises, checked without running anything. */
export function checkDeclaration(name: string, executor: Executor): void {
  test(`${name}: declares its language, aliases, version, head class and placement`, () => {
    assert.match(executor.lang, /^[a-z][a-z0-9_+-]*$/);
    assert.match(executor.version, /^\S+$/);
    for (const alias of executor.aliases) {
      assert.match(alias, /^[a-z0-9][a-z0-9_+.-]*$/, `alias ${alias} is a lower-case name`);
      assert.notEqual(alias, executor.lang);
    }
    assert.equal(new Set(executor.aliases).size, executor.aliases.length, 'aliases are listed once');
    assert.ok(
      DEFAULT_HEADS.some((h) => h.headClass === executor.headClass),
      `head class ${executor.headClass} is one of the default pool's (${DEFAULT_HEADS.map((h) => h.headClass).join(', ')})`,
    );
    assert.ok(['head', 'scheduler'].includes(executor.placement));
    assert.equal(typeof executor.sandboxed, 'boolean');
    // Heads have no run resources: an executor that needs them must run on the scheduler.
    if (executor.needs.runResources) assert.equal(executor.placement, 'scheduler');
  });

  test(`${name}: declares its tools with a MAML_ variable and a description`, () => {
    const names = executor.needs.tools.map((t) => t.name);
    assert.equal(new Set(names).size, names.length);
    for (const tool of executor.needs.tools) {
      assert.match(tool.name, /^[a-z][a-z0-9-]*$/);
      assert.match(tool.env, /^MAML_[A-Z0-9_]+$/);
      assert.ok(tool.description.length > 0);
      if (tool.fallback !== undefined) assert.ok(tool.fallback.length > 0);
    }
  });

  test(`${name}: each attribute accepts its example and refuses values it does not know with a diagnostic`, () => {
    const names = executor.attributes.map((a) => a.name);
    assert.equal(new Set(names).size, names.length, 'attributes are declared once');
    for (const attribute of executor.attributes) {
      // Attributes every block has are read by the format and the planner: an executor must not redefine them.
      const common: readonly string[] = [...COMMON_ATTRIBUTES, 'id'];
      assert.ok(!common.includes(attribute.name), `${attribute.name} is an attribute of every block`);
      assert.match(attribute.name, /^[a-z][a-z0-9_]*$/);
      assert.ok(attribute.description.length > 0);
      assert.equal(attribute.check(attribute.example, DEFAULT_RUN_LIMITS), undefined, `${attribute.name} example`);
      for (const value of NOT_VALUES) {
        const found = attribute.check(value, DEFAULT_RUN_LIMITS);
        assert.ok(found, `${attribute.name}=${JSON.stringify(value)} is refused`);
        assert.ok(['invalid_attribute', 'limit_exceeded'].includes(found.code));
        // The message names the attribute, so the diagnostic at the fence says which one to change.
        assert.ok(found.message.startsWith(`${attribute.name}=`), found.message);
      }
    }
  });
}

/** A capped attribute (`shots=`) is refused above the operator's cap and accepted at it. */
export function checkCappedAttribute(executor: Executor, name: string, setting: 'max_shots'): void {
  test(`${executor.lang}: ${name}= is checked against the operator's cap`, () => {
    const attribute = executor.attributes.find((a) => a.name === name);
    assert.ok(attribute, `${executor.lang} declares ${name}`);
    const limits = compileRunLimits({ [setting]: 10 });
    assert.equal(attribute.check('10', limits), undefined);
    const over = attribute.check('11', limits);
    assert.equal(over?.code, 'limit_exceeded');
    assert.match(over?.message ?? '', /this gateway allows/);
  });
}

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
  CONFORMANCE_RUN.add(setup.executor.lang);
  checkDeclaration(name, setup.executor);
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
