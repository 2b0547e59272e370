/** What the scanner needs from front matter `permissions`: whether the document declares any network use. */
import type { ScanPermissions } from './rule.js';

export function scanPermissionsOf(frontMatter: Readonly<Record<string, unknown>> | undefined): ScanPermissions {
  const permissions = frontMatter?.['permissions'];
  if (typeof permissions !== 'object' || permissions === null) return { network: false };
  const network = (permissions as Record<string, unknown>)['network'];
  // `true` grants any host; a non-empty list grants those hosts: either way the document declares network use.
  return { network: network === true || (Array.isArray(network) && network.length > 0) };
}
