/**
 * The server side of secure aggregation (Bonawitz et al., CCS 2017, Figure 4). It relays keys and ciphertexts,
 * adds the masked inputs, and at the end rebuilds from t shares each survivor's self-mask seed b_u and each
 * dropped client's masking secret key, so it can remove exactly the masks that do not cancel. It learns the sum of
 * the survivors' inputs and nothing else. A masked input of the wrong length is excluded and its sender named; the
 * sender is then handled like a client that dropped out.
 */
import { x25519 } from '@noble/curves/ed25519.js';
import { equalBytes } from '@noble/ciphers/utils.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { applyMask } from './mask-prg.js';
import { addInto } from './fixed-point.js';
import { pairwiseMaskSeed } from './key-agreement.js';
import { combineShares, MAX_SHARES } from './shamir.js';
import { tooFew, type SecAggFailure } from './secagg-error.js';
import type {
  AdvertiseKeys,
  MaskedInput,
  Roster,
  ShareKeys,
  SharesFor,
  UnmaskRequest,
  UnmaskResponse,
  Withdraw,
} from './secagg-messages.js';

export interface Exclusion {
  readonly client: string;
  readonly code: string;
  readonly message: string;
}

export type StepResult<T> = { readonly ok: true; readonly value: T } | SecAggFailure;

export interface AggregateResult {
  readonly ok: true;
  /** Sum modulo 2^32 of the included clients' encoded vectors. */
  readonly sum: Uint32Array;
  readonly included: readonly string[];
  /** Clients that advertised keys but sent no masked input in time. */
  readonly dropped: readonly string[];
  /** Clients whose input was refused, with the reason. */
  readonly excluded: readonly Exclusion[];
}

export interface SecAggServerOptions {
  readonly round: string;
  readonly threshold: number;
  /** Length of every encoded vector (parameters + 1 weight word). */
  readonly vectorLength: number;
}

function validKey(key: unknown): key is Uint8Array {
  if (!(key instanceof Uint8Array) || key.length !== 32) return false;
  try {
    // A low-order point gives an all-zero shared secret, which noble refuses: such a key would fix the masks.
    x25519.getSharedSecret(x25519.utils.randomSecretKey(), key);
    return true;
  } catch {
    return false;
  }
}

export class SecAggServer {
  readonly #options: SecAggServerOptions;
  #roster: Roster | undefined;
  #u2: string[] = [];
  #sum: Uint32Array | undefined;
  #u3: string[] = [];
  readonly #excluded: Exclusion[] = [];

  constructor(options: SecAggServerOptions) {
    if (options.threshold < 2) throw new RangeError('the threshold must be at least 2');
    this.#options = options;
  }

  get excluded(): readonly Exclusion[] {
    return this.#excluded;
  }

  /** Step 0: U1, every client with a unique name and two valid, distinct public keys. */
  receiveKeys(messages: readonly AdvertiseKeys[]): StepResult<Roster> {
    const seen = new Set<string>();
    const keys = new Set<string>();
    const clients: AdvertiseKeys[] = [];
    for (const m of messages) {
      const hex = [m.encryptionKey, m.maskingKey].map((k) => (k instanceof Uint8Array ? bytesToHex(k) : ''));
      let reason: string | undefined;
      if (seen.has(m.client)) reason = 'advertised keys twice';
      else if (!validKey(m.encryptionKey) || !validKey(m.maskingKey)) reason = 'sent an invalid X25519 public key';
      else if (hex.some((h) => keys.has(h)) || hex[0] === hex[1]) reason = 'reused a public key';
      if (reason !== undefined) {
        this.#excluded.push({ client: m.client, code: 'bad_keys', message: `${m.client} ${reason}` });
        continue;
      }
      seen.add(m.client);
      for (const h of hex) keys.add(h);
      clients.push(m);
    }
    if (clients.length > MAX_SHARES)
      return {
        ok: false,
        code: 'bad_roster',
        step: 'advertise_keys',
        message: `${clients.length} clients in one round; secure aggregation takes at most ${MAX_SHARES}`,
      };
    if (clients.length < this.#options.threshold)
      return tooFew('advertise_keys', clients.length, this.#options.threshold, 'advertised keys');
    this.#roster = { type: 'roster', round: this.#options.round, threshold: this.#options.threshold, clients };
    return { ok: true, value: this.#roster };
  }

  /** Step 1: U2, the clients of U1 that sent a ciphertext for every other member of U1; relays them. */
  receiveShares(messages: readonly ShareKeys[]): StepResult<SharesFor[]> {
    const roster = this.#roster;
    if (roster === undefined) throw new Error('receiveShares before receiveKeys');
    const members = roster.clients.map((c) => c.client);
    const accepted = new Map<string, ShareKeys>();
    for (const m of messages) {
      const targets = new Set(m.ciphertexts.map((c) => c.to));
      const complete =
        members.includes(m.client) &&
        !accepted.has(m.client) &&
        targets.size === m.ciphertexts.length &&
        targets.size === members.length - 1 &&
        members.every((id) => id === m.client || targets.has(id));
      if (complete) accepted.set(m.client, m);
      else
        this.#excluded.push({
          client: m.client,
          code: 'bad_shares',
          message: `${m.client} did not send exactly one share ciphertext to each other client of the round`,
        });
    }
    if (accepted.size < this.#options.threshold)
      return tooFew('share_keys', accepted.size, this.#options.threshold, 'shared their keys');
    this.#u2 = [...accepted.keys()];
    const out = this.#u2.map((to) => ({
      type: 'shares_for' as const,
      to,
      ciphertexts: this.#u2
        .filter((from) => from !== to)
        .map((from) => ({
          from,
          ciphertext: (accepted.get(from) as ShareKeys).ciphertexts.find((c) => c.to === to)?.ciphertext as Uint8Array,
        })),
    }));
    return { ok: true, value: out };
  }

  /**
   * Step 2: adds the masked inputs of U2's members. A withdrawal, or a vector of the wrong type or length, excludes
   * its sender by name; U3 is the rest.
   */
  receiveMasked(messages: readonly (MaskedInput | Withdraw)[]): StepResult<UnmaskRequest> {
    const u2 = new Set(this.#u2);
    const n = this.#options.vectorLength;
    const sum = new Uint32Array(n);
    const u3: string[] = [];
    for (const m of messages) {
      if (!u2.has(m.client) || u3.includes(m.client)) continue;
      if (m.type === 'withdraw') {
        this.#excluded.push({ client: m.client, code: m.code, message: `${m.client}: ${m.message}` });
        continue;
      }
      if (!(m.masked instanceof Uint32Array) || m.masked.length !== n) {
        const got = m.masked instanceof Uint32Array ? `${m.masked.length} words` : 'not a vector of 32-bit words';
        this.#excluded.push({
          client: m.client,
          code: 'wrong_length',
          message: `${m.client} sent a masked vector of ${got}; the round expects ${n}`,
        });
        continue;
      }
      addInto(sum, m.masked);
      u3.push(m.client);
    }
    if (u3.length < this.#options.threshold)
      return tooFew('masked_input', u3.length, this.#options.threshold, 'sent a valid masked input');
    this.#sum = sum;
    this.#u3 = u3;
    return { ok: true, value: { type: 'unmask_request', survivors: [...u3] } };
  }

  /** Step 3: with t responses from U3, removes every mask that did not cancel and returns the sum. */
  async finish(responses: readonly UnmaskResponse[]): Promise<AggregateResult | SecAggFailure> {
    const roster = this.#roster;
    const sum = this.#sum;
    if (roster === undefined || sum === undefined) throw new Error('finish before receiveMasked');
    const u3 = new Set(this.#u3);
    const seen = new Set<string>();
    const usable = responses.filter((r) => u3.has(r.client) && !seen.has(r.client) && seen.add(r.client));
    const t = this.#options.threshold;
    if (usable.length < t) return tooFew('unmask', usable.length, t, 'answered the unmasking request');
    const unmasked = this.#u2.filter((id) => !u3.has(id));
    const keys = new Map(roster.clients.map((c) => [c.client, c]));
    const sharesOf = (of: string, kind: 'selfMaskShares' | 'maskingKeyShares'): Uint8Array[] =>
      usable.flatMap((r) => r[kind].filter((s) => s.of === of).map((s) => s.share));

    for (const u of this.#u3) {
      const seed = await combineShares(sharesOf(u, 'selfMaskShares'), t);
      if (seed === undefined) return badShares(`fewer than ${t} valid self-mask shares of ${u} came back`);
      applyMask(sum, seed, -1);
    }
    for (const u of unmasked) {
      const secret = await combineShares(sharesOf(u, 'maskingKeyShares'), t);
      const advertised = (keys.get(u) as AdvertiseKeys).maskingKey;
      if (secret === undefined || !equalBytes(x25519.getPublicKey(secret), advertised))
        return badShares(`the masking-key shares of dropped client ${u} do not rebuild its advertised key`);
      for (const v of this.#u3) {
        const seed = pairwiseMaskSeed(secret, (keys.get(v) as AdvertiseKeys).maskingKey, roster.round);
        // v added +PRG(s_vu) when v < u and -PRG(s_vu) otherwise; take that term back out.
        applyMask(sum, seed, v < u ? -1 : 1);
      }
      secret.fill(0);
    }
    const excludedIds = new Set(this.#excluded.map((e) => e.client));
    const dropped = roster.clients.map((c) => c.client).filter((id) => !u3.has(id) && !excludedIds.has(id));
    return { ok: true, sum, included: [...this.#u3], dropped, excluded: [...this.#excluded] };
  }
}

function badShares(message: string): SecAggFailure {
  return { ok: false, code: 'bad_shares', step: 'unmask', message: `${message}: the round is aborted` };
}
