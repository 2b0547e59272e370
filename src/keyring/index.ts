/** Public exports of the keyring area (Node only): keys on disk, atomic writes, passphrase input. */
export { resolveKeyringDir } from './keyring-dir.js';
export { writeFileAtomic } from './atomic-file.js';
export type { AtomicWriteOptions } from './atomic-file.js';
export { readPassphrase } from './passphrase.js';
export { Keyring } from './keyring.js';
export type { GenerateResult, KeyEntry, KeyringOptions } from './keyring.js';
export { KEY_NAME, parsePublicRecord } from './key-records.js';
export type { PublicKeyRecord, SecretKeyRecord } from './key-records.js';
export { FileLogStore } from './file-log-store.js';
