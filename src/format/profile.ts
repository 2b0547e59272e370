/** Validation profiles: `strict` is the specification; `lenient` accepts what people really write. */

export const PROFILES = ['strict', 'lenient'] as const;
export type Profile = (typeof PROFILES)[number];

export function isProfile(value: unknown): value is Profile {
  return typeof value === 'string' && (PROFILES as readonly string[]).includes(value);
}
