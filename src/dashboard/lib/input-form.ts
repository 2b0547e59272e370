/**
 * The Submit page's input form from a document's `## Input_Schema`: the schema is found in the text (the first
 * `json` fence under that heading), each top-level property becomes a field (string, number, integer, boolean,
 * enum, or JSON for objects and arrays), and the filled form becomes the run's `inputs` with a message per
 * field that does not read. The gateway checks the inputs against the schema again; this only helps people type
 * them. Pure, tested under Node.
 */

export type FieldKind = 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'json';

export interface Field {
  readonly name: string;
  readonly kind: FieldKind;
  readonly required: boolean;
  readonly description: string;
  readonly options: readonly string[];
  readonly defaultText: string;
}

/** The `## Input_Schema` JSON of a document's text, undefined when it has none (or it does not parse). */
export function inputSchemaOf(text: string): unknown {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => /^##\s+input[_ ]schema\s*$/i.test(l.trim()));
  if (start < 0) return undefined;
  let open = -1;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (open < 0 && /^#{1,2}\s/.test(line)) return undefined;
    if (open < 0 && /^```\s*json\b/i.test(line.trim())) open = i + 1;
    else if (open >= 0 && /^```\s*$/.test(line.trim())) {
      try {
        return JSON.parse(lines.slice(open, i).join('\n')) as unknown;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export function fieldsOf(schema: unknown): Field[] {
  const s = schema as { properties?: unknown; required?: unknown } | null | undefined;
  if (!s || typeof s.properties !== 'object' || s.properties === null) return [];
  const required = new Set(Array.isArray(s.required) ? s.required.filter((r) => typeof r === 'string') : []);
  return Object.entries(s.properties as Record<string, unknown>).map(([name, raw]) => {
    const p = (raw ?? {}) as { type?: unknown; enum?: unknown; description?: unknown; default?: unknown };
    const options = Array.isArray(p.enum) ? p.enum.map((v) => JSON.stringify(v)) : [];
    const type = Array.isArray(p.type) ? p.type.find((t) => t !== 'null') : p.type;
    const kind: FieldKind =
      options.length > 0
        ? 'enum'
        : type === 'string' || type === 'number' || type === 'integer' || type === 'boolean'
          ? type
          : 'json';
    const defaultText =
      p.default === undefined ? '' : kind === 'string' ? String(p.default) : JSON.stringify(p.default);
    return {
      name,
      kind,
      required: required.has(name),
      description: typeof p.description === 'string' ? p.description : '',
      options,
      defaultText,
    };
  });
}

export type FormValues = Readonly<Record<string, string | boolean>>;

/** The inputs the form states, or a message per field that does not read as its kind. Empty optional fields are left out. */
export function inputsOf(
  fields: readonly Field[],
  values: FormValues,
): { ok: true; inputs: Record<string, unknown> } | { ok: false; problems: Record<string, string> } {
  const inputs: Record<string, unknown> = {};
  const problems: Record<string, string> = {};
  for (const f of fields) {
    const v = values[f.name];
    if (f.kind === 'boolean') {
      inputs[f.name] = v === true;
      continue;
    }
    const text = typeof v === 'string' ? v.trim() : '';
    if (text === '') {
      if (f.required) problems[f.name] = `${f.name} is required`;
      continue;
    }
    if (f.kind === 'string') inputs[f.name] = typeof v === 'string' ? v : '';
    else if (f.kind === 'number' || f.kind === 'integer') {
      const n = Number(text);
      if (!Number.isFinite(n) || (f.kind === 'integer' && !Number.isInteger(n)))
        problems[f.name] = `${f.name} must be ${f.kind === 'integer' ? 'a whole number' : 'a number'}`;
      else inputs[f.name] = n;
    } else {
      try {
        inputs[f.name] = JSON.parse(text) as unknown;
      } catch {
        problems[f.name] = `${f.name} must be JSON (for example "text", 3, [1, 2] or {"a": 1})`;
      }
    }
  }
  return Object.keys(problems).length > 0 ? { ok: false, problems } : { ok: true, inputs };
}
