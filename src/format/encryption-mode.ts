/**
 * Maps what people write in a document's `encryption:` front-matter field to a real envelope mode (the modes of
 * docs/encryption-format.md; `maml encrypt` reads the field through this, and `validate` reports what it finds). Real AES keys
 * are 128, 192 or 256 bits (FIPS 197); values naming other sizes ("512-bit AES", "2048-AES") cannot be honoured
 * literally, so they get the strongest mode and a warning. Signature names (Dilithium / ML-DSA) are not
 * encryption and get an informational note.
 */
import { diagnostic, START, type Diagnostic, type Point } from '../shared/diagnostic.js';

/** The envelope modes of docs/encryption-format.md (src/crypto's `EnvelopeMode`). */
export type EncryptionMode = 'standard' | 'pq';

export interface EncryptionModeResult {
  /** Undefined when the value names nothing we recognise. */
  readonly mode: EncryptionMode | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

const RULE = 'encryption-mode';
const REAL_AES_BITS = [128, 192, 256];

const note = (code: string, severity: Diagnostic['severity'], message: string, place: Point): Diagnostic =>
  diagnostic({ code, severity, message, place, ruleId: RULE, source: 'maml' });

export function resolveEncryptionMode(value: unknown, place: Point = START): EncryptionModeResult {
  // The object form (`encryption: { mode: pq }` or `{ algorithm: "aes-256" }`) names the same thing one level down.
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    const inner = o['mode'] ?? o['algorithm'] ?? o['cipher'];
    if (inner !== undefined) return resolveEncryptionMode(inner, place);
  }
  if (typeof value !== 'string' || value.trim() === '') {
    return {
      mode: undefined,
      diagnostics: [
        note(
          'encryption_value_invalid',
          'error',
          'encryption must be a text value such as "aes-256" or "pq" (or an object with a `mode`)',
          place,
        ),
      ],
    };
  }
  const text = value.trim().toLowerCase();
  const diagnostics: Diagnostic[] = [];
  if (/dilithium|ml-?dsa/.test(text))
    diagnostics.push(
      note(
        'signature_is_not_encryption',
        'info',
        'CRYSTALS-Dilithium (standardised as ML-DSA, FIPS 204) is a signature scheme, not encryption; execution tickets are signed with ML-DSA regardless of this field',
        place,
      ),
    );
  if (/\b(pq|post-?quantum|ml-?kem-?1024|kyber-?1024|kem-pq)\b/.test(text)) return { mode: 'pq', diagnostics };
  if (/\b(standard|hybrid|ml-?kem-?768|kyber-?768|kem-standard)\b/.test(text)) return { mode: 'standard', diagnostics };
  if (/aes/.test(text)) {
    const size = /(\d+)/.exec(text)?.[1];
    const bits = size === undefined ? 256 : Number(size);
    if (REAL_AES_BITS.includes(bits)) {
      if (bits !== 256)
        diagnostics.push(
          note(
            'aes_key_size_raised',
            'info',
            `AES-${bits} requested; documents are always encrypted with AES-256`,
            place,
          ),
        );
      return { mode: 'standard', diagnostics };
    }
    diagnostics.push(
      note(
        'aes_key_size_impossible',
        'warning',
        `"${value.trim()}" names a ${bits}-bit AES key, but AES has only 128-, 192- and 256-bit keys; it is read as the strongest mode, "pq" (AES-256-GCM with keys exchanged by X25519 + ML-KEM-1024): write \`encryption: pq\` to say so`,
        place,
      ),
    );
    return { mode: 'pq', diagnostics };
  }
  diagnostics.push(
    note(
      'encryption_value_unknown',
      'error',
      `unknown encryption "${value.trim()}"; write "aes-256" (standard: X25519 + ML-KEM-768) or "pq" (X25519 + ML-KEM-1024)`,
      place,
    ),
  );
  return { mode: undefined, diagnostics };
}
