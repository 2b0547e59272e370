/** Public exports of the scan area (pure): prompt-injection and dangerous-code scanning of MAML documents. */
export {
  BASELINE_WEIGHT,
  DEFAULT_CLASSIFIER_THRESHOLD,
  DEFAULT_THRESHOLD,
  MAX_SCORE,
  guardScorer,
  scanDocument,
} from './scan-document.js';
export type { ScanOptions, ScanResult } from './scan-document.js';
export type { BaselineSignal, ClassifierSignal, RulesSignal, Signal } from './signal.js';
export { BASELINE_METHOD, buildBaseline, nearestKnown } from './baseline.js';
export type { BaselineProfile } from './baseline.js';
export type { Finding, ScanContext, ScanPermissions, ScanRule } from './rule.js';
export { SCAN_RULES } from './rules/index.js';
export { segmentDocument } from './segments.js';
export type { Segment } from './segments.js';
export { scanPermissionsOf } from './permissions.js';
