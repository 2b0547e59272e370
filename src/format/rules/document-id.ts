/** `id` is `urn:uuid:` followed by an RFC 9562 UUID; placeholders such as all zeros or `xxxxxxxx-…` are flagged. */
import { UUID_URN_PATTERN } from '../front-matter-schema.js';
import type { Rule } from '../rule.js';

const UUID = new RegExp(UUID_URN_PATTERN);
const PLACEHOLDER = /^urn:uuid:(0{8}-0{4}-0{4}-0{4}-0{12}|[x-]+|.*(?:1234-5678|<|>|\.\.\.|uuid).*)$/i;

export const documentId: Rule = {
  id: 'document-id',
  description: '`id` is a urn:uuid: URN holding a real UUID.',
  check(ctx) {
    const id = ctx.frontMatter?.['id'];
    if (id === undefined) return [];
    const severity = ctx.profile === 'strict' ? 'error' : 'warning';
    const place = ctx.placeOf('/id');
    if (typeof id !== 'string' || !UUID.test(id)) {
      return [
        {
          code: 'invalid_id',
          severity,
          message: `\`id\` must look like urn:uuid:123e4567-e89b-12d3-a456-426614174000 (got ${JSON.stringify(id)}); generate one with \`uuidgen\`.`,
          place,
        },
      ];
    }
    if (PLACEHOLDER.test(id)) {
      return [
        {
          code: 'placeholder_id',
          severity,
          message: `\`id\` ${id} is a placeholder; give the document a freshly generated UUID.`,
          place,
        },
      ];
    }
    return [];
  },
};
