/**
 * What `maml doctor` checks: the Python interpreters blocks may use (the configured one, python3 on PATH and
 * Debian's /usr/bin/python3) with their numpy and torch, bubblewrap, slirp4netns, OCaml, a WebGPU (Vulkan)
 * adapter, and the run database. Each check is data: what was found, and the command that fixes what is missing.
 */
import { spawnSync } from 'node:child_process';
import { resolvePython, which } from '../executors/interpreter.js';
import { bwrapStatus } from '../sandbox/bwrap.js';
import { findOnPath } from '../sandbox/find-on-path.js';

export type CheckStatus = 'ok' | 'missing' | 'warning';

export interface DoctorCheck {
  readonly name: string;
  readonly status: CheckStatus;
  /** What was found (a path and version) or what is wrong. */
  readonly detail: string;
  /** The command that fixes it, when something is missing. */
  readonly fix?: string;
  /** Whether blocks cannot run at all without it (the sandbox, a Python). */
  readonly required: boolean;
}

export interface DoctorEnv {
  /** MAML_PYTHON, when set. */
  readonly python?: string;
  /** DATABASE_URL, when set. */
  readonly databaseUrl?: string;
  /** Where the embedded run database lives. */
  readonly stateDir: string;
}

interface PythonProbe {
  readonly version: string;
  readonly numpy: string | null;
  readonly torch: string | null;
}

const PROBE = `import json, sys
def v(name):
    try:
        return __import__(name).__version__
    except Exception:
        return None
print(json.dumps({"version": sys.version.split()[0], "numpy": v("numpy"), "torch": v("torch")}))`;

function probe(executable: string): PythonProbe | undefined {
  // -I as blocks run (no user site, no PYTHON* variables): what it finds, a block finds.
  const r = spawnSync(executable, ['-I', '-c', PROBE], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) return undefined;
  try {
    return JSON.parse(r.stdout) as PythonProbe;
  } catch {
    return undefined;
  }
}

/** The command that installs Python packages for this interpreter. */
function installFor(executable: string, packages: readonly ('numpy' | 'torch')[]): string {
  if (executable.startsWith('/usr/bin/')) return `apt-get install ${packages.map((p) => `python3-${p}`).join(' ')}`;
  return `${executable} -m pip install ${packages.join(' ')}`;
}

export function pythonChecks(env: DoctorEnv): DoctorCheck[] {
  const checks: DoctorCheck[] = [];
  const candidates = [...new Set([env.python, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c))];
  const seen = new Set<string>();
  for (const [k, command] of candidates.entries()) {
    const configured = k === 0;
    const install = resolvePython(command);
    const label = configured ? `python (${env.python ? 'MAML_PYTHON' : 'default'}: ${command})` : `python ${command}`;
    if (!install) {
      if (configured)
        checks.push({
          name: label,
          status: 'missing',
          detail: `${command} is not an interpreter this machine can run`,
          fix: 'apt-get install python3 (or set MAML_PYTHON to an interpreter)',
          required: true,
        });
      continue;
    }
    if (seen.has(install.executable)) continue;
    seen.add(install.executable);
    const found = probe(install.executable);
    if (!found) {
      checks.push({ name: label, status: 'warning', detail: `${install.executable} did not answer`, required: false });
      continue;
    }
    const missing = (['numpy', 'torch'] as const).filter((p) => found[p] === null);
    checks.push({
      name: label,
      status: 'ok',
      detail: `${install.executable} ${found.version}${configured ? ' (blocks use this one)' : ''}; numpy ${found.numpy ?? 'missing'}, torch ${found.torch ?? 'missing'}`,
      required: configured,
    });
    if (missing.length > 0)
      checks.push({
        name: `${label}: ${missing.join(', ')}`,
        status: configured ? 'missing' : 'warning',
        detail: `${missing.join(' and ')} not importable by ${install.executable}`,
        fix:
          configured && !install.executable.startsWith('/usr/bin/')
            ? `${installFor(install.executable, missing)}, or apt-get install ${missing.map((p) => `python3-${p}`).join(' ')} and MAML_PYTHON=/usr/bin/python3`
            : installFor(install.executable, missing),
        required: false,
      });
  }
  return checks;
}

export function toolChecks(): DoctorCheck[] {
  const bwrap = bwrapStatus();
  const slirp = findOnPath('slirp4netns');
  const ocaml = which('ocaml');
  return [
    'error' in bwrap
      ? {
          name: 'bubblewrap',
          status: 'missing',
          detail: bwrap.error,
          fix: 'apt-get install bubblewrap',
          required: true,
        }
      : { name: 'bubblewrap', status: 'ok', detail: bwrap.path, required: true },
    slirp === undefined
      ? {
          name: 'slirp4netns',
          status: 'warning',
          detail: 'not found: blocks granted the network cannot run',
          fix: 'apt-get install slirp4netns',
          required: false,
        }
      : { name: 'slirp4netns', status: 'ok', detail: slirp, required: false },
    ocaml === undefined
      ? {
          name: 'ocaml',
          status: 'warning',
          detail: 'not found: OCaml blocks cannot run',
          fix: 'apt-get install ocaml-nox',
          required: false,
        }
      : { name: 'ocaml', status: 'ok', detail: ocaml, required: false },
  ];
}

/** A WebGPU adapter (Vulkan underneath), looked for at most `timeoutMs`. */
export async function gpuCheck(timeoutMs = 20_000): Promise<DoctorCheck> {
  const fix = 'apt-get install mesa-vulkan-drivers (software Vulkan) or the GPU vendor driver with its Vulkan ICD';
  try {
    const { findAdapter } = await import('../../quantum-gpu/index.js');
    let timer: NodeJS.Timeout | undefined;
    const adapter = await Promise.race([
      findAdapter(),
      new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs))),
    ]).finally(() => clearTimeout(timer));
    if (!adapter)
      return {
        name: 'webgpu',
        status: 'warning',
        detail: 'no WebGPU adapter: backend=webgpu is unavailable',
        fix,
        required: false,
      };
    const i = adapter.info;
    const description = [i.vendor, i.architecture, i.device, i.description].filter((s) => s).join(' ') || 'adapter';
    return { name: 'webgpu', status: 'ok', detail: description, required: false };
  } catch (error) {
    return {
      name: 'webgpu',
      status: 'warning',
      detail: `WebGPU could not be loaded: ${(error as Error).message.split('\n')[0] ?? ''}`,
      fix,
      required: false,
    };
  }
}

export async function databaseCheck(env: DoctorEnv): Promise<DoctorCheck> {
  if (env.databaseUrl === undefined)
    return { name: 'database', status: 'ok', detail: `embedded (PGlite) in ${env.stateDir}`, required: false };
  const shown = env.databaseUrl.replace(/\/\/[^@/]*@/, '//…@');
  try {
    const { openPostgres } = await import('../db/postgres.js');
    const db = await openPostgres(env.databaseUrl);
    try {
      await db.query('SELECT 1', []);
    } finally {
      await db.close();
    }
    return { name: 'database', status: 'ok', detail: `PostgreSQL at ${shown}`, required: false };
  } catch (error) {
    return {
      name: 'database',
      status: 'missing',
      detail: `PostgreSQL at ${shown} cannot be reached: ${(error as Error).message}`,
      fix: 'start PostgreSQL (apt-get install postgresql) or unset DATABASE_URL to use the embedded database',
      required: true,
    };
  }
}

export async function runDoctor(env: DoctorEnv, options: { gpu?: boolean } = {}): Promise<DoctorCheck[]> {
  return [
    ...pythonChecks(env),
    ...toolChecks(),
    ...(options.gpu === false ? [] : [await gpuCheck()]),
    await databaseCheck(env),
  ];
}
