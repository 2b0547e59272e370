/**
 * Long base64 or hex runs, and \x-escaped strings, that decode to readable text: a way to smuggle commands or
 * instructions past a reviewer. Decoded text that contains commands or override phrasing weighs much more than
 * plain text. Tickets and encrypted bodies, where base64 is expected, are skipped; binary (hashes, keys) is
 * not text and is ignored.
 */
import type { Finding, ScanRule } from '../rule.js';
import { inRanges } from '../segments.js';

export const BASE64 = /[A-Za-z0-9+/_-]{40,}={0,2}/g;
const HEX = /\b(?:[0-9a-fA-F]{2}){24,}\b/g;
const ESCAPED = /(?:\\x[0-9a-fA-F]{2}){12,}/g;
const SUSPICIOUS =
  /\b(?:curl|wget|bash|sh\s+-c|powershell|eval|exec|import\s+os|subprocess|os\.system|child_process|rm\s+-rf|nc\s+-e|chmod\s+\+x)\b|\/etc\/(?:passwd|shadow)|\.ssh\b|id_rsa|ignore\s+(?:all\s+)?(?:previous|prior)|system\s+prompt|https?:\/\//i;

function latin1ToText(binary: string): string | undefined {
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

export function decodeBase64(run: string): string | undefined {
  const std = run.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (std.length % 4 === 1) return undefined;
  try {
    return latin1ToText(atob(std + '='.repeat((4 - (std.length % 4)) % 4)));
  } catch {
    return undefined;
  }
}

function decodeHex(run: string): string | undefined {
  const pairs = run.replace(/\\x/g, '').match(/../g) ?? [];
  return latin1ToText(pairs.map((p) => String.fromCharCode(parseInt(p, 16))).join(''));
}

/** Mostly printable text of some length: what a person or model could read as a message. */
/**
 * Base64 runs of `text` that decode to readable text, with their offsets. The rule and the classifier both need
 * them for the same document, so the last answer is kept: the run search costs more than the rest of the rule.
 */
let lastText: string | undefined;
let lastRuns: readonly { readonly match: RegExpMatchArray; readonly decoded: string }[] = [];
export function readableBase64(
  text: string,
): readonly { readonly match: RegExpMatchArray; readonly decoded: string }[] {
  if (text === lastText) return lastRuns;
  const runs: { match: RegExpMatchArray; decoded: string }[] = [];
  for (const m of text.matchAll(BASE64)) {
    const decoded = decodeBase64(m[0]);
    if (isReadable(decoded)) runs.push({ match: m, decoded });
  }
  lastText = text;
  lastRuns = runs;
  return runs;
}

export function isReadable(text: string | undefined): text is string {
  if (text === undefined || text.length < 16) return false;
  let printable = 0;
  for (const ch of text) if (/[\p{L}\p{N}\p{P}\p{Zs}\n\t$+<=>^`|~]/u.test(ch)) printable++;
  return printable / [...text].length >= 0.95;
}

export const encodedPayload: ScanRule = {
  id: 'encoded-payload',
  run(ctx) {
    const findings: Finding[] = [];
    const expected = (at: number): boolean => inRanges(ctx.expectedEncoded, at);
    const consider = (m: RegExpMatchArray, decoded: string | undefined, kind: string): void => {
      const at = m.index ?? 0;
      if (expected(at) || !isReadable(decoded)) return;
      const bad = SUSPICIOUS.test(decoded);
      const preview = decoded.replace(/\s+/g, ' ').slice(0, 60);
      findings.push({
        code: bad ? 'encoded_command' : 'encoded_text',
        severity: bad ? 'error' : 'warning',
        message: `${kind} decodes to ${bad ? 'commands or instructions' : 'hidden text'}: "${preview}"; write it in clear`,
        offset: at,
        length: m[0].length,
        weight: bad ? 40 : 10,
      });
    };
    for (const { match, decoded } of readableBase64(ctx.text)) consider(match, decoded, 'base64 text');
    for (const m of ctx.text.matchAll(HEX)) consider(m, decodeHex(m[0]), 'hex text');
    for (const m of ctx.text.matchAll(ESCAPED)) consider(m, decodeHex(m[0]), 'escaped byte string');
    return findings;
  },
};
