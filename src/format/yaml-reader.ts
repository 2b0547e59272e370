/**
 * Reads front matter with the `yaml` library in its two stages, measuring the nesting between them. The library's
 * lexer and token parser keep their own stack (the parser recurses only to unwind, see `readYaml`), but its
 * composer recurses once per level: thousands
 * of levels (`a: [[[[…`, `- - - - …`) exhaust the call stack, and a regular expression that V8 happens to compile
 * at that moment aborts the whole process ("RegExpCompiler Allocation failed"), worker threads included. So the
 * token tree is measured first, without recursion, and a tree deeper than the limit is never composed.
 */
import { CST, Composer, Lexer, Parser, YAMLParseError, parseDocument, type Document as YamlDocument } from 'yaml';

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

/**
 * An upper estimate of the nesting the token parser will build, from the lexer's tokens alone (the lexer keeps no
 * stack): open flow collections, plus the block indicators (`-`, `?`, `:`) of each line on the stack of lines that
 * are still open at a smaller indentation. When the estimate passes `2 × limit`, returns the offset of the first
 * token where it passed `limit` (where the document is first too deep); otherwise -1. The token parser does work proportional to its stack at every line break, so thousands of
 * levels on one line followed by thousands of lines took time quadratic in the front matter.
 */
export function lexicalTooDeep(source: string, limit: number): number {
  const open: { indent: number; count: number }[] = [];
  let depth = 0;
  let flow = 0;
  let offset = 0;
  let indent = 0;
  let lineStarted = false;
  let firstOver = -1;
  for (const lexeme of new Lexer().lex(source)) {
    // Control markers the lexer adds are not source text.
    const control = lexeme === CST.DOCUMENT || lexeme === CST.SCALAR || lexeme === CST.FLOW_END;
    const type = CST.tokenType(lexeme);
    if (type === 'newline') {
      lineStarted = false;
      indent = 0;
    } else if (type === 'space' && !lineStarted) {
      if (!control) indent = lexeme.length;
    } else if (!control && type !== 'comment' && type !== 'space') {
      if (!lineStarted && flow === 0) {
        // A line with content closes the lines opened at its indentation or deeper.
        while (open.length > 0 && (open[open.length - 1] as { indent: number }).indent >= indent)
          depth -= (open.pop() as { count: number }).count;
        open.push({ indent, count: 0 });
      }
      lineStarted = true;
      // This token's own depth: the levels open before it.
      if (depth + flow > limit && firstOver === -1) firstOver = offset;
      if (depth + flow > 2 * limit) return firstOver;
      if (type === 'flow-map-start' || type === 'flow-seq-start') flow++;
      else if ((type === 'flow-map-end' || type === 'flow-seq-end') && flow > 0) flow--;
      else if (flow === 0 && (type === 'seq-item-ind' || type === 'explicit-key-ind' || type === 'map-value-ind')) {
        (open[open.length - 1] as { count: number }).count++;
        depth++;
      }
    }
    if (lexeme === CST.FLOW_END && flow > 0) flow--;
    if (!control) offset += lexeme.length;
  }
  return -1;
}

/** `parseDocument` of the library, split so that the nesting can be checked before composing. */
export function readYaml(source: string, maxDepth: number): YamlRead {
  // Refused at twice the limit: the estimate is near the depth the document will have, not exactly it; the exact
  // check on the tokens below applies the limit itself.
  const early = lexicalTooDeep(source, maxDepth);
  if (early !== -1) return { ok: false, offset: Math.min(early, source.length) };
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
