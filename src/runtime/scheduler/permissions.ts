/**
 * `permissions.execute` from the front matter, checked against the identity running the document before
 * anything runs. Patterns are identity URIs where `*` matches any run of characters (`agent://*`,
 * `agent://lab/*`). A document that lists no execute permission does not restrict who runs it.
 */
import { MamlError } from '../../shared/index.js';

export const DEFAULT_IDENTITY = 'agent://local';

export function identityMatches(pattern: string, identity: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return regex.test(identity);
}

function list(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** Why `identity` may not execute the document, or undefined when it may. */
export function executeRefusal(
  frontMatter: Readonly<Record<string, unknown>> | undefined,
  identity: string,
): { readonly message: string; readonly allowed: readonly string[] } | undefined {
  const permissions = frontMatter?.['permissions'];
  const allowed = list(
    typeof permissions === 'object' && permissions !== null
      ? (permissions as Record<string, unknown>)['execute']
      : undefined,
  );
  if (allowed === undefined) return undefined;
  if (allowed.some((pattern) => identityMatches(pattern, identity))) return undefined;
  return {
    message: `${identity} may not execute this document: permissions.execute allows ${allowed.length > 0 ? allowed.join(', ') : 'nobody'}. Run as one of those identities or ask the author to add yours.`,
    allowed,
  };
}

/** Throws `permission_denied` when `identity` may not execute the document. */
export function checkExecutePermission(
  frontMatter: Readonly<Record<string, unknown>> | undefined,
  identity: string,
): void {
  const refusal = executeRefusal(frontMatter, identity);
  if (refusal)
    throw new MamlError('permission_denied', refusal.message, { details: { identity, allowed: refusal.allowed } });
}

/** `permissions.network`: false/absent → no network; true → network; a host list → network (hosts not enforced). */
export function networkPermission(frontMatter: Readonly<Record<string, unknown>> | undefined): boolean | string[] {
  const permissions = frontMatter?.['permissions'];
  const value =
    typeof permissions === 'object' && permissions !== null
      ? (permissions as Record<string, unknown>)['network']
      : undefined;
  if (value === true) return true;
  if (Array.isArray(value)) return value.length > 0 ? value.map(String) : false;
  if (typeof value === 'string' && value !== '' && value !== 'false' && value !== 'none') return [value];
  return false;
}
