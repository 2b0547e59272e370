/**
 * The threat scan gate in front of every run (`maml run`, `POST /v1/runs`, MCP `maml_run`): a document whose
 * threat score reaches the threshold is refused before anything runs, with every finding as a diagnostic in the
 * error's details. Only a caller that passes `allowRisk` (`maml run --allow-risk`, a person at their own
 * terminal who has read the findings) runs it anyway; the gateway and MCP never do, because there the submitter
 * may be the very agent the document is trying to steer.
 */
import type { MamlDocument } from '../../format/index.js';
import { DEFAULT_THRESHOLD, MAX_SCORE, scanDocument, scanPermissionsOf } from '../../scan/index.js';
import { MamlError } from '../../shared/index.js';
import type { Diagnostic } from '../../shared/index.js';

export interface RiskAccepted {
  readonly score: number;
  readonly threshold: number;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Scans the document; throws `permission_denied` (findings in `details.diagnostics`) at or above the threshold
 * unless `allowRisk`, in which case the verdict is returned for the caller to report. Undefined below the
 * threshold.
 */
export function riskGate(doc: MamlDocument, allowRisk: boolean): RiskAccepted | undefined {
  const result = scanDocument(doc.text, { permissions: scanPermissionsOf(doc.frontMatter?.value) });
  if (result.score < DEFAULT_THRESHOLD) return undefined;
  const verdict = { score: result.score, threshold: DEFAULT_THRESHOLD, diagnostics: result.diagnostics };
  if (allowRisk) return verdict;
  throw new MamlError(
    'permission_denied',
    `threat scan score ${result.score}/${MAX_SCORE} (threshold ${DEFAULT_THRESHOLD}): the document looks like an attack, so nothing was run. Review the findings (maml scan); only \`maml run --allow-risk\` runs it anyway, the gateway and MCP never do.`,
    { details: { diagnostics: result.diagnostics, score: result.score, threshold: DEFAULT_THRESHOLD } },
  );
}
