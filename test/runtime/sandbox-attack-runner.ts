/**
 * Not a test file: sandbox-attacks.test.ts runs it as an unprivileged user (setpriv --reuid 65534), so that
 * blocks are sandboxed in the user-namespace mode, with one descriptor (9) leaked on purpose by its parent.
 * Argument: JSON `{ keyring, fillBytes, port }`. Prints one JSON object on stdout.
 */
import { ATTACK_LANGS, LIST_FDS, blockHostUids, networkProbe, runAttacks, runBash } from './sandbox-attacks.js';

const { keyring, fillBytes, port } = JSON.parse(process.argv[2] ?? '{}') as {
  keyring: string;
  fillBytes: number;
  port: number;
};
const attacks = await runAttacks(ATTACK_LANGS, { keyring, fillBytes });
const fds = await runBash(`maml_output fds "\\"$(${LIST_FDS})\\""`);
const network = await runBash(networkProbe(port), true);
const hostUids = await blockHostUids();
process.stdout.write(`${JSON.stringify({ uid: process.getuid?.(), attacks, fds, network, hostUids })}\n`);
