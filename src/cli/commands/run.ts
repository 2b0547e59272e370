/**
 * `maml run <file>`: executes a workflow on the head pool, shows progress, records the run in the run database
 * and appends `[TICKET]`, `[REGENERATE]` and `[EXECUTE]` lines to the document's History atomically.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { appendHistory, parse } from '../../format/index.js';
import { MamlError, exitCodeFor } from '../../shared/index.js';
import { readPassphrase, resolveKeyringDir } from '../../keyring/index.js';
import {
  DEFAULT_IDENTITY,
  MAX_CONCURRENCY,
  compileRuntimeOptions,
  documentHash,
  executePlan,
  prepareResume,
  headsOf,
  isFederated,
  openRuntime,
  planFederated,
  runFederated,
  parseInputPairs,
  planRun,
  policyFor,
} from '../../runtime/index.js';
import type { RunEvent, RunReport } from '../../runtime/index.js';
import { MAX_SCORE } from '../../scan/index.js';
import { keyCreatedNotice } from '../key-notice.js';
import { readInputFiles } from '../input-files.js';
import type { Command, CommandContext } from '../command.js';
import { LIMIT_HELP, LIMIT_OPTIONS, runLimitsFrom } from '../limit-options.js';
import { flag, requirePositionals, stringOption } from '../options.js';
import { runCacheDir, runDataDir } from '../run-database.js';
import { databaseUrlFrom, loadProjectConfig, reportConfigWarnings } from '../project-config.js';
import { scanGateFrom } from '../scan-gate-config.js';
import { readDocument } from '../read-document.js';
import { formatDiagnostic } from '../report.js';
import { plainView, ttyView } from '../run-view.js';
import type { RunView } from '../run-view.js';
import { terminalJson, terminalText } from '../terminal-text.js';
import { writeFileAtomic } from '../write-atomic.js';
import { unsafeNoSandbox } from '../unsafe-sandbox.js';

/** `{ [key]: value }` when the value is given, else nothing (for optional settings). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

const stringList = (v: unknown): string[] =>
  (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');

function inputList(ctx: CommandContext): string[] {
  const v = ctx.values['input'];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
}

async function inputsFile(path: string | undefined): Promise<Record<string, unknown>> {
  if (path === undefined) return {};
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new MamlError('usage', `--inputs ${path}: cannot read the file`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new MamlError('usage', `--inputs ${path}: not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new MamlError('usage', `--inputs ${path}: expected a JSON object of name → value`);
  return value as Record<string, unknown>;
}

function reportJson(report: RunReport): Record<string, unknown> {
  return {
    runId: report.runId,
    status: report.status,
    blocks: report.blocks.map((b) => ({
      id: b.id,
      lang: b.lang,
      head: b.head,
      status: b.status,
      durationMs: b.durationMs === null ? null : Math.round(b.durationMs),
      outputs: b.outputs,
      error: b.error ? { code: b.error.code, message: b.error.message } : null,
    })),
    outputs: report.outputs,
    error: report.error ? { code: report.error.code, message: report.error.message } : null,
  };
}

export const runCommand: Command = {
  name: 'run',
  summary: 'execute a workflow: its blocks on sandboxed heads, History updated',
  help: `Usage: maml run <file> [--input name=value ...] [--inputs file.json] [--json] [--no-write]
                [--history compact|full] [--cache] [--heads quantum:2,ai:2] [--identity agent://me]
                [--unsafe-no-sandbox] [--allow-risk] [--resume RUN-ID] [--max-timeout 1h] …

Runs the document's code blocks as a dependency graph on supervised head processes, each
block sandboxed with bubblewrap, and appends to its ## History a [TICKET] line per executed
block (signed with the head's ML-DSA key, also appended to the audit log in the run database)
and an [EXECUTE] line for the run (with the run's signed record, also in the audit log).

Options:
  --input name=value    a workflow input (repeatable), read as ## Input_Schema types it: the text as
                        written for a string input, JSON of the declared type otherwise; without a
                        type, JSON when it parses, else a string
  --inputs <file>       workflow inputs from a JSON object file, taken as they are (--input wins on
                        the same name)
  --input-file name=path  a string input holding the text of a file (repeatable; UTF-8, at most 64 MiB),
                        for data a sandboxed block cannot read itself
  --history <form>      compact (default; also \`history\` in .maml.yaml): History lines name the
                        audit-log entry and leaf hash of each ticket and run record (under 200 bytes);
                        full: the whole signed ticket and record in the line (about 4.5 KB each)
  --json                print {"runId","status","blocks":[{"id","lang","head","status",
                        "durationMs","outputs","error"}],"outputs","error"} and nothing else
  --no-write            do not write History lines back into the document
  --cache               reuse a block's outputs when its source, executor, inputs and upstream
                        outputs are unchanged
  --heads <spec>        head classes and counts (default quantum:2,ai:2; also \`heads\` in .maml.yaml)
  --identity <uri>      who runs the document, checked against permissions.execute
                        (default: \`identity\` in .maml.yaml, else agent://local)
  --concurrency <n>     blocks running at once (default: resources.concurrent_tasks in .maml.yaml,
                        else 4; at most ${MAX_CONCURRENCY})
  --state-dir <dir>     where the embedded run database lives (default $MAML_STATE_DIR or
                        ~/.local/state/maml); DATABASE_URL selects PostgreSQL instead
  --unsafe-no-sandbox   run blocks without bubblewrap (only for code you trust)
  --keyring <dir>       where the heads' ticket signing keys live (default $MAML_KEYRING or
                        ~/.config/maml/keyring); a head without a key gets one on first use
  --passphrase-file <f> passphrase for sealed keys (default $MAML_KEY_PASSPHRASE)
  --resume <run-id>     continue a failed, cancelled or interrupted run (id or unique prefix) from the
                        blocks it committed: they keep their outputs and tickets, the others run again
                        with the run's recorded inputs and plan; refused unless the document is the one
                        that run ran (SHA-256 of the text without ## History)
  --allow-risk          run even when the threat scan (\`maml scan\`) scores the document at or
                        above its threshold (\`maml mcp\` never does; the gateway only for a
                        token with the maml:allow-risk scope)

${LIMIT_HELP}

Ctrl-C cancels the run: running blocks are killed and recorded as cancelled, the rest skipped;
a second Ctrl-C exits at once.

A document that cannot run as asked is refused before anything runs, with every problem
printed as file:line:col severity code message.

Exit status: 0 when the run succeeded, 1 when a block or the output schema failed,
2 for an invalid document (threat scan findings and blocks over the limits included) or
usage errors, 130 when interrupted.`,
  options: {
    input: { type: 'string', multiple: true },
    inputs: { type: 'string' },
    'input-file': { type: 'string', multiple: true },
    json: { type: 'boolean' },
    'no-write': { type: 'boolean' },
    history: { type: 'string' },
    cache: { type: 'boolean' },
    heads: { type: 'string' },
    identity: { type: 'string' },
    concurrency: { type: 'string' },
    'state-dir': { type: 'string' },
    'unsafe-no-sandbox': { type: 'boolean' },
    'allow-risk': { type: 'boolean' },
    resume: { type: 'string' },
    ...LIMIT_OPTIONS,
    keyring: { type: 'string' },
    'passphrase-file': { type: 'string' },
  },
  async run(ctx) {
    const [file, ...extra] = requirePositionals(
      ctx,
      1,
      'the document to run (e.g. `maml run examples/quickstart.maml.md`)',
    );
    if (file === undefined || extra.length > 0) throw new MamlError('usage', 'give exactly one document to run');
    const path = file.startsWith('/') ? file : join(ctx.cwd, file);
    const config = loadProjectConfig(ctx.cwd);
    reportConfigWarnings(config, (text) => ctx.out.error(text));
    const concurrencyText = stringOption(ctx, 'concurrency');
    const databaseUrl = databaseUrlFrom(config);
    const flags = new Set<string>();
    const fromFlag = <T>(key: string, value: T | undefined): T | undefined => {
      if (value !== undefined) flags.add(key);
      return value;
    };
    // The environment and .maml.yaml are read here, in the CLI; the runtime gets values, checked once.
    const options = compileRuntimeOptions(
      {
        ...optional('heads', fromFlag('heads', stringOption(ctx, 'heads')) ?? config.heads),
        // The guides' resources.concurrent_tasks (1000 in their examples) counts as at most MAX_CONCURRENCY; the
        // flag is the operator's own choice, so a value out of range is an error.
        concurrency: fromFlag('concurrency', concurrencyText) ?? Math.min(config.concurrency ?? 4, MAX_CONCURRENCY),
        limits: runLimitsFrom(ctx, config),
        ...optional('history', fromFlag('history', stringOption(ctx, 'history')) ?? config.history),
        ...(databaseUrl ? { databaseUrl } : { dataDir: runDataDir(ctx) }),
        keyringDir: resolveKeyringDir(stringOption(ctx, 'keyring'), process.env, ctx.cwd),
        ...optional('passphrase', await readPassphrase(stringOption(ctx, 'passphrase-file'), process.env, ctx.cwd)),
        unsafeNoSandbox: unsafeNoSandbox(ctx),
        identity: stringOption(ctx, 'identity') ?? config.identity ?? DEFAULT_IDENTITY,
        cacheDir: runCacheDir(),
        scan: await scanGateFrom(config),
      },
      (key) => (flags.has(key) ? `--${key}` : key),
    );
    const fileInputs = await inputsFile(stringOption(ctx, 'inputs'));
    const json = flag(ctx, 'json');

    const doc = await readDocument(path);
    // --input text is read as ## Input_Schema types each input; --inputs values are JSON already.
    const inputs = {
      ...fileInputs,
      ...(await readInputFiles(ctx.cwd, stringList(ctx.values['input-file']))),
      ...parseInputPairs(inputList(ctx), doc.inputSchema?.value),
    };
    // Every check happens here, once, before the database or a head is touched: a refusal is a list of
    // diagnostics, printed as file:line:col.
    const planned = planRun(
      doc,
      {
        inputs,
        identity: options.identity,
        documentPath: path,
        allowRisk: flag(ctx, 'allow-risk'),
        cache: flag(ctx, 'cache'),
        historyForm: options.historyForm,
      },
      policyFor(options, headsOf(options.heads)),
    );
    if (!planned.ok) {
      for (const d of planned.diagnostics) ctx.out.error(formatDiagnostic(ctx.out, file, d));
      ctx.out.error(`maml run: ${planned.code}: ${terminalText(planned.message, { lines: true })}`);
      return exitCodeFor(planned.code);
    }
    let { plan } = planned;
    const resumeId = stringOption(ctx, 'resume');
    // A `federated:` document runs as rounds over its client block (docs/federated.md).
    const federated = isFederated(doc) ? planFederated(doc, plan) : undefined;
    if (federated !== undefined) {
      const found = federated.ok ? federated.warnings : federated.diagnostics;
      for (const d of found) ctx.out.error(formatDiagnostic(ctx.out, file, d));
      if (!federated.ok) return exitCodeFor('invalid_document');
      if (resumeId !== undefined)
        throw new MamlError('usage', '--resume continues block workflows; a federated run starts again from round 1');
    }
    if (plan.risk) {
      for (const d of plan.risk.diagnostics) ctx.out.error(formatDiagnostic(ctx.out, file, d));
      ctx.out.error(
        ctx.out.paint(
          'yellow',
          `warning: threat scan score ${plan.risk.score}/${MAX_SCORE} (threshold ${plan.risk.threshold}); running anyway because of --allow-risk`,
        ),
      );
    }
    const runtime = await openRuntime(options, {
      startHeads: plan.blocks.some((b) => b.placement === 'head'),
      onKeyCreated: keyCreatedNotice(ctx.out, 'ticket signing key'),
    });
    let view: RunView | undefined;
    let onInterrupt: (() => void) | undefined;
    try {
      view = json ? undefined : ctx.out.isTTY ? ttyView(ctx.out) : plainView(ctx.out);
      // Ctrl-C cancels the run: its running blocks are killed, the rest skipped, and it is recorded as
      // cancelled (History too). A second Ctrl-C exits at once.
      const interrupt = new AbortController();
      onInterrupt = () => {
        process.once('SIGINT', () => process.exit(130));
        ctx.out.error('interrupted: cancelling the run (Ctrl-C again to quit now)');
        interrupt.abort('interrupted (Ctrl-C)');
      };
      process.once('SIGINT', onInterrupt);
      // Every executed block gets a ticket signed by its head's key and appended to the run database's audit log.
      const resumed =
        resumeId === undefined ? undefined : await prepareResume(runtime.store, resumeId, documentHash(doc));
      if (resumed) plan = resumed.plan;
      const services = {
        ...(resumed ? { runId: resumed.runId, resume: resumed.resume } : {}),
        documentHash: documentHash(doc),
        store: runtime.store,
        pool: runtime.pool,
        tickets: runtime.tickets,
        cacheDir: runtime.options.cacheDir,
        signal: interrupt.signal,
        subscribers: view ? [(event: RunEvent) => view?.onEvent(event)] : [],
      };
      const report = federated?.ok
        ? await runFederated(plan, federated.plan, services)
        : await executePlan(plan, services);
      view?.stop();
      if (!flag(ctx, 'no-write')) {
        // Re-read: the file may have been edited while the run went on; only the History lines are added.
        const current = parse(await readFile(path, 'utf8'));
        await writeFileAtomic(path, appendHistory(current, report.history));
      }
      if (json) ctx.out.print(terminalJson(reportJson(report), 2));
      else {
        const line = `run ${report.runId} ${report.status} in ${(report.durationMs / 1000).toFixed(2)} s`;
        if (report.error)
          ctx.out.error(ctx.out.paint('red', `error: ${terminalText(report.error.message, { lines: true })}`));
        ctx.out.print(`outputs: ${terminalJson(report.outputs)}`);
        ctx.out.print(report.status === 'succeeded' ? ctx.out.paint('green', line) : ctx.out.paint('red', line));
      }
      return report.status === 'succeeded' ? 0 : interrupt.signal.aborted ? 130 : 1;
    } finally {
      if (onInterrupt) process.off('SIGINT', onInterrupt);
      view?.stop();
      await runtime.close();
    }
  },
};
