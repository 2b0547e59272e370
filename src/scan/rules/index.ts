/** The registered scan rules. Adding a rule adds a file and one entry here. */
import type { ScanRule } from '../rule.js';
import { dangerousCode } from './dangerous-code.js';
import { dangerousSql } from './dangerous-sql.js';
import { encodedPayload } from './encoded-payload.js';
import { hiddenUnicode } from './hidden-unicode.js';
import { instructionOverride } from './instruction-override.js';

export const SCAN_RULES: readonly ScanRule[] = [
  hiddenUnicode,
  instructionOverride,
  encodedPayload,
  dangerousCode,
  dangerousSql,
];
