/**
 * The client side of secure aggregation (Bonawitz et al., CCS 2017, Figure 4, honest-but-curious variant with
 * double masking). A client draws two X25519 key pairs and a self-mask seed b_u, shares its masking secret key and
 * b_u with the others (t of n), and sends its encoded update masked twice: by PRG(b_u) and by the pairwise masks
 * PRG(s_{u,v}) that cancel in the sum. At the end it reveals, for each other client, either that client's b-share
 * (it survived) or its masking-key share (it dropped), never both: so the server never holds both masks of one
 * client's input.
 */
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { applyMask } from './mask-prg.js';
import { encodeUpdate, type FixedPointCodec } from './fixed-point.js';
import { keyPairFrom, pairwiseMaskSeed, shareKey, type KeyPair } from './key-agreement.js';
import { SHARE_BYTES, shareSecret } from './shamir.js';
import { SecAggProtocolError } from './secagg-error.js';
import { systemRandom, type RandomSource } from './seeded-random.js';
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

const NONCE = new Uint8Array(12);

function aad(round: string, from: string, to: string): Uint8Array {
  return utf8ToBytes(JSON.stringify(['maml-secagg-v1', round, from, to]));
}

interface HeldShares {
  readonly maskingKey: Uint8Array;
  readonly selfMask: Uint8Array;
}

export class SecAggClient {
  readonly #encryption: KeyPair;
  readonly #masking: KeyPair;
  readonly #selfMask: Uint8Array;
  #roster: Roster | undefined;
  /** Shares this client holds, by the client they belong to (itself included): the clients of U2 in its view. */
  readonly #held = new Map<string, HeldShares>();
  #revealed = false;

  constructor(
    readonly id: string,
    random: RandomSource = systemRandom,
  ) {
    this.#encryption = keyPairFrom(random(32));
    this.#masking = keyPairFrom(random(32));
    this.#selfMask = random(32);
  }

  advertise(): AdvertiseKeys {
    return {
      type: 'advertise_keys',
      client: this.id,
      encryptionKey: this.#encryption.publicKey,
      maskingKey: this.#masking.publicKey,
    };
  }

  /** Step 1: t-of-n shares of s_u^SK and b_u, one per client of U1, each encrypted to its holder. */
  async shareKeys(roster: Roster): Promise<ShareKeys> {
    const n = roster.clients.length;
    const ids = new Set(roster.clients.map((c) => c.client));
    if (ids.size !== n || !ids.has(this.id))
      throw new SecAggProtocolError('share_keys', `the roster must list each client once, ${this.id} included`);
    if (n < roster.threshold || roster.threshold < 2)
      throw new SecAggProtocolError('share_keys', `a roster of ${n} cannot meet threshold ${roster.threshold}`);
    this.#roster = roster;
    const keyShares = await shareSecret(this.#masking.secretKey, n, roster.threshold);
    const maskShares = await shareSecret(this.#selfMask, n, roster.threshold);
    const ciphertexts: { to: string; ciphertext: Uint8Array }[] = [];
    roster.clients.forEach((peer, i) => {
      const held = { maskingKey: keyShares[i] as Uint8Array, selfMask: maskShares[i] as Uint8Array };
      if (peer.client === this.id) {
        this.#held.set(this.id, held);
        return;
      }
      const key = shareKey(this.#encryption.secretKey, peer.encryptionKey, roster.round, this.id, peer.client);
      const plain = new Uint8Array(2 * SHARE_BYTES);
      plain.set(held.maskingKey, 0);
      plain.set(held.selfMask, SHARE_BYTES);
      const cipher = chacha20poly1305(key, NONCE, aad(roster.round, this.id, peer.client));
      ciphertexts.push({ to: peer.client, ciphertext: cipher.encrypt(plain) });
    });
    return { type: 'share_keys', client: this.id, ciphertexts };
  }

  /**
   * Step 2: opens the shares addressed to it (their senders are U2), then encodes the update and masks it. An
   * update that fails the fixed-point checks is not sent: the client withdraws and says why.
   */
  maskInput(
    shares: SharesFor,
    codec: FixedPointCodec,
    update: ArrayLike<number>,
    weight: number,
  ): MaskedInput | Withdraw {
    const roster = this.#roster;
    if (roster === undefined) throw new SecAggProtocolError('masked_input', 'masked input asked before the roster');
    const byId = new Map(roster.clients.map((c) => [c.client, c]));
    for (const { from, ciphertext } of shares.ciphertexts) {
      const peer = byId.get(from);
      if (peer === undefined || from === this.id || this.#held.has(from))
        throw new SecAggProtocolError('masked_input', `unexpected shares from ${from}`);
      // The sender bound the key to the direction from -> to; derive it the same way.
      const senderKey = shareKey(this.#encryption.secretKey, peer.encryptionKey, roster.round, from, this.id);
      let plain: Uint8Array;
      try {
        plain = chacha20poly1305(senderKey, NONCE, aad(roster.round, from, this.id)).decrypt(ciphertext);
      } catch {
        throw new SecAggProtocolError('masked_input', `the shares from ${from} do not authenticate`);
      }
      if (plain.length !== 2 * SHARE_BYTES)
        throw new SecAggProtocolError('masked_input', `the shares from ${from} have the wrong length`);
      this.#held.set(from, {
        maskingKey: plain.slice(0, SHARE_BYTES),
        selfMask: plain.slice(SHARE_BYTES),
      });
    }
    if (this.#held.size < roster.threshold)
      throw new SecAggProtocolError(
        'masked_input',
        `only ${this.#held.size} clients shared keys, fewer than t = ${roster.threshold}`,
      );
    const encoded = encodeUpdate(codec, update, weight);
    if (!encoded.ok) return { type: 'withdraw', client: this.id, code: encoded.code, message: encoded.message };
    const masked = encoded.value;
    applyMask(masked, this.#selfMask, 1);
    for (const peer of this.#held.keys()) {
      if (peer === this.id) continue;
      const info = byId.get(peer) as AdvertiseKeys;
      const seed = pairwiseMaskSeed(this.#masking.secretKey, info.maskingKey, roster.round);
      // u adds PRG(s_uv) for every v ordered after it and subtracts it for every v before it; the pair cancels.
      applyMask(masked, seed, this.id < peer ? 1 : -1);
      seed.fill(0);
    }
    return { type: 'masked_input', client: this.id, masked };
  }

  /** Step 3: for each client of U2, its b-share if it survived (is in U3), else its masking-key share. */
  unmask(request: UnmaskRequest): UnmaskResponse {
    const roster = this.#roster;
    if (roster === undefined) throw new SecAggProtocolError('unmask', 'unmasking asked before the roster');
    if (this.#revealed) throw new SecAggProtocolError('unmask', 'unmasking asked twice');
    const survivors = new Set(request.survivors);
    if (survivors.size !== request.survivors.length)
      throw new SecAggProtocolError('unmask', 'the survivor list names a client twice');
    for (const s of survivors)
      if (!this.#held.has(s)) throw new SecAggProtocolError('unmask', `survivor ${s} never shared keys`);
    if (survivors.size < roster.threshold)
      throw new SecAggProtocolError('unmask', `only ${survivors.size} survivors, fewer than t = ${roster.threshold}`);
    this.#revealed = true;
    const selfMaskShares: { of: string; share: Uint8Array }[] = [];
    const maskingKeyShares: { of: string; share: Uint8Array }[] = [];
    for (const [of, held] of this.#held) {
      if (survivors.has(of)) selfMaskShares.push({ of, share: held.selfMask });
      else maskingKeyShares.push({ of, share: held.maskingKey });
    }
    return { type: 'unmask_response', client: this.id, selfMaskShares, maskingKeyShares };
  }
}
