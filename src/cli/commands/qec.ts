/**
 * `maml qec sample|decode|dem`: quantum error correction from the command line. `sample` runs a memory
 * experiment (generate, sample, decode, count logical errors); `decode` decodes syndrome files against a DEM as
 * PyMatching's CLI does; `dem` prints the detector error model of a Stim circuit. Input problems print as
 * `path:line:col error code message` and exit 1.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command, CommandContext } from '../command.js';
import { MamlError } from '../../shared/index.js';
import type { Diagnostic } from '../../shared/index.js';
import {
  buildMatchingGraph,
  chunkPlan,
  circuitToDem,
  compileSampleOptions,
  formatDem,
  MemoryExperiment,
  MwpmDecoder,
  parseDem,
  parseStimCircuit,
  readShots,
  SAMPLE_OPTION_NAMES,
  SHOT_FORMATS,
  summarise,
  writeShots,
} from '../../qec/index.js';
import type { ChunkResult, ShotFormat } from '../../qec/index.js';

const HELP = `Usage:
  maml qec sample [--code surface|repetition] [--basis x|z] [--distance D] [--rounds R] [--p P]
                  [--shots N] [--decoder mwpm|none] [--seed S] [--json]
  maml qec decode --dem FILE.dem --in FILE [--in-format b8|01] [--in-includes-appended-observables]
                  [--out FILE] [--out-format b8|01] [--json]
  maml qec dem --circuit FILE.stim

Quantum error correction with a Pauli-frame sampler and an exact minimum-weight perfect matching decoder.

sample   Generate a memory experiment (Stim's layout: rotated surface code or repetition code), sample shots,
         decode them and print the logical error rate per shot and per round with a 95% (Wilson) interval on
         the per-shot rate, and the decoding time per shot.
           --code surface|repetition   (default surface)      --basis x|z   (default z)
           --distance D   code distance (default 3; odd for the surface code)
           --rounds R     rounds of stabiliser measurement (default D)
           --p P          all four noise parameters (default 0.001); set one alone with
                          --after-clifford-depolarization, --before-round-data-depolarization,
                          --before-measure-flip-probability, --after-reset-flip-probability
           --shots N      (default 10000)   --seed S (default 1)   --decoder mwpm|none (none: no correction)
           --json         {"shots","errors","perShot","perRound","ci95":[lo,hi],"decodeUsPerShot"}
decode   Decode detection events (Stim's b8 or 01 format) against a detector error model and write the
         predicted observable flips (--out, in --out-format, default the input format).
           --in-includes-appended-observables   the input holds the true observable flips after the
                          detectors; the mistakes are counted (--json: {"shots","mistakes"})
dem      Print the detector error model of a Stim circuit (error mechanisms decomposed into graph-like parts).

Progress goes to stderr on runs that take more than a few seconds.
Exit status: 0 on success, 1 when an input has errors, 2 on usage errors.`;

async function readInput(ctx: CommandContext, file: string): Promise<Buffer> {
  try {
    return await readFile(resolve(ctx.cwd, file));
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') throw new MamlError('not_found', `no such file: ${file}`);
    throw new MamlError('io', `cannot read ${file}: ${(error as Error).message}`);
  }
}

function report(ctx: CommandContext, path: string, diagnostics: readonly Diagnostic[]): number {
  for (const d of diagnostics) {
    ctx.out.error(ctx.out.paint('red', `${path}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`));
  }
  return 1;
}

function stringOption(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.values[name];
  return v === undefined ? undefined : String(v);
}

function format(ctx: CommandContext, name: string, fallback: ShotFormat): ShotFormat {
  const v = stringOption(ctx, name) ?? fallback;
  if (!(SHOT_FORMATS as readonly string[]).includes(v))
    throw new MamlError('usage', `--${name} must be one of ${SHOT_FORMATS.join(', ')}, not \`${v}\`.`);
  return v as ShotFormat;
}

/** Progress lines on stderr, at most every 2 s, starting after 2 s. */
function progress(ctx: CommandContext, total: number): (done: number) => void {
  const start = Date.now();
  let last = start;
  return (done) => {
    const now = Date.now();
    if (now - last < 2000) return;
    last = now;
    const rate = done / ((now - start) / 1000);
    const eta = rate > 0 ? (total - done) / rate : 0;
    ctx.out.error(
      ctx.out.paint('dim', `qec: ${done}/${total} shots (${Math.round(rate)}/s, ~${Math.ceil(eta)} s left)`),
    );
  };
}

async function sample(ctx: CommandContext): Promise<number> {
  const raw: Record<string, string | undefined> = {};
  for (const name of SAMPLE_OPTION_NAMES) {
    const v = stringOption(ctx, name);
    if (v !== undefined) raw[name] = v;
  }
  const compiled = compileSampleOptions(raw);
  if (!compiled.ok) throw new MamlError('usage', compiled.diagnostics.map((d) => d.message).join('\n'));
  const { spec, shots, seed, decoder } = compiled.value;
  const experiment = MemoryExperiment.create(spec, decoder);
  if (!experiment.ok) return report(ctx, 'generated circuit', experiment.diagnostics);
  const tick = progress(ctx, shots);
  const chunks: ChunkResult[] = [];
  let done = 0;
  for (const [i, n] of chunkPlan(shots).entries()) {
    chunks.push(experiment.value.runChunk(n, seed, i));
    done += n;
    tick(done);
    // Let signals and stream writes through between chunks.
    await new Promise((r) => setImmediate(r));
  }
  const s = summarise(chunks, spec.rounds);
  if (ctx.values['json'] === true) {
    ctx.out.print(JSON.stringify(s));
    return 0;
  }
  const e = (x: number): string => x.toExponential(3);
  ctx.out.print(
    [
      ctx.out.paint(
        'dim',
        `${spec.code} code, ${spec.basis} memory, d=${spec.distance}, ${spec.rounds} rounds, decoder ${decoder}`,
      ),
      `shots             ${s.shots}`,
      `logical errors    ${s.errors}`,
      `per shot          ${e(s.perShot)}  (95% CI ${e(s.ci95[0])} – ${e(s.ci95[1])})`,
      `per round         ${e(s.perRound)}`,
      `decode µs/shot    ${s.decodeUsPerShot.toFixed(2)}`,
    ].join('\n'),
  );
  return 0;
}

async function decode(ctx: CommandContext): Promise<number> {
  const demFile = stringOption(ctx, 'dem');
  const inFile = stringOption(ctx, 'in');
  if (demFile === undefined || inFile === undefined)
    throw new MamlError('usage', 'decode needs --dem FILE.dem and --in FILE: `maml qec decode --dem m.dem --in s.b8`.');
  const inFormat = format(ctx, 'in-format', 'b8');
  const outFormat = format(ctx, 'out-format', inFormat);
  const appended = ctx.values['in-includes-appended-observables'] === true;
  const dem = parseDem((await readInput(ctx, demFile)).toString('utf8'));
  if (!dem.ok) return report(ctx, demFile, dem.diagnostics);
  const graph = buildMatchingGraph(dem.value);
  if (!graph.ok) return report(ctx, demFile, graph.diagnostics);
  const nd = dem.value.numDetectors;
  const no = dem.value.numObservables;
  const table = readShots(await readInput(ctx, inFile), inFormat, nd + (appended ? no : 0));
  if (!table.ok) return report(ctx, inFile, table.diagnostics);
  const decoder = new MwpmDecoder(graph.value);
  const { shots, width, bits } = table.value;
  const predictions: number[] = [];
  let mistakes = 0;
  let unmatched = 0;
  const tick = progress(ctx, shots);
  for (let s = 0; s < shots; s++) {
    const row = bits.subarray(s * width, (s + 1) * width);
    const r = decoder.decode(row.subarray(0, nd));
    if (!r.matched) unmatched++;
    predictions.push(r.observables);
    if (appended) {
      let actual = 0;
      for (let k = 0; k < no; k++) actual |= (row[nd + k] ?? 0) << k;
      if (actual !== r.observables) mistakes++;
    }
    if ((s & 1023) === 1023) tick(s + 1);
  }
  if (unmatched > 0)
    ctx.out.error(
      ctx.out.paint(
        'yellow',
        `${unmatched} shot(s) had detection events that no matching can pair (no boundary reachable)`,
      ),
    );
  const outFile = stringOption(ctx, 'out');
  if (outFile !== undefined) await writeFile(resolve(ctx.cwd, outFile), writeShots(predictions, no, outFormat));
  if (ctx.values['json'] === true) {
    ctx.out.print(JSON.stringify(appended ? { shots, mistakes } : { shots }));
  } else if (appended) ctx.out.print(`${mistakes} mistakes in ${shots} shots`);
  else if (outFile === undefined)
    ctx.out.print(
      Buffer.from(writeShots(predictions, no, '01'))
        .toString('utf8')
        .trimEnd(),
    );
  return 0;
}

async function dem(ctx: CommandContext): Promise<number> {
  const file = stringOption(ctx, 'circuit');
  if (file === undefined) throw new MamlError('usage', 'dem needs --circuit FILE.stim.');
  const circuit = parseStimCircuit((await readInput(ctx, file)).toString('utf8'));
  if (!circuit.ok) return report(ctx, file, circuit.diagnostics);
  const model = circuitToDem(circuit.value);
  if (!model.ok) return report(ctx, file, model.diagnostics);
  ctx.out.stdout.write(formatDem(model.value));
  return 0;
}

const sampleOptions = Object.fromEntries(SAMPLE_OPTION_NAMES.map((n) => [n, { type: 'string' as const }]));

export const qecCommand: Command = {
  name: 'qec',
  summary: 'sample and decode QEC memory experiments; decode syndromes; circuit → DEM',
  help: HELP,
  options: {
    ...sampleOptions,
    json: { type: 'boolean' },
    dem: { type: 'string' },
    in: { type: 'string' },
    'in-format': { type: 'string' },
    'in-includes-appended-observables': { type: 'boolean' },
    out: { type: 'string' },
    'out-format': { type: 'string' },
    circuit: { type: 'string' },
  },
  async run(ctx) {
    const [sub, ...extra] = ctx.positionals;
    if (extra.length > 0) throw new MamlError('usage', `unexpected arguments: ${extra.join(' ')}`);
    switch (sub) {
      case 'sample':
        return sample(ctx);
      case 'decode':
        return decode(ctx);
      case 'dem':
        return dem(ctx);
      default:
        throw new MamlError('usage', 'expected a subcommand: `maml qec sample|decode|dem` (see `maml qec --help`).');
    }
  },
};
