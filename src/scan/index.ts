/** Public exports of the scan area (pure): prompt-injection and dangerous-code scanning of MAML documents. */
export { DEFAULT_THRESHOLD, MAX_SCORE, scanDocument } from './scan-document.js';
export type { ScanOptions, ScanResult } from './scan-document.js';
export type { Finding, ScanContext, ScanPermissions, ScanRule } from './rule.js';
export { SCAN_RULES } from './rules/index.js';
export { segmentDocument } from './segments.js';
export type { Segment } from './segments.js';
export { scanPermissionsOf } from './permissions.js';
