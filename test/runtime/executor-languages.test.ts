/**
 * The format's language table (src/format/languages.ts, pure, so it cannot import the runtime) and the executor
 * registry describe the same languages: every executable language has exactly one executor, the spellings each
 * executor declares are exactly the aliases the format normalizes to it, and the attributes it declares are the
 * ones the format knows for its language. The comparison is a function so that it is also shown to fail on
 * tables that disagree.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EXECUTABLE_LANGS,
  LANG_ALIASES,
  LANG_ATTRIBUTES,
  isExecutableLang,
  normalizeLang,
} from '../../src/format/index.js';
import { EXECUTORS, declaredTools, executorFor } from '../../src/runtime/index.js';

interface LanguageTable {
  readonly executable: readonly string[];
  readonly aliases: Readonly<Record<string, string>>;
  readonly attributes: Readonly<Record<string, readonly string[]>>;
}

interface Names {
  readonly lang: string;
  readonly aliases: readonly string[];
  readonly attributes: readonly { readonly name: string }[];
}

/** Every way the registry and the format's table disagree, each saying what to change where. */
function disagreements(executors: readonly Names[], table: LanguageTable): string[] {
  const problems: string[] = [];
  for (const lang of table.executable) {
    const count = executors.filter((e) => e.lang === lang).length;
    if (count !== 1)
      problems.push(
        `format language ${lang} has ${count} executors (one expected in src/runtime/executors/registry.ts)`,
      );
  }
  for (const executor of executors) {
    if (!table.executable.includes(executor.lang))
      problems.push(`executor ${executor.lang} is not in EXECUTABLE_LANGS (src/format/languages.ts)`);
    for (const alias of executor.aliases) {
      const target = Object.hasOwn(table.aliases, alias) ? table.aliases[alias] : undefined;
      if (target !== executor.lang)
        problems.push(
          `alias ${alias} of executor ${executor.lang} is ${target === undefined ? 'missing from' : `${target} in`} LANG_ALIASES (src/format/languages.ts)`,
        );
      if (table.executable.includes(alias)) problems.push(`alias ${alias} of ${executor.lang} is a language itself`);
    }
    const declared = executor.attributes.map((a) => a.name).sort();
    const known = [...(Object.hasOwn(table.attributes, executor.lang) ? (table.attributes[executor.lang] ?? []) : [])];
    if (declared.join() !== known.sort().join())
      problems.push(
        `executor ${executor.lang} declares the attributes [${declared.join(', ')}], LANG_ATTRIBUTES (src/format/languages.ts) [${known.join(', ')}]`,
      );
  }
  for (const lang of Object.keys(table.attributes))
    if (!executors.some((e) => e.lang === lang)) problems.push(`LANG_ATTRIBUTES has ${lang}, which no executor runs`);
  for (const [alias, target] of Object.entries(table.aliases)) {
    if (!table.executable.includes(target)) continue;
    const owners = executors.filter((e) => e.aliases.includes(alias));
    if (!owners.some((e) => e.lang === target))
      problems.push(`format alias ${alias} → ${target} is not among the aliases executor ${target} declares`);
    if (owners.length > 1) problems.push(`alias ${alias} is declared by ${owners.map((e) => e.lang).join(' and ')}`);
  }
  return problems;
}

const FORMAT: LanguageTable = { executable: EXECUTABLE_LANGS, aliases: LANG_ALIASES, attributes: LANG_ATTRIBUTES };

test('the executor registry and the format language table agree', () => {
  assert.deepEqual(disagreements(EXECUTORS, FORMAT), []);
});

test('every executor is found by its language, and every spelling normalizes to an executable language', () => {
  for (const executor of EXECUTORS) {
    assert.equal(executorFor(executor.lang), executor);
    for (const name of [executor.lang, ...executor.aliases, ...executor.aliases.map((a) => a.toUpperCase())]) {
      assert.equal(normalizeLang(name), executor.lang, name);
      assert.ok(isExecutableLang(normalizeLang(name)));
    }
  }
});

test('the comparison fails when the registry or the table changes alone', () => {
  const ocamlless = EXECUTORS.filter((e) => e.lang !== 'ocaml');
  assert.deepEqual(disagreements(ocamlless, FORMAT), [
    'format language ocaml has 0 executors (one expected in src/runtime/executors/registry.ts)',
    'format alias ml → ocaml is not among the aliases executor ocaml declares',
  ]);
  const julia: Names = { lang: 'julia', aliases: ['jl'], attributes: [] };
  assert.deepEqual(disagreements([...EXECUTORS, julia], FORMAT), [
    'executor julia is not in EXECUTABLE_LANGS (src/format/languages.ts)',
    'alias jl of executor julia is missing from LANG_ALIASES (src/format/languages.ts)',
  ]);
  const { ml: _ml, ...withoutMl } = LANG_ALIASES;
  assert.deepEqual(disagreements(EXECUTORS, { ...FORMAT, aliases: { ...withoutMl, pyth: 'python' } }), [
    'alias ml of executor ocaml is missing from LANG_ALIASES (src/format/languages.ts)',
    'format alias pyth → python is not among the aliases executor python declares',
  ]);
  const twice: Names = { lang: 'sh', aliases: ['shell'], attributes: [] };
  assert.deepEqual(disagreements([...EXECUTORS.filter((e) => e.lang !== 'sh'), twice], FORMAT), [
    'alias shell of executor sh is bash in LANG_ALIASES (src/format/languages.ts)',
    'alias shell is declared by bash and sh',
  ]);
  const noSeed = EXECUTORS.map((e) =>
    e.lang === 'qasm' ? { ...e, attributes: e.attributes.filter((a) => a.name !== 'seed') } : e,
  );
  assert.deepEqual(disagreements(noSeed, { ...FORMAT, attributes: { ...LANG_ATTRIBUTES, sh: ['x'] } }), [
    'executor sh declares the attributes [], LANG_ATTRIBUTES (src/format/languages.ts) [x]',
    'executor qasm declares the attributes [backend, precision, probabilities, shots], LANG_ATTRIBUTES (src/format/languages.ts) [backend, precision, probabilities, seed, shots]',
  ]);
});

test('tool names and their variables are unique across the registry', () => {
  const all = EXECUTORS.flatMap((e) => e.needs.tools);
  assert.equal(new Set(all.map((t) => t.name)).size, all.length);
  assert.equal(new Set(all.map((t) => t.env)).size, all.length);
  assert.deepEqual(
    declaredTools(EXECUTORS)
      .map((t) => t.env)
      .sort(),
    ['MAML_OCAML', 'MAML_PYTHON', 'MAML_QASM_ENGINE'],
  );
});
