/**
 * `--unsafe-no-sandbox`: blocks run as plain processes of this user. Said once on stderr every time, and loudly
 * when that user is root, because then a block can do anything on the machine.
 */
import type { CommandContext } from './command.js';
import { flag } from './options.js';

/** Whether the flag is set; warns on stderr when it is. */
export function unsafeNoSandbox(ctx: CommandContext): boolean {
  if (!flag(ctx, 'unsafe-no-sandbox')) return false;
  const root = process.getuid?.() === 0;
  ctx.out.error(
    ctx.out.paint(
      root ? 'red' : 'yellow',
      root
        ? 'warning: --unsafe-no-sandbox as root: blocks run as root, without bubblewrap, limits on what they touch or seccomp; they can do anything on this machine. Use it only for documents you wrote.'
        : 'warning: --unsafe-no-sandbox: blocks run as your user, without bubblewrap: they can read and change your files. Use it only for documents you wrote.',
    ),
  );
  return true;
}
