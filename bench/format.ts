/**
 * Format benchmarks: parse and parse+validate throughput on one 1 MiB document and on 10,000 small documents.
 * Target (issue 2): parsing above 20 MB/s.
 */
import { readFileSync } from 'node:fs';
import { parse, validate } from '../src/format/index.js';
import { timeMedian, type BenchRow, type BenchSuite } from './harness.js';

const SMALL = readFileSync(new URL('../../examples/quickstart.maml.md', import.meta.url), 'utf8');

/** A realistic large document: many blocks with ids, needs and prose, about `bytes` long. */
export function largeDocument(bytes: number): string {
  const head = SMALL.slice(0, SMALL.indexOf('## Intent'));
  const parts = [head, '## Intent\n\nA large generated workflow.\n\n## Code_Blocks\n\n'];
  let size = parts.join('').length;
  for (let i = 0; size < bytes; i++) {
    const needs = i > 0 ? ` needs=b${i - 1}` : '';
    const block = `Step ${i} prepares data for the next one and records a value.\n\n\`\`\`python {#b${i}${needs} timeout=30s}\nvalue = maml.inputs.get("v", 0) + ${i}\nfor k in range(3):\n    value += k * ${i}\nmaml.output("v", value)\n\`\`\`\n\n`;
    parts.push(block);
    size += block.length;
  }
  parts.push('## History\n\n- 2026-01-01T00:00:00Z: [CREATE] generated\n');
  return parts.join('');
}

const MB = 1e6;

export const formatSuite: BenchSuite = {
  name: 'format',
  async run({ quick, log }) {
    const rows: BenchRow[] = [];
    const big = largeDocument(quick ? 128 * 1024 : 1024 * 1024);
    const bigBytes = Buffer.byteLength(big);
    log(`large document: ${bigBytes} bytes, ${parse(big).blocks.length} blocks`);
    const parseMs = await timeMedian(() => parse(big), quick ? 3 : 7);
    const fullMs = await timeMedian(() => validate(parse(big)), quick ? 3 : 7);
    const parseRate = bigBytes / MB / (parseMs / 1000);
    rows.push({
      suite: 'format',
      case: `parse ${(bigBytes / 1024).toFixed(0)} KiB document`,
      value: parseRate,
      unit: 'MB/s',
      target: '> 20 MB/s',
      met: parseRate > 20,
    });
    rows.push({
      suite: 'format',
      case: `parse+validate ${(bigBytes / 1024).toFixed(0)} KiB document`,
      value: bigBytes / MB / (fullMs / 1000),
      unit: 'MB/s',
    });

    const count = quick ? 1000 : 10_000;
    const smallBytes = Buffer.byteLength(SMALL) * count;
    const smallParseMs = await timeMedian(() => {
      for (let i = 0; i < count; i++) parse(SMALL);
    }, 3);
    const smallFullMs = await timeMedian(() => {
      for (let i = 0; i < count; i++) validate(parse(SMALL));
    }, 3);
    const smallRate = smallBytes / MB / (smallParseMs / 1000);
    rows.push({
      suite: 'format',
      case: `parse ${count} small documents`,
      value: smallRate,
      unit: 'MB/s',
      target: '> 20 MB/s',
      met: smallRate > 20,
    });
    rows.push({
      suite: 'format',
      case: `parse+validate ${count} small documents`,
      value: count / (smallFullMs / 1000),
      unit: 'docs/s',
    });
    return rows;
  },
};
