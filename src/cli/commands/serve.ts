/**
 * `maml serve`: the MAML Gateway HTTP/WebSocket API (and MCP at /mcp) until SIGINT or SIGTERM, then a graceful
 * shutdown that lets in-flight runs finish for the grace period and records the rest as cancelled.
 */
import { MAX_CONCURRENCY, compileRuntimeOptions } from '../../runtime/index.js';
import {
  DEFAULT_MAX_RUNS,
  createGateway,
  defaultMaxConnections,
  defaultValidateThreads,
  jwtVerifier,
  openFilesLimit,
  nonLoopbackProblem,
  type AuthOptions,
} from '../../server/index.js';
import { readPassphrase, resolveKeyringDir } from '../../keyring/index.js';
import { MamlError } from '../../shared/index.js';
import type { Command, CommandContext } from '../command.js';
import { version } from '../main.js';
import { LIMIT_HELP, LIMIT_OPTIONS, runLimitsFrom } from '../limit-options.js';
import { flag, stringOption } from '../options.js';
import { keyCreatedNotice } from '../key-notice.js';
import { runCacheDir, runDataDir } from '../run-database.js';
import { databaseUrlFrom, loadProjectConfig, reportConfigWarnings } from '../project-config.js';
import { scanGateFrom } from '../scan-gate-config.js';
import { unsafeNoSandbox } from '../unsafe-sandbox.js';

function positiveInt(
  ctx: CommandContext,
  name: string,
  fallback: number,
  min = 1,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const text = stringOption(ctx, name);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw new MamlError(
      'usage',
      `--${name} must be an integer ≥ ${min}${max < Number.MAX_SAFE_INTEGER ? ` and ≤ ${max}` : ''} (got \`${text}\`)`,
    );
  return n;
}

function list(ctx: CommandContext, name: string): string[] {
  return (stringOption(ctx, name) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

async function authFrom(ctx: CommandContext, host: string): Promise<AuthOptions> {
  const mode = stringOption(ctx, 'auth') ?? 'jwt';
  if (mode === 'none') {
    const problem = await nonLoopbackProblem(host);
    if (problem !== undefined)
      throw new MamlError('usage', `--auth none is only allowed on a loopback address (127.0.0.1, ::1): ${problem}`);
    return {
      mode: 'none',
      subject: stringOption(ctx, 'identity') ?? loadProjectConfig(ctx.cwd).identity ?? 'agent://local',
    };
  }
  if (mode !== 'jwt') throw new MamlError('usage', `--auth must be jwt or none (got \`${mode}\`)`);
  const jwks = stringOption(ctx, 'jwks') ?? process.env['MAML_JWKS'];
  const issuer = stringOption(ctx, 'issuer') ?? process.env['MAML_JWT_ISSUER'];
  const audience = stringOption(ctx, 'audience') ?? process.env['MAML_JWT_AUDIENCE'];
  if (!jwks || !issuer || !audience)
    throw new MamlError(
      'usage',
      '--auth jwt needs --jwks URL|FILE, --issuer and --audience (or MAML_JWKS, MAML_JWT_ISSUER, MAML_JWT_AUDIENCE); use --auth none for local use on 127.0.0.1',
    );
  const algorithms = stringOption(ctx, 'algorithms')?.split(',').filter(Boolean);
  return { mode: 'jwt', verify: await jwtVerifier({ jwks, issuer, audience, ...(algorithms ? { algorithms } : {}) }) };
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the MAML Gateway: HTTP/WebSocket API, metrics and MCP',
  help: `Usage: maml serve [--port 8000] [--host 127.0.0.1] [--auth jwt|none] [--jwks URL|FILE]
                  [--issuer ISS] [--audience AUD] [--heads quantum:2,ai:2] [--state-dir dir]
                  [--keyring DIR] [--passphrase-file FILE] [--validate-threads N]
                  [--allowed-hosts a,b] [--allowed-origins https://x,…] [--max-runs N]
                  [--max-connections N] [--queue] [--no-local-heads] [--lease 10]

Serves the gateway API (docs/server.md): POST /v1/validate, POST /v1/runs, GET /v1/runs (list),
GET /v1/runs/:id, GET /v1/runs/:id/events (SSE), GET /v1/runs/:id/document, POST /v1/runs/:id/cancel,
GET /v1/heads, GET /v1/tickets/:id, GET /v1/audit/checkpoint, WebSocket /v1/ws, MCP at /mcp, /metrics,
/healthz, /readyz and /openapi.json; and the web dashboard at / (docs/dashboard.md: open the address in a
browser; with --auth jwt, paste a bearer token under "Token").
Tickets are signed with one keyring key per head (head-<head id>, as maml run does) and
checkpoints with the keyring keys audit-log and audit-log-ed25519 (as maml audit checkpoint
does); missing keys are created on first start.

Options:
  --port <n>            TCP port (default 8000; 0 picks a free one)
  --host <addr>         address to listen on (default 127.0.0.1)
  --allowed-hosts <list> host names clients may use in Host besides the listen address (and
                        localhost on loopback), comma-separated; others are refused (DNS rebinding)
  --allowed-origins <list> web origins (https://app.example.com) whose pages may call the API,
                        comma-separated; other cross-origin requests and Origin: null are refused
  --auth <mode>         jwt (default): OAuth2 bearer JWTs; none: no auth, loopback addresses only
  --jwks <url|file>     JWKS URL or JSON file with the token signing keys (or MAML_JWKS)
  --issuer <iss>        required token issuer (or MAML_JWT_ISSUER)
  --audience <aud>      required token audience (or MAML_JWT_AUDIENCE)
  --algorithms <list>   accepted JWS algorithms (default RS256,…,ES256,ES384,EdDSA; never HS* or none)
  --identity <uri>      the subject of every request with --auth none (default agent://local)
  --heads <spec>        head classes and counts (default quantum:2,ai:2)
  --concurrency <n>     blocks running at once per run (default 4, at most ${MAX_CONCURRENCY})
  --rate-limit <n>      requests per second per subject, bursts of 4n (default 50; 0 turns it off)
  --max-runs <n>        runs queued or running at once; more submissions get 503 with Retry-After
                        (default ${DEFAULT_MAX_RUNS})
  --max-connections <n> open connections; requests on more get 503 with Retry-After (default:
                        the open-files limit less 256, at most 10000)
  --validate-threads <n> worker processes that parse and validate documents for POST /v1/validate
                        and maml_validate (default: CPU cores - 1, at most 8; 0: on the event loop)
  --grace <seconds>     how long shutdown lets in-flight runs finish before cancelling (default 30)
  --state-dir <dir>     embedded database location (default $MAML_STATE_DIR or ~/.local/state/maml);
                        DATABASE_URL selects PostgreSQL instead
  --keyring <dir>       keyring with the ticket and checkpoint keys (default $MAML_KEYRING or
                        ~/.config/maml/keyring)
  --passphrase-file <f> passphrase of sealed keys (default $MAML_KEY_PASSPHRASE)
  --unsafe-no-sandbox   run blocks without bubblewrap (only for code you trust)
  --queue               durable runs (needs DATABASE_URL): blocks go through the run database's
                        queue to workers (maml worker) and this gateway's own heads; runs survive
                        a restart of the gateway (docs/durable-runs.md)
  --no-local-heads      plan and enqueue only: no heads here, workers run every block (implies --queue)
  --lease <seconds>     how long a silent worker keeps its blocks, and a stopped gateway its runs,
                        before they are taken over (default 10)

${LIMIT_HELP}

Documents the threat scan flags are refused (422, findings in the error's details) unless the
token has the maml:allow-risk scope (not implied by maml:admin).
Stops on SIGINT or SIGTERM: in-flight runs get the grace period, then are cancelled.`,
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    auth: { type: 'string' },
    jwks: { type: 'string' },
    issuer: { type: 'string' },
    audience: { type: 'string' },
    algorithms: { type: 'string' },
    identity: { type: 'string' },
    heads: { type: 'string' },
    concurrency: { type: 'string' },
    'rate-limit': { type: 'string' },
    'max-runs': { type: 'string' },
    'max-connections': { type: 'string' },
    'allowed-hosts': { type: 'string' },
    'allowed-origins': { type: 'string' },
    grace: { type: 'string' },
    'validate-threads': { type: 'string' },
    'state-dir': { type: 'string' },
    keyring: { type: 'string' },
    'passphrase-file': { type: 'string' },
    'unsafe-no-sandbox': { type: 'boolean' },
    queue: { type: 'boolean' },
    'no-local-heads': { type: 'boolean' },
    lease: { type: 'string' },
    ...LIMIT_OPTIONS,
  },
  async run(ctx) {
    if (ctx.positionals.length > 0) throw new MamlError('usage', 'maml serve takes no file arguments');
    const host = stringOption(ctx, 'host') ?? '127.0.0.1';
    const port = positiveInt(ctx, 'port', 8000, 0);
    const rate = positiveInt(ctx, 'rate-limit', 50, 0);
    const config = loadProjectConfig(ctx.cwd);
    reportConfigWarnings(config, (text) => ctx.out.error(text));
    const limits = runLimitsFrom(ctx, config);
    const auth = await authFrom(ctx, host);
    const headsText = stringOption(ctx, 'heads') ?? config.heads;
    const databaseUrl = databaseUrlFrom(config);
    // Each client connection needs a file descriptor (Node has already raised its soft limit to the hard one).
    const fileLimit = openFilesLimit();
    const maxConnections = positiveInt(ctx, 'max-connections', defaultMaxConnections(fileLimit));
    if (fileLimit !== undefined && fileLimit < 4096)
      ctx.out.error(
        ctx.out.paint(
          'yellow',
          `warning: the open-files limit is ${fileLimit} (its hard limit), so at most ${maxConnections} connections are served at once; raise it (ulimit -Hn, LimitNOFILE=) for more`,
        ),
      );
    const queue = flag(ctx, 'queue') || flag(ctx, 'no-local-heads');
    if (queue && !databaseUrl)
      throw new MamlError(
        'usage',
        '--queue and --no-local-heads need a PostgreSQL run database shared with the workers: set DATABASE_URL',
      );
    const passphrase = await readPassphrase(stringOption(ctx, 'passphrase-file'), process.env, ctx.cwd);
    const runtime = compileRuntimeOptions({
      ...(headsText === undefined ? {} : { heads: headsText }),
      concurrency: positiveInt(ctx, 'concurrency', 4, 1, MAX_CONCURRENCY),
      limits,
      ...(databaseUrl ? { databaseUrl } : { dataDir: runDataDir(ctx) }),
      keyringDir: resolveKeyringDir(stringOption(ctx, 'keyring'), process.env, ctx.cwd),
      ...(passphrase === undefined ? {} : { passphrase }),
      unsafeNoSandbox: unsafeNoSandbox(ctx),
      cacheDir: runCacheDir(),
      scan: await scanGateFrom(config),
    });
    const gateway = await createGateway({
      auth,
      runtime,
      rateLimit: rate === 0 ? false : { perSecond: rate, burst: rate * 4 },
      maxRuns: positiveInt(ctx, 'max-runs', DEFAULT_MAX_RUNS),
      maxConnections,
      allowedHosts: list(ctx, 'allowed-hosts'),
      allowedOrigins: list(ctx, 'allowed-origins'),
      shutdownGraceMs: positiveInt(ctx, 'grace', 30, 0) * 1000,
      validateThreads: positiveInt(ctx, 'validate-threads', defaultValidateThreads(), 0),
      version: version(),
      onKeyCreated: keyCreatedNotice(ctx.out, 'key', { warnings: true }),
      ...(queue
        ? {
            queue: { localHeads: !flag(ctx, 'no-local-heads'), leaseMs: positiveInt(ctx, 'lease', 10, 1, 3600) * 1000 },
          }
        : {}),
    });
    if (auth.mode === 'none')
      ctx.out.error(
        ctx.out.paint(
          'yellow',
          `warning: --auth none: every request runs as ${auth.subject ?? 'agent://local'} with every scope`,
        ),
      );
    const url = await gateway.listen(port, host);
    const threads = gateway.services.validation?.threads ?? 0;
    ctx.out.print(
      `maml gateway listening on ${url} (${gateway.services.db.kind} database${queue ? `, durable runs on the queue${flag(ctx, 'no-local-heads') ? ' without local heads' : ''}` : ''}, ${threads > 0 ? `${threads} validation threads` : 'validation on the event loop'}, up to ${maxConnections} connections and ${gateway.services.runs.maxRuns} runs)`,
    );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    ctx.out.error('shutting down: finishing in-flight runs');
    await gateway.close();
    return 0;
  },
};
