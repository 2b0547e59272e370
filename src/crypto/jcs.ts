/**
 * RFC 8785 JSON Canonicalization Scheme. Numbers use the ECMAScript Number-to-String algorithm (RFC 8785
 * §3.2.2.3), which `String(n)` implements exactly; strings escape only what §3.2.2.2 requires; object members
 * are sorted by their names as arrays of UTF-16 code units (§3.2.3). Input outside I-JSON (RFC 7493) — NaN,
 * ±Infinity, lone surrogates, non-plain values — is refused with a `JcsError`.
 */

export class JcsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JcsError';
  }
}

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [k: string]: JsonValue };

/** Canonical JSON text of `value`. Throws `JcsError` for values I-JSON cannot carry. */
export function canonicalize(value: unknown): string {
  const out: string[] = [];
  write(value, out, 0);
  return out.join('');
}

/** Canonical JSON as UTF-8 bytes, the form that is hashed and signed. */
export function canonicalBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalize(value));
}

const MAX_DEPTH = 256;

function write(value: unknown, out: string[], depth: number): void {
  if (depth > MAX_DEPTH) throw new JcsError('value nested too deeply');
  if (value === null) out.push('null');
  else if (value === true) out.push('true');
  else if (value === false) out.push('false');
  else if (typeof value === 'number') out.push(serializeNumber(value));
  else if (typeof value === 'string') out.push(serializeString(value));
  else if (Array.isArray(value)) {
    out.push('[');
    value.forEach((item: unknown, i) => {
      if (i > 0) out.push(',');
      write(item, out, depth + 1);
    });
    out.push(']');
  } else if (typeof value === 'object' && isPlainObject(value)) {
    const record = value as Record<string, unknown>;
    // §3.2.3: sort by UTF-16 code units; JavaScript's default string order is exactly that.
    const keys = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    out.push('{');
    keys.forEach((k, i) => {
      if (i > 0) out.push(',');
      out.push(serializeString(k), ':');
      write(record[k], out, depth + 1);
    });
    out.push('}');
  } else throw new JcsError(`cannot canonicalize a value of type ${typeof value}`);
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** §3.2.2.3: ECMAScript Number::toString; -0 serializes as 0; NaN and infinities are not JSON. */
export function serializeNumber(n: number): string {
  if (!Number.isFinite(n)) throw new JcsError(`${n} is not a JSON number`);
  return Object.is(n, -0) ? '0' : String(n);
}

const SHORT_ESCAPES: Readonly<Record<number, string>> = {
  0x08: '\\b',
  0x09: '\\t',
  0x0a: '\\n',
  0x0c: '\\f',
  0x0d: '\\r',
  0x22: '\\"',
  0x5c: '\\\\',
};

/** §3.2.2.2: escape `"`, `\` and C0 controls (short forms where JSON has them, else \u00xx lowercase). */
export function serializeString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) throw new JcsError('string contains a lone surrogate');
      out += s[i] + (s[i + 1] as string);
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      throw new JcsError('string contains a lone surrogate');
    } else if (SHORT_ESCAPES[c] !== undefined) {
      out += SHORT_ESCAPES[c];
    } else if (c < 0x20) {
      out += `\\u${c.toString(16).padStart(4, '0')}`;
    } else {
      out += s[i];
    }
  }
  return `${out}"`;
}
