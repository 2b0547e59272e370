/**
 * `maml mcp`: the gateway's MCP tools over stdio for a local client (an editor or agent that starts `maml mcp`).
 * Runs execute on a local head pool and are recorded in the run database, with tickets in the audit log.
 * What this module loads is what a client waits for before `initialize` is answered, so its imports name modules
 * rather than the server's barrel, and the services (database, heads, HTTP stack) are imported when they are
 * opened, in the background (test/cli/lazy-commands.test.ts keeps them out).
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { compileRuntimeOptions } from '../../runtime/runtime-options.js';
import { SCOPES } from '../../server/auth/principal.js';
import { createMcpServer } from '../../server/mcp/mcp-server.js';
import { readPassphrase } from '../../keyring/passphrase.js';
import { resolveKeyringDir } from '../../keyring/keyring-dir.js';
import { MamlError } from '../../shared/errors.js';
import type { Command } from '../command.js';
import { version } from '../main.js';
import { LIMIT_HELP, LIMIT_OPTIONS, runLimitsFrom } from '../limit-options.js';
import { flag, stringOption } from '../options.js';
import { keyCreatedNotice } from '../key-notice.js';
import { runCacheDir, runDataDir } from '../run-database.js';
import { databaseUrlFrom, loadProjectConfig, reportConfigWarnings } from '../project-config.js';
import { scanGateFrom } from '../scan-gate-config.js';
import { unsafeNoSandbox } from '../unsafe-sandbox.js';
import { deferRuntime } from '../mcp-startup.js';
import type { openServices as OpenServices } from '../../server/services.js';

/** Imports the server stack when called: answering `initialize` does not need it. */
async function openServices(...args: Parameters<typeof OpenServices>): ReturnType<typeof OpenServices> {
  return (await import('../../server/services.js')).openServices(...args);
}

export const mcpCommand: Command = {
  name: 'mcp',
  summary: 'serve the MAML tools to an MCP client over stdio',
  help: `Usage: maml mcp [--identity agent://me] [--heads quantum:2,ai:2] [--state-dir dir] [--unsafe-no-sandbox]

Speaks the Model Context Protocol on stdin/stdout. Tools: maml_validate, maml_run, maml_get_run,
maml_verify, qasm_simulate, maml_search; resources: maml://runs/{runId} and maml://schema/maml.schema.json.

Options:
  --identity <uri>      who runs documents, checked against permissions.execute (default: .maml.yaml, else agent://local)
  --heads <spec>        head classes and counts (default quantum:2,ai:2)
  --state-dir <dir>     embedded database location; DATABASE_URL selects PostgreSQL instead
  --memory              keep runs in memory only (nothing written to the state directory; ticket and
                        checkpoint keys live in memory too)
  --keyring <dir>       keyring with the per-head ticket keys and the checkpoint keys, created on
                        first use (default $MAML_KEYRING or ~/.config/maml/keyring)
  --passphrase-file <f> passphrase of sealed keys (default $MAML_KEY_PASSPHRASE)
  --unsafe-no-sandbox   run blocks without bubblewrap (only for code you trust)

${LIMIT_HELP}

Documents the threat scan flags are refused by maml_run, with the findings. When the client
goes away (or on SIGINT/SIGTERM) runs still going get 5 seconds, then are cancelled.`,
  options: {
    identity: { type: 'string' },
    heads: { type: 'string' },
    'state-dir': { type: 'string' },
    memory: { type: 'boolean' },
    keyring: { type: 'string' },
    'passphrase-file': { type: 'string' },
    'unsafe-no-sandbox': { type: 'boolean' },
    ...LIMIT_OPTIONS,
  },
  async run(ctx) {
    if (ctx.positionals.length > 0) throw new MamlError('usage', 'maml mcp takes no arguments');
    const config = loadProjectConfig(ctx.cwd);
    reportConfigWarnings(config, (text) => ctx.out.error(text));
    const headsText = stringOption(ctx, 'heads') ?? config.heads;
    const databaseUrl = databaseUrlFrom(config);
    const passphrase = await readPassphrase(stringOption(ctx, 'passphrase-file'), process.env, ctx.cwd);
    const memory = flag(ctx, 'memory');
    const runtimeOptions = compileRuntimeOptions({
      ...(headsText === undefined ? {} : { heads: headsText }),
      limits: runLimitsFrom(ctx, config),
      ...(databaseUrl ? { databaseUrl } : { dataDir: memory ? 'memory' : runDataDir(ctx) }),
      ...(memory ? {} : { keyringDir: resolveKeyringDir(stringOption(ctx, 'keyring'), process.env, ctx.cwd) }),
      ...(passphrase === undefined || memory ? {} : { passphrase }),
      unsafeNoSandbox: unsafeNoSandbox(ctx),
      identity: stringOption(ctx, 'identity') ?? config.identity ?? 'agent://local',
      cacheDir: runCacheDir(),
      scan: await scanGateFrom(config),
    });
    const opening = openServices({
      runtime: runtimeOptions,
      ...(memory ? {} : { onKeyCreated: keyCreatedNotice(ctx.out, 'key', { warnings: true }) }),
    });
    const principal = {
      subject: runtimeOptions.identity,
      scopes: new Set(SCOPES),
    };
    // `initialize` is answered while the runtime opens; other requests wait for it (mcp-startup.ts).
    const runtime = deferRuntime(new StdioServerTransport(), opening);
    const server = createMcpServer(runtime.services, principal, version());
    const transport = runtime.transport;
    const closed = new Promise<void>((resolve) => {
      transport.onclose = resolve;
      process.stdin.once('end', resolve);
      process.once('SIGTERM', resolve);
      process.once('SIGINT', resolve);
    });
    await server.connect(transport);
    const services = await opening.catch(async (error: unknown) => {
      await server.close().catch(() => undefined);
      throw error;
    });
    await closed;
    await server.close().catch(() => undefined);
    await services.close(5000);
    return 0;
  },
};
