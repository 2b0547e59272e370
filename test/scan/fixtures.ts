/** Loads the labelled scanner fixtures (test/fixtures/scan/{attack,benign}) with their declared permissions. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/scan/', import.meta.url));

export interface LabelledDoc {
  readonly name: string;
  readonly attack: boolean;
  readonly text: string;
  readonly network: boolean;
}

function network(text: string): boolean {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(text);
  const fm = m ? (parse(m[1] ?? '') as { permissions?: { network?: unknown } } | null) : null;
  return fm?.permissions?.network === true;
}

export function labelledDocs(): LabelledDoc[] {
  const out: LabelledDoc[] = [];
  for (const label of ['attack', 'benign'] as const) {
    const dir = join(FIXTURES, label);
    for (const name of readdirSync(dir)
      .filter((n) => n.endsWith('.maml.md'))
      .sort()) {
      const text = readFileSync(join(dir, name), 'utf8');
      out.push({ name: `${label}/${name}`, attack: label === 'attack', text, network: network(text) });
    }
  }
  return out;
}

export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  precision: number;
  recall: number;
  missed: string[];
  falseAlarms: string[];
}

export function confusion(docs: readonly LabelledDoc[], flagged: (d: LabelledDoc) => boolean): Confusion {
  const c: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0, precision: 0, recall: 0, missed: [], falseAlarms: [] };
  for (const d of docs) {
    const f = flagged(d);
    if (d.attack && f) c.tp++;
    else if (d.attack) {
      c.fn++;
      c.missed.push(d.name);
    } else if (f) {
      c.fp++;
      c.falseAlarms.push(d.name);
    } else c.tn++;
  }
  c.precision = c.tp / Math.max(1, c.tp + c.fp);
  c.recall = c.tp / Math.max(1, c.tp + c.fn);
  return c;
}
