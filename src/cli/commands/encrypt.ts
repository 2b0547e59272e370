/** `maml encrypt`: encrypts a document's body to one or more keyring recipients, front matter kept in clear and bound. */
import { resolve } from 'node:path';
import type { Command } from '../command.js';
import {
  ENVELOPE_MODES,
  MODE_SUITE,
  encryptBody,
  fromBase64,
  isEncryptionAlg,
  utf8ToBytes,
  type EnvelopeMode,
  type EnvelopeRecipient,
} from '../../crypto/index.js';
import { resolveEncryptionMode } from '../../format/index.js';
import { writeFileAtomic } from '../../keyring/index.js';
import { MamlError } from '../../shared/index.js';
import { readDocumentView } from '../document-view.js';
import { loadProjectConfig, reportConfigWarnings } from '../project-config.js';
import { readText } from '../read-text.js';
import { keyringFrom } from './keys.js';

/** The `maml keys generate --alg` value that makes a key for each mode. */
const KEY_ALG: Readonly<Record<EnvelopeMode, string>> = { standard: 'kem-standard', pq: 'kem-pq' };

const HELP = `Usage: maml encrypt FILE --to RECIPIENT [--to RECIPIENT …] [--mode standard|pq] [-o OUT] [--force]

Encrypts the document body with AES-256-GCM under a fresh key, wrapped for each recipient with a hybrid
X25519 + ML-KEM key exchange. The front matter stays readable and is authenticated: changing it makes decryption
fail. Format: docs/encryption-format.md.

Options:
  --to RECIPIENT   name or key id of an encryption key in the keyring (repeatable); make one with
                   \`maml keys generate --alg kem-standard|kem-pq --name NAME\`, import others' public keys
                   with \`maml keys import\`
  --mode MODE      standard (X25519 + ML-KEM-768) or pq (X25519 + ML-KEM-1024); default: the front matter's
                   \`encryption:\` value, else \`encryption.type\` in .maml.yaml, else the recipients' key type
                   (sizes AES does not have, such as aes-512, mean pq, with a warning). pq needs kem-pq keys,
                   standard kem-standard keys
  -o, --output OUT output file (default: FILE.enc)
  --force          replace OUT if it exists
  --keyring DIR    keyring directory (default: $MAML_KEYRING or ~/.config/maml/keyring)
  -h, --help       show this help`;

export const encryptCommand: Command = {
  name: 'encrypt',
  summary: 'encrypt a document body to keyring recipients (X25519 + ML-KEM, AES-256-GCM)',
  help: HELP,
  options: {
    to: { type: 'string', multiple: true },
    mode: { type: 'string' },
    output: { type: 'string', short: 'o' },
    force: { type: 'boolean' },
    keyring: { type: 'string' },
  },
  async run(ctx) {
    const [file, ...extra] = ctx.positionals;
    if (file === undefined || extra.length > 0) throw new MamlError('usage', 'give exactly one FILE to encrypt');
    const to = (ctx.values['to'] as string[] | undefined) ?? [];
    if (to.length === 0) throw new MamlError('usage', 'name at least one recipient with --to (see `maml keys list`)');
    const modeFlag = ctx.values['mode'];
    if (modeFlag !== undefined && !(ENVELOPE_MODES as readonly unknown[]).includes(modeFlag))
      throw new MamlError('usage', `--mode must be standard or pq, not ${String(modeFlag)}`);

    const text = await readText(ctx.cwd, file);
    const doc = readDocumentView(text);
    const keyring = keyringFrom(ctx);
    const recipients: EnvelopeRecipient[] = [];
    for (const name of to) {
      const r = await keyring.find(name);
      if (!r)
        throw new MamlError(
          'not_found',
          `no key "${name}" in ${keyring.dir}; import the recipient's public key with \`maml keys import FILE\`, or make one with \`maml keys generate --alg kem-standard --name ${name}\``,
        );
      if (!isEncryptionAlg(r.alg))
        throw new MamlError(
          'usage',
          `key "${name}" is a ${r.alg} signing key, not an encryption key; make one with \`maml keys generate --alg kem-standard --name NAME\` (or --alg kem-pq)`,
        );
      recipients.push({ keyId: r.keyId, suite: r.alg, publicKey: fromBase64(r.publicKey) as Uint8Array });
    }

    let mode = modeFlag as EnvelopeMode | undefined;
    // Where the mode came from, for the message when the keys do not fit it.
    let why = mode === undefined ? '' : ' (--mode)';
    if (mode === undefined && doc.fields['encryption'] !== undefined) {
      const place = doc.fieldPlaces.get('encryption');
      const resolved = resolveEncryptionMode(doc.fields['encryption'], place);
      for (const d of resolved.diagnostics)
        ctx.out.error(`${file}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`);
      mode = resolved.mode;
      if (mode !== undefined) why = ` (the front matter's \`encryption: ${String(doc.fields['encryption'])}\`)`;
    }
    if (mode === undefined) {
      // The project's default (`encryption.type` in .maml.yaml), mapped and warned about as the front matter is.
      const config = loadProjectConfig(ctx.cwd);
      reportConfigWarnings(config, (text) => ctx.out.error(text));
      if (config.encryption !== undefined && config.path !== undefined) {
        const resolved = resolveEncryptionMode(config.encryption);
        for (const d of resolved.diagnostics)
          ctx.out.error(
            `${config.path}: ${d.severity === 'error' ? 'warning' : d.severity} ${d.code} ${d.message}${resolved.mode === undefined ? ' (ignored)' : ''}`,
          );
        mode = resolved.mode;
      }
    }
    mode ??= recipients.every((r) => r.suite === MODE_SUITE.pq) ? 'pq' : 'standard';
    const mismatch = recipients.find((r) => r.suite !== MODE_SUITE[mode]);
    if (mismatch) {
      const other: EnvelopeMode = mode === 'pq' ? 'standard' : 'pq';
      throw new MamlError(
        'usage',
        `recipient key ${mismatch.keyId} is ${mismatch.suite}, but mode ${mode}${why} needs ${MODE_SUITE[mode]} keys. ` +
          `Generate one with \`maml keys generate --alg ${KEY_ALG[mode]} --name NAME\` (the recipient runs it and sends you \`maml keys export-public NAME\`, which you \`maml keys import\`), ` +
          `or encrypt in the recipients' mode with \`--mode ${other}\`${other === 'standard' ? ' (X25519 + ML-KEM-768, AES-256-GCM)' : ''}.`,
      );
    }

    let armored: string;
    try {
      armored = encryptBody(utf8ToBytes(doc.body), doc.frontMatter, recipients, mode);
    } catch (error) {
      throw new MamlError('crypto', `cannot encrypt: ${(error as Error).message}`);
    }
    const out = typeof ctx.values['output'] === 'string' ? ctx.values['output'] : `${file}.enc`;
    await writeFileAtomic(resolve(ctx.cwd, out), doc.frontMatter + armored, {
      overwrite: ctx.values['force'] === true,
    });
    ctx.out.error(
      `encrypted ${file} → ${out} (${mode}, ${recipients.length} recipient${recipients.length === 1 ? '' : 's'})`,
    );
    return 0;
  },
};
