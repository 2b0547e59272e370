/**
 * Tests that need a tool of the machine (bubblewrap, cgroups, OCaml, slirp4netns…) skip with the reason where it
 * is missing, so the suite runs on a developer's machine without them; in CI (`MAML_REQUIRE_TOOLS=1`, set by
 * .ci/run after installing them) a missing tool fails the test file instead, so nothing is silently not tested.
 */
import { bwrapStatus, cgroupSupport, configureHostTools, hostTools, type HostTools } from '../../src/runtime/index.js';
import { which } from '../../src/runtime/executors/interpreter.js';

/** The reason to skip, or false when the tool is there; throws in CI when it is missing. */
export function needTool(missing: string | false): string | false {
  if (missing !== false && process.env['MAML_REQUIRE_TOOLS'])
    throw new Error(`${missing}, and MAML_REQUIRE_TOOLS is set: this test must run here`);
  return missing;
}

/** Skip reason for tests that run blocks in the sandbox. */
export const NEEDS_BWRAP: string | false = needTool(
  'error' in bwrapStatus() ? 'bubblewrap is not installed (apt-get install bubblewrap)' : false,
);

/** Skip reason for tests of the memory and process limits. */
export const NEEDS_CGROUPS: string | false = needTool(
  cgroupSupport().mode === 'none' ? `no usable cgroups (${cgroupSupport().reason})` : false,
);

/** Skip reason for OCaml blocks. */
export const NEEDS_OCAML: string | false = needTool(
  which('ocaml') === undefined ? 'OCaml is not installed (apt-get install ocaml-nox)' : false,
);

/**
 * Runs the rest of the test with other host tools (a missing bwrap, another sandbox user), restoring this
 * process's own when it ends.
 */
export function withHostTools(
  t: { after(fn: () => void): void },
  overrides: Partial<HostTools>,
): (more: Partial<HostTools>) => void {
  const saved = hostTools();
  t.after(() => configureHostTools(saved));
  const set = (more: Partial<HostTools>): void => configureHostTools({ ...hostTools(), ...more });
  set(overrides);
  return set;
}
