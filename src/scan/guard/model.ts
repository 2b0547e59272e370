/**
 * The injection classifier's model: logistic regression over hashed n-gram features (features.ts). Stored as
 * text so the pure scan area can hold it without file I/O: the weights quantized to signed bytes (one scale for
 * all), base64-encoded, in a generated module (generated/guard-model.ts) that `npm run train:guard` writes.
 */
import { FeatureHasher } from './features.js';
import { normalizeText } from './normalize.js';

/** Version of the serialized form below; a loader refuses any other. */
export const GUARD_MODEL_FORMAT = 1;

export interface SerializedGuardModel {
  readonly format: number;
  /** Name and date of the training run, shown in `maml scan --json`. */
  readonly name: string;
  readonly bits: number;
  readonly bias: number;
  /** Weight = signed byte × scale. */
  readonly scale: number;
  /** 2^bits signed bytes, base64. */
  readonly weights: string;
  /** Sources the model was trained on (file names under the injection data folder, and the extra material). */
  readonly trainedOn: readonly string[];
}

export interface GuardModel {
  readonly name: string;
  readonly bits: number;
  readonly bias: number;
  readonly weights: Float32Array;
}

export function loadGuardModel(s: SerializedGuardModel): GuardModel {
  if (s.format !== GUARD_MODEL_FORMAT) throw new Error(`guard model format ${s.format} is not ${GUARD_MODEL_FORMAT}`);
  const binary = atob(s.weights);
  if (binary.length !== 1 << s.bits) throw new Error(`guard model holds ${binary.length} weights, not 2^${s.bits}`);
  const weights = new Float32Array(binary.length);
  for (let i = 0; i < binary.length; i++) weights[i] = ((binary.charCodeAt(i) << 24) >> 24) * s.scale;
  return { name: s.name, bits: s.bits, bias: s.bias, weights };
}

/** Quantizes trained weights to the serialized form (what the training script writes). */
export function serializeGuardModel(
  name: string,
  bits: number,
  bias: number,
  weights: ArrayLike<number>,
  trainedOn: readonly string[],
): SerializedGuardModel {
  let max = 0;
  for (let i = 0; i < weights.length; i++) max = Math.max(max, Math.abs(weights[i] ?? 0));
  const scale = max > 0 ? max / 127 : 1;
  let binary = '';
  for (let i = 0; i < weights.length; i++) {
    const q = Math.max(-127, Math.min(127, Math.round((weights[i] ?? 0) / scale)));
    binary += String.fromCharCode(q & 0xff);
  }
  // Rounded so the generated file is byte-for-byte the same on every machine that prints doubles the same way.
  return {
    format: GUARD_MODEL_FORMAT,
    name,
    bits,
    bias: Number(bias.toPrecision(9)),
    scale,
    weights: btoa(binary),
    trainedOn,
  };
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** Scores texts with one model, reusing one feature scratch array (not safe to share across threads). */
export class GuardScorer {
  private readonly hasher: FeatureHasher;

  constructor(readonly model: GuardModel) {
    this.hasher = new FeatureHasher(model.bits);
  }

  /** Probability that already-normalized text is an injection or jailbreak attempt. */
  scoreNormalized(normalized: string): number {
    this.hasher.add(normalized);
    return sigmoid(this.model.bias + this.hasher.dot(this.model.weights));
  }

  score(text: string): number {
    return this.scoreNormalized(normalizeText(text));
  }
}
