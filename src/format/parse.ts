/**
 * `parse(text)`: reads a MAML document into the model in document.ts. It never throws: whatever is wrong becomes a
 * diagnostic, and as much of the document as can be read is still returned.
 */
import { diagnostic, type Diagnostic } from '../shared/diagnostic.js';
import { readBlocks } from './blocks.js';
import { decodeBytes } from './decode.js';
import { DiagnosticCap } from './diagnostic-cap.js';
import { readDependencies } from './dependencies.js';
import type { DependencyEdge, HistoryEntry, MamlDocument, SchemaSection, Section } from './document.js';
import { scanBody, type RawFence } from './fences.js';
import { readFrontMatter } from './front-matter.js';
import { readHistory } from './history.js';
import { DEFAULT_LIMITS, type ParseLimits } from './limits.js';
import { LineIndex } from './line-index.js';
import { splitLines, type Line } from './lines.js';
import { readSchemaSection } from './schema-section.js';
import { normalizeSectionName } from './section-names.js';

export interface ParseOptions {
  readonly limits?: Partial<ParseLimits>;
}

/** UTF-8 length of a string without allocating an encoded copy (a surrogate pair is 2 + 2 bytes). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    bytes += c < 0x80 ? 1 : c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 2 : 3;
  }
  return bytes;
}

function tooLarge(maxBytes: number): Diagnostic {
  return diagnostic({
    code: 'document_too_large',
    severity: 'error',
    message: `The document is larger than the ${maxBytes}-byte limit; split it or raise the limit (--max-bytes).`,
    place: { line: 1, column: 1, offset: 0 },
    ruleId: 'limits',
    source: 'maml',
  });
}

function emptyDocument(text: string, diagnostics: Diagnostic[]): MamlDocument {
  return {
    text,
    hasBom: text.charCodeAt(0) === 0xfeff,
    lineEnding: '\n',
    frontMatter: undefined,
    bodyOffset: 0,
    sections: [],
    blocks: [],
    dependencies: [],
    history: [],
    inputSchema: undefined,
    outputSchema: undefined,
    diagnostics,
  };
}

/** For each body line (by index), whether it belongs to a fence (its fence lines included). One pass: fences are in order. */
function fenceMask(body: readonly Line[], fences: readonly RawFence[]): Uint8Array {
  const mask = new Uint8Array(body.length);
  const first = body[0]?.number ?? 1;
  for (const f of fences) {
    const last = f.close ? f.close.number : first + body.length - 1;
    for (let n = f.open.number; n <= last; n++) mask[n - first] = 1;
  }
  return mask;
}

export function parse(input: string, options: ParseOptions = {}): MamlDocument {
  const limits: ParseLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const text = typeof input === 'string' ? input : String(input);
  const diagnostics: Diagnostic[] = [];
  // A UTF-16 code unit is at most 3 UTF-8 bytes, so the exact count is needed only near the limit.
  if (text.length > limits.maxBytes || (text.length * 3 > limits.maxBytes && utf8Length(text) > limits.maxBytes)) {
    diagnostics.push(tooLarge(limits.maxBytes));
    return emptyDocument(text, diagnostics);
  }
  const hasBom = text.charCodeAt(0) === 0xfeff;
  const lines = splitLines(text, hasBom ? 1 : 0);
  const index = new LineIndex(text);
  const lineEnding = lines[0] && text.charCodeAt(lines[0].next - 2) === 13 ? '\r\n' : '\n';
  const nul = text.indexOf('\u0000');
  if (nul !== -1) {
    diagnostics.push(
      diagnostic({
        code: 'nul_byte',
        severity: 'error',
        message:
          'The document contains a NUL byte; MAML documents are UTF-8 text. Remove it or re-save the file as text.',
        place: index.point(nul),
        ruleId: 'encoding',
        source: 'maml',
      }),
    );
  }

  const fm = readFrontMatter(text, lines, index, limits);
  // Loops, not `push(...list)`: a spread of a few hundred thousand arguments overflows the stack.
  for (const d of fm.diagnostics) diagnostics.push(d);
  const body = lines.slice(fm.bodyLine);
  const bodyOffset = body[0]?.offset ?? text.length;
  const scan = scanBody(text, body);

  const sectionHeads = scan.headings.filter((h) => h.level <= 2);
  const sections: Section[] = [];
  sectionHeads.forEach((h, i) => {
    if (h.level !== 2) return;
    const endOffset = sectionHeads[i + 1]?.line.offset ?? text.length;
    sections.push({
      title: h.title,
      name: normalizeSectionName(h.title),
      heading: index.span(h.line.offset, h.line.offset + h.line.text.length),
      span: index.span(h.line.offset, endOffset),
      body: text.slice(h.line.next, Math.max(h.line.next, endOffset)),
      bodyOffset: h.line.next,
    });
  });

  const report = new DiagnosticCap();
  report.addAll(diagnostics);
  const blocks = readBlocks(scan.fences, sections, index, report);

  // The lines of a section outside fences, by line number: sections and fences are both in document order, so
  // each line is looked at once per section that holds it.
  const inFence = fenceMask(body, scan.fences);
  const firstBody = body[0]?.number ?? 1;
  const sectionLines = (s: Section): Line[] => {
    const out: Line[] = [];
    const from = s.heading.start.line + 1 - firstBody;
    const end = s.span.end.offset;
    const to = end >= text.length ? body.length : Math.min(body.length, index.point(end).line - firstBody);
    for (let i = Math.max(0, from); i < to; i++) if (inFence[i] === 0) out.push(body[i] as Line);
    return out;
  };
  const dependencies: DependencyEdge[] = [];
  const history: HistoryEntry[] = [];
  let inputSchema: SchemaSection | undefined;
  let outputSchema: SchemaSection | undefined;
  for (const section of sections) {
    if (section.name === 'dependencies') {
      readDependencies(sectionLines(section), index, report, dependencies);
    } else if (section.name === 'history') {
      for (const e of readHistory(sectionLines(section), index, report)) history.push(e);
    } else if (section.name === 'input_schema' || section.name === 'output_schema') {
      const r = readSchemaSection(section, scan.fences, index);
      report.addAll(r.diagnostics);
      if (section.name === 'input_schema') inputSchema ??= r.schema;
      else outputSchema ??= r.schema;
    }
  }

  return {
    text,
    hasBom,
    lineEnding,
    frontMatter: fm.frontMatter,
    bodyOffset,
    sections,
    blocks,
    dependencies,
    history,
    inputSchema,
    outputSchema,
    diagnostics: report.list(),
  };
}

/** Reads raw bytes: decodes UTF-8 (reporting invalid sequences) and parses. */
export function parseBytes(bytes: Uint8Array, options: ParseOptions = {}): MamlDocument {
  const maxBytes = options.limits?.maxBytes ?? DEFAULT_LIMITS.maxBytes;
  if (bytes.length > maxBytes) return oversizeDocument(maxBytes);
  const decoded = decodeBytes(bytes);
  const doc = parse(decoded.text, options);
  return decoded.diagnostics.length === 0 ? doc : { ...doc, diagnostics: [...decoded.diagnostics, ...doc.diagnostics] };
}

/** The document returned for input over the size limit: empty, with one `document_too_large` error. */
export function oversizeDocument(maxBytes: number): MamlDocument {
  return emptyDocument('', [tooLarge(maxBytes)]);
}
