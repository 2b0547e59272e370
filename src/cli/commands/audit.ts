/**
 * `maml audit verify | prove | checkpoint`: the audit log in the run database, where every execution ticket is a
 * leaf of an RFC 9162 Merkle tree. `verify` recomputes everything, `prove` gives a ticket's inclusion proof and
 * checks it, `checkpoint` signs the current tree head as a C2SP signed note.
 */
import {
  auditVerify,
  bytesToHex,
  hashLeaf,
  historyEntry,
  parseExecuteText,
  parseHistoryTicket,
  parseVerifierKey,
  type LogRef,
  TransparencyLog,
  utf8ToBytes,
  verifyInclusion,
} from '../../crypto/index.js';
import { readPassphrase, resolveKeyringDir } from '../../keyring/index.js';
import {
  AUDIT_LOG_ORIGIN,
  CHECKPOINT_ED25519_KEY,
  CHECKPOINT_KEY,
  DatabaseLogStore,
  checkpointKeys,
} from '../../runtime/index.js';
import { MamlError } from '../../shared/index.js';
import type { Command, CommandContext } from '../command.js';
import { keyCreatedNotice } from '../key-notice.js';
import { flag, stringOption } from '../options.js';
import { readText } from '../read-text.js';
import { openRunDatabase } from '../run-database.js';

const HELP = `Usage:
  maml audit verify [--checkpoint FILE --log-key VKEY ...] [--json]
  maml audit prove <leaf-index | ticket | [TICKET] or [EXECUTE] history line> [--json]
  maml audit checkpoint [--key NAME] [--ed25519-key NAME] [--json]

The audit log holds every execution ticket and run record the gateway signed, as leaves of an
RFC 9162 Merkle tree in the run database (PostgreSQL with DATABASE_URL, else the embedded database
in the state directory).

  verify       rehash every entry, rebuild the tree and, with --checkpoint, check it against a
               signed checkpoint; exit 1 on any problem (edited entry or hash, truncation,
               bad signature)
  prove        the inclusion proof of one ticket or run record (by leaf index, signed object, or
               History line of either form), verified against the current tree head before it
               is printed
  checkpoint   sign the current tree head (C2SP tlog-checkpoint) with the keyring's ML-DSA key
               "${CHECKPOINT_KEY}" and Ed25519 key "${CHECKPOINT_ED25519_KEY}" (created on first use) and
               print the note and both verifier keys

Options:
  --checkpoint FILE    signed checkpoint the log must match (verify)
  --log-key VKEY       verifier key trusted to sign checkpoints (repeatable; verify)
  --key NAME           ML-DSA keyring key that signs checkpoints (default ${CHECKPOINT_KEY})
  --ed25519-key NAME   Ed25519 keyring key that co-signs them (default ${CHECKPOINT_ED25519_KEY})
  --keyring DIR        keyring directory (default $MAML_KEYRING or ~/.config/maml/keyring)
  --passphrase-file F  passphrase for a sealed key (default $MAML_KEY_PASSPHRASE)
  --state-dir DIR      where the embedded run database lives
  --json               print JSON`;

async function openLog(ctx: CommandContext): Promise<{ log: TransparencyLog; close: () => Promise<void> }> {
  const { db } = await openRunDatabase(ctx);
  const log = await TransparencyLog.open(new DatabaseLogStore(db), AUDIT_LOG_ORIGIN);
  return { log, close: () => db.close() };
}

async function verify(ctx: CommandContext): Promise<number> {
  const checkpointFile = stringOption(ctx, 'checkpoint');
  const vkeys = ((ctx.values['log-key'] as string[] | undefined) ?? []).map((v) => {
    const parsed = parseVerifierKey(v);
    if (!parsed) throw new MamlError('usage', `--log-key ${v} is not a verifier key (name+id+base64)`);
    return parsed;
  });
  if (checkpointFile !== undefined && vkeys.length === 0)
    throw new MamlError('usage', '--checkpoint needs at least one --log-key to check its signature');
  const { log, close } = await openLog(ctx);
  try {
    const checkpoint = checkpointFile === undefined ? undefined : await readText(ctx.cwd, checkpointFile);
    const result = await auditVerify(
      log.store,
      checkpoint === undefined ? {} : { checkpoint, verifiers: vkeys, origin: AUDIT_LOG_ORIGIN },
    );
    if (flag(ctx, 'json')) ctx.out.print(JSON.stringify(result, null, 2));
    else {
      for (const issue of result.issues) ctx.out.print(`audit log: error ${issue.code} ${issue.message}`);
      const line = `audit log: ${result.size} entries, ${result.ok ? 'verified' : `${result.issues.length} problem(s)`}`;
      ctx.out.print(result.ok ? ctx.out.paint('green', line) : ctx.out.paint('red', line));
    }
    return result.ok ? 0 : 1;
  } finally {
    await close();
  }
}

/** What a target names: a signed object, or a compact History line's log reference. */
function targetOf(target: string): { compact?: string | undefined; logRef?: LogRef | undefined } {
  const ticket = parseHistoryTicket(target);
  if (ticket) return ticket;
  const entry = historyEntry(target);
  if (entry?.action === 'EXECUTE') return parseExecuteText(entry.text);
  return { compact: target.trim() };
}

function leafIndexOf(log: TransparencyLog, target: string): number {
  if (/^\d+$/.test(target)) return Number(target);
  const { compact, logRef } = targetOf(target);
  if (logRef) {
    const stored = log.leafHash(logRef.logIndex);
    if (!stored || bytesToHex(stored) !== logRef.leafHash)
      throw new MamlError(
        'not_found',
        `audit log entry ${logRef.logIndex} is not the one this line names (leaf hash differs)`,
      );
    return logRef.logIndex;
  }
  if (compact === undefined || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(compact))
    throw new MamlError(
      'usage',
      'give a leaf index, a signed ticket or run record, or a [TICKET] or [EXECUTE] History line',
    );
  const index = log.indexOf(hashLeaf(utf8ToBytes(compact)));
  if (index === undefined) throw new MamlError('not_found', 'this ticket is not in the audit log');
  return index;
}

async function prove(ctx: CommandContext, target: string | undefined): Promise<number> {
  if (target === undefined) throw new MamlError('usage', 'give the ticket or leaf index to prove');
  const { log, close } = await openLog(ctx);
  try {
    const index = leafIndexOf(log, target);
    if (index >= log.size) throw new MamlError('not_found', `leaf ${index} does not exist (the log has ${log.size})`);
    const leafHash = log.leafHash(index) as Uint8Array;
    const proof = log.inclusionProof(index);
    const root = log.root();
    const ok = verifyInclusion(leafHash, index, log.size, proof, root);
    const json = {
      index,
      treeSize: log.size,
      leafHash: bytesToHex(leafHash),
      rootHash: bytesToHex(root),
      proof: proof.map(bytesToHex),
      verified: ok,
    };
    if (flag(ctx, 'json')) ctx.out.print(JSON.stringify(json, null, 2));
    else {
      ctx.out.print(`leaf ${index} of ${log.size}, root ${json.rootHash}`);
      json.proof.forEach((h, i) => ctx.out.print(`  ${i}: ${h}`));
      ctx.out.print(ok ? ctx.out.paint('green', 'inclusion proof verified') : ctx.out.paint('red', 'proof FAILED'));
    }
    return ok ? 0 : 1;
  } finally {
    await close();
  }
}

async function checkpoint(ctx: CommandContext): Promise<number> {
  const keys = await checkpointKeys(
    resolveKeyringDir(stringOption(ctx, 'keyring'), process.env, ctx.cwd),
    await readPassphrase(stringOption(ctx, 'passphrase-file'), process.env, ctx.cwd),
    {
      mlDsa: stringOption(ctx, 'key') ?? CHECKPOINT_KEY,
      ed25519: stringOption(ctx, 'ed25519-key') ?? CHECKPOINT_ED25519_KEY,
    },
    keyCreatedNotice(ctx.out, 'checkpoint key', { created: false, warnings: true }),
  );
  const { log, close } = await openLog(ctx);
  try {
    const note = log.checkpoint(keys.signers);
    const vkey = keys.verifierKey;
    const edVkey = keys.ed25519VerifierKey;
    if (flag(ctx, 'json')) {
      ctx.out.print(
        JSON.stringify({ checkpoint: note, verifierKey: vkey, ed25519VerifierKey: edVkey, size: log.size }, null, 2),
      );
    } else {
      ctx.out.stdout.write(note);
      ctx.out.error(`verifier key (ML-DSA): ${vkey}`);
      ctx.out.error(`verifier key (Ed25519): ${edVkey}`);
    }
    return 0;
  } finally {
    await close();
  }
}

export const auditCommand: Command = {
  name: 'audit',
  summary: 'verify the audit log, prove a ticket is in it, sign a checkpoint',
  help: HELP,
  options: {
    checkpoint: { type: 'string' },
    'log-key': { type: 'string', multiple: true },
    key: { type: 'string' },
    'ed25519-key': { type: 'string' },
    keyring: { type: 'string' },
    'passphrase-file': { type: 'string' },
    'state-dir': { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(ctx) {
    const [sub, target, ...extra] = ctx.positionals;
    if (extra.length > 0) throw new MamlError('usage', `unexpected argument ${extra[0] ?? ''}`);
    switch (sub) {
      case 'verify':
        return verify(ctx);
      case 'prove':
        return prove(ctx, target);
      case 'checkpoint':
        return checkpoint(ctx);
      default:
        throw new MamlError('usage', 'give a subcommand: verify, prove or checkpoint');
    }
  },
};
