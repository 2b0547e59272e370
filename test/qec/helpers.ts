// Loading the QEC vectors (test/vectors/qec) for the tests.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { buildMatchingGraph, parseDem } from '../../src/qec/index.js';
import type { DetectorErrorModel, MatchingGraph, QecResult } from '../../src/qec/index.js';

export const QEC_VECTORS = fileURLToPath(new URL('../../../test/vectors/qec/', import.meta.url));

export function vector(name: string): Buffer {
  return readFileSync(QEC_VECTORS + name);
}

export function unwrap<T>(r: QecResult<T>): T {
  if (!r.ok) assert.fail(r.diagnostics.map((d) => `${d.line}: ${d.code} ${d.message}`).join('\n'));
  return r.value;
}

export function loadDem(name: string): { dem: DetectorErrorModel; graph: MatchingGraph } {
  const dem = unwrap(parseDem(vector(name).toString('utf8')));
  return { dem, graph: unwrap(buildMatchingGraph(dem)) };
}
