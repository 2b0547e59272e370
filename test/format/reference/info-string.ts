// Reference implementation (the regex-based reader this project used before the hand-written scanner), kept
// for the differential test in ../fast-paths.test.ts.
/**
 * Reads a fence info string: the language word, then optional Pandoc-style attributes in braces:
 * `python {#train .gpu needs=quantum,prep head=ai timeout="30 s"}`. The `{.python #id}` form, where the language
 * is the first class, is accepted too.
 */

export interface InfoString {
  readonly lang: string;
  readonly id: string | undefined;
  readonly classes: readonly string[];
  readonly attributes: Readonly<Record<string, string>>;
  /** Problems with the attribute syntax, as messages (the caller places them). */
  readonly problems: readonly string[];
}

const TOKEN = /\s*(?:#([^\s}]+)|\.([^\s}=]+)|([A-Za-z_][\w.:-]*)=(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([^\s}]*))|(\S+))/y;

export function parseInfoString(info: string): InfoString {
  const brace = info.indexOf('{');
  const head = (brace === -1 ? info : info.slice(0, brace)).trim();
  let lang = head.split(/\s+/)[0] ?? '';
  let id: string | undefined;
  const classes: string[] = [];
  const attributes: Record<string, string> = {};
  const problems: string[] = [];
  if (brace !== -1) {
    const closeAt = info.lastIndexOf('}');
    if (closeAt < brace) problems.push('attribute list is missing its closing `}`');
    const inner = info.slice(brace + 1, closeAt < brace ? info.length : closeAt);
    const ids: string[] = [];
    const unexpected: string[] = [];
    TOKEN.lastIndex = 0;
    while (TOKEN.lastIndex < inner.length) {
      const start = TOKEN.lastIndex;
      const m = TOKEN.exec(inner);
      if (!m) {
        if (inner.slice(start).trim() !== '')
          problems.push(`cannot read attributes at \`${inner.slice(start).trim()}\``);
        break;
      }
      if (m[1] !== undefined) {
        ids.push(m[1]);
        id = m[1];
      } else if (m[2] !== undefined) classes.push(m[2]);
      else if (m[3] !== undefined) attributes[m[3]] = m[4]?.replace(/\\(.)/g, '$1') ?? m[5] ?? m[6] ?? '';
      else if (m[7] !== undefined) unexpected.push(m[7]);
    }
    // Repeats are one problem each, listing the first five.
    const listed = (items: string[]): string => {
      const shown = items.slice(0, 5).map((t) => `\`${t.length > 40 ? `${t.slice(0, 40)}…` : t}\``);
      return items.length > 5 ? `${shown.join(', ')} and ${items.length - 5} more` : shown.join(', ');
    };
    if (ids.length > 1) problems.push(`block has ${ids.length} ids, ${listed(ids.map((x) => `#${x}`))}; keep one`);
    if (unexpected.length > 0)
      problems.push(`unexpected ${listed(unexpected)} in attributes; use key=value, #id or .class`);
  }
  if (lang === '' && classes.length > 0) lang = classes.shift() ?? '';
  return { lang, id, classes, attributes, problems };
}
