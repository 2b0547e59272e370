/**
 * Reads `## Input_Schema` / `## Output_Schema`: a JSON Schema in a ```json fence or as raw unfenced JSON. JSON
 * syntax errors are reported at their line and column in the file.
 */
import { diagnostic, type Diagnostic } from '../shared/diagnostic.js';
import type { SchemaSection, Section } from './document.js';
import { fenceBetween, type RawFence } from './fences.js';
import type { LineIndex } from './line-index.js';

function jsonErrorOffset(message: string, json: string): number {
  const pos = /position (\d+)/.exec(message);
  if (pos) return Number(pos[1]);
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) {
    let offset = 0;
    for (let line = 1; line < Number(lc[1]); line++) offset = json.indexOf('\n', offset) + 1;
    return offset + Number(lc[2]) - 1;
  }
  return 0;
}

export function readSchemaSection(
  section: Section,
  fences: readonly RawFence[],
  index: LineIndex,
): { schema: SchemaSection | undefined; diagnostics: Diagnostic[] } {
  const sectionEnd = section.span.end.offset;
  const fence = fenceBetween(fences, section.heading.start.offset, sectionEnd);
  let json: string;
  let start: number;
  let fenced: boolean;
  if (fence) {
    json = fence.content;
    start = fence.contentLines[0]?.offset ?? fence.open.next;
    fenced = true;
    const lang = fence.info.split(/[\s{]/)[0]?.toLowerCase() ?? '';
    if (lang !== '' && lang !== 'json' && lang !== 'jsonc') {
      return {
        schema: undefined,
        diagnostics: [
          diagnostic({
            code: 'schema_not_json',
            severity: 'error',
            message: `${section.title} must hold a JSON Schema in a \`\`\`json block (found \`${lang}\`).`,
            place: index.point(fence.open.offset),
            ruleId: 'schema-section',
            source: 'maml',
          }),
        ],
      };
    }
  } else {
    const lead = section.body.search(/\S/);
    if (lead === -1) return { schema: undefined, diagnostics: [] };
    json = section.body.slice(lead);
    start = section.bodyOffset + lead;
    fenced = false;
  }
  try {
    return { schema: { value: JSON.parse(json) as unknown, place: index.point(start), fenced }, diagnostics: [] };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = start + jsonErrorOffset(message, json);
    return {
      schema: undefined,
      diagnostics: [
        diagnostic({
          code: 'invalid_json',
          severity: 'error',
          message: `${section.title} is not valid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}.`,
          place: index.point(at),
          ruleId: 'schema-section',
          source: 'maml',
        }),
      ],
    };
  }
}
