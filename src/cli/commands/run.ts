/**
 * `maml run <file>`: executes a workflow on the head pool, shows progress, records the run in the run database
 * and appends `[TICKET]`, `[REGENERATE]` and `[EXECUTE]` lines to the document's History atomically.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { appendHistory, parse, validateDocument } from '../../format/index.js';
import { MamlError, serializeError } from '../../shared/index.js';
import type { Diagnostic } from '../../shared/index.js';
import { DEFAULT_HISTORY_FORM, HISTORY_FORMS, TransparencyLog, isHistoryForm } from '../../crypto/index.js';
import { readPassphrase, resolveKeyringDir } from '../../keyring/index.js';
import {
  AUDIT_LOG_ORIGIN,
  BLOCK_CHECKERS,
  DatabaseLogStore,
  headSigners,
  ticketIssuer,
  DEFAULT_HEADS,
  DEFAULT_IDENTITY,
  HeadPool,
  MAX_CONCURRENCY,
  bwrapStatus,
  executorFor,
  parseHeads,
  parseInputPairs,
  runWorkflow,
} from '../../runtime/index.js';
import type { RunEvent, RunReport } from '../../runtime/index.js';
import { MAX_SCORE } from '../../scan/index.js';
import { keyCreatedNotice } from '../key-notice.js';
import type { Command, CommandContext } from '../command.js';
import { LIMIT_HELP, LIMIT_OPTIONS, runLimitsFrom } from '../limit-options.js';
import { flag, requirePositionals, stringOption } from '../options.js';
import { openRunDatabase } from '../run-database.js';
import { loadProjectConfig, reportConfigWarnings } from '../project-config.js';
import { readDocument } from '../read-document.js';
import { formatDiagnostic } from '../report.js';
import { plainView, ttyView } from '../run-view.js';
import type { RunView } from '../run-view.js';
import { terminalJson, terminalText } from '../terminal-text.js';
import { writeFileAtomic } from '../write-atomic.js';
import { unsafeNoSandbox } from '../unsafe-sandbox.js';

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
                [--unsafe-no-sandbox] [--allow-risk] [--max-timeout 1h] [--max-memory 512MiB] …

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
  --allow-risk          run even when the threat scan (\`maml scan\`) scores the document at or
                        above its threshold (the gateway and \`maml mcp\` never do)

${LIMIT_HELP}

Ctrl-C cancels the run: running blocks are killed and recorded as cancelled, the rest skipped;
a second Ctrl-C exits at once.

Exit status: 0 when the run succeeded, 1 when a block or the output schema failed,
2 for an invalid document or usage errors, 130 when interrupted.`,
  options: {
    input: { type: 'string', multiple: true },
    inputs: { type: 'string' },
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
    const headsText = stringOption(ctx, 'heads') ?? config.heads;
    const heads = headsText === undefined ? DEFAULT_HEADS : parseHeads(headsText);
    const concurrencyText = stringOption(ctx, 'concurrency');
    // The guides' resources.concurrent_tasks (1000 in their examples) counts as at most MAX_CONCURRENCY; the
    // flag is the operator's own choice, so a value out of range is an error.
    const concurrency =
      concurrencyText === undefined ? Math.min(config.concurrency ?? 4, MAX_CONCURRENCY) : Number(concurrencyText);
    if (!Number.isSafeInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY)
      throw new MamlError(
        'usage',
        `--concurrency must be a whole number from 1 to ${MAX_CONCURRENCY} (got \`${concurrencyText}\`)`,
      );
    const limits = runLimitsFrom(ctx, config);
    const historyText = stringOption(ctx, 'history');
    if (historyText !== undefined && !isHistoryForm(historyText))
      throw new MamlError('usage', `--history must be ${HISTORY_FORMS.join(' or ')} (got \`${historyText}\`)`);
    const historyForm = historyText ?? config.history ?? DEFAULT_HISTORY_FORM;
    const fileInputs = await inputsFile(stringOption(ctx, 'inputs'));
    const json = flag(ctx, 'json');

    const doc = await readDocument(path);
    // The checks that need no database or heads come first, so a bad document fails fast.
    const errors = validateDocument(doc, { profile: 'lenient', blockCheckers: BLOCK_CHECKERS }).diagnostics.filter(
      (d) => d.severity === 'error',
    );
    if (errors.length > 0) {
      for (const d of errors) ctx.out.error(formatDiagnostic(ctx.out, file, d));
      return 2;
    }
    // --input text is read as ## Input_Schema types each input; --inputs values are JSON already.
    const inputs = { ...fileInputs, ...parseInputPairs(inputList(ctx), doc.inputSchema?.value) };
    const executors = doc.blocks.filter((b) => b.executable).map((b) => executorFor(b.lang));
    const unsafe = unsafeNoSandbox(ctx);
    if (!unsafe && executors.some((e) => e?.sandboxed)) {
      const status = bwrapStatus();
      if ('error' in status) throw new MamlError('missing_tool', status.error);
    }
    const needsHeads = executors.some((e) => e?.placement === 'head');
    const { db, store } = await openRunDatabase(ctx);
    const pool = new HeadPool({ heads: needsHeads ? heads : [] });
    let view: RunView | undefined;
    let onInterrupt: (() => void) | undefined;
    try {
      // Every executed block gets a ticket signed by its head's key and appended to the run database's audit log.
      const log = await TransparencyLog.open(new DatabaseLogStore(db), AUDIT_LOG_ORIGIN);
      const keyringDir = resolveKeyringDir(stringOption(ctx, 'keyring'), process.env, ctx.cwd);
      const passphrase = await readPassphrase(stringOption(ctx, 'passphrase-file'), process.env, ctx.cwd);
      const tickets = ticketIssuer(
        db,
        headSigners(keyringDir, passphrase, keyCreatedNotice(ctx.out, 'ticket signing key')),
        log,
      );
      await pool.start();
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
      const onEvent = (event: RunEvent): void => {
        if (event.type === 'risk_accepted') {
          for (const d of event.diagnostics) ctx.out.error(formatDiagnostic(ctx.out, file, d));
          ctx.out.error(
            ctx.out.paint(
              'yellow',
              `warning: threat scan score ${event.score}/${MAX_SCORE} (threshold ${event.threshold}); running anyway because of --allow-risk`,
            ),
          );
        }
        view?.onEvent(event);
      };
      let report: RunReport;
      try {
        report = await runWorkflow({
          doc,
          documentPath: path,
          inputs,
          identity: stringOption(ctx, 'identity') ?? config.identity ?? DEFAULT_IDENTITY,
          pool,
          store,
          concurrency,
          limits,
          cache: flag(ctx, 'cache'),
          unsafeNoSandbox: unsafe,
          allowRisk: flag(ctx, 'allow-risk'),
          signal: interrupt.signal,
          tickets,
          historyForm,
          onEvent,
        });
      } catch (error) {
        const details = serializeError(error).details;
        const diagnostics = details?.['diagnostics'] as Diagnostic[] | undefined;
        if (diagnostics) {
          for (const d of diagnostics) ctx.out.error(formatDiagnostic(ctx.out, file, d));
        }
        throw error;
      }
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
      await pool.close();
      await db.close();
    }
  },
};
