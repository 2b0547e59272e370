/**
 * The threat scan gate's settings from `.maml.yaml` (`scan:`), compiled once for `maml run`, `maml serve` and
 * `maml mcp`, so the gate in planRun is the same whatever the entry point:
 *
 * ```yaml
 * scan:
 *   threshold: 30              # score at which a document is refused (0-100)
 *   classifier_threshold: 0.72 # the classifier's probability threshold (0-1), or false for rules only
 *   baseline: known-good/      # folder of known-good documents, relative to the .maml.yaml file
 *   baseline_threshold: 0.35   # similarity below which a document is an outlier (default: from the folder)
 * ```
 */
import { dirname, resolve } from 'node:path';
import { DEFAULT_SCAN_GATE, type ScanGate } from '../runtime/scheduler/index.js';
import { loadScanBaseline } from '../runtime/scan-baseline.js';
import { MamlError } from '../shared/index.js';
import type { ProjectConfig } from './project-config.js';

const KEYS = ['threshold', 'classifier_threshold', 'baseline', 'baseline_threshold'];

export async function scanGateFrom(config: ProjectConfig): Promise<ScanGate> {
  const raw = config.scan;
  if (raw === undefined) return DEFAULT_SCAN_GATE;
  const where = `${config.path ?? '.maml.yaml'}: scan`;
  const unknown = Object.keys(raw).filter((k) => !KEYS.includes(k));
  if (unknown.length > 0)
    throw new MamlError('usage', `${where}: unknown key ${unknown.join(', ')} (known: ${KEYS.join(', ')})`);
  const number = (key: string, max: number): number | undefined => {
    const v = raw[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !(v >= 0 && v <= max))
      throw new MamlError('usage', `${where}.${key} must be a number from 0 to ${max} (got ${JSON.stringify(v)})`);
    return v;
  };
  const threshold = number('threshold', 100) ?? DEFAULT_SCAN_GATE.threshold;
  const classifierThreshold = raw['classifier_threshold'] === false ? false : number('classifier_threshold', 1);
  const baselineThreshold = number('baseline_threshold', 1);
  const dir = raw['baseline'];
  if (dir !== undefined && dir !== null && typeof dir !== 'string')
    throw new MamlError('usage', `${where}.baseline must be a folder name`);
  if (baselineThreshold !== undefined && typeof dir !== 'string')
    throw new MamlError('usage', `${where}.baseline_threshold needs ${where}.baseline`);
  const base = config.path === undefined ? process.cwd() : dirname(config.path);
  const baseline = typeof dir === 'string' ? await loadScanBaseline(resolve(base, dir), baselineThreshold) : undefined;
  return {
    threshold,
    classifier:
      classifierThreshold === false
        ? false
        : classifierThreshold === undefined
          ? {}
          : { threshold: classifierThreshold },
    ...(baseline ? { baseline } : {}),
  };
}
