/**
 * Client-update clipping for DP-FedAvg (McMahan et al., ICLR 2018, Algorithm 1): each update is scaled down to
 * L2 norm at most `clip`, so adding or removing one client changes the sum by at most `clip` (the sensitivity the
 * Gaussian noise is calibrated to). The privacy unit is a client, not a record.
 */
export function l2Norm(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += (values[i] as number) ** 2;
  return Math.sqrt(s);
}

/** A copy of `values` with L2 norm at most `clip`, and whether it had to be scaled. */
export function clipToNorm(values: ArrayLike<number>, clip: number): { values: Float64Array; clipped: boolean } {
  const out = Float64Array.from(values);
  const norm = l2Norm(out);
  if (norm <= clip) return { values: out, clipped: false };
  const k = clip / norm;
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) * k;
  // Rounding can leave the norm a hair above clip; one more scale by (1 - 2^-50) keeps every coordinate in range.
  if (l2Norm(out) > clip) for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) * (1 - 2 ** -50);
  return { values: out, clipped: true };
}
