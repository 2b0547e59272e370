/**
 * The operator's worker-admission key (keyring key `worker-admission`, ML-DSA-65): `maml workers trust` signs
 * worker keys' endorsements with it, and a gateway checks them against its public half (worker-store.ts).
 */
import type { MlDsaAlg } from '../../crypto/index.js';
import { Keyring } from '../../keyring/index.js';
import { ensureKey, type KeyCreated } from '../tickets/head-signers.js';
import { ADMISSION_KEY } from './worker-store.js';

export interface AdmissionKey {
  readonly alg: MlDsaAlg;
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

/** The admission key from the keyring in `dir`, created on first use. */
export async function admissionKey(
  dir: string,
  passphrase: string | undefined,
  onCreated?: KeyCreated,
): Promise<AdmissionKey> {
  const keyring = new Keyring(dir);
  await ensureKey(keyring, ADMISSION_KEY, 'ml-dsa-65', passphrase, onCreated);
  const key = await keyring.signingKey(ADMISSION_KEY, passphrase);
  return { alg: key.alg, publicKey: key.publicKey, secretKey: key.secretKey };
}
