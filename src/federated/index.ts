/**
 * Federated learning: secure aggregation (pairwise and self masks over X25519 key agreement, Shamir-shared seeds,
 * dropout recovery), fixed-point encoding, differential-privacy clipping and noise, and the Rényi DP accountant.
 * Pure: no Node I/O; the coordinator that runs rounds on heads lives in the runtime.
 */
export { addInto, decodeSum, encodeUpdate, fixedPointCodec, subtractFrom, MODULUS_BITS } from './fixed-point.js';
export type { EncodeResult, FixedPointCodec, FixedPointParams } from './fixed-point.js';
export { applyMask } from './mask-prg.js';
export { combineShares, shareSecret, MAX_SHARES } from './shamir.js';
export { SecAggClient } from './secagg-client.js';
export { SecAggServer } from './secagg-server.js';
export type { AggregateResult, Exclusion, SecAggServerOptions, StepResult } from './secagg-server.js';
export { SecAggProtocolError, SECAGG_FAILURES } from './secagg-error.js';
export type { SecAggFailure, SecAggFailureCode, SecAggStep } from './secagg-error.js';
export type * from './secagg-messages.js';
export { runSecureRound } from './secagg-round.js';
export type { RoundClient, SecureRoundOptions } from './secagg-round.js';
export { gaussianNoise, seededRandom, systemRandom } from './seeded-random.js';
export type { RandomSource } from './seeded-random.js';
export { logAdd, logErfc, logSub } from './log-math.js';
export {
  checkAccountantParams,
  DEFAULT_ORDERS,
  epsilonFromRdp,
  noiseForEpsilon,
  privacySpent,
  rdpSampledGaussian,
} from './rdp-accountant.js';
export type { AccountantParams, PrivacySpent } from './rdp-accountant.js';
export { compileFederatedConfig } from './federated-config.js';
export type { ConfigIssue, ConfigResult, FederatedConfig, PrivacyConfig } from './federated-config.js';
export { clipToNorm, l2Norm } from './dp-clip.js';
export { aggregateRound, defaultThreshold } from './aggregate-round.js';
export type { AggregateOptions, ClientReport, RoundAggregate, RoundFailure } from './aggregate-round.js';
