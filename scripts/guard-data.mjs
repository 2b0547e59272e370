// The labelled texts the injection classifier is trained and evaluated on, and the split between them: whole
// sources are held out, never single rows (docs/scan-guard.md says which and why). Used by train-guard.mjs and
// eval-guard.mjs.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * `injection/` of the shared data sets: under MAML_SHARED_DATA (the variable the tests read too), else in
 * `shared/data` beside the repository or beside one of its parent folders.
 */
export function injectionDataDir() {
  if (process.env.MAML_SHARED_DATA) return join(process.env.MAML_SHARED_DATA, 'injection');
  for (let dir = ROOT; ; dir = dirname(dir)) {
    const candidate = join(dir, '..', 'shared', 'data', 'injection');
    if (existsSync(join(candidate, 'README.md')) || existsSync(join(candidate, 'gandalf_attacks.yaml')))
      return candidate;
    if (dirname(dir) === dir) break;
  }
  throw new Error(
    'the injection data (shared/data/injection) was not found beside the repository; set MAML_SHARED_DATA',
  );
}

/** FNV-1a of a string, for deterministic choices that do not depend on file order. */
export function fnv(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function yamlSource(dir, file, label) {
  const rows = parse(readFileSync(join(dir, file), 'utf8'));
  return rows
    .filter((r) => typeof r?.content === 'string' && r.content.trim() !== '')
    .map((r) => ({ text: r.content, label: r.label === 'benign' ? 0 : 1 }))
    .filter((r) => r.label === label);
}

function writtenLines(file) {
  return readFileSync(join(ROOT, 'data', 'guard', file), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** Written everyday prompts: 70 % (by hash) train, 30 % held out. */
function writtenBenign(part) {
  return writtenLines('written-benign.txt')
    .filter((t) => fnv(t) % 10 < 7 === (part === 'train'))
    .map((text) => ({ text, label: 0 }));
}

export const FORTUNES_DIR = '/usr/share/games/fortunes';

/**
 * Debian's `fortunes` and `fortunes-min` packages: one fortune in twenty (by hash) of those with 20 to 800
 * characters. All of them (14,620) outweighed the everyday prompts so much that the model learnt "prose is benign,
 * a request is an attack"; one in twenty gave the best held-out recall at 1 % false positives of the sizes tried.
 */
function fortunes() {
  if (!existsSync(FORTUNES_DIR)) throw new Error(`${FORTUNES_DIR} is missing: apt-get install fortunes fortunes-min`);
  const out = [];
  for (const name of readdirSync(FORTUNES_DIR).sort()) {
    if (name.includes('.')) continue;
    const path = join(FORTUNES_DIR, name);
    if (!statSync(path).isFile()) continue;
    for (const entry of readFileSync(path, 'latin1').split(/^%$/m)) {
      const text = entry.trim();
      if (text.length >= 20 && text.length <= 800 && fnv(text) % 20 === 0) out.push({ text, label: 0 });
    }
  }
  return out;
}

/**
 * Paragraphs of the project's own documentation (docs/ and README.md outside code fences, as of commit 707100b),
 * less those that the rule-based scan scores (the security pages quote attacks on purpose). They are kept in
 * data/guard/project-prose.jsonl, one JSON string a line, so that editing the docs does not change the training
 * data and the committed model stays reproducible.
 */
function projectProse() {
  return readFileSync(join(ROOT, 'data', 'guard', 'project-prose.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => ({ text: JSON.parse(l), label: 0 }));
}

/** MAML documents of the project (examples and test fixtures), read whole: benign, or attack fixtures. */
function projectDocuments(dirs, label) {
  const out = [];
  for (const dir of dirs) {
    const walk = (d) => {
      for (const name of readdirSync(d).sort()) {
        const path = join(d, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith('.maml.md'))
          out.push({ text: readFileSync(path, 'utf8'), label, name: relative(ROOT, path) });
      }
    };
    walk(join(ROOT, dir));
  }
  return out;
}

function tensorTrustHijacking(dir) {
  return readFileSync(join(dir, 'tensor_trust_hijacking.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l).attack)
    .filter((t) => typeof t === 'string' && t.trim() !== '')
    .map((text) => ({ text, label: 1 }));
}

/** The training sources, each `{ name, rows: [{ text, label }] }`. */
export function trainingSources() {
  const dir = injectionDataDir();
  return [
    { name: 'deepset_attacks.yaml', rows: yamlSource(dir, 'deepset_attacks.yaml', 1) },
    { name: 'deepset_benign.yaml', rows: yamlSource(dir, 'deepset_benign.yaml', 0) },
    { name: 'gandalf_attacks.yaml', rows: yamlSource(dir, 'gandalf_attacks.yaml', 1) },
    {
      name: 'data/guard/written-attacks.txt',
      rows: writtenLines('written-attacks.txt').map((text) => ({ text, label: 1 })),
    },
    { name: 'data/guard/written-benign.txt (70 %)', rows: writtenBenign('train') },
    { name: 'Debian fortunes, fortunes-min', rows: fortunes() },
    { name: 'project docs/ and README.md prose (data/guard/project-prose.jsonl)', rows: projectProse() },
  ];
}

/** The held-out sources: none of their rows, nor rows of the same upstream, is in training. */
export function heldOutSources() {
  const dir = injectionDataDir();
  return [
    { name: 'tensor_trust_hijacking', kind: 'attack', rows: tensorTrustHijacking(dir) },
    { name: 'mosscap', kind: 'attack', rows: yamlSource(dir, 'mosscap_attacks.yaml', 1) },
    { name: 'giskard', kind: 'attack', rows: yamlSource(dir, 'giskard_attacks.yaml', 1) },
    { name: 'jbb_attacks', kind: 'attack', rows: yamlSource(dir, 'jbb_attacks.yaml', 1) },
    { name: 'jbb_benign', kind: 'benign', rows: yamlSource(dir, 'jbb_benign.yaml', 0) },
    { name: 'written everyday prompts (30 %)', kind: 'benign', rows: writtenBenign('heldout') },
    {
      name: 'project MAML documents',
      kind: 'benign',
      rows: projectDocuments(
        ['examples', 'test/fixtures/valid', 'test/fixtures/dialects', 'test/fixtures/scan/benign'],
        0,
      ),
    },
    { name: 'scan attack fixtures', kind: 'attack', rows: projectDocuments(['test/fixtures/scan/attack'], 1) },
  ];
}
