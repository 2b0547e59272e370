/**
 * Signing keys for execution tickets, one per head (`head-quantum-1`, `head-ai-2`, …), kept in the keyring. A head
 * without a key gets one generated on first use (ML-DSA-65, sealed when MAML_KEY_PASSPHRASE is set), trusted
 * locally so that `maml verify` accepts the tickets it signed. Blocks that run outside a head (SQL, cache) sign
 * with `head-scheduler`.
 */
import type { TicketSigner } from '../crypto/index.js';
import { Keyring } from '../keyring/index.js';
import type { SignerSource } from '../runtime/index.js';
import type { Output } from './output.js';

export function headKeyName(headId: string): string {
  const clean = headId.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return `head-${clean || 'scheduler'}`.slice(0, 64);
}

export function headSigners(keyringDir: string, passphrase: string | undefined, out: Output): SignerSource {
  const keyring = new Keyring(keyringDir);
  const cache = new Map<string, Promise<TicketSigner>>();
  const load = async (name: string): Promise<TicketSigner> => {
    if (!(await keyring.find(name))) {
      const generated = await keyring.generate(name, 'ml-dsa-65', passphrase === undefined ? {} : { passphrase });
      out.error(`generated ticket signing key ${name} (${generated.entry.keyId}) in ${keyringDir}`);
    }
    const key = await keyring.signingKey(name, passphrase);
    return { alg: key.alg, secretKey: key.secretKey, publicKey: key.publicKey };
  };
  return (headId) => {
    const name = headKeyName(headId === 'unknown' ? 'scheduler' : headId);
    let signer = cache.get(name);
    if (!signer) {
      signer = load(name);
      cache.set(name, signer);
    }
    return signer;
  };
}
