/**
 * C2SP signed notes (c2sp.org/signed-note): text plus one or more `— <name> base64(keyID || sig)` lines.
 * Ed25519 uses the assigned signature type 0x01. ML-DSA has no assigned byte, so it uses the spec's escape
 * 0xff followed by a longer identifier: `0xff || "maml.dev/ml-dsa-65" || 0x00` (likewise ml-dsa-87); its
 * signatures are FIPS 204 pure ML-DSA over the note text with context string `maml-note-v1`.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, fromBase64, fromHex, toBase64, utf8Decode, utf8ToBytes } from './bytes.js';
import { ed25519Sign, ed25519Verify } from './ed25519.js';
import { isMlDsaAlg, mlDsaSign, mlDsaVerify, type MlDsaAlg } from './ml-dsa.js';

export const ED25519_NOTE_TYPE = new Uint8Array([0x01]);
export const NOTE_ML_DSA_CONTEXT = utf8ToBytes('maml-note-v1');
/** signed-note §Signatures: verifiers must accept at least 16; more than this is treated as abuse. */
export const MAX_NOTE_SIGNATURES = 64;

export function mlDsaNoteType(alg: MlDsaAlg): Uint8Array {
  return concatBytes(new Uint8Array([0xff]), utf8ToBytes(`maml.dev/${alg}`), new Uint8Array([0x00]));
}

export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  sign(text: Uint8Array): Uint8Array;
}

export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  verify(text: Uint8Array, signature: Uint8Array): boolean;
}

/** A key name is non-empty and has no Unicode space and no `+` (signed-note §Format). */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u.test(name);
}

/** key ID = SHA-256(key name || 0x0A || signature type || public key)[:4], big-endian (signed-note §Signatures). */
export function noteKeyId(name: string, type: Uint8Array, publicKey: Uint8Array): number {
  const h = sha256(concatBytes(utf8ToBytes(name), new Uint8Array([0x0a]), type, publicKey));
  return new DataView(h.buffer, h.byteOffset, 4).getUint32(0, false);
}

/** `<name>+hex(key ID)+base64(type || public key)` (signed-note §Verifier keys). */
export function verifierKey(name: string, type: Uint8Array, publicKey: Uint8Array): string {
  const id = noteKeyId(name, type, publicKey).toString(16).padStart(8, '0');
  return `${name}+${id}+${toBase64(concatBytes(type, publicKey))}`;
}

function checkName(name: string): void {
  if (!isValidKeyName(name)) throw new RangeError(`invalid note key name ${JSON.stringify(name)}`);
}

export function ed25519NoteSigner(name: string, secretKey: Uint8Array, publicKey: Uint8Array): NoteSigner {
  checkName(name);
  return {
    name,
    keyId: noteKeyId(name, ED25519_NOTE_TYPE, publicKey),
    sign: (text) => ed25519Sign(secretKey, text),
  };
}

export function ed25519NoteVerifier(name: string, publicKey: Uint8Array): NoteVerifier {
  checkName(name);
  return {
    name,
    keyId: noteKeyId(name, ED25519_NOTE_TYPE, publicKey),
    verify: (text, signature) => ed25519Verify(publicKey, text, signature),
  };
}

export function mlDsaNoteSigner(name: string, alg: MlDsaAlg, secretKey: Uint8Array, publicKey: Uint8Array): NoteSigner {
  checkName(name);
  return {
    name,
    keyId: noteKeyId(name, mlDsaNoteType(alg), publicKey),
    sign: (text) => mlDsaSign(alg, secretKey, text, NOTE_ML_DSA_CONTEXT),
  };
}

export function mlDsaNoteVerifier(name: string, alg: MlDsaAlg, publicKey: Uint8Array): NoteVerifier {
  checkName(name);
  return {
    name,
    keyId: noteKeyId(name, mlDsaNoteType(alg), publicKey),
    verify: (text, signature) => mlDsaVerify(alg, publicKey, text, signature, NOTE_ML_DSA_CONTEXT),
  };
}

/** Parses a vkey into a verifier; `undefined` when it is malformed, of an unknown type or its ID does not match. */
export function parseVerifierKey(vkey: string): NoteVerifier | undefined {
  // The base64 part may itself contain `+`: split on the first two only.
  const first = vkey.indexOf('+');
  const second = vkey.indexOf('+', first + 1);
  if (first < 0 || second < 0) return undefined;
  const name = vkey.slice(0, first);
  const idHex = vkey.slice(first + 1, second);
  const keyB64 = vkey.slice(second + 1);
  if (!isValidKeyName(name) || !/^[0-9a-f]{8}$/.test(idHex)) return undefined;
  const raw = fromBase64(keyB64);
  if (!raw || raw.length < 2) return undefined;
  let verifier: NoteVerifier | undefined;
  if (raw[0] === 0x01) {
    if (raw.length !== 33) return undefined;
    verifier = ed25519NoteVerifier(name, raw.subarray(1));
  } else if (raw[0] === 0xff) {
    const end = raw.indexOf(0x00);
    const id = end > 0 ? utf8Decode(raw.subarray(1, end)) : undefined;
    const alg = id?.startsWith('maml.dev/') ? id.slice('maml.dev/'.length) : undefined;
    if (!isMlDsaAlg(alg)) return undefined;
    verifier = mlDsaNoteVerifier(name, alg, raw.subarray(end + 1));
  }
  const wanted = fromHex(idHex);
  if (!verifier || !wanted) return undefined;
  return verifier.keyId === new DataView(wanted.buffer).getUint32(0, false) ? verifier : undefined;
}

function checkNoteText(text: string): string | undefined {
  if (!text.endsWith('\n')) return 'note text must end with a newline';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text)) return 'note text contains a control character';
  if (utf8Decode(utf8ToBytes(text)) !== text) return 'note text is not valid Unicode';
  return undefined;
}

/** Signs `text` (which must end with a newline) with every signer, in order. */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  const problem = checkNoteText(text);
  if (problem) throw new RangeError(problem);
  if (signers.length === 0) throw new RangeError('a signed note needs at least one signer');
  const bytes = utf8ToBytes(text);
  const lines = signers.map((s) => {
    const id = new Uint8Array(4);
    new DataView(id.buffer).setUint32(0, s.keyId, false);
    return `\u2014 ${s.name} ${toBase64(concatBytes(id, s.sign(bytes)))}\n`;
  });
  return `${text}\n${lines.join('')}`;
}

export type OpenedNote =
  | { readonly ok: true; readonly text: string; readonly verifiedBy: readonly string[] }
  | { readonly ok: false; readonly reason: string };

/**
 * Verifies a signed note against trusted verifiers. Signatures from unknown keys are ignored; a known key's bad
 * signature rejects the whole note; at least one known key must verify (signed-note §Signatures).
 */
export function openNote(note: string, verifiers: readonly NoteVerifier[]): OpenedNote {
  if (!note.endsWith('\n')) return { ok: false, reason: 'malformed: note does not end with a newline' };
  const split = note.lastIndexOf('\n\n');
  if (split < 0) return { ok: false, reason: 'malformed: no blank line before the signatures' };
  const text = note.slice(0, split + 1);
  const problem = checkNoteText(text);
  if (problem) return { ok: false, reason: `malformed: ${problem}` };
  const sigLines = note.slice(split + 2, -1).split('\n');
  if (sigLines.length > MAX_NOTE_SIGNATURES) return { ok: false, reason: 'too many signatures' };
  const bytes = utf8ToBytes(text);
  const verifiedBy: string[] = [];
  for (const line of sigLines) {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/u.exec(line);
    const raw = m ? fromBase64(m[2] as string) : undefined;
    if (!m || !raw || raw.length < 5) return { ok: false, reason: 'malformed: bad signature line' };
    const name = m[1] as string;
    const keyId = new DataView(raw.buffer, raw.byteOffset, 4).getUint32(0, false);
    for (const v of verifiers) {
      if (v.name !== name || v.keyId !== keyId) continue;
      if (!v.verify(bytes, raw.subarray(4))) return { ok: false, reason: `bad signature from ${name}` };
      verifiedBy.push(name);
    }
  }
  if (verifiedBy.length === 0) return { ok: false, reason: 'no signature from a trusted key' };
  return { ok: true, text, verifiedBy };
}
