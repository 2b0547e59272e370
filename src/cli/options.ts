/** Option readers shared by commands: typed access to parsed values with usage errors that name the option. */
import { isProfile, type Profile } from '../format/index.js';
import { MamlError } from '../shared/errors.js';
import type { CommandContext } from './command.js';

export function flag(ctx: CommandContext, name: string): boolean {
  return ctx.values[name] === true;
}

export function stringOption(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function profileOption(ctx: CommandContext, fallback: Profile): Profile {
  const v = stringOption(ctx, 'profile');
  if (v === undefined) return fallback;
  if (!isProfile(v)) throw new MamlError('usage', `--profile must be strict or lenient (got \`${v}\`).`);
  return v;
}

export function byteSizeOption(ctx: CommandContext, name: string): number | undefined {
  const v = stringOption(ctx, name);
  if (v === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?$/i.exec(v.trim());
  if (!m) throw new MamlError('usage', `--${name} takes a size such as 10MiB, 512k or 1048576 (got \`${v}\`).`);
  const unit = (m[2] ?? 'b').toLowerCase()[0] ?? 'b';
  const scale = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  return Math.floor(Number(m[1]) * scale);
}

export function requirePositionals(ctx: CommandContext, min: number, what: string): readonly string[] {
  if (ctx.positionals.length < min) throw new MamlError('usage', `missing ${what}.`);
  return ctx.positionals;
}
