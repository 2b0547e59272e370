/** `maml scan`: scans a document for prompt injection, hidden Unicode, encoded payloads and dangerous code. */
import type { Command } from '../command.js';
import { formatDiagnostic } from '../report.js';
import { DEFAULT_THRESHOLD, MAX_SCORE, scanDocument, scanPermissionsOf } from '../../scan/index.js';
import { MamlError } from '../../shared/index.js';
import { readDocumentView } from '../document-view.js';
import { readText } from '../read-text.js';

const HELP = `Usage: maml scan FILE [--json] [--threshold N]

Scans a MAML document for instruction-override and role-play jailbreak phrasing, hidden Unicode (zero-width,
bidirectional controls, tag characters), encoded payloads and dangerous code (network use not declared in
permissions.network, credential access, shell escapes, running downloaded code). Each finding is reported at its
line and column with a weight; the weights add up to a score from 0 to ${MAX_SCORE}. The scan is heuristic: a low
score is not proof that a document is safe.

Options:
  --threshold N  exit with status 1 when the score is N or more (default ${DEFAULT_THRESHOLD})
  --json         print { file, score, threshold, flagged, diagnostics } as JSON
  -h, --help     show this help`;

export const scanCommand: Command = {
  name: 'scan',
  summary: 'scan a document for prompt injection and dangerous code',
  help: HELP,
  options: { json: { type: 'boolean' }, threshold: { type: 'string' } },
  async run(ctx) {
    const [file, ...extra] = ctx.positionals;
    if (file === undefined || extra.length > 0) throw new MamlError('usage', 'give exactly one FILE to scan');
    const raw = ctx.values['threshold'];
    const threshold = typeof raw === 'string' ? Number(raw) : DEFAULT_THRESHOLD;
    if (!Number.isFinite(threshold) || threshold < 0 || threshold > MAX_SCORE)
      throw new MamlError('usage', `--threshold must be a number from 0 to ${MAX_SCORE}`);
    const text = await readText(ctx.cwd, file);
    const result = scanDocument(text, { permissions: scanPermissionsOf(readDocumentView(text).fields) });
    const flagged = result.score >= threshold;
    if (ctx.values['json'] === true) {
      ctx.out.print(
        JSON.stringify({ file, score: result.score, threshold, flagged, diagnostics: result.diagnostics }, null, 2),
      );
    } else {
      for (const d of result.diagnostics) ctx.out.print(formatDiagnostic(ctx.out, file, d));
      const verdict = flagged ? ctx.out.paint('red', 'likely attack') : ctx.out.paint('green', 'below threshold');
      ctx.out.print(`${file}: score ${result.score}/${MAX_SCORE} (threshold ${threshold}): ${verdict}`);
    }
    return flagged ? 1 : 0;
  },
};
