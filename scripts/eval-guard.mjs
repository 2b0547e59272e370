// `npm run eval:guard`: measures the scan on the held-out sources (guard-data.mjs), none of which the classifier
// was trained on, through `maml scan --jsonl` (one process for every text), next to the rules alone and to the
// llm_guardrail package's bundled TF-IDF + logistic regression model (checkInjection, its own 0.5 cut), and prints
// the tables of docs/scan-guard.md. Precision, F1, false-positive rate and ROC AUC of an attack source are taken
// against the pooled held-out benign prompts (JailbreakBench benign and the held-out written prompts).
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, heldOutSources } from './guard-data.mjs';

const sources = heldOutSources();
const rows = sources.flatMap((s) => s.rows.map((r) => ({ ...r, source: s.name, kind: s.kind })));

// Our scan, through the command line.
const dir = mkdtempSync(join(tmpdir(), 'maml-eval-guard-'));
const file = join(dir, 'texts.jsonl');
writeFileSync(file, rows.map((r) => JSON.stringify({ text: r.text })).join('\n') + '\n');
const started = performance.now();
const run = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli', 'bin.js'), 'scan', '--jsonl', file], {
  encoding: 'utf8',
  maxBuffer: 1 << 30,
});
const scanSeconds = (performance.now() - started) / 1000;
rmSync(dir, { recursive: true, force: true });
if (run.status !== 0) {
  console.error(run.stderr);
  process.exit(1);
}
const out = run.stdout
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l));
if (out.length !== rows.length) throw new Error(`maml scan --jsonl gave ${out.length} lines for ${rows.length} texts`);
rows.forEach((r, i) => {
  const o = out[i];
  const sig = (name) => o.signals.find((s) => s.signal === name);
  r.flagged = o.verdict === 'flagged';
  r.p = sig('classifier').probability;
  r.threshold = sig('classifier').threshold;
  r.rules = sig('rules').weight >= 30;
});

// The baseline package, when it is installed (a devDependency).
let guardrail = null;
try {
  guardrail = await import('llm_guardrail');
} catch (e) {
  console.error(`llm_guardrail is not installed (${e.message}); its columns are left out`);
}
if (guardrail) for (const r of rows) r.g = (await guardrail.checkInjection(r.text)).confidence;

function auc(pos, neg) {
  // Mann–Whitney U: the chance that a random attack scores above a random benign text (ties count half).
  const all = [...pos.map((v) => [v, 1]), ...neg.map((v) => [v, 0])].sort((a, b) => a[0] - b[0]);
  let rankSum = 0;
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j < all.length && all[j][0] === all[i][0]) j++;
    const rank = (i + j + 1) / 2;
    for (let k = i; k < j; k++) if (all[k][1] === 1) rankSum += rank;
    i = j;
  }
  return (rankSum - (pos.length * (pos.length + 1)) / 2) / (pos.length * neg.length);
}

const prompts = rows.filter((r) => r.kind === 'benign' && r.source !== 'project MAML documents');
const f = (x) => (Number.isNaN(x) ? '–' : x.toFixed(3));
function metrics(attacks, benign, flagged, score) {
  const tp = attacks.filter(flagged).length;
  const fp = benign.filter(flagged).length;
  const recall = tp / attacks.length;
  const precision = tp + fp === 0 ? NaN : tp / (tp + fp);
  const f1 = tp === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { recall, precision, f1, fpr: fp / benign.length, auc: auc(attacks.map(score), benign.map(score)) };
}

/** Recall when the cut is set so that at most 1 % of the benign prompts pass it. */
function recallAtFpr(attacks, benign, score, fpr = 0.01) {
  const b = benign.map(score).sort((x, y) => y - x);
  const allowed = Math.floor(fpr * b.length);
  const cut = b[allowed] ?? -Infinity; // scores strictly above the (allowed+1)-th highest benign score
  return { recall: attacks.filter((r) => score(r) > cut).length / attacks.length, cut };
}

const lines = [];
const say = (l = '') => lines.push(l);
say(`Held-out benign prompts: ${prompts.length} (${[...new Set(prompts.map((r) => r.source))].join(', ')}).`);
say(`maml scan --jsonl: ${rows.length} texts in ${scanSeconds.toFixed(1)} s (one process, model load included).`);
say();
const header = [
  'held-out source',
  'n',
  'scan P',
  'scan R',
  'scan F1',
  'scan FPR',
  'classifier AUC',
  'rules R',
  'rules FPR',
];
if (guardrail)
  header.push('llm_guardrail P', 'llm_guardrail R', 'llm_guardrail F1', 'llm_guardrail FPR', 'llm_guardrail AUC');
say(`| ${header.join(' | ')} |`);
say(`|${header.map(() => ' --- ').join('|')}|`);
const attackSources = sources.filter((s) => s.kind === 'attack').map((s) => s.name);
const table = (name, attacks) => {
  const m = metrics(
    attacks,
    prompts,
    (r) => r.flagged,
    (r) => r.p,
  );
  const rules = metrics(
    attacks,
    prompts,
    (r) => r.rules,
    (r) => (r.rules ? 1 : 0),
  );
  const cells = [
    name,
    attacks.length,
    f(m.precision),
    f(m.recall),
    f(m.f1),
    f(m.fpr),
    f(m.auc),
    f(rules.recall),
    f(rules.fpr),
  ];
  if (guardrail) {
    const g = metrics(
      attacks,
      prompts,
      (r) => r.g >= 0.5,
      (r) => r.g,
    );
    cells.push(f(g.precision), f(g.recall), f(g.f1), f(g.fpr), f(g.auc));
  }
  say(`| ${cells.join(' | ')} |`);
};
for (const name of attackSources)
  table(
    name,
    rows.filter((r) => r.source === name),
  );
table(
  'all held-out attacks',
  rows.filter((r) => r.kind === 'attack'),
);
say();
say('Recall at a cut that lets through at most 1 % of the held-out benign prompts (cut set on those prompts):');
say();
say(`| held-out source | classifier p | ${guardrail ? 'llm_guardrail |' : ''}`);
say(`| --- | --- |${guardrail ? ' --- |' : ''}`);
for (const name of [...attackSources, null]) {
  const attacks = rows.filter((r) => (name === null ? r.kind === 'attack' : r.source === name));
  const ours = recallAtFpr(attacks, prompts, (r) => r.p);
  const theirs = guardrail ? recallAtFpr(attacks, prompts, (r) => r.g) : null;
  say(
    `| ${name ?? 'all held-out attacks'} | ${f(ours.recall)} (p > ${ours.cut.toFixed(3)}) |${theirs ? ` ${f(theirs.recall)} (> ${theirs.cut.toFixed(3)}) |` : ''}`,
  );
}
say();
say('False positives per held-out benign source (scan verdict at its defaults; llm_guardrail at 0.5):');
say();
say(`| benign source | n | scan FPR | rules FPR |${guardrail ? ' llm_guardrail FPR |' : ''}`);
say(`| --- | --- | --- | --- |${guardrail ? ' --- |' : ''}`);
for (const s of sources.filter((x) => x.kind === 'benign')) {
  const b = rows.filter((r) => r.source === s.name);
  const rate = (pred) => f(b.filter(pred).length / b.length);
  const flaggedNames = s.name === 'project MAML documents' ? b.filter((r) => r.flagged).map((r) => r.name) : [];
  say(
    `| ${s.name} | ${b.length} | ${rate((r) => r.flagged)}${flaggedNames.length ? ` (${flaggedNames.join(', ')})` : ''} | ${rate((r) => r.rules)} |${guardrail ? ` ${rate((r) => r.g >= 0.5)} |` : ''}`,
  );
}
// The smallest classifier threshold whose false-positive rate on the held-out prompts is at most 1 %.
const sorted = prompts.map((r) => r.p).sort((a, b) => b - a);
say();
say(
  `Classifier threshold for ≤ 1 % false positives on the held-out prompts: p > ${(sorted[Math.floor(0.01 * sorted.length)] ?? 0).toFixed(3)} (the scan uses ${rows[0]?.threshold}).`,
);
console.log(lines.join('\n'));
if (process.argv.includes('--show-false-positives'))
  for (const r of prompts.filter((x) => x.flagged))
    console.log(`FP p=${r.p.toFixed(3)} ${r.source}: ${r.text.slice(0, 120)}`);
