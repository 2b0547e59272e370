/**
 * Verifies OAuth2 bearer JWTs with `jose` against a JWKS (an https/http URL, fetched and cached by jose, or a local
 * file). Issuer, audience and expiry are checked, and only asymmetric algorithms from the allow-list are accepted:
 * `alg: none` and HMAC algorithms (the "HMAC keyed with the public key" confusion) never verify. The header must
 * name its key (`kid`), so a key is never guessed for a token, and its `typ`, when present, must say JWT.
 * Failing to fetch the JWKS is the gateway's problem, not the token's: it is `unavailable`, not `unauthorized`.
 */
import { readFile } from 'node:fs/promises';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeProtectedHeader,
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

/**
 * Tokens longer than this are refused before any decoding. Real access tokens are well under 2 KiB; Node's 16 KiB
 * header limit would allow eight times this.
 */
export const MAX_TOKEN_CHARS = 8192;

/** Longest `sub` accepted (it becomes the run's recorded identity). */
const MAX_SUBJECT_CHARS = 512;

/**
 * `typ` values of a JWT access token: RFC 7519 §5.1 recommends `JWT`; RFC 9068 §2.1 gives `at+jwt` (the
 * `application/` prefix may be left out, RFC 7515 §4.1.9). Compared without regard to case.
 */
const TOKEN_TYPES = new Set(['jwt', 'application/jwt', 'at+jwt', 'application/at+jwt']);

/** The JWKS could not be fetched or read: thrown by the key lookup, answered as 503. */
class JwksUnavailable extends Error {}

async function keySet(jwks: string): Promise<JWTVerifyGetKey> {
  if (/^https?:\/\//.test(jwks)) {
    const remote = createRemoteJWKSet(new URL(jwks), { timeoutDuration: 5000 });
    // Only "no such key" is about the token; a failed fetch, a non-200 answer or a body that is not a JWKS is not.
    return async (header, token) => {
      try {
        return await remote(header, token);
      } catch (error) {
        if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
        throw new JwksUnavailable(error instanceof errors.JWKSTimeout ? 'it did not answer in time' : reasonOf(error), {
          cause: error,
        });
      }
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(jwks, 'utf8'));
  } catch (error) {
    throw new MamlError('usage', `--jwks ${jwks}: cannot read a JWKS JSON file (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray((parsed as { keys?: unknown }).keys))
    throw new MamlError('usage', `--jwks ${jwks}: expected a JSON object with a "keys" array`);
  const keys = (parsed as { keys: unknown[] }).keys;
  const unnamed = keys.findIndex((k) => typeof (k as { kid?: unknown } | null)?.kid !== 'string');
  if (unnamed >= 0)
    throw new MamlError('usage', `--jwks ${jwks}: key ${unnamed + 1} has no "kid"; tokens must name their key`);
  return createLocalJWKSet(parsed as JSONWebKeySet);
}

function reasonOf(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof cause === 'string' ? `${message} (${cause})` : message;
}

/** Checks on the protected header before any key is looked up; a string says what is wrong. */
function headerProblem(token: string): string | undefined {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return 'the token is not a JWS compact serialization (header.payload.signature)';
  }
  if (typeof header.kid !== 'string' || header.kid.length === 0)
    return 'the token header has no kid; the gateway only accepts tokens that name their signing key';
  if (header.typ !== undefined && !TOKEN_TYPES.has(String(header.typ).toLowerCase()))
    return `the token's typ is ${JSON.stringify(header.typ)}; an access token has typ JWT or at+jwt`;
  return undefined;
}

function reason(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'nbf' && error.reason === 'check_failed')
    return 'the token is not valid yet (nbf is in the future)';
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
  if (algorithms.length === 0) throw new MamlError('usage', 'the algorithm allow-list is empty');
  // jose skips the iss and aud checks when given empty strings: an empty setting must not turn a check off.
  if (!options.issuer || !options.audience)
    throw new MamlError('usage', 'bearer tokens need both an issuer and an audience to check (--issuer, --audience)');
  const keys = await keySet(options.jwks);
  return async (token) => {
    if (token.length > MAX_TOKEN_CHARS)
      throw new MamlError(
        'unauthorized',
        `the token is ${token.length} characters long; at most ${MAX_TOKEN_CHARS} are accepted`,
      );
    const problem = headerProblem(token);
    if (problem !== undefined) throw new MamlError('unauthorized', problem);
    let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms,
        clockTolerance: options.clockToleranceSec ?? 30,
        requiredClaims: ['iss', 'aud', 'sub', 'exp'],
      }));
    } catch (error) {
      if (error instanceof JwksUnavailable)
        throw new MamlError(
          'unavailable',
          `the gateway cannot check tokens now: fetching its JWKS failed (${error.message}); retry in a few seconds`,
          { retryable: true },
        );
      throw new MamlError('unauthorized', reason(error));
    }
    const { sub } = payload;
    if (typeof sub !== 'string' || sub.length === 0 || sub.length > MAX_SUBJECT_CHARS)
      throw new MamlError('unauthorized', `the token's sub must be a string of 1 to ${MAX_SUBJECT_CHARS} characters`);
    return { subject: sub, scopes: scopesOf(payload) };
  };
}
