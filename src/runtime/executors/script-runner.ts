/**
 * The part every sandboxed script executor shares: write the block and its inputs, run the interpreter in the
 * sandbox, collect outputs from fd 3 and `::output` lines, and turn every way a process can fail into a
 * `MamlError` whose message says what happened and what to do.
 */
import { MamlError } from '../../shared/index.js';
import { quantumCallLimits, serveQuantumCalls } from '../quantum-calls/index.js';
import type { QuantumCallServer } from '../quantum-calls/index.js';
import { SANDBOX_FDS } from '../sandbox/bwrap.js';
import { runSandboxed } from '../sandbox/index.js';
import type { SandboxDirs, SandboxOutcome } from '../sandbox/index.js';
import type { TaskResult, TaskSpec } from '../task-spec.js';
import type { ExecutorContext } from './executor.js';
import { extractStdoutOutputs, parseReport } from './outputs.js';

/** Inputs larger than this are passed only as a file ($MAML_INPUTS_FILE): environment strings are limited. */
const MAX_ENV_INPUTS = 64 * 1024;

export interface ScriptPlan {
  /** Files besides `inputs.json` (name → content). */
  readonly files: Readonly<Record<string, string>>;
  readonly argv: (dirs: SandboxDirs) => readonly string[];
  readonly readOnlyPaths?: readonly string[];
  /** Turns the name of a missing module into an installation hint. */
  readonly missingHint: (module: string) => string;
  /** Recognises other "not installed" situations in stderr. */
  readonly diagnose?: (outcome: SandboxOutcome) => string | undefined;
  /**
   * The runner offers `maml.quantum`: unless the block's `permissions.quantum` is false, it gets a call channel
   * (descriptor in MAML_QUANTUM_FD) served by this process (quantum-calls/); otherwise MAML_QUANTUM=denied.
   */
  readonly quantumCalls?: boolean;
}

function mib(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MiB`;
}

function tail(text: string, lines = 20): string {
  const all = text.trimEnd().split('\n');
  return all.slice(-lines).join('\n');
}

export function failureOf(task: TaskSpec, outcome: SandboxOutcome): MamlError | undefined {
  const id = task.blockId;
  const details = { stdout: tail(outcome.stdout), stderr: tail(outcome.stderr) };
  if (outcome.spawnError !== undefined)
    return new MamlError('internal', `block ${id} could not be started: ${outcome.spawnError}`, { details });
  if (outcome.cancelled) return new MamlError('cancelled', `block ${id} was cancelled`, { details });
  if (outcome.networkError !== undefined)
    return new MamlError(
      'unavailable',
      `block ${id} was granted the network, but its sandbox could not be connected (${outcome.networkError}); it did not run`,
      { details },
    );
  if (outcome.pidsLimitHit && (outcome.timedOut || outcome.exitCode !== 0))
    return new MamlError(
      'resource_limit',
      `block ${id} tried to run more than ${task.limits.pidsLimit} processes/threads at once and was stopped`,
      { details: { ...details, limit: 'pids' } },
    );
  if (outcome.timedOut)
    return new MamlError(
      'timeout',
      `block ${id} ran longer than its ${task.limits.timeoutMs} ms timeout and was killed with its processes (raise it with timeout=, e.g. timeout=2m)`,
      { details },
    );
  if (outcome.oomKilled)
    return new MamlError(
      'resource_limit',
      `block ${id} exceeded its memory limit of ${mib(task.limits.memoryLimitBytes)} and was killed`,
      { details: { ...details, limit: 'memory' } },
    );
  if (outcome.exitCode === 125 && !outcome.sandboxed && outcome.stderr.includes('cgroup'))
    return new MamlError('internal', `block ${id}: could not join its cgroup`, { details });
  if (outcome.exitCode !== 0) {
    const how = outcome.signal ? `was killed by ${outcome.signal}` : `exited with status ${outcome.exitCode}`;
    const err = tail(outcome.stderr, 8);
    return new MamlError('block_failed', `block ${id} ${how}${err ? `:\n${err}` : ''}`, { details });
  }
  return undefined;
}

export async function runScript(task: TaskSpec, context: ExecutorContext, plan: ScriptPlan): Promise<TaskResult> {
  const inputsJson = JSON.stringify(task.inputs);
  const callLimits = plan.quantumCalls ? quantumCallLimits(task) : undefined;
  let calls: QuantumCallServer | undefined;
  const outcome = await runSandboxed({
    files: { ...plan.files, 'inputs.json': inputsJson },
    argv: plan.argv,
    env: (dirs) => ({
      MAML_BLOCK_ID: task.blockId,
      MAML_INPUTS_FILE: `${dirs.code}/inputs.json`,
      MAML_OUTPUTS_FD: '3',
      ...(inputsJson.length <= MAX_ENV_INPUTS ? { MAML_INPUTS: inputsJson } : {}),
      ...(callLimits
        ? { MAML_QUANTUM_FD: String(SANDBOX_FDS.calls) }
        : plan.quantumCalls
          ? { MAML_QUANTUM: 'denied' }
          : {}),
    }),
    network: task.permissions.network !== false,
    limits: task.limits,
    readOnlyPaths: plan.readOnlyPaths ?? [],
    unsafeNoSandbox: task.unsafeNoSandbox,
    ...(context.signal ? { signal: context.signal } : {}),
    ...(callLimits ? { channel: (socket) => (calls = serveQuantumCalls(socket, callLimits)) } : {}),
  }).finally(() => calls?.close());
  const usage = calls?.usage();
  const split = extractStdoutOutputs(outcome.stdout);
  const report = parseReport(`${outcome.reported}\n${split.report}`, task.blockId);
  if (report.missing !== undefined)
    throw new MamlError('missing_tool', `block ${task.blockId}: ${plan.missingHint(report.missing)}`, {
      details: { module: report.missing, stderr: tail(outcome.stderr) },
    });
  const diagnosed = outcome.exitCode !== 0 ? plan.diagnose?.(outcome) : undefined;
  if (diagnosed !== undefined) throw new MamlError('missing_tool', `block ${task.blockId}: ${diagnosed}`);
  const failure = failureOf(task, outcome);
  if (failure) throw failure;
  return {
    outputs: report.outputs,
    stdout: split.stdout,
    stderr: outcome.stderr,
    truncated: outcome.truncated,
    durationMs: outcome.durationMs,
    sandboxed: outcome.sandboxed,
    ...(usage && usage.calls > 0 ? { quantum: usage } : {}),
  };
}
