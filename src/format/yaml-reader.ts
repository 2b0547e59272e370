/**
 * Reads front matter with the `yaml` library in its two stages, measuring the nesting between them. The library's
 * lexer and token parser keep their own stack (the parser recurses only to unwind, see `readYaml`), but its
 * composer recurses once per level: thousands
 * of levels (`a: [[[[…`, `- - - - …`) exhaust the call stack, and a regular expression that V8 happens to compile
 * at that moment aborts the whole process ("RegExpCompiler Allocation failed"), worker threads included. So the
 * token tree is measured first, without recursion, and a tree deeper than the limit is never composed.
 */
import { Composer, Parser, YAMLParseError, parseDocument, type CST, type Document as YamlDocument } from 'yaml';

/**
 * `uniqueKeys` is off because the library checks each key against every earlier key of its mapping, which is
 * quadratic in the number of keys; front-matter.ts finds duplicates with a set instead.
 */
export const YAML_OPTIONS = {
  version: '1.2',
  uniqueKeys: false,
  prettyErrors: false,
  keepSourceTokens: false,
} as const;

export type YamlRead =
  | { readonly ok: true; readonly yaml: YamlDocument }
  /** `offset` (in the YAML source) is where the nesting first goes past the limit. */
  | { readonly ok: false; readonly offset: number };

/**
 * The nesting depth of a token tree as the composed document will have it: a collection's keys and values are one
 * level below it. Returns the offset of the first token deeper than `limit`, or -1.
 */
export function firstTooDeep(tokens: readonly CST.Token[], limit: number): number {
  const stack: { token: CST.Token; depth: number }[] = tokens.map((token) => ({ token, depth: 0 }));
  for (;;) {
    const top = stack.pop();
    if (top === undefined) return -1;
    const { token, depth } = top;
    if (depth > limit) return token.offset;
    if (token.type === 'document') {
      if (token.value) stack.push({ token: token.value, depth });
    } else if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
      for (const item of token.items) {
        if (item.key) stack.push({ token: item.key, depth: depth + 1 });
        if (item.value) stack.push({ token: item.value, depth: depth + 1 });
      }
    } else if (token.type === 'block-scalar') {
      for (const prop of token.props) stack.push({ token: prop, depth });
    }
  }
}

/** `parseDocument` of the library, split so that the nesting can be checked before composing. */
export function readYaml(source: string, maxDepth: number): YamlRead {
  const parser = new Parser();
  let tokens: CST.Token[];
  try {
    tokens = Array.from(parser.parse(source));
  } catch (error) {
    // The token parser keeps its own stack but unwinds many closed levels at once by recursion (`key: key: …` or
    // `- - …` thousands of times on one line). It runs no regular expression on that path, so running out of
    // stack there is a plain RangeError, and the document is as deep as the limit refuses.
    if (error instanceof RangeError) return { ok: false, offset: Math.min(parser.offset, source.length) };
    throw error;
  }
  const deep = firstTooDeep(tokens, maxDepth);
  if (deep !== -1) return { ok: false, offset: deep };
  let doc: YamlDocument | undefined;
  // What `parseDocument` does with the tokens: the first document, and an error if there is another (a `--- x`
  // line inside the front matter starts one).
  for (const next of new Composer(YAML_OPTIONS).compose(tokens, true, source.length)) {
    if (!doc) doc = next;
    else {
      doc.errors.push(
        new YAMLParseError(
          [next.range[0], next.range[1]],
          'MULTIPLE_DOCS',
          'Source contains multiple documents; please use YAML.parseAllDocuments()',
        ),
      );
      break;
    }
  }
  // The composer always ends with a document; the empty one stands in for the type checker.
  return { ok: true, yaml: doc ?? parseDocument('', YAML_OPTIONS) };
}
