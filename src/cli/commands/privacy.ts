/**
 * `maml privacy epsilon`: the differential-privacy budget of the sampled Gaussian mechanism (DP-SGD, DP-FedAvg)
 * from the Rényi DP accountant, or the noise multiplier a target epsilon needs.
 */
import type { Command, CommandContext } from '../command.js';
import { MamlError } from '../../shared/index.js';
import { checkAccountantParams, noiseForEpsilon, privacySpent } from '../../federated/index.js';

const HELP = `Usage: maml privacy epsilon --sampling-rate Q --steps T --delta D (--noise-multiplier Z | --target-epsilon E) [--json]

The privacy spent by T steps of the sampled Gaussian mechanism: each unit (a client in federated training, a
record in DP-SGD) is sampled with probability Q, contributions are clipped to norm C and Gaussian noise of
standard deviation Z*C is added. Rényi DP of the subsampled Gaussian (Mironov, Talwar, Zhang 2019) at orders from
1.1 to 512, converted to (epsilon, delta) in two ways: the classic conversion (Mironov 2017), which TensorFlow
Privacy's published figures use, and a tighter one (Canonne, Kamath, Steinke 2020).

Options:
  --sampling-rate Q      probability that a unit takes part in one step, in (0, 1]
  --noise-multiplier Z   noise standard deviation over the clipping norm
  --target-epsilon E     instead of --noise-multiplier: print the smallest Z whose classic epsilon is at most E
  --steps T              number of steps (rounds, or epochs x units / batch)
  --delta D              delta, in (0, 1); usually below 1/units
  --json                 print {"epsilon","epsilonTight","order","orderTight"} (with --target-epsilon, also
                         "noiseMultiplier")
  -h, --help             show this help

Exit status: 0 on success, 1 when no noise multiplier up to 1000 reaches the target, 2 on usage errors.`;

function numberOption(ctx: CommandContext, name: string): number | undefined {
  const raw = ctx.values[name];
  if (raw === undefined) return undefined;
  const text = String(raw).trim();
  const value = Number(text);
  if (text === '' || !Number.isFinite(value))
    throw new MamlError('usage', `--${name} must be a number, not \`${String(raw)}\`.`);
  return value;
}

function required(ctx: CommandContext, name: string): number {
  const v = numberOption(ctx, name);
  if (v === undefined) throw new MamlError('usage', `--${name} is required (see maml privacy --help).`);
  return v;
}

export const privacyCommand: Command = {
  name: 'privacy',
  summary: 'compute differential-privacy epsilon, or the noise a target epsilon needs',
  help: HELP,
  options: {
    'sampling-rate': { type: 'string' },
    'noise-multiplier': { type: 'string' },
    'target-epsilon': { type: 'string' },
    steps: { type: 'string' },
    delta: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(ctx) {
    const [sub, ...extra] = ctx.positionals;
    if (sub !== 'epsilon' || extra.length > 0)
      throw new MamlError('usage', 'the only subcommand is `maml privacy epsilon` (see maml privacy --help).');
    const samplingRate = required(ctx, 'sampling-rate');
    const steps = required(ctx, 'steps');
    const delta = required(ctx, 'delta');
    const problem = checkAccountantParams({ samplingRate, steps, delta });
    if (problem !== undefined) throw new MamlError('usage', `${problem}.`);
    const z = numberOption(ctx, 'noise-multiplier');
    const target = numberOption(ctx, 'target-epsilon');
    if ((z === undefined) === (target === undefined))
      throw new MamlError('usage', 'give exactly one of --noise-multiplier and --target-epsilon.');
    const json = ctx.values['json'] === true;
    if (z !== undefined) {
      if (!(z > 0) || z > 1e6) throw new MamlError('usage', `--noise-multiplier must be in (0, 1e6] (got ${z}).`);
      const spent = privacySpent({ samplingRate, noiseMultiplier: z, steps, delta });
      if (json) ctx.out.print(JSON.stringify(spent));
      else
        ctx.out.print(
          `epsilon ${spent.epsilon.toFixed(4)} (classic RDP conversion, order ${spent.order}); ` +
            `${spent.epsilonTight.toFixed(4)} (tighter conversion, order ${spent.orderTight}) at delta ${delta}`,
        );
      return 0;
    }
    const targetEpsilon = target as number;
    if (!(targetEpsilon > 0)) throw new MamlError('usage', `--target-epsilon must be positive (got ${targetEpsilon}).`);
    const needed = noiseForEpsilon({ samplingRate, steps, delta, targetEpsilon });
    if (needed === undefined) {
      ctx.out.error(`no noise multiplier up to 1000 reaches epsilon ${targetEpsilon} in ${steps} steps`);
      return 1;
    }
    const spent = privacySpent({ samplingRate, noiseMultiplier: needed, steps, delta });
    if (json) ctx.out.print(JSON.stringify({ noiseMultiplier: needed, ...spent }));
    else
      ctx.out.print(
        `noise multiplier ${needed.toFixed(4)} gives epsilon ${spent.epsilon.toFixed(4)} ` +
          `(tighter conversion ${spent.epsilonTight.toFixed(4)}) at delta ${delta}`,
      );
    return 0;
  },
};
