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
        if (id !== undefined) problems.push(`block has two ids, \`#${id}\` and \`#${m[1]}\``);
        id = m[1];
      } else if (m[2] !== undefined) classes.push(m[2]);
      else if (m[3] !== undefined) attributes[m[3]] = m[4]?.replace(/\\(.)/g, '$1') ?? m[5] ?? m[6] ?? '';
      else if (m[7] !== undefined) problems.push(`unexpected \`${m[7]}\` in attributes; use key=value, #id or .class`);
    }
  }
  if (lang === '' && classes.length > 0) lang = classes.shift() ?? '';
  return { lang, id, classes, attributes, problems };
}
