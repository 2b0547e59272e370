/** Turns raw fences into code blocks: language, attributes, id (`#id` or `block-N`), needs, and whether it runs. */
import { diagnostic } from '../shared/diagnostic.js';
import type { DiagnosticCap } from './diagnostic-cap.js';
import type { CodeBlock, Section } from './document.js';
import type { RawFence } from './fences.js';
import { parseInfoString, unbracedAttributes } from './info-string.js';
import { attributesOf, isExecutableLang, normalizeLang } from './languages.js';
import type { LineIndex } from './line-index.js';
import { NON_TASK_SECTIONS } from './section-names.js';
import { splitWords } from './whitespace.js';

/** Text quoted in a message, cut to a readable length. */
function clip(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

function isFalse(value: string | undefined): boolean {
  return value !== undefined && /^(false|no|0|off)$/i.test(value);
}

function isTrue(value: string | undefined): boolean {
  return value !== undefined && /^(true|yes|1|on|)$/i.test(value);
}

export function readBlocks(
  fences: readonly RawFence[],
  sections: readonly Section[],
  index: LineIndex,
  report: DiagnosticCap,
): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  let n = 0;
  // Fences and sections are both in document order: the section holding a fence only moves forward.
  let next = 0;
  let section: Section | undefined;
  for (const fence of fences) {
    while (next < sections.length && (sections[next] as Section).heading.start.offset <= fence.open.offset)
      section = sections[next++];
    const openSpan = index.span(fence.open.offset, fence.open.offset + fence.open.text.length);
    if (!fence.close) {
      report.add(
        diagnostic({
          code: 'unclosed_fence',
          severity: 'error',
          message: `This code fence is never closed: add a line containing only ${fence.marker} after the block's last line.`,
          place: openSpan,
          ruleId: 'fences',
          source: 'maml',
        }),
      );
    }
    if (section && NON_TASK_SECTIONS.has(section.name)) continue;
    const info = parseInfoString(fence.info);
    const lang = normalizeLang(info.lang);
    for (const problem of info.problems) {
      report.add(
        diagnostic({
          code: 'invalid_block_attributes',
          severity: 'error',
          message: `Block attributes: ${problem}.`,
          place: openSpan,
          ruleId: 'fences',
          source: 'maml',
        }),
      );
    }
    const loose = unbracedAttributes(fence.info);
    if (loose.length > 0) {
      // Read as attributes they would change how the block runs (`needs=`, `run=false`), so an unread one that
      // the gateway uses is an error; others are a warning.
      const known = attributesOf(lang);
      const used = loose.some((w) => w.startsWith('#') || w.startsWith('id=') || known.includes(w.split('=')[0] ?? ''));
      const brace = fence.info.indexOf('{');
      const inBraces =
        brace === -1
          ? ''
          : fence.info
              .slice(brace + 1, fence.info.lastIndexOf('}') > brace ? fence.info.lastIndexOf('}') : undefined)
              .trim();
      const written = loose.map((w) => (w.startsWith('id=') ? `#${w.slice(3)}` : w));
      const suggestion = `\`\`\`${info.lang} {${[...(inBraces === '' ? [] : [inBraces]), ...written].join(' ')}}`;
      report.add(
        diagnostic({
          code: 'attributes_without_braces',
          severity: used ? 'error' : 'warning',
          message: `\`${clip(loose.join(' '))}\` is outside the braces, so it is not read as block attributes; write ${clip(suggestion)}`,
          place: openSpan,
          ruleId: 'fences',
          source: 'maml',
        }),
      );
    }
    n++;
    const attributes = info.attributes;
    // Ids separated by commas and/or whitespace.
    const needs = attributes['needs'] === undefined ? [] : splitWords(attributes['needs']);
    const point = openSpan.start;
    blocks.push({
      id: info.id ?? `block-${n}`,
      explicitId: info.id !== undefined,
      lang,
      langRaw: info.lang,
      code: fence.content,
      attributes,
      classes: info.classes,
      needs,
      head: attributes['head'],
      timeout: attributes['timeout'],
      continueOnError: isTrue(attributes['continue_on_error']),
      executable: isExecutableLang(lang) && !isFalse(attributes['run']),
      section: section?.name,
      span: openSpan,
      line: point.line,
      column: point.column,
      offset: point.offset,
      codeStart: index.point(fence.open.next),
    });
  }
  return blocks;
}
