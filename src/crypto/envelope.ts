/**
 * Envelope encryption of a document body (format: docs/encryption-format.md, version 1). A random 256-bit
 * content key encrypts the body with AES-256-GCM; the front matter (kept in clear) and the whole header are its
 * associated data. Each recipient gets the content key wrapped under a key from the hybrid KEM. Any edit,
 * truncation or wrong key makes decryption fail as a whole; no plaintext is released before the tag checks.
 */
import { aesGcmOpen, aesGcmSeal, GCM_IV_BYTES } from './aes-gcm.js';
import {
  bytesToHex,
  concatBytes,
  fromBase64,
  fromBase64Url,
  randomBytes,
  toBase64,
  toBase64Url,
  utf8Decode,
  utf8ToBytes,
  wipe,
} from './bytes.js';
import { hybridDecapsulate, hybridEncapsulate, hybridSizes, type HybridKeyPair, type KemSuite } from './hybrid-kem.js';
import { canonicalBytes } from './jcs.js';
import { KEY_ID_PATTERN } from './key-id.js';

export const ENVELOPE_MODES = ['standard', 'pq'] as const;
export type EnvelopeMode = (typeof ENVELOPE_MODES)[number];

export const MODE_SUITE: Readonly<Record<EnvelopeMode, KemSuite>> = {
  standard: 'x25519-ml-kem-768',
  pq: 'x25519-ml-kem-1024',
};

const MAGIC = utf8ToBytes('MAMLENC1');
const BODY_AAD_LABEL = utf8ToBytes('maml-enc-v1/body\0');
const WRAP_AAD_LABEL = 'maml-enc-v1/wrap';
export const ARMOR_BEGIN = '-----BEGIN MAML ENCRYPTED BODY-----';
export const ARMOR_END = '-----END MAML ENCRYPTED BODY-----';
/** Limits what a hostile file can make us allocate or try. */
const MAX_RECIPIENTS = 256;
const MAX_HEADER = 1 << 20;

export interface EnvelopeRecipient {
  readonly keyId: string;
  readonly suite: KemSuite;
  readonly publicKey: Uint8Array;
}

export interface EnvelopeHeader {
  readonly v: 1;
  readonly mode: EnvelopeMode;
  readonly suite: KemSuite;
  /** base64url 96-bit IV of the body encryption. */
  readonly iv: string;
  readonly recipients: readonly {
    readonly kid: string;
    readonly enc: string;
    readonly wiv: string;
    readonly wkey: string;
  }[];
}

function u32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, false);
  return b;
}

function bodyAad(frontMatter: Uint8Array, header: Uint8Array): Uint8Array {
  return concatBytes(BODY_AAD_LABEL, u32(frontMatter.length), frontMatter, u32(header.length), header);
}

function wrapAad(mode: EnvelopeMode, kid: string): Uint8Array {
  return utf8ToBytes(`${WRAP_AAD_LABEL}\0${mode}\0${kid}`);
}

function armor(bytes: Uint8Array): string {
  const b64 = toBase64(bytes);
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `${ARMOR_BEGIN}\n${lines.join('\n')}\n${ARMOR_END}\n`;
}

/** Encrypts `body` to every recipient; returns the armored block that replaces the body in the file. */
export function encryptBody(
  body: Uint8Array,
  frontMatter: string,
  recipients: readonly EnvelopeRecipient[],
  mode: EnvelopeMode,
): string {
  if (recipients.length === 0) throw new RangeError('at least one recipient is needed');
  if (recipients.length > MAX_RECIPIENTS) throw new RangeError(`at most ${MAX_RECIPIENTS} recipients`);
  const suite = MODE_SUITE[mode];
  const cek = randomBytes(32);
  const wrapped = recipients.map((r) => {
    if (r.suite !== suite)
      throw new RangeError(`recipient ${r.keyId} has a ${r.suite} key; mode ${mode} needs ${suite}`);
    const kem = hybridEncapsulate(suite, r.publicKey);
    if (!kem) throw new RangeError(`recipient ${r.keyId} has an invalid public key`);
    const wiv = randomBytes(GCM_IV_BYTES);
    const wkey = aesGcmSeal(kem.key, wiv, cek, wrapAad(mode, r.keyId));
    wipe(kem.key);
    return { kid: r.keyId, enc: toBase64Url(kem.encapsulation), wiv: toBase64Url(wiv), wkey: toBase64Url(wkey) };
  });
  const iv = randomBytes(GCM_IV_BYTES);
  const header: EnvelopeHeader = { v: 1, mode, suite, iv: toBase64Url(iv), recipients: wrapped };
  const headerBytes = canonicalBytes(header);
  const ct = aesGcmSeal(cek, iv, body, bodyAad(utf8ToBytes(frontMatter), headerBytes));
  wipe(cek);
  return armor(concatBytes(MAGIC, u32(headerBytes.length), headerBytes, ct));
}

export type ParsedEnvelope =
  | {
      readonly ok: true;
      readonly header: EnvelopeHeader;
      readonly headerBytes: Uint8Array;
      readonly ciphertext: Uint8Array;
    }
  | { readonly ok: false; readonly reason: string };

/** Reads the armored block (without decrypting). */
export function parseEnvelope(armored: string): ParsedEnvelope {
  const text = armored.replace(/\r\n/g, '\n').trim();
  if (!text.startsWith(ARMOR_BEGIN) || !text.endsWith(ARMOR_END))
    return { ok: false, reason: 'not a MAML encrypted body (armor lines missing or truncated)' };
  const b64 = text.slice(ARMOR_BEGIN.length, text.length - ARMOR_END.length).replace(/\s+/g, '');
  const raw = fromBase64(b64);
  if (!raw) return { ok: false, reason: 'encrypted body is not valid base64 (modified or truncated)' };
  if (raw.length < MAGIC.length + 4 || bytesToHex(raw.subarray(0, MAGIC.length)) !== bytesToHex(MAGIC))
    return { ok: false, reason: 'unknown encryption format version (expected MAMLENC1)' };
  const hlen = new DataView(raw.buffer, raw.byteOffset + MAGIC.length, 4).getUint32(0, false);
  const start = MAGIC.length + 4;
  if (hlen > MAX_HEADER || start + hlen > raw.length) return { ok: false, reason: 'encrypted body is truncated' };
  const headerBytes = raw.subarray(start, start + hlen);
  const header = parseHeader(headerBytes);
  if (typeof header === 'string') return { ok: false, reason: header };
  return { ok: true, header, headerBytes, ciphertext: raw.subarray(start + hlen) };
}

function parseHeader(bytes: Uint8Array): EnvelopeHeader | string {
  const text = utf8Decode(bytes);
  let h: Record<string, unknown>;
  try {
    h = JSON.parse(text ?? '') as Record<string, unknown>;
  } catch {
    return 'envelope header is not JSON (modified or truncated)';
  }
  if (typeof h !== 'object' || h === null || h['v'] !== 1) return 'unsupported envelope version';
  const mode = h['mode'];
  if (mode !== 'standard' && mode !== 'pq') return 'unknown envelope mode';
  if (h['suite'] !== MODE_SUITE[mode]) return 'envelope suite does not match its mode';
  const rs = h['recipients'];
  if (typeof h['iv'] !== 'string' || !Array.isArray(rs) || rs.length === 0 || rs.length > MAX_RECIPIENTS)
    return 'envelope header is malformed';
  for (const r of rs as Record<string, unknown>[]) {
    if (typeof r !== 'object' || r === null) return 'envelope recipient is malformed';
    if (typeof r['kid'] !== 'string' || !KEY_ID_PATTERN.test(r['kid'])) return 'envelope recipient id is malformed';
    if (['enc', 'wiv', 'wkey'].some((f) => typeof r[f] !== 'string')) return 'envelope recipient is malformed';
  }
  return h as unknown as EnvelopeHeader;
}

export type DecryptResult =
  { readonly ok: true; readonly body: Uint8Array } | { readonly ok: false; readonly reason: string };

/** Decrypts with whichever of `keys` is a recipient. Fails as a whole on any mismatch; never throws. */
export function decryptBody(
  armored: string,
  frontMatter: string,
  keys: readonly (HybridKeyPair & { keyId: string })[],
): DecryptResult {
  const parsed = parseEnvelope(armored);
  if (!parsed.ok) return parsed;
  const { header, headerBytes, ciphertext } = parsed;
  const iv = fromBase64Url(header.iv);
  if (!iv || iv.length !== GCM_IV_BYTES) return { ok: false, reason: 'envelope header is malformed' };
  let cek: Uint8Array | undefined;
  let matched = false;
  for (const r of header.recipients) {
    const key = keys.find((k) => k.keyId === r.kid && k.suite === header.suite);
    if (!key) continue;
    matched = true;
    const enc = fromBase64Url(r.enc);
    const wiv = fromBase64Url(r.wiv);
    const wkey = fromBase64Url(r.wkey);
    if (!enc || !wiv || !wkey || enc.length !== hybridSizes(header.suite).encapsulation || wiv.length !== GCM_IV_BYTES)
      continue;
    const kek = hybridDecapsulate(key, enc);
    if (!kek) continue;
    cek = aesGcmOpen(kek, wiv, wkey, wrapAad(header.mode, r.kid));
    wipe(kek);
    if (cek?.length === 32) break;
    cek = undefined;
  }
  if (!matched) return { ok: false, reason: 'the document is not encrypted to any of the available keys' };
  if (!cek) return { ok: false, reason: 'could not unwrap the content key (wrong key, or the file was modified)' };
  const body = aesGcmOpen(cek, iv, ciphertext, bodyAad(utf8ToBytes(frontMatter), headerBytes));
  wipe(cek);
  if (!body)
    return { ok: false, reason: 'authentication failed: the body or its front matter was modified or truncated' };
  return { ok: true, body };
}

/** Recipient key ids named in an armored body (to pick which private keys to open); [] when unreadable. */
export function envelopeRecipients(armored: string): string[] {
  const parsed = parseEnvelope(armored);
  return parsed.ok ? parsed.header.recipients.map((r) => r.kid) : [];
}
