/**
 * The threat scan gate in front of every run (`maml run`, `POST /v1/runs`, MCP `maml_run`, all through planRun):
 * a document whose threat score reaches the threshold is refused before anything runs, with every finding as a
 * diagnostic. Only a caller with an explicit allow-risk choice runs it anyway: `maml run --allow-risk` (a person
 * at their own terminal who has read the findings) or a gateway principal granted the `maml:allow-risk` scope;
 * by default the gateway and MCP never do, because there the submitter may be the very agent the document is
 * trying to steer.
 */
import type { MamlDocument } from '../../format/index.js';
import { DEFAULT_THRESHOLD, MAX_SCORE, scanDocument, scanPermissionsOf } from '../../scan/index.js';
import type { BaselineProfile } from '../../scan/index.js';
import { MamlError } from '../../shared/index.js';
import type { Diagnostic } from '../../shared/index.js';

export interface RiskAccepted {
  readonly score: number;
  readonly threshold: number;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * The operator's scan settings (`scan:` in .maml.yaml): the score threshold, the classifier's probability
 * threshold (false: rules only) and a baseline of known-good documents. The same for every entry point.
 */
export interface ScanGate {
  readonly threshold: number;
  readonly classifier: false | { readonly threshold?: number };
  readonly baseline?: BaselineProfile;
}

export const DEFAULT_SCAN_GATE: ScanGate = { threshold: DEFAULT_THRESHOLD, classifier: {} };

/** The scan's verdict when the document scores at or above the threshold; undefined below it. */
export function scanRisk(doc: MamlDocument, gate: ScanGate = DEFAULT_SCAN_GATE): RiskAccepted | undefined {
  const result = scanDocument(doc.text, {
    permissions: scanPermissionsOf(doc.frontMatter?.value),
    classifier: gate.classifier,
    ...(gate.baseline ? { baseline: gate.baseline } : {}),
  });
  if (result.score < gate.threshold) return undefined;
  return { score: result.score, threshold: gate.threshold, diagnostics: result.diagnostics };
}

/** What a refused document is told: the score, and who may run it anyway. */
export function riskMessage(risk: RiskAccepted): string {
  return `threat scan score ${risk.score}/${MAX_SCORE} (threshold ${risk.threshold}): the document looks like an attack, so nothing was run. Review the findings (maml scan); only \`maml run --allow-risk\` or a gateway token with the maml:allow-risk scope runs it anyway.`;
}

/**
 * Scans the document; throws `invalid_document` (findings in `details.diagnostics`) at or above the threshold
 * unless `allowRisk`, in which case the verdict is returned for the caller to report.
 */
export function riskGate(doc: MamlDocument, allowRisk: boolean, gate?: ScanGate): RiskAccepted | undefined {
  const risk = scanRisk(doc, gate);
  if (risk === undefined || allowRisk) return risk;
  throw new MamlError('invalid_document', riskMessage(risk), {
    details: { diagnostics: risk.diagnostics, score: risk.score, threshold: risk.threshold },
  });
}
