/**
 * Signing keys for execution tickets, one per head (`head-quantum-1`, `head-ai-2`, …), kept in the keyring. A head
 * without a key gets one generated on first use (ML-DSA-65, sealed when a passphrase is given), trusted locally so
 * that `maml verify` accepts the tickets it signed. Blocks that run outside a head (SQL, cache) sign with
 * `head-scheduler`. `maml run` and `maml serve` both sign this way, so their tickets verify against the same keys.
 */
import { mlDsaKeygen, type TicketSigner } from '../../crypto/index.js';
import { Keyring } from '../../keyring/index.js';
import { MamlError } from '../../shared/index.js';
import type { SignerSource } from './ticket-issuer.js';

/** Told about each key created on first use (the CLI prints it). */
export type KeyCreated = (name: string, keyId: string, dir: string, warnings: readonly string[]) => void;

export function headKeyName(headId: string): string {
  const clean = headId.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return `head-${clean || 'scheduler'}`.slice(0, 64);
}

/** One signer per key name, made once: concurrent blocks on one head share the same pending load. */
function perHead(load: (name: string) => Promise<TicketSigner>): SignerSource {
  const cache = new Map<string, Promise<TicketSigner>>();
  return (headId) => {
    const name = headKeyName(headId === 'unknown' ? 'scheduler' : headId);
    let signer = cache.get(name);
    if (!signer) {
      signer = load(name);
      cache.set(name, signer);
      // A failed load (wrong passphrase, unreadable keyring) is retried by the next block, not cached.
      signer.catch(() => cache.delete(name));
    }
    return signer;
  };
}

/** Creates the named key in the keyring unless it exists (another process may create it at the same moment). */
export async function ensureKey(
  keyring: Keyring,
  name: string,
  alg: 'ml-dsa-65' | 'ed25519',
  passphrase: string | undefined,
  onCreated?: KeyCreated,
): Promise<void> {
  if (await keyring.find(name)) return;
  try {
    const made = await keyring.generate(name, alg, passphrase === undefined ? {} : { passphrase });
    onCreated?.(name, made.entry.keyId, keyring.dir, made.warnings);
  } catch (error) {
    if (!(error instanceof MamlError && error.code === 'conflict')) throw error;
  }
}

/** Per-head signers from the keyring in `keyringDir`. */
export function headSigners(keyringDir: string, passphrase: string | undefined, onCreated?: KeyCreated): SignerSource {
  const keyring = new Keyring(keyringDir);
  return perHead(async (name) => {
    await ensureKey(keyring, name, 'ml-dsa-65', passphrase, onCreated);
    const key = await keyring.signingKey(name, passphrase);
    return { alg: key.alg, secretKey: key.secretKey, publicKey: key.publicKey };
  });
}

/** Per-head signers whose keys live only in this process (no keyring: tests and in-memory gateways). */
export function ephemeralHeadSigners(): SignerSource {
  return perHead(() => Promise.resolve({ ...mlDsaKeygen('ml-dsa-65'), alg: 'ml-dsa-65' }));
}
