/**
 * Where the host programs the sandbox starts are found, and whom blocks run as. A process's entry point sets them
 * once from its own environment (`maml` in src/cli/bin.ts, a head in head-main.ts from the environment the pool
 * gave it) with `configureHostTools(hostToolsFrom(env))`; the sandbox reads `hostTools()` and never the
 * environment. Unconfigured (a library caller), the defaults apply: the standard directories and the
 * `maml-sandbox` user.
 */

export interface HostTools {
  /** Directories searched for programs, as in PATH. */
  readonly path: string;
  /** The bwrap binary to use instead of the one on the path (MAML_BWRAP). */
  readonly bwrap?: string;
  /** Who blocks run as under a root gateway, a user name or uid (MAML_SANDBOX_USER; default maml-sandbox). */
  readonly sandboxUser?: string;
  /** The slirp4netns binary to use instead of the one on the path (MAML_SLIRP4NETNS). */
  readonly slirp4netns?: string;
}

export const DEFAULT_HOST_TOOLS: HostTools = Object.freeze({ path: '/usr/local/bin:/usr/bin:/bin' });

let current: HostTools = DEFAULT_HOST_TOOLS;

/** The host tools an environment names; an unset or empty variable leaves the default. */
export function hostToolsFrom(env: Readonly<Record<string, string | undefined>>): HostTools {
  const set = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value === '' ? undefined : value;
  };
  const bwrap = set('MAML_BWRAP');
  const sandboxUser = set('MAML_SANDBOX_USER');
  const slirp4netns = set('MAML_SLIRP4NETNS');
  return Object.freeze({
    path: set('PATH') ?? DEFAULT_HOST_TOOLS.path,
    ...(bwrap === undefined ? {} : { bwrap }),
    ...(sandboxUser === undefined ? {} : { sandboxUser }),
    ...(slirp4netns === undefined ? {} : { slirp4netns }),
  });
}

/** Sets this process's host tools (entry points, once; tests that try other tools restore them after). */
export function configureHostTools(tools: HostTools): void {
  current = Object.freeze({ ...tools });
}

export function hostTools(): HostTools {
  return current;
}
