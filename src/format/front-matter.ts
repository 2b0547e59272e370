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
import type { FrontMatter } from './document.js';
import type { ParseLimits } from './limits.js';
import type { LineIndex } from './line-index.js';
import { readSimpleYaml } from './simple-yaml.js';
import type { Line } from './lines.js';

export interface FrontMatterResult {
  readonly frontMatter: FrontMatter | undefined;
  /** Index of the first body line. */
  readonly bodyLine: number;
  readonly diagnostics: Diagnostic[];
}

const SOURCE = 'maml';
const YAML_OPTIONS = { version: '1.2', uniqueKeys: true, prettyErrors: false, keepSourceTokens: false } as const;

function collectPlaces(node: unknown, path: string, index: LineIndex, base: number, out: Map<string, Span>): void {
  const n = node as YamlNode | null;
  if (n && 'range' in n && Array.isArray(n.range)) {
    out.set(path === '' ? '/' : path, index.span(base + n.range[0], base + n.range[1]));
  }
  if (isMap(node)) {
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const key = isScalar(item.key) ? String(item.key.value) : String(item.key);
      const childPath = `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      const keyNode = item.key as YamlNode | null;
      if (keyNode && Array.isArray(keyNode.range)) {
        out.set(`${childPath}#key`, index.span(base + keyNode.range[0], base + keyNode.range[1]));
      }
      collectPlaces(item.value, childPath, index, base, out);
      if (!out.has(childPath) && out.has(`${childPath}#key`)) out.set(childPath, out.get(`${childPath}#key`) as Span);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => collectPlaces(item, `${path}/${i}`, index, base, out));
  }
}

function depthOf(node: unknown, limit: number, depth = 0): number {
  if (depth > limit) return depth;
  if (isMap(node)) {
    let max = depth;
    for (const item of node.items) if (isPair(item)) max = Math.max(max, depthOf(item.value, limit, depth + 1));
    return max;
  }
  if (isSeq(node)) return Math.max(depth, ...node.items.map((item) => depthOf(item, limit, depth + 1)));
  if (isAlias(node)) return depth;
  return depth;
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
  let closeIndex = -1;
  for (let i = 1; i < lines.length; i++) {
    const t = (lines[i] as Line).text.trimEnd();
    if (t === '---' || t === '...') {
      closeIndex = i;
      break;
    }
  }
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
  const fast = readSimpleYaml(source);
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
  const yaml = parseDocument(source, YAML_OPTIONS);
  diagnostics.push(...yamlDiagnostics(yaml, sourceOffset, index, limits));
  const places = new Map<string, Span>();
  collectPlaces(yaml.contents, '', index, sourceOffset, places);
  let value: Record<string, unknown> | undefined;
  if (yaml.errors.length === 0) {
    if (depthOf(yaml.contents, limits.maxDepth) > limits.maxDepth) {
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
