/** A scan rule: one kind of threat, one file under rules/, registered in rules/index.ts. */
import type { Segment } from './segments.js';

export interface ScanPermissions {
  /** `permissions.network` from the front matter: whether the document declares network use. */
  readonly network?: boolean;
}

export interface ScanContext {
  readonly text: string;
  readonly segments: readonly Segment[];
  readonly permissions: ScanPermissions;
  /** Absolute ranges whose encoded content is expected (tickets, encrypted bodies), sorted, not overlapping. */
  readonly expectedEncoded: readonly (readonly [number, number])[];
}

export interface Finding {
  readonly code: string;
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
  /** Absolute offset and length in the document. */
  readonly offset: number;
  readonly length: number;
  /** Contribution to the document's threat score (0–100 scale, summed and capped). */
  readonly weight: number;
}

export interface ScanRule {
  readonly id: string;
  run(ctx: ScanContext): Finding[];
}
