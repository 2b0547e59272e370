/**
 * `--input name=value` arrives as text; `## Input_Schema` says what type the input is. A property typed
 * `"string"` keeps the text exactly as written (`patient_id=007` stays "007"); `number`, `integer`, `boolean`,
 * `null`, `object` and `array` are parsed as JSON and must give that type; a property the schema does not type
 * (or no schema at all) gets the old rule: JSON when it parses, else the text. Values from `--inputs file.json`
 * are JSON already and never pass through here.
 */
import { MamlError } from '../../shared/index.js';

type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'null' | 'object' | 'array';
const JSON_TYPES: readonly string[] = ['string', 'number', 'integer', 'boolean', 'null', 'object', 'array'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Follows a local `$ref` (`#/$defs/x`, `#/definitions/x`, JSON Pointer) a few levels deep. */
function deref(root: unknown, schema: unknown, depth = 0): unknown {
  if (!isObject(schema) || typeof schema['$ref'] !== 'string' || depth > 8) return schema;
  const ref = schema['$ref'];
  if (!ref.startsWith('#')) return schema;
  let node: unknown = root;
  for (const raw of ref.slice(1).split('/').filter(Boolean)) {
    const part = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = isObject(node) ? node[part] : undefined;
  }
  return deref(root, node, depth + 1);
}

/** The types a property schema allows; undefined when it does not say (no `type`, `enum` or `const` to go by). */
function allowedTypes(root: unknown, schema: unknown): Set<JsonType> | undefined {
  const s = deref(root, schema);
  if (!isObject(s)) return undefined;
  const type = s['type'];
  if (typeof type === 'string' && JSON_TYPES.includes(type)) return new Set([type as JsonType]);
  if (Array.isArray(type) && type.length > 0 && type.every((t) => typeof t === 'string' && JSON_TYPES.includes(t)))
    return new Set(type as JsonType[]);
  const values = Array.isArray(s['enum']) ? (s['enum'] as unknown[]) : 'const' in s ? [s['const']] : undefined;
  if (values && values.length > 0) return new Set(values.map(typeOf));
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = s[key];
    if (!Array.isArray(options) || options.length === 0) continue;
    const union = new Set<JsonType>();
    for (const option of options) {
      const types = allowedTypes(root, option);
      if (!types) return undefined;
      for (const t of types) union.add(t);
    }
    return union;
  }
  return undefined;
}

function typeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as JsonType;
}

const fits = (value: unknown, types: ReadonlySet<JsonType>): boolean => {
  const t = typeOf(value);
  return types.has(t) || (t === 'integer' && types.has('number'));
};

/** The schema of workflow input `name`: its `properties` entry, else an `additionalProperties` schema. */
function propertySchema(root: unknown, name: string): unknown {
  const s = deref(root, root);
  if (!isObject(s)) return undefined;
  const props = s['properties'];
  if (isObject(props) && Object.hasOwn(props, name)) return props[name];
  return isObject(s['additionalProperties']) ? s['additionalProperties'] : undefined;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** The value of `--input name=text` under `schema` (the document's `## Input_Schema`, if any). */
export function coerceInput(name: string, text: string, schema: unknown): unknown {
  const types = schema === undefined ? undefined : allowedTypes(schema, propertySchema(schema, name));
  const parsed = parseJson(text);
  if (types === undefined) return parsed.ok ? parsed.value : text;
  if (types.has('string') && types.size === 1) return text;
  if (parsed.ok && fits(parsed.value, types) && typeOf(parsed.value) !== 'string') return parsed.value;
  if (types.has('string')) return text;
  const expected = [...types].join(' or ');
  const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  throw new MamlError(
    'usage',
    `--input ${name}=${shown}: ## Input_Schema declares \`${name}\` as ${expected}, and \`${shown}\` ${
      parsed.ok ? `is JSON ${typeOf(parsed.value)}` : 'is not JSON'
    }; write a JSON ${expected} (strings are written as they are only for string inputs)`,
  );
}
