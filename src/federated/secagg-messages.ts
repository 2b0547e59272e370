/**
 * The messages of one secure-aggregation round (Bonawitz et al., CCS 2017, Figure 4, honest-but-curious
 * variant), one type per step and direction. The server sees only what is here: public keys, ciphertexts it cannot
 * open, masked vectors and, at the end, the shares it needs to remove masks.
 */

/** Step 0, client -> server: the client's two public keys. */
export interface AdvertiseKeys {
  readonly type: 'advertise_keys';
  readonly client: string;
  /** c_u^PK: shares sent to this client are encrypted to it. */
  readonly encryptionKey: Uint8Array;
  /** s_u^PK: pairwise mask seeds are agreed with it. */
  readonly maskingKey: Uint8Array;
}

/** Step 0, server -> clients: everyone who advertised keys (U1), and the threshold. */
export interface Roster {
  readonly type: 'roster';
  readonly round: string;
  readonly threshold: number;
  readonly clients: readonly AdvertiseKeys[];
}

/** Step 1, client -> server: for every other client v in U1, v's shares of this client's secrets, encrypted to v. */
export interface ShareKeys {
  readonly type: 'share_keys';
  readonly client: string;
  readonly ciphertexts: readonly { readonly to: string; readonly ciphertext: Uint8Array }[];
}

/** Step 1, server -> one client: the ciphertexts addressed to it, which also names U2 (the clients that shared). */
export interface SharesFor {
  readonly type: 'shares_for';
  readonly to: string;
  readonly ciphertexts: readonly { readonly from: string; readonly ciphertext: Uint8Array }[];
}

/** Step 2, client -> server: y_u = x_u + PRG(b_u) + sum_v ±PRG(s_{u,v}) mod 2^32. */
export interface MaskedInput {
  readonly type: 'masked_input';
  readonly client: string;
  readonly masked: Uint32Array;
}

/** Step 2, client -> server instead of a masked input: the client's own update failed the checks. */
export interface Withdraw {
  readonly type: 'withdraw';
  readonly client: string;
  readonly code: string;
  readonly message: string;
}

/** Step 3, server -> survivors: U3, the clients whose masked input the server accepted. */
export interface UnmaskRequest {
  readonly type: 'unmask_request';
  readonly survivors: readonly string[];
}

/** Step 3, client -> server: b-shares of survivors and masking-key shares of the dropped, never both for one. */
export interface UnmaskResponse {
  readonly type: 'unmask_response';
  readonly client: string;
  readonly selfMaskShares: readonly { readonly of: string; readonly share: Uint8Array }[];
  readonly maskingKeyShares: readonly { readonly of: string; readonly share: Uint8Array }[];
}

export type ClientToServer = AdvertiseKeys | ShareKeys | MaskedInput | Withdraw | UnmaskResponse;
export type ServerToClient = Roster | SharesFor | UnmaskRequest;
