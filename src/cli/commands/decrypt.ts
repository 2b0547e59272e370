/** `maml decrypt`: decrypts a document encrypted with `maml encrypt` using this keyring's private keys. */
import { resolve } from 'node:path';
import type { Command } from '../command.js';
import { decryptBody, envelopeRecipients, parseEnvelope, utf8Decode } from '../../crypto/index.js';
import { readPassphrase, writeFileAtomic } from '../../keyring/index.js';
import { MamlError } from '../../shared/index.js';
import { splitFrontMatter } from '../interim-maml.js';
import { readText } from '../read-text.js';
import { keyringFrom } from './keys.js';

const HELP = `Usage: maml decrypt FILE [-o OUT] [--force]

Decrypts a document written by \`maml encrypt\` with a matching private key from the keyring. Nothing is written
unless the whole body and its front matter authenticate.

Options:
  -o, --output OUT        output file, or - for standard output (default: FILE without its .enc suffix)
  --force                 replace OUT if it exists
  --keyring DIR           keyring directory (default: $MAML_KEYRING or ~/.config/maml/keyring)
  --passphrase-file FILE  passphrase for protected private keys (default: $MAML_KEY_PASSPHRASE)
  -h, --help              show this help`;

export const decryptCommand: Command = {
  name: 'decrypt',
  summary: 'decrypt a document encrypted with `maml encrypt`',
  help: HELP,
  options: {
    output: { type: 'string', short: 'o' },
    force: { type: 'boolean' },
    keyring: { type: 'string' },
    'passphrase-file': { type: 'string' },
  },
  async run(ctx) {
    const [file, ...extra] = ctx.positionals;
    if (file === undefined || extra.length > 0) throw new MamlError('usage', 'give exactly one FILE to decrypt');
    let out = typeof ctx.values['output'] === 'string' ? ctx.values['output'] : undefined;
    if (out === undefined) {
      if (!file.endsWith('.enc'))
        throw new MamlError('usage', `${file} does not end in .enc; say where to write with -o OUT`);
      out = file.slice(0, -'.enc'.length);
    }
    const text = await readText(ctx.cwd, file);
    const { frontMatter, body } = splitFrontMatter(text);
    const parsed = parseEnvelope(body);
    if (!parsed.ok) throw new MamlError('crypto', `${file}: ${parsed.reason}`);
    const passphrase = await readPassphrase(
      typeof ctx.values['passphrase-file'] === 'string' ? ctx.values['passphrase-file'] : undefined,
      process.env,
      ctx.cwd,
    );
    const keyring = keyringFrom(ctx);
    const keys = await keyring.encryptionKeys(envelopeRecipients(body), passphrase);
    if (keys.length === 0)
      throw new MamlError(
        'crypto',
        `${file} is not encrypted to any private key in ${keyring.dir} (recipients: ${envelopeRecipients(body).join(', ')})`,
      );
    const result = decryptBody(body, frontMatter, keys);
    if (!result.ok) throw new MamlError('crypto', `${file}: ${result.reason}`);
    const plain = utf8Decode(result.body);
    if (plain === undefined) throw new MamlError('crypto', `${file}: decrypted body is not UTF-8 text`);
    if (out === '-') {
      ctx.out.stdout.write(frontMatter + plain);
      return 0;
    }
    await writeFileAtomic(resolve(ctx.cwd, out), frontMatter + plain, { overwrite: ctx.values['force'] === true });
    ctx.out.error(`decrypted ${file} → ${out}`);
    return 0;
  },
};
