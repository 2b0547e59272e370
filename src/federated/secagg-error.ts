/**
 * What ends a secure-aggregation round early, as data: the step it stopped at, a stable code and a message that
 * names the clients involved and the next step for the operator.
 */
export const SECAGG_FAILURES = ['too_few_clients', 'bad_shares', 'bad_roster', 'protocol_violation'] as const;
export type SecAggFailureCode = (typeof SECAGG_FAILURES)[number];

export type SecAggStep = 'advertise_keys' | 'share_keys' | 'masked_input' | 'unmask';

export interface SecAggFailure {
  readonly ok: false;
  readonly code: SecAggFailureCode;
  readonly step: SecAggStep;
  readonly message: string;
}

/** A client or server that sees the other side break the protocol stops with this. */
export class SecAggProtocolError extends Error {
  override readonly name = 'SecAggProtocolError';
  constructor(
    readonly step: SecAggStep,
    message: string,
  ) {
    super(message);
  }
}

export function tooFew(step: SecAggStep, have: number, threshold: number, what: string): SecAggFailure {
  return {
    ok: false,
    code: 'too_few_clients',
    step,
    message:
      `only ${have} client(s) ${what}, fewer than the threshold t = ${threshold}: the round is aborted and ` +
      'nothing about any update is revealed; lower `threshold` or wait for more clients',
  };
}
