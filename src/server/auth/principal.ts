/** Who made a request: the token subject (checked against permissions.execute) and the scopes it was granted. */
export const SCOPES = ['maml:validate', 'maml:run', 'maml:read', 'maml:admin'] as const;
export type Scope = (typeof SCOPES)[number];

export interface Principal {
  readonly subject: string;
  readonly scopes: ReadonlySet<string>;
}

/**
 * Runs a document the threat scan flags (planRun's allow-risk choice). Explicit only: not in SCOPES, not implied by
 * `maml:admin`, never given to `maml mcp`'s local principal, so an agent that submits a document cannot wave its
 * own findings through.
 */
export const ALLOW_RISK_SCOPE = 'maml:allow-risk';

export function mayAllowRisk(principal: Principal): boolean {
  return principal.scopes.has(ALLOW_RISK_SCOPE);
}

/** `maml:admin` implies every other scope. */
export function hasScope(principal: Principal, scope: Scope): boolean {
  return principal.scopes.has(scope) || principal.scopes.has('maml:admin');
}

/** OAuth2 scopes from a JWT: `scope` (RFC 8693 §4.2, space-separated; AWS Cognito) or `scp` (an array). */
export function scopesOf(claims: Readonly<Record<string, unknown>>): Set<string> {
  const out = new Set<string>();
  const scope = claims['scope'];
  if (typeof scope === 'string') for (const s of scope.split(' ')) if (s) out.add(s);
  const scp = claims['scp'];
  if (Array.isArray(scp)) for (const s of scp) if (typeof s === 'string') out.add(s);
  return out;
}
