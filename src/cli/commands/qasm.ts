/**
 * `maml qasm <file.qasm>`: parse an OpenQASM 2/3 program, run it on a simulator and print the measurement counts
 * (a table sorted by bitstring, or JSON). Diagnostics print as `path:line:col severity code message` and exit 1.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command, CommandContext } from '../command.js';
import { MamlError } from '../../shared/index.js';
import type { Diagnostic } from '../../shared/index.js';
import { DEFAULT_SEED, evaluateConstant, parseQasm, registerKeys } from '../../quantum/index.js';
import { createNodeSimulator, NODE_BACKEND_NAMES } from '../../quantum-node/index.js';

const HELP = `Usage: maml qasm <file.qasm> [options]

Run an OpenQASM 2.0 or 3 program on a simulator and print the measurement counts. Bitstrings are written with
the highest classical bit first (clbit 0 is the rightmost character), as Qiskit does.

Options:
  --shots N              number of samples (default 1024; 0 only checks and runs the program)
  --seed S               integer seed of the sampling PRNG; the same seed gives the same counts (default: a
                         fixed seed, so repeated runs agree)
  --backend NAME         statevector, mps, webgpu (GPU, complex64) or auto: the GPU when an adapter is found
                         and the circuit is large enough to gain, else the state vector when it fits in
                         memory, MPS otherwise (default auto)
  --precision 64|128     complex64 or complex128 amplitudes (default 128 on the CPU; the GPU runs complex64,
                         and \`auto\` may choose it only when --precision is not 128)
  --input name=value     value of an \`input\` declaration; value may be an expression such as pi/4 (repeatable)
  --json                 print {"counts":{…},"shots":N,"qubits":N,"backend":"…","durationMs":N}
  -h, --help             show this help

Exit status: 0 on success, 1 when the program has errors, 2 on usage errors.`;

function integerOption(ctx: CommandContext, name: string, fallback: number, min: number): number {
  const raw = ctx.values[name];
  if (raw === undefined) return fallback;
  const text = String(raw);
  if (!/^-?[0-9]+$/.test(text) || Number(text) < min || !Number.isSafeInteger(Number(text))) {
    throw new MamlError('usage', `--${name} must be an integer${min >= 0 ? ` ≥ ${min}` : ''}, not \`${text}\`.`);
  }
  return Number(text);
}

function parseInputs(raw: unknown): Record<string, number> {
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const bindings: Record<string, number> = {};
  for (const item of list) {
    const text = String(item);
    const eq = text.indexOf('=');
    const name = text.slice(0, eq).trim();
    if (eq <= 0 || !/^[\p{L}_][\p{L}\p{N}_]*$/u.test(name)) {
      throw new MamlError('usage', `--input takes name=value, as in \`--input theta=0.5\`; got \`${text}\`.`);
    }
    const { value } = evaluateConstant(text.slice(eq + 1));
    if (value === undefined) {
      throw new MamlError(
        'usage',
        `--input ${name}: \`${text.slice(eq + 1)}\` is not a number or constant expression.`,
      );
    }
    bindings[name] = value;
  }
  return bindings;
}

function formatDiagnostic(path: string, d: Diagnostic): string {
  return `${path}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`;
}

export const qasmCommand: Command = {
  name: 'qasm',
  summary: 'run an OpenQASM 2/3 program on a simulator and print counts',
  help: HELP,
  options: {
    shots: { type: 'string' },
    seed: { type: 'string' },
    backend: { type: 'string' },
    precision: { type: 'string' },
    input: { type: 'string', multiple: true },
    json: { type: 'boolean' },
  },
  async run(ctx) {
    const [file, ...extra] = ctx.positionals;
    if (file === undefined) throw new MamlError('usage', 'missing the OpenQASM file: `maml qasm <file.qasm>`.');
    if (extra.length > 0) throw new MamlError('usage', `expected one file, got ${ctx.positionals.length}.`);
    const shots = integerOption(ctx, 'shots', 1024, 0);
    const seed = integerOption(ctx, 'seed', DEFAULT_SEED, Number.MIN_SAFE_INTEGER);
    const backend = String(ctx.values['backend'] ?? 'auto');
    if (!NODE_BACKEND_NAMES.includes(backend)) {
      throw new MamlError('usage', `--backend must be one of ${NODE_BACKEND_NAMES.join(', ')}, not \`${backend}\`.`);
    }
    const precisionText = String(ctx.values['precision'] ?? '128');
    if (precisionText !== '64' && precisionText !== '128') {
      throw new MamlError('usage', `--precision must be 64 or 128, not \`${precisionText}\`.`);
    }
    const bindings = parseInputs(ctx.values['input']);

    let text: string;
    try {
      text = await readFile(resolve(ctx.cwd, file), 'utf8');
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'ENOENT') throw new MamlError('not_found', `no such file: ${file}`);
      throw new MamlError('io', `cannot read ${file}: ${(error as Error).message}`);
    }
    const parsed = parseQasm(text, { bindings });
    for (const d of parsed.diagnostics) {
      const line = formatDiagnostic(file, d);
      ctx.out.error(d.severity === 'error' ? ctx.out.paint('red', line) : line);
    }
    if (!parsed.circuit) return 1;

    const simulator = createNodeSimulator(backend);
    let result;
    try {
      result = await simulator.simulate(parsed.circuit, {
        shots,
        seed,
        // Only an explicit --precision is passed on, so that `auto` may still choose the complex64 GPU backend.
        ...(ctx.values['precision'] === undefined ? {} : { precision: precisionText === '64' ? 64 : 128 }),
      });
    } finally {
      await simulator.close();
    }
    // Qiskit's keys: registers separated by spaces, the highest first (one register: unchanged).
    result = { ...result, counts: registerKeys(parsed.circuit, result.counts) };
    const keys = Object.keys(result.counts).sort();
    if (ctx.values['json'] === true) {
      // Written by hand: object keys such as "11" are integer-like and would not keep the sorted order.
      const counts = keys.map((k) => `${JSON.stringify(k)}:${result.counts[k] ?? 0}`).join(',');
      ctx.out.print(
        `{"counts":{${counts}},"shots":${result.shots},"qubits":${result.qubits},` +
          `"backend":${JSON.stringify(result.backend)},"durationMs":${JSON.stringify(result.durationMs)}}`,
      );
      return 0;
    }
    const width = Math.max('bitstring'.length, ...keys.map((k) => k.length));
    const lines = [
      ctx.out.paint(
        'dim',
        `${result.backend}${result.precision ? ` (complex${result.precision})` : ''} · ${result.qubits} qubit${result.qubits === 1 ? '' : 's'} · ${result.shots} shots · ${result.durationMs.toFixed(1)} ms`,
      ),
      `${'bitstring'.padEnd(width)}  ${'count'.padStart(7)}  probability`,
      ...keys.map((k) => {
        const c = result.counts[k] ?? 0;
        return `${k.padEnd(width)}  ${String(c).padStart(7)}  ${(result.shots > 0 ? c / result.shots : 0).toFixed(4)}`;
      }),
    ];
    ctx.out.print(lines.join('\n'));
    return 0;
  },
};
