/**
 * What a run needs of the sandbox, checked by the planner before anything runs, so a missing tool is one clear
 * error at submission instead of a failed block halfway through a run: bubblewrap for every sandboxed block, the
 * sandbox user when running as root, and slirp4netns when the document grants the network.
 */
import { MamlError } from '../../shared/index.js';
import { bwrapStatus } from './bwrap.js';
import { requireSlirp4netns } from './network.js';
import { sandboxIdentity } from './sandbox-user.js';

export interface SandboxNeeds {
  /** Whether the document grants blocks the network (`permissions.network` true or a host list). */
  readonly network: boolean;
}

/** Throws a `missing_tool` (or the sandbox user's own) MamlError saying what to install or set. */
export function checkSandbox(needs: SandboxNeeds): void {
  const status = bwrapStatus();
  if ('error' in status) throw new MamlError('missing_tool', status.error, { details: { install: 'bubblewrap' } });
  sandboxIdentity();
  if (needs.network) requireSlirp4netns();
}
