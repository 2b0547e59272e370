/**
 * The document cut into front matter, prose and fenced code, with offsets, exactly as the parser reads it: the
 * threat scanner looks at the same blocks the gateway would run (a second fence reader could be made to disagree,
 * showing code as prose to one and running it in the other). Cheap: lines and fences only, no YAML.
 */
import { frontMatterClose } from './front-matter.js';
import { scanBody } from './fences.js';
import { parseInfoString } from './info-string.js';
import { normalizeLang } from './languages.js';
import { splitLines } from './lines.js';

export interface Region {
  readonly kind: 'front-matter' | 'prose' | 'code';
  /** [start, end) offsets in the text (UTF-16 code units). */
  readonly start: number;
  readonly end: number;
  /** Normalized language of a code region (`python`, `sql`, `bash`, …); '' otherwise. */
  readonly lang: string;
}

/**
 * Front matter runs from the start through its closing line; a code region is the text between a fence's lines
 * (to the end of the text when the fence never closes); prose is the rest, without the fence lines themselves.
 */
export function documentRegions(text: string): Region[] {
  const regions: Region[] = [];
  const push = (kind: Region['kind'], start: number, end: number, lang = ''): void => {
    if (end > start) regions.push({ kind, start, end, lang });
  };
  const lines = splitLines(text, text.charCodeAt(0) === 0xfeff ? 1 : 0);
  const close = frontMatterClose(lines);
  let bodyLine = 0;
  let at = 0;
  if (close !== -1) {
    at = lines[close]?.next ?? text.length;
    push('front-matter', 0, at);
    bodyLine = close + 1;
  }
  for (const fence of scanBody(text, lines.slice(bodyLine)).fences) {
    push('prose', at, fence.open.offset);
    const end = fence.close ? fence.close.offset : text.length;
    push('code', fence.open.next, end, normalizeLang(parseInfoString(fence.info).lang));
    at = fence.close ? fence.close.next : text.length;
  }
  push('prose', at, text.length);
  return regions;
}
