/**
 * Ajv reports one problem several times when a schema uses `oneOf`/`anyOf` (once per branch). This merges issues by
 * path into one readable line each: type errors become "must be boolean or array", enum errors list the values.
 */
import type { SchemaIssue } from './json-schema.js';

export interface MergedIssue {
  readonly path: string;
  readonly keyword: string;
  readonly message: string;
  readonly params: Readonly<Record<string, unknown>>;
}

export function mergeIssues(issues: readonly SchemaIssue[]): MergedIssue[] {
  const byPath = new Map<string, SchemaIssue[]>();
  for (const issue of issues) {
    if (issue.keyword === 'oneOf' || issue.keyword === 'anyOf' || issue.keyword === 'if') continue;
    const key =
      issue.keyword === 'required' || issue.keyword === 'additionalProperties'
        ? `${issue.path}\u0000${JSON.stringify(issue.params)}`
        : issue.path;
    const list = byPath.get(key) ?? [];
    list.push(issue);
    byPath.set(key, list);
  }
  const merged: MergedIssue[] = [];
  for (const list of byPath.values()) {
    const first = list[0] as SchemaIssue;
    const enums = list.find((i) => i.keyword === 'enum');
    const types = list.filter((i) => i.keyword === 'type').map((i) => String(i.params['type']));
    if (enums) {
      const allowed = (enums.params['allowedValues'] as unknown[] | undefined) ?? [];
      merged.push({ ...enums, message: `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}` });
    } else if (types.length > 1) {
      merged.push({
        path: first.path,
        keyword: 'type',
        message: `must be ${types.join(' or ')}`,
        params: first.params,
      });
    } else merged.push(first);
  }
  return merged;
}
