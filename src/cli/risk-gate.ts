/**
 * The scan gate in front of `maml run`: a document whose threat score reaches the threshold is refused before
 * anything runs, with every finding listed, unless the user passes --allow-risk.
 */
import type { MamlDocument } from '../format/index.js';
import { DEFAULT_THRESHOLD, MAX_SCORE, scanDocument, scanPermissionsOf } from '../scan/index.js';
import { MamlError } from '../shared/index.js';
import type { Output } from './output.js';
import { formatDiagnostic } from './report.js';

export function riskGate(doc: MamlDocument, path: string, out: Output, allowRisk: boolean): void {
  const result = scanDocument(doc.text, { permissions: scanPermissionsOf(doc.frontMatter?.value) });
  if (result.score < DEFAULT_THRESHOLD) return;
  for (const d of result.diagnostics) out.error(formatDiagnostic(out, path, d));
  const summary = `threat scan score ${result.score}/${MAX_SCORE} (threshold ${DEFAULT_THRESHOLD})`;
  if (allowRisk) {
    out.error(out.paint('yellow', `warning: ${summary}; running anyway because of --allow-risk`));
    return;
  }
  throw new MamlError(
    'permission_denied',
    `${summary}: the document looks like an attack, so nothing was run. Review the findings above; run with --allow-risk only if you trust it.`,
  );
}
