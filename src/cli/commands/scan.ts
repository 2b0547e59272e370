/** `maml scan`: scans a document (or, with --jsonl, many texts) for prompt injection and dangerous code. */
import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command, CommandContext } from '../command.js';
import { formatDiagnostic } from '../report.js';
import {
  DEFAULT_CLASSIFIER_THRESHOLD,
  DEFAULT_THRESHOLD,
  MAX_SCORE,
  scanDocument,
  scanPermissionsOf,
  type ScanOptions,
  type ScanResult,
} from '../../scan/index.js';
import { loadScanBaseline } from '../../runtime/scan-baseline.js';
import { MamlError } from '../../shared/index.js';
import { readDocumentView } from '../document-view.js';
import { readText } from '../read-text.js';

const HELP = `Usage: maml scan FILE [--json] [--threshold N] [--classifier-threshold P | --no-classifier]
                 [--baseline DIR [--baseline-threshold S]]
       maml scan --jsonl FILE [same options]

Scans a MAML document for prompt injection and dangerous code and gives it a score from 0 to ${MAX_SCORE}, the
sum of three signals:
  rules       instruction-override and role-play jailbreak phrasing, hidden Unicode (zero-width, bidirectional
              controls, tag characters), encoded payloads and dangerous code (network use not declared in
              permissions.network, credential access, shell escapes, running downloaded code), each finding
              with its own weight
  classifier  a trained text classifier (hashed n-grams, logistic regression) reading the prose, front matter,
              comments and string literals in windows; its best window at or above the classifier threshold
              adds 30 to 60, and is reported at its line
  baseline    with --baseline DIR: the document's similarity to the nearest known-good document in DIR; an
              outlier (below the baseline threshold) adds 30 and names the nearest document
The scan is heuristic: a low score is not proof that a document is safe.

Options:
  --threshold N             exit with status 1 when the score is N or more (default ${DEFAULT_THRESHOLD})
  --classifier-threshold P  the classifier's probability threshold, 0 to 1 (default ${DEFAULT_CLASSIFIER_THRESHOLD})
  --no-classifier           rules (and baseline) only
  --baseline DIR            folder of known-good *.maml.md documents to compare with
  --baseline-threshold S    cosine similarity below which a document is an outlier (default: the lowest
                            similarity of a known document to the others)
  --json                    print { file, score, threshold, flagged, signals, diagnostics } as JSON
  --jsonl FILE              score many texts in one process: each line of FILE (- for standard input) is
                            {"text": "…"}; each output line is {"score","verdict","signals"} in the same order
                            (verdict "flagged" or "clear"), or {"line","error"} for a line that is not such an
                            object (exit status 1 then)
  -h, --help                show this help`;

function numberOption(ctx: CommandContext, name: string, min: number, max: number): number | undefined {
  const raw = ctx.values[name];
  if (typeof raw !== 'string') return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < min || n > max)
    throw new MamlError('usage', `--${name} must be a number from ${min} to ${max} (got ${JSON.stringify(raw)})`);
  return n;
}

async function scanOptions(ctx: CommandContext): Promise<Omit<ScanOptions, 'permissions'>> {
  const classifierThreshold = numberOption(ctx, 'classifier-threshold', 0, 1);
  if (classifierThreshold !== undefined && ctx.values['no-classifier'] === true)
    throw new MamlError('usage', 'give either --classifier-threshold or --no-classifier, not both');
  const baselineThreshold = numberOption(ctx, 'baseline-threshold', 0, 1);
  const dir = ctx.values['baseline'];
  if (baselineThreshold !== undefined && typeof dir !== 'string')
    throw new MamlError('usage', '--baseline-threshold needs --baseline DIR');
  const baseline =
    typeof dir === 'string' ? await loadScanBaseline(resolve(ctx.cwd, dir), baselineThreshold) : undefined;
  return {
    classifier:
      ctx.values['no-classifier'] === true
        ? false
        : classifierThreshold === undefined
          ? {}
          : { threshold: classifierThreshold },
    ...(baseline ? { baseline } : {}),
  };
}

function scanText(text: string, options: Omit<ScanOptions, 'permissions'>): ScanResult {
  return scanDocument(text, { ...options, permissions: scanPermissionsOf(readDocumentView(text).fields) });
}

async function scanJsonl(
  ctx: CommandContext,
  file: string,
  options: Omit<ScanOptions, 'permissions'>,
  threshold: number,
): Promise<number> {
  const input = file === '-' ? process.stdin : createReadStream(resolve(ctx.cwd, file), { encoding: 'utf8' });
  const opened = new Promise<void>((ok, fail) => {
    if (file === '-') ok();
    else {
      input.once('open', () => ok());
      input.once('error', (e: NodeJS.ErrnoException) =>
        fail(
          e.code === 'ENOENT'
            ? new MamlError('not_found', `${file}: no such file.`)
            : new MamlError('io', `${file}: cannot read (${e.code ?? String(e)}).`),
        ),
      );
    }
  });
  await opened;
  let bad = 0;
  let n = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    n++;
    if (line.trim() === '') continue;
    let text: unknown;
    try {
      text = (JSON.parse(line) as { text?: unknown } | null)?.text;
    } catch (e) {
      text = e instanceof Error ? e : undefined;
    }
    if (typeof text !== 'string') {
      bad++;
      const why = text instanceof Error ? `not JSON (${text.message})` : 'no string "text" field';
      ctx.out.print(JSON.stringify({ line: n, error: `${file}:${n}: ${why}; each line must be {"text": "…"}` }));
      continue;
    }
    const r = scanText(text, options);
    ctx.out.print(
      JSON.stringify({ score: r.score, verdict: r.score >= threshold ? 'flagged' : 'clear', signals: r.signals }),
    );
  }
  return bad > 0 ? 1 : 0;
}

export const scanCommand: Command = {
  name: 'scan',
  summary: 'scan a document for prompt injection and dangerous code',
  help: HELP,
  options: {
    json: { type: 'boolean' },
    jsonl: { type: 'string' },
    threshold: { type: 'string' },
    'classifier-threshold': { type: 'string' },
    'no-classifier': { type: 'boolean' },
    baseline: { type: 'string' },
    'baseline-threshold': { type: 'string' },
  },
  async run(ctx) {
    const threshold = numberOption(ctx, 'threshold', 0, MAX_SCORE) ?? DEFAULT_THRESHOLD;
    const jsonl = ctx.values['jsonl'];
    if (typeof jsonl === 'string') {
      if (ctx.positionals.length > 0) throw new MamlError('usage', 'give either FILE or --jsonl FILE, not both');
      return scanJsonl(ctx, jsonl, await scanOptions(ctx), threshold);
    }
    const [file, ...extra] = ctx.positionals;
    if (file === undefined || extra.length > 0) throw new MamlError('usage', 'give exactly one FILE to scan');
    const options = await scanOptions(ctx);
    const text = await readText(ctx.cwd, file);
    const result = scanText(text, options);
    const flagged = result.score >= threshold;
    if (ctx.values['json'] === true) {
      ctx.out.print(
        JSON.stringify(
          { file, score: result.score, threshold, flagged, signals: result.signals, diagnostics: result.diagnostics },
          null,
          2,
        ),
      );
    } else {
      for (const d of result.diagnostics) ctx.out.print(formatDiagnostic(ctx.out, file, d));
      for (const s of result.signals) {
        const detail =
          s.signal === 'rules'
            ? `${s.evidence.length} finding${s.evidence.length === 1 ? '' : 's'}`
            : s.signal === 'classifier'
              ? `p=${s.probability.toFixed(3)} (threshold ${s.threshold})${s.evidence ? ` best at line ${s.evidence.line}` : ''}`
              : `similarity ${s.similarity.toFixed(3)} to ${s.nearest ?? 'nothing'} (threshold ${s.threshold.toFixed(3)})`;
        ctx.out.print(`  ${s.signal}: +${s.weight} ${detail}`);
      }
      const verdict = flagged ? ctx.out.paint('red', 'likely attack') : ctx.out.paint('green', 'below threshold');
      ctx.out.print(`${file}: score ${result.score}/${MAX_SCORE} (threshold ${threshold}): ${verdict}`);
    }
    return flagged ? 1 : 0;
  },
};
