/**
 * Verifies OAuth2 bearer JWTs with `jose` against a JWKS (an https/http URL, fetched and cached by jose, or a local
 * file). Issuer, audience and expiry are checked, and only asymmetric algorithms from the allow-list are accepted:
 * `alg: none` and HMAC algorithms (the "HMAC keyed with the public key" confusion) never verify.
 */
import { readFile } from 'node:fs/promises';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from 'jose';
import { MamlError } from '../../shared/index.js';
import { scopesOf, type Principal } from './principal.js';

/** RFC 7518 / RFC 8037 asymmetric algorithms; symmetric (HS*) and `none` are deliberately absent. */
export const DEFAULT_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'EdDSA',
] as const;

export interface JwtOptions {
  /** JWKS URL (http/https) or path of a JWKS JSON file. */
  readonly jwks: string;
  readonly issuer: string;
  readonly audience: string;
  readonly algorithms?: readonly string[];
  /** Allowed clock skew in seconds (default 30). */
  readonly clockToleranceSec?: number;
}

export type TokenVerifier = (token: string) => Promise<Principal>;

async function keySet(jwks: string): Promise<JWTVerifyGetKey> {
  if (/^https?:\/\//.test(jwks)) return createRemoteJWKSet(new URL(jwks), { timeoutDuration: 5000 });
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(jwks, 'utf8'));
  } catch (error) {
    throw new MamlError('usage', `--jwks ${jwks}: cannot read a JWKS JSON file (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray((parsed as { keys?: unknown }).keys))
    throw new MamlError('usage', `--jwks ${jwks}: expected a JSON object with a "keys" array`);
  return createLocalJWKSet(parsed as JSONWebKeySet);
}

function reason(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `the token's ${error.claim} claim is not accepted`;
  if (error instanceof errors.JOSEAlgNotAllowed) return 'the token is signed with an algorithm that is not allowed';
  if (error instanceof errors.JWKSNoMatchingKey) return 'no key in the JWKS matches the token (unknown kid)';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token signature does not verify';
  if (error instanceof errors.JWKSTimeout) return 'the JWKS endpoint did not answer in time';
  if (error instanceof errors.JOSEError) return `the token is not valid (${error.code})`;
  return 'the token is not valid';
}

export async function jwtVerifier(options: JwtOptions): Promise<TokenVerifier> {
  const algorithms = [...(options.algorithms ?? DEFAULT_ALGORITHMS)];
  const bad = algorithms.find((a) => a === 'none' || /^HS/i.test(a));
  if (bad !== undefined) throw new MamlError('usage', `algorithm ${bad} cannot be allowed for bearer tokens`);
  const keys = await keySet(options.jwks);
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms,
        clockTolerance: options.clockToleranceSec ?? 30,
        requiredClaims: ['sub', 'exp'],
      });
      return { subject: String(payload.sub), scopes: scopesOf(payload) };
    } catch (error) {
      throw new MamlError('unauthorized', reason(error));
    }
  };
}
