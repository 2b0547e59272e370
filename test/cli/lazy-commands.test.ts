/**
 * Commands are loaded lazily: `maml --version` and `maml --help` import no command, `maml <cmd>` imports that
 * command only, and `maml validate` loads neither the server nor the database. Checked by the modules the process
 * really loads (module-trace.ts), not by timing; the benchmark `cli` measures what it saves.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { COMMANDS } from '../../src/cli/index.js';
import { ROOT } from '../helpers/paths.js';
import { traceCli } from './module-trace.js';

const DIST = pathToFileURL(join(ROOT, 'dist/')).href;

/** What a light command must not load, each recognised by its module URLs. */
const HEAVY: Readonly<Record<string, (url: string) => boolean>> = {
  'the server (dist/server/)': (url) => url.startsWith(`${DIST}server/`),
  'the database (dist/runtime/db/)': (url) => url.startsWith(`${DIST}runtime/db/`),
  '@electric-sql/pglite': (url) => url.includes('/node_modules/@electric-sql/pglite/'),
  fastify: (url) => /\/node_modules\/(?:fastify|@fastify\/[^/]+)\//.test(url),
  '@modelcontextprotocol/sdk': (url) => url.includes('/node_modules/@modelcontextprotocol/'),
};

function heavyLoaded(modules: readonly string[]): string[] {
  return Object.entries(HEAVY)
    .filter(([, matches]) => modules.some(matches))
    .map(([name]) => name);
}

/** The command modules loaded (file names under dist/cli/commands/), sorted. */
function commandModules(modules: readonly string[]): string[] {
  const prefix = `${DIST}cli/commands/`;
  return modules
    .filter((url) => url.startsWith(prefix))
    .map((url) => url.slice(prefix.length))
    .sort();
}

test('the registry names and summarises each command as its module does', async () => {
  assert.equal(new Set(COMMANDS.map((c) => c.name)).size, COMMANDS.length, 'command names are unique');
  for (const entry of COMMANDS) {
    const command = await entry.load();
    assert.equal(command.name, entry.name);
    assert.equal(command.summary, entry.summary, `summary of ${entry.name}`);
  }
});

test('maml --version loads no command, nor the runtime, the server or the database', () => {
  const r = traceCli(['--version']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout.trim(), /^\d+\.\d+\.\d+$/);
  assert.ok(r.modules.includes(`${DIST}cli/main.js`), 'the trace saw the CLI load');
  assert.deepEqual(heavyLoaded(r.modules), []);
  assert.deepEqual(
    r.modules.filter((url) => url.startsWith(`${DIST}runtime/`)),
    [],
  );
  assert.deepEqual(commandModules(r.modules), ['index.js']);
});

test('maml validate loads neither the server nor the database', () => {
  const r = traceCli(['validate', 'examples/quickstart.maml.md']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /ok: 0 errors/);
  assert.deepEqual(heavyLoaded(r.modules), []);
  assert.deepEqual(commandModules(r.modules), ['index.js', 'validate.js']);
});

test('maml --help loads no command; maml <command> --help loads that command only', () => {
  const help = traceCli(['--help']);
  assert.equal(help.code, 0);
  const lines = help.stdout.split('\n').map((line) => line.trim());
  for (const entry of COMMANDS)
    assert.ok(
      lines.some((line) => line.startsWith(`${entry.name} `) && line.endsWith(` ${entry.summary}`)),
      `maml --help lists ${entry.name}`,
    );
  assert.deepEqual(commandModules(help.modules), ['index.js']);
  for (const name of ['validate', 'scan']) {
    const r = traceCli([name, '--help']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`Usage:\\s+maml ${name}`));
    assert.deepEqual(commandModules(r.modules), [`${name}.js`, 'index.js'].sort());
  }
});

// What `maml mcp` loads before it answers `initialize` (its module's static imports, as `--help` shows) leaves
// out the HTTP server and the services, which are imported when the runtime opens (src/cli/mcp-startup.ts).
test('maml mcp imports its services only when it opens them', () => {
  const r = traceCli(['mcp', '--help']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(heavyLoaded(r.modules).includes('@modelcontextprotocol/sdk'));
  assert.deepEqual(
    heavyLoaded(r.modules).filter((name) => name === 'fastify' || name === '@electric-sql/pglite'),
    [],
  );
  assert.deepEqual(
    r.modules.filter((url) => url === `${DIST}server/services.js` || url === `${DIST}server/index.js`),
    [],
  );
});

// The checks above must be able to fail: a command that does need the server stack is seen loading it.
test('the module trace sees the server stack where a command loads it', () => {
  const r = traceCli(['serve', '--help']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Usage:\s+maml serve/);
  const seen = heavyLoaded(r.modules);
  for (const name of [
    'the server (dist/server/)',
    'the database (dist/runtime/db/)',
    'fastify',
    '@modelcontextprotocol/sdk',
  ])
    assert.ok(seen.includes(name), `${name} not seen in ${seen.join(', ')}`);
});
