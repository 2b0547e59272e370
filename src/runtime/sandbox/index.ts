// Public exports of the sandbox: run a program under bubblewrap with cgroup limits, and report what is enforced.
export { runSandboxed } from './run-sandboxed.js';
export type { SandboxDirs, SandboxOutcome, SandboxRequest } from './run-sandboxed.js';
export { bwrapStatus, requireBwrap, INSTALL_BWRAP_HINT, SANDBOX_CODE_DIR, SANDBOX_SCRATCH_DIR } from './bwrap.js';
export { INSTALL_SLIRP_HINT } from './network.js';
export { checkSandbox } from './preflight.js';
export type { SandboxNeeds } from './preflight.js';
export { sandboxIdentity, DEFAULT_SANDBOX_USER, CREATE_SANDBOX_USER_COMMAND } from './sandbox-user.js';
export type { SandboxIdentity } from './sandbox-user.js';
export { cgroupSupport, sweepCgroupsOf } from './cgroup.js';
export type { CgroupMode } from './cgroup.js';
export { CappedBuffer } from './capped-buffer.js';
export { DEFAULT_HOST_TOOLS, configureHostTools, hostTools, hostToolsFrom } from './host-tools.js';
export type { HostTools } from './host-tools.js';
