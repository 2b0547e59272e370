/**
 * Builders for the attribute declarations of executors (`AttributeSpec`): whole numbers with an operator cap,
 * choices from a list, booleans. Each check returns a problem whose message says what to write instead.
 */
import type { RunLimits } from '../run-limits.js';
import type { AttributeProblem, AttributeSpec } from './executor.js';

const WHOLE = /^\s*\d+\s*$/;
const SIGNED = /^\s*-?\d+\s*$/;

function invalid(message: string): AttributeProblem {
  return { code: 'invalid_attribute', message };
}

/** Spellings of true and false that blocks may use, as the format's `block-attributes` rule accepts them. */
const TRUE = /^(true|yes|1|on)$/i;
const FALSE = /^(false|no|0|off)$/i;

/** Reads a boolean attribute checked by `booleanAttribute` (anything else is false). */
export function isTrueAttribute(value: string | undefined): boolean {
  return value !== undefined && TRUE.test(value);
}

export function booleanAttribute(name: string, description: string): AttributeSpec {
  return {
    name,
    description,
    example: 'true',
    check: (value) =>
      TRUE.test(value) || FALSE.test(value)
        ? undefined
        : invalid(`${name}=${value} is not a boolean; write ${name}=true or ${name}=false`),
  };
}

export function choiceAttribute(name: string, description: string, choices: readonly string[]): AttributeSpec {
  return {
    name,
    description,
    example: choices[0] ?? '',
    check: (value) =>
      choices.includes(value) ? undefined : invalid(`${name}=${value} is not one of ${choices.join(', ')}`),
  };
}

export interface IntegerAttribute {
  readonly name: string;
  readonly description: string;
  readonly example: string;
  /** Negative values allowed (a seed), or only 0 and up (a count). */
  readonly signed: boolean;
  /** The operator's cap, and the flag that sets it, for attributes the operator bounds. */
  readonly cap?: { readonly of: (limits: RunLimits) => number; readonly flag: string; readonly unit: string };
}

export function integerAttribute(spec: IntegerAttribute): AttributeSpec {
  const { name, cap } = spec;
  return {
    name,
    description: spec.description,
    example: spec.example,
    check(value, limits) {
      const n = (spec.signed ? SIGNED : WHOLE).test(value) ? Number(value) : NaN;
      if (!Number.isSafeInteger(n))
        return invalid(
          `${name}=${value} is not ${spec.signed ? 'an integer' : 'a whole number'} (e.g. ${name}=${spec.example})`,
        );
      const most = cap?.of(limits);
      if (cap && most !== undefined && n > most)
        return {
          code: 'limit_exceeded',
          message: `${name}=${value} is more than the ${most} ${cap.unit} this gateway allows (its ${cap.flag}); ask for at most ${name}=${most}`,
        };
      return undefined;
    },
  };
}
