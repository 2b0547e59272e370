/**
 * Finds the front matter (YAML between a first line `---` and the next `---` or `...` line) and reads it as
 * YAML 1.2. YAML errors are mapped to file positions; alias expansion and nesting are bounded.
 */
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  type Document as YamlDocument,
  type Node as YamlNode,
} from 'yaml';
import { diagnostic, type Diagnostic, type Span } from '../shared/diagnostic.js';
import { DiagnosticCap } from './diagnostic-cap.js';
import type { FrontMatter } from './document.js';
import type { ParseLimits } from './limits.js';
import type { LineIndex } from './line-index.js';
import { readSimpleYaml } from './simple-yaml.js';
import type { Line } from './lines.js';
import { YAML_OPTIONS, readYaml } from './yaml-reader.js';

export interface FrontMatterResult {
  readonly frontMatter: FrontMatter | undefined;
  /** Index of the first body line. */
  readonly bodyLine: number;
  readonly diagnostics: Diagnostic[];
}

const SOURCE = 'maml';

/** Keys longer than this get no entry in `places`: rules look up short, known paths, and hashing long ones costs. */
const MAX_PLACE_KEY = 256;

interface Walk {
  /** Deepest nesting seen, counting the top mapping's values as 1 (stops growing past the limit). */
  readonly depth: number;
  /** The first key that is not a scalar (`? [a, b]: v`, `{a: 1}: v`, an alias), if any. */
  readonly complexKey: YamlNode | undefined;
  /** Keys that repeat an earlier key of their mapping, with that earlier key. */
  readonly duplicates: readonly { readonly key: YamlNode; readonly first: YamlNode; readonly text: string }[];
  /** Alias nodes (`*name`) in the tree. */
  readonly aliases: number;
}

/**
 * One walk over the YAML tree, with an explicit stack (no recursion, so no depth overflows it): records the span of
 * each value and key by path, measures the nesting depth and finds keys that are collections. It never descends
 * past `maxDepth + 1` levels nor into a key, and never stringifies a node, so its work is linear in the tree: a
 * collection used as a key would otherwise be printed once per level it is nested in, doubling at each level.
 */
function walkTree(root: unknown, index: LineIndex, base: number, maxDepth: number, out: Map<string, Span>): Walk {
  let depth = 0;
  let complexKey: YamlNode | undefined;
  let aliases = 0;
  const duplicates: { key: YamlNode; first: YamlNode; text: string }[] = [];
  // `path` is undefined below a key too long to be worth a place.
  const stack: { node: unknown; path: string | undefined; depth: number }[] = [{ node: root, path: '', depth: 0 }];
  const spanOf = (n: YamlNode): Span | undefined =>
    Array.isArray(n.range) ? index.span(base + n.range[0], base + n.range[1]) : undefined;
  for (;;) {
    const top = stack.pop();
    if (top === undefined) break;
    const { node, path } = top;
    if (top.depth > depth) depth = top.depth;
    const n = node as YamlNode | null;
    if (path !== undefined && n && typeof n === 'object' && 'range' in n) {
      const span = spanOf(n);
      if (span) out.set(path === '' ? '/' : path, span);
    }
    if (isAlias(node)) aliases++;
    if (top.depth > maxDepth) continue;
    // A pair inside a sequence (`[a: 1]`) is a one-key mapping there.
    const pairs = isMap(node) ? node.items : isSeq(node) ? node.items : [];
    const seen = isMap(node) ? new Map<string, YamlNode>() : undefined;
    pairs.forEach((item, i) => {
      if (!isPair(item)) {
        stack.push({ node: item, path: path === undefined ? undefined : `${path}/${i}`, depth: top.depth + 1 });
        return;
      }
      const keyNode = item.key as YamlNode | null;
      if (keyNode !== null && !isScalar(keyNode)) {
        complexKey ??= keyNode;
        return;
      }
      const key = keyNode === null ? 'null' : String(keyNode.value);
      if (seen && keyNode !== null) {
        const first = seen.get(key);
        if (first) duplicates.push({ key: keyNode, first, text: key });
        else seen.set(key, keyNode);
      }
      const parent = isMap(node) ? path : path === undefined ? undefined : `${path}/${i}`;
      const childPath =
        parent === undefined || key.length > MAX_PLACE_KEY
          ? undefined
          : `${parent}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (childPath !== undefined && keyNode !== null) {
        const keySpan = spanOf(keyNode);
        if (keySpan) {
          out.set(`${childPath}#key`, keySpan);
          // A key without a value (`key:`) is placed at the key.
          const value = item.value as YamlNode | null;
          if (!value || !Array.isArray(value.range)) out.set(childPath, keySpan);
        }
      }
      stack.push({ node: item.value, path: childPath, depth: top.depth + 1 });
    });
  }
  return { depth, complexKey, duplicates, aliases };
}

/**
 * Index of the line that closes the front matter (`---` or `...`), or -1 when the first line does not open one
 * or nothing closes it.
 */
export function frontMatterClose(lines: readonly Line[]): number {
  if (lines[0]?.text.trimEnd() !== '---') return -1;
  for (let i = 1; i < lines.length; i++) {
    const t = (lines[i] as Line).text.trimEnd();
    if (t === '---' || t === '...') return i;
  }
  return -1;
}

export function readFrontMatter(
  text: string,
  lines: readonly Line[],
  index: LineIndex,
  limits: ParseLimits,
): FrontMatterResult {
  const diagnostics: Diagnostic[] = [];
  const first = lines[0];
  if (!first || first.text.trimEnd() !== '---') {
    diagnostics.push(
      diagnostic({
        code: 'missing_front_matter',
        severity: 'error',
        message: 'A MAML document starts with YAML front matter: put a `---` line first, the metadata, then `---`.',
        place: index.point(first?.offset ?? 0),
        ruleId: 'front-matter',
        source: SOURCE,
      }),
    );
    return { frontMatter: undefined, bodyLine: 0, diagnostics };
  }
  const closeIndex = frontMatterClose(lines);
  if (closeIndex === -1) {
    diagnostics.push(
      diagnostic({
        code: 'unterminated_front_matter',
        severity: 'error',
        message: 'The front matter opened here is never closed: add a `---` line after the last metadata line.',
        place: index.span(first.offset, first.offset + first.text.length),
        ruleId: 'front-matter',
        source: SOURCE,
      }),
    );
    return { frontMatter: undefined, bodyLine: lines.length, diagnostics };
  }
  const close = lines[closeIndex] as Line;
  const sourceOffset = first.next;
  const source = text.slice(sourceOffset, close.offset);
  const span = index.span(first.offset, close.offset + close.text.length);
  if (source.length > limits.maxFrontMatterLength) {
    diagnostics.push(
      diagnostic({
        code: 'front_matter_too_large',
        severity: 'error',
        message: `The front matter is longer than ${limits.maxFrontMatterLength} characters; keep metadata there and move data into the body (a section or a \`\`\`json block).`,
        place: span,
        ruleId: 'limits',
        source: SOURCE,
      }),
    );
    return {
      frontMatter: { span, source, sourceOffset, value: undefined, places: new Map([['/', span]]), yaml: undefined },
      bodyLine: closeIndex + 1,
      diagnostics,
    };
  }
  const fast = readSimpleYaml(source, limits.maxDepth);
  if (fast) {
    const places = new Map<string, Span>();
    for (const [path, [start, end]] of fast.ranges)
      places.set(path, index.span(sourceOffset + start, sourceOffset + end));
    if (!places.has('/')) places.set('/', span);
    let yaml: YamlDocument | undefined;
    const frontMatter: FrontMatter = {
      span,
      source,
      sourceOffset,
      value: fast.value,
      places,
      // The full YAML document is built only when an edit needs it.
      get yaml() {
        yaml ??= parseDocument(source, YAML_OPTIONS);
        return yaml;
      },
    };
    return { frontMatter, bodyLine: closeIndex + 1, diagnostics };
  }
  const read = readYaml(source, limits.maxDepth);
  if (!read.ok) {
    diagnostics.push(
      diagnostic({
        code: 'nesting_too_deep',
        severity: 'error',
        message: `Front matter is nested deeper than ${limits.maxDepth} levels; flatten it or close its brackets.`,
        place: index.point(sourceOffset + read.offset),
        ruleId: 'yaml',
        source: 'yaml',
      }),
    );
    const places = new Map<string, Span>([['/', span]]);
    return {
      frontMatter: { span, source, sourceOffset, value: undefined, places, yaml: undefined },
      bodyLine: closeIndex + 1,
      diagnostics,
    };
  }
  const yaml = read.yaml;
  for (const d of yamlDiagnostics(yaml, sourceOffset, index, limits)) diagnostics.push(d);
  // The reader makes an error object (with its stack) per bad token: 18,000 stray `]` were 24 MB kept with the
  // document. Their diagnostics are made; the document keeps a few, enough to say that its YAML has errors.
  if (yaml.errors.length > KEPT_YAML_ERRORS) yaml.errors.length = KEPT_YAML_ERRORS;
  if (yaml.warnings.length > KEPT_YAML_ERRORS) yaml.warnings.length = KEPT_YAML_ERRORS;
  const places = new Map<string, Span>();
  const walk = walkTree(yaml.contents, index, sourceOffset, limits.maxDepth, places);
  let value: Record<string, unknown> | undefined;
  if (yaml.errors.length === 0) {
    const complexKey = walk.complexKey;
    if (complexKey !== undefined) {
      const at = Array.isArray(complexKey.range) ? sourceOffset + complexKey.range[0] : first.next;
      diagnostics.push(
        diagnostic({
          code: 'complex_key',
          severity: 'error',
          message:
            'A front matter key is a YAML mapping, list or alias; keys must be plain text. Write `key: value`, quoting the key if it holds `{`, `[`, `*` or `?`.',
          place: index.point(at),
          ruleId: 'yaml',
          source: 'yaml',
        }),
      );
    } else if (walk.duplicates.length > 0) {
      // Thousands of repeated keys are counted past the ceiling, not each built into a diagnostic that is kept.
      const repeats = new DiagnosticCap();
      for (const { key, first: earlier, text: name } of walk.duplicates) {
        const at = Array.isArray(key.range) ? sourceOffset + key.range[0] : first.next;
        const was = Array.isArray(earlier.range) ? index.point(sourceOffset + earlier.range[0]).line : undefined;
        repeats.add(
          diagnostic({
            code: 'duplicate_key',
            severity: 'error',
            message: `Duplicate key \`${name.length > 60 ? `${name.slice(0, 60)}…` : name}\`${was === undefined ? '' : ` (first on line ${was})`}; keep one of them.`,
            place: index.point(at),
            ruleId: 'yaml',
            source: 'yaml',
          }),
        );
      }
      for (const d of repeats.list()) diagnostics.push(d);
    } else if (walk.aliases > limits.maxAliasCount) {
      diagnostics.push(
        diagnostic({
          code: 'yaml_alias_limit',
          severity: 'error',
          message: `Front matter uses more than ${limits.maxAliasCount} YAML aliases (\`*name\`); write the values out or use fewer aliases.`,
          place: span,
          ruleId: 'yaml',
          source: 'yaml',
        }),
      );
    } else if (walk.depth > limits.maxDepth) {
      diagnostics.push(
        diagnostic({
          code: 'nesting_too_deep',
          severity: 'error',
          message: `Front matter is nested deeper than ${limits.maxDepth} levels; flatten it.`,
          place: span,
          ruleId: 'yaml',
          source: 'yaml',
        }),
      );
    } else {
      try {
        const js: unknown = yaml.toJS({ maxAliasCount: limits.maxAliasCount });
        if (js === null || js === undefined) value = {};
        else if (typeof js === 'object' && !Array.isArray(js)) value = js as Record<string, unknown>;
        else {
          diagnostics.push(
            diagnostic({
              code: 'front_matter_not_mapping',
              severity: 'error',
              message: 'Front matter must be a YAML mapping of `key: value` lines, not a list or a single value.',
              place: index.point(sourceOffset),
              ruleId: 'front-matter',
              source: SOURCE,
            }),
          );
        }
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const aliasBomb = /alias/i.test(message);
        diagnostics.push(
          diagnostic({
            code: aliasBomb ? 'yaml_alias_limit' : 'yaml_syntax',
            severity: 'error',
            message: aliasBomb
              ? `YAML aliases expand too much (more than ${limits.maxAliasCount} expansions); remove the repeated aliases.`
              : `YAML: ${message}`,
            place: span,
            ruleId: 'yaml',
            source: 'yaml',
          }),
        );
      }
    }
  }
  return {
    frontMatter: { span, source, sourceOffset, value, places, yaml },
    bodyLine: closeIndex + 1,
    diagnostics,
  };
}

/** A YAML reader message that means the document outran the reader's stack (very deep or unclosed nesting). */
const STACK_EXHAUSTED = /call stack|too much recursion/i;

/** YAML errors and warnings a parsed document keeps once they are reported. */
const KEPT_YAML_ERRORS = 16;

/**
 * The YAML library's errors and warnings as diagnostics. Repeats of one message (an unclosed flow collection
 * reports every level) become one diagnostic that says how many there were, so hostile input cannot blow up the
 * report; running out of stack is reported as the nesting limit it is.
 */
function yamlDiagnostics(
  yaml: YamlDocument,
  sourceOffset: number,
  index: LineIndex,
  limits: ParseLimits,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Map<string, { at: number; count: number }>();
  const reported = [
    ...yaml.errors.map((error) => ({ error, isError: true })),
    ...yaml.warnings.map((error) => ({ error, isError: false })),
  ];
  for (const { error, isError } of reported) {
    const detail = error.message.split('\n')[0] ?? error.message;
    const deep = STACK_EXHAUSTED.test(detail);
    const code = deep
      ? 'nesting_too_deep'
      : error.code === 'DUPLICATE_KEY'
        ? 'duplicate_key'
        : isError
          ? 'yaml_syntax'
          : 'yaml_warning';
    const message = deep
      ? `Front matter is nested too deeply for the YAML reader (at most ${limits.maxDepth} levels are accepted); flatten it or close its brackets.`
      : `YAML: ${detail}`;
    const key = `${code}\u0000${message}`;
    const earlier = seen.get(key);
    if (earlier) {
      earlier.count++;
      continue;
    }
    seen.set(key, { at: out.length, count: 1 });
    const at = sourceOffset + (error.pos[0] ?? 0);
    out.push(
      diagnostic({
        code,
        severity: isError ? 'error' : 'warning',
        message,
        place: index.span(at, sourceOffset + (error.pos[1] ?? error.pos[0] ?? 0)),
        ruleId: 'yaml',
        source: 'yaml',
      }),
    );
  }
  for (const { at, count } of seen.values()) {
    if (count === 1) continue;
    const first = out[at] as Diagnostic;
    out[at] = { ...first, message: `${first.message} (reported ${count} times; the first is shown)` };
  }
  return out;
}
