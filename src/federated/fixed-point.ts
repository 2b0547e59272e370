/**
 * Fixed-point encoding of model updates into the group Z_M, M = 2^32, where secure aggregation adds them.
 *
 * A real value x with |x| <= range becomes round(x * scale) in two's complement modulo 2^32. The scale is chosen
 * from the range, the number of clients and the largest weight a client may multiply its update by, so that the
 * sum of every client's weighted, encoded update stays inside (-2^31, 2^31): the sum decodes exactly (up to the
 * rounding of each term), and a value outside the range is refused when it is encoded instead of wrapping around
 * silently. The last coordinate of an encoded vector carries the client's weight as a plain integer, so the server
 * learns only the total weight, never a client's own.
 */

export const MODULUS_BITS = 32;
/** Half the modulus: every partial sum stays strictly inside (-HALF, HALF). */
const HALF = 2 ** (MODULUS_BITS - 1);

export interface FixedPointParams {
  /** Largest |value| of one coordinate of a client's (unweighted) update. */
  readonly range: number;
  /** Most clients whose encoded vectors are added. */
  readonly clients: number;
  /** Largest weight (for example a sample count) a client multiplies its update by; 1 for an unweighted sum. */
  readonly maxWeight: number;
}

export interface FixedPointCodec extends FixedPointParams {
  /** Integer units per 1.0: the resolution of one coordinate is 1/scale. */
  readonly scale: number;
}

export type EncodeResult =
  | { readonly ok: true; readonly value: Uint32Array }
  | { readonly ok: false; readonly code: 'not_finite' | 'out_of_range' | 'bad_weight'; readonly message: string };

/** Builds the codec, or says why the parameters cannot fit in 2^32 (a usage error for the caller to report). */
export function fixedPointCodec(params: FixedPointParams): FixedPointCodec | string {
  const { range, clients, maxWeight } = params;
  if (!(range > 0) || !Number.isFinite(range)) return `range must be a positive number (got ${range})`;
  if (!Number.isInteger(clients) || clients < 1) return `clients must be a positive integer (got ${clients})`;
  if (!Number.isInteger(maxWeight) || maxWeight < 1) return `max weight must be a positive integer (got ${maxWeight})`;
  if (clients * maxWeight >= HALF)
    return `${clients} clients of weight up to ${maxWeight} overflow the 2^32 modulus: lower max_weight`;
  const scale = Math.floor((HALF - 1) / (clients * maxWeight * range));
  if (scale < 1)
    return `range ${range} x ${clients} clients x weight ${maxWeight} leaves no fixed-point resolution in 2^32: lower the range or max_weight`;
  return { range, clients, maxWeight, scale };
}

/** Encodes `weight * values` followed by `weight`, refusing non-finite or out-of-range values. */
export function encodeUpdate(codec: FixedPointCodec, values: ArrayLike<number>, weight: number): EncodeResult {
  if (!Number.isInteger(weight) || weight < 0 || weight > codec.maxWeight)
    return { ok: false, code: 'bad_weight', message: `weight ${weight} is not an integer in 0..${codec.maxWeight}` };
  const out = new Uint32Array(values.length + 1);
  const k = weight * codec.scale;
  for (let i = 0; i < values.length; i++) {
    const x = values[i] as number;
    if (!Number.isFinite(x)) return { ok: false, code: 'not_finite', message: `coordinate ${i} is ${x}` };
    if (Math.abs(x) > codec.range)
      return {
        ok: false,
        code: 'out_of_range',
        message: `coordinate ${i} is ${x}, outside [-${codec.range}, ${codec.range}]`,
      };
    // Uint32Array stores the two's complement of a negative integer modulo 2^32.
    out[i] = Math.round(x * k);
  }
  out[values.length] = weight;
  return { ok: true, value: out };
}

/** Decodes an unmasked sum: the summed values (still multiplied by the weights) and the total weight. */
export function decodeSum(codec: FixedPointCodec, sum: Uint32Array): { values: Float64Array; totalWeight: number } {
  const n = sum.length - 1;
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = sum[i] as number;
    values[i] = (v >= HALF ? v - 2 * HALF : v) / codec.scale;
  }
  return { values, totalWeight: sum[n] as number };
}

/** Adds b into a modulo 2^32 (a Uint32Array store wraps). */
export function addInto(a: Uint32Array, b: Uint32Array): void {
  for (let i = 0; i < a.length; i++) a[i] = (a[i] as number) + (b[i] as number);
}

/** Subtracts b from a modulo 2^32. */
export function subtractFrom(a: Uint32Array, b: Uint32Array): void {
  for (let i = 0; i < a.length; i++) a[i] = (a[i] as number) - (b[i] as number);
}
