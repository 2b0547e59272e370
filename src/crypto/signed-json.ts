/**
 * The compact signed form shared by execution tickets and run records: base64url (RFC 4648 §5, no padding) of a
 * JSON object's RFC 8785 canonical UTF-8 bytes, ".", base64url of a pure ML-DSA signature (FIPS 204 Algorithm 2)
 * over those bytes with a context string naming the payload type. A payload must be exactly its own canonical
 * form, so each signed object has one spelling. Decoding and checking never throw.
 */
import { fromBase64Url, toBase64Url, utf8Decode } from './bytes.js';
import { JcsError, canonicalBytes, canonicalize } from './jcs.js';
import { publicKeyId } from './key-id.js';
import { mlDsaSign, mlDsaVerify, type MlDsaAlg } from './ml-dsa.js';

export interface KnownKey {
  readonly alg: MlDsaAlg;
  readonly publicKey: Uint8Array;
  readonly trusted: boolean;
}

/** Finds a signing key by id (keyring, server registry, …). */
export type KeyLookup = (keyId: string) => KnownKey | undefined;

export interface SignedJsonSigner {
  readonly alg: MlDsaAlg;
  readonly secretKey: Uint8Array;
}

/** Signs `value`'s canonical form; returns the compact `payload.signature`. */
export function signJson(value: unknown, signer: SignedJsonSigner, context: Uint8Array): string {
  const payload = canonicalBytes(value);
  const signature = mlDsaSign(signer.alg, signer.secretKey, payload, context);
  return `${toBase64Url(payload)}.${toBase64Url(signature)}`;
}

export type DecodedJson<T> =
  | { readonly ok: true; readonly value: T; readonly payload: Uint8Array; readonly signature: Uint8Array }
  | { readonly ok: false; readonly reason: string };

/**
 * Decodes a compact signed object without checking the signature. `what` names it in reasons ("ticket");
 * `problem` says why a parsed value is not a valid one.
 */
export function decodeSignedJson<T>(
  compact: string,
  what: string,
  maxChars: number,
  problem: (value: unknown) => string | undefined,
): DecodedJson<T> {
  if (compact.length > maxChars) return { ok: false, reason: `${what} too long (more than ${maxChars} characters)` };
  const parts = compact.split('.');
  if (parts.length !== 2) return { ok: false, reason: `${what} must be two base64url parts joined by "."` };
  const payload = fromBase64Url(parts[0] as string);
  const signature = fromBase64Url(parts[1] as string);
  if (!payload || !signature) return { ok: false, reason: `${what} is not valid base64url` };
  const text = utf8Decode(payload);
  if (text === undefined) return { ok: false, reason: `${what} payload is not UTF-8` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: `${what} payload is not JSON` };
  }
  const why = problem(value);
  if (why) return { ok: false, reason: why };
  try {
    if (canonicalize(value) !== text)
      return { ok: false, reason: `${what} payload is not in canonical (RFC 8785) form` };
  } catch (error) {
    if (error instanceof JcsError) return { ok: false, reason: error.message };
    throw error;
  }
  return { ok: true, value: value as T, payload, signature };
}

export type SignatureFailureCode = 'unknown_key' | 'untrusted_key' | 'bad_signature';

/** The key named by `keyId` must be known (and really have that id), verify the signature, and be trusted. */
export function signatureFailures(
  keys: KeyLookup,
  keyId: string,
  payload: Uint8Array,
  signature: Uint8Array,
  context: Uint8Array,
): { code: SignatureFailureCode; message: string }[] {
  const key = keys(keyId);
  if (!key || publicKeyId(key.publicKey) !== keyId)
    return [{ code: 'unknown_key', message: `signing key ${keyId} is not in the keyring` }];
  const failures: { code: SignatureFailureCode; message: string }[] = [];
  if (!mlDsaVerify(key.alg, key.publicKey, payload, signature, context))
    failures.push({ code: 'bad_signature', message: `signature does not verify under key ${keyId}` });
  if (!key.trusted) failures.push({ code: 'untrusted_key', message: `key ${keyId} is known but not trusted` });
  return failures;
}
