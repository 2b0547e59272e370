/**
 * `format(doc)`: the canonical layout `maml fmt` writes. Front matter keys in specification order with
 * `maml_version` first and quoted (the `schema: maml-1.0` dialect and numeric versions are converted); LF line
 * endings; no trailing spaces outside code blocks; one blank line around `##` headings and none repeated; one
 * final newline. Code blocks are never changed. Applying it twice gives the same text.
 */
import { isMap, isPair, isScalar, Scalar } from 'yaml';
import type { MamlDocument } from './document.js';
import { scanBody } from './fences.js';
import { splitLines } from './lines.js';
import { isSpace } from './whitespace.js';

export const KEY_ORDER = [
  'maml_version',
  'id',
  'type',
  'origin',
  'created_at',
  'requires',
  'permissions',
  'verification',
  'encryption',
  'quantum_security_flag',
  'tags',
] as const;

const isBlank = (c: number): boolean => c === 32 || c === 9;

/**
 * `text` without its trailing characters that `test` accepts. By hand: `replace(/[ \t]+$/, '')` retries from every
 * character of a run of blanks inside a line, which is quadratic in the run's length.
 */
function trimEndWith(text: string, test: (c: number) => boolean): string {
  let end = text.length;
  while (end > 0 && test(text.charCodeAt(end - 1))) end--;
  return text.slice(0, end);
}

function keyRank(key: string): number {
  const i = (KEY_ORDER as readonly string[]).indexOf(key);
  return i === -1 ? KEY_ORDER.length : i;
}

function pairKey(item: unknown): string {
  if (!isPair(item)) return '';
  return isScalar(item.key) ? String(item.key.value) : String(item.key);
}

function formatFrontMatter(doc: MamlDocument): string | undefined {
  const fm = doc.frontMatter;
  if (!fm?.yaml || fm.value === undefined || fm.yaml.errors.length > 0) return undefined;
  const yaml = fm.yaml.clone();
  const map = yaml.contents;
  if (!isMap(map)) return undefined;
  const version = fm.value['maml_version'];
  const legacy =
    typeof fm.value['schema'] === 'string' ? /^maml[-_ ]?v?(\d+(?:\.\d+)*)$/i.exec(fm.value['schema']) : null;
  let versionText: string | undefined;
  if (typeof version === 'number') versionText = Number.isInteger(version) ? `${version}.0` : String(version);
  else if (typeof version === 'string') versionText = version;
  else if (legacy?.[1]) versionText = legacy[1].includes('.') ? legacy[1] : `${legacy[1]}.0`;
  if (versionText !== undefined) {
    if (legacy && version === undefined) yaml.delete('schema');
    const scalar = new Scalar(versionText);
    scalar.type = 'QUOTE_DOUBLE';
    yaml.set('maml_version', scalar);
  }
  const items = map.items.map((item, i) => ({ item, i }));
  items.sort((a, b) => {
    return keyRank(pairKey(a.item)) - keyRank(pairKey(b.item)) || a.i - b.i;
  });
  map.items = items.map((x) => x.item);
  return `${trimEndWith(yaml.toString({ lineWidth: 0, flowCollectionPadding: false }), isSpace)}\n`;
}

export function format(doc: MamlDocument): string {
  const text = doc.text.replace(/^\uFEFF/, '');
  const frontMatter = formatFrontMatter(doc);
  const fmEnd = doc.frontMatter ? doc.frontMatter.span.end.offset - (doc.hasBom ? 1 : 0) : 0;
  const head = frontMatter !== undefined ? `---\n${frontMatter}---\n` : text.slice(0, fmEnd).replace(/\r\n/g, '\n');
  let bodyText = text.slice(fmEnd).replace(/\r\n/g, '\n');
  if (doc.frontMatter) bodyText = bodyText.replace(/^[^\n]*\n?/, (m) => (m.trim() === '' ? '' : m));
  const lines = splitLines(bodyText);
  const scan = scanBody(bodyText, lines);
  const inFence = new Set<number>();
  for (const f of scan.fences) {
    for (const l of f.contentLines) inFence.add(l.number);
    if (f.close) inFence.add(f.close.number);
  }
  const headingLines = new Set(scan.headings.filter((h) => h.level <= 2).map((h) => h.line.number));
  const out: string[] = [];
  const pushBlank = (): void => {
    if (out.length > 0 && out[out.length - 1] !== '') out.push('');
  };
  for (const line of lines) {
    if (inFence.has(line.number)) {
      out.push(line.text);
      continue;
    }
    const t = trimEndWith(line.text, isBlank);
    if (t === '') {
      pushBlank();
    } else if (headingLines.has(line.number)) {
      pushBlank();
      out.push(t);
      out.push('');
    } else out.push(t);
  }
  while (out.length > 0 && out[0] === '') out.shift();
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  const body = out.join('\n');
  if (head === '') return `${body}\n`;
  return body === '' ? head : `${head}\n${body}\n`;
}
