/** `maml keys`: generate, list, export and import keys in the keyring (signing: ML-DSA; encryption: X25519 + ML-KEM). */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command, CommandContext } from '../command.js';
import { KEY_ALG_ALIASES, isSigningAlg, resolveKeyAlg } from '../../crypto/index.js';
import { Keyring, readPassphrase, resolveKeyringDir } from '../../keyring/index.js';
import { MamlError } from '../../shared/index.js';

const HELP = `Usage:
  maml keys generate [--name N] [--alg ALG] [--force]
  maml keys list [--json]
  maml keys export-public NAME|KEYID
  maml keys import FILE [--name N] [--untrusted] [--force]
  maml keys trust NAME|KEYID
  maml keys untrust NAME|KEYID

Manage the keyring: ML-DSA (FIPS 204) keys that sign execution tickets, and hybrid X25519 + ML-KEM (FIPS 203)
keys that documents are encrypted to.

Options:
  --alg ALG               ml-dsa-65 (default), ml-dsa-87, kem-standard (X25519 + ML-KEM-768),
                          kem-pq (X25519 + ML-KEM-1024) or ed25519 (signs audit-log checkpoints only)
  --name N                key name (default: "default" for signing keys, "default-kem" for encryption keys;
                          for import: the name in the file)
  --force                 replace an existing key of the same name
  --untrusted             import a public key as known but not trusted (its tickets fail verification)
  --json                  list as JSON
  --keyring DIR           keyring directory (default: $MAML_KEYRING, else $XDG_CONFIG_HOME/maml/keyring,
                          else ~/.config/maml/keyring)
  --passphrase-file FILE  encrypt new private keys with the passphrase on the first line of FILE
                          (default: $MAML_KEY_PASSPHRASE; without either, keys are stored unencrypted, mode 0600)
  -h, --help              show this help`;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function keyringFrom(ctx: CommandContext): Keyring {
  return new Keyring(resolveKeyringDir(str(ctx.values['keyring']), process.env, ctx.cwd));
}

async function generate(ctx: CommandContext): Promise<number> {
  const algName = str(ctx.values['alg']) ?? 'ml-dsa-65';
  const alg = resolveKeyAlg(algName);
  if (!alg) {
    const known = ['ml-dsa-65', 'ml-dsa-87', ...Object.keys(KEY_ALG_ALIASES)].join(', ');
    throw new MamlError('usage', `unknown --alg ${algName}; use one of ${known}`);
  }
  const name = str(ctx.values['name']) ?? (isSigningAlg(alg) ? 'default' : 'default-kem');
  const passphrase = await readPassphrase(str(ctx.values['passphrase-file']), process.env, ctx.cwd);
  const keyring = keyringFrom(ctx);
  const opts =
    passphrase === undefined
      ? { force: ctx.values['force'] === true }
      : { passphrase, force: ctx.values['force'] === true };
  const { entry, warnings } = await keyring.generate(name, alg, opts);
  for (const w of warnings) ctx.out.error(`warning: ${w}`);
  ctx.out.print(`generated ${entry.alg} key "${entry.name}" (id ${entry.keyId}) in ${keyring.dir}`);
  return 0;
}

async function list(ctx: CommandContext): Promise<number> {
  const keyring = keyringFrom(ctx);
  const entries = await keyring.list();
  if (ctx.values['json'] === true) {
    ctx.out.print(JSON.stringify(entries, null, 2));
    return 0;
  }
  if (entries.length === 0) {
    ctx.out.print(`no keys in ${keyring.dir}; create one with \`maml keys generate\``);
    return 0;
  }
  for (const e of entries) {
    const flags = [e.hasSecret ? 'private' : 'public only', e.trusted ? 'trusted' : 'untrusted', e.source].join(', ');
    ctx.out.print(`${e.name.padEnd(20)} ${e.alg.padEnd(19)} ${e.keyId}  (${flags})`);
  }
  return 0;
}

async function exportPublic(ctx: CommandContext, target: string | undefined): Promise<number> {
  if (target === undefined) throw new MamlError('usage', 'name the key to export: `maml keys export-public NAME`');
  ctx.out.print(JSON.stringify(await keyringFrom(ctx).exportPublic(target), null, 2));
  return 0;
}

async function importKey(ctx: CommandContext, file: string | undefined): Promise<number> {
  if (file === undefined) throw new MamlError('usage', 'give the public key file: `maml keys import FILE`');
  let value: unknown;
  try {
    value = JSON.parse(await readFile(resolve(ctx.cwd, file), 'utf8')) as unknown;
  } catch (error) {
    throw new MamlError('io', `cannot read public key ${file}: ${(error as Error).message}`);
  }
  const name = str(ctx.values['name']);
  const entry = await keyringFrom(ctx).importPublic(value, {
    ...(name === undefined ? {} : { name }),
    trusted: ctx.values['untrusted'] !== true,
    force: ctx.values['force'] === true,
  });
  ctx.out.print(
    `imported ${entry.alg} key "${entry.name}" (id ${entry.keyId}), ${entry.trusted ? 'trusted' : 'not trusted'}`,
  );
  return 0;
}

export const keysCommand: Command = {
  name: 'keys',
  summary: 'generate, list, export and import signing and encryption keys',
  help: HELP,
  options: {
    name: { type: 'string' },
    alg: { type: 'string' },
    force: { type: 'boolean' },
    untrusted: { type: 'boolean' },
    json: { type: 'boolean' },
    keyring: { type: 'string' },
    'passphrase-file': { type: 'string' },
  },
  async run(ctx) {
    const [sub, arg, ...extra] = ctx.positionals;
    if (extra.length > 0) throw new MamlError('usage', `unexpected argument ${extra[0] ?? ''}`);
    switch (sub) {
      case 'generate':
        return generate(ctx);
      case 'list':
        return list(ctx);
      case 'export-public':
        return exportPublic(ctx, arg);
      case 'import':
        return importKey(ctx, arg);
      case 'trust':
      case 'untrust': {
        if (arg === undefined) throw new MamlError('usage', `name the key: \`maml keys ${sub} NAME\``);
        const entry = await keyringFrom(ctx).setTrust(arg, sub === 'trust');
        ctx.out.print(`key "${entry.name}" (id ${entry.keyId}) is now ${entry.trusted ? 'trusted' : 'not trusted'}`);
        return 0;
      }
      default:
        throw new MamlError(
          'usage',
          sub === undefined
            ? 'say what to do: generate, list, export-public, import, trust or untrust'
            : `unknown subcommand ${sub}`,
        );
    }
  },
};
