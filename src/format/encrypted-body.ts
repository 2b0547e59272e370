/**
 * The armor lines of a body encrypted by `maml encrypt` (docs/encryption-format.md). The envelope itself belongs to
 * src/crypto; the format only needs to recognise the armor, so that an encrypted document is never taken for an
 * empty one, and the two areas stay independent.
 */
export const ENCRYPTED_BODY_BEGIN = '-----BEGIN MAML ENCRYPTED BODY-----';
export const ENCRYPTED_BODY_END = '-----END MAML ENCRYPTED BODY-----';

/** Offset of the armor's BEGIN line when the body (from `bodyOffset`) starts with it after blank lines, else -1. */
export function encryptedBodyAt(text: string, bodyOffset: number): number {
  let at = bodyOffset;
  for (;;) {
    const nl = text.indexOf('\n', at);
    const end = nl === -1 ? text.length : nl;
    const line = text.slice(at, end).trim();
    if (line === ENCRYPTED_BODY_BEGIN) return at + text.slice(at, end).indexOf(ENCRYPTED_BODY_BEGIN);
    if (line !== '' || nl === -1) return -1;
    at = nl + 1;
  }
}
