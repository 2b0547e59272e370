/**
 * The keys that sign audit-log checkpoints (C2SP signed notes): the keyring's ML-DSA key `audit-log` and Ed25519
 * key `audit-log-ed25519` (so verifiers that only know Ed25519 can check them too), created on first use. `maml
 * audit checkpoint` and `maml serve` sign with the same two keys, so a checkpoint from either verifies with one
 * pair of verifier keys, across restarts.
 */
import {
  ED25519_NOTE_TYPE,
  ed25519Keygen,
  ed25519NoteSigner,
  mlDsaKeygen,
  mlDsaNoteSigner,
  mlDsaNoteType,
  verifierKey,
  type NoteSigner,
} from '../../crypto/index.js';
import { Keyring } from '../../keyring/index.js';
import { ensureKey, type KeyCreated } from './head-signers.js';

export const CHECKPOINT_KEY = 'audit-log';
export const CHECKPOINT_ED25519_KEY = 'audit-log-ed25519';

export interface CheckpointKeys {
  /** ML-DSA first, then Ed25519. */
  readonly signers: readonly NoteSigner[];
  /** Verifier key (vkey) of the ML-DSA key. */
  readonly verifierKey: string;
  readonly ed25519VerifierKey: string;
}

export interface CheckpointKeyNames {
  readonly mlDsa?: string;
  readonly ed25519?: string;
}

/** The checkpoint keys from the keyring in `keyringDir`, created there when missing. */
export async function checkpointKeys(
  keyringDir: string,
  passphrase: string | undefined,
  names: CheckpointKeyNames = {},
  onCreated?: KeyCreated,
): Promise<CheckpointKeys> {
  const keyring = new Keyring(keyringDir);
  const name = names.mlDsa ?? CHECKPOINT_KEY;
  const edName = names.ed25519 ?? CHECKPOINT_ED25519_KEY;
  await ensureKey(keyring, name, 'ml-dsa-65', passphrase, onCreated);
  await ensureKey(keyring, edName, 'ed25519', passphrase, onCreated);
  const key = await keyring.signingKey(name, passphrase);
  const ed = await keyring.noteKey(edName, passphrase);
  return {
    signers: [
      mlDsaNoteSigner(name, key.alg, key.secretKey, key.publicKey),
      ed25519NoteSigner(edName, ed.secretKey, ed.publicKey),
    ],
    verifierKey: verifierKey(name, mlDsaNoteType(key.alg), key.publicKey),
    ed25519VerifierKey: verifierKey(edName, ED25519_NOTE_TYPE, ed.publicKey),
  };
}

/** Checkpoint keys that live only in this process (no keyring). */
export function ephemeralCheckpointKeys(): CheckpointKeys {
  const key = mlDsaKeygen('ml-dsa-65');
  const ed = ed25519Keygen();
  return {
    signers: [
      mlDsaNoteSigner(CHECKPOINT_KEY, 'ml-dsa-65', key.secretKey, key.publicKey),
      ed25519NoteSigner(CHECKPOINT_ED25519_KEY, ed.secretKey, ed.publicKey),
    ],
    verifierKey: verifierKey(CHECKPOINT_KEY, mlDsaNoteType('ml-dsa-65'), key.publicKey),
    ed25519VerifierKey: verifierKey(CHECKPOINT_ED25519_KEY, ED25519_NOTE_TYPE, ed.publicKey),
  };
}
