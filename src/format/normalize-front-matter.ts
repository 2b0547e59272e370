/**
 * The lenient profile reads the dialects found in real documents and maps them onto the strict shape, reporting
 * each mapping so that `maml fmt` (or a person) can fix the file:
 * - `schema: maml-1.0` / `context:` / `security:` / `timestamp:` (documents without `maml_version`);
 * - `maml_version: 1.0` written as a number;
 * - `requires` as a list (taken as `libs`);
 * - `permissions` values as a single string, or as booleans (`true` = anyone, `false` = no one).
 */
import type { Diagnostic, Span } from '../shared/diagnostic.js';
import { diagnostic } from '../shared/diagnostic.js';

export interface Normalized {
  readonly value: Record<string, unknown>;
  readonly diagnostics: Diagnostic[];
}

type PlaceOf = (path: string) => Span;

export function normalizeFrontMatter(raw: Readonly<Record<string, unknown>>, placeOf: PlaceOf): Normalized {
  const value: Record<string, unknown> = { ...raw };
  const diagnostics: Diagnostic[] = [];
  const note = (path: string, code: string, message: string): void => {
    diagnostics.push(
      diagnostic({
        code,
        severity: 'warning',
        message,
        place: placeOf(path),
        ruleId: 'lenient-dialect',
        source: 'maml',
      }),
    );
  };

  if (value['maml_version'] === undefined && typeof value['schema'] === 'string') {
    const m = /^maml[-_ ]?v?(\d+(?:\.\d+)*)$/i.exec(value['schema']);
    if (m) {
      value['maml_version'] = m[1]?.includes('.') ? m[1] : `${m[1]}.0`;
      note(
        '/schema',
        'legacy_dialect',
        `\`schema: ${value['schema']}\` is read as \`maml_version: "${value['maml_version'] as string}"\`; \`maml fmt\` rewrites it.`,
      );
    }
  }
  if (typeof value['maml_version'] === 'number') {
    const n = value['maml_version'];
    value['maml_version'] = Number.isInteger(n) ? `${n}.0` : String(n);
    note(
      '/maml_version',
      'unquoted_version',
      `Quote the version: \`maml_version: "${value['maml_version'] as string}"\` (as a number, 1.10 would read as 1.1).`,
    );
  }
  if (value['created_at'] === undefined && typeof value['timestamp'] === 'string') {
    value['created_at'] = value['timestamp'];
    note('/timestamp', 'legacy_dialect', '`timestamp:` is read as `created_at:`.');
  }
  if (Array.isArray(value['requires'])) {
    value['requires'] = { libs: value['requires'].map(String) };
    note('/requires', 'requires_as_list', '`requires` is a list; it is read as `requires: { libs: [...] }`.');
  }
  const perms = value['permissions'];
  if (perms !== null && typeof perms === 'object' && !Array.isArray(perms)) {
    const out: Record<string, unknown> = { ...(perms as Record<string, unknown>) };
    for (const key of ['read', 'write', 'execute']) {
      const v = out[key];
      if (typeof v === 'string') {
        out[key] = v.split(/[\s,]+/).filter((s) => s !== '');
        note(
          `/permissions/${key}`,
          'permission_as_string',
          `\`permissions.${key}\` is a string; it is read as a list.`,
        );
      } else if (typeof v === 'boolean') {
        out[key] = v ? ['agent://*', 'gateway://*'] : [];
        note(
          `/permissions/${key}`,
          'permission_as_boolean',
          `\`permissions.${key}: ${String(v)}\` is read as ${v ? 'anyone (agent://*, gateway://*)' : 'no one'}; list URIs instead.`,
        );
      }
    }
    value['permissions'] = out;
  }
  return { value, diagnostics };
}
