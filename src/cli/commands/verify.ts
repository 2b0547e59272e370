/**
 * `maml verify`: checks every [TICKET] line of a document's History — signature, signing key known and trusted,
 * block source, language, attributes and upstream blocks unchanged — and every [EXECUTE] line's signed run
 * record; given an audit log, also inclusion, order and completeness against the log, and the compact-form lines
 * whose signed objects live only in the log.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command, CommandContext } from '../command.js';
import { formatDiagnostic } from '../report.js';
import {
  TransparencyLog,
  auditVerify,
  logEvidence,
  parseCheckpoint,
  openNote,
  parseVerifierKey,
  verifyHistory,
  type LogEvidence,
  type LogStore,
  type NoteVerifier,
} from '../../crypto/index.js';
import { FileLogStore } from '../../keyring/index.js';
import { MamlError, compareDiagnostics, diagnostic, START, type Diagnostic } from '../../shared/index.js';
import { readDocumentView, type DocumentView } from '../document-view.js';
import { readText } from '../read-text.js';
import { openRunDatabase, runDataDir, usesDatabaseUrl } from '../run-database.js';
import { DatabaseLogStore } from '../../runtime/index.js';
import { keyringFrom } from './keys.js';

const HELP = `Usage: maml verify FILE [--keyring DIR] [--log FILE | --run-log] [--checkpoint FILE --log-key VKEY…] [--json]

Verifies the signed execution tickets ([TICKET] lines) and run records ([EXECUTE] lines) in the document's
History. Each problem is reported at its History line; the exit status is 0 only when every ticket and run record
verifies ([EXECUTE] lines written before run records were signed are reported as warnings). Compact History lines
(\`log=<index> leaf=<hash>\`, what \`maml run\` writes by default) hold only a reference to the audit log:
they verify against --log FILE or the run database (--run-log, which is also used by itself when the History
has compact lines, no --log is given and a run database exists).

Options:
  --keyring DIR      keyring with the trusted public keys (default: $MAML_KEYRING or ~/.config/maml/keyring)
  --log FILE         audit log (JSON lines) to check inclusion, order and completeness against; the whole log is
                     audited first (every entry rehashed)
  --run-log          check against the audit log in the run database (where \`maml run\` logs every ticket:
                     DATABASE_URL, else the embedded database in --state-dir / $MAML_STATE_DIR)
  --state-dir DIR    where the embedded run database lives
  --checkpoint FILE  signed checkpoint (C2SP tlog-checkpoint) the log must match
  --log-key VKEY     verifier key (signed-note vkey) trusted to sign checkpoints (repeatable)
  --json             print the result as JSON
  -h, --help         show this help`;

function logIssue(message: string): Diagnostic {
  return diagnostic({
    code: 'audit_log_invalid',
    severity: 'error',
    message,
    place: START,
    ruleId: 'audit-log',
    source: 'maml',
  });
}

async function evidenceFrom(
  store: LogStore,
  checkpointText: string | undefined,
  verifiers: readonly NoteVerifier[],
): Promise<{ evidence: LogEvidence | undefined; diagnostics: Diagnostic[] }> {
  const audit = await auditVerify(store, checkpointText === undefined ? {} : { checkpoint: checkpointText, verifiers });
  const diagnostics = audit.issues.map((i) => logIssue(`audit log: ${i.message}`));
  if (!audit.ok) return { evidence: undefined, diagnostics };
  const opened = checkpointText === undefined ? undefined : openNote(checkpointText, verifiers);
  const cp = opened?.ok ? parseCheckpoint(opened.text) : undefined;
  const log = await TransparencyLog.open(store, cp?.origin ?? 'local');
  return { evidence: await logEvidence(log, cp?.size ?? log.size), diagnostics };
}

function hasCompactLines(doc: DocumentView): boolean {
  return doc.tickets.some((t) => t.logRef !== undefined) || doc.executes.some((e) => e.logRef !== undefined);
}

/**
 * Compact lines say nothing without the log they point into, so with no log named the run database that
 * `maml run` wrote them to is used when there is one. An embedded database that does not exist is not created,
 * and one that cannot be opened (held by `maml serve`, say) is a note: the lines are then reported unverified.
 */
async function runLogForCompactLines(
  ctx: CommandContext,
): Promise<Awaited<ReturnType<typeof openRunDatabase>> | undefined> {
  const quiet = ctx.values['json'] === true;
  if (!usesDatabaseUrl(ctx) && !existsSync(runDataDir(ctx))) {
    if (!quiet)
      ctx.out.error(`note: compact History lines need the audit log; there is no run database at ${runDataDir(ctx)}`);
    return undefined;
  }
  try {
    const opened = await openRunDatabase(ctx);
    if (!quiet) ctx.out.error('note: compact History lines are checked against the run database (as with --run-log)');
    return opened;
  } catch (error) {
    if (!quiet)
      ctx.out.error(
        `note: compact History lines need the audit log, and the run database could not be opened: ${(error as Error).message}`,
      );
    return undefined;
  }
}

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'verify the signed execution tickets in a document History',
  help: HELP,
  options: {
    keyring: { type: 'string' },
    log: { type: 'string' },
    checkpoint: { type: 'string' },
    'log-key': { type: 'string', multiple: true },
    'run-log': { type: 'boolean' },
    'state-dir': { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(ctx) {
    const [file, ...extra] = ctx.positionals;
    if (file === undefined || extra.length > 0) throw new MamlError('usage', 'give exactly one FILE to verify');
    const checkpointFile = typeof ctx.values['checkpoint'] === 'string' ? ctx.values['checkpoint'] : undefined;
    const logFile = typeof ctx.values['log'] === 'string' ? ctx.values['log'] : undefined;
    const vkeys = (ctx.values['log-key'] as string[] | undefined) ?? [];
    if (
      checkpointFile !== undefined &&
      ((logFile === undefined && ctx.values['run-log'] !== true) || vkeys.length === 0)
    )
      throw new MamlError('usage', '--checkpoint needs --log or --run-log and at least one --log-key');
    const verifiers = vkeys.map((v) => {
      const parsed = parseVerifierKey(v);
      if (!parsed) throw new MamlError('usage', `--log-key ${v} is not a valid verifier key (name+id+base64)`);
      return parsed;
    });

    const doc = readDocumentView(await readText(ctx.cwd, file));
    const keys = await keyringFrom(ctx).keyLookup();
    const diagnostics: Diagnostic[] = [];
    let evidence: LogEvidence | undefined;
    const runLog = ctx.values['run-log'] === true;
    if (runLog && logFile !== undefined) throw new MamlError('usage', 'give --log FILE or --run-log, not both');
    const opened = runLog
      ? await openRunDatabase(ctx)
      : logFile === undefined && hasCompactLines(doc)
        ? await runLogForCompactLines(ctx)
        : undefined;
    if (logFile !== undefined || opened) {
      const checkpointText = checkpointFile === undefined ? undefined : await readText(ctx.cwd, checkpointFile);
      try {
        const store = opened
          ? new DatabaseLogStore(opened.db)
          : await FileLogStore.open(resolve(ctx.cwd, logFile ?? ''));
        const got = await evidenceFrom(store, checkpointText, verifiers);
        evidence = got.evidence;
        diagnostics.push(...got.diagnostics);
      } finally {
        await opened?.db.close();
      }
    }
    const docId = typeof doc.fields['id'] === 'string' ? doc.fields['id'] : undefined;
    const result = verifyHistory({
      tickets: doc.tickets,
      executes: doc.executes,
      regenerates: doc.regenerates,
      blocks: doc.blocks,
      facts: doc.facts,
      keys,
      ...(docId === undefined ? {} : { docId }),
      ...(evidence === undefined ? {} : { log: evidence }),
      ...(doc.historyPlace === undefined ? {} : { historyPlace: doc.historyPlace }),
    });
    diagnostics.push(...result.diagnostics);
    diagnostics.sort(compareDiagnostics);
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    const ok = errors === 0;
    const runs = doc.executes.length;
    if (ctx.values['json'] === true) {
      ctx.out.print(
        JSON.stringify(
          {
            file,
            ok,
            tickets: doc.tickets.length,
            verified: result.verified,
            runs,
            runsVerified: result.runsVerified,
            runsUnsigned: result.runsUnsigned,
            diagnostics,
          },
          null,
          2,
        ),
      );
    } else {
      for (const d of diagnostics) ctx.out.print(formatDiagnostic(ctx.out, file, d));
      const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
      let summary = `${result.verified} of ${plural(doc.tickets.length, 'ticket')} verified`;
      if (runs > 0) summary += `, ${result.runsVerified} of ${plural(runs, 'run record')} verified`;
      if (result.runsUnsigned > 0) summary += ` (${result.runsUnsigned} unsigned)`;
      if (doc.tickets.length === 0 && runs === 0) summary += ' (no tickets in History)';
      if (ok) ctx.out.print(ctx.out.paint('green', `${file}: ${summary}`));
      else ctx.out.error(ctx.out.paint('red', `${file}: ${summary}; ${plural(errors, 'problem')}`));
    }
    return ok ? 0 : 1;
  },
};
