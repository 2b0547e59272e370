/**
 * A keyring directory: one `<name>.pub.json` per known public key (own or imported, with a trust flag) and one
 * `<name>.key.json` per own private key. Writes are atomic and never replace an existing name unless `force`.
 */
import { mkdir, readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DEFAULT_SCRYPT,
  expandSeed,
  fromBase64,
  isSigningAlg,
  newSeed,
  openSecret,
  publicKeyId,
  sealSecret,
  toBase64,
  wipe,
  type ExpandedKey,
  type Ed25519KeyPair,
  type HybridKeyPair,
  type KeyAlg,
  type KeyLookup,
  type KnownKey,
  type MlDsaKeyPair,
  type ScryptParams,
} from '../crypto/index.js';
import { MamlError } from '../shared/index.js';
import { writeFileAtomic } from './atomic-file.js';
import {
  KEY_NAME,
  checkSeed,
  decodePublicKey,
  parsePublicRecord,
  seedAad,
  type PublicKeyRecord,
  type SecretKeyRecord,
} from './key-records.js';

export interface KeyEntry {
  readonly name: string;
  readonly alg: KeyAlg;
  readonly keyId: string;
  readonly trusted: boolean;
  readonly source: 'generated' | 'imported';
  readonly hasSecret: boolean;
  readonly created: string;
}

export interface KeyringOptions {
  /** scrypt cost for newly sealed keys (tests lower it). */
  readonly scrypt?: ScryptParams;
}

export interface GenerateResult {
  readonly entry: KeyEntry;
  readonly warnings: readonly string[];
}

export class Keyring {
  constructor(
    readonly dir: string,
    private readonly options: KeyringOptions = {},
  ) {}

  private pubPath(name: string): string {
    return join(this.dir, `${name}.pub.json`);
  }

  private keyPath(name: string): string {
    return join(this.dir, `${name}.key.json`);
  }

  private async ensureDir(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
  }

  private async readJson(path: string): Promise<unknown> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new MamlError('io', `cannot read ${path}: ${(error as Error).message}`);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new MamlError('crypto', `${path} is not valid JSON`);
    }
  }

  /** Every public record in the keyring, sorted by name. Broken files are reported, not skipped silently. */
  async records(): Promise<PublicKeyRecord[]> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((n) => n.endsWith('.pub.json')).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new MamlError('io', `cannot read keyring ${this.dir}: ${(error as Error).message}`);
    }
    const out: PublicKeyRecord[] = [];
    for (const file of names) {
      const parsed = parsePublicRecord(await this.readJson(join(this.dir, file)));
      if (typeof parsed === 'string') throw new MamlError('crypto', `keyring file ${file}: ${parsed}`);
      out.push(parsed);
    }
    return out.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  }

  async list(): Promise<KeyEntry[]> {
    const records = await this.records();
    return Promise.all(records.map(async (r) => this.entryOf(r)));
  }

  private async entryOf(r: PublicKeyRecord): Promise<KeyEntry> {
    const hasSecret = await stat(this.keyPath(r.name)).then(
      () => true,
      () => false,
    );
    return {
      name: r.name,
      alg: r.alg,
      keyId: r.keyId,
      trusted: r.trusted === true,
      source: r.source ?? 'imported',
      hasSecret,
      created: r.created,
    };
  }

  /** Finds a record by name or key id. */
  async find(nameOrId: string): Promise<PublicKeyRecord | undefined> {
    return (await this.records()).find((r) => r.name === nameOrId || r.keyId === nameOrId);
  }

  private checkName(name: string): void {
    if (!KEY_NAME.test(name))
      throw new MamlError('usage', `invalid key name ${JSON.stringify(name)}: use letters, digits, ".", "_" or "-"`);
  }

  private async checkFree(name: string, force: boolean): Promise<void> {
    if (force) return;
    for (const path of [this.pubPath(name), this.keyPath(name)]) {
      const exists = await stat(path).then(
        () => true,
        () => false,
      );
      if (exists)
        throw new MamlError(
          'conflict',
          `a key named "${name}" already exists in ${this.dir}; pass --force to replace it`,
        );
    }
  }

  async generate(
    name: string,
    alg: KeyAlg,
    opts: { passphrase?: string; force?: boolean } = {},
  ): Promise<GenerateResult> {
    this.checkName(name);
    const force = opts.force === true;
    await this.ensureDir();
    await this.checkFree(name, force);
    const seed = newSeed(alg);
    const key = expandSeed(alg, seed);
    const warnings: string[] = [];
    const base = { v: 1 as const, name, alg, keyId: key.keyId };
    let secret: SecretKeyRecord;
    if (opts.passphrase !== undefined) {
      secret = {
        ...base,
        type: 'maml-secret-key',
        seed: await sealSecret(seed, opts.passphrase, seedAad(base), this.options.scrypt ?? DEFAULT_SCRYPT),
      };
    } else {
      secret = { ...base, type: 'maml-secret-key', seed: { enc: 'none', data: toBase64(seed) } };
      warnings.push(
        `private key "${name}" is stored unencrypted (file mode 0600); set MAML_KEY_PASSPHRASE or use --passphrase-file to encrypt it`,
      );
    }
    wipe(seed);
    const created = new Date().toISOString();
    const pub: PublicKeyRecord = {
      ...base,
      type: 'maml-public-key',
      publicKey: toBase64(publicOf(key)),
      created,
      trusted: true,
      source: 'generated',
    };
    await writeFileAtomic(this.keyPath(name), `${JSON.stringify(secret, null, 2)}\n`, {
      mode: 0o600,
      overwrite: force,
    });
    await writeFileAtomic(this.pubPath(name), `${JSON.stringify(pub, null, 2)}\n`, { mode: 0o644, overwrite: force });
    return { entry: await this.entryOf(pub), warnings };
  }

  /** The shareable public record of a key (no local trust fields). */
  async exportPublic(nameOrId: string): Promise<PublicKeyRecord> {
    const r = await this.find(nameOrId);
    if (!r) throw new MamlError('not_found', `no key "${nameOrId}" in ${this.dir}; see \`maml keys list\``);
    return {
      v: 1,
      type: 'maml-public-key',
      name: r.name,
      alg: r.alg,
      keyId: r.keyId,
      publicKey: r.publicKey,
      created: r.created,
    };
  }

  /** Adds someone else's public key; trusted unless `trusted: false`. */
  async importPublic(
    value: unknown,
    opts: { name?: string; trusted?: boolean; force?: boolean } = {},
  ): Promise<KeyEntry> {
    const parsed = parsePublicRecord(value);
    if (typeof parsed === 'string') throw new MamlError('crypto', `cannot import public key: ${parsed}`);
    const name = opts.name ?? parsed.name;
    this.checkName(name);
    const force = opts.force === true;
    await this.ensureDir();
    const existing = (await this.records()).find((r) => r.keyId === parsed.keyId && r.name !== name);
    if (existing && !force) throw new MamlError('conflict', `this key is already in the keyring as "${existing.name}"`);
    await this.checkFree(name, force);
    const record: PublicKeyRecord = {
      v: 1,
      type: 'maml-public-key',
      name,
      alg: parsed.alg,
      keyId: parsed.keyId,
      publicKey: parsed.publicKey,
      created: parsed.created,
      trusted: opts.trusted !== false,
      source: 'imported',
    };
    await writeFileAtomic(this.pubPath(name), `${JSON.stringify(record, null, 2)}\n`, {
      mode: 0o644,
      overwrite: force,
    });
    return this.entryOf(record);
  }

  /** Marks a known key as trusted or not (its tickets fail with `untrusted_key` when not). */
  async setTrust(nameOrId: string, trusted: boolean): Promise<KeyEntry> {
    const r = await this.find(nameOrId);
    if (!r) throw new MamlError('not_found', `no key "${nameOrId}" in ${this.dir}; see \`maml keys list\``);
    const record: PublicKeyRecord = { ...r, trusted };
    await writeFileAtomic(this.pubPath(r.name), `${JSON.stringify(record, null, 2)}\n`, {
      mode: 0o644,
      overwrite: true,
    });
    return this.entryOf(record);
  }

  /** Ticket-verification view: signing keys by id, with their trust flag. */
  async keyLookup(): Promise<KeyLookup> {
    const map = new Map<string, KnownKey>();
    for (const r of await this.records()) {
      if (!isSigningAlg(r.alg)) continue;
      map.set(r.keyId, { alg: r.alg, publicKey: decodePublicKey(r), trusted: r.trusted === true });
    }
    return (id) => map.get(id);
  }

  private async loadSecret(r: PublicKeyRecord, passphrase: string | undefined): Promise<ExpandedKey> {
    const raw = await this.readJson(this.keyPath(r.name));
    if (raw === undefined) throw new MamlError('not_found', `key "${r.name}" has no private key in ${this.dir}`);
    const rec = raw as SecretKeyRecord;
    if (rec.type !== 'maml-secret-key' || rec.alg !== r.alg || rec.keyId !== r.keyId)
      throw new MamlError('crypto', `private key file for "${r.name}" does not match its public key`);
    let seed: Uint8Array | undefined;
    if (rec.seed.enc === 'none') {
      // Like ssh, refuse an unencrypted private key that others can read.
      const mode = (await stat(this.keyPath(r.name))).mode & 0o777;
      if ((mode & 0o077) !== 0)
        throw new MamlError(
          'permission_denied',
          `private key ${this.keyPath(r.name)} is unencrypted and readable by others (mode ${mode.toString(8)}); run chmod 600 on it`,
        );
      seed = fromBase64(rec.seed.data);
    } else if (rec.seed.enc === 'scrypt-aes-256-gcm') {
      if (passphrase === undefined)
        throw new MamlError(
          'crypto',
          `key "${r.name}" is passphrase-protected: set MAML_KEY_PASSPHRASE or pass --passphrase-file`,
        );
      seed = await openSecret(rec.seed, passphrase, seedAad(rec));
      if (!seed) throw new MamlError('crypto', `wrong passphrase for key "${r.name}" (or its file was altered)`);
    }
    if (!seed || !checkSeed(rec.alg, rec.keyId, seed))
      throw new MamlError('crypto', `private key of "${r.name}" is damaged (its seed does not give key ${rec.keyId})`);
    const key = expandSeed(rec.alg, seed);
    wipe(seed);
    return key;
  }

  /** An own signing key, by name or id (default: the first own ML-DSA key). */
  async signingKey(nameOrId: string | undefined, passphrase?: string): Promise<MlDsaKeyPair & { keyId: string }> {
    const own = (await this.list()).filter((e) => e.hasSecret && isSigningAlg(e.alg));
    const pick = nameOrId === undefined ? own[0] : own.find((e) => e.name === nameOrId || e.keyId === nameOrId);
    if (!pick)
      throw new MamlError(
        'not_found',
        `no signing key ${nameOrId ? `"${nameOrId}" ` : ''}with a private key; run \`maml keys generate\``,
      );
    const r = (await this.find(pick.name)) as PublicKeyRecord;
    const key = await this.loadSecret(r, passphrase);
    if (key.kind !== 'signing') throw new MamlError('crypto', `key "${r.name}" is not a signing key`);
    return { ...key.pair, keyId: key.keyId };
  }

  /** An own Ed25519 key for signing checkpoint notes, by name or id. */
  async noteKey(nameOrId: string, passphrase?: string): Promise<Ed25519KeyPair & { keyId: string }> {
    const r = await this.find(nameOrId);
    if (!r || !(await this.entryOf(r)).hasSecret)
      throw new MamlError(
        'not_found',
        `no Ed25519 key "${nameOrId}" with a private key; run \`maml keys generate --alg ed25519\``,
      );
    const key = await this.loadSecret(r, passphrase);
    if (key.kind !== 'note') throw new MamlError('crypto', `key "${r.name}" is not an Ed25519 key`);
    return { ...key.pair, keyId: key.keyId };
  }

  /** Every own encryption key whose id is in `keyIds`, opened (used to decrypt). */
  async encryptionKeys(keyIds: readonly string[], passphrase?: string): Promise<(HybridKeyPair & { keyId: string })[]> {
    const out: (HybridKeyPair & { keyId: string })[] = [];
    for (const r of await this.records()) {
      if (isSigningAlg(r.alg) || !keyIds.includes(r.keyId)) continue;
      if (!(await this.entryOf(r)).hasSecret) continue;
      const key = await this.loadSecret(r, passphrase);
      if (key.kind === 'encryption') out.push({ ...key.pair, keyId: key.keyId });
    }
    return out;
  }
}

function publicOf(key: ExpandedKey): Uint8Array {
  const pk = key.pair.publicKey;
  if (publicKeyId(pk) !== key.keyId) throw new MamlError('internal', 'key id mismatch after generation');
  return pk;
}
